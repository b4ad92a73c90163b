//! How true is the model that `msgraph-gen` infers from a docs tree? This crate
//! compares it with the service's own OData metadata (CSDL), which it reads as a
//! test oracle. The generator never reads metadata: only this crate does.
//!
//! Scope: the structured types that the docs' resource pages define and the
//! metadata has too, and the enums those types' properties use (plus the enums
//! the docs define under a metadata enum's name). See [`measure`] for each figure
//! and `FIDELITY.md` at the repository root for the rules and the current figures.

pub mod concepts;
pub mod csdl;
pub mod requests;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use msgraph_gen::internals::{Block, Page};
use msgraph_gen::model::{Api, Prim, Property, Source, TypeDef, TypeId, TypeKind, TypeRef};
use msgraph_gen::{Diagnostic, SourceFile};

pub use csdl::Schema;

/// The model inferred from docs files, as `generate_sources` infers it, but
/// without emitting: a tree whose emission fails (name collisions) still has a model.
pub fn model(files: &[SourceFile]) -> (Vec<Page>, Api, Vec<Diagnostic>) {
    let mut files: Vec<&SourceFile> = files.iter().collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut diags = Vec::new();
    let mut corrections = msgraph_gen::internals::corrections::Corrections::default();
    let mut pages = Vec::new();
    for f in files {
        if f.path == msgraph_gen::internals::corrections::FILE_NAME {
            if let Ok(text) = std::str::from_utf8(&f.bytes) {
                corrections = msgraph_gen::internals::corrections::Corrections::parse(text, &mut diags);
            }
        } else if f.path.ends_with(".md") {
            if let Some(p) = msgraph_gen::internals::parse_file(f, &mut diags) {
                pages.push(p);
            }
        }
    }
    let api = msgraph_gen::internals::infer(&pages, &corrections, &mut diags);
    (pages, api, diags)
}

/// The figures the report gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    TypesFound,
    PropertyRecall,
    PropertyPrecision,
    StrictTypeAccuracy,
    EnumsFound,
    MemberRecall,
    MemberPrecision,
}

impl Metric {
    pub const ALL: [Metric; 7] = [
        Metric::TypesFound,
        Metric::PropertyRecall,
        Metric::PropertyPrecision,
        Metric::StrictTypeAccuracy,
        Metric::EnumsFound,
        Metric::MemberRecall,
        Metric::MemberPrecision,
    ];

    /// The name used in floors files and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Metric::TypesFound => "types-found",
            Metric::PropertyRecall => "property-recall",
            Metric::PropertyPrecision => "property-precision",
            Metric::StrictTypeAccuracy => "strict-type-accuracy",
            Metric::EnumsFound => "enums-found",
            Metric::MemberRecall => "member-recall",
            Metric::MemberPrecision => "member-precision",
        }
    }

    pub fn from_key(k: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.key() == k)
    }

    pub fn title(self) -> &'static str {
        match self {
            Metric::TypesFound => "types found",
            Metric::PropertyRecall => "property recall",
            Metric::PropertyPrecision => "property precision",
            Metric::StrictTypeAccuracy => "strict type accuracy",
            Metric::EnumsFound => "enums found",
            Metric::MemberRecall => "member recall",
            Metric::MemberPrecision => "member precision",
        }
    }
}

/// A comparison that did not agree.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub metric: Metric,
    /// `true`: the docs say what the generated model says, and the metadata says
    /// otherwise (a doc defect, not a generator miss).
    pub disagreement: bool,
    /// The class of the finding, used to group them.
    pub cause: &'static str,
    /// The item: `user.displayName`, `enum riskLevel member hidden`, ...
    pub what: String,
    /// `file:line` in the docs, where the docs say it.
    pub at: String,
    /// Codes of the lint's diagnostics at that place.
    pub lint: Vec<&'static str>,
}

/// Hits and findings of one metric.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count {
    pub hits: usize,
    pub misses: usize,
    pub disagreements: usize,
}

impl Count {
    /// Hits over hits and misses: disagreements are left out.
    pub fn net(&self) -> f64 {
        pct(self.hits, self.hits + self.misses)
    }
    /// Hits over everything compared: disagreements count as misses.
    pub fn raw(&self) -> f64 {
        pct(self.hits, self.hits + self.misses + self.disagreements)
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        a as f64 * 100.0 / b as f64
    }
}

