//! The examples of an API page: requests paired with their responses.

use crate::diag::Diagnostic;
use crate::model::Example;
use crate::parse::{Block, Page};
use crate::recognize::http::{self, HttpMessage, StartLine};

pub(crate) struct ParsedExample {
    pub(crate) name: Option<String>,
    pub(crate) request: Option<HttpMessage>,
    pub(crate) response: Option<HttpMessage>,
    pub(crate) response_type: Option<String>,
    pub(crate) is_collection: bool,
}

/// `Collection(x)` -> (`x`, true); `x` -> (`x`, false).
pub(crate) fn type_expr(s: &str) -> (String, bool) {
    let t = s.trim();
    match t.strip_prefix("Collection(").or_else(|| t.strip_prefix("collection(")).and_then(|r| r.strip_suffix(')')) {
        Some(inner) => (inner.trim().to_string(), true),
        None => (t.to_string(), false),
    }
}

/// Is a response body a collection page: an object whose only entry that is not
/// an annotation is a `value` array (`{"@odata.context": .., "value": [..]}`)?
pub(crate) fn is_page_shaped(body: &serde_json::Value) -> bool {
    body.as_object().is_some_and(|m| m.get("value").is_some_and(serde_json::Value::is_array) && m.keys().all(|k| k == "value" || k.contains('@')))
}

/// A response example's annotation: its type (`@odata.type`, or the legacy `@type`
/// older pages use) and whether it is a collection (`Collection(x)`,
/// `isCollection`, or a body shaped as a page: see [`is_page_shaped`]).
pub(crate) fn attach_response(out: &mut Vec<ParsedExample>, msg: HttpMessage, a: &crate::parse::Annotation) {
    let (response_type, coll) = match a.str("@odata.type").or_else(|| a.str("@type")).map(type_expr) {
        Some((t, c)) => (Some(t), c),
        None => (None, false),
    };
    let page_shaped = msg.body.as_ref().is_some_and(|(v, _)| is_page_shaped(v));
    let is_collection = coll || a.bool("isCollection") || a.str("isCollection").is_some_and(|s| s.eq_ignore_ascii_case("true")) || page_shaped;
    match out.last_mut() {
        Some(last) if last.response.is_none() => {
            last.response = Some(msg);
            last.response_type = response_type;
            last.is_collection = is_collection;
        }
        _ => out.push(ParsedExample { name: a.str("name").map(str::to_string), request: None, response: Some(msg), response_type, is_collection }),
    }
}

impl ParsedExample {
    /// The model's example; `None` for an example with neither a request nor a
    /// response, which [`attach_response`] and the request reader never make.
    pub(crate) fn to_model(&self) -> Option<Example> {
        let (method, url) = match self.request.as_ref().map(|r| &r.start) {
            Some(StartLine::Request { method, target }) => (method.clone(), target.clone()),
            _ => (String::new(), String::new()),
        };
        let span = self.request.as_ref().or(self.response.as_ref()).map(|m| m.span.clone())?;
        Some(Example {
            name: self.name.clone(),
            method,
            url,
            request_headers: self.request.as_ref().map(|r| r.headers.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default(),
            request_body: self.request.as_ref().and_then(|r| r.body.as_ref().map(|(v, _)| v.clone())),
            status: self.response.as_ref().and_then(|r| match (&r.start, r.implicit_status) {
                (StartLine::Status { code, .. }, false) => Some(*code),
                _ => None,
            }),
            response_headers: self.response.as_ref().map(|r| r.headers.clone()).unwrap_or_default(),
            response_body: self.response.as_ref().and_then(|r| r.body.as_ref().map(|(v, _)| v.clone())),
            response_type: self.response_type.clone(),
            is_collection: self.is_collection,
            span,
        })
    }
}

/// The examples of an API page: every code block annotated as a request or a
/// response (an HTTP message, or a response given as bare JSON), responses paired
/// with the request before them.
pub(crate) fn page_examples(page: &Page, diags: &mut Vec<Diagnostic>) -> Vec<ParsedExample> {
    let mut out: Vec<ParsedExample> = Vec::new();
    for b in &page.blocks {
        let Block::Code(c) = b else { continue };
        let Some(a) = &c.annotation else { continue };
        let bt = a.block_type().unwrap_or("");
        if bt != "request" && bt != "response" {
            continue;
        }
        if c.lang != "http" && !c.text.trim_start().starts_with("HTTP/") && http::request_line(c.text.lines().next().unwrap_or("")).is_none() {
            // A response given as bare JSON.
            if bt == "response" && (c.lang == "json" || c.text.trim_start().starts_with('{')) {
                let body = http::parse_body(&c.text, &c.span.at(c.first_line, 1), diags);
                let msg = HttpMessage {
                    start: StartLine::Status { code: 200, reason: String::new() },
                    headers: Vec::new(),
                    body_text: if body.is_some() { c.text.trim_start().to_string() } else { String::new() },
                    body,
                    span: c.span.clone(),
                    implicit_status: true,
                    raw_body: None,
                };
                attach_response(&mut out, msg, a);
            }
            continue;
        }
        let Some(msg) = http::parse_message(&c.text, &c.span, c.first_line, diags) else { continue };
        if bt == "request" {
            out.push(ParsedExample { name: a.str("name").map(str::to_string), request: Some(msg), response: None, response_type: None, is_collection: false });
        } else {
            attach_response(&mut out, msg, a);
        }
    }
    out
}
