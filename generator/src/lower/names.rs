//! Rust names for docs names. One rule for the whole crate:
//!
//! * types and enum variants: UpperCamelCase (heck); fields, functions and modules:
//!   snake_case (heck). Separators such as `@`, `.`, `-` and `_` split words, so
//!   `@odata.type` becomes `odata_type`.
//! * characters that cannot be in a Rust identifier (`²`, `½`) separate words, as `-` does.
//! * a name that starts with a digit gets the prefix `n` / `N` (`3d` -> `n3d`, `N3d`).
//! * a Rust keyword becomes a raw identifier (`type` -> `r#type`); the four keywords
//!   that cannot be raw (`self`, `Self`, `super`, `crate`) get a trailing `_`.
//! * an empty name becomes `empty` / `Empty`.
//!
//! Names are assigned after the whole model is known. Spellings of one docs name
//! (same [`spelling_key`]) are one item before naming starts. Two different docs
//! names that map to the same Rust name in one scope are a `name-collision`
//! warning naming both, and get distinct names by one rule ([`Scope`]): items claim
//! names in a fixed order (types: defined by a page before only shown, naturally
//! camel-cased docs name before an odd one, then by full name; operations by full
//! name; fields base first in table order; enum members in table order); the first
//! keeps the name, each later one gets the lowest suffix `_2`, `_3`, ... (`2`, `3`,
//! ... for UpperCamelCase names) that no other item of the scope wants. A namespace's
//! module is named from its canonical spelling (the one most page-defined types use).

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop",
    "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Characters that cannot be in an identifier separate words: heck keeps every
/// alphanumeric character, and some of those (`²`, `½`) are not identifier characters.
fn words(wire: &str) -> String {
    wire.chars().map(|c| if c == '_' || unicode_ident::is_xid_continue(c) { c } else { ' ' }).collect()
}

fn fix(s: String, prefix: &str, empty: &str) -> String {
    // `words` left only identifier characters; case mapping keeps it that way, but check.
    let mut s: String = s.chars().filter(|&c| c == '_' || unicode_ident::is_xid_continue(c)).collect();
    if s.is_empty() {
        return empty.to_string();
    }
    if !s.starts_with(|c: char| c == '_' || unicode_ident::is_xid_start(c)) {
        s.insert_str(0, prefix);
    }
    s
}

/// `f(wire)`, remembered per thread in `cache`: lowering asks for the names of the
/// same docs names many times (a type for each of its uses, a path segment for
/// each operation under it), and heck's case conversion costs thousands of
/// instructions per name.
fn cached(cache: &'static std::thread::LocalKey<std::cell::RefCell<std::collections::HashMap<Box<str>, String>>>, wire: &str, f: fn(&str) -> String) -> String {
    cache.with(|c| {
        if let Some(name) = c.borrow().get(wire) {
            return name.clone();
        }
        let name = f(wire);
        c.borrow_mut().insert(wire.into(), name.clone());
        name
    })
}

thread_local! {
    static TYPE_NAMES: std::cell::RefCell<std::collections::HashMap<Box<str>, String>> = Default::default();
    static SNAKE_NAMES: std::cell::RefCell<std::collections::HashMap<Box<str>, String>> = Default::default();
}

/// Rust type or variant name (without keyword handling; see [`ident`]).
pub fn type_name(wire: &str) -> String {
    cached(&TYPE_NAMES, wire, compute_type_name)
}

fn compute_type_name(wire: &str) -> String {
    let name = fix(words(wire).to_upper_camel_case(), "N", "Empty");
    // Type names are not passed through `ident`: `Self` gets its `_` here.
    if name == "Self" {
        "Self_".to_string()
    } else {
        name
    }
}

/// Rust field, function or module name (without keyword handling; see [`ident`]).
pub fn snake_name(wire: &str) -> String {
    cached(&SNAKE_NAMES, wire, compute_snake_name)
}

fn compute_snake_name(wire: &str) -> String {
    fix(words(wire).to_snake_case(), "n", "empty")
}

/// An identifier, escaping keywords by the one rule above.
pub fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

pub use crate::model::spelling_key;

