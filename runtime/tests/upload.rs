//! Resumable uploads against two stand-in servers on 127.0.0.1: the Graph host
//! (`createUploadSession`, with the token) and the upload host on another port
//! (the pre-authenticated upload URL), which keeps the bytes received, checks
//! every `Content-Range`, answers `202` with `nextExpectedRanges`, and can be
//! told to fail, to time out or to accept only part of a range.

mod common;

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use msgraph_runtime::client::{Client, Error, Uploaded, UPLOAD_CHUNK_UNIT};
use msgraph_runtime::Request;
use serde_json::{json, Value};
use tokio::io::{AsyncRead, ReadBuf};

use common::client::{bounded, fast_client};
use common::server::{graph_error, json, Recorded, Server};

const TOKEN: &str = "upload-test-token";

fn client(base_url: &str) -> Client {
    fast_client(base_url, TOKEN, Duration::from_millis(1500))
}

/// What the upload host does with the PUT number `n` (1-based).
#[derive(Clone, Copy, PartialEq, Debug)]
enum Fault {
    None,
    /// Answer 500 without storing anything.
    Fail,
    /// Store nothing and answer only after the client's time limit.
    Hang,
    /// Store the first half of the range, answer 202 expecting the rest.
    Half,
}

#[derive(Default)]
struct Upload {
    data: Vec<u8>,
    puts: usize,
    faults: Vec<(usize, Fault)>,
    cancelled: bool,
    /// Answer the last range with `201` + `Location` and no body (Outlook).
    location_mode: bool,
}

fn file(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i.wrapping_mul(31) % 251) as u8).collect()
}

