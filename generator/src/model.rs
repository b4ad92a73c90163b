//! The API model: what inference makes of the docs, independent of markdown and of
//! Rust. Lowering, `diff`, `openapi` and `msgraph-mock` start from it.

use std::collections::BTreeMap;

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
        let n = name.trim().trim_start_matches("Edm.").trim_start_matches("edm.").to_ascii_lowercase();
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
        matches!(
            self,
            Prim::String
                | Prim::DateTimeOffset
                | Prim::Date
                | Prim::TimeOfDay
                | Prim::Duration
                | Prim::Guid
                | Prim::Binary
                | Prim::Stream
        )
    }

    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            Prim::Byte | Prim::SByte | Prim::Int16 | Prim::Int32 | Prim::Int64 | Prim::Single | Prim::Double | Prim::Decimal
        )
    }
}

/// A reference to a type. Named types are keyed by their full wire name
/// (`microsoft.graph.participant`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    Prim(Prim),
    Named(String),
    Collection(Box<TypeRef>),
}

impl TypeRef {
    pub fn json() -> TypeRef {
        TypeRef::Prim(Prim::Json)
    }

    /// The innermost element type.
    pub fn element(&self) -> &TypeRef {
        match self {
            TypeRef::Collection(inner) => inner.element(),
            t => t,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            TypeRef::Prim(p) => format!("{p:?}"),
            TypeRef::Named(n) => n.rsplit('.').next().unwrap_or(n).to_string(),
            TypeRef::Collection(t) => format!("{} collection", t.describe()),
        }
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
pub struct Property {
    /// The spelling the field serializes with: that of the highest-precedence source.
    pub wire: String,
    /// Other spellings the docs show for the same property (case, punctuation,
    /// whitespace, snake_case), accepted on input; sorted, never `wire`.
    pub aliases: Vec<String>,
    pub ty: TypeRef,
    pub doc: Option<String>,
    pub span: Span,
    pub source: Source,
    /// A relationship (navigation property).
    pub navigation: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumMember {
    pub wire: String,
    /// Other spellings of the member (case, separators), accepted on input; sorted.
    pub aliases: Vec<String>,
    pub value: Option<i64>,
    pub doc: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    Struct {
        properties: Vec<Property>,
        base: Option<String>,
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
pub struct TypeDef {
    /// Full wire name, for example `microsoft.graph.participant`.
    pub full_name: String,
    pub namespace: String,
    /// Simple wire name, for example `participant`.
    pub name: String,
    pub doc: Option<String>,
    /// Where the type is defined (its resource page, or the first example that names it).
    pub span: Span,
    pub kind: TypeKind,
    /// Docs area (`ms.prod`) of the defining page, if any.
    pub area: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PathSegment {
    Literal(String),
    Param(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct QueryOption {
    /// `$select`, `$filter`, ...
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
pub enum ResponseBody {
    /// No body (204).
    None,
    /// A single value of the type.
    Single(TypeRef),
    /// A collection page: `value` plus `@odata.nextLink`.
    Collection(TypeRef),
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
pub struct Operation {
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
    pub body: Option<TypeRef>,
    pub success_status: u16,
    pub response: ResponseBody,
    /// The docs say the response carries a `Location` header.
    pub location_header: bool,
    pub span: Span,
    pub area: Option<String>,
    pub examples: Vec<Example>,
}

impl Operation {
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

/// The whole API.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Api {
    pub types: BTreeMap<String, TypeDef>,
    pub operations: Vec<Operation>,
}

impl Api {
    /// Properties of a struct including those inherited from its base types,
    /// base first. Cycles are cut (they are reported during inference).
    pub fn all_properties(&self, full_name: &str) -> Vec<&Property> {
        let chain: Vec<&str> = std::iter::once(full_name).chain(self.ancestors(full_name)).collect();
        let mut out: Vec<&Property> = Vec::new();
        // wire name -> index in `out` (a linear search made 20,000-row tables quadratic).
        let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for name in chain.iter().rev() {
            if let Some(TypeKind::Struct { properties, .. }) = self.types.get(*name).map(|t| &t.kind) {
                for p in properties {
                    match at.get(p.wire.as_str()) {
                        Some(&pos) => out[pos] = p,
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

    /// For every struct with derived types, those types (directly or not), sorted by
    /// name. One pass over the model: use this rather than calling
    /// [`Api::derived_types`] for every type.
    pub fn derived_index(&self) -> BTreeMap<&str, Vec<&TypeDef>> {
        let mut out: BTreeMap<&str, Vec<&TypeDef>> = BTreeMap::new();
        for t in self.types.values() {
            for base in self.ancestors(&t.full_name) {
                let Some((name, _)) = self.types.get_key_value(base) else { break };
                out.entry(name.as_str()).or_default().push(t);
            }
        }
        // `types` is a sorted map, so each list is already in name order.
        out
    }

    /// Types that derive (directly or not) from `full_name`, sorted.
    pub fn derived_types(&self, full_name: &str) -> Vec<&TypeDef> {
        self.types
            .values()
            .filter(|t| t.full_name != full_name && self.is_subtype(&t.full_name, full_name))
            .collect()
    }

    /// Whether `child` is `ancestor` or derives from it (directly or not).
    pub fn is_subtype(&self, child: &str, ancestor: &str) -> bool {
        std::iter::once(child).chain(self.ancestors(child)).any(|t| t == ancestor)
    }

    /// The base of a struct, if it has one.
    pub fn base_of(&self, full_name: &str) -> Option<&str> {
        match self.types.get(full_name).map(|t| &t.kind) {
            Some(TypeKind::Struct { base, .. }) => base.as_deref(),
            _ => None,
        }
    }

    /// The base types of `full_name`, nearest first, by their full names (the last
    /// may name no type of the model). Cycle-safe: a cycle ends the walk.
    pub fn ancestors<'a>(&'a self, full_name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        crate::inherit::ancestors(full_name, |t| self.base_of(t))
    }
}
