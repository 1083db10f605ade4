// Types of `offline-runtime/react-admin`.
import type { OnlineStatus, OnlineStatusOptions, RecordStore, RecordStoreOptions } from "../offline_runtime.js";

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
  /**
   * The connection state (an OnlineStatus, or options naming the page's shared
   * one): writes are refused with E4007 while offline, stale records purged on
   * reconnect. Without it, the browser's navigator.onLine decides writes.
   */
  status?: OnlineStatus | OnlineStatusOptions;
  /** Custom methods that only read (every other custom method counts as a write). Default []. */
  reads?: string[];
  /** react-admin's HttpError class (for instanceof checks). Default OfflineHttpError. */
  HttpError?: new (message: string, status: number, body?: unknown) => Error;
}

/**
 * Records answered from the store carry `_offline: {cachedAt}`; offline lists
 * carry `meta: {offline: true}` (and `unevaluatedFilters` naming any filter
 * that could not be applied on this device).
 */
export function withOfflineRecords<P extends object>(dataProvider: P, options?: OfflineRecordsOptions): P;

/** What offlineQueryClient needs of TanStack's QueryClient. */
export interface QueryClientLike {
  getDefaultOptions(): { queries?: object; mutations?: object };
  setDefaultOptions(options: { queries?: object; mutations?: object }): void;
  invalidateQueries(): Promise<void>;
}

/** Queries and mutations run offline; every query refetches on reconnect. Returns `queryClient`. */
export function offlineQueryClient<C extends QueryClientLike>(
  queryClient: C,
  options?: { status?: OnlineStatus | OnlineStatusOptions },
): C;

/** The CSS selector of react-admin's data-changing buttons. */
export const REACT_ADMIN_ACTIONS: string;

export interface OfflineActionsProps {
  status?: OnlineStatus | OnlineStatusOptions;
  /** Default REACT_ADMIN_ACTIONS. */
  selector?: string;
  /** Default "Offline". */
  tooltip?: string;
}
/** While offline, react-admin's data-changing buttons look and act disabled with the tooltip. Renders nothing. */
export function OfflineActions(props: OfflineActionsProps): null;
