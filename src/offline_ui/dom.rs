//! `showOfflineBanner` and `disableWhileOffline`: page shells over an
//! `OnlineStatus` (or anything with `online` and `subscribe(callback)`).
//! Text only, never HTML; the banner reuses `showError`'s classes so the
//! shipped stylesheet applies. Each keeps working until `dispose()`,
//! whether or not the app keeps the handle.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions, EventListenerPhase};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use super::banner::{Banner, BannerInput};
use crate::errors::catalog;
use crate::errors::format::quoted;
use crate::interop::{coded_error, describe, JsOptions};

pub const DEFAULT_TITLE: &str = "Offline Mode";
pub const DEFAULT_MESSAGE: &str =
    "You're offline. You can keep browsing what you viewed; changes can't be saved until you reconnect.";
pub const DEFAULT_SELECTOR: &str = "[data-offline=\"disable\"]";
pub const DEFAULT_TOOLTIP: &str = "Offline";
/// On `root` while offline (style disabled controls with it).
pub const OFFLINE_CLASS: &str = "ort-offline";
/// Marks elements this helper disabled (and restores on reconnect).
const MARK: &str = "data-ort-offline-disabled";

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** What the offline helpers watch: an OnlineStatus, or anything shaped like one. */
export interface OnlineSource {
  readonly online: boolean;
  subscribe(callback: (state: { online: boolean }) => void): () => void;
}
export interface OfflineBannerOptions {
  /** Default "Offline Mode". */
  title?: string;
  /** Default: you can keep browsing what you viewed; changes can't be saved until you reconnect. */
  message?: string;
  /** A dismiss button (the banner comes back on the next offline period). Default true. */
  dismissible?: boolean;
  /** Also come back, while still offline, on the next navigation (hashchange, popstate). Default false. */
  showOnNavigation?: boolean;
}
export interface DisableWhileOfflineOptions {
  /** Which controls. Default '[data-offline="disable"]'. */
  selector?: string;
  /** Their tooltip while offline. Default "Offline". */
  tooltip?: string;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "OnlineSource")]
    pub type OnlineSource;
    #[wasm_bindgen(typescript_type = "OfflineBannerOptions")]
    pub type OfflineBannerOptions;
    #[wasm_bindgen(typescript_type = "DisableWhileOfflineOptions")]
    pub type DisableWhileOfflineOptions;
}

/// A live helper: `dispose()` unwires it.
#[wasm_bindgen]
pub struct OfflineUi {
    wired: Rc<Wired>,
}

/// The callback `status.subscribe` holds.
type StateListener = Closure<dyn Fn(JsValue)>;

struct Wired {
    element: Option<Element>,
    listeners: RefCell<Vec<EventListener>>,
    unsubscribe: RefCell<Option<js_sys::Function>>,
    on_change: RefCell<Option<StateListener>>,
    /// Until `dispose()`: a dropped handle must not unwire it.
    held: RefCell<Option<Rc<Wired>>>,
    undo: RefCell<Option<Box<dyn Fn()>>>,
}

#[wasm_bindgen]
impl OfflineUi {
    /// The banner's element (`undefined` for `disableWhileOffline`).
    #[wasm_bindgen(getter)]
    pub fn element(&self) -> Option<Element> {
        self.wired.element.clone()
    }

    /// Stops watching, removes the banner, restores disabled controls.
    pub fn dispose(&self) {
        let wired = &self.wired;
        if let Some(unsubscribe) = wired.unsubscribe.borrow_mut().take() {
            let _ = unsubscribe.call0(&JsValue::NULL);
        }
        wired.listeners.borrow_mut().clear();
        if let Some(undo) = wired.undo.borrow_mut().take() {
            undo();
        }
        if let Some(element) = &wired.element {
            element.remove();
        }
        // We may be inside on_change: free it after it returns.
        let on_change = wired.on_change.borrow_mut().take();
        let held = wired.held.borrow_mut().take();
        wasm_bindgen_futures::spawn_local(async move { drop((on_change, held)) });
    }
}

