//! JSON batching against a stand-in `POST /$batch` on 127.0.0.1 that runs each
//! item the way Graph does: per-item status, headers and body, `dependsOn`
//! honoured (424 when a dependency failed), at most 20 items per call.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use msgraph_runtime::client::{Batch, Client, Error, MAX_BATCH_SIZE};
use msgraph_runtime::{Page, Request};
use serde::Deserialize;
use serde_json::{json, Value};

use common::client::{bounded, fast_client};
use common::server::{json, Recorded, Server};

fn client(base_url: &str) -> Client {
    fast_client(base_url, "batch-token", Duration::from_secs(10))
}

/// One item's answer: status, headers, body.
type Answer = (u16, Value, Value);

/// A `$batch` endpoint; `answer(url, method, body, times this url was seen)`
/// answers each item.
async fn batch_server<F>(answer: F) -> Server
where
    F: Fn(&str, &str, &Value, usize) -> Answer + Send + Sync + 'static,
{
    let seen: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let answer = Arc::new(answer);
    Server::start(move |r: Recorded| {
        let seen = seen.clone();
        let answer = answer.clone();
        async move {
            if r.path() != "/v1.0/$batch" || r.method != http::Method::POST {
                return json(404, &json!({ "error": { "code": "itemNotFound", "message": "not the batch endpoint" } }));
            }
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            let items = body["requests"].as_array().unwrap();
            if items.len() > MAX_BATCH_SIZE {
                return json(400, &json!({ "error": { "code": "BadRequest", "message": "too many requests in the batch" } }));
            }
            let mut statuses: HashMap<String, u16> = HashMap::new();
            let mut responses = Vec::new();
            for item in items {
                let id = item["id"].as_str().unwrap().to_owned();
                let deps: Vec<&str> = item["dependsOn"].as_array().map(|a| a.iter().map(|d| d.as_str().unwrap()).collect()).unwrap_or_default();
                for d in &deps {
                    assert!(items.iter().any(|i| i["id"] == *d), "dependsOn {d} names an item outside this call");
                }
                let (status, headers, body) = if deps.iter().any(|d| !(200..300).contains(&statuses[*d])) {
                    (424, json!({}), json!({ "error": { "code": "FailedDependency", "message": "a dependency failed" } }))
                } else {
                    let url = item["url"].as_str().unwrap().to_owned();
                    let n = {
                        let mut seen = seen.lock().unwrap();
                        let n = seen.entry(url.clone()).or_default();
                        *n += 1;
                        *n
                    };
                    answer(&url, item["method"].as_str().unwrap(), &item["body"], n)
                };
                statuses.insert(id.clone(), status);
                responses.push(json!({ "id": id, "status": status, "headers": headers, "body": body }));
            }
            // Graph answers in any order.
            responses.reverse();
            json(200, &json!({ "responses": responses }))
        }
    })
    .await
}

fn calls(server: &Server) -> Vec<Vec<Value>> {
    server.requests().iter().map(|r| serde_json::from_slice::<Value>(&r.body).unwrap()["requests"].as_array().unwrap().clone()).collect()
}

