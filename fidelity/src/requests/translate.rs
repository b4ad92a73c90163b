//! An example's URL written as Rust by the README's rule ("Requests: the URL as
//! Rust"), as a user reading the page would write it: which segments are
//! parameters comes from the page's own request lines (the best-fitting one), else
//! from the whole tree's request lines and the segment itself; whether a GET is a
//! `list` from the page's response; whether a POST is an action from the tree's
//! request lines. Never from the generator's operation tables.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::Value;

use super::url::{self, lit, raw_lit};
use super::{Body, DocLine, Example, PageRequests};

/// How an example's path is read: each segment's role and, for a literal that a
/// request line documents, its spelling there (the method is named after the
/// documented spelling: `mailfolders` in an example is `mailFolders`' node).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    pub roles: Vec<Role>,
    pub spellings: Vec<Option<String>>,
}

/// What a segment of the example is, for the Rust it becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A literal: a method named after it (`.mail_folders()`), or a function
    /// segment with parentheses (`.range("A1")`).
    Literal,
    /// A parameter: `.by_id(value)`, or `.by_path(value)` when it ends in `:`.
    Param,
}

/// One segment, compared with request lines in a canonical form: `/me` is
/// `/users/{me}`, `drive/root` is `drive/items/{root}` (Graph's documented
/// aliases), names compare case-insensitively without `$` and namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Canon {
    key: String,
    param: bool,
    /// The example's (or line's) segment this comes from.
    origin: usize,
    alias: bool,
}

/// The comparison key of a literal segment: its bare name, lower-cased, with `()`
/// for a function or key segment and `:` for path addressing.
pub fn literal_key(seg: &str) -> String {
    let name = url::bare_name(url::segment_name(seg)).to_ascii_lowercase();
    let parens = if seg.contains('(') { "()" } else { "" };
    let colon = if seg.ends_with(':') && !seg.contains('(') { ":" } else { "" };
    format!("{name}{parens}{colon}")
}

fn is_template_param(seg: &str) -> bool {
    let s = seg.strip_suffix(':').unwrap_or(seg);
    s.starts_with('{') && s.ends_with('}') && !s.contains('(')
}

/// A documented line's segments, canonical.
fn canon_line(segs: &[String]) -> Vec<Canon> {
    canon(segs, is_template_param)
}

/// An example's segments, canonical: every segment a literal for now.
fn canon_example(segs: &[String]) -> Vec<Canon> {
    canon(segs, |_| false)
}

fn canon(segs: &[String], is_param: impl Fn(&str) -> bool) -> Vec<Canon> {
    let mut out: Vec<Canon> = Vec::with_capacity(segs.len() + 2);
    for (i, s) in segs.iter().enumerate() {
        let prev_drive = i > 0 && !out.last().is_some_and(|c| c.param) && out.last().is_some_and(|c| c.key == "drive");
        if i == 0 && s.eq_ignore_ascii_case("me") {
            out.push(Canon { key: "users".into(), param: false, origin: i, alias: true });
            out.push(Canon { key: "{}".into(), param: true, origin: i, alias: true });
        } else if prev_drive && s.eq_ignore_ascii_case("root") {
            out.push(Canon { key: "items".into(), param: false, origin: i, alias: true });
            out.push(Canon { key: "{}".into(), param: true, origin: i, alias: true });
        } else if is_param(s) {
            out.push(Canon { key: "{}".into(), param: true, origin: i, alias: false });
        } else {
            out.push(Canon { key: literal_key(s), param: false, origin: i, alias: false });
        }
    }
    out
}

/// How well a line fits an example: (literals matched, no alias used), or `None`.
fn fit(line: &[Canon], ex: &[Canon]) -> Option<(usize, bool)> {
    if line.len() != ex.len() {
        return None;
    }
    let mut literals = 0;
    let mut alias = false;
    for (l, e) in line.iter().zip(ex) {
        alias |= l.alias || e.alias;
        if l.param {
            continue;
        }
        if e.param || l.key != e.key {
            return None;
        }
        literals += 1;
    }
    Some((literals, !alias))
}

/// The page's request line that fits the example's path best, and how the
/// example's path reads by it: same number of segments, literals equal in any
/// case (a function segment fits a call of the same function), `{...}` fits
/// anything, `/me` fits `/users/{id}` (and `drive/root` `drive/items/{id}`); among
/// those, one with the example's method, then the most literals matched, then
/// one without an alias, then the first.
pub fn best_line(segs: &[String], method: &str, lines: &[DocLine]) -> Option<(usize, Reading)> {
    let ex = canon_example(segs);
    // (same method, literals matched, no alias), line, its canonical segments.
    type Best = ((bool, usize, bool), usize, Vec<Canon>);
    let mut best: Option<Best> = None;
    for (i, l) in lines.iter().enumerate() {
        let lc = canon_line(&l.segments);
        if let Some((lits, plain)) = fit(&lc, &ex) {
            let score = (l.method == method, lits, plain);
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, i, lc));
            }
        }
    }
    let (_, i, lc) = best?;
    let mut roles = vec![Role::Literal; segs.len()];
    let mut spellings = vec![None; segs.len()];
    for (l, e) in lc.iter().zip(&ex) {
        if l.param && !e.alias {
            roles[e.origin] = Role::Param;
        } else if !l.param && !l.alias && !e.alias {
            spellings[e.origin] = Some(lines[i].segments[l.origin].clone());
        }
    }
    Some((i, Reading { roles, spellings }))
}

