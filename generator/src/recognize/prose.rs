//! What the docs say in prose and table cells: type placeholders, property names, value lists, status codes.

use crate::model::Prim;

/// Placeholder strings that stand for a type rather than a value: a type name
/// (`"Int32"`, `"Edm.Guid"`, `"datetime"`), optionally refined by a note in
/// parentheses that names a more precise one (`"String (timestamp)"`,
/// `"String (ISO 8601 duration)"`, `"String (time of day)"`, `"string (base64)"`).
pub(crate) fn placeholder_type(s: &str) -> Option<Prim> {
    let head = s.split(['(', ' ']).next().unwrap_or(s).trim();
    if head.is_empty() {
        return None;
    }
    let prim = Prim::parse(head)?;
    let note = s.find('(').map(|i| s[i..].trim_matches(|c| c == '(' || c == ')' || c == ' ').to_ascii_lowercase());
    Some(note.as_deref().and_then(placeholder_note).filter(|p| prim == Prim::String || prim == *p).unwrap_or(prim))
}

/// The type a placeholder's note names, if it names one: a type name (`(Date)`,
/// `(timeofday)`, `(double)`, `(binary)`) or a phrase for one (`(time of day)`,
/// `(ISO 8601 duration)`).
pub(crate) fn placeholder_note(note: &str) -> Option<Prim> {
    let phrase = |words: &[&str]| words.iter().any(|w| note.contains(w));
    if phrase(&["timestamp", "date time", "datetime"]) {
        return Some(Prim::DateTimeOffset);
    }
    if phrase(&["duration", "timespan", "time span"]) {
        return Some(Prim::Duration);
    }
    if phrase(&["time of day", "timeofday"]) {
        return Some(Prim::TimeOfDay);
    }
    if phrase(&["guid", "uuid"]) {
        return Some(Prim::Guid);
    }
    if phrase(&["base64", "binary"]) {
        return Some(Prim::Binary);
    }
    // A note that is a type name on its own (`(Date)`, `(double)`); not `(identifier)`,
    // `(URL)` or `(hex)`, which describe a string.
    match Prim::parse(note) {
        Some(Prim::String | Prim::Json | Prim::Stream) | None => None,
        Some(p) => Some(p),
    }
}

/// Text that stands for a value rather than being one: a type name
/// (`"String"`, `"String (timestamp)"`) or the docs' `name-value` / `Name value`
/// convention (`"skuId-value"`, `"Display Name value"`).
pub(crate) fn is_placeholder_text(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    placeholder_type(s).is_some_and(|_| s == s.trim() && (Prim::parse(s).is_some() || s.contains('(')))
        || lower.ends_with("-value")
        || lower.ends_with(" value")
}

pub(crate) fn looks_like_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b't')
        && b[13] == b':'
        && (s.ends_with('Z') || s.ends_with('z') || s.get(19..).is_some_and(|t| t.contains(['+', '-'])))
        && b[..4].iter().all(u8::is_ascii_digit)
}

pub(crate) fn clean_cell(s: &str) -> String {
    s.trim().trim_matches(|c| c == '`' || c == '*').trim().to_string()
}

/// A property name as a table cell spells it: emphasised (`**album**`, `_album_`),
/// in code (`` `album` ``), as a link (`[album](#album)`: the cell text is the link
/// text), with spaces around it, a `[]` suffix, or a note in parentheses
/// (`album (deprecated)`). `None` when the cell holds no single name.
pub(crate) fn property_name(cell: &str) -> Option<String> {
    let markup = |c: char| c == '*' || c == '`' || c.is_whitespace();
    let mut t = cell.trim_matches(markup);
    while let Some(inner) = t.strip_prefix('_').and_then(|r| r.strip_suffix('_')) {
        t = inner.trim_matches(markup);
    }
    if let Some((name, note)) = t.split_once(" (") {
        if note.trim_end().ends_with(')') {
            t = name.trim_matches(markup);
        }
    }
    let t = t.strip_suffix("[]").unwrap_or(t).trim_matches(markup);
    (!t.is_empty() && !t.contains(char::is_whitespace)).then(|| t.to_string())
}

