// Fails when README.md or docs/ name something that does not exist: a file
// or folder of this repository (named, or a relative link's target), a
// package subpath, or a name imported from one (or called as `rt.name` on
// the main entry). Run after `make pkg`.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const pkg = join(root, "pkg");
const documents = ["README.md", ...readdirSync(join(root, "docs"), { recursive: true }).filter((name) => String(name).endsWith(".md")).map((name) => join("docs", String(name)))];
const TOP = ["src", "sw", "js", "www", "tests", "scripts", "bench", "examples", "docs", ".ci"];
const pathPattern = new RegExp(`(?<![\\w./-])(?:${TOP.map((dir) => dir.replace(".", "\\.")).join("|")})/[\\w./-]*[\\w/]`, "g");

const { exports } = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
// Each subpath's types, where its exported names are declared.
function typesOf(subpath) {
  const entry = exports[subpath === "" ? "." : `./${subpath}`];
  const types = entry && (typeof entry === "string" ? undefined : entry.types);
  return types ? readFileSync(join(pkg, types), "utf8") : undefined;
}
const declares = (types, name) => new RegExp(`export\\s+(?:declare\\s+)?(?:default\\s+)?(?:function|class|const|let|interface|type|enum|namespace)\\s+${name}\\b|export\\s*\\{[^}]*\\b${name}\\b`).test(types);

const problems = [];
for (const document of documents) {
  const text = readFileSync(join(root, document), "utf8");
  const where = (index) => `${document}:${text.slice(0, index).split("\n").length}`;
  for (const match of text.matchAll(pathPattern)) {
    const path = match[0].replace(/[.]+$/, "");
    if (!existsSync(join(root, path))) problems.push(`${where(match.index)}: ${path} does not exist`);
  }
  for (const match of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
    if (/^[a-z]+:/.test(match[1])) continue;
    if (!existsSync(join(root, dirname(document), match[1]))) problems.push(`${where(match.index)}: the link to ${match[1]} leads nowhere`);
  }
  for (const match of text.matchAll(/"offline-runtime(?:\/([\w-]+))?"/g)) {
    const subpath = match[1] ?? "";
    if (!exports[subpath === "" ? "." : `./${subpath}`]) problems.push(`${where(match.index)}: the package has no subpath "${match[0]}"`);
  }
  for (const match of text.matchAll(/import\s+(?:\w+\s*,\s*)?\{([^}]*)\}\s+from\s+"offline-runtime(?:\/([\w-]+))?"/g)) {
    const types = typesOf(match[2] ?? "");
    if (!types) continue;
    for (const name of match[1].split(",").map((part) => part.trim().split(/\s+as\s+/)[0]).filter(Boolean)) {
      if (!declares(types, name)) problems.push(`${where(match.index)}: "offline-runtime${match[2] ? `/${match[2]}` : ""}" exports no ${name}`);
    }
  }
  const main = typesOf("");
  for (const match of text.matchAll(/\brt\.(\w+)/g)) {
    if (!declares(main, match[1])) problems.push(`${where(match.index)}: "offline-runtime" exports no ${match[1]} (rt.${match[1]})`);
  }
}
if (problems.length) {
  console.error(problems.join("\n"));
  console.error(`${problems.length} name(s) in the docs that do not exist`);
  process.exit(1);
}
console.log(`docs name only what exists (${documents.length} documents)`);
