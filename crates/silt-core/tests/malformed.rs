//! Hostile and broken input: silt never crashes, hangs or loses a finding.
//!
//! Every case lints a bad file through the core together with [`ANCHOR`], a valid integration profile
//! with one known finding, and asserts: no panic, a positioned `parse-error` with a meaningful message
//! on the bad file (where the file is bad), and the anchor's finding still reported at its place.
//! Every report format is rendered for every case.
//!
//! Fuzzing (`scripts/fuzz.sh`, `fuzz/`) checks the same invariants on random input; crashes it finds
//! become tests here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use silt_core::report::{self, json, Format, RenderOptions};
use silt_core::source::LineIndex;
use silt_core::{lint, Config, Diagnostic, Report};
use std::time::{Duration, Instant};

const ANCHOR_PATH: &str = "force-app/main/default/profiles/Anchor.profile-meta.xml";
const ANCHOR_RULE: &str = "integration-profile-no-ip-restriction";

/// A valid integration profile whose one finding is `integration-profile-no-ip-restriction` at 2:1.
const ANCHOR: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">
    <custom>true</custom>
    <userLicense>Salesforce Integration</userLicense>
    <userPermissions>
        <enabled>true</enabled>
        <name>ApiEnabled</name>
    </userPermissions>
    <userPermissions>
        <enabled>true</enabled>
        <name>ApiUserOnly</name>
    </userPermissions>
</Profile>
";

/// An integration profile with two findings: no IP ranges (2:1) and `ApiUserOnly` disabled, reported
/// on the `false` at 10:18.
const DISABLED: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">
    <custom>true</custom>
    <userLicense>Salesforce Integration</userLicense>
    <userPermissions>
        <enabled>true</enabled>
        <name>ApiEnabled</name>
    </userPermissions>
    <userPermissions>
        <enabled>false</enabled>
        <name>ApiUserOnly</name>
    </userPermissions>
</Profile>
";
const DISABLED_AT: (u32, u32) = (10, 18);

const BAD_PROFILE: &str = "force-app/main/default/profiles/Bad.profile-meta.xml";

/// Lint `files` plus the anchor; check the anchor finding and every position; render every format.
fn lint_with_anchor(files: &[(&str, Vec<u8>)]) -> Report {
    let mut all: Vec<(String, Vec<u8>)> =
        vec![(ANCHOR_PATH.to_string(), ANCHOR.as_bytes().to_vec())];
    all.extend(files.iter().map(|(p, b)| (p.to_string(), b.clone())));
    let report = lint(&all, &Config::default());
    assert_anchor(&report);
    check_positions(&report, &all);
    render_all(&report, &all);
    report
}

fn lint_one(path: &str, bytes: impl Into<Vec<u8>>) -> Report {
    lint_with_anchor(&[(path, bytes.into())])
}

fn assert_anchor(report: &Report) {
    let hits: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.file == ANCHOR_PATH)
        .collect();
    assert!(
        hits.iter()
            .any(|d| d.rule == ANCHOR_RULE && (d.range.start.line, d.range.start.column) == (2, 1)),
        "the valid file lost its finding: {hits:#?}"
    );
    assert!(
        !hits.iter().any(|d| d.rule == "parse-error"),
        "parse-error on the valid file: {hits:#?}"
    );
}

/// The text of a file as the core sees it (lossy when it is not valid text).
fn decoded(bytes: &[u8]) -> String {
    match silt_core::source::decode(bytes) {
        Ok(t) => t.into_owned(),
        Err((_, lossy)) => lossy,
    }
}

/// Every position lies inside its file's text and agrees with that file's line index.
fn check_positions(report: &Report, files: &[(String, Vec<u8>)]) {
    let indexed: Vec<(&str, String, LineIndex)> = files
        .iter()
        .filter(|(p, _)| report.diagnostics.iter().any(|d| d.file == *p))
        .map(|(p, b)| {
            let text = decoded(b);
            let idx = LineIndex::new(&text);
            (p.as_str(), text, idx)
        })
        .collect();
    for d in &report.diagnostics {
        let Some((_, text, idx)) = indexed.iter().find(|(p, _, _)| *p == d.file) else {
            continue;
        };
        for p in [d.range.start, d.range.end] {
            assert!(p.line >= 1 && p.column >= 1, "{}: position {p:?}", d.rule);
            assert!(
                p.offset as usize <= text.len(),
                "{}: offset {} past {} bytes",
                d.rule,
                p.offset,
                text.len()
            );
            assert_eq!(
                p,
                idx.position(text, p.offset as usize),
                "{}: position disagrees with the line index",
                d.rule
            );
        }
        assert!(
            d.range.start.offset <= d.range.end.offset,
            "{}: start after end",
            d.rule
        );
    }
}

fn render_all(report: &Report, files: &[(String, Vec<u8>)]) {
    let source = |p: &str| files.iter().find(|(f, _)| f == p).map(|(_, b)| decoded(b));
    for f in Format::ALL {
        for (color, quiet) in [(false, false), (true, false), (false, true)] {
            let out = report::render(report, f, &source, RenderOptions { color, quiet });
            assert!(!out.is_empty(), "{f:?} rendered nothing");
        }
    }
    let parsed: Result<serde_json::Value, _> = serde_json::from_str(&json::render(report));
    assert!(parsed.is_ok(), "JSON report is not JSON");
}

