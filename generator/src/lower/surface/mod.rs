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
use crate::lower::names::{snake_name, suffixed_camel, type_name, Scope};
use crate::model::{Api, Operation, PathSegment, ResponseBody, TypeRef};

mod naming;

pub(crate) use naming::unique as unique_name;
use naming::{name_children, name_ops, name_types};

/// How a node extends its parent's path.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Root,
    /// A literal segment, as the docs spell it.
    Literal(String),
    /// A `{param}` segment (with what follows the closing brace, such as `:`).
    Param {
        names: BTreeSet<String>,
        suffix: String,
    },
    /// A function segment `name(key=value, ...)`.
    Function {
        name: String,
        args: Vec<Arg>,
    },
    /// The collection before it addressed by an alternate key:
    /// `directoryRoles(roleTemplateId='{id}')` is `directoryRoles` and this
    /// (written on the same segment, not after a `/`).
    Key {
        key: String,
        rust: String,
        quoted: bool,
    },
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

/// A node of a [`Surface`]: its position in the tree's nodes (the root is
/// [`Surface::ROOT`]). Only the surface makes one; lookups by id return an `Option`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(u32);

impl NodeId {
    /// The position of the node in its surface (for tables kept beside it).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Clone, Debug)]
pub struct Node<'a> {
    pub parent: Option<NodeId>,
    pub step: Step,
    /// The method on the parent that leads here (snake_case, before keyword escaping).
    pub method: String,
    /// The Rust type name of the node.
    pub type_name: String,
    /// A path template of the node, for its rustdoc (`/users/{id}/messages`).
    pub template: String,
    pub children: Vec<NodeId>,
    pub ops: Vec<SurfaceOp<'a>>,
    /// The first path segment (the file the node is written to).
    pub root_segment: String,
    /// The methods of the other spellings the docs give this segment
    /// (`calendargroups` beside `calendar_groups`): each leads to this node too.
    pub aliases: Vec<String>,
    /// A root function that leads to another node's type under its own path
    /// (`requests::me()`, a `/users/{id}`): it has no children or operations of its own.
    pub alias_of: Option<NodeId>,
}

#[derive(Clone, Debug)]
pub struct SurfaceOp<'a> {
    /// The method name on the node (snake_case, before keyword escaping).
    pub name: String,
    /// The marker type of its query options and headers: empty for none (the
    /// operation returns a `Request`), [`STANDARD`] for the runtime's shared one.
    pub marker: String,
    /// The request type of an operation with query parameters of its own
    /// (`startDateTime`): a generated wrapper of its `Query`, with a setter per
    /// parameter; empty for none.
    pub wrapper: String,
    /// The documenting operation (the first page).
    pub op: &'a Operation,
    /// The other operations (pages) merged into this one.
    pub also: Vec<&'a Operation>,
    /// Folded onto the parent: the function or action segment it calls.
    pub call: Option<Step>,
    pub body: Option<TypeRef>,
    /// The documented `Content-Type` of a body that is not JSON (the operation
    /// takes bytes); `body` is then `None`.
    pub body_media: Option<String>,
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

/// The request surface: a tree of nodes, one per resource path, its operations
/// on them; made by [`build`].
#[derive(Clone, Debug)]
pub struct Surface<'a> {
    nodes: Vec<Node<'a>>,
}

impl<'a> Surface<'a> {
    /// The root: the service root, whose children are the first path segments.
    pub const ROOT: NodeId = NodeId(0);

