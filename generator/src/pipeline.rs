//! The pipeline: the stages run one after another, files in, files and
//! diagnostics out, no IO. `parse` -> `recognize` -> `infer` -> `lower` -> `emit`,
//! with the suppressions of `suppressions.json` and of the pages applied at the end.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::diag::{self, suppress, Code, Diagnostic, Severity, SourceFile, SourceMap, SourceText, Span};
use crate::emit::{self, Options};
use crate::error::Error;
use crate::recognize::corrections::{self, Corrections};
use crate::threads::parallel_map;
use crate::{infer, lower, model, parse, recognize};

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
    pub features: BTreeMap<String, BTreeSet<String>>,
    pub api: model::Api,
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
/// Public as [`Config::run_on`](crate::Config::run_on).
pub(crate) fn generate_from(sources: &SourceMap, options: &Options) -> Result<Generated, Error> {
    let (api, pages, mut suppressions, diags) = read_api(sources);
    suppressions.extend(page_suppressions(&pages));
    // The pages are not needed any more: freed on another thread, beside the rest.
    std::thread::scope(|scope| {
        scope.spawn(move || drop(pages));
        finish(api, suppressions, diags, options)
    })
}

/// Parse and infer only: the API model and the diagnostics so far (suppressions
/// applied), even when the docs have errors that would stop generation. Pure, like
/// [`generate_sources`]; [`diff`](crate::diff) and `msgraph-gen openapi` start from this.
pub fn infer_api(files: Vec<SourceFile>) -> (model::Api, Vec<Diagnostic>) {
    let (api, pages, mut suppressions, mut diags) = read_api(&SourceMap::new(files));
    suppressions.extend(page_suppressions(&pages));
    suppress::apply(&mut diags, &suppressions);
    let mut all = diag::Diagnostics::default();
    all.extend(diags);
    (api, all.finish())
}

#[allow(clippy::type_complexity)]
fn read_api(sources: &SourceMap) -> (model::Api, Vec<parse::Page>, Vec<suppress::Suppression>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut corrections = Corrections::default();
    let mut suppressions = Vec::new();
    let mut pages = Vec::new();
    // Sorted by path. Pages are parsed on every core (each on its own, with its own
    // diagnostics); their results come back in path order, as a loop would give them.
    let files: Vec<&Arc<SourceText>> = sources.sources().collect();
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
                None => corrections = Corrections::parse_source(f, &mut diags),
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
pub(crate) fn infer_pages(pages: &[parse::Page], corrections: &Corrections, diags: &mut Vec<Diagnostic>) -> model::Api {
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
fn is_page(f: &SourceText) -> bool {
    &*f.path != suppress::FILE_NAME && &*f.path != corrections::FILE_NAME
}

/// Suppressions written in pages' `#page.annotation` comments, in page order.
fn page_suppressions(pages: &[parse::Page]) -> Vec<suppress::Suppression> {
    let mut out = Vec::new();
    for p in pages {
        for a in &p.page_annotations {
            suppress::from_annotation(&p.path, &a.value, &a.span, &mut out);
        }
    }
    out
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
