//! `RecordStore` for JavaScript (pages and workers): validates input, then
//! runs each operation in one IndexedDB transaction. Eviction to the cap
//! happens inside the same readwrite transaction as the write, so concurrent
//! writers (other tabs) never leave more than `maxPerResource` entries.

use std::cell::RefCell;
use std::rc::Rc;

use idb::{KeyRange, Query, TransactionMode, TransactionResult};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::idb::{exception_error, storage_error, Connection, BY_ACCESS, BY_AGE, ENTRIES};
use super::key::{key_for, Id, IdType, Key, ID_TYPES};
use super::lru::{self, AccessClock};
use super::transactions;
use crate::errors::catalog;
use crate::errors::format::quoted;
use crate::interop::{coded_error, describe, JsOptions, ObjectBuilder};

pub const DEFAULT_DB_NAME: &str = "offline-runtime";
pub const DEFAULT_ID_FIELD: &str = "id";
pub const DEFAULT_BLOCKED_TIMEOUT_MS: f64 = 3_000.0;
pub const DEFAULT_RECENT_LIMIT: u32 = 20;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
export interface RecordStoreOptions {
  /** IndexedDB database name. Default "offline-runtime". */
  dbName?: string;
  /** Entries kept per resource type; the least recently viewed go first. Default 100. */
  maxPerResource?: number;
  /** Age after which purgeStale() removes an entry. Default 86400000 (24 h). */
  maxAgeMs?: number;
  /** The record field holding its id (a string or a finite number). Default "id". */
  idField?: string;
  /** Whose records these are (for example the signed-in user). Default "". */
  partition?: string;
  /** How long open() waits for other tabs to release an older schema. Default 3000. */
  blockedTimeoutMs?: number;
  /** Milliseconds since the epoch; for tests. Default Date.now. */
  clock?: () => number;
  /** How ids become keys: "as-is" (default: "6" and 6 are two records), "auto" ("6" and 6 are one:
   * a number's text is that number), "number" (every id a number), "string" (every id a string). */
  idType?: "as-is" | "auto" | "number" | "string";
}
/** A stored record with its timestamps (ms since the epoch). */
export interface StoredRecord<T = Record<string, unknown>> {
  record: T;
  cachedAt: number;
  lastAccess: number;
}
export type RecordId = string | number;
/** The record methods, generic in the record's type (merged into the class). */
export interface RecordStore {
  /** Inserts or replaces a record (counts as a view), evicting the least recently viewed beyond maxPerResource. */
  put<T extends object = Record<string, unknown>>(resource: string, record: T): Promise<void>;
  /** Writes a whole batch in one transaction: all or nothing. */
  putMany<T extends object = Record<string, unknown>>(resource: string, records: T[]): Promise<void>;
  /** The record and its timestamps, or undefined; counts as a view. */
  get<T = Record<string, unknown>>(resource: string, id: RecordId): Promise<StoredRecord<T> | undefined>;
  /** Like get, without counting as a view. */
  peek<T = Record<string, unknown>>(resource: string, id: RecordId): Promise<StoredRecord<T> | undefined>;
  /** Up to `limit` (default 20) records, most recently viewed first. */
  recent<T = Record<string, unknown>>(resource: string, limit?: number): Promise<StoredRecord<T>[]>;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "RecordStoreOptions")]
    pub type RecordStoreOptions;
    #[wasm_bindgen(typescript_type = "Promise<RecordStore>")]
    pub type RecordStorePromise;
    #[wasm_bindgen(typescript_type = "Promise<StoredRecord | undefined>")]
    pub type MaybeStoredPromise;
    #[wasm_bindgen(typescript_type = "Promise<StoredRecord[]>")]
    pub type StoredListPromise;
    #[wasm_bindgen(typescript_type = "Record<string, unknown>")]
    pub type PlainRecord;
    #[wasm_bindgen(typescript_type = "Record<string, unknown>[]")]
    pub type PlainRecords;
    #[wasm_bindgen(typescript_type = "RecordId")]
    pub type RecordId;
    #[wasm_bindgen(typescript_type = "Promise<void>")]
    pub type VoidPromise;
    /// A number argument that may be left out (checked at run time, not coerced).
    #[wasm_bindgen(typescript_type = "number")]
    pub type OptionalNumber;
    #[wasm_bindgen(typescript_type = "string")]
    pub type OptionalString;
    #[wasm_bindgen(typescript_type = "Promise<number>")]
    pub type CountPromise;
    #[wasm_bindgen(typescript_type = "Promise<boolean>")]
    pub type DeletedPromise;
}

