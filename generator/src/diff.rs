//! What a docs change does to the generated API.
//!
//! [`Surface`] is the shape of the generated crate as a user sees it: every type by
//! its Rust path under `models` (`graph::Call`), with its Cargo feature, its fields
//! by Rust name (inherited ones included, as the generated structs have them) with
//! their Rust types (`Box<graph::IdentitySetKind>`; every field is a `Nullable` of
//! it), every enum with its variants; every operation (keyed by its Rust call,
//! `requests::me().messages().list`) with its method, path, parameters, body and
//! response types, query options, typed headers and the Cargo features it needs.
//! Docs spellings that give the same Rust (an area `Intune` or `intune`, a type
//! `Decimal` or `Double`, a property `callbackUri` or `callbackURI` of the same
//! field) are no change. [`diff`] compares two surfaces and classifies each change as
//! breaking for users of the generated crate (a removed or retyped field, a removed
//! type, variant or operation, another feature, a changed path, parameter, body or
//! response) or not (an added type, field, variant or operation: every field is
//! a `Nullable`, every enum has a catch-all).
//!
//! `build.rs` keeps the surface of what it generated in `generated/api.json`
//! ([`SURFACE_FILE`]); [`crate::Config::generate`] diffs the previous surface with
//! the new one and reports it ([`crate::Report::api_diff`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::emit::user_type;
use crate::lower::names::{feature_name, ident};
use crate::model::{Api, PathSegment, ResponseBody, TypeKind, TypeRef};

/// The file, next to the generated module tree, that records its [`Surface`].
pub const SURFACE_FILE: &str = "api.json";

/// The shape of the generated API. Sorted maps: the same docs give the same bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Surface {
    /// By Rust path under `models` (`graph::Call`).
    pub types: BTreeMap<String, TypeSurface>,
    pub operations: BTreeMap<String, OperationSurface>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeSurface {
    /// `struct`, `enum` or `flags` (a flags enum).
    pub kind: String,
    /// The Cargo feature the type needs (`None`: always built).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    /// The base type's Rust path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// Whether the type has derived types: properties of this type then hold its
    /// `<Type>Kind` enum rather than the struct.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub polymorphic: bool,
    /// Field Rust name -> its Rust type (the `T` of its `Nullable<T>`), inherited
    /// ones included.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, String>,
    /// An enum's variants (the catch-all aside).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub members: BTreeSet<String>,
    /// Where the type is defined (`file:line`); not recorded in the surface file,
    /// so that moving text around a page does not change it.
    #[serde(skip)]
    pub at: Option<String>,
    /// Where each field's property is documented (`file:line`); not recorded either.
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
    /// The body's Rust type, or `bytes (<media type>)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// `none`, a Rust type, or `page of <type>`.
    pub response: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query: Vec<String>,
    /// The request headers with typed setters (`Prefer`, `If-Match`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<String>,
    /// The Cargo features the operation needs: its area's and those of its body
    /// and response types.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub features: BTreeSet<String>,
    #[serde(skip)]
    pub at: Option<String>,
}

/// A type in the docs' spelling: the primitive's name (`String`, `Int32`, ...), a
/// named type's full wire name, or `Collection(<type>)`. (The surface records Rust
/// types instead.)
pub fn type_text(api: &Api, t: &TypeRef) -> String {
    match t {
        TypeRef::Prim(p) => format!("{p:?}"),
        TypeRef::Named(n) => api.name(*n).to_string(),
        TypeRef::Collection(inner) => format!("Collection({})", type_text(api, inner)),
    }
}

