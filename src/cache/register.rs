//! `registerServiceWorker` for pages: registers the worker and reports the
//! update flow: `onUpdateReady(update)` when a new version waits (call
//! `update.skipWaiting()` to switch), `onControllerChange()` when a new
//! version's worker takes control (reload then; the first install's claim
//! does not count). The page also holds the package's caches open while it
//! lives (`register.js` says why).
//!
//! However often it is called (a component mounting and unmounting), the
//! page gets one `controllerchange` and one `updatefound` listener per
//! registration; each call's callbacks join the callers `register.js` keeps
//! until its `signal` aborts, so each fires once per real change.

use std::cell::Cell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration};

use crate::cache::precache::CACHE_PREFIX;
use crate::errors::catalog;
use crate::errors::input::{describe, JsOptions};
use crate::interop::{coded_error, ObjectBuilder};
use crate::promise::{after, Settled};

#[wasm_bindgen(module = "/src/cache/register.js")]
extern "C" {
    #[wasm_bindgen(js_name = holdCaches)]
    fn hold_caches(prefix: &str);
    #[wasm_bindgen(js_name = addCaller)]
    fn add_caller(
        on_update_ready: Option<js_sys::Function>,
        on_controller_change: Option<js_sys::Function>,
        signal: Option<web_sys::AbortSignal>,
    );
    /// `undefined`: a new version took control; else a waiting version's handle.
    fn notify(update: &JsValue);
}

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
export interface UpdateReady {
  /** Tells the waiting worker to take over (it posts {type: "SKIP_WAITING"}). */
  skipWaiting(): void;
}
export interface RegisterOptions {
  /** The registration scope. Default: the script's directory. */
  scope?: string;
  /** A new version is installed and waiting. */
  onUpdateReady?: (update: UpdateReady) => void;
  /** A new version's worker took control of the page (not the first install); reload to use its assets. */
  onControllerChange?: () => void;
  /** Aborting it removes this call's callbacks (a component unmounting). */
  signal?: AbortSignal;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "RegisterOptions")]
    pub type RegisterOptions;
    #[wasm_bindgen(typescript_type = "Promise<ServiceWorkerRegistration>")]
    pub type RegistrationPromise;
}

/// Registers `url`; resolves the registration. Rejects with E3010 where
/// service workers are unavailable (insecure context, disabled) or the
/// script cannot be registered (missing, served as HTML, throws).
#[wasm_bindgen(js_name = registerServiceWorker)]
pub fn register_service_worker(
    #[wasm_bindgen(unchecked_param_type = "string")] url: JsValue,
    options: Option<RegisterOptions>,
) -> RegistrationPromise {
    let options = options.map(JsValue::from).unwrap_or_default();
    registering(url, &options)
        .unwrap_or_else(|error| js_sys::Promise::reject(&error))
        .unchecked_into()
}

/// `registerServiceWorker`'s work: the arguments checked, the registration
/// chained without wasm futures (`promise::after`).
fn registering(url: JsValue, options: &JsValue) -> Result<js_sys::Promise, JsValue> {
    let function = "registerServiceWorker";
    let url = url.as_string().filter(|u| !u.is_empty()).ok_or_else(|| {
        coded_error(
            catalog::INVALID_ARGUMENT,
            &format!("{function}: url must be a string, got {}", describe(&url)),
        )
    })?;
    let options = JsOptions::read(
        options,
        function,
        &["scope", "onUpdateReady", "onControllerChange", "signal"],
    )?;
    let on_update_ready = options.function("onUpdateReady")?;
    let on_controller_change = options.function("onControllerChange")?;
    let signal = options.abort_signal("signal")?;
    let container = container().ok_or_else(|| {
        coded_error(
            catalog::SERVICE_WORKER_UNAVAILABLE,
            &format!("{function}: service workers are not available here (an insecure context?)"),
        )
    })?;
    let register_options = web_sys::RegistrationOptions::new();
    if let Some(scope) = options.string("scope")? {
        register_options.set_scope(&scope);
    }
    let registered = container.register_with_options(&url, &register_options);
    let fallback = container.clone();
    let registration = after(&registered, move |outcome| match outcome {
        Settled::Fulfilled(registration) => Ok(registration),
        // Offline, registering again fails (the script cannot be fetched),
        // but the worker already registered keeps working: use it.
        Settled::Rejected(error) => {
            Ok(
                after(&fallback.get_registration(), move |existing| match existing
                    .filter(|existing| !existing.is_undefined())
                {
                    Settled::Fulfilled(existing) => Ok(existing),
                    Settled::Rejected(_) => Err(registration_failed(function, &url, &error)),
                })
                .into(),
            )
        }
    });
    Ok(after(&registration, move |outcome| {
        let registration: ServiceWorkerRegistration = match outcome {
            Settled::Fulfilled(registration) => registration.unchecked_into(),
            Settled::Rejected(error) => return Err(error),
        };
        watch_controller(&container)?;
        watch_updates(&registration)?;
        // A version already waiting is news to this caller only.
        let listening = !signal.as_ref().is_some_and(web_sys::AbortSignal::aborted);
        if let (Some(callback), Some(waiting), true) = (
            &on_update_ready,
            registration.waiting(),
            listening && container.controller().is_some(),
        ) {
            let _ = callback.call1(&JsValue::NULL, &update_handle(waiting));
        }
        add_caller(on_update_ready, on_controller_change, signal);
        hold_caches(CACHE_PREFIX);
        Ok(registration.into())
    }))
}

