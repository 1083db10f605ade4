// The framework bindings in a real React render (StrictMode) in Chromium,
// from the packed tarball: the first render works before the .wasm is
// ready, useOnlineStatus follows the browser's events through OnlineStatus,
// useDebouncedValue/useDebouncedCallback call once after the pause, the
// OfflineBanner component shows offline, and TanStack Query's onlineManager
// follows the confirmed status.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { staticHandler } from "../../scripts/static.mjs";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.mjs";

const root = new URL("../..", import.meta.url).pathname;
let scratch, server, browser, page;

before(async () => {
  const tarball = readdirSync(join(root, "pkg")).find((f) => /^offline-runtime-.*\.tgz$/.test(f));
  scratch = mkdtempSync(join(tmpdir(), "offline-runtime-bindings-"));
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", join(root, "pkg", tarball)], { cwd: scratch, stdio: "inherit" });
  for (const [entry, out] of [["harness.jsx", "app.js"], ["admin.js", "admin.js"], ["service-worker.jsx", "service-worker.js"]]) {
    await build({
      entryPoints: [join(root, "tests", "bindings", entry)],
      bundle: true,
      format: "esm",
      outfile: join(scratch, out),
      nodePaths: [join(scratch, "node_modules"), join(root, "node_modules")],
      jsx: "automatic",
      define: { "process.env.NODE_ENV": '"development"' },
      logLevel: "error",
    });
  }
  // The glue finds its .wasm beside the script that holds it: the bundle.
  copyFileSync(join(scratch, "node_modules", "offline-runtime", "offline_runtime_bg.wasm"), join(scratch, "offline_runtime_bg.wasm"));
  writeFileSync(join(scratch, "index.html"), '<!doctype html><meta charset="utf-8"><div id="root"></div><script type="module" src="/app.js"></script>');
  writeFileSync(join(scratch, "admin.html"), '<!doctype html><meta charset="utf-8"><script type="module" src="/admin.js"></script>');
  writeFileSync(
    join(scratch, "admin-without-wasm.html"),
    '<!doctype html><meta charset="utf-8"><script>delete window.WebAssembly;</script><script type="module" src="/admin.js"></script>',
  );
  writeFileSync(join(scratch, "service-worker.html"), '<!doctype html><meta charset="utf-8"><div id="root"></div><script type="module" src="/service-worker.js"></script>');
  writeFileSync(join(scratch, "sw.js"), "self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));\n");
  const files = staticHandler({ "/": scratch });
  server = createServer((req, res) => files(req, res) || res.writeHead(404).end());
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.errors = errors;
  // The window's live "online" listeners, to see an OnlineStatus come and go.
  await page.addInitScript(() => {
    const live = new Set();
    const [add, remove] = [window.addEventListener.bind(window), window.removeEventListener.bind(window)];
    window.addEventListener = (type, listener, options) => (type === "online" && live.add(listener), add(type, listener, options));
    window.removeEventListener = (type, listener, options) => (type === "online" && live.delete(listener), remove(type, listener, options));
    window.onlineListeners = live;
  });
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.seen && window.seen.ready === true, null, { timeout: 15000 });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const seen = () => page.evaluate(() => window.seen);
const until = (predicate, arg) => page.waitForFunction(predicate, arg, { timeout: 10000 });

test("the first render needs no top-level await, and hooks switch to the core when ready", async () => {
  const state = await seen();
  assert.equal(state.firstOnline, true, "rendered with the browser's state before the .wasm was ready");
  assert.ok(state.renders >= 2);
  assert.deepEqual(page.errors, []);
});

test("useOnlineStatus and OfflineBanner follow OnlineStatus; TanStack's onlineManager too", async () => {
  assert.equal(await page.evaluate(() => window.tanstackOnline()), true);
  await page.evaluate(() => window.dispatchEvent(new Event("offline")));
  await until(() => document.getElementById("state").textContent === "offline");
  await until(() => {
    const banner = document.querySelector(".ort-offline-banner");
    return banner && !banner.hidden && banner.textContent.includes("Offline Mode");
  });
  assert.equal(await page.evaluate(() => window.tanstackOnline()), false, "queries pause on the confirmed status");
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await until(() => document.getElementById("state").textContent === "online");
  assert.equal(await page.evaluate(() => document.querySelector(".ort-offline-banner").hidden), true);
  assert.equal(await page.evaluate(() => window.tanstackOnline()), true);
  // Disconnected, onlineManager is back on the browser's events.
  await page.evaluate(() => window.disconnect());
  await page.evaluate(() => window.dispatchEvent(new Event("offline")));
  assert.equal(await page.evaluate(() => window.tanstackOnline()), false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
});

test("connectOnlineManager follows the page's shared OnlineStatus: none made per connection or per TanStack re-subscription", async () => {
  const counts = await page.evaluate(async () => {
    // Microtasks settle within a task: after one, every pending step has run.
    const settled = () => new Promise((resolve) => setTimeout(resolve, 0));
    // The harness connected TanStack at load, which made the shared instance for {}.
    const before = window.onlineListeners.size;
    const disconnect = window.connectOnlineManager(window.tanstack);
    await window.whenReady();
    await settled();
    const connected = window.onlineListeners.size;
    // TanStack runs the setup again each time a first subscriber comes back.
    for (let i = 0; i < 20; i++) window.tanstack.subscribe(() => {})();
    await settled();
    const cycled = window.onlineListeners.size;
    disconnect();
    await settled();
    return { before, connected, cycled, after: window.onlineListeners.size };
  });
  // Connecting replaces TanStack's own "online" listener; it adds no OnlineStatus.
  assert.ok(counts.connected < counts.before, `the shared instance, not a new one: ${JSON.stringify(counts)}`);
  assert.equal(counts.cycled, counts.connected, `no OnlineStatus per re-subscription: ${JSON.stringify(counts)}`);
  assert.equal(counts.after, counts.before, `nothing left behind by disconnecting: ${JSON.stringify(counts)}`);
});

test("useDebouncedValue and useDebouncedCallback fire once after the pause, with a stable identity", async () => {
  // Four keystrokes in one task, so no pause of a busy machine can fall
  // between them (typing with a delay once fired for "a" alone).
  await page.evaluate(() => {
    const input = document.querySelector("#q");
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
    for (const text of ["a", "ac", "acm", "acme"]) {
      setValue.call(input, text);
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
  await until(() => window.seen.values.length >= 1 && window.seen.callbacks.length >= 1);
  await new Promise((resolve) => setTimeout(resolve, 150));
  const state = await seen();
  assert.deepEqual(state.values, ["acme"]);
  assert.deepEqual(state.callbacks, ["acme"]);
  assert.equal(state.stableCallback, true);
  assert.deepEqual(page.errors, []);
});

test("useRecord and useRecentRecords read the store for offline views", async () => {
  await until(() => window.seen.record === "Ada" && window.seen.recent.length === 2);
  const state = await seen();
  assert.ok(state.recordCachedAt > 0);
  assert.deepEqual([...state.recent].sort(), ["Ada", "Grace"]);
});

test("react-admin: viewed records answer offline (string route ids too), lists are honest, errors are coded HttpErrors", async () => {
  const admin = await browser.newPage();
  await admin.goto(`http://127.0.0.1:${server.address().port}/admin.html`);
  await admin.waitForFunction(() => typeof window.run === "function");
  const out = await admin.evaluate(() => window.run());
  assert.deepEqual(out.online, { id: 6, name: "Ada" });
  assert.equal(out.offlineOne.name, "Ada", "getOne('6') found the record the API gave as 6");
  assert.ok(out.offlineOne._offline.cachedAt > 0, "marked as offline data, with its time");
  assert.deepEqual(out.offlineList.ids.sort(), [6, 7]);
  assert.equal(out.offlineList.total, 2, "the total is what this device holds");
  assert.deepEqual(out.offlineList.meta, { offline: true });
  assert.equal(out.missing.name, "HttpError");
  assert.match(out.missing.message, /\(E400[13]\)$/, out.missing.message);
  assert.deepEqual(out.write, { name: "HttpError", status: 503, message: "Unable to save contacts (E4007)", code: "E4007" });
  assert.deepEqual(out.notFound, { status: 404, message: "Unable to delete contacts (E5002)" });
  assert.equal(out.forbidden, 403, "a 403 rejects: the server said no");
  assert.equal(out.badGateway, "Ada", "a 502 answers from the store");
  assert.ok(out.symbolPassedThrough, "a symbol-keyed function is passed through, not wrapped as a write");
  await admin.close();
});

test("react-admin: when the package cannot load (no WebAssembly), the app's provider still answers reads and writes", async () => {
  const admin = await browser.newPage();
  await admin.goto(`http://127.0.0.1:${server.address().port}/admin-without-wasm.html`);
  await admin.waitForFunction(() => typeof window.runWithoutWasm === "function");
  assert.equal(await admin.evaluate(() => typeof WebAssembly), "undefined");
  const out = await admin.evaluate(() => window.runWithoutWasm());
  assert.deepEqual(out, { one: { id: 6, name: "Ada" }, updated: { id: 6 } });
  await admin.close();
});

test("react-admin: offline lists answer their query; writes are refused before an in-browser provider runs; every argument passes", async () => {
  const admin = await browser.newPage();
  await admin.goto(`http://127.0.0.1:${server.address().port}/admin.html`);
  await admin.waitForFunction(() => typeof window.runQueries === "function");
  const out = await admin.evaluate(() => window.runQueries());
  assert.equal(out.custom, 3, "a custom method got all three arguments");
  assert.deepEqual(out.reference, { ids: [1, 3], total: 2 }, "getManyReference keeps only the target's records");
  assert.deepEqual(out.equality, { ids: [2, 3], total: 2, meta: { offline: true } });
  assert.deepEqual(out.anyOf.ids, [4, 5, 1], "an array is any of; sorted by amount descending");
  assert.deepEqual(out.q.ids, [1, 5], "q matches text fields, ignoring case");
  assert.deepEqual(out.range.ids, [1, 5, 2]);
  assert.deepEqual(out.arrayField.ids, [1, 3], "a field holding an array matches a value it holds");
  assert.deepEqual(out.page2, { ids: [3, 4], total: 5, meta: { offline: true } });
  assert.deepEqual(out.unevaluated, { ids: [1, 5], total: 2, meta: { offline: true, unevaluatedFilters: ["owner"] } });
  assert.deepEqual(out.blocked, { name: "HttpError", status: 503, message: "Unable to save deals (E4007)" });
  assert.equal(out.blockedCustom, "Unable to save deals (E4007)", "a custom method counts as a write");
  assert.equal(out.readOffline, 5, "a custom method named in `reads` still runs offline");
  assert.equal(out.writes, 0, "the provider never saw the refused write");
  assert.deepEqual(out.received, [3, 1]);
  await admin.close();
});

test("useServiceWorker: 200 StrictMode mount/unmount cycles leave one listener each; onControllerChange fires once per change", async () => {
  const worker = await browser.newPage();
  await worker.goto(`http://127.0.0.1:${server.address().port}/service-worker.html`);
  await worker.waitForFunction(() => document.getElementById("worker")?.textContent !== "registering", null, { timeout: 60000 });
  assert.equal(await worker.textContent("#worker"), "registered");
  // The first install's claim is not a new version: wait for it to pass.
  await worker.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60000 });
  for (let i = 0; i < 200; i++) {
    await worker.evaluate((mounted) => window.toggle(mounted), i % 2 === 1);
  }
  // Ends mounted (i = 199): wait for its registration to settle.
  await worker.waitForFunction(() => document.getElementById("worker")?.textContent === "registered", null, { timeout: 60000 });
  assert.deepEqual(await worker.evaluate(() => window.liveListeners()), { controllerchange: 1, updatefound: 1 });
  // A new version takes control (as skipWaiting + clients.claim would signal it).
  const before = await worker.evaluate(() => window.seen.controllerChanges);
  await worker.evaluate(() => navigator.serviceWorker.dispatchEvent(new Event("controllerchange")));
  assert.equal((await worker.evaluate(() => window.seen.controllerChanges)) - before, 1, "once for the one mounted component");
  await worker.evaluate(() => window.toggle(false));
  await worker.waitForFunction(() => document.getElementById("worker") === null);
  await worker.evaluate(() => navigator.serviceWorker.dispatchEvent(new Event("controllerchange")));
  assert.equal((await worker.evaluate(() => window.seen.controllerChanges)) - before, 1, "not at all once unmounted");
  await worker.close();
});

test("offline-runtime/react imported on a server: no unhandled rejection, whenReady rejects with E5000", () => {
  // React itself, as the app would have it.
  symlinkSync(join(root, "node_modules", "react"), join(scratch, "node_modules", "react"));
  const out = execFileSync(
    process.execPath,
    [
      "--unhandled-rejections=strict",
      "--input-type=module",
      "-e",
      `const react = await import("offline-runtime/react");
       await new Promise((resolve) => setTimeout(resolve, 50));
       console.log(await react.whenReady().then(() => "resolved", (error) => error.message));`,
    ],
    { cwd: scratch, encoding: "utf8" },
  );
  assert.match(out.trim(), /^E5000: offline-runtime\/react could not initialise: it runs in browsers/);
});
