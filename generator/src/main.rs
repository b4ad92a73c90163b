//! `msgraph-gen`: the command-line front-end (Cargo feature `cli`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use msgraph_gen::{Config, Diagnostic, Error, RuntimeDependency, Severity, SourceMap};

/// Generate a typed Rust crate from API reference pages in the Microsoft Graph
/// markdown format.
///
/// The generated code runs on the runtime crate msgraph-runtime (requests,
/// responses, errors, primitive types, the async client). From a build.rs, use the
/// library instead: `msgraph_gen::Config::new().docs_dir("docs").compile()`.
#[derive(Parser)]
#[command(name = "msgraph-gen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a complete standalone crate from DOCS_DIR: Cargo.toml (depending on
    /// msgraph-runtime alone, with one Cargo feature per docs area and `client`),
    /// src/lib.rs (the modules `models` and `requests`, the runtime re-exported as
    /// `runtime` and its async client as `client`) and the module tree.
    Generate {
        /// The directory of markdown pages (for example `docs`).
        docs_dir: PathBuf,
        /// Where to write the crate. Only files whose bytes change are written.
        #[arg(long)]
        out: PathBuf,
        /// The package name of the generated crate.
        #[arg(long, default_value = "msgraph-generated")]
        crate_name: String,
        /// Also write `examples.json` and `examples/roundtrip.rs`: `cargo run --example
        /// roundtrip` in the crate then round-trips every typed response example of
        /// the docs through the generated models and reports the share and the
        /// failures by cause.
        #[arg(long)]
        with_roundtrip: bool,
        /// Depend on the runtime crate (msgraph-runtime) at this directory, for
        /// example `runtime` in a clone of this repository.
        #[arg(long, value_name = "DIR", conflicts_with = "runtime_version")]
        runtime_path: Option<PathBuf>,
        /// Depend on this version of the runtime crate from the registry (the
        /// default: the generator's own version).
        #[arg(long, value_name = "VERSION")]
        runtime_version: Option<String>,
        /// Write the code unformatted (the same items as the generator writes them, no
        /// indentation), for a crate nobody reads: generation is more than twice as fast
        /// without prettyplease.
        #[arg(long)]
        no_format: bool,
    },
    /// Exit non-zero when the committed module tree is stale (differs from what
    /// DOCS_DIR generates now).
    Check {
        /// The directory of markdown pages.
        docs_dir: PathBuf,
        /// The committed module tree to compare with.
        #[arg(long, default_value = "generated")]
        generated: PathBuf,
    },
    /// List every diagnostic code with its severity and meaning (Markdown table).
    Codes,
    /// Compare the API two docs directories generate: added, removed and changed
    /// types, properties, enum members and operations, each marked breaking or not.
    /// Exit status 0: nothing breaking; 1: something breaking changed; 2: an error.
    Diff {
        /// The docs before the change.
        old_docs: PathBuf,
        /// The docs after the change.
        new_docs: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Write an OpenAPI 3.0 document (JSON) of the API inferred from DOCS_DIR:
    /// schemas, paths, parameters, bodies, responses, each with its docs page and line.
    Openapi {
        /// The directory of markdown pages.
        docs_dir: PathBuf,
        /// Where to write the document (standard output when absent).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Serve DOCS_DIR as a local Graph on 127.0.0.1: every documented request
    /// answered with its documented response (`msgraph-gen mock DOCS_DIR [--port N]`;
    /// `msgraph-gen mock --help` for the fault options). Runs `msgraph-gen-mock`, the
    /// binary of the msgraph-mock crate, from beside this one or from PATH
    /// (or the program that MSGRAPH_GEN_MOCK names).
    #[command(disable_help_flag = true)]
    Mock {
        /// Arguments for msgraph-gen-mock.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
    },
    /// Check the docs without generating: print every diagnostic.
    Lint {
        /// The directory of markdown pages.
        docs_dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

/// Print diagnostics with their source lines, from the docs as they were read.
fn print_diags(sources: &SourceMap, diags: &[Diagnostic]) {
    eprint!("{}", msgraph_gen::render::render(diags, sources, ""));
}

/// The docs directory's files, read and indexed once: generation and the rendering
/// of its diagnostics both use them.
fn read(docs_dir: &std::path::Path) -> Result<SourceMap, ExitCode> {
    msgraph_gen::read_docs(docs_dir).map(SourceMap::new).map_err(|e| fail(&SourceMap::default(), e))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate { docs_dir, out, crate_name, with_roundtrip, runtime_path, runtime_version, no_format } => {
            generate(docs_dir, out, crate_name, with_roundtrip, runtime_path, runtime_version, no_format)
        }
        Command::Codes => {
            println!("| code | severity | meaning |\n|---|---|---|");
            for c in msgraph_gen::Code::ALL {
                println!("| `{}` | {} | {} |", c.as_str(), c.severity().as_str(), c.describe());
            }
            ExitCode::SUCCESS
        }
        Command::Check { docs_dir, generated } => {
            let files = match read(&docs_dir) {
                Ok(f) => f,
                Err(code) => return code,
            };
            match Config::new().docs_dir(&docs_dir).out_dir(&generated).check_on(&files) {
                Ok(r) => {
                    eprintln!("{} is up to date ({} files)", generated.display(), r.unchanged.len());
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&files, e),
            }
        }
        Command::Diff { old_docs, new_docs, format } => diff(old_docs, new_docs, format),
        Command::Openapi { docs_dir, out } => openapi(docs_dir, out),
        Command::Mock { args } => mock(&args),
        Command::Lint { docs_dir, format } => lint(docs_dir, format),
    }
}

/// `generate`: a standalone crate from a docs directory.
#[allow(clippy::too_many_arguments)]
fn generate(
    docs_dir: PathBuf,
    out: PathBuf,
    crate_name: String,
    with_roundtrip: bool,
    runtime_path: Option<PathBuf>,
    runtime_version: Option<String>,
    no_format: bool,
) -> ExitCode {
    let runtime = match (runtime_path, runtime_version) {
        // An absolute path, so that the crate builds wherever --out puts it.
        (Some(p), _) => match std::fs::canonicalize(&p) {
            Ok(p) => RuntimeDependency::Path(p),
            Err(e) => {
                eprintln!("error: --runtime-path {}: {e}", p.display());
                return ExitCode::FAILURE;
            }
        },
        (None, Some(v)) => RuntimeDependency::Version(v),
        (None, None) => RuntimeDependency::default(),
    };
    let files = match read(&docs_dir) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let result = Config::new().docs_dir(&docs_dir).format(!no_format).run_on(&files).and_then(|mut g| {
        let mut tree = msgraph_gen::take_standalone_crate(&crate_name, &mut g, &runtime);
        if with_roundtrip {
            msgraph_gen::add_roundtrip(&mut tree, &crate_name, &g);
        }
        msgraph_gen::write_tree(&out, &tree).map(|r| (g, tree, r))
    });
    match result {
        Ok((g, tree, r)) => {
            print_diags(&files, &g.diagnostics);
            if g.suppressed > 0 {
                eprintln!("{} diagnostic(s) suppressed", g.suppressed);
            }
            eprintln!("wrote {} file(s), {} unchanged, to {}", r.written.len(), r.unchanged.len(), out.display());
            // The process ends here: its memory goes back whole, with no need to free
            // the model, the sources and the written files one allocation at a time.
            std::mem::forget((g, tree, files));
            ExitCode::SUCCESS
        }
        Err(e) => fail(&files, e),
    }
}

/// `diff`: what the API two docs directories generate differs in.
fn diff(old_docs: PathBuf, new_docs: PathBuf, format: Format) -> ExitCode {
    let surface = |dir: &std::path::Path| msgraph_gen::read_docs(dir).map(|files| msgraph_gen::diff::Surface::of(&msgraph_gen::infer_api(files).0));
    let (old, new) = match (surface(&old_docs), surface(&new_docs)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let d = msgraph_gen::diff::diff(&old, &new);
    match format {
        Format::Human => print!("{}", d.render_text()),
        Format::Json => println!("{}", serde_json::to_string_pretty(&d.to_json()).unwrap_or_default()),
    }
    ExitCode::from(u8::from(d.is_breaking()))
}

/// `openapi`: the inferred API as an OpenAPI 3.0 document.
fn openapi(docs_dir: PathBuf, out: Option<PathBuf>) -> ExitCode {
    let files = match msgraph_gen::read_docs(&docs_dir) {
        Ok(f) => f,
        Err(e) => return fail(&SourceMap::default(), e),
    };
    let (api, diags) = msgraph_gen::infer_api(files);
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    if errors > 0 {
        eprintln!("warning: the docs have {errors} error(s) (`msgraph-gen lint` lists them); the document describes what could be inferred");
    }
    let text = msgraph_gen::openapi::to_string(&api);
    match out {
        None => print!("{text}"),
        Some(path) => {
            // Through a temporary file and a rename: never a half-written document.
            let tmp = path.with_extension("json.tmp");
            if let Err(e) = std::fs::write(&tmp, &text).and_then(|_| std::fs::rename(&tmp, &path)) {
                let _ = std::fs::remove_file(&tmp);
                eprintln!("error: {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
            eprintln!("wrote {} ({} bytes, {} schemas, {} operations)", path.display(), text.len(), api.len(), api.operations.len());
        }
    }
    ExitCode::SUCCESS
}

/// `lint`: every diagnostic, as text or JSON.
fn lint(docs_dir: PathBuf, format: Format) -> ExitCode {
    let files = match read(&docs_dir) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let diags = match Config::new().docs_dir(&docs_dir).run_on(&files) {
        Ok(g) => {
            if g.suppressed > 0 && matches!(format, Format::Human) {
                eprintln!("{} diagnostic(s) suppressed", g.suppressed);
            }
            g.diagnostics
        }
        Err(Error::Failed { diagnostics }) => diagnostics,
        Err(e) => return fail(&files, e),
    };
    match format {
        Format::Human => print_diags(&files, &diags),
        Format::Json => {
            let items: Vec<serde_json::Value> = diags
                .iter()
                .map(|d| {
                    // Line and column from the span's byte offset in the source map.
                    let (line, column) = d.span.line_col();
                    serde_json::json!({
                        "code": d.code.as_str(),
                        "severity": d.severity.as_str(),
                        "file": &*d.span.file,
                        "line": line,
                        "column": column,
                        "message": d.message,
                        "related": d.related.iter().map(|r| serde_json::json!({
                            "file": &*r.span.file, "line": r.span.line(), "column": r.span.col(), "message": r.message
                        })).collect::<Vec<_>>(),
                        "hint": d.hint,
                    })
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&items).unwrap_or_default());
        }
    }
    if diags.iter().any(|d| d.severity == Severity::Error) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Run `msgraph-gen-mock` (the msgraph-mock crate keeps hyper and tokio out of the
/// generator): MSGRAPH_GEN_MOCK, else beside this executable, else from PATH.
fn mock(args: &[std::ffi::OsString]) -> ExitCode {
    let name = format!("msgraph-gen-mock{}", std::env::consts::EXE_SUFFIX);
    let program = std::env::var_os("MSGRAPH_GEN_MOCK").map(PathBuf::from).unwrap_or_else(|| {
        std::env::current_exe().ok().and_then(|e| e.parent().map(|d| d.join(&name))).filter(|p| p.is_file()).unwrap_or_else(|| PathBuf::from(&name))
    });
    let mut command = std::process::Command::new(&program);
    command.args(args);
    // On Unix the mock takes this process's place, so a signal to it (Ctrl-C, kill)
    // stops the server itself.
    #[cfg(unix)]
    let result: std::io::Result<ExitCode> = Err(std::os::unix::process::CommandExt::exec(&mut command));
    #[cfg(not(unix))]
    let result = command.status().map(|status| ExitCode::from(status.code().map_or(1, |c| u8::try_from(c).unwrap_or(1))));
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!(
                "error: `msgraph-gen mock` runs {} ({e}); build it with `cargo build -p msgraph-mock` in the msgraph-gen repository, or install it with `cargo install msgraph-mock` (`cargo install --path mock` from a checkout)",
                program.display()
            );
            ExitCode::from(2)
        }
    }
}

fn fail(sources: &SourceMap, e: Error) -> ExitCode {
    if let Error::Failed { diagnostics } = &e {
        print_diags(sources, diagnostics);
    }
    eprintln!("error: {e}");
    ExitCode::FAILURE
}
