//! `OnlineStatus` pauses probing while the page is hidden. Page only.

use offline_runtime::online::js::OnlineStatus;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::browser::{arg, get, json, sleep_ms};

/// Makes `document.hidden` report `hidden` and tells listeners.
fn set_hidden(hidden: bool) {
    let document = web_sys::window().unwrap().document().unwrap();
    let descriptor = json(r#"{"configurable": true}"#);
    let getter = js_sys::Function::new_no_args(&format!("return {hidden};"));
    js_sys::Reflect::set(&descriptor, &"get".into(), &getter).unwrap();
    js_sys::Object::define_property(&document, &"hidden".into(), descriptor.unchecked_ref());
    document
        .dispatch_event(&web_sys::Event::new("visibilitychange").unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn probing_pauses_while_hidden_and_resumes_when_visible() {
    let origin = get(&get(&js_sys::global(), "location"), "origin")
        .as_string()
        .unwrap();
    let options =
        format!(r#"{{"probeUrl": "{origin}/", "probeIntervalMs": 10, "channelName": "t-hidden"}}"#);
    let net = OnlineStatus::new(Some(arg(json(&options)))).unwrap();
    let global: web_sys::EventTarget = js_sys::global().unchecked_into();
    global
        .dispatch_event(&web_sys::Event::new("offline").unwrap())
        .unwrap();
    set_hidden(true);
    sleep_ms(150).await;
    assert!(
        !net.online(),
        "no probe ran while hidden (it would have reached the server)"
    );
    set_hidden(false);
    for _ in 0..100 {
        if net.online() {
            break;
        }
        sleep_ms(10).await;
    }
    assert!(
        net.online(),
        "visible again: probed at once and found the server"
    );
    net.dispose();
    // Restore the real getter for later tests.
    let document = web_sys::window().unwrap().document().unwrap();
    js_sys::Reflect::delete_property(document.unchecked_ref::<js_sys::Object>(), &"hidden".into())
        .unwrap();
}
