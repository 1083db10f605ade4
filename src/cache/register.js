// @ts-check
/* The page side of registerServiceWorker (shell; register.rs decides when
 * each thing happens). Two jobs:
 * - Callers: every registerServiceWorker call's callbacks, kept until its
 *   AbortSignal aborts, so the page needs one listener of each kind however
 *   often a component mounts (the Rust calls `notify` when one fires).
 * - Caches: WebKit's ephemeral sessions (Safari's private browsing,
 *   WebDriver sessions) drop a cache's entries once no live context holds it
 *   open, so a worker WebKit stops when idle would otherwise restart to empty
 *   caches and nothing to serve offline; the page holds them open.
 */

/**
 * @typedef {object} Caller
 * @property {((update: unknown) => void) | undefined} onUpdateReady
 * @property {(() => void) | undefined} onControllerChange
 * @property {AbortSignal | undefined} signal
 */

/** @type {Set<Caller>} */
const callers = new Set();

/**
 * Adds one call's callbacks (none once `signal` has aborted); they leave when it aborts.
 * @param {((update: unknown) => void) | undefined} onUpdateReady
 * @param {(() => void) | undefined} onControllerChange
 * @param {AbortSignal | undefined} signal
 */
export function addCaller(onUpdateReady, onControllerChange, signal) {
  if (signal?.aborted) return;
  const caller = { onUpdateReady, onControllerChange, signal };
  callers.add(caller);
  signal?.addEventListener("abort", () => callers.delete(caller), { once: true });
}

/**
 * Tells every caller: a new version took control (`update` undefined), or
 * one waits (`update` is its {skipWaiting()}).
 * @param {unknown} update
 */
export function notify(update) {
  for (const caller of [...callers]) {
    try {
      if (update === undefined) caller.onControllerChange?.();
      else caller.onUpdateReady?.(update);
    } catch (error) {
      // One caller's failure does not keep the news from the others.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

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
