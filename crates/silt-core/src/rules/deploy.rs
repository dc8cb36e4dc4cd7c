//! Files that fail (or are silently changed) at deploy: integration-profile-missing-license,
//! object-permission-dependency, user-permission-dependency, external-credential-principal-unknown.

use super::reach::{granting_containers, what};
use super::{replace_fix, Ctx};
use crate::diagnostic::{Edit, Fix};
use crate::model::{missing_object_flags, PermKind, PermissionContainer, OBJECT_FLAGS};
use crate::org::norm_eq;

pub fn check(cx: &mut Ctx) {
    let org = cx.org;
    for p in granting_containers(org) {
        if p.kind == PermKind::Profile && p.license.is_none() {
            missing_license(cx, p);
        }
        object_dependencies(cx, p);
        field_dependencies(cx, p);
        user_dependencies(cx, p);
    }
    principals(cx);
}

/// An integration profile file (by name) without `<userLicense>`.
fn missing_license(cx: &mut Ctx, p: &PermissionContainer) {
    let org = cx.org;
    if !org.is_integration_profile_name(&p.name) {
        return;
    }
    let license = &org.registry.licenses.integration_user_license;
    let fix = p.insert.as_ref().map(|ins| Fix {
        description: format!("add <userLicense>{license}</userLicense>"),
        edits: vec![Edit {
            file: ins.at.file.to_string(),
            range: ins.at.range,
            new_text: format!(
                "{}<userLicense>{license}</userLicense>{}",
                ins.indent, ins.newline
            ),
        }],
    });
    cx.emit(
        crate::rules::names::INTEGRATION_PROFILE_MISSING_LICENSE,
        format!("integration profile `{}` has no <userLicense>: deployed where it does not exist yet, it is created on the default Salesforce license (a full, paid seat per user) instead of `{license}`; declare the license", p.name),
        &p.root,
        "userLicense".into(),
    )
    .fix = fix;
}

/// Object permissions whose flags break their dependencies.
fn object_dependencies(cx: &mut Ctx, p: &PermissionContainer) {
    for o in &p.object_permissions {
        let missing = missing_object_flags(o.enabled);
        if missing == 0 {
            continue;
        }
        let names = |mask: u8| -> Vec<&'static str> {
            OBJECT_FLAGS
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, n)| *n)
                .collect()
        };
        // The most powerful enabled flag whose needs are unmet is what the message leads with.
        let culprit = (0..OBJECT_FLAGS.len())
            .rev()
            .find(|&i| o.enabled & (1 << i) != 0 && missing_object_flags(1 << i) & !o.enabled != 0)
            .map(|i| OBJECT_FLAGS[i])
            .unwrap_or("allowRead");
        let at = o
            .settings
            .iter()
            .find(|f| f.name == culprit)
            .map(|f| f.value.at.clone())
            .unwrap_or_else(|| o.element.clone());
        let need = names(missing);
        // Mechanical when every missing flag is written (as false): set them true.
        let edits: Vec<Edit> = need
            .iter()
            .filter_map(|n| o.settings.iter().find(|f| f.name == *n))
            .map(|f| Edit {
                file: f.value.at.file.to_string(),
                range: f.value.at.range,
                new_text: "true".into(),
            })
            .collect();
        let fix = (edits.len() == need.len()).then(|| Fix {
            description: format!("enable {}", need.join(", ")),
            edits,
        });
        cx.emit(
            crate::rules::names::OBJECT_PERMISSION_DEPENDENCY,
            format!(
                "{} grants {culprit} on {} without {}: the deploy fails (\"Permission … depends on permission(s)\") or Salesforce changes the grant; enable {} or drop {culprit}",
                what(p),
                o.object,
                need.join(", "),
                if need.len() == 1 { "it" } else { "them" }
            ),
            &at,
            format!("objectPermissions[{}]", o.object),
        )
        .fix = fix;
    }
}

