//! Feature `azure-identity`: Azure SDK credentials as the client's token source.
//!
//! A real `azure_identity::ClientSecretCredential` gets its token from a stand-in
//! token endpoint on 127.0.0.1 (through `common/azure.rs`'s transport, since
//! azure_identity takes only `https` authorities), and a stand-in Graph checks that
//! the token arrives as `Authorization: Bearer <token>`. The scope of each
//! national cloud is checked with a credential that records what it is asked for
//! and then fails, so that no request leaves the machine.

mod common;
#[path = "common/azure.rs"]
mod loopback;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
use azure_core::http::ClientOptions;
use azure_identity::{ClientSecretCredential, ClientSecretCredentialOptions};
use msgraph_runtime::client::{graph_scope, AzureIdentity, Client, Error, CHINA, GLOBAL, GLOBAL_BETA, US_GOV_L4, US_GOV_L5};
use msgraph_runtime::Request;
use serde_json::{json, Value};

use common::client::bounded;
use common::server::{graph_error, json, Recorded, Server};

const SECRET: &str = "azure-s3cr3t~value";

fn form(body: &[u8]) -> Vec<(String, String)> {
    let text = std::str::from_utf8(body).unwrap();
    text.split('&')
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            let v = percent_encoding::percent_decode_str(&v.replace('+', " ")).decode_utf8().unwrap().into_owned();
            (k.to_owned(), v)
        })
        .collect()
}

/// The identity platform's token endpoint for tenant `contoso`: tokens `az-token-1`,
/// ... for client `app-1` with [`SECRET`], for the global Graph scope only.
async fn token_endpoint() -> (Server, Arc<AtomicUsize>) {
    let issued = Arc::new(AtomicUsize::new(0));
    let count = issued.clone();
    let server = Server::start(move |r: Recorded| {
        let count = count.clone();
        async move {
            let f = form(&r.body);
            let get = |k: &str| f.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
            if r.path() != "/contoso/oauth2/v2.0/token" || get("grant_type") != Some("client_credentials") {
                return json(400, &json!({ "error": "invalid_request", "error_description": "AADSTS900144: not a client-credentials request" }));
            }
            if get("scope") != Some("https://graph.microsoft.com/.default") {
                return json(400, &json!({ "error": "invalid_scope", "error_description": "AADSTS70011: wrong scope" }));
            }
            if get("client_id") != Some("app-1") || get("client_secret") != Some(SECRET) {
                return json(
                    401,
                    &json!({ "error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided.", "error_codes": [7000215] }),
                );
            }
            let n = count.fetch_add(1, Ordering::SeqCst) + 1;
            json(200, &json!({ "token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": format!("az-token-{n}") }))
        }
    })
    .await;
    (server, issued)
}

/// A Graph that answers only `Bearer az-token-1`.
async fn graph() -> Server {
    Server::start(|r: Recorded| async move {
        match r.header("authorization") {
            Some("Bearer az-token-1") => json(200, &json!({ "id": "org-1" })),
            _ => graph_error(401, "InvalidAuthenticationToken", "Access token validation failure.", "t"),
        }
    })
    .await
}

/// A real client-secret credential whose requests go to `endpoint`.
fn secret_credential(endpoint: &Server, secret: &str) -> (Arc<ClientSecretCredential>, Arc<loopback::Loopback>) {
    let transport = loopback::Loopback::new(endpoint.addr());
    let options = ClientSecretCredentialOptions {
        client_options: ClientOptions {
            transport: Some(transport.transport()),
            // The global cloud whatever AZURE_AUTHORITY_HOST says.
            cloud: Some(Arc::new(azure_core::cloud::CloudConfiguration::AzurePublic)),
            ..Default::default()
        },
    };
    let credential = ClientSecretCredential::new("contoso", "app-1".to_owned(), secret.to_owned().into(), Some(options)).unwrap();
    (credential, transport)
}

