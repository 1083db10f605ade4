//! The engine's browser shell, inside a service worker: turns a FetchEvent
//! into the pure core's decisions and carries them out with the Cache API,
//! fetch and timers; installs and activates precaches; answers messages.
//! Metadata lives in the stored responses' own headers (cached-at,
//! revision), so nothing kept beside the cache can drift from it.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, Request, Response, ServiceWorkerGlobalScope};

use super::config::{Config, Route};
use super::expiration::over_capacity;
use super::precache::{
    caches_to_clear, manifest_path, older_precaches, plan_activate, plan_install, precache_name,
    route_cache_name, InstallStep, CACHED_AT_HEADER, INSTALL_CONCURRENCY, REVISION_HEADER,
    SOURCE_HEADER,
};
use super::route::{decide, Decision, RequestFacts};
use super::strategy::{cacheable, is_expired, Answer, Command, Event, Lookup, ResponseFacts, Run};
use super::value::Value;
use crate::errors::catalog;
use crate::errors::format::to_problem;
use crate::errors::problem::problem_to_js;
use crate::interop::{coded_error, navigator_online, ObjectBuilder};

/// Counters per route, for `GET_STATS`.
#[derive(Default, Clone, Copy)]
struct Counters {
    hits: u32,
    misses: u32,
    network: u32,
    fallbacks: u32,
}

struct Inner {
    config: Config,
    origin: String,
    /// Manifest paths (with query). Small lists: a Vec is smaller in wasm than a map.
    precache: Vec<String>,
    counters: RefCell<Vec<(String, Counters)>>,
    /// (URL, when this worker last served or stored it): expiration's LRU hint.
    last_used: RefCell<Vec<(String, f64)>>,
}

/// The engine, configured and validated; created by `sw-loader.js`.
#[wasm_bindgen]
pub struct Engine {
    inner: Rc<Inner>,
}

fn scope() -> ServiceWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn now() -> f64 {
    js_sys::Date::now()
}

