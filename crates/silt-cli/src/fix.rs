//! `--fix` / `--fix --diff`: apply the core's edits to the files on disk (or show them as a diff).
//!
//! Safe by construction: each real file is written once, only if its bytes are still the bytes that
//! were linted, atomically (a temporary file in the same folder, its permissions copied, renamed over
//! the original), and never outside the lint root (no `..`, no symbolic link out of it).

use crate::run::{digest, Digests};
use crate::Fatal;
use silt_core::report::Report;
use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// Apply (or with `diff`, print) every fix of the report. `linted` holds the digest of each file's
/// bytes as linted. Returns how many files changed.
pub fn apply(root: &Path, report: &Report, diff: bool, linted: &Digests) -> Result<usize, Fatal> {
    let mut changed = 0;
    let mut written = BTreeSet::new();
    for (rel, edits) in silt_core::fix::edits_by_file(&report.diagnostics) {
        let Some(path) = inside(root, rel) else {
            eprintln!("warning: `{rel}` is not a file inside the lint root; its fixes were not applied");
            continue;
        };
        if !written.insert(path.clone()) {
            continue;
        }
        let bytes =
            fs::read(&path).map_err(|e| Fatal(format!("cannot read `{rel}` to fix it: {e}")))?;
        if linted.get(rel) != Some(&digest(&bytes)) {
            eprintln!(
                "warning: `{rel}` changed since it was linted; its fixes were not applied (run silt again)"
            );
            continue;
        }
        // Edits are byte offsets into UTF-8 text; files stored in another encoding are left alone.
        let Ok(text) = std::str::from_utf8(&bytes) else {
            eprintln!("warning: {rel} is not UTF-8; its fixes were not applied");
            continue;
        };
        let (new_text, n) = silt_core::fix::apply(text, &edits);
        if n == 0 || new_text == text {
            continue;
        }
        changed += 1;
        if diff {
            print!("{}", silt_core::fix::diff(rel, text, &new_text));
        } else {
            write_atomic(&path, new_text.as_bytes())
                .map_err(|e| Fatal(format!("cannot write `{rel}`: {e}")))?;
            eprintln!("fixed {rel} ({n} edit{})", if n == 1 { "" } else { "s" });
        }
    }
    Ok(changed)
}

/// The real path of `rel` when it names a file inside `root` (canonical): no absolute path, no
/// `..`, and no symbolic link that leads out of the root.
fn inside(root: &Path, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel);
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    let real = fs::canonicalize(root.join(rel)).ok()?;
    (real.starts_with(root) && real.is_file()).then_some(real)
}

/// Replace `path` with `bytes`: write a temporary file beside it with the same permissions, flush
/// it to disk, then rename it over the original, so a crash leaves the old or the new file, never
/// half of one.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    let permissions = fs::metadata(path)?.permissions();
    let tmp = dir.join(format!(".{name}.silt-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.set_permissions(permissions)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use silt_core::{Config, Linter};

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
        assert_eq!(apply(&root, &report, false, &digests).unwrap(), 1);
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
        assert_eq!(apply(&root, &report, false, &digests).unwrap(), 0);
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
        assert_eq!(apply(&root, &report, false, &digests).unwrap(), 1);
        assert_eq!(fs::read_to_string(&target).unwrap(), TYPO, "wrote through a link out of the root");
        assert!(inside(&root, "../x").is_none());
        assert!(inside(&root, "/etc/passwd").is_none());
    }

    #[test]
    fn each_real_file_is_written_once() {
        let (_dir, root) = project();
        let link = "permissionsets/Same.permissionset-meta.xml";
        std::os::unix::fs::symlink(root.join(REL), root.join(link)).unwrap();
        let (report, digests) = lint(&root, &[REL, link]);
        assert_eq!(apply(&root, &report, false, &digests).unwrap(), 1);
        let text = fs::read_to_string(root.join(REL)).unwrap();
        assert_eq!(text.matches("ApiUserOnly").count(), 1, "{text}");
    }
}