/// Whether the target has an unencoded space where no value can be: in a
/// literal segment, a query option's name, or at the end of the path.
pub fn space_outside_value(target: &str, segs: &[String], lines: &[DocLine]) -> bool {
    if !target.contains(char::is_whitespace) {
        return false;
    }
    let t = url::parse_target(target);
    if let Some(q) = &t.query {
        if q.split('&').any(|p| p.split('=').next().unwrap_or("").contains(char::is_whitespace)) {
            return true;
        }
    }
    if t.path.ends_with(char::is_whitespace) || t.path.starts_with(|c: char| c.is_whitespace()) {
        return true;
    }
    let roles = best_line(segs, "", lines).map(|(_, r)| r.roles).unwrap_or_else(|| vec![Role::Literal; segs.len()]);
    segs.iter().enumerate().any(|(i, s)| {
        let value = roles[i] == Role::Param || s.contains('/') || (i > 0 && segs[i - 1].ends_with(':')) || looks_like_id(&s.replace(' ', ""));
        let name_part = s.split('(').next().unwrap_or(s);
        (!value && name_part.contains(char::is_whitespace)) || space_between_arguments(s)
    })
}

/// A space in a function segment's parentheses outside a quoted value
/// (`f(a={n}, b={n})`): the generator writes arguments without one, and a request
/// target cannot hold a raw space.
fn space_between_arguments(seg: &str) -> bool {
    let Some(args) = seg.split_once('(').map(|(_, a)| a) else { return false };
    let mut quoted = false;
    args.chars().any(|c| {
        if c == '\'' {
            quoted = !quoted;
        }
        !quoted && c.is_whitespace()
    })
}

/// A segment that is a value rather than a name: a `{placeholder}`, a GUID, a
/// segment that is half digits or holds `@`, `=`, `!`, `,`, `%`, `.` (a domain or
/// file name; a namespace-qualified name starting `microsoft.` is a name), a space, or
/// an Outlook-style key (`AAMk...`), or a long mixed-case token with digits (a
/// OneDrive item id).
pub fn looks_like_id(s: &str) -> bool {
    let s = s.strip_suffix(':').unwrap_or(s);
    if s.contains('(') {
        return false;
    }
    if s.starts_with('{') && s.ends_with('}') {
        return true;
    }
    if s.contains(['@', '=', '!', ',', '%', ' ']) {
        return true;
    }
    if s.contains('.') && !s.to_ascii_lowercase().starts_with("microsoft.") && !s.starts_with('$') {
        return true;
    }
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() == 5 && parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12]) && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_hexdigit())) {
        return true;
    }
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let len = s.chars().count();
    if digits > 0 && digits * 2 >= len {
        return true;
    }
    if ["AAMk", "AQMk", "AAQk", "AAKk", "AAAA"].iter().any(|p| s.starts_with(p)) {
        return true;
    }
    let upper = s.chars().filter(char::is_ascii_uppercase).count();
    len >= 16 && digits >= 2 && upper >= 4 && !s.contains('_')
}

/// The children a documented prefix has: literals (key -> the first spelling
/// documented), whether a parameter follows, whether a parameter ending in `:`
/// (path addressing, `{hostname}:`) follows.
#[derive(Clone, Debug, Default)]
struct Children {
    literals: HashMap<String, String>,
    param: bool,
    param_colon: bool,
}

/// A documented function signature.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct FnSig {
    method: String,
    path: String,
    page: String,
    args: Vec<String>,
}

/// What the whole tree's request lines say about paths.
#[derive(Clone, Debug, Default)]
pub struct Index {
    /// Canonical keys of every documented path.
    templates: HashSet<String>,
    /// Keys of documented paths that a documented URL goes on after.
    prefixes: HashSet<String>,
    /// Keys of documented GETs on pages that return a collection.
    get_collections: HashSet<String>,
    /// Documented prefix key -> its children.
    children: HashMap<String, Children>,
    /// A literal's key -> what follows it anywhere in the tree.
    after_literal: HashMap<String, Children>,
    /// `prefix key|function name` -> its documented signatures.
    functions: BTreeMap<String, BTreeSet<FnSig>>,
    /// `prefix key|name` of literal segments without parentheses.
    nodes: HashSet<String>,
}

fn join(keys: &[Canon]) -> String {
    keys.iter().map(|c| c.key.as_str()).collect::<Vec<_>>().join("/")
}

impl Index {
    /// The tree's request lines, each line that is only the tail of its page's
    /// example's path also under that path (the README's rule: the generator
    /// places `/workbook/...` under `/me/drive/items/{id}/workbook/...` when the
    /// example shows it there), with the prefix's parameters as the tree reads them.
    pub fn new(pages: &[PageRequests]) -> Index {
        let lines: Vec<(&PageRequests, Vec<DocLine>)> = pages.iter().map(|p| (p, p.lines.clone())).collect();
        let base = Index::build(&lines);
        let mut rooted: Vec<(&PageRequests, Vec<DocLine>)> = Vec::new();
        for p in pages {
            let mut all = p.lines.clone();
            for l in &p.lines {
                for ex in &p.examples {
                    let Some((m, target)) = &ex.request else { continue };
                    let segs = url::segments(&url::parse_target(target).path);
                    if segs.len() <= l.segments.len() || best_line(&segs, m, std::slice::from_ref(l)).is_some() {
                        continue;
                    }
                    let cut = segs.len() - l.segments.len();
                    if best_line(&segs[cut..], m, std::slice::from_ref(l)).is_none() {
                        continue;
                    }
                    let reading = base.reading(&segs[..cut]);
                    let mut path: Vec<String> =
                        segs[..cut].iter().zip(&reading.roles).map(|(s, r)| if *r == Role::Param { "{id}".to_string() } else { s.clone() }).collect();
                    path.extend(l.segments.iter().cloned());
                    let line = DocLine { method: l.method.clone(), path: format!("/{}", path.join("/")), segments: path };
                    if !all.contains(&line) {
                        all.push(line);
                    }
                }
            }
            rooted.push((p, all));
        }
        Index::build(&rooted)
    }