#[wasm_bindgen]
impl Engine {
    /// Validates `config`; throws an E2103 error naming the field.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<Engine, JsValue> {
        let config = Config::parse(&to_value(&config, 0)).map_err(|error| {
            coded_error(
                catalog::INVALID_SW_CONFIG,
                &format!("offlineRuntime.start: {error}"),
            )
        })?;
        let origin = js_sys::Reflect::get(&js_sys::global(), &"location".into())
            .and_then(|location| js_sys::Reflect::get(&location, &"origin".into()))
            .ok()
            .and_then(|origin| origin.as_string())
            .unwrap_or_default();
        let precache = config
            .precache
            .iter()
            .filter_map(|entry| manifest_path(&entry.url, &origin))
            .collect();
        Ok(Engine {
            inner: Rc::new(Inner {
                config,
                origin,
                precache,
                counters: RefCell::default(),
                last_used: RefCell::default(),
            }),
        })
    }

    /// Whether the engine would answer this request (introspection and
    /// tests; `handle` makes the same decision itself, once per request).
    pub fn intercepts(&self, request: &Request) -> bool {
        !matches!(Plan::of(&self.inner, request), Plan::Network)
    }

    /// Decides synchronously whether to answer a fetch event: `undefined`
    /// when no route claims it (the browser handles it, at no cost), else the
    /// Promise of the answer for `respondWith`. Background work (storing,
    /// revalidating, expiration) is kept alive with `waitUntil` and never
    /// delays the answer. The request is routed once, here.
    pub fn handle(&self, event: web_sys::FetchEvent) -> Option<js_sys::Promise> {
        let request = event.request();
        let plan = Plan::of(&self.inner, &request);
        if matches!(plan, Plan::Network) {
            return None;
        }
        let inner = Rc::clone(&self.inner);
        let (answer, resolve, reject) = deferred();
        let keep_alive = event.clone();
        let work = wasm_bindgen_futures::future_to_promise(async move {
            let responder = Responder::new(resolve);
            if let Err(error) = handle(&inner, &event, plan, &responder).await {
                // Before the answer: the loader falls back to the network.
                // After it: background work failed; the page already has its answer.
                if !responder.done() {
                    let _ = reject.call1(&JsValue::NULL, &error);
                }
            }
            Ok(JsValue::UNDEFINED)
        });
        let _ = keep_alive.wait_until(&work);
        Some(answer)
    }

    /// Precaches this version's manifest; rejects (failing the install, so
    /// the old worker keeps serving) if any entry cannot be fetched.
    pub fn install(&self) -> js_sys::Promise {
        let inner = Rc::clone(&self.inner);
        wasm_bindgen_futures::future_to_promise(async move {
            install(&inner).await?;
            if inner.config.skip_waiting {
                let _ = scope().skip_waiting();
            }
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Deletes other versions' precaches (and stale route caches), then
    /// takes control of open pages.
    pub fn activate(&self) -> js_sys::Promise {
        let inner = Rc::clone(&self.inner);
        wasm_bindgen_futures::future_to_promise(async move {
            let existing = cache_names().await?;
            for name in plan_activate(&inner.config, &existing) {
                JsFuture::from(scope().caches()?.delete(&name)).await?;
            }
            JsFuture::from(scope().clients().claim()).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Answers `{type: "GET_STATS"}` and `{type: "CLEAR_CACHES"}` messages
    /// (through `event.ports[0]` when given, else to the sender).
    pub fn message(&self, event: web_sys::ExtendableMessageEvent) -> js_sys::Promise {
        let inner = Rc::clone(&self.inner);
        wasm_bindgen_futures::future_to_promise(async move {
            let kind = js_sys::Reflect::get(&event.data(), &"type".into())
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default();
            let reply = match kind.as_str() {
                "GET_STATS" => stats(&inner).await?,
                "CLEAR_CACHES" => {
                    for name in caches_to_clear(&cache_names().await?) {
                        JsFuture::from(scope().caches()?.delete(&name)).await?;
                    }
                    inner.last_used.borrow_mut().clear();
                    ObjectBuilder::new().set("type", "CACHES_CLEARED").build()
                }
                _ => return Ok(JsValue::UNDEFINED),
            };
            reply_to(&event, &reply);
            Ok(JsValue::UNDEFINED)
        })
    }
}

/// Reads a request's routing facts; `None` for URLs that are not http(s).
fn with_facts<T>(request: &Request, f: impl FnOnce(&RequestFacts, &str) -> T) -> Option<T> {
    let url = web_sys::Url::new(&request.url()).ok()?;
    let protocol = url.protocol();
    if protocol != "http:" && protocol != "https:" {
        return None;
    }
    let method = request.method();
    let origin = url.origin();
    let path = url.pathname();
    let path_and_query = format!("{path}{}", url.search());
    let destination = js_sys::Reflect::get(request, &"destination".into())
        .ok()
        .and_then(|d| d.as_string())
        .unwrap_or_default();
    let navigate = request.mode() == web_sys::RequestMode::Navigate;
    let facts = RequestFacts {
        method: &method,
        origin: &origin,
        path: &path,
        destination: &destination,
        navigate,
    };
    Some(f(&facts, &path_and_query))
}

/// Resolves the respondWith promise once; later answers are ignored.
struct Responder {
    resolve: js_sys::Function,
    done: std::cell::Cell<bool>,
}

impl Responder {
    fn new(resolve: js_sys::Function) -> Self {
        Responder {
            resolve,
            done: std::cell::Cell::new(false),
        }
    }

    fn respond(&self, response: &Response) {
        if !self.done.replace(true) {
            let _ = self.resolve.call1(&JsValue::NULL, response);
        }
    }

    fn done(&self) -> bool {
        self.done.get()
    }
}

/// What the engine does with a request, owned (no borrow of the config).
#[derive(Clone, Copy)]
enum Plan {
    Network,
    Precache,
    Write,
    Navigation,
    Route(usize),
}

impl Plan {
    fn of(inner: &Inner, request: &Request) -> Plan {
        let engine_decision = with_facts(request, |facts, path_and_query| {
            match decide(&inner.config, facts, &inner.origin, |_| {
                inner.precache.iter().any(|p| p == path_and_query)
            }) {
                Decision::Ignore => Plan::Network,
                Decision::Precache => Plan::Precache,
                Decision::Write => Plan::Write,
                Decision::Navigation => Plan::Navigation,
                Decision::Route(route) => Plan::Route(
                    inner
                        .config
                        .routes
                        .iter()
                        .position(|r| r.name == route.name)
                        .unwrap_or(0),
                ),
            }
        });
        engine_decision.unwrap_or(Plan::Network)
    }

    /// Route name and strategy, for debug lines.
    fn labels(self, inner: &Inner) -> (&str, &'static str) {
        match self {
            Plan::Network => ("none", "network-only"),
            Plan::Precache => ("precache", "cache-first"),
            Plan::Write => ("write", "network-only"),
            Plan::Navigation => ("navigation", "network-first"),
            Plan::Route(i) => (
                inner.config.routes[i].name.as_str(),
                inner.config.routes[i].strategy.name(),
            ),
        }
    }
}

async fn handle(
    inner: &Rc<Inner>,
    event: &web_sys::FetchEvent,
    plan: Plan,
    responder: &Responder,
) -> Result<(), JsValue> {
    let request = event.request();
    let started = now();
    let outcome = match plan {
        Plan::Network => {
            responder.respond(&fetch(&request, None).await?);
            "network"
        }
        Plan::Precache => serve_precached(inner, &request, responder).await?,
        Plan::Write => guard_write(&request, responder).await?,
        Plan::Navigation => navigate(inner, &request, responder).await?,
        Plan::Route(i) => {
            run_route(inner, &inner.config.routes[i], event, &request, responder).await?
        }
    };
    if inner.config.debug {
        let (route, strategy) = plan.labels(inner);
        web_sys::console::log_1(
            &format!(
                "offline-runtime: {route} {strategy} {outcome} {}ms {}",
                (now() - started).round() as i64,
                request.url()
            )
            .into(),
        );
    }
    Ok(())
}

/// A precached URL: from this version's precache, else the network.
async fn serve_precached(
    inner: &Inner,
    request: &Request,
    responder: &Responder,
) -> Result<&'static str, JsValue> {
    let cache = open_cache(&precache_name(&inner.config.version)).await?;
    if let Some(hit) = cache_match(&cache, request).await? {
        responder.respond(&hit);
        return Ok("hit");
    }
    responder.respond(&fetch(request, None).await?);
    Ok("miss")
}

/// A write: straight to the network; when offline (or the network fails),
/// a 503 problem+json with E4007 instead of a lost request.
async fn guard_write(request: &Request, responder: &Responder) -> Result<&'static str, JsValue> {
    if navigator_online() != Some(false) {
        if let Ok(response) = fetch(request, None).await {
            responder.respond(&response);
            return Ok("network");
        }
    }
    responder.respond(&problem_response(
        catalog::WRITE_BLOCKED_OFFLINE,
        &request.url(),
    )?);
    Ok("blocked")
}

/// A navigation no route handles: the network, else the fallback page.
async fn navigate(
    inner: &Inner,
    request: &Request,
    responder: &Responder,
) -> Result<&'static str, JsValue> {
    match fetch(request, None).await {
        Ok(response) => {
            responder.respond(&response);
            Ok("network")
        }
        Err(_) => {
            responder.respond(&fallback(inner, request).await?);
            Ok("fallback")
        }
    }
}

/// What the network did, for the run loop.
enum Arrival {
    Network(Response),
    Failed,
    Timeout,
}

/// Runs a route's strategy to its end: answers as soon as the run says so,
/// then finishes its background work (store, revalidate, expiration).
async fn run_route(
    inner: &Rc<Inner>,
    route: &Route,
    event: &web_sys::FetchEvent,
    request: &Request,
    responder: &Responder,
) -> Result<&'static str, JsValue> {
    let cache_name = route_cache_name(&route.name);
    let cache = open_cache(&cache_name).await?;
    let (mut run, commands) = Run::start(
        route.strategy,
        route.network_timeout_ms,
        route.abort_on_timeout,
    );
    let mut queue: VecDeque<Command> = commands.into();
    let mut cached: Option<Response> = None;
    let mut network: Option<Response> = None;
    let mut to_store: Option<Response> = None;
    let mut controller: Option<web_sys::AbortController> = None;
    let mut pending: Vec<Pending> = Vec::new();
    let mut expired_seen = false;
    let url = request.url();
    loop {
        while let Some(command) = queue.pop_front() {
            match command {
                Command::LookupCache => {
                    cached = cache_match(&cache, request).await?;
                    let lookup = match &cached {
                        None => Lookup::Missing,
                        Some(hit) if is_expired(cached_at(hit), route.max_age_ms, now()) => {
                            Lookup::Expired
                        }
                        Some(_) => Lookup::Fresh,
                    };
                    expired_seen = lookup == Lookup::Expired;
                    count(inner, &route.name, |c| {
                        if lookup == Lookup::Missing {
                            c.misses += 1
                        }
                    });
                    queue.extend(run.on(Event::Cache(lookup)));
                }
                Command::Fetch => {
                    let abort = web_sys::AbortController::new()?;
                    pending.push(pending_fetch(request, &abort.signal()));
                    controller = Some(abort);
                }
                Command::StartTimer(ms) => pending.push(pending_timer(ms)),
                Command::AbortFetch => {
                    if let Some(abort) = controller.take() {
                        abort.abort();
                    }
                }
                Command::Respond(answer) => {
                    let response = match answer {
                        Answer::Cache { .. } => {
                            count(inner, &route.name, |c| c.hits += 1);
                            touch(inner, &url);
                            cached
                                .clone()
                                .ok_or_else(|| JsValue::from_str("no cached response"))?
                        }
                        Answer::Network => {
                            count(inner, &route.name, |c| c.network += 1);
                            network
                                .clone()
                                .ok_or_else(|| JsValue::from_str("no network response"))?
                        }
                        Answer::Fallback => {
                            count(inner, &route.name, |c| c.fallbacks += 1);
                            fallback(inner, request).await?
                        }
                    };
                    responder.respond(&response);
                }
                Command::Store => {
                    if let Some(copy) = to_store.take() {
                        store(inner, &cache, route, &url, copy).await?;
                    }
                }
                Command::Revalidate => {
                    let work = revalidate(
                        Rc::clone(inner),
                        route.clone(),
                        request.clone()?,
                        cached.clone(),
                    );
                    let _ =
                        event.wait_until(&wasm_bindgen_futures::future_to_promise(async move {
                            let _ = work.await;
                            Ok(JsValue::UNDEFINED)
                        }));
                }
            }
        }
        if pending.is_empty() {
            break;
        }
        let (arrival, rest) = race(pending).await;
        pending = rest;
        let next = match arrival {
            Arrival::Timeout => Event::Timeout,
            Arrival::Failed => Event::NetworkFailed,
            Arrival::Network(response) => {
                let keep = storable(request, &response, route);
                to_store = if keep { Some(response.clone()?) } else { None };
                network = Some(response);
                if !keep && expired_seen {
                    // The network works and will not replace it: the expired entry goes.
                    let options = web_sys::CacheQueryOptions::new();
                    options.set_ignore_vary(true);
                    JsFuture::from(cache.delete_with_request_and_options(request, &options))
                        .await?;
                }
                Event::Network { cacheable: keep }
            }
        };
        // A timer left after the network settled has nothing more to decide.
        if !matches!(next, Event::Timeout) {
            pending.retain(|(kind, _)| *kind != Waiting::Timer);
        }
        queue.extend(run.on(next));
    }
    if !responder.done() {
        // The run ended without an answer (a hanging network with no timeout cannot get here).
        responder.respond(&fallback(inner, request).await?);
    }
    Ok(run.outcome())
}

/// Stale-while-revalidate's background half: fetch, store, and tell pages
/// when the content changed.
async fn revalidate(
    inner: Rc<Inner>,
    route: Route,
    request: Request,
    old: Option<Response>,
) -> Result<(), JsValue> {
    let response = fetch(&request, None).await?;
    if !storable(&request, &response, &route) {
        return Ok(());
    }
    let cache_name = route_cache_name(&route.name);
    let changed = old.as_ref().is_none_or(|old| {
        ["ETag", "Last-Modified", "Content-Length"]
            .iter()
            .any(|name| {
                let before = old.headers().get(name).ok().flatten();
                let after = response.headers().get(name).ok().flatten();
                before.is_some() && after.is_some() && before != after
            })
    });
    let cache = open_cache(&cache_name).await?;
    store(&inner, &cache, &route, &request.url(), response).await?;
    if changed && old.is_some() {
        let message = ObjectBuilder::new()
            .set("type", "CACHE_UPDATED")
            .set("url", request.url())
            .set("cacheName", cache_name)
            .build();
        let clients: js_sys::Array = JsFuture::from(scope().clients().match_all())
            .await?
            .unchecked_into();
        for client in clients.iter() {
            let _ = client
                .unchecked_into::<web_sys::Client>()
                .post_message(&message);
        }
    }
    Ok(())
}

/// Stores a response with its metadata headers, then enforces `maxEntries`.
async fn store(
    inner: &Inner,
    cache: &Cache,
    route: &Route,
    url: &str,
    response: Response,
) -> Result<(), JsValue> {
    let stored = with_metadata(response, None)?;
    JsFuture::from(cache.put_with_str(url, &stored)).await?;
    touch(inner, url);
    if let Some(max_entries) = route.max_entries {
        let keys: js_sys::Array = JsFuture::from(cache.keys()).await?.unchecked_into();
        let urls: Vec<String> = keys
            .iter()
            .map(|key| key.unchecked_into::<Request>().url())
            .collect();
        let victims = {
            let last_used = inner.last_used.borrow();
            over_capacity(urls.len(), max_entries, |i| {
                last_used
                    .iter()
                    .find(|(url, _)| *url == urls[i])
                    .map(|(_, at)| *at)
            })
        };
        let options = web_sys::CacheQueryOptions::new();
        options.set_ignore_vary(true);
        for i in victims {
            JsFuture::from(cache.delete_with_str_and_options(&urls[i], &options)).await?;
            inner
                .last_used
                .borrow_mut()
                .retain(|(url, _)| *url != urls[i]);
        }
    }
    Ok(())
}

/// A copy of `response` carrying `X-Offline-Runtime: cache`, the time it was
/// cached and (for the precache) its revision. Opaque responses are stored
/// as they are: their headers cannot be read or changed.
fn with_metadata(response: Response, revision: Option<&str>) -> Result<Response, JsValue> {
    if response.type_() == web_sys::ResponseType::Opaque {
        return Ok(response);
    }
    let headers = web_sys::Headers::new_with_headers(&response.headers())?;
    headers.set(SOURCE_HEADER, "cache")?;
    headers.set(CACHED_AT_HEADER, &(now() as u64).to_string())?;
    if let Some(revision) = revision {
        headers.set(REVISION_HEADER, revision)?;
    }
    let init = web_sys::ResponseInit::new();
    init.set_status(response.status());
    init.set_status_text(&response.status_text());
    init.set_headers(&headers);
    Response::new_with_opt_readable_stream_and_init(response.body().as_ref(), &init)
}

fn cached_at(response: &Response) -> Option<f64> {
    response
        .headers()
        .get(CACHED_AT_HEADER)
        .ok()
        .flatten()
        .and_then(|at| at.parse::<u64>().ok())
        .map(|at| at as f64)
}

/// Whether a network response may be stored for this route.
fn storable(request: &Request, response: &Response, route: &Route) -> bool {
    let headers = response.headers();
    let cache_control = headers.get("Cache-Control").ok().flatten();
    let vary = headers.get("Vary").ok().flatten();
    let method = request.method();
    let facts = ResponseFacts {
        method: &method,
        status: response.status(),
        opaque: response.type_() == web_sys::ResponseType::Opaque,
        cache_control: cache_control.as_deref(),
        vary_star: vary.as_deref().is_some_and(|v| v.trim() == "*"),
    };
    cacheable(&facts, &route.cacheable_statuses, route.allow_opaque)
}

fn touch(inner: &Inner, url: &str) {
    let mut last_used = inner.last_used.borrow_mut();
    match last_used.iter_mut().find(|(u, _)| u == url) {
        Some(entry) => entry.1 = now(),
        None => last_used.push((url.to_owned(), now())),
    }
}

fn count(inner: &Inner, route: &str, update: impl FnOnce(&mut Counters)) {
    let mut counters = inner.counters.borrow_mut();
    match counters.iter_mut().find(|(name, _)| name == route) {
        Some((_, counter)) => update(counter),
        None => {
            let mut counter = Counters::default();
            update(&mut counter);
            counters.push((route.to_owned(), counter));
        }
    }
}

/// When nothing can answer: the fallback page for navigations, a 504
/// problem+json (E4010) for everything else.
async fn fallback(inner: &Inner, request: &Request) -> Result<Response, JsValue> {
    if request.mode() == web_sys::RequestMode::Navigate {
        if let Some(page) = &inner.config.navigation_fallback {
            let cache = open_cache(&precache_name(&inner.config.version)).await?;
            let url = format!(
                "{}{}",
                inner.origin,
                manifest_path(page, &inner.origin).unwrap_or_default()
            );
            let options = web_sys::CacheQueryOptions::new();
            options.set_ignore_search(true);
            if let Ok(hit) = JsFuture::from(cache.match_with_str_and_options(&url, &options))
                .await?
                .dyn_into::<Response>()
            {
                return Ok(hit);
            }
        }
        return Ok(Response::error());
    }
    problem_response(catalog::NOT_AVAILABLE_OFFLINE, &request.url())
}

fn problem_response(code: &str, url: &str) -> Result<Response, JsValue> {
    let problem = to_problem(catalog::entry(code), None, Some(url));
    let body = js_sys::JSON::stringify(&problem_to_js(&problem))?;
    let headers = web_sys::Headers::new()?;
    headers.set("Content-Type", "application/problem+json")?;
    headers.set(SOURCE_HEADER, "offline")?;
    let init = web_sys::ResponseInit::new();
    init.set_status(problem.status);
    init.set_headers(&headers);
    Response::new_with_opt_str_and_init(body.as_string().as_deref(), &init)
}

async fn install(inner: &Inner) -> Result<(), JsValue> {
    let existing = cache_names().await?;
    let mut previous = Vec::new();
    for name in older_precaches(&existing, &inner.config.version) {
        let cache = open_cache(&name).await?;
        let keys: js_sys::Array = JsFuture::from(cache.keys()).await?.unchecked_into();
        let mut held = Vec::new();
        for key in keys.iter() {
            let request: Request = key.unchecked_into();
            if let Some(hit) = cache_match(&cache, &request).await? {
                let path = manifest_path(&request.url(), &inner.origin).unwrap_or_default();
                held.push((path, hit.headers().get(REVISION_HEADER).ok().flatten()));
            }
        }
        previous.push((name, held));
    }
    // Compare manifest URLs as paths, like the cache holds them.
    let mut config = inner.config.clone();
    for entry in &mut config.precache {
        if let Some(path) = manifest_path(&entry.url, &inner.origin) {
            entry.url = path;
        }
    }
    let target = open_cache(&precache_name(&inner.config.version)).await?;
    for chunk in plan_install(&config, &previous).chunks(INSTALL_CONCURRENCY) {
        let steps: js_sys::Array = chunk
            .iter()
            .map(|step| {
                wasm_bindgen_futures::future_to_promise(install_step(
                    inner.origin.clone(),
                    target.clone(),
                    step.clone(),
                ))
            })
            .collect();
        JsFuture::from(js_sys::Promise::all(&steps)).await?;
    }
    Ok(())
}

async fn install_step(
    origin: String,
    target: Cache,
    step: InstallStep,
) -> Result<JsValue, JsValue> {
    match step {
        InstallStep::Copy { entry, from } => {
            let url = format!("{origin}{}", entry.url);
            let source = open_cache(&from).await?;
            let hit = JsFuture::from(source.match_with_str(&url)).await?;
            JsFuture::from(target.put_with_str(&url, hit.unchecked_ref())).await?;
        }
        InstallStep::Fetch(entry) => {
            let url = if entry.url.starts_with('/') {
                format!("{origin}{}", entry.url)
            } else {
                entry.url.clone()
            };
            let init = web_sys::RequestInit::new();
            init.set_cache(web_sys::RequestCache::Reload);
            let request = Request::new_with_str_and_init(&url, &init)?;
            let response: Response = JsFuture::from(scope().fetch_with_request(&request))
                .await?
                .unchecked_into();
            if !response.ok() {
                return Err(coded_error(
                    catalog::SERVER_ERROR,
                    &format!("precache: {url} answered {}; install fails and the old worker keeps serving", response.status()),
                ));
            }
            let stored = with_metadata(response, Some(entry.revision.as_deref().unwrap_or("")))?;
            JsFuture::from(target.put_with_str(&url, &stored)).await?;
        }
    }
    Ok(JsValue::UNDEFINED)
}

async fn stats(inner: &Inner) -> Result<JsValue, JsValue> {
    let routes = js_sys::Object::new();
    for route in &inner.config.routes {
        let cache = open_cache(&route_cache_name(&route.name)).await?;
        let keys: js_sys::Array = JsFuture::from(cache.keys()).await?.unchecked_into();
        let counters = inner
            .counters
            .borrow()
            .iter()
            .find(|(name, _)| *name == route.name)
            .map(|(_, counter)| *counter)
            .unwrap_or_default();
        let entry = ObjectBuilder::new()
            .set("strategy", route.strategy.name())
            .set("entries", keys.length())
            .set("hits", counters.hits)
            .set("misses", counters.misses)
            .set("network", counters.network)
            .set("fallbacks", counters.fallbacks)
            .build();
        js_sys::Reflect::set(&routes, &route.name.as_str().into(), &entry)?;
    }
    Ok(ObjectBuilder::new()
        .set("type", "STATS")
        .set("version", inner.config.version.as_str())
        .set("routes", routes)
        .build())
}

fn reply_to(event: &web_sys::ExtendableMessageEvent, reply: &JsValue) {
    let port = event.ports().get(0);
    if let Some(port) = port.dyn_ref::<web_sys::MessagePort>() {
        let _ = port.post_message(reply);
    } else if let Some(source) = event.source() {
        let _ = js_sys::Reflect::get(&source, &"postMessage".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .map(|post| post.call1(&source, reply));
    }
}

async fn cache_names() -> Result<Vec<String>, JsValue> {
    let names: js_sys::Array = JsFuture::from(scope().caches()?.keys())
        .await?
        .unchecked_into();
    Ok(names.iter().filter_map(|n| n.as_string()).collect())
}

async fn open_cache(name: &str) -> Result<Cache, JsValue> {
    Ok(JsFuture::from(scope().caches()?.open(name))
        .await?
        .unchecked_into())
}

async fn cache_match(cache: &Cache, request: &Request) -> Result<Option<Response>, JsValue> {
    Ok(JsFuture::from(cache.match_with_request(request))
        .await?
        .dyn_into::<Response>()
        .ok())
}

async fn fetch(
    request: &Request,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<Response, JsValue> {
    let promise = match signal {
        Some(signal) => {
            let init = web_sys::RequestInit::new();
            init.set_signal(Some(signal));
            scope().fetch_with_request_and_init(request, &init)
        }
        None => scope().fetch_with_request(request),
    };
    Ok(JsFuture::from(promise).await?.unchecked_into())
}

/// A pending fetch or timer of a run.
type Pending = (Waiting, std::pin::Pin<Box<JsFuture>>);

#[derive(Clone, Copy, PartialEq)]
enum Waiting {
    Network,
    Timer,
}

fn pending_fetch(request: &Request, signal: &web_sys::AbortSignal) -> Pending {
    let init = web_sys::RequestInit::new();
    init.set_signal(Some(signal));
    let fetched = scope().fetch_with_request_and_init(request, &init);
    (Waiting::Network, Box::pin(JsFuture::from(fetched)))
}

fn pending_timer(ms: f64) -> Pending {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let timeout = gloo_timers::callback::Timeout::new(
            ms.ceil().min(f64::from(u32::MAX)) as u32,
            move || {
                let _ = resolve.call0(&JsValue::NULL);
            },
        );
        timeout.forget();
    });
    (Waiting::Timer, Box::pin(JsFuture::from(promise)))
}

/// Waits for the first of `pending` to settle; returns what it was and the rest.
async fn race(mut pending: Vec<Pending>) -> (Arrival, Vec<Pending>) {
    let (index, result) = std::future::poll_fn(|cx| {
        for (i, (_, future)) in pending.iter_mut().enumerate() {
            if let std::task::Poll::Ready(result) = future.as_mut().poll(cx) {
                return std::task::Poll::Ready((i, result));
            }
        }
        std::task::Poll::Pending
    })
    .await;
    let (kind, _) = pending.remove(index);
    let arrival = match (kind, result) {
        (Waiting::Timer, _) => Arrival::Timeout,
        (Waiting::Network, Ok(response)) => Arrival::Network(response.unchecked_into()),
        (Waiting::Network, Err(_)) => Arrival::Failed,
    };
    (arrival, pending)
}

/// A promise with its resolve and reject functions.
fn deferred() -> (js_sys::Promise, js_sys::Function, js_sys::Function) {
    let mut functions = None;
    let promise = js_sys::Promise::new(&mut |resolve, reject| functions = Some((resolve, reject)));
    let (resolve, reject) =
        functions.unwrap_or_else(|| (js_sys::Function::default(), js_sys::Function::default()));
    (promise, resolve, reject)
}

/// Converts a JavaScript value into the config's value tree (depth-limited).
fn to_value(value: &JsValue, depth: u32) -> Value {
    if depth > 32 || value.is_null() || value.is_undefined() {
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
    if js_sys::Array::is_array(value) {
        return Value::Array(
            js_sys::Array::from(value)
                .iter()
                .map(|v| to_value(&v, depth + 1))
                .collect(),
        );
    }
    if value.is_object() && !value.is_function() {
        let entries = js_sys::Object::entries(value.unchecked_ref());
        return Value::Object(
            entries
                .iter()
                .filter_map(|pair| {
                    let pair: js_sys::Array = pair.unchecked_into();
                    Some((pair.get(0).as_string()?, to_value(&pair.get(1), depth + 1)))
                })
                .collect(),
        );
    }
    Value::Null
}
