//! Browser tests inside a real service worker (ServiceWorkerGlobalScope), in
//! headless Chromium and Firefox: `make test-browser`.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_service_worker);

mod browser;

use offline_runtime::errors::dom::show_error;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn show_error_needs_a_document() {
    let result = show_error(JsValue::NULL, browser::arg("E2001"), None);
    assert_eq!(browser::thrown_code(result), "E2110");
}

#[wasm_bindgen_test]
fn the_scope_is_a_service_worker() {
    let scope = js_sys::global();
    assert!(scope.is_instance_of::<web_sys::ServiceWorkerGlobalScope>());
}

#[path = "browser/engine.rs"]
mod engine;
