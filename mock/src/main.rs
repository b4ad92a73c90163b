//! `msgraph-gen-mock` (run as `msgraph-gen mock`): serve a docs directory as a
//! local Graph until interrupted.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use msgraph_mock::{FaultKind, MockGraph};

/// Serve every documented request of DOCS_DIR with its documented response on
/// 127.0.0.1 (a bearer token is required; undocumented routes get 404).
#[derive(Parser)]
#[command(name = "msgraph-gen mock", bin_name = "msgraph-gen mock", version)]
struct Cli {
    /// The directory of markdown pages.
    docs_dir: PathBuf,
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Throttle requests: `METHOD PATH TIMES RETRY_AFTER_SECS`, for example
    /// `--throttle "GET /users/{id} 3 2"`. Repeatable.
    #[arg(long, value_name = "RULE")]
    throttle: Vec<String>,
    /// Fail requests: `METHOD PATH TIMES STATUS`. Repeatable.
    #[arg(long, value_name = "RULE")]
    fail: Vec<String>,
    /// Delay answers: `METHOD PATH TIMES MILLISECONDS`. Repeatable.
    #[arg(long, value_name = "RULE")]
    delay: Vec<String>,
}

/// `METHOD PATH TIMES N` -> (method, path, times, n).
fn rule(text: &str) -> Result<(String, String, usize, u64), String> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    match parts.as_slice() {
        [m, p, t, n] => match (t.parse(), n.parse()) {
            (Ok(t), Ok(n)) => Ok((m.to_string(), p.to_string(), t, n)),
            _ => Err(format!("`{text}`: TIMES and the last number must be whole numbers")),
        },
        _ => Err(format!("`{text}`: expected `METHOD PATH TIMES N`, for example `GET /users/{{id}} 3 2`")),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut faults = Vec::new();
    for (list, make) in [
        (&cli.throttle, (|n| FaultKind::Throttle { retry_after: Duration::from_secs(n) }) as fn(u64) -> FaultKind),
        (&cli.fail, |n| FaultKind::Status(u16::try_from(n).unwrap_or(500))),
        (&cli.delay, |n| FaultKind::Delay(Duration::from_millis(n))),
    ] {
        for text in list {
            match rule(text) {
                Ok((m, p, t, n)) => faults.push((m, p, t, make(n))),
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            }
        }
    }
    let files = match msgraph_gen::read_docs(&cli.docs_dir) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (api, _) = msgraph_gen::infer_api(files);
    let graph = match MockGraph::serve(&api, SocketAddr::from(([127, 0, 0, 1], cli.port))).await {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    for (m, p, t, kind) in faults {
        graph.routes().add_fault(&m, &p, t, kind);
    }
    let (ops, examples) = graph.routes().counts();
    // The first line names the address, for scripts that start the mock.
    println!("serving {ops} operation(s) and {examples} example(s) of {} on {}", cli.docs_dir.display(), graph.base_url());
    let _ = tokio::signal::ctrl_c().await;
    ExitCode::SUCCESS
}
