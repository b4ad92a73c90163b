//! An azure_core HTTP transport that sends an Azure SDK credential's requests to a
//! stand-in on 127.0.0.1 instead of the identity platform. azure_identity accepts
//! only `https` authority hosts, so a real credential (a `ClientSecretCredential`
//! building its real token request) reaches a loopback token endpoint through
//! this transport: the path and query are kept, the scheme and host replaced.
//! Used by `tests/azure_identity.rs` and `examples/azure_identity.rs` (through
//! `#[path]`).
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use azure_core::http::headers::{HeaderName, HeaderValue, Headers};
use azure_core::http::{AsyncRawResponse, Body, HttpClient, Request, StatusCode};

#[derive(Debug)]
pub struct Loopback {
    addr: SocketAddr,
    http: reqwest::Client,
    /// The URLs the credential asked for, before they were moved to loopback.
    pub asked: Mutex<Vec<String>>,
}

impl Loopback {
    pub fn new(addr: SocketAddr) -> Arc<Loopback> {
        Arc::new(Loopback { addr, http: reqwest::Client::new(), asked: Mutex::new(Vec::new()) })
    }

    /// The transport for `ClientOptions::transport`.
    pub fn transport(self: &Arc<Self>) -> azure_core::http::Transport {
        azure_core::http::Transport::new(self.clone())
    }
}

#[async_trait::async_trait]
impl HttpClient for Loopback {
    async fn execute_request(&self, request: &Request) -> azure_core::Result<AsyncRawResponse> {
        let url = request.url();
        self.asked.lock().unwrap().push(url.to_string());
        let target = format!("http://{}{}", self.addr, request.path_and_query());
        let method = reqwest::Method::from_bytes(request.method().as_str().as_bytes()).expect("method");
        let mut outgoing = self.http.request(method, target);
        for (name, value) in request.headers().iter() {
            outgoing = outgoing.header(name.as_str(), value.as_str());
        }
        if let Body::Bytes(bytes) = request.body() {
            outgoing = outgoing.body(bytes.to_vec());
        }
        let response = outgoing.send().await.map_err(|e| azure_core::Error::with_message(azure_core::error::ErrorKind::Io, e.to_string()))?;
        let status = StatusCode::from(response.status().as_u16());
        let mut headers = Headers::new();
        for (name, value) in response.headers() {
            if let Ok(v) = value.to_str() {
                headers.insert(HeaderName::from(name.as_str().to_owned()), HeaderValue::from(v.to_owned()));
            }
        }
        let body = response.bytes().await.map_err(|e| azure_core::Error::with_message(azure_core::error::ErrorKind::Io, e.to_string()))?;
        Ok(AsyncRawResponse::from_bytes(status, headers, body))
    }
}
