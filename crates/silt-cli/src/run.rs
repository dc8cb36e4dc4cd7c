//! Reading and checking the discovered files in parallel. Each file is read inside the parallel
//! closure and its bytes dropped as soon as the core has checked it, so memory stays low.

use crate::discover::Entry;
use rayon::prelude::*;
use silt_core::{FileResult, Linter};
use std::fs;

fn check_one(linter: &Linter, entry: &Entry) -> FileResult {
    match entry {
        Entry::File { rel, abs } => match fs::read(abs) {
            Ok(bytes) => linter.check_file(rel, &bytes),
            Err(e) => FileResult::unreadable(rel, &format!("cannot read file: {e}")),
        },
        Entry::Unreadable { rel, message } => FileResult::unreadable(rel, message),
    }
}

/// Check every entry, on `threads` threads (all cores when `None` or 0). The results keep the
/// entries' order, so the report is the same whatever the thread count.
pub fn check_all(
    linter: &Linter,
    entries: &[Entry],
    threads: Option<usize>,
) -> Result<Vec<FileResult>, String> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads.filter(|n| *n > 0) {
        builder = builder.num_threads(n);
    }
    let pool = builder
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    Ok(pool.install(|| entries.par_iter().map(|e| check_one(linter, e)).collect()))
}
