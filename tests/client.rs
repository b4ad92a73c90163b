//! The async client against a real HTTP server on 127.0.0.1: a replay of every
//! example in docs/api/, then paging, retries, errors, encoding, tokens, limits
//! and timeouts. Every test runs under a time limit.

mod common;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{StreamExt, TryStreamExt};
use msgraph::client::{Client, Error, RetryPolicy, StaticToken};
use msgraph::models::graph;
use msgraph::requests;
use msgraph::support::{Nullable, Page, Request};
use msgraph_gen::model::{Example, Operation, PathSegment};
use percent_encoding::percent_decode_str;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use common::client::{bounded, fast_client};
use common::server::{self, graph_error, json, RawServer, Recorded, Server};

const TOKEN: &str = "test-token-7f3a9c";

fn client(base_url: &str) -> Client {
    fast_client(base_url, TOKEN, Duration::from_secs(10))
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8().expect("UTF-8 after decoding").into_owned()
}

fn participant(id: &str) -> Value {
    json!({ "@odata.type": "#microsoft.graph.participant", "id": id, "isMuted": false })
}

// ---------------------------------------------------------------------------
// Replay of the docs examples.
// ---------------------------------------------------------------------------

/// What the server expects for the example being replayed, and what it answers.
struct Expectation {
    example: Example,
    /// Decoded path segments, base path included.
    path: Vec<String>,
    /// Decoded query pairs, sorted.
    query: Vec<(String, String)>,
}

/// Decoded `name=value` pairs of a raw query, sorted.
fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = raw
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    pairs.sort();
    pairs
}

fn path_segments(raw: &str) -> Vec<String> {
    raw.split('/').filter(|s| !s.is_empty()).map(decode).collect()
}

/// Headers the example request carries that the test must add to the generated
/// request itself (the generated function sets Content-Type; the client sets
/// Authorization; Content-Length and Host belong to the transport).
fn extra_request_headers(example: &Example) -> Vec<(String, String)> {
    example
        .request_headers
        .iter()
        .filter(|(k, _)| !["authorization", "content-type", "content-length", "host"].contains(&k.to_ascii_lowercase().as_str()))
        .cloned()
        .collect()
}

/// Check a received request against the example; every mismatch is one message.
fn check_request(exp: &Expectation, got: &Recorded) -> Vec<String> {
    let ex = &exp.example;
    let mut problems = Vec::new();
    if got.method.as_str() != ex.method {
        problems.push(format!("method: expected {}, got {}", ex.method, got.method));
    }
    let path = path_segments(got.path());
    if path != exp.path {
        problems.push(format!("path: expected {:?}, got {:?} (raw {})", exp.path, path, got.path()));
    }
    let query = query_pairs(got.query());
    if query != exp.query {
        problems.push(format!("query: expected {:?}, got {:?}", exp.query, query));
    }
    let auth = format!("Bearer {TOKEN}");
    if got.header("authorization") != Some(auth.as_str()) {
        problems.push("Authorization: missing or not the bearer token".to_string());
    }
    for (name, value) in extra_request_headers(ex) {
        if got.header(&name) != Some(value.as_str()) {
            problems.push(format!("header {name}: expected {value:?}, got {:?}", got.header(&name)));
        }
    }
    match &ex.request_body {
        Some(expected) => {
            let media = got.header("content-type").unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            if media != "application/json" {
                problems.push(format!("Content-Type: expected application/json, got {:?}", got.header("content-type")));
            }
            match serde_json::from_slice::<Value>(&got.body) {
                Ok(v) if &v == expected => {}
                Ok(v) => problems.push(format!("body: expected {expected}, got {v}")),
                Err(e) => problems.push(format!("body is not JSON: {e}")),
            }
        }
        None if !got.body.is_empty() => problems.push(format!("body: expected none, got {} bytes", got.body.len())),
        None => {}
    }
    problems
}

/// The example's response: status, headers (less the transport's) and JSON body.
fn example_response(ex: &Example, success_status: u16) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(ex.status.unwrap_or(success_status));
    let mut has_content_type = false;
    for (name, value) in &ex.response_headers {
        let lower = name.to_ascii_lowercase();
        if lower == "content-length" || lower == "transfer-encoding" {
            continue;
        }
        has_content_type |= lower == "content-type";
        builder = builder.header(name.as_str(), value.as_str());
    }
    let body = match &ex.response_body {
        Some(v) => {
            if !has_content_type {
                builder = builder.header("content-type", "application/json");
            }
            serde_json::to_vec(v).unwrap()
        }
        None => Vec::new(),
    };
    builder.body(body).unwrap()
}

