//! Helpers for the integration tests.
#![allow(dead_code)]

pub mod server;