#[derive(Clone, Debug, Default)]
pub struct Report {
    pub counts: BTreeMap<Metric, Count>,
    pub findings: Vec<Finding>,
    /// Resource-page types that the metadata does not have.
    pub docs_only_types: Vec<String>,
}

/// Lower-cased text and lines of every page, for "do the docs say it" checks.
struct Texts<'a> {
    pages: BTreeMap<&'a str, &'a str>,
}

impl<'a> Texts<'a> {
    fn line(&self, file: &str, line: u32) -> &'a str {
        self.pages.get(file).and_then(|t| t.lines().nth(line.saturating_sub(1) as usize)).unwrap_or("")
    }

    /// The section that starts at `line`: up to the next heading.
    fn section(&self, file: &str, line: u32) -> String {
        let Some(t) = self.pages.get(file) else { return String::new() };
        let mut lines = t.lines().skip(line.saturating_sub(1) as usize);
        let first = lines.next().unwrap_or("");
        let rest: Vec<&str> = lines.take_while(|l| !l.starts_with('#')).collect();
        format!("{first}\n{}", rest.join("\n"))
    }
}

/// Whether `word` occurs in `hay` with no identifier character on either side.
pub fn has_word(hay: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    hay.match_indices(word).any(|(i, _)| !hay[..i].chars().next_back().is_some_and(ident) && !hay[i + word.len()..].chars().next().is_some_and(ident))
}

fn simple(full: &str) -> &str {
    full.rsplit('.').next().unwrap_or(full)
}

/// Whether a page is a resource page, and the full name of the type it defines:
/// the resource annotation's `@odata.type`, else the `# x resource type` heading,
/// else the file name.
fn resource_type(page: &Page) -> Option<String> {
    let doc_type = page.meta("doc_type").map(str::to_ascii_lowercase);
    let annotated = page.blocks.iter().find_map(|b| match b {
        Block::Code(c) => c.annotation.as_ref().filter(|a| a.block_type() == Some("resource")).and_then(|a| a.str("@odata.type")),
        _ => None,
    });
    let h1 = page.blocks.iter().find_map(|b| match b {
        Block::Heading { level: 1, text, .. } => Some(text.text.trim()),
        _ => None,
    });
    let from_heading = h1.and_then(|h| {
        let l = h.to_ascii_lowercase();
        l.strip_suffix(" resource type").map(|_| h[..h.len() - " resource type".len()].trim().to_string())
    });
    let is_resource = doc_type.as_deref() == Some("resourcepagetype") || annotated.is_some() || from_heading.is_some();
    if !is_resource || doc_type.as_deref().is_some_and(|d| d != "resourcepagetype") && annotated.is_none() && from_heading.is_none() {
        return None;
    }
    let name = annotated.map(|a| a.trim_start_matches('#').to_string()).or(from_heading).unwrap_or_else(|| page.stem().to_string());
    let name = name.trim().trim_matches(|c| c == '*' || c == '`').to_string();
    if name.contains('.') {
        Some(name)
    } else {
        Some(format!("{}.{name}", page.namespace().map(|n| n.trim_start_matches('#')).unwrap_or("microsoft.graph")))
    }
}

/// How the report writes a metadata type, in the generated crate's terms
/// (the mapping in `FIDELITY.md`). Enums are `enum`, whatever their name.
fn csdl_key(t: &csdl::Ty, schema: &Schema) -> String {
    match t {
        csdl::Ty::Collection(i) => format!("Vec<{}>", csdl_key(i, schema)),
        csdl::Ty::Edm(p) => match Prim::parse(p) {
            Some(p) => prim_key(p).to_string(),
            None => format!("Edm.{p}"),
        },
        csdl::Ty::Named(n) if schema.enums.contains_key(&n.to_ascii_lowercase()) => "enum".to_string(),
        // `Json`: an open complex type with no properties, any JSON value.
        csdl::Ty::Named(n) if simple(n).eq_ignore_ascii_case("json") && schema.structs.get(&n.to_ascii_lowercase()).is_some_and(|t| t.props.is_empty()) => {
            prim_key(Prim::Json).to_string()
        }
        csdl::Ty::Named(n) => n.to_ascii_lowercase(),
    }
}

