//! Emission of small lowered models: which files, and what they print.

use std::sync::Arc;

use super::*;
use crate::lower::lower;

fn span() -> Span {
    Span::detached(&Arc::from("resources/t.md"), 0)
}

fn model() -> Api {
    // Types by full name, resolved by `Api::new`.
    let prop = |wire: &str, ty: TypeRef<String>| Property {
        wire: wire.into(),
        aliases: vec![],
        ty,
        doc: None,
        span: span(),
        source: Source::ResourceTable,
        navigation: false,
        deprecated: None,
    };
    let ty = |name: &str, kind: TypeKind<String>, area: Option<&str>| TypeDef {
        full_name: format!("microsoft.graph.{name}"),
        namespace: "microsoft.graph".into(),
        name: name.into(),
        doc: Some(format!("A {name}.")),
        span: span(),
        kind,
        area: area.map(str::to_string),
        deprecated: None,
        defined: true,
    };
    let types = vec![
        ty(
            "node",
            TypeKind::Struct {
                properties: vec![prop("next", TypeRef::Named("microsoft.graph.node".into())), prop("type", TypeRef::Prim(Prim::String))],
                base: None,
                open: false,
                is_abstract: false,
                key: None,
            },
            None,
        ),
        ty(
            "leaf",
            TypeKind::Struct { properties: vec![], base: Some("microsoft.graph.node".into()), open: false, is_abstract: false, key: None },
            Some("outlook"),
        ),
        ty(
            "color",
            TypeKind::Enum {
                members: vec![EnumMember { wire: "darkRed".into(), aliases: vec![], value: None, doc: None, span: span(), evolvable: false }],
                flags: false,
            },
            None,
        ),
    ];
    Api::new(types, vec![], |n, _| panic!("{n} is no type of the model"))
}

