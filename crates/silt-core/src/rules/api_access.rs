//! Risky API permissions and login restrictions on integration access: use-any-api-client,
//! approve-uninstalled-apps, integration-profile-login-hours.

use super::reach::{granting_holders, holders_related, integration_holders, what};
use super::Ctx;
use crate::access::Right;
use crate::diagnostic::Severity;
use crate::model::{PermKind, PermissionContainer, UserPermission};
use crate::org::{norm_eq, Org};

pub fn check(cx: &mut Ctx) {
    let org = cx.org;
    for (h, p) in granting_holders(org) {
        let live = |name: &str| {
            enabled(p, name).filter(|_| {
                org.access
                    .muted_everywhere(org, h, Right::User(name))
                    .is_none()
            })
        };
        if let Some(perm) = live("UseAnyApiClient") {
            let holders = integration_holders(org, h, Right::User("UseAnyApiClient"));
            let integration = !holders.is_empty();
            cx.emit_with(
                crate::rules::names::USE_ANY_API_CLIENT,
                if integration { Severity::Error } else { Severity::Warning },
                format!(
                    "{} grants UseAnyApiClient (Use Any API Client){}: its users bypass API Access Control, so any connected app or client can call the API as them; remove it and allow-list the apps the integration uses",
                    what(p),
                    if integration { ", and it reaches an integration user" } else { "" }
                ),
                &perm.name.at,
                "userPermissions[UseAnyApiClient]".into(),
            )
            .related
            .extend(holders_related(org, &holders));
        }
        if let Some(perm) = live("CanApproveUninstalledApps") {
            if !is_admin(p) {
                cx.emit(
                    crate::rules::names::APPROVE_UNINSTALLED_APPS,
                    format!("{} grants CanApproveUninstalledApps (Approve Uninstalled Connected Apps) outside the administrator profile: its users can authorize OAuth apps that nobody installed or reviewed, the path of recent data-theft campaigns; keep it to a few named administrators", what(p)),
                    &perm.name.at,
                    "userPermissions[CanApproveUninstalledApps]".into(),
                );
            }
        }
        if p.kind == PermKind::Profile && is_integration_profile(org, p) {
            if let Some(at) = &p.login_hours {
                cx.emit(
                    crate::rules::names::INTEGRATION_PROFILE_LOGIN_HOURS,
                    format!("integration profile `{}` sets loginHours: Salesforce rejects API logins outside the window too, so scheduled integration jobs fail at those hours; restrict integrations by IP range instead", p.name),
                    at,
                    "loginHours".into(),
                );
            }
        }
    }
}

fn enabled<'p>(p: &'p PermissionContainer, name: &str) -> Option<&'p UserPermission> {
    p.user_permissions
        .iter()
        .find(|u| u.name.value.eq_ignore_ascii_case(name) && u.is_enabled())
}

/// The standard System Administrator profile (API name `Admin`), or a profile or permission set that
/// grants Modify All Data (an administrator by any measure).
fn is_admin(p: &PermissionContainer) -> bool {
    (p.kind == PermKind::Profile
        && (norm_eq(&p.name, "Admin") || norm_eq(&p.name, "System Administrator")))
        || enabled(p, "ModifyAllData").is_some()
}

/// A profile on the Salesforce Integration license, or one of the integration profile names.
pub fn is_integration_profile(org: &Org, p: &PermissionContainer) -> bool {
    match &p.license {
        Some(l) => org.is_integration_license(&l.value),
        None => org.is_integration_profile_name(&p.name),
    }
}
