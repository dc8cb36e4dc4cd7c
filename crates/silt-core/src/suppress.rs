//! Inline suppressions in XML comments:
//! `<!-- silt-ignore rule-a, rule-b: reason -->` silences those rules on the next element (with its
//! children); `<!-- silt-ignore-file rule: reason -->` on the whole file. `all` matches every rule.

use crate::config::{Config, Level};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::source::Span;
use crate::xml::{Document, NONE};
use crate::FileCtx;
use std::collections::HashMap;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
                crate::rules::names::UNUSED_SUPPRESSION,
                Severity::Note,
                "silt-ignore comment names no rule; write `silt-ignore <rule>: <reason>`",
                &comment,
                format!("comment@{}", c.span.start),
            ));
            continue;
        }
        if reason.is_none() {
            diagnostics.push(Diagnostic::new(
                crate::rules::names::SUPPRESSION_MISSING_REASON,
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
                .filter(|d| d.rule != crate::rules::names::PARSE_ERROR)
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
        d.rule == crate::rules::names::PARSE_ERROR || !(covered(&d.rule) || covered("all"))
    });
    let suppressed = before - diagnostics.len();
    let reg = crate::registry::registry();
    let level = config.level(
        crate::rules::names::UNUSED_SUPPRESSION,
        reg.default_severity(crate::rules::names::UNUSED_SUPPRESSION),
    );
    if let Level::On(sev) = level {
        for (s, u) in suppressions.iter().zip(used) {
            if !u {
                diagnostics.push(Diagnostic::new(
                    crate::rules::names::UNUSED_SUPPRESSION,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Position, Range};

    fn at(file: &str, start: u32, end: u32) -> Location {
        let pos = |offset| Position {
            line: 1,
            column: offset + 1,
            column_utf16: offset + 1,
            offset,
        };
        Location {
            file: file.into(),
            range: Range {
                start: pos(start),
                end: pos(end),
            },
        }
    }

    /// The definition: a suppression matches a finding of its file, of a rule it names (or any
    /// rule for `all`) but `parse-error`, that lies within its scope.
    fn matches(s: &Suppression, d: &Diagnostic) -> bool {
        d.file == s.file
            && s.rules.iter().any(|r| r == &d.rule || r == "all")
            && d.rule != "parse-error"
            && s.scope
                .is_none_or(|sc| sc.start <= d.range.start.offset && d.range.end.offset <= sc.end)
    }

    /// The sorted-range matching gives what the definition gives, finding by finding and
    /// suppression by suppression, on generated files with nested, equal, empty and file-wide scopes.
    #[test]
    fn apply_matches_the_definition() {
        let mut seed = 0x5117_u64;
        let mut below = |n: u32| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % u64::from(n)) as u32
        };
        let rules = ["a", "b", "all", "parse-error"];
        let config = Config::default();
        let mut checked = (0, 0);
        for _ in 0..2_000 {
            let mut diagnostics = Vec::new();
            for _ in 0..below(8) {
                let file = ["x", "y"][below(2) as usize];
                let rule = rules[below(4) as usize];
                let start = below(40);
                let loc = at(file, start, start + below(10));
                diagnostics.push(Diagnostic::new(
                    rule,
                    Severity::Warning,
                    "m",
                    &loc,
                    format!("{start}"),
                ));
            }
            let mut suppressions = Vec::new();
            for _ in 0..below(6) {
                let file = ["x", "y"][below(2) as usize];
                let named = (0..1 + below(2))
                    .map(|_| rules[below(4) as usize].to_string())
                    .collect();
                let start = below(40) as usize;
                let scope = match below(5) {
                    0 => None,
                    _ => Some(Span::new(start, start + below(25) as usize)),
                };
                suppressions.push(Suppression {
                    file: file.to_string(),
                    rules: named,
                    reason: None,
                    scope,
                    comment: at(file, 100 + start as u32, 110),
                });
            }
            let kept: Vec<String> = diagnostics
                .iter()
                .filter(|d| !suppressions.iter().any(|s| matches(s, d)))
                .map(|d| format!("{}:{:?}:{}", d.file, d.range, d.rule))
                .collect();
            let unused: Vec<String> = suppressions
                .iter()
                .filter(|s| !diagnostics.iter().any(|d| matches(s, d)))
                .map(|s| format!("{}:{:?}", s.file, s.comment.range))
                .collect();
            let before = diagnostics.len();
            let suppressed = apply(&mut diagnostics, suppressions, &config);
            assert_eq!(suppressed, before - kept.len());
            let (got_kept, got_unused): (Vec<_>, Vec<_>) =
                diagnostics.iter().partition(|d| d.range.start.offset < 100);
            let got_kept: Vec<String> = got_kept
                .iter()
                .map(|d| format!("{}:{:?}:{}", d.file, d.range, d.rule))
                .collect();
            let got_unused: Vec<String> = got_unused
                .iter()
                .map(|d| format!("{}:{:?}", d.file, d.range))
                .collect();
            assert_eq!(got_kept, kept);
            assert_eq!(got_unused, unused);
            checked.0 += before;
            checked.1 += unused.len();
        }
        // Enough findings and unused suppressions for the comparison to mean something.
        assert!(checked.0 > 5_000 && checked.1 > 1_000, "{checked:?}");
    }
}
