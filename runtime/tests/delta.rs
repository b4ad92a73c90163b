//! Delta queries against a stand-in server on 127.0.0.1 that keeps a change log
//! the way Graph's delta functions do: pages linked by `@odata.nextLink`, a final
//! `@odata.deltaLink` whose token marks a point in the log, `@removed` tombstones.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use msgraph_runtime::client::{Client, Error};
use msgraph_runtime::{Page, Request};
use serde::Deserialize;
use serde_json::{json, Value};

use common::client::bounded;
use common::server::{json, Recorded, Server};

fn client(base_url: &str) -> Client {
    Client::builder().base_url(base_url).token("delta-token").timeout(Duration::from_secs(10)).build().unwrap()
}

/// A strict user type: no catch-all map, so `@removed` would be lost without
/// [`msgraph_runtime::client::DeltaEntry`].
#[derive(Debug, Deserialize, PartialEq)]
struct User {
    id: String,
    #[serde(rename = "displayName")]
    display_name: Option<String>,
}

fn users_delta() -> Request<Page<User>> {
    Request::new(http::Method::GET, "/users/delta".into(), 200).header("Prefer", "odata.maxpagesize=2").unwrap()
}

/// The change log: entries appended by the test; a delta link's token is the
/// log position it was given at. Pages hold two entries.
async fn delta_server(log: Arc<Mutex<Vec<Value>>>) -> Server {
    let base: Arc<Mutex<String>> = Arc::default();
    let base2 = base.clone();
    let server = Server::start(move |r: Recorded| {
        let log = log.clone();
        let base = base2.lock().unwrap().clone();
        async move {
            if r.path() != "/v1.0/users/delta" {
                return json(404, &json!({ "error": { "code": "itemNotFound", "message": "no" } }));
            }
            let query = r.query().unwrap_or("");
            let param = |name: &str| query.split('&').find_map(|p| p.strip_prefix(name)).and_then(|v| v.parse::<usize>().ok());
            let log = log.lock().unwrap().clone();
            // `$skiptoken=a-b`: reading from a up to the round's end b;
            // `$deltatoken=a`: a new round from a.
            let (from, end) = match (query.split('&').find_map(|p| p.strip_prefix("$skiptoken=")), param("$deltatoken=")) {
                (Some(skip), _) => {
                    let (a, b) = skip.split_once('-').unwrap();
                    (a.parse().unwrap(), b.parse().unwrap())
                }
                (None, Some(a)) => (a, log.len()),
                (None, None) => (0, log.len()),
            };
            let to = (from + 2).min(end);
            let mut page = json!({ "value": log[from..to] });
            if to < end {
                page["@odata.nextLink"] = json!(format!("{base}/users/delta?$skiptoken={to}-{end}"));
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

#[tokio::test]
async fn rounds_read_every_page_keep_tombstones_and_resume_from_the_delta_link() {
    bounded(20, async {
        let log = Arc::new(Mutex::new(vec![
            json!({ "id": "1", "displayName": "Ann" }),
            json!({ "id": "2", "displayName": "Bob" }),
            json!({ "id": "3", "displayName": "Cy" }),
            json!({ "id": "4", "displayName": "Di" }),
            json!({ "id": "5", "displayName": "Ed" }),
        ]));
        let server = delta_server(log.clone()).await;
        let client = client(&server.base_url());

        let first = client.delta(users_delta()).collect().await.unwrap();
        assert_eq!(first.entries.iter().map(|e| e.item.id.as_str()).collect::<Vec<_>>(), ["1", "2", "3", "4", "5"]);
        assert!(first.entries.iter().all(|e| !e.is_removed()));
        assert!(first.delta_link.ends_with("$deltatoken=5"), "{}", first.delta_link);
        assert_eq!(server.request_count(), 3, "three pages of two");
        assert!(server.requests().iter().all(|r| r.header("prefer") == Some("odata.maxpagesize=2")));

        // Changes: Bob renamed, Cy deleted, Di removed from the collection.
        log.lock().unwrap().extend([
            json!({ "id": "2", "displayName": "Robert" }),
            json!({ "id": "3", "@removed": { "reason": "deleted" } }),
            json!({ "id": "4", "@removed": { "reason": "changed" } }),
        ]);
        let stored = first.delta_link.clone();
        let second = client.delta_from(users_delta(), stored).collect().await.unwrap();
        assert_eq!(second.entries.len(), 3);
        assert_eq!(second.entries[0].item, User { id: "2".into(), display_name: Some("Robert".into()) });
        assert_eq!(second.entries[1].item.id, "3");
        assert_eq!(second.entries[1].removed.as_ref().unwrap().reason.as_deref(), Some("deleted"));
        assert_eq!(second.entries[2].removed.as_ref().unwrap().reason.as_deref(), Some("changed"));
        assert!(second.delta_link.ends_with("$deltatoken=8"));

        // No changes: an empty round with a delta link all the same.
        let third = client.delta_from(users_delta(), second.delta_link).collect().await.unwrap();
        assert!(third.entries.is_empty());
        assert!(third.delta_link.ends_with("$deltatoken=8"));
    })
    .await;
}

#[tokio::test]
async fn page_by_page_the_delta_link_comes_with_the_last_page() {
    bounded(20, async {
        let log = Arc::new(Mutex::new((1..=3).map(|i| json!({ "id": i.to_string() })).collect::<Vec<_>>()));
        let server = delta_server(log).await;
        let client = client(&server.base_url());
        let mut round = client.delta(users_delta());
        assert_eq!(round.next_page().await.unwrap().unwrap().len(), 2);
        assert_eq!(round.delta_link(), None);
        assert_eq!(round.next_page().await.unwrap().unwrap().len(), 1);
        assert!(round.delta_link().unwrap().ends_with("$deltatoken=3"));
        assert!(round.next_page().await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn links_on_another_origin_are_refused() {
    bounded(20, async {
        let elsewhere = Server::start(|_| async { json(200, &json!({ "value": [], "@odata.deltaLink": "x" })) }).await;
        let foreign = elsewhere.url("/v1.0/users/delta?$deltatoken=1");
        let (next, delta) = (foreign.clone(), foreign.clone());
        let server = Server::start(move |r: Recorded| {
            let body = if r.query().unwrap_or("").contains("next") {
                json!({ "value": [{ "id": "1" }], "@odata.nextLink": next })
            } else {
                json!({ "value": [{ "id": "1" }], "@odata.deltaLink": delta })
            };
            async move { json(200, &body) }
        })
        .await;
        let client = client(&server.base_url());
        // A stored delta link on another origin: nothing is sent anywhere.
        let err = client.delta_from(users_delta(), foreign.clone()).collect().await.unwrap_err();
        assert!(matches!(err, Error::NextLink { .. }), "{err:?}");
        // A next link, and a final delta link, on another origin.
        let err = client.delta(users_delta().query_param("next", "1")).collect().await.unwrap_err();
        assert!(matches!(err, Error::NextLink { .. }), "{err:?}");
        let err = client.delta(users_delta()).collect().await.unwrap_err();
        assert!(err.to_string().contains("deltaLink"), "{err}");
        assert_eq!(elsewhere.request_count(), 0, "the other origin must see no request (and no token)");
    })
    .await;
}

#[tokio::test]
async fn a_round_without_a_delta_link_is_an_error() {
    bounded(20, async {
        let server = Server::start(|_| async { json(200, &json!({ "value": [{ "id": "1" }] })) }).await;
        let err = client(&server.base_url()).delta(users_delta()).collect().await.unwrap_err();
        assert!(matches!(err, Error::Delta(_)), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn tombstones_stay_in_items_that_keep_unknown_properties() {
    bounded(20, async {
        let server = Server::start(move |_| async move {
            json(200, &json!({ "value": [{ "id": "9", "@removed": { "reason": "deleted" } }], "@odata.deltaLink": "http://127.0.0.1:1/none" }))
        })
        .await;
        // The delta link above is on another origin; read the page only.
        let request: Request<Page<Value>> = Request::new(http::Method::GET, "/users/delta".into(), 200);
        let mut round = client(&server.base_url()).delta(request);
        let err = round.next_page().await.unwrap_err();
        assert!(matches!(err, Error::NextLink { .. }));
        let server = Server::start(move |r: Recorded| {
            let link = format!("http://{}/v1.0/users/delta?$deltatoken=1", r.header("host").unwrap());
            async move { json(200, &json!({ "value": [{ "id": "9", "@removed": { "reason": "deleted" } }], "@odata.deltaLink": link })) }
        })
        .await;
        let request: Request<Page<Value>> = Request::new(http::Method::GET, "/users/delta".into(), 200);
        let sync = client(&server.base_url()).delta(request).collect().await.unwrap();
        assert_eq!(sync.entries[0].item["@removed"]["reason"], "deleted");
        assert!(sync.entries[0].is_removed());
    })
    .await;
}
