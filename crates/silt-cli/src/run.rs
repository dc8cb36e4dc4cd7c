//! Reading and checking the discovered files in parallel. Each file is read inside the parallel
//! closure and its bytes dropped as soon as the core has checked it, so memory stays low.

use crate::discover::Entry;
use rayon::prelude::*;
use silt_core::{FileResult, Linter};
use std::collections::BTreeMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::{self, Read};
use std::path::Path;

/// A digest of the bytes a file had when it was linted (`--fix` writes a file only if its bytes are
/// still these).
pub type Digests = BTreeMap<String, u64>;

pub fn digest(bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

fn check_one(linter: &Linter, entry: &Entry, keep_digest: bool) -> (FileResult, Option<u64>) {
    match entry {
        Entry::File { rel, abs } => match read(linter, rel, abs) {
            Ok(Ok(bytes)) => (
                isolated(rel, || {
                    inject_panic(rel);
                    linter.check_file(rel, &bytes)
                }),
                keep_digest.then(|| digest(&bytes)),
            ),
            Ok(Err(too_large)) => (too_large, None),
            Err(e) => (
                FileResult::unreadable(rel, &format!("cannot read file: {e}")),
                None,
            ),
        },
        Entry::Unreadable { rel, message } => (FileResult::unreadable(rel, message), None),
    }
}

/// Run one file's check so that a bug in silt that panics costs that file only: it becomes a
/// `parse-error` naming the internal error, and every other file is still linted and reported.
fn isolated(rel: &str, check: impl FnOnce() -> FileResult) -> FileResult {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(check)).unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        FileResult::unreadable(
            rel,
            &format!("internal error while checking this file (a bug in silt; please report it): {why}"),
        )
    })
}

/// Fault injection for the tests, in debug builds only: `SILT_INJECT_PANIC=<suffix>` makes the
/// check of files whose path ends with it panic.
#[allow(clippy::panic)]
fn inject_panic(rel: &str) {
    if cfg!(debug_assertions) {
        if let Some(suffix) = std::env::var_os("SILT_INJECT_PANIC") {
            if rel.ends_with(&*suffix.to_string_lossy()) {
                panic!("injected panic on {rel}");
            }
        }
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
/// entries' order, so the report is the same whatever the thread count. With `digests`, also the
/// digest of each file's linted bytes, by relative path.
pub fn check_all(
    linter: &Linter,
    entries: &[Entry],
    threads: Option<usize>,
    digests: bool,
) -> Result<(Vec<FileResult>, Digests), String> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads.filter(|n| *n > 0) {
        builder = builder.num_threads(n);
    }
    let pool = builder
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    let checked: Vec<(FileResult, Option<u64>)> = pool.install(|| {
        entries
            .par_iter()
            .map(|e| check_one(linter, e, digests))
            .collect()
    });
    let mut sums = Digests::new();
    let results = checked
        .into_iter()
        .map(|(r, d)| {
            if let Some(d) = d {
                sums.insert(r.path.clone(), d);
            }
            r
        })
        .collect();
    Ok((results, sums))
}
