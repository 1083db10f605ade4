//! Error reports that reach the server, even from offline sessions.
//! `redact` (what never leaves the device) and `policy` (dedup, sampling,
//! rate cap, queue bound, backoff) are pure; `js` is the core's boundary
//! (`ReporterCore`), driven by the JavaScript shell in `js/reporting/`
//! (queue in IndexedDB, sending, page lifecycle), which decides nothing.

pub mod policy;
pub mod redact;

#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod js;
