//! `silt diff`: what a change does to an org's security, between a base and a head version of a
//! project. Pure: the host reads both versions (folders, git revisions, a browser's files) and hands
//! over their parsed files; this module compares
//!
//! - effective access, per user and client-credentials run-as user: grants added and removed (not
//!   muted), each with the chain that grants it, in the shape of `silt access --format json`;
//! - connected apps and External Client App files: scopes, flows turned on or off, run-as user, IP
//!   relaxation, admin approval, secrets appearing, refresh tokens, callbacks, pre-authorizations;
//! - integration seats and monthly cost before and after;
//! - findings introduced and fixed, matched by fingerprint (rule + file + element path), so a line
//!   that only moved counts as neither; and, for the files holding an introduced finding that the
//!   change touched, which of head's lines it touched (a line diff of base's and head's text, read by
//!   the host only for those files), so that annotations go on touched lines only.
//!
//! Effective access is recomputed only for principals whose user record, assignments or granting
//! containers (profile, permission sets, groups with their muting permission sets, apps) changed:
//! the host gives a digest of every file's bytes, and a principal whose routes and files are the same
//! on both sides costs nothing. Without digests every principal is compared.

use crate::access::{rank, AccessGrant, Grant, Principal, PrincipalKind, Right};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::App;
use crate::org::Org;
use crate::report::{LicenseSummary, Report};
use crate::{FileResult, Linter};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

/// A digest of each file's bytes, by path relative to the root (as [`FileResult::path`]).
pub type Digests = BTreeMap<String, u64>;

/// One version of the project: its parsed files and, if the host computed them, file digests.
pub struct Side {
    /// How the version is named in the output (`main`, `HEAD~1`, a folder, `working tree`).
    pub label: String,
    pub files: Vec<FileResult>,
    pub digests: Option<Digests>,
}

/// The diff report: JSON version 1, documented in the README.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DiffReport {
    pub version: u32,
    /// The base version's name.
    pub base: String,
    /// The head version's name.
    pub head: String,
    /// Users and run-as users whose effective access changed, by username.
    pub access: Vec<AccessChange>,
    /// Connected apps and External Client App files whose security settings changed.
    pub apps: Vec<AppChange>,
    /// Integration seats and cost before and after.
    pub license: LicenseChange,
    pub findings: FindingsChange,
}

/// One user's (or run-as user's) change of effective access.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AccessChange {
    pub username: String,
    /// `user`, or `runAs` (a client-credentials run-as user absent from the user data).
    pub kind: String,
    /// `added` (the user is new), `removed` (the user is gone) or `changed`.
    pub status: String,
    /// On the Salesforce Integration license (in head; in base for a removed user).
    pub integration: bool,
    /// The apps whose client-credentials run-as user this is (in head; in base for a removed user).
    pub run_as: Vec<String>,
    /// Grants head has and base had not (in head's chains).
    pub added: Vec<AccessGrant>,
    /// Grants base had and head has not (in base's chains).
    pub removed: Vec<AccessGrant>,
}

/// A connected app or External Client App file that was added, removed or changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AppChange {
    /// The app's API name (for ECA files, the External Client App's).
    pub app: String,
    /// `ConnectedApp`, `EcaPolicy`, `EcaGlobalOauth` or `EcaOauth`.
    pub kind: String,
    /// The file's API name (the connected app, or the ECA policy/settings file).
    pub name: String,
    /// The file (head's; base's for a removed app).
    pub file: String,
    /// `added`, `removed` or `changed`.
    pub status: String,
    pub changes: Vec<AppSettingChange>,
}

