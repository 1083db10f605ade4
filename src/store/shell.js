// @ts-check
// The record store's I/O shell: the database's connection (open with a
// bounded wait, schema upgrade and the v1 migration, closing when another
// tab upgrades or deletes it, reopening on the next call) and one IndexedDB
// transaction per operation, its requests issued back to back. Shell: what
// to write, keys, access times, how many to evict, what is stale and every
// error's code come from Rust (`api.rs`, `shell.rs`, `lru.rs`); awaits here
// cost far less than the same awaits compiled to wasm state machines.
//
// Schema v2: store "entries" keyed [partition, resource, id]; index
// "byAccess" [partition, resource, lastAccess] (LRU order within a
// resource) and "byAge" lastAccess (oldest first, for freeing quota).
// v1 had store "records" keyed [resource, id], with no partitions.

const ENTRIES = "entries";
const BY_ACCESS = "byAccess";
const BY_AGE = "byAge";
const V1_RECORDS = "records";

/**
 * What Rust decides, handed to the shell once per store (`shell.rs`: policy).
 * @typedef {object} StorePolicy
 * @property {(count: number) => number} excess How many of a resource's least recently used entries go, given its count.
 * @property {(total: number) => number} quotaShare How many of all entries (oldest first) go when storage is full.
 * @property {(operation: string, exception: unknown) => Error} coded A failed request's DOMException as a coded error.
 * @property {(exception: unknown) => Error} openFailure A failed open's DOMException as a coded error.
 * @property {() => Error} blocked The open made no progress within the wait.
 * @property {(detail: string) => Error} unavailable There is no IndexedDB here.
 * @property {string} quotaCode The code of a full storage: a write with it frees space and is tried once more.
 * @property {string} defaultPartition The partition v1 entries move into.
 */

/**
 * @typedef {object} Entry
 * @property {string} partition
 * @property {string} resource
 * @property {string | number} id
 * @property {unknown} record
 * @property {number} cachedAt
 * @property {number} lastAccess
 */

/** @param {Entry | undefined} entry */
const entryView = (entry) => entry && { record: entry.record, cachedAt: entry.cachedAt, lastAccess: entry.lastAccess };

/** A resource's entries on "byAccess": every lastAccess. */
const byAccessRange = (/** @type {string} */ partition, /** @type {string} */ resource) =>
  IDBKeyRange.bound([partition, resource, -Infinity], [partition, resource, Infinity]);

/** Primary keys with this prefix: an array sorts after every number and string id or resource. */
const prefixRange = (/** @type {IDBValidKey[]} */ prefix) => IDBKeyRange.bound(prefix, [...prefix, []]);

/**
 * Resolves with `value()` when `tx` commits; rejects with its error when it aborts.
 * @template T
 * @param {IDBTransaction} tx
 * @param {() => T} value
 * @returns {Promise<T>}
 */
function committed(tx, value) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(value());
    tx.onabort = () => reject(tx.error || new DOMException("The transaction was aborted", "AbortError"));
  });
}

/**
 * Resolves with a request's result (through `map`, when given); rejects with its error.
 * @param {IDBRequest} request
 * @param {(result: any) => any} [map]
 * @returns {Promise<any>}
 */
function answered(request, map) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(map ? map(request.result) : request.result);
    request.onerror = () => reject(request.error);
  });
}

/** One database connection at a time, and the store's transactions over it. */
export class StoreShell {
  /**
   * @param {string} name
   * @param {number} version
   * @param {number} blockedTimeoutMs
   * @param {StorePolicy} policy
   */
  constructor(name, version, blockedTimeoutMs, policy) {
    this.name = name;
    this.version = version;
    this.blockedTimeoutMs = blockedTimeoutMs;
    this.policy = policy;
    /** @type {IDBDatabase | null} */
    this.db = null;
    /** @type {Promise<IDBDatabase> | null} */
    this.opening = null;
  }

  /**
   * Resolves with `value` once the database is open.
   * @template T
   * @param {T} value
   */
  opened(value) {
    return this.database().then(() => value);
  }

  /** The open database; one open at a time, shared by every caller. */
  database() {
    if (this.db) return Promise.resolve(this.db);
    if (!this.opening) {
      const clear = () => {
        this.opening = null;
      };
      this.opening = this.open();
      this.opening.then(clear, clear);
    }
    return this.opening;
  }

