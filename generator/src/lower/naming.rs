//! Rust names for everything, by the collision rule of [`super::names::Scope`]:
//! in each scope the first claimant (in a fixed order) keeps a name, later ones
//! get suffixes, with a `name-collision` warning.

use std::collections::{BTreeMap, HashMap};

use super::names::{module_name, snake_name, spelling_key, suffixed_camel, suffixed_snake, type_name, Scope};
use super::{TypeId, ENUM_CATCH_ALL, EXTRA_FIELD};
use crate::diag::{Code, Diagnostic, Span};
use crate::model::*;

/// The names of one type.
#[derive(Default)]
pub(super) struct TypeNames {
    pub(super) module: String,
    pub(super) ident: String,
    /// One per property of the struct (inherited ones included), in order.
    pub(super) fields: Vec<String>,
    pub(super) extra_field: String,
    /// One per member of the enum, in order.
    pub(super) variants: Vec<String>,
    /// A polymorphic type's holder variants: the type, then its derived types.
    pub(super) kind_variants: Vec<String>,
}

pub(super) struct Names {
    /// One per type, in the model's order (the [`TypeId`] order).
    pub(super) types: Vec<TypeNames>,
}

/// A `name-collision` warning: `what` (at `span`) wanted the Rust name that
/// `other` (at `ospan`) has, and is named `got` instead.
fn collision(diags: &mut Vec<Diagnostic>, (what, span): (&str, &Span), (other, ospan): (&str, &Span), wanted: &str, got: &str, scope: &str) {
    diags.push(
        Diagnostic::new(
            Code::NameCollision,
            span.clone(),
            format!("{what} and {other} both map to the Rust name `{wanted}` in {scope}; {what} is named `{got}` (its wire name is kept)"),
        )
        .related(ospan.clone(), format!("{other} is defined here and keeps `{wanted}`"))
        .hint("rename one of them in the docs"),
    );
}

/// The name of the catch-all map of a struct with these properties.
fn extra_field(wants: &[&str]) -> String {
    if wants.contains(&EXTRA_FIELD) {
        format!("{EXTRA_FIELD}_")
    } else {
        EXTRA_FIELD.to_string()
    }
}

/// Every name of the model. `derived` and `props` are per type, in id order.
pub(super) fn assign(api: &Api, derived: &[Vec<TypeId>], props: &[Vec<&Property>], diags: &mut Vec<Diagnostic>) -> Names {
    let modules = module_names(api, diags);
    let mut types: Vec<TypeNames> = api.types().map(|_| TypeNames::default()).collect();
    type_names(api, &modules, derived, &mut types, diags);
    // Field names by wire name: inherited properties come back in every derived type.
    let mut snake: HashMap<&str, String> = HashMap::new();
    for ((t, names), props) in api.types().zip(&mut types).zip(props) {
        member_names(t, props, names, &mut snake, diags);
    }
    kind_variant_names(derived, &mut types);
    Names { types }
}

/// Modules: one per namespace; spellings of one namespace (`Microsoft.OutlookServices`,
/// `microsoft.outlookServices`) share one. Namespace -> module.
fn module_names<'a>(api: &'a Api, diags: &mut Vec<Diagnostic>) -> BTreeMap<&'a str, String> {
    let mut namespaces: BTreeMap<&str, &TypeDef> = BTreeMap::new();
    for t in api.types() {
        namespaces.entry(t.namespace.as_str()).or_insert(t);
    }
    let mut modules: BTreeMap<&str, String> = BTreeMap::new();
    let mut scope: Scope<&str> = Scope::default();
    for ns in namespaces.keys() {
        scope.reserve(module_name(ns));
    }
    let mut by_key: BTreeMap<String, String> = BTreeMap::new();
    for (ns, first) in &namespaces {
        if let Some(m) = by_key.get(&spelling_key(ns)) {
            modules.insert(*ns, m.clone());
            continue;
        }
        let want = module_name(ns);
        let (n, holder) = scope.claim(*ns, |n| vec![suffixed_snake(&want, n)]);
        let got = suffixed_snake(&want, n);
        if let Some(h) = holder {
            let hspan = namespaces.get(h).map_or(&first.span, |t| &t.span);
            collision(diags, (&format!("namespace {ns}"), &first.span), (&format!("namespace {h}"), hspan), &want, &got, "module `models`");
        }
        by_key.insert(spelling_key(ns), got.clone());
        modules.insert(*ns, got);
    }
    modules
}

