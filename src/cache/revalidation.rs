//! What a stale-while-revalidate refresh tells open pages: whether the
//! response that replaced a cached entry is a different version of it.
//! Pure.

/// The headers whose change means a new version, in the order `changed` reads.
pub const VERSION_HEADERS: [&str; 3] = ["ETag", "Last-Modified", "Content-Length"];

/// `before` and `after` hold the `VERSION_HEADERS` values of the cached and
/// the fresh response. Changed when a header both carry differs; a header
/// only one side has tells nothing (a server that adds an ETag is not news).
pub fn changed(before: &[Option<String>], after: &[Option<String>]) -> bool {
    before
        .iter()
        .zip(after)
        .any(|pair| matches!(pair, (Some(old), Some(new)) if old != new))
}
