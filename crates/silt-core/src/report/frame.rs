//! Helpers shared by the formatters: code frames, counts and money. Pure functions.

use crate::report::{escape_text, LicenseSummary, Summary};
use crate::source::{LineIndex, Range};

/// Tabs are shown as this many spaces (carets stay aligned).
pub const TAB_WIDTH: usize = 4;
/// Lines wider than this (in display cells) are cut around the marked range.
pub const MAX_LINE_WIDTH: usize = 120;
/// Cells kept to the left of the range when a long line is cut.
const LEFT_CONTEXT: usize = 24;

/// One source line prepared for display, with the marked part.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrameLine {
    /// 1-based line number.
    pub line: u32,
    /// The line with tabs expanded, control characters replaced and long lines cut (`...` marks a cut).
    pub text: String,
    /// Display cells before the first caret.
    pub caret_start: usize,
    /// Number of carets (at least 1).
    pub caret_len: usize,
    /// The range goes on past this line.
    pub continues: bool,
}

/// The first line of `range` in `text` (the text `index` was built from), ready to print.
///
/// Columns are counted in Unicode scalar values (as [`crate::source::Position::column`]), so one
/// character is one cell. `None` when the line does not exist in `text` (e.g. the file changed).
pub fn frame_line(text: &str, index: &LineIndex, range: &Range) -> Option<FrameLine> {
    let line_no = range.start.line;
    let span = index.line_span(text, line_no)?;
    let mut line = text.get(span.range())?;
    let mut line_start = span.start as usize;
    if line_no == 1 && line.starts_with('\u{feff}') {
        line = &line[3..];
        line_start += 3;
    }
    // Very long lines (whole files on one line): only a window around the range is laid out, so a
    // frame costs the same whatever the line's length.
    let mut left_cut = false;
    let mut start_char = (range.start.column.max(1) as usize - 1).min(line.len());
    let mut end_col = range.end.column.max(1) as usize - 1;
    if line.len() > WINDOW * 4 {
        let start_off =
            (range.start.offset as usize).clamp(line_start, line_start + line.len()) - line_start;
        let mut from = start_off.saturating_sub(WINDOW);
        while from > 0 && !line.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (start_off + WINDOW).min(line.len());
        while to < line.len() && !line.is_char_boundary(to) {
            to += 1;
        }
        let chars_before = line[from..start_off.max(from)].chars().count();
        let shift = (range.start.column.max(1) as usize - 1).saturating_sub(chars_before);
        left_cut = from > 0;
        line = &line[from..to];
        start_char = chars_before;
        end_col = end_col.saturating_sub(shift);
    }
    let chars: Vec<char> = line.chars().collect();
    let start_char = start_char.min(chars.len());
    let continues = range.end.line > line_no;
    let end_char = if continues {
        chars.len()
    } else {
        end_col.clamp(start_char, chars.len())
    };
    // Expand into display cells.
    let mut cells: Vec<char> = Vec::with_capacity(chars.len());
    let mut disp_start = 0;
    let mut disp_end = 0;
    for (i, &c) in chars.iter().enumerate() {
        if i == start_char {
            disp_start = cells.len();
        }
        if i == end_char {
            disp_end = cells.len();
        }
        match c {
            '\t' => cells.extend(std::iter::repeat_n(' ', TAB_WIDTH)),
            c if is_unsafe_control(c) => cells.push('\u{fffd}'),
            c => cells.push(c),
        }
    }
    if start_char == chars.len() {
        disp_start = cells.len();
    }
    if end_char == chars.len() {
        disp_end = cells.len();
    }
    let caret_len = disp_end.saturating_sub(disp_start).max(1);
    let mut frame = cut_long_line(line_no, cells, disp_start, caret_len, continues);
    if left_cut && !frame.text.starts_with("...") {
        frame.text.insert_str(0, "...");
        frame.caret_start += 3;
    }
    Some(frame)
}