/// Path parameters of the example URL, by the operation's parameter names.
fn path_params(op: &Operation, ex: &Example) -> Result<BTreeMap<String, String>, String> {
    let path = msgraph_gen::internals::url_path(&ex.url);
    let segments = path_segments(&path);
    if segments.len() != op.path.len() {
        return Err(format!("example URL {} does not match the template {}", ex.url, op.path_template()));
    }
    let mut params = BTreeMap::new();
    for (seg, actual) in op.path.iter().zip(segments) {
        match seg {
            PathSegment::Param(name) => {
                params.insert(name.clone(), actual);
            }
            PathSegment::Literal(lit) if !lit.eq_ignore_ascii_case(&actual) => {
                return Err(format!("example URL {} does not match the template {}", ex.url, op.path_template()));
            }
            PathSegment::Literal(_) => {}
        }
    }
    Ok(params)
}

fn param<'a>(params: &'a BTreeMap<String, String>, name: &str) -> Result<&'a str, String> {
    params.get(name).map(String::as_str).ok_or_else(|| format!("the example URL has no path parameter {name}"))
}

/// The example's request body as the generated body type.
fn request_body<B: DeserializeOwned>(ex: &Example) -> Result<B, String> {
    let v = ex.request_body.clone().ok_or("the example request has no body")?;
    serde_json::from_value(v).map_err(|e| format!("the example request body does not fit the body type: {e}"))
}

/// Send the generated request (plus the example's query and extra headers) and
/// check the typed outcome against the example's response.
async fn replay<T>(client: &Client, request: Request<T>, ex: &Example, success_status: u16) -> Result<(), String>
where
    T: DeserializeOwned + Serialize,
{
    let mut request = request;
    for (k, v) in query_pairs(ex.url.split_once('?').map(|(_, q)| q)) {
        request = request.query_param(k, v);
    }
    for (name, value) in extra_request_headers(ex) {
        request = request.header(&name, &value).map_err(|e| e.to_string())?;
    }
    let status = ex.status.unwrap_or(success_status);
    match client.send(request).await {
        Ok(response) if (200..300).contains(&status) => {
            if response.status.as_u16() != status {
                return Err(format!("status: expected {status}, got {}", response.status));
            }
            for (name, value) in &ex.response_headers {
                if name.eq_ignore_ascii_case("content-length") {
                    continue;
                }
                let got = response.headers.get(name.as_str()).and_then(|v| v.to_str().ok());
                if got != Some(value.as_str()) {
                    return Err(format!("response header {name}: expected {value:?}, got {got:?}"));
                }
            }
            // The typed body parsed; it must also carry everything the example had.
            let back = serde_json::to_value(&response.body).map_err(|e| e.to_string())?;
            let expected = ex.response_body.clone().unwrap_or(Value::Null);
            if back != expected {
                return Err(format!("typed response does not round-trip:\nexpected {expected}\n     got {back}"));
            }
            Ok(())
        }
        Ok(response) => Err(format!("expected an error status {status}, got a success {}", response.status)),
        Err(Error::Api(e)) if !(200..300).contains(&status) => {
            if e.status.as_u16() != status {
                return Err(format!("error status: expected {status}, got {}", e.status));
            }
            let body = ex.response_body.as_ref().ok_or("an error example without a body")?;
            let code = body.pointer("/error/code").and_then(Value::as_str);
            let message = body.pointer("/error/message").and_then(Value::as_str);
            if e.code() != code || e.error.as_ref().map(|g| g.message.as_str()) != message {
                return Err(format!("typed error: expected {code:?} {message:?}, got {e}"));
            }
            if let Some(id) = body.pointer("/error/innerError/request-id").and_then(Value::as_str) {
                if e.request_id() != Some(id) {
                    return Err(format!("request-id: expected {id}, got {:?}", e.request_id()));
                }
            }
            let shown = Error::Api(e).to_string();
            if !shown.contains(code.unwrap_or_default()) || !shown.contains(message.unwrap_or_default()) {
                return Err(format!("error display lacks code or message: {shown}"));
            }
            Ok(())
        }
        Err(e) => Err(format!("client error: {e}")),
    }
}

