//! `registerServiceWorker` in a real page: a worker script that cannot be
//! registered rejects with E3010 and the browser's reason. Page only.

use offline_runtime::cache::register::register_service_worker;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::browser::text;

#[wasm_bindgen_test]
async fn a_script_that_cannot_be_registered_rejects_with_e3010() {
    let promise: js_sys::Promise =
        JsValue::from(register_service_worker("/no-such-worker.js".into(), None)).into();
    let error = JsFuture::from(promise)
        .await
        .expect_err("registration fails");
    assert_eq!(text(&error, "code"), "E3010", "{}", text(&error, "message"));
    assert!(text(&error, "message").contains("/no-such-worker.js"));
}