/// One setting of an app before and after (`null`: absent or off). Secrets are never shown: a
/// `consumerSecret` is `present` or `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AppSettingChange {
    /// `clientCredentialsFlow`, `runAsUser`, `jwtBearerFlow`, `consumerSecret`, `ipRelaxation`,
    /// `adminApproval`, `refreshTokenPolicy`, `scope`, `callbackUrl`, `permissionSet`, `profile`.
    pub setting: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// Whether the change widens access or exposure (a `Full` scope, a flow turned on, a new run-as
    /// user, IP restrictions relaxed, self-authorization, a secret in source, tokens that never expire).
    pub risky: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LicenseChange {
    pub before: LicenseSummary,
    pub after: LicenseSummary,
}

/// Findings head has and base had not (`introduced`) and the reverse (`fixed`), by fingerprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FindingsChange {
    /// In head's report shape (positions in head's files).
    pub introduced: Vec<Diagnostic>,
    /// In base's report shape (positions in base's files).
    pub fixed: Vec<Diagnostic>,
    /// The lines of head the change touched, for each file that holds an introduced finding and
    /// differs from base's (or that base lacks): `[first, last]` ranges of 1-based lines, the added
    /// and changed lines of a line diff against base (every line of a file new in head; none when
    /// lines were only deleted). A file not listed did not change. An introduced finding is on a
    /// touched line when its lines overlap a range of its file (one without a line: when its file
    /// is listed); only those are annotated by the `github` format. `null` when the host gave no
    /// file digests: every introduced finding then counts as on a touched line.
    #[serde(default)]
    pub touched: Option<Touched>,
}

/// Touched lines by head path: `[first, last]` ranges of 1-based lines, in order, not overlapping.
pub type Touched = BTreeMap<String, Vec<[u32; 2]>>;

impl DiffReport {
    /// Whether an introduced finding is at or above `level` (exit code 1).
    pub fn fails(&self, level: Severity) -> bool {
        self.findings.introduced.iter().any(|d| d.severity >= level)
    }

    /// Whether the introduced finding `d` is on a line the change touched: its lines overlap a
    /// touched range of its file; a finding without a line (about a whole file) is when its file
    /// changed. Without touched lines (`touched` is `null`) every finding is.
    pub fn touched(&self, d: &Diagnostic) -> bool {
        let Some(touched) = &self.findings.touched else {
            return true;
        };
        let Some(ranges) = touched.get(&d.file) else {
            return false;
        };
        let (first, last) = (d.range.start.line, d.range.end.line.max(d.range.start.line));
        first == 0 || ranges.iter().any(|&[a, b]| a <= last && first <= b)
    }
}

/// The most lines (base's and head's together, after the steps below) handed to the line diff. Myers
/// costs up to the square of that when most lines differ (a 76,000-line profile re-indented or
/// reordered took a minute); 12,000 keeps the worst case near a second.
const DIFF_LINES_MAX: usize = 12_000;

