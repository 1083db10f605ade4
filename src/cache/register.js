// @ts-check
/* The page's hold on the package's caches (shell; the Rust beside it,
 * register.rs, passes which names are the package's). WebKit's ephemeral
 * sessions (Safari's private browsing, WebDriver sessions) drop a cache's
 * entries once no live context holds it open, so a worker WebKit stops when
 * idle would otherwise restart to empty caches and nothing to serve offline.
 */

/** @type {Cache[]} */
let held = [];

/**
 * Opens every cache whose name starts with `prefix` and keeps the handles
 * while the page lives (a later call replaces them, so caches made since are
 * held too). Without Cache Storage (an opaque origin) it does nothing.
 * @param {string} prefix
 */
export function holdCaches(prefix) {
  if (typeof caches === "undefined") return;
  caches
    .keys()
    .then((names) => Promise.all(names.filter((name) => name.startsWith(prefix)).map((name) => caches.open(name))))
    .then((opened) => {
      held = opened;
    })
    .catch(() => undefined);
}
