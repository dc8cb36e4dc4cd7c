//! The 2026–27 checks (issue 15) on real files: the example project's findings as a snapshot, their
//! mechanical fixes applied and re-linted, the new metadata kinds in both formats, the shared corpora,
//! and the compliance vocabulary in `silt explain` and SARIF.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use silt_core::registry::registry;
use silt_core::{classify, fix, lint, Config, Report};
use std::path::{Path, PathBuf};

/// The rules added for issue 15.
const NEW_RULES: [&str; 14] = [
    "eca-global-oauth-in-source",
    "oauth-username-password-flow",
    "soap-login-dependency",
    "use-any-api-client",
    "approve-uninstalled-apps",
    "privileged-integration-user-mfa",
    "integration-profile-login-hours",
    "integration-profile-missing-license",
    "jwt-bearer-not-preauthorized",
    "eca-preauthorized-no-access",
    "refresh-token-never-expires",
    "object-permission-dependency",
    "user-permission-dependency",
    "external-credential-principal-unknown",
];

fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, root, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if classify(&rel).is_some() {
                out.push((rel, std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
}

fn load(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

fn example(name: &str) -> Vec<(String, Vec<u8>)> {
    load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples")
            .join(name),
    )
}

fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    list.iter()
        .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
        .collect()
}

/// `rule severity file:line:col message` for the new rules' findings.
fn lines(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .filter(|d| NEW_RULES.contains(&d.rule.as_str()))
        .map(|d| {
            format!(
                "{} {} {}:{}:{} {}{}\n",
                d.rule,
                d.severity,
                d.file,
                d.range.start.line,
                d.range.start.column,
                d.message,
                if d.fix.is_some() { " [fix]" } else { "" }
            )
        })
        .collect()
}

#[test]
fn checks_2026_example_project_findings() {
    let report = lint(&example("integration-gone-wrong"), &Config::default());
    let text = lines(&report);
    for rule in NEW_RULES {
        assert!(text.contains(&format!("{rule} ")), "{rule} silent:\n{text}");
    }
    insta::assert_snapshot!("gone_wrong", text);
    let clean = lint(&example("integration-clean"), &Config::default());
    assert_eq!(lines(&clean), "");
}

#[test]
fn checks_2026_fixes_apply_and_relint_clean() {
    let mut project = example("integration-gone-wrong");
    let report = lint(&project, &Config::default());
    let fixable: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.rule.as_str(),
                "object-permission-dependency" | "integration-profile-missing-license"
            )
        })
        .cloned()
        .collect();
    assert_eq!(fixable.len(), 3, "{}", lines(&report));
    assert!(fixable.iter().all(|d| d.fix.is_some()));
    for (file, edits) in fix::edits_by_file(&fixable) {
        let entry = project
            .iter_mut()
            .find(|(p, _)| p == file)
            .unwrap_or_else(|| panic!("{file} not in the project"));
        let text = String::from_utf8(entry.1.clone()).unwrap_or_default();
        let (new, applied) = fix::apply(&text, &edits);
        assert_eq!(applied, edits.len(), "{file}");
        entry.1 = new.into_bytes();
    }
    let get = |p: &str| {
        project
            .iter()
            .find(|(f, _)| f.ends_with(p))
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    };
    let ps = get("permissionsets/Integration_Sync.permissionset-meta.xml");
    assert!(ps.contains("<allowEdit>true</allowEdit>\n        <allowRead>true</allowRead>\n        <modifyAllRecords>false</modifyAllRecords>\n        <object>Invoice__c</object>"), "{ps}");
    assert!(
        ps.contains("<field>Order.Description</field>\n        <readable>true</readable>"),
        "{ps}"
    );
    let profile = get("profiles/Minimum Access - API Only Integrations.profile-meta.xml");
    assert!(
        profile.ends_with("    <userLicense>Salesforce Integration</userLicense>\n</Profile>\n"),
        "{profile}"
    );
    let again = lint(&project, &Config::default());
    assert!(
        !again.diagnostics.iter().any(|d| matches!(
            d.rule.as_str(),
            "object-permission-dependency" | "integration-profile-missing-license"
        )),
        "{}",
        lines(&again)
    );
}

#[test]
fn checks_2026_no_fix_when_a_required_flag_is_not_written() {
    let report = lint(
        &files(&[(
            "permissionsets/P.permissionset-meta.xml",
            "<PermissionSet><objectPermissions><allowEdit>true</allowEdit><object>A__c</object></objectPermissions></PermissionSet>",
        )]),
        &Config::default(),
    );
    let d: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "object-permission-dependency")
        .collect();
    assert_eq!(d.len(), 1);
    assert!(d[0].fix.is_none());
    assert!(
        d[0].message.contains("allowEdit on A__c without allowRead"),
        "{}",
        d[0].message
    );
    // modifyAllRecords alone needs everything below it.
    let report = lint(
        &files(&[(
            "permissionsets/P.permissionset-meta.xml",
            "<PermissionSet><objectPermissions><allowCreate>false</allowCreate><allowDelete>false</allowDelete><allowEdit>false</allowEdit><allowRead>false</allowRead><modifyAllRecords>true</modifyAllRecords><object>A__c</object><viewAllRecords>false</viewAllRecords></objectPermissions></PermissionSet>",
        )]),
        &Config::default(),
    );
    let d = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "object-permission-dependency")
        .map(|d| (d.message.clone(), d.fix.as_ref().map(|f| f.edits.len())));
    let (message, edits) = d.unwrap_or_default();
    assert!(
        message.contains(
            "modifyAllRecords on A__c without allowRead, allowEdit, allowDelete, viewAllRecords"
        ),
        "{message}"
    );
    assert_eq!(edits, Some(4));
}

