//! `RecordStore` against real IndexedDB: cap and eviction order, get touches
//! and peek does not, purgeStale with an injected clock, migration v1 -> v2
//! with data, a newer schema, partitions, concurrent writers, another tab's
//! upgrade, a blocked open, bad input. Runs in pages and service workers.

use std::cell::Cell;
use std::rc::Rc;

use offline_runtime::store::api::RecordStore;
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

use super::{arg, get, json, text};

async fn settle(promise: impl Into<JsValue>) -> Result<JsValue, JsValue> {
    JsFuture::from(promise.into().unchecked_into::<js_sys::Promise>()).await
}

async fn open(options: &str) -> RecordStore {
    let store = settle(RecordStore::open(Some(arg(json(options)))))
        .await
        .expect("open");
    // The promise resolves the wasm-bindgen object; take ownership back.
    RecordStore::try_from_js_value(store).expect("a RecordStore")
}

async fn put(store: &RecordStore, resource: &str, id: impl Into<JsValue>) {
    let record = js_sys::Object::new();
    js_sys::Reflect::set(&record, &"id".into(), &id.into()).unwrap();
    js_sys::Reflect::set(&record, &"name".into(), &"Acme".into()).unwrap();
    settle(store.put(resource.into(), arg(record)))
        .await
        .expect("put");
}

async fn count(store: &RecordStore, resource: &str) -> f64 {
    settle(store.count(resource.into()))
        .await
        .unwrap()
        .as_f64()
        .unwrap()
}

async fn recent_ids(store: &RecordStore, resource: &str) -> Vec<String> {
    let list: js_sys::Array = settle(store.recent(resource.into(), Some(arg(100))))
        .await
        .unwrap()
        .unchecked_into();
    list.iter()
        .map(|entry| {
            let id = get(&get(&entry, "record"), "id");
            id.as_string()
                .unwrap_or_else(|| id.as_f64().unwrap().to_string())
        })
        .collect()
}

async fn code_of_rejection(promise: impl Into<JsValue>) -> String {
    match settle(promise).await {
        Ok(_) => "<resolved>".into(),
        Err(error) => text(&error, "code"),
    }
}

fn unique(name: &str) -> String {
    format!(
        "{name}-{}",
        js_sys::Math::random().to_string().replace('.', "")
    )
}

#[wasm_bindgen_test]
async fn the_cap_keeps_the_most_recently_viewed() {
    let store = open(&format!(
        r#"{{"dbName": "{}", "maxPerResource": 3}}"#,
        unique("cap")
    ))
    .await;
    for id in 1..=5 {
        put(&store, "contacts", id).await;
    }
    put(&store, "organizations", 1).await;
    assert_eq!(count(&store, "contacts").await, 3.0);
    assert_eq!(recent_ids(&store, "contacts").await, vec!["5", "4", "3"]);
    assert_eq!(
        count(&store, "organizations").await,
        1.0,
        "caps are per resource"
    );
    let first: js_sys::Array = settle(store.recent("contacts".into(), Some(arg(1))))
        .await
        .unwrap()
        .unchecked_into();
    assert_eq!(first.length(), 1);
    let entry = first.get(0);
    assert!(get(&entry, "cachedAt").as_f64().unwrap() > 0.0);
    assert!(get(&entry, "lastAccess").as_f64().unwrap() > 0.0);
    store.close();
}

#[wasm_bindgen_test]
async fn get_counts_as_a_view_and_peek_does_not() {
    let store = open(&format!(
        r#"{{"dbName": "{}", "maxPerResource": 3}}"#,
        unique("touch")
    ))
    .await;
    for id in ["a", "b", "c"] {
        put(&store, "contacts", id).await;
    }
    let peeked = settle(store.peek("contacts".into(), arg("a")))
        .await
        .unwrap();
    assert_eq!(text(&get(&peeked, "record"), "name"), "Acme");
    put(&store, "contacts", "d").await;
    assert!(
        settle(store.peek("contacts".into(), arg("a")))
            .await
            .unwrap()
            .is_undefined(),
        "a was evicted"
    );
    let got = settle(store.get("contacts".into(), arg("b")))
        .await
        .unwrap();
    assert_eq!(text(&get(&got, "record"), "id"), "b");
    put(&store, "contacts", "e").await;
    assert_eq!(
        recent_ids(&store, "contacts").await,
        vec!["e", "b", "d"],
        "c went, b survived its view"
    );
    assert!(settle(store.get("contacts".into(), arg("zzz")))
        .await
        .unwrap()
        .is_undefined());
    store.close();
}

