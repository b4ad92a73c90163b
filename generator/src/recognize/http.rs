//! `http` code blocks: request line or status line, headers, JSON body.

use serde_json::Value;

use crate::diag::{Code, Diagnostic, Span};
use crate::model::PathSegment;

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

#[derive(Clone, Debug, PartialEq)]
pub enum StartLine {
    Request { method: String, target: String },
    Status { code: u16, reason: String },
}

#[derive(Clone, Debug, PartialEq)]
pub struct HttpMessage {
    pub start: StartLine,
    pub headers: Vec<(String, String)>,
    /// The parsed JSON body and the position of its first line.
    pub body: Option<(Value, Span)>,
    /// The body's text (for locating properties), empty when there is none.
    pub body_text: String,
    /// Position of the start line.
    pub span: Span,
    /// A bare JSON response block with no status line.
    pub implicit_status: bool,
    /// A body that the message's `Content-Type` says is not JSON (a photo, a
    /// file's text): its text, trimmed; it is not parsed.
    pub raw_body: Option<String>,
}

impl HttpMessage {
    /// The media type of a `Content-Type` header that is not JSON (`image/jpeg`,
    /// `text/plain`), lower-case and without parameters.
    pub fn non_json_media(&self) -> Option<String> {
        let (_, v) = self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-type"))?;
        let media = v.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        (!media.is_empty() && !media.contains("json")).then_some(media)
    }
}

/// `METHOD target [HTTP/1.1]` -> (method, target).
pub fn request_line(line: &str) -> Option<(String, String)> {
    let mut parts = line.split_whitespace();
    let method = parts.next()?;
    let upper = method.to_ascii_uppercase();
    if !METHODS.contains(&upper.as_str()) {
        return None;
    }
    let first = parts.next()?;
    if !(first.starts_with('/') || first.starts_with("http://") || first.starts_with("https://")) {
        return None;
    }
    // The target runs to the end of the line (less an `HTTP/1.1` suffix); spaces
    // inside `{...}` (`{id | userPrincipalName}`) or `(...)` (`f(a={x}, b={y})`)
    // belong to it and are dropped.
    let rest: Vec<&str> = std::iter::once(first).chain(parts).collect();
    let rest = match rest.last() {
        Some(last) if rest.len() > 1 && last.starts_with("HTTP/") => &rest[..rest.len() - 1],
        _ => &rest[..],
    };
    let mut target = String::new();
    let (mut braces, mut parens) = (0i32, 0i32);
    for (i, word) in rest.iter().enumerate() {
        if i > 0 && braces <= 0 && parens <= 0 {
            break;
        }
        target.push_str(word);
        braces += word.matches('{').count() as i32 - word.matches('}').count() as i32;
        parens += word.matches('(').count() as i32 - word.matches(')').count() as i32;
    }
    Some((upper, target))
}

fn status_line(line: &str) -> Option<(u16, String)> {
    let rest = line.trim().strip_prefix("HTTP/")?;
    let mut parts = rest.splitn(3, ' ');
    let _version = parts.next()?;
    let code = parts.next()?.trim().parse::<u16>().ok()?;
    Some((code, parts.next().unwrap_or("").trim().to_string()))
}

/// The path of a URL or request target: without scheme, host, the version segment
/// (for absolute URLs) and the query.
pub fn url_path(target: &str) -> String {
    let no_query = target.split(['?', '#']).next().unwrap_or("");
    if let Some(rest) = no_query.strip_prefix("https://").or_else(|| no_query.strip_prefix("http://")) {
        let path = rest.find('/').map_or("", |i| &rest[i..]);
        // Drop the version segment (v1.0, beta, ...): Graph URLs always carry one.
        let mut segs = path.trim_start_matches('/').splitn(2, '/');
        let _version = segs.next();
        format!("/{}", segs.next().unwrap_or(""))
    } else {
        no_query.to_string()
    }
}

/// Split a template path into segments. `{x}` segments are parameters; an
/// OData key segment such as `items('{id}')` stays a literal. Where a request line
/// writes a value or a malformed placeholder in place of a `{param}`, the segment
/// is a parameter all the same (ids are parameters, names are methods): see
/// [`push_segment`].
pub fn template_segments(path: &str) -> Vec<PathSegment> {
    let mut out = Vec::new();
    for s in url_path(path).split('/').filter(|s| !s.is_empty()) {
        push_segment(s, &mut out);
    }
    out
}

