//! `--fix` / `--fix --diff`: apply the core's edits to the files on disk (or show them as a diff).

use crate::Fatal;
use silt_core::report::Report;
use std::fs;
use std::path::Path;

/// Apply (or with `diff`, print) every fix of the report. Returns how many files changed.
pub fn apply(root: &Path, report: &Report, diff: bool) -> Result<usize, Fatal> {
    let mut changed = 0;
    for (rel, edits) in silt_core::fix::edits_by_file(&report.diagnostics) {
        let path = root.join(rel);
        let bytes =
            fs::read(&path).map_err(|e| Fatal(format!("cannot read `{rel}` to fix it: {e}")))?;
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
            fs::write(&path, new_text).map_err(|e| Fatal(format!("cannot write `{rel}`: {e}")))?;
            eprintln!("fixed {rel} ({n} edit{})", if n == 1 { "" } else { "s" });
        }
    }
    Ok(changed)
}
