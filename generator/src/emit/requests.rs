//! Emission of the request surface ([`crate::lower::surface`]): `requests.rs` (the root
//! functions, one per first path segment, and operations on the service root) and
//! `requests/<first segment>.rs` (a node type per path prefix, its navigation
//! methods and operations, and a marker type per operation with query options or
//! typed headers).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

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
    for (i, n) in surface.nodes().filter(|(i, _)| *i != Surface::ROOT) {
        by_root.entry(n.root_segment.as_str()).or_default().push((i, n));
    }
    let jobs: Vec<(&&str, &Vec<(NodeId, &Node)>)> = by_root.iter().collect();
    let rendered = super::parallel_map(&jobs, |(_, nodes)| render_items(cx.format, nodes.iter().map(|&(n, node)| emit_node(api, cx, surface, n, node, &node_cfg))));
    for ((root, _), text) in jobs.iter().zip(rendered) {
        match text {
            Ok(t) => {
                files.insert(format!("requests/{root}.rs"), t);
            }
            Err(e) => failures.push(format!("requests/{root}.rs: {e}")),
        }
    }
    let rt = support_path(cx);
    let mut items = Vec::new();
    let root = surface.node(Surface::ROOT);
    for (c, child) in root.into_iter().flat_map(|r| &r.children).filter_map(|&c| Some((c, surface.node(c)?))) {
        let m = ident(&child.method);
        let ty = format_ident!("{}", child.type_name);
        let cfg = any_cfg(node_cfg.get(c.index()));
        let (params, step) = step_call(&child.step, quote!(#rt::Path::root()));
        let doc = doc_attrs(Some(&format!("`{}`", child.template)));
        items.push(quote! {
            #cfg
            #doc
            pub fn #m(#params) -> #ty {
                #ty(#step)
            }
        });
    }
    for op in root.into_iter().flat_map(|r| &r.ops) {
        items.push(emit_op(api, cx, op, quote!(#rt::Path::root()), false));
    }
    let includes = by_root.keys().map(|c| format!("requests/{c}.rs"));
    let doc = format!(
        " Requests by resource path: `requests::users().by_id(id).messages().list()` is\n `GET /users/{{id}}/messages`. Each operation builds a transport-free\n [`Request`]({rt_doc}::Request), or a [`Query`]({rt_doc}::Query) when its page documents\n query options or typed headers. The URL-to-Rust rule is in the crate's README.",
        rt_doc = cx.rt_doc
    );
    let head = quote! {
        #![doc = #doc]
        #![allow(clippy::too_many_arguments, clippy::doc_lazy_continuation, clippy::new_without_default, clippy::wrong_self_convention, clippy::should_implement_trait)]
    };
    match render_items(cx.format, std::iter::once(head).chain(items).chain(includes.map(|f| quote!(include!(#f);)))) {
        Ok(t) => {
            files.insert("requests.rs".to_string(), t);
        }
        Err(e) => failures.push(format!("requests.rs: {e}")),
    }
    files
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
fn any_cfg(features: Option<&Option<BTreeSet<String>>>) -> TokenStream {
    match features.and_then(Option::as_ref) {
        None => quote!(),
        Some(f) if f.is_empty() => quote!(),
        Some(f) if f.len() == 1 => cfg_attr(f),
        Some(f) => {
            let fs = f.iter();
            quote!(#[cfg(any(#(feature = #fs),*))])
        }
    }
}

/// The parameters of a navigation step and the expression that takes it from `base`.
fn step_call(step: &Step, base: TokenStream) -> (TokenStream, TokenStream) {
    match step {
        Step::Root => (quote!(), base),
        Step::Literal(l) => (quote!(), quote!(#base.segment(#l))),
        Step::Param { names, suffix } => {
            let name = names.iter().next().map(String::as_str).unwrap_or("id");
            let p = if suffix.is_empty() { format_ident!("id") } else { format_ident!("path") };
            (quote!(#p: &str), quote!(#base.param(#name, #p, #suffix)))
        }
        Step::Function { name, args } => {
            let ids: Vec<_> = args.iter().map(|a| ident(&a.rust)).collect();
            let keys = args.iter().map(|a| &a.key);
            let prefixes = args.iter().map(|a| &a.prefix);
            let quoted = args.iter().map(|a| a.quoted);
            (quote!(#(#ids: &str),*), quote!(#base.function(#name, &[#((#keys, #prefixes, #quoted, #ids)),*])))
        }
    }
}

fn emit_node(api: &Api, cx: &Cx, surface: &Surface, n: NodeId, node: &Node, node_cfg: &[Option<BTreeSet<String>>]) -> TokenStream {
    let rt = support_path(cx);
    let ty = format_ident!("{}", node.type_name);
    let cfg = any_cfg(node_cfg.get(n.index()));
    let mut doc = format!("`{}`: reached by `{}`; `.0` is its encoded path.", node.template, surface.node_path(n));
    if let Step::Param { names: pnames, .. } = &node.step {
        if pnames.len() > 1 {
            let list: Vec<String> = pnames.iter().map(|p| format!("`{p}`")).collect();
            doc.push_str(&format!(" The docs name its parameter {}.", list.join(", ")));
        }
    }
    let docs = doc_attrs(Some(&doc));
    let mut methods = Vec::new();
    for (c, child) in node.children.iter().filter_map(|&c| Some((c, surface.node(c)?))) {
        let m = ident(&child.method);
        let cty = format_ident!("{}", child.type_name);
        let ccfg = any_cfg(node_cfg.get(c.index()));
        let (params, step) = step_call(&child.step, quote!(self.0));
        let cdoc = doc_attrs(Some(&format!("`{}`", child.template)));
        methods.push(quote! {
            #ccfg
            #cdoc
            pub fn #m(&self, #params) -> #cty {
                #cty(#step)
            }
        });
    }
    let mut markers = Vec::new();
    for op in &node.ops {
        methods.push(emit_op(api, cx, op, quote!(self.0), true));
        markers.push(emit_marker(api, cx, surface, n, op));
    }
    quote! {
        #cfg
        #docs
        #[derive(Clone, Debug)]
        pub struct #ty(pub #rt::Path);
        #cfg
        impl #ty {
            #(#methods)*
        }
        #(#markers)*
    }
}

fn response_type(cx: &Cx, op: &SurfaceOp) -> TokenStream {
    let rt = support_path(cx);
    match &op.response {
        ResponseBody::None => quote!(()),
        ResponseBody::Single(t) => rust_type(cx, t, Ctx::Requests),
        ResponseBody::Collection(t) => {
            let t = rust_type(cx, t, Ctx::Requests);
            quote!(#rt::Page<#t>)
        }
    }
}

fn emit_op(api: &Api, cx: &Cx, op: &SurfaceOp, base: TokenStream, method: bool) -> TokenStream {
    let rt = support_path(cx);
    let first = op.op;
    let fname = ident(&op.name);
    let (call_params, path) = match &op.call {
        Some(step) => step_call(step, base),
        None => (quote!(), base),
    };
    let resp = response_type(cx, op);
    let (body_param, body_call) = match &op.body {
        Some(t) => {
            let ty = rust_type(cx, t, Ctx::Requests);
            (quote!(body: &#ty), quote!(.json_body(body)))
        }
        None => (quote!(), quote!()),
    };
    let verb = format_ident!("{}", first.method);
    let status = Literal::u16_unsuffixed(first.success_status);
    let mut doc = format!("{}\n", first.title);
    if let Some(d) = &first.doc {
        doc.push_str(&format!("\n{d}\n"));
    }
    doc.push_str(&format!("\n`{} {}`\n", first.method, op.template));
    doc.push_str(&format!("\nDocumented success status: `{}`.", first.success_status));
    if first.location_header {
        doc.push_str(&format!(" The response carries a `Location` header (see [`Response::location`]({}::Response::location)).", cx.rt_doc));
    }
    if !op.query_options.is_empty() {
        let list: Vec<String> = op.query_options.iter().map(|q| format!("`{q}`")).collect();
        doc.push_str(&format!("\n\nDocumented query options: {}.", list.join(", ")));
    }
    let hs: Vec<String> = first.headers.iter().filter(|h| !h.name.eq_ignore_ascii_case("authorization")).map(|h| format!("`{}: {}`", h.name, h.value)).collect();
    if !hs.is_empty() {
        doc.push_str(&format!("\n\nDocumented request headers: {}.", hs.join(", ")));
    }
    doc.push_str(&format!("\n\nSource: `{}`.", first.span.file));
    if op.also.iter().any(|o| o.span.file != first.span.file) {
        let mut also: Vec<String> = op.also.iter().map(|o| format!("`{}`", o.span.file)).filter(|f| *f != format!("`{}`", first.span.file)).collect();
        also.sort();
        also.dedup();
        doc.push_str(&format!(" Also documented by {}.", also.join(", ")));
    }
    let docs = doc_attrs(Some(&doc));
    let cfg = cfg_attr(&op_features(cx, op));
    let receiver = method.then(|| quote!(&self,));
    let sep = (!call_params.is_empty() && !body_param.is_empty()).then(|| quote!(,));
    let request = quote!(#path.request::<#resp>(#rt::http::Method::#verb, #status)#body_call);
    if op.marker.is_empty() {
        quote! {
            #cfg
            #docs
            pub fn #fname(#receiver #call_params #sep #body_param) -> #rt::Request<#resp> {
                #request
            }
        }
    } else {
        let marker = if op.marker == STANDARD {
            let res = resource(api, cx, op);
            quote!(#rt::Standard<#res>)
        } else {
            let m = format_ident!("{}", op.marker);
            quote!(#m)
        };
        quote! {
            #cfg
            #docs
            pub fn #fname(#receiver #call_params #sep #body_param) -> #rt::Query<#resp, #marker> {
                #rt::Query::new(#request)
            }
        }
    }
}

/// The struct type whose properties `$select` names: the element type of the
/// response, when it is a struct (its base struct for a `Kind`), else `()`.
fn resource(api: &Api, cx: &Cx, op: &SurfaceOp) -> TokenStream {
    let t = match &op.response {
        ResponseBody::Single(t) | ResponseBody::Collection(t) => t.element(),
        ResponseBody::None => return quote!(()),
    };
    match t {
        TypeRef::Named(n) if matches!(api.get(*n).map(|t| &t.kind), Some(TypeKind::Struct { .. })) => {
            cx.low.ty(*n).map_or_else(|| quote!(()), |t| super::named_path(t, Ctx::Requests, false))
        }
        _ => quote!(()),
    }
}

fn emit_marker(api: &Api, cx: &Cx, surface: &Surface, n: NodeId, op: &SurfaceOp) -> TokenStream {
    if op.marker.is_empty() || op.marker == STANDARD {
        return quote!();
    }
    let rt = support_path(cx);
    let marker = format_ident!("{}", op.marker);
    let cfg = cfg_attr(&op_features(cx, op));
    let res = resource(api, cx, op);
    let mut impls = Vec::new();
    for q in &op.query_options {
        let eventual = op.eventual.contains(q).then(|| quote!(const EVENTUAL: bool = true;));
        let imp = match q.as_str() {
            "$select" => quote!(impl #rt::Select for #marker { type Resource = #res; }),
            "$expand" => quote!(impl #rt::Expand for #marker { type Resource = #res; }),
            "$orderby" => quote!(impl #rt::OrderBy for #marker { type Resource = #res; }),
            "$filter" => quote!(impl #rt::Filter for #marker { #eventual }),
            "$search" => quote!(impl #rt::Search for #marker { #eventual }),
            "$count" => quote!(impl #rt::Count for #marker { #eventual }),
            "$top" => quote!(impl #rt::Top for #marker {}),
            "$skip" => quote!(impl #rt::Skip for #marker {}),
            _ => continue,
        };
        impls.push(quote!(#cfg #imp));
    }
    for h in &op.headers {
        let t = match h.as_str() {
            "ConsistencyLevel" => quote!(ConsistencyLevel),
            "If-Match" => quote!(IfMatch),
            "If-None-Match" => quote!(IfNoneMatch),
            "Prefer" => quote!(Prefer),
            "Workbook-Session-Id" => quote!(WorkbookSessionId),
            _ => continue,
        };
        impls.push(quote!(#cfg impl #rt::#t for #marker {}));
    }
    let call = surface.op_path(n, op);
    let doc = doc_attrs(Some(&format!("The query options and headers of `{call}`.")));
    quote! {
        #cfg
        #doc
        pub enum #marker {}
        #(#impls)*
    }
}
