// Types of `offline-runtime/vite`. The plugin's type names only what Vite's
// `Plugin` needs to accept it, so these types need no vite installed.
import type { OfflineRuntimeConfig } from "../sw/sw-loader.js";

export interface OfflineRuntimePluginOptions extends Omit<OfflineRuntimeConfig, "precache"> {
  /** Your own classic worker, holding self.__OFFLINE_RUNTIME_MANIFEST (or self.__WB_MANIFEST). */
  swSrc?: string;
  /** The worker's file in the output. Default "sw.js". */
  swDest?: string;
  /** Files to precache even though `exclude` or the defaults leave them out. */
  include?: (string | RegExp)[];
  /** Files (paths relative to the output) to leave out, besides source maps. */
  exclude?: (string | RegExp)[];
  /** Files larger than this are left out with a build warning naming them. Default 5242880 (5 MiB). */
  maximumFileSizeBytes?: number;
  /** Above this precache total the build warns, naming the largest files. Default 3145728 (3 MiB). */
  precacheBudgetBytes?: number;
  /** Names that carry a content hash and need no revision. Default none: every file gets a content revision. */
  hashedNames?: RegExp;
  /** The folder (beside the worker) the worker's own files are copied to. Default "offline-runtime". */
  workerFilesDir?: string;
  /** Dev server: the worker is off (a worker that intercepts nothing) unless enabled. */
  devOptions?: { enabled?: boolean };
}

/** A Vite plugin object (its hooks are Vite's). */
export interface OfflineRuntimeVitePlugin {
  name: "offline-runtime";
}

/** The Vite plugin: generates sw.js and its precache from the build output. */
export default function offlineRuntime(options?: OfflineRuntimePluginOptions): OfflineRuntimeVitePlugin;