struct Settings {
    /// `lru::excess` with this store's cap (`maxPerResource`), for the write transaction.
    excess: Closure<dyn Fn(u32) -> u32>,
    max_age_ms: f64,
    id_field: String,
    partition: String,
    clock: Option<js_sys::Function>,
    id_type: IdType,
}

/// Recently viewed records, per resource type, in IndexedDB.
#[wasm_bindgen]
pub struct RecordStore {
    connection: Rc<Connection>,
    settings: Rc<Settings>,
    access: Rc<RefCell<AccessClock>>,
}

/// One operation's context: everything a method needs, owned, so the
/// returned Promise does not borrow the store.
#[derive(Clone)]
struct Op {
    connection: Rc<Connection>,
    settings: Rc<Settings>,
    access: Rc<RefCell<AccessClock>>,
    name: &'static str,
}

#[wasm_bindgen]
impl RecordStore {
    /// Opens (creating or migrating) the database.
    pub fn open(options: Option<RecordStoreOptions>) -> RecordStorePromise {
        let options = options.map(JsValue::from).unwrap_or_default();
        promise(async move {
            let known = [
                "dbName",
                "maxPerResource",
                "maxAgeMs",
                "idField",
                "partition",
                "blockedTimeoutMs",
                "clock",
                "idType",
            ];
            let options = JsOptions::read(&options, "RecordStore.open", &known)?;
            let max = options
                .number("maxPerResource", 1.0)?
                .unwrap_or(f64::from(lru::DEFAULT_MAX_PER_RESOURCE));
            let cap = whole(max, "RecordStore.open", "options.maxPerResource")?;
            let settings = Settings {
                excess: Closure::new(move |count| lru::excess(count, cap)),
                max_age_ms: options
                    .number("maxAgeMs", 0.0)?
                    .unwrap_or(lru::DEFAULT_MAX_AGE_MS),
                id_field: options
                    .string("idField")?
                    .unwrap_or_else(|| DEFAULT_ID_FIELD.into()),
                partition: options.string("partition")?.unwrap_or_default(),
                clock: options.function("clock")?,
                id_type: IdType::from_index(options.choice("idType", &ID_TYPES)?.unwrap_or(0)),
            };
            let name = options
                .string("dbName")?
                .unwrap_or_else(|| DEFAULT_DB_NAME.into());
            let blocked_ms = options
                .number("blockedTimeoutMs", 0.0)?
                .unwrap_or(DEFAULT_BLOCKED_TIMEOUT_MS);
            let connection =
                Connection::open(&name, blocked_ms.min(f64::from(u32::MAX)) as u32).await?;
            Ok(RecordStore {
                connection,
                settings: Rc::new(settings),
                access: Rc::default(),
            }
            .into())
        })
        .unchecked_into()
    }

    /// The partition this store reads and writes.
    #[wasm_bindgen(getter)]
    pub fn partition(&self) -> String {
        self.settings.partition.clone()
    }

    /// Inserts or replaces a record (counts as a view), evicting the least
    /// recently viewed beyond `maxPerResource`.
    #[wasm_bindgen(skip_typescript)]
    pub fn put(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
        record: PlainRecord,
    ) -> VoidPromise {
        let op = self.op("RecordStore.put");
        promise(async move {
            let resource = op.resource(&resource)?;
            let entry = op.entry(&resource, &record.into())?;
            op.write(&resource, std::slice::from_ref(&entry)).await?;
            Ok(JsValue::UNDEFINED)
        })
        .unchecked_into()
    }

