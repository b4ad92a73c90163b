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

/// A model: a struct or a string enum, with its docs, then the runtime macro
/// invocation that implements it from its wire-name table. `gate`: the features
/// the file's `include!` already requires (an item needs a `#[cfg]` only for more).
pub(crate) fn emit_type(cx: &Cx, lt: &Type, gate: &BTreeSet<String>, file: &mut FileText) -> Result<(), String> {
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
            emit_struct(cx, lt, gate, &doc, file)
        }
        TypeKind::Enum { members, flags } => {
            if *flags {
                doc.push_str(" A flags enum: properties of this type hold a comma-separated set.");
            }
            if members.iter().any(|m| m.evolvable) {
                doc.push_str(
                    " An evolvable enum: the members after `unknownFutureValue` are sent only to a request with `Prefer: include-unknown-enum-members`.",
                );
            }
            emit_enum(cx, lt, gate, members, &doc, file)
        }
    }
}

/// `#[cfg]` lines indented for a macro invocation's table.
pub(crate) fn indented(cfg: &str, indent: &str, out: &mut String) {
    for line in cfg.lines() {
        w!(out, "{indent}{line}\n");
    }
}

/// A struct: its documented fields (inherited ones first), then `model!` with its
/// wire-name table, which implements `Serialize`, the one-pass `Deserialize` (the
/// runtime's `de::Fields`) and, on the types some operation queries, a `Field`
/// constant per property; for a polymorphic type, its `Kind` holder.
fn emit_struct(cx: &Cx, lt: &Type, gate: &BTreeSet<String>, doc: &str, file: &mut FileText) -> Result<(), String> {
    let ctx = Ctx::Model(&lt.module);
    let own = lt.own_features();
    let cfg = extra_cfg(gate, own.clone());
    let (rt, name, extra) = (&cx.rt, &lt.ident, &lt.extra_field);
    // The table: one line per field, `field: "wire" | "alias" as CONSTANT,`.
    let mut table = String::new();
    file.item(|out| {
        w!(
            out,
            "{cfg}{docs}{dep}#[derive(Debug, Clone, PartialEq, Default)]
pub struct {name} {{
/// The `@odata.type` annotation: the name of the concrete type.
pub odata_type: ::std::option::Option<::std::string::String>,
",
            docs = Docs(doc),
            dep = Deprecated(lt.def.deprecated.as_deref()),
        );
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
            // Absent, null and a value are three states (the runtime's `Nullable`):
            // absent is not serialized, null is.
            w!(out, "{fcfg}{}{}pub {fid}: {rt}::Nullable<", Docs(&pdoc), Deprecated(p.deprecated.as_deref()));
            if f.boxed {
                out.push_str("::std::boxed::Box<");
                write_type(cx, &p.ty, ctx, out);
                out.push('>');
            } else {
                write_type(cx, &p.ty, ctx, out);
            }
            out.push_str(">,\n");
            // Every spelling the docs show is read (a spelling an earlier field
            // has is read by that field: the macro's `match` takes the first arm).
            indented(&fcfg, "        ", &mut table);
            w!(&mut table, "        {fid}: {}", Str(&p.wire));
            for a in &p.aliases {
                w!(&mut table, " | {}", Str(a));
            }
            if lt.queryable {
                w!(&mut table, " as {}", f.name.to_uppercase());
            }
            table.push_str(",\n");
        }
        w!(
            out,
            "/// Properties the docs do not list, kept so a round trip loses nothing.
pub {extra}: {rt}::serde_json::Map<::std::string::String, {rt}::serde_json::Value>,
}}
"
        );
    })?;
    file.verbatim(|out| w!(out, "{cfg}{rt}::model! {{\n    {name} {{\n{table}        ..{extra}\n    }}\n}}\n"))?;
    if !lt.derived.is_empty() {
        emit_polymorphic(cx, lt, gate, ctx, file)?;
    }
    Ok(())
}

/// A string enum: its members and the catch-all variant, then `string_enum!` with
/// each member's wire spellings.
fn emit_enum(cx: &Cx, lt: &Type, gate: &BTreeSet<String>, members: &[EnumMember], doc: &str, file: &mut FileText) -> Result<(), String> {
    let cfg = extra_cfg(gate, lt.own_features());
    let (rt, name, catch) = (&cx.rt, &lt.ident, ENUM_CATCH_ALL);
    let variants = &lt.variants;
    file.item(|out| {
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
        w!(out, "/// A value this crate does not know, kept exactly as received.\n{catch}(::std::string::String),\n}}\n");
    })?;
    // Every spelling of a member (its wire name, then its aliases) parses to it:
    // exactly, then ignoring ASCII case.
    file.verbatim(|out| {
        w!(out, "{cfg}{rt}::string_enum! {{\n    {name} {{\n");
        for (m, v) in members.iter().zip(variants) {
            w!(out, "        {v} = {}", Str(&m.wire));
            for a in &m.aliases {
                w!(out, " | {}", Str(a));
            }
            out.push_str(",\n");
        }
        out.push_str("    }\n}\n");
    })
}

/// The `<Type>Kind` holder of a polymorphic type (the type or one derived from
/// it), then `polymorphic!` with the `@odata.type` of each derived type.
pub(crate) fn emit_polymorphic(cx: &Cx, lt: &Type, gate: &BTreeSet<String>, ctx: Ctx, file: &mut FileText) -> Result<(), String> {
    let (rt, base) = (&cx.rt, &lt.ident);
    let mut kind_variants = lt.kind_variants.iter();
    let base_variant = kind_variants.next().unwrap_or(base);
    let kind = format!("{base}Kind");
    let own = lt.own_features();
    let cfg = extra_cfg(gate, own.clone());
    // (variant, path of the derived type, the variant's extra cfg, tag)
    let derived: Vec<(&String, String, String, String)> = lt
        .derived
        .iter()
        .zip(kind_variants)
        .filter_map(|(&d, v)| {
            let d = cx.low.ty(d)?;
            let mut path = String::new();
            named_path(d, ctx, false, &mut path);
            // A variant exists when its own area is built too.
            let vcfg = extra_cfg(&own, d.own_features());
            Some((v, path, vcfg, d.def.full_name.to_ascii_lowercase()))
        })
        .collect();
    let doc = format!(
        "A `{}` or one of its derived types, chosen by `@odata.type` when deserializing.\nAn unknown `@odata.type` falls back to the base type, which keeps the fields it does not know.",
        lt.def.full_name
    );
    file.item(|out| {
        w!(out, "{cfg}{}#[derive(Debug, Clone, PartialEq)]\npub enum {kind} {{\n{base_variant}({base}),\n", Docs(&doc));
        for (v, path, vcfg, _) in &derived {
            w!(out, "{vcfg}{v}({path}),\n");
        }
        out.push_str("}\n");
    })?;
    file.verbatim(|out| {
        w!(out, "{cfg}{rt}::polymorphic! {{\n    {kind} {{\n        {base_variant}({base}),\n");
        for (v, path, vcfg, tag) in &derived {
            indented(vcfg, "        ", out);
            w!(out, "        {} => {v}({path}),\n", Str(tag));
        }
        out.push_str("    }\n}\n");
    })
}
