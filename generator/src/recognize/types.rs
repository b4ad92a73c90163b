//! The type-cell grammar: what a property table's type cell (or a link in prose)
//! names. `String`, `String collection`, `Edm.Int32`, `[x](x.md)`,
//! `[x](x.md) collection. More text`, `Collection(microsoft.graph.x)`,
//! `collection of x`, and malformed links (`[x](x.md`, `[x](x.md|y)`). Which type
//! a link's text or target names is inference's to decide (it knows the types):
//! [`TypeCell::read`] asks it through a callback.

use crate::diag::{Code, Diagnostic, Span};
use crate::model::Prim;
use crate::parse::{Link, Text};

use super::prose::{broken_link, clean_cell};

/// A link as written: its text and its target.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LinkRef {
    pub(crate) text: String,
    pub(crate) dest: String,
}

impl From<&Link> for LinkRef {
    fn from(l: &Link) -> LinkRef {
        LinkRef { text: l.text.clone(), dest: l.dest.clone() }
    }
}

/// A type cell as written: its text, its links and where it is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TypeCell {
    pub(crate) text: String,
    pub(crate) links: Vec<LinkRef>,
    pub(crate) span: Span,
}

/// What a type cell names: a primitive, or a type by the name the cell gives it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum CellType {
    Prim(Prim),
    Named(String),
}

impl TypeCell {
    pub(crate) fn new(text: &Text, span: &Span) -> TypeCell {
        TypeCell { text: text.text.clone(), links: text.links.iter().map(LinkRef::from).collect(), span: span.clone() }
    }

    /// The type the cell names and whether it is a collection of it; `None` when it
    /// names none (a malformed link naming no type is reported here). `link_name`
    /// gives the type a link names from its text and target.
    pub(crate) fn read(&self, link_name: &dyn Fn(&str, &str) -> String, diags: &mut Vec<Diagnostic>) -> Option<(CellType, bool)> {
        let text = self.text.trim();
        let lower = text.to_ascii_lowercase();
        // `collection` as a word of its own: `siteCollection` is a type, not a collection.
        let collection_word = lower.strip_suffix("collection").is_some_and(|r| r.is_empty() || r.ends_with(|c: char| !c.is_alphanumeric()));
        let mut collection = collection_word || lower.starts_with("collection(") || self.link_then_collection();
        let name = if let Some(link) = self.links.first() {
            link_name(&link.text, &link.dest)
        } else if let Some((ltext, dest)) = broken_link(text) {
            // `[x](x.md` (a missing `)`, or a `|` in the target that split the cell):
            // the link still names its type; never read the markup as a type name.
            let name = link_name(&ltext, &dest);
            let readable = !clean_cell(&name).is_empty() && !clean_cell(&name).contains([' ', '[', ']', '(', ')']);
            diags.push(
                Diagnostic::new(
                    Code::LinkSyntax,
                    self.span.clone(),
                    if readable {
                        format!("type cell {text:?} holds a malformed link; read as the type {name}")
                    } else {
                        format!("type cell {text:?} holds a malformed link that names no type")
                    },
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
        if name.is_empty() || name.contains(' ') && self.links.is_empty() {
            return None;
        }
        let ty = match Prim::parse(&name) {
            Some(p) => CellType::Prim(p),
            None => CellType::Named(name),
        };
        Some((ty, collection))
    }

    /// A link followed by `collection` and then more words (`[x](x.md) collection.
    /// Holds ...`): a collection of the linked type.
    fn link_then_collection(&self) -> bool {
        let Some(link) = self.links.first() else { return false };
        let text = self.text.trim();
        text.starts_with(link.text.as_str()) && text[link.text.len()..].trim_start().to_ascii_lowercase().starts_with("collection")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn cell(text: &str, links: &[(&str, &str)]) -> TypeCell {
        let links = links.iter().map(|(t, d)| LinkRef { text: t.to_string(), dest: d.to_string() }).collect();
        TypeCell { text: text.into(), links, span: Span::detached(&Arc::from("t.md"), 0) }
    }

    fn read(c: &TypeCell) -> (Option<(CellType, bool)>, usize) {
        let mut diags = Vec::new();
        let got = c.read(&|text, _| text.to_string(), &mut diags);
        (got, diags.len())
    }

    #[test]
    fn type_cells_in_every_spelling() {
        let named = |n: &str, c| Some((CellType::Named(n.into()), c));
        assert_eq!(read(&cell("String", &[])), (Some((CellType::Prim(Prim::String), false)), 0));
        assert_eq!(read(&cell("Edm.Int32 collection", &[])), (Some((CellType::Prim(Prim::Int32), true)), 0));
        assert_eq!(read(&cell("siteCollection", &[])), (named("siteCollection", false), 0));
        assert_eq!(read(&cell("Collection(microsoft.graph.x)", &[])), (named("microsoft.graph.x", true), 0));
        assert_eq!(read(&cell("x collection", &[("x", "x.md")])), (named("x", true), 0));
        assert_eq!(read(&cell("x collection. The parts.", &[("x", "x.md")])), (named("x", true), 0));
        assert_eq!(read(&cell("collection of widget", &[])), (named("widget", true), 0));
        assert_eq!(read(&cell("`meetingChatMode`", &[])), (named("meetingChatMode", false), 0));
        // A malformed link names its type, with a diagnostic; markup is never a name.
        assert_eq!(read(&cell("[gadget](gadget.md", &[])), (named("gadget", false), 1));
        assert_eq!(read(&cell("[two words](x.md", &[])), (None, 1));
        assert_eq!(read(&cell("Moment in time", &[])), (None, 0));
    }
}
