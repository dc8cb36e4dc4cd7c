//! `--format junit`: JUnit XML, one `<testsuite>` per file with findings and one failing `<testcase>`
//! per diagnostic (CI UIs group by suite). A clean run is one passing test case named `silt`.
//!
//! ```xml
//! <testsuites name="silt" tests="1" failures="1" errors="0">
//!   <testsuite name="profiles/Int.profile-meta.xml" tests="1" failures="1" errors="0" skipped="0">
//!     <testcase classname="silt.integration-excessive-permission" name="profiles/Int.profile-meta.xml:5:9">
//!       <failure type="integration-excessive-permission" message="...">error[...]: ...</failure>
//!     </testcase>
//!   </testsuite>
//! </testsuites>
//! ```

use super::Report;
use crate::diagnostic::Diagnostic;
use crate::report::frame::{counts_line, license_rows, location};
use std::fmt::Write as _;

pub fn render(report: &Report) -> String {
    // Files in order of first appearance (the report is sorted by file already).
    let mut files: Vec<(&str, Vec<&Diagnostic>)> = Vec::new();
    for d in &report.diagnostics {
        match files.last_mut() {
            Some((f, v)) if *f == d.file => v.push(d),
            _ => match files.iter_mut().find(|(f, _)| *f == d.file) {
                Some((_, v)) => v.push(d),
                None => files.push((&d.file, vec![d])),
            },
        }
    }
    let n = report.diagnostics.len();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"silt\" tests=\"{}\" failures=\"{n}\" errors=\"0\">",
        n.max(1)
    );
    if files.is_empty() {
        out.push_str(
            "  <testsuite name=\"silt\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">\n",
        );
        out.push_str("    <testcase classname=\"silt\" name=\"silt\"/>\n");
        system_out(&mut out, report);
        out.push_str("  </testsuite>\n");
    }
    let last = files.len().saturating_sub(1);
    for (i, (file, diags)) in files.iter().enumerate() {
        let k = diags.len();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{k}\" failures=\"{k}\" errors=\"0\" skipped=\"0\">",
            attr(file)
        );
        for d in diags {
            let _ = writeln!(
                out,
                "    <testcase classname=\"silt.{}\" name=\"{}\">",
                attr(&d.rule),
                attr(&location(&d.file, &d.range))
            );
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                attr(&d.rule),
                attr(&d.message),
                text(&body(d))
            );
            out.push_str("    </testcase>\n");
        }
        // The run summary goes once, with the last suite.
        if i == last {
            system_out(&mut out, report);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn body(d: &Diagnostic) -> String {
    let mut s = format!(
        "{}[{}]: {}\n  at {}",
        d.severity,
        d.rule,
        d.message,
        location(&d.file, &d.range)
    );
    for r in &d.related {
        let _ = write!(
            s,
            "\n  note: {}: {}",
            location(&r.file, &r.range),
            r.message
        );
    }
    if let Some(fix) = &d.fix {
        let _ = write!(s, "\n  help: fix available: {}", fix.description);
    }
    s
}

fn system_out(out: &mut String, report: &Report) {
    let mut s = counts_line(&report.summary, report.diagnostics.len());
    s.push_str("\nIntegration license:");
    for (label, value) in license_rows(&report.summary.license) {
        let _ = write!(s, "\n  {label}: {value}");
    }
    let _ = writeln!(out, "    <system-out>{}</system-out>", text(&s));
}

/// Whether XML 1.0 allows the character at all (control characters other than tab/LF/CR do not).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Escape element text; characters XML cannot carry are dropped.
pub fn text(s: &str) -> String {
    escape(s, false)
}

/// Escape an attribute value (double-quoted); whitespace is kept as character references so that
/// attribute-value normalisation does not turn it into spaces.
pub fn attr(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, in_attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| xml_char(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '"' if in_attr => out.push_str("&quot;"),
            '\'' if in_attr => out.push_str("&apos;"),
            '\n' if in_attr => out.push_str("&#10;"),
            '\t' if in_attr => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::frame::fixtures;
    use super::*;
    use crate::diagnostic::{Location, Severity};
    use quick_xml::events::Event;
    use quick_xml::Reader;

    #[derive(Debug, Default, PartialEq)]
    struct Parsed {
        /// (element name, attributes) in document order.
        elements: Vec<(String, Vec<(String, String)>)>,
        texts: Vec<String>,
    }

    /// Parse with quick-xml, failing on any malformed input; attributes and text are unescaped.
    fn parse(xml: &str) -> Result<Parsed, String> {
        let mut r = Reader::from_str(xml);
        r.config_mut().check_end_names = true;
        let mut p = Parsed::default();
        loop {
            match r.read_event().map_err(|e| e.to_string())? {
                Event::Start(e) | Event::Empty(e) => {
                    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                    let mut attrs = Vec::new();
                    for a in e.attributes() {
                        let a = a.map_err(|e| e.to_string())?;
                        let v = a.unescape_value().map_err(|e| e.to_string())?.into_owned();
                        attrs.push((String::from_utf8_lossy(a.key.as_ref()).into_owned(), v));
                    }
                    p.elements.push((name, attrs));
                }
                Event::Text(t) => {
                    let s = t.decode().map_err(|e| e.to_string())?.into_owned();
                    if !s.trim().is_empty() {
                        p.texts.push(s);
                    }
                }
                Event::GeneralRef(g) => {
                    let name = g.decode().map_err(|e| e.to_string())?.into_owned();
                    let s = match name.as_str() {
                        "amp" => "&".to_string(),
                        "lt" => "<".to_string(),
                        "gt" => ">".to_string(),
                        "quot" => "\"".to_string(),
                        "apos" => "'".to_string(),
                        n => n
                            .strip_prefix('#')
                            .and_then(|n| n.parse::<u32>().ok())
                            .and_then(char::from_u32)
                            .map(String::from)
                            .ok_or_else(|| format!("bad entity {n}"))?,
                    };
                    p.texts.push(s);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(p)
    }

    fn attr_of<'a>(p: &'a Parsed, elem: &str, n: usize, key: &str) -> Option<&'a str> {
        p.elements
            .iter()
            .filter(|(e, _)| e == elem)
            .nth(n)
            .and_then(|(_, a)| a.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()))
    }

    #[test]
    fn report_junit_well_formed() {
        let out = render(&fixtures::report());
        let p = parse(&out);
        assert!(p.is_ok(), "{p:?}\n{out}");
        let p = p.unwrap_or_default();
        assert_eq!(attr_of(&p, "testsuites", 0, "tests"), Some("3"));
        assert_eq!(attr_of(&p, "testsuites", 0, "failures"), Some("3"));
        assert_eq!(
            p.elements.iter().filter(|(e, _)| e == "testsuite").count(),
            2
        );
        assert_eq!(attr_of(&p, "testsuite", 0, "name"), Some(fixtures::PROFILE));
        assert_eq!(attr_of(&p, "testsuite", 0, "tests"), Some("2"));
        assert_eq!(attr_of(&p, "testsuite", 1, "name"), Some(fixtures::USERS));
        assert_eq!(
            attr_of(&p, "testcase", 0, "classname"),
            Some("silt.integration-excessive-permission")
        );
        assert_eq!(
            attr_of(&p, "testcase", 0, "name"),
            Some(format!("{}:5:9", fixtures::PROFILE).as_str())
        );
        assert_eq!(
            attr_of(&p, "failure", 0, "message"),
            Some("integration user has ModifyAllData, a, \"b\" & 100% <c>")
        );
        assert_eq!(
            attr_of(&p, "failure", 2, "message"),
            Some("line one\nline two")
        );
        assert_eq!(p.elements.iter().filter(|(e, _)| e == "failure").count(), 3);
        assert!(out.contains("&lt;c&gt;</failure>") || out.contains("&lt;c&gt;\n"));
        assert!(out.contains("<system-out>1 error, 1 warning, 1 note in 2 files"));
    }

    #[test]
    fn report_junit_empty_is_one_passing_case() {
        let out = render(&Report::new(Vec::new(), 4, 0, fixtures::license()));
        let p = parse(&out).unwrap_or_default();
        assert_eq!(attr_of(&p, "testsuites", 0, "tests"), Some("1"));
        assert_eq!(attr_of(&p, "testsuites", 0, "failures"), Some("0"));
        assert_eq!(attr_of(&p, "testcase", 0, "name"), Some("silt"));
        assert!(!p.elements.iter().any(|(e, _)| e == "failure"));
    }

    #[test]
    fn report_junit_strips_control_characters() {
        let text = "<a>x</a>";
        let at: Location = fixtures::loc("we\u{1}ird\".xml", text, "x", 0);
        let d = Diagnostic::new(
            "r&<>",
            Severity::Warning,
            "bad\u{0}\u{1b}\u{fffe} \u{7f}ok]]>\ttab\r\n",
            &at,
            "",
        );
        let out = render(&Report::new(vec![d], 1, 0, fixtures::license()));
        assert!(
            !out.contains(['\u{0}', '\u{1}', '\u{1b}', '\u{fffe}']),
            "{out:?}"
        );
        let p = parse(&out);
        assert!(p.is_ok(), "{p:?}\n{out}");
        let p = p.unwrap_or_default();
        assert_eq!(attr_of(&p, "testsuite", 0, "name"), Some("weird\".xml"));
        assert_eq!(attr_of(&p, "testcase", 0, "classname"), Some("silt.r&<>"));
        assert_eq!(
            attr_of(&p, "failure", 0, "message"),
            Some("bad \u{7f}ok]]>\ttab\r\n")
        );
    }

    #[test]
    fn report_junit_escapers() {
        assert_eq!(attr("a\"'<>&\n"), "a&quot;&apos;&lt;&gt;&amp;&#10;");
        assert_eq!(text("a<b>&c\u{2}"), "a&lt;b&gt;&amp;c");
    }
}
