//! `OnlineStatus` in a real browser: global events, a real probe against the
//! test server (reachable) and a refused port (unreachable), tabs talking
//! over BroadcastChannel, dispose, bad input. Runs in pages and service workers.

use offline_runtime::online::js::OnlineStatus;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use super::{arg, get, json, sleep_ms, thrown_code, Recorder};

const UNREACHABLE: &str = "http://127.0.0.1:9/health";

fn dispatch(event: &str) {
    let global: web_sys::EventTarget = js_sys::global().unchecked_into();
    global
        .dispatch_event(&web_sys::Event::new(event).unwrap())
        .unwrap();
}

fn status(options: &str) -> OnlineStatus {
    OnlineStatus::new(Some(arg(json(options)))).unwrap()
}

fn reachable_url() -> String {
    let location = get(&js_sys::global(), "location");
    format!("{}/", get(&location, "origin").as_string().unwrap())
}

/// The `online` flags the subscriber saw, in order.
fn seen(recorder: &Recorder) -> Vec<bool> {
    recorder
        .calls
        .borrow()
        .iter()
        .map(|(_, args)| get(&args[0], "online").as_bool().unwrap())
        .collect()
}

async fn check_now(status: &OnlineStatus) -> bool {
    let promise: js_sys::Promise = JsValue::from(status.check_now()).unchecked_into();
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .unwrap()
        .as_bool()
        .unwrap()
}