fn get_org() -> Request<Value> {
    Request::new(http::Method::GET, "/organization/org-1".into(), 200)
}

#[tokio::test]
async fn a_client_secret_credential_token_reaches_graph_as_a_bearer_token() {
    bounded(20, async {
        let (endpoint, issued) = token_endpoint().await;
        let graph = graph().await;
        let (credential, transport) = secret_credential(&endpoint, SECRET);
        let client = Client::builder().base_url(graph.base_url()).azure_credential(credential).build().unwrap();
        for _ in 0..3 {
            let org = client.send(get_org()).await.unwrap();
            assert_eq!(org.body["id"], "org-1");
        }
        assert_eq!(graph.request_count(), 3);
        assert!(graph.requests().iter().all(|r| r.header("authorization") == Some("Bearer az-token-1")));
        assert_eq!(issued.load(Ordering::SeqCst), 1, "the credential caches its token");
        // The credential asked the global cloud's identity platform.
        let asked = transport.asked.lock().unwrap().clone();
        assert_eq!(asked, ["https://login.microsoftonline.com/contoso/oauth2/v2.0/token"]);
    })
    .await;
}

#[tokio::test]
async fn a_refused_credential_is_a_token_error_that_shows_no_secret() {
    bounded(20, async {
        let (endpoint, _) = token_endpoint().await;
        let graph = graph().await;
        let (credential, _) = secret_credential(&endpoint, "wrong-azure-secret");
        let client = Client::builder().base_url(graph.base_url()).azure_credential(credential).build().unwrap();
        let err = client.send(get_org()).await.unwrap_err();
        assert!(matches!(err, Error::Token(_)), "{err:?}");
        let shown = format!("{err} {err:?}");
        assert!(shown.contains("AADSTS7000215"), "{shown}");
        assert!(shown.contains("https://graph.microsoft.com/.default"), "the scope asked for: {shown}");
        assert!(!shown.contains("wrong-azure-secret"), "{shown}");
        assert_eq!(graph.request_count(), 0, "nothing is sent without a token");
    })
    .await;
}

/// A credential that records the scopes it is asked for and answers `token`, or
/// fails when `token` is `None` (so that a client pointed at a real cloud sends
/// nothing).
#[derive(Debug, Default)]
struct Recording {
    token: Option<&'static str>,
    scopes: Mutex<Vec<Vec<String>>>,
}

#[async_trait::async_trait]
impl TokenCredential for Recording {
    async fn get_token(&self, scopes: &[&str], _: Option<TokenRequestOptions<'_>>) -> azure_core::Result<AccessToken> {
        self.scopes.lock().unwrap().push(scopes.iter().map(|s| s.to_string()).collect());
        match self.token {
            Some(t) => Ok(AccessToken::new(t, azure_core::time::OffsetDateTime::now_utc() + azure_core::time::Duration::hours(1))),
            None => Err(azure_core::Error::with_message(azure_core::error::ErrorKind::Credential, "recorded, no token")),
        }
    }
}

impl Recording {
    fn scopes(&self) -> Vec<Vec<String>> {
        self.scopes.lock().unwrap().clone()
    }
}

#[tokio::test]
async fn the_scope_asked_for_is_the_base_urls_cloud() {
    bounded(20, async {
        let clouds = [
            (GLOBAL, "https://graph.microsoft.com/.default"),
            (GLOBAL_BETA, "https://graph.microsoft.com/.default"),
            (US_GOV_L4, "https://graph.microsoft.us/.default"),
            (US_GOV_L5, "https://dod-graph.microsoft.us/.default"),
            (CHINA, "https://microsoftgraph.chinacloudapi.cn/.default"),
        ];
        for (base_url, scope) in clouds {
            assert_eq!(graph_scope(base_url), Some(scope));
            // The credential given before the base URL: the scope is chosen at build.
            let credential = Arc::new(Recording::default());
            let client = Client::builder().azure_credential(credential.clone()).base_url(base_url).build().unwrap();
            let err = client.send(get_org()).await.unwrap_err();
            assert!(matches!(err, Error::Token(_)), "{base_url}: {err:?}");
            assert!(err.to_string().contains(scope), "{err}");
            assert_eq!(credential.scopes(), [vec![scope.to_owned()]], "{base_url}");
        }
        // A host that is no Graph cloud (a local server, a proxy): the global scope.
        assert_eq!(graph_scope("http://127.0.0.1:8080/v1.0"), None);
        assert_eq!(graph_scope("HTTPS://Graph.Microsoft.US/v1.0"), Some("https://graph.microsoft.us/.default"));
        assert_eq!(graph_scope("not a url"), None);
    })
    .await;
}

