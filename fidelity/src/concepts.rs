//! One concept, one name (issue 23): where the generated API spells one concept
//! twice. Three counts over the [`Surface`] that `msgraph-gen diff` compares (the
//! types by Rust path, the operations by Rust call), each with its offenders:
//!
//! * **enums sharing a member set**: enum types with the same variants (the
//!   generator's catch-all aside) as another enum; the enums in such groups, and
//!   the number of groups;
//! * **bodies that duplicate their resource**: struct request bodies other than
//!   the operation's resource whose every field (Rust name and type; an enum and a
//!   `String` are the same concept) is a field of that resource, for an update
//!   (PATCH, PUT) or a create (a POST answered `201 Created`; any other POST is an
//!   action, whose body is its arguments): the resource is the operation's
//!   response type when it is a single struct, else, for an update's body
//!   named `...RequestBody`, the struct whose name, lower-cased, is the longest
//!   prefix of the body's (`ContactfolderUpdateRequestBody` -> `ContactFolder`); a
//!   body of one of the resource's base types is not counted; each body type counts once;
//! * **names not taken from a type's own casing**: type names that contain, as a
//!   run of whole words (from their start or a capital to their end, a capital or
//!   a plural `s` before one), the name of another type of two words or more in
//!   another casing (`ContactfolderUpdateRequestBody` has `Contactfolder`, the
//!   type is `ContactFolder`).
//!
//! `msgraph-concepts DOCS_DIR [--list] [--ceilings FILE]` prints them; FIDELITY.md,
//! "One concept, one name", has the figures of the Graph trees.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use msgraph_gen::diff::{OperationSurface, Surface, TypeSurface};

/// The catch-all variant of the generated string enums (the generator's
/// `ENUM_CATCH_ALL`): not a member of the concept. The surface leaves it out
/// today; a surface that lists it is read the same.
pub const ENUM_CATCH_ALL: &str = "Unrecognized";

/// The three figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConceptMetric {
    EnumsSharingMembers,
    BodiesDuplicatingResource,
    NamesNotOwnCasing,
}

impl ConceptMetric {
    pub const ALL: [ConceptMetric; 3] = [ConceptMetric::EnumsSharingMembers, ConceptMetric::BodiesDuplicatingResource, ConceptMetric::NamesNotOwnCasing];

    /// The name in the output and in ceilings files.
    pub fn key(self) -> &'static str {
        match self {
            ConceptMetric::EnumsSharingMembers => "enums-sharing-members",
            ConceptMetric::BodiesDuplicatingResource => "bodies-duplicating-resource",
            ConceptMetric::NamesNotOwnCasing => "names-not-own-casing",
        }
    }

    pub fn from_key(key: &str) -> Option<ConceptMetric> {
        ConceptMetric::ALL.into_iter().find(|m| m.key() == key)
    }
}

/// Enums with the same member set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumGroup {
    /// The variant names, sorted.
    pub members: Vec<String>,
    /// The enums' Rust paths, sorted (two or more).
    pub enums: Vec<String>,
}

/// A request body whose fields are all fields of the operation's resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateBody {
    /// The body type's Rust path.
    pub body: String,
    /// The resource type's Rust path.
    pub resource: String,
    /// How the resource was found: `response` or `name prefix`.
    pub via: &'static str,
    /// The operations (Rust calls) that send it to that resource, sorted.
    pub operations: Vec<String>,
}

/// A type name with another type's name in another casing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MiscasedName {
    /// The name (last path segment).
    pub name: String,
    /// The types of that name (Rust paths).
    pub types: Vec<String>,
    /// The run of the name that spells the other type (the longest one).
    pub run: String,
    /// The other type's Rust path.
    pub other: String,
}

/// The three figures of a surface, with their offenders.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Concepts {
    pub enum_groups: Vec<EnumGroup>,
    pub bodies: Vec<DuplicateBody>,
    pub names: Vec<MiscasedName>,
}

