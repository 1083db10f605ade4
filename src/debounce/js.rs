//! The debounce API for JavaScript: `debounce(fn, wait, options)` returns a
//! real function (`this` and every argument pass through; no `eval`, so
//! CSP-safe) carrying `cancel`, `flush` and `pending`;
//! `debounceInput(input, onSearch, options)` wires a search box.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::machine::{InvalidSetting, Settings};
use super::timer::Debounced;
use crate::errors::catalog;
use crate::errors::input::{describe, JsOptions};
use crate::errors::js::report_failure;
use crate::interop::{coded_error, number_text};

/// The wait when none is given: a typing pause (the seed plan's 300 ms).
pub const DEFAULT_WAIT_MS: f64 = 300.0;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
export interface DebounceOptions {
  /** Invoke on the leading edge of the wait. Default false. */
  leading?: boolean;
  /** Invoke on the trailing edge of the wait. Default true. */
  trailing?: boolean;
  /** Longest time a call may be delayed; raised to `wait` when below it. */
  maxWait?: number;
  /** Gets errors thrown by calls the timer fires. Default: console.error with the code. */
  onError?: (error: unknown) => void;
}
export interface DebouncedFunction<F extends (...args: any[]) => any> {
  (this: ThisParameterType<F>, ...args: Parameters<F>): ReturnType<F> | undefined;
  /** Drops a pending call. */
  cancel(): void;
  /** Runs a pending call now; returns the last result. Throws what the function throws. */
  flush(): ReturnType<F> | undefined;
  /** True while a call waits for its timer. */
  pending(): boolean;
}
/** lodash.debounce semantics; `wait` defaults to 300 ms. */
export function debounce<F extends (...args: any[]) => any>(
  func: F, wait?: number, options?: DebounceOptions): DebouncedFunction<F>;
export interface DebounceInputOptions {
  /** Milliseconds of quiet before `onSearch`. Default 300. */
  wait?: number;
  /** true when a search is waiting for the pause, false when it ran or was dropped. */
  onPending?: (pending: boolean) => void;
  /** Gets errors thrown by `onSearch`. Default: console.error with the code. */
  onError?: (error: unknown) => void;
}
/** Debounces a search box: no call while typing; an empty box fires at once. */
export function debounceInput(
  input: HTMLInputElement | HTMLTextAreaElement,
  onSearch: (query: string) => unknown,
  options?: DebounceInputOptions): DebouncedInput;
"#;

/// `debounce(func, wait = 300, {leading, trailing, maxWait, onError})`.
#[wasm_bindgen(js_name = debounce, skip_typescript)]
pub fn debounce(func: JsValue, wait: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let func = callback(&func, "debounce", "func")?;
    let options = JsOptions::read(
        &options,
        "debounce",
        &["leading", "trailing", "maxWait", "onError"],
    )?;
    let on_error = options.function("onError")?;
    let settings = settings(
        "debounce",
        wait_ms(&wait, "debounce", "wait")?,
        options.bool("leading")?.unwrap_or(false),
        options.bool("trailing")?.unwrap_or(true),
        options.number("maxWait", 0.0)?,
    )?;
    let core = DebounceCore {
        settings,
        on_error,
        debounced: None,
    };
    Ok(wrap_callable(&func, core))
}

// The callable is JavaScript (shell.js) so that a call crosses into wasm
// with no values at all; every timing decision stays in the Rust machine.
#[wasm_bindgen(module = "/src/debounce/shell.js")]
extern "C" {
    #[wasm_bindgen(js_name = wrapCallable)]
    fn wrap_callable(func: &js_sys::Function, core: DebounceCore) -> JsValue;
}

/// The wasm half of a debounced JS function: the timing machine and its
/// timer. The JS half holds the arguments and the last result. Internal:
/// not in the TypeScript types.
#[wasm_bindgen(skip_typescript)]
pub struct DebounceCore {
    settings: Settings,
    on_error: Option<js_sys::Function>,
    debounced: Option<Debounced<(), (), JsValue>>,
}

#[wasm_bindgen]
impl DebounceCore {
    /// Connects the JS side's `invoke` (runs the function with the kept arguments).
    pub fn bind(&mut self, invoke: js_sys::Function) {
        let on_error = self.on_error.clone();
        self.debounced = Some(Debounced::new(
            self.settings,
            move |()| invoke.call0(&JsValue::NULL).map(drop),
            move |error| report_failure("a debounced call", on_error.as_ref(), &error),
        ));
    }

    /// A call of the debounced function; invokes at once on a leading edge or maxWait.
    pub fn call(&self) -> Result<(), JsValue> {
        self.debounced
            .as_ref()
            .map_or(Ok(()), |d| d.call(()).map(drop))
    }

    pub fn flush(&self) -> Result<(), JsValue> {
        self.debounced
            .as_ref()
            .map_or(Ok(()), |d| d.flush().map(drop))
    }

    pub fn cancel(&self) {
        if let Some(debounced) = &self.debounced {
            debounced.cancel();
        }
    }

    pub fn pending(&self) -> bool {
        self.debounced.as_ref().is_some_and(Debounced::pending)
    }
}

/// A search box wired by `debounceInput`; `dispose()` removes the listener.
/// The wiring works until then, whether or not the app keeps this handle.
#[wasm_bindgen]
pub struct DebouncedInput {
    wired: Rc<WiredInput>,
}

