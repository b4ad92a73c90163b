//! Transport-free requests and responses: [`Request`] (method, path, query,
//! headers, body) with `to_http` and `parse_response`, [`Response`], collection
//! [`Page`]s, and the errors ([`Error`], [`ApiError`], the Graph error body).
//!
//! Everything here is re-exported at the crate root.

use std::fmt;
use std::marker::PhantomData;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Characters left as they are in a path segment: RFC 3986 unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encode a value as exactly one path segment: `/`, `?`, `#` and `%` are
/// encoded. URL parsers resolve `.` and `..` even when encoded (`%2E%2E`), and an
/// empty value leaves an empty segment, so generated requests refuse those values
/// ([`Request::path_params`]).
pub fn encode_segment(value: &str) -> String {
    utf8_percent_encode(value, SEGMENT).to_string()
}

/// Characters encoded in a query component.
const QUERY: &AsciiSet =
    &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b'$').remove(b',').remove(b'(').remove(b')').remove(b':').remove(b'/');

/// Errors from building a request or reading a response.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server answered with a status that is not a success.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// A success response whose body does not match the documented type.
    #[error("could not decode the {status} response body: {source}")]
    Decode {
        status: http::StatusCode,
        #[source]
        source: serde_json::Error,
        body: Vec<u8>,
    },
    /// The request body could not be serialized.
    #[error("could not encode the request body: {0}")]
    Encode(String),
    /// The request could not be built (for example a bad base URL or header).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

/// A non-success response. Displays the Graph error code and message when the body
/// is a Graph error, and a snippet of the body otherwise.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: http::StatusCode,
    pub headers: http::HeaderMap,
    /// The raw body, whatever it is.
    pub body: Vec<u8>,
    /// The parsed Graph error, when the body is one.
    pub error: Option<GraphError>,
}

impl ApiError {
    pub fn from_parts(status: http::StatusCode, headers: http::HeaderMap, body: Vec<u8>) -> Self {
        let error = serde_json::from_slice::<GraphErrorBody>(&body).ok().map(|b| b.error);
        ApiError { status, headers, body, error }
    }

    /// The Graph error code (`itemNotFound`, ...), if the body carried one.
    pub fn code(&self) -> Option<&str> {
        self.error.as_ref().map(|e| e.code.as_str())
    }

    /// The `request-id` of the failed request, from the error body or the headers.
    pub fn request_id(&self) -> Option<&str> {
        self.error
            .as_ref()
            .and_then(|e| e.inner_error.as_ref())
            .and_then(|i| i.request_id.as_deref())
            .or_else(|| self.headers.get("request-id").and_then(|v| v.to_str().ok()))
    }
}

impl std::error::Error for ApiError {}

impl fmt::Display for ApiError {
    /// `status: code: message`, or `status: <start of the body>` when the body is not
    /// a Graph error. The request-id is available from [`ApiError::request_id`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.error {
            Some(e) => write!(f, "{}: {}: {}", self.status, e.code, e.message),
            None => {
                let text = String::from_utf8_lossy(&self.body);
                let snippet: String = text.chars().take(200).collect();
                if snippet.trim().is_empty() {
                    write!(f, "{} (empty body)", self.status)
                } else {
                    write!(f, "{}: {}", self.status, snippet.trim())
                }
            }
        }
    }
}

/// `{"error": {...}}`
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct GraphErrorBody {
    pub error: GraphError,
}

/// The error object of a Graph error response.
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize, serde::Serialize)]
pub struct GraphError {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
    #[serde(rename = "innerError", alias = "innererror", default, skip_serializing_if = "Option::is_none")]
    pub inner_error: Option<InnerError>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<GraphError>,
    #[serde(flatten)]
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
}

/// The `innerError` of a Graph error.
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize, serde::Serialize)]
pub struct InnerError {
    #[serde(rename = "request-id", default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(rename = "client-request-id", default, skip_serializing_if = "Option::is_none")]
    pub client_request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(flatten)]
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
}

/// A page of a collection: `value` plus the link to the next page.
/// (`Deserialize` is in `de.rs`: read in one pass, no `flatten` buffering.)
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(bound(serialize = "T: serde::Serialize"))]
pub struct Page<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(rename = "@odata.nextLink", default, skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
    #[serde(rename = "@odata.deltaLink", default, skip_serializing_if = "Option::is_none")]
    pub delta_link: Option<String>,
    #[serde(rename = "@odata.count", default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    #[serde(flatten)]
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page { value: Vec::new(), next_link: None, delta_link: None, count: None, additional_properties: Default::default() }
    }
}

/// A parsed success response: status, headers and the typed body.
#[derive(Debug, Clone)]
pub struct Response<T> {
    pub status: http::StatusCode,
    pub headers: http::HeaderMap,
    pub body: T,
}

impl<T> Response<T> {
    /// The `Location` header, where the operation's docs say it is returned.
    pub fn location(&self) -> Option<&str> {
        self.headers.get(http::header::LOCATION).and_then(|v| v.to_str().ok())
    }

