//! When the offline banner shows. Pure.

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BannerInput {
    /// The connection state, as `OnlineStatus` says (at start and on each change).
    Online(bool),
    /// The user dismissed the banner.
    Dismiss,
    /// The app navigated (hash or history change).
    Navigate,
}

/// The banner's state: shown while offline, until dismissed; back on the
/// next offline period (and, with `show_on_navigation`, on the next
/// navigation while still offline); gone on reconnect.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Banner {
    offline: bool,
    dismissed: bool,
    show_on_navigation: bool,
}

impl Banner {
    pub fn new(show_on_navigation: bool) -> Banner {
        Banner {
            show_on_navigation,
            ..Banner::default()
        }
    }

    pub fn visible(&self) -> bool {
        self.offline && !self.dismissed
    }

    /// Applies `input`; returns whether the banner is visible after it.
    pub fn on(&mut self, input: BannerInput) -> bool {
        match input {
            BannerInput::Online(online) => {
                if online || !self.offline {
                    // A new offline period (or none): a dismissal does not carry over.
                    self.dismissed = false;
                }
                self.offline = !online;
            }
            BannerInput::Dismiss => self.dismissed = true,
            BannerInput::Navigate if self.show_on_navigation => self.dismissed = false,
            BannerInput::Navigate => {}
        }
        self.visible()
    }
}
