//! `RecordStore` for JavaScript (pages and workers): validates input and
//! decides keys, entries and access times, then hands each operation to the
//! JavaScript shell (`shell.js`), which runs it as one IndexedDB
//! transaction. Eviction to the cap happens inside the same readwrite
//! transaction as the write, so concurrent writers (other tabs) never leave
//! more than `maxPerResource` entries. No Rust futures: every method returns
//! the shell's Promise (or a rejected one for bad input).

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::failures::SCHEMA_VERSION;
use super::key::{key_for, Id, IdType, Key, ID_TYPES};
use super::lru::{self, AccessClock};
use super::shell::{self, Excess, StoreShell};
use crate::errors::catalog;
use crate::errors::format::quoted;
use crate::errors::input::{describe, JsOptions};
use crate::interop::{coded_error, field, ObjectBuilder};

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
    max_age_ms: f64,
    id_field: String,
    partition: String,
    clock: Option<js_sys::Function>,
    id_type: IdType,
}

/// Recently viewed records, per resource type, in IndexedDB.
#[wasm_bindgen]
pub struct RecordStore {
    shell: StoreShell,
    settings: Settings,
    access: RefCell<AccessClock>,
    /// `lru::excess` with this store's cap, which the shell calls in each write.
    _excess: Excess,
}

#[wasm_bindgen]
impl RecordStore {
    /// Opens (creating or migrating) the database.
    pub fn open(options: Option<RecordStoreOptions>) -> RecordStorePromise {
        let options = options.map(JsValue::from).unwrap_or_default();
        settled(RecordStore::opening(&options)).unchecked_into()
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
        let name = "RecordStore.put";
        settled(self.resource(name, &resource).and_then(|resource| {
            let entry = self.entry(name, &resource, &record.into())?;
            Ok(self.write(name, &resource, &js_sys::Array::of1(&entry)))
        }))
        .unchecked_into()
    }

    /// Writes a whole batch in one transaction: all or nothing.
    #[wasm_bindgen(js_name = putMany, skip_typescript)]
    pub fn put_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
        records: PlainRecords,
    ) -> VoidPromise {
        let name = "RecordStore.putMany";
        settled(self.resource(name, &resource).and_then(|resource| {
            let records: JsValue = records.into();
            if !js_sys::Array::is_array(&records) {
                return Err(coded_error(
                    catalog::INVALID_ARGUMENT,
                    &format!(
                        "{name}: records must be an array, got {}",
                        describe(&records)
                    ),
                ));
            }
            let entries = js_sys::Array::from(&records)
                .iter()
                .map(|record| self.entry(name, &resource, &record))
                .collect::<Result<js_sys::Array, _>>()?;
            Ok(self.write(name, &resource, &entries))
        }))
        .unchecked_into()
    }

    /// The record and its timestamps, or `undefined`; counts as a view.
    #[wasm_bindgen(skip_typescript)]
    pub fn get(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
        id: RecordId,
    ) -> MaybeStoredPromise {
        let name = "RecordStore.get";
        settled(
            self.key(name, &resource, &id.into())
                .map(|key| self.shell.view(name, &key, self.tick())),
        )
        .unchecked_into()
    }

    /// Like `get`, without counting as a view.
    #[wasm_bindgen(skip_typescript)]
    pub fn peek(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
        id: RecordId,
    ) -> MaybeStoredPromise {
        let name = "RecordStore.peek";
        settled(
            self.key(name, &resource, &id.into())
                .map(|key| self.shell.read(name, &key)),
        )
        .unchecked_into()
    }

    /// Up to `limit` (default 20) records, most recently viewed first.
    #[wasm_bindgen(skip_typescript)]
    pub fn recent(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
        limit: Option<OptionalNumber>,
    ) -> StoredListPromise {
        let name = "RecordStore.recent";
        let limit = limit.map(JsValue::from).unwrap_or_default();
        settled(self.resource(name, &resource).and_then(|resource| {
            let limit = if limit.is_undefined() {
                DEFAULT_RECENT_LIMIT
            } else {
                positive_integer(&limit, name, "limit")?
            };
            Ok(self
                .shell
                .newest(name, &self.settings.partition, &resource, limit))
        }))
        .unchecked_into()
    }

    /// How many records of `resource` are stored.
    pub fn count(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
    ) -> CountPromise {
        let name = "RecordStore.count";
        settled(
            self.resource(name, &resource)
                .map(|resource| self.shell.count(name, &self.settings.partition, &resource)),
        )
        .unchecked_into()
    }

    /// Deletes one record; resolves `true` when it was there.
    pub fn delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
        id: RecordId,
    ) -> DeletedPromise {
        let name = "RecordStore.delete";
        settled(
            self.key(name, &resource, &id.into())
                .map(|key| self.shell.remove(name, &key)),
        )
        .unchecked_into()
    }

    /// Deletes every record of `resource` in this partition; resolves the count.
    #[wasm_bindgen(js_name = clearResource)]
    pub fn clear_resource(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
    ) -> CountPromise {
        let name = "RecordStore.clearResource";
        settled(self.resource(name, &resource).map(|resource| {
            let prefix =
                js_sys::Array::of2(&self.settings.partition.as_str().into(), &resource.into());
            self.shell.clear(name, &prefix)
        }))
        .unchecked_into()
    }

    /// Deletes every record of `partition` (default: this store's); resolves the count.
    #[wasm_bindgen(js_name = clearPartition)]
    pub fn clear_partition(&self, partition: Option<OptionalString>) -> CountPromise {
        let name = "RecordStore.clearPartition";
        let partition = partition.map(JsValue::from).unwrap_or_default();
        let partition = if partition.is_undefined() {
            Ok(self.settings.partition.clone())
        } else {
            partition.as_string().ok_or_else(|| {
                coded_error(
                    catalog::INVALID_ARGUMENT,
                    &format!(
                        "{name}: partition must be a string, got {}",
                        describe(&partition)
                    ),
                )
            })
        };
        settled(partition.map(|partition| {
            self.shell
                .clear(name, &js_sys::Array::of1(&partition.into()))
        }))
        .unchecked_into()
    }

    /// Deletes everything in the database, every partition (e.g. on logout).
    #[wasm_bindgen(js_name = clearAll)]
    pub fn clear_all(&self) -> VoidPromise {
        self.shell
            .clear_all("RecordStore.clearAll")
            .unchecked_into()
    }

    /// Removes this partition's records cached longer ago than `maxAgeMs`
    /// (default: the store's); resolves how many went.
    #[wasm_bindgen(js_name = purgeStale)]
    pub fn purge_stale(&self, max_age_ms: Option<OptionalNumber>) -> CountPromise {
        let name = "RecordStore.purgeStale";
        let max_age_ms = max_age_ms.map(JsValue::from).unwrap_or_default();
        let max_age = if max_age_ms.is_undefined() {
            Ok(self.settings.max_age_ms)
        } else {
            max_age_ms
                .as_f64()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .ok_or_else(|| {
                    coded_error(
                        catalog::INVALID_NUMBER,
                        &format!(
                            "{name}: maxAgeMs must be a finite number >= 0, got {}",
                            describe(&max_age_ms)
                        ),
                    )
                })
        };
        settled(max_age.map(|max_age| {
            self.shell.purge(
                name,
                &self.settings.partition,
                lru::stale_before(self.now(), max_age),
            )
        }))
        .unchecked_into()
    }

    /// Closes the connection. Later calls reopen it.
    pub fn close(&self) {
        self.shell.close();
    }
}

