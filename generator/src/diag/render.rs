//! Human rendering of diagnostics: the offending source line with a marker, the
//! related locations, the hint (codespan-reporting), then a summary line.

use std::collections::BTreeMap;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as Level};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, Config};

use crate::diag::{summary, Diagnostic, Severity, SourceMap, SourceText, Span};

/// The pages the diagnostics point into, for codespan-reporting: each with its
/// name (prefixed) and its source map entry, whose line index is used, so that no
/// page's lines are indexed again (codespan's `SimpleFiles` would, on this one
/// thread, for every page with a diagnostic). Lines are found as `SimpleFiles`
/// finds them.
struct Pages<'s> {
    files: Vec<(String, &'s SourceText)>,
}

impl<'s> Pages<'s> {
    fn file(&self, id: usize) -> Result<&(String, &'s SourceText), FilesError> {
        self.files.get(id).ok_or(FilesError::FileMissing)
    }
}

impl<'a> Files<'a> for Pages<'_> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(self.file(id)?.0.as_str())
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(self.file(id)?.1.text.as_str())
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.file(id)?.1.line_index(byte_index))
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<std::ops::Range<usize>, FilesError> {
        let source = self.file(id)?.1;
        let (text, starts) = (&source.text, &source.starts);
        // The line after the last one starts at the end of the text.
        let start = |line: usize| match line.cmp(&starts.len()) {
            std::cmp::Ordering::Less => starts.get(line).copied().ok_or(FilesError::LineTooLarge { given: line, max: starts.len().saturating_sub(1) }),
            std::cmp::Ordering::Equal => Ok(text.len()),
            std::cmp::Ordering::Greater => Err(FilesError::LineTooLarge { given: line, max: starts.len().saturating_sub(1) }),
        };
        Ok(start(line_index)?..start(line_index + 1)?)
    }
}

/// Render `diags` against the sources they point into, with the map's line
/// indexes. `prefix` goes before every file name (for example `docs/`).
/// Diagnostics whose file is not in `sources` are rendered as plain lines.
pub fn render(diags: &[Diagnostic], sources: &SourceMap, prefix: &str) -> String {
    let mut files = Pages { files: Vec::new() };
    let mut ids = BTreeMap::new();
    // Only the pages the diagnostics point into.
    let wanted: std::collections::BTreeSet<&str> =
        diags.iter().flat_map(|d| std::iter::once(&*d.span.file).chain(d.related.iter().map(|r| &*r.span.file))).collect();
    for s in wanted.into_iter().filter_map(|path| sources.get(path)) {
        ids.insert(&*s.path, files.files.len());
        files.files.push((format!("{prefix}{}", s.path), &**s));
    }
    let config = Config::default();
    // Each diagnostic renders on its own: on every core, joined in order.
    let mut out: String = crate::threads::parallel_map(diags, |d| {
        let mut out = String::new();
        let range = |span: &Span| -> Option<(usize, std::ops::Range<usize>)> {
            let id = *ids.get(&*span.file)?;
            let (_, source) = files.files.get(id)?;
            let text = &source.text;
            let start = (span.start as usize).min(text.len());
            let line_start = source.starts.get(source.line_index(start)).copied().unwrap_or(0);
            let line = text.get(line_start..)?.split('\n').next()?;
            let col = start - line_start;
            // To the end of the line, or of the table cell.
            let rest = line.get(col..)?;
            let cell_end = rest.get(1..).and_then(|r| r.find('|')).map(|i| col + 1 + i);
            let end = cell_end.map_or(line.trim_end().len(), |e| col + line[col..e].trim_end().len());
            let end = end.max(col + 1).min(line.len().max(col));
            Some((id, line_start + col..line_start + end))
        };
        let Some((id, r)) = range(&d.span) else {
            out.push_str(&d.render_plain(prefix, "\n"));
            out.push('\n');
            return out;
        };
        let mut labels = vec![Label::primary(id, r)];
        let mut notes = Vec::new();
        for rel in &d.related {
            match range(&rel.span) {
                Some((rid, rr)) => labels.push(Label::secondary(rid, rr).with_message(&rel.message)),
                None => notes.push(format!("{prefix}{}: {}", rel.span, rel.message)),
            }
        }
        if let Some(h) = &d.hint {
            notes.push(format!("hint: {h}"));
        }
        let level = match d.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
            Severity::Note => Level::Note,
        };
        let report = Report::new(level).with_code(d.code.as_str()).with_message(&d.message).with_labels(labels).with_notes(notes);
        match term::emit_into_string(&config, &files, &report) {
            Ok(s) => out.push_str(&s),
            Err(_) => {
                out.push_str(&d.render_plain(prefix, "\n"));
                out.push('\n');
            }
        }
        out
    })
    .concat();
    if !diags.is_empty() {
        out.push_str(&summary(diags));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::diag::SourceFile;
    use std::sync::Arc;

    #[test]
    fn shows_the_line_with_a_marker_the_related_place_and_the_hint() {
        let src = SourceFile { path: "api/a.md".into(), bytes: b"# T\n\n    \"endpointType\": \"String\",\nnext\n".to_vec() };
        let map = SourceMap::new(vec![src]);
        let a = map.get("api/a.md").unwrap();
        let d = Diagnostic::new(Code::PlaceholderValue, Span::new(a, 9..23), "placeholder").related(Span::new(a, 0..3), "declared here").hint("use a member");
        let text = render(&[d], &map, "docs/");
        assert!(text.contains("warning[placeholder-value]: placeholder"), "{text}");
        assert!(text.contains("docs/api/a.md:3:5"), "{text}");
        assert!(text.contains("\"endpointType\": \"String\","), "{text}");
        assert!(text.contains("    ^^^^^^^^^^^^^^^^^^^^^^^^^\n"), "{text}");
        assert!(text.contains("declared here") && text.contains("hint: use a member"), "{text}");
        assert!(text.trim_end().ends_with("0 error(s), 1 warning(s), 0 note(s): placeholder-value 1"), "{text}");
    }

    #[test]
    fn unknown_files_fall_back_to_plain_text() {
        let f: Arc<str> = Arc::from("gone.md");
        let d = Diagnostic::new(Code::Io, Span::detached(&f, 0), "missing");
        let text = render(&[d], &SourceMap::default(), "");
        assert!(text.starts_with("gone.md:1:1: error[io]: missing"), "{text}");
    }
}
