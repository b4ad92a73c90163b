//! Null and absent in a generated crate (the `features` fixture, which has a property
//! of every primitive kind, enums, flags, objects, polymorphic objects and
//! collections). `generator/tests/standalone.rs` copies this file into the crate it
//! generates as `tests/nulls.rs` and runs it with `cargo test`.

use standalone_features::models::graph::{Circle, Color, Drawing, LineStyle, ShapeKind};
use standalone_features::requests;
use standalone_features::runtime::{serde_json, Nullable};

/// The body a PATCH of `drawing` sends, as text.
fn patch_body(drawing: &Drawing) -> String {
    let request = requests::drawings().by_id("d1").update(drawing);
    assert_eq!(request.method().as_str(), "PATCH");
    assert_eq!(request.path(), "/drawings/d1");
    String::from_utf8(request.body().expect("a PATCH has a body").to_vec()).unwrap()
}

/// Each property set to null alone: the body is exactly `{"<wire name>":null}`, and it
/// reads back as null.
macro_rules! null_alone {
    ($($field:ident => $wire:literal),* $(,)?) => {$({
        let drawing = Drawing { $field: Nullable::Null, ..Default::default() };
        let body = patch_body(&drawing);
        assert_eq!(body, concat!("{\"", $wire, "\":null}"), "{}", stringify!($field));
        let back: Drawing = serde_json::from_str(&body).unwrap();
        assert!(back.$field.is_null(), "{} reads back as null", stringify!($field));
        assert_eq!(back, drawing);
    })*};
}

#[test]
fn a_patch_sends_null_for_every_kind_of_property() {
    null_alone! {
        // Every primitive kind.
        id => "id",                    // String
        n3d_mode => "3dMode",          // Boolean
        revision => "revision",        // Int64
        width => "width",              // Int32
        layer => "layer",              // Int16
        tilt => "tilt",                // SByte
        opacity => "opacity",          // Byte
        scale => "scale",              // Single
        amount => "amount",            // Decimal
        owner_id => "ownerId",         // Guid
        due => "due",                  // Date
        reminder => "reminder",        // TimeOfDay
        budget => "budget",            // Duration
        thumbnail => "thumbnail",      // Binary
        extra => "extra",              // Json
        // An enum, a flags enum, an object, a polymorphic object, collections.
        color => "color",
        style => "style",
        access => "access",
        parent => "parent",
        main => "main",
        shapes => "shapes",
    }
    // Inherited properties and the primitives only derived types have.
    let circle = Circle { created_date_time: Nullable::Null, radius: Nullable::Null, tags: Nullable::Null, ..Default::default() };
    assert_eq!(serde_json::to_string(&circle).unwrap(), r#"{"createdDateTime":null,"tags":null,"radius":null}"#);
}

#[test]
fn absent_is_not_sent_and_values_are() {
    assert_eq!(patch_body(&Drawing::default()), "{}");
    // The common case: values with `.into()`, the rest absent.
    let drawing = Drawing { color: Color::Green.into(), revision: 7.into(), ..Default::default() };
    assert_eq!(patch_body(&drawing), r#"{"color":"green","revision":7}"#);
    // An empty collection is a value, not null and not absent.
    let drawing = Drawing { shapes: Vec::new().into(), ..Default::default() };
    assert_eq!(patch_body(&drawing), r#"{"shapes":[]}"#);
}

#[test]
fn the_documented_patch_example_is_sent_byte_for_byte() {
    // docs: api/drawing-update.md, the example request.
    let drawing = Drawing {
        color: Color::Green.into(),
        budget: Nullable::Null,
        main: Nullable::Null,
        shapes: Nullable::Null,
        ..Default::default()
    };
    assert_eq!(patch_body(&drawing), r#"{"main":null,"color":"green","budget":null,"shapes":null}"#);
}

#[test]
fn three_states_read_from_the_wire_and_write_back_the_same() {
    let text = r##"{"id":"d1","main":null,"color":null,"style":"dashed","shapes":[{"@odata.type":"#microsoft.graph.circle","radius":null,"tags":[]}],"extra":null}"##;
    let drawing: Drawing = serde_json::from_str(text).unwrap();
    assert_eq!(drawing.id.as_deref(), Some("d1"));
    assert!(drawing.main.is_null() && drawing.color.is_null() && drawing.extra.is_null());
    assert!(drawing.parent.is_absent() && drawing.budget.is_absent());
    assert_eq!(drawing.style, Nullable::Value(LineStyle::Dashed));
    let Some(ShapeKind::Circle(circle)) = drawing.shapes.as_ref().and_then(|s| s.first()) else { panic!("{:?}", drawing.shapes) };
    assert!(circle.radius.is_null() && circle.name.is_absent());
    assert_eq!(circle.tags.as_ref().map(Vec::len), Some(0));
    let back: serde_json::Value = serde_json::to_value(&drawing).unwrap();
    assert_eq!(back, serde_json::from_str::<serde_json::Value>(text).unwrap());
}
