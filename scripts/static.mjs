// A small static file handler over Node's standard library, shared by the demo
// server and the test harnesses: URL prefixes mapped to directories, correct
// MIME types (application/wasm matters for streaming instantiation), no
// directory escapes.
import { createReadStream, statSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".map": "application/json; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

/** Returns `(req, res) => boolean`: true when it answered the request. */
export function staticHandler(mounts) {
  const entries = Object.entries(mounts).sort((a, b) => b[0].length - a[0].length);
  return (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const mount = entries.find(([prefix]) => path.startsWith(prefix));
    if (!mount || !["GET", "HEAD"].includes(req.method)) return false;
    const [prefix, dir] = mount;
    let file = normalize(join(dir, path.slice(prefix.length)));
    if (file !== normalize(dir) && !file.startsWith(normalize(dir) + sep)) return false;
    let stat;
    try {
      stat = statSync(file);
      if (stat.isDirectory()) {
        file = join(file, "index.html");
        stat = statSync(file);
      }
    } catch {
      return false;
    }
    res.writeHead(200, {
      "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
      "Content-Length": stat.size,
      "Cache-Control": "no-cache",
    });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
    return true;
  };
}
