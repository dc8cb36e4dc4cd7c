//! Every rule's documented examples behave as documented: each bad example fires its rule, each good
//! one stays silent. A bad example's `severity` is the severity every finding of the rule has, its `message` a
//! text one of them contains. The examples live in rules/builtin/*.toml (the same text `silt explain` prints).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use silt_core::registry::registry;
use silt_core::{lint, Config};

#[test]
fn registry_loads_without_errors() {
    let reg = registry();
    assert!(reg.errors.is_empty(), "{:#?}", reg.errors);
    for rule in [
        "integration-profile-not-api-only",
        "integration-permset-license-mismatch",
        "integration-license-name",
        "permission-name-typo",
        "integration-deprecated-profile",
        "integration-user-missing-psl",
        "integration-excessive-permission",
        "client-credentials-user-missing",
        "client-credentials-user-not-integration",
        "integration-user-shared",
        "integration-license-capacity",
        "integration-profile-no-ip-restriction",
        "psl-permset-in-package",
        "integration-license-candidate",
        "connected-app-full-scope",
        "connected-app-http-callback",
        "connected-app-ip-relaxation-bypass",
        "connected-app-open-access",
        "client-credentials-policy-off",
        "parse-error",
        "unused-suppression",
        "suppression-missing-reason",
    ] {
        assert!(
            reg.get(rule).is_some(),
            "rule {rule} has no rules/builtin/{rule}.toml"
        );
    }
}

#[test]
fn vendor_list_has_sources_and_known_rules() {
    let reg = registry();
    let v = &reg.vendor;
    assert!(!v.apps.is_empty() && !v.profiles.is_empty());
    for e in v.apps.iter().chain(&v.profiles) {
        assert!(!e.sources.is_empty(), "{} has no source", e.name);
        assert!(!e.owner.is_empty() && !e.advice.is_empty(), "{}", e.name);
    }
    for r in &v.rules {
        assert!(
            reg.get(r).is_some(),
            "vendor-provisioned.toml names unknown rule {r}"
        );
    }
    assert_eq!(
        reg.profiles.stock_permissions,
        ["ApiEnabled", "ApiUserOnly", "ChatterInternalUser"]
    );
}

#[test]
fn every_example_behaves_as_documented() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for meta in registry().rules.values() {
        assert!(
            meta.examples.iter().any(|e| e.kind == "bad"),
            "{} has no bad example",
            meta.name
        );
        assert!(
            meta.examples.iter().any(|e| e.kind == "good"),
            "{} has no good example",
            meta.name
        );
        for (i, ex) in meta.examples.iter().enumerate() {
            let config = match &ex.config {
                Some(text) => Config::parse("silt.toml", text)
                    .unwrap_or_else(|e| panic!("{} example {i}: {e}", meta.name)),
                None => Config::default(),
            };
            let files: Vec<(String, Vec<u8>)> = ex
                .files
                .iter()
                .map(|f| (f.path.clone(), f.contents.clone().into_bytes()))
                .collect();
            let report = lint(&files, &config);
            let fired: Vec<_> = report
                .diagnostics
                .iter()
                .filter(|d| d.rule == meta.name)
                .collect();
            let ok = match ex.kind.as_str() {
                "bad" => {
                    !fired.is_empty()
                        && ex
                            .severity
                            .is_none_or(|s| fired.iter().all(|d| d.severity == s))
                        && ex
                            .message
                            .as_ref()
                            .is_none_or(|m| fired.iter().any(|d| d.message.contains(m.as_str())))
                }
                "good" => fired.is_empty() && ex.severity.is_none() && ex.message.is_none(),
                other => panic!("{}: example kind {other}", meta.name),
            };
            checked += 1;
            if !ok {
                failures.push(format!(
                    "{} example {i} ({}{}): got {:#?}",
                    meta.name,
                    ex.kind,
                    if ex.description.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", ex.description)
                    },
                    report
                        .diagnostics
                        .iter()
                        .map(|d| format!(
                            "{} {} {}:{} {}",
                            d.rule, d.severity, d.file, d.range.start.line, d.message
                        ))
                        .collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} examples wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
