//! Stage 3: inference. Pages (and what recognition reads in them) -> one API model.
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

use crate::diag::{Code, Diagnostic, Span};
use crate::inherit::{ancestors, Ancestors};
use crate::model::*;
use crate::recognize::corrections::{Correction, Corrections};
use crate::recognize::http::{self, Locator, StartLine};
// Inference refers to types by full name until `finish` builds the model's name
// table ([`Api::new`]): these shadow the model's id-based types.
type TypeRef = crate::model::TypeRef<String>;
type Property = crate::model::Property<String>;
type TypeKind = crate::model::TypeKind<String>;
type TypeDef = crate::model::TypeDef<String>;
type ResponseBody = crate::model::ResponseBody<String>;
type Operation = crate::model::Operation<String>;
use crate::recognize::examples::*;
use crate::recognize::pages::*;
use crate::recognize::prose::*;
use crate::recognize::types::{CellType, LinkRef, TypeCell};
use crate::recognize::*;

mod concepts;
mod examples;
mod merge;
mod names;
pub(crate) use names::resolve;
mod operations;
mod resources;
mod spellings;

pub const DEFAULT_NAMESPACE: &str = "microsoft.graph";
#[derive(Clone, Debug)]
struct Evidence {
    ty: TypeRef,
    doc: Option<String>,
    span: Span,
    source: Source,
    navigation: bool,
    placeholder: bool,
    /// The docs' words when the source says the property is deprecated.
    deprecated: Option<String>,
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
    /// The annotation says `"openType": false`.
    closed: bool,
    /// The docs' words when the type is deprecated.
    deprecated: Option<String>,
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

impl Inferrer<'_> {
    /// The base a registered type names, if any.
    fn base_of(&self, name: &str) -> Option<&str> {
        self.types.get(name).and_then(|b| b.base.as_ref().map(|(b, _)| b.as_str()))
    }

    /// The bases of `name`, nearest first (see [`crate::inherit`]).
    fn ancestors<'s>(&'s self, name: &'s str) -> Ancestors<&'s str, impl FnMut(&'s str) -> Option<&'s str> + 's> {
        ancestors(name, move |t| self.base_of(t))
    }
}

/// The base a merged struct names, if any (for walking [`ancestors`] over merged types).
fn struct_base<'t>(types: &'t BTreeMap<String, TypeDef>, name: &str) -> Option<&'t str> {
    match types.get(name).map(|t| &t.kind) {
        Some(TypeKind::Struct { base, .. }) => base.as_deref(),
        _ => None,
    }
}

/// `ty` with its element type replaced (`String collection` -> `E collection`).
fn retype(ty: &TypeRef, element: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Collection(inner) => TypeRef::Collection(Box::new(retype(inner, element))),
        _ => element,
    }
}

impl Builder {
    fn new(kind: Kind, span: &Span, rank: u8, area: Option<&str>) -> Builder {
        Builder {
            kind,
            doc: None,
            span: span.clone(),
            def_rank: rank,
            base: None,
            open: false,
            is_abstract: false,
            key: None,
            closed: false,
            deprecated: None,
            props: Vec::new(),
            members: Vec::new(),
            area: area.map(str::to_string),
            definitions: Vec::new(),
            defined_by: None,
            has_table: false,
            index: HashMap::new(),
        }
    }
}

/// The one name table of inference: every type the docs name, keyed by its
/// canonical spelling, found by any spelling that differs only in case. The
/// canonical spelling is the defining pages' ([`Registry::prefer`]), else the first
/// one registered. Lookups return `Option`; registering returns the entry.
#[derive(Default)]
struct Registry {
    /// Canonical full name -> what is known of the type, in name order (the
    /// model's order).
    types: BTreeMap<String, Builder>,
    /// Lower-cased full name -> canonical full name.
    canonical: HashMap<String, String>,
    /// Lower-cased full name -> the spelling the pages that define the type give it.
    preferred: HashMap<String, String>,
}

impl Registry {
    /// The canonical spelling of a registered name, in any case.
    fn canonical(&self, name: &str) -> Option<&String> {
        self.canonical.get(&name.to_ascii_lowercase())
    }

    /// The entry of `full` (in any case), made by `make` if there is none: its
    /// canonical name, the builder, and whether it existed.
    fn entry(&mut self, full: &str, make: impl FnOnce() -> Builder) -> (String, &mut Builder, bool) {
        let key = full.to_ascii_lowercase();
        let preferred = &self.preferred;
        let canon = self.canonical.entry(key).or_insert_with_key(|k| preferred.get(k).cloned().unwrap_or_else(|| full.to_string())).clone();
        // One lookup: this runs for every property of every table, representation and example.
        let (b, existed) = match self.types.entry(canon.clone()) {
            std::collections::btree_map::Entry::Occupied(o) => (o.into_mut(), true),
            std::collections::btree_map::Entry::Vacant(v) => (v.insert(make()), false),
        };
        (canon, b, existed)
    }

