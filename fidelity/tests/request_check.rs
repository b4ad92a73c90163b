//! The request-example check end to end on a small docs tree written for it: the
//! crate is generated (msgraph-gen's library, as `generate --out` does), the
//! examples are written as Rust into it, built by a nested cargo (offline, from
//! the workspace's lock file, in a target directory of its own, without the
//! client), run and compared. Each example is made to land in one outcome.

use std::collections::BTreeMap;
use std::path::Path;

use msgraph_fidelity::requests::report::{Outcome, Summary};
use msgraph_fidelity::requests::{check, BuildOptions, Defect};

fn api(name: &str, title: &str, lines: &str, rest: &str) -> (String, String) {
    (
        format!("api/{name}.md"),
        format!("---\ntitle: \"{title}\"\ndescription: \"{title}.\"\ndoc_type: apiPageType\n---\n\n# {title}\n\nNamespace: microsoft.graph\n\n{title}.\n\n## HTTP request\n\n<!-- {{ \"blockType\": \"ignored\" }} -->\n```http\n{lines}\n```\n\n{rest}"),
    )
}

fn request(name: &str, block: &str) -> String {
    format!("<!-- {{ \"blockType\": \"request\", \"name\": \"{name}\" }} -->\n```http\n{block}\n```\n\n")
}

fn response(typ: &str, collection: bool, body: &str) -> String {
    format!("<!-- {{ \"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.{typ}\", \"isCollection\": {collection} }} -->\n```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{body}\n```\n\n")
}

const WIDGET: &str = "---
title: \"widget resource type\"
description: \"A widget.\"
doc_type: resourcePageType
---

# widget resource type

Namespace: microsoft.graph

A widget.

## Properties

| Property | Type | Description |
|:---------|:-----|:------------|
| id | String | Identifier. |
| name | String | Name. |
| size | Int32 | Size. |

## JSON representation

