// @ts-check
// `offline-runtime/reporting` (shell): ErrorReporter, which gets coded error
// reports to the server even from offline sessions. The core (ReporterCore
// in the .wasm) decides everything: the report's fields and redaction,
// deduplication, sampling, the per-minute cap, the queue's bound and what a
// send's answer means. This file only does the I/O: the queue in IndexedDB
// (it survives reloads), sending in batches when online, flushing when the
// page is hidden, and listening for errors.
import init, { classifyError, observeErrors, ReporterCore, ReportAction, SendResult } from "../offline_runtime.js";

const DB_VERSION = 1;
const QUEUE = "queue"; // {seq (auto), report}
const META = "meta"; // "dropped" -> reports dropped and not yet reported
// fetch's keepalive (which outlives the page) and sendBeacon share a 64 KiB
// budget for bodies in flight.
const KEEPALIVE_BYTES = 60000;
// An error storm is admitted a slice per task: this many reports at most,
// and no more once this many milliseconds have passed.
const SLICE_REPORTS = 100;
const SLICE_MS = 8;

/** @param {IDBRequest} request */
const done = (request) =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

/** @param {string} name @returns {Promise<IDBDatabase>} */
function openQueue(name) {
  const request = indexedDB.open(name, DB_VERSION);
  request.onupgradeneeded = () => {
    const queue = request.result.createObjectStore(QUEUE, { keyPath: "seq", autoIncrement: true });
    queue.createIndex("id", "report.id", { unique: true });
    request.result.createObjectStore(META);
  };
  return done(request).then((db) => {
    db.onversionchange = () => db.close();
    return db;
  });
}

/** An error's message and stack, whatever was thrown. */
function describe(error) {
  if (error && typeof error === "object") {
    const message = error.message ?? error.userMessage ?? error.title ?? error.detail;
    return { message: String(message ?? "(no message)"), stack: typeof error.stack === "string" ? error.stack : undefined };
  }
  return { message: String(error), stack: undefined };
}

/**
 * The app's context cut to the core's limits before it crosses into wasm
 * (the core then redacts and trims what is left): at most `maxItems` entries
 * per object or array, `maxDepth` levels, `maxText` characters per string,
 * and `maxNodes` values and `maxTotalText` characters in all, so a cyclic,
 * deep, wide or huge value (app state, a DOM node, a React element) costs
 * bounded time. A value met again on its own path is "[circular]"; one that
 * throws when read is "[unreadable]".
 * @param {unknown} context
 * @param {{maxDepth: number, maxItems: number, maxText: number, maxNodes: number, maxTotalText: number}} limits
 */
function boundedContext(context, limits) {
  let nodes = limits.maxNodes;
  let text = limits.maxTotalText;
  const path = new Set();
  const walk = (value, depth) => {
    if (typeof value === "string") {
      const kept = value.slice(0, Math.min(limits.maxText, Math.max(text, 0)));
      text -= kept.length;
      return kept;
    }
    if (value === null || typeof value !== "object") return value;
    if (path.has(value)) return "[circular]";
    if (depth >= limits.maxDepth) return Array.isArray(value) ? `[${value.length} items]` : "[object]";
    path.add(value);
    try {
      if (Array.isArray(value)) {
        const items = [];
        for (let i = 0; i < value.length && i < limits.maxItems && nodes > 0; i++, nodes--) items.push(walk(value[i], depth + 1));
        return items;
      }
      /** @type {Record<string, unknown>} */
      const fields = {};
      let count = 0;
      for (const key in value) {
        if (count >= limits.maxItems || nodes <= 0) break;
        if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
        count++;
        nodes--;
        fields[key] = walk(value[key], depth + 1);
      }
      return fields;
    } catch (_) {
      return "[unreadable]";
    } finally {
      path.delete(value);
    }
  };
  return walk(context, 0);
}

const encoder = new TextEncoder();
/** A body's size on the wire (UTF-8 bytes, not UTF-16 units). @param {string} text */
const byteLength = (text) => (text.length * 3 <= KEEPALIVE_BYTES ? text.length : encoder.encode(text).length);

const newId = () =>
  globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

export class ErrorReporter {
  /**
   * Starts reporting; see the README for the options and their defaults.
   * Needs the .wasm: call after `init()` (or await `ErrorReporter.ready(options)`).
   * @param {import("./index.d.ts").ErrorReporterOptions} options
   */
  static start(options) {
    return new ErrorReporter(new ReporterCore(options), options || {});
  }

  /** `init()` then `start(options)`, for apps without top-level await. */
  static async ready(options) {
    await init();
    return ErrorReporter.start(options);
  }

