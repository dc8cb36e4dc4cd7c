//! Connected app and External Client App rules: client-credentials-user-missing,
//! client-credentials-user-not-integration, integration-user-shared, connected-app-full-scope,
//! connected-app-http-callback, connected-app-ip-relaxation-bypass, connected-app-open-access,
//! client-credentials-policy-off. Every message names the app's API name (and the ECA file it is about).

use super::Ctx;
use crate::diagnostic::Related;
use crate::model::AppKind;
use std::collections::BTreeMap;

pub fn check(cx: &mut Ctx) {
    let org = cx.org;
    let mut found: Found = Vec::new();
    let mut by_user: BTreeMap<String, Vec<(&crate::model::App, &crate::model::Val)>> =
        BTreeMap::new();
    for app in org.apps.iter().copied() {
        let what = app.describe();
        if app.cc_enabled() && matches!(app.kind, AppKind::ConnectedApp | AppKind::EcaPolicy) {
            let user = app
                .client_credentials_user
                .as_ref()
                .filter(|u| !u.value.trim().is_empty());
            match user {
                None => {
                    let field = if app.kind == AppKind::ConnectedApp {
                        "oauthClientCredentialUser"
                    } else {
                        "clientCredentialsFlowUser"
                    };
                    if let Some(en) = &app.client_credentials_enabled {
                        found.push((
                            crate::rules::names::CLIENT_CREDENTIALS_USER_MISSING,
                            format!("{what} enables the client credentials flow without a run-as user: set `{field}` to a dedicated API-only integration user"),
                            en.at.clone(),
                            "clientCredentials".into(),
                            vec![],
                        ));
                    }
                }
                Some(u) => {
                    by_user
                        .entry(u.value.trim().to_lowercase())
                        .or_default()
                        .push((app, u));
                    if let Some((_, user)) = org.user(&u.value) {
                        let reason = if !org.is_integration_user(user) {
                            let lic = user
                                .license
                                .map(|l| l.value.clone())
                                .or_else(|| user.profile.map(|p| format!("profile {}", p.value)));
                            Some(format!(
                                "is not on the Salesforce Integration license ({})",
                                lic.unwrap_or_else(|| "license unknown".into())
                            ))
                        } else if org.is_api_only(user) == Some(false) {
                            Some("is not API-only".to_string())
                        } else {
                            None
                        };
                        if let Some(reason) = reason {
                            let related = user
                                .at()
                                .map(|at| {
                                    vec![Related {
                                        file: at.file.to_string(),
                                        range: at.range,
                                        message: format!("user {}", user.name),
                                    }]
                                })
                                .unwrap_or_default();
                            found.push((
                                crate::rules::names::CLIENT_CREDENTIALS_USER_NOT_INTEGRATION,
                                format!("run-as user `{}` of {what} {reason}; use a dedicated API-only Salesforce Integration user", u.value),
                                u.at.clone(),
                                "clientCredentialsUser".into(),
                                related,
                            ));
                        }
                    }
                }
            }
        }
        for s in app
            .scopes
            .iter()
            .filter(|s| s.value.eq_ignore_ascii_case("Full"))
        {
            found.push((
                crate::rules::names::CONNECTED_APP_FULL_SCOPE,
                format!("{what} requests the `Full` OAuth scope; request only what the integration needs (e.g. `Api`)"),
                s.at.clone(),
                "scopes[Full]".into(),
                vec![],
            ));
        }
        for c in &app.callback_urls {
            if insecure_callback(&c.value) {
                found.push((
                    crate::rules::names::CONNECTED_APP_HTTP_CALLBACK,
                    format!(
                        "{what} has an http:// callback URL `{}`; use https",
                        c.value
                    ),
                    c.at.clone(),
                    format!("callbackUrl[{}]", c.value),
                    vec![],
                ));
            }
        }
        if let Some(ip) = app
            .ip_relaxation
            .as_ref()
            .filter(|v| v.value.trim().to_ascii_lowercase().starts_with("bypass"))
        {
            found.push((
                crate::rules::names::CONNECTED_APP_IP_RELAXATION_BYPASS,
                format!(
                    "{what} relaxes IP restrictions (`{}`): tokens work from any address",
                    ip.value
                ),
                ip.at.clone(),
                "ipRelaxation".into(),
                vec![],
            ));
        }
        if let Some(a) = &app.admin_approval {
            let open = match app.kind {
                AppKind::ConnectedApp => a.value.eq_ignore_ascii_case("false"),
                _ => a.value.eq_ignore_ascii_case("AllSelfAuthorized"),
            };
            if open {
                found.push((
                    crate::rules::names::CONNECTED_APP_OPEN_ACCESS,
                    format!("{what} lets every user self-authorize; require admin-approved, pre-authorized users"),
                    a.at.clone(),
                    "adminApproval".into(),
                    vec![],
                ));
            }
        }
    }
    for uses in by_user.values().filter(|v| v.len() > 1) {
        for (i, (app, u)) in uses.iter().enumerate() {
            let others: Vec<&str> = uses
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, (a, _))| a.api_name())
                .collect();
            let related = uses
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, (a, v))| Related {
                    file: v.at.file.to_string(),
                    range: v.at.range,
                    message: format!("also the run-as user of {}", a.api_name()),
                })
                .collect();
            found.push((
                crate::rules::names::INTEGRATION_USER_SHARED,
                format!(
                    "`{}` is the run-as user of `{}` and also of {}: use one integration user per integration so every transaction is traceable",
                    u.value,
                    app.api_name(),
                    others.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")
                ),
                u.at.clone(),
                "clientCredentialsUser".into(),
                related,
            ));
        }
    }
    policy_off(org, &mut found);
    for (rule, message, at, element, related) in found {
        cx.emit(rule, message, &at, element).related = related;
    }
}

