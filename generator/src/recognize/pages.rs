//! What each page gives inference, typed ([`DocPage`]): its kind, area and
//! namespace; the enum tables of any page; a resource page's type, the signs of
//! its base, its property tables and its JSON representation; an API page's
//! request lines, examples, request body and response. Inference reads these and
//! never the markdown.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::examples::{page_examples, ParsedExample};
use super::prose::{broken_link, clean_cell, first_status, non_empty, property_name};
use super::types::{LinkRef, TypeCell};
use super::*;
use crate::parse::lenient_json;

/// A page as inference sees it.
pub(crate) struct DocPage {
    pub(crate) path: Arc<str>,
    /// The file name without directory and `.md`.
    pub(crate) stem: String,
    pub(crate) kind: PageKind,
    /// The start of the page, where page-wide diagnostics point.
    pub(crate) start: Span,
    /// The page has no blocks at all.
    pub(crate) empty: bool,
    pub(crate) namespace: Option<String>,
    /// The docs area (a Cargo feature): `ms.prod`, else `ms.subservice`.
    pub(crate) area: Option<String>,
    /// The title (front matter, else the first heading, else the file name).
    pub(crate) title: String,
    /// The front matter's description.
    pub(crate) description: Option<String>,
    pub(crate) enums: Vec<EnumTable>,
    /// For a resource page.
    pub(crate) resource: Option<ResourcePage>,
    /// For an API page, and for any other page that shows request examples.
    pub(crate) api: Option<ApiPage>,
}

/// A table of an enum's members under a `### x values` heading (or the like).
pub(crate) struct EnumTable {
    /// The enum's name as the heading spells it.
    pub(crate) name: String,
    /// The heading.
    pub(crate) span: Span,
    pub(crate) members: Vec<EnumRow>,
}

pub(crate) struct EnumRow {
    pub(crate) wire: String,
    pub(crate) value: Option<i64>,
    pub(crate) doc: Option<String>,
    pub(crate) span: Span,
}

/// A resource page: the type it defines and what it says of it.
pub(crate) struct ResourcePage {
    /// The type's name as the annotation's `@odata.type` or the `# x resource
    /// type` title gives it, and where.
    pub(crate) name: Option<(String, Span)>,
    /// The first paragraph that describes the type, else the front matter's.
    pub(crate) doc: Option<String>,
    pub(crate) annotation: Option<ResourceAnnotation>,
    /// "Inherits from [x](x.md)", "A subclass of [x]", "Derived from [x]".
    pub(crate) prose_base: Option<ProseBase>,
    /// "Base type of [a](a.md) and [b](b.md)": types derived from this one.
    pub(crate) derived: Vec<(LinkRef, Span)>,
    /// The property tables: the Properties section's (`false`) and the
    /// Relationships section's (`true`).
    pub(crate) tables: Vec<(PropertyTable, bool)>,
    pub(crate) representation: Option<Representation>,
    /// The docs' words when the type is deprecated.
    pub(crate) deprecated: Option<String>,
    /// API pages that the Methods table marks deprecated: (page path, the docs' words).
    pub(crate) deprecated_methods: Vec<(String, String)>,
}

/// The resource annotation: `<!-- { "blockType": "resource", ... } -->`.
pub(crate) struct ResourceAnnotation {
    pub(crate) odata_type: Option<String>,
    /// `baseType`, when not empty.
    pub(crate) base: Option<String>,
    pub(crate) open: bool,
    /// `"openType": false`, said so.
    pub(crate) closed: bool,
    pub(crate) is_abstract: bool,
    pub(crate) key: Option<String>,
    pub(crate) span: Span,
}

/// The base a page's prose names.
pub(crate) enum ProseBase {
    /// The links after the phrase, in order.
    Links { links: Vec<LinkRef>, span: Span },
    /// A link markdown did not read (`[x](x.md` with no `)`).
    Broken { link: LinkRef, span: Span },
}

/// A resource's JSON representation, parsed.
pub(crate) struct Representation {
    pub(crate) json: Option<Map<String, Value>>,
    pub(crate) text: String,
    /// The block's first line.
    pub(crate) at: Span,
    /// Its lenient parsing or its invalid JSON.
    pub(crate) diags: Vec<Diagnostic>,
}