/// The names of one Rust scope (a module, a struct's fields, an enum's variants).
/// Every name any item wants is reserved first ([`Scope::reserve`]); items then
/// [`Scope::claim`] in a deterministic order. `T` identifies the claimant, to
/// name it in the collision warning.
pub struct Scope<T> {
    reserved: std::collections::BTreeSet<String>,
    taken: std::collections::BTreeMap<String, T>,
}

impl<T: Clone> Default for Scope<T> {
    fn default() -> Self {
        Scope { reserved: Default::default(), taken: Default::default() }
    }
}

impl<T: Clone> Scope<T> {
    /// A name some item wants unsuffixed: no other item gets it as a suffixed name.
    pub fn reserve(&mut self, name: impl Into<String>) {
        self.reserved.insert(name.into());
    }

    /// Claim the names `names(1)` (an item may need several, such as a type and its
    /// `Kind` enum); when one is taken, the names `names(n)` for the lowest `n >= 2`
    /// that are neither taken nor reserved. Returns `n` (1: as wanted) and, on a
    /// collision, the item that holds the wanted name.
    pub fn claim(&mut self, owner: T, names: impl Fn(u32) -> Vec<String>) -> (u32, Option<T>) {
        let plain = names(1);
        let holder = plain.iter().find_map(|n| self.taken.get(n)).cloned();
        let n = match holder {
            None => 1,
            Some(_) => (2..).find(|&n| names(n).iter().all(|x| !self.taken.contains_key(x) && !self.reserved.contains(x))).unwrap_or(u32::MAX),
        };
        for x in names(n) {
            self.taken.insert(x, owner.clone());
        }
        (n, holder)
    }
}

/// A snake_case name with collision suffix `n` (1: none): `name`, `name_2`, ...
pub fn suffixed_snake(name: &str, n: u32) -> String {
    if n == 1 {
        name.to_string()
    } else {
        format!("{name}_{n}")
    }
}

/// An UpperCamelCase name with collision suffix `n` (1: none): `Name`, `Name2`, ...
pub fn suffixed_camel(name: &str, n: u32) -> String {
    if n == 1 {
        name.to_string()
    } else {
        format!("{name}{n}")
    }
}

/// The module for a namespace: `microsoft.graph` -> `graph`,
/// `microsoft.graph.callRecords` -> `call_records`, anything else snake-cased whole.
pub fn module_name(namespace: &str) -> String {
    let m = if namespace == "microsoft.graph" {
        "graph".to_string()
    } else if let Some(rest) = namespace.strip_prefix("microsoft.graph.") {
        snake_name(rest)
    } else {
        snake_name(namespace)
    };
    // A module is a file too: keywords (and `mod`, which is `models/mod.rs`) get a `_`.
    if KEYWORDS.contains(&m.as_str()) || NOT_RAW.contains(&m.as_str()) {
        format!("{m}_")
    } else {
        m
    }
}

