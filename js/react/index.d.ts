// Types of `offline-runtime/react`.
import type { OnlineState, OnlineStatus, OnlineStatusOptions, DebounceOptions, RecordStore, RecordId } from "../offline_runtime.js";

/** Resolves once the package is initialised (it initialises itself on import). */
export function whenReady(): Promise<void>;
/** True once the package is initialised. */
export function useReady(): boolean;

/** The confirmed connection state; one shared OnlineStatus per distinct options, or yours. */
export function useOnlineStatus(statusOrOptions?: OnlineStatus | OnlineStatusOptions): OnlineState;
/** The OnlineStatus behind useOnlineStatus, once ready (null before). */
export function useOnlineStatusObject(statusOrOptions?: OnlineStatus | OnlineStatusOptions): OnlineStatus | null;

export interface DebouncedCallback<A extends unknown[], R> {
  (...args: A): R | undefined;
  cancel(): void;
  flush(): R | undefined;
  pending(): boolean;
}
/** lodash.debounce semantics (default 300 ms); stable identity; latest fn; cancelled on unmount. */
export function useDebouncedCallback<A extends unknown[], R>(
  fn: (...args: A) => R,
  wait?: number,
  options?: Omit<DebounceOptions, "onError">,
): DebouncedCallback<A, R>;
/** The value once it stopped changing for `wait` ms (default 300). */
export function useDebouncedValue<T>(value: T, wait?: number, options?: Omit<DebounceOptions, "onError">): T;

export interface ServiceWorkerState {
  /** The worker is registered. */
  registered: boolean;
  /**
   * The same as `registered`, its first name; elsewhere "ready" means the
   * package is initialised (whenReady, useReady, ErrorReporter.ready).
   * @deprecated use `registered`
   */
  ready: boolean;
  updateReady: boolean;
  error: unknown;
  /** Tells the waiting worker to take over. */
  applyUpdate(): void;
}
export function useServiceWorker(
  url?: string,
  options?: { scope?: string; onControllerChange?: () => void },
): ServiceWorkerState;

export function useRecord<T = Record<string, unknown>>(
  store: RecordStore | null | undefined,
  resource: string,
  id: RecordId,
): { record: T | undefined; cachedAt: number | undefined; loading: boolean; error: unknown };
export function useRecentRecords<T = Record<string, unknown>>(
  store: RecordStore | null | undefined,
  resource: string,
  limit?: number,
): { records: { record: T; cachedAt: number; lastAccess: number }[]; loading: boolean; error: unknown };

export interface OfflineBannerProps {
  status?: OnlineStatus | OnlineStatusOptions;
  title?: string;
  message?: string;
  dismissible?: boolean;
  showOnNavigation?: boolean;
}
/** The "Offline Mode" banner (showOfflineBanner) as a component. */
export function OfflineBanner(props: OfflineBannerProps): import("react").ReactElement;

export { connectOnlineManager } from "../tanstack-query/index.js";
