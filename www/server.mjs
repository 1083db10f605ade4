// The demo's dev server (Node's standard library only, 127.0.0.1): the CRM
// app from www/, the built package at /pkg/ (pages) and /offline-runtime/
// (the worker's loader, glue and .wasm), the worker script /sw.js, and a
// sample JSON API over seeded in-memory data.
//
//   GET  /api/{contacts|organizations|opportunities}?q=&page=1&pageSize=20
//   GET  /api/{resource}/{id}          POST /api/{resource}
//   PUT  /api/{resource}/{id}          DELETE /api/{resource}/{id}
//   GET|HEAD /api/health               (the online probe)
//   POST /api/errors                   (ErrorReporter's batches; 30-day retention)
//   GET  /api/errors?code=&limit=      (the error log page)
//
// Errors are RFC 9457 problem+json with catalog codes (E2001, E5001, E5002).
// With OFFLINE_RUNTIME_DEMO_TEST=1, test switches: POST /__test/config
// {latencyMs, failStatus, failPath, failCount, revision, unplugged} and
// GET /__test/requests.
// Usage: node www/server.mjs [--port 8080]
import { createServer } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { validateConfig } from "../pkg/build/service-worker.mjs";
import { staticHandler } from "../scripts/static.mjs";
import { RESOURCES, seed } from "./data.mjs";
import { createErrorLog } from "./error-log.mjs";

const root = new URL("..", import.meta.url).pathname;

function problem(res, status, code, title, detail) {
  res.writeHead(status, { "Content-Type": "application/problem+json" });
  res.end(JSON.stringify({ type: "about:blank", title, status, detail, code }));
}

function json(res, status, body) {
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-cache" });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

async function readBody(req) {
  let text = "";
  for await (const chunk of req) text += chunk;
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return null;
  }
}

/** The demo's worker, as the build would generate it: its config, and the core's cold-start plan for the precache. */
export function workerScript(revision) {
  const precached = ["/", "/app.js", "/app.css", "/pkg/offline_runtime.js", "/pkg/offline_runtime_bg.wasm", "/pkg/offline-runtime.css", "/pkg/reporting/index.mjs"];
  const config = {
    version: `demo-${revision}`,
    precache: precached.map((url) => ({ url, revision: String(revision) })),
    navigationFallback: "/",
    routes: [
      { name: "assets", match: { destinations: ["script", "style", "image", "font"] }, strategy: "cache-first", maxAgeSeconds: 86400, maxEntries: 100 },
      { name: "api", match: { pathPrefix: "/api/", methods: ["GET"] }, strategy: "network-first", networkTimeoutSeconds: 3, maxAgeSeconds: 86400, maxEntries: 500 },
    ],
    bypass: ["/api/health", "/__test/"],
    offlineWrites: "reject",
    errorReports: true,
  };
  const coldPlan = validateConfig(config, "https://demo.invalid/sw.js");
  return `importScripts("/offline-runtime/sw-loader.js");
offlineRuntime.start(${JSON.stringify(config, null, 2)}, ${JSON.stringify({ coldPlan })});
`;
}

