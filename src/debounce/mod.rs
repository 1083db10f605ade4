//! Debouncing with lodash.debounce's semantics: the pure timing core
//! (`machine`), a timer shell and Rust API (`timer`), and the JavaScript API
//! (`js`: `debounce`, `debounceInput`).

pub mod machine;

#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod js;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod timer;
