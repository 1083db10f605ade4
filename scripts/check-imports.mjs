// Fails when the crate's top-level modules import each other in a circle
// (`crate::a` in a file of `b` and `crate::b` in a file of `a`, or longer):
// each module should sit on the ones below it.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const src = new URL("../src/", import.meta.url).pathname;
const uses = new Map(); // module -> modules it names
for (const entry of readdirSync(src, { recursive: true })) {
  const file = String(entry);
  if (!file.endsWith(".rs")) continue;
  const module = relative(src, join(src, file)).split(sep)[0].replace(/\.rs$/, "");
  const named = uses.get(module) ?? new Set();
  for (const [, other] of readFileSync(join(src, file), "utf8").matchAll(/\bcrate::([a-z_]+)/g)) {
    if (other !== module) named.add(other);
  }
  uses.set(module, named);
}

// A circle, as the path that closes it, or undefined.
function circleFrom(start) {
  const path = [];
  const visit = (module) => {
    if (path.includes(module)) return [...path.slice(path.indexOf(module)), module];
    path.push(module);
    for (const next of uses.get(module) ?? []) {
      const circle = visit(next);
      if (circle) return circle;
    }
    path.pop();
    return undefined;
  };
  return visit(start);
}

for (const module of uses.keys()) {
  const circle = circleFrom(module);
  if (circle) {
    console.error(`src/ modules import each other in a circle: ${circle.join(" -> ")}`);
    process.exit(1);
  }
}
console.log(`no import circles among src/'s ${uses.size} modules`);
