//! Names on the request surface: navigation methods, operations (with the
//! pages merged into each), node types and marker types.

use std::collections::{BTreeMap, BTreeSet};

use super::*;

/// Names the methods that lead from node `n` to its children (a name taken twice
/// gets the function's arguments or `path` as a suffix); the names taken on it.
pub(super) fn name_children(s: &mut Surface, n: usize) -> BTreeSet<String> {
let mut taken: BTreeSet<String> = BTreeSet::new();
    let children = s.nodes[n].children.clone();
    for c in children {
        let want = s.nodes[c].method.clone();
        let got = if taken.contains(&want) {
            let suffix = match &s.nodes[c].step {
                Step::Function { args, .. } if !args.is_empty() => args.iter().map(|a| a.rust.clone()).collect::<Vec<_>>().join("_"),
                _ => "path".to_string(),
            };
            unique(&taken, &format!("{want}_{suffix}"))
        } else {
            want
        };
        taken.insert(got.clone());
        s.nodes[c].method = got;
    }
    taken
}

/// Names the operations of node `n` (by name, method, path template and page; a
/// name taken gets a suffix and an `operation-collision` warning) and merges the
/// pages of each into one [`SurfaceOp`].
pub(super) fn name_ops(api: &Api, s: &mut Surface, n: usize, mut taken: BTreeSet<String>, mut ops: Vec<(String, Vec<Draft>)>, diags: &mut Vec<Diagnostic>) {
    ops.sort_by(|a, b| {
        let ka = (&a.0, &api.operations[a.1[0].op].method, api.operations[a.1[0].op].path_template(), &api.operations[a.1[0].op].span);
        let kb = (&b.0, &api.operations[b.1[0].op].method, api.operations[b.1[0].op].path_template(), &api.operations[b.1[0].op].span);
        ka.cmp(&kb)
    });
    let mut holders: BTreeMap<String, usize> = BTreeMap::new();
    for (want, ds) in ops {
        let first = &api.operations[ds[0].op];
        let name = if taken.contains(&want) {
            let suffix = match &ds[0].call {
                Some(Step::Function { args, .. }) if !args.is_empty() => args.iter().map(|a| a.rust.clone()).collect::<Vec<_>>().join("_"),
                _ => first.method.to_ascii_lowercase(),
            };
            let got = unique(&taken, &format!("{want}_{suffix}"));
            let other = holders.get(&want).map(|&o| &api.operations[o]);
            let mut d = Diagnostic::new(Code::OperationCollision, first.span.clone(), format!("operation `{} {}` wants the name `{want}` on `{}`, which another operation has; it is named `{got}`", first.method, first.path_template(), s.node_path(n)));
            if let Some(o) = other {
                d = d.related(o.span.clone(), format!("`{} {}` has the name `{want}`", o.method, o.path_template()));
            }
            diags.push(d.hint("operations are named by the rule in the README (\"Requests: the URL as Rust\"); rename a function segment in the docs, or accept the suffixed name"));
            got
        } else {
            want.clone()
        };
        taken.insert(name.clone());
        holders.entry(want).or_insert(ds[0].op);
        if ds.len() > 1 {
            let mut d = Diagnostic::new(
                Code::OperationCollision,
                first.span.clone(),
                format!("{} request lines document `{} {}`; they are one operation `{name}`, documented by {}", ds.len(), first.method, first.path_template(), first.span.file),
            );
            for other in &ds[1..] {
                let o = &api.operations[other.op];
                d = d.related(o.span.clone(), format!("also documents `{} {}` (listed in the operation's rustdoc)", o.method, o.path_template()));
            }
            diags.push(d.hint("one page per operation: merge the pages, or leave it (query options and headers are the union; body and response are the types all pages share)"));
        }
        let op = merged_op(api, &ds, name);
        s.nodes[n].ops.push(op);
    }
}

