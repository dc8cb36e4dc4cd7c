//! `silt diff` output: human, JSON (version 1), Markdown (a pull-request comment whose first line is
//! `<!-- silt:diff -->`) and GitHub workflow commands (annotations on the introduced findings on
//! lines the change touched; the other introduced findings as plain lines).

use super::frame::{location, plural};
use super::markdown::{cell, code};
use super::{escape_text, LicenseSummary};
use crate::access::AccessGrant;
use crate::diagnostic::Diagnostic;
use crate::diff::{AppChange, AppSettingChange, DiffReport};
use std::fmt::Write;

/// The Markdown marker a bot looks for to update its comment instead of adding one.
pub const MARKDOWN_MARKER: &str = "<!-- silt:diff -->";

/// The formats `silt diff` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    Human,
    Json,
    Markdown,
    Github,
}

impl DiffFormat {
    pub const ALL: [DiffFormat; 4] = [
        DiffFormat::Human,
        DiffFormat::Json,
        DiffFormat::Markdown,
        DiffFormat::Github,
    ];
    pub fn parse(s: &str) -> Option<DiffFormat> {
        Some(match s.to_ascii_lowercase().as_str() {
            "human" | "text" => DiffFormat::Human,
            "json" => DiffFormat::Json,
            "markdown" | "md" => DiffFormat::Markdown,
            "github" => DiffFormat::Github,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            DiffFormat::Human => "human",
            DiffFormat::Json => "json",
            DiffFormat::Markdown => "markdown",
            DiffFormat::Github => "github",
        }
    }
}

pub fn render(diff: &DiffReport, format: DiffFormat) -> String {
    match format {
        DiffFormat::Human => human(diff),
        DiffFormat::Json => json(diff),
        DiffFormat::Markdown => markdown(diff),
        DiffFormat::Github => github(diff),
    }
}

pub fn json(diff: &DiffReport) -> String {
    let mut s =
        serde_json::to_string_pretty(diff).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

/// `Sync_Group › Sync_Core` (the containers; the granting element's file is in the JSON).
fn chain(g: &AccessGrant) -> String {
    g.via
        .iter()
        .map(|h| h.name.as_str())
        .collect::<Vec<_>>()
        .join(" › ")
}

/// `ManageUsers`, `Account modifyAll`.
fn right(g: &AccessGrant) -> String {
    match &g.access {
        Some(a) => format!("{} {a}", g.permission),
        None => g.permission.clone(),
    }
}

fn setting_text(c: &AppSettingChange) -> String {
    let v = |x: &Option<String>| x.clone().unwrap_or_else(|| "(none)".into());
    match (&c.before, &c.after) {
        (None, Some(a)) if is_list(&c.setting) => format!("{} +{a}", c.setting),
        (Some(b), None) if is_list(&c.setting) => format!("{} -{b}", c.setting),
        (None, Some(a)) if a == "on" || a == "present" => format!("{} {a}", c.setting),
        (Some(b), None) if b == "on" => format!("{} off", c.setting),
        (Some(b), None) if b == "present" => format!("{} removed", c.setting),
        (b, a) => format!("{} {} → {}", c.setting, v(b), v(a)),
    }
}

fn is_list(setting: &str) -> bool {
    matches!(
        setting,
        "scope" | "callbackUrl" | "permissionSet" | "profile"
    )
}

fn app_title(a: &AppChange) -> String {
    let kind = match a.kind.as_str() {
        "ConnectedApp" => "connected app".to_string(),
        "EcaPolicy" => "external client app OAuth policy".to_string(),
        "EcaGlobalOauth" => "external client app global OAuth settings".to_string(),
        "EcaOauth" => "external client app OAuth settings".to_string(),
        k => k.to_string(),
    };
    if a.app != a.name {
        format!("{kind} {} ({})", a.app, a.name)
    } else {
        format!("{kind} {}", a.app)
    }
}

fn money(l: &LicenseSummary, v: f64) -> String {
    if l.currency == "USD" {
        format!("${v:.2}")
    } else {
        format!("{v:.2} {}", l.currency)
    }
}

/// `integration users 2 → 3; add-on seats needed 1 → 2; monthly cost $10.00 → $20.00`, or `None`
/// when nothing changed.
fn license_line(diff: &DiffReport) -> Option<String> {
    let (b, a) = (&diff.license.before, &diff.license.after);
    if b == a {
        return None;
    }
    Some(format!(
        "integration users {} → {}; add-on seats needed {} → {}; monthly cost {} → {}",
        b.active_integration_users,
        a.active_integration_users,
        b.add_on_seats_needed,
        a.add_on_seats_needed,
        money(b, b.monthly_cost),
        money(a, a.monthly_cost)
    ))
}

fn finding_line(d: &Diagnostic) -> String {
    format!(
        "{}[{}] {} {}",
        d.severity.as_str(),
        escape_text(&d.rule),
        location(&escape_text(&d.file), &d.range),
        escape_text(&d.message)
    )
}

/// ` (outside the change)` for an introduced finding on lines the change did not touch.
fn outside(diff: &DiffReport, d: &Diagnostic) -> &'static str {
    if diff.touched(d) {
        ""
    } else {
        " (outside the change)"
    }
}

fn is_empty(diff: &DiffReport) -> bool {
    diff.access.is_empty()
        && diff.apps.is_empty()
        && diff.license.before == diff.license.after
        && diff.findings.introduced.is_empty()
        && diff.findings.fixed.is_empty()
}

pub fn human(diff: &DiffReport) -> String {
    let mut out = format!(
        "silt diff {} → {}\n",
        escape_text(&diff.base),
        escape_text(&diff.head)
    );
    if is_empty(diff) {
        out.push_str("No change to effective access, apps, licenses or findings.\n");
        return out;
    }
    if !diff.access.is_empty() {
        out.push_str("\nEffective access:\n");
        for u in &diff.access {
            let name = escape_text(&u.username);
            match u.status.as_str() {
                "added" => {
                    let _ = writeln!(out, "  {name} (new user)");
                }
                "removed" => {
                    let _ = writeln!(out, "  {name} (user removed)");
                }
                _ => {}
            }
            for (sign, list) in [('+', &u.added), ('-', &u.removed)] {
                for g in list {
                    let _ = writeln!(
                        out,
                        "  {name} {sign}{} via {}",
                        escape_text(&right(g)),
                        escape_text(&chain(g))
                    );
                }
            }
        }
    }
    if !diff.apps.is_empty() {
        out.push_str("\nApps:\n");
        for a in &diff.apps {
            let _ = writeln!(
                out,
                "  {} ({}, {})",
                escape_text(&app_title(a)),
                a.status,
                escape_text(&a.file)
            );
            for c in &a.changes {
                let _ = writeln!(
                    out,
                    "    {}{}",
                    if c.risky { "! " } else { "  " },
                    escape_text(&setting_text(c))
                );
            }
        }
    }
    if let Some(l) = license_line(diff) {
        let _ = writeln!(out, "\nLicense: {}", escape_text(&l));
    }
    let f = &diff.findings;
    if !f.introduced.is_empty() || !f.fixed.is_empty() {
        let _ = writeln!(
            out,
            "\nFindings: {} introduced, {} fixed",
            f.introduced.len(),
            f.fixed.len()
        );
        for d in &f.introduced {
            let _ = writeln!(out, "  + {}{}", finding_line(d), outside(diff, d));
        }
        for d in &f.fixed {
            let _ = writeln!(out, "  - {}", finding_line(d));
        }
    }
    out
}

pub fn markdown(diff: &DiffReport) -> String {
    let mut out = format!("{MARKDOWN_MARKER}\n## silt: what this change does\n\n");
    let _ = writeln!(
        out,
        "Comparing {} → {}.\n",
        code(&diff.base),
        code(&diff.head)
    );
    if is_empty(diff) {
        out.push_str("No change to effective access, apps, licenses or findings.\n");
        return out;
    }
    if !diff.access.is_empty() {
        out.push_str(
            "### Effective access\n\n| user | change | access | via |\n|---|---|---|---|\n",
        );
        for u in &diff.access {
            let mut user = code(&u.username);
            if u.status != "changed" {
                user.push_str(&format!(
                    " ({} user)",
                    if u.status == "added" {
                        "new"
                    } else {
                        "removed"
                    }
                ));
            }
            if u.added.is_empty() && u.removed.is_empty() {
                let _ = writeln!(out, "| {user} |  | (none) |  |");
            }
            for (sign, list) in [("➕ added", &u.added), ("➖ removed", &u.removed)] {
                for g in list {
                    let _ = writeln!(
                        out,
                        "| {user} | {sign} | {} | {} |",
                        code(&right(g)),
                        cell(&chain(g))
                    );
                }
            }
        }
        out.push('\n');
    }
    if !diff.apps.is_empty() {
        out.push_str("### Connected apps and External Client Apps\n\n| app | status | change |\n|---|---|---|\n");
        for a in &diff.apps {
            let changes: Vec<String> = a
                .changes
                .iter()
                .map(|c| {
                    format!(
                        "{}{}",
                        if c.risky { "⚠️ " } else { "" },
                        cell(&setting_text(c))
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(&app_title(a)),
                a.status,
                changes.join("<br>")
            );
        }
        out.push('\n');
    }
    let (b, a) = (&diff.license.before, &diff.license.after);
    if b != a {
        out.push_str("### Integration licenses\n\n| | before | after |\n|---|---|---|\n");
        let _ = writeln!(
            out,
            "| active integration users | {} | {} |",
            b.active_integration_users, a.active_integration_users
        );
        let _ = writeln!(
            out,
            "| add-on seats needed | {} | {} |",
            b.add_on_seats_needed, a.add_on_seats_needed
        );
        let _ = writeln!(
            out,
            "| monthly cost | {} | {} |\n",
            cell(&money(b, b.monthly_cost)),
            cell(&money(a, a.monthly_cost))
        );
    }
    let f = &diff.findings;
    if !f.introduced.is_empty() || !f.fixed.is_empty() {
        let _ = writeln!(
            out,
            "### Findings\n\n**{} introduced, {} fixed**\n",
            f.introduced.len(),
            f.fixed.len()
        );
        if !f.introduced.is_empty() || !f.fixed.is_empty() {
            out.push_str("| | severity | rule | where | message |\n|---|---|---|---|---|\n");
            for (sign, list) in [("introduced", &f.introduced), ("fixed", &f.fixed)] {
                for d in list {
                    let sign = if sign == "introduced" && !diff.touched(d) {
                        "introduced (outside the change)"
                    } else {
                        sign
                    };
                    let _ = writeln!(
                        out,
                        "| {sign} | {} | {} | {} | {} |",
                        d.severity.as_str(),
                        code(&d.rule),
                        code(&location(&d.file, &d.range)),
                        cell(&d.message)
                    );
                }
            }
            out.push('\n');
        }
    }
    out
}

/// Workflow-command annotations on the introduced findings on lines the change touched (see
/// [`DiffReport::touched`]); the other introduced findings as plain lines (no annotation: GitHub
/// would show them on lines the pull request does not change); then one summary line.
pub fn github(diff: &DiffReport) -> String {
    let mut out = String::new();
    let (on, off): (Vec<Diagnostic>, Vec<Diagnostic>) = diff
        .findings
        .introduced
        .iter()
        .cloned()
        .partition(|d| diff.touched(d));
    let cut = super::github::annotations(&mut out, &on);
    if cut > 0 {
        let _ = writeln!(
            out,
            "silt: {cut} more introduced {} not shown as annotations (see the full report)",
            if cut == 1 { "finding" } else { "findings" }
        );
    }
    if !off.is_empty() {
        let _ = writeln!(
            out,
            "silt: {} introduced {} on lines this change did not touch (not annotated):",
            off.len(),
            if off.len() == 1 {
                "finding is"
            } else {
                "findings are"
            }
        );
        for d in &off {
            let _ = writeln!(out, "  {}", finding_line(d));
        }
    }
    let added: usize = diff.access.iter().map(|u| u.added.len()).sum();
    let removed: usize = diff.access.iter().map(|u| u.removed.len()).sum();
    let _ = writeln!(
        out,
        "silt diff: {} introduced, {} fixed; access: {} added, {removed} removed for {}; {} changed",
        plural(diff.findings.introduced.len(), "finding", "findings"),
        diff.findings.fixed.len(),
        plural(added, "grant", "grants"),
        plural(diff.access.len(), "user", "users"),
        plural(diff.apps.len(), "app", "apps"),
    );
    out
}
