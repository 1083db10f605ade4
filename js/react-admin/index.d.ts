// Types of `offline-runtime/react-admin`.
import type { OnlineStatus, RecordStore, RecordStoreOptions } from "../offline_runtime.js";

/** react-admin's HttpError shape. */
export class OfflineHttpError extends Error {
  constructor(message: string, status: number, body?: unknown);
  status: number;
  body: unknown;
}

export interface OfflineRecordsOptions {
  /** The store to keep viewed records in; default one opened with `storeOptions`. */
  store?: RecordStore;
  /** Default { idType: "auto" }. */
  storeOptions?: RecordStoreOptions;
  /** Resources kept offline. Default: all. */
  resources?: string[];
  /** Stale records are purged when it reconnects. */
  status?: OnlineStatus;
  /** react-admin's HttpError class (for instanceof checks). Default OfflineHttpError. */
  HttpError?: new (message: string, status: number, body?: unknown) => Error;
}

/** Records answered from the store carry `_offline: {cachedAt}`; offline lists carry `meta: {offline: true}`. */
export function withOfflineRecords<P extends object>(dataProvider: P, options?: OfflineRecordsOptions): P;
