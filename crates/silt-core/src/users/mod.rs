//! User data: scratch-org user definitions, `sf data query --json` output, CSV exports and Bulk API
//! XML query results; also `sfdx-project.json` and scratch definitions (the org edition).
//!
//! Every format is read into the same [`RecordView`] questions ("the value at `Profile.Name`", "the
//! record's `attributes.type`") so the rules for what a User, a PermissionSetAssignment or a
//! PermissionSetLicenseAssignment record is are written once, in this file.
//!
//! Files that turn out not to hold user data (an `Account` export, a `package.json`-like file) are
//! not silt's: their `kind` is cleared and they add no diagnostics. Malformed JSON or CSV is a
//! `parse-error` with a position.

mod bulk_xml;
mod csv;
mod project;
mod query_json;
mod user_def;

use crate::diagnostic::Location;
use crate::files::FileKind;
use crate::model::{Assignment, Metadata, UserRecord, UserSource, Val};
use crate::source::Span;
use crate::xml::Document;
use crate::{parse_error, FileCtx, FileResult};
use jsonc_parser::ast::{Object, ObjectProp, StringLit, Value};
use jsonc_parser::common::Range;

/// Parse a user-data JSON/CSV file, a scratch definition or `sfdx-project.json` into `result`.
pub fn parse(ctx: &FileCtx, kind: &FileKind, result: &mut FileResult) {
    match kind {
        FileKind::Csv => csv::parse(ctx, result),
        FileKind::UserDef | FileKind::JsonData | FileKind::ScratchDef | FileKind::SfdxProject => {
            let Some(json) = Json::parse(ctx, result) else {
                return;
            };
            match kind {
                FileKind::UserDef => user_def::parse(&json, result),
                FileKind::JsonData => query_json::parse(&json, result),
                FileKind::ScratchDef => project::scratch_def(&json, result),
                FileKind::SfdxProject => project::sfdx_project(&json, result),
                _ => {}
            }
        }
        _ => {}
    }
}

/// Parse a Bulk API XML query result (the caller checked the root is `queryResult`).
pub fn parse_bulk_xml(ctx: &FileCtx, doc: &Document, result: &mut FileResult) {
    bulk_xml::parse(ctx, doc, result);
}

// ---------------------------------------------------------------------------------------------
// JSON: one parse, byte ranges shifted past a byte-order mark.

/// A parsed JSON file: the AST and how to turn its ranges into locations.
pub(crate) struct Json<'c, 'a> {
    pub ctx: &'c FileCtx<'a>,
    /// Bytes skipped before parsing (a UTF-8 byte-order mark).
    base: usize,
    pub root: Value<'a>,
}

