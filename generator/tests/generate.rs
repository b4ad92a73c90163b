//! Generator tests over sample docs: snapshots of the generated code, the
//! diagnostics they produce, determinism, and edits flowing through.

use std::collections::BTreeMap;
use std::path::Path;

use msgraph_gen::model::{Prim, TypeKind, TypeRef};
use msgraph_gen::{generate_sources, read_docs, Code, Generated, SourceFile};

fn fixture(name: &str) -> Vec<SourceFile> {
    read_docs(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).expect("fixture readable")
}

fn docs() -> Vec<SourceFile> {
    read_docs(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs")).expect("docs readable")
}

fn generate(files: Vec<SourceFile>) -> Generated {
    match generate_sources(files) {
        Ok(g) => g,
        Err(msgraph_gen::Error::Failed { diagnostics }) => {
            panic!("generation failed:\n{}", diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))
        }
        Err(e) => panic!("{e}"),
    }
}

fn diagnostics_text(g: &Generated) -> String {
    g.diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
}

#[test]
fn features_snapshot() {
    let g = generate(fixture("features"));
    for (path, text) in &g.files {
        insta::assert_snapshot!(format!("features__{}", path.replace('/', "__")), text);
    }
    insta::assert_snapshot!("features__diagnostics", diagnostics_text(&g));
}

/// The code generated from docs/ is not snapshotted here: generated/ is its golden
/// copy (committed, and checked fresh by `msgraph-gen check` in tests/cli.rs and CI).
#[test]
fn docs_diagnostics_snapshot() {
    let g = generate(docs());
    insta::assert_snapshot!("docs__diagnostics", diagnostics_text(&g));
}

/// All generated files whose path starts with `prefix`, concatenated.
fn joined(g: &Generated, prefix: &str) -> String {
    g.files.iter().filter(|(p, _)| p.starts_with(prefix)).map(|(_, t)| t.as_str()).collect::<Vec<_>>().join("\n")
}

#[test]
fn features_model_has_exact_types() {
    let g = generate(fixture("features"));
    let api = &g.api;
    let id = |n: &str| api.id(n).unwrap_or_else(|| panic!("{n} is in the model"));
    let props: BTreeMap<&str, TypeRef<String>> =
        api.all_properties(id("microsoft.graph.drawing")).into_iter().map(|p| (p.wire.as_str(), api.named_ref(&p.ty))).collect();
    let prim = |p| TypeRef::Prim(p);
    assert_eq!(props["revision"], prim(Prim::Int64));
    assert_eq!(props["scale"], prim(Prim::Single));
    assert_eq!(props["opacity"], prim(Prim::Byte));
    assert_eq!(props["ownerId"], prim(Prim::Guid));
    assert_eq!(props["due"], prim(Prim::Date));
    assert_eq!(props["reminder"], prim(Prim::TimeOfDay));
    assert_eq!(props["budget"], prim(Prim::Duration));
    assert_eq!(props["thumbnail"], prim(Prim::Binary));
    assert_eq!(props["extra"], prim(Prim::Json));
    assert_eq!(props["amount"], prim(Prim::Decimal));
    assert_eq!(props["shapes"], TypeRef::Collection(Box::new(TypeRef::Named("microsoft.graph.shape".into()))));
    assert!(matches!(api.named("microsoft.graph.shape").map(|t| &t.kind), Some(TypeKind::Struct { key: Some(k), .. }) if k == "id"), "keyProperty is kept");
    // Inheritance: both the annotation (circle) and the prose (square) give a base.
    for derived in ["microsoft.graph.circle", "microsoft.graph.square"] {
        let names: Vec<&str> = api.all_properties(id(derived)).iter().map(|p| p.wire.as_str()).collect();
        assert!(names.contains(&"createdDateTime") && names.contains(&"id"), "{derived}: {names:?}");
    }
    // Enums from a table, from prose, and from `a | b` in a representation.
    let members = |n: &str| match api.named(n).map(|t| &t.kind) {
        Some(TypeKind::Enum { members, flags }) => (members.iter().map(|m| m.wire.clone()).collect::<Vec<_>>(), *flags),
        k => panic!("{n} is {k:?}"),
    };
    assert_eq!(members("microsoft.graph.color"), (vec!["red".into(), "green".into(), "unknownFutureValue".into()], false));
    assert_eq!(members("microsoft.graph.lineStyle"), (vec!["solid".into(), "dashed".into(), "dotted".into()], false));
    assert_eq!(members("microsoft.graph.fillKind"), (vec!["none".into(), "solid".into(), "hatched".into()], false));
    assert!(members("microsoft.graph.permission").1, "0/1/2/4 values make a flags enum");
    // Operations: one per request line, a collection response, an ad-hoc body.
    let ids: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["drawing-get", "drawing-list-shapes", "drawing-list-shapes-2", "drawing-recolor", "drawing-update"]);
    assert_eq!(api.operations[0].query_options.iter().map(|q| q.name.as_str()).collect::<Vec<_>>(), ["$expand", "$select"]);
    assert!(api.id("microsoft.graph.drawingRecolorRequestBody").is_some());
}

