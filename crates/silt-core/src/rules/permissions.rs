//! Permission set rules: integration-permset-license-mismatch, integration-user-missing-psl,
//! integration-excessive-permission, permission-name-typo, psl-permset-in-package.

use super::reach::{granting_holders, holders_related, integration_holders};
use super::{replace_fix, Ctx};
use crate::access::{Holder, Right};
use crate::diagnostic::Related;
use crate::model::{PermKind, PermissionContainer};
use crate::org::{norm, norm_eq};
use std::collections::BTreeSet;

pub fn check(cx: &mut Ctx) {
    typos(cx);
    let org = cx.org;
    let all = org.grants();
    grants(cx, &all);
    excessive(cx, &all);
    in_package(cx);
}

fn all_containers<'x>(cx: &'x Ctx) -> impl Iterator<Item = &'x PermissionContainer> {
    cx.org
        .profiles
        .iter()
        .copied()
        .chain(cx.org.permission_sets.iter())
}

fn typos(cx: &mut Ctx) {
    let reg = cx.org.registry;
    let mut found = Vec::new();
    for p in all_containers(cx) {
        for perm in &p.user_permissions {
            let n = &perm.name.value;
            if let Some(t) = reg
                .typos
                .iter()
                .find(|t| t.wrong.eq_ignore_ascii_case(n) && t.right != *n)
            {
                found.push((perm.name.clone(), t.right.clone(), p.name.clone()));
            }
        }
    }
    for (v, right, owner) in found {
        cx.emit(
            crate::rules::names::PERMISSION_NAME_TYPO,
            format!("unknown user permission `{}` in `{owner}` (the deploy fails with \"Unknown user permission: {}\"); the API name is `{right}`", v.value, v.value),
            &v.at,
            format!("userPermissions[{}]", v.value),
        )
        .fix = replace_fix(format!("rename to `{right}`"), &v, &right);
    }
}

fn is_compatible(cx: &Ctx, license: &str) -> bool {
    license.trim().is_empty()
        || cx
            .org
            .registry
            .licenses
            .integration_compatible
            .iter()
            .any(|c| norm_eq(c, license))
}

pub fn is_integration_psl(cx: &Ctx, license: &str) -> bool {
    let l = &cx.org.registry.licenses;
    norm_eq(license, &l.integration_psl) || norm_eq(license, &l.integration_psl_label)
}

fn grants(cx: &mut Ctx, all: &[crate::org::Grant]) {
    let org = cx.org;
    let mut found = Vec::new();
    for g in all {
        let user = &org.users[g.user];
        let Some(lic) = &g.permission_set.license else {
            continue;
        };
        if org.is_integration_user(user) && !is_compatible(cx, &lic.value) {
            found.push((
                crate::rules::names::INTEGRATION_PERMSET_LICENSE_MISMATCH,
                format!(
                    "integration user `{}` gets permission set `{}` {}, but its license `{}` is not available to Salesforce Integration users: the org rejects the assignment",
                    user.name, g.permission_set.name, g.how, lic.value
                ),
                g.via.at.clone(),
                lic.at.clone(),
                format!("license of {}", g.permission_set.name),
                format!("grant[{}->{}]", user.name, g.permission_set.name),
            ));
        }
        if is_integration_psl(cx, &lic.value) {
            let assigned = user
                .permission_set_licenses
                .iter()
                .any(|p| is_integration_psl(cx, &p.value));
            if !assigned {
                found.push((
                    crate::rules::names::INTEGRATION_USER_MISSING_PSL,
                    format!(
                        "user `{}` gets permission set `{}` (license `{}`) but nothing assigns them the `{}` permission set license; assign it first: sf org assign permsetlicense --name {} --on-behalf-of {}",
                        user.name, g.permission_set.name, lic.value, org.registry.licenses.integration_psl_label, org.registry.licenses.integration_psl,
                        if user.records.iter().any(|r| r.username.is_some()) { user.name.as_str() } else { "<username>" }
                    ),
                    g.via.at.clone(),
                    lic.at.clone(),
                    format!("license of {}", g.permission_set.name),
                    format!("psl[{}->{}]", user.name, g.permission_set.name),
                ));
            }
        }
    }
    for (rule, message, at, rel, rel_msg, element) in found {
        let d = cx.emit(rule, message, &at, element);
        d.related.push(Related {
            file: rel.file.to_string(),
            range: rel.range,
            message: rel_msg,
        });
    }
}

