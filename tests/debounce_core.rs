//! Native tests of the debounce timing core: lodash's documented behaviours,
//! and a property test against a line-by-line model of lodash.debounce's
//! source driven by a simulated clock and timer queue.
#![cfg(not(target_arch = "wasm32"))]

use offline_runtime::debounce::machine::{InvalidSetting, Machine, Settings, Timer};
use proptest::prelude::*;

/// Drives a [`Machine`] with a simulated single timer, recording invocations.
struct Driver {
    machine: Machine<u32>,
    deadline: Option<f64>,
    invoked: Vec<(f64, u32)>,
}

impl Driver {
    fn new(settings: Settings) -> Self {
        Driver {
            machine: Machine::new(settings),
            deadline: None,
            invoked: Vec::new(),
        }
    }

    fn apply(&mut self, now: f64, step: offline_runtime::debounce::machine::Step<u32>) {
        match step.timer {
            Timer::Keep => {}
            Timer::Start(ms) => self.deadline = Some(now + ms),
            Timer::Clear => self.deadline = None,
        }
        if let Some(args) = step.invoke {
            self.invoked.push((now, args));
        }
    }

    /// Fires every timer due up to `until`.
    fn advance(&mut self, until: f64) {
        while let Some(deadline) = self.deadline.filter(|d| *d <= until) {
            self.deadline = None;
            let step = self.machine.timer_expired(deadline);
            self.apply(deadline, step);
        }
    }

    fn call(&mut self, now: f64, args: u32) {
        self.advance(now);
        let step = self.machine.call(now, args);
        self.apply(now, step);
    }

    fn flush(&mut self, now: f64) {
        self.advance(now);
        let step = self.machine.flush(now);
        self.apply(now, step);
    }

    fn cancel(&mut self, now: f64) {
        self.advance(now);
        let step = self.machine.cancel();
        self.apply(now, step);
    }
}

fn settings(wait: f64, leading: bool, trailing: bool, max_wait: Option<f64>) -> Settings {
    Settings::new(wait, leading, trailing, max_wait).unwrap()
}

#[test]
fn trailing_call_uses_the_last_arguments() {
    let mut d = Driver::new(settings(300.0, false, true, None));
    for (t, arg) in [(0.0, 1), (100.0, 2), (200.0, 3)] {
        d.call(t, arg);
    }
    d.advance(10_000.0);
    assert_eq!(d.invoked, vec![(500.0, 3)]);
}

#[test]
fn leading_and_trailing_fire_once_for_a_single_call() {
    let mut d = Driver::new(settings(300.0, true, true, None));
    d.call(0.0, 1);
    d.advance(10_000.0);
    assert_eq!(d.invoked, vec![(0.0, 1)]);
    // Two calls: leading edge, then trailing edge with the last arguments.
    let mut d = Driver::new(settings(300.0, true, true, None));
    d.call(0.0, 1);
    d.call(50.0, 2);
    d.advance(10_000.0);
    assert_eq!(d.invoked, vec![(0.0, 1), (350.0, 2)]);
}

#[test]
fn max_wait_below_wait_is_raised_to_wait() {
    assert_eq!(
        settings(300.0, false, true, Some(100.0)).max_wait_ms,
        Some(300.0)
    );
    assert_eq!(
        settings(300.0, false, true, Some(1000.0)).max_wait_ms,
        Some(1000.0)
    );
}

#[test]
fn max_wait_forces_calls_during_a_steady_stream() {
    let mut d = Driver::new(settings(100.0, false, true, Some(250.0)));
    for i in 0..20u32 {
        d.call(f64::from(i) * 50.0, i); // every 50 ms for a second: never a 100 ms pause
    }
    d.advance(10_000.0);
    let times: Vec<f64> = d.invoked.iter().map(|(t, _)| *t).collect();
    assert_eq!(times, vec![250.0, 500.0, 750.0, 1000.0]);
    assert_eq!(d.invoked.last().unwrap().1, 19);
}

#[test]
fn flush_runs_the_pending_call_now_and_cancel_drops_it() {
    let mut d = Driver::new(settings(300.0, false, true, None));
    d.call(0.0, 1);
    assert!(d.machine.pending());
    d.flush(10.0);
    assert_eq!(d.invoked, vec![(10.0, 1)]);
    assert!(!d.machine.pending());
    d.advance(10_000.0);
    assert_eq!(d.invoked.len(), 1, "the timer was cleared");

    d.call(20_000.0, 2);
    d.cancel(20_010.0);
    assert!(!d.machine.pending());
    d.advance(100_000.0);
    assert_eq!(d.invoked.len(), 1);
    d.flush(100_001.0);
    assert_eq!(d.invoked.len(), 1, "nothing pending to flush");
}

#[test]
fn no_trailing_means_only_leading_calls() {
    let mut d = Driver::new(settings(100.0, true, false, None));
    for t in [0.0, 10.0, 20.0, 300.0] {
        d.call(t, t as u32);
    }
    d.advance(10_000.0);
    assert_eq!(d.invoked, vec![(0.0, 0), (300.0, 300)]);
}

