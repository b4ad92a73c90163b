//! Stage 2: pages -> one API model.
//!
//! Facts about types come from several sources. They are collected as evidence
//! and merged by precedence (see [`Source`]): a resource page's property table
//! beats its JSON representation, which beats an API page's request-body table,
//! which beats a JSON example. Every disagreement that is not explained by the
//! precedence (for example an enum-typed property shown as a string) is reported
//! with both locations.
//!
//! Page defects never stop a run: spellings of one property or enum member are
//! merged into one (with aliases), inheritance cycles lose one edge, malformed links
//! are read as the type they name, and fields come from authority (tables and
//! representations), not from examples (see `merge_props`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use crate::corrections::Corrections;
use crate::diag::{Code, Diagnostic, Span};
use crate::http::{self, HttpMessage, Locator, StartLine};
use crate::model::*;
use crate::names::spelling_key;
use crate::parse::{Block, CodeBlock, Page, Table, Text};

pub const DEFAULT_NAMESPACE: &str = "microsoft.graph";

/// Placeholder strings that stand for a type rather than a value: a type name
/// (`"Int32"`, `"Edm.Guid"`, `"datetime"`), optionally refined by a note in
/// parentheses that names a more precise one (`"String (timestamp)"`,
/// `"String (ISO 8601 duration)"`, `"String (time of day)"`, `"string (base64)"`).
fn placeholder_type(s: &str) -> Option<Prim> {
    let head = s.split(['(', ' ']).next().unwrap_or(s).trim();
    if head.is_empty() {
        return None;
    }
    let prim = Prim::parse(head)?;
    let note = s.find('(').map(|i| s[i..].trim_matches(|c| c == '(' || c == ')' || c == ' ').to_ascii_lowercase());
    Some(note.as_deref().and_then(placeholder_note).filter(|p| prim == Prim::String || prim == *p).unwrap_or(prim))
}

/// The type a placeholder's note names, if it names one: a type name (`(Date)`,
/// `(timeofday)`, `(double)`, `(binary)`) or a phrase for one (`(time of day)`,
/// `(ISO 8601 duration)`).
fn placeholder_note(note: &str) -> Option<Prim> {
    let phrase = |words: &[&str]| words.iter().any(|w| note.contains(w));
    if phrase(&["timestamp", "date time", "datetime"]) {
        return Some(Prim::DateTimeOffset);
    }
    if phrase(&["duration", "timespan", "time span"]) {
        return Some(Prim::Duration);
    }
    if phrase(&["time of day", "timeofday"]) {
        return Some(Prim::TimeOfDay);
    }
    if phrase(&["guid", "uuid"]) {
        return Some(Prim::Guid);
    }
    if phrase(&["base64", "binary"]) {
        return Some(Prim::Binary);
    }
    // A note that is a type name on its own (`(Date)`, `(double)`); not `(identifier)`,
    // `(URL)` or `(hex)`, which describe a string.
    match Prim::parse(note) {
        Some(Prim::String | Prim::Json | Prim::Stream) | None => None,
        Some(p) => Some(p),
    }
}

/// Text that stands for a value rather than being one: a type name
/// (`"String"`, `"String (timestamp)"`) or the docs' `name-value` / `Name value`
/// convention (`"skuId-value"`, `"Display Name value"`).
fn is_placeholder_text(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    placeholder_type(s).is_some_and(|_| s == s.trim() && (Prim::parse(s).is_some() || s.contains('(')))
        || lower.ends_with("-value")
        || lower.ends_with(" value")
}

fn looks_like_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b't')
        && b[13] == b':'
        && (s.ends_with('Z') || s.ends_with('z') || s.get(19..).is_some_and(|t| t.contains(['+', '-'])))
        && b[..4].iter().all(u8::is_ascii_digit)
}

#[derive(Clone, Debug)]
struct Evidence {
    ty: TypeRef,
    doc: Option<String>,
    span: Span,
    source: Source,
    navigation: bool,
    placeholder: bool,
}

#[derive(Clone, Debug)]
struct MemberEvidence {
    wire: String,
    value: Option<i64>,
    doc: Option<String>,
    span: Span,
    /// 0 = enum table, 1 = "Possible values" prose, 2 = `a | b` in a representation.
    rank: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// Only referenced so far.
    Unknown,
    Struct,
    Enum,
}

#[derive(Clone, Debug)]
struct Builder {
    kind: Kind,
    doc: Option<String>,
    span: Span,
    /// The rank of the definition that set `span` (lower is better).
    def_rank: u8,
    base: Option<(String, Span)>,
    open: bool,
    is_abstract: bool,
    /// The annotation's `keyProperty`.
    key: Option<String>,
    props: Vec<(String, Vec<Evidence>)>,
    members: Vec<MemberEvidence>,
    area: Option<String>,
    /// Resource or enum definitions, to report duplicates.
    definitions: Vec<Span>,
    /// The source that defines the type's property list (its resource page's
    /// table, or the request-body table of an ad-hoc body), if any: properties
    /// that only lower-precedence sources show are reported.
    defined_by: Option<Source>,
    /// A property or request-body table lists the type's properties: properties
    /// that only examples show are then no fields.
    has_table: bool,
    /// Spelling key ([`spelling_key`]) -> indices in `props` (linear searches made a
    /// 20,000-row table or example quadratic).
    index: HashMap<String, Vec<usize>>,
}

impl Builder {
    fn position(&self, wire: &str) -> Option<usize> {
        self.index.get(&spelling_key(wire))?.iter().copied().find(|&i| self.props[i].0 == wire)
    }

    fn evidence(&mut self, wire: &str) -> &mut Vec<Evidence> {
        let i = match self.position(wire) {
            Some(i) => i,
            None => {
                self.index.entry(spelling_key(wire)).or_default().push(self.props.len());
                self.props.push((wire.to_string(), Vec::new()));
                self.props.len() - 1
            }
        };
        &mut self.props[i].1
    }

    /// The best evidence about the property `wire`, in any of its spellings.
    fn best(&self, wire: &str) -> Option<&Evidence> {
        self.index.get(&spelling_key(wire))?.iter().flat_map(|&i| &self.props[i].1).min_by(|a, b| a.source.cmp(&b.source).then_with(|| a.span.cmp(&b.span)))
    }
}

/// A type cell that is a link followed by `collection` and then more words
/// (`[x](x.md) collection. Holds ...`): a collection of the linked type.
fn link_then_collection(cell: &Text) -> bool {
    let Some(link) = cell.links.first() else { return false };
    let text = cell.text.trim();
    text.starts_with(link.text.as_str()) && text[link.text.len()..].trim_start().to_ascii_lowercase().starts_with("collection")
}

/// `ty` with its element type replaced (`String collection` -> `E collection`).
fn retype(ty: &TypeRef, element: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Collection(inner) => TypeRef::Collection(Box::new(retype(inner, element))),
        _ => element,
    }
}

/// The canonical spelling of a registered name.
fn b_name(lower: &BTreeMap<String, String>, name: &str) -> String {
    lower.get(&name.to_ascii_lowercase()).cloned().unwrap_or_else(|| name.to_string())
}

/// Split a full name into (namespace, simple name).
pub fn split_name(full: &str) -> (&str, &str) {
    match full.rfind('.') {
        Some(i) => (&full[..i], &full[i + 1..]),
        None => (DEFAULT_NAMESPACE, full),
    }
}

struct Inferrer<'a> {
    corrections: &'a Corrections,
    diags: Vec<Diagnostic>,
    types: BTreeMap<String, Builder>,
    /// lower-cased full name -> canonical full name
    lower: BTreeMap<String, String>,
    used_corrections: BTreeSet<usize>,
    /// Type -> the types derived from it (directly or not), sorted; built before
    /// examples are read, to match an example object to the type its shape shows.
    derived: HashMap<String, Vec<String>>,
    /// Enums made from a description's value list, and the spellings examples give
    /// their members (lower-cased member -> the first example's spelling): the
    /// examples show the wire, the description is prose.
    value_lists: BTreeMap<String, BTreeMap<String, String>>,
}

/// Infer the API model from parsed pages. Pages must be sorted by path (the
/// caller does this) so that the result does not depend on file order on disk.
pub fn infer(pages: &[Page], corrections: &Corrections, diags: &mut Vec<Diagnostic>) -> Api {
    let mut inf = Inferrer {
        corrections,
        diags: Vec::new(),
        types: BTreeMap::new(),
        lower: BTreeMap::new(),
        used_corrections: BTreeSet::new(),
        derived: HashMap::new(),
        value_lists: BTreeMap::new(),
    };
    let kinds: Vec<PageKind> = pages.iter().map(classify).collect();
    dangling_links(pages, &mut inf.diags);

    // Pass 1: definitions (enums, then resources), so references resolve.
    for page in pages {
        inf.enum_tables(page);
    }
    for (page, kind) in pages.iter().zip(&kinds) {
        if *kind == PageKind::Resource {
            inf.resource_definition(page);
        }
    }
    // Pass 2: resource properties (tables, then JSON representations).
    for (page, kind) in pages.iter().zip(&kinds) {
        if *kind == PageKind::Resource {
            inf.resource_properties(page);
        }
    }
    // Pass 3: operations (request tables and examples).
    inf.derived = inf.derived_index();
    let mut operations = Vec::new();
    for (page, kind) in pages.iter().zip(&kinds) {
        match kind {
            PageKind::Api => operations.extend(inf.operation(page)),
            // (An empty page is reported as such when it is parsed.)
            PageKind::Other if !page.blocks.is_empty() && !inf.types.values().any(|b| b.definitions.iter().any(|d| d.file == page.path)) => inf.diags.push(
                Diagnostic::new(Code::PageSkipped, page.start(), "page is not a resource, API or enum page (by its doc_type, annotations or headings); nothing is generated from it")
                    .hint("set doc_type in the front matter if the page should generate something"),
            ),
            PageKind::Other | PageKind::Resource | PageKind::Enum => {}
        }
    }
    for (i, c) in corrections.items.iter().enumerate() {
        if !inf.used_corrections.contains(&i) {
            inf.diags.push(
                Diagnostic::new(Code::CorrectionUnused, c.span.clone(), format!("correction for {} matches nothing", c.page))
                    .hint("the page may have been fixed; remove the correction"),
            );
        }
    }
    let api = inf.finish(operations);
    diags.append(&mut inf.diags);
    api
}

/// Relative links to `.md` pages that are not in the docs set. Site-absolute
/// (`/concepts/...`) and external links point outside the docs, and DocFX include
/// directives pull in snippets, so those are not checked; names compare
/// case-insensitively, as the docs site serves them.
fn dangling_links(pages: &[Page], diags: &mut Vec<Diagnostic>) {
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
                if dest.is_empty() || dest.starts_with('/') || dest.contains("://") || dest.starts_with("mailto:") || !dest.to_ascii_lowercase().ends_with(".md") {
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
                        Diagnostic::new(Code::DanglingLink, span.clone(), format!("link [{}]({}) points to {target}, which is not in the docs", link.text, link.dest))
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PageKind {
    Resource,
    Api,
    Enum,
    Other,
}

fn classify(page: &Page) -> PageKind {
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
fn section_blocks<'p>(page: &'p Page, name: &str) -> impl Iterator<Item = &'p Block> {
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

fn first_table<'p>(mut blocks: impl Iterator<Item = &'p Block>) -> Option<&'p Table> {
    blocks.find_map(|b| if let Block::Table(t) = b { Some(t) } else { None })
}

fn clean_cell(s: &str) -> String {
    s.trim().trim_matches(|c| c == '`' || c == '*').trim().to_string()
}

