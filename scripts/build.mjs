// Builds the npm package from wasm-pack.toml: one wasm-pack build per target,
// the npm binaryen's wasm-opt on each .wasm and the names it shares with its
// glue shortened (scripts/minify-names.mjs), then the package assembled in
// pkg/ (every shipped script minified, the service-worker build under pkg/sw/,
// stylesheet, package.json).
// Usage: node scripts/build.mjs [--dev]
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { buildSync, transformSync } from "esbuild";
import { parse } from "smol-toml";
import { minifyNames } from "./minify-names.mjs";

const root = new URL("..", import.meta.url).pathname;
const matrix = parse(readFileSync(join(root, "wasm-pack.toml"), "utf8"));
const dev = process.argv.includes("--dev");

// The wasm-opt flags that say which wasm features the module uses.
const features = (flags) => flags.filter((flag) => flag.startsWith("--enable-"));

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
    minifyNames(join(root, matrix["wasm-opt"].bin), features(matrix["wasm-opt"].flags), join(root, target["out-dir"]));
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
// Every script a browser loads ships minified, as Workbox's production builds
// and the peers' bundles the benchmark weighs do: the worker fetches and
// parses its scripts at each start with no bundler in between, and a page
// without a bundler (an import map) downloads the glue as it is. Each gets a
// source map: DevTools shows the readable source, and only DevTools ever
// downloads the map.
function minifyInto(source, dest, name) {
  const { code, map } = transformSync(readFileSync(source, "utf8"), {
    minify: !dev,
    target: "es2020",
    legalComments: "none",
    banner: `/* offline-runtime ${name} (MIT) */`,
    sourcemap: "external",
    sourcefile: name,
  });
  writeFileSync(dest, `${code}//# sourceMappingURL=${basename(dest)}.map\n`);
  writeFileSync(`${dest}.map`, map);
}
// The worker's scripts: sw/, and its glue.
for (const [source, name] of [
  [join(root, sw["out-dir"], "offline_runtime.js"), "offline_runtime.js"],
  [join(root, "sw", "sw-loader.js"), "sw-loader.js"],
  [join(root, "sw", "engine.js"), "engine.js"],
]) {
  minifyInto(source, join(pkg, "sw", name), name);
}
// A call before init() finished gets a coded Error, not a TypeError from
// deep inside the glue: until then, the glue's `wasm` is a stand-in that
// throws. Fails the build if a wasm-bindgen upgrade changed the lines.
{
  const glue = join(pkg, "offline_runtime.js");
  const code = readFileSync(join(root, "src", "errors", "catalog.rs"), "utf8").match(/NOT_INITIALIZED: &str = "(E\d{4})"/)[1];
  const standIn = `const notReady = new Proxy({}, { get() {
  const error = new Error("${code}: offline-runtime was called before init() finished; await init() (or its promise) once, before any other call");
  error.code = "${code}";
  throw error;
} });
let wasmModule, wasmInstance, wasm = notReady;`;
  const text = readFileSync(glue, "utf8");
  const declarations = text.split("let wasmModule, wasmInstance, wasm;").length - 1;
  const checks = text.split("if (wasm !== undefined) return wasm;").length - 1;
  if (declarations !== 1 || checks !== 2) throw new Error(`the glue changed shape (${declarations} declarations, ${checks} checks): update the init guard`);
  writeFileSync(
    glue,
    text
      .replace("let wasmModule, wasmInstance, wasm;", standIn)
      .split("if (wasm !== undefined) return wasm;")
      .join("if (wasm !== notReady) return wasm;"),
  );
}
// The page's script: its glue with the snippets it imports (the JavaScript
// shells) bundled in. One module: one request for a page without a bundler,
// and one gzip stream instead of seven. Its source map holds the sources.
buildSync({
  entryPoints: [join(pkg, "offline_runtime.js")],
  outfile: join(pkg, "offline_runtime.js"),
  allowOverwrite: true,
  bundle: true,
  format: "esm",
  minify: !dev,
  target: "es2020",
  legalComments: "none",
  banner: { js: "/* offline-runtime offline_runtime.js (MIT) */" },
  sourcemap: "linked",
  logLevel: "error",
});
rmSync(join(pkg, "snippets"), { recursive: true, force: true });
// wasm-bindgen types classes with `[Symbol.dispose]`; pull in that lib so the
// package type-checks under any `lib` setting (TypeScript 5.2 or later).
for (const dts of [join(pkg, "offline_runtime.d.ts"), join(pkg, "sw", "offline_runtime.d.ts")]) {
  const text = readFileSync(dts, "utf8");
  const reference = '/// <reference lib="esnext.disposable" />\n';
  if (!text.startsWith(reference)) writeFileSync(dts, reference + text);
}
cpSync(join(root, "assets", "offline-runtime.css"), join(pkg, "offline-runtime.css"));
// Build integration (Node): the Vite plugin, the CLI and their shared core;
// the worker config's types beside the worker's files.
cpSync(join(root, "js", "build"), join(pkg, "build"), { recursive: true });
// Framework bindings and the error reporter's shell: subpaths over the package's own entry.
for (const binding of ["react", "tanstack-query", "react-admin", "reporting"]) cpSync(join(root, "js", binding), join(pkg, binding), { recursive: true });
cpSync(join(root, "sw", "sw-loader.d.ts"), join(pkg, "sw", "sw-loader.d.ts"));
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
  bin: { "offline-runtime": "./build/cli.mjs" },
  exports: {
    ".": { types: "./offline_runtime.d.ts", default: "./offline_runtime.js" },
    "./vite": { types: "./build/vite.d.ts", default: "./build/vite.mjs" },
    "./sw": { types: "./sw/sw-loader.d.ts" },
    "./react": { types: "./react/index.d.ts", default: "./react/index.mjs" },
    "./tanstack-query": { types: "./tanstack-query/index.d.ts", default: "./tanstack-query/index.mjs" },
    "./react-admin": { types: "./react-admin/index.d.ts", default: "./react-admin/index.mjs" },
    "./reporting": { types: "./reporting/index.d.ts", default: "./reporting/index.mjs" },
    "./offline-runtime.css": "./offline-runtime.css",
    "./sw/*": "./sw/*",
    "./offline_runtime_bg.wasm": "./offline_runtime_bg.wasm",
    "./package.json": "./package.json",
  },
  files: [
    "offline_runtime.js",
    "offline_runtime.js.map",
    "offline_runtime.d.ts",
    "offline_runtime_bg.wasm",
    "offline_runtime_bg.wasm.d.ts",
    "offline-runtime.css",
    "sw/",
    "build/",
    "react/",
    "tanstack-query/",
    "react-admin/",
    "reporting/",
    "README.md",
  ],
  engines: { node: ">=20" },
  peerDependencies: { vite: ">=5", react: ">=18", "@tanstack/query-core": ">=5" },
  peerDependenciesMeta: { vite: { optional: true }, react: { optional: true }, "@tanstack/query-core": { optional: true } },
  sideEffects: ["./offline-runtime.css"],
  keywords: ["offline", "service-worker", "indexeddb", "webassembly", "error-codes", "debounce"],
};
writeFileSync(join(pkg, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`package assembled in ${web["out-dir"]}/`);
