//! Emission of the request surface ([`crate::lower::surface`]): `requests.rs` (the root
//! functions, one per first path segment, and operations on the service root) and
//! `requests/<first segment>.rs` (a node type per path prefix, its navigation
//! methods and operations, and a marker type per operation with query options or
//! typed headers).

use super::*;
use crate::lower::names::feature_name;
use crate::lower::surface::{Node, NodeId, Step, Surface, SurfaceOp, STANDARD};

/// The files of the request surface: `requests.rs` and `requests/<root>.rs`.
pub(super) fn emit(cx: &Cx, failures: &mut Vec<String>) -> BTreeMap<String, String> {
    let (api, surface) = (cx.low.api, &cx.low.surface);
    let mut files = BTreeMap::new();
    // Each node's features: `None` when an operation below it needs none.
    let node_cfg = node_features(cx, surface);
    let mut by_root: BTreeMap<&str, Vec<(NodeId, &Node)>> = BTreeMap::new();
    // An alias (`requests::me()`) has no type of its own to write.
    for (i, n) in surface.nodes().filter(|(i, n)| *i != Surface::ROOT && n.alias_of.is_none()) {
        by_root.entry(n.root_segment.as_str()).or_default().push((i, n));
    }
    let jobs: Vec<(&&str, &Vec<(NodeId, &Node)>)> = by_root.iter().collect();
    let rendered = parallel_map(&jobs, |(_, nodes)| {
        let mut file = FileText::new(cx.format);
        for &(n, node) in nodes.iter() {
            file.item(|out| emit_node(api, cx, surface, n, node, &node_cfg, out))?;
        }
        Ok::<_, String>(file.finish())
    });
    for ((root, _), text) in jobs.iter().zip(rendered) {
        match text {
            Ok(t) => {
                files.insert(format!("requests/{root}.rs"), t);
            }
            Err(e) => failures.push(format!("requests/{root}.rs: {e}")),
        }
    }
    match root_file(api, cx, surface, &node_cfg, by_root.keys()) {
        Ok(t) => {
            files.insert("requests.rs".to_string(), t);
        }
        Err(e) => failures.push(format!("requests.rs: {e}")),
    }
    files
}

/// `requests.rs`: a function per first path segment, the operations on the
/// service root, and the files of the segments.
fn root_file<'r>(
    api: &Api,
    cx: &Cx,
    surface: &Surface,
    node_cfg: &[Option<BTreeSet<String>>],
    roots: impl Iterator<Item = &'r &'r str>,
) -> Result<String, String> {
    let rt = &cx.rt;
    let mut file = FileText::new(cx.format);
    let doc = format!(
        " Requests by resource path: `requests::users().by_id(id).messages().list()` is\n `GET /users/{{id}}/messages`. Each operation builds a transport-free\n [`Request`]({rt_doc}::Request), or a [`Query`]({rt_doc}::Query) when its page documents\n query options or typed headers. The URL-to-Rust rule is in the crate's README.",
        rt_doc = cx.rt_doc
    );
    file.item(|out| {
        w!(out, "#![doc = {}]\n#![allow(clippy::too_many_arguments, clippy::doc_lazy_continuation, clippy::new_without_default, clippy::wrong_self_convention, clippy::should_implement_trait)]\n#![allow(deprecated)]\n", Str(&doc))
    })?;
    let root = surface.node(Surface::ROOT);
    let base = format!("{rt}::Path::root()");
    for (c, child) in root.into_iter().flat_map(|r| &r.children).filter_map(|&c| Some((c, surface.node(c)?))) {
        // An alias is compiled when its target is.
        let cfg = node_cfg.get(child.alias_of.unwrap_or(c).index());
        file.item(|out| child_fn(child, cfg, &base, "", out))?;
    }
    for op in root.into_iter().flat_map(|r| &r.ops) {
        file.item(|out| emit_op(api, cx, op, &base, false, out))?;
    }
    for c in roots {
        file.item(|out| w!(out, "include!({});\n", Str(&format!("requests/{c}.rs"))))?;
    }
    Ok(file.finish())
}

