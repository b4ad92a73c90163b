//! What became of each example, and the report: the share reproduced, the page
//! defects, and the failures grouped by cause, generator failures apart from
//! failures on examples whose page has a defect.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Case, Defect};

/// What became of one example.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Reproduced,
    /// Not reproduced: a cause to group by and details (what differs, where).
    Failed {
        cause: String,
        detail: String,
    },
}

/// One example's result.
#[derive(Clone, Debug)]
pub struct Row {
    pub at: String,
    pub defects: Vec<Defect>,
    pub outcome: Outcome,
}

impl Row {
    /// The group of a failure: its cause for a generator failure; for an example
    /// whose page has a defect, "page defect: <the first defect>".
    pub fn group(&self) -> Option<(bool, String)> {
        let Outcome::Failed { cause, .. } = &self.outcome else { return None };
        Some(match self.defects.first() {
            Some(d) => (true, format!("page defect: {}", d.describe())),
            None => (false, cause.clone()),
        })
    }

    /// `page:line`, with the details (and, under a page defect, the failure).
    pub fn entry(&self) -> String {
        match &self.outcome {
            Outcome::Reproduced => self.at.clone(),
            Outcome::Failed { cause, detail } => {
                let mut parts = Vec::new();
                if !self.defects.is_empty() {
                    parts.push(cause.clone());
                    if self.defects.len() > 1 {
                        parts.push(format!("also: {}", self.defects[1..].iter().map(|d| d.describe()).collect::<Vec<_>>().join("; ")));
                    }
                }
                if !detail.is_empty() {
                    parts.push(detail.clone());
                }
                if parts.is_empty() {
                    self.at.clone()
                } else {
                    format!("{} ({})", self.at, parts.join("; "))
                }
            }
        }
    }
}

/// The figures of one tree.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub examples: usize,
    pub reproduced: usize,
    pub with_defect: usize,
    pub without_defect: usize,
    pub reproduced_without_defect: usize,
    /// Examples that could not be written (no rule, or the call does not compile).
    pub cannot_be_written: usize,
}

impl Summary {
    pub fn new(rows: &[Row]) -> Summary {
        let mut s = Summary { examples: rows.len(), ..Summary::default() };
        for r in rows {
            let ok = r.outcome == Outcome::Reproduced;
            s.reproduced += ok as usize;
            if r.defects.is_empty() {
                s.without_defect += 1;
                s.reproduced_without_defect += ok as usize;
            } else {
                s.with_defect += 1;
            }
            if matches!(&r.outcome, Outcome::Failed { cause, .. } if cause.starts_with("cannot be written")) {
                s.cannot_be_written += 1;
            }
        }
        s
    }

    /// Reproduced among the examples without a page defect (1.0 when there are none).
    pub fn share(&self) -> f64 {
        if self.without_defect == 0 {
            1.0
        } else {
            self.reproduced_without_defect as f64 / self.without_defect as f64
        }
    }

    /// The share of all examples reproduced exactly, those with a page defect included.
    pub fn share_all(&self) -> f64 {
        if self.examples == 0 {
            1.0
        } else {
            self.reproduced as f64 / self.examples as f64
        }
    }

    pub fn line(&self, name: &str) -> String {
        let pct = |a: usize, b: usize| if b == 0 { 100.0 } else { a as f64 * 100.0 / b as f64 };
        format!(
            "requests[{name}]: {} examples, {} reproduced exactly ({:.1}%); {} with a page defect; of the {} without, {} ({:.1}%); {} cannot be written",
            self.examples,
            self.reproduced,
            pct(self.reproduced, self.examples),
            self.with_defect,
            self.without_defect,
            self.reproduced_without_defect,
            pct(self.reproduced_without_defect, self.without_defect),
            self.cannot_be_written,
        )
    }
}

