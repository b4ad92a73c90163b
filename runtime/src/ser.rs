//! How generated models serialize: a JSON object with `@odata.type` first (when
//! set), then every property that is not [`Absent`](crate::Nullable::Absent) in
//! field order, then the entries of `additional_properties`, in the map's order.
//!
//! [`model!`](crate::model) writes a struct's `Serialize` impl with [`Entries`]:
//! one call per property, no branch at the call site (an error is kept and
//! returned at the end), so the generated code stays one line per property.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

use crate::Nullable;

/// A model's entries being written into a serializer's map.
#[doc(hidden)]
pub struct Entries<M: SerializeMap> {
    map: M,
    /// The first error; later entries are not written.
    error: Option<M::Error>,
}

impl<M: SerializeMap> Entries<M> {
    /// Starts the map (of unknown length, as `#[serde(flatten)]` does) and writes
    /// `@odata.type` when it is set.
    #[inline]
    pub fn new<S: Serializer<SerializeMap = M, Error = M::Error>>(serializer: S, odata_type: &Option<String>) -> Result<Self, M::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(tag) = odata_type {
            map.serialize_entry("@odata.type", tag)?;
        }
        Ok(Entries { map, error: None })
    }

    /// Writes a property unless it is absent (`null` is written as `null`).
    #[inline]
    pub fn field<T: Serialize>(&mut self, key: &'static str, value: &Nullable<T>) {
        if value.is_absent() || self.error.is_some() {
            return;
        }
        if let Err(e) = self.map.serialize_entry(key, value) {
            self.error = Some(e);
        }
    }

    /// Writes the entries no field claims, in their order, and ends the map.
    #[inline]
    pub fn end(mut self, additional_properties: &Map<String, Value>) -> Result<M::Ok, M::Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        for (key, value) in additional_properties {
            self.map.serialize_entry(key, value)?;
        }
        self.map.end()
    }
}
