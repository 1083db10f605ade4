//! Range requests answered from the cache: which bytes of a cached body a
//! `Range` header asks for (RFC 9110 §14), so a media player seeking in a
//! cached file gets a 206 with `Content-Range`, online and offline. Only a
//! single `bytes` range is honoured; anything else gets the whole body, which
//! the RFC allows. Pure.

/// How to answer a request whose `Range` header is `header` from a stored
/// answer of `status` whose body has `size` bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeAnswer {
    /// 200 with the whole body (no usable range).
    Whole,
    /// 206 with bytes `start..=end`.
    Part { start: u64, end: u64 },
    /// 416: the range starts past the end.
    Unsatisfiable,
}

pub fn byte_range(header: &str, status: u16, size: u64) -> RangeAnswer {
    // Only a whole body can be cut: a stored 206 (the server already cut
    // it) or an error page is served as it is.
    if status != 200 {
        return RangeAnswer::Whole;
    }
    let Some((first, last)) = header
        .trim()
        .strip_prefix("bytes=")
        .and_then(|spec| spec.split_once('-'))
    else {
        return RangeAnswer::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let number = |text: &str| {
        let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
        digits.then(|| text.parse::<u64>().ok()).flatten()
    };
    match (number(first), number(last)) {
        // "bytes=-N": the last N bytes.
        (None, Some(suffix)) if first.is_empty() => match suffix.min(size) {
            0 => RangeAnswer::Unsatisfiable,
            n => RangeAnswer::Part {
                start: size - n,
                end: size - 1,
            },
        },
        (Some(start), end) if end.is_some() || last.is_empty() => {
            let end = end.unwrap_or(u64::MAX);
            if end < start {
                RangeAnswer::Whole
            } else if start >= size {
                RangeAnswer::Unsatisfiable
            } else {
                RangeAnswer::Part {
                    start,
                    end: end.min(size - 1),
                }
            }
        }
        // Several ranges, another unit, a number past u64 or no number: the whole body.
        _ => RangeAnswer::Whole,
    }
}
