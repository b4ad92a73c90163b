//! Lowering of the operations: every operation of the model placed in a tree of
//! resource paths, with one Rust name per navigation step and per operation. Pure:
//! no tokens, no IO. The emitter (`emit/requests.rs`), the OpenAPI export and the API
//! surface of `diff` all read this tree, so they agree on names.
//!
//! The rule that maps a documented URL to Rust (also in the README):
//!
//! * the first segment is a function of `requests` (`/users` -> `requests::users()`);
//! * a literal segment is a snake_case method (`mailFolders` -> `.mail_folders()`;
//!   a leading `$` and an OData namespace prefix are dropped: `$value` -> `.value()`,
//!   `microsoft.graph.delta()` -> `.delta()`; a trailing `:` of OneDrive path addressing
//!   gives `_path`: `root:` -> `.root_path()`);
//! * a `{param}` segment, whatever its name (`{id | userPrincipalName}` included), is
//!   `.by_id(value)`; one followed by `:` (`{item-path}:`) is `.by_path(value)`;
//! * a function segment with arguments (`range(address='{address}')`) is a method with
//!   one `&str` per argument (`.range(address)`);
//! * the operation is a method on the node of its path: GET `get` (`list` when it
//!   returns a collection), POST `create`, PATCH `update`, PUT `replace`, DELETE
//!   `delete`. An action (a POST to a segment that is no collection) or a function
//!   (a segment with parentheses) is called on the node before it, by its own name:
//!   `POST /me/sendMail` -> `requests::me().send_mail(&body)`, unless a documented URL
//!   goes on after it (then it is a node, and the operation is named by its method).
//!
//! Segments are matched case-insensitively (Graph's URLs are), so `calendarView` and
//! `calendarview` are one node, spelled as the first operation (by page path) spells it.
//! Several request lines documenting the same method on the same path are one
//! operation (`operation-collision`, a warning naming every page): one page documents
//! it, the first by (request line without a query string first: `GET
//! /me/messages?$filter=..` is one use of the operation; fewest request lines on the
//! page: a page about this resource before one listing it among many; page path),
//! the others are listed in its rustdoc, query options and headers are the union,
//! and the body and response type are the nearest type all pages' types derive from
//! (of the request lines without a query string, when there are any). Two different
//! operations wanting one name on one node (`getX(period=..)` and `getX(date=..)`)
//! are the same warning: the first (by name, method, path, page) keeps it, each
//! later one gets its arguments' names as a suffix (`get_x_period`), or its method's
//! when it has none (`list_post`).

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Code, Diagnostic};
use crate::model::{Api, Operation, PathSegment, ResponseBody, TypeKind, TypeRef};
use crate::lower::names::{snake_name, suffixed_camel, type_name, Scope};

mod naming;

use naming::{name_children, name_ops, name_types};

/// How a node extends its parent's path.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Root,
    /// A literal segment, as the docs spell it.
    Literal(String),
    /// A `{param}` segment (with what follows the closing brace, such as `:`).
    Param { names: BTreeSet<String>, suffix: String },
    /// A function segment `name(key=value, ...)`.
    Function { name: String, args: Vec<Arg> },
}

/// One argument of a function segment.
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    /// The key as written (`period`); empty for a positional argument.
    pub key: String,
    /// The Rust parameter name.
    pub rust: String,
    /// Text before the value (`microsoft.graph.timeZoneStandard` in
    /// `TimeZoneStandard=microsoft.graph.timeZoneStandard'{x}'`).
    pub prefix: String,
    /// The value is written in single quotes.
    pub quoted: bool,
}

#[derive(Clone, Debug)]
pub struct Node {
    pub parent: Option<usize>,
    pub step: Step,
    /// The method on the parent that leads here (snake_case, before keyword escaping).
    pub method: String,
    /// The Rust type name of the node.
    pub type_name: String,
    /// A path template of the node, for its rustdoc (`/users/{id}/messages`).
    pub template: String,
    pub children: Vec<usize>,
    pub ops: Vec<SurfaceOp>,
    /// The first path segment (the file the node is written to).
    pub root_segment: String,
}

