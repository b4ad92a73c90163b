//! The request-example check: every `blockType: request` example of a docs tree,
//! written as the Rust call the README's URL-to-Rust rule gives ("Requests: the
//! URL as Rust"), built by the generated crate and compared with the example.
//!
//! The stages: [`scan`] reads the pages (the parse stage of msgraph-gen, nothing
//! after it) into examples and request lines; [`Defect`]s of the page are found
//! from the page alone; [`translate`] writes each example as Rust from its URL,
//! using the page's request lines and the whole tree's to tell parameters from
//! literals (never the generator's operation tables); [`harness`] writes the calls
//! into a generated crate as an example program, builds it (a call that does not
//! compile becomes "cannot be written: <the compiler's error>") and runs it;
//! [`compare`] checks each built request against its example, and [`report`]
//! aggregates. The rules are in the README ("The request-example check").

pub mod compare;
pub mod harness;
pub mod report;
pub mod translate;
pub mod url;

use std::collections::{BTreeMap, BTreeSet};

use msgraph_gen::internals::{parse_file, Block, Page};
use msgraph_gen::SourceFile;
use serde_json::Value;

/// The HTTP methods a request line may start with.
pub const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// One `blockType: request` example.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// The page, relative to the docs directory (`api/user-list-messages.md`).
    pub page: String,
    /// The line of the request line (the block's first line when it has none).
    pub line: u32,
    /// Method (upper-case) and target as written; `None`: the block has no request line.
    pub request: Option<(String, String)>,
    /// The headers, as written, in order.
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// Whether the page shows that this request returns a collection: its response
    /// example is `{"value": [...]}` or is annotated `isCollection` (or
    /// `Collection(..)`), or, without a response example that tells, the page's
    /// "Response" section says "collection".
    pub returns_collection: bool,
    /// Blank lines separate the request line from its headers (read as headers
    /// all the same).
    pub headers_after_blank: bool,
}

impl Example {
    /// `page:line`.
    pub fn at(&self) -> String {
        format!("{}:{}", self.page, self.line)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// An example's body.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    None,
    /// Strict JSON: the text as written and its value.
    Json {
        text: String,
        value: Value,
    },
    /// Not valid JSON, but comments, trailing commas and `...` removed it is: a
    /// page defect; the call is written with the cleaned value.
    Lenient {
        text: String,
        value: Value,
    },
    /// Meant as JSON (a JSON content type, or it starts with `{` or `[`) and not
    /// JSON even leniently: a page defect.
    Invalid {
        error: String,
    },
    /// Not JSON, and not meant as JSON (text, CSV, binary, `<file contents>`):
    /// the operation takes the bytes and their content type (the README's rule);
    /// the text as written, trimmed.
    NotJson {
        content_type: Option<String>,
        text: String,
    },
}

/// A request line of a page (not an example): what its "HTTP request" section
/// documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocLine {
    pub method: String,
    /// The path, without host, version and query.
    pub path: String,
    pub segments: Vec<String>,
}

/// A page's request lines and examples.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageRequests {
    pub page: String,
    pub lines: Vec<DocLine>,
    pub examples: Vec<Example>,
    /// The page shows that it returns a collection (any response example, or the
    /// "Response" section): for the tree's "documented GET returning a collection".
    pub returns_collection: bool,
    /// The page's request is answered with what it is sent (its "Request body" and
    /// "Response" sections name the same type): a POST that creates.
    pub answers_what_it_is_sent: bool,
    /// The page documents a request body: its "Request body" section has a table,
    /// or says to supply "a JSON representation" of a type it links to.
    pub documents_body: bool,
}

/// Read every page of a docs tree (sorted by path): its request lines and examples.
/// Pages that are not UTF-8 are read lossily, so that their examples count too.
pub fn scan(files: &[SourceFile]) -> Vec<PageRequests> {
    let mut files: Vec<&SourceFile> = files.iter().filter(|f| f.path.ends_with(".md")).collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut out = Vec::new();
    for f in files {
        let mut diags = Vec::new();
        let page = match parse_file(f, &mut diags) {
            Some(p) => p,
            None => {
                let lossy = SourceFile { path: f.path.clone(), bytes: String::from_utf8_lossy(&f.bytes).into_owned().into_bytes() };
                match parse_file(&lossy, &mut diags) {
                    Some(p) => p,
                    None => continue,
                }
            }
        };
        // An example annotation that a heading or table separates from its block
        // is dangling for the parser; its block is an example all the same.
        let dangling: Vec<u32> =
            diags.iter().filter(|d| d.code == msgraph_gen::Code::AnnotationDangling && d.message.contains("\"request\"")).map(|d| d.span.start).collect();
        out.push(scan_page_with(&page, &dangling));
    }
    out
}

fn block_type(b: &Block) -> Option<&str> {
    match b {
        Block::Code(c) => c.annotation.as_ref().and_then(|a| a.block_type()),
        _ => None,
    }
}

/// A request line: `METHOD target [HTTP/1.1]`; the target runs to the end of the
/// line (spaces in a query value are the example's, not an end).
pub fn request_line(line: &str) -> Option<(String, String)> {
    let line = line.trim();
    let (method, rest) = line.split_once(char::is_whitespace)?;
    let upper = method.to_ascii_uppercase();
    if !METHODS.contains(&upper.as_str()) {
        return None;
    }
    let mut target = rest.trim();
    if let Some((t, v)) = target.rsplit_once(char::is_whitespace) {
        if v.to_ascii_uppercase().starts_with("HTTP/") {
            target = t.trim_end();
        }
    }
    if target.is_empty() {
        return None;
    }
    Some((upper, target.to_string()))
}

