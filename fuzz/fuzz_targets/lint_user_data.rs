//! Arbitrary bytes as one user-data / project file (the first byte picks which), beside the anchor.
#![no_main]

use libfuzzer_sys::fuzz_target;
use silt_fuzz::{check, linter, pick, Run};

/// Index = first byte modulo the length; `scripts/fuzz.sh` prefixes seeds with their kind's index.
pub const PATHS: &[&str] = &[
    "config/x-user-def.json",
    "data/users.csv",
    "data/q.json",
    "data/bulk.xml",
    "sfdx-project.json",
    "config/project-scratch-def.json",
    "orgs/dev.json",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let mut run = Run::new();
    run.add(pick(PATHS, selector), body);
    check(&run, &linter(), true);
});
