// @ts-check
// react-admin's list queries answered over the records this device holds
// (pure: no I/O, no state): getList's filter, sort and pagination and
// getManyReference's target, with the rules react-admin's FakeRest provider
// uses, so an offline list shows what the same query online would have
// shown among the records kept here. Lives beside the react-admin binding
// rather than in the wasm core: only react-admin apps pay for it.

/**
 * @typedef {{ record: Record<string, unknown>, cachedAt: number }} Stored
 * @typedef {{ field?: string, order?: string }} Sort
 * @typedef {{ filter?: Record<string, unknown>, sort?: Sort, pagination?: { page?: number, perPage?: number }, target?: string, id?: unknown }} ListParams
 */

/** Field-name suffixes FakeRest reads as operators, and what each keeps. */
const OPERATORS = /** @type {const} */ ({
  _gte: (/** @type {number} */ order) => order >= 0,
  _lte: (/** @type {number} */ order) => order <= 0,
  _gt: (/** @type {number} */ order) => order > 0,
  _lt: (/** @type {number} */ order) => order < 0,
});

/**
 * `a.b` reads record.a.b.
 * @param {unknown} record
 * @param {string} path
 */
function read(record, path) {
  let value = record;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = /** @type {Record<string, unknown>} */ (value)[key];
  }
  return value;
}

/** @param {unknown} value */
const isScalar = (value) => value === null || ["string", "number", "boolean"].includes(typeof value);

/**
 * Equal as react-admin ids are: a route's "6" is the API's 6.
 * @param {unknown} a
 * @param {unknown} b
 */
const same = (a, b) => a === b || (isScalar(a) && isScalar(b) && a !== null && b !== null && String(a) === String(b));

/**
 * -1, 0 or 1: numbers by value, everything else as text; missing values last.
 * @param {unknown} a
 * @param {unknown} b
 */
function compare(a, b) {
  const missing = (/** @type {unknown} */ v) => v === undefined || v === null;
  if (missing(a) || missing(b)) return missing(a) === missing(b) ? 0 : missing(a) ? 1 : -1;
  if (typeof a === "number" && typeof b === "number") return a === b ? 0 : a < b ? -1 : 1;
  const [x, y] = [String(a), String(b)];
  return x === y ? 0 : x < y ? -1 : 1;
}

/**
 * Does `value` (a field, maybe an array of values) contain `text`, ignoring case?
 * @param {unknown} value
 * @param {string} text
 */
function mentions(value, text) {
  if (Array.isArray(value)) return value.some((item) => mentions(item, text));
  return (typeof value === "string" || typeof value === "number") && String(value).toLowerCase().includes(text);
}

/**
 * The test one filter entry makes, or null when it is not one this can evaluate.
 * @param {string} key
 * @param {unknown} wanted
 * @returns {((record: Record<string, unknown>) => boolean) | null}
 */
function test(key, wanted) {
  if (key === "q") {
    if (typeof wanted !== "string") return null;
    const text = wanted.toLowerCase();
    return (record) => Object.values(record).some((value) => mentions(value, text));
  }
  const suffix = /_(gte|lte|gt|lt|neq|eq|q)$/.exec(key)?.[0];
  const field = suffix ? key.slice(0, -suffix.length) : key;
  if (suffix === "_q") {
    if (typeof wanted !== "string") return null;
    return (record) => mentions(read(record, field), wanted.toLowerCase());
  }
  if (suffix && suffix in OPERATORS) {
    if (!isScalar(wanted) || wanted === null) return null;
    const keeps = OPERATORS[/** @type {keyof typeof OPERATORS} */ (suffix)];
    return (record) => {
      const value = read(record, field);
      return value !== undefined && value !== null && keeps(compare(value, wanted));
    };
  }
  // Equality: arrays mean "any of", a field holding an array matches if it holds the value.
  const anyOf = Array.isArray(wanted) ? wanted : [wanted];
  if (!anyOf.every(isScalar)) return null;
  const matches = (/** @type {unknown} */ value) => anyOf.some((option) => same(value, option));
  const equal = (/** @type {Record<string, unknown>} */ record) => {
    const value = read(record, field);
    return Array.isArray(value) ? value.some(matches) : matches(value);
  };
  return suffix === "_neq" ? (record) => !equal(record) : equal;
}

/**
 * The page of `stored` (most recently viewed first) that answers `params`:
 * `{data, total, unevaluated}`, `total` counting every match held here and
 * `unevaluated` naming filters this cannot evaluate (they are not applied).
 * @param {Stored[]} stored
 * @param {ListParams} params
 */
export function answerList(stored, params) {
  const filter = { ...(params.filter ?? {}) };
  if (params.target !== undefined) filter[params.target] = params.id;
  /** @type {string[]} */
  const unevaluated = [];
  /** @type {Array<(record: Record<string, unknown>) => boolean>} */
  const tests = [];
  for (const [key, wanted] of Object.entries(filter)) {
    if (wanted === undefined) continue;
    const check = test(key, wanted);
    if (check) tests.push(check);
    else unevaluated.push(key);
  }
  const matched = stored.filter(({ record }) => tests.every((check) => check(record)));
  const { field, order } = params.sort ?? {};
  if (field) {
    const direction = String(order).toUpperCase() === "DESC" ? -1 : 1;
    matched.sort((a, b) => direction * compare(read(a.record, field), read(b.record, field)));
  }
  const perPage = Math.max(1, params.pagination?.perPage ?? 25);
  const page = Math.max(1, params.pagination?.page ?? 1);
  return { data: matched.slice((page - 1) * perPage, page * perPage), total: matched.length, unevaluated };
}