/// A documented request line's path: `{id | userPrincipalName}` and
/// `f(a={a}, b={b})` lose their spaces, the query goes.
fn doc_line(line: &str) -> Option<DocLine> {
    let (method, target) = request_line(line)?;
    // A request line is a template: the target ends at the first space outside braces.
    let mut t = String::new();
    let mut depth = 0i32;
    for c in target.chars() {
        match c {
            '{' | '(' => depth += 1,
            '}' | ')' => depth -= 1,
            c if c.is_whitespace() && depth > 0 => continue,
            c if c.is_whitespace() => break,
            _ => {}
        }
        t.push(c);
    }
    let parsed = url::parse_target(&t);
    Some(DocLine { method, segments: url::segments(&parsed.path), path: parsed.path })
}

fn heading_is(b: &Block, words: &str) -> Option<u8> {
    match b {
        Block::Heading { level, text, .. } if text.text.trim().to_ascii_lowercase().starts_with(words) => Some(*level),
        _ => None,
    }
}

/// The blocks of the sections whose heading starts with `words` (lower-case).
fn sections<'p>(page: &'p Page, words: &str) -> Vec<&'p Block> {
    let mut out = Vec::new();
    let mut inside: Option<u8> = None;
    for b in &page.blocks {
        if let Block::Heading { level, .. } = b {
            if inside.is_some_and(|l| *level <= l) {
                inside = None;
            }
            if inside.is_none() {
                inside = heading_is(b, words);
            }
            continue;
        }
        if inside.is_some() {
            out.push(b);
        }
    }
    out
}

/// What a response block says about collections: `Some(true)` for `isCollection`,
/// `Collection(..)` or a `{"value": [...]}` body; `Some(false)` for another JSON
/// body; `None` when it tells nothing.
fn response_collection(b: &Block) -> Option<bool> {
    let Block::Code(c) = b else { return None };
    let a = c.annotation.as_ref()?;
    if a.value.get("isCollection").is_some_and(|v| v.as_bool() == Some(true) || v.as_str() == Some("true"))
        || a.str("@odata.type").is_some_and(|t| t.trim().to_ascii_lowercase().starts_with("collection("))
    {
        return Some(true);
    }
    let text = c.text.trim_start();
    let json = if text.starts_with("HTTP/") { text.split_once("\n\n").or_else(|| text.split_once("\r\n\r\n")).map(|(_, b)| b).unwrap_or("") } else { text };
    let v = parse_json_lenient(json.trim())?;
    Some(v.get("value").is_some_and(Value::is_array))
}

/// Strict JSON, else JSON with comments, trailing commas and `...` removed.
pub fn parse_json_lenient(text: &str) -> Option<Value> {
    serde_json::from_str(text).ok().or_else(|| serde_json::from_str(&clean_json(text)).ok())
}

/// Remove `//` and `/* */` comments, `...`/`…` and trailing commas outside strings.
pub fn clean_json(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            out.push(c);
            i += 1;
            while i < chars.len() {
                out.push(chars[i]);
                if chars[i] == '\\' && i + 1 < chars.len() {
                    out.push(chars[i + 1]);
                    i += 2;
                    continue;
                }
                i += 1;
                if chars[i - 1] == '"' {
                    break;
                }
            }
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
            continue;
        }
        if c == '.' && chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') {
            i += 3;
            continue;
        }
        if c != '…' {
            out.push(c);
        }
        i += 1;
    }
    // Trailing commas (and commas left before a closing bracket by a removed `...`).
    let chars: Vec<char> = out.chars().collect();
    let mut fixed = String::with_capacity(out.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']') | Some(',') | None) {
                continue;
            }
        }
        fixed.push(c);
    }
    fixed
}

fn is_json_type(ct: &str) -> bool {
    let media = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    media == "application/json" || media.ends_with("+json") || media == "text/json"
}

/// An example's body from its text (after the headers) and content type.
pub fn read_body(text: &str, content_type: Option<&str>) -> Body {
    let t = text.trim();
    if t.is_empty() {
        return Body::None;
    }
    if let Ok(value) = serde_json::from_str::<Value>(t) {
        if content_type.is_none_or(is_json_type) {
            return Body::Json { text: t.to_string(), value };
        }
    }
    let meant_json = match content_type {
        Some(ct) => is_json_type(ct),
        None => t.starts_with('{') || t.starts_with('['),
    };
    if !meant_json {
        return Body::NotJson { content_type: content_type.map(str::to_string), text: t.to_string() };
    }
    match serde_json::from_str::<Value>(&clean_json(t)) {
        Ok(value) => Body::Lenient { text: t.to_string(), value },
        Err(_) => Body::Invalid { error: serde_json::from_str::<Value>(t).err().map(|e| e.to_string()).unwrap_or_default() },
    }
}

/// A request example's block text: request line, headers, body.
pub fn read_example(page: &str, first_line: u32, text: &str) -> Example {
    let lines: Vec<&str> = text.split('\n').collect();
    let start = lines.iter().position(|l| !l.trim().is_empty());
    let line = first_line + start.unwrap_or(0) as u32;
    let Some(start) = start else {
        return Example {
            page: page.into(),
            line,
            request: None,
            headers: Vec::new(),
            body: Body::None,
            returns_collection: false,
            headers_after_blank: false,
        };
    };
    let request = request_line(lines[start]);
    // Without a request line, the whole block is the body.
    let mut i = if request.is_some() { start + 1 } else { start };
    let mut headers = Vec::new();
    let mut headers_after_blank = false;
    if request.is_some() {
        while i < lines.len() {
            let l = lines[i].trim();
            if l.is_empty() {
                i += 1;
                // Blank lines, then a header: the page's headers, after a gap.
                let next = lines[i.min(lines.len())..].iter().position(|l| !l.trim().is_empty()).map(|k| i + k);
                match next {
                    Some(n) if headers.is_empty() && is_header_line(lines[n]) => {
                        headers_after_blank = true;
                        i = n;
                        continue;
                    }
                    _ => break,
                }
            }
            if l.starts_with('{') || l.starts_with('[') {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if !k.trim().is_empty() && !k.trim().contains(' ') {
                    headers.push((k.trim().to_string(), v.trim().to_string()));
                }
            }
            i += 1;
        }
    }
    let body_text = lines[i.min(lines.len())..].join("\n");
    let ct = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-type")).map(|(_, v)| v.as_str());
    let body = read_body(&body_text, ct);
    Example { page: page.into(), line, request, headers, body, returns_collection: false, headers_after_blank }
}

