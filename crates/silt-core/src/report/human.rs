//! `--format human`: rustc/ruff-style diagnostics with code frames, counts and the license summary.
//!
//! ```text
//! error[integration-excessive-permission]: integration user has ModifyAllData
//!  --> profiles/Integration User.profile-meta.xml:5:9
//!   |
//! 5 |         <name>ModifyAllData</name>
//!   |               ^^^^^^^^^^^^^
//!   = note: users/users.json:2:3: assigned to api@acme.com here
//!   = help: fix available: disable ModifyAllData
//! ```
//!
//! Errors come first, then warnings, then notes. A rule with many notes ([`GROUP_NOTES_AT`] or more) is
//! shown as one line after the other findings:
//!
//! ```text
//! notes grouped by rule (every finding: --format json):
//!   11 notes: integration-profile-no-ip-restriction on 11 profiles
//! ```

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::LineIndex;
use std::collections::HashMap;
use std::fmt::Write as _;

use crate::report::escape_text;
use crate::report::frame::{
    counts_line, frame_line, license_rows, location, note_groups, GROUP_NOTES_AT,
};

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const BLUE: &str = "\x1b[1;34m";

fn severity_style(s: Severity) -> &'static str {
    match s {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Note => "\x1b[1;36m",
    }
}

/// ANSI painter: a no-op when colours are off.
struct Paint {
    on: bool,
}