impl Surface {
    /// The surface of the crate generated from `api`: its types and operations
    /// as lowering names them for emission.
    pub fn of(api: &Api) -> Surface {
        let low = crate::lower::lower(api, &mut Vec::new());
        let path = |id| low.ty(id).map_or_else(|| api.name(id).to_string(), |t| format!("{}::{}", ident(&t.module), t.ident));
        let mut types = BTreeMap::new();
        for t in low.types() {
            let def = t.def;
            let mut s = TypeSurface { feature: t.feature.clone(), at: Some(format!("{}:{}", def.span.file, def.span.line())), ..TypeSurface::default() };
            match &def.kind {
                TypeKind::Struct { base, .. } => {
                    s.kind = "struct".into();
                    s.base = base.map(path);
                    s.polymorphic = !t.derived.is_empty();
                    for f in &t.fields {
                        let name = ident(&f.name).to_string();
                        s.properties.insert(name.clone(), user_type(&low, &f.prop.ty, f.boxed));
                        s.property_at.insert(name, format!("{}:{}", f.prop.span.file, f.prop.span.line()));
                    }
                }
                TypeKind::Enum { flags, .. } => {
                    s.kind = if *flags { "flags" } else { "enum" }.into();
                    s.members = t.variants.iter().cloned().collect();
                }
            }
            types.insert(path(t.id), s);
        }
        // Operations as the request surface names them: the Rust call
        // (`requests::users().by_id(..).messages().list`) is the key.
        let mut operations = BTreeMap::new();
        for (node, sop) in low.surface.ops() {
            let op = sop.op;
            let mut features: BTreeSet<String> = feature_name(op.area.as_deref()).into_iter().collect();
            let response = match &sop.response {
                ResponseBody::None => "none".to_string(),
                ResponseBody::Single(t) => {
                    features.extend(low.ref_features(t));
                    user_type(&low, t, false)
                }
                ResponseBody::Collection(t) => {
                    features.extend(low.ref_features(t));
                    format!("page of {}", user_type(&low, t, false))
                }
            };
            if let Some(b) = &sop.body {
                features.extend(low.ref_features(b));
            }
            let parameters = op
                .path
                .iter()
                .filter_map(|s| match s {
                    PathSegment::Param(p) => Some(p.clone()),
                    PathSegment::Literal(_) => None,
                })
                .collect();
            operations.insert(
                low.surface.op_path(node, sop),
                OperationSurface {
                    method: op.method.clone(),
                    path: op.path_template(),
                    parameters,
                    body: sop.body.as_ref().map(|t| user_type(&low, t, false)).or_else(|| sop.body_media.as_ref().map(|m| format!("bytes ({m})"))),
                    response,
                    status: op.success_status,
                    query: sop.query_options.iter().cloned().collect(),
                    headers: sop.headers.iter().cloned().collect(),
                    features,
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
    /// A type's Rust path (`graph::Call`), a field (`graph::Call.state`), a variant
    /// (`graph::CallState::Established`), or an operation's Rust call
    /// (`requests::calls().by_id(..).get`).
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
    if o.feature != n.feature {
        // The type now needs another Cargo feature (an area spelled otherwise in
        // the docs but with the same feature is no change).
        push(ChangeKind::Changed, Item::Type, name.to_string(), format!("feature {} -> {}", or_none(&o.feature), or_none(&n.feature)), true, &n.at);
    }
    for (p, ot) in &o.properties {
        let pname = format!("{name}.{p}");
        match n.properties.get(p) {
            None => {
                push(ChangeKind::Removed, Item::Property, pname, format!("field of type {ot} removed"), true, &o.property_at.get(p).cloned().or(n.at.clone()))
            }
            Some(nt) if nt != ot => {
                push(ChangeKind::Changed, Item::Property, pname, format!("{ot} -> {nt}"), true, &n.property_at.get(p).cloned().or(n.at.clone()))
            }
            Some(_) => {}
        }
    }
    for (p, nt) in &n.properties {
        if !o.properties.contains_key(p) {
            push(
                ChangeKind::Added,
                Item::Property,
                format!("{name}.{p}"),
                format!("field of type {nt} added"),
                false,
                &n.property_at.get(p).cloned().or(n.at.clone()),
            );
        }
    }
    for m in o.members.difference(&n.members) {
        push(ChangeKind::Removed, Item::Member, format!("{name}::{m}"), "variant removed".into(), true, &n.at);
    }
    for m in n.members.difference(&o.members) {
        push(ChangeKind::Added, Item::Member, format!("{name}::{m}"), "variant added (older crates read it as the catch-all)".into(), false, &n.at);
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
    if o.features != n.features {
        let list = |f: &BTreeSet<String>| f.iter().cloned().collect::<Vec<_>>().join(", ");
        what.push((format!("features [{}] -> [{}]", list(&o.features), list(&n.features)), true));
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
            .map(
                |(k, n)| {
                    if n.breaking > 0 {
                        format!("{k} {} ({} breaking)", n.breaking + n.non_breaking, n.breaking)
                    } else {
                        format!("{k} {}", n.non_breaking)
                    }
                },
            )
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
