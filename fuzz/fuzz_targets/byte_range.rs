//! Range headers against any body size: the bytes chosen always lie inside
//! the body; never a panic.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use offline_runtime::cache::range::{byte_range, RangeAnswer};

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    header: &'a str,
    size: u64,
}

fuzz_target!(|input: Input| {
    if let RangeAnswer::Part { start, end } = byte_range(input.header, 200, input.size) {
        assert!(start <= end && end < input.size, "{input:?}: {start}-{end}");
    }
});