/// A failed `register()` (the script is missing, is not JavaScript, or
/// throws) as E3010 with the browser's own reason.
fn registration_failed(function: &str, url: &str, error: &JsValue) -> JsValue {
    let reason = js_sys::Reflect::get(error, &"message".into())
        .ok()
        .and_then(|message| message.as_string())
        .unwrap_or_else(|| describe(error));
    coded_error(
        catalog::SERVICE_WORKER_UNAVAILABLE,
        &format!("{function}: {url} could not be registered: {reason}"),
    )
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = js_sys::Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
    js_sys::Reflect::get(&navigator, &"serviceWorker".into())
        .ok()?
        .dyn_into()
        .ok()
}

thread_local! {
    static WATCHING_CONTROLLER: Cell<bool> = const { Cell::new(false) };
    /// The registrations with an `updatefound` listener.
    static WATCHED: js_sys::WeakSet = js_sys::WeakSet::new();
}

/// The page's one `controllerchange` listener: tells every live caller when
/// a new version takes control.
fn watch_controller(container: &ServiceWorkerContainer) -> Result<(), JsValue> {
    if WATCHING_CONTROLLER.with(|watching| watching.replace(true)) {
        return Ok(());
    }
    // The first install's claim also changes the controller (from none):
    // that is not a new version, so the page is not told to reload.
    let mut had_controller = container.controller().is_some();
    let listener = Closure::<dyn FnMut()>::new(move || {
        if had_controller {
            notify(&JsValue::UNDEFINED);
        }
        had_controller = true;
    });
    container
        .add_event_listener_with_callback("controllerchange", listener.as_ref().unchecked_ref())?;
    listener.forget(); // one per page, for the page's life
    Ok(())
}

/// `{skipWaiting()}` for a worker that waits.
fn update_handle(worker: ServiceWorker) -> JsValue {
    let skip = Closure::<dyn Fn()>::new(move || {
        let message = ObjectBuilder::new().set("type", "SKIP_WAITING").build();
        let _ = worker.post_message(&message);
    });
    ObjectBuilder::new()
        .set("skipWaiting", skip.into_js_value())
        .build()
}

/// The registration's one `updatefound` listener: tells every live caller
/// when a new worker is installed and waiting while another controls the page.
fn watch_updates(registration: &ServiceWorkerRegistration) -> Result<(), JsValue> {
    if WATCHED.with(|watched| watched.has(registration)) {
        return Ok(());
    }
    WATCHED.with(|watched| watched.add(registration));
    let watched = registration.clone();
    let on_found = Closure::<dyn FnMut()>::new(move || {
        let Some(installing) = watched.installing() else {
            return;
        };
        let worker = installing.clone();
        // One per new version, released by the browser with its worker.
        let on_state = Closure::<dyn FnMut()>::new(move || {
            if worker.state() == web_sys::ServiceWorkerState::Installed && container_controller() {
                notify(&update_handle(worker.clone()));
            }
        });
        let _ = installing
            .add_event_listener_with_callback("statechange", on_state.as_ref().unchecked_ref());
        on_state.forget();
    });
    registration
        .add_event_listener_with_callback("updatefound", on_found.as_ref().unchecked_ref())?;
    on_found.forget(); // one per registration, for the page's life
    Ok(())
}

fn container_controller() -> bool {
    container().is_some_and(|c| c.controller().is_some())
}
