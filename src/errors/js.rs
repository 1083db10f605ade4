//! The error API for JavaScript: `errorInfo`, `errorCatalog`, `classifyError`,
//! `classifyResponse`, `formatError`, `toProblem`. Reads JavaScript values into
//! the pure core's types and writes its answers back as plain objects.

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::catalog::{self, lookup, ErrorEntry};
use super::classify::{classify, is_fetch_failure_message, Failure};
use super::format::{format_message, has_text, quoted, to_problem, Context};
use super::input::{describe, JsOptions};
use super::problem::problem_to_js;
use crate::interop::{coded_error, field, navigator_online, number_text, ObjectBuilder};
use crate::promise::{after, Settled};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A catalog range: E1xxx auth, E2xxx validation, E3xxx storage, E4xxx network, E5xxx business rules. */
export type ErrorCategory = "auth" | "validation" | "storage" | "network" | "business";
/** One catalog entry. */
export interface ErrorInfo {
  code: string;
  category: ErrorCategory;
  title: string;
  userMessage: string;
  technicalDetail: string;
  /** The matching HTTP status; 0 for client-side-only codes. */
  httpStatus: number;
  retryable: boolean;
}
/** What classifyError returns: the entry plus what was observed. */
export interface ClassifiedError extends ErrorInfo {
  /** The HTTP status seen, if any. */
  status?: number;
  /** The server's or exception's own message, if any. */
  detail?: string;
  /** Seconds to wait, from a Retry-After header or field. */
  retryAfterSeconds?: number;
}
/** An ErrorInfo, any object with a catalog `code`, or a code string. */
export type ErrorLike = ErrorInfo | { code: string } | string;
export interface FormatOptions {
  /** The verb: "save" gives "Unable to save ..." */
  action?: string;
  /** The object: "organization" gives "Unable to save organization (E2001)". */
  subject?: string;
}
export interface ProblemOptions {
  /** Replaces the entry's user message as `detail`. */
  detail?: string;
  instance?: string;
}
/** RFC 9457 problem details, with the catalog code as an extension. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  retryable: boolean;
  instance?: string;
}
/** Every Error this package throws carries a catalog code. */
export interface OfflineRuntimeError extends Error {
  code: string;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "ErrorInfo | undefined")]
    pub type MaybeErrorInfo;
    #[wasm_bindgen(typescript_type = "ErrorInfo[]")]
    pub type ErrorInfoList;
    #[wasm_bindgen(typescript_type = "ClassifiedError")]
    pub type ClassifiedErrorObject;
    #[wasm_bindgen(typescript_type = "Promise<ClassifiedError>")]
    pub type ClassifiedErrorPromise;
    #[wasm_bindgen(typescript_type = "ErrorLike")]
    pub type ErrorLike;
    #[wasm_bindgen(typescript_type = "FormatOptions")]
    pub type FormatOptions;
    #[wasm_bindgen(typescript_type = "ProblemOptions")]
    pub type ProblemOptions;
    #[wasm_bindgen(typescript_type = "ProblemDetails")]
    pub type ProblemDetails;
}

/// An entry as JavaScript sees it, plus what classification observed.
struct InfoView<'a> {
    entry: &'a ErrorEntry,
    status: Option<u16>,
    detail: Option<&'a str>,
    retry_after_seconds: Option<u64>,
}

impl<'a> InfoView<'a> {
    fn of(entry: &'a ErrorEntry) -> Self {
        InfoView {
            entry,
            status: None,
            detail: None,
            retry_after_seconds: None,
        }
    }

    fn to_js(&self) -> JsValue {
        let entry = self.entry;
        ObjectBuilder::new()
            .set("code", entry.code)
            .set("category", entry.category().as_str())
            .set("title", entry.title)
            .set("userMessage", entry.user_message)
            .set("technicalDetail", entry.technical_detail)
            .set("httpStatus", entry.http_status)
            .set("retryable", entry.retryable)
            .set_some("status", self.status)
            .set_some("detail", self.detail)
            .set_some(
                "retryAfterSeconds",
                self.retry_after_seconds.map(|s| s as f64),
            )
            .build()
    }
}

/// `errorInfo("E2001")`: the catalog entry, or `undefined` for anything else.
#[wasm_bindgen(js_name = errorInfo)]
pub fn error_info(
    #[wasm_bindgen(unchecked_param_type = "unknown")] code: JsValue,
) -> MaybeErrorInfo {
    code.as_string()
        .and_then(|code| lookup(code.trim()))
        .map_or(JsValue::UNDEFINED, |entry| InfoView::of(entry).to_js())
        .unchecked_into()
}

/// An entry as `errorInfo` returns it.
pub(crate) fn error_info_of(entry: &ErrorEntry) -> JsValue {
    InfoView::of(entry).to_js()
}

/// `errorCatalog()`: every entry, sorted by code.
#[wasm_bindgen(js_name = errorCatalog)]
pub fn error_catalog() -> ErrorInfoList {
    catalog::CATALOG
        .iter()
        .map(|entry| InfoView::of(entry).to_js())
        .collect::<js_sys::Array>()
        .unchecked_into()
}

