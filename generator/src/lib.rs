//! `msgraph-gen` reads API reference pages written in the Microsoft Graph markdown
//! format and generates a typed Rust crate: serde models for every resource and a
//! transport-free request function for every API page.
//!
//! The pipeline has named stages, each in its own module:
//!
//! 1. [`parse`]: markdown -> [`parse::Page`] (pulldown-cmark), every item with its
//!    file, line and column.
//! 2. [`infer`]: pages -> one [`model::Api`], merging property tables, JSON
//!    representations, request-body tables and JSON examples by precedence, with
//!    reviewed [`corrections`] applied.
//! 3. [`emit`]: API model -> Rust sources (quote, syn, prettyplease; names by [`names`]).
//!
//! Beside the crate, the same model gives [`diff`] (what a docs change does to the
//! generated API, breaking or not; `msgraph-gen diff`) and [`openapi`] (an OpenAPI
//! 3.0 document of the inferred API; `msgraph-gen openapi`), both from
//! [`infer_api`]. The `msgraph-mock` crate serves the docs as a local Graph.
//!
//! [`generate_sources`] is the pure core: files in, files and diagnostics out, no IO.
//! [`Config`] is the front-end for `build.rs` (in the manner of `prost_build::Config`);
//! the `msgraph-gen` binary (Cargo feature `cli`) is the command-line front-end.
//!
//! Generated code is built on the runtime crate `msgraph-runtime` (requests,
//! responses, errors, primitive types, the async client), which it names by
//! [`Config::runtime_path`]; a crate that compiles generated code depends on
//! `msgraph-runtime` and on nothing else for it.
//!
//! # In your own `build.rs`
//!
//! ```toml
//! [dependencies]
//! msgraph-runtime = "0.1"
//!
//! [build-dependencies]
//! msgraph-gen = "0.1"   # without the `cli` feature: no clap, no terminal rendering
//! ```
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), msgraph_gen::Error> {
//!     msgraph_gen::Config::new().docs_dir("docs").compile()?;
//!     Ok(())
//! }
//! ```
//!
//! ```text
//! // src/lib.rs
//! include!(concat!(env!("OUT_DIR"), "/msgraph/mod.rs"));
//! ```
//!
//! [`Config::compile`] writes the modules `models` and `requests` into
//! `$OUT_DIR/msgraph/`, prints `cargo:rerun-if-changed` for the docs directory (so
//! a build that changes nothing there reruns nothing), prints every warning as a
//! `cargo:warning` line that starts with `file:line:col`, and prints the
//! `[features]` table to paste when the crate's `Cargo.toml` lacks it (one Cargo
//! feature per docs area, plus `client`).

pub mod corrections;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod http;
pub mod infer;
pub mod model;
pub mod names;
pub mod openapi;
pub mod parse;
#[cfg(feature = "cli")]
pub mod render;
pub mod suppress;

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub use diag::{Code, Diagnostic, Severity, Span};
pub use parse::SourceFile;

/// The result of a successful generation.
#[derive(Clone, Debug)]
pub struct Generated {
    /// Output path (relative, `/`-separated) -> file contents.
    pub files: BTreeMap<String, String>,
    /// Warnings and notes (errors make generation fail).
    pub diagnostics: Vec<Diagnostic>,
    /// How many diagnostics suppressions removed.
    pub suppressed: usize,
    /// Cargo features: one per docs area, with its dependencies (see [`emit::features`]).
    pub features: BTreeMap<String, std::collections::BTreeSet<String>>,
    pub api: model::Api,
}

/// Why a run failed. `Debug` prints the same as `Display` (a one-line summary), so
/// that a `build.rs` whose `main` returns `Result<(), msgraph_gen::Error>` ends with
/// a readable line after the diagnostics [`Config::compile`] printed.
#[derive(thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("generation failed: {}", diag::summary(diagnostics))]
    Failed { diagnostics: Vec<Diagnostic> },
    #[error("{} is stale; regenerate it with `cargo build` (changed: {})", dir.display(), files.join(", "))]
    Stale { dir: PathBuf, files: Vec<String> },
    #[error("invalid runtime path {path:?}: {reason}; give a Rust path such as `::msgraph_runtime` or `crate::runtime`")]
    RuntimePath { path: String, reason: String },
    #[error("OUT_DIR is not set: Config::compile is meant for build.rs (use Config::out_dir and Config::generate elsewhere)")]
    NoOutDir,
}

impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Io { path: path.to_path_buf(), source }
}

/// Parse, infer and emit with the default [`emit::Options`]. Pure: no IO. The
/// order of `files` does not matter.
pub fn generate_sources(files: Vec<SourceFile>) -> Result<Generated, Error> {
    generate_sources_with(files, &emit::Options::default())
}

/// Parse, infer and emit. Pure: no IO. The order of `files` does not matter.
pub fn generate_sources_with(files: Vec<SourceFile>, options: &emit::Options) -> Result<Generated, Error> {
    let (api, pages, suppressions, diags) = read_api(files);
    finish(api, &pages, suppressions, diags, options)
}

/// Parse and infer only: the API model and the diagnostics so far (suppressions
/// applied), even when the docs have errors that would stop generation. Pure, like
/// [`generate_sources`]; [`diff`] and `msgraph-gen openapi` start from this.
pub fn infer_api(files: Vec<SourceFile>) -> (model::Api, Vec<Diagnostic>) {
    let (api, pages, mut suppressions, mut diags) = read_api(files);
    suppressions.extend(suppress::from_pages(&pages));
    suppress::apply(&mut diags, &suppressions);
    let mut all = diag::Diagnostics::default();
    all.extend(diags);
    (api, all.finish())
}

#[allow(clippy::type_complexity)]
fn read_api(mut files: Vec<SourceFile>) -> (model::Api, Vec<parse::Page>, Vec<suppress::Suppression>, Vec<Diagnostic>) {
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut diags = Vec::new();
    let mut corrections = corrections::Corrections::default();
    let mut suppressions = Vec::new();
    let mut pages = Vec::new();
    for f in &files {
        if f.path == suppress::FILE_NAME {
            match std::str::from_utf8(&f.bytes) {
                Ok(text) => suppressions = suppress::parse_file(text, &mut diags),
                Err(_) => diags.push(Diagnostic::new(Code::SuppressionsInvalid, Span::new(&f.path.as_str().into(), 1, 1), "suppressions.json is not UTF-8")),
            }
        } else if f.path == corrections::FILE_NAME {
            match std::str::from_utf8(&f.bytes) {
                Ok(text) => corrections = corrections::Corrections::parse(text, &mut diags),
                Err(_) => diags.push(Diagnostic::new(Code::CorrectionsInvalid, Span::new(&f.path.as_str().into(), 1, 1), "corrections.json is not UTF-8")),
            }
        } else if let Some(page) = parse::parse_file(f, &mut diags) {
            pages.push(page);
        }
    }
    let api = infer::infer(&pages, &corrections, &mut diags);
    (api, pages, suppressions, diags)
}

fn finish(api: model::Api, pages: &[parse::Page], mut suppressions: Vec<suppress::Suppression>, mut diags: Vec<Diagnostic>, options: &emit::Options) -> Result<Generated, Error> {
    let files = emit::emit_with(&api, options, &mut diags);
    suppressions.extend(suppress::from_pages(pages));
    let suppressed = suppress::apply(&mut diags, &suppressions);
    let mut all = diag::Diagnostics::default();
    all.extend(diags);
    let diagnostics = all.finish();
    match files {
        Some(files) if !diagnostics.iter().any(|d| d.severity == Severity::Error) => Ok(Generated { features: emit::features(&api), files, diagnostics, suppressed, api }),
        _ => Err(Error::Failed { diagnostics }),
    }
}

