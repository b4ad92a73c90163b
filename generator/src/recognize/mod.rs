//! Stage 2: docs recognition. What a parsed page is (an API, resource or enum
//! page, or none: [`classify`]) and what its parts say, typed: its sections, its
//! request lines ([`declared_requests`]), the type names in its titles and
//! headings, value lists and placeholders in prose ([`prose`]), its HTTP examples
//! ([`examples`], [`http`]), dangling links ([`links`]), and the reviewed
//! corrections of `corrections.json` ([`corrections`]); the type-cell grammar
//! ([`types`]). [`pages`] hands inference each page typed (a resource page, its
//! enum tables, an API page): inference never reads the markdown. No evidence is
//! merged here: that is inference.

pub mod corrections;
pub mod examples;
pub mod http;
pub mod links;
pub mod pages;
pub mod prose;
pub mod types;

use std::collections::BTreeSet;

use crate::diag::{Code, Diagnostic, Span};
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
    let has_resource_block = page.blocks.iter().any(|b| matches!(b, Block::Code(CodeBlock { annotation: Some(a), .. }) if a.block_type() == Some("resource")));
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
        Some(h) if named_by(h, " resource type").is_some() => PageKind::Resource,
        Some(h) if named_by(h, " enum type").is_some() => PageKind::Enum,
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
            let end = page.blocks[s..].iter().position(|b| matches!(b, Block::Heading { level: l, .. } if *l <= level)).map_or(page.blocks.len(), |e| s + e);
            &page.blocks[s..end]
        }
        None => &page.blocks[0..0],
    };
    blocks.iter()
}

/// The blocks of every section whose heading (trimmed, less a trailing `:`,
/// lower-cased) is one of `names`, in page order; each section runs to the next
/// heading of the same or a higher level.
pub(crate) fn all_sections_blocks<'p>(page: &'p Page, names: &[&str]) -> impl Iterator<Item = &'p Block> {
    let blocks = &page.blocks;
    let mut out: Vec<&'p Block> = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        if let Block::Heading { level, text, .. } = &blocks[i] {
            let t = text.text.trim().trim_end_matches(':').trim();
            if names.iter().any(|n| t.eq_ignore_ascii_case(n)) {
                let end = blocks[i + 1..].iter().position(|b| matches!(b, Block::Heading { level: l, .. } if l <= level)).map_or(blocks.len(), |e| i + 1 + e);
                out.extend(&blocks[i + 1..end]);
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out.into_iter()
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
    let sections = ["optional query parameters", "query parameters", "optional query parameter", "query parameter", "required query parameters"];
    for b in all_sections_blocks(page, &sections) {
        let text = match b {
            Block::Paragraph { text, .. } => text.text.clone(),
            Block::Table(t) => t.rows.iter().flatten().map(|c| c.text.text.clone()).collect::<Vec<_>>().join(" "),
            _ => continue,
        };
        // "This method supports the OData query parameters ...": the standard set
        // (besides what the section names); not "supports the $select OData query
        // parameter", "some of the", or "does not support".
        generic |= text.to_ascii_lowercase().split('.').any(|s| s.contains("supports the odata query parameters"));
        // The system options the text names (`$value` or `$ref` in prose are no options).
        for (i, _) in text.match_indices('$') {
            let word: String = text[i + 1..].chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            let name = format!("${}", word.to_ascii_lowercase());
            if QUERY_OPTION_NAMES.contains(&name.as_str()) {
                names.insert(name);
            }
        }
    }
    if generic {
        for n in ["$select", "$expand", "$filter", "$orderby", "$top", "$skip", "$count", "$search"] {
            names.insert(n.to_string());
        }
    }
    // A query-parameter table lists the operation's own parameters by name
    // (`startDateTime` on calendarView); `$` options are read from its text above.
    for b in all_sections_blocks(page, &sections) {
        let Block::Table(t) = b else { continue };
        let col = t.column(&["parameter", "name", "query parameter"]).unwrap_or(0);
        for r in &t.rows {
            let Some(cell) = r.get(col) else { continue };
            let name = clean_cell(&cell.text.text);
            if let Some(n) = query_option_name(&name) {
                names.insert(n);
            }
        }
    }
    // The options a request line or an example request uses are documented too
    // (`GET /me/messages?$select=subject`, a delta example's `$select`, a
    // calendar view's `startDateTime`).
    for b in &page.blocks {
        let Block::Code(c) = b else { continue };
        for line in c.text.lines().take(if c.annotation.as_ref().and_then(|a| a.block_type()) == Some("request") { 1 } else { usize::MAX }) {
            let Some((_, target)) = http::request_line(line) else { continue };
            let Some((_, query)) = target.split_once('?') else { continue };
            for pair in query.split('&') {
                if let Some(n) = query_option_name(pair.split('=').next().unwrap_or("").trim()) {
                    names.insert(n);
                }
            }
        }
    }
    let eventual = eventual_options(page);
    names.into_iter().map(|name| QueryOption { eventual: eventual.contains(&name), name }).collect()
}

