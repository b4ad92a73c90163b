//! "Your own build.rs" (README.md), end to end: the fixture crate in
//! `tests/fixtures/build-rs` (a user's crate with its own `docs/`, outside this
//! workspace) calls `msgraph_gen::Config::compile` from its build.rs and
//! `include!`s the result. A nested cargo builds a copy of it three times: the
//! first build (the docs' warnings arrive as `cargo:warning` lines, file:line:col
//! first), a no-op rebuild (nothing reruns, nothing recompiles), and a build after a
//! docs edit (the generated API changes). Dependencies resolve offline from the
//! workspace lock file. The builds leave out the `client` feature (reqwest,
//! rustls, tokio), which the build.rs flow does not touch and which would make
//! this test several times slower.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == "Cargo.lock" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(&name));
        } else {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

fn try_cargo(dir: &Path, target: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .args(args)
        .args(["--offline", "-v", "--no-default-features", "--features", "widgets"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

fn cargo(dir: &Path, target: &Path, args: &[&str]) -> Output {
    let out = try_cargo(dir, target, args);
    assert!(out.status.success(), "cargo {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_user_build_rs_generates_into_out_dir_reruns_only_on_docs_changes_and_reports_warnings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let target: PathBuf = tmp.join("build-rs").join("target");
    let dir = tmp.join("build-rs").join("widgets");
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root.join("tests/fixtures/build-rs"), &dir);
    // The crate depends on the runtime and the generator by path; point the paths
    // at this checkout from the copy.
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let manifest = manifest.replace("../../../", &format!("{}/", root.display()));
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();

    // First build: the script runs and the docs' defect arrives as a cargo warning
    // that starts with the file, line and column of the offending example value.
    let first = cargo(&dir, &target, &["build"]);
    let err = text(&first.stderr);
    let page = std::fs::read_to_string(dir.join("docs/api/widget-get.md")).unwrap();
    let (line, col) =
        page.lines().enumerate().find_map(|(i, l)| l.find("\"shade\": \"String\"").map(|c| (i + 1, c + 1))).expect("the fixture's example has a placeholder");
    let expected = format!("warning: widgets@0.1.0: docs/api/widget-get.md:{line}:{col}: warning[placeholder-value]");
    assert!(err.contains(&expected), "expected `{expected}` in:\n{err}");
    assert!(!err.contains("does not declare the features"), "the fixture declares the generated features:\n{err}");
    let exe = target.join("debug").join(format!("widgets{}", std::env::consts::EXE_SUFFIX));
    let run = |what: &str| {
        let out = Command::new(&exe).output().unwrap();
        assert!(out.status.success(), "{what}");
        text(&out.stdout)
    };
    assert_eq!(run("first build"), "shades: light,dark\nrequest: GET /widgets/w%201\n");

    // No-op rebuild: nothing reruns, nothing recompiles.
    let again = text(&cargo(&dir, &target, &["build"]).stderr);
    assert!(again.contains("Fresh widgets v0.1.0"), "{again}");
    assert!(!again.contains("Compiling widgets") && !again.contains("build-script-build`"), "a no-op build reran something:\n{again}");

    // A docs edit: a new enum member appears in the generated API.
    let page = dir.join("docs/resources/widget.md");
    let text_before = std::fs::read_to_string(&page).unwrap();
    let edited = text_before.replace("|dark|A dark widget.|\n", "|dark|A dark widget.|\n|violet|A violet widget.|\n");
    assert_ne!(edited, text_before);
    std::fs::write(&page, edited).unwrap();
    let third = text(&cargo(&dir, &target, &["build"]).stderr);
    assert!(third.contains("Compiling widgets v0.1.0") && third.contains("build-script-build`"), "the script reruns after a docs edit:\n{third}");
    assert_eq!(run("after the docs edit"), "shades: light,dark,violet\nrequest: GET /widgets/w%201\n");

    // What makes output impossible (a malformed corrections.json; a page defect is only
    // a warning) fails the build with the diagnostic, file:line first, and leaves the
    // generated files as they were.
    let generated: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(target.join("debug/build"))
        .unwrap()
        .map(|e| e.unwrap().path().join("out/msgraph/requests/widgets.rs"))
        .filter(|p| p.exists())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    assert!(!generated.is_empty(), "the generated files are in OUT_DIR/msgraph");
    let corrections = dir.join("docs/corrections.json");
    std::fs::write(&corrections, "{ \"corrections\": [ }\n").unwrap();
    let failed = try_cargo(&dir, &target, &["build"]);
    let err = text(&failed.stderr);
    assert!(!failed.status.success(), "{err}");
    assert!(err.contains("docs/corrections.json:1:") && err.contains("error[corrections-invalid]"), "{err}");
    for (path, bytes) in &generated {
        assert_eq!(&std::fs::read(path).unwrap(), bytes, "{} was left as it was", path.display());
    }
    // Fixed again: it builds.
    std::fs::remove_file(&corrections).unwrap();
    cargo(&dir, &target, &["build"]);
    assert_eq!(run("after the fix"), "shades: light,dark,violet\nrequest: GET /widgets/w%201\n");
}
