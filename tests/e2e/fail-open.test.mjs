// Fail open, in real Chromium: a worker with an invalid config runs as pure
// pass-through (one coded console error, nothing cached, requests answered
// by the network); a worker whose .wasm or engine.js cannot load never
// installs, and the page keeps working on the network.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { startServer } from "./server.mjs";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.mjs";

let browser, fixture;

before(async () => {
  fixture = await startServer();
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  fixture?.server.close();
});

test("an invalid config: one coded error, then pass-through", async () => {
  const context = await browser.newContext();
  const workerErrors = [];
  context.on("serviceworker", (worker) => worker.on("console", (m) => m.type() === "error" && workerErrors.push(m.text())));
  const page = await context.newPage();
  await page.goto(`${fixture.origin}/broken/?worker=bad-config`);
  await page.waitForFunction(() => window.appReady === true);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
  const api = await page.evaluate(async () => {
    const response = await fetch("/api/items");
    return { status: response.status, source: response.headers.get("X-Offline-Runtime") };
  });
  assert.deepEqual(api, { status: 200, source: null });
  const caches = await page.evaluate(() => caches.keys());
  assert.ok(!caches.some((name) => name.startsWith("offline-runtime-route-")), caches.join());
  assert.equal(workerErrors.length, 1, workerErrors.join("\n"));
  assert.match(workerErrors[0], /E2103.*config\.routes\[0\]\.strategy.*"cache-frist"/);
  await context.close();
});

for (const [what, worker] of [[".wasm", "missing-wasm"], ["engine.js", "missing-engine"]]) {
  test(`a${what === ".wasm" ? "" : "n"} ${what} that cannot load: the worker never installs and the page works`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${fixture.origin}/broken/?worker=${worker}`);
    await page.waitForFunction(() => window.appReady === true);
    const state = await page.evaluate(() => new Promise((resolve) => {
      const worker = window.registration.installing || window.registration.waiting || window.registration.active;
      if (!worker) return resolve("none");
      if (worker.state === "redundant") return resolve("redundant");
      worker.addEventListener("statechange", () => {
        if (worker.state === "redundant" || worker.state === "activated") resolve(worker.state);
      });
    }));
    assert.ok(state === "redundant" || state === "none", `the failed install left no worker (${state})`);
    assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration("/broken/"))?.active ?? null), null);
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller), null);
    const api = await page.evaluate(async () => (await fetch("/api/items")).status);
    assert.equal(api, 200);
    await context.close();
  });
}
