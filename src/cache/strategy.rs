//! The strategies as pure per-request state machines. The shell starts a
//! [`Run`], carries out its [`Command`]s (cache lookups, fetches, a timer) and
//! feeds back what happened as [`Event`]s, until the run says how to respond.
//! Expired entries are never served while the network answers; when it does
//! not, a stale answer beats none (this is an offline library).

use super::config::Strategy;

/// What a cache lookup found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Lookup {
    Fresh,
    Expired,
    Missing,
}

/// Something that happened during a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Event {
    Cache(Lookup),
    /// The network answered (any status). `cacheable`: worth storing.
    Network {
        cacheable: bool,
    },
    /// The network failed (offline, refused, aborted).
    NetworkFailed,
    /// The network-first timer fired.
    Timeout,
    /// Nothing the run started is still pending: whatever has not answered
    /// by now gets the fallback.
    Settled,
}

/// Where the response comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Answer {
    /// The cached entry; `expired` is true only when the network failed.
    Cache {
        expired: bool,
    },
    Network,
    /// Neither: the shell answers with the navigation fallback or an error.
    Fallback,
}

/// What the shell must do next.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Command {
    LookupCache,
    Fetch,
    StartTimer(f64),
    AbortFetch,
    Respond(Answer),
    /// Put the network response in the cache (after responding).
    Store,
    /// Fetch in the background and store the answer (stale-while-revalidate).
    Revalidate,
    /// Delete the cached entry: it is expired and the network answered with
    /// something that will not replace it.
    DeleteCached,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Phase {
    Running,
    Responded,
}

/// One request's run of a strategy.
#[derive(Debug)]
pub struct Run {
    strategy: Strategy,
    abort_on_timeout: bool,
    phase: Phase,
    lookup: Option<Lookup>,
    fetching: bool,
    /// The outcome label for debug lines: "hit", "miss", "network", ...
    outcome: &'static str,
}

impl Run {
    pub fn start(
        strategy: Strategy,
        timeout_ms: Option<f64>,
        abort_on_timeout: bool,
    ) -> (Run, Vec<Command>) {
        let mut run = Run {
            strategy,
            abort_on_timeout,
            phase: Phase::Running,
            lookup: None,
            fetching: false,
            outcome: "",
        };
        let commands = match strategy {
            Strategy::CacheFirst | Strategy::StaleWhileRevalidate | Strategy::CacheOnly => {
                vec![Command::LookupCache]
            }
            Strategy::NetworkFirst => {
                run.fetching = true;
                match timeout_ms {
                    Some(ms) => vec![Command::Fetch, Command::StartTimer(ms)],
                    None => vec![Command::Fetch],
                }
            }
            Strategy::NetworkOnly => {
                run.fetching = true;
                vec![Command::Fetch]
            }
        };
        (run, commands)
    }

    pub fn responded(&self) -> bool {
        self.phase == Phase::Responded
    }