/// A property name as a table cell spells it: emphasised (`**album**`, `_album_`),
/// in code (`` `album` ``), as a link (`[album](#album)`: the cell text is the link
/// text), with spaces around it, a `[]` suffix, or a note in parentheses
/// (`album (deprecated)`). `None` when the cell holds no single name.
fn property_name(cell: &str) -> Option<String> {
    let markup = |c: char| c == '*' || c == '`' || c.is_whitespace();
    let mut t = cell.trim_matches(markup);
    while let Some(inner) = t.strip_prefix('_').and_then(|r| r.strip_suffix('_')) {
        t = inner.trim_matches(markup);
    }
    if let Some((name, note)) = t.split_once(" (") {
        if note.trim_end().ends_with(')') {
            t = name.trim_matches(markup);
        }
    }
    let t = t.strip_suffix("[]").unwrap_or(t).trim_matches(markup);
    (!t.is_empty() && !t.contains(char::is_whitespace)).then(|| t.to_string())
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// A link that markdown did not read as one: `[text](dest` with no closing `)`
/// (a `|` in the target splits a table cell there). (link text, target)
fn broken_link(text: &str) -> Option<(String, String)> {
    let open = text.find('[')?;
    let close = open + text[open..].find("](")?;
    let ltext = text[open + 1..close].to_string();
    let rest = &text[close + 2..];
    let dest = rest.split([')', '|', ' ']).next().unwrap_or("").to_string();
    Some((ltext, dest))
}

/// A value per line: `name`, or `name` followed by ` - meaning`, `: meaning`,
/// `(meaning)` or `=0`, up to the first line that is not one.
fn value_lines(text: &str) -> (Vec<String>, bool) {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim().trim_start_matches(['-', '*']).trim();
        let end = line.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(line.len());
        let (name, after) = line.split_at(end);
        let after = after.trim_start();
        let note = after.is_empty() || after.starts_with(['-', ':', '(', '=', '\u{2013}', '\u{2014}']) || after == ".";
        if name.is_empty() || !note {
            return (out, false);
        }
        if !out.iter().any(|v: &String| v == name) {
            out.push(name.to_string());
        }
    }
    (out, true)
}

/// Phrases that introduce a list of values in a description, lower-cased. After a
/// strong one, the names up to the first item that is not a name are values; a weak
/// one also starts ordinary sentences, so its list must be two or more names and
/// nothing else up to the end of the sentence.
const VALUE_LIST_STRONG: &[&str] = &[
    "possible values are",
    "possible values include",
    "possible values",
    "possible value are",
    "possible value is",
    "valid values are",
    "valid values include",
    "supported values are",
    "supported values include",
    "allowed values are",
    "the values are",
    "values are",
    "values can be",
    "value can be",
    "the following values",
];
const VALUE_LIST_WEAK: &[&str] = &["can be one of", "must be one of", "is one of", "one of", "can be", "either", ":"];

/// Members a description lists: "Possible values are: `a`, `b`, `c`.", "The
/// possible values are a, b and c", "Valid values are a or b", "One of `a`, `b`",
/// "Either `a` or `b`", "values are: a=0, b=1", with the values in code or not,
/// notes in parentheses dropped. The first phrase that yields values wins.
/// (Code spans reach here as plain text: the parser keeps their text only.)
fn possible_values(desc: &str) -> Vec<String> {
    let lower = desc.to_ascii_lowercase();
    for (phrases, strong) in [(VALUE_LIST_STRONG, true), (VALUE_LIST_WEAK, false)] {
        let mut hits: Vec<(usize, usize)> = phrases
            .iter()
            .flat_map(|p| lower.match_indices(p).map(move |(i, _)| (i, p.len())))
            // A phrase starts a word (`:` needs no word before it to end).
            .filter(|&(i, len)| !lower[i..i + len].starts_with(|c: char| c.is_alphanumeric()) || !lower[..i].ends_with(|c: char| c.is_alphanumeric()))
            // A colon introduces values when a space follows it, and not after "for example".
            .filter(|&(i, len)| &lower[i..i + len] != ":" || lower[i + 1..].starts_with(' ') && !["example", "examples", "e.g", "such as", "like"].iter().any(|w| lower[..i].trim_end().ends_with(w)))
            .collect();
        // At one position the longest phrase first ("possible values are", not "possible values").
        hits.sort_by_key(|&(i, len)| (i, std::cmp::Reverse(len)));
        for (i, len) in hits {
            let (vals, whole) = values_after(&desc[i + len..]);
            if strong && !vals.is_empty() || whole && vals.len() >= 2 {
                return vals;
            }
        }
    }
    Vec::new()
}

/// The values listed at the start of `rest` (after the phrase), up to the end of the
/// sentence, and whether the whole list was names. A list that starts on a new line
/// has a value per line (`<br>`-separated in a table cell).
fn values_after(rest: &str) -> (Vec<String>, bool) {
    if let Some(lines) = rest.trim_start_matches([' ', ':']).strip_prefix('\n') {
        return value_lines(lines);
    }
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(':').or_else(|| rest.strip_prefix("the following:")).or_else(|| rest.strip_prefix("the following values:")).unwrap_or(rest);
    // Notes in parentheses go first: they hold commas of their own.
    let mut list = String::new();
    let mut depth = 0usize;
    let mut code = false;
    let mut prev = ' ';
    for c in rest.chars() {
        match c {
            '`' => code = !code,
            '(' if !code => depth += 1,
            ')' if !code && depth > 0 => {
                depth -= 1;
                continue;
            }
            // The end of the sentence.
            '.' if !code && depth == 0 && !prev.is_ascii_digit() => break,
            '\n' | '<' if !code && depth == 0 => break,
            _ => {}
        }
        if depth == 0 {
            list.push(c);
        }
        prev = c;
    }
    let mut out = Vec::new();
    for item in list.split([',', ';']).flat_map(|s| s.split(" or ")).flat_map(|s| s.split(" and ")) {
        let item = item.trim();
        let item = item.strip_prefix("or ").or_else(|| item.strip_prefix("and ")).unwrap_or(item).trim();
        if item.is_empty() {
            continue;
        }
        let v = item.trim_matches(|c| matches!(c, '`' | '\'' | '"' | '*' | '.' | ':'));
        // `name=0`, `name (0)`, `name - meaning`: the name.
        let v = v.split(['=', ' ']).next().unwrap_or("").trim();
        let whole = item.trim_matches(|c| matches!(c, '`' | '\'' | '"' | '*' | '.' | ':')).split('=').next().unwrap_or("").trim();
        if v.is_empty() || v != whole && !whole.starts_with(&format!("{v} -")) || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            // A list item that is not one name ends the list (prose after it).
            return (out, false);
        }
        if !out.contains(&v.to_string()) {
            out.push(v.to_string());
        }
    }
    (out, true)
}

impl<'a> Inferrer<'a> {
    fn resolve_name(&self, raw: &str, ns: Option<&str>) -> String {
        let raw = raw.trim().trim_start_matches('#');
        // The namespace loses its `#` too, so that resolving a resolved name gives it back
        // (`Namespace: #m` made a resource page's type unfindable, and inference panicked).
        let ns = ns.map(|n| n.trim().trim_start_matches('#'));
        let full = if raw.contains('.') { raw.to_string() } else { format!("{}.{}", ns.unwrap_or(DEFAULT_NAMESPACE), raw) };
        match self.lower.get(&full.to_ascii_lowercase()) {
            Some(c) => c.clone(),
            None => {
                // A simple name may live in the default namespace.
                if !raw.contains('.') {
                    let alt = format!("{DEFAULT_NAMESPACE}.{raw}").to_ascii_lowercase();
                    if let Some(c) = self.lower.get(&alt) {
                        return c.clone();
                    }
                }
                full
            }
        }
    }

    /// Register (or find) a type. `rank`: 0 resource/enum page, 1 example, 2 reference.
    fn register(&mut self, full: &str, kind: Kind, span: &Span, rank: u8, area: Option<&str>) -> String {
        let key = full.to_ascii_lowercase();
        if let Some(canon) = self.lower.get(&key).cloned() {
            let b = self.types.get_mut(&canon).expect("indexed");
            if kind > b.kind && (b.kind == Kind::Unknown) {
                b.kind = kind;
            }
            if rank < b.def_rank {
                b.def_rank = rank;
                b.span = span.clone();
                if area.is_some() {
                    b.area = area.map(str::to_string);
                }
            }
            return canon;
        }
        self.lower.insert(key, full.to_string());
        self.types.insert(
            full.to_string(),
            Builder {
                kind,
                doc: None,
                span: span.clone(),
                def_rank: rank,
                base: None,
                open: false,
                is_abstract: false,
                key: None,
                props: Vec::new(),
                members: Vec::new(),
                area: area.map(str::to_string),
                definitions: Vec::new(),
                defined_by: None,
                has_table: false,
                index: HashMap::new(),
            },
        );
        full.to_string()
    }

    /// Parse a type cell: `String`, `String collection`, `[x](x.md)`, `[x](x.md) collection`,
    /// `Collection(microsoft.graph.x)`, `Edm.Int32`.
    fn type_cell(&mut self, cell: &Text, ns: Option<&str>, span: &Span) -> Option<TypeRef> {
        let text = cell.text.trim();
        let lower = text.to_ascii_lowercase();
        // `collection` as a word of its own: `siteCollection` is a type, not a collection.
        let collection_word = lower.strip_suffix("collection").is_some_and(|r| r.is_empty() || r.ends_with(|c: char| !c.is_alphanumeric()));
        let mut collection = collection_word || lower.starts_with("collection(") || link_then_collection(cell);
        let name = if let Some(link) = cell.links.first() {
            self.link_type_name(&link.text, &link.dest, ns)
        } else if let Some((ltext, dest)) = broken_link(text) {
            // `[x](x.md` (a missing `)`, or a `|` in the target that split the cell):
            // the link still names its type; never read the markup as a type name.
            let name = self.link_type_name(&ltext, &dest, ns);
            let readable = !clean_cell(&name).is_empty() && !clean_cell(&name).contains([' ', '[', ']', '(', ')']);
            self.diags.push(
                Diagnostic::new(
                    Code::LinkSyntax,
                    span.clone(),
                    if readable { format!("type cell {text:?} holds a malformed link; read as the type {name}") } else { format!("type cell {text:?} holds a malformed link that names no type") },
                )
                .hint("write the link as [type](type.md), closed by `)` and without `|` in the target"),
            );
            if !readable {
                return None;
            }
            name
        } else if let Some(inner) = lower.strip_prefix("collection(").map(|_| &text["collection(".len()..]) {
            inner.trim_end_matches(')').to_string()
        } else {
            let t = text.trim_end_matches(|c: char| c.is_whitespace());
            let t = if collection { &t[..t.len() - "collection".len()] } else { t };
            t.split(['(', ',']).next().unwrap_or("").trim().to_string()
        };
        let name = clean_cell(&name);
        // "X collection" spelled as "collection of X".
        let name = match name.to_ascii_lowercase().strip_prefix("collection of ") {
            Some(_) => {
                collection = true;
                name["collection of ".len()..].trim().to_string()
            }
            None => name,
        };
        if name.is_empty() || name.contains(' ') && cell.links.is_empty() {
            return None;
        }
        let base = if let Some(p) = Prim::parse(&name) {
            TypeRef::Prim(p)
        } else {
            let full = self.resolve_name(&name, ns);
            let full = self.register(&full, Kind::Unknown, span, 2, None);
            TypeRef::Named(full)
        };
        Some(if collection { TypeRef::Collection(Box::new(base)) } else { base })
    }

    /// The type a link names: its text, or (when the text names no known type, as
    /// in `[tabs](../resources/teamstab.md)`) the page it points to.
    fn link_type_name(&self, text: &str, dest: &str, ns: Option<&str>) -> String {
        let text = clean_cell(text);
        if self.lower.contains_key(&self.resolve_name(&text, ns).to_ascii_lowercase()) || Prim::parse(&text).is_some() {
            return text;
        }
        let stem = dest.split(['#', '?']).next().unwrap_or("").rsplit('/').next().unwrap_or("").trim_end_matches(".md");
        if !stem.is_empty() && !stem.contains("://") && self.lower.contains_key(&self.resolve_name(stem, ns).to_ascii_lowercase()) {
            return self.resolve_name(stem, ns);
        }
        text
    }

