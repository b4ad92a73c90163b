//! Benchmarks over the real Microsoft Graph v1.0 corpus (issue 6).
//!
//! Reading is excluded: every page is loaded into memory once, before any timing.
//! Three benchmarks in one group, so their ratios come from the same run:
//!
//! - `floor`: pulldown-cmark alone over every page, with the options the generator
//!   uses (`ENABLE_TABLES | ENABLE_YAML_STYLE_METADATA_BLOCKS`), every event
//!   consumed through `into_offset_iter` (as `parse::parse_page` iterates).
//! - `parse_only`: `msgraph_gen::internals::parse_file` over every page.
//! - `generate_sources`: `msgraph_gen::generate_sources` over the same files
//!   (parse + infer + emit + prettyplease). The input clone is made in criterion's
//!   setup, outside the timed part.
//! - `generate_unformatted`: the same without formatting (`Options::format(false)`,
//!   what `Config::compile` does into `OUT_DIR`, `generate --no-format`; issue 14).
//! - `read_floor` and `read_generate_unformatted`: the same two with the reading of
//!   the docs directory (`read_docs`) inside the timed part, as a whole
//!   `msgraph-gen generate --no-format` run does it (issue 14's "read+parse floor").
//! - group `huge`: the catalogue's `huge-table` and `huge-example` inputs (a
//!   property row, and an example line, repeated) at 5,000, 10,000 and 20,000
//!   rows, generated: the time per row stays flat when nothing is quadratic in a
//!   table's or an example's length (the catalogue test checks their diagnostics,
//!   not their time).
//!
//! The corpus is `../shared/corpus/graph-docs-2020/api-reference/v1.0` relative to
//! the workspace root, or the directory in `MSGRAPH_CORPUS`. A missing or empty
//! corpus fails the benchmark with a message; it is never skipped.
//!
//! ```sh
//! cargo bench -p msgraph-gen --bench corpus
//! MSGRAPH_CORPUS=/path/to/v1.0 cargo bench -p msgraph-gen --bench corpus
//! ```
//!
//! See BENCHMARKS.md at the workspace root for figures and `scripts/bench.sh`.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use msgraph_gen::{generate_sources, generate_sources_with, internals as parse, SourceFile};
use pulldown_cmark::{Options, Parser};

/// The options `parse::parse_page` passes to pulldown-cmark.
const OPTS: Options = Options::ENABLE_TABLES.union(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);

fn corpus_dir() -> PathBuf {
    match std::env::var_os("MSGRAPH_CORPUS") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => {
            // CARGO_MANIFEST_DIR is generator/; the workspace root is its parent.
            let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
            root.join("../shared/corpus/graph-docs-2020/api-reference/v1.0")
        }
    }
}

fn load_corpus() -> Vec<SourceFile> {
    let dir = corpus_dir();
    if !dir.is_dir() {
        panic!(
            "corpus benchmark: the Graph docs corpus is missing: {} is not a directory.\n\
             Set MSGRAPH_CORPUS to the api-reference/v1.0 directory of the Microsoft Graph docs \
             (it holds api/ and resources/), e.g.\n  \
             MSGRAPH_CORPUS=/path/to/graph-docs/api-reference/v1.0 cargo bench -p msgraph-gen --bench corpus",
            dir.display()
        );
    }
    let files = msgraph_gen::read_docs(&dir).unwrap_or_else(|e| panic!("corpus benchmark: cannot read the corpus: {e}"));
    let pages = files.iter().filter(|f| f.path.ends_with(".md")).count();
    if pages == 0 {
        panic!("corpus benchmark: no .md pages under {}; set MSGRAPH_CORPUS to the api-reference/v1.0 directory", dir.display());
    }
    files
}

fn floor(texts: &[&str]) -> usize {
    let mut events = 0usize;
    for text in texts {
        for (event, range) in Parser::new_ext(text, OPTS).into_offset_iter() {
            black_box((&event, &range));
            events += 1;
        }
    }
    events
}

fn parse_only(files: &[SourceFile]) -> (Vec<parse::Page>, Vec<msgraph_gen::Diagnostic>) {
    let mut diags = Vec::new();
    let mut pages = Vec::with_capacity(files.len());
    for f in files {
        if f.path.ends_with(".md") {
            if let Some(page) = parse::parse_file(f, &mut diags) {
                pages.push(page);
            }
        }
    }
    (pages, diags)
}

