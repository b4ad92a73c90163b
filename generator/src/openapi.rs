//! The inferred API as an OpenAPI 3.0 document.
//!
//! [`document`] turns the [`Api`] model (what the generator inferred from the
//! docs) into an OpenAPI 3.0.3 document, as JSON:
//!
//! * `components.schemas`: one schema per type, keyed by its full wire name
//!   (`microsoft.graph.call`). A derived type is `allOf` its base and its own
//!   properties; a type with derived types has a `discriminator` on `@odata.type`
//!   mapping each `#<full name>` to its schema. Enums are string enums (a flags
//!   enum is marked `x-msgraph-flags`: its values travel as a comma-separated
//!   set). Primitive types get their formats (`date-time`, `date`, `time`,
//!   `duration`, `uuid`, `byte`, `int32`, ...).
//! * `paths`: one operation per API page request line, with its path parameters,
//!   documented query options and request headers, request body, success response
//!   (a collection response is a page: `value` plus `@odata.nextLink`), a
//!   response for every other status an example shows, a default Graph error
//!   response, and the docs' request and response examples (`examples`). Two pages that document the same method and
//!   path share one operation: the first by id keeps it, the others are listed in
//!   its `x-msgraph-also`.
//! * every schema, property, enum member and operation carries
//!   `x-msgraph-source`: the docs page and line it was inferred from.
//!
//! Pure: the same model gives the same bytes ([`to_string`]).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use crate::diag::Span;
use crate::model::{Api, Example, Operation, Prim, ResponseBody, TypeKind, TypeRef};
use names::{component_name, path_and_params, ERROR_SCHEMA};

/// The extension that points an item at its docs page and line.
const SOURCE: &str = "x-msgraph-source";

fn source(span: &Span) -> Value {
    Value::String(format!("{}:{}", span.file, span.line()))
}

fn schema_ref(full: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{}", component_name(full)) })
}

/// The schema of a primitive type.
fn prim_schema(p: Prim) -> Value {
    let (ty, format) = match p {
        Prim::String => ("string", None),
        Prim::Stream => ("string", Some("binary")),
        Prim::Boolean => ("boolean", None),
        Prim::Byte => ("integer", Some("uint8")),
        Prim::SByte => ("integer", Some("int8")),
        Prim::Int16 => ("integer", Some("int16")),
        Prim::Int32 => ("integer", Some("int32")),
        Prim::Int64 => ("integer", Some("int64")),
        Prim::Single => ("number", Some("float")),
        Prim::Double => ("number", Some("double")),
        Prim::Decimal => ("number", Some("decimal")),
        Prim::DateTimeOffset => ("string", Some("date-time")),
        Prim::Date => ("string", Some("date")),
        Prim::TimeOfDay => ("string", Some("time")),
        Prim::Duration => ("string", Some("duration")),
        Prim::Guid => ("string", Some("uuid")),
        Prim::Binary => ("string", Some("byte")),
        // Any JSON value: a schema without a type.
        Prim::Json => return json!({}),
    };
    let mut m = Map::new();
    m.insert("type".into(), ty.into());
    if let Some(f) = format {
        m.insert("format".into(), f.into());
    }
    Value::Object(m)
}

/// The schema of a type reference (a `$ref` for a named type).
fn type_schema(api: &Api, t: &TypeRef) -> Value {
    match t {
        TypeRef::Prim(p) => prim_schema(*p),
        TypeRef::Named(n) => match api.get(*n) {
            Some(t) => schema_ref(&t.full_name),
            None => json!({}),
        },
        TypeRef::Collection(inner) => json!({ "type": "array", "items": type_schema(api, inner) }),
    }
}

/// A property's schema: its type with its description and source. OpenAPI 3.0
/// ignores siblings of `$ref`, so a described reference is wrapped in `allOf`.
fn property_schema(api: &Api, t: &TypeRef, doc: Option<&str>, span: &Span, navigation: bool) -> Value {
    let mut s = type_schema(api, t);
    if s.get("$ref").is_some() {
        s = json!({ "allOf": [s] });
    }
    // Every schema `type_schema` makes is an object.
    if let Some(m) = s.as_object_mut() {
        if let Some(d) = doc {
            m.insert("description".into(), d.into());
        }
        if navigation {
            m.insert("x-msgraph-navigation".into(), true.into());
        }
        m.insert(SOURCE.into(), source(span));
    }
    s
}