  /** @param {ReporterCore} core @param {any} options */
  constructor(core, options) {
    this.core = core;
    this.settings = core.settings();
    this.options = options;
    this.failures = 0;
    this.disposed = false;
    /** @type {Promise<void> | null} */
    this.sending = null;
    this.retryTimer = undefined;
    this.batchTimer = undefined;
    this.warned = new Set();
    this.db = openQueue(options.dbName || "offline-runtime-reports").catch((error) => {
      this.warn("the report queue cannot open; reports wait in memory", error);
      return null;
    });
    this.memory = { queue: [], dropped: 0 };
    /** @type {Array<{info: any, failure: unknown, context: any, resolve: (id: string | undefined) => void}>} */
    this.intake = [];
    this.draining = false;
    // Reports still queued from an earlier page count repeats too.
    this.restored = this.batchOf(Infinity)
      .then(({ reports }) => {
        for (const r of reports) this.core.remember(r.code, r.message, r.id, r.timestamp, r.count);
      })
      .catch(() => undefined);
    this.listeners = [];
    const listen = (target, type, listener) => {
      if (!target?.addEventListener) return;
      target.addEventListener(type, listener);
      this.listeners.push(() => target.removeEventListener(type, listener));
    };
    const flush = () => void this.flush();
    if (options.onlineStatus) {
      this.listeners.push(options.onlineStatus.subscribe((state) => state.online && flush()));
    }
    listen(globalThis, "online", flush);
    // Hidden is the last moment a page is sure to run: send what waits.
    // What was reported is admitted and stored at once then, not a slice per task.
    const leaving = () => void this.drain(true).then(flush);
    listen(globalThis.document, "visibilitychange", () => document.visibilityState === "hidden" && leaving());
    listen(globalThis, "pagehide", leaving);
    if (options.captureUnhandled) {
      listen(globalThis, "error", (event) => this.report(event.error ?? event.message, { source: "error" }));
      listen(globalThis, "unhandledrejection", (event) => this.report(event.reason, { source: "unhandledrejection" }));
    }
    if (options.captureShown !== false || options.captureClassified) {
      observeErrors((kind, info, failure) => {
        if (kind === "shown" && options.captureShown !== false) this.reportInfo(info, failure, { source: "showError" });
        if (kind === "classified" && options.captureClassified) this.reportInfo(info, failure, { source: "classifyError" });
      });
      this.listeners.push(() => observeErrors(null));
    }
    // The service worker's own failures (its config's `errorReports: true`).
    const worker = globalThis.navigator?.serviceWorker;
    listen(worker, "message", (event) => {
      const data = event.data;
      if (data?.type !== "OFFLINE_RUNTIME_FAILURE") return;
      this.reportInfo({ code: String(data.code) }, { message: String(data.message) }, { source: "service-worker", request: data.request });
    });
    worker?.startMessages?.();
    flush();
  }

  /**
   * Reports any failure with an optional context object (redacted before
   * it is stored). Resolves with the report's id (undefined when it was
   * counted into an earlier one or dropped); never rejects.
   * @param {unknown} error @param {Record<string, unknown>} [context]
   */
  report(error, context) {
    // Classified later, with the rest of the work.
    return this.reportInfo(undefined, error, context);
  }

