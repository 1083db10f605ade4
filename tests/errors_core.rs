//! Native tests of the pure error core: the catalog table, classification,
//! Retry-After parsing and message formatting.
#![cfg(not(target_arch = "wasm32"))]

use offline_runtime::errors::catalog::{self, lookup, Category, CATALOG};
use offline_runtime::errors::classify::{
    classify, code_for_exception_name, code_for_postgrest, code_for_status,
    is_fetch_failure_message, parse_retry_after, Failure,
};
use offline_runtime::errors::format::{format_message, to_problem, Context};
use proptest::prelude::*;

#[test]
fn catalog_codes_are_well_formed_sorted_and_unique() {
    assert!(
        CATALOG.len() >= 40,
        "at least 40 codes, got {}",
        CATALOG.len()
    );
    for pair in CATALOG.windows(2) {
        assert!(
            pair[0].code < pair[1].code,
            "{} before {}",
            pair[0].code,
            pair[1].code
        );
    }
    for entry in CATALOG {
        let bytes = entry.code.as_bytes();
        assert_eq!(bytes.len(), 5, "{}", entry.code);
        assert_eq!(bytes[0], b'E', "{}", entry.code);
        assert!(bytes[1..].iter().all(u8::is_ascii_digit), "{}", entry.code);
        assert!(Category::of_code(entry.code).is_some(), "{}", entry.code);
        for text in [
            entry.title,
            entry.user_message,
            entry.technical_detail,
            entry.support_action,
        ] {
            assert!(!text.trim().is_empty(), "{} has an empty text", entry.code);
        }
        assert!(entry.http_status == 0 || (400..600).contains(&entry.http_status));
    }
}

#[test]
fn every_category_has_codes() {
    for category in [
        Category::Auth,
        Category::Validation,
        Category::Storage,
        Category::Network,
        Category::Business,
    ] {
        let count = CATALOG.iter().filter(|e| e.category() == category).count();
        assert!(count >= 5, "{category:?} has {count} codes");
    }
}

#[test]
fn user_messages_are_plain_english() {
    for entry in CATALOG {
        for jargon in [
            "HTTP",
            "SQLSTATE",
            "IndexedDB",
            "JWT",
            "DOMException",
            "null",
            "undefined",
        ] {
            assert!(
                !entry.user_message.contains(jargon),
                "{}'s user message mentions {jargon}",
                entry.code
            );
        }
        assert!(entry.user_message.ends_with('.'), "{}", entry.code);
    }
}

#[test]
fn named_codes_used_by_the_library_are_in_the_catalog() {
    for code in [
        catalog::GENERIC,
        catalog::AUTH_REQUIRED,
        catalog::INVALID_ARGUMENT,
        catalog::INVALID_OPTION,
        catalog::UNKNOWN_ERROR_CODE,
        catalog::NO_DOCUMENT,
        catalog::STORAGE_UNAVAILABLE,
        catalog::QUOTA_EXCEEDED,
        catalog::SCHEMA_VERSION_CONFLICT,
        catalog::OFFLINE,
        catalog::TIMEOUT,
        catalog::UNREACHABLE,
        catalog::RATE_LIMITED,
        catalog::WRITE_BLOCKED_OFFLINE,
        catalog::VALUE_OUT_OF_RANGE,
    ] {
        assert_eq!(lookup(code).map(|e| e.code), Some(code));
        assert_eq!(catalog::entry(code).code, code);
    }
    assert_eq!(catalog::entry("E9999").code, catalog::GENERIC);
}

#[test]
fn required_catalog_entries_say_what_the_issue_asks() {
    assert_eq!(
        lookup("E5001").unwrap().user_message,
        "Cannot delete organization with active opportunities. Close or move its opportunities first."
    );
    assert_eq!(
        lookup(catalog::WRITE_BLOCKED_OFFLINE).unwrap().user_message,
        "You're offline; changes can't be saved until you reconnect."
    );
    assert_eq!(lookup(catalog::RATE_LIMITED).unwrap().http_status, 429);
    assert!(lookup(catalog::RATE_LIMITED).unwrap().retryable);
    assert!(!lookup(catalog::PERMISSION_DENIED).unwrap().retryable);
}

