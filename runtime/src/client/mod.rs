//! An async HTTP client that executes the generated [`Request`]s against Microsoft
//! Graph (or any server that speaks its protocol, such as a test server on loopback).
//!
//! This module is hand-written; it is not generated and does not change when the
//! docs do. It adds what the transport-free requests leave out: the bearer token,
//! timeouts, bounded response bodies, retries on throttling, and paging. Beyond
//! single requests:
//!
//! * JSON batching ([`Batch`], [`Client::batch`]): any number of typed requests in
//!   `POST /$batch` calls of at most 20, `dependsOn` groups kept together, each
//!   item decoded into its own type, throttled items retried alone.
//! * Delta queries ([`Client::delta`], [`Client::delta_from`]): every page of a
//!   round, `@removed` entries kept ([`DeltaEntry`]), the final delta link.
//! * Resumable uploads ([`Client::create_upload_session`], [`LargeUpload`]): ranges
//!   of a configurable multiple of 320 KiB, resumed from `nextExpectedRanges`,
//!   memory bounded by the chunk size, no token sent to the upload URL.
//! * Tokens: a fixed token, an async callback, or the OAuth2 client-credentials
//!   grant with a cached token refreshed before expiry ([`ClientCredentials`]);
//!   any Azure SDK credential, for the Graph scope of the client's cloud (feature
//!   `azure-identity`: `ClientBuilder::azure_credential`, `AzureIdentity`); a
//!   user's delegated sign-in by the OAuth2 device code flow (feature
//!   `device-code`: `DeviceCodeFlow`).
//! * Visibility: a `client-request-id` GUID on every request (kept across the
//!   retries and redirects of one request, shown in errors next to the server's
//!   `request-id`), and a `tracing` span per attempt.
//!
//! # Tracing
//!
//! Every attempt runs in an `INFO` span named `msgraph.request` with the fields
//! `method`, `path` (the path template, such as
//! `/communications/calls/{callId}/participants`: no identifiers),
//! `attempt` (1 for the first), `client_request_id`, and, when it ends, `status` and
//! `duration_ms` (or `error`: `transport`, `timeout`, ...). Requests to an upload
//! URL show `path=<upload session>`, since that URL is a credential. No span or
//! event holds a token, a secret or a body. The crate installs no subscriber: the
//! application picks one (`tracing-subscriber`, OpenTelemetry, ...).
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! use msgraph_runtime::client::Client;
//! use msgraph_runtime::{Page, Request};
//! use serde_json::{json, Value};
//!
//! # async fn run() -> Result<(), msgraph_runtime::client::Error> {
//! let client = Client::builder()
//!     .token_fn(|| async { Ok::<_, std::io::Error>(std::env::var("GRAPH_TOKEN").unwrap_or_default()) })
//!     .timeout(std::time::Duration::from_secs(30))
//!     .build()?;
//!
//! // One request, one typed response. Generated requests build these
//! // (`requests::communications().calls().by_id(call_id).participants().invite(&body)`),
//! // with typed bodies.
//! let invite: Request<Value> = Request::new(http::Method::POST, "/communications/calls/call-id/participants/invite".into(), 200)
//!     .json_body(&json!({ "participants": [], "clientContext": "invite-1" }));
//! let response = client.send(invite).await?;
//! println!("{:?} at {:?}", response.body["status"], response.location());
//!
//! // A collection, every page followed.
//! let list: Request<Page<Value>> = Request::new(http::Method::GET, "/communications/calls/call-id/participants".into(), 200);
//! let participants: Vec<Value> = client.items(list.query_param("$top", "50")).try_collect().await?;
//! println!("{} participants", participants.len());
//! # Ok(())
//! # }
//! ```
//!
//! # Retries
//!
//! The client follows Microsoft Graph's throttling guidance: when the service
//! answers `429 Too Many Requests`, `503 Service Unavailable` or `504 Gateway
//! Timeout`, it waits and sends the request again, at most
//! [`RetryPolicy::max_retries`] times.
//!
//! * Which requests: a `429` means the request was not processed, so it is retried
//!   whatever its method. A `503` or `504` may come after the service acted on the
//!   request, so it is retried only when the request is idempotent
//!   ([`Request::is_idempotent`]: GET, HEAD, PUT, DELETE, OPTIONS); a POST or PATCH
//!   gets the `503`/`504` back as an [`Error::Api`].
//! * How long: the `Retry-After` header when the response has one (seconds or an
//!   HTTP-date). Without it, exponential backoff: [`RetryPolicy::base_backoff`]
//!   doubled on each retry, capped at [`RetryPolicy::max_backoff`], with jitter
//!   (a random delay between half and all of that).
//! * When not: after `max_retries` retries (so at most `max_retries + 1` attempts),
//!   or when `Retry-After` asks for a wait longer than
//!   [`RetryPolicy::max_retry_after`]; the last response is then returned as an
//!   [`Error::Api`]. Transport errors, timeouts and other statuses are not retried.
//!
//! Each retry asks the [`TokenProvider`] for a token again and carries a
//! `Retry-Attempt: n` header, as the Graph SDKs do.
//!
//! # Security
//!
//! * The token is sent only to the base URL's origin (scheme, host and port). A
//!   page's `@odata.nextLink` (or a delta link) on any other origin is refused with
//!   [`Error::NextLink`], so a hostile or compromised server cannot make the client
//!   send the token elsewhere. Redirects (301, 302, 303, 307, 308) are followed for
//!   GET and HEAD only, at most [`MAX_REDIRECTS`], relative `Location`s resolved;
//!   the `Authorization` header is dropped at the first redirect that leaves the
//!   origin and stays dropped for the rest of the chain. Other methods get the
//!   redirect back as an [`Error::Api`].
//! * Responses are asked for gzip-compressed and decompressed
//!   ([`ClientBuilder::gzip`]); the size limit counts decompressed bytes.
//! * The token is never logged: the `Debug` output of [`Client`], [`ClientBuilder`]
//!   and [`StaticToken`] leaves it out, and the header is marked sensitive.
//! * Response bodies are read with a size limit
//!   ([`ClientBuilder::max_response_bytes`]), checked against `Content-Length`
//!   before reading and against the bytes actually received while reading.
//! * A request whose path would be changed by URL normalisation (a path parameter
//!   that is `.` or `..`) or that has an empty segment (an empty path parameter) is
//!   refused before anything is sent, since it would address another resource.
//!
//! # Where things are
//!
//! The module's files, one concern each: `mod.rs` holds [`Client`] and
//! [`ClientBuilder`] (sending, redirects, paging, the spans); `auth.rs` the tokens
//! ([`TokenProvider`], [`StaticToken`], [`TokenFn`], [`ClientCredentials`], the
//! clouds' scopes); `retry.rs` the retries ([`RetryPolicy`], [`retry_after`]);
//! `error.rs` the [`Error`]; `batch.rs`, `delta.rs` and `upload.rs` the JSON
//! batches, delta queries and resumable uploads; `azure.rs` and `device_code.rs`
//! the token sources of the features `azure-identity` and `device-code`.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_core::Stream;
use futures_util::{stream, TryStreamExt};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::{Page, Request, Response};

