// @ts-check
/* offline-runtime service-worker engine shell (classic worker script).
 *
 * Loaded by sw-loader.js beside the glue. Carries out the decision core's
 * (the .wasm's EngineCore) decisions with the Cache API, fetch and timers:
 * routing, strategy runs, cacheability, age and count limits and precache
 * plans are all decided in Rust; this file only does the I/O, which is far
 * smaller as plain JavaScript than as awaits compiled to wasm. It speaks the
 * core's exported enums (Plan, StrategyEvent, StrategyCommand,
 * LastResortKind) and is type-checked against the glue's .d.ts.
 * Metadata lives in the stored responses' own headers (cached-at, revision),
 * so nothing kept beside the cache can drift from it.
 */
var offlineRuntimeEngine = (function () {
  "use strict";

  const IGNORE_VARY = { ignoreVary: true };

  function codedError(code, message) {
    return Object.assign(new Error(`${code}: ${message}`), { code });
  }

  /**
   * The engine for one worker. Returns {handle, install, activate, message, forwardFailure}.
   * @param {wasm_bindgen.EngineCore} core the validated config's decision core
   * @param {any} scope the ServiceWorkerGlobalScope (or a stand-in in tests)
   * @param {Pick<typeof wasm_bindgen, "Plan" | "StrategyEvent" | "StrategyCommand" | "LastResortKind">} protocol
   *   the glue's enums
   */
  function create(core, scope, protocol) {
    const { Plan, StrategyEvent, StrategyCommand, LastResortKind } = protocol;
    const settings = core.settings();
    const headers = settings.headers;
    const caches = scope.caches;
    const fetch = (request, init) => scope.fetch(request, init);
    // Per route name, for GET_STATS.
    const counters = new Map();
    // URL -> the order in which this worker last served or stored it: expiration's LRU hint.
    const lastUsed = new Map();
    // A counter, not the clock: two uses within one millisecond (Firefox
    // coarsens Date.now()) must still have an order.
    let uses = 0;

    // `stale`: the hits that served an expired entry because the network failed.
    const counterOf = (route) => counters.get(route.name) || { hits: 0, stale: 0, misses: 0, network: 0, fallbacks: 0 };

    function count(route, field) {
      const counter = counterOf(route);
      counters.set(route.name, counter);
      counter[field] += 1;
    }

    /** @returns {[wasm_bindgen.Plan, number]} the core's plan, and the route's index for Plan.Route */
    const plan = (request) => core.plan(request.method, request.url, request.destination || "", request.mode === "navigate");

    /* Decides synchronously whether to answer a fetch event: undefined when
     * no route claims it (the browser handles it, at no cost), else the
     * Promise of the answer for respondWith. Background work (storing,
     * revalidating, expiration) is kept alive with waitUntil and never delays
     * the answer. Rejects only when nothing was answered (the loader then
     * falls back to the network). */
    function handle(event) {
      const request = event.request;
      const [planned, route] = plan(request);
      if (planned === Plan.Ignore) return undefined;
      // A preloaded navigation answered another way still settles, unused.
      if (preloaded(event, request)) keepAlive(event, event.preloadResponse.catch(() => undefined));
      const started = Date.now();
      let resolve, reject;
      const answer = new Promise((res, rej) => {
        resolve = res;
        reject = rej;
      });
      const responder = {
        done: false,
        respond(response) {
          if (this.done) return;
          this.done = true;
          resolve(response);
        },
      };
      const work = serve(planned, route, event, request, responder).then(
        (outcome) => {
          if (!settings.debug) return;
          console.log(`offline-runtime: ${what(planned, route)} ${outcome} ${Date.now() - started}ms ${request.url}`);
        },
        (error) => {
          // After the answer, only background work failed: the page has its answer.
          if (!responder.done) reject(error);
        },
      );
      keepAlive(event, work);
      return answer;
    }

    // Whether the browser preloaded this request: a navigation, with the
    // preload the core turned on for this config (see activate).
    function preloaded(event, request) {
      return settings.navigationPreload && request.mode === "navigate" && Boolean(event.preloadResponse);
    }

    // The network's answer: the preloaded one when the browser made it,
    // so a navigation is never requested twice.
    function networkAnswer(event, request, init) {
      if (!preloaded(event, request)) return fetch(request, init);
      return event.preloadResponse.then((response) => response || fetch(request, init));
    }

    function keepAlive(event, promise) {
      try {
        event.waitUntil(promise);
      } catch (_) {
        // The event already settled; the worker stays up while its answer is pending.
      }
    }

    // What handled a request, for debug lines: the route and its strategy,
    // else the built-in plan (precache, write, navigation).
    function what(planned, route) {
      const chosen = settings.routes[route];
      return planned === Plan.Route ? `${chosen.name} ${chosen.strategy}` : Plan[planned].toLowerCase();
    }

    function serve(planned, route, event, request, responder) {
      if (planned === Plan.Precache) return servePrecached(request, responder);
      if (planned === Plan.Write) return guardWrite(event, request, responder);
      if (planned === Plan.Navigation) return navigate(event, request, responder);
      return runRoute(route, event, request, responder);
    }

    const onLine = () => (scope.navigator ? scope.navigator.onLine : undefined);

    // A precached URL: from this version's precache, else the network.
    async function servePrecached(request, responder) {
      const hit = await (await caches.open(settings.precacheName)).match(request);
      if (hit) {
        responder.respond(await ranged(request, hit));
        return "hit";
      }
      responder.respond(await fetch(request));
      return "miss";
    }

    // A write: straight to the network, never sent while offline; when it
    // cannot go, the core's last resort (E4007 offline, else a network error).
    async function guardWrite(event, request, responder) {
      if (core.writeGoesOut(onLine())) {
        try {
          responder.respond(await fetch(request));
          return "network";
        } catch (_) {
          // Answered below.
        }
      }
      const response = await lastResort(request, true);
      responder.respond(response);
      if (response.type === "error") return "failed";
      keepAlive(event, forwardFailure("E4007", "a write was not sent: the browser is offline", request, event.clientId));
      return "blocked";
    }

    /* With `errorReports: true`: hands a failure of the worker's own to a
     * page's ErrorReporter (offline-runtime/reporting), which redacts,
     * queues and sends it. The page of `clientId`, else any open window. */
    async function forwardFailure(code, message, request, clientId) {
      if (!settings.errorReports) return;
      const clients = scope.clients;
      const client = (clientId && (await clients.get(clientId))) || (await clients.matchAll({ type: "window" }))[0];
      const failed = request ? { method: request.method, url: request.url } : undefined;
      if (client) client.postMessage({ type: "OFFLINE_RUNTIME_FAILURE", code, message, request: failed });
    }

    // A navigation no route handles: the network, else the fallback page.
    async function navigate(event, request, responder) {
      let response;
      try {
        response = await networkAnswer(event, request);
      } catch (_) {
        responder.respond(await lastResort(request, false));
        return "fallback";
      }
      responder.respond(response);
      return "network";
    }

    /* Runs a route's strategy to its end: answers as soon as the run says so,
     * then finishes its background work (store, revalidate, expiration). */
    async function runRoute(index, event, request, responder) {
      // The core's generation when the request started (see mayStore).
      const generation = core.generation();
      const route = settings.routes[index];
      const cache = await caches.open(route.cacheName);
      const run = core.run(index);
      try {
        const url = request.url;
        let cached, network, toStore, controller, timer;
        /** @type {{kind: string, settled: Promise<{entry: any, ok: boolean, value?: any}>}[]} */
        let pending = [];
        const commands = Array.from(run.next(StrategyEvent.Start));
        const settle = (kind, promise) => {
          const entry = { kind, settled: undefined };
          entry.settled = promise.then(
            (value) => ({ entry, ok: true, value }),
            () => ({ entry, ok: false }),
          );
          return entry;
        };
        for (;;) {
          while (commands.length) {
            switch (commands.shift()) {
              case StrategyCommand.LookupCache: {
                cached = await cache.match(request);
                const found = cached ? cached.headers.get(headers.cachedAt) : undefined;
                const lookup = core.lookup(index, Boolean(cached), found, Date.now());
                if (lookup === StrategyEvent.Missing) count(route, "misses");
                commands.push(...run.next(lookup));
                break;
              }
              case StrategyCommand.Fetch:
                controller = new AbortController();
                pending.push(
                  settle(
                    "network",
                    networkAnswer(event, request, { signal: controller.signal }).then((response) =>
                      buffered(response, route.networkBufferBytes),
                    ),
                  ),
                );
                break;
              case StrategyCommand.StartTimer:
                pending.push(settle("timer", new Promise((resolve) => (timer = setTimeout(resolve, run.timerMs)))));
                break;
              case StrategyCommand.AbortFetch:
                if (controller) controller.abort();
                controller = null;
                break;
              case StrategyCommand.AnswerStaleCache:
                count(route, "stale");
              // falls through: a stale answer is a hit too
              case StrategyCommand.AnswerCache:
                count(route, "hits");
                lastUsed.set(url, ++uses);
                responder.respond(await ranged(request, cached));
                break;
              case StrategyCommand.AnswerNetwork:
                count(route, "network");
                responder.respond(network);
                break;
              case StrategyCommand.AnswerFallback:
                count(route, "fallbacks");
                responder.respond(await lastResort(request, false));
                break;
              case StrategyCommand.Store:
                if (toStore && core.mayStore(generation)) await store(cache, index, url, toStore);
                toStore = null;
                break;
              case StrategyCommand.DeleteCached:
                await cache.delete(request, IGNORE_VARY);
                break;
              case StrategyCommand.Revalidate:
                keepAlive(event, revalidate(index, request.clone(), cached, generation).catch(() => undefined));
                break;
              default:
                // Scripts of two builds (an HTTP-cached import): never leave the request unanswered.
                throw codedError("E2100", "engine: unknown StrategyCommand");
            }
          }
          if (!pending.length) break;
          const arrival = await Promise.race(pending.map((entry) => entry.settled));
          pending = pending.filter((entry) => entry !== arrival.entry);
          let next = StrategyEvent.Timeout;
          if (arrival.entry.kind === "network") {
            next = StrategyEvent.Failed;
            if (arrival.ok) {
              network = arrival.value;
              const keep = storable(index, request, network);
              toStore = keep ? network.clone() : null;
              next = keep ? StrategyEvent.Storable : StrategyEvent.NotStorable;
            }
            // A timer left after the network settled has nothing more to decide.
            clearTimeout(timer);
            pending = pending.filter((entry) => entry.kind !== "timer");
          }
          commands.push(...run.next(next));
          if (!pending.length && !commands.length) commands.push(...run.next(StrategyEvent.Settled));
        }
        return run.outcome();
      } finally {
        run.free();
      }
    }

    // Stale-while-revalidate's background half: fetch, store, and tell pages
    // when the content changed.
    async function revalidate(index, request, old, generation) {
      const response = await fetch(request);
      // A CLEAR_CACHES (logout) since the request started: not for the next user.
      if (!core.mayStore(generation) || !storable(index, request, response)) return;
      const route = settings.routes[index];
      const versions = (headers) => settings.versionHeaders.map((name) => headers.get(name));
      const changed = old && core.changed(versions(old.headers), versions(response.headers));
      await store(await caches.open(route.cacheName), index, request.url, response);
      if (!changed) return;
      const message = { type: "CACHE_UPDATED", url: request.url, cacheName: route.cacheName };
      for (const client of await scope.clients.matchAll()) client.postMessage(message);
    }

    function storable(index, request, response) {
      const { status, headers: h } = response;
      return core.storable(index, request.method, status, h.get("Cache-Control"), h.get("Vary"));
    }

    // Stores a response with its metadata headers, then enforces maxEntries.
    async function store(cache, index, url, response) {
      await cache.put(url, withMetadata(response));
      lastUsed.set(url, ++uses);
      if (settings.routes[index].maxEntries === undefined) return;
      const urls = (await cache.keys()).map((key) => key.url);
      const victims = core.victims(index, urls.map((key) => lastUsed.get(key) ?? NaN));
      for (const i of victims) {
        await cache.delete(urls[i], IGNORE_VARY);
        lastUsed.delete(urls[i]);
      }
    }

    /* A copy of `response` carrying `X-Offline-Runtime: cache`, the time it was
     * cached and (for the precache) its revision. Opaque responses are stored
     * as they are: their headers cannot be read or changed. */
    function withMetadata(response, revision) {
      if (response.type === "opaque") return response;
      const copy = new Headers(response.headers);
      copy.set(headers.source, "cache");
      copy.set(headers.cachedAt, String(Date.now()));
      if (revision !== undefined) copy.set(headers.revision, revision);
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers: copy });
    }

    // When nothing answered: the core picks the answer from the online state.
    async function lastResort(request, write) {
      const kind = core.lastResort(write, request.mode === "navigate", onLine());
      if (kind === LastResortKind.OfflineWrite || kind === LastResortKind.NotCached) return problem(write, request.url);
      if (kind === LastResortKind.FallbackPage && settings.fallbackUrl) {
        const precache = await caches.open(settings.precacheName);
        const hit = await precache.match(settings.fallbackUrl, { ignoreSearch: true });
        if (hit) return hit;
      }
      return Response.error();
    }

    /* Reads up to `maxBytes` of the network's body before answering, so a
     * connection that breaks mid-body fails here (and the run falls back to
     * the cache) instead of handing the page a 200 whose body fails. A larger
     * body streams on: the bytes read so far, then the rest. */
    async function buffered(response, maxBytes) {
      if (!maxBytes || !response.body) return response;
      const reader = response.body.getReader();
      const chunks = [];
      let size = 0;
      while (size <= maxBytes) {
        const { done, value } = await reader.read();
        if (done) return rebuilt(response, new Blob(chunks));
        chunks.push(value);
        size += value.byteLength;
      }
      const rest = new ReadableStream({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
        },
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        cancel: (reason) => reader.cancel(reason),
      });
      return rebuilt(response, rest);
    }

    function rebuilt(response, body, status, headers) {
      return new Response(body, {
        status: status || response.status,
        statusText: status ? "" : response.statusText,
        headers: headers || response.headers,
      });
    }

    // A Range request answered from the cache: the bytes asked for (206
    // with Content-Range), a 416, or the answer as stored, as the core reads
    // the header and the stored status.
    async function ranged(request, cached) {
      const header = request.headers.get("Range");
      if (!header) return cached;
      const body = await cached.blob();
      const range = core.byteRange(header, cached.status, body.size);
      if (!range) return rebuilt(cached, body);
      const headers = new Headers(cached.headers);
      if (!range.length) {
        headers.set("Content-Range", `bytes */${body.size}`);
        headers.delete("Content-Length");
        return rebuilt(cached, null, 416, headers);
      }
      const [start, end] = range;
      headers.set("Content-Range", `bytes ${start}-${end}/${body.size}`);
      headers.set("Content-Length", String(end - start + 1));
      return rebuilt(cached, body.slice(start, end + 1), 206, headers);
    }

    function problem(write, url) {
      const body = core.problem(write, url);
      return new Response(JSON.stringify(body), {
        status: body.status,
        headers: { "Content-Type": "application/problem+json", [headers.source]: "offline" },
      });
    }

    /* Precaches this version's manifest; rejects (failing the install, so the
     * old worker keeps serving) if any entry cannot be fetched. Entries whose
     * revision an older precache already holds are copied, not refetched. */
    async function install() {
      const previous = [];
      for (const name of core.olderPrecaches(await caches.keys())) {
        const older = await caches.open(name);
        const held = [];
        for (const request of await older.keys()) {
          const hit = await older.match(request);
          if (hit) held.push([request.url, hit.headers.get(headers.revision)]);
        }
        previous.push({ cache: name, held });
      }
      const target = await caches.open(settings.precacheName);
      const steps = core.installPlan(previous);
      for (let i = 0; i < steps.length; i += settings.installConcurrency) {
        await Promise.all(steps.slice(i, i + settings.installConcurrency).map((step) => installStep(target, step)));
      }
      if (settings.skipWaiting) scope.skipWaiting();
    }

    async function installStep(target, step) {
      if (step.from) {
        const hit = await (await caches.open(step.from)).match(step.url);
        if (hit) return target.put(step.url, hit);
      }
      const response = await fetch(new Request(step.url, { cache: "reload" }));
      if (!core.installStores(response.status)) {
        // The loader's report adds what follows: the old worker keeps serving.
        throw codedError("E4004", `precache: ${step.url} answered ${response.status}`);
      }
      await target.put(step.url, withMetadata(response, step.revision));
    }

    // Deletes other versions' precaches (and stale route caches), then takes
    // control of open pages.
    async function activate() {
      for (const name of core.cachesToDelete(await caches.keys())) await caches.delete(name);
      // Navigation preload as the core decided for this config.
      const preload = scope.registration && scope.registration.navigationPreload;
      if (preload) await (settings.navigationPreload ? preload.enable() : preload.disable()).catch(() => undefined);
      await scope.clients.claim();
    }

    /* Answers {type: "GET_STATS"} and {type: "CLEAR_CACHES"} (through
     * event.ports[0] when given, else to the sender). */
    async function message(event) {
      const type = event.data && event.data.type;
      let reply;
      if (type === "GET_STATS") {
        reply = await stats();
      } else if (type === "CLEAR_CACHES") {
        for (const name of core.cachesToClear(await caches.keys())) await caches.delete(name);
        lastUsed.clear();
        reply = { type: "CACHES_CLEARED" };
      } else {
        return;
      }
      answer(event, reply);
    }

    async function stats() {
      const routes = {};
      for (const route of settings.routes) {
        const entries = (await (await caches.open(route.cacheName)).keys()).length;
        const counter = counterOf(route);
        routes[route.name] = { strategy: route.strategy, entries, ...counter };
      }
      return { type: "STATS", version: settings.version, routes };
    }

    return {
      handle,
      install,
      activate,
      message,
      forwardFailure,
    };
  }

  /**
   * A cold start's answer from the build's plan (the core's decisions for
   * the precache, written into the worker), before the .wasm has loaded:
   * for a GET of a planned same-origin path and query without a Range header
   * (the engine cuts those), the precached response (or undefined, when not
   * stored); undefined for anything else, which the engine answers. A
   * storage failure rejects: the loader's fail-open then asks the network.
   * @param {{cache: string, paths: string[]} | undefined} plan
   * @param {Request} request
   * @param {any} scope the ServiceWorkerGlobalScope
   * @returns {Promise<Response | undefined> | undefined}
   */
  function coldAnswer(plan, request, scope) {
    // Cheap tests first: this runs on every request until the engine is up.
    if (!plan || request.method !== "GET" || request.headers.has("Range")) return undefined;
    const url = new URL(request.url);
    const planned = url.origin === scope.location.origin && plan.paths.includes(url.pathname + url.search);
    return planned ? scope.caches.match(request, { cacheName: plan.cache }) : undefined;
  }

  // Answers a message through event.ports[0] when given, else to its sender.
  function answer(event, message) {
    const port = event.ports && event.ports[0];
    if (port) port.postMessage(message);
    else if (event.source && typeof event.source.postMessage === "function") event.source.postMessage(message);
  }

  return { create, coldAnswer, answer };
})();
