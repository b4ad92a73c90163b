//! [`Error`]: why a run failed.

use std::io;
use std::path::{Path, PathBuf};

use crate::diag::{self, Diagnostic};

/// Why a run failed. `Debug` prints the same as `Display` (a one-line summary), so
/// that a `build.rs` whose `main` returns `Result<(), msgraph_gen::Error>` ends with
/// a readable line after the diagnostics [`Config::compile`](crate::Config::compile) printed.
#[derive(thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("generation failed: {}", diag::summary(diagnostics))]
    Failed { diagnostics: Vec<Diagnostic> },
    #[error("{} is stale; regenerate it with `cargo build` (changed: {})", dir.display(), files.join(", "))]
    Stale { dir: PathBuf, files: Vec<String> },
    #[error("invalid runtime path {path:?}: {reason}; give a Rust path such as `::msgraph_runtime` or `crate::runtime`")]
    RuntimePath { path: String, reason: String },
    #[error("OUT_DIR is not set: Config::compile is meant for build.rs (use Config::out_dir and Config::generate elsewhere)")]
    NoOutDir,
}

impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

/// An IO error's mapping to [`Error::Io`] for `path`.
pub(crate) fn io_err(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Io { path: path.to_path_buf(), source }
}