fn gen_key(t: &TypeRef, api: &Api) -> String {
    match t {
        TypeRef::Collection(i) => format!("Vec<{}>", gen_key(i, api)),
        TypeRef::Prim(p) => prim_key(*p).to_string(),
        TypeRef::Named(n) => match api.get(*n).map(|t| &t.kind) {
            Some(TypeKind::Enum { .. }) => "enum".to_string(),
            _ => api.name(*n).to_ascii_lowercase(),
        },
    }
}

/// The Rust type each primitive becomes (README, "Type mapping").
fn prim_key(p: Prim) -> &'static str {
    match p {
        Prim::String | Prim::Stream => "String",
        Prim::Boolean => "bool",
        Prim::Byte => "u8",
        Prim::SByte => "i8",
        Prim::Int16 => "i16",
        Prim::Int32 => "i32",
        Prim::Int64 => "i64",
        Prim::Single => "f32",
        Prim::Double | Prim::Decimal => "f64",
        Prim::DateTimeOffset => "DateTimeOffset",
        Prim::Date => "Date",
        Prim::TimeOfDay => "TimeOfDay",
        Prim::Duration => "Duration",
        Prim::Guid => "Guid",
        Prim::Binary => "Base64",
        Prim::Json => "serde_json::Value",
    }
}

/// Whether a docs line (a table row, a JSON line) names the metadata's type: its
/// name, or for an enum two of its members. If it does, the generator should
/// have found it; if it does not, the docs say something else.
fn line_names(line: &str, t: &csdl::Ty, schema: &Schema) -> bool {
    line_names_in(line, line, t, schema)
}

/// The cell after the one that holds `wire` in a table row: its type cell.
fn type_cell<'l>(line: &'l str, wire: &str) -> &'l str {
    let cells: Vec<&str> = line.split('|').collect();
    cells.iter().position(|c| has_word(c, wire)).and_then(|i| cells.get(i + 1)).copied().unwrap_or(line)
}

/// [`line_names`] for a table row: the type cell names the type, the row (its
/// description) may list an enum's members.
fn line_names_in(type_text: &str, line: &str, t: &csdl::Ty, schema: &Schema) -> bool {
    let l = type_text.to_ascii_lowercase();
    // A collection: `X collection`, `Collection(X)`, or a JSON array.
    if matches!(t, csdl::Ty::Collection(_)) && !(has_word(&l, "collection") || l.contains(": [")) {
        return false;
    }
    match t.element() {
        csdl::Ty::Edm(p) => has_word(&l, &p.to_ascii_lowercase()) || has_word(&l, &format!("edm.{}", p.to_ascii_lowercase())),
        csdl::Ty::Named(n) => {
            if has_word(&l, &simple(n).to_ascii_lowercase()) {
                return true;
            }
            match schema.enums.get(&n.to_ascii_lowercase()) {
                Some(e) => e.members.iter().filter(|m| has_word(line, m)).count() >= 2,
                None => false,
            }
        }
        csdl::Ty::Collection(_) => false,
    }
}

fn at(p: &Property) -> String {
    format!("{}:{}", p.span.file, p.span.line())
}

