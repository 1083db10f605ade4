//! The record store's transactions, in JavaScript: a write with its
//! eviction, a view (get, then touch), a read without a view, and the newest
//! entries of a resource. Each is one transaction whose requests go out back
//! to back, resolving when it commits and rejecting with the DOMException
//! when it fails (quota, a closed connection). Shell: what to write, the access time and how many to evict
//! come from Rust (`api.rs`, `lru::excess`); JavaScript only issues the
//! requests, which costs far less than the same awaits as wasm futures.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
const entryView = (e) => e && { record: e.record, cachedAt: e.cachedAt, lastAccess: e.lastAccess };

function committed(tx, value) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(value());
    tx.onabort = () => reject(tx.error || new DOMException("The transaction was aborted", "AbortError"));
  });
}

export function coded_failure(promise, name, coded) {
  return promise.catch((error) => {
    throw coded(name, error);
  });
}

export function put_and_evict(db, storeName, indexName, entries, range, excess) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, "readwrite");
    const store = tx.objectStore(storeName);
    for (const entry of entries) store.put(entry);
    const index = store.index(indexName);
    const counted = index.count(range);
    counted.onsuccess = () => {
      const extra = excess(counted.result);
      if (extra > 0) {
        const keys = index.getAllKeys(range, extra);
        keys.onsuccess = () => {
          for (const key of keys.result) store.delete(key);
        };
      }
    };
    committed(tx, () => undefined).then(resolve, reject);
  });
}

export function view(db, storeName, key, at) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, "readwrite");
    const store = tx.objectStore(storeName);
    const found = store.get(key);
    let entry;
    found.onsuccess = () => {
      entry = found.result;
      if (!entry) return;
      entry.lastAccess = at;
      store.put(entry);
    };
    committed(tx, () => entryView(entry)).then(resolve, reject);
  });
}

export function read(db, storeName, key) {
  return new Promise((resolve, reject) => {
    const found = db.transaction(storeName, "readonly").objectStore(storeName).get(key);
    found.onsuccess = () => resolve(entryView(found.result));
    found.onerror = () => reject(found.error);
  });
}

export function newest(db, storeName, indexName, range, count) {
  return new Promise((resolve, reject) => {
    const index = db.transaction(storeName, "readonly").objectStore(storeName).index(indexName);
    // IndexedDB 3.0's getAll({query, count, direction}) shipped with getAllRecords.
    if ("getAllRecords" in IDBIndex.prototype) {
      const request = index.getAll({ query: range, count, direction: "prev" });
      request.onsuccess = () => resolve(request.result.map(entryView));
      request.onerror = () => reject(request.error);
      return;
    }
    const found = [];
    const cursor = index.openCursor(range, "prev");
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (at && found.length < count) {
        found.push(entryView(at.value));
        at.continue();
      } else {
        resolve(found);
      }
    };
    cursor.onerror = () => reject(cursor.error);
  });
}
"#)]
extern "C" {
    /// Puts `entries` into `store_name`, then deletes the `excess(count)`
    /// least recently used entries of `range` in `index_name`.
    pub fn put_and_evict(
        db: &web_sys::IdbDatabase,
        store_name: &str,
        index_name: &str,
        entries: &js_sys::Array,
        range: &JsValue,
        excess: &js_sys::Function,
    ) -> js_sys::Promise;

    /// `promise`, its rejection (a DOMException) turned into the coded error
    /// `coded(name, error)` gives.
    pub fn coded_failure(
        promise: &js_sys::Promise,
        name: &str,
        coded: &js_sys::Function,
    ) -> js_sys::Promise;

    /// Reads the entry at `key` without touching it; resolves like `view`.
    pub fn read(db: &web_sys::IdbDatabase, store_name: &str, key: &JsValue) -> js_sys::Promise;

    /// The newest `count` entries of `range` in the `lastAccess` index
    /// `index_name`, as `{record, cachedAt, lastAccess}`: one request with
    /// IndexedDB 3.0's `getAll({query, count, direction})`, else a reverse
    /// cursor.
    pub fn newest(
        db: &web_sys::IdbDatabase,
        store_name: &str,
        index_name: &str,
        range: &JsValue,
        count: u32,
    ) -> js_sys::Promise;

    /// Reads the entry at `key` and sets its `lastAccess` to `at`; resolves
    /// with `{record, cachedAt, lastAccess}` or `undefined`.
    pub fn view(
        db: &web_sys::IdbDatabase,
        store_name: &str,
        key: &JsValue,
        at: f64,
    ) -> js_sys::Promise;
}