  /**
   * Opens at `version`, upgrading older schemas. Rejects when the open
   * makes no progress for `blockedTimeoutMs`: another connection blocks the
   * upgrade, or this request waits behind another blocked open (a queued
   * request never gets `blocked`, so the wait is timed from the start; an
   * upgrade starting counts as progress).
   * @returns {Promise<IDBDatabase>}
   */
  open() {
    const { policy } = this;
    return new Promise((resolve, reject) => {
      const factory = globalThis.indexedDB;
      if (!factory) return reject(policy.unavailable("indexedDB is not available here"));
      /** @type {IDBOpenDBRequest} */
      let request;
      try {
        request = factory.open(this.name, this.version);
      } catch (error) {
        return reject(policy.openFailure(error));
      }
      let settled = false;
      const wait = setTimeout(() => {
        settled = true;
        reject(policy.blocked());
      }, this.blockedTimeoutMs);
      request.onupgradeneeded = (event) => {
        clearTimeout(wait);
        upgrade(request, event.oldVersion, policy.defaultPartition);
      };
      request.onsuccess = () => {
        clearTimeout(wait);
        const db = request.result;
        // Given up waiting already: keep no stray connection.
        if (settled) return db.close();
        settled = true;
        this.adopt(db);
        resolve(db);
      };
      request.onerror = () => {
        clearTimeout(wait);
        if (settled) return;
        settled = true;
        reject(policy.openFailure(request.error));
      };
    });
  }

  /** @param {IDBDatabase} db */
  adopt(db) {
    this.db = db;
    const release = () => {
      db.close();
      if (this.db === db) this.db = null;
    };
    // Let another tab's upgrade or delete proceed; the next call reopens.
    db.onversionchange = release;
    db.onclose = release;
  }

  /** Closes the connection; a later call reopens it. */
  close() {
    const { db } = this;
    this.db = null;
    db?.close();
  }

  /**
   * Runs `body` on the database: at once while it is open, else once it
   * has opened. The transaction's DOMException becomes a coded error
   * naming `operation`; a failed open rejects with its own coded error.
   * @template T
   * @param {string} operation
   * @param {(db: IDBDatabase) => Promise<T>} body
   * @returns {Promise<T>}
   */
  run(operation, body) {
    return this.db ? this.transact(operation, body, this.db) : this.database().then((db) => this.transact(operation, body, db));
  }

  /**
   * `run` on an open database; called straight from `run` on the hot path,
   * so no Promise step is added before the requests go out.
   * @template T
   * @param {string} operation
   * @param {(db: IDBDatabase) => Promise<T>} body
   * @param {IDBDatabase} db
   * @returns {Promise<T>}
   */
  transact(operation, body, db) {
    /** @param {unknown} error */
    const coded = (error) => {
      throw this.policy.coded(operation, error);
    };
    try {
      return body(db).catch(coded);
    } catch (error) {
      return Promise.reject(error).catch(coded);
    }
  }

  /**
   * Puts entries of one resource and evicts beyond its cap, in one
   * transaction; when storage is full, frees the oldest share and tries once more.
   * @param {string} operation
   * @param {Entry[]} entries
   * @param {string} partition
   * @param {string} resource
   * @returns {Promise<void>}
   */
  write(operation, entries, partition, resource) {
    const put = () => this.run(operation, (db) => putAndEvict(db, entries, byAccessRange(partition, resource), this.policy.excess));
    return put().catch((error) => {
      if (error?.code !== this.policy.quotaCode) throw error;
      return this.run(operation, (db) => evictOldest(db, this.policy.quotaShare)).then(put);
    });
  }

  /**
   * The entry and its timestamps, its lastAccess set to `at`; or undefined.
   * @param {string} operation
   * @param {IDBValidKey[]} key
   * @param {number} at
   */
  view(operation, key, at) {
    return this.run(operation, (db) => {
      const tx = db.transaction(ENTRIES, "readwrite");
      const store = tx.objectStore(ENTRIES);
      const found = store.get(key);
      /** @type {Entry | undefined} */
      let entry;
      found.onsuccess = () => {
        entry = found.result;
        if (!entry) return;
        entry.lastAccess = at;
        store.put(entry);
      };
      return committed(tx, () => entryView(entry));
    });
  }

  /**
   * Like `view`, without touching the entry.
   * @param {string} operation
   * @param {IDBValidKey[]} key
   */
  read(operation, key) {
    return this.run(operation, (db) => answered(db.transaction(ENTRIES, "readonly").objectStore(ENTRIES).get(key), entryView));
  }

