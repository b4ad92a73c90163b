//! Fuzz regressions: every input the fuzzer found a crash with
//! (tests/regressions/<target>/<name>) is replayed through the same code the
//! fuzz target runs (tests/fuzz_harness/mod.rs): it must not panic, every
//! diagnostic must point inside a given file, and where it is meaningful the
//! diagnostic the input deserves is asserted. See fuzz/README.md.

mod fuzz_harness;

use std::fs;
use std::path::Path;

use msgraph_gen::{Code, Diagnostic};

/// Expected diagnostics: (target, input name) -> (code, file, line, col).
/// Inputs that are not listed only have to run without a panic.
const EXPECTED: &[(&str, &str, Code, &str, u32, u32)] = &[
    // serde_json reports column 0 for an error right after a newline.
    ("pipeline", "corrections-column-zero", Code::CorrectionsInvalid, "corrections.json", 7, 1),
    // `Namespace: #m`: the resource's table is read into its type (this panicked);
    // its one row has no type cell, reported at the end of the row.
    ("pipeline", "namespace-with-hash", Code::UntypedValue, "api/page0.md", 12, 4),
    // An empty, unclosed resource block on the last line: its JSON error is on that
    // line (it was reported on the line after the end of the file).
    ("pipeline", "empty-resource-block-at-eof", Code::JsonInvalid, "api/page0.md", 3, 1),
];

/// Inputs that must generate (no error diagnostics): they made emit or infer panic.
const MUST_GENERATE: &[(&str, &str)] = &[
    ("pipeline", "type-named-self"),
    ("pipeline", "non-identifier-characters"),
    ("pipeline", "datetime-multibyte-at-19"),
    ("pipeline", "namespace-with-hash"),
];

fn run(target: &str, data: &[u8]) -> Vec<Diagnostic> {
    match target {
        "parse_page" => fuzz_harness::parse_page(data),
        "pipeline" => fuzz_harness::pipeline(data),
        t => panic!("unknown fuzz target {t}"),
    }
}

#[test]
fn fuzz_regressions_do_not_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut ran = 0;
    for target in ["parse_page", "pipeline"] {
        let mut inputs: Vec<_> = fs::read_dir(root.join(target))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
            .collect();
        inputs.sort();
        for input in inputs {
            let name = input.file_name().unwrap().to_string_lossy().to_string();
            let data = fs::read(&input).unwrap();
            let result = std::panic::catch_unwind(|| run(target, &data));
            let diags = match result {
                Ok(d) => d,
                Err(e) => {
                    let msg = e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()));
                    panic!("{target}/{name} panicked: {}", msg.unwrap_or_default());
                }
            };
            for (_, _, code, file, line, col) in EXPECTED.iter().filter(|e| e.0 == target && e.1 == name) {
                assert!(
                    diags.iter().any(|d| d.code == *code && &*d.span.file == *file && d.span.line() == *line && d.span.col() == *col),
                    "{target}/{name}: expected {code} at {file}:{line}:{col}, got:\n{}",
                    diags.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
                );
            }
            if MUST_GENERATE.contains(&(target, name.as_str())) {
                let errors: Vec<String> = diags.iter().filter(|d| d.severity == msgraph_gen::Severity::Error).map(|d| d.to_string()).collect();
                assert!(errors.is_empty(), "{target}/{name} must generate, but:\n{}", errors.join("\n"));
            }
            ran += 1;
        }
    }
    // Every expectation names an input that exists.
    for (target, name) in EXPECTED.iter().map(|e| (e.0, e.1)).chain(MUST_GENERATE.iter().copied()) {
        assert!(root.join(target).join(name).is_file(), "missing regression input {target}/{name}");
    }
    assert!(ran > 0);
}