pub(crate) fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// A link that markdown did not read as one: `[text](dest` with no closing `)`
/// (a `|` in the target splits a table cell there). (link text, target)
pub(crate) fn broken_link(text: &str) -> Option<(String, String)> {
    let open = text.find('[')?;
    let close = open + text[open..].find("](")?;
    let ltext = text[open + 1..close].to_string();
    let rest = &text[close + 2..];
    let dest = rest.split([')', '|', ' ']).next().unwrap_or("").to_string();
    Some((ltext, dest))
}

/// A value per line: `name`, or `name` followed by ` - meaning`, `: meaning`,
/// `(meaning)` or `=0`, up to the first line that is not one.
pub(crate) fn value_lines(text: &str) -> (Vec<String>, bool) {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim().trim_start_matches(['-', '*']).trim();
        let end = line.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(line.len());
        let (name, after) = line.split_at(end);
        let after = after.trim_start();
        let note = after.is_empty() || after.starts_with(['-', ':', '(', '=', '\u{2013}', '\u{2014}']) || after == ".";
        if name.is_empty() || !note {
            return (out, false);
        }
        if !out.iter().any(|v: &String| v == name) {
            out.push(name.to_string());
        }
    }
    (out, true)
}

/// Phrases that introduce a list of values in a description, lower-cased. After a
/// strong one, the names up to the first item that is not a name are values; a weak
/// one also starts ordinary sentences, so its list must be two or more names and
/// nothing else up to the end of the sentence.
pub(crate) const VALUE_LIST_STRONG: &[&str] = &[
    "possible values are",
    "possible values include",
    "possible values",
    "possible value are",
    "possible value is",
    "valid values are",
    "valid values include",
    "supported values are",
    "supported values include",
    "allowed values are",
    "the values are",
    "values are",
    "values can be",
    "value can be",
    "the following values",
];
pub(crate) const VALUE_LIST_WEAK: &[&str] = &["can be one of", "must be one of", "is one of", "one of", "can be", "either", ":"];

/// Members a description lists: "Possible values are: `a`, `b`, `c`.", "The
/// possible values are a, b and c", "Valid values are a or b", "One of `a`, `b`",
/// "Either `a` or `b`", "values are: a=0, b=1", with the values in code or not,
/// notes in parentheses dropped. The first phrase that yields values wins.
/// (Code spans reach here as plain text: the parser keeps their text only.)
pub(crate) fn possible_values(desc: &str) -> Vec<String> {
    let lower = desc.to_ascii_lowercase();
    // Every strong phrase holds "value": most descriptions need no search for them.
    let strong_phrases = if lower.contains("value") { VALUE_LIST_STRONG } else { &[] };
    for (phrases, strong) in [(strong_phrases, true), (VALUE_LIST_WEAK, false)] {
        let mut hits: Vec<(usize, usize)> = phrase_hits(&lower, phrases)
            .into_iter()
            // A colon introduces values when a space follows it, and not after "for example".
            .filter(|&(i, len)| {
                &lower[i..i + len] != ":"
                    || lower[i + 1..].starts_with(' ') && !["example", "examples", "e.g", "such as", "like"].iter().any(|w| lower[..i].trim_end().ends_with(w))
            })
            .collect();
        // At one position the longest phrase first ("possible values are", not "possible values").
        hits.sort_by_key(|&(i, len)| (i, std::cmp::Reverse(len)));
        for (i, len) in hits {
            let (vals, whole) = values_after(&desc[i + len..]);
            if strong && !vals.is_empty() || whole && vals.len() >= 2 {
                return vals;
            }
        }
    }
    Vec::new()
}

