// @ts-check
// Build integration's one implementation (shell, Node): from a finished
// build directory, the precache manifest (every file but source maps, each
// with a content revision, at its URL-encoded path), a version derived from
// it, the worker's files copied beside it, and sw.js generated (or the
// manifest injected into the app's own worker). The config is validated by
// the worker's own decision core (the same .wasm, loaded here in Node), so a
// typo fails the build with the E2103 message the worker would log.
// Used by the Vite plugin (./vite.mjs) and the CLI (./cli.mjs).
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, posix, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

/** Where the package's worker files are (the loader, engine.js, glue, .wasm). */
export const WORKER_FILES_DIR = fileURLToPath(new URL("../sw/", import.meta.url));
const WORKER_FILES = ["sw-loader.js", "engine.js", "offline_runtime.js", "offline_runtime_bg.wasm"];
// What a generated sw.js carries inline, in this order (the loader finds the glue and engine.js defined).
const INLINED_SCRIPTS = ["offline_runtime.js", "engine.js", "sw-loader.js"];

/** Defaults, documented in the README. */
export const DEFAULTS = {
  swDest: "sw.js",
  workerFilesDir: "offline-runtime",
  maximumFileSizeBytes: 5 * 1024 * 1024,
  // None: every file gets a content revision. A name pattern cannot tell a
  // hash from a long word (terms-and-conditions.html), and a revision that
  // never changes costs a hashed file nothing: an unchanged file is copied.
  hashedNames: null,
  exclude: [/\.map$/, /^\.vite\//, /(^|\/)\.DS_Store$/],
  // Above this total the build warns, naming the largest files.
  precacheBudgetBytes: 3 * 1024 * 1024,
};
// Build reports a bundle analyser writes into the output (rollup-plugin-visualizer's
// stats.html): never for users, left out unless `include` names them.
const BUILD_REPORTS = [/(^|\/)stats\.html$/];

/** The options the Vite plugin and the CLI read beside the worker config. */
export const BUILD_OPTIONS = [
  "swSrc",
  "swDest",
  "include",
  "exclude",
  "maximumFileSizeBytes",
  "precacheBudgetBytes",
  "hashedNames",
  "workerFilesDir",
];

/** Splits options into the worker config and the build's own (BUILD_OPTIONS and `extra`). */
export function splitOptions(options, extra = []) {
  const config = {};
  const build = {};
  for (const [key, value] of Object.entries(options)) ([...BUILD_OPTIONS, ...extra].includes(key) ? build : config)[key] = value;
  return { config, build };
}
// Placeholders an app's own worker (swSrc) may hold; Workbox's works too.
const MANIFEST_PLACEHOLDERS = ["self.__OFFLINE_RUNTIME_MANIFEST", "self.__WB_MANIFEST"];
const VERSION_PLACEHOLDER = "self.__OFFLINE_RUNTIME_VERSION";

/** A coded build error: the same codes as the runtime's. */
export function buildError(code, message) {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

let core = null;
/** The worker's decision core, loaded once into this Node process. */
function decisionCore() {
  if (!core) {
    const glue = readFileSync(join(WORKER_FILES_DIR, "offline_runtime.js"), "utf8");
    core = vm.runInThisContext(`(function () {\n${glue}\nreturn wasm_bindgen;\n})()`);
    core.initSync({ module: readFileSync(join(WORKER_FILES_DIR, "offline_runtime_bg.wasm")) });
  }
  return core;
}

/**
 * Validates a worker config as the worker at `workerUrl` will (throws the
 * E2103 error naming the field). Returns the cold-start plan: the core's
 * decision, for each precache entry, whether the worker answers it from the
 * precache (what a cold start then answers before its .wasm has loaded).
 */
export function validateConfig(config, workerUrl = "https://app.invalid/sw.js") {
  const bindgen = decisionCore();
  let engine;
  try {
    engine = new bindgen.EngineCore(config, workerUrl);
  } catch (error) {
    // Rethrown from here, as the core coded it: a stack into the .wasm's
    // glue helps nobody at build time.
    throw error.code ? Object.assign(new Error(error.message), { code: error.code }) : buildError("E2103", String(error.message));
  }
  const { origin } = new URL(workerUrl);
  const paths = [];
  for (const entry of config.precache ?? []) {
    const url = new URL(typeof entry === "string" ? entry : entry.url, workerUrl);
    const [planned] = engine.plan("GET", url.href, "", false);
    if (planned === bindgen.Plan.Precache && url.origin === origin) {
      paths.push(url.pathname + url.search);
    }
  }
  const plan = { cache: engine.settings().precacheName, paths };
  engine.free();
  return plan;
}

/**
 * A generated worker's source: the worker's scripts inline (a restarted
 * worker evaluates one script, not four), then its start with `config`, the
 * .wasm found at `workerFilesDir` (relative to the worker) and, when given,
 * the core's plan of what a cold start answers before the .wasm loads.
 * @param {object} config
 * @param {{workerFilesDir: string, coldPlan?: {cache: string, paths: string[]}}} options
 */
export function generatedWorker(config, { workerFilesDir, coldPlan }) {
  const wasmUrl = `new URL(${JSON.stringify(`${workerFilesDir}/offline_runtime_bg.wasm`)}, self.location.href).href`;
  const plan = coldPlan ? `, coldPlan: ${JSON.stringify(coldPlan)}` : "";
  return [
    "// Generated by offline-runtime at build time: the worker's scripts, then its config (with the",
    "// precache manifest of this build) and the core's plan of what a cold start answers from it.",
    ...INLINED_SCRIPTS.map((name) => readFileSync(join(WORKER_FILES_DIR, name), "utf8").replace(/\n\/\/# sourceMappingURL=\S*\s*$/, "")),
    `offlineRuntime.start(${JSON.stringify(config, null, 2)}, {wasmUrl: ${wasmUrl}${plan}});`,
    "",
  ].join("\n");
}

const toPosix = (path) => path.split(sep).join(posix.sep);
const matchesAny = (patterns, path) => patterns.some((pattern) => (typeof pattern === "string" ? path === pattern : pattern.test(path)));

/* Every file under `dir`, symlinked files followed; a symlinked directory is
 * not walked (it may loop) and comes back in `skipped`. */
function filesUnder(dir) {
  const files = [];
  const skipped = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const full = join(entry.parentPath ?? entry.path, entry.name);
    const path = toPosix(relative(dir, full));
    if (entry.isFile()) files.push(path);
    else if (entry.isSymbolicLink()) {
      let target;
      try {
        target = statSync(full);
      } catch {
        skipped.push(`${path} is a broken symlink and is not precached`);
        continue;
      }
      if (target.isFile()) files.push(path);
      else skipped.push(`${path} is a symlink to a directory, which is not followed: its files are not precached`);
    }
  }
  return { files: files.sort(), skipped };
}

/**
 * The precache manifest of `dir`: [{url, revision?}] with URLs under `base`
 * ("/", "/app/" or "./" for URLs relative to the worker), plus the files left
 * out for their size (each a warning) and the total bytes.
 */
export function precacheManifest(dir, options = {}) {
  const base = normalizeBase(options.base ?? "/");
  const skip = [
    ...DEFAULTS.exclude,
    ...(options.exclude ?? []),
    options.swDest ?? DEFAULTS.swDest,
    new RegExp(`^${escapeRegExp(options.workerFilesDir ?? DEFAULTS.workerFilesDir)}/`),
  ];
  const include = options.include ?? [];
  const limit = options.maximumFileSizeBytes ?? DEFAULTS.maximumFileSizeBytes;
  const hashed = options.hashedNames ?? DEFAULTS.hashedNames;
  const entries = [];
  const tooLarge = [];
  const reports = [];
  const sizes = [];
  let totalBytes = 0;
  const { files, skipped } = filesUnder(dir);
  for (const path of files) {
    if (matchesAny(skip, path) && !matchesAny(include, path)) continue;
    if (matchesAny(BUILD_REPORTS, path) && !matchesAny(include, path)) {
      reports.push(path);
      continue;
    }
    const bytes = readFileSync(join(dir, path));
    if (bytes.length > limit) {
      tooLarge.push({ path, bytes: bytes.length });
      continue;
    }
    totalBytes += bytes.length;
    sizes.push({ path, bytes: bytes.length });
    const encoded = path.split("/").map(encodePathSegment).join("/");
    const url = base === "./" ? encoded : base + encoded;
    entries.push(hashed?.test(path) ? { url } : { url, revision: contentHash(bytes) });
  }
  const largest = sizes.sort((a, b) => b.bytes - a.bytes).slice(0, 5);
  return { entries, tooLarge, totalBytes, base, skipped, reports, largest };
}

function normalizeBase(base) {
  if (base === "" || base === "./" || base === ".") return "./";
  // Another origin (a CDN): the precache would fetch these paths from the
  // worker's own origin and fail the install, so the build stops here.
  if (/^[a-z][a-z0-9+.-]*:/i.test(base) || base.startsWith("//")) {
    throw buildError(
      "E2103",
      `base: "${base}" is another origin; the worker precaches from its own origin only. Build the worker with a path base (e.g. "/")`,
    );
  }
  return `/${base.replace(/^\/+/, "").replace(/\/?$/, "/")}`.replace(/^\/\/$/, "/");
}

/* A file name as a URL path segment, as a browser requests it: what the URL
 * standard's path percent-encode set encodes (controls, space, " # < > ? `
 * { }, non-ASCII as UTF-8), plus "%" itself (a file named 50%off.txt is
 * /50%25off.txt) and "\" (a path separator in http(s) URLs). */
function encodePathSegment(segment) {
  let out = "";
  for (const char of segment) {
    const code = char.codePointAt(0);
    const plain = code > 0x20 && code < 0x7f && !'"#<>?`{}%\\'.includes(char);
    out += plain ? char : [...Buffer.from(char, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
  }
  return out;
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const contentHash = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);

/**
 * Builds the offline worker into `dir`. Options: `config` (as
 * offlineRuntime.start takes it, without `precache`, which is generated;
 * `version` defaults to a hash of the manifest; `navigationFallback` to
 * "index.html" when the build has one), `base`, `swSrc` (the app's
 * own classic worker holding a manifest placeholder), `swDest`, `include`,
 * `exclude`, `maximumFileSizeBytes`, `precacheBudgetBytes`, `hashedNames`,
 * `workerFilesDir`. Returns {swPath, entries, totalBytes, version, warnings,
 * reports} (`reports`: build reports left out).
 */
export function buildServiceWorker(dir, options = {}) {
  const config = { ...(options.config ?? {}) };
  // A single-page app: navigations nothing answers get its index.html.
  if (!("navigationFallback" in config) && existsSync(join(dir, "index.html"))) config.navigationFallback = "index.html";
  if ("precache" in config && !options.swSrc) {
    throw buildError("E2103", "config.precache: is generated from the build output; list extra files with `include`");
  }
  const ignored = Object.keys(options.config ?? {});
  if (options.swSrc && ignored.length) {
    throw buildError(
      "E2103",
      `swSrc: your own worker passes its config to offlineRuntime.start itself, so ${ignored.join(", ")} would be ignored; move them into ${options.swSrc}`,
    );
  }
  const swDest = options.swDest ?? DEFAULTS.swDest;
  const workerFilesDir = options.workerFilesDir ?? DEFAULTS.workerFilesDir;
  const manifest = precacheManifest(dir, { ...options, swDest, workerFilesDir });
  const precache = manifest.entries.map((entry) => (entry.revision ? entry : entry.url));
  const version = config.version ?? `b-${contentHash(Buffer.from(JSON.stringify(precache)))}`;
  const warnings = manifest.tooLarge.map(
    ({ path, bytes }) =>
      `${path} (${kb(bytes)}) is over maximumFileSizeBytes (${kb(options.maximumFileSizeBytes ?? DEFAULTS.maximumFileSizeBytes)}) and is not precached`,
  );
  warnings.push(...manifest.skipped);
  const budget = options.precacheBudgetBytes ?? DEFAULTS.precacheBudgetBytes;
  if (manifest.totalBytes > budget) {
    const largest = manifest.largest.map(({ path, bytes }) => `${path} (${kb(bytes)})`).join(", ");
    warnings.push(
      `the precache is ${kb(manifest.totalBytes)}, over precacheBudgetBytes (${kb(budget)}): every first visit downloads all of it. Largest: ${largest}. Leave files out with \`exclude\``,
    );
  }
  // Validated against the worker's URL, so relative entries resolve as they will there.
  const workerUrl = new URL(manifest.base === "./" ? swDest : manifest.base + swDest, "https://app.invalid/").href;
  let source;
  if (options.swSrc) {
    source = readFileSync(options.swSrc, "utf8");
    const placeholder = MANIFEST_PLACEHOLDERS.find((name) => source.includes(name));
    if (!placeholder) {
      throw buildError("E2103", `${options.swSrc} holds no ${MANIFEST_PLACEHOLDERS.join(" or ")} for the precache manifest`);
    }
    source = source.split(placeholder).join(JSON.stringify(precache));
    source = source.split(VERSION_PLACEHOLDER).join(JSON.stringify(version));
  } else {
    const full = { ...config, version, precache };
    const coldPlan = validateConfig(full, workerUrl);
    // With a relative base the paths are only known where the worker is served: no plan.
    source = generatedWorker(full, { workerFilesDir, coldPlan: manifest.base === "./" ? undefined : coldPlan });
  }
  const swPath = join(dir, swDest);
  mkdirSync(dirname(swPath), { recursive: true });
  writeFileSync(swPath, source);
  const filesDir = join(dirname(swPath), workerFilesDir);
  mkdirSync(filesDir, { recursive: true });
  for (const file of WORKER_FILES) copyFileSync(join(WORKER_FILES_DIR, file), join(filesDir, file));
  return { swPath, entries: manifest.entries, totalBytes: manifest.totalBytes, version, warnings, reports: manifest.reports };
}

/** The one line a build prints. */
export function summary(result, dir) {
  const where = toPosix(relative(dir, result.swPath));
  const reports = result.reports?.length ? `; left out build reports: ${result.reports.join(", ")}` : "";
  return `offline-runtime: ${where} precaches ${result.entries.length} files, ${kb(result.totalBytes)} (version ${result.version})${reports}`;
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** A stat that answers false instead of throwing. */
export function isDirectory(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
