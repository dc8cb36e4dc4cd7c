//! Shared harness of the silt fuzz targets.
//!
//! Every target lints its input together with [`ANCHOR`], a valid integration profile with one known
//! finding, then checks the invariants of the issue "silt never crashes, hangs or loses a finding on
//! hostile or broken input":
//!
//! * no panic anywhere (core, cross-file rules, every report format);
//! * the anchor's finding is still reported, at its exact position, whatever the other files hold;
//! * every position is sane: line and column ≥ 1, `start ≤ end`, offsets inside the file's decoded
//!   text, and line/column agree with the file's own line index (no position computed against the
//!   wrong file or the wrong text);
//! * every machine-readable format is well formed: the JSON report round-trips,
//!   JUnit is well-formed XML, every GitHub output line is a workflow command or a `silt:` line.

use silt_core::report::{self, Format, RenderOptions};
use silt_core::source::{decode, LineIndex, Range};
use silt_core::{Config, Diagnostic, FileResult, Linter, Report};
use std::collections::HashMap;

/// Where the anchor profile lives: a path no fuzz target ever gives another file.
pub const ANCHOR_PATH: &str = "force-app/main/default/profiles/Fuzz Anchor.profile-meta.xml";

/// A valid integration profile whose only finding is [`ANCHOR_RULE`] on its root start tag (2:1).
pub const ANCHOR: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
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

pub const ANCHOR_RULE: &str = "integration-profile-no-ip-restriction";

/// `(line, column)` of the anchor finding.
pub const ANCHOR_AT: (u32, u32) = (2, 1);

/// A small real project (the `integration-gone-wrong` example) used by the config and custom-rule
/// targets so that the configuration and the policies have something to act on.
pub const EXAMPLE: &[(&str, &str)] = &[
    (
        "force-app/main/default/profiles/Integration Sync.profile-meta.xml",
        include_str!("../../examples/integration-gone-wrong/force-app/main/default/profiles/Integration Sync.profile-meta.xml"),
    ),
    (
        "force-app/main/default/profiles/Warehouse Robot.profile-meta.xml",
        include_str!("../../examples/integration-gone-wrong/force-app/main/default/profiles/Warehouse Robot.profile-meta.xml"),
    ),
    (
        "force-app/main/default/permissionsets/Integration_Sync.permissionset-meta.xml",
        include_str!("../../examples/integration-gone-wrong/force-app/main/default/permissionsets/Integration_Sync.permissionset-meta.xml"),
    ),
    (
        "force-app/main/default/permissionsets/Sales_Admin_Tools.permissionset-meta.xml",
        include_str!("../../examples/integration-gone-wrong/force-app/main/default/permissionsets/Sales_Admin_Tools.permissionset-meta.xml"),
    ),
    (
        "force-app/main/default/connectedApps/Billing_Sync.connectedApp-meta.xml",
        include_str!("../../examples/integration-gone-wrong/force-app/main/default/connectedApps/Billing_Sync.connectedApp-meta.xml"),
    ),
    (
        "force-app/main/default/extlClntAppOauthPolicies/Erp_Connector_oauthPlcy.ecaOauthPlcy-meta.xml",
        include_str!("../../examples/integration-gone-wrong/force-app/main/default/extlClntAppOauthPolicies/Erp_Connector_oauthPlcy.ecaOauthPlcy-meta.xml"),
    ),
    ("config/integration-user-def.json", include_str!("../../examples/integration-gone-wrong/config/integration-user-def.json")),
    ("config/project-scratch-def.json", include_str!("../../examples/integration-gone-wrong/config/project-scratch-def.json")),
    ("data/users.csv", include_str!("../../examples/integration-gone-wrong/data/users.csv")),
    ("sfdx-project.json", include_str!("../../examples/integration-gone-wrong/sfdx-project.json")),
];

/// The files of one lint run, by (normalised) path.
pub struct Run {
    pub files: Vec<(String, Vec<u8>)>,
}

impl Run {
    /// A run holding the anchor profile.
    pub fn new() -> Run {
        Run { files: vec![(ANCHOR_PATH.to_string(), ANCHOR.as_bytes().to_vec())] }
    }