/// Compare the model of a docs tree with the metadata.
///
/// * **types found**: metadata entity/complex types that a resource page defines
///   (by its annotation, heading or file name, case-insensitively), and that the
///   model has as a struct.
/// * **property recall / precision**: per found type, its properties with those of
///   its base types, metadata vs model, by exact wire name.
/// * **strict type accuracy**: per property in both, the Rust type the model gives
///   vs the one the metadata's type maps to (enum-typed properties need an enum).
/// * **enums found**: metadata enums used by those properties, or named like an
///   enum of the model, that the model has by name or as the type of such a property.
/// * **member recall / precision**: per found enum, metadata members vs model members.
///
/// A mismatch is a *disagreement*, not a miss, when the docs say what the model
/// says (the property is not on its page, the table row names another type, the
/// docs list a member the metadata lacks, ...); the net figures leave
/// disagreements out, the raw ones count them as misses.
pub fn measure(files: &[SourceFile], schema: &Schema) -> Report {
    let (pages, api, diags) = model(files);
    let mut texts = Texts { pages: BTreeMap::new() };
    for f in files {
        if let Ok(t) = std::str::from_utf8(&f.bytes) {
            texts.pages.insert(f.path.as_str(), t);
        }
    }
    let mut lint: BTreeMap<(String, u32), Vec<&'static str>> = BTreeMap::new();
    for d in &diags {
        let e = lint.entry((d.span.file.to_string(), d.span.line())).or_default();
        if !e.contains(&d.code.as_str()) {
            e.push(d.code.as_str());
        }
    }
    let mut r = Report::default();
    let find = |r: &mut Report, metric: Metric, disagreement: bool, cause: &'static str, what: String, at: String| {
        let (file, line) = at.rsplit_once(':').map_or((at.as_str(), 0), |(f, l)| (f, l.parse().unwrap_or(0)));
        let codes = lint.get(&(file.to_string(), line)).cloned().unwrap_or_default();
        let c = r.counts.entry(metric).or_default();
        if disagreement {
            c.disagreements += 1;
        } else {
            c.misses += 1;
        }
        r.findings.push(Finding { metric, disagreement, cause, what, at, lint: codes });
    };
    let hit = |r: &mut Report, metric: Metric| r.counts.entry(metric).or_default().hits += 1;
    for m in Metric::ALL {
        r.counts.entry(m).or_default();
    }

    // Scope: resource-page types the metadata has (lower-cased full name -> pages).
    let mut scope: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    // Every resource page, by the type it defines.
    let mut res_pages: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for p in &pages {
        if let Some(full) = resource_type(p) {
            let key = full.to_ascii_lowercase();
            res_pages.entry(key.clone()).or_default().push(&p.path);
            if schema.structs.contains_key(&key) {
                scope.entry(key).or_default().push(&p.path);
            } else if !schema.enums.contains_key(&key) {
                r.docs_only_types.push(format!("{full} ({})", p.path));
            }
        }
    }
    r.docs_only_types.sort();
    r.docs_only_types.dedup();
    let gen_lower: BTreeMap<String, TypeId> = api.iter().map(|(id, t)| (t.full_name.to_ascii_lowercase(), id)).collect();
    let kind = |id: TypeId| api.get(id).map(|t| &t.kind);

    // Enum usages: metadata enum (lower-cased) -> generated property types of its uses.
    let mut enum_uses: BTreeMap<String, Vec<(String, Option<&Property>)>> = BTreeMap::new();
    for (key, type_pages) in &scope {
        let ct = &schema.structs[key];
        let Some(g) = gen_lower.get(key).copied().filter(|g| matches!(kind(*g), Some(TypeKind::Struct { .. }))) else {
            find(&mut r, Metric::TypesFound, false, "resource page generates no struct", simple(&ct.name).to_string(), format!("{}:1", type_pages[0]));
            continue;
        };
        hit(&mut r, Metric::TypesFound);
        let tname = simple(&ct.name);
        // Pages of the type and of the base types the docs give it: where a property
        // may be documented. (A base only the metadata names is not the docs' word.)
        let mut doc_pages: Vec<&str> = Vec::new();
        for c in std::iter::once(g).chain(api.ancestors(g)) {
            doc_pages.extend(res_pages.get(&api.name(c).to_ascii_lowercase()).into_iter().flatten().copied());
        }
        let on_pages = |w: &str| doc_pages.iter().any(|p| texts.pages.get(p).is_some_and(|t| declares(t, w)));
        let cprops = schema.all_props(key);
        let gprops = api.all_properties(g);
        let gmap: BTreeMap<&str, &Property> = gprops.iter().map(|p| (p.wire.as_str(), *p)).collect();
        let cnames: BTreeSet<&str> = cprops.iter().map(|p| p.name.as_str()).collect();
        for cp in &cprops {
            let what = format!("{tname}.{}", cp.name);
            if let csdl::Ty::Named(n) = cp.ty.element() {
                if schema.enums.contains_key(&n.to_ascii_lowercase()) {
                    enum_uses.entry(n.to_ascii_lowercase()).or_default().push((what.clone(), gmap.get(cp.name.as_str()).copied()));
                }
            }
            match gmap.get(cp.name.as_str()) {
                Some(gp) => {
                    hit(&mut r, Metric::PropertyRecall);
                    let (ck, gk) = (csdl_key(&cp.ty, schema), gen_key(&gp.ty, &api));
                    if ck == gk {
                        hit(&mut r, Metric::StrictTypeAccuracy);
                        continue;
                    }
                    let line = texts.line(&gp.span.file, gp.span.line());
                    let names_it = match gp.source {
                        Source::ResourceTable | Source::RequestTable => line_names_in(type_cell(line, &gp.wire), line, &cp.ty, schema),
                        _ => line_names(line, &cp.ty, schema),
                    };
                    let what = format!("{what}: {gk}, metadata {ck}");
                    let listed = matches!(cp.ty.element(), csdl::Ty::Edm(e) if e == "String") && value_list_enum(gp, &api, line);
                    let (dis, cause) = match gp.source {
                        _ if listed => (true, "the docs list the values of a string, the metadata has no enum"),
                        Source::ResourceTable | Source::RequestTable if !names_it => (true, "the docs' table gives another type"),
                        Source::ResourceTable | Source::RequestTable => (false, "the table row names the metadata's type, the model has another"),
                        Source::ResourceJson if !names_it && is_type_placeholder_line(line) => {
                            (true, "the docs' representation gives another type placeholder")
                        }
                        Source::ResourceJson => (false, "typed from a JSON representation value"),
                        Source::Example => (false, "typed from an example"),
                    };
                    find(&mut r, Metric::StrictTypeAccuracy, dis, cause, what, at(gp));
                }
                None => {
                    let variant = gprops.iter().find(|p| p.wire.eq_ignore_ascii_case(&cp.name));
                    match variant {
                        Some(v) if has_word(texts.line(&v.span.file, v.span.line()), &v.wire) && v.source < Source::Example => {
                            find(&mut r, Metric::PropertyRecall, true, "the docs spell the name in another case", format!("{what} (docs: {})", v.wire), at(v))
                        }
                        Some(v) => find(
                            &mut r,
                            Metric::PropertyRecall,
                            false,
                            "the model spells the name in another case",
                            format!("{what} (model: {})", v.wire),
                            at(v),
                        ),
                        None if on_pages(&cp.name) => {
                            find(&mut r, Metric::PropertyRecall, false, "declared on the type's page, not in the model", what, format!("{}:1", type_pages[0]))
                        }
                        None => find(
                            &mut r,
                            Metric::PropertyRecall,
                            true,
                            "not declared on the type's page (nor on those of the base types the docs give it)",
                            what,
                            format!("{}:1", type_pages[0]),
                        ),
                    }
                }
            }
        }
        for gp in &gprops {
            if cnames.contains(gp.wire.as_str()) {
                hit(&mut r, Metric::PropertyPrecision);
                continue;
            }
            let what = format!("{tname}.{}", gp.wire);
            match gp.source {
                Source::ResourceTable | Source::ResourceJson if has_word(texts.line(&gp.span.file, gp.span.line()), &gp.wire) => {
                    find(&mut r, Metric::PropertyPrecision, true, "the docs' resource page lists it, the metadata does not", what, at(gp))
                }
                Source::RequestTable => find(&mut r, Metric::PropertyPrecision, true, "a request-body table lists it, the metadata does not", what, at(gp)),
                Source::Example => find(&mut r, Metric::PropertyPrecision, false, "shown by an example only", what, at(gp)),
                Source::ResourceTable | Source::ResourceJson => {
                    find(&mut r, Metric::PropertyPrecision, false, "a name the docs' line does not hold", what, at(gp))
                }
            }
        }
    }

    // Enums: those the properties in scope use, and those the docs define by a metadata enum's name.
    let mut enum_scope: BTreeSet<String> = enum_uses.keys().cloned().collect();
    for t in api.types() {
        if matches!(t.kind, TypeKind::Enum { .. }) && schema.enums.contains_key(&t.full_name.to_ascii_lowercase()) {
            enum_scope.insert(t.full_name.to_ascii_lowercase());
        }
    }
    let all_docs_lower: String = texts.pages.values().map(|t| t.to_ascii_lowercase()).collect::<Vec<_>>().join("\n");
    for key in &enum_scope {
        let ce = &schema.enums[key];
        let ename = simple(&ce.name);
        let uses = enum_uses.get(key).map(Vec::as_slice).unwrap_or_default();
        let by_name = gen_lower.get(key).copied().filter(|g| matches!(kind(*g), Some(TypeKind::Enum { .. })));
        let by_use = uses.iter().filter_map(|(_, p)| *p).find_map(|p| match p.ty.element() {
            TypeRef::Named(n) if matches!(kind(*n), Some(TypeKind::Enum { .. })) => Some(*n),
            _ => None,
        });
        let Some(g) = by_name.or(by_use) else {
            let documented =
                uses.iter().filter_map(|(_, p)| *p).find(|p| line_names(texts.line(&p.span.file, p.span.line()), &csdl::Ty::Named(ce.name.clone()), schema));
            match documented {
                Some(p) => find(
                    &mut r,
                    Metric::EnumsFound,
                    false,
                    "a property's row names the enum or lists its values, the model has no enum",
                    format!("{ename} ({})", uses[0].0),
                    at(p),
                ),
                None => {
                    let at_use = uses.iter().find_map(|(_, p)| p.map(at)).unwrap_or_default();
                    if has_word(&all_docs_lower, &ename.to_ascii_lowercase()) && !at_use.is_empty() {
                        find(
                            &mut r,
                            Metric::EnumsFound,
                            false,
                            "the docs name the enum somewhere, the model has no enum",
                            format!("{ename} ({})", uses[0].0),
                            at_use,
                        )
                    } else {
                        let what = uses.first().map_or(ename.to_string(), |u| format!("{ename} ({})", u.0));
                        find(&mut r, Metric::EnumsFound, true, "the docs neither name the enum nor list its values", what, at_use)
                    }
                }
            }
            continue;
        };
        hit(&mut r, Metric::EnumsFound);
        let Some(TypeDef { kind: TypeKind::Enum { members, .. }, span: def, .. }) = api.get(g) else { continue };
        // Where the docs define the enum: its section (or its property's row), and
        // the lines its members were read from.
        let mut enum_text = texts.section(&def.file, def.line());
        for m in members {
            enum_text.push('\n');
            enum_text.push_str(texts.line(&m.span.file, m.span.line()));
        }
        for cm in &ce.members {
            if members.iter().any(|m| m.wire == *cm) {
                hit(&mut r, Metric::MemberRecall);
                continue;
            }
            let what = format!("{ename}.{cm}");
            match members.iter().find(|m| m.wire.eq_ignore_ascii_case(cm)) {
                Some(v) => find(
                    &mut r,
                    Metric::MemberRecall,
                    true,
                    "the docs spell the member in another case",
                    format!("{what} (docs: {})", v.wire),
                    format!("{}:{}", v.span.file, v.span.line()),
                ),
                None if has_word(&enum_text, cm) => {
                    find(&mut r, Metric::MemberRecall, false, "in the enum's section, not in the model", what, format!("{}:{}", def.file, def.line()))
                }
                None => find(&mut r, Metric::MemberRecall, true, "the docs do not list the member", what, format!("{}:{}", def.file, def.line())),
            }
        }
        for m in members {
            if ce.members.contains(&m.wire) {
                hit(&mut r, Metric::MemberPrecision);
                continue;
            }
            let what = format!("{ename}.{}", m.wire);
            let mat = format!("{}:{}", m.span.file, m.span.line());
            if ce.members.iter().any(|c| c.eq_ignore_ascii_case(&m.wire)) {
                find(&mut r, Metric::MemberPrecision, true, "the docs spell the member in another case", what, mat);
            } else if has_word(texts.line(&m.span.file, m.span.line()), &m.wire) {
                find(&mut r, Metric::MemberPrecision, true, "the docs list the member, the metadata does not", what, mat);
            } else {
                find(&mut r, Metric::MemberPrecision, false, "a member the docs' line does not hold", what, mat);
            }
        }
    }
    r.findings.sort();
    r
}