/// `Name: value`, the name an HTTP token (not a JSON key, which is quoted).
fn is_header_line(l: &str) -> bool {
    let l = l.trim();
    match l.split_once(':') {
        Some((k, _)) => !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && k.starts_with(|c: char| c.is_ascii_alphabetic()),
        None => false,
    }
}

/// The request lines and examples of one parsed page.
pub fn scan_page(page: &Page) -> PageRequests {
    scan_page_with(page, &[])
}

/// [`scan_page`], where `dangling` are the offsets of `blockType: request`
/// annotations the parser found no block for: the first code block after each,
/// not annotated itself, is an example.
fn scan_page_with(page: &Page, dangling: &[u32]) -> PageRequests {
    let path = page.path.to_string();
    let mut dangling_blocks = BTreeSet::new();
    for at in dangling {
        if let Some(i) = page.blocks.iter().position(|b| b.span().start > *at && matches!(b, Block::Code(c) if c.annotation.is_none())) {
            dangling_blocks.insert(i);
        }
    }
    let kind = |i: usize, b: &Block| -> Option<String> {
        if dangling_blocks.contains(&i) {
            Some("request".into())
        } else {
            block_type(b).map(str::to_string)
        }
    };
    // The page's request lines: its "HTTP request" sections' code blocks (an
    // example there too: some pages give their request lines as examples); on a
    // page without one, any code block that is neither an example nor a response.
    let mut lines = Vec::new();
    let mut from = sections(page, "http request");
    if !from.iter().any(|b| matches!(b, Block::Code(_))) {
        from = page.blocks.iter().enumerate().filter(|(i, b)| !matches!(kind(*i, b).as_deref(), Some("request") | Some("response"))).map(|(_, b)| b).collect();
    }
    for b in from {
        if let Block::Code(c) = b {
            if block_type(b) == Some("response") {
                continue;
            }
            for l in c.text.lines() {
                // `GET policies/x`: a path without its leading `/` is read with one.
                if let Some(d) = doc_line(l).or_else(|| doc_line(&l.trim().replacen(' ', " /", 1))) {
                    if d.path.starts_with('/') {
                        lines.push(d);
                    }
                }
            }
        }
    }
    let section_says = sections(page, "response").iter().any(|b| match b {
        Block::Paragraph { text, .. } => text.text.to_ascii_lowercase().contains("collection"),
        _ => false,
    });
    let mut examples = Vec::new();
    let mut any_collection = false;
    let blocks = &page.blocks;
    for (i, b) in blocks.iter().enumerate() {
        let Block::Code(c) = b else { continue };
        match kind(i, b).as_deref() {
            Some("request") => {
                let mut ex = read_example(&path, c.first_line, &c.text);
                // The response example paired with it: the next response block before
                // the next request block.
                let said = blocks
                    .iter()
                    .enumerate()
                    .skip(i + 1)
                    .take_while(|(j, b)| kind(*j, b).as_deref() != Some("request"))
                    .find(|(j, b)| kind(*j, b).as_deref() == Some("response"))
                    .and_then(|(_, b)| response_collection(b));
                ex.returns_collection = said.unwrap_or(section_says);
                examples.push(ex);
            }
            Some("response") => any_collection |= response_collection(b) == Some(true),
            _ => {}
        }
    }
    let documents_body = sections(page, "request body").iter().any(|b| match b {
        Block::Table(_) => true,
        Block::Paragraph { text, .. } => !text.links.is_empty() && text.text.to_ascii_lowercase().contains("json representation"),
        _ => false,
    });
    PageRequests {
        page: path,
        lines,
        examples,
        returns_collection: section_says || any_collection,
        answers_what_it_is_sent: answers_what_it_is_sent(page),
        documents_body,
    }
}

/// The bare, lower-case name of a type a link points at (`../resources/user.md` -> `user`).
fn linked_type(dest: &str) -> Option<String> {
    let file = dest.split(['#', '?']).next()?.rsplit('/').next()?;
    let stem = file.strip_suffix(".md")?;
    (!stem.is_empty()).then(|| stem.to_ascii_lowercase())
}

/// Whether the page's request is answered with what it is sent: the type that
/// the "Request body" section says to supply "a JSON representation" of (the
/// paragraph's first link) is the one the "Response" section's paragraphs link to
/// first (or its response example's `@odata.type`). The README's third mark of a
/// POST that creates rather than acts.
fn answers_what_it_is_sent(page: &Page) -> bool {
    let first_link = |words: &str, phrase: &str| {
        sections(page, words).into_iter().find_map(|b| match b {
            Block::Paragraph { text, .. } if text.text.to_ascii_lowercase().contains(phrase) => text.links.iter().find_map(|l| linked_type(&l.dest)),
            _ => None,
        })
    };
    let Some(sent) = first_link("request body", "json representation") else { return false };
    let annotated = page.blocks.iter().find_map(|b| match b {
        Block::Code(c) if block_type(b) == Some("response") => c.annotation.as_ref()?.str("@odata.type").map(|t| url::bare_name(t.trim()).to_ascii_lowercase()),
        _ => None,
    });
    first_link("response", "").or(annotated).is_some_and(|r| r == sent)
}

