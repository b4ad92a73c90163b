//! Reviewed corrections for known doc defects: `corrections.json` at the root of
//! the docs directory. Each entry names a page, what to use instead of what the
//! page says, and why. A correction never hides the defect: applying it emits a
//! `correction-applied` note with both locations, and an entry that no longer
//! matches anything emits `correction-unused`.
//!
//! ```json
//! { "corrections": [ {
//!     "page": "api/call-post-participants.md",
//!     "http_request": "POST /communications/calls/{callId}/participants",
//!     "reason": "..." } ] }
//! ```

use std::sync::Arc;

use serde::Deserialize;

use crate::diag::{Code, Diagnostic, SourceText, Span};

pub const FILE_NAME: &str = "corrections.json";

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    corrections: Vec<Entry>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    page: String,
    /// Replaces the page's HTTP request block: `METHOD /path/{param}`.
    http_request: Option<String>,
    reason: String,
}

#[derive(Clone, Debug)]
pub struct Correction {
    pub page: String,
    pub http_request: Option<String>,
    pub reason: String,
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct Corrections {
    pub items: Vec<Correction>,
}

impl Corrections {
    /// Parse `corrections.json`. Errors become diagnostics; a malformed file is an
    /// error (a reviewed file that cannot be read must not be silently ignored).
    pub fn parse(text: &str, diags: &mut Vec<Diagnostic>) -> Corrections {
        Corrections::parse_source(&SourceText::from_text(FILE_NAME, text), diags)
    }

    /// [`Corrections::parse`] on the file's text in the source map.
    pub(crate) fn parse_source(src: &Arc<SourceText>, diags: &mut Vec<Diagnostic>) -> Corrections {
        let text = src.text.as_str();
        match serde_json::from_str::<File>(text) {
            Ok(file) => {
                let items = file
                    .corrections
                    .into_iter()
                    .map(|e| {
                        // Locate the entry by its page string for diagnostics.
                        let needle = format!("\"{}\"", e.page);
                        let range = text.find(&needle).map_or(0..0, |off| off..off + needle.len());
                        Correction { page: e.page, http_request: e.http_request, reason: e.reason, span: Span::new(src, range) }
                    })
                    .collect();
                Corrections { items }
            }
            Err(e) => {
                diags.push(
                    Diagnostic::new(
                        Code::CorrectionsInvalid,
                        Span::at_line_col(src, e.line().max(1) as u32, e.column().max(1) as u32),
                        format!("corrections file is malformed: {e}"),
                    )
                    .hint("expected {\"corrections\": [{\"page\": \"api/x.md\", \"http_request\": \"POST /x\", \"reason\": \"...\"}]}"),
                );
                Corrections::default()
            }
        }
    }
}
