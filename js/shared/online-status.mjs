// @ts-check
// The bindings' shared OnlineStatus (shell): one instance per distinct
// options for the page's life, as the browser's own online state is one, so
// the React hooks, TanStack's onlineManager, react-admin's wrapper and the
// banner never disagree about the connection (two instances probe apart and
// can, for a moment, say different things). An OnlineStatus passed in is
// used as it is. Internal to the package: the subpaths import it.
import init, { OnlineStatus } from "../offline_runtime.js";

/** @type {Map<string, Promise<OnlineStatus>>} */
const byOptions = new Map();

/**
 * The OnlineStatus for `statusOrOptions` (an instance, or OnlineStatus
 * options; one shared instance per distinct options), once the package is
 * initialised. Rejects when it cannot be (no .wasm, no window).
 * @param {OnlineStatus | import("../offline_runtime.js").OnlineStatusOptions | undefined} statusOrOptions
 * @returns {Promise<OnlineStatus>}
 */
export function sharedOnlineStatus(statusOrOptions) {
  if (statusOrOptions instanceof OnlineStatus) return Promise.resolve(statusOrOptions);
  const key = JSON.stringify(statusOrOptions ?? {});
  let status = byOptions.get(key);
  if (!status) {
    status = init().then(() => new OnlineStatus(statusOrOptions ?? {}));
    status.catch(() => byOptions.delete(key));
    byOptions.set(key, status);
  }
  return status;
}
