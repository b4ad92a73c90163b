//! Models: structs, string enums and polymorphic holders.

use super::*;

/// `#[cfg(...)]` requiring every feature in `features` (nothing for none).
pub(crate) fn cfg_attr(features: &BTreeSet<String>) -> String {
    Cfg { features, any: false }.to_string()
}

/// Features to require beyond those already required by `outer`.
pub(crate) fn extra_cfg(outer: &BTreeSet<String>, inner: BTreeSet<String>) -> String {
    if inner.is_subset(outer) {
        return String::new();
    }
    cfg_attr(&inner.difference(outer).cloned().collect())
}

/// The path of a type (of its `Kind` holder if `polymorphic` and it has one) from `ctx`.
pub(crate) fn named_path(t: &Type, ctx: Ctx, polymorphic: bool, out: &mut String) {
    let module = &t.module;
    match ctx {
        Ctx::Model(cur) if cur == module => {}
        Ctx::Model(_) => w!(out, "super::{}::", ident(module)),
        Ctx::ModelsRoot => w!(out, "{}::", ident(module)),
        Ctx::Requests => w!(out, "super::models::{}::", ident(module)),
    }
    out.push_str(&t.ident);
    if polymorphic && !t.derived.is_empty() {
        out.push_str("Kind");
    }
}

/// The Rust type of a type reference, from `ctx`.
pub(crate) fn rust_type(cx: &Cx, t: &TypeRef, ctx: Ctx) -> String {
    let mut out = String::new();
    write_type(cx, t, ctx, &mut out);
    out
}

fn write_type(cx: &Cx, t: &TypeRef, ctx: Ctx, out: &mut String) {
    let rt = &cx.rt;
    match t {
        TypeRef::Prim(p) => match p {
            Prim::String | Prim::Stream => out.push_str("::std::string::String"),
            Prim::Boolean => out.push_str("bool"),
            Prim::Byte => out.push_str("u8"),
            Prim::SByte => out.push_str("i8"),
            Prim::Int16 => out.push_str("i16"),
            Prim::Int32 => out.push_str("i32"),
            Prim::Int64 => out.push_str("i64"),
            Prim::Single => out.push_str("f32"),
            Prim::Double | Prim::Decimal => out.push_str("f64"),
            Prim::DateTimeOffset => w!(out, "{rt}::DateTimeOffset"),
            Prim::Date => w!(out, "{rt}::Date"),
            Prim::TimeOfDay => w!(out, "{rt}::TimeOfDay"),
            Prim::Duration => w!(out, "{rt}::Duration"),
            Prim::Guid => w!(out, "{rt}::Guid"),
            Prim::Binary => w!(out, "{rt}::Base64"),
            Prim::Json => w!(out, "{rt}::serde_json::Value"),
        },
        // Inference typed every name no page defines as raw JSON: a name resolves.
        TypeRef::Named(n) => match cx.low.ty(*n) {
            Some(t) if matches!(t.def.kind, TypeKind::Enum { flags: true, .. }) => {
                w!(out, "{rt}::Flags<");
                named_path(t, ctx, true, out);
                out.push('>');
            }
            Some(t) => named_path(t, ctx, true, out),
            None => w!(out, "{rt}::serde_json::Value"),
        },
        TypeRef::Collection(inner) => {
            out.push_str("::std::vec::Vec<");
            write_type(cx, inner, ctx, out);
            out.push('>');
        }
    }
}

/// A model: a struct or a string enum, with its docs.
pub(crate) fn emit_type(cx: &Cx, lt: &Type, out: &mut String) {
    let t = lt.def;
    let mut doc = t.doc.clone().unwrap_or_default();
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    w!(&mut doc, "`{}`, from `{}`.", t.full_name, t.span.file);
    match &t.kind {
        TypeKind::Struct { base, key, .. } => {
            if let Some(b) = base {
                w!(&mut doc, " Derived from `{}`; includes its properties.", cx.low.api.name(*b));
            }
            if let Some(k) = key {
                w!(&mut doc, " An entity type keyed by `{k}`.");
            }
            emit_struct(cx, lt, &doc, out)
        }
        TypeKind::Enum { members, flags } => {
            if *flags {
                doc.push_str(" A flags enum: properties of this type hold a comma-separated set.");
            }
            if members.iter().any(|m| m.evolvable) {
                doc.push_str(" An evolvable enum: the members after `unknownFutureValue` are sent only to a request with `Prefer: include-unknown-enum-members`.");
            }
            emit_enum(cx, lt, members, &doc, out)
        }
    }
}

