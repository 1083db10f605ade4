// Types of `offline-runtime/tanstack-query`.
import type { OnlineStatus, OnlineStatusOptions } from "../offline_runtime.js";

/** What connectOnlineManager needs of TanStack Query's onlineManager. */
export interface OnlineManagerLike {
  setEventListener(setup: (setOnline: (online: boolean) => void) => (() => void) | undefined): void;
}

/**
 * Drives onlineManager from the confirmed status: an OnlineStatus, or options
 * naming the page's shared instance for them (also used by the React hooks
 * and react-admin's wrapper). Returns the disconnect function.
 */
export function connectOnlineManager(
  onlineManager: OnlineManagerLike,
  status?: OnlineStatus | OnlineStatusOptions,
  options?: OnlineStatusOptions,
): () => void;
