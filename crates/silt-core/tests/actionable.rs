//! Findings people act on: vendor-provisioned apps and profiles are notes naming their owner, the unused stock
//! deprecated profile is a note, app findings name the app (and the ECA file), client credentials enabled only
//! in the ECA global settings are explained, and summaries group notes by rule.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use silt_core::report::{render, Format, RenderOptions};
use silt_core::{lint, Config, Diagnostic, Report, Severity};

const APPS: &str = "force-app/main/default/connectedApps";
const PROFILES: &str = "force-app/main/default/profiles";
const POLICIES: &str = "force-app/main/default/extlClntAppOauthPolicies";
const GLOBAL: &str = "force-app/main/default/extlClntAppGlobalOauthSets";
const DEPRECATED: &str =
    "force-app/main/default/profiles/Salesforce API Only System Integrations.profile-meta.xml";

fn run(files: &[(&str, &str)], config: &str) -> Report {
    let config = Config::parse("silt.toml", config).unwrap();
    let files: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
        .collect();
    lint(&files, &config)
}

fn of<'r>(report: &'r Report, rule: &str) -> Vec<&'r Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .collect()
}

fn one<'r>(report: &'r Report, rule: &str) -> &'r Diagnostic {
    let found = of(report, rule);
    assert_eq!(found.len(), 1, "{rule}: {:#?}", report.diagnostics);
    found[0]
}

/// The connected app Salesforce CPQ provisions (as retrieved), with IP relaxation and optional client credentials.
fn cpq_app(ip: &str, oauth_extra: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <contactEmail>admin@salesforce.com</contactEmail>
    <label>CPQ Integration User Connected App</label>
    <oauthConfig>
        <callbackUrl>https://login.salesforce.com/services/oauth2/success</callbackUrl>
        <consumerKey>x</consumerKey>
        <isAdminApproved>true</isAdminApproved>{oauth_extra}
        <scopes>Api</scopes>
        <scopes>Full</scopes>
        <scopes>RefreshToken</scopes>
    </oauthConfig>
    <oauthPolicy>
        <ipRelaxation>{ip}</ipRelaxation>
        <refreshTokenPolicy>infinite</refreshTokenPolicy>
    </oauthPolicy>
    <profileName>CPQ Integration User</profileName>
</ConnectedApp>
"#
    )
}

#[test]
fn vendor_app_findings_are_notes_naming_owner_and_what_to_do() {
    let app = cpq_app("BYPASS", "");
    let path = format!("{APPS}/CPQIntegrationUserApp.connectedApp-meta.xml");
    let report = run(&[(&path, &app)], "");
    for rule in [
        "connected-app-full-scope",
        "connected-app-ip-relaxation-bypass",
    ] {
        let d = one(&report, rule);
        assert_eq!(d.severity, Severity::Note, "{d:#?}");
        assert!(
            d.message
                .starts_with("connected app `CPQIntegrationUserApp` "),
            "{}",
            d.message
        );
        assert!(
            d.message.contains("`CPQIntegrationUserApp` is provisioned by Salesforce CPQ (managed package SBQQ), which owns this setting")
                && d.message.contains("instead, restrict who may use the app"),
            "{}",
            d.message
        );
    }
    assert_eq!((report.summary.errors, report.summary.warnings), (0, 0));

    // The same settings on the team's own app: warnings, without the vendor text.
    let own = format!("{APPS}/Billing_Sync.connectedApp-meta.xml");
    let report = run(&[(&own, &app)], "");
    let d = one(&report, "connected-app-full-scope");
    assert_eq!(d.severity, Severity::Warning);
    assert!(!d.message.contains("provisioned"), "{}", d.message);
}

