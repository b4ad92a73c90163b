//! A built request against its example: method; path, segment by segment,
//! percent-decoded and case-insensitive; query options as a set of decoded (name,
//! value) pairs (`+` is a space; system option names in any case, with or without
//! `$`); the headers the example sets
//! (names in any case, values exact, `Content-Type` in any case); the JSON body
//! as a value, exactly (`null` and an absent property differ), numbers by value.

use serde_json::Value;

use super::translate::{system_option, Expected};
use super::url;

/// What the generated crate built for an example (`to_http`'s request).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Built {
    pub method: String,
    pub uri: String,
    /// Header names lower-case, in order.
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

/// Why a built request is not the example: a cause to group by, and the details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub cause: String,
    pub detail: String,
}

fn mismatch(cause: impl Into<String>, detail: impl Into<String>) -> Mismatch {
    Mismatch { cause: cause.into(), detail: detail.into() }
}

/// Compare; `Ok` when the request is the example's.
pub fn compare(expected: &Expected, built: &Built) -> Result<(), Mismatch> {
    if !built.method.eq_ignore_ascii_case(&expected.method) {
        return Err(mismatch(format!("method: built {} for {}", built.method, expected.method), ""));
    }
    let Some(rest) = built.uri.strip_prefix(expected.base.trim_end_matches('/')) else {
        return Err(mismatch("URL not under the service root", built.uri.clone()));
    };
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    compare_path(&expected.path, path)?;
    compare_query(&expected.query, &query.map(url::query_pairs).unwrap_or_default())?;
    compare_headers(&expected.headers, &built.headers)?;
    match &expected.raw_body {
        // A body that is not JSON: the same text.
        Some(raw) => match built.body.as_deref() {
            Some(b) if b.trim() == raw.trim() => Ok(()),
            Some(_) => Err(mismatch("body: bytes differ", "")),
            None => Err(mismatch("body: not sent", "")),
        },
        None => compare_body(expected.body.as_ref(), built.body.as_deref()),
    }
}

fn decoded_segments(path: &str) -> Vec<String> {
    url::raw_segments(path).iter().map(|s| url::decode(s).to_lowercase()).collect()
}

/// Paths segment by segment, each decoded, in any case.
pub fn compare_path(expected: &str, built: &str) -> Result<(), Mismatch> {
    // The example's path as written may hold unencoded characters (spaces); it is
    // split and decoded the same way.
    let (e, b) = (decoded_segments(expected), decoded_segments(built));
    if e == b {
        return Ok(());
    }
    let detail = format!("built `{}`, example `{}`", url::decode(built), url::decode(expected));
    if e.len() != b.len() {
        return Err(mismatch(format!("path: {} segments built for {}", b.len(), e.len()), detail));
    }
    let i = e.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(0);
    if e[i].contains('(') && b[i].contains('(') && e[i].split('(').next() == b[i].split('(').next() {
        return Err(mismatch("path: function arguments written differently", detail));
    }
    Err(mismatch("path: a segment differs", detail))
}

/// Query pairs as multisets.
pub fn compare_query(expected: &[(String, String)], built: &[(String, String)]) -> Result<(), Mismatch> {
    let norm = |q: &[(String, String)]| {
        let mut v: Vec<(String, String)> = q.iter().map(|(k, v)| (system_option(k), v.clone())).collect();
        v.sort();
        v
    };
    let (e, b) = (norm(expected), norm(built));
    if e == b {
        return Ok(());
    }
    let show = |q: &[(String, String)]| q.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let detail = format!("built `{}`, example `{}`", show(&b), show(&e));
    for (k, v) in &e {
        if !b.contains(&(k.clone(), v.clone())) {
            if b.iter().any(|(k2, _)| k2 == k) {
                return Err(mismatch(format!("query: `{k}` value differs"), detail));
            }
            return Err(mismatch(format!("query: `{k}` missing"), detail));
        }
    }
    let added = b.iter().find(|p| !e.contains(p)).map(|(k, _)| k.clone()).unwrap_or_default();
    Err(mismatch(format!("query: `{added}` added or repeated"), detail))
}

