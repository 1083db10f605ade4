//! The engine's decision core as the service worker's JavaScript shell
//! (`sw/engine.js`) sees it: the validated config, routing, strategy runs,
//! cacheability, age and count limits, precache plans and problem bodies.
//! The shell does the I/O (Cache API, fetch, timers, messages) in plain JS,
//! which is far smaller than the same awaits compiled to wasm state machines;
//! every decision it acts on is made here, in the pure modules beside this.
//! The vocabulary of the boundary (`Plan`, `StrategyEvent`,
//! `StrategyCommand`, `LastResortKind`) is exported as enums: the shell names
//! them from the glue and is type-checked against its `.d.ts`.

use wasm_bindgen::prelude::*;

use std::cell::Cell;

use super::answer::{last_resort, write_goes_out, LastResort};
use super::config::Strategy;
use super::config::{Config, PrecacheEntry, Route};
use super::expiration::over_capacity;
use super::precache::{
    caches_to_clear, older_precaches, plan_activate, plan_install, precache_name, route_cache_name,
    Holding, InstallStep, INSTALL_CONCURRENCY,
};
use super::range::{byte_range, RangeAnswer};
use super::revalidation::{changed, VERSION_HEADERS};
use super::route::{decide, Decision, RequestFacts};
use super::strategy::{cacheable, is_expired, Answer, Command, Event, Lookup, ResponseFacts, Run};
use crate::errors::catalog;
use crate::errors::classify::code_for_exception_name;
use crate::errors::format::to_problem;
use crate::errors::problem::problem_to_js;
use crate::headers::{CACHED_AT_HEADER, REVISION_HEADER, SOURCE_HEADER};
use crate::interop::{coded_error, field, ObjectBuilder};
use crate::js_value::to_value;
use wasm_bindgen::convert::TryFromJsValue;

/// What `plan` answers besides a route's index (0 and up).
#[wasm_bindgen]
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Not intercepted: the browser handles it.
    Ignore = -1,
    /// In this version's precache: served from it, else the network.
    Precache = -2,
    /// A guarded write: the network, never sent while offline.
    Write = -3,
    /// A navigation no route takes: the network, else the fallback page.
    Navigation = -4,
}

/// What happened, as `StrategyRun.next` takes it.
#[wasm_bindgen]
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum StrategyEvent {
    /// Gives the run's first commands.
    Start = 0,
    /// The cache lookup found a fresh entry.
    Fresh = 1,
    /// It found an entry past the route's max age.
    Expired = 2,
    /// It found nothing.
    Missing = 3,
    /// The network answered with a response worth storing.
    Storable = 4,
    /// The network answered with one not worth storing.
    NotStorable = 5,
    /// The fetch failed (offline, refused, aborted).
    Failed = 6,
    /// The network-first timer fired.
    Timeout = 7,
    /// Nothing the run started is pending any more.
    Settled = 8,
}

/// What the shell must do, in the order `StrategyRun.next` lists them.
#[wasm_bindgen]
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum StrategyCommand {
    LookupCache = 0,
    Fetch = 1,
    /// Start the network-first timer for `StrategyRun.timerMs`.
    StartTimer = 2,
    AbortFetch = 3,
    /// Answer with the cached entry.
    AnswerCache = 4,
    /// Answer with the cached entry though it is expired (the network failed).
    AnswerStaleCache = 5,
    AnswerNetwork = 6,
    /// Answer with `EngineCore.lastResort` (the fallback page or a problem).
    AnswerFallback = 7,
    /// Store the network's response (after answering).
    Store = 8,
    /// Refresh the entry in the background (stale-while-revalidate).
    Revalidate = 9,
    /// Delete the expired entry the network's answer does not replace.
    DeleteCached = 10,
}

/// What a request gets when nothing answered it (`EngineCore.lastResort`).
#[wasm_bindgen]
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum LastResortKind {
    /// `problem(true)`: E4007, the write was not sent.
    OfflineWrite = 0,
    /// `problem(false)`: E4010, not available offline.
    NotCached = 1,
    /// The precached navigation fallback, else a network error.
    FallbackPage = 2,
    /// `Response.error()`.
    NetworkError = 3,
}

