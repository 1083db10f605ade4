//! Classification of any failure description (status, code, name, message,
//! Retry-After, fetch and online flags) into a catalog code; never a panic,
//! and always a code the catalog has.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use offline_runtime::errors::catalog::lookup;
use offline_runtime::errors::classify::{classify, code_for_postgrest, Failure};

#[derive(Arbitrary, Debug)]
struct Input {
    status: Option<u16>,
    code: Option<String>,
    name: Option<String>,
    message: Option<String>,
    fetch_failed: bool,
    online: Option<bool>,
    retry_after: Option<String>,
    now_ms: f64,
}

fuzz_target!(|input: Input| {
    let failure = Failure {
        status: input.status,
        code: input.code.clone(),
        name: input.name,
        message: input.message.clone(),
        fetch_failed: input.fetch_failed,
        online: input.online,
        retry_after: input.retry_after,
    };
    let classified = classify(&failure, input.now_ms);
    assert!(lookup(classified.code).is_some(), "{}", classified.code);
    if let Some(code) = input.code {
        if let Some(mapped) = code_for_postgrest(&code, input.message.as_deref()) {
            assert!(lookup(mapped).is_some());
        }
    }
});