    /// Writes a whole batch in one transaction: all or nothing.
    #[wasm_bindgen(js_name = putMany, skip_typescript)]
    pub fn put_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
        records: PlainRecords,
    ) -> VoidPromise {
        let op = self.op("RecordStore.putMany");
        promise(async move {
            let resource = op.resource(&resource)?;
            let records: JsValue = records.into();
            if !js_sys::Array::is_array(&records) {
                return Err(coded_error(
                    catalog::INVALID_ARGUMENT,
                    &format!(
                        "{}: records must be an array, got {}",
                        op.name,
                        describe(&records)
                    ),
                ));
            }
            let entries = js_sys::Array::from(&records)
                .iter()
                .map(|record| op.entry(&resource, &record))
                .collect::<Result<Vec<_>, _>>()?;
            op.write(&resource, &entries).await?;
            Ok(JsValue::UNDEFINED)
        })
        .unchecked_into()
    }

    /// The record and its timestamps, or `undefined`; counts as a view.
    #[wasm_bindgen(skip_typescript)]
    pub fn get(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
        id: RecordId,
    ) -> MaybeStoredPromise {
        self.read_one("RecordStore.get", resource, id.into(), true)
    }

    /// Like `get`, without counting as a view.
    #[wasm_bindgen(skip_typescript)]
    pub fn peek(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
        id: RecordId,
    ) -> MaybeStoredPromise {
        self.read_one("RecordStore.peek", resource, id.into(), false)
    }

    /// Up to `limit` (default 20) records, most recently viewed first.
    #[wasm_bindgen(skip_typescript)]
    pub fn recent(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
        limit: Option<OptionalNumber>,
    ) -> StoredListPromise {
        let op = self.op("RecordStore.recent");
        let limit = limit.map(JsValue::from).unwrap_or_default();
        let checked = op.resource(&resource).and_then(|resource| {
            let limit = if limit.is_undefined() {
                DEFAULT_RECENT_LIMIT
            } else {
                positive_integer(&limit, op.name, "limit")?
            };
            Ok((query_value(op.resource_range(&resource)?), limit))
        });
        let (range, limit) = match checked {
            Ok(checked) => checked,
            Err(error) => return js_sys::Promise::reject(&error).unchecked_into(),
        };
        op.run(move |database| transactions::newest(database, ENTRIES, BY_ACCESS, &range, limit))
            .unchecked_into()
    }

    /// How many records of `resource` are stored.
    pub fn count(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
    ) -> CountPromise {
        let op = self.op("RecordStore.count");
        promise(async move {
            let resource = op.resource(&resource)?;
            let count = op.count(&resource).await?;
            Ok(count.into())
        })
        .unchecked_into()
    }

    /// Deletes one record; resolves `true` when it was there.
    pub fn delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
        id: RecordId,
    ) -> DeletedPromise {
        let op = self.op("RecordStore.delete");
        let id: JsValue = id.into();
        promise(async move {
            let resource = op.resource(&resource)?;
            let key = op.key(&resource, &op.id(&id)?);
            let existed = op
                .readwrite(|store| async move {
                    let found = store.get(key.clone())?.await?.is_some();
                    store.delete(key)?.await?;
                    Ok(found)
                })
                .await?;
            Ok(existed.into())
        })
        .unchecked_into()
    }

    /// Deletes every record of `resource` in this partition; resolves the count.
    #[wasm_bindgen(js_name = clearResource)]
    pub fn clear_resource(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
    ) -> CountPromise {
        let op = self.op("RecordStore.clearResource");
        promise(async move {
            let resource = op.resource(&resource)?;
            let range = op.resource_range(&resource)?;
            let removed = op.delete_matching(Some(range), |_| true).await?;
            Ok(removed.into())
        })
        .unchecked_into()
    }

    /// Deletes every record of `partition` (default: this store's); resolves the count.
    #[wasm_bindgen(js_name = clearPartition)]
    pub fn clear_partition(&self, partition: Option<OptionalString>) -> CountPromise {
        let op = self.op("RecordStore.clearPartition");
        let partition = partition.map(JsValue::from).unwrap_or_default();
        promise(async move {
            let partition = if partition.is_undefined() {
                op.settings.partition.clone()
            } else {
                partition.as_string().ok_or_else(|| {
                    coded_error(
                        catalog::INVALID_ARGUMENT,
                        &format!(
                            "{}: partition must be a string, got {}",
                            op.name,
                            describe(&partition)
                        ),
                    )
                })?
            };
            let removed = op
                .delete_matching(None, move |entry| {
                    field(entry, "partition").as_string().as_deref() == Some(&partition)
                })
                .await?;
            Ok(removed.into())
        })
        .unchecked_into()
    }

    /// Deletes everything in the database, every partition (e.g. on logout).
    #[wasm_bindgen(js_name = clearAll)]
    pub fn clear_all(&self) -> VoidPromise {
        let op = self.op("RecordStore.clearAll");
        promise(async move {
            op.readwrite(|store| async move {
                store.clear()?.await?;
                Ok(())
            })
            .await?;
            Ok(JsValue::UNDEFINED)
        })
        .unchecked_into()
    }

    /// Removes this partition's records cached longer ago than `maxAgeMs`
    /// (default: the store's); resolves how many went.
    #[wasm_bindgen(js_name = purgeStale)]
    pub fn purge_stale(&self, max_age_ms: Option<OptionalNumber>) -> CountPromise {
        let op = self.op("RecordStore.purgeStale");
        let max_age_ms = max_age_ms.map(JsValue::from).unwrap_or_default();
        promise(async move {
            let max_age = if max_age_ms.is_undefined() {
                op.settings.max_age_ms
            } else {
                max_age_ms
                    .as_f64()
                    .filter(|n| n.is_finite() && *n >= 0.0)
                    .ok_or_else(|| {
                        coded_error(
                            catalog::INVALID_NUMBER,
                            &format!(
                                "{}: maxAgeMs must be a finite number >= 0, got {}",
                                op.name,
                                describe(&max_age_ms)
                            ),
                        )
                    })?
            };
            let now = op.now();
            let partition = op.settings.partition.clone();
            let removed = op
                .delete_matching(None, move |entry| {
                    field(entry, "partition").as_string().as_deref() == Some(&partition)
                        && field(entry, "cachedAt")
                            .as_f64()
                            .is_some_and(|at| lru::is_stale(at, now, max_age))
                })
                .await?;
            Ok(removed.into())
        })
        .unchecked_into()
    }

    /// Closes the connection. Later calls reopen it.
    pub fn close(&self) {
        self.connection.close();
    }
}

