//! Classification: maps a description of any failure (an HTTP status, a
//! problem+json body, a PostgREST body, a DOMException name, a fetch failure,
//! a message) to a catalog code. Pure: the browser shell (`js.rs`) reads the
//! JavaScript value and builds a [`Failure`]; time comes in as an argument.

use super::catalog::{self, lookup};
use super::format::has_text;

/// What the shell could read off a failure.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Failure {
    /// HTTP status, from a `Response`, a `{status}` object or a problem body.
    pub status: Option<u16>,
    /// A `code` property: a catalog code, a SQLSTATE, a `PGRST` code, ...
    pub code: Option<String>,
    /// A DOMException (or Error) `name`.
    pub name: Option<String>,
    /// A message, `detail` or `title`, for the technical detail and heuristics.
    pub message: Option<String>,
    /// True when this is the `TypeError` that `fetch()` rejects with.
    pub fetch_failed: bool,
    /// `navigator.onLine` when the failure was classified, if known.
    pub online: Option<bool>,
    /// The raw `Retry-After` header or field.
    pub retry_after: Option<String>,
}

/// The result: a catalog code plus what was learned along the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Classified {
    pub code: &'static str,
    /// Seconds to wait before retrying, from `Retry-After`.
    pub retry_after_seconds: Option<u64>,
}

/// Classifies a failure; never fails. `now_ms` resolves HTTP-date `Retry-After`.
pub fn classify(failure: &Failure, now_ms: f64) -> Classified {
    Classified {
        code: code_for(failure),
        retry_after_seconds: failure
            .retry_after
            .as_deref()
            .and_then(|raw| parse_retry_after(raw, now_ms)),
    }
}

fn code_for(failure: &Failure) -> &'static str {
    if let Some(code) = failure.code.as_deref() {
        if let Some(entry) = lookup(code) {
            return entry.code;
        }
        if let Some(code) = code_for_postgrest(code, failure.message.as_deref()) {
            return code;
        }
    }
    if failure.fetch_failed {
        return match failure.online {
            Some(false) => catalog::OFFLINE,
            _ => catalog::UNREACHABLE,
        };
    }
    if let Some(code) = failure.name.as_deref().and_then(code_for_exception_name) {
        return code;
    }
    if let Some(status) = failure.status {
        return code_for_status(status);
    }
    catalog::GENERIC
}

/// Maps an HTTP status to a code. Successful statuses are not failures: generic.
pub fn code_for_status(status: u16) -> &'static str {
    match status {
        0 => catalog::UNREACHABLE,
        400 | 422 => catalog::VALIDATION_GENERIC,
        401 => catalog::AUTH_REQUIRED,
        403 => catalog::PERMISSION_DENIED,
        404 => catalog::NOT_FOUND,
        408 | 504 => catalog::TIMEOUT,
        409 | 412 => catalog::CONFLICT,
        410 => catalog::GONE,
        413 => catalog::PAYLOAD_TOO_LARGE,
        415 => catalog::UNSUPPORTED_MEDIA_TYPE,
        423 => catalog::INVALID_STATE_FOR_ACTION,
        429 => catalog::RATE_LIMITED,
        502 => catalog::BAD_GATEWAY,
        503 => catalog::SERVICE_UNAVAILABLE,
        405..=499 => catalog::VALIDATION_GENERIC,
        500..=599 => catalog::SERVER_ERROR,
        _ => catalog::GENERIC,
    }
}

/// When a storage exception happened: while opening a database some names
/// mean the storage itself is unusable (a private window's IndexedDB, a
/// denied origin), later they mean a connection or transaction was lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageStep {
    Opening,
    Using,
}

/// Maps a storage exception's DOMException name to a code, by when it
/// happened; every other name as `code_for_exception_name` does.
pub fn code_for_storage_exception(name: &str, step: StorageStep) -> Option<&'static str> {
    match (step, name) {
        (StorageStep::Opening, "SecurityError" | "InvalidStateError" | "UnknownError") => {
            Some(catalog::STORAGE_UNAVAILABLE)
        }
        _ => code_for_exception_name(name),
    }
}

