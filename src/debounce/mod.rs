//! Debouncing with lodash.debounce's semantics: the pure timing core
//! (`machine`), a timer shell and Rust API (`timer`), and the JavaScript API
//! (`js`: `debounce`, `debounceInput`).

pub mod machine;

#[cfg(target_arch = "wasm32")]
pub mod js;
#[cfg(target_arch = "wasm32")]
pub mod timer;
