//! `msgraph-gen` reads API reference pages written in the Microsoft Graph markdown
//! format and generates a typed Rust crate: serde models for every resource and a
//! transport-free request for every request line of every API page, reachable by its
//! resource path (`requests::users().by_id(id).messages().list()`).
//!
//! The pipeline has named stages, one private module (folder) each; the
//! repository's README ("The generator") draws them with the data between them:
//!
//! 1. `parse`: markdown -> a page (pulldown-cmark): headings, paragraphs, tables,
//!    annotations and code blocks, every item with its position.
//! 2. `recognize`: what a page is (API, resource or enum page) and what its
//!    sections, prose, HTTP examples and `corrections.json` say.
//! 3. `infer`: pages -> one [`model::Api`], merging property tables, JSON
//!    representations, request-body tables and JSON examples by precedence.
//! 4. `lower`: the API model's Rust shape: names, boxed fields, polymorphic
//!    holders, areas and Cargo features.
//! 5. `emit`: printing Rust sources (written as text; syn and prettyplease format it).
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
#![cfg_attr(docsrs, feature(doc_cfg))]

mod diag;
pub mod diff;
mod emit;
mod infer;
mod inherit;
mod lower;
pub mod model;
pub mod openapi;
mod parse;
mod recognize;

use diag::suppress;
#[cfg(feature = "cli")]
#[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
pub use diag::render;
use recognize::corrections;
mod config;
mod files;
mod standalone;

/// Stage internals that the fuzz targets, the regression tests and the `fidelity`
/// crate reach into. Not part of the API: no stability promise.
#[doc(hidden)]
pub mod internals {
    pub use crate::emit::HEADER;
    pub use crate::parse::{parse_file, Block, Page, SourceFile};
    /// Recognize and infer: parsed pages (sorted by path) to the API model.
    pub fn infer(pages: &[Page], corrections: &Corrections, diags: &mut Vec<crate::Diagnostic>) -> crate::model::Api {
        crate::infer_pages(pages, corrections, diags)
    }
    pub use crate::recognize::corrections::{self, Corrections};
    pub use crate::recognize::http::url_path;
    /// Names the OpenAPI document uses.
    pub mod openapi {
        pub use crate::openapi::names::{component_name, path_and_params, ERROR_SCHEMA};
    }
}

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

pub use diag::{Code, Diagnostic, Severity, SourceMap, Span};
pub use emit::Options;
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
    /// Cargo features: one per docs area, with its dependencies (see `msgraph_gen::features_toml`).
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

/// Parse, infer and emit with the default [`Options`]. Pure: no IO. The
/// order of `files` does not matter.
pub fn generate_sources(files: Vec<SourceFile>) -> Result<Generated, Error> {
    generate_sources_with(files, &emit::Options::default())
}

/// Parse, infer and emit. Pure: no IO. The order of `files` does not matter.
pub fn generate_sources_with(files: Vec<SourceFile>, options: &Options) -> Result<Generated, Error> {
    generate_from(&SourceMap::new(files), options)
}

/// [`generate_sources_with`] on files already indexed: the caller keeps the
/// [`SourceMap`], for example to render the diagnostics against it
/// (`render::render`, feature `cli`) without reading or indexing the docs again.
pub fn generate_from(sources: &SourceMap, options: &Options) -> Result<Generated, Error> {
    let (api, pages, mut suppressions, diags) = read_api(sources);
    suppressions.extend(suppress::from_pages(&pages));
    // The pages are not needed any more: freed on another thread, beside the rest.
    std::thread::scope(|scope| {
        scope.spawn(move || drop(pages));
        finish(api, suppressions, diags, options)
    })
}

/// Parse and infer only: the API model and the diagnostics so far (suppressions
/// applied), even when the docs have errors that would stop generation. Pure, like
/// [`generate_sources`]; [`diff`] and `msgraph-gen openapi` start from this.
pub fn infer_api(files: Vec<SourceFile>) -> (model::Api, Vec<Diagnostic>) {
    let (api, pages, mut suppressions, mut diags) = read_api(&SourceMap::new(files));
    suppressions.extend(suppress::from_pages(&pages));
    suppress::apply(&mut diags, &suppressions);
    let mut all = diag::Diagnostics::default();
    all.extend(diags);
    (api, all.finish())
}

#[allow(clippy::type_complexity)]
fn read_api(sources: &SourceMap) -> (model::Api, Vec<parse::Page>, Vec<suppress::Suppression>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut corrections = corrections::Corrections::default();
    let mut suppressions = Vec::new();
    let mut pages = Vec::new();
    // Sorted by path. Pages are parsed on every core (each on its own, with its own
    // diagnostics); their results come back in path order, as a loop would give them.
    let files: Vec<&std::sync::Arc<diag::SourceText>> = sources.sources().collect();
    let mut parsed = parallel_map(&files, |f| {
        let mut diags = Vec::new();
        let page = if is_page(f) { parse::parse_source(f, &mut diags) } else { None };
        (page, diags)
    })
    .into_iter();
    for f in files {
        let (page, mut page_diags) = parsed.next().unwrap_or_default();
        diags.append(&mut page_diags);
        if &*f.path == suppress::FILE_NAME {
            match f.utf8_error {
                None => suppressions = suppress::parse_file(f, &mut diags),
                Some(_) => diags.push(Diagnostic::new(Code::SuppressionsInvalid, Span::new(f, 0..0), "suppressions.json is not UTF-8")),
            }
        } else if &*f.path == corrections::FILE_NAME {
            match f.utf8_error {
                None => corrections = corrections::Corrections::parse_source(f, &mut diags),
                Some(_) => diags.push(Diagnostic::new(Code::CorrectionsInvalid, Span::new(f, 0..0), "corrections.json is not UTF-8")),
            }
        } else if let Some(page) = page {
            pages.push(page);
        }
    }
    let api = infer_pages(&pages, &corrections, &mut diags);
    (api, pages, suppressions, diags)
}

