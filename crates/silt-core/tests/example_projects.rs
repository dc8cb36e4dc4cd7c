//! The bundled example project triggers every built-in rule; its clean twin triggers none.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use silt_core::registry::registry;
use silt_core::{classify, lint, Config};
use std::path::Path;

fn load(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(dir) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                if classify(&rel).is_some() {
                    out.push((rel, std::fs::read(&p).unwrap_or_default()));
                }
            }
        }
    }
    out
}

fn examples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

#[test]
fn gone_wrong_triggers_every_rule() {
    let report = lint(
        &load(&examples().join("integration-gone-wrong")),
        &Config::default(),
    );
    let missing: Vec<&str> = registry()
        .rules
        .keys()
        .map(|s| s.as_str())
        .filter(|r| !report.diagnostics.iter().any(|d| d.rule == *r))
        .collect();
    assert!(
        missing.is_empty(),
        "rules not triggered: {missing:?}\n{:#?}",
        report
            .diagnostics
            .iter()
            .map(|d| format!("{} {}:{}", d.rule, d.file, d.range.start.line))
            .collect::<Vec<_>>()
    );
    let lic = &report.summary.license;
    assert_eq!(lic.edition.as_deref(), Some("Developer"));
    assert_eq!(lic.free_seats, Some(1));
    assert_eq!(lic.active_integration_users, 4, "{lic:?}");
    assert_eq!(lic.add_on_seats_needed, 3);
    assert_eq!(lic.monthly_cost, 30.0);
    assert_eq!(report.summary.suppressed, 1);
}

#[test]
fn clean_twin_triggers_nothing() {
    let report = lint(
        &load(&examples().join("integration-clean")),
        &Config::default(),
    );
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    assert_eq!(report.summary.license.active_integration_users, 4);
    assert_eq!(report.summary.license.add_on_seats_needed, 0);
}
