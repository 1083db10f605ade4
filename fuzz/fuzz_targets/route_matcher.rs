//! Routing: any glob against any path, and any request against a config
//! with globs, answers in time linear in their lengths (run with libFuzzer's
//! `-timeout`, which catches a backtracking matcher) and never panics.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use offline_runtime::cache::config::Config;
use offline_runtime::cache::route::{decide, Glob, RequestFacts};
use offline_runtime::value::Value;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    pattern: &'a str,
    path: &'a str,
    method: &'a str,
    destination: &'a str,
    navigate: bool,
    same_origin: bool,
}

fuzz_target!(|input: Input| {
    let _ = Glob::new(input.pattern).matches(input.path);
    let route = |name: &str, matcher: Vec<(String, Value)>| {
        Value::Object(vec![
            ("name".into(), Value::String(name.into())),
            ("match".into(), Value::Object(matcher)),
            ("strategy".into(), Value::String("network-first".into())),
        ])
    };
    let config = Value::Object(vec![
        (
            "routes".into(),
            Value::Array(vec![
                route("glob", vec![("glob".into(), Value::String(input.pattern.into()))]),
                route("prefix", vec![("pathPrefix".into(), Value::String(input.pattern.into()))]),
            ]),
        ),
        ("navigationFallback".into(), Value::String("/offline.html".into())),
    ]);
    let Ok(config) = Config::parse(&config) else {
        return;
    };
    let own = "https://app.example";
    let facts = RequestFacts {
        method: input.method,
        origin: if input.same_origin { own } else { "https://other.example" },
        path: input.path,
        destination: input.destination,
        navigate: input.navigate,
    };
    let _ = decide(&config, &facts, own, |path| path == input.pattern);
});