/// The parse-errors on `path`; at least one, each with a position ≥ 1:1 and a message.
fn parse_errors<'r>(report: &'r Report, path: &str) -> Vec<&'r Diagnostic> {
    let errs: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.file == path && d.rule == "parse-error")
        .collect();
    assert!(
        !errs.is_empty(),
        "no parse-error on {path}: {:#?}",
        report.diagnostics
    );
    for e in &errs {
        assert!(
            e.range.start.line >= 1 && e.range.start.column >= 1,
            "{e:#?}"
        );
        assert!(e.message.len() >= 10, "message too short to help: {e:#?}");
        assert_eq!(e.severity, silt_core::Severity::Error);
    }
    errs
}

/// The single parse-error on `path`: (line, column, message).
fn parse_error(report: &Report, path: &str) -> (u32, u32, String) {
    let errs = parse_errors(report, path);
    let e = errs[0];
    (e.range.start.line, e.range.start.column, e.message.clone())
}

/// (line, column) of the first parse-error on `path`.
fn error_at(report: &Report, path: &str) -> (u32, u32) {
    let (line, column, _) = parse_error(report, path);
    (line, column)
}

fn no_parse_error(report: &Report, path: &str) {
    let errs: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.file == path && d.rule == "parse-error")
        .collect();
    assert!(
        errs.is_empty(),
        "unexpected parse-error on {path}: {errs:#?}"
    );
}

fn finding<'r>(report: &'r Report, path: &str, rule: &str) -> Vec<&'r Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.file == path && d.rule == rule)
        .collect()
}

fn lc(d: &Diagnostic) -> (u32, u32) {
    (d.range.start.line, d.range.start.column)
}

/// The not-api-only error on the `false` of `DISABLED`-like files.
fn disabled_at(report: &Report, path: &str) -> (u32, u32) {
    let hits: Vec<_> = finding(report, path, "integration-profile-not-api-only")
        .into_iter()
        .filter(|d| d.severity == silt_core::Severity::Error)
        .collect();
    assert_eq!(hits.len(), 1, "{:#?}", report.diagnostics);
    lc(hits[0])
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

/// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
fn garbage(n: usize, mut seed: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

/// Run `f` on a thread with a 2 MiB stack (the size of a Rust test thread and of many hosts' workers).
fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let handle = std::thread::Builder::new().stack_size(2 << 20).spawn(f);
    match handle.map(|h| h.join()) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => std::panic::resume_unwind(e),
        Err(e) => std::panic::resume_unwind(Box::new(format!("cannot spawn a thread: {e}"))),
    }
}

// ---------------------------------------------------------------------------------------------
// Empty, BOM only, truncated, mismatched, wrong root

#[test]
fn malformed_empty_file() {
    let r = lint_one(BAD_PROFILE, "");
    let (line, col, msg) = parse_error(&r, BAD_PROFILE);
    assert_eq!((line, col), (1, 1));
    assert!(msg.contains("empty") || msg.contains("root"), "{msg}");
    // Whitespace only is no better.
    let r = lint_one(BAD_PROFILE, "  \n\t\n");
    parse_error(&r, BAD_PROFILE);
}

#[test]
fn malformed_only_a_bom() {
    let r = lint_one(BAD_PROFILE, "\u{feff}");
    let (line, col, msg) = parse_error(&r, BAD_PROFILE);
    assert_eq!((line, col), (1, 1));
    assert!(msg.contains("root") || msg.contains("empty"), "{msg}");
    for path in [
        "config/x-user-def.json",
        "sfdx-project.json",
        "config/project-scratch-def.json",
    ] {
        let r = lint_one(path, "\u{feff}");
        assert_eq!(error_at(&r, path), (1, 1), "{path}");
    }
}

#[test]
fn malformed_truncated_file() {
    // Cut between elements: the open element is reported at its start tag.
    let cut = &DISABLED[..DISABLED.find("    <userPermissions>").unwrap_or(0)];
    let r = lint_one(BAD_PROFILE, cut);
    let (line, col, msg) = parse_error(&r, BAD_PROFILE);
    assert_eq!((line, col), (2, 1), "{msg}");
    assert!(
        msg.contains("<Profile>") && msg.contains("never closed"),
        "{msg}"
    );
    // Cut inside a tag, inside a value, inside the declaration: always an error, never a panic.
    for end in [
        DISABLED.len() / 2,
        DISABLED.find("Integration<").unwrap_or(1),
        10,
        1,
    ] {
        let r = lint_one(BAD_PROFILE, &DISABLED[..end]);
        let (line, _, msg) = parse_error(&r, BAD_PROFILE);
        assert!(line >= 1 && !msg.is_empty());
    }
    // Every prefix of a real profile (short of its closing `>`).
    let files: Vec<(String, Vec<u8>)> = (0..ANCHOR.trim_end().len())
        .map(|i| {
            (
                format!("p/T{i}.profile-meta.xml"),
                ANCHOR.as_bytes()[..i].to_vec(),
            )
        })
        .collect();
    let report = lint(&files, &Config::default());
    for (p, _) in &files {
        parse_errors(&report, p);
    }
}