fn run(format: bool) -> BTreeMap<String, String> {
    let api = model();
    let mut diags = Vec::new();
    let low = lower(&api, &mut diags);
    let files = emit(&low, &Options::default().format(format), &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    files.unwrap_or_default()
}

#[test]
fn files_per_namespace_and_area() {
    let files = run(true);
    let paths: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(paths, ["mod.rs", "models/graph.rs", "models/graph/common.rs", "models/graph/outlook.rs", "models/mod.rs", "requests.rs"]);
    let graph = &files["models/graph.rs"];
    assert!(graph.contains("include!(\"graph/common.rs\")") && graph.contains("include!(\"graph/outlook.rs\")"), "{graph}");
}

#[test]
fn printing_follows_the_lowered_shape() {
    let files = run(true);
    let common = &files["models/graph/common.rs"];
    // The cycle's field is boxed and holds the polymorphic holder; `type` is a raw identifier.
    // Every property is absent, null or a value (the runtime's `Nullable`).
    assert!(common.contains("pub next: ::msgraph_runtime::Nullable<::std::boxed::Box<NodeKind>>"), "{common}");
    assert!(common.contains("pub r#type: ::msgraph_runtime::Nullable<::std::string::String>"), "{common}");
    assert!(common.contains("pub enum NodeKind"), "{common}");
    // The holder's variant for a type of another area exists only with that area.
    assert!(common.contains("#[cfg(feature = \"outlook\")]\n    Leaf(Leaf)"), "{common}");
    assert!(common.contains("pub enum Color") && common.contains("DarkRed") && common.contains("Unrecognized(::std::string::String)"), "{common}");
    let outlook = &files["models/graph/outlook.rs"];
    assert!(outlook.contains("pub struct Leaf"), "{outlook}");
}

/// Rule: a struct says only what is particular to it. Its fields carry their docs
/// and no serde attributes; `model!` gets the wire-name table, one line per field
/// (every spelling; `as CONSTANT` on the types some operation queries), and writes
/// `Serialize`, `Deserialize` and the constants.
#[test]
fn a_struct_is_its_fields_and_a_model_table() {
    let files = run(true);
    let common = &files["models/graph/common.rs"];
    assert!(!common.contains("#[serde"), "no serde attributes on models: {common}");
    assert!(!common.contains("impl ::msgraph_runtime::de::Fields"), "{common}");
    assert!(common.contains("#[derive(Debug, Clone, PartialEq, Default)]\npub struct Node {"), "{common}");
    assert!(
        common.contains(
            "::msgraph_runtime::model! {\n    Node {\n        next: \"next\",\n        r#type: \"type\",\n        ..additional_properties\n    }\n}\n"
        ),
        "{common}"
    );
    // The field keeps its docs: the description and the wire name with its type.
    assert!(common.contains("/// `type`: String.\n    pub r#type:"), "{common}");
}

/// Rule: a string enum is its documented members and `string_enum!` with each
/// member's wire spellings; the runtime writes `as_str`, `from_wire` and serde.
#[test]
fn a_string_enum_is_its_members_and_a_spelling_table() {
    let files = run(true);
    let common = &files["models/graph/common.rs"];
    assert!(common.contains("::msgraph_runtime::string_enum! {\n    Color {\n        DarkRed = \"darkRed\",\n    }\n}\n"), "{common}");
    assert!(!common.contains("fn from_wire"), "{common}");
}

/// Rule: a polymorphic holder is its variants and `polymorphic!` with the
/// `@odata.type` of each derived type (gated as its variant is); the runtime
/// writes `Default`, the `From`s, serde and the dispatch.
#[test]
fn a_polymorphic_holder_is_its_variants_and_a_tag_table() {
    let files = run(true);
    let common = &files["models/graph/common.rs"];
    assert!(
        common.contains("::msgraph_runtime::polymorphic! {\n    NodeKind {\n        Node(Node),\n        #[cfg(feature = \"outlook\")]\n        \"microsoft.graph.leaf\" => Leaf(Leaf),\n    }\n}\n"),
        "{common}"
    );
    assert!(!common.contains("impl ::std::convert::From"), "{common}");
    let root = &files["models/mod.rs"];
    assert!(root.contains("::msgraph_runtime::reserialize! {\n    \"microsoft.graph.color\" => graph::Color,\n"), "{root}");
    assert!(root.contains("    #[cfg(feature = \"outlook\")]\n    \"microsoft.graph.leaf\" => graph::Leaf,\n"), "{root}");
}

/// Rule: an area file is gated once, on its `include!`, by the features all its
/// items need; its items carry a `#[cfg]` only for more (a field or variant of
/// another area).
#[test]
fn an_area_file_is_gated_once() {
    for format in [true, false] {
        let files = run(format);
        let graph = &files["models/graph.rs"];
        assert!(graph.contains("#[cfg(feature = \"outlook\")]\ninclude!(\"graph/outlook.rs\");"), "{graph}");
        assert!(!graph.contains("#[cfg(feature = \"outlook\")]\ninclude!(\"graph/common.rs\")"), "{graph}");
        let outlook = &files["models/graph/outlook.rs"];
        assert!(!outlook.contains("#[cfg"), "{outlook}");
    }
}

/// The items of a file: structs and enums by name, other items by kind.
fn items(text: &str) -> Vec<String> {
    let Ok(file) = syn::parse_file(text) else { return vec!["(does not parse)".into()] };
    file.items
        .iter()
        .map(|i| match i {
            syn::Item::Struct(s) => format!("struct {}", s.ident),
            syn::Item::Enum(e) => format!("enum {}", e.ident),
            syn::Item::Impl(_) => "impl".into(),
            syn::Item::Macro(m) => format!("{}!", m.mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default()),
            syn::Item::Mod(m) => format!("mod {}", m.ident),
            syn::Item::Fn(f) => format!("fn {}", f.sig.ident),
            _ => "other".into(),
        })
        .collect()
}

#[test]
fn unformatted_output_is_the_same_items() {
    let (formatted, plain) = (run(true), run(false));
    assert_eq!(formatted.keys().collect::<Vec<_>>(), plain.keys().collect::<Vec<_>>());
    for (path, text) in &plain {
        assert_eq!(items(text), items(&formatted[path]), "{path}");
    }
    assert!(items(&plain["models/graph/common.rs"]).contains(&"struct Node".to_string()));
}

/// Formatted output is byte for byte what it was with token streams only if every
/// string literal is spelled as `proc_macro2` spells it (prettyplease prints
/// literals as spelled).
#[test]
fn string_literals_are_spelled_as_proc_macro2_spells_them() {
    for s in [
        "plain",
        "",
        "a \"quoted\" \\ path",
        "tab\there\r\n",
        "nul\0 then \x007",
        "it's",
        "it's\ttabbed",
        "zero\u{200b}width",
        "e\u{301}",
        "bidi\u{202e}",
        "del\u{7f}",
        "crab 🦀",
        "{braces}",
    ] {
        assert_eq!(text::Str(s).to_string(), proc_macro2::Literal::string(s).to_string(), "{s:?}");
    }
}

/// Doc lines: a leading space, trailing white space and text-direction controls
/// dropped, `[`, `]`, `<`, `>` escaped for rustdoc, empty lines empty.
#[test]
fn doc_attributes_escape_for_rustdoc() {
    let docs = text::Docs("A [link] to <b>\u{202e}\n\n  indented \"q\"  \nlast").to_string();
    let attrs = syn::parse_str::<syn::ItemStruct>(&format!("{docs}struct S;")).expect("doc attributes parse").attrs;
    let values: Vec<String> = attrs
        .iter()
        .map(|a| match &a.meta {
            syn::Meta::NameValue(syn::MetaNameValue { value: syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }), .. }) => s.value(),
            _ => panic!("not a doc string: {docs}"),
        })
        .collect();
    assert_eq!(values, [" A \\[link\\] to \\<b\\>", "", "   indented \"q\"", " last"]);
    assert_eq!(text::Docs("").to_string(), "");
}

/// A code fence in the docs' text never becomes a doctest: a bare fence (or a
/// `rust` one) opens as `text`, a fence with another language is kept, and one
/// left open is closed.
#[test]
fn code_fences_in_docs_are_never_doctests() {
    let lines = |s: &str| text::Docs(s).to_string().lines().map(|l| l.trim_start_matches("#[doc = \"").trim_end_matches("\"]").to_string()).collect::<Vec<_>>();
    assert_eq!(lines("For example:\n```\nsize gt 2\n```\nDone."), [" For example:", " ```text", " size gt 2", " ```", " Done."]);
    assert_eq!(lines("```json\n{}\n```"), [" ```json", " {}", " ```"]);
    assert_eq!(lines("```rust\nlet x = 1;\n```"), [" ```text", " let x = 1;", " ```"]);
    assert_eq!(lines("Open:\n```\nsize gt 2"), [" Open:", " ```text", " size gt 2", " ```"]);
    assert_eq!(lines("~~~~\nx\n~~~~"), [" ~~~~text", " x", " ~~~~"]);
}
