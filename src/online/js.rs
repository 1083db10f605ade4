//! `OnlineStatus` for JavaScript, in pages and workers: listens to the global
//! `online`/`offline` events, confirms with a `HEAD` probe (no-store, with a
//! timeout), pauses probing while the page is hidden, shares changes between
//! tabs over BroadcastChannel, and tells subscribers. Every decision is the
//! pure machine's; this file only carries out its effects.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::machine::{Effects, Input, Machine, ProbeSchedule, Snapshot, Timer};
use crate::errors::catalog;
use crate::errors::format::quoted;
use crate::interop::{
    coded_error, describe, navigator_online, report_failure, JsOptions, ObjectBuilder,
};

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
    /// The global `fetch`, in a page or a worker.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> js_sys::Promise;
}

struct Probe {
    url: String,
    timeout_ms: u32,
}

type Callbacks = RefCell<Vec<(u32, js_sys::Function)>>;

struct Inner {
    machine: RefCell<Machine>,
    probe: Option<Probe>,
    subscribers: Callbacks,
    reconnect_callbacks: Callbacks,
    next_id: Cell<u32>,
    timer: RefCell<Option<Timeout>>,
    in_flight: RefCell<Option<web_sys::AbortController>>,
    /// `checkNow()` promises waiting for the probe in flight.
    waiters: RefCell<Vec<js_sys::Function>>,
    channel: Option<web_sys::BroadcastChannel>,
    listeners: RefCell<Vec<EventListener>>,
    on_error: Option<js_sys::Function>,
    disposed: Cell<bool>,
    /// This state itself, until `dispose()`: the app may drop the handle
    /// (and the garbage collector free it) while subscribers still listen.
    held: RefCell<Option<Rc<Inner>>>,
}

