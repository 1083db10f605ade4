// @ts-check
// `offline-runtime/vite` (shell, Node): the Vite plugin (Vite 5 to 8). At
// build it writes sw.js with the precache manifest of the whole output (see
// ./service-worker.mjs) and copies the worker's files beside it; in dev it
// keeps Vite's dependency pre-bundling away from the package (whose .wasm it
// would otherwise replace with index.html) and serves a worker that
// intercepts nothing, unless `devOptions.enabled` asks for the real one.
//
//   import offlineRuntime from "offline-runtime/vite";
//   export default { plugins: [offlineRuntime({ routes: [...] })] };
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildServiceWorker, DEFAULTS, splitOptions, summary, validateConfig, WORKER_FILES_DIR } from "./service-worker.mjs";

const PACKAGE = "offline-runtime";

export default function offlineRuntime(options = {}) {
  const { config, build } = splitOptions(options, ["devOptions"]);
  let resolved;
  // Fail fast on a typo, before Vite builds anything (precache is generated later).
  validateConfig({ ...config, precache: [] });
  return {
    name: "offline-runtime",
    config() {
      // Pre-bundling moves the glue away from its .wasm; the package needs none of it.
      return { optimizeDeps: { exclude: [PACKAGE] } };
    },
    configResolved(value) {
      resolved = value;
    },
    configureServer(server) {
      const base = server.config.base.endsWith("/") ? server.config.base : `${server.config.base}/`;
      const swDest = build.swDest ?? DEFAULTS.swDest;
      const filesDir = build.workerFilesDir ?? DEFAULTS.workerFilesDir;
      const enabled = Boolean(build.devOptions && build.devOptions.enabled);
      server.middlewares.use((req, res, next) => {
        const path = (req.url || "").split("?")[0];
        if (path === base + swDest) {
          res.setHeader("Content-Type", "text/javascript");
          res.setHeader("Cache-Control", "no-cache");
          // Off by default in dev: a worker that caches nothing and claims nothing.
          const source = enabled
            ? `importScripts(${JSON.stringify(`${filesDir}/sw-loader.js`)});\nofflineRuntime.start(${JSON.stringify({ ...config, version: "dev" })});\n`
            : "// offline-runtime: the worker is off in dev (devOptions.enabled turns it on).\nself.addEventListener(\"install\", () => self.skipWaiting());\n";
          return res.end(source);
        }
        const prefix = `${base}${filesDir}/`;
        if (enabled && path.startsWith(prefix)) {
          const name = path.slice(prefix.length);
          if (["sw-loader.js", "engine.js", "offline_runtime.js", "offline_runtime_bg.wasm"].includes(name)) {
            res.setHeader("Content-Type", name.endsWith(".wasm") ? "application/wasm" : "text/javascript");
            return res.end(readFileSync(join(WORKER_FILES_DIR, name)));
          }
        }
        return next();
      });
    },
    closeBundle: {
      order: "post",
      sequential: true,
      handler() {
        if (!resolved || resolved.command !== "build" || resolved.build.ssr) return;
        const dir = resolve(resolved.root, resolved.build.outDir);
        const result = buildServiceWorker(dir, { ...build, base: resolved.base, config });
        for (const warning of result.warnings) resolved.logger.warn(`offline-runtime: ${warning}`);
        resolved.logger.info(summary(result, dir));
      },
    },
  };
}