#[tokio::test]
async fn an_explicit_scope_and_a_local_server() {
    bounded(20, async {
        let graph = Server::start(|_| async { json(200, &json!({ "id": "org-1" })) }).await;
        // A local server: the global cloud's scope, and the token arrives.
        let credential = Arc::new(Recording { token: Some("recorded-token"), ..Default::default() });
        let client = Client::builder().base_url(graph.base_url()).azure_credential(credential.clone()).build().unwrap();
        client.send(get_org()).await.unwrap();
        client.send(get_org()).await.unwrap();
        assert_eq!(credential.scopes(), vec![vec!["https://graph.microsoft.com/.default".to_owned()]; 2], "asked before every request");
        assert!(graph.requests().iter().all(|r| r.header("authorization") == Some("Bearer recorded-token")));

        // A scope of its own wins over the cloud's.
        let credential = Arc::new(Recording::default());
        let provider = AzureIdentity::new(credential.clone()).scope("api://contoso-proxy/.default");
        assert_eq!(provider.scope_asked(), "api://contoso-proxy/.default");
        let client = Client::builder().base_url(US_GOV_L4).azure_credential(provider).build().unwrap();
        assert!(matches!(client.send(get_org()).await.unwrap_err(), Error::Token(_)));
        assert_eq!(credential.scopes(), [vec!["api://contoso-proxy/.default".to_owned()]]);
    })
    .await;
}

#[tokio::test]
async fn the_last_token_source_given_wins() {
    bounded(20, async {
        let graph = Server::start(|_| async { json(200, &json!({ "id": "org-1" })) }).await;
        let azure = Arc::new(Recording { token: Some("from-azure"), ..Default::default() });
        // An Azure credential, then a fixed token: the fixed token.
        let client = Client::builder().base_url(graph.base_url()).azure_credential(azure.clone()).token("fixed-token").build().unwrap();
        client.send(get_org()).await.unwrap();
        // A fixed token, then an Azure credential: the credential.
        let client = Client::builder().base_url(graph.base_url()).token("fixed-token").azure_credential(azure.clone()).build().unwrap();
        client.send(get_org()).await.unwrap();
        let seen: Vec<_> = graph.requests().iter().map(|r| r.header("authorization").unwrap_or_default().to_owned()).collect();
        assert_eq!(seen, ["Bearer fixed-token", "Bearer from-azure"]);
        assert_eq!(azure.scopes().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn debug_output_shows_no_token() {
    bounded(20, async {
        let credential = Arc::new(Recording { token: Some("debug-secret-token"), ..Default::default() });
        let provider = AzureIdentity::new(credential.clone());
        let token = msgraph_runtime::client::TokenProvider::token(&provider).await.unwrap();
        assert_eq!(token, "debug-secret-token");
        let shown = format!("{provider:?}");
        assert!(shown.contains("https://graph.microsoft.com/.default") && !shown.contains(&token), "{shown}");
        let builder = Client::builder().azure_credential(credential);
        let shown = format!("{builder:?}");
        assert!(shown.contains("<redacted>") && !shown.contains(&token), "{shown}");
        let client = builder.build().unwrap();
        assert!(!format!("{client:?}").contains(&token));
    })
    .await;
}