    /// Add a file unless its path (as the core normalises it) is already taken.
    pub fn add(&mut self, path: &str, bytes: &[u8]) -> bool {
        let norm = path.replace('\\', "/");
        if self.files.iter().any(|(p, _)| p.replace('\\', "/") == norm) {
            return false;
        }
        self.files.push((path.to_string(), bytes.to_vec()));
        true
    }

    pub fn add_example(&mut self) {
        for (p, t) in EXAMPLE {
            self.add(p, t.as_bytes());
        }
    }

    /// Lint the files the way the CLI does (`check_file` per file, then `finish`).
    pub fn lint(&self, linter: &Linter) -> Report {
        let results: Vec<FileResult> = self.files.iter().map(|(p, b)| linter.check_file(p, b)).collect();
        linter.finish(results)
    }

    /// Lint with the files delivered in reverse order (the report must not change).
    pub fn lint_reversed(&self, linter: &Linter) -> Report {
        let results: Vec<FileResult> = self.files.iter().rev().map(|(p, b)| linter.check_file(p, b)).collect();
        linter.finish(results)
    }

    /// A deterministic number from the input, to render the costliest format (SARIF: every rule's
    /// descriptor, ~45% of the time of an execution) for a quarter of the inputs only.
    pub fn sample(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for (p, b) in &self.files {
            for &x in p.as_bytes().iter().chain(b.iter()) {
                h = (h ^ u64::from(x)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        h
    }

    /// The decoded text of every file, as the core sees it (lossy when it is not valid text).
    pub fn texts(&self) -> HashMap<String, String> {
        self.files
            .iter()
            .map(|(p, b)| {
                let text = match decode(b) {
                    Ok(t) => t.into_owned(),
                    Err((_, lossy)) => lossy,
                };
                (p.replace('\\', "/"), text)
            })
            .collect()
    }
}

impl Default for Run {
    fn default() -> Self {
        Run::new()
    }
}

/// Lint `run` with `linter`, check every invariant, render every format. `anchor`: whether the
/// anchor finding must be present (false only when a fuzzed configuration may turn rules off).
pub fn check(run: &Run, linter: &Linter, anchor: bool) -> Report {
    let report = run.lint(linter);
    let texts = run.texts();
    check_positions(&report, &texts);
    if anchor {
        check_anchor(&report);
    }
    render_all(&report, &texts, run.sample());
    report
}

/// The anchor's finding is reported, at 2:1.
pub fn check_anchor(report: &Report) {
    let found = report
        .diagnostics
        .iter()
        .find(|d| d.file == ANCHOR_PATH && d.rule == ANCHOR_RULE)
        .unwrap_or_else(|| panic!("lost the anchor finding {ANCHOR_RULE}; diagnostics: {:#?}", report.diagnostics));
    let at = (found.range.start.line, found.range.start.column);
    assert_eq!(at, ANCHOR_AT, "anchor finding moved: {found:#?}");
    assert!(
        !report.diagnostics.iter().any(|d| d.file == ANCHOR_PATH && d.rule == "parse-error"),
        "parse-error on the valid anchor file: {:#?}",
        report.diagnostics
    );
}

type Indexed<'t> = HashMap<&'t str, (&'t str, LineIndex)>;

fn check_range(what: &str, file: &str, range: &Range, texts: &Indexed) {
    let Some((text, idx)) = texts.get(file) else { return };
    let (s, e) = (range.start, range.end);
    assert!(s.line >= 1 && s.column >= 1 && s.column_utf16 >= 1, "{what}: start {s:?} in {file}");
    assert!(e.line >= 1 && e.column >= 1 && e.column_utf16 >= 1, "{what}: end {e:?} in {file}");
    assert!(s.offset <= e.offset, "{what}: start after end {range:?} in {file}");
    assert!((e.offset as usize) <= text.len(), "{what}: end offset {} past the file ({} bytes) {file}", e.offset, text.len());
    for p in [s, e] {
        let want = idx.position(text, p.offset as usize);
        assert_eq!(p, want, "{what}: position disagrees with the line index of {file}");
    }
}

/// Every location of every diagnostic (range, related, fix edits) is sane in its own file.
pub fn check_positions(report: &Report, texts: &HashMap<String, String>) {
    let mut indexed: Indexed = HashMap::new();
    for d in &report.diagnostics {
        let files = std::iter::once(&d.file)
            .chain(d.related.iter().map(|r| &r.file))
            .chain(d.fix.iter().flat_map(|f| f.edits.iter().map(|e| &e.file)));
        for f in files {
            if let (false, Some((path, text))) = (indexed.contains_key(f.as_str()), texts.get_key_value(f)) {
                indexed.insert(path.as_str(), (text.as_str(), LineIndex::new(text)));
            }
        }
    }
    for d in &report.diagnostics {
        check_diagnostic(d, &indexed);
    }
}

fn check_diagnostic(d: &Diagnostic, texts: &Indexed) {
    assert!(!d.rule.is_empty(), "diagnostic without a rule: {d:?}");
    assert!(!d.message.trim().is_empty(), "diagnostic without a message: {d:?}");
    check_range(&format!("{} range", d.rule), &d.file, &d.range, texts);
    for r in &d.related {
        check_range(&format!("{} related", d.rule), &r.file, &r.range, texts);
    }
    if let Some(fix) = &d.fix {
        for e in &fix.edits {
            check_range(&format!("{} fix edit", d.rule), &e.file, &e.range, texts);
        }
    }
}

/// Render every format (human: plain, coloured, quiet) and check the machine-readable ones are well formed.
/// SARIF is rendered when `sample % 4 == 0`.
pub fn render_all(report: &Report, texts: &HashMap<String, String>, sample: u64) {
    let source = |p: &str| texts.get(p).cloned();
    for format in Format::ALL {
        if format == Format::Sarif && sample % 4 != 0 {
            continue;
        }
        // Human: plain, coloured and quiet; the other formats ignore the options.
        for (color, quiet) in [(false, false), (true, false), (false, true)] {
            if (color || quiet) && format != Format::Human {
                continue;
            }
            let out = report::render(report, format, &source, RenderOptions { color, quiet });
            match format {
                Format::Json => check_json(report, &out),
                // SARIF is serialised from a serde_json::Value: always JSON; rendering it is the check.
                Format::Junit => check_junit(&out),
                Format::Github => check_github(&out),
                // Human, Markdown and formats added later: no panic is the check.
                _ => {}
            }
        }
    }
}

fn check_json(report: &Report, out: &str) {
    let parsed: Report = match serde_json::from_str(out) {
        Ok(r) => r,
        Err(e) => {
            // NaN/inf prices (a fuzzed `price_per_seat_month = nan`) serialise as `null`: still JSON.
            let l = &report.summary.license;
            let finite = l.monthly_cost.is_finite() && l.price_per_seat_month.is_finite();
            if serde_json::from_str::<serde_json::Value>(out).is_ok() && !finite {
                return;
            }
            panic!("JSON report does not round-trip: {e}\n{out}");
        }
    };
    assert_eq!(parsed.diagnostics, report.diagnostics, "JSON report round-trip changed the diagnostics");
}

fn check_junit(out: &str) {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(out);
    r.config_mut().check_end_names = true;
    let mut depth = 0usize;
    loop {
        match r.read_event() {
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Text(t)) => {
                if let Err(e) = t.decode() {
                    panic!("JUnit text is not decodable: {e}\n{out}");
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("JUnit output is not well-formed XML at {}: {e}\n{out}", r.error_position()),
        }
    }
    assert_eq!(depth, 0, "JUnit output has unclosed elements\n{out}");
    // XML 1.0 cannot carry these at all, escaped or not.
    let bad = out.chars().find(|c| matches!(*c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'));
    assert!(bad.is_none(), "JUnit output holds a character XML 1.0 forbids: {bad:?}\n{out}");
}

fn check_github(out: &str) {
    for line in out.split('\n').filter(|l| !l.is_empty()) {
        assert!(
            line.starts_with("::") || line.starts_with("silt: "),
            "GitHub output line is neither a workflow command nor a `silt:` line (unescaped newline?): {line:?}\n{out}"
        );
        assert!(!line.contains('\r'), "raw CR in GitHub output: {line:?}");
    }
}

/// A default linter.
pub fn linter() -> Linter {
    Linter::new(Config::default())
}

/// Pick one of `options` by a selector byte.
pub fn pick<'a>(options: &[&'a str], selector: u8) -> &'a str {
    options[selector as usize % options.len()]
}
