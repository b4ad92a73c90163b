//! Markdown events -> a [`Page`]: front matter, headings, paragraphs, tables, annotations and code blocks.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use super::meta::{annotations_in, dangling, fence_closed, front_matter};
use super::*;

/// An inline `<br>` tag, in any of its spellings.
fn is_line_break(html: &str) -> bool {
    let t = html.trim().to_ascii_lowercase();
    t.strip_prefix("<br").is_some_and(|r| r.trim_end_matches('>').trim_end_matches('/').trim().is_empty())
}

/// A header cell's words: lower-cased, without emphasis or code markup, single spaces.
pub(super) fn header_words(text: &str) -> String {
    let t = text.trim().trim_matches(|c: char| matches!(c, '*' | '_' | '`') || c.is_whitespace());
    // The words joined by one space, lower-cased, into one buffer.
    let mut out = String::with_capacity(t.len());
    for w in t.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.make_ascii_lowercase();
    out
}

/// `text` without its DocFX include directives (`[!INCLUDE [name](path)]`, read
/// by the markdown parser as `[!INCLUDE name]` around a link) and their links.
pub(super) fn without_includes(text: Text) -> Text {
    if !text.text.contains("[!INCLUDE") && !text.text.contains("[!include") {
        return text;
    }
    let mut out = String::with_capacity(text.text.len());
    let mut dropped: Vec<String> = Vec::new();
    let mut rest = text.text.as_str();
    while let Some(i) = rest.find("[!INCLUDE").or_else(|| rest.find("[!include")) {
        out.push_str(&rest[..i]);
        // Up to the `]` that closes the directive (brackets inside it balanced).
        let mut depth = 0usize;
        let mut end = rest.len();
        for (j, c) in rest[i..].char_indices() {
            match c {
                '[' => depth += 1,
                ']' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        dropped.push(rest[i..end].to_string());
        rest = &rest[end..];
    }
    out.push_str(rest);
    let links = text
        .links
        .into_iter()
        .filter(|l| !dropped.iter().any(|d| d.contains(l.text.as_str()) && (l.dest.contains("includes/") || l.dest.ends_with(".md"))))
        .collect();
    let lines: Vec<&str> = out.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    Text { text: lines.join("\n"), links }
}

#[derive(Default)]
struct TextBuf {
    text: String,
    links: Vec<Link>,
    link_starts: Vec<(usize, String)>,
}

impl TextBuf {
    fn finish(self) -> Text {
        Text { text: self.text.trim().to_string(), links: self.links }
    }
}

enum Ctx {
    None,
    Heading(u8, usize, TextBuf),
    Paragraph(usize, TextBuf),
    Code { lang: String, start: usize, text: String, first: Option<usize>, fenced: bool },
    Html(usize, String),
    Meta(usize, String),
}

/// Inline content goes to the open table cell or the open text context.
fn text_buf<'x>(table: &'x mut Option<TableBuilder>, ctx: &'x mut Ctx) -> Option<&'x mut TextBuf> {
    match (table, ctx) {
        (Some(TableBuilder { cell: Some((_, b)), .. }), _) => Some(b),
        (_, Ctx::Heading(_, _, b)) | (_, Ctx::Paragraph(_, b)) => Some(b),
        _ => None,
    }
}

struct TableBuilder {
    start: usize,
    header: Vec<Cell>,
    rows: Vec<Vec<Cell>>,
    in_head: bool,
    row: Vec<Cell>,
    cell: Option<(usize, TextBuf)>,
    /// Source range of the open row, the cells written in it and where the last
    /// one ends: pulldown-cmark pads short rows with empty cells at the row's end
    /// and drops the cells past the header's count, so ragged rows are found here.
    row_range: Range<usize>,
    written: usize,
    last_cell_end: usize,
}

impl TableBuilder {
    fn new(start: usize) -> TableBuilder {
        TableBuilder { start, header: Vec::new(), rows: Vec::new(), in_head: false, row: Vec::new(), cell: None, row_range: 0..0, written: 0, last_cell_end: 0 }
    }

    fn start_cell(&mut self, text: &str, range: Range<usize>) {
        // Padding cells are empty and sit at the end of the row.
        let padding = range.is_empty() && range.start >= self.row_range.end && !self.in_head;
        if !padding {
            self.written += 1;
            self.last_cell_end = range.end;
        }
        // The cell's position is that of its content, not of the blanks before
        // it; a padding cell is at the end of its row (not on the next line).
        let src = text.get(range.clone()).unwrap_or("");
        let at = if padding {
            let row = text.get(self.row_range.clone()).unwrap_or("");
            self.row_range.start + row.trim_end_matches(['\n', '\r']).len()
        } else {
            range.start + (src.len() - src.trim_start().len())
        };
        self.cell = Some((at, TextBuf::default()));
    }
}

/// Parse one page's text. A code fence "closed" by a fence line with an info
/// string (```` ```json ````), which cannot close it and so swallows the page's
/// tables and representation, is read as closed there (a `fence-misclosed`
/// warning each; see [`misclosed_fence`]).
pub fn parse_page(src: &Arc<SourceText>, diags: &mut Vec<Diagnostic>) -> Page {
    let mut text: Option<String> = None;
    let mut fixes = Vec::new();
    // Each round closes one more fence; the rounds are bounded by the page's lines.
    loop {
        let mut round = Vec::new();
        let page = parse_text(src, text.as_deref().unwrap_or(&src.text), &mut round);
        let at = if fixes.len() < MAX_FENCE_FIXES { misclosed_fence(&page, text.as_deref().unwrap_or(&src.text)) } else { None };
        match at {
            Some((line_start, info)) => {
                // The info string becomes blanks of the same length: every offset stays.
                let t = text.get_or_insert_with(|| src.text.clone());
                t.replace_range(info.clone(), &" ".repeat(info.len()));
                fixes.push(Diagnostic::new(Code::FenceMisclosed, Span::new(src, line_start..info.end), "this fence line has an info string, so it cannot close the code block before it, which swallows what follows; it is read as the closing fence")
                    .hint("close a code block with a bare ``` line, and open the next one on a line of its own"));
            }
            None => {
                diags.append(&mut round);
                diags.append(&mut fixes);
                return page;
            }
        }
    }
}

/// More mis-closed fences than this on one page are left as they are.
const MAX_FENCE_FIXES: usize = 64;

/// The first line inside a fenced code block (not nested in a list or a quote)
/// that is a fence of the block's own character and at least its length followed
/// by an info string: the line meant to close the block. Not when the next fence
/// line after it is bare: then it opens the next block after a missing close, and
/// that bare line closes it (reading it as a close would turn that line into an
/// opener that swallows the rest of the page). (its line start, the info string's
/// byte range)
fn misclosed_fence(page: &Page, text: &str) -> Option<(usize, Range<usize>)> {
    for b in &page.blocks {
        let Block::Code(c) = b else { continue };
        let src = text.get(c.span.start as usize..c.span.end as usize)?;
        let mut lines = src.split_inclusive('\n');
        let open = lines.next()?;
        // Only top-level fences: an indented or quoted one is read by its container.
        let Some(ch) = open.chars().next().filter(|c| *c == '`' || *c == '~') else { continue };
        let n = open.chars().take_while(|c| *c == ch).count();
        let mut at = c.span.start as usize + open.len();
        for line in lines {
            let run = line.chars().take_while(|c| *c == ch).count();
            let info = line[run..].trim_end();
            if run >= n
                && !info.trim().is_empty()
                && !(ch == '`' && info.contains('`'))
                && info.trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                // The next fence line of the page after this one (inside the block or after it).
                let after = &text[at + line.len()..];
                let next_bare =
                    after.lines().find(|l| l.chars().take_while(|c| *c == ch).count() >= 3).is_some_and(|l| l.trim_start_matches(ch).trim().is_empty());
                if next_bare {
                    break;
                }
                let lead = info.len() - info.trim_start().len();
                let start = at + run + lead;
                return Some((at, start..start + info.trim().len()));
            }
            at += line.len();
        }
    }
    None
}

fn parse_text(src: &Arc<SourceText>, text: &str, diags: &mut Vec<Diagnostic>) -> Page {
    let page = Page { path: src.path.clone(), source: src.clone(), front_matter: BTreeMap::new(), blocks: Vec::new(), page_annotations: Vec::new() };
    let mut b = Builder { text, src: src.clone(), diags, page, ctx: Ctx::None, table: None, pending: None, saw_front_matter: false, quotes: Vec::new() };
    // GFM: `> [!NOTE]` alerts are block quotes of their own kind (dropped below).
    let opts = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS | Options::ENABLE_GFM;
    for (event, range) in Parser::new_ext(text, opts).into_offset_iter() {
        match event {
            Event::Start(tag) => b.start(tag, range),
            Event::End(tag) => b.end(tag, range),
            Event::Text(s) => b.text(&s, range),
            Event::Code(s) => b.inline(&s),
            Event::SoftBreak | Event::HardBreak => b.inline(" "),
            Event::Html(s) | Event::InlineHtml(s) => b.html(&s, range),
            _ => {}
        }
        b.end_dangling_annotation();
    }
    b.finish()
}

/// A page being built from pulldown-cmark's events.
struct Builder<'t, 'd> {
    text: &'t str,
    /// The file in the source map: spans are byte ranges into it.
    src: Arc<SourceText>,
    diags: &'d mut Vec<Diagnostic>,
    page: Page,
    /// The open block.
    ctx: Ctx,
    /// The open table (paragraphs inside its cells are part of the cells).
    table: Option<TableBuilder>,
    /// An annotation waiting for the code block it describes.
    pending: Option<Annotation>,
    saw_front_matter: bool,
    /// The open block quotes, `true` for an alert (`> [!NOTE]`, `> [!TIP]`, ...):
    /// what an alert holds is a note to the reader, never a table, an example or
    /// a type's description, so nothing in it becomes a block.
    quotes: Vec<bool>,
}

impl Builder<'_, '_> {
    /// The bytes `start..end` (pulldown-cmark's offsets).
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(&self.src, start..end)
    }

    /// Inside an alert: nothing becomes a block.
    fn in_alert(&self) -> bool {
        self.quotes.iter().any(|a| *a)
    }

    /// A block of the page, unless it is inside an alert.
    fn push(&mut self, block: Block) {
        if !self.in_alert() {
            self.page.blocks.push(block);
        }
    }

    fn start(&mut self, tag: Tag, range: Range<usize>) {
        match tag {
            Tag::BlockQuote(kind) => self.quotes.push(kind.is_some()),
            Tag::Heading { level, .. } => self.ctx = Ctx::Heading(level as u8, range.start, TextBuf::default()),
            // Paragraphs in table cells are part of the cells.
            Tag::Paragraph if self.table.is_none() => self.ctx = Ctx::Paragraph(range.start, TextBuf::default()),
            Tag::CodeBlock(kind) => {
                let (lang, fenced) = match kind {
                    CodeBlockKind::Fenced(info) => (info.trim().to_ascii_lowercase(), true),
                    CodeBlockKind::Indented => (String::new(), false),
                };
                self.ctx = Ctx::Code { lang, start: range.start, text: String::new(), first: None, fenced };
            }
            Tag::HtmlBlock => self.ctx = Ctx::Html(range.start, String::new()),
            Tag::MetadataBlock(MetadataBlockKind::YamlStyle) => self.ctx = Ctx::Meta(range.start, String::new()),
            Tag::Table(_) => self.table = Some(TableBuilder::new(range.start)),
            Tag::TableHead => {
                if let Some(t) = &mut self.table {
                    t.in_head = true;
                }
            }
            Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.row_range = range.clone();
                    t.written = 0;
                    t.last_cell_end = range.start;
                }
            }
            Tag::TableCell => {
                if let Some(t) = &mut self.table {
                    t.start_cell(self.text, range);
                }
            }
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                if let Some(b) = text_buf(&mut self.table, &mut self.ctx) {
                    b.link_starts.push((b.text.len(), dest_url.to_string()));
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        match tag {
            TagEnd::BlockQuote(_) => {
                self.quotes.pop();
            }
            TagEnd::Heading(_) => {
                if let Ctx::Heading(level, start, b) = std::mem::replace(&mut self.ctx, Ctx::None) {
                    let text = b.finish();
                    // `# [C#](#tab/csharp)`: the tab of a code sample, not a section (a
                    // level-1 heading would end the section the sample belongs to).
                    let tab = matches!(text.links.as_slice(), [l] if l.dest.starts_with("#tab/") && l.text.trim() == text.text.trim());
                    // An include directive underlined by a `---` line is no section either.
                    let text = without_includes(text);
                    if !tab && !text.text.is_empty() {
                        let span = self.span(start, range.end);
                        self.push(Block::Heading { level, text, span });
                    }
                }
            }
            TagEnd::Paragraph => {
                if let Ctx::Paragraph(start, b) = std::mem::replace(&mut self.ctx, Ctx::None) {
                    // DocFX include directives pull in text from elsewhere (national
                    // cloud notes, permission tables, SDK snippets): not this page's words.
                    let text = without_includes(b.finish());
                    if !text.text.is_empty() {
                        let span = self.span(start, range.end);
                        self.push(Block::Paragraph { text, span });
                    }
                }
            }
            TagEnd::CodeBlock => self.end_code(range),
            TagEnd::HtmlBlock => {
                if let Ctx::Html(start, html) = std::mem::replace(&mut self.ctx, Ctx::None) {
                    self.annotations(&html, start);
                }
            }
            TagEnd::MetadataBlock(_) => {
                if let Ctx::Meta(start, yaml) = std::mem::replace(&mut self.ctx, Ctx::None) {
                    let (first_line, _) = self.src.line_col(start);
                    self.page.front_matter = front_matter(&self.src, &yaml, first_line + 1, self.diags);
                    self.saw_front_matter = true;
                }
            }
            TagEnd::TableCell => {
                if let Some((start, b)) = self.table.as_mut().and_then(|t| t.cell.take()) {
                    let span = self.span(start, range.end);
                    if let Some(t) = &mut self.table {
                        t.row.push(Cell { text: b.finish(), span });
                    }
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.header = std::mem::take(&mut t.row);
                    t.in_head = false;
                }
            }
            TagEnd::TableRow => self.end_row(),
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    let span = self.span(t.start, range.end);
                    self.push(Block::Table(Table { header: t.header, rows: t.rows, span }));
                }
            }
            TagEnd::Link | TagEnd::Image => {
                if let Some(b) = text_buf(&mut self.table, &mut self.ctx) {
                    if let Some((at, dest)) = b.link_starts.pop() {
                        let text = b.text.get(at..).unwrap_or("").trim().to_string();
                        b.links.push(Link { text, dest });
                    }
                }
            }
            _ => {}
        }
    }

    fn end_code(&mut self, range: Range<usize>) {
        let Ctx::Code { lang, start, text: code, first, fenced } = std::mem::replace(&mut self.ctx, Ctx::None) else { return };
        let span = self.span(start, range.end);
        if fenced && !fence_closed(self.text.get(start..range.end.max(start)).unwrap_or(""), range.end >= self.text.len()) {
            self.diags.push(
                Diagnostic::new(Code::Unterminated, span.clone(), "this code fence is never closed; the rest of the page is inside the code block")
                    .hint("close the block with a ``` line"),
            );
        }
        // An empty block's content would start on the next line, if there is one.
        let first_line = first.map_or((span.line() + 1).min(self.src.line_count()), |f| self.src.line_col(f).0);
        if self.in_alert() {
            return;
        }
        let annotation = self.pending.take();
        self.page.blocks.push(Block::Code(CodeBlock { lang, text: code, span, first_line, annotation }));
    }

    /// The end of a table row: a row with more or fewer cells than the header is reported.
    fn end_row(&mut self) {
        let Some(t) = &mut self.table else { return };
        // Cells past the header's count: what follows the last cell's pipe.
        let rest = self.text.get(t.last_cell_end..t.row_range.end).unwrap_or("").trim();
        let rest = rest.strip_prefix('|').unwrap_or(rest).trim();
        let extra = if rest.is_empty() { 0 } else { rest.strip_suffix('|').unwrap_or(rest).split('|').count() };
        let cells = t.written + extra;
        let row = std::mem::take(&mut t.row);
        let (header, row_range) = (t.header.len(), t.row_range.clone());
        t.rows.push(row);
        if cells != header {
            let span = self.span(row_range.start, row_range.end);
            self.diags.push(
                Diagnostic::new(Code::TableRagged, span, format!("row has {cells} cells, header has {header}"))
                    .hint("give every row as many cells as the header; leave a cell empty with `| |`"),
            );
        }
    }

    fn text(&mut self, s: &str, range: Range<usize>) {
        match &mut self.ctx {
            Ctx::Code { text, first, .. } => {
                if first.is_none() {
                    *first = Some(range.start);
                }
                text.push_str(s);
            }
            Ctx::Meta(_, y) => y.push_str(s),
            _ => self.inline(s),
        }
    }

    /// Inline text of the open cell, heading or paragraph.
    fn inline(&mut self, s: &str) {
        if let Some(b) = text_buf(&mut self.table, &mut self.ctx) {
            b.text.push_str(s);
        }
    }

    fn html(&mut self, s: &str, range: Range<usize>) {
        if let Ctx::Html(_, h) = &mut self.ctx {
            h.push_str(s);
            return;
        }
        // A line break in a cell or paragraph (`<br>`, `<br/>`, `<br />`) is a
        // new line of its text: lists of values are written that way.
        if is_line_break(s) {
            self.inline("\n");
        }
        // An inline comment can carry an annotation too (rare, but seen).
        if s.trim_start().starts_with("<!--") {
            self.annotations(s, range.start);
        }
    }

    /// The annotations in an HTML fragment at `start`: one with a `blockType`
    /// waits for its code block, the others annotate the page.
    fn annotations(&mut self, html: &str, start: usize) {
        let src = &self.src;
        let span_at = |off: usize, end: usize| Span::new(src, off..end);
        let anns = annotations_in(html, start, &span_at, self.diags);
        if self.in_alert() {
            return;
        }
        for ann in anns {
            // `blockType: permissions` marks the permissions include that follows,
            // not a code block: it annotates the page.
            if ann.block_type().is_some_and(|t| !t.eq_ignore_ascii_case("permissions")) {
                if let Some(old) = self.pending.replace(ann) {
                    dangling(old, self.diags);
                }
            } else {
                self.page.page_annotations.push(ann);
            }
        }
    }

    /// A block other than a code block between an annotation and its code block
    /// means the annotation is dangling; tables and headings end it.
    fn end_dangling_annotation(&mut self) {
        if let (Some(last @ (Block::Heading { .. } | Block::Table(_))), Some(p)) = (self.page.blocks.last(), &self.pending) {
            if last.span() > &p.span {
                if let Some(old) = self.pending.take() {
                    dangling(old, self.diags);
                }
            }
        }
    }

    fn finish(mut self) -> Page {
        // A page that opens front matter which pulldown-cmark did not read as such
        // (no closing `---`, or nothing in it) would silently lose its title and type.
        if !self.saw_front_matter && self.text.lines().next().is_some_and(|l| l.trim_end() == "---") {
            self.diags.push(
                Diagnostic::new(Code::FrontMatter, self.span(0, 0), "front matter is not closed (or is empty); the page has no title or doc_type")
                    .hint("close the front matter with a `---` line"),
            );
        }
        if let Some(old) = self.pending.take() {
            dangling(old, self.diags);
        }
        self.page
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Page, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let p = parse_page(&SourceText::from_text("t.md", text), &mut d);
        (p, d)
    }

    #[test]
    fn front_matter_and_headings_keep_positions() {
        let (p, d) = parse("---\ntitle: \"Add x\"\ndoc_type: apiPageType\n---\n\n# Add x\n\nNamespace: microsoft.graph\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(p.meta("title"), Some("Add x"));
        assert_eq!(p.front_matter["doc_type"].1.line(), 3);
        assert_eq!(p.namespace(), Some("microsoft.graph"));
        match &p.blocks[0] {
            Block::Heading { level, text, span } => {
                assert_eq!((*level, text.text.as_str(), span.line(), span.col()), (1, "Add x", 6, 1));
            }
            b => panic!("{b:?}"),
        }
    }

    #[test]
    fn annotation_attaches_to_next_code_block_with_trailing_comma_note() {
        let src = "text\n\n<!-- {\n  \"blockType\": \"request\",\n  \"name\": \"x\",\n}-->\n``` http\nGET /me\n```\n";
        let (p, d) = parse(src);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::AnnotationLenient);
        assert_eq!(d[0].span.line(), 3);
        let code = p.blocks.iter().find_map(|b| if let Block::Code(c) = b { Some(c) } else { None }).unwrap();
        assert_eq!(code.lang, "http");
        assert_eq!(code.span.line(), 7);
        assert_eq!(code.first_line, 8);
        assert_eq!(code.annotation.as_ref().unwrap().str("name"), Some("x"));
    }

    #[test]
    fn dangling_annotation_is_reported() {
        let (_, d) = parse("<!-- { \"blockType\": \"request\" } -->\n\n## Heading\n\n```http\nGET /x\n```\n");
        assert_eq!(d.iter().map(|d| d.code).collect::<Vec<_>>(), vec![Code::AnnotationDangling]);
        assert_eq!(d[0].span.line(), 1);
    }

    #[test]
    fn tables_with_links_and_single_column() {
        let src = "|Property|Type|Description|\n|:---|:---|:---|\n|info|[participantInfo](../resources/participantinfo.md)| x |\n|media|[mediaStream](m.md) collection||\n\n| Member\n|:---\n| file\n| item\n";
        let (p, _) = parse(src);
        let tables: Vec<&Table> = p.blocks.iter().filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None }).collect();
        assert_eq!(tables.len(), 2);
        let t = tables[0];
        assert_eq!(t.column(&["type"]), Some(1));
        assert_eq!(t.rows[0][1].text.links[0].text, "participantInfo");
        assert_eq!(t.rows[0][1].text.links[0].dest, "../resources/participantinfo.md");
        assert_eq!(t.rows[1][1].text.text, "mediaStream collection");
        assert_eq!(t.rows[1][0].span.line(), 4);
        assert_eq!(tables[1].rows.len(), 2);
        assert_eq!(tables[1].rows[1][0].text.text, "item");
    }

    #[test]
    fn header_cells_in_every_spelling() {
        for h in ["Property", "property", "**Property**", "Property name", "Property Name", "`property`", "Properties", " _Property_  name "] {
            let (p, _) = parse(&format!("| {h} | Type |\n|---|---|\n| a | String |\n"));
            let Block::Table(t) = &p.blocks[0] else { panic!() };
            assert_eq!(t.column(&["property"]), Some(0), "{h}");
            assert_eq!(t.column(&["type"]), Some(1), "{h}");
        }
        let (p, _) = parse("| Property type | Typed |\n|---|---|\n| a | b |\n");
        let Block::Table(t) = &p.blocks[0] else { panic!() };
        assert_eq!(t.column(&["property"]), None);
        assert_eq!(t.column(&["type"]), None);
    }

    #[test]
    fn line_breaks_in_cells_are_new_lines() {
        let (p, _) = parse("| a | b |\n|---|---|\n| x | Values are:<br/>`on`<BR>`off`<br />done <bra> |\n");
        let Block::Table(t) = &p.blocks[0] else { panic!() };
        assert_eq!(t.rows[0][1].text.text, "Values are:\non\noff\ndone");
    }
    #[test]
    fn unterminated_fences_and_comments_are_reported() {
        let codes = |src: &str| parse(src).1.iter().map(|d| (d.code, d.span.line(), d.span.col())).collect::<Vec<_>>();
        assert_eq!(codes("a\n\n```http\nGET /x\n```\n"), vec![]);
        assert_eq!(codes("a\n\n```http\nGET /x\n```"), vec![]);
        assert_eq!(codes("a\n\n~~~~\nx\n~~~~~\n"), vec![]);
        assert_eq!(codes("    ```\n    indented\n"), vec![]);
        assert_eq!(codes("- item\n\n  ```\n  x\n- next\n"), vec![]);
        assert_eq!(codes("> ```\n> x\n> ```\n"), vec![]);
        assert_eq!(codes("a\n\n```http\nGET /x\n\n## More\n"), vec![(Code::Unterminated, 3, 1)]);
        assert_eq!(codes("a\n\n````\nx\n```\n"), vec![(Code::Unterminated, 3, 1)]);
        assert_eq!(codes("```\n"), vec![(Code::Unterminated, 1, 1)]);
        assert_eq!(codes("```"), vec![(Code::Unterminated, 1, 1)]);
        assert_eq!(codes("> ```\n> x\n"), vec![(Code::Unterminated, 1, 3)]);
        assert_eq!(codes("x\n\n<!-- { \"blockType\": \"request\" }\n```http\nGET /x\n```\n"), vec![(Code::Unterminated, 3, 1)]);
        assert_eq!(codes("x\n\n<!-- note\n"), vec![(Code::Unterminated, 3, 1)]);
    }

    #[test]
    fn ragged_rows_are_reported_and_cells_point_at_their_content() {
        let src = "| a | b | c |\n|---|---|---|\n| 1 | 2 |\n| x | y | z | w |\n|  p  |  | |\n| q | r | s\n";
        let (p, d) = parse(src);
        let got: Vec<_> = d.iter().map(|d| (d.code, d.span.line(), d.span.col(), d.message.clone())).collect();
        assert_eq!(
            got,
            vec![
                (Code::TableRagged, 3, 1, "row has 2 cells, header has 3".to_string()),
                (Code::TableRagged, 4, 1, "row has 4 cells, header has 3".to_string()),
            ]
        );
        let Block::Table(t) = &p.blocks[0] else { panic!() };
        assert_eq!(t.rows[0].len(), 3, "padding cells are kept");
        assert_eq!((t.rows[0][2].span.line(), t.rows[0][2].span.col()), (3, 10), "a padding cell is at the end of its row");
        assert_eq!((t.rows[2][0].span.line(), t.rows[2][0].span.col()), (5, 4));
        assert_eq!(t.rows[2][1].text.text, "");
    }

    #[test]
    fn unclosed_front_matter_is_reported() {
        let (p, d) = parse("---\ntitle: \"x\"\ndoc_type: apiPageType\n\n# x\n");
        assert!(p.front_matter.is_empty());
        assert_eq!(d.iter().map(|d| (d.code, d.span.line(), d.span.col())).collect::<Vec<_>>(), vec![(Code::FrontMatter, 1, 1)]);
        let (p, d) = parse("---\ntitle: \"x\"\n---\n\n# x\n");
        assert_eq!(p.meta("title"), Some("x"));
        assert!(d.is_empty());
    }

    #[test]
    fn empty_page_is_reported() {
        let mut d = Vec::new();
        assert!(parse_file(&SourceFile { path: "e.md".into(), bytes: b" \n\n".to_vec() }, &mut d).is_some());
        assert_eq!(d.iter().map(|d| (d.code, d.span.line())).collect::<Vec<_>>(), vec![(Code::PageSkipped, 1)]);
    }

    #[test]
    fn non_utf8_is_a_diagnostic_not_a_panic() {
        let mut d = Vec::new();
        let f = SourceFile { path: "bad.md".into(), bytes: b"# ok\n\xff\xfe".to_vec() };
        assert!(parse_file(&f, &mut d).is_none());
        assert_eq!(d[0].code, Code::NotUtf8);
        assert_eq!((d[0].span.line(), d[0].span.col()), (2, 1));
        let mut d = Vec::new();
        let f = SourceFile { path: "bad.md".into(), bytes: "# ok\nnaïve x".bytes().chain([0xff]).collect() };
        assert!(parse_file(&f, &mut d).is_none());
        assert_eq!((d[0].span.line(), d[0].span.col()), (2, 8));
    }

    #[test]
    fn spans_are_byte_ranges_of_the_blocks() {
        let text = "# Title\n\nSome *text*.\n\n| A | B |\n|---|---|\n| x | yz |\n\n```json\n{}\n```\n";
        let (p, d) = parse(text);
        assert!(d.is_empty(), "{d:?}");
        let of = |s: &Span| &text[s.start as usize..s.end as usize];
        let blocks: Vec<&str> = p.blocks.iter().map(|b| of(b.span()).trim_end()).collect();
        assert_eq!(blocks, ["# Title", "Some *text*.", "| A | B |\n|---|---|\n| x | yz |", "```json\n{}\n```"]);
        let Block::Table(t) = &p.blocks[2] else { panic!("a table: {:?}", p.blocks[2]) };
        assert_eq!(of(&t.rows[0][1].span).trim(), "yz");
        assert_eq!(t.rows[0][1].span.line_col(), (7, 7), "line and column come from the offset");
    }

    /// A fence "closed" by ```` ```json ```` is closed there; a ```` ```json ```` that
    /// opens the next block after a missing close (a bare fence follows it) is left as
    /// markdown reads it, never turned into an opener that swallows the page.
    #[test]
    fn misclosed_fences_are_closed_and_missing_closes_left_alone() {
        let (p, d) = parse("# x\n\n```json\n{ \"a\": 1 }\n```json\n\n| Property | Type |\n|---|---|\n| a | Int32 |\n\n```json\n{}\n```\n");
        assert_eq!(d.iter().map(|d| (d.code, d.span.line())).collect::<Vec<_>>(), [(Code::FenceMisclosed, 5)]);
        assert!(p.blocks.iter().any(|b| matches!(b, Block::Table(_))), "{:?}", p.blocks);
        assert_eq!(p.blocks.iter().filter(|b| matches!(b, Block::Code(_))).count(), 2);
        let (p, d) = parse("# x\n\n```http\nPOST /x\n\n```json\n{ \"a\": 1 }\n```\n\nThen.\n\n```http\nHTTP/1.1 200 OK\n```\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(p.blocks.iter().filter(|b| matches!(b, Block::Code(_))).count(), 2);
    }
}
