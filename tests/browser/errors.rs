//! The error API in a real browser: catalog lookups, classification of real
//! Responses, DOMExceptions and fetch failures, formatting, problem objects,
//! and bad input. Runs in pages and in service workers.

use offline_runtime::errors::js::{
    classify_error, error_catalog, error_info, format_error, to_problem_js,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{DomException, Response, ResponseInit};

use super::{arg, get, json, text, thrown_code};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, in a page or a worker.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str) -> js_sys::Promise;
}

fn code_of(value: impl Into<JsValue>) -> String {
    text(&classify_error(value.into()).into(), "code")
}

fn response(status: u16, headers: &[(&str, &str)], body: Option<&str>) -> Response {
    let init = ResponseInit::new();
    init.set_status(status);
    let header_object = js_sys::Object::new();
    for (name, value) in headers {
        js_sys::Reflect::set(&header_object, &(*name).into(), &(*value).into()).unwrap();
    }
    init.set_headers(&header_object);
    Response::new_with_opt_str_and_init(body, &init).unwrap()
}

#[wasm_bindgen_test]
fn error_info_returns_entries_and_undefined_for_anything_else() {
    let info: JsValue = error_info("E2001".into()).into();
    assert_eq!(text(&info, "code"), "E2001");
    assert_eq!(text(&info, "category"), "validation");
    assert_eq!(get(&info, "httpStatus").as_f64(), Some(422.0));
    assert_eq!(get(&info, "retryable").as_bool(), Some(false));
    assert!(!text(&info, "userMessage").is_empty());
    assert!(!text(&info, "technicalDetail").is_empty());
    for bad in [
        JsValue::NULL,
        JsValue::UNDEFINED,
        2001.into(),
        "E9999".into(),
        json("{}"),
    ] {
        assert!(
            JsValue::from(error_info(bad.clone())).is_undefined(),
            "{bad:?}"
        );
    }
}

#[wasm_bindgen_test]
fn error_catalog_lists_every_entry() {
    let list: js_sys::Array = JsValue::from(error_catalog()).into();
    assert!(list.length() >= 40);
    let codes: Vec<String> = list.iter().map(|e| text(&e, "code")).collect();
    for code in [
        "E1001", "E2001", "E3001", "E3002", "E3003", "E4001", "E4006", "E4007", "E5001",
    ] {
        assert!(codes.iter().any(|c| c == code), "{code} missing");
    }
}

#[wasm_bindgen_test]
fn classifies_real_responses_by_status_and_retry_after() {
    assert_eq!(code_of(response(500, &[], None)), "E4004");
    assert_eq!(code_of(response(404, &[], None)), "E5002");
    assert_eq!(code_of(response(401, &[], None)), "E1001");
    let limited: JsValue =
        classify_error(response(429, &[("Retry-After", "30")], None).into()).into();
    assert_eq!(text(&limited, "code"), "E4006");
    assert_eq!(get(&limited, "retryAfterSeconds").as_f64(), Some(30.0));
    assert_eq!(get(&limited, "status").as_f64(), Some(429.0));
    assert!(get(&limited, "retryable").as_bool().unwrap());
}