/// `showOfflineBanner(container, status, options)`.
#[wasm_bindgen(js_name = showOfflineBanner)]
pub fn show_offline_banner(
    #[wasm_bindgen(unchecked_param_type = "Element")] container: JsValue,
    status: OnlineSource,
    options: Option<OfflineBannerOptions>,
) -> Result<OfflineUi, JsValue> {
    let function = "showOfflineBanner";
    let (container, status, online, options) = arguments(
        function,
        ("container", container),
        status,
        options.map(JsValue::from),
        &["title", "message", "dismissible", "showOnNavigation"],
    )?;
    let document = container
        .owner_document()
        .ok_or_else(|| no_document(function))?;
    let make = |tag: &str, class: &str, text: Option<&str>| -> Result<Element, JsValue> {
        let node = document.create_element(tag)?;
        node.set_class_name(class);
        node.set_text_content(text);
        Ok(node)
    };
    let root = make(
        "div",
        "ort-error ort-error--banner ort-offline-banner",
        None,
    )?;
    root.set_attribute("role", "status")?;
    root.set_attribute("aria-live", "polite")?;
    let body = make("div", "ort-error__body", None)?;
    let title = options
        .string("title")?
        .unwrap_or_else(|| DEFAULT_TITLE.into());
    let message = options
        .string("message")?
        .unwrap_or_else(|| DEFAULT_MESSAGE.into());
    body.append_child(&make("p", "ort-error__title", Some(&title))?.into())?;
    body.append_child(&make("p", "ort-error__message", Some(&message))?.into())?;
    root.append_child(&body)?;
    let dismiss = if options.bool("dismissible")?.unwrap_or(true) {
        let actions = make("div", "ort-error__actions", None)?;
        let button = make("button", "ort-error__dismiss", Some("\u{d7}"))?;
        button.set_attribute("type", "button")?;
        button.set_attribute("aria-label", "Dismiss")?;
        actions.append_child(&button)?;
        root.append_child(&actions)?;
        Some(button)
    } else {
        None
    };
    container.append_child(&root)?;

    let state = Rc::new(RefCell::new(Banner::new(
        options.bool("showOnNavigation")?.unwrap_or(false),
    )));
    let shown = root.clone();
    let apply = Rc::new(move |input: BannerInput| {
        let visible = state.borrow_mut().on(input);
        shown
            .unchecked_ref::<web_sys::HtmlElement>()
            .set_hidden(!visible);
    });
    apply(BannerInput::Online(online));
    let wired = wire(Some(root), &status, function, {
        let apply = Rc::clone(&apply);
        move |online| apply(BannerInput::Online(online))
    })?;
    let mut listeners = Vec::new();
    if let Some(button) = dismiss {
        let apply = Rc::clone(&apply);
        listeners.push(EventListener::new(&button, "click", move |_| {
            apply(BannerInput::Dismiss)
        }));
    }
    if let Some(window) = web_sys::window() {
        for event in ["hashchange", "popstate"] {
            let apply = Rc::clone(&apply);
            listeners.push(EventListener::new(&window, event, move |_| {
                apply(BannerInput::Navigate)
            }));
        }
    }
    *wired.listeners.borrow_mut() = listeners;
    Ok(OfflineUi { wired })
}