#[derive(Debug, Deserialize, PartialEq)]
struct User {
    id: String,
    #[serde(rename = "displayName")]
    display_name: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Event {
    subject: String,
}

fn get<T>(path: &str) -> Request<T> {
    Request::new(http::Method::GET, path.into(), 200)
}

fn typed_answers(url: &str, _method: &str, _body: &Value, _n: usize) -> Answer {
    let ct = json!({ "content-type": "application/json" });
    if let Some(id) = url.strip_prefix("/users/") {
        (200, ct, json!({ "id": id, "displayName": format!("User {id}") }))
    } else if let Some(id) = url.strip_prefix("/events/") {
        (200, ct, json!({ "subject": format!("Event {id}") }))
    } else if url.starts_with("/me/messages") {
        (200, ct, json!({ "value": [{ "id": "m1" }, { "id": "m2" }] }))
    } else {
        (404, ct, json!({ "error": { "code": "itemNotFound", "message": "no such item", "innerError": { "request-id": "item-req-1" } } }))
    }
}

#[tokio::test]
async fn many_typed_requests_split_into_calls_of_20_in_callers_order() {
    bounded(20, async {
        let server = batch_server(typed_answers).await;
        let mut batch = Batch::new();
        let mut users = Vec::new();
        let mut events = Vec::new();
        for i in 0..30 {
            users.push(batch.add(get::<User>(&format!("/users/{i}"))));
            if i % 2 == 0 {
                events.push(batch.add(get::<Event>(&format!("/events/{i}"))));
            }
        }
        let messages = batch.add(get::<Page<Value>>("/me/messages").query_param("$top", "2"));
        assert_eq!(batch.len(), 46);
        let responses = client(&server.base_url()).batch(batch).await.unwrap();

        let sent = calls(&server);
        assert_eq!(sent.iter().map(Vec::len).collect::<Vec<_>>(), vec![20, 20, 6]);
        assert_eq!(responses.calls(), 3);
        for (i, handle) in users.iter().enumerate() {
            let user = responses.get(handle).unwrap().body;
            assert_eq!(user, User { id: i.to_string(), display_name: format!("User {i}") });
        }
        for (k, handle) in events.iter().enumerate() {
            assert_eq!(responses.get(handle).unwrap().body.subject, format!("Event {}", 2 * k));
        }
        let page = responses.get(&messages).unwrap().body;
        assert_eq!(page.value.len(), 2);
        // The query went with the item's URL.
        assert!(sent[2].iter().any(|r| r["url"] == "/me/messages?$top=2"), "{:?}", sent[2]);
        // Every request carried the token; the items did not (they go in one call).
        assert!(server.requests().iter().all(|r| r.header("authorization") == Some("Bearer batch-token")));
    })
    .await;
}

#[tokio::test]
async fn batch_all_keeps_the_callers_order() {
    bounded(20, async {
        let server = batch_server(typed_answers).await;
        let requests: Vec<Request<User>> = (0..25).map(|i| get(&format!("/users/{i}"))).collect();
        let results = client(&server.base_url()).batch_all(requests).await.unwrap();
        let ids: Vec<String> = results.into_iter().map(|r| r.unwrap().body.id).collect();
        assert_eq!(ids, (0..25).map(|i| i.to_string()).collect::<Vec<_>>());
    })
    .await;
}

#[tokio::test]
async fn item_errors_are_typed_per_item() {
    bounded(20, async {
        let server = batch_server(|url: &str, m: &str, b: &Value, n| {
            if url == "/users/odd" {
                (200, json!({ "content-type": "application/json" }), json!({ "id": 5 }))
            } else {
                typed_answers(url, m, b, n)
            }
        })
        .await;
        let mut batch = Batch::new();
        let good = batch.add(get::<User>("/users/1"));
        let missing = batch.add(get::<User>("/nowhere"));
        let odd = batch.add(get::<User>("/users/odd"));
        let responses = client(&server.base_url()).batch(batch).await.unwrap();
        assert_eq!(responses.get(&good).unwrap().body.id, "1");
        let err = responses.get(&missing).unwrap_err();
        let api = err.api_error().expect("a Graph error");
        assert_eq!(api.status, 404);
        assert_eq!(api.code(), Some("itemNotFound"));
        assert_eq!(api.request_id(), Some("item-req-1"));
        assert!(err.client_request_id().is_some(), "the batch call's client-request-id: {err}");
        assert!(matches!(responses.get(&odd), Err(Error::Decode { .. })));
    })
    .await;
}

#[tokio::test]
async fn depends_on_chains_stay_in_one_call_and_carry_depends_on() {
    bounded(20, async {
        let server = batch_server(|url: &str, method: &str, body: &Value, _| match (method, url) {
            ("POST", "/me/events") => (201, json!({ "content-type": "application/json" }), json!({ "subject": body["subject"] })),
            _ => typed_answers(url, method, body, 0),
        })
        .await;
        let mut batch = Batch::new();
        for i in 0..19 {
            batch.add(get::<User>(&format!("/users/{i}")));
        }
        // A chain of three starting at item 19: it does not fit in the first call.
        let create = batch.add(Request::<Event>::new(http::Method::POST, "/me/events".into(), 201).json_body(&json!({ "subject": "Planning" })));
        let read = batch.add_after(get::<Event>("/events/9"), &[create.id()]);
        let broken = batch.add_after(get::<User>("/nowhere"), &[read.id()]);
        let after_broken = batch.add_after(get::<User>("/users/99"), &[broken.id()]);
        let responses = client(&server.base_url()).batch(batch).await.unwrap();

        let sent = calls(&server);
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0].len(), 19);
        let chain = &sent[1];
        assert_eq!(chain.len(), 4);
        assert_eq!(chain[0]["body"], json!({ "subject": "Planning" }));
        assert_eq!(chain[0]["headers"]["content-type"], "application/json");
        assert_eq!(chain[1]["dependsOn"], json!([chain[0]["id"]]));
        assert_eq!(chain[3]["dependsOn"], json!([chain[2]["id"]]));
        assert_eq!(responses.get(&create).unwrap().body.subject, "Planning");
        assert_eq!(responses.get(&read).unwrap().body.subject, "Event 9");
        assert_eq!(responses.get(&broken).unwrap_err().status(), Some(http::StatusCode::NOT_FOUND));
        assert_eq!(responses.get(&after_broken).unwrap_err().status(), Some(http::StatusCode::FAILED_DEPENDENCY));
    })
    .await;
}

