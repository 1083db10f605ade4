// End to end, in real Chromium: a page registers a worker built on
// sw-loader.js; online load; then offline (the browser's offline mode and a
// server that drops every connection); reload; cached shell, assets and API
// JSON with the cache headers; a write gets the 503 problem; a never-visited
// page gets the fallback; a worker stopped while offline comes back up; an
// update is offered and taken.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { startServer } from "./server.mjs";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.mjs";
import { waitFor } from "../support/wait.mjs";

let browser, context, page, fixture;
const consoleErrors = [];
const workerLines = [];

before(async () => {
  fixture = await startServer();
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  context = await browser.newContext();
  context.on("serviceworker", (worker) => worker.on("console", (message) => workerLines.push(message.text())));
  page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
});

after(async () => {
  await browser?.close();
  fixture?.server.close();
});

async function goOffline(offline) {
  fixture.state.unplugged = offline;
  await context.setOffline(offline);
}

const fetchInPage = (path, init) =>
  page.evaluate(async ([path, init]) => {
    const response = await fetch(path, init);
    return {
      status: response.status,
      source: response.headers.get("X-Offline-Runtime"),
      cachedAt: response.headers.get("X-Offline-Runtime-Cached-At"),
      contentType: response.headers.get("Content-Type"),
      body: await response.text(),
    };
  }, [path, init]);

test("online: the worker installs, precaches and takes control", async () => {
  await page.goto(`${fixture.origin}/`);
  await page.waitForFunction(() => window.appReady === true);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
  const caches = await page.evaluate(() => caches.keys());
  assert.ok(caches.includes("offline-runtime-precache-e2e-1"), caches.join());
  assert.ok(caches.includes("offline-runtime-code"), "the loader kept its .wasm");
  const api = await fetchInPage("/api/items");
  assert.equal(api.status, 200);
  assert.equal(api.source, null, "fresh from the network");
  // Load the page again under the worker so its assets pass through the routes.
  await page.reload();
  await page.waitForFunction(() => window.appReady === true);
  const stats = await page.evaluate(() => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data);
    navigator.serviceWorker.controller.postMessage({ type: "GET_STATS" }, [channel.port2]);
  }));
  assert.equal(stats.type, "STATS");
  assert.ok(stats.routes.api.entries >= 1, JSON.stringify(stats));
  assert.ok(stats.routes.assets.entries >= 1, JSON.stringify(stats));
});

test("offline: shell, assets and API data come from the cache with headers", async () => {
  await goOffline(true);
  await page.reload();
  await page.waitForFunction(() => window.appReady === true);
  assert.equal(await page.textContent("#shell"), "App shell");
  const logoLoaded = await page.evaluate(() => document.getElementById("logo").complete && document.getElementById("logo").naturalWidth > 0);
  assert.ok(logoLoaded, "the image came from the assets cache");
  const api = await fetchInPage("/api/items");
  assert.equal(api.status, 200);
  assert.equal(api.source, "cache");
  assert.ok(Number(api.cachedAt) > Date.now() - 600_000, `cached at ${api.cachedAt}`);
  assert.equal(JSON.parse(api.body).items[0].name, "Acme");
});

test("offline: a write gets a 503 problem with E4007", async () => {
  const write = await fetchInPage("/api/items", { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } });
  assert.equal(write.status, 503);
  assert.equal(write.contentType, "application/problem+json");
  const problem = JSON.parse(write.body);
  assert.equal(problem.code, "E4007");
  assert.equal(problem.detail, "You're offline; changes can't be saved until you reconnect.");
});

test("offline: a never-visited page gets the fallback page", async () => {
  await page.goto(`${fixture.origin}/never/visited`);
  assert.equal(await page.textContent("#fallback"), "You are offline");
});

test("offline cold start: a stopped worker comes back up and serves the shell", async () => {
  const cdp = await context.newCDPSession(page);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  await page.goto(`${fixture.origin}/`);
  await page.waitForFunction(() => window.appReady === true);
  assert.equal(await page.textContent("#shell"), "App shell");
  const api = await fetchInPage("/api/items");
  assert.equal(api.source, "cache");
});

test("back online: fresh data, and a new version is offered and taken", async () => {
  await goOffline(false);
  const api = await fetchInPage("/api/items");
  assert.equal(api.source, null);
  fixture.state.requests = [];
  fixture.state.revision = "2";
  await page.evaluate(() => window.registration.update());
  await page.waitForFunction(() => window.updates.length > 0, null, { timeout: 15000 });
  await page.evaluate(() => window.updates[0].skipWaiting());
  await page.waitForFunction(() => window.controllerChanged >= 1, null, { timeout: 15000 });
  // Activation cleans up after taking control.
  const caches = await waitFor(async () => {
    const names = await page.evaluate(() => caches.keys());
    return !names.includes("offline-runtime-precache-e2e-1") && names;
  }, "activation to delete the old precache");
  assert.ok(caches.includes("offline-runtime-precache-e2e-2"), caches.join());
  assert.ok(!caches.includes("offline-runtime-precache-e2e-1"), "the old precache is gone");
  // The new version fetched what changed (its revision moved) and copied the rest.
  const fetched = fixture.state.requests.filter((r) => r.startsWith("GET ") && !r.includes("/sw.js") && !r.includes("/offline-runtime/"));
  assert.deepEqual(fetched.sort(), ["GET /", "GET /app.js"], fetched.join("\n"));
  assert.ok(caches.includes("offline-runtime-route-api"), "runtime caches survive the update");
});

test("CLEAR_CACHES (logout) deletes the runtime caches and keeps the shell", async () => {
  const reply = await page.evaluate(() => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data);
    navigator.serviceWorker.controller.postMessage({ type: "CLEAR_CACHES" }, [channel.port2]);
  }));
  assert.equal(reply.type, "CACHES_CLEARED");
  const caches = await page.evaluate(() => caches.keys());
  assert.ok(!caches.some((name) => name.startsWith("offline-runtime-route-")), caches.join());
  assert.ok(caches.includes("offline-runtime-precache-e2e-2"));
});

test("debug: one line per handled request with route, strategy (or built-in plan), outcome and time", () => {
  const line = workerLines.find((text) => /^offline-runtime: api network-first (network|timeout|hit|stale-hit) \d+ms http/.test(text));
  assert.ok(line, workerLines.slice(0, 10).join("\n"));
  assert.ok(workerLines.some((text) => /^offline-runtime: write blocked \d+ms http/.test(text)), "the blocked write was logged");
});

test("no uncaught errors in the page", () => {
  const unexpected = consoleErrors.filter((text) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED|net::ERR/.test(text));
  assert.deepEqual(unexpected, []);
});
