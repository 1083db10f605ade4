// The example apps as users adopt the package: the packed tarball installed
// into a Vite + React app (the plugin) and a webpack 5 app (the CLI), built
// by the real bundlers, served on 127.0.0.1 and driven in Chromium: one
// online visit, then offline (the browser's offline mode and the server
// unplugged), reload: the app renders with its API data, and a public/ file
// it never loaded is served. Also a `base: "./"` build served under /app/,
// and the dev servers of Vite 8 and Vite 5 (the page loads the .wasm).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { staticHandler } from "../../scripts/static.mjs";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.mjs";
import { freePort } from "../support/net.mjs";

const root = new URL("../..", import.meta.url).pathname;
const examples = join(root, "examples");
const ITEMS = { items: [{ id: 1, name: "Acme" }, { id: 2, name: "Globex" }] };

function tarball() {
  const name = readdirSync(join(root, "pkg")).find((file) => /^offline-runtime-.*\.tgz$/.test(file));
  assert.ok(name, "make pkg packed the tarball");
  return join(root, "pkg", name);
}

// Installs the freshly packed tarball into an example, as a user would.
function installPackage(example) {
  execFileSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", tarball()], {
    cwd: join(examples, example),
    stdio: "inherit",
  });
}

function run(example, command, args, env = {}) {
  const options = { cwd: join(examples, example), env: { ...process.env, ...env }, encoding: "utf8" };
  return execFileSync(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
}

// The built app under `prefix`, and a JSON API; `unplugged` drops every connection.
async function serve(dir, prefix = "/") {
  const state = { unplugged: false, apiCalls: 0 };
  const files = staticHandler({ [prefix]: dir });
  const server = createServer((req, res) => {
    if (state.unplugged) return req.socket.destroy();
    if (new URL(req.url, "http://x").pathname.endsWith("/api/items")) {
      state.apiCalls += 1;
      res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache" });
      return res.end(JSON.stringify(ITEMS));
    }
    if (!files(req, res)) res.writeHead(404).end("not found");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, state, origin: `http://127.0.0.1:${server.address().port}` };
}

let browser;
before(async () => {
  for (const example of ["vite-react", "vite5", "webpack"]) installPackage(example);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
});

// Online once (the worker installs and takes control), then offline: reload and check.
async function offlineJourney(site, path, { deepLink = true, oddNames = false } = {}) {
  const context = await browser.newContext();
  const errors = [];
  try {
    const page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${site.origin}${path}`);
    await page.waitForFunction(() => document.querySelectorAll("#items li").length === 2, null, { timeout: 15000 });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
    // Under the worker once, so the API answer is in its network-first cache.
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll("#items li").length === 2, null, { timeout: 15000 });
    site.state.unplugged = true;
    await context.setOffline(true);
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll("#items li").length === 2, null, { timeout: 15000 });
    const shown = await page.evaluate(async () => ({
      title: document.getElementById("title").textContent,
      items: [...document.querySelectorAll("#items li")].map((li) => li.textContent),
      catalog: document.getElementById("catalog").textContent,
      logo: document.getElementById("logo").naturalWidth > 0,
      help: await fetch("help.txt").then((r) => r.text(), (e) => `failed: ${e.message}`),
    }));
    assert.deepEqual(shown.items, ["Acme", "Globex"], "the API data came from the worker's cache");
    assert.equal(shown.title, "Organizations");
    assert.equal(shown.catalog, "Changes can't be saved offline", "the page package's .wasm runs offline");
    assert.ok(shown.logo, "public/ assets are precached");
    assert.match(shown.help, /^Help: this file is never loaded/, "a never-visited public/ file is served");
    if (oddNames) {
      // public/ files with odd names, at the URLs a browser requests for them.
      const odd = await page.evaluate(() =>
        Promise.all(["50%25off.txt", "hash%23frag.txt", "caf%C3%A9.txt"].map((url) => fetch(url).then((r) => `${r.status} ${r.headers.get("X-Offline-Runtime")}`, (e) => `failed: ${e.message}`))),
      );
      assert.deepEqual(odd, ["200 cache", "200 cache", "200 cache"], "odd names are precached and served offline");
    }
    // A navigation to a route the server never served: the SPA's index.html
    // (not with relative asset URLs, which break on deep links online too).
    if (deepLink) {
      await page.goto(`${site.origin}${path}some/deep/route`);
      await page.waitForFunction(() => document.getElementById("title") !== null, null, { timeout: 15000 });
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    site.state.unplugged = false;
  }
}

/** Asks the page's controlling worker `{type}` and resolves its reply. */
function askWorker(page, type) {
  return page.evaluate(
    (asked) =>
      new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (event) => resolve(event.data);
        navigator.serviceWorker.controller.postMessage({ type: asked }, [channel.port2]);
      }),
    type,
  );
}

// Serves a built example (under `prefix`) and runs the offline journey on it.
async function worksOffline(dir, prefix = "/", options = {}) {
  const site = await serve(dir, prefix);
  try {
    await offlineJourney(site, prefix, options);
  } finally {
    site.server.close();
  }
}

test("Vite + React with the plugin: a production build works offline", async () => {
  const output = run("vite-react", "npx", ["vite", "build", "--outDir", "dist", "--emptyOutDir"]);
  assert.match(output, /offline-runtime: sw\.js precaches \d+ files, [\d.]+ KB \(version b-[0-9a-f]+\)/, output);
  const sw = readFileSync(join(examples, "vite-react", "dist", "sw.js"), "utf8");
  assert.match(sw, /"\/assets\/offline_runtime_bg-[\w-]+\.wasm"/, "the page package's .wasm is precached");
  assert.ok(!/\.map"/.test(sw), "no source maps");
  await worksOffline(join(examples, "vite-react", "dist"), "/", { oddNames: true });
});

test("Vite + React: offline, a worker restarted without its .wasm still serves the app shell from the build's plan", async () => {
  const dist = join(examples, "vite-react", "dist");
  assert.match(readFileSync(join(dist, "sw.js"), "utf8"), /coldPlan: \{"cache":"offline-runtime-precache-b-[0-9a-f]+","paths":\[[^\]]*"\/index\.html"/);
  const site = await serve(dist);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${site.origin}/`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60000 });
    // The worker's kept .wasm gone, and no network to fetch it again: its engine cannot start.
    await page.evaluate(() => caches.delete("offline-runtime-code"));
    site.state.unplugged = true;
    await context.setOffline(true);
    const cdp = await context.newCDPSession(page);
    await cdp.send("ServiceWorker.enable");
    await cdp.send("ServiceWorker.stopAllWorkers");
    await page.goto(`${site.origin}/index.html`);
    await page.waitForFunction(() => document.getElementById("title")?.textContent === "Organizations", null, { timeout: 60000 });
    const startup = await askWorker(page, "GET_STARTUP");
    assert.ok(startup.marks.firstAnswer !== undefined && startup.marks.engineReady === undefined, `answered with no engine: ${JSON.stringify(startup)}`);
  } finally {
    await context.close();
    site.state.unplugged = false;
    site.server.close();
  }
});

