//! Online-status detection: the pure state machine and backoff (`machine`),
//! `OnlineStatus` for JavaScript (`js`: options, state, the machine's
//! inputs and effects) and its browser shell (`shell.js`: events, heartbeat
//! probe, visibility, BroadcastChannel between tabs, subscribers).

pub mod machine;

#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod js;
