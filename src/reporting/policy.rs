//! When a report is made, merged or dropped, how reports are batched and
//! when a failed send is retried: deduplication (the same code and message
//! within a window is one report with a count), sampling, a hard cap per
//! minute, the queue's bound (oldest dropped, and counted), and backoff.
//! Time and randomness come in as arguments. Pure.

/// The reporter's limits, with their documented defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Repeats of a code and message within this window count into one report.
    pub dedup_window_ms: f64,
    /// New reports allowed per minute; more are dropped (and counted).
    pub max_per_minute: u32,
    /// Reports waiting in the queue; adding beyond drops the oldest.
    pub max_queue: u32,
    /// Reports per request.
    pub batch_size: u32,
    /// The share of new reports kept, 0 to 1.
    pub sample_rate: f64,
    /// How long a new report waits before it is sent, so a burst of errors
    /// leaves as one request (and repeats as one report with a count).
    pub batch_delay_ms: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            dedup_window_ms: 60_000.0,
            max_per_minute: 30,
            max_queue: 100,
            batch_size: 20,
            sample_rate: 1.0,
            batch_delay_ms: 1_000.0,
        }
    }
}

/// What becomes of an error the app reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admit {
    /// A new report, under this id.
    New,
    /// A repeat of a queued report: its count is now `count`.
    Repeat { id: String, count: u32 },
    /// Left out by sampling.
    Sampled,
    /// Over the per-minute cap: dropped and counted.
    Limited,
}

#[derive(Debug, Clone)]
struct Seen {
    fingerprint: String,
    id: String,
    first_at: f64,
    count: u32,
}

/// How many distinct recent reports are remembered for deduplication.
const MAX_REMEMBERED: usize = 100;
const MINUTE_MS: f64 = 60_000.0;

/// The reporter's memory of recent reports (one per reporter).
#[derive(Debug, Clone)]
pub struct Admission {
    limits: Limits,
    seen: Vec<Seen>,
    minute_started: f64,
    in_minute: u32,
}

impl Admission {
    pub fn new(limits: Limits) -> Admission {
        Admission {
            limits,
            seen: Vec::new(),
            minute_started: f64::NEG_INFINITY,
            in_minute: 0,
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Decides about an error whose code and message make `fingerprint`, at
    /// `now_ms`; `random` is uniform in [0, 1). `id` names it if it is new.
    pub fn admit(&mut self, fingerprint: &str, id: &str, now_ms: f64, random: f64) -> Admit {
        let window = self.limits.dedup_window_ms;
        self.seen.retain(|seen| now_ms - seen.first_at < window);
        if let Some(seen) = self.seen.iter_mut().find(|s| s.fingerprint == fingerprint) {
            seen.count = seen.count.saturating_add(1);
            return Admit::Repeat {
                id: seen.id.clone(),
                count: seen.count,
            };
        }
        if random >= self.limits.sample_rate {
            return Admit::Sampled;
        }
        if now_ms - self.minute_started >= MINUTE_MS {
            self.minute_started = now_ms;
            self.in_minute = 0;
        }
        if self.in_minute >= self.limits.max_per_minute {
            return Admit::Limited;
        }
        self.in_minute += 1;
        self.remember(fingerprint, id, now_ms, 1);
        Admit::New
    }

    /// A report queued before this reporter started (an earlier page):
    /// repeats within its window count into it. Not counted against the
    /// per-minute cap, which is this page's.
    pub fn remember(&mut self, fingerprint: &str, id: &str, at_ms: f64, count: u32) {
        if self.seen.iter().any(|seen| seen.fingerprint == fingerprint) {
            return;
        }
        if self.seen.len() >= MAX_REMEMBERED {
            self.seen.remove(0);
        }
        self.seen.push(Seen {
            fingerprint: fingerprint.to_owned(),
            id: id.to_owned(),
            first_at: at_ms,
            count: count.max(1),
        });
    }

    /// The server acknowledged these reports: a repeat now starts a new one
    /// (a sent report's count cannot change any more).
    pub fn sent(&mut self, ids: &[String]) {
        self.seen.retain(|seen| !ids.contains(&seen.id));
    }
}

/// How many of the oldest queued reports to drop before adding one to a
/// queue holding `queued`.
pub fn overflow(queued: u32, max_queue: u32) -> u32 {
    (queued + 1).saturating_sub(max_queue.max(1))
}

/// Whether a send may start: not while the browser or the app's confirmed
/// status says offline (unknown counts as online: the send will tell).
pub fn may_send(browser_online: Option<bool>, confirmed_online: Option<bool>) -> bool {
    browser_online != Some(false) && confirmed_online != Some(false)
}

/// What a send's answer means for the batch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sent {
    /// Stored by the server: delete from the queue, never send again.
    Acknowledged,
    /// Try again after `delay_ms` (network failure, offline, 408, 429, 5xx).
    Retry { delay_ms: f64 },
    /// Refused for good (another 4xx): dropped, counted, never retried.
    Rejected,
}

/// Backoff after `failures` failed sends in a row: 1 s doubling to 5 min,
/// or the server's `Retry-After` when longer.
pub fn after_send(status: u16, failures: u32, retry_after_seconds: Option<f64>) -> Sent {
    match status {
        200..=299 => Sent::Acknowledged,
        0 | 408 | 425 | 429 | 500..=599 => {
            let backoff = 1000.0 * 2f64.powi(failures.min(20) as i32);
            let asked = retry_after_seconds.unwrap_or(0.0) * 1000.0;
            Sent::Retry {
                delay_ms: backoff.max(asked).min(MAX_BACKOFF_MS),
            }
        }
        _ => Sent::Rejected,
    }
}

pub const MAX_BACKOFF_MS: f64 = 300_000.0;