/// A struct: its fields (inherited ones first), its one-pass `Deserialize`
/// (the runtime's `de::Fields`) and, for a polymorphic type, its `Kind` holder.
fn emit_struct(cx: &Cx, lt: &Type, doc: &str, out: &mut String) {
    let ctx = Ctx::Model(&lt.module);
    let own = lt.own_features();
    let cfg = cfg_attr(&own);
    let (rt, name, extra) = (&cx.rt, &lt.ident, &lt.extra_field);
    w!(
        out,
        "{cfg}{docs}{dep}#[derive(Debug, Clone, PartialEq, Default, {rt}::serde::Serialize)]
#[serde(crate = {serde})]
pub struct {name} {{
/// The `@odata.type` annotation: the name of the concrete type.
#[serde(rename = \"@odata.type\", skip_serializing_if = \"::std::option::Option::is_none\")]
pub odata_type: ::std::option::Option<::std::string::String>,
",
        docs = Docs(doc),
        dep = Deprecated(lt.def.deprecated.as_deref()),
        serde = Str(&format!("{rt}::serde")),
    );
    // Deserialization: each spelling of a property (wire name, then aliases)
    // to its field, read in one pass (see the runtime's `de` module).
    let mut seen: BTreeSet<&str> = BTreeSet::from(["@odata.type"]);
    let mut arms = String::new();
    let mut pdoc = String::new();
    for f in &lt.fields {
        let p = f.prop;
        let fid = ident(&f.name).to_string();
        pdoc.clear();
        if let Some(d) = p.doc.as_deref().filter(|d| !d.is_empty()) {
            pdoc.push_str(d);
            pdoc.push_str("\n\n");
        }
        w!(&mut pdoc, "`{}`: {}{}.", p.wire, cx.low.api.describe(&p.ty), if p.navigation { " (relationship)" } else { "" });
        for (i, a) in p.aliases.iter().enumerate() {
            w!(&mut pdoc, "{}`{a}`", if i == 0 { " Also read as " } else { ", " });
        }
        if !p.aliases.is_empty() {
            pdoc.push('.');
        }
        let fcfg = extra_cfg(&own, cx.low.ref_features(&p.ty));
        w!(out, "{fcfg}{}{}#[serde(", Docs(&pdoc), Deprecated(p.deprecated.as_deref()));
        // The name serde sees: `r#type` is `type`, but `self_` is `self_`.
        if fid.trim_start_matches("r#") != p.wire {
            w!(out, "rename = {}, ", Str(&p.wire));
        }
        // Absent, null and a value are three states (the runtime's `Nullable`):
        // absent is not serialized, null is.
        w!(out, "skip_serializing_if = \"{rt}::Nullable::is_absent\")]\npub {fid}: {rt}::Nullable<");
        if f.boxed {
            out.push_str("::std::boxed::Box<");
            write_type(cx, &p.ty, ctx, out);
            out.push('>');
        } else {
            write_type(cx, &p.ty, ctx, out);
        }
        out.push_str(">,\n");
        // Other spellings of the property that the docs show are read too.
        let mut spellings = std::iter::once(&p.wire).chain(&p.aliases).map(String::as_str).filter(|w| seen.insert(w)).peekable();
        if spellings.peek().is_some() {
            arms.push_str(&fcfg);
            for (i, s) in spellings.enumerate() {
                w!(&mut arms, "{}{}", if i == 0 { "" } else { " | " }, Str(s));
            }
            w!(&mut arms, " => self.{fid} = map.next_value()?,\n");
        }
    }
    w!(
        out,
        "/// Properties the docs do not list, kept so a round trip loses nothing.
#[serde(flatten)]
pub {extra}: {rt}::serde_json::Map<::std::string::String, {rt}::serde_json::Value>,
}}
{cfg}impl {rt}::de::Fields for {name} {{
const NAME: &'static str = {name_lit};
fn read_field<'de, A: {rt}::serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> ::std::result::Result<bool, A::Error> {{
match key {{
\"@odata.type\" => self.odata_type = map.next_value()?,
{arms}_ => return ::std::result::Result::Ok(false),
}}
::std::result::Result::Ok(true)
}}
fn additional_properties(&mut self) -> &mut {rt}::serde_json::Map<::std::string::String, {rt}::serde_json::Value> {{
&mut self.{extra}
}}
fn odata_type(&mut self) -> ::std::option::Option<&mut ::std::option::Option<::std::string::String>> {{
::std::option::Option::Some(&mut self.odata_type)
}}
}}
{cfg}{rt}::deserialize_fields!({name});
",
        name_lit = Str(name),
    );
    if lt.queryable {
        field_consts(cx, lt, &cfg, out);
    }
    if !lt.derived.is_empty() {
        emit_polymorphic(cx, lt, ctx, out);
    }
}

