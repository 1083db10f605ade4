// The React CRM example (examples/react-crm: React + Vite + TanStack Query,
// the plugin, the React bindings) over the demo's API, from the packed
// tarball, in Chromium: browse online (the list, a search, 3 details), go
// offline (the browser's offline mode and the API server unplugged), reload:
// the shell, the list, the 3 details with "Last synced", the banner, a
// disabled write button; a forced write shows the coded E4007 message; back
// online: the banner goes, data refreshes, stale records are purged. Also:
// the offline integration is at most 20 lines by its own count.
// SCREENSHOTS=1 writes docs/screenshots/react-crm-offline.png.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { createDemoServer } from "../../www/server.mjs";
import { offlineLines } from "../../scripts/count-offline-lines.mjs";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.mjs";
import { waitFor } from "../support/wait.mjs";

const root = new URL("../..", import.meta.url).pathname;
const example = join(root, "examples", "react-crm");
let browser, context, page, demo, origin;
const errors = [];

before(async () => {
  const tarball = readdirSync(join(root, "pkg")).find((file) => /^offline-runtime-.*\.tgz$/.test(file));
  execFileSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", join(root, "pkg", tarball)], { cwd: example, stdio: "inherit" });
  execFileSync("npx", ["vite", "build", "--emptyOutDir"], { cwd: example, stdio: ["ignore", "ignore", "inherit"] });
  demo = createDemoServer({ site: join(example, "dist"), testSwitches: true });
  await new Promise((resolve) => demo.server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${demo.server.address().port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 900, height: 640 } });
  page = await context.newPage();
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
});

after(async () => {
  await browser?.close();
  demo?.server.close();
});

async function goOffline(offline) {
  demo.state.unplugged = offline;
  await context.setOffline(offline);
}

const names = () => page.$$eval("#contacts li", (items) => items.map((item) => item.textContent));
// Ceilings are failure messages, not measurements: a busy machine may take long.
const wait = (predicate, arg) => page.waitForFunction(predicate, arg, { timeout: 60000 });

const viewed = [];

test("the offline integration is at most 20 lines", () => {
  const lines = offlineLines(example);
  assert.ok(lines.length <= 20, lines.map((l) => `${l.file}:${l.line} ${l.text}`).join("\n"));
  assert.ok(lines.length >= 10, "the markers are there to count");
});

test("online: the list, a search and three details; the worker takes control", async () => {
  await page.goto(`${origin}/`);
  await wait(() => document.querySelectorAll("#contacts li").length === 10);
  await wait(() => navigator.serviceWorker.controller !== null);
  await page.reload();
  await wait(() => document.querySelectorAll("#contacts li").length === 10);
  const first = await names();
  await page.fill("#search", "Lovelace");
  await wait((before) => {
    const now = [...document.querySelectorAll("#contacts li")].map((li) => li.textContent);
    return now.length > 0 && now.join() !== before && now.every((name) => name.includes("Lovelace"));
  }, first.join());
  await page.fill("#search", "");
  // The unfiltered list again (the filtered one also has 10 rows).
  await wait((expected) => [...document.querySelectorAll("#contacts li")].map((li) => li.textContent).join() === expected, first.join());
  for (const index of [0, 1, 2]) {
    const link = page.locator("#contacts li a").nth(index);
    viewed.push(await link.textContent());
    await link.click();
    await wait((name) => document.querySelector("#detail h2")?.textContent === name, viewed[index]);
    await page.goBack();
    await wait(() => document.querySelectorAll("#contacts li").length === 10);
  }
});

test("offline: reload; the list, the three details with 'Last synced', the banner, disabled writes, a coded E4007", async () => {
  await goOffline(true);
  await page.reload();
  await wait(() => document.querySelectorAll("#contacts li").length === 10);
  await wait(() => {
    const banner = document.querySelector(".ort-offline-banner");
    return banner && !banner.hidden && banner.textContent.includes("Offline Mode");
  });
  for (const [index, name] of viewed.entries()) {
    await page.locator("#contacts li a").nth(index).click();
    await wait((expected) => document.querySelector("#detail h2")?.textContent === expected, name);
    assert.match(await page.textContent("#detail .synced"), /^Last synced (just now|\d+ min ago)$/);
    if (index === 2) {
      const button = await page.$eval("#delete", (b) => ({ disabled: b.getAttribute("aria-disabled"), title: b.title }));
      assert.deepEqual(button, { disabled: "true", title: "Offline" });
      await page.click("#note");
      await wait(() => document.getElementById("note-result")?.textContent.length > 0);
      assert.equal(await page.textContent("#note-result"), "You're offline; changes can't be saved until you reconnect. (E4007)");
      if (process.env.SCREENSHOTS === "1") await page.screenshot({ path: join(root, "docs", "screenshots", "react-crm-offline.png") });
    }
    await page.goBack();
    await wait(() => document.querySelectorAll("#contacts li").length === 10);
  }
});

test("back online: the banner goes, data refreshes, stale records are purged; no errors", async () => {
  // A record viewed two days ago, as an old session left it.
  await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("offline-runtime");
        open.onsuccess = () => {
          const tx = open.result.transaction("entries", "readwrite");
          const old = Date.now() - 2 * 86_400_000;
          tx.objectStore("entries").put({ partition: "", resource: "contacts", id: 9999, record: { id: 9999, name: "Old" }, cachedAt: old, lastAccess: old });
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  // The browser's network first, then the API. The worker's network follows
  // the page's with a lag under Playwright: wait until a request through it
  // reaches the (unplugged) server, so the refresh cannot meet a worker still offline.
  await context.setOffline(false);
  await waitFor(async () => {
    await page.evaluate(() => fetch("/api/organizations?through-the-worker").catch(() => undefined));
    return demo.state.requests.includes("dropped GET /api/organizations?through-the-worker");
  }, "the worker's requests to reach the network again");
  const before = demo.state.requests.length;
  demo.state.unplugged = false;
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await wait(() => document.querySelector(".ort-offline-banner")?.hidden === true);
  await wait(() => !document.getElementById("delete") || document.getElementById("delete").getAttribute("aria-disabled") === null);
  await waitFor(() => demo.state.requests.slice(before).some((r) => r.startsWith("GET /api/contacts")), "a refresh from the server");
  const held = () =>
    page.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open("offline-runtime");
          open.onsuccess = () => {
            const get = open.result.transaction("entries").objectStore("entries").get(["", "contacts", 9999]);
            get.onsuccess = () => (open.result.close(), resolve(get.result !== undefined));
          };
        }),
    );
  await waitFor(async () => !(await held()), "the stale record to be purged on reconnect");
  const unexpected = errors.filter((text) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED|net::ERR/.test(text));
  assert.deepEqual(unexpected, []);
});
