//! The runtime of the crates that [`msgraph-gen`] generates from Microsoft Graph API
//! reference docs, in the manner of `prost` next to `prost-build`: the generator
//! writes models and requests, and this crate holds the hand-written code
//! they use, so that every generated crate shares one set of types.
//!
//! * What generated request builders are made of: [`Path`], [`Query`] (the query
//!   options and headers an operation documents, checked by the compiler) and
//!   [`Field`] (see the [`query`](Query) docs).
//! * Transport-free requests and responses: [`Request<T>`] (method, encoded path,
//!   query, headers, JSON body, response type; [`Request::to_http`] builds an
//!   [`http::Request`], [`Request::parse_response`] reads an [`http::Response`]),
//!   [`Response<T>`], collection [`Page<T>`]s, and the errors ([`Error`],
//!   [`ApiError`] with the typed [`GraphError`]).
//! * [`Nullable<T>`], the type of every property of a generated model: absent,
//!   `null` or a value, three different things on the Graph wire (a PATCH clears a
//!   property with `null`; a delta reports a cleared property as `null`).
//! * The primitive types of the docs, each keeping the text it was read from:
//!   [`DateTimeOffset`], [`Date`], [`TimeOfDay`], [`Duration`], [`Guid`],
//!   [`Base64`]; string enums ([`StringEnum`]) and flags enums ([`Flags`]).
//! * [`client`] (Cargo feature `client`, on by default): an async client (reqwest
//!   over rustls, tokio) that sends any generated request, with bearer tokens,
//!   retries on throttling, paging, timeouts and bounded response bodies. Turn the
//!   feature off (`default-features = false`) to send requests with an HTTP stack of
//!   your own; reqwest, tokio and futures are then not compiled.
//!   Two more token sources, off by default: `azure-identity` (any Azure SDK
//!   credential, `client::AzureIdentity`) and `device-code` (a user's sign-in by the
//!   OAuth2 device code flow, `client::DeviceCodeFlow`).
//!
//! Generated code names this crate by a path the generator's `Config` sets
//! (`::msgraph_runtime` unless changed), and names serde, serde_json and http
//! through it ([`serde`], [`serde_json`], [`http`] are re-exported), so a generated
//! crate needs no other dependency.
//!
//! ```
//! use msgraph_runtime::{Page, Request};
//!
//! // What a generated request returns: GET /users, answered by pages of users.
//! let request: Request<Page<serde_json::Value>> =
//!     Request::new(http::Method::GET, "/users".into(), 200).query_param("$top", "2");
//! let http_request = request.to_http("https://graph.microsoft.com/v1.0").unwrap();
//! assert_eq!(http_request.uri(), "https://graph.microsoft.com/v1.0/users?$top=2");
//!
//! let answer = http::Response::builder()
//!     .status(200)
//!     .body(br#"{"value": [{"id": "1"}], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=x"}"#.to_vec())
//!     .unwrap();
//! let page = request.parse_response(answer).unwrap().body;
//! assert_eq!(page.value.len(), 1);
//! assert!(page.next_link.is_some());
//! ```
//!
//! Where things are, in the source: `request.rs` holds requests, responses,
//! errors and pages; `values.rs` string enums, flags and the primitive types;
//! `query.rs` the query builder and
//! `Field`; `nullable.rs` `Nullable`; `de.rs`, `ser.rs` and `model.rs` what the
//! generated models' `model!`, `string_enum!` and `polymorphic!` tables expand to
//! (one-pass deserialization, serialization, the macros); `client/` the async
//! client (`mod.rs` the client and its builder, `auth.rs` tokens, `retry.rs`
//! retries, `error.rs` its errors; `batch.rs` JSON batching, `delta.rs` delta
//! queries, `upload.rs` resumable uploads, `azure.rs` and `device_code.rs` the two
//! optional token sources). Every public item is re-exported here or under
//! `client`.
//!
//! [`msgraph-gen`]: https://docs.rs/msgraph-gen
#![cfg_attr(docsrs, feature(doc_cfg))]

mod model;
mod nullable;
mod query;
mod request;
mod values;

pub mod de;
pub mod ser;

pub use nullable::Nullable;
pub use query::*;
pub use request::*;
pub use values::*;

#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub mod client;

/// Re-exported for generated code (`<runtime path>::http::Method`).
pub use http;
/// Re-exported for generated code, which names serde as `<runtime path>::serde`
/// (derives carry `#[serde(crate = "<runtime path>::serde")]`).
pub use serde;
/// Re-exported for generated code (`<runtime path>::serde_json::Value`).
pub use serde_json;
