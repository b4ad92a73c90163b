//! One concept, one type: after the merge, types that the docs made twice for one
//! concept become the one type the docs name.
//!
//! * A **value-list enum** (made from a description's "Possible values are ..."
//!   list, named `<Owner><Property>`) is the enum its property already has: the
//!   type of the same property on a base type (a status inherited by eleven
//!   operation types is the base's one enum), else the one enum a page defines
//!   with the same members (by [`spelling_key`]) whose name ends with the
//!   property's name (`importance` -> `importance`), else the one such enum of
//!   any name when the list has three or more members, else (for a request body's
//!   list) the one value-list enum of a resource for the same property with the
//!   same members (`rangeSort`'s `method` -> `workbookTableSort`'s). Members the list has and
//!   the enum lacks are reported (`enum-merged`) and read into the enum's
//!   catch-all; spellings the list adds are accepted as aliases.
//! * An **ad-hoc request body** (a `<Page>RequestBody` made from an API page's
//!   request-body table) of an update or a create whose every property is a
//!   property of its resource, with the same type, is that resource (an update's
//!   resource: the type it returns, else the type its page stem names; a create's,
//!   a POST answered `201 Created`: the type it returns): the operation takes the
//!   resource type, as `users().by_id(id).update(&User)` does. A property whose
//!   type differs only as a string differs from an enum, as one value differs from
//!   a collection of them, or as an unreadable type cell differs from any type, is
//!   reported (`body-is-resource`) and takes the resource's type; a property the
//!   resource lacks, or of another type, keeps the body a type of its own. The
//!   value-list enums of a body that became its resource go with it.
//!
//! Resources' own value-list enums are never merged with each other: a new page
//! with the same list must not move an existing enum's name.

use super::*;

/// The member set of an enum, by spelling key.
fn member_keys(members: &[EnumMember]) -> BTreeSet<String> {
    members.iter().map(|m| spelling_key(&m.wire)).collect()
}

/// The enum members of `t`, if it is an enum.
fn members_of<'t>(types: &'t BTreeMap<String, TypeDef>, name: &str) -> Option<&'t [EnumMember]> {
    match types.get(name).map(|t| &t.kind) {
        Some(TypeKind::Enum { members, .. }) => Some(members),
        _ => None,
    }
}

/// The named type at the bottom of `ty`, if any.
fn named(ty: &TypeRef) -> Option<&str> {
    match ty.element() {
        TypeRef::Named(n) => Some(n),
        _ => None,
    }
}

/// `ty` with every name in `renames` replaced.
fn renamed(ty: &mut TypeRef, renames: &BTreeMap<String, String>) {
    match ty {
        TypeRef::Named(n) => {
            if let Some(to) = renames.get(n.as_str()) {
                *n = to.clone();
            }
        }
        TypeRef::Collection(inner) => renamed(inner, renames),
        TypeRef::Prim(_) => {}
    }
}

/// Follow `renames` from `name` to its end (a chain `a -> b -> c` is `c`; a cycle
/// ends where it would repeat).
fn follow(renames: &BTreeMap<String, String>, name: &str) -> String {
    let mut seen = BTreeSet::new();
    let mut at = name.to_string();
    while let Some(next) = renames.get(&at) {
        if !seen.insert(at.clone()) {
            break;
        }
        at = next.clone();
    }
    at
}

