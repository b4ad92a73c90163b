//! Stage 1: markdown -> page model. Every item keeps its span: a byte range of its
//! file in the source map, from pulldown-cmark's offsets.
//!
//! The parser is built on pulldown-cmark. It keeps what the later stages need:
//! front matter, headings, paragraphs (with their links), pipe tables, the
//! HTML-comment annotations (`<!-- { "blockType": ... } -->`) and the code blocks
//! they annotate. It never fails: problems become diagnostics.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::diag::{Code, Diagnostic, SourceFile, SourceText, Span};

mod json;
mod meta;
mod page;

pub use json::lenient_json;
use page::header_words;
pub use page::parse_page;

#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub text: String,
    pub dest: String,
}

/// A paragraph, heading text or table cell: plain text plus the links in it.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Text {
    pub text: String,
    pub links: Vec<Link>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub text: Text,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
    pub span: Span,
}

impl Table {
    /// Index of the first header cell that names one of `names` (lower-case), in
    /// any spelling the docs use: any case, emphasised or in code (`**Property**`),
    /// plural, or followed by `name` (`Property name`, `Relationship Name`).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.header.iter().position(|c| {
            let t = header_words(&c.text.text);
            names.iter().any(|n| {
                // `property` -> `properties`, compared without building the plural.
                let plural = || n.strip_suffix('y').is_some_and(|stem| t.strip_suffix("ies") == Some(stem));
                t.strip_prefix(n).is_some_and(|rest| matches!(rest, "" | "s" | " name" | " names")) || plural()
            })
        })
    }
}

/// The JSON object inside `<!-- { ... } -->`.
#[derive(Clone, Debug, PartialEq)]
pub struct Annotation {
    pub value: Map<String, Value>,
    pub span: Span,
}

impl Annotation {
    pub fn str(&self, key: &str) -> Option<&str> {
        self.value.get(key).and_then(Value::as_str)
    }
    pub fn bool(&self, key: &str) -> bool {
        self.value.get(key).and_then(Value::as_bool).unwrap_or(false)
    }
    pub fn block_type(&self) -> Option<&str> {
        self.str("blockType")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CodeBlock {
    /// The info string after the fence (`http`, `json`, ...), trimmed and lower-cased.
    pub lang: String,
    pub text: String,
    /// The block, from its opening fence (where diagnostics about it point).
    pub span: Span,
    /// Line of the first content line.
    pub first_line: u32,
    pub annotation: Option<Annotation>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Heading { level: u8, text: Text, span: Span },
    Paragraph { text: Text, span: Span },
    Table(Table),
    Code(CodeBlock),
}

impl Block {
    pub fn span(&self) -> &Span {
        match self {
            Block::Heading { span, .. } | Block::Paragraph { span, .. } => span,
            Block::Table(t) => &t.span,
            Block::Code(c) => &c.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub path: Arc<str>,
    /// The file in the source map; the page's spans are byte ranges into it.
    pub source: Arc<SourceText>,
    /// `key -> (value, position)` of the flat YAML front matter.
    pub front_matter: BTreeMap<String, (String, Span)>,
    pub blocks: Vec<Block>,
    /// Annotations that are not block annotations (for example `#page.annotation`).
    pub page_annotations: Vec<Annotation>,
}

impl Page {
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.front_matter.get(key).map(|(v, _)| v.as_str()).filter(|v| !v.is_empty())
    }

    /// The file name without directory and `.md`.
    pub fn stem(&self) -> &str {
        let name = self.path.rsplit('/').next().unwrap_or(&self.path);
        name.strip_suffix(".md").unwrap_or(name)
    }

    pub fn title(&self) -> Option<&str> {
        self.meta("title").or_else(|| {
            self.blocks.iter().find_map(|b| match b {
                Block::Heading { level: 1, text, .. } => Some(text.text.as_str()),
                _ => None,
            })
        })
    }

    /// The `Namespace: x` line, if any.
    pub fn namespace(&self) -> Option<&str> {
        self.blocks.iter().find_map(|b| match b {
            Block::Paragraph { text, .. } => text.text.trim().strip_prefix("Namespace:").map(str::trim).and_then(|s| s.split_whitespace().next()),
            _ => None,
        })
    }

    pub fn start(&self) -> Span {
        Span::new(&self.source, 0..0)
    }
}

/// Parse one file. Non-UTF-8 input gives `None` and a diagnostic.
pub fn parse_file(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Page> {
    parse_source(&SourceText::new(file.clone()), diags)
}

/// Parse one file of a source map, with its line index.
pub(crate) fn parse_source(src: &Arc<SourceText>, diags: &mut Vec<Diagnostic>) -> Option<Page> {
    match src.utf8_error {
        None => {
            if src.text.trim().is_empty() {
                diags.push(Diagnostic::new(Code::PageSkipped, Span::new(src, 0..0), "the page is empty").hint("write the page or remove the file"));
            }
            Some(parse_page(src, diags))
        }
        Some(e) => {
            // The lossy text keeps the valid prefix byte for byte.
            let at = e.valid_up_to();
            diags.push(
                Diagnostic::new(Code::NotUtf8, Span::new(src, at..at), format!("the page is not valid UTF-8 (invalid byte at offset {})", e.valid_up_to()))
                    .hint("save the file as UTF-8"),
            );
            None
        }
    }
}
