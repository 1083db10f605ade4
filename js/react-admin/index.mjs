// `offline-runtime/react-admin` (shell): a react-admin data provider that
// keeps what the user viewed in the RecordStore and answers from it when the
// network fails, and turns failures into react-admin HttpErrors whose
// message is the catalog's formatted text with its code. The decisions (is
// this a network failure, which code, the message) are the core's
// classifyError/formatError; this file only routes the calls.
import init, { RecordStore, classifyError, classifyResponse, formatError } from "../offline_runtime.js";

/** react-admin's HttpError shape (pass react-admin's own class as `HttpError` for instanceof checks). */
export class OfflineHttpError extends Error {
  constructor(message, status, body = null) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.body = body;
  }
}

const READS = ["getOne", "getMany", "getList", "getManyReference"];

/**
 * Wraps `dataProvider`. Options: `store` (a RecordStore) or `storeOptions`
 * (to open one; default idType "auto", so route ids "6" and API ids 6 are
 * one record), `resources` (default: all), `status` (an OnlineStatus: stale
 * records are purged on reconnect), `HttpError` (react-admin's class).
 */
export function withOfflineRecords(dataProvider, options = {}) {
  const { store, storeOptions, resources, status, HttpError = OfflineHttpError } = options;
  const opened = store ? Promise.resolve(store) : init().then(() => RecordStore.open({ idType: "auto", ...storeOptions }));
  const kept = (resource) => !resources || resources.includes(resource);
  if (status) status.onReconnect(() => opened.then((records) => records.purgeStale()).catch(() => undefined));

  // A coded HttpError from any failure: "Unable to save contact (E2001)"-style
  // for writes, the catalog's message otherwise; the problem body kept.
  async function coded(error, method, resource) {
    // react-admin's HttpError keeps the server's body (a problem+json) in `body`.
    const problem = error?.body && typeof error.body === "object" && error.body.code ? { ...error.body, status: error.status } : error;
    const classified = error instanceof Response ? await classifyResponse(error) : classifyError(problem);
    const action = READS.includes(method) ? undefined : method === "delete" || method === "deleteMany" ? "delete" : "save";
    const message = action ? formatError(classified, { action, subject: resource }) : formatError(classified);
    return new HttpError(message, classified.status ?? classified.httpStatus ?? 0, error?.body ?? { ...classified });
  }

  // The network failed (not the server saying no): answer from the store.
  const networkFailed = (error) => {
    const code = classifyError(error?.body?.code ? error.body : error);
    return code.category === "network" && !(error?.status >= 400 && error.status < 500);
  };

  const offline = (stored) => ({ ...stored.record, _offline: { cachedAt: stored.cachedAt } });

  async function fromStore(method, resource, params) {
    const records = await opened;
    if (method === "getOne") {
      const hit = await records.get(resource, params.id);
      return hit ? { data: offline(hit) } : null;
    }
    if (method === "getMany") {
      const hits = await Promise.all(params.ids.map((id) => records.get(resource, id)));
      const found = hits.filter(Boolean);
      return found.length ? { data: found.map(offline) } : null;
    }
    const perPage = params?.pagination?.perPage ?? 25;
    const recent = await records.recent(resource, Math.max(1, Math.min(perPage, 100)));
    // The honest total: what this device holds, not the server's count.
    return { data: recent.map(offline), total: await records.count(resource), meta: { offline: true } };
  }

  async function remember(method, resource, result) {
    if (!kept(resource) || !result?.data) return;
    const records = await opened;
    if (method === "getOne") await records.put(resource, result.data);
    if (method === "getMany" && result.data.length) await records.putMany(resource, result.data);
  }

  return new Proxy(dataProvider, {
    get(target, method) {
      const original = target[method];
      if (typeof original !== "function") return original;
      return async (resource, params) => {
        try {
          const result = await original.call(target, resource, params);
          if (READS.includes(method)) await remember(method, resource, result).catch(() => undefined);
          return result;
        } catch (error) {
          if (READS.includes(method) && kept(resource) && networkFailed(error)) {
            const answer = await fromStore(method, resource, params).catch(() => null);
            if (answer) return answer;
          }
          throw await coded(error, method, resource);
        }
      };
    },
  });
}