<!-- { \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.widget\" } -->
```json
{
  \"id\": \"String\",
  \"name\": \"String\",
  \"size\": 1024
}
```
";

fn docs() -> Vec<(String, String)> {
    let headers = "## Request headers\n\n| Name | Description |\n|:-----|:------------|\n| Authorization | Bearer {token}. Required. |\n| If-Match | The ETag of the widget. Required. |\n\n";
    vec![
        ("resources/widget.md".into(), WIDGET.into()),
        api(
            "widget-list",
            "List widgets",
            "GET /widgets",
            &format!(
                "## Optional query parameters\n\nThis method supports the `$select` and `$top` OData query parameters.\n\n## Response\n\nIf successful, this method returns a `200 OK` response code and a collection of [widget](../resources/widget.md) objects in the response body.\n\n## Example\n\n{}{}{}{}{}{}",
                request("list", "GET https://graph.microsoft.com/v1.0/widgets?$select=name,size&$top=2"),
                response("widget", true, "{\"value\": [{\"name\": \"a\", \"size\": 1}]}"),
                // $orderby and `$skiptoken` are documented by these examples themselves.
                request("list-ordered", "GET https://graph.microsoft.com/v1.0/widgets?$orderby=name desc"),
                response("widget", true, "{\"value\": []}"),
                request("list-token", "GET https://graph.microsoft.com/v1.0/widgets?$skiptoken=X1"),
                response("widget", true, "{\"value\": []}"),
            ),
        ),
        api(
            "widget-get",
            "Get widget",
            "GET /widgets/{id}",
            &format!(
                "## Response\n\nIf successful, this method returns a `200 OK` response code and a [widget](../resources/widget.md) object in the response body.\n\n## Example\n\n{}{}{}",
                // An encoded space in the id.
                request("get", "GET https://graph.microsoft.com/v1.0/widgets/w%201"),
                response("widget", false, "{\"name\": \"a\"}"),
                // A path the page does not document (and the generator does not know).
                request("get-parts", "GET https://graph.microsoft.com/v1.0/widgets/w1/parts"),
            ),
        ),
        api(
            "widget-post",
            "Create widget",
            "POST /widgets",
            &format!(
                "## Request body\n\nIn the request body, supply a JSON representation of a [widget](../resources/widget.md) object.\n\n## Response\n\nIf successful, this method returns a `201 Created` response code and a [widget](../resources/widget.md) object in the response body.\n\n## Example\n\n{}{}",
                request("create", "POST https://graph.microsoft.com/v1.0/widgets\nContent-Type: application/json\nContent-Length: 30\n\n{\n  \"name\": \"a\",\n  \"size\": 3\n}"),
                // Not JSON, whatever it says.
                request("create-bad", "POST https://graph.microsoft.com/v1.0/widgets\nContent-Type: application/json\n\n{ name: 'a' }"),
            ),
        ),
        api(
            "widget-update",
            "Update widget",
            "PATCH /widgets/{id}",
            &format!(
                "{headers}## Request body\n\nIn the request body, supply the values of the [widget](../resources/widget.md) properties to update.\n\n## Response\n\nIf successful, this method returns a `204 No Content` response code.\n\n## Example\n\n{}",
                request("update", "PATCH https://graph.microsoft.com/v1.0/widgets/w1\nContent-Type: application/json\nIf-Match: W/\"1\"\n\n{\"size\": 4}"),
            ),
        ),
        api(
            "widget-polish",
            "widget: polish",
            "POST /widgets/{id}/polish",
            &format!(
                "## Request body\n\n| Parameter | Type | Description |\n|:----------|:-----|:------------|\n| level | Int32 | How much. |\n\n## Response\n\nIf successful, this method returns a `204 No Content` response code.\n\n## Example\n\n{}{}",
                request("polish", "POST https://graph.microsoft.com/v1.0/widgets/w1/polish\nContent-Type: application/json\n\n{\"level\": 2}"),
                // A body that is no JSON, where the page documents a JSON one.
                request("polish-text", "POST https://graph.microsoft.com/v1.0/widgets/w1/polish\nContent-Type: text/plain\n\nshiny"),
            ),
        ),
        api(
            "widget-photo",
            "Set widget photo",
            "PUT /widgets/{id}/photo/$value",
            &format!(
                "## Request body\n\nThe bytes of the image.\n\n## Response\n\nIf successful, this method returns a `200 OK` response code.\n\n## Example\n\n{}",
                // Not JSON: the operation takes the Content-Type and the bytes.
                request("photo", "PUT https://graph.microsoft.com/v1.0/widgets/w1/photo/$value\nContent-Type: image/jpeg\n\nThe bytes of the image"),
            ),
        ),
    ]
}

#[test]
fn examples_of_a_small_tree_are_written_built_run_and_compared() {
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("request-check");
    let docs_dir = work.join("docs");
    let _ = std::fs::remove_dir_all(&docs_dir);
    for (path, text) in docs() {
        let p = docs_dir.join(&path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    // The crate, as `msgraph-gen generate DOCS --out CRATE --runtime-path runtime` writes it.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let generated = msgraph_gen::Config::new().docs_dir(&docs_dir).run().expect("the test docs generate");
    let runtime = msgraph_gen::RuntimeDependency::Path(std::fs::canonicalize(root.join("runtime")).unwrap());
    let tree = msgraph_gen::standalone_crate("request-check-widgets", &generated, &runtime);
    let crate_dir = work.join("crate");
    msgraph_gen::write_tree(&crate_dir, &tree).unwrap();
    std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();

    // A target directory of its own (kept between runs); no async client to build.
    let files = msgraph_gen::read_docs(&docs_dir).unwrap();
    let options = BuildOptions { cargo_args: vec!["--no-default-features".into()], target_dir: Some(work.join("target")), ..BuildOptions::default() };
    let checked = check(&files, &crate_dir, &options).unwrap_or_else(|e| panic!("{e}"));

    let rows: BTreeMap<String, (&[Defect], &Outcome)> = checked.rows.iter().map(|r| (r.at.clone(), (r.defects.as_slice(), &r.outcome))).collect();
    let at = |page: &str, nth: usize| -> (&[Defect], &Outcome) {
        let key = rows.keys().filter(|k| k.starts_with(&format!("api/{page}.md:"))).nth(nth).unwrap_or_else(|| panic!("{page} #{nth}: {rows:#?}"));
        rows[key]
    };
    let reproduced = |page: &str, nth: usize| {
        let (d, o) = at(page, nth);
        assert_eq!((d, o), (&[][..], &Outcome::Reproduced), "{page} #{nth}");
    };
    let failed = |page: &str, nth: usize, defects: &[Defect], want: &str| {
        let (d, o) = at(page, nth);
        assert_eq!(d, defects, "{page} #{nth}");
        match o {
            Outcome::Failed { cause, .. } => assert_eq!(cause, want, "{page} #{nth}"),
            Outcome::Reproduced => panic!("{page} #{nth} was reproduced"),
        }
    };
    reproduced("widget-list", 0);
    reproduced("widget-list", 1);
    reproduced("widget-list", 2);
    reproduced("widget-get", 0);
    failed("widget-get", 1, &[Defect::PathNotOnPage], "cannot be written: no method `parts` on `WidgetsItem`");
    reproduced("widget-post", 0);
    failed("widget-post", 1, &[Defect::BodyInvalidJson], "cannot be written: body is not valid JSON");
    reproduced("widget-update", 0);
    reproduced("widget-polish", 0);
    failed("widget-polish", 1, &[], "cannot be written: `polish`: method takes 1 argument but 2 arguments were supplied");
    reproduced("widget-photo", 0);
    assert_eq!(checked.rows.len(), 11);

    let s = Summary::new(&checked.rows);
    assert_eq!((s.examples, s.reproduced, s.with_defect, s.reproduced_without_defect, s.cannot_be_written), (11, 8, 2, 8, 3));
    // The program and the expected values are left in the crate for a reader.
    let program = std::fs::read_to_string(crate_dir.join("examples/request_check.rs")).unwrap();
    assert!(program.contains("requests::widgets().list().select(&[Field::other(\"name\"), Field::other(\"size\")]).top(2)"), "{program}");
    assert!(program.contains(".order_by_desc(&[Field::other(\"name\")])"), "{program}");
    assert!(program.contains(".replace(\"image/jpeg\", \"The bytes of the image\".as_bytes())"), "{program}");
    assert!(program.contains(".skiptoken(\"X1\")"), "{program}");
    assert!(!program.contains("\"shiny\""), "the call that does not compile was taken out");
    assert!(crate_dir.join("request_check.json").exists());
    // The report names each cause with its example.
    let text = msgraph_fidelity::requests::report::render("widgets", &checked.cases, &checked.rows, 5);
    assert!(
        text.starts_with(
            "requests[widgets]: 11 examples, 8 reproduced exactly (72.7%); 2 with a page defect; of the 9 without, 8 (88.9%); 3 cannot be written\n"
        ),
        "{text}"
    );
    assert!(text.contains("api/widget-get.md:"), "{text}");
}
