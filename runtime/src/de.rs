//! How generated models deserialize, in one pass over the input.
//!
//! A generated struct implements [`Fields`]: one `match` from each spelling of a
//! property (its wire name and the aliases the docs show) to its field. The
//! visitor here reads an object's entries in order, gives each key to
//! [`Fields::read_field`], and keeps the entries no field claims in the struct's
//! `additional_properties` map, so they are written back on serialization. No
//! entry is buffered (`#[serde(flatten)]` would first collect the whole object).
//!
//! A generated `<Type>Kind` enum (a type and the types derived from it) implements
//! [`Polymorphic`]: given the `@odata.type` of an object, which variant to build.
//! When `@odata.type` is the object's first entry, as Graph writes it, the
//! variant is read straight from the rest of the entries; otherwise the object is
//! buffered as a [`serde_json::Map`] first. An unknown or absent `@odata.type`
//! gives the base type, which keeps the fields it does not know.
//!
//! Generated code uses [`deserialize_fields!`](crate::deserialize_fields) and
//! [`deserialize_polymorphic!`](crate::deserialize_polymorphic) for the
//! `Deserialize` impls.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::Page;

/// A struct read entry by entry (implemented by generated structs).
pub trait Fields: Default {
    /// The type's name, for error messages.
    const NAME: &'static str;

    /// Reads the value of the entry `key` into its field with `map.next_value()`
    /// and returns `true`; returns `false` (reading nothing) when no field has
    /// this spelling.
    fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error>;

    /// The map of the entries no field claims.
    fn additional_properties(&mut self) -> &mut Map<String, Value>;

    /// The `@odata.type` field, for types that have one.
    fn odata_type(&mut self) -> Option<&mut Option<String>> {
        None
    }
}

/// An object key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a property name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads the remaining entries of `map` into `target`.
fn read_entries<'de, T: Fields, A: MapAccess<'de>>(mut target: T, map: &mut A) -> Result<T, A::Error> {
    while let Some(Key(key)) = map.next_key()? {
        if !target.read_field(&key, map)? {
            let value: Value = map.next_value()?;
            target.additional_properties().insert(key.into_owned(), value);
        }
    }
    Ok(target)
}

/// `Deserialize::deserialize` of a [`Fields`] type: a JSON object, read in one pass.
pub fn deserialize_fields<'de, T: Fields, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    struct FieldsVisitor<T>(PhantomData<T>);
    impl<'de, T: Fields> Visitor<'de> for FieldsVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a JSON object ({})", T::NAME)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            read_entries(T::default(), &mut map)
        }
    }
    deserializer.deserialize_map(FieldsVisitor(PhantomData))
}

/// Where a [`Polymorphic`] type reads the variant it chose.
pub trait Source<'de> {
    type Error: de::Error;
    /// Reads the object as a `T`.
    fn read<T: Fields + DeserializeOwned>(self) -> Result<T, Self::Error>;
}

/// The entries after a leading `@odata.type`, read in place.
struct Rest<'a, A> {
    map: &'a mut A,
    odata_type: Option<String>,
}

impl<'de, A: MapAccess<'de>> Source<'de> for Rest<'_, A> {
    type Error = A::Error;
    fn read<T: Fields + DeserializeOwned>(self) -> Result<T, A::Error> {
        let mut target = T::default();
        match target.odata_type() {
            Some(field) => *field = self.odata_type,
            None => {
                if let Some(tag) = self.odata_type {
                    target.additional_properties().insert("@odata.type".into(), Value::String(tag));
                }
            }
        }
        read_entries(target, self.map)
    }
}

/// A whole object, buffered because `@odata.type` was not its first entry.
struct Buffered<E>(Map<String, Value>, PhantomData<E>);

impl<'de, E: de::Error> Source<'de> for Buffered<E> {
    type Error = E;
    fn read<T: Fields + DeserializeOwned>(self) -> Result<T, E> {
        T::deserialize(Value::Object(self.0)).map_err(E::custom)
    }
}

/// A type and the types derived from it, one variant each, chosen by
/// `@odata.type` (implemented by generated `<Type>Kind` enums).
pub trait Polymorphic: Sized {
    /// The type's name, for error messages.
    const NAME: &'static str;