#[test]
fn features_diagnostics_name_both_sides() {
    let g = generate(fixture("features"));
    let codes: Vec<Code> = g.diagnostics.iter().map(|d| d.code).collect();
    // The prose lists `dotted`, which the lineStyle table does not.
    let conflict = g.diagnostics.iter().find(|d| d.code == Code::EnumConflict).expect("enum conflict reported");
    assert!(conflict.message.contains("dotted"), "{conflict}");
    assert_eq!((&*conflict.span.file, conflict.span.line()), ("resources/drawing.md", 23));
    assert!(codes.contains(&Code::AnnotationLenient), "the trailing comma in shape.md is noted: {codes:?}");
}

#[test]
fn generation_is_deterministic_and_independent_of_file_order() {
    let files = docs();
    let a = generate(files.clone()).files;
    let b = generate(files.clone()).files;
    assert_eq!(a, b);
    let mut reversed = files;
    reversed.reverse();
    // Rotate too, so neither sorted nor reverse-sorted order is special.
    let n = reversed.len() / 3;
    reversed.rotate_left(n);
    assert_eq!(generate(reversed).files, a);
}

#[test]
fn editing_a_page_changes_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let docs_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs");
    let out = dir.path().join("out");
    let copy = dir.path().join("docs");
    for f in docs() {
        let p = copy.join(&f.path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, &f.bytes).unwrap();
    }
    let mut config = msgraph_gen::Config::new();
    config.docs_dir(&copy).out_dir(&out);
    let first = config.generate().unwrap();
    let models = "models/graph/cloud_communications.rs";
    assert!(first.written.contains(&models.to_string()));
    // Unchanged docs: nothing is rewritten.
    let again = config.generate().unwrap();
    assert!(again.written.is_empty(), "rewrote {:?}", again.written);
    let before = std::fs::read_to_string(out.join(models)).unwrap();
    assert!(config.check().is_ok());

    // Add a property to the participant resource page.
    let page = copy.join("resources/participant.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let row = text.lines().find(|l| l.starts_with("| metadata") || l.starts_with("|metadata")).expect("metadata row").to_string();
    let new_row = row.replacen("metadata", "removalReason", 1);
    std::fs::write(&page, text.replacen(&row, &format!("{row}\n{new_row}"), 1)).unwrap();
    assert!(matches!(config.check(), Err(msgraph_gen::Error::Stale { .. })), "check notices the edit");
    let third = config.generate().unwrap();
    assert!(third.written.contains(&models.to_string()), "{:?}", third.written);
    // The model files and the API surface (the new property) change, nothing else.
    assert!(third.written.iter().all(|f| f.starts_with("models/") || f == msgraph_gen::diff::SURFACE_FILE), "only model files change: {:?}", third.written);
    assert_eq!(third.api_diff.map(|d| d.summary()).as_deref(), Some("0 breaking, 1 other API change(s): property added 1"));
    let after = std::fs::read_to_string(out.join(models)).unwrap();
    assert!(!before.contains("pub removal_reason") && after.contains("pub removal_reason"));
    let _ = docs_dir;
}

