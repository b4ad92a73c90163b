//! The code the fuzz targets run (fuzz/fuzz_targets/*.rs `include!` this file),
//! shared with tests/regressions.rs so every committed crash input is replayed
//! by `cargo test` exactly as the fuzzer ran it.
//!
//! Both targets check the same invariants: no panic, and every diagnostic points
//! at a line and column (1-based) inside a file that was given.

#![allow(dead_code)]

use std::collections::BTreeMap;

use msgraph_gen::{generate_sources, Diagnostic, Error, SourceFile};

/// The path the `parse_page` target gives its input.
pub const PAGE_PATH: &str = "api/fuzz.md";

/// The page the `pipeline` target adds to every input.
pub const SEED_PATH: &str = "resources/participant.md";
pub const SEED: &[u8] = include_bytes!("../../../docs/resources/participant.md");

/// A file's line count and the length of its text (decoded lossily when it is not
/// UTF-8, as the source map holds it): what its spans must stay within.
fn extent(bytes: &[u8]) -> (u32, usize) {
    (bytes.iter().filter(|&&b| b == b'\n').count() as u32 + 1, String::from_utf8_lossy(bytes).len())
}

fn check_spans(diags: &[Diagnostic], extents: &BTreeMap<String, (u32, usize)>) {
    for d in diags {
        let spans = std::iter::once(&d.span).chain(d.related.iter().map(|r| &r.span));
        for s in spans {
            let e = extents.get(&*s.file).copied();
            assert!(e.is_some(), "diagnostic in a file that was not given: {d}");
            let (lines, len) = e.unwrap_or_default();
            assert!(s.start <= s.end && s.end as usize <= len, "byte range {}..{} outside the file ({len} bytes): {d}", s.start, s.end);
            let (line, col) = s.line_col();
            assert!(line >= 1 && col >= 1 && line <= lines, "position {s} outside the file ({lines} lines): {d}");
        }
    }
}

/// `parse_page`: arbitrary bytes as one docs page.
pub fn parse_page(data: &[u8]) -> Vec<Diagnostic> {
    let file = SourceFile { path: PAGE_PATH.to_string(), bytes: data.to_vec() };
    let mut diags = Vec::new();
    let _ = msgraph_gen::internals::parse_file(&file, &mut diags);
    check_spans(&diags, &BTreeMap::from([(PAGE_PATH.to_string(), extent(data))]));
    diags
}

/// Split a `pipeline` input into files: pages separated by a line `%%%%`; a page
/// whose first line is `@@ <path>` gets that path (`@@ corrections.json` and
/// `@@ suppressions.json` give those files), the others `api/page<N>.md`. At
/// most 8 pages are used; the seed page is added after them.
pub fn split(data: &[u8]) -> Vec<SourceFile> {
    let mut files = Vec::new();
    let mut rest = data;
    let sep = b"\n%%%%\n";
    while files.len() < 8 {
        let (chunk, next) = match rest.windows(sep.len()).position(|w| w == sep) {
            Some(i) => (&rest[..i], Some(&rest[i + sep.len()..])),
            None => (rest, None),
        };
        let (path, bytes) = match chunk.strip_prefix(b"@@ ") {
            Some(r) => {
                let end = r.iter().position(|&b| b == b'\n').unwrap_or(r.len());
                let path = String::from_utf8_lossy(&r[..end]).trim().to_string();
                (path, r.get(end + 1..).unwrap_or(&[]).to_vec())
            }
            None => (format!("api/page{}.md", files.len()), chunk.to_vec()),
        };
        files.push(SourceFile { path, bytes });
        match next {
            Some(n) => rest = n,
            None => break,
        }
    }
    files.push(SourceFile { path: SEED_PATH.to_string(), bytes: SEED.to_vec() });
    files
}

/// `pipeline`: arbitrary bytes as a small docs directory, through parse, infer
/// and emit, and the diagnostics through the renderer. Returns every diagnostic,
/// whether generation succeeded or failed.
pub fn pipeline(data: &[u8]) -> Vec<Diagnostic> {
    let files = split(data);
    // With duplicate paths the last file is used: take the largest extent.
    let mut extents = BTreeMap::new();
    for f in &files {
        let n = extent(&f.bytes);
        let e = extents.entry(f.path.clone()).or_insert(n);
        *e = (e.0.max(n.0), e.1.max(n.1));
    }
    let diagnostics = match generate_sources(files.clone()) {
        Ok(g) => g.diagnostics,
        Err(Error::Failed { diagnostics }) => diagnostics,
        Err(e) => panic!("unexpected error kind: {e}"),
    };
    check_spans(&diagnostics, &extents);
    // What the CLI and build errors show: the source lines with markers.
    let _ = msgraph_gen::render::render(&diagnostics, &msgraph_gen::SourceMap::new(files), "docs/");
    diagnostics
}
