// Faults, in real Chromium with a real worker and a fault-injecting server:
// a body that breaks mid-stream, Range requests, a write whose connection
// drops while online, a CORS failure, responses meant for one user, a
// background refresh racing a logout (CLEAR_CACHES), a captive portal's page
// or another build's .wasm served at the .wasm URL, storage too full to keep
// the .wasm, and a .wasm an older build of the package kept under the same
// config version.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { staticHandler } from "../../scripts/static.mjs";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.mjs";
import { waitFor } from "../support/wait.mjs";

const root = new URL("../..", import.meta.url).pathname;
const DOC = JSON.stringify({ rows: Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `row ${i}` })) });
const CLIP = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
const PAGE = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>faults</title>
<script>window.registered = navigator.serviceWorker.register("/sw.js");</script>`;

function workerSource(corsOrigin, precache) {
  return `importScripts("/offline-runtime/sw-loader.js");
offlineRuntime.start({
  version: "faults-1",
  precache: ${JSON.stringify(precache)},
  routes: [
    {name: "api", match: {pathPrefix: "/api/", methods: ["GET"]}, strategy: "network-first", networkTimeoutSeconds: 10},
    {name: "swr", match: {pathPrefix: "/swr/"}, strategy: "stale-while-revalidate"},
    {name: "media", match: {pathPrefix: "/media/"}, strategy: "cache-first"},
    {name: "private", match: {pathPrefix: "/private/"}, strategy: "network-first"},
    {name: "cors", match: {pathPrefix: "/cors/", origins: ["${corsOrigin}"]}, strategy: "network-first"},
  ],
  offlineWrites: "reject",
});`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// How the tab's first worker ended (activated, or redundant when its install
// failed) and the .wasm copies its loader kept.
function firstWorker(tab) {
  return tab.evaluate(async () => {
    const registration = await window.registered;
    const worker = registration.installing || registration.waiting || registration.active;
    const settled = () => worker.state === "activated" || worker.state === "redundant";
    if (!settled()) await new Promise((resolve) => worker.addEventListener("statechange", () => settled() && resolve()));
    return { state: worker.state, kept: (await (await caches.open("offline-runtime-code")).keys()).map((request) => request.url) };
  });
}

async function listen(handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

// One site: its own origin, so each test group has its own storage and quota.
async function startSite(corsOrigin, { precache = [] } = {}) {
  const state = { user: "alice", delayMs: 0, breakBody: false, dropWrites: false, writes: 0, captivePortal: false, otherBuild: false, unplugged: false };
  const serve = staticHandler({ "/offline-runtime/": join(root, "pkg", "sw") });
  const site = await listen(async (req, res) => {
    if (state.unplugged) return req.socket.destroy();
    const path = new URL(req.url, "http://x").pathname;
    const json = (body, headers = {}) => {
      res.writeHead(200, { "Content-Type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (path === "/") return res.writeHead(200, { "Content-Type": "text/html" }).end(PAGE);
    if (path === "/sw.js") {
      res.writeHead(200, { "Content-Type": "text/javascript", "Cache-Control": "no-cache" });
      return res.end(workerSource(corsOrigin, precache));
    }
    if (path === "/offline-runtime/offline_runtime_bg.wasm" && state.captivePortal) {
      return res.writeHead(200, { "Content-Type": "text/html" }).end("<!doctype html><h1>Sign in to the Wi-Fi</h1>");
    }
    // A deploy under way: this worker's scripts, another build's .wasm. Here
    // this build's with a custom section added: it links to this glue and
    // runs, so only the loader's build check can refuse it.
    if (path === "/offline-runtime/offline_runtime_bg.wasm" && state.otherBuild) {
      const wasm = readFileSync(join(root, "pkg", "sw", "offline_runtime_bg.wasm"));
      return res.writeHead(200, { "Content-Type": "application/wasm" }).end(Buffer.concat([wasm, Buffer.from([0, 2, 1, 0x78])]));
    }
    if (path === "/api/doc") {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(DOC) });
      if (!state.breakBody) return res.end(DOC);
      // Headers and the first 20 KB, then the connection resets.
      res.write(DOC.slice(0, 20_000));
      return setTimeout(() => res.socket.destroy(), 50);
    }
    if (path === "/api/slow" || path === "/swr/me") {
      const user = state.user;
      await sleep(state.delayMs);
      return json({ user });
    }
    if (path === "/media/clip.bin") {
      return res.writeHead(200, { "Content-Type": "application/octet-stream" }).end(CLIP);
    }
    if (path === "/private/profile") return json({ user: state.user }, { "Cache-Control": "private, max-age=0" });
    if (path === "/private/vary") return json({ user: state.user }, { Vary: "Accept-Encoding, Cookie", "Cache-Control": "max-age=0" });
    if (path === "/api/write" && req.method === "POST") {
      for await (const _ of req);
      state.writes += 1;
      // The server got the body; the connection drops before it answers.
      if (state.dropWrites) return req.socket.destroy();
      return res.writeHead(201).end();
    }
    if (!serve(req, res)) res.writeHead(404).end("not found");
  });
  return { ...site, state };
}

let browser, cors, site, context, page;

before(async () => {
  // Another origin that answers without CORS headers: a cross-origin fetch fails.
  cors = await listen((req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end("{}"));
  site = await startSite(cors.origin);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  context = await browser.newContext();
  page = await context.newPage();
  await page.goto(`${site.origin}/`);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
});

after(async () => {
  await browser?.close();
  site?.server.close();
  cors?.server.close();
});

async function goOffline(offline) {
  site.state.unplugged = offline;
  await context.setOffline(offline);
}

// A fetch from the page: its status, the headers that matter and the body
// (as text, or the byte values), or how it failed.
const pageFetch = (target, init = {}, bytes = false) =>
  page.evaluate(
    async ([target, init, bytes]) => {
      try {
        const response = await fetch(target, init);
        const body = bytes ? Array.from(new Uint8Array(await response.arrayBuffer())) : await response.text();
        const header = (name) => response.headers.get(name);
        return {
          status: response.status,
          source: header("X-Offline-Runtime"),
          contentRange: header("Content-Range"),
          contentType: header("Content-Type"),
          body,
        };
      } catch (error) {
        return { failed: `${error.name}: ${error.message}` };
      }
    },
    [target, init, bytes],
  );

const clearCaches = () =>
  page.evaluate(
    () =>
      new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (event) => resolve(event.data.type);
        navigator.serviceWorker.controller.postMessage({ type: "CLEAR_CACHES" }, [channel.port2]);
      }),
  );

const cachedUrls = (cacheName) =>
  page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((request) => new URL(request.url).pathname), cacheName);

const waitUntilCached = (cacheName, path) => waitFor(async () => (await cachedUrls(cacheName)).includes(path), `${path} in ${cacheName}`);

test("network-first: a body that breaks mid-stream is replaced by the cached copy", async () => {
  const good = await pageFetch("/api/doc");
  assert.equal(good.status, 200);
  assert.equal(good.body, DOC);
  await waitUntilCached("offline-runtime-route-api", "/api/doc");
  site.state.breakBody = true;
  const broken = await pageFetch("/api/doc");
  site.state.breakBody = false;
  assert.equal(broken.failed, undefined, "the page got a complete answer");
  assert.equal(broken.source, "cache");
  assert.equal(broken.body, DOC);
});

test("Range requests get a 206 built from the cached body, online and offline", async () => {
  const whole = await pageFetch("/media/clip.bin", {}, true);
  assert.equal(whole.body.length, 1000);
  await waitUntilCached("offline-runtime-route-media", "/media/clip.bin");
  const expected = Array.from({ length: 100 }, (_, i) => (100 + i) % 256);
  for (const offline of [false, true]) {
    await goOffline(offline);
    const part = await pageFetch("/media/clip.bin", { headers: { Range: "bytes=100-199" } }, true);
    assert.equal(part.status, 206, `offline: ${offline}`);
    assert.equal(part.contentRange, "bytes 100-199/1000");
    assert.deepEqual(part.body, expected);
    const tail = await pageFetch("/media/clip.bin", { headers: { Range: "bytes=-10" } }, true);
    assert.equal(tail.contentRange, "bytes 990-999/1000");
    const past = await pageFetch("/media/clip.bin", { headers: { Range: "bytes=5000-" } }, true);
    assert.equal(past.status, 416);
    assert.equal(past.contentRange, "bytes */1000");
  }
  await goOffline(false);
});

test("an online write whose connection drops is a network error, not 'offline' (E4007)", async () => {
  site.state.dropWrites = true;
  const before = site.state.writes;
  const write = await pageFetch("/api/write", { method: "POST", body: '{"name":"Acme"}' });
  site.state.dropWrites = false;
  // (Chromium may retry a POST once on a reset connection.)
  assert.ok(site.state.writes > before, "the server did get the body");
  const sent = site.state.writes;
  assert.match(write.failed ?? `answered ${write.status} ${write.body}`, /^TypeError/);
  // Offline, the same write is not sent and gets the coded answer.
  await goOffline(true);
  const offline = await pageFetch("/api/write", { method: "POST", body: "{}" });
  await goOffline(false);
  assert.equal(offline.status, 503);
  assert.equal(JSON.parse(offline.body).code, "E4007");
  assert.equal(site.state.writes, sent, "nothing was sent while offline");
});

test("a CORS failure while online is the page's own network error, not 504 E4010", async () => {
  const failed = await pageFetch(`${cors.origin}/cors/data`);
  assert.match(failed.failed ?? `answered ${failed.status} ${failed.body}`, /^TypeError/);
});

test("responses for one user (Cache-Control: private, Vary: Cookie) are not stored", async () => {
  for (const path of ["/private/profile", "/private/vary"]) {
    assert.equal((await pageFetch(path)).status, 200);
  }
  await sleep(200);
  assert.deepEqual(await cachedUrls("offline-runtime-route-private"), []);
  await goOffline(true);
  const offline = await pageFetch("/private/profile");
  await goOffline(false);
  assert.equal(offline.status, 504);
  assert.equal(JSON.parse(offline.body).code, "E4010");
});

test("CLEAR_CACHES (logout) fences refreshes in flight: the next user never gets the last one's data", async () => {
  assert.equal(JSON.parse((await pageFetch("/swr/me")).body).user, "alice");
  await waitUntilCached("offline-runtime-route-swr", "/swr/me");
  // A hit whose background refresh is slow, and a network-first fetch in flight...
  site.state.delayMs = 800;
  assert.equal(JSON.parse((await pageFetch("/swr/me")).body).user, "alice");
  const inFlight = pageFetch("/api/slow");
  // ...then alice logs out, and bob uses the browser.
  assert.equal(await clearCaches(), "CACHES_CLEARED");
  site.state.user = "bob";
  await inFlight;
  await sleep(1200);
  site.state.delayMs = 0;
  assert.deepEqual(await cachedUrls("offline-runtime-route-swr"), [], "the refresh was not stored");
  assert.deepEqual(await cachedUrls("offline-runtime-route-api"), [], "the network-first answer was not stored");
  await goOffline(true);
  const offline = await pageFetch("/swr/me");
  await goOffline(false);
  assert.notEqual(offline.body && JSON.parse(offline.body).user, "alice");
  // After the logout, caching works again for the next user.
  assert.equal(JSON.parse((await pageFetch("/swr/me")).body).user, "bob");
  await waitUntilCached("offline-runtime-route-swr", "/swr/me");
});

for (const [fault, what] of [
  ["captivePortal", "a captive portal's page"],
  ["otherBuild", "another build's .wasm (a deploy under way)"],
]) test(`${what} at the .wasm URL does not poison later installs`, async () => {
  const portal = await startSite(cors.origin);
  const isolated = await browser.newContext();
  try {
    const tab = await isolated.newPage();
    portal.state[fault] = true;
    await tab.goto(`${portal.origin}/`);
    assert.deepEqual(await firstWorker(tab), { state: "redundant", kept: [] }, "the install failed and nothing was kept");
    portal.state[fault] = false;
    await tab.evaluate(() => navigator.serviceWorker.register("/sw.js"));
    await tab.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
    const stats = await tab.evaluate(
      () =>
        new Promise((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = (event) => resolve(event.data.type);
          navigator.serviceWorker.controller.postMessage({ type: "GET_STATS" }, [channel.port2]);
        }),
    );
    assert.equal(stats, "STATS", "the engine runs once the server is fixed");
  } finally {
    await isolated.close();
    portal.server.close();
  }
});

test("a package upgrade under the same config version never runs the new scripts on the .wasm the old build kept", async () => {
  const upgraded = await startSite(cors.origin);
  const isolated = await browser.newContext();
  try {
    const tab = await isolated.newPage();
    await tab.goto(`${upgraded.origin}/favicon-free-blank`).catch(() => undefined);
    // What older builds' loaders kept for this version (the previous
    // release's key, and another build's): a module that instantiates, but
    // is not this glue's.
    await tab.evaluate(async (origin) => {
      const cache = await caches.open("offline-runtime-code");
      const module = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
      const wasm = `${origin}/offline-runtime/offline_runtime_bg.wasm`;
      for (const key of [`${wasm}?offline-runtime-version=faults-1`, `${wasm}?version=faults-1&build=1`]) {
        await cache.put(key, new Response(module, { headers: { "Content-Type": "application/wasm" } }));
      }
    }, upgraded.origin);
    await tab.goto(`${upgraded.origin}/`);
    const shipped = createHash("sha256").update(readFileSync(join(root, "pkg", "sw", "offline_runtime_bg.wasm"))).digest().readUInt32BE(0);
    assert.deepEqual(
      await firstWorker(tab),
      { state: "activated", kept: [`${upgraded.origin}/offline-runtime/offline_runtime_bg.wasm?version=faults-1&build=${shipped}`] },
      "the new worker downloaded its own .wasm, and only that copy is kept",
    );
  } finally {
    await isolated.close();
    upgraded.server.close();
  }
});

test("storage too full to keep the .wasm: the worker still installs and logs E3002, not a DOMException number", async () => {
  const full = await startSite(cors.origin);
  const isolated = await browser.newContext();
  const lines = [];
  isolated.on("serviceworker", (worker) => worker.on("console", (message) => lines.push(message.text())));
  try {
    const tab = await isolated.newPage();
    const cdp = await isolated.newCDPSession(tab);
    await tab.goto(`${full.origin}/favicon-free-blank`).catch(() => undefined);
    await cdp.send("Storage.overrideQuotaForOrigin", { origin: full.origin, quotaSize: 1 });
    await tab.goto(`${full.origin}/`);
    await tab.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
    const kept = await tab.evaluate(async () => (await (await caches.open("offline-runtime-code")).keys()).length);
    assert.equal(kept, 0, "the .wasm could not be kept");
    const line = await waitFor(() => lines.find((text) => text.includes("could not be kept")), "the worker's line saying the .wasm could not be kept");
    assert.match(line ?? lines.join("\n"), /\(E3002\)/);
    assert.ok(!lines.some((text) => /\(22\)/.test(text)), lines.join("\n"));
  } finally {
    await isolated.close();
    full.server.close();
  }
});
