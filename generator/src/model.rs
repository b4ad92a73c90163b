//! The API model: what inference makes of the docs, independent of markdown and of
//! Rust. Lowering, `diff`, `openapi` and `msgraph-mock` start from it.

use std::collections::{BTreeMap, HashMap};

use crate::diag::Span;

/// Primitive (EDM) types, whatever their spelling in the docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Prim {
    String,
    Boolean,
    Byte,
    SByte,
    Int16,
    Int32,
    Int64,
    Single,
    Double,
    Decimal,
    DateTimeOffset,
    Date,
    TimeOfDay,
    Duration,
    Guid,
    Binary,
    Stream,
    Json,
}

impl Prim {
    /// Recognise a primitive type name as the docs spell it (case-insensitive,
    /// with or without the `Edm.` prefix).
    pub fn parse(name: &str) -> Option<Prim> {
        // (Prefixes stripped in a loop: `trim_start_matches` with a string pattern
        // sets up a substring search per call, and this runs for every type cell.)
        let mut n = name.trim();
        while let Some(rest) = n.strip_prefix("Edm.") {
            n = rest;
        }
        while let Some(rest) = n.strip_prefix("edm.") {
            n = rest;
        }
        let n = n.to_ascii_lowercase();
        Some(match n.as_str() {
            "string" | "str" | "text" | "url" | "uri" => Prim::String,
            "boolean" | "bool" => Prim::Boolean,
            "byte" => Prim::Byte,
            "sbyte" => Prim::SByte,
            "int16" | "short" => Prim::Int16,
            "int32" | "int" | "integer" | "number" => Prim::Int32,
            "int64" | "long" => Prim::Int64,
            "single" | "float" => Prim::Single,
            "double" => Prim::Double,
            "decimal" => Prim::Decimal,
            "datetimeoffset" | "datetime" | "timestamp" => Prim::DateTimeOffset,
            "date" => Prim::Date,
            "timeofday" | "time" => Prim::TimeOfDay,
            "duration" | "timespan" => Prim::Duration,
            "guid" | "uuid" => Prim::Guid,
            "binary" | "base64" | "base64url" => Prim::Binary,
            "stream" => Prim::Stream,
            "json" | "object" => Prim::Json,
            _ => return None,
        })
    }

    /// Whether values of this type travel as JSON strings.
    pub fn is_stringly(self) -> bool {
        matches!(self, Prim::String | Prim::DateTimeOffset | Prim::Date | Prim::TimeOfDay | Prim::Duration | Prim::Guid | Prim::Binary | Prim::Stream)
    }

    pub fn is_numeric(self) -> bool {
        matches!(self, Prim::Byte | Prim::SByte | Prim::Int16 | Prim::Int32 | Prim::Int64 | Prim::Single | Prim::Double | Prim::Decimal)
    }
}

/// A type of an [`Api`]: its position in the model's types, which are sorted by
/// full name (so ids sort as the names do). Only the [`Api`] that owns the type
/// makes one ([`Api::id`], [`Api::iter`]); lookups by id return an `Option`, so
/// an id used with another model cannot make one panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(u32);

impl TypeId {
    /// The position of the type in its model's types (for tables kept beside it).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A reference to a type. In the model, named types are [`TypeId`]s of its one
/// name table; inference, which collects names before it knows every type, uses
/// full wire names (`TypeRef<String>`, `microsoft.graph.participant`) until
/// [`Api::new`] resolves them.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef<N = TypeId> {
    Prim(Prim),
    Named(N),
    Collection(Box<TypeRef<N>>),
}

impl<N> TypeRef<N> {
    pub fn json() -> TypeRef<N> {
        TypeRef::Prim(Prim::Json)
    }

    /// The innermost element type.
    pub fn element(&self) -> &TypeRef<N> {
        match self {
            TypeRef::Collection(inner) => inner.element(),
            t => t,
        }
    }

    /// The same shape with every named type replaced by `f` of it.
    pub fn map<M>(self, f: &mut impl FnMut(N) -> TypeRef<M>) -> TypeRef<M> {
        match self {
            TypeRef::Prim(p) => TypeRef::Prim(p),
            TypeRef::Named(n) => f(n),
            TypeRef::Collection(t) => TypeRef::Collection(Box::new(t.map(f))),
        }
    }

