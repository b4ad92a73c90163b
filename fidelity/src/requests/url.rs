//! URLs as the docs write them: a request line's target split into the service
//! root, path segments and query, and the names the README gives segments in Rust.

use heck::ToSnakeCase;

/// The target of a request line, taken apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// `https://graph.microsoft.com/v1.0` for an absolute URL (scheme, host and the
    /// version segment); `None` for a path.
    pub base: Option<String>,
    /// The host of an absolute URL, lower-cased.
    pub host: Option<String>,
    /// The path below the service root, as written (starts with `/` unless empty).
    pub path: String,
    /// What follows the first `?`, as written.
    pub query: Option<String>,
}

/// `https://graph.microsoft.com/v1.0/me/events?$top=2` -> base
/// `https://graph.microsoft.com/v1.0`, path `/me/events`, query `$top=2`. A path
/// (`/me/events`, or `me/events` without its `/`) has no base.
pub fn parse_target(target: &str) -> Target {
    let target = target.split('#').next().unwrap_or("");
    let (before, query) = match target.split_once('?') {
        Some((b, q)) => (b, Some(q.to_string())),
        None => (target, None),
    };
    let lower = before.to_ascii_lowercase();
    let scheme_len = if lower.starts_with("https://") {
        8
    } else if lower.starts_with("http://") {
        7
    } else {
        0
    };
    if scheme_len == 0 {
        let path = if before.starts_with('/') || before.is_empty() { before.to_string() } else { format!("/{before}") };
        return Target { base: None, host: None, path, query };
    }
    let rest = &before[scheme_len..];
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    // Graph URLs carry a version segment (`v1.0`, `beta`, `localtest` in drafts).
    let after_slash = path.strip_prefix('/').unwrap_or(path);
    let (version, below) = match after_slash.find('/') {
        Some(i) => (&after_slash[..i], &after_slash[i..]),
        None => (after_slash, ""),
    };
    let base = if version.is_empty() { before[..scheme_len + host.len()].to_string() } else { format!("{}/{version}", &before[..scheme_len + host.len()]) };
    Target { base: Some(base), host: Some(host.to_ascii_lowercase()), path: below.to_string(), query }
}

/// Whether a host is a Graph service root (the global service or a national cloud),
/// not a pre-authenticated upload host or another service.
pub fn is_graph_host(host: &str) -> bool {
    let host = host.split(':').next().unwrap_or(host);
    host == "graph.microsoft.com"
        || host.ends_with(".graph.microsoft.com")
        || host.ends_with("graph.microsoft.us")
        || host == "graph.microsoft.de"
        || host == "microsoftgraph.chinacloudapi.cn"
}

