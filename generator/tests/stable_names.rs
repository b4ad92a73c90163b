//! Names that do not move (issue 23): a namespace, type, enum or operation keeps its
//! Rust name when an unrelated page adds a spelling variant, a colliding name or a
//! new page, or when files move. Each test copies a fixture tree, perturbs the copy
//! and diffs the two surfaces: nothing may be removed, renamed or broken.

use std::fs;
use std::path::{Path, PathBuf};

use msgraph_gen::diff::{diff, ChangeKind, Surface};
use msgraph_gen::{infer_api, read_docs};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/today")
}

fn repo_docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs")
}

fn surface(dir: &Path) -> Surface {
    Surface::of(&infer_api(read_docs(dir).expect("docs readable")).0)
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("readable dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).expect("under dir").to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// Copy `from` into `to`, creating the files in `order` of their relative paths.
fn copy(from: &Path, to: &Path, reverse: bool) {
    let mut fs_list = files(from);
    if reverse {
        fs_list.reverse();
    }
    for f in fs_list {
        let dest = to.join(&f);
        fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        fs::copy(from.join(&f), dest).expect("copy");
    }
}

/// (a) A page that spells an existing type and the namespace in another case
/// (`#Microsoft.Graph.ChatInfo`, a base `Microsoft.Graph.Entity` named before
/// its page is read) and names an unknown `#Microsoft.Graph.NewThing`.
fn case_variants(dir: &Path) {
    let page = r##"---
title: "strayThing resource type"
description: "A type whose page spells names oddly."
doc_type: resourcePageType
---

# strayThing resource type

Namespace: Microsoft.Graph

A type whose page spells names oddly. Inherits from [entity](entity.md).

## Properties

| Property | Type | Description |
|:---|:---|:---|
| id | String | The identifier. |
| chat | [ChatInfo](chatinfo.md) | The chat. |

## JSON representation

<!-- {
  "blockType": "resource",
  "baseType": "Microsoft.Graph.Entity",
  "@odata.type": "Microsoft.Graph.StrayThing"
}-->
```json
{
  "id": "String",
  "chat": {"@odata.type": "Microsoft.Graph.ChatInfo"}
}
```
"##;
    let api = r##"---
title: "Get strayThing"
description: "Read a strayThing."
doc_type: apiPageType
---

# Get strayThing

Namespace: microsoft.graph

Read a strayThing.

## HTTP request

<!-- { "blockType": "ignored" } -->
```http
GET /strayThings/{id}
```

## Response

If successful, this method returns a `200 OK` response code and a [strayThing](../resources/aaa-straything.md) object in the response body.

## Example

### Request

<!-- {
  "blockType": "request",
  "name": "get_straything"
}-->
```msgraph-interactive
GET https://graph.microsoft.com/v1.0/strayThings/s1
```

### Response

<!-- {
  "blockType": "response",
  "truncated": true,
  "@odata.type": "Microsoft.Graph.StrayThing"
} -->
```http
HTTP/1.1 200 OK
Content-Type: application/json

{
  "@odata.type": "#Microsoft.Graph.StrayThing",
  "id": "s1",
  "chat": {"@odata.type": "#Microsoft.Graph.ChatInfo", "threadId": "t1"},
  "other": {"@odata.type": "#Microsoft.Graph.NewThing", "name": "n"},
  "more": {"@odata.type": "#Microsoft.Graph.NewThing", "name": "m"}
}
```
"##;
    // A derived type whose page sorts before its base's and names the base all in
    // lower case (`commsoperation`: a Rust name `Commsoperation` if it stuck).
    let sub = r##"---
title: "straySubOperation resource type"
description: "An operation type naming its base in lower case."
doc_type: resourcePageType
---

# straySubOperation resource type

Namespace: microsoft.graph

An operation type naming its base in lower case.

## Properties

| Property | Type | Description |
|:---|:---|:---|
| id | String | The identifier. |
| info | [resultinfo](resultinfo.md) | The result. |

## JSON representation

<!-- {
  "blockType": "resource",
  "baseType": "microsoft.graph.commsoperation",
  "@odata.type": "microsoft.graph.straySubOperation"
}-->
```json
{
  "id": "String",
  "info": {"@odata.type": "#microsoft.graph.resultinfo"}
}
```
"##;
    fs::write(dir.join("resources/aaa-straything.md"), page).expect("write");
    fs::write(dir.join("resources/aab-straysub.md"), sub).expect("write");
    fs::write(dir.join("api/aaa-straything-get.md"), api).expect("write");
    // New operations under existing nodes, their segments spelled in other cases: the
    // existing operations keep their Rust calls.
    for (stem, path) in [("aab-stray-calls", "/Communications/Calls/{id}/strayThings"), ("aac-stray-meetings", "/me/onlinemeetings/{meetingId}/strayThings")] {
        let page = format!(
            r##"---
title: "List strayThings"
description: "List strayThings."
doc_type: apiPageType
---

# List strayThings

Namespace: microsoft.graph

List strayThings.

## HTTP request

<!-- {{ "blockType": "ignored" }} -->
```http
GET {path}
```

## Response

If successful, this method returns a `200 OK` response code and a collection of [strayThing](../resources/aaa-straything.md) objects in the response body.
"##
        );
        fs::write(dir.join(format!("api/{stem}.md")), page).expect("write");
    }
}

/// (b) A new resource page defining a type whose Rust name is an existing one's,
/// spelled otherwise, and sorting before it (`chat-info` < `chatInfo`).
fn colliding(dir: &Path) {
    for (stem, name) in [("chat-info", "chat-info"), ("Chat_info", "Chat_info")] {
        let page = format!(
            r#"---
title: "{name} resource type"
description: "A type named like another."
doc_type: resourcePageType
---

# {name} resource type

Namespace: microsoft.graph

A type named like another.

## Properties

| Property | Type | Description |
|:---|:---|:---|
| label | String | A label. |

## JSON representation

<!-- {{
  "blockType": "resource",
  "@odata.type": "microsoft.graph.{name}"
}}-->
```json
{{
  "label": "String"
}}
```
"#
        );
        fs::write(dir.join(format!("resources/{stem}.md")), page).expect("write");
    }
}

/// (c) Files move: a page to another directory under another stem, another renamed.
fn reorder(dir: &Path) {
    let all = files(dir);
    let mut moved = 0;
    for f in all.iter().filter(|f| f.starts_with("resources") && f.extension().is_some_and(|e| e == "md")).take(2) {
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or("page");
        let to = if moved == 0 { dir.join("resources/moved/zz").join(format!("zz-{stem}.md")) } else { dir.join(format!("resources/0-{stem}.md")) };
        fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        fs::rename(dir.join(f), to).expect("move");
        moved += 1;
    }
    assert_eq!(moved, 2, "the fixture has resource pages to move");
}

/// The surface of `base` against that of a copy perturbed by `perturb`: no
/// breaking change, nothing removed.
fn check(base: &Path, perturb: &[fn(&Path)], reverse: bool) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let old_dir = tmp.path().join("old");
    let new_dir = tmp.path().join("new");
    copy(base, &old_dir, false);
    copy(base, &new_dir, reverse);
    for p in perturb {
        p(&new_dir);
    }
    let d = diff(&surface(&old_dir), &surface(&new_dir));
    let bad: Vec<String> =
        d.changes.iter().filter(|c| c.breaking || c.kind == ChangeKind::Removed).map(|c| format!("{:?} {:?} {}", c.kind, c.item, c.name)).collect();
    assert!(bad.is_empty(), "names moved ({}):\n{}", d.summary(), bad.join("\n"));
    // The perturbations took effect: new pages add types and operations.
    let added = d.changes.iter().filter(|c| c.kind == ChangeKind::Added).count();
    eprintln!("{}", d.summary());
    assert!((perturb.len() == 1 && reverse) || added > 0, "the perturbed copy adds something: {}", d.summary());
}

#[test]
fn case_variant_references_move_nothing() {
    check(&fixture(), &[case_variants], false);
}

#[test]
fn a_colliding_page_takes_no_existing_name() {
    check(&fixture(), &[colliding], false);
}

#[test]
fn moved_and_reordered_files_move_nothing() {
    check(&fixture(), &[reorder], true);
}

#[test]
fn all_perturbations_together_move_nothing() {
    check(&fixture(), &[reorder, case_variants, colliding], true);
}

#[test]
fn all_perturbations_on_the_repo_docs_move_nothing() {
    check(&repo_docs(), &[reorder, case_variants, colliding], true);
}
