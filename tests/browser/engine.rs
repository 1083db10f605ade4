//! The engine inside a real service worker, assembled as sw-loader.js
//! assembles it (sw/engine.js around the .wasm's EngineCore): config errors,
//! precache install and activate cleanup, Cache API round trips with the
//! metadata headers, maxEntries eviction, network-first falling back to the
//! cache, problem+json answers. Worker only.

use offline_runtime::cache::engine::{
    EngineCore, LastResortKind, Plan, StrategyCommand, StrategyEvent,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Cache, Request, Response, ServiceWorkerGlobalScope};

use crate::browser::{get, json, text};

const UNREACHABLE: &str = "http://127.0.0.1:9";

fn scope() -> ServiceWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn origin() -> String {
    get(&get(&js_sys::global(), "location"), "origin")
        .as_string()
        .unwrap()
}

async fn open(name: &str) -> Cache {
    JsFuture::from(scope().caches().unwrap().open(name))
        .await
        .unwrap()
        .unchecked_into()
}

async fn cache_names() -> Vec<String> {
    let names: js_sys::Array = JsFuture::from(scope().caches().unwrap().keys())
        .await
        .unwrap()
        .unchecked_into();
    names.iter().filter_map(|n| n.as_string()).collect()
}

async fn delete_all_caches() {
    for name in cache_names().await {
        JsFuture::from(scope().caches().unwrap().delete(&name))
            .await
            .unwrap();
    }
}

async fn entries(cache: &Cache) -> Vec<String> {
    let keys: js_sys::Array = JsFuture::from(cache.keys()).await.unwrap().unchecked_into();
    keys.iter()
        .map(|k| k.unchecked_into::<Request>().url())
        .collect()
}

/// The engine as the loader builds it: `offlineRuntimeEngine.create(core, self)`.
struct Engine(JsValue);

impl Engine {
    fn call(&self, method: &str, arg: &JsValue) -> JsValue {
        get(&self.0, method)
            .unchecked_into::<js_sys::Function>()
            .call1(&self.0, arg)
            .expect(method)
    }

    fn install(&self) -> js_sys::Promise {
        self.call("install", &JsValue::UNDEFINED).unchecked_into()
    }

    fn activate(&self) -> js_sys::Promise {
        self.call("activate", &JsValue::UNDEFINED).unchecked_into()
    }

    /// `handle`'s answer: `None` when no route claims the request.
    fn handle(&self, event: web_sys::FetchEvent) -> Option<js_sys::Promise> {
        let answer = self.call("handle", &event);
        (!answer.is_undefined()).then(|| answer.unchecked_into())
    }
}

fn engine(config: &str) -> Engine {
    engine_in(config, js_sys::global().into())
}

/// The engine in a scope whose browser says it is offline (`navigator.onLine`
/// false): the worker's own I/O, with the one fact a test cannot change.
fn offline_engine(config: &str) -> Engine {
    let scope = js_sys::eval(
        "({caches: self.caches, fetch: self.fetch.bind(self), clients: self.clients, \
          skipWaiting: () => self.skipWaiting(), navigator: {onLine: false}})",
    )
    .unwrap();
    engine_in(config, scope)
}

fn engine_in(config: &str, scope: JsValue) -> Engine {
    // sw/engine.js, evaluated once in this worker as importScripts would
    // (it declares `offlineRuntimeEngine`), then kept on the global.
    let global = js_sys::global();
    let mut shell = get(&global, "offlineRuntimeEngine");
    if shell.is_undefined() {
        let source = [
            include_str!("../../sw/engine.js"),
            "\n;offlineRuntimeEngine",
        ]
        .concat();
        shell = js_sys::eval(&source).expect("sw/engine.js evaluates");
        js_sys::Reflect::set(&global, &"offlineRuntimeEngine".into(), &shell).unwrap();
    }
    let core = EngineCore::new(json(config), origin()).expect("valid config");
    let create: js_sys::Function = get(&shell, "create").unchecked_into();
    Engine(
        create
            .call3(&shell, &core.into(), &scope, &protocol())
            .expect("create"),
    )
}