#[derive(Clone, Debug)]
pub struct SurfaceOp {
    /// The method name on the node (snake_case, before keyword escaping).
    pub name: String,
    /// The marker type of its query options and headers: empty for none (the
    /// operation returns a `Request`), [`STANDARD`] for the runtime's shared one.
    pub marker: String,
    /// Index of the documenting operation in `Api::operations` (the first page).
    pub op: usize,
    /// The other operations (pages) merged into this one.
    pub also: Vec<usize>,
    /// Folded onto the parent: the function or action segment it calls.
    pub call: Option<Step>,
    pub body: Option<TypeRef>,
    pub response: ResponseBody,
    /// `$select`, ... (union over the merged pages), sorted.
    pub query_options: BTreeSet<String>,
    /// Query options whose docs require `ConsistencyLevel: eventual`.
    pub eventual: BTreeSet<String>,
    /// Documented request headers (canonical spelling), sorted, Authorization etc. excluded.
    pub headers: BTreeSet<String>,
    /// The full path template (with the folded segment).
    pub template: String,
}

#[derive(Clone, Debug, Default)]
pub struct Surface {
    pub nodes: Vec<Node>,
}

impl Surface {
    /// The Rust expression that reaches a node: `requests::users().by_id(..).messages()`.
    pub fn node_path(&self, i: usize) -> String {
        let mut chain = Vec::new();
        let mut cur = Some(i);
        while let Some(n) = cur {
            let node = &self.nodes[n];
            if node.parent.is_some() {
                let args = match &node.step {
                    Step::Param { .. } => "(..)",
                    Step::Function { args, .. } if !args.is_empty() => "(..)",
                    _ => "()",
                };
                chain.push(format!("{}{args}", node.method));
            }
            cur = node.parent;
        }
        chain.reverse();
        format!("requests::{}", chain.join("."))
    }

    /// The Rust call of an operation (`requests::users().by_id(..).messages().list`),
    /// for the API surface and the OpenAPI export.
    pub fn op_path(&self, node: usize, op: &SurfaceOp) -> String {
        if self.nodes[node].parent.is_none() {
            format!("requests::{}", op.name)
        } else {
            format!("{}.{}", self.node_path(node), op.name)
        }
    }

    /// Every operation with its node, in tree order.
    pub fn ops(&self) -> impl Iterator<Item = (usize, &SurfaceOp)> {
        self.nodes.iter().enumerate().flat_map(|(i, n)| n.ops.iter().map(move |o| (i, o)))
    }
}

/// Request headers that are typed setters (the runtime's query traits), by their
/// lower-case name: (canonical name, setter).
pub const TYPED_HEADERS: &[(&str, &str)] = &[
    ("consistencylevel", "ConsistencyLevel"),
    ("if-match", "If-Match"),
    ("if-none-match", "If-None-Match"),
    ("prefer", "Prefer"),
    ("workbook-session-id", "Workbook-Session-Id"),
];

/// The marker of an operation with exactly the standard options and no typed
/// headers: the runtime's shared `Standard<Resource>`.
pub const STANDARD: &str = "(standard)";

/// The standard query options the runtime types (`$select`, ...).
pub const QUERY_OPTIONS: &[&str] = &["$count", "$expand", "$filter", "$orderby", "$search", "$select", "$skip", "$top"];