impl RecordStore {
    fn op(&self, name: &'static str) -> Op {
        Op {
            connection: Rc::clone(&self.connection),
            settings: Rc::clone(&self.settings),
            access: Rc::clone(&self.access),
            name,
        }
    }

    fn read_one(
        &self,
        name: &'static str,
        resource: JsValue,
        id: JsValue,
        touch: bool,
    ) -> MaybeStoredPromise {
        let op = self.op(name);
        let key = match op
            .resource(&resource)
            .and_then(|resource| Ok(op.key(&resource, &op.id(&id)?)))
        {
            Ok(key) => key,
            Err(error) => return js_sys::Promise::reject(&error).unchecked_into(),
        };
        if !touch {
            return op
                .run(move |database| transactions::read(database, ENTRIES, &key))
                .unchecked_into();
        }
        let at = op.tick();
        op.run(move |database| transactions::view(database, ENTRIES, &key, at))
            .unchecked_into()
    }
}

impl Op {
    fn now(&self) -> f64 {
        self.settings
            .clock
            .as_ref()
            .and_then(|clock| clock.call0(&JsValue::NULL).ok())
            .and_then(|now| now.as_f64())
            .unwrap_or_else(js_sys::Date::now)
    }

    fn tick(&self) -> f64 {
        let now = self.now();
        self.access.borrow_mut().tick(now)
    }