#[test]
fn vendor_findings_keep_full_severity_when_the_configuration_asks() {
    let app = cpq_app("BYPASS", "");
    let path = format!("{APPS}/CPQIntegrationUserApp.connectedApp-meta.xml");
    let report = run(
        &[(&path, &app)],
        "[integration]\nvendor_full_severity = true\n",
    );
    let d = one(&report, "connected-app-full-scope");
    assert_eq!(d.severity, Severity::Warning);
    assert!(
        d.message.contains("provisioned by Salesforce CPQ"),
        "{}",
        d.message
    );
    // A severity set for the rule applies to vendor findings too.
    let report = run(
        &[(&path, &app)],
        "[rules]\nconnected-app-ip-relaxation-bypass = \"error\"\n",
    );
    assert_eq!(
        one(&report, "connected-app-ip-relaxation-bypass").severity,
        Severity::Error
    );
    assert_eq!(
        one(&report, "connected-app-full-scope").severity,
        Severity::Note
    );
}

#[test]
fn vendor_app_run_as_user_findings_keep_their_severity() {
    // The team chose to turn on client credentials without a run-as user: not the vendor's setting.
    let app = cpq_app(
        "ENFORCE",
        "\n        <isClientCredentialEnabled>true</isClientCredentialEnabled>",
    );
    let path = format!("{APPS}/CPQIntegrationUserApp.connectedApp-meta.xml");
    let report = run(&[(&path, &app)], "");
    let d = one(&report, "client-credentials-user-missing");
    assert_eq!(d.severity, Severity::Error);
    assert!(!d.message.contains("provisioned"), "{}", d.message);
}

#[test]
fn vendor_profile_findings_are_notes() {
    let profile = r#"<?xml version="1.0" encoding="UTF-8"?>
<Profile xmlns="http://soap.sforce.com/2006/04/metadata">
    <custom>false</custom>
    <loginIpRanges>
        <endAddress>203.0.113.255</endAddress>
        <startAddress>203.0.113.0</startAddress>
    </loginIpRanges>
    <userLicense>Salesforce Integration</userLicense>
    <userPermissions>
        <enabled>true</enabled>
        <name>ApiEnabled</name>
    </userPermissions>
    <userPermissions>
        <enabled>true</enabled>
        <name>ApiUserOnly</name>
    </userPermissions>
    <userPermissions>
        <enabled>true</enabled>
        <name>ModifyAllData</name>
    </userPermissions>
</Profile>
"#;
    let vendor = format!("{PROFILES}/CPQ Integration User.profile-meta.xml");
    let own = format!("{PROFILES}/Erp Integration.profile-meta.xml");
    let report = run(&[(&vendor, profile), (&own, profile)], "");
    let found = of(&report, "integration-excessive-permission");
    assert_eq!(found.len(), 2, "{found:#?}");
    let (v, o) = if found[0].file == vendor {
        (found[0], found[1])
    } else {
        (found[1], found[0])
    };
    assert_eq!(v.severity, Severity::Note);
    assert!(
        v.message
            .contains("`CPQ Integration User` is provisioned by Salesforce CPQ")
            && v.message
                .contains("assign the profile only to the CPQ integration user"),
        "{}",
        v.message
    );
    assert!(o.severity > Severity::Note, "{o:#?}");
}

const STOCK: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Profile xmlns="http://soap.sforce.com/2006/04/metadata">
    <classAccesses>
        <apexClass>SiteLoginController</apexClass>
        <enabled>false</enabled>
    </classAccesses>
    <custom>true</custom>
    <userLicense>Salesforce Integration</userLicense>
    <userPermissions>
        <enabled>true</enabled>
        <name>ApiEnabled</name>
    </userPermissions>
    <userPermissions>
        <enabled>true</enabled>
        <name>ApiUserOnly</name>
    </userPermissions>
    <userPermissions>
        <enabled>true</enabled>
        <name>ChatterInternalUser</name>
    </userPermissions>
</Profile>
"#;

#[test]
fn unused_stock_deprecated_profile_is_a_note() {
    let report = run(&[(DEPRECATED, STOCK)], "");
    let d = one(&report, "integration-deprecated-profile");
    assert_eq!(d.severity, Severity::Note);
    assert!(
        d.message.contains("retrieved but unused")
            && d.message
                .contains("remove it from source control or stop retrieving it"),
        "{}",
        d.message
    );
    assert_eq!((report.summary.errors, report.summary.warnings), (0, 0));
}

