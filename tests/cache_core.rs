//! Native tests of the engine's pure core: the config schema and its errors,
//! routing tables and globs, each strategy's steps against a fake network,
//! cache and clock, cacheability, expiration, and the precache plans.
#![cfg(not(target_arch = "wasm32"))]

use offline_runtime::cache::config::{Config, OfflineWrites, Strategy};
use offline_runtime::cache::expiration::over_capacity;
use offline_runtime::cache::precache::{
    caches_to_clear, install_stores, plan_activate, plan_install, precache_name, route_cache_name,
    InstallStep, CACHE_PREFIX,
};
use offline_runtime::cache::route::{decide, url_parts, Decision, Glob, RequestFacts};
use offline_runtime::cache::strategy::{
    cacheable, is_expired, Answer, Command, Event, Lookup, ResponseFacts, Run, StorePolicy,
};
use offline_runtime::value::Value;
use proptest::prelude::*;

fn value(json: &str) -> Value {
    fn convert(v: serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap()),
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(a) => Value::Array(a.into_iter().map(convert).collect()),
            serde_json::Value::Object(o) => {
                Value::Object(o.into_iter().map(|(k, v)| (k, convert(v))).collect())
            }
        }
    }
    convert(serde_json::from_str(json).unwrap())
}

const DESIGN_CONFIG: &str = r#"{
  "version": "2026-11-22.1",
  "precache": [{"url": "/", "revision": "a1"}, {"url": "/offline.html", "revision": "b2"}, "/app.3f9a.js"],
  "navigationFallback": "/offline.html",
  "routes": [
    {"name": "assets", "match": {"destinations": ["script", "style", "image", "font"]},
     "strategy": "cache-first", "maxAgeSeconds": 86400, "maxEntries": 200},
    {"name": "api", "match": {"pathPrefix": "/api/", "methods": ["GET"]},
     "strategy": "network-first", "networkTimeoutSeconds": 3, "maxAgeSeconds": 86400}
  ],
  "offlineWrites": "reject",
  "bypass": ["/api/health"],
  "debug": false
}"#;

fn design_config() -> Config {
    Config::parse(&value(DESIGN_CONFIG)).unwrap()
}