/// Parse one path segment.
fn parse_step(seg: &PathSegment) -> Step {
    match seg {
        PathSegment::Param(p) => Step::Param { names: param_names(p), suffix: String::new() },
        PathSegment::Literal(l) if l.starts_with('{') => {
            let (inner, suffix) = match l.find('}') {
                Some(i) => (&l[1..i], l[i + 1..].to_string()),
                None => (&l[1..], String::new()),
            };
            Step::Param { names: param_names(inner), suffix }
        }
        PathSegment::Literal(l) => match l.find('(') {
            Some(open) => {
                let name = l[..open].to_string();
                let inner = l[open + 1..].trim_end_matches(')');
                let mut args = Vec::new();
                for (i, part) in inner.split(',').map(str::trim).filter(|p| !p.is_empty()).enumerate() {
                    let (key, value) = match part.split_once('=') {
                        Some((k, v)) => (k.trim().to_string(), v.trim()),
                        None => (String::new(), part),
                    };
                    let (prefix, quoted) = match value.find('\'') {
                        Some(q) => (value[..q].to_string(), true),
                        None => (String::new(), false),
                    };
                    let mut rust = if key.is_empty() { "value".to_string() } else { snake_name(&key) };
                    if args.iter().any(|a: &Arg| a.rust == rust) {
                        rust = format!("{rust}_{}", i + 1);
                    }
                    args.push(Arg { key, rust, prefix, quoted });
                }
                Step::Function { name, args }
            }
            None => Step::Literal(l.clone()),
        },
    }
}

