//! The engine's decision core as the service worker's JavaScript shell
//! (`sw/engine.js`) sees it: the validated config, routing, strategy runs,
//! cacheability, age and count limits, precache plans and problem bodies.
//! The shell does the I/O (Cache API, fetch, timers, messages) in plain JS,
//! which is far smaller than the same awaits compiled to wasm state machines;
//! every decision it acts on is made here, in the pure modules beside this.
//! Numbers on the boundary (plans, events, commands) are listed below and in
//! `sw/engine.js`.

use wasm_bindgen::prelude::*;

use std::cell::Cell;

use super::answer::{last_resort, LastResort};
use super::config::{Config, PrecacheEntry, Route};
use super::expiration::over_capacity;
use super::precache::{
    caches_to_clear, older_precaches, plan_activate, plan_install, precache_name, route_cache_name,
    Holding, InstallStep, CACHED_AT_HEADER, INSTALL_CONCURRENCY, REVISION_HEADER, SOURCE_HEADER,
};
use super::range::{byte_range, RangeAnswer};
use super::route::{decide, Decision, RequestFacts};
use super::strategy::{cacheable, is_expired, Answer, Command, Event, Lookup, ResponseFacts, Run};
use super::value::Value;
use crate::errors::catalog;
use crate::errors::classify::code_for_exception_name;
use crate::errors::format::to_problem;
use crate::errors::problem::problem_to_js;
use crate::interop::{coded_error, ObjectBuilder};

/// `plan` answers: a route's index (0 and up), or one of these.
const PLAN_IGNORE: i32 = -1;
const PLAN_PRECACHE: i32 = -2;
const PLAN_WRITE: i32 = -3;
const PLAN_NAVIGATION: i32 = -4;

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
}

#[wasm_bindgen]
impl EngineCore {
    /// Validates `config`; throws an E2103 error naming the field.
    /// `location` is the worker's own URL (`self.location.href`; an origin
    /// alone stands for "/"): relative manifest URLs resolve against it.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue, location: String) -> Result<EngineCore, JsValue> {
        let location = Location::of(location)?;
        let mut config = Config::parse(&to_value(&config, 0)).map_err(|error| {
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
            .set("installConcurrency", INSTALL_CONCURRENCY as u32)
            .set("headers", headers)
            .build()
    }

    /// Routes a request: a route index, or -1 (not intercepted), -2 (precached),
    /// -3 (a guarded write), -4 (a navigation answered by the fallback when offline).
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
        match decide(&self.config, &facts, &self.location.origin, precached) {
            Decision::Ignore => PLAN_IGNORE,
            Decision::Precache => PLAN_PRECACHE,
            Decision::Write => PLAN_WRITE,
            Decision::Navigation => PLAN_NAVIGATION,
            Decision::Route(route) => self
                .config
                .routes
                .iter()
                .position(|r| std::ptr::eq(r, route))
                .map_or(PLAN_IGNORE, |i| i as i32),
        }
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
        Ok(StrategyRun { run, first })
    }

    /// Whether the network's answer to a `method` request may be stored for
    /// route `route`: its status (0 for an opaque response), its
    /// Cache-Control and Vary headers, and whether it sets a cookie.
    pub fn storable(
        &self,
        route: usize,
        method: &str,
        status: u16,
        cache_control: Option<String>,
        vary: Option<String>,
        set_cookie: bool,
    ) -> Result<bool, JsValue> {
        let facts = ResponseFacts {
            method,
            status,
            opaque: status == 0,
            cache_control: cache_control.as_deref(),
            vary: vary.as_deref(),
            set_cookie,
        };
        Ok(cacheable(&facts, &self.route(route)?.store_policy()))
    }

    /// Whether an entry whose cached-at header reads `cached_at` is past
    /// route `route`'s max age at `now_ms`.
    pub fn expired(
        &self,
        route: usize,
        cached_at: Option<String>,
        now_ms: f64,
    ) -> Result<bool, JsValue> {
        let at = cached_at
            .and_then(|at| at.parse::<u64>().ok())
            .map(|at| at as f64);
        Ok(is_expired(at, self.route(route)?.max_age_ms, now_ms))
    }

    /// Indices of the entries to delete from route `route`'s cache, whose
    /// keys (in the cache's order) were last used at `last_used` (NaN: not
    /// by this worker).
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
    /// `{url, revision}` to fetch, or `{url, from}` to copy from cache `from`.
    #[wasm_bindgen(js_name = installPlan)]
    pub fn install_plan(&self, previous: JsValue) -> js_sys::Array {
        let previous: Vec<Holding> = js_sys::Array::from(&previous)
            .iter()
            .map(|older| {
                let held = js_sys::Array::from(&get(&older, "held"))
                    .iter()
                    .map(|pair| {
                        let pair = js_sys::Array::from(&pair);
                        let url = pair.get(0).as_string().unwrap_or_default();
                        let path = self.location.path_of(&url).unwrap_or(url);
                        (path, pair.get(1).as_string())
                    })
                    .collect();
                (get(&older, "cache").as_string().unwrap_or_default(), held)
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
                    .set("revision", entry.revision.unwrap_or_default())
                    .build(),
            })
            .collect()
    }

    /// Caches activate deletes (other versions' precaches, stale route caches).
    #[wasm_bindgen(js_name = cachesToDelete)]
    pub fn caches_to_delete(&self, existing: Vec<String>) -> Vec<String> {
        plan_activate(&self.config, &existing)
    }