/// Where `phrases` occur in `lower`, as (position, length): a phrase that starts
/// with a letter or digit only where a word starts (`:` anywhere). One pass over
/// the text, comparing phrases only where one can start: a search per phrase
/// costs more, and most descriptions hold none. (No phrase overlaps itself at a
/// word start, so these are the matches a search per phrase would find.)
fn phrase_hits(lower: &str, phrases: &[&str]) -> Vec<(usize, usize)> {
    let mut hits = Vec::new();
    if phrases.is_empty() {
        return hits;
    }
    let mut prev_alnum = false;
    for (i, c) in lower.char_indices() {
        let alnum = c.is_alphanumeric();
        // A word start, or a character no word holds: a phrase may start here.
        if !alnum || !prev_alnum {
            let rest = &lower.as_bytes()[i..];
            for p in phrases {
                if p.as_bytes().first() == rest.first() && rest.starts_with(p.as_bytes()) {
                    hits.push((i, p.len()));
                }
            }
        }
        prev_alnum = alnum;
    }
    hits
}

/// The values listed at the start of `rest` (after the phrase), up to the end of the
/// sentence, and whether the whole list was names. A list that starts on a new line
/// has a value per line (`<br>`-separated in a table cell).
pub(crate) fn values_after(rest: &str) -> (Vec<String>, bool) {
    if let Some(lines) = rest.trim_start_matches([' ', ':']).strip_prefix('\n') {
        return value_lines(lines);
    }
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(':').or_else(|| rest.strip_prefix("the following:")).or_else(|| rest.strip_prefix("the following values:")).unwrap_or(rest);
    // Notes in parentheses go first: they hold commas of their own.
    let mut list = String::new();
    let mut depth = 0usize;
    let mut code = false;
    let mut prev = ' ';
    for c in rest.chars() {
        match c {
            '`' => code = !code,
            '(' if !code => depth += 1,
            ')' if !code && depth > 0 => {
                depth -= 1;
                continue;
            }
            // The end of the sentence.
            '.' if !code && depth == 0 && !prev.is_ascii_digit() => break,
            '\n' | '<' if !code && depth == 0 => break,
            _ => {}
        }
        if depth == 0 {
            list.push(c);
        }
        prev = c;
    }
    let mut out = Vec::new();
    for item in list.split([',', ';']).flat_map(|s| s.split(" or ")).flat_map(|s| s.split(" and ")) {
        let item = item.trim();
        let item = item.strip_prefix("or ").or_else(|| item.strip_prefix("and ")).unwrap_or(item).trim();
        if item.is_empty() {
            continue;
        }
        let v = item.trim_matches(|c| matches!(c, '`' | '\'' | '"' | '*' | '.' | ':'));
        // `name=0`, `name (0)`, `name - meaning`: the name.
        let v = v.split(['=', ' ']).next().unwrap_or("").trim();
        let whole = item.trim_matches(|c| matches!(c, '`' | '\'' | '"' | '*' | '.' | ':')).split('=').next().unwrap_or("").trim();
        if v.is_empty() || v != whole && !whole.starts_with(&format!("{v} -")) || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            // A list item that is not one name ends the list (prose after it).
            return (out, false);
        }
        if !out.contains(&v.to_string()) {
            out.push(v.to_string());
        }
    }
    (out, true)
}