impl Concepts {
    pub fn of(surface: &Surface) -> Concepts {
        Concepts { enum_groups: enum_groups(surface), bodies: duplicate_bodies(surface), names: miscased_names(surface) }
    }

    /// A figure: the enums in groups (not the groups), the body types, the names.
    pub fn count(&self, m: ConceptMetric) -> usize {
        match m {
            ConceptMetric::EnumsSharingMembers => self.enum_groups.iter().map(|g| g.enums.len()).sum(),
            ConceptMetric::BodiesDuplicatingResource => self.bodies.len(),
            ConceptMetric::NamesNotOwnCasing => self.names.len(),
        }
    }

    /// One line per figure; with `list`, its offenders under it.
    pub fn render(&self, list: bool) -> String {
        let mut s = String::new();
        for m in ConceptMetric::ALL {
            let _ = write!(s, "{} {}", m.key(), self.count(m));
            if m == ConceptMetric::EnumsSharingMembers {
                let _ = write!(s, " ({} groups)", self.enum_groups.len());
            }
            s.push('\n');
            if !list {
                continue;
            }
            match m {
                ConceptMetric::EnumsSharingMembers => {
                    for g in &self.enum_groups {
                        let _ = writeln!(s, "  {} {{{}}}", g.enums.join(" "), g.members.join(", "));
                    }
                }
                ConceptMetric::BodiesDuplicatingResource => {
                    for b in &self.bodies {
                        let more = if b.operations.len() > 1 { format!(" (and {} more)", b.operations.len() - 1) } else { String::new() };
                        let _ = writeln!(s, "  {} ~ {} ({}; {}{more})", b.body, b.resource, b.via, b.operations[0]);
                    }
                }
                ConceptMetric::NamesNotOwnCasing => {
                    for n in &self.names {
                        let _ = writeln!(s, "  {}: {} ~ {}", n.types.join(" "), n.run, n.other);
                    }
                }
            }
        }
        s
    }
}

fn is_enum(t: &TypeSurface) -> bool {
    t.kind == "enum" || t.kind == "flags"
}

fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

/// Enum types grouped by member set; the groups of two or more, sorted by their
/// first enum.
pub fn enum_groups(surface: &Surface) -> Vec<EnumGroup> {
    let mut by_members: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    for (path, t) in &surface.types {
        if !is_enum(t) {
            continue;
        }
        let members: Vec<String> = t.members.iter().filter(|m| m.as_str() != ENUM_CATCH_ALL).cloned().collect();
        by_members.entry(members).or_default().push(path.clone());
    }
    let mut groups: Vec<EnumGroup> = by_members.into_iter().filter(|(_, e)| e.len() >= 2).map(|(members, enums)| EnumGroup { members, enums }).collect();
    groups.sort_by(|a, b| a.enums.cmp(&b.enums));
    groups
}

/// Splits `text` at its top-level commas.
fn split_top(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (i, c) in text.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    parts
}

/// A named type as the concept it holds: `graph::FooKind` (the holder of a
/// polymorphic `graph::Foo`) is `graph::Foo`.
fn holder_target<'a>(surface: &Surface, path: &'a str) -> &'a str {
    match path.strip_suffix("Kind") {
        Some(base) if !surface.types.contains_key(path) && surface.types.get(base).is_some_and(|t| t.kind == "struct" && t.polymorphic) => base,
        _ => path,
    }
}

/// A Rust type text as a concept: no `Box`, holders as their struct, enums (and
/// flags of them) as `String`.
pub fn concept_type(surface: &Surface, text: &str) -> String {
    let text = text.trim();
    if let Some((head, rest)) = text.split_once('<') {
        let inner = rest.strip_suffix('>').unwrap_or(rest);
        let args: Vec<String> = split_top(inner).into_iter().map(|a| concept_type(surface, a)).collect();
        return match head {
            "Box" if args.len() == 1 => args[0].clone(),
            "Flags" if args.len() == 1 && args[0] == "String" => "String".to_string(),
            _ => format!("{head}<{}>", args.join(", ")),
        };
    }
    let path = holder_target(surface, text);
    match surface.types.get(path) {
        Some(t) if is_enum(t) => "String".to_string(),
        _ => path.to_string(),
    }
}

