//! CSV exports (`sf data query --result-format csv`, Data Loader, Bulk): a User table, a
//! PermissionSetAssignment table or a PermissionSetLicenseAssignment table, recognised by its header
//! (matched ignoring case; a `User.` prefix is allowed on User columns). Anything else is not silt's:
//! only its header is read.
//!
//! One RFC 4180 scanner finds every cell's bytes (quoted cells with `""`, commas or line breaks
//! inside point at the right text) and its value; blank lines are skipped and a lone `\r`, `\n` or
//! `\r\n` ends a record. An opening quote that is never closed is a `parse-error`.

use super::{license_target, permission_set_target, user_record, Collector, RecordView};
use crate::diagnostic::Location;
use crate::model::{UserSource, Val};
use crate::source::Span;
use crate::{parse_error, FileCtx, FileResult};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// One cell: the whole cell (quotes included) and its contents (inside the quotes).
#[derive(Debug, Clone, Copy)]
struct Cell {
    span: Span,
    inner: Span,
    quoted: bool,
}

impl Cell {
    /// The cell's value: its contents, with `""` unescaped in a quoted cell.
    fn value<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let raw = text.get(self.inner.range()).unwrap_or("");
        if self.quoted && raw.contains("\"\"") {
            Cow::Owned(raw.replace("\"\"", "\""))
        } else {
            Cow::Borrowed(raw)
        }
    }
}

struct Row {
    cells: Vec<Cell>,
    span: Span,
}

pub(super) fn parse(ctx: &FileCtx, result: &mut FileResult) {
    let text = ctx.text;
    let mut rows = Rows {
        b: text.as_bytes(),
        at: if text.starts_with('\u{feff}') { 3 } else { 0 },
    };
    let header = match rows.next() {
        Some(Ok(h)) => h,
        // Empty, or a header that never closes its quote: no columns to recognise.
        None | Some(Err(_)) => {
            result.kind = None;
            return;
        }
    };
    let columns = Columns::new(header.cells.iter().map(|c| c.value(text)));
    let table = columns.table();
    if table == Table::None {
        result.kind = None;
        return;
    }
    let mut c = Collector {
        recognised: true,
        ..Default::default()
    };
    for row in rows.by_ref() {
        let row = match row {
            Ok(r) => r,
            Err(quote) => {
                result.diagnostics.push(parse_error(
                    &ctx.loc(Span::new(quote, quote + 1)),
                    "malformed CSV: this quoted field is never closed (missing `\"`)",
                ));
                return;
            }
        };
        let view = CsvRecord {
            ctx,
            columns: &columns,
            row: &row,
            prefix: "",
        };
        match table {
            Table::Users => {
                // Only the columns this row has: a short row after a wide header costs its length.
                let width = row.cells.len();
                if !columns
                    .user_columns
                    .iter()
                    .take_while(|&&i| i < width)
                    .any(|&i| view.cell(i).is_some())
                {
                    continue; // a row of empty cells
                }
                let mut user = user_record(&view, UserSource::Csv);
                // Subquery columns: `PermissionSetAssignments.records.<n>.PermissionSet.Name`, ….
                let sub = |rel: &str, n: u32| format!("{rel}.records.{n}.");
                for n in columns.ps_subqueries.within(width) {
                    let prefix = sub("permissionsetassignments", n);
                    user.permission_sets
                        .extend(permission_set_target(&CsvRecord {
                            prefix: &prefix,
                            ..view
                        }));
                }
                for n in columns.psl_subqueries.within(width) {
                    let prefix = sub("permissionsetlicenseassignments", n);
                    user.permission_set_licenses
                        .extend(license_target(&CsvRecord {
                            prefix: &prefix,
                            ..view
                        }));
                }
                c.users.push(user);
            }
            Table::Assignments => match license_target(&view) {
                Some(t) => c.assignment(&view, Some(t), true),
                None => c.assignment(&view, permission_set_target(&view), false),
            },
            Table::None => {}
        }
    }
    c.finish(result);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Users,
    Assignments,
    None,
}

