// @ts-check
// The reporter's capture (shell): the failures it listens for (uncaught
// errors and rejections, errors shown or classified by the package, the
// service worker's own), and what crosses into the core for each: the
// failure's message and stack and the app's context cut to the core's
// limits.
import { observeErrors } from "../offline_runtime.js";

/** An error's message and stack, whatever was thrown. */
export function describe(error) {
  if (error && typeof error === "object") {
    const message = error.message ?? error.userMessage ?? error.title ?? error.detail;
    return { message: String(message ?? "(no message)"), stack: typeof error.stack === "string" ? error.stack : undefined };
  }
  return { message: String(error), stack: undefined };
}

/**
 * The app's context cut to the core's limits before it crosses into wasm
 * (the core then redacts and trims what is left): at most `maxItems` entries
 * per object or array, `maxDepth` levels, `maxText` characters per string,
 * and `maxNodes` values and `maxTotalText` characters in all, so a cyclic,
 * deep, wide or huge value (app state, a DOM node, a React element) costs
 * bounded time. A value met again on its own path is "[circular]"; one that
 * throws when read is "[unreadable]".
 * @param {unknown} context
 * @param {{maxDepth: number, maxItems: number, maxText: number, maxNodes: number, maxTotalText: number}} limits
 */
export function boundedContext(context, limits) {
  let nodes = limits.maxNodes;
  let text = limits.maxTotalText;
  const path = new Set();
  const walk = (value, depth) => {
    if (typeof value === "string") {
      const kept = value.slice(0, Math.min(limits.maxText, Math.max(text, 0)));
      text -= kept.length;
      return kept;
    }
    if (value === null || typeof value !== "object") return value;
    if (path.has(value)) return "[circular]";
    if (depth >= limits.maxDepth) return Array.isArray(value) ? `[${value.length} items]` : "[object]";
    path.add(value);
    try {
      if (Array.isArray(value)) {
        const items = [];
        for (let i = 0; i < value.length && i < limits.maxItems && nodes > 0; i++, nodes--) items.push(walk(value[i], depth + 1));
        return items;
      }
      /** @type {Record<string, unknown>} */
      const fields = {};
      let count = 0;
      for (const key in value) {
        if (count >= limits.maxItems || nodes <= 0) break;
        if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
        count++;
        nodes--;
        fields[key] = walk(value[key], depth + 1);
      }
      return fields;
    } catch (_) {
      return "[unreadable]";
    } finally {
      path.delete(value);
    }
  };
  return walk(context, 0);
}

/**
 * Listens for the failures `options` asks for and hands each to `report`
 * (`info` when already classified); returns what stops listening.
 * @param {{captureUnhandled?: boolean, captureShown?: boolean, captureClassified?: boolean}} options
 * @param {(info: any, failure: unknown, context: Record<string, unknown>) => void} report
 * @param {(target: any, type: string, listener: (event: any) => void) => void} listen
 * @returns {() => void}
 */
export function captureFailures(options, report, listen) {
  if (options.captureUnhandled) {
    listen(globalThis, "error", (event) => report(undefined, event.error ?? event.message, { source: "error" }));
    listen(globalThis, "unhandledrejection", (event) => report(undefined, event.reason, { source: "unhandledrejection" }));
  }
  // The service worker's own failures (its config's `errorReports: true`).
  const worker = globalThis.navigator?.serviceWorker;
  listen(worker, "message", (event) => {
    const data = event.data;
    if (data?.type !== "OFFLINE_RUNTIME_FAILURE") return;
    report({ code: String(data.code) }, { message: String(data.message) }, { source: "service-worker", request: data.request });
  });
  worker?.startMessages?.();
  if (options.captureShown === false && !options.captureClassified) return () => undefined;
  observeErrors((kind, info, failure) => {
    if (kind === "shown" && options.captureShown !== false) report(info, failure, { source: "showError" });
    if (kind === "classified" && options.captureClassified) report(info, failure, { source: "classifyError" });
  });
  return () => observeErrors(null);
}
