//! What a page says besides its markdown: front matter, `<!-- { ... } -->`
//! annotations, and whether a code fence is closed.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use super::{lenient_json, Annotation};
use crate::diag::{Code, Diagnostic, SourceText, Span};

/// Whether the source of a fenced code block (from its opening fence) is closed.
/// A block that ends before the end of the page was closed (by its fence or its
/// container); one that reaches the end of the page must end with a fence line
/// at least as long as the opening one.
pub(super) fn fence_closed(src: &str, at_eof: bool) -> bool {
    let open = src.lines().next().unwrap_or("").trim_start();
    let Some(ch) = open.chars().next().filter(|c| *c == '`' || *c == '~') else { return true };
    if !at_eof {
        return true;
    }
    let n = open.chars().take_while(|c| *c == ch).count();
    let mut lines = src.trim_end_matches(['\n', '\r']).lines();
    lines.next();
    let Some(last) = lines.last() else { return false };
    let last = last.trim_start_matches(|c: char| c == '>' || c.is_whitespace()).trim_end();
    last.chars().all(|c| c == ch) && last.chars().count() >= n
}

pub(super) fn dangling(ann: Annotation, diags: &mut Vec<Diagnostic>) {
    diags.push(
        Diagnostic::new(
            Code::AnnotationDangling,
            ann.span.clone(),
            format!("annotation with blockType {:?} is not followed by a code block", ann.block_type().unwrap_or("")),
        )
        .hint("put the annotation comment directly before the ``` fence it describes"),
    );
}

/// Find `<!-- {json} -->` comments in an HTML fragment.
pub(super) fn annotations_in(html: &str, base: usize, span_at: &dyn Fn(usize, usize) -> Span, diags: &mut Vec<Diagnostic>) -> Vec<Annotation> {
    let mut out = Vec::new();
    let mut rest = html;
    let mut offset = base;
    while let Some(open) = rest.find("<!--") {
        let after = &rest[open + 4..];
        // The comment, or the rest of the fragment when it is never closed.
        let span = span_at(offset + open, offset + after.find("-->").map_or(rest.len(), |close| open + 4 + close + 3));
        let (inner, consumed) = match after.find("-->") {
            Some(close) => (&after[..close], open + 4 + close + 3),
            None => {
                diags.push(
                    Diagnostic::new(Code::Unterminated, span, "this HTML comment is never closed; the rest of the page is inside it")
                        .hint("close the comment with -->"),
                );
                break;
            }
        };
        let trimmed = inner.trim();
        if trimmed.starts_with('{') {
            match lenient_json(trimmed) {
                Ok((Value::Object(map), fixed)) => {
                    if fixed {
                        diags.push(
                            Diagnostic::new(Code::AnnotationLenient, span.clone(), "annotation JSON has trailing commas or comments")
                                .hint("remove the trailing comma before `}` or `]`"),
                        );
                    }
                    out.push(Annotation { value: map, span });
                }
                Ok(_) => {}
                Err(e) => diags.push(
                    Diagnostic::new(Code::AnnotationJson, span, format!("annotation is not valid JSON: {e}"))
                        .hint("annotations must be a JSON object such as { \"blockType\": \"request\", \"name\": \"...\" }"),
                ),
            }
        }
        offset += consumed;
        rest = &rest[consumed..];
    }
    out
}

/// Flat `key: value` front matter. Nested YAML is ignored (the docs use none we need).
pub(super) fn front_matter(src: &Arc<SourceText>, yaml: &str, first_line: u32, diags: &mut Vec<Diagnostic>) -> BTreeMap<String, (String, Span)> {
    let mut out = BTreeMap::new();
    for (i, line) in yaml.lines().enumerate() {
        let line_no = first_line + i as u32;
        let at = src.offset(line_no, 1);
        let span = Span::new(src, at..at + line.len());
        if line.trim().is_empty() || line.trim_start().starts_with('#') || line.starts_with([' ', '\t', '-']) {
            continue;
        }
        match line.split_once(':') {
            Some((k, v)) => {
                let v = v.trim();
                let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\''))).unwrap_or(v);
                out.insert(k.trim().to_string(), (v.to_string(), span));
            }
            None => diags.push(
                Diagnostic::new(Code::FrontMatter, span, format!("front matter line is not `key: value`: {line:?}"))
                    .hint("write front matter lines as `key: \"value\"`"),
            ),
        }
    }
    out
}
