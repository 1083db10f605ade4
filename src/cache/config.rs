//! The service-worker config: its one schema, defaults and validation.
//! `Config::parse` reads a [`Value`] (the JS object, converted by the shell)
//! and either returns a complete config or the first error, naming the field.
//! The worker never runs half-configured. Pure.

use super::route::{Glob, Matcher};
use super::strategy::StorePolicy;
use crate::errors::format::quoted;
use crate::value::{error, item_path, ConfigError, Fields, Value};

/// Default `maxAgeSeconds` for runtime routes: 24 h.
pub const DEFAULT_MAX_AGE_SECONDS: f64 = 86_400.0;
/// Default `networkBufferBytes`: network-first bodies up to 2 MiB are read
/// whole before answering, so one that breaks mid-way falls back to the cache.
pub const DEFAULT_NETWORK_BUFFER_BYTES: f64 = 2_097_152.0;

/// The request strategy of a route.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Strategy {
    CacheFirst,
    NetworkFirst,
    StaleWhileRevalidate,
    NetworkOnly,
    CacheOnly,
}

/// Config spellings, in `Strategy` order.
pub const STRATEGIES: [&str; 5] = [
    "cache-first",
    "network-first",
    "stale-while-revalidate",
    "network-only",
    "cache-only",
];

impl Strategy {
    pub fn name(self) -> &'static str {
        STRATEGIES[self as usize]
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub name: String,
    pub matcher: Matcher,
    pub strategy: Strategy,
    /// `None`: entries never expire by age.
    pub max_age_ms: Option<f64>,
    pub max_entries: Option<u32>,
    /// Network-first: serve the cache after this long without an answer.
    pub network_timeout_ms: Option<f64>,
    /// Network-first: abort the fetch when the cache answered on timeout.
    pub abort_on_timeout: bool,
    /// Network-first: how much of the network's body is read before
    /// answering (a larger body streams the rest); 0 streams it all.
    pub network_buffer_bytes: f64,
    /// Statuses worth caching. Default `[200]`.
    pub cacheable_statuses: Vec<u16>,
    /// Store opaque (no-cors) responses. Default false.
    pub allow_opaque: bool,
    /// Store responses meant for one user (see `StorePolicy`). Default false.
    pub cache_private: bool,
}