/// The header: normalised (lowercase) column names in order.
struct Columns {
    /// Each name's first column: a lookup costs the same with 5 columns or 40,000.
    index: HashMap<String, usize>,
    /// Columns whose values make a row a user (to skip all-empty rows), in increasing order.
    user_columns: Vec<usize>,
    /// Subquery record numbers: `PermissionSetAssignments.records.<n>.…`.
    ps_subqueries: Subqueries,
    psl_subqueries: Subqueries,
}

/// The record numbers of one subquery's columns, each with its first column.
#[derive(Default)]
struct Subqueries {
    /// (first column, record number), in increasing column order.
    first: Vec<(usize, u32)>,
    seen: HashSet<u32>,
}

impl Subqueries {
    fn add(&mut self, column: usize, n: u32) {
        // Columns arrive in increasing order, so `first` stays sorted by column.
        if self.seen.insert(n) {
            self.first.push((column, n));
        }
    }

    /// The record numbers (ascending) that have a column among the first `width`: the only ones a
    /// row of `width` cells can fill, found without looking at the others.
    fn within(&self, width: usize) -> Vec<u32> {
        let k = self.first.partition_point(|&(col, _)| col < width);
        let mut ns: Vec<u32> = self.first[..k].iter().map(|&(_, n)| n).collect();
        ns.sort_unstable();
        ns
    }
}

const USER_FIELDS: &[&str] = &[
    "username",
    "profile.name",
    "profile.userlicense.name",
    "isactive",
    "profile.permissionsapiuseronly",
];

impl Columns {
    fn new<'h>(header: impl Iterator<Item = Cow<'h, str>>) -> Columns {
        let mut cols = Columns {
            index: HashMap::new(),
            user_columns: Vec::new(),
            ps_subqueries: Subqueries::default(),
            psl_subqueries: Subqueries::default(),
        };
        for (i, name) in header.enumerate() {
            let mut n = name.trim().to_ascii_lowercase();
            if let Some(rest) = n.strip_prefix("user.") {
                if USER_FIELDS.contains(&rest) {
                    n = rest.to_string();
                }
            }
            if USER_FIELDS.contains(&n.as_str()) {
                cols.user_columns.push(i);
            }
            let subqueries = [
                ("permissionsetassignments.records.", &mut cols.ps_subqueries),
                (
                    "permissionsetlicenseassignments.records.",
                    &mut cols.psl_subqueries,
                ),
            ];
            for (rel, set) in subqueries {
                if let Some(num) = n
                    .strip_prefix(rel)
                    .and_then(|r| r.split('.').next())
                    .and_then(|d| d.parse::<u32>().ok())
                {
                    set.add(i, num);
                    cols.user_columns.push(i);
                }
            }
            cols.index.entry(n).or_insert(i);
        }
        cols
    }

    /// The first column named `prefix` + the path joined with `.` (path compared ignoring ASCII
    /// case): one hash lookup, whatever the number of columns.
    fn find(&self, prefix: &str, path: &[&str]) -> Option<usize> {
        let mut name =
            String::with_capacity(prefix.len() + path.iter().map(|s| s.len() + 1).sum::<usize>());
        name.push_str(prefix);
        for (k, seg) in path.iter().enumerate() {
            if k > 0 {
                name.push('.');
            }
            name.extend(seg.chars().map(|c| c.to_ascii_lowercase()));
        }
        self.index.get(&name).copied()
    }

    fn has(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    fn table(&self) -> Table {
        if self.has("username") {
            Table::Users
        } else if self.has("assignee.username")
            && [
                "permissionset.name",
                "permissionsetgroup.developername",
                "permissionsetlicense.developername",
                "permissionsetlicense.masterlabel",
            ]
            .iter()
            .any(|c| self.has(c))
        {
            Table::Assignments
        } else {
            Table::None
        }
    }
}

#[derive(Clone, Copy)]
struct CsvRecord<'r, 'a> {
    ctx: &'r FileCtx<'a>,
    columns: &'r Columns,
    row: &'r Row,
    /// Column name prefix (lowercase) for subquery columns.
    prefix: &'r str,
}