/// Read every `.md` page (and `corrections.json`, `suppressions.json`) under `dir`,
/// recursively, in path order. Symbolic links are followed; a directory reached a
/// second time (a link loop, or two links to one place) is not read again, so a
/// loop cannot hang the run.
pub fn read_docs(dir: &Path) -> Result<Vec<SourceFile>, Error> {
    let mut out = Vec::new();
    let mut visited = std::collections::BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let canonical = fs::canonicalize(&d).map_err(io_err(&d))?;
        if !visited.insert(canonical) {
            continue;
        }
        let mut entries: Vec<_> = fs::read_dir(&d).map_err(io_err(&d))?.collect::<Result<_, _>>().map_err(io_err(&d))?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries.iter().rev() {
            let path = e.path();
            // `metadata` follows links; a dangling link is an error naming it.
            let meta = fs::metadata(&path).map_err(io_err(&path))?;
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                let rel = path.strip_prefix(dir).unwrap_or(&path);
                let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                if rel.ends_with(".md") || rel == corrections::FILE_NAME || rel == suppress::FILE_NAME {
                    let bytes = fs::read(&path).map_err(io_err(&path))?;
                    out.push(SourceFile { path: rel, bytes });
                }
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// What a [`Config::generate`] run did.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// Files whose bytes changed and were written.
    pub written: Vec<String>,
    /// Files left alone because their bytes were already right.
    pub unchanged: Vec<String>,
    /// Stale generated files that were removed.
    pub removed: Vec<String>,
    /// The `[features]` table the generated crate's Cargo.toml must declare.
    pub features_toml: String,
    /// What changed in the generated API since the last run, from the surface file
    /// ([`diff::SURFACE_FILE`]) the last run left in the output directory; `None`
    /// when there was none (or it was unreadable).
    pub api_diff: Option<diff::Diff>,
}

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
pub const OUT_DIR_NAME: &str = "msgraph";

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
    /// nobody reads it: skipping the formatting makes generation several times
    /// faster (see BENCHMARKS.md). The unformatted code is the same items, one a line.
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
        let generated = self.run()?;
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

fn existing_generated(dir: &Path) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).map_err(io_err(&d))? {
            let e = e.map_err(io_err(&d))?;
            let path = e.path();
            let ft = e.file_type().map_err(io_err(&path))?;
            if ft.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = fs::read_to_string(&path).unwrap_or_default();
                if text.starts_with("// @generated") {
                    let rel = path.strip_prefix(dir).unwrap_or(&path);
                    out.push(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Files that differ, are missing, or are generated leftovers.
pub fn stale_files(dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<String>, Error> {
    let mut stale = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        match fs::read(&path) {
            Ok(bytes) if bytes == text.as_bytes() => {}
            _ => stale.push(rel.clone()),
        }
    }
    for rel in existing_generated(dir)? {
        if !files.contains_key(&rel) {
            stale.push(rel);
        }
    }
    Ok(stale)
}

/// Write a file tree: only changed files. All changed files are first written
/// to temporary files beside their targets; only when every one of them is
/// written are they renamed into place, so a failure while writing (a full disk,
/// a permission problem) leaves the tree as it was.
pub fn write_tree(dir: &Path, files: &BTreeMap<String, String>) -> Result<Report, Error> {
    let mut report = Report::default();
    let mut staged: Vec<(PathBuf, PathBuf, String)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf, String)]| {
        for (tmp, _, _) in staged {
            let _ = fs::remove_file(tmp);
        }
    };
    for (rel, text) in files {
        let path = dir.join(rel);
        if fs::read(&path).is_ok_and(|b| b == text.as_bytes()) {
            report.unchanged.push(rel.clone());
            continue;
        }
        let tmp = path.with_file_name(format!(".{}.tmp", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()));
        let written = path
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|_| fs::write(&tmp, text));
        if let Err(source) = written {
            cleanup(&staged);
            let _ = fs::remove_file(&tmp);
            return Err(Error::Io { path: tmp, source });
        }
        staged.push((tmp, path, rel.clone()));
    }
    for (tmp, path, rel) in &staged {
        fs::rename(tmp, path).map_err(io_err(path))?;
        report.written.push(rel.clone());
    }
    for rel in existing_generated(dir)? {
        if !files.contains_key(&rel) {
            let path = dir.join(&rel);
            fs::remove_file(&path).map_err(io_err(&path))?;
            report.removed.push(rel);
        }
    }
    Ok(report)
}

/// The name of the runtime crate's package.
pub const RUNTIME_PACKAGE: &str = "msgraph-runtime";

/// How a standalone crate depends on the runtime crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// A version requirement (the runtime from a registry).
    Version(String),
    /// A local checkout of the runtime crate (its directory).
    Path(PathBuf),
}

impl Default for RuntimeDependency {
    /// The runtime of the generator's own version, from a registry.
    fn default() -> Self {
        RuntimeDependency::Version(env!("CARGO_PKG_VERSION").to_string())
    }
}

