//! The debounce timing core: lodash.debounce's algorithm as a pure state
//! machine. Time comes in as an argument; the machine never calls the user's
//! function or touches a timer, it says what to do with them ([`Step`]).

/// Debounce options, already validated (see [`Settings::new`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    pub wait_ms: f64,
    pub leading: bool,
    pub trailing: bool,
    /// Raised to `wait_ms` when below it, as lodash does.
    pub max_wait_ms: Option<f64>,
}

/// Why a setting was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvalidSetting {
    Wait,
    MaxWait,
}

impl Settings {
    /// Validates: `wait` and `maxWait` must be finite and not negative.
    pub fn new(
        wait_ms: f64,
        leading: bool,
        trailing: bool,
        max_wait_ms: Option<f64>,
    ) -> Result<Self, InvalidSetting> {
        let valid = |ms: f64| ms.is_finite() && ms >= 0.0;
        if !valid(wait_ms) {
            return Err(InvalidSetting::Wait);
        }
        if max_wait_ms.is_some_and(|ms| !valid(ms)) {
            return Err(InvalidSetting::MaxWait);
        }
        Ok(Settings {
            wait_ms,
            leading,
            trailing,
            max_wait_ms: max_wait_ms.map(|ms| ms.max(wait_ms)),
        })
    }
}

/// What the shell must do with its timer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Timer {
    /// Leave it as it is.
    Keep,
    /// (Re)start it to fire after this many milliseconds, replacing any running one.
    Start(f64),
    /// Stop it.
    Clear,
}

/// The outcome of one input: a timer command, then maybe an invocation with
/// these arguments. The shell applies the timer first, then invokes.
#[derive(Debug, PartialEq)]
pub struct Step<A> {
    pub timer: Timer,
    pub invoke: Option<A>,
}

impl<A> Step<A> {
    fn timer(timer: Timer) -> Self {
        Step {
            timer,
            invoke: None,
        }
    }
}

/// lodash.debounce's state, with the timer reduced to "is one armed".
#[derive(Debug)]
pub struct Machine<A> {
    settings: Settings,
    last_args: Option<A>,
    last_call_time: Option<f64>,
    last_invoke_time: f64,
    timer_armed: bool,
}

impl<A> Machine<A> {
    pub fn new(settings: Settings) -> Self {
        Machine {
            settings,
            last_args: None,
            last_call_time: None,
            last_invoke_time: 0.0,
            timer_armed: false,
        }
    }

    pub fn settings(&self) -> Settings {
        self.settings
    }

    /// lodash's `pending()`: a timer is armed.
    pub fn pending(&self) -> bool {
        self.timer_armed
    }

    /// The debounced function was called at `now` with `args`.
    pub fn call(&mut self, now: f64, args: A) -> Step<A> {
        let invoking = self.should_invoke(now);
        self.last_args = Some(args);
        self.last_call_time = Some(now);
        if invoking {
            if !self.timer_armed {
                return self.leading_edge(now);
            }
            if self.settings.max_wait_ms.is_some() {
                // A steady stream hit maxWait: invoke now and restart the wait.
                return Step {
                    timer: Timer::Start(self.settings.wait_ms),
                    invoke: self.invoke(now),
                };
            }
        }
        if !self.timer_armed {
            self.timer_armed = true;
            return Step::timer(Timer::Start(self.settings.wait_ms));
        }
        Step::timer(Timer::Keep)
    }

    /// The shell's timer fired at `now`.
    pub fn timer_expired(&mut self, now: f64) -> Step<A> {
        if self.should_invoke(now) {
            return self.trailing_edge(now);
        }
        Step::timer(Timer::Start(self.remaining_wait(now)))
    }

    /// `flush()`: run a pending call now.
    pub fn flush(&mut self, now: f64) -> Step<A> {
        if !self.timer_armed {
            return Step::timer(Timer::Keep);
        }
        let mut step = self.trailing_edge(now);
        step.timer = Timer::Clear;
        step
    }

    /// `cancel()`: drop any pending call.
    pub fn cancel(&mut self) -> Step<A> {
        let was_armed = self.timer_armed;
        self.last_invoke_time = 0.0;
        self.last_args = None;
        self.last_call_time = None;
        self.timer_armed = false;
        Step::timer(if was_armed { Timer::Clear } else { Timer::Keep })
    }

    fn leading_edge(&mut self, now: f64) -> Step<A> {
        self.last_invoke_time = now;
        self.timer_armed = true;
        Step {
            timer: Timer::Start(self.settings.wait_ms),
            invoke: if self.settings.leading {
                self.invoke(now)
            } else {
                None
            },
        }
    }

    fn trailing_edge(&mut self, now: f64) -> Step<A> {
        self.timer_armed = false;
        let invoke = if self.settings.trailing && self.last_args.is_some() {
            self.invoke(now)
        } else {
            self.last_args = None;
            None
        };
        Step {
            timer: Timer::Keep,
            invoke,
        }
    }

    fn invoke(&mut self, now: f64) -> Option<A> {
        self.last_invoke_time = now;
        self.last_args.take()
    }

    fn remaining_wait(&self, now: f64) -> f64 {
        let since_call = now - self.last_call_time.unwrap_or(now);
        let waiting = self.settings.wait_ms - since_call;
        match self.settings.max_wait_ms {
            Some(max_wait) => waiting.min(max_wait - (now - self.last_invoke_time)),
            None => waiting,
        }
    }

    fn should_invoke(&self, now: f64) -> bool {
        let Some(last_call) = self.last_call_time else {
            return true;
        };
        let since_call = now - last_call;
        since_call >= self.settings.wait_ms
            || since_call < 0.0
            || self
                .settings
                .max_wait_ms
                .is_some_and(|max_wait| now - self.last_invoke_time >= max_wait)
    }
}
