//! `showError`: renders a coded error as an accessible banner, toast or
//! dialog. Every string is set as text, never parsed as HTML. The element keeps
//! itself (and its listeners) alive until dismissed, so callers may drop the
//! returned handle. Styling lives in `offline-runtime.css` (classes `ort-error*`).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlElement};

use super::catalog::{self, ErrorEntry};
use super::format::{display_text, format_message, Context, DisplayText};
use super::js::{entry_from, read_context, ErrorLike, CONTEXT_FIELDS};
use crate::interop::{coded_error, describe, JsOptions};

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
    shown: Rc<Shown>,
}

#[wasm_bindgen]
impl ErrorDisplay {
    /// The root element (`.ort-error`).
    #[wasm_bindgen(getter)]
    pub fn element(&self) -> Element {
        self.shown.root.clone()
    }

    /// True once dismissed (by the user, a timer, Retry or `dismiss()`).
    #[wasm_bindgen(getter)]
    pub fn dismissed(&self) -> bool {
        self.shown.live.borrow().is_none()
    }

    /// Removes the display now.
    pub fn dismiss(&self) {
        self.shown.dismiss();
    }
}

/// What a display holds until it is dismissed.
struct Live {
    on_click: Closure<dyn FnMut(Event)>,
    on_close: Option<Closure<dyn FnMut(Event)>>,
    timer: Option<(i32, Closure<dyn FnMut()>)>,
    /// The display owns itself while live, so a dropped handle does not end it.
    _keep_alive: Rc<Shown>,
}

struct Shown {
    root: Element,
    on_retry: Option<js_sys::Function>,
    on_dismiss: Option<js_sys::Function>,
    live: RefCell<Option<Live>>,
}

impl Shown {
    fn dismiss(&self) {
        let Some(live) = self.live.borrow_mut().take() else {
            return;
        };
        let _ = self
            .root
            .remove_event_listener_with_callback("click", live.on_click.as_ref().unchecked_ref());
        if let Some(on_close) = &live.on_close {
            let _ = self
                .root
                .remove_event_listener_with_callback("close", on_close.as_ref().unchecked_ref());
        }
        if let (Some((id, _)), Some(window)) = (&live.timer, web_sys::window()) {
            window.clear_timeout_with_handle(*id);
        }
        if let Some(dialog) = self.root.dyn_ref::<web_sys::HtmlDialogElement>() {
            dialog.close();
        }
        self.root.remove();
        if let Some(on_dismiss) = &self.on_dismiss {
            let _ = on_dismiss.call0(&JsValue::NULL);
        }
        // We may be running inside one of `live`'s closures: free them after it returns.
        wasm_bindgen_futures::spawn_local(async move { drop(live) });
    }

    fn on_click(&self, event: &Event) {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        if target.closest(".ort-error__retry").ok().flatten().is_some() {
            self.dismiss();
            if let Some(on_retry) = &self.on_retry {
                let _ = on_retry.call0(&JsValue::NULL);
            }
        } else if target
            .closest(".ort-error__dismiss")
            .ok()
            .flatten()
            .is_some()
        {
            self.dismiss();
        }
    }
}

/// `showError(container, info, options)`: renders `info` inside `container`.
#[wasm_bindgen(js_name = showError)]
pub fn show_error(
    #[wasm_bindgen(unchecked_param_type = "Element")] container: JsValue,
    info: ErrorLike,
    options: Option<ShowErrorOptions>,
) -> Result<ErrorDisplay, JsValue> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| {
            coded_error(
                catalog::NO_DOCUMENT,
                "showError: there is no document here (a worker?); call it from a page",
            )
        })?;
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
    let root = render(
        &document,
        entry,
        &text,
        &options.context,
        options.kind,
        options.on_retry.is_some(),
    )?;
    let parent = if options.kind == Kind::Toast {
        toast_region(&document, &container)?
    } else {
        container
    };
    parent.append_child(&root)?;

    let shown = Rc::new(Shown {
        root: root.clone(),
        on_retry: options.on_retry.clone(),
        on_dismiss: options.on_dismiss.clone(),
        live: RefCell::new(None),
    });
    let live = start_listening(&shown, &options)?;
    *shown.live.borrow_mut() = Some(live);

    if let Some(dialog) = root.dyn_ref::<web_sys::HtmlDialogElement>() {
        // A modal needs a connected element; a detached container gets a plain open dialog.
        if dialog.is_connected() {
            dialog.show_modal()?;
        } else {
            dialog.set_open(true);
        }
    }
    focus_first_button(&root, options.kind);
    if options.report {
        let shown_info = if info.is_object() {
            info.clone()
        } else {
            crate::errors::js::error_info_of(entry)
        };
        crate::errors::js::notify_observer("shown", &shown_info, &JsValue::UNDEFINED);
    }
    Ok(ErrorDisplay { shown })
}

