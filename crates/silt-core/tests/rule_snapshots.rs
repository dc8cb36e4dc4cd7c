//! Every documented example of every built-in rule (rules/builtin/*.toml) with its rule's full output
//! as a snapshot: messages, severities, ranges (line:column, UTF-16 columns where they differ, byte
//! offsets), related locations, fingerprints and fixes (their edits and the diff they make). One
//! snapshot per rule, `snapshots/rule_snapshots__<rule>.snap`; a new rule adds one. Review changes
//! with `cargo insta review` (or accept them with `INSTA_UPDATE=always`); with `CI=true` a missing or
//! changed snapshot fails.
//!
//! Only the example's own rule is shown: other rules' findings on the same files are their own
//! snapshots' business (and the example project's, in crates/silt-cli/tests/formats.rs).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use silt_core::registry::{registry, Example, RuleMeta};
use silt_core::source::Range;
use silt_core::{fix, lint, Config, Diagnostic};
use std::fmt::Write;
use std::path::Path;

fn range(r: &Range) -> String {
    let (s, e) = (r.start, r.end);
    let mut out = format!("{}:{}-{}:{}", s.line, s.column, e.line, e.column);
    if s.column_utf16 != s.column || e.column_utf16 != e.column {
        let _ = write!(out, " (UTF-16 {}-{})", s.column_utf16, e.column_utf16);
    }
    let _ = write!(out, " bytes {}..{}", s.offset, e.offset);
    out
}

fn indent(text: &str, by: &str) -> String {
    text.lines().map(|l| format!("{by}{l}\n")).collect()
}

fn finding(d: &Diagnostic) -> String {
    let mut out = format!("{} {} {}\n", d.severity, d.file, range(&d.range));
    out.push_str(&indent(&d.message, "  "));
    let _ = writeln!(
        out,
        "  fingerprint {} element {:?}",
        d.fingerprint, d.element
    );
    for r in &d.related {
        let _ = writeln!(out, "  related {} {}", r.file, range(&r.range));
        out.push_str(&indent(&r.message, "    "));
    }
    if let Some(f) = &d.fix {
        let _ = writeln!(out, "  fix: {}", f.description);
        for e in &f.edits {
            let _ = writeln!(
                out,
                "    edit {} {} -> {:?}",
                e.file,
                range(&e.range),
                e.new_text
            );
        }
    }
    out
}

/// One example: what it is, the rule's findings, and the diff its fixes make.
fn example(meta: &RuleMeta, i: usize, ex: &Example) -> String {
    let mut out = format!("=== example {} ({})", i + 1, ex.kind);
    if !ex.description.is_empty() {
        let _ = write!(out, ": {}", ex.description);
    }
    out.push('\n');
    if let Some(c) = &ex.config {
        out.push_str("silt.toml:\n");
        out.push_str(&indent(c, "  "));
    }
    let files: Vec<(String, Vec<u8>)> = ex
        .files
        .iter()
        .map(|f| (f.path.clone(), f.contents.clone().into_bytes()))
        .collect();
    let config = match &ex.config {
        Some(text) => Config::parse("silt.toml", text).unwrap(),
        None => Config::default(),
    };
    let report = lint(&files, &config);
    let fired: Vec<Diagnostic> = report
        .diagnostics
        .into_iter()
        .filter(|d| d.rule == meta.name)
        .collect();
    if fired.is_empty() {
        out.push_str("(no findings)\n");
    }
    for d in &fired {
        out.push_str(&finding(d));
    }
    for (file, edits) in fix::edits_by_file(&fired) {
        let Some(f) = ex.files.iter().find(|f| f.path == file) else {
            let _ = writeln!(
                out,
                "fixes edit {file}, which is not among the example's files"
            );
            continue;
        };
        let (new, applied) = fix::apply(&f.contents, &edits);
        let _ = writeln!(out, "fixed {file} ({applied} of {} edits):", edits.len());
        out.push_str(&fix::diff(file, &f.contents, &new));
    }
    out
}

fn snapshot_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

#[test]
fn rule_examples_snapshots() {
    let reg = registry();
    assert!(reg.errors.is_empty(), "{:#?}", reg.errors);
    // Every rule is compared (and its `.snap.new` written) before the test fails, so one run shows
    // every change.
    let mut changed = Vec::new();
    for meta in reg.rules.values() {
        let text: Vec<String> = meta
            .examples
            .iter()
            .enumerate()
            .map(|(i, ex)| example(meta, i, ex))
            .collect();
        let same = std::panic::catch_unwind(|| {
            insta::with_settings!({ description => format!("rules/builtin/{}.toml: every example", meta.name), omit_expression => true }, {
                insta::assert_snapshot!(meta.name.as_str(), text.join("\n"));
            });
        });
        if same.is_err() {
            changed.push(meta.name.as_str());
        }
    }
    assert!(changed.is_empty(), "snapshots differ: {changed:?}");
}

/// A snapshot whose rule is gone (renamed or removed) is stale: it must be deleted with the rule.
#[test]
fn no_snapshot_without_its_rule() {
    let reg = registry();
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(snapshot_dir()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(rule) = name
            .strip_prefix("rule_snapshots__")
            .and_then(|n| n.strip_suffix(".snap"))
        {
            if reg.get(rule).is_none() {
                stale.push(name);
            }
        }
    }
    assert!(stale.is_empty(), "snapshots of unknown rules: {stale:?}");
}
