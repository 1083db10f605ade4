#!/usr/bin/env node
// @ts-check
// `npx offline-runtime build-sw` (shell, Node): the Vite plugin's build step
// for every other bundler (webpack, Rollup, esbuild, plain sites), run on a
// finished build directory. One implementation: ./service-worker.mjs.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { buildServiceWorker, isDirectory, splitOptions, summary } from "./service-worker.mjs";

const HELP = `Usage: offline-runtime build-sw --dir <build dir> [options]

Writes <dir>/sw.js: the offline worker with the precache manifest of every
file in <dir> (symlinked files followed; source maps and build reports such
as stats.html left out), and copies the worker's files into
<dir>/offline-runtime/. Register it from the page with
registerServiceWorker("sw.js"), under your base URL.

Options:
  --dir <path>       the finished build directory (required)
  --config <file>    a .json, or a .js/.mjs whose default export is the
                     worker config (routes, navigationFallback, bypass, ...)
                     as offlineRuntime.start takes it, without precache;
                     build options may sit beside it: include, exclude
                     (arrays of paths or RegExps), maximumFileSizeBytes,
                     precacheBudgetBytes, hashedNames (RegExp), swSrc,
                     swDest, workerFilesDir
  --sw-src <file>    your own classic worker: the manifest replaces
                     self.__OFFLINE_RUNTIME_MANIFEST (or self.__WB_MANIFEST),
                     the version self.__OFFLINE_RUNTIME_VERSION
  --base <url>       the URL the directory is served at: "/" (default),
                     "/app/", or "./" for URLs relative to the worker
  --sw-dest <path>   the worker's file, relative to --dir (default sw.js)
  -h, --help         this text

Exit status: 0 when written, 1 on a bad config (the E2103 message names the
field) or bad arguments.`;

async function loadConfig(file) {
  if (!file) return {};
  const path = resolve(file);
  if (!existsSync(path)) throw new Error(`E2100: --config ${file} does not exist`);
  if (path.endsWith(".json")) {
    const { readFileSync } = await import("node:fs");
    return JSON.parse(readFileSync(path, "utf8"));
  }
  const module = await import(pathToFileURL(path).href);
  return module.default ?? module;
}

async function main(argv) {
  const [command, ...rest] = argv;
  if (!command || command === "-h" || command === "--help") {
    console.log(HELP);
    return 0;
  }
  if (command !== "build-sw") {
    console.error(`offline-runtime: unknown command ${JSON.stringify(command)}\n\n${HELP}`);
    return 1;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      dir: { type: "string" },
      config: { type: "string" },
      "sw-src": { type: "string" },
      base: { type: "string" },
      "sw-dest": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.dir || !isDirectory(values.dir)) {
    console.error(`offline-runtime: --dir must name a build directory${values.dir ? ` (${values.dir} is not one)` : ""}\n\n${HELP}`);
    return 1;
  }
  const loaded = await loadConfig(values.config);
  const { config, build } = splitOptions(loaded);
  const dir = resolve(values.dir);
  const result = buildServiceWorker(dir, {
    ...build,
    config,
    base: values.base ?? "/",
    swSrc: values["sw-src"] ?? build.swSrc,
    swDest: values["sw-dest"] ?? build.swDest,
  });
  for (const warning of result.warnings) console.warn(`offline-runtime: warning: ${warning}`);
  console.log(summary(result, dir));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`offline-runtime: ${error.message}`);
    process.exit(1);
  },
);