/// The lines of `head` a change from `base` touched (`None`: a new file, every line): the inserted
/// and replaced lines of a line diff, as `[first, last]` ranges of 1-based lines. Lines end at `\n`
/// (a `\r\n` is one ending); bytes that are not UTF-8 compare as U+FFFD.
///
/// The diff is `similar`'s Myers, after two steps that keep it cheap: lines common to both ends are
/// left out, and so are the lines found only on one side (head's are touched whatever the diff says;
/// base's are deletions). When more than [`DIFF_LINES_MAX`] lines remain (a file rewritten or
/// reordered throughout), every remaining head line counts as touched.
pub fn touched_lines(base: Option<&[u8]>, head: &[u8]) -> Vec<[u32; 2]> {
    let new_text = String::from_utf8_lossy(head);
    let new: Vec<&str> = new_text.split_inclusive('\n').collect();
    let Some(base) = base else {
        let n = crate::source::clamp_u32(new.len());
        return if n == 0 { Vec::new() } else { vec![[1, n]] };
    };
    let old_text = String::from_utf8_lossy(base);
    let old: Vec<&str> = old_text.split_inclusive('\n').collect();
    // Common ends.
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (old_mid, new_mid) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );
    let mut touched = vec![false; new_mid.len()];
    // Lines only one side has.
    let in_old: std::collections::HashSet<&str> = old_mid.iter().copied().collect();
    let in_new: std::collections::HashSet<&str> = new_mid.iter().copied().collect();
    let old_kept: Vec<&str> = old_mid
        .iter()
        .copied()
        .filter(|l| in_new.contains(l))
        .collect();
    let mut new_kept: Vec<&str> = Vec::new();
    let mut new_index: Vec<usize> = Vec::new();
    for (i, l) in new_mid.iter().enumerate() {
        if in_old.contains(l) {
            new_kept.push(l);
            new_index.push(i);
        } else {
            touched[i] = true;
        }
    }
    if old_kept.len() + new_kept.len() > DIFF_LINES_MAX {
        touched.iter_mut().for_each(|t| *t = true);
    } else {
        let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &old_kept, &new_kept);
        for op in ops {
            if let similar::DiffOp::Insert {
                new_index: at,
                new_len,
                ..
            }
            | similar::DiffOp::Replace {
                new_index: at,
                new_len,
                ..
            } = op
            {
                for &i in &new_index[at..at + new_len] {
                    touched[i] = true;
                }
            }
        }
    }
    let mut out: Vec<[u32; 2]> = Vec::new();
    for (i, _) in touched.iter().enumerate().filter(|(_, t)| **t) {
        let line = crate::source::clamp_u32(prefix + i + 1);
        match out.last_mut() {
            Some(prev) if prev[1].saturating_add(1) == line => prev[1] = line,
            _ => out.push([line, line]),
        }
    }
    out
}

/// Base's and head's bytes of one file (`None`: absent or unreadable), as the host reads them.
pub type Texts = (Option<Vec<u8>>, Option<Vec<u8>>);

