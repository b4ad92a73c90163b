//! Delta sync against a stand-in `GET /users/delta` it starts on 127.0.0.1: a
//! first round reads every page and stores the `@odata.deltaLink`; after some
//! changes (one rename, one deletion) the next round starts from the stored link
//! and gets only the changes, the deletion as an `@removed` entry.
//!
//! ```text
//! cargo run -p msgraph-runtime --example delta
//! ```

#[path = "../tests/common/server.rs"]
mod server;

use std::sync::{Arc, Mutex};

use msgraph_runtime::client::Client;
use msgraph_runtime::{Page, Request};
use serde::Deserialize;
use serde_json::{json, Value};

use server::{json, Recorded, Server};

#[derive(Debug, Deserialize)]
struct User {
    id: String,
    #[serde(rename = "displayName")]
    display_name: Option<String>,
}

/// The change log behind the stand-in: a delta token is a position in it, pages
/// hold three entries.
async fn start(log: Arc<Mutex<Vec<Value>>>) -> Server {
    let base: Arc<Mutex<String>> = Arc::default();
    let b = base.clone();
    let server = Server::start(move |r: Recorded| {
        let log = log.lock().unwrap().clone();
        let base = b.lock().unwrap().clone();
        async move {
            let query = r.query().unwrap_or("");
            let num = |key: &str| query.split('&').find_map(|p| p.strip_prefix(key)).and_then(|v| v.parse::<usize>().ok());
            let end = num("end=").unwrap_or(log.len());
            let from = num("$skiptoken=").or(num("$deltatoken=")).unwrap_or(0);
            let to = (from + 3).min(end);
            let mut page = json!({ "value": log[from..to] });
            if to < end {
                page["@odata.nextLink"] = json!(format!("{base}/users/delta?$skiptoken={to}&end={end}"));
            } else {
                page["@odata.deltaLink"] = json!(format!("{base}/users/delta?$deltatoken={end}"));
            }
            json(200, &page)
        }
    })
    .await;
    *base.lock().unwrap() = server.base_url();
    server
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let names = ["Adele", "Alex", "Diego", "Grady", "Isaiah", "Johanna", "Lee"];
    let log = Arc::new(Mutex::new(names.iter().enumerate().map(|(i, n)| json!({ "id": i.to_string(), "displayName": n })).collect::<Vec<_>>()));
    let server = start(log.clone()).await;
    let client = Client::builder().base_url(server.base_url()).token("example-token").build()?;
    let delta = || Request::<Page<User>>::new(http::Method::GET, "/users/delta".into(), 200);

    let first = client.delta(delta()).collect().await?;
    println!("round 1: {} users in {} pages", first.entries.len(), server.request_count());
    println!("stored delta link: {}", first.delta_link);

    log.lock().unwrap().extend([json!({ "id": "1", "displayName": "Alex Wilber" }), json!({ "id": "3", "@removed": { "reason": "deleted" } })]);

    let second = client.delta_from(delta(), first.delta_link).collect().await?;
    println!("round 2: {} changes", second.entries.len());
    for entry in &second.entries {
        match &entry.removed {
            Some(removed) => println!("  removed {} ({})", entry.item.id, removed.reason.as_deref().unwrap_or("?")),
            None => println!("  changed {} -> {}", entry.item.id, entry.item.display_name.as_deref().unwrap_or("")),
        }
    }
    println!("next round starts from: {}", second.delta_link);
    Ok(())
}