/** The demo's API and site; `site` serves another built app at "/" (with its own sw.js) instead. */
export function createDemoServer({ testSwitches = process.env.OFFLINE_RUNTIME_DEMO_TEST === "1", site, now } = {}) {
  const data = seed();
  const errors = createErrorLog({ now });
  const cleanupTimer = setInterval(() => errors.cleanup(), 60 * 60 * 1000).unref();
  const nextId = Object.fromEntries(RESOURCES.map((r) => [r, data[r].length + 1]));
  const state = { latencyMs: 0, failStatus: 0, failPath: "", failCount: 0, revision: "1", unplugged: false, requests: [] };
  const serve = staticHandler(
    site
      ? { "/": site }
      : { "/": join(root, "www"), "/pkg/": join(root, "pkg"), "/offline-runtime/": join(root, "pkg", "sw") },
  );

  async function api(req, res, url) {
    const [, , resource, id] = url.pathname.split("/");
    if (resource === "health") return json(res, req.method === "HEAD" ? 200 : 204);
    if (resource === "errors" && !id) {
      if (req.method === "POST") {
        const { status, body } = errors.receive(await readBody(req));
        return status === 200 ? json(res, 200, body) : problem(res, status, body.code, body.title, body.detail);
      }
      if (req.method === "GET") {
        const limit = Math.min(500, Math.max(1, Number(url.searchParams.get("limit")) || 100));
        return json(res, 200, { items: errors.recent({ code: url.searchParams.get("code") || undefined, limit }) });
      }
      return problem(res, 405, "E2000", "Method not allowed", req.method);
    }
    if (!RESOURCES.includes(resource)) return problem(res, 404, "E5002", "Not found", `No resource ${resource}`);
    const records = data[resource];
    if (!id) {
      if (req.method === "GET") {
        const q = (url.searchParams.get("q") || "").trim().toLowerCase();
        const page = Math.max(1, Number(url.searchParams.get("page")) || 1);
        const pageSize = Math.min(100, Math.max(1, Number(url.searchParams.get("pageSize")) || 20));
        const found = q ? records.filter((r) => JSON.stringify(r).toLowerCase().includes(q)) : records;
        return json(res, 200, { items: found.slice((page - 1) * pageSize, page * pageSize), total: found.length, page, pageSize });
      }
      if (req.method === "POST") {
        const body = await readBody(req);
        if (!body || !String(body.name || "").trim()) {
          return problem(res, 422, "E2001", "Required information missing", "name is required");
        }
        const record = { ...body, id: nextId[resource]++, updatedAt: new Date().toISOString() };
        records.unshift(record);
        return json(res, 201, record);
      }
      return problem(res, 405, "E2000", "Method not allowed", req.method);
    }
    const index = records.findIndex((r) => String(r.id) === id);
    if (index < 0) return problem(res, 404, "E5002", "Not found", `${resource} ${id} does not exist`);
    if (req.method === "GET") return json(res, 200, records[index]);
    if (req.method === "PUT") {
      const body = await readBody(req);
      if (!body || !String(body.name || "").trim()) {
        return problem(res, 422, "E2001", "Required information missing", "name is required");
      }
      records[index] = { ...records[index], ...body, id: records[index].id, updatedAt: new Date().toISOString() };
      return json(res, 200, records[index]);
    }
    if (req.method === "DELETE") {
      const open = resource === "organizations" &&
        data.opportunities.some((o) => o.organizationId === records[index].id && !["Won", "Lost"].includes(o.stage));
      if (open) {
        return problem(res, 409, "E5001", "Organization has active opportunities",
          "Cannot delete organization with active opportunities");
      }
      records.splice(index, 1);
      return json(res, 204);
    }
    return problem(res, 405, "E2000", "Method not allowed", req.method);
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    if (testSwitches && url.pathname === "/__test/config" && req.method === "POST") {
      Object.assign(state, await readBody(req));
      return json(res, 200, state);
    }
    if (testSwitches && url.pathname === "/__test/requests") return json(res, 200, state.requests);
    // Dropped ones too (marked): a test can see a request was sent at all.
    state.requests.push(`${state.unplugged ? "dropped " : ""}${req.method} ${url.pathname}${url.search}`);
    if (state.unplugged) return req.socket.destroy();
    if (url.pathname === "/sw.js" && !site) {
      res.writeHead(200, { "Content-Type": "text/javascript", "Cache-Control": "no-cache" });
      return res.end(workerScript(state.revision));
    }
    if (url.pathname.startsWith("/api/")) {
      if (state.latencyMs) await new Promise((resolve) => setTimeout(resolve, state.latencyMs));
      if (state.failStatus && url.pathname.startsWith(state.failPath || "/api/") && url.pathname !== "/api/health" && state.failCount !== 0) {
        state.failCount -= 1;
        if (state.failStatus === 429) res.setHeader("Retry-After", "2");
        return problem(res, state.failStatus, undefined, `Failure ${state.failStatus}`, "Injected by the test switch");
      }
      return api(req, res, url);
    }
    if (!serve(req, res)) res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found\n");
  });
  server.on("close", () => clearInterval(cleanupTimer));
  return { server, state, errors };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const portFlag = process.argv.indexOf("--port");
  const port = Number(portFlag > 0 ? process.argv[portFlag + 1] : process.env.PORT ?? 8080);
  const { server } = createDemoServer();
  server.listen(port, "127.0.0.1", () => {
    console.log(`offline-runtime demo: http://127.0.0.1:${server.address().port}/`);
  });
}
