//! Messages: the one-line text an app shows for a code, and the RFC 9457
//! problem details object the service worker answers with. Pure.

use super::catalog::ErrorEntry;

/// Where the generated error dictionary lives; problem `type` URIs point here.
pub const DICTIONARY_URL: &str =
    "https://github.com/offline-runtime/offline-runtime/blob/main/docs/errors/error-codes.md";

/// What the user was doing, to phrase the message ("save" + "organization").
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Context {
    pub action: Option<String>,
    pub subject: Option<String>,
}

/// "Unable to save organization (E2001)"; without an action, the entry's
/// user message followed by its code.
pub fn format_message(entry: &ErrorEntry, context: &Context) -> String {
    let action = context.action.as_deref().map(str::trim).unwrap_or("");
    let subject = context.subject.as_deref().map(str::trim).unwrap_or("");
    match (action.is_empty(), subject.is_empty()) {
        (false, false) => format!("Unable to {action} {subject} ({})", entry.code),
        (false, true) => format!("Unable to {action} ({})", entry.code),
        _ => format!("{} ({})", entry.user_message, entry.code),
    }
}

/// The lines a display shows under its headline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayText<'a> {
    /// The message given with the error (an app's own `userMessage`), else the catalog's.
    pub message: &'a str,
    /// What a server said about this failure (a problem's `detail`), when it adds to the message.
    pub detail: Option<&'a str>,
}

/// Picks a display's text. `detail` is shown only when it came from a server
/// (`status` is known): an exception's message ("Failed to fetch") is for
/// developers, not users. Empty strings count as absent.
pub fn display_text<'a>(
    entry: &'a ErrorEntry,
    message: Option<&'a str>,
    detail: Option<&'a str>,
    status: Option<u16>,
) -> DisplayText<'a> {
    let given = |text: Option<&'a str>| text.map(str::trim).filter(|t| !t.is_empty());
    let message = given(message).unwrap_or(entry.user_message);
    let detail = given(detail).filter(|d| status.is_some() && *d != message);
    DisplayText { message, detail }
}

/// A whole number in decimal, without `core::fmt` (which the worker's
/// .wasm leaves out: several KB for a few numbers in messages).
pub fn decimal(n: u64) -> String {
    let mut digits = Vec::new();
    let mut rest = n;
    loop {
        digits.push(b'0' + (rest % 10) as u8);
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    // Digit by digit: `String::from_utf8` would pull UTF-8 validation in.
    digits
        .iter()
        .rev()
        .map(|&digit| char::from(digit))
        .collect()
}

/// Whether `part` occurs in `text`, compared as bytes: `str::contains` would
/// pull several KB of panic formatting and Unicode tables into the .wasm.
pub fn has_text(text: &str, part: &str) -> bool {
    part.is_empty()
        || text
            .as_bytes()
            .windows(part.len())
            .any(|window| window == part.as_bytes())
}

/// A string in double quotes, for messages. Rust's `{:?}` would do it, but
/// its escaping pulls Unicode tables (several KB) into the .wasm.
pub fn quoted(text: &str) -> String {
    ["\"", text, "\""].concat()
}

/// RFC 9457 problem details for an entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub type_uri: String,
    pub title: &'static str,
    /// The entry's HTTP status, or 500 for client-only codes (a problem needs one).
    pub status: u16,
    pub detail: String,
    pub code: &'static str,
    pub retryable: bool,
    pub instance: Option<String>,
}

/// Builds the problem body; `detail` defaults to the entry's user message.
pub fn to_problem(entry: &ErrorEntry, detail: Option<&str>, instance: Option<&str>) -> Problem {
    Problem {
        type_uri: [DICTIONARY_URL, "#", &entry.code.to_ascii_lowercase()].concat(),
        title: entry.title,
        status: if entry.http_status == 0 {
            500
        } else {
            entry.http_status
        },
        detail: detail.unwrap_or(entry.user_message).to_owned(),
        code: entry.code,
        retryable: entry.retryable,
        instance: instance.map(str::to_owned),
    }
}
