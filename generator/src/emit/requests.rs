//! Request functions: one per operation.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::*;

pub(crate) fn emit_operation(api: &Api, names: &Names, op: &Operation) -> TokenStream {
    let fname = ident(&names.fns[&(op.id.clone(), op.span.clone())]);
    let ctx = Ctx::Requests;
    let support = support_path(names);
    // Parameters, in path order, de-duplicated.
    let mut params: Vec<(String, proc_macro2::Ident)> = Vec::new();
    let mut pieces: Vec<TokenStream> = Vec::new();
    let mut lit = String::new();
    for seg in &op.path {
        lit.push('/');
        match seg {
            PathSegment::Literal(l) => lit.push_str(l),
            PathSegment::Param(p) => {
                let mut name = snake_name(p);
                let mut n = 2;
                while params.iter().any(|(q, _)| *q == name) {
                    name = format!("{}_{n}", snake_name(p));
                    n += 1;
                }
                let id = ident(&name);
                if !lit.is_empty() {
                    let l = Literal::string(&lit);
                    pieces.push(quote!(#l));
                    lit.clear();
                }
                pieces.push(quote!(&#support::encode_segment(#id)));
                params.push((name, id));
            }
        }
    }
    if !lit.is_empty() || pieces.is_empty() {
        let l = Literal::string(if lit.is_empty() { "/" } else { &lit });
        pieces.push(quote!(#l));
    }
    let param_checks: Vec<TokenStream> = op
        .path
        .iter()
        .filter_map(|s| match s {
            PathSegment::Param(p) => Some(p.clone()),
            PathSegment::Literal(_) => None,
        })
        .zip(&params)
        .map(|(wire, (_, id))| quote!((#wire, #id)))
        .collect();
    let checks = (!param_checks.is_empty()).then(|| quote!(.path_params(&[#(#param_checks),*])));
    let method = format_ident!("{}", op.method);
    let status = Literal::u16_unsuffixed(op.success_status);
    let response_ty = match &op.response {
        ResponseBody::None => quote!(()),
        ResponseBody::Single(t) => rust_type(api, names, t, ctx),
        ResponseBody::Collection(t) => {
            let t = rust_type(api, names, t, ctx);
            quote!(#support::Page<#t>)
        }
    };
    let (body_param, body_call) = match &op.body {
        Some(t) => {
            let ty = rust_type(api, names, t, ctx);
            (quote!(body: &#ty,), quote!(.json_body(body)))
        }
        None => (quote!(), quote!()),
    };
    let mut doc = format!("{}\n", op.title);
    if let Some(d) = &op.doc {
        doc.push_str(&format!("\n{d}\n"));
    }
    doc.push_str(&format!("\n`{} {}`\n", op.method, op.path_template()));
    doc.push_str(&format!("\nDocumented success status: `{}`.", op.success_status));
    if op.location_header {
        doc.push_str(&format!(" The response carries a `Location` header (see [`Response::location`]({}::Response::location)).", names.rt_doc));
    }
    let qs: Vec<&str> = op.query_options.iter().map(|q| q.name.as_str()).collect();
    if !qs.is_empty() {
        doc.push_str(&format!("\n\nDocumented query options: {}.", qs.iter().map(|q| format!("`{q}`")).collect::<Vec<_>>().join(", ")));
    }
    let hs: Vec<String> = op.headers.iter().filter(|h| !h.name.eq_ignore_ascii_case("authorization")).map(|h| format!("`{}: {}`", h.name, h.value)).collect();
    if !hs.is_empty() {
        doc.push_str(&format!("\n\nDocumented request headers: {}.", hs.join(", ")));
    }
    doc.push_str(&format!("\n\nSource: `{}`.", op.span.file));
    let docs = doc_attrs(Some(&doc));
    let param_decls = params.iter().map(|(_, id)| quote!(#id: &str,));
    let mut feats: BTreeSet<String> = feature_name(op.area.as_deref()).into_iter().collect();
    for t in op_types(op) {
        feats.extend(ref_features(names, t));
    }
    let cfg = cfg_attr(&feats);
    quote! {
        #cfg
        #docs
        pub fn #fname(#(#param_decls)* #body_param) -> #support::Request<#response_ty> {
            #support::Request::new(#support::http::Method::#method, [#(#pieces),*].concat(), #status)#checks #body_call
        }
    }
}