/// Call the generated request function for `op`. An operation without an arm here
/// fails the replay: a new API page needs a new arm.
async fn dispatch(client: &Client, op: &Operation, ex: &Example) -> Result<(), String> {
    let p = path_params(op, ex)?;
    let ok = op.success_status;
    match op.id.as_str() {
        "call-get" => replay(client, requests::communications().calls().by_id(param(&p, "callId")?).get().build(), ex, ok).await,
        "call-post-participants" => {
            let body: graph::Participant = request_body(ex)?;
            replay(client, requests::communications().calls().by_id(param(&p, "callId")?).participants().create(&body), ex, ok).await
        }
        "participant-delete" => {
            replay(client, requests::communications().calls().by_id(param(&p, "callId")?).participants().by_id(param(&p, "participantId")?).delete(), ex, ok)
                .await
        }
        "participant-get" => {
            replay(
                client,
                requests::communications().calls().by_id(param(&p, "callId")?).participants().by_id(param(&p, "participantId")?).get().build(),
                ex,
                ok,
            )
            .await
        }
        "participant-invite" => {
            let body: graph::ParticipantInviteRequestBody = request_body(ex)?;
            replay(client, requests::communications().calls().by_id(param(&p, "callId")?).participants().invite(&body), ex, ok).await
        }
        "participant-list" => replay(client, requests::communications().calls().by_id(param(&p, "callId")?).participants().list().build(), ex, ok).await,
        "participant-mute" => {
            let body: graph::ParticipantMuteRequestBody = request_body(ex)?;
            replay(client, requests::communications().calls().by_id(param(&p, "callId")?).participants().by_id(param(&p, "participantId")?).mute(&body), ex, ok)
                .await
        }
        other => Err(format!("no dispatch arm for operation {other} ({}); add one to `dispatch` in tests/client.rs", op.path_template())),
    }
}

#[tokio::test]
async fn replays_every_docs_example() {
    bounded(60, async {
        let docs = concat!(env!("CARGO_MANIFEST_DIR"), "/docs");
        let api = msgraph_gen::Config::new().docs_dir(docs).run().expect("the docs generate").api;
        let total: usize = api.operations.iter().map(|op| op.examples.len()).sum();
        assert!(total > 0, "no examples found in {docs}");

        // The example being replayed and its operation's success status.
        type Current = Arc<Mutex<Option<(Arc<Expectation>, u16)>>>;
        let current: Current = Arc::new(Mutex::new(None));
        let mismatches: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
        let server = {
            let current = current.clone();
            let mismatches = mismatches.clone();
            Server::start(move |got| {
                let current = current.lock().unwrap().clone();
                let response = match current {
                    None => graph_error(500, "noExpectation", "no example is being replayed", "none"),
                    Some((exp, success)) => {
                        let problems = check_request(&exp, &got);
                        if problems.is_empty() {
                            example_response(&exp.example, success)
                        } else {
                            let message = problems.join("; ");
                            mismatches.lock().unwrap().push(message.clone());
                            graph_error(400, "replayMismatch", &message, "none")
                        }
                    }
                };
                async move { response }
            })
            .await
        };
        let base_url = server.base_url();
        let base_path = path_segments(http::Uri::try_from(base_url.as_str()).unwrap().path());
        let client = client(&base_url);

        let mut replayed = 0;
        let mut failures = Vec::new();
        for op in &api.operations {
            for ex in &op.examples {
                let name = format!("{} example {:?} ({}:{})", op.id, ex.name, ex.span.file, ex.span.line());
                let mut path = base_path.clone();
                path.extend(path_segments(&msgraph_gen::internals::url_path(&ex.url)));
                let exp = Expectation { example: ex.clone(), path, query: query_pairs(ex.url.split_once('?').map(|(_, q)| q)) };
                *current.lock().unwrap() = Some((Arc::new(exp), op.success_status));
                let before = server.request_count();
                match dispatch(&client, op, ex).await {
                    Ok(()) if server.request_count() == before + 1 => replayed += 1,
                    Ok(()) => failures.push(format!("{name}: the server saw {} requests, not 1", server.request_count() - before)),
                    Err(e) => failures.push(format!("{name}: {e}")),
                }
            }
        }
        let mismatches = mismatches.lock().unwrap().clone();
        assert!(failures.is_empty() && mismatches.is_empty(), "failures:\n{}\nserver mismatches:\n{}", failures.join("\n"), mismatches.join("\n"));
        assert_eq!(replayed, total, "replayed {replayed} of {total} examples");
        eprintln!("replayed {replayed} examples of {} operations", api.operations.len());
    })
    .await;
}

// ---------------------------------------------------------------------------
// Paging.
// ---------------------------------------------------------------------------

