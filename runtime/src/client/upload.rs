//! Resumable large uploads: an upload session, the file sent in byte ranges, resumed
//! from the server's `nextExpectedRanges` after a failed range.
//!
//! ```no_run
//! # async fn run(client: msgraph_runtime::client::Client) -> Result<(), msgraph_runtime::client::Error> {
//! use msgraph_runtime::client::{Uploaded, UPLOAD_CHUNK_UNIT};
//! use msgraph_runtime::Request;
//! use serde_json::{json, Value};
//!
//! let create: Request<Value> = Request::new(http::Method::POST, "/me/drive/root:/big.bin:/createUploadSession".into(), 200)
//!     .json_body(&json!({ "item": { "@microsoft.graph.conflictBehavior": "replace" } }));
//! let upload = client.create_upload_session(create).await?.chunk_size(32 * UPLOAD_CHUNK_UNIT)?;
//! // Any `tokio::io::AsyncRead`: a `tokio::fs::File`, a socket, bytes in memory.
//! let data: &[u8] = b"...";
//! match upload.send::<Value, _>(data, data.len() as u64).await? {
//!     Uploaded::Item(item) => println!("created {}", item.body["id"]),
//!     Uploaded::Location { location, .. } => println!("attachment at {location}"),
//! }
//! # Ok(()) }
//! ```

use std::fmt;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use serde::de::DeserializeOwned;
use tokio::io::{AsyncRead, AsyncReadExt};

use super::error::with_client_request_id;
use super::{Client, Error, CLIENT_REQUEST_ID};
use crate::{ApiError, Request, Response};

/// Chunk sizes must be a multiple of this: 320 KiB.
pub const UPLOAD_CHUNK_UNIT: usize = 320 * 1024;

/// The default chunk size: 10 MiB (32 x 320 KiB).
pub const DEFAULT_UPLOAD_CHUNK: usize = 32 * UPLOAD_CHUNK_UNIT;

/// An upload session as Graph describes it (`createUploadSession`'s answer, and
/// the answer to a `GET` of the upload URL).
#[derive(Clone, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadSession {
    /// The pre-authenticated URL the ranges go to. It is a credential: it is not
    /// shown by `Debug` and never logged.
    #[serde(default)]
    pub upload_url: Option<String>,
    /// When the session expires.
    #[serde(default)]
    pub expiration_date_time: Option<String>,
    /// The byte ranges the server still needs (`"start-end"` or `"start-"`).
    #[serde(default)]
    pub next_expected_ranges: Vec<String>,
}

impl fmt::Debug for UploadSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadSession")
            .field("upload_url", &self.upload_url.as_ref().map(|_| "<redacted>"))
            .field("expiration_date_time", &self.expiration_date_time)
            .field("next_expected_ranges", &self.next_expected_ranges)
            .finish()
    }
}

impl UploadSession {
    /// The first byte the server expects next: the start of the first of
    /// `next_expected_ranges`.
    pub fn next_expected_offset(&self) -> Option<u64> {
        self.next_expected_ranges.first().and_then(|r| r.split('-').next()).and_then(|s| s.trim().parse().ok())
    }
}

/// What the last range of an upload was answered with.
#[derive(Debug)]
pub enum Uploaded<T> {
    /// The created item (OneDrive and SharePoint answer `200`/`201` with it).
    Item(Response<T>),
    /// `201 Created` with a `Location` and no body (Outlook attachment sessions).
    Location {
        /// The status (`201`).
        status: http::StatusCode,
        /// The `Location` header: the created attachment.
        location: String,
        /// All headers.
        headers: http::HeaderMap,
    },
}

/// An upload session to send a file to, in ranges: from
/// [`Client::create_upload_session`] or, to go on with a session created earlier,
/// [`Client::upload_session`].
///
/// * The upload URL is pre-authenticated: no `Authorization` header is ever sent
///   to it (nor the token anywhere else than the base URL), and the URL is shown
///   neither by `Debug` nor in spans.
/// * The file is read from an [`AsyncRead`] one chunk at a time, so memory stays
///   bounded by the chunk size ([`LargeUpload::chunk_size`]), whatever the file size.
/// * A range that fails (a transport error, a timeout, an error status after the
///   client's retries) is not fatal: the client asks the session for its
///   `nextExpectedRanges` and goes on from there, resending from the chunk it
///   holds, up to [`super::RetryPolicy::max_retries`] times in a row without
///   progress. A session that is gone (`404`) ends the upload with [`Error::Api`].
pub struct LargeUpload {
    client: Client,
    url: reqwest::Url,
    session: UploadSession,
    chunk_size: usize,
}

impl fmt::Debug for LargeUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LargeUpload").field("session", &self.session).field("chunk_size", &self.chunk_size).finish()
    }
}