#[test]
fn failed_generation_leaves_the_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let docs_dir = dir.path().join("docs");
    std::fs::create_dir_all(docs_dir.join("resources")).unwrap();
    // A good page, but a malformed corrections.json: one of the few things that stop a run.
    std::fs::write(
        docs_dir.join("resources/thing.md"),
        "---\ndoc_type: resourcePageType\n---\n# thing resource type\n\n## Properties\n\n|Property|Type|Description|\n|:--|:--|:--|\n|displayName|String||\n",
    )
    .unwrap();
    std::fs::write(docs_dir.join("corrections.json"), "{ \"corrections\": [\n  { \"page\": 7 }\n] }\n").unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("mod.rs"), "// @generated earlier\n").unwrap();
    let err = msgraph_gen::Config::new().docs_dir(&docs_dir).out_dir(&out).generate().unwrap_err();
    let msgraph_gen::Error::Failed { diagnostics } = err else { panic!("{err}") };
    let d = diagnostics.iter().find(|d| d.code == Code::CorrectionsInvalid).expect("corrections-invalid");
    assert_eq!(&*d.span.file, "corrections.json");
    assert_eq!(std::fs::read_to_string(out.join("mod.rs")).unwrap(), "// @generated earlier\n");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
}

#[test]
fn root_manifest_declares_the_generated_features() {
    let g = generate(docs());
    let table = msgraph_gen::features_toml(&g.features);
    assert_eq!(table, "[features]\ndefault = [\"client\", \"cloud-communications\"]\nclient = [\"msgraph-runtime/client\"]\ncloud-communications = []\n");
    let manifest = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml")).unwrap();
    assert!(manifest.contains(&table), "Cargo.toml must declare:\n{table}");
}

#[test]
fn areas_gate_items_and_operations_pull_in_the_areas_they_use() {
    let page = |path: &str, text: &str| SourceFile { path: path.into(), bytes: text.as_bytes().to_vec() };
    let res = |name: &str, area: &str, props: &str| {
        format!("---\nms.prod: {area}\ndoc_type: resourcePageType\n---\n# {name} resource type\n\nNamespace: microsoft.graph\n\n## Properties\n\n|Property|Type|Description|\n|:--|:--|:--|\n{props}")
    };
    let g = generate(vec![
        page("resources/base.md", &res("base", "", "|id|String||\n")),
        page("resources/mail.md", &res("mail", "outlook", "|id|String||\n|owner|[person](person.md)||\n|base|[base](base.md)||\n")),
        page("resources/person.md", &res("person", "users", "|name|String||\n")),
        page("resources/special.md", &format!("{}\nInherits from [base](base.md).\n", res("special", "teams", "|x|Int32||\n"))),
        page("api/mail-get.md", "---\nms.prod: outlook\ndoc_type: apiPageType\n---\n# Get\n\n## HTTP request\n\n```http\nGET /people/{id}\n```\n\n## Response\n\nReturns `200 OK` and a [person](../resources/person.md).\n"),
    ]);
    let deps: Vec<(String, Vec<String>)> = g.features.iter().map(|(k, v)| (k.clone(), v.iter().cloned().collect())).collect();
    assert_eq!(deps, [("outlook".into(), vec!["users".into()]), ("teams".into(), vec![]), ("users".into(), vec![])]);
    let models = &joined(&g, "models/graph/");
    // An area's file is gated once, on its `include!`.
    assert!(models.contains("/// `microsoft.graph.mail`"), "{models}");
    assert!(g.files["models/graph.rs"].contains("#[cfg(feature = \"outlook\")]\ninclude!(\"graph/outlook.rs\");"));
    // A field typed by another area exists only with that area too.
    assert!(models.contains("#[cfg(feature = \"users\")]\n    /// `owner`"), "{models}");
    // The common base and its polymorphic enum are not gated; the derived variant is.
    assert!(models.contains("pub enum BaseKind {\n    Base(Base),\n    #[cfg(feature = \"teams\")]\n    Special(Special),"), "{models}");
    // The operation needs its own area and the area of the type it returns.
    assert!(g.files["requests/people.rs"].contains("#[cfg(all(feature = \"outlook\", feature = \"users\"))]"));
    // One file per area, included by the namespace module.
    assert!(g.files["models/graph.rs"].contains("include!(\"graph/outlook.rs\");"));
    assert!(g.files.contains_key("models/graph/common.rs") && g.files.contains_key("models/graph/teams.rs"));
}