mod auth;
#[cfg(feature = "azure-identity")]
mod azure;
mod batch;
mod delta;
#[cfg(feature = "device-code")]
mod device_code;
mod error;
mod retry;
mod upload;

pub use auth::{graph_scope, ClientCredentials, AUTHORITY_CHINA, AUTHORITY_GLOBAL, AUTHORITY_US_GOV, GRAPH_DEFAULT_SCOPE};
pub use auth::{BoxError, StaticToken, TokenFn, TokenFuture, TokenProvider};
pub use auth::{GRAPH_SCOPE_CHINA, GRAPH_SCOPE_US_GOV_L4, GRAPH_SCOPE_US_GOV_L5};
#[cfg(feature = "azure-identity")]
#[cfg_attr(docsrs, doc(cfg(feature = "azure-identity")))]
pub use azure::AzureIdentity;
pub use batch::{Batch, BatchHandle, BatchItemId, BatchResponses, MAX_BATCH_SIZE};
pub use delta::{DeltaEntry, DeltaRound, DeltaSync, Removed};
#[cfg(feature = "device-code")]
#[cfg_attr(docsrs, doc(cfg(feature = "device-code")))]
pub use device_code::{DeviceCodeCredential, DeviceCodeError, DeviceCodeFlow, DeviceCodePrompt};
use error::with_client_request_id;
pub use error::Error;
pub use retry::{retry_after, RetryPolicy};
pub use upload::{LargeUpload, UploadSession, Uploaded, DEFAULT_UPLOAD_CHUNK, UPLOAD_CHUNK_UNIT};

