//! Redaction: what is removed from an error report before it is stored or
//! sent. Keys that name secrets (passwords, tokens, cookies, API keys, card
//! numbers, ...) lose their values wherever they appear: in a context
//! object at any depth, in a URL's query or fragment, and in free text as
//! `key=value`, `key: value`, `key => value` or `"key": "value"` (any
//! spaces or tabs, quotes escaped at any depth: JSON inside JSON, and
//! percent-encoded inside a URL), and bearer tokens lose theirs.
//! `Authorization` keeps only its scheme and `Cookie` nothing, whatever
//! follows on the line; URLs lose their userinfo's password; header tuples
//! (`["authorization", v]`) and form pairs (`{name: "password", value: v}`)
//! lose the value. Keys are compared lower-cased, without separators and
//! percent-decoded, so `Pass_Word`, `x-api-key` and `pass%77ord` all match.
//! Pure.

use crate::errors::format::{decimal, has_text};
use crate::value::Value;

/// What a redacted value becomes.
pub const REDACTED: &str = "[redacted]";

/// Key fragments that make a key secret wherever they appear in it.
pub const DEFAULT_KEY_PARTS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "authorization",
    "cookie",
    "apikey",
    "accesskey",
    "privatekey",
    "credential",
    "sessionid",
    "creditcard",
    "cardnumber",
    "bearer",
    // Session cookies by their well-known names: PHPSESSID, connect.sid,
    // JSESSIONID, csrftoken, _xsrf.
    "sessid",
    "connectsid",
    "csrf",
    "xsrf",
];

/// Short keys that are secret only as the whole key (as parts they would
/// match "footprint", "spin", "author").
pub const DEFAULT_WHOLE_KEYS: &[&str] = &[
    "pwd", "pass", "pin", "otp", "sid", "auth", "jwt", "ssn", "cvv", "cvc", "session",
];

/// How deep, how wide and how long a context may be; beyond, it is cut.
pub const MAX_DEPTH: u32 = 8;
pub const MAX_ITEMS: usize = 50;
pub const MAX_TEXT: usize = 2000;
/// What the shell keeps of an app's context before it crosses into wasm, so
/// a cyclic, deep or huge value costs bounded time: values in all, and
/// characters of text in all.
pub const MAX_NODES: usize = 1000;
pub const MAX_CONTEXT_TEXT: usize = 32_000;

/// The redaction rules: the defaults plus the app's own key fragments.
#[derive(Debug, Clone, Default)]
pub struct Redaction {
    extra: Vec<String>,
}

impl Redaction {
    /// `extra`: more key fragments (`redactKeys`), matched like the defaults.
    pub fn new(extra: &[String]) -> Redaction {
        Redaction {
            extra: extra
                .iter()
                .map(|key| normalized(key))
                .filter(|k| !k.is_empty())
                .collect(),
        }
    }

    /// Whether a key names a secret.
    pub fn is_secret(&self, key: &str) -> bool {
        let key = normalized(key);
        if key.is_empty() {
            return false;
        }
        DEFAULT_WHOLE_KEYS.contains(&key.as_str())
            || DEFAULT_KEY_PARTS.iter().any(|part| has_text(&key, part))
            || self.extra.iter().any(|part| has_text(&key, part))
    }

    /// A context value with every secret key's value replaced, every string
    /// redacted as text, and anything deeper, wider or longer than the
    /// limits cut.
    pub fn value(&self, value: Value) -> Value {
        self.value_at(value, 0)
    }

    fn value_at(&self, value: Value, depth: u32) -> Value {
        match value {
            Value::String(text) => Value::String(self.text(&text)),
            Value::Array(items) if depth >= MAX_DEPTH => {
                Value::String(["[", &decimal(items.len() as u64), " items]"].concat())
            }
            Value::Object(_) if depth >= MAX_DEPTH => Value::String("[object]".into()),
            // A header tuple: `["authorization", "Bearer x"]`.
            Value::Array(items)
                if items.len() == 2 && items[0].as_str().is_some_and(|k| self.is_secret(k)) =>
            {
                let key = items.into_iter().next().unwrap_or(Value::Null);
                Value::Array(vec![key, Value::String(REDACTED.into())])
            }
            Value::Array(items) => Value::Array(
                items
                    .into_iter()
                    .take(MAX_ITEMS)
                    .map(|item| self.value_at(item, depth + 1))
                    .collect(),
            ),
            Value::Object(fields) => {
                // A form pair: `{name: "password", value: "x"}`.
                let named_secret = fields.iter().any(|(key, value)| {
                    matches!(key.as_str(), "name" | "key")
                        && value.as_str().is_some_and(|name| self.is_secret(name))
                });
                Value::Object(
                    fields
                        .into_iter()
                        .take(MAX_ITEMS)
                        .map(|(key, value)| {
                            let value = if self.is_secret(&key) || (named_secret && key == "value")
                            {
                                Value::String(REDACTED.into())
                            } else {
                                self.value_at(value, depth + 1)
                            };
                            (self.text(&key), value)
                        })
                        .collect(),
                )
            }
            Value::Invalid(what) => Value::String(["[", what, "]"].concat()),
            other => other,
        }
    }