    fn resource(&self, value: &JsValue) -> Result<String, JsValue> {
        value
            .as_string()
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| {
                coded_error(
                    catalog::INVALID_RESOURCE,
                    &format!(
                        "{}: resource must be a non-empty string, got {}",
                        self.name,
                        describe(value)
                    ),
                )
            })
    }

    /// The key part for an id, per `idType` (see `key`).
    fn id(&self, value: &JsValue) -> Result<JsValue, JsValue> {
        let id = if let Some(text) = value.as_string().filter(|s| !s.is_empty()) {
            // Whether the text is a number's canonical form, by the platform's own formatting.
            let number = js_sys::Number::parse_float(&text);
            let canonical = number.is_finite()
                && js_sys::Number::from(number)
                    .to_string_with_radix(10)
                    .ok()
                    .map(String::from)
                    .as_deref()
                    == Some(text.as_str());
            Some(Id::Text {
                text,
                number: canonical.then_some(number),
            })
        } else {
            value.as_f64().filter(|n| n.is_finite()).map(Id::Number)
        };
        let refused = |expected: &str| {
            coded_error(
                catalog::INVALID_RECORD_ID,
                &format!(
                    "{}: a record id must be {expected}, got {}",
                    self.name,
                    describe(value)
                ),
            )
        };
        let id = id.ok_or_else(|| refused("a non-empty string or a finite number"))?;
        match key_for(id, self.settings.id_type) {
            Some(Key::Text(text)) => Ok(text.into()),
            Some(Key::Number(number)) => Ok(number.into()),
            Some(Key::NumberAsText(number)) => Ok(js_sys::Number::from(number)
                .to_string_with_radix(10)
                .map(JsValue::from)
                .unwrap_or_default()),
            None => Err(refused("a number or a number's text (idType \"number\")")),
        }
    }

    fn key(&self, resource: &str, id: &JsValue) -> JsValue {
        js_sys::Array::of3(
            &self.settings.partition.as_str().into(),
            &resource.into(),
            id,
        )
        .into()
    }

    /// `[partition, resource, -Infinity] .. [partition, resource, +Infinity]` on `byAccess`.
    fn resource_range(&self, resource: &str) -> Result<Query, JsValue> {
        let bound = |edge: f64| -> JsValue {
            js_sys::Array::of3(
                &self.settings.partition.as_str().into(),
                &resource.into(),
                &edge.into(),
            )
            .into()
        };
        KeyRange::bound(&bound(f64::NEG_INFINITY), &bound(f64::INFINITY), None, None)
            .map(Query::from)
            .map_err(|e| storage_error(self.name, e))
    }

    /// Validates a record and wraps it as a stored entry.
    fn entry(&self, resource: &str, record: &JsValue) -> Result<JsValue, JsValue> {
        let is_record =
            record.is_object() && !record.is_function() && !js_sys::Array::is_array(record);
        if !is_record {
            return Err(coded_error(
                catalog::INVALID_RECORD,
                &format!(
                    "{}: a record must be an object, got {}",
                    self.name,
                    describe(record)
                ),
            ));
        }
        let id_field = &self.settings.id_field;
        let id = field(record, id_field);
        if id.is_undefined() || id.is_null() {
            return Err(coded_error(
                catalog::INVALID_RECORD,
                &format!(
                    "{}: the record has no {} field (idField)",
                    self.name,
                    quoted(id_field)
                ),
            ));
        }
        let id = self.id(&id)?;
        let now = self.now();
        Ok(ObjectBuilder::new()
            .set("partition", self.settings.partition.as_str())
            .set("resource", resource)
            .set("id", id)
            .set("record", record.clone())
            .set("cachedAt", now)
            .set("lastAccess", self.tick())
            .build())
    }

    async fn count(&self, resource: &str) -> Result<u32, JsValue> {
        let database = self.connection.database().await?;
        let tx = database
            .transaction(&[ENTRIES], TransactionMode::ReadOnly)
            .map_err(|e| storage_error(self.name, e))?;
        let index = tx
            .object_store(ENTRIES)
            .and_then(|store| store.index(BY_ACCESS))
            .map_err(|e| storage_error(self.name, e))?;
        index
            .count(Some(self.resource_range(resource)?))
            .map_err(|e| storage_error(self.name, e))?
            .await
            .map_err(|e| storage_error(self.name, e))
    }

    /// Puts entries of one resource and evicts beyond the cap, in one
    /// transaction; when storage is full, evicts the oldest 10% and retries once.
    async fn write(&self, resource: &str, entries: &[JsValue]) -> Result<(), JsValue> {
        match self.put_and_evict(resource, entries).await {
            Err(error) if is_quota(&error) => {
                self.evict_oldest_share().await?;
                self.put_and_evict(resource, entries).await
            }
            other => other,
        }
    }

    async fn put_and_evict(&self, resource: &str, entries: &[JsValue]) -> Result<(), JsValue> {
        let range = query_value(self.resource_range(resource)?);
        let database = self.raw_database().await?;
        let entries: js_sys::Array = entries.iter().collect();
        let excess = self.settings.excess.as_ref().unchecked_ref();
        JsFuture::from(transactions::put_and_evict(
            &database, ENTRIES, BY_ACCESS, &entries, &range, excess,
        ))
        .await
        .map(|_| ())
        .map_err(|error| exception_error(self.name, &error))
    }

    /// Runs a JavaScript transaction: at once while the connection is open
    /// (no Rust future on the hot path), else once it has reopened. Its
    /// DOMException becomes a coded error naming the operation.
    fn run(
        self,
        transaction: impl FnOnce(&web_sys::IdbDatabase) -> js_sys::Promise + 'static,
    ) -> js_sys::Promise {
        self.run_boxed(Box::new(transaction))
    }

    /// `run`'s body, once for every transaction (one future in the .wasm, not one per caller).
    fn run_boxed(
        self,
        transaction: Box<dyn FnOnce(&web_sys::IdbDatabase) -> js_sys::Promise>,
    ) -> js_sys::Promise {
        if let Some(database) = self.connection.raw_now() {
            return CODED_FAILURE.with(|coded| {
                transactions::coded_failure(
                    &transaction(&database),
                    self.name,
                    coded.as_ref().unchecked_ref(),
                )
            });
        }
        promise(async move {
            let database = self.raw_database().await?;
            JsFuture::from(transaction(&database))
                .await
                .map_err(|error| exception_error(self.name, &error))
        })
    }

    async fn raw_database(&self) -> Result<web_sys::IdbDatabase, JsValue> {
        self.connection.raw().await
    }

    /// Frees space: the oldest 10% of all entries, across resources and partitions.
    async fn evict_oldest_share(&self) -> Result<(), JsValue> {
        self.readwrite(|store| async move {
            let total = store.count(None)?.await?;
            let share = lru::quota_eviction_count(total);
            let oldest = store
                .index(BY_AGE)?
                .get_all_keys(None, Some(share))?
                .await?;
            for key in oldest {
                store.delete(key)?;
            }
            Ok(())
        })
        .await
    }

    /// Deletes the entries in `range` (or all) that `selected` picks; returns how many.
    async fn delete_matching(
        &self,
        range: Option<Query>,
        selected: impl Fn(&JsValue) -> bool + 'static,
    ) -> Result<u32, JsValue> {
        self.readwrite(|store| async move {
            let all = store.get_all(range, None)?.await?;
            let mut removed = 0;
            for entry in all.iter().filter(|entry| selected(entry)) {
                let key = js_sys::Array::of3(
                    &field(entry, "partition"),
                    &field(entry, "resource"),
                    &field(entry, "id"),
                );
                store.delete(JsValue::from(key))?;
                removed += 1;
            }
            Ok(removed)
        })
        .await
    }

    /// Runs `body` in a readwrite transaction and waits for it to commit.
    async fn readwrite<T, F, Fut>(&self, body: F) -> Result<T, JsValue>
    where
        F: FnOnce(idb::ObjectStore) -> Fut,
        Fut: std::future::Future<Output = Result<T, idb::Error>>,
    {
        let database = self.connection.database().await?;
        let tx = database
            .transaction(&[ENTRIES], TransactionMode::ReadWrite)
            .map_err(|e| storage_error(self.name, e))?;
        let store = tx
            .object_store(ENTRIES)
            .map_err(|e| storage_error(self.name, e))?;
        let raw: web_sys::IdbTransaction = JsValue::from(tx).unchecked_into();
        let outcome = body(store).await;
        let transaction = idb::Transaction::from(raw.clone());
        let value = match outcome {
            Ok(value) => value,
            Err(error) => {
                let _ = raw.abort();
                return Err(storage_error(self.name, error));
            }
        };
        match transaction.await.map_err(|e| storage_error(self.name, e))? {
            TransactionResult::Committed => Ok(value),
            TransactionResult::Aborted => Err(match raw.error() {
                Some(exception) => super::idb::exception_error(self.name, &exception.into()),
                None => coded_error(
                    catalog::STORAGE_FAILED,
                    &format!("{}: the transaction was aborted", self.name),
                ),
            }),
        }
    }
}