impl Client {
    /// Send a `createUploadSession` request (with the token, like any request) and
    /// get the session to upload to. The response is read as an
    /// [`UploadSession`] whatever `R` is.
    pub async fn create_upload_session<R>(&self, request: impl Into<Request<R>>) -> Result<LargeUpload, Error> {
        let request: Request<R> = request.into();
        let (response, id) = self.execute_raw(&request, super::Target::Base).await?;
        let parser: Request<UploadSession> = Request::new(http::Method::POST, String::new(), 200);
        let session = parser.parse_response(response).map_err(|e| with_client_request_id(Error::from(e), &id))?.body;
        let url = session.upload_url.clone().ok_or_else(|| Error::Upload("the upload session has no uploadUrl".into()))?;
        self.upload_session(&url).map(|mut u| {
            u.session = session;
            u
        })
    }

    /// An upload session created earlier, by its upload URL (for example one
    /// stored to resume after a restart: see [`LargeUpload::status`] and
    /// [`LargeUpload::send_from`]).
    pub fn upload_session(&self, upload_url: &str) -> Result<LargeUpload, Error> {
        let url = reqwest::Url::parse(upload_url).map_err(|_| Error::Upload("the upload URL is not an absolute URL".into()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::Upload("the upload URL is not an http or https URL".into()));
        }
        Ok(LargeUpload {
            client: self.clone(),
            url,
            session: UploadSession { upload_url: Some(upload_url.to_owned()), ..UploadSession::default() },
            chunk_size: DEFAULT_UPLOAD_CHUNK,
        })
    }
}

impl LargeUpload {
    /// The size of each range, a non-zero multiple of [`UPLOAD_CHUNK_UNIT`]
    /// (320 KiB; default [`DEFAULT_UPLOAD_CHUNK`]). Graph allows up to 60 MiB.
    pub fn chunk_size(mut self, bytes: usize) -> Result<Self, Error> {
        if bytes == 0 || !bytes.is_multiple_of(UPLOAD_CHUNK_UNIT) {
            return Err(Error::Config(format!("upload chunk size {bytes} is not a non-zero multiple of 320 KiB ({UPLOAD_CHUNK_UNIT} bytes)")));
        }
        self.chunk_size = bytes;
        Ok(self)
    }

    /// The session as last seen (from its creation or [`LargeUpload::status`]).
    pub fn session(&self) -> &UploadSession {
        &self.session
    }

    /// The upload URL, to store for resuming later. It is a credential.
    pub fn upload_url(&self) -> &str {
        self.url.as_str()
    }

