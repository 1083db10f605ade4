//! The record store's failures as coded errors: IndexedDB unavailable, a
//! schema newer than this code's, a blocked open, and any DOMException a
//! request fails with (its name picks the code, `classify.rs`). Shell
//! helpers over the catalog; `shell.js` calls them through the policy.

use wasm_bindgen::prelude::*;

use crate::errors::catalog;
use crate::errors::classify::{code_for_storage_exception, StorageStep};
use crate::interop::{coded_error, field};

/// The schema `shell.js` writes.
pub const SCHEMA_VERSION: u32 = 2;
/// The partition v1 entries move into.
pub const DEFAULT_PARTITION: &str = "";

const OPEN: &str = "RecordStore.open";

pub fn unavailable(detail: &str) -> JsValue {
    coded_error(
        catalog::STORAGE_UNAVAILABLE,
        &format!("{OPEN}: {detail}; the app keeps working online"),
    )
}

pub fn blocked() -> JsValue {
    coded_error(
        catalog::STORAGE_BLOCKED,
        "RecordStore.open: another tab holds the database open and did not close it for the upgrade",
    )
}

/// A failed open's `error` (a DOMException) as a coded error.
pub fn open_failure(error: &JsValue) -> JsValue {
    match code_for_storage_exception(&text_field(error, "name"), StorageStep::Opening) {
        Some(catalog::SCHEMA_VERSION_CONFLICT) => coded_error(
            catalog::SCHEMA_VERSION_CONFLICT,
            &format!(
                "{OPEN}: the database was written by a newer schema than this code's (v{SCHEMA_VERSION}); nothing was changed"
            ),
        ),
        Some(catalog::STORAGE_UNAVAILABLE) => unavailable(&text_field(error, "message")),
        _ => exception_error(OPEN, error),
    }
}

/// A DOMException (or anything with a `name`) as a coded storage error.
pub fn exception_error(operation: &str, exception: &JsValue) -> JsValue {
    let name = text_field(exception, "name");
    let code =
        code_for_storage_exception(&name, StorageStep::Using).unwrap_or(catalog::STORAGE_FAILED);
    coded_error(
        code,
        &format!("{operation}: {name}: {}", text_field(exception, "message")),
    )
}

fn text_field(object: &JsValue, key: &str) -> String {
    field(object, key).as_string().unwrap_or_default()
}