#[test]
fn checks_2026_settings_and_credentials_in_both_formats() {
    // Metadata API format (`settings/OauthOidc.settings`, `.externalCredential`), tabs, one line.
    let report = lint(
        &files(&[
            ("src/settings/OauthOidc.settings", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><OauthOidcSettings xmlns=\"http://soap.sforce.com/2006/04/metadata\"><blockOAuthUsrAgtFlow>true</blockOAuthUsrAgtFlow></OauthOidcSettings>"),
            ("src/settings/Security.settings", "<SecuritySettings><sessionSettings><forceLogoutOnSessionTimeout>true</forceLogoutOnSessionTimeout></sessionSettings></SecuritySettings>"),
            ("src/externalCredentials/Erp.externalCredential", "<ExternalCredential>\n\t<externalCredentialParameters>\n\t\t<parameterName>Svc</parameterName>\n\t\t<parameterType>PerUserPrincipal</parameterType>\n\t</externalCredentialParameters>\n</ExternalCredential>"),
            ("src/namedCredentials/Erp.namedCredential", "<NamedCredential><namedCredentialParameters><externalCredential>Erp</externalCredential></namedCredentialParameters></NamedCredential>"),
            ("src/permissionsets/A.permissionset", "<PermissionSet><externalCredentialPrincipalAccesses><enabled>true</enabled><externalCredentialPrincipal>Erp-Svc</externalCredentialPrincipal></externalCredentialPrincipalAccesses><externalCredentialPrincipalAccesses><enabled>true</enabled><externalCredentialPrincipal>Crm-Svc</externalCredentialPrincipal></externalCredentialPrincipalAccesses></PermissionSet>"),
        ]),
        &Config::default(),
    );
    assert_eq!(report.summary.files, 5);
    let found: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| format!("{} {}:{}", d.rule, d.file, d.range.start.column))
        .collect();
    assert_eq!(
        found,
        [
            // `Crm-Svc` (column 269) is not defined; `Erp-Svc` (a per-user principal) is.
            "external-credential-principal-unknown src/permissionsets/A.permissionset:269",
            // The unblocked default, at the root of the settings file.
            "oauth-username-password-flow src/settings/OauthOidc.settings:39",
        ],
        "{:#?}",
        report.diagnostics
    );
    // Wrong root element for the suffix: a parse error, no crash.
    let report = lint(
        &files(&[(
            "settings/OauthOidc.settings-meta.xml",
            "<SecuritySettings/>",
        )]),
        &Config::default(),
    );
    assert_eq!(report.diagnostics.len(), 1);
    assert_eq!(report.diagnostics[0].rule, "parse-error");
    assert!(report.diagnostics[0]
        .message
        .contains("expected <OauthOidcSettings>"));
}

