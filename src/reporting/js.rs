//! `ReporterCore`: the error reporter's decisions as its JavaScript shell
//! (`js/reporting/index.mjs`) calls them. Reads and checks the options,
//! builds each report (redacted before it is stored or sent), says whether
//! an error is queued, counted into an earlier report or dropped, how many
//! queued reports to drop, and what a send's answer means. The shell holds
//! the queue (IndexedDB), sends, and listens to the page.

use wasm_bindgen::prelude::*;

use super::policy::{after_send, may_send, overflow, Admission, Admit, Limits, Sent};
use super::redact::{self, Redaction};
use crate::errors::catalog::{self, Category};
use crate::errors::input::JsOptions;
use crate::interop::{coded_error, ObjectBuilder};
use crate::js_value::{from_value, to_value};

/// What becomes of a reported error (`ReporterCore.admit`).
#[wasm_bindgen]
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ReportAction {
    /// Store `report` in the queue.
    Queue = 0,
    /// A repeat: set the count of queued report `id` to `count`.
    Count = 1,
    /// Left out by `sampleRate`.
    Sampled = 2,
    /// Over the per-minute cap: dropped, and counted in `dropped`.
    Limited = 3,
}

/// What a send's answer means (`ReporterCore.afterSend`).
#[wasm_bindgen]
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SendResult {
    /// Stored by the server: delete the batch; never sent again.
    Acknowledged = 0,
    /// Keep the batch; try again after `delayMs`.
    Retry = 1,
    /// Refused for good: delete the batch and count it dropped.
    Rejected = 2,
}

/// Options only the shell reads (the core checks that they are known).
const SHELL_OPTIONS: &[&str] = &[
    "captureUnhandled",
    "captureShown",
    "captureClassified",
    "onReport",
    "onlineStatus",
    "dbName",
];
const CORE_OPTIONS: &[&str] = &[
    "endpoint",
    "release",
    "user",
    "sampleRate",
    "maxQueue",
    "maxPerMinute",
    "batchSize",
    "dedupWindowMs",
    "batchDelayMs",
    "redactKeys",
];

#[wasm_bindgen]
pub struct ReporterCore {
    endpoint: String,
    release: Option<String>,
    user: JsValue,
    redaction: Redaction,
    admission: Admission,
}

/// E2108 unless `endpoint` resolves (against the page's URL) to an http(s) URL:
/// a typo must fail at start, not silently at every send.
fn check_endpoint(endpoint: &str) -> Result<(), JsValue> {
    let base = js_sys::Reflect::get(&js_sys::global(), &"location".into())
        .ok()
        .and_then(|location| js_sys::Reflect::get(&location, &"href".into()).ok())
        .and_then(|href| href.as_string());
    let parsed = match base {
        Some(base) => web_sys::Url::new_with_base(endpoint, &base),
        None => web_sys::Url::new(endpoint),
    };
    match parsed {
        Ok(url) if matches!(url.protocol().as_str(), "http:" | "https:") => Ok(()),
        _ => Err(coded_error(
            catalog::INVALID_URL,
            &[
                "ErrorReporter.start: options.endpoint must be an http(s) URL, got \"",
                endpoint,
                "\"",
            ]
            .concat(),
        )),
    }
}

