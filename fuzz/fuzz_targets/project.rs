//! Several files linted together, to exercise the cross-file rules (users ↔ profiles ↔ permission
//! sets ↔ apps, decomposed permission sets, editions).
//!
//! Input: files separated by a NUL byte; in each, the first line is the path and the rest the bytes.
//! The report must not depend on the order the files arrive in.
#![no_main]

use libfuzzer_sys::fuzz_target;
use silt_core::report::json;
use silt_fuzz::{check, linter, Run};

const MAX_FILES: usize = 16;

fuzz_target!(|data: &[u8]| {
    let mut run = Run::new();
    for chunk in data.split(|&b| b == 0).take(MAX_FILES) {
        let (path, body) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], &chunk[i + 1..]),
            None => (chunk, &[][..]),
        };
        let path = String::from_utf8_lossy(path);
        let path = path.trim_end_matches('\r');
        if path.is_empty() {
            continue;
        }
        run.add(path, body);
    }
    let linter = linter();
    let report = check(&run, &linter, true);
    let reversed = run.lint_reversed(&linter);
    assert_eq!(json::render(&report), json::render(&reversed), "the report depends on the order of the files");
});
