//! `Retry-After` parsing: delta-seconds or an HTTP date against any clock;
//! never a panic or an overflow (fuzz builds check arithmetic).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use offline_runtime::errors::classify::parse_retry_after;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    raw: &'a str,
    now_ms: f64,
}

fuzz_target!(|input: Input| {
    let _ = parse_retry_after(input.raw, input.now_ms);
    // The same text in the date's shape, to reach the date arithmetic often.
    let dated = format!("Sun, {} GMT", input.raw);
    let _ = parse_retry_after(&dated, input.now_ms);
});
