//! Pieces of Rust source text: string literals, doc and `cfg` attributes.
//!
//! The emitter writes source text directly (`w!`, in the manner of prost-build),
//! not token streams. A string literal is spelled exactly as
//! `proc_macro2::Literal::string` spells it, because prettyplease prints literals
//! as spelled: formatted output (this text parsed by syn, printed by prettyplease)
//! is byte for byte what it was when the emitter built `quote!` token streams.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt::{self, Display, Formatter, Write};

/// A string literal with this value.
pub(crate) struct Str<'a>(pub(crate) &'a str);

impl Display for Str<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        escape(self.0, false, f)?;
        f.write_char('"')
    }
}

/// `s` escaped for the inside of a string literal, as `proc_macro2` escapes it
/// (`char::escape_debug`, except `'` as is and `\0` as `\x00` before an octal
/// digit). With `doc`, `[`, `]`, `<` and `>` get a backslash first (so that
/// rustdoc shows them, not links or HTML), itself escaped in the literal.
fn escape(s: &str, doc: bool, f: &mut impl Write) -> fmt::Result {
    let plain = |b: u8| (b.is_ascii_graphic() || b == b' ') && b != b'"' && b != b'\\' && !(doc && matches!(b, b'[' | b']' | b'<' | b'>'));
    if s.bytes().all(plain) {
        return f.write_str(s);
    }
    // Runs of characters that stand for themselves are written whole.
    let mut run = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let plain_char = if c.is_ascii() { plain(c as u8) } else { c.escape_debug().len() == 1 };
        if plain_char {
            continue;
        }
        f.write_str(&s[run..i])?;
        run = i + c.len_utf8();
        match c {
            '\0' if chars.peek().is_some_and(|&(_, n)| ('0'..='7').contains(&n)) => f.write_str("\\x00")?,
            '\0' => f.write_str("\\0")?,
            '[' | ']' | '<' | '>' => {
                f.write_str("\\\\")?;
                f.write_char(c)?;
            }
            _ => write!(f, "{}", c.escape_debug())?,
        }
    }
    f.write_str(&s[run..])
}

/// Text-direction controls (U+202A-U+202E, U+2066-U+2069), which are denied in doc comments.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// One `#[doc = "..."]` line per line of the text (none for no text): a space
/// first, trailing white space and text-direction controls dropped, `[`, `]`,
/// `<` and `>` escaped (see [`escape`]); an empty line is `""`.
pub(crate) struct Docs<'a>(pub(crate) &'a str);

impl Display for Docs<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        // A code fence in the docs' text is no Rust: a fence that opens with no
        // language (or `rust`) opens as `text`, so that rustdoc never makes it a
        // doctest, and a fence left open is closed.
        let mut fence: Option<(char, usize)> = None;
        for line in self.0.lines() {
            let line: Cow<str> = if line.contains(is_bidi) { line.chars().filter(|&c| !is_bidi(c)).collect::<String>().into() } else { line.into() };
            let mut line = line.trim_end().to_string();
            let t = line.trim_start();
            if let Some(ch) = t.chars().next().filter(|c| *c == '`' || *c == '~') {
                let run = t.chars().take_while(|c| *c == ch).count();
                let info = t[run..].trim();
                if run >= 3 {
                    match fence {
                        Some((c, n)) if c == ch && run >= n && info.is_empty() => fence = None,
                        Some(_) => {}
                        None => {
                            fence = Some((ch, run));
                            let lang = info.split([' ', ',']).next().unwrap_or("");
                            if lang.is_empty() || lang.eq_ignore_ascii_case("rust") {
                                line = format!("{}text", &t[..run]);
                            }
                        }
                    }
                }
            }
            let line = line.as_str();
            f.write_str("#[doc = \"")?;
            if !line.is_empty() {
                f.write_char(' ')?;
                escape(line, true, f)?;
            }
            f.write_str("\"]\n")?;
        }
        if let Some((ch, n)) = fence {
            writeln!(f, "#[doc = \" {}\"]", ch.to_string().repeat(n))?;
        }
        Ok(())
    }
}

/// `#[cfg(...)]` on a set of Cargo features: nothing for none, `feature = "x"` for
/// one, `all(..)` or `any(..)` of several.
pub(crate) struct Cfg<'a> {
    pub(crate) features: &'a BTreeSet<String>,
    /// `any(..)`: one of the features is enough; else `all(..)`.
    pub(crate) any: bool,
}

impl Display for Cfg<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let mut fs = self.features.iter();
        match (fs.next(), fs.next()) {
            (None, _) => Ok(()),
            (Some(one), None) => writeln!(f, "#[cfg(feature = {})]", Str(one)),
            _ => {
                f.write_str(if self.any { "#[cfg(any(" } else { "#[cfg(all(" })?;
                for (i, feature) in self.features.iter().enumerate() {
                    write!(f, "{}feature = {}", if i == 0 { "" } else { ", " }, Str(feature))?;
                }
                f.write_str("))]\n")
            }
        }
    }
}

/// `#[deprecated(note = "...")]` and a line break, when there is a note; nothing
/// otherwise. The note is the docs' words.
pub(crate) struct Deprecated<'a>(pub(crate) Option<&'a str>);

impl Display for Deprecated<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let Some(note) = self.0 else { return Ok(()) };
        // One line: the note of a rustc warning.
        let note: String = note.split_whitespace().collect::<Vec<_>>().join(" ");
        writeln!(f, "#[deprecated(note = {})]", Str(&note))
    }
}
