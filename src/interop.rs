//! The JavaScript boundary shared by every module: coded `Error`s thrown to
//! callers, fields read, plain objects written back, numbers as JavaScript
//! prints them, and the global scope (page or worker). No decisions live
//! here, and nothing here knows the catalog (`errors::input` reads the
//! app's arguments with it).

use wasm_bindgen::prelude::*;

/// A JavaScript `Error` whose `code` property is a catalog code and whose
/// message starts with it: `"E2101: formatError: options.action: ..."`.
pub fn coded_error(code: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(&[code, ": ", message].concat());
    // Setting a property on a fresh Error cannot fail.
    let _ = js_sys::Reflect::set(&error, &"code".into(), &code.into());
    error.into()
}

/// `object[key]`; `undefined` when it is missing or reading it throws.
pub fn field(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &key.into()).unwrap_or_default()
}

/// Builds a plain object field by field.
pub struct ObjectBuilder(js_sys::Object);

impl ObjectBuilder {
    pub fn new() -> Self {
        ObjectBuilder(js_sys::Object::new())
    }

    pub fn set(self, key: &str, value: impl Into<JsValue>) -> Self {
        // Defining a property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&self.0, &key.into(), &value.into());
        self
    }

    /// Sets the field only when there is a value.
    pub fn set_some(self, key: &str, value: Option<impl Into<JsValue>>) -> Self {
        match value {
            Some(value) => self.set(key, value),
            None => self,
        }
    }

    pub fn build(self) -> JsValue {
        self.0.into()
    }
}

impl Default for ObjectBuilder {
    fn default() -> Self {
        Self::new()
    }
}

/// JavaScript's own text for a number (Rust's float formatting is large).
pub fn number_text(number: f64) -> String {
    String::from(
        js_sys::Number::from(number)
            .to_string_with_radix(10)
            .unwrap_or_default(),
    )
}

/// `navigator.onLine` in a page or a worker, if the scope has a navigator.
#[cfg(feature = "page")]
pub fn navigator_online() -> Option<bool> {
    let navigator = js_sys::Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
    js_sys::Reflect::get(&navigator, &"onLine".into())
        .ok()?
        .as_bool()
}
