//! The docs as read, indexed once: every file's text and the byte offset of each of
//! its lines. Parsing takes its line index from here and the rendering of
//! diagnostics shows source lines from here, so neither reads nor indexes a file a
//! second time.

use std::collections::BTreeMap;
use std::str::Utf8Error;
use std::sync::Arc;

use crate::parse::SourceFile;

/// One file of a [`SourceMap`].
#[derive(Clone, Debug)]
pub(crate) struct Source {
    pub path: Arc<str>,
    /// The text; for a file that is not UTF-8, its lossy decoding (which keeps the
    /// valid prefix byte for byte).
    pub text: String,
    /// Why the bytes are not UTF-8, if they are not.
    pub utf8_error: Option<Utf8Error>,
    /// Byte offset of every line start of `text`.
    pub starts: Vec<usize>,
}

impl Source {
    pub fn new(file: SourceFile) -> Self {
        let (text, utf8_error) = match String::from_utf8(file.bytes) {
            Ok(text) => (text, None),
            Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(e.utf8_error())),
        };
        let starts = line_starts(&text);
        Source { path: Arc::from(file.path), text, utf8_error, starts }
    }
}

/// Byte offset of every line start (a final newline starts an empty last line).
pub(crate) fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

/// The files of one run by path, each with its line index: built once from the
/// files read ([`crate::read_docs`]) and given to generation
/// ([`crate::Config::run_on`]) and to the rendering of its diagnostics.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: BTreeMap<Arc<str>, Source>,
}

impl SourceMap {
    /// Index `files` (in any order; a later file with the same path replaces an
    /// earlier one).
    pub fn new(files: Vec<SourceFile>) -> Self {
        let files = files.into_iter().map(Source::new).map(|s| (s.path.clone(), s)).collect();
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
    pub(crate) fn sources(&self) -> impl Iterator<Item = &Source> {
        self.files.values()
    }

    pub(crate) fn get(&self, path: &str) -> Option<&Source> {
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
}