#[test]
fn the_design_config_parses_with_documented_defaults() {
    let config = design_config();
    assert_eq!(config.version, "2026-11-22.1");
    assert_eq!(config.precache.len(), 3);
    assert_eq!(config.precache[2].revision, None);
    assert_eq!(config.routes[0].strategy, Strategy::CacheFirst);
    assert_eq!(config.routes[0].max_entries, Some(200));
    assert_eq!(config.routes[1].network_timeout_ms, Some(3000.0));
    assert_eq!(config.routes[1].max_age_ms, Some(86_400_000.0));
    assert!(config.routes[1].abort_on_timeout);
    assert_eq!(config.routes[1].cacheable_statuses, vec![200]);
    assert_eq!(config.offline_writes, OfflineWrites::Reject);
    let minimal = Config::parse(&value(
        r#"{"routes": [{"name": "x", "match": {"path": "/"}, "strategy": "cache-only"}]}"#,
    ))
    .unwrap();
    assert_eq!(minimal.version, "1");
    assert_eq!(
        minimal.routes[0].max_age_ms,
        Some(86_400_000.0),
        "24 h by default"
    );
    assert_eq!(minimal.routes[0].matcher.methods, vec!["GET"]);
    assert!(
        Config::parse(&Value::Null).unwrap().routes.is_empty(),
        "no config: no routes"
    );
    let never = Config::parse(&value(r#"{"routes": [{"name": "x", "match": {"path": "/"}, "strategy": "cache-only", "maxAgeSeconds": null}]}"#)).unwrap();
    assert_eq!(never.routes[0].max_age_ms, None);
}

#[test]
fn config_errors_name_the_field() {
    let cases = [
        (r#"{"rotues": []}"#, "config.rotues", "unknown key"),
        (
            r#"{"routes": [{"name": "a", "match": {"path": "/"}, "strategy": "cache-frist"}]}"#,
            "config.routes[0].strategy",
            "unknown value",
        ),
        (
            r#"{"routes": [{"name": "a", "match": {"path": "/"}, "strategy": "cache-first", "maxEntries": -1}]}"#,
            "config.routes[0].maxEntries",
            ">= 0",
        ),
        (
            r#"{"routes": [{"name": "a", "match": {"path": "/"}, "strategy": "cache-first", "maxEntries": 2.5}]}"#,
            "config.routes[0].maxEntries",
            "whole number",
        ),
        (
            r#"{"routes": [{"name": "a", "match": {"path": "/"}, "strategy": "cache-first", "maxAgeSeconds": "1d"}]}"#,
            "config.routes[0].maxAgeSeconds",
            "must be a number",
        ),
        (
            r#"{"routes": [{"name": "a", "match": {"path": "/"}, "strategy": "network-first"}, {"name": "a", "match": {"path": "/b"}, "strategy": "cache-first"}]}"#,
            "config.routes[1].name",
            "duplicate",
        ),
        (
            r#"{"routes": [{"name": "a", "match": {"pathPrefix": "/"}, "strategy": "cache-first", "networkTimeoutSeconds": 3}]}"#,
            "config.routes[0].networkTimeoutSeconds",
            "network-first",
        ),
        (
            r#"{"routes": [{"name": "a", "match": {"pathPrefx": "/"}, "strategy": "cache-first"}]}"#,
            "config.routes[0].match.pathPrefx",
            "unknown key",
        ),
        (
            r#"{"routes": [{"name": "a", "match": {}, "strategy": "cache-first"}]}"#,
            "config.routes[0].match",
            "at least one",
        ),
        (
            r#"{"routes": [{"match": {"path": "/"}, "strategy": "cache-first"}]}"#,
            "config.routes[0].name",
            "required",
        ),
        (
            r#"{"routes": [{"name": "a", "match": {"path": "/", "origins": ["cdn.example.com"]}, "strategy": "cache-first"}]}"#,
            "config.routes[0].match.origins[0]",
            "origin",
        ),
        (
            r#"{"precache": [{"revision": "1"}]}"#,
            "config.precache[0].url",
            "required",
        ),
        (
            r#"{"offlineWrites": "queue"}"#,
            "config.offlineWrites",
            "unknown value",
        ),
        (
            r#"{"bypass": ["api/health"]}"#,
            "config.bypass[0]",
            "starting with /",
        ),
        (r#"{"debug": "yes"}"#, "config.debug", "boolean"),
        (r#"{"version": "a b"}"#, "config.version", "without spaces"),
        (r#"[]"#, "config", "object"),
    ];
    for (json, path, message) in cases {
        let error = Config::parse(&value(json)).expect_err(json);
        assert_eq!(error.path, path, "{json}");
        assert!(error.message.contains(message), "{json}: {}", error.message);
    }
}

#[test]
fn globs_match_within_and_across_segments() {
    let cases = [
        ("/static/*.js", "/static/app.js", true),
        ("/static/*.js", "/static/js/app.js", false),
        ("/static/**/*.js", "/static/js/app.js", true),
        ("/static/**/*.js", "/static/app.js", true),
        ("/static/**", "/static/a/b/c.png", true),
        ("/api/*/items", "/api/v1/items", true),
        ("/api/*/items", "/api/v1/x/items", false),
        ("*.css", "/a.css", false),
        ("/**/*.css", "/a/b.css", true),
    ];
    for (pattern, path, expected) in cases {
        assert_eq!(
            Glob::new(pattern).matches(path),
            expected,
            "{pattern} vs {path}"
        );
    }
}

/// The backtracking definition the matcher must agree with (exponential on
/// hostile input, so only run on short strings here).
fn reference_glob(pattern: &[u8], text: &[u8]) -> bool {
    match pattern {
        [] => text.is_empty(),
        [b'*', b'*', rest @ ..] => {
            let rest_after_slash = rest.strip_prefix(b"/").unwrap_or(rest);
            (0..=text.len()).any(|i| reference_glob(rest, &text[i..]))
                || reference_glob(rest_after_slash, text)
        }
        [b'*', rest @ ..] => {
            let segment_end = text.iter().position(|&c| c == b'/').unwrap_or(text.len());
            (0..=segment_end).any(|i| reference_glob(rest, &text[i..]))
        }
        [c, rest @ ..] => text.first() == Some(c) && reference_glob(rest, &text[1..]),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    #[test]
    fn globs_agree_with_the_backtracking_definition(
        pattern in "[ab/*-]{0,10}",
        path in "[ab/-]{0,14}",
    ) {
        prop_assert_eq!(
            Glob::new(&pattern).matches(&path),
            reference_glob(pattern.as_bytes(), path.as_bytes()),
            "{} vs {}", pattern, path
        );
    }
}

#[test]
fn hostile_globs_match_in_linear_time() {
    // Backtracking took 4.3 s (171 chars) and 241 s (2 KB) on these.
    let long_js = format!("/{}.js", "a-".repeat(85));
    let long_path = format!("/{}y", "a/".repeat(1024));
    let started = std::time::Instant::now();
    for _ in 0..100 {
        assert!(!Glob::new("/**/*-*-*-*-*.js").matches(&long_js.replace('-', "_")));
        assert!(Glob::new("/**/*-*-*-*-*.js").matches(&long_js));
        assert!(!Glob::new("/**/**/**/**/x").matches(&long_path));
    }
    // Not a timing assertion on speed: a bound a backtracking matcher misses by orders of magnitude.
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
}

fn facts<'a>(
    method: &'a str,
    origin: &'a str,
    path: &'a str,
    destination: &'a str,
    navigate: bool,
) -> RequestFacts<'a> {
    RequestFacts {
        method,
        origin,
        path,
        destination,
        navigate,
    }
}

const ORIGIN: &str = "http://127.0.0.1:8080";

/// The route's name, or what else `decide` said, for a request to `ORIGIN`'s worker.
fn decision_name(
    config: &Config,
    facts: &RequestFacts,
    precached: impl Fn(&str) -> bool,
) -> String {
    match decide(config, facts, ORIGIN, precached) {
        Decision::Route(route) => route.name.clone(),
        Decision::Ignore => "ignore".into(),
        Decision::Precache => "precache".into(),
        Decision::Write => "write".into(),
        Decision::Navigation => "navigation".into(),
    }
}

#[test]
fn routing_table() {
    let config = design_config();
    let precached = |path: &str| ["/", "/offline.html", "/app.3f9a.js"].contains(&path);
    let route_of = |f: RequestFacts| decision_name(&config, &f, precached);
    assert_eq!(
        route_of(facts("GET", ORIGIN, "/app.3f9a.js", "script", false)),
        "precache"
    );
    assert_eq!(
        route_of(facts("GET", ORIGIN, "/img/logo.png", "image", false)),
        "assets"
    );
    assert_eq!(
        route_of(facts("GET", ORIGIN, "/api/contacts", "", false)),
        "api"
    );
    assert_eq!(
        route_of(facts("HEAD", ORIGIN, "/api/contacts", "", false)),
        "ignore",
        "HEAD is not a route method"
    );
    assert_eq!(
        route_of(facts("GET", ORIGIN, "/api/health", "", false)),
        "ignore",
        "bypassed probe"
    );
    assert_eq!(
        route_of(facts("POST", ORIGIN, "/api/contacts", "", false)),
        "write"
    );
    assert_eq!(
        route_of(facts("DELETE", ORIGIN, "/api/contacts/1", "", false)),
        "write"
    );
    assert_eq!(
        route_of(facts("POST", "https://other.example", "/api/x", "", false)),
        "ignore"
    );
    assert_eq!(
        route_of(facts(
            "GET",
            "https://cdn.example.com",
            "/lib.js",
            "script",
            false
        )),
        "ignore",
        "cross-origin needs an allowlist"
    );
    assert_eq!(
        route_of(facts("GET", ORIGIN, "/contacts/7", "document", true)),
        "navigation"
    );
    assert_eq!(
        route_of(facts("GET", ORIGIN, "/robots.txt", "", false)),
        "ignore"
    );
}

#[test]
fn request_urls_split_into_origin_path_and_query() {
    let cases = [
        (
            "http://127.0.0.1:8080/a/b?x=1",
            Some(("http://127.0.0.1:8080", "/a/b", "?x=1")),
        ),
        (
            "https://app.example/",
            Some(("https://app.example", "/", "")),
        ),
        (
            "https://app.example/p?q#frag?not",
            Some(("https://app.example", "/p", "?q")),
        ),
        (
            "https://app.example/p#f",
            Some(("https://app.example", "/p", "")),
        ),
        (
            "https://app.example/p?",
            Some(("https://app.example", "/p", "")),
        ),
        ("http://[::1]:3000/x", Some(("http://[::1]:3000", "/x", ""))),
        ("https://app.example", Some(("https://app.example", "", ""))),
        (
            "https://app.example/caf%C3%A9?é",
            Some(("https://app.example", "/caf%C3%A9", "?é")),
        ),
        // Not the worker's: other schemes, which the Cache API refuses (a
        // blob: URL even has its creator's origin), and credentials.
        ("blob:https://app.example/0b8e-4a", None),
        ("data:text/plain,hi", None),
        ("chrome-extension://abc/page.html", None),
        ("ftp://app.example/x", None),
        ("https://user:pw@app.example/x", None),
        ("", None),
    ];
    for (url, expected) in cases {
        assert_eq!(url_parts(url), expected, "{url}");
    }
}

#[test]
fn first_match_wins_and_origins_are_allowlisted() {
    let config = Config::parse(&value(r#"{"routes": [
        {"name": "cdn", "match": {"glob": "/libs/**", "origins": ["https://cdn.example.com"]}, "strategy": "cache-first"},
        {"name": "docs", "match": {"navigate": true, "pathPrefix": "/docs/"}, "strategy": "network-first"},
        {"name": "all", "match": {"pathPrefix": "/"}, "strategy": "network-only"}
    ]}"#)).unwrap();
    let name = |f: RequestFacts| match decide(&config, &f, ORIGIN, |_| false) {
        Decision::Route(route) => route.name.clone(),
        other => format!("{other:?}"),
    };
    assert_eq!(
        name(facts(
            "GET",
            "https://cdn.example.com",
            "/libs/x/y.js",
            "script",
            false
        )),
        "cdn"
    );
    assert_eq!(
        name(facts("GET", ORIGIN, "/libs/own.js", "script", false)),
        "cdn",
        "own origin is always allowed"
    );
    assert_eq!(
        name(facts("GET", ORIGIN, "/docs/a", "document", true)),
        "docs"
    );
    assert_eq!(name(facts("GET", ORIGIN, "/docs/a", "", false)), "all");
}

/// Runs a strategy against a fake cache and network on a fake clock.
/// `network`: Some((at_ms, Some(cacheable))) answers at that time, Some((at, None)) fails then, None never answers.
#[derive(Debug, Default, PartialEq)]
struct Outcome {
    answer: Option<Answer>,
    stored: bool,
    aborted: bool,
    revalidated: bool,
    deleted: bool,
    lookups: usize,
    fetches: usize,
    label: &'static str,
}

fn simulate(
    strategy: Strategy,
    timeout: Option<f64>,
    cache: Lookup,
    network: Option<(f64, Option<bool>)>,
) -> Outcome {
    let (mut run, mut pending) = Run::start(strategy, timeout, true);
    let mut outcome = Outcome::default();
    let mut timer_at: Option<f64> = None;
    let mut fetch_started = false;
    let mut aborted = false;
    loop {
        while let Some(command) = (!pending.is_empty()).then(|| pending.remove(0)) {
            match command {
                Command::LookupCache => {
                    outcome.lookups += 1;
                    pending.extend(run.on(Event::Cache(cache)));
                }
                Command::Fetch => {
                    outcome.fetches += 1;
                    fetch_started = true;
                }
                Command::StartTimer(ms) => timer_at = Some(ms),
                Command::AbortFetch => aborted = true,
                Command::Respond(answer) => outcome.answer = Some(answer),
                Command::Store => outcome.stored = true,
                Command::Revalidate => outcome.revalidated = true,
                Command::DeleteCached => outcome.deleted = true,
            }
        }
        // Next event in time: the timer or the network.
        let network_at = network
            .filter(|_| fetch_started && !aborted)
            .map(|(at, _)| at);
        let next = match (timer_at, network_at) {
            (Some(t), Some(n)) if t < n => Some(Event::Timeout),
            (Some(_), None) => Some(Event::Timeout),
            (_, Some(_)) => Some(match network.unwrap().1 {
                Some(cacheable) => Event::Network { cacheable },
                None => Event::NetworkFailed,
            }),
            (None, None) => None,
        };
        match next {
            Some(Event::Timeout) => {
                timer_at = None;
                pending.extend(run.on(Event::Timeout));
            }
            Some(event) => {
                fetch_started = false;
                pending.extend(run.on(event));
            }
            None => break,
        }
        if pending.is_empty() && timer_at.is_none() && !fetch_started {
            break;
        }
    }
    // Nothing pending any more (a hanging fetch still is): the shell tells the run so.
    let settled = if fetch_started && !aborted && network.is_none() {
        vec![]
    } else {
        run.on(Event::Settled)
    };
    for command in settled {
        if let Command::Respond(answer) = command {
            outcome.answer = Some(answer);
        }
    }
    outcome.aborted = aborted;
    outcome.label = run.outcome();
    outcome
}

#[test]
fn cache_first_steps() {
    let hit = simulate(
        Strategy::CacheFirst,
        None,
        Lookup::Fresh,
        Some((10.0, Some(true))),
    );
    assert_eq!(
        (hit.answer, hit.fetches, hit.label),
        (Some(Answer::Cache { expired: false }), 0, "hit")
    );
    let miss = simulate(
        Strategy::CacheFirst,
        None,
        Lookup::Missing,
        Some((10.0, Some(true))),
    );
    assert_eq!(
        (miss.answer, miss.stored, miss.label),
        (Some(Answer::Network), true, "network")
    );
    let expired = simulate(
        Strategy::CacheFirst,
        None,
        Lookup::Expired,
        Some((10.0, Some(true))),
    );
    assert_eq!(
        expired.answer,
        Some(Answer::Network),
        "expired entries are not served while the network works"
    );
    let expired_offline = simulate(
        Strategy::CacheFirst,
        None,
        Lookup::Expired,
        Some((10.0, None)),
    );
    assert_eq!(
        expired_offline.answer,
        Some(Answer::Cache { expired: true })
    );
    let nothing = simulate(
        Strategy::CacheFirst,
        None,
        Lookup::Missing,
        Some((10.0, None)),
    );
    assert_eq!(nothing.answer, Some(Answer::Fallback));
    let uncacheable = simulate(
        Strategy::CacheFirst,
        None,
        Lookup::Missing,
        Some((10.0, Some(false))),
    );
    assert_eq!(
        (uncacheable.answer, uncacheable.stored),
        (Some(Answer::Network), false)
    );
}

#[test]
fn network_first_steps_with_timeout_races() {
    // The network answers before the timeout.
    let fast = simulate(
        Strategy::NetworkFirst,
        Some(3000.0),
        Lookup::Fresh,
        Some((100.0, Some(true))),
    );
    assert_eq!(
        (fast.answer, fast.stored, fast.lookups),
        (Some(Answer::Network), true, 0)
    );
    // Timeout with a fresh entry: serve it and abort the fetch.
    let slow = simulate(
        Strategy::NetworkFirst,
        Some(3000.0),
        Lookup::Fresh,
        Some((9000.0, Some(true))),
    );
    assert_eq!(
        (slow.answer, slow.aborted, slow.label),
        (Some(Answer::Cache { expired: false }), true, "timeout")
    );
    // Timeout with nothing cached: keep waiting for the network.
    let wait = simulate(
        Strategy::NetworkFirst,
        Some(3000.0),
        Lookup::Missing,
        Some((9000.0, Some(true))),
    );
    assert_eq!((wait.answer, wait.stored), (Some(Answer::Network), true));
    // Timeout with an expired entry: keep waiting; then the network fails: stale beats nothing.
    let stale = simulate(
        Strategy::NetworkFirst,
        Some(3000.0),
        Lookup::Expired,
        Some((9000.0, None)),
    );
    assert_eq!(
        (stale.answer, stale.label),
        (Some(Answer::Cache { expired: true }), "stale-hit")
    );
    // Network error before any timeout: look at the cache.
    let offline = simulate(
        Strategy::NetworkFirst,
        Some(3000.0),
        Lookup::Fresh,
        Some((5.0, None)),
    );
    assert_eq!(
        (offline.answer, offline.lookups),
        (Some(Answer::Cache { expired: false }), 1)
    );
    let offline_empty = simulate(
        Strategy::NetworkFirst,
        None,
        Lookup::Missing,
        Some((5.0, None)),
    );
    assert_eq!(offline_empty.answer, Some(Answer::Fallback));
    // No timeout configured and a hanging network: no answer from the run itself.
    let hanging = simulate(Strategy::NetworkFirst, None, Lookup::Fresh, None);
    assert_eq!(hanging.answer, None);
}

#[test]
fn network_first_without_abort_keeps_updating_the_cache() {
    let (mut run, _) = Run::start(Strategy::NetworkFirst, Some(1000.0), false);
    assert_eq!(run.on(Event::Timeout), vec![Command::LookupCache]);
    assert_eq!(
        run.on(Event::Cache(Lookup::Fresh)),
        vec![Command::Respond(Answer::Cache { expired: false })]
    );
    assert_eq!(
        run.on(Event::Network { cacheable: true }),
        vec![Command::Store],
        "the late answer refreshes the cache"
    );
}

#[test]
fn stale_while_revalidate_and_the_simple_strategies() {
    let swr = simulate(
        Strategy::StaleWhileRevalidate,
        None,
        Lookup::Fresh,
        Some((10.0, Some(true))),
    );
    assert_eq!(
        (swr.answer, swr.revalidated),
        (Some(Answer::Cache { expired: false }), true)
    );
    let swr_miss = simulate(
        Strategy::StaleWhileRevalidate,
        None,
        Lookup::Missing,
        Some((10.0, Some(true))),
    );
    assert_eq!(
        (swr_miss.answer, swr_miss.stored),
        (Some(Answer::Network), true)
    );
    let only = simulate(
        Strategy::NetworkOnly,
        None,
        Lookup::Fresh,
        Some((10.0, Some(true))),
    );
    assert_eq!(
        (only.answer, only.stored, only.lookups),
        (Some(Answer::Network), false, 0)
    );
    let only_offline = simulate(
        Strategy::NetworkOnly,
        None,
        Lookup::Fresh,
        Some((10.0, None)),
    );
    assert_eq!(only_offline.answer, Some(Answer::Fallback));
    let cache_only = simulate(Strategy::CacheOnly, None, Lookup::Expired, None);
    assert_eq!(
        (cache_only.answer, cache_only.fetches),
        (Some(Answer::Cache { expired: false }), 0)
    );
    let cache_only_miss = simulate(Strategy::CacheOnly, None, Lookup::Missing, None);
    assert_eq!(cache_only_miss.answer, Some(Answer::Fallback));
}

#[test]
fn expired_entries_the_network_will_not_replace_are_deleted() {
    let gone = simulate(
        Strategy::CacheFirst,
        None,
        Lookup::Expired,
        Some((10.0, Some(false))),
    );
    assert_eq!((gone.answer, gone.deleted), (Some(Answer::Network), true));
    let replaced = simulate(
        Strategy::CacheFirst,
        None,
        Lookup::Expired,
        Some((10.0, Some(true))),
    );
    assert_eq!((replaced.stored, replaced.deleted), (true, false));
    let fresh = simulate(
        Strategy::StaleWhileRevalidate,
        None,
        Lookup::Missing,
        Some((10.0, Some(false))),
    );
    assert!(!fresh.deleted, "nothing cached, nothing to delete");
    let offline = simulate(
        Strategy::CacheFirst,
        None,
        Lookup::Expired,
        Some((10.0, None)),
    );
    assert_eq!(
        (offline.answer, offline.deleted),
        (Some(Answer::Cache { expired: true }), false),
        "a failed network keeps the expired copy (and serves it)"
    );
}

#[test]
fn a_run_that_settles_unanswered_gets_the_fallback_once() {
    let (mut run, _) = Run::start(Strategy::NetworkFirst, None, true);
    assert_eq!(run.on(Event::NetworkFailed), vec![Command::LookupCache]);
    // The lookup never reports (the cache threw): the shell says nothing is pending.
    assert_eq!(
        run.on(Event::Settled),
        vec![Command::Respond(Answer::Fallback)]
    );
    assert_eq!(run.outcome(), "fallback");
    assert_eq!(run.on(Event::Settled), vec![], "answered once");
    let (mut answered, _) = Run::start(Strategy::NetworkOnly, None, true);
    answered.on(Event::Network { cacheable: false });
    assert_eq!(answered.on(Event::Settled), vec![]);
}

#[test]
fn revalidated_responses_changed_only_when_a_version_header_differs() {
    use offline_runtime::cache::revalidation::{changed, VERSION_HEADERS};
    assert_eq!(VERSION_HEADERS, ["ETag", "Last-Modified", "Content-Length"]);
    let h = |etag: Option<&str>, modified: Option<&str>, length: Option<&str>| {
        [etag, modified, length]
            .map(|v| v.map(str::to_owned))
            .to_vec()
    };
    assert!(changed(
        &h(Some("\"a\""), None, None),
        &h(Some("\"b\""), None, None)
    ));
    assert!(!changed(
        &h(Some("\"a\""), None, None),
        &h(Some("\"a\""), None, None)
    ));
    assert!(
        !changed(&h(None, None, None), &h(Some("\"b\""), None, None)),
        "a header only one side has tells nothing"
    );
    assert!(changed(
        &h(None, None, Some("10")),
        &h(None, None, Some("11"))
    ));
    assert!(!changed(&h(None, None, None), &h(None, None, None)));
    assert!(
        !changed(&[], &h(Some("x"), None, None)),
        "short lists are no change"
    );
}

proptest! {
    #[test]
    fn every_run_answers_exactly_once_when_the_network_settles(
        strategy in prop_oneof![Just(Strategy::CacheFirst), Just(Strategy::NetworkFirst), Just(Strategy::StaleWhileRevalidate), Just(Strategy::NetworkOnly), Just(Strategy::CacheOnly)],
        timeout in proptest::option::of(0.0f64..5000.0),
        cache in prop_oneof![Just(Lookup::Fresh), Just(Lookup::Expired), Just(Lookup::Missing)],
        at in 0.0f64..10_000.0,
        result in proptest::option::of(any::<bool>()),
    ) {
        let timeout = timeout.filter(|_| strategy == Strategy::NetworkFirst);
        let outcome = simulate(strategy, timeout, cache, Some((at, result)));
        prop_assert!(outcome.answer.is_some(), "{:?}", outcome);
        if let Some(Answer::Cache { expired: true }) = outcome.answer {
            prop_assert!(result.is_none() || strategy == Strategy::CacheOnly, "expired served only when the network failed");
        }
    }
}

#[test]
fn cacheability_rules() {
    let ok = ResponseFacts {
        method: "GET",
        status: 200,
        opaque: false,
        cache_control: None,
        vary: None,
    };
    let only_200 = StorePolicy {
        statuses: &[200],
        allow_opaque: false,
        allow_private: false,
    };
    let with_404 = StorePolicy {
        statuses: &[200, 404],
        ..only_200
    };
    let opaque_ok = StorePolicy {
        allow_opaque: true,
        ..only_200
    };
    let private_ok = StorePolicy {
        allow_private: true,
        ..only_200
    };
    let cases: [(ResponseFacts, StorePolicy, bool); 16] = [
        (ok, only_200, true),
        (ResponseFacts { status: 404, ..ok }, only_200, false),
        (ResponseFacts { status: 404, ..ok }, with_404, true),
        (
            ResponseFacts {
                method: "POST",
                ..ok
            },
            only_200,
            false,
        ),
        (
            ResponseFacts {
                cache_control: Some("public, no-store"),
                ..ok
            },
            private_ok,
            false,
        ),
        (
            ResponseFacts {
                cache_control: Some("No-Store"),
                ..ok
            },
            only_200,
            false,
        ),
        (
            ResponseFacts {
                cache_control: Some("no-cache, max-age=0"),
                ..ok
            },
            only_200,
            true,
        ),
        (
            ResponseFacts {
                opaque: true,
                status: 0,
                ..ok
            },
            only_200,
            false,
        ),
        (
            ResponseFacts {
                opaque: true,
                status: 0,
                ..ok
            },
            opaque_ok,
            true,
        ),
        (
            ResponseFacts {
                vary: Some("*"),
                ..ok
            },
            private_ok,
            false,
        ),
        (
            ResponseFacts {
                vary: Some("Accept-Encoding"),
                ..ok
            },
            only_200,
            true,
        ),
        // One user's answers stay out of a cache every user of the browser shares...
        (
            ResponseFacts {
                cache_control: Some("max-age=60, Private"),
                ..ok
            },
            only_200,
            false,
        ),
        (
            ResponseFacts {
                cache_control: Some("private=\"Set-Cookie\""),
                ..ok
            },
            only_200,
            false,
        ),
        (
            ResponseFacts {
                vary: Some("Accept, Cookie"),
                ..ok
            },
            only_200,
            false,
        ),
        (
            ResponseFacts {
                vary: Some("authorization"),
                ..ok
            },
            only_200,
            false,
        ),
        // ...unless the route opts in.
        (
            ResponseFacts {
                cache_control: Some("private"),
                vary: Some("Cookie"),
                ..ok
            },
            private_ok,
            true,
        ),
    ];
    for (i, (facts, policy, expected)) in cases.iter().enumerate() {
        assert_eq!(
            cacheable(facts, policy),
            *expected,
            "case {i}: {facts:?} {policy:?}"
        );
    }
}

#[test]
fn values_json_cannot_hold_are_errors_not_absent() {
    let route = |extra: (&str, Value)| {
        Value::Object(vec![(
            "routes".into(),
            Value::Array(vec![Value::Object(vec![
                ("name".into(), Value::String("a".into())),
                ("match".into(), value(r#"{"path": "/"}"#)),
                ("strategy".into(), Value::String("cache-first".into())),
                (extra.0.into(), extra.1),
            ])]),
        )])
    };
    let error = Config::parse(&route(("maxEntries", Value::Invalid("a bigint")))).unwrap_err();
    assert_eq!(error.path, "config.routes[0].maxEntries");
    assert!(error.message.contains("got a bigint"), "{}", error.message);
    let error = Config::parse(&Value::Invalid("an object that throws when read")).unwrap_err();
    assert_eq!(error.path, "config");
}

#[test]
fn private_responses_need_the_route_opt_in() {
    let config = value(
        r#"{"routes": [
        {"name": "api", "match": {"pathPrefix": "/api/"}, "strategy": "network-first"},
        {"name": "me", "match": {"pathPrefix": "/me/"}, "strategy": "network-first", "cachePrivate": true}
    ]}"#,
    );
    let config = Config::parse(&config).unwrap();
    assert!(!config.routes[0].cache_private);
    assert!(config.routes[1].cache_private);
}

#[test]
fn expiry_by_age_and_count() {
    assert!(is_expired(Some(0.0), Some(1000.0), 1001.0));
    assert!(!is_expired(Some(0.0), Some(1000.0), 1000.0));
    assert!(
        !is_expired(None, Some(1000.0), 1e12),
        "no timestamp: never by age"
    );
    assert!(!is_expired(Some(0.0), None, 1e12), "no limit");
    // 5 entries, cap 3: entries never served here go first (insertion order), then by last use.
    let last_used = |i: usize| [None, Some(50.0), None, Some(10.0), Some(90.0)][i];
    assert_eq!(over_capacity(5, 3, last_used), vec![0, 2]);
    assert_eq!(over_capacity(5, 2, last_used), vec![0, 2, 3]);
    assert_eq!(over_capacity(3, 3, last_used), Vec::<usize>::new());
}

#[test]
fn install_stores_only_a_2xx() {
    for status in [200, 203, 204, 299] {
        assert!(install_stores(status), "{status}");
    }
    // An opaque answer (0), a redirect page, a 404 and a 500 fail the install.
    for status in [0, 199, 300, 302, 404, 500] {
        assert!(!install_stores(status), "{status}");
    }
}

#[test]
fn precache_plans() {
    let config = design_config();
    assert_eq!(precache_name("v1"), "offline-runtime-precache-v1");
    assert_eq!(route_cache_name("api"), "offline-runtime-route-api");
    // The previous version had "/" at the same revision, "/offline.html" at an older one.
    let previous = vec![(
        "offline-runtime-precache-old".to_string(),
        vec![
            ("/".to_string(), Some("a1".to_string())),
            ("/offline.html".to_string(), Some("b1".to_string())),
        ],
    )];
    let plan = plan_install(&config, &previous);
    assert!(
        matches!(&plan[0], InstallStep::Copy { from, .. } if from == "offline-runtime-precache-old")
    );
    assert!(matches!(&plan[1], InstallStep::Fetch(entry) if entry.url == "/offline.html"));
    assert!(matches!(&plan[2], InstallStep::Fetch(entry) if entry.url == "/app.3f9a.js"));
    // A hashed entry (no revision) an older precache holds is copied, whether
    // its stored revision reads back as absent or as "".
    for stored in [None, Some(String::new())] {
        let previous = vec![(
            "offline-runtime-precache-old".to_string(),
            vec![("/app.3f9a.js".to_string(), stored.clone())],
        )];
        assert!(
            matches!(&plan_install(&config, &previous)[2], InstallStep::Copy { entry, .. } if entry.url == "/app.3f9a.js"),
            "{stored:?}"
        );
    }
    // A hashed entry never matches a held copy of the same URL with a revision.
    let previous = vec![(
        "offline-runtime-precache-old".to_string(),
        vec![("/app.3f9a.js".to_string(), Some("r1".to_string()))],
    )];
    assert!(matches!(
        &plan_install(&config, &previous)[2],
        InstallStep::Fetch(_)
    ));
    let existing: Vec<String> = [
        "offline-runtime-precache-old",
        "offline-runtime-precache-2026-11-22.1",
        "offline-runtime-route-api",
        "offline-runtime-route-gone",
        "offline-runtime-code",
        "someone-elses-cache",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(
        plan_activate(&config, &existing),
        vec!["offline-runtime-precache-old", "offline-runtime-route-gone"]
    );
    let mut purging = config.clone();
    purging.purge_runtime_caches_on_update = true;
    assert_eq!(plan_activate(&purging, &existing).len(), 3);
    assert_eq!(
        caches_to_clear(&existing),
        vec!["offline-runtime-route-api", "offline-runtime-route-gone"]
    );
}

#[test]
fn byte_ranges_of_cached_bodies() {
    use offline_runtime::cache::range::{byte_range, RangeAnswer::*};
    let cases = [
        (
            "bytes=100-199",
            1000,
            Part {
                start: 100,
                end: 199,
            },
        ),
        (
            "bytes=100-",
            1000,
            Part {
                start: 100,
                end: 999,
            },
        ),
        (
            "bytes=-100",
            1000,
            Part {
                start: 900,
                end: 999,
            },
        ),
        ("bytes=-5000", 1000, Part { start: 0, end: 999 }),
        (
            "bytes=900-5000",
            1000,
            Part {
                start: 900,
                end: 999,
            },
        ),
        (" bytes=0-0", 1, Part { start: 0, end: 0 }),
        ("bytes=0-99999999999999999999999", 10, Whole),
        ("bytes=1000-", 1000, Unsatisfiable),
        ("bytes=-0", 1000, Unsatisfiable),
        ("bytes=0-", 0, Unsatisfiable),
        ("bytes=200-100", 1000, Whole),
        ("bytes=0-1,5-6", 1000, Whole),
        ("items=0-1", 1000, Whole),
        ("bytes=a-b", 1000, Whole),
        ("bytes=-", 1000, Whole),
        ("bytes=5", 1000, Whole),
        ("", 1000, Whole),
    ];
    for (header, size, expected) in cases {
        assert_eq!(
            byte_range(header, 200, size),
            expected,
            "{header:?} of {size}"
        );
    }
    for status in [206, 404, 0] {
        assert_eq!(
            byte_range("bytes=0-9", status, 1000),
            Whole,
            "a stored {status}"
        );
    }
}

proptest! {
    #[test]
    fn a_split_url_reads_back_as_the_url_without_its_fragment(url in "(https?://|blob:|)[a-z@:.\\[\\]0-9]{0,12}(/[a-zé%?#/=]{0,12})?") {
        if let Some((origin, path, search)) = url_parts(&url) {
            let whole = [origin, path, search].concat();
            let url = url.split('#').next().unwrap();
            // An empty query reads as "", as URL.search has it.
            prop_assert!(whole == url || [&whole, "?"].concat() == url, "{} from {}", whole, url);
            prop_assert!(!origin.contains('/') || origin.matches('/').count() == 2);
            prop_assert!(search.is_empty() || search.starts_with('?'));
        }
    }

    #[test]
    fn a_byte_range_always_lies_inside_the_body(header in "bytes=[0-9]{0,4}-[0-9]{0,4}", size in 0u64..5000) {
        use offline_runtime::cache::range::{byte_range, RangeAnswer};
        if let RangeAnswer::Part { start, end } = byte_range(&header, 200, size) {
            prop_assert!(start <= end && end < size, "{} of {}: {}-{}", header, size, start, end);
        }
    }
}

#[test]
fn offline_is_the_online_state_not_a_failure() {
    use offline_runtime::cache::answer::{last_resort, LastResort::*};
    assert_eq!(last_resort(true, false, Some(false)), OfflineWrite);
    assert_eq!(
        last_resort(true, false, Some(true)),
        NetworkError,
        "a dropped write while online"
    );
    assert_eq!(last_resort(true, false, None), NetworkError);
    assert_eq!(last_resort(false, false, Some(false)), NotCached);
    assert_eq!(
        last_resort(false, false, Some(true)),
        NetworkError,
        "a CORS failure while online"
    );
    assert_eq!(last_resort(false, true, Some(true)), FallbackPage);
    assert_eq!(last_resort(false, true, Some(false)), FallbackPage);
    use offline_runtime::cache::answer::write_goes_out;
    assert!(!write_goes_out(Some(false)), "offline: a write is not sent");
    assert!(write_goes_out(Some(true)));
    assert!(write_goes_out(None), "unknown online state: try it");
}

#[test]
fn network_first_buffers_bodies_up_to_a_limit() {
    let config = Config::parse(&value(
        r#"{"routes": [
        {"name": "api", "match": {"pathPrefix": "/api/"}, "strategy": "network-first"},
        {"name": "big", "match": {"pathPrefix": "/big/"}, "strategy": "network-first", "networkBufferBytes": 0},
        {"name": "assets", "match": {"pathPrefix": "/a/"}, "strategy": "cache-first"}
    ]}"#,
    ))
    .unwrap();
    let limits: Vec<f64> = config
        .routes
        .iter()
        .map(|r| r.network_buffer_bytes)
        .collect();
    assert_eq!(limits, vec![2_097_152.0, 0.0, 0.0]);
    let error = Config::parse(&value(
        r#"{"routes": [{"name": "a", "match": {"path": "/"}, "strategy": "cache-first", "networkBufferBytes": 10}]}"#,
    ))
    .unwrap_err();
    assert_eq!(error.path, "config.routes[0].networkBufferBytes");
}

#[test]
fn cross_origin_apis_routes_name_are_matched_on_origin_alone_and_their_writes_guarded() {
    let config = Config::parse(&value(
        r#"{"routes": [
        {"name": "api", "match": {"origins": ["https://api.example"]}, "strategy": "network-first"},
        {"name": "cdn", "match": {"pathPrefix": "/libs/", "origins": ["https://cdn.example"]}, "strategy": "cache-first"}
    ]}"#,
    ))
    .unwrap();
    let cases = [
        ("GET", "https://api.example", "/v1/deals", "", "api"),
        // An origins-only route does not claim the worker's own origin.
        ("GET", ORIGIN, "/v1/deals", "", "ignore"),
        ("GET", ORIGIN, "/libs/a.js", "script", "cdn"),
        ("GET", "https://cdn.example", "/libs/a.js", "", "cdn"),
        // Writes to an API a route reaches are guarded like same-origin ones.
        ("POST", "https://api.example", "/v1/deals", "", "write"),
        ("PATCH", "https://cdn.example", "/libs/x", "", "write"),
        ("POST", "https://elsewhere.example", "/x", "", "ignore"),
    ];
    for (method, origin, path, destination, expected) in cases {
        let request = facts(method, origin, path, destination, false);
        assert_eq!(
            decision_name(&config, &request, |_| false),
            expected,
            "{method} {origin}{path}"
        );
    }
}

#[test]
fn the_worker_config_types_name_exactly_the_schemas_keys() {
    use offline_runtime::cache::config::{CONFIG_KEYS, MATCH_KEYS, ROUTE_KEYS};
    let types = include_str!("../sw/sw-loader.d.ts");
    // The keys declared in one interface of the .d.ts, in order.
    let keys_of = |interface: &str| -> Vec<String> {
        let start = types
            .find(&format!("export interface {interface} {{"))
            .unwrap_or_else(|| panic!("{interface} is declared"));
        let body = &types[start..];
        let body = &body[body.find('{').unwrap() + 1..body.find("\n}").unwrap()];
        body.lines()
            .map(str::trim)
            .filter(|line| !line.starts_with("/**") && !line.is_empty())
            .filter_map(|line| line.split(['?', ':']).next())
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(keys_of("OfflineRuntimeConfig"), CONFIG_KEYS);
    assert_eq!(keys_of("Route"), ROUTE_KEYS);
    assert_eq!(keys_of("RouteMatch"), MATCH_KEYS);
}

/// The loader's code cache, as sw/sw-loader.js names it: it caches the
/// .wasm before the core exists, so the name has its home there.
fn code_cache() -> String {
    let loader = include_str!("../sw/sw-loader.js");
    let (_, rest) = loader
        .split_once("const CODE_CACHE = \"")
        .expect("sw/sw-loader.js names its CODE_CACHE");
    rest.split('"').next().unwrap_or_default().to_owned()
}

#[test]
fn every_cache_the_package_makes_carries_its_prefix() {
    // The page holds the package's caches open by this prefix (register.js).
    for name in [precache_name("v2"), route_cache_name("api"), code_cache()] {
        assert!(name.starts_with(CACHE_PREFIX), "{name}");
    }
}

#[test]
fn the_loaders_code_cache_survives_activate_and_logout() {
    let config = Config::parse(&value(
        r#"{"version": "2", "purgeRuntimeCachesOnUpdate": true}"#,
    ))
    .unwrap();
    let existing = [code_cache(), precache_name("1"), route_cache_name("api")];
    assert_eq!(
        plan_activate(&config, &existing),
        [precache_name("1"), route_cache_name("api")]
    );
    assert_eq!(caches_to_clear(&existing), [route_cache_name("api")]);
}

#[test]
fn thirty_thousand_routes_parse_and_a_repeated_name_is_found() {
    // Pairwise name checks made this quadratic (10 s in a worker).
    let route = |name: String| {
        value(&format!(
            r#"{{"name": "{name}", "match": {{"pathPrefix": "/{name}/"}}, "strategy": "network-first"}}"#
        ))
    };
    let mut routes: Vec<Value> = (0..30_000).map(|i| route(format!("r{i}"))).collect();
    let config = |routes: &[Value]| {
        Value::Object(vec![("routes".to_string(), Value::Array(routes.to_vec()))])
    };
    assert_eq!(
        Config::parse(&config(&routes)).unwrap().routes.len(),
        30_000
    );
    // Two repeats: the error names the first route whose name came before.
    routes[29_000] = route("r12".to_string());
    routes[20_000] = route("r7".to_string());
    let error = Config::parse(&config(&routes)).unwrap_err();
    assert_eq!(error.path, "config.routes[20000].name");
    assert_eq!(error.message, "duplicate route name \"r7\"");
}

#[test]
fn navigation_preload_is_on_where_a_navigation_route_goes_to_the_network_first() {
    let preload = |routes: &str, option: &str| {
        let config = format!(r#"{{"routes": [{routes}]{option}}}"#);
        Config::parse(&value(&config)).unwrap().navigation_preload()
    };
    let pages = r#"{"name": "pages", "match": {"navigate": true}, "strategy": "network-first"}"#;
    let documents =
        r#"{"name": "docs", "match": {"destinations": ["document"]}, "strategy": "network-only"}"#;
    let cached_pages =
        r#"{"name": "pages", "match": {"navigate": true}, "strategy": "cache-first"}"#;
    let api = r#"{"name": "api", "match": {"pathPrefix": "/api/"}, "strategy": "network-first"}"#;
    assert!(preload(pages, ""));
    assert!(preload(documents, ""));
    assert!(
        !preload(cached_pages, ""),
        "a cache-answered navigation would pay a request for nothing"
    );
    assert!(!preload(api, ""), "a route not made for navigations");
    assert!(
        !preload(pages, r#", "navigationPreload": false"#),
        "configured off"
    );
    assert!(
        preload(api, r#", "navigationPreload": true"#),
        "configured on"
    );
    assert!(Config::parse(&value(r#"{"navigationPreload": "yes"}"#)).is_err());
}
