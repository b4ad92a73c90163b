//! Names that do not move (issue 23): a namespace, type, enum or operation keeps its
//! Rust name when an unrelated page adds a spelling variant, a colliding name or a
//! new page, or when files move. Each test copies a fixture tree, perturbs the copy
//! and diffs the two surfaces: nothing may be removed, renamed or broken.

use std::fs;
use std::path::{Path, PathBuf};

use msgraph_gen::diff::{diff, ChangeKind, Surface};
use msgraph_gen::{infer_api, read_docs};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/today")
}

fn repo_docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs")
}

fn surface(dir: &Path) -> Surface {
    Surface::of(&infer_api(read_docs(dir).expect("docs readable")).0)
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("readable dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).expect("under dir").to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// Copy `from` into `to`, creating the files in `order` of their relative paths.
fn copy(from: &Path, to: &Path, reverse: bool) {
    let mut fs_list = files(from);
    if reverse {
        fs_list.reverse();
    }
    for f in fs_list {
        let dest = to.join(&f);
        fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        fs::copy(from.join(&f), dest).expect("copy");
    }
}

/// The pages a perturbation adds (`tests/fixtures/stable-names/<set>`, which
/// `scripts/stable-names.sh` adds to the v1.0 reference too), copied into `dir`.
fn add_pages(dir: &Path, set: &str) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stable-names").join(set);
    let added = files(&from);
    assert!(!added.is_empty(), "the {set} pages exist");
    for f in added {
        let dest = dir.join(&f);
        fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        fs::copy(from.join(&f), dest).expect("copy");
    }
}

/// (a) Pages that spell an existing type and the namespace in another case
/// (`#Microsoft.Graph.ChatInfo`, a base `Microsoft.Graph.Entity`, a base
/// `microsoft.graph.commsoperation` named before its page is read: a Rust name
/// `Commsoperation` if it stuck), name an unknown `#Microsoft.Graph.NewThing`, and
/// add operations under existing nodes whose segments they spell in other cases
/// (`/Communications/Calls`, `/me/onlinemeetings`).
fn case_variants(dir: &Path) {
    add_pages(dir, "case-variants");
}

/// (b) New resource pages defining types whose Rust name is an existing one's,
/// spelled otherwise, and sorting before it (`chat-info`, `Chat_info` < `chatInfo`).
fn colliding(dir: &Path) {
    add_pages(dir, "colliding");
}

/// (c) Files move: a page to another directory under another stem, another renamed.
fn reorder(dir: &Path) {
    let all = files(dir);
    let mut moved = 0;
    for f in all.iter().filter(|f| f.starts_with("resources") && f.extension().is_some_and(|e| e == "md")).take(2) {
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or("page");
        let to = if moved == 0 { dir.join("resources/moved/zz").join(format!("zz-{stem}.md")) } else { dir.join(format!("resources/0-{stem}.md")) };
        fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        fs::rename(dir.join(f), to).expect("move");
        moved += 1;
    }
    assert_eq!(moved, 2, "the fixture has resource pages to move");
}

/// The surface of `base` against that of a copy perturbed by `perturb`: no
/// breaking change, nothing removed.
fn check(base: &Path, perturb: &[fn(&Path)], reverse: bool) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let old_dir = tmp.path().join("old");
    let new_dir = tmp.path().join("new");
    copy(base, &old_dir, false);
    copy(base, &new_dir, reverse);
    for p in perturb {
        p(&new_dir);
    }
    let d = diff(&surface(&old_dir), &surface(&new_dir));
    let bad: Vec<String> =
        d.changes.iter().filter(|c| c.breaking || c.kind == ChangeKind::Removed).map(|c| format!("{:?} {:?} {}", c.kind, c.item, c.name)).collect();
    assert!(bad.is_empty(), "names moved ({}):\n{}", d.summary(), bad.join("\n"));
    // The perturbations took effect: new pages add types and operations.
    let added = d.changes.iter().filter(|c| c.kind == ChangeKind::Added).count();
    eprintln!("{}", d.summary());
    assert!((perturb.len() == 1 && reverse) || added > 0, "the perturbed copy adds something: {}", d.summary());
}

#[test]
fn case_variant_references_move_nothing() {
    check(&fixture(), &[case_variants], false);
}

#[test]
fn a_colliding_page_takes_no_existing_name() {
    check(&fixture(), &[colliding], false);
}

#[test]
fn moved_and_reordered_files_move_nothing() {
    check(&fixture(), &[reorder], true);
}

#[test]
fn all_perturbations_together_move_nothing() {
    check(&fixture(), &[reorder, case_variants, colliding], true);
}

#[test]
fn all_perturbations_on_the_repo_docs_move_nothing() {
    check(&repo_docs(), &[reorder, case_variants, colliding], true);
}