/// Standard JSON (as the Salesforce CLI reads it); only comments are tolerated.
fn strict() -> jsonc_parser::ParseOptions {
    jsonc_parser::ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

impl<'c, 'a> Json<'c, 'a> {
    /// Parse `ctx.text`; a malformed or empty file becomes a `parse-error` and `None`.
    pub fn parse(ctx: &'c FileCtx<'a>, result: &mut FileResult) -> Option<Json<'c, 'a>> {
        let text: &'a str = ctx.text;
        let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let body: &'a str = text.get(base..).unwrap_or("");
        let parsed = jsonc_parser::parse_to_ast(body, &Default::default(), &strict());
        match parsed {
            Ok(r) => match r.value {
                Some(root) => Some(Json { ctx, base, root }),
                None => {
                    let at = Span::new(base, text.len());
                    result.diagnostics.push(parse_error(
                        &ctx.loc(at),
                        "empty JSON file: expected a JSON object",
                    ));
                    None
                }
            },
            Err(e) => {
                let r = e.range();
                let start = (base + r.start).min(text.len());
                let mut end = (base + r.end).min(text.len());
                if end <= start {
                    // Point at one character where there is one (errors at end of file stay empty).
                    end = text
                        .get(start..)
                        .and_then(|s| s.chars().next())
                        .map(|c| start + c.len_utf8())
                        .unwrap_or(start);
                }
                let kind = e.kind().to_string();
                let mut chars = kind.chars();
                let kind: String = chars
                    .next()
                    .map(|c| c.to_lowercase().chain(chars).collect())
                    .unwrap_or_default();
                result.diagnostics.push(parse_error(
                    &ctx.loc(Span::new(start, end)),
                    &format!("malformed JSON: {kind}"),
                ));
                None
            }
        }
    }

    pub fn span(&self, r: Range) -> Span {
        Span::new(self.base + r.start, self.base + r.end)
    }

    pub fn loc(&self, r: Range) -> Location {
        self.ctx.loc(self.span(r))
    }

    pub fn error(&self, result: &mut FileResult, r: Range, message: &str) {
        result.diagnostics.push(parse_error(&self.loc(r), message));
    }

    /// The byte span of a string literal's contents (inside the quotes) and that raw text.
    fn string_inner(&self, s: &StringLit) -> (usize, usize, &'a str) {
        let sp = self.span(s.range);
        let (mut a, mut b) = (sp.start as usize, sp.end as usize);
        let text: &'a str = self.ctx.text;
        let raw = text.get(a..b).unwrap_or("");
        if raw.len() >= 2 && (raw.starts_with('"') || raw.starts_with('\'')) {
            a += 1;
            b -= 1;
        }
        (a, b, text.get(a..b).unwrap_or(""))
    }

    /// A scalar as a [`Val`]: strings point inside their quotes (trimmed), numbers and booleans at the
    /// literal; `element` is the whole property. Null, empty strings, objects and arrays give `None`.
    pub fn val(&self, v: &Value, element: Range) -> Option<Val> {
        let element = self.loc(element);
        match v {
            Value::StringLit(s) => {
                let value = s.value.trim();
                if value.is_empty() {
                    return None;
                }
                let (a, b, raw) = self.string_inner(s);
                let span = if raw == s.value.as_ref() {
                    trimmed(raw, a)
                } else {
                    Span::new(a, b)
                };
                Some(Val {
                    value: value.to_string(),
                    at: self.ctx.loc(span),
                    element,
                })
            }
            Value::NumberLit(n) => Some(Val {
                value: n.value.to_string(),
                at: self.loc(n.range),
                element,
            }),
            Value::BooleanLit(b) => Some(Val {
                value: b.value.to_string(),
                at: self.loc(b.range),
                element,
            }),
            _ => None,
        }
    }

    /// A property's scalar value as a [`Val`] whose element is the property.
    pub fn prop_val(&self, p: &ObjectProp) -> Option<Val> {
        self.val(&p.value, p.range)
    }

    /// Split a comma-separated string into values, each pointing at its own text (or at the whole
    /// string when escapes make the raw text differ from the value).
    pub fn split_commas(&self, s: &StringLit, element: Range) -> Vec<Val> {
        let element = self.loc(element);
        let (a, b, raw) = self.string_inner(s);
        let mut out = Vec::new();
        if raw != s.value.as_ref() {
            for part in s.value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                out.push(Val {
                    value: part.to_string(),
                    at: self.ctx.loc(Span::new(a, b)),
                    element: element.clone(),
                });
            }
            return out;
        }
        let mut offset = a;
        for part in raw.split(',') {
            let t = part.trim();
            if !t.is_empty() {
                out.push(Val {
                    value: t.to_string(),
                    at: self.ctx.loc(trimmed(part, offset)),
                    element: element.clone(),
                });
            }
            offset += part.len() + 1;
        }
        out
    }
}

/// The span of `raw` (starting at byte `start`) without surrounding whitespace.
fn trimmed(raw: &str, start: usize) -> Span {
    let lead = raw.len() - raw.trim_start().len();
    let s = start + lead;
    Span::new(s, s + raw.trim().len())
}

/// A property of `obj` by name, ignoring ASCII case (the first match).
pub(crate) fn prop<'x, 'a>(obj: &'x Object<'a>, key: &str) -> Option<&'x ObjectProp<'a>> {
    obj.properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(key))
}

/// The property at a field path, through nested objects (`{"Profile":{"Name":..}}`), flat dotted
/// keys (`{"Profile.Name":..}`) or a mix. Depth is bounded by the path length.
pub(crate) fn lookup<'x, 'a>(obj: &'x Object<'a>, path: &[&str]) -> Option<&'x ObjectProp<'a>> {
    for k in (1..=path.len()).rev() {
        let key = path[..k].join(".");
        let Some(p) = prop(obj, &key) else { continue };
        if k == path.len() {
            return Some(p);
        }
        if let Value::Object(o) = &p.value {
            if let Some(found) = lookup(o, &path[k..]) {
                return Some(found);
            }
        }
    }
    None
}

/// `true`/`false` (also `1`/`0`, `yes`/`no`), any case.
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" => Some(false),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Records: the same questions over JSON objects, CSV rows and XML elements.