    /// Ask the session what it still needs (`GET` on the upload URL).
    pub async fn status(&self) -> Result<UploadSession, Error> {
        let response = self.client.execute_plain(http::Method::GET, &self.url, &http::HeaderMap::new(), None, "<upload session>").await?;
        let id = response.headers().get(CLIENT_REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let parser: Request<UploadSession> = Request::new(http::Method::GET, String::new(), 200);
        Ok(parser.parse_response(response).map_err(|e| with_client_request_id(Error::from(e), &id))?.body)
    }

    /// Cancel the session (`DELETE` on the upload URL); the server discards what
    /// it received.
    pub async fn cancel(self) -> Result<(), Error> {
        let response = self.client.execute_plain(http::Method::DELETE, &self.url, &http::HeaderMap::new(), None, "<upload session>").await?;
        if response.status().is_success() {
            Ok(())
        } else {
            let (parts, body) = response.into_parts();
            Err(Error::Api(Box::new(ApiError::from_parts(parts.status, parts.headers, body))))
        }
    }

    /// Upload `total_len` bytes read from `source`, from the first byte.
    pub async fn send<T, R>(&self, source: R, total_len: u64) -> Result<Uploaded<T>, Error>
    where
        T: DeserializeOwned,
        R: AsyncRead + Unpin,
    {
        self.send_from(source, 0, total_len).await
    }

    /// Upload bytes `offset..total_len` of the file, read from `source`, which must
    /// be positioned at `offset` (for example after [`LargeUpload::status`] said
    /// the session expects `offset` next).
    pub async fn send_from<T, R>(&self, mut source: R, offset: u64, total_len: u64) -> Result<Uploaded<T>, Error>
    where
        T: DeserializeOwned,
        R: AsyncRead + Unpin,
    {
        if offset >= total_len {
            return Err(Error::Upload(format!("nothing to send: offset {offset} is not below the length {total_len}")));
        }
        let policy = self.client.retry_policy();
        // The chunk held in memory: bytes `start..start + chunk.len()` of the file.
        let mut start = offset;
        let mut chunk = Bytes::new();
        // The next byte the server expects.
        let mut position = offset;
        let mut failures = 0u32;
        loop {
            let end = start + chunk.len() as u64;
            if position == end {
                let want = (total_len - position).min(self.chunk_size as u64) as usize;
                if want == 0 {
                    return Err(Error::Upload(format!("all {total_len} bytes were sent but the session did not confirm the upload")));
                }
                chunk = read_chunk(&mut source, want, position, total_len).await?;
                start = position;
            }
            let from = (position - start) as usize;
            let range = chunk.slice(from..);
            let last = position + range.len() as u64 - 1;
            let mut headers = http::HeaderMap::new();
            headers.insert(http::header::CONTENT_RANGE, header(&format!("bytes {position}-{last}/{total_len}")));
            headers.insert(http::header::CONTENT_LENGTH, header(&range.len().to_string()));
            let outcome = self.client.execute_plain(http::Method::PUT, &self.url, &headers, Some(range), "<upload session>").await;
            let failure = match outcome {
                Ok(response) if matches!(response.status().as_u16(), 200 | 201) => return finish(response),
                Ok(response) if response.status() == http::StatusCode::ACCEPTED => {
                    let id = response.headers().get(CLIENT_REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                    let parser: Request<UploadSession> = Request::new(http::Method::PUT, String::new(), 202);
                    let session = parser.parse_response(response).map_err(|e| with_client_request_id(Error::from(e), &id))?.body;
                    let next = session.next_expected_offset().unwrap_or(last + 1);
                    let sent_from = position;
                    position = self.check_position(next, start, start + chunk.len() as u64)?;
                    if position > sent_from {
                        failures = 0;
                        continue;
                    }
                    Error::Upload(format!("the session accepted the range from byte {sent_from} but still expects byte {next}"))
                }
                Ok(response) if response.status() == http::StatusCode::NOT_FOUND => {
                    let (parts, body) = response.into_parts();
                    return Err(Error::Api(Box::new(ApiError::from_parts(parts.status, parts.headers, body))));
                }
                Ok(response) => {
                    let (parts, body) = response.into_parts();
                    Error::Api(Box::new(ApiError::from_parts(parts.status, parts.headers, body)))
                }
                Err(e) => e,
            };
            // A failed or interrupted range: ask the session where to go on.
            failures += 1;
            if failures > policy.max_retries() {
                return Err(failure);
            }
            tokio::time::sleep(policy.delay(failures - 1, &http::HeaderMap::new()).unwrap_or(Duration::ZERO)).await;
            match self.status().await {
                Ok(session) => match session.next_expected_offset() {
                    Some(next) => position = self.check_position(next, start, start + chunk.len() as u64)?,
                    None => return Err(Error::Upload("the session expects no more bytes, but the last range was not confirmed".into())),
                },
                Err(Error::Api(api)) if api.status == http::StatusCode::NOT_FOUND => return Err(Error::Api(api)),
                // The status request failed too: send the same range again.
                Err(_) => {}
            }
        }
    }

    /// Check that the server's next expected byte is one this upload can send:
    /// inside the chunk held, or just after it.
    fn check_position(&self, next: u64, start: u64, end: u64) -> Result<u64, Error> {
        if next < start {
            return Err(Error::Upload(format!(
                "the session expects byte {next}, before the chunk in memory (from byte {start}); resume with send_from at {next} from a source positioned there"
            )));
        }
        if next > end {
            return Err(Error::Upload(format!("the session expects byte {next}, beyond the {end} bytes sent")));
        }
        Ok(next)
    }
}

fn header(value: &str) -> http::HeaderValue {
    http::HeaderValue::from_str(value).unwrap_or_else(|_| http::HeaderValue::from_static(""))
}

/// Read exactly `want` bytes (fewer only at the end of the source, which is an error).
async fn read_chunk<R: AsyncRead + Unpin>(source: &mut R, want: usize, position: u64, total_len: u64) -> Result<Bytes, Error> {
    let mut buf = BytesMut::with_capacity(want);
    while buf.len() < want {
        let mut limited = (&mut *source).take((want - buf.len()) as u64);
        let n = limited.read_buf(&mut buf).await.map_err(|e| Error::Upload(format!("reading the source at byte {}: {e}", position + buf.len() as u64)))?;
        if n == 0 {
            return Err(Error::Upload(format!("the source ended at byte {}, before the {total_len} bytes announced", position + buf.len() as u64)));
        }
    }
    Ok(buf.freeze())
}

/// The answer to the last range: the item, or the `Location` of an attachment.
fn finish<T: DeserializeOwned>(response: http::Response<Vec<u8>>) -> Result<Uploaded<T>, Error> {
    let empty = response.body().iter().all(u8::is_ascii_whitespace);
    if empty {
        if let Some(location) = response.headers().get(http::header::LOCATION).and_then(|v| v.to_str().ok()) {
            let location = location.to_owned();
            let (parts, _) = response.into_parts();
            return Ok(Uploaded::Location { status: parts.status, location, headers: parts.headers });
        }
    }
    let status = response.status().as_u16();
    let parser: Request<T> = Request::new(http::Method::PUT, String::new(), status);
    Ok(Uploaded::Item(parser.parse_response(response)?))
}
