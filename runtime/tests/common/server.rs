//! A small HTTP/1.1 server on 127.0.0.1 (hyper 1) for the client's tests and
//! examples: every request is recorded, and a handler closure answers it. Also a
//! raw TCP server for answers that a well-behaved HTTP library refuses to send
//! (lying `Content-Length`, endless bodies).
//!
//! It also counts the bytes the server writes (what a response costs on the wire).
//! Shared by the tests in `runtime/tests/` (through `common/mod.rs`), the examples
//! in `runtime/examples/` and the root package's tests (both through `#[path]`).
#![allow(dead_code)]

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A request as the server received it: the raw (still encoded) target, headers
/// and body.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: http::Method,
    pub uri: http::Uri,
    pub headers: http::HeaderMap,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The raw path, percent-encoding intact.
    pub fn path(&self) -> &str {
        self.uri.path()
    }

    /// The raw query, without `?`.
    pub fn query(&self) -> Option<&str> {
        self.uri.query()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A copy for the log that shares no memory with hyper's read buffer (parsed
    /// headers and URIs are slices of it, so keeping them would keep the whole
    /// buffer, a few hundred KiB per request of an upload), with or without the body.
    fn detached(&self, with_body: bool) -> Recorded {
        let mut headers = http::HeaderMap::with_capacity(self.headers.len());
        for (name, value) in &self.headers {
            if let Ok(v) = http::HeaderValue::from_bytes(value.as_bytes()) {
                headers.append(http::HeaderName::from_bytes(name.as_str().as_bytes()).unwrap_or_else(|_| name.clone()), v);
            }
        }
        Recorded {
            method: self.method.clone(),
            uri: self.uri.to_string().parse().unwrap_or_else(|_| self.uri.clone()),
            headers,
            body: if with_body { self.body.clone() } else { Vec::new() },
        }
    }
}

/// A running server; it stops when dropped.
pub struct Server {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    written: Arc<AtomicU64>,
    task: JoinHandle<()>,
}

/// A TCP stream that counts the bytes written to it.
struct Counted {
    stream: TcpStream,
    written: Arc<AtomicU64>,
}

impl AsyncRead for Counted {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = &polled {
            self.written.fetch_add(*n as u64, Ordering::Relaxed);
        }
        polled
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    /// Listen on an ephemeral port of 127.0.0.1 and answer every request with
    /// `handler`.
    pub async fn start<H, F>(handler: H) -> Server
    where
        H: Fn(Recorded) -> F + Send + Sync + 'static,
        F: Future<Output = http::Response<Vec<u8>>> + Send + 'static,
    {
        Server::start_with(handler, true).await
    }

    /// Like [`Server::start`], but the log of requests keeps no bodies (for
    /// uploads of gigabytes).
    pub async fn start_without_bodies<H, F>(handler: H) -> Server
    where
        H: Fn(Recorded) -> F + Send + Sync + 'static,
        F: Future<Output = http::Response<Vec<u8>>> + Send + 'static,
    {
        Server::start_with(handler, false).await
    }

    async fn start_with<H, F>(handler: H, keep_bodies: bool) -> Server
    where
        H: Fn(Recorded) -> F + Send + Sync + 'static,
        F: Future<Output = http::Response<Vec<u8>>> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let written = Arc::new(AtomicU64::new(0));
        let handler = Arc::new(handler);
        let recorded = requests.clone();
        let counter = written.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let stream = Counted { stream, written: counter.clone() };
                let handler = handler.clone();
                let recorded = recorded.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                        let handler = handler.clone();
                        let recorded = recorded.clone();
                        async move {
                            let (parts, body) = req.into_parts();
                            let body = match body.collect().await {
                                Ok(b) => b.to_bytes().to_vec(),
                                Err(_) => Vec::new(),
                            };
                            let request = Recorded { method: parts.method, uri: parts.uri, headers: parts.headers, body };
                            recorded.lock().unwrap().push(request.detached(keep_bodies));
                            let response = handler(request).await;
                            Ok::<_, Infallible>(response.map(|b| Full::new(Bytes::from(b))))
                        }
                    });
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        });
        Server { addr, requests, written, task }
    }

    /// Bytes written to clients so far: status lines, headers and bodies.
    pub fn bytes_written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT{path}`
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The service root to give the client: `http://127.0.0.1:PORT/v1.0`.
    pub fn base_url(&self) -> String {
        self.url("/v1.0")
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn request_count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

/// A response with a JSON body.
pub fn json(status: u16, body: &serde_json::Value) -> http::Response<Vec<u8>> {
    http::Response::builder().status(status).header(http::header::CONTENT_TYPE, "application/json").body(serde_json::to_vec(body).unwrap()).unwrap()
}

/// A Graph error response.
pub fn graph_error(status: u16, code: &str, message: &str, request_id: &str) -> http::Response<Vec<u8>> {
    let mut r = json(
        status,
        &serde_json::json!({
            "error": {
                "code": code,
                "message": message,
                "innerError": { "request-id": request_id, "date": "2024-05-01T10:00:00Z" }
            }
        }),
    );
    r.headers_mut().insert("request-id", http::HeaderValue::from_str(request_id).unwrap());
    r
}

/// A raw TCP server on 127.0.0.1: `handler` gets each connection after the request
/// head has been read, and writes whatever bytes it likes. Stops when dropped.
pub struct RawServer {
    addr: SocketAddr,
    connections: Arc<Mutex<usize>>,
    task: JoinHandle<()>,
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl RawServer {
    pub async fn start<H, F>(handler: H) -> RawServer
    where
        H: Fn(TcpStream) -> F + Send + Sync + 'static,
        F: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let connections = Arc::new(Mutex::new(0));
        let count = connections.clone();
        let handler = Arc::new(handler);
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else { continue };
                *count.lock().unwrap() += 1;
                let handler = handler.clone();
                tokio::spawn(async move {
                    if read_head(&mut stream).await {
                        handler(stream).await;
                    }
                });
            }
        });
        RawServer { addr, connections, task }
    }

    /// `http://127.0.0.1:PORT/v1.0`
    pub fn base_url(&self) -> String {
        format!("http://{}/v1.0", self.addr)
    }

    pub fn connection_count(&self) -> usize {
        *self.connections.lock().unwrap()
    }
}

/// Read up to the end of a request head (`\r\n\r\n`), at most 64 KiB. The tests'
/// raw handlers only answer GET requests, which have no body.
async fn read_head(stream: &mut TcpStream) -> bool {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while head.len() < 64 * 1024 {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => {
                head.extend_from_slice(&buf[..n]);
                if head.windows(4).any(|w| w == b"\r\n\r\n") {
                    return true;
                }
            }
        }
    }
    false
}

/// Write `bytes`; false once the peer has gone.
pub async fn write(stream: &mut TcpStream, bytes: &[u8]) -> bool {
    stream.write_all(bytes).await.is_ok()
}
