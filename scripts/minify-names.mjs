// Shortens the names a .wasm and its wasm-bindgen glue share: the imports
// (long and hashed, like `__wbg_get_8a3f0c1d2e4b5a69`), the exports and the
// import modules, each spelled once in the .wasm and again in the glue.
// binaryen renames them in the .wasm and prints the map; this rewrites the
// glue and the type declarations of the raw exports to match, and fails the
// build when a name is not where the glue's shape says it must be. Build
// step of scripts/build.mjs (release builds only: dev builds keep names).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const OWN_MODULE = "./offline_runtime_bg.js";

function fail(dir, what) {
  throw new Error(`minify-names (${dir}): ${what}; wasm-bindgen's glue changed shape, update scripts/minify-names.mjs`);
}

/** Renames the boundary of `dir`'s offline_runtime_bg.wasm and its glue. */
export function minifyNames(wasmOpt, flags, dir) {
  const wasm = join(dir, "offline_runtime_bg.wasm");
  const printed = execFileSync(wasmOpt, [...flags, "--minify-imports-and-exports-and-modules", wasm, "-o", wasm], {
    encoding: "utf8",
  });
  const map = JSON.parse(printed.slice(printed.indexOf("{")));
  const modules = new Set(WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasm))).map((i) => i.module));
  if (modules.size !== 1) fail(dir, `expected one import module after renaming, found ${modules.size}`);
  const [module] = modules;

  const gluePath = join(dir, "offline_runtime.js");
  let glue = readFileSync(gluePath, "utf8");
  // The import object: `return { __proto__: null, "<module>": importN, ... };`
  const imports = /return \{\s*__proto__: null,\s*((?:"[^"]+": import\d+,\s*)+)\};/.exec(glue);
  if (!imports) fail(dir, "no import object");
  const objects = Object.fromEntries([...imports[1].matchAll(/"([^"]+)": (import\d+)/g)].map((m) => [m[1], m[2]]));
  if (!objects[OWN_MODULE]) fail(dir, `no ${OWN_MODULE} imports`);
  // The glue's own imports are keys of its import object; a snippet's are
  // its module's exports, reached through the module namespace.
  const fromSnippets = [];
  for (const [from, name, short] of map.imports) {
    if (from === OWN_MODULE) {
      const key = new RegExp(`^(\\s+)${name.replace(/\$/g, "\\$")}:`, "m");
      const found = (glue.match(new RegExp(key.source, "gm")) || []).length;
      if (found !== 1) fail(dir, `import ${name} is a key ${found} times, not once`);
      glue = glue.replace(key, (_, space) => `${space}${short}:`);
    } else {
      if (!objects[from]) fail(dir, `import module ${from} not in the import object`);
      fromSnippets.push(`${JSON.stringify(short)}: ${objects[from]}[${JSON.stringify(name)}]`);
    }
  }
  const own = objects[OWN_MODULE];
  const merged = fromSnippets.length ? `Object.assign(${own}, { ${fromSnippets.join(", ")} })` : own;
  // (Replacer functions throughout: a short name may hold `$`.)
  glue = glue.replace(imports[0], () => `return { __proto__: null, ${JSON.stringify(module)}: ${merged} };`);
  // Exports are read as `wasm.<name>` only.
  const exportRenames = new Map(map.exports);
  glue = glue.replace(/(?<![\w$.])wasm\.([\w$]+)/g, (whole, name) => {
    const short = exportRenames.get(name);
    if (short === undefined) fail(dir, `the glue reads wasm.${name}, which the .wasm does not export`);
    return `wasm.${short}`;
  });
  // No hashed import name may be left: a glue that reaches an import another
  // way would pass the checks above and fail in browsers. (scripts/build.mjs
  // then instantiates each shipped .wasm with its glue and calls it.)
  const left = glue.match(/\b__wbg_[\w$]*_[0-9a-f]{16}\b/g);
  if (left) fail(dir, `long names left in the glue: ${[...new Set(left)].slice(0, 5).join(", ")}`);
  writeFileSync(gluePath, glue);

  // The raw exports' types: the glue's `InitOutput` interface, and the
  // .wasm's own declarations (`export const <name>:`).
  const rename = (text) =>
    text.replace(/\b(readonly |export const )([\w$]+)(?=:)/g, (whole, prefix, name) =>
      exportRenames.has(name) ? `${prefix}${exportRenames.get(name)}` : whole,
    );
  const typesPath = join(dir, "offline_runtime.d.ts");
  const types = readFileSync(typesPath, "utf8");
  const initOutput = /(?:export|declare) interface InitOutput \{[^}]*\}/.exec(types);
  if (!initOutput) fail(dir, "no InitOutput interface in offline_runtime.d.ts");
  writeFileSync(typesPath, types.replace(initOutput[0], () => rename(initOutput[0])));
  const wasmTypesPath = join(dir, "offline_runtime_bg.wasm.d.ts");
  writeFileSync(wasmTypesPath, rename(readFileSync(wasmTypesPath, "utf8")));
}
