//! [`Config`]: the settings builder for `build.rs` and the CLI.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use crate::diag::{self, Severity, SourceMap};
use crate::error::Error;
use crate::files::{read_docs, stale_files, write_tree, Report};
use crate::pipeline::{generate_from, generate_sources_with, Generated};
use crate::standalone::features_toml;
use crate::{diff, emit};

/// Settings for a generation run, for use from `build.rs`.
#[derive(Clone, Debug)]
pub struct Config {
    docs_dir: PathBuf,
    /// `None`: `generated/` for [`Config::generate`], `$OUT_DIR/msgraph` for
    /// [`Config::compile`].
    out_dir: Option<PathBuf>,
    runtime_path: String,
    /// `None`: formatted, except by [`Config::compile`] into `OUT_DIR`.
    format: Option<bool>,
}

impl Default for Config {
    fn default() -> Self {
        Config { docs_dir: PathBuf::from("docs"), out_dir: None, runtime_path: emit::DEFAULT_RUNTIME_PATH.to_string(), format: None }
    }
}

/// The directory under `OUT_DIR` that [`Config::compile`] writes into.
pub(crate) const OUT_DIR_NAME: &str = "msgraph";

impl Config {
    /// Defaults: docs in `docs/`; output in `generated/` ([`Config::generate`]) or
    /// `$OUT_DIR/msgraph` ([`Config::compile`]); runtime path `::msgraph_runtime`.
    pub fn new() -> Self {
        Self::default()
    }

