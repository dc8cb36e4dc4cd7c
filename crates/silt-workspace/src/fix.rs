//! `--fix` / `--fix --diff`: the core's edits turned into new file contents, written through the host
//! (or shown as a diff).
//!
//! Safe by construction: each real file is written once, only if its bytes are still the bytes that
//! were linted, atomically (the host replaces the file keeping its permissions), and never outside
//! the lint root (no `..`, no symbolic link out of it).

use crate::host::{self, Host, Kind};
use crate::run::{digest, Digests};
use silt_core::report::{escape_text, Report};
use std::collections::BTreeSet;

/// Apply (or with `diff`, print) every fix of the report. `linted` holds the digest of each file's
/// bytes as linted. Returns how many files changed, or a fatal error.
pub fn apply(
    host: &dyn Host,
    root: &str,
    report: &Report,
    diff: bool,
    linted: &Digests,
) -> Result<usize, String> {
    let mut changed = 0;
    let mut written = BTreeSet::new();
    let warn = |m: String| host.stderr(format!("warning: {m}\n").as_bytes());
    for (rel, edits) in silt_core::fix::edits_by_file(&report.diagnostics) {
        let shown = escape_text(rel);
        let Some(path) = inside(host, root, rel) else {
            warn(format!(
                "`{shown}` is not a file inside the lint root; its fixes were not applied"
            ));
            continue;
        };
        if !written.insert(path.clone()) {
            continue;
        }
        let bytes = host
            .read(&path, u64::MAX)
            .map_err(|e| format!("cannot read `{shown}` to fix it: {e}"))?;
        if linted.get(rel) != Some(&digest(&bytes)) {
            warn(format!(
                "`{shown}` changed since it was linted; its fixes were not applied (run silt again)"
            ));
            continue;
        }
        // Edits are byte offsets into UTF-8 text; files stored in another encoding are left alone.
        let Ok(text) = std::str::from_utf8(&bytes) else {
            warn(format!("{shown} is not UTF-8; its fixes were not applied"));
            continue;
        };
        let (new_text, n) = silt_core::fix::apply(text, &edits);
        if n == 0 || new_text == text {
            continue;
        }
        changed += 1;
        if diff {
            host.stdout(silt_core::fix::diff(rel, text, &new_text).as_bytes());
        } else {
            host.replace(&path, new_text.as_bytes())
                .map_err(|e| format!("cannot write `{shown}`: {e}"))?;
            host.stderr(
                format!("fixed {shown} ({n} edit{})\n", if n == 1 { "" } else { "s" }).as_bytes(),
            );
        }
    }
    Ok(changed)
}

/// The real path of `rel` when it names a file inside `root` (canonical): no absolute path, no
/// `..`, and no symbolic link that leads out of the root.
fn inside(host: &dyn Host, root: &str, rel: &str) -> Option<String> {
    if rel.starts_with('/') || rel.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
        return None;
    }
    let real = host.realpath(&host::join(root, rel)).ok()?;
    (host::is_under(&real, root) && host.kind(&real, false) == Ok(Kind::File)).then_some(real)
}