#[cfg(unix)]
#[test]
fn symlinked_pages_are_read_and_link_loops_end() {
    let dir = tempfile::tempdir().unwrap();
    let docs_dir = dir.path().join("docs");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(docs_dir.join("resources")).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("thing.md"), "# thing resource type\n\n## Properties\n\n|Property|Type|Description|\n|:--|:--|:--|\n|id|String||\n").unwrap();
    std::os::unix::fs::symlink(elsewhere.join("thing.md"), docs_dir.join("resources/thing.md")).unwrap();
    std::os::unix::fs::symlink(&docs_dir, docs_dir.join("resources/loop")).unwrap();
    let files = read_docs(&docs_dir).unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["resources/thing.md"]);
    assert!(generate(files).api.id("microsoft.graph.thing").is_some());
}

/// Generated files change only when the API does: doc comments name the page but
/// not the line, so lines added elsewhere in a page (here a comment after the
/// front matter of every page, which moves every later line) change no byte.
#[test]
fn moving_lines_in_the_docs_changes_no_generated_byte() {
    let before = generate(docs());
    let shifted: Vec<SourceFile> = docs()
        .into_iter()
        .map(|mut f| {
            if f.path.ends_with(".md") {
                let text = String::from_utf8(f.bytes).unwrap();
                let end = text[3..].find("\n---\n").map(|i| i + 3 + 5).expect("front matter");
                f.bytes = format!("{}\n<!-- a reviewer's note -->\n\n{}", &text[..end], &text[end..]).into_bytes();
            }
            f
        })
        .collect();
    let after = generate(shifted);
    assert_ne!(diagnostics_text(&before), diagnostics_text(&after), "the diagnostics do carry the moved lines");
    assert_eq!(before.files, after.files);
}

/// Generated code names the runtime by the configured path, everywhere: types,
/// serde (through the runtime's re-export, derives included), http, macros and
/// doc links; a path that is not a Rust path is refused with a clear error.
#[test]
fn runtime_path_is_configurable() {
    let default = msgraph_gen::Config::new().docs_dir("../docs").run().unwrap();
    let custom = msgraph_gen::Config::new().docs_dir("../docs").runtime_path("crate::rt").run().unwrap();
    let all = |g: &Generated| g.files.values().cloned().collect::<Vec<_>>().join("\n");
    let (default, custom) = (all(&default), all(&custom));
    assert!(!default.contains("crate::rt"));
    for needle in [
        "::msgraph_runtime::Request<",
        "::msgraph_runtime::model!",
        "::msgraph_runtime::reserialize!",
        "::msgraph_runtime::http::Method::POST",
        "::msgraph_runtime::string_enum!",
        "(msgraph_runtime::Response::location)",
    ] {
        assert!(default.contains(needle), "default output lacks {needle}");
    }
    assert!(!custom.contains("msgraph_runtime"), "a custom path leaves no trace of the default");
    for needle in [
        "crate::rt::Request<",
        "crate::rt::model!",
        "crate::rt::reserialize!",
        "crate::rt::http::Method::POST",
        "crate::rt::string_enum!",
        "(crate::rt::Response::location)",
    ] {
        assert!(custom.contains(needle), "custom output lacks {needle}");
    }
    // Nothing names serde, serde_json or http as a crate of its own.
    for bare in ["::serde::", "::serde_json::", " ::http::"] {
        assert!(!default.replace("::msgraph_runtime::serde", "").replace("::msgraph_runtime::http", "").contains(bare), "{bare} is named directly");
    }
    let err = msgraph_gen::Config::new().docs_dir("../docs").runtime_path("not a path").run().unwrap_err();
    assert!(matches!(err, msgraph_gen::Error::RuntimePath { .. }), "{err}");
    assert!(err.to_string().contains("invalid runtime path \"not a path\""), "{err}");
}