#[test]
fn malformed_mismatched_tags() {
    let text = "<?xml version=\"1.0\"?>\n<Profile>\n    <custom>true</label>\n</Profile>\n";
    let r = lint_one(BAD_PROFILE, text);
    let (line, col, msg) = parse_error(&r, BAD_PROFILE);
    // At the closing tag that does not match.
    assert_eq!((line, col), (3, 17), "{msg}");
    assert!(msg.contains("label") || msg.contains("custom"), "{msg}");
    // A stray closing tag, a second root, text after the root.
    for text in [
        "<Profile></Profile></x>",
        "<Profile/><Profile/>",
        "<Profile/>trailing",
        "</Profile>",
    ] {
        let r = lint_one(BAD_PROFILE, text);
        parse_error(&r, BAD_PROFILE);
    }
}

#[test]
fn malformed_wrong_root_for_the_suffix() {
    let text = DISABLED
        .replace("<Profile ", "<PermissionSet ")
        .replace("</Profile>", "</PermissionSet>");
    let r = lint_one(BAD_PROFILE, text);
    let (line, col, msg) = parse_error(&r, BAD_PROFILE);
    assert_eq!((line, col), (2, 1));
    assert!(
        msg.contains("<PermissionSet>") && msg.contains("<Profile>"),
        "{msg}"
    );
    // A wrong-rooted file contributes no metadata (no findings besides the parse-error).
    assert!(r
        .diagnostics
        .iter()
        .filter(|d| d.file == BAD_PROFILE)
        .all(|d| d.rule == "parse-error"));
    for path in [
        "force-app/main/default/permissionsets/X.permissionset-meta.xml",
        "force-app/main/default/connectedApps/X.connectedApp-meta.xml",
        "force-app/main/default/extlClntAppOauthPolicies/X.ecaOauthPlcy-meta.xml",
        "force-app/main/default/permissionsetgroups/X.permissionsetgroup-meta.xml",
    ] {
        let r = lint_one(path, DISABLED);
        let (_, _, msg) = parse_error(&r, path);
        assert!(msg.contains("<Profile>"), "{msg}");
    }
}

// ---------------------------------------------------------------------------------------------
// Bytes that are not (UTF-8) text

