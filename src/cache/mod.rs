//! The service-worker cache strategy engine. Pure: `config` (the one config
//! schema, read from the crate's `value` tree), `route` (matchers, first match wins), `strategy` (the
//! per-request state machines, cacheability, age), `expiration` (count
//! limits), `precache` (cache names, install and activate plans), `range`
//! (byte ranges of cached bodies), `answer` (what a request gets when
//! nothing could answer it), `revalidation` (whether a refresh changed
//! anything). Boundary:
//! `engine` (the core as `sw/engine.js`, the worker's JavaScript I/O shell,
//! calls it). Shell: `register` (the page's `registerServiceWorker`).

pub mod answer;
pub mod config;
pub mod expiration;
pub mod precache;
pub mod range;
pub mod revalidation;
pub mod route;
pub mod strategy;

#[cfg(all(target_arch = "wasm32", feature = "worker"))]
pub mod engine;
#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod register;
