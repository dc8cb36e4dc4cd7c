//! Inline suppressions in XML comments:
//! `<!-- silt-ignore rule-a, rule-b: reason -->` silences those rules on the next element (with its
//! children); `<!-- silt-ignore-file rule: reason -->` on the whole file. `all` matches every rule.

use crate::config::{Config, Level};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::source::Span;
use crate::xml::{Document, NONE};
use crate::FileCtx;
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct Suppression {
    pub file: String,
    pub rules: Vec<String>,
    pub reason: Option<String>,
    /// Byte range covered; `None` for the whole file.
    pub scope: Option<Span>,
    pub comment: Location,
}

impl Suppression {
    /// The byte range covered (the whole file is `0..u32::MAX`).
    fn bounds(&self) -> (u32, u32) {
        self.scope.map_or((0, u32::MAX), |s| (s.start, s.end))
    }
}

/// The byte ranges of one file and rule, sorted, answering "does one of them contain this range"
/// and "does one lie within this range" by binary search: matching findings to suppressions costs
/// O((findings + suppressions) log), not findings × suppressions.
struct Ranges {
    starts: Vec<u32>,
    /// The largest end among the ranges up to each one.
    max_end: Vec<u32>,
    /// The smallest end among the ranges from each one on.
    min_end: Vec<u32>,
}

impl Ranges {
    fn new(mut ranges: Vec<(u32, u32)>) -> Ranges {
        ranges.sort_unstable();
        let starts = ranges.iter().map(|r| r.0).collect();
        let max_end = ranges
            .iter()
            .scan(0, |m, r| {
                *m = r.1.max(*m);
                Some(*m)
            })
            .collect();
        let mut min_end: Vec<u32> = ranges
            .iter()
            .rev()
            .scan(u32::MAX, |m, r| {
                *m = r.1.min(*m);
                Some(*m)
            })
            .collect();
        min_end.reverse();
        Ranges {
            starts,
            max_end,
            min_end,
        }
    }

    /// Whether one range contains `start..end`.
    fn covers(&self, (start, end): (u32, u32)) -> bool {
        let k = self.starts.partition_point(|&s| s <= start);
        k > 0 && self.max_end[k - 1] >= end
    }

    /// Whether one range lies within `start..end`.
    fn within(&self, (start, end): (u32, u32)) -> bool {
        let k = self.starts.partition_point(|&s| s < start);
        self.min_end.get(k).is_some_and(|&e| e <= end)
    }
}

/// Group ranges by (file, rule).
fn index<'k>(
    items: impl Iterator<Item = ((&'k str, &'k str), (u32, u32))>,
) -> HashMap<(&'k str, &'k str), Ranges> {
    let mut groups: HashMap<(&str, &str), Vec<(u32, u32)>> = HashMap::new();
    for (key, range) in items {
        groups.entry(key).or_default().push(range);
    }
    groups
        .into_iter()
        .map(|(k, v)| (k, Ranges::new(v)))
        .collect()
}

/// Collect suppression comments of a parsed XML file.
pub fn collect(
    ctx: &FileCtx,
    doc: &Document,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Suppression> {
    let mut out = Vec::new();
    for c in &doc.comments {
        let text = doc.comment_text(c).trim();
        let (file_level, rest) = if let Some(r) = text.strip_prefix("silt-ignore-file") {
            (true, r)
        } else if let Some(r) = text.strip_prefix("silt-ignore") {
            (false, r)
        } else {
            continue;
        };
        if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let (rules, reason) = match rest.split_once(':') {
            Some((r, why)) => (r, Some(why.trim().to_string()).filter(|w| !w.is_empty())),
            None => (rest, None),
        };
        let rules: Vec<String> = rules
            .split([',', ' '])
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(String::from)
            .collect();
        let comment = ctx.loc(c.span);
        if rules.is_empty() {
            diagnostics.push(Diagnostic::new(
                "unused-suppression",
                Severity::Note,
                "silt-ignore comment names no rule; write `silt-ignore <rule>: <reason>`",
                &comment,
                format!("comment@{}", c.span.start),
            ));
            continue;
        }
        if reason.is_none() {
            diagnostics.push(Diagnostic::new(
                "suppression-missing-reason",
                Severity::Note,
                format!(
                    "suppression of {} has no reason; add one after a colon: `{}: <why>`",
                    rules.join(", "),
                    rules.join(", ")
                ),
                &comment,
                format!("suppression[{}]", rules.join(",")),
            ));
        }
        let scope = if file_level {
            None
        } else if c.next_element != NONE {
            Some(doc.nodes[c.next_element as usize].span)
        } else {
            Some(Span::new(c.span.start as usize, c.span.start as usize)) // nothing follows: matches nothing
        };
        out.push(Suppression {
            file: ctx.path.to_string(),
            rules,
            reason,
            scope,
            comment,
        });
    }
    out
}

/// Remove suppressed diagnostics; report unused suppressions. Returns how many were suppressed.
///
/// A suppression matches a finding of the same file, of a rule it names (or any rule for `all`;
/// never a `parse-error`), whose range lies within its scope.
pub fn apply(
    diagnostics: &mut Vec<Diagnostic>,
    suppressions: Vec<Suppression>,
    config: &Config,
) -> usize {
    let range = |d: &Diagnostic| (d.range.start.offset, d.range.end.offset);
    // A suppression is used when a finding it matches lies within its scope.
    let used: Vec<bool> = {
        let findings = index(
            diagnostics
                .iter()
                .filter(|d| d.rule != "parse-error")
                .flat_map(|d| {
                    let own = (d.rule != "all").then_some(d.rule.as_str());
                    own.into_iter()
                        .chain(["all"])
                        .map(move |rule| ((d.file.as_str(), rule), range(d)))
                }),
        );
        suppressions
            .iter()
            .map(|s| {
                s.rules.iter().any(|r| {
                    findings
                        .get(&(s.file.as_str(), r.as_str()))
                        .is_some_and(|f| f.within(s.bounds()))
                })
            })
            .collect()
    };
    let scopes = index(suppressions.iter().flat_map(|s| {
        s.rules
            .iter()
            .map(move |r| ((s.file.as_str(), r.as_str()), s.bounds()))
    }));
    let before = diagnostics.len();
    diagnostics.retain(|d| {
        let covered = |rule: &str| {
            scopes
                .get(&(d.file.as_str(), rule))
                .is_some_and(|s| s.covers(range(d)))
        };
        d.rule == "parse-error" || !(covered(&d.rule) || covered("all"))
    });
    let suppressed = before - diagnostics.len();
    let reg = crate::registry::registry();
    let level = config.level(
        "unused-suppression",
        reg.default_severity("unused-suppression"),
    );
    if let Level::On(sev) = level {
        for (s, u) in suppressions.iter().zip(used) {
            if !u {
                diagnostics.push(Diagnostic::new(
                    "unused-suppression",
                    sev,
                    format!(
                        "unused suppression: no {} finding here to silence; remove the comment",
                        s.rules.join(", ")
                    ),
                    &s.comment,
                    format!("suppression[{}]", s.rules.join(",")),
                ));
            }
        }
    }
    suppressed
}
