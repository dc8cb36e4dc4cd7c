//! Every file of the shared real-metadata corpora parses with no parse-error.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use silt_core::{classify, lint, Config};
use std::path::{Path, PathBuf};

fn corpora() -> Option<PathBuf> {
    let p = std::env::var_os("SILT_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora"));
    p.is_dir().then_some(p)
}

fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, root, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if classify(&rel).is_some() {
                out.push((rel, std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
}

#[test]
fn every_corpus_file_parses() {
    let Some(root) = corpora() else {
        eprintln!("shared corpora not found; skipping");
        return;
    };
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    assert!(
        files.len() >= 70,
        "expected the corpus files, found {}",
        files.len()
    );
    let metadata_files = files
        .iter()
        .filter(|(p, _)| p.ends_with(".profile") || p.ends_with(".permissionset"))
        .count();
    assert!(
        metadata_files >= 58,
        "found {metadata_files} profiles and permission sets"
    );
    let report = lint(&files, &Config::default());
    let errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "parse-error")
        .map(|d| format!("{}:{} {}", d.file, d.range.start.line, d.message))
        .collect();
    assert!(
        errors.is_empty(),
        "parse errors in the corpora:\n{}",
        errors.join("\n")
    );
}
