//! `msgraph-gen diff` and the API surface build.rs keeps: one fixture pair per class
//! of change (`tests/fixtures/diff/base` against `tests/fixtures/diff/<case>`).

use std::path::{Path, PathBuf};
use std::process::Command;

use msgraph_gen::diff::{diff, ChangeKind, Diff, Item, Surface, SURFACE_FILE};
use msgraph_gen::{infer_api, read_docs, Config};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff")
}

fn surface(dir: &Path) -> Surface {
    Surface::of(&infer_api(read_docs(dir).expect("fixture readable")).0)
}

fn case(name: &str) -> Diff {
    diff(&surface(&fixtures().join("base")), &surface(&fixtures().join(name)))
}

/// A change as `(kind, item, name, breaking)`.
type Row<'a> = (ChangeKind, Item, &'a str, bool);

fn changes(d: &Diff) -> Vec<Row<'_>> {
    d.changes.iter().map(|c| (c.kind, c.item, c.name.as_str(), c.breaking)).collect()
}

use ChangeKind::*;
use Item::*;

#[test]
fn base_against_itself_is_empty() {
    let d = case("base");
    assert!(d.is_empty() && !d.is_breaking());
    assert_eq!(d.summary(), "no API changes");
}

#[test]
fn every_class_is_classified() {
    let expected: &[(&str, &[Row])] = &[
        ("property-added", &[(Added, Property, "graph::Note.body", false)]),
        ("property-removed", &[(Removed, Property, "graph::Note.title", true)]),
        ("property-retyped", &[(Changed, Property, "graph::Note.title", true)]),
        ("member-added", &[(Added, Member, "graph::Color::Green", false)]),
        ("member-removed", &[(Removed, Member, "graph::Color::Blue", true)]),
        ("type-added", &[(Added, Type, "graph::Folder", false)]),
        ("type-removed", &[(Removed, Property, "graph::Note.tag", true), (Removed, Type, "graph::Tag", true)]),
        // The field that held the struct now holds the `<Type>Kind` enum.
        ("type-polymorphic", &[(Changed, Property, "graph::Note.tag", true), (Changed, Type, "graph::Tag", true), (Added, Type, "graph::SmartTag", false)]),
        // Operations are keyed by their Rust call: a changed path or method is
        // another operation (the old one removed: breaking).
        ("operation-added", &[(Added, Operation, "requests::notes().by_id(..).update", false)]),
        ("operation-removed", &[(Removed, Operation, "requests::notes().by_id(..).delete", true)]),
        (
            "path-changed",
            &[(Removed, Operation, "requests::notes().by_id(..).get", true), (Added, Operation, "requests::users().by_id(..).notes().by_id(..).get", false)],
        ),
        ("parameter-renamed", &[(Changed, Operation, "requests::notes().by_id(..).get", false)]),
        (
            "parameter-added",
            &[
                (Removed, Operation, "requests::notes().by_id(..).get", true),
                (Added, Operation, "requests::notebooks().by_id(..).notes().by_id(..).get", false),
            ],
        ),
        ("response-changed", &[(Changed, Operation, "requests::notes().by_id(..).get", true)]),
        (
            "method-changed",
            &[(Removed, Operation, "requests::notes().by_id(..).delete", true), (Added, Operation, "requests::notes().by_id(..).create", false)],
        ),
    ];
    for (name, want) in expected {
        let d = case(name);
        assert_eq!(changes(&d), *want, "{name}:\n{}", d.render_text());
        assert_eq!(d.is_breaking(), want.iter().any(|c| c.3), "{name}");
    }
    // Every fixture directory is a case of this table.
    let mut dirs: Vec<String> = std::fs::read_dir(fixtures()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    dirs.sort();
    let mut names: Vec<String> = expected.iter().map(|(n, _)| n.to_string()).chain(["base".to_string()]).collect();
    names.sort();
    assert_eq!(dirs, names);
}

/// The base fixture with each page edited by `edit(path, text)`.
fn edited(edit: impl Fn(&str, String) -> String) -> Surface {
    let files = read_docs(&fixtures().join("base"))
        .expect("fixture readable")
        .into_iter()
        .map(|mut f| {
            f.bytes = edit(&f.path, String::from_utf8(f.bytes).unwrap()).into_bytes();
            f
        })
        .collect();
    Surface::of(&infer_api(files).0)
}

/// Every page of the base fixture in the docs area `area` (`ms.prod`).
fn in_area(area: &'static str) -> Surface {
    edited(move |_, text| text.replacen("---\n", &format!("---\nms.prod: {area}\n"), 1))
}

/// Rule: Cargo features are compared by feature name, not by the docs' spelling of
/// the area: `Intune` and `intune` are the feature `intune`; another feature is a
/// breaking change of every type and operation that needs it.
#[test]
fn areas_compare_as_cargo_features() {
    assert!(diff(&in_area("Intune"), &in_area("intune")).is_empty());
    assert!(diff(&in_area("Microsoft Teams"), &in_area("microsoft-teams")).is_empty());
    let d = diff(&surface(&fixtures().join("base")), &in_area("Intune"));
    assert!(d.changes.iter().all(|c| c.kind == Changed && c.breaking), "{}", d.render_text());
    let note = d.changes.iter().find(|c| c.name == "graph::Note").expect("the type's feature changed");
    assert_eq!(note.detail, "feature none -> intune");
    let get = d.changes.iter().find(|c| c.name == "requests::notes().by_id(..).get").expect("the operation's features changed");
    assert_eq!(get.detail, "features [] -> [intune]");
}

/// Rule: fields compare by their Rust types: docs spellings of one Rust type
/// (`Decimal` and `Double` are both `f64`; `Stream` and `String` both `String`) are
/// no change, another Rust type is breaking.
#[test]
fn fields_compare_as_rust_types() {
    let typed = |ty: &'static str| {
        edited(move |path, text| if path.ends_with("note.md") { text.replace("| title | String |", &format!("| title | {ty} |")) } else { text })
    };
    assert!(diff(&typed("Decimal"), &typed("Double")).is_empty());
    assert!(diff(&typed("Stream"), &typed("String")).is_empty());
    let d = diff(&typed("Double"), &typed("Int64"));
    assert_eq!(changes(&d), [(Changed, Property, "graph::Note.title", true)]);
    assert_eq!(d.changes[0].detail, "f64 -> i64");
}