/// One segment of a request line, as one or two path segments:
///
/// * `{x}` is the parameter `x`; so are the malformed `{x` and `x}`, and `<x>`;
/// * `{x}$ref` is the parameter `x`, then `$ref`; `account{id}` is `account`, then
///   the parameter `id` (a `/` left out);
/// * a value written where a parameter belongs (a GUID, an address with `@`, a
///   number, a sample key such as `AAMkAGI2TG93AAA=`; see [`looks_like_id`]) is the
///   parameter `id`;
/// * anything else (a name, a function call, `root:`, `{item-path}:`) is a literal.
fn push_segment(s: &str, out: &mut Vec<PathSegment>) {
    let param = |name: &str| PathSegment::Param(name.trim().to_string());
    let braces = (s.find('{'), s.find('}'));
    if !s.contains('(') {
        match braces {
            (Some(0), Some(close)) if close == s.len() - 1 && close > 1 && !s[1..close].contains('{') => return out.push(param(&s[1..close])),
            // `{x}$ref`, `{x}$value`: a parameter and a system segment run together.
            (Some(0), Some(close)) if s[close + 1..].starts_with('$') && close > 1 => {
                out.push(param(&s[1..close]));
                return out.push(PathSegment::Literal(s[close + 1..].to_string()));
            }
            // `account{id}`: a name and a parameter run together.
            (Some(open), Some(close)) if open > 0 && close == s.len() - 1 && close > open + 1 && is_name(&s[..open]) => {
                out.push(PathSegment::Literal(s[..open].to_string()));
                return out.push(param(&s[open + 1..close]));
            }
            // A placeholder that misses a brace: `{group-id`, `workforceIntegrationId}`.
            (Some(0), None) if s.len() > 1 => return out.push(param(&s[1..])),
            (None, Some(close)) if close == s.len() - 1 && close > 0 => return out.push(param(&s[..close])),
            _ => {}
        }
        if let Some(inner) = s.strip_prefix('<').and_then(|r| r.strip_suffix('>')).filter(|i| !i.is_empty()) {
            return out.push(param(inner));
        }
        if looks_like_id(s) {
            return out.push(param("id"));
        }
    }
    out.push(PathSegment::Literal(s.to_string()))
}

