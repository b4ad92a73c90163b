//! The impls of generated models, written once here as declarative macros, in the
//! manner of prost's derive and bitflags' macro: the generated file holds each
//! struct and enum as a user reads it (documented fields and members) and one macro
//! invocation with its wire-name table; the macro writes the rest.
//!
//! * [`model!`](crate::model): a struct's `Serialize`, its one-pass `Deserialize`
//!   (the [`de::Fields`](crate::de::Fields) table of every spelling of every
//!   property) and, for the types some operation queries, a [`Field`](crate::Field)
//!   constant per property.
//! * [`polymorphic!`](crate::polymorphic): a `<Type>Kind` enum's `Default`,
//!   `From` conversions, `Serialize` and `Deserialize` (dispatch on `@odata.type`,
//!   [`de::Polymorphic`](crate::de::Polymorphic)).
//! * [`string_enum!`](crate::string_enum): a string enum's `MEMBERS`, `as_str`,
//!   `from_wire` (exact match, then case-insensitive, else the catch-all
//!   `Unrecognized`), [`StringEnum`](crate::StringEnum), serde, `Display`, `FromStr`.
//! * [`reserialize!`](crate::reserialize): `models::reserialize`, a JSON value read
//!   as the model a type name names and written back.
//!
//! ```
//! use msgraph_runtime as rt;
//!
//! /// A call, as the generator writes a struct.
//! #[derive(Debug, Clone, PartialEq, Default)]
//! pub struct Call {
//!     /// The `@odata.type` annotation.
//!     pub odata_type: Option<String>,
//!     /// `id`: String.
//!     pub id: rt::Nullable<String>,
//!     /// `callbackUri`: String. Also read as `callbackURI`.
//!     pub callback_uri: rt::Nullable<String>,
//!     /// `state`: callState.
//!     pub state: rt::Nullable<CallState>,
//!     /// Properties the docs do not list.
//!     pub additional_properties: rt::serde_json::Map<String, rt::serde_json::Value>,
//! }
//! rt::model! {
//!     Call {
//!         id: "id" as ID,
//!         callback_uri: "callbackUri" | "callbackURI" as CALLBACK_URI,
//!         state: "state" as STATE,
//!         ..additional_properties
//!     }
//! }
//!
//! /// A string enum: its members, then the catch-all.
//! #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
//! pub enum CallState {
//!     /// `established`.
//!     Established,
//!     /// `transferAccepted`.
//!     TransferAccepted,
//!     /// A value this crate does not know, kept exactly as received.
//!     Unrecognized(String),
//! }
//! rt::string_enum! {
//!     CallState {
//!         Established = "established",
//!         TransferAccepted = "transferAccepted",
//!     }
//! }
//!
//! let call: Call = rt::serde_json::from_str(r#"{"callbackURI": null, "state": "TRANSFERACCEPTED", "x": 1}"#).unwrap();
//! assert!(call.callback_uri.is_null() && call.id.is_absent());
//! assert_eq!(call.state.as_ref(), Some(&CallState::TransferAccepted));
//! assert_eq!(
//!     rt::serde_json::to_string(&call).unwrap(),
//!     r#"{"callbackUri":null,"state":"transferAccepted","x":1}"#
//! );
//! assert_eq!(Call::CALLBACK_URI.as_str(), "callbackUri");
//! assert_eq!(CallState::MEMBERS, ["established", "transferAccepted"]);
//! ```