impl RuntimeDependency {
    /// The dependency line of a `Cargo.toml`. The runtime's default features are off;
    /// the crate's own `client` feature turns the client on (see [`features_toml`]).
    pub fn toml(&self) -> String {
        let source = match self {
            RuntimeDependency::Version(v) => format!("version = {}", toml_string(v)),
            RuntimeDependency::Path(p) => format!("path = {}", toml_string(&p.to_string_lossy())),
        };
        format!("{RUNTIME_PACKAGE} = {{ {source}, default-features = false }}\n")
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// The `[features]` table of a generated crate: `client` (the runtime's async
/// client, re-exported as the crate's `client` module) and one feature per docs
/// area (see [`emit::features`]); `default` enables all of them.
pub fn features_toml(features: &BTreeMap<String, std::collections::BTreeSet<String>>) -> String {
    let areas = emit::features_toml(features);
    let all: Vec<String> = std::iter::once("client").chain(features.keys().map(String::as_str)).map(|f| format!("\"{f}\"")).collect();
    let rest = areas.lines().skip(2).map(|l| format!("{l}\n")).collect::<String>();
    format!("[features]\ndefault = [{}]\nclient = [\"{RUNTIME_PACKAGE}/client\"]\n{rest}", all.join(", "))
}

/// The files of a standalone crate around a generated module tree: `Cargo.toml`
/// (depending on the runtime crate alone, with the `[features]` table),
/// `src/lib.rs` (the root module, re-exporting the runtime and its client) and
/// the rest of the tree under `src/`. The tree must have been generated with the
/// default runtime path.
pub fn standalone_crate(name: &str, generated: &Generated, runtime: &RuntimeDependency) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for (rel, text) in &generated.files {
        if rel == "mod.rs" {
            let body = text.strip_prefix(emit::HEADER).unwrap_or(text);
            files.insert(
                "src/lib.rs".to_string(),
                format!(
                    "{}\n//! Typed Microsoft Graph models and request functions, generated by msgraph-gen\n//! from API reference docs, on top of the `{RUNTIME_PACKAGE}` crate.\n{}\n/// The runtime crate: requests, responses, errors, pages and primitive types.\npub use ::msgraph_runtime as runtime;\n\n/// The async client that sends the requests (feature `client`).\n#[cfg(feature = \"client\")]\npub use ::msgraph_runtime::client;\n",
                    emit::HEADER,
                    body.trim_start_matches('\n')
                ),
            );
        } else {
            files.insert(format!("src/{rel}"), text.clone());
        }
    }
    files.insert(
        "Cargo.toml".to_string(),
        format!(
            "# @generated by msgraph-gen\n[package]\nname = {}\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{}\n{}\n[workspace]\n",
            toml_string(name),
            runtime.toml(),
            features_toml(&generated.features)
        ),
    );
    files
}

/// The round-trip runner added by [`add_roundtrip`].
pub const ROUNDTRIP: &str = include_str!("../templates/roundtrip.rs");

/// Add to a standalone crate's files the round-trip check of the docs' response
/// examples: `examples.json` (every success response example whose annotation
/// names its type, with its location) and `examples/roundtrip.rs`, which
/// `cargo run --example roundtrip` runs.
pub fn add_roundtrip(files: &mut BTreeMap<String, String>, crate_name: &str, generated: &Generated) {
    let mut items = Vec::new();
    for op in &generated.api.operations {
        for ex in &op.examples {
            let (Some(t), Some(body)) = (&ex.response_type, &ex.response_body) else { continue };
            if ex.status.is_some_and(|s| s >= 300) || model::Prim::parse(t).is_some() {
                continue;
            }
            let full = if t.contains('.') { t.trim_start_matches('#').to_string() } else { format!("{}.{t}", infer::DEFAULT_NAMESPACE) };
            items.push(serde_json::json!({
                "at": format!("{}:{}", ex.span.file, ex.span.line),
                "type": full,
                "collection": ex.is_collection,
                "body": body,
            }));
        }
    }
    files.insert("examples.json".into(), serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into()));
    let lib = crate_name.replace('-', "_");
    files.insert("examples/roundtrip.rs".into(), format!("// @generated by msgraph-gen\n{}", ROUNDTRIP.replace("msgraph_generated_crate", &lib)));
}
