//! `silt access` output: pure renderers of an [`AccessReport`] (human, JSON version 1, Markdown).

use super::escape_text;
use super::markdown::cell;
use crate::access::{AccessGrant, AccessReport, AccessUser, Hop};

/// JSON, version 1 (schema in the README).
pub fn json(report: &AccessReport) -> String {
    let mut s =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

fn who(u: &AccessUser) -> String {
    match &u.username {
        Some(n) => n.clone(),
        None => format!("users on profile {}", u.profile.as_deref().unwrap_or("?")),
    }
}

fn describe(u: &AccessUser) -> String {
    let mut parts = Vec::new();
    if let Some(p) = &u.profile {
        if u.username.is_some() {
            parts.push(format!("profile {p}"));
        }
    }
    parts.push(format!(
        "license {}",
        u.license.as_deref().unwrap_or("unknown")
    ));
    if u.integration {
        parts.push("integration".into());
    }
    if !u.active {
        parts.push("inactive".into());
    }
    if !u.run_as.is_empty() {
        parts.push(format!("run-as user of {}", u.run_as.join(", ")));
    }
    parts.join(" · ")
}

fn hop_text(h: &Hop) -> String {
    format!("{} {} ({}:{})", h.kind, h.name, h.file, h.line)
}

fn grant_name(g: &AccessGrant) -> String {
    match &g.access {
        Some(a) => format!("{} {a}", g.permission),
        None => g.permission.clone(),
    }
}

fn chain(g: &AccessGrant) -> String {
    let mut s = g.via.iter().map(hop_text).collect::<Vec<_>>().join(" › ");
    if let Some(a) = &g.assigned_at {
        s = format!("assigned at {}:{} › {s}", a.file, a.line);
    }
    s
}

fn title(report: &AccessReport) -> String {
    let q = &report.query;
    if let Some(u) = &q.user {
        format!("effective access of {u}")
    } else if let Some(p) = &q.permission {
        format!("who holds {p}")
    } else if let Some(o) = &q.object {
        match &q.access {
            Some(a) => format!("who has {a} on {o}"),
            None => format!("who has access to {o}"),
        }
    } else {
        "integration users and what they hold".into()
    }
}

/// Human-readable text: one block per user, each grant with its chain.
pub fn human(report: &AccessReport) -> String {
    let mut s = format!("silt access: {}\n", escape_text(&title(report)));
    if report.users.is_empty() {
        s.push_str(if report.query.user.is_some() {
            "\nno such user or profile in the project's user data and metadata\n"
        } else {
            "\nnobody\n"
        });
        return s;
    }
    let summary = report.query.is_summary();
    for u in &report.users {
        s.push_str(&format!(
            "\n{} ({})\n",
            escape_text(&who(u)),
            escape_text(&describe(u))
        ));
        if summary {
            if u.tiers.is_empty() {
                s.push_str("  no admin-level user permission\n");
            }
            for t in &u.tiers {
                s.push_str(&format!(
                    "  tier {}: {}\n",
                    t.tier,
                    escape_text(&t.permissions.join(", "))
                ));
            }
            let objects: Vec<String> = u
                .grants
                .iter()
                .filter(|g| g.kind == "objectPermission" && !g.muted)
                .map(grant_name)
                .collect();
            if !objects.is_empty() {
                s.push_str(&format!(
                    "  object admin access: {}\n",
                    escape_text(&objects.join(", "))
                ));
            }
            continue;
        }
        if u.grants.is_empty() {
            s.push_str("  nothing granted\n");
        }
        for g in &u.grants {
            let tier = g.tier.map(|t| format!(" (tier {t})")).unwrap_or_default();
            let muted = match &g.muted_by {
                Some(m) => format!("  MUTED by {}", hop_text(m)),
                None => String::new(),
            };
            s.push_str(&format!(
                "  {} [{}]{tier}{}\n      via {}\n",
                escape_text(&grant_name(g)),
                g.kind,
                escape_text(&muted),
                escape_text(&chain(g))
            ));
        }
    }
    s
}

/// Markdown: one table per user (for CI job pages and issues).
pub fn markdown(report: &AccessReport) -> String {
    let mut s = format!("## silt access: {}\n", cell(&title(report)));
    if report.users.is_empty() {
        s.push_str("\nNobody.\n");
        return s;
    }
    if report.query.is_summary() {
        s.push_str("\n| user | profile | license | tier 0 | tier 1 | tier 2 |\n|---|---|---|---|---|---|\n");
        for u in &report.users {
            let tier = |n: u8| {
                u.tiers
                    .iter()
                    .find(|t| t.tier == n)
                    .map(|t| cell(&t.permissions.join(", ")))
                    .unwrap_or_default()
            };
            s.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                cell(&who(u)),
                cell(u.profile.as_deref().unwrap_or("")),
                cell(u.license.as_deref().unwrap_or("")),
                tier(0),
                tier(1),
                tier(2)
            ));
        }
        return s;
    }
    for u in &report.users {
        s.push_str(&format!(
            "\n### {}\n\n{}\n\n| grant | kind | muted by | via |\n|---|---|---|---|\n",
            cell(&who(u)),
            cell(&describe(u))
        ));
        for g in &u.grants {
            s.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                cell(&grant_name(g)),
                g.kind,
                g.muted_by
                    .as_ref()
                    .map(|m| cell(&hop_text(m)))
                    .unwrap_or_default(),
                cell(&chain(g))
            ));
        }
    }
    s
}
