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

    /// The type a type cell names (its grammar is [`TypeCell::read`]), resolved and
    /// registered.
    pub(super) fn type_cell(&mut self, cell: &TypeCell, ns: Option<&str>) -> Option<TypeRef> {
        let mut diags = Vec::new();
        let read = {
            let link_name = |text: &str, dest: &str| self.link_type_name(text, dest, ns);
            cell.read(&link_name, &mut diags)
        };
        self.diags.append(&mut diags);
        let (ty, collection) = read?;
        let base = match ty {
            CellType::Prim(p) => TypeRef::Prim(p),
            CellType::Named(name) => {
                let full = self.resolve_name(&name, ns);
                let full = self.register(&full, Kind::Unknown, &cell.span, 2, None);
                TypeRef::Named(full)
            }
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
