//! Real runs of `silt access` on the bundled example project.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/integration-gone-wrong")
}

fn silt(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_silt"))
        .current_dir(example())
        .arg("access")
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, out, err) = silt(&all);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn access_user_json() {
    let v = json(&["--user", "int-sync@acme.example"]);
    assert_eq!(v["version"], 1);
    assert_eq!(v["query"]["user"], "int-sync@acme.example");
    let u = &v["users"][0];
    assert_eq!(u["username"], "int-sync@acme.example");
    assert_eq!(u["integration"], true);
    assert_eq!(
        u["runAs"],
        serde_json::json!(["Inventory_Feed", "Warehouse_Sync"])
    );
    let grants = u["grants"].as_array().unwrap();
    // Dangerous first; the directly assigned ModifyAllData with its chain, not muted.
    assert_eq!(grants[0]["tier"], 0);
    let mad = grants
        .iter()
        .find(|g| g["permission"] == "ModifyAllData" && g["muted"] == false)
        .unwrap();
    assert_eq!(mad["via"][0]["name"], "Ledger_Core");
    assert_eq!(mad["via"][0]["line"], 17);
    assert_eq!(mad["assignedAt"]["file"], "data/permset-assignments.csv");
    assert_eq!(mad["mutedBy"], Value::Null);
}

#[test]
fn access_permission_json() {
    let v = json(&["--permission", "ModifyAllData"]);
    let rows: Vec<(String, bool, String)> = v["users"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|u| {
            u["grants"].as_array().unwrap().iter().map(move |g| {
                (
                    u["username"].as_str().unwrap_or("(profile)").to_string(),
                    g["muted"].as_bool().unwrap(),
                    g["mutedBy"]["name"].as_str().unwrap_or("").to_string(),
                )
            })
        })
        .collect();
    assert!(rows.contains(&("int-erp@acme.example".into(), true, "Erp_Sync_Muted".into())));
    assert!(rows.contains(&("int-sync@acme.example".into(), false, String::new())));
    assert!(v["users"].as_array().unwrap().iter().all(|u| u["grants"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["permission"] == "ModifyAllData")));
}

#[test]
fn access_summary_human_and_usage_errors() {
    let (code, out, _) = silt(&[]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("silt access: integration users and what they hold\n"),
        "{out}"
    );
    assert!(out.contains("int-svc@acme.example (profile Integration Sync · license Salesforce Integration · integration)\n  tier 0: ModifyAllData, ViewAllData"), "{out}");
    let (code, _, err) = silt(&["--object", "Account", "--access", "write"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown access `write`"), "{err}");
    let (code, _, _) = silt(&["--access", "read"]);
    assert_eq!(code, 2);
    let (code, out, _) = silt(&[
        "--object",
        "Account",
        "--access",
        "modifyall",
        "--format",
        "markdown",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("## silt access: who has modifyall on Account"),
        "{out}"
    );
}