pub(crate) fn first_status(s: &str) -> Option<u16> {
    let b = s.as_bytes();
    for i in 0..b.len().saturating_sub(2) {
        if b[i].is_ascii_digit()
            && b[i + 1].is_ascii_digit()
            && b[i + 2].is_ascii_digit()
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && b.get(i + 3).is_none_or(|c| !c.is_ascii_alphanumeric())
        {
            let n: u16 = s[i..i + 3].parse().ok()?;
            if (100..600).contains(&n) {
                return Some(n);
            }
        }
    }
    None
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strong_phrases_hold_value() {
        // `possible_values` searches for them only in descriptions that hold "value".
        for p in VALUE_LIST_STRONG {
            assert!(p.contains("value"), "{p}");
        }
    }

    #[test]
    fn phrase_hits_are_the_word_start_matches_of_a_search() {
        // The rule as a search per phrase, filtered to word starts.
        let search = |lower: &str, phrases: &[&str]| {
            let mut hits: Vec<(usize, usize)> = phrases
                .iter()
                .flat_map(|p| lower.match_indices(p).map(move |(i, _)| (i, p.len())))
                .filter(|&(i, len)| !lower[i..i + len].starts_with(|c: char| c.is_alphanumeric()) || !lower[..i].ends_with(|c: char| c.is_alphanumeric()))
                .collect();
            hits.sort_unstable();
            hits
        };
        let texts = [
            "possible values are: a, b. the values are c or d; values can be e.",
            "it can be one of x, y. either one of them: a or b. someone of note: cannot be.",
            "the following values: a, b; valid values include c; supported values are d.",
            "possible value is: x; possible value are y, z. allowed values are a, b.",
            "é possible values arepossible values; xpossible values, 日本one of, ½can be",
            "one of one of can be can be either either :::: : x",
            "",
        ];
        for text in texts {
            for phrases in [VALUE_LIST_STRONG, VALUE_LIST_WEAK] {
                let mut hits = phrase_hits(text, phrases);
                hits.sort_unstable();
                assert_eq!(hits, search(text, phrases), "{text:?}");
            }
        }
        assert!(!phrase_hits(texts[0], VALUE_LIST_STRONG).is_empty());
        // No phrase overlaps itself where a word starts (the scan would find both).
        for p in VALUE_LIST_STRONG.iter().chain(VALUE_LIST_WEAK) {
            let twice = format!("{p} {p}{p}");
            let mut hits = phrase_hits(&twice, &[p]);
            hits.sort_unstable();
            assert_eq!(hits, search(&twice, &[p]), "{p:?}");
        }
    }

    #[test]
    fn possible_values_prose() {
        assert_eq!(
            possible_values("The type. Possible values are: `default`, `voicemail`, `unknownFutureValue`."),
            vec!["default", "voicemail", "unknownFutureValue"]
        );
        assert_eq!(possible_values("Possible values are a, b, and c. More text."), vec!["a", "b", "c"]);
        assert!(possible_values("No list here.").is_empty());
        let cases: &[(&str, &[&str])] = &[
            ("The status. Possible values are: accepted, declined.", &["accepted", "declined"]),
            ("The possible values are a, b or c", &["a", "b", "c"]),
            ("Possible values: a, b, or unknownFutureValue.", &["a", "b", "unknownFutureValue"]),
            ("The possible value are a or b.", &["a", "b"]),
            ("Valid values are low, normal and high. Default is normal.", &["low", "normal", "high"]),
            ("Supported values are: none (nothing is sent), all (every item, even old ones).", &["none", "all"]),
            ("Possible values are: LightBlue=0, LightGreen=1, LightOrange=2.", &["LightBlue", "LightGreen", "LightOrange"]),
            ("The direction. One of incoming, outgoing.", &["incoming", "outgoing"]),
            ("The kind, either personal or business.", &["personal", "business"]),
            ("The colour. It can be one of the following: red, green.", &["red", "green"]),
            ("Possible values are: a, b, c, and others to come in the future", &["a", "b", "c"]),
        ];
        for (desc, want) in cases {
            assert_eq!(possible_values(desc), *want, "{desc}");
        }
        let lines: &[(&str, &[&str])] = &[
            (
                "Possible values are:\nsuccess\nfailure\nnotApplied - Policy isn't applied. Really.\nnotEnabled - It is disabled.",
                &["success", "failure", "notApplied", "notEnabled"],
            ),
            ("The kind. Possible values are:\nfile: a file\nfolder (a folder)\nMore prose after the list.", &["file", "folder"]),
            ("The attendee type: required, optional, resource.", &["required", "optional", "resource"]),
            ("Combination of the following values: Full, QuarantineState. Use Full for all.", &["Full", "QuarantineState"]),
        ];
        for (desc, want) in lines {
            assert_eq!(possible_values(desc), *want, "{desc:?}");
        }
        // Ordinary sentences that start like a list.
        for desc in [
            "Either the user or the group that owns it.",
            "It can be resolved by deleting an item.",
            "Valid values 1 to 16.",
            "One of the owners.",
            "Note: see the docs, then retry.",
            "Examples: US, JP, and GB.",
            "A name (for example, Trojan:Win32/Powessere.H).",
        ] {
            assert!(possible_values(desc).is_empty(), "{desc}");
        }
    }

    #[test]
    fn property_names_in_every_table_spelling() {
        for cell in ["album", "**album**", " album  ", "`album`", "**`album`**", "_album_", "album (deprecated)", "**album** (preview)", "album[]"] {
            assert_eq!(property_name(cell).as_deref(), Some("album"), "{cell:?}");
        }
        assert_eq!(property_name("_id").as_deref(), Some("_id"));
        for cell in ["", "**", "Open extensions", "**Use cases**"] {
            assert_eq!(property_name(cell), None, "{cell:?}");
        }
    }

    #[test]
    fn status_in_prose() {
        assert_eq!(first_status("returns a `201 Created` response code"), Some(201));
        assert_eq!(first_status("returns `204 No Content`"), Some(204));
        assert_eq!(first_status("no code"), None);
        assert_eq!(first_status("id 12345 here"), None);
    }

    #[test]
    fn placeholders_name_types() {
        assert_eq!(placeholder_type("String"), Some(Prim::String));
        assert_eq!(placeholder_type("Boolean"), Some(Prim::Boolean));
        assert_eq!(placeholder_type("String (timestamp)"), Some(Prim::DateTimeOffset));
        assert_eq!(placeholder_type("String (identifier)"), Some(Prim::String));
        assert_eq!(placeholder_type("Region value"), None);
        let cases = [
            ("String (ISO 8601 duration)", Prim::Duration),
            ("String (duration)", Prim::Duration),
            ("String (timespan)", Prim::Duration),
            ("String (time of day)", Prim::TimeOfDay),
            ("String (timeofday)", Prim::TimeOfDay),
            ("string (TimeOfDay)", Prim::TimeOfDay),
            ("String(timestamp)", Prim::DateTimeOffset),
            ("String (Date)", Prim::Date),
            ("String (binary)", Prim::Binary),
            ("string (base64)", Prim::Binary),
            ("String (double)", Prim::Double),
            ("Guid (identifier)", Prim::Guid),
            ("string (identifier)", Prim::String),
            ("String (URL)", Prim::String),
            ("string (hex)", Prim::String),
            ("Int32", Prim::Int32),
            ("Edm.Int64", Prim::Int64),
            ("datetime", Prim::DateTimeOffset),
            ("Boolean (true if hidden)", Prim::Boolean),
        ];
        for (s, want) in cases {
            assert_eq!(placeholder_type(s), Some(want), "{s}");
        }
    }

    #[test]
    fn placeholder_text() {
        for p in ["String", "Boolean", "String (timestamp)", "skuId-value", "Display Name value", "Int32"] {
            assert!(is_placeholder_text(p), "{p}");
        }
        for v in ["Heidi", "2020-01-01T00:00:00Z", "String theory", "valued"] {
            assert!(!is_placeholder_text(v), "{v}");
        }
    }

    #[test]
    fn datetimes_are_recognised() {
        assert!(looks_like_datetime("2020-03-04T11:22:33.1234567Z"));
        assert!(looks_like_datetime("2020-03-04T11:22:33+01:00"));
        assert!(!looks_like_datetime("2020-03-04"));
        assert!(!looks_like_datetime("bcf70126-0126-bcf7-2601-f7bc2601f7bc"));
        // Byte 19 inside a multi-byte character: this slice panicked.
        assert!(!looks_like_datetime("2020-03-04T11:abcd\u{e9}xx"));
    }
}
