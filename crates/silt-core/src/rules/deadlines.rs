//! Login flows Salesforce is retiring or hardening on fixed dates: oauth-username-password-flow
//! (2027-02-20), soap-login-dependency (SOAP `login()`, Summer '27), privileged-integration-user-mfa
//! (phishing-resistant MFA for privileged UI users).

use super::reach::{granting_holders, holders_related, user_list, what};
use super::Ctx;
use crate::access::{Holder, Right};
use crate::diagnostic::Severity;
use crate::model::{AppKind, SettingsKind};
use crate::org::norm_eq;

pub fn check(cx: &mut Ctx) {
    username_password(cx);
    soap_login(cx);
    mfa(cx);
}

const RETIRED: &str = "the OAuth username-password flow stops working on 2027-02-20";

/// `OauthOidcSettings.blockOAuthUnPwFlow` not `true`; a note when apps exist but no settings file.
fn username_password(cx: &mut Ctx) {
    let org = cx.org;
    let oauth: Vec<_> = org
        .settings
        .iter()
        .filter(|s| s.kind == SettingsKind::OauthOidc)
        .collect();
    if oauth.is_empty() {
        let app = org.apps.iter().find(|a| {
            matches!(
                a.kind,
                AppKind::ConnectedApp
                    | AppKind::EcaPolicy
                    | AppKind::EcaOauth
                    | AppKind::EcaGlobalOauth
            )
        });
        if let Some(app) = app {
            cx.emit_with(
                crate::rules::names::OAUTH_USERNAME_PASSWORD_FLOW,
                Severity::Note,
                format!(
                    "the project defines OAuth apps (`{}` and others) but no `settings/OauthOidc.settings-meta.xml`: nothing shows that the org blocks the username-password flow; {RETIRED}, so move integrations to the client credentials or JWT bearer flow and set `blockOAuthUnPwFlow` to true",
                    app.name
                ),
                &app.root,
                "OauthOidcSettings".into(),
            );
        }
        return;
    }
    for s in oauth {
        match s.get("blockOAuthUnPwFlow") {
            Some(v) if v.value.eq_ignore_ascii_case("true") => {}
            Some(v) => {
                cx.emit(
                    crate::rules::names::OAUTH_USERNAME_PASSWORD_FLOW,
                    format!("`blockOAuthUnPwFlow` is `{}`: integrations may still log in with the username-password flow, and {RETIRED}; move them to the client credentials or JWT bearer flow, then set it to true", v.value),
                    &v.at,
                    "blockOAuthUnPwFlow".into(),
                );
            }
            None => {
                cx.emit(
                    crate::rules::names::OAUTH_USERNAME_PASSWORD_FLOW,
                    format!("the OAuth settings do not set `blockOAuthUnPwFlow` (default false): integrations may still use the username-password flow, and {RETIRED}; move them to the client credentials or JWT bearer flow, then set it to true"),
                    &s.root,
                    "blockOAuthUnPwFlow".into(),
                );
            }
        }
    }
}

/// `UseAnyApiAuth` where it reaches users (muting subtracted).
fn soap_login(cx: &mut Ctx) {
    let org = cx.org;
    let right = Right::User("UseAnyApiAuth");
    for (h, p) in granting_holders(org) {
        let Some(perm) = p
            .user_permissions
            .iter()
            .find(|u| u.name.value.eq_ignore_ascii_case("UseAnyApiAuth") && u.is_enabled())
        else {
            continue;
        };
        let mut holders = org.access.holders(org, h, right);
        holders.retain(|(u, _)| u.user.is_some());
        let users: Vec<usize> = holders.iter().filter_map(|(u, _)| u.user).collect();
        if users.is_empty() {
            continue;
        }
        cx.emit(
            crate::rules::names::SOAP_LOGIN_DEPENDENCY,
            format!(
                "{} grants UseAnyApiAuth to {}: a dependency on SOAP `login()` (username, password and token), which is unavailable from API v65.0 and retired in Summer '27; move these integrations to OAuth (client credentials or JWT bearer) and remove the permission",
                what(p),
                user_list(org, &users)
            ),
            &perm.name.at,
            "userPermissions[UseAnyApiAuth]".into(),
        )
        .related
        .extend(holders_related(org, &holders));
    }
}

/// The permissions that make a user "privileged" for Salesforce's phishing-resistant MFA enforcement.
const PRIVILEGED: [&str; 4] = [
    "ModifyAllData",
    "ViewAllData",
    "CustomizeApplication",
    "AuthorApex",
];

/// The standard System Administrator profile (API name `Admin`) holds every privileged permission.
fn is_standard_admin(name: &str) -> bool {
    norm_eq(name, "System Administrator") || norm_eq(name, "Admin")
}

/// A privileged user used by an integration who is not API-only.
fn mfa(cx: &mut Ctx) {
    let org = cx.org;
    for (i, u) in org.users.iter().enumerate() {
        let run_as: Vec<_> = org
            .run_as()
            .filter(|(_, v)| v.value.trim().eq_ignore_ascii_case(u.name.trim()))
            .collect();
        if run_as.is_empty() && !u.integration {
            continue;
        }
        let profile = u.profile.map(|p| p.value.as_str()).unwrap_or("");
        let api_only = org
            .is_api_only(u)
            .or((is_standard_admin(profile) && org.profile(profile).is_none()).then_some(false));
        if api_only == Some(true) {
            continue;
        }
        // (where it comes from, the privileged permissions it grants), muting subtracted.
        let mut held: Vec<(String, Vec<&str>)> = Vec::new();
        if org.profile(profile).is_none() && is_standard_admin(profile) {
            held.push((format!("profile `{profile}`"), PRIVILEGED.to_vec()));
        }
        if let Some(p) = org.access.user(i) {
            for s in &p.sources {
                let c = org.holder(s.holder);
                let from = match s.holder {
                    Holder::Profile(_) => format!("profile `{}`", c.name),
                    Holder::PermissionSet(_) => format!("permission set `{}`", c.name),
                };
                let perms: Vec<&str> = PRIVILEGED
                    .into_iter()
                    .filter(|n| {
                        c.permission(n).is_some_and(|x| x.is_enabled())
                            && org.access.muted_by(org, s, Right::User(n)).is_none()
                    })
                    .collect();
                held.push((from, perms));
            }
        }
        held.retain(|(_, perms)| !perms.is_empty());
        let held: Vec<String> = held
            .iter()
            .map(|(from, perms)| format!("{} through {from}", perms.join(", ")))
            .collect();
        if held.is_empty() {
            continue;
        }
        let how = match run_as.first() {
            Some((app, _)) => format!("the client credentials run-as user of `{}`", app.name),
            None => "an integration user".to_string(),
        };
        let at = match (run_as.first(), u.at()) {
            (Some((_, v)), _) => v.at.clone(),
            (None, Some(at)) => at.clone(),
            (None, None) => continue,
        };
        cx.emit(
            crate::rules::names::PRIVILEGED_INTEGRATION_USER_MFA,
            format!(
                "`{}` is {how} and privileged ({}) but {}: Salesforce's phishing-resistant MFA enforcement for privileged users blocks its UI login; make it API-only by moving it to the Salesforce Integration license (Minimum Access - API Only Integrations profile)",
                u.name,
                held.join("; "),
                if api_only == Some(false) { "not API-only" } else { "not known to be API-only" }
            ),
            &at,
            format!("user[{}].mfa", u.name),
        );
    }
}
