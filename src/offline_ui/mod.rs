//! Offline UI helpers for any framework: the "Offline Mode" banner and
//! controls that look and act disabled while offline. `banner` is the pure
//! rule of when the banner shows; `dom` checks the arguments and hands
//! `dom.js`, the page shell, its texts and the banner's rule.

pub mod banner;

#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod dom;
