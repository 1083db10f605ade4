//! Expiration by count: which entries of a runtime cache go when it holds
//! more than `maxEntries`. The cache's own key order is insertion order (a
//! put re-appends), and the engine's in-memory record of last use (this
//! worker's lifetime) refines it, so nothing is kept beside the cache that
//! could drift from it. Pure.

/// Picks the entries to delete so that `keys.len() <= max_entries`, least
/// recently used first. `keys` is in the cache's insertion order;
/// `last_used(i)` is when entry `i` was last served in this worker, if it was.
pub fn over_capacity(
    count: usize,
    max_entries: u32,
    last_used: impl Fn(usize) -> Option<f64>,
) -> Vec<usize> {
    let excess = count.saturating_sub(max_entries as usize);
    if excess == 0 {
        return Vec::new();
    }
    // Entries never served here keep their insertion order and count as
    // older than any served one (they were stored before this worker ran or
    // have not been used since).
    let mut order: Vec<(Option<f64>, usize)> = (0..count).map(|i| (last_used(i), i)).collect();
    order.sort_by(|a, b| match (a.0, b.0) {
        (None, None) => a.1.cmp(&b.1),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => x.total_cmp(&y).then(a.1.cmp(&b.1)),
    });
    let mut victims: Vec<usize> = order.into_iter().take(excess).map(|(_, i)| i).collect();
    victims.sort_unstable();
    victims
}