/// A server with a three-page participant list: `?page=2` and `?page=3` follow.
async fn three_page_server() -> Server {
    let addr: Arc<Mutex<String>> = Arc::new(Mutex::new(String::new()));
    let base = addr.clone();
    let server = Server::start(move |got| {
        let base = base.lock().unwrap().clone();
        let link = |n: u32| format!("{base}/v1.0/communications/calls/c1/participants?$skiptoken=page{n}");
        let body = match got.query().map(decode).as_deref() {
            None | Some("$top=2") => json!({ "value": [participant("p1"), participant("p2")], "@odata.nextLink": link(2) }),
            Some("$skiptoken=page2") => json!({ "value": [participant("p3"), participant("p4")], "@odata.nextLink": link(3) }),
            Some("$skiptoken=page3") => json!({ "value": [participant("p5")] }),
            Some(other) => json!({ "error": { "code": "badQuery", "message": other } }),
        };
        async move { json(200, &body) }
    })
    .await;
    *addr.lock().unwrap() = server.url("");
    server
}

#[tokio::test]
async fn items_follow_next_links_across_three_pages() {
    bounded(20, async {
        let server = three_page_server().await;
        let client = client(&server.base_url());
        let request = requests::communications().calls().by_id("c1").participants().list().top(2).build().header("ConsistencyLevel", "eventual").unwrap();

        let items: Vec<graph::Participant> = client.items(request.clone()).try_collect().await.expect("all items");
        let ids: Vec<_> = items.iter().map(|p| p.id.clone().unwrap()).collect();
        assert_eq!(ids, ["p1", "p2", "p3", "p4", "p5"]);

        let seen = server.requests();
        assert_eq!(seen.len(), 3);
        assert_eq!(seen[0].uri.to_string(), "/v1.0/communications/calls/c1/participants?$top=2");
        assert_eq!(seen[1].uri.to_string(), "/v1.0/communications/calls/c1/participants?$skiptoken=page2");
        assert_eq!(seen[2].uri.to_string(), "/v1.0/communications/calls/c1/participants?$skiptoken=page3");
        for r in &seen {
            assert_eq!(r.header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
            assert_eq!(r.header("consistencylevel"), Some("eventual"));
        }

        let pages: Vec<Page<graph::Participant>> = client.pages(request).try_collect().await.expect("all pages");
        assert_eq!(pages.iter().map(|p| p.value.len()).collect::<Vec<_>>(), [2, 2, 1]);
        assert!(pages[2].next_link.is_none());
    })
    .await;
}

/// A delta round through the client, with the generated models: a property cleared
/// since the last round comes as `null` and reads as `Nullable::Null`; one that did
/// not change is not there and reads as `Nullable::Absent`; a changed one has its value.
#[tokio::test]
async fn delta_entries_tell_a_cleared_property_from_an_unchanged_one() {
    bounded(20, async {
        let addr: Arc<Mutex<String>> = Arc::new(Mutex::new(String::new()));
        let base = addr.clone();
        let server = Server::start(move |_got| {
            let link = format!("{}/v1.0/communications/calls/c1/participants/delta?$deltatoken=t2", base.lock().unwrap());
            let body = json!({
                "value": [
                    // p1: `info` cleared, `isMuted` unchanged (absent), `isInLobby` changed.
                    { "@odata.type": "#microsoft.graph.participant", "id": "p1", "info": null, "isInLobby": true },
                    // p2: `mediaStreams` (a collection) cleared, `metadata` (a string) cleared.
                    { "@odata.type": "#microsoft.graph.participant", "id": "p2", "mediaStreams": null, "metadata": null },
                    { "id": "p3", "@removed": { "reason": "deleted" } }
                ],
                "@odata.deltaLink": link
            });
            async move { json(200, &body) }
        })
        .await;
        *addr.lock().unwrap() = server.url("");
        let client = client(&server.base_url());
        let request: Request<Page<graph::Participant>> = Request::new(http::Method::GET, "/communications/calls/c1/participants/delta".into(), 200);
        let sync = client.delta(request).collect().await.expect("one round");
        assert_eq!(sync.entries.len(), 3);
        assert!(sync.delta_link.ends_with("$deltatoken=t2"));

        let p1 = &sync.entries[0].item;
        assert_eq!(p1.info, Nullable::Null, "cleared");
        assert_eq!(p1.is_muted, Nullable::Absent, "unchanged");
        assert_eq!(p1.is_in_lobby, Nullable::Value(true), "changed");
        let p2 = &sync.entries[1].item;
        assert!(p2.media_streams.is_null() && p2.metadata.is_null() && p2.info.is_absent());
        assert!(sync.entries[2].is_removed() && !sync.entries[0].is_removed());
        // Written back, the entries say what the page said: nulls where it had them.
        assert_eq!(serde_json::to_value(p1).unwrap(), json!({ "@odata.type": "#microsoft.graph.participant", "id": "p1", "info": null, "isInLobby": true }));
        assert_eq!(
            serde_json::to_value(p2).unwrap(),
            json!({ "@odata.type": "#microsoft.graph.participant", "id": "p2", "mediaStreams": null, "metadata": null })
        );
    })
    .await;
}

#[tokio::test]
async fn next_link_to_another_origin_is_refused() {
    bounded(20, async {
        let elsewhere = Server::start(|_| async { json(200, &json!({ "value": [participant("stolen")] })) }).await;
        let link = elsewhere.url("/v1.0/communications/calls/c1/participants?$skiptoken=x");
        let server = Server::start(move |_| {
            let body = json!({ "value": [participant("p1")], "@odata.nextLink": link.clone() });
            async move { json(200, &body) }
        })
        .await;
        let client = client(&server.base_url());

        let mut items = Box::pin(client.items(requests::communications().calls().by_id("c1").participants().list()));
        assert_eq!(items.next().await.unwrap().unwrap().id.as_deref(), Some("p1"));
        let err = items.next().await.unwrap().unwrap_err();
        assert!(matches!(err, Error::NextLink { .. }), "{err:?}");
        assert!(err.to_string().contains("origin"), "{err}");
        assert!(items.next().await.is_none(), "the stream ends after an error");
        assert_eq!(elsewhere.request_count(), 0, "the other origin must see no request (and no token)");
    })
    .await;
}

#[tokio::test]
async fn redirect_to_another_origin_drops_the_token() {
    bounded(20, async {
        let elsewhere = Server::start(|_| async { json(200, &json!({ "id": "moved" })) }).await;
        let target = elsewhere.url("/v1.0/communications/calls/c1");
        let server = Server::start(move |_| {
            let r = http::Response::builder().status(302).header("location", target.as_str()).body(Vec::new()).unwrap();
            async move { r }
        })
        .await;
        let response = client(&server.base_url()).send(requests::communications().calls().by_id("c1").get()).await.expect("redirect followed");
        assert_eq!(response.body.id.as_deref(), Some("moved"));
        let seen = elsewhere.requests();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].header("authorization"), None, "the token must not follow a cross-origin redirect");
    })
    .await;
}