/// Unformatted output (`Config::format(false)`, what `Config::compile` writes into
/// `OUT_DIR`) is the same code: every file parses and formats to the formatted file.
#[test]
fn unformatted_output_is_the_same_code() {
    let formatted = msgraph_gen::Config::new().docs_dir("../docs").run().unwrap();
    let unformatted = msgraph_gen::Config::new().docs_dir("../docs").format(false).run().unwrap();
    assert_eq!(formatted.files.keys().collect::<Vec<_>>(), unformatted.files.keys().collect::<Vec<_>>());
    for (path, text) in &unformatted.files {
        let body = text.strip_prefix(msgraph_gen::internals::HEADER).expect("the header comes first");
        let want = formatted.files[path].strip_prefix(msgraph_gen::internals::HEADER).unwrap().trim_start_matches('\n');
        let file: syn::File = syn::parse_str(body).unwrap_or_else(|e| panic!("{path}: unformatted code does not parse: {e}"));
        // The same code: formatted output lays out the runtime macros' tables by
        // hand, so the two are compared as prettyplease prints their syntax trees.
        let formatted_file: syn::File = syn::parse_str(want).unwrap_or_else(|e| panic!("{path}: formatted code does not parse: {e}"));
        assert_eq!(prettyplease::unparse(&file), prettyplease::unparse(&formatted_file), "{path}");
        if path.starts_with("models/graph/") {
            // Doc comments stay attributes: prettyplease did not print the file.
            assert!(body.contains("#[doc = \"") && !want.contains("#[doc = \""), "{path} is not left unformatted");
        }
    }
}

/// The CLI reads the docs once and renders diagnostics against the same files:
/// `Config::run_on` generates from files already read and never reads its docs
/// directory (here one that does not exist).
#[test]
fn run_on_generates_from_files_already_read() {
    let files = docs();
    let on = msgraph_gen::Config::new().docs_dir("no/such/docs").run_on(&msgraph_gen::SourceMap::new(files.clone())).expect("generates from the given files");
    let read = generate(files.clone());
    assert_eq!(on.files, read.files);
    assert_eq!(on.diagnostics.len(), read.diagnostics.len());
    assert!(msgraph_gen::Config::new().docs_dir("no/such/docs").run().is_err(), "run() reads the directory");
}

