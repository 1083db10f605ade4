//! The worker config parser: any JSON document (and any value tree JSON
//! cannot write, via the marker strings below) parses or gives an error
//! naming a field under `config`; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use offline_runtime::cache::config::Config;
use offline_runtime::value::Value;

fn convert(value: serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        // What the shell makes of a bigint, a symbol or a throwing getter.
        serde_json::Value::String(s) if s == "\u{0}invalid" => Value::Invalid("a bigint"),
        serde_json::Value::String(s) => Value::String(s),
        serde_json::Value::Array(items) => Value::Array(items.into_iter().map(convert).collect()),
        serde_json::Value::Object(entries) => {
            Value::Object(entries.into_iter().map(|(k, v)| (k, convert(v))).collect())
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    match Config::parse(&convert(json)) {
        Ok(config) => {
            for route in &config.routes {
                assert!(!route.name.is_empty());
                assert!(!route.matcher.methods.is_empty());
            }
        }
        Err(error) => assert!(error.path.starts_with("config"), "{}", error.text()),
    }
});
