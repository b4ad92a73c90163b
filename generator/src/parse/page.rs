//! Markdown events -> a [`Page`]: front matter, headings, paragraphs, tables, annotations and code blocks.

use std::collections::BTreeMap;
use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};
use serde_json::Value;

use super::*;

/// An inline `<br>` tag, in any of its spellings.
fn is_line_break(html: &str) -> bool {
    let t = html.trim().to_ascii_lowercase();
    t.strip_prefix("<br").is_some_and(|r| r.trim_end_matches('>').trim_end_matches('/').trim().is_empty())
}

/// A header cell's words: lower-cased, without emphasis or code markup, single spaces.
pub(super) fn header_words(text: &str) -> String {
    let t = text.trim().trim_matches(|c: char| matches!(c, '*' | '_' | '`') || c.is_whitespace());
    t.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase()
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
    row_range: std::ops::Range<usize>,
    written: usize,
    last_cell_end: usize,
}

/// Parse one page's text.
pub fn parse_page(path: Arc<str>, text: &str, diags: &mut Vec<Diagnostic>) -> Page {
    let idx = LineIndex::new(text);
    let span_at = |off: usize| {
        let (l, c) = idx.line_col(off);
        Span::new(&path, l, c)
    };
    let mut page = Page {
        path: path.clone(),
        front_matter: BTreeMap::new(),
        blocks: Vec::new(),
        page_annotations: Vec::new(),
    };
    let opts = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut ctx = Ctx::None;
    let mut table: Option<TableBuilder> = None;
    let mut pending: Option<Annotation> = None;
    let mut saw_front_matter = false;
    // Paragraphs can nest in list items and block quotes; we only keep the innermost.
    let mut depth_guard = 0usize;

    for (event, range) in Parser::new_ext(text, opts).into_offset_iter() {
        match event {
            Event::Start(tag) => match tag {
                Tag::Heading { level, .. } => ctx = Ctx::Heading(level as u8, range.start, TextBuf::default()),
                Tag::Paragraph => {
                    depth_guard += 1;
                    if table.is_none() {
                        ctx = Ctx::Paragraph(range.start, TextBuf::default());
                    }
                }
                Tag::CodeBlock(kind) => {
                    let (lang, fenced) = match kind {
                        CodeBlockKind::Fenced(info) => (info.trim().to_ascii_lowercase(), true),
                        CodeBlockKind::Indented => (String::new(), false),
                    };
                    ctx = Ctx::Code { lang, start: range.start, text: String::new(), first: None, fenced };
                }
                Tag::HtmlBlock => ctx = Ctx::Html(range.start, String::new()),
                Tag::MetadataBlock(MetadataBlockKind::YamlStyle) => ctx = Ctx::Meta(range.start, String::new()),
                Tag::Table(_) => {
                    table = Some(TableBuilder {
                        start: range.start,
                        header: Vec::new(),
                        rows: Vec::new(),
                        in_head: false,
                        row: Vec::new(),
                        cell: None,
                        row_range: 0..0,
                        written: 0,
                        last_cell_end: 0,
                    })
                }
                Tag::TableHead => {
                    if let Some(t) = &mut table {
                        t.in_head = true;
                    }
                }
                Tag::TableRow => {
                    if let Some(t) = &mut table {
                        t.row_range = range.clone();
                        t.written = 0;
                        t.last_cell_end = range.start;
                    }
                }
                Tag::TableCell => {
                    if let Some(t) = &mut table {
                        // Padding cells are empty and sit at the end of the row.
                        let padding = range.is_empty() && range.start >= t.row_range.end && !t.in_head;
                        if !padding {
                            t.written += 1;
                            t.last_cell_end = range.end;
                        }
                        // The cell's position is that of its content, not of the blanks before
                        // it; a padding cell is at the end of its row (not on the next line).
                        let src = text.get(range.clone()).unwrap_or("");
                        let at = if padding {
                            let row = text.get(t.row_range.clone()).unwrap_or("");
                            t.row_range.start + row.trim_end_matches(['\n', '\r']).len()
                        } else {
                            range.start + (src.len() - src.trim_start().len())
                        };
                        t.cell = Some((at, TextBuf::default()));
                    }
                }
                Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                    if let Some(b) = text_buf(&mut table, &mut ctx) {
                        b.link_starts.push((b.text.len(), dest_url.to_string()));
                    }
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Heading(_) => {
                    if let Ctx::Heading(level, start, b) = std::mem::replace(&mut ctx, Ctx::None) {
                        page.blocks.push(Block::Heading { level, text: b.finish(), span: span_at(start) });
                    }
                }
                TagEnd::Paragraph => {
                    depth_guard = depth_guard.saturating_sub(1);
                    if let Ctx::Paragraph(start, b) = std::mem::replace(&mut ctx, Ctx::None) {
                        let text = b.finish();
                        if !text.text.is_empty() {
                            page.blocks.push(Block::Paragraph { text, span: span_at(start) });
                        }
                    }
                }
                TagEnd::CodeBlock => {
                    if let Ctx::Code { lang, start, text: code, first, fenced } = std::mem::replace(&mut ctx, Ctx::None) {
                        let span = span_at(start);
                        if fenced && !fence_closed(&text[start..range.end.max(start)], range.end >= text.len()) {
                            diags.push(
                                Diagnostic::new(Code::Unterminated, span.clone(), "this code fence is never closed; the rest of the page is inside the code block")
                                    .hint("close the block with a ``` line"),
                            );
                        }
                        // An empty block's content would start on the next line, if there is one.
                        let first_line = first.map_or((span.line + 1).min(idx.line_count()), |f| idx.line_col(f).0);
                        page.blocks.push(Block::Code(CodeBlock {
                            lang,
                            text: code,
                            span,
                            first_line,
                            annotation: pending.take(),
                        }));
                    }
                }
                TagEnd::HtmlBlock => {
                    if let Ctx::Html(start, html) = std::mem::replace(&mut ctx, Ctx::None) {
                        for ann in annotations_in(&html, start, &span_at, diags) {
                            if ann.block_type().is_some() {
                                if let Some(old) = pending.replace(ann) {
                                    dangling(old, diags);
                                }
                            } else {
                                page.page_annotations.push(ann);
                            }
                        }
                    }
                }
                TagEnd::MetadataBlock(_) => {
                    if let Ctx::Meta(start, yaml) = std::mem::replace(&mut ctx, Ctx::None) {
                        let (first_line, _) = idx.line_col(start);
                        page.front_matter = front_matter(&path, &yaml, first_line + 1, diags);
                        saw_front_matter = true;
                    }
                }
                TagEnd::TableCell => {
                    if let Some(t) = &mut table {
                        if let Some((start, b)) = t.cell.take() {
                            t.row.push(Cell { text: b.finish(), span: span_at(start) });
                        }
                    }
                }
                TagEnd::TableHead => {
                    if let Some(t) = &mut table {
                        t.header = std::mem::take(&mut t.row);
                        t.in_head = false;
                    }
                }
                TagEnd::TableRow => {
                    if let Some(t) = &mut table {
                        // Cells past the header's count: what follows the last cell's pipe.
                        let rest = text.get(t.last_cell_end..t.row_range.end).unwrap_or("").trim();
                        let rest = rest.strip_prefix('|').unwrap_or(rest).trim();
                        let extra = if rest.is_empty() { 0 } else { rest.strip_suffix('|').unwrap_or(rest).split('|').count() };
                        let cells = t.written + extra;
                        if cells != t.header.len() {
                            diags.push(
                                Diagnostic::new(Code::TableRagged, span_at(t.row_range.start), format!("row has {cells} cells, header has {}", t.header.len()))
                                    .hint("give every row as many cells as the header; leave a cell empty with `| |`"),
                            );
                        }
                        let row = std::mem::take(&mut t.row);
                        t.rows.push(row);
                    }
                }
                TagEnd::Table => {
                    if let Some(t) = table.take() {
                        let _ = t.in_head;
                        page.blocks.push(Block::Table(Table { header: t.header, rows: t.rows, span: span_at(t.start) }));
                    }
                }
                TagEnd::Link | TagEnd::Image => {
                    if let Some(b) = text_buf(&mut table, &mut ctx) {
                        if let Some((at, dest)) = b.link_starts.pop() {
                            let text = b.text.get(at..).unwrap_or("").trim().to_string();
                            b.links.push(Link { text, dest });
                        }
                    }
                }
                _ => {}
            },
            Event::Text(s) => match &mut ctx {
                Ctx::Code { text, first, .. } => {
                    if first.is_none() {
                        *first = Some(range.start);
                    }
                    text.push_str(&s);
                }
                Ctx::Meta(_, y) => y.push_str(&s),
                _ => {
                    if let Some(b) = text_buf(&mut table, &mut ctx) {
                        b.text.push_str(&s);
                    }
                }
            },
            Event::Code(s) => {
                if let Some(b) = text_buf(&mut table, &mut ctx) {
                    b.text.push_str(&s);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(b) = text_buf(&mut table, &mut ctx) {
                    b.text.push(' ');
                }
            }
            Event::Html(s) | Event::InlineHtml(s) => match &mut ctx {
                Ctx::Html(_, h) => h.push_str(&s),
                _ => {
                    // A line break in a cell or paragraph (`<br>`, `<br/>`, `<br />`) is a
                    // new line of its text: lists of values are written that way.
                    if is_line_break(&s) {
                        if let Some(b) = text_buf(&mut table, &mut ctx) {
                            b.text.push('\n');
                        }
                    }
                    // An inline comment can carry an annotation too (rare, but seen).
                    if s.trim_start().starts_with("<!--") {
                        for ann in annotations_in(&s, range.start, &span_at, diags) {
                            if ann.block_type().is_some() {
                                if let Some(old) = pending.replace(ann) {
                                    dangling(old, diags);
                                }
                            } else {
                                page.page_annotations.push(ann);
                            }
                        }
                    }
                }
            },
            _ => {}
        }
        // A block other than a code block between an annotation and its code block
        // means the annotation is dangling; tables and headings end it.
        if let Some(Block::Heading { .. } | Block::Table(_)) = page.blocks.last() {
            if let Some(p) = &pending {
                if page.blocks.last().map(|b| b.span() > &p.span).unwrap_or(false) {
                    if let Some(old) = pending.take() {
                        dangling(old, diags);
                    }
                }
            }
        }
    }
    let _ = depth_guard;
    // A page that opens front matter which pulldown-cmark did not read as such
    // (no closing `---`, or nothing in it) would silently lose its title and type.
    if !saw_front_matter && text.lines().next().is_some_and(|l| l.trim_end() == "---") {
        diags.push(
            Diagnostic::new(Code::FrontMatter, Span::new(&path, 1, 1), "front matter is not closed (or is empty); the page has no title or doc_type")
                .hint("close the front matter with a `---` line"),
        );
    }
    if let Some(old) = pending.take() {
        dangling(old, diags);
    }
    page
}

/// Whether the source of a fenced code block (from its opening fence) is closed.
/// A block that ends before the end of the page was closed (by its fence or its
/// container); one that reaches the end of the page must end with a fence line
/// at least as long as the opening one.
fn fence_closed(src: &str, at_eof: bool) -> bool {
    let open = src.lines().next().unwrap_or("").trim_start();
    let Some(ch) = open.chars().next().filter(|c| *c == '`' || *c == '~') else { return true };
    if !at_eof {
        return true;
    }
    let n = open.chars().take_while(|c| *c == ch).count();
    let mut lines = src.trim_end_matches(['\n', '\r']).lines();
    lines.next();
    let Some(last) = lines.last() else { return false };
    let last = last.trim_start_matches(|c: char| c == '>' || c.is_whitespace()).trim_end();
    last.chars().all(|c| c == ch) && last.chars().count() >= n
}

fn dangling(ann: Annotation, diags: &mut Vec<Diagnostic>) {
    diags.push(
        Diagnostic::new(
            Code::AnnotationDangling,
            ann.span.clone(),
            format!(
                "annotation with blockType {:?} is not followed by a code block",
                ann.block_type().unwrap_or("")
            ),
        )
        .hint("put the annotation comment directly before the ``` fence it describes"),
    );
}

/// Find `<!-- {json} -->` comments in an HTML fragment.
fn annotations_in(
    html: &str,
    base: usize,
    span_at: &dyn Fn(usize) -> Span,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Annotation> {
    let mut out = Vec::new();
    let mut rest = html;
    let mut offset = base;
    while let Some(open) = rest.find("<!--") {
        let after = &rest[open + 4..];
        let span = span_at(offset + open);
        let (inner, consumed) = match after.find("-->") {
            Some(close) => (&after[..close], open + 4 + close + 3),
            None => {
                diags.push(
                    Diagnostic::new(Code::Unterminated, span, "this HTML comment is never closed; the rest of the page is inside it")
                        .hint("close the comment with -->"),
                );
                break;
            }
        };
        let trimmed = inner.trim();
        if trimmed.starts_with('{') {
            match lenient_json(trimmed) {
                Ok((Value::Object(map), fixed)) => {
                    if fixed {
                        diags.push(
                            Diagnostic::new(Code::AnnotationLenient, span.clone(), "annotation JSON has trailing commas or comments")
                                .hint("remove the trailing comma before `}` or `]`"),
                        );
                    }
                    out.push(Annotation { value: map, span });
                }
                Ok(_) => {}
                Err(e) => diags.push(
                    Diagnostic::new(Code::AnnotationJson, span, format!("annotation is not valid JSON: {e}"))
                        .hint("annotations must be a JSON object such as { \"blockType\": \"request\", \"name\": \"...\" }"),
                ),
            }
        }
        offset += consumed;
        rest = &rest[consumed..];
    }
    out
}

/// Flat `key: value` front matter. Nested YAML is ignored (the docs use none we need).
fn front_matter(
    path: &Arc<str>,
    yaml: &str,
    first_line: u32,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, (String, Span)> {
    let mut out = BTreeMap::new();
    for (i, line) in yaml.lines().enumerate() {
        let line_no = first_line + i as u32;
        if line.trim().is_empty() || line.trim_start().starts_with('#') || line.starts_with([' ', '\t', '-']) {
            continue;
        }
        match line.split_once(':') {
            Some((k, v)) => {
                let v = v.trim();
                let v = v
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                    .unwrap_or(v);
                out.insert(k.trim().to_string(), (v.to_string(), Span::new(path, line_no, 1)));
            }
            None => diags.push(
                Diagnostic::new(Code::FrontMatter, Span::new(path, line_no, 1), format!("front matter line is not `key: value`: {line:?}"))
                    .hint("write front matter lines as `key: \"value\"`"),
            ),
        }
    }
    out
}
#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Page, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let p = parse_page(Arc::from("t.md"), text, &mut d);
        (p, d)
    }

    #[test]
    fn front_matter_and_headings_keep_positions() {
        let (p, d) = parse("---\ntitle: \"Add x\"\ndoc_type: apiPageType\n---\n\n# Add x\n\nNamespace: microsoft.graph\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(p.meta("title"), Some("Add x"));
        assert_eq!(p.front_matter["doc_type"].1.line, 3);
        assert_eq!(p.namespace(), Some("microsoft.graph"));
        match &p.blocks[0] {
            Block::Heading { level, text, span } => {
                assert_eq!((*level, text.text.as_str(), span.line, span.col), (1, "Add x", 6, 1));
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
        assert_eq!(d[0].span.line, 3);
        let code = p.blocks.iter().find_map(|b| if let Block::Code(c) = b { Some(c) } else { None }).unwrap();
        assert_eq!(code.lang, "http");
        assert_eq!(code.span.line, 7);
        assert_eq!(code.first_line, 8);
        assert_eq!(code.annotation.as_ref().unwrap().str("name"), Some("x"));
    }

    #[test]
    fn dangling_annotation_is_reported() {
        let (_, d) = parse("<!-- { \"blockType\": \"request\" } -->\n\n## Heading\n\n```http\nGET /x\n```\n");
        assert_eq!(d.iter().map(|d| d.code).collect::<Vec<_>>(), vec![Code::AnnotationDangling]);
        assert_eq!(d[0].span.line, 1);
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
        assert_eq!(t.rows[1][0].span.line, 4);
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
        let codes = |src: &str| parse(src).1.iter().map(|d| (d.code, d.span.line, d.span.col)).collect::<Vec<_>>();
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
        let got: Vec<_> = d.iter().map(|d| (d.code, d.span.line, d.span.col, d.message.clone())).collect();
        assert_eq!(
            got,
            vec![
                (Code::TableRagged, 3, 1, "row has 2 cells, header has 3".to_string()),
                (Code::TableRagged, 4, 1, "row has 4 cells, header has 3".to_string()),
            ]
        );
        let Block::Table(t) = &p.blocks[0] else { panic!() };
        assert_eq!(t.rows[0].len(), 3, "padding cells are kept");
        assert_eq!((t.rows[0][2].span.line, t.rows[0][2].span.col), (3, 10), "a padding cell is at the end of its row");
        assert_eq!((t.rows[2][0].span.line, t.rows[2][0].span.col), (5, 4));
        assert_eq!(t.rows[2][1].text.text, "");
    }

    #[test]
    fn unclosed_front_matter_is_reported() {
        let (p, d) = parse("---\ntitle: \"x\"\ndoc_type: apiPageType\n\n# x\n");
        assert!(p.front_matter.is_empty());
        assert_eq!(d.iter().map(|d| (d.code, d.span.line, d.span.col)).collect::<Vec<_>>(), vec![(Code::FrontMatter, 1, 1)]);
        let (p, d) = parse("---\ntitle: \"x\"\n---\n\n# x\n");
        assert_eq!(p.meta("title"), Some("x"));
        assert!(d.is_empty());
    }

    #[test]
    fn empty_page_is_reported() {
        let mut d = Vec::new();
        assert!(parse_file(&SourceFile { path: "e.md".into(), bytes: b" \n\n".to_vec() }, &mut d).is_some());
        assert_eq!(d.iter().map(|d| (d.code, d.span.line)).collect::<Vec<_>>(), vec![(Code::PageSkipped, 1)]);
    }

    #[test]
    fn non_utf8_is_a_diagnostic_not_a_panic() {
        let mut d = Vec::new();
        let f = SourceFile { path: "bad.md".into(), bytes: b"# ok\n\xff\xfe".to_vec() };
        assert!(parse_file(&f, &mut d).is_none());
        assert_eq!(d[0].code, Code::NotUtf8);
        assert_eq!((d[0].span.line, d[0].span.col), (2, 1));
        let mut d = Vec::new();
        let f = SourceFile { path: "bad.md".into(), bytes: "# ok\nnaïve x".bytes().chain([0xff]).collect() };
        assert!(parse_file(&f, &mut d).is_none());
        assert_eq!((d[0].span.line, d[0].span.col), (2, 8));
    }
}
