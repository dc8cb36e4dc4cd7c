//! `--format github`: GitHub Actions workflow commands (annotations on the PR diff).
//!
//! `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=silt(rule)::message`
//!
//! GitHub shows at most 10 annotations of each type per step, so errors come first, then warnings,
//! then notices (report order within a level), at most [`MAX_PER_LEVEL`] of each; a plain line says how
//! many were left out, and a summary line ends the output. Use SARIF for the full set.

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::report::escape_text;
use crate::report::frame::{counts_line, monthly_cost};
use std::fmt::Write as _;

/// Annotations GitHub displays per type and step.
pub const MAX_PER_LEVEL: usize = 10;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let cut = annotations(&mut out, &report.diagnostics);
    if cut > 0 {
        let _ = writeln!(
            out,
            "silt: {cut} more {} not shown as annotations (see the full report)",
            if cut == 1 { "finding" } else { "findings" }
        );
    }
    let _ = writeln!(
        out,
        "silt: {}",
        counts_line(&report.summary, report.diagnostics.len())
    );
    let l = &report.summary.license;
    if !l.integration_users.is_empty() || l.add_on_seats_needed > 0 {
        let _ = writeln!(
            out,
            "silt: integration users: {}; add-on seats needed: {}; cost: {}",
            l.integration_users.len(),
            l.add_on_seats_needed,
            escape_data(&monthly_cost(l))
        );
    }
    out
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// The workflow commands of `diagnostics`, most severe first, at most [`MAX_PER_LEVEL`] per
/// severity; returns how many were left out.
pub(crate) fn annotations(out: &mut String, diagnostics: &[Diagnostic]) -> usize {
    let mut cut = 0;
    for sev in [Severity::Error, Severity::Warning, Severity::Note] {
        let all: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.severity == sev).collect();
        for d in all.iter().take(MAX_PER_LEVEL) {
            annotation(out, d);
        }
        cut += all.len().saturating_sub(MAX_PER_LEVEL);
    }
    cut
}

fn annotation(out: &mut String, d: &Diagnostic) {
    let mut props = vec![format!("file={}", escape_property(&escape_text(&d.file)))];
    let r = &d.range;
    if r.start.line > 0 {
        props.push(format!("line={}", r.start.line));
        let single = r.end.line <= r.start.line;
        // Columns only apply to single-line ranges.
        if single {
            props.push(format!("col={}", r.start.column.max(1)));
        }
        props.push(format!("endLine={}", r.end.line.max(r.start.line)));
        if single {
            props.push(format!(
                "endColumn={}",
                r.end.column.max(r.start.column).max(1)
            ));
        }
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("silt({})", escape_text(&d.rule)))
    ));
    // File content is escaped (no raw newline of its own), then the whole command as the toolkit does.
    let mut message = escape_text(&d.message).into_owned();
    for rel in &d.related {
        let _ = write!(
            message,
            "\nnote: {}: {}",
            super::frame::location(&escape_text(&rel.file), &rel.range),
            escape_text(&rel.message)
        );
    }
    if let Some(fix) = &d.fix {
        let _ = write!(
            message,
            "\nhelp: fix available with `silt lint --fix`: {}",
            escape_text(&fix.description)
        );
    }
    let _ = writeln!(
        out,
        "::{} {}::{}",
        command(d.severity),
        props.join(","),
        escape_data(&message)
    );
}