/// Every header the example sets, with the same values (`Content-Type` compared
/// in any case, as media types are).
pub fn compare_headers(expected: &[(String, String)], built: &[(String, String)]) -> Result<(), Mismatch> {
    let mut names: Vec<&str> = expected.iter().map(|(k, _)| k.as_str()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let mut want: Vec<String> = expected.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone()).collect();
        let mut got: Vec<String> = built.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone()).collect();
        if name.eq_ignore_ascii_case("content-type") {
            for v in want.iter_mut().chain(got.iter_mut()) {
                *v = v.to_ascii_lowercase();
            }
        }
        want.sort();
        got.sort();
        if want != got {
            let detail = format!("built {got:?}, example {want:?}");
            let cause = if got.is_empty() { format!("header `{name}` not sent") } else { format!("header `{name}` differs") };
            return Err(mismatch(cause, detail));
        }
    }
    Ok(())
}

/// The body: absent on both sides, or equal JSON values.
pub fn compare_body(expected: Option<&Value>, built: Option<&str>) -> Result<(), Mismatch> {
    let built = built.filter(|b| !b.is_empty());
    match (expected, built) {
        (None, None) => Ok(()),
        (None, Some(b)) => Err(mismatch("body: sent, the example has none", b.chars().take(80).collect::<String>())),
        (Some(_), None) => Err(mismatch("body: not sent", "")),
        (Some(e), Some(b)) => {
            let b: Value = serde_json::from_str(b).map_err(|err| mismatch("body: not JSON", err.to_string()))?;
            match difference("", e, &b) {
                None => Ok(()),
                Some((cause, at)) => Err(mismatch(format!("body: {cause}"), if at.is_empty() { "/".to_string() } else { at })),
            }
        }
    }
}

/// What the spellings of one property name share (the generator's rule for aliases).
fn spelling(k: &str) -> String {
    k.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
        (Some(x), Some(y), _, _) => x == y,
        (_, _, Some(x), Some(y)) => x == y,
        _ => a.as_f64() == b.as_f64(),
    }
}

