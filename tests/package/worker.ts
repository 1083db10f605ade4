// Type-checked like usage.ts: a service worker's config written against the
// installed package's worker types (`offline-runtime/sw`), as a `// @ts-check`
// sw.js would with JSDoc.
import type { OfflineRuntimeConfig } from "offline-runtime/sw";
import type { OfflineRuntimePluginOptions } from "offline-runtime/vite";

export const config: OfflineRuntimeConfig = {
  version: "2026-12-01",
  precache: [{ url: "/", revision: "a1" }, "assets/app-3f9a1b2c.js"],
  navigationFallback: "index.html",
  routes: [
    { name: "api", match: { pathPrefix: "/api/" }, strategy: "network-first", networkTimeoutSeconds: 3 },
    { name: "remote", match: { origins: ["https://api.example.com"] }, strategy: "network-first", cachePrivate: false },
  ],
};

export const typo: OfflineRuntimeConfig = {
  // @ts-expect-error: not a strategy
  routes: [{ name: "x", match: { path: "/" }, strategy: "cache-frist" }],
};

export const plugin: OfflineRuntimePluginOptions = {
  routes: config.routes,
  maximumFileSizeBytes: 2_000_000,
  exclude: [/\.txt$/],
  // @ts-expect-error: the plugin generates the precache
  precache: [],
};

offlineRuntime.start(config);
