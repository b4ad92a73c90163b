//! A catalogue of bad inputs: one small docs directory per case under
//! tests/fixtures/bad/<case>/, and the exact diagnostic (code, file, line and
//! column) each must produce. Generation may succeed or fail; either way it must
//! give diagnostics, never panic, overflow the stack or hang.
//!
//! Three cases are completed at run time in a temporary copy: `huge-table` and
//! `huge-example` (a property row, and an example line, repeated 20,000 times) and
//! `symlink-loop` (git does not keep symbolic link loops well).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use msgraph_gen::{generate_sources, read_docs, Code, Diagnostic, Error};

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
    /// The one diagnostic with this code that the case must produce: (code, file, line, col).
    expect: (Code, &'static str, u32, u32),
}

const fn case(name: &'static str, code: Code, file: &'static str, line: u32, col: u32) -> Case {
    Case { name, setup: Setup::AsIs, expect: (code, file, line, col) }
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
    Case { name: "huge-table", setup: Setup::HugeTable, expect: (Code::TableRagged, "resources/widget.md", 20016, 1) },
    // 20,000 example properties: the conflict after them is still found (it took 13 s
    // in a release build while example keys were located and matched quadratically).
    Case { name: "huge-example", setup: Setup::HugeExample, expect: (Code::TypeConflict, "api/widget-get.md", 20041, 3) },
    case("ragged-table", Code::TableRagged, "resources/widget.md", 17, 1),
    case("front-matter-malformed", Code::FrontMatter, "resources/widget.md", 4, 1),
    case("front-matter-unclosed", Code::FrontMatter, "resources/widget.md", 1, 1),
    // API pages.
    case("path-mismatch", Code::PathMismatch, "api/widget-get.md", 16, 1),
    case("method-mismatch", Code::MethodMismatch, "api/widget-update.md", 29, 1),
    case("api-page-no-http-request", Code::NoHttpRequest, "api/widget-get.md", 1, 1),
    case("operation-name-collision", Code::NameCollision, "api/widget_get.md", 16, 1),
    // Types.
    case("type-conflict", Code::TypeConflict, "api/widget-get.md", 41, 3),
    case("enum-conflict", Code::EnumConflict, "resources/widget.md", 17, 11),
    case("placeholder-for-enum", Code::PlaceholderValue, "api/widget-get.md", 41, 3),
    case("unknown-property", Code::UnknownProperty, "api/widget-get.md", 42, 3),
    case("unresolved-type", Code::UnresolvedType, "resources/widget.md", 17, 3),
    case("unknown-base-type", Code::UnknownBaseType, "resources/widget.md", 10, 1),
    case("inheritance-cycle", Code::InheritanceCycle, "resources/alpha.md", 10, 1),
    case("duplicate-definition", Code::DuplicateDefinition, "resources/widget.md", 6, 1),
    case("property-name-collision", Code::NameCollision, "resources/widget.md", 18, 3),
    case("type-name-collision", Code::NameCollision, "resources/foo_bar.md", 6, 1),
    case("enum-member-collision", Code::NameCollision, "resources/enums.md", 15, 3),
    case("resource-page-no-type", Code::PageSkipped, "resources/widget.md", 1, 1),
    case("untyped-value", Code::UntypedValue, "resources/widget.md", 17, 11),
    case("representation-invalid-json", Code::JsonInvalid, "resources/widget.md", 26, 3),
    // The docs directory.
    Case { name: "symlink-loop", setup: Setup::SymlinkLoop, expect: (Code::PageSkipped, "resources/widget.md", 1, 1) },
    case("corrections-malformed", Code::CorrectionsInvalid, "corrections.json", 4, 5),
    case("corrections-not-utf8", Code::CorrectionsInvalid, "corrections.json", 1, 1),
    case("correction-unused", Code::CorrectionUnused, "corrections.json", 4, 15),
];

/// Per case, in a debug build on a busy 2-core machine. `huge-table` takes about
/// 5 s there; it took 28 s while `Api::all_properties` was quadratic.
const TIME_LIMIT: Duration = Duration::from_secs(15);

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

fn generate(dir: &Path) -> Vec<Diagnostic> {
    match generate_sources(read_docs(dir).expect("case dir readable")) {
        Ok(g) => g.diagnostics,
        Err(Error::Failed { diagnostics }) => diagnostics,
        Err(e) => panic!("{}: unexpected error {e}", dir.display()),
    }
}

fn listing(diags: &[Diagnostic]) -> String {
    diags.iter().map(|d| format!("    {}", d.to_string().replace('\n', "\n    "))).collect::<Vec<_>>().join("\n")
}

fn check(case: &Case) -> Result<(), String> {
    let (dir, _guard) = prepare(case);
    let started = Instant::now();
    let diags = generate(&dir);
    let took = started.elapsed();
    let (code, file, line, col) = case.expect;
    let with_code: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == code).collect();
    if took > TIME_LIMIT {
        return Err(format!("{}: took {took:?}", case.name));
    }
    match with_code.as_slice() {
        [d] if &*d.span.file == file && (d.span.line, d.span.col) == (line, col) && d.severity == code.severity() => Ok(()),
        _ => Err(format!("{}: expected exactly one {code} at {file}:{line}:{col}, got:\n{}", case.name, listing(&diags))),
    }
}

#[test]
fn every_bad_input_gives_its_diagnostic() {
    let failures: Vec<String> = CASES.iter().filter_map(|c| check(c).err()).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n"));
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
