//! The offline banner and disabled-while-offline controls in a real page,
//! driven by a real `OnlineStatus` and the browser's online/offline events.
//! Page only.

use offline_runtime::offline_ui::dom::{disable_while_offline, show_offline_banner};
use offline_runtime::online::js::OnlineStatus;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Element, HtmlElement};

use crate::browser::{arg, json, thrown_code};

fn dispatch(event: &str) {
    let window = web_sys::window().unwrap();
    window
        .dispatch_event(&web_sys::Event::new(event).unwrap())
        .unwrap();
}

fn container(html: &str) -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let element = document.create_element("div").unwrap();
    element.set_inner_html(html);
    document.body().unwrap().append_child(&element).unwrap();
    element
}

fn status(channel: &str) -> JsValue {
    OnlineStatus::new(Some(arg(json(&format!(
        r#"{{"channelName": "{channel}"}}"#
    )))))
    .unwrap()
    .into()
}

fn hidden(element: &Element) -> bool {
    element.unchecked_ref::<HtmlElement>().hidden()
}

#[wasm_bindgen_test]
fn the_banner_shows_offline_until_dismissed_and_comes_back_next_time() {
    let root = container("");
    let net = status("t-banner");
    let banner = show_offline_banner(
        root.clone().into(),
        arg(net.clone()),
        Some(arg(json(r#"{"title": "<b>Offline Mode</b>"}"#))),
    )
    .unwrap();
    let element = banner.element().unwrap();
    assert_eq!(element.get_attribute("role").as_deref(), Some("status"));
    assert!(hidden(&element), "online: hidden");
    dispatch("offline");
    assert!(!hidden(&element), "offline: shown");
    let title = element
        .query_selector(".ort-error__title")
        .unwrap()
        .unwrap();
    assert_eq!(
        title.text_content().unwrap(),
        "<b>Offline Mode</b>",
        "text, never markup"
    );
    element
        .query_selector(".ort-error__dismiss")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    assert!(hidden(&element), "dismissed");
    dispatch("online");
    assert!(hidden(&element), "gone on reconnect");
    dispatch("offline");
    assert!(!hidden(&element), "back on the next offline period");
    dispatch("online");
    banner.dispose();
    assert!(
        root.query_selector(".ort-offline-banner")
            .unwrap()
            .is_none(),
        "removed on dispose"
    );
    assert_eq!(
        thrown_code(show_offline_banner(
            root.into(),
            arg(JsValue::from(5)),
            None
        )),
        "E2100"
    );
}

#[wasm_bindgen_test]
async fn controls_look_and_act_disabled_while_offline_and_are_restored() {
    let root = container(
        r#"<button id="save" data-offline="disable" title="Save it">Save</button>
           <button id="other">Other</button>"#,
    );
    let clicks = std::rc::Rc::new(std::cell::Cell::new(0));
    let seen = std::rc::Rc::clone(&clicks);
    let on_click = Closure::<dyn Fn()>::new(move || seen.set(seen.get() + 1)).into_js_value();
    let save = root.query_selector("#save").unwrap().unwrap();
    save.add_event_listener_with_callback("click", on_click.unchecked_ref())
        .unwrap();
    let net = status("t-disable");
    let wired = disable_while_offline(root.clone().into(), arg(net), None).unwrap();
    save.unchecked_ref::<HtmlElement>().click();
    assert_eq!(clicks.get(), 1, "online: it works");
    dispatch("offline");
    assert!(root.class_list().contains("ort-offline"));
    assert_eq!(save.get_attribute("aria-disabled").as_deref(), Some("true"));
    assert_eq!(save.get_attribute("title").as_deref(), Some("Offline"));
    save.unchecked_ref::<HtmlElement>().click();
    assert_eq!(clicks.get(), 1, "offline: the click is swallowed");
    // A control rendered after going offline is caught too.
    root.insert_adjacent_html(
        "beforeend",
        r#"<button id="late" data-offline="disable">Late</button>"#,
    )
    .unwrap();
    let late = root.query_selector("#late").unwrap().unwrap();
    late.add_event_listener_with_callback("click", on_click.unchecked_ref())
        .unwrap();
    late.unchecked_ref::<HtmlElement>().click();
    assert_eq!(clicks.get(), 1);
    assert_eq!(late.get_attribute("aria-disabled").as_deref(), Some("true"));
    assert!(root
        .query_selector("#other")
        .unwrap()
        .unwrap()
        .get_attribute("aria-disabled")
        .is_none());
    dispatch("online");
    assert_eq!(
        save.get_attribute("title").as_deref(),
        Some("Save it"),
        "restored"
    );
    assert!(save.get_attribute("aria-disabled").is_none());
    save.unchecked_ref::<HtmlElement>().click();
    assert_eq!(clicks.get(), 2);
    wired.dispose();
}
