//! Promise chaining without wasm futures: a Rust step runs once a Promise
//! settles, and what it returns settles the next one. An `async` block
//! compiles to a state machine plus the futures runtime (kilobytes of
//! `.wasm` each); this costs one closure per step (the `then` itself is
//! promise.js). Shell helper; no decisions here.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/promise.js")]
extern "C" {
    #[wasm_bindgen(js_name = after)]
    fn after_js(promise: &JsValue, step: JsValue) -> js_sys::Promise;
}

/// How a Promise settled.
pub enum Settled {
    Fulfilled(JsValue),
    Rejected(JsValue),
}

impl Settled {
    /// A fulfilment whose value fails `keep` counts as a rejection with that value.
    pub fn filter(self, keep: impl FnOnce(&JsValue) -> bool) -> Settled {
        match self {
            Settled::Fulfilled(value) if !keep(&value) => Settled::Rejected(value),
            other => other,
        }
    }
}

/// `promise.then(...)` with `step` called exactly once, however it settles;
/// its `Ok` fulfils (a Promise returned there is followed) and its `Err`
/// rejects the returned Promise.
pub fn after(
    promise: &JsValue,
    step: impl FnOnce(Settled) -> Result<JsValue, JsValue> + 'static,
) -> js_sys::Promise {
    let step = Closure::once_into_js(move |fulfilled: bool, value: JsValue| {
        step(if fulfilled {
            Settled::Fulfilled(value)
        } else {
            Settled::Rejected(value)
        })
    });
    after_js(promise, step)
}
