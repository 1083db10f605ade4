//! Record ids as IndexedDB keys: `idType` decides whether "6" and 6 are the
//! same record (react-admin routes pass ids as strings while APIs send
//! numbers). Pure: the shell tells it whether a string is a number's
//! canonical text (`String(Number(s)) === s`, the platform's own formatting).

/// How ids become keys (`RecordStore.open({idType})`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IdType {
    /// As given: "6" and 6 are two records (the default; what earlier
    /// versions stored).
    #[default]
    AsIs,
    /// A string that is a number's canonical text ("6", "-2.5", not "007"
    /// or "6 ") is that number: "6" and 6 are one record.
    Auto,
    /// Every id is a number; a string that is not a number's canonical text is refused.
    Number,
    /// Every id is a string; numbers become their canonical text.
    String,
}

/// `idType` spellings, in `IdType` order.
pub const ID_TYPES: [&str; 4] = ["as-is", "auto", "number", "string"];

impl IdType {
    pub fn from_index(index: usize) -> IdType {
        match index {
            1 => IdType::Auto,
            2 => IdType::Number,
            3 => IdType::String,
            _ => IdType::AsIs,
        }
    }
}

/// A validated id as given.
#[derive(Clone, Debug, PartialEq)]
pub enum Id {
    Text {
        text: String,
        /// The number whose canonical text this is, if any.
        number: Option<f64>,
    },
    Number(f64),
}

/// What the key holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Key {
    Text(String),
    Number(f64),
    /// The number's canonical text (the shell formats it).
    NumberAsText(f64),
}

/// The key for `id`, or `None` when `id_type` refuses it.
pub fn key_for(id: Id, id_type: IdType) -> Option<Key> {
    Some(match (id, id_type) {
        (Id::Number(n), IdType::String) => Key::NumberAsText(n),
        (Id::Number(n), _) => Key::Number(n),
        (
            Id::Text {
                number: Some(n), ..
            },
            IdType::Auto | IdType::Number,
        ) => Key::Number(n),
        (Id::Text { number: None, .. }, IdType::Number) => return None,
        (Id::Text { text, .. }, _) => Key::Text(text),
    })
}
