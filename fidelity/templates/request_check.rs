//! The request examples of the docs, each written as the Rust call the README's
//! URL-to-Rust rule gives, built with `to_http`. Written by `msgraph-request-check`
//! (the `msgraph-fidelity` crate), which builds and runs it and compares what it
//! prints with the examples; not meant to be edited or run by hand.
//!
//! Output: one JSON line per example, `{"id": N, "built": {method, uri, headers,
//! body}}` or `{"id": N, "error": "..."}`. `--start I` begins at the I-th entry of
//! the table (after a crash, the checker starts again past the example that crashed).
#![allow(unused_imports, dead_code, unused_mut, clippy::all)]

use msgraph_generated_crate::requests;
use msgraph_generated_crate::runtime::serde::de::DeserializeOwned;
use msgraph_generated_crate::runtime::serde_json::{self, json};
use msgraph_generated_crate::runtime::{Field, Request};

struct Built {
    method: String,
    uri: String,
    headers: Vec<(String, String)>,
    body: Option<String>,
}

type Out = Result<Built, String>;

/// The example's JSON body as the operation's body type (inferred from the call).
fn body<T: DeserializeOwned>(json: &str) -> Result<T, String> {
    serde_json::from_str(json).map_err(|e| format!("body does not deserialize: {e}"))
}

fn request<T>(r: impl Into<Request<T>>) -> Request<T> {
    r.into()
}

fn header<T>(r: Request<T>, name: &str, value: &str) -> Result<Request<T>, String> {
    r.header(name, value).map_err(|e| format!("header does not build: {e}"))
}

fn built<T>(r: Request<T>, base: &str) -> Out {
    let h = r.to_http(base).map_err(|e| format!("request does not build: {e}"))?;
    Ok(Built {
        method: h.method().to_string(),
        uri: h.uri().to_string(),
        headers: h.headers().iter().map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned())).collect(),
        body: if h.body().is_empty() { None } else { Some(String::from_utf8_lossy(h.body()).into_owned()) },
    })
}

fn main() {
    // Deserializing large generated structs in a debug build takes big stack frames:
    // run on a larger stack (as the round trip does).
    let code = std::thread::Builder::new().stack_size(256 << 20).spawn(run).map(|h| h.join().unwrap_or(1)).unwrap_or(1);
    std::process::exit(code);
}

fn run() -> i32 {
    let args: Vec<String> = std::env::args().collect();
    let start: usize = args.iter().position(|a| a == "--start").and_then(|i| args.get(i + 1)).and_then(|s| s.parse().ok()).unwrap_or(0);
    std::panic::set_hook(Box::new(|_| {}));
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (id, f) in EXAMPLES.iter().skip(start) {
        // The line is printed before the call too, so that a crash names its example.
        let _ = writeln!(out, "{}", json!({ "id": id, "start": true }));
        let _ = out.flush();
        let line = match std::panic::catch_unwind(f) {
            Ok(Ok(b)) => json!({ "id": id, "built": { "method": b.method, "uri": b.uri, "headers": b.headers, "body": b.body } }),
            Ok(Err(e)) => json!({ "id": id, "error": e }),
            Err(p) => {
                let msg = p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_default();
                json!({ "id": id, "error": format!("panicked: {msg}") })
            }
        };
        let _ = writeln!(out, "{line}");
    }
    let _ = out.flush();
    0
}

// The examples follow: one function each, and the table `EXAMPLES`.