#[test]
fn settings_reject_negative_and_non_finite_waits() {
    assert_eq!(
        Settings::new(-1.0, false, true, None),
        Err(InvalidSetting::Wait)
    );
    assert_eq!(
        Settings::new(f64::NAN, false, true, None),
        Err(InvalidSetting::Wait)
    );
    assert_eq!(
        Settings::new(f64::INFINITY, false, true, None),
        Err(InvalidSetting::Wait)
    );
    assert_eq!(
        Settings::new(1.0, false, true, Some(-5.0)),
        Err(InvalidSetting::MaxWait)
    );
    assert_eq!(
        Settings::new(1.0, false, true, Some(f64::NAN)),
        Err(InvalidSetting::MaxWait)
    );
    assert!(Settings::new(0.0, false, true, Some(0.0)).is_ok());
}

/// lodash.debounce (v4.0.8), transliterated statement by statement, with a
/// simulated `setTimeout` (one timer: lodash clears before it sets).
struct Lodash {
    wait: f64,
    leading: bool,
    trailing: bool,
    max_wait: Option<f64>,
    last_args: Option<u32>,
    last_call_time: Option<f64>,
    last_invoke_time: f64,
    timer: Option<f64>,
    invoked: Vec<(f64, u32)>,
}

impl Lodash {
    fn new(wait: f64, leading: bool, trailing: bool, max_wait: Option<f64>) -> Self {
        Lodash {
            wait,
            leading,
            trailing,
            max_wait: max_wait.map(|m| m.max(wait)),
            last_args: None,
            last_call_time: None,
            last_invoke_time: 0.0,
            timer: None,
            invoked: Vec::new(),
        }
    }
    fn invoke_func(&mut self, time: f64) {
        let args = self.last_args.take().unwrap();
        self.last_invoke_time = time;
        self.invoked.push((time, args));
    }
    fn leading_edge(&mut self, time: f64) {
        self.last_invoke_time = time;
        self.timer = Some(time + self.wait);
        if self.leading {
            self.invoke_func(time);
        }
    }
    fn remaining_wait(&self, time: f64) -> f64 {
        let since_call = time - self.last_call_time.unwrap();
        let since_invoke = time - self.last_invoke_time;
        let waiting = self.wait - since_call;
        match self.max_wait {
            Some(m) => waiting.min(m - since_invoke),
            None => waiting,
        }
    }
    fn should_invoke(&self, time: f64) -> bool {
        match self.last_call_time {
            None => true,
            Some(last) => {
                let since_call = time - last;
                since_call >= self.wait
                    || since_call < 0.0
                    || self
                        .max_wait
                        .is_some_and(|m| time - self.last_invoke_time >= m)
            }
        }
    }
    fn timer_expired(&mut self, time: f64) {
        if self.should_invoke(time) {
            self.trailing_edge(time);
        } else {
            self.timer = Some(time + self.remaining_wait(time));
        }
    }
    fn trailing_edge(&mut self, time: f64) {
        self.timer = None;
        if self.trailing && self.last_args.is_some() {
            self.invoke_func(time);
        } else {
            self.last_args = None;
        }
    }
    fn advance(&mut self, until: f64) {
        while let Some(t) = self.timer.filter(|t| *t <= until) {
            self.timer = None;
            self.timer_expired(t);
        }
    }
    fn debounced(&mut self, time: f64, args: u32) {
        self.advance(time);
        let is_invoking = self.should_invoke(time);
        self.last_args = Some(args);
        self.last_call_time = Some(time);
        if is_invoking {
            if self.timer.is_none() {
                return self.leading_edge(time);
            }
            if self.max_wait.is_some() {
                self.timer = Some(time + self.wait);
                return self.invoke_func(time);
            }
        }
        if self.timer.is_none() {
            self.timer = Some(time + self.wait);
        }
    }
    fn flush(&mut self, time: f64) {
        self.advance(time);
        if self.timer.is_some() {
            self.trailing_edge(time);
        }
    }
    fn cancel(&mut self, time: f64) {
        self.advance(time);
        self.last_invoke_time = 0.0;
        self.last_args = None;
        self.last_call_time = None;
        self.timer = None;
    }
}

#[derive(Clone, Debug)]
enum Op {
    Call(u32),
    Flush,
    Cancel,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![8 => (0u32..1000).prop_map(Op::Call), 1 => Just(Op::Flush), 1 => Just(Op::Cancel)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn machine_matches_lodash(
        wait in 0u32..400,
        leading in any::<bool>(),
        trailing in any::<bool>(),
        max_wait in proptest::option::of(0u32..800),
        ops in proptest::collection::vec((0u32..500, op()), 1..60),
    ) {
        let (wait, max_wait) = (f64::from(wait), max_wait.map(f64::from));
        let mut ours = Driver::new(settings(wait, leading, trailing, max_wait));
        let mut model = Lodash::new(wait, leading, trailing, max_wait);
        let mut now = 0.0;
        for (gap, op) in ops {
            now += f64::from(gap);
            match op {
                Op::Call(arg) => { ours.call(now, arg); model.debounced(now, arg); }
                Op::Flush => { ours.flush(now); model.flush(now); }
                Op::Cancel => { ours.cancel(now); model.cancel(now); }
            }
            prop_assert_eq!(ours.machine.pending(), model.timer.is_some());
        }
        ours.advance(f64::MAX);
        model.advance(f64::MAX);
        prop_assert_eq!(&ours.invoked, &model.invoked);
    }
}
