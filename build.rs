//! Regenerates `generated/` from `docs/` (see README.md) with
//! `msgraph_gen::Config::compile`, the same call a user's own build.rs makes (here
//! into the committed `generated/` instead of `OUT_DIR`). Files are rewritten only
//! when their bytes change, and this script reruns only when `docs/` changes (or
//! the generator itself does, which recompiles this script). Warnings, and the
//! `[features]` table when Cargo.toml lacks it, arrive as `cargo:warning` lines.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    if !Path::new("docs").is_dir() {
        // A packaged copy of the crate: use the committed generated/ as it is.
        println!("cargo:rerun-if-changed=docs");
        return ExitCode::SUCCESS;
    }
    match msgraph_gen::Config::new().docs_dir("docs").out_dir("generated").compile() {
        Ok(_) => ExitCode::SUCCESS,
        // The diagnostics are printed already, file:line:col first.
        Err(_) => ExitCode::FAILURE,
    }
}
