// @ts-check
// The reporter's queue (shell): where reports wait to be sent. One interface,
// two stores: IndexedDB, which survives reloads, and memory, for when
// IndexedDB cannot open. The core decides what overflows the queue's bound;
// a store only keeps what it is told.

const DB_VERSION = 1;
const QUEUE = "queue"; // {seq (auto), report}
const META = "meta"; // "dropped" -> reports dropped and not yet reported

/**
 * One slice's outcome: reports to queue, new counts of reports queued
 * earlier (by id) and reports the per-minute cap dropped. `store` leaves in
 * `queued` only the reports it kept.
 * @typedef {{queued: any[], counts: Map<string, number>, dropped: number}} Slice
 * @typedef {{keys: unknown[], reports: any[], dropped: number}} Batch
 * @typedef {object} ReportQueue
 * @property {(slice: Slice, overflow: (held: number) => number) => Promise<void>} store
 *   Stores a slice in one go; `overflow(held)` is how many of the oldest
 *   reports go when `held` reports are queued and one more comes.
 * @property {(size: number) => Promise<Batch>} batch The oldest `size` reports (Infinity: all).
 * @property {(keys: unknown[], reported: number, refused: number) => Promise<void>} remove
 *   Deletes a sent (or refused) batch; `reported` dropped reports were
 *   reported with it, `refused` reports were refused and count as dropped.
 * @property {() => Promise<number>} count Reports waiting.
 * @property {() => void} close
 */

/** @param {IDBRequest} request */
const done = (request) =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

/** @param {IDBTransaction} tx */
const complete = (tx) =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });

/**
 * The queue in the IndexedDB database `name`.
 * @param {string} name
 * @returns {Promise<ReportQueue>}
 */
export async function indexedDbQueue(name) {
  const request = indexedDB.open(name, DB_VERSION);
  request.onupgradeneeded = () => {
    const queue = request.result.createObjectStore(QUEUE, { keyPath: "seq", autoIncrement: true });
    queue.createIndex("id", "report.id", { unique: true });
    request.result.createObjectStore(META);
  };
  /** @type {IDBDatabase} */
  const db = await done(request);
  db.onversionchange = () => db.close();
  return {
    async store(slice, overflow) {
      const tx = db.transaction([QUEUE, META], "readwrite");
      const queue = tx.objectStore(QUEUE);
      const meta = tx.objectStore(META);
      for (const [id, count] of slice.counts) {
        const key = await done(queue.index("id").getKey(id));
        if (key === undefined) continue;
        const entry = await done(queue.get(key));
        entry.report.count = count;
        queue.put(entry);
      }
      let dropped = slice.dropped;
      if (slice.queued.length) {
        const drop = overflow((await done(queue.count())) + slice.queued.length - 1);
        const oldest = drop ? await done(queue.getAllKeys(null, drop)) : [];
        for (const key of oldest) queue.delete(key);
        // More new reports than the queue holds: the oldest of them go too.
        slice.queued = slice.queued.slice(drop - oldest.length);
        for (const report of slice.queued) queue.add({ report });
        dropped += drop;
      }
      if (dropped) meta.put(((await done(meta.get("dropped"))) || 0) + dropped, "dropped");
      await complete(tx);
    },
    async batch(size) {
      const tx = db.transaction([QUEUE, META]);
      const queue = tx.objectStore(QUEUE);
      const count = size === Infinity ? undefined : size;
      const [keys, entries, dropped] = await Promise.all([
        done(queue.getAllKeys(null, count)),
        done(queue.getAll(null, count)),
        done(tx.objectStore(META).get("dropped")),
      ]);
      return { keys, reports: entries.map((entry) => entry.report), dropped: dropped || 0 };
    },
    async remove(keys, reported, refused) {
      const tx = db.transaction([QUEUE, META], "readwrite");
      for (const key of keys) tx.objectStore(QUEUE).delete(/** @type {IDBValidKey} */ (key));
      const meta = tx.objectStore(META);
      meta.put(Math.max(0, ((await done(meta.get("dropped"))) || 0) - reported) + refused, "dropped");
      await complete(tx);
    },
    count: () => done(db.transaction(QUEUE).objectStore(QUEUE).count()),
    close: () => db.close(),
  };
}

/**
 * The queue in memory: lost on reload, for when IndexedDB cannot open.
 * @returns {ReportQueue}
 */
export function memoryQueue() {
  /** @type {any[]} */
  let queue = [];
  let dropped = 0;
  return {
    async store(slice, overflow) {
      for (const report of queue) if (slice.counts.has(report.id)) report.count = slice.counts.get(report.id);
      const drop = slice.queued.length ? overflow(queue.length + slice.queued.length - 1) : 0;
      // More new reports than the queue holds: the oldest of them go too.
      const earlier = queue.length;
      queue = [...queue, ...slice.queued].slice(drop);
      slice.queued = slice.queued.slice(Math.max(0, drop - earlier));
      dropped += drop + slice.dropped;
    },
    async batch(size) {
      const reports = queue.slice(0, size);
      return { keys: reports, reports, dropped };
    },
    async remove(keys, reported, refused) {
      queue = queue.filter((report) => !keys.includes(report));
      dropped = Math.max(0, dropped - reported) + refused;
    },
    count: async () => queue.length,
    close: () => undefined,
  };
}