/// The features of every operation, and for each node the union of the area
/// features below it (`None`: something below it is always compiled).
/// Indexed by [`NodeId::index`].
fn node_features(cx: &Cx, surface: &Surface) -> Vec<Option<BTreeSet<String>>> {
    // (something below the node, its features: `None` when one needs none)
    let mut out: Vec<(bool, Option<BTreeSet<String>>)> = vec![(false, Some(BTreeSet::new())); surface.len()];
    for (n, op) in surface.ops() {
        let feats = op_features(cx, op);
        for (i, _) in surface.chain(n) {
            let Some((has_any, set)) = out.get_mut(i.index()) else { continue };
            *has_any = true;
            if feats.is_empty() {
                *set = None;
            } else if let Some(set) = set {
                set.extend(feats.iter().cloned());
            }
        }
    }
    out.into_iter().map(|(has_any, set)| set.filter(|_| has_any)).collect()
}

fn op_features(cx: &Cx, op: &SurfaceOp) -> BTreeSet<String> {
    let mut feats: BTreeSet<String> = feature_name(op.op.area.as_deref()).into_iter().collect();
    if let Some(b) = &op.body {
        feats.extend(cx.low.ref_features(b));
    }
    if let ResponseBody::Single(t) | ResponseBody::Collection(t) = &op.response {
        feats.extend(cx.low.ref_features(t));
    }
    feats
}

/// `#[cfg(any(feature = ..))]` for a node (nothing when always compiled).
fn any_cfg(features: Option<&Option<BTreeSet<String>>>) -> String {
    features.and_then(Option::as_ref).map_or_else(String::new, |features| Cfg { features, any: true }.to_string())
}

/// The parameters of a navigation step and the expression that takes it from `base`.
fn step_call(step: &Step, base: &str) -> (String, String) {
    match step {
        Step::Root => (String::new(), base.to_string()),
        Step::Literal(l) => (String::new(), format!("{base}.segment({})", Str(l))),
        Step::Param { names, suffix } => {
            let name = names.iter().next().map(String::as_str).unwrap_or("id");
            let p = if suffix.is_empty() { "id" } else { "path" };
            (format!("{p}: &str"), format!("{base}.param({}, {p}, {})", Str(name), Str(suffix)))
        }
        Step::Key { key, rust, quoted } => (format!("{}: &str", ident(rust)), format!("{base}.key({}, {}, {quoted})", Str(key), ident(rust))),
        Step::Function { name, args } => {
            let (mut params, mut call) = (String::new(), format!("{base}.function({}, &[", Str(name)));
            for (i, a) in args.iter().enumerate() {
                let (sep, id) = (if i == 0 { "" } else { ", " }, ident(&a.rust));
                w!(&mut params, "{sep}{id}: &str");
                w!(&mut call, "{sep}({}, {}, {}, {id})", Str(&a.key), Str(&a.prefix), a.quoted);
            }
            call.push_str("])");
            (params, call)
        }
    }
}

/// The function (on the root, `receiver` empty) or method (`receiver` `"&self, "`)
/// that leads from `base` to `child`'s node, and one per other spelling the docs
/// give its segment (each leads to the same node, under the node's own spelling).
fn child_fn(child: &Node, features: Option<&Option<BTreeSet<String>>>, base: &str, receiver: &str, out: &mut String) {
    let (params, step) = step_call(&child.step, base);
    let cfg = any_cfg(features);
    let doc = match child.alias_of {
        Some(_) if child.parent == Some(Surface::ROOT) => {
            format!("`{}`: the signed-in user, the same resources as `/users/{{id}}` (its type is the one `users().by_id(..)` gives).", child.template)
        }
        Some(_) => {
            format!("`{}`: the drive's root item, the same resources as `items/{{id}}` (its type is the one `items().by_id(..)` gives).", child.template)
        }
        None => format!("`{}`", child.template),
    };
    w!(out, "{cfg}{}pub fn {}({receiver}{params}) -> {ty} {{\n{ty}({step})\n}}\n", Docs(&doc), ident(&child.method), ty = child.type_name);
    for alias in &child.aliases {
        let doc = format!(
            "`{}`, spelled `{alias}` by some pages: the same as [`{m}`]({}{m}).",
            child.template,
            if receiver.is_empty() { "" } else { "Self::" },
            m = child.method
        );
        w!(out, "{cfg}{}pub fn {}({receiver}{params}) -> {ty} {{\n{ty}({step})\n}}\n", Docs(&doc), ident(alias), ty = child.type_name);
    }
}