/// A segment name as the docs write them: letters, digits, `_`, `.`, a leading `$`.
fn is_name(s: &str) -> bool {
    let s = s.strip_prefix('$').unwrap_or(s);
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// A value, not a name: a segment no Graph path names a resource with. A GUID; an
/// address (`@`); anything that starts with a digit (a number, `01ABCDEF`); text with `=`, `+`, `-`, `!` or `,` (base64 and sample
/// keys; names never hold them); or a long run of letters and digits with as many
/// capitals as a random key has (`AAMkAGI2TG93AAA`: at least half as many capitals
/// as small letters, and a digit), which names such as `getOffice365ActivationCounts`
/// or `windowsPhone81SCEPCertificateProfile` never have.
pub fn looks_like_id(s: &str) -> bool {
    let b = s.as_bytes();
    let guid = b.len() == 36 && b.iter().enumerate().all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { *c == b'-' } else { c.is_ascii_hexdigit() });
    // A name starts with a letter (or `$`): a leading digit is a value (`01ABCDEF`, `42`).
    if guid || s.contains('@') || b.first().is_some_and(u8::is_ascii_digit) {
        return true;
    }
    if s.starts_with('$') || s.contains(['(', ':', '{', '}', '.', '~']) || s.is_empty() {
        return false;
    }
    if s.contains(['=', '+', '-', '!', ',']) {
        return true;
    }
    let upper = b.iter().filter(|c| c.is_ascii_uppercase()).count();
    let lower = b.iter().filter(|c| c.is_ascii_lowercase()).count();
    b.len() >= 16 && b.iter().any(u8::is_ascii_digit) && upper * 2 >= lower && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// Does a concrete example path match a template? Parameters match any segment;
/// literals compare case-insensitively. Graph's documented aliases count: `/me` is
/// `/users/{id}` and `drive/root` is `drive/items/{id}`.
pub fn path_matches(template: &str, path: &str) -> bool {
    let t = dealias(template_segments(template));
    let p: Vec<PathSegment> = dealias(path.split('/').filter(|s| !s.is_empty()).map(|s| PathSegment::Literal(s.to_string())).collect());
    let p: Vec<&str> = p
        .iter()
        .map(|s| match s {
            PathSegment::Literal(l) => l.as_str(),
            PathSegment::Param(_) => "{alias}",
        })
        .collect();
    path_matches_exact(&t, &p)
}

/// `/me/...` -> `/users/{me}/...`; `.../drive/root/...` -> `.../drive/items/{root}/...`.
fn dealias(segs: Vec<PathSegment>) -> Vec<PathSegment> {
    let mut out = Vec::with_capacity(segs.len() + 2);
    for (i, seg) in segs.into_iter().enumerate() {
        // A drive: `drive`, or `drives/{id}`.
        let prev_is_drive = matches!(out.last(), Some(PathSegment::Literal(l)) if l.eq_ignore_ascii_case("drive"))
            || (out.len() >= 2 && matches!(&out[out.len() - 2], PathSegment::Literal(l) if l.eq_ignore_ascii_case("drives")));
        match seg {
            PathSegment::Literal(l) if i == 0 && l.eq_ignore_ascii_case("me") => {
                out.push(PathSegment::Literal("users".into()));
                out.push(PathSegment::Param("me".into()));
            }
            PathSegment::Literal(l) if prev_is_drive && l.eq_ignore_ascii_case("root") => {
                out.push(PathSegment::Literal("items".into()));
                out.push(PathSegment::Param("root".into()));
            }
            s => out.push(s),
        }
    }
    out
}

pub(crate) fn path_matches_exact(t: &[PathSegment], p: &[&str]) -> bool {
    t.len() == p.len()
        && t.iter().zip(p).all(|(seg, actual)| match seg {
            PathSegment::Param(_) => true,
            // An OData function segment (`columnsBefore(count=n)`) matches a call of the
            // same function with any arguments.
            PathSegment::Literal(l) => match (l.split_once('('), actual.split_once('(')) {
                (Some((f, _)), Some((g, _))) => f.eq_ignore_ascii_case(g),
                _ => l.eq_ignore_ascii_case(actual),
            },
        })
}

/// Parse a JSON body leniently; diagnostics point into the docs file.
pub fn parse_body(text: &str, at: &Span, diags: &mut Vec<Diagnostic>) -> Option<(Value, Span)> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    // Skip leading blank lines so `at` is the first body line.
    let lead = text.len() - text.trim_start().len();
    let skipped = text[..lead].matches('\n').count() as u32;
    let at = at.at(at.line() + skipped, 1);
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        diags.push(
            Diagnostic::new(Code::JsonInvalid, at, "example body is not JSON; it is not used for inference")
                .hint("give the body as JSON, or mark the block's language as something other than http"),
        );
        return None;
    }
    match crate::parse::lenient_json(trimmed) {
        Ok((v, fixed)) => {
            if fixed {
                diags.push(
                    Diagnostic::new(Code::JsonLenient, at.clone(), "example body needed lenient parsing")
                        .hint("remove trailing commas, comments and `...` so the example is strict JSON"),
                );
            }
            Some((v, at))
        }
        Err(e) => {
            let line = at.line() + e.line().saturating_sub(1) as u32;
            diags.push(
                Diagnostic::new(Code::JsonInvalid, at.at(line, e.column().max(1) as u32), format!("example body is not valid JSON: {e}"))
                    .hint("fix the JSON; the example is not used for inference"),
            );
            None
        }
    }
}

/// Parse an http block. `first_line` is the docs line of the block's first content line.
pub fn parse_message(text: &str, fence: &Span, first_line: u32, diags: &mut Vec<Diagnostic>) -> Option<HttpMessage> {
    let lines: Vec<&str> = text.split('\n').collect();
    let Some(start_idx) = lines.iter().position(|l| !l.trim().is_empty()) else {
        diags.push(Diagnostic::new(Code::HttpBlock, fence.clone(), "http block is empty").hint("start the block with a request line or a status line"));
        return None;
    };
    let span = fence.at(first_line + start_idx as u32, 1);
    let first = lines[start_idx].trim();
    let start = if let Some((method, target)) = request_line(first) {
        StartLine::Request { method, target }
    } else if let Some((code, reason)) = status_line(first) {
        StartLine::Status { code, reason }
    } else {
        diags.push(
            Diagnostic::new(Code::HttpBlock, span, format!("http block starts with {first:?}, which is neither a request line nor a status line"))
                .hint("start with `GET /path` or `HTTP/1.1 200 OK`"),
        );
        return None;
    };
    let mut headers = Vec::new();
    let mut i = start_idx + 1;
    while i < lines.len() {
        let l = lines[i].trim();
        if l.is_empty() {
            i += 1;
            break;
        }
        if l.starts_with('{') || l.starts_with('[') {
            break;
        }
        match l.split_once(':') {
            Some((k, v)) if !k.contains(' ') => headers.push((k.trim().to_string(), v.trim().to_string())),
            _ => {}
        }
        i += 1;
    }
    let body_text = lines[i.min(lines.len())..].join("\n");
    let mut message = HttpMessage { start, headers, body: None, body_text: String::new(), span, implicit_status: false, raw_body: None };
    if message.non_json_media().is_some() {
        // Not JSON by its own header: kept as text, not parsed (and not reported).
        message.raw_body = Some(body_text.trim().to_string()).filter(|t| !t.is_empty());
        return Some(message);
    }
    message.body = parse_body(&body_text, &fence.at(first_line + i as u32, 1), diags);
    if message.body.is_some() {
        message.body_text = body_text.trim_start().to_string();
    }
    Some(message)
}