// ---------------------------------------------------------------------------
// Throttling and retries.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn retries_429_after_retry_after_seconds() {
    bounded(20, async {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let server = Server::start(move |_| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let r = if n == 0 {
                let mut r = graph_error(429, "TooManyRequests", "Too many requests", "r-429");
                r.headers_mut().insert("retry-after", http::HeaderValue::from_static("1"));
                r
            } else {
                json(200, &json!({ "id": "c1", "state": "established" }))
            };
            async move { r }
        })
        .await;
        let client = client(&server.base_url());
        let started = Instant::now();
        let response = client.send(requests::communications().calls().by_id("c1").get()).await.expect("success after one retry");
        let elapsed = started.elapsed();
        assert_eq!(response.body.id.as_deref(), Some("c1"));
        assert!(elapsed >= Duration::from_secs(1), "Retry-After: 1 not honoured: {elapsed:?}");
        let seen = server.requests();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].header("retry-attempt"), None);
        assert_eq!(seen[1].header("retry-attempt"), Some("1"));
    })
    .await;
}

#[tokio::test]
async fn retries_429_after_retry_after_date() {
    bounded(20, async {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let server = Server::start(move |_| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let r = if n == 0 {
                // Two seconds ahead; HTTP-dates have whole seconds, so the wait is over 1 s.
                let at = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now() + Duration::from_secs(2));
                let mut r = graph_error(429, "TooManyRequests", "Too many requests", "r-429");
                let date = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
                r.headers_mut().insert("retry-after", http::HeaderValue::from_str(&date).unwrap());
                r
            } else {
                json(200, &json!({ "id": "c1" }))
            };
            async move { r }
        })
        .await;
        let started = Instant::now();
        client(&server.base_url()).send(requests::communications().calls().by_id("c1").get()).await.expect("success after one retry");
        let elapsed = started.elapsed();
        assert!(elapsed >= Duration::from_secs(1), "Retry-After date not honoured: {elapsed:?}");
        assert_eq!(server.request_count(), 2);
    })
    .await;
}

#[tokio::test]
async fn persistent_429_gives_up_after_max_retries() {
    bounded(20, async {
        let server = Server::start(|_| async {
            let mut r = graph_error(429, "TooManyRequests", "Please retry later", "r-always");
            r.headers_mut().insert("retry-after", http::HeaderValue::from_static("0"));
            r
        })
        .await;
        let client = Client::builder().base_url(server.base_url()).token(TOKEN).retry_policy(RetryPolicy::default().with_max_retries(3)).build().unwrap();
        // A POST: 429 means "not processed", so even non-idempotent requests are retried.
        let body = graph::ParticipantMuteRequestBody { client_context: "m".into(), ..Default::default() };
        let err = client.send(requests::communications().calls().by_id("c1").participants().by_id("p1").mute(&body)).await.unwrap_err();
        assert_eq!(server.request_count(), 4, "max_retries + 1 attempts");
        let api = err.api_error().expect("the last 429 as a Graph error");
        assert_eq!(api.status, 429);
        assert_eq!(api.code(), Some("TooManyRequests"));
    })
    .await;
}