fn schemas(api: &Api) -> Map<String, Value> {
    let derived = api.derived_index();
    let mut out = Map::new();
    for (id, t) in api.iter() {
        let mut s = Map::new();
        match &t.kind {
            TypeKind::Struct { properties, base, is_abstract, key, .. } => {
                let mut own = Map::new();
                if base.is_none() {
                    own.insert("@odata.type".into(), json!({ "type": "string", "description": "The name of the concrete type, `#` and its full name." }));
                }
                for p in properties {
                    own.insert(p.wire.clone(), property_schema(api, &p.ty, p.doc.as_deref(), &p.span, p.navigation));
                }
                let object = json!({ "type": "object", "properties": own });
                match base.and_then(|b| api.get(b)) {
                    Some(b) => {
                        s.insert("allOf".into(), json!([schema_ref(&b.full_name), object]));
                    }
                    None => {
                        if let Value::Object(o) = object {
                            s.extend(o);
                        }
                    }
                }
                if let Some(ds) = derived.get(id.index()).filter(|ds| !ds.is_empty()) {
                    let mut mapping = Map::new();
                    mapping.insert(format!("#{}", t.full_name), format!("#/components/schemas/{}", component_name(&t.full_name)).into());
                    for d in ds.iter().filter_map(|&d| api.get(d)) {
                        mapping.insert(format!("#{}", d.full_name), format!("#/components/schemas/{}", component_name(&d.full_name)).into());
                    }
                    s.insert("discriminator".into(), json!({ "propertyName": "@odata.type", "mapping": mapping }));
                }
                if *is_abstract {
                    s.insert("x-msgraph-abstract".into(), true.into());
                }
                if let Some(k) = key {
                    s.insert("x-msgraph-key".into(), k.clone().into());
                }
            }
            TypeKind::Enum { members, flags } => {
                s.insert("type".into(), "string".into());
                s.insert("enum".into(), members.iter().map(|m| Value::String(m.wire.clone())).collect());
                if *flags {
                    s.insert("x-msgraph-flags".into(), true.into());
                }
                let ms: Vec<Value> = members
                    .iter()
                    .map(|m| {
                        let mut o = Map::new();
                        o.insert("name".into(), m.wire.clone().into());
                        if let Some(v) = m.value {
                            o.insert("value".into(), v.into());
                        }
                        if let Some(d) = &m.doc {
                            o.insert("description".into(), d.clone().into());
                        }
                        o.insert(SOURCE.into(), source(&m.span));
                        Value::Object(o)
                    })
                    .collect();
                s.insert("x-msgraph-members".into(), ms.into());
            }
        }
        if let Some(d) = &t.doc {
            s.insert("description".into(), d.clone().into());
        }
        if let Some(a) = &t.area {
            s.insert("x-msgraph-area".into(), a.clone().into());
        }
        s.insert(SOURCE.into(), source(&t.span));
        out.insert(component_name(&t.full_name), Value::Object(s));
    }
    out.insert(
        ERROR_SCHEMA.into(),
        json!({
            "type": "object",
            "description": "The error body of a Graph error response.",
            "properties": { "error": { "type": "object", "properties": {
                "code": { "type": "string" },
                "message": { "type": "string" },
                "innerError": {}
            } } }
        }),
    );
    out
}

