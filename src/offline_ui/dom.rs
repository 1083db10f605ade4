//! `showOfflineBanner` and `disableWhileOffline` for JavaScript: checks the
//! arguments, applies the defaults and hands the banner its rule
//! (`banner.rs`); `dom.js` builds and wires the DOM. Each keeps working
//! until `dispose()`, whether or not the app keeps the handle.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use super::banner::{Banner, BannerInput};
use crate::errors::catalog;
use crate::errors::format::quoted;
use crate::errors::input::{describe, JsOptions};
use crate::interop::{coded_error, field, ObjectBuilder};

pub const DEFAULT_TITLE: &str = "Offline Mode";
pub const DEFAULT_MESSAGE: &str =
    "You're offline. You can keep browsing what you viewed; changes can't be saved until you reconnect.";
pub const DEFAULT_SELECTOR: &str = "[data-offline=\"disable\"]";
pub const DEFAULT_TOOLTIP: &str = "Offline";

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

#[wasm_bindgen(module = "/src/offline_ui/dom.js")]
extern "C" {
    /// A banner or a set of disabled controls in the DOM, wired until dispose().
    type HelperShell;

    #[wasm_bindgen(js_class = "BannerShell", constructor)]
    fn banner(
        container: &Element,
        status: &JsValue,
        title: &str,
        message: &str,
        dismissible: bool,
        rules: &JsValue,
    ) -> HelperShell;

    #[wasm_bindgen(js_class = "DisablingShell", constructor)]
    fn disabling(root: &Element, status: &JsValue, selector: &str, tooltip: &str) -> HelperShell;

    #[wasm_bindgen(method, getter)]
    fn element(this: &HelperShell) -> Option<Element>;

    #[wasm_bindgen(method)]
    fn dispose(this: &HelperShell);
}

/// A live helper: `dispose()` unwires it.
#[wasm_bindgen]
pub struct OfflineUi {
    shell: HelperShell,
}

#[wasm_bindgen]
impl OfflineUi {
    /// The banner's element (`undefined` for `disableWhileOffline`).
    #[wasm_bindgen(getter)]
    pub fn element(&self) -> Option<Element> {
        self.shell.element()
    }

    /// Stops watching, removes the banner, restores disabled controls.
    pub fn dispose(&self) {
        self.shell.dispose();
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
    let (container, status, options) = arguments(
        function,
        ("container", container),
        status,
        options.map(JsValue::from),
        &["title", "message", "dismissible", "showOnNavigation"],
    )?;
    if container.owner_document().is_none() {
        return Err(no_document(function));
    }
    let title = options
        .string("title")?
        .unwrap_or_else(|| DEFAULT_TITLE.into());
    let message = options
        .string("message")?
        .unwrap_or_else(|| DEFAULT_MESSAGE.into());
    let dismissible = options.bool("dismissible")?.unwrap_or(true);
    let banner = Rc::new(RefCell::new(Banner::new(
        options.bool("showOnNavigation")?.unwrap_or(false),
    )));
    // Owned by the shell's listeners (the JavaScript GC frees them), so the
    // rule lives exactly as long as the banner's wiring.
    let online = {
        let banner = Rc::clone(&banner);
        Closure::<dyn Fn(bool) -> bool>::new(move |online| {
            banner.borrow_mut().on(BannerInput::Online(online))
        })
    };
    let event = |input: BannerInput| {
        let banner = Rc::clone(&banner);
        Closure::<dyn Fn() -> bool>::new(move || banner.borrow_mut().on(input)).into_js_value()
    };
    let rules = ObjectBuilder::new()
        .set("online", online.into_js_value())
        .set("dismiss", event(BannerInput::Dismiss))
        .set("navigate", event(BannerInput::Navigate))
        .build();
    let shell = HelperShell::banner(&container, &status, &title, &message, dismissible, &rules);
    Ok(OfflineUi { shell })
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
    let (root, status, options) = arguments(
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
    let shell = HelperShell::disabling(&root, &status, &selector, &tooltip);
    Ok(OfflineUi { shell })
}

/// Both helpers' arguments, checked: the element, the status (its `online`
/// a boolean, its `subscribe` a function), and the options (only `known` keys).
fn arguments(
    function: &'static str,
    (name, target): (&str, JsValue),
    status: OnlineSource,
    options: Option<JsValue>,
    known: &[&str],
) -> Result<(Element, JsValue, JsOptions<'static>), JsValue> {
    let target = element(target, function, name)?;
    let status: JsValue = status.into();
    if field(&status, "online").as_bool().is_none() || !field(&status, "subscribe").is_function() {
        return Err(not_a_status(function, &status));
    }
    let options = JsOptions::read(&options.unwrap_or_default(), function, known)?;
    Ok((target, status, options))
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