/// The header that carries the client's own id of a request (a GUID).
pub const CLIENT_REQUEST_ID: &str = "client-request-id";

/// The most redirects followed for one GET.
pub const MAX_REDIRECTS: usize = 10;

/// The Microsoft Graph v1.0 service root of the global cloud (the default).
pub const GLOBAL: &str = "https://graph.microsoft.com/v1.0";
/// The beta service root of the global cloud.
pub const GLOBAL_BETA: &str = "https://graph.microsoft.com/beta";
/// Microsoft Graph for US Government L4 (GCC High).
pub const US_GOV_L4: &str = "https://graph.microsoft.us/v1.0";
/// Microsoft Graph for US Government L5 (DoD).
pub const US_GOV_L5: &str = "https://dod-graph.microsoft.us/v1.0";
/// Microsoft Graph China operated by 21Vianet.
pub const CHINA: &str = "https://microsoftgraph.chinacloudapi.cn/v1.0";

/// The default limit on a response body: 32 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;

/// Settings for a [`Client`]; start with [`Client::builder`].
pub struct ClientBuilder {
    base_url: String,
    token: Option<Arc<dyn TokenProvider>>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    max_response_bytes: u64,
    user_agent: String,
    gzip: bool,
    /// An Azure SDK credential, made the token provider at build (feature `azure-identity`).
    #[cfg(feature = "azure-identity")]
    azure: Option<azure::AzureIdentity>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        #[cfg(feature = "azure-identity")]
        let token_source = self.token.is_some() || self.azure.is_some();
        #[cfg(not(feature = "azure-identity"))]
        let token_source = self.token.is_some();
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token_provider", &token_source.then_some("<redacted>"))
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("user_agent", &self.user_agent)
            .field("gzip", &self.gzip)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: GLOBAL.to_owned(),
            token: None,
            timeout: Some(Duration::from_secs(100)),
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent: concat!("msgraph-rust/", env!("CARGO_PKG_VERSION")).to_owned(),
            gzip: true,
            #[cfg(feature = "azure-identity")]
            azure: None,
        }
    }
}

impl ClientBuilder {
    /// The service root that request paths are appended to, for example
    /// [`GLOBAL`] (the default), [`US_GOV_L4`], [`CHINA`], or
    /// `http://127.0.0.1:8080/v1.0` for a local test server. An absolute `http` or
    /// `https` URL without query or fragment; a trailing `/` is ignored.
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Send this fixed token (a [`StaticToken`]).
    #[must_use]
    pub fn token(self, token: impl Into<String>) -> Self {
        self.token_provider(StaticToken::new(token))
    }

