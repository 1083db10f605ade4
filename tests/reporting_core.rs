//! Native tests of the error reporter's pure core: redaction with hostile
//! inputs, deduplication, sampling, the per-minute cap, the queue bound and
//! backoff, on a fake clock.
#![cfg(not(target_arch = "wasm32"))]

use offline_runtime::reporting::policy::{
    after_send, may_send, overflow, Admission, Admit, Limits, Sent,
};
use offline_runtime::reporting::redact::{Redaction, REDACTED};
use offline_runtime::value::Value;
use proptest::prelude::*;

fn object(fields: &[(&str, Value)]) -> Value {
    Value::Object(
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

fn string(s: &str) -> Value {
    Value::String(s.into())
}

/// Every string anywhere in a value, keys included.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(fields) => fields.iter().for_each(|(k, v)| {
            out.push(k.clone());
            strings(v, out)
        }),
        _ => {}
    }
}

#[test]
fn secret_keys_are_found_in_any_spelling() {
    let rules = Redaction::default();
    for key in [
        "password",
        "Password",
        "user_password",
        "newPassword",
        "PASS_WORD",
        "pass%77ord",
        "passwd",
        "pwd",
        "access_token",
        "refreshToken",
        "id-token",
        "Authorization",
        "cookie",
        "Set-Cookie",
        "x-api-key",
        "apiKey",
        "client_secret",
        "credentials",
        "credit_card",
        "cardNumber",
        "cvv",
        "ssn",
        "sessionId",
        "otp",
    ] {
        assert!(rules.is_secret(key), "{key} is secret");
    }
    for key in [
        "name",
        "email",
        "footprint",
        "author",
        "spin",
        "keyboard",
        "status",
        "",
    ] {
        assert!(!rules.is_secret(key), "{key} is not secret");
    }
    let custom = Redaction::new(&["employeeId".into(), "  ".into()]);
    assert!(custom.is_secret("employee_id"));
    assert!(custom.is_secret("EMPLOYEEID"));
    assert!(!custom.is_secret("employee"));
}

