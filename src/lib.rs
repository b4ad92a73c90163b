//! Typed Microsoft Graph models and requests, generated at build time from
//! the API reference pages in `docs/` by `msgraph-gen`, on top of the runtime crate
//! `msgraph-runtime`.
//!
//! * [`models`]: serde models, one module per namespace (`models::graph::Participant`).
//! * [`requests`]: every operation by its resource path (`GET
//!   /communications/calls/{callId}/participants` is
//!   `requests::communications().calls().by_id(call_id).participants().list()`),
//!   returning a transport-free [`support::Request`] that knows its method, path,
//!   body and response type, or a [`support::Query`] that also takes the query
//!   options and headers the operation's page documents, and no others.
//! * [`support`]: the runtime crate `msgraph_runtime` (requests, responses, errors,
//!   pages, primitive types).
//! * [`client`] (feature `client`, on by default): the runtime's async client
//!   (reqwest, rustls) that sends those requests: bearer tokens, timeouts, bounded
//!   bodies, retries, paging.
//!
//! The generated sources live in `generated/` and are committed; never edit them by
//! hand. Edit `docs/` and run `cargo build`.
//!
//! Query options are checked by the compiler. "List participants" documents `$select`
//! and `$top`, with the properties of `participant`:
//!
//! ```
//! use msgraph::models::graph::Participant;
//! use msgraph::requests;
//!
//! let list = requests::communications().calls().by_id("c1").participants().list()
//!     .select(&[Participant::INFO, Participant::IS_MUTED])
//!     .top(5);
//! assert_eq!(list.path_and_query(), "/communications/calls/c1/participants?$select=info,isMuted&$top=5");
//! ```
//!
//! "Get call" documents `$select` only, so `$top` does not compile:
//!
//! ```compile_fail
//! use msgraph::requests;
//!
//! let call = requests::communications().calls().by_id("c1").get().top(5);
//! ```
//!
//! and neither does a property of another type in `$select`:
//!
//! ```compile_fail
//! use msgraph::models::graph::Participant;
//! use msgraph::requests;
//!
//! let call = requests::communications().calls().by_id("c1").get().select(&[Participant::INFO]);
//! ```
//!
//! while a property of `call` does:
//!
//! ```
//! use msgraph::models::graph::Call;
//! use msgraph::requests;
//!
//! let call = requests::communications().calls().by_id("c1").get().select(&[Call::STATE]);
//! assert_eq!(call.path_and_query(), "/communications/calls/c1?$select=state");
//! ```

#[rustfmt::skip] // generated/ is printed by prettyplease; rustfmt leaves it as it is
#[path = "../generated/mod.rs"]
mod generated;

pub use generated::{models, requests};

/// The runtime crate, `msgraph_runtime`: what the generated code is built on.
pub use msgraph_runtime as support;

/// The async client (`msgraph_runtime::client`).
#[cfg(feature = "client")]
pub use msgraph_runtime::client;