/// Bytes of context kept on each side of a range on a very long line.
const WINDOW: usize = 1024;

fn cut_long_line(
    line: u32,
    cells: Vec<char>,
    caret_start: usize,
    caret_len: usize,
    continues: bool,
) -> FrameLine {
    // Trailing whitespace carries no information.
    let mut cells = cells;
    while cells.last().is_some_and(|c| *c == ' ') && cells.len() > caret_start + caret_len {
        cells.pop();
    }
    if cells.len() <= MAX_LINE_WIDTH {
        return FrameLine {
            line,
            text: cells.into_iter().collect(),
            caret_start,
            caret_len,
            continues,
        };
    }
    let from = caret_start.saturating_sub(LEFT_CONTEXT);
    let to = (from + MAX_LINE_WIDTH).min(cells.len());
    let mut text = String::new();
    let mut shift = 0;
    if from > 0 {
        text.push_str("...");
        shift = 3;
    }
    text.extend(cells.get(from..to).unwrap_or(&[]).iter());
    if to < cells.len() {
        text.push_str("...");
    }
    let caret_start_cut = caret_start - from + shift;
    // Carets never run past the cut (plus one cell for a caret at the very end).
    let visible = (to + 1).saturating_sub(caret_start).max(1);
    FrameLine {
        line,
        text,
        caret_start: caret_start_cut,
        caret_len: caret_len.min(visible),
        continues,
    }
}

/// Control characters that could drive a terminal (everything but tab, which is expanded).
pub fn is_unsafe_control(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}')
}

/// `n thing` / `n things`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The notes of one rule, for summaries: `11 notes: integration-profile-no-ip-restriction on 11 profiles`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteGroup<'r> {
    pub rule: &'r str,
    pub count: usize,
    /// The files the notes are in, by kind: `11 profiles`, `1 profile and 1 permission set`.
    pub on: String,
}

impl NoteGroup<'_> {
    /// `11 notes: RULE on 11 profiles`, the rule name as `rule` renders it.
    pub fn line(&self, rule: impl Fn(&str) -> String) -> String {
        format!(
            "{}: {} on {}",
            plural(self.count, "note", "notes"),
            rule(self.rule),
            self.on
        )
    }
}

/// The human output lists a rule's notes one by one up to this many; more become one line per rule.
pub const GROUP_NOTES_AT: usize = 5;

/// The notes of `diagnostics` grouped by rule (rules in name order), for the rules with at least `min` notes.
pub fn note_groups(diagnostics: &[crate::Diagnostic], min: usize) -> Vec<NoteGroup<'_>> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut by_rule: BTreeMap<&str, (usize, BTreeSet<&str>)> = BTreeMap::new();
    for d in diagnostics
        .iter()
        .filter(|d| d.severity == crate::Severity::Note)
    {
        let e = by_rule.entry(&d.rule).or_default();
        e.0 += 1;
        e.1.insert(&d.file);
    }
    by_rule
        .into_iter()
        .filter(|(_, (n, _))| *n >= min.max(1))
        .map(|(rule, (count, files))| {
            // Files per kind: `11 profiles`, `1 profile and 1 permission set`.
            let mut kinds: BTreeMap<(&str, &str), usize> = BTreeMap::new();
            for f in &files {
                let noun = crate::classify(f).map_or(("file", "files"), |k| kind_noun(&k));
                *kinds.entry(noun).or_default() += 1;
            }
            let mut parts: Vec<String> = kinds
                .into_iter()
                .map(|((one, many), n)| plural(n, one, many))
                .collect();
            let last = parts.pop().unwrap_or_default();
            let on = if parts.is_empty() {
                last
            } else {
                format!("{} and {last}", parts.join(", "))
            };
            NoteGroup { rule, count, on }
        })
        .collect()
}

