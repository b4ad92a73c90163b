//! A user's sign-in by the OAuth2 device code flow (feature `device-code`), against
//! a stand-in identity platform and a stand-in Graph on 127.0.0.1: the tool shows
//! the URI and the code, polls while the sign-in is pending (here the stand-in
//! "signs in" on the third poll), then sends the user's token to Graph; the token
//! is cached and refreshed with the refresh token.
//!
//! ```text
//! cargo run -p msgraph-runtime --example device_code
//! ```

#[path = "../tests/common/server.rs"]
mod server;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use msgraph_runtime::client::{Client, DeviceCodeFlow};
use msgraph_runtime::Request;
use serde_json::{json, Value};

use server::{graph_error, json, Recorded, Server};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let polls = Arc::new(AtomicUsize::new(0));
    let count = polls.clone();
    let login = Server::start(move |r: Recorded| {
        let count = count.clone();
        async move {
            let form = String::from_utf8_lossy(&r.body).into_owned();
            if r.path().ends_with("/devicecode") {
                return json(200, &json!({
                    "device_code": "GAQABAAEAAAD...",
                    "user_code": "F7GX-QRWK",
                    "verification_uri": "https://microsoft.com/devicelogin",
                    "expires_in": 900,
                    "interval": 1,
                    "message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code F7GX-QRWK to authenticate.",
                }));
            }
            if form.contains("grant_type=refresh_token") {
                return json(200, &json!({ "token_type": "Bearer", "expires_in": 3599, "access_token": "eyJ0eXAi.user-token-2", "refresh_token": "refresh-2" }));
            }
            // The device code grant: pending twice, then the user has signed in.
            if count.fetch_add(1, Ordering::SeqCst) < 2 {
                return json(400, &json!({ "error": "authorization_pending", "error_description": "AADSTS70016: Authorization is pending." }));
            }
            json(200, &json!({ "token_type": "Bearer", "expires_in": 3599, "access_token": "eyJ0eXAi.user-token-1", "refresh_token": "refresh-1" }))
        }
    })
    .await;
    let graph = Server::start(|r: Recorded| async move {
        match r.header("authorization") {
            Some(a) if a.starts_with("Bearer eyJ0eXAi.user-token") => json(200, &json!({ "displayName": "Adele Vance" })),
            _ => graph_error(401, "InvalidAuthenticationToken", "Access token is empty.", "example"),
        }
    })
    .await;

    let prompt = DeviceCodeFlow::new("organizations", "my-app-client-id")
        .authority(login.url("")) // default: https://login.microsoftonline.com
        .scopes(["User.Read", "offline_access"])
        .start()
        .await?;
    println!("{}", prompt.message().unwrap_or(prompt.verification_uri()));
    println!("(URI {}, code {}, polling every {:?})", prompt.verification_uri(), prompt.user_code(), prompt.interval());
    let credential = Arc::new(prompt.wait().await?);
    println!("signed in after {} polls: {credential:?}", polls.load(Ordering::SeqCst));

    let client = Client::builder().base_url(graph.base_url()).token_provider(credential.clone()).build()?;
    let me = client.send(Request::<Value>::new(http::Method::GET, "/me".into(), 200)).await?;
    println!("GET /me -> {}", me.body["displayName"]);
    println!("token refreshes so far: {}", credential.tokens_refreshed().await);
    Ok(())
}
