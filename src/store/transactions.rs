//! The record store's readwrite transactions, in JavaScript: a write with its
//! eviction, and a view (get, then touch). Each is one transaction whose
//! requests go out back to back, resolving when it commits and rejecting
//! with the transaction's DOMException when it aborts (quota, a closed
//! connection). Shell: what to write, the access time and how many to evict
//! come from Rust (`api.rs`, `lru::excess`); JavaScript only issues the
//! requests, which costs far less than the same awaits as wasm futures.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
function committed(tx, value) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(value());
    tx.onabort = () => reject(tx.error || new DOMException("The transaction was aborted", "AbortError"));
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
    committed(tx, () => entry && { record: entry.record, cachedAt: entry.cachedAt, lastAccess: entry.lastAccess }).then(
      resolve,
      reject,
    );
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

    /// Reads the entry at `key` and sets its `lastAccess` to `at`; resolves
    /// with `{record, cachedAt, lastAccess}` or `undefined`.
    pub fn view(
        db: &web_sys::IdbDatabase,
        store_name: &str,
        key: &JsValue,
        at: f64,
    ) -> js_sys::Promise;
}