    /// Spell each type as the pages that define it do (`defined`: each definition's
    /// full name as written, with whether its page is named after the type): the
    /// spelling of a page named after the type, then the most frequent, then the
    /// first sorted. Not the first reference read, which depends on which pages
    /// exist and their order (a base named in another page's annotation, a
    /// `#microsoft.graph.chatmessage` in an example). Call before registering.
    fn prefer(&mut self, defined: &[(String, bool)]) {
        // Lower-cased name -> spelling -> (definitions on own pages, definitions).
        let mut counts: BTreeMap<String, BTreeMap<&str, (usize, usize)>> = BTreeMap::new();
        for (full, own) in defined {
            let c = counts.entry(full.to_ascii_lowercase()).or_default().entry(full.as_str()).or_default();
            c.0 += usize::from(*own);
            c.1 += 1;
        }
        for (key, spellings) in counts {
            // `max_by` keeps the last of equals: compare the spelling reversed so the first sorted wins.
            if let Some((best, _)) = spellings.into_iter().max_by(|(a, ca), (b, cb)| ca.cmp(cb).then_with(|| b.cmp(a))) {
                self.preferred.insert(key, best.to_string());
            }
        }
    }

    fn get(&self, canon: &str) -> Option<&Builder> {
        self.types.get(canon)
    }

    fn get_mut(&mut self, canon: &str) -> Option<&mut Builder> {
        self.types.get_mut(canon)
    }

    fn keys(&self) -> impl Iterator<Item = &String> {
        self.types.keys()
    }

    fn values(&self) -> impl Iterator<Item = &Builder> {
        self.types.values()
    }
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
    types: Registry,
    used_corrections: BTreeSet<usize>,
    /// Type -> the types derived from it (directly or not), sorted; built before
    /// examples are read, to match an example object to the type its shape shows.
    derived: HashMap<String, Vec<String>>,
    /// Enums made from a description's value list, and the spellings examples give
    /// their members (lower-cased member -> the first example's spelling): the
    /// examples show the wire, the description is prose.
    value_lists: BTreeMap<String, BTreeMap<String, String>>,
    /// API pages (lower-cased path) that a resource page's Methods table marks
    /// deprecated, with the docs' words.
    deprecated_ops: HashMap<String, String>,
    /// "Base type of [x]" on a page: (base, the derived type's name as linked, where),
    /// applied to a derived type whose own page names no base.
    derived_signs: Vec<(String, String, Span)>,
    /// Request bodies made for an API page's request-body table (full name -> the
    /// page stem), which may turn out to be their resource ([`concepts`]).
    adhoc_bodies: BTreeMap<String, String>,
}

/// Infer the API model from recognized pages. Pages must be sorted by path (the
/// caller does this) so that the result does not depend on file order on disk.
pub fn infer(pages: Vec<DocPage>, corrections: &Corrections, diags: &mut Vec<Diagnostic>) -> Api {
    let mut inf = Inferrer {
        corrections,
        diags: Vec::new(),
        types: Registry::default(),
        used_corrections: BTreeSet::new(),
        derived: HashMap::new(),
        value_lists: BTreeMap::new(),
        deprecated_ops: HashMap::new(),
        derived_signs: Vec::new(),
        adhoc_bodies: BTreeMap::new(),
    };
    // Pass 0: how the defining pages spell the types they define, so that a
    // reference read first cannot give a type its spelling.
    let mut defined = Vec::new();
    for page in &pages {
        let ns = page.namespace.as_deref();
        let names = page.enums.iter().map(|t| t.name.as_str()).chain(page.resource.as_ref().and_then(|r| r.name.as_ref()).map(|(n, _)| n.as_str()));
        for raw in names {
            let full = resolve(raw, ns, |_| None);
            let own = page.stem.eq_ignore_ascii_case(split_name(&full).1);
            defined.push((full, own));
        }
    }
    inf.types.prefer(&defined);
    // Pass 1: definitions (enums, then resources), so references resolve.
    for page in &pages {
        inf.enum_tables(page);
    }
    for page in &pages {
        if let Some(r) = &page.resource {
            inf.resource_definition(page, r);
        }
    }
    // Pass 2: resource properties (tables, then JSON representations).
    for page in &pages {
        if let Some(r) = &page.resource {
            inf.resource_properties(page, r);
            for (target, note) in &r.deprecated_methods {
                inf.deprecated_ops.entry(target.to_ascii_lowercase()).or_insert_with(|| note.clone());
            }
        }
    }
    // Bases the defining pages do not name: "Base type of [x]" on the base's page,
    // then the keys a representation shows.
    inf.apply_derived_signs();
    inf.bases_from_examples();
    // Pass 3: operations (request tables and examples).
    inf.derived = inf.derived_index();
    let mut operations = Vec::new();
    let mut others = Vec::new();
    for mut page in pages {
        let api = page.api.take();
        if page.kind == PageKind::Api {
            operations.extend(api.map(|r| inf.operation(&page, r, true)).unwrap_or_default());
            continue;
        }
        // (An empty page is reported as such when it is parsed.)
        if page.kind == PageKind::Other && !page.empty && !inf.types.values().any(|b| b.definitions.iter().any(|d| d.file == page.path)) {
            inf.diags.push(
                Diagnostic::new(
                    Code::PageSkipped,
                    page.start.clone(),
                    "page is not a resource, API or enum page (by its doc_type, annotations or headings); nothing is generated from it",
                )
                .hint("set doc_type in the front matter if the page should generate something"),
            );
        }
        if let Some(api) = api {
            others.push((page, api));
        }
    }
    // Request examples on other pages (a resource page showing `GET /planner`):
    // an operation for each request no API page documents.
    for (page, api) in others {
        if let Some(r) = api.uncovered(&operations) {
            let ops = inf.operation(&page, r, false);
            operations.extend(ops);
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

#[cfg(test)]
mod tests;
