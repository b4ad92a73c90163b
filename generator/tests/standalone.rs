//! The crates the generator writes compile on their own with warnings denied and
//! pass clippy: the docs/ crate and the feature fixture (every primitive, enums,
//! flags, polymorphism, recursion, keyword names). The feature fixture's crate also
//! runs `standalone/nulls.rs` as a test of its own: absent, null and a value, sent
//! and read, for every kind of property. This runs a nested cargo in a
//! target directory of its own; dependencies resolve offline from the workspace
//! lock file, so it needs no network.

use std::path::Path;
use std::process::Command;

#[test]
fn generated_crates_build_with_warnings_denied_and_pass_clippy() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("standalone");
    for (name, docs) in [("docs", root.join("docs")), ("features", root.join("generator/tests/fixtures/features"))] {
        // The command-line front-end writes the crate, as a user would run it.
        let dir = work.join(name);
        let gen = Command::new(env!("CARGO_BIN_EXE_msgraph-gen"))
            .args(["generate", docs.to_str().unwrap(), "--out", dir.to_str().unwrap(), "--crate-name", &format!("standalone-{name}")])
            .args(["--runtime-path", root.join("runtime").to_str().unwrap()])
            .output()
            .unwrap();
        assert!(gen.status.success(), "{name}: {}", String::from_utf8_lossy(&gen.stderr));
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
        if name == "features" {
            // Checked by clippy with the crate's other targets, then run.
            std::fs::create_dir_all(dir.join("tests")).unwrap();
            std::fs::copy(root.join("generator/tests/standalone/nulls.rs"), dir.join("tests/nulls.rs")).unwrap();
        }
        // All areas (the default), and none (only the common part).
        for features in [&[][..], &["--no-default-features"][..]] {
            let out = Command::new(env!("CARGO"))
                .args(["clippy", "--offline", "--all-targets", "--quiet"])
                .args(features)
                .args(["--", "-D", "warnings"])
                .current_dir(&dir)
                .env("CARGO_TARGET_DIR", work.join("target"))
                .env_remove("RUSTFLAGS")
                .output()
                .expect("cargo runs");
            assert!(
                out.status.success(),
                "{name} {features:?}: generated crate does not pass `cargo clippy -- -D warnings`:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        if name == "features" {
            let out = Command::new(env!("CARGO"))
                .args(["test", "--offline", "--test", "nulls"])
                .current_dir(&dir)
                .env("CARGO_TARGET_DIR", work.join("target"))
                .env_remove("RUSTFLAGS")
                .output()
                .expect("cargo runs");
            assert!(
                out.status.success(),
                "{name}: tests/nulls.rs fails in the generated crate:\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