#[test]
fn checks_2026_reach_through_groups_and_profiles() {
    // UseAnyApiClient through a permission set group to an integration user is an error; the same
    // permission set unassigned is a warning. UseAnyApiAuth needs a user to reach.
    let ps = "<PermissionSet><label>Api</label><userPermissions><enabled>true</enabled><name>UseAnyApiClient</name></userPermissions><userPermissions><enabled>true</enabled><name>UseAnyApiAuth</name></userPermissions></PermissionSet>";
    let unassigned = lint(
        &files(&[("permissionsets/Api.permissionset-meta.xml", ps)]),
        &Config::default(),
    );
    let sev = |r: &Report, rule: &str| {
        r.diagnostics
            .iter()
            .filter(|d| d.rule == rule)
            .map(|d| d.severity.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(sev(&unassigned, "use-any-api-client"), ["warning"]);
    assert!(sev(&unassigned, "soap-login-dependency").is_empty());
    let grouped = lint(
        &files(&[
            ("permissionsets/Api.permissionset-meta.xml", ps),
            ("permissionsetgroups/Int.permissionsetgroup-meta.xml", "<PermissionSetGroup><label>Int</label><permissionSets>Api</permissionSets></PermissionSetGroup>"),
            ("data/users.csv", "Username,Profile.Name,Profile.UserLicense.Name,IsActive\nint@acme.example,Minimum Access - API Only Integrations,Salesforce Integration,true\n"),
            ("data/assignments.csv", "Assignee.Username,PermissionSet.Name\nint@acme.example,Int\n"),
        ]),
        &Config::default(),
    );
    assert_eq!(sev(&grouped, "use-any-api-client"), ["error"]);
    assert_eq!(sev(&grouped, "soap-login-dependency"), ["warning"]);
    // A run-as user whose own project profile is not API-only and whose permission set grants
    // Modify All Data is privileged for MFA; the same user with ApiUserOnly on the profile is not.
    let user = |api_only: bool| {
        lint(
            &files(&[
                ("profiles/Ops.profile-meta.xml", &format!("<Profile><userLicense>Salesforce</userLicense><userPermissions><enabled>{api_only}</enabled><name>ApiUserOnly</name></userPermissions></Profile>")),
                ("permissionsets/Ops_Admin.permissionset-meta.xml", "<PermissionSet><label>Ops Admin</label><userPermissions><enabled>true</enabled><name>ModifyAllData</name></userPermissions><userPermissions><enabled>true</enabled><name>ViewAllData</name></userPermissions></PermissionSet>"),
                ("config/ops-user-def.json", "{\"Username\": \"ops@acme.example\", \"profileName\": \"Ops\", \"permsets\": [\"Ops_Admin\"]}"),
                ("connectedApps/Ops.connectedApp-meta.xml", "<ConnectedApp><oauthConfig><isAdminApproved>true</isAdminApproved><isClientCredentialEnabled>true</isClientCredentialEnabled><oauthClientCredentialUser>ops@acme.example</oauthClientCredentialUser></oauthConfig></ConnectedApp>"),
            ]),
            &Config::default(),
        )
    };
    let not_api_only = user(false);
    let mfa: Vec<_> = not_api_only
        .diagnostics
        .iter()
        .filter(|d| d.rule == "privileged-integration-user-mfa")
        .collect();
    assert_eq!(mfa.len(), 1);
    assert!(mfa[0]
        .message
        .contains("ModifyAllData, ViewAllData through permission set `Ops_Admin`"));
    assert!(mfa[0].message.contains("MFA") && mfa[0].message.contains("not API-only"));
    assert!(user(true)
        .diagnostics
        .iter()
        .all(|d| d.rule != "privileged-integration-user-mfa"));
}

fn corpora() -> Option<PathBuf> {
    let p = std::env::var_os("SILT_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora"));
    p.is_dir().then_some(p)
}

/// On the shared real corpora the new rules report nothing (see the branch's report for why that is
/// right: no apps, settings, credentials or users there, and every object permission is consistent).
#[test]
fn checks_2026_corpora_counts() {
    let Some(root) = corpora() else {
        eprintln!("shared corpora not found; skipping");
        return;
    };
    for corpus in ["npsp", "sf-dahlia"] {
        let files = load(&root.join(corpus));
        assert!(files.len() > 20, "{corpus}: {} files", files.len());
        let report = lint(&files, &Config::default());
        assert_eq!(lines(&report), "", "{corpus}");
    }
}

#[test]
fn checks_2026_compliance_vocabulary() {
    for meta in registry().rules.values() {
        let s = meta.security_severity;
        assert!(
            s.is_some_and(|s| (0.0..=10.0).contains(&s)),
            "{} has no security_severity in 0.0-10.0",
            meta.name
        );
    }
    let reg = registry();
    let shr = reg
        .get("use-any-api-client")
        .map(|m| m.markdown())
        .unwrap_or_default();
    assert!(
        shr.contains("Compliance: Security Health Review \"Use Any API Client – Restriction\""),
        "{shr}"
    );
    let sbs = reg
        .get("approve-uninstalled-apps")
        .map(|m| m.markdown())
        .unwrap_or_default();
    assert!(
        sbs.contains("Compliance: Security Benchmark for Salesforce SBS-ACS-003, SBS-OAUTH-001"),
        "{sbs}"
    );
    // SARIF: tags carry the control IDs and names; every rule has a security-severity string.
    let report = lint(&example("integration-gone-wrong"), &Config::default());
    let sarif: serde_json::Value =
        serde_json::from_str(&silt_core::report::sarif::render(&report)).unwrap_or_default();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(rules.len() > NEW_RULES.len());
    for r in &rules {
        let s = r["properties"]["security-severity"].as_str().unwrap_or("");
        let v: f64 = s.parse().unwrap_or(-1.0);
        assert!((0.0..=10.0).contains(&v), "{}: {s:?}", r["id"]);
    }
    let by_id = |id: &str| {
        rules
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(
        by_id("approve-uninstalled-apps")["properties"]["security-severity"],
        "8.0"
    );
    let tags = by_id("use-any-api-client")["properties"]["tags"].clone();
    assert!(
        tags.as_array()
            .is_some_and(|t| t.contains(&serde_json::json!(
                "Health Check: Use Any API Client – Restriction"
            ))),
        "{tags}"
    );
    let tags = by_id("approve-uninstalled-apps")["properties"]["tags"].clone();
    assert!(
        tags.as_array()
            .is_some_and(|t| t.contains(&serde_json::json!("SBS-ACS-003"))),
        "{tags}"
    );
}
