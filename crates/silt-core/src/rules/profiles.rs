//! Profile rules: integration-profile-not-api-only, integration-profile-no-ip-restriction,
//! integration-license-candidate, integration-deprecated-profile.

use super::{replace_fix, Ctx};
use crate::diagnostic::{Edit, Fix, Severity};
use crate::model::PermissionContainer;
use crate::org::{norm, norm_eq};

pub fn check(cx: &mut Ctx) {
    let org = cx.org;
    for p in org.profiles.iter().copied() {
        let license = p.license.as_ref().map(|l| l.value.as_str()).unwrap_or("");
        if org.is_integration_license(license) {
            api_only(cx, p);
            if p.login_ip_ranges == 0 {
                cx.emit(
                    crate::rules::names::INTEGRATION_PROFILE_NO_IP_RESTRICTION,
                    format!("integration profile `{}` has no loginIpRanges: its users can call the API from any address", p.name),
                    &p.root,
                    "Profile".into(),
                );
            }
        } else if norm_eq(license, &org.registry.licenses.full_license) {
            if let Some(perm) = p.permission("ApiUserOnly").filter(|perm| perm.is_enabled()) {
                cx.emit(
                    crate::rules::names::INTEGRATION_LICENSE_CANDIDATE,
                    format!(
                        "profile `{}` is API-only on a full Salesforce license: its users could use the cheaper `{}` license",
                        p.name, org.registry.licenses.integration_user_license
                    ),
                    &perm.name.element,
                    "userPermissions[ApiUserOnly]".into(),
                );
            }
        }
        if is_deprecated(org, &p.name) {
            if is_stock(org, p) && !is_referenced(org, &p.name) {
                cx.emit_with(
                    crate::rules::names::INTEGRATION_DEPRECATED_PROFILE,
                    Severity::Note,
                    format!(
                        "profile `{}` is the untouched stock deprecated profile, retrieved but unused: no user, user definition or app in the project refers to it; remove it from source control or stop retrieving it",
                        p.name
                    ),
                    &p.root,
                    "Profile".into(),
                );
            } else {
                cx.emit(
                    crate::rules::names::INTEGRATION_DEPRECATED_PROFILE,
                    format!(
                        "profile `{}` is deprecated and not available in newly provisioned orgs; use `{}`",
                        p.name, org.registry.profiles.current
                    ),
                    &p.root,
                    "Profile".into(),
                );
            }
        }
    }
    // References from user data and connected apps.
    for u in &org.users {
        for r in &u.records {
            if let Some(prof) = r.profile.as_ref().filter(|v| is_deprecated(org, &v.value)) {
                cx.emit(
                    crate::rules::names::INTEGRATION_DEPRECATED_PROFILE,
                    format!(
                        "user `{}` uses the deprecated profile `{}`, which is not available in newly provisioned orgs; use `{}`",
                        u.name, prof.value, org.registry.profiles.current
                    ),
                    &prof.at,
                    format!("user[{}].profile", u.name),
                );
            }
        }
    }
    for app in org.apps.iter().copied() {
        for prof in app.profiles.iter().filter(|v| is_deprecated(org, &v.value)) {
            cx.emit(
                crate::rules::names::INTEGRATION_DEPRECATED_PROFILE,
                format!(
                    "{} grants access to the deprecated profile `{}`; use `{}`",
                    app.describe(),
                    prof.value,
                    org.registry.profiles.current
                ),
                &prof.at,
                format!("profileName[{}]", prof.value),
            );
        }
    }
}

fn is_deprecated(org: &crate::org::Org, name: &str) -> bool {
    norm(name).starts_with(norm(&org.registry.profiles.deprecated_prefix).as_ref())
}

/// The profile file is what a retrieve brings along untouched: on the integration license, enabling only the
/// stock permissions, with no loginIpRanges, no description and no viewAll/modifyAll object rights.
fn is_stock(org: &crate::org::Org, p: &PermissionContainer) -> bool {
    let stock = &org.registry.profiles.stock_permissions;
    p.license
        .as_ref()
        .is_some_and(|l| org.is_integration_license(&l.value))
        && p.login_ip_ranges == 0
        && p.description.is_none()
        && p.object_permissions.iter().all(|o| o.flags.is_empty())
        && p.user_permissions
            .iter()
            .filter(|u| u.is_enabled())
            .all(|u| stock.contains(&u.name.value))
}

/// A user (any record: user definition, exported user data) or an app names the profile.
fn is_referenced(org: &crate::org::Org, name: &str) -> bool {
    let names = |v: &crate::model::Val| norm_eq(&v.value, name);
    org.users.iter().any(|u| {
        u.records
            .iter()
            .any(|r| r.profile.as_ref().is_some_and(names))
    }) || org.apps.iter().any(|a| a.profiles.iter().any(names))
}

/// The permission declared under a known misspelling of `name`, if any.
fn misspelt<'p>(cx: &Ctx, p: &'p PermissionContainer, name: &str) -> Option<&'p crate::model::Val> {
    let typos = &cx.org.registry.typos;
    p.user_permissions.iter().map(|u| &u.name).find(|v| {
        typos
            .iter()
            .any(|t| t.right == name && t.wrong.eq_ignore_ascii_case(&v.value) && v.value != name)
    })
}

/// `ApiEnabled` and `ApiUserOnly` must be enabled on an integration profile.
fn api_only(cx: &mut Ctx, p: &PermissionContainer) {
    for perm_name in ["ApiEnabled", "ApiUserOnly"] {
        match p.permission(perm_name) {
            Some(perm) if perm.is_enabled() => {}
            Some(perm) => {
                // Declared and not true: the deploy turns API-only off (or fails).
                let (at, fix) = match &perm.enabled {
                    Some(e) => (
                        e.at.clone(),
                        replace_fix(format!("enable {perm_name}"), e, "true"),
                    ),
                    None => (perm.name.element.clone(), None),
                };
                cx.emit_with(
                    crate::rules::names::INTEGRATION_PROFILE_NOT_API_ONLY,
                    Severity::Error,
                    format!("integration profile `{}` disables {perm_name}; Salesforce Integration users must stay API-only", p.name),
                    &at,
                    format!("userPermissions[{perm_name}]"),
                )
                .fix = fix;
            }
            None if misspelt(cx, p, perm_name).is_some() => {
                // Declared under a misspelt name: permission-name-typo's fix renames it; adding another
                // element would leave a duplicate.
                if let Some(typo) = misspelt(cx, p, perm_name) {
                    cx.emit_with(
                        crate::rules::names::INTEGRATION_PROFILE_NOT_API_ONLY,
                        Severity::Warning,
                        format!("integration profile `{}` declares `{}`, a misspelling of {perm_name}: as written it does not keep the profile API-only", p.name, typo.value),
                        &typo.at,
                        format!("userPermissions[{perm_name}]"),
                    );
                }
            }
            None => {
                let fix = p.insert.as_ref().map(|ins| Fix {
                    description: format!("add {perm_name} enabled"),
                    edits: vec![Edit {
                        file: ins.at.file.to_string(),
                        range: ins.at.range,
                        new_text: ins.element(
                            "userPermissions",
                            &[("enabled", "true"), ("name", perm_name)],
                        ),
                    }],
                });
                cx.emit_with(
                    crate::rules::names::INTEGRATION_PROFILE_NOT_API_ONLY,
                    Severity::Warning,
                    format!("integration profile `{}` does not declare {perm_name}; declare it enabled so the profile stays API-only", p.name),
                    &p.root,
                    format!("userPermissions[{perm_name}]"),
                )
                .fix = fix;
            }
        }
    }
}