/// One constant per property, for `$select`, `$expand` and `$orderby`
/// (`Query::select(&[User::DISPLAY_NAME])`), on the types some operation queries.
fn field_consts(cx: &Cx, lt: &Type, cfg: &str, out: &mut String) {
    let rt = &cx.rt;
    w!(out, "{cfg}/// Property names, for `$select`, `$expand` and `$orderby`.\nimpl {} {{\n", lt.ident);
    for f in &lt.fields {
        w!(out, "pub const {}: {rt}::Field<Self> = {rt}::Field::new({});\n", f.name.to_uppercase(), Str(&f.prop.wire));
    }
    out.push_str("}\n");
}

/// A string enum: its members, the catch-all variant, and its wire spellings.
fn emit_enum(cx: &Cx, lt: &Type, members: &[EnumMember], doc: &str, out: &mut String) {
    let cfg = cfg_attr(&lt.own_features());
    let (rt, name, catch) = (&cx.rt, &lt.ident, ENUM_CATCH_ALL);
    let variants = &lt.variants;
    w!(out, "{cfg}{}{}#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]\npub enum {name} {{\n", Docs(doc), Deprecated(lt.def.deprecated.as_deref()));
    let mut d = String::new();
    for (m, v) in members.iter().zip(variants) {
        d.clear();
        if let Some(md) = m.doc.as_deref().filter(|md| !md.is_empty()) {
            d.push_str(md);
            d.push_str("\n\n");
        }
        w!(&mut d, "`{}`", m.wire);
        if let Some(value) = m.value {
            w!(&mut d, " (value {value})");
        }
        d.push('.');
        if m.evolvable {
            d.push_str(" Listed after `unknownFutureValue`: the service sends it only to a request with `Prefer: include-unknown-enum-members` (`Request::include_unknown_enum_members`), and `unknownFutureValue` in its place to others.");
        }
        w!(out, "{}{v},\n", Docs(&d));
    }
    w!(
        out,
        "/// A value this crate does not know, kept exactly as received.
{catch}(::std::string::String),
}}
{cfg}impl {name} {{
/// The members the docs list, as they are spelled on the wire.
pub const MEMBERS: &'static [&'static str] = &["
    );
    for (i, m) in members.iter().enumerate() {
        w!(out, "{}{}", if i == 0 { "" } else { ", " }, Str(&m.wire));
    }
    out.push_str("];\n/// The wire spelling.\npub fn as_str(&self) -> &str {\nmatch self {\n");
    for (m, v) in members.iter().zip(variants) {
        w!(out, "Self::{v} => {},\n", Str(&m.wire));
    }
    w!(
        out,
        "Self::{catch}(s) => s.as_str(),
}}
}}
/// Parse a wire value: exact match first, then case-insensitive; anything
/// else is kept in the catch-all variant.
pub fn from_wire(s: &str) -> Self {{
match s {{
"
    );
    // Every spelling of a member (its wire name and aliases) parses to it:
    // exactly, then case-insensitively.
    let mut lowers: Vec<(String, &String)> = Vec::new();
    for (m, v) in members.iter().zip(variants) {
        for s in std::iter::once(&m.wire).chain(&m.aliases) {
            w!(out, "{} => return Self::{v},\n", Str(s));
            let l = s.to_ascii_lowercase();
            if !lowers.iter().any(|(x, _)| *x == l) {
                lowers.push((l, v));
            }
        }
    }
    out.push_str("_ => {}\n}\nmatch s.to_ascii_lowercase().as_str() {\n");
    for (l, v) in &lowers {
        w!(out, "{} => Self::{v},\n", Str(l));
    }
    w!(
        out,
        "_ => Self::{catch}(s.to_owned()),
}}
}}
}}
{cfg}impl {rt}::StringEnum for {name} {{
fn as_str(&self) -> &str {{
{name}::as_str(self)
}}
fn from_wire(s: &str) -> Self {{
{name}::from_wire(s)
}}
}}
{cfg}{rt}::string_enum!({name});
"
    );
}

