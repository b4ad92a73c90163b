//! [`Error`]: everything that can go wrong when the client sends a request.

use std::sync::Arc;
use std::time::Duration;

use super::{BoxError, CLIENT_REQUEST_ID};
use crate::ApiError;

/// Everything that can go wrong when sending a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status that is not a success (after any
    /// retries). Holds the status, headers, raw body and, when the body is a Graph
    /// error, its code and message.
    ///
    /// Its headers carry the `client-request-id` the client sent (added when the
    /// server did not echo it), shown next to the server's `request-id`.
    #[error("Graph API error: {}{}", .0, request_id_suffix(.0))]
    Api(Box<ApiError>),
    /// The request could not be sent or the response could not be read (connection
    /// refused or reset, TLS failure, malformed HTTP, ...).
    #[error("transport error: {0}")]
    Transport(#[source] BoxError),
    /// An attempt (sending the request and reading the whole response) took longer
    /// than the configured timeout.
    #[error("request timed out after {0:?}")]
    Timeout(Duration),
    /// The response body was larger than the configured limit; reading stopped at
    /// the limit.
    #[error("response body too large: {} exceeds the limit of {limit} bytes", size_text(.content_length))]
    BodyTooLarge {
        /// The configured limit in bytes.
        limit: u64,
        /// The `Content-Length` the server announced, if it announced one.
        content_length: Option<u64>,
    },
    /// The token provider failed; nothing was sent.
    #[error("token provider failed: {0}")]
    Token(#[source] BoxError),
    /// The request could not be built: the body could not be serialized, a header
    /// or URL was invalid, or the path would be altered by URL normalisation.
    #[error("could not build the request: {0}")]
    Request(#[source] crate::Error),
    /// A success response whose body does not match the documented type.
    #[error("could not decode the {status} response body: {source}")]
    Decode {
        /// The response status.
        status: http::StatusCode,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
        /// The raw body.
        body: Vec<u8>,
    },
    /// A page's `@odata.nextLink` was refused: it is not an absolute URL on the
    /// base URL's origin, or it repeats the page just read.
    #[error("refusing to follow @odata.nextLink {link:?}: {reason}")]
    NextLink {
        /// The link as the server sent it.
        link: String,
        /// Why it was refused.
        reason: String,
    },
    /// The client configuration is invalid (see [`ClientBuilder::build`](super::ClientBuilder::build)).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The `POST /$batch` request that carried this batch item failed as a whole
    /// (transport error, timeout, an error status, or a batch response without an
    /// answer for the item); the error is shared by every item of that batch.
    #[error("the batch request carrying this item failed: {0}")]
    Batch(Arc<Error>),
    /// A delta round ended without an `@odata.deltaLink`, or its links were refused.
    #[error("delta query: {0}")]
    Delta(String),
    /// A resumable upload could not go on (see [`LargeUpload`](super::LargeUpload)).
    #[error("upload: {0}")]
    Upload(String),
}

fn request_id_suffix(e: &ApiError) -> String {
    let client_id = e.headers.get(CLIENT_REQUEST_ID).and_then(|v| v.to_str().ok());
    match (e.request_id(), client_id) {
        (Some(id), Some(client)) => format!(" (request-id {id}, client-request-id {client})"),
        (Some(id), None) => format!(" (request-id {id})"),
        (None, Some(client)) => format!(" (client-request-id {client})"),
        (None, None) => String::new(),
    }
}

/// Add the client-request-id to an API error's headers when the server did not echo it.
pub(super) fn with_client_request_id(mut e: Error, id: &str) -> Error {
    if let Error::Api(api) = &mut e {
        if !api.headers.contains_key(CLIENT_REQUEST_ID) {
            if let Ok(v) = http::HeaderValue::from_str(id) {
                api.headers.insert(CLIENT_REQUEST_ID, v);
            }
        }
    }
    e
}

fn size_text(content_length: &Option<u64>) -> String {
    match content_length {
        Some(n) => format!("Content-Length {n}"),
        None => "the body".to_owned(),
    }
}

impl Error {
    /// The HTTP status of a Graph API error or decode error.
    pub fn status(&self) -> Option<http::StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The Graph API error, if this is one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Whether this is [`Error::Timeout`].
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// The `client-request-id` of a Graph API error: the GUID the client sent
    /// (or the server echoed), to quote next to [`ApiError::request_id`].
    pub fn client_request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.headers.get(CLIENT_REQUEST_ID).and_then(|v| v.to_str().ok()),
            Error::Batch(e) => e.client_request_id(),
            _ => None,
        }
    }
}

impl From<crate::Error> for Error {
    fn from(e: crate::Error) -> Self {
        match e {
            crate::Error::Api(api) => Error::Api(api),
            crate::Error::Decode { status, source, body } => Error::Decode { status, source, body },
            other => Error::Request(other),
        }
    }
}
