//! Decomposed permission sets (decomposePermissionSetBeta / Beta2) are merged into one permission set
//! before the rules run; percent-encoded file names and `<fullName>` give API names.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use silt_core::{lint, Config};

fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    list.iter()
        .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
        .collect()
}

const USER_DEF: &str = r#"{"Username":"int@acme.example","profileName":"Minimum Access - API Only Integrations","permsets":["Erp_Sync"]}"#;

#[test]
fn beta2_parts_are_merged_into_one_permission_set() {
    let dir = "force-app/main/default/permissionsets/Erp_Sync";
    let report = lint(
        &files(&[
            ("config/int-user-def.json", USER_DEF),
            (&format!("{dir}/Erp_Sync.permissionset-meta.xml"), "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\"><label>Erp Sync</label><license>Salesforce</license></PermissionSet>"),
            (&format!("{dir}/Erp_Sync.userPermissions-meta.xml"), "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\"><userPermissions><enabled>true</enabled><name>ModifyAllData</name></userPermissions></PermissionSet>"),
            (&format!("{dir}/objectSettings/Account.objectSettings-meta.xml"), "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\"><objectPermissions><allowRead>true</allowRead><modifyAllRecords>true</modifyAllRecords><object>Account</object></objectPermissions></PermissionSet>"),
        ]),
        &Config::default(),
    );
    let rules: Vec<(&str, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.rule.as_str(), d.file.as_str()))
        .collect();
    // The license comes from the main file, the permission and the object grant from the parts.
    assert!(
        rules.contains(&(
            "integration-permset-license-mismatch",
            "config/int-user-def.json"
        )),
        "{rules:?}"
    );
    assert!(
        rules.contains(&(
            "integration-excessive-permission",
            &*format!("{dir}/Erp_Sync.userPermissions-meta.xml")
        )),
        "{rules:?}"
    );
    assert!(
        rules.contains(&(
            "integration-excessive-permission",
            &*format!("{dir}/objectSettings/Account.objectSettings-meta.xml")
        )),
        "{rules:?}"
    );
}

#[test]
fn beta_one_file_per_child_is_merged() {
    let dir = "force-app/main/default/permissionsets/Erp_Sync";
    let report = lint(
        &files(&[
            ("config/int-user-def.json", USER_DEF),
            (&format!("{dir}/Erp_Sync.permissionset-meta.xml"), "<PermissionSet><label>Erp Sync</label><license>SalesforceAPIIntegrationPsl</license></PermissionSet>"),
            (&format!("{dir}/userPermissions/ViewAllData.userPermission-meta.xml"), "<UserPermission><enabled>true</enabled><name>ViewAllData</name></UserPermission>"),
        ]),
        &Config::default(),
    );
    let hit = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "integration-excessive-permission")
        .map(|d| d.message.clone());
    assert!(
        hit.as_deref()
            .is_some_and(|m| m.contains("ViewAllData") && m.contains("Erp_Sync")),
        "{:#?}",
        report.diagnostics
    );
}

#[test]
fn names_come_from_decoded_file_names_or_full_name() {
    let report = lint(
        &files(&[
            ("config/u-user-def.json", r#"{"Username":"x@acme.example","profileName":"Custom: Integration"}"#),
            ("force-app/main/default/profiles/Custom%3A Integration.profile-meta.xml", "<Profile><userLicense>Salesforce Integration</userLicense></Profile>"),
            ("src/profiles/Other.profile", "<Profile><fullName>Salesforce API Only System Integrations</fullName><userLicense>Salesforce Integration</userLicense></Profile>"),
        ]),
        &Config::default(),
    );
    // The user is an integration user through the decoded profile name.
    assert_eq!(report.summary.license.integration_users, ["x@acme.example"]);
    // `<fullName>` names the second profile: the deprecated one.
    assert!(report
        .diagnostics
        .iter()
        .any(|d| d.rule == "integration-deprecated-profile"
            && d.file == "src/profiles/Other.profile"));
}