/// Types (and the `Kind` holders of polymorphic ones), per module.
fn type_names(api: &Api, modules: &BTreeMap<&str, String>, derived: &[Vec<TypeId>], out: &mut [TypeNames], diags: &mut Vec<Diagnostic>) {
    let mut by_module: BTreeMap<String, Vec<(usize, &TypeDef)>> = BTreeMap::new();
    for (i, t) in api.types().enumerate() {
        let module = modules.get(t.namespace.as_str()).cloned().unwrap_or_else(|| module_name(&t.namespace));
        by_module.entry(module).or_default().push((i, t));
    }
    for (module, ts) in &by_module {
        let mut scope: Scope<&str> = Scope::default();
        let wants = |i: usize, t: &TypeDef, n: u32| {
            let name = suffixed_camel(&type_name(&t.name), n);
            let mut v = vec![name.clone()];
            if derived.get(i).is_some_and(|d| !d.is_empty()) {
                v.push(format!("{name}Kind"));
            }
            v
        };
        for &(i, t) in ts {
            for w in wants(i, t, 1) {
                scope.reserve(w);
            }
        }
        for &(i, t) in ts {
            let (n, holder) = scope.claim(t.full_name.as_str(), |n| wants(i, t, n));
            if let Some(h) = holder {
                let hspan = api.named(h).map_or(&t.span, |h| &h.span);
                collision(
                    diags,
                    (&t.full_name, &t.span),
                    (h, hspan),
                    &type_name(&t.name),
                    &suffixed_camel(&type_name(&t.name), n),
                    &format!("module `{module}`"),
                );
            }
            if let Some(names) = out.get_mut(i) {
                names.module = module.clone();
                names.ident = suffixed_camel(&type_name(&t.name), n);
            }
        }
    }
}

/// Fields of a struct (`props`: its properties, inherited ones included) or
/// variants of an enum.
fn member_names<'a>(t: &TypeDef, props: &[&'a Property], out: &mut TypeNames, snake: &mut HashMap<&'a str, String>, diags: &mut Vec<Diagnostic>) {
    match &t.kind {
        TypeKind::Struct { .. } => {
            for p in props {
                snake.entry(p.wire.as_str()).or_insert_with(|| snake_name(&p.wire));
            }
            let wants: Vec<&str> = props.iter().map(|p| snake.get(p.wire.as_str()).map_or("", String::as_str)).collect();
            let mut scope: Scope<(&str, &Span)> = Scope::default();
            let extra = extra_field(&wants);
            scope.claim(("@odata.type", &t.span), |n| vec![suffixed_snake("odata_type", n)]);
            scope.claim(("(properties the docs do not list)", &t.span), |n| vec![suffixed_snake(&extra, n)]);
            for want in &wants {
                scope.reserve(want.to_string());
            }
            for (p, &want) in props.iter().zip(&wants) {
                let (n, holder) = scope.claim((p.wire.as_str(), &p.span), |n| vec![suffixed_snake(want, n)]);
                let got = suffixed_snake(want, n);
                if let Some((other, ospan)) = holder {
                    collision(diags, (&format!("property {}", p.wire), &p.span), (other, ospan), want, &got, &format!("the fields of {}", t.full_name));
                }
                out.fields.push(got);
            }
            out.extra_field = extra;
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
                out.variants.push(got);
            }
        }
    }
}

/// Variants of the `Kind` holders: the type itself, then its derived types by
/// name. Types of different namespaces may share a name; the later one gets a suffix.
fn kind_variant_names(derived: &[Vec<TypeId>], out: &mut [TypeNames]) {
    for (base, ds) in derived.iter().enumerate() {
        if ds.is_empty() {
            continue;
        }
        let all: Vec<usize> = std::iter::once(base).chain(ds.iter().map(|d| d.index())).collect();
        let idents: Vec<String> = all.iter().map(|&i| out.get(i).map(|n| n.ident.clone()).unwrap_or_default()).collect();
        let mut scope: Scope<usize> = Scope::default();
        for want in &idents {
            scope.reserve(want.clone());
        }
        let variants = all.iter().zip(&idents).map(|(&i, want)| suffixed_camel(want, scope.claim(i, |n| vec![suffixed_camel(want, n)]).0)).collect();
        if let Some(names) = out.get_mut(base) {
            names.kind_variants = variants;
        }
    }
}
