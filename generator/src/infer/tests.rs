//! Inference on small page sets, parsed by the parse stage.

use std::sync::Arc;

use super::*;
use crate::parse::parse_page;

/// A resource page: `props` are table rows (`name | type`), `base` a type it inherits from.
fn resource(name: &str, base: Option<&str>, props: &[(&str, &str)]) -> String {
    let mut s = format!("---\ntitle: \"{name} resource type\"\ndoc_type: resourcePageType\n---\n\n# {name} resource type\n\nNamespace: microsoft.graph\n\n");
    if let Some(b) = base {
        s.push_str(&format!("Inherits from [{b}]({b}.md).\n\n"));
    }
    s.push_str("## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n");
    for (p, t) in props {
        s.push_str(&format!("| {p} | {t} | The {p}. |\n"));
    }
    s
}

fn run(pages: &[(&str, String)]) -> (Api, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut parsed: Vec<crate::parse::Page> =
        pages.iter().map(|(path, text)| parse_page(&crate::diag::SourceText::from_text(path, text), &mut diags)).collect();
    parsed.sort_by(|a, b| a.path.cmp(&b.path));
    let api = crate::pipeline::infer_pages(&parsed, &Corrections::default(), &mut diags);
    (api, diags)
}

/// The properties of `name`, inherited ones included, their types by full name.
fn props(api: &Api, name: &str) -> Vec<(String, TypeRef)> {
    api.id(name).map(|id| api.all_properties(id)).unwrap_or_default().into_iter().map(|p| (p.wire.clone(), api.named_ref(&p.ty))).collect()
}

/// The base of `name` by full name.
fn base_of<'a>(api: &'a Api, name: &str) -> Option<&'a str> {
    api.id(name).and_then(|id| api.base_of(id)).map(|b| api.name(b))
}

#[test]
fn tables_make_structs_with_their_bases_and_names_resolve_in_any_case() {
    let (api, diags) = run(&[
        ("resources/entity.md", resource("entity", None, &[("id", "String")])),
        ("resources/widget.md", resource("widget", Some("entity"), &[("size", "Int32"), ("owner", "[Gadget](gadget.md)")])),
        ("resources/gadget.md", resource("gadget", None, &[("parts", "[widget](widget.md) collection")])),
    ]);
    assert!(diags.iter().all(|d| d.severity != crate::diag::Severity::Error), "{diags:?}");
    assert_eq!(base_of(&api, "microsoft.graph.widget"), Some("microsoft.graph.entity"));
    let named = |n: &str| TypeRef::Named(n.to_string());
    assert_eq!(
        props(&api, "microsoft.graph.widget"),
        vec![("id".into(), TypeRef::Prim(Prim::String)), ("size".into(), TypeRef::Prim(Prim::Int32)), ("owner".into(), named("microsoft.graph.gadget"))],
        "inherited first; `Gadget` is the registered `gadget`"
    );
    assert_eq!(props(&api, "microsoft.graph.gadget"), vec![("parts".into(), TypeRef::Collection(Box::new(named("microsoft.graph.widget"))))]);
}

#[test]
fn a_cycle_of_bases_loses_the_edge_of_the_first_name_with_a_diagnostic() {
    let (api, diags) = run(&[
        ("resources/alpha.md", resource("alpha", Some("beta"), &[("a", "String")])),
        ("resources/beta.md", resource("beta", Some("alpha"), &[("b", "String")])),
    ]);
    let cycles: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == Code::InheritanceCycle).collect();
    assert_eq!(cycles.len(), 1, "{diags:?}");
    assert!(cycles[0].message.contains("microsoft.graph.alpha is read without its base"), "{}", cycles[0].message);
    assert_eq!(base_of(&api, "microsoft.graph.alpha"), None);
    assert_eq!(base_of(&api, "microsoft.graph.beta"), Some("microsoft.graph.alpha"));
    assert_eq!(props(&api, "microsoft.graph.beta").len(), 2);
}

#[test]
fn a_type_no_page_defines_is_raw_json_with_a_warning() {
    let (api, diags) = run(&[("resources/widget.md", resource("widget", None, &[("ghost", "[ghost](ghost.md)")]))]);
    assert_eq!(props(&api, "microsoft.graph.widget"), vec![("ghost".into(), TypeRef::json())]);
    assert!(diags.iter().any(|d| d.code == Code::UnresolvedType && d.message.contains("microsoft.graph.ghost")), "{diags:?}");
}

#[test]
fn the_name_table_finds_a_type_by_any_case_and_keeps_the_first_spelling() {
    let mut reg = Registry::default();
    let span = Span::detached(&Arc::from("t.md"), 0);
    let (first, _, existed) = reg.entry("microsoft.graph.fooBar", || Builder::new(Kind::Struct, &span, 0, None));
    assert!(!existed);
    let (again, _, existed) = reg.entry("Microsoft.Graph.FOOBAR", || Builder::new(Kind::Enum, &span, 0, None));
    assert!(existed);
    assert_eq!((first.as_str(), again.as_str()), ("microsoft.graph.fooBar", "microsoft.graph.fooBar"));
    assert_eq!(reg.canonical("MICROSOFT.GRAPH.foobar").map(String::as_str), Some("microsoft.graph.fooBar"));
    assert_eq!(reg.get("microsoft.graph.fooBar").map(|b| b.kind), Some(Kind::Struct));
    assert!(reg.canonical("microsoft.graph.other").is_none());
}
