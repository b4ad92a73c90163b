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
//! Generated code gets these impls from [`model!`](crate::model) and
//! [`polymorphic!`](crate::polymorphic) (crates generated before them call
//! [`deserialize_fields!`](crate::deserialize_fields) and
//! [`deserialize_polymorphic!`](crate::deserialize_polymorphic), which remain).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
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

/// Reads the remaining entries of `map` into `target` (by reference: a generated
/// struct is a few kilobytes, and each move of it is a copy).
fn read_entries<'de, T: Fields, A: MapAccess<'de>>(target: &mut T, map: &mut A) -> Result<(), A::Error> {
    while let Some(Key(key)) = map.next_key()? {
        if !target.read_field(&key, map)? {
            let value: Value = map.next_value()?;
            target.additional_properties().insert(key.into_owned(), value);
        }
    }
    Ok(())
}

/// `Deserialize::deserialize` of a [`Fields`] type: a JSON object, read in one pass.
///
/// The struct is made once, here, and filled through a `&mut`: the visitor returns
/// `()`, so the deserializer's layers (each of which would move a returned value
/// through its own `Result`) copy nothing of a struct that is a few kilobytes.
pub fn deserialize_fields<'de, T: Fields, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    struct FieldsVisitor<'a, T>(&'a mut T);
    impl<'de, T: Fields> Visitor<'de> for FieldsVisitor<'_, T> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a JSON object ({})", T::NAME)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            read_entries(self.0, &mut map)
        }
    }
    let mut target = T::default();
    deserializer.deserialize_map(FieldsVisitor(&mut target))?;
    Ok(target)
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
        read_entries(&mut target, self.map)?;
        Ok(target)
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

/// The longest `@odata.type` (after its `#`) lower-cased without allocating, with
/// room to spare for Graph's qualified type names; a longer one is lower-cased
/// into a `String`.
const TYPE_KEY_LEN: usize = 128;

/// An `@odata.type` as [`Polymorphic::dispatch`] matches it: without `#`, lower-cased
/// (ASCII only, as [`odata_type_key`](crate::odata_type_key)), written into `buf`
/// so that no `String` is allocated per object.
fn type_key<'b>(tag: &str, buf: &'b mut [u8; TYPE_KEY_LEN]) -> Cow<'b, str> {
    let tag = tag.trim_start_matches('#');
    if let Some(buf) = buf.get_mut(..tag.len()) {
        buf.copy_from_slice(tag.as_bytes());
        buf.make_ascii_lowercase();
        // ASCII lower-casing keeps UTF-8 valid: this never fails.
        if let Ok(key) = std::str::from_utf8(buf) {
            return Cow::Borrowed(key);
        }
    }
    Cow::Owned(tag.to_ascii_lowercase())
}

/// `Deserialize::deserialize` of a [`Polymorphic`] type.
///
/// The visitor puts the variant into a slot here and returns `()`, for the reason
/// [`deserialize_fields`] gives.
pub fn deserialize_polymorphic<'de, K: Polymorphic, D: Deserializer<'de>>(deserializer: D) -> Result<K, D::Error> {
    struct KindVisitor<'a, K>(&'a mut Option<K>);
    impl<'de, K: Polymorphic> Visitor<'de> for KindVisitor<'_, K> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a JSON object ({})", K::NAME)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut buffer = Map::new();
            if let Some(Key(first)) = map.next_key()? {
                if first == "@odata.type" {
                    let tag: Option<String> = map.next_value()?;
                    let mut buf = [0; TYPE_KEY_LEN];
                    let key = tag.as_deref().map(|tag| type_key(tag, &mut buf));
                    *self.0 = Some(K::dispatch(key.as_deref(), Rest { map: &mut map, odata_type: tag })?);
                    return Ok(());
                }
                buffer.insert(first.into_owned(), map.next_value()?);
                while let Some(Key(key)) = map.next_key()? {
                    buffer.insert(key.into_owned(), map.next_value()?);
                }
            }
            let mut buf = [0; TYPE_KEY_LEN];
            let key = buffer.get("@odata.type").and_then(Value::as_str).map(|tag| type_key(tag, &mut buf));
            *self.0 = Some(K::dispatch(key.as_deref(), Buffered(buffer, PhantomData))?);
            Ok(())
        }
    }
    let mut slot = None;
    deserializer.deserialize_map(KindVisitor(&mut slot))?;
    // A deserializer that reports success without visiting the map is broken; say so.
    slot.ok_or_else(|| de::Error::custom(format_args!("the deserializer gave no JSON object ({})", K::NAME)))
}