/// The Cargo feature for a docs area (`ms.prod`): lower-cased, words joined by
/// `-`. No area, or `non-product-specific`, is the common part that every build
/// includes (`None`).
pub fn feature_name(area: Option<&str>) -> Option<String> {
    let a = area?.trim().to_ascii_lowercase();
    let f: String = a.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let f = f.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
    match f.as_str() {
        "" | "non-product-specific" => None,
        // `default` is Cargo's own feature; `client` is the generated crate's
        // feature for the runtime's async client.
        "default" | "client" => Some(format!("area-{f}")),
        _ if f.starts_with(|c: char| c.is_ascii_digit()) => Some(format!("area-{f}")),
        _ => Some(f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_for_all_names() {
        assert_eq!(type_name("participantInfo"), "ParticipantInfo");
        assert_eq!(snake_name("@odata.type"), "odata_type");
        assert_eq!(snake_name("isInLobby"), "is_in_lobby");
        assert_eq!(type_name("3dView"), "N3dView");
        assert_eq!(snake_name("3dView"), "n3d_view");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("Self").to_string(), "Self_");
        assert_eq!(type_name(""), "Empty");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(type_name("x²"), "X");
        assert_eq!(snake_name("x²y"), "x_y");
        assert_eq!(type_name("x²y"), "XY");
        assert_eq!(snake_name("²"), "empty");
        assert_eq!(type_name("½x"), "X");
        assert_eq!(snake_name("日本"), "日本");
        assert_eq!(module_name("microsoft.graph.callRecords"), "call_records");
        assert_eq!(module_name("microsoft.graph"), "graph");
        assert_eq!(feature_name(Some("Intune")), Some("intune".into()));
        assert_eq!(feature_name(Some("microsoft-identity-platform")), Some("microsoft-identity-platform".into()));
        assert_eq!(feature_name(Some("Cloud Communications")), Some("cloud-communications".into()));
        assert_eq!(feature_name(Some("")), None);
        assert_eq!(feature_name(Some("non-product-specific")), None);
        assert_eq!(feature_name(None), None);
        assert_eq!(feature_name(Some("default")), Some("area-default".into()));
        assert_eq!(feature_name(Some("Client")), Some("area-client".into()), "the generated crate's own `client` feature");
        assert_eq!(module_name("microsoft.graph.mod"), "mod_");
        assert_eq!(module_name("microsoft.graph.type"), "type_");
    }

    #[test]
    fn remembered_names_are_the_names_computed() {
        // Asked again (and after other names), each answer is the one computed
        // fresh: the per-thread cache is keyed by the exact docs name.
        let wires = ["participantInfo", "ParticipantInfo", "participantinfo", "3dView", "x²y", "", "self", "mailFolders", "@odata.type"];
        for _ in 0..2 {
            for w in wires {
                assert_eq!(type_name(w), compute_type_name(w), "{w:?}");
                assert_eq!(snake_name(w), compute_snake_name(w), "{w:?}");
            }
        }
        assert_eq!(type_name("participantinfo"), "Participantinfo");
        assert_eq!(type_name("participantInfo"), "ParticipantInfo");
    }

    #[test]
    fn spellings_of_one_name_share_a_key() {
        for (a, b) in [
            ("printerId", "printerID"),
            ("principalIds[]", "principalIds"),
            ("rank ", "rank"),
            ("_id", "id"),
            ("query_string", "queryString"),
            ("Model", "model"),
        ] {
            assert_eq!(spelling_key(a), spelling_key(b), "{a} / {b}");
        }
        assert_ne!(spelling_key("3d"), spelling_key("n3d"));
        assert_ne!(spelling_key("x²y"), spelling_key("x_y"));
        assert_eq!(spelling_key("[]"), "[]");
        // ASCII names take a byte path: the same keys as the general rule.
        let general = |w: &str| w.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
        for w in ["printerID", "Query_String", "A-Z_0-9", "@odata.type", "x2Y", "ÄbC"] {
            assert_eq!(spelling_key(w), general(w), "{w}");
        }
        for b in 0u8..128 {
            let w = format!("a{}B", char::from(b));
            assert_eq!(spelling_key(&w), general(&w), "{w:?}");
        }
    }

    #[test]
    fn the_first_claimant_keeps_a_name_and_later_ones_skip_wanted_names() {
        let mut s: Scope<&str> = Scope::default();
        for n in ["foo", "foo_2", "bar"] {
            s.reserve(n);
        }
        assert_eq!(s.claim("a", |n| vec![suffixed_snake("foo", n)]), (1, None));
        // `foo_2` is wanted by another item, so the loser of `foo` gets `foo_3`.
        assert_eq!(s.claim("b", |n| vec![suffixed_snake("foo", n)]), (3, Some("a")));
        assert_eq!(s.claim("c", |n| vec![suffixed_snake("foo_2", n)]), (1, None));
        // Several names at once: a type and its `Kind` enum.
        assert_eq!(s.claim("d", |n| vec![suffixed_camel("Bar", n), format!("{}Kind", suffixed_camel("Bar", n))]), (1, None));
        // A type named `barKind` after the polymorphic `bar` took `BarKind`.
        assert_eq!(s.claim("e", |n| vec![suffixed_camel("BarKind", n)]), (2, Some("d")));
    }
}
