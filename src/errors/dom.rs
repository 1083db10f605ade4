//! `showError`: renders a coded error as an accessible banner, toast or
//! dialog. This side checks the arguments and decides what shows: the
//! headline and texts, Retry, how long a toast stays, which button takes
//! focus. `dom.js` builds it (text only, never HTML) and holds its listeners
//! until it is dismissed, so callers may drop the returned handle.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use super::catalog;
use super::format::{display_text, format_message, Context};
use super::input::{describe, JsOptions};
use super::js::{entry_from, read_context, ErrorLike, CONTEXT_FIELDS};
use crate::interop::{coded_error, ObjectBuilder};

/// Toasts dismiss themselves after this long unless `autoDismissMs` says otherwise.
pub const TOAST_AUTO_DISMISS_MS: f64 = 5_000.0;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
export interface ShowErrorOptions {
  /** "banner" (default, role="alert"), "toast" (role="status", auto-dismisses) or "dialog" (modal, stays until dismissed). */
  kind?: "banner" | "toast" | "dialog";
  /** Adds a Retry button; called once when it is pressed, then the display is dismissed. */
  onRetry?: () => void;
  /** Called once when the display goes, however it goes. */
  onDismiss?: () => void;
  /** Milliseconds before it dismisses itself; 0 = never. Default: 5000 for toasts, 0 otherwise. */
  autoDismissMs?: number;
  /** Phrase the headline as "Unable to <action> <subject> (<code>)". */
  action?: string;
  subject?: string;
  /** false: not an error to report (a status toast); `observeErrors` (ErrorReporter) does not hear it. Default true. */
  report?: boolean;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "ShowErrorOptions")]
    pub type ShowErrorOptions;
}

#[wasm_bindgen(module = "/src/errors/dom.js")]
extern "C" {
    /// The display in the DOM, live until dismissed.
    type DisplayShell;

    #[wasm_bindgen(constructor)]
    fn new(
        container: &Element,
        view: &JsValue,
        on_retry: Option<js_sys::Function>,
        on_dismiss: Option<js_sys::Function>,
    ) -> DisplayShell;

    #[wasm_bindgen(method, getter)]
    fn element(this: &DisplayShell) -> Element;

    #[wasm_bindgen(method, getter)]
    fn dismissed(this: &DisplayShell) -> bool;

    #[wasm_bindgen(method)]
    fn dismiss(this: &DisplayShell);
}

#[derive(Default, Clone, Copy, PartialEq)]
enum Kind {
    #[default]
    Banner,
    Toast,
    Dialog,
}

/// `kind` values, in `Kind` order.
const KINDS: [&str; 3] = ["banner", "toast", "dialog"];

struct Options {
    kind: Kind,
    on_retry: Option<js_sys::Function>,
    on_dismiss: Option<js_sys::Function>,
    auto_dismiss_ms: Option<f64>,
    context: Context,
    report: bool,
}

impl Options {
    fn read(value: &JsValue) -> Result<Self, JsValue> {
        let known = [
            &["kind", "onRetry", "onDismiss", "autoDismissMs", "report"][..],
            CONTEXT_FIELDS,
        ]
        .concat();
        let options = JsOptions::read(value, "showError", &known)?;
        Ok(Options {
            kind: match options.choice("kind", &KINDS)? {
                Some(1) => Kind::Toast,
                Some(2) => Kind::Dialog,
                _ => Kind::Banner,
            },
            on_retry: options.function("onRetry")?,
            on_dismiss: options.function("onDismiss")?,
            auto_dismiss_ms: options.number("autoDismissMs", 0.0)?,
            context: read_context(&options)?,
            report: options.bool("report")?.unwrap_or(true),
        })
    }
}

/// A shown error. Dismissing is idempotent.
#[wasm_bindgen]
pub struct ErrorDisplay {
    shell: DisplayShell,
}

#[wasm_bindgen]
impl ErrorDisplay {
    /// The root element (`.ort-error`).
    #[wasm_bindgen(getter)]
    pub fn element(&self) -> Element {
        self.shell.element()
    }

    /// True once dismissed (by the user, a timer, Retry or `dismiss()`).
    #[wasm_bindgen(getter)]
    pub fn dismissed(&self) -> bool {
        self.shell.dismissed()
    }

    /// Removes the display now.
    pub fn dismiss(&self) {
        self.shell.dismiss();
    }
}

/// `showError(container, info, options)`: renders `info` inside `container`.
#[wasm_bindgen(js_name = showError)]
pub fn show_error(
    #[wasm_bindgen(unchecked_param_type = "Element")] container: JsValue,
    info: ErrorLike,
    options: Option<ShowErrorOptions>,
) -> Result<ErrorDisplay, JsValue> {
    if web_sys::window()
        .and_then(|window| window.document())
        .is_none()
    {
        return Err(coded_error(
            catalog::NO_DOCUMENT,
            "showError: there is no document here (a worker?); call it from a page",
        ));
    }
    let container = container.dyn_into::<Element>().map_err(|value| {
        coded_error(
            catalog::INVALID_ARGUMENT,
            &format!(
                "showError: container must be a DOM Element, got {}",
                describe(&value)
            ),
        )
    })?;
    let entry = entry_from(&info, "showError")?;
    let options = Options::read(&options.map(JsValue::from).unwrap_or_default())?;
    let text_field = |key: &str| {
        js_sys::Reflect::get(&info, &key.into())
            .ok()
            .and_then(|value| value.as_string())
    };
    let (message, detail) = if info.is_object() {
        (text_field("userMessage"), text_field("detail"))
    } else {
        (None, None)
    };
    let status = info
        .is_object()
        .then(|| js_sys::Reflect::get(&info, &"status".into()).ok())
        .flatten()
        .and_then(|status| status.as_f64())
        .filter(|status| (100.0..=599.0).contains(status))
        .map(|status| status as u16);
    let text = display_text(entry, message.as_deref(), detail.as_deref(), status);
    let has_action = options
        .context
        .action
        .as_deref()
        .is_some_and(|a| !a.trim().is_empty());
    let headline = if has_action {
        format_message(entry, &options.context)
    } else {
        format!("{} ({})", entry.title, entry.code)
    };
    let default_ms = if options.kind == Kind::Toast {
        TOAST_AUTO_DISMISS_MS
    } else {
        0.0
    };
    let retry = options.on_retry.is_some();
    // Retry gets focus (it is what the user most likely wants); banners and
    // toasts do not steal focus unless they offer Retry, dialogs always take it.
    let focus = match (options.kind, retry) {
        (Kind::Dialog, true) => ".ort-error__retry",
        (Kind::Dialog, false) => ".ort-error__dismiss",
        (_, true) => ".ort-error__retry",
        (_, false) => "",
    };
    let view = ObjectBuilder::new()
        .set("kind", KINDS[options.kind as usize])
        .set("code", entry.code)
        .set("headline", headline)
        .set("message", text.message)
        .set_some("detail", text.detail)
        .set("retry", retry)
        .set("dismissMs", options.auto_dismiss_ms.unwrap_or(default_ms))
        .set("focus", focus)
        .build();
    let shell = DisplayShell::new(&container, &view, options.on_retry, options.on_dismiss);
    if options.report {
        let shown_info = if info.is_object() {
            info.clone()
        } else {
            crate::errors::js::error_info_of(entry)
        };
        crate::errors::js::notify_observer("shown", &shown_info, &JsValue::UNDEFINED);
    }
    Ok(ErrorDisplay { shell })
}
