//! Reading and checking one discovered file: its bytes are read, checked and dropped, only the small
//! per-file result is kept.

use crate::discover::Entry;
use crate::host::Host;
use silt_core::{FileResult, Linter};
use std::collections::BTreeMap;

/// A digest of the bytes each file had when it was linted, by relative path (`--fix` writes a file
/// only if its bytes are still these).
pub type Digests = BTreeMap<String, u64>;

pub fn digest(bytes: &[u8]) -> u64 {
    silt_core::diff::digest(bytes)
}

/// Read and check one entry; with `keep_digest`, also the digest of its bytes.
pub fn check_one<H: Host + ?Sized>(
    host: &H,
    linter: &Linter,
    entry: &Entry,
    keep_digest: bool,
) -> (FileResult, Option<u64>) {
    let (rel, abs) = match entry {
        Entry::File { rel, abs } => (rel, abs),
        Entry::Unreadable { rel, message } => return (FileResult::unreadable(rel, message), None),
    };
    // Oversized files are decided from their size, never read past the limit.
    match host.size(abs) {
        Ok(size) => {
            if let Some(too_large) = linter.check_size(rel, size) {
                return (too_large, None);
            }
        }
        Err(e) => {
            return (
                FileResult::unreadable(rel, &format!("cannot read file: {e}")),
                None,
            )
        }
    }
    let max = linter.config.max_file_size();
    let bytes = match host.read(abs, max) {
        Ok(b) => b,
        Err(e) => {
            return (
                FileResult::unreadable(rel, &format!("cannot read file: {e}")),
                None,
            )
        }
    };
    if let Some(too_large) = linter.check_size(rel, bytes.len() as u64) {
        return (too_large, None);
    }
    let result = isolated(rel, || {
        inject_panic(host.env("SILT_INJECT_PANIC"), rel);
        linter.check_file(rel, &bytes)
    });
    (result, keep_digest.then(|| digest(&bytes)))
}

/// Run one file's check so that a bug in silt that panics costs that file only (where panics
/// unwind, as in the native CLI): it becomes a `parse-error` naming the internal error, and every
/// other file is still linted and reported.
fn isolated(rel: &str, check: impl FnOnce() -> FileResult) -> FileResult {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(check)).unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        FileResult::unreadable(
            rel,
            &format!(
                "internal error while checking this file (a bug in silt; please report it): {why}"
            ),
        )
    })
}

/// Fault injection for the tests, in debug builds only: `SILT_INJECT_PANIC=<suffix>` makes the
/// check of files whose path ends with it panic.
#[allow(clippy::panic)]
fn inject_panic(suffix: Option<String>, rel: &str) {
    if cfg!(debug_assertions) && suffix.is_some_and(|s| rel.ends_with(&s)) {
        panic!("injected panic on {rel}");
    }
}

/// Check files whose bytes the host already has (a git revision's blobs), in parallel where the
/// build has threads; results in the items' order, each with its digest when `keep_digest`.
pub fn check_bytes(
    linter: &Linter,
    items: &[(&str, &[u8])],
    threads: Option<usize>,
    keep_digest: bool,
) -> Vec<(FileResult, Option<u64>)> {
    let check = |(rel, bytes): &(&str, &[u8])| {
        let result = match linter.check_size(rel, bytes.len() as u64) {
            Some(too_large) => too_large,
            None => isolated(rel, || linter.check_file(rel, bytes)),
        };
        (result, keep_digest.then(|| digest(bytes)))
    };
    #[cfg(feature = "native")]
    {
        use rayon::prelude::*;
        let mut builder = rayon::ThreadPoolBuilder::new();
        if let Some(n) = threads.filter(|n| *n > 0) {
            builder = builder.num_threads(n);
        }
        if let Ok(pool) = builder.build() {
            return pool.install(|| items.par_iter().map(check).collect());
        }
    }
    let _ = threads;
    items.iter().map(check).collect()
}