/// The request surface's naming rules (README, "Requests: the URL as Rust"), on
/// small pages: operations by HTTP method, actions and functions on the node before
/// them, one operation for several pages, overloaded names, `/me`, typed options.
#[test]
fn requests_are_named_by_their_path_and_what_they_do() {
    let page = |path: &str, text: &str| SourceFile { path: path.into(), bytes: text.as_bytes().to_vec() };
    let api = |title: &str, line: &str, response: &str, extra: &str| {
        format!("---\ndoc_type: apiPageType\n---\n# {title}\n\nNamespace: microsoft.graph\n\n## HTTP request\n\n```http\n{line}\n```\n{extra}\n## Response\n\n{response}\n")
    };
    let one = "If successful, this method returns a `200 OK` response code and a [thing](../resources/thing.md) object in the response body.";
    let many = "If successful, this method returns a `200 OK` response code and a collection of [thing](../resources/thing.md) objects in the response body.";
    let none = "If successful, this method returns `204 No Content` response code.";
    let odata = "## Optional query parameters\n\nThis method supports the [OData query parameters](https://x) to help customize the response.\n";
    let eventual = "## Optional query parameters\n\nThis method supports the `$search` and `$count` query parameters.\n\n## Request headers\n\n| Header | Value |\n|:--|:--|\n| ConsistencyLevel | eventual. Required with `$search` and `$count`. |\n| Prefer | return=minimal |\n";
    let g = generate(vec![
        page("resources/entity.md", "---\ndoc_type: resourcePageType\n---\n# entity resource type\n\nNamespace: microsoft.graph\n\n## Properties\n\n|Property|Type|Description|\n|:--|:--|:--|\n|id|String||\n"),
        page("resources/thing.md", "---\ndoc_type: resourcePageType\n---\n# thing resource type\n\nNamespace: microsoft.graph\n\n## Properties\n\n|Property|Type|Description|\n|:--|:--|:--|\n|id|String||\n|displayName|String||\n\nInherits from [entity](entity.md).\n"),
        page("api/thing-list.md", &api("List things", "GET /things\nGET /me/things", many, odata)),
        page("api/thing-search.md", &api("Search things", "GET /things/{id}/children", many, eventual)),
        page("api/thing-get.md", &api("Get thing", "GET /things/{thing-id}", one, "")),
        page("api/thing-get-again.md", &api("Get thing (again)", "GET /things/{id}", one, "")),
        // One use of `GET /things/{id}` (a query string on the request line), answered
        // by another type: it does not change the operation's response type.
        page("resources/note.md", "---\ndoc_type: resourcePageType\n---\n# note resource type\n\nNamespace: microsoft.graph\n\n## Properties\n\n|Property|Type|Description|\n|:--|:--|:--|\n|text|String||\n\nInherits from [entity](entity.md).\n"),
        page("api/note-get.md", &api("Get note", "GET /things/{id}?$expand=notes", "If successful, this method returns a `200 OK` response code and a [note](../resources/note.md) object in the response body.", "")),
        page("api/thing-post.md", &api("Create thing", "POST /things", one, "")),
        page("api/thing-archive.md", &api("Archive thing", "POST /things/{id}/archive", none, "")),
        page("api/thing-stats-period.md", &api("Stats by period", "GET /things/getStats(period='{period}')", one, "")),
        page("api/thing-stats-date.md", &api("Stats by date", "GET /things/getStats(date={date})", one, "")),
    ]);
    // Compared without whitespace, so that formatting does not matter.
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    let requests = squash(&joined(&g, "requests"));
    for want in [
        "pub fn things() -> Things",
        // `/me` is `/users/{id}`: its node's type, under `/me`.
        "pub fn me() -> UsersItem",
        "UsersItem(::msgraph_runtime::Path::root().segment(\"me\"))",
        "pub fn list(",
        "pub fn create(",
        "pub fn by_id(&self, id: &str) -> ThingsItem",
        "pub fn get(",
        // An action on the item node, by its own name.
        "pub fn archive(",
        // Overloads: the first by path keeps the name, the other gets its argument's.
        "pub fn get_stats(&self, date: &str",
        "pub fn get_stats_period(&self, period: &str",
        ".function(\"getStats\", &[(\"period\", \"\", true, period)])",
        // All eight options for "supports the OData query parameters", with the
        // resource's property names: the runtime's shared marker.
        "::msgraph_runtime::Query<::msgraph_runtime::Page<super::models::graph::Thing>, ::msgraph_runtime::Standard<super::models::graph::Thing>",
        // `$search` and `$count` need `ConsistencyLevel: eventual`; `Prefer` is typed.
        "impl ::msgraph_runtime::Search for ThingsItemChildrenListOptions {\n    const EVENTUAL: bool = true;",
        "impl ::msgraph_runtime::Count for ThingsItemChildrenListOptions {\n    const EVENTUAL: bool = true;",
        "impl ::msgraph_runtime::Prefer for ThingsItemChildrenListOptions {}",
        "impl ::msgraph_runtime::ConsistencyLevel for ThingsItemChildrenListOptions {}",
    ] {
        assert!(requests.contains(&squash(want)), "missing `{want}` in:\n{}", joined(&g, "requests"));
    }
    // Only what the pages document: no `$top` on the children; on the get, only the
    // `$expand` that a request line of one of its pages uses (`?$expand=notes`).
    assert!(!requests.contains("TopforThingsItemChildrenListOptions"), "{requests}");
    assert!(requests.contains(&squash("-> ::msgraph_runtime::Query<super::models::graph::Thing, ThingsItemGetOptions>")), "{requests}");
    assert!(requests.contains(&squash("impl ::msgraph_runtime::Expand for ThingsItemGetOptions")), "{requests}");
    assert_eq!(requests.matches("forThingsItemGetOptions").count(), 1, "{requests}");
    // One operation for the two pages of `GET /things/{id}`, documented by the first.
    assert_eq!(requests.matches("pubfnget(").count(), 1, "{requests}");
    assert!(requests.contains(&squash("Source: `api/thing-get-again.md`. Also documented by `api/note-get.md`, `api/thing-get.md`.")), "{requests}");
    let collisions: Vec<String> =
        g.diagnostics.iter().filter(|d| d.code == Code::OperationCollision).map(|d| format!("{}:{}", d.span.file, d.span.line())).collect();
    assert_eq!(collisions.len(), 2, "{}", diagnostics_text(&g));
    assert!(g.diagnostics.iter().any(|d| d.code == Code::OperationCollision && d.message.contains("named `get_stats_period`")), "{}", diagnostics_text(&g));
    assert!(
        g.diagnostics.iter().any(|d| d.code == Code::OperationCollision && d.message.contains("3 request lines document `GET /things/")),
        "{}",
        diagnostics_text(&g)
    );
}