/// The `<Type>Kind` holder of a polymorphic type: the type or one derived from it.
pub(crate) fn emit_polymorphic(cx: &Cx, lt: &Type, ctx: Ctx, out: &mut String) {
    let (rt, base) = (&cx.rt, &lt.ident);
    let mut kind_variants = lt.kind_variants.iter();
    let base_variant = kind_variants.next().unwrap_or(base);
    let kind = format!("{base}Kind");
    let own = lt.own_features();
    let cfg = cfg_attr(&own);
    // (variant, path of the derived type, the variant's extra cfg, the impls' cfg, tag)
    let derived: Vec<(&String, String, String, String, String)> = lt
        .derived
        .iter()
        .zip(kind_variants)
        .filter_map(|(&d, v)| {
            let d = cx.low.ty(d)?;
            let mut path = String::new();
            named_path(d, ctx, false, &mut path);
            // A variant exists when its own area is built too.
            let vcfg = extra_cfg(&own, d.own_features());
            let icfg = cfg_attr(&own.union(&d.own_features()).cloned().collect());
            Some((v, path, vcfg, icfg, d.def.full_name.to_ascii_lowercase()))
        })
        .collect();
    let doc = format!(
        "A `{}` or one of its derived types, chosen by `@odata.type` when deserializing.\nAn unknown `@odata.type` falls back to the base type, which keeps the fields it does not know.",
        lt.def.full_name
    );
    w!(out, "{cfg}{}#[derive(Debug, Clone, PartialEq)]\npub enum {kind} {{\n{base_variant}({base}),\n", Docs(&doc));
    for (v, path, vcfg, _, _) in &derived {
        w!(out, "{vcfg}{v}({path}),\n");
    }
    w!(
        out,
        "}}
{cfg}impl ::std::default::Default for {kind} {{
fn default() -> Self {{
Self::{base_variant}(::std::default::Default::default())
}}
}}
{cfg}impl ::std::convert::From<{base}> for {kind} {{
fn from(value: {base}) -> Self {{
Self::{base_variant}(value)
}}
}}
"
    );
    for (v, path, _, icfg, _) in &derived {
        w!(out, "{icfg}impl ::std::convert::From<{path}> for {kind} {{\nfn from(value: {path}) -> Self {{\nSelf::{v}(value)\n}}\n}}\n");
    }
    // Single-valued fields hold a `Nullable<Box<Kind>>`: `.into()` fills them from
    // any variant.
    w!(
        out,
        "{cfg}impl ::std::convert::From<{base}> for {rt}::Nullable<::std::boxed::Box<{kind}>> {{
fn from(value: {base}) -> Self {{
{rt}::Nullable::Value(::std::boxed::Box::new({kind}::{base_variant}(value)))
}}
}}
"
    );
    for (v, path, _, icfg, _) in &derived {
        w!(out, "{icfg}impl ::std::convert::From<{path}> for {rt}::Nullable<::std::boxed::Box<{kind}>> {{\nfn from(value: {path}) -> Self {{\n{rt}::Nullable::Value(::std::boxed::Box::new({kind}::{v}(value)))\n}}\n}}\n");
    }
    w!(
        out,
        "{cfg}impl {rt}::serde::Serialize for {kind} {{
fn serialize<S: {rt}::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {{
match self {{
Self::{base_variant}(v) => v.serialize(serializer),
"
    );
    for (v, _, vcfg, _, _) in &derived {
        w!(out, "{vcfg}Self::{v}(v) => v.serialize(serializer),\n");
    }
    w!(
        out,
        "}}
}}
}}
{cfg}impl {rt}::de::Polymorphic for {kind} {{
const NAME: &'static str = {kind_lit};
fn dispatch<'de, S: {rt}::de::Source<'de>>(key: ::std::option::Option<&str>, source: S) -> ::std::result::Result<Self, S::Error> {{
match key {{
",
        kind_lit = Str(&kind),
    );
    for (v, _, vcfg, _, tag) in &derived {
        w!(out, "{vcfg}::std::option::Option::Some({}) => source.read().map(Self::{v}),\n", Str(tag));
    }
    w!(
        out,
        "_ => source.read().map(Self::{base_variant}),
}}
}}
}}
{cfg}{rt}::deserialize_polymorphic!({kind});
"
    );
}
