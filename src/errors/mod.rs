//! Error codes and display: the catalog (one table), classification of any
//! failure into a code, message formatting, and DOM display helpers.
//! `catalog`, `classify` and `format` are pure; `js` and `dom` are the
//! browser shell and hold no decisions of their own.

pub mod catalog;
pub mod classify;
pub mod format;

#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod dom;
#[cfg(target_arch = "wasm32")]
pub mod input;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod js;
#[cfg(target_arch = "wasm32")]
pub mod problem;