/// The segments of a path, as the URL-to-Rust rule reads them: split at `/`,
/// except inside parentheses and quotes (`range(address='A1:B2')`, a function
/// argument holding a `/`), and OneDrive path addressing kept whole: after a
/// segment ending in `:` (`root:`, `{item-id}:`), the segments up to the next one
/// ending in `:` (or to the end) are one segment (`root:/Documents/a.txt:/content`
/// is `root:`, `Documents/a.txt:`, `content`). Empty segments are dropped.
pub fn segments(path: &str) -> Vec<String> {
    let mut raw = Vec::new();
    let mut cur = String::new();
    let (mut depth, mut quoted) = (0i32, false);
    for c in path.chars() {
        match c {
            // Quotes count inside parentheses only: a stray `'` in a key is data.
            '\'' if depth > 0 => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            '/' if depth <= 0 && !quoted => {
                raw.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    raw.push(cur);
    let mut out: Vec<String> = Vec::new();
    let mut group: Option<String> = None;
    for s in raw.into_iter().filter(|s| !s.is_empty()) {
        match group.as_mut() {
            Some(g) => {
                if !g.is_empty() {
                    g.push('/');
                }
                g.push_str(&s);
                if s.ends_with(':') {
                    out.push(group.take().unwrap_or_default());
                }
            }
            None => {
                let opens = s.ends_with(':') && !s.ends_with("::");
                out.push(s);
                if opens {
                    group = Some(String::new());
                }
            }
        }
    }
    if let Some(g) = group.filter(|g| !g.is_empty()) {
        out.push(g);
    }
    out
}

/// The raw segments of an encoded path, split at every `/` (for comparing paths
/// segment by segment: an encoded `%2F` stays inside its segment).
pub fn raw_segments(path: &str) -> Vec<&str> {
    let p = path.strip_prefix('/').unwrap_or(path);
    if p.is_empty() {
        Vec::new()
    } else {
        p.split('/').collect()
    }
}

/// Percent-decode (UTF-8, lossy). `+` stays `+`.
pub fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// A path segment's name part: before `(`, without a trailing `:`.
pub fn segment_name(seg: &str) -> &str {
    let s = seg.split('(').next().unwrap_or(seg);
    s.strip_suffix(':').unwrap_or(s)
}

/// The name without a leading `$` and without an OData namespace prefix
/// (`microsoft.graph.delta` -> `delta`).
pub fn bare_name(name: &str) -> &str {
    let n = name.strip_prefix('$').unwrap_or(name);
    match n.rfind('.') {
        Some(i) if i + 1 < n.len() => &n[i + 1..],
        _ => n,
    }
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match",
    "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// A name in snake_case as the README's naming rule writes it: heck's snake case
/// (characters that cannot be in an identifier separate words), a leading digit
/// prefixed with `n`, a keyword as a raw identifier (`r#ref`), and `self`, `Self`,
/// `super`, `crate` with a trailing `_`.
pub fn snake(name: &str) -> String {
    // ASCII only: every name it gives is an identifier (a rare non-ASCII letter separates words).
    let words: String = name.chars().map(|c| if c == '_' || c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    let mut s: String = words.to_snake_case().chars().filter(|&c| c == '_' || c.is_ascii_alphanumeric()).collect();
    if s.is_empty() {
        return "empty".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'n');
    }
    if matches!(s.as_str(), "self" | "super" | "crate" | "_") {
        s.push('_');
        s
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// The Rust method of a literal segment (README, "Requests: the URL as Rust"):
/// `mailFolders` -> `mail_folders`, `$ref` -> `r#ref`, `microsoft.graph.delta()`
/// -> `delta`, `root:` -> `root_path`.
pub fn method_name(seg: &str) -> String {
    let name = segment_name(seg);
    let base = snake(bare_name(name));
    let path_addressing = seg.split('(').next().unwrap_or(seg).ends_with(':');
    if path_addressing {
        format!("{}_path", base.trim_start_matches("r#"))
    } else {
        base
    }
}

/// The arguments of a function segment, in order, unquoted (`f(a='x',b=2)` ->
/// `["x", "2"]`), with their names (`a`, `b`; empty for a positional argument);
/// `None` when the segment has no parentheses.
pub fn function_args(seg: &str) -> Option<Vec<(String, String)>> {
    let open = seg.find('(')?;
    let inner = seg[open + 1..].strip_suffix(')').or_else(|| seg[open + 1..].strip_suffix("):")).unwrap_or(&seg[open + 1..]);
    if inner.trim().is_empty() {
        return Some(Vec::new());
    }
    let mut args = Vec::new();
    let mut cur = String::new();
    let (mut quoted, mut depth) = (false, 0i32);
    for c in inner.chars() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                args.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    args.push(cur);
    Some(
        args.into_iter()
            .map(|a| {
                let (name, value) = match a.split_once('=') {
                    Some((n, v)) if !n.contains('\'') => (n.trim().to_string(), v.trim().to_string()),
                    _ => (String::new(), a.trim().to_string()),
                };
                (name, unquote(&decode(&value)))
            })
            .collect(),
    )
}

/// `'x'` -> `x`; an enum literal `microsoft.graph.timeZoneStandard'Iana'` -> `Iana`;
/// `''` inside quotes is one `'`.
fn unquote(v: &str) -> String {
    match v.find('\'') {
        Some(i) if v.ends_with('\'') && v.len() > i + 1 => v[i + 1..v.len() - 1].replace("''", "'"),
        _ => v.to_string(),
    }
}

/// The query of a URL as (name, value) pairs, percent-decoded with `+` as a space
/// (as servers read a query), in order; a parameter without `=` has an empty
/// value. Empty pieces (`&&`) are skipped.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    let d = |s: &str| decode(&s.replace('+', " "));
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (d(k), d(v)),
            None => (d(p), String::new()),
        })
        .collect()
}

/// A Rust string literal holding `s`.
pub fn lit(s: &str) -> String {
    format!("{s:?}")
}

/// A raw string literal holding `s`, with as many `#` as it needs.
pub fn raw_lit(s: &str) -> String {
    let mut hashes = 1;
    while s.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let h = "#".repeat(hashes);
    format!("r{h}\"{s}\"{h}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_split_into_base_path_and_query() {
        let t = parse_target("https://graph.microsoft.com/v1.0/me/events?$top=2&$select=subject");
        assert_eq!(t.base.as_deref(), Some("https://graph.microsoft.com/v1.0"));
        assert_eq!(t.host.as_deref(), Some("graph.microsoft.com"));
        assert_eq!(t.path, "/me/events");
        assert_eq!(t.query.as_deref(), Some("$top=2&$select=subject"));
        let t = parse_target("https://graph.microsoft.com/localtest/communications/calls");
        assert_eq!((t.base.as_deref(), t.path.as_str()), (Some("https://graph.microsoft.com/localtest"), "/communications/calls"));
        let t = parse_target("me/events");
        assert_eq!((t.base, t.path.as_str(), t.query), (None, "/me/events", None));
        let t = parse_target("https://graph.microsoft.com/v1.0/$batch");
        assert_eq!(t.path, "/$batch");
        assert!(is_graph_host("graph.microsoft.com") && !is_graph_host("sn3302.up.1drv.com"));
    }

    #[test]
    fn segments_keep_functions_and_path_addressing_whole() {
        assert_eq!(segments("/me/drive/root:/Documents/Q1 report.docx:/content"), ["me", "drive", "root:", "Documents/Q1 report.docx:", "content"]);
        assert_eq!(segments("/drives/d/root:/a/b.txt"), ["drives", "d", "root:", "a/b.txt"]);
        assert_eq!(segments("/drives/d/items/{parent-id}:/{filename}:/content"), ["drives", "d", "items", "{parent-id}:", "{filename}:", "content"]);
        assert_eq!(segments("/w/range(address='Sheet1!A1/B2')/format"), ["w", "range(address='Sheet1!A1/B2')", "format"]);
        assert_eq!(segments("/me//messages/"), ["me", "messages"]);
        assert_eq!(segments("/me/messages/AAMk='/extensions/x"), ["me", "messages", "AAMk='", "extensions", "x"]);
        assert_eq!(raw_segments("/a/b%2Fc/"), ["a", "b%2Fc", ""]);
    }

    #[test]
    fn names_follow_the_readme() {
        assert_eq!(method_name("mailFolders"), "mail_folders");
        assert_eq!(method_name("$value"), "value");
        assert_eq!(method_name("$ref"), "r#ref");
        assert_eq!(method_name("microsoft.graph.delta()"), "delta");
        assert_eq!(method_name("root:"), "root_path");
        assert_eq!(method_name("getOffice365ActivationCounts"), "get_office365_activation_counts");
        assert_eq!(method_name("range(address='A1')"), "range");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("365Days"), "n365days");
        assert_eq!(snake("startDateTime"), "start_date_time");
        assert_eq!(snake("size²"), "size");
        assert_eq!(snake("$"), "empty");
    }

    #[test]
    fn function_arguments_are_unquoted_in_order() {
        assert_eq!(function_args("f(a='x',b=2)").unwrap(), [("a".to_string(), "x".to_string()), ("b".into(), "2".into())]);
        assert_eq!(function_args("delta()").unwrap(), Vec::<(String, String)>::new());
        assert_eq!(function_args("worksheets('Sheet 1')").unwrap(), [(String::new(), "Sheet 1".to_string())]);
        assert_eq!(
            function_args("supportedTimeZones(TimeZoneStandard=microsoft.graph.timeZoneStandard'Iana')").unwrap(),
            [("TimeZoneStandard".to_string(), "Iana".to_string())]
        );
        assert_eq!(function_args("range(address='A1:B2,C3')").unwrap(), [("address".to_string(), "A1:B2,C3".to_string())]);
        assert_eq!(function_args("f(a='it''s')").unwrap(), [("a".to_string(), "it's".to_string())]);
        assert!(function_args("users").is_none());
    }

    #[test]
    fn queries_decode_and_literals_escape() {
        assert_eq!(
            query_pairs("$filter=a%20eq%20'b'&$count&&$top=2"),
            [("$filter".to_string(), "a eq 'b'".to_string()), ("$count".into(), String::new()), ("$top".into(), "2".into())]
        );
        assert_eq!(query_pairs("$filter=a+eq+true&$search=%2B1"), [("$filter".to_string(), "a eq true".to_string()), ("$search".into(), "+1".into())]);
        assert_eq!(lit("a\"b"), "\"a\\\"b\"");
        assert_eq!(raw_lit("{\"a\":\"#\"}"), "r##\"{\"a\":\"#\"}\"##");
        assert_eq!(raw_lit("{}"), "r#\"{}\"#");
    }
}
