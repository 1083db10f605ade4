//! What a request gets when neither the network nor the cache could answer
//! it. "Offline" is decided by the browser's online state, never by a
//! failure alone: a write whose connection dropped while online, or a CORS
//! failure, is a network error (as it would be without a worker; the page's
//! `fetch` rejects and `classifyError` says E4003), not "you're offline".
//! Pure.

/// The answer of last resort.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LastResort {
    /// 503 problem+json, E4007: the write was not sent, the user is offline.
    OfflineWrite,
    /// 504 problem+json, E4010: offline and never cached.
    NotCached,
    /// The navigation fallback page (or a network error without one).
    FallbackPage,
    /// `Response.error()`: the page sees the failure it would see with no worker.
    NetworkError,
}

/// `online` is `navigator.onLine` in the worker (`None` when it cannot tell).
pub fn last_resort(write: bool, navigate: bool, online: Option<bool>) -> LastResort {
    let offline = online == Some(false);
    match (write, navigate, offline) {
        (true, _, true) => LastResort::OfflineWrite,
        (true, _, false) => LastResort::NetworkError,
        (false, true, _) => LastResort::FallbackPage,
        (false, false, true) => LastResort::NotCached,
        (false, false, false) => LastResort::NetworkError,
    }
}

/// Whether a guarded write is sent at all: not while the browser says it is
/// offline (it would only fail, or hang on a captive network).
pub fn write_goes_out(online: Option<bool>) -> bool {
    online != Some(false)
}
