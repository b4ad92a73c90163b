//! JSON as the docs write it: strict first, then with comments, trailing commas and ellipses removed.

use serde_json::Value;

/// Parse JSON strictly; if that fails, retry after removing comments, trailing
/// commas and `...` ellipses outside strings. Returns the value and whether a fix
/// was needed. The error is the strict parser's error.
pub fn lenient_json(text: &str) -> Result<(Value, bool), serde_json::Error> {
    match serde_json::from_str::<Value>(text) {
        Ok(v) => Ok((v, false)),
        Err(strict) => {
            let cleaned = clean_json(text);
            match serde_json::from_str::<Value>(&cleaned) {
                Ok(v) => Ok((v, true)),
                Err(_) => Err(strict),
            }
        }
    }
}

/// Remove `//` and `/* */` comments, `...`/`…` ellipses and trailing commas outside
/// strings. Keeps newlines so line numbers still match.
fn clean_json(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => {
                i = copy_string(&chars, i, &mut out);
                continue;
            }
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                    if chars[i] == '\n' {
                        out.push('\n');
                    }
                    i += 1;
                }
                i += 2;
                continue;
            }
            '.' if chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') => {
                i += 3;
                continue;
            }
            '…' => {}
            _ => out.push(c),
        }
        i += 1;
    }
    // Trailing commas: a comma followed (after whitespace) by } or ], or a comma
    // that starts an array/object or follows another comma (left by a removed ellipsis).
    let chars: Vec<char> = out.chars().collect();
    let mut res = String::with_capacity(out.len());
    let mut last_sig: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            i = copy_string(&chars, i, &mut res);
            last_sig = Some('"');
            continue;
        }
        if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            let prev_opens = matches!(last_sig, Some('[') | Some('{') | Some(',') | None);
            if matches!(next, Some('}') | Some(']') | None) || prev_opens {
                i += 1;
                continue;
            }
        }
        if !c.is_whitespace() {
            last_sig = Some(c);
        }
        res.push(c);
        i += 1;
    }
    res
}

/// Copy the JSON string starting at `chars[start]` (a `"`), escapes included, and
/// return the index just past its closing quote (or the end).
fn copy_string(chars: &[char], start: usize, out: &mut String) -> usize {
    out.push('"');
    let mut i = start + 1;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        if c == '\\' {
            if let Some(&n) = chars.get(i + 1) {
                out.push(n);
            }
            i += 2;
            continue;
        }
        i += 1;
        if c == '"' {
            break;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_json_fixes_trailing_commas_comments_and_ellipses() {
        let (v, fixed) = lenient_json("{\"a\": [1, 2,], // c\n \"b\": {\"c\": \"...\", }, ...\n}").unwrap();
        assert!(fixed);
        assert_eq!(v, serde_json::json!({"a": [1, 2], "b": {"c": "..."}}));
        let (_, fixed) = lenient_json("{\"a\": 1}").unwrap();
        assert!(!fixed);
        assert!(lenient_json("{\"a\": }").is_err());
    }
}
