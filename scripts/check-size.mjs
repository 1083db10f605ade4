// Checks the gzipped size of each built target against its budget in
// wasm-pack.toml; prints a table and exits non-zero when one is over.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { parse } from "smol-toml";

const root = new URL("..", import.meta.url).pathname;
const matrix = parse(readFileSync(join(root, "wasm-pack.toml"), "utf8"));
const gzipKb = (path) => gzipSync(readFileSync(path), { level: 9 }).length / 1024;

let failed = 0;
for (const target of matrix.target) {
  const dir = join(root, target["out-dir"]);
  const wasm = gzipKb(join(dir, "offline_runtime_bg.wasm"));
  const total = wasm + gzipKb(join(dir, "offline_runtime.js"));
  for (const [what, size, budget] of [
    [".wasm", wasm, target["budget-wasm-gzip-kb"]],
    [".wasm + glue", total, target["budget-total-gzip-kb"]],
  ]) {
    const ok = size <= budget;
    failed += ok ? 0 : 1;
    console.log(`${ok ? "ok  " : "OVER"} ${target["out-dir"]}/ ${what}: ${size.toFixed(1)} KB gzipped (budget ${budget} KB)`);
  }
}
if (failed) {
  console.error(`size budget: ${failed} over budget`);
  process.exit(1);
}
