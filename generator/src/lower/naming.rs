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
/// `microsoft.outlookServices`, same [`spelling_key`]) share one, named from the
/// canonical spelling ([`canonical_namespaces`]). Namespace -> module.
fn module_names<'a>(api: &'a Api, diags: &mut Vec<Diagnostic>) -> BTreeMap<&'a str, String> {
    let canonical = canonical_namespaces(api);
    // Canonical spelling -> (the first type of that spelling, for the warning's place).
    let mut firsts: BTreeMap<&str, &TypeDef> = BTreeMap::new();
    for t in api.types() {
        if let Some(c) = canonical.get(t.namespace.as_str()) {
            firsts.entry(*c).or_insert(t);
        }
    }
    let mut by_canonical: BTreeMap<&str, String> = BTreeMap::new();
    let mut scope: Scope<&str> = Scope::default();
    for ns in firsts.keys() {
        scope.reserve(module_name(ns));
    }
    for (ns, first) in &firsts {
        let want = module_name(ns);
        let (n, holder) = scope.claim(*ns, |n| vec![suffixed_snake(&want, n)]);
        let got = suffixed_snake(&want, n);
        if let Some(h) = holder {
            let hspan = firsts.get(h).map_or(&first.span, |t| &t.span);
            collision(diags, (&format!("namespace {ns}"), &first.span), (&format!("namespace {h}"), hspan), &want, &got, "module `models`");
        }
        by_canonical.insert(*ns, got);
    }
    canonical.into_iter().filter_map(|(ns, c)| by_canonical.get(c).map(|m| (ns, m.clone()))).collect()
}

/// Every namespace spelling -> the canonical spelling of its namespace: of the
/// spellings with one [`spelling_key`], the one most types defined by a page use,
/// then the one most types use, then the one that sorts first. A stray
/// `#Microsoft.Graph.Foo` on some page cannot rename `microsoft.graph`'s module.
fn canonical_namespaces(api: &Api) -> BTreeMap<&str, &str> {
    // Spelling key -> spelling -> (types defined by a page, types).
    let mut counts: BTreeMap<String, BTreeMap<&str, (usize, usize)>> = BTreeMap::new();
    for t in api.types() {
        let c = counts.entry(spelling_key(&t.namespace)).or_default().entry(t.namespace.as_str()).or_default();
        c.0 += usize::from(t.defined);
        c.1 += 1;
    }
    let mut out = BTreeMap::new();
    for spellings in counts.values() {
        // `max_by` keeps the last of equals: compare the spelling reversed so the first sorted wins.
        let Some(best) = spellings.iter().max_by(|(a, ca), (b, cb)| ca.cmp(cb).then_with(|| b.cmp(a))).map(|(s, _)| *s) else { continue };
        for s in spellings.keys() {
            out.insert(*s, best);
        }
    }
    out
}

/// Whether a docs type name is spelled as its Rust name's natural camel case
/// (`chatInfo` or `ChatInfo` for `ChatInfo`; not `chat-info` or `Chat_info`).
fn natural_spelling(wire: &str, rust: &str) -> bool {
    let mut chars = rust.chars();
    let lower: String = chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default();
    wire == rust || wire == lower
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
        // Claim order: a type a page defines before one only examples or bodies show,
        // a naturally spelled name before an odd one, then by full name; so a new page
        // with a colliding spelling cannot take an existing type's name.
        let mut order: Vec<(usize, &TypeDef)> = ts.clone();
        order.sort_by_cached_key(|&(_, t)| (!t.defined, !natural_spelling(&t.name, &type_name(&t.name)), t.full_name.clone()));
        for &(i, t) in &order {
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
