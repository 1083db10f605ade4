//! `debounce` in a real browser with real timers: lodash semantics through a
//! callable function, `this` and arguments passing through, flush, cancel,
//! pending, errors, and bad input. Runs in pages and in service workers.

use offline_runtime::debounce::js::debounce;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

use super::{get, json, sleep_ms, thrown_code, wait_until, Recorder};

fn call(debounced: &JsValue, this: &JsValue, args: &[&str]) -> Result<JsValue, JsValue> {
    let args: js_sys::Array = args.iter().map(|a| JsValue::from(*a)).collect();
    debounced
        .unchecked_ref::<js_sys::Function>()
        .apply(this, &args)
}

fn method(debounced: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    let function: js_sys::Function = get(debounced, name).unchecked_into();
    function.call0(debounced)
}

#[wasm_bindgen_test]
async fn trailing_call_gets_the_last_arguments_and_this() {
    let recorder = Recorder::new(None);
    let debounced = debounce(
        recorder.function.clone().into(),
        30.into(),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(debounced.js_typeof(), "function");
    let this = json(r#"{"name": "owner"}"#);
    for query in ["a", "ab", "abc"] {
        call(&debounced, &this, &[query, "extra"]).unwrap();
    }
    assert_eq!(recorder.count(), 0, "nothing during the burst");
    assert!(method(&debounced, "pending").unwrap().as_bool().unwrap());
    wait_until(|| recorder.count() >= 1).await;
    assert_eq!(recorder.firsts(), vec!["abc"]);
    let calls = recorder.calls.borrow();
    assert!(
        js_sys::Object::is(&calls[0].0, &this),
        "`this` passes through"
    );
    assert_eq!(calls[0].1.len(), 2, "every argument passes through");
    assert!(!method(&debounced, "pending").unwrap().as_bool().unwrap());
}

#[wasm_bindgen_test]
async fn leading_and_trailing_fire_once_for_one_call() {
    let recorder = Recorder::new(None);
    let options = json(r#"{"leading": true, "trailing": true}"#);
    let debounced = debounce(recorder.function.clone().into(), 20.into(), options).unwrap();
    let result = call(&debounced, &JsValue::NULL, &["only"]).unwrap();
    assert_eq!(
        result.as_string().as_deref(),
        Some("only"),
        "leading call returns its result"
    );
    sleep_ms(80).await;
    assert_eq!(recorder.firsts(), vec!["only"]);
}

#[wasm_bindgen_test]
async fn flush_runs_now_and_returns_the_result_cancel_drops() {
    let recorder = Recorder::new(None);
    let debounced = debounce(
        recorder.function.clone().into(),
        10_000.into(),
        JsValue::UNDEFINED,
    )
    .unwrap();
    call(&debounced, &JsValue::NULL, &["first"]).unwrap();
    let flushed = method(&debounced, "flush").unwrap();
    assert_eq!(flushed.as_string().as_deref(), Some("first"));
    assert_eq!(recorder.firsts(), vec!["first"]);
    // A later call returns the last result while its own call waits.
    let returned = call(&debounced, &JsValue::NULL, &["second"]).unwrap();
    assert_eq!(returned.as_string().as_deref(), Some("first"));
    method(&debounced, "cancel").unwrap();
    assert!(!method(&debounced, "pending").unwrap().as_bool().unwrap());
    assert_eq!(
        method(&debounced, "flush").unwrap().as_string().as_deref(),
        Some("first")
    );
    assert_eq!(recorder.count(), 1, "the cancelled call never ran");
}

#[wasm_bindgen_test]
async fn max_wait_forces_a_call_during_a_steady_stream() {
    let recorder = Recorder::new(None);
    let options = json(r#"{"maxWait": 60}"#);
    let debounced = debounce(recorder.function.clone().into(), 50.into(), options).unwrap();
    for i in 0..30 {
        call(&debounced, &JsValue::NULL, &[&i.to_string()]).unwrap();
        sleep_ms(10).await;
    }
    assert!(recorder.count() >= 1, "maxWait fired during the stream");
    wait_until(|| recorder.firsts().last().map(String::as_str) == Some("29")).await;
    assert_eq!(recorder.firsts().last().map(String::as_str), Some("29"));
}

#[wasm_bindgen_test]
async fn errors_reach_flush_callers_and_on_error_and_the_debouncer_survives() {
    let recorder = Recorder::new(Some("boom"));
    let debounced = debounce(
        recorder.function.clone().into(),
        10_000.into(),
        JsValue::UNDEFINED,
    )
    .unwrap();
    call(&debounced, &JsValue::NULL, &["boom"]).unwrap();
    let error = method(&debounced, "flush").unwrap_err();
    assert_eq!(get(&error, "message").as_string().as_deref(), Some("boom"));
    call(&debounced, &JsValue::NULL, &["fine"]).unwrap();
    assert_eq!(
        method(&debounced, "flush").unwrap().as_string().as_deref(),
        Some("fine")
    );

    // A timer-fired failure goes to onError.
    let errors = Recorder::new(None);
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"onError".into(), &errors.function).unwrap();
    let debounced = debounce(recorder.function.clone().into(), 10.into(), options.into()).unwrap();
    call(&debounced, &JsValue::NULL, &["boom"]).unwrap();
    wait_until(|| errors.count() >= 1).await;
    assert_eq!(errors.count(), 1);
    call(&debounced, &JsValue::NULL, &["after"]).unwrap();
    wait_until(|| recorder.firsts().last().map(String::as_str) == Some("after")).await;
    assert_eq!(recorder.firsts().last().map(String::as_str), Some("after"));
}

#[wasm_bindgen_test]
async fn a_callback_may_call_the_debounced_function_again() {
    let inner = Recorder::new(None);
    let debounced = debounce(
        inner.function.clone().into(),
        10.into(),
        json(r#"{"leading": true}"#),
    )
    .unwrap();
    // Re-entrant use: the callback itself calls the debounced function.
    let again = debounced.clone();
    let reentrant =
        Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(move |q: JsValue| {
            again
                .unchecked_ref::<js_sys::Function>()
                .call1(&JsValue::NULL, &q)
        })
        .into_js_value();
    let outer = debounce(reentrant, 10.into(), json(r#"{"leading": true}"#)).unwrap();
    call(&outer, &JsValue::NULL, &["x"]).unwrap();
    wait_until(|| inner.count() >= 1).await;
    assert_eq!(inner.firsts(), vec!["x"]);
}

#[wasm_bindgen_test]
fn bad_input_throws_coded_errors() {
    let f: JsValue = Recorder::new(None).function.into();
    let none = JsValue::UNDEFINED;
    assert_eq!(
        thrown_code(debounce(JsValue::NULL, none.clone(), none.clone())),
        "E2107"
    );
    assert_eq!(
        thrown_code(debounce("search".into(), none.clone(), none.clone())),
        "E2107"
    );
    assert_eq!(
        thrown_code(debounce(f.clone(), (-1).into(), none.clone())),
        "E2109"
    );
    assert_eq!(
        thrown_code(debounce(f.clone(), f64::NAN.into(), none.clone())),
        "E2109"
    );
    assert_eq!(
        thrown_code(debounce(f.clone(), f64::INFINITY.into(), none.clone())),
        "E2109"
    );
    assert_eq!(
        thrown_code(debounce(f.clone(), "300".into(), none.clone())),
        "E2100"
    );
    assert_eq!(
        thrown_code(debounce(f.clone(), 10.into(), json(r#"{"maxWait": -1}"#))),
        "E2109"
    );
    assert_eq!(
        thrown_code(debounce(f.clone(), 10.into(), json(r#"{"maxWait": "5"}"#))),
        "E2101"
    );
    assert_eq!(
        thrown_code(debounce(
            f.clone(),
            10.into(),
            json(r#"{"trailng": false}"#)
        )),
        "E2101"
    );
    assert_eq!(
        thrown_code(debounce(f.clone(), 10.into(), 5.into())),
        "E2101"
    );
    assert_eq!(
        thrown_code(debounce(f.clone(), 10.into(), json(r#"{"onError": 1}"#))),
        "E2107"
    );
    // The default wait is 300 ms and zero is allowed.
    assert!(debounce(f.clone(), none.clone(), none.clone()).is_ok());
    assert!(debounce(f, 0.into(), none).is_ok());
}
