//! `OnlineStatus` for JavaScript, in pages and workers: checks the options,
//! holds the pure machine and answers the state; `shell.js` listens to the
//! global `online`/`offline` events, confirms with a `HEAD` probe (no-store,
//! with a timeout), pauses probing while the page is hidden, shares changes
//! between tabs over BroadcastChannel and tells subscribers, asking the
//! machine what each event means through `decide`.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::machine::{Effects, Input, Machine, ProbeSchedule, Timer};
use crate::errors::catalog;
use crate::errors::format::quoted;
use crate::errors::input::{describe, JsOptions};
use crate::errors::js::report_failure;
use crate::interop::{coded_error, navigator_online, ObjectBuilder};

pub const DEFAULT_PROBE_INTERVAL_MS: f64 = 5_000.0;
pub const DEFAULT_PROBE_TIMEOUT_MS: f64 = 5_000.0;
pub const DEFAULT_MAX_BACKOFF_MS: f64 = 60_000.0;
pub const BACKOFF_FACTOR: f64 = 1.5;
pub const DEFAULT_CHANNEL: &str = "offline-runtime:online-status";

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
export interface OnlineStatusOptions {
  /** URL answered by your server (any HTTP status counts as reachable). Without it, events alone decide. */
  probeUrl?: string;
  /** Delay before the first probe while offline; grows x1.5 per failure. Default 5000. */
  probeIntervalMs?: number;
  /** A probe with no answer by then counts as failed. Default 5000. */
  probeTimeoutMs?: number;
  /** Cap on the probe delay. Default 60000 (raised to probeIntervalMs if below it). */
  maxBackoffMs?: number;
  /** BroadcastChannel name shared by the tabs. Default "offline-runtime:online-status". */
  channelName?: string;
  /** Gets errors thrown by subscribers. Default: console.error with the code. */
  onError?: (error: unknown) => void;
}
export interface OnlineState {
  online: boolean;
  /** Last moment the connection was known to work (ms since the epoch), if ever. */
  lastOnlineAt: number | undefined;
  lastChangedAt: number;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "OnlineStatusOptions")]
    pub type OnlineStatusOptions;
    #[wasm_bindgen(typescript_type = "(state: OnlineState) => void")]
    pub type StateCallback;
    #[wasm_bindgen(typescript_type = "() => void")]
    pub type Unsubscribe;
    #[wasm_bindgen(typescript_type = "Promise<boolean>")]
    pub type BooleanPromise;
}

#[wasm_bindgen(module = "/src/online/shell.js")]
extern "C" {
    /// The listeners, timer, probe, channel and subscribers, live until dispose().
    type OnlineShell;

    #[wasm_bindgen(constructor)]
    fn new(
        decide: &JsValue,
        start: &JsValue,
        probe_url: Option<String>,
        probe_timeout_ms: f64,
        channel_name: &str,
        failed: &JsValue,
    ) -> OnlineShell;

    #[wasm_bindgen(method)]
    fn subscribe(this: &OnlineShell, callback: &js_sys::Function, reconnect: bool) -> JsValue;

    #[wasm_bindgen(method, js_name = checkNow)]
    fn check_now(this: &OnlineShell) -> js_sys::Promise;

    #[wasm_bindgen(method)]
    fn dispose(this: &OnlineShell);
}

/// The connection state, kept current; see `OnlineStatusOptions`.
#[wasm_bindgen]
pub struct OnlineStatus {
    machine: Rc<RefCell<Machine>>,
    shell: OnlineShell,
}

#[wasm_bindgen]
impl OnlineStatus {
    #[wasm_bindgen(constructor)]
    pub fn new(options: Option<OnlineStatusOptions>) -> Result<OnlineStatus, JsValue> {
        let known = [
            "probeUrl",
            "probeIntervalMs",
            "probeTimeoutMs",
            "maxBackoffMs",
            "channelName",
            "onError",
        ];
        let value = options.map(JsValue::from).unwrap_or_default();
        let options = JsOptions::read(&value, "OnlineStatus", &known)?;
        let on_error = options.function("onError")?;
        let interval = options
            .number("probeIntervalMs", 1.0)?
            .unwrap_or(DEFAULT_PROBE_INTERVAL_MS);
        let timeout = options
            .number("probeTimeoutMs", 1.0)?
            .unwrap_or(DEFAULT_PROBE_TIMEOUT_MS);
        let max_backoff = options
            .number("maxBackoffMs", 1.0)?
            .unwrap_or(DEFAULT_MAX_BACKOFF_MS);
        let probe_url = options
            .string("probeUrl")?
            .map(|url| absolute_url(&url))
            .transpose()?;
        let schedule = probe_url.as_ref().map(|_| ProbeSchedule {
            interval_ms: interval,
            factor: BACKOFF_FACTOR,
            max_backoff_ms: max_backoff.max(interval),
        });
        let channel_name = options
            .string("channelName")?
            .unwrap_or_else(|| DEFAULT_CHANNEL.into());
        let (machine, start) = Machine::new(navigator_online().unwrap_or(true), schedule, now());
        let machine = Rc::new(RefCell::new(machine));
        let start = effects_object(&machine.borrow(), start);
        // Owned by the shell's listeners (the JavaScript GC frees them): the
        // machine lives as long as the wiring, whether or not the app keeps the handle.
        let decide = {
            let machine = Rc::clone(&machine);
            Closure::<dyn Fn(String) -> Result<JsValue, JsValue>>::new(move |input: String| {
                let input = input_named(&input)?;
                let mut machine = machine.borrow_mut();
                let effects = machine.handle(input, now());
                Ok(effects_object(&machine, effects))
            })
            .into_js_value()
        };
        let failed = Closure::<dyn Fn(JsValue)>::new(move |error: JsValue| {
            report_failure("an online-status subscriber", on_error.as_ref(), &error)
        })
        .into_js_value();
        let shell = OnlineShell::new(&decide, &start, probe_url, timeout, &channel_name, &failed);
        Ok(OnlineStatus { machine, shell })
    }