#[wasm_bindgen_test]
async fn purge_stale_uses_the_injected_clock() {
    let now = Rc::new(Cell::new(1_000_000.0));
    let reader = Rc::clone(&now);
    let clock = Closure::<dyn Fn() -> f64>::new(move || reader.get()).into_js_value();
    let options = json(&format!(r#"{{"dbName": "{}"}}"#, unique("stale")));
    js_sys::Reflect::set(&options, &"clock".into(), &clock).unwrap();
    let store = RecordStore::try_from_js_value(
        settle(RecordStore::open(Some(arg(options)))).await.unwrap(),
    )
    .unwrap();
    put(&store, "contacts", "old").await;
    now.set(1_000_000.0 + 25.0 * 3_600_000.0);
    put(&store, "contacts", "new").await;
    let removed = settle(store.purge_stale(None)).await.unwrap();
    assert_eq!(removed.as_f64(), Some(1.0));
    assert_eq!(recent_ids(&store, "contacts").await, vec!["new"]);
    let none = settle(store.purge_stale(Some(arg(3_600_000))))
        .await
        .unwrap();
    assert_eq!(
        none.as_f64(),
        Some(0.0),
        "the new one is younger than an hour"
    );
    store.close();
}

/// Creates a database with the v1 schema (records keyed [resource, id]) holding two records.
async fn create_v1_database(name: &str) {
    let factory: web_sys::IdbFactory = get(&js_sys::global(), "indexedDB").unchecked_into();
    let request = factory.open_with_u32(name, 1).unwrap();
    let upgrade = Closure::once(move |event: web_sys::Event| {
        let request: web_sys::IdbOpenDbRequest = event.target().unwrap().unchecked_into();
        let database: web_sys::IdbDatabase = request.result().unwrap().unchecked_into();
        let params = web_sys::IdbObjectStoreParameters::new();
        params.set_key_path(&js_sys::Array::of2(&"resource".into(), &"id".into()));
        let store = database
            .create_object_store_with_optional_parameters("records", &params)
            .unwrap();
        for id in [1, 2] {
            let entry = json(&format!(
                r#"{{"resource": "contacts", "id": {id}, "record": {{"id": {id}, "name": "v1 contact {id}"}}, "cachedAt": 5, "lastAccess": {id}}}"#
            ));
            store.put(&entry).unwrap();
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let done = js_sys::Promise::new(&mut |resolve, _| request.set_onsuccess(Some(&resolve)));
    JsFuture::from(done).await.unwrap();
    let database: web_sys::IdbDatabase = request.result().unwrap().unchecked_into();
    database.close();
}

#[wasm_bindgen_test]
async fn a_v1_database_migrates_to_v2_without_losing_records() {
    let name = unique("migrate");
    create_v1_database(&name).await;
    let store = open(&format!(r#"{{"dbName": "{name}"}}"#)).await;
    assert_eq!(count(&store, "contacts").await, 2.0);
    let migrated = settle(store.peek("contacts".into(), arg(2))).await.unwrap();
    assert_eq!(text(&get(&migrated, "record"), "name"), "v1 contact 2");
    assert_eq!(get(&migrated, "cachedAt").as_f64(), Some(5.0));
    assert_eq!(
        recent_ids(&store, "contacts").await,
        vec!["2", "1"],
        "LRU order kept"
    );
    store.close();
}

/// Opens `name` at `version` with a plain connection (another "tab").
async fn raw_open(name: &str, version: u32) -> Result<web_sys::IdbDatabase, JsValue> {
    let factory: web_sys::IdbFactory = get(&js_sys::global(), "indexedDB").unchecked_into();
    let request = factory.open_with_u32(name, version).unwrap();
    let outcome = js_sys::Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(outcome).await?;
    Ok(request.result().unwrap().unchecked_into())
}

#[wasm_bindgen_test]
async fn a_newer_database_is_refused_and_left_untouched() {
    let name = unique("newer");
    let newer = raw_open(&name, 7).await.unwrap();
    newer.close();
    let options = json(&format!(r#"{{"dbName": "{name}"}}"#));
    assert_eq!(
        code_of_rejection(RecordStore::open(Some(arg(options)))).await,
        "E3003"
    );
    let again = raw_open(&name, 7).await.expect("still version 7");
    assert_eq!(again.version(), 7.0);
    assert_eq!(
        again.object_store_names().length(),
        0,
        "nothing was created"
    );
    again.close();
}

#[wasm_bindgen_test]
async fn partitions_are_isolated() {
    let name = unique("partition");
    let alice = open(&format!(r#"{{"dbName": "{name}", "partition": "alice"}}"#)).await;
    let bob = open(&format!(r#"{{"dbName": "{name}", "partition": "bob"}}"#)).await;
    put(&alice, "contacts", 1).await;
    put(&bob, "contacts", 2).await;
    assert!(settle(bob.get("contacts".into(), arg(1)))
        .await
        .unwrap()
        .is_undefined());
    assert_eq!(recent_ids(&bob, "contacts").await, vec!["2"]);
    let removed = settle(bob.clear_partition(Some(arg("alice"))))
        .await
        .unwrap();
    assert_eq!(removed.as_f64(), Some(1.0));
    assert_eq!(count(&alice, "contacts").await, 0.0);
    assert_eq!(count(&bob, "contacts").await, 1.0);
    settle(alice.clear_all()).await.unwrap();
    assert_eq!(
        count(&bob, "contacts").await,
        0.0,
        "clearAll clears every partition"
    );
    alice.close();
    bob.close();
}

#[wasm_bindgen_test]
async fn clearing_and_deleting_remove_exactly_their_records_whatever_the_ids() {
    let name = unique("clear");
    let alice = open(&format!(r#"{{"dbName": "{name}", "partition": "alice"}}"#)).await;
    let bob = open(&format!(r#"{{"dbName": "{name}", "partition": "bob"}}"#)).await;
    for id in [JsValue::from("a"), "zz-9".into(), 1.into(), 2.5.into()] {
        put(&alice, "contacts", id).await;
    }
    put(&alice, "deals", "d-1").await;
    put(&alice, "contactsX", "c").await;
    put(&bob, "contacts", "b").await;

    let removed = settle(alice.clear_resource("contacts".into()))
        .await
        .unwrap();
    assert_eq!(removed.as_f64(), Some(4.0), "string and number ids alike");
    assert_eq!(count(&alice, "contacts").await, 0.0);
    assert_eq!(count(&alice, "deals").await, 1.0);
    assert_eq!(
        count(&alice, "contactsX").await,
        1.0,
        "a longer resource name is another resource"
    );
    assert_eq!(
        count(&bob, "contacts").await,
        1.0,
        "another partition is untouched"
    );

    let deleted = |id: &str| settle(alice.delete("deals".into(), arg(id)));
    assert_eq!(deleted("d-1").await.unwrap().as_bool(), Some(true));
    assert_eq!(deleted("d-1").await.unwrap().as_bool(), Some(false));

    let removed = settle(alice.clear_partition(None)).await.unwrap();
    assert_eq!(removed.as_f64(), Some(1.0));
    assert_eq!(count(&bob, "contacts").await, 1.0);
    alice.close();
    bob.close();
}

#[wasm_bindgen_test]
async fn two_connections_writing_at_once_never_exceed_the_cap() {
    let name = unique("concurrent");
    let first = open(&format!(r#"{{"dbName": "{name}", "maxPerResource": 5}}"#)).await;
    let second = open(&format!(r#"{{"dbName": "{name}", "maxPerResource": 5}}"#)).await;
    let batch = |offset: u32| -> JsValue {
        (0..10)
            .map(|i| json(&format!(r#"{{"id": {}}}"#, offset + i)))
            .collect::<js_sys::Array>()
            .into()
    };
    let writes = js_sys::Array::new();
    for i in 0..4u32 {
        let store = if i % 2 == 0 { &first } else { &second };
        writes.push(&store.put_many("contacts".into(), arg(batch(i * 100))));
        writes.push(&store.put(
            "contacts".into(),
            arg(json(&format!(r#"{{"id": {}}}"#, 1000 + i))),
        ));
    }
    JsFuture::from(js_sys::Promise::all(&writes)).await.unwrap();
    assert_eq!(count(&first, "contacts").await, 5.0);
    first.close();
    second.close();
}

#[wasm_bindgen_test]
async fn another_tabs_upgrade_closes_this_connection_cleanly() {
    let name = unique("versionchange");
    let store = open(&format!(r#"{{"dbName": "{name}"}}"#)).await;
    put(&store, "contacts", 1).await;
    // Another tab upgrades: it is not blocked, because this connection closes.
    let upgraded = raw_open(&name, 9)
        .await
        .expect("the upgrade was not blocked");
    upgraded.close();
    // The next call reopens, and finds a database newer than this code.
    assert_eq!(
        code_of_rejection(store.count("contacts".into())).await,
        "E3003"
    );
}

#[wasm_bindgen_test]
async fn a_blocked_open_rejects_after_the_bounded_wait() {
    let name = unique("blocked");
    let holder = raw_open(&name, 1).await.unwrap(); // never closes on versionchange
    let options = json(&format!(
        r#"{{"dbName": "{name}", "blockedTimeoutMs": 100}}"#
    ));
    assert_eq!(
        code_of_rejection(RecordStore::open(Some(arg(options)))).await,
        "E3004"
    );
    holder.close();
}

#[wasm_bindgen_test]
async fn an_open_queued_behind_a_blocked_one_rejects_too() {
    let name = unique("queued");
    let holder = raw_open(&name, 1).await.unwrap(); // never closes on versionchange
    let options = || {
        arg(json(&format!(
            r#"{{"dbName": "{name}", "blockedTimeoutMs": 100}}"#
        )))
    };
    // The second request waits in the queue and never gets a `blocked` event.
    let first = RecordStore::open(Some(options()));
    let second = RecordStore::open(Some(options()));
    assert_eq!(code_of_rejection(first).await, "E3004");
    assert_eq!(code_of_rejection(second).await, "E3004");
    holder.close();
}

/// Deletes the database; `Err` when it did not complete within five seconds
/// (a connection somewhere was left open).
async fn delete_database(name: &str) -> Result<(), String> {
    let factory: web_sys::IdbFactory = get(&js_sys::global(), "indexedDB").unchecked_into();
    let request = factory.delete_database(name).unwrap();
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    let give_up = js_sys::Promise::new(&mut |_, reject| {
        super::set_timeout(&reject, 5000);
    });
    JsFuture::from(js_sys::Promise::race(&js_sys::Array::of2(&done, &give_up)))
        .await
        .map(drop)
        .map_err(|_| format!("deleting {name} stayed blocked: a connection leaked"))
}

#[wasm_bindgen_test]
async fn concurrent_reopens_leave_no_connection_behind() {
    let name = unique("reopen");
    let store = open(&format!(r#"{{"dbName": "{name}"}}"#)).await;
    put(&store, "contacts", 1).await;
    store.close();
    // Both calls reopen at once; only one connection may survive, and it closes.
    let both = js_sys::Array::of2(
        &store.put("contacts".into(), arg(json(r#"{"id": 2}"#))),
        &store.get("contacts".into(), arg(1)),
    );
    JsFuture::from(js_sys::Promise::all(&both)).await.unwrap();
    store.close();
    delete_database(&name).await.unwrap();
    // And the store still works afterwards (on a new, empty database).
    assert_eq!(count(&store, "contacts").await, 0.0);
    store.close();
    delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn another_tabs_delete_is_not_blocked_and_the_store_reopens() {
    let name = unique("deleted");
    let store = open(&format!(r#"{{"dbName": "{name}"}}"#)).await;
    put(&store, "contacts", 1).await;
    let racing = store.get("contacts".into(), arg(1));
    delete_database(&name).await.unwrap();
    let _ = settle(racing).await;
    assert_eq!(count(&store, "contacts").await, 0.0);
    put(&store, "contacts", 2).await;
    assert_eq!(count(&store, "contacts").await, 1.0);
    store.close();
}

#[wasm_bindgen_test]
async fn a_store_the_app_dropped_closes_its_connection_when_collected() {
    let name = unique("collected");
    let handle = settle(RecordStore::open(Some(arg(json(&format!(
        r#"{{"dbName": "{name}"}}"#
    ))))))
    .await
    .unwrap();
    // Used through its JavaScript object, as an app does, then dropped without close().
    let put: js_sys::Function = get(&handle, "put").unchecked_into();
    settle(
        put.call2(&handle, &"contacts".into(), &json(r#"{"id": 1}"#))
            .unwrap(),
    )
    .await
    .unwrap();
    drop(put);
    drop(handle);
    super::collect_garbage().await;
    delete_database(&name).await.unwrap();
}

#[wasm_bindgen_test]
async fn id_type_decides_whether_a_numbers_text_is_the_same_record() {
    let found = |store: &RecordStore, id: JsValue| {
        let promise = store.get("contacts".into(), arg(id));
        async move { !settle(promise).await.unwrap().is_undefined() }
    };
    let open_with = |id_type: &str| {
        let options = format!(
            r#"{{"dbName": "{}", "idType": "{id_type}"}}"#,
            unique("ids")
        );
        async move { open(&options).await }
    };
    // The default keeps ids as given: "6" and 6 are two records.
    let as_is = open(&format!(r#"{{"dbName": "{}"}}"#, unique("ids"))).await;
    put(&as_is, "contacts", 6).await;
    assert!(found(&as_is, 6.into()).await);
    assert!(!found(&as_is, "6".into()).await);
    // "auto": a route's "6" finds the API's 6, and the reverse; "007" stays text.
    let auto = open_with("auto").await;
    put(&auto, "contacts", 6).await;
    put(&auto, "contacts", "6").await;
    assert_eq!(count(&auto, "contacts").await, 1.0, "one record");
    assert!(found(&auto, "6".into()).await && found(&auto, 6.into()).await);
    put(&auto, "contacts", "007").await;
    assert!(!found(&auto, 7.into()).await);
    // "string" and "number".
    let strings = open_with("string").await;
    put(&strings, "contacts", 6).await;
    assert!(found(&strings, "6".into()).await);
    let numbers = open_with("number").await;
    put(&numbers, "contacts", "6").await;
    assert!(found(&numbers, 6.into()).await);
    assert_eq!(
        code_of_rejection(numbers.get("contacts".into(), arg("abc"))).await,
        "E2105"
    );
    assert_eq!(
        code_of_rejection(RecordStore::open(Some(arg(json(
            r#"{"idType": "numeric"}"#
        )))))
        .await,
        "E2101"
    );
    for store in [as_is, auto, strings, numbers] {
        store.close();
    }
}

#[wasm_bindgen_test]
async fn bad_input_is_refused_with_codes_and_nothing_is_written() {
    let store = open(&format!(r#"{{"dbName": "{}"}}"#, unique("bad"))).await;
    let record = |source: &str| arg(json(source));
    assert_eq!(
        code_of_rejection(store.put("".into(), record(r#"{"id": 1}"#))).await,
        "E2106"
    );
    assert_eq!(
        code_of_rejection(store.put(5.into(), record(r#"{"id": 1}"#))).await,
        "E2106"
    );
    assert_eq!(
        code_of_rejection(store.put("c".into(), arg(5))).await,
        "E2104"
    );
    assert_eq!(
        code_of_rejection(store.put("c".into(), record("[1]"))).await,
        "E2104"
    );
    assert_eq!(
        code_of_rejection(store.put("c".into(), record(r#"{"name": "no id"}"#))).await,
        "E2104"
    );
    assert_eq!(
        code_of_rejection(store.put("c".into(), record(r#"{"id": true}"#))).await,
        "E2105"
    );
    assert_eq!(
        code_of_rejection(store.put("c".into(), record(r#"{"id": ""}"#))).await,
        "E2105"
    );
    let with_bad = arg(json(r#"[{"id": 1}, {"id": 2}, {"nope": 3}]"#));
    assert_eq!(
        code_of_rejection(store.put_many("c".into(), with_bad)).await,
        "E2104"
    );
    assert_eq!(count(&store, "c").await, 0.0, "a batch is all or nothing");
    assert_eq!(
        code_of_rejection(store.recent("c".into(), Some(arg(0)))).await,
        "E2109"
    );
    assert_eq!(
        code_of_rejection(store.recent("c".into(), Some(arg(2.5)))).await,
        "E2109"
    );
    assert_eq!(
        code_of_rejection(store.get("c".into(), arg(f64::NAN))).await,
        "E2105"
    );
    assert_eq!(
        code_of_rejection(store.purge_stale(Some(arg(-1)))).await,
        "E2109"
    );
    store.close();
    let bad_open = |options: &str| RecordStore::open(Some(arg(json(options))));
    assert_eq!(
        code_of_rejection(bad_open(r#"{"maxPerResource": 1.5}"#)).await,
        "E2109"
    );
    assert_eq!(
        code_of_rejection(bad_open(r#"{"maxPerResource": 0}"#)).await,
        "E2109"
    );
    assert_eq!(
        code_of_rejection(bad_open(r#"{"dbName": 5}"#)).await,
        "E2101"
    );
    assert_eq!(
        code_of_rejection(bad_open(r#"{"maxPerResourse": 5}"#)).await,
        "E2101"
    );
}

#[wasm_bindgen_test]
async fn records_that_cannot_be_cloned_get_a_storage_code() {
    let store = open(&format!(r#"{{"dbName": "{}"}}"#, unique("clone"))).await;
    let record = json(r#"{"id": 1}"#);
    js_sys::Reflect::set(
        &record,
        &"callback".into(),
        &js_sys::Function::new_no_args(""),
    )
    .unwrap();
    assert_eq!(
        code_of_rejection(store.put("c".into(), arg(record))).await,
        "E3009"
    );
    store.close();
}