#[test]
fn stock_deprecated_profile_stays_a_warning_when_referenced() {
    let user_def = r#"{ "Username": "etl@example.com", "LastName": "ETL", "Email": "ops@example.com",
  "profileName": "Salesforce API Only System Integrations" }"#;
    let csv = "Username,Profile.Name,IsActive\netl@example.com,salesforce api only system integrations,true\n";
    let app = r#"<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Legacy ETL</label>
    <oauthConfig>
        <callbackUrl>https://login.salesforce.com/services/oauth2/success</callbackUrl>
        <isAdminApproved>true</isAdminApproved>
        <scopes>Api</scopes>
    </oauthConfig>
    <profileName>Salesforce API Only System Integrations</profileName>
</ConnectedApp>
"#;
    let app_path = format!("{APPS}/Legacy_Etl.connectedApp-meta.xml");
    for (path, text) in [
        ("config/etl-user-def.json", user_def),
        ("data/users.csv", csv),
        (app_path.as_str(), app),
    ] {
        let report = run(&[(DEPRECATED, STOCK), (path, text)], "");
        let on_profile: Vec<_> = of(&report, "integration-deprecated-profile")
            .into_iter()
            .filter(|d| d.file == DEPRECATED)
            .collect();
        assert_eq!(on_profile.len(), 1, "{path}: {:#?}", report.diagnostics);
        assert_eq!(on_profile[0].severity, Severity::Warning, "{path}");
        assert!(on_profile[0].message.contains("is deprecated"), "{path}");
    }
    // The app's reference names the app.
    let report = run(&[(DEPRECATED, STOCK), (&app_path, app)], "");
    assert!(
        of(&report, "integration-deprecated-profile")
            .iter()
            .any(|d| d
                .message
                .starts_with("connected app `Legacy_Etl` grants access")),
        "{:#?}",
        report.diagnostics
    );
}

#[test]
fn changed_deprecated_profile_stays_a_warning() {
    for changed in [
        STOCK.replace("ChatterInternalUser", "ViewSetup"),
        STOCK.replace(
            "<custom>true</custom>",
            "<custom>true</custom>\n    <description>ETL</description>",
        ),
        STOCK.replace("Salesforce Integration", "Salesforce"),
    ] {
        let report = run(&[(DEPRECATED, &changed)], "");
        let d = one(&report, "integration-deprecated-profile");
        assert_eq!(d.severity, Severity::Warning, "{changed}");
    }
}

fn policy(app: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ExtlClntAppOauthConfigurablePolicies xmlns="http://soap.sforce.com/2006/04/metadata">
    <externalClientApplication>{app}</externalClientApplication>
    <label>{app} OAuth policy label</label>{body}
</ExtlClntAppOauthConfigurablePolicies>
"#
    )
}

#[test]
fn eca_findings_name_the_app_and_the_policy_file() {
    let body = "
    <ipRelaxationPolicyType>Bypass</ipRelaxationPolicyType>
    <isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled>
    <permittedUsersPolicyType>AllSelfAuthorized</permittedUsersPolicyType>";
    let path = format!("{POLICIES}/Erp_Connector_oauthPlcy.ecaOauthPlcy-meta.xml");
    let report = run(&[(&path, &policy("Erp_Connector", body))], "");
    let rules = [
        "client-credentials-user-missing",
        "connected-app-ip-relaxation-bypass",
        "connected-app-open-access",
    ];
    for rule in rules {
        let d = one(&report, rule);
        assert!(
            d.message.starts_with(
                "external client app `Erp_Connector` (OAuth policy `Erp_Connector_oauthPlcy`) "
            ),
            "{rule}: {}",
            d.message
        );
        assert!(!d.message.contains("label"), "{}", d.message);
    }
}

