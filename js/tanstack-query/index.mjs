// `offline-runtime/tanstack-query` (shell): TanStack Query's onlineManager
// follows the heartbeat-confirmed OnlineStatus instead of the browser's bare
// events (which believe a captive portal is online), so queries pause and
// resume on the real state; react-admin >= 5.14's useIsOffline() reads it too.
import init, { OnlineStatus } from "../offline_runtime.js";

/**
 * Connects `onlineManager` (from @tanstack/query-core or a framework
 * adapter) to `status` (an OnlineStatus; by default one created with
 * `options`). Returns the function that disconnects it again (the browser's
 * events then drive onlineManager, as TanStack's default does).
 */
export function connectOnlineManager(onlineManager, status, options) {
  let disconnected = false;
  let unsubscribe = () => {};
  // TanStack runs the listener's setup again each time a first subscriber
  // comes back: one OnlineStatus of our own serves every run, disposed once.
  let owned = null;
  const source = () =>
    status
      ? Promise.resolve(status)
      : (owned ??= init().then(
          () => (disconnected ? null : new OnlineStatus(options)),
          () => null, // the package did not load: the browser's events stay in charge
        ));
  onlineManager.setEventListener((setOnline) => {
    let live = true;
    source().then((online) => {
      if (!online || !live || disconnected) return;
      setOnline(online.online);
      unsubscribe = online.subscribe((state) => setOnline(state.online));
    });
    return () => {
      live = false;
      unsubscribe();
      unsubscribe = () => {};
    };
  });
  return () => {
    disconnected = true;
    unsubscribe();
    owned?.then((online) => online?.dispose());
    onlineManager.setEventListener((setOnline) => {
      const online = () => setOnline(true);
      const offline = () => setOnline(false);
      globalThis.addEventListener?.("online", online, false);
      globalThis.addEventListener?.("offline", offline, false);
      return () => {
        globalThis.removeEventListener?.("online", online);
        globalThis.removeEventListener?.("offline", offline);
      };
    });
  };
}
