//! Typed Microsoft Graph models and request functions, generated at build time from
//! the API reference pages in `docs/` by `msgraph-gen`.
//!
//! * [`models`]: serde models, one module per namespace (`models::graph::Participant`).
//! * [`requests`]: one function per API page, returning a transport-free
//!   [`support::Request`] that knows its method, path, body and response type.
//! * [`support`]: the runtime pieces those use (requests, responses, errors, pages,
//!   primitive types).
//! * [`client`]: a hand-written async client (reqwest, rustls) that sends those
//!   requests: bearer tokens, timeouts, bounded bodies, retries, paging.
//!
//! The generated sources live in `generated/` and are committed; never edit them by
//! hand. Edit `docs/` and run `cargo build`.

#[path = "../generated/mod.rs"]
mod generated;

pub use generated::{models, requests, support};

pub mod client;
