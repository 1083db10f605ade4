// @ts-check
/* offline-runtime service-worker loader (classic worker script).
 *
 *   importScripts("/offline-runtime/sw-loader.js");
 *   offlineRuntime.start({version, precache, navigationFallback, routes, ...});
 *
 * Registers install/activate/fetch/message listeners synchronously (browsers
 * require it), loads the engine (the glue and engine.js next to this file,
 * then the .wasm holding its decision core) once, and delegates to it. Fails
 * open: if the engine cannot load, is misconfigured or fails on a request,
 * that request goes to the plain network. The .wasm is kept in Cache Storage
 * so a worker restarted while offline still comes up.
 */
(function (/** @type {any} ServiceWorkerGlobalScope */ scope) {
  "use strict";

  const CODE_CACHE = "offline-runtime-code";
  // The .wasm this loader's glue was built with: the first 32 bits of its
  // SHA-256, which scripts/build.mjs writes in. The glue's imports are
  // minified names, so another build's .wasm could link to it and run the
  // wrong functions.
  const WASM_BUILD = 0;

  // This script's own URL: the glue and .wasm sit beside it.
  function loaderUrl() {
    try {
      throw new Error();
    } catch (error) {
      const match = /(https?:\/\/[^\s)'"]+?sw-loader\.js)/.exec(String(error.stack || ""));
      if (match) return match[1];
    }
    return new URL("/offline-runtime/sw-loader.js", scope.location.href).href;
  }

  // Errors of the package's own carry their catalog code (as the core's do).
  const coded = (code, message) => Object.assign(new Error(`${code}: ${message}`), { code });

  // The catalog code of a failure: its own, else the one the core gives its
  // DOMException name (QuotaExceededError: E3002), else E5000. A
  // DOMException's numeric `code` is the legacy one, not a catalog code.
  /** @type {(name: string) => string | undefined} */
  let exceptionCode = () => undefined;
  function codeOf(error) {
    const own = error && error.code;
    return (typeof own === "string" && own) || exceptionCode(error && error.name) || "E5000";
  }

  const logged = new Set();

  // When each step of this worker's start finished, in ms since the worker
  // started (performance.now()); {type: "GET_STARTUP"} answers them.
  const startup = {};
  const mark = (step) => {
    if (startup[step] === undefined) startup[step] = performance.now();
  };

  function start(config, options) {
    mark("loaderRunning");
    if (scope.offlineRuntime.started) {
      throw coded("E2100", "offlineRuntime.start() was already called");
    }
    scope.offlineRuntime.started = true;
    options = options || {};
    const base = new URL(".", loaderUrl()).href;
    const glueUrl = options.glueUrl || base + "offline_runtime.js";
    const wasmUrl = options.wasmUrl || base + "offline_runtime_bg.wasm";
    const engineUrl = options.engineUrl || base + "engine.js";
    const version = String((config && config.version) || "1");
    // One cached copy of the .wasm per config version and package build, so
    // a worker restarted during an update (of the app or of this package)
    // never pairs this glue with another build's .wasm.
    const wasmKey = `${wasmUrl}?version=${encodeURIComponent(version)}&build=${WASM_BUILD}`;

    let mode = "loading"; // then "ready" or "passthrough"
    let engine = null;

    // With the build's plan, a cold start's planned answers need no engine,
    // and starting it (reading, decoding and instantiating the .wasm,
    // parsing the config) holds Cache Storage and this thread: it starts on
    // the first event that needs it, or once the first planned answer is
    // given. Without a plan it starts now.
    /** @type {(value?: unknown) => void} */
    let startEngine = () => {};
    const engineWanted = new Promise((resolve) => (startEngine = resolve));
    if (!options.coldPlan) startEngine();
    // The kept .wasm is looked up as soon as the engine is wanted, so Cache
    // Storage reads it while the scripts below are imported.
    const kept = engineWanted.then(() => caches.match(wasmKey, { cacheName: CODE_CACHE })).catch(() => undefined);

    // The scripts must be imported now, during the first evaluation: the
    // browser then keeps them with the worker's scripts, available offline.
    /** @type {typeof wasm_bindgen | null} */
    let bindgen = null;
    /** @type {typeof offlineRuntimeEngine | null} */
    let shell = null;
    try {
      // A generated sw.js carries both inline, before this script.
      if (typeof wasm_bindgen === "undefined" || !scope.offlineRuntimeEngine) scope.importScripts(glueUrl, engineUrl); // eslint-disable-line no-undef
      mark("scriptsImported");
      // The glue declares `wasm_bindgen` at its top level, engine.js `offlineRuntimeEngine`.
      bindgen = typeof wasm_bindgen === "undefined" ? null : wasm_bindgen; // eslint-disable-line no-undef
      shell = scope.offlineRuntimeEngine || null;
    } catch (error) {
      report("the engine's scripts could not load", error);
    }

    /* The engine's .wasm: the copy kept in Cache Storage, else downloaded.
     * A download is kept only once it is known to be this build's (a captive
     * portal's page at its URL must not poison later installs), and a copy
     * that cannot be kept (storage full) still runs, online. */
    let keepFailure = null;
    async function wasmSource() {
      const cached = await kept;
      mark("wasmRead");
      if (cached) return cached;
      const response = await fetch(wasmUrl, { cache: "reload" });
      if (!response.ok) throw coded("E4004", `${wasmUrl} answered ${response.status}`);
      const bytes = await response.arrayBuffer();
      // Only the .wasm this glue was built with: not a captive portal's page
      // at its URL, nor another build's .wasm that a deploy under way or a
      // cache still serves.
      if (new DataView(await crypto.subtle.digest("SHA-256", bytes)).getUint32(0) !== WASM_BUILD) {
        throw coded("E4009", `${wasmUrl} is not this build's .wasm`);
      }
      try {
        const headers = { "Content-Type": "application/wasm" };
        await (await caches.open(CODE_CACHE)).put(wasmKey, new Response(bytes, { headers }));
      } catch (error) {
        keepFailure = error;
      }
      return bytes;
    }

    const ready = (async () => {
      if (!bindgen || !shell) throw coded("E5000", "the engine's scripts are missing");
      try {
        await bindgen({ module_or_path: await wasmSource() });
        mark("wasmInstantiated");
      } catch (error) {
        // A kept copy that no longer instantiates is dropped, so the next start downloads it.
        await caches.open(CODE_CACHE).then((cache) => cache.delete(wasmKey)).catch(() => undefined);
        throw error;
      }
      exceptionCode = (name) => bindgen.exceptionCode(String(name || ""));
      try {
        engine = shell.create(new bindgen.EngineCore(config, scope.location.href), scope, bindgen);
        mode = "ready";
        mark("engineReady");
      } catch (error) {
        // An invalid config: one clear error, then pure pass-through.
        mode = "passthrough";
        console.error(`offline-runtime: ${error.message}`);
      }
      if (keepFailure) report("the engine's .wasm could not be kept", keepFailure, "it runs, but cannot restart offline");
    })();
    // The engine, started now if it was not: `ready`.
    const engineReady = () => (startEngine(), ready);
    ready.catch((error) => {
      mode = "passthrough";
      report("the engine could not start", error);
    });

    function noteFailure(error, event) {
      // A trap inside the .wasm may leave it unusable: stop using it.
      if (error instanceof WebAssembly.RuntimeError) mode = "passthrough";
      report("a request failed inside the engine", error, "it went to the network", event);
    }

    // Logged once per kind and code; handed to the page's ErrorReporter too,
    // when the engine is up and its config asks for it (errorReports).
    function report(what, error, consequence = "requests go to the network", event) {
      const code = codeOf(error);
      if (!logged.has(what + code)) console.error(`offline-runtime: ${what} (${code}); ${consequence}.`, error);
      logged.add(what + code);
      if (!engine) return;
      const sent = engine
        .forwardFailure(code, `${what}; ${consequence}: ${(error && error.message) || error}`, event && event.request, event && event.clientId)
        .catch(() => undefined);
      try {
        if (event) event.waitUntil(sent);
      } catch (_) {
        // The event already settled; the message goes out while the worker runs.
      }
    }

    function failOpen(event) {
      return (error) => {
        noteFailure(error, event);
        return fromNetwork(event);
      };
    }

    // The network's answer for a request the engine did not answer: the
    // navigation the browser preloaded when it did (unread), so no page is
    // requested twice; else a fetch.
    function fromNetwork(event) {
      return Promise.resolve(event.preloadResponse)
        .catch(() => undefined)
        .then((preloaded) => (preloaded && !preloaded.bodyUsed ? preloaded : fetch(event.request)));
    }

    scope.addEventListener("install", (event) => {
      // If the engine cannot load, the install fails and any old worker keeps serving.
      event.waitUntil(
        engineReady().then(() =>
          mode === "ready"
            ? engine.install().catch((error) => {
                report("the install failed", error, "the old worker keeps serving");
                throw error;
              })
            : undefined,
        ),
      );
    });

    scope.addEventListener("activate", (event) => {
      event.waitUntil(
        engineReady()
          .catch(() => undefined)
          .then(() => (mode === "ready" ? engine.activate() : scope.clients.claim()))
          .then(async () => {
            // Drop other versions' copies of the .wasm.
            const cache = await caches.open(CODE_CACHE);
            for (const request of await cache.keys()) {
              if (request.url !== wasmKey) await cache.delete(request);
            }
          }),
      );
    });

    scope.addEventListener("fetch", (event) => {
      if (mode === "ready") {
        // Routed once, synchronously: undefined means "not ours" (no respondWith).
        let answer;
        try {
          answer = engine.handle(event);
        } catch (error) {
          noteFailure(error, event); // not answered here: the browser fetches it as usual
          return;
        }
        // Only the first answer is marked: no extra step on every warm fetch.
        if (answer) event.respondWith((startup.firstAnswer === undefined ? answer.then(answered) : answer).catch(failOpen(event)));
        return;
      }
      // Not ready (a cold start, or no engine at all): what the build's plan
      // answers from the precache at once; anything else once the engine is
      // up, or as the browser would without one (its start failure is logged).
      const early = shell && shell.coldAnswer(options.coldPlan, event.request, scope);
      if (mode === "passthrough" && !early) return;
      // A navigation the browser preloaded and the plan answered: let the preload settle, unused.
      if (early && event.preloadResponse) event.waitUntil(event.preloadResponse.catch(() => undefined));
      // Planned and found: answered now, and the engine starts a task later.
      const fromEngine = () =>
        engineReady()
          .catch(() => undefined)
          .then(() => (mode === "ready" && engine.handle(event)) || fromNetwork(event));
      event.respondWith(
        Promise.resolve(early)
          .then((response) => (response ? (setTimeout(startEngine), response) : fromEngine()))
          .then(answered)
          .catch(failOpen(event)),
      );
    });

    const answered = (response) => {
      mark("firstAnswer");
      return response;
    };

    scope.addEventListener("message", (event) => {
      const data = event.data || {};
      if (data.type === "GET_STARTUP") {
        if (shell) shell.answer(event, { type: "STARTUP", marks: startup, startedAt: performance.timeOrigin });
        return;
      }
      if (data.type === "SKIP_WAITING") {
        event.waitUntil(scope.skipWaiting());
        return;
      }
      event.waitUntil(engineReady().then(() => (mode === "ready" ? engine.message(event) : undefined)).catch(() => undefined));
    });
  }

  scope.offlineRuntime = { start, started: false };
})(self);
