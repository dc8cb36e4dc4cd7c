//! OAuth app credentials and who may use an app: eca-global-oauth-in-source,
//! jwt-bearer-not-preauthorized, eca-preauthorized-no-access, refresh-token-never-expires.

use super::reach::integration;
use super::Ctx;
use crate::access::Holder;
use crate::diagnostic::Severity;
use crate::model::{App, AppKind};
use crate::org::{norm_eq, Org};

pub fn check(cx: &mut Ctx) {
    let org = cx.org;
    for app in org.apps.iter().copied() {
        if app.kind == AppKind::EcaGlobalOauth {
            global_oauth_in_source(cx, app);
        }
        jwt_bearer(cx, app);
        if app.kind == AppKind::EcaPolicy {
            preauthorized_nobody(cx, app);
        }
        refresh_tokens(cx, app);
    }
}

fn present(v: &Option<crate::model::Val>) -> Option<&crate::model::Val> {
    v.as_ref().filter(|v| !v.value.trim().is_empty())
}

/// The ECA the file belongs to, for messages.
fn eca_name(app: &App) -> &str {
    app.external_client_application
        .as_ref()
        .map(|v| v.value.as_str())
        .unwrap_or(&app.name)
}

/// `*.ecaGlblOauth-meta.xml` in the project; an error when it holds the consumer secret.
fn global_oauth_in_source(cx: &mut Ctx, app: &App) {
    match present(&app.consumer_secret) {
        Some(secret) => {
            cx.emit_with(
                crate::rules::names::ECA_GLOBAL_OAUTH_IN_SOURCE,
                Severity::Error,
                format!("the global OAuth settings of external client app `{}` hold its consumer secret in source control: anyone with the repository can mint tokens as the app; rotate the secret in Setup, delete this file and add `**/*.ecaGlblOauth-meta.xml` to .forceignore and .gitignore", eca_name(app)),
                &secret.at,
                "consumerSecret".into(),
            );
        }
        None => {
            cx.emit(
                crate::rules::names::ECA_GLOBAL_OAUTH_IN_SOURCE,
                format!("the global OAuth settings of external client app `{}` are committed: the Metadata API says this file (consumer key and secret) must not be in source control; delete it and add `**/*.ecaGlblOauth-meta.xml` to .forceignore and .gitignore", eca_name(app)),
                &app.root,
                "ExtlClntAppGlobalOauthSettings".into(),
            );
        }
    }
}

/// Whether an app is admin-approved with at least one profile or permission set pre-authorized.
fn preauthorized(app: &App) -> bool {
    let approved = app.admin_approval.as_ref().is_some_and(|a| match app.kind {
        AppKind::ConnectedApp => a.value.eq_ignore_ascii_case("true"),
        _ => a.value.eq_ignore_ascii_case("AdminApprovedPreAuthorized"),
    });
    approved && !(app.profiles.is_empty() && app.permission_sets.is_empty())
}

/// A `certificate` (the JWT bearer flow) without admin pre-approval for any user.
fn jwt_bearer(cx: &mut Ctx, app: &App) {
    let Some(cert) = present(&app.certificate) else {
        return;
    };
    let org = cx.org;
    let (policy_ok, owner) = match app.kind {
        AppKind::ConnectedApp => (preauthorized(app), format!("connected app `{}`", app.name)),
        _ => {
            // The ECA's policy file decides; without one in the project silt cannot tell.
            let eca = eca_name(app);
            let policies: Vec<&App> = org
                .apps
                .iter()
                .copied()
                .filter(|p| {
                    p.kind == AppKind::EcaPolicy
                        && p.external_client_application
                            .as_ref()
                            .is_some_and(|e| norm_eq(&e.value, eca))
                })
                .collect();
            if policies.is_empty() {
                return;
            }
            (
                policies.iter().any(|p| preauthorized(p)),
                format!("external client app `{eca}`"),
            )
        }
    };
    if policy_ok {
        return;
    }
    cx.emit(
        crate::rules::names::JWT_BEARER_NOT_PREAUTHORIZED,
        format!("{owner} has a certificate, so integrations use the OAuth 2.0 JWT bearer flow, but no user is pre-authorized (admin-approved with a profile or permission set listed): JWT bearer requests fail because an API-only integration user cannot approve the app interactively"),
        &cert.at,
        "certificate".into(),
    );
}

/// ECA policy `AdminApprovedPreAuthorized` with no profile and no permission set.
fn preauthorized_nobody(cx: &mut Ctx, app: &App) {
    let Some(a) = app.admin_approval.as_ref() else {
        return;
    };
    if !a.value.eq_ignore_ascii_case("AdminApprovedPreAuthorized")
        || !app.profiles.is_empty()
        || !app.permission_sets.is_empty()
    {
        return;
    }
    // The client credentials flow runs as its run-as user, who needs no pre-authorization.
    if app.cc_enabled() && present(&app.client_credentials_user).is_some() {
        return;
    }
    cx.emit(
        crate::rules::names::ECA_PREAUTHORIZED_NO_ACCESS,
        format!("external client app `{}` admits only admin pre-authorized users but lists no profile (`commaSeparatedProfile`) and no permission set (`commaSeparatedPermissionSet`): nobody can use the app", eca_name(app)),
        &a.at,
        "permittedUsersPolicyType".into(),
    );
}

/// Whether an integration uses the app: it has a client credentials run-as user, or a profile or
/// permission set it pre-authorizes reaches an integration user.
fn used_by_integration(org: &Org, app: &App) -> bool {
    present(&app.client_credentials_user).is_some()
        || app.permission_sets.iter().any(|v| {
            org.permission_set_index_by_label(&v.value)
                .is_some_and(|i| integration(org, Holder::PermissionSet(i)))
        })
        || app.profiles.iter().any(|v| {
            org.is_integration_profile_name(&v.value)
                || org
                    .profile_index(&v.value)
                    .is_some_and(|i| integration(org, Holder::Profile(i)))
        })
}

/// `refreshTokenPolicy` `infinite` on an app an integration uses.
fn refresh_tokens(cx: &mut Ctx, app: &App) {
    let Some(policy) = app
        .refresh_token_policy
        .as_ref()
        .filter(|p| p.value.trim().eq_ignore_ascii_case("infinite"))
    else {
        return;
    };
    if !used_by_integration(cx.org, app) {
        return;
    }
    let what = match app.kind {
        AppKind::ConnectedApp => format!("connected app `{}`", app.name),
        _ => format!("external client app `{}`", eca_name(app)),
    };
    cx.emit(
        crate::rules::names::REFRESH_TOKEN_NEVER_EXPIRES,
        format!("{what} is used by an integration and its refresh tokens never expire (`{}`): a leaked token works until someone revokes it; set an expiry (for example `specific_lifetime`) or, for server-to-server flows that need none, `zero`", policy.value),
        &policy.at,
        "refreshTokenPolicy".into(),
    );
}
