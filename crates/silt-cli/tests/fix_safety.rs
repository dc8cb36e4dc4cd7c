//! `--fix` safety through the native host: atomic writes with permissions kept, files changed since
//! they were linted left alone, nothing written outside the root, each real file written once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use silt_core::report::Report;
use silt_core::{Config, Linter};
use silt_workspace::fix::apply;
use silt_workspace::native::NativeHost;
use silt_workspace::run::{digest, Digests};
use std::fs;
use std::path::{Path, PathBuf};

const TYPO: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>Typo</label>\n    <userPermissions>\n        <enabled>true</enabled>\n        <name>ApiOnlyUser</name>\n    </userPermissions>\n</PermissionSet>\n";
const REL: &str = "permissionsets/Typo.permissionset-meta.xml";

/// Lint the files below `root` as the CLI does: the report and the digests of the linted bytes.
fn lint(root: &Path, rels: &[&str]) -> (Report, Digests) {
    let linter = Linter::new(Config::default());
    let mut digests = Digests::new();
    let results = rels
        .iter()
        .map(|rel| {
            let bytes = fs::read(root.join(rel)).unwrap();
            digests.insert(rel.to_string(), digest(&bytes));
            linter.check_file(rel, &bytes)
        })
        .collect();
    (linter.finish(results), digests)
}

fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = fs::canonicalize(dir.path()).unwrap();
    fs::create_dir_all(root.join("permissionsets")).unwrap();
    fs::write(root.join(REL), TYPO).unwrap();
    (dir, root)
}

#[test]
fn fixes_atomically_and_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, root) = project();
    fs::set_permissions(root.join(REL), fs::Permissions::from_mode(0o640)).unwrap();
    let (report, digests) = lint(&root, &[REL]);
    assert_eq!(apply(&NativeHost, root.to_str().unwrap(), &report, false, &digests).unwrap(), 1);
    let text = fs::read_to_string(root.join(REL)).unwrap();
    assert!(text.contains("<name>ApiUserOnly</name>"), "{text}");
    let mode = fs::metadata(root.join(REL)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    let left: Vec<_> = fs::read_dir(root.join("permissionsets")).unwrap().collect();
    assert_eq!(left.len(), 1, "a temporary file was left behind");
}

#[test]
fn a_file_changed_since_it_was_linted_is_not_written() {
    let (_dir, root) = project();
    let (report, digests) = lint(&root, &[REL]);
    let edited = TYPO.replace("<label>Typo</label>", "<label>Edited meanwhile</label>");
    fs::write(root.join(REL), &edited).unwrap();
    assert_eq!(apply(&NativeHost, root.to_str().unwrap(), &report, false, &digests).unwrap(), 0);
    assert_eq!(fs::read_to_string(root.join(REL)).unwrap(), edited);
}

#[test]
fn never_writes_outside_the_root() {
    let (_dir, root) = project();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("Typo.permissionset-meta.xml");
    fs::write(&target, TYPO).unwrap();
    let link = "permissionsets/Link.permissionset-meta.xml";
    std::os::unix::fs::symlink(&target, root.join(link)).unwrap();
    let (report, digests) = lint(&root, &[REL, link]);
    assert_eq!(silt_core::fix::edits_by_file(&report.diagnostics).len(), 2);
    assert_eq!(apply(&NativeHost, root.to_str().unwrap(), &report, false, &digests).unwrap(), 1);
    assert_eq!(fs::read_to_string(&target).unwrap(), TYPO, "wrote through a link out of the root");
}

#[test]
fn each_real_file_is_written_once() {
    let (_dir, root) = project();
    let link = "permissionsets/Same.permissionset-meta.xml";
    std::os::unix::fs::symlink(root.join(REL), root.join(link)).unwrap();
    let (report, digests) = lint(&root, &[REL, link]);
    assert_eq!(apply(&NativeHost, root.to_str().unwrap(), &report, false, &digests).unwrap(), 1);
    let text = fs::read_to_string(root.join(REL)).unwrap();
    assert_eq!(text.matches("ApiUserOnly").count(), 1, "{text}");
}
