//! offline-runtime: a read-only offline mode for web apps, in WebAssembly.
//! This file lists the modules and holds the start hook; no logic.

mod allocator;
pub mod cache;
pub mod data_provider;
pub mod debounce;
pub mod errors;
pub mod freshness;
pub mod headers;
pub mod offline_ui;
pub mod online;
pub mod reporting;
pub mod store;
pub mod value;

#[cfg(target_arch = "wasm32")]
mod interop;
#[cfg(target_arch = "wasm32")]
mod js_value;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod promise;

/// Runs once when the page module is instantiated: panics (which would be
/// bugs) go to the console with a stack instead of a bare "unreachable".
/// The worker build leaves the hook out (its formatting code is ~3 KB); the
/// loader there treats any trap as a failure and passes requests through.
#[cfg(all(target_arch = "wasm32", feature = "page"))]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}
