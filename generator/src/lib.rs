//! `msgraph-gen` reads API reference pages written in the Microsoft Graph markdown
//! format and generates a typed Rust crate: serde models for every resource and a
//! transport-free request for every request line of every API page, reachable by its
//! resource path (`requests::users().by_id(id).messages().list()`).
//!
//! The pipeline has named stages, one private module (folder) each; the
//! repository's README ("The generator") draws them with the data between them:
//!
//! 1. `parse`: markdown -> a page (pulldown-cmark): headings, paragraphs, tables,
//!    annotations and code blocks, every item with its position.
//! 2. `recognize`: what a page is (API, resource or enum page) and what its
//!    sections, prose, HTTP examples and `corrections.json` say.
//! 3. `infer`: pages -> one [`model::Api`], merging property tables, JSON
//!    representations, request-body tables and JSON examples by precedence.
//! 4. `lower`: the API model's Rust shape: names, boxed fields, polymorphic
//!    holders, areas and Cargo features.
//! 5. `emit`: printing Rust sources (written as text; syn and prettyplease format it).
//!
//! Beside the crate, the same model gives [`diff`] (what a docs change does to the
//! generated API, breaking or not; `msgraph-gen diff`) and [`openapi`] (an OpenAPI
//! 3.0 document of the inferred API; `msgraph-gen openapi`), both from
//! [`infer_api`]. The `msgraph-mock` crate serves the docs as a local Graph.
//!
//! [`generate_sources`] is the pure core: files in, files and diagnostics out, no IO.
//! [`Config`] is the front-end for `build.rs` (in the manner of `prost_build::Config`);
//! the `msgraph-gen` binary (Cargo feature `cli`) is the command-line front-end.
//!
//! # Where things are
//!
//! This file is the front door only: module declarations and the public paths.
//!
//! * `pipeline.rs`: the stages run in order ([`generate_sources`],
//!   [`generate_sources_with`], [`infer_api`], [`Generated`]);
//! * `config.rs`: [`Config`]; `files.rs`: the file system ([`read_docs`],
//!   [`write_tree`], and the [`Report`] of a run); `standalone.rs`: a whole crate's files
//!   ([`standalone_crate`], [`features_toml`], [`add_roundtrip`]);
//! * `error.rs`: [`Error`]; `threads.rs`: the thread helpers every stage uses;
//! * `diag/`: [`Diagnostic`], [`Code`], [`Span`], the input files
//!   ([`SourceFile`], [`SourceMap`]), suppressions and (feature `cli`) `render`;
//! * the stages `parse/`, `recognize/`, `infer/`, `lower/`, `emit/` ([`Options`]),
//!   and beside them `model.rs` ([`model`]), `inherit.rs`, `diff.rs` ([`diff`]),
//!   `openapi.rs` ([`openapi`]); `internals.rs`: the hidden paths that the fuzz
//!   targets, the tests and `msgraph-fidelity` reach into.
//!
//! Generated code is built on the runtime crate `msgraph-runtime` (requests,
//! responses, errors, primitive types, the async client), which it names by
//! [`Config::runtime_path`]; a crate that compiles generated code depends on
//! `msgraph-runtime` and on nothing else for it.
//!
//! # In your own `build.rs`
//!
//! ```toml
//! [dependencies]
//! msgraph-runtime = "0.1"
//!
//! [build-dependencies]
//! msgraph-gen = "0.1"   # without the `cli` feature: no clap, no terminal rendering
//! ```
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), msgraph_gen::Error> {
//!     msgraph_gen::Config::new().docs_dir("docs").compile()?;
//!     Ok(())
//! }
//! ```
//!
//! ```text
//! // src/lib.rs
//! include!(concat!(env!("OUT_DIR"), "/msgraph/mod.rs"));
//! ```
//!
//! [`Config::compile`] writes the modules `models` and `requests` into
//! `$OUT_DIR/msgraph/`, prints `cargo:rerun-if-changed` for the docs directory (so
//! a build that changes nothing there reruns nothing), prints every warning as a
//! `cargo:warning` line that starts with `file:line:col`, and prints the
//! `[features]` table to paste when the crate's `Cargo.toml` lacks it (one Cargo
//! feature per docs area, plus `client`).
#![cfg_attr(docsrs, feature(doc_cfg))]

// The stages and what they share.
mod diag;
mod emit;
mod infer;
mod inherit;
mod lower;
mod parse;
mod recognize;
mod threads;

// Views of the API model.
pub mod diff;
pub mod model;
pub mod openapi;

// The front-ends' parts.
mod config;
mod error;
mod files;
mod pipeline;
mod standalone;

#[doc(hidden)]
pub mod internals;

#[cfg(feature = "cli")]
#[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
pub use diag::render;
pub use diag::{Code, Diagnostic, Severity, SourceFile, SourceMap, Span};
pub use emit::Options;

pub use config::Config;
pub use error::Error;
pub use files::{read_docs, write_tree, Report};
pub use pipeline::{generate_sources, generate_sources_with, infer_api, Generated};
pub use standalone::{add_roundtrip, features_toml, standalone_crate, take_standalone_crate, RuntimeDependency};

// `emit` names the thread helper by this path.
use threads::parallel_map;
