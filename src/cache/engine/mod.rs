//! The engine's decision core as the service worker's JavaScript shell
//! (`sw/engine.js`) sees it: the validated config, routing, strategy runs,
//! cacheability, age and count limits, precache plans and problem bodies.
//! The shell does the I/O (Cache API, fetch, timers, messages) in plain JS,
//! which is far smaller than the same awaits compiled to wasm state machines;
//! every decision it acts on is made here, in the pure modules beside this.
//! The vocabulary of the boundary (`Plan`, `StrategyEvent`,
//! `StrategyCommand`, `LastResortKind`) is exported as enums: the shell names
//! them from the glue and is type-checked against its `.d.ts`.
//!
//! One exported class, its methods by concern: this file (creating it, the
//! settings), `requests` (routing a request, what answers when nothing
//! did), `strategy_run` (a route's strategy run, cacheability, age and
//! count limits) and `lifecycle` (install, activate, the logout fence).

use wasm_bindgen::prelude::*;

use std::cell::Cell;

use super::config::{Config, PrecacheEntry, Route};
use super::precache::{precache_name, route_cache_name, INSTALL_CONCURRENCY};
use super::revalidation::VERSION_HEADERS;
use super::strategy::{Command, Run};
use crate::errors::catalog;
use crate::errors::classify::code_for_exception_name;
use crate::headers::{CACHED_AT_HEADER, REVISION_HEADER, SOURCE_HEADER};
use crate::interop::{coded_error, ObjectBuilder};
use crate::js_value::to_value;

mod lifecycle;
mod requests;
mod strategy_run;

/// What `plan` decided for a request; with `Route`, `plan` gives the
/// route's index too.
#[wasm_bindgen]
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Not intercepted: the browser handles it.
    Ignore = 0,
    /// In this version's precache: served from it, else the network.
    Precache = 1,
    /// A guarded write: the network, never sent while offline.
    Write = 2,
    /// A navigation no route takes: the network, else the fallback page.
    Navigation = 3,
    /// A configured route's strategy.
    Route = 4,
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

/// The catalog code for a DOMException name (`QuotaExceededError` -> E3002),
/// for the loader's log lines; `undefined` for names the catalog does not map.
#[wasm_bindgen(js_name = exceptionCode)]
pub fn exception_code(name: &str) -> Option<String> {
    code_for_exception_name(name).map(str::to_owned)
}
