//! Effective access on real files: the bundled example project (a group whose muting permission set
//! mutes ModifyAllData, an assignment export with PermissionSetGroup) and the shared corpora.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use silt_core::access::{AccessQuery, AccessReport, AccessUser};
use silt_core::{access, classify, lint, Config};
use std::path::{Path, PathBuf};

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
    out.sort();
    out
}

fn example() -> Vec<(String, Vec<u8>)> {
    load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/integration-gone-wrong"))
}

fn user<'r>(r: &'r AccessReport, name: &str) -> &'r AccessUser {
    r.users
        .iter()
        .find(|u| u.username.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("{name} missing: {r:#?}"))
}

const ERP_CORE: &str = "force-app/main/default/permissionsets/Erp_Core.permissionset-meta.xml";
const LEDGER_CORE: &str =
    "force-app/main/default/permissionsets/Ledger_Core.permissionset-meta.xml";

#[test]
fn muted_admin_permission_is_not_reported() {
    let report = lint(&example(), &Config::default());
    let on = |file: &str| -> Vec<String> {
        report
            .diagnostics
            .iter()
            .filter(|d| d.rule == "integration-excessive-permission" && d.file == file)
            .map(|d| d.message.clone())
            .collect()
    };
    // Erp_Core reaches int-erp only through group Erp_Sync, whose muting set mutes both rights.
    assert_eq!(on(ERP_CORE), Vec::<String>::new());
    // Before muting was understood, both were reported (the set reaches an integration user).
    let ledger = on(LEDGER_CORE);
    assert_eq!(ledger.len(), 2, "{ledger:?}");
}

#[test]
fn same_permission_assigned_directly_is_reported_with_its_chain() {
    let report = lint(&example(), &Config::default());
    let d = report
        .diagnostics
        .iter()
        .find(|d| {
            d.rule == "integration-excessive-permission"
                && d.file == LEDGER_CORE
                && d.message.contains("grants ModifyAllData")
        })
        .expect("Ledger_Core ModifyAllData finding");
    assert_eq!(d.range.start.line, 17);
    // The chain: int-sync's assignment row; int-erp's muted route through the group is not listed.
    let related: Vec<(String, u32, String)> = d
        .related
        .iter()
        .map(|r| (r.file.clone(), r.range.start.line, r.message.clone()))
        .collect();
    assert_eq!(
        related,
        vec![(
            "data/permset-assignments.csv".to_string(),
            3,
            "`int-sync@acme.example` is assigned PermissionSet `Ledger_Core` here".to_string()
        )]
    );
}

#[test]
fn access_user_json_shows_muted_grants_with_their_chain() {
    let q = AccessQuery {
        user: Some("INT-ERP@acme.example".into()),
        ..Default::default()
    };
    let r = access(&example(), &Config::default(), &q);
    let json: serde_json::Value =
        serde_json::from_str(&silt_core::report::access::json(&r)).unwrap();
    assert_eq!(json["version"], 1);
    let u = &json["users"][0];
    assert_eq!(u["username"], "int-erp@acme.example");
    assert_eq!(u["integration"], true);
    assert_eq!(u["license"], "Salesforce Integration");
    // Nothing dangerous survives the muting.
    assert_eq!(u["tiers"], serde_json::json!([]));
    let mad: Vec<&serde_json::Value> = u["grants"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["permission"] == "ModifyAllData")
        .collect();
    assert_eq!(mad.len(), 2, "one per member: {mad:#?}");
    let g = mad[0];
    assert_eq!(g["kind"], "userPermission");
    assert_eq!(g["muted"], true);
    assert_eq!(
        g["mutedBy"],
        serde_json::json!({"kind": "MutingPermissionSet", "name": "Erp_Sync_Muted",
            "file": "force-app/main/default/mutingpermissionsets/Erp_Sync_Muted.mutingpermissionset-meta.xml", "line": 6})
    );
    assert_eq!(
        g["via"],
        serde_json::json!([
            {"kind": "PermissionSetGroup", "name": "Erp_Sync",
             "file": "force-app/main/default/permissionsetgroups/Erp_Sync.permissionsetgroup-meta.xml", "line": 6},
            {"kind": "PermissionSet", "name": "Erp_Core", "file": ERP_CORE, "line": 17}
        ])
    );
    assert_eq!(g["assignedAt"]["file"], "data/permset-assignments.csv");
    assert_eq!(g["assignedAt"]["line"], 2);
    // Dangerous first: the tier-0 grants lead; object access of the members follows, not muted.
    assert_eq!(u["grants"][0]["tier"], 0);
    assert!(u["grants"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["kind"] == "objectPermission"
            && g["permission"] == "Order"
            && g["access"] == "edit"
            && g["muted"] == false));
}