  /**
   * Takes the report in and returns at once: the work (trimming, the core's
   * admission, storage) runs in later tasks, a slice at a time, so a storm
   * of reports never holds the page for long.
   * @returns {Promise<string | undefined>}
   */
  reportInfo(info, failure, context) {
    if (this.disposed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.intake.push({ info, failure, context, resolve });
      if (!this.draining) {
        this.draining = true;
        setTimeout(() => void this.drain(), 0);
      }
    });
  }

  /**
   * Admits and stores what was reported, one slice per task (all of it at
   * once when `leaving`: the page is going away).
   * @param {boolean} [leaving]
   */
  async drain(leaving = false) {
    try {
      await this.restored;
      while (this.intake.length && !this.disposed) {
        const slice = this.admitSlice(leaving ? Infinity : SLICE_REPORTS, leaving ? Infinity : SLICE_MS);
        try {
          await this.store(slice);
        } catch (error) {
          this.warn("an error could not be reported", error);
          slice.queued.length = 0;
        }
        for (const report of slice.queued) this.options.onReport?.(report);
        for (const [resolve, id] of slice.answers) resolve(slice.queued.some((report) => report.id === id) ? id : undefined);
        if (slice.queued.length) this.flushSoon();
        // Let the page run before the next slice.
        if (this.intake.length) await new Promise((resolve) => setTimeout(resolve, 0));
      }
    } finally {
      this.draining = false;
      for (const { resolve } of this.intake.splice(0)) resolve(undefined);
    }
  }

  /**
   * The core's decisions for the next reports: at most `most`, and no more
   * once `ms` milliseconds have passed (at least one).
   * @param {number} most
   * @param {number} ms
   * @returns {{queued: any[], counts: Map<string, number>, dropped: number, answers: Array<[(id: string | undefined) => void, string | undefined]>}}
   */
  admitSlice(most, ms) {
    const slice = { queued: [], counts: new Map(), dropped: 0, answers: [] };
    const started = performance.now();
    while (this.intake.length && slice.answers.length < most && (slice.answers.length === 0 || performance.now() - started < ms)) {
      const taken = /** @type {any} */ (this.intake.shift());
      const { failure, context, resolve } = taken;
      let { info } = taken;
      let id;
      try {
        info ??= classifyError(failure);
        const { message, stack } = describe(failure ?? info);
        const bounded = boundedContext(context, this.settings.context);
        const request = bounded?.request ?? (info?.status ? { status: info.status } : undefined);
        const decision = this.core.admit(
          info?.code ?? "E5000",
          message,
          stack,
          request ? { ...bounded, request } : bounded,
          String(globalThis.location?.href ?? ""),
          globalThis.navigator?.onLine,
          Date.now(),
          Math.random(),
          newId(),
        );
        if (decision.action === ReportAction.Queue) {
          slice.queued.push(decision.report);
          id = decision.report.id;
        }
        if (decision.action === ReportAction.Count) {
          const queued = slice.queued.find((report) => report.id === decision.id);
          if (queued) queued.count = decision.count;
          else slice.counts.set(decision.id, decision.count);
        }
        if (decision.action === ReportAction.Limited) slice.dropped += 1;
      } catch (error) {
        this.warn("an error could not be reported", error);
      }
      slice.answers.push([resolve, id]);
    }
    return slice;
  }

  /** Sends after the batch delay, so a burst leaves as one request. */
  flushSoon() {
    if (this.batchTimer !== undefined || this.disposed) return;
    this.batchTimer = setTimeout(() => {
      this.batchTimer = undefined;
      void this.flush();
    }, this.settings.batchDelayMs);
  }

  /** Reports waiting to be sent. */
  async pending() {
    const db = await this.db;
    if (!db) return this.memory.queue.length;
    return done(db.transaction(QUEUE).objectStore(QUEUE).count());
  }

  /**
   * Stores one slice's outcome in one transaction: the queued reports (the
   * oldest dropped beyond the queue's bound, counted), the new counts of
   * reports queued earlier, and the reports the per-minute cap dropped.
   * @param {{queued: any[], counts: Map<string, number>, dropped: number}} slice
   */
  async store(slice) {
    const db = await this.db;
    const adding = slice.queued.length;
    if (!db) {
      const memory = this.memory;
      for (const report of memory.queue) if (slice.counts.has(report.id)) report.count = slice.counts.get(report.id);
      const drop = adding ? this.core.overflow(memory.queue.length + adding - 1) : 0;
      // More new reports than the queue holds: the oldest of them go too.
      const earlier = memory.queue.length;
      memory.queue = [...memory.queue, ...slice.queued].slice(drop);
      slice.queued = slice.queued.slice(Math.max(0, drop - earlier));
      memory.dropped += drop + slice.dropped;
      return;
    }
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
    if (adding) {
      const drop = this.core.overflow((await done(queue.count())) + adding - 1);
      const oldest = drop ? await done(queue.getAllKeys(null, drop)) : [];
      for (const key of oldest) queue.delete(key);
      // More new reports than the queue holds: the oldest of them go too.
      const kept = slice.queued.slice(drop - oldest.length);
      for (const report of kept) queue.add({ report });
      dropped += drop;
      slice.queued = kept;
    }
    if (dropped) meta.put(((await done(meta.get("dropped"))) || 0) + dropped, "dropped");
    await complete(tx);
  }

  /** The oldest batch: `{keys, reports, dropped}`. */
  batch() {
    return this.batchOf(this.settings.batchSize);
  }

  async batchOf(size) {
    const db = await this.db;
    if (!db) {
      const reports = this.memory.queue.slice(0, size);
      return { keys: reports, reports, dropped: this.memory.dropped };
    }
    const tx = db.transaction([QUEUE, META]);
    const queue = tx.objectStore(QUEUE);
    const [keys, entries, dropped] = await Promise.all([
      done(queue.getAllKeys(null, size === Infinity ? undefined : size)),
      done(queue.getAll(null, size === Infinity ? undefined : size)),
      done(tx.objectStore(META).get("dropped")),
    ]);
    return { keys, reports: entries.map((entry) => entry.report), dropped: dropped || 0 };
  }

  /** Deletes a sent (or refused) batch; `dropped` reports now reported. */
  async remove(keys, reported, refused) {
    const db = await this.db;
    if (!db) {
      this.memory.queue = this.memory.queue.filter((report) => !keys.includes(report));
      this.memory.dropped = Math.max(0, this.memory.dropped - reported) + refused;
      return;
    }
    const tx = db.transaction([QUEUE, META], "readwrite");
    for (const key of keys) tx.objectStore(QUEUE).delete(key);
    const meta = tx.objectStore(META);
    meta.put(Math.max(0, ((await done(meta.get("dropped"))) || 0) - reported) + refused, "dropped");
    await complete(tx);
  }

  /**
   * Sends what waits, in batches, while online; resolves when the queue is
   * empty or a send failed (a retry is then scheduled with backoff).
   * (Every send that fits keepalive's budget outlives the page, so
   * `{hidden: true}`, once needed as the page went away, changes nothing.)
   */
  flush() {
    if (this.disposed) return Promise.resolve();
    if (this.sending) {
      // A send in progress may have read the queue already: go round again after it.
      this.again = true;
      return this.sending;
    }
    this.sending = (async () => {
      let result;
      do {
        this.again = false;
        result = await this.sendAll();
      } while (this.again && result === "sent");
    })().finally(() => (this.sending = null));
    return this.sending;
  }

  /** @returns {Promise<"sent" | "waiting">} sent: the queue was emptied */
  async sendAll() {
    try {
      for (;;) {
        if (this.disposed || globalThis.navigator?.onLine === false) return "waiting";
        if (this.options.onlineStatus && this.options.onlineStatus.online === false) return "waiting";
        let { keys, reports, dropped } = await this.batch();
        if (!reports.length && !dropped) return "sent";
        let body = JSON.stringify({ reports, dropped });
        // Each send fits keepalive's budget (so it survives the page going
        // away): fewer reports until it does; the rest go next round.
        while (byteLength(body) > KEEPALIVE_BYTES && reports.length > 1) {
          const half = Math.ceil(reports.length / 2);
          keys = keys.slice(0, half);
          reports = reports.slice(0, half);
          body = JSON.stringify({ reports, dropped });
        }
        const { status, retryAfter } = await this.post(body);
        const answer = this.core.afterSend(status, this.failures, retryAfter);
        if (answer.result === SendResult.Retry) {
          this.failures += 1;
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => void this.flush(), answer.delayMs);
          return "waiting";
        }
        this.failures = 0;
        const acknowledged = answer.result === SendResult.Acknowledged;
        await this.remove(keys, acknowledged ? dropped : 0, acknowledged ? 0 : reports.length);
        if (acknowledged) this.core.sent(reports.map((report) => report.id));
      }
    } catch (error) {
      this.warn("reports could not be sent", error);
      return "waiting";
    }
  }

  /**
   * POSTs a batch; with keepalive when it fits the budget, so it completes
   * even if the page goes away. (A single report over the budget is sent
   * without it: sendBeacon shares the same budget and could not take it
   * either; unanswered, it stays queued for the next send.)
   * @param {string} body
   * @returns {Promise<{status: number, retryAfter: number | undefined}>}
   */
  async post(body) {
    try {
      const response = await fetch(this.settings.endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body,
        keepalive: byteLength(body) <= KEEPALIVE_BYTES,
        credentials: "same-origin",
        // The page's URL may carry secrets in its query; the report itself is redacted.
        referrerPolicy: "origin",
      });
      const retryAfter = Number(response.headers.get("Retry-After"));
      // Read to the end: until then the browser counts this request against
      // the keepalive budget, and the next batch's send would fail.
      await response.arrayBuffer().catch(() => undefined);
      return { status: response.status, retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined };
    } catch (_) {
      return { status: 0, retryAfter: undefined };
    }
  }

  /** Stops listening and sending; queued reports stay for the next start. */
  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.batchTimer);
    for (const stop of this.listeners) stop();
    this.db.then((db) => db?.close());
    this.core.free();
  }

  warn(what, error) {
    // Once per kind: a reporter never reports (or floods the console with) its own failures.
    if (this.warned.has(what)) return;
    this.warned.add(what);
    console.warn(`offline-runtime: ${what}:`, error);
  }
}

/** @param {IDBTransaction} tx */
function complete(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}
