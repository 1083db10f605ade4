// The practical floor: a hand-written service worker doing the same job with
// no library: cache-first for assets, network-first (3 s timeout) for the API.
const ASSETS = "minimal-assets";
const API = "minimal-api";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

async function cacheFirst(event) {
  const cache = await caches.open(ASSETS);
  const hit = await cache.match(event.request);
  if (hit) return hit;
  const response = await fetch(event.request);
  if (response.status === 200) event.waitUntil(cache.put(event.request, response.clone()));
  return response;
}

async function networkFirst(event) {
  const cache = await caches.open(API);
  try {
    const response = await Promise.race([
      fetch(event.request),
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
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname.startsWith("/bench/assets/")) event.respondWith(cacheFirst(event));
  else if (url.pathname.startsWith("/bench/api/")) event.respondWith(networkFirst(event));
});
