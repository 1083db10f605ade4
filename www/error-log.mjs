// The demo server's error log: receives the batches ErrorReporter POSTs to
// /api/errors, validates them, keeps each report once (by id: a batch sent
// again after a lost answer is not stored twice), and deletes rows older
// than the retention (30 days) on every write and every hour. In memory, as
// the rest of the demo's data; docs/errors/reporting.md has the Postgres
// table a real backend would use.
export const RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
const MAX_BATCH = 100;
const CODE = /^E[1-5]\d{3}$/;

const text = (value, max) => (typeof value === "string" ? value.slice(0, max) : null);

/** One stored row from a report, or a reason it is refused. */
function toRow(report, receivedAt) {
  if (!report || typeof report !== "object") return { refused: "not an object" };
  if (typeof report.id !== "string" || !report.id || report.id.length > 100) return { refused: "id" };
  if (typeof report.code !== "string" || !CODE.test(report.code)) return { refused: "code" };
  if (!Number.isFinite(report.timestamp)) return { refused: "timestamp" };
  if (typeof report.message !== "string") return { refused: "message" };
  return {
    row: {
      id: report.id,
      receivedAt,
      timestamp: report.timestamp,
      userId: text(report.user?.id != null ? String(report.user.id) : null, 200),
      code: report.code,
      category: text(report.category, 20),
      message: text(report.message, 2000),
      stack: text(report.stack, 10000),
      url: text(report.url, 2000),
      release: text(report.release, 100),
      request: report.request && typeof report.request === "object" ? report.request : null,
      context: report.context ?? null,
      online: typeof report.online === "boolean" ? report.online : null,
      count: Number.isInteger(report.count) && report.count > 0 ? report.count : 1,
    },
  };
}

/** `now` is injectable so the retention can be tested on a fake clock. */
export function createErrorLog({ now = Date.now, retentionMs = RETENTION_MS } = {}) {
  const rows = new Map();
  let droppedByClients = 0;

  /** Deletes rows received before the retention window; returns how many. */
  function cleanup() {
    const oldest = now() - retentionMs;
    let deleted = 0;
    for (const [id, row] of rows) {
      if (row.receivedAt < oldest) {
        rows.delete(id);
        deleted += 1;
      }
    }
    return deleted;
  }

  /** A POSTed batch: `{status, body}` to answer with. */
  function receive(batch) {
    if (!batch || !Array.isArray(batch.reports) || batch.reports.length > MAX_BATCH) {
      return { status: 400, body: { code: "E2001", title: "Invalid report batch", detail: `expected {reports: [...]} with at most ${MAX_BATCH} reports` } };
    }
    cleanup();
    const receivedAt = now();
    let accepted = 0, duplicates = 0, refused = 0;
    for (const report of batch.reports) {
      const { row } = toRow(report, receivedAt);
      if (!row) refused += 1;
      else if (rows.has(row.id)) duplicates += 1;
      else {
        rows.set(row.id, row);
        accepted += 1;
      }
    }
    if (Number.isInteger(batch.dropped) && batch.dropped > 0) droppedByClients += batch.dropped;
    return { status: 200, body: { accepted, duplicates, refused } };
  }

  /** Newest first, optionally of one code. */
  function recent({ code, limit = 100 } = {}) {
    return [...rows.values()]
      .filter((row) => !code || row.code === code)
      .sort((a, b) => b.timestamp - a.timestamp)
      .slice(0, limit);
  }

  return { receive, cleanup, recent, rows, dropped: () => droppedByClients };
}
