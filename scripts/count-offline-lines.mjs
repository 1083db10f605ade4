// Counts the lines an example app adds for offline mode: every source line
// marked `// offline` or `{/* offline */}` (imports, plugin config, wiring).
// Usage: node scripts/count-offline-lines.mjs examples/react-crm  (prints the
// count and the lines; the example test fails above its limit).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const MARKER = /(\/\/ offline$|\{\/\* offline \*\/\}$)/;

export function offlineLines(dir) {
  const files = readdirSync(dir, { recursive: true })
    .filter((path) => /\.(jsx?|tsx?|mjs)$/.test(path) && !path.includes("node_modules") && !path.startsWith("dist"))
    .map((path) => join(dir, path));
  return files.flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .map((line, i) => ({ file: relative(dir, file), line: i + 1, text: line.trim() }))
      .filter(({ text }) => MARKER.test(text)),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lines = offlineLines(process.argv[2]);
  for (const { file, line, text } of lines) console.log(`${file}:${line}  ${text}`);
  console.log(`${lines.length} lines for offline mode`);
}