/// The struct an operation's response is, when it is a single one.
fn response_struct<'a>(surface: &Surface, op: &'a OperationSurface) -> Option<&'a str> {
    let r = op.response.trim();
    if r == "none" || r.starts_with("page of ") {
        return None;
    }
    let r = r.strip_prefix("Box<").and_then(|r| r.strip_suffix('>')).unwrap_or(r);
    let r = holder_target(surface, r);
    surface.types.get(r).is_some_and(|t| t.kind == "struct").then_some(r)
}

/// The struct whose name, lower-cased, is the longest proper prefix of the
/// body's name lower-cased (the body's own module first on a tie).
fn prefix_struct<'a>(surface: &'a Surface, body: &str) -> Option<&'a str> {
    let body_name = last_segment(body).to_ascii_lowercase();
    let body_module = body.rsplit_once("::").map(|(m, _)| m);
    let mut best: Option<(usize, bool, &str)> = None;
    for (path, t) in &surface.types {
        if t.kind != "struct" || path == body {
            continue;
        }
        let name = last_segment(path).to_ascii_lowercase();
        if name.len() >= body_name.len() || !body_name.starts_with(&name) {
            continue;
        }
        let same_module = path.rsplit_once("::").map(|(m, _)| m) == body_module;
        let key = (name.len(), same_module);
        if best.is_none_or(|(l, s, _)| key > (l, s)) {
            best = Some((key.0, key.1, path));
        }
    }
    best.map(|(_, _, p)| p)
}

/// Whether every field of `body` is a field of `resource` (name and concept type).
fn fields_within(surface: &Surface, body: &TypeSurface, resource: &TypeSurface) -> bool {
    !body.properties.is_empty()
        && body.properties.iter().all(|(name, ty)| resource.properties.get(name).is_some_and(|rt| concept_type(surface, ty) == concept_type(surface, rt)))
}

/// The suffix of the types the generator names after an operation's body
/// (`ContactfolderUpdateRequestBody`).
const REQUEST_BODY: &str = "RequestBody";

/// Whether `ancestor` is a base of `path`, at any depth (a body of the base type
/// of the resource is that resource's own concept).
fn is_ancestor(surface: &Surface, ancestor: &str, path: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut at = surface.types.get(path).and_then(|t| t.base.as_deref());
    while let Some(base) = at {
        if base == ancestor {
            return true;
        }
        if !seen.insert(base) {
            return false;
        }
        at = surface.types.get(base).and_then(|t| t.base.as_deref());
    }
    false
}

/// The request bodies that duplicate their operation's resource, by body type.
pub fn duplicate_bodies(surface: &Surface) -> Vec<DuplicateBody> {
    let mut found: BTreeMap<String, DuplicateBody> = BTreeMap::new();
    for (call, op) in &surface.operations {
        // An update (PATCH, PUT) or a create (a POST answered `201 Created`): any
        // other POST is an action, whose body is its arguments, not the resource.
        let create = op.method == "POST" && op.status == 201;
        if !(create || matches!(op.method.as_str(), "PATCH" | "PUT")) {
            continue;
        }
        let Some(body_text) = op.body.as_deref() else { continue };
        let body_path = holder_target(surface, body_text.trim());
        let Some(body) = surface.types.get(body_path).filter(|t| t.kind == "struct") else { continue };
        let (resource_path, via) = match response_struct(surface, op) {
            Some(r) => (r, "response"),
            // By name only for a body the operation's page declares.
            None if !create && body_path.ends_with(REQUEST_BODY) => match prefix_struct(surface, body_path) {
                Some(r) => (r, "name prefix"),
                None => continue,
            },
            None => continue,
        };
        if resource_path == body_path || is_ancestor(surface, body_path, resource_path) {
            continue;
        }
        let Some(resource) = surface.types.get(resource_path) else { continue };
        if !fields_within(surface, body, resource) {
            continue;
        }
        let entry = found.entry(body_path.to_string()).or_insert_with(|| DuplicateBody {
            body: body_path.to_string(),
            resource: resource_path.to_string(),
            via,
            operations: Vec::new(),
        });
        entry.operations.push(call.clone());
    }
    found.into_values().collect()
}