#[test]
fn details_say_what_changed() {
    let d = case("property-retyped");
    assert_eq!(d.changes[0].detail, "String -> i32");
    // The property's own row: in the new docs, or in the old docs for a removal.
    assert_eq!(d.changes[0].at.as_deref(), Some("resources/note.md:17"));
    assert_eq!(case("property-removed").changes[0].at.as_deref(), Some("resources/note.md:17"));
    assert_eq!(case("property-added").changes[0].at.as_deref(), Some("resources/note.md:20"));
    // A renamed parameter is the same call (`.by_id(..)`): a change, not breaking.
    assert_eq!(case("parameter-renamed").changes[0].detail, "path /notes/{note-id} -> /notes/{id}");
    let d = case("parameter-added");
    assert_eq!(d.changes[0].detail, "GET /notes/{note-id} removed");
    assert_eq!(d.changes[1].detail, "GET /notebooks/{notebook-id}/notes/{note-id} added");
    let d = case("type-polymorphic");
    assert_eq!(d.changes[0].detail, "Box<graph::Tag> -> Box<graph::TagKind>");
    assert!(d.changes[1].detail.contains("<Type>Kind"));
}

#[test]
fn the_surface_file_round_trips_and_is_order_independent() {
    let s = surface(&fixtures().join("base"));
    let text = s.to_json();
    assert_eq!(Surface::from_json(&text).unwrap().to_json(), text);
    // Same docs in any file order: same bytes.
    let mut files = read_docs(&fixtures().join("base")).unwrap();
    files.reverse();
    assert_eq!(Surface::of(&infer_api(files).0).to_json(), text);
    // Positions are not recorded, so moving text on a page does not change the file.
    assert!(!text.contains("note.md"), "{text}");
}

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_msgraph-gen")).args(args).current_dir(fixtures()).output().unwrap()
}

#[test]
fn cli_exit_status_and_formats() {
    let out = cli(&["diff", "base", "property-added"]);
    assert_eq!(out.status.code(), Some(0), "nothing breaking: exit 0");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("added property graph::Note.body: field of type String added"), "{text}");

    let out = cli(&["diff", "base", "type-removed", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "something breaking: exit 1");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["breaking"], true);
    assert_eq!(json["counts"]["breaking"], 2);
    assert_eq!(json["counts"]["by_item"]["type removed"]["breaking"], 1);
    assert_eq!(json["changes"][1]["item"], "type");
    assert_eq!(json["changes"][1]["kind"], "removed");
    assert_eq!(json["changes"][1]["name"], "graph::Tag");

    let out = cli(&["diff", "base", "no-such-dir"]);
    assert_eq!(out.status.code(), Some(2), "an error: exit 2");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-dir"));
}

/// What build.rs reports: `Config::generate` diffs against the surface file the
/// previous run left, and a run that changes nothing rewrites nothing.
#[test]
fn generate_reports_api_changes_since_the_last_run() {
    let out = tempfile::tempdir().unwrap();
    let first = Config::new().docs_dir(fixtures().join("base")).out_dir(out.path()).generate().unwrap();
    assert!(first.api_diff.is_none(), "no previous surface");
    assert!(first.written.contains(&SURFACE_FILE.to_string()));

    let again = Config::new().docs_dir(fixtures().join("base")).out_dir(out.path()).generate().unwrap();
    assert!(again.written.is_empty(), "a no-op run writes nothing: {:?}", again.written);
    assert!(again.api_diff.as_ref().is_some_and(Diff::is_empty));

    let changed = Config::new().docs_dir(fixtures().join("member-removed")).out_dir(out.path()).generate().unwrap();
    let d = changed.api_diff.expect("previous surface read");
    assert!(d.is_breaking());
    assert_eq!(d.summary(), "1 breaking, 0 other API change(s): member removed 1 (1 breaking)");
    assert!(changed.written.contains(&SURFACE_FILE.to_string()));

    // check() sees a stale surface file.
    std::fs::write(out.path().join(SURFACE_FILE), "{}").unwrap();
    assert!(Config::new().docs_dir(fixtures().join("member-removed")).out_dir(out.path()).check().is_err());
}
