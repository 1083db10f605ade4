//! Native tests of the record store's pure policy, including the property
//! the issue asks for: after any sequence of puts and gets, each resource
//! holds at most the cap and the survivors are exactly the most recently used.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashMap;

use offline_runtime::store::lru::{excess, quota_eviction_count, stale_before, AccessClock, Model};
use proptest::prelude::*;

#[test]
fn the_access_clock_never_ties_or_goes_back() {
    let mut clock = AccessClock::default();
    let a = clock.tick(1000.0);
    let b = clock.tick(1000.0);
    let c = clock.tick(999.0);
    let d = clock.tick(2000.0);
    assert!(a < b && b < c && c < d);
    assert_eq!(d, 2000.0);
}

#[test]
fn excess_staleness_and_quota_share() {
    assert_eq!(excess(101, 100), 1);
    assert_eq!(excess(100, 100), 0);
    assert_eq!(excess(3, 100), 0);
    // Cached at 0: stale one millisecond past its maximum age, not at it.
    assert!(0.0 < stale_before(86_400_001.0, 86_400_000.0));
    assert!(0.0 >= stale_before(86_400_000.0, 86_400_000.0));
    assert_eq!(quota_eviction_count(0), 0);
    assert_eq!(quota_eviction_count(1), 1);
    assert_eq!(quota_eviction_count(9), 1);
    assert_eq!(quota_eviction_count(100), 10);
    assert_eq!(quota_eviction_count(101), 11);
}

#[test]
fn viewing_150_keeps_the_100_most_recent() {
    let mut model = Model::new(100);
    for i in 0..150 {
        model.put("contacts", &i.to_string(), 1000.0);
    }
    let recent = model.recent("contacts");
    assert_eq!(recent.len(), 100);
    assert_eq!(recent.first().map(String::as_str), Some("149"));
    assert_eq!(recent.last().map(String::as_str), Some("50"));
}

#[test]
fn a_get_saves_an_entry_from_eviction() {
    let mut model = Model::new(3);
    for id in ["a", "b", "c"] {
        model.put("r", id, 0.0);
    }
    assert!(model.get("r", "a", 0.0));
    model.put("r", "d", 0.0);
    assert_eq!(model.recent("r"), vec!["d", "a", "c"]);
    assert!(!model.get("r", "b", 0.0), "b was the least recently used");
}

#[derive(Clone, Debug)]
enum Op {
    Put(u8, u8),
    Get(u8, u8),
}

proptest! {
    #[test]
    fn caps_hold_and_survivors_are_the_most_recently_used(
        cap in 1u32..8,
        ops in proptest::collection::vec(
            prop_oneof![
                (0u8..3, 0u8..12).prop_map(|(r, i)| Op::Put(r, i)),
                (0u8..3, 0u8..12).prop_map(|(r, i)| Op::Get(r, i)),
            ],
            0..200,
        ),
    ) {
        let mut model = Model::new(cap);
        // Reference: per resource, ids in order of last use (most recent last).
        let mut reference: HashMap<u8, Vec<u8>> = HashMap::new();
        for op in ops {
            match op {
                Op::Put(r, i) => {
                    model.put(&r.to_string(), &i.to_string(), 0.0);
                    let order = reference.entry(r).or_default();
                    order.retain(|x| *x != i);
                    order.push(i);
                    if order.len() > cap as usize {
                        order.remove(0);
                    }
                }
                Op::Get(r, i) => {
                    let order = reference.entry(r).or_default();
                    let present = order.contains(&i);
                    prop_assert_eq!(model.get(&r.to_string(), &i.to_string(), 0.0), present);
                    if present {
                        order.retain(|x| *x != i);
                        order.push(i);
                    }
                }
            }
        }
        for r in 0u8..3 {
            let held = model.recent(&r.to_string());
            prop_assert!(held.len() <= cap as usize);
            let expected: Vec<String> = reference
                .get(&r)
                .map(|order| order.iter().rev().map(|i| i.to_string()).collect())
                .unwrap_or_default();
            prop_assert_eq!(held, expected);
        }
    }
}

#[test]
fn id_types_map_ids_to_keys() {
    use offline_runtime::store::key::{key_for, Id, IdType, Key};
    let text = |t: &str, number: Option<f64>| Id::Text {
        text: t.into(),
        number,
    };
    let cases = [
        (Id::Number(6.0), IdType::AsIs, Some(Key::Number(6.0))),
        (
            text("6", Some(6.0)),
            IdType::AsIs,
            Some(Key::Text("6".into())),
        ),
        (text("6", Some(6.0)), IdType::Auto, Some(Key::Number(6.0))),
        (
            text("007", None),
            IdType::Auto,
            Some(Key::Text("007".into())),
        ),
        (Id::Number(6.0), IdType::Auto, Some(Key::Number(6.0))),
        (text("6", Some(6.0)), IdType::Number, Some(Key::Number(6.0))),
        (text("abc", None), IdType::Number, None),
        (
            Id::Number(6.5),
            IdType::String,
            Some(Key::NumberAsText(6.5)),
        ),
        (text("x", None), IdType::String, Some(Key::Text("x".into()))),
    ];
    for (id, id_type, expected) in cases {
        assert_eq!(
            key_for(id.clone(), id_type),
            expected,
            "{id:?} as {id_type:?}"
        );
    }
}
