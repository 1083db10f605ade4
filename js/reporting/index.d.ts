// Types of `offline-runtime/reporting`.
import type { ErrorInfo, OnlineStatus } from "../offline_runtime.js";

export interface ErrorReporterOptions {
  /** The URL reports are POSTed to, as `{reports: ErrorReport[], dropped: number}`. Required. */
  endpoint: string;
  /** The app's version, sent with every report. */
  release?: string;
  /** Who is signed in (redacted like a context): `{id}` is enough. */
  user?: Record<string, unknown>;
  /** `error` and `unhandledrejection` events become reports. Default false. */
  captureUnhandled?: boolean;
  /** Errors shown with `showError` become reports. Default true. */
  captureShown?: boolean;
  /** Failures passed through `classifyError` become reports. Default false. */
  captureClassified?: boolean;
  /** The share of new reports kept, 0 to 1. Default 1. */
  sampleRate?: number;
  /** Reports waiting in IndexedDB; beyond, the oldest are dropped (and counted). Default 100. */
  maxQueue?: number;
  /** New reports per minute; beyond, dropped (and counted). Default 30. */
  maxPerMinute?: number;
  /** Reports per request. Default 20. */
  batchSize?: number;
  /** How long a new report waits before it is sent, so a burst leaves as one request. Default 1000. */
  batchDelayMs?: number;
  /** Repeats of a code and message within this window are one report with a count. Default 60000. */
  dedupWindowMs?: number;
  /** More key fragments whose values are redacted, besides the defaults. */
  redactKeys?: string[];
  /** Called with each report as it is queued (already redacted). */
  onReport?: (report: ErrorReport) => void;
  /** Sends wait for this status to say online (a heartbeat-confirmed state). */
  onlineStatus?: OnlineStatus;
  /** The IndexedDB database holding the queue. Default "offline-runtime-reports". */
  dbName?: string;
}

export interface ErrorReport {
  id: string;
  timestamp: number;
  code: string;
  category: "auth" | "validation" | "storage" | "network" | "business";
  message: string;
  stack: string | null;
  url: string;
  release: string | null;
  user: unknown;
  request: { method?: string; url?: string; status?: number } | null;
  context: unknown;
  online: boolean | null;
  count: number;
}

export declare class ErrorReporter {
  /** Starts reporting (after `init()`); throws E2101/E2109 for bad options. */
  static start(options: ErrorReporterOptions): ErrorReporter;
  /** `init()`, then `start(options)`. */
  static ready(options: ErrorReporterOptions): Promise<ErrorReporter>;
  /** Reports a failure; resolves with the new report's id, or undefined when counted or dropped. Never rejects. */
  report(error: unknown, context?: Record<string, unknown>): Promise<string | undefined>;
  /** Reports an error info (as `classifyError` gives it) for a failure. */
  reportInfo(info: ErrorInfo, failure?: unknown, context?: Record<string, unknown>): Promise<string | undefined>;
  /** Sends what waits now (when online). */
  /** `how` is accepted for compatibility and changes nothing: every send that fits keepalive's budget outlives the page. */
  flush(how?: { hidden?: boolean }): Promise<void>;
  /** How many reports wait to be sent. */
  pending(): Promise<number>;
  /** Stops listening and sending; the queue stays for the next start. */
  dispose(): void;
}