    /// Ask `provider` for the token before every attempt.
    #[must_use]
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.token = Some(Arc::new(provider));
        #[cfg(feature = "azure-identity")]
        {
            self.azure = None;
        }
        self
    }

    /// Ask an async closure for the token before every attempt (a [`TokenFn`]).
    #[must_use]
    pub fn token_fn<F, Fut, E>(self, f: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<String, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        self.token_provider(TokenFn::new(f))
    }

    /// The time limit for each attempt: connecting, sending the request and reading
    /// the whole response. Retries get a fresh limit; waits between retries do not
    /// count. Default 100 s (the Graph service's own limit).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No time limit on attempts.
    #[must_use]
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// When to retry; see [`RetryPolicy`]. [`RetryPolicy::none`] turns retries off.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The largest response body accepted, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]). Larger bodies give [`Error::BodyTooLarge`].
    #[must_use]
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// The `User-Agent` header (default `msgraph-rust/<version>`).
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Whether to ask for gzip-compressed responses (`Accept-Encoding: gzip`) and
    /// decompress them (default on). The response size limit applies to the
    /// decompressed body.
    #[must_use]
    pub fn gzip(mut self, enabled: bool) -> Self {
        self.gzip = enabled;
        self
    }

    /// Build the client. Fails with [`Error::Config`] without a token provider, with
    /// a base URL that is not an absolute `http`/`https` URL, or with a user agent
    /// that is not a valid header value.
    pub fn build(#[allow(unused_mut)] mut self) -> Result<Client, Error> {
        #[cfg(feature = "azure-identity")]
        self.bind_azure_credential();
        let token = self.token.ok_or_else(|| Error::Config("no token provider: call .token(..), .token_fn(..) or .token_provider(..)".into()))?;
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        let base: http::Uri = base_url.parse().map_err(|e| Error::Config(format!("base URL {base_url:?}: {e}")))?;
        let origin = Origin::of(&base).ok_or_else(|| Error::Config(format!("base URL {base_url:?} is not an absolute http or https URL")))?;
        if base_url.contains(['?', '#']) {
            return Err(Error::Config(format!("base URL {base_url:?} has a query or fragment")));
        }
        let user_agent = http::HeaderValue::from_str(&self.user_agent).map_err(|e| Error::Config(format!("user agent: {e}")))?;
        let http = reqwest::Client::builder()
            .user_agent(user_agent)
            .gzip(self.gzip)
            // Redirects are followed by the client itself (GET and HEAD only; see
            // the module documentation), so that the token rule is its own.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                base_path: base.path().trim_end_matches('/').to_owned(),
                origin,
                token,
                timeout: self.timeout,
                retry: self.retry,
                max_response_bytes: self.max_response_bytes,
            }),
        })
    }
}

/// The scheme, host and port of a URL: where the token may be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    fn of(uri: &http::Uri) -> Option<Origin> {
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "https" => 443,
            "http" => 80,
            _ => return None,
        };
        let authority = uri.authority()?;
        if authority.as_str().contains('@') {
            return None;
        }
        let host = authority.host().to_ascii_lowercase();
        if host.is_empty() {
            return None;
        }
        Some(Origin { scheme, host, port: authority.port_u16().unwrap_or(default_port) })
    }
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    /// The path of the base URL (`/v1.0`), without a trailing `/`.
    base_path: String,
    origin: Origin,
    token: Arc<dyn TokenProvider>,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    max_response_bytes: u64,
}

/// An async Microsoft Graph client. Cheap to clone (clones share one connection
/// pool and configuration); see the [module documentation](self) for an example.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token_provider", &"<redacted>")
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .finish()
    }
}

/// Where an attempt goes: the request's own path under the base URL, or a next link.
#[derive(Clone, Copy)]
enum Target<'a> {
    Base,
    Link(&'a http::Uri),
}

impl Client {
    /// Start configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The service root requests are sent to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Send a request and parse the documented response type, retrying throttled
    /// and unavailable responses as the [module documentation](self#retries)
    /// describes.
    ///
    /// A non-success status (after retries) is [`Error::Api`]; a success whose body
    /// does not match `T` is [`Error::Decode`].
    ///
    /// Takes a [`Request`] or a generated operation's [`Query`](crate::Query).
    pub async fn send<T: DeserializeOwned>(&self, request: impl Into<Request<T>>) -> Result<Response<T>, Error> {
        self.execute(&request.into(), Target::Base).await
    }

