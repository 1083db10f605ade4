//! The seam with the record store's JavaScript shell (`shell.js`): the
//! calls Rust makes into it, and the policy object it runs by, whose every
//! function is Rust (`lru`, `failures`). Shell binding; no decisions here.

use wasm_bindgen::prelude::*;

use super::failures;
use super::lru;
use crate::errors::catalog;
use crate::interop::ObjectBuilder;

#[wasm_bindgen(module = "/src/store/shell.js")]
extern "C" {
    /// One database connection and the store's transactions over it.
    pub type StoreShell;

    #[wasm_bindgen(constructor)]
    pub fn new(name: &str, version: u32, blocked_timeout_ms: u32, policy: &JsValue) -> StoreShell;

    /// Resolves with `value` once the database is open.
    #[wasm_bindgen(method)]
    pub fn opened(this: &StoreShell, value: &JsValue) -> js_sys::Promise;

    /// Puts `entries` of one resource and evicts beyond its cap, in one transaction.
    #[wasm_bindgen(method)]
    pub fn write(
        this: &StoreShell,
        operation: &str,
        entries: &js_sys::Array,
        partition: &str,
        resource: &str,
    ) -> js_sys::Promise;

    /// `{record, cachedAt, lastAccess}` at `key` (or undefined), its lastAccess set to `at`.
    #[wasm_bindgen(method)]
    pub fn view(this: &StoreShell, operation: &str, key: &JsValue, at: f64) -> js_sys::Promise;

    /// Like `view`, without touching the entry.
    #[wasm_bindgen(method)]
    pub fn read(this: &StoreShell, operation: &str, key: &JsValue) -> js_sys::Promise;

    /// The `count` most recently viewed entries of a resource.
    #[wasm_bindgen(method)]
    pub fn newest(
        this: &StoreShell,
        operation: &str,
        partition: &str,
        resource: &str,
        count: u32,
    ) -> js_sys::Promise;

    /// How many entries a resource has.
    #[wasm_bindgen(method)]
    pub fn count(
        this: &StoreShell,
        operation: &str,
        partition: &str,
        resource: &str,
    ) -> js_sys::Promise;

    /// Deletes the entry at `key`; resolves whether it was there.
    #[wasm_bindgen(method)]
    pub fn remove(this: &StoreShell, operation: &str, key: &JsValue) -> js_sys::Promise;

    /// Deletes the entries whose key starts with `prefix` (null: all); resolves how many.
    #[wasm_bindgen(method)]
    pub fn clear(this: &StoreShell, operation: &str, prefix: &JsValue) -> js_sys::Promise;

    /// Deletes everything, every partition; resolves undefined.
    #[wasm_bindgen(method, js_name = clearAll)]
    pub fn clear_all(this: &StoreShell, operation: &str) -> js_sys::Promise;

    /// Deletes a partition's entries cached before `stale_before` (ms since
    /// the epoch); resolves how many.
    #[wasm_bindgen(method)]
    pub fn purge(
        this: &StoreShell,
        operation: &str,
        partition: &str,
        stale_before: f64,
    ) -> js_sys::Promise;

    /// Closes the connection; a later call reopens it.
    #[wasm_bindgen(method)]
    pub fn close(this: &StoreShell);
}

/// How many least recently used entries go, for one store's cap (`maxPerResource`).
pub type Excess = Closure<dyn Fn(u32) -> u32>;

pub fn excess_for(cap: u32) -> Excess {
    Closure::new(move |count| lru::excess(count, cap))
}

thread_local! {
    /// The policy's functions every store shares, made once.
    static SHARED: [JsValue; 5] = [
        Closure::<dyn Fn(u32) -> u32>::new(lru::quota_eviction_count).into_js_value(),
        Closure::<dyn Fn(String, JsValue) -> JsValue>::new(|operation: String, error: JsValue| {
            failures::exception_error(&operation, &error)
        })
        .into_js_value(),
        Closure::<dyn Fn(JsValue) -> JsValue>::new(|error: JsValue| failures::open_failure(&error))
            .into_js_value(),
        Closure::<dyn Fn() -> JsValue>::new(failures::blocked).into_js_value(),
        Closure::<dyn Fn(String) -> JsValue>::new(|detail: String| failures::unavailable(&detail))
            .into_js_value(),
    ];
}

/// The `StorePolicy` object `shell.js` runs by, with this store's `excess`.
pub fn policy(excess: &Excess) -> JsValue {
    SHARED.with(|[quota_share, coded, open_failure, blocked, unavailable]| {
        ObjectBuilder::new()
            .set("excess", excess.as_ref().clone())
            .set("quotaShare", quota_share.clone())
            .set("coded", coded.clone())
            .set("openFailure", open_failure.clone())
            .set("blocked", blocked.clone())
            .set("unavailable", unavailable.clone())
            .set("quotaCode", catalog::QUOTA_EXCEEDED)
            .set("defaultPartition", failures::DEFAULT_PARTITION)
            .build()
    })
}
