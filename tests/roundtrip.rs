//! Every JSON example in docs/ round-trips through the generated types: the
//! resource representations, and the request and response bodies of every API
//! page. The test walks docs/ (it is not a hand-written list).
//!
//! Comparison rules (documented in README.md, "Round-trip rules"):
//! * `null` and an absent property are different, as on the wire: a `null` comes
//!   back as `null` (`Nullable::Null`), an absent property stays absent.
//! * In a resource page's JSON representation, a string that is a type
//!   placeholder (`"String"`, `"String (timestamp)"`, `"Int32"`, ...) or a member
//!   list (`"a | b | c"`) stands for a type, not a value: such properties are
//!   removed before the round trip and counted in the test output. Examples on
//!   API pages get no such allowance.
//! * Error responses (status >= 400) round-trip through `support::GraphErrorBody`;
//!   collection responses through `support::Page` of the element type.

use msgraph_gen::internals::{Block, SourceFile};
use msgraph_gen::model::{Api, ResponseBody, TypeRef};
use serde_json::Value;

fn is_placeholder(s: &str) -> bool {
    let head = s.split(['(', ' ']).next().unwrap_or(s);
    s.contains(" | ") || msgraph_gen::model::Prim::parse(head).is_some() && (s == head || s[head.len()..].trim_start().starts_with('('))
}

/// Remove placeholder-valued properties (recursively); returns how many.
fn strip_placeholders(v: &mut Value) -> usize {
    match v {
        Value::Object(m) => {
            let before = m.len();
            m.retain(|_, v| {
                !matches!(v, Value::String(s) if is_placeholder(s))
                    && !matches!(v, Value::Array(a) if a.iter().any(|i| matches!(i, Value::String(s) if is_placeholder(s))))
            });
            let mut n = before - m.len();
            for v in m.values_mut() {
                n += strip_placeholders(v);
            }
            n
        }
        Value::Array(a) => a.iter_mut().map(strip_placeholders).sum(),
        _ => 0,
    }
}

fn check(type_name: &str, value: &Value, what: &str, failures: &mut Vec<String>) {
    let result = if type_name == "GraphErrorBody" {
        serde_json::from_value::<msgraph::support::GraphErrorBody>(value.clone()).and_then(|t| serde_json::to_value(&t))
    } else if let Some(elem) = type_name.strip_prefix("Page:") {
        match value.get("value").and_then(Value::as_array) {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    check(elem, item, &format!("{what} value[{i}]"), failures);
                }
                serde_json::from_value::<msgraph::support::Page<Value>>(value.clone()).and_then(|t| serde_json::to_value(&t))
            }
            None => {
                failures.push(format!("{what}: collection response without `value`"));
                return;
            }
        }
    } else {
        match msgraph::models::reserialize(type_name, value.clone()) {
            Some(r) => r,
            None => {
                failures.push(format!("{what}: no generated type named {type_name}"));
                return;
            }
        }
    };
    match result {
        Ok(back) if back == *value => {}
        Ok(back) => failures.push(format!("{what}: {type_name} round trip differs\n  in:  {value}\n  out: {back}")),
        Err(e) => failures.push(format!("{what}: does not deserialize as {type_name}: {e}")),
    }
}

fn type_name(api: &Api, t: &TypeRef) -> String {
    match t {
        TypeRef::Named(n) => api.name(*n).to_string(),
        other => panic!("unexpected body type {other:?}"),
    }
}

#[test]
fn every_json_example_in_docs_round_trips() {
    let files: Vec<SourceFile> = msgraph_gen::read_docs("docs".as_ref()).expect("docs readable");
    let generated = msgraph_gen::generate_sources(files.clone()).expect("docs generate");
    let mut failures = Vec::new();
    let (mut representations, mut requests, mut responses, mut stripped) = (0, 0, 0, 0);

    // Resource representations.
    for f in &files {
        let mut d = Vec::new();
        let Some(page) = msgraph_gen::internals::parse_file(f, &mut d) else { continue };
        for b in &page.blocks {
            let Block::Code(c) = b else { continue };
            let Some(a) = &c.annotation else { continue };
            if a.block_type() != Some("resource") {
                continue;
            }
            let name = a.str("@odata.type").expect("resource annotations in docs/ name their type");
            let mut value: Value = serde_json::from_str(&c.text).unwrap_or_else(|e| panic!("{}:{}: {e}", f.path, c.span.line()));
            stripped += strip_placeholders(&mut value);
            check(name, &value, &format!("{}:{}", f.path, c.span.line()), &mut failures);
            representations += 1;
        }
    }
    // Request and response bodies of every operation.
    for op in &generated.api.operations {
        for ex in &op.examples {
            let at = format!("{}:{}", ex.span.file, ex.span.line());
            if let (Some(body), Some(t)) = (&ex.request_body, &op.body) {
                check(&type_name(&generated.api, t), body, &format!("{at} request"), &mut failures);
                requests += 1;
            }
            if let Some(body) = &ex.response_body {
                let name = match (ex.status, &ex.response_type, &op.response) {
                    (Some(s), _, _) if s >= 400 => "GraphErrorBody".to_string(),
                    (_, Some(t), _) if ex.is_collection => format!("Page:{t}"),
                    (_, Some(t), _) => t.clone(),
                    (_, None, ResponseBody::Collection(t)) => format!("Page:{}", type_name(&generated.api, t)),
                    (_, None, ResponseBody::Single(t)) => type_name(&generated.api, t),
                    (_, None, ResponseBody::None) => {
                        failures.push(format!("{at}: response body on an operation documented without one"));
                        continue;
                    }
                };
                check(&name, body, &format!("{at} response"), &mut failures);
                responses += 1;
            }
        }
    }
    println!(
        "round-tripped {representations} resource representations ({stripped} placeholder properties skipped), {requests} request bodies, {responses} response bodies"
    );
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
    // The docs hold these; a walker that finds fewer is broken.
    assert!(representations >= 15, "found only {representations} representations");
    assert!(requests >= 3 && responses >= 7, "found only {requests} requests and {responses} responses");
}
