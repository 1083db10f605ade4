// The end-to-end fixture server (127.0.0.1): the fixture site, the built
// package (/pkg/ and /offline-runtime/ for the worker), a small JSON API, a
// generated /sw.js whose precache revision the test can bump, and an
// "unplugged" switch that drops every connection (a real network failure).
import { createServer } from "node:http";
import { join } from "node:path";
import { staticHandler } from "../../scripts/static.mjs";

const root = new URL("../..", import.meta.url).pathname;

export function swSource(revision) {
  return `importScripts("/offline-runtime/sw-loader.js");
offlineRuntime.start({
  version: "e2e-${revision}",
  precache: [
    {url: "/", revision: "${revision}"},
    {url: "/app.js", revision: "${revision}"},
    {url: "/offline.html", revision: "1"},
    // A hashed name (no revision): copied, never fetched again, by later versions.
    "/logo.svg",
    // The page's own copy of the package: the app needs it to start offline.
    {url: "/pkg/offline_runtime.js", revision: "1"},
    {url: "/pkg/offline_runtime_bg.wasm", revision: "1"},
  ],
  navigationFallback: "/offline.html",
  routes: [
    {name: "assets", match: {destinations: ["script", "style", "image", "font"]},
     strategy: "cache-first", maxAgeSeconds: 86400, maxEntries: 50},
    {name: "api", match: {pathPrefix: "/api/", methods: ["GET"]},
     strategy: "network-first", networkTimeoutSeconds: 3, maxAgeSeconds: 86400},
  ],
  bypass: ["/api/health"],
  offlineWrites: "reject",
  debug: true,
});
`;
}

export async function startServer() {
  const state = { unplugged: false, revision: "1", requests: [], preloaded: [] };
  const serve = staticHandler({
    "/": join(root, "tests", "e2e", "site"),
    "/pkg/": join(root, "pkg"),
    "/offline-runtime/": join(root, "pkg", "sw"),
  });
  const server = createServer((req, res) => {
    if (state.unplugged) {
      req.socket.destroy();
      return;
    }
    state.requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url, "http://x");
    if (url.pathname === "/sw.js") {
      res.writeHead(200, { "Content-Type": "text/javascript", "Cache-Control": "no-cache" });
      return res.end(swSource(state.revision));
    }
    // Workers that must fail open: an invalid config, a missing .wasm, a missing engine.js.
    if (url.pathname === "/broken/bad-config.js") {
      res.writeHead(200, { "Content-Type": "text/javascript" });
      return res.end(`importScripts("/offline-runtime/sw-loader.js");
offlineRuntime.start({routes: [{name: "api", match: {pathPrefix: "/api/"}, strategy: "cache-frist"}]});`);
    }
    const missing = { "/broken/missing-wasm.js": "wasmUrl", "/broken/missing-engine.js": "engineUrl" }[url.pathname];
    if (missing) {
      res.writeHead(200, { "Content-Type": "text/javascript" });
      return res.end(`importScripts("/offline-runtime/sw-loader.js");
offlineRuntime.start({routes: [{name: "api", match: {pathPrefix: "/api/"}, strategy: "cache-first"}]},
  {${missing}: "/offline-runtime/missing-file"});`);
    }
    // Navigation preload: a worker whose pages route is network-first, with
    // preload left to the core's default (on/) or configured off (off/).
    const preload = /^\/preload\/(on|off)\/(sw\.js|page)$/.exec(url.pathname);
    if (preload && preload[2] === "sw.js") {
      res.writeHead(200, { "Content-Type": "text/javascript", "Cache-Control": "no-cache" });
      return res.end(`importScripts("/offline-runtime/sw-loader.js");
offlineRuntime.start({
  routes: [{name: "pages-${preload[1]}", match: {navigate: true}, strategy: "network-first", networkTimeoutSeconds: 3}],
  ${preload[1] === "off" ? "navigationPreload: false," : ""}
});`);
    }
    if (preload) {
      if (req.headers["service-worker-navigation-preload"]) state.preloaded.push(req.url);
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
      return res.end(`<!doctype html><meta charset="utf-8"><p id="page">${url.search}</p>`);
    }
    if (url.pathname === "/api/items" && req.method === "GET") {
      res.writeHead(200, { "Content-Type": "application/json" });
      return res.end(JSON.stringify({ items: [{ id: 1, name: "Acme" }], servedAt: Date.now() }));
    }
    if (url.pathname === "/api/items") {
      res.writeHead(201, { "Content-Type": "application/json" });
      return res.end(JSON.stringify({ created: true }));
    }
    if (url.pathname === "/api/health") {
      res.writeHead(204);
      return res.end();
    }
    if (!serve(req, res)) res.writeHead(404).end("not found");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, state, origin: `http://127.0.0.1:${server.address().port}` };
}
