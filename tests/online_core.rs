//! Native tests of the online-status machine with a fake clock: transitions,
//! probe confirmation, backoff schedule, tabs, visibility.
#![cfg(not(target_arch = "wasm32"))]

use offline_runtime::online::machine::{Effects, Input, Machine, ProbeSchedule, Timer};
use proptest::prelude::*;

const SCHEDULE: ProbeSchedule = ProbeSchedule {
    interval_ms: 1000.0,
    factor: 1.5,
    max_backoff_ms: 5000.0,
};

fn probing(online: bool) -> Machine {
    Machine::new(online, Some(SCHEDULE), 0.0).0
}

#[test]
fn without_a_probe_events_decide_at_once_and_no_timer_runs() {
    let (mut m, start) = Machine::new(true, None, 0.0);
    assert_eq!(start.timer, Timer::Keep);
    let off = m.handle(Input::BrowserOffline, 10.0);
    assert!(off.changed && off.broadcast && !off.reconnected);
    assert_eq!(
        off.timer,
        Timer::Keep,
        "an idle status without a probe keeps no timer"
    );
    assert!(!m.snapshot().online);
    assert_eq!(m.snapshot().last_online_at, Some(10.0));
    let on = m.handle(Input::BrowserOnline, 20.0);
    assert!(on.changed && on.reconnected);
    assert_eq!(m.snapshot().last_changed_at, 20.0);
    assert_eq!(
        m.handle(Input::CheckNow, 30.0),
        Effects {
            changed: false,
            reconnected: false,
            broadcast: false,
            probe: false,
            timer: Timer::Keep
        }
    );
}

#[test]
fn offline_is_trusted_at_once_and_schedules_the_first_probe() {
    let mut m = probing(true);
    let effects = m.handle(Input::BrowserOffline, 100.0);
    assert!(effects.changed);
    assert_eq!(effects.timer, Timer::Start(1000.0));
    assert!(!m.snapshot().online);
}

#[test]
fn online_event_waits_for_the_probe_before_anyone_hears_it() {
    let mut m = probing(false);
    let effects = m.handle(Input::BrowserOnline, 0.0);
    assert!(!effects.changed && effects.probe);
    assert_eq!(
        effects.timer,
        Timer::Clear,
        "the scheduled probe is replaced by this one"
    );
    assert!(!m.snapshot().online);
    let confirmed = m.handle(Input::ProbeSucceeded, 50.0);
    assert!(confirmed.changed && confirmed.reconnected && confirmed.broadcast);
    assert!(m.snapshot().online);
    assert_eq!(m.snapshot().last_online_at, Some(50.0));
}

#[test]
fn a_captive_portal_online_event_stays_offline_and_backs_off() {
    let mut m = probing(false);
    m.handle(Input::BrowserOnline, 0.0);
    let failed = m.handle(Input::ProbeFailed, 10.0);
    assert!(!failed.changed);
    assert_eq!(failed.timer, Timer::Start(1500.0));
    let mut delays = vec![];
    for _ in 0..6 {
        assert!(m.handle(Input::TimerFired, 0.0).probe);
        if let Timer::Start(ms) = m.handle(Input::ProbeFailed, 0.0).timer {
            delays.push(ms);
        }
    }
    assert_eq!(delays, vec![2250.0, 3375.0, 5000.0, 5000.0, 5000.0, 5000.0]);
}

#[test]
fn backoff_resets_when_the_state_changes() {
    let mut m = probing(false);
    for _ in 0..3 {
        m.handle(Input::TimerFired, 0.0);
        m.handle(Input::ProbeFailed, 0.0);
    }
    assert!(m.next_delay_ms() > 1000.0);
    m.handle(Input::CheckNow, 0.0);
    m.handle(Input::ProbeSucceeded, 0.0);
    let off = m.handle(Input::BrowserOffline, 0.0);
    assert_eq!(off.timer, Timer::Start(1000.0));
}

#[test]
fn a_failed_probe_while_online_goes_offline() {
    let mut m = probing(true);
    assert!(m.handle(Input::CheckNow, 0.0).probe);
    let effects = m.handle(Input::ProbeFailed, 5.0);
    assert!(effects.changed && effects.broadcast);
    assert!(!m.snapshot().online);
    assert_eq!(effects.timer, Timer::Start(1000.0));
}

#[test]
fn only_one_probe_at_a_time() {
    let mut m = probing(true);
    assert!(m.handle(Input::CheckNow, 0.0).probe);
    assert!(!m.handle(Input::CheckNow, 1.0).probe);
    assert!(m.probe_in_flight());
    m.handle(Input::ProbeSucceeded, 2.0);
    assert!(m.handle(Input::CheckNow, 3.0).probe);
}