/// `all`: the examples of the operation and of those that share its method and path.
fn operation(api: &Api, op: &Operation, params: &[String], all: &[&Example]) -> Value {
    let mut o = Map::new();
    o.insert("operationId".into(), op.id.clone().into());
    o.insert("summary".into(), op.title.clone().into());
    if let Some(d) = &op.doc {
        o.insert("description".into(), d.clone().into());
    }
    o.insert("tags".into(), json!([op.area.clone().unwrap_or_else(|| "common".into())]));
    let mut ps: Vec<Value> = params.iter().map(|p| json!({ "name": p, "in": "path", "required": true, "schema": { "type": "string" } })).collect();
    // A parameter is unique by name and location.
    let mut seen: BTreeSet<(String, &str)> = BTreeSet::new();
    for q in &op.query_options {
        if seen.insert((q.name.to_ascii_lowercase(), "query")) {
            ps.push(json!({ "name": q.name, "in": "query", "required": false, "schema": { "type": "string" } }));
        }
    }
    for h in &op.headers {
        if h.name.eq_ignore_ascii_case("authorization") || h.name.eq_ignore_ascii_case("content-type") || !seen.insert((h.name.to_ascii_lowercase(), "header"))
        {
            continue;
        }
        ps.push(json!({ "name": h.name, "in": "header", "required": false, "schema": { "type": "string" }, "example": h.value }));
    }
    if !ps.is_empty() {
        o.insert("parameters".into(), ps.into());
    }
    if let Some(b) = &op.body {
        let media = if matches!(b, TypeRef::Prim(Prim::Stream)) { "application/octet-stream" } else { "application/json" };
        let mut content = json!({ "schema": type_schema(api, b) });
        let examples = examples(all.iter().filter_map(|e| e.request_body.as_ref().map(|b| (*e, b))));
        if media == "application/json" && !examples.is_empty() {
            content["examples"] = Value::Object(examples);
        }
        o.insert("requestBody".into(), json!({ "required": true, "content": { media: content } }));
    } else if let Some(media) = &op.body_media {
        // A body that is not JSON: bytes of the documented media type.
        o.insert("requestBody".into(), json!({ "required": true, "content": { media.as_str(): { "schema": { "type": "string", "format": "binary" } } } }));
    }
    let mut ok = Map::new();
    ok.insert("description".into(), format!("Documented success: {}.", op.success_status).into());
    let body = match &op.response {
        ResponseBody::None => None,
        ResponseBody::Single(t) => Some(type_schema(api, t)),
        ResponseBody::Collection(t) => Some(json!({
            "type": "object",
            "properties": {
                "value": { "type": "array", "items": type_schema(api, t) },
                "@odata.nextLink": { "type": "string", "format": "uri" }
            }
        })),
    };
    if let Some(schema) = body {
        let media = if matches!(&op.response, ResponseBody::Single(TypeRef::Prim(Prim::Stream))) { "application/octet-stream" } else { "application/json" };
        ok.insert("content".into(), json!({ media: { "schema": schema } }));
    }
    if op.location_header {
        ok.insert("headers".into(), json!({ "Location": { "description": "The URL of the created or started resource.", "schema": { "type": "string" } } }));
    }
    // The documented examples: with the success response when they have its status,
    // otherwise as responses of their own status.
    let status_of = |e: &Example| e.status.unwrap_or(op.success_status);
    let with_body = || all.iter().filter_map(|e| e.response_body.as_ref().map(|b| (*e, b)));
    if let Some(Value::Object(content)) = ok.get_mut("content") {
        let examples = examples(with_body().filter(|(e, _)| status_of(e) == op.success_status));
        if let (Some(Value::Object(media)), false) = (content.get_mut("application/json"), examples.is_empty()) {
            media.insert("examples".into(), Value::Object(examples));
        }
    }
    let mut responses = Map::new();
    responses.insert(op.success_status.to_string(), Value::Object(ok));
    let others: BTreeSet<u16> = all.iter().filter(|e| e.status.is_some()).map(|e| status_of(e)).filter(|s| *s != op.success_status).collect();
    for status in others {
        let mut r = Map::new();
        r.insert("description".into(), format!("Status {status}, as an example shows.").into());
        let examples = examples(with_body().filter(|(e, _)| status_of(e) == status));
        if !examples.is_empty() {
            r.insert("content".into(), json!({ "application/json": { "examples": examples } }));
        }
        responses.insert(status.to_string(), Value::Object(r));
    }
    responses.insert(
        "default".into(),
        json!({ "description": "A Graph error.", "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{ERROR_SCHEMA}") } } } }),
    );
    o.insert("responses".into(), responses.into());
    if let Some(a) = &op.area {
        o.insert("x-msgraph-area".into(), a.clone().into());
    }
    o.insert(SOURCE.into(), source(&op.span));
    Value::Object(o)
}

/// Examples of a media type: keyed by the example's name (made unique), each with
/// its value and its page and line.
fn examples<'a>(items: impl Iterator<Item = (&'a Example, &'a Value)>) -> Map<String, Value> {
    let mut out = Map::new();
    for (i, (e, value)) in items.enumerate() {
        let base = e.name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| format!("example-{}", i + 1));
        let mut name = base.clone();
        let mut n = 2;
        while out.contains_key(&name) {
            name = format!("{base}-{n}");
            n += 1;
        }
        out.insert(name, json!({ "summary": format!("{}:{}", e.span.file, e.span.line()), "value": value, SOURCE: source(&e.span) }));
    }
    out
}

