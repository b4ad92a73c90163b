//! The `msgraph-gen` command line, run as a user runs it.

use std::path::Path;
use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_msgraph-gen")).args(args).current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("..")).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn help_lists_the_commands() {
    let out = cli(&["--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for cmd in ["generate", "check", "lint"] {
        assert!(help.contains(cmd), "{help}");
    }
    let generate = text(&cli(&["generate", "--help"]).stdout);
    for option in ["--runtime-path <DIR>", "--runtime-version <VERSION>", "msgraph-runtime"] {
        assert!(generate.contains(option), "{generate}");
    }
}

#[test]
fn generate_depends_on_the_runtime_by_path_or_by_version() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("crate");
    let manifest = |args: &[&str]| {
        let out = cli(&[&["generate", "docs", "--out", out_dir.to_str().unwrap()][..], args].concat());
        assert!(out.status.success(), "{}", text(&out.stderr));
        std::fs::read_to_string(out_dir.join("Cargo.toml")).unwrap()
    };
    // A path is made absolute, so the crate builds wherever it was written.
    let runtime = std::fs::canonicalize(Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime")).unwrap();
    let by_path = manifest(&["--runtime-path", "runtime"]);
    assert!(by_path.contains(&format!("msgraph-runtime = {{ path = {:?}, default-features = false }}", runtime.to_str().unwrap())), "{by_path}");
    let by_version = manifest(&["--runtime-version", "0.1.2"]);
    assert!(by_version.contains("msgraph-runtime = { version = \"0.1.2\", default-features = false }"), "{by_version}");
    let lib = std::fs::read_to_string(out_dir.join("src/lib.rs")).unwrap();
    assert!(lib.contains("pub use ::msgraph_runtime as runtime;") && lib.contains("#[cfg(feature = \"client\")]\npub use ::msgraph_runtime::client;"), "{lib}");
    // Both at once, or a runtime directory that does not exist, is refused.
    let both = cli(&["generate", "docs", "--out", out_dir.to_str().unwrap(), "--runtime-path", "runtime", "--runtime-version", "1"]);
    assert!(!both.status.success() && text(&both.stderr).contains("cannot be used with"), "{}", text(&both.stderr));
    let missing = cli(&["generate", "docs", "--out", out_dir.to_str().unwrap(), "--runtime-path", "no-such-dir"]);
    assert!(!missing.status.success() && text(&missing.stderr).contains("--runtime-path no-such-dir"), "{}", text(&missing.stderr));
}

#[test]
fn generate_writes_a_standalone_crate_and_check_detects_staleness() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("crate");
    let out = cli(&["generate", "docs", "--out", out_dir.to_str().unwrap(), "--crate-name", "graph-sample"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("wrote 7 file(s)"), "{}", text(&out.stderr));
    let manifest = std::fs::read_to_string(out_dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"graph-sample\""), "{manifest}");
    // The runtime crate is the one dependency (by version unless told otherwise).
    let deps = manifest.split("[dependencies]\n").nth(1).unwrap().split("\n\n").next().unwrap();
    assert_eq!(deps, format!("msgraph-runtime = {{ version = \"{}\", default-features = false }}", env!("CARGO_PKG_VERSION")));
    assert!(manifest.contains("client = [\"msgraph-runtime/client\"]"), "{manifest}");
    let lib = std::fs::read_to_string(out_dir.join("src/lib.rs")).unwrap();
    assert!(lib.starts_with("// @generated") && lib.contains("pub mod models;"));
    // Again: nothing changes.
    let again = cli(&["generate", "docs", "--out", out_dir.to_str().unwrap(), "--crate-name", "graph-sample"]);
    assert!(text(&again.stderr).contains("wrote 0 file(s), 7 unchanged"), "{}", text(&again.stderr));

    // check: the committed tree is fresh...
    let ok = cli(&["check", "docs", "--generated", "generated"]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    // ...and a copy with one edited file and one leftover file is stale.
    let copy = dir.path().join("generated");
    msgraph_gen::write_tree(&copy, &msgraph_gen::Config::new().docs_dir("../docs").run().unwrap().files).unwrap();
    std::fs::write(copy.join("requests.rs"), "// @generated\n").unwrap();
    std::fs::write(copy.join("models/old.rs"), "// @generated\n").unwrap();
    let stale = cli(&["check", "docs", "--generated", copy.to_str().unwrap()]);
    assert!(!stale.status.success());
    let msg = text(&stale.stderr);
    assert!(msg.contains("is stale") && msg.contains("requests.rs") && msg.contains("models/old.rs"), "{msg}");
}

#[test]
fn lint_reports_the_seed_defects_as_text_and_json() {
    let human = cli(&["lint", "docs"]);
    assert!(human.status.success(), "warnings do not fail lint");
    let err = text(&human.stderr);
    assert!(err.contains("warning[placeholder-value]") && err.contains("api/call-post-participants.md:92:5"), "{err}");
    assert!(err.contains("92 │     \"endpointType\": \"String\","), "the offending line is shown: {err}");
    assert!(err.contains("note[correction-applied]"), "{err}");
    assert!(err.lines().last().unwrap().contains("correction-applied 1"), "summary line: {err}");

    let json = cli(&["lint", "docs", "--format", "json"]);
    let items: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON on stdout");
    let items = items.as_array().unwrap();
    let placeholder = items.iter().find(|d| d["code"] == "placeholder-value").unwrap();
    assert_eq!((placeholder["file"].as_str(), placeholder["line"].as_u64()), (Some("api/call-post-participants.md"), Some(92)));
    assert_eq!(placeholder["related"][0]["file"], "resources/participantinfo.md");
}

#[test]
fn lint_and_generate_fail_on_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("corrections.json"), "{ not json").unwrap();
    let lint = cli(&["lint", dir.path().to_str().unwrap()]);
    assert!(!lint.status.success());
    let err = text(&lint.stderr);
    assert!(err.contains("error[corrections-invalid]") && err.contains("corrections.json:1:3"), "{err}");
    let out = dir.path().join("out");
    let gen = cli(&["generate", dir.path().to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(!gen.status.success());
    assert!(!out.exists(), "nothing is written when generation fails");
}
