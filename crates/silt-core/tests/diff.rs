//! `silt_core::diff`: access through muting sets, app secrets, the digest shortcut giving the same
//! answer as comparing every user, and fingerprint matching.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use silt_core::diff::{self, diff_files, new_findings, DiffReport, Side};
use silt_core::{Config, Linter};
use std::path::Path;

type Files = Vec<(String, Vec<u8>)>;

fn f(path: &str, text: &str) -> (String, Vec<u8>) {
    (path.to_string(), text.as_bytes().to_vec())
}

const USERS: &str = "Username,Profile.Name,Profile.UserLicense.Name,IsActive\n\
int-a@acme.example,Minimum Access - API Only Integrations,Salesforce Integration,true\n\
int-z@acme.example,Minimum Access - API Only Integrations,Salesforce Integration,true\n";
const ASSIGN: &str = "Assignee.Username,PermissionSet.Name,PermissionSetGroup.DeveloperName\n\
int-a@acme.example,,Sync_Group\n";
const GROUP: &str = r#"<PermissionSetGroup xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Sync Group</label>
    <mutingPermissionSets>Sync_Muted</mutingPermissionSets>
    <permissionSets>Sync_Core</permissionSets>
</PermissionSetGroup>
"#;
const CORE: &str = r#"<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Sync Core</label>
    <userPermissions><enabled>true</enabled><name>ManageUsers</name></userPermissions>
    <userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions>
</PermissionSet>
"#;
const MUTED: &str = r#"<MutingPermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Sync Muted</label>
    <userPermissions><enabled>true</enabled><name>ManageUsers</name></userPermissions>
</MutingPermissionSet>
"#;

fn project(muted: &str) -> Files {
    vec![
        f("data/users.csv", USERS),
        f("data/permset-assignments.csv", ASSIGN),
        f(
            "permissionsetgroups/Sync_Group.permissionsetgroup-meta.xml",
            GROUP,
        ),
        f("permissionsets/Sync_Core.permissionset-meta.xml", CORE),
        f(
            "mutingpermissionsets/Sync_Muted.mutingpermissionset-meta.xml",
            muted,
        ),
    ]
}

fn run(base: &Files, head: &Files) -> DiffReport {
    diff_files(
        base,
        head,
        &Linter::new(Config::default()),
        ("base", "head"),
    )
}

/// `d` without the touched lines (which need digests).
fn untouched(mut d: DiffReport) -> DiffReport {
    d.findings.touched = None;
    d
}

/// The same comparison without digests: every user's access is compared (and no touched lines are
/// known).
fn run_without_digests(base: &Files, head: &Files) -> DiffReport {
    let linter = Linter::new(Config::default());
    let side = |label: &str, files: &Files| Side {
        label: label.to_string(),
        files: files.iter().map(|(p, b)| linter.check_file(p, b)).collect(),
        digests: None,
    };
    diff::diff(&linter, side("base", base), &linter, side("head", head)).0
}

#[test]
fn unmuting_a_permission_adds_it_through_the_group() {
    let base = project(MUTED);
    let head = project(&MUTED.replace("<enabled>true</enabled>", "<enabled>false</enabled>"));
    let d = run(&base, &head);
    assert_eq!(d.access.len(), 1, "{d:#?}");
    let a = &d.access[0];
    assert_eq!(a.username, "int-a@acme.example");
    assert_eq!(a.status, "changed");
    assert_eq!(a.added.len(), 1);
    assert_eq!(a.added[0].permission, "ManageUsers");
    let via: Vec<&str> = a.added[0].via.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(via, ["Sync_Group", "Sync_Core"]);
    assert!(a.removed.is_empty());
    // Muting it again removes it.
    let back = run(&head, &base);
    assert_eq!(back.access[0].removed[0].permission, "ManageUsers");
    assert!(back.access[0].added.is_empty());
    // The digest shortcut gives the same answer as comparing everybody.
    assert_eq!(run_without_digests(&base, &head), untouched(d));
}

