//! The client-credentials token provider against a loopback token endpoint that
//! behaves like the Microsoft identity platform's `/{tenant}/oauth2/v2.0/token`.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use msgraph_runtime::client::{Client, ClientCredentials, Error, StaticToken, TokenProvider};
use msgraph_runtime::Request;
use serde_json::{json, Value};

use common::client::bounded;
use common::server::{json, Recorded, Server};

const SECRET: &str = "s3cr3t~value&with=odd+chars";

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

/// A token endpoint for tenant `contoso` that issues `token-1`, `token-2`, ...
/// valid for `expires_in` seconds, to client `app-1` with [`SECRET`] only.
async fn token_endpoint(expires_in: u64) -> (Server, Arc<AtomicUsize>) {
    let issued = Arc::new(AtomicUsize::new(0));
    let count = issued.clone();
    let server = Server::start(move |r: Recorded| {
        let count = count.clone();
        async move {
            assert_eq!(r.path(), "/contoso/oauth2/v2.0/token");
            assert_eq!(r.method, http::Method::POST);
            assert_eq!(r.header("content-type"), Some("application/x-www-form-urlencoded"));
            assert_eq!(r.header("authorization"), None);
            let f = form(&r.body);
            let get = |k: &str| f.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
            assert_eq!(get("grant_type"), Some("client_credentials"));
            assert_eq!(get("scope"), Some("https://graph.microsoft.com/.default"));
            if get("client_id") != Some("app-1") || get("client_secret") != Some(SECRET) {
                return json(401, &json!({ "error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided." }));
            }
            let n = count.fetch_add(1, Ordering::SeqCst) + 1;
            json(200, &json!({ "token_type": "Bearer", "expires_in": expires_in, "ext_expires_in": expires_in, "access_token": format!("token-{n}") }))
        }
    })
    .await;
    (server, issued)
}

fn credentials(endpoint: &Server) -> ClientCredentials {
    ClientCredentials::new("contoso", "app-1", SECRET).authority(endpoint.url(""))
}

#[tokio::test]
async fn the_token_is_fetched_once_and_sent_as_a_bearer_token() {
    bounded(20, async {
        let (endpoint, issued) = token_endpoint(3600).await;
        let graph = Server::start(|_| async { json(200, &json!({ "id": "me" })) }).await;
        let client = Client::builder().base_url(graph.base_url()).token_provider(credentials(&endpoint)).build().unwrap();
        for _ in 0..3 {
            let me: Request<Value> = Request::new(http::Method::GET, "/me".into(), 200);
            client.send(me).await.unwrap();
        }
        assert_eq!(issued.load(Ordering::SeqCst), 1, "the token is cached");
        assert!(graph.requests().iter().all(|r| r.header("authorization") == Some("Bearer token-1")));
    })
    .await;
}

#[tokio::test]
async fn concurrent_callers_share_one_fetch() {
    bounded(20, async {
        let (endpoint, issued) = token_endpoint(3600).await;
        let provider = Arc::new(credentials(&endpoint));
        let calls: Vec<_> = (0..8).map(|_| provider.token()).collect();
        let tokens = futures_util::future::join_all(calls).await;
        assert!(tokens.iter().all(|t| t.as_deref().unwrap() == "token-1"));
        assert_eq!(issued.load(Ordering::SeqCst), 1);
        assert_eq!(provider.tokens_fetched().await, 1);
    })
    .await;
}

#[tokio::test]
async fn the_token_is_refreshed_before_it_expires() {
    bounded(20, async {
        // Valid for 4 s, replaced 3 s before that.
        let (endpoint, issued) = token_endpoint(4).await;
        let provider = credentials(&endpoint).refresh_margin(Duration::from_secs(3));
        let fetched_at = Instant::now();
        assert_eq!(provider.token().await.unwrap(), "token-1");
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(provider.token().await.unwrap(), "token-1", "still fresh: from the cache");
        tokio::time::sleep(Duration::from_millis(900)).await;
        assert_eq!(provider.token().await.unwrap(), "token-2", "within the margin: replaced");
        assert!(fetched_at.elapsed() < Duration::from_secs(4), "replaced before token-1 expired");
        assert_eq!(issued.load(Ordering::SeqCst), 2);
    })
    .await;
}

#[tokio::test]
async fn a_refused_secret_is_a_token_error_that_shows_neither_secret_nor_token() {
    bounded(20, async {
        let (endpoint, _) = token_endpoint(3600).await;
        let graph = Server::start(|_| async { json(200, &json!({})) }).await;
        let wrong = ClientCredentials::new("contoso", "app-1", "wrong-secret-value").authority(endpoint.url("/"));
        let client = Client::builder().base_url(graph.base_url()).token_provider(wrong).build().unwrap();
        let err = client.send(Request::<Value>::new(http::Method::GET, "/me".into(), 200)).await.unwrap_err();
        assert!(matches!(err, Error::Token(_)), "{err:?}");
        let shown = format!("{err} {err:?}");
        assert!(shown.contains("invalid_client") && shown.contains("AADSTS7000215"), "{shown}");
        assert!(!shown.contains("wrong-secret-value"), "{shown}");
        assert_eq!(graph.request_count(), 0, "nothing is sent without a token");
    })
    .await;
}

#[tokio::test]
async fn debug_output_never_shows_the_secret_or_the_token() {
    bounded(20, async {
        let (endpoint, _) = token_endpoint(3600).await;
        let provider = Arc::new(credentials(&endpoint));
        let token = provider.token().await.unwrap();
        let shown = format!("{provider:?} {provider:#?}");
        assert!(!shown.contains(SECRET) && !shown.contains("s3cr3t"), "{shown}");
        assert!(!shown.contains(&token), "{shown}");
        assert!(shown.contains("app-1") && shown.contains("contoso"), "{shown}");
        let client = Client::builder().token_provider(provider.clone()).build().unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("s3cr3t") && !shown.contains(&token), "{shown}");
        // The other providers stay.
        assert!(!format!("{:?}", StaticToken::new("static-secret-token")).contains("static-secret-token"));
        let from_fn = Client::builder().token_fn(|| async { Ok::<_, std::io::Error>("fn-token".to_owned()) }).build().unwrap();
        assert!(!format!("{from_fn:?}").contains("fn-token"));
    })
    .await;
}

#[tokio::test]
async fn an_absurd_lifetime_is_no_panic() {
    bounded(20, async {
        // expires_in far beyond what an Instant can hold: the token is cached, not a crash.
        let endpoint =
            Server::start(|_| async { json(200, &json!({ "token_type": "Bearer", "expires_in": u64::MAX, "access_token": "forever-token" })) }).await;
        let provider = credentials(&endpoint);
        assert_eq!(provider.token().await.unwrap(), "forever-token");
        assert_eq!(provider.token().await.unwrap(), "forever-token");
        assert_eq!(provider.tokens_fetched().await, 1);
    })
    .await;
}