/// Field permissions that are editable but not readable.
fn field_dependencies(cx: &mut Ctx, p: &PermissionContainer) {
    for f in &p.field_permissions {
        let fix = f
            .readable
            .as_ref()
            .and_then(|r| replace_fix("set readable to true".into(), r, "true"));
        cx.emit(
            crate::rules::names::OBJECT_PERMISSION_DEPENDENCY,
            format!(
                "{} makes field `{}` editable but not readable: edit access needs read access, so the deploy fails or Salesforce changes the grant; set readable to true or editable to false",
                what(p),
                f.field
            ),
            &f.editable.at,
            format!("fieldPermissions[{}]", f.field),
        )
        .fix = fix;
    }
}

/// User permissions enabled without the permissions they require (rules/data/permission-dependencies.toml).
fn user_dependencies(cx: &mut Ctx, p: &PermissionContainer) {
    let deps = &cx.org.registry.permission_dependencies;
    for perm in p.user_permissions.iter().filter(|u| u.is_enabled()) {
        // Transitive closure of what this permission requires.
        let mut need: Vec<&str> = Vec::new();
        let mut queue: Vec<&str> = vec![perm.name.value.as_str()];
        while let Some(n) = queue.pop() {
            for d in deps.iter().filter(|d| d.permission.eq_ignore_ascii_case(n)) {
                for r in &d.requires {
                    if !need.iter().any(|x| x.eq_ignore_ascii_case(r)) {
                        need.push(r);
                        queue.push(r);
                    }
                }
            }
        }
        // Permission sets (API 40+) disable what they do not list; profile deploys overlay the org, so
        // there only an explicit `false` is known to be missing.
        let lacking: Vec<&str> = need
            .into_iter()
            .filter(|r| match p.permission(r) {
                Some(x) => !x.is_enabled(),
                None => p.kind != PermKind::Profile,
            })
            .collect();
        if lacking.is_empty() {
            continue;
        }
        cx.emit(
            crate::rules::names::USER_PERMISSION_DEPENDENCY,
            format!(
                "{} enables {} without {}: the deploy fails (\"Permission {} depends on permission(s): …\"); enable {} too",
                what(p),
                perm.name.value,
                lacking.join(", "),
                perm.name.value,
                if lacking.len() == 1 { "it" } else { "them" }
            ),
            &perm.name.at,
            format!("userPermissions[{}]", perm.name.value),
        );
    }
}

/// `ExternalCredential-Principal`, split at the first `-` (API names have none), both sides trimmed.
fn split_principal(s: &str) -> (&str, &str) {
    match s.split_once('-') {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (s.trim(), ""),
    }
}

/// Principal accesses naming a principal no external credential in the project defines.
fn principals(cx: &mut Ctx) {
    let org = cx.org;
    if org.external_credentials.is_empty() {
        return; // the project does not track external credentials: nothing to compare with
    }
    let known: Vec<String> = org
        .external_credentials
        .iter()
        .flat_map(|e| {
            e.principals
                .iter()
                .map(|p| format!("{}-{}", e.name, p.value))
        })
        .collect();
    for p in granting_containers(org) {
        for access in &p.external_credential_principals {
            let (cred, principal) = split_principal(&access.name.value);
            let found = known.iter().any(|k| {
                let (kc, kp) = split_principal(k);
                norm_eq(kc, cred) && norm_eq(kp, principal)
            });
            if found {
                continue;
            }
            let defined = org
                .external_credentials
                .iter()
                .any(|e| norm_eq(&e.name, cred));
            let mut message = if defined {
                format!(
                    "{} grants principal `{principal}` of external credential `{cred}`, which defines no such principal: the deploy fails",
                    what(p)
                )
            } else {
                format!(
                    "{} grants `{}`, but no external credential `{cred}` is in the project: the deploy fails unless the org already has it",
                    what(p),
                    access.name.value
                )
            };
            if let Some(h) =
                crate::config::closest(&access.name.value, known.iter().map(|k| k.as_str()))
            {
                message.push_str(&format!("; did you mean `{h}`?"));
            }
            cx.emit(
                crate::rules::names::EXTERNAL_CREDENTIAL_PRINCIPAL_UNKNOWN,
                message,
                &access.name.at,
                format!("externalCredentialPrincipalAccesses[{}]", access.name.value),
            );
        }
    }
}
