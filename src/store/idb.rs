//! The database: schema versions and their migrations, opening (with a
//! bounded wait when another tab blocks an upgrade), closing cleanly when
//! another tab upgrades, and mapping IndexedDB failures to catalog codes.
//! Built on the `idb` crate (rexie cannot run migration code or report
//! `blocked`, which this needs). The IndexedDB factory comes from the global
//! scope, so it works in pages and workers.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use idb::{Database, DatabaseEvent, Factory, IndexParams, KeyPath, ObjectStoreParams, Request};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::errors::catalog;
use crate::errors::classify::{code_for_storage_exception, StorageStep};
use crate::interop::coded_error;

/// The schema this code writes.
pub const SCHEMA_VERSION: u32 = 2;
/// v2: entries keyed `[partition, resource, id]`.
pub const ENTRIES: &str = "entries";
/// v2 index `[partition, resource, lastAccess]`: LRU order within a resource.
pub const BY_ACCESS: &str = "byAccess";
/// v2 index `lastAccess`: oldest first across everything (quota eviction).
pub const BY_AGE: &str = "byAge";
/// v1 (no partitions): records keyed `[resource, id]`; migrated into `entries`
/// with the default partition.
pub const V1_RECORDS: &str = "records";
/// The partition v1 entries move into.
pub const DEFAULT_PARTITION: &str = "";

/// Opens `name` at [`SCHEMA_VERSION`], migrating older schemas. Rejects with
/// E3001 when IndexedDB is unavailable, E3003 when the database is newer than
/// this code, E3004 when the open makes no progress for `blocked_timeout_ms`:
/// another connection blocks the upgrade, or this request waits in the queue
/// behind another open that is blocked (a queued request never gets a
/// `blocked` event, so the wait is timed from the start, and an upgrade
/// starting counts as progress).
pub async fn open(name: &str, blocked_timeout_ms: u32) -> Result<web_sys::IdbDatabase, JsValue> {
    let factory = Factory::new().map_err(|_| unavailable("indexedDB is not available here"))?;
    let mut request = factory
        .open(name, Some(SCHEMA_VERSION))
        .map_err(|error| storage_error("RecordStore.open", error))?;
    let settled = Rc::new(Cell::new(false));
    // Whether the browser has answered the request (success or error).
    let answered = Rc::new(Cell::new(false));
    let wait: Rc<RefCell<Option<Timeout>>> = Rc::default();
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let upgrade_wait = Rc::clone(&wait);
        request.on_upgrade_needed(move |event| {
            upgrade_wait.borrow_mut().take();
            // Errors here abort the upgrade transaction, which rejects the open.
            let _ = upgrade(&event);
        });
        let on_success_settled = Rc::clone(&settled);
        let on_success_answered = Rc::clone(&answered);
        let success_wait = Rc::clone(&wait);
        request.on_success(move |event| {
            on_success_answered.set(true);
            success_wait.borrow_mut().take();
            let database = idb::Event::target(&event)
                .ok()
                .and_then(|request| request.result().ok())
                .unwrap_or_default();
            if on_success_settled.replace(true) {
                // We already gave up waiting: do not keep a stray connection.
                if let Some(database) = database.dyn_ref::<web_sys::IdbDatabase>() {
                    database.close();
                }
                return;
            }
            let _ = resolve.call1(&JsValue::NULL, &database);
        });
        let on_error_settled = Rc::clone(&settled);
        let on_error_answered = Rc::clone(&answered);
        let error_wait = Rc::clone(&wait);
        let on_error_reject = reject.clone();
        request.on_error(move |event| {
            on_error_answered.set(true);
            error_wait.borrow_mut().take();
            if on_error_settled.replace(true) {
                return;
            }
            let error = idb::Event::target(&event)
                .ok()
                .and_then(|request| request.error().ok().flatten())
                .map(JsValue::from)
                .unwrap_or_default();
            let _ = on_error_reject.call1(&JsValue::NULL, &open_failure(&error));
        });
        let timeout_settled = Rc::clone(&settled);
        *wait.borrow_mut() = Some(Timeout::new(blocked_timeout_ms, move || {
            if !timeout_settled.replace(true) {
                let error = coded_error(
                    catalog::STORAGE_BLOCKED,
                    "RecordStore.open: another tab holds the database open and did not close it for the upgrade",
                );
                let _ = reject.call1(&JsValue::NULL, &error);
            }
        }));
    });
    let result = wasm_bindgen_futures::JsFuture::from(promise).await;
    if !answered.get() {
        // Gave up waiting: the request may still succeed later, and its
        // success handler must then be there to close that connection.
        request.forget_callbacks();
    }
    Ok(result?.unchecked_into())
}

