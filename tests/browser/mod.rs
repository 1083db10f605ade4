//! Browser test suites shared by the page (`tests/web.rs`) and service worker
//! (`tests/worker.rs`) test binaries, plus small helpers.

pub mod errors;

use wasm_bindgen::{JsCast, JsValue};

/// `object[key]`, or `undefined`.
pub fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &key.into()).unwrap_or_default()
}

/// `object[key]` as a string, for assertions.
pub fn text(object: &JsValue, key: &str) -> String {
    get(object, key)
        .as_string()
        .unwrap_or_else(|| format!("<{:?}>", get(object, key)))
}

/// The catalog code of a thrown error (`error.code`), or a description of what was thrown.
pub fn thrown_code<T>(result: Result<T, JsValue>) -> String {
    match result {
        Ok(_) => "<did not throw>".into(),
        Err(error) => {
            assert!(
                error.is_instance_of::<js_sys::Error>(),
                "threw a non-Error: {error:?}"
            );
            text(&error, "code")
        }
    }
}

/// Parses a JavaScript object literal (test fixtures read better as JSON).
pub fn json(source: &str) -> JsValue {
    js_sys::JSON::parse(source).expect("fixture is valid JSON")
}

/// Casts a value to a wasm-bindgen extern parameter type.
pub fn arg<T: JsCast>(value: impl Into<JsValue>) -> T {
    value.into().unchecked_into()
}
