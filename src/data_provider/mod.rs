//! A data provider's calls as the react-admin binding
//! (`offline-runtime/react-admin`) treats them: which only read (and, for
//! react-admin's own reads, are kept and answered from the record store when
//! the network fails), which write (refused while offline, and phrased
//! "save" or "delete" when they fail), and when a failure is the network's
//! rather than the server's answer. Pure; `js` is its shell.

use crate::errors::catalog::Category;

#[cfg(all(target_arch = "wasm32", feature = "page"))]
pub mod js;

/// react-admin's reads: the binding keeps their records and answers them
/// from the store when the network fails.
pub const READS: [&str; 4] = ["getOne", "getMany", "getList", "getManyReference"];

/// What a data provider call is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataCall {
    /// One of react-admin's reads.
    Read,
    /// A custom method the app says only reads: never refused, never kept.
    CustomRead,
    /// Any other method: a write, whose failure reads "Unable to save ...".
    Save,
    /// `delete` and `deleteMany`: "Unable to delete ...".
    Delete,
}

impl DataCall {
    /// `custom_read`: the app names `method` among its reads.
    pub fn of(method: &str, custom_read: bool) -> Self {
        if READS.contains(&method) {
            DataCall::Read
        } else if custom_read {
            DataCall::CustomRead
        } else if matches!(method, "delete" | "deleteMany") {
            DataCall::Delete
        } else {
            DataCall::Save
        }
    }

    /// The action a failure message names (`formatError`'s `action`);
    /// `None` for reads, whose message is the catalog's own.
    pub fn action(self) -> Option<&'static str> {
        match self {
            DataCall::Read | DataCall::CustomRead => None,
            DataCall::Save => Some("save"),
            DataCall::Delete => Some("delete"),
        }
    }
}

/// Whether a failure classified as `code`, answered with HTTP `status` if
/// any, is the network failing (offline, unreachable, timed out) rather
/// than the server saying no: a 4xx is an answer, whatever code it carries.
pub fn network_failed(code: &str, status: Option<u16>) -> bool {
    let answered = status.is_some_and(|status| (400..500).contains(&status));
    Category::of_code(code) == Some(Category::Network) && !answered
}
