//! Typed Microsoft Graph models and request functions, generated at build time from
//! the API reference pages in `docs/` by `msgraph-gen`, on top of the runtime crate
//! `msgraph-runtime`.
//!
//! * [`models`]: serde models, one module per namespace (`models::graph::Participant`).
//! * [`requests`]: one function per API page, returning a transport-free
//!   [`support::Request`] that knows its method, path, body and response type.
//! * [`support`]: the runtime crate `msgraph_runtime` (requests, responses, errors,
//!   pages, primitive types).
//! * [`client`] (feature `client`, on by default): the runtime's async client
//!   (reqwest, rustls) that sends those requests: bearer tokens, timeouts, bounded
//!   bodies, retries, paging.
//!
//! The generated sources live in `generated/` and are committed; never edit them by
//! hand. Edit `docs/` and run `cargo build`.

#[path = "../generated/mod.rs"]
mod generated;

pub use generated::{models, requests};

/// The runtime crate, `msgraph_runtime`: what the generated code is built on.
pub use msgraph_runtime as support;

/// The async client (`msgraph_runtime::client`).
#[cfg(feature = "client")]
pub use msgraph_runtime::client;
