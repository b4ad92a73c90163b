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
//! Names are assigned after the whole model is known; two docs names that map to
//! the same Rust name in one scope are a `name-collision` error naming both.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static",
    "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do",
    "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
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

/// Rust type or variant name (without keyword handling; see [`ident`]).
pub fn type_name(wire: &str) -> String {
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
}
