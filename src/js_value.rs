//! JavaScript values as the pure core's `Value` tree, and back: configs and
//! report contexts cross the boundary this way. No decisions.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::value::Value;

/// How deep a value may nest; deeper is reported, not followed.
const MAX_DEPTH: u32 = 32;

#[wasm_bindgen]
extern "C" {
    // Catching forms: a Proxy or a throwing getter must become a value the
    // core reports (a config's E2103 naming the field), not an uncoded
    // exception.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    fn object_entries(value: &JsValue) -> Result<js_sys::Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Array, js_name = from)]
    fn array_from(value: &JsValue) -> Result<js_sys::Array, JsValue>;
}

/// Converts a JavaScript value into the core's value tree. Values JSON
/// cannot hold, and values that throw when read, become `Value::Invalid`.
pub fn to_value(value: &JsValue) -> Value {
    value_at(value, 0)
}

fn value_at(value: &JsValue, depth: u32) -> Value {
    if value.is_null() || value.is_undefined() {
        return Value::Null;
    }
    if let Some(b) = value.as_bool() {
        return Value::Bool(b);
    }
    if let Some(n) = value.as_f64() {
        return Value::Number(n);
    }
    if let Some(s) = value.as_string() {
        return Value::String(s);
    }
    if value.is_bigint() {
        return Value::Invalid("a bigint");
    }
    if value.is_symbol() {
        return Value::Invalid("a symbol");
    }
    if value.is_function() {
        return Value::Invalid("a function");
    }
    if !value.is_object() {
        return Value::Invalid("an unsupported value");
    }
    if depth >= MAX_DEPTH {
        return Value::Invalid("nested too deep");
    }
    // `instanceof` (which the glue guards) rather than Array.isArray, which
    // a revoked Proxy makes throw.
    let is_array = value.is_instance_of::<js_sys::Array>();
    let items = if is_array {
        array_from(value)
    } else {
        object_entries(value)
    };
    let Ok(items) = items else {
        return Value::Invalid("an object that throws when read");
    };
    if is_array {
        return Value::Array(items.iter().map(|v| value_at(&v, depth + 1)).collect());
    }
    Value::Object(
        items
            .iter()
            .filter_map(|pair| {
                let pair: js_sys::Array = pair.unchecked_into();
                Some((pair.get(0).as_string()?, value_at(&pair.get(1), depth + 1)))
            })
            .collect(),
    )
}

/// A value tree as a plain JavaScript value.
#[cfg(feature = "page")]
pub fn from_value(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from(*b),
        Value::Number(n) => JsValue::from(*n),
        Value::String(s) => JsValue::from(s.as_str()),
        Value::Invalid(what) => JsValue::from(*what),
        Value::Array(items) => items
            .iter()
            .map(from_value)
            .collect::<js_sys::Array>()
            .into(),
        Value::Object(fields) => {
            let object = js_sys::Object::new();
            for (key, value) in fields {
                // Defining a property on a fresh plain object cannot fail.
                let _ = js_sys::Reflect::set(&object, &key.into(), &from_value(value));
            }
            object.into()
        }
    }
}