/// A defect of the page that explains why an example cannot be reproduced, found
/// from the page alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Defect {
    /// The block has no request line (`METHOD url` first).
    NoRequestLine,
    /// The URL is elided: `...` or `…` in it.
    UrlElided,
    /// The URL holds markup or a placeholder in angle brackets: `<`, `>`, `[`, `]`,
    /// `*` or a backtick.
    UrlMarkup,
    /// The URL has an unencoded space where no value can be (a literal segment,
    /// a query option's name, around the `?`).
    UrlSpace,
    /// The URL's path has an empty segment: `//`, or a trailing `/`.
    UrlEmptySegment,
    /// Blank lines separate the request line from its headers, which HTTP would
    /// read as the body (the check reads them as headers).
    HeadersAfterBlankLine,
    /// The body is not valid JSON, but comments, trailing commas and `...` removed
    /// it is.
    BodyLenientJson,
    /// The body is not valid JSON even so.
    BodyInvalidJson,
    /// The body holds type placeholders where values belong: a type with a note
    /// (`"String (timestamp)"`), `"@odata.type: x"`, or a list of choices
    /// (`"read | write"`). A bare type name (`"String"`) is not counted: it may be a
    /// value (`"underline": "Single"`).
    BodyPlaceholder,
    /// The page has request lines, and none of those that fit the example's path
    /// (or, when none fits it, none at all) has the example's method.
    MethodNotOnPage,
    /// The page has request lines and the example's path fits none of them, nor
    /// its tail (`/me` fits `/users/{id}`, `drive/root` fits `drive/items/{id}`; a
    /// line that is only the tail of the example's path, as the Excel pages write
    /// `/workbook/tables/{id}`, fits: the generator places it under the example's
    /// path, by the README's rule).
    PathNotOnPage,
    /// A body value is not of its property's documented type: a sample such as
    /// `"guid"` or `"classId-value"` where a GUID belongs, `"base64bWFj..."` where
    /// base64 does, `"false"` (a string) for a Boolean. Found when the body does not
    /// deserialize into the operation's body type for that reason (the generated
    /// type follows the page's type tables).
    BodyValueType,
    /// A POST, PATCH or PUT example that sends no body, where its page documents one
    /// (a table or a JSON representation in its "Request body" section), or a POST
    /// to `$ref` with no body (a reference is sent in one): the example left its body
    /// out.
    BodyMissing,
    /// The URL is not on a Graph service root: a typo in the host (`https://graph/`),
    /// or a request to another service (an upload session's pre-authenticated URL,
    /// which the client's upload API sends): no generated request is meant for it.
    UrlNotGraph,
    /// The example spells an enum value or a property name otherwise than its
    /// type defines it (`"HTML"` for the member `html`, `Comment` for `comment`),
    /// which the generator reports (`enum-value-case`, `property-case`); the built
    /// body has the definition's spelling. Found when the bodies differ only so.
    BodySpelling,
}

impl Defect {
    pub const ALL: [Defect; 15] = [
        Defect::NoRequestLine,
        Defect::UrlElided,
        Defect::UrlMarkup,
        Defect::UrlSpace,
        Defect::UrlEmptySegment,
        Defect::HeadersAfterBlankLine,
        Defect::BodyLenientJson,
        Defect::BodyInvalidJson,
        Defect::BodyPlaceholder,
        Defect::MethodNotOnPage,
        Defect::PathNotOnPage,
        Defect::BodyValueType,
        Defect::BodyMissing,
        Defect::UrlNotGraph,
        Defect::BodySpelling,
    ];

    pub fn describe(self) -> &'static str {
        match self {
            Defect::NoRequestLine => "no request line",
            Defect::UrlElided => "URL elided (`...`)",
            Defect::UrlMarkup => "URL holds markup (`<`, `[`, `*`, a backtick)",
            Defect::UrlSpace => "URL has an unencoded space outside a value",
            Defect::UrlEmptySegment => "URL has an empty segment (`//` or a trailing `/`)",
            Defect::HeadersAfterBlankLine => "a blank line before the headers (HTTP reads them as the body)",
            Defect::BodyLenientJson => "body is not valid JSON (lenient parsing reads it)",
            Defect::BodyInvalidJson => "body is not valid JSON (not even leniently)",
            Defect::BodyPlaceholder => "body holds type placeholders (`String (timestamp)`, `a | b`)",
            Defect::MethodNotOnPage => "method matches none of the page's request lines for its path",
            Defect::PathNotOnPage => "path fits none of the page's request lines",
            Defect::BodyValueType => "a body value is not of its property's documented type (`\"guid\"` for a Guid, `\"false\"` for a Boolean)",
            Defect::BodyMissing => "a POST, PATCH or PUT example sends no body, where its page documents one",
            Defect::UrlNotGraph => "the URL is not on a Graph service root (another host)",
            Defect::BodySpelling => "the body spells an enum value or property name otherwise than its type (`enum-value-case`, `property-case`)",
        }
    }
}

const PRIMITIVES: &[&str] = &[
    "String",
    "Int32",
    "Int64",
    "Int16",
    "Boolean",
    "Double",
    "Single",
    "Decimal",
    "DateTimeOffset",
    "Date",
    "TimeOfDay",
    "Duration",
    "Guid",
    "Binary",
    "Byte",
    "Stream",
];

/// A type placeholder where a value belongs (see [`Defect::BodyPlaceholder`]).
pub fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    if t.starts_with("@odata.type:") {
        return true;
    }
    if let Some((name, note)) = t.split_once(" (") {
        if note.ends_with(')')
            && PRIMITIVES.iter().any(|p| name.eq_ignore_ascii_case(p) || name.strip_prefix("Edm.").is_some_and(|n| n.eq_ignore_ascii_case(p)))
        {
            return true;
        }
    }
    t.contains(" | ") && t.split('|').all(|p| !p.trim().is_empty() && p.trim().chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.'))
}

fn has_placeholder(v: &Value) -> bool {
    match v {
        Value::String(s) => is_placeholder(s),
        Value::Array(a) => a.iter().any(has_placeholder),
        Value::Object(m) => m.values().any(has_placeholder),
        _ => false,
    }
}

