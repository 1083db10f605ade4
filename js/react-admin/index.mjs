// @ts-check
// `offline-runtime/react-admin` (shell): a react-admin data provider that
// keeps what the user viewed in the RecordStore, answers list queries from
// it when the network fails (answerList, beside this file), refuses writes
// while offline, and turns failures into react-admin HttpErrors whose
// message is the catalog's formatted text with its code; plus the pieces
// that connect react-admin's query client and buttons to the same
// connection state. The decisions (which calls read, is this a network
// failure, which code, the message) are the core's (dataProviderCall,
// isNetworkFailure, classifyError, formatError); this file routes.
import { useEffect } from "react";
import init, {
  RecordStore,
  classifyError,
  classifyResponse,
  dataProviderCall,
  disableWhileOffline,
  formatError,
  isNetworkFailure,
} from "../offline_runtime.js";
import { useOnlineStatusObject } from "../react/index.mjs";
import { sharedOnlineStatus } from "../shared/online-status.mjs";
import { answerList } from "./query.mjs";

/** react-admin's HttpError shape (pass react-admin's own class as `HttpError` for instanceof checks). */
export class OfflineHttpError extends Error {
  constructor(message, status, body = null) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.body = body;
  }
}

/**
 * react-admin's buttons that change data: Create, Edit, Clone, Delete, a
 * form toolbar's Save and the bulk delete (by the class names react-admin
 * gives them, and where it puts them; its labels are translated).
 */
export const REACT_ADMIN_ACTIONS = [
  ".RaCreateButton-root",
  ".RaCreateButton-floating",
  ".RaEditButton-root",
  ".RaCloneButton-root",
  ".ra-delete-button",
  '[class*="RaToolbar-"] button[type="submit"]',
  ".RaBulkActionsToolbar-topToolbar button.MuiButton-colorError",
].join(", ");

/**
 * Wraps `dataProvider`. Options: `store` (a RecordStore) or `storeOptions`
 * (to open one; default idType "auto", so route ids "6" and API ids 6 are
 * one record), `resources` (default: all), `status` (an OnlineStatus or its
 * options: writes are refused while it is offline, stale records purged on
 * reconnect), `reads` (custom methods that only read; every other custom
 * method counts as a write), `HttpError` (react-admin's class).
 */