#[wasm_bindgen_test]
async fn without_a_probe_events_decide_and_reconnect_fires_once() {
    let net = status(r#"{"channelName": "t-events"}"#);
    assert!(net.online(), "headless browsers start online");
    let changes = Recorder::new(None);
    let reconnects = Recorder::new(None);
    let _unsubscribe = net.subscribe(arg(changes.function.clone())).unwrap();
    net.on_reconnect(arg(reconnects.function.clone())).unwrap();
    dispatch("offline");
    assert!(!net.online());
    assert!(net.last_online_at().is_some());
    dispatch("online");
    assert!(net.online());
    dispatch("online");
    assert_eq!(seen(&changes), vec![false, true]);
    assert_eq!(reconnects.count(), 1);
    net.dispose();
}

#[wasm_bindgen_test]
async fn subscribers_keep_hearing_after_the_app_drops_the_handle() {
    let changes = Recorder::new(None);
    let net = status(r#"{"channelName": "t-dropped"}"#);
    net.subscribe(arg(changes.function.clone())).unwrap();
    // Into the app's JavaScript object for it, which nothing then holds.
    drop(JsValue::from(net));
    super::collect_garbage().await;
    dispatch("offline");
    dispatch("online");
    assert_eq!(
        seen(&changes),
        vec![false, true],
        "still wired after a collection"
    );
}

#[wasm_bindgen_test]
async fn unsubscribe_stops_notifications() {
    let net = status(r#"{"channelName": "t-unsub"}"#);
    let changes = Recorder::new(None);
    let unsubscribe: js_sys::Function =
        JsValue::from(net.subscribe(arg(changes.function.clone())).unwrap()).unchecked_into();
    unsubscribe.call0(&JsValue::NULL).unwrap();
    dispatch("offline");
    dispatch("online");
    assert_eq!(changes.count(), 0);
    net.dispose();
}

#[wasm_bindgen_test]
async fn an_online_event_is_confirmed_by_the_probe_first() {
    let net = status(&format!(
        r#"{{"probeUrl": "{}", "channelName": "t-confirm"}}"#,
        reachable_url()
    ));
    let changes = Recorder::new(None);
    net.subscribe(arg(changes.function.clone())).unwrap();
    dispatch("offline");
    assert!(!net.online());
    dispatch("online");
    assert!(!net.online(), "not online until the probe answers");
    for _ in 0..100 {
        if net.online() {
            break;
        }
        sleep_ms(20).await;
    }
    assert!(net.online(), "the probe reached the test server");
    assert_eq!(seen(&changes), vec![false, true]);
    net.dispose();
}

#[wasm_bindgen_test]
async fn an_unreachable_probe_means_offline_even_when_the_browser_says_online() {
    let net = status(&format!(
        r#"{{"probeUrl": "{UNREACHABLE}", "channelName": "t-portal", "probeTimeoutMs": 2000}}"#
    ));
    assert!(net.online());
    let changes = Recorder::new(None);
    net.subscribe(arg(changes.function.clone())).unwrap();
    assert!(!check_now(&net).await);
    assert!(!net.online());
    assert_eq!(seen(&changes), vec![false]);
    net.dispose();
}

#[wasm_bindgen_test]
async fn tabs_hear_each_others_changes() {
    let prober = status(&format!(
        r#"{{"probeUrl": "{UNREACHABLE}", "channelName": "t-tabs"}}"#
    ));
    let other_tab = status(r#"{"channelName": "t-tabs"}"#);
    let heard = Recorder::new(None);
    other_tab.subscribe(arg(heard.function.clone())).unwrap();
    assert!(!check_now(&prober).await);
    for _ in 0..100 {
        if !other_tab.online() {
            break;
        }
        sleep_ms(10).await;
    }
    assert!(
        !other_tab.online(),
        "the other tab learned it without probing"
    );
    assert_eq!(seen(&heard), vec![false]);
    prober.dispose();
    other_tab.dispose();
}

#[wasm_bindgen_test]
async fn nothing_fires_after_dispose() {
    let net = status(&format!(
        r#"{{"probeUrl": "{UNREACHABLE}", "channelName": "t-dispose", "probeIntervalMs": 10}}"#
    ));
    let changes = Recorder::new(None);
    net.subscribe(arg(changes.function.clone())).unwrap();
    net.dispose();
    dispatch("offline");
    dispatch("online");
    assert!(net.online(), "state frozen after dispose");
    assert!(check_now(&net).await);
    sleep_ms(60).await;
    assert_eq!(changes.count(), 0);
}

#[wasm_bindgen_test]
async fn a_throwing_subscriber_does_not_stop_the_others() {
    let errors = Recorder::new(None);
    let options = json(r#"{"channelName": "t-throw"}"#);
    js_sys::Reflect::set(&options, &"onError".into(), &errors.function).unwrap();
    let net = OnlineStatus::new(Some(arg(options))).unwrap();
    let thrower = js_sys::Function::new_no_args("throw new Error('subscriber bug')");
    let after = Recorder::new(None);
    net.subscribe(arg(thrower)).unwrap();
    net.subscribe(arg(after.function.clone())).unwrap();
    dispatch("offline");
    dispatch("online");
    assert_eq!(after.count(), 2);
    assert_eq!(errors.count(), 2);
    net.dispose();
}

#[wasm_bindgen_test]
fn bad_input_throws_coded_errors() {
    let make = |options: &str| OnlineStatus::new(Some(arg(json(options)))).map(|net| net.dispose());
    assert_eq!(
        thrown_code(make(r#"{"probeUrl": "javascript:alert(1)"}"#)),
        "E2108"
    );
    assert_eq!(
        thrown_code(make(r#"{"probeUrl": "http://[broken"}"#)),
        "E2108"
    );
    assert_eq!(thrown_code(make(r#"{"probeUrl": 5}"#)), "E2101");
    assert_eq!(thrown_code(make(r#"{"probeIntervalMs": -1}"#)), "E2109");
    assert_eq!(thrown_code(make(r#"{"probeTimeoutMs": 0}"#)), "E2109");
    assert_eq!(thrown_code(make(r#"{"maxBackoffMs": "soon"}"#)), "E2101");
    assert_eq!(thrown_code(make(r#"{"probeUrll": "/health"}"#)), "E2101");
    assert_eq!(
        thrown_code(OnlineStatus::new(Some(arg(7))).map(drop)),
        "E2101"
    );
    let net = status(r#"{"channelName": "t-bad"}"#);
    assert_eq!(thrown_code(net.subscribe(arg(5))), "E2107");
    assert_eq!(thrown_code(net.on_reconnect(arg(JsValue::NULL))), "E2107");
    net.dispose();
}
