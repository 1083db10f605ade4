//! EngineCore, a route's strategy: its runs (`run`, then `StrategyRun.next`),
//! what may be stored (`storable`), what a lookup found (`lookup`), whether
//! a refresh changed anything (`changed`) and what the count limit evicts
//! (`victims`).

use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::prelude::*;

use super::{EngineCore, StrategyCommand, StrategyEvent, StrategyRun};
use crate::cache::expiration::over_capacity;
use crate::cache::revalidation::changed;
use crate::cache::strategy::{
    cacheable, is_expired, Answer, Command, Event, Lookup, ResponseFacts, Run,
};
use crate::errors::catalog;
use crate::interop::coded_error;

#[wasm_bindgen]
impl EngineCore {
    /// Starts a run of route `route`'s strategy; its first commands come
    /// from `next(0)`.
    pub fn run(&self, route: usize) -> Result<StrategyRun, JsValue> {
        let route = self.route(route)?;
        let (run, first) = Run::start(
            route.strategy,
            route.network_timeout_ms,
            route.abort_on_timeout,
        );
        Ok(StrategyRun {
            run,
            first,
            timer_ms: 0.0,
        })
    }

    /// Whether the network's answer to a `method` request may be stored for
    /// route `route`: its status (0 for an opaque response) and its
    /// Cache-Control and Vary headers.
    pub fn storable(
        &self,
        route: usize,
        method: &str,
        status: u16,
        cache_control: Option<String>,
        vary: Option<String>,
    ) -> Result<bool, JsValue> {
        let facts = ResponseFacts {
            method,
            status,
            opaque: status == 0,
            cache_control: cache_control.as_deref(),
            vary: vary.as_deref(),
        };
        Ok(cacheable(&facts, &self.route(route)?.store_policy()))
    }

    /// What a lookup in route `route`'s cache found: `Missing` when
    /// nothing, else `Fresh` or `Expired` by the entry's cached-at header
    /// (`cached_at`) and the route's max age at `now_ms`.
    pub fn lookup(
        &self,
        route: usize,
        found: bool,
        cached_at: Option<String>,
        now_ms: f64,
    ) -> Result<StrategyEvent, JsValue> {
        let max_age = self.route(route)?.max_age_ms;
        if !found {
            return Ok(StrategyEvent::Missing);
        }
        let at = cached_at
            .and_then(|at| at.parse::<u64>().ok())
            .map(|at| at as f64);
        Ok(if is_expired(at, max_age, now_ms) {
            StrategyEvent::Expired
        } else {
            StrategyEvent::Fresh
        })
    }

    /// Whether a revalidated response is a new version of the cached one:
    /// `before` and `after` hold their `versionHeaders` values, in order.
    pub fn changed(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(string | null)[]")] before: js_sys::Array,
        #[wasm_bindgen(unchecked_param_type = "(string | null)[]")] after: js_sys::Array,
    ) -> bool {
        let strings = |values: js_sys::Array| -> Vec<Option<String>> {
            values.iter().map(|v| v.as_string()).collect()
        };
        changed(&strings(before), &strings(after))
    }

    /// Indices of the entries to delete from route `route`'s cache, whose
    /// keys (in the cache's order) were last used in the order `last_used`
    /// gives (larger is later; NaN: not by this worker).
    pub fn victims(&self, route: usize, last_used: Vec<f64>) -> Result<Vec<u32>, JsValue> {
        let Some(max_entries) = self.route(route)?.max_entries else {
            return Ok(Vec::new());
        };
        let at = |i: usize| last_used.get(i).copied().filter(|at| !at.is_nan());
        Ok(over_capacity(last_used.len(), max_entries, at)
            .into_iter()
            .map(|i| i as u32)
            .collect())
    }
}

#[wasm_bindgen]
impl StrategyRun {
    /// Feeds what happened and returns the commands to carry out, in order
    /// (as bytes: smaller glue than an array of enums). Anything but a
    /// `StrategyEvent` throws E2100.
    #[wasm_bindgen(unchecked_return_type = "Iterable<StrategyCommand>")]
    pub fn next(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "StrategyEvent")] event: JsValue,
    ) -> Result<Vec<u8>, JsValue> {
        let event = StrategyEvent::try_from_js_value_ref(&event).ok_or_else(|| {
            coded_error(
                catalog::INVALID_ARGUMENT,
                "StrategyRun.next: the event is not a StrategyEvent",
            )
        })?;
        let commands = match event {
            StrategyEvent::Start => std::mem::take(&mut self.first),
            StrategyEvent::Fresh => self.run.on(Event::Cache(Lookup::Fresh)),
            StrategyEvent::Expired => self.run.on(Event::Cache(Lookup::Expired)),
            StrategyEvent::Missing => self.run.on(Event::Cache(Lookup::Missing)),
            StrategyEvent::Storable => self.run.on(Event::Network { cacheable: true }),
            StrategyEvent::NotStorable => self.run.on(Event::Network { cacheable: false }),
            StrategyEvent::Failed => self.run.on(Event::NetworkFailed),
            StrategyEvent::Timeout => self.run.on(Event::Timeout),
            StrategyEvent::Settled => self.run.on(Event::Settled),
        };
        Ok(commands
            .into_iter()
            .map(|command| match command {
                Command::LookupCache => StrategyCommand::LookupCache,
                Command::Fetch => StrategyCommand::Fetch,
                Command::StartTimer(ms) => {
                    self.timer_ms = ms;
                    StrategyCommand::StartTimer
                }
                Command::AbortFetch => StrategyCommand::AbortFetch,
                Command::Respond(Answer::Cache { expired: false }) => StrategyCommand::AnswerCache,
                Command::Respond(Answer::Cache { expired: true }) => {
                    StrategyCommand::AnswerStaleCache
                }
                Command::Respond(Answer::Network) => StrategyCommand::AnswerNetwork,
                Command::Respond(Answer::Fallback) => StrategyCommand::AnswerFallback,
                Command::Store => StrategyCommand::Store,
                Command::Revalidate => StrategyCommand::Revalidate,
                Command::DeleteCached => StrategyCommand::DeleteCached,
            } as u8)
            .collect())
    }

    /// The milliseconds of the last `StartTimer` command.
    #[wasm_bindgen(getter, js_name = timerMs)]
    pub fn timer_ms(&self) -> f64 {
        self.timer_ms
    }

    /// "hit", "stale-hit", "miss", "network", "timeout", "fallback": for debug lines.
    pub fn outcome(&self) -> String {
        self.run.outcome().into()
    }
}
