//! `silt-gen-linear`: small projects whose cost must grow linearly with one size `n`, for
//! `scripts/bench-linear.sh` (issue 11 §3). Each case is one folder with a `silt.toml`; lint it
//! with `silt lint DIR` (the config is found in DIR). The bytes depend on `n` alone.
//!
//! - `policy`: a profile of `n` `fieldPermissions` (about 120 bytes each: `n` = 20,000 is the size of a
//!   real 2.4 MB profile) and a custom rule that selects every one of them and names the profile's
//!   license, label and the field in its message.
//! - `csv`: a user-data CSV whose header has `n` columns (`PermissionSetAssignments.records.<k>.…`
//!   subquery columns, one per permission set), two users holding every permission set, then `n / 8`
//!   short rows (a username and a profile); a custom `User` rule reports the users with permission
//!   sets (the two).
//! - `ignore`: a permission set of `n` elements, each preceded by a `silt-ignore` comment: most
//!   silence the finding on their element, every 4th names a rule that does not fire there (an
//!   unused suppression), every 16th has no reason.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

pub const CASES: &[&str] = &["policy", "csv", "ignore"];

/// The files of case `case` at size `n`: (path relative to the project, contents). The first one is
/// the file the case is about; `silt.toml` and any custom rule file follow.
pub fn files(case: &str, n: usize) -> Result<Vec<(&'static str, String)>, String> {
    Ok(match case {
        "policy" => vec![
            (
                "force-app/main/default/profiles/Big.profile-meta.xml",
                policy_profile(n),
            ),
            ("silt.toml", "custom_rules = [\"rules.toml\"]\n".into()),
            ("rules.toml", POLICY_RULES.into()),
        ],
        "csv" => vec![
            ("data/users.csv", users_csv(n)),
            (
                "silt.toml",
                "custom_rules = [\"rules.toml\"]\n[files]\nuser_data = [\"data/*.csv\"]\n".into(),
            ),
            ("rules.toml", USER_RULES.into()),
        ],
        "ignore" => vec![
            (
                "force-app/main/default/permissionsets/Int_Suppressed.permissionset-meta.xml",
                suppressed_permission_set(n),
            ),
            ("silt.toml", String::new()),
        ],
        other => {
            return Err(format!(
                "unknown case `{other}`; cases are {}",
                CASES.join(", ")
            ))
        }
    })
}

/// Write case `case` of size `n` into `out` (created; existing files overwritten). Returns the
/// size in bytes of the file the case is about.
pub fn generate(case: &str, n: usize, out: &Path) -> std::io::Result<u64> {
    let files =
        files(case, n).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    for (rel, text) in &files {
        let file = out.join(rel);
        if let Some(dir) = file.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&file, text)?;
    }
    Ok(files.first().map_or(0, |(_, t)| t.len() as u64))
}

const POLICY_RULES: &str = r#"[[rule]]
name = "editable-custom-fields"
severity = "note"
summary = "Custom fields editable through a Salesforce-licensed profile"
kinds = ["Profile"]
select = 'fieldPermissions[editable = "true"][field ~ "__c$"]'
when = { all = [ { field = "userLicense", equals = "Salesforce" }, { path = "fieldPermissions", count_gt = 0 } ] }
message = "{kind} `{name}` ({license}) lets users edit {element.field}"
"#;

/// A profile shaped like a retrieve (children sorted by name, `userLicense` last) with `n`
/// editable custom field permissions.
pub fn policy_profile(n: usize) -> String {
    let mut s = String::with_capacity(n * 130 + 512);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <custom>true</custom>\n    <description>A big generated profile</description>\n");
    for k in 0..n {
        let _ = write!(
            s,
            "    <fieldPermissions>\n        <editable>true</editable>\n        <field>Object_{:04}__c.Field_{:05}__c</field>\n        <readable>true</readable>\n    </fieldPermissions>\n",
            k / 200,
            k
        );
    }
    s.push_str("    <userLicense>Salesforce</userLicense>\n</Profile>\n");
    s
}

/// Reads every user's permission sets.
const USER_RULES: &str = r#"[[rule]]
name = "user-with-permission-sets"
severity = "note"
summary = "Users holding permission sets"
kinds = ["User"]
when = { field = "permissionSets", count_ge = 1 }
message = "{username} holds permission sets"
"#;

/// A User export with `n` columns: Username, Profile.Name and `n - 2` permission set subquery columns.
pub fn users_csv(n: usize) -> String {
    let subs = n.saturating_sub(2);
    let mut s = String::with_capacity(n * 60 + n * 4);
    s.push_str("Username,Profile.Name");
    for k in 0..subs {
        let _ = write!(
            s,
            ",PermissionSetAssignments.records.{k}.PermissionSet.Name"
        );
    }
    s.push('\n');
    for user in ["int.erp@acme.com", "int.crm@acme.com"] {
        s.push_str(user);
        s.push_str(",Minimum Access - API Only Integrations");
        for k in 0..subs {
            let _ = write!(s, ",PS_{k}");
        }
        s.push('\n');
    }
    for k in 0..n / 8 {
        let _ = writeln!(s, "user{k}@acme.com,Standard User");
    }
    s
}

/// A permission set of `n` misspelt user permissions (each a `permission-name-typo` finding), each
/// preceded by a `silt-ignore` comment.
pub fn suppressed_permission_set(n: usize) -> String {
    let mut s = String::with_capacity(n * 190 + 512);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>Int Suppressed</label>\n");
    for k in 0..n {
        let rule = if k % 4 == 3 {
            "integration-excessive-permission"
        } else {
            "permission-name-typo"
        };
        let reason = if k % 16 == 15 { "" } else { ": generated" };
        let _ = write!(
            s,
            "    <!-- silt-ignore {rule}{reason} -->\n    <userPermissions>\n        <enabled>true</enabled>\n        <name>ApiOnlyUser</name>\n    </userPermissions>\n"
        );
    }
    s.push_str("</PermissionSet>\n");
    s
}
