//! Name resolution and registration: every type name the docs spell, in any case, resolves to one registered type.

use super::*;

/// The full name a type reference `raw` (`user`, `#microsoft.graph.User`) written on
/// a page of namespace `ns` means: the registered type of that name in any case
/// (`canonical` finds it), a simple name also in the default namespace; else the
/// name as written, qualified. Inference resolves every reference with it, and the
/// round-trip runner ([`crate::add_roundtrip`]) the example types over the final model.
pub(crate) fn resolve(raw: &str, ns: Option<&str>, canonical: impl Fn(&str) -> Option<String>) -> String {
    let raw = raw.trim().trim_start_matches('#');
    // The namespace loses its `#` too, so that resolving a resolved name gives it back
    // (`Namespace: #m` made a resource page's type unfindable, and inference panicked).
    let ns = ns.map(|n| n.trim().trim_start_matches('#'));
    let full = if raw.contains('.') { raw.to_string() } else { format!("{}.{}", ns.unwrap_or(DEFAULT_NAMESPACE), raw) };
    match canonical(&full) {
        Some(c) => c,
        None => {
            // A simple name may live in the default namespace.
            if !raw.contains('.') {
                let alt = format!("{DEFAULT_NAMESPACE}.{raw}").to_ascii_lowercase();
                if let Some(c) = canonical(&alt) {
                    return c;
                }
            }
            full
        }
    }
}

impl Inferrer<'_> {
    pub(super) fn resolve_name(&self, raw: &str, ns: Option<&str>) -> String {
        resolve(raw, ns, |n| self.types.canonical(n).cloned())
    }

    /// Register (or find) a type. `rank`: 0 resource/enum page, 1 example, 2 reference.
    pub(super) fn register(&mut self, full: &str, kind: Kind, span: &Span, rank: u8, area: Option<&str>) -> String {
        let (canon, b, existed) = self.types.entry(full, || Builder::new(kind, span, rank, area));
        if existed {
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
        }
        canon
    }

    /// Parse a type cell: `String`, `String collection`, `[x](x.md)`, `[x](x.md) collection`,
    /// `Collection(microsoft.graph.x)`, `Edm.Int32`.
    pub(super) fn type_cell(&mut self, cell: &Text, ns: Option<&str>, span: &Span) -> Option<TypeRef> {
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
    pub(super) fn link_type_name(&self, text: &str, dest: &str, ns: Option<&str>) -> String {
        let text = clean_cell(text);
        if self.types.canonical(&self.resolve_name(&text, ns)).is_some() || Prim::parse(&text).is_some() {
            return text;
        }
        let stem = dest.split(['#', '?']).next().unwrap_or("").rsplit('/').next().unwrap_or("").trim_end_matches(".md");
        if !stem.is_empty() && !stem.contains("://") && self.types.canonical(&self.resolve_name(stem, ns)).is_some() {
            return self.resolve_name(stem, ns);
        }
        text
    }

    /// Record what a source says about `owner.wire`. The owner is registered
    /// before its properties are read; should a name ever resolve differently
    /// (the docs spell names in many ways), it is registered here rather than
    /// the property being lost.
    pub(super) fn push_evidence(&mut self, owner: &str, wire: &str, ev: Evidence) {
        let owner = self.register(owner, Kind::Struct, &ev.span, 2, None);
        if let Some(b) = self.types.get_mut(&owner) {
            b.evidence(wire).push(ev);
        }
    }

    pub(super) fn add_member(&mut self, enum_full: &str, m: MemberEvidence) {
        if let Some(b) = self.types.get_mut(enum_full) {
            b.members.push(m);
        }
    }

}