    pub fn into_body(self) -> T {
        self.body
    }
}

/// A transport-free request: method, path (already percent-encoded), query, headers
/// and body, plus the type of the documented response. A client turns it into an
/// [`http::Request`] with [`Request::to_http`] and parses the answer with
/// [`Request::parse_response`].
pub struct Request<T> {
    method: http::Method,
    path: String,
    query: Vec<(String, String)>,
    headers: http::HeaderMap,
    body: Option<Result<Vec<u8>, String>>,
    /// Why the request cannot be sent (an invalid path parameter), reported by `to_http`.
    invalid: Option<String>,
    /// The path parameters (name, value), for [`Request::path_template`].
    params: Vec<(String, String)>,
    success_status: u16,
    _response: PhantomData<fn() -> T>,
}

impl<T> Clone for Request<T> {
    fn clone(&self) -> Self {
        Request {
            method: self.method.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            invalid: self.invalid.clone(),
            params: self.params.clone(),
            success_status: self.success_status,
            _response: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Request<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body_len", &self.body.as_ref().map(|b| b.as_ref().map(Vec::len)))
            .field("success_status", &self.success_status)
            .finish()
    }
}

impl<T> Request<T> {
    /// A request for `path` (which must already be encoded, starting with `/`).
    pub fn new(method: http::Method, path: String, success_status: u16) -> Self {
        Request {
            method,
            path,
            query: Vec::new(),
            headers: http::HeaderMap::new(),
            body: None,
            invalid: None,
            params: Vec::new(),
            success_status,
            _response: PhantomData,
        }
    }