    /// A node by id (`None` only for an id of another surface).
    pub fn node(&self, id: NodeId) -> Option<&Node<'a>> {
        self.nodes.get(id.index())
    }

    fn node_mut(&mut self, id: NodeId) -> Option<&mut Node<'a>> {
        self.nodes.get_mut(id.index())
    }

    /// Every node with its id, root first, in the order they were made.
    pub fn nodes(&self) -> impl Iterator<Item = (NodeId, &Node<'a>)> {
        self.nodes.iter().enumerate().map(|(i, n)| (NodeId(i as u32), n))
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The node and its ancestors, nearest first (the tree is built parent
    /// first, so a walk ends at the root).
    pub fn chain(&self, id: NodeId) -> impl Iterator<Item = (NodeId, &Node<'a>)> {
        let mut cur = Some(id);
        std::iter::from_fn(move || {
            let id = cur?;
            let node = self.node(id)?;
            // A parent is made before its children: a parent id is always smaller,
            // so the walk ends.
            cur = node.parent.filter(|p| *p < id);
            Some((id, node))
        })
    }

    /// The Rust expression that reaches a node: `requests::users().by_id(..).messages()`.
    pub fn node_path(&self, i: NodeId) -> String {
        let mut chain = Vec::new();
        for (_, node) in self.chain(i) {
            if node.parent.is_some() {
                let args = match &node.step {
                    Step::Param { .. } | Step::Key { .. } => "(..)",
                    Step::Function { args, .. } if !args.is_empty() => "(..)",
                    _ => "()",
                };
                chain.push(format!("{}{args}", node.method));
            }
        }
        chain.reverse();
        format!("requests::{}", chain.join("."))
    }

    /// The Rust call of an operation (`requests::users().by_id(..).messages().list`),
    /// for the API surface and the OpenAPI export.
    pub fn op_path(&self, node: NodeId, op: &SurfaceOp) -> String {
        if self.node(node).is_none_or(|n| n.parent.is_none()) {
            format!("requests::{}", op.name)
        } else {
            format!("{}.{}", self.node_path(node), op.name)
        }
    }

    /// Every operation with its node, in tree order.
    pub fn ops(&self) -> impl Iterator<Item = (NodeId, &SurfaceOp<'a>)> {
        self.nodes().flat_map(|(i, n)| n.ops.iter().map(move |o| (i, o)))
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
/// which steps are one node: the name's letters and digits, lower-cased, so that
/// every spelling of a segment (`calendarGroups`, `calendargroups`) is one node.
fn step_name(step: &Step) -> (String, String) {
    match step {
        Step::Root => (String::new(), String::new()),
        Step::Param { suffix, .. } => {
            let n = if suffix.is_empty() { "by_id" } else { "by_path" };
            (n.to_string(), n.to_string())
        }
        Step::Literal(l) => {
            let name = literal_name(l);
            let key = spelling_key(&name);
            (name, key)
        }
        Step::Function { name, args } => {
            let n = literal_name(name);
            let keys: Vec<&str> = args.iter().map(|a| a.key.as_str()).collect();
            let key = format!("{}({})", spelling_key(&n), keys.join(",").to_ascii_lowercase());
            (n, key)
        }
        Step::Key { rust, .. } => {
            let n = format!("by_{rust}");
            let key = format!("by_{}", spelling_key(rust));
            (n, key)
        }
    }
}

/// What the spellings of one segment name have in common: its letters and digits,
/// lower-cased (`calendar_groups` and `calendargroups` are `calendargroups`).
fn spelling_key(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// How much a spelling says about its words: the docs write segments in camelCase
/// (`calendarGroups`), and an all-lower-case spelling (`calendargroups`) is the same
/// segment with its word breaks lost. The spelling with more capitals names the node.
fn word_breaks(step: &Step) -> usize {
    match step {
        Step::Literal(l) => l.chars().filter(char::is_ascii_uppercase).count(),
        Step::Function { name, .. } => name.chars().filter(char::is_ascii_uppercase).count(),
        _ => 0,
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
fn is_create(op: &Operation, collections: &BTreeSet<&str>, item_parents: &BTreeSet<&str>, key: &str) -> bool {
    if collections.contains(key) || item_parents.contains(key) {
        return true;
    }
    matches!((&op.body, &op.response), (Some(b), ResponseBody::Single(r)) if b == r)
}

/// An operation to place: its path's steps, each step's [`step_name`], and the
/// key of every prefix of the path (`prefixes[n]`: the steps `..n` joined by `/`,
/// so `prefixes[steps.len()]` is the whole path's key). Computed once per
/// operation: placing asks for them many times.
struct Placed<'a> {
    op: &'a Operation,
    steps: Vec<Step>,
    names: Vec<(String, String)>,
    prefixes: Vec<String>,
    /// The path starts with `/me`, placed as `/users/{id}`.
    via_me: bool,
}

impl<'a> Placed<'a> {
    fn new(op: &'a Operation) -> Self {
        let mut steps: Vec<Step> = op.path.iter().map(parse_step).collect();
        // `/me` is `/users/{id}` (the signed-in user): one node, one operation.
        let via_me = matches!(steps.first(), Some(Step::Literal(l)) if l.eq_ignore_ascii_case("me"));
        if via_me {
            steps.splice(0..1, [Step::Literal("users".into()), Step::Param { names: BTreeSet::from(["id".to_string()]), suffix: String::new() }]);
        }
        // A drive's `root` is its root item: `drive/root` is `drive/items/{id}`
        // (`drive`, or `drives/{id}`, before it; `root:` path addressing is another step).
        let mut i = 1;
        while i < steps.len() {
            let is_root = matches!(&steps[i], Step::Literal(l) if l.eq_ignore_ascii_case("root"));
            let after_drive = matches!(&steps[i - 1], Step::Literal(l) if l.eq_ignore_ascii_case("drive"))
                || (i >= 2
                    && matches!(&steps[i - 1], Step::Param { suffix, .. } if suffix.is_empty())
                    && matches!(&steps[i - 2], Step::Literal(l) if l.eq_ignore_ascii_case("drives")));
            if is_root && after_drive {
                steps.splice(i..i + 1, [Step::Literal("items".into()), Step::Param { names: BTreeSet::from(["id".to_string()]), suffix: String::new() }]);
                i += 1;
            }
            i += 1;
        }
        Placed::from_steps(op, steps, via_me)
    }

    /// A placed operation from its steps: each step's name and every prefix's key.
    fn from_steps(op: &'a Operation, steps: Vec<Step>, via_me: bool) -> Self {
        let names: Vec<(String, String)> = steps.iter().map(step_name).collect();
        let mut prefixes = Vec::with_capacity(steps.len() + 1);
        let mut key = String::new();
        prefixes.push(key.clone());
        for (i, (_, k)) in names.iter().enumerate() {
            if i > 0 {
                key.push('/');
            }
            key.push_str(k);
            prefixes.push(key.clone());
        }
        Placed { op, steps, names, prefixes, via_me }
    }

    /// Function segments that are alternate keys: `x(k='v')`, one named argument,
    /// where the docs address `x` by `x/{id}` too (`item_parents` holds the keys of
    /// such collections), become `x` and a [`Step::Key`].
    fn alternate_keys(&mut self, item_parents: &BTreeSet<String>) {
        let mut i = 0;
        let mut changed = false;
        while i < self.steps.len() {
            if let Step::Function { name, args } = &self.steps[i] {
                if let [arg] = args.as_slice() {
                    let collection =
                        if i == 0 { spelling_key(&literal_name(name)) } else { format!("{}/{}", self.prefixes[i], spelling_key(&literal_name(name))) };
                    if !arg.key.is_empty() && item_parents.contains(&collection) {
                        let key = Step::Key { key: arg.key.clone(), rust: arg.rust.clone(), quoted: arg.quoted };
                        let lit = Step::Literal(name.clone());
                        self.steps.splice(i..i + 1, [lit, key]);
                        changed = true;
                        i += 1;
                    }
                }
            }
            i += 1;
        }
        if changed {
            *self = Placed::from_steps(self.op, std::mem::take(&mut self.steps), self.via_me);
        }
    }

    /// The key of the whole path.
    fn key(&self) -> &str {
        self.prefixes.last().map_or("", String::as_str)
    }
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

struct Draft<'a> {
    node: NodeId,
    name: String,
    call: Option<Step>,
    op: &'a Operation,
    /// What makes two drafts the same operation.
    same: String,
}

/// The tree being built: the nodes, and each node's children by step key; `keys`:
/// each node's step key, by node index.
struct Tree<'a> {
    s: Surface<'a>,
    index: BTreeMap<(NodeId, String), NodeId>,
    keys: Vec<String>,
    /// Each other spelling of a segment: the node, this request line's spelling,
    /// the spelling the node had, and this request line.
    spellings: Vec<(NodeId, String, String, crate::diag::Span)>,
}

impl<'a> Tree<'a> {
    /// The node of `path` (from the root), made with its ancestors as needed;
    /// `names` holds the [`step_name`] of each step of `path`.
    fn insert(&mut self, path: &[Step], names: &[(String, String)], at: &crate::diag::Span) -> NodeId {
        let mut cur = Surface::ROOT;
        for (st, (name, key)) in path.iter().zip(names) {
            cur = match self.index.get(&(cur, key.clone())) {
                Some(&n) => {
                    if let Some(node) = self.s.node_mut(n) {
                        match (&mut node.step, st) {
                            (Step::Param { names, .. }, Step::Param { names: more, .. }) => names.extend(more.iter().cloned()),
                            // Pages that quote an argument the node's first page does not
                            // (`range(address='A1')` beside `range(address=<address>)`):
                            // quoted, as an OData string literal is.
                            (Step::Function { args, .. }, Step::Function { args: more, .. }) if node.method == *name => {
                                for (a, b) in args.iter_mut().zip(more) {
                                    a.quoted |= b.quoted;
                                }
                            }
                            // Another spelling of the segment: the one with more word
                            // breaks names the node, the other is an alias method.
                            (old, new) if node.method != *name && !node.aliases.contains(name) => {
                                let had = step_template(old);
                                let other = if word_breaks(new) > word_breaks(old) {
                                    *old = new.clone();
                                    std::mem::replace(&mut node.method, name.clone())
                                } else {
                                    name.clone()
                                };
                                node.aliases.push(other);
                                self.spellings.push((n, step_template(st), had, at.clone()));
                            }
                            _ => {}
                        }
                    }
                    n
                }
                None => {
                    let n = NodeId(self.s.nodes.len() as u32);
                    let (parent_template, parent_root) = self.s.node(cur).map(|p| (p.template.clone(), p.root_segment.clone())).unwrap_or_default();
                    let template = child_template(&parent_template, st);
                    let root_segment = if cur == Surface::ROOT { name.clone() } else { parent_root };
                    self.s.nodes.push(Node {
                        parent: Some(cur),
                        step: st.clone(),
                        method: name.clone(),
                        type_name: String::new(),
                        template,
                        children: Vec::new(),
                        ops: Vec::new(),
                        root_segment,
                        aliases: Vec::new(),
                        alias_of: None,
                    });
                    if let Some(p) = self.s.node_mut(cur) {
                        p.children.push(n);
                    }
                    self.index.insert((cur, key.clone()), n);
                    self.keys.push(key.clone());
                    n
                }
            };
        }
        cur
    }
}

/// How a step reads in a path template (`{id}`, `range(address={address})`).
fn step_template(st: &Step) -> String {
    match st {
        Step::Literal(l) => l.clone(),
        Step::Param { names, suffix } => format!("{{{}}}{suffix}", names.iter().next().map(String::as_str).unwrap_or("id")),
        Step::Function { name, args } => {
            let a: Vec<String> = args.iter().map(|a| if a.key.is_empty() { format!("{{{}}}", a.rust) } else { format!("{}={{{}}}", a.key, a.rust) }).collect();
            format!("{name}({})", a.join(","))
        }
        Step::Key { key, rust, quoted } => {
            let q = if *quoted { "'" } else { "" };
            format!("({key}={q}{{{rust}}}{q})")
        }
        Step::Root => String::new(),
    }
}

/// A child's template: the parent's, then `/` and the step (an alternate key is
/// written on the parent's own segment).
fn child_template(parent: &str, st: &Step) -> String {
    match st {
        Step::Key { .. } => format!("{parent}{}", step_template(st)),
        _ => format!("{parent}/{}", step_template(st)),
    }
}

/// Each node's template and file (its first segment's method) again, from the
/// spellings that name the nodes once every path is in (a later spelling with more
/// word breaks may have renamed a node after its children were made).
fn retemplate(s: &mut Surface) {
    // A parent is made before its children: one pass in id order sees parents first.
    for i in 1..s.nodes.len() {
        let Some(parent) = s.nodes[i].parent else { continue };
        let (parent_template, parent_root) = s.node(parent).map(|p| (p.template.clone(), p.root_segment.clone())).unwrap_or_default();
        let node = &mut s.nodes[i];
        node.template = child_template(&parent_template, &node.step);
        node.root_segment = if parent == Surface::ROOT { node.method.clone() } else { parent_root };
    }
}

/// Build the tree. Diagnostics: `operation-collision` warnings.
pub fn build<'a>(api: &'a Api, diags: &mut Vec<Diagnostic>) -> Surface<'a> {
    let root = Node {
        parent: None,
        step: Step::Root,
        method: String::new(),
        type_name: String::new(),
        template: String::new(),
        children: Vec::new(),
        ops: Vec::new(),
        root_segment: String::new(),
        aliases: Vec::new(),
        alias_of: None,
    };
    let mut tree = Tree { s: Surface { nodes: vec![root] }, index: BTreeMap::new(), keys: vec![String::new()], spellings: Vec::new() };
    let mut placed = placement_order(api);
    // The keys of the collections some path addresses by `{id}`, for alternate keys.
    let item_parents: BTreeSet<String> = placed
        .iter()
        .flat_map(|pl| {
            (2..=pl.steps.len())
                .filter(move |&n| matches!(pl.steps.get(n - 1), Some(Step::Param { suffix, .. }) if suffix.is_empty()))
                .map(move |n| pl.prefixes[n - 1].clone())
        })
        .collect();
    for pl in &mut placed {
        pl.alternate_keys(&item_parents);
    }
    let drafts = place(&placed, &mut tree);
    let me = placed.iter().any(|pl| pl.via_me);
    // Every drive (`drive`, or `drives/{id}`) with items has a root item:
    // (drive node, its `items/{id}` node).
    let mut roots: BTreeSet<(NodeId, NodeId)> = BTreeSet::new();
    for (n, node) in tree.s.nodes() {
        let is_drive = match &node.step {
            Step::Literal(l) => l.eq_ignore_ascii_case("drive"),
            Step::Param { suffix, .. } if suffix.is_empty() => {
                node.parent.and_then(|p| tree.s.node(p)).is_some_and(|p| matches!(&p.step, Step::Literal(l) if l.eq_ignore_ascii_case("drives")))
            }
            _ => false,
        };
        let item = tree.index.get(&(n, "items".to_string())).and_then(|items| tree.index.get(&(*items, "by_id".to_string())));
        if let (true, Some(&item), false) = (is_drive, item, tree.index.contains_key(&(n, "root".to_string()))) {
            roots.insert((n, item));
        }
    }
    let Tree { mut s, mut keys, index, spellings } = tree;
    retemplate(&mut s);
    // `.root()` on those drives leads to the root item's node, under `root`.
    for (drive, item) in roots {
        let n = NodeId(s.nodes.len() as u32);
        let Some(d) = s.node(drive) else { continue };
        let (template, root_segment) = (format!("{}/root", d.template), d.root_segment.clone());
        s.nodes.push(Node {
            parent: Some(drive),
            step: Step::Literal("root".into()),
            method: "root".into(),
            type_name: String::new(),
            template,
            children: Vec::new(),
            ops: Vec::new(),
            root_segment,
            aliases: Vec::new(),
            alias_of: Some(item),
        });
        if let Some(d) = s.node_mut(drive) {
            d.children.push(n);
        }
        keys.push("root".to_string());
    }
    for (n, here, other, at) in spellings {
        let Some(node) = s.node(n) else { continue };
        let methods: Vec<String> = std::iter::once(&node.method).chain(&node.aliases).map(|m| format!("`.{m}()`")).collect();
        diags.push(
            Diagnostic::new(
                Code::SegmentSpelling,
                at,
                format!("this request line spells a segment `{here}`, another `{other}`: one node, `{}`, reached by {}", node.template, methods.join(" or ")),
            )
            .hint("spell the segment the same way on every page"),
        );
    }
    // `/me` is the signed-in user: `requests::me()` leads to `/users/{id}`'s node.
    if me {
        let users = index.get(&(Surface::ROOT, "users".to_string())).and_then(|u| index.get(&(*u, "by_id".to_string()))).copied();
        if let Some(target) = users {
            let n = NodeId(s.nodes.len() as u32);
            s.nodes.push(Node {
                parent: Some(Surface::ROOT),
                step: Step::Literal("me".into()),
                method: "me".into(),
                type_name: String::new(),
                template: "/me".into(),
                children: Vec::new(),
                ops: Vec::new(),
                root_segment: "users".into(),
                aliases: Vec::new(),
                alias_of: Some(target),
            });
            if let Some(root) = s.node_mut(Surface::ROOT) {
                root.children.push(n);
            }
            keys.push("me".to_string());
        }
    }
    // Merge the drafts that are one operation (same node, method and call).
    let mut groups: BTreeMap<(NodeId, String), Vec<Draft>> = BTreeMap::new();
    for d in drafts {
        groups.entry((d.node, d.same.clone())).or_default().push(d);
    }
    let mut per_node: BTreeMap<NodeId, Vec<(String, Draft, Vec<Draft>)>> = BTreeMap::new();
    for ((node, _), ds) in groups {
        // `ds` is in page order: the first page documents the operation.
        let mut ds = ds.into_iter();
        let Some(first) = ds.next() else { continue };
        per_node.entry(node).or_default().push((first.name.clone(), first, ds.collect()));
    }
    // Names: navigation methods first (sorted by key), then operations by
    // (name, method, path template, page).
    let child_sort: Vec<(NodeId, Vec<NodeId>)> = s
        .nodes()
        .map(|(n, node)| {
            let mut c = node.children.clone();
            c.sort_by_key(|&c| keys.get(c.index()));
            (n, c)
        })
        .collect();
    for (n, c) in child_sort {
        if let Some(node) = s.node_mut(n) {
            node.children = c;
        }
    }
    let ids: Vec<NodeId> = s.nodes().map(|(n, _)| n).collect();
    for n in ids {
        let taken = name_children(&mut s, n);
        let Some(ops) = per_node.remove(&n) else { continue };
        name_ops(api, &mut s, n, taken, ops, diags);
    }
    name_types(&mut s);
    s
}

/// Operations in page order, so that the first page of an operation documents it;
/// request lines with a query string (`GET /me/messages?$filter=...`: one use of
/// the operation) come last, then the lines of pages whose examples contradict
/// their own request lines (a `path-mismatch`: the line is not what the page shows).
/// A page with fewer request lines is about fewer resources: it documents an
/// operation before a page that lists it among many (extended properties, ...).
/// Each with its path's steps and their names.
fn placement_order(api: &Api) -> Vec<Placed<'_>> {
    let mut lines_per_page: BTreeMap<&str, usize> = BTreeMap::new();
    for o in &api.operations {
        *lines_per_page.entry(&o.span.file).or_default() += 1;
    }
    let rank =
        |o: &Operation| (o.line_query.is_some(), !o.examples_fit, lines_per_page.get(&*o.span.file).copied().unwrap_or(0), o.span.file.clone(), o.span.line());
    let mut order: Vec<&Operation> = api.operations.iter().collect();
    order.sort_by_cached_key(|o| rank(o));
    order.into_iter().map(Placed::new).collect()
}

/// Every operation as a draft on its node (pass 1: every path but its last
/// segment is a node; pass 2: each operation on its path's node, or folded onto
/// the node before it when it is an action or a function).
fn place<'a>(placed: &[Placed<'a>], tree: &mut Tree) -> Vec<Draft<'a>> {
    // Pass 1: every path but its last segment is a node.
    for pl in placed {
        if let Some((_, init)) = pl.steps.split_last() {
            tree.insert(init, &pl.names, &pl.op.span);
        }
    }
    let prefixes: BTreeSet<&str> = placed.iter().flat_map(|pl| (1..pl.steps.len()).map(move |n| pl.prefixes[n].as_str())).collect();
    let collections: BTreeSet<&str> =
        placed.iter().filter(|pl| pl.op.method == "GET" && matches!(pl.op.response, ResponseBody::Collection(_))).map(Placed::key).collect();
    let item_parents: BTreeSet<&str> = placed
        .iter()
        .flat_map(|pl| (2..=pl.steps.len()).filter(move |&n| matches!(pl.steps.get(n - 1), Some(Step::Param { .. }))).map(move |n| pl.prefixes[n - 1].as_str()))
        .collect();
    // Pass 2: place each operation.
    let mut drafts: Vec<Draft> = Vec::new();
    for pl in placed {
        let (op, p) = (pl.op, &pl.steps);
        let key = pl.key();
        let foldable = match p.last() {
            Some(Step::Function { .. }) => true,
            Some(Step::Literal(l)) => op.method == "POST" && !l.starts_with('$') && !is_create(op, &collections, &item_parents, key),
            _ => false,
        };
        match p.split_last() {
            Some((st, init)) if foldable && !prefixes.contains(key) => {
                let node = tree.insert(init, &pl.names, &op.span);
                let (name, step_key) = pl.names.last().cloned().unwrap_or_default();
                let same = format!("{} {step_key}", op.method);
                drafts.push(Draft { node, name, call: Some(st.clone()), op, same });
            }
            _ => {
                let node = tree.insert(p, &pl.names, &op.span);
                drafts.push(Draft { node, name: verb_name(op), call: None, op, same: op.method.clone() });
            }
        }
    }
    drafts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(id: &str, method: &str, path: &[PathSegment]) -> Operation<String> {
        let span = crate::diag::Span::detached(&std::sync::Arc::from(format!("api/{id}.md").as_str()), 0);
        Operation {
            id: id.into(),
            title: id.into(),
            doc: None,
            method: method.into(),
            path: path.to_vec(),
            line_query: None,
            query_options: vec![],
            headers: vec![],
            body: None,
            body_media: None,
            success_status: 200,
            response: ResponseBody::None,
            location_header: false,
            span,
            area: None,
            examples: vec![],
            deprecated: None,
            examples_fit: true,
        }
    }

    #[test]
    fn nodes_are_reached_by_id_and_chains_end_at_the_root() {
        let (lit, param) = (|s: &str| PathSegment::Literal(s.into()), |s: &str| PathSegment::Param(s.into()));
        let ops =
            vec![op("message-get", "GET", &[lit("users"), param("id"), lit("messages"), param("mid")]), op("user-get", "GET", &[lit("users"), param("id")])];
        let api = Api::new(vec![], ops, |_, _| {});
        let s = build(&api, &mut Vec::new());
        let (deepest, node) = s.nodes().last().expect("nodes");
        assert_eq!(node.template, "/users/{id}/messages/{mid}");
        assert_eq!(s.node_path(deepest), "requests::users().by_id(..).messages().by_id(..)");
        assert_eq!(s.chain(deepest).map(|(n, _)| n).last(), Some(Surface::ROOT));
        assert_eq!(
            s.ops().map(|(n, o)| (s.op_path(n, o), o.op.id.as_str())).collect::<Vec<_>>(),
            [("requests::users().by_id(..).get".to_string(), "user-get"), ("requests::users().by_id(..).messages().by_id(..).get".to_string(), "message-get"),]
        );
        // An id of a larger surface finds nothing here.
        let empty = Api::new(vec![], vec![], |_, _| {});
        let small = build(&empty, &mut Vec::new());
        assert!(small.node(deepest).is_none() && small.chain(deepest).next().is_none());
        assert_eq!(small.len(), 1);
    }

    #[test]
    fn spellings_of_a_segment_are_one_node_at_every_depth() {
        let (lit, param) = (|s: &str| PathSegment::Literal(s.into()), |s: &str| PathSegment::Param(s.into()));
        // Page order: the lower-case spelling comes first, the camelCase one names the node.
        let ops = vec![
            op("a-list", "GET", &[lit("users"), param("id"), lit("calendargroups")]),
            op("b-get", "GET", &[lit("users"), param("id"), lit("calendarGroups"), param("gid")]),
            op("c-list", "GET", &[lit("users"), param("id"), lit("calendargroups"), param("gid"), lit("calendars")]),
        ];
        let api = Api::new(vec![], ops, |_, _| {});
        let s = build(&api, &mut Vec::new());
        let groups: Vec<&Node> = s.nodes().map(|(_, n)| n).filter(|n| n.template.ends_with("/calendarGroups")).collect();
        assert_eq!(groups.len(), 1, "one node for both spellings");
        assert_eq!((groups[0].method.as_str(), groups[0].aliases.as_slice()), ("calendar_groups", &["calendargroups".to_string()][..]));
        // Children and operations of both spellings are on the one node and under it.
        assert_eq!(
            s.ops().map(|(n, o)| s.op_path(n, o)).collect::<Vec<_>>(),
            [
                "requests::users().by_id(..).calendar_groups().get",
                "requests::users().by_id(..).calendar_groups().by_id(..).get",
                "requests::users().by_id(..).calendar_groups().by_id(..).calendars().get",
            ]
        );
        assert!(s.nodes().all(|(_, n)| !n.template.contains("calendargroups")), "templates follow the naming spelling");
    }

    #[test]
    fn me_is_the_users_item_node() {
        let (lit, param) = (|s: &str| PathSegment::Literal(s.into()), |s: &str| PathSegment::Param(s.into()));
        let ops = vec![
            op("me-messages", "GET", &[lit("me"), lit("messages")]),
            op("user-events", "GET", &[lit("users"), param("id | userPrincipalName"), lit("events")]),
            op("user-messages", "GET", &[lit("users"), param("id"), lit("messages")]),
        ];
        let api = Api::new(vec![], ops, |_, _| {});
        let mut diags = Vec::new();
        let s = build(&api, &mut diags);
        // `/me/messages` and `/users/{id}/messages` are one operation (other pages: reported).
        let mut paths: Vec<String> = s.ops().map(|(n, o)| s.op_path(n, o)).collect();
        paths.sort();
        assert_eq!(paths, ["requests::users().by_id(..).events().get", "requests::users().by_id(..).messages().get"]);
        assert_eq!(diags.iter().filter(|d| d.code == Code::OperationCollision).count(), 1);
        // `requests::me()` leads to the `/users/{id}` node, under `/me`.
        let (_, me) = s.nodes().find(|(_, n)| n.method == "me").expect("a me() root function");
        let target = me.alias_of.and_then(|t| s.node(t)).expect("an alias");
        assert_eq!(target.template, "/users/{id}");
        assert_eq!(me.type_name, target.type_name);
    }

    #[test]
    fn alternate_keys_address_the_collection() {
        let (lit, param) = (|s: &str| PathSegment::Literal(s.into()), |s: &str| PathSegment::Param(s.into()));
        let ops = vec![
            op("role-get", "GET", &[lit("directoryRoles"), param("id")]),
            op("role-by-template", "GET", &[lit("directoryRoles(roleTemplateId='{roleTemplateId}')")]),
            // A function of one argument on no collection stays a function.
            op("report", "GET", &[lit("reports"), lit("getCounts(period='{period}')")]),
        ];
        let api = Api::new(vec![], ops, |_, _| {});
        let s = build(&api, &mut Vec::new());
        let mut paths: Vec<(String, String)> = s.ops().map(|(n, o)| (s.op_path(n, o), s.node(n).map(|n| n.template.clone()).unwrap_or_default())).collect();
        paths.sort();
        assert_eq!(
            paths,
            [
                ("requests::directory_roles().by_id(..).get".to_string(), "/directoryRoles/{id}".to_string()),
                ("requests::directory_roles().by_role_template_id(..).get".to_string(), "/directoryRoles(roleTemplateId='{role_template_id}')".to_string()),
                ("requests::reports().get_counts".to_string(), "/reports".to_string()),
            ]
        );
    }

    #[test]
    fn an_argument_one_page_quotes_is_quoted() {
        let lit = |s: &str| PathSegment::Literal(s.into());
        let ops = vec![
            op("format-get", "GET", &[lit("sheets"), lit("range(address={address})"), lit("format")]),
            op("format-update", "PATCH", &[lit("sheets"), lit("range(address='{address}')"), lit("format")]),
        ];
        let api = Api::new(vec![], ops, |_, _| {});
        let s = build(&api, &mut Vec::new());
        let quoted: Vec<bool> = s.nodes().filter_map(|(_, n)| if let Step::Function { args, .. } = &n.step { Some(args[0].quoted) } else { None }).collect();
        assert_eq!(quoted, [true], "one node, its argument quoted");
    }

    #[test]
    fn a_drives_root_is_its_root_item() {
        let (lit, param) = (|s: &str| PathSegment::Literal(s.into()), |s: &str| PathSegment::Param(s.into()));
        let ops = vec![
            op("children", "GET", &[lit("me"), lit("drive"), lit("items"), param("item-id"), lit("children")]),
            op("root-get", "GET", &[lit("drives"), param("drive-id"), lit("root")]),
            op("by-path", "GET", &[lit("me"), lit("drive"), lit("root:"), lit("{item-path}:"), lit("content")]),
        ];
        let api = Api::new(vec![], ops, |_, _| {});
        let s = build(&api, &mut Vec::new());
        let mut paths: Vec<String> = s.ops().map(|(n, o)| s.op_path(n, o)).collect();
        paths.sort();
        assert_eq!(
            paths,
            [
                "requests::drives().by_id(..).items().by_id(..).get",
                "requests::users().by_id(..).drive().items().by_id(..).children().get",
                "requests::users().by_id(..).drive().root_path().by_path(..).content().get",
            ]
        );
        // `.root()` on both drives leads to their root item's node.
        let roots: Vec<(String, String)> = s
            .nodes()
            .filter(|(_, n)| n.method == "root")
            .map(|(_, n)| (n.template.clone(), n.alias_of.and_then(|t| s.node(t)).map(|t| t.template.clone()).unwrap_or_default()))
            .collect();
        assert_eq!(roots.len(), 2, "{roots:?}");
        assert!(roots.iter().all(|(r, item)| item.starts_with(&format!("{}/items/{{", r.strip_suffix("/root").unwrap_or(r)))), "{roots:?}");
    }

    #[test]
    fn literal_names() {
        assert_eq!(literal_name("mailFolders"), "mail_folders");
        assert_eq!(literal_name("$value"), "value");
        assert_eq!(literal_name("microsoft.graph.delta"), "delta");
        assert_eq!(literal_name("root:"), "root_path");
    }

    #[test]
    fn function_segments() {
        let Step::Function { name, args } = parse_step(&PathSegment::Literal("getEmailActivityCounts(period='{period_value}')".into())) else {
            panic!("a function")
        };
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
