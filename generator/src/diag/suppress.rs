//! Suppressions for known doc defects, so that a reviewed defect stops being
//! reported while new ones still are. Two places hold them:
//!
//! * `suppressions.json` at the root of the docs directory:
//!   `{"suppressions": [{"code": "placeholder-value", "page": "api/x.md", "line": 92, "reason": "..."}]}`
//!   (`line` is optional: without it every diagnostic of that code on the page is
//!   suppressed). An entry that suppresses nothing is reported (`suppression-unused`).
//! * the page's own annotation, as the Graph docs already write it:
//!   `<!-- { "type": "#page.annotation", "suppressions": ["placeholder-value: reason"] } -->`.
//!   Entries that do not start with one of this generator's codes are left alone
//!   (they belong to other tools).
//!
//! Errors cannot be suppressed: they mean the output would be wrong.

use std::sync::Arc;

use serde::Deserialize;

use crate::diag::{Code, Diagnostic, Severity, SourceText, Span};

pub const FILE_NAME: &str = "suppressions.json";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    suppressions: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    code: String,
    page: String,
    line: Option<u32>,
    #[allow(dead_code)]
    reason: String,
}

#[derive(Clone, Debug)]
pub struct Suppression {
    pub code: Code,
    pub page: String,
    pub line: Option<u32>,
    /// Where the suppression is written.
    pub span: Span,
    /// From the project file (reported when unused) or a page annotation.
    pub from_file: bool,
}

impl Suppression {
    fn matches(&self, d: &Diagnostic) -> bool {
        d.severity != Severity::Error && d.code == self.code && *d.span.file == *self.page && self.line.is_none_or(|l| l == d.span.line())
    }
}

/// Parse `suppressions.json` (its text in the source map).
pub(crate) fn parse_file(src: &Arc<SourceText>, diags: &mut Vec<Diagnostic>) -> Vec<Suppression> {
    let text = src.text.as_str();
    let file = match serde_json::from_str::<File>(text) {
        Ok(f) => f,
        Err(e) => {
            diags.push(
                Diagnostic::new(
                    Code::SuppressionsInvalid,
                    Span::at_line_col(src, e.line().max(1) as u32, e.column().max(1) as u32),
                    format!("suppressions file is malformed: {e}"),
                )
                .hint("expected {\"suppressions\": [{\"code\": \"placeholder-value\", \"page\": \"api/x.md\", \"line\": 12, \"reason\": \"...\"}]}"),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    let mut search_from = 0;
    for e in file.suppressions {
        let needle = format!("\"{}\"", e.code);
        let off = text[search_from..].find(&needle).map_or(0, |i| search_from + i);
        search_from = off + 1;
        // The start of the line that names the code.
        let line_start = text[..off].rfind('\n').map_or(0, |i| i + 1);
        let span = Span::new(src, line_start..line_start);
        match Code::from_name(&e.code) {
            Some(code) => out.push(Suppression { code, page: e.page, line: e.line, span, from_file: true }),
            None => diags.push(
                Diagnostic::new(Code::SuppressionsInvalid, span, format!("unknown diagnostic code {:?}", e.code))
                    .hint("use a code as `msgraph-gen lint` prints it"),
            ),
        }
    }
    out
}

/// The suppressions of one `#page.annotation` comment (`annotation`, written at
/// `span`) of the page `page`, appended to `out`. The pipeline walks the pages.
pub(crate) fn from_annotation(page: &str, annotation: &serde_json::Map<String, serde_json::Value>, span: &Span, out: &mut Vec<Suppression>) {
    let Some(list) = annotation.get("suppressions").and_then(|v| v.as_array()) else { return };
    for s in list.iter().filter_map(|v| v.as_str()) {
        let name = s.split(':').next().unwrap_or("").trim();
        if let Some(code) = Code::from_name(name) {
            out.push(Suppression { code, page: page.to_string(), line: None, span: span.clone(), from_file: false });
        }
    }
}

/// Drop suppressed diagnostics; returns how many were dropped. Unused entries of
/// the project file are reported.
pub fn apply(diags: &mut Vec<Diagnostic>, suppressions: &[Suppression]) -> usize {
    let mut used = vec![false; suppressions.len()];
    let before = diags.len();
    diags.retain(|d| match suppressions.iter().position(|s| s.matches(d)) {
        Some(i) => {
            used[i] = true;
            false
        }
        None => true,
    });
    let dropped = before - diags.len();
    for (s, used) in suppressions.iter().zip(used) {
        if !used && s.from_file {
            diags.push(
                Diagnostic::new(Code::SuppressionUnused, s.span.clone(), format!("suppression of {} on {} matches no diagnostic", s.code, s.page))
                    .hint("the defect may be fixed; remove the suppression"),
            );
        }
    }
    dropped
}
