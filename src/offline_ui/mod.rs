//! Offline UI helpers for any framework: the "Offline Mode" banner and
//! controls that look and act disabled while offline. `banner` is the pure
//! rule of when the banner shows; `dom` is the page shell (like `showError`).

pub mod banner;

#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod dom;
