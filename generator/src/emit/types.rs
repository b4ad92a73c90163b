//! Models: structs, string enums and polymorphic holders.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::*;

/// `#[cfg(...)]` requiring every feature in `features` (nothing for none).
pub(crate) fn cfg_attr(features: &BTreeSet<String>) -> TokenStream {
    let mut fs = features.iter();
    match (fs.next(), fs.next()) {
        (None, _) => quote!(),
        (Some(f), None) => quote!(#[cfg(feature = #f)]),
        _ => {
            let fs = features.iter();
            quote!(#[cfg(all(#(feature = #fs),*))])
        }
    }
}

/// Features to require beyond those already required by `outer`.
pub(crate) fn extra_cfg(outer: &BTreeSet<String>, inner: BTreeSet<String>) -> TokenStream {
    cfg_attr(&inner.difference(outer).cloned().collect())
}

pub(crate) fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else { return quote!() };
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            // Text-direction controls (U+202A-U+202E, U+2066-U+2069) are denied in doc comments.
            let l: String = l.chars().filter(|c| !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')).collect();
            let escaped = l.trim_end().replace('[', "\\[").replace(']', "\\]").replace('<', "\\<").replace('>', "\\>");
            if escaped.is_empty() {
                String::new()
            } else {
                format!(" {escaped}")
            }
        })
        .collect();
    quote! { #(#[doc = #lines])* }
}

/// The runtime crate's path, wherever the code lives.
pub(crate) fn support_path(cx: &Cx) -> TokenStream {
    // `Options::with_runtime_path` checked that the path parses; the default is
    // there for the type system, not for a case that occurs.
    cx.rt.parse().unwrap_or_else(|_| quote!(::msgraph_runtime))
}

/// The path of a type (of its `Kind` holder if `polymorphic` and it has one) from `ctx`.
pub(crate) fn named_path(t: &Type, ctx: Ctx, polymorphic: bool) -> TokenStream {
    let module = &t.module;
    let name = if polymorphic && !t.derived.is_empty() { format_ident!("{}Kind", t.ident) } else { format_ident!("{}", t.ident) };
    let m = ident(module);
    match ctx {
        Ctx::Model(cur) if cur == module => quote!(#name),
        Ctx::Model(_) => quote!(super::#m::#name),
        Ctx::ModelsRoot => quote!(#m::#name),
        Ctx::Requests => quote!(super::models::#m::#name),
    }
}

pub(crate) fn rust_type(cx: &Cx, t: &TypeRef, ctx: Ctx) -> TokenStream {
    let support = support_path(cx);
    match t {
        TypeRef::Prim(p) => match p {
            Prim::String | Prim::Stream => quote!(::std::string::String),
            Prim::Boolean => quote!(bool),
            Prim::Byte => quote!(u8),
            Prim::SByte => quote!(i8),
            Prim::Int16 => quote!(i16),
            Prim::Int32 => quote!(i32),
            Prim::Int64 => quote!(i64),
            Prim::Single => quote!(f32),
            Prim::Double | Prim::Decimal => quote!(f64),
            Prim::DateTimeOffset => quote!(#support::DateTimeOffset),
            Prim::Date => quote!(#support::Date),
            Prim::TimeOfDay => quote!(#support::TimeOfDay),
            Prim::Duration => quote!(#support::Duration),
            Prim::Guid => quote!(#support::Guid),
            Prim::Binary => quote!(#support::Base64),
            Prim::Json => quote!(#support::serde_json::Value),
        },
        // Inference typed every name no page defines as raw JSON: a name resolves.
        TypeRef::Named(n) => match cx.low.ty(*n) {
            Some(t) => {
                let path = named_path(t, ctx, true);
                match &t.def.kind {
                    TypeKind::Enum { flags: true, .. } => quote!(#support::Flags<#path>),
                    _ => path,
                }
            }
            None => quote!(#support::serde_json::Value),
        },
        TypeRef::Collection(inner) => {
            let inner = rust_type(cx, inner, ctx);
            quote!(::std::vec::Vec<#inner>)
        }
    }
}

/// A model: a struct or a string enum, with its docs.
pub(crate) fn emit_type(cx: &Cx, lt: &Type) -> TokenStream {
    let t = lt.def;
    let mut doc = t.doc.clone().unwrap_or_default();
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("`{}`, from `{}`.", t.full_name, t.span.file));
    match &t.kind {
        TypeKind::Struct { base, key, .. } => {
            if let Some(b) = base {
                doc.push_str(&format!(" Derived from `{}`; includes its properties.", cx.low.api.name(*b)));
            }
            if let Some(k) = key {
                doc.push_str(&format!(" An entity type keyed by `{k}`."));
            }
            emit_struct(cx, lt, &doc)
        }
        TypeKind::Enum { members, flags } => {
            if *flags {
                doc.push_str(" A flags enum: properties of this type hold a comma-separated set.");
            }
            emit_enum(cx, lt, members, &doc)
        }
    }
}

/// A struct: its fields (inherited ones first), its one-pass `Deserialize`
/// (the runtime's `de::Fields`) and, for a polymorphic type, its `Kind` holder.
fn emit_struct(cx: &Cx, lt: &Type, doc: &str) -> TokenStream {
    let ctx = Ctx::Model(&lt.module);
    let own = lt.own_features();
    let cfg = cfg_attr(&own);
    let ident_ = format_ident!("{}", lt.ident);
    let docs = doc_attrs(Some(doc));
    let mut fields = Vec::new();
    // Deserialization: each spelling of a property (wire name, then aliases)
    // to its field, read in one pass (see the runtime's `de` module).
    let mut seen: BTreeSet<&str> = BTreeSet::from(["@odata.type"]);
    let mut arms = Vec::new();
    for f in &lt.fields {
        let p = f.prop;
        let fid = ident(&f.name);
        let mut ty = rust_type(cx, &p.ty, ctx);
        if f.boxed {
            ty = quote!(::std::boxed::Box<#ty>);
        }
        let mut pdoc = p.doc.clone().unwrap_or_default();
        if !pdoc.is_empty() {
            pdoc.push_str("\n\n");
        }
        pdoc.push_str(&format!("`{}`: {}{}.", p.wire, cx.low.api.describe(&p.ty), if p.navigation { " (relationship)" } else { "" }));
        if !p.aliases.is_empty() {
            let list: Vec<String> = p.aliases.iter().map(|a| format!("`{a}`")).collect();
            pdoc.push_str(&format!(" Also read as {}.", list.join(", ")));
        }
        let pdocs = doc_attrs(Some(&pdoc));
        // The name serde sees: `r#type` is `type`, but `self_` is `self_`.
        let rename = (fid.to_string().trim_start_matches("r#") != p.wire).then(|| {
            let w = &p.wire;
            quote!(rename = #w,)
        });
        let fcfg = extra_cfg(&own, cx.low.ref_features(&p.ty));
        fields.push(quote! {
            #fcfg
            #pdocs
            #[serde(#rename skip_serializing_if = "::std::option::Option::is_none")]
            pub #fid: ::std::option::Option<#ty>,
        });
        // Other spellings of the property that the docs show are read too.
        let spellings: Vec<&str> = std::iter::once(&p.wire).chain(&p.aliases).map(String::as_str).filter(|w| seen.insert(w)).collect();
        if !spellings.is_empty() {
            arms.push(quote!(#fcfg #(#spellings)|* => self.#fid = map.next_value()?,));
        }
    }
    let field_consts = lt.queryable.then(|| field_consts(cx, lt, &cfg));
    let poly = (!lt.derived.is_empty()).then(|| emit_polymorphic(cx, lt, ctx));
    let extra = format_ident!("{}", lt.extra_field);
    let rt = support_path(cx);
    let serde_crate = format!("{}::serde", cx.rt);
    let name = &lt.ident;
    quote! {
        #cfg
        #docs
        #[derive(Debug, Clone, PartialEq, Default, #rt::serde::Serialize)]
        #[serde(crate = #serde_crate)]
        pub struct #ident_ {
            /// The `@odata.type` annotation: the name of the concrete type.
            #[serde(rename = "@odata.type", skip_serializing_if = "::std::option::Option::is_none")]
            pub odata_type: ::std::option::Option<::std::string::String>,
            #(#fields)*
            /// Properties the docs do not list, kept so a round trip loses nothing.
            #[serde(flatten)]
            pub #extra: #rt::serde_json::Map<::std::string::String, #rt::serde_json::Value>,
        }
        #cfg
        impl #rt::de::Fields for #ident_ {
            const NAME: &'static str = #name;
            fn read_field<'de, A: #rt::serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> ::std::result::Result<bool, A::Error> {
                match key {
                    "@odata.type" => self.odata_type = map.next_value()?,
                    #(#arms)*
                    _ => return ::std::result::Result::Ok(false),
                }
                ::std::result::Result::Ok(true)
            }
            fn additional_properties(&mut self) -> &mut #rt::serde_json::Map<::std::string::String, #rt::serde_json::Value> {
                &mut self.#extra
            }
            fn odata_type(&mut self) -> ::std::option::Option<&mut ::std::option::Option<::std::string::String>> {
                ::std::option::Option::Some(&mut self.odata_type)
            }
        }
        #cfg
        #rt::deserialize_fields!(#ident_);
        #field_consts
        #poly
    }
}

/// One constant per property, for `$select`, `$expand` and `$orderby`
/// (`Query::select(&[User::DISPLAY_NAME])`), on the types some operation queries.
fn field_consts(cx: &Cx, lt: &Type, cfg: &TokenStream) -> TokenStream {
    let rt = support_path(cx);
    let ident_ = format_ident!("{}", lt.ident);
    let consts = lt.fields.iter().map(|f| {
        let c = format_ident!("{}", f.name.to_uppercase());
        let w = &f.prop.wire;
        quote!(pub const #c: #rt::Field<Self> = #rt::Field::new(#w);)
    });
    quote! {
        #cfg
        /// Property names, for `$select`, `$expand` and `$orderby`.
        impl #ident_ {
            #(#consts)*
        }
    }
}

/// A string enum: its members, the catch-all variant, and its wire spellings.
fn emit_enum(cx: &Cx, lt: &Type, members: &[EnumMember], doc: &str) -> TokenStream {
    let cfg = cfg_attr(&lt.own_features());
    let ident_ = format_ident!("{}", lt.ident);
    let docs = doc_attrs(Some(doc));
    let support = support_path(cx);
    let variants: Vec<_> = lt.variants.iter().map(|v| format_ident!("{}", v)).collect();
    let wires: Vec<&str> = members.iter().map(|m| m.wire.as_str()).collect();
    // Every spelling of a member (its wire name and aliases) parses to it:
    // exactly, then case-insensitively.
    let mut exact: Vec<(&str, &proc_macro2::Ident)> = Vec::new();
    let mut lowers: Vec<(String, &proc_macro2::Ident)> = Vec::new();
    for (m, v) in members.iter().zip(&variants) {
        for w in std::iter::once(&m.wire).chain(&m.aliases) {
            exact.push((w.as_str(), v));
            let l = w.to_ascii_lowercase();
            if !lowers.iter().any(|(x, _)| *x == l) {
                lowers.push((l, v));
            }
        }
    }
    let (exact_wires, exact_vars): (Vec<&str>, Vec<&proc_macro2::Ident>) = exact.into_iter().unzip();
    let (lowers, lower_vars): (Vec<String>, Vec<&proc_macro2::Ident>) = lowers.into_iter().unzip();
    let vdocs = members.iter().map(|m| {
        let mut d = m.doc.clone().unwrap_or_default();
        if !d.is_empty() {
            d.push_str("\n\n");
        }
        d.push_str(&format!("`{}`", m.wire));
        if let Some(v) = m.value {
            d.push_str(&format!(" (value {v})"));
        }
        d.push('.');
        doc_attrs(Some(&d))
    });
    let catch = format_ident!("{}", ENUM_CATCH_ALL);
    quote! {
        #cfg
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #ident_ {
            #(#vdocs #variants,)*
            /// A value this crate does not know, kept exactly as received.
            #catch(::std::string::String),
        }
        #cfg
        impl #ident_ {
            /// The members the docs list, as they are spelled on the wire.
            pub const MEMBERS: &'static [&'static str] = &[#(#wires),*];
            /// The wire spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::#catch(s) => s.as_str(),
                }
            }
            /// Parse a wire value: exact match first, then case-insensitive; anything
            /// else is kept in the catch-all variant.
            pub fn from_wire(s: &str) -> Self {
                match s {
                    #(#exact_wires => return Self::#exact_vars,)*
                    _ => {}
                }
                match s.to_ascii_lowercase().as_str() {
                    #(#lowers => Self::#lower_vars,)*
                    _ => Self::#catch(s.to_owned()),
                }
            }
        }
        #cfg
        impl #support::StringEnum for #ident_ {
            fn as_str(&self) -> &str {
                #ident_::as_str(self)
            }
            fn from_wire(s: &str) -> Self {
                #ident_::from_wire(s)
            }
        }
        #cfg
        #support::string_enum!(#ident_);
    }
}

/// The `<Type>Kind` holder of a polymorphic type: the type or one derived from it.
pub(crate) fn emit_polymorphic(cx: &Cx, lt: &Type, ctx: Ctx) -> TokenStream {
    let t = lt.def;
    let base = format_ident!("{}", lt.ident);
    let mut kind_variants = lt.kind_variants.iter().map(|v| format_ident!("{}", v));
    let base_variant = kind_variants.next().unwrap_or_else(|| base.clone());
    let kind = format_ident!("{}Kind", lt.ident);
    let kind_name = kind.to_string();
    let own = lt.own_features();
    let cfg = cfg_attr(&own);
    let (derived, variants): (Vec<&Type>, Vec<_>) = lt.derived.iter().zip(kind_variants).filter_map(|(&d, v)| Some((cx.low.ty(d)?, v))).unzip();
    let paths: Vec<_> = derived.iter().map(|d| named_path(d, ctx, false)).collect();
    let tags: Vec<String> = derived.iter().map(|d| d.def.full_name.to_ascii_lowercase()).collect();
    // A variant exists when its own area is built too.
    let vcfg: Vec<TokenStream> = derived.iter().map(|d| extra_cfg(&own, d.own_features())).collect();
    let icfg: Vec<TokenStream> = derived.iter().map(|d| cfg_attr(&own.union(&d.own_features()).cloned().collect())).collect();
    let support = support_path(cx);
    let doc = doc_attrs(Some(&format!(
        "A `{}` or one of its derived types, chosen by `@odata.type` when deserializing.\nAn unknown `@odata.type` falls back to the base type, which keeps the fields it does not know.",
        t.full_name
    )));
    quote! {
        #cfg
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #kind {
            #base_variant(#base),
            #(#vcfg #variants(#paths),)*
        }
        #cfg
        impl ::std::default::Default for #kind {
            fn default() -> Self {
                Self::#base_variant(::std::default::Default::default())
            }
        }
        #cfg
        impl ::std::convert::From<#base> for #kind {
            fn from(value: #base) -> Self {
                Self::#base_variant(value)
            }
        }
        #(#icfg impl ::std::convert::From<#paths> for #kind {
            fn from(value: #paths) -> Self {
                Self::#variants(value)
            }
        })*
        // Single-valued fields hold a `Box<Kind>`: `.into()` fills them from any variant.
        #cfg
        impl ::std::convert::From<#base> for ::std::boxed::Box<#kind> {
            fn from(value: #base) -> Self {
                ::std::boxed::Box::new(#kind::#base_variant(value))
            }
        }
        #(#icfg impl ::std::convert::From<#paths> for ::std::boxed::Box<#kind> {
            fn from(value: #paths) -> Self {
                ::std::boxed::Box::new(#kind::#variants(value))
            }
        })*
        #cfg
        impl #support::serde::Serialize for #kind {
            fn serialize<S: #support::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    Self::#base_variant(v) => v.serialize(serializer),
                    #(#vcfg Self::#variants(v) => v.serialize(serializer),)*
                }
            }
        }
        #cfg
        impl #support::de::Polymorphic for #kind {
            const NAME: &'static str = #kind_name;
            fn dispatch<'de, S: #support::de::Source<'de>>(key: ::std::option::Option<&str>, source: S) -> ::std::result::Result<Self, S::Error> {
                match key {
                    #(#vcfg ::std::option::Option::Some(#tags) => source.read().map(Self::#variants),)*
                    _ => source.read().map(Self::#base_variant),
                }
            }
        }
        #cfg
        #support::deserialize_polymorphic!(#kind);
    }
}
