//! The docs as read, indexed once: every file's text and the byte offset of each of
//! its lines. Spans are byte ranges into these texts (each span shares its file's
//! entry), so line and column are computed where a span is shown, and parsing and
//! the rendering of diagnostics neither read nor index a file a second time.

use std::collections::BTreeMap;
use std::fmt;
use std::str::Utf8Error;
use std::sync::{Arc, OnceLock};

/// One input file: its path relative to the docs directory and its bytes.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// One file of a [`SourceMap`]: its text and line index.
pub struct SourceText {
    pub(crate) path: Arc<str>,
    /// The text; for a file that is not UTF-8, its lossy decoding (which keeps the
    /// valid prefix byte for byte).
    pub(crate) text: String,
    /// Why the bytes are not UTF-8, if they are not.
    pub(crate) utf8_error: Option<Utf8Error>,
    /// Byte offset of every line start of `text` (a final newline starts an empty
    /// last line).
    pub(crate) starts: Vec<usize>,
}

impl SourceText {
    pub(crate) fn new(file: SourceFile) -> Arc<Self> {
        let (text, utf8_error) = match String::from_utf8(file.bytes) {
            Ok(text) => (text, None),
            Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(e.utf8_error())),
        };
        Self::build(Arc::from(file.path), text, utf8_error)
    }

    /// A file given as text (a single page parsed on its own, a unit test).
    pub(crate) fn from_text(path: &str, text: &str) -> Arc<Self> {
        Self::build(Arc::from(path), text.to_string(), None)
    }

    fn build(path: Arc<str>, text: String, utf8_error: Option<Utf8Error>) -> Arc<Self> {
        let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1)).collect();
        Arc::new(SourceText { path, text, utf8_error, starts })
    }

    /// The text nothing points into: spans of files that were never read (a
    /// generated file) are at its start, 1:1.
    pub(crate) fn empty() -> Arc<Self> {
        static EMPTY: OnceLock<Arc<SourceText>> = OnceLock::new();
        EMPTY.get_or_init(|| Self::build(Arc::from(""), String::new(), None)).clone()
    }

    /// The line (0-based) a byte offset is on; an offset past the end is on the last line.
    pub(crate) fn line_index(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).saturating_sub(1)
    }

    /// Byte offset -> (line, column), both 1-based; columns count characters.
    pub(crate) fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let col = self.text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        (line as u32 + 1, col as u32)
    }

    /// (line, column) -> byte offset, the inverse of [`SourceText::line_col`]: a
    /// line past the end is the end of the text, a column past the end of its line
    /// is the line's end.
    pub(crate) fn offset(&self, line: u32, col: u32) -> usize {
        let Some(&line_start) = self.starts.get(line.saturating_sub(1) as usize) else { return self.text.len() };
        let line = self.text.get(line_start..).and_then(|t| t.split('\n').next()).unwrap_or("");
        line_start + line.char_indices().nth(col.saturating_sub(1) as usize).map_or(line.len(), |(i, _)| i)
    }

    /// The number of lines.
    pub(crate) fn line_count(&self) -> u32 {
        self.starts.len() as u32
    }
}

impl fmt::Debug for SourceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SourceText({:?}, {} bytes)", self.path, self.text.len())
    }
}

impl PartialEq for SourceText {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path && self.text == other.text
    }
}

/// The files of one run by path, each with its line index: built once from the
/// files read ([`crate::read_docs`]) and given to generation
/// ([`crate::Config::run_on`]) and to the rendering of its diagnostics. The spans
/// of the diagnostics are byte ranges into it.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: BTreeMap<Arc<str>, Arc<SourceText>>,
}

impl SourceMap {
    /// Index `files` (in any order; a later file with the same path replaces an
    /// earlier one).
    pub fn new(files: Vec<SourceFile>) -> Self {
        // Checked (UTF-8) and indexed (line starts) on every core.
        let files = crate::threads::parallel_map_owned(files, SourceText::new).into_iter().map(|s| (s.path.clone(), s)).collect();
        SourceMap { files }
    }

    /// The number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The files, sorted by path.
    pub(crate) fn sources(&self) -> impl Iterator<Item = &Arc<SourceText>> {
        self.files.values()
    }

    /// A file by path (the CLI's rendering reads its lines from here).
    #[cfg(any(feature = "cli", test))]
    pub(crate) fn get(&self, path: &str) -> Option<&Arc<SourceText>> {
        self.files.get(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_every_line_once_and_keeps_the_valid_prefix_of_bad_utf8() {
        let map = SourceMap::new(vec![
            SourceFile { path: "b.md".into(), bytes: b"x\n\xffy\n".to_vec() },
            SourceFile { path: "a.md".into(), bytes: b"one\ntwo\n".to_vec() },
        ]);
        let paths: Vec<&str> = map.sources().map(|s| &*s.path).collect();
        assert_eq!(paths, ["a.md", "b.md"], "sorted by path");
        let a = map.get("a.md").unwrap();
        assert_eq!((a.starts.as_slice(), a.utf8_error.is_none()), (&[0, 4, 8][..], true));
        let b = map.get("b.md").unwrap();
        assert_eq!(b.utf8_error.map(|e| e.valid_up_to()), Some(2));
        assert!(b.text.starts_with("x\n\u{fffd}y"), "{:?}", b.text);
        assert_eq!(b.starts, [0, 2, b.text.len()]);
    }

    #[test]
    fn offsets_and_lines_and_columns_convert_both_ways() {
        let s = SourceText::from_text("t.md", "ab\nçd|e\n\nlast");
        for (offset, lc) in [(0, (1, 1)), (2, (1, 3)), (3, (2, 1)), (5, (2, 2)), (7, (2, 4)), (9, (3, 1)), (10, (4, 1)), (14, (4, 5))] {
            assert_eq!(s.line_col(offset), lc, "offset {offset}");
            assert_eq!(s.offset(lc.0, lc.1), offset, "{lc:?}");
        }
        assert_eq!(s.offset(2, 99), 8, "a column past the line's end is its end");
        assert_eq!(s.offset(9, 1), 14, "a line past the end is the end of the text");
        assert_eq!(s.line_col(99), (4, 5), "an offset past the end is the end");
    }
}
