//! What the client did, visible: a `client-request-id` GUID on every request and
//! in errors (the `tracing` spans are in `spans.rs`, a test binary of its own),
//! gzip responses, and redirects (followed for GET, the token dropped when a
//! redirect leaves the origin). Against servers on 127.0.0.1.

mod common;

use std::collections::HashSet;
use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use msgraph_runtime::client::{Client, Error};
use msgraph_runtime::{Page, Request};
use serde_json::{json, Value};

use common::client::{bounded, fast_client, participants};
use common::server::{graph_error, json, Recorded, Server};

const TOKEN: &str = "visible-test-token-4411";

fn client(base_url: &str) -> Client {
    fast_client(base_url, TOKEN, Duration::from_secs(10))
}

// ---------------------------------------------------------------------------
// client-request-id
// ---------------------------------------------------------------------------

#[tokio::test]
async fn every_request_carries_a_guid_kept_across_retries_and_shown_in_errors() {
    bounded(20, async {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let server = Server::start(move |r: Recorded| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move {
                if r.path().ends_with("/missing") {
                    // Like Graph: its own request-id, the client's id echoed.
                    let mut e = graph_error(404, "itemNotFound", "gone", "server-req-77");
                    e.headers_mut().insert("client-request-id", r.headers["client-request-id"].clone());
                    return e;
                }
                if r.path().ends_with("/quiet") {
                    return http::Response::builder().status(403).header("request-id", "server-req-88").body(b"no".to_vec()).unwrap();
                }
                if n == 0 {
                    return http::Response::builder().status(429).header("retry-after", "0").body(Vec::new()).unwrap();
                }
                json(200, &json!({ "value": [] }))
            }
        })
        .await;
        let c = client(&server.base_url());
        c.send(participants("c1")).await.unwrap();
        c.send(participants("c2")).await.unwrap();
        let err = c.send(Request::<Value>::new(http::Method::GET, "/missing".into(), 200)).await.unwrap_err();
        let err2 = c.send(Request::<Value>::new(http::Method::GET, "/quiet".into(), 200)).await.unwrap_err();

        let ids: Vec<String> = server.requests().iter().map(|r| r.header("client-request-id").expect("client-request-id").to_owned()).collect();
        assert_eq!(ids.len(), 5);
        for id in &ids {
            assert!(uuid::Uuid::parse_str(id).is_ok(), "{id} is not a GUID");
        }
        assert_eq!(ids[0], ids[1], "a retry keeps its request's id");
        assert_eq!(ids[1..].iter().collect::<HashSet<_>>().len(), 4, "each request has its own id");

        let shown = err.to_string();
        assert!(shown.contains("request-id server-req-77") && shown.contains(&format!("client-request-id {}", ids[3])), "{shown}");
        assert_eq!(err.client_request_id(), Some(ids[3].as_str()));
        // The server did not echo it: the client adds the id it sent.
        let shown = err2.to_string();
        assert!(shown.contains("request-id server-req-88") && shown.contains(&ids[4]), "{shown}");
    })
    .await;
}

#[tokio::test]
async fn a_callers_own_client_request_id_is_kept() {
    bounded(20, async {
        let server = Server::start(|_| async { json(200, &json!({})) }).await;
        let mine = "3f0c8a52-1111-4222-8333-944455556666";
        let request = Request::<Value>::new(http::Method::GET, "/me".into(), 200).header("client-request-id", mine).unwrap();
        client(&server.base_url()).send(request).await.unwrap();
        assert_eq!(server.requests()[0].header("client-request-id"), Some(mine));
    })
    .await;
}

// ---------------------------------------------------------------------------
// gzip
// ---------------------------------------------------------------------------

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// Answers `body`, gzip-compressed when the request accepts gzip.
async fn gzip_server(body: Vec<u8>) -> Server {
    Server::start(move |r: Recorded| {
        let accepts = r.header("accept-encoding").is_some_and(|a| a.contains("gzip"));
        let response = http::Response::builder().status(200).header("content-type", "application/json");
        let response = if accepts { response.header("content-encoding", "gzip").body(gzip(&body)) } else { response.body(body.clone()) };
        async move { response.unwrap() }
    })
    .await
}

fn big_page() -> Vec<u8> {
    let value: Vec<Value> = (0..2000).map(|i| json!({ "id": format!("user-{i}"), "displayName": format!("User {i}"), "accountEnabled": true })).collect();
    serde_json::to_vec(&json!({ "value": value })).unwrap()
}

#[tokio::test]
async fn gzip_responses_are_asked_for_and_decoded() {
    bounded(20, async {
        let page = big_page();
        let compressed = gzip_server(page.clone()).await;
        let plain = gzip_server(page.clone()).await;
        let users: Request<Page<Value>> = Request::new(http::Method::GET, "/users".into(), 200);
        let a = client(&compressed.base_url()).send(users.clone()).await.unwrap().body;
        let no_gzip = Client::builder().base_url(plain.base_url()).token(TOKEN).gzip(false).build().unwrap();
        let b = no_gzip.send(users).await.unwrap().body;
        assert_eq!(a.value.len(), 2000);
        assert_eq!(a, b);
        assert_eq!(compressed.requests()[0].header("accept-encoding"), Some("gzip"));
        assert_eq!(plain.requests()[0].header("accept-encoding"), None);
        assert!(compressed.bytes_written() * 5 < plain.bytes_written(), "{} vs {} bytes on the wire", compressed.bytes_written(), plain.bytes_written());
    })
    .await;
}

