//! The IndexedDB record store: the last N viewed records per resource type,
//! readable offline. `lru` is the pure policy, `key` how ids become keys;
//! `idb` owns the database
//! (schema, migrations, connection lifecycle); `transactions` runs the
//! readwrite transactions in JavaScript; `api` is `RecordStore` for JS.

pub mod key;
pub mod lru;

#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod api;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod idb;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod transactions;
