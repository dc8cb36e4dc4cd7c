//! `--format markdown`: a short summary for CI pages (e.g. `$GITHUB_STEP_SUMMARY`): errors and warnings by
//! rule (errors first), one line per rule with notes (`11 notes: `rule` on 11 profiles`), and the license
//! summary.

use super::frame::note_groups;
use super::{escape_text, Report};
use crate::diagnostic::Severity;
use std::cmp::Reverse;
use std::collections::BTreeMap;

pub fn render(report: &Report) -> String {
    let s = &report.summary;
    let mut out = String::from("## silt: Salesforce Integration license check\n\n");
    out.push_str(&format!(
        "**{} errors, {} warnings, {} notes** in {} files{}{}\n\n",
        s.errors,
        s.warnings,
        s.notes,
        s.files,
        if s.suppressed > 0 {
            format!(" · {} suppressed", s.suppressed)
        } else {
            String::new()
        },
        if s.baselined > 0 {
            format!(" · {} in baseline", s.baselined)
        } else {
            String::new()
        },
    ));
    // Errors and warnings by rule, errors first; then one line per rule with notes.
    let mut by_rule: BTreeMap<(Reverse<Severity>, &str), usize> = BTreeMap::new();
    for d in report
        .diagnostics
        .iter()
        .filter(|d| d.severity > Severity::Note)
    {
        *by_rule.entry((Reverse(d.severity), &d.rule)).or_default() += 1;
    }
    if !by_rule.is_empty() {
        out.push_str("| rule | severity | findings |\n|---|---|---|\n");
        for ((Reverse(sev), rule), n) in by_rule {
            out.push_str(&format!("| {} | {sev} | {n} |\n", code(rule)));
        }
        out.push('\n');
    }
    let notes = note_groups(&report.diagnostics, 1);
    if !notes.is_empty() {
        for g in &notes {
            out.push_str(&format!("- {}\n", g.line(code)));
        }
        out.push('\n');
    }
    let l = &s.license;
    let money = |v: f64| {
        if l.currency == "USD" {
            format!("${v:.2}")
        } else {
            format!("{v:.2} {}", cell(&l.currency))
        }
    };
    out.push_str("### Salesforce Integration licenses\n\n| | |\n|---|---|\n");
    out.push_str(&format!(
        "| integration users (active) | {} ({}) |\n",
        l.integration_users.len(),
        l.active_integration_users
    ));
    out.push_str(&format!(
        "| edition | {} |\n",
        cell(l.edition.as_deref().unwrap_or("unknown"))
    ));
    out.push_str(&format!(
        "| free seats | {} |\n",
        l.free_seats
            .map(|f| f.to_string())
            .unwrap_or_else(|| "unknown".into())
    ));
    out.push_str(&format!("| purchased seats | {} |\n", l.purchased_seats));
    out.push_str(&format!(
        "| add-on seats needed | {} |\n",
        l.add_on_seats_needed
    ));
    out.push_str(&format!(
        "| monthly cost of add-ons | {} |\n",
        money(l.monthly_cost)
    ));
    out
}

/// Text in a table cell: control characters escaped ([`escape_text`]), then every character Markdown
/// could read as syntax (`|` ends the cell) backslash-escaped.
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in escape_text(s).chars() {
        if "\\`*_[]<>|~&!#".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A code span holding `s` whatever it contains: fenced by more backticks than its longest run, in a
/// table cell (`|` escaped, which GitHub also honours inside code spans).
pub fn code(s: &str) -> String {
    let s = escape_text(s).replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Location, Severity};

    #[test]
    fn counts_by_rule_and_license_table() {
        let at = Location {
            file: "a.profile".into(),
            range: Default::default(),
        };
        let d = |r: &str| Diagnostic::new(r, Severity::Warning, "m", &at, r);
        let mut lic = super::super::LicenseSummary {
            edition: Some("Developer".into()),
            free_seats: Some(1),
            add_on_seats_needed: 2,
            monthly_cost: 20.0,
            currency: "USD".into(),
            ..Default::default()
        };
        lic.integration_users = vec!["a".into(), "b".into(), "c".into()];
        lic.active_integration_users = 3;
        let r = Report::new(vec![d("x"), d("x"), d("y")], 4, 1, lic);
        let md = render(&r);
        assert!(md.contains("| `x` | warning | 2 |"), "{md}");
        assert!(md.contains("| `y` | warning | 1 |"), "{md}");
        assert!(
            md.contains("**0 errors, 3 warnings, 0 notes** in 4 files · 1 suppressed"),
            "{md}"
        );
        assert!(md.contains("| monthly cost of add-ons | $20.00 |"), "{md}");
        assert!(
            md.contains("| integration users (active) | 3 (3) |"),
            "{md}"
        );
    }
}