#[wasm_bindgen_test]
fn classifies_status_objects_problems_and_postgrest_bodies() {
    assert_eq!(code_of(json(r#"{"status": 503}"#)), "E4005");
    assert_eq!(code_of(403), "E1003");
    let problem = json(
        r#"{"type": "https://example.com/probs/out-of-credit", "title": "Not enough credit",
            "status": 403, "detail": "Your balance is 30.", "instance": "/account/12345"}"#,
    );
    let classified: JsValue = classify_error(problem).into();
    assert_eq!(text(&classified, "code"), "E1003");
    assert_eq!(text(&classified, "detail"), "Your balance is 30.");
    assert_eq!(
        code_of(json(r#"{"status": 409, "title": "x", "code": "E5001"}"#)),
        "E5001"
    );
    assert_eq!(
        code_of(json(
            r#"{"code": "23505", "message": "duplicate key value", "details": null, "hint": null}"#
        )),
        "E2005"
    );
    assert_eq!(
        code_of(json(r#"{"code": "23503", "message": "fk"}"#)),
        "E5004"
    );
    assert_eq!(
        code_of(json(r#"{"code": "PGRST301", "message": "JWT invalid"}"#)),
        "E1005"
    );
    assert_eq!(
        code_of(json(
            r#"{"code": "08006", "message": "connection failure"}"#
        )),
        "E3008"
    );
    assert_eq!(
        code_of(json(
            r#"{"data": null, "error": {"code": "23502", "message": "null"}}"#
        )),
        "E2001"
    );
    assert_eq!(
        code_of(json(r#"{"status": 429, "retryAfter": 12}"#)),
        "E4006"
    );
}

#[wasm_bindgen_test]
fn classifies_dom_exceptions_fetch_failures_and_errors() {
    let exception = |name: &str| DomException::new_with_message_and_name("boom", name).unwrap();
    assert_eq!(code_of(exception("QuotaExceededError")), "E3002");
    assert_eq!(code_of(exception("VersionError")), "E3003");
    assert_eq!(code_of(exception("NotFoundError")), "E3005");
    assert_eq!(code_of(exception("AbortError")), "E4008");
    assert_eq!(code_of(exception("TimeoutError")), "E4002");
    assert_eq!(code_of(exception("InvalidStateError")), "E3007");
    // The TypeError fetch() rejects with: offline or unreachable, by navigator.onLine.
    let online = js_sys::Reflect::get(&js_sys::global(), &"navigator".into())
        .and_then(|n| js_sys::Reflect::get(&n, &"onLine".into()))
        .unwrap()
        .as_bool()
        .unwrap();
    let expected = if online { "E4003" } else { "E4001" };
    assert_eq!(code_of(js_sys::TypeError::new("Failed to fetch")), expected);
    assert_eq!(
        code_of(js_sys::TypeError::new(
            "NetworkError when attempting to fetch resource."
        )),
        expected
    );
    // A programming TypeError is not a network failure.
    assert_eq!(
        code_of(js_sys::TypeError::new("x is not a function")),
        "E5000"
    );
    assert_eq!(code_of(js_sys::Error::new("anything")), "E5000");
    let coded = js_sys::Error::new("refused");
    js_sys::Reflect::set(&coded, &"code".into(), &"E5001".into()).unwrap();
    assert_eq!(code_of(coded), "E5001");
}

#[wasm_bindgen_test]
async fn a_real_fetch_failure_classifies_as_a_network_code() {
    // Port 9 (discard) on loopback refuses connections: a real network error.
    let failure = wasm_bindgen_futures::JsFuture::from(global_fetch("http://127.0.0.1:9/"))
        .await
        .expect_err("nothing listens on port 9");
    let code = code_of(failure);
    assert!(code == "E4003" || code == "E4001", "got {code}");
}

#[wasm_bindgen_test]
fn classify_never_throws_on_garbage() {
    let garbage: [JsValue; 9] = [
        JsValue::NULL,
        JsValue::UNDEFINED,
        "".into(),
        "something broke".into(),
        true.into(),
        f64::NAN.into(),
        js_sys::Array::new().into(),
        js_sys::Function::new_no_args("").into(),
        json(r#"{"status": "500", "code": {"nested": 1}, "error": 5}"#),
    ];
    for value in garbage {
        assert_eq!(code_of(value.clone()), "E5000", "{value:?}");
    }
    assert_eq!(code_of("E4001"), "E4001");
}

/// `{error: {error: ...}}` nested `depth` deep, or cyclic (`o.error = o`) when `depth` is 0.
fn nested_errors(depth: u32) -> JsValue {
    let root = js_sys::Object::new();
    let mut innermost = root.clone();
    for _ in 0..depth {
        let next = js_sys::Object::new();
        js_sys::Reflect::set(&innermost, &"error".into(), &next).unwrap();
        innermost = next;
    }
    let last: JsValue = if depth == 0 {
        root.clone().into()
    } else {
        json(r#"{"status": 409}"#)
    };
    js_sys::Reflect::set(&innermost, &"error".into(), &last).unwrap();
    root.into()
}

#[wasm_bindgen_test]
async fn classify_survives_cyclic_and_deep_error_values_and_keeps_working() {
    assert_eq!(code_of(nested_errors(0)), "E5000");
    assert_eq!(code_of(nested_errors(20_000)), "E5000");
    // One level of `{error: {...}}` is still looked into.
    assert_eq!(code_of(json(r#"{"error": {"status": 409}}"#)), "E5003");
    // A cyclic body through classifyResponse settles too.
    let cyclic = response(
        500,
        &[("Content-Type", "application/json")],
        Some(r#"{"error": {"error": {"error": {}}}}"#),
    );
    assert_eq!(
        text(&super::classify_response(cyclic.into()).await, "code"),
        "E4004"
    );
    // And the module is still usable afterwards (a trap would break every later call).
    assert_eq!(code_of(404), "E5002");
}

#[wasm_bindgen_test]
async fn classify_response_reads_problem_json_bodies_and_leaves_them_readable() {
    let body = r#"{"type": "about:blank", "title": "Conflict", "status": 409, "code": "E5001",
                   "detail": "Organization 7 has 3 open opportunities"}"#;
    let res = response(
        409,
        &[("Content-Type", "application/problem+json")],
        Some(body),
    );
    let classified: JsValue = super::classify_response(Clone::clone(&res).into()).await;
    assert_eq!(text(&classified, "code"), "E5001");
    assert_eq!(
        text(&classified, "detail"),
        "Organization 7 has 3 open opportunities"
    );
    assert!(!res.body_used(), "the caller can still read the body");
    let postgrest = response(
        409,
        &[("Content-Type", "application/json")],
        Some(r#"{"code":"23505","message":"dup"}"#),
    );
    assert_eq!(
        text(&super::classify_response(postgrest.into()).await, "code"),
        "E2005"
    );
    let broken = response(
        502,
        &[("Content-Type", "application/json")],
        Some("not json"),
    );
    assert_eq!(
        text(&super::classify_response(broken.into()).await, "code"),
        "E4009"
    );
    assert_eq!(
        text(&super::classify_response(JsValue::NULL).await, "code"),
        "E5000"
    );
}

#[wasm_bindgen_test]
fn format_error_phrases_messages() {
    let info: JsValue = error_info("E2001".into()).into();
    let options = json(r#"{"action": "save", "subject": "organization"}"#);
    assert_eq!(
        format_error(arg(info.clone()), Some(arg(options))).unwrap(),
        "Unable to save organization (E2001)"
    );
    let plain = format_error(arg("E4007"), None).unwrap();
    assert_eq!(
        plain,
        "You're offline; changes can't be saved until you reconnect. (E4007)"
    );
}

#[wasm_bindgen_test]
fn to_problem_builds_rfc_9457_objects() {
    let problem: JsValue =
        to_problem_js(arg("E4007"), Some(arg(json(r#"{"instance": "/api/x"}"#))))
            .unwrap()
            .into();
    assert_eq!(get(&problem, "status").as_f64(), Some(503.0));
    assert_eq!(text(&problem, "code"), "E4007");
    assert_eq!(text(&problem, "instance"), "/api/x");
    assert!(text(&problem, "type").ends_with("#e4007"));
    // It serializes to the JSON a service worker would answer with.
    let serialized = js_sys::JSON::stringify(&problem)
        .unwrap()
        .as_string()
        .unwrap();
    assert!(serialized.contains(r#""title":"Changes can't be saved offline""#));
}

#[wasm_bindgen_test]
fn bad_input_throws_coded_errors() {
    assert_eq!(thrown_code(format_error(arg(JsValue::NULL), None)), "E2100");
    assert_eq!(thrown_code(format_error(arg(42), None)), "E2100");
    assert_eq!(thrown_code(format_error(arg("E9999"), None)), "E2102");
    assert_eq!(
        thrown_code(format_error(arg(json(r#"{"code": 1}"#)), None)),
        "E2100"
    );
    assert_eq!(
        thrown_code(format_error(arg("E2001"), Some(arg(5)))),
        "E2101"
    );
    assert_eq!(
        thrown_code(format_error(
            arg("E2001"),
            Some(arg(json(r#"{"action": 5}"#)))
        )),
        "E2101"
    );
    assert_eq!(
        thrown_code(format_error(
            arg("E2001"),
            Some(arg(json(r#"{"actoin": "save"}"#)))
        )),
        "E2101"
    );
    assert_eq!(
        thrown_code(to_problem_js(arg(JsValue::UNDEFINED), None)),
        "E2100"
    );
    assert_eq!(
        thrown_code(to_problem_js(
            arg("E2001"),
            Some(arg(json(r#"{"detail": []}"#)))
        )),
        "E2101"
    );
    // The message names the function and the field.
    let error = format_error(arg("E2001"), Some(arg(json(r#"{"subject": 5}"#)))).unwrap_err();
    let message = text(&error, "message");
    assert!(
        message.starts_with("E2101: formatError: options.subject"),
        "{message}"
    );
}