    /// Caches `CLEAR_CACHES` deletes: every runtime cache. Starts a new
    /// generation: nothing fetched before it is stored after it.
    #[wasm_bindgen(js_name = cachesToClear)]
    pub fn caches_to_clear(&self, existing: Vec<String>) -> Vec<String> {
        self.generation.set(self.generation.get().wrapping_add(1));
        caches_to_clear(&existing)
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

    /// What a request gets when nothing answered it: "offline-write"
    /// (answer `problem(true)`), "not-cached" (`problem(false)`),
    /// "fallback-page" or "network-error". `online` is `navigator.onLine`.
    #[wasm_bindgen(js_name = lastResort)]
    pub fn last_resort(&self, write: bool, navigate: bool, online: Option<bool>) -> String {
        match last_resort(write, navigate, online) {
            LastResort::OfflineWrite => "offline-write",
            LastResort::NotCached => "not-cached",
            LastResort::FallbackPage => "fallback-page",
            LastResort::NetworkError => "network-error",
        }
        .into()
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
    pub fn older_precaches(&self, existing: Vec<String>) -> Vec<String> {
        older_precaches(&existing, &self.config.version)
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

/// Events `next` takes.
const EVENT_START: u8 = 0;
const EVENT_FRESH: u8 = 1;
const EVENT_EXPIRED: u8 = 2;
const EVENT_MISSING: u8 = 3;
const EVENT_STORABLE: u8 = 4;
const EVENT_NOT_STORABLE: u8 = 5;
const EVENT_FAILED: u8 = 6;

#[wasm_bindgen]
impl StrategyRun {
    /// Feeds what happened (0 start, 1 fresh hit, 2 expired hit, 3 miss,
    /// 4 network answer worth storing, 5 one not worth it, 6 network failed,
    /// 7 timeout) and returns the commands to carry out, in order: 1 look up
    /// the cache, 2 fetch, 3 start the timer, 4 abort the fetch, 5 answer
    /// from the cache, 6 answer with the network's response, 7 answer with the
    /// fallback, 8 store the network's response, 9 revalidate in the background.
    pub fn next(&mut self, event: u8) -> Vec<u8> {
        let commands = match event {
            EVENT_START => std::mem::take(&mut self.first),
            EVENT_FRESH => self.run.on(Event::Cache(Lookup::Fresh)),
            EVENT_EXPIRED => self.run.on(Event::Cache(Lookup::Expired)),
            EVENT_MISSING => self.run.on(Event::Cache(Lookup::Missing)),
            EVENT_STORABLE => self.run.on(Event::Network { cacheable: true }),
            EVENT_NOT_STORABLE => self.run.on(Event::Network { cacheable: false }),
            EVENT_FAILED => self.run.on(Event::NetworkFailed),
            _ => self.run.on(Event::Timeout),
        };
        commands
            .into_iter()
            .map(|command| match command {
                Command::LookupCache => 1,
                Command::Fetch => 2,
                Command::StartTimer(_) => 3,
                Command::AbortFetch => 4,
                Command::Respond(Answer::Cache { .. }) => 5,
                Command::Respond(Answer::Network) => 6,
                Command::Respond(Answer::Fallback) => 7,
                Command::Store => 8,
                Command::Revalidate => 9,
            })
            .collect()
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

fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &key.into()).unwrap_or_default()
}

/// How deep a config may nest; deeper is reported, not followed.
const MAX_CONFIG_DEPTH: u32 = 32;

#[wasm_bindgen]
extern "C" {
    // Catching forms: a Proxy or a throwing getter in the config must give
    // an E2103 naming the field, not an uncoded exception.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    fn object_entries(value: &JsValue) -> Result<js_sys::Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Array, js_name = from)]
    fn array_from(value: &JsValue) -> Result<js_sys::Array, JsValue>;
}

/// Converts a JavaScript value into the config's value tree. Values JSON
/// cannot hold, and values that throw when read, become `Value::Invalid`.
fn to_value(value: &JsValue, depth: u32) -> Value {
    if value.is_null() || value.is_undefined() {
        return Value::Null;
    }
    if let Some(b) = value.as_bool() {
        return Value::Bool(b);
    }
    if let Some(n) = value.as_f64() {
        return Value::Number(n);
    }
    if let Some(s) = value.as_string() {
        return Value::String(s);
    }
    if value.is_bigint() {
        return Value::Invalid("a bigint");
    }
    if value.is_symbol() {
        return Value::Invalid("a symbol");
    }
    if value.is_function() {
        return Value::Invalid("a function");
    }
    if !value.is_object() {
        return Value::Invalid("an unsupported value");
    }
    if depth >= MAX_CONFIG_DEPTH {
        return Value::Invalid("nested too deep");
    }
    // `instanceof` (which the glue guards) rather than Array.isArray, which
    // a revoked Proxy makes throw.
    let is_array = value.is_instance_of::<js_sys::Array>();
    let items = if is_array {
        array_from(value)
    } else {
        object_entries(value)
    };
    let Ok(items) = items else {
        return Value::Invalid("an object that throws when read");
    };
    if is_array {
        return Value::Array(items.iter().map(|v| to_value(&v, depth + 1)).collect());
    }
    Value::Object(
        items
            .iter()
            .filter_map(|pair| {
                let pair: js_sys::Array = pair.unchecked_into();
                Some((pair.get(0).as_string()?, to_value(&pair.get(1), depth + 1)))
            })
            .collect(),
    )
}
