//! Round-trips every response example of the docs that names its type through the
//! generated models: deserialize, serialize, compare. Written by
//! `msgraph-gen generate --with-roundtrip`; run with `cargo run --example roundtrip`
//! (add `-- --min-share 0.9` to fail below a share, `-- --verbose` for every failure).
//!
//! Comparison: `serde_json::Value`s, where `null` and an absent property are different
//! (a `null` must come back as `null`), numbers compare by value (`1` and `1.0` are
//! equal), and a property the docs spell in another way than its field (`printerId`
//! for `printerID`: same letters and digits ignoring case and punctuation) may come
//! back in the field's spelling, its value kept. Likewise a string value that differs
//! from what came back only in case and punctuation (`"HTML"` for the enum member
//! `html`) is the same value: generated enums match members that way and serialize
//! the member's spelling.

use std::collections::BTreeMap;
use std::process::ExitCode;

use msgraph_generated_crate::runtime::serde_json::{self, Value};

fn normalize(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), normalize(v))).collect()),
        Value::Array(a) => Value::Array(a.iter().map(normalize).collect()),
        Value::Number(n) => n.as_f64().and_then(serde_json::Number::from_f64).map_or(v.clone(), Value::Number),
        v => v.clone(),
    }
}

/// What the spellings of one property name have in common (the generator's rule).
fn spelling(k: &str) -> String {
    k.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The first difference between what went in and what came out, as a cause.
fn difference(path: &str, a: &Value, b: &Value) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            // A key of `y` that `x` spells another way (read through a serde alias).
            let respelled = |k: &str| y.iter().find(|(k2, _)| !x.contains_key(*k2) && !spelling(k).is_empty() && spelling(k2) == spelling(k)).map(|(_, w)| w);
            for (k, v) in x {
                match y.get(k).or_else(|| respelled(k)) {
                    None => return Some(format!("property dropped ({path}/{k})")),
                    Some(w) => {
                        if let Some(d) = difference(&format!("{path}/{k}"), v, w) {
                            return Some(d);
                        }
                    }
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k) && !x.keys().any(|k1| !y.contains_key(k1) && spelling(k1) == spelling(k)))
                .map(|k| format!("property added ({path}/{k})"))
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x.iter().zip(y).enumerate().find_map(|(i, (v, w))| difference(&format!("{path}/{i}"), v, w)),
        // An enum value read in another spelling comes back in the member's.
        (Value::String(x), Value::String(y)) if !spelling(x).is_empty() && spelling(x) == spelling(y) => None,
        (Value::String(_), Value::String(_)) if a != b => Some(format!("string rewritten ({path})")),
        _ if a != b => Some(format!("value changed ({path})")),
        _ => None,
    }
}

/// A serde error message without its specifics, to group failures by cause.
fn cause(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg);
    let mut out = String::new();
    let mut in_quote = false;
    for c in msg.chars() {
        match c {
            '"' if !in_quote => {
                in_quote = true;
                out.push_str("\"…");
            }
            '"' => {
                in_quote = false;
                out.push('"');
            }
            _ if in_quote => {}
            c => out.push(c),
        }
    }
    // Number literals vary too.
    out.split(' ').map(|w| if w.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '.') && !w.is_empty() { "N" } else { w }).collect::<Vec<_>>().join(" ")
}

fn main() -> ExitCode {
    // Deserializing large generated structs in a debug build takes big stack frames
    // (the beta reference overflowed the 8 MiB main thread): run on a larger stack.
    match std::thread::Builder::new().stack_size(256 << 20).spawn(run).map(std::thread::JoinHandle::join) {
        Ok(Ok(code)) => code,
        _ => ExitCode::FAILURE,
    }
}

fn run() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let min_share: f64 = args.iter().position(|a| a == "--min-share").and_then(|i| args.get(i + 1)).and_then(|s| s.parse().ok()).unwrap_or(0.0);
    let verbose = args.iter().any(|a| a == "--verbose");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples.json");
    let items: Vec<Value> = match std::fs::read_to_string(path).map_err(|e| e.to_string()).and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string())) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (mut total, mut exact) = (0usize, 0usize);
    let mut causes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in &items {
        let at = item["at"].as_str().unwrap_or("?").to_string();
        let type_name = item["type"].as_str().unwrap_or("");
        let body = &item["body"];
        let values: Vec<&Value> = if item["collection"].as_bool().unwrap_or(false) {
            match body.get("value").and_then(Value::as_array) {
                Some(a) => a.iter().collect(),
                None => {
                    total += 1;
                    causes.entry("collection response without `value`".into()).or_default().push(at);
                    continue;
                }
            }
        } else {
            vec![body]
        };
        for v in values {
            total += 1;
            let result = match msgraph_generated_crate::models::reserialize(type_name, v.clone()) {
                None => Err(format!("no generated type named {type_name} (not in the enabled features?)")),
                Some(Err(e)) => Err(format!("does not deserialize: {}", cause(&e))),
                Some(Ok(back)) => match difference("", &normalize(v), &normalize(&back)) {
                    None => Ok(()),
                    Some(d) => Err(d),
                },
            };
            match result {
                Ok(()) => exact += 1,
                Err(c) => {
                    let (group, detail) = match c.split_once(" (") {
                        Some((g, d)) if c.starts_with("property") || c.starts_with("string") || c.starts_with("value") => (g.to_string(), format!("{at} ({d}")),
                        _ => (c.clone(), at.clone()),
                    };
                    causes.entry(group).or_default().push(detail);
                }
            }
        }
    }
    let share = if total == 0 { 1.0 } else { exact as f64 / total as f64 };
    println!("{exact} of {total} typed response values round-trip ({:.1}%)", share * 100.0);
    let mut sorted: Vec<(&String, &Vec<String>)> = causes.iter().collect();
    sorted.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    for (cause, ats) in sorted {
        println!("{:>5}  {cause}", ats.len());
        for at in ats.iter().take(if verbose { usize::MAX } else { 3 }) {
            println!("         {at}");
        }
    }
    if share < min_share {
        eprintln!("share {:.3} is below the minimum {min_share}", share);
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
