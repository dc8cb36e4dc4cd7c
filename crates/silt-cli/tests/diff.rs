//! Real runs of `silt diff` and `silt lint --new-since` on tests/fixtures/diff (base/ and head/):
//! folder against folder, and a real git repository with the two versions as two commits (revision
//! against working tree, revision against revision).
//!
//! The change from base to head: permission set group `Sync_Group` gains `Sync_Core`, which grants
//! ManageUsers, so integration user int-a gains it through the group; a new connected app
//! `Partner_Feed` with the `Full` scope and client credentials runs as the new integration user
//! int-b (a second seat: cost before and after); `Report_Viewer`'s callback moves to https (a fixed
//! finding); and `Legacy_Tools`' misspelt permission only moves down (it must count as neither).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/diff")
}

fn silt(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_silt"))
        .current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=silt",
            "-c",
            "user.email=silt@example.invalid",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A repository whose first commit has base/ and second head/ at `project/`; the working tree is head.
fn repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    git(root, &["init", "-q"]);
    let project = root.join("project");
    copy_dir(&fixtures().join("base"), &project);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "base"]);
    std::fs::remove_dir_all(&project).unwrap();
    copy_dir(&fixtures().join("head"), &project);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "head"]);
    tmp
}

fn folders(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["diff", "base", "head"];
    all.extend_from_slice(args);
    silt(&fixtures(), &all)
}

fn json_of(out: &str) -> Value {
    serde_json::from_str(out).unwrap()
}

/// The report without the names of the two versions.
fn unlabelled(mut v: Value) -> Value {
    v["base"] = Value::Null;
    v["head"] = Value::Null;
    v
}

#[test]
fn folder_against_folder_in_every_format() {
    for format in ["human", "json", "markdown", "github"] {
        let (code, out, err) = folders(&["--format", format]);
        assert_eq!(code, 0, "{format}: {err}");
        insta::with_settings!({ description => format!("silt diff base head --format {format} (tests/fixtures/diff)"), omit_expression => true }, {
            insta::assert_snapshot!(format!("diff_{format}"), out);
        });
    }
}

