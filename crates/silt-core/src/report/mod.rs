//! The report and its formatters: pure functions of `(Report, sources)`.

use crate::diagnostic::{Diagnostic, Severity};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

pub mod access;
pub mod diff;
mod frame;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Junit,
    Github,
    /// A Markdown summary (findings by rule, license summary) for CI job pages.
    Markdown,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Github,
        Format::Markdown,
    ];
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s.to_ascii_lowercase().as_str() {
            "human" | "text" => Format::Human,
            "json" => Format::Json,
            "sarif" => Format::Sarif,
            "junit" => Format::Junit,
            "github" => Format::Github,
            "markdown" | "md" => Format::Markdown,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Github => "github",
            Format::Markdown => "markdown",
        }
    }
}

/// Options for rendering.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// ANSI colours (human format only). Hosts decide (TTY, NO_COLOR).
    pub color: bool,
    /// Human format: only the counts and the license summary.
    pub quiet: bool,
}

/// Render a report. `source` returns a file's text (for code frames) when the host has it.
pub fn render(
    report: &Report,
    format: Format,
    source: &dyn Fn(&str) -> Option<String>,
    opts: RenderOptions,
) -> String {
    match format {
        Format::Human => human::render(report, source, opts.color, opts.quiet),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Junit => junit::render(report),
        Format::Github => github::render(report),
        Format::Markdown => markdown::render(report),
    }
}

/// Characters that must not reach line-oriented output raw: control characters (newlines and tabs
/// included), the Unicode line and paragraph separators, and the bidirectional overrides.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text that came from a file, a file name, a baseline or a configuration (messages, names, paths),
/// made safe for the human, github and markdown formats and for stderr: each character of
/// [`needs_escape`] becomes a visible escape (`\n`, `\r`, `\t`, else `\u{1b}`), so such text never
/// starts a line of its own and never carries a raw control character. The one escaper every
/// formatter and host uses.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Integration license usage, carried by every output.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LicenseSummary {
    /// Org edition, from silt.toml `[org] edition` or the scratch definition; `None` if unknown.
    pub edition: Option<String>,
    /// Usernames (or user-def file paths for users without one) of integration users found.
    pub integration_users: Vec<String>,
    pub active_integration_users: u32,
    /// Free seats of the edition (`None` when the edition is unknown).
    pub free_seats: Option<u32>,
    pub purchased_seats: u32,
    /// Add-on seats still needed beyond free + purchased.
    pub add_on_seats_needed: u32,
    pub price_per_seat_month: f64,
    pub currency: String,
    /// add_on_seats_needed × price.
    pub monthly_cost: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Files silt read as metadata or user data.
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    /// Findings silenced by `silt-ignore` comments.
    pub suppressed: usize,
    /// Findings hidden by a baseline.
    #[serde(default)]
    pub baselined: usize,
    /// Findings with a mechanical fix.
    pub fixable: usize,
    pub license: LicenseSummary,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Tool {
    pub name: String,
    pub version: String,
}

/// The result of a lint run: versioned, documented in the README (`--format json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Report {
    pub version: u32,
    pub tool: Tool,
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
}

impl Report {
    pub fn new(
        diagnostics: Vec<Diagnostic>,
        files: usize,
        suppressed: usize,
        license: LicenseSummary,
    ) -> Report {
        let mut r = Report {
            version: 1,
            tool: Tool {
                name: "silt".into(),
                version: crate::VERSION.into(),
            },
            diagnostics,
            summary: Summary {
                files,
                suppressed,
                license,
                ..Default::default()
            },
        };
        r.recount();
        r
    }

    /// Recompute the counts after diagnostics were removed (e.g. by a baseline).
    pub fn recount(&mut self) {
        let count = |s: Severity| self.diagnostics.iter().filter(|d| d.severity == s).count();
        self.summary.errors = count(Severity::Error);
        self.summary.warnings = count(Severity::Warning);
        self.summary.notes = count(Severity::Note);
        self.summary.fixable = self.diagnostics.iter().filter(|d| d.fix.is_some()).count();
    }

    /// The highest severity present.
    pub fn max_severity(&self) -> Option<Severity> {
        self.diagnostics.iter().map(|d| d.severity).max()
    }

    /// Whether any finding is at or above `level` (exit code 1).
    pub fn fails(&self, level: Severity) -> bool {
        self.max_severity().is_some_and(|s| s >= level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_text_makes_controls_visible() {
        assert!(matches!(
            escape_text("Accès d'équipe 営業"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            escape_text("a\n::error file=x::forged\r\tb\u{1b}[2J\u{7}\u{85}\u{2028}\u{202e}c"),
            "a\\n::error file=x::forged\\r\\tb\\u{1b}[2J\\u{7}\\u{85}\\u{2028}\\u{202e}c"
        );
    }

    /// Every piece of a report that comes from files, names or the configuration carries a forged
    /// line; no format lets it start a line or carry a raw control character.
    #[test]
    fn report_no_format_lets_content_forge_a_line() {
        const FORGED: &str = "\n::error file=x::forged\r\n| forged | row |\u{1b}[2J";
        let file = format!("profiles/a{FORGED}.profile-meta.xml");
        let at = crate::diagnostic::Location {
            file: file.as_str().into(),
            range: Default::default(),
        };
        let d = Diagnostic::new(
            "parse-error",
            Severity::Error,
            format!("m{FORGED}"),
            &at,
            "",
        )
        .with_related(&at, format!("r{FORGED}"))
        .with_fix(Some(crate::diagnostic::Fix {
            description: format!("f{FORGED}"),
            edits: Vec::new(),
        }));
        let license = LicenseSummary {
            edition: Some(format!("e{FORGED}")),
            integration_users: vec![format!("u{FORGED}")],
            currency: format!("c{FORGED}"),
            add_on_seats_needed: 1,
            ..Default::default()
        };
        let report = Report::new(vec![d], 1, 0, license);
        let source = |_: &str| Some(format!("<a>{FORGED}</a>"));
        for format in [Format::Human, Format::Github, Format::Markdown] {
            let out = render(&report, format, &source, RenderOptions::default());
            for line in out.lines() {
                assert!(
                    !line.starts_with("::error file=x") && !line.starts_with("| forged"),
                    "{format:?} forged a line: {line:?}\n{out}"
                );
                assert!(
                    !line.chars().any(needs_escape),
                    "{format:?} has a raw control character: {line:?}"
                );
            }
            assert!(out.contains("forged"), "{format:?} dropped the text: {out}");
        }
    }
}
