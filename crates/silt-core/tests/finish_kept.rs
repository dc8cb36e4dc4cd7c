//! `Linter::finish_kept` (incremental hosts keep their per-file results and join them again) gives
//! the same report as `finish`, and leaves the results intact for the next join.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use silt_core::{report, Config, Linter};
use std::path::Path;

#[test]
fn finish_kept_is_finish_and_keeps_the_results() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/integration-gone-wrong");
    let files = common::metadata_files(&root);
    assert!(files.len() > 10);
    let linter = Linter::new(Config::default());
    let mut results: Vec<_> = files.iter().map(|(p, b)| linter.check_file(p, b)).collect();
    results.sort_by(|a, b| a.path.cmp(&b.path));
    let kept = report::json::render(&linter.finish_kept(&results));
    let again = report::json::render(&linter.finish_kept(&results));
    let once = linter.finish(results);
    assert!(once.diagnostics.len() > 10);
    let once = report::json::render(&once);
    assert_eq!(kept, once);
    assert_eq!(again, once);
}
