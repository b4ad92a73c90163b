//! Stage internals that the fuzz targets, the regression tests and the `fidelity`
//! crate reach into. Not part of the API: no stability promise.

pub use crate::diag::SourceFile;
pub use crate::emit::HEADER;
pub use crate::parse::{parse_file, Block, Page};
pub use crate::recognize::corrections::{self, Corrections};
pub use crate::recognize::http::url_path;

/// Recognize and infer: parsed pages (sorted by path) to the API model.
pub fn infer(pages: &[Page], corrections: &Corrections, diags: &mut Vec<crate::Diagnostic>) -> crate::model::Api {
    crate::pipeline::infer_pages(pages, corrections, diags)
}

/// Names the OpenAPI document uses.
pub mod openapi {
    pub use crate::openapi::names::{component_name, path_and_params, ERROR_SCHEMA};
}
