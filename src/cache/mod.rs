//! The service-worker cache strategy engine. Pure: `value` and `config` (the
//! one config schema), `route` (matchers, first match wins), `strategy` (the
//! per-request state machines, cacheability, age), `expiration` (count
//! limits), `precache` (cache names, install and activate plans). Boundary:
//! `engine` (the core as `sw/engine.js`, the worker's JavaScript I/O shell,
//! calls it). Shell: `register` (the page's `registerServiceWorker`).

pub mod config;
pub mod expiration;
pub mod precache;
pub mod route;
pub mod strategy;
pub mod value;

#[cfg(all(target_arch = "wasm32", feature = "worker"))]
pub mod engine;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod register;
