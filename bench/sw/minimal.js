// The practical floor: a hand-written service worker doing the same job with
// no library: the app shell precached at install, cache-first for assets,
// network-first (3 s timeout) for the API and for navigations, which use
// navigation preload as a careful hand-writer would.
const PRECACHE = "minimal-precache";
const PRECACHED = new Set(["/bench/shell/app.js"]);
const ASSETS = "minimal-assets";
const API = "minimal-api";
const PAGES = "minimal-pages";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(PRECACHE).then((cache) => cache.addAll([...PRECACHED])).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => {
  event.waitUntil(Promise.all([self.clients.claim(), self.registration.navigationPreload.enable()]));
});

async function precached(event) {
  const cache = await caches.open(PRECACHE);
  return (await cache.match(event.request)) ?? fetch(event.request);
}

async function cacheFirst(event) {
  const cache = await caches.open(ASSETS);
  const hit = await cache.match(event.request);
  if (hit) return hit;
  const response = await fetch(event.request);
  if (response.status === 200) event.waitUntil(cache.put(event.request, response.clone()));
  return response;
}

async function networkFirst(event, cacheName, network) {
  const cache = await caches.open(cacheName);
  try {
    const response = await Promise.race([
      network,
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 3000)),
    ]);
    if (response.status === 200) event.waitUntil(cache.put(event.request, response.clone()));
    return response;
  } catch (error) {
    const hit = await cache.match(event.request);
    if (hit) return hit;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin) return;
  if (request.mode === "navigate") {
    const network = Promise.resolve(event.preloadResponse).then((preloaded) => preloaded ?? fetch(request));
    event.respondWith(networkFirst(event, PAGES, network));
  } else if (PRECACHED.has(url.pathname)) event.respondWith(precached(event));
  else if (url.pathname.startsWith("/bench/assets/")) event.respondWith(cacheFirst(event));
  else if (url.pathname.startsWith("/bench/api/")) event.respondWith(networkFirst(event, API, fetch(request)));
});
