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
  let owned = null;
  onlineManager.setEventListener((setOnline) => {
    const attach = (source) => {
      if (disconnected) return;
      setOnline(source.online);
      unsubscribe = source.subscribe((state) => setOnline(state.online));
    };
    if (status) attach(status);
    else
      init().then(() => {
        owned = new OnlineStatus(options);
        attach(owned);
      });
    return () => unsubscribe();
  });
  return () => {
    disconnected = true;
    unsubscribe();
    if (owned) owned.dispose();
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