    /// Reads the variant that `key` names (the `@odata.type` without `#`,
    /// lower-cased, as [`odata_type_key`](crate::odata_type_key) gives it), or the base type when `key`
    /// is `None` or names no variant, from `source`.
    fn dispatch<'de, S: Source<'de>>(key: Option<&str>, source: S) -> Result<Self, S::Error>;
}

/// An `@odata.type` as [`Polymorphic::dispatch`] matches it: without `#`, lower-cased.
fn type_key(tag: &str) -> String {
    tag.trim_start_matches('#').to_ascii_lowercase()
}

/// `Deserialize::deserialize` of a [`Polymorphic`] type.
pub fn deserialize_polymorphic<'de, K: Polymorphic, D: Deserializer<'de>>(deserializer: D) -> Result<K, D::Error> {
    struct KindVisitor<K>(PhantomData<K>);
    impl<'de, K: Polymorphic> Visitor<'de> for KindVisitor<K> {
        type Value = K;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a JSON object ({})", K::NAME)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<K, A::Error> {
            let mut buffer = Map::new();
            if let Some(Key(first)) = map.next_key()? {
                if first == "@odata.type" {
                    let tag: Option<String> = map.next_value()?;
                    let key = tag.as_deref().map(type_key);
                    return K::dispatch(key.as_deref(), Rest { map: &mut map, odata_type: tag });
                }
                buffer.insert(first.into_owned(), map.next_value()?);
                while let Some(Key(key)) = map.next_key()? {
                    buffer.insert(key.into_owned(), map.next_value()?);
                }
            }
            let key = buffer.get("@odata.type").and_then(Value::as_str).map(type_key);
            K::dispatch(key.as_deref(), Buffered(buffer, PhantomData))
        }
    }
    deserializer.deserialize_map(KindVisitor(PhantomData))
}

/// `impl Deserialize for $t` by [`deserialize_fields`]; `$t` implements [`Fields`].
#[doc(hidden)]
#[macro_export]
macro_rules! deserialize_fields {
    ($t:ty) => {
        impl<'de> $crate::serde::Deserialize<'de> for $t {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::de::deserialize_fields(deserializer)
            }
        }
    };
}

/// `impl Deserialize for $t` by [`deserialize_polymorphic`]; `$t` implements [`Polymorphic`].
#[doc(hidden)]
#[macro_export]
macro_rules! deserialize_polymorphic {
    ($t:ty) => {
        impl<'de> $crate::serde::Deserialize<'de> for $t {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::de::deserialize_polymorphic(deserializer)
            }
        }
    };
}

impl<T: DeserializeOwned> Fields for Page<T> {
    const NAME: &'static str = "Page";

    fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "value" => self.value = map.next_value::<Option<Vec<T>>>()?.unwrap_or_default(),
            "@odata.nextLink" => self.next_link = map.next_value()?,
            "@odata.deltaLink" => self.delta_link = map.next_value()?,
            "@odata.count" => self.count = map.next_value()?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn additional_properties(&mut self) -> &mut Map<String, Value> {
        &mut self.additional_properties
    }
}