fn param_names(p: &str) -> BTreeSet<String> {
    p.split('|').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// The method name of a step (before collision handling) and the key that decides
/// which steps are one node.
fn step_name(step: &Step) -> (String, String) {
    match step {
        Step::Root => (String::new(), String::new()),
        Step::Param { suffix, .. } => {
            let n = if suffix.is_empty() { "by_id" } else { "by_path" };
            (n.to_string(), n.to_string())
        }
        Step::Literal(l) => {
            let name = literal_name(l);
            (name.clone(), name)
        }
        Step::Function { name, args } => {
            let n = literal_name(name);
            let keys: Vec<&str> = args.iter().map(|a| a.key.as_str()).collect();
            (n.clone(), format!("{n}({})", keys.join(",").to_ascii_lowercase()))
        }
    }
}

/// `$value` -> `value`; `microsoft.graph.delta` -> `delta`; `root:` -> `root_path`.
fn literal_name(l: &str) -> String {
    let path = l.ends_with(':');
    let l = l.trim_end_matches(':').trim_start_matches('$');
    let l = match l.rfind('.') {
        Some(i) if l[..i].contains('.') || l[..i].eq_ignore_ascii_case("microsoft") => &l[i + 1..],
        _ => l,
    };
    let mut n = snake_name(l);
    if path {
        n.push_str("_path");
    }
    n
}

/// Whether a POST to the path of `segs` creates an item (the path is a collection):
/// some documented URL addresses an item under it, or a GET of it returns a
/// collection, or it answers with the type it was sent.
fn is_create(op: &Operation, collections: &BTreeSet<String>, item_parents: &BTreeSet<String>, key: &str) -> bool {
    if collections.contains(key) || item_parents.contains(key) {
        return true;
    }
    matches!((&op.body, &op.response), (Some(b), ResponseBody::Single(r)) if b == r)
}

fn path_key(steps: &[Step]) -> String {
    steps.iter().map(|s| step_name(s).1).collect::<Vec<_>>().join("/")
}

/// The method name of an operation by HTTP method.
fn verb_name(op: &Operation) -> String {
    match op.method.as_str() {
        "GET" => if matches!(op.response, ResponseBody::Collection(_)) { "list" } else { "get" }.to_string(),
        "POST" => "create".to_string(),
        "PATCH" => "update".to_string(),
        "PUT" => "replace".to_string(),
        "DELETE" => "delete".to_string(),
        m => snake_name(m),
    }
}

struct Draft {
    node: usize,
    name: String,
    call: Option<Step>,
    op: usize,
    /// What makes two drafts the same operation.
    same: String,
}

/// The tree being built: the nodes, and each node's children by step key.
struct Tree {
    s: Surface,
    index: BTreeMap<(usize, String), usize>,
}

impl Tree {
    /// The node of `path` (from the root), made with its ancestors as needed.
    fn insert(&mut self, path: &[Step]) -> usize {
        let mut cur = 0;
        for st in path {
            let (name, key) = step_name(st);
            cur = match self.index.get(&(cur, key.clone())) {
                Some(&n) => {
                    if let (Step::Param { names, .. }, Step::Param { names: more, .. }) = (&mut self.s.nodes[n].step, st) {
                        names.extend(more.iter().cloned());
                    }
                    n
                }
                None => {
                    let n = self.s.nodes.len();
                    let parent_template = self.s.nodes[cur].template.clone();
                    let seg = match st {
                        Step::Literal(l) => l.clone(),
                        Step::Param { names, suffix } => format!("{{{}}}{suffix}", names.iter().next().map(String::as_str).unwrap_or("id")),
                        Step::Function { name, args } => {
                            let a: Vec<String> = args.iter().map(|a| if a.key.is_empty() { format!("{{{}}}", a.rust) } else { format!("{}={{{}}}", a.key, a.rust) }).collect();
                            format!("{name}({})", a.join(","))
                        }
                        Step::Root => String::new(),
                    };
                    let root_segment = if cur == 0 { name.clone() } else { self.s.nodes[cur].root_segment.clone() };
                    self.s.nodes.push(Node { parent: Some(cur), step: st.clone(), method: name, type_name: String::new(), template: format!("{parent_template}/{seg}"), children: Vec::new(), ops: Vec::new(), root_segment });
                    self.s.nodes[cur].children.push(n);
                    self.index.insert((cur, key), n);
                    n
                }
            };
        }
        cur
    }
}

/// Build the tree. Diagnostics: `operation-collision` warnings.
pub fn build(api: &Api, diags: &mut Vec<Diagnostic>) -> Surface {
    let root = Node { parent: None, step: Step::Root, method: String::new(), type_name: String::new(), template: String::new(), children: Vec::new(), ops: Vec::new(), root_segment: String::new() };
    let mut tree = Tree { s: Surface { nodes: vec![root] }, index: BTreeMap::new() };
    let steps: Vec<Vec<Step>> = api.operations.iter().map(|op| op.path.iter().map(parse_step).collect()).collect();
    let order = placement_order(api);
    let drafts = place(api, &steps, &order, &mut tree);
    let mut s = tree.s;
    // Merge the drafts that are one operation (same node, method and call).
    let mut groups: BTreeMap<(usize, String), Vec<Draft>> = BTreeMap::new();
    for d in drafts {
        groups.entry((d.node, d.same.clone())).or_default().push(d);
    }
    let mut per_node: BTreeMap<usize, Vec<(String, Vec<Draft>)>> = BTreeMap::new();
    for ((node, _), ds) in groups {
        // `ds` is in page order: the first page documents the operation.
        let name = ds[0].name.clone();
        per_node.entry(node).or_default().push((name, ds));
    }
    // Names: navigation methods first (sorted by key), then operations by
    // (name, method, path template, page).
    let child_sort: Vec<(usize, Vec<usize>)> = (0..s.nodes.len())
        .map(|n| {
            let mut c = s.nodes[n].children.clone();
            c.sort_by_key(|&c| step_name(&s.nodes[c].step).1);
            (n, c)
        })
        .collect();
    for (n, c) in child_sort {
        s.nodes[n].children = c;
    }
    for n in 0..s.nodes.len() {
        let taken = name_children(&mut s, n);
        let Some(ops) = per_node.remove(&n) else { continue };
        name_ops(api, &mut s, n, taken, ops, diags);
    }
    name_types(&mut s);
    s
}

/// Operations in page order, so that the first page's spelling of a segment wins,
/// and the first page of an operation documents it; request lines with a query
/// string (`GET /me/messages?$filter=...`: one use of the operation) come last.
/// A page with fewer request lines is about fewer resources: it documents an
/// operation before a page that lists it among many (extended properties, ...).
fn placement_order(api: &Api) -> Vec<usize> {
    let mut order: Vec<usize> = (0..api.operations.len()).collect();
    let mut lines_per_page: BTreeMap<&str, usize> = BTreeMap::new();
    for o in &api.operations {
        *lines_per_page.entry(&o.span.file).or_default() += 1;
    }
    let rank = |i: usize| {
        let o = &api.operations[i];
        (o.line_query.is_some(), lines_per_page.get(&*o.span.file).copied().unwrap_or(0), &o.span.file, o.span.line())
    };
    order.sort_by(|&a, &b| rank(a).cmp(&rank(b)));
    order
}

/// Every operation as a draft on its node (pass 1: every path but its last
/// segment is a node; pass 2: each operation on its path's node, or folded onto
/// the node before it when it is an action or a function).
fn place(api: &Api, steps: &[Vec<Step>], order: &[usize], tree: &mut Tree) -> Vec<Draft> {
    // Pass 1: every path but its last segment is a node.
    for &i in order {
        let p = steps[i].as_slice();
        if !p.is_empty() {
            tree.insert(&p[..p.len() - 1]);
        }
    }
    let prefixes: BTreeSet<String> = order.iter().filter(|&&i| !steps[i].is_empty()).flat_map(|&i| (1..steps[i].len()).map(move |n| (i, n))).map(|(i, n)| path_key(&steps[i][..n])).collect();
    let collections: BTreeSet<String> = order.iter().filter(|&&i| api.operations[i].method == "GET" && matches!(api.operations[i].response, ResponseBody::Collection(_))).map(|&i| path_key(&steps[i])).collect();
    let item_parents: BTreeSet<String> = order
        .iter()
        .flat_map(|&i| (1..=steps[i].len()).map(move |n| (i, n)))
        .filter(|&(i, n)| matches!(steps[i][n - 1], Step::Param { .. }) && n >= 2)
        .map(|(i, n)| path_key(&steps[i][..n - 1]))
        .collect();
    // Pass 2: place each operation.
    let mut drafts: Vec<Draft> = Vec::new();
    for &i in order {
        let op = &api.operations[i];
        let p = steps[i].as_slice();
        let key = path_key(p);
        let last = p.last();
        let foldable = match last {
            Some(Step::Function { .. }) => true,
            Some(Step::Literal(l)) => op.method == "POST" && !l.starts_with('$') && !is_create(op, &collections, &item_parents, &key),
            _ => false,
        };
        if foldable && !prefixes.contains(&key) {
            let node = tree.insert(&p[..p.len() - 1]);
            let st = last.cloned().unwrap_or(Step::Root);
            let name = step_name(&st).0;
            let same = format!("{} {}", op.method, step_name(&st).1);
            drafts.push(Draft { node, name, call: Some(st), op: i, same });
        } else {
            let node = tree.insert(p);
            drafts.push(Draft { node, name: verb_name(op), call: None, op: i, same: op.method.clone() });
        }
    }
    drafts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_names() {
        assert_eq!(literal_name("mailFolders"), "mail_folders");
        assert_eq!(literal_name("$value"), "value");
        assert_eq!(literal_name("microsoft.graph.delta"), "delta");
        assert_eq!(literal_name("root:"), "root_path");
    }

    #[test]
    fn function_segments() {
        let Step::Function { name, args } = parse_step(&PathSegment::Literal("getEmailActivityCounts(period='{period_value}')".into())) else { panic!("a function") };
        assert_eq!(name, "getEmailActivityCounts");
        assert_eq!(args, vec![Arg { key: "period".into(), rust: "period".into(), prefix: String::new(), quoted: true }]);
        let Step::Function { args, .. } = parse_step(&PathSegment::Literal("itemAt(index={n})".into())) else { panic!("a function") };
        assert!(!args[0].quoted);
        let Step::Param { names, suffix } = parse_step(&PathSegment::Literal("{item-path}:".into())) else { panic!("a parameter") };
        assert_eq!((names.into_iter().collect::<Vec<_>>(), suffix.as_str()), (vec!["item-path".to_string()], ":"));
        let Step::Param { names, .. } = parse_step(&PathSegment::Param("id | userPrincipalName".into())) else { panic!("a parameter") };
        assert_eq!(names.len(), 2);
    }
}
