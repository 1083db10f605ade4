//! Browser test suites shared by the page (`tests/web.rs`) and service worker
//! (`tests/worker.rs`) test binaries, plus small helpers.

pub mod debounce;
pub mod errors;
pub mod freshness;
pub mod online;
pub mod store;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// `object[key]`, or `undefined`.
pub fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &key.into()).unwrap_or_default()
}

/// `object[key]` as a string, for assertions.
pub fn text(object: &JsValue, key: &str) -> String {
    get(object, key)
        .as_string()
        .unwrap_or_else(|| format!("<{:?}>", get(object, key)))
}

/// The catalog code of a thrown error (`error.code`), or a description of what was thrown.
pub fn thrown_code<T>(result: Result<T, JsValue>) -> String {
    match result {
        Ok(_) => "<did not throw>".into(),
        Err(error) => {
            assert!(
                error.is_instance_of::<js_sys::Error>(),
                "threw a non-Error: {error:?}"
            );
            text(&error, "code")
        }
    }
}

/// Parses a JavaScript object literal (test fixtures read better as JSON).
pub fn json(source: &str) -> JsValue {
    js_sys::JSON::parse(source).expect("fixture is valid JSON")
}

/// Casts a value to a wasm-bindgen extern parameter type.
pub fn arg<T: JsCast>(value: impl Into<JsValue>) -> T {
    value.into().unchecked_into()
}

#[wasm_bindgen]
extern "C" {
    /// The global `setTimeout`, in a page or a worker.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: i32) -> JsValue;
}

/// Waits on a real timer (tests assert behaviour after it, never durations).
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms);
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits (on real timers, up to two seconds) until `done()` holds; tests then
/// assert on the state, so a slow machine delays them instead of failing them.
pub async fn wait_until(mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        sleep_ms(10).await;
    }
}

/// A JS function recording each call's arguments (as an array) and `this`;
/// it returns its first argument, or throws it when `throw_on` matches.
pub struct Recorder {
    pub function: js_sys::Function,
    pub calls: std::rc::Rc<std::cell::RefCell<Vec<RecordedCall>>>,
}

/// One recorded call: `this` and the arguments.
pub type RecordedCall = (JsValue, Vec<JsValue>);

impl Recorder {
    pub fn new(throw_on: Option<&'static str>) -> Self {
        let calls = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let seen = std::rc::Rc::clone(&calls);
        let record = Closure::<dyn Fn(JsValue, js_sys::Array) -> Result<JsValue, JsValue>>::new(
            move |this: JsValue, args: js_sys::Array| {
                let first = args.get(0);
                seen.borrow_mut().push((this, args.iter().collect()));
                match throw_on {
                    Some(text) if first.as_string().as_deref() == Some(text) => {
                        Err(js_sys::Error::new(text).into())
                    }
                    _ => Ok(first),
                }
            },
        )
        .into_js_value();
        // A plain function that forwards `this` and its arguments to the recorder.
        let forward = js_sys::Function::new_with_args(
            "record",
            "return function (...args) { return record(this, args); };",
        )
        .call1(&JsValue::NULL, &record)
        .unwrap();
        Recorder {
            function: forward.unchecked_into(),
            calls,
        }
    }

    pub fn count(&self) -> usize {
        self.calls.borrow().len()
    }

    /// The first argument of each call, as strings.
    pub fn firsts(&self) -> Vec<String> {
        self.calls
            .borrow()
            .iter()
            .map(|(_, args)| args.first().and_then(|a| a.as_string()).unwrap_or_default())
            .collect()
    }
}

#[wasm_bindgen(inline_js = r#"
export async function collectGarbage() {
  // A sentinel tells when a collection has run: with Chromium's
  // --js-flags=--expose-gc, gc() does it; elsewhere, allocation pressure.
  let collected = false;
  const registry = new FinalizationRegistry(() => { collected = true; });
  (() => registry.register({}, 0))();
  const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
  const deadline = Date.now() + 30000;
  while (!collected) {
    if (typeof gc === "function") gc();
    else { let junk = []; for (let i = 0; i < 200; i++) junk.push(new Array(10000).fill(i)); junk = null; }
    await turn();
    if (Date.now() > deadline) throw new Error("could not force a garbage collection");
  }
  // wasm-bindgen's finalizers (which free dropped handles) run in the same or the next turns.
  for (let i = 0; i < 3; i++) { if (typeof gc === "function") gc(); await turn(); }
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = collectGarbage)]
    fn collect_garbage_promise() -> js_sys::Promise;
}

/// Forces a garbage collection, and the finalizers it triggers, for real
/// (fails the test if it cannot): how a test proves that a handle the app
/// dropped keeps working.
pub async fn collect_garbage() {
    wasm_bindgen_futures::JsFuture::from(collect_garbage_promise())
        .await
        .expect("a garbage collection ran");
}

/// `classifyResponse(response)`, awaited.
pub async fn classify_response(response: JsValue) -> JsValue {
    let promise: js_sys::Promise =
        offline_runtime::errors::js::classify_response(response).unchecked_into();
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("classifyResponse never rejects")
}
