//! The values of generated models that are not structs: string enums
//! ([`StringEnum`], `string_enum!`, [`Flags`]) and the primitive types the docs use
//! (timestamps, dates, times of day, durations, GUIDs, base64), each parsed and
//! written in Graph's text form.
//!
//! Everything here is re-exported at the crate root.

use std::fmt;
use std::str::FromStr;

/// The `@odata.type` of a JSON object, without `#`, lower-cased.
pub fn odata_type_key(value: &serde_json::Value) -> Option<String> {
    value.get("@odata.type").and_then(serde_json::Value::as_str).map(|s| s.trim_start_matches('#').to_ascii_lowercase())
}

/// Implemented by every generated string enum.
pub trait StringEnum: Sized {
    fn as_str(&self) -> &str;
    fn from_wire(s: &str) -> Self;
}

/// The member a wire value names, from a string enum's spellings (each member's
/// wire name and the other spellings the docs show, in member order): the first
/// that matches exactly, else the first that matches ignoring ASCII case.
#[doc(hidden)]
#[inline]
pub fn from_wire<'a, E>(value: &str, spellings: &'a [(&'static str, E)]) -> Option<&'a E> {
    match spellings.iter().find(|(s, _)| *s == value) {
        Some((_, e)) => Some(e),
        None => spellings.iter().find(|(s, _)| s.eq_ignore_ascii_case(value)).map(|(_, e)| e),
    }
}

/// A generated string enum's impls, from its members' wire names.
///
/// ```text
/// string_enum! {
///     CallState {
///         Established = "established",
///         TransferAccepted = "transferAccepted" | "transfer_accepted",   // other spellings the docs show
///     }
/// }
/// ```
///
/// The enum has a unit variant per member and the catch-all `Unrecognized(String)`.
/// It gets `MEMBERS` (the wire names, in order), `as_str` (the wire name; the
/// catch-all's own text), `from_wire` (every spelling, exactly, then ignoring ASCII
/// case; anything else is kept in `Unrecognized`, so parsing never fails),
/// [`StringEnum`], `Serialize`, `Deserialize`, `Display` and `FromStr`. Serde is
/// named through this crate, so the generated crate needs no serde dependency of
/// its own.
///
/// `string_enum!(Type)` alone gives the serde, `Display` and `FromStr` impls of an
/// enum with inherent `as_str` and `from_wire` methods (what crates generated
/// before the table form call).
#[macro_export]
macro_rules! string_enum {
    (
        $t:ident {
            $( $variant:ident = $wire:literal $(| $alias:literal)* , )*
        }
    ) => {
        impl $t {
            /// The members the docs list, as they are spelled on the wire.
            pub const MEMBERS: &'static [&'static str] = &[$($wire),*];
            /// The wire spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Unrecognized(s) => s.as_str(),
                }
            }
            /// Parse a wire value: exact match first, then case-insensitive; anything
            /// else is kept in the catch-all variant.
            pub fn from_wire(s: &str) -> Self {
                const SPELLINGS: &[(&str, $t)] = &[$( ($wire, $t::$variant), $( ($alias, $t::$variant), )* )*];
                match $crate::from_wire(s, SPELLINGS) {
                    ::std::option::Option::Some(member) => ::std::clone::Clone::clone(member),
                    ::std::option::Option::None => Self::Unrecognized(::std::borrow::ToOwned::to_owned(s)),
                }
            }
        }
        impl $crate::StringEnum for $t {
            fn as_str(&self) -> &str {
                $t::as_str(self)
            }
            fn from_wire(s: &str) -> Self {
                $t::from_wire(s)
            }
        }
        $crate::string_enum!($t);
    };
    ($t:ident) => {
        impl $crate::serde::Serialize for $t {
            fn serialize<S: $crate::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $t {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as $crate::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from_wire(&s))
            }
        }
        impl ::std::fmt::Display for $t {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::str::FromStr for $t {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from_wire(s))
            }
        }
    };
}

/// A set of members of a flags enum; on the wire a comma-separated string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Flags<E>(pub Vec<E>);

impl<E: StringEnum> serde::Serialize for Flags<E> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let parts: Vec<&str> = self.0.iter().map(StringEnum::as_str).collect();
        serializer.serialize_str(&parts.join(","))
    }
}

impl<'de, E: StringEnum> serde::Deserialize<'de> for Flags<E> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
        Ok(Flags(s.split(',').map(str::trim).filter(|p| !p.is_empty()).map(E::from_wire).collect()))
    }
}

