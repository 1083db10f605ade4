//! EngineCore, routing a request (`plan`, `label`) and what answers when
//! nothing did (`lastResort`, `problem`), writes offline (`writeGoesOut`)
//! and byte ranges of cached bodies (`byteRange`).

use wasm_bindgen::prelude::*;

use super::{EngineCore, LastResortKind, Plan};
use crate::cache::answer::{last_resort, write_goes_out, LastResort};
use crate::cache::config::Strategy;
use crate::cache::range::{byte_range, RangeAnswer};
use crate::cache::route::{decide, Decision, RequestFacts};
use crate::errors::catalog;
use crate::errors::format::to_problem;
use crate::errors::problem::problem_to_js;

#[wasm_bindgen]
impl EngineCore {
    /// Routes a request: a route index, or a `Plan` (negative).
    #[wasm_bindgen(unchecked_return_type = "Plan | number")]
    pub fn plan(
        &self,
        method: &str,
        origin: &str,
        path: &str,
        search: &str,
        destination: &str,
        navigate: bool,
    ) -> i32 {
        let facts = RequestFacts {
            method,
            origin,
            path,
            destination,
            navigate,
        };
        let precached = |path: &str| {
            self.precache
                .iter()
                .any(|p| p.strip_prefix(path) == Some(search))
        };
        let plan = match decide(&self.config, &facts, &self.location.origin, precached) {
            Decision::Ignore => Plan::Ignore,
            Decision::Precache => Plan::Precache,
            Decision::Write => Plan::Write,
            Decision::Navigation => Plan::Navigation,
            Decision::Route(route) => {
                return self
                    .config
                    .routes
                    .iter()
                    .position(|r| std::ptr::eq(r, route))
                    .map_or(Plan::Ignore as i32, |i| i as i32)
            }
        };
        plan as i32
    }

    /// "name strategy" of what `plan` answered, for debug lines.
    pub fn label(&self, plan: i32) -> String {
        let (name, strategy) = match plan {
            p if p == Plan::Precache as i32 => ("precache", Strategy::CacheFirst),
            p if p == Plan::Write as i32 => ("write", Strategy::NetworkOnly),
            p if p == Plan::Navigation as i32 => ("navigation", Strategy::NetworkFirst),
            index => match usize::try_from(index)
                .ok()
                .and_then(|i| self.config.routes.get(i))
            {
                Some(route) => (route.name.as_str(), route.strategy),
                None => ("ignored", Strategy::NetworkOnly),
            },
        };
        [name, " ", strategy.name()].concat()
    }

    /// Whether a guarded write is sent; `online` is `navigator.onLine`.
    #[wasm_bindgen(js_name = writeGoesOut)]
    pub fn write_goes_out(&self, online: Option<bool>) -> bool {
        write_goes_out(online)
    }

    /// What a request gets when nothing answered it; `online` is
    /// `navigator.onLine`.
    #[wasm_bindgen(js_name = lastResort)]
    pub fn last_resort(&self, write: bool, navigate: bool, online: Option<bool>) -> LastResortKind {
        match last_resort(write, navigate, online) {
            LastResort::OfflineWrite => LastResortKind::OfflineWrite,
            LastResort::NotCached => LastResortKind::NotCached,
            LastResort::FallbackPage => LastResortKind::FallbackPage,
            LastResort::NetworkError => LastResortKind::NetworkError,
        }
    }

    /// The bytes a `Range` header asks of a cached body of `size` bytes:
    /// `[start, end]` (inclusive) for a 206, `[]` for a 416, `undefined`
    /// for the whole body.
    #[wasm_bindgen(js_name = byteRange)]
    pub fn byte_range(&self, header: &str, size: f64) -> Option<Vec<f64>> {
        match byte_range(header, size as u64) {
            RangeAnswer::Whole => None,
            RangeAnswer::Unsatisfiable => Some(Vec::new()),
            RangeAnswer::Part { start, end } => Some(vec![start as f64, end as f64]),
        }
    }

    /// The problem body answering `url`: E4007 for a write that cannot reach
    /// the server, else E4010 (not available offline). Has `status`.
    pub fn problem(&self, write: bool, url: &str) -> JsValue {
        // The entries are referenced directly so the worker's .wasm carries
        // only these two, not the whole catalog.
        let entry = if write {
            &catalog::WRITE_BLOCKED_OFFLINE_ENTRY
        } else {
            &catalog::NOT_AVAILABLE_OFFLINE_ENTRY
        };
        problem_to_js(&to_problem(entry, None, Some(url)))
    }
}
