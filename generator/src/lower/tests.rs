//! Lowering of small hand-made models.

use std::sync::Arc;

use super::*;
use crate::diag::{Code, Span};

// The models are written with types by full name, resolved by `Api::new`.
type TypeRef = crate::model::TypeRef<String>;
type Property = crate::model::Property<String>;
type TypeDef = crate::model::TypeDef<String>;
type Operation = crate::model::Operation<String>;

fn span(line: u32) -> Span {
    Span::detached(&Arc::from("t.md"), line)
}

fn prop(wire: &str, ty: TypeRef, navigation: bool) -> Property {
    Property { wire: wire.into(), aliases: Vec::new(), ty, doc: None, span: span(2), source: Source::ResourceTable, navigation, deprecated: None }
}

fn named(n: &str) -> TypeRef {
    TypeRef::Named(format!("microsoft.graph.{n}"))
}

fn strukt(ns: &str, name: &str, base: Option<&str>, properties: Vec<Property>, area: Option<&str>) -> TypeDef {
    TypeDef {
        full_name: format!("{ns}.{name}"),
        namespace: ns.into(),
        name: name.into(),
        doc: None,
        span: span(1),
        kind: TypeKind::Struct { properties, base: base.map(|b| format!("microsoft.graph.{b}")), open: false, is_abstract: false, key: None },
        area: area.map(str::to_string),
        deprecated: None,
        defined: true,
    }
}

fn api(types: Vec<TypeDef>, operations: Vec<Operation>) -> Api {
    Api::new(types, operations, |n, _| panic!("{n} is no type of the model"))
}

fn fields<'a>(low: &'a Lowered, name: &str) -> Vec<(&'a str, bool)> {
    low.api.id(name).and_then(|id| low.ty(id)).map(|t| t.fields.iter().map(|f| (f.name.as_str(), f.boxed)).collect()).unwrap_or_default()
}

#[test]
fn single_values_of_struct_types_are_boxed_and_the_rest_is_not() {
    let m = api(
        vec![
            strukt(
                "microsoft.graph",
                "node",
                None,
                vec![
                    prop("next", named("node"), false),
                    prop("children", TypeRef::Collection(Box::new(named("node"))), false),
                    prop("leaf", named("leaf"), false),
                    prop("name", TypeRef::Prim(Prim::String), false),
                    prop("color", named("color"), false),
                ],
                None,
            ),
            strukt("microsoft.graph", "leaf", None, vec![prop("parent", named("holder"), true)], None),
            strukt("microsoft.graph", "holder", None, vec![], None),
            TypeDef {
                full_name: "microsoft.graph.color".into(),
                namespace: "microsoft.graph".into(),
                name: "color".into(),
                doc: None,
                span: span(1),
                kind: TypeKind::Enum { members: vec![], flags: false },
                area: None,
                deprecated: None,
                defined: true,
            },
        ],
        vec![],
    );
    let low = lower(&m, &mut Vec::new());
    // A struct value (a cycle or not) is boxed; a collection (a Vec is a pointer
    // already), a primitive and an enum are not.
    assert_eq!(fields(&low, "microsoft.graph.node"), vec![("next", true), ("children", false), ("leaf", true), ("name", false), ("color", false)]);
    assert_eq!(fields(&low, "microsoft.graph.leaf"), vec![("parent", true)]);
}

#[test]
fn a_type_with_derived_types_gets_a_holder_whose_variants_do_not_collide() {
    let m = api(
        vec![
            strukt("microsoft.graph", "shape", None, vec![prop("id", TypeRef::Prim(Prim::String), false)], None),
            strukt("microsoft.graph", "circle", Some("shape"), vec![], None),
            strukt("microsoft.graph", "square", Some("shape"), vec![], None),
            // Another namespace's `circle` derives from the same base: a second `Circle`.
            strukt("microsoft.graph.other", "circle", Some("shape"), vec![], None),
        ],
        vec![],
    );
    let low = lower(&m, &mut Vec::new());
    let shape = low.api.id("microsoft.graph.shape").and_then(|id| low.ty(id)).expect("lowered");
    let derived: Vec<&str> = shape.derived.iter().filter_map(|&d| low.ty(d)).map(|t| t.def.full_name.as_str()).collect();
    assert_eq!(derived, ["microsoft.graph.circle", "microsoft.graph.other.circle", "microsoft.graph.square"]);
    assert_eq!(shape.kind_variants, ["Shape", "Circle", "Circle2", "Square"]);
    assert!(low.api.id("microsoft.graph.circle").and_then(|id| low.ty(id)).is_some_and(|t| t.derived.is_empty()));
    assert_eq!(low.api.id("microsoft.graph.other.circle").and_then(|id| low.ty(id)).map(|t| t.module.as_str()), Some("other"));
}