#[test]
fn contexts_lose_secret_values_at_any_depth() {
    let rules = Redaction::default();
    let context = object(&[
        (
            "form",
            object(&[
                ("email", string("ann@example.com")),
                ("password", string("hunter2")),
                (
                    "nested",
                    Value::Array(vec![object(&[("token", Value::Number(12345.0))])]),
                ),
            ]),
        ),
        ("note", string("login with password=hunter2&next=/home")),
        ("header", string("Authorization: Bearer abc.def.ghi")),
        ("json", string(r#"{"user":"ann","password":"hunter2"}"#)),
        ("password", object(&[("old", string("hunter2"))])),
    ]);
    let redacted = rules.value(context);
    let mut all = Vec::new();
    strings(&redacted, &mut all);
    for text in &all {
        assert!(!text.contains("hunter2"), "{text}");
        assert!(!text.contains("abc.def.ghi"), "{text}");
        assert!(!text.contains("12345"), "{text}");
    }
    assert!(
        all.iter().any(|s| s == "ann@example.com"),
        "the rest is kept"
    );
    assert!(all.iter().any(|s| s.contains("next=/home")), "{all:?}");
    assert!(all.iter().any(|s| s == REDACTED));
}

#[test]
fn free_text_keeps_everything_but_the_secrets() {
    let rules = Redaction::default();
    assert_eq!(
        rules.text("POST /login?user=ann&password=hunter2 failed"),
        "POST /login?user=ann&password=[redacted] failed"
    );
    assert_eq!(
        rules.text("token: 'abc' and more"),
        "token: '[redacted]' and more"
    );
    assert_eq!(rules.text("bearer xyz"), "bearer [redacted]");
    assert_eq!(rules.text("status: 500"), "status: 500");
    assert_eq!(
        rules.text("pässwörd=é; password=€uro"),
        "pässwörd=é; password=[redacted]"
    );
    assert_eq!(rules.text("password="), "password=");
    assert_eq!(
        rules.text("password=\"unterminated"),
        "password=\"[redacted]"
    );
    assert_eq!(rules.text("==::password::==x"), "==::password:[redacted]");
    let long = "a".repeat(5000);
    assert!(rules.text(&long).chars().count() < 2100, "long text is cut");
}

#[test]
fn urls_lose_secret_parameters() {
    let rules = Redaction::default();
    assert_eq!(
        rules.url("https://app.example/cb?code=1&access_token=abc&state=x#id_token=def&scope=a"),
        "https://app.example/cb?code=1&state=x#scope=a"
    );
    assert_eq!(
        rules.url("https://app.example/?token=abc"),
        "https://app.example/"
    );
    assert_eq!(
        rules.url("https://app.example/a?b=1"),
        "https://app.example/a?b=1"
    );
    assert_eq!(rules.url("/x?Pass%77ord=1&y"), "/x?y");
}

proptest! {
    #[test]
    fn a_password_never_survives_in_any_surrounding(
        prefix in "[ -~é€]{0,20}",
        suffix in "[&;, \n][ -~]{0,20}",
        secret in "[A-Za-z0-9]{6,12}",
        key in prop_oneof![Just("password"), Just("Password"), Just("api_key"), Just("token")],
        separator in prop_oneof![Just("="), Just(": "), Just(":"), Just("\": \"")],
    ) {
        let rules = Redaction::default();
        let text = [prefix.as_str(), " ", key, separator, &secret, &suffix].concat();
        let redacted = rules.text(&text);
        prop_assert!(!redacted.contains(&secret) || suffix.contains(&secret) || prefix.contains(&secret), "{text} -> {redacted}");
    }

    #[test]
    fn redaction_never_panics(text in "\\PC{0,200}") {
        let rules = Redaction::new(&["x".into()]);
        let _ = rules.text(&text);
        let _ = rules.url(&text);
    }
}

#[test]
fn deep_and_wide_contexts_are_cut() {
    let mut deep = string("bottom");
    for _ in 0..100 {
        deep = object(&[("next", deep)]);
    }
    let mut all = Vec::new();
    strings(&Redaction::default().value(deep), &mut all);
    assert!(
        !all.contains(&"bottom".to_string()),
        "cut below the depth limit"
    );
    let wide = Value::Array((0..500).map(|i| Value::Number(i as f64)).collect());
    let Value::Array(items) = Redaction::default().value(wide) else {
        panic!()
    };
    assert_eq!(items.len(), 50);
}

fn repeat(id: &str, count: u32) -> Admit {
    Admit::Repeat {
        id: id.into(),
        count,
    }
}

#[test]
fn repeats_in_the_window_are_one_report_with_a_count() {
    let mut admission = Admission::new(Limits::default());
    assert_eq!(admission.admit("E4007 offline", "a", 0.0, 0.5), Admit::New);
    assert_eq!(
        admission.admit("E4007 offline", "b", 1_000.0, 0.5),
        repeat("a", 2)
    );
    assert_eq!(
        admission.admit("E4007 offline", "c", 2_000.0, 0.5),
        repeat("a", 3)
    );
    assert_eq!(
        admission.admit("E4010 other", "d", 2_000.0, 0.5),
        Admit::New
    );
    assert_eq!(
        admission.admit("E4007 offline", "e", 61_000.0, 0.5),
        Admit::New,
        "after the window, a new report"
    );
    admission.sent(&["e".into()]);
    assert_eq!(
        admission.admit("E4007 offline", "f", 62_000.0, 0.5),
        Admit::New,
        "a sent report's count cannot change: a new one"
    );
}

#[test]
fn sampling_and_the_per_minute_cap() {
    let limits = Limits {
        sample_rate: 0.25,
        max_per_minute: 3,
        ..Limits::default()
    };
    let mut admission = Admission::new(limits);
    assert_eq!(admission.admit("x", "1", 0.0, 0.9), Admit::Sampled);
    assert_eq!(admission.admit("x", "1", 0.0, 0.1), Admit::New);
    assert_eq!(admission.admit("y", "2", 1.0, 0.1), Admit::New);
    assert_eq!(admission.admit("z", "3", 2.0, 0.1), Admit::New);
    assert_eq!(admission.admit("w", "4", 3.0, 0.1), Admit::Limited);
    assert_eq!(
        admission.admit("x", "5", 4.0, 0.1),
        repeat("1", 2),
        "repeats are counted even at the cap"
    );
    assert_eq!(
        admission.admit("w", "6", 60_002.0, 0.1),
        Admit::New,
        "a new minute"
    );
    let mut none = Admission::new(Limits {
        sample_rate: 0.0,
        ..Limits::default()
    });
    assert_eq!(none.admit("x", "1", 0.0, 0.0), Admit::Sampled);
}

#[test]
fn the_queue_drops_its_oldest_beyond_its_bound() {
    assert_eq!(overflow(0, 100), 0);
    assert_eq!(overflow(99, 100), 0);
    assert_eq!(overflow(100, 100), 1);
    assert_eq!(overflow(130, 100), 31, "a bound lowered since: back to it");
    assert_eq!(overflow(5, 0), 5, "a zero bound keeps one");
}

#[test]
fn sends_are_acknowledged_retried_with_backoff_or_rejected() {
    assert_eq!(after_send(200, 0, None), Sent::Acknowledged);
    assert_eq!(after_send(204, 3, None), Sent::Acknowledged);
    assert_eq!(after_send(0, 0, None), Sent::Retry { delay_ms: 1000.0 });
    assert_eq!(after_send(503, 1, None), Sent::Retry { delay_ms: 2000.0 });
    assert_eq!(after_send(500, 3, None), Sent::Retry { delay_ms: 8000.0 });
    assert_eq!(
        after_send(429, 0, Some(30.0)),
        Sent::Retry { delay_ms: 30_000.0 }
    );
    assert_eq!(
        after_send(500, 50, None),
        Sent::Retry {
            delay_ms: 300_000.0
        }
    );
    assert_eq!(
        after_send(500, 0, Some(1e12)),
        Sent::Retry {
            delay_ms: 300_000.0
        }
    );
    assert_eq!(after_send(400, 0, None), Sent::Rejected);
    assert_eq!(after_send(413, 0, None), Sent::Rejected);
}

#[test]
fn reports_queued_by_an_earlier_page_count_repeats() {
    let mut admission = Admission::new(Limits::default());
    admission.remember("E4010 not offline", "old", 1_000.0, 2);
    admission.remember("E4010 not offline", "other", 1_000.0, 1);
    assert_eq!(
        admission.admit("E4010 not offline", "new", 5_000.0, 0.5),
        repeat("old", 3)
    );
    assert_eq!(
        admission.admit("E4010 not offline", "later", 70_000.0, 0.5),
        Admit::New,
        "its window ended"
    );
}

/// Each place a secret was seen to survive, `{S}` standing for the secret.
/// Contexts become text before they are stored, so every form is text here;
/// value-shaped forms (header tuples, form pairs) are checked as values too.
const SURROUNDINGS: &[&str] = &[
    // Authorization, whatever its scheme.
    "Authorization: Token {S}",
    "authorization: ApiKey {S}",
    "Proxy-Authorization: Negotiate {S}",
    "Authorization: {S}",
    "Authorization:\tBearer {S}",
    "{\"headers\": {\"Authorization\": \"Token {S}\"}}",
    // Every cookie of a Cookie or Set-Cookie header.
    "Cookie: theme=dark; session={S}",
    "Cookie: a=1; b=2; c={S}; d=4",
    "Set-Cookie: id={S}; Path=/; HttpOnly",
    "cookie=\"lang=en; uid={S}\"",
    // Any separator, any white space.
    "password:\t{S}",
    "password\t=\t{S}",
    "{\"password\"=>\"{S}\"}",
    "password => {S}",
    // URL userinfo, in a URL or a connection string.
    "GET https://ann:{S}@host.example/path failed",
    "could not connect to postgres://app:{S}@db:5432/app",
    "redis://:{S}@cache:6379",
    // Header tuples and form pairs written as JSON.
    "[[\"authorization\",\"Bearer {S}\"]]",
    "[[\"cookie\", \"sid={S}\"]]",
    "[{\"name\":\"password\",\"value\":\"{S}\"}]",
    "{\"key\": \"api_key\", \"value\": \"{S}\"}",
    // Well-known session cookie names.
    "PHPSESSID={S}",
    "connect.sid={S}",
    "JSESSIONID={S}",
    "_xsrf={S}",
    "session={S}",
    // Percent-encoded nested queries.
    "/cb?next=%2Fdone%3Ftoken%3D{S}",
    "/cb?next=%2Fdone%3Fa%3D1%26password%3D{S}%26b%3D2",
];

/// `text` as a JSON string, `depth` times over (JSON inside JSON).
fn json_nested(text: &str, depth: usize) -> String {
    let mut out = text.to_string();
    for _ in 0..depth {
        out = serde_json::to_string(&out).expect("a string serialises");
    }
    out
}

fn assert_no_secret(secret: &str, input: &str, redacted: &str) {
    assert!(
        !redacted.contains(secret),
        "the secret survived:\n  in:  {input}\n  out: {redacted}"
    );
}

#[test]
fn no_secret_survives_where_one_was_seen_to() {
    let rules = Redaction::default();
    for (n, surrounding) in SURROUNDINGS.iter().enumerate() {
        let secret = format!("Zq{n}x7S3CRETv{}", n * 31 + 7);
        let text = surrounding.replace("{S}", &secret);
        assert_no_secret(&secret, &text, &rules.text(&text));
        assert_no_secret(&secret, &text, &rules.url(&text));
        // Inside a JSON string, and a JSON string inside that.
        for depth in 1..=2 {
            let nested = json_nested(&text, depth);
            assert_no_secret(&secret, &nested, &rules.text(&nested));
        }
        let in_context = rules.value(object(&[("raw", string(&text))]));
        let mut all = Vec::new();
        strings(&in_context, &mut all);
        assert_no_secret(&secret, &text, &all.join(" "));
    }
}

#[test]
fn header_tuples_and_form_pairs_lose_their_values() {
    let rules = Redaction::default();
    let secret = "Zq9S3CRETheader";
    let context = object(&[
        (
            "headers",
            Value::Array(vec![
                Value::Array(vec![
                    string("authorization"),
                    string(&format!("Token {secret}")),
                ]),
                Value::Array(vec![string("accept"), string("application/json")]),
            ]),
        ),
        (
            "form",
            Value::Array(vec![
                object(&[("name", string("user")), ("value", string("ann"))]),
                object(&[("name", string("password")), ("value", string(secret))]),
            ]),
        ),
    ]);
    let mut all = Vec::new();
    strings(&rules.value(context), &mut all);
    assert!(!all.iter().any(|s| s.contains(secret)), "{all:?}");
    assert!(
        all.contains(&"application/json".to_string()),
        "other headers stay"
    );
    assert!(all.contains(&"ann".to_string()), "other fields stay");
}

#[test]
fn what_redaction_keeps() {
    let rules = Redaction::default();
    for (text, kept) in [
        (
            "Authorization: Token abc",
            "Authorization: Token [redacted]",
        ),
        ("Cookie: a=1; b=2", "Cookie: [redacted]"),
        ("https://ann:pw@host/x", "https://ann:[redacted]@host/x"),
        (
            "see https://host.example/a:b@c",
            "see https://host.example/a:b@c",
        ),
        (
            "{\"user\": \"ann\", \"status\": 500}",
            "{\"user\": \"ann\", \"status\": 500}",
        ),
        ("[\"a\", \"b\"]", "[\"a\", \"b\"]"),
        ("sessionCount=3", "sessionCount=3"),
    ] {
        assert_eq!(rules.text(text), kept, "{text}");
    }
}

proptest! {
    #[test]
    fn a_secret_never_survives_in_any_seen_surrounding(
        secret in "[A-Za-z0-9]{8,16}",
        which in 0..SURROUNDINGS.len(),
        depth in 0usize..3,
        prefix in "[ -~]{0,12}",
    ) {
        // The secret must not occur by chance in the template's own words.
        prop_assume!(!SURROUNDINGS[which].contains(&secret) && !prefix.contains(&secret));
        let rules = Redaction::default();
        let text = json_nested(&[prefix.as_str(), "\n", &SURROUNDINGS[which].replace("{S}", &secret)].concat(), depth);
        let redacted = rules.text(&text);
        prop_assert!(!redacted.contains(&secret), "{} -> {}", text, redacted);
    }
}

#[test]
fn sends_wait_while_either_status_says_offline() {
    assert!(
        may_send(None, None),
        "nothing known: try, the send will tell"
    );
    assert!(may_send(Some(true), None));
    assert!(may_send(Some(true), Some(true)));
    assert!(!may_send(Some(false), None));
    assert!(
        !may_send(Some(false), Some(true)),
        "the browser knows it has no network"
    );
    assert!(
        !may_send(Some(true), Some(false)),
        "the heartbeat found no server"
    );
}