    fn build(pages: &[(&PageRequests, Vec<DocLine>)]) -> Index {
        let mut ix = Index::default();
        for (p, lines) in pages {
            for l in lines {
                let c = canon_line(&l.segments);
                let key = join(&c);
                if l.method == "GET" && p.returns_collection {
                    ix.get_collections.insert(key.clone());
                }
                ix.templates.insert(key);
                for k in 0..c.len() {
                    let prefix = join(&c[..k]);
                    if k > 0 {
                        ix.prefixes.insert(prefix.clone());
                    }
                    let seg = &l.segments[c[k].origin];
                    // A value after path addressing (`{hostname}:/{path}`) is no
                    // evidence of parameters: the `:` says it.
                    let after_colon = k > 0 && l.segments[c[k - 1].origin].ends_with(':');
                    let ch = ix.children.entry(prefix.clone()).or_default();
                    if c[k].param && seg.ends_with(':') {
                        ch.param_colon = true;
                    } else if c[k].param && !after_colon {
                        ch.param = true;
                    } else if !c[k].param {
                        ch.literals.entry(c[k].key.clone()).or_insert_with(|| seg.clone());
                    }
                    if k > 0 && !c[k - 1].param {
                        let after = ix.after_literal.entry(c[k - 1].key.clone()).or_default();
                        if c[k].param && !after_colon && !seg.ends_with(':') {
                            after.param = true;
                        } else if !c[k].param {
                            after.literals.entry(c[k].key.clone()).or_insert_with(|| seg.clone());
                        }
                    }
                    if !c[k].param && !c[k].alias {
                        let name = url::bare_name(url::segment_name(seg)).to_ascii_lowercase();
                        match url::function_args(seg) {
                            Some(args) => {
                                ix.functions.entry(format!("{prefix}|{name}")).or_default().insert(FnSig {
                                    method: l.method.clone(),
                                    path: l.path.clone(),
                                    page: p.page.clone(),
                                    args: args.iter().map(|(n, _)| n.to_ascii_lowercase()).collect(),
                                });
                            }
                            None => {
                                ix.nodes.insert(format!("{prefix}|{name}"));
                            }
                        }
                    }
                }
            }
        }
        ix
    }

    /// How an example's path reads by the tree when no line of its page fits: a
    /// segment the tree documents as a literal at that place is one; one the tree
    /// has a parameter at (after the same documented prefix), one after path
    /// addressing (`root:`), or one that looks like an id is a parameter; past the
    /// documented prefixes, one that the tree has as a parameter after the same
    /// literal (and never as a literal there) is one; the rest are literals.
    fn reading(&self, segs: &[String]) -> Reading {
        let c = canon_example(segs);
        let mut roles = vec![Role::Literal; segs.len()];
        let mut spellings = vec![None; segs.len()];
        let mut prefix: Vec<String> = Vec::new();
        let mut k = 0;
        while k < c.len() {
            let i = c[k].origin;
            if c[k].alias || i == 0 {
                prefix.push(c[k].key.clone());
                k += 1;
                continue;
            }
            let s = &segs[i];
            let key = literal_key(s);
            let p = prefix.join("/");
            let here = self.children.get(&p);
            let after_path = segs[i - 1].ends_with(':') && !segs[i - 1].contains('(');
            let documented_param = here.is_some_and(|h| if s.ends_with(':') { h.param_colon } else { h.param });
            let prev = prefix.last().filter(|_| roles[i - 1] == Role::Literal).and_then(|l| self.after_literal.get(l));
            let role = if let Some(spelling) = here.and_then(|h| h.literals.get(&key)) {
                spellings[i] = Some(spelling.clone());
                Role::Literal
            } else if documented_param || after_path || looks_like_id(s) {
                Role::Param
            } else {
                match prev {
                    Some(a) if !a.literals.contains_key(&key) && a.param && !s.contains('(') && here.is_none() => Role::Param,
                    Some(a) => {
                        spellings[i] = a.literals.get(&key).cloned();
                        Role::Literal
                    }
                    None => Role::Literal,
                }
            };
            roles[i] = role;
            prefix.push(if role == Role::Param { "{}".into() } else { key });
            k += 1;
        }
        Reading { roles, spellings }
    }

    /// The name suffix a function segment gets when several operations want its
    /// name on one node (README, "One name per operation"): none for the first by
    /// method, path and page, its arguments' names (or method's) for later ones;
    /// always when a node of the same name exists there.
    fn function_suffix(&self, prefix: &str, seg: &str) -> String {
        let name = url::bare_name(url::segment_name(seg)).to_ascii_lowercase();
        let Some(args) = url::function_args(seg) else { return String::new() };
        let names: Vec<String> = args.iter().map(|(n, _)| n.to_ascii_lowercase()).collect();
        let Some(sigs) = self.functions.get(&format!("{prefix}|{name}")) else { return String::new() };
        let Some(mine) = sigs.iter().find(|s| s.args == names) else { return String::new() };
        let node = self.nodes.contains(&format!("{prefix}|{name}"));
        // One operation per distinct (method, arguments): the first page documenting it.
        let mut distinct: Vec<&FnSig> = Vec::new();
        for s in sigs {
            if !distinct.iter().any(|d| d.args == s.args && d.method == s.method) {
                distinct.push(s);
            }
        }
        let first = distinct.first().is_some_and(|f| f.args == mine.args && f.method == mine.method);
        if !node && (distinct.len() < 2 || first) {
            return String::new();
        }
        let orig: Vec<&str> = args.iter().map(|(n, _)| n.as_str()).filter(|n| !n.is_empty()).collect();
        if orig.is_empty() {
            format!("_{}", mine.method.to_ascii_lowercase())
        } else {
            format!("_{}", orig.iter().map(|n| url::snake(n).trim_start_matches("r#").to_string()).collect::<Vec<_>>().join("_"))
        }
    }
}