fn emit_node(api: &Api, cx: &Cx, surface: &Surface, n: NodeId, node: &Node, node_cfg: &[Option<BTreeSet<String>>], out: &mut String) {
    let (rt, ty) = (&cx.rt, &node.type_name);
    let cfg = any_cfg(node_cfg.get(n.index()));
    let mut doc = format!("`{}`: reached by `{}`; `.0` is its encoded path.", node.template, surface.node_path(n));
    for (_, a) in surface.nodes().filter(|(_, a)| a.alias_of == Some(n)) {
        if a.parent == Some(Surface::ROOT) {
            doc.push_str(" `requests::me()` (the signed-in user) leads here too.");
        } else {
            doc.push_str(" The drive's `.root()` (its root item) leads here too.");
        }
    }
    if let Step::Param { names: pnames, .. } = &node.step {
        if pnames.len() > 1 {
            let list: Vec<String> = pnames.iter().map(|p| format!("`{p}`")).collect();
            w!(&mut doc, " The docs name its parameter {}.", list.join(", "));
        }
    }
    w!(out, "{cfg}{}#[derive(Clone, Debug)]\npub struct {ty}(pub {rt}::Path);\n{cfg}impl {ty} {{\n", Docs(&doc));
    for (c, child) in node.children.iter().filter_map(|&c| Some((c, surface.node(c)?))) {
        // An alias (`drive().root()`) is compiled when its target is.
        child_fn(child, node_cfg.get(child.alias_of.unwrap_or(c).index()), "self.0", "&self, ", out);
    }
    for op in &node.ops {
        emit_op(api, cx, op, "self.0", true, out);
    }
    out.push_str("}\n");
    for op in &node.ops {
        emit_marker(api, cx, surface, n, op, out);
        emit_wrapper(api, cx, surface, n, op, out);
    }
}

/// The request type of an operation with query parameters of its own: its `Query`,
/// a setter per parameter (`startDateTime` -> `.start_date_time(value)`), and the
/// typed options and headers of its marker, forwarded.
fn emit_wrapper(api: &Api, cx: &Cx, surface: &Surface, n: NodeId, op: &SurfaceOp, out: &mut String) {
    if op.wrapper.is_empty() {
        return;
    }
    let (rt, w, marker) = (&cx.rt, &op.wrapper, &op.marker);
    let cfg = cfg_attr(&op_features(cx, op));
    let resp = response_type(cx, op);
    let res = resource(api, cx, op);
    let own: Vec<&String> = op.query_options.iter().filter(|q| !crate::lower::surface::QUERY_OPTIONS.contains(&q.as_str())).collect();
    let list: Vec<String> = own.iter().map(|q| format!("`{q}`")).collect();
    let doc = format!(
        "The request of `{}`: its query parameters {} and the query options and headers its page documents, as setters. It dereferences to its [`Request`]({}::Request); `.build()` or `.into()` gives it.",
        surface.op_path(n, op),
        list.join(", "),
        cx.rt_doc
    );
    w!(out, "{cfg}{}#[derive(Clone, Debug)]\npub struct {w}(pub {rt}::Query<{resp}, {marker}>);\n{cfg}impl {w} {{\n", Docs(&doc));
    let mut taken: BTreeSet<String> = BTreeSet::from(["build".to_string()]);
    // The typed options and headers, as the runtime's `Query` has them.
    let fields = format!("fields: &[{rt}::Field<{res}>]");
    let mut forward = |name: &str, params: &str, args: &str, doc: &str, out: &mut String| {
        taken.insert(name.to_string());
        w!(out, "{}pub fn {name}(self{}{params}) -> Self {{\nSelf(self.0.{name}({args}))\n}}\n", Docs(doc), if params.is_empty() { "" } else { ", " });
    };
    for q in &op.query_options {
        match q.as_str() {
            "$select" => forward("select", &fields, "fields", "`$select=a,b`.", out),
            "$expand" => forward("expand", &fields, "fields", "`$expand=a,b`.", out),
            "$orderby" => {
                forward("order_by", &fields, "fields", "`$orderby=a,b`, ascending.", out);
                forward("order_by_desc", &fields, "fields", "`$orderby=a desc,b desc`.", out);
            }
            "$filter" => forward("filter", "expression: &str", "expression", "`$filter=expression`.", out),
            "$search" => forward("search", "expression: &str", "expression", "`$search=expression`.", out),
            "$count" => forward("count", "count: bool", "count", "`$count=true|false`.", out),
            "$top" => forward("top", "n: u32", "n", "`$top=n`.", out),
            "$skip" => forward("skip", "n: u32", "n", "`$skip=n`.", out),
            _ => {}
        }
    }
    for h in &op.headers {
        match h.as_str() {
            "Prefer" => forward("prefer", "value: &str", "value", "`Prefer: value`.", out),
            "If-Match" => forward("if_match", "etag: &str", "etag", "`If-Match: etag`.", out),
            "If-None-Match" => forward("if_none_match", "etag: &str", "etag", "`If-None-Match: etag`.", out),
            "ConsistencyLevel" => forward("consistency_level_eventual", "", "", "`ConsistencyLevel: eventual`.", out),
            "Workbook-Session-Id" => forward("workbook_session_id", "id: &str", "id", "`Workbook-Session-Id: id`.", out),
            _ => {}
        }
    }
    // The operation's own parameters.
    for q in own {
        let want = snake_name(q.trim_start_matches('$'));
        let name = crate::lower::surface::unique_name(&taken, &want);
        taken.insert(name.clone());
        w!(
            out,
            "{}pub fn {}(self, value: &str) -> Self {{\nSelf({rt}::Query::new(self.0.build().query_param({}, value)))\n}}\n",
            Docs(&format!("`{q}=value` (a query parameter the page documents).")),
            ident(&name),
            Str(q)
        );
    }
    w!(
        out,
        "/// The request, to send or to build an [`http::Request`]({rt_doc}::http::Request) from.
pub fn build(self) -> {rt}::Request<{resp}> {{
self.0.build()
}}
}}
{cfg}impl ::std::ops::Deref for {w} {{
type Target = {rt}::Request<{resp}>;
fn deref(&self) -> &{rt}::Request<{resp}> {{
&self.0
}}
}}
{cfg}impl ::std::convert::From<{w}> for {rt}::Request<{resp}> {{
fn from(request: {w}) -> Self {{
request.0.build()
}}
}}
",
        rt_doc = cx.rt_doc
    );
}

