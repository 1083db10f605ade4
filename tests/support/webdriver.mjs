// WebKit and Firefox over W3C WebDriver, for the end-to-end suites Chromium
// runs under Playwright (tests/e2e): WebKitGTK's MiniBrowser (Safari's
// engine, under an Xvfb of its own) and Firefox (geckodriver). Each launch
// takes free ports and a fresh profile. Also what differs per engine: how an
// idle service worker is made to stop, and how the machine goes offline (the
// network namespace scripts/test.sh runs these suites in: its only default
// route is on `lo`).
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Builder } from "selenium-webdriver";
import { freePort } from "./net.mjs";
import { waitFor } from "./wait.mjs";

export const ENGINES = ["webkit", "firefox"];
const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
// Firefox stops a worker this long after its last event; the default is 30 s.
const FIREFOX_IDLE_MS = 1000;

/** The engines a run asks for: ENGINES="webkit", default both. */
export function selectedEngines() {
  const wanted = (process.env.ENGINES || ENGINES.join(" ")).split(/[\s,]+/).filter(Boolean);
  const unknown = wanted.filter((name) => !ENGINES.includes(name));
  if (unknown.length) throw new Error(`unknown engine(s) in ENGINES: ${unknown.join(", ")}`);
  return wanted;
}

// An Xvfb on a display it picks itself (-displayfd), for MiniBrowser (no headless mode).
async function startXvfb() {
  const xvfb = spawn("Xvfb", ["-displayfd", "3", "-screen", "0", "1280x900x24", "-nolisten", "tcp"], {
    stdio: ["ignore", "ignore", "pipe", "pipe"],
  });
  let stderr = "";
  xvfb.stderr.on("data", (chunk) => (stderr += chunk));
  const display = await new Promise((resolve, reject) => {
    let out = "";
    xvfb.stdio[3].on("data", (chunk) => {
      out += chunk;
      if (out.includes("\n")) resolve(`:${out.trim()}`);
    });
    xvfb.on("exit", (code) => reject(new Error(`Xvfb exited (${code}): ${stderr}`)));
  });
  return { display, stop: () => xvfb.kill() };
}

async function startDriver(command, args, env) {
  const port = await freePort();
  const child = spawn(command, [...args, `--port=${port}`], { env: { ...process.env, ...env }, stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await (await fetch(`${url}/status`)).json()).value.ready, `${command} to listen`, 20000);
  return { url, stop: () => child.kill() };
}

function capabilities(engine, profile) {
  if (engine === "webkit") {
    return { browserName: "MiniBrowser", "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] } };
  }
  return {
    browserName: "firefox",
    "moz:firefoxOptions": {
      binary: "/usr/bin/firefox-esr",
      args: ["-headless", "-profile", profile],
      prefs: {
        "dom.serviceWorkers.idle_timeout": FIREFOX_IDLE_MS,
        "dom.serviceWorkers.idle_extended_timeout": FIREFOX_IDLE_MS,
        "network.http.speculative-parallel-limit": 0,
        "network.predictor.enabled": false,
        "network.prefetch-next": false,
        // Offline, Firefox would answer from its HTTP cache, never reaching the worker's.
        "browser.cache.disk.enable": false,
        "browser.cache.memory.enable": false,
      },
    },
  };
}

/**
 * One browser of `engine` with a WebDriver session. Returns
 * {engine, driver, stopIdleWorker(idleMs), setOffline(offline), quit()}.
 */
export async function launch(engine) {
  const stops = [];
  const profile = mkdtempSync(join(tmpdir(), `ort-${engine}-`));
  stops.push(() => rmSync(profile, { recursive: true, force: true }));
  try {
    let driverProcess;
    if (engine === "webkit") {
      const xvfb = await startXvfb();
      stops.push(xvfb.stop);
      driverProcess = await startDriver("/usr/bin/WebKitWebDriver", [], { DISPLAY: xvfb.display });
    } else {
      // System access: the offline switch below runs in Firefox's chrome context.
      driverProcess = await startDriver("geckodriver", ["--allow-system-access"], {});
    }
    stops.push(driverProcess.stop);
    const driver = await new Builder().usingServer(driverProcess.url).withCapabilities(capabilities(engine, profile)).build();
    stops.push(() => driver.quit().catch(() => undefined));
    const session = (await driver.getSession()).getId();
    const command = async (path, body) => {
      const response = await fetch(`${driverProcess.url}/session/${session}/${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${engine} ${path}: ${await response.text()}`);
    };
    return {
      engine,
      driver,
      /* Stops the page's service worker as the browser does to an idle one:
       * after its idle timeout once no page uses the worker. The caller
       * proves the stop by the worker's start time. */
      async stopIdleWorker(idleMs) {
        await driver.get("about:blank");
        await new Promise((resolve) => setTimeout(resolve, engine === "firefox" ? FIREFOX_IDLE_MS * 3 : idleMs));
      },
      /* Takes the machine's network away (or gives it back): the namespace's
       * route, and Firefox's own offline switch, since Firefox does not watch
       * routes there. */
      async setOffline(offline) {
        setRoute(!offline);
        if (engine !== "firefox") return;
        await command("moz/context", { context: "chrome" });
        try {
          await command("execute/sync", {
            script: "Services.io.manageOfflineStatus = false; Services.io.offline = arguments[0];",
            args: [offline],
          });
        } finally {
          await command("moz/context", { context: "content" });
        }
      },
      async quit() {
        for (const stop of stops.reverse()) await stop();
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop();
    throw error;
  }
}

/* The machine's network: without the namespace's default route, WebKit
 * reports navigator.onLine false and fires `offline` (127.0.0.1 stays
 * reachable). Chromium does too, but never comes back online on a loopback
 * route: Chromium goes offline under Playwright instead. */
export function setRoute(online) {
  const present = execFileSync("ip", ["route", "show", "default"]).toString().trim() !== "";
  if (online && !present) execFileSync("ip", ["route", "add", "default", "dev", "lo"]);
  if (!online && present) execFileSync("ip", ["route", "del", "default", "dev", "lo"]);
}
