// The demo's dev server (Node's standard library only, 127.0.0.1): serves the
// app from www/ and the built package at /pkg/ (what `make pkg` produced), the
// way an npm user's bundler or static host would.
// Usage: node www/server.mjs [--port 8080]
import { createServer } from "node:http";
import { join } from "node:path";
import { staticHandler } from "../scripts/static.mjs";

const root = new URL("..", import.meta.url).pathname;
const portFlag = process.argv.indexOf("--port");
const port = Number(portFlag > 0 ? process.argv[portFlag + 1] : process.env.PORT ?? 8080);

const serve = staticHandler({ "/": join(root, "www"), "/pkg/": join(root, "pkg") });
const server = createServer((req, res) => {
  if (!serve(req, res)) {
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Not found\n");
  }
});
server.listen(port, "127.0.0.1", () => {
  console.log(`offline-runtime demo: http://127.0.0.1:${server.address().port}/`);
});