#[test]
fn lookup_rejects_near_misses() {
    for code in [
        "", "E", "e2001", "E20010", "E200", " E2001", "E6001", "X2001",
    ] {
        assert!(lookup(code).is_none(), "{code:?}");
    }
}

#[test]
fn statuses_map_to_codes() {
    let table = [
        (0, "E4003"),
        (400, "E2000"),
        (401, "E1001"),
        (403, "E1003"),
        (404, "E5002"),
        (405, "E2000"),
        (408, "E4002"),
        (409, "E5003"),
        (410, "E5008"),
        (412, "E5003"),
        (413, "E2008"),
        (415, "E2009"),
        (422, "E2000"),
        (423, "E5006"),
        (429, "E4006"),
        (500, "E4004"),
        (501, "E4004"),
        (502, "E4009"),
        (503, "E4005"),
        (504, "E4002"),
        (599, "E4004"),
        (200, "E5000"),
        (302, "E5000"),
    ];
    for (status, code) in table {
        assert_eq!(code_for_status(status), code, "status {status}");
    }
}

#[test]
fn exception_names_map_to_codes() {
    let table = [
        ("QuotaExceededError", "E3002"),
        ("NotFoundError", "E3005"),
        ("VersionError", "E3003"),
        ("AbortError", "E4008"),
        ("TimeoutError", "E4002"),
        ("InvalidStateError", "E3007"),
        ("DataCloneError", "E3009"),
        ("SecurityError", "E3001"),
        ("NetworkError", "E4003"),
    ];
    for (name, code) in table {
        assert_eq!(code_for_exception_name(name), Some(code), "{name}");
    }
    assert_eq!(code_for_exception_name("SyntaxError"), None);
    use offline_runtime::errors::classify::{code_for_storage_exception, StorageStep};
    for name in ["InvalidStateError", "SecurityError", "UnknownError"] {
        assert_eq!(
            code_for_storage_exception(name, StorageStep::Opening),
            Some("E3001"),
            "opening: {name} means no usable storage"
        );
    }
    assert_eq!(
        code_for_storage_exception("InvalidStateError", StorageStep::Using),
        Some("E3007"),
        "later: the connection closed"
    );
    assert_eq!(
        code_for_storage_exception("VersionError", StorageStep::Opening),
        Some("E3003")
    );
    assert_eq!(
        code_for_storage_exception("QuotaExceededError", StorageStep::Using),
        code_for_exception_name("QuotaExceededError")
    );
}

#[test]
fn postgrest_codes_map_to_codes() {
    let table = [
        ("23505", "E2005"),
        ("23502", "E2001"),
        ("23503", "E5004"),
        ("23514", "E2002"),
        ("22001", "E2003"),
        ("22003", "E2004"),
        ("22P02", "E2002"),
        ("28000", "E1004"),
        ("28P01", "E1004"),
        ("42501", "E1003"),
        ("08006", "E3008"),
        ("08001", "E3008"),
        ("40001", "E5003"),
        ("57014", "E4002"),
        ("53300", "E4005"),
        ("PGRST116", "E5002"),
        ("PGRST301", "E1005"),
        ("PGRST302", "E1001"),
        ("PGRST303", "E1002"),
        ("PGRST305", "E1000"),
    ];
    for (sqlstate, code) in table {
        assert_eq!(code_for_postgrest(sqlstate, None), Some(code), "{sqlstate}");
    }
    assert_eq!(code_for_postgrest("PGRST204", None), None);
    assert_eq!(code_for_postgrest("42P01", None), None);
    assert_eq!(code_for_postgrest("not-a-code", None), None);
    assert_eq!(
        code_for_postgrest("12345", Some("JWT expired")),
        Some("E1002")
    );
}

fn failure() -> Failure {
    Failure::default()
}