/// Admin-level rights on integration profiles and integration-reachable permission sets, judged on
/// effective access: a right every route mutes is not reported, and findings carry the chains that
/// bring it to integration users.
fn excessive(cx: &mut Ctx, all: &[crate::org::Grant]) {
    let org = cx.org;
    let reg = org.registry;
    let mut reach: BTreeSet<String> = BTreeSet::new();
    for g in all {
        if org.is_integration_user(&org.users[g.user]) {
            reach.insert(g.permission_set.name.clone());
        }
    }
    // (container, how it is named, in scope whatever reaches it: an integration profile, an
    // integration-licensed or configured permission set)
    let mut targets: Vec<(Holder, &PermissionContainer, String, bool)> = Vec::new();
    for (h, p) in granting_holders(org) {
        let scoped = match p.kind {
            PermKind::Profile => {
                if !p
                    .license
                    .as_ref()
                    .is_some_and(|l| org.is_integration_license(&l.value))
                {
                    continue;
                }
                targets.push((h, p, format!("integration profile `{}`", p.name), true));
                continue;
            }
            _ => {
                p.license
                    .as_ref()
                    .is_some_and(|l| !norm(&l.value).is_empty() && is_compatible(cx, &l.value))
                    || cx
                        .config
                        .is_integration_permission_set(&p.name, p.label_or_name())
            }
        };
        if scoped || reach.contains(&p.name) {
            targets.push((
                h,
                p,
                format!("integration permission set `{}`", p.name),
                scoped,
            ));
        }
    }
    // Reported when an integration principal holds it, or (in scope by itself) unless muted everywhere.
    let live = |h: Holder, scoped: bool, right: Right| {
        let holders = integration_holders(org, h, right);
        let report =
            !holders.is_empty() || (scoped && org.access.muted_everywhere(org, h, right).is_none());
        report.then_some(holders)
    };
    let mut found = Vec::new();
    for (h, p, what, scoped) in targets {
        for perm in p.user_permissions.iter().filter(|perm| perm.is_enabled()) {
            let Some(tier) = reg.dangerous_tier(&perm.name.value) else {
                continue;
            };
            let Some(holders) = live(h, scoped, Right::User(&perm.name.value)) else {
                continue;
            };
            found.push((
                tier.severity,
                format!("{what} grants {} (tier {} admin-level permission): integration users should have least privilege", perm.name.value, tier.tier),
                perm.name.at.clone(),
                format!("userPermissions[{}]", perm.name.value),
                holders_related(org, &holders),
            ));
        }
        let mut related = Vec::new();
        let objs: Vec<_> = p
            .object_permissions
            .iter()
            .filter(|o| {
                let mut any = false;
                for f in &o.flags {
                    let bit = if f.value == "modifyAllRecords" {
                        1 << 5
                    } else {
                        1 << 4
                    };
                    if let Some(holders) = live(h, scoped, Right::Object(&o.object, bit)) {
                        if related.is_empty() {
                            related = holders_related(org, &holders);
                        }
                        any = true;
                    }
                }
                any
            })
            .collect();
        if let Some(first) = objs.first() {
            let names: Vec<String> = objs
                .iter()
                .take(5)
                .map(|o| {
                    format!(
                        "{} ({})",
                        o.object,
                        o.flags
                            .iter()
                            .map(|f| f.value.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
                .collect();
            let more = if objs.len() > 5 {
                format!(" and {} more", objs.len() - 5)
            } else {
                String::new()
            };
            found.push((
                reg.default_severity(crate::rules::names::INTEGRATION_EXCESSIVE_PERMISSION),
                format!(
                    "{what} grants modifyAllRecords/viewAllRecords on {} object{}: {}{more}",
                    objs.len(),
                    if objs.len() == 1 { "" } else { "s" },
                    names.join("; ")
                ),
                first
                    .flags
                    .first()
                    .map(|f| f.at.clone())
                    .unwrap_or_else(|| first.element.clone()),
                "objectPermissions[viewAll/modifyAll]".to_string(),
                related,
            ));
        }
    }
    for (sev, message, at, element, related) in found {
        cx.emit_with(
            crate::rules::names::INTEGRATION_EXCESSIVE_PERMISSION,
            sev,
            message,
            &at,
            element,
        )
        .related = related;
    }
}

/// Permission sets constrained by a permission set license cannot be packaged.
fn in_package(cx: &mut Ctx) {
    let org = cx.org;
    let Some(project) = org.project else { return };
    let packaged: Vec<(&str, &str)> = project
        .package_directories
        .iter()
        .filter_map(|d| {
            d.package
                .as_deref()
                .map(|p| (d.path.trim_end_matches('/').trim_start_matches("./"), p))
        })
        .collect();
    let mut found = Vec::new();
    for p in org
        .permission_sets
        .iter()
        .filter(|p| p.kind == PermKind::PermissionSet)
    {
        let Some(lic) = &p.license else { continue };
        if !is_psl(cx, &lic.value) {
            continue;
        }
        if let Some((dir, pkg)) = packaged
            .iter()
            .find(|(dir, _)| lic.at.file.starts_with(&format!("{dir}/")))
        {
            found.push((
                format!(
                    "permission set `{}` is constrained by the permission set license `{}` and sits in package directory `{dir}` of package `{pkg}`: permission sets constrained by a permission set license cannot be packaged",
                    p.name, lic.value
                ),
                lic.at.clone(),
            ));
        }
    }
    for (message, at) in found {
        cx.emit(
            crate::rules::names::PSL_PERMSET_IN_PACKAGE,
            message,
            &at,
            "license".into(),
        );
    }
}

/// A `<license>` that names a permission set license rather than a user license.
fn is_psl(cx: &Ctx, license: &str) -> bool {
    is_integration_psl(cx, license) || license.trim().to_ascii_lowercase().ends_with("psl")
}