    /// "hit", "stale-hit", "miss", "network", "timeout", "fallback", "revalidate".
    pub fn outcome(&self) -> &'static str {
        self.outcome
    }

    pub fn on(&mut self, event: Event) -> Vec<Command> {
        match event {
            Event::Cache(lookup) => self.on_lookup(lookup),
            Event::Network { cacheable } => self.on_network(cacheable),
            Event::NetworkFailed => self.on_network_failed(),
            Event::Timeout => self.on_timeout(),
            Event::Settled if self.responded() => vec![],
            Event::Settled => vec![self.respond(Answer::Fallback, "fallback")],
        }
    }

    fn respond(&mut self, answer: Answer, outcome: &'static str) -> Command {
        self.phase = Phase::Responded;
        self.outcome = outcome;
        Command::Respond(answer)
    }

    fn fetch(&mut self) -> Vec<Command> {
        self.fetching = true;
        vec![Command::Fetch]
    }

    fn on_lookup(&mut self, lookup: Lookup) -> Vec<Command> {
        self.lookup = Some(lookup);
        if self.responded() {
            return vec![];
        }
        match (self.strategy, lookup) {
            (Strategy::CacheOnly, Lookup::Missing) => vec![self.respond(Answer::Fallback, "miss")],
            (Strategy::CacheOnly, _) => vec![self.respond(Answer::Cache { expired: false }, "hit")],
            (Strategy::CacheFirst, Lookup::Fresh) => {
                vec![self.respond(Answer::Cache { expired: false }, "hit")]
            }
            (Strategy::StaleWhileRevalidate, Lookup::Fresh) => vec![
                self.respond(Answer::Cache { expired: false }, "hit"),
                Command::Revalidate,
            ],
            (Strategy::CacheFirst | Strategy::StaleWhileRevalidate, _) => self.fetch(),
            // Network-first looks at the cache after a timeout or a failure.
            (Strategy::NetworkFirst, Lookup::Fresh) => {
                let mut commands = vec![self.respond(Answer::Cache { expired: false }, "timeout")];
                if self.fetching && self.abort_on_timeout {
                    commands.push(Command::AbortFetch);
                }
                commands
            }
            (Strategy::NetworkFirst, _) if self.fetching => vec![], // keep waiting for the network
            (Strategy::NetworkFirst, Lookup::Expired) => {
                vec![self.respond(Answer::Cache { expired: true }, "stale-hit")]
            }
            (Strategy::NetworkFirst, Lookup::Missing) => {
                vec![self.respond(Answer::Fallback, "fallback")]
            }
            (Strategy::NetworkOnly, _) => vec![],
        }
    }

    fn on_network(&mut self, cacheable: bool) -> Vec<Command> {
        self.fetching = false;
        let store = cacheable && self.strategy != Strategy::NetworkOnly;
        let mut commands = Vec::new();
        if !self.responded() {
            commands.push(self.respond(Answer::Network, "network"));
        }
        if store {
            commands.push(Command::Store);
        } else if self.lookup == Some(Lookup::Expired) {
            commands.push(Command::DeleteCached);
        }
        commands
    }

    fn on_network_failed(&mut self) -> Vec<Command> {
        self.fetching = false;
        if self.responded() {
            return vec![];
        }
        match (self.strategy, self.lookup) {
            (Strategy::NetworkOnly, _) => vec![self.respond(Answer::Fallback, "fallback")],
            (_, None) => vec![Command::LookupCache],
            (_, Some(Lookup::Missing)) => vec![self.respond(Answer::Fallback, "fallback")],
            (_, Some(Lookup::Fresh)) => vec![self.respond(Answer::Cache { expired: false }, "hit")],
            (_, Some(Lookup::Expired)) => {
                vec![self.respond(Answer::Cache { expired: true }, "stale-hit")]
            }
        }
    }

    fn on_timeout(&mut self) -> Vec<Command> {
        if self.responded() || self.lookup.is_some() {
            return vec![];
        }
        vec![Command::LookupCache]
    }
}

/// What decides whether a network response may be stored.
#[derive(Clone, Copy, Debug)]
pub struct ResponseFacts<'a> {
    pub method: &'a str,
    pub status: u16,
    /// `Response.type == "opaque"` (no-cors: status 0, unreadable).
    pub opaque: bool,
    pub cache_control: Option<&'a str>,
    pub vary: Option<&'a str>,
}

/// A route's rules for storing responses.
#[derive(Clone, Copy, Debug)]
pub struct StorePolicy<'a> {
    /// Statuses worth storing (default `[200]`).
    pub statuses: &'a [u16],
    /// Store opaque (no-cors) responses.
    pub allow_opaque: bool,
    /// Store responses meant for one user: `Cache-Control: private`, or a
    /// `Vary` on `Cookie` or `Authorization` (which the Cache API cannot
    /// honour: it never sees those request headers). Off by default, so a
    /// cache shared by every user of the browser never serves one user's
    /// answer to the next. (`Set-Cookie` is no sign: a worker never sees it,
    /// it is a forbidden response header.)
    pub allow_private: bool,
}

pub fn cacheable(response: &ResponseFacts, policy: &StorePolicy) -> bool {
    // A header's comma-separated names, lower case, without `=value`.
    let names = |header: Option<&str>| -> Vec<String> {
        header
            .unwrap_or("")
            .split(',')
            .map(|item| {
                item.split('=')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .collect()
    };
    let (cache_control, vary) = (names(response.cache_control), names(response.vary));
    let has = |list: &[String], name: &str| list.iter().any(|item| item == name);
    if response.method != "GET" || has(&cache_control, "no-store") || has(&vary, "*") {
        return false;
    }
    let personal =
        has(&cache_control, "private") || has(&vary, "cookie") || has(&vary, "authorization");
    if personal && !policy.allow_private {
        return false;
    }
    if response.opaque {
        return policy.allow_opaque;
    }
    policy.statuses.contains(&response.status)
}

/// Whether an entry cached at `cached_at_ms` is past `max_age_ms`.
pub fn is_expired(cached_at_ms: Option<f64>, max_age_ms: Option<f64>, now_ms: f64) -> bool {
    match (cached_at_ms, max_age_ms) {
        (Some(at), Some(max_age)) => now_ms - at > max_age,
        // No timestamp (opaque entries) or no age limit: never expires by age.
        _ => false,
    }
}