#[test]
fn unchanged_and_reformatted_projects_show_no_access_change() {
    let base = project(MUTED);
    assert_eq!(run(&base, &base).access, vec![]);
    // Reformatted (lines moved, grants the same): recomputed, and still no change.
    let mut head = project(MUTED);
    head[3] = f(
        "permissionsets/Sync_Core.permissionset-meta.xml",
        &CORE.replace("<label>", "\n\n<description>moved</description>\n<label>"),
    );
    let d = run(&base, &head);
    assert_eq!(d.access, vec![]);
    assert_eq!(d.findings.introduced, vec![]);
    assert_eq!(d.findings.fixed, vec![]);
}

#[test]
fn removed_user_loses_everything_and_new_user_gains_everything() {
    let base = project(MUTED);
    let mut head = project(MUTED);
    head[1] = f(
        "data/permset-assignments.csv",
        "Assignee.Username,PermissionSet.Name,PermissionSetGroup.DeveloperName\nint-n@acme.example,,Sync_Group\n",
    );
    head[0] = f(
        "data/users.csv",
        &USERS.replace("int-a@acme.example", "int-n@acme.example"),
    );
    let d = run(&base, &head);
    let by = |u: &str| d.access.iter().find(|c| c.username == u).unwrap();
    assert_eq!(by("int-a@acme.example").status, "removed");
    assert_eq!(by("int-n@acme.example").status, "added");
    let added: Vec<&str> = by("int-n@acme.example")
        .added
        .iter()
        .map(|g| g.permission.as_str())
        .collect();
    // ManageUsers stays muted for the new user too.
    assert!(
        added.contains(&"ApiEnabled") && !added.contains(&"ManageUsers"),
        "{added:?}"
    );
    assert_eq!(run_without_digests(&base, &head), untouched(d));
}

#[test]
fn an_eca_secret_appearing_is_a_risky_change_and_its_value_is_never_shown() {
    let eca = |secret: &str| {
        f(
            "extlClntAppGlobalOauthSets/Erp_glbloauth.ecaGlblOauth-meta.xml",
            &format!(
                r#"<ExtlClntAppGlobalOauthSettings xmlns="http://soap.sforce.com/2006/04/metadata">
    <consumerKey>3MVG9erpEXAMPLEKEY</consumerKey>{secret}
    <externalClientApplication>Erp_Connector</externalClientApplication>
    <label>Erp global OAuth</label>
</ExtlClntAppGlobalOauthSettings>
"#
            ),
        )
    };
    let base = vec![eca("")];
    let head = vec![eca(
        "\n    <consumerSecret>9F1E2D3C4B5A69788796A5B4C3D2E1F0</consumerSecret>",
    )];
    let d = run(&base, &head);
    assert_eq!(d.apps.len(), 1);
    let app = &d.apps[0];
    assert_eq!(app.app, "Erp_Connector");
    assert_eq!(app.kind, "EcaGlobalOauth");
    assert_eq!(app.name, "Erp_glbloauth");
    assert_eq!(app.status, "changed");
    assert_eq!(app.changes.len(), 1);
    assert_eq!(app.changes[0].setting, "consumerSecret");
    assert_eq!(app.changes[0].before, None);
    assert_eq!(app.changes[0].after.as_deref(), Some("present"));
    assert!(app.changes[0].risky);
    for format in silt_core::report::diff::DiffFormat::ALL {
        let text = silt_core::report::diff::render(&d, format);
        assert!(!text.contains("9F1E2D3C"), "{format:?} shows the secret");
    }
    // The finding about the secret in source is introduced.
    assert!(d
        .findings
        .introduced
        .iter()
        .any(|x| x.rule == "eca-global-oauth-in-source"));
}

#[test]
fn findings_match_by_fingerprint_as_many_times_as_they_occur() {
    let mut base = project(MUTED);
    base[3] = f(
        "permissionsets/Sync_Core.permissionset-meta.xml",
        &CORE.replace("ApiEnabled", "ApiOnlyUser"),
    );
    let report = silt_core::lint(&base, &Config::default());
    assert!(!report.diagnostics.is_empty());
    let mut twice = report.diagnostics.clone();
    twice.extend(report.diagnostics.iter().take(1).cloned());
    assert_eq!(
        new_findings(&report.diagnostics, &report.diagnostics),
        vec![]
    );
    assert_eq!(new_findings(&twice, &report.diagnostics).len(), 1);
    assert_eq!(new_findings(&report.diagnostics, &twice), vec![]);
}

