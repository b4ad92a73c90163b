//! What the client tests share: a time limit for every test, and a client with
//! short retry back-offs against a local server.
#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

use msgraph_runtime::client::{Client, RetryPolicy};
use msgraph_runtime::{Page, Request};
use serde_json::Value;

/// Run a test body with a time limit, so that no test can hang.
pub async fn bounded<F: Future<Output = ()>>(limit_secs: u64, f: F) {
    tokio::time::timeout(Duration::from_secs(limit_secs), f).await.expect("test took too long");
}

/// A client for `base_url` with a static `token`, a `timeout` per attempt, and
/// retry back-offs of 10 to 50 ms (so that retry tests run fast).
pub fn fast_client(base_url: &str, token: &str, timeout: Duration) -> Client {
    Client::builder()
        .base_url(base_url)
        .token(token)
        .timeout(timeout)
        .retry_policy(RetryPolicy::default().with_base_backoff(Duration::from_millis(10)).with_max_backoff(Duration::from_millis(50)))
        .build()
        .expect("client")
}

/// "List participants" of a call: a page request with its path parameter.
pub fn participants(call_id: &str) -> Request<Page<Value>> {
    Request::new(http::Method::GET, format!("/communications/calls/{call_id}/participants"), 200).path_params(&[("callId", call_id)])
}
