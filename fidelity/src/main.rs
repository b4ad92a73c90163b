//! `msgraph-fidelity DOCS_DIR CSDL_FILE [--floors FILE]`: the fidelity report.
//! See `FIDELITY.md` at the repository root.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Compare the model msgraph-gen infers from a docs tree with the service's OData
/// metadata (CSDL): types found, property recall and precision, strict type accuracy,
/// enums found, member recall and precision, and the misses and disagreements by cause.
/// The metadata is a test oracle: the generator never reads it.
#[derive(Parser)]
#[command(name = "msgraph-fidelity", version)]
struct Args {
    /// The docs directory (`api/`, `resources/`).
    docs: PathBuf,
    /// The CSDL file of the same service version (`$metadata`).
    csdl: PathBuf,
    /// Fail (exit 1) when a net figure is below its floor: lines `metric percent`,
    /// metrics types-found, property-recall, property-precision, strict-type-accuracy,
    /// enums-found, member-recall, member-precision (each also with `-raw`: the raw figure).
    #[arg(long)]
    floors: Option<PathBuf>,
    /// How many examples to print per cause.
    #[arg(long, default_value_t = 3)]
    examples: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let files = match msgraph_gen::read_docs(&args.docs) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("msgraph-fidelity: {e}");
            return ExitCode::from(2);
        }
    };
    let schema = match std::fs::read_to_string(&args.csdl).map_err(|e| e.to_string()).and_then(|x| msgraph_fidelity::Schema::parse(&x)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("msgraph-fidelity: {}: {e}", args.csdl.display());
            return ExitCode::from(2);
        }
    };
    let report = msgraph_fidelity::measure(&files, &schema);
    println!("fidelity of {} against {}\n", args.docs.display(), args.csdl.display());
    println!("{}", report.table());
    println!("net: disagreements left out; raw: disagreements counted as misses.");
    println!("resource-page types the metadata lacks: {}\n", report.docs_only_types.len());
    println!("misses by cause (generator limits):\n{}", report.causes(false, args.examples));
    println!("disagreements by cause (the docs say what the model says; the metadata says otherwise):\n{}", report.causes(true, args.examples));
    if let Some(path) = &args.floors {
        let floors = match std::fs::read_to_string(path) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("msgraph-fidelity: {}: {e}", path.display());
                return ExitCode::from(2);
            }
        };
        match msgraph_fidelity::check_floors(&report, &floors) {
            Ok(below) if below.is_empty() => println!("all figures at or above the floors in {}", path.display()),
            Ok(below) => {
                for b in below {
                    eprintln!("msgraph-fidelity: {b} ({})", path.display());
                }
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("msgraph-fidelity: {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
