//! The macros generated models are written with (`model!`, `polymorphic!`,
//! `string_enum!`, `reserialize!`), used as the generator writes them: one test per
//! rule of the wire format they implement.

use msgraph_runtime as rt;
use rt::serde_json::{self, json, Map, Value};
use rt::Nullable;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Thing {
    pub odata_type: Option<String>,
    pub id: Nullable<String>,
    pub callback_uri: Nullable<String>,
    /// Shares the spelling `callbackURI` with the field before it.
    pub other_uri: Nullable<String>,
    pub r#type: Nullable<Shade>,
    #[cfg(any())]
    pub gated_out: Nullable<i32>,
    #[cfg(test)]
    pub gated_in: Nullable<Box<ThingKind>>,
    pub additional_properties: Map<String, Value>,
}
rt::model! {
    Thing {
        id: "id" as ID,
        callback_uri: "callbackUri" | "callbackURI" as CALLBACK_URI,
        other_uri: "otherUri" | "callbackURI" as OTHER_URI,
        r#type: "type" as TYPE,
        #[cfg(any())]
        gated_out: "gatedOut" as GATED_OUT,
        #[cfg(test)]
        gated_in: "gatedIn" as GATED_IN,
        ..additional_properties
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Special {
    pub odata_type: Option<String>,
    pub id: Nullable<String>,
    pub extra: Nullable<i64>,
    pub additional_properties: Map<String, Value>,
}
rt::model! {
    Special {
        id: "id",
        extra: "extra",
        ..additional_properties
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum ThingKind {
    Thing(Thing),
    Special(Special),
    #[cfg(any())]
    Never(Special),
}
rt::polymorphic! {
    ThingKind {
        Thing(Thing),
        "microsoft.graph.special" => Special(Special),
        #[cfg(any())]
        "microsoft.graph.never" => Never(Special),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Shade {
    Light,
    DarkRed,
    Unrecognized(String),
}
rt::string_enum! {
    Shade {
        Light = "light",
        DarkRed = "darkRed" | "dark_red",
    }
}

mod models {
    rt::reserialize! {
        "microsoft.graph.thing" => super::ThingKind,
        #[cfg(any())]
        "microsoft.graph.never" => super::Special,
    }
    use msgraph_runtime as rt;
}

/// Rule: absent is not written, `null` is, a value is; `@odata.type` first, then the
/// fields in table order under their wire names, then the unknown entries in the
/// map's order.
#[test]
fn serialize_writes_present_fields_in_order_and_skips_absent() {
    let mut extra = Map::new();
    // (In the map's order: sorted, or as inserted with serde_json's `preserve_order`.)
    extra.insert("alpha".into(), json!(2));
    extra.insert("zeta".into(), json!(1));
    let thing = Thing {
        odata_type: Some("#microsoft.graph.thing".into()),
        callback_uri: Nullable::Null,
        r#type: Nullable::Value(Shade::DarkRed),
        additional_properties: extra,
        ..Default::default()
    };
    assert_eq!(serde_json::to_string(&thing).unwrap(), r##"{"@odata.type":"#microsoft.graph.thing","callbackUri":null,"type":"darkRed","alpha":2,"zeta":1}"##);
    assert_eq!(serde_json::to_string(&Thing::default()).unwrap(), "{}");
}

/// Rule: every spelling of a field is read into it; a spelling two fields share
/// goes to the first; `null` is kept as null, absence as absent; anything else is
/// kept in the map.
#[test]
fn deserialize_reads_every_spelling_once_and_keeps_the_rest() {
    let thing: Thing = serde_json::from_value(json!({"callbackURI": "u", "otherUri": null, "x": [1], "gatedIn": {"id": "n"}})).unwrap();
    assert_eq!(thing.callback_uri, Nullable::Value("u".into()));
    assert!(thing.other_uri.is_null() && thing.id.is_absent());
    assert_eq!(thing.additional_properties, json!({"x": [1]}).as_object().unwrap().clone());
    assert!(matches!(thing.gated_in.as_ref().map(|k| &**k), Some(ThingKind::Thing(t)) if t.id == Nullable::Value("n".into())));
    // A gated-out field's spelling is an unknown entry.
    let thing: Thing = serde_json::from_value(json!({"gatedOut": 3})).unwrap();
    assert_eq!(thing.additional_properties.get("gatedOut"), Some(&json!(3)));
}

/// Rule: a polymorphic holder reads the type `@odata.type` names (any case, with or
/// without `#`), else the base type, which keeps the fields it does not know; it
/// writes its variant as the variant writes itself; `From` fills the holder and a
/// boxed `Nullable` of it.
#[test]
fn polymorphic_dispatches_on_odata_type() {
    let special: ThingKind = serde_json::from_value(json!({"@odata.type": "#Microsoft.Graph.Special", "extra": 5})).unwrap();
    assert!(matches!(&special, ThingKind::Special(s) if s.extra == Nullable::Value(5)));
    let unknown: ThingKind = serde_json::from_value(json!({"@odata.type": "#microsoft.graph.never", "extra": 5})).unwrap();
    assert!(matches!(&unknown, ThingKind::Thing(t) if t.additional_properties.get("extra") == Some(&json!(5))));
    assert_eq!(serde_json::to_value(&special).unwrap(), json!({"@odata.type": "#Microsoft.Graph.Special", "extra": 5}));
    assert_eq!(ThingKind::default(), ThingKind::Thing(Thing::default()));
    let field: Nullable<Box<ThingKind>> = Special::default().into();
    assert!(matches!(field.as_ref().map(|k| &**k), Some(ThingKind::Special(_))));
    assert!(matches!(ThingKind::from(Thing::default()), ThingKind::Thing(_)));
}

/// Rule: a string enum parses every spelling exactly, then ignoring ASCII case, and
/// keeps anything else; it writes the wire name (or the kept text).
#[test]
fn string_enum_parses_spellings_and_never_fails() {
    let parse = |s: &str| serde_json::from_value::<Shade>(json!(s)).unwrap();
    assert_eq!(parse("darkRed"), Shade::DarkRed);
    assert_eq!(parse("dark_red"), Shade::DarkRed);
    assert_eq!(parse("DARKRED"), Shade::DarkRed);
    assert_eq!(parse("Light"), Shade::Light);
    assert_eq!(parse("purple"), Shade::Unrecognized("purple".into()));
    assert_eq!(serde_json::to_value(Shade::DarkRed).unwrap(), json!("darkRed"));
    assert_eq!(serde_json::to_value(Shade::Unrecognized("purple".into())).unwrap(), json!("purple"));
    assert_eq!(Shade::MEMBERS, ["light", "darkRed"]);
    assert_eq!(Shade::DarkRed.to_string(), "darkRed");
    assert_eq!("LIGHT".parse::<Shade>().unwrap(), Shade::Light);
}

/// Rule: with `as CONSTANT` on every entry, each field has a `Field` constant
/// holding its wire name, gated field or not.
#[test]
fn field_constants_hold_wire_names() {
    assert_eq!(Thing::CALLBACK_URI.as_str(), "callbackUri");
    assert_eq!(Thing::TYPE.as_str(), "type");
    assert_eq!(Thing::GATED_OUT.as_str(), "gatedOut");
}

/// Rule: `reserialize` reads a value as the model a full wire name names and
/// writes it back; an unknown name is `None`.
#[test]
fn reserialize_names_models_by_wire_name() {
    let back = models::reserialize("#Microsoft.Graph.Thing", json!({"callbackURI": "u", "y": 1})).unwrap().unwrap();
    assert_eq!(back, json!({"callbackUri": "u", "y": 1}));
    assert!(models::reserialize("microsoft.graph.never", json!({})).is_none());
}
