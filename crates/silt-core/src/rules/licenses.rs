//! License rules: integration-license-name (near-miss spellings), integration-license-capacity (seats).

use super::{replace_fix, Ctx};
use crate::model::{PermKind, Val};

pub fn check(cx: &mut Ctx) {
    let org = cx.org;
    let mut values: Vec<(&Val, bool, &str)> = Vec::new();
    for p in org.profiles.iter().copied() {
        if let Some(l) = &p.license {
            values.push((l, true, &p.name));
        }
    }
    for p in org
        .permission_sets
        .iter()
        .filter(|p| p.kind != PermKind::Profile)
    {
        if let Some(l) = &p.license {
            values.push((l, false, &p.name));
        }
    }
    for (v, is_profile, owner) in values {
        if let Some(canonical) = near_miss(cx, &v.value, is_profile) {
            cx.emit(
                crate::rules::names::INTEGRATION_LICENSE_NAME,
                format!(
                    "`{}` is not a license name; did you mean `{canonical}`? (in `{owner}`)",
                    v.value
                ),
                &v.at,
                "license".into(),
            )
            .fix = replace_fix(format!("replace with `{canonical}`"), v, &canonical);
        }
    }
    capacity(cx);
}

/// The canonical name `value` nearly matches (case, spacing, one or two typos), if it is not exact.
pub fn near_miss(cx: &Ctx, value: &str, is_profile: bool) -> Option<String> {
    let lic = &cx.org.registry.licenses;
    let candidates = lic
        .canonical
        .iter()
        .filter(|c| !is_profile || **c == lic.integration_user_license);
    let squash = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase()
    };
    let v = squash(value);
    if v.is_empty() {
        return None;
    }
    let mut best: Option<(usize, &String)> = None;
    for c in candidates {
        if value == c {
            return None;
        }
        let d = if squash(c) == v {
            0
        } else {
            strsim::damerau_levenshtein(&v, &squash(c))
        };
        if d <= 2 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    // Exact (case-insensitive, whitespace-normalised) matches of *another* canonical name are fine.
    if lic.canonical.iter().any(|c| c == value) {
        return None;
    }
    best.map(|(_, c)| c.clone())
}

fn capacity(cx: &mut Ctx) {
    let org = cx.org;
    let summary = org.license_summary(cx.config);
    let Some(free) = summary.free_seats else {
        return;
    };
    if summary.add_on_seats_needed == 0 {
        return;
    }
    let allowed = (free + summary.purchased_seats) as usize;
    let active: Vec<_> = org
        .integration_users()
        .map(|(_, u)| u)
        .filter(|u| u.active)
        .collect();
    let edition = summary.edition.clone().unwrap_or_default();
    let money = |v: f64| {
        if summary.currency == "USD" {
            format!("${v:.2}")
        } else {
            format!("{v:.2} {}", summary.currency)
        }
    };
    let message = format!(
        "{} active Salesforce Integration users exceed the {} seat{} of this org ({} free in {} edition + {} purchased): {} add-on seat{} needed, {} per month at {}/user/month",
        active.len(),
        allowed,
        if allowed == 1 { "" } else { "s" },
        free,
        edition,
        summary.purchased_seats,
        summary.add_on_seats_needed,
        if summary.add_on_seats_needed == 1 { "" } else { "s" },
        money(summary.monthly_cost),
        money(summary.price_per_seat_month),
    );
    // Point at the first user beyond the allotment; relate the edition.
    let Some(first_extra) = active.get(allowed).and_then(|u| u.at()) else {
        return;
    };
    let edition_at = org.edition.map(|e| e.at.clone());
    let d = cx.emit(
        crate::rules::names::INTEGRATION_LICENSE_CAPACITY,
        message,
        first_extra,
        "capacity".into(),
    );
    if let Some(e) = edition_at {
        d.related.push(crate::diagnostic::Related {
            file: e.file.to_string(),
            range: e.range,
            message: format!("edition {edition}"),
        });
    }
}
