//! `silt_core::wire` (one file's result as bytes between Wasm instances, for the Node host's worker
//! threads): every result of the example projects, the non-English fixtures and the shared corpora
//! decodes to what was encoded, the joined report is the same, and bad bytes are an error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use silt_core::{report, wire, Config, Linter};
use std::path::{Path, PathBuf};

fn round_trip(root: &Path) -> usize {
    let files = common::metadata_files(root);
    let linter = Linter::new(Config::default());
    let results: Vec<_> = files.iter().map(|(p, b)| linter.check_file(p, b)).collect();
    let mut decoded = Vec::new();
    for (i, r) in results.iter().enumerate() {
        let digest = (i % 2 == 0).then_some(i as u64 * 7919);
        let bytes = wire::encode(r, digest).unwrap();
        let (back, sum) = wire::decode(&bytes).unwrap();
        assert_eq!(sum, digest, "{}", r.path);
        assert_eq!(format!("{back:?}"), format!("{r:?}"), "{}", r.path);
        decoded.push(back);
    }
    let once = report::json::render(&linter.finish(results));
    assert_eq!(report::json::render(&linter.finish(decoded)), once);
    files.len()
}

#[test]
fn results_round_trip() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for dir in [
        "../../examples/integration-gone-wrong",
        "../../examples/integration-clean",
        "../../tests/fixtures/non-english",
    ] {
        n += round_trip(&here.join(dir));
    }
    assert!(n > 40, "{n} files");
    let corpora = std::env::var_os("SILT_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| here.join("../../../shared/corpora"));
    if corpora.is_dir() {
        assert!(round_trip(&corpora) >= 70);
    }
}

#[test]
fn unreadable_and_malformed_results_round_trip() {
    let linter = Linter::new(Config::default());
    for r in [
        silt_core::FileResult::unreadable(
            "profiles/É t.profile-meta.xml",
            "cannot read file: denied",
        ),
        linter.check_file("profiles/Bad.profile-meta.xml", b"<Profile><a></Profile>"),
        linter.check_file("profiles/Bin.profile-meta.xml", &[0xff, 0xfe, 0, 1]),
    ] {
        let (back, _) = wire::decode(&wire::encode(&r, None).unwrap()).unwrap();
        assert!(!r.diagnostics.is_empty());
        assert_eq!(format!("{back:?}"), format!("{r:?}"));
    }
}

#[test]
fn bad_bytes_are_an_error() {
    let r = Linter::new(Config::default()).check_file(
        "profiles/A.profile-meta.xml",
        b"<Profile><userPermissions><enabled>true</enabled><name>ModifyAllData</name></userPermissions></Profile>",
    );
    let bytes = wire::encode(&r, None).unwrap();
    assert!(wire::decode(&[]).is_err());
    for cut in [1, bytes.len() / 2, bytes.len() - 1] {
        assert!(wire::decode(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let mut junk = bytes.clone();
    junk.iter_mut().skip(3).for_each(|b| *b = 0xff);
    assert!(wire::decode(&junk).is_err());
}
