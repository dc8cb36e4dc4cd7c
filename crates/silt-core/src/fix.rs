//! Applying mechanical fixes: minimal byte edits, so formatting, line endings and BOM are kept.

use crate::diagnostic::{Diagnostic, Edit};
use std::collections::BTreeMap;

/// Apply edits (all for the same file) to its text. Overlapping edits after the first are skipped.
/// Returns the new text and how many edits were applied.
pub fn apply(text: &str, edits: &[&Edit]) -> (String, usize) {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.range.start.offset, e.range.end.offset));
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0usize;
    let mut applied = 0;
    for e in sorted {
        let (s, t) = (e.range.start.offset as usize, e.range.end.offset as usize);
        if s < pos
            || t < s
            || t > text.len()
            || !text.is_char_boundary(s)
            || !text.is_char_boundary(t)
        {
            continue; // overlaps an earlier edit or out of range: leave it for a second pass
        }
        out.push_str(&text[pos..s]);
        out.push_str(&e.new_text);
        pos = t;
        applied += 1;
    }
    out.push_str(&text[pos..]);
    (out, applied)
}

/// The fix edits of a set of diagnostics, grouped by file (deterministic order).
pub fn edits_by_file(diagnostics: &[Diagnostic]) -> BTreeMap<&str, Vec<&Edit>> {
    let mut map: BTreeMap<&str, Vec<&Edit>> = BTreeMap::new();
    for d in diagnostics {
        if let Some(f) = &d.fix {
            for e in &f.edits {
                map.entry(e.file.as_str()).or_default().push(e);
            }
        }
    }
    for v in map.values_mut() {
        v.sort_by_key(|e| (e.range.start.offset, e.range.end.offset));
        v.dedup_by(|a, b| a == b);
    }
    map
}

/// A unified diff of a fix (`silt lint --fix --diff`), with `a/` and `b/` paths and 3 lines of context.
pub fn diff(rel: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{rel}"), &format!("b/{rel}"))
        .to_string()
}
