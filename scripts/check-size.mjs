// Checks the gzipped size of each shipped target against its budget in
// wasm-pack.toml: the .wasm alone, and everything a browser loads for it
// (scripts/sizes.mjs). Prints a table; exits non-zero when one is over.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { shippedSize } from "./sizes.mjs";

const root = new URL("..", import.meta.url).pathname;
const matrix = parse(readFileSync(join(root, "wasm-pack.toml"), "utf8"));

let failed = 0;
for (const target of matrix.target) {
  const { wasm, total, scripts } = shippedSize(join(root, target["package-dir"]));
  for (const [what, bytes, budget] of [
    [".wasm", wasm, target["budget-wasm-gzip-kb"]],
    [[".wasm", ...scripts].join(" + "), total, target["budget-total-gzip-kb"]],
  ]) {
    const kb = bytes / 1024;
    const ok = kb <= budget;
    failed += ok ? 0 : 1;
    console.log(`${ok ? "ok  " : "OVER"} ${target["package-dir"]}/ ${what}: ${kb.toFixed(1)} KB gzipped (budget ${budget} KB)`);
  }
}
if (failed) {
  console.error(`size budget: ${failed} over budget`);
  process.exit(1);
}
