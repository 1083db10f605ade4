//! The app's arguments as the core reads them: option objects field by
//! field (a wrong one is a coded error naming the function and the field),
//! and values described for those messages. Shell, over `interop`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::catalog;
use super::format::quoted;
use crate::interop::{coded_error, number_text};

/// An options object being read. `undefined` and `null` read as empty (every
/// option at its default); anything else must be a plain object whose keys
/// are all known. Each getter checks its field's type.
pub struct JsOptions<'a> {
    object: JsValue,
    function: &'a str,
}

// The worker build reads only string options; the rest serve the page shells.
#[cfg_attr(not(feature = "page"), allow(dead_code))]
impl<'a> JsOptions<'a> {
    pub fn read(value: &JsValue, function: &'a str, known: &[&str]) -> Result<Self, JsValue> {
        if value.is_undefined() || value.is_null() {
            return Ok(JsOptions {
                object: JsValue::UNDEFINED,
                function,
            });
        }
        if !value.is_object() || value.is_function() || js_sys::Array::is_array(value) {
            return Err(coded_error(
                catalog::INVALID_OPTION,
                &format!(
                    "{function}: options must be an object, got {}",
                    describe(value)
                ),
            ));
        }
        let keys = js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>());
        if let Some(unknown) = keys
            .iter()
            .filter_map(|key| key.as_string())
            .find(|key| !known.contains(&key.as_str()))
        {
            return Err(coded_error(
                catalog::INVALID_OPTION,
                &format!(
                    "{function}: unknown option {}; expected one of: {}",
                    quoted(&unknown),
                    known.join(", ")
                ),
            ));
        }
        Ok(JsOptions {
            object: value.clone(),
            function,
        })
    }

    /// The raw value, `None` when absent or `undefined`.
    pub fn value(&self, key: &str) -> Option<JsValue> {
        if self.object.is_undefined() {
            return None;
        }
        js_sys::Reflect::get(&self.object, &key.into())
            .ok()
            .filter(|value| !value.is_undefined())
    }

    fn invalid(&self, code: &str, key: &str, expected: &str, got: &JsValue) -> JsValue {
        coded_error(
            code,
            &format!(
                "{}: options.{key} must be {expected}, got {}",
                self.function,
                describe(got)
            ),
        )
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, JsValue> {
        self.value(key)
            .map(|v| {
                v.as_bool()
                    .ok_or_else(|| self.invalid(catalog::INVALID_OPTION, key, "a boolean", &v))
            })
            .transpose()
    }

    pub fn string(&self, key: &str) -> Result<Option<String>, JsValue> {
        self.value(key)
            .map(|v| {
                v.as_string()
                    .ok_or_else(|| self.invalid(catalog::INVALID_OPTION, key, "a string", &v))
            })
            .transpose()
    }

    /// A finite number `>= min`: E2101 when not a number, E2109 when out of range.
    pub fn number(&self, key: &str, min: f64) -> Result<Option<f64>, JsValue> {
        let Some(value) = self.value(key) else {
            return Ok(None);
        };
        let number = value
            .as_f64()
            .ok_or_else(|| self.invalid(catalog::INVALID_OPTION, key, "a number", &value))?;
        if number.is_finite() && number >= min {
            return Ok(Some(number));
        }
        let expected = format!("a finite number >= {}", number_text(min));
        Err(self.invalid(catalog::INVALID_NUMBER, key, &expected, &value))
    }

    /// A function (E2107 otherwise); `null` counts as absent.
    pub fn function(&self, key: &str) -> Result<Option<js_sys::Function>, JsValue> {
        self.instance(key, catalog::INVALID_CALLBACK, "a function")
    }

    /// An AbortSignal (E2101 otherwise); `null` counts as absent.
    pub fn abort_signal(&self, key: &str) -> Result<Option<web_sys::AbortSignal>, JsValue> {
        self.instance(key, catalog::INVALID_OPTION, "an AbortSignal")
    }

    /// A value of JavaScript type `T` (`code` otherwise); `null` counts as absent.
    fn instance<T: JsCast>(
        &self,
        key: &str,
        code: &str,
        expected: &str,
    ) -> Result<Option<T>, JsValue> {
        self.value(key)
            .filter(|v| !v.is_null())
            .map(|v| {
                v.dyn_into::<T>()
                    .map_err(|v| self.invalid(code, key, expected, &v))
            })
            .transpose()
    }

    /// One of `allowed` (E2101 otherwise); returns its index.
    pub fn choice(&self, key: &str, allowed: &[&str]) -> Result<Option<usize>, JsValue> {
        self.value(key)
            .map(|v| {
                v.as_string()
                    .and_then(|s| allowed.iter().position(|a| *a == s))
                    .ok_or_else(|| {
                        let choices: Vec<String> = allowed.iter().map(|a| quoted(a)).collect();
                        let expected = ["one of ", &choices.join(", ")].concat();
                        self.invalid(catalog::INVALID_OPTION, key, &expected, &v)
                    })
            })
            .transpose()
    }
}

/// A short description of a value for error messages ("null", "a number", ...).
pub fn describe(value: &JsValue) -> String {
    if value.is_null() {
        return "null".into();
    }
    if value.is_undefined() {
        return "undefined".into();
    }
    if let Some(text) = value.as_string() {
        return ["the string ", &quoted(&text)].concat();
    }
    if let Some(number) = value.as_f64() {
        return format!("the number {}", number_text(number));
    }
    if js_sys::Array::is_array(value) {
        return "an array".into();
    }
    format!("a {}", value.js_typeof().as_string().unwrap_or_default())
}