/// A body that does not deserialize because a value is not of its primitive type:
/// text that is no GUID, base64, timestamp, date, time or duration, or a JSON value
/// of another kind than a primitive property takes (`"false"` for a Boolean, `99`
/// for a String). An object or a list where another is expected is not counted:
/// that may be the generator's typing.
pub fn primitive_mismatch(cause: &str) -> bool {
    let Some(rest) = cause.strip_prefix("body does not deserialize: invalid ") else { return false };
    const PRIMS: [&str; 6] = ["Guid", "Binary", "DateTimeOffset", "Date", "TimeOfDay", "Duration"];
    const EXPECTED: [&str; 11] = ["a boolean", "a string", "i8", "i16", "i32", "i64", "u8", "f32", "f64", "an integer", "a float"];
    // A primitive where the type table says a collection (`"memberId": "x"` for a
    // String collection) is the docs' too; an object there may be the generator's typing.
    let scalar_for_list =
        rest.ends_with("expected a sequence") && ["type: string", "type: integer", "type: floating", "type: boolean"].iter().any(|t| rest.starts_with(t));
    PRIMS.iter().any(|p| rest == *p || rest.starts_with(&format!("{p} ")))
        || (rest.starts_with("type: ") && EXPECTED.iter().any(|e| rest.ends_with(&format!("expected {e}"))))
        || scalar_for_list
}

/// The defects of an example's page that concern it, in [`Defect::ALL`] order.
pub fn defects(ex: &Example, page_lines: &[DocLine]) -> Vec<Defect> {
    let mut out = BTreeSet::new();
    if ex.headers_after_blank {
        out.insert(Defect::HeadersAfterBlankLine);
    }
    match &ex.body {
        Body::Lenient { value, .. } => {
            out.insert(Defect::BodyLenientJson);
            if has_placeholder(value) {
                out.insert(Defect::BodyPlaceholder);
            }
        }
        Body::Invalid { .. } => {
            out.insert(Defect::BodyInvalidJson);
        }
        Body::Json { value, .. } if has_placeholder(value) => {
            out.insert(Defect::BodyPlaceholder);
        }
        _ => {}
    }
    let Some((method, target)) = &ex.request else {
        out.insert(Defect::NoRequestLine);
        return out.into_iter().collect();
    };
    if target.contains("...") || target.contains('…') {
        out.insert(Defect::UrlElided);
    }
    if target.contains(['<', '>', '[', ']', '`', '*']) {
        out.insert(Defect::UrlMarkup);
    }
    let t = url::parse_target(target);
    let segs = url::segments(&t.path);
    if !page_lines.is_empty() {
        let fits = |l: &DocLine, segs: &[String]| translate::best_line(segs, method, std::slice::from_ref(l)).is_some();
        let mut fitting: Vec<&DocLine> = page_lines.iter().filter(|l| fits(l, &segs)).collect();
        if fitting.is_empty() {
            // A line that is the tail of the path fits it (the README's rule roots it there).
            fitting = page_lines.iter().filter(|l| l.segments.len() < segs.len() && fits(l, &segs[segs.len() - l.segments.len()..])).collect();
            if fitting.is_empty() {
                out.insert(Defect::PathNotOnPage);
            }
        }
        let candidates = if fitting.is_empty() { page_lines.iter().collect() } else { fitting };
        if !candidates.iter().any(|l| &l.method == method) {
            out.insert(Defect::MethodNotOnPage);
        }
    }
    if t.path.contains("//") || (t.path.len() > 1 && t.path.ends_with('/')) {
        out.insert(Defect::UrlEmptySegment);
    }
    if translate::space_outside_value(target, &segs, page_lines) {
        out.insert(Defect::UrlSpace);
    }
    out.into_iter().collect()
}

/// One example with everything the check knows before building it.
#[derive(Clone, Debug)]
pub struct Case {
    pub example: Example,
    pub defects: Vec<Defect>,
    pub translation: translate::Translation,
}

/// Scan, find defects, translate: every example of the tree, in page and line order.
pub fn cases(pages: &[PageRequests]) -> Vec<Case> {
    let index = translate::Index::new(pages);
    let mut out = Vec::new();
    for p in pages {
        for ex in &p.examples {
            let mut defects = defects(ex, &p.lines);
            if let Some((m, target)) = &ex.request {
                let sends = m == "POST" || m == "PATCH" || m == "PUT";
                let reference = m == "POST" && url::parse_target(target).path.trim_end_matches('/').ends_with("/$ref");
                if sends && (p.documents_body || reference) && matches!(ex.body, Body::None) {
                    defects.push(Defect::BodyMissing);
                }
                if url::parse_target(target).host.is_some_and(|h| !url::is_graph_host(&h)) {
                    defects.push(Defect::UrlNotGraph);
                }
                defects.sort();
                defects.dedup();
            }
            let translation = translate::translate(ex, p, &index);
            out.push(Case { example: ex.clone(), defects, translation });
        }
    }
    out
}

/// How many examples each page has: for the summary.
pub fn pages_with_examples(pages: &[PageRequests]) -> usize {
    pages.iter().filter(|p| !p.examples.is_empty()).count()
}

/// Defect kinds with their counts.
pub fn defect_counts(cases: &[Case]) -> BTreeMap<Defect, usize> {
    let mut m = BTreeMap::new();
    for c in cases {
        for d in &c.defects {
            *m.entry(*d).or_default() += 1;
        }
    }
    m
}

/// A runtime error as a cause: quoted values, numbers and positions left out; a
/// primitive that does not parse is named without the parser's details
/// (`body does not deserialize: invalid Guid`).
pub fn runtime_cause(e: &str) -> String {
    let e = e.split(" at line ").next().unwrap_or(e);
    if let Some(rest) = e.strip_prefix("body does not deserialize: invalid ") {
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
        if name.starts_with(|c: char| c.is_ascii_uppercase()) {
            return format!("body does not deserialize: invalid {name}");
        }
    }
    let mut out = String::new();
    let mut quoted = false;
    for c in e.chars() {
        match c {
            '"' if !quoted => {
                quoted = true;
                out.push_str("\"…");
            }
            '"' => {
                quoted = false;
                out.push('"');
            }
            _ if quoted => {}
            c => out.push(c),
        }
    }
    out.split(' ').map(|w| if !w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '.') { "N" } else { w }).collect::<Vec<_>>().join(" ")
}

/// How long each phase of a check took.
pub type Phases = Vec<(String, std::time::Duration)>;

