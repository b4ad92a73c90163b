//! What the client did, visible, against stand-in servers it starts on 127.0.0.1:
//! a `tracing` span per attempt (printed by a small subscriber defined below:
//! method, path template, attempt, status, duration, client-request-id), the
//! `client-request-id` in an error next to the server's `request-id`, a
//! cross-origin redirect that drops the token, and the bytes on the wire of a
//! large JSON page with and without gzip (the figure in BENCHMARKS.md).
//!
//! ```text
//! cargo run -p msgraph-runtime --example observe
//! ```

#[path = "../tests/common/server.rs"]
mod server;

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use msgraph_runtime::client::{Client, RetryPolicy};
use msgraph_runtime::{Page, Request};
use serde_json::{json, Value};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

use server::{graph_error, json, Recorded, Server};

/// Prints each span with its fields when it closes. An application would use
/// `tracing-subscriber` instead.
#[derive(Default)]
struct PrintSpans {
    next: AtomicU64,
    /// Open spans by id: handles alive, name, `field=value` texts.
    spans: Mutex<HashMap<u64, OpenSpan>>,
}

type OpenSpan = (usize, String, Vec<String>);

struct Fields<'a>(&'a mut Vec<String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push(format!("{}={value:?}", field.name()));
    }
}

impl Subscriber for PrintSpans {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.is_span()
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        let mut fields = Vec::new();
        attrs.record(&mut Fields(&mut fields));
        self.spans.lock().unwrap().insert(id, (1, attrs.metadata().name().to_owned(), fields));
        Id::from_u64(id)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Some((_, _, fields)) = self.spans.lock().unwrap().get_mut(&span.into_u64()) {
            values.record(&mut Fields(fields));
        }
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
    fn clone_span(&self, id: &Id) -> Id {
        if let Some(entry) = self.spans.lock().unwrap().get_mut(&id.into_u64()) {
            entry.0 += 1;
        }
        id.clone()
    }
    fn try_close(&self, id: Id) -> bool {
        let mut spans = self.spans.lock().unwrap();
        let Some(entry) = spans.get_mut(&id.into_u64()) else { return false };
        entry.0 -= 1;
        if entry.0 > 0 {
            return false;
        }
        let (_, name, fields) = spans.remove(&id.into_u64()).unwrap_or_default();
        println!("  span {name}: {}", fields.join(" "));
        true
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

/// A page of 999 users (the largest page `/users` gives), shaped like Graph's.
fn users_page() -> Vec<u8> {
    let users: Vec<Value> = (0..999u32)
        .map(|i| {
            let job = ["Developer", "Product Manager", "Designer", "Sales"][i as usize % 4];
            json!({
                "businessPhones": [format!("+1 425 555 {:04}", i)],
                "displayName": format!("User {i}"),
                "givenName": "User",
                "jobTitle": job,
                "mail": format!("user{i}@contoso.onmicrosoft.com"),
                "mobilePhone": null,
                "officeLocation": format!("{}/{}", 18 + i % 7, 1000 + i),
                "preferredLanguage": "en-US",
                "surname": format!("{i}"),
                "userPrincipalName": format!("user{i}@contoso.onmicrosoft.com"),
                "id": format!("{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}", i.wrapping_mul(2_654_435_761), i % 65536, i % 4096, (i * 7) % 4096, u64::from(i) * 0x9E37_79B9)
            })
        })
        .collect();
    serde_json::to_vec(&json!({ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "value": users })).unwrap_or_default()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing::subscriber::set_global_default(PrintSpans::default())?;

    // 1. Spans: a throttled request retried once, then an error with both ids.
    let throttled = std::sync::Arc::new(AtomicU64::new(0));
    let graph = Server::start(move |r: Recorded| {
        let first = throttled.fetch_add(1, Ordering::SeqCst) == 0;
        async move {
            if r.path().ends_with("/participants") && first {
                http::Response::builder().status(429).header("retry-after", "0").body(Vec::new()).unwrap_or_default()
            } else if r.path().ends_with("/participants") {
                json(200, &json!({ "value": [{ "id": "p1" }] }))
            } else {
                graph_error(404, "itemNotFound", "The call was not found", "8d4a7f3e-0000-4a55-9b71-server-side")
            }
        }
    })
    .await;
    let client = Client::builder().base_url(graph.base_url()).token("example-token").retry_policy(RetryPolicy::default()).build()?;
    println!("GET participants (throttled once):");
    let call_id = "57dab8b1-894c-409a-b240-bd8beae78896";
    let list = Request::<Page<Value>>::new(http::Method::GET, format!("/communications/calls/{call_id}/participants"), 200).path_params(&[("callId", call_id)]);
    client.send(list).await?;
    println!("GET a call that does not exist:");
    let get = Request::<Value>::new(http::Method::GET, "/communications/calls/gone".into(), 200).path_params(&[("callId", "gone")]);
    if let Err(e) = client.send(get).await {
        println!("  error: {e}");
    }

    // 2. A redirect to another origin: followed, without the token.
    let download = Server::start(|_| async { json(200, &json!({ "content": "bytes" })) }).await;
    let target = download.url("/files/1?sig=pre-authenticated");
    let redirecting = Server::start(move |_| {
        let to = target.clone();
        async move { http::Response::builder().status(302).header("location", to).body(Vec::new()).unwrap_or_default() }
    })
    .await;
    let c = Client::builder().base_url(redirecting.base_url()).token("example-token").build()?;
    println!("GET a drive item's content (302 to another host):");
    c.send(Request::<Value>::new(http::Method::GET, "/me/drive/items/1/content".into(), 200)).await?;
    println!("  token sent to the other host: {}", download.requests()[0].header("authorization").is_some());

    // 3. Bytes on the wire for a page of 999 users, with and without gzip.
    let page = users_page();
    let serve = |body: Vec<u8>| {
        Server::start(move |r: Recorded| {
            let gz = r.header("accept-encoding").is_some_and(|a| a.contains("gzip"));
            let builder = http::Response::builder().status(200).header("content-type", "application/json");
            let response = if gz { builder.header("content-encoding", "gzip").body(gzip(&body)) } else { builder.body(body.clone()) };
            async move { response.unwrap_or_default() }
        })
    };
    let (with, without) = (serve(page.clone()).await, serve(page.clone()).await);
    println!("GET /users (999 users) with and without gzip:");
    let users = || Request::<Page<Value>>::new(http::Method::GET, "/users".into(), 200).query_param("$top", "999");
    let a = Client::builder().base_url(with.base_url()).token("t").build()?.send(users()).await?.body;
    let b = Client::builder().base_url(without.base_url()).token("t").gzip(false).build()?.send(users()).await?.body;
    assert_eq!(a.value.len(), b.value.len());
    println!(
        "  JSON body {} bytes; on the wire: {} bytes with gzip, {} without ({:.1}x less)",
        page.len(),
        with.bytes_written(),
        without.bytes_written(),
        without.bytes_written() as f64 / with.bytes_written().max(1) as f64
    );
    Ok(())
}