impl Route {
    pub fn store_policy(&self) -> StorePolicy<'_> {
        StorePolicy {
            statuses: &self.cacheable_statuses,
            allow_opaque: self.allow_opaque,
            allow_private: self.cache_private,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrecacheEntry {
    pub url: String,
    pub revision: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfflineWrites {
    /// Non-GET while offline: 503 problem+json (E4007).
    Reject,
    /// Leave writes alone.
    PassThrough,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub version: String,
    pub precache: Vec<PrecacheEntry>,
    pub navigation_fallback: Option<String>,
    pub routes: Vec<Route>,
    pub offline_writes: OfflineWrites,
    pub debug: bool,
    pub skip_waiting: bool,
    /// Delete runtime caches on activate of a new version. Default false.
    pub purge_runtime_caches_on_update: bool,
    /// Path prefixes never intercepted (for example the online probe).
    pub bypass: Vec<String>,
    /// Hand the worker's own failures (fail-open events, blocked writes,
    /// failed installs) to the page's `ErrorReporter`. Default false.
    pub error_reports: bool,
    /// Navigation preload as configured; `None`: `navigation_preload()` decides.
    pub navigation_preload: Option<bool>,
}

impl Config {
    /// Whether the browser starts a navigation's request while the worker
    /// boots (navigation preload): as configured, else when a route made for
    /// navigations (`match.navigate: true`, or the `document` destination)
    /// goes to the network first. Elsewhere a preloaded response would go
    /// unused: cache-answered navigations would pay a request for nothing.
    pub fn navigation_preload(&self) -> bool {
        self.navigation_preload.unwrap_or_else(|| {
            self.routes.iter().any(|route| {
                let for_navigations = route.matcher.navigate == Some(true)
                    || route.matcher.destinations.iter().any(|d| d == "document");
                for_navigations
                    && matches!(
                        route.strategy,
                        Strategy::NetworkFirst | Strategy::NetworkOnly
                    )
            })
        })
    }
}

/// The config's keys (also typed in `sw/sw-loader.d.ts`; a test compares).
pub const CONFIG_KEYS: [&str; 11] = [
    "version",
    "precache",
    "navigationFallback",
    "routes",
    "offlineWrites",
    "debug",
    "skipWaiting",
    "purgeRuntimeCachesOnUpdate",
    "bypass",
    "errorReports",
    "navigationPreload",
];

/// A route's keys.
pub const ROUTE_KEYS: [&str; 11] = [
    "name",
    "match",
    "strategy",
    "maxAgeSeconds",
    "maxEntries",
    "networkTimeoutSeconds",
    "networkBufferBytes",
    "abortOnTimeout",
    "cacheableStatuses",
    "allowOpaque",
    "cachePrivate",
];

/// A route matcher's keys.
pub const MATCH_KEYS: [&str; 7] = [
    "pathPrefix",
    "path",
    "glob",
    "destinations",
    "methods",
    "navigate",
    "origins",
];

/// The first route (in order) whose name an earlier route already has, in
/// one pass over an open-addressing table of names (pairwise comparison made
/// 30,000 routes take seconds; a sort or a std set costs kilobytes of .wasm).
fn first_repeated_name(routes: &[Route]) -> Option<usize> {
    const EMPTY: u32 = u32::MAX;
    let mask = (routes.len() * 2).next_power_of_two() - 1;
    let mut slots = vec![EMPTY; mask + 1];
    for (i, route) in routes.iter().enumerate() {
        // FNV-1a.
        let mut at = route.name.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
            (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
        }) as usize;
        loop {
            at &= mask;
            let earlier = slots[at];
            if earlier == EMPTY {
                slots[at] = i as u32;
                break;
            }
            if routes[earlier as usize].name == route.name {
                return Some(i);
            }
            at += 1;
        }
    }
    None
}

impl Config {
    /// Parses a config; `null` (none given) is the empty config: no routes.
    pub fn parse(value: &Value) -> Result<Config, ConfigError> {
        let empty = Value::Object(Vec::new());
        let value = if *value == Value::Null { &empty } else { value };
        let fields = Fields::of(value, "config", &CONFIG_KEYS)?;
        let version = fields.string("version")?.unwrap_or_else(|| "1".into());
        if version.is_empty() || !version.chars().all(|c| c.is_ascii_graphic()) {
            return Err(error(
                &fields.path("version"),
                "must be a non-empty string without spaces (it names the caches)",
            ));
        }
        let precache = fields
            .array("precache")?
            .iter()
            .enumerate()
            .map(|(i, entry)| precache_entry(entry, &item_path(&fields.path("precache"), i)))
            .collect::<Result<Vec<_>, _>>()?;
        let mut routes = Vec::new();
        for (i, route) in fields.array("routes")?.iter().enumerate() {
            routes.push(parse_route(route, &item_path(&fields.path("routes"), i))?);
        }
        if let Some(i) = first_repeated_name(&routes) {
            return Err(error(
                &[item_path(&fields.path("routes"), i).as_str(), ".name"].concat(),
                ["duplicate route name ", &quoted(&routes[i].name)].concat(),
            ));
        }
        let offline_writes = match fields.choice("offlineWrites", &["reject", "passthrough"])? {
            Some(1) => OfflineWrites::PassThrough,
            _ => OfflineWrites::Reject,
        };
        let bypass = fields.strings("bypass")?;
        if let Some(i) = bypass.iter().position(|p| !p.starts_with('/')) {
            return Err(error(
                &item_path(&fields.path("bypass"), i),
                "must be a path starting with /",
            ));
        }
        Ok(Config {
            version,
            precache,
            navigation_fallback: fields.string("navigationFallback")?,
            routes,
            offline_writes,
            debug: fields.bool("debug")?.unwrap_or(false),
            skip_waiting: fields.bool("skipWaiting")?.unwrap_or(false),
            purge_runtime_caches_on_update: fields
                .bool("purgeRuntimeCachesOnUpdate")?
                .unwrap_or(false),
            bypass,
            error_reports: fields.bool("errorReports")?.unwrap_or(false),
            navigation_preload: fields.bool("navigationPreload")?,
        })
    }
}

fn precache_entry(value: &Value, path: &str) -> Result<PrecacheEntry, ConfigError> {
    // A bare string is a URL whose content hash is in its name.
    if let Value::String(url) = value {
        return Ok(PrecacheEntry {
            url: url.clone(),
            revision: None,
        });
    }
    let fields = Fields::of(value, path, &["url", "revision"])?;
    let url = fields
        .string("url")?
        .filter(|u| !u.is_empty())
        .ok_or_else(|| error(&fields.path("url"), "is required"))?;
    Ok(PrecacheEntry {
        url,
        revision: fields.string("revision")?,
    })
}

fn parse_route(value: &Value, path: &str) -> Result<Route, ConfigError> {
    let fields = Fields::of(value, path, &ROUTE_KEYS)?;
    let name = fields
        .string("name")?
        .filter(|n| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .ok_or_else(|| {
            error(
                &fields.path("name"),
                "is required: letters, digits, - and _",
            )
        })?;
    let strategy = match fields.choice("strategy", &STRATEGIES)? {
        Some(0) => Strategy::CacheFirst,
        Some(1) => Strategy::NetworkFirst,
        Some(2) => Strategy::StaleWhileRevalidate,
        Some(3) => Strategy::NetworkOnly,
        Some(_) => Strategy::CacheOnly,
        None => return Err(error(&fields.path("strategy"), "is required")),
    };
    let matcher = match fields.get("match") {
        Some(value) => parse_matcher(value, &fields.path("match"))?,
        None => return Err(error(&fields.path("match"), "is required")),
    };
    // Absent: the 24 h default; an explicit null: no age limit.
    let max_age_ms = if fields.is_null("maxAgeSeconds") {
        None
    } else {
        Some(
            fields
                .non_negative("maxAgeSeconds")?
                .unwrap_or(DEFAULT_MAX_AGE_SECONDS)
                * 1000.0,
        )
    };
    let network_timeout_ms = fields
        .non_negative("networkTimeoutSeconds")?
        .map(|s| s * 1000.0);
    if network_timeout_ms.is_some() && strategy != Strategy::NetworkFirst {
        return Err(error(
            &fields.path("networkTimeoutSeconds"),
            "applies to the network-first strategy only",
        ));
    }
    let network_buffer_bytes = fields.non_negative("networkBufferBytes")?;
    if network_buffer_bytes.is_some() && strategy != Strategy::NetworkFirst {
        return Err(error(
            &fields.path("networkBufferBytes"),
            "applies to the network-first strategy only",
        ));
    }
    let statuses = fields.array("cacheableStatuses")?;
    let cacheable_statuses = if statuses.is_empty() {
        vec![200]
    } else {
        statuses
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::Number(n) if (200.0..600.0).contains(n) && n.fract() == 0.0 => Ok(*n as u16),
                _ => Err(error(
                    &item_path(&fields.path("cacheableStatuses"), i),
                    "must be an HTTP status from 200 to 599",
                )),
            })
            .collect::<Result<Vec<_>, _>>()?
    };
    Ok(Route {
        name,
        matcher,
        strategy,
        max_age_ms,
        max_entries: fields.count("maxEntries")?,
        network_timeout_ms,
        abort_on_timeout: fields.bool("abortOnTimeout")?.unwrap_or(true),
        network_buffer_bytes: match strategy {
            Strategy::NetworkFirst => network_buffer_bytes.unwrap_or(DEFAULT_NETWORK_BUFFER_BYTES),
            _ => 0.0,
        },
        cacheable_statuses,
        allow_opaque: fields.bool("allowOpaque")?.unwrap_or(false),
        cache_private: fields.bool("cachePrivate")?.unwrap_or(false),
    })
}

fn parse_matcher(value: &Value, path: &str) -> Result<Matcher, ConfigError> {
    let fields = Fields::of(value, path, &MATCH_KEYS)?;
    let glob = fields.string("glob")?.map(|g| Glob::new(&g));
    let methods: Vec<String> = fields
        .strings("methods")?
        .into_iter()
        .map(|m| m.to_ascii_uppercase())
        .collect();
    let origins = fields.strings("origins")?;
    for (i, origin) in origins.iter().enumerate() {
        let scheme_ok = origin.starts_with("https://") || origin.starts_with("http://");
        if !scheme_ok || origin.trim_end_matches('/').matches('/').count() != 2 {
            return Err(error(
                &item_path(&fields.path("origins"), i),
                "must be an origin like \"https://cdn.example.com\"",
            ));
        }
    }
    let matcher = Matcher {
        path_prefix: fields.string("pathPrefix")?,
        path: fields.string("path")?,
        glob,
        destinations: fields.strings("destinations")?,
        methods: if methods.is_empty() {
            vec!["GET".into()]
        } else {
            methods
        },
        navigate: fields.bool("navigate")?,
        origins: origins
            .iter()
            .map(|o| o.trim_end_matches('/').to_owned())
            .collect(),
    };
    if matcher.is_empty() {
        return Err(error(
            path,
            "needs at least one of pathPrefix, path, glob, destinations, navigate, origins",
        ));
    }
    Ok(matcher)
}