/// A whole check: every example's case and row, and the phases' times.
pub struct Checked {
    pub cases: Vec<Case>,
    pub rows: Vec<report::Row>,
    pub phases: Phases,
}

/// The result of a built (or not built) example.
pub fn outcome(case: &Case, compile_error: Option<&harness::CompileError>, result: Option<&harness::RunResult>) -> report::Outcome {
    use report::Outcome;
    let failed = |cause: String, detail: String| Outcome::Failed { cause, detail };
    let (expected, me_alias, setters) = match &case.translation {
        translate::Translation::Cannot(why) => return failed(format!("cannot be written: {why}"), String::new()),
        translate::Translation::Call { expected, me_alias, setters, .. } => (expected, *me_alias, setters),
    };
    if let Some(e) = compile_error {
        let mut c = harness::cause(e, setters);
        if me_alias && c.starts_with("no method") && c.contains("on `Me") {
            c = format!("path: `/me` example, its page documents `/users/{{id}}`: {c}");
        }
        return failed(format!("cannot be written: {c}"), String::new());
    }
    match result {
        None => failed("no result from the example program".into(), String::new()),
        Some(harness::RunResult::Error(e)) => failed(runtime_cause(e), String::new()),
        Some(harness::RunResult::Built(b)) => match compare::compare(expected, b) {
            Ok(()) => Outcome::Reproduced,
            Err(m) => failed(m.cause, m.detail),
        },
    }
}

/// The expected values of every example, as the JSON file written beside the program.
pub fn expected_json(cases: &[Case]) -> Value {
    Value::Array(
        cases
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut v = serde_json::json!({
                    "id": i + 1,
                    "at": c.example.at(),
                    "defects": c.defects.iter().map(|d| d.describe()).collect::<Vec<_>>(),
                });
                match &c.translation {
                    translate::Translation::Cannot(why) => v["cannot"] = Value::String(why.clone()),
                    translate::Translation::Call { expected: e, code, .. } => {
                        v["rust"] = Value::String(code.clone());
                        v["method"] = Value::String(e.method.clone());
                        v["base"] = Value::String(e.base.clone());
                        v["path"] = Value::String(e.path.clone());
                        v["query"] = serde_json::json!(e.query);
                        v["headers"] = serde_json::json!(e.headers);
                        v["body"] = e.body.clone().unwrap_or(Value::Null);
                        if let Some(raw) = &e.raw_body {
                            v["raw_body"] = Value::String(raw.clone());
                        }
                    }
                }
                v
            })
            .collect(),
    )
}

/// How to build the example program.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// How many builds at most (each takes out the calls that do not compile).
    pub rounds: usize,
    /// More arguments for `cargo build` (`--no-default-features`, `--features x`).
    pub cargo_args: Vec<String>,
    /// The target directory (else the environment's `CARGO_TARGET_DIR`, else the crate's own).
    pub target_dir: Option<std::path::PathBuf>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions { rounds: 8, cargo_args: Vec::new(), target_dir: None }
    }
}