/// Whether a property is typed with an enum because the docs list its values: an
/// enum made from one description's list (every member read from one line: its own
/// row's, or the row of the same property on a base type whose enum it shares), or
/// an enum whose members its own row (`line`) lists (at least two of them).
fn value_list_enum(p: &Property, api: &Api, line: &str) -> bool {
    let TypeRef::Named(n) = p.ty.element() else { return false };
    let Some(TypeKind::Enum { members, .. }) = api.get(*n).map(|t| &t.kind) else { return false };
    let Some(first) = members.first() else { return false };
    let one_list = members.iter().all(|m| m.span.file == first.span.file && m.span.line() == first.span.line());
    let words: BTreeSet<String> = line.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_ascii_lowercase).collect();
    one_list || members.iter().filter(|m| words.contains(&m.wire.to_ascii_lowercase())).count() >= 2
}

/// Whether a page declares a property: the first cell of a table row, or a key of
/// a JSON object (`"name":`), holds the name. (Prose and method tables that
/// mention a name do not declare it.)
fn declares(page: &str, wire: &str) -> bool {
    let key = format!("\"{wire}\"");
    page.lines().any(|l| {
        let t = l.trim_start();
        match t.strip_prefix('|') {
            Some(row) => {
                // The cell's name: without link targets, markup and notes.
                let cell = row.split('|').next().unwrap_or("");
                let mut name = String::new();
                let mut depth = 0usize;
                for c in cell.chars() {
                    match c {
                        '(' => depth += 1,
                        ')' => depth = depth.saturating_sub(1),
                        '*' | '`' | '[' | ']' => {}
                        _ if depth == 0 => name.push(c),
                        _ => {}
                    }
                }
                name.trim().trim_matches('_') == wire
            }
            None => t.find(&key).is_some_and(|i| t[i + key.len()..].trim_start().starts_with(':')),
        }
    })
}