    /// Record what a source says about `owner.wire`. The owner is registered
    /// before its properties are read; should a name ever resolve differently
    /// (the docs spell names in many ways), it is registered here rather than
    /// the property being lost.
    fn push_evidence(&mut self, owner: &str, wire: &str, ev: Evidence) {
        let owner = self.register(owner, Kind::Struct, &ev.span, 2, None);
        if let Some(b) = self.types.get_mut(&owner) {
            b.evidence(wire).push(ev);
        }
    }

    fn add_member(&mut self, enum_full: &str, m: MemberEvidence) {
        if let Some(b) = self.types.get_mut(enum_full) {
            b.members.push(m);
        }
    }

    // ---- pass 1: enums ----

    fn enum_tables(&mut self, page: &Page) {
        let ns = page.namespace().map(str::to_string);
        let area = page.meta("ms.prod").map(str::to_string);
        let h1 = page.blocks.iter().find_map(|b| match b {
            Block::Heading { level: 1, text, .. } => Some(text.text.clone()),
            _ => None,
        });
        let mut heading: Option<(String, Span)> = None;
        for b in &page.blocks {
            match b {
                Block::Heading { text, span, .. } => heading = Some((text.text.clone(), span.clone())),
                Block::Table(t) => {
                    let Some(mcol) = t.column(&["member", "members", "name"]) else { continue };
                    if mcol != 0 || t.column(&["type"]).is_some() {
                        continue;
                    }
                    let Some((h, hspan)) = &heading else { continue };
                    let hl = h.to_ascii_lowercase();
                    let name = if let Some(n) = hl.strip_suffix(" values").map(|_| &h[..h.len() - " values".len()]) {
                        n.trim().to_string()
                    } else if hl == "members" || hl == "values" {
                        match h1.as_deref().and_then(|t| {
                            t.to_ascii_lowercase().strip_suffix(" enum type").map(|_| t[..t.len() - " enum type".len()].trim().to_string())
                        }) {
                            Some(n) => n,
                            None => continue,
                        }
                    } else if let Some(n) = hl.strip_suffix(" enum type").map(|_| &h[..h.len() - " enum type".len()]) {
                        n.trim().to_string()
                    } else {
                        continue;
                    };
                    let name = clean_cell(&name);
                    if name.is_empty() || name.contains(' ') {
                        continue;
                    }
                    let full = self.resolve_name(&name, ns.as_deref());
                    let full = self.register(&full, Kind::Enum, hspan, 0, area.as_deref());
                    let vcol = t.column(&["value"]);
                    let dcol = t.column(&["description"]);
                    if let Some(b) = self.types.get_mut(&full) {
                        b.kind = Kind::Enum;
                        b.definitions.push(hspan.clone());
                    }
                    for row in &t.rows {
                        let Some(cell) = row.get(mcol) else { continue };
                        let wire = clean_cell(&cell.text.text);
                        if wire.is_empty() {
                            continue;
                        }
                        let value = vcol.and_then(|c| row.get(c)).and_then(|c| c.text.text.trim().parse::<i64>().ok());
                        let doc = dcol.and_then(|c| row.get(c)).and_then(|c| non_empty(&c.text.text));
                        self.add_member(&full, MemberEvidence { wire, value, doc, span: cell.span.clone(), rank: 0 });
                    }
                }
                _ => {}
            }
        }
    }

    // ---- pass 1b/2: resources ----

