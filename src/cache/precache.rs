//! Precache and cache naming: which caches this version owns, what install
//! must fetch (and what it can copy from the previous version), what
//! activate deletes. Each version precaches into its own cache, so the
//! worker still serving the old version never sees a half-updated set. Pure.

use super::config::{Config, PrecacheEntry};

/// Every cache this library creates starts with this (and only those do).
pub const CACHE_PREFIX: &str = "offline-runtime-";
const PRECACHE_PREFIX: &str = "offline-runtime-precache-";
const ROUTE_PREFIX: &str = "offline-runtime-route-";

/// How many precache fetches run at once during install.
pub const INSTALL_CONCURRENCY: usize = 4;

pub fn precache_name(version: &str) -> String {
    [PRECACHE_PREFIX, version].concat()
}

pub fn route_cache_name(route: &str) -> String {
    [ROUTE_PREFIX, route].concat()
}

/// What install does with one manifest entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InstallStep {
    /// Fetch it from the network (`cache: "reload"`).
    Fetch(PrecacheEntry),
    /// Copy it from the named older precache cache: same URL, same revision.
    Copy { entry: PrecacheEntry, from: String },
}

/// An older precache: its name and the (url, revision) pairs it holds.
pub type Holding = (String, Vec<(String, Option<String>)>);

/// Whether install stores a precache entry the network answered with
/// `status`: only a 2xx. Anything else (a 404, a server error, an opaque 0)
/// fails the install, so the old worker keeps serving a whole app shell.
pub fn install_stores(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Plans install from the manifest and the older precaches.
pub fn plan_install(config: &Config, previous: &[Holding]) -> Vec<InstallStep> {
    config
        .precache
        .iter()
        .map(|entry| {
            // Entries without a revision (hashed URLs) are fetched only if
            // absent. An empty revision is none: a stored entry without one
            // reads back as "" from some copies.
            let wanted = revision_of(&entry.revision);
            let reusable = previous.iter().find(|(_, held)| {
                held.iter()
                    .any(|(url, revision)| *url == entry.url && revision_of(revision) == wanted)
            });
            match reusable {
                Some((cache, _)) => InstallStep::Copy {
                    entry: entry.clone(),
                    from: cache.clone(),
                },
                _ => InstallStep::Fetch(entry.clone()),
            }
        })
        .collect()
}

fn revision_of(revision: &Option<String>) -> Option<&str> {
    revision.as_deref().filter(|revision| !revision.is_empty())
}

/// Caches activate deletes: precaches of other versions, and route caches of
/// routes no longer configured (or all of them with `purgeRuntimeCachesOnUpdate`).
pub fn plan_activate(config: &Config, existing: &[String]) -> Vec<String> {
    let current = precache_name(&config.version);
    existing
        .iter()
        .filter(|name| {
            if name.starts_with(PRECACHE_PREFIX) {
                return **name != current;
            }
            if let Some(route) = name.strip_prefix(ROUTE_PREFIX) {
                return config.purge_runtime_caches_on_update
                    || !config.routes.iter().any(|r| r.name == route);
            }
            false
        })
        .cloned()
        .collect()
}

/// Caches `CLEAR_CACHES` (logout) deletes: every runtime cache. The precache
/// (the app shell) and the loader's code stay, so the app still starts offline.
pub fn caches_to_clear(existing: &[String]) -> Vec<String> {
    existing
        .iter()
        .filter(|name| name.starts_with(ROUTE_PREFIX))
        .cloned()
        .collect()
}

/// Precache caches other than `version`'s (install may copy from them).
pub fn older_precaches(existing: &[String], version: &str) -> Vec<String> {
    let current = precache_name(version);
    existing
        .iter()
        .filter(|name| name.starts_with(PRECACHE_PREFIX) && **name != current)
        .cloned()
        .collect()
}
