//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer).
//!
//! One run. `tool.driver.rules` lists every built-in rule, `parse-error`, and any other rule id found in
//! the results (custom rules). Columns are Unicode code points (`run.columnKind`), 1-based, with
//! `endColumn` just past the range. URIs are relative to `%SRCROOT%` (the lint root) and
//! percent-encoded. `partialFingerprints["siltFingerprint/v1"]` is silt's line-independent fingerprint
//! (rule + file + element path). The license summary is in `run.properties.licenseSummary`.

use super::Report;
use crate::diagnostic::{Diagnostic, Edit, Severity};
use crate::registry::{registry, RuleMeta};
use crate::source::Range;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashMap};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const INFORMATION_URI: &str = "https://github.com/silt-lint/silt";
pub const SRCROOT: &str = "%SRCROOT%";
pub const FINGERPRINT_KEY: &str = "siltFingerprint/v1";
/// GitHub truncates descriptions beyond this many characters.
const MAX_DESCRIPTION: usize = 1024;
/// GitHub accepts at most 20 tags per rule.
const MAX_TAGS: usize = 20;

/// Everything but RFC 3986 unreserved characters and `/` is percent-encoded.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(report))
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

/// The SARIF log as a JSON value.
pub fn to_value(report: &Report) -> Value {
    let reg = registry();
    // Rule descriptors: built-ins (sorted), parse-error, then other ids seen in the results (sorted).
    let mut rules: Vec<Value> = reg.rules.values().map(descriptor).collect();
    let mut ids: Vec<String> = reg.rules.keys().cloned().collect();
    let mut extra: BTreeSet<&str> = report.diagnostics.iter().map(|d| d.rule.as_str()).collect();
    extra.insert(crate::rules::names::PARSE_ERROR);
    for id in extra {
        if !reg.rules.contains_key(id) {
            rules.push(bare_descriptor(id));
            ids.push(id.to_string());
        }
    }
    let index: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| result(d, index.get(d.rule.as_str()).copied()))
        .collect();
    let license = serde_json::to_value(&report.summary.license).unwrap_or(Value::Null);
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": report.tool.name,
                    "version": report.tool.version,
                    "semanticVersion": report.tool.version,
                    "informationUri": INFORMATION_URI,
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {
                "licenseSummary": license,
                "files": report.summary.files,
                "suppressed": report.summary.suppressed,
                "baselined": report.summary.baselined,
            },
        }],
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// `integration-license-capacity` → `IntegrationLicenseCapacity`.
pub fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|f| f.to_uppercase().chain(cs).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