#[wasm_bindgen]
impl ReporterCore {
    /// Checks `ErrorReporter.start`'s options (E2101/E2109 naming the field).
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<ReporterCore, JsValue> {
        const FUNCTION: &str = "ErrorReporter.start";
        let known = [CORE_OPTIONS, SHELL_OPTIONS].concat();
        let options = JsOptions::read(&options, FUNCTION, &known)?;
        let endpoint = options
            .string("endpoint")?
            .filter(|e| !e.trim().is_empty())
            .ok_or_else(|| {
                coded_error(
                    catalog::INVALID_OPTION,
                    "ErrorReporter.start: options.endpoint (the URL reports are POSTed to) is required",
                )
            })?;
        check_endpoint(&endpoint)?;
        let defaults = Limits::default();
        let whole = |key: &str, default: u32| -> Result<u32, JsValue> {
            Ok(options
                .number(key, 1.0)?
                .map_or(default, |n| n.min(1_000_000.0) as u32))
        };
        let sample_rate = options.number("sampleRate", 0.0)?.unwrap_or(1.0);
        if sample_rate > 1.0 {
            return Err(coded_error(
                catalog::INVALID_NUMBER,
                "ErrorReporter.start: options.sampleRate must be between 0 and 1",
            ));
        }
        let limits = Limits {
            dedup_window_ms: options
                .number("dedupWindowMs", 0.0)?
                .unwrap_or(defaults.dedup_window_ms),
            max_per_minute: whole("maxPerMinute", defaults.max_per_minute)?,
            max_queue: whole("maxQueue", defaults.max_queue)?,
            batch_size: whole("batchSize", defaults.batch_size)?,
            sample_rate,
            batch_delay_ms: options
                .number("batchDelayMs", 0.0)?
                .unwrap_or(defaults.batch_delay_ms),
        };
        let extra: Vec<String> = match options.value("redactKeys") {
            None => Vec::new(),
            Some(keys) if keys.is_instance_of::<js_sys::Array>() => js_sys::Array::from(&keys)
                .iter()
                .map(|key| key.as_string())
                .collect::<Option<_>>()
                .ok_or_else(|| not_strings("redactKeys"))?,
            Some(_) => return Err(not_strings("redactKeys")),
        };
        let redaction = Redaction::new(&extra);
        let user = options
            .value("user")
            .map(|user| from_value(&redaction.value(to_value(&user))))
            .unwrap_or(JsValue::NULL);
        Ok(ReporterCore {
            endpoint,
            release: options.string("release")?,
            user,
            redaction,
            admission: Admission::new(limits),
        })
    }

    /// What the shell needs: `{endpoint, batchSize, maxQueue, batchDelayMs,
    /// context: {maxDepth, maxItems, maxText, maxNodes, maxTotalText}}` (how
    /// much of an app's context the shell lets cross).
    pub fn settings(&self) -> JsValue {
        let limits = self.admission.limits();
        let context = ObjectBuilder::new()
            .set("maxDepth", redact::MAX_DEPTH)
            .set("maxItems", redact::MAX_ITEMS as u32)
            .set("maxText", redact::MAX_TEXT as u32)
            .set("maxNodes", redact::MAX_NODES as u32)
            .set("maxTotalText", redact::MAX_CONTEXT_TEXT as u32)
            .build();
        ObjectBuilder::new()
            .set("endpoint", self.endpoint.as_str())
            .set("batchSize", limits.batch_size)
            .set("maxQueue", limits.max_queue)
            .set("batchDelayMs", limits.batch_delay_ms)
            .set("context", context)
            .build()
    }