/// The first difference between the example's value `a` and the built `b`: a
/// cause and the JSON pointer where it is.
pub fn difference(at: &str, a: &Value, b: &Value) -> Option<(String, String)> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let here = format!("{at}/{k}");
                match y.get(k) {
                    Some(w) => {
                        if let Some(d) = difference(&here, v, w) {
                            return Some(d);
                        }
                    }
                    None if v.is_null() => return Some(("null dropped".into(), here)),
                    None if y.keys().any(|k2| !x.contains_key(k2) && spelling(k2) == spelling(k)) => return Some(("property respelled".into(), here)),
                    None => return Some(("property dropped".into(), here)),
                }
            }
            y.iter()
                .find(|(k, _)| !x.contains_key(*k))
                .map(|(k, v)| (if v.is_null() { "null added" } else { "property added" }.to_string(), format!("{at}/{k}")))
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x.iter().zip(y).enumerate().find_map(|(i, (v, w))| difference(&format!("{at}/{i}"), v, w)),
        (Value::Array(_), Value::Array(_)) => Some(("array length changed".into(), at.to_string())),
        (Value::Number(x), Value::Number(y)) => (!same_number(x, y)).then(|| ("number changed".into(), at.to_string())),
        // Another spelling of the same word (`"HTML"` sent as the member `html`).
        (Value::String(x), Value::String(y)) if a != b && !spelling(x).is_empty() && spelling(x) == spelling(y) => {
            Some(("value respelled".into(), at.to_string()))
        }
        (Value::String(_), Value::String(_)) => (a != b).then(|| ("string changed".into(), at.to_string())),
        (Value::Null, Value::Null) => None,
        (Value::Null, _) => Some(("null replaced".into(), at.to_string())),
        _ if a != b => Some((format!("{} became {}", kind(a), kind(b)), at.to_string())),
        _ => None,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expected() -> Expected {
        Expected {
            method: "GET".into(),
            base: "https://graph.microsoft.com/v1.0".into(),
            path: "/me/Messages/AAMk%3D".into(),
            query: vec![("$select".into(), "subject,from".into()), ("$filter".into(), "a eq 'b c'".into())],
            headers: vec![("prefer".into(), "odata.maxpagesize=2".into())],
            body: None,
            raw_body: None,
        }
    }

    fn built(uri: &str) -> Built {
        Built { method: "GET".into(), uri: uri.into(), headers: vec![("prefer".into(), "odata.maxpagesize=2".into())], body: None }
    }

    #[test]
    fn equal_requests_compare_equal() {
        // Case, encoding and query order do not matter.
        assert_eq!(
            compare(&expected(), &built("https://graph.microsoft.com/v1.0/me/messages/AAMk=?$filter=a%20eq%20%27b%20c%27&$SELECT=subject,from")),
            Ok(())
        );
    }

    #[test]
    fn each_difference_has_its_cause() {
        let cause = |b: Built| compare(&expected(), &b).unwrap_err().cause;
        assert_eq!(cause(Built { method: "POST".into(), ..built("x") }), "method: built POST for GET");
        assert_eq!(
            cause(built("https://graph.microsoft.com/v1.0/me/messages/AAMk%3D/x?$select=subject,from&$filter=a eq 'b c'")),
            "path: 4 segments built for 3"
        );
        assert_eq!(cause(built("https://graph.microsoft.com/v1.0/me/events/AAMk%3D?$select=subject,from&$filter=a eq 'b c'")), "path: a segment differs");
        assert_eq!(cause(built("https://graph.microsoft.com/v1.0/me/messages/AAMk%3D?$select=subject&$filter=a eq 'b c'")), "query: `$select` value differs");
        assert_eq!(cause(built("https://graph.microsoft.com/v1.0/me/messages/AAMk%3D?$filter=a eq 'b c'")), "query: `$select` missing");
        assert_eq!(
            cause(built("https://graph.microsoft.com/v1.0/me/messages/AAMk%3D?$select=subject,from&$filter=a eq 'b c'&$top=1")),
            "query: `$top` added or repeated"
        );
        let mut b = built("https://graph.microsoft.com/v1.0/me/messages/AAMk%3D?$select=subject,from&$filter=a eq 'b c'");
        b.headers.clear();
        assert_eq!(cause(b.clone()), "header `prefer` not sent");
        b.headers.push(("prefer".into(), "x".into()));
        assert_eq!(cause(b), "header `prefer` differs");
        // An encoded `/` is not a segment boundary.
        assert!(compare_path("/root:/a/b.txt", "/root:/a%2Fb.txt").is_err());
        assert_eq!(compare_path("/w/range(address='A1')", "/w/range(address=A1)").unwrap_err().cause, "path: function arguments written differently");
        assert_eq!(compare_headers(&[("content-type".into(), "Application/JSON".into())], &[("content-type".into(), "application/json".into())]), Ok(()));
    }

    #[test]
    fn bodies_compare_exactly_but_numbers_by_value() {
        let e = json!({"a": null, "b": 1, "c": [1, 2], "d": {"e": "x"}});
        let ok = |b: Value| compare_body(Some(&e), Some(&b.to_string()));
        assert_eq!(ok(json!({"a": null, "b": 1.0, "c": [1, 2], "d": {"e": "x"}})), Ok(()));
        let cause = |b: Value| ok(b).unwrap_err();
        assert_eq!(cause(json!({"b": 1, "c": [1, 2], "d": {"e": "x"}})), mismatch("body: null dropped", "/a"));
        assert_eq!(cause(json!({"a": null, "B": 1, "c": [1, 2], "d": {"e": "x"}})), mismatch("body: property respelled", "/b"));
        assert_eq!(cause(json!({"a": null, "c": [1, 2], "d": {"e": "x"}})), mismatch("body: property dropped", "/b"));
        assert_eq!(cause(json!({"a": null, "b": 1, "c": [1, 2], "d": {"e": "x", "f": null}})), mismatch("body: null added", "/d/f"));
        assert_eq!(cause(json!({"a": null, "b": 1, "c": [1], "d": {"e": "x"}})), mismatch("body: array length changed", "/c"));
        assert_eq!(cause(json!({"a": null, "b": 2, "c": [1, 2], "d": {"e": "x"}})), mismatch("body: number changed", "/b"));
        assert_eq!(cause(json!({"a": null, "b": "1", "c": [1, 2], "d": {"e": "x"}})), mismatch("body: a number became a string", "/b"));
        assert_eq!(cause(json!({"a": null, "b": 1, "c": [1, 2], "d": {"e": "X"}})), mismatch("body: value respelled", "/d/e"));
        assert_eq!(cause(json!({"a": null, "b": 1, "c": [1, 2], "d": {"e": "y"}})), mismatch("body: string changed", "/d/e"));
        assert_eq!(compare_body(Some(&e), None).unwrap_err().cause, "body: not sent");
        assert_eq!(compare_body(None, Some("{}")).unwrap_err().cause, "body: sent, the example has none");
        assert_eq!(compare_body(None, Some("")), Ok(()));
    }
}
