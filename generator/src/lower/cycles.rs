//! Cycle breaking: the fields that must be boxed.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::*;

/// Fields whose type leads back to their owner without going through a `Vec`
/// must be boxed. Strongly connected components of the "contains directly" graph.
pub(crate) fn find_boxed(api: &Api, polymorphic: &BTreeMap<String, Vec<String>>) -> BTreeSet<(String, String)> {
    let names: Vec<&String> = api.types.keys().collect();
    let index: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let targets = |t: &str| -> Vec<usize> {
        let mut out = vec![];
        if let Some(&i) = index.get(t) {
            out.push(i);
        }
        if let Some(ds) = polymorphic.get(t) {
            out.extend(ds.iter().filter_map(|d| index.get(d.as_str()).copied()));
        }
        out
    };
    let mut edges: Vec<Vec<(usize, String)>> = vec![Vec::new(); names.len()];
    for (i, n) in names.iter().enumerate() {
        if !matches!(api.types[*n].kind, TypeKind::Struct { .. }) {
            continue;
        }
        for p in api.all_properties(n) {
            if let TypeRef::Named(t) = &p.ty {
                for j in targets(t) {
                    edges[i].push((j, p.wire.clone()));
                }
            }
        }
    }
    // Tarjan's algorithm, iterative.
    let n = names.len();
    let mut idx = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on = vec![false; n];
    let mut stack = Vec::new();
    let mut comp = vec![usize::MAX; n];
    let mut counter = 0;
    let mut ncomp = 0;
    for root in 0..n {
        if idx[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut ei)) = work.last_mut() {
            if *ei == 0 && idx[v] == usize::MAX {
                idx[v] = counter;
                low[v] = counter;
                counter += 1;
                stack.push(v);
                on[v] = true;
            }
            if *ei < edges[v].len() {
                let w = edges[v][*ei].0;
                *ei += 1;
                if idx[w] == usize::MAX {
                    work.push((w, 0));
                } else if on[w] {
                    low[v] = low[v].min(idx[w]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == idx[v] {
                    while let Some(w) = stack.pop() {
                        on[w] = false;
                        comp[w] = ncomp;
                        if w == v {
                            break;
                        }
                    }
                    ncomp += 1;
                }
            }
        }
    }
    let mut boxed = BTreeSet::new();
    for (i, es) in edges.iter().enumerate() {
        for (j, wire) in es {
            if comp[*j] == comp[i] {
                boxed.insert((names[i].clone(), wire.clone()));
            }
        }
    }
    boxed
}