/// A `Property | Type | Description` table.
pub(crate) struct PropertyTable {
    pub(crate) rows: Vec<PropertyRow>,
}

pub(crate) struct PropertyRow {
    pub(crate) wire: String,
    /// The name cell.
    pub(crate) span: Span,
    pub(crate) ty: TypeCell,
    pub(crate) desc: String,
    /// The docs' words when the property is deprecated.
    pub(crate) deprecated: Option<String>,
}

/// An API page (or the request examples of another page).
pub(crate) struct ApiPage {
    pub(crate) declared: Vec<Declared>,
    pub(crate) examples: Vec<ParsedExample>,
    /// The diagnostics of reading the request lines and examples, in that order.
    pub(crate) diags: Vec<Diagnostic>,
    /// The type the "Request body" section says to supply a JSON representation of.
    pub(crate) body_named: Option<(LinkRef, Span)>,
    /// The "Request body" section's table, and where it is.
    pub(crate) body_table: Option<(PropertyTable, Span)>,
    pub(crate) response: ResponseSection,
    pub(crate) query_options: Vec<QueryOption>,
    pub(crate) headers: Vec<Header>,
    /// The docs' words when the operation is deprecated.
    pub(crate) deprecated: Option<String>,
}

/// What the "Response" section's prose says.
#[derive(Default)]
pub(crate) struct ResponseSection {
    pub(crate) status: Option<u16>,
    /// The sentence that gives the status says "collection".
    pub(crate) collection: bool,
    /// ... or "collection of".
    pub(crate) collection_of: bool,
    /// A `Location` header is mentioned.
    pub(crate) location: bool,
    /// The type that sentence links to.
    pub(crate) type_link: Option<(LinkRef, Span)>,
}

/// Every page, recognized; the diagnostics of recognition that stand on their own
/// (descriptions that hold code) are added to `diags`.
pub(crate) fn recognize_pages(pages: &[Page], diags: &mut Vec<Diagnostic>) -> Vec<DocPage> {
    let done = crate::threads::parallel_map(pages, |p| {
        let mut d = Vec::new();
        let page = recognize_page(p, &mut d);
        (page, d)
    });
    let mut out = Vec::with_capacity(done.len());
    for (page, mut d) in done {
        diags.append(&mut d);
        out.push(page);
    }
    out
}

/// One page, recognized.
pub(crate) fn recognize_page(page: &Page, diags: &mut Vec<Diagnostic>) -> DocPage {
    let kind = classify(page);
    let has_request = page.blocks.iter().any(|b| matches!(b, Block::Code(c) if c.annotation.as_ref().and_then(|a| a.block_type()) == Some("request")));
    let api = (kind == PageKind::Api || has_request).then(|| api_page(page, diags));
    DocPage {
        path: page.path.clone(),
        stem: page.stem().to_string(),
        kind,
        start: page.start(),
        empty: page.blocks.is_empty(),
        namespace: page.namespace().map(str::to_string),
        area: page.meta("ms.prod").or_else(|| page.meta("ms.subservice")).map(str::to_string),
        title: page.title().unwrap_or(page.stem()).to_string(),
        description: page.meta("description").map(str::to_string),
        enums: enum_tables(page, diags),
        resource: (kind == PageKind::Resource).then(|| resource_page(page, diags)),
        api,
    }
}

// ---- enums ----

