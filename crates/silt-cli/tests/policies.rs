//! Policies as data through the CLI: custom rules on real corpus files, suppressions, baselines,
//! --fix (applied, then re-linted clean), bad config and rule files with positions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn silt(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_silt"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(120));
    cmd
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

fn example(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("examples").join(name), dir.path());
    dir
}

fn report(dir: &Path, args: &[&str]) -> (Value, i32, String) {
    let out = silt(dir)
        .arg("lint")
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}); exit {code}; {stderr}"));
    (v, code, stderr)
}

fn rules_of(r: &Value) -> Vec<String> {
    r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

/// Copy the example rule pack into `dir/policies/` and write a `silt.toml` that loads it.
fn with_example_pack(dir: &Path, more_config: &str) {
    fs::create_dir_all(dir.join("policies")).unwrap();
    fs::copy(
        repo().join("rules/examples/least-privilege.toml"),
        dir.join("policies/lp.toml"),
    )
    .unwrap();
    fs::write(
        dir.join("silt.toml"),
        format!("custom_rules = [\"policies/lp.toml\"]\n{more_config}"),
    )
    .unwrap();
}

#[test]
fn custom_rules_from_config_fire_on_real_corpus_files() {
    let corpora = repo().join("../shared/corpora/npsp/unpackaged/config/qa");
    if !corpora.is_dir() {
        eprintln!("corpora missing; skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&corpora, &dir.path().join("qa"));
    with_example_pack(dir.path(), "[rules]\ndescription-required = \"off\"\n");
    let (r, code, _) = report(dir.path(), &["qa"]);
    let hits: Vec<&Value> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "manage-users-non-admin")
        .collect();
    assert_eq!(hits.len(), 2, "{r:#}");
    assert!(hits
        .iter()
        .all(|d| d["file"] == "profiles/sysadmin_test.profile" && d["severity"] == "warning"));
    assert!(
        !rules_of(&r).contains(&"description-required".to_string()),
        "turned off in [rules]"
    );
    assert_eq!(code, 0, "warnings only");
    // The custom rule is documented like a built-in.
    let out = silt(dir.path())
        .args(["explain", "manage-users-non-admin"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("ManageUsers or ViewSetup"));
    // SARIF carries a descriptor for it.
    let out = silt(dir.path())
        .args(["lint", "qa", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"manage-users-non-admin"), "{ids:?}");
}

#[test]
fn user_rules_fire_on_the_example_users_and_baseline_like_any_finding() {
    let dir = example("integration-gone-wrong");
    with_example_pack(dir.path(), "");
    let mut csv = fs::read_to_string(dir.path().join("data/users.csv")).unwrap();
    csv.push_str("etl-nightly@acme.example,Minimum Access - API Only Integrations,Salesforce Integration,true\n");
    fs::write(dir.path().join("data/users.csv"), csv).unwrap();
    let (r, _, _) = report(dir.path(), &[]);
    let hits: Vec<(String, u64, String)> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "integration-username-convention")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // The deprecated-profile user of the user definition, and the added CSV row; int-* users conform.
    assert_eq!(hits.len(), 2, "{hits:#?}");
    assert_eq!(
        (hits[0].0.as_str(), hits[0].1),
        ("config/legacy-user-def.json", 1)
    );
    assert!(
        hits[0].2.contains(
            "`legacy-etl@acme.example` (profile Salesforce API Only System Integrations, user-def)"
        ),
        "{}",
        hits[0].2
    );
    assert_eq!((hits[1].0.as_str(), hits[1].1), ("data/users.csv", 5));
    // A baseline records and hides them like any other finding.
    let out = silt(dir.path())
        .args(["lint", "--write-baseline", "baseline.json"])
        .output()
        .unwrap();
    assert!(out.status.code().is_some(), "{out:?}");
    let (r, _, _) = report(dir.path(), &["--baseline", "baseline.json"]);
    assert!(
        !rules_of(&r).contains(&"integration-username-convention".to_string()),
        "{r:#}"
    );
}

#[test]
fn bad_rule_file_and_bad_config_give_positions_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("rules.toml"),
        "[[rule]]\nname = \"x\"\nsummary = \"s\"\nkinds = [\"Profile\"]\nmesage = \"m\"\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("silt.toml"),
        "custom_rules = [\"rules.toml\"]\n",
    )
    .unwrap();
    let out = silt(dir.path()).arg("lint").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("rules.toml:5:1") && err.contains("did you mean `message`"),
        "{err}"
    );

    fs::write(
        dir.path().join("silt.toml"),
        "[org]\neditoin = \"Enterprise\"\n",
    )
    .unwrap();
    let out = silt(dir.path()).arg("lint").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("silt.toml:2:1") && err.contains("did you mean `edition`"),
        "{err}"
    );

    fs::write(
        dir.path().join("silt.toml"),
        "[rules]\nintegration-profile-no-ip-restrictoin = \"off\"\n",
    )
    .unwrap();
    let out = silt(dir.path()).arg("lint").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("silt.toml:2:1")
            && err.contains("did you mean `integration-profile-no-ip-restriction`"),
        "{err}"
    );
}