#[test]
fn the_fixture_folders_exist_for_the_browser_test() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/diff");
    assert!(dir.join("base/sfdx-project.json").is_file());
    assert!(dir.join("head/sfdx-project.json").is_file());
}

/// Names, settings, files and labels carry a forged line; no text format lets it start a line.
#[test]
fn no_format_lets_content_forge_a_line() {
    use silt_core::access::{AccessGrant, Hop};
    use silt_core::diff::{
        AccessChange, AppChange, AppSettingChange, FindingsChange, LicenseChange,
    };
    use silt_core::report::diff::{render, DiffFormat};
    const FORGED: &str = "\n::error file=x::forged\r\n| forged | row |\u{1b}[2J";
    let hop = Hop {
        kind: "PermissionSet".into(),
        name: format!("ps{FORGED}"),
        file: format!("f{FORGED}"),
        line: 1,
    };
    let grant = AccessGrant {
        permission: format!("p{FORGED}"),
        kind: "userPermission".into(),
        access: None,
        tier: None,
        muted: false,
        muted_by: None,
        via: vec![hop],
        assigned_at: None,
    };
    let d = DiffReport {
        version: 1,
        base: format!("b{FORGED}"),
        head: format!("h{FORGED}"),
        access: vec![AccessChange {
            username: format!("u{FORGED}"),
            kind: "user".into(),
            status: "added".into(),
            integration: true,
            run_as: vec![],
            added: vec![grant.clone()],
            removed: vec![grant],
        }],
        apps: vec![AppChange {
            app: format!("a{FORGED}"),
            kind: "ConnectedApp".into(),
            name: format!("n{FORGED}"),
            file: format!("f{FORGED}"),
            status: "changed".into(),
            changes: vec![AppSettingChange {
                setting: "callbackUrl".into(),
                before: Some(format!("x{FORGED}")),
                after: Some(format!("y{FORGED}")),
                risky: true,
            }],
        }],
        license: LicenseChange {
            before: Default::default(),
            after: silt_core::LicenseSummary {
                currency: format!("c{FORGED}"),
                ..Default::default()
            },
        },
        findings: FindingsChange {
            // Outside the change: a plain line in `github`, which must not become a command either.
            introduced: vec![silt_core::Diagnostic::new(
                "rule",
                silt_core::Severity::Error,
                format!("m{FORGED}"),
                &silt_core::Location {
                    file: format!("f{FORGED}").into(),
                    range: Default::default(),
                },
                "e",
            )],
            fixed: vec![],
            touched: Some(Default::default()),
        },
    };
    assert!(!d.touched(&d.findings.introduced[0]));
    for format in [DiffFormat::Human, DiffFormat::Markdown, DiffFormat::Github] {
        let out = render(&d, format);
        for line in out.lines() {
            assert!(
                !line.starts_with("::error file=x") && !line.starts_with("| forged"),
                "{format:?} forged a line: {line:?}\n{out}"
            );
            assert!(
                !line.contains('\u{1b}') && !line.contains('\r'),
                "{format:?}: {line:?}"
            );
        }
    }
}

#[test]
fn touched_lines_are_the_added_and_changed_lines_of_head() {
    use silt_core::diff::touched_lines;
    let base = b"a\nb\nc\nd\ne\n";
    // A line changed, two inserted together, one deleted (deletions touch no head line).
    assert_eq!(
        touched_lines(Some(base), b"a\nB\nc\nx\ny\nd\n"),
        [[2, 2], [4, 5]]
    );
    assert_eq!(
        touched_lines(Some(base), b"a\nb\nd\ne\n"),
        Vec::<[u32; 2]>::new()
    );
    assert_eq!(touched_lines(Some(base), base), Vec::<[u32; 2]>::new());
    // Adjacent changed and inserted lines make one range; CRLF endings are one ending.
    assert_eq!(
        touched_lines(Some(b"a\r\nb\r\n"), b"A\r\nx\r\nb\r\n"),
        [[1, 2]]
    );
    // A new file: every line, with or without a final newline; an empty one has none.
    assert_eq!(touched_lines(None, b"a\nb\nc"), [[1, 3]]);
    assert_eq!(touched_lines(None, b"a\nb\n"), [[1, 2]]);
    assert_eq!(touched_lines(None, b""), Vec::<[u32; 2]>::new());
    // Bytes that are not UTF-8 do not stop the comparison.
    assert_eq!(
        touched_lines(Some(b"\xff\n\x00\n"), b"\xff\n\x01\n"),
        [[2, 2]]
    );
}

