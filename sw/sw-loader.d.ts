// Types for the service worker's side of offline-runtime: the config that
// `offlineRuntime.start` takes (the schema src/cache/config.rs validates;
// a native test keeps the keys here equal to it) and the loader's global.
// From a `// @ts-check` sw.js:
//   /** @type {import("offline-runtime/sw").OfflineRuntimeConfig} */
//   const config = {...};
//   offlineRuntime.start(config);

/** Which requests a route handles; every given condition must hold. */
export interface RouteMatch {
  /** The path starts with this ("/api/"). */
  pathPrefix?: string;
  /** The path is exactly this. */
  path?: string;
  /** `*` matches within a path segment, `**` across segments. */
  glob?: string;
  /** `Request.destination` values: "script", "style", "image", "font", "document", ... */
  destinations?: string[];
  /** Methods, any case. Default ["GET"]. */
  methods?: string[];
  /** Only navigations (true) or only other requests (false). */
  navigate?: boolean;
  /** Other origins this route reaches ("https://api.example.com"); alone, it matches every path there. */
  origins?: string[];
}

export type Strategy = "cache-first" | "network-first" | "stale-while-revalidate" | "network-only" | "cache-only";

export interface Route {
  /** Letters, digits, - and _; the cache is "offline-runtime-route-<name>". */
  name: string;
  match: RouteMatch;
  strategy: Strategy;
  /** Entries older than this are not served while the network answers. Default 86400; null: no limit. */
  maxAgeSeconds?: number | null;
  /** Least recently used entries go beyond this many. */
  maxEntries?: number;
  /** network-first: answer from the cache after this long without the network. */
  networkTimeoutSeconds?: number;
  /** network-first: bodies up to this many bytes are read before answering, so a broken one falls back to the cache. Default 2097152; 0 streams. */
  networkBufferBytes?: number;
  /** network-first: abort the losing fetch once the cache answered. Default true. */
  abortOnTimeout?: boolean;
  /** Statuses worth storing. Default [200]. */
  cacheableStatuses?: number[];
  /** Store opaque (no-cors) responses. Default false. */
  allowOpaque?: boolean;
  /** Store responses meant for one user (Cache-Control: private, Vary: Cookie/Authorization; a worker never sees Set-Cookie). Default false. */
  cachePrivate?: boolean;
}

/** A precache entry: a URL whose name carries its content hash, or a URL with a revision. */
export type PrecacheEntry = string | { url: string; revision?: string };

export interface OfflineRuntimeConfig {
  /** Names this deploy's precache. Default "1". */
  version?: string;
  /** The app shell, fetched at install. URLs absolute or relative to the worker script. */
  precache?: PrecacheEntry[];
  /** A precached page for navigations nothing else can answer. */
  navigationFallback?: string;
  /** First match wins. */
  routes?: Route[];
  /** "reject" (default): offline writes get a 503 problem+json (E4007); "passthrough" leaves them alone. */
  offlineWrites?: "reject" | "passthrough";
  /** A console line per handled request. Default false. */
  debug?: boolean;
  /** Activate new versions at once. Default false. */
  skipWaiting?: boolean;
  /** Delete runtime caches when a new version activates. Default false. */
  purgeRuntimeCachesOnUpdate?: boolean;
  /** Same-origin path prefixes never intercepted (the online probe). */
  bypass?: string[];
  /** Hand the worker's own failures (fail-open events, blocked writes, failed installs) to the page's ErrorReporter (offline-runtime/reporting), which queues and sends them. Default false. */
  errorReports?: boolean;
  /** The browser starts a navigation's request while the worker boots, and network-first routes use its answer. Default: on when a route for navigations (match.navigate true, or the "document" destination) is network-first or network-only. */
  navigationPreload?: boolean;
}

/** Where the loader finds its files, when not beside sw-loader.js; and the build's plan. */
export interface LoaderOptions {
  glueUrl?: string;
  engineUrl?: string;
  wasmUrl?: string;
  /**
   * Written by the build (the Vite plugin, `offline-runtime build-sw`) from the
   * same config: the precached requests a cold start answers from Cache
   * Storage before the .wasm has loaded. Not written by hand.
   */
  coldPlan?: { cache: string; paths: string[] };
}

export interface OfflineRuntimeLoader {
  /** Starts the engine once; call it during the worker's first evaluation. */
  start(config?: OfflineRuntimeConfig, options?: LoaderOptions): void;
  readonly started: boolean;
}

declare global {
  /** Set by `importScripts(".../sw-loader.js")`. */
  var offlineRuntime: OfflineRuntimeLoader;
}
