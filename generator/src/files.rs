//! The file system: docs read in, generated trees compared and written.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::{suppress, Diagnostic, SourceFile};
use crate::diff;
use crate::error::{io_err, Error};
use crate::recognize::corrections;

/// What a [`Config::generate`](crate::Config::generate) run did (what [`write_tree`]
/// wrote, with what the run found).
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// Files whose bytes changed and were written.
    pub written: Vec<String>,
    /// Files left alone because their bytes were already right.
    pub unchanged: Vec<String>,
    /// Stale generated files that were removed.
    pub removed: Vec<String>,
    /// The `[features]` table the generated crate's Cargo.toml must declare.
    pub features_toml: String,
    /// What changed in the generated API since the last run, from the surface file
    /// ([`diff::SURFACE_FILE`]) the last run left in the output directory; `None`
    /// when there was none (or it was unreadable).
    pub api_diff: Option<diff::Diff>,
}

/// Read every `.md` page (and `corrections.json`, `suppressions.json`) under `dir`,
/// recursively, in path order. Symbolic links are followed; a directory reached a
/// second time (a link loop, or two links to one place) is not read again, so a
/// loop cannot hang the run.
pub fn read_docs(dir: &Path) -> Result<Vec<SourceFile>, Error> {
    // (relative path, path) of every file to read.
    let mut wanted = Vec::new();
    let mut visited = std::collections::BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let canonical = fs::canonicalize(&d).map_err(io_err(&d))?;
        if !visited.insert(canonical) {
            continue;
        }
        let mut entries: Vec<_> = fs::read_dir(&d).map_err(io_err(&d))?.collect::<Result<_, _>>().map_err(io_err(&d))?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries.iter().rev() {
            let path = e.path();
            // `metadata` follows links; a dangling link is an error naming it.
            let meta = fs::metadata(&path).map_err(io_err(&path))?;
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                let rel = relative(dir, &path);
                if rel.ends_with(".md") || rel == corrections::FILE_NAME || rel == suppress::FILE_NAME {
                    wanted.push((rel, path));
                }
            }
        }
    }
    wanted.sort_by(|a, b| a.0.cmp(&b.0));
    // Read on every core; the first file (by path) that cannot be read is the error.
    let read = crate::threads::parallel_map(&wanted, |(_, path)| fs::read(path));
    let mut out = Vec::with_capacity(wanted.len());
    for ((rel, path), bytes) in wanted.into_iter().zip(read) {
        out.push(SourceFile { path: rel, bytes: bytes.map_err(io_err(&path))? });
    }
    Ok(out)
}

/// `path` relative to `dir`, `/`-separated (the form of every path in a tree of files).
fn relative(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// The generated files (`.rs` files that start with `// @generated`) under `dir`
/// that are not in `files`: the leftovers of an earlier run. A file in `files` is
/// not read (its bytes are compared or written anyway).
fn leftovers(dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).map_err(io_err(&d))? {
            let e = e.map_err(io_err(&d))?;
            let path = e.path();
            let ft = e.file_type().map_err(io_err(&path))?;
            if ft.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let rel = relative(dir, &path);
                if !files.contains_key(&rel) && fs::read_to_string(&path).unwrap_or_default().starts_with("// @generated") {
                    out.push(rel);
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Files that differ, are missing, or are generated leftovers.
pub(crate) fn stale_files(dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<String>, Error> {
    let mut stale = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        match fs::read(&path) {
            Ok(bytes) if bytes == text.as_bytes() => {}
            _ => stale.push(rel.clone()),
        }
    }
    stale.extend(leftovers(dir, files)?);
    Ok(stale)
}

/// Write a file tree: only changed files. All changed files are first written
/// to temporary files beside their targets; only when every one of them is
/// written are they renamed into place, so a failure while writing (a full disk,
/// a permission problem) leaves the tree as it was.
pub fn write_tree(dir: &Path, files: &BTreeMap<String, String>) -> Result<Report, Error> {
    let mut report = Report::default();
    let mut staged: Vec<(PathBuf, PathBuf, String)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf, String)]| {
        for (tmp, _, _) in staged {
            let _ = fs::remove_file(tmp);
        }
    };
    for (rel, text) in files {
        let path = dir.join(rel);
        if fs::read(&path).is_ok_and(|b| b == text.as_bytes()) {
            report.unchanged.push(rel.clone());
            continue;
        }
        let tmp = path.with_file_name(format!(".{}.tmp", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()));
        let written = path.parent().map_or(Ok(()), fs::create_dir_all).and_then(|_| fs::write(&tmp, text));
        if let Err(source) = written {
            cleanup(&staged);
            let _ = fs::remove_file(&tmp);
            return Err(Error::Io { path: tmp, source });
        }
        staged.push((tmp, path, rel.clone()));
    }
    for (tmp, path, rel) in &staged {
        fs::rename(tmp, path).map_err(io_err(path))?;
        report.written.push(rel.clone());
    }
    for rel in leftovers(dir, files)? {
        let path = dir.join(&rel);
        fs::remove_file(&path).map_err(io_err(&path))?;
        report.removed.push(rel);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_tree_writes_changes_and_removes_only_generated_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let files = |pairs: &[(&str, &str)]| pairs.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect::<BTreeMap<_, _>>();
        let first = files(&[("a.rs", "// @generated\nA\n"), ("m/b.rs", "// @generated\nB\n"), ("m/old.rs", "// @generated\nOLD\n")]);
        let r = write_tree(dir.path(), &first).unwrap();
        assert_eq!((r.written.len(), r.unchanged.len(), r.removed.len()), (3, 0, 0));
        // A file of the user's own, not generated, beside the tree.
        fs::write(dir.path().join("m/mine.rs"), "fn mine() {}\n").unwrap();
        let second = files(&[("a.rs", "// @generated\nA\n"), ("m/b.rs", "// @generated\nB2\n")]);
        assert_eq!(stale_files(dir.path(), &second).unwrap(), vec!["m/b.rs".to_string(), "m/old.rs".to_string()]);
        let r = write_tree(dir.path(), &second).unwrap();
        assert_eq!(r.written, vec!["m/b.rs".to_string()]);
        assert_eq!(r.unchanged, vec!["a.rs".to_string()]);
        assert_eq!(r.removed, vec!["m/old.rs".to_string()]);
        assert!(!dir.path().join("m/old.rs").exists());
        assert_eq!(fs::read_to_string(dir.path().join("m/b.rs")).unwrap(), "// @generated\nB2\n");
        assert_eq!(fs::read_to_string(dir.path().join("m/mine.rs")).unwrap(), "fn mine() {}\n");
        assert!(stale_files(dir.path(), &second).unwrap().is_empty());
    }
}