/// The enum tables of a page: a table under a heading that names an enum (`x
/// values`, `x enum type`, or `Members` / `Values` under a `# x enum type`
/// title) whose first column holds the members (`Member`, `Name`, or `Value`)
/// and which has no `Type` column. A table headed `Value` is an enum's on an
/// enum page, or where a type cell of the page names the enum (`[x](#x-values)`):
/// elsewhere such a table lists the values of a string property, which the
/// service types as a string. A numeric value comes from a `Value` or `Int value`
/// column, or from a second column whose every cell is an integer.
fn enum_tables(page: &Page, diags: &mut Vec<Diagnostic>) -> Vec<EnumTable> {
    let kind = classify(page);
    let h1 = page.blocks.iter().find_map(|b| match b {
        Block::Heading { level: 1, text, .. } => Some(text.text.clone()),
        _ => None,
    });
    let mut out = Vec::new();
    let mut heading: Option<(String, Span)> = None;
    for b in &page.blocks {
        match b {
            Block::Heading { text, span, .. } => heading = Some((text.text.clone(), span.clone())),
            Block::Table(t) => {
                if t.column(&["type"]).is_some() {
                    continue;
                }
                let member = t.column(&["member", "members", "name"]);
                let Some(mcol) = member.or_else(|| t.column(&["value", "values"])) else { continue };
                if mcol != 0 {
                    continue;
                }
                let Some((h, hspan)) = &heading else { continue };
                let Some(name) = enum_table_name(h, h1.as_deref()) else { continue };
                if member.is_none() && kind != PageKind::Enum && !names_type(page, &name) {
                    continue;
                }
                let vcol = value_column(t, mcol);
                let dcol = t.column(&["description"]);
                let mut members = Vec::new();
                for row in &t.rows {
                    let Some(cell) = row.get(mcol) else { continue };
                    let wire = clean_cell(&cell.text.text);
                    if wire.is_empty() {
                        continue;
                    }
                    let value = vcol.and_then(|c| row.get(c)).and_then(|c| c.text.text.trim().parse::<i64>().ok());
                    let doc = dcol.and_then(|c| row.get(c)).and_then(|c| non_empty(&c.text.text));
                    if let Some(d) = &doc {
                        description_code(d, &cell.span, diags);
                    }
                    members.push(EnumRow { wire, value, doc, span: cell.span.clone() });
                }
                out.push(EnumTable { name, span: hspan.clone(), members });
            }
            _ => {}
        }
    }
    out
}

/// Whether a type cell of the page (a table with a `Type` column) names `name`:
/// as its text, as a link's text, or as a link to the `#name-values` section.
fn names_type(page: &Page, name: &str) -> bool {
    let anchor = format!("#{}-values", name.to_ascii_lowercase());
    page.blocks.iter().any(|b| {
        let Block::Table(t) = b else { return false };
        let Some(tcol) = t.column(&["type"]) else { return false };
        t.rows.iter().filter_map(|r| r.get(tcol)).any(|c| {
            clean_cell(&c.text.text).split_whitespace().next().is_some_and(|w| w.eq_ignore_ascii_case(name))
                || c.text.links.iter().any(|l| clean_cell(&l.text).eq_ignore_ascii_case(name) || l.dest.to_ascii_lowercase().ends_with(&anchor))
        })
    })
}

/// The column of an enum table that holds the members' numbers: `Value` or `Int
/// value` beside a member column; else another column (not the description) whose
/// cells are all integers (`| Member | Member | Description |`, as one table has it).
fn value_column(t: &Table, mcol: usize) -> Option<usize> {
    if let Some(v) = t.column(&["value", "int value"]).filter(|v| *v != mcol) {
        return Some(v);
    }
    let dcol = t.column(&["description"]);
    (0..t.header.len())
        .filter(|c| *c != mcol && Some(*c) != dcol)
        .find(|&c| !t.rows.is_empty() && t.rows.iter().all(|r| r.get(c).is_some_and(|cell| cell.text.text.trim().parse::<i64>().is_ok())))
}

// ---- resources ----

