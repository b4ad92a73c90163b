//! Stage 4: lowering. The API model gets its Rust shape: names, boxed fields, polymorphic holders, areas and features.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Code, Diagnostic, Span};
use crate::model::*;
use crate::lower::names::{feature_name, module_name, snake_name, suffixed_camel, suffixed_snake, type_name, Scope};

mod cycles;
pub mod names;
mod features;
pub mod surface;

pub use features::*;
use cycles::find_boxed;

/// The name of the catch-all variant of generated string enums.
pub const ENUM_CATCH_ALL: &str = "Unrecognized";
/// The field that keeps properties the docs do not list. If a docs property of
/// the type itself maps to this name, the map is named with a trailing `_`.
pub const EXTRA_FIELD: &str = "additional_properties";

/// The name of the catch-all map of a struct with these properties.
pub(crate) fn extra_field(props: &[&Property]) -> String {
    if props.iter().any(|p| snake_name(&p.wire) == EXTRA_FIELD) {
        format!("{EXTRA_FIELD}_")
    } else {
        EXTRA_FIELD.to_string()
    }
}

pub(crate) struct Names {
    /// full name -> (module, type ident)
    pub(crate) types: BTreeMap<String, (String, String)>,
    /// full name -> Cargo feature of its area (`None`: the common part)
    pub(crate) features: BTreeMap<String, Option<String>>,
    /// types that have derived types -> those types (sorted)
    pub(crate) polymorphic: BTreeMap<String, Vec<String>>,
    /// (owner full name, property wire) fields that must be boxed
    pub(crate) boxed: BTreeSet<(String, String)>,
    /// The request surface: every operation placed on its resource path, named.
    pub(crate) surface: surface::Surface,
    /// Structs some operation selects, expands or orders by the properties of: they
    /// get a `Field` constant per property.
    pub(crate) queryable: BTreeSet<String>,
    /// (struct full name, property wire) -> field name (before keyword escaping)
    pub(crate) fields: BTreeMap<(String, String), String>,
    /// (enum full name, member wire) -> variant name
    pub(crate) variants: BTreeMap<(String, String), String>,
    /// (polymorphic type, the type or one derived from it) -> variant of its `Kind` enum
    pub(crate) kind_variants: BTreeMap<(String, String), String>,
    /// The runtime crate's path (see [`Options::runtime_path`]), as source text
    /// (token streams cannot be shared between the worker threads).
    pub(crate) rt: String,
    /// The same path as rustdoc link text.
    pub(crate) rt_doc: String,
    /// [`Options::format`].
    pub(crate) format: bool,
}

/// A `name-collision` warning: `what` (at `span`) wanted the Rust name that
/// `other` (at `ospan`) has, and is named `got` instead.
pub(crate) fn collision(diags: &mut Vec<Diagnostic>, (what, span): (&str, &Span), (other, ospan): (&str, &Span), wanted: &str, got: &str, scope: &str) {
    diags.push(
        Diagnostic::new(Code::NameCollision, span.clone(), format!("{what} and {other} both map to the Rust name `{wanted}` in {scope}; {what} is named `{got}` (its wire name is kept)"))
            .related(ospan.clone(), format!("{other} is defined here and keeps `{wanted}`"))
            .hint("rename one of them in the docs"),
    );
}