/// A generated struct's impls, from its wire-name table.
///
/// ```text
/// model! {
///     Type {
///         field: "wireName" | "otherSpelling" as CONSTANT,   // one entry per field, in field order
///         #[cfg(feature = "area")]                            // a field that needs another area
///         other: "other" as OTHER,                            // (its constant is not gated)
///         ..additional_properties                             // the map of undeclared entries
///     }
/// }
/// ```
///
/// The struct has `odata_type: Option<String>` (written first when set, as
/// `@odata.type`), one `Nullable` field per entry and the map named after `..`.
/// It gets:
///
/// * `Serialize`: `@odata.type`, then each field that is not absent under its wire
///   name (the first spelling) in table order, then the map's entries;
/// * `Deserialize` in one pass ([`de::Fields`](crate::de::Fields)): each spelling of
///   an entry is read into its field (an earlier entry keeps a spelling two
///   entries share), anything else goes into the map;
/// * with `as CONSTANT` on every entry (the types some operation selects, expands or
///   orders), a [`Field`](crate::Field) constant per field, holding its wire name.
#[macro_export]
macro_rules! model {
    (
        $name:ident {
            $( $(#[$m:meta])* $f:ident : $wire:literal $(| $alias:literal)* , )*
            .. $extra:ident $(,)?
        }
    ) => {
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                let mut entries = $crate::ser::Entries::new(serializer, &self.odata_type)?;
                $( $(#[$m])* entries.field($wire, &self.$f); )*
                entries.end(&self.$extra)
            }
        }
        impl $crate::de::Fields for $name {
            const NAME: &'static str = ::std::stringify!($name);
            // A spelling two entries share is read by the first (as the docs' precedence says).
            #[allow(unreachable_patterns)]
            fn read_field<'de, A: $crate::serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> ::std::result::Result<bool, A::Error> {
                match key {
                    "@odata.type" => $crate::de::read(map, &mut self.odata_type),
                    $( $(#[$m])* $wire $(| $alias)* => $crate::de::read(map, &mut self.$f), )*
                    _ => ::std::result::Result::Ok(false),
                }
            }
            fn additional_properties(&mut self) -> &mut $crate::serde_json::Map<::std::string::String, $crate::serde_json::Value> {
                &mut self.$extra
            }
            fn odata_type(&mut self) -> ::std::option::Option<&mut ::std::option::Option<::std::string::String>> {
                ::std::option::Option::Some(&mut self.odata_type)
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::de::deserialize_fields(deserializer)
            }
        }
    };
    // Every entry with its constant: the impls above, and the constants.
    (
        $name:ident {
            $( $(#[$m:meta])* $f:ident : $wire:literal $(| $alias:literal)* as $konst:ident , )*
            .. $extra:ident $(,)?
        }
    ) => {
        $crate::model! { $name { $( $(#[$m])* $f : $wire $(| $alias)* , )* ..$extra } }
        /// Property names, for `$select`, `$expand` and `$orderby`.
        impl $name {
            // Not gated as the field is: a wire name is valid whatever is built.
            $(
                #[doc = ::std::concat!("`", $wire, "`")]
                pub const $konst: $crate::Field<Self> = $crate::Field::new($wire);
            )*
        }
    };
}

/// A `<Type>Kind` enum's impls: a type and the types derived from it, one variant
/// each, chosen by `@odata.type`.
///
/// ```text
/// polymorphic! {
///     EntityKind {
///         Entity(Entity),                              // the base type: the default, and the fallback
///         "microsoft.graph.user" => User(User),        // @odata.type (lower-case, no `#`) => variant
///         #[cfg(feature = "area")]
///         "microsoft.graph.call" => Call(Call),
///     }
/// }
/// ```
///
/// It gets `Default` (the base type's default), `From` each variant's type (for
/// the enum and for a `Nullable<Box<_>>` of it, so `.into()` fills a field),
/// `Serialize` (the variant's own) and `Deserialize` ([`de::Polymorphic`](crate::de::Polymorphic)):
/// the variant the `@odata.type` names, else the base type, which keeps the
/// fields it does not know.
#[macro_export]
macro_rules! polymorphic {
    (
        $kind:ident {
            $base_variant:ident ( $base:ty ),
            $( $(#[$m:meta])* $tag:literal => $variant:ident ( $ty:ty ), )*
        }
    ) => {
        impl ::std::default::Default for $kind {
            fn default() -> Self {
                Self::$base_variant(::std::default::Default::default())
            }
        }
        impl ::std::convert::From<$base> for $kind {
            fn from(value: $base) -> Self {
                Self::$base_variant(value)
            }
        }
        impl ::std::convert::From<$base> for $crate::Nullable<::std::boxed::Box<$kind>> {
            fn from(value: $base) -> Self {
                $crate::Nullable::Value(::std::boxed::Box::new($kind::$base_variant(value)))
            }
        }
        $(
            $(#[$m])*
            impl ::std::convert::From<$ty> for $kind {
                fn from(value: $ty) -> Self {
                    Self::$variant(value)
                }
            }
            $(#[$m])*
            impl ::std::convert::From<$ty> for $crate::Nullable<::std::boxed::Box<$kind>> {
                fn from(value: $ty) -> Self {
                    $crate::Nullable::Value(::std::boxed::Box::new($kind::$variant(value)))
                }
            }
        )*
        impl $crate::serde::Serialize for $kind {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    Self::$base_variant(v) => v.serialize(serializer),
                    $( $(#[$m])* Self::$variant(v) => v.serialize(serializer), )*
                }
            }
        }
        impl $crate::de::Polymorphic for $kind {
            const NAME: &'static str = ::std::stringify!($kind);
            fn dispatch<'de, S: $crate::de::Source<'de>>(key: ::std::option::Option<&str>, source: S) -> ::std::result::Result<Self, S::Error> {
                match key {
                    $( $(#[$m])* ::std::option::Option::Some($tag) => source.read().map(Self::$variant), )*
                    _ => source.read().map(Self::$base_variant),
                }
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $kind {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                $crate::de::deserialize_polymorphic(deserializer)
            }
        }
    };
}

/// `models::reserialize`: deserialize a JSON value as the model a full wire name
/// names (lower-case, without `#`) and serialize it back.
///
/// ```text
/// reserialize! {
///     "microsoft.graph.call" => graph::Call,
///     #[cfg(feature = "area")]
///     "microsoft.graph.entity" => graph::EntityKind,
/// }
/// ```
#[macro_export]
macro_rules! reserialize {
    ( $( $(#[$m:meta])* $key:literal => $ty:ty, )* ) => {
        /// Deserialize `value` as the model named `type_name` (a full wire name such as
        /// `microsoft.graph.participant`, with or without `#`, any case) and serialize it
        /// back. `None` if no model has that name. Types with derived types dispatch on
        /// `@odata.type`, as their properties do.
        pub fn reserialize(
            type_name: &str,
            value: $crate::serde_json::Value,
        ) -> ::std::option::Option<::std::result::Result<$crate::serde_json::Value, $crate::serde_json::Error>> {
            match type_name.trim_start_matches('#').to_ascii_lowercase().as_str() {
                $( $(#[$m])* $key => ::std::option::Option::Some($crate::de::reserialize::<$ty>(value)), )*
                _ => {
                    ::std::mem::drop(value);
                    ::std::option::Option::None
                }
            }
        }
    };
}