fn resource_page(page: &Page, diags: &mut Vec<Diagnostic>) -> ResourcePage {
    let block = page.blocks.iter().find_map(|b| match b {
        Block::Code(c) if c.annotation.as_ref().and_then(|a| a.block_type()) == Some("resource") => Some(c),
        _ => None,
    });
    let annotation = block.and_then(|c| c.annotation.as_ref()).map(|a| ResourceAnnotation {
        odata_type: a.str("@odata.type").map(str::to_string),
        // `"baseType": ""` (the docs template's default) names no base.
        base: a.str("baseType").filter(|s| !s.trim().is_empty()).map(str::to_string),
        open: a.bool("openType") || a.str("openType") == Some("true"),
        closed: a.value.get("openType").is_some_and(|v| v == &Value::Bool(false) || v.as_str() == Some("false")),
        is_abstract: a.bool("abstract") || a.str("abstract") == Some("true"),
        key: a.str("keyProperty").map(str::to_string),
        span: a.span.clone(),
    });
    let name = match annotation.as_ref().and_then(|a| a.odata_type.clone().map(|t| (t, a.span.clone()))) {
        Some(n) => Some(n),
        None => resource_title(page).map(|(n, span)| (n.to_string(), span.clone())),
    };
    let paragraphs = || {
        page.blocks.iter().filter_map(|b| match b {
            Block::Paragraph { text, span } => Some((text, span)),
            _ => None,
        })
    };
    let doc = paragraphs()
        .map(|(t, _)| t.text.as_str())
        .find(|t| !t.starts_with("Namespace:") && !t.starts_with('>') && !t.to_ascii_lowercase().starts_with("inherits from"))
        .map(str::to_string)
        .or_else(|| page.meta("description").map(str::to_string));
    let deprecated = type_deprecation(page, doc.as_deref());
    let mut tables = Vec::new();
    for (section, nav) in [("properties", false), ("relationships", true)] {
        if let Some(t) = first_table(section_blocks(page, section)) {
            tables.push((property_table(t, diags), nav));
        }
    }
    let representation = block.map(|c| {
        let mut rdiags = Vec::new();
        let json = match lenient_json(&c.text) {
            Ok((Value::Object(obj), fixed)) => {
                if fixed {
                    rdiags.push(
                        Diagnostic::new(Code::JsonLenient, c.span.clone(), "JSON representation needed lenient parsing")
                            .hint("remove trailing commas, comments and `...`"),
                    );
                }
                Some(obj)
            }
            Ok(_) => None,
            Err(e) => {
                rdiags.push(
                    Diagnostic::new(
                        Code::JsonInvalid,
                        c.span.at(c.first_line + e.line().saturating_sub(1) as u32, e.column().max(1) as u32),
                        format!("JSON representation is not valid JSON: {e}"),
                    )
                    .hint("fix the JSON; the representation is skipped"),
                );
                None
            }
        };
        Representation { json, text: c.text.clone(), at: c.span.at(c.first_line, 1), diags: rdiags }
    });
    ResourcePage {
        name,
        doc,
        annotation,
        prose_base: prose_base(page),
        derived: derived_types(page),
        tables,
        representation,
        deprecated,
        deprecated_methods: deprecated_methods(page),
    }
}

/// The phrases that name a type's base before its link.
const BASE_PHRASES: &[&str] = &["inherits from", "inherited from", "derived from", "derives from", "subclass of"];

/// The base the page's prose names: the links after the first phrase of
/// [`BASE_PHRASES`] in the first paragraph that has one (inference takes the
/// first that names another type: not the type itself, not an article), or a
/// link there that markdown did not read.
fn prose_base(page: &Page) -> Option<ProseBase> {
    let (text, span, at) = page.blocks.iter().find_map(|b| match b {
        Block::Paragraph { text, span } => {
            let l = text.text.to_ascii_lowercase();
            let at = BASE_PHRASES.iter().filter_map(|k| l.find(k)).min()?;
            Some((text, span, at))
        }
        _ => None,
    })?;
    let links: Vec<LinkRef> = text.links.iter().filter(|link| text.text.find(link.text.as_str()).is_none_or(|i| i >= at)).map(LinkRef::from).collect();
    if !links.is_empty() {
        return Some(ProseBase::Links { links, span: span.clone() });
    }
    // "Inherits from [x](x.md" (a missing `)`): markdown reads no link; the text still names the base.
    let (ltext, dest) = broken_link(&text.text[at..])?;
    Some(ProseBase::Broken { link: LinkRef { text: ltext, dest }, span: span.clone() })
}

/// "Base type of [a](a.md) and [b](b.md)." (or "The base type of ..."): the types
/// the page's type is the base of, linked after the phrase.
fn derived_types(page: &Page) -> Vec<(LinkRef, Span)> {
    let mut out = Vec::new();
    for b in &page.blocks {
        let Block::Paragraph { text, span } = b else { continue };
        let l = text.text.to_ascii_lowercase();
        let Some(at) = l.find("base type of ") else { continue };
        // The sentence that says so.
        let end = l[at..].find(". ").map_or(l.len(), |e| at + e);
        for link in &text.links {
            if text.text.find(link.text.as_str()).is_some_and(|i| i >= at && i < end) {
                out.push((LinkRef::from(link), span.clone()));
            }
        }
    }
    out
}