/// The round-trip runner's `examples.json` names each example's type as inference
/// resolves it: in the model's spelling (here the resource page's), whatever case
/// the example's annotation uses, a simple name in the default namespace.
#[test]
fn roundtrip_examples_name_types_as_inference_resolves_them() {
    let resource = "---\ndoc_type: resourcePageType\n---\n# domainDnsRecord resource type\n\nNamespace: microsoft.graph\n\n## Properties\n\n|Property|Type|Description|\n|:--|:--|:--|\n|id|String||\n";
    let api = |name: &str, ty: &str| {
        format!("---\ndoc_type: apiPageType\n---\n# Get record\n\n## HTTP request\n\n```http\nGET /{name}/{{id}}\n```\n\n## Response\n\n<!-- {{ \"blockType\": \"request\", \"name\": \"{name}\" }} -->\n```http\nGET https://graph.microsoft.com/v1.0/{name}/1\n```\n\n<!-- {{ \"blockType\": \"response\", \"@odata.type\": \"{ty}\" }} -->\n```http\nHTTP/1.1 200 OK\n\n{{\"id\": \"1\"}}\n```\n")
    };
    let page = |path: &str, text: &str| SourceFile { path: path.into(), bytes: text.as_bytes().to_vec() };
    let g = generate(vec![
        page("resources/domaindnsrecord.md", resource),
        page("api/a-get.md", &api("a", "microsoft.graph.DomainDnsRecord")),
        page("api/b-get.md", &api("b", "DOMAINDNSRECORD")),
        page("api/c-get.md", &api("c", "#microsoft.graph.domainDnsRecord")),
    ]);
    let mut tree = BTreeMap::new();
    msgraph_gen::add_roundtrip(&mut tree, "t", &g);
    let items: serde_json::Value = serde_json::from_str(&tree["examples.json"]).unwrap();
    let types: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["microsoft.graph.domainDnsRecord"; 3]);
}

