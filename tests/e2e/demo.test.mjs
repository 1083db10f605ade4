// The demo CRM end to end in real Chromium, as a person would use it: the
// offline journey, debounced search, coded errors with Retry, an update, and
// the record store's capacity. SCREENSHOTS=1 also writes docs/screenshots/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { createDemoServer } from "../../www/server.mjs";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.mjs";
import * as demoApp from "../support/demo.mjs";

const visit = (hash) => demoApp.visit(page, hash);
const setNetwork = (online) => demoApp.setNetwork(demo, context, online);

const root = new URL("../..", import.meta.url).pathname;
let browser, context, page, demo, origin;
const pageErrors = [];

before(async () => {
  demo = createDemoServer({ testSwitches: true });
  await new Promise((resolve) => demo.server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${demo.server.address().port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    // Network failures while offline are expected; anything else is a bug.
    if (message.type() === "error" && !/Failed to load resource|net::ERR_|error occurred when fetching the script/.test(message.text())) {
      pageErrors.push(message.text());
    }
  });
});

after(async () => {
  await browser?.close();
  demo?.server.close();
});

async function screenshot(name) {
  if (process.env.SCREENSHOTS !== "1") return;
  mkdirSync(`${root}/docs/screenshots`, { recursive: true });
  await page.screenshot({ path: `${root}/docs/screenshots/${name}.png` });
}



const status = () => page.textContent("#status");

test("1. the offline journey", async () => {
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => window.crm?.ready === true);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
  await page.reload(); // assets now pass through the worker's routes
  await page.waitForFunction(() => window.crm?.ready === true);
  for (const resource of ["contacts", "organizations", "opportunities"]) {
    await visit(`#/${resource}`);
    for (const id of [1, 2, 3]) await visit(`#/${resource}/${id}`);
  }
  await visit("#/contacts");
  await screenshot("online");

  await setNetwork(false);
  await page.reload();
  await page.waitForFunction(() => window.crm?.ready === true, null, { timeout: 15000 });
  await page.waitForSelector("#offline-banner");
  assert.equal(await status(), "Offline");
  // A registration that must fetch its script fails offline; the worker already registered is used.
  const scope = await page.evaluate(async () => {
    const { registerServiceWorker } = await import("offline-runtime");
    return (await registerServiceWorker("/sw.js?another-version")).scope;
  });
  assert.equal(scope, `${origin}/`);
  assert.ok((await page.$$("tbody tr")).length >= 20, "the contacts list came from the cache");
  assert.match(await page.textContent(".synced"), /^Last synced /);
  for (const resource of ["contacts", "organizations", "opportunities"]) {
    await visit(`#/${resource}/2`);
    assert.ok((await page.textContent("h1")).length > 0);
    assert.match(await page.textContent(".synced"), /^Last synced /, `${resource} 2 shows when it was synced`);
    const edit = await page.$("button[data-write=edit]");
    assert.equal(await edit.getAttribute("aria-disabled"), "true");
    assert.equal(await edit.getAttribute("title"), "Offline");
  }
  await screenshot("offline");
  // A write attempted anyway (the button only looks disabled) gets the coded message.
  await page.$eval("button[data-write=edit]", (button) => button.click());
  const blocked = await page.waitForSelector(".ort-toasts .ort-error[data-code=E4007]");
  assert.match(await blocked.textContent(), /You're offline; changes can't be saved until you reconnect\./);
  // The banner can be dismissed, and returns on the next page while still offline.
  await page.$eval("#offline-banner .ort-error__dismiss", (button) => button.click());
  assert.equal(await page.$("#offline-banner"), null);
  await visit("#/organizations");
  await page.waitForSelector("#offline-banner");

  await setNetwork(true);
  await page.waitForFunction(() => document.querySelector("#status").textContent === "Online", null, { timeout: 60000 });
  await page.waitForFunction(() => !document.querySelector("#offline-banner"));
  await visit("#/contacts/2");
  assert.equal(await page.$(".synced"), null, "fresh from the network again");
  assert.deepEqual(pageErrors, []);
});