/// The word starts of a CamelCase name: its start and each capital.
fn word_starts(name: &str) -> impl Iterator<Item = usize> + '_ {
    name.bytes().enumerate().filter(|&(i, b)| i == 0 || b.is_ascii_uppercase()).map(|(i, _)| i)
}

/// Whether a word of `name` ends at byte `end`: the name's end or a capital, or
/// those after a plural `s` (`Timeoffreasons`): `Signin` is no word of `CodeSigning`.
fn word_end(name: &str, end: usize) -> bool {
    let b = name.as_bytes();
    let boundary = |i: usize| i >= b.len() || b[i].is_ascii_uppercase();
    boundary(end) || (b.get(end) == Some(&b's') && boundary(end + 1))
}

/// The type names that spell another type's name (of two words or more) in
/// another casing, as a run of whole words; each name once.
pub fn miscased_names(surface: &Surface) -> Vec<MiscasedName> {
    // Lower-cased name -> the types of two words or more with that name.
    let mut by_lower: HashMap<String, Vec<&str>> = HashMap::new();
    let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for path in surface.types.keys() {
        let name = last_segment(path);
        by_name.entry(name).or_default().push(path);
        if name.is_ascii() && word_starts(name).count() >= 2 {
            by_lower.entry(name.to_ascii_lowercase()).or_default().push(path);
        }
    }
    let mut out = Vec::new();
    for (name, paths) in by_name {
        if !name.is_ascii() {
            continue;
        }
        let lower = name.to_ascii_lowercase();
        let mut best: Option<(&str, &str)> = None;
        for start in word_starts(name) {
            for end in (start + 2..=name.len()).filter(|&end| word_end(name, end)) {
                let run = &name[start..end];
                let Some(others) = by_lower.get(&lower[start..end]) else { continue };
                let Some(other) = others.iter().find(|o| last_segment(o) != run) else { continue };
                if best.is_none_or(|(r, _)| run.len() > r.len()) {
                    best = Some((run, other));
                }
            }
        }
        if let Some((run, other)) = best {
            out.push(MiscasedName {
                name: name.to_string(),
                types: paths.iter().map(|p| p.to_string()).collect(),
                run: run.to_string(),
                other: other.to_string(),
            });
        }
    }
    out
}

/// Ceilings: lines `metric count` (`#` starts a comment). Returns the figures
/// above their ceiling, as messages naming the metric.
pub fn check_ceilings(concepts: &Concepts, ceilings: &str) -> Result<Vec<String>, String> {
    let mut above = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, line) in ceilings.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split_whitespace();
        let (Some(k), Some(v), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("ceilings line {}: expected `metric count`, got {line:?}", i + 1));
        };
        let known = || ConceptMetric::ALL.map(ConceptMetric::key).join(", ");
        let m = ConceptMetric::from_key(k).ok_or_else(|| format!("ceilings line {}: unknown metric {k:?} (known: {})", i + 1, known()))?;
        let max: usize = v.parse().map_err(|_| format!("ceilings line {}: {v:?} is not a count", i + 1))?;
        if !seen.insert(m) {
            return Err(format!("ceilings line {}: {k} is given twice", i + 1));
        }
        let got = concepts.count(m);
        if got > max {
            above.push(format!("{k} is {got}, above its ceiling {max}"));
        }
    }
    Ok(above)
}