    fn resource_annotation<'p>(&self, page: &'p Page) -> Option<&'p CodeBlock> {
        page.blocks.iter().find_map(|b| match b {
            Block::Code(c) if c.annotation.as_ref().and_then(|a| a.block_type()) == Some("resource") => Some(c),
            _ => None,
        })
    }

    fn resource_name(&self, page: &Page) -> Option<(String, Span)> {
        let ns = page.namespace();
        if let Some(c) = self.resource_annotation(page) {
            let a = c.annotation.as_ref().expect("checked");
            if let Some(t) = a.str("@odata.type") {
                return Some((self.resolve_name(t, ns), a.span.clone()));
            }
        }
        page.blocks.iter().find_map(|b| match b {
            Block::Heading { level: 1, text, span } => {
                let t = text.text.trim();
                let l = t.to_ascii_lowercase();
                let n = l.strip_suffix(" resource type").map(|_| &t[..t.len() - " resource type".len()])?;
                let n = n.trim();
                (!n.is_empty() && !n.contains(' ')).then(|| (self.resolve_name(n, ns), span.clone()))
            }
            _ => None,
        })
    }

    fn resource_definition(&mut self, page: &Page) {
        let Some((full, span)) = self.resource_name(page) else {
            self.diags.push(
                Diagnostic::new(Code::PageSkipped, page.start(), "resource page names no type")
                    .hint("add a `# name resource type` heading or a resource annotation with \"@odata.type\""),
            );
            return;
        };
        let area = page.meta("ms.prod").map(str::to_string);
        let canon = self.register(&full, Kind::Struct, &span, 0, area.as_deref());
        let doc = page
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { text, .. } => Some(text.text.as_str()),
                _ => None,
            })
            .find(|t| !t.starts_with("Namespace:") && !t.starts_with('>') && !t.to_ascii_lowercase().starts_with("inherits from"))
            .map(str::to_string)
            .or_else(|| page.meta("description").map(str::to_string));
        // Base type: annotation or prose.
        let ann = self.resource_annotation(page).and_then(|c| c.annotation.clone());
        // `"baseType": ""` (the docs template's default) names no base.
        let ann_base = ann.as_ref().and_then(|a| a.str("baseType").filter(|s| !s.trim().is_empty()).map(|s| (s.to_string(), a.span.clone())));
        // The base is the first link after "inherits from" (or the like) that names a
        // type: not the type itself ("The [x](x.md) resource ... derived from ..."), not
        // an article ("see [Assigning administrator roles](...)").
        let own = split_name(&canon).1.to_string();
        let prose_base = page.blocks.iter().find_map(|b| match b {
            Block::Paragraph { text, span } => {
                let l = text.text.to_ascii_lowercase();
                let at = ["inherits from", "inherited from", "derived from", "derives from"].iter().filter_map(|k| l.find(k)).min()?;
                text.links
                    .iter()
                    .filter(|link| text.text.find(link.text.as_str()).is_none_or(|i| i >= at))
                    .map(|link| self.link_type_name(&link.text, &link.dest, page.namespace()))
                    .find(|name| !name.is_empty() && !name.contains(' ') && !clean_cell(name).eq_ignore_ascii_case(&own) && !split_name(name).1.eq_ignore_ascii_case(&own))
                    .map(|name| (name, span.clone()))
            }
            _ => None,
        });
        // "Inherits from [x](x.md" (a missing `)`): markdown reads no link; the text still names the base.
        let prose_base = prose_base.or_else(|| {
            let (name, span) = page.blocks.iter().find_map(|b| match b {
                Block::Paragraph { text, span } => {
                    let l = text.text.to_ascii_lowercase();
                    let at = ["inherits from", "inherited from", "derived from", "derives from"].iter().filter_map(|k| l.find(k)).min()?;
                    let (ltext, dest) = broken_link(&text.text[at..])?;
                    Some((self.link_type_name(&ltext, &dest, page.namespace()), span.clone()))
                }
                _ => None,
            })?;
            let readable = !name.is_empty() && !name.contains([' ', '[', ']', '(', ')']);
            self.diags.push(
                Diagnostic::new(
                    Code::LinkSyntax,
                    span.clone(),
                    if readable { format!("the base type's link is malformed; read as the type {name}") } else { "the base type's link is malformed and names no type; the type has no base".to_string() },
                )
                .hint("write the link as [type](type.md), closed by `)`"),
            );
            readable.then_some((name, span))
        });
        let ns = page.namespace().map(str::to_string);
        let base = match (ann_base, prose_base) {
            (Some((a, aspan)), Some((p, pspan))) => {
                let af = self.resolve_name(&a, ns.as_deref());
                let pf = self.resolve_name(&p, ns.as_deref());
                if !af.eq_ignore_ascii_case(&pf) {
                    self.diags.push(
                        Diagnostic::new(Code::TypeConflict, aspan.clone(), format!("annotation baseType is {af} but the page says it inherits from {pf}"))
                            .related(pspan, "the page's inheritance statement")
                            .hint("make the baseType annotation and the \"Inherits from\" sentence agree; the annotation is used"),
                    );
                }
                Some((af, aspan))
            }
            (Some((a, s)), None) => Some((self.resolve_name(&a, ns.as_deref()), s)),
            (None, Some((p, s))) => Some((self.resolve_name(&p, ns.as_deref()), s)),
            (None, None) => None,
        };
        let base = base.map(|(b, s)| (self.register(&b, Kind::Unknown, &s, 2, None), s));
        let b = self.types.get_mut(&canon).expect("registered");
        b.kind = Kind::Struct;
        b.defined_by = Some(Source::ResourceTable);
        // Of several pages defining one type, the one named after the type
        // (`user.md` for `user`) is canonical: its area, position and description win.
        let canonical = page.stem().eq_ignore_ascii_case(split_name(&canon).1);
        if canonical && !b.definitions.is_empty() {
            b.area = area.clone();
            b.span = span.clone();
            b.doc = doc.clone();
        }
        b.definitions.push(span);
        if b.doc.is_none() {
            b.doc = doc;
        }
        if base.is_some() {
            b.base = base;
        }
        if let Some(a) = ann {
            b.open |= a.bool("openType") || a.str("openType") == Some("true");
            b.is_abstract |= a.bool("abstract") || a.str("abstract") == Some("true");
            if let Some(k) = a.str("keyProperty") {
                b.key = Some(k.to_string());
            }
        }
    }

    fn resource_properties(&mut self, page: &Page) {
        let Some((full, _)) = self.resource_name(page) else { return };
        let full = self.resolve_name(&full, None);
        let ns = page.namespace().map(str::to_string);
        for (section, nav) in [("properties", false), ("relationships", true)] {
            if let Some(t) = first_table(section_blocks(page, section)) {
                self.property_table(&full, t, ns.as_deref(), Source::ResourceTable, nav);
            }
        }
        if let Some(c) = self.resource_annotation(page) {
            match crate::parse::lenient_json(&c.text) {
                Ok((Value::Object(obj), fixed)) => {
                    if fixed {
                        self.diags.push(Diagnostic::new(Code::JsonLenient, c.span.clone(), "JSON representation needed lenient parsing").hint("remove trailing commas, comments and `...`"));
                    }
                    let mut loc = Locator::new(&c.text, Span::new(&c.span.file, c.first_line, 1));
                    self.representation(&full, &obj, &mut loc, ns.as_deref());
                }
                Ok(_) => {}
                Err(e) => self.diags.push(
                    Diagnostic::new(
                        Code::JsonInvalid,
                        Span::new(&c.span.file, c.first_line + e.line().saturating_sub(1) as u32, e.column().max(1) as u32),
                        format!("JSON representation is not valid JSON: {e}"),
                    )
                    .hint("fix the JSON; the representation is skipped"),
                ),
            }
        }
    }

    /// A Property | Type | Description table describing the properties of `owner`.
    fn property_table(&mut self, owner: &str, t: &Table, ns: Option<&str>, source: Source, navigation: bool) {
        let Some(pcol) = t.column(&["property", "name", "parameter", "relationship"]) else { return };
        let Some(tcol) = t.column(&["type"]) else { return };
        let dcol = t.column(&["description"]);
        let mut listed = false;
        for row in &t.rows {
            let (Some(pc), Some(tc)) = (row.get(pcol), row.get(tcol)) else { continue };
            let Some(wire) = property_name(&pc.text.text) else { continue };
            // `@odata.type` is every struct's `odata_type` field already.
            if wire.eq_ignore_ascii_case("@odata.type") {
                continue;
            }
            let Some(ty) = self.type_cell(&tc.text, ns, &tc.span) else {
                self.diags.push(
                    Diagnostic::new(Code::UntypedValue, tc.span.clone(), format!("cannot read the type {:?} of property {wire}; it is typed as raw JSON", tc.text.text))
                        .hint("write a primitive type name (String, Int32, ...) or a link to the type's page"),
                );
                let doc = dcol.and_then(|c| row.get(c)).and_then(|c| non_empty(&c.text.text));
                self.push_evidence(owner, &wire, Evidence { ty: TypeRef::json(), doc, span: pc.span.clone(), source, navigation, placeholder: false });
                listed = true;
                continue;
            };
            let desc = dcol.and_then(|c| row.get(c)).map(|c| c.text.text.clone()).unwrap_or_default();
            // "Possible values are ..." feeds the enum the property is typed with.
            if let TypeRef::Named(n) = ty.element() {
                let vals = possible_values(&desc);
                if !vals.is_empty() {
                    let n = n.clone();
                    if let Some(b) = self.types.get_mut(&n) {
                        if b.kind == Kind::Unknown {
                            b.kind = Kind::Enum;
                        }
                    }
                    for v in vals {
                        self.add_member(&n, MemberEvidence { wire: v, value: None, doc: None, span: tc.span.clone(), rank: 1 });
                    }
                }
            }
            // A string whose description lists its values is an enum of its own.
            let ty = match self.value_list_enum(owner, &wire, &ty, &possible_values(&desc), &tc.span) {
                Some(e) => e,
                None => ty,
            };
            self.push_evidence(owner, &wire, Evidence { ty, doc: non_empty(&desc), span: pc.span.clone(), source, navigation, placeholder: false });
            listed = true;
        }
        let canon = self.lower.get(&owner.to_ascii_lowercase()).cloned();
        if let Some(b) = canon.and_then(|c| self.types.get_mut(&c)) {
            b.has_table |= listed;
        }
    }

    /// A string property (or string collection) of `owner` whose docs list two or
    /// more values becomes an enum of them (with the catch-all every enum has, so no
    /// other value is lost), named `<owner><Property>` (`attendee` + `status` ->
    /// `attendeeStatus`) in the owner's namespace and area. If that name is an enum
    /// with the same members already (a page defines it, or another property listed
    /// them), it is reused; if it is taken otherwise, the name gets the suffix
    /// `Values`; if that is taken too, the property stays a string. Returns the
    /// property's new type.
    fn value_list_enum(&mut self, owner: &str, wire: &str, ty: &TypeRef, values: &[String], span: &Span) -> Option<TypeRef> {
        if values.len() < 2 || ty.element() != &TypeRef::Prim(Prim::String) {
            return None;
        }
        let (ns, simple) = split_name(owner);
        let (ns, simple) = (ns.to_string(), simple.to_string());
        let area = self.types.get(owner).and_then(|b| b.area.clone());
        let same = |b: &Builder| {
            b.kind == Kind::Enum && b.members.len() == values.len() && b.members.iter().all(|m| values.iter().any(|v| v.eq_ignore_ascii_case(&m.wire)))
        };
        let base = format!("{ns}.{simple}{}", heck::AsUpperCamelCase(wire));
        let mut chosen = None;
        for name in [base.clone(), format!("{base}Values")] {
            match self.lower.get(&name.to_ascii_lowercase()).and_then(|c| self.types.get(c)) {
                Some(b) if same(b) => return Some(retype(ty, TypeRef::Named(b_name(&self.lower, &name)))),
                Some(_) => continue,
                None => {
                    chosen = Some(name);
                    break;
                }
            }
        }
        let full = self.register(&chosen?, Kind::Enum, span, 1, area.as_deref());
        self.value_lists.entry(full.clone()).or_default();
        if let Some(b) = self.types.get_mut(&full) {
            b.doc = Some(format!("The values of `{simple}.{wire}`, as its description lists them."));
        }
        for v in values {
            self.add_member(&full, MemberEvidence { wire: v.clone(), value: None, doc: None, span: span.clone(), rank: 1 });
        }
        Some(retype(ty, TypeRef::Named(full)))
    }

    /// A resource's JSON representation: placeholders name types, `a | b` lists enum members.
    fn representation(&mut self, owner: &str, obj: &serde_json::Map<String, Value>, loc: &mut Locator, ns: Option<&str>) {
        for (k, v) in obj {
            let span = &loc.key(k);
            if is_annotation_key(k) {
                continue;
            }
            let declared = self.types.get(owner).and_then(|b| b.best(k)).map(|e| e.ty.clone());
            let ty = match v {
                Value::String(s) if s.contains(" | ") || s.contains('|') && !s.contains(' ') => {
                    let members: Vec<String> = s.split('|').map(|m| m.trim().to_string()).filter(|m| !m.is_empty()).collect();
                    if let Some(TypeRef::Named(n)) = declared.as_ref().map(TypeRef::element) {
                        let n = n.clone();
                        if let Some(b) = self.types.get_mut(&n) {
                            if b.kind == Kind::Unknown {
                                b.kind = Kind::Enum;
                            }
                        }
                        for m in members {
                            self.add_member(&n, MemberEvidence { wire: m, value: None, doc: None, span: span.clone(), rank: 2 });
                        }
                    }
                    None
                }
                Value::Array(items) => {
                    // Arrays of `a | b` strings list enum members too.
                    if let (Some(Value::String(s)), Some(TypeRef::Named(n))) = (items.first(), declared.as_ref().map(TypeRef::element)) {
                        if s.contains('|') {
                            let n = n.clone();
                            for m in s.split('|').map(str::trim).filter(|m| !m.is_empty()) {
                                self.add_member(&n, MemberEvidence { wire: m.to_string(), value: None, doc: None, span: span.clone(), rank: 2 });
                            }
                        }
                    }
                    self.value_type(v, ns)
                }
                _ => self.value_type(v, ns),
            };
            if let Some(ty) = ty {
                self.push_evidence(owner, k, Evidence { ty, doc: None, span: span.clone(), source: Source::ResourceJson, navigation: false, placeholder: false });
            }
        }
    }

    /// The type a JSON value suggests on its own (placeholders count as types).
    fn value_type(&mut self, v: &Value, ns: Option<&str>) -> Option<TypeRef> {
        match v {
            Value::Null => None,
            Value::Bool(_) => Some(TypeRef::Prim(Prim::Boolean)),
            Value::Number(n) => Some(TypeRef::Prim(if n.is_i64() || n.is_u64() { Prim::Int64 } else { Prim::Double })),
            // `"Collection(microsoft.graph.x)"`, `"Collection(String)"`: a placeholder for a collection.
            Value::String(s) if type_expr(s).1 && !type_expr(s).0.is_empty() && !type_expr(s).0.contains(' ') => {
                let (inner, _) = type_expr(s);
                let inner = match Prim::parse(&inner) {
                    Some(p) => TypeRef::Prim(p),
                    None => TypeRef::Named(self.resolve_name(&inner, ns)),
                };
                Some(TypeRef::Collection(Box::new(inner)))
            }
            Value::String(s) => Some(TypeRef::Prim(if let Some(p) = placeholder_type(s) {
                p
            } else if looks_like_datetime(s) {
                Prim::DateTimeOffset
            } else {
                Prim::String
            })),
            Value::Array(items) => {
                let inner = items.iter().find_map(|i| self.value_type(i, ns))?;
                Some(TypeRef::Collection(Box::new(inner)))
            }
            Value::Object(o) => match o.get("@odata.type").and_then(Value::as_str) {
                Some(t) => {
                    let full = self.resolve_name(t, ns);
                    Some(TypeRef::Named(full))
                }
                None => Some(TypeRef::json()),
            },
        }
    }

    // ---- pass 3: operations ----

    fn operation(&mut self, page: &Page) -> Vec<Operation> {
        let ns = page.namespace().map(str::to_string);
        let area = page.meta("ms.prod").map(str::to_string);
        let title = page.title().unwrap_or(page.stem()).to_string();
        let doc = page.meta("description").map(str::to_string);

        // Declared request lines.
        let mut declared: Vec<(String, String, Span)> = Vec::new();
        for b in section_blocks(page, "http request") {
            if let Block::Code(c) = b {
                for (i, line) in c.text.lines().enumerate() {
                    let at = Span::new(&c.span.file, c.first_line + i as u32, 1);
                    if let Some((m, p)) = http::request_line(line) {
                        declared.push((m, p, at));
                    } else if let Some((m, p)) = http::request_line(&line.replacen(' ', " /", 1)) {
                        // `GET policies/x`: a path without its leading `/`.
                        self.diags.push(
                            Diagnostic::new(Code::HttpBlock, at.clone(), format!("request path {:?} does not start with `/`; read as `{p}`", p.trim_start_matches('/')))
                                .hint("start request paths with `/`"),
                        );
                        declared.push((m, p, at));
                    }
                }
            }
        }
        // Examples.
        let examples = self.examples(page);
        // Corrections.
        let mut correction_note = None;
        for (i, c) in self.corrections.items.iter().enumerate() {
            if c.page != *page.path {
                continue;
            }
            if let Some(req) = &c.http_request {
                if let Some((m, p)) = http::request_line(req) {
                    self.used_corrections.insert(i);
                    let old = declared.first().cloned();
                    let span = old.as_ref().map(|o| o.2.clone()).unwrap_or_else(|| page.start());
                    correction_note = Some((old, c.clone()));
                    if declared.is_empty() {
                        declared.push((m, p, span));
                    } else {
                        declared[0] = (m, p, span);
                    }
                }
            }
        }
        if declared.is_empty() {
            self.diags.push(
                Diagnostic::new(Code::NoHttpRequest, page.start(), "API page has no HTTP request block; no request function is generated")
                    .hint("add a `## HTTP request` section with a ```http block such as `GET /me`"),
            );
            return Vec::new();
        }

        // Check each example request against the declared templates.
        for ex in &examples {
            let Some(req) = &ex.request else { continue };
            let StartLine::Request { method, target } = &req.start else { continue };
            let ex_path = http::url_path(target);
            let matching = declared.iter().find(|(_, p, _)| http::path_matches(p, &ex_path));
            match matching {
                Some((m, _, dspan)) => {
                    if !m.eq_ignore_ascii_case(method) {
                        self.diags.push(
                            Diagnostic::new(Code::MethodMismatch, req.span.clone(), format!("example uses {method} but the HTTP request block says {m}"))
                                .related(dspan.clone(), "declared here")
                                .hint("make the example and the HTTP request block agree"),
                        );
                    }
                    if let Some((Some((om, op, ospan)), c)) = &correction_note {
                        self.diags.push(
                            Diagnostic::new(
                                Code::CorrectionApplied,
                                ospan.clone(),
                                format!("HTTP request block says `{om} {op}`; corrected to `{}` ({})", c.http_request.as_deref().unwrap_or(""), c.reason),
                            )
                            .related(req.span.clone(), format!("the example request sends `{method} {ex_path}`"))
                            .related(c.span.clone(), "correction recorded here"),
                        );
                    }
                }
                None => {
                    let (m, p, dspan) = &declared[0];
                    self.diags.push(
                        Diagnostic::new(Code::PathMismatch, dspan.clone(), format!("HTTP request block says `{m} {p}` but the example request sends `{method} {ex_path}`"))
                            .related(req.span.clone(), "example request")
                            .hint(format!(
                                "fix the page, or record a reviewed correction in {} (\"page\": \"{}\", \"http_request\": \"{method} ...\", \"reason\": \"...\")",
                                crate::corrections::FILE_NAME,
                                page.path
                            )),
                    );
                }
            }
        }

        // Request body.
        let method = declared[0].0.clone();
        let body = self.request_body(page, &examples, ns.as_deref(), area.as_deref(), &method);
        // Response.
        let (success_status, response, location_header) = self.response(page, &examples, ns.as_deref());
        // Example bodies feed the types.
        for ex in &examples {
            if let (Some(req), Some(TypeRef::Named(t))) = (&ex.request, &body) {
                if let Some((v, vspan)) = &req.body {
                    let t = t.clone();
                    let mut loc = Locator::new(&req.body_text, vspan.clone());
                    self.example_value(Some(&t), v, &mut loc, ns.as_deref());
                }
            }
            if let Some(resp) = &ex.response {
                if let Some((v, vspan)) = &resp.body {
                    let ty = ex.response_type.clone();
                    let ty = ty.map(|t| self.resolve_name(&t, ns.as_deref()));
                    let mut loc = Locator::new(&resp.body_text, vspan.clone());
                    if ex.is_collection {
                        if let Some(Value::Array(items)) = v.get("value") {
                            loc.key("value");
                            for item in items {
                                self.example_value(ty.as_deref(), item, &mut loc, ns.as_deref());
                            }
                        }
                    } else if ty.is_some() || v.get("@odata.type").is_some() {
                        self.example_value(ty.as_deref(), v, &mut loc, ns.as_deref());
                    }
                }
            }
        }

        let query_options = query_options(page);
        let headers = request_headers(page);
        let model_examples: Vec<Example> = examples.iter().map(|e| e.to_model()).collect();
        let mut ops = Vec::new();
        for (i, (m, p, span)) in declared.iter().enumerate() {
            let id = if i == 0 { page.stem().to_string() } else { format!("{}-{}", page.stem(), i + 1) };
            ops.push(Operation {
                id,
                title: title.clone(),
                doc: doc.clone(),
                method: m.to_ascii_uppercase(),
                path: http::template_segments(p),
                query_options: query_options.clone(),
                headers: headers.clone(),
                body: if i == 0 || *m == method { body.clone() } else { None },
                success_status,
                response: response.clone(),
                location_header,
                span: span.clone(),
                area: area.clone(),
                examples: if i == 0 { model_examples.clone() } else { Vec::new() },
            });
        }
        ops
    }

    fn examples(&mut self, page: &Page) -> Vec<ParsedExample> {
        let mut out: Vec<ParsedExample> = Vec::new();
        for b in &page.blocks {
            let Block::Code(c) = b else { continue };
            let Some(a) = &c.annotation else { continue };
            let bt = a.block_type().unwrap_or("");
            if bt != "request" && bt != "response" {
                continue;
            }
            if c.lang != "http" && !c.text.trim_start().starts_with("HTTP/") && http::request_line(c.text.lines().next().unwrap_or("")).is_none() {
                // A response given as bare JSON.
                if bt == "response" && (c.lang == "json" || c.text.trim_start().starts_with('{')) {
                    let body = http::parse_body(&c.text, &Span::new(&c.span.file, c.first_line, 1), &mut self.diags);
                    let msg = HttpMessage {
                        start: StartLine::Status { code: 200, reason: String::new() },
                        headers: Vec::new(),
                        body_text: if body.is_some() { c.text.trim_start().to_string() } else { String::new() },
                        body,
                        span: c.span.clone(),
                        implicit_status: true,
                    };
                    attach_response(&mut out, msg, a);
                }
                continue;
            }
            let Some(msg) = http::parse_message(&c.text, &c.span, c.first_line, &mut self.diags) else { continue };
            if bt == "request" {
                out.push(ParsedExample { name: a.str("name").map(str::to_string), request: Some(msg), response: None, response_type: None, is_collection: false });
            } else {
                attach_response(&mut out, msg, a);
            }
        }
        out
    }

    fn request_body(&mut self, page: &Page, examples: &[ParsedExample], ns: Option<&str>, area: Option<&str>, method: &str) -> Option<TypeRef> {
        let section: Vec<&Block> = section_blocks(page, "request body").collect();
        // "supply a JSON representation of/for the [x](...) object"
        let named = section.iter().find_map(|b| match b {
            Block::Paragraph { text, span } if text.text.to_ascii_lowercase().contains("json representation") => {
                text.links.first().map(|l| (self.link_type_name(&l.text, &l.dest, ns), span.clone()))
            }
            _ => None,
        });
        let example_type = examples.iter().filter_map(|e| e.request.as_ref()).find_map(|r| {
            r.body.as_ref().and_then(|(v, s)| v.get("@odata.type").and_then(Value::as_str).map(|t| (t.to_string(), s.clone())))
        });
        let table = first_table(section.iter().copied());
        let has_example_body = examples.iter().any(|e| e.request.as_ref().is_some_and(|r| r.body.is_some()));
        let ty = if let Some((name, span)) = named {
            let full = self.resolve_name(&clean_cell(&name), ns);
            let full = self.register(&full, Kind::Struct, &span, 2, None);
            if let Some((et, espan)) = &example_type {
                let ef = self.resolve_name(et, ns);
                if !ef.eq_ignore_ascii_case(&full) {
                    self.diags.push(
                        Diagnostic::new(Code::TypeConflict, espan.clone(), format!("example request body is a {ef} but the page says the body is a {full}"))
                            .related(span.clone(), "request body described here"),
                    );
                }
            }
            Some(full)
        } else if let Some((et, espan)) = example_type {
            let full = self.resolve_name(&et, ns);
            Some(self.register(&full, Kind::Struct, &espan, 1, None))
        } else if table.is_some() || (has_example_body && matches!(method, "POST" | "PATCH" | "PUT")) {
            // An ad-hoc body: a type of its own, named after the operation.
            let span = table.map(|t| t.span.clone()).unwrap_or_else(|| page.start());
            let name = format!("{}.{}RequestBody", ns.unwrap_or(DEFAULT_NAMESPACE), heck::AsLowerCamelCase(page.stem()));
            let full = self.register(&name, Kind::Struct, &span, 0, area);
            if let Some(b) = self.types.get_mut(&full) {
                b.kind = Kind::Struct;
                b.defined_by = table.map(|_| Source::RequestTable);
                b.doc = Some(format!("The request body of `{}`.", page.stem()));
            }
            Some(full)
        } else {
            None
        };
        if let (Some(t), Some(table)) = (&ty, table) {
            self.property_table(t, table, ns, Source::RequestTable, false);
        }
        ty.map(TypeRef::Named)
    }

    fn response(&mut self, page: &Page, examples: &[ParsedExample], ns: Option<&str>) -> (u16, ResponseBody, bool) {
        let section: Vec<&Block> = section_blocks(page, "response").collect();
        let mut status = None;
        let mut prose_type = None;
        let mut collection = false;
        let mut location = false;
        for b in &section {
            if let Block::Paragraph { text, span } = b {
                let l = text.text.to_ascii_lowercase();
                location |= l.contains("location header") || l.contains("`location`");
                if status.is_none() {
                    status = first_status(&text.text);
                    if status.is_some() {
                        collection = l.contains("collection");
                        prose_type = text
                            .links
                            .iter()
                            .find(|l| !l.dest.starts_with("http") && !l.text.contains(' '))
                            .map(|l| (self.link_type_name(&l.text, &l.dest, ns), span.clone()));
                    }
                }
            }
        }
        // The first example response that is a success.
        let ex = examples.iter().find(|e| e.response.as_ref().is_some_and(|r| matches!(r.start, StartLine::Status { code, .. } if code < 300)));
        let ex_status = ex.and_then(|e| e.response.as_ref()).map(|r| match r.start {
            StartLine::Status { code, .. } => code,
            _ => 200,
        });
        location |= ex.and_then(|e| e.response.as_ref()).is_some_and(|r| r.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("location")));
        let status = match (status, ex_status) {
            (Some(s), _) => s,
            (None, Some(s)) => s,
            (None, None) => {
                self.diags.push(Diagnostic::new(Code::NoResponse, page.start(), "no response status documented; 200 is assumed").hint("say \"returns a `200 OK` response code\" in the Response section"));
                200
            }
        };
        if status == 204 {
            return (status, ResponseBody::None, location);
        }
        let ann_type = ex.and_then(|e| e.response_type.clone().map(|t| (t, e.is_collection)));
        let (name, coll) = match (ann_type, prose_type) {
            (Some((t, c)), _) => (Some(t), c),
            (None, Some((p, _))) => (Some(p), collection),
            (None, None) => (None, false),
        };
        let body = match name {
            Some(n) => {
                let t = match Prim::parse(&n) {
                    Some(p) => TypeRef::Prim(p),
                    None => {
                        let full = self.resolve_name(&n, ns);
                        TypeRef::Named(self.register(&full, Kind::Unknown, &page.start(), 2, None))
                    }
                };
                if coll {
                    ResponseBody::Collection(t)
                } else {
                    ResponseBody::Single(t)
                }
            }
            None => {
                let has_body = ex.and_then(|e| e.response.as_ref()).is_some_and(|r| r.body.is_some());
                if has_body {
                    self.diags.push(Diagnostic::new(Code::BodyTypeUnknown, page.start(), "the response body type is not documented; it is typed as raw JSON").hint("add \"@odata.type\" to the response example's annotation"));
                    ResponseBody::Single(TypeRef::json())
                } else {
                    ResponseBody::None
                }
            }
        };
        (status, body, location)
    }

    /// Type -> the types derived from it, from the base links known so far.
    fn derived_index(&self) -> HashMap<String, Vec<String>> {
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        for (name, b) in &self.types {
            let mut seen = vec![name.as_str()];
            let mut cur = b.base.as_ref().map(|(b, _)| b.as_str());
            while let Some(c) = cur {
                if seen.contains(&c) || seen.len() > 64 {
                    break;
                }
                seen.push(c);
                out.entry(c.to_string()).or_default().push(name.clone());
                cur = self.types.get(c).and_then(|b| b.base.as_ref().map(|(b, _)| b.as_str()));
            }
        }
        out
    }

    /// The type an example object without `@odata.type` shows, given the type `t`
    /// its place declares: of `t` and the types derived from it, those whose tables
    /// (with their bases') declare the most of the object's keys. `t` if it is one
    /// of them; else the one of them that the others derive from (a group shown
    /// where a directoryObject is declared); else (the shape is ambiguous) `t`.
    fn by_shape(&self, t: &str, obj: &serde_json::Map<String, Value>) -> String {
        let Some(ds) = self.derived.get(t) else { return t.to_string() };
        let keys: Vec<&String> = obj.keys().filter(|k| !is_annotation_key(k)).collect();
        let score = |c: &str| keys.iter().filter(|k| self.declared_type(c, k).is_some()).count();
        let own = score(t);
        if own == keys.len() {
            return t.to_string();
        }
        let mut best = own;
        let mut winners: Vec<&String> = Vec::new();
        for d in ds {
            let s = score(d);
            if s > best {
                best = s;
                winners.clear();
            }
            if s == best && s > own {
                winners.push(d);
            }
        }
        winners.iter().find(|w| winners.iter().all(|o| self.is_sub(o, w))).map_or_else(|| t.to_string(), |w| w.to_string())
    }

    /// Walk an example value of a known type and record what it shows.
    fn example_value(&mut self, ty: Option<&str>, v: &Value, loc: &mut Locator, ns: Option<&str>) {
        self.example_value_depth(ty, v, loc, ns, 0)
    }

    fn example_value_depth(&mut self, ty: Option<&str>, v: &Value, loc: &mut Locator, ns: Option<&str>, depth: usize) {
        if depth > 64 {
            return;
        }
        let Value::Object(obj) = v else { return };
        let odata = obj.get("@odata.type").and_then(Value::as_str).map(|t| self.resolve_name(t, ns));
        let owner = match (odata, ty) {
            (Some(o), _) => {
                let span = loc.key("@odata.type");
                self.register(&o, Kind::Struct, &span, 1, None)
            }
            (None, Some(t)) => self.by_shape(t, obj),
            (None, None) => return,
        };
        let Some(b) = self.types.get_mut(&owner) else { return };
        if b.kind == Kind::Unknown {
            b.kind = Kind::Struct;
        }
        if b.kind == Kind::Enum {
            return;
        }
        for (k, child) in obj {
            if is_annotation_key(k) {
                if k != "@odata.type" {
                    loc.key(k);
                }
                continue;
            }
            let span = loc.key(k);
            // A key spelled differently from a better-sourced property (`printerId` for
            // `printerID`) is that property: its evidence is kept under this spelling,
            // and the merge makes the spellings one field (see `merge_props`).
            let declared = self.declared_type(&owner, k);
            let child_ty = declared.as_ref().and_then(|d| match d.element() {
                TypeRef::Named(n) => Some(n.clone()),
                _ => None,
            });
            match child {
                Value::Object(_) => self.example_value_depth(child_ty.as_deref(), child, loc, ns, depth + 1),
                Value::Array(items) => {
                    for it in items {
                        self.example_value_depth(child_ty.as_deref(), it, loc, ns, depth + 1);
                    }
                }
                _ => {}
            }
            if let Some(TypeRef::Named(e)) = declared.as_ref().map(TypeRef::element) {
                if self.kind_of(e) == Kind::Enum {
                    let e = e.clone();
                    self.check_enum_value(&e, &owner, k, child, &span);
                }
            }
            // An object where a declared enum or primitive belongs (`"userRole": {}`).
            if let (Value::Object(_), Some(d)) = (child, declared.as_ref()) {
                let scalar = match d {
                    TypeRef::Prim(p) => !matches!(p, Prim::Json),
                    TypeRef::Named(n) => self.kind_of(n) == Kind::Enum,
                    TypeRef::Collection(_) => true,
                };
                if scalar {
                    let decl = self.types.get(&owner).and_then(|b| b.best(k)).map(|e| e.span.clone());
                    let mut diag = Diagnostic::new(Code::TypeConflict, span.clone(), format!("example gives {owner}.{k} an object, but it is declared as {}", d.describe()))
                        .hint("give a value of the declared type");
                    if let Some(decl) = decl {
                        diag = diag.related(decl, "declared here");
                    }
                    self.diags.push(diag);
                }
            }
            let mut shown = self.value_type(child, ns);
            let placeholder = matches!(child, Value::String(s) if is_placeholder_text(s));
            // An object without @odata.type in a property whose type is known shows that type.
            if let (Some(TypeRef::Prim(Prim::Json)), Some(d)) = (shown.as_ref().map(TypeRef::element), declared.as_ref()) {
                if matches!(d.element(), TypeRef::Named(_)) {
                    shown = Some(d.clone());
                }
            }
            if let Some(shown) = shown {
                self.push_evidence(&owner, k, Evidence { ty: shown, doc: None, span: span.clone(), source: Source::Example, navigation: false, placeholder });
            }
        }
    }

    /// An example value of an enum-typed property must be a member, spelled as the
    /// enum spells it. Placeholders are reported elsewhere (`placeholder-value`).
    fn check_enum_value(&mut self, enum_full: &str, owner: &str, prop: &str, v: &Value, span: &Span) {
        let values: Vec<&str> = match v {
            Value::String(s) => s.split(',').map(str::trim).collect(),
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => return,
        };
        let Some(b) = self.types.get(enum_full) else { return };
        let mut found = Vec::new();
        for value in values {
            if value.is_empty() || is_placeholder_text(value) {
                continue;
            }
            if b.members.iter().any(|m| m.wire == value) {
                continue;
            }
            match b.members.iter().find(|m| m.wire.eq_ignore_ascii_case(value)) {
                Some(m) if self.value_lists.contains_key(enum_full) => {
                    let spellings = self.value_lists.entry(enum_full.to_string()).or_default();
                    let wire = spellings.entry(value.to_ascii_lowercase()).or_insert_with(|| value.to_string()).clone();
                    found.push(
                        Diagnostic::new(Code::EnumValueCase, span.clone(), format!("example gives {owner}.{prop} the value {value:?}; the description lists it as {:?}; {wire:?} is serialized, the other spellings are accepted", m.wire))
                            .related(m.span.clone(), "the description's list")
                            .hint("spell the values in descriptions as the service sends them"),
                    )
                }
                Some(m) => found.push(
                    Diagnostic::new(Code::EnumValueCase, span.clone(), format!("example gives {owner}.{prop} the value {value:?}; the enum spells it {:?}", m.wire))
                        .related(m.span.clone(), "the member is defined here")
                        .hint("spell enum values as the enum does (parsing is case-insensitive, serializing is not)"),
                ),
                None => found.push(
                    Diagnostic::new(Code::EnumValueUnknown, span.clone(), format!("example gives {owner}.{prop} the value {value:?}, which is not a member of enum {enum_full}"))
                        .related(b.span.clone(), "the enum is defined here")
                        .hint("use a member, or add the value to the enum's table"),
                ),
            }
        }
        self.diags.extend(found);
    }

    fn declared_type(&self, owner: &str, prop: &str) -> Option<TypeRef> {
        let mut cur = Some(owner.to_string());
        let mut n = 0;
        while let Some(o) = cur {
            n += 1;
            if n > 64 {
                break;
            }
            let b = self.types.get(&o)?;
            if let Some(e) = b.best(prop) {
                if e.source < Source::Example {
                    return Some(e.ty.clone());
                }
            }
            cur = b.base.as_ref().map(|(b, _)| b.clone());
        }
        None
    }

    // ---- merge ----

    fn kind_of(&self, name: &str) -> Kind {
        self.types.get(name).map_or(Kind::Unknown, |b| b.kind)
    }

    fn is_sub(&self, child: &str, ancestor: &str) -> bool {
        let mut cur = Some(child.to_string());
        let mut n = 0;
        while let Some(c) = cur {
            if c == ancestor {
                return true;
            }
            n += 1;
            if n > 64 {
                return false;
            }
            cur = self.types.get(&c).and_then(|b| b.base.as_ref().map(|(b, _)| b.clone()));
        }
        false
    }

    fn compatible(&self, winner: &TypeRef, other: &TypeRef) -> bool {
        match (winner, other) {
            (a, b) if a == b => true,
            (TypeRef::Prim(Prim::Json), _) | (_, TypeRef::Prim(Prim::Json)) => true,
            (TypeRef::Prim(a), TypeRef::Prim(b)) => (a.is_numeric() && b.is_numeric()) || (a.is_stringly() && b.is_stringly()),
            (TypeRef::Named(n), TypeRef::Prim(p)) | (TypeRef::Prim(p), TypeRef::Named(n)) => match self.kind_of(n) {
                Kind::Enum => p.is_stringly(),
                Kind::Unknown => true,
                Kind::Struct => false,
            },
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                self.is_sub(a, b) || self.is_sub(b, a) || self.kind_of(a) == Kind::Unknown || self.kind_of(b) == Kind::Unknown
            }
            (TypeRef::Collection(a), TypeRef::Collection(b)) => self.compatible(a, b),
            _ => false,
        }
    }

    fn finish(&mut self, mut operations: Vec<Operation>) -> Api {
        let mut api = Api::default();
        // Bases must exist and be acyclic.
        let names: Vec<String> = self.types.keys().cloned().collect();
        for name in &names {
            let b = &self.types[name];
            if let Some((base, span)) = b.base.clone() {
                if self.kind_of(&base) != Kind::Struct {
                    self.diags.push(
                        Diagnostic::new(Code::UnknownBaseType, span, format!("{name} inherits from {base}, which no page defines; the base is ignored"))
                            .hint("add a resource page for the base type or fix the name"),
                    );
                    if let Some(t) = self.types.get_mut(name) {
                        t.base = None;
                    }
                    continue;
                }
                // A cycle is broken at one edge: the base link of the cycle member whose
                // full name sorts first. (Types that only lead into a cycle keep theirs.)
                let mut cur = Some(base.clone());
                let mut seen = vec![name.clone()];
                while let Some(c) = cur {
                    if let Some(at) = seen.iter().position(|s| *s == c) {
                        let cycle = seen[at..].to_vec();
                        let Some(first) = cycle.iter().min().cloned() else { break };
                        let Some((_, first_span)) = self.types.get(&first).and_then(|b| b.base.clone()) else { break };
                        let mut d = Diagnostic::new(
                            Code::InheritanceCycle,
                            first_span,
                            format!("base types form a cycle: {} -> {c}; {first} is read without its base", cycle.join(" -> ")),
                        );
                        for m in cycle.iter().filter(|m| **m != first) {
                            if let Some((_, mspan)) = self.types.get(m).and_then(|b| b.base.clone()) {
                                d = d.related(mspan, format!("{m} names its base here"));
                            }
                        }
                        self.diags.push(d.hint("one of the baseType annotations or \"Inherits from\" sentences is wrong"));
                        if let Some(t) = self.types.get_mut(&first) {
                            t.base = None;
                        }
                        break;
                    }
                    seen.push(c.clone());
                    cur = self.types.get(&c).and_then(|b| b.base.as_ref().map(|(b, _)| b.clone()));
                }
            }
        }
        for name in &names {
            let b = self.types[name].clone();
            if b.definitions.len() > 1 {
                let mut d = Diagnostic::new(Code::DuplicateDefinition, b.definitions[1].clone(), format!("{name} is defined more than once; the definitions are merged"));
                d = d.related(b.definitions[0].clone(), "first definition");
                self.diags.push(d.hint("keep one definition of the type"));
            }
            let (ns, simple) = split_name(name);
            let kind = match b.kind {
                Kind::Enum => {
                    let (mut members, flags) = self.merge_members(name, &b.members);
                    self.wire_spellings(name, &mut members);
                    if members.is_empty() {
                        self.diags.push(Diagnostic::new(Code::EnumConflict, b.span.clone(), format!("enum {name} has no members")).hint("list the members in a table"));
                    }
                    TypeKind::Enum { members, flags }
                }
                Kind::Struct => TypeKind::Struct {
                    properties: self.merge_props(name, &b),
                    base: b.base.as_ref().map(|(b, _)| b.clone()),
                    open: b.open,
                    is_abstract: b.is_abstract,
                    key: b.key.clone(),
                },
                Kind::Unknown => continue,
            };
            api.types.insert(
                name.clone(),
                TypeDef {
                    full_name: name.clone(),
                    namespace: ns.to_string(),
                    name: simple.to_string(),
                    doc: b.doc.clone(),
                    span: b.span.clone(),
                    kind,
                    area: b.area.clone(),
                },
            );
        }
        self.unify_inherited_spellings(&mut api);
        // References to types nobody defined become raw JSON, with a warning.
        let known: BTreeSet<String> = api.types.keys().cloned().collect();
        let fix = |t: &mut TypeRef, diags: &mut Vec<Diagnostic>, at: &Span| {
            fn walk(t: &mut TypeRef, known: &BTreeSet<String>, diags: &mut Vec<Diagnostic>, at: &Span) {
                match t {
                    TypeRef::Collection(inner) => walk(inner, known, diags, at),
                    TypeRef::Named(n) if !known.contains(n.as_str()) => {
                        diags.push(
                            Diagnostic::new(Code::UnresolvedType, at.clone(), format!("type {n} is referenced but no page defines it; typed as raw JSON"))
                                .hint("add a resource or enum page for it, or fix the type name"),
                        );
                        *t = TypeRef::json();
                    }
                    _ => {}
                }
            }
            walk(t, &known, diags, at)
        };
        for t in api.types.values_mut() {
            if let TypeKind::Struct { properties, .. } = &mut t.kind {
                for p in properties {
                    fix(&mut p.ty, &mut self.diags, &p.span);
                }
            }
        }
        for op in &mut operations {
            if let Some(b) = &mut op.body {
                fix(b, &mut self.diags, &op.span);
            }
            match &mut op.response {
                ResponseBody::Single(t) | ResponseBody::Collection(t) => fix(t, &mut self.diags, &op.span),
                ResponseBody::None => {}
            }
        }
        operations.sort_by(|a, b| a.id.cmp(&b.id));
        api.operations = operations;
        api
    }

    /// One property per spelling key: the spellings the sources show of one property
    /// (`printerId` / `printerID`, `rank ` / `rank`) are one field, serialized with
    /// the spelling of the best source (then the first position) and accepting the
    /// others. Fields come from authority: a property that only examples show is no
    /// field of an open type, of a type whose own table lists its properties, or of
    /// a type that inherits it; its data stays in `additional_properties`.
    fn merge_props(&mut self, owner: &str, b: &Builder) -> Vec<Property> {
        let mut out = Vec::new();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut group_of: HashMap<String, usize> = HashMap::new();
        for (i, (wire, _)) in b.props.iter().enumerate() {
            let g = *group_of.entry(spelling_key(wire)).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
        }
        let rank = |i: usize| b.props[i].1.iter().map(|e| (e.source, e.span.clone())).min();
        for mut group in groups {
            group.sort_by_key(|&i| rank(i));
            let wire = &b.props[group[0]].0;
            let mut sorted: Vec<&Evidence> = group.iter().flat_map(|&i| &b.props[i].1).collect();
            if sorted.is_empty() {
                continue;
            }
            sorted.sort_by(|a, b| a.source.cmp(&b.source).then_with(|| a.span.cmp(&b.span)));
            let best = sorted[0];
            let inherited = self.inherited_has(owner, wire);
            // The resource annotation's keyProperty is declared, even if no table lists it.
            let keyed = b.key.as_deref().is_some_and(|k| spelling_key(k) == spelling_key(wire));
            // The representation of an open type without a property table shows sample
            // dynamic properties (fieldValueSet's list columns), not declared ones.
            let sample = best.source == Source::Example || (b.open && !b.has_table && best.source == Source::ResourceJson);
            if sample && !keyed && (b.open || b.has_table || inherited) {
                // Open types carry any property; a listed one is only reported.
                if b.has_table && !b.open && !inherited {
                    self.diags.push(
                        Diagnostic::new(
                            Code::UnknownProperty,
                            best.span.clone(),
                            format!("property {wire} of {owner} appears in a {} but in no property table; it is no field (its data is kept in additional_properties)", best.source.describe()),
                        )
                        .related(b.span.clone(), "the type is defined here")
                        .hint(format!("add {wire} to the property table of {owner}, or remove it from the example")),
                    );
                }
                continue;
            }
            // A derived type's representation repeating an inherited property that a base
            // type's table types: the base's declaration stands (a JSON number is no
            // evidence against `Int32` or `Double`).
            if best.source == Source::ResourceJson && self.inherited_from_table(owner, wire) {
                continue;
            }
            // Unknown property: shown by lower sources only, on a type that has a page.
            if !b.open && b.defined_by.is_some_and(|d| best.source > d) && !inherited {
                let mut d = Diagnostic::new(
                    Code::UnknownProperty,
                    best.span.clone(),
                    format!("property {wire} of {owner} appears in a {} but in no property table", best.source.describe()),
                )
                .hint(format!("add {wire} to the property table of {owner}, or remove it from the example"));
                d = d.related(b.span.clone(), "the type is defined here");
                self.diags.push(d);
            }
            let mut aliases: Vec<String> = Vec::new();
            for &i in &group[1..] {
                let (other, ev) = &b.props[i];
                let first = ev.iter().min_by(|x, y| x.source.cmp(&y.source).then_with(|| x.span.cmp(&y.span))).expect("evidence");
                let d = if first.source == Source::Example && best.source < Source::Example && other.eq_ignore_ascii_case(wire) {
                    Diagnostic::new(Code::PropertyCase, first.span.clone(), format!("example spells {owner}.{wire} as {other}; it is read into the {wire} field"))
                        .related(best.span.clone(), format!("declared as {wire} here"))
                        .hint("JSON property names are case-sensitive; use the declared spelling")
                } else {
                    Diagnostic::new(
                        Code::PropertySpelling,
                        first.span.clone(),
                        format!("{owner}.{wire} is spelled {other:?} here; one field, serialized as {wire:?}, accepting {other:?} too"),
                    )
                    .related(best.span.clone(), format!("spelled {wire:?} here (the {})", best.source.describe()))
                    .hint("spell the property the same everywhere")
                };
                self.diags.push(d);
                aliases.push(other.clone());
            }
            aliases.sort();
            let doc = sorted.iter().find_map(|e| e.doc.clone());
            let ty = if best.source == Source::Example {
                // Among examples, prefer what is not a bare placeholder and not raw JSON.
                sorted
                    .iter()
                    .filter(|e| e.source == Source::Example)
                    .find(|e| !matches!(e.ty.element(), TypeRef::Prim(Prim::Json)))
                    .map_or(best.ty.clone(), |e| e.ty.clone())
            } else {
                best.ty.clone()
            };
            for other in &sorted[1..] {
                if other.placeholder {
                    // A placeholder where a plain string belongs is a valid string; where
                    // an enum or a typed primitive belongs, it is a defect that would fail
                    // to parse (or parse as an unknown member).
                    let what = match ty.element() {
                        TypeRef::Named(n) if self.kind_of(n) == Kind::Enum => Some(format!("an enum {}", ty.describe())),
                        TypeRef::Prim(p) if !matches!(p, Prim::String | Prim::Stream | Prim::Json) => Some(format!("a {p:?}")),
                        _ => None,
                    };
                    if let Some(what) = what {
                        self.diags.push(
                            Diagnostic::new(Code::PlaceholderValue, other.span.clone(), format!("example gives a placeholder for {owner}.{wire}, which is {what}"))
                                .related(best.span.clone(), format!("{wire} is declared as {} here", ty.describe()))
                                .hint("use a real value of the declared type in examples"),
                        );
                        continue;
                    }
                }
                if !self.compatible(&ty, &other.ty) {
                    self.diags.push(
                        Diagnostic::new(
                            Code::TypeConflict,
                            other.span.clone(),
                            format!("{} shows {owner}.{wire} as {}, but the {} says {}", other.source.describe(), other.ty.describe(), best.source.describe(), ty.describe()),
                        )
                        .related(best.span.clone(), format!("{} is used (from the {})", ty.describe(), best.source.describe()))
                        .hint("make the sources agree; the higher-precedence source wins"),
                    );
                }
            }
            if best.placeholder && sorted.iter().all(|e| e.source == Source::Example) {
                self.diags.push(
                    Diagnostic::new(Code::PlaceholderValue, best.span.clone(), format!("example gives the type placeholder {} for {owner}.{wire} instead of a value", ty.describe()))
                        .hint("use a real value in examples"),
                );
            }
            out.push(Property { wire: wire.clone(), aliases, ty, doc, span: best.span.clone(), source: best.source, navigation: best.navigation });
        }
        out
    }

    /// A derived type's spelling of an inherited property (`UnsubscribeData` where
    /// the base says `unsubscribeData`) is one field with the inherited one: it
    /// takes the base's spelling (the root-most base's, down a chain) and keeps its
    /// own as an alias.
    fn unify_inherited_spellings(&mut self, api: &mut Api) {
        let mut renames: Vec<(String, usize, String, Vec<String>, Span)> = Vec::new();
        for t in api.types.values() {
            let TypeKind::Struct { properties, base: Some(_), .. } = &t.kind else { continue };
            let mut chain: Vec<&str> = Vec::new();
            let mut cur = Some(t.full_name.as_str());
            while let Some(c) = cur {
                if chain.contains(&c) || chain.len() > 64 {
                    break;
                }
                chain.push(c);
                cur = match api.types.get(c).map(|t| &t.kind) {
                    Some(TypeKind::Struct { base, .. }) => base.as_deref(),
                    _ => None,
                };
            }
            let mut inherited: HashMap<String, &Property> = HashMap::new();
            for b in chain[1..].iter().rev() {
                if let Some(TypeKind::Struct { properties, .. }) = api.types.get(*b).map(|t| &t.kind) {
                    for p in properties {
                        inherited.entry(spelling_key(&p.wire)).or_insert(p);
                    }
                }
            }
            for (i, p) in properties.iter().enumerate() {
                if let Some(ip) = inherited.get(&spelling_key(&p.wire)).filter(|ip| ip.wire != p.wire) {
                    renames.push((t.full_name.clone(), i, ip.wire.clone(), ip.aliases.clone(), ip.span.clone()));
                }
            }
        }
        for (owner, i, wire, base_aliases, base_span) in renames {
            let Some(TypeKind::Struct { properties, .. }) = api.types.get_mut(&owner).map(|t| &mut t.kind) else { continue };
            let p = &mut properties[i];
            self.diags.push(
                Diagnostic::new(Code::PropertySpelling, p.span.clone(), format!("{owner} spells its inherited property {wire:?} as {:?}; one field, serialized as {wire:?}, accepting {:?} too", p.wire, p.wire))
                    .related(base_span, format!("the base type spells it {wire:?} here"))
                    .hint("spell the property as the base type does"),
            );
            let mut aliases: BTreeSet<String> = p.aliases.drain(..).chain(base_aliases).collect();
            aliases.insert(std::mem::replace(&mut p.wire, wire));
            aliases.remove(&p.wire);
            p.aliases = aliases.into_iter().collect();
        }
    }

    fn inherited_has(&self, owner: &str, wire: &str) -> bool {
        let mut cur = self.types.get(owner).and_then(|b| b.base.as_ref().map(|(b, _)| b.clone()));
        let mut n = 0;
        while let Some(c) = cur {
            n += 1;
            if n > 64 {
                return false;
            }
            let Some(b) = self.types.get(&c) else { return false };
            if b.best(wire).is_some_and(|e| e.source < Source::Example) {
                return true;
            }
            cur = b.base.as_ref().map(|(b, _)| b.clone());
        }
        false
    }

    /// A value-list enum's members as examples spell them on the wire (the
    /// description's spelling is accepted too).
    fn wire_spellings(&self, name: &str, members: &mut [EnumMember]) {
        let Some(spellings) = self.value_lists.get(name) else { return };
        for m in members {
            if let Some(wire) = spellings.get(&m.wire.to_ascii_lowercase()).filter(|w| **w != m.wire) {
                let old = std::mem::replace(&mut m.wire, wire.clone());
                m.aliases.retain(|a| a != wire);
                if !m.aliases.contains(&old) {
                    m.aliases.push(old);
                    m.aliases.sort();
                }
            }
        }
    }

    /// Whether a base type of `owner` (directly or not) has `wire` in its property table.
    fn inherited_from_table(&self, owner: &str, wire: &str) -> bool {
        let mut cur = self.types.get(owner).and_then(|b| b.base.as_ref().map(|(b, _)| b.clone()));
        for _ in 0..64 {
            let Some(b) = cur.and_then(|c| self.types.get(&c)) else { return false };
            if b.best(wire).is_some_and(|e| e.source == Source::ResourceTable) {
                return true;
            }
            cur = b.base.as_ref().map(|(b, _)| b.clone());
        }
        false
    }

    fn merge_members(&mut self, name: &str, ev: &[MemberEvidence]) -> (Vec<EnumMember>, bool) {
        let mut out: Vec<EnumMember> = Vec::new();
        let mut sorted: Vec<&MemberEvidence> = ev.iter().collect();
        sorted.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.span.cmp(&b.span)));
        let has_table = sorted.first().is_some_and(|m| m.rank == 0);
        // Members spelled alike but for case and separators (`remoteControlSoftware`,
        // `remote_Control_Software`) are one member: the best source's spelling is
        // serialized, the others are accepted.
        let mut keys: Vec<String> = Vec::new();
        for m in sorted {
            let key = spelling_key(&m.wire);
            match keys.iter().position(|k| *k == key) {
                Some(i) => {
                    if out[i].wire != m.wire {
                        let values = match (out[i].value, m.value) {
                            (Some(a), Some(b)) if a != b => format!(" (values {b} and {a}; {a} is kept)"),
                            _ => String::new(),
                        };
                        self.diags.push(
                            Diagnostic::new(Code::EnumConflict, m.span.clone(), format!("enum {name} member spelled {} here but {} elsewhere{values}; one member, serialized as {}, accepting {} too", m.wire, out[i].wire, out[i].wire, m.wire))
                                .related(out[i].span.clone(), "first spelling")
                                .hint("spell enum members the same everywhere"),
                        );
                        if !out[i].aliases.contains(&m.wire) {
                            out[i].aliases.push(m.wire.clone());
                            out[i].aliases.sort();
                        }
                    }
                    if out[i].doc.is_none() {
                        out[i].doc = m.doc.clone();
                    }
                }
                None => {
                    if has_table && m.rank > 0 {
                        self.diags.push(
                            Diagnostic::new(Code::EnumConflict, m.span.clone(), format!("{} lists {} as a member of enum {name}, but the enum's table does not", if m.rank == 1 { "a description" } else { "a JSON representation" }, m.wire))
                                .hint("add the member to the enum table or fix the description"),
                        );
                    }
                    keys.push(key);
                    out.push(EnumMember { wire: m.wire.clone(), aliases: Vec::new(), value: m.value, doc: m.doc.clone(), span: m.span.clone() });
                }
            }
        }
        // Flags: explicit values that are all 0 or distinct powers of two, with at
        // least three non-zero values, including one that is not 1 or 2 apart.
        let vals: Vec<i64> = out.iter().filter_map(|m| m.value).collect();
        let flags = vals.len() == out.len()
            && vals.iter().filter(|v| **v > 0).count() >= 3
            && vals.iter().all(|v| *v == 0 || (*v > 0 && (*v & (*v - 1)) == 0))
            && vals.contains(&4)
            && !vals.contains(&3);
        (out, flags)
    }
}

