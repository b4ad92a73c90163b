//! Names on the request surface: navigation methods, operations (with the
//! pages merged into each), node types and marker types.

use std::collections::{BTreeMap, BTreeSet};

use super::*;

/// Names the methods that lead from node `n` to its children (a name taken twice
/// gets the function's arguments or `path` as a suffix); the names taken on it.
pub(super) fn name_children(s: &mut Surface, n: NodeId) -> BTreeSet<String> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let children = s.node(n).map(|n| n.children.clone()).unwrap_or_default();
    for c in children {
        let Some(child) = s.node_mut(c) else { continue };
        let want = child.method.clone();
        let got = if taken.contains(&want) {
            let suffix = match &child.step {
                Step::Function { args, .. } if !args.is_empty() => args.iter().map(|a| a.rust.clone()).collect::<Vec<_>>().join("_"),
                _ => "path".to_string(),
            };
            unique(&taken, &format!("{want}_{suffix}"))
        } else {
            want
        };
        taken.insert(got.clone());
        child.method = got;
    }
    // The other spellings of a segment lead to its node too, where no child has the
    // name (the node's own names first: an alias never takes a name from a node).
    let children = s.node(n).map(|n| n.children.clone()).unwrap_or_default();
    for c in children {
        let Some(child) = s.node_mut(c) else { continue };
        let aliases = std::mem::take(&mut child.aliases);
        for a in aliases {
            if !taken.contains(&a) {
                taken.insert(a.clone());
                child.aliases.push(a);
            }
        }
    }
    taken
}

/// An operation to name: its wanted name, the draft of its first page, the drafts
/// of the other pages.
pub(super) type Group<'a> = (String, Draft<'a>, Vec<Draft<'a>>);

/// Names the operations of node `n` (by name, method, path template and page; a
/// name taken gets a suffix and an `operation-collision` warning) and merges the
/// pages of each into one [`SurfaceOp`].
pub(super) fn name_ops<'a>(api: &Api, s: &mut Surface<'a>, n: NodeId, mut taken: BTreeSet<String>, mut ops: Vec<Group<'a>>, diags: &mut Vec<Diagnostic>) {
    ops.sort_by(|a, b| {
        let ka = (&a.0, &a.1.op.method, a.1.op.path_template(), &a.1.op.span);
        let kb = (&b.0, &b.1.op.method, b.1.op.path_template(), &b.1.op.span);
        ka.cmp(&kb)
    });
    let mut holders: BTreeMap<String, &Operation> = BTreeMap::new();
    for (want, head, rest) in ops {
        let first = head.op;
        let name = if taken.contains(&want) {
            let suffix = match &head.call {
                Some(Step::Function { args, .. }) if !args.is_empty() => args.iter().map(|a| a.rust.clone()).collect::<Vec<_>>().join("_"),
                _ => first.method.to_ascii_lowercase(),
            };
            let got = unique(&taken, &format!("{want}_{suffix}"));
            let mut d = Diagnostic::new(
                Code::OperationCollision,
                first.span.clone(),
                format!(
                    "operation `{} {}` wants the name `{want}` on `{}`, which another operation has; it is named `{got}`",
                    first.method,
                    first.path_template(),
                    s.node_path(n)
                ),
            );
            if let Some(o) = holders.get(&want) {
                d = d.related(o.span.clone(), format!("`{} {}` has the name `{want}`", o.method, o.path_template()));
            }
            diags.push(d.hint("operations are named by the rule in the README (\"Requests: the URL as Rust\"); rename a function segment in the docs, or accept the suffixed name"));
            got
        } else {
            want.clone()
        };
        taken.insert(name.clone());
        holders.entry(want).or_insert(first);
        // Request lines of one page that are one operation (`/me/x` and
        // `/users/{id}/x`, the aliases a page lists) are no defect: only other pages
        // documenting the same operation are reported.
        if rest.iter().any(|d| d.op.span.file != first.span.file) {
            let mut d = Diagnostic::new(
                Code::OperationCollision,
                first.span.clone(),
                format!(
                    "{} request lines document `{} {}`; they are one operation `{name}`, documented by {}",
                    rest.len() + 1,
                    first.method,
                    first.path_template(),
                    first.span.file
                ),
            );
            for other in &rest {
                let o = other.op;
                d = d.related(o.span.clone(), format!("also documents `{} {}` (listed in the operation's rustdoc)", o.method, o.path_template()));
            }
            diags.push(d.hint("one page per operation: merge the pages, or leave it (query options and headers are the union; body and response are the types all pages share)"));
        }
        let op = merged_op(api, &head, &rest, name);
        if let Some(node) = s.node_mut(n) {
            node.ops.push(op);
        }
    }
}