impl Paint {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.on && !text.is_empty() {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

/// `quiet`: only the counts line and the license summary.
pub fn render(
    report: &Report,
    source: &dyn Fn(&str) -> Option<String>,
    color: bool,
    quiet: bool,
) -> String {
    let p = Paint { on: color };
    let mut out = String::new();
    let mut sources: HashMap<&str, Option<(String, LineIndex)>> = HashMap::new();
    // What matters first: errors, then warnings, then notes (each in file order); a rule with many notes
    // is one line after them.
    let groups = note_groups(&report.diagnostics, GROUP_NOTES_AT);
    let grouped =
        |d: &Diagnostic| d.severity == Severity::Note && groups.iter().any(|g| g.rule == d.rule);
    let mut shown: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| !quiet && !grouped(d))
        .collect();
    shown.sort_by_key(|d| std::cmp::Reverse(d.severity));
    for d in shown {
        let src = sources.entry(d.file.as_str()).or_insert_with(|| {
            source(&d.file).map(|t| {
                let idx = LineIndex::new(&t);
                (t, idx)
            })
        });
        diagnostic(&mut out, d, src.as_ref().map(|(t, i)| (t.as_str(), i)), &p);
        out.push('\n');
    }
    if !quiet && !groups.is_empty() {
        let _ = writeln!(
            out,
            "{} {}",
            p.paint(severity_style(Severity::Note), "notes"),
            p.paint(BOLD, "grouped by rule (every finding: --format json):")
        );
        for g in &groups {
            let _ = writeln!(out, "  {}", g.line(|r| escape_text(r).into_owned()));
        }
        out.push('\n');
    }
    let counts = counts_line(&report.summary, report.diagnostics.len());
    out.push_str(&p.paint(BOLD, &counts));
    out.push_str("\n\n");
    out.push_str(&p.paint(BOLD, "Integration license:"));
    out.push('\n');
    for (label, value) in license_rows(&report.summary.license) {
        let _ = writeln!(out, "  {label}: {value}");
    }
    out
}

fn diagnostic(out: &mut String, d: &Diagnostic, src: Option<(&str, &LineIndex)>, p: &Paint) {
    let sev = severity_style(d.severity);
    let file = escape_text(&d.file);
    let header = format!("{}[{}]", d.severity, escape_text(&d.rule));
    let _ = writeln!(
        out,
        "{}{} {}",
        p.paint(sev, &header),
        p.paint(BOLD, ":"),
        p.paint(BOLD, &escape_text(&d.message))
    );
    let width = d.range.start.line.max(1).to_string().len();
    let pad = " ".repeat(width);
    let _ = writeln!(
        out,
        "{pad}{} {}",
        p.paint(BLUE, "-->"),
        location(&file, &d.range)
    );
    let frame = match src {
        Some((text, idx)) if d.range.start.line > 0 => frame_line(text, idx, &d.range),
        _ => None,
    };
    if let Some(f) = frame {
        let bar = p.paint(BLUE, "|");
        let _ = writeln!(out, "{pad} {bar}");
        let number = p.paint(BLUE, &format!("{:>width$}", f.line));
        let code = f.text.trim_end();
        let _ = writeln!(
            out,
            "{number} {bar}{}{code}",
            if code.is_empty() { "" } else { " " }
        );
        let carets = p.paint(sev, &"^".repeat(f.caret_len));
        let more = if f.continues { " ..." } else { "" };
        let _ = writeln!(
            out,
            "{pad} {bar} {}{carets}{more}",
            " ".repeat(f.caret_start)
        );
    }
    let eq = p.paint(BLUE, "=");
    for r in &d.related {
        let _ = writeln!(
            out,
            "{pad} {eq} {}: {}: {}",
            p.paint(BOLD, "note"),
            location(&escape_text(&r.file), &r.range),
            escape_text(&r.message)
        );
    }
    if let Some(fix) = &d.fix {
        let _ = writeln!(
            out,
            "{pad} {eq} {}: fix available: {}",
            p.paint(BOLD, "help"),
            escape_text(&fix.description)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::frame::fixtures;

    #[test]
    fn report_human_quiet_keeps_counts_and_license_only() {
        let report = fixtures::report();
        let full = render(&report, &fixtures::source, false, false);
        let quiet = render(&report, &fixtures::source, false, true);
        assert!(
            !quiet.contains("-->") && !quiet.contains("error["),
            "{quiet}"
        );
        assert!(
            full.ends_with(&quiet),
            "quiet output is the tail of the full output:\n{quiet}"
        );
        assert!(quiet.contains("Integration license:"));
    }

    #[test]
    fn report_human_exact() {
        let report = fixtures::report();
        let out = render(&report, &fixtures::source, false, false);
        let expected = "\
error[integration-excessive-permission]: integration user has ModifyAllData, a, \"b\" & 100% <c>
 --> force-app/main/default/profiles/Integration User.profile-meta.xml:5:9
  |
5 |         <name>ModifyAllData</name>
  |               ^^^^^^^^^^^^^
  = note: users/Int%3AUser 1.json:2:3: assigned to api@acme.com here
  = help: fix available: disable ModifyAllData

warning[permission-name-typo]: check this block
 --> force-app/main/default/profiles/Integration User.profile-meta.xml:3:2
  |
3 |     <userPermissions>
  |     ^^^^^^^^^^^^^^^^^ ...

note[custom-rule-x]: line one\\nline two
 --> users/Int%3AUser 1.json:2:3

1 error, 1 warning, 1 note in 2 files; 1 suppressed; 1 fixable with --fix

Integration license:
  integration users: 2 (api@acme.com, etl@acme.com)
  edition: Enterprise
  free seats: 5
  purchased seats: 0
  add-on seats needed: 2
  monthly cost: $20.00/month (2 × $10.00)
";
        assert_eq!(out, expected);
    }

    #[test]
    fn report_human_empty_and_unknown_edition() {
        let mut license = fixtures::license();
        license.edition = None;
        license.free_seats = None;
        license.integration_users.clear();
        license.active_integration_users = 0;
        license.add_on_seats_needed = 0;
        license.monthly_cost = 0.0;
        license.currency = "EUR".into();
        let report = Report::new(Vec::new(), 3, 0, license);
        let out = render(&report, &|_| None, false, false);
        let expected = "\
No problems found in 3 files.

Integration license:
  integration users: 0
  edition: unknown edition: set [org] edition in silt.toml or edition in config/project-scratch-def.json
  free seats: unknown
  purchased seats: 0
  add-on seats needed: 0
  monthly cost: EUR 0.00/month
";
        assert_eq!(out, expected);
    }

    #[test]
    fn report_human_color_and_wide_gutter() {
        let text = format!("{}é\t<x>\n", "\n".repeat(120));
        let at = fixtures::loc("a.xml", &text, "<x>", 0);
        let d = Diagnostic::new("r", Severity::Warning, "m", &at, "");
        let report = Report::new(vec![d], 1, 0, fixtures::license());
        let src = |_: &str| Some(text.clone());
        let plain = render(&report, &src, false, false);
        assert!(
            plain.starts_with(
                "warning[r]: m\n   --> a.xml:121:3\n    |\n121 | é    <x>\n    |      ^^^\n"
            ),
            "{plain}"
        );
        let colored = render(&report, &src, true, false);
        assert!(
            colored.starts_with("\x1b[1;33mwarning[r]\x1b[0m\x1b[1m:\x1b[0m \x1b[1mm\x1b[0m\n"),
            "{colored:?}"
        );
        assert!(colored.contains("\x1b[1;33m^^^\x1b[0m"));
        assert!(!plain.contains('\x1b'));
    }

    #[test]
    fn report_human_escapes_terminal_controls() {
        let text = "<a>\u{1b}]0;pwn\u{7}</a>";
        let at = fixtures::loc("a.xml", text, "<a>", 0);
        let d = Diagnostic::new("r", Severity::Error, "bad \u{1b}[2J", &at, "");
        let report = Report::new(vec![d], 1, 0, fixtures::license());
        let out = render(&report, &|_| Some(text.to_string()), false, false);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    }
}
