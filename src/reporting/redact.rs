//! Redaction: what is removed from an error report before it is stored or
//! sent. Keys that name secrets (passwords, tokens, cookies, API keys, card
//! numbers, ...) lose their values wherever they appear: in a context
//! object at any depth, in a URL's query or fragment, and in free text as
//! `key=value`, `key: value` or `"key": "value"`, and bearer tokens lose
//! theirs. Keys are compared lower-cased, without separators and
//! percent-decoded, so `Pass_Word`, `x-api-key` and `pass%77ord` all match.
//! Pure.

use crate::cache::value::Value;
use crate::errors::format::{decimal, has_text};

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
];

/// Short keys that are secret only as the whole key (as parts they would
/// match "footprint", "spin", "author").
pub const DEFAULT_WHOLE_KEYS: &[&str] = &[
    "pwd", "pass", "pin", "otp", "sid", "auth", "jwt", "ssn", "cvv", "cvc",
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
            Value::Array(items) => Value::Array(
                items
                    .into_iter()
                    .take(MAX_ITEMS)
                    .map(|item| self.value_at(item, depth + 1))
                    .collect(),
            ),
            Value::Object(fields) => Value::Object(
                fields
                    .into_iter()
                    .take(MAX_ITEMS)
                    .map(|(key, value)| {
                        let value = if self.is_secret(&key) {
                            Value::String(REDACTED.into())
                        } else {
                            self.value_at(value, depth + 1)
                        };
                        (self.text(&key), value)
                    })
                    .collect(),
            ),
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
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let assignment = b == b'=' || b == b':';
            let bearer = is_word_at(bytes, i, b"bearer ");
            if !(assignment || bearer) {
                i += 1;
                continue;
            }
            let secret = bearer || self.is_secret(key_before(text, i));
            let value_start = if bearer { i + 7 } else { i + 1 };
            if !secret {
                i = value_start;
                continue;
            }
            let (mut start, mut end) = value_span(bytes, value_start);
            // `Authorization: Basic xyz`: the scheme stays, its credentials go.
            let scheme = text.get(start..end).unwrap_or("");
            if ["bearer", "basic", "digest"]
                .iter()
                .any(|s| scheme.eq_ignore_ascii_case(s))
                && bytes.get(end) == Some(&b' ')
            {
                (start, end) = value_span(bytes, end + 1);
            }
            if end > start {
                out.push_str(text.get(copied..start).unwrap_or(""));
                out.push_str(REDACTED);
                copied = end;
            }
            i = end.max(value_start);
        }
        out.push_str(text.get(copied..).unwrap_or(""));
        truncated(out)
    }
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
    while end > 0 && bytes[end - 1] == b' ' {
        end -= 1;
    }
    if end > 0 && matches!(bytes[end - 1], b'"' | b'\'') {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && is_key_byte(bytes[start - 1]) {
        start -= 1;
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
    fits && (at == 0 || !bytes[at - 1].is_ascii_alphabetic())
}

/// The value after an assignment: spaces skipped, then a quoted string or a
/// run up to a delimiter. Both ends are at ASCII bytes (char boundaries).
fn value_span(bytes: &[u8], from: usize) -> (usize, usize) {
    let mut start = from;
    while start < bytes.len() && bytes[start] == b' ' {
        start += 1;
    }
    if start < bytes.len() && matches!(bytes[start], b'"' | b'\'') {
        let quote = bytes[start];
        let mut end = start + 1;
        while end < bytes.len() && bytes[end] != quote {
            end += if bytes[end] == b'\\' { 2 } else { 1 };
        }
        let end = end.min(bytes.len());
        return (start + 1, end);
    }
    let mut end = start;
    while end < bytes.len()
        && !matches!(
            bytes[end],
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
        )
    {
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