/// Check the examples of `files` (a docs tree) against the generated crate in
/// `crate_dir`: write the program and the expected values into it, build, run,
/// compare.
pub fn check(files: &[SourceFile], crate_dir: &std::path::Path, options: &BuildOptions) -> Result<Checked, String> {
    let mut phases = Phases::new();
    let t = std::time::Instant::now();
    let pages = scan(files);
    let cases = cases(&pages);
    phases.push((format!("read {} pages and translated {} examples", pages.len(), cases.len()), t.elapsed()));
    let toml_path = crate_dir.join("Cargo.toml");
    let toml = std::fs::read_to_string(&toml_path).map_err(|e| format!("{}: {e}", toml_path.display()))?;
    let lib = harness::lib_name(&toml).ok_or_else(|| format!("{}: no package name", toml_path.display()))?;
    let json_path = crate_dir.join("request_check.json");
    let text = serde_json::to_string_pretty(&expected_json(&cases)).map_err(|e| e.to_string())?;
    std::fs::write(&json_path, text).map_err(|e| format!("{}: {e}", json_path.display()))?;
    let calls: Vec<(usize, String)> = cases
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match &c.translation {
            translate::Translation::Call { code, .. } => Some((i + 1, code.clone())),
            translate::Translation::Cannot(_) => None,
        })
        .collect();
    let compiled = harness::compile(crate_dir, &lib, &calls, options)?;
    for (i, (d, errors)) in compiled.rounds.iter().enumerate() {
        phases.push((format!("build round {}: {errors} errors", i + 1), *d));
    }
    let t = std::time::Instant::now();
    let order = harness::remaining(&calls, &compiled.failed);
    let results = harness::run(&compiled.executable, &order)?;
    phases.push((format!("ran {} examples", order.len()), t.elapsed()));
    let rows = cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let outcome = outcome(c, compiled.failed.get(&(i + 1)), results.get(&(i + 1)));
            let mut defects = c.defects.clone();
            // Bodies that differ only in the spelling of an enum value or a property
            // name: the example disagrees with its type's definition.
            if matches!(&outcome, report::Outcome::Failed { cause, .. } if cause == "body: value respelled" || cause == "body: property respelled") {
                defects.push(Defect::BodySpelling);
            }
            // A body whose values do not parse as their documented types.
            if matches!(&outcome, report::Outcome::Failed { cause, .. } if primitive_mismatch(cause)) {
                defects.push(Defect::BodyValueType);
            }
            report::Row { at: c.example.at(), defects, outcome }
        })
        .collect();
    Ok(Checked { cases, rows, phases })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> PageRequests {
        let f = SourceFile { path: path.into(), bytes: text.as_bytes().to_vec() };
        scan(&[f]).pop().unwrap()
    }

    const PAGE: &str = "---\ntitle: x\ndoc_type: apiPageType\n---\n# List widgets\n\n## HTTP request\n\n<!-- { \"blockType\": \"ignored\" } -->\n```http\nGET /me/widgets\nGET /users/{id | userPrincipalName}/widgets\n```\n\n## Response\n\nIf successful, this method returns a collection of widget objects.\n\n## Example\n\n<!-- { \"blockType\": \"request\", \"name\": \"a\" } -->\n```msgraph-interactive\nGET https://graph.microsoft.com/v1.0/me/widgets?$filter=name eq 'a b'\n```\n\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{\"id\": \"1\"}\n```\n\n<!-- { \"blockType\": \"request\" } -->\n```http\nPOST /me/widgets\nContent-Type: application/json\nContent-Length: 12\n\n{\"a\": 1, }\n```\n\n<!-- { \"blockType\": \"request\" } -->\n```json\n{\"a\": 1}\n```\n";

    #[test]
    fn pages_give_request_lines_and_examples() {
        let p = page("api/widget-list.md", PAGE);
        assert_eq!(
            p.lines.iter().map(|l| (l.method.as_str(), l.path.as_str())).collect::<Vec<_>>(),
            [("GET", "/me/widgets"), ("GET", "/users/{id|userPrincipalName}/widgets")]
        );
        assert_eq!(p.examples.len(), 3);
        let a = &p.examples[0];
        assert_eq!(a.at(), "api/widget-list.md:23");
        assert_eq!(a.request, Some(("GET".into(), "https://graph.microsoft.com/v1.0/me/widgets?$filter=name eq 'a b'".into())));
        // The response example is an object: not a collection, whatever the section says.
        assert!(!a.returns_collection);
        let b = &p.examples[1];
        assert_eq!(b.headers, [("Content-Type".to_string(), "application/json".to_string()), ("Content-Length".into(), "12".into())]);
        assert!(matches!(&b.body, Body::Lenient { value, .. } if value == &serde_json::json!({"a": 1})));
        // No response example: the Response section says "collection".
        assert!(b.returns_collection);
        assert_eq!(p.examples[2].request, None);
        assert!(p.returns_collection);
    }

    #[test]
    fn an_update_without_its_body_is_a_page_defect() {
        let text = "---\ntitle: x\ndoc_type: apiPageType\n---\n# Update widget\n\n## HTTP request\n\n```http\nPATCH /widgets/{id}\n```\n\n## Request body\n\n| Property | Type | Description |\n|:--|:--|:--|\n| size | Int32 | Size. |\n\n## Example\n\n<!-- { \"blockType\": \"request\" } -->\n```http\nPATCH https://graph.microsoft.com/v1.0/widgets/w1\n```\n\n<!-- { \"blockType\": \"request\" } -->\n```http\nPATCH https://graph.microsoft.com/v1.0/widgets/w1\nContent-Type: application/json\n\n{\"size\": 2}\n```\n";
        let p = page("api/widget-update.md", text);
        assert!(p.documents_body);
        let cs = cases(&[p]);
        assert_eq!(cs[0].defects, [Defect::BodyMissing]);
        assert_eq!(cs[1].defects, []);
    }

    #[test]
    fn defects_are_found_from_the_page() {
        let p = page("api/widget-list.md", PAGE);
        assert_eq!(defects(&p.examples[0], &p.lines), []);
        // POST: no request line of the page has it; the body needed lenient parsing.
        assert_eq!(defects(&p.examples[1], &p.lines), [Defect::BodyLenientJson, Defect::MethodNotOnPage]);
        assert_eq!(defects(&p.examples[2], &p.lines), [Defect::NoRequestLine]);
        let ex = |url: &str| read_example("p.md", 1, &format!("GET {url}\n"));
        assert_eq!(defects(&ex("/me/gadgets"), &p.lines), [Defect::PathNotOnPage]);
        assert_eq!(defects(&ex("/users/adele@contoso.com/widgets"), &p.lines), []);
        assert_eq!(defects(&ex("/me/widgets/.../x"), &[]), [Defect::UrlElided]);
        assert_eq!(defects(&ex("/me/widgets/<id>"), &[]), [Defect::UrlMarkup]);
        assert_eq!(defects(&ex("/me/wid gets"), &p.lines), [Defect::UrlSpace, Defect::PathNotOnPage]);
        assert_eq!(defects(&ex("/me/widgets ?$top=1"), &p.lines), [Defect::UrlSpace, Defect::PathNotOnPage]);
        assert_eq!(defects(&ex("/me/widgets?$filter=a eq 'b c'"), &p.lines), []);
        assert_eq!(defects(&ex("/me/wid%20gets"), &[]), []);
        // A space between a function's arguments; one inside a quoted argument is a value.
        assert_eq!(defects(&ex("/me/widgets/resize(rows=1, columns=2)"), &[]), [Defect::UrlSpace]);
        assert_eq!(defects(&ex("/me/widgets/find(name='a b')"), &[]), []);
        assert_eq!(defects(&ex("/me/widgets/"), &p.lines), [Defect::UrlEmptySegment]);
        // A method the page documents, but not for this path.
        let lines = [doc_line("DELETE /me/widgets/{id}").unwrap(), doc_line("POST /me/widgets/{id}/unfollow").unwrap()];
        assert_eq!(defects(&read_example("p.md", 1, "DELETE /me/widgets/w1/unfollow\n"), &lines), [Defect::MethodNotOnPage]);
        assert_eq!(defects(&read_example("p.md", 1, "POST /me/widgets/w1/unfollow\n"), &lines), []);
        assert_eq!(defects(&read_example("p.md", 1, "PUT /me/gadgets\n"), &lines), [Defect::MethodNotOnPage, Defect::PathNotOnPage]);
        assert_eq!(defects(&read_example("p.md", 1, "POST /me/gadgets\n"), &lines), [Defect::PathNotOnPage]);
        let lines = [doc_line("GET /workbook/tables/{id|name}").unwrap()];
        assert_eq!(defects(&read_example("p.md", 1, "GET /me/drive/items/01AB/workbook/tables/t1\n"), &lines), []);
        assert_eq!(defects(&read_example("p.md", 1, "POST /me/drive/items/01AB/workbook/tables/t1\n"), &lines), [Defect::MethodNotOnPage]);
    }

    #[test]
    fn request_lines_may_be_examples_and_posts_may_answer_what_they_are_sent() {
        let text = "# Create invitation\n\n## HTTP request\n\n<!-- { \"blockType\": \"request\" } -->\n```http\nPOST /invitations\n```\n\n## Request body\n\nSee [roles](../resources/user.md).\n\nSupply a JSON representation of an [invitation](../resources/invitation.md) object.\n\n## Response\n\nReturns an [invitation](../resources/Invitation.md) object.\n";
        let p = page("api/invitation-post.md", text);
        assert_eq!(p.lines.iter().map(|l| l.path.as_str()).collect::<Vec<_>>(), ["/invitations"]);
        assert_eq!(p.examples.len(), 1);
        assert!(p.answers_what_it_is_sent);
        let other = page("api/x.md", &text.replace("../resources/Invitation.md", "../resources/user.md"));
        assert!(!other.answers_what_it_is_sent);
        assert_eq!(
            doc_line("POST /w/resizedRange(deltaRows={n}, deltaColumns={n})").map(|d| d.path),
            Some("/w/resizedRange(deltaRows={n},deltaColumns={n})".into())
        );
    }

    #[test]
    fn runtime_errors_become_causes() {
        assert_eq!(
            runtime_cause("body does not deserialize: invalid Guid \"x-1\": invalid character: found `o` at 2 at line 1 column 40"),
            "body does not deserialize: invalid Guid"
        );
        assert_eq!(
            runtime_cause("body does not deserialize: invalid type: string \"false\", expected a boolean at line 3 column 9"),
            "body does not deserialize: invalid type: string \"…\", expected a boolean"
        );
        assert!(primitive_mismatch("body does not deserialize: invalid Guid"));
        assert!(primitive_mismatch("body does not deserialize: invalid type: string \"…\", expected a boolean"));
        assert!(!primitive_mismatch("body does not deserialize: invalid type: string \"…\", expected a JSON object (Message)"));
        assert!(!primitive_mismatch("body: string changed"));
        assert_eq!(
            runtime_cause("request does not build: invalid request: path parameter id is \"\", which would address another resource"),
            "request does not build: invalid request: path parameter id is \"…\", which would address another resource"
        );
    }

    #[test]
    fn headers_after_a_blank_line_are_read_as_headers_and_flagged() {
        let ex = read_example("p.md", 1, "POST /me/x\n\nContent-type: application/json\nPrefer: a\n\n{\n  \"name\": \"m\"\n}\n");
        assert_eq!(ex.headers, [("Content-type".to_string(), "application/json".to_string()), ("Prefer".into(), "a".into())]);
        assert!(matches!(&ex.body, Body::Json { value, .. } if value == &serde_json::json!({"name": "m"})));
        assert_eq!(defects(&ex, &[]), [Defect::HeadersAfterBlankLine]);
        // A body is not taken for headers.
        let ex = read_example("p.md", 1, "POST /me/x\n\n\"a\": 1\n");
        assert!(ex.headers.is_empty() && !ex.headers_after_blank);
    }

    #[test]
    fn placeholders_are_told_from_values() {
        for p in
            ["String (timestamp)", "Edm.String (identifier)", "@odata.type: microsoft.graph.alertStatus", "read | write", "notRecording | recording | failed"]
        {
            assert!(is_placeholder(p), "{p}");
        }
        for v in ["String", "Single", "Meet for lunch?", "a | b c", "(555) 555-0100", "Text (plain)"] {
            assert!(!is_placeholder(v), "{v}");
        }
        let ex = read_example("p.md", 1, "PATCH /x\n\n{\"a\": {\"b\": [\"String (timestamp)\"]}}\n");
        assert_eq!(defects(&ex, &[]), [Defect::BodyPlaceholder]);
    }

    #[test]
    fn a_dangling_request_annotation_still_makes_an_example() {
        let p = page(
            "api/x.md",
            "# x\n\n<!-- { \"blockType\": \"request\" } -->\n##### Request\n```http\nDELETE /sites/s/pages/p\n```\n\n```http\nGET /other\n```\n",
        );
        assert_eq!(p.examples.iter().map(|e| e.at()).collect::<Vec<_>>(), ["api/x.md:6"]);
    }

    #[test]
    fn bodies_are_read_strictly() {
        assert_eq!(read_body("", None), Body::None);
        assert!(matches!(read_body("{\"a\": null}", None), Body::Json { value, .. } if value["a"].is_null()));
        assert!(matches!(read_body("{\"a\": 1, // one\n}", Some("application/json")), Body::Lenient { .. }));
        assert!(matches!(read_body("{\"a\": 1,\n  ...\n}", None), Body::Lenient { value, .. } if value == serde_json::json!({"a": 1})));
        assert!(matches!(read_body("{ a: 1 }", None), Body::Invalid { .. }));
        assert!(matches!(read_body("<file contents>", Some("application/json")), Body::Invalid { .. }));
        assert_eq!(read_body("Hello", Some("text/plain")), Body::NotJson { content_type: Some("text/plain".into()), text: "Hello".into() });
        assert_eq!(
            read_body("{binary}", Some("application/octet-stream")),
            Body::NotJson { content_type: Some("application/octet-stream".into()), text: "{binary}".into() }
        );
        assert_eq!(read_body("a,b\n1,2", None), Body::NotJson { content_type: None, text: "a,b\n1,2".into() });
        assert!(matches!(read_body("\"text\"", None), Body::Json { .. }));
    }

    #[test]
    fn request_lines_keep_spaces_in_values() {
        assert_eq!(request_line("get /me/events?$filter=a eq 'b' HTTP/1.1"), Some(("GET".into(), "/me/events?$filter=a eq 'b'".into())));
        assert_eq!(request_line("Content-Type: x"), None);
        assert_eq!(request_line("POST"), None);
        assert_eq!(
            doc_line("GET /users/{id | userPrincipalName}/messages?$filter=x eq 1").map(|d| d.path),
            Some("/users/{id|userPrincipalName}/messages".into())
        );
    }
}