/// Error from parsing a primitive value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} {text:?}: {reason}")]
pub struct ParseError {
    pub kind: &'static str,
    pub text: String,
    pub reason: String,
}

/// Defines a primitive that keeps the text it was parsed from, so that a value
/// read from the wire is written back exactly as it came (Graph sends seven
/// fractional digits in timestamps, upper-case GUIDs, and so on). Equality
/// compares the parsed values.
macro_rules! text_value {
    ($(#[$meta:meta])* $name:ident, $inner:ty, $kind:literal, $parse:expr, $format:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $name {
            value: $inner,
            text: String,
        }

        impl $name {
            /// Wrap a value; it is written in canonical form.
            pub fn new(value: $inner) -> Self {
                let format: fn(&$inner) -> String = $format;
                let text = format(&value);
                $name { value, text }
            }

            /// Parse from the wire format.
            pub fn parse(text: &str) -> Result<Self, ParseError> {
                let parse: fn(&str) -> Result<$inner, String> = $parse;
                parse(text)
                    .map(|value| $name { value, text: text.to_owned() })
                    .map_err(|reason| ParseError { kind: $kind, text: text.to_owned(), reason })
            }

            /// The parsed value.
            pub fn value(&self) -> &$inner {
                &self.value
            }

            /// The text as received (or the canonical form for constructed values).
            pub fn as_str(&self) -> &str {
                &self.text
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.value == other.value
            }
        }

        impl From<$inner> for $name {
            fn from(value: $inner) -> Self {
                $name::new(value)
            }
        }

        impl FromStr for $name {
            type Err = ParseError;
            fn from_str(s: &str) -> Result<Self, ParseError> {
                $name::parse(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.text)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.text)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                $name::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

fn parse_timestamp(s: &str) -> Result<chrono::DateTime<chrono::FixedOffset>, String> {
    chrono::DateTime::parse_from_rfc3339(s).or_else(|e| {
        // Graph sometimes omits the offset; such timestamps are UTC. A date alone
        // (`"birthday": "1974-07-22"`) is its midnight, UTC.
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
            .or_else(|_| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map(|d| d.and_time(chrono::NaiveTime::MIN)))
            .map(|n| n.and_utc().fixed_offset())
            .map_err(|_| e.to_string())
    })
}

text_value!(
    /// `Edm.DateTimeOffset`: an RFC 3339 timestamp. Accepts up to nine fractional
    /// digits, timestamps without an offset (read as UTC) and a date alone (its
    /// midnight, UTC); the text is kept as received.
    DateTimeOffset,
    chrono::DateTime<chrono::FixedOffset>,
    "DateTimeOffset",
    parse_timestamp,
    |v| v.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
);

text_value!(
    /// `Edm.Date`: `YYYY-MM-DD`. A full timestamp, which Graph sends for some date
    /// properties, is accepted too (its date part is the value; the text is kept).
    Date,
    chrono::NaiveDate,
    "Date",
    |s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|e| parse_timestamp(s).map(|t| t.date_naive()).map_err(|_| e))
        .map_err(|e| e.to_string()),
    |v| v.format("%Y-%m-%d").to_string()
);

text_value!(
    /// `Edm.TimeOfDay`: `HH:MM:SS` with optional fractional seconds.
    TimeOfDay,
    chrono::NaiveTime,
    "TimeOfDay",
    |s| chrono::NaiveTime::parse_from_str(s, "%H:%M:%S%.f")
        .or_else(|_| chrono::NaiveTime::parse_from_str(s, "%H:%M"))
        .map_err(|e| e.to_string()),
    |v| v.format("%H:%M:%S%.f").to_string()
);

text_value!(
    /// `Edm.Duration`: an ISO 8601 duration such as `PT1H30M`.
    Duration,
    iso8601::Duration,
    "Duration",
    |s| s.parse::<iso8601::Duration>(),
    |v| v.to_string()
);

text_value!(
    /// `Edm.Guid`.
    Guid,
    uuid::Uuid,
    "Guid",
    |s| uuid::Uuid::parse_str(s).map_err(|e| e.to_string()),
    |v| v.hyphenated().to_string()
);

text_value!(
    /// `Edm.Binary`: bytes, base64 on the wire (standard or URL-safe alphabet).
    Base64,
    Vec<u8>,
    "Binary",
    |s| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(s)
            .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(s))
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s))
            .map_err(|e| e.to_string())
    },
    |v| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(v)
    }
);