/// OData control information and instance annotations (`@odata.type`,
/// `odata.type`, `members@odata.bind`, `@microsoft.graph.conflictBehavior`) are
/// not properties.
fn is_annotation_key(k: &str) -> bool {
    k.starts_with('@') || k.starts_with("odata.") || k.contains('@')
}

fn first_status(s: &str) -> Option<u16> {
    let b = s.as_bytes();
    for i in 0..b.len().saturating_sub(2) {
        if b[i].is_ascii_digit()
            && b[i + 1].is_ascii_digit()
            && b[i + 2].is_ascii_digit()
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && b.get(i + 3).is_none_or(|c| !c.is_ascii_alphanumeric())
        {
            let n: u16 = s[i..i + 3].parse().ok()?;
            if (100..600).contains(&n) {
                return Some(n);
            }
        }
    }
    None
}

fn query_options(page: &Page) -> Vec<QueryOption> {
    let mut names = BTreeSet::new();
    let mut generic = false;
    for b in section_blocks(page, "optional query parameters") {
        let text = match b {
            Block::Paragraph { text, .. } => text.text.clone(),
            Block::Table(t) => t.rows.iter().flatten().map(|c| c.text.text.clone()).collect::<Vec<_>>().join(" "),
            _ => continue,
        };
        generic |= text.to_ascii_lowercase().contains("odata query parameters");
        for (i, _) in text.match_indices('$') {
            let word: String = text[i + 1..].chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            if !word.is_empty() {
                names.insert(format!("${}", word.to_ascii_lowercase()));
            }
        }
    }
    if names.is_empty() && generic {
        for n in ["$select", "$expand", "$filter", "$orderby", "$top", "$skip", "$count", "$search"] {
            names.insert(n.to_string());
        }
    }
    names.into_iter().map(|name| QueryOption { name }).collect()
}

