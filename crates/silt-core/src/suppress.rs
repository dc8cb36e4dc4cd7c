//! Inline suppressions in XML comments:
//! `<!-- silt-ignore rule-a, rule-b: reason -->` silences those rules on the next element (with its
//! children); `<!-- silt-ignore-file rule: reason -->` on the whole file. `all` matches every rule.

use crate::config::{Config, Level};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::source::Span;
use crate::xml::{Document, NONE};
use crate::FileCtx;

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
    fn matches(&self, d: &Diagnostic) -> bool {
        d.file == self.file
            && self.rules.iter().any(|r| r == &d.rule || r == "all")
            && d.rule != "parse-error"
            && self
                .scope
                .is_none_or(|s| s.start <= d.range.start.offset && d.range.end.offset <= s.end)
    }
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
pub fn apply(
    diagnostics: &mut Vec<Diagnostic>,
    suppressions: Vec<Suppression>,
    config: &Config,
) -> usize {
    let mut used = vec![false; suppressions.len()];
    let before = diagnostics.len();
    diagnostics.retain(|d| {
        let mut hit = false;
        for (i, s) in suppressions.iter().enumerate() {
            if s.matches(d) {
                used[i] = true;
                hit = true;
            }
        }
        !hit
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