    /// A short description: a primitive's name, a named type's simple name (by
    /// `name_of`), `X collection`.
    pub fn describe_with<'n>(&'n self, name_of: &impl Fn(&'n N) -> &'n str) -> String {
        match self {
            TypeRef::Prim(p) => format!("{p:?}"),
            TypeRef::Named(n) => {
                let n = name_of(n);
                n.rsplit('.').next().unwrap_or(n).to_string()
            }
            TypeRef::Collection(t) => format!("{} collection", t.describe_with(name_of)),
        }
    }
}

impl TypeRef<String> {
    pub fn describe(&self) -> String {
        self.describe_with(&|n: &String| n.as_str())
    }
}

/// Where a fact about a type came from, in precedence order (lower wins).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// A property or relationship table on the type's resource page.
    ResourceTable,
    /// The JSON representation block on the type's resource page.
    ResourceJson,
    /// A request-body table on an API page.
    RequestTable,
    /// An `@odata.type`-annotated JSON example on an API page.
    Example,
}

impl Source {
    pub fn describe(self) -> &'static str {
        match self {
            Source::ResourceTable => "resource property table",
            Source::ResourceJson => "resource JSON representation",
            Source::RequestTable => "request-body table",
            Source::Example => "JSON example",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Property<N = TypeId> {
    /// The spelling the field serializes with: that of the highest-precedence source.
    pub wire: String,
    /// Other spellings the docs show for the same property (case, punctuation,
    /// whitespace, snake_case), accepted on input; sorted, never `wire`.
    pub aliases: Vec<String>,
    pub ty: TypeRef<N>,
    pub doc: Option<String>,
    pub span: Span,
    pub source: Source,
    /// A relationship (navigation property).
    pub navigation: bool,
    /// The docs' words when they say the property is deprecated.
    pub deprecated: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumMember {
    pub wire: String,
    /// Other spellings of the member (case, separators), accepted on input; sorted.
    pub aliases: Vec<String>,
    pub value: Option<i64>,
    pub doc: Option<String>,
    pub span: Span,
    /// Listed after `unknownFutureValue`: the service sends it only to a request
    /// with `Prefer: include-unknown-enum-members` (an evolvable enum).
    pub evolvable: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind<N = TypeId> {
    Struct {
        properties: Vec<Property<N>>,
        base: Option<N>,
        open: bool,
        is_abstract: bool,
        /// The key property (`keyProperty` of the resource annotation): an entity type.
        key: Option<String>,
    },
    Enum {
        members: Vec<EnumMember>,
        flags: bool,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef<N = TypeId> {
    /// Full wire name, for example `microsoft.graph.participant`.
    pub full_name: String,
    pub namespace: String,
    /// Simple wire name, for example `participant`.
    pub name: String,
    pub doc: Option<String>,
    /// Where the type is defined (its resource page, or the first example that names it).
    pub span: Span,
    pub kind: TypeKind<N>,
    /// Docs area (`ms.prod`, else `ms.subservice`) of the defining page, if any.
    pub area: Option<String>,
    /// The docs' words when they say the type is deprecated.
    pub deprecated: Option<String>,
    /// A resource or enum page defines the type (it is not only shown by examples
    /// or request bodies): such a type wins a contested Rust name.
    pub defined: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PathSegment {
    Literal(String),
    Param(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct QueryOption {
    /// `$select`, `$filter`, ... (an OData system option, with its `$`), or a query
    /// parameter of the operation's own as the docs spell it (`startDateTime`).
    pub name: String,
    /// The docs say this option needs the `ConsistencyLevel: eventual` header (a
    /// paragraph or table row of the query parameters or request headers sections
    /// names the option and `ConsistencyLevel`).
    pub eventual: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ResponseBody<N = TypeId> {
    /// No body (204).
    None,
    /// A single value of the type.
    Single(TypeRef<N>),
    /// A collection page: `value` plus `@odata.nextLink`.
    Collection(TypeRef<N>),
}

/// An example request/response pair, kept for tests and lint.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    pub name: Option<String>,
    pub method: String,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    pub request_body: Option<serde_json::Value>,
    pub status: Option<u16>,
    pub response_headers: Vec<(String, String)>,
    pub response_body: Option<serde_json::Value>,
    /// The response type named by the example's annotation (`@odata.type`), if any.
    pub response_type: Option<String>,
    /// The annotation says the response is a collection (`isCollection`).
    pub is_collection: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Operation<N = TypeId> {
    /// The API page's file stem (`call-post-participants`): unique, and the source
    /// of the function name.
    pub id: String,
    pub title: String,
    pub doc: Option<String>,
    pub method: String,
    pub path: Vec<PathSegment>,
    /// The query string of the request line (`$filter=...`), when it has one: the
    /// page documents one particular use of the operation.
    pub line_query: Option<String>,
    pub query_options: Vec<QueryOption>,
    pub headers: Vec<Header>,
    pub body: Option<TypeRef<N>>,
    /// The `Content-Type` of a body that is not JSON (a photo's `image/jpeg`, a
    /// file's `text/plain`): the operation takes bytes, and `body` is `None`.
    pub body_media: Option<String>,
    pub success_status: u16,
    pub response: ResponseBody<N>,
    /// The docs say the response carries a `Location` header.
    pub location_header: bool,
    pub span: Span,
    pub area: Option<String>,
    pub examples: Vec<Example>,
    /// The docs' words when they say the operation is deprecated (its page, or the
    /// Methods table of its resource).
    pub deprecated: Option<String>,
    /// The page's example requests fit its request lines (or it has none): a page
    /// whose examples contradict its own line documents a shared operation last.
    pub examples_fit: bool,
}

impl<N> Operation<N> {
    pub fn path_template(&self) -> String {
        let mut s = String::new();
        for seg in &self.path {
            s.push('/');
            match seg {
                PathSegment::Literal(l) => s.push_str(l),
                PathSegment::Param(p) => {
                    s.push('{');
                    s.push_str(p);
                    s.push('}');
                }
            }
        }
        s
    }
}

/// The whole API: its types, in full-name order, with the one name table, and its
/// operations, sorted by id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Api {
    types: Vec<TypeDef>,
    /// Full name -> id: the one name table.
    ids: HashMap<String, TypeId>,
    pub operations: Vec<Operation>,
}

impl Api {
    /// The model of `types` and `operations`, whose type references are full
    /// names: each becomes the [`TypeId`] of the type of that name. A reference to
    /// a name no type has becomes raw JSON ([`Prim::Json`]) and is passed to
    /// `unresolved` with the span of the property or operation that makes it
    /// (types in name order, their properties in order, then the operations in
    /// order); a base no type has is dropped. Of several types of one full name
    /// the first is kept. Operations keep their order.
    pub fn new(types: impl IntoIterator<Item = TypeDef<String>>, operations: Vec<Operation<String>>, mut unresolved: impl FnMut(&str, &Span)) -> Api {
        let mut named: BTreeMap<String, TypeDef<String>> = BTreeMap::new();
        for t in types {
            named.entry(t.full_name.clone()).or_insert(t);
        }
        let ids: HashMap<String, TypeId> = named.keys().enumerate().map(|(i, n)| (n.clone(), TypeId(i as u32))).collect();
        let mut resolve = |t: TypeRef<String>, at: &Span| {
            t.map(&mut |n: String| match ids.get(&n) {
                Some(&id) => TypeRef::Named(id),
                None => {
                    unresolved(&n, at);
                    TypeRef::json()
                }
            })
        };
        let mut out = Vec::with_capacity(named.len());
        for t in named.into_values() {
            let kind = match t.kind {
                TypeKind::Struct { properties, base, open, is_abstract, key } => TypeKind::Struct {
                    properties: properties
                        .into_iter()
                        .map(|p| {
                            let ty = resolve(p.ty, &p.span);
                            Property {
                                wire: p.wire,
                                aliases: p.aliases,
                                ty,
                                doc: p.doc,
                                span: p.span,
                                source: p.source,
                                navigation: p.navigation,
                                deprecated: p.deprecated,
                            }
                        })
                        .collect(),
                    base: base.and_then(|b| ids.get(&b).copied()),
                    open,
                    is_abstract,
                    key,
                },
                TypeKind::Enum { members, flags } => TypeKind::Enum { members, flags },
            };
            out.push(TypeDef {
                full_name: t.full_name,
                namespace: t.namespace,
                name: t.name,
                doc: t.doc,
                span: t.span,
                kind,
                area: t.area,
                deprecated: t.deprecated,
                defined: t.defined,
            });
        }
        let operations = operations
            .into_iter()
            .map(|op| {
                let body = op.body.map(|b| resolve(b, &op.span));
                let response = match op.response {
                    ResponseBody::None => ResponseBody::None,
                    ResponseBody::Single(t) => ResponseBody::Single(resolve(t, &op.span)),
                    ResponseBody::Collection(t) => ResponseBody::Collection(resolve(t, &op.span)),
                };
                Operation {
                    id: op.id,
                    title: op.title,
                    doc: op.doc,
                    method: op.method,
                    path: op.path,
                    line_query: op.line_query,
                    query_options: op.query_options,
                    headers: op.headers,
                    body,
                    body_media: op.body_media,
                    success_status: op.success_status,
                    response,
                    location_header: op.location_header,
                    span: op.span,
                    area: op.area,
                    examples: op.examples,
                    deprecated: op.deprecated,
                    examples_fit: op.examples_fit,
                }
            })
            .collect();
        Api { types: out, ids, operations }
    }

    /// Every type, in full-name order.
    pub fn types(&self) -> std::slice::Iter<'_, TypeDef> {
        self.types.iter()
    }

    /// Every type with its id, in full-name order.
    pub fn iter(&self) -> impl Iterator<Item = (TypeId, &TypeDef)> {
        self.types.iter().enumerate().map(|(i, t)| (TypeId(i as u32), t))
    }

    /// The number of types.
    pub fn len(&self) -> usize {
        self.types.len()
    }

    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    /// The id of the type named `full_name`, if the model has one.
    pub fn id(&self, full_name: &str) -> Option<TypeId> {
        self.ids.get(full_name).copied()
    }

    /// A type by id (`None` only for an id of another model).
    pub fn get(&self, id: TypeId) -> Option<&TypeDef> {
        self.types.get(id.index())
    }

    /// A type by full name.
    pub fn named(&self, full_name: &str) -> Option<&TypeDef> {
        self.id(full_name).and_then(|id| self.get(id))
    }

    /// The full name of a type (empty for an id of another model).
    pub fn name(&self, id: TypeId) -> &str {
        self.get(id).map_or("", |t| t.full_name.as_str())
    }

    /// A type reference with its types' full names.
    pub fn named_ref(&self, t: &TypeRef) -> TypeRef<String> {
        t.clone().map(&mut |id| TypeRef::Named(self.name(id).to_string()))
    }

    /// A short description of a type reference (see [`TypeRef::describe_with`]).
    pub fn describe(&self, t: &TypeRef) -> String {
        t.describe_with(&|id: &TypeId| self.name(*id))
    }

    /// Properties of a struct including those inherited from its base types,
    /// base first. Cycles are cut (they are reported during inference).
    pub fn all_properties(&self, id: TypeId) -> Vec<&Property> {
        let chain: Vec<TypeId> = std::iter::once(id).chain(self.ancestors(id)).collect();
        let mut out: Vec<&Property> = Vec::new();
        // wire name -> index in `out` (a linear search made 20,000-row tables quadratic).
        let mut at: HashMap<&str, usize> = HashMap::new();
        for t in chain.iter().rev() {
            if let Some(TypeKind::Struct { properties, .. }) = self.get(*t).map(|t| &t.kind) {
                for p in properties {
                    match at.get(p.wire.as_str()).and_then(|&pos| out.get_mut(pos)) {
                        Some(slot) => *slot = p,
                        None => {
                            at.insert(p.wire.as_str(), out.len());
                            out.push(p);
                        }
                    }
                }
            }
        }
        out
    }

    /// For every type, the types derived from it (directly or not), sorted by
    /// name, indexed by [`TypeId::index`] (empty for a type without derived types
    /// and for an enum). One pass over the model: use this rather than calling
    /// [`Api::derived_types`] for every type.
    pub fn derived_index(&self) -> Vec<Vec<TypeId>> {
        let mut out: Vec<Vec<TypeId>> = vec![Vec::new(); self.types.len()];
        for (id, _) in self.iter() {
            for base in self.ancestors(id) {
                if let Some(list) = out.get_mut(base.index()) {
                    list.push(id);
                }
            }
        }
        // Ids are visited in name order, so each list is already sorted.
        out
    }

    /// Types that derive (directly or not) from `id`, sorted.
    pub fn derived_types(&self, id: TypeId) -> Vec<TypeId> {
        self.iter().map(|(t, _)| t).filter(|&t| t != id && self.is_subtype(t, id)).collect()
    }

    /// Whether `child` is `ancestor` or derives from it (directly or not).
    pub fn is_subtype(&self, child: TypeId, ancestor: TypeId) -> bool {
        std::iter::once(child).chain(self.ancestors(child)).any(|t| t == ancestor)
    }

    /// The base of a struct, if it has one.
    pub fn base_of(&self, id: TypeId) -> Option<TypeId> {
        match self.get(id).map(|t| &t.kind) {
            Some(TypeKind::Struct { base, .. }) => *base,
            _ => None,
        }
    }

    /// The base types of `id`, nearest first. Cycle-safe: a cycle ends the walk.
    pub fn ancestors(&self, id: TypeId) -> impl Iterator<Item = TypeId> + '_ {
        crate::inherit::ancestors(id, |t| self.base_of(t))
    }
}

/// What spellings of one docs name have in common: alphanumeric characters,
/// lower-cased. `printerId` / `printerID`, `principalIds[]`, `rank `, `_id`,
/// `query_string` / `queryString` are each one name. A name with no alphanumeric
/// character is its own key.
pub fn spelling_key(wire: &str) -> String {
    let key: String = if wire.is_ascii() {
        // The same, byte by byte: most names are ASCII, and this is called for every
        // property of every table, representation and example.
        // (Into a buffer sized once: collecting an iterator of chars grows it char by char.)
        let mut key = String::with_capacity(wire.len());
        for b in wire.bytes().filter(u8::is_ascii_alphanumeric) {
            key.push(char::from(b.to_ascii_lowercase()));
        }
        key
    } else {
        wire.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
    };
    if key.is_empty() {
        wire.to_string()
    } else {
        key
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn span(line: u32) -> Span {
        Span::detached(&Arc::from("t.md"), line)
    }

    fn strukt(name: &str, base: Option<&str>, props: &[(&str, TypeRef<String>)]) -> TypeDef<String> {
        let properties = props
            .iter()
            .enumerate()
            .map(|(i, (wire, ty))| Property {
                wire: wire.to_string(),
                aliases: vec![],
                ty: ty.clone(),
                doc: None,
                span: span(i as u32 + 2),
                source: Source::ResourceTable,
                navigation: false,
                deprecated: None,
            })
            .collect();
        TypeDef {
            full_name: format!("ns.{name}"),
            namespace: "ns".into(),
            name: name.into(),
            doc: None,
            span: span(1),
            kind: TypeKind::Struct { properties, base: base.map(|b| format!("ns.{b}")), open: false, is_abstract: false, key: None },
            area: None,
            deprecated: None,
            defined: true,
        }
    }

    fn named(n: &str) -> TypeRef<String> {
        TypeRef::Named(format!("ns.{n}"))
    }

    #[test]
    fn new_gives_ids_in_name_order_and_types_unknown_names_as_json() {
        let types = vec![
            strukt("zebra", Some("animal"), &[("friend", named("gone")), ("herd", TypeRef::Collection(Box::new(named("zebra"))))]),
            strukt("animal", Some("missing"), &[("id", TypeRef::Prim(Prim::String))]),
            // A second type of one full name: the first is kept.
            strukt("animal", None, &[]),
        ];
        let mut unresolved = Vec::new();
        let api = Api::new(types, vec![], |n, at| unresolved.push((n.to_string(), at.start)));
        assert_eq!(api.types().map(|t| t.full_name.as_str()).collect::<Vec<_>>(), ["ns.animal", "ns.zebra"]);
        let (animal, zebra) = (api.id("ns.animal").expect("animal"), api.id("ns.zebra").expect("zebra"));
        assert!(animal < zebra, "ids sort as the names do");
        assert_eq!(unresolved, [("ns.gone".to_string(), 2)], "each unknown name reported once, with its property's span");
        let props: Vec<(&str, String)> = api.all_properties(zebra).into_iter().map(|p| (p.wire.as_str(), api.describe(&p.ty))).collect();
        assert_eq!(props, [("id", "String".to_string()), ("friend", "Json".to_string()), ("herd", "zebra collection".to_string())]);
        assert_eq!(api.base_of(zebra), Some(animal));
        assert_eq!(api.base_of(animal), None, "a base no type has is dropped");
        assert_eq!(api.derived_types(animal), [zebra]);
        assert_eq!(api.named_ref(&TypeRef::Collection(Box::new(TypeRef::Named(zebra)))), TypeRef::Collection(Box::new(named("zebra"))));
    }

    #[test]
    fn lookups_never_panic() {
        let big = Api::new(vec![strukt("a", None, &[]), strukt("b", None, &[])], vec![], |_, _| {});
        let small = Api::new(vec![strukt("a", None, &[])], vec![], |_, _| {});
        let foreign = big.id("ns.b").expect("b");
        // An id of another model finds nothing rather than panicking.
        assert!(small.get(foreign).is_none());
        assert_eq!(small.name(foreign), "");
        assert!(small.all_properties(foreign).is_empty());
        assert_eq!(small.ancestors(foreign).count(), 0);
        assert!(small.id("ns.b").is_none() && small.named("ns.b").is_none());
    }
}