#[test]
fn classify_prefers_catalog_code_then_specific_then_status() {
    let now = 0.0;
    let code = |f: Failure| classify(&f, now).code;
    assert_eq!(code(failure()), "E5000");
    assert_eq!(
        code(Failure {
            code: Some("E5001".into()),
            status: Some(500),
            ..failure()
        }),
        "E5001"
    );
    // An unknown app code falls through to the status.
    assert_eq!(
        code(Failure {
            code: Some("E9999".into()),
            status: Some(403),
            ..failure()
        }),
        "E1003"
    );
    // A PostgREST body with a status: the SQLSTATE is more specific.
    assert_eq!(
        code(Failure {
            code: Some("23505".into()),
            status: Some(409),
            ..failure()
        }),
        "E2005"
    );
    assert_eq!(
        code(Failure {
            name: Some("QuotaExceededError".into()),
            ..failure()
        }),
        "E3002"
    );
    assert_eq!(
        code(Failure {
            name: Some("Error".into()),
            ..failure()
        }),
        "E5000"
    );
    assert_eq!(
        code(Failure {
            status: Some(429),
            ..failure()
        }),
        "E4006"
    );
}

#[test]
fn fetch_failures_split_offline_from_unreachable() {
    let fetch = |online| Failure {
        fetch_failed: true,
        online,
        name: Some("TypeError".into()),
        ..failure()
    };
    assert_eq!(classify(&fetch(Some(false)), 0.0).code, "E4001");
    assert_eq!(classify(&fetch(Some(true)), 0.0).code, "E4003");
    assert_eq!(classify(&fetch(None), 0.0).code, "E4003");
    // The exact messages of a page's fetch() failing, measured in each engine
    // (tests/engines checks them there): the network itself, a worker's
    // Response.error(), a worker's rejected respondWith.
    for message in [
        // Chromium: every case.
        "Failed to fetch",
        // Firefox: every case.
        "NetworkError when attempting to fetch resource.",
        // WebKit: the network; a worker's Response.error(); rejected respondWith.
        "Load failed",
        "Response served by service worker is an error",
        "FetchEvent.respondWith received an error: TypeError: Load failed",
        "FetchEvent.respondWith received an error: TypeError: rejected on purpose",
        // Node's and Deno's undici; React Native.
        "fetch failed",
        "Network request failed",
    ] {
        assert!(is_fetch_failure_message(message), "{message}");
        let failure = Failure {
            fetch_failed: is_fetch_failure_message(message),
            online: Some(true),
            name: Some("TypeError".into()),
            message: Some(message.into()),
            ..failure()
        };
        assert_eq!(classify(&failure, 0.0).code, "E4003", "{message}");
    }
    assert!(!is_fetch_failure_message("undefined is not a function"));
}

#[test]
fn retry_after_reads_seconds_and_http_dates() {
    // A far-future date is a long wait, never a wrapped-around 0 (nor a
    // debug-build overflow); a year IMF-fixdate cannot write is no date.
    assert_eq!(
        parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", 0.0),
        Some(253_402_300_799)
    );
    assert_eq!(
        parse_retry_after("Mon, 01 Jan 99999999999999 00:00:00 GMT", 0.0),
        None
    );
    assert_eq!(
        parse_retry_after("Mon, 01 Jan 9223372036854775807 00:00:00 GMT", 0.0),
        None
    );
    assert_eq!(parse_retry_after("120", 0.0), Some(120));
    assert_eq!(parse_retry_after(" 0 ", 0.0), Some(0));
    // 1994-11-06T08:49:37Z is 784111777 s after the epoch.
    let date = "Sun, 06 Nov 1994 08:49:37 GMT";
    assert_eq!(
        parse_retry_after(date, 784_111_777_000.0 - 30_500.0),
        Some(31)
    );
    assert_eq!(
        parse_retry_after(date, 784_111_777_000.0 + 5_000.0),
        Some(0)
    );
    assert_eq!(
        parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),
        Some(0)
    );
    assert_eq!(
        parse_retry_after("Sat, 29 Feb 2020 00:00:10 GMT", 1_582_934_400_000.0),
        Some(10)
    );
    for bad in [
        "",
        "-1",
        "1.5",
        "soon",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
    ] {
        assert_eq!(parse_retry_after(bad, 0.0), None, "{bad:?}");
    }
    let classified = classify(
        &Failure {
            status: Some(429),
            retry_after: Some("7".into()),
            ..failure()
        },
        0.0,
    );
    assert_eq!(
        (classified.code, classified.retry_after_seconds),
        ("E4006", Some(7))
    );
}

