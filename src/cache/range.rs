//! Range requests answered from the cache: which bytes of a cached body a
//! `Range` header asks for (RFC 9110 §14), so a media player seeking in a
//! cached file gets a 206 with `Content-Range`, online and offline. Only a
//! single `bytes` range is honoured; anything else gets the whole body, which
//! the RFC allows. Pure.

/// How to answer a request whose `Range` header is `header` from a body of `size` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeAnswer {
    /// 200 with the whole body (no usable range).
    Whole,
    /// 206 with bytes `start..=end`.
    Part { start: u64, end: u64 },
    /// 416: the range starts past the end.
    Unsatisfiable,
}

pub fn byte_range(header: &str, size: u64) -> RangeAnswer {
    let Some(spec) = header
        .trim()
        .strip_prefix("bytes=")
        .filter(|spec| !spec.contains(','))
    else {
        return RangeAnswer::Whole;
    };
    let Some((first, last)) = spec.trim().split_once('-') else {
        return RangeAnswer::Whole;
    };
    let number = |text: &str| -> Option<Option<u64>> {
        let text = text.trim();
        if text.is_empty() {
            return Some(None);
        }
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Past u64: further than any body, so as good as "to the end".
        Some(Some(text.parse().unwrap_or(u64::MAX)))
    };
    let (Some(first), Some(last)) = (number(first), number(last)) else {
        return RangeAnswer::Whole;
    };
    match (first, last) {
        (Some(start), last) => {
            if last.is_some_and(|last| last < start) {
                return RangeAnswer::Whole;
            }
            if start >= size {
                return RangeAnswer::Unsatisfiable;
            }
            let end = last.map_or(size - 1, |last| last.min(size - 1));
            RangeAnswer::Part { start, end }
        }
        // "bytes=-N": the last N bytes.
        (None, Some(suffix)) => {
            if suffix == 0 || size == 0 {
                return RangeAnswer::Unsatisfiable;
            }
            RangeAnswer::Part {
                start: size.saturating_sub(suffix),
                end: size - 1,
            }
        }
        (None, None) => RangeAnswer::Whole,
    }
}