/// The diagnostics of `of` whose fingerprint `other` does not have (as many times as `of` has it more
/// often than `other`).
pub fn new_findings(of: &[Diagnostic], other: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut budget: HashMap<&str, usize> = HashMap::new();
    for d in other {
        *budget.entry(d.fingerprint.as_str()).or_default() += 1;
    }
    of.iter()
        .filter(|d| match budget.get_mut(d.fingerprint.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}

/// What one side contributes to the comparison of access and apps, read from its org.
struct Snapshot {
    principals: Vec<PrincipalSnap>,
    apps: Vec<AppSnap>,
}

struct PrincipalSnap {
    /// Index into `org.access.principals`.
    index: usize,
    key: String,
    name: String,
    kind: PrincipalKind,
    integration: bool,
    run_as: Vec<String>,
    /// Digest of everything its access depends on; `None` when a file's digest is unknown.
    signature: Option<u64>,
}

struct AppSnap {
    key: (String, String),
    app: String,
    kind: String,
    name: String,
    file: String,
    settings: Vec<(&'static str, String)>,
}

/// Compare two versions of a project, each joined by its own linter (its own configuration).
/// Returns the diff and head's full report. No touched lines (`findings.touched` is `null`): see
/// [`diff_with_lines`].
pub fn diff(
    base_linter: &Linter,
    base: Side,
    head_linter: &Linter,
    head: Side,
) -> (DiffReport, Report) {
    diff_with_lines(
        base_linter,
        base,
        head_linter,
        head,
        None::<fn(&[String]) -> Vec<Texts>>,
    )
}

/// [`diff`], and the lines the change touched in the files that hold an introduced finding and
/// whose digests differ (or that one side lacks): `read` is called once with those paths and gives
/// each one's base and head bytes, in order (the host's I/O, proportional to the change). Without
/// `read` or without both sides' digests, `findings.touched` is `null`.
pub fn diff_with_lines(
    base_linter: &Linter,
    base: Side,
    head_linter: &Linter,
    head: Side,
    read: Option<impl FnOnce(&[String]) -> Vec<Texts>>,
) -> (DiffReport, Report) {
    {
        let Side {
            label: base_label,
            files: base_files,
            digests: base_digests,
        } = base;
        let Side {
            label: head_label,
            files: head_files,
            digests: head_digests,
        } = head;
        let (base_report, (head_report, (access, apps))) =
            base_linter.finish_with(base_files, |a: &Org<'_>| {
                let snap_a = snapshot(a, base_digests.as_ref());
                head_linter.finish_with(head_files, |b: &Org<'_>| {
                    let snap_b = snapshot(b, head_digests.as_ref());
                    (
                        access_changes(a, &snap_a, b, &snap_b),
                        app_changes(&snap_a, &snap_b),
                    )
                })
            });
        let introduced = new_findings(&head_report.diagnostics, &base_report.diagnostics);
        let touched = match (read, &base_digests, &head_digests) {
            (Some(read), Some(b), Some(h)) => Some(touched(&introduced, b, h, read)),
            _ => None,
        };
        let diff = DiffReport {
            version: 1,
            base: base_label,
            head: head_label,
            access,
            apps,
            license: LicenseChange {
                before: base_report.summary.license.clone(),
                after: head_report.summary.license.clone(),
            },
            findings: FindingsChange {
                fixed: new_findings(&base_report.diagnostics, &head_report.diagnostics),
                introduced,
                touched,
            },
        };
        (diff, head_report)
    }
}

/// The touched lines of the files holding an introduced finding that changed.
fn touched(
    introduced: &[Diagnostic],
    base: &Digests,
    head: &Digests,
    read: impl FnOnce(&[String]) -> Vec<Texts>,
) -> Touched {
    let mut paths: Vec<String> = introduced
        .iter()
        .map(|d| d.file.as_str())
        .filter(|f| {
            let (b, h) = (base.get(*f), head.get(*f));
            b.is_none() || b != h
        })
        .map(str::to_string)
        .collect();
    paths.sort();
    paths.dedup();
    if paths.is_empty() {
        return Touched::new();
    }
    let texts = read(&paths);
    paths
        .into_iter()
        .enumerate()
        .map(|(i, path)| {
            let lines = match texts.get(i) {
                Some((base, Some(head))) => touched_lines(base.as_deref(), head),
                // Head unreadable: the file changed, no line is known.
                _ => Vec::new(),
            };
            (path, lines)
        })
        .collect()
}

/// Diff two sets of `(path, bytes)` in one call (what the Wasm build and tests use).
pub fn diff_files(
    base: &[(String, Vec<u8>)],
    head: &[(String, Vec<u8>)],
    linter: &Linter,
    labels: (&str, &str),
) -> DiffReport {
    let side = |label: &str, files: &[(String, Vec<u8>)]| Side {
        label: label.to_string(),
        files: files.iter().map(|(p, b)| linter.check_file(p, b)).collect(),
        digests: Some(
            files
                .iter()
                .map(|(p, b)| (p.replace('\\', "/"), digest(b)))
                .collect(),
        ),
    };
    let bytes = |files: &[(String, Vec<u8>)], path: &str| {
        files
            .iter()
            .find(|(p, _)| p.replace('\\', "/") == path)
            .map(|(_, b)| b.clone())
    };
    let read = |paths: &[String]| -> Vec<Texts> {
        paths
            .iter()
            .map(|p| (bytes(base, p), bytes(head, p)))
            .collect()
    };
    diff_with_lines(
        linter,
        side(labels.0, base),
        linter,
        side(labels.1, head),
        Some(read),
    )
    .0
}

/// The digest of a file's bytes: SipHash with keys drawn once per process, so that both sides of a
/// comparison agree while nobody can craft a changed file whose digest equals the old one's (and
/// hide an access change from the report).
pub fn digest(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    static KEYS: std::sync::OnceLock<std::collections::hash_map::RandomState> =
        std::sync::OnceLock::new();
    KEYS.get_or_init(std::collections::hash_map::RandomState::new)
        .hash_one(bytes)
}

fn principal_key(p: &Principal) -> String {
    p.name.trim().to_lowercase()
}

fn snapshot(org: &Org, digests: Option<&Digests>) -> Snapshot {
    let principals = org
        .access
        .principals
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind != PrincipalKind::Profile)
        .map(|(index, p)| PrincipalSnap {
            index,
            key: principal_key(p),
            name: p.name.trim().to_string(),
            kind: p.kind,
            integration: p.integration,
            run_as: p
                .run_as
                .iter()
                .map(|&a| org.apps[a].api_name().to_string())
                .collect(),
            signature: digests.and_then(|d| signature(org, p, d)),
        })
        .collect();
    let apps = org
        .apps
        .iter()
        .map(|a| AppSnap {
            key: (format!("{:?}", a.kind), a.name.to_lowercase()),
            app: a.api_name().to_string(),
            kind: format!("{:?}", a.kind),
            name: a.name.clone(),
            file: a.root.file.to_string(),
            settings: app_settings(a),
        })
        .collect();
    Snapshot { principals, apps }
}

