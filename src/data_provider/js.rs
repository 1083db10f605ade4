//! The data provider rules for JavaScript (shell): `dataProviderCall` and
//! `isNetworkFailure`, which `offline-runtime/react-admin` asks on every
//! call and failure. Reads the values; the rules are in `super`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{network_failed, DataCall};
use crate::errors::classify::classify;
use crate::errors::js::read_failure;
use crate::interop::{field, ObjectBuilder};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
export interface DataProviderCall {
  /** Only reads: never refused while offline. */
  read: boolean;
  /** One of react-admin's reads: its records are kept, and answered from the store when the network fails. */
  kept: boolean;
  /** A write's action, as a failure's message names it ("Unable to save contacts"). */
  action?: "save" | "delete";
}
"#;

/// `dataProviderCall(method, reads)`: how a call of `method` is treated;
/// `reads` lists the app's custom methods that only read.
#[wasm_bindgen(js_name = dataProviderCall, unchecked_return_type = "DataProviderCall")]
pub fn data_provider_call(
    method: &str,
    #[wasm_bindgen(unchecked_param_type = "readonly string[]")] reads: JsValue,
) -> JsValue {
    let custom_read = reads
        .dyn_ref::<js_sys::Array>()
        .is_some_and(|reads| reads.includes(&method.into(), 0));
    let call = DataCall::of(method, custom_read);
    ObjectBuilder::new()
        .set("read", call.action().is_none())
        .set("kept", call == DataCall::Read)
        .set_some("action", call.action())
        .build()
}

/// `isNetworkFailure(failure)`: whether a data provider's failure is the
/// network's (offline, unreachable, a 5xx), not the server saying no. A
/// react-admin `HttpError`'s problem body (`body.code`) is read before the
/// error itself.
#[wasm_bindgen(js_name = isNetworkFailure)]
pub fn is_network_failure(
    #[wasm_bindgen(unchecked_param_type = "unknown")] failure: JsValue,
) -> bool {
    let body = field(&failure, "body");
    let described = if field(&body, "code").is_truthy() {
        &body
    } else {
        &failure
    };
    let code = classify(&read_failure(described), js_sys::Date::now()).code;
    network_failed(code, read_failure(&failure).status)
}