#[test]
fn other_tabs_changes_are_adopted_without_probing_or_echoing() {
    let mut m = probing(false);
    let effects = m.handle(Input::Remote { online: true }, 7.0);
    assert!(effects.changed && effects.reconnected && !effects.broadcast && !effects.probe);
    assert_eq!(effects.timer, Timer::Clear);
    assert!(m.snapshot().online);
    assert!(!m.handle(Input::Remote { online: true }, 8.0).changed);
    let off = m.handle(Input::Remote { online: false }, 9.0);
    assert!(off.changed && !off.broadcast);
    assert_eq!(off.timer, Timer::Start(1000.0));
}

#[test]
fn probing_pauses_while_hidden_and_resumes_when_visible() {
    let mut m = probing(true);
    assert_eq!(
        m.handle(Input::BrowserOffline, 0.0).timer,
        Timer::Start(1000.0)
    );
    assert_eq!(m.handle(Input::Hidden, 1.0).timer, Timer::Clear);
    assert!(
        !m.handle(Input::TimerFired, 2.0).probe,
        "a stray timer does not probe while hidden"
    );
    let failed_going_offline = m.handle(Input::BrowserOffline, 3.0);
    assert_eq!(failed_going_offline.timer, Timer::Keep);
    let visible = m.handle(Input::Visible, 4.0);
    assert!(visible.probe, "resumes with a probe at once");
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        Just(Input::BrowserOnline),
        Just(Input::BrowserOffline),
        Just(Input::ProbeSucceeded),
        Just(Input::ProbeFailed),
        any::<bool>().prop_map(|online| Input::Remote { online }),
        Just(Input::Hidden),
        Just(Input::Visible),
        Just(Input::TimerFired),
        Just(Input::CheckNow),
    ]
}

proptest! {
    #[test]
    fn invariants_hold_for_any_sequence(start in any::<bool>(), steps in proptest::collection::vec(input(), 0..80)) {
        let (mut m, _) = Machine::new(start, Some(SCHEDULE), 0.0);
        let mut now = 0.0;
        for input in steps {
            now += 10.0;
            let before = m.snapshot();
            let effects = m.handle(input, now);
            let after = m.snapshot();
            prop_assert_eq!(effects.changed, before.online != after.online);
            prop_assert_eq!(effects.reconnected, !before.online && after.online);
            if let Timer::Start(ms) = effects.timer {
                prop_assert!((SCHEDULE.interval_ms..=SCHEDULE.max_backoff_ms).contains(&ms));
                prop_assert!(!after.online, "probes are scheduled only while offline");
            }
            if effects.changed {
                prop_assert_eq!(after.last_changed_at, now);
                prop_assert_eq!(after.last_online_at, Some(now));
            }
            // An online event never announces "online" by itself when probing.
            if input == Input::BrowserOnline {
                prop_assert!(!effects.changed);
            }
        }
    }
}

#[test]
fn the_offline_banner_shows_per_offline_period_until_dismissed() {
    use offline_runtime::offline_ui::banner::{Banner, BannerInput::*};
    let mut banner = Banner::new(false);
    assert!(!banner.on(Online(true)));
    assert!(banner.on(Online(false)), "offline: shown");
    assert!(!banner.on(Dismiss));
    assert!(!banner.on(Online(false)), "still the same offline period");
    assert!(
        !banner.on(Navigate),
        "navigation does not bring it back by default"
    );
    assert!(!banner.on(Online(true)), "gone on reconnect");
    assert!(banner.on(Online(false)), "back on the next offline period");
    let mut on_navigation = Banner::new(true);
    on_navigation.on(Online(false));
    on_navigation.on(Dismiss);
    assert!(
        on_navigation.on(Navigate),
        "back on the next navigation while offline"
    );
    assert!(!Banner::new(true).on(Navigate), "never while online");
}

/// The names the shell sends (its `OnlineInput` type, which tsc holds every
/// call to) are exactly the names the machine takes.
#[test]
fn the_shells_input_names_are_the_machines() {
    let shell = include_str!("../src/online/shell.js");
    let union = shell
        .split("@typedef {")
        .nth(1)
        .and_then(|rest| rest.split("} OnlineInput").next())
        .expect("shell.js declares the OnlineInput type");
    let names: Vec<&str> = union
        .split('|')
        .map(|name| name.trim().trim_matches('"'))
        .collect();
    assert_eq!(names.len(), 10, "{names:?}");
    for name in &names {
        assert!(Input::named(name).is_some(), "the machine takes {name}");
    }
    assert_eq!(Input::named("probe-okay"), None);
}
