// The build's cold-start plan (pkg/build's validateConfig: the core's
// decision for each precache entry) agrees with the engine: for a config with
// query strings, encoded names, bypassed and cross-origin entries and user
// routes, and thousands of generated requests (other queries, trailing
// slashes, other origins, other methods, Range headers), the loader answers
// from the plan (engine.js `coldAnswer`) exactly the requests the engine would
// send to the precache, and nothing else.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";
import { validateConfig } from "../../pkg/build/service-worker.mjs";

const root = new URL("../..", import.meta.url).pathname;
const sw = join(root, "pkg", "sw");
const core = vm.runInThisContext(`(function () {\n${readFileSync(join(sw, "offline_runtime.js"), "utf8")}\nreturn wasm_bindgen;\n})()`);
core.initSync({ module: readFileSync(join(sw, "offline_runtime_bg.wasm")) });
const shell = vm.runInThisContext(`(function () {\n${readFileSync(join(sw, "engine.js"), "utf8")}\nreturn offlineRuntimeEngine;\n})()`);

const origin = "https://app.example";
const config = {
  version: "7",
  precache: [
    { url: "/", revision: "1" },
    { url: "/index.html", revision: "1" },
    "/assets/app-3f9a.js",
    { url: "/search?q=a&page=2", revision: "1" },
    { url: "/files/annual%20report.pdf", revision: "1" },
    { url: "/api/health-page.html", revision: "1" },
    { url: "/api/seed.json", revision: "1" },
    "assets/relative-1c2d.css",
    "https://cdn.example/lib.js",
  ],
  navigationFallback: "/index.html",
  routes: [
    { name: "api", match: { pathPrefix: "/api/" }, strategy: "network-first" },
    { name: "pages", match: { navigate: true }, strategy: "network-first" },
  ],
  bypass: ["/api/health"],
};

function random(seed) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
}

test("the cold-start plan answers exactly what the engine sends to the precache", () => {
  const engine = new core.EngineCore(config, `${origin}/sw.js`);
  const plan = validateConfig(config, `${origin}/sw.js`);
  assert.equal(plan.cache, engine.settings().precacheName);
  assert.ok(plan.paths.includes("/assets/app-3f9a.js") && plan.paths.includes("/assets/relative-1c2d.css"), JSON.stringify(plan));
  assert.ok(!plan.paths.includes("/api/health-page.html"), "a bypassed entry is the network's");
  const next = random(42);
  const pick = (items) => items[Math.floor(next() * items.length)];
  const manifest = config.precache.map((entry) => (typeof entry === "string" ? entry : entry.url));
  const paths = [...plan.paths, ...manifest, "/assets/other.js", "/files/annual report.pdf", "/nowhere"];
  const variants = [
    (p) => p,
    (p) => `${p}${p.includes("?") ? "&" : "?"}v=2`,
    (p) => (p.endsWith("/") ? p : `${p}/`),
    (p) => p.replace(/\/$/, "") || "/",
    (p) => `${p}#top`,
    (p) => p.toUpperCase(),
    (p) => `${p}?`,
  ];
  let agreed = 0;
  for (let i = 0; i < 5000; i++) {
    const host = pick([origin, origin, origin, "https://cdn.example", "http://app.example"]);
    const url = new URL(pick(variants)(pick(paths)), host);
    const method = pick(["GET", "GET", "GET", "HEAD", "POST"]);
    const headers = next() < 0.15 ? { Range: "bytes=0-9" } : {};
    const mode = pick(["navigate", "no-cors", "cors"]);
    const request = new Request(url, { method, headers });
    const [planned] = engine.plan(method, url.href, "", mode === "navigate");
    const decided = planned === core.Plan.Precache;
    // A stand-in scope whose precache holds everything: an answer means "planned".
    const scope = { location: { origin }, caches: { match: (_, options) => `hit in ${options.cacheName}` } };
    const answer = shell.coldAnswer(plan, request, scope);
    if (answer !== undefined) assert.equal(answer, `hit in ${plan.cache}`);
    const fromPlan = answer !== undefined;
    // Range requests go to the engine, which cuts the stored body.
    assert.equal(fromPlan, decided && !headers.Range, `${method} ${url.href} ${JSON.stringify(headers)}`);
    agreed += 1;
  }
  assert.equal(agreed, 5000);
  engine.free();
});