/// A digest of what a principal's effective access depends on: its own fields, and for every route
/// the container's name and files, the group's file and its muting permission sets' files, the app's
/// file. Equal signatures on both sides mean equal grants.
fn signature(org: &Org, p: &Principal, digests: &Digests) -> Option<u64> {
    let mut h = std::hash::DefaultHasher::new();
    (
        p.kind.as_str(),
        &p.profile,
        &p.license,
        p.integration,
        p.active,
    )
        .hash(&mut h);
    let file = |h: &mut std::hash::DefaultHasher, f: &str| -> Option<()> {
        (f, digests.get(f)?).hash(h);
        Some(())
    };
    for s in &p.sources {
        let c = org.holder(s.holder);
        (c.kind.as_str(), &c.name).hash(&mut h);
        for f in &c.files {
            file(&mut h, f)?;
        }
        if let Some((gi, _)) = s.group {
            let g = org.groups[gi];
            ("group", &g.name).hash(&mut h);
            file(&mut h, &g.root.file)?;
            for &m in org.access.mutings.get(gi).into_iter().flatten() {
                for f in &org.permission_sets[m].files {
                    file(&mut h, f)?;
                }
            }
        }
        if let Some((ai, _)) = s.app {
            let a = org.apps[ai];
            ("app", a.api_name()).hash(&mut h);
            file(&mut h, &a.root.file)?;
        }
    }
    Some(h.finish())
}

/// A right, comparable across the two orgs.
type RightKey = (&'static str, String, Option<&'static str>);

fn right_key(r: &Right) -> RightKey {
    (r.kind(), r.name().to_lowercase(), r.access())
}

/// A principal's effective (not muted) grants: the first route of each right.
fn effective<'x, 'a>(org: &'x Org<'a>, p: &'x Principal<'a>) -> BTreeMap<RightKey, Grant<'x, 'a>> {
    let mut out = BTreeMap::new();
    for g in org.access.grants(org, p) {
        if g.muted_by.is_none() {
            out.entry(right_key(&g.right)).or_insert(g);
        }
    }
    out
}

fn grants_out(org: &Org, p: &Principal, grants: Vec<&Grant>) -> Vec<AccessGrant> {
    let mut grants = grants;
    grants.sort_by(|a, b| {
        (rank(org, &a.right), a.right.name(), a.right.access()).cmp(&(
            rank(org, &b.right),
            b.right.name(),
            b.right.access(),
        ))
    });
    grants
        .into_iter()
        .map(|g| org.access.grant_out(org, p, g))
        .collect()
}

