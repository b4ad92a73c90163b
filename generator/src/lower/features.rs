//! Areas and Cargo features: one feature per docs area.

use std::collections::{BTreeMap, BTreeSet};

use super::Lowered;
use crate::model::*;

/// Cargo features of the generated crate: one per area, with the areas whose
/// types an area's operations use as its dependencies; `default` enables all.
pub(super) fn crate_features(lowered: &Lowered) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in lowered.types() {
        if let Some(f) = &t.feature {
            out.entry(f.clone()).or_default();
        }
    }
    for op in &lowered.ops {
        let Some(f) = &op.feature else { continue };
        let mut deps = BTreeSet::new();
        for t in op_types(op.op) {
            if let TypeRef::Named(n) = t.element() {
                deps.extend(lowered.ty(*n).and_then(|t| t.feature.clone()));
            }
        }
        deps.remove(f);
        out.entry(f.clone()).or_default().extend(deps);
    }
    out
}

/// The types an operation takes and returns.
pub(super) fn op_types(op: &Operation) -> Vec<&TypeRef> {
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
