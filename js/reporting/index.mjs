// @ts-check
// `offline-runtime/reporting` (shell): ErrorReporter, which gets coded error
// reports to the server even from offline sessions. The core (ReporterCore
// in the .wasm) decides everything: the report's fields and redaction,
// deduplication, sampling, the per-minute cap, the queue's bound and what a
// send's answer means. The shell is three parts: capture.mjs (what is
// listened for), queue.mjs (where reports wait: IndexedDB, else memory) and
// transport.mjs (the POST); this file takes reports in a slice per task and
// sends in batches when online and when the page is hidden.
import init, { classifyError, ReporterCore, ReportAction, SendResult } from "../offline_runtime.js";
import { boundedContext, captureFailures, describe } from "./capture.mjs";
import { indexedDbQueue, memoryQueue } from "./queue.mjs";
import { fitted, post } from "./transport.mjs";

// An error storm is admitted a slice per task: this many reports at most,
// and no more once this many milliseconds have passed.
const SLICE_REPORTS = 100;
const SLICE_MS = 8;

const newId = () =>
  globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

export class ErrorReporter {
  /**
   * Starts reporting; docs/error-reports.md gives the options and their defaults.
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
    this.queue = indexedDbQueue(options.dbName || "offline-runtime-reports").catch((error) => {
      this.warn("the report queue cannot open; reports wait in memory", error);
      return memoryQueue();
    });
    /** @type {Array<{info: any, failure: unknown, context: any, resolve: (id: string | undefined) => void}>} */
    this.intake = [];
    this.draining = false;
    // Reports still queued from an earlier page count repeats too.
    this.restored = this.queue
      .then((queue) => queue.batch(Infinity))
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
    this.listeners.push(captureFailures(options, (info, failure, context) => void this.reportInfo(info, failure, context), listen));
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
    return (await this.queue).count();
  }

  /**
   * Stores one slice's outcome in one go: the queued reports (the oldest
   * dropped beyond the queue's bound, counted), the new counts of reports
   * queued earlier, and the reports the per-minute cap dropped.
   * @param {import("./queue.mjs").Slice} slice
   */
  async store(slice) {
    await (await this.queue).store(slice, (held) => this.core.overflow(held));
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
        if (this.disposed || !this.core.maySend(globalThis.navigator?.onLine, this.options.onlineStatus?.online)) return "waiting";
        const queue = await this.queue;
        const waiting = await queue.batch(this.settings.batchSize);
        if (!waiting.reports.length && !waiting.dropped) return "sent";
        const { keys, reports, dropped, body } = fitted(waiting);
        const { status, retryAfter } = await post(this.settings.endpoint, body);
        const answer = this.core.afterSend(status, this.failures, retryAfter);
        if (answer.result === SendResult.Retry) {
          this.failures += 1;
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => void this.flush(), answer.delayMs);
          return "waiting";
        }
        this.failures = 0;
        const acknowledged = answer.result === SendResult.Acknowledged;
        await queue.remove(keys, acknowledged ? dropped : 0, acknowledged ? 0 : reports.length);
        if (acknowledged) this.core.sent(reports.map((report) => report.id));
      }
    } catch (error) {
      this.warn("reports could not be sent", error);
      return "waiting";
    }
  }

  /** Stops listening and sending; queued reports stay for the next start. */
  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.batchTimer);
    for (const stop of this.listeners) stop();
    void this.queue.then((queue) => queue.close());
    this.core.free();
  }

  warn(what, error) {
    // Once per kind: a reporter never reports (or floods the console with) its own failures.
    if (this.warned.has(what)) return;
    this.warned.add(what);
    console.warn(`offline-runtime: ${what}:`, error);
  }
}