fn access_changes(a: &Org, sa: &Snapshot, b: &Org, sb: &Snapshot) -> Vec<AccessChange> {
    // Principals by key; the same username twice (a user and a run-as user cannot be) keeps the first.
    let index = |s: &Snapshot| -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for (i, p) in s.principals.iter().enumerate() {
            m.entry(p.key.clone()).or_insert(i);
        }
        m
    };
    let (ia, ib) = (index(sa), index(sb));
    let mut keys: Vec<&String> = ia.keys().chain(ib.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for key in keys {
        let pa = ia
            .get(key)
            .map(|&i| (&sa.principals[i], sa.principals[i].index));
        let pb = ib
            .get(key)
            .map(|&i| (&sb.principals[i], sb.principals[i].index));
        if let (Some((x, _)), Some((y, _))) = (pa, pb) {
            if x.signature.is_some() && x.signature == y.signature {
                continue;
            }
        }
        let ga = pa.map(|(_, i)| {
            (
                &a.access.principals[i],
                effective(a, &a.access.principals[i]),
            )
        });
        let gb = pb.map(|(_, i)| {
            (
                &b.access.principals[i],
                effective(b, &b.access.principals[i]),
            )
        });
        let empty = BTreeMap::new();
        let ma = ga.as_ref().map(|(_, m)| m).unwrap_or(&empty);
        let mb = gb.as_ref().map(|(_, m)| m).unwrap_or(&empty);
        let added = match &gb {
            Some((p, m)) => grants_out(
                b,
                p,
                m.iter()
                    .filter(|(k, _)| !ma.contains_key(*k))
                    .map(|(_, g)| g)
                    .collect(),
            ),
            None => Vec::new(),
        };
        let removed = match &ga {
            Some((p, m)) => grants_out(
                a,
                p,
                m.iter()
                    .filter(|(k, _)| !mb.contains_key(*k))
                    .map(|(_, g)| g)
                    .collect(),
            ),
            None => Vec::new(),
        };
        let status = match (pa, pb) {
            (None, Some(_)) => "added",
            (Some(_), None) => "removed",
            _ => "changed",
        };
        if status == "changed" && added.is_empty() && removed.is_empty() {
            continue;
        }
        let Some((snap, _)) = pb.or(pa) else { continue };
        out.push(AccessChange {
            username: snap.name.clone(),
            kind: snap.kind.as_str().to_string(),
            status: status.to_string(),
            integration: snap.integration,
            run_as: snap.run_as.clone(),
            added,
            removed,
        });
    }
    out
}

