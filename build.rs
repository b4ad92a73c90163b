//! Regenerates `generated/` from `docs/` (see README.md). Files are rewritten only
//! when their bytes change, and this script reruns only when `docs/` changes (or
//! the generator itself does, which recompiles this script).

use std::path::Path;
use std::process::ExitCode;

use msgraph_gen::{Config, Error, Severity};

fn main() -> ExitCode {
    let docs = Path::new("docs");
    println!("cargo:rerun-if-changed=docs");
    if !docs.is_dir() {
        // A packaged copy of the crate: use the committed generated/ as it is.
        return ExitCode::SUCCESS;
    }
    match Config::new().docs_dir(docs).out_dir("generated").generate() {
        Ok(report) => {
            let manifest = std::fs::read_to_string("Cargo.toml").unwrap_or_default();
            if !manifest.contains(&report.features_toml) {
                println!(
                    "cargo:warning=Cargo.toml does not declare the features the docs generate; replace its [features] table with: {}",
                    report.features_toml.trim().replace('\n', " | ")
                );
            }
            // What changed in the generated API (against generated/api.json of the last
            // run): a warning when it breaks users, otherwise a line of the build output.
            if let Some(api) = report.api_diff.as_ref().filter(|d| !d.is_empty()) {
                let prefix = if api.is_breaking() { "cargo:warning=" } else { "" };
                println!("{prefix}generated API: {} (`msgraph-gen diff` lists them)", api.summary());
            }
            for d in report.diagnostics.iter().filter(|d| d.severity != Severity::Note) {
                // One line per diagnostic, file:line first.
                println!("cargo:warning={}", d.render_plain("docs/", " | "));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            if let Error::Failed { diagnostics } = &e {
                let sources = msgraph_gen::read_docs(docs).unwrap_or_default();
                eprint!("{}", msgraph_gen::render::render(diagnostics, &sources, "docs/"));
            }
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