/// Recognize parsed pages (sorted by path) and infer the API from them: stages 2
/// and 3, with the links between pages checked beside them.
pub(crate) fn infer_pages(pages: &[parse::Page], corrections: &corrections::Corrections, diags: &mut Vec<Diagnostic>) -> model::Api {
    let (recognized, mut links) = std::thread::scope(|scope| {
        let links = scope.spawn(|| {
            let mut d = Vec::new();
            recognize::links::dangling_links(pages, &mut d);
            d
        });
        let recognized = recognize::pages::recognize_pages(pages, diags);
        // A panic in the other thread is raised again here.
        (recognized, links.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    });
    diags.append(&mut links);
    infer::infer(recognized, corrections, diags)
}

/// Every file but `corrections.json` and `suppressions.json` is a page.
fn is_page(f: &diag::SourceText) -> bool {
    &*f.path != suppress::FILE_NAME && &*f.path != corrections::FILE_NAME
}

/// `f` over `items` on up to `available_parallelism` scoped threads, each taking
/// the next item as it finishes one; the results in the order of `items`.
pub(crate) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut out: Vec<(usize, R)> = Vec::with_capacity(items.len());
    std::thread::scope(|scope| {
        let work = || {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                done.push((i, f(item)));
            }
            done
        };
        // This thread is one of the workers.
        let handles: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        out.extend(work());
        for h in handles {
            // A worker that panicked re-raises its panic here.
            out.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
    });
    // Each index was taken once.
    out.sort_unstable_by_key(|&(i, _)| i);
    out.into_iter().map(|(_, r)| r).collect()
}

/// `f` over `items`, taking each by value, on up to `available_parallelism` scoped
/// threads, each with an equal run of items; the results in the order of `items`.
/// For work that costs about the same per item (checking and indexing texts).
pub(crate) fn parallel_map_owned<T: Send, R: Send>(mut items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len());
    if workers <= 1 {
        return items.into_iter().map(f).collect();
    }
    let run = items.len().div_ceil(workers);
    let mut runs = Vec::with_capacity(workers);
    while items.len() > run {
        runs.push(items.split_off(items.len() - run));
    }
    // The first run is this thread's; `runs` holds the others, last first.
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = runs.into_iter().rev().map(|run| scope.spawn(move || run.into_iter().map(f).collect::<Vec<R>>())).collect();
        let mut out: Vec<R> = items.into_iter().map(f).collect();
        for h in handles {
            // A worker that panicked re-raises its panic here.
            out.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        out
    })
}

/// Lowering and emitting; `suppressions` are those of `suppressions.json` and of the pages.
fn finish(api: model::Api, suppressions: Vec<suppress::Suppression>, mut diags: Vec<Diagnostic>, options: &Options) -> Result<Generated, Error> {
    let lowered = lower::lower(&api, &mut diags);
    let files = emit::emit(&lowered, options, &mut diags);
    let features = lowered.features;
    let suppressed = suppress::apply(&mut diags, &suppressions);
    let mut all = diag::Diagnostics::default();
    all.extend(diags);
    let diagnostics = all.finish();
    match files {
        Some(files) if !diagnostics.iter().any(|d| d.severity == Severity::Error) => Ok(Generated { features, files, diagnostics, suppressed, api }),
        _ => Err(Error::Failed { diagnostics }),
    }
}

pub use config::{Config, Report, OUT_DIR_NAME};
pub use files::{read_docs, stale_files, write_tree};
pub use standalone::{add_roundtrip, features_toml, standalone_crate, take_standalone_crate, RuntimeDependency, ROUNDTRIP, RUNTIME_PACKAGE};

#[cfg(test)]
mod parallel_tests {
    use super::{parallel_map, parallel_map_owned};

    #[test]
    fn parallel_maps_keep_the_order_of_their_items() {
        // Uneven work, so that the workers finish out of order.
        let items: Vec<u64> = (0..1000).map(|i| (i * 7919) % 1000).collect();
        let slow = |&n: &u64| (0..n * 50).fold(n, |a, b| a.wrapping_mul(31).wrapping_add(b)) ^ n;
        let want: Vec<u64> = items.iter().map(slow).collect();
        assert_eq!(parallel_map(&items, slow), want);
        assert_eq!(parallel_map_owned(items.clone(), |n| slow(&n)), want);
        for len in [0, 1, 2, 3, 7] {
            let few: Vec<String> = (0..len).map(|i| i.to_string()).collect();
            assert_eq!(parallel_map(&few, |s| s.len()), few.iter().map(String::len).collect::<Vec<_>>());
            assert_eq!(parallel_map_owned(few.clone(), |s| s + "!"), few.iter().map(|s| format!("{s}!")).collect::<Vec<_>>());
        }
    }
}