fn response_type(cx: &Cx, op: &SurfaceOp) -> String {
    match &op.response {
        ResponseBody::None => "()".to_string(),
        ResponseBody::Single(t) => rust_type(cx, t, Ctx::Requests),
        ResponseBody::Collection(t) => format!("{}::Page<{}>", cx.rt, rust_type(cx, t, Ctx::Requests)),
    }
}

/// An operation: a function (`method`: a method on a node, else a root function)
/// that builds its `Request`, or its `Query` when it has a marker type.
fn emit_op(api: &Api, cx: &Cx, op: &SurfaceOp, base: &str, method: bool, out: &mut String) {
    let rt = &cx.rt;
    let first = op.op;
    let (call_params, path) = match &op.call {
        Some(step) => step_call(step, base),
        None => (String::new(), base.to_string()),
    };
    let resp = response_type(cx, op);
    let (body_param, body_call) = match (&op.body, &op.body_media) {
        (Some(t), _) => (format!("body: &{}", rust_type(cx, t, Ctx::Requests)), ".json_body(body)"),
        // A body that is not JSON: its bytes and their Content-Type.
        (None, Some(_)) => ("content_type: &str, body: impl ::std::convert::Into<::std::vec::Vec<u8>>".to_string(), ".bytes_body(content_type, body)"),
        (None, None) => (String::new(), ""),
    };
    let mut doc = format!("{}\n", first.title);
    if let Some(d) = &first.doc {
        w!(&mut doc, "\n{d}\n");
    }
    w!(&mut doc, "\n`{} {}`\n", first.method, op.template);
    if let Some(media) = &op.body_media {
        w!(&mut doc, "\nThe body is not JSON: its bytes, sent with the `Content-Type` given (the docs show `{media}`).\n");
    }
    w!(&mut doc, "\nDocumented success status: `{}`.", first.success_status);
    if first.location_header {
        w!(&mut doc, " The response carries a `Location` header (see [`Response::location`]({}::Response::location)).", cx.rt_doc);
    }
    if !op.query_options.is_empty() {
        let list: Vec<String> = op.query_options.iter().map(|q| format!("`{q}`")).collect();
        w!(&mut doc, "\n\nDocumented query options: {}.", list.join(", "));
    }
    let hs: Vec<String> =
        first.headers.iter().filter(|h| !h.name.eq_ignore_ascii_case("authorization")).map(|h| format!("`{}: {}`", h.name, h.value)).collect();
    if !hs.is_empty() {
        w!(&mut doc, "\n\nDocumented request headers: {}.", hs.join(", "));
    }
    w!(&mut doc, "\n\nSource: `{}`.", first.span.file);
    if op.also.iter().any(|o| o.span.file != first.span.file) {
        let mut also: Vec<String> = op.also.iter().map(|o| format!("`{}`", o.span.file)).filter(|f| *f != format!("`{}`", first.span.file)).collect();
        also.sort();
        also.dedup();
        w!(&mut doc, " Also documented by {}.", also.join(", "));
    }
    let receiver = if method { "&self, " } else { "" };
    let sep = if !call_params.is_empty() && !body_param.is_empty() { ", " } else { "" };
    w!(
        out,
        "{}{}{}pub fn {}({receiver}{call_params}{sep}{body_param}) -> ",
        cfg_attr(&op_features(cx, op)),
        Docs(&doc),
        Deprecated(first.deprecated.as_deref()),
        ident(&op.name)
    );
    let request = format_args!("{path}.request::<{resp}>({rt}::http::Method::{}, {}){body_call}", first.method, first.success_status);
    if !op.wrapper.is_empty() {
        w!(out, "{} {{\n{}({rt}::Query::new({request}))\n}}\n", op.wrapper, op.wrapper);
    } else if op.marker.is_empty() {
        w!(out, "{rt}::Request<{resp}> {{\n{request}\n}}\n");
    } else if op.marker == STANDARD {
        w!(out, "{rt}::Query<{resp}, {rt}::Standard<{}>> {{\n{rt}::Query::new({request})\n}}\n", resource(api, cx, op));
    } else {
        w!(out, "{rt}::Query<{resp}, {}> {{\n{rt}::Query::new({request})\n}}\n", op.marker);
    }
}