    /// Read the page after `page`: `Ok(None)` when `page` has no
    /// `@odata.nextLink`. The link is requested as it is (it already carries the
    /// query), with the same token and the headers of `request`; it must be on the
    /// base URL's origin ([`Error::NextLink`] otherwise).
    pub async fn next_page<T: DeserializeOwned>(&self, request: &Request<Page<T>>, page: &Page<T>) -> Result<Option<Response<Page<T>>>, Error> {
        match &page.next_link {
            None => Ok(None),
            Some(link) => {
                let uri = self.check_next_link(link)?;
                self.execute(request, Target::Link(&uri)).await.map(Some)
            }
        }
    }

    /// Every page of a collection, following `@odata.nextLink` until a page has
    /// none. The stream ends after the first error. A next link on another origin
    /// than the base URL, or one that repeats the URL just read, is an
    /// [`Error::NextLink`].
    pub fn pages<T>(&self, request: impl Into<Request<Page<T>>>) -> impl Stream<Item = Result<Page<T>, Error>> + Send + 'static
    where
        T: DeserializeOwned + Send + 'static,
    {
        enum Cursor {
            First,
            Link(String),
        }
        let state = (self.clone(), Arc::new(request.into()), Some(Cursor::First));
        stream::try_unfold(state, |(client, request, cursor)| async move {
            let response = match cursor {
                None => return Ok(None),
                Some(Cursor::First) => client.execute(&request, Target::Base).await?,
                Some(Cursor::Link(link)) => {
                    let uri = client.check_next_link(&link)?;
                    let response = client.execute(&request, Target::Link(&uri)).await?;
                    if response.body.next_link.as_deref() == Some(link.as_str()) {
                        return Err(Error::NextLink { link, reason: "it repeats the page just read".into() });
                    }
                    response
                }
            };
            let page = response.body;
            let next = page.next_link.clone().map(Cursor::Link);
            Ok(Some((page, (client, request, next))))
        })
    }

    /// Every item of a collection, in order, across all pages (see [`Client::pages`]).
    pub fn items<T>(&self, request: impl Into<Request<Page<T>>>) -> impl Stream<Item = Result<T, Error>> + Send + 'static
    where
        T: DeserializeOwned + Send + 'static,
    {
        self.pages(request).map_ok(|page| stream::iter(page.value.into_iter().map(Ok))).try_flatten()
    }

    /// Parse a next link and check that it is an absolute URL on the base origin.
    fn check_next_link(&self, link: &str) -> Result<http::Uri, Error> {
        let refuse = |reason: &str| Error::NextLink { link: link.to_owned(), reason: reason.to_owned() };
        let uri: http::Uri = link.parse().map_err(|e| refuse(&format!("not a valid URL: {e}")))?;
        let origin = Origin::of(&uri).ok_or_else(|| refuse("not an absolute http or https URL without user info"))?;
        if origin != self.inner.origin {
            return Err(refuse(&format!(
                "it points at {}://{}:{}, not at the base URL's origin {}://{}:{}",
                origin.scheme, origin.host, origin.port, self.inner.origin.scheme, self.inner.origin.host, self.inner.origin.port
            )));
        }
        Ok(uri)
    }

    /// Send and parse: [`Client::execute_raw`], then the documented type.
    async fn execute<T: DeserializeOwned>(&self, request: &Request<T>, target: Target<'_>) -> Result<Response<T>, Error> {
        let (response, id) = self.execute_raw(request, target).await?;
        request.parse_response(response).map_err(|e| with_client_request_id(Error::from(e), &id))
    }

