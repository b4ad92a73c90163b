//! Emission of small lowered models: which files, and what they print.

use std::sync::Arc;

use super::*;
use crate::lower::lower;

fn span() -> Span {
    Span::detached(&Arc::from("resources/t.md"), 0)
}

fn model() -> Api {
    // Types by full name, resolved by `Api::new`.
    let prop = |wire: &str, ty: TypeRef<String>| Property { wire: wire.into(), aliases: vec![], ty, doc: None, span: span(), source: Source::ResourceTable, navigation: false, deprecated: None };
    let ty = |name: &str, kind: TypeKind<String>, area: Option<&str>| TypeDef {
        full_name: format!("microsoft.graph.{name}"),
        namespace: "microsoft.graph".into(),
        name: name.into(),
        doc: Some(format!("A {name}.")),
        span: span(),
        kind,
        area: area.map(str::to_string),
        deprecated: None,
    };
    let types = vec![
        ty(
            "node",
            TypeKind::Struct { properties: vec![prop("next", TypeRef::Named("microsoft.graph.node".into())), prop("type", TypeRef::Prim(Prim::String))], base: None, open: false, is_abstract: false, key: None },
            None,
        ),
        ty("leaf", TypeKind::Struct { properties: vec![], base: Some("microsoft.graph.node".into()), open: false, is_abstract: false, key: None }, Some("outlook")),
        ty(
            "color",
            TypeKind::Enum { members: vec![EnumMember { wire: "darkRed".into(), aliases: vec![], value: None, doc: None, span: span(), evolvable: false }], flags: false },
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
    // Every property is absent, null or a value (the runtime's `Nullable`), and only
    // absent is skipped when serializing.
    assert!(common.contains("pub next: ::msgraph_runtime::Nullable<::std::boxed::Box<NodeKind>>"), "{common}");
    assert!(common.contains("pub r#type: ::msgraph_runtime::Nullable<::std::string::String>"), "{common}");
    assert!(common.contains("skip_serializing_if = \"::msgraph_runtime::Nullable::is_absent\""), "{common}");
    assert!(!common.contains("skip_serializing_if = \"::std::option::Option::is_none\")]\n    pub next"), "{common}");
    // `.into()` fills a boxed polymorphic field from a variant.
    assert!(common.contains("impl ::std::convert::From<Node>\nfor ::msgraph_runtime::Nullable<::std::boxed::Box<NodeKind>>"), "{common}");
    assert!(common.contains("pub enum NodeKind"), "{common}");
    // The holder's variant for a type of another area exists only with that area.
    assert!(common.contains("#[cfg(feature = \"outlook\")]\n    Leaf(Leaf)"), "{common}");
    assert!(common.contains("pub enum Color") && common.contains("DarkRed") && common.contains("Unrecognized(::std::string::String)"), "{common}");
    let outlook = &files["models/graph/outlook.rs"];
    assert!(outlook.contains("#[cfg(feature = \"outlook\")]") && outlook.contains("pub struct Leaf"), "{outlook}");
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
    for s in ["plain", "", "a \"quoted\" \\ path", "tab\there\r\n", "nul\0 then \x007", "it's", "it's\ttabbed", "zero\u{200b}width", "e\u{301}", "bidi\u{202e}", "del\u{7f}", "crab 🦀", "{braces}"] {
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