    /// The directory of markdown pages to read.
    pub fn docs_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.docs_dir = dir.into();
        self
    }

    /// The directory to write the module tree into (`mod.rs` at its root).
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    fn out_dir_or_generated(&self) -> PathBuf {
        self.out_dir.clone().unwrap_or_else(|| PathBuf::from("generated"))
    }

    /// The path by which generated code names the runtime crate (`msgraph-runtime`),
    /// in the manner of prost-build's `prost_path`. Default `::msgraph_runtime`, the
    /// crate as a dependency of the crate the code is compiled in; set it when the
    /// runtime is reached another way, for example `crate::runtime` after
    /// `pub use msgraph_runtime as runtime;`, or `::msgraph::support` to build on
    /// another crate's re-export.
    pub fn runtime_path(&mut self, path: impl Into<String>) -> &mut Self {
        self.runtime_path = path.into();
        self
    }

    /// Whether to format the generated code with prettyplease, in the manner of
    /// prost-build's `format`. By default the code is formatted, except by
    /// [`Config::compile`] into `$OUT_DIR` (no [`Config::out_dir`] set), where
    /// nobody reads it: skipping the formatting makes generation more than twice as
    /// fast (see BENCHMARKS.md). The unformatted code is the same items as the
    /// generator writes them (one attribute, field or arm a line, no indentation).
    pub fn format(&mut self, format: bool) -> &mut Self {
        self.format = Some(format);
        self
    }

    fn emit_options(&self, format: bool) -> Result<emit::Options, Error> {
        let options = emit::Options::with_runtime_path(&self.runtime_path).map_err(|reason| Error::RuntimePath { path: self.runtime_path.clone(), reason })?;
        Ok(options.format(format))
    }

    /// Generate in memory, without writing (formatted unless [`Config::format`]
    /// turned it off).
    pub fn run(&self) -> Result<Generated, Error> {
        self.run_formatted(self.format.unwrap_or(true))
    }

    /// Generate in memory from docs already read (with [`read_docs`]) and indexed
    /// ([`SourceMap::new`]), formatted unless [`Config::format`] turned it off; the
    /// map stays the caller's, to render diagnostics against without reading or
    /// indexing the docs again.
    pub fn run_on(&self, sources: &SourceMap) -> Result<Generated, Error> {
        generate_from(sources, &self.emit_options(self.format.unwrap_or(true))?)
    }

    fn run_formatted(&self, format: bool) -> Result<Generated, Error> {
        let options = self.emit_options(format)?;
        generate_sources_with(read_docs(&self.docs_dir)?, &options)
    }

    /// Generate and write the module tree. Each file is written only when its bytes
    /// change (so cargo does not rebuild for nothing), through a temporary file and
    /// a rename; generated files that are no longer produced are removed. Nothing is
    /// written when generation fails. Beside the tree, [`diff::SURFACE_FILE`] records
    /// the API's surface; the report's `api_diff` compares it with the previous one.
    pub fn generate(&self) -> Result<Report, Error> {
        let generated = self.run()?;
        let dir = self.out_dir_or_generated();
        let surface = diff::Surface::of(&generated.api);
        let previous = fs::read_to_string(dir.join(diff::SURFACE_FILE)).ok().and_then(|t| diff::Surface::from_json(&t).ok());
        let mut report = write_tree(&dir, &with_surface(&generated.files, &surface))?;
        report.api_diff = previous.map(|old| diff::diff(&old, &surface));
        report.diagnostics = generated.diagnostics;
        report.features_toml = features_toml(&generated.features);
        Ok(report)
    }

    /// The `build.rs` entry point, in the manner of `prost_build::compile_protos`:
    /// generate into `$OUT_DIR/msgraph` (or the [`Config::out_dir`] if one was set)
    /// and talk to cargo on standard output:
    ///
    /// * `cargo:rerun-if-changed=<docs dir>`: cargo reruns the script only when a
    ///   file under the docs directory changes (or the script itself does);
    /// * one `cargo:warning=` line per warning, `file:line:col` first (the file as
    ///   a path from the package root, for example `docs/api/x.md:12:5`);
    /// * a `cargo:warning=` line with the `[features]` table to paste when the
    ///   package's `Cargo.toml` does not declare it: generated items are gated by
    ///   one Cargo feature per docs area.
    ///
    /// On failure every error is printed the same way (and to standard error) and
    /// nothing is written, so the build stops with the previous output intact.
    /// Include the result from `lib.rs` with
    /// `include!(concat!(env!("OUT_DIR"), "/msgraph/mod.rs"));`. Into `OUT_DIR` the
    /// code is written unformatted unless [`Config::format`] asks otherwise.
    pub fn compile(&self) -> Result<Report, Error> {
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => PathBuf::from(std::env::var_os("OUT_DIR").ok_or(Error::NoOutDir)?).join(OUT_DIR_NAME),
        };
        println!("cargo:rerun-if-changed={}", self.docs_dir.display());
        let prefix = format!("{}/", self.docs_dir.display()).replace('\\', "/");
        // Into OUT_DIR nobody reads the code: unformatted unless asked.
        let format = self.format.unwrap_or(self.out_dir.is_some());
        let result = self.run_formatted(format).and_then(|generated| {
            let surface = diff::Surface::of(&generated.api);
            let previous = fs::read_to_string(out_dir.join(diff::SURFACE_FILE)).ok().and_then(|t| diff::Surface::from_json(&t).ok());
            let mut report = write_tree(&out_dir, &with_surface(&generated.files, &surface))?;
            report.api_diff = previous.map(|old| diff::diff(&old, &surface));
            report.diagnostics = generated.diagnostics;
            report.features_toml = features_toml(&generated.features);
            Ok(report)
        });
        match &result {
            Ok(report) => {
                // What changed in the generated API (against the surface file of the
                // last run): a warning when it breaks users, otherwise a build-output line.
                if let Some(api) = report.api_diff.as_ref().filter(|d| !d.is_empty()) {
                    let prefix = if api.is_breaking() { "cargo:warning=" } else { "" };
                    println!("{prefix}generated API: {} (`msgraph-gen diff` lists them)", api.summary());
                }
                for d in report.diagnostics.iter().filter(|d| d.severity != Severity::Note) {
                    println!("cargo:warning={}", d.render_plain(&prefix, " | "));
                }
                let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map(|d| PathBuf::from(d).join("Cargo.toml"));
                if let Some(manifest) = manifest {
                    let text = fs::read_to_string(&manifest).unwrap_or_default();
                    if !text.contains(&report.features_toml) {
                        println!(
                            "cargo:warning={}: does not declare the features the docs generate; replace its [features] table with: {}",
                            manifest.display(),
                            report.features_toml.trim().replace('\n', " | ")
                        );
                    }
                }
            }
            Err(Error::Failed { diagnostics }) => {
                for d in diagnostics {
                    println!("cargo:warning={}", d.render_plain(&prefix, " | "));
                    eprintln!("{}", d.render_plain(&prefix, "\n"));
                }
                eprintln!("error: {}", diag::summary(diagnostics));
            }
            Err(e) => {
                println!("cargo:warning={e}");
                eprintln!("error: {e}");
            }
        }
        result
    }

    /// Compare the output directory with what the docs generate now.
    pub fn check(&self) -> Result<Report, Error> {
        self.check_on(&SourceMap::new(read_docs(&self.docs_dir)?))
    }

    /// [`Config::check`] on docs already read (see [`Config::run_on`]).
    pub fn check_on(&self, sources: &SourceMap) -> Result<Report, Error> {
        let generated = self.run_on(sources)?;
        let dir = self.out_dir_or_generated();
        let files = with_surface(&generated.files, &diff::Surface::of(&generated.api));
        let stale = stale_files(&dir, &files)?;
        if stale.is_empty() {
            Ok(Report { diagnostics: generated.diagnostics, unchanged: files.into_keys().collect(), ..Report::default() })
        } else {
            Err(Error::Stale { dir, files: stale })
        }
    }
}

/// The module tree plus the surface file that [`Config::generate`] diffs against.
fn with_surface(files: &BTreeMap<String, String>, surface: &diff::Surface) -> BTreeMap<String, String> {
    let mut files = files.clone();
    files.insert(diff::SURFACE_FILE.to_string(), surface.to_json());
    files
}
