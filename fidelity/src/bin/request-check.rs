//! `msgraph-request-check DOCS_DIR --crate CRATE_DIR [--min-share X] [--min-share-all Y] [--verbose]
//! [--name LABEL]`: every `blockType: request` example of a docs tree, written as
//! Rust by the README's URL-to-Rust rule, built by the crate that
//! `msgraph-gen generate DOCS_DIR --out CRATE_DIR` wrote, and compared with the
//! example. See README.md, "The request-example check".

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Check that the request examples of a docs tree are reproduced by the crate
/// generated from it: method, path, query options, headers and JSON body.
#[derive(Parser)]
#[command(name = "msgraph-request-check", version)]
struct Args {
    /// The docs directory (`api/`, `resources/`).
    docs: PathBuf,
    /// The standalone crate generated from it (`msgraph-gen generate DOCS_DIR --out CRATE_DIR`).
    #[arg(long = "crate")]
    crate_dir: PathBuf,
    /// Fail (exit 1) when the share of examples without a page defect that are
    /// reproduced is below this (0 to 1).
    #[arg(long, default_value_t = 0.0)]
    min_share: f64,
    /// Fail (exit 1) when the share of all examples that are reproduced, those
    /// of pages with a defect included, is below this (0 to 1): a floor that a
    /// defect classified too eagerly cannot lift.
    #[arg(long, default_value_t = 0.0)]
    min_share_all: f64,
    /// Every failure, not 5 per cause.
    #[arg(long)]
    verbose: bool,
    /// The tree's name in the report (default: the docs directory's name).
    #[arg(long)]
    name: Option<String>,
    /// How many builds at most (each takes out the calls that do not compile).
    #[arg(long, default_value_t = 8)]
    rounds: usize,
    /// Build the crate without its default features (then name the areas with --features).
    #[arg(long)]
    no_default_features: bool,
    /// Cargo features of the crate to build with (comma-separated).
    #[arg(long)]
    features: Option<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let name = args.name.clone().unwrap_or_else(|| args.docs.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "docs".into()));
    let t0 = std::time::Instant::now();
    let files = match msgraph_gen::read_docs(&args.docs) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("msgraph-request-check: {e}");
            return ExitCode::from(2);
        }
    };
    let read = t0.elapsed();
    let mut options = msgraph_fidelity::requests::BuildOptions { rounds: args.rounds, ..Default::default() };
    if args.no_default_features {
        options.cargo_args.push("--no-default-features".into());
    }
    if let Some(f) = &args.features {
        options.cargo_args.extend(["--features".to_string(), f.clone()]);
    }
    let checked = match msgraph_fidelity::requests::check(&files, &args.crate_dir, &options) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("msgraph-request-check[{name}]: {e}");
            return ExitCode::from(2);
        }
    };
    let shown = if args.verbose { usize::MAX } else { 5 };
    print!("{}", msgraph_fidelity::requests::report::render(&name, &checked.cases, &checked.rows, shown));
    println!();
    println!("requests[{name}]: read {} files in {:.1} s", files.len(), read.as_secs_f64());
    for (what, d) in &checked.phases {
        println!("requests[{name}]: {what} in {:.1} s", d.as_secs_f64());
    }
    println!("requests[{name}]: done in {:.1} s", t0.elapsed().as_secs_f64());
    let summary = msgraph_fidelity::requests::report::Summary::new(&checked.rows);
    if summary.share() < args.min_share {
        eprintln!(
            "msgraph-request-check[{name}]: {:.1}% of the examples without a page defect are reproduced, below the floor of {:.1}%",
            summary.share() * 100.0,
            args.min_share * 100.0
        );
        return ExitCode::FAILURE;
    }
    if summary.share_all() < args.min_share_all {
        eprintln!(
            "msgraph-request-check[{name}]: {:.1}% of all the examples are reproduced, below the floor of {:.1}%",
            summary.share_all() * 100.0,
            args.min_share_all * 100.0
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
