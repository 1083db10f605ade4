//! The headers this library writes on the responses it stores, read back by
//! the worker's engine (cache) and by the page (freshness). Pure data.

/// When a stored response was cached (ms since the epoch).
pub const CACHED_AT_HEADER: &str = "X-Offline-Runtime-Cached-At";
/// On a response served from a cache (`cache`) or made up offline (`offline`).
pub const SOURCE_HEADER: &str = "X-Offline-Runtime";
/// A precached response's manifest revision.
pub const REVISION_HEADER: &str = "X-Offline-Runtime-Revision";