async fn upload_host(state: Arc<Mutex<Upload>>) -> Server {
    Server::start(move |r: Recorded| {
        let state = state.clone();
        async move {
            let (fault, response) = {
                let mut s = state.lock().unwrap();
                if s.cancelled || r.path() != "/up/session-1" {
                    return graph_error(404, "itemNotFound", "The upload session was not found", "up-404");
                }
                match r.method.as_str() {
                    "DELETE" => {
                        s.cancelled = true;
                        return http::Response::builder().status(204).body(Vec::new()).unwrap();
                    }
                    "GET" => return json(200, &json!({ "expirationDateTime": "2030-01-01T00:00:00Z", "nextExpectedRanges": [format!("{}-", s.data.len())] })),
                    "PUT" => {}
                    _ => return graph_error(405, "invalidRequest", "method", "up-405"),
                }
                s.puts += 1;
                let n = s.puts;
                let fault = s.faults.iter().find(|(k, _)| *k == n).map_or(Fault::None, |(_, f)| *f);
                let range = r.header("content-range").expect("Content-Range").to_owned();
                let (span, total) = range.strip_prefix("bytes ").unwrap().split_once('/').unwrap();
                let (a, b) = span.split_once('-').unwrap();
                let (a, b, total): (usize, usize, usize) = (a.parse().unwrap(), b.parse().unwrap(), total.parse().unwrap());
                assert_eq!(b - a + 1, r.body.len(), "Content-Range and body length disagree");
                assert_eq!(r.header("content-length"), Some(r.body.len().to_string().as_str()));
                let response = match fault {
                    Fault::Fail => graph_error(500, "generalException", "range failed", "up-500"),
                    Fault::Hang => graph_error(500, "late", "answered too late", "up-late"),
                    _ if a != s.data.len() => graph_error(416, "invalidRange", "not the next expected range", "up-416"),
                    Fault::Half => {
                        let half = r.body.len() / 2;
                        s.data.extend_from_slice(&r.body[..half]);
                        json(202, &json!({ "nextExpectedRanges": [format!("{}-{}", s.data.len(), total - 1)] }))
                    }
                    Fault::None => {
                        s.data.extend_from_slice(&r.body);
                        if s.data.len() == total && s.location_mode {
                            http::Response::builder()
                                .status(201)
                                .header("location", "https://outlook.office.com/api/v2.0/Users('u')/Messages('m')/Attachments('a')")
                                .body(Vec::new())
                                .unwrap()
                        } else if s.data.len() == total {
                            json(201, &json!({ "id": "item-1", "name": "big.bin", "size": total }))
                        } else {
                            json(202, &json!({ "expirationDateTime": "2030-01-01T00:00:00Z", "nextExpectedRanges": [format!("{}-", s.data.len())] }))
                        }
                    }
                };
                (fault, response)
            };
            if fault == Fault::Hang {
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
            response
        }
    })
    .await
}

/// The Graph host: `createUploadSession` answers with an upload URL on `upload`.
async fn graph_host(upload_url: String) -> Server {
    Server::start(move |r: Recorded| {
        let url = upload_url.clone();
        async move {
            if r.header("authorization") != Some(&format!("Bearer {TOKEN}")) {
                return graph_error(401, "InvalidAuthenticationToken", "no token", "g-401");
            }
            if r.method == http::Method::POST && r.path().ends_with("/createUploadSession") {
                json(200, &json!({ "uploadUrl": url, "expirationDateTime": "2030-01-01T00:00:00Z", "nextExpectedRanges": ["0-"] }))
            } else {
                graph_error(404, "itemNotFound", "no", "g-404")
            }
        }
    })
    .await
}

fn create_session() -> Request<Value> {
    Request::new(http::Method::POST, "/me/drive/root:/big.bin:/createUploadSession".into(), 200).json_body(&json!({ "item": {} }))
}

struct Hosts {
    graph: Server,
    upload: Server,
    state: Arc<Mutex<Upload>>,
}

async fn hosts(faults: Vec<(usize, Fault)>) -> Hosts {
    let state = Arc::new(Mutex::new(Upload { faults, ..Upload::default() }));
    let upload = upload_host(state.clone()).await;
    let graph = graph_host(upload.url("/up/session-1?tempauth=pre-authenticated")).await;
    Hosts { graph, upload, state }
}

fn assert_no_token_sent_to(upload: &Server) {
    assert!(!upload.requests().is_empty());
    for r in upload.requests() {
        assert_eq!(r.header("authorization"), None, "{} {} carried a token", r.method, r.uri);
        assert!(r.header("client-request-id").is_some());
    }
}

#[tokio::test]
async fn uploads_in_ranges_of_the_chunk_size_and_returns_the_item() {
    bounded(30, async {
        let h = hosts(vec![]).await;
        let data = file(2 * UPLOAD_CHUNK_UNIT + 1000);
        let upload = client(&h.graph.base_url()).create_upload_session(create_session()).await.unwrap().chunk_size(UPLOAD_CHUNK_UNIT).unwrap();
        assert!(!format!("{upload:?}").contains("tempauth"), "Debug shows the pre-authenticated URL");
        let done = upload.send::<Value, _>(&data[..], data.len() as u64).await.unwrap();
        let Uploaded::Item(item) = done else { panic!("expected the item, got {done:?}") };
        assert_eq!(item.status, 201);
        assert_eq!(item.body["id"], "item-1");
        assert_eq!(h.state.lock().unwrap().data, data);
        let ranges: Vec<String> = h.upload.requests().iter().map(|r| r.header("content-range").unwrap().to_owned()).collect();
        let total = data.len();
        assert_eq!(
            ranges,
            [
                format!("bytes 0-{}/{total}", UPLOAD_CHUNK_UNIT - 1),
                format!("bytes {}-{}/{total}", UPLOAD_CHUNK_UNIT, 2 * UPLOAD_CHUNK_UNIT - 1),
                format!("bytes {}-{}/{total}", 2 * UPLOAD_CHUNK_UNIT, total - 1),
            ]
        );
        assert!(h.upload.requests().iter().all(|r| r.uri.query() == Some("tempauth=pre-authenticated")));
        assert_no_token_sent_to(&h.upload);
        assert_eq!(h.graph.request_count(), 1);
    })
    .await;
}

#[tokio::test]
async fn chunk_size_must_be_a_multiple_of_320_kib() {
    let c = client("http://127.0.0.1:9/v1.0");
    let upload = c.upload_session("http://127.0.0.1:9/up/session-1").unwrap();
    assert!(matches!(upload.chunk_size(1000), Err(Error::Config(_))));
    let upload = c.upload_session("http://127.0.0.1:9/up/session-1").unwrap();
    assert!(matches!(upload.chunk_size(0), Err(Error::Config(_))));
    let upload = c.upload_session("http://127.0.0.1:9/up/session-1").unwrap();
    assert!(upload.chunk_size(3 * UPLOAD_CHUNK_UNIT).is_ok());
}

#[tokio::test]
async fn failed_timed_out_and_partial_ranges_resume_from_next_expected_ranges() {
    bounded(30, async {
        // PUT 2 fails (500), PUT 3 hangs past the time limit, PUT 5 is half taken.
        let h = hosts(vec![(2, Fault::Fail), (3, Fault::Hang), (5, Fault::Half)]).await;
        let data = file(3 * UPLOAD_CHUNK_UNIT + 7);
        let upload = client(&h.graph.base_url()).create_upload_session(create_session()).await.unwrap().chunk_size(UPLOAD_CHUNK_UNIT).unwrap();
        let done = upload.send::<Value, _>(&data[..], data.len() as u64).await.unwrap();
        assert!(matches!(done, Uploaded::Item(_)));
        assert_eq!(h.state.lock().unwrap().data, data, "the server has every byte, in order");
        let seen: Vec<String> = h.upload.requests().iter().map(|r| format!("{} {}", r.method, r.header("content-range").unwrap_or(""))).collect();
        let u = UPLOAD_CHUNK_UNIT;
        let half = u / 2;
        let total = data.len();
        assert_eq!(
            seen,
            [
                format!("PUT bytes 0-{}/{total}", u - 1),
                format!("PUT bytes {u}-{}/{total}", 2 * u - 1),
                "GET ".to_owned(),
                format!("PUT bytes {u}-{}/{total}", 2 * u - 1),
                "GET ".to_owned(),
                format!("PUT bytes {u}-{}/{total}", 2 * u - 1),
                format!("PUT bytes {}-{}/{total}", 2 * u, 3 * u - 1),
                format!("PUT bytes {}-{}/{total}", 2 * u + half, 3 * u - 1),
                format!("PUT bytes {}-{}/{total}", 3 * u, total - 1),
            ]
        );
        assert_no_token_sent_to(&h.upload);
    })
    .await;
}

/// A source that fails after `fail_at` bytes, like a file on a disk that went away.
struct Flaky<'a> {
    data: &'a [u8],
    pos: usize,
    fail_at: usize,
}

