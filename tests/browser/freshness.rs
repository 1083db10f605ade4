//! `cacheInfo` and `formatLastSynced` on real Responses (as the worker
//! answers them) and stored records. Runs in pages and service workers.

use offline_runtime::freshness::js::{cache_info, format_last_synced};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Headers, Response, ResponseInit};

use super::{arg, get, json, thrown_code};

fn response(headers: &[(&str, &str)]) -> Response {
    let init = ResponseInit::new();
    let list = Headers::new().unwrap();
    for (name, value) in headers {
        list.set(name, value).unwrap();
    }
    init.set_headers(&list);
    Response::new_with_opt_str_and_init(Some("{}"), &init).unwrap()
}

#[wasm_bindgen_test]
fn cache_info_reads_the_workers_headers_and_stored_records() {
    let now = 1_800_000_000_000.0_f64;
    let cached = response(&[
        ("X-Offline-Runtime", "cache"),
        (
            "X-Offline-Runtime-Cached-At",
            &(now as u64 - 600_000).to_string(),
        ),
    ]);
    let options = || arg(json(&format!(r#"{{"now": {now}}}"#)));
    let info: JsValue = cache_info(cached.into(), Some(options())).unwrap().into();
    assert_eq!(get(&info, "fromCache"), JsValue::TRUE);
    assert_eq!(get(&info, "ageMs").as_f64(), Some(600_000.0));
    assert_eq!(
        get(&info, "stale"),
        JsValue::TRUE,
        "10 minutes > the 5-minute default"
    );
    let network: JsValue = cache_info(response(&[]).into(), Some(options()))
        .unwrap()
        .into();
    assert_eq!(get(&network, "fromCache"), JsValue::FALSE);
    assert!(get(&network, "cachedAt").is_undefined());
    let record = json(&format!(
        r#"{{"record": {{"id": 1}}, "cachedAt": {}}}"#,
        now - 60_000.0
    ));
    let info: JsValue = cache_info(record, Some(options())).unwrap().into();
    assert_eq!(get(&info, "stale"), JsValue::FALSE);
    assert_eq!(thrown_code(cache_info("x".into(), None)), "E2100");
    assert_eq!(
        thrown_code(cache_info(
            response(&[]).into(),
            Some(arg(json(r#"{"staleAfter": 1}"#)))
        )),
        "E2101"
    );
    assert_eq!(
        format_last_synced((now - 180_000.0).into(), Some(now)),
        "Last synced 3 min ago"
    );
    assert_eq!(format_last_synced(JsValue::UNDEFINED, None), "Never synced");
}