impl CsvRecord<'_, '_> {
    /// Cell `i` when it holds a non-blank value.
    fn cell(&self, i: usize) -> Option<(Cell, Cow<'_, str>)> {
        let cell = *self.row.cells.get(i)?;
        let value = cell.value(self.ctx.text);
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return None;
        }
        let value = match value {
            Cow::Borrowed(v) => Cow::Borrowed(v.trim()),
            Cow::Owned(v) => Cow::Owned(v.trim().to_string()),
        };
        Some((cell, value))
    }
}

impl RecordView for CsvRecord<'_, '_> {
    fn get(&self, path: &[&str]) -> Option<Val> {
        let (cell, value) = self.cell(self.columns.find(self.prefix, path)?)?;
        let raw = self.ctx.text.get(cell.inner.range()).unwrap_or("");
        let at = super::trimmed(raw, cell.inner.start as usize);
        Some(Val {
            value: value.into_owned(),
            at: self.ctx.loc(at),
            element: self.ctx.loc(cell.span),
        })
    }
    fn type_name(&self) -> Option<String> {
        None
    }
    fn at(&self) -> Location {
        self.ctx.loc(self.row.span)
    }
}

/// The records of a CSV text, from byte `at`: each `Ok(row)`, or `Err(offset)` of an opening quote
/// that is never closed (the last item).
struct Rows<'b> {
    b: &'b [u8],
    at: usize,
}