impl AsyncRead for Flaky<'_> {
    fn poll_read(mut self: Pin<&mut Self>, _cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        if self.pos >= self.fail_at {
            return Poll::Ready(Err(std::io::Error::other("disk gone")));
        }
        let n = buf.remaining().min(self.fail_at - self.pos).min(self.data.len() - self.pos);
        let pos = self.pos;
        buf.put_slice(&self.data[pos..pos + n]);
        self.pos += n;
        Poll::Ready(Ok(()))
    }
}

#[tokio::test]
async fn an_interrupted_upload_resumes_later_from_the_stored_url() {
    bounded(30, async {
        let h = hosts(vec![]).await;
        let data = file(3 * UPLOAD_CHUNK_UNIT);
        let c = client(&h.graph.base_url());
        let upload = c.create_upload_session(create_session()).await.unwrap().chunk_size(UPLOAD_CHUNK_UNIT).unwrap();
        let stored_url = upload.upload_url().to_owned();
        let source = Flaky { data: &data, pos: 0, fail_at: UPLOAD_CHUNK_UNIT + 100 };
        let err = upload.send::<Value, _>(source, data.len() as u64).await.unwrap_err();
        assert!(err.to_string().contains("disk gone"), "{err}");

        // Later: the session by its URL, where it stands, and the rest.
        let upload = c.upload_session(&stored_url).unwrap().chunk_size(UPLOAD_CHUNK_UNIT).unwrap();
        let offset = upload.status().await.unwrap().next_expected_offset().unwrap();
        assert_eq!(offset, UPLOAD_CHUNK_UNIT as u64);
        let done = upload.send_from::<Value, _>(&data[offset as usize..], offset, data.len() as u64).await.unwrap();
        assert!(matches!(done, Uploaded::Item(_)));
        assert_eq!(h.state.lock().unwrap().data, data);
        assert_no_token_sent_to(&h.upload);
    })
    .await;
}

#[tokio::test]
async fn outlook_sessions_answer_with_a_location() {
    bounded(30, async {
        let h = hosts(vec![]).await;
        h.state.lock().unwrap().location_mode = true;
        let data = file(1000);
        let upload = client(&h.graph.base_url()).create_upload_session(create_session()).await.unwrap();
        let done = upload.send::<Value, _>(&data[..], data.len() as u64).await.unwrap();
        let Uploaded::Location { status, location, .. } = done else { panic!("expected a Location, got {done:?}") };
        assert_eq!(status, 201);
        assert!(location.contains("Attachments('a')"));
        assert_no_token_sent_to(&h.upload);
    })
    .await;
}

#[tokio::test]
async fn cancel_deletes_the_session() {
    bounded(30, async {
        let h = hosts(vec![]).await;
        let c = client(&h.graph.base_url());
        let upload = c.create_upload_session(create_session()).await.unwrap();
        let url = upload.upload_url().to_owned();
        upload.cancel().await.unwrap();
        assert!(h.state.lock().unwrap().cancelled);
        let last = h.upload.requests().pop().unwrap();
        assert_eq!(last.method, http::Method::DELETE);
        // The session is gone: a 404, not retried, not resumed.
        let data = file(10);
        let err = c.upload_session(&url).unwrap().send::<Value, _>(&data[..], 10).await.unwrap_err();
        assert_eq!(err.status(), Some(http::StatusCode::NOT_FOUND));
        assert_no_token_sent_to(&h.upload);
    })
    .await;
}

#[tokio::test]
async fn a_source_shorter_than_announced_is_an_error() {
    bounded(30, async {
        let h = hosts(vec![]).await;
        let data = file(100);
        let upload = client(&h.graph.base_url()).create_upload_session(create_session()).await.unwrap();
        let err = upload.send::<Value, _>(&data[..], 200).await.unwrap_err();
        assert!(matches!(err, Error::Upload(_)), "{err:?}");
        assert!(err.to_string().contains("ended at byte 100"), "{err}");
        assert_eq!(h.upload.request_count(), 0, "nothing sent from a source that cannot fill the range");
    })
    .await;
}