fn opt(v: &Option<crate::model::Val>) -> Option<String> {
    v.as_ref()
        .map(|v| v.value.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// An app's security settings as (setting, value) pairs; several values of a list setting are several
/// pairs. Absent and off settings have no pair.
fn app_settings(a: &App) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if a.cc_enabled() {
        out.push(("clientCredentialsFlow", "on".to_string()));
    }
    let mut one = |name: &'static str, v: Option<String>| {
        if let Some(v) = v {
            out.push((name, v));
        }
    };
    one("runAsUser", opt(&a.client_credentials_user));
    one(
        "jwtBearerFlow",
        opt(&a.certificate).map(|_| "on".to_string()),
    );
    one(
        "consumerSecret",
        opt(&a.consumer_secret).map(|_| "present".to_string()),
    );
    one("ipRelaxation", opt(&a.ip_relaxation));
    one("adminApproval", opt(&a.admin_approval));
    one("refreshTokenPolicy", opt(&a.refresh_token_policy));
    for (name, list) in [
        ("scope", &a.scopes),
        ("callbackUrl", &a.callback_urls),
        ("permissionSet", &a.permission_sets),
        ("profile", &a.profiles),
    ] {
        let mut values: Vec<String> = list
            .iter()
            .map(|v| v.value.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
        values.sort();
        values.dedup();
        out.extend(values.into_iter().map(|v| (name, v)));
    }
    out
}

const LIST_SETTINGS: [&str; 4] = ["scope", "callbackUrl", "permissionSet", "profile"];

/// Whether a setting's new value widens access or exposure.
fn risky(setting: &str, after: Option<&str>) -> bool {
    let Some(v) = after else { return false };
    let lower = v.to_ascii_lowercase();
    match setting {
        "scope" => matches!(
            lower.as_str(),
            "full" | "refreshtoken" | "refresh_token" | "offlineaccess" | "offline_access"
        ),
        "clientCredentialsFlow" | "jwtBearerFlow" | "runAsUser" | "consumerSecret" => true,
        "ipRelaxation" => lower.contains("bypass") || lower.contains("relax"),
        "adminApproval" => lower == "false" || lower.contains("allselfauthorized"),
        "refreshTokenPolicy" => lower.contains("infinite"),
        "callbackUrl" => lower.starts_with("http://"),
        "permissionSet" | "profile" => true,
        _ => false,
    }
}

fn app_changes(sa: &Snapshot, sb: &Snapshot) -> Vec<AppChange> {
    let index = |s: &Snapshot| -> BTreeMap<(String, String), usize> {
        let mut m = BTreeMap::new();
        for (i, a) in s.apps.iter().enumerate() {
            m.entry(a.key.clone()).or_insert(i);
        }
        m
    };
    let (ia, ib) = (index(sa), index(sb));
    let mut keys: Vec<&(String, String)> = ia.keys().chain(ib.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for key in keys {
        let a = ia.get(key).map(|&i| &sa.apps[i]);
        let b = ib.get(key).map(|&i| &sb.apps[i]);
        let before: &[(&str, String)] = a.map(|x| x.settings.as_slice()).unwrap_or(&[]);
        let after: &[(&str, String)] = b.map(|x| x.settings.as_slice()).unwrap_or(&[]);
        let mut changes = Vec::new();
        let mut names: Vec<&str> = before.iter().chain(after).map(|(n, _)| *n).collect();
        // Settings in a fixed order: the order `app_settings` gives them.
        let order = |n: &str| {
            [
                "clientCredentialsFlow",
                "runAsUser",
                "jwtBearerFlow",
                "consumerSecret",
                "ipRelaxation",
                "adminApproval",
                "refreshTokenPolicy",
                "scope",
                "callbackUrl",
                "permissionSet",
                "profile",
            ]
            .iter()
            .position(|x| *x == n)
            .unwrap_or(usize::MAX)
        };
        names.sort_by_key(|n| order(n));
        names.dedup();
        for name in names {
            let vb: Vec<&String> = before
                .iter()
                .filter(|(n, _)| *n == name)
                .map(|(_, v)| v)
                .collect();
            let va: Vec<&String> = after
                .iter()
                .filter(|(n, _)| *n == name)
                .map(|(_, v)| v)
                .collect();
            if LIST_SETTINGS.contains(&name) {
                for v in vb.iter().filter(|v| !va.contains(v)) {
                    changes.push(AppSettingChange {
                        setting: name.to_string(),
                        before: Some((*v).clone()),
                        after: None,
                        risky: false,
                    });
                }
                for v in va.iter().filter(|v| !vb.contains(v)) {
                    changes.push(AppSettingChange {
                        setting: name.to_string(),
                        before: None,
                        after: Some((*v).clone()),
                        risky: risky(name, Some(v)),
                    });
                }
            } else if vb.first() != va.first() {
                let after = va.first().map(|v| (*v).clone());
                changes.push(AppSettingChange {
                    setting: name.to_string(),
                    risky: risky(name, after.as_deref()),
                    before: vb.first().map(|v| (*v).clone()),
                    after,
                });
            }
        }
        let status = match (a, b) {
            (None, Some(_)) => "added",
            (Some(_), None) => "removed",
            _ => "changed",
        };
        if status == "changed" && changes.is_empty() {
            continue;
        }
        let Some(snap) = b.or(a) else { continue };
        out.push(AppChange {
            app: snap.app.clone(),
            kind: snap.kind.clone(),
            name: snap.name.clone(),
            file: snap.file.clone(),
            status: status.to_string(),
            changes,
        });
    }
    out
}