test("2. search: one request after the pause, a pending indicator, instant clear", async () => {
  await visit("#/contacts");
  demo.state.requests = [];
  await page.type("input[type=search]", "ada", { delay: 40 });
  assert.equal(await page.isVisible(".spinner"), true, "the indicator shows while typing");
  await page.waitForFunction(() => document.querySelector(".spinner").hidden, null, { timeout: 5000 });
  await page.waitForTimeout(300);
  const searches = demo.state.requests.filter((r) => r.startsWith("GET /api/contacts?q="));
  assert.deepEqual(searches.map((r) => new URL(r.split(" ")[1], origin).searchParams.get("q")), ["ada"]);
  const rows = await page.$$eval("tbody tr", (trs) => trs.map((tr) => tr.textContent));
  assert.ok(rows.length > 0 && rows.every((text) => /ada/i.test(text)), rows.join("\n"));
  demo.state.requests = [];
  await page.fill("input[type=search]", "");
  await page.waitForTimeout(50);
  assert.deepEqual(demo.state.requests.filter((r) => r.startsWith("GET /api/contacts?q=")), ["GET /api/contacts?q=&page=1&pageSize=20"], "cleared: at once");
});

test("3. errors: 500, 429 and a validation problem show coded messages, and Retry works", async () => {
  Object.assign(demo.state, { failStatus: 500, failPath: "/api/organizations", failCount: 1 });
  await visit("#/organizations");
  const serverError = await page.waitForSelector("#banners .ort-error[data-code=E4004]");
  assert.equal(await serverError.$eval(".ort-error__title", (e) => e.textContent), "Unable to load organizations (E4004)");
  await serverError.$eval(".ort-error__retry", (button) => button.click());
  await page.waitForFunction(() => document.querySelectorAll("tbody tr").length > 0);

  Object.assign(demo.state, { failStatus: 429, failPath: "/api/opportunities", failCount: 1 });
  await visit("#/opportunities");
  const limited = await page.waitForSelector("#banners .ort-error[data-code=E4006]");
  assert.match(await limited.textContent(), /too often/);
  await limited.$eval(".ort-error__retry", (button) => button.click());
  await page.waitForFunction(() => document.querySelectorAll("tbody tr").length > 0);

  demo.state.failStatus = 0;
  await visit("#/contacts");
  await page.click("button[data-write=create]");
  await page.click("form.edit button");
  const invalid = await page.waitForSelector("#banners .ort-error[data-code=E2001]");
  assert.equal(await invalid.$eval(".ort-error__title", (e) => e.textContent), "Unable to save contact (E2001)");
  await page.fill("form.edit input[name=name]", "Grace Hopper");
  await invalid.$eval(".ort-error__retry", (button) => button.click());
  await page.waitForFunction(() => /^#\/contacts\/\d+$/.test(location.hash) && document.querySelector("h1")?.textContent === "Grace Hopper");
});

test("4. update: a new version is offered, taken, and the records stay", async () => {
  const before = await page.evaluate(() => window.crm.store.count("contacts"));
  assert.ok(before > 0);
  demo.state.revision = "2";
  await page.reload(); // registering again finds the new worker
  const reload = await page.waitForSelector(".update-ready .ort-error__retry", { timeout: 20000 });
  assert.equal(await reload.textContent(), "Reload");
  await Promise.all([page.waitForEvent("load", { timeout: 20000 }), reload.click()]);
  await page.waitForFunction(() => window.crm?.ready === true);
  const caches = await page.evaluate(() => caches.keys());
  assert.ok(caches.includes("offline-runtime-precache-demo-2"), caches.join());
  assert.ok(!caches.includes("offline-runtime-precache-demo-1"));
  assert.equal(await page.evaluate(() => window.crm.store.count("contacts")), before);
});

test("5. capacity: after viewing 150 records the store holds the 100 most recent", async () => {
  for (let id = 1; id <= 150; id++) await visit(`#/opportunities/${id}`);
  const held = await page.evaluate(async () => {
    const recent = await window.crm.store.recent("opportunities", 100);
    return { count: await window.crm.store.count("opportunities"), newest: recent[0].record.id, oldest: recent[99].record.id };
  });
  assert.deepEqual(held, { count: 100, newest: 150, oldest: 51 });
});