/// Rust names for everything, by the collision rule of [`crate::lower::names`]: in each
/// scope the first claimant (in a fixed order) keeps a name, later ones get suffixes.
pub(crate) fn assign_names(api: &Api, diags: &mut Vec<Diagnostic>) -> Names {
    let derived = api.derived_index();
    let mut polymorphic = BTreeMap::new();
    for t in api.types.values() {
        if let (TypeKind::Struct { .. }, Some(ds)) = (&t.kind, derived.get(t.full_name.as_str())) {
            polymorphic.insert(t.full_name.clone(), ds.iter().map(|d| d.full_name.clone()).collect::<Vec<_>>());
        }
    }
    // Modules: one per namespace; spellings of one namespace (`Microsoft.OutlookServices`,
    // `microsoft.outlookServices`) share one.
    let mut namespaces: BTreeMap<&str, &TypeDef> = BTreeMap::new();
    for t in api.types.values() {
        namespaces.entry(t.namespace.as_str()).or_insert(t);
    }
    let mut modules: BTreeMap<&str, String> = BTreeMap::new();
    let mut scope: Scope<&str> = Scope::default();
    for ns in namespaces.keys() {
        scope.reserve(module_name(ns));
    }
    let mut by_key: BTreeMap<String, String> = BTreeMap::new();
    for (ns, first) in &namespaces {
        if let Some(m) = by_key.get(&crate::lower::names::spelling_key(ns)) {
            modules.insert(*ns, m.clone());
            continue;
        }
        let want = module_name(ns);
        let (n, holder) = scope.claim(*ns, |n| vec![suffixed_snake(&want, n)]);
        let got = suffixed_snake(&want, n);
        if let Some(h) = holder {
            collision(diags, (&format!("namespace {ns}"), &first.span), (&format!("namespace {h}"), &namespaces[h].span), &want, &got, "module `models`");
        }
        by_key.insert(crate::lower::names::spelling_key(ns), got.clone());
        modules.insert(*ns, got);
    }
    // Types (and the `Kind` enums of polymorphic ones), per module.
    let mut types = BTreeMap::new();
    let mut by_module: BTreeMap<&str, Vec<&TypeDef>> = BTreeMap::new();
    for t in api.types.values() {
        by_module.entry(modules[t.namespace.as_str()].as_str()).or_default().push(t);
    }
    for (module, ts) in &by_module {
        let mut scope: Scope<&str> = Scope::default();
        let wants = |t: &TypeDef, n: u32| {
            let name = suffixed_camel(&type_name(&t.name), n);
            let mut v = vec![name.clone()];
            if polymorphic.contains_key(&t.full_name) {
                v.push(format!("{name}Kind"));
            }
            v
        };
        for t in ts {
            for w in wants(t, 1) {
                scope.reserve(w);
            }
        }
        for t in ts {
            let (n, holder) = scope.claim(t.full_name.as_str(), |n| wants(t, n));
            if let Some(h) = holder {
                collision(diags, (&t.full_name, &t.span), (h, &api.types[h].span), &type_name(&t.name), &suffixed_camel(&type_name(&t.name), n), &format!("module `{module}`"));
            }
            types.insert(t.full_name.clone(), (module.to_string(), suffixed_camel(&type_name(&t.name), n)));
        }
    }
    // Fields and variants within each type.
    let mut fields = BTreeMap::new();
    let mut variants = BTreeMap::new();
    for t in api.types.values() {
        match &t.kind {
            TypeKind::Struct { .. } => {
                let props = api.all_properties(&t.full_name);
                let mut scope: Scope<(&str, &Span)> = Scope::default();
                let extra = extra_field(&props);
                scope.claim(("@odata.type", &t.span), |n| vec![suffixed_snake("odata_type", n)]);
                scope.claim(("(properties the docs do not list)", &t.span), |n| vec![suffixed_snake(&extra, n)]);
                for p in &props {
                    scope.reserve(snake_name(&p.wire));
                }
                for p in props {
                    let want = snake_name(&p.wire);
                    let (n, holder) = scope.claim((p.wire.as_str(), &p.span), |n| vec![suffixed_snake(&want, n)]);
                    let got = suffixed_snake(&want, n);
                    if let Some((other, ospan)) = holder {
                        collision(diags, (&format!("property {}", p.wire), &p.span), (other, ospan), &want, &got, &format!("the fields of {}", t.full_name));
                    }
                    fields.insert((t.full_name.clone(), p.wire.clone()), got);
                }
            }
            TypeKind::Enum { members, .. } => {
                let mut scope: Scope<(&str, &Span)> = Scope::default();
                scope.claim(("(the catch-all for unknown values)", &t.span), |n| vec![suffixed_camel(ENUM_CATCH_ALL, n)]);
                for m in members {
                    scope.reserve(type_name(&m.wire));
                }
                for m in members {
                    let want = type_name(&m.wire);
                    let (n, holder) = scope.claim((m.wire.as_str(), &m.span), |n| vec![suffixed_camel(&want, n)]);
                    let got = suffixed_camel(&want, n);
                    if let Some((other, ospan)) = holder {
                        collision(diags, (&format!("member {}", m.wire), &m.span), (other, ospan), &want, &got, &format!("the variants of enum {}", t.full_name));
                    }
                    variants.insert((t.full_name.clone(), m.wire.clone()), got);
                }
            }
        }
    }
    // Variants of the `Kind` enums: the type itself, then its derived types by name.
    // Types of different namespaces may share a name; the later one gets a suffix.
    let mut kind_variants = BTreeMap::new();
    for (base, ds) in &polymorphic {
        let mut scope: Scope<&str> = Scope::default();
        let all: Vec<&String> = std::iter::once(base).chain(ds).collect();
        for d in &all {
            scope.reserve(types[d.as_str()].1.clone());
        }
        for d in all {
            let want = &types[d.as_str()].1;
            let (n, _) = scope.claim(d.as_str(), |n| vec![suffixed_camel(want, n)]);
            kind_variants.insert((base.clone(), d.clone()), suffixed_camel(want, n));
        }
    }
    let surface = surface::build(api, diags);
    let queryable = surface
        .ops()
        .filter(|(_, op)| op.query_options.iter().any(|q| ["$select", "$expand", "$orderby"].contains(&q.as_str())))
        .filter_map(|(_, op)| match &op.response {
            ResponseBody::Single(t) | ResponseBody::Collection(t) => match t.element() {
                TypeRef::Named(n) if matches!(api.types.get(n).map(|t| &t.kind), Some(TypeKind::Struct { .. })) => Some(n.clone()),
                _ => None,
            },
            ResponseBody::None => None,
        })
        .collect();
    let boxed = find_boxed(api, &polymorphic);
    let features = api.types.values().map(|t| (t.full_name.clone(), feature_name(t.area.as_deref()))).collect();
    Names { types, features, polymorphic, boxed, surface, queryable, fields, variants, kind_variants, rt: String::new(), rt_doc: String::new(), format: true }
}