/// The validated config and where this worker is; created by `sw-loader.js`.
#[wasm_bindgen]
pub struct EngineCore {
    config: Config,
    location: Location,
    /// Manifest paths (with query). Small lists: a Vec is smaller in wasm than a map.
    precache: Vec<String>,
    /// Bumped by every `CLEAR_CACHES`: a response fetched before it (a
    /// logged-out user's) is never stored after it.
    generation: Cell<u32>,
}

/// One request's run of a route's strategy (see `strategy::Run`).
#[wasm_bindgen]
pub struct StrategyRun {
    run: Run,
    first: Vec<Command>,
    timer_ms: f64,
}

#[wasm_bindgen]
impl EngineCore {
    /// Validates `config`; throws an E2103 error naming the field.
    /// `location` is the worker's own URL (`self.location.href`; an origin
    /// alone stands for "/"): relative manifest URLs resolve against it.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue, location: String) -> Result<EngineCore, JsValue> {
        let location = Location::of(location)?;
        let mut config = Config::parse(&to_value(&config)).map_err(|error| {
            coded_error(
                catalog::INVALID_SW_CONFIG,
                &["offlineRuntime.start: ", &error.text()].concat(),
            )
        })?;
        // Same-origin manifest URLs become paths, as the cache and plan() see them.
        let mut precache = Vec::new();
        for entry in &mut config.precache {
            if let Some(path) = location.path_of(&entry.url) {
                entry.url.clone_from(&path);
                precache.push(path);
            }
        }
        Ok(EngineCore {
            config,
            location,
            precache,
            generation: Cell::new(0),
        })
    }

    /// What the shell needs once: cache names, per-route limits, flags, the
    /// fallback URL and the metadata header names.
    pub fn settings(&self) -> JsValue {
        let routes: js_sys::Array = self
            .config
            .routes
            .iter()
            .map(|route| {
                ObjectBuilder::new()
                    .set("name", route.name.as_str())
                    .set("cacheName", route_cache_name(&route.name))
                    .set("strategy", route.strategy.name())
                    .set_some("maxEntries", route.max_entries)
                    .set_some("networkTimeoutMs", route.network_timeout_ms)
                    .set("networkBufferBytes", route.network_buffer_bytes)
                    .build()
            })
            .collect();
        let fallback = self.config.navigation_fallback.as_ref().map(|page| {
            [
                self.location.origin.as_str(),
                &self.location.path_of(page).unwrap_or_default(),
            ]
            .concat()
        });
        let headers = ObjectBuilder::new()
            .set("source", SOURCE_HEADER)
            .set("cachedAt", CACHED_AT_HEADER)
            .set("revision", REVISION_HEADER)
            .build();
        ObjectBuilder::new()
            .set("version", self.config.version.as_str())
            .set("precacheName", precache_name(&self.config.version))
            .set("fallbackUrl", fallback)
            .set("routes", routes)
            .set("debug", self.config.debug)
            .set("skipWaiting", self.config.skip_waiting)
            .set("errorReports", self.config.error_reports)
            .set("navigationPreload", self.config.navigation_preload())
            .set("installConcurrency", INSTALL_CONCURRENCY as u32)
            .set("headers", headers)
            .set(
                "versionHeaders",
                VERSION_HEADERS
                    .iter()
                    .map(|&name| JsValue::from(name))
                    .collect::<js_sys::Array>(),
            )
            .build()
    }

    /// Routes a request: a route index, or a `Plan` (negative).
    #[wasm_bindgen(unchecked_return_type = "Plan | number")]
    pub fn plan(
        &self,
        method: &str,
        origin: &str,
        path: &str,
        search: &str,
        destination: &str,
        navigate: bool,
    ) -> i32 {
        let facts = RequestFacts {
            method,
            origin,
            path,
            destination,
            navigate,
        };
        let precached = |path: &str| {
            self.precache
                .iter()
                .any(|p| p.strip_prefix(path) == Some(search))
        };
        let plan = match decide(&self.config, &facts, &self.location.origin, precached) {
            Decision::Ignore => Plan::Ignore,
            Decision::Precache => Plan::Precache,
            Decision::Write => Plan::Write,
            Decision::Navigation => Plan::Navigation,
            Decision::Route(route) => {
                return self
                    .config
                    .routes
                    .iter()
                    .position(|r| std::ptr::eq(r, route))
                    .map_or(Plan::Ignore as i32, |i| i as i32)
            }
        };
        plan as i32
    }

    /// "name strategy" of what `plan` answered, for debug lines.
    pub fn label(&self, plan: i32) -> String {
        let (name, strategy) = match plan {
            p if p == Plan::Precache as i32 => ("precache", Strategy::CacheFirst),
            p if p == Plan::Write as i32 => ("write", Strategy::NetworkOnly),
            p if p == Plan::Navigation as i32 => ("navigation", Strategy::NetworkFirst),
            index => match usize::try_from(index)
                .ok()
                .and_then(|i| self.config.routes.get(i))
            {
                Some(route) => (route.name.as_str(), route.strategy),
                None => ("ignored", Strategy::NetworkOnly),
            },
        };
        [name, " ", strategy.name()].concat()
    }

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

    /// Whether a guarded write is sent; `online` is `navigator.onLine`.
    #[wasm_bindgen(js_name = writeGoesOut)]
    pub fn write_goes_out(&self, online: Option<bool>) -> bool {
        write_goes_out(online)
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

    /// Install's steps, given the older precaches as
    /// `[{cache, held: [[url, revision | null], ...]}, ...]`: objects
    /// `{url, revision?}` to fetch (no revision: a hashed URL), or
    /// `{url, from}` to copy from cache `from`.
    #[wasm_bindgen(js_name = installPlan)]
    pub fn install_plan(&self, previous: JsValue) -> js_sys::Array {
        let previous: Vec<Holding> = js_sys::Array::from(&previous)
            .iter()
            .map(|older| {
                let held = js_sys::Array::from(&field(&older, "held"))
                    .iter()
                    .map(|pair| {
                        let pair = js_sys::Array::from(&pair);
                        let url = pair.get(0).as_string().unwrap_or_default();
                        let path = self.location.path_of(&url).unwrap_or(url);
                        (path, pair.get(1).as_string())
                    })
                    .collect();
                (field(&older, "cache").as_string().unwrap_or_default(), held)
            })
            .collect();
        plan_install(&self.config, &previous)
            .into_iter()
            .map(|step| match step {
                InstallStep::Copy { entry, from } => ObjectBuilder::new()
                    .set("url", self.absolute(&entry))
                    .set("from", from)
                    .build(),
                InstallStep::Fetch(entry) => ObjectBuilder::new()
                    .set("url", self.absolute(&entry))
                    .set_some("revision", entry.revision)
                    .build(),
            })
            .collect()
    }

    /// Caches activate deletes (other versions' precaches, stale route caches).
    #[wasm_bindgen(js_name = cachesToDelete)]
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn caches_to_delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] existing: js_sys::Array,
    ) -> js_sys::Array {
        let existing = strings(&existing);
        to_array(plan_activate(&self.config, &existing))
    }

    /// Caches `CLEAR_CACHES` deletes: every runtime cache. Starts a new
    /// generation: nothing fetched before it is stored after it.
    #[wasm_bindgen(js_name = cachesToClear)]
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn caches_to_clear(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] existing: js_sys::Array,
    ) -> js_sys::Array {
        let existing = strings(&existing);
        self.generation.set(self.generation.get().wrapping_add(1));
        to_array(caches_to_clear(&existing))
    }

    /// The current generation, taken when a request starts.
    pub fn generation(&self) -> u32 {
        self.generation.get()
    }

    /// Whether a response fetched in generation `started` may still be stored.
    #[wasm_bindgen(js_name = mayStore)]
    pub fn may_store(&self, started: u32) -> bool {
        started == self.generation.get()
    }

    /// What a request gets when nothing answered it; `online` is
    /// `navigator.onLine`.
    #[wasm_bindgen(js_name = lastResort)]
    pub fn last_resort(&self, write: bool, navigate: bool, online: Option<bool>) -> LastResortKind {
        match last_resort(write, navigate, online) {
            LastResort::OfflineWrite => LastResortKind::OfflineWrite,
            LastResort::NotCached => LastResortKind::NotCached,
            LastResort::FallbackPage => LastResortKind::FallbackPage,
            LastResort::NetworkError => LastResortKind::NetworkError,
        }
    }

    /// The bytes a `Range` header asks of a cached body of `size` bytes:
    /// `[start, end]` (inclusive) for a 206, `[]` for a 416, `undefined`
    /// for the whole body.
    #[wasm_bindgen(js_name = byteRange)]
    pub fn byte_range(&self, header: &str, size: f64) -> Option<Vec<f64>> {
        match byte_range(header, size as u64) {
            RangeAnswer::Whole => None,
            RangeAnswer::Unsatisfiable => Some(Vec::new()),
            RangeAnswer::Part { start, end } => Some(vec![start as f64, end as f64]),
        }
    }

    /// Precaches of other versions, which install may copy from.
    #[wasm_bindgen(js_name = olderPrecaches)]
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn older_precaches(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] existing: js_sys::Array,
    ) -> js_sys::Array {
        let existing = strings(&existing);
        to_array(older_precaches(&existing, &self.config.version))
    }

    /// The problem body answering `url`: E4007 for a write that cannot reach
    /// the server, else E4010 (not available offline). Has `status`.
    pub fn problem(&self, write: bool, url: &str) -> JsValue {
        // The entries are referenced directly so the worker's .wasm carries
        // only these two, not the whole catalog.
        let entry = if write {
            &catalog::WRITE_BLOCKED_OFFLINE_ENTRY
        } else {
            &catalog::NOT_AVAILABLE_OFFLINE_ENTRY
        };
        problem_to_js(&to_problem(entry, None, Some(url)))
    }
}