/// Escape a command's data (actions/toolkit `escapeData`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a command property value (actions/toolkit `escapeProperty`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::super::frame::fixtures;
    use super::*;

    #[test]
    fn report_github_exact() {
        let out = render(&fixtures::report());
        let expected = "\
::error file=force-app/main/default/profiles/Integration User.profile-meta.xml,line=5,col=9,endLine=5,endColumn=22,title=silt(integration-excessive-permission)::integration user has ModifyAllData, a, \"b\" & 100%25 <c>%0Anote: users/Int%253AUser 1.json:2:3: assigned to api@acme.com here%0Ahelp: fix available with `silt lint --fix`: disable ModifyAllData
::warning file=force-app/main/default/profiles/Integration User.profile-meta.xml,line=3,endLine=6,title=silt(permission-name-typo)::check this block
::notice file=users/Int%253AUser 1.json,line=2,col=3,endLine=2,endColumn=31,title=silt(custom-rule-x)::line one\\nline two
silt: 1 error, 1 warning, 1 note in 2 files; 1 suppressed; 1 fixable with --fix
silt: integration users: 2; add-on seats needed: 2; cost: $20.00/month (2 × $10.00)
";
        assert_eq!(out, expected);
    }

    #[test]
    fn report_github_escaping() {
        assert_eq!(escape_data("100% a:b,c\r\nd"), "100%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
        let at = fixtures::loc("dir/a,b:c%.xml", "x", "x", 0);
        let d = Diagnostic::new("r:1,2", Severity::Error, "50%: a, b\nc", &at, "");
        let out = render(&Report::new(vec![d], 1, 0, Default::default()));
        assert!(out.starts_with(
            "::error file=dir/a%2Cb%3Ac%25.xml,line=1,col=1,endLine=1,endColumn=2,title=silt(r%3A1%2C2)::50%25: a, b\\nc\n"
        ), "{out}");
        // Unknown position: no line/col properties.
        let d = Diagnostic::new(
            "r",
            Severity::Note,
            "m",
            &crate::diagnostic::Location {
                file: "f".into(),
                range: Default::default(),
            },
            "",
        );
        let out = render(&Report::new(vec![d], 1, 0, Default::default()));
        assert!(
            out.starts_with("::notice file=f,title=silt(r)::m\n"),
            "{out}"
        );
    }

    #[test]
    fn report_github_caps_each_level_at_ten() {
        let text = "x\n".repeat(40);
        let mut diags = Vec::new();
        for i in 0..25 {
            let at = fixtures::loc("a.xml", &text, "x", i);
            let sev = if i % 5 == 0 {
                Severity::Error
            } else if i % 5 < 3 {
                Severity::Note
            } else {
                Severity::Warning
            };
            diags.push(Diagnostic::new(
                "r",
                sev,
                format!("m{i}"),
                &at,
                format!("e{i}"),
            ));
        }
        // 5 errors, 10 warnings, 10 notes… plus 3 more notes and 1 more warning: cut 4.
        for i in 25..29 {
            let at = fixtures::loc("a.xml", &text, "x", i);
            let sev = if i == 25 {
                Severity::Warning
            } else {
                Severity::Note
            };
            diags.push(Diagnostic::new(
                "r",
                sev,
                format!("m{i}"),
                &at,
                format!("e{i}"),
            ));
        }
        let out = render(&Report::new(diags, 1, 0, Default::default()));
        let lines: Vec<&str> = out.lines().collect();
        let count = |p: &str| lines.iter().filter(|l| l.starts_with(p)).count();
        assert_eq!(
            (count("::error "), count("::warning "), count("::notice ")),
            (5, 10, 10)
        );
        // Errors first, then warnings, then notices, report order within a level.
        let kinds: Vec<&str> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("::"))
            .filter_map(|l| l.split(' ').next())
            .collect();
        let mut sorted = kinds.clone();
        sorted.sort_by_key(|k| match *k {
            "error" => 0,
            "warning" => 1,
            _ => 2,
        });
        assert_eq!(kinds, sorted);
        assert!(lines[0].ends_with("::m0") && lines[1].ends_with("::m5"));
        assert!(lines[5].ends_with("::m3"));
        assert!(!out.contains("::m25\n") && !out.contains("::m28\n"));
        assert_eq!(
            lines[25],
            "silt: 4 more findings not shown as annotations (see the full report)"
        );
        assert_eq!(lines[26], "silt: 5 errors, 11 warnings, 13 notes in 1 file");
        assert_eq!(lines.len(), 27);
    }

    #[test]
    fn report_github_clean() {
        let out = render(&Report::new(Vec::new(), 2, 0, Default::default()));
        assert_eq!(out, "silt: No problems found in 2 files.\n");
    }
}