/// A property table: each row with a name and a type cell.
fn property_table(t: &Table, diags: &mut Vec<Diagnostic>) -> PropertyTable {
    let mut rows = Vec::new();
    let (Some(pcol), Some(tcol)) = (t.column(&["property", "name", "parameter", "relationship"]), t.column(&["type"])) else { return PropertyTable { rows } };
    let dcol = t.column(&["description"]);
    for row in &t.rows {
        let (Some(pc), Some(tc)) = (row.get(pcol), row.get(tcol)) else { continue };
        let Some(wire) = property_name(&pc.text.text) else { continue };
        let desc = dcol.and_then(|c| row.get(c)).map(|c| c.text.text.clone()).unwrap_or_default();
        description_code(&desc, dcol.and_then(|c| row.get(c)).map_or(&pc.span, |c| &c.span), diags);
        let deprecated = property_deprecation(&pc.text.text, &desc);
        rows.push(PropertyRow { wire, span: pc.span.clone(), ty: TypeCell::new(&tc.text, &tc.span), desc, deprecated });
    }
    PropertyTable { rows }
}

// ---- deprecation ----

/// The sentence of `text` that says its subject is deprecated: one that starts
/// with "Deprecated" (`(Deprecated)`, `[Deprecated]`, `Deprecated:`), ends with
/// it ("Allowed actions - Deprecated"), or says "this ... is deprecated" / "has
/// been deprecated". Not one that only will be ("will be deprecated soon"), nor
/// one that names something else in it (`` The `x` member is deprecated ``), nor
/// a value list ("Possible values are ... `deprecated`").
pub(crate) fn deprecation_sentence(text: &str) -> Option<String> {
    for sentence in sentences(text) {
        let l = sentence.to_ascii_lowercase();
        let bare = l.trim_start_matches(['(', '[', '*', '_', ' ', '>']).trim_end_matches(['.', ')', ']', '*', '_', ' ']);
        if !l.contains("deprecated") || l.contains("will be deprecated") || l.contains("going to be deprecated") || l.contains("not deprecated") {
            continue;
        }
        let starts = bare.starts_with("deprecated");
        let ends = bare.ends_with("- deprecated") || bare.ends_with("-- deprecated");
        let says = (bare.starts_with("this ") || bare.starts_with("it "))
            && (l.contains(" is deprecated") || l.contains(" has been deprecated") || l.contains(" are deprecated"))
            && !l.contains('`');
        if starts || ends || says {
            return Some(sentence.trim().to_string());
        }
    }
    None
}

/// The sentences of a text: split after `.`, `!` or `?` followed by white space,
/// and at line breaks.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut start = 0;
        let b = line.as_bytes();
        for i in 0..b.len() {
            if matches!(b[i], b'.' | b'!' | b'?') && b.get(i + 1).is_some_and(|c| c.is_ascii_whitespace()) {
                out.push(&line[start..=i]);
                start = i + 1;
            }
        }
        if start < line.len() {
            out.push(&line[start..]);
        }
    }
    out.into_iter().map(str::trim).filter(|s| !s.is_empty()).collect()
}

/// A property is deprecated when its name cell says so (`attendeeReport
/// (deprecated)`) or its description does ([`deprecation_sentence`]); the note is
/// the description's sentence, else its first sentence.
fn property_deprecation(name_cell: &str, desc: &str) -> Option<String> {
    if let Some(s) = deprecation_sentence(desc) {
        return Some(s);
    }
    let marked = name_cell.to_ascii_lowercase().contains("(deprecated)");
    marked.then(|| sentences(desc).first().map_or_else(|| "Deprecated.".to_string(), |s| format!("Deprecated. {s}")))
}

/// A type is deprecated when its title says so (`# x resource type
/// (deprecated)`) or its description does.
fn type_deprecation(page: &Page, doc: Option<&str>) -> Option<String> {
    if let Some(s) = doc.and_then(deprecation_sentence) {
        return Some(s);
    }
    let title = page.blocks.iter().find_map(|b| match b {
        Block::Heading { level: 1, text, .. } => Some(text.text.as_str()),
        _ => None,
    })?;
    title.to_ascii_lowercase().contains("(deprecated)").then(|| format!("Deprecated: {}", title.trim()))
}