#[test]
fn suppressions_silence_report_missing_reasons_and_unused_ones() {
    let dir = example("integration-gone-wrong");
    let (r, _, _) = report(dir.path(), &[]);
    assert_eq!(r["summary"]["suppressed"], 1);
    let rules = rules_of(&r);
    assert!(rules.contains(&"suppression-missing-reason".into()));
    assert!(rules.contains(&"unused-suppression".into()));
    // The suppressed ModifyAllData finding is not reported; ViewSetup (same file) still is.
    let diags = r["diagnostics"].as_array().unwrap();
    let excessive: Vec<&str> = diags
        .iter()
        .filter(|d| d["rule"] == "integration-excessive-permission")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        !excessive
            .iter()
            .any(|m| m.contains("profile `Integration Sync` grants ModifyAllData")),
        "{excessive:?}"
    );
    assert!(
        excessive.iter().any(|m| m.contains("ViewSetup")),
        "{excessive:?}"
    );
    // A file-level suppression with a reason silences the whole file's findings of that rule.
    let p = dir
        .path()
        .join("force-app/main/default/connectedApps/Billing_Sync.connectedApp-meta.xml");
    let text = fs::read_to_string(&p).unwrap().replace("<ConnectedApp ", "<!-- silt-ignore-file connected-app-full-scope, connected-app-http-callback: legacy app, retired in Q3 -->\n<ConnectedApp ");
    fs::write(&p, text).unwrap();
    let (r2, _, _) = report(dir.path(), &[]);
    let rules2 = rules_of(&r2);
    assert!(
        !rules2.contains(&"connected-app-full-scope".into())
            && !rules2.contains(&"connected-app-http-callback".into())
    );
    assert_eq!(r2["summary"]["suppressed"], 3);
}

