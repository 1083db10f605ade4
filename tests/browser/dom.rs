//! `showError` in a real page: structure, roles, focus, Retry, dismissal,
//! auto-dismiss, text-only rendering and bad input. Page only (needs a document).

use std::cell::Cell;
use std::rc::Rc;

use offline_runtime::errors::dom::show_error;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Document, Element, HtmlElement};

use crate::browser::{arg, json, sleep_ms, thrown_code};

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

fn fresh_container() -> Element {
    let container = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    container
}

fn counter() -> (Rc<Cell<u32>>, js_sys::Function) {
    let count = Rc::new(Cell::new(0));
    let seen = Rc::clone(&count);
    let callback = Closure::<dyn FnMut()>::new(move || seen.set(seen.get() + 1));
    (count, callback.into_js_value().unchecked_into())
}

fn options_with(kind: &str, on_retry: Option<&js_sys::Function>) -> JsValue {
    let options = json(&format!(
        r#"{{"kind": "{kind}", "action": "save", "subject": "organization"}}"#
    ));
    if let Some(on_retry) = on_retry {
        js_sys::Reflect::set(&options, &"onRetry".into(), on_retry).unwrap();
    }
    options
}

fn click(root: &Element, selector: &str) {
    let button: HtmlElement = root
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
}

#[wasm_bindgen_test]
fn banner_is_an_alert_with_a_focused_retry_that_calls_back_once() {
    let container = fresh_container();
    let (retries, on_retry) = counter();
    let shown = show_error(
        container.clone().into(),
        arg("E2001"),
        Some(arg(options_with("banner", Some(&on_retry)))),
    )
    .unwrap();
    let root = shown.element();
    assert_eq!(root.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(root.get_attribute("data-code").as_deref(), Some("E2001"));
    assert!(root.class_list().contains("ort-error--banner"));
    let title = root.query_selector(".ort-error__title").unwrap().unwrap();
    assert_eq!(
        title.text_content().unwrap(),
        "Unable to save organization (E2001)"
    );
    let labelled_by = root.get_attribute("aria-labelledby").unwrap();
    assert_eq!(title.id(), labelled_by);
    let active = document().active_element().unwrap();
    assert!(
        active.class_list().contains("ort-error__retry"),
        "Retry has focus"
    );
    click(&root, ".ort-error__retry");
    assert_eq!(retries.get(), 1);
    assert!(shown.dismissed());
    assert_eq!(container.child_element_count(), 0, "removed from the DOM");
    shown.dismiss(); // idempotent
    assert_eq!(retries.get(), 1);
}

#[wasm_bindgen_test]
fn dismiss_button_removes_without_retrying_and_calls_on_dismiss() {
    let container = fresh_container();
    let (retries, on_retry) = counter();
    let (dismissals, on_dismiss) = counter();
    let options = options_with("banner", Some(&on_retry));
    js_sys::Reflect::set(&options, &"onDismiss".into(), &on_dismiss).unwrap();
    let shown = show_error(container.clone().into(), arg("E4004"), Some(arg(options))).unwrap();
    let dismiss = shown
        .element()
        .query_selector(".ort-error__dismiss")
        .unwrap()
        .unwrap();
    assert_eq!(
        dismiss.get_attribute("aria-label").as_deref(),
        Some("Dismiss")
    );
    click(&shown.element(), ".ort-error__dismiss");
    assert_eq!((retries.get(), dismissals.get()), (0, 1));
    assert_eq!(container.child_element_count(), 0);
}

#[wasm_bindgen_test]
fn without_on_retry_there_is_no_retry_button() {
    let container = fresh_container();
    let shown = show_error(container.into(), arg("E4004"), None).unwrap();
    assert!(shown
        .element()
        .query_selector(".ort-error__retry")
        .unwrap()
        .is_none());
    assert!(shown
        .element()
        .query_selector(".ort-error__dismiss")
        .unwrap()
        .is_some());
    shown.dismiss();
}

#[wasm_bindgen_test]
async fn toast_is_a_status_that_dismisses_itself() {
    let container = fresh_container();
    let options = json(r#"{"kind": "toast", "autoDismissMs": 30}"#);
    let shown = show_error(container.clone().into(), arg("E4001"), Some(arg(options))).unwrap();
    assert_eq!(
        shown.element().get_attribute("role").as_deref(),
        Some("status")
    );
    assert_eq!(
        shown.element().get_attribute("aria-live").as_deref(),
        Some("polite")
    );
    // Wait on the real timer (behaviour, not timing: generous margin).
    for _ in 0..50 {
        if shown.dismissed() {
            break;
        }
        sleep_ms(20).await;
    }
    assert!(shown.dismissed(), "auto-dismissed");
    assert!(container.query_selector(".ort-error").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn dialog_is_a_modal_alertdialog_that_stays_until_dismissed() {
    let container = fresh_container();
    let shown = show_error(
        container.clone().into(),
        arg("E3002"),
        Some(arg(json(r#"{"kind": "dialog"}"#))),
    )
    .unwrap();
    let root = shown.element();
    assert_eq!(root.tag_name(), "DIALOG");
    assert_eq!(root.get_attribute("role").as_deref(), Some("alertdialog"));
    assert!(root.unchecked_ref::<web_sys::HtmlDialogElement>().open());
    assert!(root.matches(":modal").unwrap_or(true));
    let active = document().active_element().unwrap();
    assert!(
        active.class_list().contains("ort-error__dismiss"),
        "focus moves into the dialog"
    );
    assert!(!shown.dismissed());
    // Escape (the dialog's close event) dismisses it too.
    root.unchecked_ref::<web_sys::HtmlDialogElement>().close();
    // The close event is dispatched as a task: wait for it (behaviour, not timing).
    for _ in 0..100 {
        if shown.dismissed() {
            break;
        }
        sleep_ms(10).await;
    }
    assert!(shown.dismissed());
    assert_eq!(container.child_element_count(), 0);
}

#[wasm_bindgen_test]
fn toasts_stack_in_one_region() {
    let container = fresh_container();
    let toast = || json(r#"{"kind": "toast", "autoDismissMs": 0}"#);
    let first = show_error(container.clone().into(), arg("E4001"), Some(arg(toast()))).unwrap();
    let second = show_error(container.clone().into(), arg("E4002"), Some(arg(toast()))).unwrap();
    let regions = container.query_selector_all(".ort-toasts").unwrap();
    assert_eq!(regions.length(), 1);
    let region: Element = regions.get(0).unwrap().unchecked_into();
    assert_eq!(region.child_element_count(), 2);
    first.dismiss();
    second.dismiss();
    assert_eq!(region.child_element_count(), 0);
}

#[wasm_bindgen_test]
fn messages_are_text_never_html() {
    let container = fresh_container();
    let hostile = "<img src=x onerror=alert(1)>";
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"action".into(), &hostile.into()).unwrap();
    let shown = show_error(container.clone().into(), arg("E2001"), Some(arg(options))).unwrap();
    assert!(
        container.query_selector("img").unwrap().is_none(),
        "no element was parsed"
    );
    let title = shown
        .element()
        .query_selector(".ort-error__title")
        .unwrap()
        .unwrap();
    assert_eq!(
        title.text_content().unwrap(),
        format!("Unable to {hostile} (E2001)")
    );
    shown.dismiss();
}

fn line(shown: &offline_runtime::errors::dom::ErrorDisplay, class: &str) -> Option<String> {
    shown
        .element()
        .query_selector(class)
        .unwrap()
        .map(|element| element.text_content().unwrap())
}

#[wasm_bindgen_test]
async fn the_given_message_and_a_servers_detail_are_shown_as_text() {
    let container = fresh_container();
    // A server's problem, classified: its detail reaches the user, under the catalog message.
    let problem = web_sys::Response::new_with_opt_str_and_init(
        Some(
            r#"{"status": 422, "code": "E2001", "detail": "Organization name is <b>required</b>"}"#,
        ),
        &{
            let init = web_sys::ResponseInit::new();
            init.set_status(422);
            let headers = web_sys::Headers::new().unwrap();
            headers
                .append("Content-Type", "application/problem+json")
                .unwrap();
            init.set_headers(&headers);
            init
        },
    )
    .unwrap();
    let classified = crate::browser::classify_response(problem.into()).await;
    let shown = show_error(container.clone().into(), arg(classified), None).unwrap();
    let catalog_text = offline_runtime::errors::catalog::lookup("E2001")
        .unwrap()
        .user_message;
    assert_eq!(
        line(&shown, ".ort-error__message").as_deref(),
        Some(catalog_text)
    );
    assert_eq!(
        line(&shown, ".ort-error__detail").as_deref(),
        Some("Organization name is <b>required</b>")
    );
    assert!(
        container.query_selector("b").unwrap().is_none(),
        "text, never markup"
    );
    shown.dismiss();
    // An app's own message replaces the catalog's.
    let own = json(r#"{"code": "E5001", "userMessage": "This deal is closed; reopen it first."}"#);
    let shown = show_error(container.clone().into(), arg(own), None).unwrap();
    assert_eq!(
        line(&shown, ".ort-error__message").as_deref(),
        Some("This deal is closed; reopen it first.")
    );
    assert_eq!(line(&shown, ".ort-error__detail"), None);
    shown.dismiss();
    // An exception's message is for developers: not shown.
    let failure = offline_runtime::errors::js::classify_error(
        js_sys::TypeError::new("Failed to fetch").into(),
    );
    let shown = show_error(container.clone().into(), arg(failure), None).unwrap();
    assert_eq!(line(&shown, ".ort-error__detail"), None);
    shown.dismiss();
}

#[wasm_bindgen_test]
fn dropping_the_handle_keeps_the_display_working() {
    let container = fresh_container();
    let (retries, on_retry) = counter();
    drop(
        show_error(
            container.clone().into(),
            arg("E4004"),
            Some(arg(options_with("toast", Some(&on_retry)))),
        )
        .unwrap(),
    );
    let root = container
        .query_selector(".ort-toasts > .ort-error")
        .unwrap()
        .unwrap();
    click(&root, ".ort-error__retry");
    assert_eq!(retries.get(), 1);
    assert!(container.query_selector(".ort-error").unwrap().is_none());
}

#[wasm_bindgen_test]
fn bad_input_throws_coded_errors() {
    let container = fresh_container();
    assert_eq!(
        thrown_code(show_error(JsValue::NULL, arg("E2001"), None)),
        "E2100"
    );
    assert_eq!(
        thrown_code(show_error("#app".into(), arg("E2001"), None)),
        "E2100"
    );
    assert_eq!(
        thrown_code(show_error(
            container.clone().into(),
            arg(JsValue::NULL),
            None
        )),
        "E2100"
    );
    assert_eq!(
        thrown_code(show_error(container.clone().into(), arg("E0000"), None)),
        "E2102"
    );
    let kinds = json(r#"{"kind": "popup"}"#);
    assert_eq!(
        thrown_code(show_error(
            container.clone().into(),
            arg("E2001"),
            Some(arg(kinds))
        )),
        "E2101"
    );
    let retry = json(r#"{"onRetry": "retry()"}"#);
    assert_eq!(
        thrown_code(show_error(
            container.clone().into(),
            arg("E2001"),
            Some(arg(retry))
        )),
        "E2107"
    );
    let negative = json(r#"{"autoDismissMs": -5}"#);
    assert_eq!(
        thrown_code(show_error(
            container.clone().into(),
            arg("E2001"),
            Some(arg(negative))
        )),
        "E2109"
    );
    assert_eq!(
        container.child_element_count(),
        0,
        "nothing rendered on bad input"
    );
}
