// @ts-check
// `offline-runtime/react` (shell): React hooks and components over the
// package's core. Thin: every decision (online state, debounce timing,
// freshness, the banner's rule) is the core's; this file adapts it to
// React's rendering. Works in the first render without top-level await: the
// package initialises itself on import, and hooks render with safe defaults
// (online as the browser says, no records yet) until it is ready.
import { createElement, useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import init, { OnlineStatus, debounce, registerServiceWorker, showOfflineBanner } from "../offline_runtime.js";
import { sharedOnlineStatus } from "../shared/online-status.mjs";

// React apps mostly fetch with TanStack Query: its connector, from here too.
export { connectOnlineManager } from "../tanstack-query/index.mjs";

// One initialisation for every hook (init() dedupes concurrent calls). On a
// server (no window) nothing initialises; a failure (the .wasm did not load)
// rejects whenReady() with a coded Error and is never left unhandled, while
// hooks keep their safe defaults.
let initialised = false;
const readyListeners = new Set();
const notInitialised = (reason) =>
  Object.assign(new Error(`E5000: offline-runtime/react could not initialise: ${reason}`), { code: "E5000" });
const initialising =
  typeof window === "undefined"
    ? Promise.reject(notInitialised("it runs in browsers, and there is no window here"))
    : init().then(
        () => {
          initialised = true;
          for (const listener of readyListeners) listener();
        },
        (error) => {
          throw Object.assign(notInitialised(String(error?.message ?? error)), { cause: error });
        },
      );
initialising.catch(() => undefined);

/** Resolves once the package is initialised (the same promise for every caller); rejects with E5000 if it cannot be. */
export function whenReady() {
  return initialising;
}

/** True once the package is initialised; re-renders when it becomes so. */
export function useReady() {
  return useSyncExternalStore(
    (listener) => {
      readyListeners.add(listener);
      return () => readyListeners.delete(listener);
    },
    () => initialised,
    () => false,
  );
}

// One source per OnlineStatus (the page's shared instance for given
// options), with a cached snapshot, as useSyncExternalStore needs.
const byOptions = new Map();
const byInstance = new WeakMap();

const snapshotOf = (status) => ({ online: status.online, lastOnlineAt: status.lastOnlineAt, lastChangedAt: status.lastChangedAt });

function sourceFor(statusOrOptions) {
  const isInstance = statusOrOptions instanceof OnlineStatus;
  const key = isInstance ? null : JSON.stringify(statusOrOptions ?? {});
  let source = isInstance ? byInstance.get(statusOrOptions) : byOptions.get(key);
  if (source) return source;
  source = {
    status: null,
    snapshot: { online: typeof navigator === "undefined" ? true : navigator.onLine, lastOnlineAt: undefined, lastChangedAt: Date.now() },
    listeners: new Set(),
  };
  const connect = (status) => {
    source.status = status;
    source.snapshot = snapshotOf(status);
    status.subscribe(() => {
      source.snapshot = snapshotOf(status);
      for (const listener of source.listeners) listener();
    });
    for (const listener of source.listeners) listener();
  };
  if (isInstance) {
    byInstance.set(statusOrOptions, source);
    connect(statusOrOptions);
  } else {
    byOptions.set(key, source);
    initialising.then(() => sharedOnlineStatus(statusOrOptions)).then(connect, () => undefined);
  }
  return source;
}

/**
 * The confirmed connection state: {online, lastOnlineAt, lastChangedAt}.
 * Pass OnlineStatus options (one shared instance per distinct options) or
 * your own OnlineStatus.
 */
export function useOnlineStatus(statusOrOptions) {
  const source = sourceFor(statusOrOptions);
  return useSyncExternalStore(
    (listener) => {
      source.listeners.add(listener);
      return () => source.listeners.delete(listener);
    },
    () => source.snapshot,
    () => source.snapshot,
  );
}

/** The OnlineStatus behind useOnlineStatus(statusOrOptions), once ready (else null). */
export function useOnlineStatusObject(statusOrOptions) {
  useOnlineStatus(statusOrOptions);
  return sourceFor(statusOrOptions).status;
}

/**
 * A debounced callback with lodash.debounce's semantics (the core's): stable
 * identity, always the latest `fn`, `cancel`/`flush`/`pending`, cancelled on
 * unmount. Calls made before the package is ready are kept (the last one)
 * and made once it is.
 */
export function useDebouncedCallback(fn, wait = 300, options) {
  const latest = useRef(fn);
  useEffect(() => {
    latest.current = fn;
  });
  const ready = useReady();
  const current = useRef(null);
  const early = useRef(null);
  const optionsKey = JSON.stringify(options ?? {});
  useEffect(() => {
    if (!ready) return undefined;
    const debounced = debounce((...args) => latest.current(...args), wait, JSON.parse(optionsKey));
    current.current = debounced;
    if (early.current) {
      const args = early.current;
      early.current = null;
      debounced(...args);
    }
    return () => {
      debounced.cancel();
      if (current.current === debounced) current.current = null;
    };
  }, [ready, wait, optionsKey]);
  // One function for the component's life: it delegates to the current debouncer.
  const stable = useRef(null);
  if (!stable.current) {
    const call = (...args) => {
      if (current.current) return current.current(...args);
      early.current = args;
      return undefined;
    };
    call.cancel = () => {
      early.current = null;
      current.current?.cancel();
    };
    call.flush = () => current.current?.flush();
    call.pending = () => (current.current ? current.current.pending() : early.current !== null);
    stable.current = call;
  }
  return stable.current;
}

/** `value`, once it stopped changing for `wait` ms (lodash semantics; default 300). */
export function useDebouncedValue(value, wait = 300, options) {
  const [settled, setSettled] = useState(value);
  const update = useDebouncedCallback(setSettled, wait, options);
  useEffect(() => {
    update(value);
  }, [value, update]);
  return settled;
}

/**
 * Registers the worker once and follows its update flow:
 * {registered, updateReady, error, applyUpdate()} (applyUpdate tells the
 * waiting worker to take over; reload on `onControllerChange`). `ready` is
 * `registered` under its first name: elsewhere "ready" means the package
 * is initialised (whenReady, useReady, ErrorReporter.ready).
 */
export function useServiceWorker(url = "sw.js", options = {}) {
  const [state, setState] = useState({ registered: false, updateReady: false, error: undefined });
  const update = useRef(null);
  const latestOptions = useRef(options);
  useEffect(() => {
    latestOptions.current = options;
  });
  useEffect(() => {
    // The core keeps one listener per page; unmounting takes these callbacks off it.
    const mounted = new AbortController();
    initialising
      .then(() =>
        registerServiceWorker(url, {
          ...(latestOptions.current.scope ? { scope: latestOptions.current.scope } : {}),
          onUpdateReady: (ready) => {
            update.current = ready;
            setState((s) => ({ ...s, updateReady: true }));
          },
          onControllerChange: () => latestOptions.current.onControllerChange?.(),
          signal: mounted.signal,
        }),
      )
      .then(
        () => !mounted.signal.aborted && setState((s) => ({ ...s, registered: true })),
        (error) => !mounted.signal.aborted && setState((s) => ({ ...s, error })),
      );
    return () => mounted.abort();
  }, [url]);
  const applyUpdate = useCallback(() => update.current?.skipWaiting(), []);
  return { ...state, ready: state.registered, applyUpdate };
}

function useStoreRead(read, deps) {
  const [state, setState] = useState({ loading: true, error: undefined, value: undefined });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    Promise.resolve()
      .then(read)
      .then(
        (value) => live && setState({ loading: false, error: undefined, value }),
        (error) => live && setState({ loading: false, error, value: undefined }),
      );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}

/** A stored record for offline views: {record, cachedAt, loading, error} (counts as a view). */
export function useRecord(store, resource, id) {
  const { loading, error, value } = useStoreRead(() => (store ? store.get(resource, id) : undefined), [store, resource, id]);
  return { record: value?.record, cachedAt: value?.cachedAt, loading, error };
}

/** The `limit` (default 20) most recently viewed records: {records, loading, error}. */
export function useRecentRecords(store, resource, limit = 20) {
  const { loading, error, value } = useStoreRead(() => (store ? store.recent(resource, limit) : []), [store, resource, limit]);
  return { records: value ?? [], loading, error };
}

/**
 * The "Offline Mode" banner (showOfflineBanner) as a component: props are
 * its options, plus `status` (an OnlineStatus, or OnlineStatus options).
 */
export function OfflineBanner({ status, title, message, dismissible, showOnNavigation }) {
  const holder = useRef(null);
  const source = useOnlineStatusObject(status);
  const optionsKey = JSON.stringify({ title, message, dismissible, showOnNavigation });
  useEffect(() => {
    if (!source || !holder.current) return undefined;
    const options = Object.fromEntries(Object.entries(JSON.parse(optionsKey)).filter(([, v]) => v !== undefined));
    const banner = showOfflineBanner(holder.current, source, options);
    return () => banner.dispose();
  }, [source, optionsKey]);
  return createElement("div", { ref: holder, className: "ort-offline-banner-host" });
}