    /// The retry loop around [`Client::attempt`]: the last response, whatever its
    /// status, and the `client-request-id` it was sent with.
    async fn execute_raw<T>(&self, request: &Request<T>, target: Target<'_>) -> Result<(http::Response<Vec<u8>>, String), Error> {
        let policy = self.inner.retry;
        let id = client_request_id(request.headers());
        let mut retry = 0u32;
        loop {
            let response = self.attempt(request, target, retry, &id).await?;
            if retry < policy.max_retries() && RetryPolicy::is_retryable(response.status(), request.is_idempotent()) {
                if let Some(delay) = policy.delay(retry, response.headers()) {
                    tokio::time::sleep(delay).await;
                    retry += 1;
                    continue;
                }
            }
            return Ok((response, id));
        }
    }

    /// One attempt: token, build, send, read the body within the limits.
    async fn attempt<T>(&self, request: &Request<T>, target: Target<'_>, retry: u32, id: &str) -> Result<http::Response<Vec<u8>>, Error> {
        let token = self.inner.token.token().await.map_err(Error::Token)?;
        let mut http_request = match target {
            Target::Base => request.to_http(&self.inner.base_url)?,
            Target::Link(uri) => request.to_http_at(&uri.to_string())?,
        };
        let mut auth = http::HeaderValue::from_str(&format!("Bearer {token}"))
            .map_err(|_| Error::Token("the token contains characters that are not allowed in an HTTP header".into()))?;
        auth.set_sensitive(true);
        let headers = http_request.headers_mut();
        headers.insert(http::header::AUTHORIZATION, auth);
        if retry > 0 {
            headers.insert("retry-attempt", http::HeaderValue::from(retry));
        }
        if let Ok(v) = http::HeaderValue::from_str(id) {
            headers.insert(CLIENT_REQUEST_ID, v);
        }
        let built_path = http_request.uri().path().to_owned();
        let reqwest_request = reqwest::Request::try_from(http_request).map_err(|e| Error::Request(crate::Error::InvalidRequest(e.to_string())))?;
        if matches!(target, Target::Base) {
            check_segments(&built_path, &self.inner.base_path)?;
            // The `url` crate that reqwest uses resolves dot segments, encoded ones
            // (`%2E%2E`) included; refuse rather than address another resource.
            if reqwest_request.url().path() != built_path {
                return Err(Error::Request(crate::Error::InvalidRequest(format!(
                    "the path {built_path:?} would be sent as {:?} after URL normalisation (a path parameter is `.` or `..`)",
                    reqwest_request.url().path()
                ))));
            }
        }
        let span = request_span(request.method(), &request.path_template(), retry, id);
        self.timed(span, self.exchange(reqwest_request)).await
    }