#[test]
fn spellings_that_map_to_one_rust_name_get_suffixes_and_a_warning() {
    let m = api(
        vec![strukt(
            "microsoft.graph",
            "widget",
            None,
            vec![prop("fooBar", TypeRef::Prim(Prim::String), false), prop("foo_bar", TypeRef::Prim(Prim::String), false)],
            None,
        )],
        vec![],
    );
    let mut diags = Vec::new();
    let low = lower(&m, &mut diags);
    assert_eq!(fields(&low, "microsoft.graph.widget"), vec![("foo_bar", false), ("foo_bar_2", false)]);
    assert_eq!(diags.iter().filter(|d| d.code == Code::NameCollision).count(), 1, "{diags:?}");
}

/// The module and Rust name of the type `full`.
fn rust_name<'a>(low: &'a Lowered, full: &str) -> Option<(&'a str, &'a str)> {
    low.api.id(full).and_then(|id| low.ty(id)).map(|t| (t.module.as_str(), t.ident.as_str()))
}

#[test]
fn a_stray_namespace_spelling_does_not_name_the_module() {
    // `Microsoft.Graph` sorts first but only an example shows types in it.
    let mut stray = strukt("Microsoft.Graph", "newThing", None, vec![], None);
    stray.defined = false;
    let mut stray2 = strukt("Microsoft.Graph", "otherThing", None, vec![], None);
    stray2.defined = false;
    let m = api(vec![stray, stray2, strukt("microsoft.graph", "call", None, vec![], None)], vec![]);
    let low = lower(&m, &mut Vec::new());
    assert_eq!(rust_name(&low, "microsoft.graph.call"), Some(("graph", "Call")));
    assert_eq!(rust_name(&low, "Microsoft.Graph.newThing"), Some(("graph", "NewThing")));
}

#[test]
fn a_defined_naturally_spelled_type_keeps_its_name_against_a_colliding_one() {
    // `chat-info` and `Chat_info` sort before `chatInfo`; `chatinfo2` is only shown.
    let mut shown = strukt("microsoft.graph", "ChatInfo_", None, vec![], None);
    shown.defined = false;
    let m = api(
        vec![
            strukt("microsoft.graph", "chat-info", None, vec![], None),
            strukt("microsoft.graph", "Chat_info", None, vec![], None),
            strukt("microsoft.graph", "chatInfo", None, vec![], None),
            shown,
        ],
        vec![],
    );
    let mut diags = Vec::new();
    let low = lower(&m, &mut diags);
    assert_eq!(rust_name(&low, "microsoft.graph.chatInfo"), Some(("graph", "ChatInfo")));
    assert_eq!(rust_name(&low, "microsoft.graph.Chat_info"), Some(("graph", "ChatInfo2")));
    assert_eq!(rust_name(&low, "microsoft.graph.chat-info"), Some(("graph", "ChatInfo3")));
    assert_eq!(rust_name(&low, "microsoft.graph.ChatInfo_"), Some(("graph", "ChatInfo4")));
    assert_eq!(diags.iter().filter(|d| d.code == Code::NameCollision).count(), 3, "{diags:?}");
}

#[test]
fn features_come_from_areas_and_what_operations_use() {
    let op = Operation {
        id: "get-widget".into(),
        title: "Get widget".into(),
        doc: None,
        method: "GET".into(),
        path: vec![PathSegment::Literal("widget".into())],
        query_options: vec![],
        headers: vec![],
        body: None,
        body_media: None,
        success_status: 200,
        response: ResponseBody::Single(named("widget")),
        location_header: false,
        span: span(3),
        area: Some("outlook".into()),
        examples: vec![],
        examples_fit: true,
        line_query: None,
        deprecated: None,
    };
    let m = api(vec![strukt("microsoft.graph", "widget", None, vec![], Some("cloud-communications"))], vec![op]);
    let low = lower(&m, &mut Vec::new());
    let want: BTreeMap<String, BTreeSet<String>> =
        [("cloud-communications".to_string(), BTreeSet::new()), ("outlook".to_string(), BTreeSet::from(["cloud-communications".to_string()]))].into();
    assert_eq!(low.features, want);
    assert_eq!(low.ops[0].feature.as_deref(), Some("outlook"));
}