#[tokio::test]
async fn the_size_limit_applies_to_the_decompressed_body() {
    bounded(20, async {
        // 4 MiB of JSON whitespace compress to a few KiB.
        let mut bomb = vec![b' '; 4 << 20];
        bomb.extend_from_slice(b"{}");
        let server = gzip_server(bomb).await;
        let c = Client::builder().base_url(server.base_url()).token(TOKEN).max_response_bytes(1 << 20).build().unwrap();
        let err = c.send(Request::<Value>::new(http::Method::GET, "/x".into(), 200)).await.unwrap_err();
        assert!(matches!(err, Error::BodyTooLarge { .. }), "{err:?}");
        assert!(server.bytes_written() < 64 * 1024);
    })
    .await;
}

// ---------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------

fn redirect(status: u16, to: &str) -> http::Response<Vec<u8>> {
    http::Response::builder().status(status).header("location", to).body(Vec::new()).unwrap()
}

#[tokio::test]
async fn a_same_origin_redirect_keeps_the_token() {
    bounded(20, async {
        let server = Server::start(|r: Recorded| async move {
            if r.path() == "/v1.0/old" {
                redirect(301, "/v1.0/new?x=1")
            } else {
                json(200, &json!({ "id": "new" }))
            }
        })
        .await;
        let response = client(&server.base_url()).send(Request::<Value>::new(http::Method::GET, "/old".into(), 200)).await.unwrap();
        assert_eq!(response.body["id"], "new");
        let seen = server.requests();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[1].uri.to_string(), "/v1.0/new?x=1");
        assert_eq!(seen[1].header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
        assert_eq!(seen[0].header("client-request-id"), seen[1].header("client-request-id"));
    })
    .await;
}

#[tokio::test]
async fn a_cross_origin_redirect_drops_the_token_for_good() {
    bounded(20, async {
        // graph -> elsewhere (another port: another origin) -> back to graph.
        let graph_url: Arc<Mutex<String>> = Arc::default();
        let back = graph_url.clone();
        let elsewhere = Server::start(move |_| {
            let to = format!("{}/v1.0/final", back.lock().unwrap());
            async move { redirect(307, &to) }
        })
        .await;
        let away = elsewhere.url("/download?sig=pre-authenticated");
        let graph = Server::start(move |r: Recorded| {
            let away = away.clone();
            async move {
                if r.path() == "/v1.0/final" {
                    json(200, &json!({ "id": "content" }))
                } else {
                    redirect(302, &away)
                }
            }
        })
        .await;
        *graph_url.lock().unwrap() = format!("http://{}", graph.addr());
        let response = client(&graph.base_url()).send(Request::<Value>::new(http::Method::GET, "/items/1/content".into(), 200)).await.unwrap();
        assert_eq!(response.body["id"], "content");
        assert_eq!(elsewhere.requests()[0].header("authorization"), None, "the token followed a cross-origin redirect");
        let seen = graph.requests();
        assert_eq!(seen.len(), 2);
        assert!(seen[0].header("authorization").is_some());
        assert_eq!(seen[1].header("authorization"), None, "once dropped, the token stays dropped");
    })
    .await;
}

#[tokio::test]
async fn redirects_are_not_followed_for_other_methods() {
    bounded(20, async {
        let server = Server::start(|_| async { redirect(307, "/v1.0/elsewhere") }).await;
        let post = Request::<Value>::new(http::Method::POST, "/me/events".into(), 201).json_body(&json!({ "subject": "x" }));
        let err = client(&server.base_url()).send(post).await.unwrap_err();
        assert_eq!(err.status(), Some(http::StatusCode::TEMPORARY_REDIRECT));
        assert_eq!(server.request_count(), 1);
    })
    .await;
}

#[tokio::test]
async fn redirect_loops_end() {
    bounded(20, async {
        let server = Server::start(|_| async { redirect(302, "/v1.0/loop") }).await;
        let err = client(&server.base_url()).send(Request::<Value>::new(http::Method::GET, "/loop".into(), 200)).await.unwrap_err();
        assert!(err.to_string().contains("redirects"), "{err}");
        assert_eq!(server.request_count(), 11);
    })
    .await;
}

#[test]
fn the_new_futures_are_send() {
    fn send<T: Send>(_: &T) {}
    let client = Client::builder().token(TOKEN).build().unwrap();
    let batch = client.batch(msgraph_runtime::client::Batch::new());
    send(&batch);
    let round = client.delta(Request::<Page<Value>>::new(http::Method::GET, "/users/delta".into(), 200)).collect();
    send(&round);
    let upload = client.upload_session("https://upload.example/session").unwrap();
    let data: &[u8] = b"abc";
    let sending = upload.send::<Value, _>(data, 3);
    send(&sending);
    let credentials = msgraph_runtime::client::ClientCredentials::new("t", "c", "s");
    let token = msgraph_runtime::client::TokenProvider::token(&credentials);
    send(&token);
}