type Found = Vec<(&'static str, String, crate::Location, String, Vec<Related>)>;

/// client-credentials-policy-off: the ECA global OAuth settings enable client credentials, the app's OAuth
/// policy does not (or is not in the project). The flow works only when both enable it.
fn policy_off(org: &crate::org::Org, found: &mut Found) {
    for g in org.apps.iter().copied() {
        let Some(on) = &g.client_credentials_enabled else {
            continue;
        };
        if g.kind != AppKind::EcaGlobalOauth || !g.cc_enabled() {
            continue;
        }
        let name = g.api_name();
        let policies: Vec<&crate::model::App> = org
            .apps
            .iter()
            .copied()
            .filter(|p| p.kind == AppKind::EcaPolicy && p.api_name().eq_ignore_ascii_case(name))
            .collect();
        if policies.iter().any(|p| p.cc_enabled()) {
            continue; // client-credentials-user-missing and friends judge the policy
        }
        let check = format!("an admin may have changed the policy since the retrieve: check it in Setup (External Client App Manager, `{name}`, Policies)");
        let (message, related) = match policies.first() {
            Some(p) => (
                format!(
                    "client credentials are on in the global OAuth settings of external client app `{name}` but off in its OAuth policy `{}`. The policy wins: as deployed, the org issues no client-credentials tokens for this app. To use the flow, enable it in the policy and set `clientCredentialsFlowUser`; otherwise turn it off in the global settings. {check}",
                    p.name
                ),
                vec![Related {
                    file: p.root.file.to_string(),
                    range: p
                        .client_credentials_enabled
                        .as_ref()
                        .map(|v| v.at.range)
                        .unwrap_or(p.root.range),
                    message: format!("OAuth policy `{}` leaves client credentials off", p.name),
                }],
            ),
            None => (
                format!(
                    "client credentials are on in the global OAuth settings of external client app `{name}`, but its OAuth policy is not in the project: the flow works only when the policy enables it too and sets `clientCredentialsFlowUser`. Check the policy in Setup (External Client App Manager, `{name}`, Policies)"
                ),
                vec![],
            ),
        };
        found.push((
            crate::rules::names::CLIENT_CREDENTIALS_POLICY_OFF,
            message,
            on.at.clone(),
            "isClientCredentialsFlowEnabled".into(),
            related,
        ));
    }
}

fn insecure_callback(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    let Some(rest) = u.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', ':', '?']).next().unwrap_or("");
    !(host == "localhost" || host == "127.0.0.1" || rest.starts_with("[::1]"))
}
