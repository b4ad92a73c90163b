//! Cycle breaking: the fields that must be boxed.

use std::collections::BTreeSet;

use crate::model::*;

/// Fields whose type leads back to their owner without going through a `Vec`
/// must be boxed: (owner's [`TypeId::index`], property wire). Strongly connected components of the
/// "contains directly" graph, where a field of a polymorphic type contains the
/// type and every type derived from it. `derived` and `props` are per type, in
/// id order (`props` empty for an enum).
pub(super) fn find_boxed<'a>(derived: &[Vec<TypeId>], props: &[Vec<&'a Property>]) -> BTreeSet<(usize, &'a str)> {
    let targets = |id: TypeId| -> Vec<usize> {
        let ds = derived.get(id.index()).map_or(&[][..], Vec::as_slice);
        std::iter::once(id).chain(ds.iter().copied()).map(TypeId::index).collect()
    };
    let mut edges: Vec<Vec<(usize, &str)>> = vec![Vec::new(); props.len()];
    for (es, props) in edges.iter_mut().zip(props) {
        for p in props {
            if let TypeRef::Named(t) = &p.ty {
                for j in targets(*t) {
                    es.push((j, p.wire.as_str()));
                }
            }
        }
    }
    // Tarjan's algorithm, iterative.
    let n = props.len();
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
                boxed.insert((i, *wire));
            }
        }
    }
    boxed
}