/// Failures grouped: (page defect?, group) -> entries, entries in page order.
pub fn groups(rows: &[Row]) -> BTreeMap<(bool, String), Vec<String>> {
    let mut g: BTreeMap<(bool, String), Vec<String>> = BTreeMap::new();
    for r in rows {
        if let Some(key) = r.group() {
            g.entry(key).or_default().push(r.entry());
        }
    }
    g
}

/// The report's text: the summary line, the page defects by kind (all examples
/// that have them), then the generator failures and the failures with a page
/// defect, each group by count (then name) with up to `shown` entries.
pub fn render(name: &str, cases: &[Case], rows: &[Row], shown: usize) -> String {
    let summary = Summary::new(rows);
    let mut out = String::new();
    let _ = writeln!(out, "{}", summary.line(name));
    let counts = super::defect_counts(cases);
    if !counts.is_empty() {
        let _ = writeln!(
            out,
            "requests[{name}]: page defects (examples): {}",
            counts.iter().map(|(d, n)| format!("{} {n}", d.describe())).collect::<Vec<_>>().join(", ")
        );
    }
    let undocumented = cases.iter().filter(|c| matches!(c.translation, super::translate::Translation::Call { undocumented: true, .. })).count();
    let _ = writeln!(out, "requests[{name}]: {undocumented} examples fit no request line of their page (their segments were read from the whole tree)");
    let g = groups(rows);
    for (defect, title) in [(false, "generator failures"), (true, "failures on examples whose page has a defect")] {
        let mut list: Vec<(&String, &Vec<String>)> = g.iter().filter(|((d, _), _)| *d == defect).map(|((_, k), v)| (k, v)).collect();
        let total: usize = list.iter().map(|(_, v)| v.len()).sum();
        let _ = writeln!(out, "\nrequests[{name}]: {title}: {total} in {} causes", list.len());
        list.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        for (cause, entries) in list {
            let _ = writeln!(out, "{:>5}  {cause}", entries.len());
            for e in entries.iter().take(shown) {
                let _ = writeln!(out, "         {e}");
            }
            if entries.len() > shown {
                let _ = writeln!(out, "         ... {} more (--verbose)", entries.len() - shown);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(at: &str, defects: &[Defect], outcome: Option<&str>) -> Row {
        Row {
            at: at.into(),
            defects: defects.to_vec(),
            outcome: match outcome {
                None => Outcome::Reproduced,
                Some(c) => Outcome::Failed { cause: c.into(), detail: String::new() },
            },
        }
    }

    #[test]
    fn figures_separate_examples_with_a_page_defect() {
        let rows = [
            row("a.md:1", &[], None),
            row("a.md:9", &[Defect::PathNotOnPage], None),
            row("b.md:3", &[], Some("cannot be written: no method `x` on `Y`")),
            row("c.md:4", &[Defect::BodyInvalidJson, Defect::MethodNotOnPage], Some("cannot be written: body is not valid JSON")),
            row("d.md:5", &[], Some("body: null dropped")),
        ];
        let s = Summary::new(&rows);
        assert_eq!(s, Summary { examples: 5, reproduced: 2, with_defect: 2, without_defect: 3, reproduced_without_defect: 1, cannot_be_written: 2 });
        assert_eq!(
            s.line("v1"),
            "requests[v1]: 5 examples, 2 reproduced exactly (40.0%); 2 with a page defect; of the 3 without, 1 (33.3%); 2 cannot be written"
        );
        assert!((s.share() - 1.0 / 3.0).abs() < 1e-9);
        let g = groups(&rows);
        assert_eq!(g[&(false, "body: null dropped".to_string())], ["d.md:5"]);
        assert_eq!(
            g[&(true, "page defect: body is not valid JSON (not even leniently)".to_string())],
            ["c.md:4 (cannot be written: body is not valid JSON; also: method matches none of the page's request lines for its path)"]
        );
        assert_eq!(g.len(), 3);
        let text = render("v1", &[], &rows, 5);
        assert!(text.contains("generator failures: 2 in 2 causes"), "{text}");
        assert!(text.contains("failures on examples whose page has a defect: 1 in 1 causes"), "{text}");
    }
}