/// What a file of this kind is, singular and plural.
fn kind_noun(kind: &crate::FileKind) -> (&'static str, &'static str) {
    use crate::FileKind as K;
    match kind {
        K::Profile => ("profile", "profiles"),
        K::PermissionSet | K::PermissionSetPart { .. } => ("permission set", "permission sets"),
        K::MutingPermissionSet => ("muting permission set", "muting permission sets"),
        K::PermissionSetGroup => ("permission set group", "permission set groups"),
        K::ConnectedApp => ("connected app", "connected apps"),
        K::EcaPolicy | K::EcaGlobalOauth | K::EcaOauth => {
            ("External Client App file", "External Client App files")
        }
        K::UserDef => ("user definition", "user definitions"),
        _ => ("file", "files"),
    }
}

/// `file:line:col` (just `file` when the position is unknown, i.e. line 0).
pub fn location(file: &str, range: &Range) -> String {
    if range.start.line == 0 {
        file.to_string()
    } else {
        format!("{file}:{}:{}", range.start.line, range.start.column.max(1))
    }
}

/// `2 errors, 1 warning, 0 notes in 3 files; 1 suppressed; 2 fixable with --fix`, or
/// `No problems found in 3 files.` when there is nothing to report.
pub fn counts_line(summary: &Summary, shown: usize) -> String {
    let mut extra = String::new();
    if summary.suppressed > 0 {
        extra.push_str(&format!("; {} suppressed", summary.suppressed));
    }
    if summary.baselined > 0 {
        extra.push_str(&format!("; {} baselined", summary.baselined));
    }
    if summary.fixable > 0 {
        extra.push_str(&format!("; {} fixable with --fix", summary.fixable));
    }
    let files = plural(summary.files, "file", "files");
    if shown == 0 {
        return format!("No problems found in {files}{extra}.");
    }
    format!(
        "{}, {}, {} in {files}{extra}",
        plural(summary.errors, "error", "errors"),
        plural(summary.warnings, "warning", "warnings"),
        plural(summary.notes, "note", "notes"),
    )
}

/// `$20.00` for USD, `EUR 20.00` for any other currency code.
pub fn money(amount: f64, currency: &str) -> String {
    let amount = if amount.is_finite() { amount } else { 0.0 };
    let code = currency.trim();
    if code.eq_ignore_ascii_case("USD") || code == "$" {
        format!("${amount:.2}")
    } else if code.is_empty() {
        format!("{amount:.2}")
    } else {
        format!("{} {amount:.2}", escape_text(code))
    }
}

/// `$20.00/month (2 × $10.00)`; `$0.00/month` when no add-on seat is needed.
pub fn monthly_cost(l: &LicenseSummary) -> String {
    let cost = format!("{}/month", money(l.monthly_cost, &l.currency));
    if l.add_on_seats_needed == 0 {
        cost
    } else {
        format!(
            "{cost} ({} × {})",
            l.add_on_seats_needed,
            money(l.price_per_seat_month, &l.currency)
        )
    }
}

/// What to say when the edition is unknown.
pub const UNKNOWN_EDITION: &str =
    "unknown edition: set [org] edition in silt.toml or edition in config/project-scratch-def.json";