impl Iterator for Rows<'_> {
    type Item = Result<Row, usize>;

    fn next(&mut self) -> Option<Self::Item> {
        let (b, end) = (self.b, self.b.len());
        let mut i = self.at;
        while i < end && (b[i] == b'\n' || b[i] == b'\r') {
            i += 1; // blank lines
        }
        if i >= end {
            self.at = end;
            return None;
        }
        let row_start = i;
        let mut cells = Vec::with_capacity(8);
        loop {
            let cell_start = i;
            let quoted = b[i..].first() == Some(&b'"');
            let (inner_start, mut inner_end, mut k) = (i, i, i);
            if quoted {
                let mut j = i + 1;
                loop {
                    match memchr::memchr(b'"', b.get(j..).unwrap_or(&[])) {
                        None => {
                            self.at = end;
                            return Some(Err(i));
                        }
                        Some(q) if b.get(j + q + 1) == Some(&b'"') => j += q + 2,
                        Some(q) => {
                            j += q;
                            break;
                        }
                    }
                }
                (inner_end, k) = (j, j + 1);
            }
            k += memchr::memchr3(b',', b'\n', b'\r', b.get(k..).unwrap_or(&[]))
                .unwrap_or(end.saturating_sub(k));
            let inner_start = if quoted { inner_start + 1 } else { inner_start };
            if !quoted {
                inner_end = k;
            }
            cells.push(Cell {
                span: Span::new(cell_start, k),
                inner: Span::new(inner_start, inner_end),
                quoted,
            });
            if b.get(k) == Some(&b',') {
                i = k + 1;
            } else {
                // One line ending (`\r\n`, `\r` or `\n`); further blank lines are skipped next time.
                self.at = k;
                return Some(Ok(Row {
                    cells,
                    span: Span::new(row_start, k),
                }));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_util::*;
    use crate::model::UserSource;

    #[test]
    fn users_csv_user_export_with_quotes() {
        let text = "\u{feff}Username,\"Profile.Name\",Profile.UserLicense.Name,IsActive,Profile.PermissionsApiUserOnly\r\n\
                    int@acme.com,\"Minimum Access - API Only Integrations\",Salesforce Integration,true,true\r\n\
                    \"q,\"\"x\"\"@acme.com\",\"Multi\nLine\", \"Salesforce\" ,false,\r\n\
                    ,,,,\r\n\
                    \r\n\
                    last@acme.com,Std";
        let r = check("data/users.csv", text);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let u = users(&r);
        assert_eq!(u.len(), 3);
        assert!(u.iter().all(|u| u.source == UserSource::Csv));
        assert_eq!(lc(&u[0].at), (2, 1, 2, 87));
        let n = u[0].username.as_ref().map(|v| (lc(&v.at), lc(&v.element)));
        assert_eq!(n, Some(((2, 1, 2, 13), (2, 1, 2, 13))));
        let p = u[0]
            .profile
            .as_ref()
            .map(|v| (v.value.as_str(), lc(&v.at), lc(&v.element)));
        assert_eq!(
            p,
            Some((
                "Minimum Access - API Only Integrations",
                (2, 15, 2, 53),
                (2, 14, 2, 54)
            ))
        );
        let l = u[0].license.as_ref().map(|v| (v.value.as_str(), lc(&v.at)));
        assert_eq!(l, Some(("Salesforce Integration", (2, 55, 2, 77))));
        assert_eq!((u[0].active, u[0].api_only), (Some(true), Some(true)));
        // Quoted cells with commas, doubled quotes and a line break still point at the right bytes.
        let n = u[1]
            .username
            .as_ref()
            .map(|v| (v.value.as_str(), text_at(text, &v.at), lc(&v.at)));
        assert_eq!(
            n,
            Some(("q,\"x\"@acme.com", "q,\"\"x\"\"@acme.com", (3, 2, 3, 18)))
        );
        let p = u[1].profile.as_ref().map(|v| (v.value.as_str(), lc(&v.at)));
        assert_eq!(p, Some(("Multi\nLine", (3, 21, 4, 5))));
        let l = u[1]
            .license
            .as_ref()
            .map(|v| (v.value.as_str(), text_at(text, &v.at), lc(&v.at)));
        assert_eq!(l, Some(("\"Salesforce\"", "\"Salesforce\"", (4, 8, 4, 20))));
        assert_eq!((u[1].active, u[1].api_only), (Some(false), None));
        assert_eq!(lc(&u[1].at), (3, 1, 4, 28));
        // Short row (flexible), no trailing newline.
        assert_eq!(value(&u[2].profile), Some("Std"));
        assert_eq!(
            u[2].profile.as_ref().map(|v| lc(&v.at)),
            Some((7, 15, 7, 18))
        );
        assert!(u[2].license.is_none());
    }

    #[test]
    fn users_csv_user_prefix_and_subqueries() {
        let text = "USER.USERNAME,user.profile.name,PermissionSetAssignments.totalSize,PermissionSetAssignments.records.0.PermissionSet.Name,PermissionSetAssignments.records.1.PermissionSet.Name,PermissionSetLicenseAssignments.records.0.PermissionSetLicense.DeveloperName\n\
                    a@b.c,P,2,Api_Access,Other,SalesforceAPIIntegrationPsl\n";
        let r = check("u.csv", text);
        let u = users(&r);
        assert_eq!(u.len(), 1);
        assert_eq!(value(&u[0].username), Some("a@b.c"));
        assert_eq!(value(&u[0].profile), Some("P"));
        let ps: Vec<_> = u[0]
            .permission_sets
            .iter()
            .map(|v| (v.value.as_str(), lc(&v.at)))
            .collect();
        assert_eq!(
            ps,
            [("Api_Access", (2, 11, 2, 21)), ("Other", (2, 22, 2, 27))]
        );
        let psl: Vec<_> = u[0]
            .permission_set_licenses
            .iter()
            .map(|v| v.value.as_str())
            .collect();
        assert_eq!(psl, ["SalesforceAPIIntegrationPsl"]);
    }

    #[test]
    fn users_csv_short_rows_after_a_wide_header() {
        // Subquery numbers out of column order; a repeated column (the first counts); rows that
        // stop before some subqueries' columns.
        let text = "Username,PermissionSetAssignments.records.1.PermissionSet.Name,PermissionSetAssignments.records.0.PermissionSet.Name,PermissionSetAssignments.records.0.PermissionSetGroup.DeveloperName,USERNAME\n\
                    a@b.c,PS1,PS0,G0,other@b.c\n\
                    b@c.d,PS1\n\
                    c@d.e\n\
                    ,\n";
        let r = check("u.csv", text);
        let all = users(&r);
        let u: Vec<_> = all
            .iter()
            .map(|u| {
                let ps: Vec<&str> = u.permission_sets.iter().map(|v| v.value.as_str()).collect();
                (value(&u.username), ps)
            })
            .collect();
        assert_eq!(
            u,
            [
                (Some("a@b.c"), vec!["G0", "PS1"]),
                (Some("b@c.d"), vec!["PS1"]),
                (Some("c@d.e"), vec![]),
            ]
        );
    }

    #[test]
    fn users_csv_lone_cr_line_endings() {
        let text = "Username,Profile.Name\ra@b.c,P\r\rb@c.d,\"Q\"";
        let r = check("u.csv", text);
        assert!(r.diagnostics.is_empty());
        let u: Vec<_> = users(&r)
            .iter()
            .map(|u| (lc(&u.at), u.profile.as_ref().map(|v| lc(&v.at))))
            .collect();
        assert_eq!(
            u,
            [
                ((2, 1, 2, 8), Some((2, 7, 2, 8))),
                ((4, 1, 4, 10), Some((4, 8, 4, 9)))
            ]
        );
    }

    #[test]
    fn users_csv_assignments() {
        let text = "Assignee.Username,PermissionSet.Name,PermissionSetGroup.DeveloperName,PermissionSet.IsOwnedByProfile\n\
                    int@acme.com,Api_Access,,false\n\
                    int@acme.com,agg_1,Integration_Group,false\n\
                    int@acme.com,X00e,,true\n";
        let r = check("psa.csv", text);
        assert!(r.diagnostics.is_empty());
        let a: Vec<_> = assignments(&r)
            .iter()
            .map(|a| {
                (
                    a.username.clone(),
                    a.target.value.clone(),
                    a.license,
                    lc(&a.target.at),
                )
            })
            .collect();
        assert_eq!(
            a,
            [
                (
                    "int@acme.com".into(),
                    "Api_Access".into(),
                    false,
                    (2, 14, 2, 24)
                ),
                (
                    "int@acme.com".into(),
                    "Integration_Group".into(),
                    false,
                    (3, 20, 3, 37)
                ),
            ]
        );
        let text = "\"Assignee.Username\",\"PermissionSetLicense.MasterLabel\"\n\"int@acme.com\",\"Salesforce API Integration\"\n";
        let r = check("psla.csv", text);
        let a: Vec<_> = assignments(&r)
            .iter()
            .map(|a| {
                (
                    a.target.value.clone(),
                    a.license,
                    lc(&a.target.at),
                    lc(&a.target.element),
                )
            })
            .collect();
        assert_eq!(
            a,
            [(
                "Salesforce API Integration".into(),
                true,
                (2, 17, 2, 43),
                (2, 16, 2, 44)
            )]
        );
        assert!(users(&r).is_empty());
    }

    #[test]
    fn users_csv_not_silts_file() {
        for text in ["", "\u{feff}", "Id,Name\n001,Acme\n", "a,\"b\nc", "\n\n"] {
            let r = check("data/accounts.csv", text);
            assert!(r.diagnostics.is_empty(), "{text:?}");
            assert!(r.metadata.is_empty(), "{text:?}");
            assert_eq!(r.kind, None, "{text:?}");
        }
        // Header only: a user table with no users.
        let r = check("u.csv", "Username,Profile.Name\n");
        assert_eq!(r.kind, Some(crate::FileKind::Csv));
        assert!(r.metadata.is_empty() && r.diagnostics.is_empty());
    }

    #[test]
    fn users_csv_unterminated_quote() {
        let text = "Username,Profile.Name\na@b.c,P\n\"b@c.d,Q\nc@d.e,R\n";
        let r = check("u.csv", text);
        assert_eq!(
            errors(&r),
            ["3:1: malformed CSV: this quoted field is never closed (missing `\"`)"]
        );
        assert!(r.metadata.is_empty());
        let r = check("u.csv", "\u{feff}Username,Profile.Name\r\na@b.c,\"P");
        assert_eq!(
            errors(&r),
            ["2:7: malformed CSV: this quoted field is never closed (missing `\"`)"]
        );
    }
}