    /// A URL without the query and fragment parameters whose keys are
    /// secret (the rest kept in order), cut to `MAX_TEXT`.
    pub fn url(&self, url: &str) -> String {
        let (rest, fragment) = split_once(url, '#');
        let (path, query) = split_once(rest, '?');
        let mut out = String::from(path);
        for (separator, part) in [('?', query), ('#', fragment)] {
            let Some(part) = part else { continue };
            let kept: Vec<&str> = part
                .split('&')
                .filter(|pair| !self.is_secret(split_once(pair, '=').0))
                .collect();
            if !kept.is_empty() {
                out.push(separator);
                out.push_str(&kept.join("&"));
            }
        }
        self.text(&out)
    }

    /// Free text (messages, stacks, string values) with the values after
    /// secret keys and bearer tokens replaced, cut to `MAX_TEXT` characters.
    pub fn text(&self, text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len().min(MAX_TEXT));
        let mut copied = 0; // bytes of `text` already in `out`
        let redact = |out: &mut String, copied: &mut usize, start: usize, end: usize| {
            if end > start && start >= *copied {
                out.push_str(text.get(*copied..start).unwrap_or(""));
                out.push_str(REDACTED);
                *copied = end;
            }
        };
        let mut i = 0;
        while i < bytes.len() {
            // `scheme://user:password@host`: the password goes.
            if bytes[i] == b':' && bytes.get(i + 1..i + 3) == Some(b"//") {
                if let Some((start, end)) = userinfo_password(bytes, i + 3) {
                    redact(&mut out, &mut copied, start, end);
                    i = end;
                } else {
                    i += 3;
                }
                continue;
            }
            let Some(width) = assignment_at(bytes, i) else {
                i += 1;
                continue;
            };
            let bearer = width == 0;
            let value_start = if bearer { i + 7 } else { i + width };
            let key = if bearer { "" } else { key_before(text, i) };
            // A quoted key then a comma: a header tuple `["cookie", "..."]`.
            if bytes[i] == b',' && !quoted_before(bytes, i) {
                i += 1;
                continue;
            }
            let secret = bearer
                || self.is_secret(key)
                || (key.eq_ignore_ascii_case("value") && self.named_secret_before(text, i));
            if !secret {
                i = value_start;
                continue;
            }
            let whole_line = whole_line_value(key);
            let (mut start, mut end) = value_span(bytes, value_start, whole_line);
            // After a comma, a quoted string followed by `:` is the next key.
            if bytes[i] == b',' && followed_by_colon(bytes, end) {
                i = value_start;
                continue;
            }
            // The scheme stays (`Authorization: Basic xyz`), its credentials go.
            let first_word_end = (start..end)
                .find(|&at| !bytes[at].is_ascii_alphabetic())
                .unwrap_or(end);
            let scheme = text.get(start..first_word_end).unwrap_or("");
            let known_scheme = ["bearer", "basic", "digest"]
                .iter()
                .any(|s| scheme.eq_ignore_ascii_case(s));
            if (known_scheme || whole_line && key_is_authorization(key))
                && first_word_end > start
                && skip_blanks(bytes, first_word_end) > first_word_end
            {
                let (next_start, next_end) = value_span(bytes, first_word_end + 1, whole_line);
                (start, end) = (next_start, next_end.max(next_start));
            }
            redact(&mut out, &mut copied, start, end);
            i = end.max(value_start);
        }
        out.push_str(text.get(copied..).unwrap_or(""));
        truncated(out)
    }

    /// Whether the object around `at` (a `"value":`) names a secret in a
    /// `"name"` or `"key"` field before it: a form pair written as JSON.
    fn named_secret_before(&self, text: &str, at: usize) -> bool {
        // Bytes only, no str slicing: slicing pulls panic formatting into the .wasm.
        let bytes = text.as_bytes();
        let open = (0..at).rev().find(|&i| bytes[i] == b'{').unwrap_or(0);
        let skip = |mut i: usize| {
            while i < at && matches!(bytes[i], b'"' | b'\'' | b'\\' | b' ' | b'\t') {
                i += 1;
            }
            i
        };
        (open..at).any(|found| {
            let field_end = [b"name".as_slice(), b"key"]
                .iter()
                .find(|field| bytes[found..at].starts_with(field))
                .map(|field| found + field.len());
            let Some(field_end) = field_end else {
                return false;
            };
            let colon = skip(field_end);
            if bytes.get(colon) != Some(&b':') {
                return false;
            }
            let start = skip(colon + 1);
            let mut end = start;
            while end < at && is_key_byte(bytes[end]) {
                end += 1;
            }
            self.is_secret(text.get(start..end).unwrap_or(""))
        })
    }
}