#[tokio::test]
async fn retry_after_beyond_the_limit_is_not_waited_for() {
    bounded(20, async {
        let server = Server::start(|_| async {
            let mut r = graph_error(429, "TooManyRequests", "Come back in an hour", "r-hour");
            r.headers_mut().insert("retry-after", http::HeaderValue::from_static("3600"));
            r
        })
        .await;
        let started = Instant::now();
        let err = client(&server.base_url()).send(requests::communications().calls().by_id("c1").get()).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(err.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(server.request_count(), 1);
    })
    .await;
}

#[tokio::test]
async fn service_unavailable_is_retried_only_for_idempotent_requests() {
    bounded(20, async {
        let server = Server::start(|got| async move {
            match got.method {
                // The GET succeeds on its third attempt; no Retry-After, so backoff.
                http::Method::GET if got.header("retry-attempt") == Some("2") => json(200, &json!({ "id": "c1" })),
                http::Method::GET => graph_error(503, "serviceNotAvailable", "Try again", "r-503"),
                _ => graph_error(504, "gatewayTimeout", "Upstream timed out", "r-504"),
            }
        })
        .await;
        let client = client(&server.base_url());
        let body = graph::ParticipantMuteRequestBody::default();
        let err = client.send(requests::communications().calls().by_id("c1").participants().by_id("p1").mute(&body)).await.unwrap_err();
        assert_eq!(err.status(), Some(http::StatusCode::GATEWAY_TIMEOUT));
        assert_eq!(server.request_count(), 1, "a POST is not retried after 504");

        let response = client.send(requests::communications().calls().by_id("c1").get()).await.expect("GET retried after 503");
        assert_eq!(response.body.id.as_deref(), Some("c1"));
        assert_eq!(server.request_count(), 4);
    })
    .await;
}

// ---------------------------------------------------------------------------
// Errors.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn server_error_with_graph_body_is_typed() {
    bounded(20, async {
        let server = Server::start(|_| async { graph_error(500, "generalException", "Something broke on our side", "5e1f-req") }).await;
        let err = client(&server.base_url()).send(requests::communications().calls().by_id("c1").get()).await.unwrap_err();
        let Error::Api(api) = &err else { panic!("expected a Graph error, got {err:?}") };
        assert_eq!(api.status, 500);
        assert_eq!(api.code(), Some("generalException"));
        assert_eq!(api.error.as_ref().unwrap().message, "Something broke on our side");
        assert_eq!(api.request_id(), Some("5e1f-req"));
        let shown = err.to_string();
        assert!(shown.contains("generalException") && shown.contains("Something broke on our side") && shown.contains("5e1f-req"), "{shown}");
        assert_eq!(server.request_count(), 1, "500 is not retried");
    })
    .await;
}

#[tokio::test]
async fn non_json_error_body_gives_a_useful_message() {
    bounded(20, async {
        let server = Server::start(|_| async {
            http::Response::builder()
                .status(502)
                .header("content-type", "text/html")
                .body(b"<html><body>Bad Gateway: upstream graph-node-7 refused the connection</body></html>".to_vec())
                .unwrap()
        })
        .await;
        let err = client(&server.base_url()).send(requests::communications().calls().by_id("c1").get()).await.unwrap_err();
        let api = err.api_error().expect("an API error");
        assert_eq!(api.status, 502);
        assert!(api.error.is_none());
        let shown = err.to_string();
        assert!(shown.contains("502") && shown.contains("upstream graph-node-7 refused the connection"), "{shown}");
    })
    .await;
}

#[tokio::test]
async fn success_body_of_the_wrong_shape_is_a_decode_error() {
    bounded(20, async {
        let server = Server::start(|_| async { json(200, &json!({ "id": 42 })) }).await;
        let err = client(&server.base_url()).send(requests::communications().calls().by_id("c1").get()).await.unwrap_err();
        assert!(matches!(&err, Error::Decode { status, .. } if *status == 200), "{err:?}");
    })
    .await;
}