/// The enums as the glue hands them to `create` (`wasm_bindgen.Plan`, ...),
/// with the core's own values.
fn protocol() -> JsValue {
    /// `{Variant: value, ...}` of a Rust enum, named as the glue names them.
    macro_rules! named {
        ($enum:ident: $($variant:ident),+) => {{
            let object = js_sys::Object::new();
            $(js_sys::Reflect::set(&object, &stringify!($variant).into(), &($enum::$variant as i32).into()).unwrap();)+
            (stringify!($enum), JsValue::from(object))
        }};
    }
    let protocol = js_sys::Object::new();
    for (name, value) in [
        named!(Plan: Ignore, Precache, Write, Navigation),
        named!(StrategyEvent: Start, Fresh, Expired, Missing, Storable, NotStorable, Failed, Timeout, Settled),
        named!(StrategyCommand: LookupCache, Fetch, StartTimer, AbortFetch, AnswerCache, AnswerStaleCache,
            AnswerNetwork, AnswerFallback, Store, Revalidate, DeleteCached),
        named!(LastResortKind: OfflineWrite, NotCached, FallbackPage, NetworkError),
    ] {
        js_sys::Reflect::set(&protocol, &name.into(), &value).unwrap();
    }
    protocol.into()
}

/// Runs a request through `engine.handle` as the fetch event would.
async fn handle(engine: &Engine, request: Request) -> Response {
    let init = web_sys::FetchEventInit::new(&request);
    let event = web_sys::FetchEvent::new("fetch", &init).unwrap();
    JsFuture::from(
        engine
            .handle(event)
            .expect("the engine claims this request"),
    )
    .await
    .expect("an answer")
    .unchecked_into()
}

fn get_request(url: &str) -> Request {
    Request::new_with_str(url).unwrap()
}

/// Waits (up to two seconds) until `url` is stored in `cache_name`: storing
/// is background work kept alive with waitUntil, after the answer.
async fn settle_until_cached(cache_name: &str, url: &str) {
    for _ in 0..200 {
        if entries(&open(cache_name).await)
            .await
            .iter()
            .any(|u| u == url)
        {
            return;
        }
        crate::browser::sleep_ms(10).await;
    }
}

#[wasm_bindgen_test]
fn invalid_configs_throw_e2103_naming_the_field() {
    let cases = [
        (
            r#"{"routes": [{"name": "a", "match": {"path": "/"}, "strategy": "cache-frist"}]}"#,
            "config.routes[0].strategy",
        ),
        (r#"{"rotues": []}"#, "config.rotues"),
        (
            r#"{"routes": [{"name": "a", "match": {"path": "/"}, "strategy": "cache-first", "maxEntries": -3}]}"#,
            "config.routes[0].maxEntries",
        ),
    ];
    for (config, field) in cases {
        let error = EngineCore::new(json(config), origin()).err().expect(config);
        assert_eq!(text(&error, "code"), "E2103");
        assert!(
            text(&error, "message").contains(field),
            "{}",
            text(&error, "message")
        );
    }
    assert!(
        EngineCore::new(JsValue::NULL, origin()).is_ok(),
        "no config: an engine that routes nothing"
    );
}

#[wasm_bindgen_test]
fn config_values_json_cannot_hold_or_that_throw_get_e2103_naming_the_field() {
    let route = r#"{name: "a", match: {path: "/"}, strategy: "cache-first""#;
    let cases = [
        (
            format!("{route}, maxEntries: 10n}}"),
            "config.routes[0].maxEntries",
            "a bigint",
        ),
        (
            format!("{route}, allowOpaque: Symbol('x')}}"),
            "config.routes[0].allowOpaque",
            "a symbol",
        ),
        (
            format!("{route}, name: () => 'a'}}"),
            "config.routes[0].name",
            "a function",
        ),
        (
            format!("{route}, get maxAgeSeconds() {{ throw new Error('boom'); }}}}"),
            "config.routes[0]",
            "throws when read",
        ),
        (
            format!("new Proxy({route}}}, {{ownKeys() {{ throw new Error('no'); }}}})"),
            "config.routes[0]",
            "throws when read",
        ),
    ];
    for (route, field, kind) in cases {
        let config = js_sys::eval(&format!("({{routes: [{route}]}})")).expect(&route);
        let error = EngineCore::new(config, origin()).err().expect(&route);
        let message = text(&error, "message");
        assert_eq!(text(&error, "code"), "E2103", "{route}: {message}");
        assert!(
            message.contains(field) && message.contains(kind),
            "{route}: {message}"
        );
    }
    let throwing_top = js_sys::eval("({get routes() { throw new Error('boom'); }})").unwrap();
    let error = EngineCore::new(throwing_top, origin()).err().unwrap();
    assert_eq!(text(&error, "code"), "E2103", "{}", text(&error, "message"));
}

#[wasm_bindgen_test]
fn manifest_urls_resolve_against_the_workers_location() {
    let worker = format!("{}/app/sw.js", origin());
    let core = EngineCore::new(
        json(
            r#"{"precache": ["assets/index-BVHU0nab.js", "./", "../shared/logo.svg", "/root.js",
                              "https://cdn.example/x.js"], "navigationFallback": "index.html"}"#,
        ),
        worker,
    )
    .unwrap();
    let at = |path: &str, search: &str| {
        core.plan("GET", &[&origin(), path, search].concat(), "", false)[0]
    };
    for path in [
        "/app/assets/index-BVHU0nab.js",
        "/app/",
        "/shared/logo.svg",
        "/root.js",
    ] {
        assert_eq!(at(path, ""), Plan::Precache as u32, "{path} is precached");
    }
    assert_eq!(
        at("/assets/index-BVHU0nab.js", ""),
        Plan::Ignore as u32,
        "relative to the worker, not the origin"
    );
    let fallback = get(&core.settings(), "fallbackUrl").as_string();
    assert_eq!(fallback, Some(format!("{}/app/index.html", origin())));
    assert_eq!(
        crate::browser::thrown_code(EngineCore::new(JsValue::NULL, "not a url".into())),
        "E2108"
    );
}

