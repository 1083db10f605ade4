//! EngineCore, the worker's lifecycle: install's plan (`installPlan`,
//! `olderPrecaches`, `installStores`), activate's deletions (`cachesToDelete`) and the logout
//! fence (`cachesToClear`, `generation`, `mayStore`).

use wasm_bindgen::prelude::*;

use super::EngineCore;
use crate::cache::precache::{
    caches_to_clear, install_stores, older_precaches, plan_activate, plan_install, Holding,
    InstallStep,
};
use crate::interop::{field, ObjectBuilder};

#[wasm_bindgen]
impl EngineCore {
    /// Install's steps, given the older precaches as
    /// `[{cache, held: [[url, revision | null], ...]}, ...]`: objects
    /// `{url, revision?}` to fetch (no revision: a hashed URL), or
    /// `{url, from}` to copy from cache `from`.
    #[wasm_bindgen(js_name = installPlan)]
    pub fn install_plan(&self, previous: JsValue) -> js_sys::Array {
        let previous: Vec<Holding> = js_sys::Array::from(&previous)
            .iter()
            .map(|older| {
                let held = js_sys::Array::from(&field(&older, "held"))
                    .iter()
                    .map(|pair| {
                        let pair = js_sys::Array::from(&pair);
                        let url = pair.get(0).as_string().unwrap_or_default();
                        let path = self.location.path_of(&url).unwrap_or(url);
                        (path, pair.get(1).as_string())
                    })
                    .collect();
                (field(&older, "cache").as_string().unwrap_or_default(), held)
            })
            .collect();
        plan_install(&self.config, &previous)
            .into_iter()
            .map(|step| match step {
                InstallStep::Copy { entry, from } => ObjectBuilder::new()
                    .set("url", self.absolute(&entry))
                    .set("from", from)
                    .build(),
                InstallStep::Fetch(entry) => ObjectBuilder::new()
                    .set("url", self.absolute(&entry))
                    .set_some("revision", entry.revision)
                    .build(),
            })
            .collect()
    }

    /// Whether install stores precache entry's answer of `status`; any
    /// other fails the install.
    #[wasm_bindgen(js_name = installStores)]
    pub fn install_stores(&self, status: u16) -> bool {
        install_stores(status)
    }

    /// Caches activate deletes (other versions' precaches, stale route caches).
    #[wasm_bindgen(js_name = cachesToDelete)]
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn caches_to_delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] existing: js_sys::Array,
    ) -> js_sys::Array {
        let existing = strings(&existing);
        to_array(plan_activate(&self.config, &existing))
    }

    /// Caches `CLEAR_CACHES` deletes: every runtime cache. Starts a new
    /// generation: nothing fetched before it is stored after it.
    #[wasm_bindgen(js_name = cachesToClear)]
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn caches_to_clear(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] existing: js_sys::Array,
    ) -> js_sys::Array {
        let existing = strings(&existing);
        self.generation.set(self.generation.get().wrapping_add(1));
        to_array(caches_to_clear(&existing))
    }

    /// Precaches of other versions, which install may copy from.
    #[wasm_bindgen(js_name = olderPrecaches)]
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn older_precaches(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] existing: js_sys::Array,
    ) -> js_sys::Array {
        let existing = strings(&existing);
        to_array(older_precaches(&existing, &self.config.version))
    }

    /// The current generation, taken when a request starts.
    pub fn generation(&self) -> u32 {
        self.generation.get()
    }

    /// Whether a response fetched in generation `started` may still be stored.
    #[wasm_bindgen(js_name = mayStore)]
    pub fn may_store(&self, started: u32) -> bool {
        started == self.generation.get()
    }
}

/// Cache names as the Cache API lists them (one conversion for every list:
/// smaller than a `Vec<String>` shim per method).
fn strings(names: &js_sys::Array) -> Vec<String> {
    names.iter().filter_map(|name| name.as_string()).collect()
}

fn to_array(names: Vec<String>) -> js_sys::Array {
    names.into_iter().map(JsValue::from).collect()
}