impl Inferrer<'_> {
    /// The pass this module describes. Runs on the merged types, before the model's
    /// name table is built.
    pub(super) fn one_type_per_concept(&mut self, types: &mut BTreeMap<String, TypeDef>, operations: &mut [Operation]) {
        let (enums, spellings) = self.shared_enums(types);
        for (target, wire) in spellings {
            if let Some(TypeKind::Enum { members, .. }) = types.get_mut(&follow(&enums, &target)).map(|t| &mut t.kind) {
                let key = spelling_key(&wire);
                if let Some(m) = members.iter_mut().find(|m| spelling_key(&m.wire) == key && m.wire != wire && !m.aliases.contains(&wire)) {
                    m.aliases.push(wire);
                    m.aliases.sort();
                }
            }
        }
        self.apply_renames(types, operations, &enums);
        let bodies = self.resource_bodies(types, operations);
        self.apply_renames(types, operations, &bodies);
        if !bodies.is_empty() {
            self.drop_orphan_lists(types, operations);
        }
    }

    /// The value-list enums no property or operation uses any more (those of the
    /// request bodies that became their resource) are removed.
    fn drop_orphan_lists(&self, types: &mut BTreeMap<String, TypeDef>, operations: &[Operation]) {
        let mut used: BTreeSet<&str> = BTreeSet::new();
        for t in types.values() {
            if let TypeKind::Struct { properties, .. } = &t.kind {
                used.extend(properties.iter().filter_map(|p| named(&p.ty)));
            }
        }
        for op in operations {
            used.extend(op.body.as_ref().and_then(named));
            if let ResponseBody::Single(t) | ResponseBody::Collection(t) = &op.response {
                used.extend(named(t));
            }
        }
        let orphans: Vec<String> = self.value_lists.keys().filter(|v| types.contains_key(*v) && !used.contains(v.as_str())).cloned().collect();
        for o in orphans {
            types.remove(&o);
        }
    }

    /// Every name in `renames` replaced by its target (chains followed) in the types'
    /// properties and the operations' bodies and responses; the renamed types are
    /// removed.
    fn apply_renames(&mut self, types: &mut BTreeMap<String, TypeDef>, operations: &mut [Operation], renames: &BTreeMap<String, String>) {
        if renames.is_empty() {
            return;
        }
        let resolved: BTreeMap<String, String> = renames.keys().map(|k| (k.clone(), follow(renames, k))).filter(|(k, v)| k != v).collect();
        for t in types.values_mut() {
            if let TypeKind::Struct { properties, .. } = &mut t.kind {
                for p in properties {
                    renamed(&mut p.ty, &resolved);
                }
            }
        }
        for op in operations {
            if let Some(b) = &mut op.body {
                renamed(b, &resolved);
            }
            match &mut op.response {
                ResponseBody::Single(t) | ResponseBody::Collection(t) => renamed(t, &resolved),
                ResponseBody::None => {}
            }
        }
        for gone in resolved.keys() {
            types.remove(gone);
        }
    }

    /// Value-list enums -> the enum of their concept, and the member spellings
    /// (target, wire) the lists add.
    fn shared_enums(&mut self, types: &BTreeMap<String, TypeDef>) -> (BTreeMap<String, String>, Vec<(String, String)>) {
        // Who uses each value-list enum: (owner, property wire), in name order.
        let mut users: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
        for t in types.values() {
            if let TypeKind::Struct { properties, .. } = &t.kind {
                for p in properties {
                    if let Some(n) = named(&p.ty).filter(|n| self.value_lists.contains_key(*n)) {
                        users.entry(n).or_default().push((t.full_name.as_str(), p.wire.as_str()));
                    }
                }
            }
        }
        // Page-defined enums by member set.
        let mut by_members: BTreeMap<BTreeSet<String>, Vec<&str>> = BTreeMap::new();
        for t in types.values() {
            if let TypeKind::Enum { members, .. } = &t.kind {
                if !self.value_lists.contains_key(&t.full_name) && !members.is_empty() {
                    by_members.entry(member_keys(members)).or_default().push(&t.full_name);
                }
            }
        }
        let base_of = |t: &str| struct_base(types, t);
        // Value-list enums of resources (no user is an ad-hoc request body) by
        // (property, member set): what a body's list of the same property means.
        let mut of_resources: BTreeMap<(String, BTreeSet<String>), Vec<&str>> = BTreeMap::new();
        for (v, us) in &users {
            if us.iter().any(|(owner, _)| self.adhoc_bodies.contains_key(*owner)) {
                continue;
            }
            let Some(keys) = members_of(types, v).map(member_keys) else { continue };
            let wires: BTreeSet<String> = us.iter().map(|(_, wire)| spelling_key(wire)).collect();
            for w in wires {
                of_resources.entry((w, keys.clone())).or_default().push(v);
            }
        }
        let mut renames = BTreeMap::new();
        let mut merges: Vec<(String, String, Vec<String>)> = Vec::new();
        for (v, us) in &users {
            let Some(v_members) = members_of(types, v) else { continue };
            let keys = member_keys(v_members);
            // The same property on a base type, typed with an enum.
            let inherited: BTreeSet<&str> = us
                .iter()
                .filter_map(|(owner, wire)| {
                    let key = spelling_key(wire);
                    ancestors(*owner, base_of).find_map(|a| match types.get(a).map(|t| &t.kind) {
                        Some(TypeKind::Struct { properties, .. }) => properties
                            .iter()
                            .find(|p| spelling_key(&p.wire) == key)
                            .and_then(|p| named(&p.ty))
                            .filter(|n| *n != *v && members_of(types, n).is_some()),
                        _ => None,
                    })
                })
                .collect();
            let target = if inherited.len() == 1 {
                inherited.first().map(|s| s.to_string())
            } else if inherited.is_empty() {
                // A page-defined enum with the same members: the one named like the
                // property, else the only one (three or more members).
                let candidates = by_members.get(&keys).map(Vec::as_slice).unwrap_or_default();
                let named_like: Vec<&&str> =
                    candidates.iter().filter(|c| us.iter().all(|(_, wire)| spelling_key(split_name(c).1).ends_with(&spelling_key(wire)))).collect();
                // A request body's list: the one resource's enum of the same property
                // with the same members.
                let body_only = us.iter().all(|(owner, _)| self.adhoc_bodies.contains_key(*owner));
                let wires: BTreeSet<String> = us.iter().map(|(_, wire)| spelling_key(wire)).collect();
                let resource_enum = match (body_only, wires.first(), wires.len()) {
                    (true, Some(w), 1) => match of_resources.get(&(w.clone(), keys.clone())).map(Vec::as_slice) {
                        Some([one]) => Some(one.to_string()),
                        _ => None,
                    },
                    _ => None,
                };
                match (named_like.as_slice(), candidates) {
                    ([one], _) => Some(one.to_string()),
                    ([], [only]) if keys.len() >= 3 => Some(only.to_string()),
                    _ => resource_enum,
                }
            } else {
                None
            };
            let Some(target) = target else { continue };
            let t_keys = members_of(types, &target).map(member_keys).unwrap_or_default();
            let extra: Vec<String> = v_members.iter().filter(|m| !t_keys.contains(&spelling_key(&m.wire))).map(|m| m.wire.clone()).collect();
            merges.push((v.to_string(), target.clone(), extra));
            renames.insert(v.to_string(), target);
        }
        let mut spellings = Vec::new();
        for (v, target, extra) in merges {
            let Some(vt) = types.get(&v) else { continue };
            if let TypeKind::Enum { members, .. } = &vt.kind {
                spellings.extend(members.iter().flat_map(|m| std::iter::once(&m.wire).chain(&m.aliases)).map(|w| (target.clone(), w.clone())));
            }
            let (owner, wire) = users.get(v.as_str()).and_then(|u| u.first()).copied().unwrap_or(("", ""));
            if !extra.is_empty() {
                let tspan = types.get(&target).map(|t| t.span.clone()).unwrap_or_else(|| vt.span.clone());
                self.diags.push(
                    Diagnostic::new(
                        Code::EnumMerged,
                        vt.span.clone(),
                        format!(
                            "the description of {owner}.{wire} lists {} which enum {target} does not have; the property is typed {target}, and these values are read into its catch-all",
                            extra.join(", ")
                        ),
                    )
                    .related(tspan, format!("enum {target} is defined here"))
                    .hint("list the same values as the enum, or add the values to the enum's table"),
                );
            }
        }
        (renames, spellings)
    }

    /// Ad-hoc bodies that are their resource -> the resource.
    fn resource_bodies(&mut self, types: &BTreeMap<String, TypeDef>, operations: &[Operation]) -> BTreeMap<String, String> {
        let mut resource_of: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for op in operations {
            let Some(b) = op.body.as_ref().and_then(|b| match b {
                TypeRef::Named(n) => Some(n.as_str()),
                _ => None,
            }) else {
                continue;
            };
            if !self.adhoc_bodies.contains_key(b) {
                continue;
            }
            let from_response = match &op.response {
                ResponseBody::Single(TypeRef::Named(r)) if matches!(types.get(r).map(|t| &t.kind), Some(TypeKind::Struct { .. })) => Some(r.clone()),
                _ => None,
            };
            // An update (PATCH, PUT) changes the resource it returns, or the one its
            // page is named after; a create (POST answered `201 Created`) makes the
            // one it returns. Any other POST is an action: its body is its arguments,
            // whatever it returns.
            let resource = match op.method.as_str() {
                "PATCH" | "PUT" => from_response.or_else(|| self.stem_type(&op.id, split_name(b).0, types)),
                "POST" if op.success_status == 201 => from_response,
                _ => None,
            };
            resource_of.entry(b).or_default().insert(resource.unwrap_or_default());
        }
        let base_of = |t: &str| struct_base(types, t);
        let mut renames = BTreeMap::new();
        for (b, rs) in &resource_of {
            let (Some(r), 1) = (rs.first(), rs.len()) else { continue };
            let Some(TypeKind::Struct { properties, base: None, .. }) = types.get(*b).map(|t| &t.kind) else { continue };
            if r.is_empty() || properties.is_empty() || r.as_str() == *b {
                continue;
            }
            // The resource's properties, inherited ones included, by spelling key.
            let mut own: HashMap<String, &Property> = HashMap::new();
            for t in std::iter::once(r.as_str()).chain(ancestors(r.as_str(), base_of)) {
                if let Some(TypeKind::Struct { properties, .. }) = types.get(t).map(|t| &t.kind) {
                    for p in properties {
                        own.entry(spelling_key(&p.wire)).or_insert(p);
                    }
                }
            }
            let mut differs = Vec::new();
            let all = properties.iter().all(|p| match own.get(&spelling_key(&p.wire)) {
                Some(q) if q.ty == p.ty => true,
                Some(q) if self.alike(&q.ty, &p.ty, types) => {
                    differs.push((p, *q));
                    true
                }
                _ => false,
            });
            if !all {
                continue;
            }
            for (p, q) in differs {
                self.diags.push(
                    Diagnostic::new(
                        Code::BodyIsResource,
                        p.span.clone(),
                        format!(
                            "the request body of this page lists only properties of {r}, so the operation takes a {r}; its property {} is typed {} here but {} there, and the resource's type is used",
                            p.wire,
                            type_words(&p.ty),
                            type_words(&q.ty)
                        ),
                    )
                    .related(q.span.clone(), format!("{r}.{} is defined here", q.wire))
                    .hint("give the property the same type in the request-body table as in the resource's table"),
                );
            }
            renames.insert(b.to_string(), r.to_string());
        }
        renames
    }

    /// Two types of one property that a request-body table and the resource's
    /// table may both mean: the same element type, a string and an enum, or raw
    /// JSON (a type cell the body table leaves unreadable) for anything, with or
    /// without "collection" (request-body tables drop it where the example sends an
    /// array).
    fn alike(&self, resource: &TypeRef, body: &TypeRef, types: &BTreeMap<String, TypeDef>) -> bool {
        let is_enum = |t: &TypeRef| matches!(t, TypeRef::Named(n) if members_of(types, n).is_some());
        let is_string = |t: &TypeRef| matches!(t, TypeRef::Prim(Prim::String));
        let (r, b) = (resource.element(), body.element());
        r == b || b == &TypeRef::json() || ((is_enum(r) || is_string(r)) && (is_enum(b) || is_string(b)))
    }

    /// The type a page stem starts with (`contactfolder-update` -> `contactFolder`):
    /// the longest run of its leading words that is, in any case, the name of a
    /// struct in `ns` or the default namespace.
    pub(super) fn stem_type(&self, stem: &str, ns: &str, types: &BTreeMap<String, TypeDef>) -> Option<String> {
        let words: Vec<&str> = stem.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
        (1..=words.len()).rev().find_map(|n| {
            let joined = words[..n].concat();
            [ns, DEFAULT_NAMESPACE].iter().find_map(|ns| {
                let c = self.types.canonical(&format!("{ns}.{joined}"))?;
                matches!(types.get(c).map(|t| &t.kind), Some(TypeKind::Struct { .. })).then(|| c.clone())
            })
        })
    }
}

/// A type as the docs would say it (`String`, `a collection of x`).
fn type_words(t: &TypeRef) -> String {
    match t {
        TypeRef::Prim(p) => format!("{p:?}"),
        TypeRef::Named(n) => split_name(n).1.to_string(),
        TypeRef::Collection(inner) => format!("a collection of {}", type_words(inner)),
    }
}
