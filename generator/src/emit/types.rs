//! Models: structs, string enums and polymorphic holders.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::*;

/// `#[cfg(...)]` requiring every feature in `features` (nothing for none).
pub(crate) fn cfg_attr(features: &BTreeSet<String>) -> TokenStream {
    match features.len() {
        0 => quote!(),
        1 => {
            let f = features.iter().next().expect("one");
            quote!(#[cfg(feature = #f)])
        }
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
pub(crate) fn support_path(names: &Names) -> TokenStream {
    names.rt.parse().expect("a path parses as tokens")
}

pub(crate) fn named_path(names: &Names, full: &str, ctx: Ctx, polymorphic: bool) -> TokenStream {
    let (module, name) = &names.types[full];
    let name = if polymorphic && names.polymorphic.contains_key(full) { format_ident!("{}Kind", name) } else { format_ident!("{}", name) };
    let m = ident(module);
    match ctx {
        Ctx::Model(cur) if cur == module => quote!(#name),
        Ctx::Model(_) => quote!(super::#m::#name),
        Ctx::ModelsRoot => quote!(#m::#name),
        Ctx::Requests => quote!(super::models::#m::#name),
    }
}

pub(crate) fn rust_type(api: &Api, names: &Names, t: &TypeRef, ctx: Ctx) -> TokenStream {
    let support = support_path(names);
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
        TypeRef::Named(n) => {
            let path = named_path(names, n, ctx, true);
            match &api.types[n].kind {
                TypeKind::Enum { flags: true, .. } => quote!(#support::Flags<#path>),
                _ => path,
            }
        }
        TypeRef::Collection(inner) => {
            let inner = rust_type(api, names, inner, ctx);
            quote!(::std::vec::Vec<#inner>)
        }
    }
}

pub(crate) fn emit_type(api: &Api, names: &Names, t: &TypeDef, module: &str) -> TokenStream {
    let ctx = Ctx::Model(module);
    let own = own_features(names, &t.full_name);
    let cfg = cfg_attr(&own);
    let ident_ = format_ident!("{}", names.types[&t.full_name].1);
    let mut doc = t.doc.clone().unwrap_or_default();
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("`{}`, from `{}`.", t.full_name, t.span.file));
    match &t.kind {
        TypeKind::Struct { base, key, .. } => {
            if let Some(b) = base {
                doc.push_str(&format!(" Derived from `{b}`; includes its properties."));
            }
            if let Some(k) = key {
                doc.push_str(&format!(" An entity type keyed by `{k}`."));
            }
            let docs = doc_attrs(Some(&doc));
            let props = api.all_properties(&t.full_name);
            let mut fields = Vec::new();
            // Deserialization: each spelling of a property (wire name, then aliases)
            // to its field, read in one pass (see the runtime's `de` module).
            let mut seen: BTreeSet<&str> = BTreeSet::from(["@odata.type"]);
            let mut arms = Vec::new();
            for p in &props {
                let fname = &names.fields[&(t.full_name.clone(), p.wire.clone())];
                let fid = ident(fname);
                let mut ty = rust_type(api, names, &p.ty, ctx);
                // Boxed: every single-valued property of a struct type (complex values,
                // relationships, polymorphic holders). Inline, each would make its owner
                // as large as everything it may contain, whether present or not: `User`
                // was 3,696 bytes, most of it `None`, written, moved and dropped for every
                // object parsed (see BENCHMARKS.md, issue 14). Boxing them also breaks
                // every containment cycle; `names.boxed` still lists the fields that lead
                // back to their owner, for the rare cycle through another kind of field.
                let single_struct = matches!(&p.ty, TypeRef::Named(n) if api.types.get(n).is_some_and(|t| matches!(t.kind, TypeKind::Struct { .. })));
                if single_struct || names.boxed.contains(&(t.full_name.clone(), p.wire.clone())) {
                    ty = quote!(::std::boxed::Box<#ty>);
                }
                let mut pdoc = p.doc.clone().unwrap_or_default();
                if !pdoc.is_empty() {
                    pdoc.push_str("\n\n");
                }
                pdoc.push_str(&format!("`{}`: {}{}.", p.wire, p.ty.describe(), if p.navigation { " (relationship)" } else { "" }));
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
                let fcfg = extra_cfg(&own, ref_features(names, &p.ty));
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
            // One constant per property, for `$select`, `$expand` and `$orderby`
            // (`Query::select(&[User::DISPLAY_NAME])`), on the types some operation
            // queries.
            let rt_field = {
                let rt = support_path(names);
                quote!(#rt::Field)
            };
            let consts = props.iter().map(|p| {
                let c = format_ident!("{}", names.fields[&(t.full_name.clone(), p.wire.clone())].to_uppercase());
                let w = &p.wire;
                quote!(pub const #c: #rt_field<Self> = #rt_field::new(#w);)
            });
            let field_consts = names.queryable.contains(&t.full_name).then(|| quote! {
                #cfg
                /// Property names, for `$select`, `$expand` and `$orderby`.
                impl #ident_ {
                    #(#consts)*
                }
            });
            let poly = names.polymorphic.contains_key(&t.full_name).then(|| emit_polymorphic(api, names, t, ctx));
            let extra = format_ident!("{}", extra_field(&props));
            let rt = support_path(names);
            let serde_crate = format!("{}::serde", names.rt);
            let name = &names.types[&t.full_name].1;
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
        TypeKind::Enum { members, flags } => {
            if *flags {
                doc.push_str(" A flags enum: properties of this type hold a comma-separated set.");
            }
            let docs = doc_attrs(Some(&doc));
            let support = support_path(names);
            let variants: Vec<_> = members.iter().map(|m| format_ident!("{}", names.variants[&(t.full_name.clone(), m.wire.clone())])).collect();
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
    }
}

pub(crate) fn emit_polymorphic(api: &Api, names: &Names, t: &TypeDef, ctx: Ctx) -> TokenStream {
    let base = format_ident!("{}", names.types[&t.full_name].1);
    let base_variant = format_ident!("{}", names.kind_variants[&(t.full_name.clone(), t.full_name.clone())]);
    let kind = format_ident!("{}Kind", names.types[&t.full_name].1);
    let kind_name = kind.to_string();
    let own = own_features(names, &t.full_name);
    let cfg = cfg_attr(&own);
    let derived: Vec<&TypeDef> = names.polymorphic[&t.full_name].iter().map(|d| &api.types[d]).collect();
    let variants: Vec<_> = derived.iter().map(|d| format_ident!("{}", names.kind_variants[&(t.full_name.clone(), d.full_name.clone())])).collect();
    let paths: Vec<_> = derived.iter().map(|d| named_path(names, &d.full_name, ctx, false)).collect();
    let tags: Vec<String> = derived.iter().map(|d| d.full_name.to_ascii_lowercase()).collect();
    // A variant exists when its own area is built too.
    let vcfg: Vec<TokenStream> = derived.iter().map(|d| extra_cfg(&own, own_features(names, &d.full_name))).collect();
    let icfg: Vec<TokenStream> = derived.iter().map(|d| cfg_attr(&own.union(&own_features(names, &d.full_name)).cloned().collect())).collect();
    let support = support_path(names);
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
