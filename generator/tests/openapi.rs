//! `msgraph-gen openapi`: the document parses with the `openapiv3` crate, and its
//! schemas agree with the Rust models generated from the same docs: every type,
//! property and enum member is in both, with matching types. Checked on this
//! repository's docs, the `features` fixture (inheritance, every primitive, table,
//! prose and flags enums) and the whole Graph v1.0 reference of `../shared`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use msgraph_gen::{generate_sources, internals, openapi, read_docs, Generated};
use openapiv3::{IntegerFormat, NumberFormat, OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};
use quote::ToTokens;

fn generate(dir: &Path) -> Generated {
    match generate_sources(read_docs(dir).expect("docs readable")) {
        Ok(g) => g,
        Err(e) => panic!("{}: {e}", dir.display()),
    }
}

// ---- The generated Rust models, read back with syn. ----

#[derive(Default)]
struct RustModels {
    /// full wire name -> (Rust type name, field wire name -> field type)
    structs: BTreeMap<String, (String, BTreeMap<String, String>)>,
    /// full wire name -> (Rust type name, members)
    enums: BTreeMap<String, (String, Vec<String>)>,
}

fn docs_of(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The full wire name a generated item's doc names: "`microsoft.graph.call`, from `...".
fn full_name(attrs: &[syn::Attribute]) -> Option<String> {
    let doc = docs_of(attrs);
    let at = doc.find("`, from `")?;
    let start = doc[..at].rfind('`')? + 1;
    Some(doc[start..at].to_string())
}

fn compact(t: &impl ToTokens) -> String {
    // prettyplease breaks long generics with a trailing comma.
    t.to_token_stream().to_string().replace(' ', "").replace(",>", ">")
}

/// A runtime macro's table, `Name { entry, entry, .. }`, as (type name, entries):
/// each entry the identifier before its `:` or `=` and the string literals after it
/// (its wire spellings, the first being the wire name). `#[cfg]`s, `as CONSTANT` and
/// `..map` are skipped.
/// A macro table: the type's name, and each entry's identifier with its wire spellings.
type MacroTable = (String, Vec<(String, Vec<String>)>);

fn macro_table(mac: &syn::Macro) -> Option<MacroTable> {
    use proc_macro2::TokenTree;
    let mut outer = mac.tokens.clone().into_iter();
    let name = match outer.next()? {
        TokenTree::Ident(i) => i.to_string(),
        _ => return None,
    };
    let body = match outer.next()? {
        TokenTree::Group(g) => g.stream(),
        _ => return None,
    };
    let mut entries: Vec<(String, Vec<String>)> = Vec::new();
    let mut last_ident: Option<String> = None;
    let mut open: Option<(String, Vec<String>)> = None;
    for tt in body {
        match tt {
            TokenTree::Ident(i) => last_ident = Some(i.to_string()),
            TokenTree::Punct(p) if (p.as_char() == ':' || p.as_char() == '=') && open.is_none() => open = last_ident.take().map(|i| (i, Vec::new())),
            TokenTree::Literal(l) => {
                if let Some((_, spellings)) = open.as_mut() {
                    spellings.push(l.to_string().trim_matches('"').to_string());
                }
            }
            TokenTree::Punct(p) if p.as_char() == ',' => entries.extend(open.take()),
            _ => {}
        }
    }
    entries.extend(open);
    Some((name, entries))
}

fn read_models(g: &Generated) -> RustModels {
    let mut m = RustModels::default();
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // (file, Rust type name) -> Rust field name -> wire name, from the `model!`
    // tables (a table follows its struct in the struct's file).
    let mut wires: BTreeMap<(String, String), BTreeMap<String, String>> = BTreeMap::new();
    // full wire name -> (file, Rust type name, (Rust field name, field type))
    type StructFields = (String, String, Vec<(String, String)>);
    let mut structs: BTreeMap<String, StructFields> = BTreeMap::new();
    for (path, text) in &g.files {
        if !path.starts_with("models/") || path == "models/mod.rs" {
            continue;
        }
        let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        for item in file.items {
            match item {
                syn::Item::Struct(s) => {
                    let full = full_name(&s.attrs).unwrap_or_else(|| panic!("{path}: struct {} names no wire type", s.ident));
                    let fields = s.fields.iter().map(|f| (f.ident.as_ref().unwrap().to_string(), compact(&f.ty))).collect();
                    structs.insert(full, (path.clone(), s.ident.to_string(), fields));
                }
                syn::Item::Enum(e) if e.variants.iter().any(|v| v.ident == "Unrecognized") => {
                    let full = full_name(&e.attrs).unwrap_or_else(|| panic!("{path}: enum {} names no wire type", e.ident));
                    m.enums.insert(full, (e.ident.to_string(), Vec::new()));
                }
                syn::Item::Macro(mac) => {
                    let which = mac.mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                    let Some((name, entries)) = macro_table(&mac.mac) else { continue };
                    match which.as_str() {
                        "model" => {
                            wires.insert((path.clone(), name), entries.into_iter().map(|(f, spellings)| (f, spellings[0].clone())).collect());
                        }
                        "string_enum" => {
                            members.insert(name, entries.into_iter().map(|(_, spellings)| spellings[0].clone()).collect());
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }
    // A field is a property under the wire name its struct's table gives; the
    // others (`odata_type`, the map of undeclared properties) are not.
    for (full, (path, ident, fields)) in structs {
        let table = wires.remove(&(path, ident.clone())).unwrap_or_else(|| panic!("struct {ident} has a model! table"));
        let fields = fields.into_iter().filter_map(|(f, ty)| Some((table.get(&f)?.clone(), ty))).collect();
        m.structs.insert(full, (ident, fields));
    }
    for (ident, list) in m.enums.values_mut() {
        *list = members.remove(ident.as_str()).unwrap_or_else(|| panic!("enum {ident} has a string_enum! table"));
    }
    m
}

/// A Rust field type in the vocabulary of [`describe_schema`]: `Nullable`, `Option`
/// and `Box` dropped, `Vec<T>` as `array<T>`, named types by their Rust name.
fn describe_rust(ty: &str) -> String {
    let ty = ty.strip_prefix("::msgraph_runtime::Nullable<").and_then(|t| t.strip_suffix('>')).unwrap_or(ty);
    let ty = ty.strip_prefix("::std::option::Option<").and_then(|t| t.strip_suffix('>')).unwrap_or(ty);
    let ty = ty.strip_prefix("::std::boxed::Box<").and_then(|t| t.strip_suffix('>')).unwrap_or(ty);
    if let Some(inner) = ty.strip_prefix("::std::vec::Vec<").and_then(|t| t.strip_suffix('>')) {
        return format!("array<{}>", describe_rust(inner));
    }
    if let Some(i) = ty.find("msgraph_runtime::Flags<") {
        let inner = &ty[i + "msgraph_runtime::Flags<".len()..ty.len() - 1];
        return format!("flags<{}>", inner.rsplit("::").next().unwrap());
    }
    let last = ty.rsplit("::").next().unwrap();
    match (ty, last) {
        ("::std::string::String", _) => "string".into(),
        ("bool", _) => "boolean".into(),
        ("u8", _) => "integer:uint8".into(),
        ("i8", _) => "integer:int8".into(),
        ("i16", _) => "integer:int16".into(),
        ("i32", _) => "integer:int32".into(),
        ("i64", _) => "integer:int64".into(),
        ("f32", _) => "number:float".into(),
        ("f64", _) => "number:double|decimal".into(),
        ("::msgraph_runtime::serde_json::Value", _) => "any".into(),
        (t, "DateTimeOffset") if t.starts_with("::msgraph_runtime::") => "string:date-time".into(),
        (t, "Date") if t.starts_with("::msgraph_runtime::") => "string:date".into(),
        (t, "TimeOfDay") if t.starts_with("::msgraph_runtime::") => "string:time".into(),
        (t, "Duration") if t.starts_with("::msgraph_runtime::") => "string:duration".into(),
        (t, "Guid") if t.starts_with("::msgraph_runtime::") => "string:uuid".into(),
        (t, "Base64") if t.starts_with("::msgraph_runtime::") => "string:byte".into(),
        (_, name) => format!("ref:{name}"),
    }
}

// ---- The OpenAPI document, read with openapiv3. ----

struct Doc<'a> {
    schemas: &'a indexmap::IndexMap<String, ReferenceOr<Schema>>,
    /// component name -> Rust type name
    rust_names: BTreeMap<String, String>,
}

fn target<'a>(doc: &Doc<'a>, reference: &str) -> (&'a str, &'a Schema) {
    let name = reference.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("bad $ref {reference}"));
    match doc.schemas.get_key_value(name) {
        Some((k, ReferenceOr::Item(s))) => (k.as_str(), s),
        _ => panic!("$ref {reference} points at no schema"),
    }
}

fn describe_ref(doc: &Doc, reference: &str) -> String {
    let (name, s) = target(doc, reference);
    let rust = doc.rust_names.get(name).unwrap_or_else(|| panic!("schema {name} has no Rust model"));
    if s.schema_data.extensions.get("x-msgraph-flags") == Some(&serde_json::Value::Bool(true)) {
        format!("flags<{rust}>")
    } else if s.schema_data.discriminator.is_some() {
        format!("ref:{rust}Kind")
    } else {
        format!("ref:{rust}")
    }
}

fn format_of<T: std::fmt::Debug>(f: &VariantOrUnknownOrEmpty<T>, known: impl Fn(&T) -> &'static str) -> String {
    match f {
        VariantOrUnknownOrEmpty::Item(i) => format!(":{}", known(i)),
        VariantOrUnknownOrEmpty::Unknown(s) => format!(":{s}"),
        VariantOrUnknownOrEmpty::Empty => String::new(),
    }
}

fn describe_schema(doc: &Doc, s: &ReferenceOr<Box<Schema>>) -> String {
    match s {
        ReferenceOr::Reference { reference } => describe_ref(doc, reference),
        ReferenceOr::Item(s) => match &s.schema_kind {
            // A described reference: `allOf` of one `$ref`.
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => match &all_of[0] {
                ReferenceOr::Reference { reference } => describe_ref(doc, reference),
                other => panic!("allOf of an inline schema: {other:?}"),
            },
            SchemaKind::Any(_) => "any".into(),
            SchemaKind::Type(Type::Boolean(_)) => "boolean".into(),
            SchemaKind::Type(Type::String(t)) => {
                let f = format_of(&t.format, |f| match f {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                    StringFormat::Password => "password",
                });
                // Rust reads a binary stream as a String.
                if f == ":binary" {
                    "string".into()
                } else {
                    format!("string{f}")
                }
            }
            SchemaKind::Type(Type::Integer(t)) => format!(
                "integer{}",
                format_of(&t.format, |f| match f {
                    IntegerFormat::Int32 => "int32",
                    IntegerFormat::Int64 => "int64",
                })
            ),
            SchemaKind::Type(Type::Number(t)) => {
                let f = format_of(&t.format, |f| match f {
                    NumberFormat::Float => "float",
                    NumberFormat::Double => "double",
                });
                // Double and Decimal are both f64.
                if f == ":double" || f == ":decimal" {
                    "number:double|decimal".into()
                } else {
                    format!("number{f}")
                }
            }
            SchemaKind::Type(Type::Array(a)) => format!("array<{}>", describe_schema(doc, a.items.as_ref().expect("array items"))),
            other => panic!("unexpected property schema {other:?}"),
        },
    }
}

/// The properties of a component, inherited ones included (`allOf` of its base
/// and its own object), base first; `@odata.type` left out.
fn properties<'a>(doc: &Doc<'a>, s: &'a Schema, out: &mut BTreeMap<String, &'a ReferenceOr<Box<Schema>>>) {
    match &s.schema_kind {
        SchemaKind::Type(Type::Object(o)) => {
            for (k, v) in &o.properties {
                if k != "@odata.type" {
                    out.insert(k.clone(), v);
                }
            }
        }
        SchemaKind::AllOf { all_of } => {
            for part in all_of {
                match part {
                    ReferenceOr::Reference { reference } => properties(doc, target(doc, reference).1, out),
                    ReferenceOr::Item(s) => properties(doc, s, out),
                }
            }
        }
        other => panic!("a struct schema is an object or allOf: {other:?}"),
    }
}

/// Check the document of `dir` against the Rust models generated from it; the
/// number of types, properties and enum members compared.
fn check(dir: &Path) -> (usize, usize, usize) {
    let g = generate(dir);
    let json = openapi::document(&g.api);
    let api: OpenAPI = serde_json::from_value(json).expect("parses as OpenAPI 3.0 with openapiv3");
    assert_eq!(api.openapi, "3.0.3");
    let models = read_models(&g);
    let schemas = &api.components.as_ref().expect("components").schemas;
    let rust_names = models
        .structs
        .iter()
        .map(|(k, v)| (internals::openapi::component_name(k), v.0.clone()))
        .chain(models.enums.iter().map(|(k, v)| (internals::openapi::component_name(k), v.0.clone())))
        .collect();
    let doc = Doc { schemas, rust_names };

    // Every type is in both.
    let in_doc: BTreeSet<&str> = schemas.keys().map(String::as_str).filter(|k| *k != internals::openapi::ERROR_SCHEMA).collect();
    let in_rust: BTreeSet<String> = models.structs.keys().chain(models.enums.keys()).map(|k| internals::openapi::component_name(k)).collect();
    assert_eq!(in_doc, in_rust.iter().map(String::as_str).collect(), "the same types in the document and the Rust models");

    let (mut props, mut members) = (0, 0);
    let mut mismatches = Vec::new();
    for (full, (ident, fields)) in &models.structs {
        let ReferenceOr::Item(s) = &schemas[&internals::openapi::component_name(full)] else { panic!("{full} is inline") };
        let mut ps = BTreeMap::new();
        properties(&doc, s, &mut ps);
        assert_eq!(ps.keys().collect::<Vec<_>>(), fields.keys().collect::<Vec<_>>(), "properties of {full} ({ident})");
        for (wire, rust_ty) in fields {
            let (r, o) = (describe_rust(rust_ty), describe_schema(&doc, ps[wire]));
            if r != o {
                mismatches.push(format!("{full}.{wire}: Rust {rust_ty} ({r}) vs OpenAPI {o}"));
            }
            props += 1;
        }
    }
    for (full, (ident, list)) in &models.enums {
        let ReferenceOr::Item(s) = &schemas[&internals::openapi::component_name(full)] else { panic!("{full} is inline") };
        let SchemaKind::Type(Type::String(t)) = &s.schema_kind else { panic!("enum {full} is a string schema") };
        let doc_members: Vec<String> = t.enumeration.iter().map(|m| m.clone().expect("no null member")).collect();
        assert_eq!(&doc_members, list, "members of {full} ({ident})");
        members += list.len();
    }
    assert!(mismatches.is_empty(), "{} type mismatch(es):\n{}", mismatches.len(), mismatches.join("\n"));

    // Operations: every operation of the request surface is an operation of the
    // document (its Rust call the operationId, once), and every request line of the
    // docs is one of them or in its `x-msgraph-also`.
    let mut ids = BTreeSet::new();
    let mut sources = Vec::new();
    for (path, item) in &api.paths.paths {
        let ReferenceOr::Item(item) = item else { panic!("{path} is a reference") };
        for (_, op) in item.iter() {
            let id = op.operation_id.clone().expect("operationId");
            assert!(id.starts_with("requests::"), "{id}");
            assert!(ids.insert(id.clone()), "{id} twice");
            sources.push(op.extensions["x-msgraph-source"].as_str().unwrap().to_string());
            for also in op.extensions.get("x-msgraph-also").and_then(|v| v.as_array()).into_iter().flatten() {
                sources.push(also["x-msgraph-source"].as_str().unwrap().to_string());
            }
            let mut declared = BTreeSet::new();
            for p in &op.parameters {
                let ReferenceOr::Item(p) = p else { panic!("parameter reference") };
                if let openapiv3::Parameter::Path { parameter_data, .. } = p {
                    assert!(path.contains(&format!("{{{}}}", parameter_data.name)), "{path} has parameter {}", parameter_data.name);
                    assert!(declared.insert(parameter_data.name.clone()), "{path}: {} declared twice", parameter_data.name);
                }
            }
            // Every parameter of the template is declared.
            let in_path: BTreeSet<String> = path.split('{').skip(1).filter_map(|s| s.split_once('}')).map(|(n, _)| n.to_string()).collect();
            assert_eq!(in_path, declared, "{path}");
        }
    }
    sources.sort();
    let mut want: Vec<String> = g.api.operations.iter().map(|o| format!("{}:{}", o.span.file, o.span.line())).collect();
    want.sort();
    assert_eq!(sources, want, "every request line is in the document once");
    // The Rust calls are those of the generated requests: each ends in a method of
    // the generated code.
    let requests: String = g.files.iter().filter(|(k, _)| k.starts_with("requests")).map(|(_, v)| v.as_str()).collect();
    for id in &ids {
        let name = id.rsplit(['.', ':']).next().unwrap();
        // (a keyword is a raw identifier: `move` -> `r#move`)
        assert!(
            requests.contains(&format!("pub fn {name}(")) || requests.contains(&format!("pub fn r#{name}(")),
            "{id}: no `pub fn {name}` in the generated requests"
        );
    }
    // Every example that shows a status other than the operation's success has a
    // response of that status.
    for op in &g.api.operations {
        let (path, _) = internals::openapi::path_and_params(op);
        for ex in op.examples.iter().filter(|e| e.status.is_some_and(|s| s != op.success_status)) {
            let status = ex.status.unwrap().to_string();
            // Paths compared by shape, `/me` as `/users/{id}` and a drive's `root` as
            // `items/{id}` (one operation each in the document).
            let shape = |p: &str| {
                let p =
                    p.strip_prefix("/me/")
                        .map(|r| format!("/users/{{}}/{r}"))
                        .unwrap_or_else(|| if p == "/me" { "/users/{}".to_string() } else { p.to_string() });
                let segs: Vec<&str> = p.split('/').map(|s| if s.starts_with('{') { "{}" } else { s }).collect();
                let mut out: Vec<String> = Vec::new();
                for (i, s) in segs.iter().enumerate() {
                    let after_drive = i > 0 && (segs[i - 1].eq_ignore_ascii_case("drive") || (i > 1 && segs[i - 2].eq_ignore_ascii_case("drives")));
                    if after_drive && s.eq_ignore_ascii_case("root") {
                        out.push("items".into());
                        out.push("{}".into());
                    } else {
                        out.push(s.to_ascii_lowercase());
                    }
                }
                out.join("/")
            };
            let item = api.paths.paths.iter().find(|(p, _)| shape(p) == shape(&path)).map(|(_, i)| i).expect("path");
            let ReferenceOr::Item(item) = item else { panic!() };
            let found = item.iter().any(|(m, o)| m.eq_ignore_ascii_case(&op.method) && o.responses.responses.keys().any(|k| k.to_string() == status));
            assert!(found, "{} {path}: no {status} response for {}:{}", op.method, ex.span.file, ex.span.line());
        }
    }
    (models.structs.len() + models.enums.len(), props, members)
}

#[test]
fn repository_docs_match_the_generated_models() {
    let (types, props, members) = check(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs"));
    assert!(types >= 20 && props >= 70 && members >= 30, "{types} {props} {members}");
}

#[test]
fn features_fixture_matches_the_generated_models() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/features");
    check(&dir);
    // Inheritance, discriminators, formats and sources, as the document writes them.
    let g = generate(&dir);
    let doc = openapi::document(&g.api);
    let s = &doc["components"]["schemas"];
    assert_eq!(s["microsoft.graph.circle"]["allOf"][0]["$ref"], "#/components/schemas/microsoft.graph.shape");
    assert_eq!(s["microsoft.graph.shape"]["discriminator"]["propertyName"], "@odata.type");
    assert_eq!(s["microsoft.graph.shape"]["discriminator"]["mapping"]["#microsoft.graph.circle"], "#/components/schemas/microsoft.graph.circle");
    let drawing = &s["microsoft.graph.drawing"]["properties"];
    for (prop, format) in [("due", "date"), ("ownerId", "uuid"), ("budget", "duration"), ("thumbnail", "byte"), ("revision", "int64")] {
        assert_eq!(drawing[prop]["format"], format, "{prop}");
    }
    assert_eq!(s["microsoft.graph.permission"]["x-msgraph-flags"], true);
    assert!(drawing["id"]["x-msgraph-source"].as_str().unwrap().starts_with("resources/drawing.md:"));
    let get = &doc["paths"]["/drawings/{drawing-id}"]["get"];
    assert_eq!(get["operationId"], "requests::drawings().by_id(..).get");
    assert_eq!(get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/microsoft.graph.drawing");
    let params: Vec<&str> = get["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(params, ["drawing-id", "$expand", "$select"]);
    assert_eq!(get["x-msgraph-source"].as_str().unwrap().split(':').next(), Some("api/drawing-get.md"));
    // The docs' example, with its page and line.
    let example = &get["responses"]["200"]["content"]["application/json"]["examples"]["get_drawing"];
    assert_eq!(example["value"]["id"], "d1");
    assert_eq!(example["value"]["main"]["@odata.type"], "#microsoft.graph.circle");
    assert!(example["x-msgraph-source"].as_str().unwrap().starts_with("api/drawing-get.md:"));
    let list = &doc["paths"]["/drawings/{drawing-id}/shapes"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(list["properties"]["value"]["items"]["$ref"], "#/components/schemas/microsoft.graph.shape");
    assert_eq!(list["properties"]["@odata.nextLink"]["type"], "string");
}

#[test]
fn whole_v1_reference_matches_the_generated_models() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/graph-docs-2020/api-reference/v1.0");
    let (types, props, members) = check(&dir);
    assert!(types > 1000 && props > 6000 && members > 1000, "{types} types, {props} properties, {members} members");
}

#[test]
fn cli_writes_the_document_and_it_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("graph.json");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_msgraph-gen")).args(args).current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("..")).output().unwrap()
    };
    let o = run(&["openapi", "docs", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let written = std::fs::read_to_string(&out).unwrap();
    let stdout = run(&["openapi", "docs"]);
    assert_eq!(String::from_utf8(stdout.stdout).unwrap(), written, "--out and standard output agree");
    let _: OpenAPI = serde_json::from_str(&written).unwrap();
    // Same docs in any file order: same bytes.
    let mut files = read_docs(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs")).unwrap();
    files.reverse();
    assert_eq!(openapi::to_string(&msgraph_gen::infer_api(files).0), written);
}

/// Every case of the bad-input catalogue still gives an OpenAPI document that
/// parses, and an API surface: no panic, whatever the docs hold.
#[test]
fn bad_inputs_give_a_document_and_a_surface() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    let mut cases = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(files) = read_docs(&dir) else { continue };
        let (api, _) = msgraph_gen::infer_api(files);
        let text = openapi::to_string(&api);
        let parsed: Result<OpenAPI, _> = serde_json::from_str(&text);
        assert!(parsed.is_ok(), "{}: {:?}", dir.display(), parsed.err());
        let surface = msgraph_gen::diff::Surface::of(&api);
        assert!(msgraph_gen::diff::diff(&surface, &surface).is_empty());
        let added = msgraph_gen::diff::diff(&Default::default(), &surface);
        assert!(!added.is_breaking(), "{}", dir.display());
        cases += 1;
    }
    assert!(cases >= 40, "{cases} cases");
}