/// The API pages the Methods table marks deprecated: a row whose link text says
/// `(deprecated)` or whose description says so; the note is the description's
/// sentence, else the row's link text. Paths relative to the docs directory.
fn deprecated_methods(page: &Page) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(t) = first_table(section_blocks(page, "methods")) else { return out };
    let dcol = t.column(&["description"]);
    for row in &t.rows {
        let Some(cell) = row.first() else { continue };
        let Some(link) = cell.text.links.first() else { continue };
        let desc = dcol.and_then(|c| row.get(c)).map(|c| c.text.text.as_str()).unwrap_or("");
        let note = deprecation_sentence(desc)
            .or_else(|| link.text.to_ascii_lowercase().contains("(deprecated)").then(|| format!("Deprecated: {}.", link.text.trim())));
        let (Some(note), Some(target)) = (note, relative_page(&page.path, &link.dest)) else { continue };
        out.push((target, note));
    }
    out
}

/// The docs-relative path a relative link from `from` points to (`None` for an
/// absolute or external link, or one that leaves the docs).
pub(crate) fn relative_page(from: &str, dest: &str) -> Option<String> {
    let dest = dest.split(['#', '?']).next().unwrap_or("");
    if dest.is_empty() || dest.starts_with('/') || dest.contains("://") || !dest.to_ascii_lowercase().ends_with(".md") {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in dest.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// A description that holds a code fence or an indented code line would become a
/// doctest in the rustdoc: reported (the emitter writes it as text).
fn description_code(desc: &str, span: &Span, diags: &mut Vec<Diagnostic>) {
    let fence = desc.lines().any(|l| {
        let t = l.trim_start();
        t.starts_with("```") || t.starts_with("~~~")
    });
    if fence {
        diags.push(
            Diagnostic::new(Code::DescriptionCode, span.clone(), "this description holds a code fence; the rustdoc shows it as text, not as a doctest")
                .hint("write code in a description as `inline code`, or move the example out of the table"),
        );
    }
}

// ---- API pages ----

fn api_page(page: &Page, diags: &mut Vec<Diagnostic>) -> ApiPage {
    let mut own = Vec::new();
    let declared = declared_requests(page, &mut own);
    let examples = page_examples(page, &mut own);
    let section: Vec<&Block> = section_blocks(page, "request body").collect();
    // "supply a JSON representation of/for the [x](...) object"
    let body_named = section.iter().find_map(|b| match b {
        Block::Paragraph { text, span } if text.text.to_ascii_lowercase().contains("json representation") => {
            text.links.first().map(|l| (LinkRef::from(l), span.clone()))
        }
        _ => None,
    });
    let body_table = first_table(section.iter().copied()).map(|t| (property_table(t, diags), t.span.clone()));
    let description = page.meta("description").or_else(|| {
        page.blocks.iter().find_map(|b| match b {
            Block::Paragraph { text, .. } if !text.text.starts_with("Namespace:") => Some(text.text.as_str()),
            _ => None,
        })
    });
    let title = page.title().unwrap_or("");
    let deprecated = description
        .and_then(deprecation_sentence)
        .or_else(|| title.to_ascii_lowercase().contains("(deprecated)").then(|| format!("Deprecated: {}.", title.trim())));
    ApiPage {
        declared,
        examples,
        diags: own,
        body_named,
        body_table,
        response: response_section(page),
        query_options: query_options(page),
        headers: request_headers(page),
        deprecated,
    }
}

fn response_section(page: &Page) -> ResponseSection {
    let mut r = ResponseSection::default();
    for b in section_blocks(page, "response") {
        let Block::Paragraph { text, span } = b else { continue };
        let l = text.text.to_ascii_lowercase();
        r.location |= l.contains("location header") || l.contains("`location`");
        if r.status.is_none() {
            r.status = first_status(&text.text);
            if r.status.is_some() {
                r.collection = l.contains("collection");
                r.collection_of = l.contains("collection of");
                r.type_link = text.links.iter().find(|l| !l.dest.starts_with("http") && !l.text.contains(' ')).map(|l| (LinkRef::from(l), span.clone()));
            }
        }
    }
    r
}

impl ApiPage {
    /// Only the examples whose request no operation of `ops` documents (the same
    /// method on a path the operation's template fits); `None` when none is left.
    pub(crate) fn uncovered<N>(mut self, ops: &[crate::model::Operation<N>]) -> Option<Self> {
        self.examples.retain(|e| {
            let Some(http::StartLine::Request { method, target }) = e.request.as_ref().map(|r| &r.start) else { return false };
            let path = http::url_path(target);
            !ops.iter().any(|o| o.method.eq_ignore_ascii_case(method) && http::path_matches(&o.path_template(), &path))
        });
        (!self.examples.is_empty()).then_some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_page;

    fn page(text: &str) -> Page {
        parse_page(&crate::diag::SourceText::from_text("resources/t.md", text), &mut Vec::new())
    }

    #[test]
    fn enum_tables_in_every_shape() {
        let text = "---\ndoc_type: enumPageType\n---\n# Enum values\n\n### a values\n\n| Value |\n|---|\n| x |\n| y |\n\n### b values \n\nSome words.\n\n| Member | Int value | Description |\n|---|---|---|\n| none | -1 | Nothing. |\n| one | 1 | One. |\n\n### c values\n\n| Member | Member | Description |\n|---|---|---|\n| p | 0 | P. |\n| q | 2 | Q. |\n\n### d values\n\n| Property | Type |\n|---|---|\n| x | String |\n";
        let mut diags = Vec::new();
        let tables = enum_tables(&page(text), &mut diags);
        type Members = Vec<(String, Option<i64>)>;
        let got: Vec<(String, Members)> = tables.iter().map(|t| (t.name.clone(), t.members.iter().map(|m| (m.wire.clone(), m.value)).collect())).collect();
        let want = |n: &str, m: &[(&str, Option<i64>)]| (n.to_string(), m.iter().map(|(w, v)| (w.to_string(), *v)).collect::<Vec<_>>());
        assert_eq!(
            got,
            vec![want("a", &[("x", None), ("y", None)]), want("b", &[("none", Some(-1)), ("one", Some(1))]), want("c", &[("p", Some(0)), ("q", Some(2))])]
        );
        assert!(diags.is_empty());
    }

    #[test]
    fn deprecation_in_the_docs_words() {
        assert_eq!(deprecation_sentence("The report. Deprecated: use `x` instead.").as_deref(), Some("Deprecated: use `x` instead."));
        assert_eq!(deprecation_sentence("(Deprecated) Name of the tab.").as_deref(), Some("(Deprecated) Name of the tab."));
        assert_eq!(deprecation_sentence("Order id - Deprecated").as_deref(), Some("Order id - Deprecated"));
        assert_eq!(
            deprecation_sentence("Live events. This property is deprecated and stops working in 2024.").as_deref(),
            Some("This property is deprecated and stops working in 2024.")
        );
        for none in [
            "The state. Possible values are: `active`, `deprecated`.",
            "The `noLicenses` member is deprecated.",
            "This property will be deprecated soon.",
            "Flag to indicate if a control is depreciated.",
        ] {
            assert_eq!(deprecation_sentence(none), None, "{none}");
        }
        assert_eq!(property_deprecation("attendeeReport (deprecated)", "The report. Read-only.").as_deref(), Some("Deprecated. The report."));
        assert_eq!(property_deprecation("name", "The name."), None);
    }

    #[test]
    fn base_signs_and_links_between_pages() {
        let p = page("# x resource type\n\nA subclass of [educationResource](educationresource.md). An Excel file.\n\nBase type of [a](a.md) and [b](b.md). See [docs](https://x).\n");
        match prose_base(&p) {
            Some(ProseBase::Links { links, .. }) => assert_eq!(links[0].text, "educationResource"),
            _ => panic!("no base"),
        }
        assert_eq!(derived_types(&p).iter().map(|(l, _)| l.text.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(relative_page("resources/x.md", "../api/x-get.md#top").as_deref(), Some("api/x-get.md"));
        assert_eq!(relative_page("x.md", "../y.md"), None);
        assert_eq!(relative_page("resources/x.md", "/graph/overview.md"), None);
    }
}
