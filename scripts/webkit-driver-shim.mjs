#!/usr/bin/env node
// SAFARIDRIVER for wasm-bindgen-test-runner in WebKit (make test): WebKitGTK's
// WebDriver behind a pass-through that adds one thing to each new session,
// MiniBrowser's proxy flags, so WebKit too reaches the runner's server
// through scripts/test-runner-proxy.mjs (that script says why). The runner
// passes WebKit no capabilities of ours (webdriver.json is for Chromium and
// Firefox only), hence this shim.
// Usage (by the runner): webkit-driver-shim.mjs --port=N; the proxy's port
// comes from OFFLINE_RUNTIME_TEST_PROXY_PORT.
import { spawn } from "node:child_process";
import { createServer, request } from "node:http";
import { createServer as netServer } from "node:net";

const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
const port = Number((process.argv.find((arg) => arg.startsWith("--port=")) ?? "").slice("--port=".length));
const proxyPort = Number(process.env.OFFLINE_RUNTIME_TEST_PROXY_PORT);
if (!port || !proxyPort) {
  console.error("usage: OFFLINE_RUNTIME_TEST_PROXY_PORT=P webkit-driver-shim.mjs --port=N");
  process.exit(2);
}

const free = netServer();
await new Promise((resolve) => free.listen(0, "127.0.0.1", resolve));
const driverPort = free.address().port;
await new Promise((resolve) => free.close(resolve));
const driver = spawn("/usr/bin/WebKitWebDriver", [`--port=${driverPort}`], { stdio: "inherit" });
const stop = () => {
  driver.kill();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
driver.on("exit", (code) => process.exit(code ?? 1));

/** A new session's capabilities with MiniBrowser told to use the proxy (for 127.0.0.1 too). */
function withProxy(body) {
  const json = JSON.parse(body || "{}");
  const capabilities = (json.capabilities ??= {});
  const always = (capabilities.alwaysMatch ??= {});
  always["webkitgtk:browserOptions"] = {
    binary: MINIBROWSER,
    args: ["--automation", `--proxy=http://127.0.0.1:${proxyPort}`, "--ignore-host=none.invalid"],
  };
  return JSON.stringify(json);
}

const server = createServer((incoming, outgoing) => {
  let body = "";
  incoming.on("data", (chunk) => (body += chunk));
  incoming.on("end", () => {
    if (incoming.method === "POST" && incoming.url === "/session") body = withProxy(body);
    const headers = { ...incoming.headers, "content-length": Buffer.byteLength(body) };
    const forwarded = request({ host: "127.0.0.1", port: driverPort, path: incoming.url, method: incoming.method, headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forwarded.on("error", () => outgoing.writeHead(502).end());
    forwarded.end(body);
  });
});
// Listen once the real driver answers, so the runner's first request finds it.
for (let tries = 0; ; tries++) {
  const up = await fetch(`http://127.0.0.1:${driverPort}/status`).then((r) => r.ok, () => false);
  if (up) break;
  if (tries > 600) {
    console.error("webkit-driver-shim: WebKitWebDriver did not start");
    stop();
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}
server.listen(port, "127.0.0.1");
