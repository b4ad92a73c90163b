//! A catalogue of bad inputs: one small docs directory per case under
//! tests/fixtures/bad/<case>/, and the exact diagnostic (code, file, line and
//! column) each must produce. It must never panic, overflow the stack or hang, and
//! only what makes output impossible (a malformed corrections.json, an error-severity
//! code) may stop generation: every other case generates. The crates generated from
//! the cases are compiled together, as modules of one crate, with warnings denied,
//! and the recovery cases' data is round-tripped through them ([`DATA`]).
//!
//! Three cases are completed at run time in a temporary copy: `huge-table` and
//! `huge-example` (a property row, and an example line, repeated 20,000 times) and
//! `symlink-loop` (git does not keep symbolic link loops well). How long the huge
//! inputs take is a benchmark's business, not a test's (`cargo bench -p msgraph-gen
//! --bench corpus -- huge`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use msgraph_gen::model::{Api, Property};
use msgraph_gen::{generate_sources, read_docs, Code, Diagnostic, Error, Generated, Severity};

/// The properties of the type named `name`, inherited ones included (none if the
/// model has no such type).
fn all_props<'a>(api: &'a Api, name: &str) -> Vec<&'a Property> {
    api.id(name).map(|id| api.all_properties(id)).unwrap_or_default()
}

/// How a case directory is prepared before generation.
#[derive(Clone, Copy)]
enum Setup {
    /// Used as committed.
    AsIs,
    /// Copy, then repeat the `prop0` property row of resources/widget.md 20,000 times.
    HugeTable,
    /// As `HugeTable`, and repeat the `prop0` line of api/widget-get.md's example
    /// 20,000 times too.
    HugeExample,
    /// Copy, then add directory symlinks that point back up the tree.
    SymlinkLoop,
}

