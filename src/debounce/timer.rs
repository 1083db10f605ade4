//! The debounce shell for Rust callers: [`Debounced`] owns a real timer
//! (gloo-timers) and runs the pure [`Machine`]'s steps. The JavaScript API is
//! built on it. Like lodash, a pending call keeps the debouncer alive until it
//! fires, even if every handle is dropped.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;

use super::machine::{Machine, Settings, Step, Timer};

type Callback<A, R, E> = Rc<dyn Fn(A) -> Result<R, E>>;

struct Shared<A, R, E> {
    machine: RefCell<Machine<A>>,
    timer: RefCell<Option<Timeout>>,
    callback: Callback<A, R, E>,
    /// What the last invocation returned (lodash's `result`).
    result: RefCell<Option<R>>,
    /// Where failures of timer-fired calls go (no caller is there to get them).
    on_timer_error: Rc<dyn Fn(E)>,
}

/// A debounced function with lodash.debounce's semantics.
pub struct Debounced<A: 'static, R: Clone + 'static, E: 'static> {
    shared: Rc<Shared<A, R, E>>,
}

impl<A: 'static, R: Clone + 'static, E: 'static> Clone for Debounced<A, R, E> {
    fn clone(&self) -> Self {
        Debounced {
            shared: Rc::clone(&self.shared),
        }
    }
}

impl<A: 'static, R: Clone + 'static, E: 'static> Debounced<A, R, E> {
    /// `callback` runs with the arguments of the last call; a failure of a
    /// call fired by the timer goes to `on_timer_error`.
    pub fn new(
        settings: Settings,
        callback: impl Fn(A) -> Result<R, E> + 'static,
        on_timer_error: impl Fn(E) + 'static,
    ) -> Self {
        Debounced {
            shared: Rc::new(Shared {
                machine: RefCell::new(Machine::new(settings)),
                timer: RefCell::new(None),
                callback: Rc::new(callback),
                result: RefCell::new(None),
                on_timer_error: Rc::new(on_timer_error),
            }),
        }
    }

    /// Calls the debounced function; returns the last invocation's result
    /// (or this call's, when it invokes at once: leading edge or maxWait).
    pub fn call(&self, args: A) -> Result<Option<R>, E> {
        let step = self.shared.machine.borrow_mut().call(now(), args);
        run(&self.shared, step)
    }

    /// Runs a pending call now; returns the last result.
    pub fn flush(&self) -> Result<Option<R>, E> {
        let step = self.shared.machine.borrow_mut().flush(now());
        run(&self.shared, step)
    }

    /// Drops a pending call.
    pub fn cancel(&self) {
        let step = self.shared.machine.borrow_mut().cancel();
        // Cancel never invokes, so running its step cannot fail.
        let _ = run(&self.shared, step);
    }

    /// True while a call is waiting for its timer.
    pub fn pending(&self) -> bool {
        self.shared.machine.borrow().pending()
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Applies the timer command, then invokes (no borrow is held during the
/// callback, so it may call the debounced function again).
fn run<A: 'static, R: Clone + 'static, E: 'static>(
    shared: &Rc<Shared<A, R, E>>,
    step: Step<A>,
) -> Result<Option<R>, E> {
    let replaced = match step.timer {
        Timer::Keep => None,
        Timer::Clear => shared.timer.borrow_mut().take(),
        Timer::Start(ms) => {
            let owner = Rc::clone(shared);
            let timeout = Timeout::new(ms.ceil() as u32, move || timer_fired(&owner));
            shared.timer.borrow_mut().replace(timeout)
        }
    };
    // Dropping a Timeout clears it; drop outside the borrow.
    drop(replaced);
    if let Some(args) = step.invoke {
        let callback = Rc::clone(&shared.callback);
        let value = callback(args)?;
        *shared.result.borrow_mut() = Some(value);
    }
    Ok(shared.result.borrow().clone())
}

fn timer_fired<A: 'static, R: Clone + 'static, E: 'static>(shared: &Rc<Shared<A, R, E>>) {
    // This timeout has fired; dropping its handle (clearing a spent id) is harmless.
    let fired = shared.timer.borrow_mut().take();
    drop(fired);
    let step = shared.machine.borrow_mut().timer_expired(now());
    if let Err(error) = run(shared, step) {
        let report = Rc::clone(&shared.on_timer_error);
        report(error);
    }
}
