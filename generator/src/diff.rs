//! What a docs change does to the generated API.
//!
//! [`Surface`] is the shape of the generated crate as a user sees it: every type
//! with its fields (inherited ones included, as the generated structs have them),
//! every enum with its members, every operation (keyed by its Rust call,
//! `requests::me().messages().list`) with its method, path, parameters, body,
//! response type, query options and typed headers. [`diff`] compares two surfaces and
//! classifies each change as breaking for users of the generated crate (a removed
//! or retyped field, a removed type, enum member or operation, a changed path,
//! parameter, body or response) or not (an added type, optional field, enum member
//! or operation: every field is an `Option`, every enum has a catch-all).
//!
//! `build.rs` keeps the surface of what it generated in `generated/api.json`
//! ([`SURFACE_FILE`]); [`crate::Config::generate`] diffs the previous surface with
//! the new one and reports it ([`crate::Report::api_diff`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::model::{Api, PathSegment, Prim, ResponseBody, TypeKind, TypeRef};

/// The file, next to the generated module tree, that records its [`Surface`].
pub const SURFACE_FILE: &str = "api.json";

/// The shape of the generated API. Sorted maps: the same docs give the same bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Surface {
    pub types: BTreeMap<String, TypeSurface>,
    pub operations: BTreeMap<String, OperationSurface>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeSurface {
    /// `struct`, `enum` or `flags` (a flags enum).
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// Whether the type has derived types: properties of this type then hold its
    /// `<Type>Kind` enum rather than the struct.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub polymorphic: bool,
    /// Property wire name -> type (see [`type_text`]), inherited ones included.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub members: BTreeSet<String>,
    /// Where the type is defined (`file:line`); not recorded in the surface file,
    /// so that moving text around a page does not change it.
    #[serde(skip)]
    pub at: Option<String>,
    /// Where each property is documented (`file:line`); not recorded either.
    #[serde(skip)]
    pub property_at: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationSurface {
    pub method: String,
    pub path: String,
    /// Path parameters in order: the generated function's leading arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// `none`, a type, or `page of <type>`.
    pub response: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query: Vec<String>,
    /// The request headers with typed setters (`Prefer`, `If-Match`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    #[serde(skip)]
    pub at: Option<String>,
}

/// A type as the surface records it: the primitive's name (`String`, `Int32`, ...),
/// a named type's full wire name, or `Collection(<type>)`.
pub fn type_text(api: &Api, t: &TypeRef) -> String {
    match t {
        TypeRef::Prim(p) => format!("{p:?}"),
        TypeRef::Named(n) => api.name(*n).to_string(),
        TypeRef::Collection(inner) => format!("Collection({})", type_text(api, inner)),
    }
}

/// Whether two type texts become the same Rust type (`Double` and `Decimal` are
/// both `f64`; `String` and `Stream` both `String`).
fn same_rust_type(a: &str, b: &str) -> bool {
    fn canon(s: &str) -> String {
        s.replace("Decimal", "Double").replace("Stream", "String")
    }
    a == b || (Prim::parse(a.trim_start_matches("Collection(").trim_end_matches(')')).is_some() && canon(a) == canon(b))
}

impl Surface {
    /// The surface of the crate generated from `api`.
    pub fn of(api: &Api) -> Surface {
        let derived = api.derived_index();
        let mut types = BTreeMap::new();
        for (id, t) in api.iter() {
            let mut s = TypeSurface { area: t.area.clone(), at: Some(format!("{}:{}", t.span.file, t.span.line())), ..TypeSurface::default() };
            match &t.kind {
                TypeKind::Struct { base, .. } => {
                    s.kind = "struct".into();
                    s.base = base.map(|b| api.name(b).to_string());
                    s.polymorphic = derived.get(id.index()).is_some_and(|ds| !ds.is_empty());
                    for p in api.all_properties(id) {
                        s.properties.insert(p.wire.clone(), type_text(api, &p.ty));
                        s.property_at.insert(p.wire.clone(), format!("{}:{}", p.span.file, p.span.line()));
                    }
                }
                TypeKind::Enum { members, flags } => {
                    s.kind = if *flags { "flags" } else { "enum" }.into();
                    s.members = members.iter().map(|m| m.wire.clone()).collect();
                }
            }
            types.insert(t.full_name.clone(), s);
        }
        // Operations as the request surface names them: the Rust call
        // (`requests::users().by_id(..).messages().list`) is the key.
        let mut operations = BTreeMap::new();
        let surface = crate::lower::surface::build(api, &mut Vec::new());
        for (node, sop) in surface.ops() {
            let op = sop.op;
            let response = match &sop.response {
                ResponseBody::None => "none".to_string(),
                ResponseBody::Single(t) => type_text(api, t),
                ResponseBody::Collection(t) => format!("page of {}", type_text(api, t)),
            };
            let parameters = op
                .path
                .iter()
                .filter_map(|s| match s {
                    PathSegment::Param(p) => Some(p.clone()),
                    PathSegment::Literal(_) => None,
                })
                .collect();
            operations.insert(
                surface.op_path(node, sop),
                OperationSurface {
                    method: op.method.clone(),
                    path: op.path_template(),
                    parameters,
                    body: sop.body.as_ref().map(|t| type_text(api, t)).or_else(|| sop.body_media.as_ref().map(|m| format!("bytes ({m})"))),
                    response,
                    status: op.success_status,
                    query: sop.query_options.iter().cloned().collect(),
                    headers: sop.headers.iter().cloned().collect(),
                    area: op.area.clone(),
                    at: Some(format!("{}:{}", op.span.file, op.span.line())),
                },
            );
        }
        Surface { types, operations }
    }

    /// The surface file's text: pretty JSON, sorted, ending in a newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into());
        s.push('\n');
        s
    }

    pub fn from_json(text: &str) -> Result<Surface, serde_json::Error> {
        serde_json::from_str(text)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Item {
    Type,
    Property,
    Member,
    Operation,
}

/// One change between two surfaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub item: Item,
    /// `microsoft.graph.call`, `microsoft.graph.call.state` (a property or
    /// member), or an operation id (`call-get`).
    pub name: String,
    /// What changed, in words (`String -> Int32`, `path /a -> /b`, ...).
    pub detail: String,
    pub breaking: bool,
    /// Where the item is documented (`file:line`): in the new docs, or in the old
    /// docs for a removal. `None` when the surface came from a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// Every change from `old` to `new`, in a stable order (operations after types,
/// by name).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub changes: Vec<Change>,
}

/// Compare two surfaces.
pub fn diff(old: &Surface, new: &Surface) -> Diff {
    let mut out = Vec::new();
    for (name, o) in &old.types {
        match new.types.get(name) {
            None => out.push(Change::new(ChangeKind::Removed, Item::Type, name.clone(), format!("{} removed", o.kind), true, &o.at)),
            Some(n) => type_changes(name, o, n, &mut out),
        }
    }
    for (name, n) in &new.types {
        if !old.types.contains_key(name) {
            out.push(Change::new(ChangeKind::Added, Item::Type, name.clone(), format!("{} added", n.kind), false, &n.at));
        }
    }
    for (id, o) in &old.operations {
        match new.operations.get(id) {
            None => out.push(Change::new(ChangeKind::Removed, Item::Operation, id.clone(), format!("{} {} removed", o.method, o.path), true, &o.at)),
            Some(n) => {
                for (detail, breaking) in operation_changes(o, n) {
                    out.push(Change::new(ChangeKind::Changed, Item::Operation, id.clone(), detail, breaking, &n.at));
                }
            }
        }
    }
    for (id, n) in &new.operations {
        if !old.operations.contains_key(id) {
            out.push(Change::new(ChangeKind::Added, Item::Operation, id.clone(), format!("{} {} added", n.method, n.path), false, &n.at));
        }
    }
    Diff { changes: out }
}

impl Change {
    fn new(kind: ChangeKind, item: Item, name: String, detail: String, breaking: bool, at: &Option<String>) -> Change {
        Change { kind, item, name, detail, breaking, at: at.clone() }
    }
}

/// The changes to a type that both surfaces have, its properties and members
/// included.
fn type_changes(name: &str, o: &TypeSurface, n: &TypeSurface, out: &mut Vec<Change>) {
    let mut push = |kind, item, name: String, detail: String, breaking, at: &Option<String>| {
        out.push(Change::new(kind, item, name, detail, breaking, at));
    };
    if o.kind != n.kind {
        push(ChangeKind::Changed, Item::Type, name.to_string(), format!("{} -> {}", o.kind, n.kind), true, &n.at);
        return;
    }
    if o.polymorphic != n.polymorphic {
        let detail = if n.polymorphic {
            "gained derived types: its properties now hold the <Type>Kind enum"
        } else {
            "lost its derived types: its properties now hold the struct, not <Type>Kind"
        };
        push(ChangeKind::Changed, Item::Type, name.to_string(), detail.into(), true, &n.at);
    }
    if o.base != n.base {
        push(ChangeKind::Changed, Item::Type, name.to_string(), format!("base {} -> {}", or_none(&o.base), or_none(&n.base)), false, &n.at);
    }
    if o.area != n.area {
        // The type now needs another Cargo feature.
        push(ChangeKind::Changed, Item::Type, name.to_string(), format!("area {} -> {}", or_none(&o.area), or_none(&n.area)), true, &n.at);
    }
    for (p, ot) in &o.properties {
        let pname = format!("{name}.{p}");
        match n.properties.get(p) {
            None => push(ChangeKind::Removed, Item::Property, pname, format!("field of type {ot} removed"), true, &o.property_at.get(p).cloned().or(n.at.clone())),
            Some(nt) if nt != ot => push(ChangeKind::Changed, Item::Property, pname, format!("{ot} -> {nt}"), !same_rust_type(ot, nt), &n.property_at.get(p).cloned().or(n.at.clone())),
            Some(_) => {}
        }
    }
    for (p, nt) in &n.properties {
        if !o.properties.contains_key(p) {
            push(ChangeKind::Added, Item::Property, format!("{name}.{p}"), format!("optional field of type {nt}"), false, &n.property_at.get(p).cloned().or(n.at.clone()));
        }
    }
    for m in o.members.difference(&n.members) {
        push(ChangeKind::Removed, Item::Member, format!("{name}.{m}"), "member removed".into(), true, &n.at);
    }
    for m in n.members.difference(&o.members) {
        push(ChangeKind::Added, Item::Member, format!("{name}.{m}"), "member added (older crates read it as the catch-all)".into(), false, &n.at);
    }
}

/// What changed in an operation that both surfaces have: (detail, breaking), in a
/// fixed order.
fn operation_changes(o: &OperationSurface, n: &OperationSurface) -> Vec<(String, bool)> {
    let mut what: Vec<(String, bool)> = Vec::new();
    if o.method != n.method {
        what.push((format!("method {} -> {}", o.method, n.method), true));
    }
    // Parameters are positional arguments: a renamed one changes neither the
    // function's signature nor the request it sends.
    let same_shape = path_shape(&o.path) == path_shape(&n.path);
    if o.path != n.path {
        what.push((format!("path {} -> {}", o.path, n.path), !same_shape));
    }
    if o.parameters.len() != n.parameters.len() {
        what.push((format!("parameters ({}) -> ({})", o.parameters.join(", "), n.parameters.join(", ")), true));
    }
    if o.body != n.body {
        what.push((format!("body {} -> {}", or_none(&o.body), or_none(&n.body)), true));
    }
    if o.response != n.response {
        what.push((format!("response {} -> {}", o.response, n.response), true));
    }
    if o.area != n.area {
        what.push((format!("area {} -> {}", or_none(&o.area), or_none(&n.area)), true));
    }
    if o.status != n.status {
        what.push((format!("success status {} -> {}", o.status, n.status), false));
    }
    // A query option or header the operation no longer documents is a setter
    // that no longer compiles; one it gains is not.
    if o.query != n.query {
        let lost = o.query.iter().any(|q| !n.query.contains(q));
        what.push((format!("query options [{}] -> [{}]", o.query.join(", "), n.query.join(", ")), lost));
    }
    if o.headers != n.headers {
        let lost = o.headers.iter().any(|h| !n.headers.contains(h));
        what.push((format!("typed headers [{}] -> [{}]", o.headers.join(", "), n.headers.join(", ")), lost));
    }
    what
}

/// A path template with its parameter names blanked: `/a/{}/b`.
pub(crate) fn path_shape(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            c if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

fn or_none(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("none")
}

/// Counts of a diff by item, kind and class.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub breaking: usize,
    pub non_breaking: usize,
    /// `"<item> <kind>"` (for example `"property added"`) -> its counts.
    pub by_item: BTreeMap<String, Count>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Count {
    pub breaking: usize,
    pub non_breaking: usize,
}

impl Diff {
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaking)
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for ch in &self.changes {
            let e = c.by_item.entry(format!("{} {}", json_word(&ch.item), json_word(&ch.kind))).or_default();
            if ch.breaking {
                c.breaking += 1;
                e.breaking += 1;
            } else {
                c.non_breaking += 1;
                e.non_breaking += 1;
            }
        }
        c
    }

    /// One line: `3 breaking, 5 other API change(s): property removed 2 (2 breaking), ...`.
    pub fn summary(&self) -> String {
        if self.changes.is_empty() {
            return "no API changes".into();
        }
        let c = self.counts();
        let parts: Vec<String> = c
            .by_item
            .iter()
            .map(|(k, n)| if n.breaking > 0 { format!("{k} {} ({} breaking)", n.breaking + n.non_breaking, n.breaking) } else { format!("{k} {}", n.non_breaking) })
            .collect();
        format!("{} breaking, {} other API change(s): {}", c.breaking, c.non_breaking, parts.join(", "))
    }

    /// The human report: breaking changes first, one line each, then the summary.
    pub fn render_text(&self) -> String {
        let mut s = String::new();
        for breaking in [true, false] {
            let changes: Vec<&Change> = self.changes.iter().filter(|c| c.breaking == breaking).collect();
            if changes.is_empty() {
                continue;
            }
            let _ = writeln!(s, "{}:", if breaking { "breaking" } else { "not breaking" });
            for c in changes {
                let _ = write!(s, "  {} {} {}: {}", json_word(&c.kind), json_word(&c.item), c.name, c.detail);
                if let Some(at) = &c.at {
                    let _ = write!(s, " ({at})");
                }
                s.push('\n');
            }
        }
        let _ = writeln!(s, "{}", self.summary());
        s
    }

    /// The JSON report: `{"breaking": bool, "summary": .., "counts": .., "changes": [..]}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "breaking": self.is_breaking(),
            "summary": self.summary(),
            "counts": self.counts(),
            "changes": self.changes,
        })
    }
}

fn json_word<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}