/// `disableWhileOffline(root, status, {selector, tooltip})`: while offline,
/// matching controls under `root` get `aria-disabled`, the tooltip and
/// swallowed clicks and submits (also controls rendered later), and `root`
/// the `ort-offline` class; all restored on reconnect.
#[wasm_bindgen(js_name = disableWhileOffline)]
pub fn disable_while_offline(
    #[wasm_bindgen(unchecked_param_type = "Element")] root: JsValue,
    status: OnlineSource,
    options: Option<DisableWhileOfflineOptions>,
) -> Result<OfflineUi, JsValue> {
    let function = "disableWhileOffline";
    let (root, status, online, options) = arguments(
        function,
        ("root", root),
        status,
        options.map(JsValue::from),
        &["selector", "tooltip"],
    )?;
    let selector = options
        .string("selector")?
        .unwrap_or_else(|| DEFAULT_SELECTOR.into());
    root.query_selector(&selector).map_err(|_| {
        coded_error(
            catalog::INVALID_OPTION,
            &[
                function,
                ": options.selector ",
                &quoted(&selector),
                " is not a CSS selector",
            ]
            .concat(),
        )
    })?;
    let tooltip = options
        .string("tooltip")?
        .unwrap_or_else(|| DEFAULT_TOOLTIP.into());
    let controls = Rc::new(Controls {
        root: root.clone(),
        selector,
        tooltip,
        offline: RefCell::new(false),
        watcher: RefCell::new(None),
    });
    controls.set_offline(!online);
    let wired = wire(None, &status, function, {
        let controls = Rc::clone(&controls);
        move |online| controls.set_offline(!online)
    })?;
    let mut listeners = Vec::new();
    for event in ["click", "submit", "mouseover", "focusin"] {
        let controls = Rc::clone(&controls);
        let options = EventListenerOptions {
            phase: EventListenerPhase::Capture,
            passive: false,
        };
        listeners.push(EventListener::new_with_options(
            &root,
            event,
            options,
            move |event| {
                controls.intercept(event);
            },
        ));
    }
    *wired.listeners.borrow_mut() = listeners;
    *wired.undo.borrow_mut() = Some(Box::new(move || controls.set_offline(false)));
    Ok(OfflineUi { wired })
}

/// The observer that marks controls rendered while offline, and its callback.
type Watcher = (web_sys::MutationObserver, Closure<dyn Fn()>);

struct Controls {
    root: Element,
    selector: String,
    tooltip: String,
    offline: RefCell<bool>,
    /// While offline: marks controls the app renders later (a React re-render).
    watcher: RefCell<Option<Watcher>>,
}

impl Controls {
    fn set_offline(self: &Rc<Self>, offline: bool) {
        *self.offline.borrow_mut() = offline;
        self.watch(offline);
        let classes = self.root.class_list();
        let _ = if offline {
            classes.add_1(OFFLINE_CLASS)
        } else {
            classes.remove_1(OFFLINE_CLASS)
        };
        if offline {
            self.mark_all(&self.selector, true);
        } else {
            self.mark_all(&["[", MARK, "]"].concat(), false);
        }
    }

    fn watch(self: &Rc<Self>, offline: bool) {
        if !offline {
            if let Some((observer, _)) = self.watcher.borrow_mut().take() {
                observer.disconnect();
            }
            return;
        }
        if self.watcher.borrow().is_some() {
            return;
        }
        let weak = Rc::downgrade(self);
        let on_change = Closure::<dyn Fn()>::new(move || {
            if let Some(controls) = weak.upgrade() {
                controls.mark_all(&controls.selector, true);
            }
        });
        let Ok(observer) = web_sys::MutationObserver::new(on_change.as_ref().unchecked_ref())
        else {
            return;
        };
        let options = web_sys::MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        if observer.observe_with_options(&self.root, &options).is_ok() {
            *self.watcher.borrow_mut() = Some((observer, on_change));
        }
    }

    /// Marks (or restores) every control under `root` matching `selector`.
    fn mark_all(&self, selector: &str, offline: bool) {
        let Ok(found) = self.root.query_selector_all(selector) else {
            return;
        };
        for i in 0..found.length() {
            if let Some(control) = found
                .item(i)
                .and_then(|node| node.dyn_into::<Element>().ok())
            {
                self.mark(&control, offline);
            }
        }
    }

