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
// fetch's keepalive (which outlives the page) takes bodies up to 64 KB.
const KEEPALIVE_BYTES = 60000;

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
    listen(globalThis.document, "visibilitychange", () => document.visibilityState === "hidden" && this.flush({ hidden: true }));
    listen(globalThis, "pagehide", () => this.flush({ hidden: true }));
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
    return this.reportInfo(classifyError(error), error, context);
  }

  /** @returns {Promise<string | undefined>} */
  async reportInfo(info, failure, context) {
    if (this.disposed) return undefined;
    try {
      await this.restored;
      const { message, stack } = describe(failure ?? info);
      context = boundedContext(context, this.settings.context);
      const request = context?.request ?? (info?.status ? { status: info.status } : undefined);
      const online = globalThis.navigator?.onLine;
      const decision = this.core.admit(
        info?.code ?? "E5000",
        message,
        stack,
        request ? { ...context, request } : context,
        String(globalThis.location?.href ?? ""),
        online,
        Date.now(),
        Math.random(),
        newId(),
      );
      if (decision.action === ReportAction.Queue) {
        await this.enqueue(decision.report);
        this.options.onReport?.(decision.report);
        this.flushSoon();
        return decision.report.id;
      }
      if (decision.action === ReportAction.Count) await this.recount(decision.id, decision.count);
      if (decision.action === ReportAction.Limited) await this.addDropped(1);
    } catch (error) {
      this.warn("an error could not be reported", error);
    }
    return undefined;
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

  async enqueue(report) {
    const db = await this.db;
    if (!db) {
      const drop = this.core.overflow(this.memory.queue.length);
      this.memory.queue.splice(0, drop);
      this.memory.dropped += drop;
      this.memory.queue.push(report);
      return;
    }
    const tx = db.transaction([QUEUE, META], "readwrite");
    const queue = tx.objectStore(QUEUE);
    const drop = this.core.overflow(await done(queue.count()));
    if (drop) {
      const oldest = await done(queue.getAllKeys(null, drop));
      for (const key of oldest) queue.delete(key);
      const meta = tx.objectStore(META);
      meta.put(((await done(meta.get("dropped"))) || 0) + oldest.length, "dropped");
    }
    queue.add({ report });
    await complete(tx);
  }

  async recount(id, count) {
    const db = await this.db;
    if (!db) {
      const queued = this.memory.queue.find((report) => report.id === id);
      if (queued) queued.count = count;
      return;
    }
    const tx = db.transaction(QUEUE, "readwrite");
    const index = tx.objectStore(QUEUE).index("id");
    const key = await done(index.getKey(id));
    if (key !== undefined) {
      const entry = await done(tx.objectStore(QUEUE).get(key));
      entry.report.count = count;
      tx.objectStore(QUEUE).put(entry);
    }
    await complete(tx);
  }

  async addDropped(n) {
    const db = await this.db;
    if (!db) {
      this.memory.dropped += n;
      return;
    }
    const tx = db.transaction(META, "readwrite");
    const meta = tx.objectStore(META);
    meta.put(((await done(meta.get("dropped"))) || 0) + n, "dropped");
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
   * @param {{hidden?: boolean}} [how] hidden: the page is going away
   */
  flush(how = {}) {
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
        result = await this.sendAll(how);
      } while (this.again && result === "sent");
    })().finally(() => (this.sending = null));
    return this.sending;
  }

  /** @returns {Promise<"sent" | "waiting">} sent: the queue was emptied */
  async sendAll({ hidden = false }) {
    try {
      for (;;) {
        if (this.disposed || globalThis.navigator?.onLine === false) return "waiting";
        if (this.options.onlineStatus && this.options.onlineStatus.online === false) return "waiting";
        const { keys, reports, dropped } = await this.batch();
        if (!reports.length && !dropped) return "sent";
        const body = JSON.stringify({ reports, dropped });
        const { status, retryAfter } = await this.post(body, hidden);
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

  /** @returns {Promise<{status: number, retryAfter: number | undefined}>} */
  async post(body, hidden) {
    const endpoint = this.settings.endpoint;
    const small = body.length < KEEPALIVE_BYTES;
    if (hidden && !small && globalThis.navigator?.sendBeacon) {
      // No answer to read: the reports stay queued and may be sent again; the server dedupes on ids.
      navigator.sendBeacon(endpoint, new Blob([body], { type: "application/json" }));
      return { status: 0, retryAfter: undefined };
    }
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body,
        keepalive: small,
        credentials: "same-origin",
        // The page's URL may carry secrets in its query; the report itself is redacted.
        referrerPolicy: "origin",
      });
      const retryAfter = Number(response.headers.get("Retry-After"));
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