impl Drop for RecordStore {
    /// A store the app let go of (also by the garbage collector) holds no
    /// connection, so a later `deleteDatabase` is never blocked.
    fn drop(&mut self) {
        self.shell.close();
    }
}

impl RecordStore {
    /// `open`'s work: the options checked, the shell made, its Promise of the store.
    fn opening(options: &JsValue) -> Result<js_sys::Promise, JsValue> {
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
        let options = JsOptions::read(options, "RecordStore.open", &known)?;
        let max = options
            .number("maxPerResource", 1.0)?
            .unwrap_or(f64::from(lru::DEFAULT_MAX_PER_RESOURCE));
        let cap = whole(max, "RecordStore.open", "options.maxPerResource")?;
        let settings = Settings {
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
        let excess = shell::excess_for(cap);
        let shell = StoreShell::new(
            &name,
            SCHEMA_VERSION,
            blocked_ms.min(f64::from(u32::MAX)) as u32,
            &shell::policy(&excess),
        );
        let store = RecordStore {
            shell,
            settings,
            access: RefCell::default(),
            _excess: excess,
        };
        let shell: StoreShell = store.shell.clone().unchecked_into();
        Ok(shell.opened(&store.into()))
    }

    fn write(&self, name: &str, resource: &str, entries: &js_sys::Array) -> js_sys::Promise {
        self.shell
            .write(name, entries, &self.settings.partition, resource)
    }

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

    fn resource(&self, name: &str, value: &JsValue) -> Result<String, JsValue> {
        value
            .as_string()
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| {
                coded_error(
                    catalog::INVALID_RESOURCE,
                    &format!(
                        "{name}: resource must be a non-empty string, got {}",
                        describe(value)
                    ),
                )
            })
    }

    /// The key part for an id, per `idType` (see `key`).
    fn id(&self, name: &str, value: &JsValue) -> Result<JsValue, JsValue> {
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
                    "{name}: a record id must be {expected}, got {}",
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

    /// `[partition, resource, id]`: the entry's primary key.
    fn key(&self, name: &str, resource: &JsValue, id: &JsValue) -> Result<JsValue, JsValue> {
        let resource = self.resource(name, resource)?;
        let id = self.id(name, id)?;
        Ok(js_sys::Array::of3(
            &self.settings.partition.as_str().into(),
            &resource.into(),
            &id,
        )
        .into())
    }

    /// Validates a record and wraps it as a stored entry.
    fn entry(&self, name: &str, resource: &str, record: &JsValue) -> Result<JsValue, JsValue> {
        let is_record =
            record.is_object() && !record.is_function() && !js_sys::Array::is_array(record);
        if !is_record {
            return Err(coded_error(
                catalog::INVALID_RECORD,
                &format!(
                    "{name}: a record must be an object, got {}",
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
                    "{name}: the record has no {} field (idField)",
                    quoted(id_field)
                ),
            ));
        }
        let id = self.id(name, &id)?;
        let now = self.now();
        Ok(ObjectBuilder::new()
            .set("partition", self.settings.partition.as_str())
            .set("resource", resource)
            .set("id", id)
            .set("record", record.clone())
            .set("cachedAt", now)
            // The same clock reading: one call of the app's clock per entry.
            .set("lastAccess", self.access.borrow_mut().tick(now))
            .build())
    }
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

/// An operation's Promise; bad input rejects it (never a synchronous throw).
fn settled(operation: Result<js_sys::Promise, JsValue>) -> js_sys::Promise {
    operation.unwrap_or_else(|error| js_sys::Promise::reject(&error))
}
