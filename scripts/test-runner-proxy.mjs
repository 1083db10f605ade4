// The HTTP proxy Chromium and Firefox use (webdriver.json) while
// wasm-bindgen-test-runner serves their test pages. Why: the runner's server
// (tiny_http 0.12) hands each connection to a thread that holds it for the
// connection's whole life, and its pool can lose the wake-up for a new
// connection that arrives in a burst (a page importing eight modules at
// once). That connection then waits until the browser closes an idle
// keep-alive socket, which Chromium does after 300 s: the page hangs at
// "Loading scripts..." and ChromeDriver gives up. Through this proxy every
// request reaches the runner on a connection of its own that closes after
// the answer, so no thread is ever held by an idle socket.
//
// Usage: node scripts/test-runner-proxy.mjs PORT   (127.0.0.1 only; forwards
// only to 127.0.0.1). Prints "proxy listening" once it accepts connections.
import { createServer, request } from "node:http";

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error("usage: node scripts/test-runner-proxy.mjs PORT");
  process.exit(2);
}

const server = createServer((incoming, outgoing) => {
  let target;
  try {
    target = new URL(incoming.url);
  } catch {
    outgoing.writeHead(400).end("an absolute URL is expected (this is a proxy)");
    return;
  }
  if (target.protocol !== "http:" || target.hostname !== "127.0.0.1") {
    outgoing.writeHead(403).end("this proxy forwards to http://127.0.0.1 only");
    return;
  }
  const headers = { ...incoming.headers, connection: "close" };
  delete headers["proxy-connection"];
  const forwarded = request(
    { host: "127.0.0.1", port: target.port || 80, path: target.pathname + target.search, method: incoming.method, headers, agent: false },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    },
  );
  forwarded.on("error", (error) => {
    if (!outgoing.headersSent) outgoing.writeHead(502);
    outgoing.end(String(error));
  });
  incoming.pipe(forwarded);
});

server.on("error", (error) => {
  console.error(`test-runner-proxy: ${error.message}`);
  process.exit(1);
});
server.listen(port, "127.0.0.1", () => console.log("proxy listening"));
