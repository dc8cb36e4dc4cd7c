//! `packages/silt/types.d.ts`: the TypeScript declarations of the report, rule metadata, file kinds and
//! options, generated from the Rust types with `ts-rs`. The committed file must be current:
//! `scripts/build-wasm.sh` (or `SILT_WRITE_TYPES=1 cargo test -p silt-wasm --features ts --test types`)
//! rewrites it. The option types must name exactly the keys the glue accepts.

#![cfg(feature = "ts")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use silt_core::access::{AccessGrant, Hop};
use silt_core::diff;
use silt_core::registry::{Example, ExampleFile, RuleMeta};
use silt_core::report::diff::DiffFormat;
use silt_core::report::{Format, LicenseSummary, Summary, Tool};
use silt_core::source::{Position, Range};
use silt_core::{baseline, Diagnostic, Edit, FileKind, Fix, Related, Report, Severity};
use silt_wasm::options::*;
use std::path::Path;
use ts_rs::{Config, TS};

const HEADER: &str = "\
// Generated from the Rust types by crates/silt-wasm/tests/types.rs (ts-rs); do not edit.
// Regenerate: bash scripts/build-wasm.sh, or SILT_WRITE_TYPES=1 cargo test -p silt-wasm --features ts --test types
";

/// `type X = { a: A, /** doc */ b?: B, };` → an interface, one member a line; unions stay types.
fn declaration<T: TS>(cfg: &Config) -> String {
    let mut out = T::docs().unwrap_or_default();
    let decl = T::decl(cfg);
    let (head, body) = decl.split_once(" = ").unwrap();
    let name = head.trim_start_matches("type ");
    let Some(fields) = body.strip_prefix("{ ").and_then(|b| b.strip_suffix(" };")) else {
        out.push_str(&format!("export {decl}\n"));
        return out;
    };
    out.push_str(&format!("export interface {name} {{\n"));
    for field in split_fields(fields) {
        let field = field.trim();
        let (doc, member) = match field.rfind("*/") {
            Some(end) => (&field[..end + 2], field[end + 2..].trim()),
            None => ("", field),
        };
        for line in doc.lines() {
            out.push_str(&format!("  {}\n", line.trim_start()).replace("  *", "   *"));
        }
        out.push_str(&format!("  {member};\n"));
    }
    out.push_str("}\n");
    out
}

/// A union of string literals, one a line.
fn union<const N: usize>(name: &str, doc: &str, names: [&str; N]) -> String {
    let mut out = format!("/**\n * {doc}\n */\nexport type {name} =\n");
    for n in names {
        out.push_str(&format!("  | \"{n}\"\n"));
    }
    out.pop();
    out.push_str(";\n");
    out
}

