//! The mock Graph over HTTP, on the `notes` fixture (tests/fixtures/notes): routes,
//! the choice of example, authentication, unknown routes, paging, scripted faults,
//! and the command line.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use msgraph_mock::MockGraph;
use serde_json::{json, Value};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/notes")
}

async fn graph() -> MockGraph {
    MockGraph::start(fixture()).await.expect("mock starts")
}

struct Reply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

async fn send(method: &str, url: &str, headers: &[(&str, &str)], body: Option<Value>) -> Reply {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut req = client.request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req.header("Content-Type", "application/json").body(b.to_string());
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.unwrap();
    Reply { status, headers, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) }
}

const AUTH: (&str, &str) = ("Authorization", "Bearer test-token");

async fn get(url: &str) -> Reply {
    send("GET", url, &[AUTH], None).await
}

#[tokio::test]
async fn a_bearer_token_is_required() {
    let g = graph().await;
    for headers in [&[][..], &[("Authorization", "Bearer ")][..], &[("Authorization", "Basic dXNlcg==")][..]] {
        let r = send("GET", &format!("{}/me/notes", g.base_url()), headers, None).await;
        assert_eq!(r.status, 401, "{headers:?}");
        assert_eq!(r.body["error"]["code"], "InvalidAuthenticationToken");
        assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    }
}

#[tokio::test]
async fn undocumented_routes_get_a_graph_error() {
    let g = graph().await;
    let r = get(&format!("{}/me/calendars", g.base_url())).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body["error"]["code"], "UnknownRoute");
    assert!(r.body["error"]["message"].as_str().unwrap().contains("GET /me/calendars"));
    assert!(r.body["error"]["innerError"]["request-id"].is_string());
    // A documented path with a method the docs do not document for it.
    let r = send("PUT", &format!("{}/me/notes/n1", g.base_url()), &[AUTH], Some(json!({}))).await;
    assert_eq!(r.status, 405);
    assert_eq!(r.body["error"]["code"], "MethodNotAllowed");
}

#[tokio::test]
async fn the_best_example_answers_by_body_query_and_headers() {
    let g = graph().await;
    let base = g.base_url();
    // By body.
    let r = send("POST", &format!("{base}/me/notes"), &[AUTH], Some(json!({ "title": "second" }))).await;
    assert_eq!((r.status, r.body.clone()), (201, json!({ "id": "n2", "title": "second" })));
    let r = send("POST", &format!("{base}/me/notes"), &[AUTH], Some(json!({ "title": "first" }))).await;
    assert_eq!((r.status, r.body.clone()), (201, json!({ "id": "n1", "title": "first" })));
    // The Location header points at the mock.
    assert_eq!(r.header("location"), Some(format!("{}/v1.0/me/notes/n1", g.origin()).as_str()));
    // By query.
    let r = get(&format!("{base}/me/notes?$filter=title%20eq%20'second'")).await;
    assert_eq!(r.body["value"][0]["id"], "n2");
    // By header.
    let r = send("GET", &format!("{base}/me/notes/n1"), &[AUTH, ("Prefer", "return=minimal")], None).await;
    assert_eq!(r.body, json!({ "id": "n1" }));
    let r = get(&format!("{base}/me/notes/n1")).await;
    assert_eq!(r.body, json!({ "id": "n1", "title": "first" }));
    // Another id matches the path template: the documented answer.
    let r = get(&format!("{base}/me/notes/other-id")).await;
    assert_eq!((r.status, r.body["id"].clone()), (200, json!("n1")));
    // Braces inside a segment match anything, and outrank a parameter segment.
    let r = get(&format!("{base}/me/notes/search(q='other')")).await;
    assert_eq!(r.body["value"][0]["id"], "n2");
    // Without the version segment, and in another case, too.
    assert_eq!(get(&format!("{}/ME/Notes/n1", g.origin())).await.status, 200);
    // An operation without a response example: its documented success status.
    let r = send("DELETE", &format!("{base}/me/notes/n1"), &[AUTH], None).await;
    assert_eq!(r.status, 204);
    // What answered is logged.
    let log = g.requests();
    assert_eq!(log.len(), 9);
    assert_eq!(log[0].method, "POST");
    assert!(log[0].answered_by.as_deref().unwrap().starts_with("note-create api/note-create.md:"), "{:?}", log[0]);
    assert_eq!(log[8].answered_by.as_deref(), Some("note-delete"));
}

