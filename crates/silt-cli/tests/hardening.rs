//! Hardening: non-English text, a panic isolated to its file, the symbolic link policy.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn silt(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_silt"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SILT_INJECT_PANIC")
        .timeout(Duration::from_secs(60));
    cmd
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr))
    })
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

const PROJECT: &str = r#"{"packageDirectories":[{"path":"force-app","default":true}]}"#;
const TYPO_PERMSET: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>SECRET-LABEL</label>\n    <userPermissions>\n        <enabled>true</enabled>\n        <name>ApiOnlyUser</name>\n    </userPermissions>\n</PermissionSet>\n";

#[test]
fn non_english_labels_lint_in_every_format() {
    let fixture = repo().join("tests/fixtures/non-english");
    for format in ["human", "json", "sarif", "junit", "github", "markdown"] {
        let out = silt(&fixture).args(["lint", "--format", format]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{format}: {stderr}");
        assert!(!stderr.contains("internal error"), "{format}: {stderr}");
    }
    let out = silt(&fixture).args(["lint", "--format", "json"]).output().unwrap();
    let report = json(&out);
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    let all = messages.join("\n");
    assert!(all.contains("integration profile `Intégration Équipe` disables ApiUserOnly"), "{all}");
    assert!(all.contains("`intégration-équipe@exemple.fr`"), "{all}");
    assert!(all.contains("permission set `Acces_Equipe`"), "{all}");
    assert!(!messages.iter().any(|m| m.contains("&apos;") || m.contains("&amp;")), "{all}");
    assert_eq!(report["summary"]["files"], 6);
}

#[test]
fn a_panic_costs_only_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "sfdx-project.json", PROJECT);
    write(root, "force-app/permissionsets/A.permissionset-meta.xml", TYPO_PERMSET);
    write(root, "force-app/permissionsets/B.permissionset-meta.xml", TYPO_PERMSET);
    let out = silt(root)
        .args(["lint", "--format", "json"])
        .env("SILT_INJECT_PANIC", "A.permissionset-meta.xml")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report = json(&out);
    let found: Vec<(String, String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or("").to_string();
            (s("file"), s("rule"), s("message"))
        })
        .collect();
    let a = "force-app/permissionsets/A.permissionset-meta.xml";
    let b = "force-app/permissionsets/B.permissionset-meta.xml";
    assert!(
        found.iter().any(|(f, r, m)| f == a && r == "parse-error" && m.contains("internal error")),
        "{found:#?}"
    );
    assert!(found.iter().any(|(f, r, _)| f == b && r == "permission-name-typo"), "{found:#?}");
}

#[cfg(unix)]
#[test]
fn links_out_of_the_root_are_skipped_and_named() {
    let outside = tempfile::tempdir().unwrap();
    let secret = TYPO_PERMSET.replace("SECRET-LABEL", "OUTSIDE-SECRET");
    write(outside.path(), "Secret.permissionset-meta.xml", &secret);
    write(outside.path(), "dir/Other.permissionset-meta.xml", &secret);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "sfdx-project.json", PROJECT);
    write(root, "force-app/permissionsets/Real.permissionset-meta.xml", TYPO_PERMSET);
    let ps = root.join("force-app/permissionsets");
    std::os::unix::fs::symlink(
        outside.path().join("Secret.permissionset-meta.xml"),
        ps.join("Leak.permissionset-meta.xml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path().join("dir"), ps.join("leakdir")).unwrap();
    fs::create_dir_all(root.join("config")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("Secret.permissionset-meta.xml"),
        root.join("config/leak-user-def.json"),
    )
    .unwrap();
    for format in ["json", "human"] {
        let out = silt(root).args(["lint", "--format", format]).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stdout.contains("OUTSIDE-SECRET") && !stderr.contains("OUTSIDE-SECRET"));
        assert!(stdout.contains("Real.permissionset-meta.xml"), "{stdout}");
        assert!(!stdout.contains("Leak") && !stdout.contains("leakdir") && !stdout.contains("Other"), "{stdout}");
        for link in ["force-app/permissionsets/Leak.permissionset-meta.xml", "force-app/permissionsets/leakdir", "config/leak-user-def.json"] {
            assert!(
                stderr.contains(&format!("`{link}`: symbolic link pointing outside the lint root; skipped")),
                "{stderr}"
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn link_cycles_and_dags_terminate_and_lint_each_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "sfdx-project.json", PROJECT);
    // 30 levels, each with two links to the next: 2^30 paths if links were followed.
    let depth = 30;
    for i in 0..depth {
        let d = root.join(format!("force-app/l{i}"));
        fs::create_dir_all(&d).unwrap();
        write(&d, "P.permissionset-meta.xml", TYPO_PERMSET);
        if i + 1 < depth {
            std::os::unix::fs::symlink(format!("../l{}", i + 1), d.join("a")).unwrap();
            std::os::unix::fs::symlink(format!("../l{}", i + 1), d.join("b")).unwrap();
        }
        std::os::unix::fs::symlink("..", d.join("up")).unwrap();
    }
    let started = Instant::now();
    let out = silt(root).args(["lint", "--format", "json"]).output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(30));
    let report = json(&out);
    let mut files: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "permission-name-typo")
        .map(|d| d["file"].as_str().unwrap().to_string())
        .collect();
    files.sort();
    let mut expected: Vec<String> =
        (0..depth).map(|i| format!("force-app/l{i}/P.permissionset-meta.xml")).collect();
    expected.sort();
    assert_eq!(files, expected);
    assert_eq!(report["summary"]["files"], depth + 1);
}