/// The struct type whose properties `$select` names: the element type of the
/// response, when it is a struct (its base struct for a `Kind`), else `()`.
fn resource(api: &Api, cx: &Cx, op: &SurfaceOp) -> String {
    let t = match &op.response {
        ResponseBody::Single(t) | ResponseBody::Collection(t) => t.element(),
        ResponseBody::None => return "()".to_string(),
    };
    match t {
        TypeRef::Named(n) if matches!(api.get(*n).map(|t| &t.kind), Some(TypeKind::Struct { .. })) => cx.low.ty(*n).map_or_else(
            || "()".to_string(),
            |t| {
                let mut path = String::new();
                super::named_path(t, Ctx::Requests, false, &mut path);
                path
            },
        ),
        _ => "()".to_string(),
    }
}

/// The marker type of an operation with its own set of query options and typed
/// headers: one trait impl per option or header.
fn emit_marker(api: &Api, cx: &Cx, surface: &Surface, n: NodeId, op: &SurfaceOp, out: &mut String) {
    if op.marker.is_empty() || op.marker == STANDARD {
        return;
    }
    let (rt, marker) = (&cx.rt, &op.marker);
    let cfg = cfg_attr(&op_features(cx, op));
    let res = resource(api, cx, op);
    w!(out, "{cfg}{}pub enum {marker} {{}}\n", Docs(&format!("The query options and headers of `{}`.", surface.op_path(n, op))));
    for q in &op.query_options {
        let eventual = if op.eventual.contains(q) { "const EVENTUAL: bool = true;" } else { "" };
        match q.as_str() {
            "$select" => w!(out, "{cfg}impl {rt}::Select for {marker} {{ type Resource = {res}; }}\n"),
            "$expand" => w!(out, "{cfg}impl {rt}::Expand for {marker} {{ type Resource = {res}; }}\n"),
            "$orderby" => w!(out, "{cfg}impl {rt}::OrderBy for {marker} {{ type Resource = {res}; }}\n"),
            "$filter" => w!(out, "{cfg}impl {rt}::Filter for {marker} {{ {eventual} }}\n"),
            "$search" => w!(out, "{cfg}impl {rt}::Search for {marker} {{ {eventual} }}\n"),
            "$count" => w!(out, "{cfg}impl {rt}::Count for {marker} {{ {eventual} }}\n"),
            "$top" => w!(out, "{cfg}impl {rt}::Top for {marker} {{}}\n"),
            "$skip" => w!(out, "{cfg}impl {rt}::Skip for {marker} {{}}\n"),
            _ => {}
        }
    }
    for h in &op.headers {
        let t = match h.as_str() {
            "ConsistencyLevel" => "ConsistencyLevel",
            "If-Match" => "IfMatch",
            "If-None-Match" => "IfNoneMatch",
            "Prefer" => "Prefer",
            "Workbook-Session-Id" => "WorkbookSessionId",
            _ => continue,
        };
        w!(out, "{cfg}impl {rt}::{t} for {marker} {{}}\n");
    }
}