fn corpus(c: &mut Criterion) {
    let files = load_corpus();
    let md: Vec<&SourceFile> = files.iter().filter(|f| f.path.ends_with(".md")).collect();
    let texts: Vec<&str> =
        md.iter().map(|f| std::str::from_utf8(&f.bytes).unwrap_or_else(|e| panic!("corpus benchmark: {} is not UTF-8: {e}", f.path))).collect();
    let bytes: u64 = md.iter().map(|f| f.bytes.len() as u64).sum();

    // One untimed run: the figures mean nothing if generation fails.
    let generated = generate_sources(files.clone()).unwrap_or_else(|e| panic!("corpus benchmark: generation over {} fails: {e}", corpus_dir().display()));
    let loc: usize = generated.files.values().map(|t| t.lines().count()).sum();
    eprintln!(
        "corpus: {} pages, {} bytes of markdown, {} events; generates {} files, {} lines, {} diagnostics",
        md.len(),
        bytes,
        floor(&texts),
        generated.files.len(),
        loc,
        generated.diagnostics.len()
    );
    drop(generated);

    let mut g = c.benchmark_group("corpus");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(2));

    g.measurement_time(Duration::from_secs(5));
    g.bench_function("floor", |b| b.iter(|| floor(black_box(&texts))));
    g.bench_function("parse_only", |b| b.iter(|| parse_only(black_box(&files))));

    let dir = corpus_dir();
    g.bench_function("read_floor", |b| {
        b.iter(|| {
            let files = msgraph_gen::read_docs(black_box(&dir)).unwrap();
            let texts: Vec<&str> = files.iter().filter(|f| f.path.ends_with(".md")).map(|f| std::str::from_utf8(&f.bytes).unwrap()).collect();
            floor(&texts)
        })
    });

    g.measurement_time(Duration::from_secs(15));
    g.bench_function("generate_sources", |b| b.iter_batched(|| files.clone(), |files| generate_sources(black_box(files)), BatchSize::PerIteration));
    let unformatted = msgraph_gen::Options::default().format(false);
    g.bench_function("generate_unformatted", |b| {
        b.iter_batched(|| files.clone(), |files| generate_sources_with(black_box(files), &unformatted), BatchSize::PerIteration)
    });
    g.bench_function("read_generate_unformatted", |b| b.iter(|| generate_sources_with(msgraph_gen::read_docs(black_box(&dir)).unwrap(), &unformatted)));
    g.finish();
}

/// A copy of the catalogue case `case` with its property row (and, for
/// `huge-example`, its example line) repeated `rows` times, read as the generator
/// reads a docs directory.
fn huge_input(case: &str, rows: usize) -> Vec<SourceFile> {
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad").join(case);
    let tmp = tempfile::tempdir().unwrap();
    for sub in ["resources", "api"].into_iter().filter(|sub| fixture.join(sub).is_dir()) {
        std::fs::create_dir_all(tmp.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(fixture.join(sub)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), tmp.path().join(sub).join(entry.file_name())).unwrap();
        }
    }
    let repeat = |rel: &str, line: &str, make: &dyn Fn(usize) -> String| {
        let page = tmp.path().join(rel);
        let text = std::fs::read_to_string(&page).unwrap();
        assert!(text.contains(line), "{rel} has no line {line:?}");
        let lines: String = (0..rows).map(make).collect();
        std::fs::write(&page, text.replacen(line, &lines, 1)).unwrap();
    };
    repeat("resources/widget.md", "| prop0 | String | Property number 0. |\n", &|i| format!("| prop{i} | String | Property number {i}. |\n"));
    if case == "huge-example" {
        repeat("api/widget-get.md", "  \"prop0\": \"value 0\",\n", &|i| format!("  \"prop{i}\": \"value {i}\",\n"));
    }
    msgraph_gen::read_docs(tmp.path()).unwrap()
}

fn huge(c: &mut Criterion) {
    let mut g = c.benchmark_group("huge");
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(5));
    let unformatted = msgraph_gen::Options::default().format(false);
    for case in ["huge-table", "huge-example"] {
        for rows in [5_000, 10_000, 20_000] {
            let files = huge_input(case, rows);
            g.throughput(Throughput::Elements(rows as u64));
            g.bench_function(format!("{case}/{rows}"), |b| {
                b.iter_batched(|| files.clone(), |files| generate_sources_with(black_box(files), &unformatted), BatchSize::PerIteration)
            });
        }
    }
    g.finish();
}

criterion_group!(benches, corpus, huge);
criterion_main!(benches);
