// Where a cold start's time goes on the service worker's thread: one cold
// start of a variant's worker (ours by default; `node bench/sw-trace.mjs
// workbox`) under a Chrome trace, summed per kind of work. Tracing inflates
// every step, so compare kinds and variants, not against `make bench`.
// Needs `make pkg` first. Prints only; writes the trace to bench/.build/.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { staticHandler } from "../scripts/static.mjs";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../tests/support/chromium.mjs";
import { buildWorkbox, controlledPage, swRoutes } from "./sw-bench.mjs";

const root = new URL("..", import.meta.url).pathname;
const variant = process.argv[2] || "ours";
const tracePath = join(root, "bench", ".build", `sw-trace-${variant}.json`);
const CATEGORIES = ["devtools.timeline", "v8", "v8.execute", "disabled-by-default-v8.compile", "v8.wasm", "disabled-by-default-v8.wasm.detailed"];
// Trace event names, per kind of work.
const KINDS = {
  "scripts evaluated": ["EvaluateScript"],
  "wasm decoded (streaming)": ["wasm.OnBytesReceived"],
  "wasm finished and instantiated": ["wasm.FinishStreaming", "wasm.AsyncInstantiate", "wasm.SyncInstantiate"],
  "wasm functions compiled lazily": ["wasm.CompileLazy"],
  "JavaScript functions compiled": ["V8.CompileIgnition"],
  "microtasks (all Promise work, the compiles above included)": ["RunMicrotasks"],
};

// Milliseconds covered by the events (nested ones, like a script another imports, counted once).
function coveredMs(events) {
  let covered = 0;
  let end = -Infinity;
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    covered += Math.max(0, e.ts + e.dur - Math.max(e.ts, end));
    end = Math.max(end, e.ts + e.dur);
  }
  return covered / 1000;
}

const benchRoutes = swRoutes(await buildWorkbox());
const serveWorkerFiles = staticHandler({ "/offline-runtime/": join(root, "pkg", "sw") });
const server = createServer((req, res) => {
  if (!benchRoutes(req, res) && !serveWorkerFiles(req, res)) res.writeHead(404).end();
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const { context, page } = await controlledPage(browser, origin, variant);
  const cdp = await context.newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  // A few untraced cold starts first, as `make bench` measures them.
  for (let i = 0; i < 3; i++) {
    await cdp.send("ServiceWorker.stopAllWorkers");
    await page.evaluate(() => window.measure("/bench/assets/app.js", 1));
  }
  await cdp.send("ServiceWorker.stopAllWorkers");
  await browser.startTracing(page, { path: tracePath, categories: CATEGORIES });
  const [cold] = await page.evaluate(() => window.measure("/bench/assets/app.js", 1));
  await browser.stopTracing();

  const events = JSON.parse(readFileSync(tracePath, "utf8")).traceEvents;
  const threads = new Map(events.filter((e) => e.ph === "M" && e.name === "thread_name").map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
  const onWorker = events.filter((e) => e.ph === "X" && threads.get(`${e.pid}:${e.tid}`) === "ServiceWorker thread");
  console.log(`${variant}: cold start ${cold.toFixed(1)} ms (traced); on the worker's thread:`);
  for (const [kind, names] of Object.entries(KINDS)) {
    const matching = onWorker.filter((e) => names.includes(e.name));
    console.log(`  ${kind}: ${coveredMs(matching).toFixed(2)} ms (${matching.length} events)`);
  }
  const largest = onWorker
    .filter((e) => e.name === "wasm.CompileBaseline")
    .sort((a, b) => b.dur - a.dur)
    .slice(0, 5)
    .map((e) => `#${e.args.funcIndex} (${e.args.bodySize} B) ${(e.dur / 1000).toFixed(2)} ms`);
  if (largest.length) console.log(`  largest lazy compiles (function index, body size): ${largest.join(", ")}`);
  console.log(`trace: ${tracePath}`);
} finally {
  await browser.close();
  server.close();
}