struct Case {
    name: &'static str,
    setup: Setup,
    /// The first diagnostic with this code that the case must produce: (code, file, line, col).
    expect: (Code, &'static str, u32, u32),
    /// How many diagnostics with that code it produces (0: none, and then the
    /// position is not used).
    count: usize,
}

const fn case(name: &'static str, code: Code, file: &'static str, line: u32, col: u32) -> Case {
    Case { name, setup: Setup::AsIs, expect: (code, file, line, col), count: 1 }
}

const fn cases(name: &'static str, count: usize, code: Code, file: &'static str, line: u32, col: u32) -> Case {
    Case { name, setup: Setup::AsIs, expect: (code, file, line, col), count }
}

/// A case that must not produce `code` at all.
const fn without(name: &'static str, code: Code) -> Case {
    Case { name, setup: Setup::AsIs, expect: (code, "", 0, 0), count: 0 }
}

const CASES: &[Case] = &[
    // Files that are not pages.
    case("not-utf8", Code::NotUtf8, "resources/widget.md", 6, 6),
    case("empty-file", Code::PageSkipped, "resources/empty.md", 1, 1),
    case("binary-file", Code::NotUtf8, "resources/logo.md", 1, 1),
    // Markdown structure.
    case("unterminated-code-fence", Code::Unterminated, "api/widget-get.md", 28, 1),
    case("unterminated-comment", Code::Unterminated, "api/widget-get.md", 27, 1),
    case("annotation-trailing-comma", Code::AnnotationLenient, "api/widget-get.md", 27, 1),
    case("annotation-not-json", Code::AnnotationJson, "api/widget-get.md", 27, 1),
    case("annotation-dangling", Code::AnnotationDangling, "api/widget-get.md", 27, 1),
    case("http-block-no-request-line", Code::HttpBlock, "api/widget-get.md", 29, 1),
    case("http-block-empty", Code::HttpBlock, "api/widget-get.md", 28, 1),
    case("example-body-not-json", Code::JsonInvalid, "api/widget-create.md", 32, 1),
    case("example-body-trailing-commas", Code::JsonLenient, "api/widget-create.md", 32, 1),
    case("example-truncated-ellipsis", Code::JsonLenient, "api/widget-list.md", 39, 1),
    // serde_json's recursion limit (128) stops the 10,000 levels at the 127th `[`.
    case("deep-json", Code::JsonInvalid, "api/widget-create.md", 32, 134),
    // 10,000 nested block quotes around an annotation that annotates nothing.
    case("deep-markdown", Code::AnnotationDangling, "resources/quoted.md", 1, 10002),
    Case { name: "huge-table", setup: Setup::HugeTable, expect: (Code::TableRagged, "resources/widget.md", 20016, 1), count: 1 },
    // 20,000 example properties: the conflict after them is still found (it took 13 s
    // in a release build while example keys were located and matched quadratically).
    Case { name: "huge-example", setup: Setup::HugeExample, expect: (Code::TypeConflict, "api/widget-get.md", 20041, 3), count: 1 },
    case("ragged-table", Code::TableRagged, "resources/widget.md", 17, 1),
    case("front-matter-malformed", Code::FrontMatter, "resources/widget.md", 4, 1),
    case("front-matter-unclosed", Code::FrontMatter, "resources/widget.md", 1, 1),
    // API pages.
    case("path-mismatch", Code::PathMismatch, "api/widget-get.md", 16, 1),
    case("method-mismatch", Code::MethodMismatch, "api/widget-update.md", 29, 1),
    case("api-page-no-http-request", Code::NoHttpRequest, "api/widget-get.md", 1, 1),
    // Two pages documenting one request: one operation `widgets().by_id(..).get()`,
    // documented by the first page by path, the other named in the warning and rustdoc.
    case("operation-name-collision", Code::OperationCollision, "api/widget-get.md", 16, 1),
    // Types.
    case("type-conflict", Code::TypeConflict, "api/widget-get.md", 41, 3),
    case("enum-conflict", Code::EnumConflict, "resources/widget.md", 17, 11),
    case("placeholder-for-enum", Code::PlaceholderValue, "api/widget-get.md", 41, 3),
    // An example-only property of a type with a table: no field, the data is kept.
    case("unknown-property", Code::UnknownProperty, "api/widget-get.md", 42, 3),
    // A derived object shown where its base is declared adds nothing to the base.
    without("example-shape-derived", Code::UnknownProperty),
    // An open type gets no fields from examples, and that is no defect.
    without("open-type-example", Code::UnknownProperty),
    // Nor from the representation when no table declares its properties: those are samples.
    without("open-type-samples", Code::UnknownProperty),
    case("unresolved-type", Code::UnresolvedType, "resources/widget.md", 17, 3),
    case("unknown-base-type", Code::UnknownBaseType, "resources/widget.md", 10, 1),
    // Cycles lose the base link of their first member by name.
    case("inheritance-cycle", Code::InheritanceCycle, "resources/alpha.md", 10, 1),
    case("inheritance-self", Code::InheritanceCycle, "resources/gadget.md", 21, 1),
    // "Inherits from" prose: the base is the link after the phrase that names a type,
    // not the page's own type or an article linked before it.
    without("inheritance-prose-links", Code::UnknownBaseType),
    // `[x](x.md` and `[x](x.md|y)`: read as the type x.
    cases("link-malformed", 2, Code::LinkSyntax, "resources/widget.md", 17, 10),
    case("link-malformed-base", Code::LinkSyntax, "resources/gadget.md", 10, 1),
    case("duplicate-definition", Code::DuplicateDefinition, "resources/widget.md", 6, 1),
    // Spellings of one property are one field that accepts each of them.
    case("property-spelling-snake-camel", Code::PropertySpelling, "resources/widget.md", 18, 3),
    cases("property-spelling-punctuation", 3, Code::PropertySpelling, "api/widget-get.md", 40, 3),
    case("property-spelling-inherited", Code::PropertySpelling, "resources/eventmessage.md", 18, 3),
    case("enum-member-spelling", Code::EnumConflict, "resources/enums.md", 15, 3),
    // True collisions: the later name gets a suffix.
    case("property-name-collision", Code::NameCollision, "resources/widget.md", 17, 3),
    case("type-name-collision", Code::NameCollision, "resources/foo_bar.md", 6, 1),
    case("enum-member-collision", Code::NameCollision, "resources/enums.md", 15, 3),
    // Fidelity (issue 16): a property table in any spelling is the type's table, so its
    // representation adds no unknown properties; value lists and type placeholders
    // type their properties (see `tables_value_lists_and_placeholders_type_the_model`).
    without("property-table-decorated", Code::UnknownProperty),
    // The example spells a listed value as the service sends it: that spelling is
    // serialized, the description's is accepted.
    case("value-list-enum", Code::EnumValueCase, "api/widget-get.md", 41, 3),
    without("type-placeholders", Code::UntypedValue),
    case("resource-page-no-type", Code::PageSkipped, "resources/widget.md", 1, 1),
    case("untyped-value", Code::UntypedValue, "resources/widget.md", 17, 11),
    case("representation-invalid-json", Code::JsonInvalid, "resources/widget.md", 26, 3),
    // The docs directory.
    Case { name: "symlink-loop", setup: Setup::SymlinkLoop, expect: (Code::PageSkipped, "resources/widget.md", 1, 1), count: 1 },
    // Requests as the docs show them (issue 21; each also in REQUESTS below).
    // Spellings of one segment are one node, every spelling a method to it.
    case("segment-spelling", Code::SegmentSpelling, "api/widget-list-groups.md", 16, 1),
    // `/me` is `/users/{id}`: an operation documented under one is reached under both.
    without("me-alias", Code::OperationCollision),
    // A value (a GUID, a sample key, `<part-id>`) where a parameter belongs is one.
    cases("request-line-value", 3, Code::RequestLineValue, "api/widget-get.md", 16, 1),
    // A page whose only request line is its example's; `## HTTP Requests` is read.
    case("request-from-example", Code::RequestFromExample, "api/widget-history.md", 20, 1),
    // `/workbook/...`: a line that is the tail of its example's path is placed there.
    case("request-line-rooted", Code::RequestLineRooted, "api/sheet-get.md", 16, 1),
    // A collection by `isCollection`, the legacy `@type`, a `{"value": [...]}` body, "collection of".
    without("collection-signs", Code::BodyTypeUnknown),
    // Function arguments quoted as the example quotes them.
    without("function-quoting", Code::PathMismatch),
    // `widgets(serialNumber='..')`, an alternate key of the collection `widgets`.
    without("alternate-key", Code::PathMismatch),
    // Query options and headers documented anywhere on the page are setters.
    without("options-anywhere", Code::PathMismatch),
    // Bodies that are not JSON: the operation takes the Content-Type and the bytes.
    without("byte-body", Code::JsonInvalid),
    // A drive's `root` is its root item, `items/{id}`.
    without("drive-root", Code::PathMismatch),
    // A GET takes a body only where its example sends one.
    without("body-on-get", Code::BodyTypeUnknown),
    // Today's docs (issue 25; each also in `current_conventions_are_read` below).
    // An enum defined in a `### x values` section of the page that uses it.
    without("enum-in-page", Code::UnresolvedType),
    // The enums page: tables headed `Value` alone, `Member | Value | Description`,
    // `Member | Int value | Description`, negative values, prose before a table.
    without("enum-page", Code::UnresolvedType),
    // `ms.subservice` names the area (the Cargo feature) where `ms.prod` is missing.
    without("area-subservice", Code::PageSkipped),
    // Includes, alerts, tab headings, lint comments, permissions annotations.
    without("not-content", Code::AnnotationDangling),
    // `attendeeReport (deprecated)`, a deprecated type, a deprecated Methods row.
    without("deprecated", Code::UnresolvedType),
    // "A subclass of", "Derived from", "Base type of", `baseType`, and the examples.
    case("base-type-signs", Code::BaseFromExamples, "resources/thingamajig.md", 20, 1),
    // Members after `unknownFutureValue`.
    without("evolvable-enum", Code::UnresolvedType),
    // A fence "closed" by ```` ```json ```` swallowed the page's table.
    case("fence-misclosed", Code::FenceMisclosed, "resources/widget.md", 14, 1),
    // A description cell that opens a code fence: text in the rustdoc, never a doctest.
    case("description-code", Code::DescriptionCode, "resources/widget.md", 17, 19),
    // One concept, one type (issue 23; each also in `one_concept_one_type` below).
    // A value list on a derived type is the base's enum; one on a property named
    // like an enum with the same members is that enum.
    case("enum-shared", Code::EnumMerged, "resources/printjob.md", 19, 12),
    // An update's or a create's body made only of the resource's properties is the
    // resource; an action's body, or one with another property, is its own type,
    // named from the type's and the request line's own casing.
    case("body-is-resource", Code::BodyIsResource, "api/gadgetpart-update.md", 24, 3),
    case("corrections-malformed", Code::CorrectionsInvalid, "corrections.json", 4, 5),
    case("corrections-not-utf8", Code::CorrectionsInvalid, "corrections.json", 1, 1),
    case("correction-unused", Code::CorrectionUnused, "corrections.json", 4, 15),
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Prepare a case; the returned guard keeps a temporary copy alive.
fn prepare(case: &Case) -> (PathBuf, Option<tempfile::TempDir>) {
    let dir = fixtures().join(case.name);
    match case.setup {
        Setup::AsIs => (dir, None),
        Setup::HugeTable | Setup::HugeExample => {
            let tmp = tempfile::tempdir().unwrap();
            copy_dir(&dir, tmp.path());
            let repeat = |rel: &str, line: &str, make: &dyn Fn(usize) -> String| {
                let page = tmp.path().join(rel);
                let text = fs::read_to_string(&page).unwrap();
                assert!(text.contains(line), "{rel} has no line {line:?}");
                let lines: String = (0..20_000).map(make).collect();
                fs::write(&page, text.replacen(line, &lines, 1)).unwrap();
            };
            repeat("resources/widget.md", "| prop0 | String | Property number 0. |\n", &|i| format!("| prop{i} | String | Property number {i}. |\n"));
            if matches!(case.setup, Setup::HugeExample) {
                repeat("api/widget-get.md", "  \"prop0\": \"value 0\",\n", &|i| format!("  \"prop{i}\": \"value {i}\",\n"));
            }
            (tmp.path().to_path_buf(), Some(tmp))
        }
        Setup::SymlinkLoop => {
            let tmp = tempfile::tempdir().unwrap();
            copy_dir(&dir, tmp.path());
            std::os::unix::fs::symlink(".", tmp.path().join("loop")).unwrap();
            std::os::unix::fs::symlink("..", tmp.path().join("resources/up")).unwrap();
            std::os::unix::fs::symlink(tmp.path(), tmp.path().join("resources/root")).unwrap();
            (tmp.path().to_path_buf(), Some(tmp))
        }
    }
}

fn generate(dir: &Path) -> (Vec<Diagnostic>, Option<Generated>) {
    match generate_sources(read_docs(dir).expect("case dir readable")) {
        Ok(mut g) => (std::mem::take(&mut g.diagnostics), Some(g)),
        Err(Error::Failed { diagnostics }) => (diagnostics, None),
        Err(e) => panic!("{}: unexpected error {e}", dir.display()),
    }
}

fn listing(diags: &[Diagnostic]) -> String {
    diags.iter().map(|d| format!("    {}", d.to_string().replace('\n', "\n    "))).collect::<Vec<_>>().join("\n")
}

fn check(case: &Case) -> Result<Option<Generated>, String> {
    let (dir, _guard) = prepare(case);
    let (diags, generated) = generate(&dir);
    let (code, file, line, col) = case.expect;
    let with_code: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == code).collect();
    // Only an error (a malformed corrections.json) stops generation.
    if generated.is_none() != (code.severity() == Severity::Error) {
        return Err(format!("{}: generation {}, got:\n{}", case.name, if generated.is_some() { "succeeded" } else { "failed" }, listing(&diags)));
    }
    match with_code.as_slice() {
        [] if case.count == 0 => Ok(generated),
        [d, ..] if with_code.len() == case.count && &*d.span.file == file && (d.span.line(), d.span.col()) == (line, col) && d.severity == code.severity() => {
            Ok(generated)
        }
        _ if case.count == 0 => Err(format!("{}: expected no {code}, got:\n{}", case.name, listing(&diags))),
        _ => Err(format!("{}: expected {} {code} (the first at {file}:{line}:{col}), got:\n{}", case.name, case.count, listing(&diags))),
    }
}

#[test]
fn every_bad_input_gives_its_diagnostic() {
    let failures: Vec<String> = CASES.iter().filter_map(|c| check(c).err()).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

/// What the recovery cases' output must keep: (case, type, JSON in, JSON out after
/// a round trip through the model). Another spelling of a property or member comes
/// back in the field's spelling, which proves it was read into the field (a property
/// the model does not know comes back unchanged, from `additional_properties`).
const DATA: &[(&str, &str, &str, &str)] = &[
    ("property-spelling-snake-camel", "microsoft.graph.widget", r#"{"is_muted": true}"#, r#"{"isMuted": true}"#),
    (
        "property-spelling-punctuation",
        "microsoft.graph.widget",
        r#"{"_id": "w", "principalIds[]": ["p"], "rank ": 2}"#,
        r#"{"id": "w", "principalIds": ["p"], "rank": 2}"#,
    ),
    (
        "property-spelling-inherited",
        "microsoft.graph.eventMessage",
        r#"{"UnsubscribeData": ["u"], "meetingRequestType": "x"}"#,
        r#"{"unsubscribeData": ["u"], "meetingRequestType": "x"}"#,
    ),
    ("enum-member-spelling", "microsoft.graph.widget", r#"{"status": "on_line"}"#, r#"{"status": "onLine"}"#),
    ("enum-member-spelling", "microsoft.graph.widget", r#"{"status": "ON_LINE"}"#, r#"{"status": "onLine"}"#),
    (
        "property-name-collision",
        "microsoft.graph.widget",
        r##"{"@odata.type": "#microsoft.graph.widget", "odataType": "t"}"##,
        r##"{"@odata.type": "#microsoft.graph.widget", "odataType": "t"}"##,
    ),
    ("enum-member-collision", "microsoft.graph.widget", r#"{"status": "unrecognized"}"#, r#"{"status": "unrecognized"}"#),
    ("type-name-collision", "microsoft.graph.fooBar", r#"{"id": "a", "size": 1}"#, r#"{"id": "a", "size": 1}"#),
    ("type-name-collision", "microsoft.graph.foo_bar", r#"{"id": "b", "size": 2}"#, r#"{"id": "b", "size": 2}"#),
    ("inheritance-cycle", "microsoft.graph.alpha", r#"{"id": "a", "size": 1}"#, r#"{"id": "a", "size": 1}"#),
    ("inheritance-self", "microsoft.graph.gadget", r#"{"id": "g", "reading": 1.5}"#, r#"{"id": "g", "reading": 1.5}"#),
    (
        "inheritance-prose-links",
        "microsoft.graph.widget",
        r##"{"@odata.type": "#microsoft.graph.gadget", "id": "g", "reading": 2.5}"##,
        r##"{"@odata.type": "#microsoft.graph.gadget", "id": "g", "reading": 2.5}"##,
    ),
    ("link-malformed-base", "microsoft.graph.gadget", r#"{"id": "g", "reading": 0.5}"#, r#"{"id": "g", "reading": 0.5}"#),
    ("link-malformed", "microsoft.graph.widget", r#"{"part": {"name": "p"}, "spare": {"name": "s"}}"#, r#"{"part": {"name": "p"}, "spare": {"name": "s"}}"#),
    ("unknown-property", "microsoft.graph.widget", r#"{"id": "w1", "size": 3, "weight": 12}"#, r#"{"id": "w1", "size": 3, "weight": 12}"#),
    ("example-shape-derived", "microsoft.graph.thing", r#"{"id": "t1", "cogs": 12}"#, r#"{"id": "t1", "cogs": 12}"#),
    ("value-list-enum", "microsoft.graph.widget", r#"{"response": "declined"}"#, r#"{"response": "Declined"}"#),
    (
        "value-list-enum",
        "microsoft.graph.widget",
        r#"{"response": "accepted", "colors": ["red", "purple"], "direction": "sideways", "mode": "manual"}"#,
        r#"{"response": "accepted", "colors": ["red", "purple"], "direction": "sideways", "mode": "manual"}"#,
    ),
    (
        "type-placeholders",
        "microsoft.graph.widget",
        r#"{"window": "PT1H30M", "count": 3, "opens": "08:30:00", "born": "2020-05-18", "parts": [{"name": "p"}]}"#,
        r#"{"window": "PT1H30M", "count": 3, "opens": "08:30:00", "born": "2020-05-18", "parts": [{"name": "p"}]}"#,
    ),
    ("open-type-samples", "microsoft.graph.fieldSet", r#"{"Color": "Blue", "Quantity": 3}"#, r#"{"Color": "Blue", "Quantity": 3}"#),
    ("enum-in-page", "microsoft.graph.widget", r#"{"mode": "scheduled", "shade": "dark"}"#, r#"{"mode": "scheduled", "shade": "dark"}"#),
    (
        "enum-page",
        "microsoft.graph.widget",
        r#"{"size": "large", "signal": "none", "level": "high", "finish": "gloss"}"#,
        r#"{"size": "large", "signal": "none", "level": "high", "finish": "gloss"}"#,
    ),
    ("base-type-signs", "microsoft.graph.thingamajig", r#"{"id": "t", "displayName": "T", "hinges": 2}"#, r#"{"id": "t", "displayName": "T", "hinges": 2}"#),
    (
        "base-type-signs",
        "microsoft.graph.widget",
        r##"{"@odata.type": "#microsoft.graph.doohickey", "id": "d", "knobs": 3}"##,
        r##"{"@odata.type": "#microsoft.graph.doohickey", "id": "d", "knobs": 3}"##,
    ),
    (
        "deprecated",
        "microsoft.graph.widget",
        r#"{"id": "w", "legacyCode": "A-1", "finish": {"gloss": true}}"#,
        r#"{"id": "w", "legacyCode": "A-1", "finish": {"gloss": true}}"#,
    ),
    ("evolvable-enum", "microsoft.graph.widget", r#"{"stage": "archived"}"#, r#"{"stage": "archived"}"#),
    ("fence-misclosed", "microsoft.graph.widget", r#"{"id": "w", "size": 3}"#, r#"{"id": "w", "size": 3}"#),
    ("open-type-example", "microsoft.graph.extension", r#"{"id": "e1", "dealValue": 1010100}"#, r#"{"id": "e1", "dealValue": 1010100}"#),
];

/// What the request cases' crates must send: (case, the call written from the
/// case's example URL by the README's rule, "METHOD path?query", the body sent
/// (JSON, or the bytes' text), the headers sent beside Content-Type). The compiled
/// catalogue crate builds each with `to_http` and compares.
/// A request case: (case, the Rust call, `METHOD path?query` sent, body, headers).
type RequestCase = (&'static str, &'static str, &'static str, &'static str, &'static [(&'static str, &'static str)]);

const REQUESTS: &[RequestCase] = &[
    ("segment-spelling", "requests::users().by_id(\"u1\").widget_groups().list()", "GET /users/u1/widgetGroups", "", &[]),
    ("segment-spelling", "requests::users().by_id(\"u1\").widgetgroups().by_id(\"g1\").get()", "GET /users/u1/widgetGroups/g1", "", &[]),
    ("me-alias", "requests::me().widgets().list()", "GET /me/widgets", "", &[]),
    ("me-alias", "requests::users().by_id(\"adele@contoso.com\").widgets().list()", "GET /users/adele%40contoso.com/widgets", "", &[]),
    ("me-alias", "requests::me().widgets().by_id(\"w1\").get()", "GET /me/widgets/w1", "", &[]),
    ("request-line-value", "requests::widgets().by_id(\"w1\").get()", "GET /widgets/w1", "", &[]),
    ("request-line-value", "requests::widgets().by_id(\"w1\").parts().by_id(\"p1\").get()", "GET /widgets/w1/parts/p1", "", &[]),
    ("request-from-example", "requests::widgets().by_id(\"w2\").history().get()", "GET /widgets/w2/history", "", &[]),
    ("request-from-example", "requests::widgets().by_id(\"w1\").get()", "GET /widgets/w1", "", &[]),
    (
        "request-line-rooted",
        "requests::me().drive().items().by_id(\"i1\").workbook().sheets().by_id(\"s1\").get()",
        "GET /me/drive/items/i1/workbook/sheets/s1",
        "",
        &[],
    ),
    ("collection-signs", "requests::widgets().list()", "GET /widgets", "", &[]),
    ("collection-signs", "requests::widgets().by_id(\"w1\").parts().list()", "GET /widgets/w1/parts", "", &[]),
    ("collection-signs", "requests::widgets().by_id(\"w1\").spares().list()", "GET /widgets/w1/spares", "", &[]),
    ("function-quoting", "requests::reports().get_widget_usage(\"2020-01-01\")", "GET /reports/getWidgetUsage(date='2020-01-01')", "", &[]),
    ("alternate-key", "requests::widgets().by_serial_number(\"SN-1\").get()", "GET /widgets(serialNumber='SN-1')", "", &[]),
    ("alternate-key", "requests::widgets().by_id(\"w1\").get()", "GET /widgets/w1", "", &[]),
    (
        "options-anywhere",
        "requests::widgets().delta().select(&[Field::other(\"size\")]).start_date_time(\"2020-01-01\").prefer(\"outlook.timezone=\\\"UTC\\\"\")",
        "GET /widgets/delta()?$select=size&startDateTime=2020-01-01",
        "",
        &[("prefer", "outlook.timezone=\"UTC\"")],
    ),
    (
        "options-anywhere",
        "requests::widgets().by_id(\"w1\").update(&serde_json::from_str(r#\"{\"size\": null}\"#).unwrap()).if_match(\"W/\\\"7\\\"\")",
        "PATCH /widgets/w1",
        r#"{"size":null}"#,
        &[("if-match", "W/\"7\"")],
    ),
    (
        "byte-body",
        "requests::widgets().by_id(\"w1\").photo().value().replace(\"image/jpeg\", \"The bytes of the image\".as_bytes())",
        "PUT /widgets/w1/photo/$value",
        "The bytes of the image",
        &[],
    ),
    (
        "byte-body",
        "requests::widgets().by_id(\"w1\").notes().content().replace(\"text/plain\", b\"notes\".to_vec())",
        "PUT /widgets/w1/notes/content",
        "notes",
        &[],
    ),
    ("drive-root", "requests::drives().by_id(\"d1\").root().children().list()", "GET /drives/d1/root/children", "", &[]),
    ("drive-root", "requests::drives().by_id(\"d1\").items().by_id(\"i1\").get()", "GET /drives/d1/items/i1", "", &[]),
    (
        "body-on-get",
        "requests::widgets().by_id(\"w1\").span().get(&serde_json::from_str(r#\"{\"otherWidget\": \"w2\"}\"#).unwrap())",
        "GET /widgets/w1/span",
        r#"{"otherWidget":"w2"}"#,
        &[],
    ),
    ("body-on-get", "requests::widgets().by_id(\"w1\").peak().get()", "GET /widgets/w1/peak", "", &[]),
];

/// The model of a case that passes and generates.
fn model(name: &str) -> Generated {
    let case = CASES.iter().find(|c| c.name == name).expect("a case");
    check(case).expect("the case passes").expect("the case generates")
}

/// `(wire name, type as the docs say it)` of every property of `t`, inherited ones first.
fn types(g: &Generated, t: &str) -> Vec<(String, String)> {
    all_props(&g.api, t).iter().map(|p| (p.wire.clone(), g.api.describe(&p.ty))).collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

/// The fields of `type_` in a generated model (its own and inherited properties).
fn fields(g: &Generated, type_: &str) -> Vec<String> {
    all_props(&g.api, type_).iter().map(|p| p.wire.clone()).collect()
}

/// What the recovery cases' models must (not) hold, beyond the diagnostics.
#[test]
fn recovered_models_take_fields_from_authority() {
    let g = model("property-spelling-punctuation");
    assert_eq!(fields(&g, "microsoft.graph.widget"), ["id", "principalIds", "rank"]);
    let p = all_props(&g.api, "microsoft.graph.widget");
    assert_eq!(p.iter().map(|p| p.aliases.clone()).collect::<Vec<_>>(), [vec!["_id".to_string()], vec!["principalIds[]".into()], vec!["rank ".into()]]);
    let g = model("property-spelling-inherited");
    assert_eq!(fields(&g, "microsoft.graph.eventMessage"), ["id", "unsubscribeData", "meetingRequestType"]);
    // Example-only properties: no field on a type with a table, or on an open type.
    assert_eq!(fields(&model("unknown-property"), "microsoft.graph.widget"), ["id", "size"]);
    assert_eq!(fields(&model("open-type-example"), "microsoft.graph.extension"), ["id"]);
    assert!(fields(&model("open-type-samples"), "microsoft.graph.fieldSet").is_empty());
    // A gizmo shown where a thing is declared: its keys count for gizmo, not thing.
    let g = model("example-shape-derived");
    assert_eq!(fields(&g, "microsoft.graph.thing"), ["id", "label"]);
    assert_eq!(fields(&g, "microsoft.graph.gizmo"), ["id", "label", "cogs", "spin"]);
    // The base named by prose with other links around it.
    assert_eq!(fields(&model("inheritance-prose-links"), "microsoft.graph.gadget"), ["id", "reading"]);
    assert_eq!(fields(&model("link-malformed-base"), "microsoft.graph.gadget"), ["id", "reading"]);
    // Malformed links name their type.
    let g = model("link-malformed");
    let types: Vec<String> = all_props(&g.api, "microsoft.graph.widget").iter().map(|p| g.api.describe(&p.ty)).collect();
    assert_eq!(types, ["String", "gadget", "gadget"]);
    assert!(!g.api.types().any(|t| t.full_name.contains(['[', '(', '|'])), "{:?}", g.api.types().map(|t| &t.full_name).collect::<Vec<_>>());
}

/// The fidelity classes of issue 16, as the model shows them: (a) every table spelling
/// of a property name, (b) every way the docs list a string's values, (c) every
/// placeholder that names a type.
#[test]
fn tables_value_lists_and_placeholders_type_the_model() {
    use msgraph_gen::model::{Prim, TypeKind, TypeRef};

    // (a) The table wins over the representation: Int16 and Int32, not the example's i64.
    let g = model("property-table-decorated");
    let want = [
        ("album", "String"),
        ("artist", "String"),
        ("disc", "Int16"),
        ("track", "Int32"),
        ("year", "Int32"),
        ("rank", "Double"),
        ("label", "String"),
        ("parts", "part collection"),
        ("shelf", "partCollection"),
    ];
    assert_eq!(types(&g, "microsoft.graph.audio"), pairs(&want));
    assert!(all_props(&g.api, "microsoft.graph.audio").iter().all(|p| p.doc.is_some()), "descriptions come from the table");

    // (b) Enums named <owner><Property>; a page's enum with the same members is reused,
    // one with other members keeps its name (the list gets the suffix `Values`).
    let g = model("value-list-enum");
    let want = [
        ("id", "String"),
        ("response", "widgetResponse"),
        ("mode", "widgetMode"),
        ("direction", "widgetDirection"),
        ("kind", "widgetKind"),
        ("colors", "widgetColors collection"),
        ("level", "widgetLevel"),
        ("state", "widgetStateValues"),
        ("note", "String"),
        ("result", "widgetResult"),
        ("importance", "widgetImportance"),
        ("country", "String"),
    ];
    assert_eq!(types(&g, "microsoft.graph.widget"), pairs(&want));
    let members = |t: &str| match g.api.named(t).map(|d| &d.kind) {
        Some(TypeKind::Enum { members, .. }) => members.iter().map(|m| m.wire.clone()).collect::<Vec<_>>(),
        k => panic!("{t} is {k:?}"),
    };
    assert_eq!(members("microsoft.graph.widgetResponse"), ["accepted", "Declined"]);
    assert_eq!(members("microsoft.graph.widgetMode"), ["manual", "automatic"]);
    assert_eq!(members("microsoft.graph.widgetDirection"), ["incoming", "outgoing"]);
    assert_eq!(members("microsoft.graph.widgetKind"), ["personal", "business"]);
    assert_eq!(members("microsoft.graph.widgetColors"), ["red", "green", "blue"]);
    assert_eq!(members("microsoft.graph.widgetLevel"), ["low", "high"]);
    assert_eq!(members("microsoft.graph.widgetState"), ["on", "off"]);
    assert_eq!(members("microsoft.graph.widgetStateValues"), ["pending", "done"]);
    assert_eq!(members("microsoft.graph.widgetResult"), ["success", "failure", "notApplied"]);
    assert_eq!(members("microsoft.graph.widgetImportance"), ["low", "normal", "high"]);

    // (c) Placeholders name their types when no table does.
    let g = model("type-placeholders");
    let prim = |p| g.api.describe(&TypeRef::Prim(p));
    let want = [
        ("name", prim(Prim::String)),
        ("window", prim(Prim::Duration)),
        ("created", prim(Prim::DateTimeOffset)),
        ("opens", prim(Prim::TimeOfDay)),
        ("born", prim(Prim::Date)),
        ("count", prim(Prim::Int32)),
        ("key", prim(Prim::Guid)),
        ("blob", prim(Prim::Binary)),
        ("ratio", prim(Prim::Double)),
        ("parts", "part collection".to_string()),
    ];
    let want: Vec<(String, String)> = want.iter().map(|(a, b)| (a.to_string(), b.clone())).collect();
    assert_eq!(types(&g, "microsoft.graph.widget"), want);
}

/// Every case that generates (but the 20,000-property ones), compiled as modules of
/// one crate with warnings denied; its test round-trips [`DATA`] through the models.
/// A nested cargo in a target directory of its own; dependencies resolve offline
/// from the workspace lock file.
#[test]
fn recovered_output_compiles_with_warnings_denied_and_keeps_the_data() {
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("catalogue");
    let krate = work.join("crate");
    let _ = fs::remove_dir_all(&krate);
    let mut modules = Vec::new();
    for case in CASES.iter().filter(|c| matches!(c.setup, Setup::AsIs | Setup::SymlinkLoop)) {
        let Some(g) = check(case).unwrap_or_else(|e| panic!("{e}")) else { continue };
        let module = case.name.replace('-', "_");
        // (`area-subservice` has areas, so Cargo features: checked in `current_conventions_are_read`.)
        if case.name == "area-subservice" {
            assert!(!g.features.is_empty());
            continue;
        }
        for (rel, text) in &g.files {
            let path = krate.join("src").join(&module).join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        assert!(g.features.is_empty(), "{}: catalogue cases have no docs areas", case.name);
        modules.push(module);
    }
    let mut lib = String::from("#![deny(warnings)]\n");
    for m in &modules {
        lib.push_str(&format!("pub mod {m};\n"));
    }
    lib.push_str("\n#[test]\nfn recovered_data_round_trips() {\n    let check = |case: &str, out: Option<Result<serde_json::Value, serde_json::Error>>, want: &str| {\n        let got = out.expect(\"the type exists\").expect(\"the value deserializes\");\n        assert_eq!(got, serde_json::from_str::<serde_json::Value>(want).unwrap(), \"{case}\");\n    };\n");
    for (case, ty, input, output) in DATA {
        assert!(modules.contains(&case.replace('-', "_")), "{case} is not a generating case");
        lib.push_str(&format!(
            "    check({case:?}, {m}::models::reserialize({ty:?}, serde_json::from_str({input:?}).unwrap()), {output:?});\n",
            m = case.replace('-', "_")
        ));
    }
    lib.push_str("}\n");
    // The requests of the request cases, written from their URLs, as sent.
    lib.push_str("\n#[test]\nfn requests_are_sent_as_the_docs_show_them() {\n    use msgraph_runtime::{Field, Request};\n    fn sent<T>(case: &str, r: impl Into<Request<T>>, want: &str, body: &str, headers: &[(&str, &str)]) {\n        let r: Request<T> = r.into();\n        let h = r.to_http(\"https://graph.microsoft.com/v1.0\").unwrap_or_else(|e| panic!(\"{case}: {e}\"));\n        let got = format!(\"{} {}\", h.method(), h.uri().path_and_query().map(|p| p.as_str()).unwrap_or(\"\").trim_start_matches(\"/v1.0\"));\n        assert_eq!(got, want, \"{case}\");\n        assert_eq!(String::from_utf8_lossy(h.body()), body, \"{case}\");\n        for (k, v) in headers {\n            assert_eq!(h.headers().get(*k).and_then(|v| v.to_str().ok()), Some(*v), \"{case}: {k}\");\n        }\n    }\n    let _ = Field::<()>::other(\"\");\n");
    for (case, call, want, body, headers) in REQUESTS {
        let m = case.replace('-', "_");
        assert!(modules.contains(&m), "{case} is not a generating case");
        lib.push_str(&format!("    {{\n        use {m}::requests;\n        sent({case:?}, {call}, {want:?}, {body:?}, &{headers:?});\n    }}\n"));
    }
    lib.push_str("}\n");
    fs::write(krate.join("src/lib.rs"), lib).unwrap();
    fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"catalogue-crate\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{}serde_json = \"1\"\n\n[workspace]\n",
            msgraph_gen::RuntimeDependency::Path(Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime")).toml()
        ),
    )
    .unwrap();
    fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    let out = Command::new(env!("CARGO"))
        .args(["test", "--offline", "--quiet", "--lib"])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", work.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "the catalogue crate does not build with warnings denied, or loses data:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // No text of the docs is a doctest (`description-code`: a bare fence in a
    // description would be one, and fail).
    let out = Command::new(env!("CARGO"))
        .args(["test", "--offline", "--quiet", "--doc"])
        .current_dir(&krate)
        .env("CARGO_TARGET_DIR", work.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "a doctest of the catalogue crate fails:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Today's conventions (issue 25), as the models show them: every enum typed with
/// its members and values, the area of `ms.subservice`, text that is not content
/// read as nothing, deprecation in the docs' words, every sign of a base type, the
/// members of an evolvable enum, a mis-closed fence's table, code in a description.
#[test]
fn current_conventions_are_read() {
    use msgraph_gen::model::TypeKind;
    let members = |g: &Generated, t: &str| match g.api.named(t).map(|d| &d.kind) {
        Some(TypeKind::Enum { members, .. }) => members.iter().map(|m| (m.wire.clone(), m.value, m.evolvable)).collect::<Vec<_>>(),
        k => panic!("{t} is {k:?}"),
    };
    let m = |v: &[(&str, Option<i64>)]| v.iter().map(|(w, n)| (w.to_string(), *n, false)).collect::<Vec<_>>();
    // Cases whose output must carry no warning at all (notes of inference aside).
    for name in ["enum-in-page", "enum-page", "area-subservice", "not-content", "deprecated", "evolvable-enum"] {
        let case = CASES.iter().find(|c| c.name == name).expect("a case");
        let (diags, _) = generate(&prepare(case).0);
        assert!(diags.is_empty(), "{name}:\n{}", listing(&diags));
    }

    // 1. Enums in sections of the page that uses them.
    let g = model("enum-in-page");
    assert_eq!(types(&g, "microsoft.graph.widget"), pairs(&[("id", "String"), ("mode", "widgetMode"), ("shade", "widgetShade")]));
    assert_eq!(members(&g, "microsoft.graph.widgetMode"), m(&[("manual", None), ("scheduled", None), ("unknownFutureValue", None)]));
    assert_eq!(members(&g, "microsoft.graph.widgetShade"), m(&[("light", None), ("dark", None)]));

    // 2. The enums page, every table shape.
    let g = model("enum-page");
    assert_eq!(
        types(&g, "microsoft.graph.widget"),
        pairs(&[("id", "String"), ("size", "widgetSize"), ("signal", "widgetSignal"), ("level", "widgetLevel"), ("finish", "widgetFinish")])
    );
    assert_eq!(members(&g, "microsoft.graph.widgetSize"), m(&[("small", None), ("large", None)]));
    assert_eq!(members(&g, "microsoft.graph.widgetSignal"), m(&[("none", Some(-1)), ("weak", Some(1)), ("strong", Some(2))]));
    assert_eq!(members(&g, "microsoft.graph.widgetLevel"), m(&[("low", Some(0)), ("high", Some(10))]));
    assert_eq!(members(&g, "microsoft.graph.widgetFinish"), m(&[("matte", None), ("gloss", None)]));

    // 3. The area: `ms.prod`, else `ms.subservice`; each a Cargo feature.
    let g = model("area-subservice");
    let area = |t: &str| g.api.named(t).and_then(|d| d.area.clone());
    assert_eq!(area("microsoft.graph.widget").as_deref(), Some("widget-works"));
    assert_eq!(area("microsoft.graph.gadget").as_deref(), Some("gadget-works"));
    assert_eq!(g.features.keys().cloned().collect::<Vec<_>>(), ["gadget-works", "widget-works"]);

    // 4. Not content: no ghost property from the note, the request still read.
    let g = model("not-content");
    assert_eq!(types(&g, "microsoft.graph.widget"), pairs(&[("id", "String"), ("size", "Int32")]));
    assert_eq!(g.api.operations.iter().map(|o| (o.method.as_str(), o.path_template())).collect::<Vec<_>>(), [("GET", "/widgets/{id}".to_string())]);

    // 5. Deprecation: a clean wire name, the docs' words as the note.
    let g = model("deprecated");
    let p = all_props(&g.api, "microsoft.graph.widget");
    let notes: Vec<(&str, Option<&str>)> = p.iter().map(|p| (p.wire.as_str(), p.deprecated.as_deref())).collect();
    assert_eq!(
        notes,
        [
            ("id", None),
            ("attendeeReport", Some("Deprecated. The report of who came.")),
            ("legacyCode", Some("This property is deprecated and returns null after 2026.")),
            ("finish", None)
        ]
    );
    assert_eq!(g.api.named("microsoft.graph.oldFinish").and_then(|t| t.deprecated.as_deref()), Some("Deprecated: use the widget's colors instead."));
    let ops: Vec<(String, bool)> = g.api.operations.iter().map(|o| (o.path_template(), o.deprecated.is_some())).collect();
    assert_eq!(ops, [("/widgets/{id}".to_string(), false), ("/widgets/{id}/polish".to_string(), true)]);
    let text: String = g.files.values().cloned().collect();
    assert_eq!(text.matches("#[deprecated(note = ").count(), 4, "a field twice, a type, an operation");

    // 6. Every sign of a base type.
    let g = model("base-type-signs");
    let base = |t: &str| g.api.id(t).and_then(|id| g.api.base_of(id)).map(|b| g.api.name(b).to_string());
    for t in ["gadget", "gizmo", "doohickey", "sprocket", "thingamajig"] {
        assert_eq!(base(&format!("microsoft.graph.{t}")).as_deref(), Some("microsoft.graph.widget"), "{t}");
        assert_eq!(
            all_props(&g.api, &format!("microsoft.graph.{t}")).iter().take(2).map(|p| p.wire.as_str()).collect::<Vec<_>>(),
            ["id", "displayName"],
            "{t}"
        );
    }
    match &g.api.named("microsoft.graph.widget").unwrap().kind {
        TypeKind::Struct { is_abstract, key, open, .. } => assert_eq!((*is_abstract, key.as_deref(), *open), (true, Some("id"), false)),
        k => panic!("{k:?}"),
    }

    // 7. Evolvable enums: the members after `unknownFutureValue`, said so in the rustdoc.
    let g = model("evolvable-enum");
    let want: Vec<(String, Option<i64>, bool)> =
        [("draft", false), ("published", false), ("unknownFutureValue", false), ("archived", true), ("recalled", true)]
            .iter()
            .map(|(w, e)| (w.to_string(), None, *e))
            .collect();
    assert_eq!(members(&g, "microsoft.graph.widgetStage"), want);
    let text: String = g.files.values().cloned().collect();
    assert!(text.contains("include-unknown-enum-members"), "the rustdoc names the header");

    // 8. The table a mis-closed fence swallowed; code in a description is text.
    let g = model("fence-misclosed");
    assert_eq!(types(&g, "microsoft.graph.widget"), pairs(&[("id", "String"), ("size", "Int32")]));
    let g = model("description-code");
    let text: String = g.files.values().cloned().collect();
    assert!(text.contains("```text") && !text.contains("\" ```\"]\n#[doc = \" size"), "{text}");
}

#[test]
fn one_concept_one_type() {
    // A status a derived type lists again is its base's enum (one value more is
    // reported, and read into the catch-all); a list with the members of an enum a
    // page defines is that enum, named like the property or not; a list no enum
    // has stays an enum of its own.
    let g = model("enum-shared");
    assert_eq!(types(&g, "microsoft.graph.job"), pairs(&[("id", "String"), ("status", "jobStatus"), ("urgency", "urgency")]));
    assert_eq!(
        types(&g, "microsoft.graph.printJob"),
        pairs(&[("id", "String"), ("status", "jobStatus"), ("urgency", "urgency"), ("pages", "Int32"), ("rush", "urgency")])
    );
    assert_eq!(types(&g, "microsoft.graph.copyJob"), pairs(&[("id", "String"), ("status", "jobStatus"), ("urgency", "urgency"), ("side", "copyJobSide")]));
    for gone in ["microsoft.graph.printJobStatus", "microsoft.graph.copyJobStatus", "microsoft.graph.jobUrgency", "microsoft.graph.printJobRush"] {
        assert!(g.api.named(gone).is_none(), "{gone} is one of the shared enums");
    }

    // Bodies: the update and the create take the resource; the action, the body
    // with a property the resource lacks keep types of their own, named in the
    // type's and the request line's casing, never the file name's.
    let g = model("body-is-resource");
    let body = |id: &str| {
        let op = g.api.operations.iter().find(|o| o.id == id).unwrap_or_else(|| panic!("operation {id}"));
        op.body.as_ref().map(|b| g.api.describe(b)).unwrap_or_default()
    };
    assert_eq!(body("gadgetpart-update"), "gadgetPart");
    assert_eq!(body("gadgetpart-post-gadgetparts"), "gadgetPart");
    assert_eq!(body("gadgetpart-rename"), "gadgetPartRenameRequestBody");
    assert_eq!(body("gadgetpart-createlink"), "gadgetPartCreateLinkRequestBody");
    assert_eq!(body("gadgetpart-replace"), "gadgetPartReplaceRequestBody");
    let text: String = g.files.values().cloned().collect();
    assert!(text.contains("pub struct GadgetPartCreateLinkRequestBody") && !text.contains("Gadgetpart"), "names from the type's casing");
    assert!(!text.contains("GadgetPartUpdateRequestBody") && !text.contains("GadgetPartPostGadgetPartsRequestBody"));
}

#[test]
fn every_case_dir_is_in_the_table() {
    let mut dirs: Vec<String> = fs::read_dir(fixtures()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    dirs.sort();
    let mut names: Vec<String> = CASES.iter().map(|c| c.name.to_string()).collect();
    names.sort();
    assert_eq!(dirs, names);
    assert!(CASES.len() >= 30);
}
