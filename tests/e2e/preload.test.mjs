// Navigation preload in Chromium: where a route for navigations is
// network-first, the worker turns preload on and answers with the preloaded
// response, so each navigation reaches the server once (with the preload
// header), warm and after the worker was stopped; configured off, once too,
// without it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.mjs";
import { startServer } from "./server.mjs";

let browser, context, page, fixture;

before(async () => {
  fixture = await startServer();
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  context = await browser.newContext();
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
  fixture?.server.close();
});

// Ceilings are failure messages, not measurements.
const wait = (predicate, arg) => page.waitForFunction(predicate, arg, { timeout: 60000 });

/** Navigates to the page and returns how often, and how, it reached the server. */
async function visit(mode, query) {
  const path = `/preload/${mode}/page?${query}`;
  const before = fixture.state.requests.length;
  await page.goto(`${fixture.origin}${path}`);
  await wait((text) => document.getElementById("page")?.textContent === text, `?${query}`);
  return {
    requests: fixture.state.requests.slice(before).filter((line) => line === `GET ${path}`).length,
    preloaded: fixture.state.preloaded.filter((url) => url === path).length,
  };
}

for (const mode of ["on", "off"]) {
  test(`preload ${mode}: every navigation reaches the server once, warm and after the worker stopped`, async () => {
    await page.goto(`${fixture.origin}/preload/${mode}/page?first`);
    await page.evaluate((scope) => navigator.serviceWorker.register(`${scope}sw.js`, { scope }), `/preload/${mode}/`);
    await wait(() => navigator.serviceWorker.controller !== null);
    const enabled = await page.evaluate(async () => (await navigator.serviceWorker.ready).navigationPreload.getState().then((state) => state.enabled));
    assert.equal(enabled, mode === "on", "the core's decision for this config");
    const warm = await visit(mode, "warm");
    const cdp = await context.newCDPSession(page);
    await cdp.send("ServiceWorker.enable");
    await cdp.send("ServiceWorker.stopAllWorkers");
    const cold = await visit(mode, "cold");
    const expected = { requests: 1, preloaded: mode === "on" ? 1 : 0 };
    assert.deepEqual(warm, expected, "warm");
    assert.deepEqual(cold, expected, "after the worker stopped");
    await cdp.detach();
  });
}
