//! The generator is deterministic, silt reads everything it writes without a parse error, and the
//! planted findings are found.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use silt_bench::{gen, list_files};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("silt-gen-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn read_all(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn same_seed_same_bytes_and_silt_reads_everything() {
    let a = scratch("a");
    let b = scratch("b");
    let target = 6_000_000;
    let summary = gen::generate(&a, target, gen::DEFAULT_SEED).map_err(|e| e.to_string());
    assert!(summary.is_ok(), "{summary:?}");
    assert!(gen::generate(&b, target, gen::DEFAULT_SEED).is_ok());
    let fa = read_all(&a);
    let fb = read_all(&b);
    assert_eq!(fa.len(), fb.len());
    assert!(fa == fb, "two runs with the same seed differ");
    let total: usize = fa.iter().map(|(_, b)| b.len()).sum();
    assert!(
        total as f64 > target as f64 * 0.8 && (total as f64) < target as f64 * 1.5,
        "size {total} for target {target}"
    );

    // Lint it the way silt-bench does.
    let files = list_files(&a).unwrap_or_default();
    assert!(files.len() > 20);
    let config_text = std::fs::read_to_string(a.join("silt.toml")).unwrap_or_default();
    let config = silt_core::Config::parse("silt.toml", &config_text).map_err(|e| e.to_string());
    assert!(config.is_ok(), "{config:?}");
    let linter = silt_core::Linter::new(config.unwrap_or_default());
    let results: Vec<_> = files
        .iter()
        .map(|f| linter.check_file(&f.rel, &std::fs::read(&f.abs).unwrap_or_default()))
        .collect();
    let report = linter.finish(results);
    let parse_errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "parse-error")
        .map(|d| (&d.file, &d.message))
        .collect();
    assert!(parse_errors.is_empty(), "{parse_errors:?}");
    assert_eq!(report.summary.files, files.len());
    let rules: BTreeSet<&str> = report.diagnostics.iter().map(|d| d.rule.as_str()).collect();
    for planted in [
        "integration-profile-not-api-only",
        "integration-profile-no-ip-restriction",
        "integration-excessive-permission",
        "permission-name-typo",
        "integration-deprecated-profile",
        "integration-license-name",
        "integration-license-candidate",
        "integration-permset-license-mismatch",
        "integration-user-missing-psl",
        "psl-permset-in-package",
        "client-credentials-user-not-integration",
        "client-credentials-user-missing",
        "integration-user-shared",
        "connected-app-full-scope",
        "connected-app-http-callback",
        "connected-app-ip-relaxation-bypass",
        "connected-app-open-access",
        "integration-license-capacity",
        "suppression-missing-reason",
    ] {
        assert!(
            rules.contains(planted),
            "planted finding {planted} not found; got {rules:?}"
        );
    }
    assert!(report.summary.suppressed >= 1);
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}

#[test]
fn big_profiles_look_like_real_retrieves() {
    let dir = scratch("shape");
    assert!(gen::generate(&dir, 8_000_000, gen::DEFAULT_SEED).is_ok());
    let admin =
        std::fs::read_to_string(dir.join("force-app/main/default/profiles/Admin.profile-meta.xml"))
            .unwrap_or_default();
    let lines = admin.lines().count();
    assert!(
        (1_000_000..=3_000_000).contains(&admin.len()),
        "Admin is {} bytes",
        admin.len()
    );
    assert!(
        (60_000..=90_000).contains(&lines),
        "Admin has {lines} lines"
    );
    // Top-level elements (one element per line, 4-space indentation in the source-format layout).
    let top: Vec<&str> = admin
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| l.starts_with("    <") && !l.starts_with("     ") && !l.starts_with("    </"))
        .collect();
    let field_perms = top
        .iter()
        .filter(|l| **l == "    <fieldPermissions>")
        .count();
    assert!(
        field_perms * 4 > top.len() * 3,
        "fieldPermissions should dominate: {field_perms} of {} elements",
        top.len()
    );
    for tag in [
        "classAccesses",
        "layoutAssignments",
        "objectPermissions",
        "tabVisibilities",
        "userPermissions",
    ] {
        let open = format!("    <{tag}>");
        assert!(top.iter().any(|l| *l == open), "no {tag}");
    }
    assert!(admin
        .lines()
        .any(|l| l.starts_with("        <field>Account.")));
    let _ = std::fs::remove_dir_all(&dir);
}
