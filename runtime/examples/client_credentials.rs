//! App-only tokens with the OAuth2 client-credentials grant, against a stand-in
//! token endpoint and a stand-in Graph it starts on 127.0.0.1: the token is
//! fetched once, cached, and sent with every request; `Debug` shows neither the
//! secret nor the token.
//!
//! ```text
//! cargo run -p msgraph-runtime --example client_credentials
//! ```

#[path = "../tests/common/server.rs"]
mod server;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use msgraph_runtime::client::{Client, ClientCredentials};
use msgraph_runtime::Request;
use serde_json::{json, Value};

use server::{graph_error, json, Recorded, Server};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let issued = Arc::new(AtomicUsize::new(0));
    let count = issued.clone();
    // The identity platform: POST /{tenant}/oauth2/v2.0/token, form-encoded.
    let login = Server::start(move |r: Recorded| {
        let n = count.fetch_add(1, Ordering::SeqCst) + 1;
        async move {
            let form = String::from_utf8_lossy(&r.body).into_owned();
            if r.path() != "/contoso.onmicrosoft.com/oauth2/v2.0/token" || !form.contains("grant_type=client_credentials") {
                return json(400, &json!({ "error": "invalid_request", "error_description": "not a client-credentials request" }));
            }
            json(200, &json!({ "token_type": "Bearer", "expires_in": 3599, "access_token": format!("eyJ0eXAi.app-token-{n}") }))
        }
    })
    .await;
    let graph = Server::start(|r: Recorded| async move {
        match r.header("authorization") {
            Some(a) if a.starts_with("Bearer eyJ0eXAi.") => json(200, &json!({ "id": "org-1", "displayName": "Contoso" })),
            _ => graph_error(401, "InvalidAuthenticationToken", "Access token is empty.", "example"),
        }
    })
    .await;

    let credentials =
        ClientCredentials::new("contoso.onmicrosoft.com", "6731de76-14a6-49ae-97bc-6eba6914391e", "example-client-secret").authority(login.url("")); // default: https://login.microsoftonline.com
    println!("{credentials:?}");
    let client = Client::builder().base_url(graph.base_url()).token_provider(credentials).build()?;
    for _ in 0..3 {
        let org = client.send(Request::<Value>::new(http::Method::GET, "/organization/org-1".into(), 200)).await?;
        println!("GET /organization/org-1 -> {}", org.body["displayName"]);
    }
    println!("tokens fetched from the endpoint: {}", issued.load(Ordering::SeqCst));
    Ok(())
}