#[test]
fn shared_run_as_user_and_grants_name_the_apps() {
    let body = "
    <clientCredentialsFlowUser>int@example.com</clientCredentialsFlowUser>
    <isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled>
    <permittedUsersPolicyType>AdminApprovedPreAuthorized</permittedUsersPolicyType>";
    let app = r#"<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Warehouse Sync</label>
    <oauthConfig>
        <callbackUrl>https://login.salesforce.com/services/oauth2/success</callbackUrl>
        <isAdminApproved>true</isAdminApproved>
        <isClientCredentialEnabled>true</isClientCredentialEnabled>
        <oauthClientCredentialUser>int@example.com</oauthClientCredentialUser>
        <scopes>Api</scopes>
    </oauthConfig>
    <permissionSetName>Sales Admin</permissionSetName>
</ConnectedApp>
"#;
    let ps = r#"<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Sales Admin</label>
    <license>Salesforce</license>
</PermissionSet>
"#;
    let user = r#"{ "Username": "int@example.com", "LastName": "Int", "Email": "ops@example.com",
  "profileName": "Minimum Access - API Only Integrations" }"#;
    let pol = format!("{POLICIES}/Erp_Connector_oauthPlcy.ecaOauthPlcy-meta.xml");
    let app_path = format!("{APPS}/Warehouse_Sync.connectedApp-meta.xml");
    let report = run(
        &[
            (&pol, &policy("Erp_Connector", body)),
            (&app_path, app),
            (
                "force-app/main/default/permissionsets/Sales_Admin.permissionset-meta.xml",
                ps,
            ),
            ("config/int-user-def.json", user),
        ],
        "",
    );
    let shared = of(&report, "integration-user-shared");
    assert_eq!(shared.len(), 2, "{:#?}", report.diagnostics);
    for d in &shared {
        assert!(
            d.message.contains("`Erp_Connector`") && d.message.contains("`Warehouse_Sync`"),
            "{}",
            d.message
        );
        assert!(!d.message.contains("oauthPlcy`"), "{}", d.message);
    }
    let grant = one(&report, "integration-permset-license-mismatch");
    assert!(
        grant
            .message
            .contains("as the run-as user of connected app `Warehouse_Sync`"),
        "{}",
        grant.message
    );
}

fn global(app: &str, cc: bool) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ExtlClntAppGlobalOauthSettings xmlns="http://soap.sforce.com/2006/04/metadata">
    <callbackUrl>https://login.salesforce.com/services/oauth2/success</callbackUrl>
    <externalClientApplication>{app}</externalClientApplication>
    <isClientCredentialsFlowEnabled>{cc}</isClientCredentialsFlowEnabled>
    <label>{app} global</label>
</ExtlClntAppGlobalOauthSettings>
"#
    )
}

#[test]
fn client_credentials_only_in_global_settings_is_explained() {
    let g = format!("{GLOBAL}/Ledger_Export_glbl.ecaGlblOauth-meta.xml");
    let p = format!("{POLICIES}/Ledger_Export_oauthPlcy.ecaOauthPlcy-meta.xml");
    let off = policy(
        "ledger_export", // names compare case-insensitively
        "\n    <isClientCredentialsFlowEnabled>false</isClientCredentialsFlowEnabled>",
    );
    let report = run(&[(&g, &global("Ledger_Export", true)), (&p, &off)], "");
    let d = one(&report, "client-credentials-policy-off");
    assert_eq!(d.severity, Severity::Note);
    assert_eq!(d.file, g);
    assert!(
        d.message
            .contains("off in its OAuth policy `Ledger_Export_oauthPlcy`")
            && d.message.contains("The policy wins")
            && d.message.contains("check it in Setup"),
        "{}",
        d.message
    );
    assert_eq!(d.related.len(), 1);
    assert_eq!(d.related[0].file, p);
    // Besides the note, only that the global settings file is committed at all and that no OAuth
    // settings file shows the username-password flow blocked.
    let others: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule != "client-credentials-policy-off")
        .map(|d| d.rule.as_str())
        .collect();
    assert_eq!(
        others,
        ["eca-global-oauth-in-source", "oauth-username-password-flow"],
        "{:#?}",
        report.diagnostics
    );

    // No policy in the project: still explained.
    let report = run(&[(&g, &global("Ledger_Export", true))], "");
    assert!(one(&report, "client-credentials-policy-off")
        .message
        .contains("its OAuth policy is not in the project"));

    // Both on (the policy with its run-as user), or the global settings off: nothing to explain.
    let on = policy(
        "Ledger_Export",
        "\n    <clientCredentialsFlowUser>int@example.com</clientCredentialsFlowUser>\n    <isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled>",
    );
    let report = run(&[(&g, &global("Ledger_Export", true)), (&p, &on)], "");
    assert!(of(&report, "client-credentials-policy-off").is_empty());
    let report = run(&[(&g, &global("Ledger_Export", false)), (&p, &off)], "");
    assert!(of(&report, "client-credentials-policy-off").is_empty());
}