#[tokio::test]
async fn a_chain_longer_than_20_is_refused_before_sending() {
    bounded(20, async {
        let server = batch_server(typed_answers).await;
        let mut batch = Batch::new();
        let mut last = batch.add(get::<User>("/users/0"));
        for i in 1..=MAX_BATCH_SIZE {
            last = batch.add_after(get::<User>(&format!("/users/{i}")), &[last.id()]);
        }
        let err = client(&server.base_url()).batch(batch).await.unwrap_err();
        assert!(matches!(err, Error::Request(_)), "{err:?}");
        assert!(err.to_string().contains("21"), "{err}");
        assert_eq!(server.request_count(), 0, "nothing may be sent");
    })
    .await;
}

#[tokio::test]
async fn throttled_items_are_retried_alone_after_their_retry_after() {
    bounded(20, async {
        // `/users/slow` is throttled once (Retry-After: 1), `/users/busy` is
        // unavailable once (no Retry-After: backoff), `/users/dep` depends on slow.
        let server = batch_server(|url: &str, m: &str, b: &Value, n| match (url, n) {
            ("/users/slow", 1) => (429, json!({ "Retry-After": "1" }), json!({ "error": { "code": "TooManyRequests", "message": "slow down" } })),
            ("/users/busy", 1) => (503, json!({}), json!({ "error": { "code": "serviceNotAvailable", "message": "busy" } })),
            ("/users/post", 1) => (503, json!({}), json!({ "error": { "code": "serviceNotAvailable", "message": "busy" } })),
            ("/users/post", _) => panic!("a POST answered 503 must not be sent again"),
            _ => typed_answers(&url.replace("slow", "s").replace("busy", "b").replace("dep", "d"), m, b, n),
        })
        .await;
        let mut batch = Batch::new();
        let fine = batch.add(get::<User>("/users/1"));
        let slow = batch.add(get::<User>("/users/slow"));
        let busy = batch.add(get::<User>("/users/busy"));
        let dep = batch.add_after(get::<User>("/users/dep"), &[slow.id()]);
        let post = batch.add(Request::<User>::new(http::Method::POST, "/users/post".into(), 201).json_body(&json!({})));
        let started = Instant::now();
        let responses = client(&server.base_url()).batch(batch).await.unwrap();
        assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After: 1 was not honoured");

        let sent = calls(&server);
        assert_eq!(sent.len(), 2, "{sent:?}");
        let urls: Vec<&str> = sent[1].iter().map(|r| r["url"].as_str().unwrap()).collect();
        assert_eq!(urls, vec!["/users/slow", "/users/busy", "/users/dep"], "only the throttled items and their dependents go again");
        assert_eq!(sent[1][2]["dependsOn"], json!([sent[1][0]["id"]]));
        assert_eq!(responses.get(&fine).unwrap().body.id, "1");
        assert_eq!(responses.get(&slow).unwrap().body.id, "s");
        assert_eq!(responses.get(&busy).unwrap().body.id, "b");
        assert_eq!(responses.get(&dep).unwrap().body.id, "d");
        assert_eq!(responses.get(&post).unwrap_err().status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
        assert_eq!(responses.calls(), 2);
    })
    .await;
}

#[tokio::test]
async fn a_failed_batch_call_fails_its_items_only() {
    bounded(20, async {
        let server = Server::start(|r: Recorded| async move {
            let body: Value = serde_json::from_slice(&r.body).unwrap();
            let first = body["requests"][0]["url"].as_str().unwrap().to_owned();
            if first == "/users/20" {
                return json(500, &json!({ "error": { "code": "generalException", "message": "boom" } }));
            }
            let responses: Vec<Value> = body["requests"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| json!({ "id": i["id"], "status": 200, "body": { "id": i["url"], "displayName": "x" } }))
                .collect();
            json(200, &json!({ "responses": responses }))
        })
        .await;
        let requests: Vec<Request<User>> = (0..25).map(|i| get(&format!("/users/{i}"))).collect();
        let results = client(&server.base_url()).batch_all(requests).await.unwrap();
        assert!(results[..20].iter().all(Result::is_ok));
        for r in &results[20..] {
            let Err(Error::Batch(inner)) = r else { panic!("expected a batch failure, got {r:?}") };
            assert_eq!(inner.status(), Some(http::StatusCode::INTERNAL_SERVER_ERROR));
        }
    })
    .await;
}
