//! The JavaScript boundary shared by every module: coded `Error`s thrown to
//! callers, option objects read with serde (errors name the offending field),
//! and the global scope (page or worker). No decisions live here.

use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::errors::catalog;

/// A JavaScript `Error` whose `code` property is a catalog code and whose
/// message starts with it: `"E2101: formatError: options.action: ..."`.
pub fn coded_error(code: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(&format!("{code}: {message}"));
    // Setting a property on a fresh Error cannot fail.
    let _ = js_sys::Reflect::set(&error, &"code".into(), &code.into());
    error.into()
}

/// Reads an options object into `T`. `undefined` and `null` give the defaults;
/// anything else that is not a plain object, or has a field of the wrong type
/// or an unknown field, gives an E2101 error naming the function and the field.
pub fn read_options<T: DeserializeOwned + Default>(
    value: &JsValue,
    function: &str,
) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
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
    let known = field_names::<T>();
    let keys = js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>());
    if let Some(unknown) = keys
        .iter()
        .filter_map(|key| key.as_string())
        .find(|key| !known.contains(&key.as_str()))
    {
        return Err(coded_error(
            catalog::INVALID_OPTION,
            &format!(
                "{function}: unknown option {unknown:?}; expected one of: {}",
                known.join(", ")
            ),
        ));
    }
    let deserializer = serde_wasm_bindgen::Deserializer::from(value.clone());
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        coded_error(
            catalog::INVALID_OPTION,
            &format!("{function}: options.{path}: {}", error.inner()),
        )
    })
}

/// The field names a struct deserializes (serde-wasm-bindgen looks up known
/// fields only, so unknown keys must be caught by comparing against these).
fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Introspect(Option<&'static [&'static str]>);
    impl<'de> serde::Deserializer<'de> for &mut Introspect {
        type Error = serde::de::value::Error;
        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = Some(fields);
            Err(serde::de::Error::custom("field names recorded"))
        }
        fn deserialize_any<V: serde::de::Visitor<'de>>(
            self,
            _visitor: V,
        ) -> Result<V::Value, Self::Error> {
            Err(serde::de::Error::custom("options must be a struct"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
            enum identifier ignored_any
        }
    }
    let mut introspect = Introspect(None);
    let _ = T::deserialize(&mut introspect);
    introspect.0.unwrap_or(&[])
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
        return format!("the string {text:?}");
    }
    if let Some(number) = value.as_f64() {
        return format!("the number {number}");
    }
    if js_sys::Array::is_array(value) {
        return "an array".into();
    }
    format!("a {}", value.js_typeof().as_string().unwrap_or_default())
}

/// `navigator.onLine` in a page or a worker, if the scope has a navigator.
pub fn navigator_online() -> Option<bool> {
    let navigator = js_sys::Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
    js_sys::Reflect::get(&navigator, &"onLine".into())
        .ok()?
        .as_bool()
}

/// Reports a failure no caller is waiting for (a timer-fired callback, a
/// subscriber): to `on_error` when the app gave one, else to the console with
/// its catalog code.
pub fn report_failure(what: &str, on_error: Option<&js_sys::Function>, error: &JsValue) {
    if let Some(on_error) = on_error {
        if on_error.call1(&JsValue::NULL, error).is_ok() {
            return;
        }
    }
    let code = crate::errors::js::code_of(error);
    web_sys::console::error_2(
        &format!("offline-runtime: {what} failed ({code}):").into(),
        error,
    );
}
