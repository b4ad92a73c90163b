//! The report on a small docs tree and metadata written for it: every figure and
//! how each finding is classified.

use msgraph_fidelity::{check_floors, measure, Metric, Schema};
use msgraph_gen::SourceFile;

const CSDL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Alias="graph" Namespace="microsoft.graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EnumType Name="responseType"><Member Name="accepted" Value="0"/><Member Name="declined" Value="1"/><Member Name="none" Value="2"/></EnumType>
  <EnumType Name="colorKind"><Member Name="red" Value="0"/><Member Name="blue" Value="1"/></EnumType>
  <ComplexType Name="widget">
    <Property Name="id" Type="Edm.String"/>
    <Property Name="size" Type="Edm.Int64"/>
    <Property Name="weight" Type="Edm.Double"/>
    <Property Name="response" Type="graph.responseType"/>
    <Property Name="color" Type="graph.colorKind"/>
    <Property Name="mode" Type="Edm.String"/>
    <Property Name="hidden" Type="Edm.String"/>
    <Property Name="mentioned" Type="Edm.String"/>
  </ComplexType>
  <ComplexType Name="gadget"><Property Name="id" Type="Edm.String"/></ComplexType>
</Schema></edmx:DataServices></edmx:Edmx>"#;

const WIDGET: &str = "---
title: \"widget resource type\"
doc_type: resourcePageType
---

# widget resource type

Namespace: microsoft.graph

A widget. Its `hidden` property is described in prose only.

## Properties

| Property | Type | Description |
|:---|:---|:---|
| id | String | The identifier. |
| size | Int32 | The size. |
| weight | Int64 | The weight, a Double in the service. |
| response | String | Possible values are: accepted, declined, maybe. |
| color | [colorKind](enums.md) | The colour. |
| mode | String | Possible values are: on, off. |
| extra | String | Not in the metadata. |


## More properties

| Property | Type | Description |
|:---|:---|:---|
| mentioned | String | A table the generator does not read. |
";

const ENUMS: &str = "---
title: \"Enums\"
doc_type: enumPageType
---

# Enums

Namespace: microsoft.graph

## colorKind values

| Member |
|:---|
| red |
";

fn files() -> Vec<SourceFile> {
    [("resources/widget.md", WIDGET), ("resources/enums.md", ENUMS)]
        .into_iter()
        .map(|(p, t)| SourceFile { path: p.into(), bytes: t.as_bytes().to_vec() })
        .collect()
}

fn finding(r: &msgraph_fidelity::Report, metric: Metric, what: &str) -> (bool, &'static str) {
    let f = r
        .findings
        .iter()
        .find(|f| f.metric == metric && f.what.starts_with(what))
        .unwrap_or_else(|| panic!("no {metric:?} finding for {what}: {:#?}", r.findings));
    (f.disagreement, f.cause)
}

#[test]
fn figures_and_causes() {
    let schema = Schema::parse(CSDL).unwrap();
    let r = measure(&files(), &schema);
    let c = |m| {
        let c = r.count(m);
        (c.hits, c.misses, c.disagreements)
    };
    // widget has a page; gadget has none and is out of scope.
    assert_eq!(c(Metric::TypesFound), (1, 0, 0));
    // 6 of 8 found; `mentioned` is declared in a table that is not the Properties
    // section's (a miss); `hidden` is only in prose (a disagreement).
    assert_eq!(c(Metric::PropertyRecall), (6, 1, 1));
    assert_eq!(finding(&r, Metric::PropertyRecall, "widget.mentioned"), (false, "declared on the type's page, not in the model"));
    assert!(finding(&r, Metric::PropertyRecall, "widget.hidden").0);
    // `extra`: the table lists it, the metadata does not.
    assert_eq!(c(Metric::PropertyPrecision), (6, 0, 1));
    assert!(finding(&r, Metric::PropertyPrecision, "widget.extra").0);
    // size: the row says Int32 (a disagreement); weight: the row names Double in its
    // description only, so its type cell disagrees too; mode: a value-list enum where
    // the metadata has a string (a disagreement); response: a value-list enum for an enum.
    assert_eq!(c(Metric::StrictTypeAccuracy), (3, 0, 3));
    assert_eq!(finding(&r, Metric::StrictTypeAccuracy, "widget.size"), (true, "the docs' table gives another type"));
    assert_eq!(finding(&r, Metric::StrictTypeAccuracy, "widget.mode"), (true, "the docs list the values of a string, the metadata has no enum"));
    // responseType through the property's own enum, colorKind by name.
    assert_eq!(c(Metric::EnumsFound), (2, 0, 0));
    // responseType: none is not in the docs; colorKind: blue is not either.
    assert_eq!(c(Metric::MemberRecall), (3, 0, 2));
    // maybe: the docs list it, the metadata does not.
    assert_eq!(c(Metric::MemberPrecision), (3, 0, 1));
    assert_eq!(finding(&r, Metric::MemberPrecision, "responseType.maybe").1, "the docs list the member, the metadata does not");
    assert!(r.count(Metric::PropertyRecall).raw() < r.count(Metric::PropertyRecall).net());

    let table = r.table();
    assert!(table.contains("| property recall | 6 | 1 | 1 | 85.7 | 75.0 |"), "{table}");
    assert!(check_floors(&r, "property-recall 85.7\nproperty-recall-raw 75\n# a comment\n").unwrap().is_empty());
    assert_eq!(check_floors(&r, "property-recall 90").unwrap().len(), 1);
    assert_eq!(check_floors(&r, "types-found-raw 100.1").unwrap().len(), 1);
    assert!(check_floors(&r, "recall 90").is_err());
    assert!(check_floors(&r, "property-recall high").is_err());
}