/// The width of the assignment at `at` (`=`, `:`, `=>`, a percent-encoded
/// `=`, a comma after a quoted key), 0 for a bearer token, None otherwise.
fn assignment_at(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes[at] {
        b'=' if bytes.get(at + 1) == Some(&b'>') => Some(2),
        b'=' | b':' | b',' => Some(1),
        b'%' if matches!(bytes.get(at + 1..at + 3), Some(b"3D" | b"3d")) => Some(3),
        _ if is_word_at(bytes, at, b"bearer ") => Some(0),
        _ => None,
    }
}

/// Whether `:` follows `at` once closing quotes, backslashes and spaces are passed.
fn followed_by_colon(bytes: &[u8], mut at: usize) -> bool {
    while at < bytes.len() && matches!(bytes[at], b'"' | b'\'' | b'\\' | b' ' | b'\t') {
        at += 1;
    }
    bytes.get(at) == Some(&b':')
}

/// Whether a quote (escaped or not) stands just before `at`, spaces aside.
fn quoted_before(bytes: &[u8], at: usize) -> bool {
    let mut end = at;
    while end > 0 && matches!(bytes[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    end > 0 && matches!(bytes[end - 1], b'"' | b'\'')
}

/// Keys whose value is everything to the end of the line (or its quotes):
/// a cookie header holds many secrets, an authorization header any scheme.
fn whole_line_value(key: &str) -> bool {
    let key = normalized(key);
    has_text(&key, "cookie") || has_text(&key, "authorization")
}

fn key_is_authorization(key: &str) -> bool {
    has_text(&normalized(key), "authorization")
}

/// In `user:password@host` starting at `from` (after `://`), the password's span.
fn userinfo_password(bytes: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut colon = None;
    for (at, byte) in bytes.iter().enumerate().skip(from) {
        match byte {
            b'@' => return colon.map(|c: usize| (c + 1, at)),
            b':' if colon.is_none() => colon = Some(at),
            b'/' | b'?' | b'#' | b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'' | b'\\' => {
                return None
            }
            _ => {}
        }
    }
    None
}

/// Lower case, letters and digits only, `%XX` decoded first.
fn normalized(key: &str) -> String {
    let bytes = key.as_bytes();
    let mut out = String::with_capacity(key.len());
    let mut i = 0;
    while i < bytes.len() {
        let mut b = bytes[i];
        if b == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                b = high * 16 + low;
                i += 2;
            }
        }
        if b.is_ascii_alphanumeric() {
            out.push(char::from(b.to_ascii_lowercase()));
        }
        i += 1;
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The key just before the `=` or `:` at `at`: a run of key characters,
/// optionally in quotes and followed by spaces.
fn key_before(text: &str, at: usize) -> &str {
    let bytes = text.as_bytes();
    let mut end = at;
    loop {
        if end > 0 && matches!(bytes[end - 1], b' ' | b'\t') {
            end -= 1;
        } else if end >= 2 && bytes[end - 1] == b't' && bytes[end - 2] == b'\\' {
            // An escaped tab (`\\t` in a JSON string, at any depth).
            end -= 1;
            while end > 0 && bytes[end - 1] == b'\\' {
                end -= 1;
            }
        } else {
            break;
        }
    }
    // A quote, escaped at any depth (`\\\"` in JSON inside JSON).
    if end > 0 && matches!(bytes[end - 1], b'"' | b'\'') {
        end -= 1;
        while end > 0 && bytes[end - 1] == b'\\' {
            end -= 1;
        }
    }
    let mut start = end;
    while start > 0 && is_key_byte(bytes[start - 1]) {
        start -= 1;
    }
    // `\\nsession=`: the key starts after the escaped newline or tab.
    if start > 0
        && start < end
        && bytes[start - 1] == b'\\'
        && matches!(bytes[start], b'n' | b't' | b'r')
    {
        start += 1;
    }
    text.get(start..end).unwrap_or("")
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'%')
}

/// Whether `word` (lower case) starts at `at`, case-insensitively, after a
/// non-letter.
fn is_word_at(bytes: &[u8], at: usize, word: &[u8]) -> bool {
    let fits = bytes.len() >= at + word.len()
        && bytes[at..at + word.len()]
            .iter()
            .zip(word)
            .all(|(a, b)| a.to_ascii_lowercase() == *b);
    // After a non-letter, or after an escaped tab or newline (`\\t` in JSON).
    let escaped_blank = at >= 2 && matches!(bytes[at - 1], b't' | b'n') && bytes[at - 2] == b'\\';
    fits && (at == 0 || !bytes[at - 1].is_ascii_alphabetic() || escaped_blank)
}

/// `at` moved past spaces and tabs, literal or escaped (`\\t` in a JSON string,
/// at any depth).
fn skip_blanks(bytes: &[u8], mut at: usize) -> usize {
    loop {
        match bytes.get(at) {
            Some(b' ' | b'\t') => at += 1,
            Some(b'\\') => {
                let mut after = at;
                while bytes.get(after) == Some(&b'\\') {
                    after += 1;
                }
                if bytes.get(after) != Some(&b't') {
                    return at;
                }
                at = after + 1;
            }
            _ => return at,
        }
    }
}

/// The value after an assignment: spaces and tabs skipped, then a quoted
/// string (its quote escaped at any depth: the value ends where the same
/// escaped quote comes again), or a run up to a delimiter (`whole_line`: up
/// to the end of the line). Both ends are at ASCII bytes (char boundaries).
fn value_span(bytes: &[u8], from: usize, whole_line: bool) -> (usize, usize) {
    let start = skip_blanks(bytes, from);
    let mut quote_at = start;
    while quote_at < bytes.len() && bytes[quote_at] == b'\\' {
        quote_at += 1;
    }
    if quote_at < bytes.len() && matches!(bytes[quote_at], b'"' | b'\'') {
        let closing = &bytes[start..=quote_at];
        let escapes = quote_at - start;
        let mut end = quote_at + 1;
        while end < bytes.len() && !bytes[end..].starts_with(closing) {
            // Inside, a backslash escapes the byte after it only at this depth.
            end += if escapes == 0 && bytes[end] == b'\\' {
                2
            } else {
                1
            };
        }
        return (quote_at + 1, end.min(bytes.len()));
    }
    let mut end = start;
    while end < bytes.len() {
        let b = bytes[end];
        let stop = if whole_line {
            matches!(b, b'\n' | b'\r' | b'"' | b'\'' | b'\\')
        } else {
            matches!(
                b,
                b'&' | b';'
                    | b','
                    | b' '
                    | b'\n'
                    | b'\r'
                    | b'\t'
                    | b'"'
                    | b'\''
                    | b'}'
                    | b']'
                    | b')'
                    | b'#'
            ) || (b == b'%' && matches!(bytes.get(end + 1..end + 3), Some(b"26")))
        };
        if stop {
            break;
        }
        end += 1;
    }
    (start, end)
}

fn split_once(text: &str, separator: char) -> (&str, Option<&str>) {
    match text.split_once(separator) {
        Some((head, tail)) => (head, Some(tail)),
        None => (text, None),
    }
}

/// At most `MAX_TEXT` characters, marked when cut.
pub fn truncated(text: String) -> String {
    match text.char_indices().nth(MAX_TEXT) {
        Some((cut, _)) => [text.get(..cut).unwrap_or(""), "…[truncated]"].concat(),
        None => text,
    }
}