#[wasm_bindgen_test]
fn the_core_speaks_its_exported_enums_and_refuses_unknown_events() {
    let core = EngineCore::new(
        json(r#"{"routes": [{"name": "a", "match": {"pathPrefix": "/a/"}, "strategy": "cache-first"},
            {"name": "n", "match": {"pathPrefix": "/n/"}, "strategy": "network-first", "networkTimeoutSeconds": 1.5}]}"#),
        origin(),
    )
    .unwrap();
    let at = |path: &str| core.plan("GET", &[&origin(), path].concat(), "", false);
    assert_eq!(at("/a/x"), [Plan::Route as u32, 0], "route 0");
    assert_eq!(at("/n/x"), [Plan::Route as u32, 1], "route 1");
    assert_eq!(at("/b/x")[0], Plan::Ignore as u32, "not intercepted");
    let event = |e: StrategyEvent| JsValue::from(e as i32);
    let commands = |list: &[StrategyCommand]| list.iter().map(|&c| c as u8).collect::<Vec<_>>();
    let mut run = core.run(0).unwrap();
    let lookup = core.lookup(0, false, None, 0.0).unwrap();
    assert!(lookup == StrategyEvent::Missing);
    assert_eq!(
        run.next(event(StrategyEvent::Start)).unwrap(),
        commands(&[StrategyCommand::LookupCache])
    );
    assert_eq!(
        run.next(event(lookup)).unwrap(),
        commands(&[StrategyCommand::Fetch])
    );
    assert_eq!(
        run.next(event(StrategyEvent::Storable)).unwrap(),
        commands(&[StrategyCommand::AnswerNetwork, StrategyCommand::Store]),
        "a storable answer: answer with it, store it"
    );
    assert_eq!(run.outcome(), "network");
    for bad in [
        JsValue::from(99),
        JsValue::from(1.5),
        JsValue::from("Start"),
        JsValue::NULL,
    ] {
        assert_eq!(crate::browser::thrown_code(run.next(bad)), "E2100");
    }
    let mut timed = core.run(1).unwrap();
    assert_eq!(
        timed.next(event(StrategyEvent::Start)).unwrap(),
        commands(&[StrategyCommand::Fetch, StrategyCommand::StartTimer])
    );
    assert_eq!(
        timed.timer_ms(),
        1500.0,
        "the timer's length travels with the run"
    );
    assert_eq!(crate::browser::thrown_code(core.run(2)), "E2100");
    assert_eq!(
        crate::browser::thrown_code(core.victims(7, vec![])),
        "E2100"
    );
}

