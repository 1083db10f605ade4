//! offline-runtime: a read-only offline mode for web apps, in WebAssembly.
//! This file lists the modules and holds the start hook; no logic.

pub mod cache;
pub mod debounce;
pub mod errors;
pub mod online;
pub mod store;

#[cfg(target_arch = "wasm32")]
mod interop;

/// Runs once when the module is instantiated: panics (which would be bugs)
/// go to the console with a stack instead of a bare "unreachable".
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}