impl<'de, T: DeserializeOwned> de::Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_fields(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Base {
        odata_type: Option<String>,
        id: Option<String>,
        extra: Map<String, Value>,
    }
    impl Fields for Base {
        const NAME: &'static str = "Base";
        fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
            match key {
                "@odata.type" => self.odata_type = map.next_value()?,
                "id" | "ID" => self.id = map.next_value()?,
                _ => return Ok(false),
            }
            Ok(true)
        }
        fn additional_properties(&mut self) -> &mut Map<String, Value> {
            &mut self.extra
        }
        fn odata_type(&mut self) -> Option<&mut Option<String>> {
            Some(&mut self.odata_type)
        }
    }
    crate::deserialize_fields!(Base);

    #[derive(Debug, Default, PartialEq)]
    struct Derived {
        odata_type: Option<String>,
        id: Option<String>,
        size: Option<i64>,
        extra: Map<String, Value>,
    }
    impl Fields for Derived {
        const NAME: &'static str = "Derived";
        fn read_field<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
            match key {
                "@odata.type" => self.odata_type = map.next_value()?,
                "id" => self.id = map.next_value()?,
                "size" => self.size = map.next_value()?,
                _ => return Ok(false),
            }
            Ok(true)
        }
        fn additional_properties(&mut self) -> &mut Map<String, Value> {
            &mut self.extra
        }
        fn odata_type(&mut self) -> Option<&mut Option<String>> {
            Some(&mut self.odata_type)
        }
    }
    crate::deserialize_fields!(Derived);

    #[derive(Debug, PartialEq)]
    enum Kind {
        Base(Base),
        Derived(Derived),
    }
    impl Polymorphic for Kind {
        const NAME: &'static str = "Kind";
        fn dispatch<'de, S: Source<'de>>(key: Option<&str>, source: S) -> Result<Self, S::Error> {
            match key {
                Some("test.derived") => source.read().map(Kind::Derived),
                _ => source.read().map(Kind::Base),
            }
        }
    }
    crate::deserialize_polymorphic!(Kind);

    fn extra(pairs: &[(&str, Value)]) -> Map<String, Value> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    #[test]
    fn fields_claim_their_spellings_and_keep_the_rest() {
        let b: Base = serde_json::from_str(r#"{"ID": "1", "x": [1, {"y": null}], "id\u0041": 2}"#).unwrap();
        assert_eq!(b.id.as_deref(), Some("1"));
        assert_eq!(b.extra, extra(&[("x", serde_json::json!([1, {"y": null}])), ("idA", 2.into())]));
        let null: Base = serde_json::from_str(r#"{"id": null}"#).unwrap();
        assert_eq!(null, Base::default());
        let from_value: Base = serde_json::from_value(serde_json::json!({"id": "2", "z": true})).unwrap();
        assert_eq!(from_value.id.as_deref(), Some("2"));
        assert_eq!(from_value.extra, extra(&[("z", true.into())]));
        let err = serde_json::from_str::<Base>(r#"{"id": 3}"#).unwrap_err().to_string();
        assert!(err.contains("invalid type"), "{err}");
        assert!(serde_json::from_str::<Base>("[]").unwrap_err().to_string().contains("a JSON object (Base)"));
    }

    #[test]
    fn dispatch_on_a_leading_or_later_odata_type() {
        for json in [r##"{"@odata.type": "#Test.Derived", "id": "1", "size": 2, "u": 3}"##, r##"{"id": "1", "size": 2, "u": 3, "@odata.type": "#Test.Derived"}"##] {
            let k: Kind = serde_json::from_str(json).unwrap();
            assert_eq!(
                k,
                Kind::Derived(Derived { odata_type: Some("#Test.Derived".into()), id: Some("1".into()), size: Some(2), extra: extra(&[("u", 3.into())]) }),
                "{json}"
            );
        }
        // Unknown or absent @odata.type: the base type, keeping what it does not know.
        for (json, tag) in [(r##"{"@odata.type": "#test.other", "id": "1", "size": 2}"##, Some("#test.other")), (r#"{"id": "1", "size": 2}"#, None), (r#"{"@odata.type": null, "id": "1", "size": 2}"#, None)] {
            let k: Kind = serde_json::from_str(json).unwrap();
            assert_eq!(k, Kind::Base(Base { odata_type: tag.map(Into::into), id: Some("1".into()), extra: extra(&[("size", 2.into())]) }), "{json}");
        }
        assert_eq!(serde_json::from_str::<Kind>("{}").unwrap(), Kind::Base(Base::default()));
        assert!(serde_json::from_str::<Kind>(r##"{"@odata.type": "#test.derived", "size": "big"}"##).is_err());
        assert!(serde_json::from_str::<Kind>(r##"{"size": "big", "@odata.type": "#test.derived"}"##).is_err());
    }

    #[test]
    fn pages_read_their_annotations_and_keep_the_rest() {
        let page: Page<Kind> = serde_json::from_str(r##"{"@odata.context": "c", "value": [{"@odata.type": "#test.derived"}, {"id": "2"}], "@odata.nextLink": "n", "@odata.count": 2}"##).unwrap();
        assert_eq!(page.value.len(), 2);
        assert!(matches!(page.value[0], Kind::Derived(_)));
        assert_eq!((page.next_link.as_deref(), page.count), (Some("n"), Some(2)));
        assert_eq!(page.additional_properties, extra(&[("@odata.context", "c".into())]));
        let empty: Page<Base> = serde_json::from_str(r#"{"value": null}"#).unwrap();
        assert!(empty.value.is_empty());
    }
}
