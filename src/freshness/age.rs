//! The age of cached data and how to say it. Pure.

use crate::errors::format::decimal;

/// After this long, data shown from a cache counts as stale (the default of
/// `cacheInfo`'s `staleAfterMs`): 5 minutes.
pub const DEFAULT_STALE_AFTER_MS: f64 = 300_000.0;

/// What the app shows about data: where it came from and how old it is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Freshness {
    /// Served from a cache (the worker's or the record store), not the network.
    pub from_cache: bool,
    /// When it was cached (ms since the epoch), if known.
    pub cached_at: Option<f64>,
    /// `now - cached_at`, never negative (a clock behind the server's reads 0).
    pub age_ms: Option<f64>,
    /// From a cache and older than the limit.
    pub stale: bool,
}

pub fn freshness(
    from_cache: bool,
    cached_at: Option<f64>,
    now_ms: f64,
    stale_after_ms: f64,
) -> Freshness {
    let cached_at = cached_at.filter(|at| at.is_finite());
    let age_ms = cached_at.map(|at| (now_ms - at).max(0.0));
    Freshness {
        from_cache,
        cached_at,
        age_ms,
        stale: from_cache && age_ms.is_some_and(|age| age > stale_after_ms),
    }
}

/// "Last synced just now", "... 3 min ago", "... 2 h ago", "... 4 days ago";
/// "Never synced" without a time. A time in the future (a skewed clock)
/// reads "just now".
pub fn last_synced_text(cached_at: Option<f64>, now_ms: f64) -> String {
    let Some(at) = cached_at.filter(|at| at.is_finite()) else {
        return "Never synced".into();
    };
    let minutes = ((now_ms - at).max(0.0) / 60_000.0).floor() as u64;
    let (count, unit) = match minutes {
        0 => return "Last synced just now".into(),
        1..=59 => (minutes, "min"),
        60..=1439 => (minutes / 60, "h"),
        _ => (minutes / 1440, if minutes < 2880 { "day" } else { "days" }),
    };
    ["Last synced ", &decimal(count), " ", unit, " ago"].concat()
}