/// The OpenAPI 3.0.3 document of `api`.
pub fn document(api: &Api) -> Value {
    // One operation per operation of the request surface (`requests::...`), whose
    // Rust call is its `operationId`; the pages merged into it are its
    // `x-msgraph-also`. OpenAPI allows one path item per path shape (`/a/{x}` and
    // `/a/{y}` are the same path): the template of the first operation by path names
    // the parameters, and the others' parameters, which are positional, take those names.
    let surface = crate::lower::surface::build(api, &mut Vec::new());
    let mut entries: Vec<(String, &crate::lower::surface::SurfaceOp)> = surface.ops().map(|(n, op)| (surface.op_path(n, op), op)).collect();
    entries.sort_by(|a, b| (path_and_params(a.1.op).0, &a.0).cmp(&(path_and_params(b.1.op).0, &b.0)));
    let mut shapes: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    let mut paths = Map::new();
    let mut items: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for (rust, sop) in entries {
        let first = sop.op;
        let (path, params) = path_and_params(first);
        let (path, params) = shapes.entry(crate::diff::path_shape(&path)).or_insert((path, params)).clone();
        let others: Vec<&Operation> = sop.also.clone();
        let all: Vec<&Example> = std::iter::once(first).chain(others.iter().copied()).flat_map(|op| &op.examples).collect();
        let mut o = operation(api, first, &params, &all);
        if let Some(obj) = o.as_object_mut() {
            obj.insert("operationId".into(), rust.into());
            if !others.is_empty() {
                let also: Vec<Value> = others.iter().map(|op| json!({ "page": op.id, SOURCE: source(&op.span) })).collect();
                obj.insert("x-msgraph-also".into(), also.into());
            }
        }
        let item = items.entry(path).or_default();
        let method = first.method.to_ascii_lowercase();
        match item.get_mut(&method).and_then(Value::as_object_mut) {
            // Not expected (one path and method is one operation of the surface); kept
            // as an `x-msgraph-also` entry rather than dropped.
            Some(held) => {
                let entry = json!({ "page": first.id, "operationId": o["operationId"].clone(), SOURCE: source(&first.span) });
                match held.get_mut("x-msgraph-also").and_then(Value::as_array_mut) {
                    Some(list) => list.push(entry),
                    None => {
                        held.insert("x-msgraph-also".into(), json!([entry]));
                    }
                }
            }
            None => {
                item.insert(method, o);
            }
        }
    }
    for (path, item) in items {
        paths.insert(path, Value::Object(item));
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Microsoft Graph, as the reference docs describe it",
            "description": "Inferred by msgraph-gen from API reference pages in the Microsoft Graph markdown format. `x-msgraph-source` points each item at its page and line.",
            "version": env!("CARGO_PKG_VERSION"),
        },
        "servers": [{ "url": "https://graph.microsoft.com/v1.0" }],
        "security": [{ "bearer": [] }],
        "paths": paths,
        "components": {
            "schemas": schemas(api),
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
        },
    })
}

/// [`document`] as pretty JSON with a final newline.
pub fn to_string(api: &Api) -> String {
    let mut s = serde_json::to_string_pretty(&document(api)).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// Names the document uses, which the tests check against the generated crate
/// (reached through the hidden `msgraph_gen::internals::openapi`).
pub(crate) mod names {
    use crate::model::{Operation, PathSegment};

    /// The name of the Graph error schema in `components.schemas`.
    pub const ERROR_SCHEMA: &str = "ODataError";

    /// A component name for a full wire name: the characters OpenAPI allows
    /// (`A-Z a-z 0-9 . - _`), others replaced by `_`.
    pub fn component_name(full: &str) -> String {
        full.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect()
    }

    /// The path template as OpenAPI writes it, and its parameter names: a parameter
    /// that appears twice gets a numeric suffix (`{id}`, `{id_2}`), since OpenAPI
    /// names parameters by name; braces within a literal segment are percent-encoded.
    pub fn path_and_params(op: &Operation) -> (String, Vec<String>) {
        let mut path = String::new();
        let mut params: Vec<String> = Vec::new();
        for seg in &op.path {
            path.push('/');
            match seg {
                // A literal with braces (`{path}:` in `root:/{path}:/content`, which the
                // generator keeps as a literal) would read as a template: encode them.
                PathSegment::Literal(l) => path.push_str(&l.replace('{', "%7B").replace('}', "%7D")),
                PathSegment::Param(p) => {
                    let mut name = p.clone();
                    let mut n = 2;
                    while params.contains(&name) {
                        name = format!("{p}_{n}");
                        n += 1;
                    }
                    path.push('{');
                    path.push_str(&name);
                    path.push('}');
                    params.push(name);
                }
            }
        }
        if path.is_empty() {
            path.push('/');
        }
        (path, params)
    }
}
