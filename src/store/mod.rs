//! The IndexedDB record store: the last N viewed records per resource type,
//! readable offline. `lru` is the pure policy; `idb` owns the database
//! (schema, migrations, connection lifecycle); `api` is `RecordStore` for JS.

pub mod lru;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod idb;