/// The OData system query options that requests take as setters.
const QUERY_OPTION_NAMES: &[&str] = &["$select", "$expand", "$filter", "$orderby", "$top", "$skip", "$count", "$search"];

/// A query option as a request uses it: an OData system option with or without its
/// `$` and in any case (`expand=`, `$Select=`) is the option (`$expand`); another
/// name that is a plain identifier, with or without a `$` (`startDateTime`, the
/// `$id` of a `$ref` delete, `$deltatoken`), is a parameter of the operation's own,
/// as spelled; anything else is none.
pub(crate) fn query_option_name(key: &str) -> Option<String> {
    let bare = key.strip_prefix('$').unwrap_or(key);
    let system = format!("${}", bare.to_ascii_lowercase());
    if QUERY_OPTION_NAMES.contains(&system.as_str()) {
        return Some(system);
    }
    let ident = bare.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    ident.then(|| key.to_string())
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
    let names = ["request headers", "request header", "optional request headers", "optional request header"];
    let mut out: Vec<Header> = Vec::new();
    for b in all_sections_blocks(page, &names) {
        let Block::Table(t) = b else { continue };
        let (Some(h), Some(v)) = (t.column(&["header", "name"]), t.column(&["value", "description"])) else { continue };
        for r in &t.rows {
            let Some(cell) = r.get(h) else { continue };
            let cell = clean_cell(&cell.text.text);
            let mut value = r.get(v).map(|c| c.text.text.trim().to_string()).unwrap_or_default();
            // `Prefer: outlook.timezone`: the header and one of its values in the name cell.
            let name = match cell.split_once(':') {
                Some((n, pref)) if !n.trim().contains(' ') => {
                    value = format!("{}. {value}", pref.trim());
                    n.trim().to_string()
                }
                _ => cell,
            };
            if !name.is_empty() && !name.contains(' ') && !out.iter().any(|o| o.name.eq_ignore_ascii_case(&name) && o.value == value) {
                out.push(Header { name, value });
            }
        }
    }
    out
}

/// A request line of an API page's "HTTP request" section: method, path, where.
pub(crate) type Declared = (String, String, Span);

/// The request lines an API page declares (its "HTTP request" section). A path
/// without its leading `/` is read with one, with a diagnostic.
pub(crate) fn declared_requests(page: &Page, diags: &mut Vec<Diagnostic>) -> Vec<Declared> {
    let mut declared: Vec<(String, String, Span)> = Vec::new();
    // Every section so headed (OneDrive pages have one per way to address a
    // resource), in either number.
    for b in all_sections_blocks(page, &["http request", "http requests"]) {
        if let Block::Code(c) = b {
            for (i, line) in c.text.lines().enumerate() {
                let at = c.span.at(c.first_line + i as u32, 1);
                if let Some((m, p)) = http::request_line(line) {
                    declared.push((m, p, at));
                } else if let Some((m, p)) = http::request_line(&line.replacen(' ', " /", 1)) {
                    // `GET policies/x`: a path without its leading `/`.
                    diags.push(
                        Diagnostic::new(
                            Code::HttpBlock,
                            at.clone(),
                            format!("request path {:?} does not start with `/`; read as `{p}`", p.trim_start_matches('/')),
                        )
                        .hint("start request paths with `/`"),
                    );
                    declared.push((m, p, at));
                }
            }
        }
    }
    declared
}

/// What a heading names by its suffix (`suffix` lower-case), in any case:
/// `"User resource type"` with `" resource type"` is `"User"`.
pub(crate) fn named_by<'t>(text: &'t str, suffix: &str) -> Option<&'t str> {
    // ASCII lower-casing keeps byte lengths: the cut is where the suffix starts.
    text.to_ascii_lowercase().ends_with(suffix).then(|| &text[..text.len() - suffix.len()])
}

/// The type a resource page's `# X resource type` title names, and where.
pub(crate) fn resource_title(page: &Page) -> Option<(&str, &Span)> {
    page.blocks.iter().find_map(|b| match b {
        Block::Heading { level: 1, text, span } => {
            // `# x resource type (deprecated)`: a note after the title.
            let t = text.text.trim();
            let t = match t.strip_suffix(')').and_then(|r| r.rfind(" (").map(|i| &t[..i])) {
                Some(before) if named_by(before.trim_end(), " resource type").is_some() => before.trim_end(),
                _ => t,
            };
            let n = named_by(t, " resource type")?.trim();
            (!n.is_empty() && !n.contains(' ')).then_some((n, span))
        }
        _ => None,
    })
}