    /// Decides about one error: `{action, report}` for `Queue` (the report
    /// redacted and complete), `{action, id, count}` for `Count`, `{action}`
    /// otherwise. `code` is its catalog code, `context` the app's context
    /// (its `request: {method, url, status}` is lifted out), `url` the
    /// page's, `online` `navigator.onLine`, `random` uniform in [0, 1), `id`
    /// a fresh unique id.
    #[allow(clippy::too_many_arguments)]
    pub fn admit(
        &mut self,
        code: &str,
        message: &str,
        stack: Option<String>,
        #[wasm_bindgen(unchecked_param_type = "unknown")] context: JsValue,
        url: &str,
        online: Option<bool>,
        now_ms: f64,
        random: f64,
        id: &str,
    ) -> JsValue {
        let code = if catalog::lookup(code).is_some() {
            code
        } else {
            catalog::GENERIC
        };
        let message = self.redaction.text(message);
        let fingerprint = [code, " ", &message].concat();
        let action = match self.admission.admit(&fingerprint, id, now_ms, random) {
            Admit::New => ReportAction::Queue,
            Admit::Repeat { id, count } => {
                return ObjectBuilder::new()
                    .set("action", ReportAction::Count)
                    .set("id", id)
                    .set("count", count)
                    .build()
            }
            Admit::Sampled => ReportAction::Sampled,
            Admit::Limited => ReportAction::Limited,
        };
        let result = ObjectBuilder::new().set("action", action);
        if action != ReportAction::Queue {
            return result.build();
        }
        let context = self.redaction.value(to_value(&context));
        let request = context.get("request").map(|request| {
            let field = |key| request.get(key);
            ObjectBuilder::new()
                .set_some(
                    "method",
                    field("method").and_then(|v| v.as_str()).map(str::to_owned),
                )
                .set_some(
                    "url",
                    field("url")
                        .and_then(|v| v.as_str())
                        .map(|u| self.redaction.url(u)),
                )
                .set_some("status", field("status").and_then(|v| v.as_number()))
                .build()
        });
        let category = Category::of_code(code).unwrap_or(Category::Business);
        let report = ObjectBuilder::new()
            .set("id", id)
            .set("timestamp", now_ms)
            .set("code", code)
            .set("category", category.as_str())
            .set("message", message)
            .set("stack", stack.map(|s| self.redaction.text(&s)))
            .set("url", self.redaction.url(url))
            .set("release", self.release.clone())
            .set("user", self.user.clone())
            .set("request", request.unwrap_or(JsValue::NULL))
            .set("context", from_value(&context.without("request")))
            .set("online", online)
            .set("count", 1)
            .build();
        result.set("report", report).build()
    }

    /// A report still queued from an earlier page (its code, redacted
    /// message, id, timestamp and count): repeats of it count into it.
    pub fn remember(&mut self, code: &str, message: &str, id: &str, at_ms: f64, count: u32) {
        self.admission
            .remember(&[code, " ", message].concat(), id, at_ms, count);
    }

    /// How many of the oldest queued reports to drop before adding one to a
    /// queue holding `queued`.
    pub fn overflow(&self, queued: u32) -> u32 {
        overflow(queued, self.admission.limits().max_queue)
    }

    /// Whether a send may start, given `navigator.onLine` and the app's
    /// `OnlineStatus.online` (either may be undefined).
    #[wasm_bindgen(js_name = maySend)]
    pub fn may_send(&self, browser_online: Option<bool>, confirmed_online: Option<bool>) -> bool {
        may_send(browser_online, confirmed_online)
    }

    /// What a send's answer means: `status` (0 when the request failed),
    /// `failures` in a row before it, `retryAfterSeconds` from the answer.
    /// `{result, delayMs}`.
    #[wasm_bindgen(js_name = afterSend)]
    pub fn after_send(
        &self,
        status: u16,
        failures: u32,
        retry_after_seconds: Option<f64>,
    ) -> JsValue {
        let (result, delay) = match after_send(status, failures, retry_after_seconds) {
            Sent::Acknowledged => (SendResult::Acknowledged, 0.0),
            Sent::Retry { delay_ms } => (SendResult::Retry, delay_ms),
            Sent::Rejected => (SendResult::Rejected, 0.0),
        };
        ObjectBuilder::new()
            .set("result", result)
            .set("delayMs", delay)
            .build()
    }

    /// The server stored these reports: later repeats start new ones.
    pub fn sent(&mut self, #[wasm_bindgen(unchecked_param_type = "string[]")] ids: js_sys::Array) {
        let ids: Vec<String> = ids.iter().filter_map(|id| id.as_string()).collect();
        self.admission.sent(&ids);
    }
}

fn not_strings(key: &str) -> JsValue {
    coded_error(
        catalog::INVALID_OPTION,
        &[
            "ErrorReporter.start: options.",
            key,
            " must be an array of strings",
        ]
        .concat(),
    )
}