    /// Check the path parameters (name, value) this request was built from: an empty
    /// value, `.` or `..` would address another resource once a URL parser resolves
    /// the path, so [`Request::to_http`] refuses such a request.
    pub fn path_params(mut self, params: &[(&str, &str)]) -> Self {
        if let Some((name, value)) = params.iter().find(|(_, v)| v.is_empty() || *v == "." || *v == "..") {
            self.invalid.get_or_insert_with(|| format!("path parameter {name} is {value:?}, which would address another resource"));
        }
        self.params.extend(params.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())));
        self
    }

    /// The path with each path parameter's segment replaced by `{name}`, for
    /// example `/communications/calls/{callId}/participants`: what a log may show
    /// without the identifiers. Parameters are matched to whole segments in order,
    /// from the end of the path (a parameter follows the literal segment that names
    /// its collection, which may hold the same text). A request built without
    /// [`Request::path_params`] gives its path as it is.
    pub fn path_template(&self) -> String {
        let mut segments: Vec<String> = self.path.split('/').map(str::to_owned).collect();
        let mut params = self.params.iter().rev().peekable();
        for segment in segments.iter_mut().rev() {
            let Some((name, value)) = params.peek() else { break };
            let encoded = encode_segment(value);
            if !segment.is_empty() && encoded == *segment {
                *segment = format!("{{{name}}}");
                params.next();
                continue;
            }
            // An alternate key: `directoryRoles(roleTemplateId='...')`.
            let quoted = encode_segment(&value.replace('\'', "''"));
            for key in [format!("({name}='{quoted}')"), format!("({name}={encoded})")] {
                if let Some(head) = segment.strip_suffix(&key) {
                    *segment = format!("{head}({name}={{{name}}})");
                    params.next();
                    break;
                }
            }
        }
        segments.join("/")
    }

    /// Why this request cannot be sent, if it cannot.
    pub fn invalid_reason(&self) -> Option<&str> {
        self.invalid.as_deref()
    }

    /// Set a JSON body and `Content-Type: application/json`.
    pub fn json_body<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = Some(serde_json::to_vec(body).map_err(|e| e.to_string()));
        self.headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
        self
    }

    /// Set a body that is not JSON (a photo, a file's content, CSV) and its
    /// `Content-Type`; a media type HTTP does not allow in a header makes the
    /// request invalid.
    pub fn bytes_body(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        match http::HeaderValue::from_str(content_type) {
            Ok(v) => {
                self.headers.insert(http::header::CONTENT_TYPE, v);
                self.body = Some(Ok(body.into()));
            }
            Err(_) => {
                self.invalid.get_or_insert_with(|| format!("Content-Type {content_type:?} is not a valid header value"));
            }
        }
        self
    }

    pub fn method(&self) -> &http::Method {
        &self.method
    }

    /// The encoded path, relative to the service root (for example `/me/events`).
    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn query(&self) -> &[(String, String)] {
        &self.query
    }

    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }

    /// The serialized body, if any (`None` also when serialization failed; see [`Request::to_http`]).
    pub fn body(&self) -> Option<&[u8]> {
        self.body.as_ref().and_then(|b| b.as_deref().ok())
    }

    /// The success status the docs give for this operation.
    pub fn success_status(&self) -> u16 {
        self.success_status
    }

    /// Whether retrying this request after a failure is safe by HTTP semantics
    /// (GET, HEAD, PUT, DELETE and OPTIONS are idempotent; POST and PATCH are not).
    pub fn is_idempotent(&self) -> bool {
        matches!(self.method, http::Method::GET | http::Method::HEAD | http::Method::PUT | http::Method::DELETE | http::Method::OPTIONS)
    }

    /// Add a query parameter (encoded when the request is built).
    pub fn query_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Add `item` to the comma-separated list of query parameter `name` (a new
    /// parameter if the request has none of that name).
    pub(crate) fn append_query_list(mut self, name: &str, item: &str) -> Self {
        match self.query.iter_mut().find(|(k, _)| k == name) {
            Some((_, v)) => {
                v.push(',');
                v.push_str(item);
            }
            None => self.query.push((name.to_owned(), item.to_owned())),
        }
        self
    }

    /// Set a header a typed setter sets (its name a valid lower-case header name).
    /// A value HTTP does not allow makes the request invalid ([`Request::to_http`]
    /// reports it), so that typed setters need no `Result`.
    pub(crate) fn typed_header(mut self, name: &'static str, value: &str) -> Self {
        match http::HeaderValue::from_str(value) {
            Ok(v) => {
                let name = http::HeaderName::from_static(name);
                // A typed setter sets the one value of its header; the `Prefer` of
                // `include_unknown_enum_members` stays beside it.
                let unknown = http::HeaderValue::from_static("include-unknown-enum-members");
                let keep = name.as_str() == "prefer" && self.headers.get_all(&name).iter().any(|v| v == unknown);
                self.headers.insert(name.clone(), v);
                if keep {
                    self.headers.append(name, unknown);
                }
            }
            Err(e) => {
                self.invalid.get_or_insert_with(|| format!("header value for {name}: {e}"));
            }
        }
        self
    }

    /// `Prefer: include-unknown-enum-members`, beside any other `Prefer` value: the
    /// service then sends the members of an evolvable enum that its docs list after
    /// `unknownFutureValue` (members added later), instead of `unknownFutureValue`.
    /// Any request may carry it.
    pub fn include_unknown_enum_members(mut self) -> Self {
        let value = http::HeaderValue::from_static("include-unknown-enum-members");
        let name = http::header::HeaderName::from_static("prefer");
        if !self.headers.get_all(&name).iter().any(|v| v == value) {
            self.headers.append(name, value);
        }
        self
    }

    /// Add a header. Fails on a header name or value that HTTP does not allow.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, Error> {
        let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|e| Error::InvalidRequest(format!("header name {name:?}: {e}")))?;
        let value = http::HeaderValue::from_str(value).map_err(|e| Error::InvalidRequest(format!("header value for {name}: {e}")))?;
        self.headers.append(name, value);
        Ok(self)
    }

    /// Path and encoded query, for example `/me/events?%24top=2`.
    pub fn path_and_query(&self) -> String {
        let mut s = self.path.clone();
        for (i, (k, v)) in self.query.iter().enumerate() {
            s.push(if i == 0 { '?' } else { '&' });
            s.extend(utf8_percent_encode(k, QUERY));
            s.push('=');
            s.extend(utf8_percent_encode(v, QUERY));
        }
        s
    }

    /// Build the [`http::Request`] against a service root such as
    /// `https://graph.microsoft.com/v1.0`.
    pub fn to_http(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, Error> {
        self.to_http_at(&format!("{}{}", base_url.trim_end_matches('/'), self.path_and_query()))
    }

    /// Build the [`http::Request`] for an absolute URL instead of this request's own
    /// path and query (for example an `@odata.nextLink`), with this request's method,
    /// headers and body.
    pub fn to_http_at(&self, uri: &str) -> Result<http::Request<Vec<u8>>, Error> {
        if let Some(reason) = &self.invalid {
            return Err(Error::InvalidRequest(reason.clone()));
        }
        let mut builder = http::Request::builder().method(self.method.clone()).uri(uri);
        if let Some(h) = builder.headers_mut() {
            h.extend(self.headers.clone());
        }
        let body = match &self.body {
            Some(Ok(b)) => b.clone(),
            Some(Err(e)) => return Err(Error::Encode(e.clone())),
            None => Vec::new(),
        };
        builder.body(body).map_err(|e| Error::InvalidRequest(e.to_string()))
    }
}

impl<T: serde::de::DeserializeOwned> Request<T> {
    /// Parse a response: a success status gives the documented type (an empty body
    /// reads as JSON `null`, which is `()` for operations without a response body);
    /// any other status gives [`Error::Api`].
    pub fn parse_response<B: AsRef<[u8]>>(&self, response: http::Response<B>) -> Result<Response<T>, Error> {
        let (parts, body) = response.into_parts();
        let bytes = body.as_ref();
        if !parts.status.is_success() {
            return Err(Error::Api(Box::new(ApiError::from_parts(parts.status, parts.headers, bytes.to_vec()))));
        }
        let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) { b"null" } else { bytes };
        let body = serde_json::from_slice(text).map_err(|source| Error::Decode { status: parts.status, source, body: bytes.to_vec() })?;
        Ok(Response { status: parts.status, headers: parts.headers, body })
    }
}