/// One data record (a JSON object, a CSV row, a Bulk XML `<records>` element).
pub(crate) trait RecordView {
    /// The non-empty, non-null scalar at a field path such as `["Profile", "UserLicense", "Name"]`
    /// (field names compared ignoring ASCII case).
    fn get(&self, path: &[&str]) -> Option<Val>;
    /// The sObject type (`attributes.type` in JSON, `<type>` in Bulk XML), when the format has one.
    fn type_name(&self) -> Option<String>;
    /// The whole record.
    fn at(&self) -> Location;

    fn get_bool(&self, path: &[&str]) -> Option<bool> {
        self.get(path).and_then(|v| parse_bool(&v.value))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecordKind {
    User,
    PermissionSetAssignment,
    PermissionSetLicenseAssignment,
    Other,
}

/// What a record is: by its sObject type, else by the fields it has.
pub(crate) fn classify(r: &dyn RecordView) -> RecordKind {
    if let Some(t) = r.type_name() {
        return match t.trim().to_ascii_lowercase().as_str() {
            "user" => RecordKind::User,
            "permissionsetassignment" => RecordKind::PermissionSetAssignment,
            "permissionsetlicenseassignment" => RecordKind::PermissionSetLicenseAssignment,
            _ => RecordKind::Other,
        };
    }
    if r.get(&["Username"]).is_some() {
        return RecordKind::User;
    }
    if r.get(&["Assignee", "Username"]).is_some() {
        if license_target(r).is_some() {
            return RecordKind::PermissionSetLicenseAssignment;
        }
        if r.get(&["PermissionSet", "Name"]).is_some()
            || r.get(&["PermissionSetGroup", "DeveloperName"]).is_some()
        {
            return RecordKind::PermissionSetAssignment;
        }
    }
    RecordKind::Other
}

/// The User fields every data format shares.
pub(crate) fn user_record(r: &dyn RecordView, source: UserSource) -> UserRecord {
    UserRecord {
        source,
        username: r.get(&["Username"]),
        // `profileName` is what `sf org list users --json` calls it.
        profile: r
            .get(&["Profile", "Name"])
            .or_else(|| r.get(&["profileName"])),
        license: r.get(&["Profile", "UserLicense", "Name"]),
        active: r.get_bool(&["IsActive"]),
        api_only: r.get_bool(&["Profile", "PermissionsApiUserOnly"]),
        permission_sets: Vec::new(),
        permission_set_licenses: Vec::new(),
        at: r.at(),
    }
}

/// The permission set (or group) a PermissionSetAssignment record assigns. Profile-owned permission
/// sets (`PermissionSet.IsOwnedByProfile`) are the profile itself, not an assignment.
pub(crate) fn permission_set_target(r: &dyn RecordView) -> Option<Val> {
    if r.get_bool(&["PermissionSet", "IsOwnedByProfile"]) == Some(true) {
        return None;
    }
    r.get(&["PermissionSetGroup", "DeveloperName"])
        .or_else(|| r.get(&["PermissionSet", "Name"]))
}

/// The permission set license a PermissionSetLicenseAssignment record assigns.
pub(crate) fn license_target(r: &dyn RecordView) -> Option<Val> {
    r.get(&["PermissionSetLicense", "DeveloperName"])
        .or_else(|| r.get(&["PermissionSetLicense", "MasterLabel"]))
}

/// Users and assignments read from one file.
#[derive(Default)]
pub(crate) struct Collector {
    pub users: Vec<UserRecord>,
    pub assignments: Vec<Assignment>,
    /// Whether any record was recognised (even one that contributed nothing).
    pub recognised: bool,
}

impl Collector {
    /// Add a record of any kind; returns the index of the user when it was a User.
    pub fn add(&mut self, r: &dyn RecordView, source: UserSource) -> Option<usize> {
        match classify(r) {
            RecordKind::User => {
                self.recognised = true;
                self.users.push(user_record(r, source));
                Some(self.users.len() - 1)
            }
            RecordKind::PermissionSetAssignment => {
                self.recognised = true;
                self.assignment(r, permission_set_target(r), false);
                None
            }
            RecordKind::PermissionSetLicenseAssignment => {
                self.recognised = true;
                self.assignment(r, license_target(r), true);
                None
            }
            RecordKind::Other => None,
        }
    }

    fn assignment(&mut self, r: &dyn RecordView, target: Option<Val>, license: bool) {
        if let (Some(user), Some(target)) = (r.get(&["Assignee", "Username"]), target) {
            self.assignments.push(Assignment {
                username: user.value,
                target,
                license,
            });
        }
    }

    /// Put what was read into `result`; a file with nothing recognised is not silt's.
    pub fn finish(self, result: &mut FileResult) {
        if !self.recognised && self.users.is_empty() && self.assignments.is_empty() {
            result.kind = None;
            return;
        }
        if !self.users.is_empty() {
            result.metadata.push(Metadata::Users(self.users));
        }
        if !self.assignments.is_empty() {
            result
                .metadata
                .push(Metadata::Assignments(self.assignments));
        }
    }
}

#[cfg(test)]
pub(crate) mod test_util {
    use crate::diagnostic::Location;
    use crate::model::{Assignment, Metadata, UserRecord, Val};
    use crate::FileResult;

    pub fn check(path: &str, text: &str) -> FileResult {
        crate::Linter::new(Default::default()).check_file(path, text.as_bytes())
    }

    /// (line, column) of the start and end of a location.
    pub fn lc(l: &Location) -> (u32, u32, u32, u32) {
        (
            l.range.start.line,
            l.range.start.column,
            l.range.end.line,
            l.range.end.column,
        )
    }

    /// The text a location covers.
    pub fn text_at<'t>(text: &'t str, l: &Location) -> &'t str {
        text.get(l.range.start.offset as usize..l.range.end.offset as usize)
            .unwrap_or("<bad range>")
    }