/// One operation from the drafts (pages) that document it (`head` the first):
/// query options and headers are the union, body and response the types they all
/// share.
pub(super) fn merged_op<'a>(api: &Api, head: &Draft<'a>, rest: &[Draft<'a>], name: String) -> SurfaceOp<'a> {
    let first = head.op;
    let all: Vec<&Operation> = std::iter::once(head).chain(rest).map(|d| d.op).collect();
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
        ResponseBody::Collection(_) => {
            match common_type(api, all.iter().filter_map(|o| if let ResponseBody::Collection(t) = &o.response { Some(t) } else { None })) {
                Some(t) => ResponseBody::Collection(t),
                None => first.response.clone(),
            }
        }
    };
    let template = first.path_template();
    SurfaceOp {
        name,
        marker: String::new(),
        wrapper: String::new(),
        op: first,
        also: rest.iter().map(|d| d.op).collect(),
        call: head.call.clone(),
        body_media: if body.is_none() { all.iter().find_map(|o| o.body_media.clone()) } else { None },
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
    // Alias nodes (`requests::me()`) have their target's type.
    let wanted: BTreeMap<NodeId, (String, String)> =
        s.nodes().filter(|(_, node)| node.alias_of.is_none()).map(|(n, node)| (n, (chain_type_name(s, n), node.template.clone()))).collect();
    let mut by_name: Vec<(NodeId, &(String, String))> = wanted.iter().map(|(n, w)| (*n, w)).filter(|(n, _)| *n != Surface::ROOT).collect();
    by_name.sort_by(|a, b| a.1.cmp(b.1));
    for (_, (want, _)) in &by_name {
        scope.reserve(want.clone());
    }
    for (n, (want, _)) in &by_name {
        let (k, _) = scope.claim(n.index(), |k| vec![suffixed_camel(want, k)]);
        if let Some(node) = s.node_mut(*n) {
            node.type_name = suffixed_camel(want, k);
        }
    }
    let aliases: Vec<(NodeId, NodeId)> = s.nodes().filter_map(|(n, node)| Some((n, node.alias_of?))).collect();
    for (n, target) in aliases {
        let ty = s.node(target).map(|t| t.type_name.clone()).unwrap_or_default();
        if let Some(node) = s.node_mut(n) {
            node.type_name = ty;
        }
    }
    for n in wanted.keys() {
        let Some(node) = s.node_mut(*n) else { continue };
        let base = if *n == Surface::ROOT { "Root".to_string() } else { node.type_name.clone() };
        for op in &mut node.ops {
            let typed: Vec<&str> = op.query_options.iter().map(String::as_str).filter(|q| QUERY_OPTIONS.contains(q)).collect();
            let own = op.query_options.iter().any(|q| !QUERY_OPTIONS.contains(&q.as_str()));
            if typed.len() == QUERY_OPTIONS.len() && op.headers.is_empty() && op.eventual.is_empty() && !own {
                op.marker = STANDARD.to_string();
            } else if !typed.is_empty() || !op.headers.is_empty() || own {
                let want = format!("{base}{}Options", type_name(&op.name));
                let (k, _) = scope.claim(usize::MAX - n.index(), |k| vec![suffixed_camel(&want, k)]);
                op.marker = suffixed_camel(&want, k);
            }
            // Parameters of its own: a request type of the operation's, named for it.
            if own {
                let want = format!("{base}{}Request", type_name(&op.name));
                let (k, _) = scope.claim(usize::MAX / 2 - n.index(), |k| vec![suffixed_camel(&want, k)]);
                op.wrapper = suffixed_camel(&want, k);
            }
        }
    }
}

pub(crate) fn unique(taken: &BTreeSet<String>, want: &str) -> String {
    if !taken.contains(want) {
        return want.to_string();
    }
    (2..).map(|k| format!("{want}_{k}")).find(|n| !taken.contains(n)).unwrap_or_else(|| want.to_string())
}

pub(super) fn chain_type_name(s: &Surface, n: NodeId) -> String {
    let mut parts: Vec<String> = s
        .chain(n)
        .filter(|(_, node)| node.parent.is_some())
        .map(|(_, node)| match &node.step {
            Step::Param { suffix, .. } if !suffix.is_empty() => "Path".to_string(),
            Step::Param { .. } => "Item".to_string(),
            Step::Key { rust, .. } => format!("By{}", type_name(rust)),
            _ => type_name(&node.method),
        })
        .collect();
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