/// Creates or migrates the schema inside the upgrade transaction.
fn upgrade(event: &idb::event::VersionChangeEvent) -> Result<(), idb::Error> {
    let database = event.database()?;
    let old_version = event.old_version()?;
    if database.store_names().iter().any(|n| n == ENTRIES) {
        return Ok(());
    }
    let mut params = ObjectStoreParams::new();
    params.key_path(Some(KeyPath::new_array(vec![
        "partition",
        "resource",
        "id",
    ])));
    let entries = database.create_object_store(ENTRIES, params)?;
    entries.create_index(
        BY_ACCESS,
        KeyPath::new_array(vec!["partition", "resource", "lastAccess"]),
        Some(IndexParams::new()),
    )?;
    entries.create_index(
        BY_AGE,
        KeyPath::new_single("lastAccess"),
        Some(IndexParams::new()),
    )?;
    if old_version == 1 && database.store_names().iter().any(|n| n == V1_RECORDS) {
        migrate_v1(event, &entries)?;
    }
    Ok(())
}

/// v1 -> v2: every record moves into `entries` under the default partition,
/// keeping its timestamps; then the v1 store goes. All inside the upgrade
/// transaction, so a failure aborts it and leaves the v1 database as it was.
fn migrate_v1(
    event: &idb::event::VersionChangeEvent,
    entries: &idb::ObjectStore,
) -> Result<(), idb::Error> {
    let transaction = idb::Event::target(event)?
        .transaction()
        .ok_or(idb::Error::TransactionNotFound)?;
    let old = transaction.object_store(V1_RECORDS)?;
    let mut read_all = old.get_all(None, None)?;
    let entries = entries.clone();
    let database = event.database()?;
    read_all.on_success(move |event| {
        let records = idb::Event::target(&event)
            .ok()
            .and_then(|request| request.result().ok())
            .map(|records| records.unchecked_into::<js_sys::Array>())
            .unwrap_or_default();
        for entry in records.iter() {
            let _ = js_sys::Reflect::set(&entry, &"partition".into(), &DEFAULT_PARTITION.into());
            let _ = entries.put(&entry, None);
        }
        let _ = database.delete_object_store(V1_RECORDS);
    });
    // The callback must outlive this function; the browser drops it after use.
    read_all.forget_callbacks();
    Ok(())
}

fn unavailable(detail: &str) -> JsValue {
    coded_error(
        catalog::STORAGE_UNAVAILABLE,
        &format!("RecordStore.open: {detail}; the app keeps working online"),
    )
}