#[wasm_bindgen_test]
async fn install_precaches_with_revisions_and_activate_cleans_up() {
    delete_all_caches().await;
    open("offline-runtime-precache-old").await;
    open("offline-runtime-route-gone").await;
    open("offline-runtime-code").await;
    open("another-apps-cache").await;
    let engine = engine(
        r#"{"version": "t1", "precache": [{"url": "/", "revision": "r1"}],
        "routes": [{"name": "kept", "match": {"pathPrefix": "/api/"}, "strategy": "network-first"}]}"#,
    );
    JsFuture::from(engine.install()).await.expect("install");
    let precache = open("offline-runtime-precache-t1").await;
    let cached: Response = JsFuture::from(precache.match_with_str(&format!("{}/", origin())))
        .await
        .unwrap()
        .unchecked_into();
    assert_eq!(
        cached
            .headers()
            .get("X-Offline-Runtime")
            .unwrap()
            .as_deref(),
        Some("cache")
    );
    assert_eq!(
        cached
            .headers()
            .get("X-Offline-Runtime-Revision")
            .unwrap()
            .as_deref(),
        Some("r1")
    );
    assert!(cached
        .headers()
        .get("X-Offline-Runtime-Cached-At")
        .unwrap()
        .is_some());
    open("offline-runtime-route-kept").await;
    // activate() also claims clients, which only an active worker may do; the cleanup comes first.
    let _ = JsFuture::from(engine.activate()).await;
    let names = cache_names().await;
    assert!(
        !names.contains(&"offline-runtime-precache-old".to_string()),
        "{names:?}"
    );
    assert!(
        !names.contains(&"offline-runtime-route-gone".to_string()),
        "{names:?}"
    );
    for kept in [
        "offline-runtime-precache-t1",
        "offline-runtime-route-kept",
        "offline-runtime-code",
        "another-apps-cache",
    ] {
        assert!(names.contains(&kept.to_string()), "{kept} kept: {names:?}");
    }
}