#[test]
fn introduced_findings_know_whether_they_are_on_touched_lines() {
    // int-a gains ManageUsers when the group gains Sync_Core: the finding is on Sync_Core's line 3,
    // which did not change; a new user record makes a finding on a new line of users.csv.
    let core = "permissionsets/Sync_Core.permissionset-meta.xml";
    let group = "permissionsetgroups/Sync_Group.permissionsetgroup-meta.xml";
    let base = vec![
        f("data/users.csv", USERS),
        f("data/permset-assignments.csv", ASSIGN),
        f(
            group,
            &GROUP.replace("    <permissionSets>Sync_Core</permissionSets>\n", ""),
        ),
        f(core, CORE),
    ];
    let mut head = base.clone();
    head[2] = f(group, GROUP);
    let d = run(&base, &head);
    let on = |file: &str| -> Vec<bool> {
        d.findings
            .introduced
            .iter()
            .filter(|x| x.file == file)
            .map(|x| d.touched(x))
            .collect()
    };
    assert!(!on(core).is_empty(), "{:?}", d.findings);
    assert!(on(core).iter().all(|t| !t), "{:?}", d.findings);
    let touched = d.findings.touched.as_ref().unwrap();
    // Only files holding an introduced finding are read; Sync_Core did not change.
    assert!(!touched.contains_key(core), "{touched:?}");
    // The same permission set edited on the finding's line: now on a touched line.
    let mut edited = head.clone();
    edited[3] = f(
        core,
        &CORE.replace(
            "<enabled>true</enabled><name>ManageUsers",
            "<enabled>true</enabled> <name>ManageUsers",
        ),
    );
    let d2 = run(&base, &edited);
    let t = d2.findings.touched.as_ref().unwrap();
    assert_eq!(t.get(core), Some(&vec![[3, 3]]), "{t:?}");
    assert!(d2
        .findings
        .introduced
        .iter()
        .filter(|x| x.file == core)
        .all(|x| d2.touched(x)));
    // Without digests nothing is known: every introduced finding counts as touched.
    let d3 = run_without_digests(&base, &head);
    assert_eq!(d3.findings.touched, None);
    assert!(d3.findings.introduced.iter().all(|x| d3.touched(x)));
}

#[test]
fn touched_lines_of_large_rewrites_stay_cheap_and_conservative() {
    use silt_core::diff::touched_lines;
    let n = 76_000;
    let line = |indent: &str, i: usize| {
        format!("{indent}<userPermissions><name>P{i}</name></userPermissions>\n")
    };
    let base: String = (0..n).map(|i| line("    ", i)).collect();
    // One line changed in a large file: exactly that line.
    let one: String = (0..n)
        .map(|i| line(if i == 40_000 { "  " } else { "    " }, i))
        .collect();
    assert_eq!(
        touched_lines(Some(base.as_bytes()), one.as_bytes()),
        [[40_001, 40_001]]
    );
    // Re-indented throughout: every line is new, without a quadratic diff.
    let reindented: String = (0..n).map(|i| line("  ", i)).collect();
    assert_eq!(
        touched_lines(Some(base.as_bytes()), reindented.as_bytes()),
        [[1, 76_000]]
    );
    // Reordered throughout (the same lines): too many to diff, so all between the common ends count.
    let mut shuffled: Vec<String> = (0..n).map(|i| line("    ", (i * 7919) % n)).collect();
    shuffled[0] = line("    ", 0);
    shuffled[n - 1] = line("    ", n - 1);
    let shuffled: String = shuffled.concat();
    let t = touched_lines(Some(base.as_bytes()), shuffled.as_bytes());
    assert_eq!(t, [[2, 75_999]]);
    // A few lines moved in a small file: the diff says which head lines are new there.
    assert_eq!(
        touched_lines(Some(b"a\nb\nc\nd\n"), b"c\nd\na\nb\n"),
        [[1, 2]]
    );
}