/// An open request's `error` (a DOMException) as a coded error.
fn open_failure(error: &JsValue) -> JsValue {
    let name = js_sys::Reflect::get(error, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    let message = js_sys::Reflect::get(error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_default();
    match code_for_storage_exception(&name, StorageStep::Opening) {
        Some(catalog::SCHEMA_VERSION_CONFLICT) => coded_error(
            catalog::SCHEMA_VERSION_CONFLICT,
            &format!(
                "RecordStore.open: the database was written by a newer schema than this code's (v{SCHEMA_VERSION}); nothing was changed"
            ),
        ),
        Some(catalog::STORAGE_UNAVAILABLE) => unavailable(&message),
        _ => exception_error("RecordStore.open", error),
    }
}

/// Any failure of the `idb` crate as a coded error: the DOMException inside
/// picks the code (quota, version, closed connection...), else E3006.
pub fn storage_error(operation: &str, error: idb::Error) -> JsValue {
    use idb::Error as E;
    let inner = match &error {
        E::DomException(exception) => Some(JsValue::from(exception.clone())),
        E::AddFailed(v)
        | E::ClearFailed(v)
        | E::CountFailed(v)
        | E::DeleteFailed(v)
        | E::GetAllFailed(v)
        | E::GetAllKeysFailed(v)
        | E::GetFailed(v)
        | E::UpdateFailed(v)
        | E::IndexedDbOpenFailed(v)
        | E::IndexNotFound(v)
        | E::ObjectStoreNotFound(v)
        | E::TransactionAbortError(v)
        | E::TransactionCommitError(v)
        | E::TransactionOpenFailed(v)
        | E::KeyRangeCreateFailed(v) => Some(v.clone()),
        _ => None,
    };
    match inner {
        Some(inner) if inner.is_object() => exception_error(operation, &inner),
        // idb's own Display would pull every message of its error enum into the .wasm.
        _ => coded_error(
            catalog::STORAGE_FAILED,
            &format!("{operation}: the storage operation failed"),
        ),
    }
}

/// A DOMException (or anything with a `name`) as a coded storage error.
pub fn exception_error(operation: &str, exception: &JsValue) -> JsValue {
    let field = |key: &str| {
        js_sys::Reflect::get(exception, &key.into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let name = field("name");
    let code =
        code_for_storage_exception(&name, StorageStep::Using).unwrap_or(catalog::STORAGE_FAILED);
    coded_error(code, &format!("{operation}: {name}: {}", field("message")))
}

/// A connection that closes itself when another tab upgrades or deletes the
/// database (`versionchange`) and reopens on the next call. Exactly one
/// database connection is held at a time, and it is closed whenever it is
/// let go of: on `close()`, on `versionchange`, when concurrent callers raced
/// to reopen (the extra one), and when the store itself is dropped (also
/// by the garbage collector), so a later `deleteDatabase` is never blocked.
pub struct Connection {
    name: String,
    blocked_timeout_ms: u32,
    database: RefCell<Option<Rc<Database>>>,
    /// The same connection as web-sys sees it, for the JavaScript transactions.
    raw: RefCell<Option<web_sys::IdbDatabase>>,
}

impl Connection {
    pub async fn open(name: &str, blocked_timeout_ms: u32) -> Result<Rc<Self>, JsValue> {
        let connection = Rc::new(Connection {
            name: name.to_owned(),
            blocked_timeout_ms,
            database: RefCell::new(None),
            raw: RefCell::new(None),
        });
        connection.database().await?;
        Ok(connection)
    }

    /// The open database, reopening it if it was closed.
    pub async fn database(self: &Rc<Self>) -> Result<Rc<Database>, JsValue> {
        if let Some(database) = self.database.borrow().as_ref() {
            return Ok(Rc::clone(database));
        }
        let raw = open(&self.name, self.blocked_timeout_ms).await?;
        if let Some(database) = self.database.borrow().as_ref() {
            // Another caller reopened first: use theirs, close ours.
            raw.close();
            return Ok(Rc::clone(database));
        }
        let mut database = Database::from(raw.clone());
        *self.raw.borrow_mut() = Some(raw.clone());
        let weak = Rc::downgrade(self);
        database.on_version_change(move |_| {
            // Let the other tab's upgrade or delete proceed; the next call reopens.
            raw.close();
            if let Some(connection) = weak.upgrade() {
                connection.database.borrow_mut().take();
                connection.raw.borrow_mut().take();
            }
        });
        let database = Rc::new(database);
        *self.database.borrow_mut() = Some(Rc::clone(&database));
        Ok(database)
    }

    /// The database as web-sys sees it, when it is open now.
    pub fn raw_now(&self) -> Option<web_sys::IdbDatabase> {
        self.raw.borrow().clone()
    }

    /// The open database as web-sys sees it, reopening it if it was closed.
    pub async fn raw(self: &Rc<Self>) -> Result<web_sys::IdbDatabase, JsValue> {
        self.database().await?;
        self.raw.borrow().clone().ok_or_else(|| {
            coded_error(
                catalog::STORAGE_CLOSED,
                "RecordStore: the database connection closed",
            )
        })
    }

    /// Closes the connection; a later call reopens it.
    pub fn close(&self) {
        self.raw.borrow_mut().take();
        if let Some(database) = self.database.borrow_mut().take() {
            database.close();
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.close();
    }
}
