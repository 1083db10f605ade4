// Builds the npm package from wasm-pack.toml: one wasm-pack build per target,
// the npm binaryen's wasm-opt on each .wasm, then the package assembled in
// pkg/ (service-worker build under pkg/sw/ with its scripts minified,
// stylesheet, package.json).
// Usage: node scripts/build.mjs [--dev]
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { transformSync } from "esbuild";
import { parse } from "smol-toml";

const root = new URL("..", import.meta.url).pathname;
const matrix = parse(readFileSync(join(root, "wasm-pack.toml"), "utf8"));
const dev = process.argv.includes("--dev");

function run(cmd, args) {
  console.log(`$ ${cmd} ${args.join(" ")}`);
  execFileSync(cmd, args, { cwd: root, stdio: "inherit" });
}

for (const target of matrix.target) {
  run("wasm-pack", ["build", dev ? "--dev" : "--release", "--target", target.name,
    "--out-dir", target["out-dir"], "--no-pack", "--",
    "--no-default-features", "--features", (target.features ?? []).join(",")]);
  if (!dev) {
    const wasm = join(target["out-dir"], "offline_runtime_bg.wasm");
    run(join(root, matrix["wasm-opt"].bin), [...matrix["wasm-opt"].flags, wasm, "-o", wasm]);
  }
}

// Assemble the npm package in the web target's directory.
const [web, sw] = ["web", "no-modules"].map((name) => matrix.target.find((t) => t.name === name));
const pkg = join(root, web["out-dir"]);
rmSync(join(pkg, "sw"), { recursive: true, force: true });
mkdirSync(join(pkg, "sw"));
// sw/ is self-contained: apps serve it as /offline-runtime/ and the loader
// finds its glue, engine.js and .wasm beside itself.
for (const file of ["offline_runtime.d.ts", "offline_runtime_bg.wasm"]) {
  copyFileSync(join(root, sw["out-dir"], file), join(pkg, "sw", file));
}
// The worker's scripts ship minified, as Workbox's production builds do:
// every byte is fetched and parsed at each worker start, and no bundler
// runs over a classic service worker's importScripts. Sources: sw/, the glue.
const workerScripts = [
  [join(root, sw["out-dir"], "offline_runtime.js"), "offline_runtime.js"],
  [join(root, "sw", "sw-loader.js"), "sw-loader.js"],
  [join(root, "sw", "engine.js"), "engine.js"],
];
for (const [source, name] of workerScripts) {
  // Each with a source map: DevTools shows the readable source, and only
  // DevTools ever downloads the map.
  const { code, map } = transformSync(readFileSync(source, "utf8"), {
    minify: !dev,
    target: "es2020",
    legalComments: "none",
    banner: `/* offline-runtime ${name} (MIT) */`,
    sourcemap: "external",
    sourcefile: name,
  });
  writeFileSync(join(pkg, "sw", name), `${code}//# sourceMappingURL=${name}.map\n`);
  writeFileSync(join(pkg, "sw", `${name}.map`), map);
}
// wasm-bindgen types classes with `[Symbol.dispose]`; pull in that lib so the
// package type-checks under any `lib` setting (TypeScript 5.2 or later).
for (const dts of [join(pkg, "offline_runtime.d.ts"), join(pkg, "sw", "offline_runtime.d.ts")]) {
  const text = readFileSync(dts, "utf8");
  const reference = '/// <reference lib="esnext.disposable" />\n';
  if (!text.startsWith(reference)) writeFileSync(dts, reference + text);
}
cpSync(join(root, "assets", "offline-runtime.css"), join(pkg, "offline-runtime.css"));
cpSync(join(root, "README.md"), join(pkg, "README.md"));

const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
const field = (name) => cargo.match(new RegExp(`^${name} = "([^"]*)"`, "m"))[1];
const manifest = {
  name: "offline-runtime",
  version: field("version"),
  description: field("description"),
  license: field("license"),
  repository: { type: "git", url: `git+${field("repository")}.git` },
  type: "module",
  main: "offline_runtime.js",
  module: "offline_runtime.js",
  types: "offline_runtime.d.ts",
  exports: {
    ".": { types: "./offline_runtime.d.ts", default: "./offline_runtime.js" },
    "./offline-runtime.css": "./offline-runtime.css",
    "./sw/*": "./sw/*",
    "./offline_runtime_bg.wasm": "./offline_runtime_bg.wasm",
  },
  files: [
    "offline_runtime.js",
    "offline_runtime.d.ts",
    "offline_runtime_bg.wasm",
    "offline_runtime_bg.wasm.d.ts",
    "offline-runtime.css",
    "snippets/",
    "sw/",
    "README.md",
  ],
  sideEffects: ["./offline-runtime.css"],
  keywords: ["offline", "service-worker", "indexeddb", "webassembly", "error-codes", "debounce"],
};
writeFileSync(join(pkg, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`package assembled in ${web["out-dir"]}/`);
