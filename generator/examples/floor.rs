//! The whole-process floor of generation (issue 14): what `msgraph-gen generate`
//! cannot avoid doing, and nothing more. It walks and reads the docs directory as
//! the generator does ([`msgraph_gen::read_docs`]), checks each page is UTF-8, and
//! runs pulldown-cmark over every `.md` page with the generator's parser options
//! (`ENABLE_TABLES | ENABLE_YAML_STYLE_METADATA_BLOCKS`), every event with its offsets
//! consumed, then prints the counts.
//!
//! `scripts/bench.sh genfloor` times it against `msgraph-gen generate` (formatted
//! and `--no-format`) under `/usr/bin/time`, whole process against whole process:
//!
//! ```sh
//! cargo build --release -p msgraph-gen --example floor
//! target/release/examples/floor ../shared/corpus/graph-docs-2020/api-reference/v1.0
//! ```

use std::hint::black_box;
use std::path::PathBuf;
use std::process::ExitCode;

use pulldown_cmark::{Options, Parser};

/// The options `parse::parse_page` passes to pulldown-cmark.
const OPTS: Options = Options::ENABLE_TABLES.union(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(dir), None) = (args.next(), args.next()) else {
        eprintln!("usage: floor DOCS_DIR\n(reads every page under DOCS_DIR and runs pulldown-cmark over each, as `msgraph-gen generate` must)");
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    let files = match msgraph_gen::read_docs(&dir) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (mut pages, mut bytes, mut events) = (0usize, 0usize, 0usize);
    for f in files.iter().filter(|f| f.path.ends_with(".md")) {
        let Ok(text) = std::str::from_utf8(&f.bytes) else {
            eprintln!("warning: {}: not UTF-8, skipped", f.path);
            continue;
        };
        pages += 1;
        bytes += text.len();
        for (event, range) in Parser::new_ext(text, OPTS).into_offset_iter() {
            black_box((&event, &range));
            events += 1;
        }
    }
    println!("{pages} pages, {bytes} bytes, {events} events");
    ExitCode::SUCCESS
}
