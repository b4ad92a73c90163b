//! [`Nullable<T>`]: a property that is absent, `null`, or a value.
//!
//! On the Graph wire these are three different things. A PATCH clears a property by
//! sending it as `null` (`"mobilePhone": null`) and leaves alone what it does not
//! send; a delta round reports a cleared property as `null` and an unchanged one not
//! at all. Every property of a generated model is a `Nullable`, so a typed request
//! can send a `null` and a typed response shows one, and a round trip keeps it.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::de::{Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// A property that is [`Absent`](Nullable::Absent), [`Null`](Nullable::Null) or a
/// [`Value`](Nullable::Value).
///
/// In a generated struct, `Absent` (the default) is not serialized at all, `Null`
/// is serialized as `"name": null`, and a `Value` as the value; deserializing gives
/// back the same state, so what was read is written back as it came.
///
/// ```
/// use msgraph_runtime::Nullable;
///
/// // A value is written with `.into()`; `Nullable::Null` clears; `..Default::default()`
/// // leaves everything else absent.
/// #[derive(Default, serde::Serialize)]
/// struct Patch {
///     #[serde(rename = "displayName", skip_serializing_if = "Nullable::is_absent")]
///     display_name: Nullable<String>,
///     #[serde(rename = "mobilePhone", skip_serializing_if = "Nullable::is_absent")]
///     mobile_phone: Nullable<String>,
///     #[serde(rename = "jobTitle", skip_serializing_if = "Nullable::is_absent")]
///     job_title: Nullable<String>,
/// }
/// let patch = Patch { display_name: "Adele Vance".into(), mobile_phone: Nullable::Null, ..Default::default() };
/// assert_eq!(serde_json::to_string(&patch).unwrap(), r#"{"displayName":"Adele Vance","mobilePhone":null}"#);
///
/// // Reading: the Option-like accessors give the value (absent and null are both `None`) ...
/// assert_eq!(patch.display_name.as_deref(), Some("Adele Vance"));
/// assert_eq!(patch.mobile_phone.as_deref(), None);
/// // ... and a `match` tells all three apart.
/// let said = match &patch.mobile_phone {
///     Nullable::Value(phone) => format!("set to {phone}"),
///     Nullable::Null => "cleared".to_string(),
///     Nullable::Absent => "unchanged".to_string(),
/// };
/// assert_eq!(said, "cleared");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Nullable<T> {
    /// Not there at all: not serialized; on the wire, "unchanged" or "not selected".
    #[default]
    Absent,
    /// `null` on the wire: in a request, "clear this property"; in a response or a
    /// delta entry, "this property has no value" or "was cleared".
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    /// `true` for [`Absent`](Nullable::Absent) (what `skip_serializing_if` asks).
    pub const fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// `true` for [`Null`](Nullable::Null).
    pub const fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// `true` when there is a value (as [`Option::is_some`]).
    pub const fn is_some(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }

    /// `true` when there is no value, absent or null (as [`Option::is_none`]).
    pub const fn is_none(&self) -> bool {
        !self.is_some()
    }

    /// The value, borrowed; `None` when absent or null (as [`Option::as_ref`], so that
    /// `field.as_ref().map(..)` reads a present value).
    pub const fn as_ref(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, mutably borrowed; `None` when absent or null.
    pub fn as_mut(&mut self) -> Option<&mut T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, dereferenced (`Nullable<String>` gives `Option<&str>`); `None` when
    /// absent or null.
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: Deref,
    {
        self.as_ref().map(|v| &**v)
    }

    /// The value, if any; absent and null both give `None`.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The state with `&T` in place of `T`, to `match` on without moving.
    pub const fn as_nullable_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(v),
        }
    }

    /// Maps the value, keeping absent and null as they are.
    pub fn map<U, F: FnOnce(T) -> U>(self, f: F) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(f(v)),
        }
    }

    /// The value; panics when absent or null (as [`Option::unwrap`]).
    #[track_caller]
    pub fn unwrap(self) -> T {
        match self {
            Nullable::Value(v) => v,
            Nullable::Null => panic!("called `Nullable::unwrap()` on a `Null` value"),
            Nullable::Absent => panic!("called `Nullable::unwrap()` on an `Absent` value"),
        }
    }

    /// The value; panics with `message` when absent or null.
    #[track_caller]
    pub fn expect(self, message: &str) -> T {
        match self {
            Nullable::Value(v) => v,
            _ => panic!("{message}"),
        }
    }

    /// The value, or `default` when absent or null.
    pub fn unwrap_or(self, default: T) -> T {
        self.into_option().unwrap_or(default)
    }

    /// The value, or `T::default()` when absent or null.
    pub fn unwrap_or_default(self) -> T
    where
        T: Default,
    {
        self.into_option().unwrap_or_default()
    }

    /// The value, or `f()` when absent or null.
    pub fn unwrap_or_else<F: FnOnce() -> T>(self, f: F) -> T {
        self.into_option().unwrap_or_else(f)
    }

    /// An iterator over the value (none when absent or null), as [`Option::iter`].
    pub fn iter(&self) -> std::option::IntoIter<&T> {
        self.as_ref().into_iter()
    }

    /// Takes the state out, leaving [`Absent`](Nullable::Absent).
    pub fn take(&mut self) -> Nullable<T> {
        std::mem::take(self)
    }

    /// The value, first made with `f` when absent or null (to fill in a nested object).
    pub fn get_or_insert_with<F: FnOnce() -> T>(&mut self, f: F) -> &mut T {
        if !self.is_some() {
            *self = Nullable::Value(f());
        }
        match self {
            Nullable::Value(v) => v,
            // Just set to a value above.
            _ => unreachable!(),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Nullable<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Nullable::Absent => f.write_str("Absent"),
            Nullable::Null => f.write_str("Null"),
            Nullable::Value(v) => f.debug_tuple("Value").field(v).finish(),
        }
    }
}