#[test]
fn malformed_binary_garbage() {
    for seed in 1..20u64 {
        let bytes = garbage(4096, seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let r = lint_one(BAD_PROFILE, bytes.clone());
        let (_, _, msg) = parse_error(&r, BAD_PROFILE);
        assert!(!msg.is_empty());
        for path in ["config/x-user-def.json", "data/q.json", "sfdx-project.json"] {
            let r = lint_one(path, bytes.clone());
            parse_error(&r, path);
        }
        // Garbage in a .csv / bare .xml is either not silt's or a parse-error; never a panic.
        let _ = lint_one("data/users.csv", bytes.clone());
        let _ = lint_one("data/bulk.xml", bytes);
    }
    // Valid UTF-8 garbage: control characters and symbols.
    let text: String = garbage(4096, 7)
        .iter()
        .map(|b| char::from(b % 0x60 + 0x01))
        .collect();
    let r = lint_one(BAD_PROFILE, text);
    parse_error(&r, BAD_PROFILE);
}

#[test]
fn malformed_nul_bytes_in_markup() {
    // A NUL in a name or outside the root is not XML.
    for text in [
        "<Pro\0file></Pro\0file>",
        "\0<Profile/>",
        "<Profile/>\0",
        "<Profile>\0<custom>true</custom>\0</Profile>\0",
    ] {
        let r = lint_one(BAD_PROFILE, text);
        parse_error(&r, BAD_PROFILE);
    }
}

/// XML 1.0 forbids U+0000 (and the other C0 controls but tab, LF and CR) anywhere in a document, text
/// and attribute values included: a file Salesforce cannot deploy must not lint clean. (Found while
/// writing these tests; fixed in `xml::parse`.)
#[test]
fn malformed_nul_bytes_in_a_value() {
    let text = DISABLED.replace("<custom>true</custom>", "<custom>tr\0ue</custom>");
    let r = lint_one(BAD_PROFILE, text);
    let (line, col, msg) = parse_error(&r, BAD_PROFILE);
    assert_eq!((line, col), (3, 15), "{msg}");
    for text in [
        "<Profile>\0</Profile>",
        "<Profile a=\"\0\"/>",
        "<Profile>\u{1}</Profile>",
    ] {
        let r = lint_one(BAD_PROFILE, text);
        parse_error(&r, BAD_PROFILE);
    }
}

#[test]
fn malformed_nul_bytes_never_lose_findings() {
    // Whatever silt decides about a NUL in a value, the file's real findings and the anchor stay.
    let text = DISABLED.replace("<custom>true</custom>", "<custom>tr\0ue</custom>");
    let _ = lint_one(BAD_PROFILE, text);
    // NUL-padded (a UTF-16 file without its BOM): an error, not silence.
    let padded: Vec<u8> = ANCHOR.bytes().flat_map(|b| [b, 0]).collect();
    let r = lint_one(BAD_PROFILE, padded);
    parse_error(&r, BAD_PROFILE);
}

#[test]
fn malformed_invalid_utf8() {
    let mut bytes = DISABLED.as_bytes().to_vec();
    let at = DISABLED.find("Salesforce Integration").unwrap_or(0) + 10;
    bytes[at] = 0xFF;
    let r = lint_one(BAD_PROFILE, bytes);
    let (line, col, msg) = parse_error(&r, BAD_PROFILE);
    assert_eq!((line, col), (4, 28), "{msg}");
    assert!(msg.contains("UTF-8") && msg.contains("0xFF"), "{msg}");
    // Overlong encodings, lone continuation bytes, a truncated sequence at the very end.
    for tail in [&[0xC0u8, 0xAF][..], &[0x80], &[0xE2, 0x82]] {
        let mut b = b"<Profile>".to_vec();
        b.extend_from_slice(tail);
        let r = lint_one(BAD_PROFILE, b);
        assert_eq!(error_at(&r, BAD_PROFILE), (1, 10));
    }
    // User data: the same error.
    let mut b = br#"{"Username": "a@b.c"}"#.to_vec();
    b[14] = 0xFE;
    let r = lint_one("config/x-user-def.json", b);
    assert_eq!(error_at(&r, "config/x-user-def.json"), (1, 15));
}

#[test]
fn malformed_utf16_le_and_be_are_decoded_and_linted() {
    for be in [false, true] {
        let path = if be {
            "force-app/main/default/profiles/Be.profile-meta.xml"
        } else {
            BAD_PROFILE
        };
        let text = DISABLED.replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
        let r = lint_one(path, utf16(&text, be));
        no_parse_error(&r, path);
        // Real findings, at the positions they have in the UTF-8 file.
        let ip = finding(&r, path, ANCHOR_RULE);
        assert_eq!(ip.len(), 1, "{:#?}", r.diagnostics);
        assert_eq!(lc(ip[0]), (2, 1));
        assert_eq!(disabled_at(&r, path), DISABLED_AT);
        // Non-ASCII before the finding: columns count characters.
        let text = text.replace("<enabled>false", "<!--é😀--><enabled>false");
        let r = lint_one(path, utf16(&text, be));
        assert_eq!(disabled_at(&r, path), (DISABLED_AT.0, DISABLED_AT.1 + 9));
    }
    // Broken UTF-16: an odd byte count, an unpaired surrogate.
    let mut odd = utf16(ANCHOR, false);
    odd.push(b'x');
    let r = lint_one(BAD_PROFILE, odd);
    assert!(parse_error(&r, BAD_PROFILE).2.contains("UTF-16"));
    let mut lone = utf16("<Profile>", true);
    lone.extend_from_slice(&[0xD8, 0x00, 0x00, 0x41]);
    let r = lint_one(BAD_PROFILE, lone);
    let (line, col, msg) = parse_error(&r, BAD_PROFILE);
    assert_eq!((line, col), (1, 10), "{msg}");
    // UTF-16 user data.
    let r = lint_one(
        "config/x-user-def.json",
        utf16("{\n  \"Username\": \"a@b.c\",,\n}", false),
    );
    assert_eq!(parse_error(&r, "config/x-user-def.json").0, 2);
}

// ---------------------------------------------------------------------------------------------
// Size and depth

#[test]
fn malformed_100k_deep_nesting_in_a_2mib_stack() {
    small_stack(|| {
        let n = 100_000;
        // Well-formed: no parse-error, and the profile's own findings are still found.
        let body = DISABLED.replace(
            "    <custom>",
            &format!("{}{}\n    <custom>", "<a>".repeat(n), "</a>".repeat(n)),
        );
        let r = lint_one(BAD_PROFILE, body);
        no_parse_error(&r, BAD_PROFILE);
        assert_eq!(
            disabled_at(&r, BAD_PROFILE),
            (DISABLED_AT.0 + 1, DISABLED_AT.1)
        );
        // Never closed: a parse-error at the innermost open tag.
        let open = format!("<Profile>{}", "<a>".repeat(n));
        let r = lint_one(BAD_PROFILE, open);
        let (line, col, msg) = parse_error(&r, BAD_PROFILE);
        assert_eq!((line, col), (1, 10 + 3 * (n as u32 - 1)), "{msg}");
        // Deep JSON in every JSON kind.
        let deep = format!("{}{}", "[".repeat(n), "]".repeat(n));
        let deep_obj = format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
        for path in [
            "config/x-user-def.json",
            "data/q.json",
            "sfdx-project.json",
            "config/project-scratch-def.json",
        ] {
            let _ = lint_one(path, deep.clone());
            let _ = lint_one(path, deep_obj.clone());
        }
        // Deep Bulk XML.
        let bulk = format!(
            "<queryResult>{}{}</queryResult>",
            "<records>".repeat(n),
            "</records>".repeat(n)
        );
        let _ = lint_one("data/bulk.xml", bulk);
    });
}

/// A profile of `size` bytes on one line: `<fieldPermissions>` blocks, then a disabled `ApiUserOnly`.
/// Returns the text and the column of that `false`.
fn one_line_profile(size: usize) -> (String, u32) {
    let block = "<fieldPermissions><editable>false</editable><field>Account.Description</field><readable>true</readable></fieldPermissions>";
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\"><userLicense>Salesforce Integration</userLicense><userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions>";
    let mut text = String::with_capacity(size + 1024);
    text.push_str(head);
    while text.len() < size {
        text.push_str(block);
    }
    text.push_str("<userPermissions><enabled>");
    let col = text.chars().count() as u32 + 1;
    text.push_str("false</enabled><name>ApiUserOnly</name></userPermissions></Profile>");
    (text, col)
}

fn lint_one_line_profile(size: usize, limit: Duration) {
    let (text, col) = one_line_profile(size);
    let started = Instant::now();
    let files = vec![
        (ANCHOR_PATH.to_string(), ANCHOR.as_bytes().to_vec()),
        (BAD_PROFILE.to_string(), text.into_bytes()),
    ];
    let r = lint(&files, &Config::default());
    let took = started.elapsed();
    assert_anchor(&r);
    no_parse_error(&r, BAD_PROFILE);
    assert_eq!(disabled_at(&r, BAD_PROFILE), (1, col));
    assert_eq!(lc(finding(&r, BAD_PROFILE, ANCHOR_RULE)[0]), (1, 39));
    assert!(took < limit, "{size}-byte one-line profile took {took:?}");
    render_all(&r, &files);
}

/// 50 MB on one line. Release: ~4 s of CPU (limit 60 s of wall time, for loaded CI machines). Debug:
/// ~90 s, hence ignored; run it with
/// `cargo test --release -p silt-core --test malformed -- --ignored malformed_50mb`.
/// [`malformed_5mb_one_line_file`] runs the same check at a tenth of the size in every build.
#[test]
#[ignore = "slow in debug builds (~90 s); run with --release -- --ignored (~4 s)"]
fn malformed_50mb_one_line_file() {
    let limit = if cfg!(debug_assertions) {
        Duration::from_secs(300)
    } else {
        Duration::from_secs(60)
    };
    lint_one_line_profile(50 * 1024 * 1024, limit);
}

#[test]
fn malformed_5mb_one_line_file() {
    // Generous limits: they catch quadratic blow-ups (minutes), not slow CI machines.
    let limit = if cfg!(debug_assertions) {
        Duration::from_secs(60)
    } else {
        Duration::from_secs(20)
    };
    lint_one_line_profile(5 * 1024 * 1024, limit);
}

/// A hostile one-line file whose elements all carry locations. `LineIndex::position` once counted the
/// columns by scanning the line from its start on every call, so on one long line each located value
/// cost O(offset): quadratic, ~10^11 byte checks for these 8 MB / 100,000 elements (over 2 minutes of
/// CPU in release). Real retrieves put whole profiles on one line too (see the corpora README).
#[test]
fn malformed_one_line_file_with_many_located_elements() {
    let text = one_line_permissions(100_000);
    let files = vec![
        (ANCHOR_PATH.to_string(), ANCHOR.as_bytes().to_vec()),
        (BAD_PROFILE.to_string(), text.into_bytes()),
    ];
    let started = Instant::now();
    let r = lint(&files, &Config::default());
    let took = started.elapsed();
    assert_anchor(&r);
    no_parse_error(&r, BAD_PROFILE);
    check_positions(&r, &files);
    // One finding per permission (ViewSetup is excessive for an integration user), each at its place.
    let hits = finding(&r, BAD_PROFILE, "integration-excessive-permission");
    assert!(hits.len() >= 100_000, "{}", hits.len());
    let limit = if cfg!(debug_assertions) {
        Duration::from_secs(120)
    } else {
        Duration::from_secs(30)
    };
    assert!(
        took < limit,
        "8 MB one-line profile with 100,000 located elements took {took:?}"
    );
    // The formats that stay linear (human: see the next test).
    for f in [Format::Json, Format::Sarif, Format::Junit, Format::Github] {
        let _ = report::render(&r, f, &|_| None, RenderOptions::default());
    }
}

/// `n` `<userPermissions>` (ViewSetup, one finding each) on one line, about 80 bytes each.
fn one_line_permissions(n: usize) -> String {
    let block = "<userPermissions><enabled>true</enabled><name>ViewSetup</name></userPermissions>";
    format!(
        "<Profile><userLicense>Salesforce Integration</userLicense>{}<objectPermissions><object>A</object><modifyAllRecords>true</modifyAllRecords></objectPermissions></Profile>",
        block.repeat(n)
    )
}

/// The human format's code frame (`report::frame::frame_line`) once collected the whole source line
/// into a `Vec<char>` and expanded it into display cells for every diagnostic, although it shows at
/// most ~120 columns: O(line length) per finding, quadratic for many findings on one long line.
/// Release CLI, `silt lint --format human`, n `<userPermissions>` on one line (80 n bytes, n findings),
/// before the fix: n = 5,000 (400 kB) 7.7 s; 10,000: 31 s; 20,000: 122 s; 100,000: over 5 minutes.
/// The JSON format took 0.02-0.5 s on the same files. Here: 400 kB, 5,000 findings.
#[test]
fn malformed_human_format_many_findings_on_one_long_line() {
    let text = one_line_permissions(5_000);
    let files = vec![(BAD_PROFILE.to_string(), text.clone().into_bytes())];
    let r = lint(&files, &Config::default());
    assert!(r.diagnostics.len() >= 5_000);
    let started = Instant::now();
    let out = report::render(
        &r,
        Format::Human,
        &|_| Some(text.clone()),
        RenderOptions::default(),
    );
    let took = started.elapsed();
    assert!(out.contains("-->"));
    let limit = if cfg!(debug_assertions) {
        Duration::from_secs(10)
    } else {
        Duration::from_secs(2)
    };
    assert!(
        took < limit,
        "human format of 5,000 findings on a 400 kB line took {took:?}"
    );
}

#[test]
fn malformed_billion_laughs_is_never_expanded() {
    let mut dtd =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE Profile [\n  <!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        dtd.push_str(&format!(
            "  <!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    dtd.push_str("]>\n");
    let text = format!(
        "{dtd}<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <fullName>&lol9;</fullName>\n    <userLicense>Salesforce Integration</userLicense>\n    <description>&lol9;&lol9;&lol9;</description>\n</Profile>\n"
    );
    let started = Instant::now();
    let r = lint_one(BAD_PROFILE, text.clone());
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    // silt reads no DTD: the declared entity is an unknown reference, a parse-error at its `&`.
    let pe = finding(&r, BAD_PROFILE, "parse-error");
    assert_eq!(pe.len(), 1, "{:#?}", r.diagnostics);
    assert!(pe[0].message.contains("`&lol9;`"), "{}", pe[0].message);
    let at = text.find("&lol9;").unwrap_or(0);
    assert_eq!(pe[0].range.start.offset as usize, at);
    let total: usize = r.diagnostics.iter().map(|d| d.message.len()).sum();
    assert!(total < 10_000, "messages grew to {total} bytes");
    let out = json::render(&r);
    assert!(
        out.len() < 100_000 && !out.contains("lollollol"),
        "expanded: {} bytes",
        out.len()
    );
    // External entities are never fetched or read either: the reference is a parse-error.
    let xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE Profile [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<Profile><fullName>&x;</fullName><userLicense>Salesforce Integration</userLicense></Profile>";
    let r = lint_one(BAD_PROFILE, xxe);
    assert!(finding(&r, BAD_PROFILE, "parse-error")[0]
        .message
        .contains("`&x;`"));
    assert!(!r.diagnostics.iter().any(|d| d.message.contains("root:")));
    // A DOCTYPE that never ends.
    let r = lint_one(
        BAD_PROFILE,
        "<?xml version=\"1.0\"?>\n<!DOCTYPE Profile [ <!ENTITY a \"b\">\n<Profile/>",
    );
    parse_error(&r, BAD_PROFILE);
}

#[test]
fn malformed_huge_attribute() {
    let value = "v".repeat(10 * 1024 * 1024);
    // Well-formed: linted as usual.
    let text = DISABLED.replace("<Profile ", &format!("<Profile huge=\"{value}\" "));
    let started = Instant::now();
    let r = lint_one(BAD_PROFILE, text);
    no_parse_error(&r, BAD_PROFILE);
    assert_eq!(disabled_at(&r, BAD_PROFILE), DISABLED_AT);
    // Never closed: a parse-error, quickly.
    let text = format!("<Profile huge=\"{value}>\n</Profile>");
    let r = lint_one(BAD_PROFILE, text);
    parse_error(&r, BAD_PROFILE);
    // A 10 MB attribute in a child, and 100,000 attributes.
    let text = DISABLED.replace("<custom>", &format!("<custom a=\"{value}\">"));
    let r = lint_one(BAD_PROFILE, text);
    assert_eq!(disabled_at(&r, BAD_PROFILE), DISABLED_AT);
    let many: String = (0..100_000).map(|i| format!(" a{i}=\"{i}\"")).collect();
    let r = lint_one(
        BAD_PROFILE,
        DISABLED.replace("<custom>", &format!("<custom{many}>")),
    );
    assert_eq!(disabled_at(&r, BAD_PROFILE), DISABLED_AT);
    let limit = if cfg!(debug_assertions) { 120 } else { 30 };
    assert!(
        started.elapsed() < Duration::from_secs(limit),
        "took {:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------------
// Odd but well-formed content

#[test]
fn malformed_duplicate_and_unknown_elements() {
    let text = DISABLED
        .replace(
            "    <custom>true</custom>\n",
            "    <custom>true</custom><custom>false</custom><bogus><x>1</x></bogus><fooBar/>\n",
        )
        .replace(
            "    <userLicense>Salesforce Integration</userLicense>\n",
            "    <userLicense>Salesforce Integration</userLicense><userLicense>Salesforce</userLicense>\n",
        );
    // The same permission twice, disabled twice.
    let text = text.replace("</Profile>", "    <userPermissions><enabled>false</enabled><name>ApiUserOnly</name></userPermissions>\n</Profile>");
    let r = lint_one(BAD_PROFILE, text);
    no_parse_error(&r, BAD_PROFILE);
    // Still an integration profile (the first userLicense), reported once per rule and place.
    assert_eq!(
        finding(&r, BAD_PROFILE, ANCHOR_RULE).len(),
        1,
        "{:#?}",
        r.diagnostics
    );
    let not_api: Vec<_> = finding(&r, BAD_PROFILE, "integration-profile-not-api-only");
    assert!(!not_api.is_empty(), "{:#?}", r.diagnostics);
    let mut keys: Vec<_> = r.diagnostics.iter().map(|d| d.sort_key()).collect();
    let n = keys.len();
    keys.dedup();
    assert_eq!(keys.len(), n, "duplicate diagnostics");
    // The same file twice in one run (two paths): each is linted on its own.
    let r = lint_with_anchor(&[
        (BAD_PROFILE, DISABLED.into()),
        ("x/profiles/Bad.profile-meta.xml", DISABLED.into()),
    ]);
    assert_eq!(disabled_at(&r, BAD_PROFILE), DISABLED_AT);
    assert_eq!(
        disabled_at(&r, "x/profiles/Bad.profile-meta.xml"),
        DISABLED_AT
    );
}

#[test]
fn malformed_line_endings_give_the_same_positions() {
    let crlf = DISABLED.replace('\n', "\r\n");
    let cr = DISABLED.replace('\n', "\r");
    for (name, text) in [("LF", DISABLED.to_string()), ("CRLF", crlf), ("CR", cr)] {
        let r = lint_one(BAD_PROFILE, text.clone());
        no_parse_error(&r, BAD_PROFILE);
        assert_eq!(disabled_at(&r, BAD_PROFILE), DISABLED_AT, "{name}");
        assert_eq!(
            lc(finding(&r, BAD_PROFILE, ANCHOR_RULE)[0]),
            (2, 1),
            "{name}"
        );
        // A parse error after the line breaks is positioned the same way too.
        let broken = text
            .replace("</name>\n    </userPermissions>\n</Profile>", "")
            .replace("<name>ApiUserOnly</name>", "<name>ApiUserOnly</nom>");
        let r = lint_one(BAD_PROFILE, broken);
        assert_eq!(parse_error(&r, BAD_PROFILE).0, 11, "{name}");
        // The same for JSON.
        let json = "{\n  \"Username\": \"a@b.c\",\n  \"permsets\": [\"A\",, \"B\"]\n}\n";
        let json = match name {
            "CRLF" => json.replace('\n', "\r\n"),
            "CR" => json.replace('\n', "\r"),
            _ => json.to_string(),
        };
        let r = lint_one("config/x-user-def.json", json);
        let (line, col, msg) = parse_error(&r, "config/x-user-def.json");
        assert_eq!((line, col), (3, 20), "{name}: {msg}");
    }
    // Mixed endings in one file.
    let mixed: String = DISABLED
        .lines()
        .zip(["\r\n", "\r", "\n"].iter().cycle())
        .map(|(l, e)| format!("{l}{e}"))
        .collect();
    let r = lint_one(BAD_PROFILE, mixed);
    assert_eq!(disabled_at(&r, BAD_PROFILE), DISABLED_AT);
}

#[test]
fn malformed_json_user_def_has_a_position() {
    let path = "config/x-user-def.json";
    let cases: &[(&str, (u32, u32))] = &[
        (
            "{\n  \"Username\": \"a@b.c\",\n  \"permsets\": [\"A\"\n",
            (4, 1),
        ),
        ("{\n  \"Username\": tru,\n  \"LastName\": \"x\"\n}", (2, 15)),
        ("{\"Username\": tru}", (1, 14)),
        ("{\"Username\": \"unterminated}", (1, 14)),
    ];
    for (text, _) in cases {
        let r = lint_one(path, *text);
        let (line, col, msg) = parse_error(&r, path);
        assert!(msg.contains("JSON"), "{msg}");
        assert!(line >= 1 && col >= 1);
    }
    // The exact place of the bad token.
    let r = lint_one(path, cases[1].0);
    let (line, col, msg) = parse_error(&r, path);
    assert_eq!((line, col), cases[1].1, "{msg}");
    // An array never closed: at its `[`.
    let r = lint_one(path, cases[0].0);
    assert_eq!(error_at(&r, path), (3, 15));
    // Every JSON kind.
    for p in [
        "data/q.json",
        "sfdx-project.json",
        "config/project-scratch-def.json",
        "orgs/dev.json",
    ] {
        let r = lint_one(p, "{\"a\": [1, 2,, 3]}");
        let (line, col, _) = parse_error(&r, p);
        assert_eq!((line, col), (1, 13), "{p}");
    }
}

#[test]
fn malformed_csv_user_data_has_a_position() {
    let path = "data/users.csv";
    let text = "Username,Profile.Name,IsActive\na@b.c,Minimum Access - API Only Integrations,true\n\"b@b.c,Integration,true\n";
    let r = lint_one(path, text);
    let (line, col, msg) = parse_error(&r, path);
    assert_eq!((line, col), (3, 1), "{msg}");
    assert!(msg.contains("CSV"), "{msg}");
    // A quote opened in the middle of the file, CRLF.
    let text = "Username,Profile.Name\r\nx@y.z,\"Integration\r\nq@y.z,P\r\n";
    let r = lint_one(path, text);
    assert_eq!(error_at(&r, path), (2, 7));
    // Ragged rows and an empty file are not errors (the header decides whether the file is silt's).
    let r = lint_one(path, "Username,Profile.Name\na@b.c\nb@b.c,P,extra,cells\n");
    no_parse_error(&r, path);
    let r = lint_one(path, "");
    no_parse_error(&r, path);
    // Malformed Bulk XML.
    let r = lint_one(
        "data/bulk.xml",
        "<queryResult><records><Username>a</records></queryResult>",
    );
    parse_error(&r, "data/bulk.xml");
}

// ---------------------------------------------------------------------------------------------
// Determinism

fn project() -> Vec<(String, Vec<u8>)> {
    let mut files = vec![
        (ANCHOR_PATH.to_string(), ANCHOR.as_bytes().to_vec()),
        (BAD_PROFILE.to_string(), DISABLED.as_bytes().to_vec()),
        ("force-app/main/default/profiles/Broken.profile-meta.xml".to_string(), b"<Profile><x></Profile>".to_vec()),
        ("force-app/main/default/profiles/Utf16.profile-meta.xml".to_string(), utf16(DISABLED, true)),
        ("config/x-user-def.json".to_string(), br#"{"Username":"a@b.c","profileName":"Bad","permsets":["Missing"]}"#.to_vec()),
        ("config/y-user-def.json".to_string(), br#"{"Username":"a@b.c","profileName":"Anchor"}"#.to_vec()),
        ("config/project-scratch-def.json".to_string(), br#"{"edition":"Developer"}"#.to_vec()),
        ("data/users.csv".to_string(), b"Username,Profile.Name,Profile.UserLicense.Name,IsActive\nc@d.e,Bad,Salesforce Integration,true\nf@g.h,Anchor,Salesforce Integration,true\n".to_vec()),
        ("data/bad.json".to_string(), b"{\"records\": [".to_vec()),
    ];
    let root = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/integration-gone-wrong"
    );
    let mut stack = vec![std::path::PathBuf::from(root)];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let (Ok(rel), Ok(bytes)) = (p.strip_prefix(root), std::fs::read(&p)) {
                files.push((format!("ex/{}", rel.to_string_lossy()), bytes));
            }
        }
    }
    files
}

#[test]
fn malformed_determinism_shuffled_files_give_identical_json() {
    let files = project();
    let expected = json::render(&lint(&files, &Config::default()));
    assert!(expected.contains("parse-error") && expected.contains(ANCHOR_RULE));
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..20 {
        let mut shuffled = files.clone();
        // Fisher-Yates with xorshift.
        for i in (1..shuffled.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            shuffled.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        assert_eq!(json::render(&lint(&shuffled, &Config::default())), expected);
    }
    // check_file on many threads, results delivered in completion order, joined by finish.
    let linter = silt_core::Linter::new(Config::default());
    let results = std::thread::scope(|s| {
        let handles: Vec<_> = files
            .iter()
            .rev()
            .map(|(p, b)| s.spawn(|| linter.check_file(p, b)))
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().ok())
            .collect::<Vec<_>>()
    });
    assert_eq!(json::render(&linter.finish(results)), expected);
}

/// `sf` reads user definitions, scratch definitions and `sfdx-project.json` with a strict JSON parser,
/// so silt must not accept what `sf` rejects (jsonc-parser's lenient defaults did: missing commas,
/// single quotes, unquoted keys, hex numbers). Comments stay allowed.
#[test]
fn malformed_lenient_json_is_a_parse_error() {
    let path = "config/x-user-def.json";
    for (text, at) in [
        (
            "{\n  \"Username\": \"a@b.c\"\n  \"LastName\": \"x\"\n}",
            (2, 22),
        ), // where the comma is missing
        (
            "{\"Username\": \"a@b.c\", \"permsets\": [\"A\" \"B\"]}",
            (1, 39),
        ),
        ("{'Username': 'a@b.c'}", (1, 2)),
        ("{Username: \"a@b.c\"}", (1, 2)),
        ("{\"Username\": \"a@b.c\", \"n\": 0x10}", (1, 28)),
    ] {
        let r = lint_one(path, text);
        assert_eq!(error_at(&r, path), at, "{text}");
    }
}
