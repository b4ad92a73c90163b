//! The whole Graph v1.0 reference of `../shared`, served by the mock, and every
//! request example of it replayed through HTTP: the share answered with its own
//! documented response (status and JSON body), and the rest grouped by cause.

use std::collections::BTreeMap;
use std::path::Path;

use msgraph_gen::model::{Example, Operation};
use msgraph_mock::MockGraph;
use serde_json::Value;

/// Fail below this share of request examples answered with their documented
/// response (measured: see README.md, "A local Graph from the docs").
const MIN_SHARE: f64 = 0.97;

fn corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/graph-docs-2020/api-reference/v1.0")
}

/// `https://graph.microsoft.com/v1.0/x?y` or `/x?y` -> the mock's URL for it; `#`
/// (in filters such as `'#microsoft.graph.user'`) is not a fragment here.
fn mock_url(origin: &str, url: &str) -> String {
    let u = url.trim();
    let rest = match u.strip_prefix("https://").or_else(|| u.strip_prefix("http://")) {
        Some(r) => r.find('/').map_or("/", |i| &r[i..]),
        None => u,
    };
    format!("{origin}{}", rest.replace('#', "%23"))
}

/// Links in a documented body as the mock sends them: on its origin.
fn relinked(origin: &str, mut body: Value) -> Value {
    if let Value::Object(m) = &mut body {
        for link in ["@odata.nextLink", "@odata.deltaLink"] {
            if let Some(Value::String(u)) = m.get_mut(link) {
                if u.starts_with("http") || u.starts_with('/') {
                    *u = mock_url(origin, u).replace("%23", "#");
                }
            }
        }
    }
    body
}

async fn replay(client: &reqwest::Client, origin: &str, op: &Operation, ex: &Example) -> Result<(), String> {
    let method = reqwest::Method::from_bytes(ex.method.to_ascii_uppercase().as_bytes()).map_err(|_| "request: unknown method".to_string())?;
    let url = reqwest::Url::parse(&mock_url(origin, &ex.url)).map_err(|e| format!("request: URL does not parse ({e})"))?;
    let mut req = client.request(method, url).bearer_auth("test-token");
    for (k, v) in &ex.request_headers {
        if ["authorization", "host", "content-length", "connection", "transfer-encoding"].iter().any(|h| k.eq_ignore_ascii_case(h)) {
            continue;
        }
        if let (Ok(k), Ok(v)) = (reqwest::header::HeaderName::from_bytes(k.trim().as_bytes()), reqwest::header::HeaderValue::from_str(v.trim())) {
            req = req.header(k, v);
        }
    }
    if let Some(b) = &ex.request_body {
        req = req.body(serde_json::to_vec(b).unwrap());
    }
    let resp = req.send().await.map_err(|e| format!("transport: {e}"))?;
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await.map_err(|e| format!("transport: {e}"))?;
    let want_status = ex.status.unwrap_or(op.success_status);
    if status == 404 || status == 405 {
        return Err(format!("no route ({status})"));
    }
    let got: Option<Value> = serde_json::from_slice(&bytes).ok();
    let want = ex.response_body.clone().map(|b| relinked(origin, b));
    if want_status == 204 && want.is_some() && got.is_none() && status == 204 {
        return Err(HTTP_204.into());
    }
    if status != want_status || got != want {
        return Err(OTHER_EXAMPLE.into());
    }
    Ok(())
}

/// The docs show a body on a `204 No Content`, which HTTP cannot carry.
const HTTP_204: &str = "the docs show a body on a 204, which HTTP does not send";
/// Another example of the route answered.
const OTHER_EXAMPLE: &str = "another example of the route answered";
/// ... and that example documents the very same request.
const AMBIGUOUS: &str = "ambiguous: another example documents the same request (method, URL, headers, body) with another response";

/// What identifies a request: method, URL, headers (but the content type) and body.
fn request_key(ex: &Example) -> String {
    let mut headers: Vec<String> = ex
        .request_headers
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("content-type"))
        .map(|(k, v)| format!("{}:{}", k.to_ascii_lowercase(), v.trim()))
        .collect();
    headers.sort();
    format!("{} {} {:?} {}", ex.method.to_ascii_uppercase(), ex.url.trim(), headers, ex.request_body.as_ref().map(Value::to_string).unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_example_of_v1_gets_its_documented_response() {
    let files = msgraph_gen::read_docs(&corpus()).expect("the v1.0 reference of ../shared");
    let (api, _) = msgraph_gen::infer_api(files);
    let graph = MockGraph::serve(&api, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let origin = graph.origin();
    // Redirects (`302` to a download URL) are answers to compare, not to follow.
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut same_request: BTreeMap<String, usize> = BTreeMap::new();
    for ex in api.operations.iter().flat_map(|o| &o.examples).filter(|e| !e.url.is_empty()) {
        *same_request.entry(request_key(ex)).or_default() += 1;
    }
    let (mut total, mut ok, mut no_response) = (0usize, 0usize, 0usize);
    let mut causes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for op in &api.operations {
        for ex in op.examples.iter().filter(|e| !e.url.is_empty()) {
            total += 1;
            if ex.status.is_none() && ex.response_body.is_none() {
                // Answered with the operation's success status; nothing to compare.
                no_response += 1;
                causes.entry("no response documented".into()).or_default().push(format!("{}:{}", ex.span.file, ex.span.line()));
                continue;
            }
            match replay(&client, &origin, op, ex).await {
                Ok(()) => ok += 1,
                Err(cause) => {
                    let cause = if cause == OTHER_EXAMPLE && same_request[&request_key(ex)] > 1 { AMBIGUOUS.to_string() } else { cause };
                    let by = graph.requests().last().and_then(|l| l.answered_by.clone()).unwrap_or_default();
                    causes.entry(cause).or_default().push(format!("{}:{} [answered by {by}]", ex.span.file, ex.span.line()));
                }
            }
        }
    }
    let share = ok as f64 / total as f64;
    println!(
        "replayed {total} request examples of {} operations: {ok} answered with their documented response ({:.1}%; {:.1}% of the {} with a documented response)",
        api.operations.len(),
        share * 100.0,
        ok as f64 / (total - no_response) as f64 * 100.0,
        total - no_response
    );
    for (cause, at) in &causes {
        println!("  {cause}: {} (e.g. {})", at.len(), at.iter().take(8).cloned().collect::<Vec<_>>().join(", "));
    }
    assert!(total > 800, "{total} request examples");
    assert!(share >= MIN_SHARE, "share {share:.3} below {MIN_SHARE}");
    // What is left are defects of the docs, not of the mock.
    let unexplained: Vec<&String> = causes.keys().filter(|c| ![AMBIGUOUS, HTTP_204, "no response documented"].contains(&c.as_str())).collect();
    assert!(unexplained.is_empty(), "failures the docs do not explain: {unexplained:?}");
    // Every answer was logged.
    assert_eq!(graph.requests().len(), total - no_response);
}