/// One operation from the drafts (pages) that document it: query options and
/// headers are the union, body and response the types they all share.
pub(super) fn merged_op(api: &Api, ds: &[Draft], name: String) -> SurfaceOp {
    let first = &api.operations[ds[0].op];
    let all: Vec<&Operation> = ds.iter().map(|d| &api.operations[d.op]).collect();
    let mut query_options = BTreeSet::new();
    let mut eventual = BTreeSet::new();
    let mut headers = BTreeSet::new();
    for o in &all {
        for q in &o.query_options {
            query_options.insert(q.name.clone());
            if q.eventual {
                eventual.insert(q.name.clone());
            }
        }
        for h in &o.headers {
            if let Some((_, canon)) = TYPED_HEADERS.iter().find(|(k, _)| k.eq_ignore_ascii_case(h.name.trim())) {
                headers.insert((*canon).to_string());
            }
        }
    }
    // Body and response come from the request lines without a query string
    // when there are any: `GET /groups/{id}?$expand=extensions` on an
    // extension page is one use of the operation, not its type.
    let plain: Vec<&Operation> = all.iter().copied().filter(|o| o.line_query.is_none()).collect();
    let all = if plain.is_empty() { all } else { plain };
    let body = common_type(api, all.iter().filter_map(|o| o.body.as_ref()));
    let response = match &first.response {
        ResponseBody::None => ResponseBody::None,
        ResponseBody::Single(_) => match common_type(api, all.iter().filter_map(|o| if let ResponseBody::Single(t) = &o.response { Some(t) } else { None })) {
            Some(t) => ResponseBody::Single(t),
            None => first.response.clone(),
        },
        ResponseBody::Collection(_) => match common_type(api, all.iter().filter_map(|o| if let ResponseBody::Collection(t) = &o.response { Some(t) } else { None })) {
            Some(t) => ResponseBody::Collection(t),
            None => first.response.clone(),
        },
    };
    let template = first.path_template();
    SurfaceOp {
        name,
        marker: String::new(),
        op: ds[0].op,
        also: ds[1..].iter().map(|d| d.op).collect(),
        call: ds[0].call.clone(),
        body,
        response,
        query_options,
        eventual,
        headers,
        template,
    }
}

/// Node type names (the camel-cased chain of method names, collision-safe) and the
/// marker types of the operations with query options or typed headers.
pub(super) fn name_types(s: &mut Surface) {
    // Type names: the camel-cased chain of method names, collision-safe.
    let mut scope: Scope<usize> = Scope::default();
    let wanted: Vec<String> = (0..s.nodes.len()).map(|n| chain_type_name(s, n)).collect();
    let mut by_name: Vec<usize> = (1..s.nodes.len()).collect();
    by_name.sort_by(|&a, &b| (&wanted[a], &s.nodes[a].template).cmp(&(&wanted[b], &s.nodes[b].template)));
    for &n in &by_name {
        scope.reserve(wanted[n].clone());
    }
    for &n in &by_name {
        let (k, _) = scope.claim(n, |k| vec![suffixed_camel(&wanted[n], k)]);
        s.nodes[n].type_name = suffixed_camel(&wanted[n], k);
    }
    for n in 0..s.nodes.len() {
        for o in 0..s.nodes[n].ops.len() {
            let op = &s.nodes[n].ops[o];
            let typed: Vec<&str> = op.query_options.iter().map(String::as_str).filter(|q| QUERY_OPTIONS.contains(q)).collect();
            if typed.len() == QUERY_OPTIONS.len() && op.headers.is_empty() && op.eventual.is_empty() {
                s.nodes[n].ops[o].marker = STANDARD.to_string();
            } else if !typed.is_empty() || !op.headers.is_empty() {
                let base = if n == 0 { "Root".to_string() } else { s.nodes[n].type_name.clone() };
                let want = format!("{base}{}Options", type_name(&op.name));
                let (k, _) = scope.claim(usize::MAX - n, |k| vec![suffixed_camel(&want, k)]);
                s.nodes[n].ops[o].marker = suffixed_camel(&want, k);
            }
        }
    }
}

pub(super) fn unique(taken: &BTreeSet<String>, want: &str) -> String {
    if !taken.contains(want) {
        return want.to_string();
    }
    (2..).map(|k| format!("{want}_{k}")).find(|n| !taken.contains(n)).unwrap_or_else(|| want.to_string())
}

pub(super) fn chain_type_name(s: &Surface, n: usize) -> String {
    let mut parts = Vec::new();
    let mut cur = Some(n);
    while let Some(i) = cur {
        if s.nodes[i].parent.is_some() {
            parts.push(match &s.nodes[i].step {
                Step::Param { suffix, .. } if !suffix.is_empty() => "Path".to_string(),
                Step::Param { .. } => "Item".to_string(),
                _ => type_name(&s.nodes[i].method),
            });
        }
        cur = s.nodes[i].parent;
    }
    parts.reverse();
    parts.concat()
}

/// The nearest type every one of `types` is or derives from (the types themselves
/// when they are all the same); `None` for no types.
pub(super) fn common_type<'a>(api: &Api, types: impl Iterator<Item = &'a TypeRef>) -> Option<TypeRef> {
    let types: Vec<&TypeRef> = types.collect();
    let first = (*types.first()?).clone();
    if types.iter().all(|t| **t == first) {
        return Some(first);
    }
    let (TypeRef::Named(f), collection) = (first.element(), matches!(first, TypeRef::Collection(_))) else { return Some(first) };
    // The ancestors of the first type, itself first.
    for cand in std::iter::once(*f).chain(api.ancestors(*f)) {
        if types.iter().all(|t| matches!(t.element(), TypeRef::Named(n) if api.is_subtype(*n, cand)) && matches!(t, TypeRef::Collection(_)) == collection) {
            let named = TypeRef::Named(cand);
            return Some(if collection { TypeRef::Collection(Box::new(named)) } else { named });
        }
    }
    Some(first)
}