  /**
   * The `count` most recently viewed entries of a resource: one request with
   * IndexedDB 3.0's getAll({query, count, direction}), else a reverse cursor.
   * @param {string} operation
   * @param {string} partition
   * @param {string} resource
   * @param {number} count
   */
  newest(operation, partition, resource, count) {
    return this.run(operation, (db) => {
      const index = db.transaction(ENTRIES, "readonly").objectStore(ENTRIES).index(BY_ACCESS);
      const range = byAccessRange(partition, resource);
      // getAll({query, count, direction}) shipped with getAllRecords.
      if ("getAllRecords" in IDBIndex.prototype) {
        const options = /** @type {any} */ ({ query: range, count, direction: "prev" });
        return answered(index.getAll(options), (entries) => entries.map(entryView));
      }
      return new Promise((resolve, reject) => {
        /** @type {unknown[]} */
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
    });
  }

  /**
   * How many entries a resource has.
   * @param {string} operation
   * @param {string} partition
   * @param {string} resource
   * @returns {Promise<number>}
   */
  count(operation, partition, resource) {
    return this.run(operation, (db) =>
      answered(db.transaction(ENTRIES, "readonly").objectStore(ENTRIES).index(BY_ACCESS).count(byAccessRange(partition, resource))),
    );
  }

  /**
   * Deletes one entry; resolves whether it was there.
   * @param {string} operation
   * @param {IDBValidKey[]} key
   * @returns {Promise<boolean>}
   */
  remove(operation, key) {
    return this.run(operation, (db) => {
      const tx = db.transaction(ENTRIES, "readwrite");
      const store = tx.objectStore(ENTRIES);
      let existed = false;
      const found = store.count(key);
      found.onsuccess = () => {
        existed = found.result > 0;
      };
      store.delete(key);
      return committed(tx, () => existed);
    });
  }

  /**
   * Deletes every entry whose key starts with `prefix` (`[partition]` or
   * `[partition, resource]`), or with no prefix everything; resolves how many went.
   * @param {string} operation
   * @param {IDBValidKey[] | null} prefix
   * @returns {Promise<number>}
   */
  clear(operation, prefix) {
    return this.run(operation, (db) => {
      const tx = db.transaction(ENTRIES, "readwrite");
      const store = tx.objectStore(ENTRIES);
      const range = prefix ? prefixRange(prefix) : undefined;
      let removed = 0;
      const counted = store.count(range);
      counted.onsuccess = () => {
        removed = counted.result;
      };
      if (range) store.delete(range);
      else store.clear();
      return committed(tx, () => removed);
    });
  }

  /**
   * Deletes everything, every partition.
   * @param {string} operation
   * @returns {Promise<void>}
   */
  clearAll(operation) {
    return this.clear(operation, null).then(() => undefined);
  }

  /**
   * Deletes a partition's entries cached before `staleBefore` (the core's
   * cutoff, ms since the epoch); resolves how many went.
   * @param {string} operation
   * @param {string} partition
   * @param {number} staleBefore
   * @returns {Promise<number>}
   */
  purge(operation, partition, staleBefore) {
    return this.run(operation, (db) => {
      const tx = db.transaction(ENTRIES, "readwrite");
      const store = tx.objectStore(ENTRIES);
      let removed = 0;
      const cursor = store.openCursor(prefixRange([partition]));
      cursor.onsuccess = () => {
        const at = cursor.result;
        if (!at) return;
        if (at.value.cachedAt < staleBefore) {
          at.delete();
          removed += 1;
        }
        at.continue();
      };
      return committed(tx, () => removed);
    });
  }
}

/**
 * Creates or migrates the schema inside the upgrade transaction. v1 -> v2:
 * every record moves into "entries" under the default partition, keeping
 * its timestamps, then the v1 store goes; a failure aborts the upgrade and
 * leaves the v1 database as it was.
 * @param {IDBOpenDBRequest} request
 * @param {number} oldVersion
 * @param {string} defaultPartition
 */
function upgrade(request, oldVersion, defaultPartition) {
  const db = request.result;
  if (db.objectStoreNames.contains(ENTRIES)) return;
  const entries = db.createObjectStore(ENTRIES, { keyPath: ["partition", "resource", "id"] });
  entries.createIndex(BY_ACCESS, ["partition", "resource", "lastAccess"]);
  entries.createIndex(BY_AGE, "lastAccess");
  const transaction = request.transaction;
  if (oldVersion !== 1 || !transaction || !db.objectStoreNames.contains(V1_RECORDS)) return;
  const all = transaction.objectStore(V1_RECORDS).getAll();
  all.onsuccess = () => {
    for (const entry of all.result) {
      entry.partition = defaultPartition;
      entries.put(entry);
    }
    db.deleteObjectStore(V1_RECORDS);
  };
}

/**
 * Puts `entries`, then deletes the `excess(count)` least recently used of `range`.
 * @param {IDBDatabase} db
 * @param {Entry[]} entries
 * @param {IDBKeyRange} range
 * @param {(count: number) => number} excess
 */
function putAndEvict(db, entries, range, excess) {
  const tx = db.transaction(ENTRIES, "readwrite");
  const store = tx.objectStore(ENTRIES);
  for (const entry of entries) store.put(entry);
  const index = store.index(BY_ACCESS);
  const counted = index.count(range);
  counted.onsuccess = () => {
    const extra = excess(counted.result);
    if (extra <= 0) return;
    const keys = index.getAllKeys(range, extra);
    keys.onsuccess = () => {
      for (const key of keys.result) store.delete(key);
    };
  };
  return committed(tx, () => undefined);
}

/**
 * Frees space: the oldest `share(total)` entries across resources and partitions.
 * @param {IDBDatabase} db
 * @param {(total: number) => number} share
 */
function evictOldest(db, share) {
  const tx = db.transaction(ENTRIES, "readwrite");
  const store = tx.objectStore(ENTRIES);
  const counted = store.count();
  counted.onsuccess = () => {
    const oldest = store.index(BY_AGE).getAllKeys(null, share(counted.result));
    oldest.onsuccess = () => {
      for (const key of oldest.result) store.delete(key);
    };
  };
  return committed(tx, () => undefined);
}