    #[wasm_bindgen(getter)]
    pub fn online(&self) -> bool {
        self.machine.borrow().snapshot().online
    }

    /// Last moment the connection was known to work (ms since the epoch).
    #[wasm_bindgen(getter, js_name = lastOnlineAt)]
    pub fn last_online_at(&self) -> Option<f64> {
        self.machine.borrow().snapshot().last_online_at
    }

    #[wasm_bindgen(getter, js_name = lastChangedAt)]
    pub fn last_changed_at(&self) -> f64 {
        self.machine.borrow().snapshot().last_changed_at
    }

    /// Calls `callback(state)` on every change; returns the unsubscribe function.
    pub fn subscribe(&self, callback: StateCallback) -> Result<Unsubscribe, JsValue> {
        self.add_callback(callback.into(), "subscribe", false)
    }

    /// Calls `callback(state)` once per offline -> online transition.
    #[wasm_bindgen(js_name = onReconnect)]
    pub fn on_reconnect(&self, callback: StateCallback) -> Result<Unsubscribe, JsValue> {
        self.add_callback(callback.into(), "onReconnect", true)
    }

    /// Probes now (or re-reads `navigator.onLine` without a probe URL);
    /// resolves with the resulting `online`.
    #[wasm_bindgen(js_name = checkNow)]
    pub fn check_now(&self) -> BooleanPromise {
        self.shell.check_now().unchecked_into()
    }

    /// Removes every listener, timer, probe and channel; nothing fires after it.
    pub fn dispose(&self) {
        self.shell.dispose();
    }
}

impl OnlineStatus {
    fn add_callback(
        &self,
        callback: JsValue,
        method: &str,
        reconnect: bool,
    ) -> Result<Unsubscribe, JsValue> {
        let callback = callback.dyn_into::<js_sys::Function>().map_err(|value| {
            coded_error(
                catalog::INVALID_CALLBACK,
                &format!(
                    "OnlineStatus.{method}: callback must be a function, got {}",
                    describe(&value)
                ),
            )
        })?;
        Ok(self.shell.subscribe(&callback, reconnect).unchecked_into())
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// The shell's `OnlineInput` names as the machine's inputs.
fn input_named(name: &str) -> Result<Input, JsValue> {
    Input::named(name).ok_or_else(|| {
        coded_error(
            catalog::INVALID_ARGUMENT,
            &["OnlineStatus: unknown input ", &quoted(name)].concat(),
        )
    })
}

/// `OnlineEffects` for the shell: what to do, and the state after it.
fn effects_object(machine: &Machine, effects: Effects) -> JsValue {
    let state = machine.snapshot();
    let state = ObjectBuilder::new()
        .set("online", state.online)
        .set_some("lastOnlineAt", state.last_online_at)
        .set("lastChangedAt", state.last_changed_at)
        .build();
    let (clear_timer, start_timer_ms) = match effects.timer {
        Timer::Keep => (false, None),
        Timer::Clear => (true, None),
        Timer::Start(ms) => (false, Some(ms)),
    };
    ObjectBuilder::new()
        .set("changed", effects.changed)
        .set("reconnected", effects.reconnected)
        .set("broadcast", effects.broadcast)
        .set("probe", effects.probe)
        .set("clearTimer", clear_timer)
        .set_some("startTimerMs", start_timer_ms)
        .set("state", state)
        .build()
}

/// Resolves the probe URL against the scope's location (page or worker).
fn absolute_url(url: &str) -> Result<String, JsValue> {
    let base = js_sys::Reflect::get(&js_sys::global(), &"location".into())
        .and_then(|location| js_sys::Reflect::get(&location, &"href".into()))
        .ok()
        .and_then(|href| href.as_string());
    let parsed = match &base {
        Some(base) => web_sys::Url::new_with_base(url, base),
        None => web_sys::Url::new(url),
    };
    parsed
        .ok()
        .filter(|parsed| matches!(parsed.protocol().as_str(), "http:" | "https:"))
        .map(|parsed| parsed.href())
        .ok_or_else(|| {
            coded_error(
                catalog::INVALID_URL,
                &[
                    "OnlineStatus: options.probeUrl ",
                    &quoted(url),
                    " is not an http(s) URL",
                ]
                .concat(),
            )
        })
}
