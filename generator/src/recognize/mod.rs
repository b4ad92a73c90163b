//! Stage 2: docs recognition.

pub mod corrections;
pub mod examples;
pub mod http;
pub mod links;
pub mod prose;

use std::collections::BTreeSet;

use crate::model::{Header, QueryOption};
use crate::parse::{Block, CodeBlock, Page, Table};
use prose::clean_cell;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PageKind {
    Resource,
    Api,
    Enum,
    Other,
}

pub(crate) fn classify(page: &Page) -> PageKind {
    match page.meta("doc_type").map(str::to_ascii_lowercase).as_deref() {
        Some("resourcepagetype") => return PageKind::Resource,
        Some("apipagetype") => return PageKind::Api,
        Some("enumpagetype") => return PageKind::Enum,
        Some(_) | None => {}
    }
    let has_resource_block = page.blocks.iter().any(|b| {
        matches!(b, Block::Code(CodeBlock { annotation: Some(a), .. }) if a.block_type() == Some("resource"))
    });
    if has_resource_block {
        return PageKind::Resource;
    }
    if section_blocks(page, "http request").next().is_some() {
        return PageKind::Api;
    }
    let h1 = page.blocks.iter().find_map(|b| match b {
        Block::Heading { level: 1, text, .. } => Some(text.text.to_ascii_lowercase()),
        _ => None,
    });
    match h1.as_deref() {
        Some(h) if h.ends_with(" resource type") => PageKind::Resource,
        Some(h) if h.ends_with(" enum type") => PageKind::Enum,
        _ => PageKind::Other,
    }
}

/// The blocks under the first heading whose text (lower-cased) equals `name`,
/// up to the next heading of the same or a higher level.
pub(crate) fn section_blocks<'p>(page: &'p Page, name: &str) -> impl Iterator<Item = &'p Block> {
    let mut start = None;
    let mut level = 0;
    for (i, b) in page.blocks.iter().enumerate() {
        if let Block::Heading { level: l, text, .. } = b {
            if text.text.trim().eq_ignore_ascii_case(name) {
                start = Some(i + 1);
                level = *l;
                break;
            }
        }
    }
    let blocks = match start {
        Some(s) => {
            let end = page.blocks[s..]
                .iter()
                .position(|b| matches!(b, Block::Heading { level: l, .. } if *l <= level))
                .map_or(page.blocks.len(), |e| s + e);
            &page.blocks[s..end]
        }
        None => &page.blocks[0..0],
    };
    blocks.iter()
}

pub(crate) fn first_table<'p>(mut blocks: impl Iterator<Item = &'p Block>) -> Option<&'p Table> {
    blocks.find_map(|b| if let Block::Table(t) = b { Some(t) } else { None })
}

/// OData control information and instance annotations (`@odata.type`,
/// `odata.type`, `members@odata.bind`, `@microsoft.graph.conflictBehavior`) are
/// not properties.
pub(crate) fn is_annotation_key(k: &str) -> bool {
    k.starts_with('@') || k.starts_with("odata.") || k.contains('@')
}

pub(crate) fn query_options(page: &Page) -> Vec<QueryOption> {
    let mut names = BTreeSet::new();
    let mut generic = false;
    for b in section_blocks(page, "optional query parameters") {
        let text = match b {
            Block::Paragraph { text, .. } => text.text.clone(),
            Block::Table(t) => t.rows.iter().flatten().map(|c| c.text.text.clone()).collect::<Vec<_>>().join(" "),
            _ => continue,
        };
        // "This method supports the OData query parameters ...": the standard set
        // (besides what the section names); not "supports the $select OData query
        // parameter", "some of the", or "does not support".
        generic |= text.to_ascii_lowercase().split('.').any(|s| s.contains("supports the odata query parameters"));
        for (i, _) in text.match_indices('$') {
            let word: String = text[i + 1..].chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            if !word.is_empty() {
                names.insert(format!("${}", word.to_ascii_lowercase()));
            }
        }
    }
    if generic {
        for n in ["$select", "$expand", "$filter", "$orderby", "$top", "$skip", "$count", "$search"] {
            names.insert(n.to_string());
        }
    }
    let eventual = eventual_options(page);
    names.into_iter().map(|name| QueryOption { eventual: eventual.contains(&name), name }).collect()
}

/// Query options that a paragraph or table row of the query parameters or request
/// headers sections names together with `ConsistencyLevel` (advanced directory
/// queries: `$count`, `$search`, some `$filter`s).
fn eventual_options(page: &Page) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut texts: Vec<String> = Vec::new();
    for section in ["optional query parameters", "request headers"] {
        for b in section_blocks(page, section) {
            match b {
                Block::Paragraph { text, .. } => texts.push(text.text.clone()),
                Block::Table(t) => texts.extend(t.rows.iter().map(|r| r.iter().map(|c| c.text.text.clone()).collect::<Vec<_>>().join(" "))),
                _ => {}
            }
        }
    }
    for text in texts.iter().filter(|t| t.to_ascii_lowercase().contains("consistencylevel")) {
        for (i, _) in text.match_indices('$') {
            let word: String = text[i + 1..].chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            if !word.is_empty() {
                out.insert(format!("${}", word.to_ascii_lowercase()));
            }
        }
    }
    out
}

pub(crate) fn request_headers(page: &Page) -> Vec<Header> {
    let Some(t) = first_table(section_blocks(page, "request headers")) else { return Vec::new() };
    let (Some(h), Some(v)) = (t.column(&["header", "name"]), t.column(&["value", "description"])) else { return Vec::new() };
    t.rows
        .iter()
        .filter_map(|r| {
            let name = clean_cell(&r.get(h)?.text.text);
            let value = r.get(v).map(|c| c.text.text.trim().to_string()).unwrap_or_default();
            (!name.is_empty() && !name.contains(' ')).then_some(Header { name, value })
        })
        .collect()
}
