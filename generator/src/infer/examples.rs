//! JSON examples: the types their objects show, checked against what is declared.

use super::*;

impl Inferrer<'_> {
    /// Type -> the types derived from it, from the base links known so far.
    pub(super) fn derived_index(&self) -> HashMap<String, Vec<String>> {
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        for name in self.types.keys() {
            for base in self.ancestors(name) {
                out.entry(base.to_string()).or_default().push(name.clone());
            }
        }
        out
    }

    /// The type an example object without `@odata.type` shows, given the type `t`
    /// its place declares: of `t` and the types derived from it, those whose tables
    /// (with their bases') declare the most of the object's keys. `t` if it is one
    /// of them; else the one of them that the others derive from (a group shown
    /// where a directoryObject is declared); else (the shape is ambiguous) `t`.
    pub(super) fn by_shape(&self, t: &str, obj: &serde_json::Map<String, Value>) -> String {
        let Some(ds) = self.derived.get(t) else { return t.to_string() };
        let keys: Vec<&String> = obj.keys().filter(|k| !is_annotation_key(k)).collect();
        let score = |c: &str| keys.iter().filter(|k| self.declared_type(c, k).is_some()).count();
        let own = score(t);
        if own == keys.len() {
            return t.to_string();
        }
        let mut best = own;
        let mut winners: Vec<&String> = Vec::new();
        for d in ds {
            let s = score(d);
            if s > best {
                best = s;
                winners.clear();
            }
            if s == best && s > own {
                winners.push(d);
            }
        }
        winners.iter().find(|w| winners.iter().all(|o| self.is_sub(o, w))).map_or_else(|| t.to_string(), |w| w.to_string())
    }

    /// Walk an example value of a known type and record what it shows.
    pub(super) fn example_value(&mut self, ty: Option<&str>, v: &Value, loc: &mut Locator, ns: Option<&str>) {
        self.example_value_depth(ty, v, loc, ns, 0)
    }

    pub(super) fn example_value_depth(&mut self, ty: Option<&str>, v: &Value, loc: &mut Locator, ns: Option<&str>, depth: usize) {
        if depth > 64 {
            return;
        }
        let Value::Object(obj) = v else { return };
        let odata = obj.get("@odata.type").and_then(Value::as_str).map(|t| self.resolve_name(t, ns));
        let owner = match (odata, ty) {
            (Some(o), _) => {
                let span = loc.key("@odata.type");
                self.register(&o, Kind::Struct, &span, 1, None)
            }
            (None, Some(t)) => self.by_shape(t, obj),
            (None, None) => return,
        };
        let Some(b) = self.types.get_mut(&owner) else { return };
        if b.kind == Kind::Unknown {
            b.kind = Kind::Struct;
        }
        if b.kind == Kind::Enum {
            return;
        }
        for (k, child) in obj {
            if is_annotation_key(k) {
                if k != "@odata.type" {
                    loc.key(k);
                }
                continue;
            }
            let span = loc.key(k);
            // A key spelled differently from a better-sourced property (`printerId` for
            // `printerID`) is that property: its evidence is kept under this spelling,
            // and the merge makes the spellings one field (see `merge_props`).
            let declared = self.declared_type(&owner, k);
            let child_ty = declared.as_ref().and_then(|d| match d.element() {
                TypeRef::Named(n) => Some(n.clone()),
                _ => None,
            });
            match child {
                Value::Object(_) => self.example_value_depth(child_ty.as_deref(), child, loc, ns, depth + 1),
                Value::Array(items) => {
                    for it in items {
                        self.example_value_depth(child_ty.as_deref(), it, loc, ns, depth + 1);
                    }
                }
                _ => {}
            }
            if let Some(TypeRef::Named(e)) = declared.as_ref().map(TypeRef::element) {
                if self.kind_of(e) == Kind::Enum {
                    let e = e.clone();
                    self.check_enum_value(&e, &owner, k, child, &span);
                }
            }
            // An object where a declared enum or primitive belongs (`"userRole": {}`).
            if let (Value::Object(_), Some(d)) = (child, declared.as_ref()) {
                let scalar = match d {
                    TypeRef::Prim(p) => !matches!(p, Prim::Json),
                    TypeRef::Named(n) => self.kind_of(n) == Kind::Enum,
                    TypeRef::Collection(_) => true,
                };
                if scalar {
                    let decl = self.types.get(&owner).and_then(|b| b.best(k)).map(|e| e.span.clone());
                    let mut diag = Diagnostic::new(
                        Code::TypeConflict,
                        span.clone(),
                        format!("example gives {owner}.{k} an object, but it is declared as {}", d.describe()),
                    )
                    .hint("give a value of the declared type");
                    if let Some(decl) = decl {
                        diag = diag.related(decl, "declared here");
                    }
                    self.diags.push(diag);
                }
            }
            let mut shown = self.value_type(child, ns);
            let placeholder = matches!(child, Value::String(s) if is_placeholder_text(s));
            // An object without @odata.type in a property whose type is known shows that type.
            if let (Some(TypeRef::Prim(Prim::Json)), Some(d)) = (shown.as_ref().map(TypeRef::element), declared.as_ref()) {
                if matches!(d.element(), TypeRef::Named(_)) {
                    shown = Some(d.clone());
                }
            }
            if let Some(shown) = shown {
                self.push_evidence(
                    &owner,
                    k,
                    Evidence { ty: shown, doc: None, span: span.clone(), source: Source::Example, navigation: false, placeholder, deprecated: None },
                );
            }
        }
    }

    /// An example value of an enum-typed property must be a member, spelled as the
    /// enum spells it. Placeholders are reported elsewhere (`placeholder-value`).
    pub(super) fn check_enum_value(&mut self, enum_full: &str, owner: &str, prop: &str, v: &Value, span: &Span) {
        let values: Vec<&str> = match v {
            Value::String(s) => s.split(',').map(str::trim).collect(),
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => return,
        };
        let Some(b) = self.types.get(enum_full) else { return };
        let mut found = Vec::new();
        for value in values {
            if value.is_empty() || is_placeholder_text(value) {
                continue;
            }
            if b.members.iter().any(|m| m.wire == value) {
                continue;
            }
            match b.members.iter().find(|m| m.wire.eq_ignore_ascii_case(value)) {
                Some(m) if self.value_lists.contains_key(enum_full) => {
                    let spellings = self.value_lists.entry(enum_full.to_string()).or_default();
                    let wire = spellings.entry(value.to_ascii_lowercase()).or_insert_with(|| value.to_string()).clone();
                    found.push(
                        Diagnostic::new(Code::EnumValueCase, span.clone(), format!("example gives {owner}.{prop} the value {value:?}; the description lists it as {:?}; {wire:?} is serialized, the other spellings are accepted", m.wire))
                            .related(m.span.clone(), "the description's list")
                            .hint("spell the values in descriptions as the service sends them"),
                    )
                }
                Some(m) => found.push(
                    Diagnostic::new(
                        Code::EnumValueCase,
                        span.clone(),
                        format!("example gives {owner}.{prop} the value {value:?}; the enum spells it {:?}", m.wire),
                    )
                    .related(m.span.clone(), "the member is defined here")
                    .hint("spell enum values as the enum does (parsing is case-insensitive, serializing is not)"),
                ),
                None => found.push(
                    Diagnostic::new(
                        Code::EnumValueUnknown,
                        span.clone(),
                        format!("example gives {owner}.{prop} the value {value:?}, which is not a member of enum {enum_full}"),
                    )
                    .related(b.span.clone(), "the enum is defined here")
                    .hint("use a member, or add the value to the enum's table"),
                ),
            }
        }
        self.diags.extend(found);
    }

    pub(super) fn declared_type(&self, owner: &str, prop: &str) -> Option<TypeRef> {
        for o in std::iter::once(owner).chain(self.ancestors(owner)) {
            let b = self.types.get(o)?;
            if let Some(e) = b.best(prop) {
                if e.source < Source::Example {
                    return Some(e.ty.clone());
                }
            }
        }
        None
    }
}