fn truncate(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// First paragraph of a text (up to the first blank line), lines joined.
fn first_paragraph(s: &str) -> String {
    s.trim()
        .split("\n\n")
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The rule's tags, `security`, then its compliance references (SBS control IDs, `Health Check: …`).
fn tags(meta_tags: &[String], compliance: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in meta_tags
        .iter()
        .map(|t| t.trim().to_string())
        .chain(std::iter::once("security".to_string()))
        .chain(compliance)
    {
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    out.truncate(MAX_TAGS);
    out
}

fn descriptor(m: &RuleMeta) -> Value {
    let summary = if m.summary.trim().is_empty() {
        m.name.clone()
    } else {
        m.summary.trim().to_string()
    };
    let full = match first_paragraph(&m.rationale) {
        p if p.is_empty() => summary.clone(),
        p => p,
    };
    let help_text = format!("{summary}\n\n{}", m.rationale.trim());
    let mut d = json!({
        "id": m.name,
        "name": pascal_case(&m.name),
        "shortDescription": { "text": truncate(&summary, MAX_DESCRIPTION) },
        "fullDescription": { "text": truncate(&full, MAX_DESCRIPTION) },
        "help": { "text": help_text.trim(), "markdown": m.markdown() },
        "defaultConfiguration": { "level": level(m.severity) },
        "properties": {
            "tags": tags(&m.tags, m.compliance()),
            // GitHub code scanning ranks security alerts by this score (a string, 0.0–10.0).
            "security-severity": format!("{:.1}", m.security_severity().clamp(0.0, 10.0)),
        },
    });
    if let (Some(uri), Some(obj)) = (
        m.help_uri.as_deref().filter(|u| is_absolute_uri(u)),
        d.as_object_mut(),
    ) {
        obj.insert("helpUri".into(), Value::String(uri.to_string()));
    }
    d
}

/// Descriptor for a rule silt has no metadata for (parse errors, custom rules).
fn bare_descriptor(id: &str) -> Value {
    let (text, lvl, tags) = if id == crate::rules::names::PARSE_ERROR {
        (
            "A file could not be read or parsed as Salesforce metadata.",
            "error",
            vec!["security".to_string(), "parse".to_string()],
        )
    } else {
        (
            "Custom rule (see silt.toml).",
            "warning",
            vec!["security".to_string(), "custom".to_string()],
        )
    };
    let short = if id == crate::rules::names::PARSE_ERROR {
        text.to_string()
    } else {
        format!("Custom rule {id}.")
    };
    json!({
        "id": id,
        "name": pascal_case(id),
        "shortDescription": { "text": truncate(&short, MAX_DESCRIPTION) },
        "fullDescription": { "text": text },
        "help": { "text": text },
        "defaultConfiguration": { "level": lvl },
        "properties": { "tags": tags },
    })
}

fn is_absolute_uri(u: &str) -> bool {
    u.split_once(':').is_some_and(|(scheme, rest)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            && !rest.is_empty()
    })
}

/// An `artifactLocation` for a path relative to the lint root (or an absolute path, as a `file:` URI).
pub fn artifact_location(path: &str) -> Value {
    let p = path.replace('\\', "/");
    let bytes = p.as_bytes();
    let windows_abs =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if windows_abs {
        let (drive, rest) = p.split_at(2);
        return json!({ "uri": format!("file:///{drive}{}", utf8_percent_encode(rest, PATH)) });
    }
    if p.starts_with('/') {
        return json!({ "uri": format!("file://{}", utf8_percent_encode(&p, PATH)) });
    }
    let mut rel = p.as_str();
    while let Some(r) = rel.strip_prefix("./") {
        rel = r;
    }
    json!({ "uri": utf8_percent_encode(rel, PATH).to_string(), "uriBaseId": SRCROOT })
}

/// A SARIF region: 1-based lines and code-point columns, `endColumn` exclusive, never inverted.
pub fn region(r: &Range) -> Value {
    let start_line = r.start.line.max(1);
    let start_col = r.start.column.max(1);
    let (mut end_line, mut end_col) = (r.end.line.max(1), r.end.column.max(1));
    if (end_line, end_col) < (start_line, start_col) {
        (end_line, end_col) = (start_line, start_col);
    }
    json!({ "startLine": start_line, "startColumn": start_col, "endLine": end_line, "endColumn": end_col })
}

fn physical(file: &str, r: &Range) -> Value {
    json!({ "physicalLocation": { "artifactLocation": artifact_location(file), "region": region(r) } })
}

fn message(text: &str) -> Value {
    let t = if text.trim().is_empty() {
        "(no message)"
    } else {
        text
    };
    json!({ "text": t })
}

fn result(d: &Diagnostic, rule_index: Option<usize>) -> Value {
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(d.rule));
    if let Some(i) = rule_index {
        r.insert("ruleIndex".into(), json!(i));
    }
    r.insert("level".into(), json!(level(d.severity)));
    r.insert("message".into(), message(&d.message));
    r.insert("locations".into(), json!([physical(&d.file, &d.range)]));
    if !d.related.is_empty() {
        let related: Vec<Value> = d
            .related
            .iter()
            .enumerate()
            .map(|(i, rel)| {
                let mut v = physical(&rel.file, &rel.range);
                if let Some(o) = v.as_object_mut() {
                    o.insert("id".into(), json!(i + 1));
                    o.insert("message".into(), message(&rel.message));
                }
                v
            })
            .collect();
        r.insert("relatedLocations".into(), Value::Array(related));
    }
    r.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: d.fingerprint }),
    );
    if let Some(fix) = d.fix.as_ref().filter(|f| !f.edits.is_empty()) {
        // One artifactChange per file, in order of first appearance.
        let mut files: Vec<(&str, Vec<&Edit>)> = Vec::new();
        for e in &fix.edits {
            match files.iter_mut().find(|(f, _)| *f == e.file) {
                Some((_, v)) => v.push(e),
                None => files.push((&e.file, vec![e])),
            }
        }
        let changes: Vec<Value> = files
            .iter()
            .map(|(file, edits)| {
                let replacements: Vec<Value> = edits
                    .iter()
                    .map(|e| json!({ "deletedRegion": region(&e.range), "insertedContent": { "text": e.new_text } }))
                    .collect();
                json!({ "artifactLocation": artifact_location(file), "replacements": replacements })
            })
            .collect();
        r.insert(
            "fixes".into(),
            json!([{ "description": message(&fix.description), "artifactChanges": changes }]),
        );
    }
    Value::Object(r)
}