struct WiredInput {
    /// The same instantiation as `debounce`'s (one copy of the timer code);
    /// the query travels beside it.
    search: Debounced<(), (), JsValue>,
    on_pending: Option<js_sys::Function>,
    listener: RefCell<Option<EventListener>>,
    /// This wiring itself, until `dispose()`: dropping the handle (or the
    /// garbage collector freeing it) must not remove the listener.
    held: RefCell<Option<Rc<WiredInput>>>,
}

#[wasm_bindgen]
impl DebouncedInput {
    /// Runs a waiting search now.
    pub fn flush(&self) -> Result<(), JsValue> {
        self.wired.search.flush().map(drop)
    }

    /// Drops a waiting search (and reports `onPending(false)`).
    pub fn cancel(&self) {
        cancel_search(&self.wired.search, self.wired.on_pending.as_ref());
    }

    /// True while a search waits for the pause.
    pub fn pending(&self) -> bool {
        self.wired.search.pending()
    }

    /// Stops listening and drops a waiting search.
    pub fn dispose(&self) {
        self.cancel();
        drop(self.wired.listener.borrow_mut().take());
        drop(self.wired.held.borrow_mut().take());
    }
}

/// `debounceInput(input, onSearch, {wait = 300, onPending, onError})`.
#[wasm_bindgen(js_name = debounceInput, skip_typescript)]
pub fn debounce_input(
    input: JsValue,
    on_search: JsValue,
    options: JsValue,
) -> Result<DebouncedInput, JsValue> {
    let function = "debounceInput";
    let input = input
        .dyn_into::<web_sys::EventTarget>()
        .ok()
        .filter(|target| js_sys::Reflect::has(target, &"value".into()).unwrap_or(false))
        .ok_or_else(|| {
            coded_error(
                catalog::INVALID_ARGUMENT,
                &format!("{function}: input must be an <input> or <textarea> element"),
            )
        })?;
    let on_search = callback(&on_search, function, "onSearch")?;
    let options = JsOptions::read(&options, function, &["wait", "onPending", "onError"])?;
    let wait = options.number("wait", 0.0)?.unwrap_or(DEFAULT_WAIT_MS);
    let on_pending = options.function("onPending")?;
    let on_error = options.function("onError")?;
    let settings = settings(function, wait, false, true, None)?;

    let pending_for_search = on_pending.clone();
    let search_target = on_search.clone();
    let query = Rc::new(RefCell::new(String::new()));
    let searched = Rc::clone(&query);
    let search = Debounced::new(
        settings,
        move |()| {
            notify_pending(pending_for_search.as_ref(), false);
            let query = searched.borrow().clone();
            search_target.call1(&JsValue::NULL, &query.into()).map(drop)
        },
        move |error| report_failure("a debounced search", on_error.as_ref(), &error),
    );

    let typed = search.clone();
    let pending_for_typing = on_pending.clone();
    let source = input.clone();
    let listener = EventListener::new(&input, "input", move |_| {
        let typed_query = js_sys::Reflect::get(&source, &"value".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        if typed_query.trim().is_empty() {
            // A cleared box resets at once: nothing pending, the empty search now.
            cancel_search(&typed, pending_for_typing.as_ref());
            let _ = on_search.call1(&JsValue::NULL, &"".into());
            return;
        }
        let was_pending = typed.pending();
        *query.borrow_mut() = typed_query;
        let _ = typed.call(());
        if !was_pending && typed.pending() {
            notify_pending(pending_for_typing.as_ref(), true);
        }
    });
    let wired = Rc::new(WiredInput {
        search,
        on_pending,
        listener: RefCell::new(Some(listener)),
        held: RefCell::default(),
    });
    *wired.held.borrow_mut() = Some(Rc::clone(&wired));
    Ok(DebouncedInput { wired })
}

fn cancel_search(search: &Debounced<(), (), JsValue>, on_pending: Option<&js_sys::Function>) {
    let was_pending = search.pending();
    search.cancel();
    if was_pending {
        notify_pending(on_pending, false);
    }
}

fn notify_pending(on_pending: Option<&js_sys::Function>, pending: bool) {
    if let Some(on_pending) = on_pending {
        let _ = on_pending.call1(&JsValue::NULL, &pending.into());
    }
}

fn settings(
    function: &str,
    wait: f64,
    leading: bool,
    trailing: bool,
    max_wait: Option<f64>,
) -> Result<Settings, JsValue> {
    Settings::new(wait, leading, trailing, max_wait).map_err(|invalid| {
        let (name, value) = match invalid {
            InvalidSetting::Wait => ("wait", wait),
            InvalidSetting::MaxWait => ("options.maxWait", max_wait.unwrap_or(f64::NAN)),
        };
        coded_error(
            catalog::INVALID_NUMBER,
            &format!(
                "{function}: {name} must be a finite number >= 0, got {}",
                number_text(value)
            ),
        )
    })
}

/// A wait argument: `undefined` means the default; otherwise a number.
fn wait_ms(value: &JsValue, function: &str, name: &str) -> Result<f64, JsValue> {
    if value.is_undefined() {
        return Ok(DEFAULT_WAIT_MS);
    }
    value.as_f64().ok_or_else(|| {
        coded_error(
            catalog::INVALID_ARGUMENT,
            &format!(
                "{function}: {name} must be a number of milliseconds, got {}",
                describe(value)
            ),
        )
    })
}

fn callback(value: &JsValue, function: &str, name: &str) -> Result<js_sys::Function, JsValue> {
    value.dyn_ref::<js_sys::Function>().cloned().ok_or_else(|| {
        coded_error(
            catalog::INVALID_CALLBACK,
            &format!(
                "{function}: {name} must be a function, got {}",
                describe(value)
            ),
        )
    })
}