#[tokio::test]
async fn next_links_work_on_the_mock() {
    let g = graph().await;
    // A documented second page.
    let first = get(&format!("{}/me/notes", g.base_url())).await;
    let next = first.body["@odata.nextLink"].as_str().unwrap().to_string();
    assert_eq!(next, format!("{}/v1.0/me/notes?$skiptoken=page2", g.origin()));
    let second = get(&next).await;
    assert_eq!(second.body["value"][0]["id"], "n2");
    assert!(second.body.get("@odata.nextLink").is_none());
    // An undocumented next page: an empty last page, so a client's loop ends.
    let tags = get(&format!("{}/me/tags", g.base_url())).await;
    let next = tags.body["@odata.nextLink"].as_str().unwrap().to_string();
    assert!(next.starts_with(&g.origin()), "{next}");
    let last = get(&next).await;
    assert_eq!((last.status, last.body.clone()), (200, json!({ "value": [] })));
}

#[tokio::test]
async fn faults_are_scriptable_per_route() {
    let g = graph().await;
    let url = format!("{}/me/notes/n1", g.base_url());
    g.throttle("GET", "/me/notes/{id}", 2, Duration::from_secs(3));
    for _ in 0..2 {
        let r = get(&url).await;
        assert_eq!(r.status, 429);
        assert_eq!(r.header("retry-after"), Some("3"));
        assert_eq!(r.body["error"]["code"], "TooManyRequests");
    }
    assert_eq!(get(&url).await.status, 200, "the third request goes through");

    // Only the route named: another route is not failed.
    g.fail("*", "/v1.0/me/notes", 1, 503);
    assert_eq!(get(&url).await.status, 200);
    let r = get(&format!("{}/me/notes", g.base_url())).await;
    assert_eq!((r.status, r.body["error"]["code"].clone()), (503, json!("ScriptedFault")));
    assert_eq!(get(&format!("{}/me/notes", g.base_url())).await.status, 200);

    g.delay("GET", "/me/notes/n1", 1, Duration::from_millis(300));
    let start = Instant::now();
    let r = get(&url).await;
    assert!(start.elapsed() >= Duration::from_millis(300), "the answer waited");
    assert_eq!(r.status, 200);
}

#[test]
fn the_command_line_serves_with_faults() {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_msgraph-gen-mock"))
        .arg(fixture())
        .args(["--port", "0", "--fail", "GET /me/notes 1 500"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().rsplit(' ').next().unwrap().to_string();
    assert!(line.starts_with("serving 6 operation(s) and 9 example(s)"), "{line}");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (a, b) = rt.block_on(async { (get(&format!("{base}/me/notes")).await.status, get(&format!("{base}/me/notes")).await.status) });
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!((a, b), (500, 200));

    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_msgraph-gen-mock")).arg(fixture()).args(["--throttle", "GET /me/notes"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("expected `METHOD PATH TIMES N`"));
}

/// Every case of the generator's bad-input catalogue is served, and odd requests
/// get an answer: no panic.
#[test]
fn bad_inputs_and_odd_requests_get_answers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generator/tests/fixtures/bad");
    let odd = ["", "/", "//", "/%ZZ%", "/v1.0", "?", "?a=b&&=&c", "/v1.0/a/%E2%82%AC/../b?$filter=x eq 'é'", "https://h", "http://h/x?y#z"];
    let auth = [("Authorization".to_string(), "Bearer t".to_string())];
    let mut cases = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let Ok(files) = msgraph_gen::read_docs(&entry.unwrap().path()) else { continue };
        let (api, _) = msgraph_gen::infer_api(files);
        let routes = msgraph_mock::Routes::new(&api);
        for op in &api.operations {
            for ex in &op.examples {
                let a = routes.answer(&ex.method, &ex.url, &auth, b"{", "http://127.0.0.1:1");
                assert!(a.status >= 100);
            }
        }
        for target in odd {
            for method in ["GET", "POST", "", "BREW"] {
                routes.answer(method, target, &auth, &[0xff, 0xfe], "http://127.0.0.1:1");
            }
        }
        cases += 1;
    }
    assert!(cases >= 40, "{cases} cases");
    let routes = msgraph_mock::Routes::new(&Default::default());
    for bearer in ["Beärer token", "Bearer", "bearer  ", "é"] {
        let a = routes.answer("GET", "/x", &[("Authorization".into(), bearer.into())], b"", "http://127.0.0.1:1");
        assert_eq!(a.status, 401, "{bearer}");
    }
    assert_eq!(routes.answer("GET", "/x", &auth, b"", "http://127.0.0.1:1").status, 404);
}