// ---------------------------------------------------------------------------
// Encoding.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn path_parameter_is_one_encoded_segment() {
    bounded(20, async {
        let server = Server::start(|_| async { json(200, &json!({ "id": "x" })) }).await;
        let client = client(&server.base_url());
        let nasty = "a/b?c=d#e/../f %25 é";
        client.send(requests::communications().calls().by_id("call 1").participants().by_id(nasty).get()).await.expect("sent");
        let seen = server.requests();
        assert_eq!(seen.len(), 1);
        let raw = seen[0].path();
        let segments: Vec<&str> = raw.split('/').collect();
        assert_eq!(segments.len(), 7, "raw path {raw}");
        assert_eq!(&segments[..4], ["", "v1.0", "communications", "calls"]);
        assert_eq!(decode(segments[4]), "call 1");
        assert_eq!(segments[5], "participants");
        assert_eq!(seen[0].query(), None, "`?` must not start a query");
        // The last segment is the parameter, encoded, and decodes back to it.
        let last = raw.rsplit('/').next().unwrap();
        assert!(!last.contains(['?', '#']), "raw segment {last}");
        assert_eq!(decode(last), nasty);

        // Dot segments and empty parameters would address another resource: refused.
        for bad in ["..", ".", ""] {
            let err = client.send(requests::communications().calls().by_id("c1").participants().by_id(bad).delete()).await.unwrap_err();
            assert!(matches!(err, Error::Request(_)), "{bad:?}: {err:?}");
            assert!(err.to_string().contains("path parameter participantId"), "{bad:?}: {err}");
        }
        assert_eq!(server.request_count(), 1, "nothing sent for the refused paths");
    })
    .await;
}

// ---------------------------------------------------------------------------
// Tokens.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn failing_token_provider_sends_nothing() {
    bounded(20, async {
        let server = Server::start(|_| async { json(200, &json!({})) }).await;
        let client = Client::builder()
            .base_url(server.base_url())
            .token_fn(|| async { Err::<String, _>(std::io::Error::other("identity endpoint unreachable")) })
            .build()
            .unwrap();
        let err = client.send(requests::communications().calls().by_id("c1").get()).await.unwrap_err();
        assert!(matches!(err, Error::Token(_)), "{err:?}");
        assert!(err.to_string().contains("identity endpoint unreachable"), "{err}");
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(server.request_count(), 0);
    })
    .await;
}

#[tokio::test]
async fn token_provider_is_asked_for_every_attempt() {
    bounded(20, async {
        let server = Server::start(|got| async move { json(200, &json!({ "id": got.header("authorization").unwrap_or("") })) }).await;
        let counter = Arc::new(AtomicUsize::new(0));
        let c = counter.clone();
        let client = Client::builder()
            .base_url(server.base_url())
            .token_fn(move || {
                let n = c.fetch_add(1, Ordering::SeqCst);
                async move { Ok::<_, std::io::Error>(format!("token-{n}")) }
            })
            .build()
            .unwrap();
        assert_eq!(client.send(requests::communications().calls().by_id("c1").get()).await.unwrap().body.id.as_deref(), Some("Bearer token-0"));
        assert_eq!(client.send(requests::communications().calls().by_id("c1").get()).await.unwrap().body.id.as_deref(), Some("Bearer token-1"));
    })
    .await;
}

#[tokio::test]
async fn debug_output_never_shows_the_token() {
    bounded(5, async {
        let secret = "eyJ0eXAiOiJKV1QiLCJhbGciOi-secret";
        let builder = Client::builder().token(secret);
        assert!(!format!("{builder:?}").contains(secret));
        let client = builder.build().unwrap();
        let shown = format!("{client:?} {client:#?}");
        assert!(!shown.contains(secret), "{shown}");
        assert!(shown.contains("graph.microsoft.com"), "{shown}");
        assert!(!format!("{:?}", StaticToken::new(secret)).contains(secret));
    })
    .await;
}

// ---------------------------------------------------------------------------
// Limits.
// ---------------------------------------------------------------------------

fn limited_client(base_url: &str, limit: u64) -> Client {
    Client::builder().base_url(base_url).token(TOKEN).max_response_bytes(limit).timeout(Duration::from_secs(10)).build().unwrap()
}