#[test]
fn access_permission_json_lists_holders_and_muted_grants() {
    let q = AccessQuery {
        permission: Some("modifyalldata".into()),
        ..Default::default()
    };
    let r = access(&example(), &Config::default(), &q);
    let holders: Vec<(Option<&str>, &str, bool)> = r
        .users
        .iter()
        .flat_map(|u| {
            u.grants.iter().map(move |g| {
                (
                    u.username.as_deref(),
                    g.via[g.via.len() - 1].name.as_str(),
                    g.muted,
                )
            })
        })
        .collect();
    assert_eq!(
        holders,
        vec![
            (Some("int-svc@acme.example"), "Integration Sync", false),
            (Some("int-sync@acme.example"), "Ledger_Core", false),
            (Some("int-erp@acme.example"), "Erp_Core", true),
            (Some("int-erp@acme.example"), "Ledger_Core", true),
            (None, "Integration Sync", false),
        ]
    );
    assert!(r
        .users
        .iter()
        .all(|u| u.grants.iter().all(|g| g.permission == "ModifyAllData")));
    let direct = &user(&r, "int-sync@acme.example").grants[0];
    assert_eq!(direct.via.len(), 1);
    assert_eq!(direct.via[0].file, LEDGER_CORE);
    assert_eq!(
        direct
            .assigned_at
            .as_ref()
            .map(|a| (a.file.as_str(), a.line)),
        Some(("data/permset-assignments.csv", 3))
    );
}

#[test]
fn access_object_query_and_summary() {
    let q = AccessQuery {
        object: Some("account".into()),
        access: Some("MODIFYALL".into()),
        ..Default::default()
    };
    assert!(q.validate().is_ok());
    let r = access(&example(), &Config::default(), &q);
    assert!(!r.users.is_empty());
    for u in &r.users {
        for g in &u.grants {
            assert_eq!(
                (g.kind.as_str(), g.permission.as_str(), g.access.as_deref()),
                ("objectPermission", "Account", Some("modifyAll"))
            );
        }
    }
    let bad = AccessQuery {
        access: Some("write".into()),
        object: Some("Account".into()),
        ..Default::default()
    };
    assert!(bad
        .validate()
        .unwrap_err()
        .contains("unknown access `write`"));
    // No query: every integration user and run-as user, with the tiers of what they hold.
    let r = access(&example(), &Config::default(), &AccessQuery::default());
    let svc = user(&r, "int-svc@acme.example");
    assert_eq!(svc.tiers[0].tier, 0);
    assert!(svc.tiers[0]
        .permissions
        .contains(&"ModifyAllData".to_string()));
    assert!(user(&r, "int-erp@acme.example").tiers.is_empty());
    assert_eq!(
        user(&r, "billing-admin@acme.example").run_as,
        vec!["Billing_Sync".to_string()]
    );
    let human = silt_core::report::access::human(&r);
    assert!(human.contains("int-erp@acme.example (profile Minimum Access - API Only Integrations"));
    let md = silt_core::report::access::markdown(&r);
    assert!(
        md.contains("| `int-svc@acme.example` |") || md.contains("| int-svc@acme.example |"),
        "{md}"
    );
}

fn corpora() -> Option<PathBuf> {
    let p = std::env::var_os("SILT_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora"));
    p.is_dir().then_some(p)
}

/// Every profile of the real corpora is a principal; asked about one, its fields, classes and other
/// access lists come back, each located in the profile's file.
#[test]
fn corpora_profiles_answer_access_queries() {
    let Some(root) = corpora() else {
        eprintln!("shared corpora not found; skipping");
        return;
    };
    for corpus in ["npsp", "sf-dahlia"] {
        let files = load(&root.join(corpus));
        let profiles = files
            .iter()
            .filter(|(p, _)| p.contains("profiles/") && p.contains(".profile"))
            .count();
        let summary = access(&files, &Config::default(), &AccessQuery::default());
        let all = access(
            &files,
            &Config::default(),
            &AccessQuery {
                object: Some("Account".into()),
                ..Default::default()
            },
        );
        assert!(profiles > 0 && all.users.len() <= profiles, "{corpus}");
        assert!(summary
            .users
            .iter()
            .all(|u| u.integration || !u.run_as.is_empty()));
        // The largest profile, asked about as a user.
        let name = files
            .iter()
            .filter(|(p, _)| p.contains("profiles/") && p.contains(".profile"))
            .max_by_key(|(_, b)| b.len())
            .map(|(p, _)| silt_core::files::api_name(p))
            .unwrap();
        let one = access(
            &files,
            &Config::default(),
            &AccessQuery {
                user: Some(name.clone()),
                ..Default::default()
            },
        );
        assert_eq!(one.users.len(), 1, "{corpus}: {name}");
        let kinds: std::collections::BTreeSet<&str> = one.users[0]
            .grants
            .iter()
            .map(|g| g.kind.as_str())
            .collect();
        assert!(
            kinds.contains("fieldPermission"),
            "{corpus} {name}: {kinds:?}"
        );
        for g in &one.users[0].grants {
            assert!(
                g.via[0].file.ends_with(".profile") || g.via[0].file.contains(".profile-meta"),
                "{g:?}"
            );
            assert!(g.via[0].line > 0);
        }
    }
}
