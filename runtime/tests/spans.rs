//! A `tracing` span per attempt, with method, path template, attempt, status,
//! duration and client-request-id, and no token, body or path identifier; against
//! a server on 127.0.0.1. A test binary of its own: the subscriber is the
//! process's global default, so no other test can race it for the callsites.

mod common;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use msgraph_runtime::client::Client;
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

use common::client::{bounded, fast_client, participants};
use common::server::{json, Server};

const TOKEN: &str = "visible-test-token-4411";

fn client(base_url: &str) -> Client {
    fast_client(base_url, TOKEN, Duration::from_secs(10))
}

// ---------------------------------------------------------------------------
// tracing spans
// ---------------------------------------------------------------------------

/// A span's name and its fields (name, value), in the order recorded.
type SpanRecord = (String, Vec<(String, String)>);

/// A subscriber that keeps every span's name and fields, and every event's fields.
#[derive(Clone, Default)]
struct Capture {
    spans: Arc<Mutex<Vec<SpanRecord>>>,
    events: Arc<Mutex<Vec<String>>>,
    next: Arc<AtomicU64>,
}

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut fields = Vec::new();
        attrs.record(&mut Fields(&mut fields));
        let mut spans = self.spans.lock().unwrap();
        spans.push((attrs.metadata().name().to_owned(), fields));
        self.next.store(spans.len() as u64, Ordering::SeqCst);
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        let fields = &mut spans[span.into_u64() as usize - 1].1;
        values.record(&mut Fields(fields));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        self.events.lock().unwrap().push(format!("{fields:?}"));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

#[test]
fn a_span_per_attempt_with_method_template_status_attempt_and_duration() {
    let capture = Capture::default();
    tracing::subscriber::set_global_default(capture.clone()).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(bounded(20, async {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let server = Server::start(move |_| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move {
                if n == 0 {
                    http::Response::builder().status(503).header("retry-after", "0").body(Vec::new()).unwrap()
                } else {
                    json(200, &json!({ "value": [{ "id": "secret-participant-body" }] }))
                }
            }
        })
        .await;
        client(&server.base_url()).send(participants("call-id-9f2")).await.unwrap();
    }));

    let spans = capture.spans.lock().unwrap().clone();
    let requests: Vec<&Vec<(String, String)>> = spans.iter().filter(|(name, _)| name == "msgraph.request").map(|(_, f)| f).collect();
    assert_eq!(requests.len(), 2, "one span per attempt: {spans:?}");
    for (i, fields) in requests.iter().enumerate() {
        assert_eq!(field(fields, "method"), Some("GET"));
        assert_eq!(field(fields, "path"), Some("/communications/calls/{callId}/participants"));
        assert_eq!(field(fields, "attempt"), Some((i + 1).to_string().as_str()));
        assert!(field(fields, "duration_ms").is_some(), "{fields:?}");
        assert!(uuid::Uuid::parse_str(field(fields, "client_request_id").unwrap()).is_ok());
    }
    assert_eq!(field(requests[0], "status"), Some("503"));
    assert_eq!(field(requests[1], "status"), Some("200"));
    let everything = format!("{spans:?} {:?}", capture.events.lock().unwrap());
    assert!(!everything.contains(TOKEN), "a span or event shows the token");
    assert!(!everything.contains("call-id-9f2"), "a span shows a path parameter");
    assert!(!everything.contains("secret-participant-body"), "a span shows a body");
}
