// @ts-check
// The reporter's transport (shell): a batch cut to fit fetch's keepalive
// budget, and its POST. What the answer means is the core's (afterSend).

// fetch's keepalive (which outlives the page) has a 64 KiB budget for the
// bodies of all such requests in flight.
const KEEPALIVE_BYTES = 60000;

const encoder = new TextEncoder();
/** A body's size on the wire (UTF-8 bytes, not UTF-16 units). @param {string} text */
const byteLength = (text) => (text.length * 3 <= KEEPALIVE_BYTES ? text.length : encoder.encode(text).length);

/**
 * The body of a batch, with fewer of its reports (and their keys) until it
 * fits keepalive's budget, so it survives the page going away; the rest go
 * next round. A single report over the budget goes alone.
 * @param {{keys: unknown[], reports: any[], dropped: number}} batch
 */
export function fitted({ keys, reports, dropped }) {
  let body = JSON.stringify({ reports, dropped });
  while (byteLength(body) > KEEPALIVE_BYTES && reports.length > 1) {
    const half = Math.ceil(reports.length / 2);
    keys = keys.slice(0, half);
    reports = reports.slice(0, half);
    body = JSON.stringify({ reports, dropped });
  }
  return { keys, reports, dropped, body };
}

/**
 * POSTs a body; with keepalive when it fits the budget, so it completes even
 * if the page goes away (one over it is sent without, and stays queued
 * until answered). Never rejects: a network failure is status 0.
 * @param {string} endpoint
 * @param {string} body
 * @returns {Promise<{status: number, retryAfter: number | undefined}>}
 */
export async function post(endpoint, body) {
  try {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
      keepalive: byteLength(body) <= KEEPALIVE_BYTES,
      credentials: "same-origin",
      // The page's URL may carry secrets in its query; the report itself is redacted.
      referrerPolicy: "origin",
    });
    const retryAfter = Number(response.headers.get("Retry-After"));
    // Read to the end: until then the browser counts this request against
    // the keepalive budget, and the next batch's send would fail.
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status, retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined };
  } catch (_) {
    return { status: 0, retryAfter: undefined };
  }
}
