// @ts-check
// `offline-runtime/tanstack-query` (shell): TanStack Query's onlineManager
// follows the heartbeat-confirmed OnlineStatus instead of the browser's bare
// events (which believe a captive portal is online), so queries pause and
// resume on the real state; react-admin >= 5.14's useIsOffline() reads it too.
import { sharedOnlineStatus } from "../shared/online-status.mjs";

/**
 * Connects `onlineManager` (from @tanstack/query-core or a framework
 * adapter) to `status`: an OnlineStatus, or OnlineStatus options naming the
 * page's shared instance for them (the one the React hooks and react-admin
 * wrapper use for the same options). `connectOnlineManager(m, undefined,
 * options)` is the same as `connectOnlineManager(m, options)`. Returns the
 * function that disconnects it again (the browser's events then drive
 * onlineManager, as TanStack's default does).
 */
export function connectOnlineManager(onlineManager, status, options) {
  let disconnected = false;
  let unsubscribe = () => {};
  // The package may not load: the browser's events then stay in charge.
  const source = sharedOnlineStatus(status ?? options).catch(() => null);
  // TanStack runs this setup again each time a first subscriber comes back;
  // every run follows the same OnlineStatus.
  onlineManager.setEventListener((setOnline) => {
    let live = true;
    source.then((online) => {
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