/// The members of an object type: split at the commas outside comments, strings and brackets.
fn split_fields(body: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth) = (Vec::new(), String::new(), 0i32);
    let (mut in_comment, mut in_string) = (false, false);
    let chars: Vec<char> = body.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        cur.push(c);
        if in_comment {
            in_comment = !(c == '/' && i > 0 && chars[i - 1] == '*');
        } else if in_string {
            in_string = c != '"';
        } else {
            match c {
                '/' if chars.get(i + 1) == Some(&'*') => in_comment = true,
                '"' => in_string = true,
                '<' | '{' | '(' | '[' => depth += 1,
                '>' | '}' | ')' | ']' => depth -= 1,
                ',' if depth == 0 => {
                    cur.pop();
                    out.push(std::mem::take(&mut cur));
                }
                _ => {}
            }
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

fn generate() -> String {
    let cfg = Config::new().with_large_int("number");
    let sections: Vec<(&str, Vec<String>)> = vec![
        (
            "The JSON report of `silt lint --format json` (what `lint()` returns with format json)",
            vec![
                declaration::<Report>(&cfg),
                declaration::<Tool>(&cfg),
                declaration::<Diagnostic>(&cfg),
                declaration::<Severity>(&cfg),
                declaration::<Position>(&cfg),
                declaration::<Range>(&cfg),
                declaration::<Related>(&cfg),
                declaration::<Fix>(&cfg),
                declaration::<Edit>(&cfg),
                declaration::<Summary>(&cfg),
                declaration::<LicenseSummary>(&cfg),
            ],
        ),
        (
            "Baselines",
            vec![
                declaration::<baseline::Entry>(&cfg),
                declaration::<baseline::Outcome>(&cfg),
            ],
        ),
        (
            "Rule metadata (`rules()`)",
            vec![
                declaration::<RuleMeta>(&cfg),
                declaration::<Example>(&cfg),
                declaration::<ExampleFile>(&cfg),
            ],
        ),
        (
            "What `classify()` answers",
            vec![union(
                "FileKind",
                "What kind of file a path is (`classify()`).",
                FileKind::NAMES,
            )],
        ),
        (
            "The diff report of `silt diff --format json` (what `diff()` returns)",
            vec![
                declaration::<diff::DiffReport>(&cfg),
                declaration::<diff::AccessChange>(&cfg),
                declaration::<AccessGrant>(&cfg),
                declaration::<Hop>(&cfg),
                declaration::<diff::AppChange>(&cfg),
                declaration::<diff::AppSettingChange>(&cfg),
                declaration::<diff::LicenseChange>(&cfg),
                declaration::<diff::FindingsChange>(&cfg),
                declaration::<DiffOptions>(&cfg),
                union(
                    "DiffFormat",
                    "A format of `silt diff --format`.",
                    DiffFormat::ALL.map(DiffFormat::as_str),
                ),
            ],
        ),
        (
            "Options and errors",
            vec![
                declaration::<InputFile>(&cfg),
                declaration::<SetupOptions>(&cfg),
                declaration::<OutputOptions>(&cfg),
                union(
                    "OutputFormat",
                    "A format of `silt lint --format`.",
                    Format::ALL.map(Format::as_str),
                ),
                declaration::<FixOptions>(&cfg),
                declaration::<WorkspaceOptions>(&cfg),
                declaration::<ConfigErrorFields>(&cfg),
            ],
        ),
    ];
    let mut out = HEADER.to_string();
    for (title, decls) in sections {
        out.push_str(&format!("\n// {title}\n\n"));
        out.push_str(&decls.join("\n"));
    }
    out
}

fn path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packages/silt/types.d.ts")
}

#[test]
fn types_d_ts_is_current() {
    let text = generate();
    if std::env::var_os("SILT_WRITE_TYPES").is_some() {
        std::fs::write(path(), &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(path()).unwrap_or_default();
    assert!(
        committed == text,
        "packages/silt/types.d.ts is stale: run bash scripts/build-wasm.sh (or SILT_WRITE_TYPES=1 \
         cargo test -p silt-wasm --features ts --test types) and commit it"
    );
}

/// The member names of an interface in the generated text.
fn members(text: &str, name: &str) -> Vec<String> {
    let start = text
        .find(&format!("export interface {name} {{\n"))
        .unwrap_or_else(|| panic!("no interface {name}"));
    let body = &text[start..];
    let body = &body[..body.find("\n}\n").unwrap()];
    body.lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.starts_with("/**") && !l.starts_with('*'))
        .map(|l| l.split([':', '?']).next().unwrap().to_string())
        .collect()
}

#[test]
fn option_types_name_the_keys_the_glue_accepts() {
    let text = generate();
    for (name, keys) in [
        ("SetupOptions", silt_wasm::SETUP_KEYS),
        ("OutputOptions", silt_wasm::OUTPUT_KEYS),
        ("WorkspaceOptions", silt_wasm::WORKSPACE_KEYS),
        ("FixOptions", silt_wasm::FIX_KEYS),
        ("DiffOptions", silt_wasm::DIFF_KEYS),
    ] {
        assert_eq!(members(&text, name), keys, "{name}");
    }
}

#[test]
fn report_version_is_a_number_and_optional_members_are_optional() {
    let text = generate();
    assert!(text.contains("  version: number;\n"), "{text}");
    for member in [
        "related?: Array<Related>;",
        "fix?: Fix;",
        "element?: string;",
    ] {
        assert!(text.contains(member), "{member}");
    }
    // Every field the report serialises is declared (a new field without a declaration fails).
    let report = silt_core::lint(
        &[(
            "force-app/main/default/profiles/A.profile-meta.xml".to_string(),
            b"<Profile><userLicense>Salesforce</userLicense></Profile>".to_vec(),
        )],
        &silt_core::Config::default(),
    );
    let json: serde_json::Value =
        serde_json::from_str(&silt_core::report::json::render(&report)).unwrap();
    for key in json.as_object().unwrap().keys() {
        assert!(members(&text, "Report").contains(key), "{key}");
    }
    for key in json["summary"].as_object().unwrap().keys() {
        assert!(members(&text, "Summary").contains(key), "summary.{key}");
    }
}