/// A JSON line whose value is a string naming a type (`"x": "String (timestamp)"`).
fn is_type_placeholder_line(line: &str) -> bool {
    let Some((_, v)) = line.split_once(':') else { return false };
    let v = v.trim().trim_end_matches(',').trim().trim_matches('"');
    let head = v.split(['(', ' ']).next().unwrap_or("");
    Prim::parse(head).is_some() || v.contains('|')
}

impl Report {
    pub fn count(&self, m: Metric) -> Count {
        self.counts.get(&m).copied().unwrap_or_default()
    }

    /// The figures as a markdown table.
    pub fn table(&self) -> String {
        let mut s = String::from("| figure | hits | misses | disagreements | net % | raw % |\n|---|---:|---:|---:|---:|---:|\n");
        for m in Metric::ALL {
            let c = self.count(m);
            let _ = writeln!(s, "| {} | {} | {} | {} | {:.1} | {:.1} |", m.title(), c.hits, c.misses, c.disagreements, c.net(), c.raw());
        }
        s
    }

    /// Findings grouped by metric and cause, largest groups first, `examples` of each.
    pub fn causes(&self, disagreements: bool, examples: usize) -> String {
        let mut groups: BTreeMap<(Metric, &str), Vec<&Finding>> = BTreeMap::new();
        for f in self.findings.iter().filter(|f| f.disagreement == disagreements) {
            groups.entry((f.metric, f.cause)).or_default().push(f);
        }
        let mut groups: Vec<_> = groups.into_iter().collect();
        groups.sort_by(|a, b| a.0 .0.cmp(&b.0 .0).then(b.1.len().cmp(&a.1.len())));
        let mut s = String::new();
        for ((m, cause), fs) in groups {
            let _ = writeln!(s, "  {} - {cause}: {}", m.title(), fs.len());
            for f in fs.iter().take(examples) {
                let lint = if f.lint.is_empty() { String::new() } else { format!(" [lint: {}]", f.lint.join(", ")) };
                let _ = writeln!(s, "      {} at {}{lint}", f.what, f.at);
            }
        }
        s
    }
}

