// The demo CRM's offline journey in WebKit and Firefox over WebDriver (in
// Chromium: tests/e2e under Playwright), with the network really gone:
// online, then offline (the browser offline and a server that drops every
// connection), reload, browse, try to write; the worker stopped as the
// browser stops an idle one, then the app opened offline again; network
// failures classified as the app meets them; back online. Runs inside the
// network namespace scripts/test.sh makes (it needs root). ENGINES="webkit"
// narrows the run.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createDemoServer } from "../../www/server.mjs";
import { waitFor } from "../support/wait.mjs";
import { launch, selectedEngines, setRoute } from "../support/webdriver.mjs";

// How long WebKit needs to stop a worker that no page uses (about 10 s
// measured); each further try waits longer.
const WEBKIT_IDLE_MS = 15000;

for (const engine of selectedEngines()) {
  describe(engine, () => {
    let browser, demo, origin;

    before(async () => {
      setRoute(true);
      demo = createDemoServer({ testSwitches: true });
      await new Promise((resolve) => demo.server.listen(0, "127.0.0.1", resolve));
      origin = `http://127.0.0.1:${demo.server.address().port}`;
      browser = await launch(engine);
    });

    after(async () => {
      await browser?.quit();
      demo?.server.close();
      setRoute(true);
    });

    /** Runs `fn(...args)` in the page and resolves with what its promise resolves to. */
    async function evaluate(fn, ...args) {
      const result = await browser.driver.executeAsyncScript(
        `const done = arguments[arguments.length - 1];
         Promise.resolve().then(() => (${fn})(...arguments[0]))
           .then((value) => done({ value }), (error) => done({ error: String((error && error.stack) || error) }));`,
        args,
      );
      if (result.error) throw new Error(`in the page: ${result.error}`);
      return result.value;
    }
    const until = (fn, what, ...args) => waitFor(() => evaluate(fn, ...args), what);
    const appReady = () => until(() => window.crm?.ready === true, "the app to start");

    // A navigation, as a person's reload is (WebDriver's refresh bypasses the worker in Firefox).
    const reload = async () => browser.driver.get(await browser.driver.getCurrentUrl());

    async function visit(hash) {
      await evaluate((h) => {
        window.crm.rendered = 0;
        location.hash = h;
      }, hash);
      await until(() => window.crm.rendered >= 1, `${hash} to render`);
    }

    async function setNetwork(online) {
      demo.state.unplugged = !online;
      await browser.setOffline(!online);
      await until((want) => navigator.onLine === want, `navigator.onLine ${online}`, online);
    }

    // The controlling worker's start: {startedAt, marks} (GET_STARTUP).
    const workerStartup = () =>
      evaluate(
        () =>
          new Promise((resolve) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = (event) => resolve(event.data);
            navigator.serviceWorker.controller.postMessage({ type: "GET_STARTUP" }, [channel.port2]);
          }),
      );
    const workerStartedAt = async () => (await workerStartup()).startedAt;

    async function expectOfflineApp() {
      await until(() => !!document.querySelector("#offline-banner"), "the offline banner");
      await until(() => document.querySelector("#status").textContent === "Offline", "the status to read Offline");
      await visit("#/contacts");
      const rows = await evaluate(() => document.querySelectorAll("tbody tr").length);
      assert.ok(rows >= 20, `the contacts list came from the cache (${rows} rows)`);
      await visit("#/contacts/2");
      const record = await evaluate(() => ({
        name: document.querySelector("h1").textContent,
        synced: document.querySelector(".synced")?.textContent,
      }));
      assert.ok(record.name.length > 0, "the viewed record shows");
      assert.match(record.synced, /^Last synced /);
    }

    test("online: the worker installs and the records are viewed", async () => {
      await browser.driver.get(`${origin}/`);
      await appReady();
      await until(() => navigator.serviceWorker.controller !== null, "the worker to take control");
      await reload(); // assets now pass through the worker's routes
      await appReady();
      for (const resource of ["contacts", "organizations"]) {
        await visit(`#/${resource}`);
        for (const id of [1, 2]) await visit(`#/${resource}/${id}`);
      }
      const caches = await evaluate(() => caches.keys());
      assert.ok(caches.includes("offline-runtime-code"), `the loader kept its .wasm: ${caches}`);
    });

    test("offline: reload, browse the cached records, writes disabled and blocked with E4007", async () => {
      await setNetwork(false);
      await reload();
      await appReady();
      await expectOfflineApp();
      const edit = await evaluate(() => {
        const button = document.querySelector("button[data-write=edit]");
        return { disabled: button.getAttribute("aria-disabled"), title: button.getAttribute("title") };
      });
      assert.deepEqual(edit, { disabled: "true", title: "Offline" });
      await evaluate(() => document.querySelector("button[data-write=edit]").click());
      await until(() => !!document.querySelector(".ort-toasts .ort-error[data-code=E4007]"), "the coded write error");
    });

    test("offline restart: a worker the browser stopped comes back up offline and serves the app", async () => {
      const before = await workerStartedAt();
      let after = before;
      // A stop proves itself by a new start time; a busy machine may need another, longer wait.
      for (let attempt = 1; attempt <= 3 && after === before; attempt++) {
        await browser.stopIdleWorker(WEBKIT_IDLE_MS * attempt);
        await browser.driver.get(`${origin}/`);
        await appReady();
        await until(() => navigator.serviceWorker.controller !== null, "the worker to control the page");
        after = await workerStartedAt();
      }
      assert.ok(after > before, `the worker was restarted (started at ${before}, then ${after})`);
      // The page came from the build's plan, before the engine's .wasm was instantiated.
      const { marks } = await workerStartup();
      assert.ok(marks.firstAnswer < (marks.wasmInstantiated ?? Infinity), `the first answer came from the plan: ${JSON.stringify(marks)}`);
      await expectOfflineApp();
    });

    test("network failures read as E4003 in this engine: the network itself and the worker's Response.error()", async () => {
      // The network back (navigator.onLine true), the server still unplugged.
      await browser.setOffline(false);
      await until(() => navigator.onLine === true, "navigator.onLine true");
      // In the page's own realm (a module script of its own), as the app's code
      // meets these errors: WebDriver's scripts see Firefox's objects through wrappers.
      await evaluate(() => {
        const script = document.createElement("script");
        script.type = "module";
        script.textContent = `
          import { classifyError } from "/pkg/offline_runtime.js";
          const out = [];
          // Never cached: the worker's network-first run fails and it answers Response.error().
          for (const url of ["/api/contacts/987654", "http://127.0.0.1:9/nothing-listens-here"]) {
            try {
              const response = await fetch(url);
              out.push({ url, message: "answered " + response.status });
            } catch (error) {
              out.push({ url, message: error.name + ": " + error.message, code: classifyError(error).code });
            }
          }
          window.networkFailures = out;`;
        document.head.append(script);
      });
      const failures = await until(() => window.networkFailures, "the failures to be classified");
      for (const failure of failures) assert.equal(failure.code, "E4003", JSON.stringify(failure));
    });

    test("back online: the status and banner follow", async () => {
      await setNetwork(true);
      await until(() => document.querySelector("#status").textContent === "Online", "the status to read Online");
      await until(() => !document.querySelector("#offline-banner"), "the banner to go");
    });
  });
}
