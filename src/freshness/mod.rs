//! How fresh shown data is: "Last synced 3 min ago" and the stale flag.
//! `age` is pure (time comes in as an argument); `js` reads a Response's
//! cache headers or a stored record's timestamps for JavaScript.

pub mod age;

#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod js;
