//! Lint checks on small docs sets held in memory, and suppressions.

use msgraph_gen::{generate_sources, Code, Generated, SourceFile};

fn page(path: &str, text: &str) -> SourceFile {
    SourceFile { path: path.into(), bytes: text.as_bytes().to_vec() }
}

fn run(files: Vec<SourceFile>) -> Generated {
    generate_sources(files).unwrap_or_else(|e| panic!("{e}"))
}

fn at(g: &Generated, code: Code) -> Vec<(String, u32, u32)> {
    g.diagnostics.iter().filter(|d| d.code == code).map(|d| (d.span.file.to_string(), d.span.line(), d.span.col())).collect()
}

const RESOURCE: &str = "---\ndoc_type: resourcePageType\n---\n# job resource type\n\nNamespace: microsoft.graph\n\nSee [the list](../api/job-list.md) and [gone](missing.md#x).\n\n## Properties\n\n|Property|Type|Description|\n|:--|:--|:--|\n|id|String||\n|state|[jobState](enums.md)||\n";
const ENUMS: &str = "---\ndoc_type: enumPageType\n---\nNamespace: microsoft.graph\n\n### jobState values\n\n|Member|\n|:--|\n|running|\n|done|\n";
const API: &str = "---\ndoc_type: apiPageType\n---\n# Get job\n\n## HTTP request\n\n```http\nGET /jobs/{id}\n```\n\n## Response\n\nReturns `200 OK` and a [job](../resources/job.md).\n\n<!-- { \"blockType\": \"request\", \"name\": \"a\" } -->\n```http\nGET https://graph.microsoft.com/v1.0/jobs/1\n```\n\n<!-- { \"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.job\", \"isCollection\": true } -->\n```http\nHTTP/1.1 200 OK\n\n{\n  \"value\": [\n    {\"id\": \"1\", \"state\": \"Running\"},\n    {\"id\": \"2\", \"state\": \"paused\"}\n  ]\n}\n```\n";

fn docs() -> Vec<SourceFile> {
    vec![page("resources/job.md", RESOURCE), page("resources/enums.md", ENUMS), page("api/job-get.md", API)]
}

#[test]
fn enum_values_in_examples_are_checked() {
    let g = run(docs());
    assert_eq!(at(&g, Code::EnumValueCase), [("api/job-get.md".into(), 27, 17)]);
    assert_eq!(at(&g, Code::EnumValueUnknown), [("api/job-get.md".into(), 28, 17)]);
    let case = g.diagnostics.iter().find(|d| d.code == Code::EnumValueCase).unwrap();
    assert!(case.message.contains("\"Running\"") && case.message.contains("\"running\""), "{case}");
    assert_eq!(case.related[0].span.line(), 10, "points at the member's row");
}

#[test]
fn links_to_pages_that_are_not_there_are_reported() {
    let g = run(docs());
    // ../api/job-list.md and missing.md are missing; site-absolute and external links are not checked.
    let found = at(&g, Code::DanglingLink);
    assert_eq!(found, [("resources/job.md".into(), 8, 1), ("resources/job.md".into(), 8, 1)]);
    let mut files = docs();
    files.push(page("api/job-list.md", "# List jobs\n"));
    files.push(page("resources/missing.md", "# x\n"));
    assert!(at(&run(files), Code::DanglingLink).is_empty());
}

#[test]
fn a_suppressions_file_silences_listed_defects_and_reports_stale_entries() {
    let mut files = docs();
    files.push(page(
        "suppressions.json",
        r#"{"suppressions": [
  {"code": "enum-value-case", "page": "api/job-get.md", "line": 27, "reason": "known"},
  {"code": "dangling-link", "page": "resources/job.md", "reason": "pages not written yet"},
  {"code": "type-conflict", "page": "api/job-get.md", "reason": "stale"}
]}"#,
    ));
    let g = run(files);
    assert!(at(&g, Code::EnumValueCase).is_empty());
    assert!(at(&g, Code::DanglingLink).is_empty());
    assert_eq!(at(&g, Code::EnumValueUnknown).len(), 1, "other defects are still reported");
    assert_eq!(g.suppressed, 3);
    assert_eq!(at(&g, Code::SuppressionUnused), [("suppressions.json".into(), 4, 1)]);
}

#[test]
fn a_page_annotation_suppresses_its_own_page() {
    let mut files = docs();
    let annotated = format!("{API}\n<!--\n{{\n  \"type\": \"#page.annotation\",\n  \"suppressions\": [\"enum-value-unknown: paused is coming\", \"Warning: some other tool's entry\"]\n}}\n-->\n");
    files[2] = page("api/job-get.md", &annotated);
    let g = run(files);
    assert!(at(&g, Code::EnumValueUnknown).is_empty());
    assert_eq!(at(&g, Code::EnumValueCase).len(), 1);
}

#[test]
fn errors_cannot_be_suppressed_and_bad_suppression_files_are_errors() {
    let mut files = docs();
    files.push(page("suppressions.json", r#"{"suppressions": [{"code": "no-such-code", "page": "x.md", "reason": "r"}]}"#));
    let Err(msgraph_gen::Error::Failed { diagnostics }) = generate_sources(files) else { panic!("an unknown code is an error") };
    assert!(diagnostics.iter().any(|d| d.code == Code::SuppressionsInvalid && d.span.line() == 1));
}