test("Vite with base './', served under /app/: works offline", async () => {
  run("vite-react", "npx", ["vite", "build", "--outDir", "dist-relative", "--emptyOutDir"], { EXAMPLE_BASE: "./" });
  const sw = readFileSync(join(examples, "vite-react", "dist-relative", "sw.js"), "utf8");
  assert.match(sw, /"assets\/index-[\w-]+\.js"/, "relative manifest URLs");
  await worksOffline(join(examples, "vite-react", "dist-relative"), "/app/", { deepLink: false });
});

test("Vite: a config typo fails the build with the worker's E2103 message", () => {
  let failure = "";
  try {
    run("vite-react", "node", ["-e", 'import("offline-runtime/vite").then((m) => m.default({routes: [{name: "a", match: {path: "/"}, strategy: "cache-frist"}]}))']);
  } catch (error) {
    failure = String(error.stderr);
  }
  assert.match(failure, /E2103: offlineRuntime\.start: config\.routes\[0\]\.strategy: unknown value "cache-frist"/);
});

// Vite's dev server on the example: the page loads the .wasm and calls the
// API, with no setting beyond the plugin (Vite 5 pre-bundles dependencies).
async function devServer(example, { realWorker = false } = {}) {
  const port = await freePort();
  const dev = spawn("npx", ["vite", "--host", "127.0.0.1", "--port", String(port), "--strictPort"], {
    cwd: join(examples, example),
    env: { ...process.env, EXAMPLE_DEV_WORKER: realWorker ? "1" : "0" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  dev.stdout.on("data", (chunk) => (log += chunk));
  dev.stderr.on("data", (chunk) => (log += chunk));
  const context = await browser.newContext();
  try {
    // Up when it answers HTTP (a ceiling, not a measurement: a busy machine may take long).
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (dev.exitCode !== null) assert.fail(`vite exited (${dev.exitCode}):\n${log}`);
      const answered = await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);
      if (answered) break;
      if (Date.now() > deadline) assert.fail(`vite did not answer on ${port} in 90 s:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => document.getElementById("catalog")?.textContent.length > 0, null, { timeout: 30000 });
    assert.equal(await page.textContent("#catalog"), "Changes can't be saved offline");
    const worker = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return fetch(registration.active.scriptURL).then((r) => r.text());
    });
    if (realWorker) {
      assert.match(worker, /importScripts\("offline-runtime\/sw-loader\.js"\)/, "devOptions.enabled serves the engine");
      await page.reload();
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
      const stats = await askWorker(page, "GET_STATS");
      assert.equal(stats.version, "dev", "the engine runs in dev");
    } else {
      assert.match(worker, /off in dev/, "in dev the worker is the no-op one");
    }
    // The dev server has no API: its 404s are expected; nothing else may fail.
    assert.deepEqual(errors.filter((text) => !/404|Failed to load resource|JSON/.test(text)), [], log);
  } finally {
    await context.close();
    process.kill(-dev.pid);
  }
}

test("Vite 8 dev server: the page loads the .wasm and calls the API, with no extra setting", () => devServer("vite-react"));

test("Vite 5 dev server (dependency pre-bundling): the .wasm loads, with no extra setting", () => devServer("vite5"));

test("Vite dev server with devOptions.enabled: the real worker runs", () => devServer("vite-react", { realWorker: true }));

test("Vite 5 with its default build targets (no top-level await): a production build works offline", async () => {
  const output = run("vite5", "npx", ["vite", "build", "--outDir", "dist", "--emptyOutDir"]);
  assert.match(output, /offline-runtime: sw\.js precaches \d+ files/, output);
  await worksOffline(join(examples, "vite5", "dist"));
});

test("webpack 5 with the CLI: a production build works offline", async () => {
  const output = run("webpack", "npm", ["run", "--silent", "build"]);
  assert.match(output, /offline-runtime: sw\.js precaches 5 files/, output);
  await worksOffline(join(examples, "webpack", "dist"));
});

test("the CLI documents itself and refuses a missing directory", () => {
  assert.match(run("webpack", "npx", ["offline-runtime", "build-sw", "--help"]), /--dir <path>/);
  assert.throws(() => run("webpack", "npx", ["offline-runtime", "build-sw", "--dir", "no-such-dir"]), /--dir must name a build directory/);
});