export function withOfflineRecords(dataProvider, options = {}) {
  const { store, storeOptions, resources, status, reads = [], HttpError = OfflineHttpError } = options;
  const ready = store ? Promise.resolve() : init();
  const opened = store ? Promise.resolve(store) : ready.then(() => RecordStore.open({ idType: "auto", ...storeOptions }));
  opened.catch(() => undefined);
  const storesResource = (resource) => !resources || resources.includes(resource);
  let confirmed = null;
  if (status) {
    ready
      .then(() => sharedOnlineStatus(status))
      .then((online) => {
        confirmed = online;
        online.onReconnect(() => opened.then((records) => records.purgeStale()).catch(() => undefined));
      })
      .catch(() => undefined);
  }
  // The confirmed state once known; the browser's until then (or without `status`).
  const offline = () => (confirmed ? !confirmed.online : typeof navigator !== "undefined" && navigator.onLine === false);

  // A coded HttpError from any failure: "Unable to save contacts (E4007)"-style
  // for writes, the catalog's message otherwise; the problem body kept.
  async function coded(error, call, resource) {
    // react-admin's HttpError keeps the server's body (a problem+json) in `body`.
    const problem = error?.body && typeof error.body === "object" && error.body.code ? { ...error.body, status: error.status } : error;
    const classified = error instanceof Response ? await classifyResponse(error) : classifyError(problem);
    const { action } = call;
    const message = action ? formatError(classified, { action, subject: resource }) : formatError(classified);
    return new HttpError(message, classified.status ?? classified.httpStatus ?? 0, error?.body ?? { ...classified });
  }

  const offlineRecord = (stored) => ({ ...stored.record, _offline: { cachedAt: stored.cachedAt } });

  async function fromStore(method, resource, params) {
    const records = await opened;
    if (method === "getOne") {
      const hit = await records.get(resource, params.id);
      return hit ? { data: offlineRecord(hit) } : null;
    }
    if (method === "getMany") {
      const hits = await Promise.all(params.ids.map((id) => records.get(resource, id)));
      const found = hits.filter(Boolean);
      return found.length ? { data: found.map(offlineRecord) } : null;
    }
    const held = await records.recent(resource, Math.max(1, await records.count(resource)));
    const { data, total, unevaluated } = answerList(held, params ?? {});
    // The honest total: what matched among the records this device holds.
    const meta = unevaluated.length ? { offline: true, unevaluatedFilters: unevaluated } : { offline: true };
    return { data: data.map(offlineRecord), total, meta };
  }

  async function remember(method, resource, result) {
    if (!storesResource(resource) || !result?.data) return;
    const records = await opened;
    if (method === "getOne") await records.put(resource, result.data);
    if (method === "getMany" && result.data.length) await records.putMany(resource, result.data);
  }

  return new Proxy(dataProvider, {
    get(target, method) {
      const original = target[method];
      // Symbols (a Promise check, an inspector) are no data provider methods.
      if (typeof original !== "function" || typeof method !== "string") return original;
      return async (...args) => {
        const [resource, params] = args;
        // Without the package (its .wasm could not load), the app's provider as it is.
        const call = await ready.then(
          () => dataProviderCall(method, reads),
          () => null,
        );
        if (!call) return original.apply(target, args);
        // Never pretend a write worked: refused before the provider runs
        // (an in-browser provider would otherwise "save" offline).
        if (!call.read && offline()) throw await coded({ code: "E4007", status: 503 }, call, resource);
        try {
          const result = await original.apply(target, args);
          if (call.kept) await remember(method, resource, result).catch(() => undefined);
          return result;
        } catch (error) {
          if (call.kept && storesResource(resource) && isNetworkFailure(error)) {
            const answer = await fromStore(method, resource, params).catch(() => null);
            if (answer) return answer;
          }
          throw await coded(error, call, resource);
        }
      };
    },
  });
}

/**
 * Prepares react-admin's TanStack `queryClient` (pass it to `<Admin
 * queryClient>`) for offline mode: queries run while offline, so the
 * wrapped provider answers them from the store (react-admin's default pauses
 * them); mutations run, so a refused write shows its error at once; every
 * query refetches when `status` (an OnlineStatus or its options)
 * reconnects. Options the app set itself are kept. Returns `queryClient`.
 */
/**
 * @param {any} queryClient
 * @param {{status?: any}} [options]
 */
export function offlineQueryClient(queryClient, { status } = {}) {
  const defaults = queryClient.getDefaultOptions();
  queryClient.setDefaultOptions({
    ...defaults,
    queries: { networkMode: "offlineFirst", ...defaults.queries },
    mutations: { networkMode: "always", ...defaults.mutations },
  });
  sharedOnlineStatus(status)
    .then((online) => online.onReconnect(() => queryClient.invalidateQueries()))
    .catch(() => undefined);
  return queryClient;
}

/**
 * While offline, react-admin's data-changing buttons (REACT_ADMIN_ACTIONS,
 * or your `selector`) look and act disabled, with the `tooltip` ("Offline");
 * put it in your layout. Renders nothing.
 */
export function OfflineActions({ status, selector = REACT_ADMIN_ACTIONS, tooltip }) {
  const online = useOnlineStatusObject(status);
  useEffect(() => {
    if (!online || typeof document === "undefined") return undefined;
    const ui = disableWhileOffline(document.body, online, tooltip === undefined ? { selector } : { selector, tooltip });
    return () => ui.dispose();
  }, [online, selector, tooltip]);
  return null;
}
