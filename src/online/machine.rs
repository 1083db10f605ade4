//! The online-status state machine and probe backoff schedule. Pure: inputs
//! (browser events, probe results, other tabs' reports, visibility, timer)
//! come in with the time; out come [`Effects`] for the shell to carry out.
//! `navigator.onLine == false` is trusted at once; `true` waits for a probe
//! when one is configured.

/// Probe timing, validated by the shell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ProbeSchedule {
    /// Delay before the first probe while offline.
    pub interval_ms: f64,
    /// The delay grows by this factor after each failed probe...
    pub factor: f64,
    /// ...up to this cap.
    pub max_backoff_ms: f64,
}

/// Something that happened.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Input {
    /// The global scope's `online` event.
    BrowserOnline,
    /// The global scope's `offline` event.
    BrowserOffline,
    /// A probe got any HTTP response.
    ProbeSucceeded,
    /// A probe failed (network error or timeout).
    ProbeFailed,
    /// Another tab reported its state.
    Remote { online: bool },
    /// The page was hidden: probing pauses.
    Hidden,
    /// The page became visible: probing resumes.
    Visible,
    /// The probe timer fired.
    TimerFired,
    /// The app asked for a probe now (`checkNow()`).
    CheckNow,
}

impl Input {
    /// The input a shell names (`OnlineInput` in `shell.js`); `None` for
    /// any other name.
    pub fn named(name: &str) -> Option<Input> {
        Some(match name {
            "online" => Input::BrowserOnline,
            "offline" => Input::BrowserOffline,
            "remote-online" => Input::Remote { online: true },
            "remote-offline" => Input::Remote { online: false },
            "hidden" => Input::Hidden,
            "visible" => Input::Visible,
            "timer" => Input::TimerFired,
            "probe-ok" => Input::ProbeSucceeded,
            "probe-failed" => Input::ProbeFailed,
            "check" => Input::CheckNow,
            _ => return None,
        })
    }
}

/// What the shell must do with its probe timer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Timer {
    Keep,
    Start(f64),
    Clear,
}

/// What the shell must do after an input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Effects {
    /// The state changed: tell subscribers.
    pub changed: bool,
    /// The change was offline -> online: run reconnect callbacks.
    pub reconnected: bool,
    /// Tell the other tabs (only for changes this tab saw itself).
    pub broadcast: bool,
    /// Send a probe now.
    pub probe: bool,
    pub timer: Timer,
}

impl Effects {
    fn none() -> Self {
        Effects {
            changed: false,
            reconnected: false,
            broadcast: false,
            probe: false,
            timer: Timer::Keep,
        }
    }
}

/// The connection state as subscribers see it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Snapshot {
    pub online: bool,
    /// The last moment the connection was known to work (ms since the epoch).
    pub last_online_at: Option<f64>,
    pub last_changed_at: f64,
}

#[derive(Debug)]
pub struct Machine {
    snapshot: Snapshot,
    schedule: Option<ProbeSchedule>,
    next_delay_ms: f64,
    probe_in_flight: bool,
    hidden: bool,
    timer_armed: bool,
}

impl Machine {
    /// Starts from `navigator.onLine`. With a probe schedule and an offline
    /// start, the first probe is scheduled by the returned effects.
    pub fn new(online: bool, schedule: Option<ProbeSchedule>, now: f64) -> (Self, Effects) {
        let mut machine = Machine {
            snapshot: Snapshot {
                online,
                last_online_at: online.then_some(now),
                last_changed_at: now,
            },
            schedule,
            next_delay_ms: schedule.map_or(0.0, |s| s.interval_ms),
            probe_in_flight: false,
            hidden: false,
            timer_armed: false,
        };
        let mut effects = Effects::none();
        if !online {
            effects.timer = machine.arm_timer();
        }
        (machine, effects)
    }

    pub fn snapshot(&self) -> Snapshot {
        self.snapshot
    }

    pub fn probe_in_flight(&self) -> bool {
        self.probe_in_flight
    }

    /// The delay the next scheduled probe will wait (for tests and debugging).
    pub fn next_delay_ms(&self) -> f64 {
        self.next_delay_ms
    }

    pub fn handle(&mut self, input: Input, now: f64) -> Effects {
        match input {
            Input::BrowserOffline => self.go(false, now, true),
            Input::BrowserOnline if self.schedule.is_some() => {
                // `true` is only a hint: confirm before anyone hears it.
                self.start_probe()
            }
            Input::BrowserOnline => self.go(true, now, true),
            Input::ProbeSucceeded => {
                self.probe_in_flight = false;
                if self.snapshot.online {
                    self.snapshot.last_online_at = Some(now);
                    Effects::none()
                } else {
                    self.go(true, now, true)
                }
            }
            Input::ProbeFailed => {
                self.probe_in_flight = false;
                if self.snapshot.online {
                    self.go(false, now, true)
                } else {
                    self.backoff();
                    Effects {
                        timer: self.arm_timer(),
                        ..Effects::none()
                    }
                }
            }
            Input::Remote { online } => {
                if online == self.snapshot.online {
                    Effects::none()
                } else {
                    self.go(online, now, false)
                }
            }
            Input::Hidden => {
                self.hidden = true;
                self.disarm_timer()
            }
            Input::Visible => {
                self.hidden = false;
                if !self.snapshot.online && self.schedule.is_some() {
                    self.start_probe()
                } else {
                    Effects::none()
                }
            }
            Input::TimerFired => {
                self.timer_armed = false;
                if self.hidden {
                    Effects::none()
                } else {
                    self.start_probe()
                }
            }
            Input::CheckNow => self.start_probe(),
        }
    }

    fn go(&mut self, online: bool, now: f64, broadcast: bool) -> Effects {
        if online == self.snapshot.online {
            return Effects::none();
        }
        let was_online = self.snapshot.online;
        self.snapshot.online = online;
        self.snapshot.last_changed_at = now;
        // Going offline: it was online until now. Coming back: online from now.
        if was_online || online {
            self.snapshot.last_online_at = Some(now);
        }
        // The backoff restarts on every change.
        self.next_delay_ms = self.schedule.map_or(0.0, |s| s.interval_ms);
        let timer = if online {
            self.timer_armed = false;
            Timer::Clear
        } else {
            self.arm_timer()
        };
        Effects {
            changed: true,
            reconnected: online,
            broadcast,
            probe: false,
            timer,
        }
    }

    fn start_probe(&mut self) -> Effects {
        if self.schedule.is_none() || self.probe_in_flight {
            return Effects::none();
        }
        self.probe_in_flight = true;
        let timer = if self.timer_armed {
            self.timer_armed = false;
            Timer::Clear
        } else {
            Timer::Keep
        };
        Effects {
            probe: true,
            timer,
            ..Effects::none()
        }
    }

    fn backoff(&mut self) {
        if let Some(schedule) = self.schedule {
            self.next_delay_ms =
                (self.next_delay_ms * schedule.factor).min(schedule.max_backoff_ms);
        }
    }

    /// Arms the probe timer while offline, visible and probing.
    fn arm_timer(&mut self) -> Timer {
        if self.schedule.is_none() || self.hidden || self.snapshot.online {
            return Timer::Keep;
        }
        self.timer_armed = true;
        Timer::Start(self.next_delay_ms)
    }

    fn disarm_timer(&mut self) -> Effects {
        let was_armed = std::mem::replace(&mut self.timer_armed, false);
        Effects {
            timer: if was_armed { Timer::Clear } else { Timer::Keep },
            ..Effects::none()
        }
    }
}
