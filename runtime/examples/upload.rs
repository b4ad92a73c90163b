//! A resumable large upload against stand-in servers it starts on 127.0.0.1: a
//! Graph host that answers `createUploadSession`, and an upload host (another
//! port, so another origin) that takes the ranges, checks that they arrive in
//! order and without a token, fails one range on purpose so that the upload has to
//! resume from `nextExpectedRanges`, and answers the last range with the created
//! item. The file is a generated stream, never held in memory: the peak memory of
//! the process stays near the chunk size whatever `--mib` says.
//!
//! ```text
//! cargo run -p msgraph-runtime --example upload                      # 64 MiB
//! cargo build --release -p msgraph-runtime --example upload
//! /usr/bin/time -v target/release/examples/upload --mib 1024         # the figure in BENCHMARKS.md
//! ```

#[path = "../tests/common/server.rs"]
mod server;

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use msgraph_runtime::client::{Client, RetryPolicy, Uploaded, DEFAULT_UPLOAD_CHUNK, UPLOAD_CHUNK_UNIT};
use msgraph_runtime::Request;
use serde_json::{json, Value};
use tokio::io::{AsyncRead, ReadBuf};

use server::{graph_error, json, Recorded, Server};

/// `len` pseudo-random bytes (xorshift), produced as they are read.
struct Generated {
    remaining: u64,
    state: u64,
}

impl AsyncRead for Generated {
    fn poll_read(mut self: Pin<&mut Self>, _cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let n = (buf.remaining() as u64).min(self.remaining) as usize;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            self.state ^= self.state << 13;
            self.state ^= self.state >> 7;
            self.state ^= self.state << 17;
            out.push(self.state as u8);
        }
        buf.put_slice(&out);
        self.remaining -= n as u64;
        Poll::Ready(Ok(()))
    }
}

/// FNV-1a over a byte stream, to compare what was sent with what arrived.
fn fnv(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x100_0000_01b3);
    }
    hash
}
const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

#[derive(Default)]
struct Received {
    bytes: u64,
    hash: u64,
    puts: u64,
    with_token: u64,
}

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Peak resident memory of this process, from /proc (Linux), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let total = arg("--mib", 64) * 1024 * 1024;
    let chunk = arg("--chunk-kib", (DEFAULT_UPLOAD_CHUNK / 1024) as u64) as usize * 1024;

    // The upload host: ranges in order, the 3rd PUT fails once with a 500.
    let received = Arc::new(Mutex::new(Received { hash: FNV_START, ..Received::default() }));
    let state = received.clone();
    let upload_host = Server::start_without_bodies(move |r: Recorded| {
        let state = state.clone();
        async move {
            let mut s = state.lock().unwrap();
            if r.header("authorization").is_some() {
                s.with_token += 1;
            }
            if r.method == http::Method::GET {
                return json(200, &json!({ "nextExpectedRanges": [format!("{}-", s.bytes)] }));
            }
            s.puts += 1;
            if s.puts == 3 {
                return graph_error(500, "generalException", "a range failed on purpose", "example-500");
            }
            let range = r.header("content-range").unwrap_or_default().to_owned();
            let parsed = range.strip_prefix("bytes ").and_then(|r| r.split_once('/')).and_then(|(span, total)| {
                let (a, _) = span.split_once('-')?;
                Some((a.parse::<u64>().ok()?, total.parse::<u64>().ok()?))
            });
            let Some((start, total)) = parsed.filter(|(start, _)| *start == s.bytes) else {
                return graph_error(416, "invalidRange", "not the next expected range", "example-416");
            };
            s.hash = fnv(s.hash, &r.body);
            s.bytes = start + r.body.len() as u64;
            if s.bytes == total {
                json(201, &json!({ "id": "01BYE5RZ", "name": "big.bin", "size": total }))
            } else {
                json(202, &json!({ "nextExpectedRanges": [format!("{}-", s.bytes)] }))
            }
        }
    })
    .await;
    let upload_url = upload_host.url("/up/session?tempauth=pre-authenticated");
    let graph = Server::start(move |r: Recorded| {
        let url = upload_url.clone();
        async move {
            if r.method == http::Method::POST && r.path().ends_with("/createUploadSession") {
                json(200, &json!({ "uploadUrl": url, "expirationDateTime": "2030-01-01T00:00:00Z", "nextExpectedRanges": ["0-"] }))
            } else {
                graph_error(404, "itemNotFound", "no such resource", "example-404")
            }
        }
    })
    .await;

    let client = Client::builder()
        .base_url(graph.base_url())
        .token("example-token")
        .timeout(Duration::from_secs(60))
        .retry_policy(RetryPolicy::default().with_base_backoff(Duration::from_millis(10)))
        .build()?;
    let create: Request<Value> = Request::new(http::Method::POST, "/me/drive/root:/big.bin:/createUploadSession".into(), 200)
        .json_body(&json!({ "item": { "@microsoft.graph.conflictBehavior": "replace" } }));
    let upload = client.create_upload_session(create).await?.chunk_size(chunk)?;

    let started = Instant::now();
    let expected = {
        let mut hash = FNV_START;
        let mut g = Generated { remaining: total, state: 0x9E37_79B9_7F4A_7C15 };
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let mut rb = ReadBuf::new(&mut buf);
            let _ = Pin::new(&mut g).poll_read(&mut Context::from_waker(std::task::Waker::noop()), &mut rb);
            if rb.filled().is_empty() {
                break hash;
            }
            hash = fnv(hash, rb.filled());
        }
    };
    let done = upload.send::<Value, _>(Generated { remaining: total, state: 0x9E37_79B9_7F4A_7C15 }, total).await?;
    let elapsed = started.elapsed();
    let s = received.lock().unwrap();
    match done {
        Uploaded::Item(item) => println!("created {} ({} bytes) with status {}", item.body["name"], item.body["size"], item.status),
        Uploaded::Location { location, .. } => println!("created at {location}"),
    }
    println!(
        "{} MiB in {} ranges of {} KiB ({} x 320 KiB), one failed range resumed, {:.1} s",
        total >> 20,
        s.puts,
        chunk / 1024,
        chunk / UPLOAD_CHUNK_UNIT,
        elapsed.as_secs_f64()
    );
    println!("bytes received match the stream: {}", s.hash == expected && s.bytes == total);
    println!("requests to the upload host that carried a token: {}", s.with_token);
    if let Some(kib) = peak_rss_kib() {
        println!("peak resident memory of this process (client and both servers): {} MiB", kib / 1024);
    }
    if s.hash != expected || s.bytes != total || s.with_token != 0 {
        return Err("the upload did not arrive intact".into());
    }
    Ok(())
}