#[cfg(test)]
mod tests {
    use super::super::frame::fixtures;
    use super::*;

    fn log() -> Value {
        let out = render(&fixtures::report());
        serde_json::from_str(&out).unwrap_or(Value::Null)
    }

    #[test]
    fn report_sarif_structure() {
        let v = log();
        assert_eq!(v["$schema"], SCHEMA);
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        assert_eq!(run["tool"]["driver"]["name"], "silt");
        assert_eq!(run["properties"]["licenseSummary"]["addOnSeatsNeeded"], 2);
        let rules = run["tool"]["driver"]["rules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let results = run["results"].as_array().cloned().unwrap_or_default();
        assert_eq!(results.len(), 3);
        // Every ruleIndex points at the descriptor with the same id; ids are unique.
        let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
        let unique: BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len());
        assert!(ids.contains(&"parse-error") && ids.contains(&"custom-rule-x"));
        for r in &results {
            let i = r["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
            assert_eq!(rules.get(i).map(|d| &d["id"]), Some(&r["ruleId"]));
            assert!(r["partialFingerprints"][FINGERPRINT_KEY]
                .as_str()
                .is_some_and(|f| f.len() == 16));
            assert!(r["partialFingerprints"]
                .get("primaryLocationLineHash")
                .is_none());
        }
        let custom = ids.iter().position(|i| *i == "custom-rule-x").unwrap_or(0);
        assert_eq!(rules[custom]["name"], "CustomRuleX");
        assert!(rules[custom]["properties"]["tags"]
            .as_array()
            .is_some_and(|t| t.contains(&json!("security"))));
        for d in &rules {
            assert!(d["shortDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty()));
            assert!(d["help"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        }

        let e = &results[0];
        assert_eq!(e["level"], "error");
        assert_eq!(e["ruleId"], "integration-excessive-permission");
        let loc = &e["locations"][0]["physicalLocation"];
        assert_eq!(
            loc["artifactLocation"]["uri"],
            "force-app/main/default/profiles/Integration%20User.profile-meta.xml"
        );
        assert_eq!(loc["artifactLocation"]["uriBaseId"], SRCROOT);
        assert_eq!(
            loc["region"],
            json!({"startLine": 5, "startColumn": 9, "endLine": 5, "endColumn": 22})
        );
        let rel = &e["relatedLocations"][0];
        assert_eq!(rel["id"], 1);
        assert_eq!(rel["message"]["text"], "assigned to api@acme.com here");
        assert_eq!(
            rel["physicalLocation"]["artifactLocation"]["uri"],
            "users/Int%253AUser%201.json"
        );
        let change = &e["fixes"][0]["artifactChanges"][0];
        assert_eq!(
            change["replacements"][0]["insertedContent"]["text"],
            "false"
        );
        assert_eq!(
            change["replacements"][0]["deletedRegion"],
            json!({"startLine": 4, "startColumn": 12, "endLine": 4, "endColumn": 16})
        );
        assert_eq!(results[1]["level"], "warning");
        assert_eq!(
            results[1]["locations"][0]["physicalLocation"]["region"]["endLine"],
            6
        );
        assert_eq!(results[2]["level"], "note");
    }

    #[test]
    fn report_sarif_uris_and_names() {
        assert_eq!(
            artifact_location("a b/c:d#e?f%g.xml")["uri"],
            "a%20b/c%3Ad%23e%3Ff%25g.xml"
        );
        assert_eq!(artifact_location("./x\\é.xml")["uri"], "x/%C3%A9.xml");
        assert_eq!(
            artifact_location("/abs/p q.xml"),
            json!({"uri": "file:///abs/p%20q.xml"})
        );
        assert_eq!(
            artifact_location("C:\\w\\a.xml"),
            json!({"uri": "file:///C:/w/a.xml"})
        );
        assert_eq!(
            pascal_case("integration-license-capacity"),
            "IntegrationLicenseCapacity"
        );
        assert_eq!(pascal_case("parse-error"), "ParseError");
    }

    #[test]
    fn report_sarif_region_clamps() {
        let r = Range::default();
        assert_eq!(
            region(&r),
            json!({"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1})
        );
    }

    #[test]
    fn report_sarif_empty_report_and_registry_rules() {
        let report = Report::new(Vec::new(), 0, 0, Default::default());
        let v: Value = serde_json::from_str(&render(&report)).unwrap_or(Value::Null);
        let rules = v["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .map(Vec::len)
            .unwrap_or(0);
        assert_eq!(
            rules,
            registry().rules.len() + usize::from(!registry().rules.contains_key("parse-error"))
        );
        assert_eq!(v["runs"][0]["results"], json!([]));
        if let Some(m) = registry().rules.values().next() {
            let d = &v["runs"][0]["tool"]["driver"]["rules"][0];
            assert_eq!(d["id"], m.name.as_str());
            assert_eq!(d["help"]["markdown"], m.markdown());
            assert_eq!(d["name"], pascal_case(&m.name));
        }
    }

    /// The fixture report plus edge cases: unknown position, empty range, absolute and odd paths,
    /// a fix over two files, a parse error.
    fn edge_report() -> Report {
        use crate::diagnostic::{Edit, Fix, Location};
        let mut r = fixtures::report();
        let text = "\u{feff}<a>é😀 x</a>\n";
        let x = fixtures::loc("odd/[a]#b%3A c?.xml", text, "x", 0);
        let empty = Location {
            file: x.file.clone(),
            range: crate::source::LineIndex::new(text).range(text, crate::source::Span::new(3, 3)),
        };
        let unknown = Location {
            file: "/abs/path/f.xml".into(),
            range: Range::default(),
        };
        let fix = Fix {
            description: "two files".into(),
            edits: vec![
                Edit {
                    file: x.file.to_string(),
                    range: x.range,
                    new_text: "y".into(),
                },
                Edit {
                    file: "C:\\w\\b.xml".into(),
                    range: empty.range,
                    new_text: "<!-- z -->".into(),
                },
                Edit {
                    file: x.file.to_string(),
                    range: empty.range,
                    new_text: "".into(),
                },
            ],
        };
        r.diagnostics.push(
            Diagnostic::new("custom-rule-x", Severity::Warning, "unicode é😀", &x, "x")
                .with_fix(Some(fix)),
        );
        r.diagnostics.push(Diagnostic::new(
            "parse-error",
            Severity::Error,
            "empty range",
            &empty,
            "",
        ));
        r.diagnostics.push(
            Diagnostic::new("other-custom", Severity::Note, "", &unknown, "")
                .with_related(&unknown, ""),
        );
        r.recount();
        r
    }

    #[test]
    fn report_sarif_edge_cases() {
        let v: Value = serde_json::from_str(&render(&edge_report())).unwrap_or(Value::Null);
        let results = &v["runs"][0]["results"];
        assert_eq!(
            results[3]["locations"][0]["physicalLocation"]["region"],
            json!({"startLine": 1, "startColumn": 7, "endLine": 1, "endColumn": 8})
        );
        assert_eq!(
            results[3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "odd/%5Ba%5D%23b%253A%20c%3F.xml"
        );
        assert_eq!(
            results[3]["fixes"][0]["artifactChanges"]
                .as_array()
                .map(Vec::len),
            Some(2)
        );
        assert_eq!(
            results[3]["fixes"][0]["artifactChanges"][0]["replacements"]
                .as_array()
                .map(Vec::len),
            Some(2)
        );
        assert_eq!(
            results[4]["locations"][0]["physicalLocation"]["region"],
            json!({"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1})
        );
        assert_eq!(results[5]["message"]["text"], "(no message)");
        assert_eq!(
            results[5]["locations"][0]["physicalLocation"]["artifactLocation"],
            json!({"uri": "file:///abs/path/f.xml"})
        );
    }

    /// With `SILT_SARIF_OUT=path`, writes a SARIF log of the fixture and edge-case findings there, for
    /// `tests/sarif/validate.sh`.
    #[test]
    fn report_sarif_write_for_validator() {
        if let Some(path) = std::env::var_os("SILT_SARIF_OUT") {
            let r = std::fs::write(&path, render(&edge_report()));
            assert!(r.is_ok(), "cannot write {path:?}: {r:?}");
        }
    }
}