/// What the example asks for, to compare the built request with.
#[derive(Clone, Debug, PartialEq)]
pub struct Expected {
    pub method: String,
    /// The service root the request is built against (`to_http`'s argument).
    pub base: String,
    /// The path below the service root, as written.
    pub path: String,
    /// The query, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The headers the example sets (not `Authorization`, `Content-Length`, `Host`).
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
    /// A body that is not JSON, as the example writes it (trimmed).
    pub raw_body: Option<String>,
}

/// An example as Rust, or why it cannot be written.
#[derive(Clone, Debug, PartialEq)]
pub enum Translation {
    Call {
        /// The statements of the example's function: they end in an `Out`.
        code: String,
        expected: Box<Expected>,
        /// No request line of the page fits the path: the roles came from the tree.
        undocumented: bool,
        /// The example uses `/me` and the line it fits documents `/users/{id}` only.
        me_alias: bool,
        /// The setters the call uses after its operation (query options, headers).
        setters: Vec<String>,
    },
    /// The README has no rule for it (a non-JSON body, a URL on another host, ...).
    Cannot(String),
}

/// The default service root for paths without a host.
pub const DEFAULT_BASE: &str = "https://graph.microsoft.com/v1.0";

const IGNORED_HEADERS: &[&str] = &["authorization", "content-length", "host"];

