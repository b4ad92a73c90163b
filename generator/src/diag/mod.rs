//! Diagnostics: every problem the generator finds in the docs, with a stable code,
//! a severity, a source position and a hint on how to fix it.

#[cfg(feature = "cli")]
pub mod render;
mod source;
pub mod suppress;

pub(crate) use source::SourceText;
pub use source::{SourceFile, SourceMap};

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// A place in a docs file: a byte range of its text in the [`SourceMap`], with the
/// file's path relative to the docs directory (with `/` separators). The span
/// shares the map's entry for the file, so its 1-based line and column
/// ([`Span::line_col`]) are computed where it is shown. Spans compare by file and
/// start (where they point; diagnostics sort and de-duplicate by it), not by end.
#[derive(Clone)]
pub struct Span {
    pub file: Arc<str>,
    /// Byte offsets into the file's text.
    pub start: u32,
    pub end: u32,
    source: Arc<SourceText>,
}

impl Span {
    /// The bytes `range` of `source`.
    pub(crate) fn new(source: &Arc<SourceText>, range: std::ops::Range<usize>) -> Self {
        Span { file: source.path.clone(), start: range.start as u32, end: range.end.max(range.start) as u32, source: source.clone() }
    }

    /// The point at 1-based `line` and `col` (in characters) of `source`.
    pub(crate) fn at_line_col(source: &Arc<SourceText>, line: u32, col: u32) -> Self {
        let at = source.offset(line, col);
        Span::new(source, at..at)
    }

    /// The point at `line` and `col` of this span's file.
    pub(crate) fn at(&self, line: u32, col: u32) -> Self {
        let at = self.source.offset(line, col);
        Span { file: self.file.clone(), start: at as u32, end: at as u32, source: self.source.clone() }
    }

    /// The start of `file`, a file that was not read (a generated file, a test's
    /// made-up page): it shows as line 1, column 1. `offset` only orders such spans.
    pub fn detached(file: &Arc<str>, offset: u32) -> Self {
        Span { file: file.clone(), start: offset, end: offset, source: SourceText::empty() }
    }

    /// 1-based line and column (in characters) of the start.
    pub fn line_col(&self) -> (u32, u32) {
        self.source.line_col(self.start as usize)
    }

    pub fn line(&self) -> u32 {
        self.line_col().0
    }

    pub fn col(&self) -> u32 {
        self.line_col().1
    }
}

impl PartialEq for Span {
    fn eq(&self, other: &Self) -> bool {
        (&self.file, self.start) == (&other.file, other.start)
    }
}

impl Eq for Span {}

impl PartialOrd for Span {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Span {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (&self.file, self.start).cmp(&(&other.file, other.start))
    }
}

impl std::hash::Hash for Span {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (&self.file, self.start).hash(state)
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, col) = self.line_col();
        write!(f, "{}:{line}:{col} ({}..{})", self.file, self.start, self.end)
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, col) = self.line_col();
        write!(f, "{}:{line}:{col}", self.file)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $name:literal, $sev:ident, $doc:literal;)*) => {
        /// Stable diagnostic codes. The string form is what users see and what
        /// suppressions name; it never changes once published.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( #[doc = $doc] $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }
            pub fn describe(self) -> &'static str {
                match self { $(Code::$variant => $doc,)* }
            }
        }
    };
}