    pub fn users(r: &FileResult) -> Vec<UserRecord> {
        r.metadata
            .iter()
            .flat_map(|m| match m {
                Metadata::Users(u) => u.clone(),
                _ => Vec::new(),
            })
            .collect()
    }

    pub fn assignments(r: &FileResult) -> Vec<Assignment> {
        r.metadata
            .iter()
            .flat_map(|m| match m {
                Metadata::Assignments(a) => a.clone(),
                _ => Vec::new(),
            })
            .collect()
    }

    pub fn value(v: &Option<Val>) -> Option<&str> {
        v.as_ref().map(|v| v.value.as_str())
    }

    pub fn errors(r: &FileResult) -> Vec<String> {
        r.diagnostics
            .iter()
            .filter(|d| d.rule == "parse-error")
            .map(|d| {
                format!(
                    "{}:{}: {}",
                    d.range.start.line, d.range.start.column, d.message
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::test_util::*;
    use super::*;

    #[test]
    fn users_lookup_nested_dotted_and_mixed() {
        let text = r#"{"a":{"B.c":{"d":1}},"X.Y":2,"x":{"y":3}}"#;
        let ast = jsonc_parser::parse_to_ast(text, &Default::default(), &Default::default())
            .ok()
            .and_then(|r| r.value);
        let o = match ast {
            Some(Value::Object(o)) => o,
            _ => Object {
                range: Range::new(0, 0),
                properties: Vec::new(),
            },
        };
        let get = |p: &[&str]| {
            lookup(&o, p).map(|p| {
                p.value
                    .as_number_lit()
                    .map(|n| n.value.to_string())
                    .unwrap_or_default()
            })
        };
        assert_eq!(get(&["A", "b", "C", "d"]).as_deref(), Some("1"));
        assert_eq!(get(&["x", "y"]).as_deref(), Some("2"));
        assert_eq!(get(&["x", "z"]), None);
    }

    #[test]
    fn users_malformed_json_is_a_positioned_parse_error() {
        let r = check(
            "config/int-user-def.json",
            "{\n  \"Username\": \"a@b.c\",\n  \"permsets\": [\"A\"\n",
        );
        assert_eq!(errors(&r), ["3:15: malformed JSON: unterminated array"]);
        assert!(users(&r).is_empty());
        // Truncated data file, every JSON kind.
        for path in [
            "data/users.json",
            "config/project-scratch-def.json",
            "sfdx-project.json",
            "config/x-user-def.json",
        ] {
            let r = check(path, "{\"records\": [{\"Username\": \"a\"");
            assert_eq!(errors(&r).len(), 1, "{path}");
            let r = check(path, "");
            assert_eq!(
                errors(&r),
                ["1:1: empty JSON file: expected a JSON object"],
                "{path}"
            );
            let r = check(path, "\u{feff}");
            assert_eq!(
                errors(&r),
                ["1:1: empty JSON file: expected a JSON object"],
                "{path}"
            );
            let r = check(path, "\u{feff}  \n ");
            assert_eq!(errors(&r).len(), 1, "{path}");
        }
        let r = check("data/users.json", "{\"a\": 1,\n \"b\": }");
        assert_eq!(errors(&r), ["2:7: malformed JSON: unexpected close brace"]);
        // After a byte-order mark (not a column).
        let r = check("data/users.json", "\u{feff}{\"a\":}");
        assert_eq!(errors(&r), ["1:6: malformed JSON: unexpected close brace"]);
        let r = check("data/users.json", "{\"records\": [{\"Username\": \"a\"");
        assert_eq!(errors(&r), ["1:14: malformed JSON: unterminated object"]);
    }

    #[test]
    fn users_odd_inputs_never_panic() {
        let inputs = [
            "",
            "\u{feff}",
            "{",
            "[",
            "}",
            "\"",
            "{\"records\":",
            "{\"records\":[1,2,null,\"x\",[],{}]}",
            "null",
            "1",
            "{\"result\":{\"records\":{}}}",
            "{\"result\":[null]}",
            "{\"Username\":{},\"LastName\":[]}",
            "{\"permsets\":{\"a\":1}}",
            "[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]",
            "\"\\u12\"",
            "{'a':'\\x'}",
        ];
        for path in [
            "a.json",
            "config/u-user-def.json",
            "config/project-scratch-def.json",
            "sfdx-project.json",
            "a.csv",
        ] {
            for t in inputs {
                let _ = check(path, t);
            }
        }
    }

    #[test]
    fn users_deep_json_in_a_small_stack() {
        let run = || {
            let n = 100_000;
            let deep = format!("{}{}", "[".repeat(n), "]".repeat(n));
            let deep_obj = format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
            let records = format!(
                "{{\"records\":[{{\"Username\":\"a\",\"Profile\":{}1{}}}]}}",
                "{\"Name\":".repeat(400),
                "}".repeat(400)
            );
            let mut errs = Vec::new();
            for path in [
                "a.json",
                "config/u-user-def.json",
                "config/project-scratch-def.json",
                "sfdx-project.json",
            ] {
                for t in [&deep, &deep_obj] {
                    errs.push(errors(&check(path, t)).len());
                }
                let _ = check(path, &records);
            }
            errs
        };
        let handle = std::thread::Builder::new().stack_size(2 << 20).spawn(run);
        let errs = handle.ok().and_then(|h| h.join().ok());
        // Too deep for the JSON parser: a parse-error each time, no stack overflow.
        assert_eq!(errs, Some(vec![1; 8]));
    }

    /// Every `.json` file of the real corpora parses without a parse-error.
    #[test]
    fn users_corpus_json_files_parse() {
        let root = std::path::Path::new("/work/shared/corpora");
        if !root.is_dir() {
            return; // corpora not available here
        }
        let mut stack = vec![root.to_path_buf()];
        let mut seen = 0;
        let linter = crate::Linter::new(Default::default());
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "json") {
                    let Ok(bytes) = std::fs::read(&p) else {
                        continue;
                    };
                    let rel = p
                        .strip_prefix(root)
                        .unwrap_or(&p)
                        .to_string_lossy()
                        .replace('\\', "/");
                    let r = linter.check_file(&rel, &bytes);
                    assert!(errors(&r).is_empty(), "{rel}: {:?}", errors(&r));
                    seen += 1;
                }
            }
        }
        assert!(seen > 0);
        // The CumulusCI dataset user reads as one user with its permission sets; orgs/dev.json has an edition.
        let read = |rel: &str| std::fs::read(root.join(rel)).ok();
        if let Some(bytes) = read("npsp/datasets/qa_org/users/perms_test_user.json") {
            let r = linter.check_file("npsp/datasets/qa_org/users/perms_test_user.json", &bytes);
            let u = users(&r);
            assert_eq!(u.len(), 1);
            assert_eq!(value(&u[0].profile), Some("sysadmin_test"));
            assert_eq!(u[0].permission_sets.len(), 2);
        }
        if let Some(bytes) = read("npsp/orgs/dev.json") {
            let r = linter.check_file("npsp/orgs/dev.json", &bytes);
            let ed: Vec<_> = r
                .metadata
                .iter()
                .filter_map(|m| match m {
                    Metadata::Edition(v) => Some(v.value.clone()),
                    _ => None,
                })
                .collect();
            assert_eq!(ed, ["Developer"]);
        }
    }
}
