//! Custom declarative rules: the shipped example pack fires on real corpus files, and rule files with
//! mistakes give positioned errors with suggestions.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use silt_core::{Config, Linter};
use std::path::Path;

const PACK: &str = include_str!("../../../rules/examples/least-privilege.toml");

fn linter() -> Linter {
    let mut l = Linter::new(Config::default());
    l.add_custom_rules("rules/examples/least-privilege.toml", PACK)
        .expect("example pack loads");
    l
}

fn lint(l: &Linter, files: &[(&str, &str)]) -> silt_core::Report {
    let results = files
        .iter()
        .map(|(p, t)| l.check_file(p, t.as_bytes()))
        .collect();
    l.finish(results)
}

#[test]
fn example_pack_fires_on_real_corpus_profiles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpora/npsp/unpackaged/config");
    let Ok(text) = std::fs::read_to_string(root.join("qa/profiles/sysadmin_test.profile")) else {
        eprintln!("corpora missing; skipping");
        return;
    };
    let admin =
        std::fs::read_to_string(root.join("dev/profiles/Admin.profile")).unwrap_or_default();
    let l = linter();
    let r = lint(
        &l,
        &[
            ("qa/profiles/sysadmin_test.profile", &text),
            ("dev/profiles/Admin.profile", &admin),
        ],
    );
    let hits: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "manage-users-non-admin")
        .collect();
    assert_eq!(hits.len(), 2, "{:#?}", r.diagnostics);
    assert!(
        hits.iter()
            .all(|d| d.file == "qa/profiles/sysadmin_test.profile"),
        "Admin is exempt"
    );
    assert!(
        hits.iter().any(|d| d.message.contains("ManageUsers"))
            && hits.iter().any(|d| d.message.contains("ViewSetup"))
    );
    // The finding points at the exact <userPermissions> element.
    let d = hits[0];
    let snippet = &text[d.range.start.offset as usize..d.range.end.offset as usize];
    assert!(
        snippet.starts_with("<userPermissions>") && snippet.ends_with("</userPermissions>"),
        "{snippet}"
    );
}

#[test]
fn naming_and_description_rules() {
    let ps = r#"<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>ERP access</label>
    <license>SalesforceAPIIntegrationPsl</license>
</PermissionSet>
"#;
    let good = ps.replace(
        "<label>",
        "<description>ERP sync</description>\n    <label>",
    );
    let l = linter();
    let r = lint(
        &l,
        &[
            (
                "force-app/permissionsets/Erp_Access.permissionset-meta.xml",
                ps,
            ),
            (
                "force-app/permissionsets/Integration_Erp.permissionset-meta.xml",
                &good,
            ),
        ],
    );
    let rules: Vec<(&str, &str)> = r
        .diagnostics
        .iter()
        .filter(|d| l.policies.get(&d.rule).is_some())
        .map(|d| (d.rule.as_str(), d.file.as_str()))
        .collect();
    assert!(
        rules.contains(&(
            "integration-permset-naming",
            "force-app/permissionsets/Erp_Access.permissionset-meta.xml"
        )),
        "{rules:?}"
    );
    assert!(
        rules.contains(&(
            "description-required",
            "force-app/permissionsets/Erp_Access.permissionset-meta.xml"
        )),
        "{rules:?}"
    );
    assert!(
        !rules
            .iter()
            .any(|(_, f)| f.ends_with("Integration_Erp.permissionset-meta.xml")),
        "{rules:?}"
    );
    let msg = &r
        .diagnostics
        .iter()
        .find(|d| d.rule == "integration-permset-naming")
        .map(|d| d.message.clone())
        .unwrap_or_default();
    assert!(
        msg.contains("`Erp_Access`") && msg.contains("SalesforceAPIIntegrationPsl"),
        "{msg}"
    );
}

#[test]
fn rule_file_mistakes_have_positions_and_suggestions() {
    let mut l = Linter::new(Config::default());
    let bad_key =
        "[[rule]]\nname = \"x\"\nsumary = \"typo\"\nkinds = [\"Profile\"]\nmessage = \"m\"\n";
    let e = l
        .add_custom_rules("r.toml", bad_key)
        .expect_err("unknown key");
    assert_eq!((e.position.line, e.position.column), (3, 1), "{e}");
    assert!(e.message.contains("did you mean `summary`"), "{e}");

    let bad_kind =
        "[[rule]]\nname = \"x\"\nsummary = \"s\"\nkinds = [\"Profle\"]\nmessage = \"m\"\n";
    let e = l
        .add_custom_rules("r.toml", bad_kind)
        .expect_err("unknown kind");
    assert_eq!(e.position.line, 4, "{e}");
    assert!(e.message.contains("did you mean `Profile`"), "{e}");

    let bad_select = "[[rule]]\nname = \"x\"\nsummary = \"s\"\nkinds = [\"Profile\"]\nselect = 'userPermissions[name = ModifyAllData]'\nmessage = \"m\"\n";
    let e = l
        .add_custom_rules("r.toml", bad_select)
        .expect_err("unquoted value");
    assert_eq!(e.position.line, 5, "{e}");
    assert!(e.message.contains("quoted"), "{e}");

    let bad_placeholder =
        "[[rule]]\nname = \"x\"\nsummary = \"s\"\nkinds = [\"Profile\"]\nmessage = \"{nmae}\"\n";
    let e = l
        .add_custom_rules("r.toml", bad_placeholder)
        .expect_err("placeholder");
    assert!(e.message.contains("did you mean `{name}`"), "{e}");

    let bad_toml = "[[rule]\nname = 1\n";
    let e = l.add_custom_rules("r.toml", bad_toml).expect_err("syntax");
    assert_eq!(e.position.line, 1, "{e}");
}

