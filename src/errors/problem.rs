//! RFC 9457 problem details as a JavaScript object, for `toProblem` and for
//! the service worker's problem+json answers. Shell; the content comes from
//! `format::to_problem`.

use wasm_bindgen::JsValue;

use super::format::Problem;
use crate::interop::ObjectBuilder;

/// Writes a problem as a plain object.
pub fn problem_to_js(problem: &Problem) -> JsValue {
    ObjectBuilder::new()
        .set("type", problem.type_uri.as_str())
        .set("title", problem.title)
        .set("status", problem.status)
        .set("detail", problem.detail.as_str())
        .set("code", problem.code)
        .set("retryable", problem.retryable)
        .set_some("instance", problem.instance.as_deref())
        .build()
}
