//! `Linter::spec` / `Linter::from_spec`: a worker thread's Wasm instance builds the linter of the
//! session it checks files for from the spec alone. Built from a real `silt.toml` with a custom rule
//! pack, `[rules]` levels and `--max-file-size`, it checks every file exactly as the session's own.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use silt_core::{wire, Linter};
use silt_workspace::native::NativeHost;
use silt_workspace::session::{Options, Session};
use std::fs;
use std::path::Path;

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            fs::copy(&p, &dest).unwrap();
        }
    }
}

#[test]
fn a_linter_built_from_its_spec_checks_every_file_the_same() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo.join("examples/integration-gone-wrong"), dir.path());
    fs::create_dir_all(dir.path().join("policies")).unwrap();
    fs::copy(
        repo.join("rules/examples/least-privilege.toml"),
        dir.path().join("policies/lp.toml"),
    )
    .unwrap();
    fs::write(
        dir.path().join("silt.toml"),
        "custom_rules = [\"policies/lp.toml\"]\n[rules]\ndescription-required = \"off\"\n",
    )
    .unwrap();
    let host = NativeHost;
    let options = Options {
        paths: vec![dir.path().to_string_lossy().into_owned()],
        max_file_size: Some(200_000),
        ..Default::default()
    };
    let mut session = Session::open(&host, &options).unwrap();
    session.linter.access_detail = true;
    let spec = session.linter.spec().expect("a loaded linter has a spec");
    let copy = Linter::from_spec(&spec).unwrap();
    assert_eq!(copy.spec().as_deref(), Some(spec.as_str()));
    assert_eq!(copy.config.max_file_size(), 200_000);
    assert!(copy.access_detail);
    assert!(copy.rules().len() > session.linter.rules().len() - 1);
    assert_eq!(
        copy.rules().iter().map(|r| &r.name).collect::<Vec<_>>(),
        session
            .linter
            .rules()
            .iter()
            .map(|r| &r.name)
            .collect::<Vec<_>>()
    );
    let (results, _) = session.check(&host, Some(1), false);
    assert!(results.len() > 20);
    for r in &results {
        let bytes = fs::read(dir.path().join(&r.path)).unwrap();
        let again = copy.check_file(&r.path, &bytes);
        assert_eq!(
            wire::encode(&again, None).unwrap(),
            wire::encode(r, None).unwrap(),
            "{}",
            r.path
        );
    }
    // The custom rules and the `[rules]` levels took part.
    let report = session.linter.finish(results);
    let rules: Vec<&str> = report.diagnostics.iter().map(|d| d.rule.as_str()).collect();
    assert!(rules.contains(&"modify-all-outside-sysadmin"), "{rules:?}");
    assert!(!rules.contains(&"description-required"), "{rules:?}");

    // A linter not loaded from texts has no spec; a bad spec is an error, not a panic.
    assert!(Linter::new(silt_core::Config::default()).spec().is_none());
    assert!(Linter::from_spec("{").is_err());
    assert!(Linter::from_spec(r#"{"recipe":{"config":["silt.toml","[rules"],"custom_rules":[]},"max_file_size":null,"access_detail":false}"#).is_err());
}
