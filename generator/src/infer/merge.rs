//! Evidence merged by precedence into the API model.

use super::*;

impl Inferrer<'_> {
    // ---- merge ----

    pub(super) fn kind_of(&self, name: &str) -> Kind {
        self.types.get(name).map_or(Kind::Unknown, |b| b.kind)
    }

    pub(super) fn is_sub(&self, child: &str, ancestor: &str) -> bool {
        std::iter::once(child).chain(self.ancestors(child)).any(|t| t == ancestor)
    }

    pub(super) fn compatible(&self, winner: &TypeRef, other: &TypeRef) -> bool {
        match (winner, other) {
            (a, b) if a == b => true,
            (TypeRef::Prim(Prim::Json), _) | (_, TypeRef::Prim(Prim::Json)) => true,
            (TypeRef::Prim(a), TypeRef::Prim(b)) => (a.is_numeric() && b.is_numeric()) || (a.is_stringly() && b.is_stringly()),
            (TypeRef::Named(n), TypeRef::Prim(p)) | (TypeRef::Prim(p), TypeRef::Named(n)) => match self.kind_of(n) {
                Kind::Enum => p.is_stringly(),
                Kind::Unknown => true,
                Kind::Struct => false,
            },
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                self.is_sub(a, b) || self.is_sub(b, a) || self.kind_of(a) == Kind::Unknown || self.kind_of(b) == Kind::Unknown
            }
            (TypeRef::Collection(a), TypeRef::Collection(b)) => self.compatible(a, b),
            _ => false,
        }
    }

    pub(super) fn finish(&mut self, mut operations: Vec<Operation>) -> Api {
        let mut types: BTreeMap<String, TypeDef> = BTreeMap::new();
        let names: Vec<String> = self.types.keys().cloned().collect();
        self.check_bases(&names);
        for name in &names {
            // The builder's evidence is moved out for the merge and back after it,
            // not copied: merging reads other types' evidence (of ancestors, never
            // of the type itself) and of this type only its kind and base.
            let Some(entry) = self.types.get_mut(name) else { continue };
            let evidence = (std::mem::take(&mut entry.props), std::mem::take(&mut entry.members), std::mem::take(&mut entry.index));
            let mut b = entry.clone();
            (b.props, b.members, b.index) = evidence;
            let def = self.merge_type(name, &b);
            if let Some(entry) = self.types.get_mut(name) {
                (entry.props, entry.members, entry.index) = (b.props, b.members, b.index);
            }
            if let Some(def) = def {
                types.insert(name.clone(), def);
            }
        }
        self.unify_inherited_spellings(&mut types);
        self.one_type_per_concept(&mut types, &mut operations);
        // References to types nobody defined become raw JSON, with a warning.
        let diags = &mut self.diags;
        let mut api = Api::new(types.into_values(), operations, |n, at| {
            diags.push(
                Diagnostic::new(Code::UnresolvedType, at.clone(), format!("type {n} is referenced but no page defines it; typed as raw JSON"))
                    .hint("add a resource or enum page for it, or fix the type name"),
            )
        });
        api.operations.sort_by(|a, b| a.id.cmp(&b.id));
        api
    }

    /// One type's definition from its builder `b` (`None` for a type only referenced).
    fn merge_type(&mut self, name: &str, b: &Builder) -> Option<TypeDef> {
        if let [first, second, ..] = b.definitions.as_slice() {
            let mut d = Diagnostic::new(Code::DuplicateDefinition, second.clone(), format!("{name} is defined more than once; the definitions are merged"));
            d = d.related(first.clone(), "first definition");
            self.diags.push(d.hint("keep one definition of the type"));
        }
        let (ns, simple) = split_name(name);
        let kind = match b.kind {
            Kind::Enum => {
                let (mut members, flags) = self.merge_members(name, &b.members);
                self.wire_spellings(name, &mut members);
                if members.is_empty() {
                    self.diags
                        .push(Diagnostic::new(Code::EnumConflict, b.span.clone(), format!("enum {name} has no members")).hint("list the members in a table"));
                }
                TypeKind::Enum { members, flags }
            }
            Kind::Struct => TypeKind::Struct {
                properties: self.merge_props(name, b),
                base: b.base.as_ref().map(|(b, _)| b.clone()),
                open: b.open,
                is_abstract: b.is_abstract,
                key: b.key.clone(),
            },
            Kind::Unknown => return None,
        };
        Some(TypeDef {
            full_name: name.to_string(),
            namespace: ns.to_string(),
            name: simple.to_string(),
            doc: b.doc.clone(),
            span: b.span.clone(),
            kind,
            area: b.area.clone(),
            deprecated: b.deprecated.clone(),
            defined: !b.definitions.is_empty(),
        })
    }

    /// Bases must exist and be acyclic: a base no page defines is dropped, and a
    /// cycle is broken at one edge, with a diagnostic each.
    fn check_bases(&mut self, names: &[String]) {
        for name in names {
            let Some(b) = self.types.get(name) else { continue };
            if let Some((base, span)) = b.base.clone() {
                if self.kind_of(&base) != Kind::Struct {
                    self.diags.push(
                        Diagnostic::new(Code::UnknownBaseType, span, format!("{name} inherits from {base}, which no page defines; the base is ignored"))
                            .hint("add a resource page for the base type or fix the name"),
                    );
                    if let Some(t) = self.types.get_mut(name) {
                        t.base = None;
                    }
                    continue;
                }
                // A cycle is broken at one edge: the base link of the cycle member whose
                // full name sorts first. (Types that only lead into a cycle keep theirs.)
                let (seen, closing) = {
                    let mut walk = self.ancestors(name);
                    let seen: Vec<String> = std::iter::once(name.as_str()).chain(walk.by_ref()).map(str::to_string).collect();
                    (seen, walk.repeated().map(str::to_string))
                };
                if let Some((c, at)) = closing.and_then(|c| seen.iter().position(|s| *s == c).map(|at| (c, at))) {
                    let cycle = seen[at..].to_vec();
                    let Some(first) = cycle.iter().min().cloned() else { continue };
                    let Some((_, first_span)) = self.types.get(&first).and_then(|b| b.base.clone()) else { continue };
                    let mut d = Diagnostic::new(
                        Code::InheritanceCycle,
                        first_span,
                        format!("base types form a cycle: {} -> {c}; {first} is read without its base", cycle.join(" -> ")),
                    );
                    for m in cycle.iter().filter(|m| **m != first) {
                        if let Some((_, mspan)) = self.types.get(m).and_then(|b| b.base.clone()) {
                            d = d.related(mspan, format!("{m} names its base here"));
                        }
                    }
                    self.diags.push(d.hint("one of the baseType annotations or \"Inherits from\" sentences is wrong"));
                    if let Some(t) = self.types.get_mut(&first) {
                        t.base = None;
                    }
                }
            }
        }
    }

    /// One property per spelling key: the spellings the sources show of one property
    /// (`printerId` / `printerID`, `rank ` / `rank`) are one field, serialized with
    /// the spelling of the best source (then the first position) and accepting the
    /// others. Fields come from authority: a property that only examples show is no
    /// field of an open type, of a type whose own table lists its properties, or of
    /// a type that inherits it; its data stays in `additional_properties`.
    pub(super) fn merge_props(&mut self, owner: &str, b: &Builder) -> Vec<Property> {
        let mut out = Vec::new();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut group_of: HashMap<String, usize> = HashMap::new();
        for (i, (wire, _)) in b.props.iter().enumerate() {
            let g = *group_of.entry(spelling_key(wire)).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
        }
        let rank = |i: usize| b.props[i].1.iter().map(|e| (e.source, e.span.clone())).min();
        for mut group in groups {
            group.sort_by_key(|&i| rank(i));
            let wire = &b.props[group[0]].0;
            let mut sorted: Vec<&Evidence> = group.iter().flat_map(|&i| &b.props[i].1).collect();
            if sorted.is_empty() {
                continue;
            }
            sorted.sort_by(|a, b| a.source.cmp(&b.source).then_with(|| a.span.cmp(&b.span)));
            let best = sorted[0];
            let inherited = self.inherited_has(owner, wire);
            // The resource annotation's keyProperty is declared, even if no table lists it.
            let keyed = b.key.as_deref().is_some_and(|k| spelling_key(k) == spelling_key(wire));
            // The representation of an open type without a property table shows sample
            // dynamic properties (fieldValueSet's list columns), not declared ones.
            let sample = best.source == Source::Example || (b.open && !b.has_table && best.source == Source::ResourceJson);
            if sample && !keyed && (b.open || b.has_table || inherited) {
                // Open types carry any property; a listed one is only reported.
                if b.has_table && !b.open && !inherited {
                    self.diags.push(
                        Diagnostic::new(
                            Code::UnknownProperty,
                            best.span.clone(),
                            format!("property {wire} of {owner} appears in a {} but in no property table; it is no field (its data is kept in additional_properties)", best.source.describe()),
                        )
                        .related(b.span.clone(), "the type is defined here")
                        .hint(format!("add {wire} to the property table of {owner}, or remove it from the example")),
                    );
                }
                continue;
            }
            // A derived type's representation repeating an inherited property that a base
            // type's table types: the base's declaration stands (a JSON number is no
            // evidence against `Int32` or `Double`).
            if best.source == Source::ResourceJson && self.inherited_from_table(owner, wire) {
                continue;
            }
            // Unknown property: shown by lower sources only, on a type that has a page.
            if !b.open && b.defined_by.is_some_and(|d| best.source > d) && !inherited {
                let mut d = Diagnostic::new(
                    Code::UnknownProperty,
                    best.span.clone(),
                    format!("property {wire} of {owner} appears in a {} but in no property table", best.source.describe()),
                )
                .hint(format!("add {wire} to the property table of {owner}, or remove it from the example"));
                d = d.related(b.span.clone(), "the type is defined here");
                self.diags.push(d);
            }
            let mut aliases = self.spelling_aliases(owner, wire, b, &group, best);
            aliases.sort();
            let doc = sorted.iter().find_map(|e| e.doc.clone());
            let ty = if best.source == Source::Example {
                // Among examples, prefer what is not a bare placeholder and not raw JSON.
                sorted
                    .iter()
                    .filter(|e| e.source == Source::Example)
                    .find(|e| !matches!(e.ty.element(), TypeRef::Prim(Prim::Json)))
                    .map_or(best.ty.clone(), |e| e.ty.clone())
            } else {
                best.ty.clone()
            };
            self.check_agreement(owner, wire, &ty, best, &sorted);
            if best.placeholder && sorted.iter().all(|e| e.source == Source::Example) {
                self.diags.push(
                    Diagnostic::new(
                        Code::PlaceholderValue,
                        best.span.clone(),
                        format!("example gives the type placeholder {} for {owner}.{wire} instead of a value", ty.describe()),
                    )
                    .hint("use a real value in examples"),
                );
            }
            // Deprecated when a declaring source says so.
            let deprecated = sorted.iter().filter(|e| e.source < Source::Example).find_map(|e| e.deprecated.clone());
            out.push(Property { wire: wire.clone(), aliases, ty, doc, span: best.span.clone(), source: best.source, navigation: best.navigation, deprecated });
        }
        out
    }

    /// The other spellings in a property's group (`group`: indices into `b.props`,
    /// best first), each with its diagnostic: a case difference in an example, or
    /// a spelling variant.
    fn spelling_aliases(&mut self, owner: &str, wire: &str, b: &Builder, group: &[usize], best: &Evidence) -> Vec<String> {
        let mut aliases: Vec<String> = Vec::new();
        for &i in group.iter().skip(1) {
            let (other, ev) = &b.props[i];
            let Some(first) = ev.iter().min_by(|x, y| x.source.cmp(&y.source).then_with(|| x.span.cmp(&y.span))) else {
                // (A spelling is recorded with its evidence: never empty.)
                aliases.push(other.clone());
                continue;
            };
            let d = if first.source == Source::Example && best.source < Source::Example && other.eq_ignore_ascii_case(wire) {
                Diagnostic::new(Code::PropertyCase, first.span.clone(), format!("example spells {owner}.{wire} as {other}; it is read into the {wire} field"))
                    .related(best.span.clone(), format!("declared as {wire} here"))
                    .hint("JSON property names are case-sensitive; use the declared spelling")
            } else {
                Diagnostic::new(
                    Code::PropertySpelling,
                    first.span.clone(),
                    format!("{owner}.{wire} is spelled {other:?} here; one field, serialized as {wire:?}, accepting {other:?} too"),
                )
                .related(best.span.clone(), format!("spelled {wire:?} here (the {})", best.source.describe()))
                .hint("spell the property the same everywhere")
            };
            self.diags.push(d);
            aliases.push(other.clone());
        }
        aliases
    }

    /// Every other source's view of a property checked against the chosen type
    /// `ty`: placeholders where a typed value belongs, and incompatible types.
    fn check_agreement(&mut self, owner: &str, wire: &str, ty: &TypeRef, best: &Evidence, sorted: &[&Evidence]) {
        for other in sorted.iter().skip(1) {
            if other.placeholder {
                // A placeholder where a plain string belongs is a valid string; where
                // an enum or a typed primitive belongs, it is a defect that would fail
                // to parse (or parse as an unknown member).
                let what = match ty.element() {
                    TypeRef::Named(n) if self.kind_of(n) == Kind::Enum => Some(format!("an enum {}", ty.describe())),
                    TypeRef::Prim(p) if !matches!(p, Prim::String | Prim::Stream | Prim::Json) => Some(format!("a {p:?}")),
                    _ => None,
                };
                if let Some(what) = what {
                    self.diags.push(
                        Diagnostic::new(Code::PlaceholderValue, other.span.clone(), format!("example gives a placeholder for {owner}.{wire}, which is {what}"))
                            .related(best.span.clone(), format!("{wire} is declared as {} here", ty.describe()))
                            .hint("use a real value of the declared type in examples"),
                    );
                    continue;
                }
            }
            if !self.compatible(ty, &other.ty) {
                self.diags.push(
                    Diagnostic::new(
                        Code::TypeConflict,
                        other.span.clone(),
                        format!(
                            "{} shows {owner}.{wire} as {}, but the {} says {}",
                            other.source.describe(),
                            other.ty.describe(),
                            best.source.describe(),
                            ty.describe()
                        ),
                    )
                    .related(best.span.clone(), format!("{} is used (from the {})", ty.describe(), best.source.describe()))
                    .hint("make the sources agree; the higher-precedence source wins"),
                );
            }
        }
    }
}