    fn mark(&self, control: &Element, offline: bool) {
        if offline {
            if control.has_attribute(MARK) {
                return;
            }
            let title = control.get_attribute("title").unwrap_or_default();
            let _ = control.set_attribute(MARK, &title);
            let _ = control.set_attribute("aria-disabled", "true");
            let _ = control.set_attribute("title", &self.tooltip);
        } else if let Some(title) = control.get_attribute(MARK) {
            let _ = control.remove_attribute(MARK);
            let _ = control.remove_attribute("aria-disabled");
            let _ = if title.is_empty() {
                control.remove_attribute("title")
            } else {
                control.set_attribute("title", &title)
            };
        }
    }

    /// While offline: marks a control the pointer or focus reaches (it may
    /// be newer than the last change) and swallows its clicks and submits.
    fn intercept(&self, event: &web_sys::Event) {
        if !*self.offline.borrow() {
            return;
        }
        let Some(control) = event
            .target()
            .and_then(|target| target.dyn_into::<Element>().ok())
            .and_then(|target| target.closest(&self.selector).ok().flatten())
            .filter(|control| self.root.contains(Some(control)))
        else {
            return;
        };
        self.mark(&control, true);
        if matches!(event.type_().as_str(), "click" | "submit") {
            event.prevent_default();
            event.stop_immediate_propagation();
        }
    }
}

/// Subscribes `on_online` to `status` and holds the wiring until dispose().
fn wire(
    element: Option<Element>,
    status: &JsValue,
    function: &str,
    on_online: impl Fn(bool) + 'static,
) -> Result<Rc<Wired>, JsValue> {
    let subscribe = js_sys::Reflect::get(status, &"subscribe".into())
        .ok()
        .and_then(|subscribe| subscribe.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| not_a_status(function, status))?;
    let on_change = Closure::<dyn Fn(JsValue)>::new(move |state: JsValue| {
        if let Some(online) = js_sys::Reflect::get(&state, &"online".into())
            .ok()
            .and_then(|o| o.as_bool())
        {
            on_online(online);
        }
    });
    let unsubscribe = subscribe
        .call1(status, on_change.as_ref())?
        .dyn_into::<js_sys::Function>()
        .ok();
    let wired = Rc::new(Wired {
        element,
        listeners: RefCell::default(),
        unsubscribe: RefCell::new(unsubscribe),
        on_change: RefCell::new(Some(on_change)),
        held: RefCell::default(),
        undo: RefCell::default(),
    });
    *wired.held.borrow_mut() = Some(Rc::clone(&wired));
    Ok(wired)
}

/// Both helpers' arguments, checked: the element, the status and whether it
/// is online now, and the options (only `known` keys).
fn arguments(
    function: &'static str,
    (name, target): (&str, JsValue),
    status: OnlineSource,
    options: Option<JsValue>,
    known: &[&str],
) -> Result<(Element, JsValue, bool, JsOptions<'static>), JsValue> {
    let target = element(target, function, name)?;
    let status: JsValue = status.into();
    let online = online_of(&status, function)?;
    let options = JsOptions::read(&options.unwrap_or_default(), function, known)?;
    Ok((target, status, online, options))
}

fn online_of(status: &JsValue, function: &str) -> Result<bool, JsValue> {
    js_sys::Reflect::get(status, &"online".into())
        .ok()
        .and_then(|online| online.as_bool())
        .ok_or_else(|| not_a_status(function, status))
}

fn not_a_status(function: &str, status: &JsValue) -> JsValue {
    coded_error(
        catalog::INVALID_ARGUMENT,
        &format!(
            "{function}: status must be an OnlineStatus (online and subscribe), got {}",
            describe(status)
        ),
    )
}

fn element(value: JsValue, function: &str, name: &str) -> Result<Element, JsValue> {
    value.dyn_into::<Element>().map_err(|value| {
        coded_error(
            catalog::INVALID_ARGUMENT,
            &format!(
                "{function}: {name} must be a DOM Element, got {}",
                describe(&value)
            ),
        )
    })
}

fn no_document(function: &str) -> JsValue {
    coded_error(
        catalog::NO_DOCUMENT,
        &format!("{function}: there is no document here (a worker?); call it from a page"),
    )
}
