//! Links between pages that point nowhere.

use std::collections::BTreeSet;

use crate::diag::{Code, Diagnostic, Span};
use crate::parse::{Block, Page, Text};

/// Relative links to `.md` pages that are not in the docs set. Site-absolute
/// (`/concepts/...`) and external links point outside the docs, and DocFX include
/// directives pull in snippets, so those are not checked; names compare
/// case-insensitively, as the docs site serves them.
pub(crate) fn dangling_links(pages: &[Page], diags: &mut Vec<Diagnostic>) {
    let known: BTreeSet<String> = pages.iter().map(|p| p.path.to_ascii_lowercase()).collect();
    for page in pages {
        let dir: Vec<&str> = page.path.split('/').collect();
        let dir = &dir[..dir.len() - 1];
        let mut check = |text: &Text, span: &Span| {
            // DocFX include directives (`[!INCLUDE [x](../includes/x.md)]`) pull in
            // snippets that are not API pages; they are not checked.
            if text.text.contains("!INCLUDE") {
                return;
            }
            for link in &text.links {
                let dest = link.dest.split(['#', '?']).next().unwrap_or("");
                if dest.is_empty()
                    || dest.starts_with('/')
                    || dest.contains("://")
                    || dest.starts_with("mailto:")
                    || !dest.to_ascii_lowercase().ends_with(".md")
                {
                    continue;
                }
                let mut parts: Vec<&str> = dir.to_vec();
                let mut outside = false;
                for seg in dest.split('/') {
                    match seg {
                        "" | "." => {}
                        ".." => outside |= parts.pop().is_none(),
                        s => parts.push(s),
                    }
                }
                let target = parts.join("/").to_ascii_lowercase();
                if outside || !known.contains(&target) {
                    diags.push(
                        Diagnostic::new(
                            Code::DanglingLink,
                            span.clone(),
                            format!("link [{}]({}) points to {target}, which is not in the docs", link.text, link.dest),
                        )
                        .hint("fix the link, or add the page"),
                    );
                }
            }
        };
        for b in &page.blocks {
            match b {
                Block::Heading { text, span, .. } | Block::Paragraph { text, span } => check(text, span),
                Block::Table(t) => {
                    for c in t.header.iter().chain(t.rows.iter().flatten()) {
                        check(&c.text, &c.span);
                    }
                }
                Block::Code(_) => {}
            }
        }
    }
}