#[wasm_bindgen_test]
async fn an_entry_that_cannot_be_fetched_fails_the_install() {
    delete_all_caches().await;
    let engine = engine(r#"{"version": "t2", "precache": ["/", "/definitely-not-here.js"]}"#);
    assert!(JsFuture::from(engine.install()).await.is_err());
}

#[wasm_bindgen_test]
async fn cache_first_stores_then_serves_with_headers() {
    delete_all_caches().await;
    let engine = engine(
        r#"{"routes": [{"name": "pages", "match": {"glob": "/**"}, "strategy": "cache-first"}]}"#,
    );
    let url = format!("{}/?round-trip", origin());
    let first = handle(&engine, get_request(&url)).await;
    assert_eq!(first.status(), 200);
    assert_eq!(
        first.headers().get("X-Offline-Runtime").unwrap(),
        None,
        "from the network"
    );
    settle_until_cached("offline-runtime-route-pages", &url).await;
    let second = handle(&engine, get_request(&url)).await;
    assert_eq!(
        second
            .headers()
            .get("X-Offline-Runtime")
            .unwrap()
            .as_deref(),
        Some("cache")
    );
    let cached_at: f64 = second
        .headers()
        .get("X-Offline-Runtime-Cached-At")
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    assert!((js_sys::Date::now() - cached_at).abs() < 60_000.0);
    let body = JsFuture::from(second.text().unwrap())
        .await
        .unwrap()
        .as_string()
        .unwrap();
    assert!(!body.is_empty(), "the body survived the round trip");
}

#[wasm_bindgen_test]
async fn max_entries_evicts_the_least_recently_used() {
    delete_all_caches().await;
    let engine = engine(
        r#"{"routes": [{"name": "capped", "match": {"glob": "/**"}, "strategy": "cache-first", "maxEntries": 2}]}"#,
    );
    let url = |q: &str| format!("{}/?{q}", origin());
    for q in ["a", "b"] {
        handle(&engine, get_request(&url(q))).await;
        settle_until_cached("offline-runtime-route-capped", &url(q)).await;
    }
    handle(&engine, get_request(&url("a"))).await; // a is now the most recently used
    handle(&engine, get_request(&url("c"))).await;
    let cache = open("offline-runtime-route-capped").await;
    let mut held = Vec::new();
    for _ in 0..200 {
        held = entries(&cache).await;
        if held.len() == 2 && held.contains(&url("c")) {
            break;
        }
        crate::browser::sleep_ms(10).await;
    }
    assert_eq!(held.len(), 2, "{held:?}");
    assert!(
        held.contains(&url("a")) && held.contains(&url("c")),
        "b was evicted: {held:?}"
    );
}

#[wasm_bindgen_test]
async fn network_first_falls_back_to_the_cache_then_to_a_network_error_or_a_problem_offline() {
    delete_all_caches().await;
    let config = format!(
        r#"{{"routes": [{{"name": "remote", "match": {{"pathPrefix": "/api/", "origins": ["{UNREACHABLE}"]}},
            "strategy": "network-first", "networkTimeoutSeconds": 2}}]}}"#
    );
    let engine = engine(&config);
    // An entry stored earlier, with the engine's metadata headers.
    let cache = open("offline-runtime-route-remote").await;
    let init = web_sys::ResponseInit::new();
    let headers = web_sys::Headers::new().unwrap();
    headers.set("X-Offline-Runtime", "cache").unwrap();
    headers
        .set(
            "X-Offline-Runtime-Cached-At",
            &(js_sys::Date::now() as u64).to_string(),
        )
        .unwrap();
    init.set_headers(&headers);
    let stored = Response::new_with_opt_str_and_init(Some(r#"{"items": []}"#), &init).unwrap();
    JsFuture::from(cache.put_with_str(&format!("{UNREACHABLE}/api/items"), &stored))
        .await
        .unwrap();

    let served = handle(&engine, get_request(&format!("{UNREACHABLE}/api/items"))).await;
    assert_eq!(
        served
            .headers()
            .get("X-Offline-Runtime")
            .unwrap()
            .as_deref(),
        Some("cache")
    );
    // Online, a failure nothing can answer is the page's own network error...
    let missing = handle(&engine, get_request(&format!("{UNREACHABLE}/api/other"))).await;
    assert_eq!(missing.type_(), web_sys::ResponseType::Error);
    // ...offline, it is "not available offline".
    let engine = offline_engine(&config);
    let missing = handle(&engine, get_request(&format!("{UNREACHABLE}/api/other"))).await;
    assert_eq!(missing.status(), 504);
    assert_eq!(
        missing.headers().get("Content-Type").unwrap().as_deref(),
        Some("application/problem+json")
    );
    let problem = JsFuture::from(missing.json().unwrap()).await.unwrap();
    assert_eq!(text(&problem, "code"), "E4010");
}

#[wasm_bindgen_test]
async fn a_write_that_fails_online_is_a_network_error_and_offline_gets_e4007() {
    // A request whose own signal is already aborted: its fetch fails.
    let failing_write = || {
        let controller = web_sys::AbortController::new().unwrap();
        controller.abort();
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&"{}".into());
        init.set_signal(Some(&controller.signal()));
        Request::new_with_str_and_init(&format!("{}/api/items", origin()), &init).unwrap()
    };
    let config = r#"{"offlineWrites": "reject"}"#;
    let online = engine(config);
    let answer = handle(&online, failing_write()).await;
    assert_eq!(
        answer.type_(),
        web_sys::ResponseType::Error,
        "not 'offline'"
    );
    let answer = handle(&offline_engine(config), failing_write()).await;
    assert_eq!(answer.status(), 503);
    let problem = JsFuture::from(answer.json().unwrap()).await.unwrap();
    assert_eq!(text(&problem, "code"), "E4007");
    assert_eq!(
        text(&problem, "detail"),
        "You're offline; changes can't be saved until you reconnect."
    );
}

#[wasm_bindgen_test]
fn requests_no_route_claims_are_not_intercepted() {
    let core = EngineCore::new(
        json(r#"{"routes": [{"name": "api", "match": {"pathPrefix": "/api/"}, "strategy": "network-first"}], "bypass": ["/api/health"]}"#),
        origin(),
    )
    .unwrap();
    let intercepts = |url: &str| core.plan("GET", url, "", false)[0] != Plan::Ignore as u32;
    let at = |path: &str| format!("{}{path}", origin());
    assert!(intercepts(&at("/api/items")));
    assert!(
        !intercepts(&at("/api/health")),
        "the probe URL is never intercepted"
    );
    assert!(!intercepts(&at("/other")));
    assert!(!intercepts("https://elsewhere.example/api/items"));
    assert!(!intercepts(&["blob:", &at("/api/items")].concat()));
}