/// The connection state, kept current; see `OnlineStatusOptions`.
#[wasm_bindgen]
pub struct OnlineStatus {
    inner: Rc<Inner>,
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
        let probe = options
            .string("probeUrl")?
            .map(|url| {
                Ok::<_, JsValue>(Probe {
                    url: absolute_url(&url)?,
                    timeout_ms: timeout.min(f64::from(u32::MAX)) as u32,
                })
            })
            .transpose()?;
        let schedule = probe.as_ref().map(|_| ProbeSchedule {
            interval_ms: interval,
            factor: BACKOFF_FACTOR,
            max_backoff_ms: max_backoff.max(interval),
        });
        let (machine, start) = Machine::new(navigator_online().unwrap_or(true), schedule, now());
        let channel_name = options
            .string("channelName")?
            .unwrap_or_else(|| DEFAULT_CHANNEL.into());
        let channel = has_global("BroadcastChannel")
            .then(|| web_sys::BroadcastChannel::new(&channel_name).ok())
            .flatten();
        let inner = Rc::new(Inner {
            machine: RefCell::new(machine),
            probe,
            subscribers: RefCell::default(),
            reconnect_callbacks: RefCell::default(),
            next_id: Cell::new(0),
            timer: RefCell::default(),
            in_flight: RefCell::default(),
            waiters: RefCell::default(),
            channel,
            listeners: RefCell::default(),
            on_error,
            disposed: Cell::new(false),
            held: RefCell::default(),
        });
        *inner.held.borrow_mut() = Some(Rc::clone(&inner));
        listen(&inner);
        apply(&inner, start);
        Ok(OnlineStatus { inner })
    }

    #[wasm_bindgen(getter)]
    pub fn online(&self) -> bool {
        self.inner.machine.borrow().snapshot().online
    }

    /// Last moment the connection was known to work (ms since the epoch).
    #[wasm_bindgen(getter, js_name = lastOnlineAt)]
    pub fn last_online_at(&self) -> Option<f64> {
        self.inner.machine.borrow().snapshot().last_online_at
    }

    #[wasm_bindgen(getter, js_name = lastChangedAt)]
    pub fn last_changed_at(&self) -> f64 {
        self.inner.machine.borrow().snapshot().last_changed_at
    }

    /// Calls `callback(state)` on every change; returns the unsubscribe function.
    pub fn subscribe(&self, callback: StateCallback) -> Result<Unsubscribe, JsValue> {
        add_callback(&self.inner, callback.into(), "subscribe", |inner| {
            &inner.subscribers
        })
    }

    /// Calls `callback(state)` once per offline -> online transition.
    #[wasm_bindgen(js_name = onReconnect)]
    pub fn on_reconnect(&self, callback: StateCallback) -> Result<Unsubscribe, JsValue> {
        add_callback(&self.inner, callback.into(), "onReconnect", |inner| {
            &inner.reconnect_callbacks
        })
    }

    /// Probes now (or re-reads `navigator.onLine` without a probe URL);
    /// resolves with the resulting `online`.
    #[wasm_bindgen(js_name = checkNow)]
    pub fn check_now(&self) -> BooleanPromise {
        let inner = Rc::clone(&self.inner);
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            if inner.disposed.get() {
                let _ = resolve.call1(&JsValue::NULL, &snapshot(&inner).online.into());
                return;
            }
            if inner.probe.is_none() {
                let input = if navigator_online().unwrap_or(true) {
                    Input::BrowserOnline
                } else {
                    Input::BrowserOffline
                };
                handle(&inner, input);
                let _ = resolve.call1(&JsValue::NULL, &snapshot(&inner).online.into());
                return;
            }
            inner.waiters.borrow_mut().push(resolve);
            handle(&inner, Input::CheckNow);
        });
        promise.unchecked_into()
    }

    /// Removes every listener, timer, probe and channel; nothing fires after it.
    pub fn dispose(&self) {
        let inner = &self.inner;
        if inner.disposed.replace(true) {
            return;
        }
        inner.listeners.borrow_mut().clear();
        drop(inner.timer.borrow_mut().take());
        if let Some(controller) = inner.in_flight.borrow_mut().take() {
            controller.abort();
        }
        if let Some(channel) = &inner.channel {
            channel.close();
        }
        inner.subscribers.borrow_mut().clear();
        inner.reconnect_callbacks.borrow_mut().clear();
        resolve_waiters(inner);
        drop(inner.held.borrow_mut().take());
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn snapshot(inner: &Inner) -> Snapshot {
    inner.machine.borrow().snapshot()
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

fn has_global(name: &str) -> bool {
    js_sys::Reflect::get(&js_sys::global(), &name.into()).is_ok_and(|value| value.is_function())
}

fn listen(inner: &Rc<Inner>) {
    let global: web_sys::EventTarget = js_sys::global().unchecked_into();
    let mut listeners = Vec::new();
    for (event, input) in [
        ("online", Input::BrowserOnline),
        ("offline", Input::BrowserOffline),
    ] {
        let weak = Rc::downgrade(inner);
        listeners.push(EventListener::new(&global, event, move |_| {
            with(&weak, |inner| handle(inner, input))
        }));
    }
    if let Some(document) = document() {
        if document.hidden() {
            handle(inner, Input::Hidden);
        }
        let weak = Rc::downgrade(inner);
        let source = document.clone();
        listeners.push(EventListener::new(
            &document,
            "visibilitychange",
            move |_| {
                let input = if source.hidden() {
                    Input::Hidden
                } else {
                    Input::Visible
                };
                with(&weak, |inner| handle(inner, input));
            },
        ));
    }
    if let Some(channel) = &inner.channel {
        let weak = Rc::downgrade(inner);
        listeners.push(EventListener::new(channel, "message", move |event| {
            let data = event.unchecked_ref::<web_sys::MessageEvent>().data();
            if let Some(online) = js_sys::Reflect::get(&data, &"online".into())
                .ok()
                .and_then(|v| v.as_bool())
            {
                with(&weak, |inner| handle(inner, Input::Remote { online }));
            }
        }));
    }
    *inner.listeners.borrow_mut() = listeners;
}

fn document() -> Option<web_sys::Document> {
    js_sys::Reflect::get(&js_sys::global(), &"document".into())
        .ok()
        .and_then(|document| document.dyn_into().ok())
}

fn with(weak: &Weak<Inner>, action: impl FnOnce(&Rc<Inner>)) {
    if let Some(inner) = weak.upgrade().filter(|inner| !inner.disposed.get()) {
        action(&inner);
    }
}

fn handle(inner: &Rc<Inner>, input: Input) {
    let effects = inner.machine.borrow_mut().handle(input, now());
    apply(inner, effects);
}

/// Carries out the machine's effects. No borrow is held while app code runs.
fn apply(inner: &Rc<Inner>, effects: Effects) {
    match effects.timer {
        Timer::Keep => {}
        Timer::Clear => drop(inner.timer.borrow_mut().take()),
        Timer::Start(ms) => {
            let weak = Rc::downgrade(inner);
            let timeout = Timeout::new(ms.ceil().min(f64::from(u32::MAX)) as u32, move || {
                with(&weak, |inner| handle(inner, Input::TimerFired));
            });
            let replaced = inner.timer.borrow_mut().replace(timeout);
            drop(replaced);
        }
    }
    if effects.probe {
        start_probe(inner);
    }
    let state = snapshot(inner);
    if effects.broadcast {
        if let Some(channel) = &inner.channel {
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"online".into(), &state.online.into());
            let _ = channel.post_message(&message);
        }
    }
    if effects.changed {
        notify(inner, &inner.subscribers, &state);
    }
    if effects.reconnected {
        notify(inner, &inner.reconnect_callbacks, &state);
    }
}

fn state_object(state: &Snapshot) -> JsValue {
    ObjectBuilder::new()
        .set("online", state.online)
        .set(
            "lastOnlineAt",
            state
                .last_online_at
                .map_or(JsValue::UNDEFINED, JsValue::from),
        )
        .set("lastChangedAt", state.last_changed_at)
        .build()
}

fn notify(inner: &Inner, callbacks: &Callbacks, state: &Snapshot) {
    let listeners: Vec<js_sys::Function> =
        callbacks.borrow().iter().map(|(_, f)| f.clone()).collect();
    let state = state_object(state);
    for callback in listeners {
        if inner.disposed.get() {
            return;
        }
        if let Err(error) = callback.call1(&JsValue::NULL, &state) {
            report_failure(
                "an online-status subscriber",
                inner.on_error.as_ref(),
                &error,
            );
        }
    }
}

fn add_callback(
    inner: &Rc<Inner>,
    callback: JsValue,
    method: &str,
    list: fn(&Inner) -> &Callbacks,
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
    let id = inner.next_id.get().wrapping_add(1);
    inner.next_id.set(id);
    if !inner.disposed.get() {
        list(inner).borrow_mut().push((id, callback));
    }
    let weak = Rc::downgrade(inner);
    let unsubscribe = Closure::<dyn Fn()>::new(move || {
        if let Some(inner) = weak.upgrade() {
            list(&inner).borrow_mut().retain(|(other, _)| *other != id);
        }
    });
    Ok(unsubscribe.into_js_value().unchecked_into())
}

fn start_probe(inner: &Rc<Inner>) {
    let Some(probe) = &inner.probe else {
        return;
    };
    let Ok(controller) = web_sys::AbortController::new() else {
        handle(inner, Input::ProbeFailed);
        return;
    };
    let init = web_sys::RequestInit::new();
    init.set_method("HEAD");
    init.set_cache(web_sys::RequestCache::NoStore);
    init.set_signal(Some(&controller.signal()));
    let request = match web_sys::Request::new_with_str_and_init(&probe.url, &init) {
        Ok(request) => request,
        Err(_) => {
            handle(inner, Input::ProbeFailed);
            return;
        }
    };
    let abort = controller.clone();
    let timeout = Timeout::new(probe.timeout_ms, move || abort.abort());
    *inner.in_flight.borrow_mut() = Some(controller);
    let weak = Rc::downgrade(inner);
    wasm_bindgen_futures::spawn_local(async move {
        // Any HTTP response, whatever its status, means the server is reachable.
        let answered = wasm_bindgen_futures::JsFuture::from(global_fetch(&request))
            .await
            .is_ok();
        drop(timeout);
        with(&weak, |inner| {
            inner.in_flight.borrow_mut().take();
            handle(
                inner,
                if answered {
                    Input::ProbeSucceeded
                } else {
                    Input::ProbeFailed
                },
            );
            resolve_waiters(inner);
        });
    });
}

fn resolve_waiters(inner: &Inner) {
    let online = snapshot(inner).online;
    let waiters = std::mem::take(&mut *inner.waiters.borrow_mut());
    for resolve in waiters {
        let _ = resolve.call1(&JsValue::NULL, &online.into());
    }
}