thread_local! {
    /// `exception_error` for the JavaScript transactions' rejections.
    static CODED_FAILURE: Closure<dyn Fn(String, JsValue) -> JsValue> =
        Closure::new(|name: String, error: JsValue| exception_error(&name, &error));
}

/// A key range (or key) as the JavaScript transactions take it.
fn query_value(query: Query) -> JsValue {
    match query {
        Query::KeyRange(range) => web_sys::IdbKeyRange::from(range).into(),
        Query::Key(key) => key,
    }
}

fn is_quota(error: &JsValue) -> bool {
    field(error, "code").as_string().as_deref() == Some(catalog::QUOTA_EXCEEDED)
}

fn field(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &key.into()).unwrap_or_default()
}

fn whole(value: f64, function: &str, name: &str) -> Result<u32, JsValue> {
    if value.fract() == 0.0 && value >= 1.0 && value <= f64::from(u32::MAX) {
        Ok(value as u32)
    } else {
        Err(coded_error(
            catalog::INVALID_NUMBER,
            &format!(
                "{function}: {name} must be a positive integer, got {}",
                describe(&value.into())
            ),
        ))
    }
}

fn positive_integer(value: &JsValue, function: &str, name: &str) -> Result<u32, JsValue> {
    match value.as_f64() {
        Some(number) => whole(number, function, name),
        None => Err(coded_error(
            catalog::INVALID_NUMBER,
            &format!(
                "{function}: {name} must be a positive integer, got {}",
                describe(value)
            ),
        )),
    }
}

/// Runs an operation as a Promise; validation errors reject it too.
fn promise(
    future: impl std::future::Future<Output = Result<JsValue, JsValue>> + 'static,
) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(future)
}
