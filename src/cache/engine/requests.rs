//! EngineCore, routing a request (`plan`) and what answers when
//! nothing did (`lastResort`, `problem`), writes offline (`writeGoesOut`)
//! and byte ranges of cached bodies (`byteRange`).

use wasm_bindgen::prelude::*;

use super::{EngineCore, LastResortKind, Plan};
use crate::cache::answer::{last_resort, write_goes_out, LastResort};
use crate::cache::range::{byte_range, RangeAnswer};
use crate::cache::route::{decide, url_parts, Decision, RequestFacts};
use crate::errors::catalog;
use crate::errors::format::to_problem;
use crate::errors::problem::problem_to_js;

#[wasm_bindgen]
impl EngineCore {
    /// Routes a request (`Request.url`, `.method`, `.destination` and
    /// whether its mode is "navigate"): `[plan, route]`, the route's index
    /// meaning something only when `plan` is `Plan.Route`.
    #[wasm_bindgen(unchecked_return_type = "[Plan, number]")]
    pub fn plan(&self, method: &str, url: &str, destination: &str, navigate: bool) -> Vec<u32> {
        let Some((origin, path, search)) = url_parts(url) else {
            return vec![Plan::Ignore as u32, 0];
        };
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
        let (plan, route) = match decide(&self.config, &facts, &self.location.origin, precached) {
            Decision::Ignore => (Plan::Ignore, 0),
            Decision::Precache => (Plan::Precache, 0),
            Decision::Write => (Plan::Write, 0),
            Decision::Navigation => (Plan::Navigation, 0),
            Decision::Route(route) => match self
                .config
                .routes
                .iter()
                .position(|r| std::ptr::eq(r, route))
            {
                Some(index) => (Plan::Route, index as u32),
                None => (Plan::Ignore, 0),
            },
        };
        vec![plan as u32, route]
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

    /// The bytes a `Range` header asks of a cached answer of `status` whose
    /// body has `size` bytes: `[start, end]` (inclusive) for a 206, `[]` for
    /// a 416, `undefined` for the answer as stored.
    #[wasm_bindgen(js_name = byteRange)]
    pub fn byte_range(&self, header: &str, status: u16, size: f64) -> Option<Vec<f64>> {
        match byte_range(header, status, size as u64) {
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
