//! The IndexedDB record store: the last N viewed records per resource type,
//! readable offline. `lru` is the pure policy, `key` how ids become keys;
//! `api` is `RecordStore` for JS (validation, keys, entries, access times);
//! `shell.js` runs the database (schema, migrations, connection lifecycle,
//! transactions) in JavaScript, over the seam `shell.rs` names;
//! `failures` codes what goes wrong.

pub mod key;
pub mod lru;

#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod api;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod failures;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod shell;
