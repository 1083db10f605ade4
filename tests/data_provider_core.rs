//! The data provider rules, natively: which calls read, are kept or write
//! (and how a failed write is phrased), and which failures are the network's.
#![cfg(not(target_arch = "wasm32"))]

use offline_runtime::data_provider::{network_failed, DataCall, READS};

#[test]
fn react_admins_reads_are_kept_custom_reads_are_not_and_the_rest_write() {
    for method in READS {
        assert_eq!(DataCall::of(method, false), DataCall::Read, "{method}");
        assert_eq!(
            DataCall::of(method, true),
            DataCall::Read,
            "{method}, named again"
        );
    }
    assert_eq!(DataCall::of("getStats", true), DataCall::CustomRead);
    assert_eq!(
        DataCall::of("getStats", false),
        DataCall::Save,
        "unnamed custom methods write"
    );
    for method in ["create", "update", "updateMany", "archive", ""] {
        assert_eq!(DataCall::of(method, false), DataCall::Save, "{method}");
    }
    for method in ["delete", "deleteMany"] {
        assert_eq!(DataCall::of(method, false), DataCall::Delete, "{method}");
    }
}

#[test]
fn only_writes_name_an_action() {
    assert_eq!(DataCall::Read.action(), None);
    assert_eq!(DataCall::CustomRead.action(), None);
    assert_eq!(DataCall::Save.action(), Some("save"));
    assert_eq!(DataCall::Delete.action(), Some("delete"));
}

#[test]
fn a_network_failure_is_the_network_not_the_servers_answer() {
    // Offline, unreachable, timed out, a server error or bad gateway: the network's.
    for (code, status) in [
        ("E4001", None),
        ("E4003", None),
        ("E4002", None),
        ("E4004", Some(500)),
        ("E4009", Some(502)),
    ] {
        assert!(network_failed(code, status), "{code} {status:?}");
    }
    // The server said no: a 4xx is an answer even when its code is a network one (408, 429).
    for (code, status) in [
        ("E4002", Some(408)),
        ("E4006", Some(429)),
        ("E1000", Some(401)),
        ("E2000", Some(422)),
    ] {
        assert!(!network_failed(code, status), "{code} {status:?}");
    }
    // Other categories are never the network's.
    for code in ["E1000", "E2001", "E3002", "E5000", "nonsense"] {
        assert!(!network_failed(code, None), "{code}");
    }
}
