// Package check (node --test): the packed tarball, installed into a scratch
// project in a temp dir as an npm user would, type-checks under --strict and
// loads and works in headless Chromium. Needs `make pkg` first.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync, copyFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { staticHandler } from "../../scripts/static.mjs";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.mjs";

const root = new URL("../..", import.meta.url).pathname;
const tarball = readdirSync(join(root, "pkg")).find((f) => /^offline-runtime-.*\.tgz$/.test(f));
let scratch;

before(() => {
  assert.ok(tarball, "pkg/offline-runtime-*.tgz exists (run `make pkg`)");
  scratch = mkdtempSync(join(tmpdir(), "offline-runtime-check-"));
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", join(root, "pkg", tarball)], {
    cwd: scratch,
    stdio: "inherit",
  });
});

after(() => rmSync(scratch, { recursive: true, force: true }));

test("the tarball holds the web build, the worker build, types and the stylesheet", () => {
  const installed = join(scratch, "node_modules", "offline-runtime");
  const files = readdirSync(installed, { recursive: true });
  for (const file of [
    "package.json",
    "offline_runtime.js",
    "offline_runtime.js.map",
    "offline_runtime.d.ts",
    "offline_runtime_bg.wasm",
    "offline-runtime.css",
    "README.md",
    join("sw", "offline_runtime.js"),
    join("sw", "offline_runtime_bg.wasm"),
    join("sw", "sw-loader.js"),
    join("sw", "engine.js"),
    join("sw", "engine.js.map"),
    join("sw", "sw-loader.d.ts"),
    join("build", "vite.mjs"),
    join("build", "vite.d.ts"),
    join("build", "cli.mjs"),
    join("build", "service-worker.mjs"),
    join("reporting", "index.mjs"),
    join("reporting", "index.d.ts"),
  ]) {
    assert.ok(files.includes(file), `${file} is in the package`);
  }
  const manifest = JSON.parse(execFileSync("cat", [join(installed, "package.json")]));
  assert.equal(manifest.types, "offline_runtime.d.ts");
  assert.equal(manifest.license, "MIT");
  assert.ok(manifest.repository?.url);
  assert.equal(manifest.exports["./vite"].types, "./build/vite.d.ts", "types first in the exports map");
  assert.equal(manifest.bin["offline-runtime"], "./build/cli.mjs");
});

test("publint finds nothing to fix in the package", () => {
  const publint = join(root, "node_modules", ".bin", "publint");
  const output = execFileSync(publint, ["--strict", join(scratch, "node_modules", "offline-runtime")], { encoding: "utf8" });
  assert.match(output, /All good!/, output);
});

test("a TypeScript file using the API type-checks with tsc --noEmit --strict", () => {
  for (const file of ["usage.ts", "worker.ts"]) copyFileSync(join(root, "tests", "package", file), join(scratch, file));
  writeFileSync(
    join(scratch, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { target: "es2022", module: "esnext", moduleResolution: "bundler", lib: ["es2022", "dom"] },
      files: ["usage.ts", "worker.ts"],
    }),
  );
  const tsc = join(root, "node_modules", ".bin", "tsc");
  execFileSync(tsc, ["-p", scratch, "--noEmit", "--strict"], { stdio: "inherit" });
});

test("the installed package loads in headless Chromium and its API works", async () => {
  const page = `<!doctype html><html><head>
    <script type="importmap">{"imports": {"offline-runtime": "/node_modules/offline-runtime/offline_runtime.js"}}</script>
    <link rel="stylesheet" href="/node_modules/offline-runtime/offline-runtime.css"></head>
    <body><div id="app"></div><script type="module">
      import init, * as rt from "offline-runtime";
      let early;
      try { rt.errorInfo("E2001"); } catch (e) { early = {code: e.code, message: e.message}; }
      await init();
      const app = document.getElementById("app");
      const display = rt.showError(app, rt.errorInfo("E2001"), {kind: "banner", action: "save", subject: "organization", onRetry() {}});
      let thrown;
      try { rt.formatError(null); } catch (e) { thrown = e; }
      window.result = {
        count: rt.errorCatalog().length,
        formatted: rt.formatError(rt.errorInfo("E2001"), {action: "save", subject: "organization"}),
        classified: rt.classifyError(new Response(null, {status: 503})).code,
        problemStatus: rt.toProblem("E4007").status,
        bannerText: app.querySelector(".ort-error__title").textContent,
        bannerRole: display.element.getAttribute("role"),
        styled: getComputedStyle(display.element).display,
        thrownCode: thrown && thrown.code,
        early,
        debounced: await new Promise((resolve) => {
          const debounced = rt.debounce(function (a, b) { return [this.name, a, b].join(":"); }, 5);
          debounced.call({name: "ctx"}, "x", 1);
          debounced.call({name: "ctx"}, "y", 2);
          resolve(debounced.flush());
        }),
      };
    </script></body></html>`;
  writeFileSync(join(scratch, "index.html"), page);
  const serve = staticHandler({ "/": scratch });
  const server = createServer((req, res) => serve(req, res) || res.writeHead(404).end());
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const tab = await browser.newPage();
    const errors = [];
    tab.on("pageerror", (error) => errors.push(error.message));
    await tab.goto(`http://127.0.0.1:${server.address().port}/index.html`);
    const result = await tab.waitForFunction(() => window.result).then((handle) => handle.jsonValue());
    assert.deepEqual(errors, []);
    assert.ok(result.count >= 40);
    assert.equal(result.formatted, "Unable to save organization (E2001)");
    assert.equal(result.classified, "E4005");
    assert.equal(result.problemStatus, 503);
    assert.equal(result.bannerText, "Unable to save organization (E2001)");
    assert.equal(result.bannerRole, "alert");
    assert.equal(result.styled, "flex", "the shipped stylesheet applies");
    assert.equal(result.thrownCode, "E2100");
    assert.equal(result.early?.code, "E2111", "a call before init() is a coded Error, not a TypeError");
    assert.match(result.early.message, /await init\(\)/);
    assert.equal(result.debounced, "ctx:y:2", "debounce works from the installed package (its JS snippet ships)");
  } finally {
    await browser.close();
    server.close();
  }
});
