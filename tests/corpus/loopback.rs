//! Three generated requests of the whole-v1.0 crate (`scripts/corpus.sh` generates
//! it and runs this as its example `loopback`), sent through its client
//! (`graph_corpus::client`) to a loopback server that checks what arrives and
//! answers as Graph would: `groups().by_id(..).get()` (a GET with an encoded path parameter),
//! `groups().list()` (a collection, followed over its `@odata.nextLink`), and
//! `groups().create(..)` (a POST with a typed JSON body). Exits non-zero on any
//! difference.

#[path = "../../runtime/tests/common/server.rs"]
mod server;

use futures_util::TryStreamExt;
use graph_corpus::client::Client;
use graph_corpus::models::graph::GroupPostGroupsRequestBody;
use graph_corpus::requests;
use serde_json::json;
use server::{json, Server};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let server = Server::start(|req| async move {
        let target = req.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
        match (req.method.as_str(), target.as_str()) {
            ("GET", "/v1.0/groups/g%201") => json(200, &json!({ "id": "g 1", "displayName": "Sales", "mailEnabled": true })),
            ("GET", "/v1.0/groups") => {
                let next = format!("http://{}/v1.0/groups?$skiptoken=p2", req.header("host").unwrap_or_default());
                json(200, &json!({ "value": [{ "id": "a" }, { "id": "b" }], "@odata.nextLink": next }))
            }
            ("GET", "/v1.0/groups?$skiptoken=p2") => json(200, &json!({ "value": [{ "id": "c" }] })),
            ("POST", "/v1.0/groups") => {
                let sent: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
                json(201, &json!({ "id": "new", "displayName": sent["displayName"], "mailNickname": sent["mailNickname"] }))
            }
            _ => json(404, &json!({ "error": { "code": "NotFound", "message": target } })),
        }
    })
    .await;
    let client = Client::builder().base_url(server.base_url()).token("t0ken").build().expect("client");

    // A GET: the path parameter is encoded, the typed body comes back.
    let group = client.send(requests::groups().by_id("g 1").get()).await.expect("groups().by_id(..).get()").body;
    assert_eq!(group.display_name.as_deref(), Some("Sales"));
    assert_eq!(group.mail_enabled.as_ref(), Some(&true));

    // A list: both pages, in order.
    let groups: Vec<_> = client.items(requests::groups().list()).try_collect().await.expect("groups().list()");
    let ids: Vec<_> = groups.iter().map(|g| g.id.as_deref().unwrap_or("?")).collect();
    assert_eq!(ids, ["a", "b", "c"]);

    // A POST with a body: the JSON the server receives is the typed body's.
    let body = GroupPostGroupsRequestBody {
        display_name: "Library Assist".into(),
        mail_enabled: false.into(),
        mail_nickname: "library".into(),
        ..Default::default()
    };
    let created = client.send(requests::groups().create(&body)).await.expect("groups().create(..)");
    assert_eq!(created.status.as_u16(), 201);
    assert_eq!(created.body.id.as_deref(), Some("new"));
    assert_eq!(created.body.display_name.as_deref(), Some("Library Assist"));

    let seen = server.requests();
    let lines: Vec<String> = seen.iter().map(|r| format!("{} {}", r.method, r.uri)).collect();
    assert_eq!(lines, ["GET /v1.0/groups/g%201", "GET /v1.0/groups", "GET /v1.0/groups?$skiptoken=p2", "POST /v1.0/groups"]);
    assert!(seen.iter().all(|r| r.header("authorization") == Some("Bearer t0ken")), "every request carries the token");
    let posted: serde_json::Value = serde_json::from_slice(&seen[3].body).expect("a JSON body");
    assert_eq!(posted, json!({ "displayName": "Library Assist", "mailEnabled": false, "mailNickname": "library" }));
    assert_eq!(seen[3].header("content-type"), Some("application/json"));
    println!("corpus: the generated client sent groups().by_id(..).get(), groups().list() (2 pages) and groups().create(..) to 127.0.0.1 and read typed answers");
}