/// The license summary as `(label, value)` rows, shared by the human and GitHub formats.
pub fn license_rows(l: &LicenseSummary) -> Vec<(&'static str, String)> {
    const MAX_NAMES: usize = 10;
    let n = l.integration_users.len();
    let mut users = n.to_string();
    if l.active_integration_users as usize != n {
        users.push_str(&format!(", {} active", l.active_integration_users));
    }
    if n > 0 {
        let names: Vec<String> = l
            .integration_users
            .iter()
            .take(MAX_NAMES)
            .map(|u| escape_text(u).into_owned())
            .collect();
        users.push_str(" (");
        users.push_str(&names.join(", "));
        if n > MAX_NAMES {
            users.push_str(&format!(" and {} more", n - MAX_NAMES));
        }
        users.push(')');
    }
    let edition = match l.edition.as_deref().map(str::trim) {
        Some(e) if !e.is_empty() => escape_text(e).into_owned(),
        _ => UNKNOWN_EDITION.to_string(),
    };
    let free = l
        .free_seats
        .map(|f| f.to_string())
        .unwrap_or_else(|| "unknown".to_string());
    vec![
        ("integration users", users),
        ("edition", edition),
        ("free seats", free),
        ("purchased seats", l.purchased_seats.to_string()),
        ("add-on seats needed", l.add_on_seats_needed.to_string()),
        ("monthly cost", monthly_cost(l)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn frame(text: &str, a: usize, b: usize) -> Option<FrameLine> {
        let idx = LineIndex::new(text);
        let r = idx.range(text, Span::new(a, b));
        frame_line(text, &idx, &r)
    }

    #[test]
    fn report_frame_basic_and_tabs() {
        let f = frame("ab\n\tx<y>z\n", 5, 8);
        assert_eq!(
            f.as_ref()
                .map(|f| (f.line, f.text.as_str(), f.caret_start, f.caret_len)),
            Some((2, "    x<y>z", 5, 3))
        );
        let f = frame("é\t😀abc", 7, 10); // "abc" after é, tab, emoji (2+1+4 bytes)
        assert_eq!(f.map(|f| (f.caret_start, f.caret_len)), Some((6, 3)));
    }

    #[test]
    fn report_frame_multiline_empty_and_bom() {
        let f = frame("<a>\n  <b>\n</a>", 6, 13);
        assert_eq!(
            f.map(|f| (f.caret_start, f.caret_len, f.continues)),
            Some((2, 3, true))
        );
        let f = frame("abc", 3, 3);
        assert_eq!(f.map(|f| (f.caret_start, f.caret_len)), Some((3, 1)));
        let f = frame("\u{feff}<a/>", 3, 7);
        assert_eq!(
            f.map(|f| (f.text, f.caret_start, f.caret_len)),
            Some(("<a/>".to_string(), 0, 4))
        );
        let f = frame("a\u{1b}[31mb", 6, 7);
        assert_eq!(
            f.map(|f| (f.text, f.caret_start)),
            Some(("a\u{fffd}[31mb".to_string(), 6))
        );
    }

    #[test]
    fn report_frame_long_line_is_cut() {
        let text = format!("{}<bad/>{}", "x".repeat(300), "y".repeat(300));
        let f = frame(&text, 300, 306).unwrap_or_default();
        assert!(f.text.starts_with("...") && f.text.ends_with("..."));
        assert_eq!(f.text.chars().count(), MAX_LINE_WIDTH + 6);
        let marked: String = f
            .text
            .chars()
            .skip(f.caret_start)
            .take(f.caret_len)
            .collect();
        assert_eq!(marked, "<bad/>");
    }

    #[test]
    fn report_frame_missing_line() {
        let idx = LineIndex::new("a");
        let r = crate::source::Range {
            start: crate::source::Position {
                line: 9,
                column: 1,
                column_utf16: 1,
                offset: 50,
            },
            end: crate::source::Position {
                line: 9,
                column: 2,
                column_utf16: 2,
                offset: 51,
            },
        };
        assert_eq!(frame_line("a", &idx, &r), None);
    }

    #[test]
    fn report_money() {
        assert_eq!(money(20.0, "USD"), "$20.00");
        assert_eq!(money(7.5, "EUR"), "EUR 7.50");
        assert_eq!(money(f64::NAN, "USD"), "$0.00");
    }
}

/// A hand-built report shared by the formatter tests.
#[cfg(test)]
pub mod fixtures {
    use crate::diagnostic::{Diagnostic, Edit, Fix, Location, Severity};
    use crate::report::{LicenseSummary, Report};
    use crate::source::{LineIndex, Span};

    pub const PROFILE: &str = "force-app/main/default/profiles/Integration User.profile-meta.xml";
    pub const PROFILE_TEXT: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n\t<userPermissions>\n\t\t<enabled>true</enabled>\n\t\t<name>ModifyAllData</name>\n\t</userPermissions>\n</Profile>\n";
    /// A file whose text the host does not have (no code frame).
    pub const USERS: &str = "users/Int%3AUser 1.json";

    pub fn loc(file: &str, text: &str, needle: &str, nth: usize) -> Location {
        let start = text
            .match_indices(needle)
            .nth(nth)
            .map(|(i, _)| i)
            .unwrap_or(0);
        let idx = LineIndex::new(text);
        Location {
            file: file.into(),
            range: idx.range(text, Span::new(start, start + needle.len())),
        }
    }

    pub fn source(file: &str) -> Option<String> {
        (file == PROFILE).then(|| PROFILE_TEXT.to_string())
    }

    pub fn license() -> LicenseSummary {
        LicenseSummary {
            edition: Some("Enterprise".into()),
            integration_users: vec!["api@acme.com".into(), "etl@acme.com".into()],
            active_integration_users: 2,
            free_seats: Some(5),
            purchased_seats: 0,
            add_on_seats_needed: 2,
            price_per_seat_month: 10.0,
            currency: "USD".into(),
            monthly_cost: 20.0,
        }
    }

    /// Three findings: an error with a related location and a fix, a multi-line warning, and a note in
    /// a file without source.
    pub fn report() -> Report {
        let at = loc(PROFILE, PROFILE_TEXT, "ModifyAllData", 0);
        let users_text = "[\n  {\"username\": \"api@acme.com\"}\n]";
        let user = loc(USERS, users_text, "{\"username\": \"api@acme.com\"}", 0);
        let enabled = loc(PROFILE, PROFILE_TEXT, "true", 0);
        let fix = Fix {
            description: "disable ModifyAllData".into(),
            edits: vec![Edit {
                file: PROFILE.into(),
                range: enabled.range,
                new_text: "false".into(),
            }],
        };
        let d1 = Diagnostic::new(
            "integration-excessive-permission",
            Severity::Error,
            "integration user has ModifyAllData, a, \"b\" & 100% <c>",
            &at,
            "Profile/userPermissions[ModifyAllData]",
        )
        .with_related(&user, "assigned to api@acme.com here")
        .with_fix(Some(fix));
        let block = {
            let text = PROFILE_TEXT;
            let start = text.find("<userPermissions>").unwrap_or(0);
            let end = text
                .find("</userPermissions>")
                .map(|i| i + "</userPermissions>".len())
                .unwrap_or(0);
            let idx = LineIndex::new(text);
            Location {
                file: PROFILE.into(),
                range: idx.range(text, Span::new(start, end)),
            }
        };
        let d2 = Diagnostic::new(
            "permission-name-typo",
            Severity::Warning,
            "check this block",
            &block,
            "Profile/userPermissions",
        );
        let d3 = Diagnostic::new(
            "custom-rule-x",
            Severity::Note,
            "line one\nline two",
            &user,
            "users[0]",
        );
        Report::new(vec![d1, d2, d3], 2, 1, license())
    }
}

#[cfg(test)]
mod window_tests {
    use super::*;
    use crate::source::Span;

    #[test]
    fn frames_on_huge_one_line_files_are_windowed_and_aligned() {
        let text = format!(
            "\u{feff}<a>{}é<b>target</b>{}</a>",
            "x".repeat(50_000),
            "y".repeat(50_000)
        );
        let idx = LineIndex::new(&text);
        let start = text.find("target").unwrap_or(0);
        let range = idx.range(&text, Span::new(start, start + 6));
        let f = frame_line(&text, &idx, &range).expect("frame");
        assert!(
            f.text.starts_with("...") && f.text.ends_with("..."),
            "{}",
            f.text
        );
        assert!(
            f.text.chars().count() <= MAX_LINE_WIDTH + 6,
            "{}",
            f.text.len()
        );
        let shown: String = f
            .text
            .chars()
            .skip(f.caret_start)
            .take(f.caret_len)
            .collect();
        assert_eq!(shown, "target");
    }
}
