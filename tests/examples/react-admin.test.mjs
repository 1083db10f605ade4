// The react-admin example (examples/react-admin: react-admin from npm,
// ra-data-json-server over the example's own API, the plugin and the React
// and react-admin bindings), from the packed tarball, in Chromium: browse
// online, go offline (the browser's offline mode and the API unplugged),
// reload: viewed lists and records, a reference list holding only its own
// records, a filtered list, the banner visible below react-admin's app bar,
// disabled actions with the "Offline" tooltip, a save refused with E4007 and
// no success message; back online (the browser first, the API later, as
// only the confirmed status can tell): the banner goes and a record renamed
// on the server meanwhile shows its new name without a reload. Also: the
// offline integration is at most 20 lines by its own count.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { createApiServer } from "../../examples/react-admin/server.mjs";
import { offlineLines } from "../../scripts/count-offline-lines.mjs";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.mjs";
import { waitFor } from "../support/wait.mjs";

const root = new URL("../..", import.meta.url).pathname;
const example = join(root, "examples", "react-admin");
let browser, context, page, api, origin;
const errors = [];

before(async () => {
  const tarball = readdirSync(join(root, "pkg")).find((file) => /^offline-runtime-.*\.tgz$/.test(file));
  execFileSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", join(root, "pkg", tarball)], { cwd: example, stdio: "inherit" });
  execFileSync("npx", ["vite", "build", "--emptyOutDir"], { cwd: example, stdio: ["ignore", "ignore", "inherit"] });
  api = createApiServer({ site: join(example, "dist") });
  await new Promise((resolve) => api.server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${api.server.address().port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  page = await context.newPage();
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
});

after(async () => {
  await browser?.close();
  api?.server.close();
});

async function goOffline(offline) {
  api.state.unplugged = offline;
  await context.setOffline(offline);
}

// Ceilings are failure messages, not measurements: a busy machine may take long.
const wait = (predicate, arg) => page.waitForFunction(predicate, arg, { timeout: 60000 });
const visit = (hash) => page.evaluate((to) => (location.hash = to), hash);
const rows = (selector = ".RaDatagrid-tbody") =>
  page.$$eval(`${selector} tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent.trim()).filter(Boolean).join(" ")));
const rowsOf = (selector, count) => wait(([s, n]) => document.querySelectorAll(`${s} tr`).length === n, [selector, count]);
const shown = (text) => wait((t) => document.querySelector(".RaShow-main, .RaEdit-main")?.textContent.includes(t), text);
const contact = (id) => api.data.contacts.find((c) => c.id === id);

test("the offline integration is at most 20 lines", () => {
  const lines = offlineLines(example);
  assert.ok(lines.length <= 20, lines.map((l) => `${l.file}:${l.line} ${l.text}`).join("\n"));
  assert.ok(lines.length >= 8, "the markers are there to count");
});

test("online: lists, three contacts, their companies and one company's contacts; the worker takes control", async () => {
  await page.goto(`${origin}/#/contacts`);
  await rowsOf(".list-page .RaDatagrid-tbody", 10);
  await wait(() => navigator.serviceWorker.controller !== null);
  await page.reload();
  await rowsOf(".list-page .RaDatagrid-tbody", 10);
  for (const id of [1, 11, 2]) {
    await visit(`/contacts/${id}/show`);
    await shown(contact(id).last_name);
    await shown(`Company ${contact(id).companyId}`);
  }
  await visit("/companies/1/show");
  await rowsOf(".company-contacts .RaDatagrid-tbody", 4);
});

test("offline: viewed lists and records, a reference list of its own records, a filtered list, the banner, disabled actions", async () => {
  await goOffline(true);
  await visit("/contacts");
  await page.reload();
  await rowsOf(".list-page .RaDatagrid-tbody", 10);
  await wait(() => {
    const banner = document.querySelector(".ort-offline-banner");
    return banner && !banner.hidden && banner.textContent.includes("Offline Mode");
  });
  // Visible: nothing (react-admin's fixed app bar included) covers it.
  const covered = await page.$eval(".ort-offline-banner", (banner) => {
    const box = banner.getBoundingClientRect();
    const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return box.height > 0 && banner.contains(top) ? null : top?.outerHTML.slice(0, 80) ?? "off screen";
  });
  assert.equal(covered, null, `the banner is covered by ${covered}`);
  const create = await page.$eval(".RaCreateButton-root", (b) => ({ disabled: b.getAttribute("aria-disabled"), title: b.title }));
  assert.deepEqual(create, { disabled: "true", title: "Offline" });

  for (const id of [1, 11, 2]) {
    await visit(`/contacts/${id}/show`);
    await shown(contact(id).last_name);
  }
  const edit = await page.$eval(".RaEditButton-root", (b) => ({ disabled: b.getAttribute("aria-disabled"), title: b.title }));
  assert.deepEqual(edit, { disabled: "true", title: "Offline" });

  // Company 2 was never opened online; it and its contacts come from the store:
  // only the viewed contact of company 2, none of company 1's.
  await visit("/companies/2/show");
  await shown("Company 2");
  await rowsOf(".company-contacts .RaDatagrid-tbody", 1);
  assert.deepEqual(await rows(".company-contacts .RaDatagrid-tbody"), [`${contact(2).first_name} ${contact(2).last_name}`]);

  // A search never made online: answered over the viewed records.
  // (The list page's own grid: the company page before it also had a one-row grid.)
  await visit(`/contacts?filter=${encodeURIComponent(JSON.stringify({ q: "lovelace" }))}`);
  await wait(() => document.querySelector(".list-page input[name=q]")?.value === "lovelace");
  await rowsOf(".list-page .RaDatagrid-tbody", 1);
  assert.match((await rows(".list-page .RaDatagrid-tbody"))[0], new RegExp(`^1 Ada ${contact(1).last_name}`));
});

test("offline: a save is refused with E4007 and no success message", async () => {
  await visit("/contacts/1");
  await wait(() => document.querySelector("input[name=first_name]")?.value === "Ada");
  const marks = (selector) => page.$eval(selector, (b) => ({ disabled: b.getAttribute("aria-disabled"), title: b.title }));
  assert.deepEqual(await marks(".ra-delete-button"), { disabled: "true", title: "Offline" });
  await page.fill("input[name=first_name]", "Countess");
  const save = 'form button[type="submit"]';
  await wait((s) => !document.querySelector(s).disabled, save);
  assert.deepEqual(await marks(save), { disabled: "true", title: "Offline" });
  // A click is swallowed; a form submitted another way reaches the provider, which refuses it.
  await page.click(save, { force: true });
  assert.equal(await page.$(".MuiSnackbarContent-message"), null, "the swallowed click saved nothing");
  await page.$eval("form", (form) => form.requestSubmit());
  await wait(() => document.querySelector(".RaNotification-error, .MuiSnackbarContent-message")?.textContent.includes("E4007"));
  const notices = await page.$$eval(".MuiSnackbarContent-message", (items) => items.map((item) => item.textContent));
  assert.deepEqual(notices, ["Unable to save contacts (E4007)"]);
  assert.equal(contact(1).first_name, "Ada");
});

test("back online: the banner goes, actions come back, a record renamed meanwhile refreshes without a reload; no errors", async () => {
  await visit("/contacts/1/show");
  await shown(contact(1).last_name);
  contact(1).last_name = "Byron";
  // The browser's network comes back before the API does (a captive portal's
  // moment). The worker's network follows the page's with a lag under
  // Playwright: wait until a request through it reaches the (unplugged) server.
  await context.setOffline(false);
  await waitFor(async () => {
    await page.evaluate(() => fetch("/api/companies/1?through-the-worker").catch(() => undefined));
    return api.state.requests.includes("dropped GET /api/companies/1?through-the-worker");
  }, "the worker's requests to reach the network again");
  // Then the API: only the confirmed status notices (the browser said
  // online long ago), and its reconnect refetches what react-admin shows.
  api.state.unplugged = false;
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await wait(() => document.querySelector(".ort-offline-banner")?.hidden === true);
  await wait(() => document.querySelector(".RaEditButton-root")?.getAttribute("aria-disabled") === null);
  await shown("Byron");
  const unexpected = errors.filter((text) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED|net::ERR/.test(text));
  assert.deepEqual(unexpected, []);
});
