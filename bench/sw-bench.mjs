// Service-worker benchmarks: per-fetch cost of cached assets and
// network-first API calls, and the cold start (a stopped worker's first
// cached response), for no worker, a hand-written worker, Workbox 7 and ours.
import { build } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generatedWorker, validateConfig } from "../pkg/build/service-worker.mjs";

const root = new URL("..", import.meta.url).pathname;
export const VARIANTS = ["none", "minimal", "workbox", "ours"];
// Cold starts per variant and round: a few milliseconds each, and noisy.
export const COLD_STARTS = 9;

/** Bundles the Workbox worker; returns its path. */
export async function buildWorkbox() {
  const out = join(root, "bench", ".build", "workbox-sw.js");
  mkdirSync(join(root, "bench", ".build"), { recursive: true });
  await build({
    entryPoints: [join(root, "bench", "sw", "workbox.js")],
    bundle: true,
    minify: true,
    format: "iife",
    outfile: out,
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "error",
  });
  return out;
}

// Ours as its build would generate it: the config, and the core's cold plan for its precache.
const OURS_CONFIG = {
  version: "bench",
  precache: [{ url: "/bench/shell/app.js", revision: "1" }],
  routes: [
    { name: "pages", match: { navigate: true }, strategy: "network-first", networkTimeoutSeconds: 3 },
    { name: "assets", match: { pathPrefix: "/bench/assets/" }, strategy: "cache-first", maxAgeSeconds: 86400, maxEntries: 200 },
    { name: "api", match: { pathPrefix: "/bench/api/" }, strategy: "network-first", networkTimeoutSeconds: 3, maxAgeSeconds: 86400 },
  ],
};
const oursWorker = () =>
  generatedWorker(OURS_CONFIG, {
    workerFilesDir: "../offline-runtime",
    coldPlan: validateConfig(OURS_CONFIG, "https://app.invalid/bench/ours-sw.js"),
  });

/** Answers the benchmark's own URLs; returns true when it did. */
export function swRoutes(workboxPath) {
  const asset = "/* benchmark asset */\n" + "console.log('x');\n".repeat(600); // about 11 KB
  const ours = oursWorker();
  return (req, res) => {
    const url = new URL(req.url, "http://x");
    const path = url.pathname;
    const send = (type, body) => {
      res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-cache" });
      res.end(body);
      return true;
    };
    if (path === "/bench/sw/page.html") {
      // ?latencyMs=N: the page as a server N ms away answers it.
      const page = readFileSync(join(root, "bench", "sw", "page.html"));
      setTimeout(() => send("text/html", page), Number(url.searchParams.get("latencyMs") ?? 0));
      return true;
    }
    if (path === "/bench/minimal-sw.js") return send("text/javascript", readFileSync(join(root, "bench", "sw", "minimal.js")));
    if (path === "/bench/workbox-sw.js") return send("text/javascript", readFileSync(workboxPath));
    if (path === "/bench/ours-sw.js") return send("text/javascript", ours);
    if (path === "/bench/assets/app.js" || path === "/bench/shell/app.js") return send("text/javascript", asset);
    if (path === "/bench/api/data") return send("application/json", JSON.stringify({ items: [1, 2, 3], at: Date.now() }));
    return false;
  };
}

/** A fresh context's page controlled by `variant`'s worker, its cache filled. */
export async function controlledPage(browser, origin, variant) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/bench/sw/page.html?sw=${variant}`);
  await page.evaluate(() => window.ready);
  await page.reload(); // now controlled
  await page.evaluate(() => window.ready);
  await page.evaluate(() => window.measure("/bench/assets/app.js", 20)); // warm: cache filled
  return { context, page };
}

/** A navigation to the page again; returns when its response ended, in ms since the navigation started. */
async function navigate(page, origin, variant, latencyMs = 0) {
  await page.goto(`${origin}/bench/sw/page.html?sw=${variant}${latencyMs ? `&latencyMs=${latencyMs}` : ""}`);
  return page.evaluate(() => performance.getEntriesByType("navigation")[0].responseEnd);
}

// What each round measures per variant: warm ones by fetches in a row, cold
// ones (workers stopped before each) one at a time.
export const KINDS = ["asset", "shell", "api", "nav", "cold", "coldShell", "coldNav", "navFar", "coldNavFar"];
// A page server this far away (ms), as a real network is: with navigation
// preload a cold start overlaps the page's request.
export const FAR_MS = 50;

/** Runs every variant `rounds` times, interleaved; returns samples per variant. */
export async function measureWorkers(browser, origin, rounds, quantile) {
  const samples = Object.fromEntries(VARIANTS.map((v) => [v, Object.fromEntries(KINDS.map((kind) => [kind, []]))]));
  // Ours only: its start's steps, measured inside the worker (GET_STARTUP), per cold start.
  samples.startup = [];
  for (let round = 0; round < rounds; round++) {
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
    for (const variant of order) {
      const { context, page } = await controlledPage(browser, origin, variant);
      const median = (values) => quantile(values, 0.5);
      samples[variant].asset.push(median(await page.evaluate(() => window.measure("/bench/assets/app.js", 500))));
      samples[variant].shell.push(median(await page.evaluate(() => window.measure("/bench/shell/app.js", 500))));
      samples[variant].api.push(median(await page.evaluate(() => window.measure("/bench/api/data", 200))));
      const navs = [];
      const farNavs = [];
      for (let i = 0; i < COLD_STARTS; i++) {
        navs.push(await navigate(page, origin, variant));
        farNavs.push(await navigate(page, origin, variant, FAR_MS));
      }
      samples[variant].nav.push(median(navs));
      samples[variant].navFar.push(median(farNavs));
      if (variant !== "none") {
        const cdp = await context.newCDPSession(page);
        await cdp.send("ServiceWorker.enable");
        const stopped = async (measure) => {
          await cdp.send("ServiceWorker.stopAllWorkers");
          return measure();
        };
        const colds = { cold: [], coldShell: [], coldNav: [], coldNavFar: [] };
        for (let i = 0; i < COLD_STARTS; i++) {
          colds.cold.push(await stopped(async () => (await page.evaluate(() => window.measure("/bench/assets/app.js", 1)))[0]));
          if (variant === "ours") samples.startup.push(await page.evaluate(() => window.startup()));
          colds.coldShell.push(await stopped(async () => (await page.evaluate(() => window.measure("/bench/shell/app.js", 1)))[0]));
          colds.coldNav.push(await stopped(() => navigate(page, origin, variant)));
          colds.coldNavFar.push(await stopped(() => navigate(page, origin, variant, FAR_MS)));
        }
        for (const [kind, values] of Object.entries(colds)) samples[variant][kind].push(median(values));
      }
      await context.close();
    }
  }
  return samples;
}