/// `classifyError(x)`: a code for any failure; never throws.
#[wasm_bindgen(js_name = classifyError)]
pub fn classify_error(
    #[wasm_bindgen(unchecked_param_type = "unknown")] failure: JsValue,
) -> ClassifiedErrorObject {
    let info = classified_to_js(&read_failure(&failure));
    notify_observer("classified", &info, &failure);
    info.unchecked_into()
}

thread_local! {
    static OBSERVER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    static NOTIFYING: Cell<bool> = const { Cell::new(false) };
}

/// `observeErrors(callback)`: `callback(kind, info, failure)` hears every
/// error shown with `showError` (`"shown"`) and classified with
/// `classifyError` (`"classified"`); `null` stops it. One observer at a time
/// (`ErrorReporter` is the one the package installs). Errors the observer
/// causes itself are not observed (no loops), and its exceptions are ignored.
#[wasm_bindgen(js_name = observeErrors)]
pub fn observe_errors(
    #[wasm_bindgen(
        unchecked_param_type = "((kind: \"shown\" | \"classified\", info: ErrorInfo, failure: unknown) => void) | null"
    )]
    callback: JsValue,
) -> Result<(), JsValue> {
    let callback = if callback.is_null() || callback.is_undefined() {
        None
    } else {
        Some(callback.dyn_into::<js_sys::Function>().map_err(|value| {
            coded_error(
                catalog::INVALID_CALLBACK,
                &[
                    "observeErrors: expected a function or null, got ",
                    &describe(&value),
                ]
                .concat(),
            )
        })?)
    };
    OBSERVER.with(|observer| *observer.borrow_mut() = callback);
    Ok(())
}

/// Tells the observer, unless it is the one causing this error.
pub(crate) fn notify_observer(kind: &str, info: &JsValue, failure: &JsValue) {
    let Some(observer) = OBSERVER.with(|observer| observer.borrow().clone()) else {
        return;
    };
    if NOTIFYING.with(|busy| busy.replace(true)) {
        return;
    }
    let _ = observer.call3(&JsValue::NULL, &kind.into(), info, failure);
    NOTIFYING.with(|busy| busy.set(false));
}

/// `classifyResponse(response)`: like `classifyError`, but also reads a
/// problem+json or PostgREST JSON body (from a clone; the response stays
/// readable). Never rejects.
#[wasm_bindgen(js_name = classifyResponse)]
pub fn classify_response(
    #[wasm_bindgen(unchecked_param_type = "unknown")] response: JsValue,
) -> ClassifiedErrorPromise {
    let mut failure = read_failure(&response);
    let Some(body) = response.dyn_ref::<web_sys::Response>().and_then(json_body) else {
        return js_sys::Promise::resolve(&classified_to_js(&failure)).unchecked_into();
    };
    after(&body, move |body| {
        if let Settled::Fulfilled(body) = body.filter(|body| body.is_object()) {
            let from_body = read_plain_object(&body);
            failure.code = from_body.code.or(failure.code);
            failure.message = from_body.message.or(failure.message);
            failure.retry_after = failure.retry_after.or(from_body.retry_after);
        }
        Ok(classified_to_js(&failure))
    })
    .unchecked_into()
}

/// `formatError(info, {action, subject})` -> "Unable to save organization (E2001)".
#[wasm_bindgen(js_name = formatError)]
pub fn format_error(info: ErrorLike, options: Option<FormatOptions>) -> Result<String, JsValue> {
    let entry = entry_from(&info, "formatError")?;
    let options = options.map(JsValue::from).unwrap_or_default();
    let context = read_context(&JsOptions::read(&options, "formatError", CONTEXT_FIELDS)?)?;
    Ok(format_message(entry, &context))
}

/// `toProblem(info, {detail, instance})`: an RFC 9457 problem details object.
#[wasm_bindgen(js_name = toProblem)]
pub fn to_problem_js(
    info: ErrorLike,
    options: Option<ProblemOptions>,
) -> Result<ProblemDetails, JsValue> {
    let entry = entry_from(&info, "toProblem")?;
    let options = options.map(JsValue::from).unwrap_or_default();
    let options = JsOptions::read(&options, "toProblem", &["detail", "instance"])?;
    let (detail, instance) = (options.string("detail")?, options.string("instance")?);
    let problem = to_problem(entry, detail.as_deref(), instance.as_deref());
    Ok(problem_to_js(&problem).unchecked_into())
}

/// The options that phrase a message: `{action, subject}`.
pub(crate) const CONTEXT_FIELDS: &[&str] = &["action", "subject"];

/// Reads `action` and `subject` from options that allow them.
pub(crate) fn read_context(options: &JsOptions) -> Result<Context, JsValue> {
    Ok(Context {
        action: options.string("action")?,
        subject: options.string("subject")?,
    })
}