const IP_LESS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Profile xmlns="http://soap.sforce.com/2006/04/metadata">
    <userLicense>Salesforce Integration</userLicense>
    <userPermissions>
        <enabled>true</enabled>
        <name>ApiEnabled</name>
    </userPermissions>
    <userPermissions>
        <enabled>true</enabled>
        <name>ApiUserOnly</name>
    </userPermissions>
</Profile>
"#;

/// `n` integration profiles without login IP ranges (one note each) and one broken profile (an error).
fn many_notes(n: usize) -> Report {
    let mut files: Vec<(String, String)> = (1..=n)
        .map(|i| {
            (
                format!("{PROFILES}/Int {i:02}.profile-meta.xml"),
                IP_LESS.to_string(),
            )
        })
        .collect();
    files.push((
        format!("{PROFILES}/Broken.profile-meta.xml"),
        "<Profile><userLicense>".into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    run(&refs, "")
}

fn human(report: &Report) -> String {
    render(report, Format::Human, &|_| None, RenderOptions::default())
}

#[test]
fn human_output_groups_many_notes_of_a_rule() {
    let report = many_notes(11);
    assert_eq!(report.summary.notes, 11);
    let out = human(&report);
    assert!(out.starts_with("error[parse-error]: "), "{out}");
    assert!(
        !out.contains("note[integration-profile-no-ip-restriction]"),
        "{out}"
    );
    assert!(
        out.contains(
            "notes grouped by rule (every finding: --format json):\n  11 notes: integration-profile-no-ip-restriction on 11 profiles\n\n1 error, 0 warnings, 11 notes in 12 files\n"
        ),
        "{out}"
    );
    // JSON keeps every finding.
    let json = render(&report, Format::Json, &|_| None, RenderOptions::default());
    assert_eq!(
        json.matches("integration-profile-no-ip-restriction")
            .count(),
        11
    );

    // A few notes are listed one by one, as before.
    let out = human(&many_notes(4));
    assert_eq!(
        out.matches("note[integration-profile-no-ip-restriction]")
            .count(),
        4,
        "{out}"
    );
    assert!(!out.contains("grouped"), "{out}");
}

#[test]
fn markdown_lists_errors_and_warnings_first_and_one_line_per_note_rule() {
    let mut report = many_notes(11);
    let stock = run(&[(DEPRECATED, STOCK)], "");
    let warning = Diagnostic::new(
        "integration-license-capacity",
        Severity::Warning,
        "m",
        &silt_core::Location {
            file: "config/project-scratch-def.json".into(),
            range: Default::default(),
        },
        "x",
    );
    report.diagnostics.push(warning);
    report.diagnostics.extend(stock.diagnostics);
    report.recount();
    let md = render(
        &report,
        Format::Markdown,
        &|_| None,
        RenderOptions::default(),
    );
    let table = "| rule | severity | findings |\n|---|---|---|\n| `parse-error` | error | 1 |\n| `integration-license-capacity` | warning | 1 |\n\n";
    let notes = "- 1 note: `integration-deprecated-profile` on 1 profile\n- 12 notes: `integration-profile-no-ip-restriction` on 12 profiles\n\n";
    assert!(md.contains(&format!("{table}{notes}")), "{md}");
}