/// The enum a member table's heading names: `X values`, `X enum type`, or
/// `Members` / `Values` under a `# X enum type` page title (`h1`). `None` when it
/// names no single type.
pub(crate) fn enum_table_name(heading: &str, h1: Option<&str>) -> Option<String> {
    let hl = heading.to_ascii_lowercase();
    let name = if let Some(n) = named_by(heading, " values") {
        n.trim().to_string()
    } else if hl == "members" || hl == "values" {
        named_by(h1?, " enum type")?.trim().to_string()
    } else {
        named_by(heading, " enum type")?.trim().to_string()
    };
    let name = clean_cell(&name);
    (!name.is_empty() && !name.contains(' ')).then_some(name)
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::parse::parse_page;

    fn page(text: &str) -> Page {
        parse_page(&crate::diag::SourceText::from_text("t.md", text), &mut Vec::new())
    }

    #[test]
    fn headings_name_types_by_their_suffix_in_any_case() {
        assert_eq!(named_by("User Resource Type", " resource type"), Some("User"));
        assert_eq!(named_by("resource type", " resource type"), None);
        assert_eq!(resource_title(&page("# callRecord resource type\n")).map(|(n, s)| (n, s.line())), Some(("callRecord", 1)));
        assert_eq!(resource_title(&page("# Working with calls resource type\n")), None, "more than one word");
        assert_eq!(enum_table_name("callState values", None).as_deref(), Some("callState"));
        assert_eq!(enum_table_name("`modality` enum type", None).as_deref(), Some("modality"));
        assert_eq!(enum_table_name("Members", Some("tone enum type")).as_deref(), Some("tone"));
        assert_eq!(enum_table_name("Members", Some("Calls overview")), None);
        assert_eq!(enum_table_name("Properties", None), None);
    }

    #[test]
    fn pages_are_classified_by_doc_type_then_blocks_then_title() {
        assert_eq!(classify(&page("---\ndoc_type: apiPageType\n---\n# x resource type\n")), PageKind::Api);
        assert_eq!(classify(&page("# x\n\n## HTTP request\n\n```http\nGET /x\n```\n")), PageKind::Api);
        assert_eq!(classify(&page("# x resource type\n")), PageKind::Resource);
        assert_eq!(classify(&page("# x enum type\n")), PageKind::Enum);
        assert_eq!(classify(&page("# Overview\n")), PageKind::Other);
    }

    #[test]
    fn request_lines_without_a_leading_slash_are_read_with_a_diagnostic() {
        let mut diags = Vec::new();
        let p = page("# x\n\n## HTTP request\n\n```http\nGET /me/events\nPOST users/{id}/events\n```\n");
        let lines: Vec<(String, String, u32)> = declared_requests(&p, &mut diags).into_iter().map(|(m, p, s)| (m, p, s.line())).collect();
        assert_eq!(lines, [("GET".into(), "/me/events".into(), 6), ("POST".into(), "/users/{id}/events".into(), 7)]);
        assert_eq!(diags.iter().map(|d| d.code).collect::<Vec<_>>(), [Code::HttpBlock]);
    }

    #[test]
    fn every_http_request_section_is_read_across_sample_tabs() {
        let mut diags = Vec::new();
        // A level-1 tab heading (`# [HTTP](#tab/http)`) does not end the section.
        let text = concat!(
            "# x\n\n## Get one\n\n### HTTP request\n\n# [HTTP](#tab/http)\n",
            "<!-- { \"blockType\": \"request\" } -->\n```msgraph-interactive\nGET /me/drive\n```\n",
            "# [C#](#tab/csharp)\n[!INCLUDE [sample-code](../includes/x.md)]\n\n",
            "## Get another\n\n### HTTP Requests\n\n```http\nGET /users/{id}/drive\n```\n",
        );
        let lines: Vec<String> = declared_requests(&page(text), &mut diags).into_iter().map(|(_, p, _)| p).collect();
        assert_eq!(lines, ["/me/drive", "/users/{id}/drive"]);
    }

    #[test]
    fn query_options_in_any_spelling() {
        assert_eq!(query_option_name("$select").as_deref(), Some("$select"));
        assert_eq!(query_option_name("expand").as_deref(), Some("$expand"));
        assert_eq!(query_option_name("$OrderBy").as_deref(), Some("$orderby"));
        assert_eq!(query_option_name("startDateTime").as_deref(), Some("startDateTime"));
        assert_eq!(query_option_name("$skiptoken").as_deref(), Some("$skiptoken"));
        assert_eq!(query_option_name("$"), None);
        assert_eq!(query_option_name("a b"), None);
        let p = page("# x\n\n## HTTP request\n\n```http\nGET /me/calendarView?startDateTime={start}&endDateTime={end}\n```\n\n## Query parameters\n\n| Parameter | Type | Description |\n|:--|:--|:--|\n| startDateTime | String | Start. |\n| endDateTime | String | End. |\n\nThis method supports the `$select` OData query parameter.\n\n## Example\n\n<!-- { \"blockType\": \"request\" } -->\n```http\nGET https://graph.microsoft.com/v1.0/me/calendarView?startDateTime=a&endDateTime=b&top=5\n```\n");
        let names: Vec<String> = query_options(&p).into_iter().map(|q| q.name).collect();
        assert_eq!(names, ["$select", "$top", "endDateTime", "startDateTime"]);
    }
}