#[test]
fn format_phrases_action_and_subject() {
    let entry = lookup("E2001").unwrap();
    let context = |action: Option<&str>, subject: Option<&str>| Context {
        action: action.map(Into::into),
        subject: subject.map(Into::into),
    };
    assert_eq!(
        format_message(entry, &context(Some("save"), Some("organization"))),
        "Unable to save organization (E2001)"
    );
    assert_eq!(
        format_message(entry, &context(Some("save"), None)),
        "Unable to save (E2001)"
    );
    assert_eq!(
        format_message(entry, &context(None, Some("organization"))),
        format!("{} (E2001)", entry.user_message)
    );
    assert_eq!(
        format_message(entry, &context(Some("  "), Some(" "))),
        format!("{} (E2001)", entry.user_message)
    );
}

#[test]
fn problems_follow_rfc_9457() {
    let problem = to_problem(lookup("E4007").unwrap(), None, Some("/api/contacts"));
    assert_eq!(problem.status, 503);
    assert_eq!(problem.code, "E4007");
    assert_eq!(problem.title, "Changes can't be saved offline");
    assert_eq!(
        problem.detail,
        "You're offline; changes can't be saved until you reconnect."
    );
    assert!(problem.type_uri.ends_with("error-codes.md#e4007"));
    assert_eq!(problem.instance.as_deref(), Some("/api/contacts"));
    assert!(problem.retryable);
    // Client-side codes still get a valid status.
    assert_eq!(
        to_problem(lookup("E2100").unwrap(), Some("x"), None).status,
        500
    );
}

proptest! {
    #[test]
    fn classify_never_panics_and_always_returns_a_catalog_code(
        status in proptest::option::of(any::<u16>()),
        code in proptest::option::of(".{0,12}"),
        name in proptest::option::of("[A-Za-z]{0,20}"),
        message in proptest::option::of(".{0,40}"),
        retry_after in proptest::option::of(".{0,40}"),
        fetch_failed in any::<bool>(),
        online in proptest::option::of(any::<bool>()),
        now in 0.0f64..4e12,
    ) {
        let failure = Failure { status, code, name, message, retry_after, fetch_failed, online };
        let classified = classify(&failure, now);
        prop_assert!(lookup(classified.code).is_some());
    }

    #[test]
    fn retry_after_seconds_round_trip(seconds in 0u64..10_000_000) {
        prop_assert_eq!(parse_retry_after(&seconds.to_string(), 0.0), Some(seconds));
    }
}

#[test]
fn displays_show_the_given_message_and_only_a_servers_detail() {
    use offline_runtime::errors::format::{display_text, DisplayText};
    let entry = lookup("E2001").unwrap();
    assert_eq!(
        display_text(entry, None, Some("Name is required"), Some(422)),
        DisplayText {
            message: entry.user_message,
            detail: Some("Name is required")
        }
    );
    assert_eq!(
        display_text(entry, Some("  Fill in the name. "), None, None),
        DisplayText {
            message: "Fill in the name.",
            detail: None
        }
    );
    // An exception's message (no status) and a detail repeating the message stay out.
    assert_eq!(
        display_text(entry, None, Some("Failed to fetch"), None).detail,
        None
    );
    assert_eq!(
        display_text(entry, Some("Same"), Some("Same"), Some(400)).detail,
        None
    );
    assert_eq!(
        display_text(entry, Some(""), Some(" "), Some(400)).message,
        entry.user_message
    );
}
