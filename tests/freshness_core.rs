//! Native tests of freshness: ages, the stale flag and "Last synced" texts.
#![cfg(not(target_arch = "wasm32"))]

use offline_runtime::freshness::age::{freshness, last_synced_text, DEFAULT_STALE_AFTER_MS};

const MINUTE: f64 = 60_000.0;

#[test]
fn last_synced_says_how_long_ago_in_the_largest_whole_unit() {
    let now = 1_800_000_000_000.0;
    let cases = [
        (Some(now), "Last synced just now"),
        (Some(now - 59_999.0), "Last synced just now"),
        (Some(now - 3.0 * MINUTE), "Last synced 3 min ago"),
        (Some(now - 59.0 * MINUTE), "Last synced 59 min ago"),
        (Some(now - 60.0 * MINUTE), "Last synced 1 h ago"),
        (Some(now - 23.9 * 60.0 * MINUTE), "Last synced 23 h ago"),
        (Some(now - 24.0 * 60.0 * MINUTE), "Last synced 1 day ago"),
        (
            Some(now - 100.0 * 24.0 * 60.0 * MINUTE),
            "Last synced 100 days ago",
        ),
        (Some(now + 10.0 * MINUTE), "Last synced just now"),
        (Some(f64::NAN), "Never synced"),
        (None, "Never synced"),
    ];
    for (cached_at, text) in cases {
        assert_eq!(last_synced_text(cached_at, now), text, "{cached_at:?}");
    }
}

#[test]
fn cached_data_goes_stale_after_the_limit_and_network_data_never() {
    let now = 10.0 * MINUTE;
    let fresh = freshness(true, Some(now - 4.0 * MINUTE), now, DEFAULT_STALE_AFTER_MS);
    assert_eq!(fresh.age_ms, Some(4.0 * MINUTE));
    assert!(!fresh.stale);
    assert!(freshness(true, Some(now - 6.0 * MINUTE), now, DEFAULT_STALE_AFTER_MS).stale);
    assert!(
        !freshness(false, Some(0.0), now, DEFAULT_STALE_AFTER_MS).stale,
        "from the network"
    );
    let skewed = freshness(true, Some(now + MINUTE), now, DEFAULT_STALE_AFTER_MS);
    assert_eq!(
        skewed.age_ms,
        Some(0.0),
        "a clock behind the cache reads 0, never negative"
    );
    assert_eq!(freshness(true, None, now, 1.0).age_ms, None);
}