#[test]
fn baseline_round_trip() {
    let dir = example("integration-gone-wrong");
    let (full, code, _) = report(dir.path(), &[]);
    assert_eq!(code, 1);
    let n = full["diagnostics"].as_array().unwrap().len();
    let (r, code, err) = report(dir.path(), &["--write-baseline", "silt-baseline.json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(r["diagnostics"].as_array().unwrap().len(), 0);
    let b: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("silt-baseline.json")).unwrap())
            .unwrap();
    assert_eq!(b["entries"].as_array().unwrap().len(), n);
    // Moving lines does not break the baseline: fingerprints use element paths, not positions.
    let p = dir
        .path()
        .join("force-app/main/default/connectedApps/Billing_Sync.connectedApp-meta.xml");
    let text = fs::read_to_string(&p)
        .unwrap()
        .replace("<ConnectedApp xmlns", "\n\n\n<ConnectedApp xmlns");
    fs::write(&p, text).unwrap();
    let (r, code, err) = report(dir.path(), &["--baseline", "silt-baseline.json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(r["summary"]["baselined"], n as u64);
    assert!(err.contains(&format!("{n} findings hidden")), "{err}");
    // A new finding shows; a fixed one is reported as prunable.
    let p = dir
        .path()
        .join("force-app/main/default/connectedApps/Warehouse_Sync.connectedApp-meta.xml");
    let text = fs::read_to_string(&p)
        .unwrap()
        .replace(
            "<scopes>Api</scopes>",
            "<scopes>Api</scopes><scopes>Full</scopes>",
        )
        .replace(
            "<permissionSetName>Sales Admin Tools</permissionSetName>",
            "",
        );
    fs::write(&p, text).unwrap();
    let (r, code, err) = report(dir.path(), &["--baseline", "silt-baseline.json"]);
    assert_eq!(rules_of(&r), ["connected-app-full-scope"], "{r:#}");
    assert_eq!(code, 0, "a warning does not fail");
    assert!(
        err.contains("baseline entries are fixed and can be pruned")
            && err.contains("integration-permset-license-mismatch"),
        "{err}"
    );
}

#[test]
fn fix_applies_minimal_edits_and_relints_clean() {
    let dir = example("integration-gone-wrong");
    let profile = dir
        .path()
        .join("force-app/main/default/profiles/Integration Sync.profile-meta.xml");
    // CRLF and a BOM must survive the fix.
    let original = format!(
        "\u{feff}{}",
        fs::read_to_string(&profile).unwrap().replace('\n', "\r\n")
    );
    fs::write(&profile, &original).unwrap();
    let fixable = [
        "permission-name-typo",
        "integration-license-name",
        "integration-profile-not-api-only",
    ];
    let (before, _, _) = report(dir.path(), &[]);
    let count = |r: &Value| {
        rules_of(r)
            .iter()
            .filter(|x| fixable.contains(&x.as_str()))
            .count()
    };
    assert!(count(&before) >= 3, "{:?}", rules_of(&before));

    // --diff shows the edits and writes nothing.
    let out = silt(dir.path())
        .args(["lint", "--fix", "--diff"])
        .output()
        .unwrap();
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("-        <name>ApiOnlyUser</name>\r")
            && diff.contains("+        <name>ApiUserOnly</name>\r"),
        "{diff}"
    );
    assert!(
        diff.contains("+    <license>SalesforceAPIIntegrationPsl</license>"),
        "{diff}"
    );
    assert_eq!(fs::read_to_string(&profile).unwrap(), original);

    // --fix writes; the report is what remains, with no fixable findings left.
    let (after, _, err) = report(dir.path(), &["--fix"]);
    assert!(err.contains("fixed "), "{err}");
    assert_eq!(count(&after), 0, "{:?}", rules_of(&after));
    let fixed = fs::read_to_string(&profile).unwrap();
    assert!(fixed.starts_with('\u{feff}'), "BOM kept");
    assert!(!fixed.replace("\r\n", "").contains('\n'), "CRLF kept");
    assert!(fixed.contains("<enabled>true</enabled>\r\n        <name>ApiEnabled</name>"));
    // Only the fixed lines changed.
    let changed = original
        .lines()
        .zip(fixed.lines())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(changed, 2, "{fixed}");
    // Re-lint from scratch: clean of fixable findings.
    let (again, _, _) = report(dir.path(), &[]);
    assert_eq!(count(&again), 0);
}

#[test]
fn fix_adds_missing_api_only_permissions_in_file_style() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("profiles/Int.profile-meta.xml");
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n\t<loginIpRanges><endAddress>1.1.1.1</endAddress><startAddress>1.1.1.1</startAddress></loginIpRanges>\n\t<userLicense>Salesforce Integration</userLicense>\n</Profile>\n").unwrap();
    let (_, code, _) = report(dir.path(), &["--fix"]);
    assert_eq!(code, 0);
    let text = fs::read_to_string(&p).unwrap();
    assert!(text.contains("\t<userPermissions>\n\t\t<enabled>true</enabled>\n\t\t<name>ApiEnabled</name>\n\t</userPermissions>\n"), "{text}");
    assert!(text.contains("<name>ApiUserOnly</name>"), "{text}");
    let (r, _, _) = report(dir.path(), &[]);
    assert!(r["diagnostics"].as_array().unwrap().is_empty(), "{r:#}");
}
