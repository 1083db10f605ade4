// Types of `offline-runtime/tanstack-query`.
import type { OnlineStatus, OnlineStatusOptions } from "../offline_runtime.js";

/** What connectOnlineManager needs of TanStack Query's onlineManager. */
export interface OnlineManagerLike {
  setEventListener(setup: (setOnline: (online: boolean) => void) => (() => void) | undefined): void;
}

/** Drives onlineManager from the confirmed status; returns the disconnect function. */
export function connectOnlineManager(
  onlineManager: OnlineManagerLike,
  status?: OnlineStatus,
  options?: OnlineStatusOptions,
): () => void;
