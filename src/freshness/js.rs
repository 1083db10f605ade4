//! `cacheInfo` and `formatLastSynced` for JavaScript: read where shown data
//! came from (a Response's `X-Offline-Runtime` headers, or a stored record's
//! `cachedAt`) and hand the pure `age` module the facts. Page build.

use wasm_bindgen::prelude::*;

use super::age::{freshness, last_synced_text, DEFAULT_STALE_AFTER_MS};
use crate::errors::catalog;
use crate::errors::input::{describe, JsOptions};
use crate::headers::{CACHED_AT_HEADER, SOURCE_HEADER};
use crate::interop::{coded_error, ObjectBuilder};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
export interface CacheInfoOptions {
  /** Cached data older than this is `stale`. Default 300000 (5 minutes). */
  staleAfterMs?: number;
  /** Milliseconds since the epoch. Default Date.now(). */
  now?: number;
}
export interface CacheInfo {
  /** Served by the worker's cache or the record store, not the network. */
  fromCache: boolean;
  /** When it was cached (ms since the epoch), if known. */
  cachedAt: number | undefined;
  ageMs: number | undefined;
  /** From a cache and older than `staleAfterMs`. */
  stale: boolean;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "CacheInfoOptions")]
    pub type CacheInfoOptions;
    #[wasm_bindgen(typescript_type = "CacheInfo")]
    pub type CacheInfoObject;
}

/// `cacheInfo(response | storedRecord, {staleAfterMs, now})`.
#[wasm_bindgen(js_name = cacheInfo)]
pub fn cache_info(
    #[wasm_bindgen(unchecked_param_type = "Response | { cachedAt: number }")] source: JsValue,
    options: Option<CacheInfoOptions>,
) -> Result<CacheInfoObject, JsValue> {
    let options = options.map(JsValue::from).unwrap_or_default();
    let options = JsOptions::read(&options, "cacheInfo", &["staleAfterMs", "now"])?;
    let stale_after = options
        .number("staleAfterMs", 0.0)?
        .unwrap_or(DEFAULT_STALE_AFTER_MS);
    let now = options
        .number("now", 0.0)?
        .unwrap_or_else(js_sys::Date::now);
    let (from_cache, cached_at) = if let Some(response) = source.dyn_ref::<web_sys::Response>() {
        let header = |name: &str| response.headers().get(name).ok().flatten();
        let from_cache = header(SOURCE_HEADER).as_deref() == Some("cache");
        // JavaScript's number parsing: Rust's float parser would add ~15 KB to the .wasm.
        let cached_at = header(CACHED_AT_HEADER).map(|at| js_sys::Number::parse_float(&at));
        (from_cache, cached_at.filter(|at| !at.is_nan()))
    } else {
        let cached_at = source
            .is_object()
            .then(|| js_sys::Reflect::get(&source, &"cachedAt".into()).ok())
            .flatten()
            .and_then(|at| at.as_f64())
            .ok_or_else(|| {
                coded_error(
                    catalog::INVALID_ARGUMENT,
                    &format!(
                        "cacheInfo: expected a Response or a stored record ({{cachedAt}}), got {}",
                        describe(&source)
                    ),
                )
            })?;
        (true, Some(cached_at))
    };
    let info = freshness(from_cache, cached_at, now, stale_after);
    Ok(ObjectBuilder::new()
        .set("fromCache", info.from_cache)
        .set(
            "cachedAt",
            info.cached_at.map_or(JsValue::UNDEFINED, JsValue::from),
        )
        .set(
            "ageMs",
            info.age_ms.map_or(JsValue::UNDEFINED, JsValue::from),
        )
        .set("stale", info.stale)
        .build()
        .unchecked_into())
}

/// `formatLastSynced(cachedAt, now = Date.now())` -> "Last synced 3 min ago".
#[wasm_bindgen(js_name = formatLastSynced)]
pub fn format_last_synced(
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] cached_at: JsValue,
    now: Option<f64>,
) -> String {
    let now = now.unwrap_or_else(js_sys::Date::now);
    last_synced_text(cached_at.as_f64(), now)
}