/// A value: `field: value.into()`.
impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// `Some(v)` is the value, `None` is [`Absent`](Nullable::Absent) (nothing is sent).
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Nullable::Value(v),
            None => Nullable::Absent,
        }
    }
}

/// A string property from a `&str`: `display_name: "Adele".into()`.
impl From<&str> for Nullable<String> {
    fn from(value: &str) -> Self {
        Nullable::Value(value.to_owned())
    }
}

/// A boxed property (a single value of a struct type) from the value:
/// `location: Location { .. }.into()`.
impl<T> From<T> for Nullable<Box<T>> {
    fn from(value: T) -> Self {
        Nullable::Value(Box::new(value))
    }
}

/// The value; absent and null both give `None`.
impl<T> From<Nullable<T>> for Option<T> {
    fn from(value: Nullable<T>) -> Self {
        value.into_option()
    }
}

impl<T> IntoIterator for Nullable<T> {
    type Item = T;
    type IntoIter = std::option::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_option().into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Nullable<T> {
    type Item = &'a T;
    type IntoIter = std::option::IntoIter<&'a T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// A value as the value, `Null` (and `Absent`, which generated structs skip) as `null`.
impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => serializer.serialize_some(v),
            Nullable::Null | Nullable::Absent => serializer.serialize_none(),
        }
    }
}

/// `null` is [`Null`](Nullable::Null), anything else the value (a property that is
/// not there is never deserialized: it stays [`Absent`](Nullable::Absent)).
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NullableVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for NullableVisitor<T> {
            type Value = Nullable<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("null or a value")
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Nullable<T>, E> {
                Ok(Nullable::Null)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Nullable<T>, E> {
                Ok(Nullable::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Nullable<T>, D::Error> {
                T::deserialize(deserializer).map(Nullable::Value)
            }
        }
        deserializer.deserialize_option(NullableVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Item {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        a: Nullable<String>,
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        b: Nullable<Vec<i32>>,
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        c: Nullable<Box<Item>>,
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        d: Nullable<serde_json::Value>,
    }

    #[test]
    fn three_states_round_trip() {
        for text in [r#"{}"#, r#"{"a":null,"b":null,"c":null,"d":null}"#, r#"{"a":"x","b":[],"c":{"a":null},"d":{"k":null}}"#, r#"{"b":[1,2],"c":{}}"#] {
            let item: Item = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&item).unwrap(), text);
        }
        let item: Item = serde_json::from_str(r#"{"a":null,"b":[]}"#).unwrap();
        assert_eq!(item.a, Nullable::Null);
        assert_eq!(item.b, Nullable::Value(vec![]));
        assert_eq!(item.c, Nullable::Absent);
    }

    #[test]
    fn conversions_and_accessors() {
        let item = Item { a: "x".into(), b: vec![1].into(), c: Item::default().into(), d: json!(1).into() };
        assert_eq!(item.a.as_deref(), Some("x"));
        assert_eq!(item.b.as_ref().map(Vec::len), Some(1));
        assert!(item.c.is_some() && !item.c.is_null() && !item.c.is_absent());
        assert_eq!(Nullable::<i32>::Null.as_ref(), None);
        assert_eq!(Nullable::<i32>::from(None::<i32>), Nullable::Absent);
        assert_eq!(Nullable::<i32>::from(Some(3)), Nullable::Value(3));
        assert_eq!(Option::from(Nullable::Value(3)), Some(3));
        assert_eq!(Nullable::<i32>::Null.map(|v| v + 1), Nullable::Null);
        assert_eq!(Nullable::Value(1).map(|v| v + 1), Nullable::Value(2));
        assert_eq!(Nullable::<i32>::Null.unwrap_or_default(), 0);
        assert_eq!((&Nullable::Value(5)).into_iter().copied().sum::<i32>(), 5);
        let mut n: Nullable<Vec<i32>> = Nullable::Null;
        n.get_or_insert_with(Vec::new).push(4);
        assert_eq!(n, Nullable::Value(vec![4]));
        assert_eq!(n.take(), Nullable::Value(vec![4]));
        assert!(n.is_absent());
        assert_eq!(format!("{:?}", Nullable::Value(1)), "Value(1)");
        assert_eq!(format!("{:?}", Nullable::<i32>::Null), "Null");
        assert_eq!(std::mem::size_of::<Nullable<String>>(), std::mem::size_of::<Option<String>>());
    }

    #[test]
    fn json_null_inside_a_json_value_is_null() {
        // A raw-JSON property: `null` is the property's null, not a `Value::Null`.
        let item: Item = serde_json::from_str(r#"{"d":null}"#).unwrap();
        assert_eq!(item.d, Nullable::Null);
    }
}