/// Finds the positions of object keys in a JSON text, visited in document order.
pub struct Locator<'t> {
    text: &'t str,
    /// Position of the text's first character, and its line and column.
    base: Span,
    base_line: u32,
    base_col: u32,
    cursor: usize,
    /// Line (0-based, relative to `base`) and column (1-based) of byte `counted`;
    /// advanced as keys are found, so each byte is counted once.
    counted: usize,
    line: u32,
    col: u32,
}

impl<'t> Locator<'t> {
    pub fn new(text: &'t str, base: Span) -> Self {
        let (base_line, base_col) = base.line_col();
        Locator { text, base, base_line, base_col, cursor: 0, counted: 0, line: 0, col: 1 }
    }

    /// The position of the next `"key":` at or after the cursor; the cursor moves
    /// past it. Falls back to the text's start when the key is not found.
    pub fn key(&mut self, key: &str) -> Span {
        let needle = format!("\"{key}\"");
        let mut from = self.cursor;
        while let Some(i) = self.text.get(from..).and_then(|t| t.find(&needle)) {
            let at = from + i;
            let after = self.text[at + needle.len()..].trim_start();
            if after.starts_with(':') {
                self.cursor = at + needle.len();
                // Keys are found in increasing order: count only what lies between.
                let between = &self.text[self.counted..at];
                match between.rfind('\n') {
                    Some(nl) => {
                        // (Counted as bytes: a search per newline costs a call each.)
                        self.line += between.bytes().filter(|&b| b == b'\n').count() as u32;
                        self.col = between[nl + 1..].chars().count() as u32 + 1;
                    }
                    None => self.col += between.chars().count() as u32,
                }
                self.counted = at;
                let (line, col) = (self.line, self.col);
                return self.base.at(self.base_line + line, if line == 0 { self.base_col + col - 1 } else { col });
            }
            from = at + needle.len();
        }
        self.base.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceText;
    use std::sync::Arc;

    #[test]
    fn request_and_status_lines() {
        assert_eq!(request_line("POST /a/{b}/c/$ref"), Some(("POST".into(), "/a/{b}/c/$ref".into())));
        assert_eq!(request_line("get https://x/v1.0/me HTTP/1.1"), Some(("GET".into(), "https://x/v1.0/me".into())));
        assert_eq!(request_line("Content-Type: x"), None);
        assert_eq!(status_line("HTTP/1.1 201 Created"), Some((201, "Created".into())));
        assert_eq!(request_line("GET /users/{id | userPrincipalName}/photo/$value"), Some(("GET".into(), "/users/{id|userPrincipalName}/photo/$value".into())));
        assert_eq!(
            request_line("POST /me/range/resizedRange(deltaRows={n}, deltaColumns={n}) HTTP/1.1"),
            Some(("POST".into(), "/me/range/resizedRange(deltaRows={n},deltaColumns={n})".into()))
        );
        assert_eq!(request_line("GET /me/events HTTP/1.1"), Some(("GET".into(), "/me/events".into())));
    }

    #[test]
    fn paths_strip_host_version_and_query() {
        assert_eq!(url_path("https://graph.microsoft.com/localtest/communications/calls/{callId}/participants"), "/communications/calls/{callId}/participants");
        assert_eq!(url_path("https://graph.microsoft.com/v1.0/me/events?$top=2"), "/me/events");
        assert!(path_matches("/communications/calls/{callId}/participants", "/communications/calls/abc/participants"));
        assert!(!path_matches("/communications/calls/{callId}/participants/$ref", "/communications/calls/abc/participants"));
        assert!(path_matches("/me/drive/root/workbook/range/columnsBefore(count=n)", "/me/drive/root/workbook/range/columnsBefore(count=2)"));
        assert!(!path_matches("/range/columnsBefore(count=n)", "/range/columnsAfter(count=2)"));
        assert!(path_matches("/users/{id|userPrincipalName}/messages/{id}/extensions/{extensionId}", "/me/messages/AAM=/extensions/x"));
        assert!(path_matches("/me/drive/items/{item-id}/children", "/me/drive/root/children"));
        assert!(path_matches("/drives/{drive-id}/items/{item-id}/children", "/drives/d1/root/children"));
        assert!(path_matches("/me/events", "/me/events"));
        assert!(!path_matches("/users/{id}/events", "/me/messages"));
    }

    #[test]
    fn ids_in_request_lines_are_parameters_names_are_literals() {
        let shape = |p: &str| -> Vec<String> {
            template_segments(p)
                .into_iter()
                .map(|s| match s {
                    PathSegment::Param(n) => format!("{{{n}}}"),
                    PathSegment::Literal(l) => l,
                })
                .collect()
        };
        assert_eq!(shape("/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd/messages"), ["users", "{id}", "messages"]);
        assert_eq!(shape("/me/messages/AAMkAGI2TG93AAA=/attachments"), ["me", "messages", "{id}", "attachments"]);
        assert_eq!(shape("/me/events/AAMkAGI2TG93AAAAAABAAAAA/instances"), ["me", "events", "{id}", "instances"]);
        assert_eq!(shape("/users/adele@contoso.com/events/42"), ["users", "{id}", "events", "{id}"]);
        assert_eq!(
            shape("/privilegedAccess/azureResources/resources/<resourceId>/roleSettings"),
            ["privilegedAccess", "azureResources", "resources", "{resourceId}", "roleSettings"]
        );
        assert_eq!(shape("/groups/{group-id/drive/items/{item-id}/follow"), ["groups", "{group-id}", "drive", "items", "{item-id}", "follow"]);
        assert_eq!(shape("/teamwork/workforceIntegrations/workforceIntegrationId}"), ["teamwork", "workforceIntegrations", "{workforceIntegrationId}"]);
        assert_eq!(shape("/servicePrincipals/{id}/tokenLifetimePolicies/{id}$ref"), ["servicePrincipals", "{id}", "tokenLifetimePolicies", "{id}", "$ref"]);
        assert_eq!(shape("/user/profile/account{id}"), ["user", "profile", "account", "{id}"]);
        assert_eq!(shape("/me/drive/items/01ABCDEF/children"), ["me", "drive", "items", "{id}", "children"]);
        // Names stay names, however long, with digits or capitals.
        for name in [
            "getOffice365ActivationCounts",
            "windowsPhone81SCEPCertificateProfile",
            "microsoft.graph.windows81SCEPCertificateProfile",
            "deviceCompliancePolicySettingStateSummaries",
            "oAuth2PermissionGrants",
            "$value",
            "root:",
            "{item-path}:",
            "range(address='{address}')",
            "getOffice365GroupsActivityDetail(period='D7')",
            "v1.0",
            "Q1Report",
        ] {
            assert_eq!(template_segments(&format!("/x/{name}")).last(), Some(&PathSegment::Literal(name.to_string())), "{name}");
        }
    }

    /// A page of 20 lines of 40 characters: the positions the tests name exist.
    fn page() -> Arc<SourceText> {
        SourceText::from_text("p.md", &format!("{}\n", "x".repeat(40)).repeat(20))
    }

    #[test]
    fn message_with_headers_and_body_keeps_lines() {
        let mut d = Vec::new();
        let m = parse_message("POST /x\nContent-type: application/json\n\n{\n \"a\": 1\n}\n", &Span::at_line_col(&page(), 10, 1), 11, &mut d).unwrap();
        assert!(d.is_empty());
        assert_eq!(m.span.line(), 11);
        assert_eq!(m.headers, vec![("Content-type".to_string(), "application/json".to_string())]);
        let (v, at) = m.body.unwrap();
        assert_eq!(v, serde_json::json!({"a": 1}));
        assert_eq!(at.line(), 14);
    }

    #[test]
    fn locator_finds_keys_in_document_order() {
        let text = "{\n  \"a\": {\"b\": 1},\n  \"b\": \"b\"\n}";
        let mut loc = Locator::new(text, Span::at_line_col(&page(), 10, 1));
        let mut at = |key| loc.key(key).line_col();
        assert_eq!([at("a"), at("b"), at("b"), at("zzz")], [(11, 3), (11, 9), (12, 3), (10, 1)]);
    }

    #[test]
    fn invalid_body_is_reported_at_its_line() {
        let mut d = Vec::new();
        let m = parse_message("HTTP/1.1 200 OK\n\n{\n \"a\": \n}\n", &Span::at_line_col(&page(), 1, 1), 2, &mut d).unwrap();
        assert!(m.body.is_none());
        assert_eq!(d[0].code, Code::JsonInvalid);
        assert_eq!(d[0].span.line(), 6);
    }
}
