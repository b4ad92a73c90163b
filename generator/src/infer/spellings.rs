//! Spellings: inherited property spellings unified, enum member spellings merged.

use super::*;

impl Inferrer<'_> {
    /// A derived type's spelling of an inherited property (`UnsubscribeData` where
    /// the base says `unsubscribeData`) is one field with the inherited one: it
    /// takes the base's spelling (the root-most base's, down a chain) and keeps its
    /// own as an alias.
    pub(super) fn unify_inherited_spellings(&mut self, types: &mut BTreeMap<String, TypeDef>) {
        let mut renames: Vec<(String, usize, String, Vec<String>, Span)> = Vec::new();
        let base_of = |t: &str| struct_base(types, t);
        for t in types.values() {
            let TypeKind::Struct { properties, base: Some(_), .. } = &t.kind else { continue };
            let chain: Vec<&str> = ancestors(t.full_name.as_str(), base_of).collect();
            let mut inherited: HashMap<String, &Property> = HashMap::new();
            for b in chain.iter().rev() {
                if let Some(TypeKind::Struct { properties, .. }) = types.get(*b).map(|t| &t.kind) {
                    for p in properties {
                        inherited.entry(spelling_key(&p.wire)).or_insert(p);
                    }
                }
            }
            for (i, p) in properties.iter().enumerate() {
                if let Some(ip) = inherited.get(&spelling_key(&p.wire)).filter(|ip| ip.wire != p.wire) {
                    renames.push((t.full_name.clone(), i, ip.wire.clone(), ip.aliases.clone(), ip.span.clone()));
                }
            }
        }
        for (owner, i, wire, base_aliases, base_span) in renames {
            let Some(TypeKind::Struct { properties, .. }) = types.get_mut(&owner).map(|t| &mut t.kind) else { continue };
            let Some(p) = properties.get_mut(i) else { continue };
            self.diags.push(
                Diagnostic::new(
                    Code::PropertySpelling,
                    p.span.clone(),
                    format!("{owner} spells its inherited property {wire:?} as {:?}; one field, serialized as {wire:?}, accepting {:?} too", p.wire, p.wire),
                )
                .related(base_span, format!("the base type spells it {wire:?} here"))
                .hint("spell the property as the base type does"),
            );
            let mut aliases: BTreeSet<String> = p.aliases.drain(..).chain(base_aliases).collect();
            aliases.insert(std::mem::replace(&mut p.wire, wire));
            aliases.remove(&p.wire);
            p.aliases = aliases.into_iter().collect();
        }
    }

    pub(super) fn inherited_has(&self, owner: &str, wire: &str) -> bool {
        for c in self.ancestors(owner) {
            let Some(b) = self.types.get(c) else { return false };
            if b.best(wire).is_some_and(|e| e.source < Source::Example) {
                return true;
            }
        }
        false
    }

    /// A value-list enum's members as examples spell them on the wire (the
    /// description's spelling is accepted too).
    pub(super) fn wire_spellings(&self, name: &str, members: &mut [EnumMember]) {
        let Some(spellings) = self.value_lists.get(name) else { return };
        for m in members {
            if let Some(wire) = spellings.get(&m.wire.to_ascii_lowercase()).filter(|w| **w != m.wire) {
                let old = std::mem::replace(&mut m.wire, wire.clone());
                m.aliases.retain(|a| a != wire);
                if !m.aliases.contains(&old) {
                    m.aliases.push(old);
                    m.aliases.sort();
                }
            }
        }
    }

    /// Whether a base type of `owner` (directly or not) has `wire` in its property table.
    pub(super) fn inherited_from_table(&self, owner: &str, wire: &str) -> bool {
        for c in self.ancestors(owner) {
            let Some(b) = self.types.get(c) else { return false };
            if b.best(wire).is_some_and(|e| e.source == Source::ResourceTable) {
                return true;
            }
        }
        false
    }

    pub(super) fn merge_members(&mut self, name: &str, ev: &[MemberEvidence]) -> (Vec<EnumMember>, bool) {
        let mut out: Vec<EnumMember> = Vec::new();
        let mut sorted: Vec<&MemberEvidence> = ev.iter().collect();
        sorted.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.span.cmp(&b.span)));
        let has_table = sorted.first().is_some_and(|m| m.rank == 0);
        // Members spelled alike but for case and separators (`remoteControlSoftware`,
        // `remote_Control_Software`) are one member: the best source's spelling is
        // serialized, the others are accepted.
        let mut keys: Vec<String> = Vec::new();
        for m in sorted {
            let key = spelling_key(&m.wire);
            match keys.iter().position(|k| *k == key) {
                Some(i) => {
                    if out[i].wire != m.wire {
                        let values = match (out[i].value, m.value) {
                            (Some(a), Some(b)) if a != b => format!(" (values {b} and {a}; {a} is kept)"),
                            _ => String::new(),
                        };
                        self.diags.push(
                            Diagnostic::new(
                                Code::EnumConflict,
                                m.span.clone(),
                                format!(
                                    "enum {name} member spelled {} here but {} elsewhere{values}; one member, serialized as {}, accepting {} too",
                                    m.wire, out[i].wire, out[i].wire, m.wire
                                ),
                            )
                            .related(out[i].span.clone(), "first spelling")
                            .hint("spell enum members the same everywhere"),
                        );
                        if !out[i].aliases.contains(&m.wire) {
                            out[i].aliases.push(m.wire.clone());
                            out[i].aliases.sort();
                        }
                    }
                    if out[i].doc.is_none() {
                        out[i].doc = m.doc.clone();
                    }
                }
                None => {
                    if has_table && m.rank > 0 {
                        self.diags.push(
                            Diagnostic::new(
                                Code::EnumConflict,
                                m.span.clone(),
                                format!(
                                    "{} lists {} as a member of enum {name}, but the enum's table does not",
                                    if m.rank == 1 { "a description" } else { "a JSON representation" },
                                    m.wire
                                ),
                            )
                            .hint("add the member to the enum table or fix the description"),
                        );
                    }
                    keys.push(key);
                    out.push(EnumMember {
                        wire: m.wire.clone(),
                        aliases: Vec::new(),
                        value: m.value,
                        doc: m.doc.clone(),
                        span: m.span.clone(),
                        evolvable: false,
                    });
                }
            }
        }
        // An evolvable enum: the members listed after `unknownFutureValue` are sent
        // only to requests that ask for them (`Prefer: include-unknown-enum-members`).
        if let Some(sentinel) = out.iter().position(|m| m.wire.eq_ignore_ascii_case("unknownFutureValue")) {
            for m in &mut out[sentinel + 1..] {
                m.evolvable = true;
            }
        }
        // Flags: explicit values that are all 0 or distinct powers of two, with at
        // least three non-zero values, including one that is not 1 or 2 apart.
        let vals: Vec<i64> = out.iter().filter_map(|m| m.value).collect();
        let flags = vals.len() == out.len()
            && vals.iter().filter(|v| **v > 0).count() >= 3
            && vals.iter().all(|v| *v == 0 || (*v > 0 && (*v & (*v - 1)) == 0))
            && vals.contains(&4)
            && !vals.contains(&3);
        (out, flags)
    }
}
