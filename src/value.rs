//! A plain value tree (what JSON can hold) for reading the service-worker
//! config in pure code: the shell converts the JavaScript object into it, and
//! [`Fields`] reads it with the path of every field, so errors name the field
//! ("config.routes[1].strategy"). No browser types here.

use crate::errors::format::{decimal, quoted};

/// A JSON-like value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Value>),
    /// Keys in the order the object listed them.
    Object(Vec<(String, Value)>),
    /// Something JSON cannot hold (a bigint, a symbol, a function) or that
    /// could not be read (a throwing getter or Proxy, nesting too deep),
    /// described for the error that names its field.
    Invalid(&'static str),
}

impl Value {
    /// What the value is, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
            Value::Invalid(what) => what,
        }
    }

    /// An object's field (the first with that key).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The object without a field (other values as they are).
    pub fn without(self, key: &str) -> Value {
        match self {
            Value::Object(fields) => {
                Value::Object(fields.into_iter().filter(|(k, _)| k != key).collect())
            }
            other => other,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// A config error: where, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub path: String,
    pub message: String,
}

impl ConfigError {
    /// "config.routes[0].strategy: unknown value ..." (no `core::fmt`: see `decimal`).
    pub fn text(&self) -> String {
        [self.path.as_str(), ": ", &self.message].concat()
    }
}

/// `path[i]`, the path of an array item.
pub fn item_path(path: &str, i: usize) -> String {
    [path, "[", &decimal(i as u64), "]"].concat()
}

pub type Result<T> = std::result::Result<T, ConfigError>;

/// An object being read: every key must be read or it is reported as unknown.
pub struct Fields<'a> {
    path: String,
    entries: &'a [(String, Value)],
}

impl<'a> Fields<'a> {
    /// Reads `value` at `path` as an object whose keys are all in `known`.
    pub fn of(value: &'a Value, path: &str, known: &[&str]) -> Result<Self> {
        let Value::Object(entries) = value else {
            return Err(error(
                path,
                ["must be an object, got ", value.kind()].concat(),
            ));
        };
        if let Some((key, _)) = entries
            .iter()
            .find(|(key, _)| !known.contains(&key.as_str()))
        {
            return Err(error(
                &[path, ".", key].concat(),
                ["unknown key; expected one of: ", &known.join(", ")].concat(),
            ));
        }
        Ok(Fields {
            path: path.to_owned(),
            entries,
        })
    }

    pub fn path(&self, key: &str) -> String {
        [self.path.as_str(), ".", key].concat()
    }

    /// The field, unless absent or `null`.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .filter(|v| **v != Value::Null)
    }

    /// True when the key is present with an explicit `null`.
    pub fn is_null(&self, key: &str) -> bool {
        self.entries
            .iter()
            .any(|(k, v)| k == key && *v == Value::Null)
    }

    pub fn string(&self, key: &str) -> Result<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(self.wrong(key, "a string", other)),
        }
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.wrong(key, "a boolean", other)),
        }
    }

    /// A finite number, not negative.
    pub fn non_negative(&self, key: &str) -> Result<Option<f64>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) if n.is_finite() && *n >= 0.0 => Ok(Some(*n)),
            Some(Value::Number(n)) => Err(error(
                &self.path(key),
                ["must be a finite number >= 0, got ", &number_text(*n)].concat(),
            )),
            Some(other) => Err(self.wrong(key, "a number", other)),
        }
    }

    /// A whole number >= 1.
    pub fn count(&self, key: &str) -> Result<Option<u32>> {
        match self.non_negative(key)? {
            None => Ok(None),
            Some(n) if n >= 1.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX) => {
                Ok(Some(n as u32))
            }
            Some(n) => Err(error(
                &self.path(key),
                ["must be a whole number >= 1, got ", &number_text(n)].concat(),
            )),
        }
    }

    /// An array of strings (absent: empty).
    pub fn strings(&self, key: &str) -> Result<Vec<String>> {
        self.array(key)?
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(s.clone()),
                other => Err(error(
                    &item_path(&self.path(key), i),
                    ["must be a string, got ", other.kind()].concat(),
                )),
            })
            .collect()
    }

    /// An array (absent: empty).
    pub fn array(&self, key: &str) -> Result<&'a [Value]> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(self.wrong(key, "an array", other)),
        }
    }

    /// One of `allowed`.
    pub fn choice(&self, key: &str, allowed: &[&str]) -> Result<Option<usize>> {
        match self.string(key)? {
            None => Ok(None),
            Some(s) => allowed
                .iter()
                .position(|a| *a == s)
                .map(Some)
                .ok_or_else(|| {
                    error(
                        &self.path(key),
                        [
                            "unknown value ",
                            &quoted(&s),
                            "; expected one of: ",
                            &allowed.join(", "),
                        ]
                        .concat(),
                    )
                }),
        }
    }

    fn wrong(&self, key: &str, expected: &str, got: &Value) -> ConfigError {
        error(
            &self.path(key),
            ["must be ", expected, ", got ", got.kind()].concat(),
        )
    }
}

pub fn error(path: &str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// A number for messages, without Rust's float formatting (large in wasm):
/// whole numbers exactly, anything else described.
pub fn number_text(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if n.fract() == 0.0 && n.abs() < 9e15 {
        let digits = decimal(n.abs() as u64);
        if n < 0.0 {
            ["-", &digits].concat()
        } else {
            digits
        }
    } else {
        "a fractional number".into()
    }
}