fn start_listening(shown: &Rc<Shown>, options: &Options) -> Result<Live, JsValue> {
    let weak = Rc::downgrade(shown);
    let on_click = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        if let Some(shown) = weak.upgrade() {
            shown.on_click(&event);
        }
    });
    shown
        .root
        .add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;

    // Escape closes a modal dialog natively; follow it so the display is dismissed too.
    let on_close = (options.kind == Kind::Dialog)
        .then(|| {
            let weak = Rc::downgrade(shown);
            let on_close = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
                if let Some(shown) = weak.upgrade() {
                    shown.dismiss();
                }
            });
            shown
                .root
                .add_event_listener_with_callback("close", on_close.as_ref().unchecked_ref())
                .map(|()| on_close)
        })
        .transpose()?;

    let default_ms = if options.kind == Kind::Toast {
        TOAST_AUTO_DISMISS_MS
    } else {
        0.0
    };
    let auto_dismiss_ms = options.auto_dismiss_ms.unwrap_or(default_ms);
    let timer = match web_sys::window() {
        Some(window) if auto_dismiss_ms > 0.0 => {
            let ms = auto_dismiss_ms;
            let weak = Rc::downgrade(shown);
            let on_timeout = Closure::<dyn FnMut()>::new(move || {
                if let Some(shown) = weak.upgrade() {
                    shown.dismiss();
                }
            });
            let id = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                on_timeout.as_ref().unchecked_ref(),
                ms.min(f64::from(i32::MAX)) as i32,
            )?;
            Some((id, on_timeout))
        }
        _ => None,
    };
    Ok(Live {
        on_click,
        on_close,
        timer,
        _keep_alive: Rc::clone(shown),
    })
}

fn render(
    document: &Document,
    entry: &ErrorEntry,
    text: &DisplayText,
    context: &Context,
    kind: Kind,
    with_retry: bool,
) -> Result<Element, JsValue> {
    let (tag, kind_class, role) = match kind {
        Kind::Banner => ("div", "ort-error--banner", "alert"),
        Kind::Toast => ("div", "ort-error--toast", "status"),
        Kind::Dialog => ("dialog", "ort-error--dialog", "alertdialog"),
    };
    let root = document.create_element(tag)?;
    root.set_class_name(&format!("ort-error {kind_class}"));
    root.set_attribute("role", role)?;
    root.set_attribute("data-code", entry.code)?;
    if kind == Kind::Toast {
        root.set_attribute("aria-live", "polite")?;
    }

    let title_id = format!("ort-error-title-{}", next_id());
    let has_action = context
        .action
        .as_deref()
        .is_some_and(|a| !a.trim().is_empty());
    let headline = if has_action {
        format_message(entry, context)
    } else {
        format!("{} ({})", entry.title, entry.code)
    };
    let body = child(document, &root, "div", "ort-error__body", None)?;
    let title = child(document, &body, "p", "ort-error__title", Some(&headline))?;
    title.set_id(&title_id);
    child(
        document,
        &body,
        "p",
        "ort-error__message",
        Some(text.message),
    )?;
    if let Some(detail) = text.detail {
        child(document, &body, "p", "ort-error__detail", Some(detail))?;
    }
    root.set_attribute("aria-labelledby", &title_id)?;

    let actions = child(document, &root, "div", "ort-error__actions", None)?;
    if with_retry {
        let retry = child(
            document,
            &actions,
            "button",
            "ort-error__retry",
            Some("Retry"),
        )?;
        retry.set_attribute("type", "button")?;
    }
    let dismiss = child(
        document,
        &actions,
        "button",
        "ort-error__dismiss",
        Some("\u{d7}"),
    )?;
    dismiss.set_attribute("type", "button")?;
    dismiss.set_attribute("aria-label", "Dismiss")?;
    dismiss.set_attribute("title", "Dismiss")?;
    Ok(root)
}

/// Toasts stack in one region per container (`.ort-toasts`), created on first use.
fn toast_region(document: &Document, container: &Element) -> Result<Element, JsValue> {
    if let Some(region) = container.query_selector(":scope > .ort-toasts")? {
        return Ok(region);
    }
    let region = child(document, container, "div", "ort-toasts", None)?;
    Ok(region)
}

fn child(
    document: &Document,
    parent: &Element,
    tag: &str,
    class: &str,
    text: Option<&str>,
) -> Result<Element, JsValue> {
    let element = document.create_element(tag)?;
    element.set_class_name(class);
    // Text only: a message holding markup shows the markup literally.
    element.set_text_content(text);
    parent.append_child(&element)?;
    Ok(element)
}

/// Retry gets focus (it is what the user most likely wants); banners and
/// toasts do not steal focus unless they offer Retry, dialogs always take it.
fn focus_first_button(root: &Element, kind: Kind) {
    let selector = if kind == Kind::Dialog {
        ".ort-error__retry, .ort-error__dismiss"
    } else {
        ".ort-error__retry"
    };
    if let Some(button) = root
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|b| b.dyn_into::<HtmlElement>().ok())
    {
        let _ = button.focus();
    }
}

fn next_id() -> u32 {
    thread_local!(static NEXT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) });
    NEXT.with(|next| {
        let id = next.get().wrapping_add(1);
        next.set(id);
        id
    })
}
