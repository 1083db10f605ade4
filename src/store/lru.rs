//! The record store's pure policy: the access clock (strictly increasing, so
//! LRU order never ties), how many entries a resource must evict, which
//! entries are stale, how many go to free quota. No IndexedDB here.

/// Default cap per resource type.
pub const DEFAULT_MAX_PER_RESOURCE: u32 = 100;
/// Default age after which `purgeStale` removes an entry (24 h).
pub const DEFAULT_MAX_AGE_MS: f64 = 86_400_000.0;
/// Share of all entries evicted (oldest first) when storage is full.
pub const QUOTA_EVICTION_SHARE: f64 = 0.10;

/// Hands out access times: the wall clock, nudged forward when two accesses
/// fall in the same millisecond so the later one always sorts later.
#[derive(Debug, Default, Clone)]
pub struct AccessClock {
    last: f64,
}

impl AccessClock {
    /// The smallest step between two access times (well above f64 resolution
    /// for present-day epoch milliseconds).
    pub const STEP: f64 = 0.001;

    pub fn tick(&mut self, now_ms: f64) -> f64 {
        let next = if now_ms > self.last {
            now_ms
        } else {
            self.last + Self::STEP
        };
        self.last = next;
        next
    }
}

/// How many of a resource's least recently used entries must go so that
/// `count` entries fit under `cap`.
pub fn excess(count: u32, cap: u32) -> u32 {
    count.saturating_sub(cap)
}

/// The staleness cutoff at `now_ms`: an entry cached before it is older than
/// `max_age_ms`, and stale.
pub fn stale_before(now_ms: f64, max_age_ms: f64) -> f64 {
    now_ms - max_age_ms
}

/// How many of `total` entries (oldest first, across resources) to evict when
/// storage is full: 10%, at least one when there is anything.
pub fn quota_eviction_count(total: u32) -> u32 {
    if total == 0 {
        return 0;
    }
    ((f64::from(total) * QUOTA_EVICTION_SHARE).ceil() as u32).max(1)
}

/// A whole store in memory run by this policy, for checking the policy (the
/// property tests compare it with a plain LRU list). Keys are (resource, id).
#[derive(Debug, Default)]
pub struct Model {
    cap: u32,
    clock: AccessClock,
    /// (resource, id, last_access)
    entries: Vec<(String, String, f64)>,
}

impl Model {
    pub fn new(cap: u32) -> Self {
        Model {
            cap,
            ..Model::default()
        }
    }

    /// A put: insert or refresh, then evict the least recently used beyond the cap.
    pub fn put(&mut self, resource: &str, id: &str, now_ms: f64) {
        let at = self.clock.tick(now_ms);
        self.entries.retain(|(r, i, _)| !(r == resource && i == id));
        self.entries.push((resource.into(), id.into(), at));
        let mut mine: Vec<(f64, String)> = self
            .entries
            .iter()
            .filter(|(r, _, _)| r == resource)
            .map(|(_, i, at)| (*at, i.clone()))
            .collect();
        let evict = excess(mine.len() as u32, self.cap) as usize;
        mine.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (_, id) in mine.into_iter().take(evict) {
            self.entries
                .retain(|(r, i, _)| !(r == resource && *i == id));
        }
    }

    /// A get: a view, so the entry becomes the most recently used. Returns
    /// whether it was there.
    pub fn get(&mut self, resource: &str, id: &str, now_ms: f64) -> bool {
        let Some(position) = self
            .entries
            .iter()
            .position(|(r, i, _)| r == resource && i == id)
        else {
            return false;
        };
        self.entries[position].2 = self.clock.tick(now_ms);
        true
    }

    /// Ids of a resource, most recently used first.
    pub fn recent(&self, resource: &str) -> Vec<String> {
        let mut mine: Vec<&(String, String, f64)> = self
            .entries
            .iter()
            .filter(|(r, _, _)| r == resource)
            .collect();
        mine.sort_by(|a, b| b.2.total_cmp(&a.2));
        mine.into_iter().map(|(_, id, _)| id.clone()).collect()
    }
}