/// A docs tree in today's format (issue 25): a slice of cloud communications with
/// enums in page sections and on an enums page, `ms.subservice` for the area,
/// includes, alerts, tabs, deprecated properties, every sign of a base type and
/// evolvable enums. It generates with no warning, every enum typed (no property is
/// raw JSON), every type in the area's Cargo feature, and every base found.
#[test]
fn todays_docs_generate_without_warnings_every_enum_typed_every_feature_assigned() {
    use msgraph_gen::Severity;
    let g = generate(fixture("today"));
    let warnings: Vec<String> = g.diagnostics.iter().filter(|d| d.severity != Severity::Note).map(|d| d.to_string()).collect();
    assert!(warnings.is_empty(), "{}", warnings.join("\n"));
    // The one note: the base the examples show.
    assert_eq!(g.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), [Code::BaseFromExamples]);
    let api = &g.api;
    let mut enums = 0;
    for t in api.types() {
        assert_eq!(t.area.as_deref(), Some("cloud-communications"), "{} has no area", t.full_name);
        match &t.kind {
            TypeKind::Struct { properties, .. } => {
                for p in properties {
                    assert!(!matches!(p.ty.element(), TypeRef::Prim(Prim::Json)), "{}.{} is raw JSON", t.full_name, p.wire);
                }
            }
            TypeKind::Enum { members, .. } => {
                enums += 1;
                assert!(!members.is_empty(), "{}", t.full_name);
            }
        }
    }
    assert_eq!(enums, 7, "onlineMeetingPresenters, meetingChatMode and the five of the enums page");
    assert_eq!(g.features.keys().cloned().collect::<Vec<_>>(), ["cloud-communications"]);
    // Every model file is in the feature's file: nothing common.
    assert!(g.files.keys().filter(|p| p.starts_with("models/") && p.ends_with("/common.rs")).count() == 0, "{:?}", g.files.keys().collect::<Vec<_>>());
    // Bases, by every sign.
    let base = |t: &str| api.id(&format!("microsoft.graph.{t}")).and_then(|id| api.base_of(id)).map(|b| api.name(b).to_string());
    for (t, b) in [
        ("callRecording", "entity"),
        ("call", "entity"),
        ("playPromptOperation", "commsOperation"),
        ("recordOperation", "commsOperation"),
        ("cancelMediaProcessingOperation", "commsOperation"),
        ("muteParticipantOperation", "commsOperation"),
    ] {
        assert_eq!(base(t).as_deref(), Some(format!("microsoft.graph.{b}").as_str()), "{t}");
    }
    // Deprecated properties keep their wire names; evolvable members are marked.
    let meeting = api.all_properties(api.id("microsoft.graph.onlineMeeting").unwrap());
    let deprecated: Vec<&str> = meeting.iter().filter(|p| p.deprecated.is_some()).map(|p| p.wire.as_str()).collect();
    assert_eq!(deprecated, ["attendeeReport", "isBroadcast"]);
    match &api.named("microsoft.graph.callState").unwrap().kind {
        TypeKind::Enum { members, .. } => assert_eq!(members.iter().filter(|m| m.evolvable).map(|m| m.wire.as_str()).collect::<Vec<_>>(), ["transferAccepted"]),
        k => panic!("{k:?}"),
    }
    match &api.named("microsoft.graph.toneSignal").unwrap().kind {
        TypeKind::Enum { members, .. } => assert_eq!(members.iter().map(|m| m.value).collect::<Vec<_>>(), [Some(-1), Some(0), Some(1)]),
        k => panic!("{k:?}"),
    }
    // Both API pages are operations; no include or alert became anything.
    let mut ops: Vec<String> = api.operations.iter().map(|o| format!("{} {}", o.method, o.path_template())).collect();
    ops.sort();
    assert_eq!(ops, ["GET /communications/calls/{id}", "GET /me/onlineMeetings/{meetingId}"]);
}