#[tokio::test]
async fn body_larger_than_the_limit_is_an_error() {
    bounded(30, async {
        const LIMIT: u64 = 64 * 1024;

        // An honest Content-Length above the limit: refused before reading.
        let big = Server::start(|_| async {
            let filler = "x".repeat(200 * 1024);
            json(200, &json!({ "id": "c1", "subject": filler }))
        })
        .await;
        let err = limited_client(&big.base_url(), LIMIT).send(requests::communications().calls().by_id("c1").get()).await.unwrap_err();
        assert!(matches!(err, Error::BodyTooLarge { limit: LIMIT, content_length: Some(n) } if n > LIMIT), "{err:?}");

        // The same applies to error bodies.
        let big_error = Server::start(|_| async { graph_error(500, "generalException", &"y".repeat(200 * 1024), "r") }).await;
        let err = limited_client(&big_error.base_url(), LIMIT).send(requests::communications().calls().by_id("c1").get()).await.unwrap_err();
        assert!(matches!(err, Error::BodyTooLarge { .. }), "{err:?}");

        // Chunked, no length, endless: the client stops at the limit. The server
        // would send 256 MiB at most; the client must give up long before.
        let sent = Arc::new(AtomicUsize::new(0));
        let counter = sent.clone();
        let endless = RawServer::start(move |mut stream| {
            let counter = counter.clone();
            async move {
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
                if !server::write(&mut stream, head.as_bytes()).await || !server::write(&mut stream, b"1\r\n[\r\n").await {
                    return;
                }
                let chunk = format!("{:x}\r\n{}\r\n", 16 * 1024, "1,".repeat(8 * 1024));
                for _ in 0..(256 * 1024 / 16) {
                    if !server::write(&mut stream, chunk.as_bytes()).await {
                        return;
                    }
                    counter.fetch_add(16 * 1024, Ordering::SeqCst);
                }
            }
        })
        .await;
        let err = limited_client(&endless.base_url(), LIMIT).send(requests::communications().calls().by_id("c1").get()).await.unwrap_err();
        assert!(matches!(err, Error::BodyTooLarge { limit: LIMIT, content_length: None }), "{err:?}");
        assert!(sent.load(Ordering::SeqCst) < 64 * 1024 * 1024, "the client kept reading");

        // A lying Content-Length (10 GiB for a few bytes): refused at once.
        let liar = RawServer::start(|mut stream| async move {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10737418240\r\n\r\n{\"id\":";
            if server::write(&mut stream, head.as_bytes()).await {
                tokio::time::sleep(Duration::from_secs(30)).await;
            }
        })
        .await;
        let started = Instant::now();
        let err = limited_client(&liar.base_url(), LIMIT).send(requests::communications().calls().by_id("c1").get()).await.unwrap_err();
        assert!(matches!(err, Error::BodyTooLarge { content_length: Some(10737418240), .. }), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(liar.connection_count(), 1);
    })
    .await;
}

#[tokio::test]
async fn slow_server_times_out() {
    bounded(20, async {
        let server = Server::start(|_| async {
            tokio::time::sleep(Duration::from_secs(10)).await;
            json(200, &json!({ "id": "late" }))
        })
        .await;
        let client = Client::builder().base_url(server.base_url()).token(TOKEN).timeout(Duration::from_millis(300)).build().unwrap();
        let started = Instant::now();
        let err = client.send(requests::communications().calls().by_id("c1").get()).await.unwrap_err();
        let elapsed = started.elapsed();
        assert!(err.is_timeout(), "{err:?}");
        assert!(elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(5), "{elapsed:?}");
        assert_eq!(server.request_count(), 1, "timeouts are not retried");
    })
    .await;
}

// ---------------------------------------------------------------------------
// Configuration.
// ---------------------------------------------------------------------------

#[test]
fn builder_checks_its_configuration() {
    assert!(matches!(Client::builder().build(), Err(Error::Config(_))), "no token provider");
    for bad in ["graph.microsoft.com/v1.0", "ftp://graph.microsoft.com/v1.0", "https://graph.microsoft.com/v1.0?x=1", "https://user@graph.microsoft.com/v1.0"] {
        assert!(matches!(Client::builder().token("t").base_url(bad).build(), Err(Error::Config(_))), "{bad}");
    }
    let c = Client::builder().token("t").base_url(format!("{}/", msgraph::client::US_GOV_L4)).build().unwrap();
    assert_eq!(c.base_url(), "https://graph.microsoft.us/v1.0");
    assert_eq!(Client::builder().token("t").build().unwrap().base_url(), msgraph::client::GLOBAL);
    assert_eq!(msgraph::client::CHINA, "https://microsoftgraph.chinacloudapi.cn/v1.0");
}

#[test]
fn client_futures_and_streams_are_send() {
    fn is_send<T: Send>(_: &T) {}
    let c = Client::builder().token("t").build().unwrap();
    is_send(&c.send(requests::communications().calls().by_id("c1").get()));
    is_send(&c.items(requests::communications().calls().by_id("c1").participants().list()));
    is_send(&c.pages(requests::communications().calls().by_id("c1").participants().list()));
}
