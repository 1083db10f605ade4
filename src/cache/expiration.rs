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
    // Entries never served here count as older than any served one (stored
    // before this worker ran, or not used since) and keep insertion order;
    // served ones go by last use. Picked one at a time: the excess is small,
    // and this keeps a sort implementation out of the .wasm.
    let age = |i: usize| last_used(i).unwrap_or(f64::NEG_INFINITY);
    let mut chosen = vec![false; count];
    for _ in 0..excess {
        let oldest = (0..count)
            .filter(|i| !chosen[*i])
            .fold(None, |oldest: Option<usize>, i| match oldest {
                Some(o) if age(o) <= age(i) => Some(o),
                _ => Some(i),
            });
        if let Some(i) = oldest {
            chosen[i] = true;
        }
    }
    (0..count).filter(|i| chosen[*i]).collect()
}