#[test]
fn json_names_the_grant_chain_the_app_and_the_cost() {
    let (_, out, _) = folders(&["--format", "json"]);
    let v = json_of(&out);
    assert_eq!(v["version"], 1);
    assert_eq!(v["base"], "base");
    assert_eq!(v["head"], "head");
    // int-a gains ManageUsers through the group, in `silt access --format json`'s grant shape.
    let a = v["access"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "int-a@acme.example")
        .unwrap();
    assert_eq!(a["status"], "changed");
    assert_eq!(a["removed"], serde_json::json!([]));
    let g = &a["added"][0];
    assert_eq!(g["permission"], "ManageUsers");
    assert_eq!(g["kind"], "userPermission");
    assert_eq!(g["tier"], 0);
    let via: Vec<&str> = g["via"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap())
        .collect();
    assert_eq!(via, ["Sync_Group", "Sync_Core"]);
    assert_eq!(g["assignedAt"]["file"], "data/permset-assignments.csv");
    // The new app: Full scope and client credentials, run as int-b, flagged as risky.
    let app = v["apps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["app"] == "Partner_Feed")
        .unwrap();
    assert_eq!(app["status"], "added");
    let changes = app["changes"].as_array().unwrap();
    let find = |setting: &str, after: &str| {
        changes
            .iter()
            .find(|c| c["setting"] == setting && c["after"] == after)
            .unwrap_or_else(|| panic!("{setting} {after}: {changes:?}"))
    };
    assert_eq!(find("scope", "Full")["risky"], true);
    assert_eq!(find("clientCredentialsFlow", "on")["risky"], true);
    assert_eq!(
        find("runAsUser", "int-b@acme.example")["before"],
        Value::Null
    );
    // Seats and cost before and after.
    assert_eq!(v["license"]["before"]["activeIntegrationUsers"], 1);
    assert_eq!(v["license"]["after"]["activeIntegrationUsers"], 2);
    assert_eq!(v["license"]["before"]["monthlyCost"], 0.0);
    assert_eq!(v["license"]["after"]["monthlyCost"], 10.0);
    // Findings by fingerprint: the moved typo is neither introduced nor fixed.
    let rules = |key: &str| -> Vec<String> {
        v["findings"][key]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect()
    };
    let introduced = rules("introduced");
    assert!(
        introduced.contains(&"connected-app-full-scope".to_string()),
        "{introduced:?}"
    );
    assert!(introduced.contains(&"integration-excessive-permission".to_string()));
    assert!(!introduced.contains(&"permission-name-typo".to_string()));
    assert_eq!(rules("fixed"), ["connected-app-http-callback"]);
    // Diagnostics in `silt lint --format json`'s shape.
    let (_, lint, _) = silt(&fixtures().join("head"), &["lint", "--format", "json"]);
    let lint = json_of(&lint);
    let full_scope = v["findings"]["introduced"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "connected-app-full-scope")
        .unwrap();
    assert!(lint["diagnostics"].as_array().unwrap().contains(full_scope));
}

#[test]
fn markdown_starts_with_the_marker() {
    let (_, out, _) = folders(&["--format", "markdown"]);
    assert_eq!(out.lines().next(), Some("<!-- silt:diff -->"));
}

#[test]
fn revision_against_working_tree_and_revision_against_revision() {
    let tmp = repo();
    let project = tmp.path().join("project");
    let (_, expected, _) = folders(&["--format", "json"]);
    let expected = unlabelled(json_of(&expected));

    let (code, out, err) = silt(&project, &["diff", "HEAD~1", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v = json_of(&out);
    assert_eq!(v["base"], "HEAD~1");
    assert_eq!(v["head"], "working tree");
    assert_eq!(unlabelled(v), expected);

    let (code, out, err) = silt(&project, &["diff", "HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(unlabelled(json_of(&out)), expected);

    // Every text format: the same as folder against folder, but for the names of the two versions.
    for format in ["human", "markdown", "github"] {
        let (_, folder, _) = folders(&["--format", format]);
        let (code, rev, err) = silt(&project, &["diff", "HEAD~1", "HEAD", "--format", format]);
        assert_eq!(code, 0, "{err}");
        let expected = folder
            .replace("silt diff base → head", "silt diff HEAD~1 → HEAD")
            .replace("Comparing `base` → `head`.", "Comparing `HEAD~1` → `HEAD`.");
        assert_eq!(rev, expected, "{format}");
    }

    // From the repository's top level, naming the project.
    let (code, out, err) = silt(
        tmp.path(),
        &[
            "diff",
            "main~1",
            "main",
            "--project",
            "project",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(unlabelled(json_of(&out)), expected);

    // The revision is read from git's objects, not from the working tree: an uncommitted change
    // shows against HEAD, and HEAD against HEAD is empty.
    let (_, out, _) = silt(&project, &["diff", "HEAD", "HEAD", "--format", "json"]);
    let v = json_of(&out);
    assert_eq!(v["access"], serde_json::json!([]));
    assert_eq!(v["findings"]["introduced"], serde_json::json!([]));
    std::fs::remove_file(
        project.join("force-app/main/default/connectedApps/Partner_Feed.connectedApp-meta.xml"),
    )
    .unwrap();
    let (_, out, _) = silt(&project, &["diff", "HEAD", "--format", "json"]);
    let v = json_of(&out);
    assert_eq!(v["apps"][0]["app"], "Partner_Feed");
    assert_eq!(v["apps"][0]["status"], "removed");
}

/// The `::warning` annotations of a `github` output, as `file:line` (rule).
fn annotated(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| l.starts_with("::"))
        .map(|l| {
            let props = |key: &str| {
                l.split([',', ' ', ':'])
                    .find_map(|p| p.strip_prefix(key))
                    .unwrap_or("")
                    .to_string()
            };
            format!("{}:{}", props("file="), props("line="))
        })
        .collect()
}

const SYNC_CORE: &str = "force-app/main/default/permissionsets/Sync_Core.permissionset-meta.xml";

#[test]
fn github_annotates_only_lines_the_change_touched() {
    // Folder against folder: int-a's new ManageUsers comes through the changed group; the finding
    // sits on line 8 of Sync_Core, a file the change did not touch: listed, not annotated.
    let (code, out, err) = folders(&["--format", "github"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        annotated(&out),
        [
            "data/users.csv:3",
            "force-app/main/default/connectedApps/Partner_Feed.connectedApp-meta.xml:11"
        ]
    );
    assert!(
        out.contains("silt: 1 introduced finding is on lines this change did not touch (not annotated):\n  warning[integration-excessive-permission] force-app/main/default/permissionsets/Sync_Core.permissionset-meta.xml:8:15 "),
        "{out}"
    );
    let (_, json, _) = folders(&["--format", "json"]);
    let touched = &json_of(&json)["findings"]["touched"];
    assert_eq!(touched["data/users.csv"], serde_json::json!([[3, 3]]));
    assert_eq!(touched[SYNC_CORE], Value::Null);

    // In a git repository, the working tree against a revision: Sync_Core changed on line 3 only.
    let tmp = repo();
    let project = tmp.path().join("project");
    let file = project.join(SYNC_CORE);
    let text = std::fs::read_to_string(&file).unwrap();
    let described = text.replace(
        "User administration for the provisioning job",
        "User administration for the nightly provisioning job",
    );
    std::fs::write(&file, &described).unwrap();
    let (code, out, err) = silt(&project, &["diff", "HEAD~1", "--format", "github"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !annotated(&out).iter().any(|a| a.contains("Sync_Core")),
        "{out}"
    );
    assert!(
        out.contains("did not touch (not annotated):\n  warning[integration-excessive-permission]"),
        "{out}"
    );
    let (_, json, _) = silt(&project, &["diff", "HEAD~1", "--format", "json"]);
    assert_eq!(
        json_of(&json)["findings"]["touched"][SYNC_CORE],
        serde_json::json!([[3, 3]])
    );

    // Now line 8 changes too (the permission's element, re-indented): annotated there.
    std::fs::write(
        &file,
        described.replace(
            "        <name>ManageUsers</name>",
            "      <name>ManageUsers</name>",
        ),
    )
    .unwrap();
    let (code, out, err) = silt(&project, &["diff", "HEAD~1", "--format", "github"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        annotated(&out),
        [
            "data/users.csv:3",
            "force-app/main/default/connectedApps/Partner_Feed.connectedApp-meta.xml:11",
            &format!("{SYNC_CORE}:8")
        ]
    );
    assert!(!out.contains("not annotated"), "{out}");
    // Committed: revision against revision reads both texts from git's objects, with the same result.
    git(tmp.path(), &["commit", "-qam", "touch Sync_Core"]);
    let (code, rev, err) = silt(&project, &["diff", "HEAD~2", "HEAD", "--format", "github"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rev, out);
    // Human and markdown list every introduced finding; without the change on line 8, they mark
    // Sync_Core's as outside the change.
    std::fs::write(&file, &described).unwrap();
    let (_, human, _) = silt(&project, &["diff", "HEAD~2", "--format", "human"]);
    assert!(
        human.lines().any(
            |l| l.starts_with("  + warning[integration-excessive-permission]")
                && l.ends_with("(outside the change)")
        ),
        "{human}"
    );
    let (_, md, _) = silt(&project, &["diff", "HEAD~2", "--format", "markdown"]);
    assert!(
        md.contains(
            "| introduced (outside the change) | warning | `integration-excessive-permission` |"
        ),
        "{md}"
    );
    assert_eq!(md.matches("| introduced").count(), 3, "{md}");
}

#[test]
fn fail_on_counts_introduced_findings() {
    let (code, _, _) = folders(&["--format", "json", "--fail-on", "warning"]);
    assert_eq!(code, 1);
    let (code, _, _) = folders(&["--format", "json", "--fail-on", "error"]);
    assert_eq!(code, 0);
    // Head has an error (the misspelt permission) that base had too: not introduced.
    let (code, _, _) = silt(&fixtures().join("head"), &["lint", "--fail-on", "error"]);
    assert_eq!(code, 1);
}

#[test]
fn outputs_to_files() {
    let tmp = tempfile::tempdir().unwrap();
    let md = tmp.path().join("comment.md");
    let (code, out, err) = folders(&[
        "--format",
        "markdown",
        "-o",
        md.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json_of(&out)["version"], 1);
    let text = std::fs::read_to_string(md).unwrap();
    assert!(text.starts_with("<!-- silt:diff -->\n"));
}

#[test]
fn new_since_reports_only_new_findings() {
    let tmp = repo();
    let project = tmp.path().join("project");
    for format in ["json", "human", "github", "sarif", "junit", "markdown"] {
        let (code, out, err) = silt(
            &project,
            &[
                "lint",
                "--new-since",
                "HEAD~1",
                "--format",
                format,
                "--fail-on",
                "warning",
            ],
        );
        assert_eq!(code, 1, "{format}: {err}");
        assert!(
            err.contains("findings that HEAD~1 already had are not shown"),
            "{err}"
        );
        assert!(out.contains("connected-app-full-scope"), "{format}: {out}");
        assert!(!out.contains("Legacy_Tools"), "{format}: {out}");
    }
    let (code, out, _) = silt(
        &project,
        &["lint", "--new-since", "HEAD~1", "--format", "json"],
    );
    // Only warnings are new; the misspelt permission (an error) was there before.
    assert_eq!(code, 0);
    let v = json_of(&out);
    let rules: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "integration-license-capacity",
            "connected-app-full-scope",
            "integration-excessive-permission"
        ]
    );
    assert_eq!(v["summary"]["errors"], 0);
    assert_eq!(v["summary"]["warnings"], 3);
    // Against itself: nothing new.
    let (code, out, _) = silt(
        &project,
        &[
            "lint",
            "--new-since",
            "HEAD",
            "--fail-on",
            "note",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(json_of(&out)["diagnostics"], serde_json::json!([]));
}

#[test]
fn bad_revisions_and_folders_exit_2() {
    let tmp = repo();
    let project = tmp.path().join("project");
    let (code, out, err) = silt(&project, &["diff", "no-such-branch"]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(
        err.starts_with(
            "error: `no-such-branch` is neither a folder nor a revision of the git repository at "
        ),
        "{err}"
    );
    let (code, _, err) = silt(&project, &["lint", "--new-since", "no-such-branch"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`no-such-branch` is neither a folder nor a revision"),
        "{err}"
    );
    let (code, _, err) = silt(&project, &["diff", "--", "-x"]);
    assert_eq!(code, 2);
    assert!(err.contains("`-x` is not a git revision"), "{err}");
    // Outside any repository, a name that is no folder.
    let outside = tempfile::tempdir().unwrap();
    let (code, _, err) = silt(outside.path(), &["diff", "main"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not in a git repository"), "{err}");
    // A revision where the project did not exist yet.
    git(tmp.path(), &["checkout", "-q", "--orphan", "empty"]);
    git(tmp.path(), &["rm", "-rq", "--cached", "."]);
    std::fs::write(tmp.path().join("README"), "x").unwrap();
    git(tmp.path(), &["add", "README"]);
    git(tmp.path(), &["commit", "-q", "-m", "empty"]);
    let (code, _, err) = silt(&project, &["diff", "empty"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("does not exist"), "{err}");
    // An unknown format.
    let (code, _, err) = folders(&["--format", "sarif"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown format `sarif`"), "{err}");
}
