//! Reading and checking the discovered files in parallel. Each file is read inside the parallel
//! closure and its bytes dropped as soon as the core has checked it, so memory stays low.

use crate::discover::Entry;
use rayon::prelude::*;
use silt_core::{FileResult, Linter};
use std::fs;
use std::io::{self, Read};
use std::path::Path;

fn check_one(linter: &Linter, entry: &Entry) -> FileResult {
    match entry {
        Entry::File { rel, abs } => match read(linter, rel, abs) {
            Ok(Ok(bytes)) => linter.check_file(rel, &bytes),
            Ok(Err(too_large)) => too_large,
            Err(e) => FileResult::unreadable(rel, &format!("cannot read file: {e}")),
        },
        Entry::Unreadable { rel, message } => FileResult::unreadable(rel, message),
    }
}

/// A file's bytes, or its `parse-error` when it is over the size limit: decided from its size
/// without reading it, and never more than the limit (plus one byte) read should it grow meanwhile.
fn read(linter: &Linter, rel: &str, abs: &Path) -> io::Result<Result<Vec<u8>, FileResult>> {
    let file = fs::File::open(abs)?;
    let size = file.metadata()?.len();
    if let Some(too_large) = linter.check_size(rel, size) {
        return Ok(Err(too_large));
    }
    let max = linter.config.max_file_size();
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(Ok(bytes))
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
