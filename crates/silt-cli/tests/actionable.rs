//! A real `silt` run on a full-org-retrieve-like project: what the team does not own is reported as notes,
//! many notes of one rule become one line, and errors stay at the top.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use std::fs;
use std::path::Path;
use std::time::Duration;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

const CPQ_APP: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <contactEmail>admin@salesforce.com</contactEmail>
    <label>CPQ Integration User Connected App</label>
    <oauthConfig>
        <callbackUrl>https://login.salesforce.com/services/oauth2/success</callbackUrl>
        <isAdminApproved>true</isAdminApproved>
        <scopes>Api</scopes>
        <scopes>Full</scopes>
        <scopes>RefreshToken</scopes>
    </oauthConfig>
    <oauthPolicy>
        <ipRelaxation>ENFORCE</ipRelaxation>
        <refreshTokenPolicy>infinite</refreshTokenPolicy>
    </oauthPolicy>
    <profileName>CPQ Integration User</profileName>
</ConnectedApp>
"#;

const STOCK_PROFILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Profile xmlns="http://soap.sforce.com/2006/04/metadata">
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
fn retrieve_noise_is_notes_and_errors_stay_on_top() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let d = "force-app/main/default";
    write(
        root,
        "sfdx-project.json",
        r#"{"packageDirectories":[{"path":"force-app","default":true}]}"#,
    );
    write(
        root,
        &format!("{d}/connectedApps/CPQIntegrationUserApp.connectedApp-meta.xml"),
        CPQ_APP,
    );
    write(
        root,
        &format!("{d}/profiles/Salesforce API Only System Integrations.profile-meta.xml"),
        STOCK_PROFILE,
    );
    for i in 1..=5 {
        let p = STOCK_PROFILE.replace("ChatterInternalUser", "ApiEnabled");
        write(root, &format!("{d}/profiles/Int {i}.profile-meta.xml"), &p);
    }
    write(
        root,
        &format!("{d}/profiles/Broken.profile-meta.xml"),
        "<Profile>",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_silt"))
        .current_dir(root)
        .env("NO_COLOR", "1")
        .args(["lint", "--no-config", "--fail-on", "warning"])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    // Only the parse error fails the run: the vendor app and the unused stock profile are notes.
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.starts_with("error[parse-error]: "), "{stdout}");
    assert!(
        stdout.contains("note[connected-app-full-scope]: connected app `CPQIntegrationUserApp` requests the `Full` OAuth scope")
            && stdout.contains("is provisioned by Salesforce CPQ"),
        "{stdout}"
    );
    assert!(
        stdout.contains("note[integration-deprecated-profile]: profile `Salesforce API Only System Integrations` is the untouched stock deprecated profile, retrieved but unused"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  6 notes: integration-profile-no-ip-restriction on 6 profiles\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 error, 0 warnings, 9 notes in 9 files"),
        "{stdout}"
    );
}