/// Maps a DOMException (or Error) name to a code: the one classification
/// of exception names (storage adds only `code_for_storage_exception`'s
/// opening rule).
pub fn code_for_exception_name(name: &str) -> Option<&'static str> {
    Some(match name {
        "QuotaExceededError" => catalog::QUOTA_EXCEEDED,
        "NotFoundError" => catalog::STORAGE_NOT_FOUND,
        "VersionError" => catalog::SCHEMA_VERSION_CONFLICT,
        "AbortError" => catalog::CANCELLED,
        "TimeoutError" => catalog::TIMEOUT,
        "InvalidStateError" | "TransactionInactiveError" => catalog::STORAGE_CLOSED,
        "DataCloneError" | "DataError" => catalog::DATA_UNREADABLE,
        "SecurityError" => catalog::STORAGE_UNAVAILABLE,
        "UnknownError" | "ConstraintError" | "ReadOnlyError" => catalog::STORAGE_FAILED,
        "NetworkError" => catalog::UNREACHABLE,
        _ => return None,
    })
}

/// Maps a PostgREST / Supabase `code` (a SQLSTATE or `PGRSTnnn`) to a code.
pub fn code_for_postgrest(code: &str, message: Option<&str>) -> Option<&'static str> {
    if let Some(number) = code.strip_prefix("PGRST") {
        return Some(match number {
            "116" => catalog::NOT_FOUND,
            "300" | "301" => catalog::INVALID_TOKEN,
            "302" => catalog::AUTH_REQUIRED,
            "303" => catalog::SESSION_EXPIRED,
            n if n.starts_with("30") => catalog::AUTH_GENERIC,
            _ => return None,
        });
    }
    if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    if message.is_some_and(|m| has_text(m, "JWT expired")) {
        return Some(catalog::SESSION_EXPIRED);
    }
    Some(match code {
        "23505" => catalog::DUPLICATE_VALUE,
        "23502" => catalog::REQUIRED_MISSING,
        "23503" => catalog::REFERENCE_VIOLATION,
        "23514" => catalog::INVALID_VALUE,
        "22001" => catalog::VALUE_TOO_LONG,
        "22003" | "22008" => catalog::VALUE_OUT_OF_RANGE,
        "42501" => catalog::PERMISSION_DENIED,
        "40001" | "40P01" => catalog::CONFLICT,
        "57014" => catalog::TIMEOUT,
        // The SQLSTATE class, as bytes (a str slice would keep a panic path).
        _ => match code.as_bytes().get(..2) {
            Some(b"28") => catalog::INVALID_CREDENTIALS,
            Some(b"08") => catalog::DATABASE_CONNECTION,
            Some(b"22") => catalog::INVALID_VALUE,
            Some(b"23") => catalog::VALIDATION_GENERIC,
            Some(b"53") => catalog::SERVICE_UNAVAILABLE,
            _ => return None,
        },
    })
}

/// True for the messages browsers give the `TypeError` that `fetch()` rejects
/// with on a network failure (Chromium, Firefox, Safari, Deno/Node undici),
/// including a service worker's `Response.error()` or rejected `respondWith`,
/// which Chromium and Firefox report as a network failure and WebKit in
/// words of its own.
pub fn is_fetch_failure_message(message: &str) -> bool {
    const MARKERS: [&str; 7] = [
        "Failed to fetch",
        "NetworkError when attempting to fetch",
        "Load failed",
        "fetch failed",
        "Network request failed",
        "Response served by service worker is an error",
        "FetchEvent.respondWith received an error",
    ];
    MARKERS.iter().any(|marker| has_text(message, marker))
}

/// Parses `Retry-After`: delta-seconds, or an IMF-fixdate
/// ("Sun, 06 Nov 1994 08:49:37 GMT") resolved against `now_ms`.
pub fn parse_retry_after(raw: &str, now_ms: f64) -> Option<u64> {
    let raw = raw.trim();
    if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
        return raw.parse().ok();
    }
    let at_ms = parse_imf_fixdate(raw)?;
    let wait_ms = (at_ms - now_ms).max(0.0);
    Some((wait_ms / 1000.0).ceil() as u64)
}

/// Parses an IMF-fixdate to epoch milliseconds.
fn parse_imf_fixdate(raw: &str) -> Option<f64> {
    let mut parts = raw.split_ascii_whitespace();
    let _weekday = parts.next()?.strip_suffix(',')?;
    let day: u32 = parts.next()?.parse().ok()?;
    let month = parts.next()?;
    // Four digits, as IMF-fixdate has: keeps the arithmetic below in range.
    let year: i64 = parts
        .next()?
        .parse()
        .ok()
        .filter(|y| (0..=9999).contains(y))?;
    let time = parts.next()?;
    if parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == month)? as u32 + 1;
    let mut hms = time.split(':').map(|p| p.parse::<u32>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some() || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 86_400 + i64::from(h * 3600 + m * 60 + s)) * 1000) as f64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_index + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}
