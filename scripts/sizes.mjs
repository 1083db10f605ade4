// What a browser downloads for one shipped target, gzipped (level 9): its
// .wasm, and every script in its package directory.
// Shared by scripts/check-size.mjs (budgets) and bench/run.mjs (peers).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export const gzipBytes = (bytes) => gzipSync(bytes, { level: 9 }).length;

// The scripts in `dir` (not its subdirectories: those are other entries).
const scripts = (dir) => readdirSync(dir).filter((name) => name.endsWith(".js")).map((name) => join(dir, name));

/** {wasm, total, scripts}: gzipped bytes of the .wasm and of everything, and the scripts' names. */
export function shippedSize(dir) {
  const wasm = gzipBytes(readFileSync(join(dir, "offline_runtime_bg.wasm")));
  const loaded = scripts(dir);
  const total = loaded.reduce((sum, path) => sum + gzipBytes(readFileSync(path)), wasm);
  return { wasm, total, scripts: loaded.map((path) => path.slice(dir.length + 1)) };
}