/// Resolves an `ErrorLike` (a code string, or an object with a `code`) to its
/// entry: E2100 for the wrong type, E2102 for a code not in the catalog.
pub fn entry_from(info: &JsValue, function: &str) -> Result<&'static ErrorEntry, JsValue> {
    let code = if info.is_string() {
        info.as_string()
    } else if info.is_object() {
        js_sys::Reflect::get(info, &"code".into())
            .ok()
            .and_then(|code| code.as_string())
    } else {
        None
    };
    let Some(code) = code else {
        return Err(coded_error(
            catalog::INVALID_ARGUMENT,
            &format!(
                "{function}: expected an error info object or a code string, got {}",
                describe(info)
            ),
        ));
    };
    lookup(code.trim()).ok_or_else(|| {
        coded_error(
            catalog::UNKNOWN_ERROR_CODE,
            &[
                function,
                ": ",
                &quoted(&code),
                " is not a catalog code (see errorCatalog())",
            ]
            .concat(),
        )
    })
}

#[cfg(feature = "page")]
/// Reports a failure no caller is waiting for (a timer-fired callback, a
/// subscriber): to `on_error` when the app gave one, else to the console with
/// its catalog code.
pub fn report_failure(what: &str, on_error: Option<&js_sys::Function>, error: &JsValue) {
    if let Some(on_error) = on_error {
        if on_error.call1(&JsValue::NULL, error).is_ok() {
            return;
        }
    }
    let code = code_of(error);
    web_sys::console::error_2(
        &format!("offline-runtime: {what} failed ({code}):").into(),
        error,
    );
}

#[cfg(feature = "page")]
/// The catalog code for any failure value (for logging failures no caller sees).
pub(crate) fn code_of(failure: &JsValue) -> &'static str {
    classify(&read_failure(failure), js_sys::Date::now()).code
}

fn classified_to_js(failure: &Failure) -> JsValue {
    let now_ms = js_sys::Date::now();
    let classified = classify(failure, now_ms);
    let mut view = InfoView::of(catalog::entry(classified.code));
    view.status = failure.status;
    view.detail = failure.message.as_deref();
    view.retry_after_seconds = classified.retry_after_seconds;
    view.to_js()
}

/// Reads whatever the shell can learn from a failure value, without throwing.
pub(crate) fn read_failure(value: &JsValue) -> Failure {
    if let Some(text) = value.as_string() {
        return Failure {
            code: lookup(text.trim()).map(|entry| entry.code.to_owned()),
            message: Some(text),
            ..Failure::default()
        };
    }
    if let Some(status) = value.as_f64() {
        return Failure {
            status: status_from_number(status),
            ..Failure::default()
        };
    }
    if let Some(response) = value.dyn_ref::<web_sys::Response>() {
        return Failure {
            status: Some(response.status()),
            retry_after: response.headers().get("Retry-After").ok().flatten(),
            ..Failure::default()
        };
    }
    if let Some(exception) = value.dyn_ref::<web_sys::DomException>() {
        return Failure {
            name: Some(exception.name()),
            message: Some(exception.message()),
            ..Failure::default()
        };
    }
    if value.is_object() {
        let mut failure = read_plain_object(value);
        if let Some(error) = value.dyn_ref::<js_sys::Error>() {
            let name = String::from(error.name());
            let message = String::from(error.message());
            failure.fetch_failed = name == "TypeError" && is_fetch_failure_message(&message);
            failure.online = navigator_online();
            failure.name = Some(name);
            failure.message = Some(message);
        }
        return failure;
    }
    Failure::default()
}

/// Reads the fields a `{status}`, problem+json or PostgREST object may carry;
/// a Supabase-style `{error: {...}}` wrapper is looked into once (and only
/// once: a cyclic or deeply nested `error` must not recurse).
fn read_plain_object(value: &JsValue) -> Failure {
    read_object_fields(value, true)
}

fn read_object_fields(value: &JsValue, look_into_error: bool) -> Failure {
    let get = |key: &str| field(value, key);
    let text = |key: &str| get(key).as_string().filter(|s| !s.is_empty());
    let code = get("code");
    let code = code.as_string().or_else(|| code.as_f64().map(number_text));
    let failure = Failure {
        status: get("status").as_f64().and_then(status_from_number),
        code,
        name: text("name"),
        message: text("detail")
            .or_else(|| text("message"))
            .or_else(|| text("title")),
        retry_after: text("retryAfter").or_else(|| {
            get("retryAfter")
                .as_f64()
                .map(|seconds| number_text(seconds.max(0.0)))
        }),
        ..Failure::default()
    };
    let is_empty = failure.status.is_none() && failure.code.is_none() && failure.name.is_none();
    if look_into_error && is_empty {
        let nested = get("error");
        if nested.is_object() && !nested.is_function() {
            return read_object_fields(&nested, false);
        }
    }
    failure
}

fn status_from_number(status: f64) -> Option<u16> {
    (status.fract() == 0.0 && (0.0..=999.0).contains(&status)).then_some(status as u16)
}

/// The body of a JSON response, read from a clone, while it is still unread.
fn json_body(response: &web_sys::Response) -> Option<JsValue> {
    let content_type = response.headers().get("Content-Type").ok()??;
    if !has_text(&content_type, "json") || response.body_used() {
        return None;
    }
    Some(response.clone().ok()?.json().ok()?.into())
}
