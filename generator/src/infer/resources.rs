//! Passes 1 and 2: enum pages, resource definitions, property tables and JSON representations.

use super::*;

impl Inferrer<'_> {
    // ---- pass 1: enums ----

    pub(super) fn enum_tables(&mut self, page: &DocPage) {
        let ns = page.namespace.as_deref();
        for t in &page.enums {
            let full = self.resolve_name(&t.name, ns);
            let full = self.register(&full, Kind::Enum, &t.span, 0, page.area.as_deref());
            if let Some(b) = self.types.get_mut(&full) {
                b.kind = Kind::Enum;
                b.definitions.push(t.span.clone());
            }
            for row in &t.members {
                self.add_member(&full, MemberEvidence { wire: row.wire.clone(), value: row.value, doc: row.doc.clone(), span: row.span.clone(), rank: 0 });
            }
        }
    }

    // ---- pass 1b/2: resources ----

    pub(super) fn resource_name(&self, page: &DocPage, r: &ResourcePage) -> Option<(String, Span)> {
        r.name.as_ref().map(|(n, span)| (self.resolve_name(n, page.namespace.as_deref()), span.clone()))
    }

    pub(super) fn resource_definition(&mut self, page: &DocPage, r: &ResourcePage) {
        let Some((full, span)) = self.resource_name(page, r) else {
            self.diags.push(
                Diagnostic::new(Code::PageSkipped, page.start.clone(), "resource page names no type")
                    .hint("add a `# name resource type` heading or a resource annotation with \"@odata.type\""),
            );
            return;
        };
        let area = page.area.clone();
        let canon = self.register(&full, Kind::Struct, &span, 0, area.as_deref());
        let doc = r.doc.clone();
        // Base type: annotation or prose.
        let ann = r.annotation.as_ref();
        let ann_base = ann.and_then(|a| a.base.clone().map(|b| (b, a.span.clone())));
        let prose_base = self.prose_base(page, r, &canon);
        let ns = page.namespace.clone();
        let base = match (ann_base, prose_base) {
            (Some((a, aspan)), Some((p, pspan))) => {
                let af = self.resolve_name(&a, ns.as_deref());
                let pf = self.resolve_name(&p, ns.as_deref());
                if !af.eq_ignore_ascii_case(&pf) {
                    self.diags.push(
                        Diagnostic::new(Code::TypeConflict, aspan.clone(), format!("annotation baseType is {af} but the page says it inherits from {pf}"))
                            .related(pspan, "the page's inheritance statement")
                            .hint("make the baseType annotation and the \"Inherits from\" sentence agree; the annotation is used"),
                    );
                }
                Some((af, aspan))
            }
            (Some((a, s)), None) => Some((self.resolve_name(&a, ns.as_deref()), s)),
            (None, Some((p, s))) => Some((self.resolve_name(&p, ns.as_deref()), s)),
            (None, None) => None,
        };
        let base = base.map(|(b, s)| (self.register(&b, Kind::Unknown, &s, 2, None), s));
        // "Base type of [x](x.md)": the types named derive from this one, unless their own pages say otherwise.
        for (link, at) in &r.derived {
            let name = self.link_type_name(&link.text, &link.dest, ns.as_deref());
            if !name.is_empty() && !name.contains(' ') {
                self.derived_signs.push((canon.clone(), self.resolve_name(&name, ns.as_deref()), at.clone()));
            }
        }
        // (Registered above: the lookup cannot miss.)
        let Some(b) = self.types.get_mut(&canon) else { return };
        b.kind = Kind::Struct;
        b.defined_by = Some(Source::ResourceTable);
        // Of several pages defining one type, the one named after the type
        // (`user.md` for `user`) is canonical: its area, position and description win.
        let canonical = page.stem.eq_ignore_ascii_case(split_name(&canon).1);
        if canonical && !b.definitions.is_empty() {
            b.area = area.clone();
            b.span = span.clone();
            b.doc = doc.clone();
        }
        b.definitions.push(span);
        if b.doc.is_none() {
            b.doc = doc;
        }
        if base.is_some() {
            b.base = base;
        }
        if b.deprecated.is_none() {
            b.deprecated = r.deprecated.clone();
        }
        if let Some(a) = ann {
            b.open |= a.open;
            b.closed |= a.closed;
            b.is_abstract |= a.is_abstract;
            if let Some(k) = &a.key {
                b.key = Some(k.clone());
            }
        }
    }

    /// The base type the page's prose names ("Inherits from [x](x.md)", "A subclass
    /// of [x](x.md)"), if any: the first link after the phrase that names a type,
    /// not the type itself ("The [x](x.md) resource ... derived from ..."), not an
    /// article ("see [Assigning administrator roles](...)").
    fn prose_base(&mut self, page: &DocPage, r: &ResourcePage, canon: &str) -> Option<(String, Span)> {
        let own = split_name(canon).1.to_string();
        let ns = page.namespace.as_deref();
        match r.prose_base.as_ref()? {
            ProseBase::Links { links, span } => links
                .iter()
                .map(|link| self.link_type_name(&link.text, &link.dest, ns))
                .find(|name| {
                    !name.is_empty() && !name.contains(' ') && !clean_cell(name).eq_ignore_ascii_case(&own) && !split_name(name).1.eq_ignore_ascii_case(&own)
                })
                .map(|name| (name, span.clone())),
            // "Inherits from [x](x.md" (a missing `)`): markdown reads no link; the text still names the base.
            ProseBase::Broken { link, span } => {
                let name = self.link_type_name(&link.text, &link.dest, ns);
                let readable = !name.is_empty() && !name.contains([' ', '[', ']', '(', ')']);
                self.diags.push(
                    Diagnostic::new(
                        Code::LinkSyntax,
                        span.clone(),
                        if readable {
                            format!("the base type's link is malformed; read as the type {name}")
                        } else {
                            "the base type's link is malformed and names no type; the type has no base".to_string()
                        },
                    )
                    .hint("write the link as [type](type.md), closed by `)`"),
                );
                readable.then(|| (name, span.clone()))
            }
        }
    }

    pub(super) fn resource_properties(&mut self, page: &DocPage, r: &ResourcePage) {
        let Some((full, _)) = self.resource_name(page, r) else { return };
        let full = self.resolve_name(&full, None);
        let ns = page.namespace.clone();
        for (t, nav) in &r.tables {
            self.property_table(&full, t, ns.as_deref(), Source::ResourceTable, *nav);
        }
        if let Some(rep) = &r.representation {
            self.diags.extend(rep.diags.iter().cloned());
            if let Some(obj) = &rep.json {
                let mut loc = Locator::new(&rep.text, rep.at.clone());
                self.representation(&full, obj, &mut loc, ns.as_deref());
            }
        }
    }

    /// A Property | Type | Description table describing the properties of `owner`.
    pub(super) fn property_table(&mut self, owner: &str, t: &PropertyTable, ns: Option<&str>, source: Source, navigation: bool) {
        let mut listed = false;
        for row in &t.rows {
            let wire = &row.wire;
            // `@odata.type` is every struct's `odata_type` field already.
            if wire.eq_ignore_ascii_case("@odata.type") {
                continue;
            }
            let deprecated = row.deprecated.clone();
            let Some(ty) = self.type_cell(&row.ty, ns) else {
                self.diags.push(
                    Diagnostic::new(
                        Code::UntypedValue,
                        row.ty.span.clone(),
                        format!("cannot read the type {:?} of property {wire}; it is typed as raw JSON", row.ty.text),
                    )
                    .hint("write a primitive type name (String, Int32, ...) or a link to the type's page"),
                );
                let doc = non_empty(&row.desc);
                self.push_evidence(
                    owner,
                    wire,
                    Evidence { ty: TypeRef::json(), doc, span: row.span.clone(), source, navigation, placeholder: false, deprecated },
                );
                listed = true;
                continue;
            };
            let desc = &row.desc;
            // The values the description lists, read once: for a named type (an enum)
            // or a string (an enum of its own below); no other type uses them.
            let vals = match ty.element() {
                TypeRef::Named(_) | TypeRef::Prim(Prim::String) => possible_values(desc),
                _ => Vec::new(),
            };
            // "Possible values are ..." feeds the enum the property is typed with.
            if let TypeRef::Named(n) = ty.element() {
                if !vals.is_empty() {
                    let n = n.clone();
                    if let Some(b) = self.types.get_mut(&n) {
                        if b.kind == Kind::Unknown {
                            b.kind = Kind::Enum;
                        }
                    }
                    for v in &vals {
                        self.add_member(&n, MemberEvidence { wire: v.clone(), value: None, doc: None, span: row.ty.span.clone(), rank: 1 });
                    }
                }
            }
            // A string whose description lists its values is an enum of its own.
            let ty = match self.value_list_enum(owner, wire, &ty, &vals, &row.ty.span) {
                Some(e) => e,
                None => ty,
            };
            self.push_evidence(owner, wire, Evidence { ty, doc: non_empty(desc), span: row.span.clone(), source, navigation, placeholder: false, deprecated });
            listed = true;
        }
        let canon = self.types.canonical(owner).cloned();
        if let Some(b) = canon.and_then(|c| self.types.get_mut(&c)) {
            b.has_table |= listed;
        }
    }

    /// A string property (or string collection) of `owner` whose docs list two or
    /// more values becomes an enum of them (with the catch-all every enum has, so no
    /// other value is lost), named `<owner><Property>` (`attendee` + `status` ->
    /// `attendeeStatus`) in the owner's namespace and area. If that name is an enum
    /// with the same members already (a page defines it, or another property listed
    /// them), it is reused; if it is taken otherwise, the name gets the suffix
    /// `Values`; if that is taken too, the property stays a string. Returns the
    /// property's new type.
    pub(super) fn value_list_enum(&mut self, owner: &str, wire: &str, ty: &TypeRef, values: &[String], span: &Span) -> Option<TypeRef> {
        if values.len() < 2 || ty.element() != &TypeRef::Prim(Prim::String) {
            return None;
        }
        let (ns, simple) = split_name(owner);
        let (ns, simple) = (ns.to_string(), simple.to_string());
        let area = self.types.get(owner).and_then(|b| b.area.clone());
        let same = |b: &Builder| {
            b.kind == Kind::Enum && b.members.len() == values.len() && b.members.iter().all(|m| values.iter().any(|v| v.eq_ignore_ascii_case(&m.wire)))
        };
        let base = format!("{ns}.{simple}{}", heck::AsUpperCamelCase(wire));
        let mut chosen = None;
        for name in [base.clone(), format!("{base}Values")] {
            match self.types.canonical(&name).and_then(|c| Some((c, self.types.get(c)?))) {
                Some((c, b)) if same(b) => return Some(retype(ty, TypeRef::Named(c.clone()))),
                Some(_) => continue,
                None => {
                    chosen = Some(name);
                    break;
                }
            }
        }
        let full = self.register(&chosen?, Kind::Enum, span, 1, area.as_deref());
        self.value_lists.entry(full.clone()).or_default();
        if let Some(b) = self.types.get_mut(&full) {
            b.doc = Some(format!("The values of `{simple}.{wire}`, as its description lists them."));
        }
        for v in values {
            self.add_member(&full, MemberEvidence { wire: v.clone(), value: None, doc: None, span: span.clone(), rank: 1 });
        }
        Some(retype(ty, TypeRef::Named(full)))
    }

    /// A resource's JSON representation: placeholders name types, `a | b` lists enum members.
    pub(super) fn representation(&mut self, owner: &str, obj: &serde_json::Map<String, Value>, loc: &mut Locator, ns: Option<&str>) {
        for (k, v) in obj {
            let span = &loc.key(k);
            if is_annotation_key(k) {
                continue;
            }
            let declared = self.types.get(owner).and_then(|b| b.best(k)).map(|e| e.ty.clone());
            let ty = match v {
                Value::String(s) if s.contains(" | ") || s.contains('|') && !s.contains(' ') => {
                    let members: Vec<String> = s.split('|').map(|m| m.trim().to_string()).filter(|m| !m.is_empty()).collect();
                    if let Some(TypeRef::Named(n)) = declared.as_ref().map(TypeRef::element) {
                        let n = n.clone();
                        if let Some(b) = self.types.get_mut(&n) {
                            if b.kind == Kind::Unknown {
                                b.kind = Kind::Enum;
                            }
                        }
                        for m in members {
                            self.add_member(&n, MemberEvidence { wire: m, value: None, doc: None, span: span.clone(), rank: 2 });
                        }
                    }
                    None
                }
                Value::Array(items) => {
                    // Arrays of `a | b` strings list enum members too.
                    if let (Some(Value::String(s)), Some(TypeRef::Named(n))) = (items.first(), declared.as_ref().map(TypeRef::element)) {
                        if s.contains('|') {
                            let n = n.clone();
                            for m in s.split('|').map(str::trim).filter(|m| !m.is_empty()) {
                                self.add_member(&n, MemberEvidence { wire: m.to_string(), value: None, doc: None, span: span.clone(), rank: 2 });
                            }
                        }
                    }
                    self.value_type(v, ns)
                }
                _ => self.value_type(v, ns),
            };
            if let Some(ty) = ty {
                self.push_evidence(
                    owner,
                    k,
                    Evidence { ty, doc: None, span: span.clone(), source: Source::ResourceJson, navigation: false, placeholder: false, deprecated: None },
                );
            }
        }
    }

    /// The type a JSON value suggests on its own (placeholders count as types).
    pub(super) fn value_type(&mut self, v: &Value, ns: Option<&str>) -> Option<TypeRef> {
        match v {
            Value::Null => None,
            Value::Bool(_) => Some(TypeRef::Prim(Prim::Boolean)),
            Value::Number(n) => Some(TypeRef::Prim(if n.is_i64() || n.is_u64() { Prim::Int64 } else { Prim::Double })),
            // `"Collection(microsoft.graph.x)"`, `"Collection(String)"`: a placeholder for a collection.
            Value::String(s) if type_expr(s).1 && !type_expr(s).0.is_empty() && !type_expr(s).0.contains(' ') => {
                let (inner, _) = type_expr(s);
                let inner = match Prim::parse(&inner) {
                    Some(p) => TypeRef::Prim(p),
                    None => TypeRef::Named(self.resolve_name(&inner, ns)),
                };
                Some(TypeRef::Collection(Box::new(inner)))
            }
            Value::String(s) => Some(TypeRef::Prim(if let Some(p) = placeholder_type(s) {
                p
            } else if looks_like_datetime(s) {
                Prim::DateTimeOffset
            } else {
                Prim::String
            })),
            Value::Array(items) => {
                let inner = items.iter().find_map(|i| self.value_type(i, ns))?;
                Some(TypeRef::Collection(Box::new(inner)))
            }
            Value::Object(o) => match o.get("@odata.type").and_then(Value::as_str) {
                Some(t) => {
                    let full = self.resolve_name(t, ns);
                    Some(TypeRef::Named(full))
                }
                None => Some(TypeRef::json()),
            },
        }
    }

    // ---- bases the derived type's page does not name ----

    /// "Base type of [x](x.md)" on a page: x derives from the page's type, when x's
    /// own page names no base (its own word wins) and that makes no cycle.
    pub(super) fn apply_derived_signs(&mut self) {
        for (base, derived, span) in std::mem::take(&mut self.derived_signs) {
            let Some(derived) = self.types.canonical(&derived).cloned() else { continue };
            if derived == base || self.ancestors(&base).any(|a| a == derived) {
                continue;
            }
            if let Some(b) = self.types.get_mut(&derived).filter(|b| b.kind == Kind::Struct && b.base.is_none()) {
                b.base = Some((base, span));
            }
        }
    }

    /// A resource type whose page names no base, and whose representation shows
    /// two or more keys its tables do not declare: when exactly one other type (with
    /// its own bases) declares every one of those keys and shows no key the
    /// representation lacks, that type is its base (a `base-from-examples` note). Of
    /// candidates that are bases of one another, the most derived is the one.
    pub(super) fn bases_from_examples(&mut self) {
        // Each table-defined struct's table keys (spelling keys), its own only.
        let own: BTreeMap<&String, BTreeSet<String>> = self
            .types
            .types
            .iter()
            .filter(|(_, b)| b.kind == Kind::Struct && b.defined_by == Some(Source::ResourceTable))
            .map(|(n, b)| (n, b.props.iter().filter(|(_, ev)| ev.iter().any(|e| e.source == Source::ResourceTable)).map(|(w, _)| spelling_key(w)).collect()))
            .collect();
        let with_bases = |name: &str| -> BTreeSet<String> {
            let mut keys = BTreeSet::new();
            for t in std::iter::once(name).chain(self.ancestors(name)) {
                if let Some(k) = self.types.canonical(t).and_then(|c| own.get(c)) {
                    keys.extend(k.iter().cloned());
                }
            }
            keys
        };
        // Each one's keys with its bases', computed once.
        let all: BTreeMap<&String, BTreeSet<String>> = own.keys().map(|n| (*n, with_bases(n))).collect();
        let mut found = Vec::new();
        for (name, b) in &self.types.types {
            if b.base.is_some() || !own.contains_key(name) {
                continue;
            }
            let shown: BTreeSet<String> =
                b.props.iter().filter(|(_, ev)| ev.iter().any(|e| e.source == Source::ResourceJson)).map(|(w, _)| spelling_key(w)).collect();
            let Some(declared) = own.get(name) else { continue };
            let undeclared: BTreeSet<&String> = shown.iter().filter(|k| !declared.contains(*k)).collect();
            // One shared key is a coincidence (`description`, `type`), not a sign.
            if undeclared.len() < 2 {
                continue;
            }
            let mut candidates: Vec<(&String, &BTreeSet<String>)> = Vec::new();
            for (other, keys) in &all {
                if *other == name || keys.is_empty() || !undeclared.iter().all(|k| keys.contains(*k)) || !keys.iter().all(|k| shown.contains(k)) {
                    continue;
                }
                if self.ancestors(other).any(|a| a == name.as_str()) {
                    continue;
                }
                candidates.push((*other, keys));
            }
            // Drop each candidate that is a base of another.
            let most_derived: Vec<&String> =
                candidates.iter().map(|(c, _)| *c).filter(|c| !candidates.iter().any(|(d, _)| d != c && self.ancestors(d).any(|a| a == c.as_str()))).collect();
            if let [base] = most_derived.as_slice() {
                let span = self.types.types[*base].span.clone();
                // The keys as the representation spells them.
                let keys: Vec<&str> = b.props.iter().filter(|(w, _)| undeclared.contains(&spelling_key(w))).map(|(w, _)| w.as_str()).collect();
                found.push((name.clone(), (*base).clone(), b.span.clone(), span, keys.join(", ")));
            }
        }
        for (name, base, at, base_at, keys) in found {
            self.diags.push(
                Diagnostic::new(Code::BaseFromExamples, at.clone(), format!("{name} names no base type; its representation shows the properties of {base} ({keys}) that its table does not declare, so {base} is taken as its base"))
                    .related(base_at, "the base's definition")
                    .hint("say \"Inherits from [base](base.md)\" on the page, or set \"baseType\" in its resource annotation"),
            );
            if let Some(b) = self.types.get_mut(&name) {
                b.base = Some((base, at));
            }
        }
    }
}
