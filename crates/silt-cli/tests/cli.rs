//! Real runs of the `silt` binary on temporary SFDX projects.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;

const PROFILES: &str = "force-app/main/default/profiles";
const BROKEN_PROFILE: &str = "<Profile><userPermissions>\n";
const GOOD_PROFILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Profile xmlns="http://soap.sforce.com/2006/04/metadata">
    <custom>false</custom>
</Profile>
"#;

/// `silt` with a clean environment: no colour variables, a timeout so a hang fails the test.
fn silt(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_silt"));
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .timeout(Duration::from_secs(120));
    cmd
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A small SFDX project: one package directory, a scratch definition (Enterprise), a good profile.
fn project() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "sfdx-project.json",
        r#"{"packageDirectories":[{"path":"force-app","default":true}],"name":"t","sourceApiVersion":"62.0"}"#,
    );
    write(
        root,
        "config/project-scratch-def.json",
        r#"{"orgName":"T","edition":"Enterprise"}"#,
    );
    write(
        root,
        &format!("{PROFILES}/Good.profile-meta.xml"),
        GOOD_PROFILE,
    );
    dir
}

fn json_of(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes)))
}

/// Run `silt lint --format json ARGS` in `dir`; return the report and the exit code.
fn lint_json(dir: &Path, args: &[&str]) -> (Value, i32) {
    let out = silt(dir)
        .arg("lint")
        .args(["--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "exit {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (json_of(&out.stdout), code)
}

/// Files with a diagnostic of `rule`.
fn files_with(report: &Value, rule: &str) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == rule)
        .map(|d| d["file"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn discovery_reads_package_dirs_config_and_user_data() {
    let dir = project();
    let root = dir.path();
    write(
        root,
        &format!("{PROFILES}/Bad.profile-meta.xml"),
        BROKEN_PROFILE,
    );
    write(root, "config/broken-user-def.json", "{\"username\": ");
    // User data anywhere in the project (an unterminated quote makes it a parse error we can see).
    write(root, "data/users.csv", "Username,Profile.Name\na@b.c,\"P\n");
    write(root, "scripts/exports/query.json", "{\"records\": [");
    // Metadata outside the package directories and in node_modules is not linted.
    write(
        root,
        "other/profiles/Stray.profile-meta.xml",
        BROKEN_PROFILE,
    );
    write(root, "node_modules/pkg/data.json", "{");
    write(root, ".sfdx/orgs/cache.json", "{");

    let (report, code) = lint_json(root, &[]);
    assert_eq!(code, 1);
    let bad = files_with(&report, "parse-error");
    assert_eq!(
        bad,
        [
            "config/broken-user-def.json",
            "data/users.csv",
            "force-app/main/default/profiles/Bad.profile-meta.xml",
            "scripts/exports/query.json",
        ],
        "{report:#}"
    );
    // sfdx-project.json, the scratch and user definitions, the CSV, the query JSON and two profiles.
    assert!(
        report["summary"]["files"].as_u64().unwrap() >= 6,
        "{report:#}"
    );

    // `silt lint .` at the project root is the same run.
    let (same, _) = lint_json(root, &["."]);
    assert_eq!(same, report);
}

#[test]
fn forceignore_is_honoured() {
    let dir = project();
    let root = dir.path();
    write(
        root,
        ".forceignore",
        "# comment\n**/Ignored.profile-meta.xml\n",
    );
    write(
        root,
        &format!("{PROFILES}/Ignored.profile-meta.xml"),
        BROKEN_PROFILE,
    );
    write(
        root,
        &format!("{PROFILES}/Bad.profile-meta.xml"),
        BROKEN_PROFILE,
    );
    let (report, _) = lint_json(root, &[]);
    assert_eq!(
        files_with(&report, "parse-error"),
        [format!("{PROFILES}/Bad.profile-meta.xml")]
    );
    // Also when linting a sub-path: the project's .forceignore still applies.
    let (report, _) = lint_json(root, &["force-app"]);
    assert_eq!(
        files_with(&report, "parse-error"),
        [format!("{PROFILES}/Bad.profile-meta.xml")]
    );
}

#[test]
fn gitignore_is_honoured_outside_a_git_repository() {
    let dir = project();
    let root = dir.path();
    assert!(!root.join(".git").exists());
    write(root, ".gitignore", "data/private/\n");
    write(root, "data/private/users.json", "{");
    write(root, "data/public/users.json", "{");
    let (report, _) = lint_json(root, &[]);
    assert_eq!(
        files_with(&report, "parse-error"),
        ["data/public/users.json"]
    );
}

#[test]
fn explicit_sub_path_still_gets_the_edition() {
    let dir = project();
    let root = dir.path();
    write(
        root,
        &format!("{PROFILES}/Bad.profile-meta.xml"),
        BROKEN_PROFILE,
    );
    write(root, "data/users.json", "{");
    let (report, code) = lint_json(root, &["force-app"]);
    assert_eq!(code, 1);
    assert_eq!(
        report["summary"]["license"]["edition"], "Enterprise",
        "{report:#}"
    );
    // Paths stay relative to the project root; data/ was not asked for.
    assert_eq!(
        files_with(&report, "parse-error"),
        [format!("{PROFILES}/Bad.profile-meta.xml")]
    );

    // From inside the package directory, too.
    let (inner, _) = lint_json(&root.join("force-app/main"), &["."]);
    assert_eq!(inner["summary"]["license"]["edition"], "Enterprise");
    assert_eq!(
        files_with(&inner, "parse-error"),
        [format!("{PROFILES}/Bad.profile-meta.xml")]
    );
}

#[test]
fn without_a_project_every_classified_file_is_linted() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "src/profiles/Admin.profile", BROKEN_PROFILE);
    write(root, "src/profiles/Good.profile", GOOD_PROFILE);
    write(root, "README.md", "# not metadata\n");
    write(root, "src/package.xml", "<Package");
    let (report, code) = lint_json(root, &["src"]);
    assert_eq!(code, 1);
    // The lint root is the given folder.
    assert_eq!(
        files_with(&report, "parse-error"),
        ["profiles/Admin.profile"]
    );
    assert_eq!(report["summary"]["files"], 2);
    // Several paths: relative to their common parent.
    write(root, "more/profiles/X.profile", BROKEN_PROFILE);
    let (report, _) = lint_json(root, &["src/profiles/Admin.profile", "more"]);
    assert_eq!(
        files_with(&report, "parse-error"),
        ["more/profiles/X.profile", "src/profiles/Admin.profile"]
    );
}

#[test]
fn json_format_is_versioned() {
    let dir = project();
    let (report, code) = lint_json(dir.path(), &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "silt");
    assert!(report["diagnostics"].is_array());
    assert!(report["summary"]["files"].as_u64().unwrap() >= 3);
}

#[test]
fn several_outputs_in_one_run() {
    let dir = project();
    let root = dir.path();
    write(
        root,
        &format!("{PROFILES}/Bad.profile-meta.xml"),
        BROKEN_PROFILE,
    );
    let out = silt(root)
        .args([
            "lint",
            "--format",
            "sarif",
            "-o",
            "out.sarif",
            "--format",
            "human",
            "--color",
            "never",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let sarif_text = fs::read_to_string(root.join("out.sarif")).unwrap();
    let sarif = json_of(sarif_text.as_bytes());
    assert_eq!(sarif["version"], "2.1.0", "{sarif:#}");
    assert!(sarif["runs"].is_array());
    // The file is exactly `--format sarif`, stdout exactly `--format human`.
    let alone = silt(root)
        .args(["lint", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&alone.stdout), sarif_text);
    let human = silt(root)
        .args(["lint", "--format", "human", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&human.stdout)
    );
    assert!(
        serde_json::from_slice::<Value>(&out.stdout).is_err(),
        "stdout should be human text"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Bad.profile-meta.xml"));

    // Two files: JSON and JUnit.
    silt(root)
        .args([
            "lint", "--format", "json", "-o", "a.json", "--format", "junit", "-o", "b.xml",
        ])
        .assert()
        .code(1)
        .stdout("");
    assert_eq!(
        json_of(&fs::read(root.join("a.json")).unwrap())["version"],
        1
    );
    assert!(fs::read_to_string(root.join("b.xml"))
        .unwrap()
        .contains("<testsuite"));
}

#[test]
fn output_before_any_format_is_a_usage_error() {
    let dir = project();
    silt(dir.path())
        .args(["lint", "-o", "x.json", "--format", "json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--format"));
    silt(dir.path())
        .args(["lint", "--format", "yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("yaml"));
}

#[test]
fn exit_codes() {
    let dir = project();
    let root = dir.path();
    silt(root).args(["lint", "--no-config"]).assert().code(0);
    write(
        root,
        &format!("{PROFILES}/Bad.profile-meta.xml"),
        BROKEN_PROFILE,
    );
    let (report, code) = lint_json(root, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        files_with(&report, "parse-error"),
        [format!("{PROFILES}/Bad.profile-meta.xml")]
    );
    silt(root)
        .args(["lint", "--fail-on", "never"])
        .assert()
        .code(0);
    silt(root)
        .args(["lint", "--fail-on", "warning"])
        .assert()
        .code(1);
    // A nonexistent path.
    silt(root)
        .args(["lint", "does/not/exist"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("does/not/exist")
                .and(predicate::str::contains("does not exist")),
        );
    // Unknown option.
    silt(root).args(["lint", "--bogus"]).assert().code(2);
}

#[test]
fn bad_config_is_exit_2_with_position() {
    let dir = project();
    let root = dir.path();
    write(
        root,
        "silt.toml",
        "[org]\nedition = \"Enterprise\"\n\n[files]\n  inclde = [\"x\"]\n",
    );
    silt(root).args(["lint"]).assert().code(2).stderr(
        predicate::str::contains("error: silt.toml:5:3:").and(predicate::str::contains("inclde")),
    );
    // Found from a sub-folder too, and ignored with --no-config.
    silt(&root.join("config"))
        .args(["lint"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("5:3"));
    silt(root).args(["lint", "--no-config"]).assert().code(0);
    // --config names another file.
    write(root, "ci/strict.toml", "fail_on = \"note\"\n");
    silt(root)
        .args(["lint", "--config", "ci/strict.toml"])
        .assert()
        .code(0);
    silt(root)
        .args(["lint", "--config", "ci/missing.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.toml"));
}

#[test]
fn config_fail_on_and_exclude_apply() {
    let dir = project();
    let root = dir.path();
    write(
        root,
        &format!("{PROFILES}/Bad.profile-meta.xml"),
        BROKEN_PROFILE,
    );
    write(
        root,
        "silt.toml",
        "[files]\nexclude = [\"force-app/**/Bad.profile-meta.xml\"]\n",
    );
    let (report, code) = lint_json(root, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert!(files_with(&report, "parse-error").is_empty());
}

#[test]
fn no_color_and_color_always() {
    let dir = project();
    let root = dir.path();
    write(
        root,
        &format!("{PROFILES}/Bad.profile-meta.xml"),
        BROKEN_PROFILE,
    );
    let plain = silt(root)
        .env("NO_COLOR", "1")
        .args(["lint", "--color", "auto"])
        .output()
        .unwrap();
    assert_eq!(plain.status.code(), Some(1));
    assert!(!plain.stdout.is_empty());
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("\x1b["));
    // Not a terminal: auto means no colour even without NO_COLOR.
    let piped = silt(root).args(["lint"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&piped.stdout).contains("\x1b["));
    let coloured = silt(root)
        .env("NO_COLOR", "1")
        .args(["lint", "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&coloured.stdout).contains("\x1b["));
    let never = silt(root)
        .args(["lint", "--color", "never"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&never.stdout).contains("\x1b["));
}

#[test]
fn quiet_prints_only_the_summary() {
    let dir = project();
    let root = dir.path();
    write(
        root,
        &format!("{PROFILES}/Bad.profile-meta.xml"),
        BROKEN_PROFILE,
    );
    let full = silt(root)
        .args(["lint", "--color", "never"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&full.stdout).contains("Bad.profile-meta.xml"));
    let quiet = silt(root)
        .args(["lint", "--quiet", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(quiet.status.code(), Some(1));
    let text = String::from_utf8_lossy(&quiet.stdout);
    assert!(!text.contains("Bad.profile-meta.xml"), "{text}");
    assert!(text.starts_with("1 error"), "{text}");
    assert!(String::from_utf8_lossy(&full.stdout).ends_with(text.as_ref()));
}

#[test]
fn rules_lists_the_registry() {
    let dir = tempfile::tempdir().unwrap();
    let out = silt(dir.path()).arg("rules").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("NAME"));
    let reg = silt_core::registry::registry();
    assert!(reg.rules.contains_key("parse-error"));
    for (name, meta) in &reg.rules {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name.as_str()));
        let line = line.unwrap_or_else(|| panic!("{name} not listed:\n{text}"));
        assert!(line.contains(meta.severity.as_str()), "{line}");
    }

    let out = silt(dir.path())
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let list = json_of(&out.stdout);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        reg.rules.keys().map(|s| s.as_str()).collect::<Vec<_>>()
    );
    let pe = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "parse-error")
        .unwrap();
    assert_eq!(pe["severity"], "error");
    assert!(pe["fixable"].is_boolean() && pe["summary"].is_string());
}

#[test]
fn explain_prints_markdown_and_suggests() {
    let dir = tempfile::tempdir().unwrap();
    silt(dir.path())
        .args(["explain", "parse-error"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("# parse-error"));
    silt(dir.path())
        .args(["explain", "parse-eror"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("unknown rule `parse-eror`")
                .and(predicate::str::contains("did you mean `parse-error`")),
        );
}

#[test]
fn init_writes_a_valid_config_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    silt(dir.path()).arg("init").assert().code(0);
    let text = fs::read_to_string(dir.path().join("silt.toml")).unwrap();
    assert!(silt_core::Config::parse("silt.toml", &text).is_ok());
    fs::write(dir.path().join("silt.toml"), "# mine\n").unwrap();
    silt(dir.path())
        .arg("init")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(
        fs::read_to_string(dir.path().join("silt.toml")).unwrap(),
        "# mine\n"
    );
}

#[test]
fn version_flag() {
    let dir = tempfile::tempdir().unwrap();
    silt(dir.path()).arg("--version").assert().code(0).stdout(
        predicate::str::starts_with("silt ")
            .and(predicate::str::contains(env!("CARGO_PKG_VERSION"))),
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_a_parse_error_and_the_rest_is_linted() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project();
    let root = dir.path();
    write(
        root,
        &format!("{PROFILES}/Bad.profile-meta.xml"),
        BROKEN_PROFILE,
    );
    let locked = root.join(PROFILES).join("Locked.profile-meta.xml");
    fs::write(&locked, GOOD_PROFILE).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let root_can_read = fs::read(&locked).is_ok(); // running as root: permissions do not apply
    let (report, code) = lint_json(root, &[]);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(code, 1);
    let bad = files_with(&report, "parse-error");
    assert!(
        bad.contains(&format!("{PROFILES}/Bad.profile-meta.xml")),
        "{report:#}"
    );
    if !root_can_read {
        assert!(
            bad.contains(&format!("{PROFILES}/Locked.profile-meta.xml")),
            "{report:#}"
        );
        let d = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| {
                d["file"]
                    .as_str()
                    .unwrap()
                    .ends_with("Locked.profile-meta.xml")
            })
            .unwrap();
        assert_eq!(d["range"]["start"]["line"], 1);
        assert_eq!(d["range"]["start"]["column"], 1);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn non_utf8_file_name_is_a_parse_error_and_the_rest_is_linted() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = project();
    let root = dir.path();
    write(
        root,
        &format!("{PROFILES}/Bad.profile-meta.xml"),
        BROKEN_PROFILE,
    );
    let name = OsStr::from_bytes(b"Caf\xe9.profile-meta.xml");
    fs::write(root.join(PROFILES).join(name), GOOD_PROFILE).unwrap();
    let (report, code) = lint_json(root, &[]);
    assert_eq!(code, 1);
    let bad = files_with(&report, "parse-error");
    assert_eq!(bad.len(), 2, "{report:#}");
    assert!(bad.contains(&format!("{PROFILES}/Bad.profile-meta.xml")));
    assert!(
        bad.iter()
            .any(|f| f.starts_with(&format!("{PROFILES}/Caf")) && f.ends_with(".profile-meta.xml")),
        "{bad:?}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_does_not_hang() {
    let dir = project();
    let root = dir.path();
    write(
        root,
        &format!("{PROFILES}/Bad.profile-meta.xml"),
        BROKEN_PROFILE,
    );
    std::os::unix::fs::symlink("..", root.join(PROFILES).join("loop")).unwrap();
    std::os::unix::fs::symlink(root.join("force-app"), root.join("force-app/main/back")).unwrap();
    let out = silt(root)
        .args(["lint", "--format", "json"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json_of(&out.stdout);
    assert_eq!(
        files_with(&report, "parse-error"),
        [format!("{PROFILES}/Bad.profile-meta.xml")]
    );
    // Links inside the root are not followed, so a loop is not even a warning.
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    let dir = project();
    let root = dir.path();
    for i in 0..60 {
        let text = if i % 7 == 0 {
            BROKEN_PROFILE
        } else {
            GOOD_PROFILE
        };
        write(root, &format!("{PROFILES}/P{i:02}.profile-meta.xml"), text);
        write(
            root,
            &format!("force-app/main/default/permissionsets/S{i:02}.permissionset-meta.xml"),
            if i % 5 == 0 {
                "<PermissionSet>"
            } else {
                "<PermissionSet/>"
            },
        );
    }
    write(root, "data/users.csv", "Username,Profile.Name,IsActive\nint@example.com,Salesforce API Only System Integrations,true\n");
    let one = silt(root)
        .args(["lint", "--format", "json", "-j", "1"])
        .output()
        .unwrap();
    let four = silt(root)
        .args(["lint", "--format", "json", "-j", "4"])
        .output()
        .unwrap();
    assert_eq!(one.status.code(), Some(1));
    assert_eq!(one.stdout, four.stdout);
    assert_eq!(
        files_with(&json_of(&one.stdout), "parse-error").len(),
        9 + 12
    );
    for format in ["human", "sarif", "junit", "github", "markdown"] {
        let many = silt(root)
            .args([
                "lint",
                "--color",
                "never",
                "--format",
                format,
                "--threads",
                "8",
            ])
            .output()
            .unwrap();
        let single = silt(root)
            .args([
                "lint",
                "--color",
                "never",
                "--format",
                format,
                "--threads",
                "1",
            ])
            .output()
            .unwrap();
        assert_eq!(many.stdout, single.stdout, "{format}");
    }
}

fn corpora() -> Option<PathBuf> {
    let path = match std::env::var_os("SILT_CORPORA") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora"),
    };
    path.is_dir().then_some(path)
}

#[test]
fn corpora_parse_without_errors() {
    let Some(corpora) = corpora() else {
        eprintln!("corpora not found; skipped (set SILT_CORPORA)");
        return;
    };
    let out = silt(&corpora)
        .args([
            "lint",
            ".",
            "--format",
            "json",
            "--no-config",
            "--fail-on",
            "never",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json_of(&out.stdout);
    let bad: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "parse-error")
        .collect();
    assert!(bad.is_empty(), "parse errors in the corpora: {bad:#?}");
    let on_disk = walk_count(&corpora);
    assert!(
        report["summary"]["files"].as_u64().unwrap() as usize >= on_disk / 2,
        "only {} of {on_disk} files read",
        report["summary"]["files"]
    );
}

fn walk_count(dir: &Path) -> usize {
    fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        walk_count(&p)
                    } else {
                        usize::from(silt_core::classify(&p.to_string_lossy()).is_some())
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}
