//! JSON batching against a stand-in `POST /$batch` it starts on 127.0.0.1: 45
//! typed requests of three response types go out in calls of at most 20, a
//! `dependsOn` pair stays in one call, and an item throttled with `Retry-After`
//! is sent again alone.
//!
//! ```text
//! cargo run -p msgraph-runtime --example batch
//! ```

#[path = "../tests/common/server.rs"]
mod server;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use msgraph_runtime::client::{Batch, Client};
use msgraph_runtime::{Page, Request};
use serde::Deserialize;
use serde_json::{json, Value};

use server::{json, Recorded, Server};

#[derive(Debug, Deserialize)]
struct User {
    id: String,
    #[serde(rename = "displayName")]
    display_name: String,
}

#[derive(Debug, Deserialize)]
struct Event {
    subject: String,
}

/// The stand-in answers each item by its URL; `/users/7` is throttled once.
fn answer(item: &Value, throttled_once: &AtomicBool) -> Value {
    let url = item["url"].as_str().unwrap_or_default();
    let (status, headers, body) = if url == "/users/7" && !throttled_once.swap(true, Ordering::SeqCst) {
        (429, json!({ "Retry-After": "1" }), json!({ "error": { "code": "TooManyRequests", "message": "Too many requests" } }))
    } else if let Some(id) = url.strip_prefix("/users/") {
        (200, json!({ "content-type": "application/json" }), json!({ "id": id, "displayName": format!("User {id}") }))
    } else if url == "/me/events" {
        (201, json!({ "content-type": "application/json" }), json!({ "subject": item["body"]["subject"] }))
    } else if url.starts_with("/me/messages") {
        (200, json!({ "content-type": "application/json" }), json!({ "value": [{ "id": "m1" }, { "id": "m2" }] }))
    } else {
        (404, json!({}), json!({ "error": { "code": "itemNotFound", "message": "no such item" } }))
    };
    json!({ "id": item["id"], "status": status, "headers": headers, "body": body })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let throttled = Arc::new(AtomicBool::new(false));
    let server = Server::start(move |r: Recorded| {
        let throttled = throttled.clone();
        async move {
            let body: Value = serde_json::from_slice(&r.body).unwrap_or_default();
            let items = body["requests"].as_array().cloned().unwrap_or_default();
            println!("  POST /$batch with {} items", items.len());
            json(200, &json!({ "responses": items.iter().map(|i| answer(i, &throttled)).collect::<Vec<_>>() }))
        }
    })
    .await;
    let client = Client::builder().base_url(server.base_url()).token("example-token").build()?;

    let mut batch = Batch::new();
    let users: Vec<_> = (0..40).map(|i| batch.add(Request::<User>::new(http::Method::GET, format!("/users/{i}"), 200))).collect();
    let messages = batch.add(Request::<Page<Value>>::new(http::Method::GET, "/me/messages".into(), 200).query_param("$top", "2"));
    let created = batch.add(Request::<Event>::new(http::Method::POST, "/me/events".into(), 201).json_body(&json!({ "subject": "Planning" })));
    let after = batch.add_after(Request::<User>::new(http::Method::GET, "/users/after-event".into(), 200), &[created.id()]);
    let missing = batch.add(Request::<User>::new(http::Method::GET, "/nowhere".into(), 200));
    batch.add(Request::<User>::new(http::Method::GET, "/users/last".into(), 200));
    println!("sending {} requests", batch.len());

    let responses = client.batch(batch).await?;
    println!(
        "{} calls; statuses in the caller's order: {:?}",
        responses.calls(),
        responses.statuses().iter().map(|s| s.map(|s| s.as_u16())).collect::<Vec<_>>()
    );
    let user7 = responses.get(&users[7])?.body;
    println!("users[7] (throttled once, sent again alone): {} {}", user7.id, user7.display_name);
    println!("messages: {} on the first page", responses.get(&messages)?.body.value.len());
    println!("created event: {}", responses.get(&created)?.body.subject);
    println!("dependent item: {}", responses.get(&after)?.body.display_name);
    match responses.get(&missing) {
        Ok(_) => println!("unexpected success"),
        Err(e) => println!("missing item, its own error: {e}"),
    }
    Ok(())
}