codes! {
    Io = "io", Error, "A docs file or directory could not be read.";
    Internal = "internal", Error, "The generator produced code that does not parse: a generator bug (please report it with the docs that cause it).";
    NotUtf8 = "not-utf8", Warning, "A page is not valid UTF-8; it is skipped.";
    FrontMatter = "front-matter", Warning, "The YAML front matter of a page is malformed.";
    AnnotationJson = "annotation-json", Warning, "An annotation comment is not valid JSON even after lenient fixes.";
    AnnotationLenient = "annotation-lenient", Note, "An annotation comment needed lenient parsing (trailing commas).";
    AnnotationDangling = "annotation-dangling", Warning, "An annotation comment is not followed by a code block.";
    HttpBlock = "http-block", Warning, "An http code block has no request line or status line.";
    JsonInvalid = "json-invalid", Warning, "A JSON example is not valid JSON; it is not used for inference.";
    JsonLenient = "json-lenient", Note, "A JSON example needed lenient parsing (trailing commas, comments, ellipses).";
    PageSkipped = "page-skipped", Warning, "A page could not be used to generate anything.";
    PathMismatch = "path-mismatch", Warning, "The HTTP request block and an example request disagree on the path.";
    MethodMismatch = "method-mismatch", Warning, "The HTTP request block and an example request disagree on the method.";
    CorrectionApplied = "correction-applied", Note, "A reviewed correction from corrections.json was applied.";
    CorrectionUnused = "correction-unused", Warning, "A correction in corrections.json matches nothing (the docs may be fixed).";
    CorrectionsInvalid = "corrections-invalid", Error, "corrections.json is malformed.";
    TypeConflict = "type-conflict", Warning, "Two sources disagree on the type of a property.";
    PlaceholderValue = "placeholder-value", Warning, "An example holds a type placeholder such as \"String\" instead of a value.";
    PropertyCase = "property-case", Warning, "An example spells a property in a different case than its table; one field, serialized as the table spells it, accepting the example's spelling.";
    UnknownProperty = "unknown-property", Warning, "An example uses a property that no table or representation of its type lists; on a type with a property table it is no field (the data is kept in additional_properties).";
    UnresolvedType = "unresolved-type", Warning, "A type is referenced that no page defines; the property is typed as raw JSON.";
    UntypedValue = "untyped-value", Note, "The type of a property could not be inferred; it is typed as raw JSON.";
    EnumConflict = "enum-conflict", Warning, "Sources of an enum's members disagree.";
    EnumValueCase = "enum-value-case", Warning, "An example uses an enum value in a different case than the enum.";
    EnumValueUnknown = "enum-value-unknown", Warning, "An example uses a value that is not a member of its enum.";
    DuplicateDefinition = "duplicate-definition", Warning, "A type or enum is defined by more than one page.";
    NameCollision = "name-collision", Warning, "Two different docs names map to the same Rust name; the first keeps it, the other gets a numeric suffix (its wire name is kept).";
    InheritanceCycle = "inheritance-cycle", Warning, "Base types form a cycle; the base link of the cycle's first type (by full name) is dropped.";
    UnknownBaseType = "unknown-base-type", Warning, "A base type is named that no page defines.";
    NoHttpRequest = "no-http-request", Warning, "An API page has no usable HTTP request block.";
    NoResponse = "no-response", Note, "An API page documents no response status; 200 is assumed.";
    BodyTypeUnknown = "body-type-unknown", Note, "The request or response body type of an operation could not be determined.";
    TableRagged = "table-ragged", Note, "A table row has a different number of cells than its header.";
    DanglingLink = "dangling-link", Warning, "A link points to a page that is not in the docs directory.";
    SuppressionsInvalid = "suppressions-invalid", Error, "suppressions.json is malformed.";
    SuppressionUnused = "suppression-unused", Warning, "A suppression matches no diagnostic (the defect may be fixed).";
    PropertySpelling = "property-spelling", Warning, "Sources spell one property differently (case, punctuation, whitespace, snake_case); one field serializes the highest-precedence spelling and accepts the others.";
    LinkSyntax = "link-syntax", Warning, "A link is malformed (a missing `)`, a pipe inside the target); it is read as the type it names, or the type is reported unreadable.";
    OperationCollision = "operation-collision", Warning, "Several request lines document one method on one path (they are one operation, documented by one page, the others listed in its rustdoc), or two operations want one name on one node (a later one gets its arguments' or its method's name as a suffix).";
    Unterminated = "unterminated", Warning, "A code fence or an HTML comment is never closed, so it swallows the rest of the page.";
    SegmentSpelling = "segment-spelling", Note, "Request lines spell one path segment in several ways (`calendarGroups`, `calendargroups`); they are one node, named by the spelling with more word breaks, and each other spelling is a method that leads to it.";
    RequestLineRooted = "request-line-rooted", Note, "A request line is the tail of the path its examples show (`/workbook/...`); the operation is placed under that path.";
    RequestFromExample = "request-from-example", Note, "A page gives a request only in an example; the operation is made from the example's method and path, values in it read as parameters.";
    FenceMisclosed = "fence-misclosed", Warning, "A code block is followed by a fence line with an info string (```` ```json ````), which cannot close it, so the block swallows the page after it; it is read as closed there.";
    DescriptionCode = "description-code", Warning, "A description holds a code fence or an indented code line; the rustdoc shows it as text, never as a doctest.";
    BaseFromExamples = "base-from-examples", Note, "A page names no base type, and the examples of its type show every property of exactly one other type that the page does not declare; that type is taken as its base.";
    EnumMerged = "enum-merged", Warning, "A description lists values for a property whose concept already has an enum (the same property on a base type, or an enum with the same members); the property is typed with that enum, and the values the list has and the enum lacks are named (they are read into the enum's catch-all).";
    BodyIsResource = "body-is-resource", Note, "A request-body table lists only properties of the operation's resource, so the operation takes the resource type; a property typed as a string in one and an enum in the other is named.";
    RequestLineValue = "request-line-value", Note, "A request line writes a value or a malformed placeholder where a parameter belongs (a GUID, `<id>`, `{id`); it is read as a parameter.";
}

impl Code {
    /// Look a code up by its string form.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary location that explains a diagnostic (the other side of a conflict).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub span: Span,
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub related: Vec<Related>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic { span, code, severity: code.severity(), message: message.into(), related: Vec::new(), hint: None }
    }

    pub fn related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related { span, message: message.into() });
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl Diagnostic {
    /// Plain rendering with `prefix` (for example `docs/`) before every file path:
    /// `file:line:col: severity[code]: message`, then one indented line per
    /// related location and the hint. `separator` joins the lines.
    pub fn render_plain(&self, prefix: &str, separator: &str) -> String {
        let mut s = format!("{prefix}{}: {}[{}]: {}", self.span, self.severity.as_str(), self.code, self.message);
        for r in &self.related {
            s.push_str(&format!("{separator}  {prefix}{}: {}", r.span, r.message));
        }
        if let Some(h) = &self.hint {
            s.push_str(&format!("{separator}  hint: {h}"));
        }
        s
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render_plain("", "\n"))
    }
}

/// The diagnostics of one run, kept sorted so output is deterministic.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Sorted and de-duplicated.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        self.items.sort();
        self.items.dedup();
        self.items
    }
}

/// Counts by code, for the summary line.
pub fn summary(diags: &[Diagnostic]) -> String {
    let mut counts: BTreeMap<(Severity, Code), usize> = BTreeMap::new();
    for d in diags {
        *counts.entry((d.severity, d.code)).or_default() += 1;
    }
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diags.iter().filter(|d| d.severity == Severity::Warning).count();
    let notes = diags.len() - errors - warnings;
    let mut s = format!("{errors} error(s), {warnings} warning(s), {notes} note(s)");
    if !counts.is_empty() {
        s.push_str(": ");
        let parts: Vec<String> = counts.iter().map(|((_, c), n)| format!("{c} {n}")).collect();
        s.push_str(&parts.join(", "));
    }
    s
}
