//! Areas and Cargo features.

use std::collections::{BTreeMap, BTreeSet};

use super::Names;
use crate::model::*;
use crate::lower::names::feature_name;

/// The features of the areas of the named types a type reference mentions.
pub(crate) fn ref_features(names: &Names, t: &TypeRef) -> BTreeSet<String> {
    match t.element() {
        TypeRef::Named(n) => names.features.get(n).cloned().flatten().into_iter().collect(),
        _ => BTreeSet::new(),
    }
}

pub(crate) fn own_features(names: &Names, full: &str) -> BTreeSet<String> {
    names.features.get(full).cloned().flatten().into_iter().collect()
}

/// Cargo features of the generated crate: one per area, with the areas whose
/// types an area's operations use as its dependencies; `default` enables all.
pub fn features(api: &Api) -> BTreeMap<String, BTreeSet<String>> {
    let area_of = |n: &str| api.types.get(n).and_then(|t| feature_name(t.area.as_deref()));
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in api.types.values() {
        if let Some(f) = feature_name(t.area.as_deref()) {
            out.entry(f).or_default();
        }
    }
    for op in &api.operations {
        let Some(f) = feature_name(op.area.as_deref()) else { continue };
        let mut deps = BTreeSet::new();
        for t in op_types(op) {
            if let TypeRef::Named(n) = t.element() {
                deps.extend(area_of(n));
            }
        }
        deps.remove(&f);
        out.entry(f).or_default().extend(deps);
    }
    out
}

pub(crate) fn op_types(op: &Operation) -> Vec<&TypeRef> {
    let mut v: Vec<&TypeRef> = op.body.iter().collect();
    if let ResponseBody::Single(t) | ResponseBody::Collection(t) = &op.response {
        v.push(t);
    }
    v
}

/// The `[features]` table for a generated crate's Cargo.toml.
pub fn features_toml(features: &BTreeMap<String, BTreeSet<String>>) -> String {
    let mut s = String::from("[features]\n");
    let all: Vec<String> = features.keys().map(|f| format!("\"{f}\"")).collect();
    s.push_str(&format!("default = [{}]\n", all.join(", ")));
    for (f, deps) in features {
        let deps: Vec<String> = deps.iter().map(|d| format!("\"{d}\"")).collect();
        s.push_str(&format!("{f} = [{}]\n", deps.join(", ")));
    }
    s
}