/// Where the worker script is. Manifest URLs resolve against it with the
/// platform's URL parser, as `new URL(url, self.location)` does: absolute
/// paths as they are, relative ones ("assets/app.js", "./", "../x")
/// against the worker's directory.
struct Location {
    href: String,
    origin: String,
}

impl Location {
    fn of(href: String) -> Result<Location, JsValue> {
        let url = web_sys::Url::new(&href).map_err(|_| {
            coded_error(
                catalog::INVALID_URL,
                "EngineCore: the worker's location is not a URL",
            )
        })?;
        Ok(Location {
            origin: url.origin(),
            href,
        })
    }

    /// The same-origin path (with query) `url` stands for; `None` for
    /// another origin or no URL at all.
    fn path_of(&self, url: &str) -> Option<String> {
        let url = web_sys::Url::new_with_base(url, &self.href).ok()?;
        (url.origin() == self.origin).then(|| {
            let mut path = url.pathname();
            path.push_str(&url.search());
            path
        })
    }
}

impl EngineCore {
    fn route(&self, index: usize) -> Result<&Route, JsValue> {
        self.config.routes.get(index).ok_or_else(|| {
            coded_error(
                catalog::INVALID_ARGUMENT,
                "EngineCore: no route has that index",
            )
        })
    }

    /// A manifest entry's URL to fetch and store under: same-origin paths
    /// become absolute.
    fn absolute(&self, entry: &PrecacheEntry) -> String {
        if entry.url.starts_with('/') {
            [self.location.origin.as_str(), &entry.url].concat()
        } else {
            entry.url.clone()
        }
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

/// The catalog code for a DOMException name (`QuotaExceededError` -> E3002),
/// for the loader's log lines; `undefined` for names the catalog does not map.
#[wasm_bindgen(js_name = exceptionCode)]
pub fn exception_code(name: &str) -> Option<String> {
    code_for_exception_name(name).map(str::to_owned)
}

/// Cache names as the Cache API lists them (one conversion for every list:
/// smaller than a `Vec<String>` shim per method).
fn strings(names: &js_sys::Array) -> Vec<String> {
    names.iter().filter_map(|name| name.as_string()).collect()
}

fn to_array(names: Vec<String>) -> js_sys::Array {
    names.into_iter().map(JsValue::from).collect()
}