fn request_headers(page: &Page) -> Vec<Header> {
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

struct ParsedExample {
    name: Option<String>,
    request: Option<HttpMessage>,
    response: Option<HttpMessage>,
    response_type: Option<String>,
    is_collection: bool,
}

/// `Collection(x)` -> (`x`, true); `x` -> (`x`, false).
fn type_expr(s: &str) -> (String, bool) {
    let t = s.trim();
    match t.strip_prefix("Collection(").or_else(|| t.strip_prefix("collection(")).and_then(|r| r.strip_suffix(')')) {
        Some(inner) => (inner.trim().to_string(), true),
        None => (t.to_string(), false),
    }
}

fn attach_response(out: &mut Vec<ParsedExample>, msg: HttpMessage, a: &crate::parse::Annotation) {
    let (response_type, coll) = match a.str("@odata.type").map(type_expr) {
        Some((t, c)) => (Some(t), c),
        None => (None, false),
    };
    let is_collection = coll || a.bool("isCollection") || a.str("isCollection") == Some("true");
    match out.last_mut() {
        Some(last) if last.response.is_none() => {
            last.response = Some(msg);
            last.response_type = response_type;
            last.is_collection = is_collection;
        }
        _ => out.push(ParsedExample { name: a.str("name").map(str::to_string), request: None, response: Some(msg), response_type, is_collection }),
    }
}

impl ParsedExample {
    fn to_model(&self) -> Example {
        let (method, url) = match self.request.as_ref().map(|r| &r.start) {
            Some(StartLine::Request { method, target }) => (method.clone(), target.clone()),
            _ => (String::new(), String::new()),
        };
        let span = self.request.as_ref().or(self.response.as_ref()).map(|m| m.span.clone()).expect("an example has a request or a response");
        Example {
            name: self.name.clone(),
            method,
            url,
            request_headers: self.request.as_ref().map(|r| r.headers.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default(),
            request_body: self.request.as_ref().and_then(|r| r.body.as_ref().map(|(v, _)| v.clone())),
            status: self.response.as_ref().and_then(|r| match (&r.start, r.implicit_status) {
                (StartLine::Status { code, .. }, false) => Some(*code),
                _ => None,
            }),
            response_headers: self.response.as_ref().map(|r| r.headers.clone()).unwrap_or_default(),
            response_body: self.response.as_ref().and_then(|r| r.body.as_ref().map(|(v, _)| v.clone())),
            response_type: self.response_type.clone(),
            is_collection: self.is_collection,
            span,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn possible_values_prose() {
        assert_eq!(
            possible_values("The type. Possible values are: `default`, `voicemail`, `unknownFutureValue`."),
            vec!["default", "voicemail", "unknownFutureValue"]
        );
        assert_eq!(possible_values("Possible values are a, b, and c. More text."), vec!["a", "b", "c"]);
        assert!(possible_values("No list here.").is_empty());
        let cases: &[(&str, &[&str])] = &[
            ("The status. Possible values are: accepted, declined.", &["accepted", "declined"]),
            ("The possible values are a, b or c", &["a", "b", "c"]),
            ("Possible values: a, b, or unknownFutureValue.", &["a", "b", "unknownFutureValue"]),
            ("The possible value are a or b.", &["a", "b"]),
            ("Valid values are low, normal and high. Default is normal.", &["low", "normal", "high"]),
            ("Supported values are: none (nothing is sent), all (every item, even old ones).", &["none", "all"]),
            ("Possible values are: LightBlue=0, LightGreen=1, LightOrange=2.", &["LightBlue", "LightGreen", "LightOrange"]),
            ("The direction. One of incoming, outgoing.", &["incoming", "outgoing"]),
            ("The kind, either personal or business.", &["personal", "business"]),
            ("The colour. It can be one of the following: red, green.", &["red", "green"]),
            ("Possible values are: a, b, c, and others to come in the future", &["a", "b", "c"]),
        ];
        for (desc, want) in cases {
            assert_eq!(possible_values(desc), *want, "{desc}");
        }
        let lines: &[(&str, &[&str])] = &[
            ("Possible values are:\nsuccess\nfailure\nnotApplied - Policy isn't applied. Really.\nnotEnabled - It is disabled.", &["success", "failure", "notApplied", "notEnabled"]),
            ("The kind. Possible values are:\nfile: a file\nfolder (a folder)\nMore prose after the list.", &["file", "folder"]),
            ("The attendee type: required, optional, resource.", &["required", "optional", "resource"]),
            ("Combination of the following values: Full, QuarantineState. Use Full for all.", &["Full", "QuarantineState"]),
        ];
        for (desc, want) in lines {
            assert_eq!(possible_values(desc), *want, "{desc:?}");
        }
        // Ordinary sentences that start like a list.
        for desc in ["Either the user or the group that owns it.", "It can be resolved by deleting an item.", "Valid values 1 to 16.", "One of the owners.", "Note: see the docs, then retry.", "Examples: US, JP, and GB.", "A name (for example, Trojan:Win32/Powessere.H)."] {
            assert!(possible_values(desc).is_empty(), "{desc}");
        }
    }

    #[test]
    fn property_names_in_every_table_spelling() {
        for cell in ["album", "**album**", " album  ", "`album`", "**`album`**", "_album_", "album (deprecated)", "**album** (preview)", "album[]"] {
            assert_eq!(property_name(cell).as_deref(), Some("album"), "{cell:?}");
        }
        assert_eq!(property_name("_id").as_deref(), Some("_id"));
        for cell in ["", "**", "Open extensions", "**Use cases**"] {
            assert_eq!(property_name(cell), None, "{cell:?}");
        }
    }

    #[test]
    fn status_in_prose() {
        assert_eq!(first_status("returns a `201 Created` response code"), Some(201));
        assert_eq!(first_status("returns `204 No Content`"), Some(204));
        assert_eq!(first_status("no code"), None);
        assert_eq!(first_status("id 12345 here"), None);
    }

    #[test]
    fn placeholders_name_types() {
        assert_eq!(placeholder_type("String"), Some(Prim::String));
        assert_eq!(placeholder_type("Boolean"), Some(Prim::Boolean));
        assert_eq!(placeholder_type("String (timestamp)"), Some(Prim::DateTimeOffset));
        assert_eq!(placeholder_type("String (identifier)"), Some(Prim::String));
        assert_eq!(placeholder_type("Region value"), None);
        let cases = [
            ("String (ISO 8601 duration)", Prim::Duration),
            ("String (duration)", Prim::Duration),
            ("String (timespan)", Prim::Duration),
            ("String (time of day)", Prim::TimeOfDay),
            ("String (timeofday)", Prim::TimeOfDay),
            ("string (TimeOfDay)", Prim::TimeOfDay),
            ("String(timestamp)", Prim::DateTimeOffset),
            ("String (Date)", Prim::Date),
            ("String (binary)", Prim::Binary),
            ("string (base64)", Prim::Binary),
            ("String (double)", Prim::Double),
            ("Guid (identifier)", Prim::Guid),
            ("string (identifier)", Prim::String),
            ("String (URL)", Prim::String),
            ("string (hex)", Prim::String),
            ("Int32", Prim::Int32),
            ("Edm.Int64", Prim::Int64),
            ("datetime", Prim::DateTimeOffset),
            ("Boolean (true if hidden)", Prim::Boolean),
        ];
        for (s, want) in cases {
            assert_eq!(placeholder_type(s), Some(want), "{s}");
        }
    }

    #[test]
    fn placeholder_text() {
        for p in ["String", "Boolean", "String (timestamp)", "skuId-value", "Display Name value", "Int32"] {
            assert!(is_placeholder_text(p), "{p}");
        }
        for v in ["Heidi", "2020-01-01T00:00:00Z", "String theory", "valued"] {
            assert!(!is_placeholder_text(v), "{v}");
        }
    }

    #[test]
    fn datetimes_are_recognised() {
        assert!(looks_like_datetime("2020-03-04T11:22:33.1234567Z"));
        assert!(looks_like_datetime("2020-03-04T11:22:33+01:00"));
        assert!(!looks_like_datetime("2020-03-04"));
        assert!(!looks_like_datetime("bcf70126-0126-bcf7-2601-f7bc2601f7bc"));
        // Byte 19 inside a multi-byte character: this slice panicked.
        assert!(!looks_like_datetime("2020-03-04T11:abcd\u{e9}xx"));
    }
}
