//! `debounceInput` on a real `<input>` with real events and timers. Page only.

use offline_runtime::debounce::js::{debounce_input, DebouncedInput};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlInputElement;

use crate::browser::{json, sleep_ms, thrown_code, wait_until, Recorder};

fn input() -> HtmlInputElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let input: HtmlInputElement = document.create_element("input").unwrap().unchecked_into();
    document.body().unwrap().append_child(&input).unwrap();
    input
}

fn type_text(input: &HtmlInputElement, value: &str) {
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn options(wait: u32, on_pending: &js_sys::Function) -> JsValue {
    let options = json(&format!(r#"{{"wait": {wait}}}"#));
    js_sys::Reflect::set(&options, &"onPending".into(), on_pending).unwrap();
    options
}

/// The `onPending` values seen, in order.
fn signals(pending: &Recorder) -> Vec<bool> {
    pending
        .calls
        .borrow()
        .iter()
        .map(|(_, a)| a[0].as_bool().unwrap())
        .collect()
}

/// A fresh input wired with recorders for searches and pending signals.
fn wired_search(wait: u32) -> (HtmlInputElement, Recorder, Recorder, DebouncedInput) {
    let field = input();
    let searches = Recorder::new(None);
    let pending = Recorder::new(None);
    let wired = debounce_input(
        field.clone().into(),
        searches.function.clone().into(),
        options(wait, &pending.function),
    )
    .unwrap();
    (field, searches, pending, wired)
}

#[wasm_bindgen_test]
async fn typing_fast_searches_once_after_the_pause_with_a_pending_signal() {
    let (field, searches, pending, _wired) = wired_search(40);
    for text in ["a", "ac", "acm", "acme"] {
        type_text(&field, text);
    }
    assert_eq!(searches.count(), 0, "no search while typing");
    assert_eq!(signals(&pending), vec![true]);
    wait_until(|| searches.count() >= 1).await;
    assert_eq!(searches.firsts(), vec!["acme"]);
    assert_eq!(signals(&pending), vec![true, false]);
}

#[wasm_bindgen_test]
async fn clearing_the_box_fires_at_once_and_cancels_the_pending_search() {
    let (field, searches, pending, wired) = wired_search(40);
    type_text(&field, "acme");
    assert!(wired.pending());
    type_text(&field, "");
    assert_eq!(searches.firsts(), vec![""], "the empty search ran at once");
    assert!(!wired.pending());
    sleep_ms(120).await;
    assert_eq!(searches.firsts(), vec![""], "the typed search was dropped");
    let last_signal = pending.calls.borrow().last().unwrap().1[0].as_bool();
    assert_eq!(last_signal, Some(false));
}

#[wasm_bindgen_test]
async fn dispose_stops_listening() {
    let field = input();
    let searches = Recorder::new(None);
    let wired = debounce_input(
        field.clone().into(),
        searches.function.clone().into(),
        json(r#"{"wait": 20}"#),
    )
    .unwrap();
    type_text(&field, "a");
    wired.dispose();
    type_text(&field, "ab");
    sleep_ms(100).await;
    assert_eq!(searches.count(), 0);
}

#[wasm_bindgen_test]
async fn a_wired_box_keeps_searching_after_the_app_drops_the_handle() {
    let field = input();
    let searches = Recorder::new(None);
    // lodash-style code never keeps the returned object.
    drop(JsValue::from(
        debounce_input(
            field.clone().into(),
            searches.function.clone().into(),
            json(r#"{"wait": 20}"#),
        )
        .unwrap(),
    ));
    crate::browser::collect_garbage().await;
    type_text(&field, "acme");
    wait_until(|| searches.count() >= 1).await;
    assert_eq!(searches.firsts(), vec!["acme"]);
}

#[wasm_bindgen_test]
fn bad_input_throws_coded_errors() {
    let field = input();
    let f: JsValue = Recorder::new(None).function.into();
    assert_eq!(
        thrown_code(debounce_input(JsValue::NULL, f.clone(), JsValue::UNDEFINED)),
        "E2100"
    );
    let div = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .create_element("div")
        .unwrap();
    assert_eq!(
        thrown_code(debounce_input(div.into(), f.clone(), JsValue::UNDEFINED)),
        "E2100"
    );
    assert_eq!(
        thrown_code(debounce_input(
            field.clone().into(),
            JsValue::NULL,
            JsValue::UNDEFINED
        )),
        "E2107"
    );
    assert_eq!(
        thrown_code(debounce_input(
            field.clone().into(),
            f.clone(),
            json(r#"{"wait": -3}"#)
        )),
        "E2109"
    );
    assert_eq!(
        thrown_code(debounce_input(
            field.into(),
            f,
            json(r#"{"onPending": true}"#)
        )),
        "E2107"
    );
}
