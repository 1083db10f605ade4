// Workbox 7 doing the same job (bundled by esbuild at bench time): the app
// shell precached, navigation preload on for network-first navigations.
import { enable as enableNavigationPreload } from "workbox-navigation-preload";
import { precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { CacheFirst, NetworkFirst } from "workbox-strategies";
import { ExpirationPlugin } from "workbox-expiration";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

enableNavigationPreload();
precacheAndRoute([{ url: "/bench/shell/app.js", revision: "1" }]);
registerRoute(new NavigationRoute(new NetworkFirst({ cacheName: "workbox-pages", networkTimeoutSeconds: 3 })));
registerRoute(
  ({ url, request }) => request.method === "GET" && url.pathname.startsWith("/bench/assets/"),
  new CacheFirst({
    cacheName: "workbox-assets",
    plugins: [new ExpirationPlugin({ maxEntries: 200, maxAgeSeconds: 86400 })],
  }),
);
registerRoute(
  ({ url, request }) => request.method === "GET" && url.pathname.startsWith("/bench/api/"),
  new NetworkFirst({
    cacheName: "workbox-api",
    networkTimeoutSeconds: 3,
    plugins: [new ExpirationPlugin({ maxAgeSeconds: 86400 })],
  }),
);