    /// Run one exchange under the attempt time limit, inside `span`, recording the
    /// status (or error) and the duration on it.
    async fn timed<F>(&self, span: tracing::Span, fut: F) -> Result<http::Response<Vec<u8>>, Error>
    where
        F: Future<Output = Result<http::Response<Vec<u8>>, Error>>,
    {
        let started = Instant::now();
        let result = async {
            match self.inner.timeout {
                Some(limit) => tokio::time::timeout(limit, fut).await.map_err(|_| Error::Timeout(limit))?,
                None => fut.await,
            }
        }
        .instrument(span.clone())
        .await;
        span.record("duration_ms", u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
        match &result {
            Ok(response) => {
                span.record("status", response.status().as_u16());
                span.in_scope(|| tracing::debug!(status = response.status().as_u16(), "response"));
            }
            Err(e) => {
                span.record("error", tracing::field::display(error_kind(e)));
                span.in_scope(|| tracing::debug!(error = %error_kind(e), "request failed"));
            }
        }
        result
    }

    /// Send, following redirects for GET and HEAD (at most [`MAX_REDIRECTS`]):
    /// the `Authorization` header is dropped from the first redirect that leaves
    /// the origin of the URL before it, and stays dropped. Other methods get the
    /// redirect response back (an [`Error::Api`] when parsed).
    async fn exchange(&self, request: reqwest::Request) -> Result<http::Response<Vec<u8>>, Error> {
        let follow = matches!(*request.method(), http::Method::GET | http::Method::HEAD);
        let mut request = request;
        let mut redirects = 0;
        loop {
            let again = if follow { request.try_clone() } else { None };
            let from = request.url().clone();
            let response = self.inner.http.execute(request).await.map_err(transport)?;
            let location = match response.status().as_u16() {
                301 | 302 | 303 | 307 | 308 => response.headers().get(http::header::LOCATION).cloned(),
                _ => None,
            };
            match (again, location) {
                (Some(mut next), Some(location)) => {
                    redirects += 1;
                    if redirects > MAX_REDIRECTS {
                        return Err(Error::Transport(format!("more than {MAX_REDIRECTS} redirects").into()));
                    }
                    let to = location
                        .to_str()
                        .ok()
                        .and_then(|l| from.join(l).ok())
                        .filter(|u| matches!(u.scheme(), "http" | "https") && u.username().is_empty() && u.password().is_none())
                        .ok_or_else(|| Error::Transport("a redirect's Location is not an http or https URL".into()))?;
                    if (to.scheme(), to.host_str(), to.port_or_known_default()) != (from.scheme(), from.host_str(), from.port_or_known_default()) {
                        next.headers_mut().remove(http::header::AUTHORIZATION);
                    }
                    *next.url_mut() = to;
                    request = next;
                }
                _ => return self.read_body(response).await,
            }
        }
    }

    /// Read the response, the body within `max_response_bytes`.
    async fn read_body(&self, mut response: reqwest::Response) -> Result<http::Response<Vec<u8>>, Error> {
        let limit = self.inner.max_response_bytes;
        let content_length = response.content_length();
        if content_length.is_some_and(|n| n > limit) {
            return Err(Error::BodyTooLarge { limit, content_length });
        }
        let mut body = Vec::with_capacity(content_length.unwrap_or(0).min(limit).min(1 << 20) as usize);
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(Error::BodyTooLarge { limit, content_length });
            }
            body.extend_from_slice(&chunk);
        }
        let mut out = http::Response::new(body);
        *out.status_mut() = response.status();
        *out.version_mut() = response.version();
        *out.headers_mut() = std::mem::take(response.headers_mut());
        Ok(out)
    }

    /// Send a request that carries no token, to a URL outside the base URL (a
    /// pre-authenticated upload session), with the retry rule and the time limit,
    /// and no redirects. `label` stands for the URL in spans: the URL itself holds
    /// a credential.
    pub(crate) async fn execute_plain(
        &self,
        method: http::Method,
        url: &reqwest::Url,
        headers: &http::HeaderMap,
        body: Option<bytes::Bytes>,
        label: &'static str,
    ) -> Result<http::Response<Vec<u8>>, Error> {
        let policy = self.inner.retry;
        let id = client_request_id(headers);
        let idempotent = matches!(method, http::Method::GET | http::Method::HEAD | http::Method::PUT | http::Method::DELETE | http::Method::OPTIONS);
        let mut retry = 0u32;
        loop {
            let mut request = reqwest::Request::new(method.clone(), url.clone());
            *request.headers_mut() = headers.clone();
            request.headers_mut().remove(http::header::AUTHORIZATION);
            if let Ok(v) = http::HeaderValue::from_str(&id) {
                request.headers_mut().insert(CLIENT_REQUEST_ID, v);
            }
            if retry > 0 {
                request.headers_mut().insert("retry-attempt", http::HeaderValue::from(retry));
            }
            if let Some(b) = &body {
                *request.body_mut() = Some(reqwest::Body::from(b.clone()));
            }
            let span = request_span(&method, label, retry, &id);
            let sent = async {
                let response = self.inner.http.execute(request).await.map_err(transport)?;
                self.read_body(response).await
            };
            let response = self.timed(span, sent).await.map_err(|e| with_client_request_id(e, &id))?;
            if retry < policy.max_retries() && RetryPolicy::is_retryable(response.status(), idempotent) {
                if let Some(delay) = policy.delay(retry, response.headers()) {
                    tokio::time::sleep(delay).await;
                    retry += 1;
                    continue;
                }
            }
            let mut response = response;
            if !response.headers().contains_key(CLIENT_REQUEST_ID) {
                if let Ok(v) = http::HeaderValue::from_str(&id) {
                    response.headers_mut().insert(CLIENT_REQUEST_ID, v);
                }
            }
            return Ok(response);
        }
    }

    /// The configured retry policy.
    pub(crate) fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }
}