/// Floors: lines `metric-key minimum-percent` (`#` starts a comment); a key ending
/// in `-raw` floors the raw figure (disagreements counted as misses), so that
/// calling more findings disagreements cannot hide a loss. Returns the figures
/// below their floor, as messages.
pub fn check_floors(report: &Report, floors: &str) -> Result<Vec<String>, String> {
    let mut below = Vec::new();
    for (i, line) in floors.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split_whitespace();
        let (Some(k), Some(v), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("floors line {}: expected `metric percent`, got {line:?}", i + 1));
        };
        let (key, raw) = match k.strip_suffix("-raw") {
            Some(key) => (key, true),
            None => (k, false),
        };
        let m = Metric::from_key(key)
            .ok_or_else(|| format!("floors line {}: unknown metric {k:?} (known: {}, each also with -raw)", i + 1, Metric::ALL.map(Metric::key).join(", ")))?;
        let min: f64 = v.parse().map_err(|_| format!("floors line {}: {v:?} is not a number", i + 1))?;
        let c = report.count(m);
        let got = if raw { c.raw() } else { c.net() };
        // Compare at the precision the report prints.
        if (got * 10.0).round() < (min * 10.0).round() {
            below.push(format!("{} ({}) is {got:.1}%, below its floor {min}%", m.title(), if raw { "raw" } else { "net" }));
        }
    }
    Ok(below)
}
