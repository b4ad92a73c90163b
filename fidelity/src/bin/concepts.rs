//! `msgraph-concepts DOCS_DIR [--list] [--ceilings FILE]`: one concept, one name
//! (issue 23). See `msgraph_fidelity::concepts` and FIDELITY.md, "One concept, one name".

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use msgraph_fidelity::concepts::{check_ceilings, Concepts};

/// Count where the API generated from a docs tree spells one concept twice:
/// enums sharing a member set, request bodies that duplicate their resource, and
/// type names not taken from another type's own casing.
#[derive(Parser)]
#[command(name = "msgraph-concepts", version)]
struct Args {
    /// The docs directory (`api/`, `resources/`).
    docs: PathBuf,
    /// Print each figure's offenders under it.
    #[arg(long)]
    list: bool,
    /// Fail (exit 1) when a figure is above its ceiling in this file (lines
    /// `metric count`, `#` comments).
    #[arg(long)]
    ceilings: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let files = match msgraph_gen::read_docs(&args.docs) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("msgraph-concepts: {e}");
            return ExitCode::from(2);
        }
    };
    let surface = msgraph_gen::diff::Surface::of(&msgraph_gen::infer_api(files).0);
    let concepts = Concepts::of(&surface);
    print!("{}", concepts.render(args.list));
    if let Some(path) = &args.ceilings {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("msgraph-concepts: {}: {e}", path.display());
                return ExitCode::from(2);
            }
        };
        match check_ceilings(&concepts, &text) {
            Ok(above) if above.is_empty() => println!("all figures at or below the ceilings in {}", path.display()),
            Ok(above) => {
                for a in above {
                    eprintln!("msgraph-concepts: {a} ({})", path.display());
                }
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("msgraph-concepts: {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