#[test]
fn count_conditions() {
    let rules = r#"
[[rule]]
name = "too-many-object-grants"
summary = "more than 2 objectPermissions"
kinds = ["PermissionSet"]
when = { path = "objectPermissions", count_gt = 2 }
message = "{name} has many object grants"
"#;
    let mut l = Linter::new(Config::default());
    l.add_custom_rules("r.toml", rules).expect("loads");
    let obj = "<objectPermissions><object>A</object></objectPermissions>";
    let two = format!("<PermissionSet>{}</PermissionSet>", obj.repeat(2));
    let three = format!("<PermissionSet>{}</PermissionSet>", obj.repeat(3));
    let r = lint(
        &l,
        &[
            ("p/Two.permissionset-meta.xml", &two),
            ("p/Three.permissionset-meta.xml", &three),
        ],
    );
    let hits: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "too-many-object-grants")
        .map(|d| d.file.as_str())
        .collect();
    assert_eq!(hits, ["p/Three.permissionset-meta.xml"]);
}

#[test]
fn user_rules_run_on_merged_users_from_every_source() {
    let profile = r#"<?xml version="1.0" encoding="UTF-8"?>
<Profile xmlns="http://soap.sforce.com/2006/04/metadata">
    <userLicense>Salesforce Integration</userLicense>
    <userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions>
    <userPermissions><enabled>true</enabled><name>ApiUserOnly</name></userPermissions>
</Profile>
"#;
    // An integration user by their project profile's license (user-def), one by the exported license
    // (CSV), one that follows the convention, an inactive one, and a standard user.
    let user_def = r#"{ "Username": "erp-sync@acme.com", "profileName": "ERP Integration", "permsets": ["Erp_Access", "Erp_Read"] }"#;
    let csv = "Username,Profile.Name,Profile.UserLicense.Name,IsActive\n\
               warehouse@acme.com,Minimum Access - API Only Integrations,Salesforce Integration,true\n\
               int.billing@acme.com,Minimum Access - API Only Integrations,Salesforce Integration,true\n\
               old-feed@acme.com,Minimum Access - API Only Integrations,Salesforce Integration,false\n\
               jane@acme.com,Standard User,Salesforce,true\n\
               ERP-SYNC@acme.com,ERP Integration,,true\n";
    let l = linter();
    let r = lint(
        &l,
        &[
            (
                "force-app/main/default/profiles/ERP Integration.profile-meta.xml",
                profile,
            ),
            ("config/erp-user-def.json", user_def),
            ("data/users.csv", csv),
        ],
    );
    let hits: Vec<(&str, u32, &str)> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "integration-username-convention")
        .map(|d| (d.file.as_str(), d.range.start.line, d.element.as_str()))
        .collect();
    // erp-sync is one user (user-def first, so that is where the finding points), not two.
    assert_eq!(
        hits,
        [
            ("config/erp-user-def.json", 1, "User[erp-sync@acme.com]"),
            ("data/users.csv", 2, "User[warehouse@acme.com]")
        ],
        "{:#?}",
        r.diagnostics
    );
    let msg = r
        .diagnostics
        .iter()
        .find(|d| d.rule == "integration-username-convention")
        .map(|d| d.message.as_str())
        .unwrap_or("");
    assert_eq!(msg, "integration user `erp-sync@acme.com` (profile ERP Integration, user-def) should be named for its system, e.g. int.erp@yourcompany.com");

    // Multi-valued fields: count and any-value tests over a user's permission sets.
    let rules = r#"
[[rule]]
name = "integration-user-many-permsets"
summary = "integration users with more than one permission set"
kinds = ["User"]
when = { all = [ { field = "integration", equals = "true" }, { field = "permissionSets", count_gt = 1 } ] }
message = "{name} has {permissionSets} (license {license}, API only {apiOnly})"
"#;
    let mut l = Linter::new(Config::default());
    l.add_custom_rules("r.toml", rules).expect("loads");
    let r = lint(
        &l,
        &[
            (
                "force-app/main/default/profiles/ERP Integration.profile-meta.xml",
                profile,
            ),
            ("config/erp-user-def.json", user_def),
            ("data/users.csv", csv),
        ],
    );
    let msgs: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule == "integration-user-many-permsets")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(msgs, ["erp-sync@acme.com has Erp_Access, Erp_Read (license Salesforce Integration, API only true)"]);
}

#[test]
fn user_rule_mistakes_are_positioned_errors() {
    let head = "[[rule]]\nname = \"u\"\nsummary = \"s\"\n";
    let cases = [
        ("kinds = [\"User\", \"Profile\"]\nmessage = \"m\"\n", 4, "alone"),
        ("kinds = [\"User\"]\nselect = 'userPermissions'\nmessage = \"m\"\n", 5, "`select`"),
        ("kinds = [\"User\"]\nwhen = { path = \"description\", exists = true }\nmessage = \"m\"\n", 5, "`path`"),
        ("kinds = [\"User\"]\nwhen = { not = { field = \"profil\", equals = \"x\" } }\nmessage = \"m\"\n", 5, "did you mean `profile`"),
        ("kinds = [\"User\"]\nmessage = \"{element.name}\"\n", 5, "unknown placeholder"),
        ("kinds = [\"Usr\"]\nmessage = \"m\"\n", 4, "did you mean `User`"),
    ];
    for (rest, line, needle) in cases {
        let mut l = Linter::new(Config::default());
        let e = l
            .add_custom_rules("r.toml", &format!("{head}{rest}"))
            .expect_err(rest);
        assert_eq!(e.position.line, line, "{rest}: {e}");
        assert!(e.message.contains(needle), "{rest}: {e}");
    }
}