/// The span of one attempt. No token, no body, no identifiers from the path.
fn request_span(method: &http::Method, path: &str, retry: u32, id: &str) -> tracing::Span {
    tracing::info_span!(
        "msgraph.request",
        method = %method,
        path = %path,
        attempt = retry + 1,
        client_request_id = %id,
        status = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
        error = tracing::field::Empty,
    )
}

/// What kind of failure, for spans (the error's own text may quote a URL).
fn error_kind(e: &Error) -> &'static str {
    match e {
        Error::Transport(_) => "transport",
        Error::Timeout(_) => "timeout",
        Error::BodyTooLarge { .. } => "body too large",
        _ => "other",
    }
}

/// The request's own `client-request-id` header, or a new GUID.
fn client_request_id(headers: &http::HeaderMap) -> String {
    headers.get(CLIENT_REQUEST_ID).and_then(|v| v.to_str().ok()).map(str::to_owned).unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

fn transport(e: reqwest::Error) -> Error {
    Error::Transport(Box::new(e.without_url()))
}

/// Refuse paths with an empty segment below the base path: generated paths have
/// none, so one comes from an empty path parameter and would address another
/// resource.
fn check_segments(path: &str, base_path: &str) -> Result<(), Error> {
    let rest = path.strip_prefix(base_path).unwrap_or(path);
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    if rest.split('/').any(str::is_empty) {
        return Err(Error::Request(crate::Error::InvalidRequest(format!("the path {path:?} has an empty segment (an empty path parameter?)"))));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        let o = |s: &str| Origin::of(&s.parse().unwrap());
        assert_eq!(o("https://graph.microsoft.com/v1.0"), o("HTTPS://Graph.Microsoft.com:443/beta/x?y"));
        assert_ne!(o("https://graph.microsoft.com/v1.0"), o("http://graph.microsoft.com/v1.0"));
        assert_ne!(o("https://graph.microsoft.com/v1.0"), o("https://graph.microsoft.com:8443/v1.0"));
        assert_eq!(o("https://graph.microsoft.com@evil.example/v1.0"), None);
        assert_eq!(o("ftp://graph.microsoft.com/v1.0"), None);
        assert_eq!(o("/v1.0/me"), None);
    }

    #[test]
    fn path_templates_hide_path_parameters() {
        let r: Request<()> = Request::new(http::Method::GET, "/communications/calls/c%2F1/participants/p-2".into(), 200)
            .path_params(&[("callId", "c/1"), ("participantId", "p-2")]);
        assert_eq!(r.path_template(), "/communications/calls/{callId}/participants/{participantId}");
        let plain: Request<()> = Request::new(http::Method::GET, "/me/events".into(), 200);
        assert_eq!(plain.path_template(), "/me/events");
        // A value equal to a literal segment before it is matched in order, at its own place.
        let r: Request<()> = Request::new(http::Method::GET, "/users/users/events".into(), 200).path_params(&[("userId", "users")]);
        assert_eq!(r.path_template(), "/users/{userId}/events");
    }

    #[test]
    fn empty_segments_are_refused() {
        assert!(check_segments("/v1.0/communications/calls/x", "/v1.0").is_ok());
        assert!(check_segments("/communications/calls/x", "").is_ok());
        assert!(check_segments("/v1.0/communications/calls//participants", "/v1.0").is_err());
        assert!(check_segments("/v1.0/communications/calls/", "/v1.0").is_err());
    }
}