/// Split a `$select`/`$expand`/`$orderby` list at commas outside parentheses.
fn list_items(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    for c in v.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

fn fields(items: &[String]) -> String {
    format!("&[{}]", items.iter().map(|i| format!("Field::other({})", lit(i))).collect::<Vec<_>>().join(", "))
}

/// `$orderby=a,b desc`: runs of ascending items through `order_by`, descending
/// ones through `order_by_desc` (each appends to the one list, in order). An
/// explicit `asc` is OData's default, written as `order_by`.
fn order_by(v: &str) -> String {
    let mut out = String::new();
    let mut run: Vec<String> = Vec::new();
    let mut run_desc = false;
    let flush = |out: &mut String, run: &mut Vec<String>, desc: bool| {
        if !run.is_empty() {
            out.push_str(&format!(".{}({})", if desc { "order_by_desc" } else { "order_by" }, fields(run)));
            run.clear();
        }
    };
    for item in list_items(v) {
        let lower = item.to_ascii_lowercase();
        let (name, desc) = if lower.ends_with(" desc") {
            (item[..item.len() - 5].to_string(), true)
        } else if lower.ends_with(" asc") {
            (item[..item.len() - 4].to_string(), false)
        } else {
            (item.clone(), false)
        };
        if desc != run_desc {
            flush(&mut out, &mut run, run_desc);
            run_desc = desc;
        }
        run.push(name);
    }
    flush(&mut out, &mut run, run_desc);
    out
}

/// The typed system query options (README, "Typed query options").
pub const SYSTEM_OPTIONS: &[&str] = &["$select", "$expand", "$filter", "$orderby", "$top", "$skip", "$count", "$search"];

/// A query option's name as compared: a system option in lower case with its
/// `$` (Graph reads `$Select` and `select` as `$select`); others as written.
pub fn system_option(name: &str) -> String {
    let lower = format!("${}", name.trim_start_matches('$').to_ascii_lowercase());
    if SYSTEM_OPTIONS.contains(&lower.as_str()) {
        lower
    } else {
        name.to_string()
    }
}

/// The setters of the query, or why one cannot be written.
fn query_setters(pairs: &[(String, String)]) -> Result<String, String> {
    let mut out = String::new();
    for (name, value) in pairs {
        let lower = system_option(name);
        match lower.as_str() {
            "$select" | "$expand" => out.push_str(&format!(".{}({})", &lower[1..], fields(&list_items(value)))),
            "$orderby" => out.push_str(&order_by(value)),
            "$filter" | "$search" => out.push_str(&format!(".{}({})", &lower[1..], lit(value))),
            "$count" => match value.to_ascii_lowercase().as_str() {
                "true" | "false" => out.push_str(&format!(".count({})", value.to_ascii_lowercase())),
                _ => return Err(format!("`$count={value}` is neither true nor false")),
            },
            "$top" | "$skip" => match value.trim().parse::<u32>() {
                Ok(n) => out.push_str(&format!(".{}({n})", &lower[1..])),
                Err(_) => return Err(format!("`{name}={value}` is not a number")),
            },
            _ if url::bare_name(name).is_empty() => return Err(format!("query parameter without a name (`{name}={value}`)")),
            _ => out.push_str(&format!(".{}({})", url::snake(name.trim_start_matches('$')), lit(value))),
        }
    }
    Ok(out)
}

/// Translate one example of `page`.
pub fn translate(ex: &Example, page: &PageRequests, index: &Index) -> Translation {
    let page_lines = &page.lines;
    let Some((method, target)) = &ex.request else { return Translation::Cannot("no request line".into()) };
    let t = url::parse_target(target);
    if let Some(host) = &t.host {
        if !url::is_graph_host(host) {
            return Translation::Cannot(format!("URL outside the Graph service root (host `{host}`)"));
        }
    }
    let segs = url::segments(&t.path);
    if segs.is_empty() {
        return Translation::Cannot("URL has no path below the service root".into());
    }
    let body_arg = match &ex.body {
        Body::None => None,
        // A carriage return cannot be in a raw string literal; in JSON it can only be
        // whitespace (a string holds it escaped).
        Body::Json { text, .. } => Some(format!("&body({})?", raw_lit(&text.replace('\r', "")))),
        Body::Lenient { value, .. } => Some(format!("&body({})?", raw_lit(&value.to_string()))),
        Body::Invalid { .. } => return Translation::Cannot("body is not valid JSON".into()),
        // Not JSON: the Content-Type (the example's, else a stream's) and the bytes.
        Body::NotJson { content_type, text } => {
            Some(format!("{}, {}.as_bytes()", lit(content_type.as_deref().unwrap_or("application/octet-stream")), lit(text)))
        }
    };
    let (Reading { roles, spellings }, undocumented, fitted) = match best_line(&segs, method, page_lines) {
        Some((i, reading)) => (reading, false, Some(&page_lines[i])),
        None => (index.reading(&segs), true, None),
    };
    let me_alias = segs[0].eq_ignore_ascii_case("me") && fitted.is_some_and(|l| l.segments.first().is_some_and(|s| s.eq_ignore_ascii_case("users")));
    // Canonical keys of the prefix before each segment, for the tree's answers.
    let c = canon_example(&segs);
    let mut key_before: Vec<String> = vec![String::new(); segs.len()];
    let mut key_all = Vec::new();
    for (i, cs) in c.iter().enumerate() {
        if i == 0 || c[i - 1].origin != cs.origin {
            key_before[cs.origin] = key_all.join("/");
        }
        key_all.push(if roles[cs.origin] == Role::Param && !cs.alias { "{}".to_string() } else { cs.key.clone() });
    }
    let full_key = key_all.join("/");
    let last = segs.len() - 1;
    let last_seg = &segs[last];
    // A function segment last is called on the node before it, unless a documented
    // URL goes on after it: then it is a node, and the operation is named by its method.
    let last_fn = roles[last] == Role::Literal && last_seg.contains('(') && !index.prefixes.contains(&full_key);
    // POST to a literal that is no collection, no node, not answered with what it
    // is sent, and not `$ref`/`$value`: an action.
    let action = method == "POST"
        && roles[last] == Role::Literal
        && !last_fn
        && !page.answers_what_it_is_sent
        && !url::segment_name(last_seg).starts_with('$')
        && !index.templates.contains(&format!("{full_key}/{{}}"))
        && !index.get_collections.contains(&full_key)
        && !index.prefixes.contains(&full_key);
    let mut chain = String::new();
    for (i, s) in segs.iter().enumerate() {
        let is_last = i == last;
        let call_args = |extra: Option<&str>| -> String {
            let mut args: Vec<String> = url::function_args(s).unwrap_or_default().iter().map(|(_, v)| lit(v)).collect();
            args.extend(extra.map(str::to_string));
            args.join(", ")
        };
        match roles[i] {
            Role::Param => {
                let by_path = s.ends_with(':');
                let raw = s.strip_suffix(':').unwrap_or(s);
                let value = if by_path || raw.contains('/') { raw.split('/').map(url::decode).collect::<Vec<_>>().join("/") } else { url::decode(raw) };
                chain.push_str(&format!(".{}({})", if by_path { "by_path" } else { "by_id" }, lit(&value)));
            }
            Role::Literal => {
                let mut name = url::method_name(spellings[i].as_deref().unwrap_or(s));
                if s.contains('(') {
                    name.push_str(&index.function_suffix(&key_before[i], s));
                }
                let args = if is_last && (last_fn || action) {
                    call_args(body_arg.as_deref())
                } else if s.contains('(') {
                    call_args(None)
                } else {
                    String::new()
                };
                if i == 0 {
                    chain.push_str(&format!("requests::{name}({args})"));
                } else {
                    chain.push_str(&format!(".{name}({args})"));
                }
            }
        }
    }
    if !(last_fn || action) {
        let b = body_arg.clone().unwrap_or_default();
        let op = match method.as_str() {
            // A GET or DELETE with a body (the Excel functions' examples) passes it.
            "GET" if ex.returns_collection => format!(".list({b})"),
            "GET" => format!(".get({b})"),
            "POST" => format!(".create({b})"),
            "PATCH" => format!(".update({b})"),
            "PUT" => format!(".replace({b})"),
            "DELETE" => format!(".delete({b})"),
            m => return Translation::Cannot(format!("method {m} has no rule in the README")),
        };
        chain.push_str(&op);
    }
    let query = t.query.as_deref().map(url::query_pairs).unwrap_or_default();
    let op_end = chain.len();
    match query_setters(&query) {
        Ok(s) => chain.push_str(&s),
        Err(e) => return Translation::Cannot(e),
    }
    // The body's own Content-Type is set with it (JSON's, or the bytes' given).
    let json_body = body_arg.is_some();
    let mut headers = Vec::new();
    let mut other = Vec::new();
    for (k, v) in &ex.headers {
        let lower = k.to_ascii_lowercase();
        // A Content-Type describes a body: on an example with none it says nothing.
        if IGNORED_HEADERS.contains(&lower.as_str()) || (lower == "content-type" && matches!(ex.body, Body::None)) {
            continue;
        }
        headers.push((lower.clone(), v.clone()));
        match lower.as_str() {
            "content-type" if json_body => {}
            "prefer" => chain.push_str(&format!(".prefer({})", lit(v))),
            "if-match" => chain.push_str(&format!(".if_match({})", lit(v))),
            "if-none-match" => chain.push_str(&format!(".if_none_match({})", lit(v))),
            "consistencylevel" if v.trim().eq_ignore_ascii_case("eventual") => chain.push_str(".consistency_level_eventual()"),
            "workbook-session-id" => chain.push_str(&format!(".workbook_session_id({})", lit(v))),
            _ => other.push((k.clone(), v.clone())),
        }
    }
    let setters = setter_names(&chain[op_end..]);
    let base = t.base.clone().unwrap_or_else(|| DEFAULT_BASE.to_string());
    let mut code = format!("    let r = request({chain});\n");
    for (k, v) in &other {
        code.push_str(&format!("    let r = header(r, {}, {})?;\n", lit(k), lit(v)));
    }
    code.push_str(&format!("    built(r, {})\n", lit(&base)));
    let (body, raw_body) = match &ex.body {
        Body::Json { value, .. } | Body::Lenient { value, .. } => (Some(value.clone()), None),
        Body::NotJson { text, .. } => (None, Some(text.clone())),
        _ => (None, None),
    };
    Translation::Call {
        code,
        expected: Box::new(Expected { method: method.clone(), base, path: t.path.clone(), query, headers, body, raw_body }),
        undocumented,
        me_alias,
        setters,
    }
}

/// The names of the methods called in a chain of setters (`.top(5).prefer("x")`).
fn setter_names(chain: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut escaped) = (0i32, false, false);
    let chars: Vec<char> = chain.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if quoted {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '.' if depth == 0 => {
                let name: String = chars[i + 1..].iter().take_while(|c| c.is_alphanumeric() || **c == '_' || **c == '#').collect();
                out.push(name.trim_start_matches("r#").to_string());
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{read_example, scan, PageRequests};
    use super::*;
    use msgraph_gen::SourceFile;

    fn lines(ls: &[&str]) -> Vec<DocLine> {
        let text = format!("# x\n\n## HTTP request\n\n```http\n{}\n```\n", ls.join("\n"));
        scan(&[SourceFile { path: "api/x.md".into(), bytes: text.into_bytes() }]).pop().unwrap().lines
    }

    fn tree(pages: &[(&str, &[&str], bool)]) -> Vec<PageRequests> {
        pages
            .iter()
            .map(|(name, ls, coll)| PageRequests { page: name.to_string(), lines: lines(ls), returns_collection: *coll, ..PageRequests::default() })
            .collect()
    }

    /// The call an example becomes, on a page with `page_lines`, in a tree.
    fn call(block: &str, collection: bool, page_lines: &[&str], pages: &[(&str, &[&str], bool)]) -> String {
        let mut ex = read_example("api/x.md", 10, block);
        ex.returns_collection = collection;
        let ix = Index::new(&tree(pages));
        let page = PageRequests { page: "api/x.md".into(), lines: lines(page_lines), ..PageRequests::default() };
        match translate(&ex, &page, &ix) {
            Translation::Call { code, .. } => code.lines().next().unwrap().trim().trim_start_matches("let r = request(").trim_end_matches(");").to_string(),
            Translation::Cannot(why) => format!("cannot: {why}"),
        }
    }

    #[test]
    fn parameters_come_from_the_page_line() {
        let page = ["GET /me/messages/{id}", "GET /users/{id | userPrincipalName}/messages/{id}"];
        assert_eq!(call("GET https://graph.microsoft.com/v1.0/me/messages/AAMk%3D\n", false, &page, &[]), "requests::me().messages().by_id(\"AAMk=\").get()");
        assert_eq!(
            call("GET /users/a@b.com/messages/m1?$select=subject,from\n", false, &page, &[]),
            "requests::users().by_id(\"a@b.com\").messages().by_id(\"m1\").get().select(&[Field::other(\"subject\"), Field::other(\"from\")])"
        );
        // `delta` is a literal of the line, whatever it looks like.
        assert_eq!(call("GET /me/messages/delta\n", true, &["GET /me/messages/delta"], &[]), "requests::me().messages().delta().list()");
        // `/me` fits `/users/{id}`.
        assert_eq!(call("GET /me/messages\n", true, &["GET /users/{id}/messages"], &[]), "requests::me().messages().list()");
        // The reverse: `/users/{x}` fits `/me`.
        assert_eq!(call("GET /users/x/messages\n", true, &["GET /me/messages"], &[]), "requests::users().by_id(\"x\").messages().list()");
    }

    #[test]
    fn literals_take_the_documented_spelling() {
        let page = ["POST /me/mailFolders/{id}/childFolders"];
        let tree: &[(&str, &[&str], bool)] = &[("api/a.md", &["GET /me/mailFolders/{id}/childFolders"], true)];
        assert_eq!(
            call("POST /me/mailfolders/AQMk%3D%3D/childfolders\n", false, &page, tree),
            "requests::me().mail_folders().by_id(\"AQMk==\").child_folders().create()"
        );
        // From the tree, when the page has no line that fits.
        let pages: &[(&str, &[&str], bool)] = &[("api/a.md", &["GET /policies/tokenIssuancePolicies/{id}"], false)];
        assert_eq!(call("GET /policies/tokenIssuancepolicies/p1\n", false, &[], pages), "requests::policies().token_issuance_policies().by_id(\"p1\").get()");
        // `select=` without `$` is `$select`.
        assert_eq!(call("GET /me/messages?select=subject\n", true, &[], &[]), "requests::me().messages().list().select(&[Field::other(\"subject\")])");
    }

    #[test]
    fn path_addressing_is_no_evidence_of_parameters() {
        // `{hostname}:` says nothing of `drives` after `/sites/{id}`.
        let pages: &[(&str, &[&str], bool)] = &[("api/a.md", &["GET /sites/{hostname}:/{server-relative-path}", "GET /sites/{id}"], false)];
        assert_eq!(call("GET /sites/s1/drives\n", true, &[], pages), "requests::sites().by_id(\"s1\").drives().list()");
        assert_eq!(
            call("GET /sites/contoso.sharepoint.com:/teams/hr\n", false, &[], pages),
            "requests::sites().by_path(\"contoso.sharepoint.com\").by_id(\"teams/hr\").get()"
        );
    }

    #[test]
    fn a_post_answered_with_what_it_is_sent_creates() {
        let mut ex = read_example("api/x.md", 1, "POST /invitations\nContent-Type: application/json\n\n{}\n");
        ex.returns_collection = false;
        let mut page = PageRequests { page: "api/x.md".into(), lines: lines(&["POST /invitations"]), ..PageRequests::default() };
        let first = |t: Translation| match t {
            Translation::Call { code, .. } => code.lines().next().unwrap_or("").trim().to_string(),
            Translation::Cannot(w) => w,
        };
        assert_eq!(first(translate(&ex, &page, &Index::default())), "let r = request(requests::invitations(&body(r#\"{}\"#)?));");
        page.answers_what_it_is_sent = true;
        assert_eq!(first(translate(&ex, &page, &Index::default())), "let r = request(requests::invitations().create(&body(r#\"{}\"#)?));");
    }

    #[test]
    fn without_a_fitting_line_the_tree_and_the_segment_decide() {
        let pages: &[(&str, &[&str], bool)] = &[("api/a.md", &["GET /groups/{id}/members"], true), ("api/b.md", &["GET /groups/{id}/members/delta"], true)];
        // `groups` is followed by a parameter in the tree; `members` by a literal `delta` and nothing else.
        assert_eq!(call("GET /groups/g1/members\n", true, &[], pages), "requests::groups().by_id(\"g1\").members().list()");
        assert_eq!(call("GET /groups/g1/members/delta\n", true, &[], pages), "requests::groups().by_id(\"g1\").members().delta().list()");
        // Outside the tree: an id-looking segment is a parameter.
        assert_eq!(call("GET /widgets/1234/parts\n", true, &[], pages), "requests::widgets().by_id(\"1234\").parts().list()");
        assert_eq!(
            call("GET /widgets/b7a3a1f0-1c2d-4e5f-8a9b-0c1d2e3f4a5b\n", false, &[], pages),
            "requests::widgets().by_id(\"b7a3a1f0-1c2d-4e5f-8a9b-0c1d2e3f4a5b\").get()"
        );
        assert_eq!(call("GET /widgets/parts\n", true, &[], pages), "requests::widgets().parts().list()");
    }

    #[test]
    fn operations_follow_the_method() {
        let pages: &[(&str, &[&str], bool)] = &[
            ("api/a.md", &["POST /me/messages", "GET /me/messages/{id}"], false),
            ("api/b.md", &["POST /me/sendMail"], false),
            ("api/c.md", &["POST /groups/{id}/members/$ref"], false),
            ("api/d.md", &["GET /me/calendars"], true),
        ];
        let body = "\nContent-Type: application/json\n\n{\"subject\": \"hi\"}\n";
        assert_eq!(
            call(&format!("POST /me/messages{body}"), false, &["POST /me/messages"], pages),
            "requests::me().messages().create(&body(r#\"{\"subject\": \"hi\"}\"#)?)"
        );
        assert_eq!(
            call(&format!("POST /me/sendMail{body}"), false, &["POST /me/sendMail"], pages),
            "requests::me().send_mail(&body(r#\"{\"subject\": \"hi\"}\"#)?)"
        );
        assert_eq!(
            call("POST /me/messages/m1/createForward\n", false, &["POST /me/messages/{id}/createForward"], pages),
            "requests::me().messages().by_id(\"m1\").create_forward()"
        );
        assert_eq!(
            call(&format!("POST /groups/g/members/$ref{body}"), false, &["POST /groups/{id}/members/$ref"], pages),
            "requests::groups().by_id(\"g\").members().r#ref().create(&body(r#\"{\"subject\": \"hi\"}\"#)?)"
        );
        // A collection to GET: create.
        assert_eq!(
            call(&format!("POST /me/calendars{body}"), false, &["POST /me/calendars"], pages),
            "requests::me().calendars().create(&body(r#\"{\"subject\": \"hi\"}\"#)?)"
        );
        assert_eq!(
            call(&format!("PATCH /me/messages/m1{body}"), false, &[], pages),
            "requests::me().messages().by_id(\"m1\").update(&body(r#\"{\"subject\": \"hi\"}\"#)?)"
        );
        assert_eq!(
            call(&format!("PUT /me/messages/m1{body}"), false, &[], pages),
            "requests::me().messages().by_id(\"m1\").replace(&body(r#\"{\"subject\": \"hi\"}\"#)?)"
        );
        assert_eq!(
            call("DELETE /groups/g/members/u/$ref\n", false, &["DELETE /groups/{id}/members/{id}/$ref"], pages),
            "requests::groups().by_id(\"g\").members().by_id(\"u\").r#ref().delete()"
        );
        assert_eq!(call("GET /me/photo/$value\n", false, &["GET /me/photo/$value"], pages), "requests::me().photo().value().get()");
        assert_eq!(call("HEAD /me\n", false, &[], pages), "cannot: method HEAD has no rule in the README");
        assert_eq!(
            call("PUT /me/drive/root:/a.txt:/content\nContent-Type: text/plain\n\nhello\n", false, &[], pages),
            "requests::me().drive().root_path().by_path(\"a.txt\").by_id(\"content\").replace(\"text/plain\", \"hello\".as_bytes())"
        );
        assert_eq!(call("PUT https://sn3302.up.1drv.com/up/x\n", false, &[], pages), "cannot: URL outside the Graph service root (host `sn3302.up.1drv.com`)");
    }

    #[test]
    fn functions_path_addressing_and_collisions() {
        assert_eq!(
            call("GET /reports/getEmailActivityCounts(period='D7')\n", false, &["GET /reports/getEmailActivityCounts(period='{period_value}')"], &[]),
            "requests::reports().get_email_activity_counts(\"D7\")"
        );
        assert_eq!(
            call("GET /me/drive/root:/Documents/Q1%20report.docx:/content\n", false, &["GET /me/drive/root:/{item-path}:/content"], &[]),
            "requests::me().drive().root_path().by_path(\"Documents/Q1 report.docx\").content().get()"
        );
        assert_eq!(
            call("GET /drives/d1/root:/a.xlsx\n", false, &["GET /drives/{drive-id}/root:/{item-path}"], &[]),
            "requests::drives().by_id(\"d1\").root_path().by_id(\"a.xlsx\").get()"
        );
        assert_eq!(
            call("GET /me/drive/root/children\n", true, &["GET /me/drive/items/{item-id}/children"], &[]),
            "requests::me().drive().root().children().list()"
        );
        assert_eq!(
            call("GET /w/range(address='A1:B2')/format\n", false, &["GET /w/range(address={address})/format"], &[]),
            "requests::w().range(\"A1:B2\").format().get()"
        );
        // A function named like a node: the function takes its arguments' names.
        let tz: &[(&str, &[&str], bool)] = &[(
            "api/a.md",
            &["GET /me/outlook/supportedTimeZones", "GET /me/outlook/supportedTimeZones(TimeZoneStandard=microsoft.graph.timeZoneStandard'{tz}')"],
            true,
        )];
        assert_eq!(
            call("GET /me/outlook/supportedTimeZones(TimeZoneStandard=microsoft.graph.timeZoneStandard'Iana')\n", false, tz[0].1, tz),
            "requests::me().outlook().supported_time_zones_time_zone_standard(\"Iana\")"
        );
        // Two signatures of one function: the first keeps the name.
        let rp: &[(&str, &[&str], bool)] = &[("api/r.md", &["GET /reports/getX(date={d})", "GET /reports/getX(period='{p}')"], false)];
        assert_eq!(call("GET /reports/getX(date=2020-01-01)\n", false, rp[0].1, rp), "requests::reports().get_x(\"2020-01-01\")");
        assert_eq!(call("GET /reports/getX(period='D7')\n", false, rp[0].1, rp), "requests::reports().get_x_period(\"D7\")");
    }

    #[test]
    fn query_options_and_headers_become_setters() {
        assert_eq!(
            call("GET /me/messages?$filter=importance%20eq%20'high'&$orderby=a,b%20desc,c&$top=5&$skip=2&$count=true&$search=\"x y\"&$expand=att($select=id,name)\n", true, &["GET /me/messages"], &[]),
            "requests::me().messages().list().filter(\"importance eq 'high'\").order_by(&[Field::other(\"a\")]).order_by_desc(&[Field::other(\"b\")]).order_by(&[Field::other(\"c\")]).top(5).skip(2).count(true).search(\"\\\"x y\\\"\").expand(&[Field::other(\"att($select=id,name)\")])"
        );
        assert_eq!(call("GET /me/calendarView?startDateTime=2020-01-01&$top=x\n", true, &[], &[]), "cannot: `$top=x` is not a number");
        assert_eq!(
            call("GET /me/calendarView?startDateTime=2020-01-01\n", true, &[], &[]),
            "requests::me().calendar_view().list().start_date_time(\"2020-01-01\")"
        );
        let mut ex = read_example(
            "api/x.md",
            1,
            "DELETE /planner/tasks/t1\nIf-Match: W/\"x\"\nAuthorization: Bearer x\nX-Custom: 1\nConsistencyLevel: eventual\nPrefer: a=b\n",
        );
        ex.returns_collection = false;
        let Translation::Call { code, expected, .. } = translate(&ex, &PageRequests::default(), &Index::default()) else { panic!() };
        assert_eq!(code, "    let r = request(requests::planner().tasks().by_id(\"t1\").delete().if_match(\"W/\\\"x\\\"\").consistency_level_eventual().prefer(\"a=b\"));\n    let r = header(r, \"X-Custom\", \"1\")?;\n    built(r, \"https://graph.microsoft.com/v1.0\")\n");
        assert_eq!(
            expected.headers,
            [
                ("if-match".to_string(), "W/\"x\"".to_string()),
                ("x-custom".into(), "1".into()),
                ("consistencylevel".into(), "eventual".into()),
                ("prefer".into(), "a=b".into())
            ]
        );
        assert_eq!(expected.path, "/planner/tasks/t1");
        assert_eq!(expected.base, DEFAULT_BASE);
    }

    #[test]
    fn crlf_bodies_are_written_without_carriage_returns() {
        let ex = read_example("api/x.md", 1, "PATCH /me/messages/m1\r\nContent-Type: application/json\r\n\r\n{\r\n  \"a\": 1\r\n}\r\n");
        let Translation::Call { code, expected, .. } = translate(&ex, &PageRequests::default(), &Index::default()) else { panic!() };
        assert!(!code.contains('\r'), "{code:?}");
        assert_eq!(expected.body, Some(serde_json::json!({"a": 1})));
        assert_eq!(expected.headers, [("content-type".to_string(), "application/json".to_string())]);
    }

    #[test]
    fn setters_are_named() {
        assert_eq!(
            setter_names(".select(&[Field::other(\"a.b\")]).filter(\"x.y(\\\")\").start_date_time(\"2020\").r#type(\"x\")"),
            ["select", "filter", "start_date_time", "type"]
        );
    }

    #[test]
    fn ids_are_told_from_names() {
        for id in [
            "{id}",
            "AAMkAGI2THVSAAA=",
            "adele@contoso.com",
            "1",
            "b7a3a1f0-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
            "contoso.com",
            "01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K",
            "Sheet 1",
        ] {
            assert!(looks_like_id(id), "{id}");
        }
        for name in ["messages", "mailFolders", "microsoft.graph.user", "$ref", "getOffice365ActivationCounts", "range(address='A1')", "root:"] {
            assert!(!looks_like_id(name), "{name}");
        }
    }
}
