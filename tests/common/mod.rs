//! Helpers for the integration tests.
#![allow(dead_code)]

/// The loopback test server is the runtime crate's (one copy for both packages).
#[path = "../../runtime/tests/common/server.rs"]
pub mod server;

/// The client tests' shared helpers, also the runtime crate's.
#[path = "../../runtime/tests/common/client.rs"]
pub mod client;
