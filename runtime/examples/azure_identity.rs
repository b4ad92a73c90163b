//! Tokens from an Azure SDK credential (feature `azure-identity`): a real
//! `azure_identity::ClientSecretCredential` gets the token from a stand-in
//! identity platform, and the client sends it to a stand-in Graph, both on
//! 127.0.0.1. The credential caches the token; the client asks for the Graph
//! scope of its base URL's cloud.
//!
//! ```text
//! cargo run -p msgraph-runtime --example azure_identity
//! ```
//!
//! In an application, depend on `azure_identity` (its default features bring its
//! HTTP client) and leave out the transport below:
//!
//! ```text
//! let credential = azure_identity::ManagedIdentityCredential::new(None)?;   // on Azure
//! let credential = azure_identity::DeveloperToolsCredential::new(None)?;    // az / azd login
//! let client = Client::builder().azure_credential(credential).build()?;
//! ```

#[path = "../tests/common/azure.rs"]
mod loopback;
#[path = "../tests/common/server.rs"]
mod server;

use std::sync::Arc;

use azure_core::http::ClientOptions;
use azure_identity::{ClientSecretCredential, ClientSecretCredentialOptions};
use msgraph_runtime::client::{graph_scope, Client, CHINA, GLOBAL, US_GOV_L4, US_GOV_L5};
use msgraph_runtime::Request;
use serde_json::{json, Value};

use server::{graph_error, json, Recorded, Server};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The identity platform: POST /{tenant}/oauth2/v2.0/token, form-encoded.
    let login = Server::start(|r: Recorded| async move {
        let form = String::from_utf8_lossy(&r.body).into_owned();
        if !form.contains("grant_type=client_credentials") || !form.contains("scope=https%3A%2F%2Fgraph.microsoft.com%2F.default") {
            return json(400, &json!({ "error": "invalid_request", "error_description": "not a client-credentials request for Graph" }));
        }
        json(200, &json!({ "token_type": "Bearer", "expires_in": 3599, "access_token": "eyJ0eXAi.azure-token" }))
    })
    .await;
    let graph = Server::start(|r: Recorded| async move {
        match r.header("authorization") {
            Some("Bearer eyJ0eXAi.azure-token") => json(200, &json!({ "id": "org-1", "displayName": "Contoso" })),
            _ => graph_error(401, "InvalidAuthenticationToken", "Access token is empty.", "example"),
        }
    })
    .await;

    // The stand-in takes the place of https://login.microsoftonline.com.
    let transport = loopback::Loopback::new(login.addr());
    let options = ClientSecretCredentialOptions {
        client_options: ClientOptions {
            transport: Some(transport.transport()),
            cloud: Some(Arc::new(azure_core::cloud::CloudConfiguration::AzurePublic)),
            ..Default::default()
        },
    };
    let credential =
        ClientSecretCredential::new("contoso", "6731de76-14a6-49ae-97bc-6eba6914391e".to_owned(), "example-client-secret".to_owned().into(), Some(options))?;

    let client = Client::builder().base_url(graph.base_url()).azure_credential(credential).build()?;
    println!("{client:?}");
    for _ in 0..3 {
        let org = client.send(Request::<Value>::new(http::Method::GET, "/organization/org-1".into(), 200)).await?;
        println!("GET /organization/org-1 -> {}", org.body["displayName"]);
    }
    println!("token requests to the identity platform: {}", transport.asked.lock().unwrap().len());
    for cloud in [GLOBAL, US_GOV_L4, US_GOV_L5, CHINA] {
        println!("a client for {cloud} asks for {}", graph_scope(cloud).unwrap_or_default());
    }
    Ok(())
}