/// Reads an entry's value into its field (a `match` arm of a generated
/// [`Fields::read_field`]); `true`: the entry was claimed.
#[doc(hidden)]
#[inline]
pub fn read<'de, A: MapAccess<'de>, T: de::Deserialize<'de>>(map: &mut A, field: &mut T) -> Result<bool, A::Error> {
    *field = map.next_value()?;
    Ok(true)
}

/// A JSON value read as a `T` and written back (what `models::reserialize` does
/// for the model a type name names).
#[doc(hidden)]
pub fn reserialize<T: DeserializeOwned + serde::Serialize>(value: Value) -> Result<Value, serde_json::Error> {
    let typed: T = serde_json::from_value(value)?;
    serde_json::to_value(&typed)
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
            "value" => map.next_value_seed(Elements(&mut self.value))?,
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

/// A page's `value`, read straight into the page's `Vec` (`null` reads as empty).
struct Elements<'a, T>(&'a mut Vec<T>);

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Elements<'_, T> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Elements<'_, T> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array or null (a page's `value`)")
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.0.clear();
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.visit_none()
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.clear();
        while seq.next_element_seed(Push(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

/// One element of a page, pushed onto the `Vec` where it is read: an element is a
/// generated struct of a few kilobytes, and every `Option`/`Result` it would be
/// returned through on its way to `push` is a copy of it.
struct Push<'a, T>(&'a mut Vec<T>);

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Push<'_, T> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.0.push(T::deserialize(deserializer)?);
        Ok(())
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
        for json in
            [r##"{"@odata.type": "#Test.Derived", "id": "1", "size": 2, "u": 3}"##, r##"{"id": "1", "size": 2, "u": 3, "@odata.type": "#Test.Derived"}"##]
        {
            let k: Kind = serde_json::from_str(json).unwrap();
            assert_eq!(
                k,
                Kind::Derived(Derived { odata_type: Some("#Test.Derived".into()), id: Some("1".into()), size: Some(2), extra: extra(&[("u", 3.into())]) }),
                "{json}"
            );
        }
        // Unknown or absent @odata.type: the base type, keeping what it does not know.
        for (json, tag) in [
            (r##"{"@odata.type": "#test.other", "id": "1", "size": 2}"##, Some("#test.other")),
            (r#"{"id": "1", "size": 2}"#, None),
            (r#"{"@odata.type": null, "id": "1", "size": 2}"#, None),
        ] {
            let k: Kind = serde_json::from_str(json).unwrap();
            assert_eq!(k, Kind::Base(Base { odata_type: tag.map(Into::into), id: Some("1".into()), extra: extra(&[("size", 2.into())]) }), "{json}");
        }
        assert_eq!(serde_json::from_str::<Kind>("{}").unwrap(), Kind::Base(Base::default()));
        assert!(serde_json::from_str::<Kind>(r##"{"@odata.type": "#test.derived", "size": "big"}"##).is_err());
        assert!(serde_json::from_str::<Kind>(r##"{"size": "big", "@odata.type": "#test.derived"}"##).is_err());
        // From a `serde_json::Value` (whose maps come sorted: `@odata.type` first here).
        let k: Kind = serde_json::from_value(serde_json::json!({"@odata.type": "#test.derived", "size": 2, "u": 3})).unwrap();
        assert_eq!(
            k,
            Kind::Derived(Derived { odata_type: Some("#test.derived".into()), size: Some(2), extra: extra(&[("u", 3.into())]), ..Derived::default() })
        );
        let err = serde_json::from_value::<Kind>(serde_json::json!([1])).unwrap_err().to_string();
        assert!(err.contains("a JSON object (Kind)"), "{err}");
    }

    #[test]
    fn pages_read_their_annotations_and_keep_the_rest() {
        let page: Page<Kind> = serde_json::from_str(
            r##"{"@odata.context": "c", "value": [{"@odata.type": "#test.derived"}, {"id": "2"}], "@odata.nextLink": "n", "@odata.count": 2}"##,
        )
        .unwrap();
        assert_eq!(page.value.len(), 2);
        assert!(matches!(page.value[0], Kind::Derived(_)));
        assert_eq!((page.next_link.as_deref(), page.count), (Some("n"), Some(2)));
        assert_eq!(page.additional_properties, extra(&[("@odata.context", "c".into())]));
        let empty: Page<Base> = serde_json::from_str(r#"{"value": null}"#).unwrap();
        assert!(empty.value.is_empty());
    }

    #[test]
    fn page_values_null_absent_repeated_and_from_a_value() {
        for json in [r#"{"value": null}"#, r#"{"value": []}"#, r#"{"@odata.count": 0}"#, "{}"] {
            let page: Page<Base> = serde_json::from_str(json).unwrap();
            assert!(page.value.is_empty(), "{json}");
        }
        // A repeated `value` keeps the last one, as an assignment would.
        let page: Page<Base> = serde_json::from_str(r#"{"value": [{"id": "1"}, {"id": "2"}], "value": [{"id": "3"}]}"#).unwrap();
        assert_eq!(page.value, vec![Base { id: Some("3".into()), ..Base::default() }]);
        let page: Page<Base> = serde_json::from_str(r#"{"value": [{"id": "1"}], "value": null}"#).unwrap();
        assert!(page.value.is_empty());
        // Through `serde_json::Value` (deserialize_option of another deserializer).
        let page: Page<Base> = serde_json::from_value(serde_json::json!({"value": [{"id": "1", "x": 1}], "@odata.nextLink": "n"})).unwrap();
        assert_eq!(page.value, vec![Base { id: Some("1".into()), extra: extra(&[("x", 1.into())]), ..Base::default() }]);
        assert_eq!(page.next_link.as_deref(), Some("n"));
        let page: Page<Base> = serde_json::from_value(serde_json::json!({"value": null})).unwrap();
        assert!(page.value.is_empty());
        // Pages of scalars, and errors that name what was expected.
        let page: Page<String> = serde_json::from_str(r#"{"value": ["a", "b"]}"#).unwrap();
        assert_eq!(page.value, ["a", "b"]);
        let err = serde_json::from_str::<Page<Base>>(r#"{"value": {"id": "1"}}"#).unwrap_err().to_string();
        assert!(err.contains("an array or null"), "{err}");
        let err = serde_json::from_str::<Page<Base>>(r#"{"value": [{"id": "1"}, {"id": 2}]}"#).unwrap_err().to_string();
        assert!(err.contains("invalid type") && err.contains("line 1"), "{err}");
    }

    #[test]
    fn odata_type_keys_are_matched_without_case_or_allocation_limits() {
        let mut buf = [0; TYPE_KEY_LEN];
        assert!(matches!(type_key("#Test.Derived", &mut buf), Cow::Borrowed("test.derived")));
        assert!(matches!(type_key("test.derived", &mut buf), Cow::Borrowed("test.derived")));
        assert!(matches!(type_key("##TEST.É", &mut buf), Cow::Borrowed("test.É")));
        let long = format!("#Test.{}", "X".repeat(200));
        match type_key(&long, &mut buf) {
            Cow::Owned(key) => assert_eq!(key, format!("test.{}", "x".repeat(200))),
            Cow::Borrowed(key) => panic!("a {}-byte key cannot fit the buffer: {key}", long.len()),
        }
        // Dispatch on a tag longer than the buffer still works, first or last.
        let long_derived = format!("#Test.Derived{}", " ".repeat(200));
        for json in [format!(r#"{{"@odata.type": "{long_derived}", "id": "1"}}"#), format!(r#"{{"id": "1", "@odata.type": "{long_derived}"}}"#)] {
            let k: Kind = serde_json::from_str(&json).unwrap();
            assert_eq!(
                k,
                Kind::Base(Base { odata_type: Some(long_derived.clone()), id: Some("1".into()), extra: Map::new() }),
                "not the derived type: the tag differs"
            );
        }
        let mixed = r##"{"@odata.type": "#TEST.DERIVED", "size": 1}"##;
        assert!(matches!(serde_json::from_str::<Kind>(mixed).unwrap(), Kind::Derived(Derived { size: Some(1), .. })));
    }
}
