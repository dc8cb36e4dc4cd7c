//! CSV exports (`sf data query --result-format csv`, Data Loader, Bulk): a User table, a
//! PermissionSetAssignment table or a PermissionSetLicenseAssignment table, recognised by its header
//! (matched ignoring case; a `User.` prefix is allowed on User columns). Anything else is not silt's.
//!
//! The `csv` crate reads the values; cell locations come from scanning each record's raw text with
//! the same RFC 4180 rules, so quoted cells (with `""`, commas or line breaks inside) point at the
//! right bytes. The `csv` crate accepts an unterminated quote (it reads to the end of the file); that
//! is reported as a `parse-error`.

use super::{license_target, permission_set_target, user_record, Collector, RecordView};
use crate::diagnostic::Location;
use crate::model::{UserSource, Val};
use crate::source::Span;
use crate::{parse_error, FileCtx, FileResult};
use std::collections::{BTreeSet, HashMap};

/// One cell: the whole cell (quotes included) and its contents (inside the quotes).
#[derive(Debug, Clone, Copy)]
struct Cell {
    span: Span,
    inner: Span,
}

struct Row {
    record: ::csv::StringRecord,
    cells: Vec<Cell>,
    span: Span,
}

pub(super) fn parse(ctx: &FileCtx, result: &mut FileResult) {
    let text = ctx.text;
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = text.get(base..).unwrap_or("");
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(body.as_bytes());
    let mut raw: Vec<(usize, ::csv::StringRecord)> = Vec::new();
    for rec in reader.records() {
        match rec {
            Ok(r) => {
                let pos = r.position().map(|p| p.byte()).unwrap_or(0);
                raw.push((usize::try_from(pos).unwrap_or(usize::MAX), r));
            }
            Err(e) => {
                let pos = e
                    .position()
                    .and_then(|p| usize::try_from(p.byte()).ok())
                    .unwrap_or(0);
                let at = (base + pos).min(text.len());
                result.diagnostics.push(parse_error(
                    &ctx.loc(Span::new(at, at)),
                    &format!("malformed CSV: {e}"),
                ));
                return;
            }
        }
    }
    let Some((_, header)) = raw.first() else {
        result.kind = None; // empty: no columns to recognise
        return;
    };
    let columns = Columns::new(header);
    let table = columns.table();
    if table == Table::None {
        result.kind = None;
        return;
    }
    // Locate every cell; an unterminated quote is malformed CSV.
    let bytes = body.as_bytes();
    let starts: Vec<usize> = raw.iter().map(|(p, _)| *p).collect();
    let mut rows = Vec::with_capacity(raw.len());
    for (i, (pos, record)) in raw.into_iter().enumerate() {
        let end = starts
            .get(i + 1)
            .copied()
            .unwrap_or(bytes.len())
            .min(bytes.len());
        match scan_row(bytes, pos.min(end), end) {
            Ok((cells, span)) => {
                let shift = |s: Span| Span::new(base + s.start as usize, base + s.end as usize);
                let cells = cells
                    .into_iter()
                    .map(|c| Cell {
                        span: shift(c.span),
                        inner: shift(c.inner),
                    })
                    .collect();
                rows.push(Row {
                    record,
                    cells,
                    span: shift(span),
                });
            }
            Err(quote) => {
                let at = base + quote;
                result.diagnostics.push(parse_error(
                    &ctx.loc(Span::new(at, at + 1)),
                    "malformed CSV: this quoted field is never closed (missing `\"`)",
                ));
                return;
            }
        }
    }
    let mut c = Collector {
        recognised: true,
        ..Default::default()
    };
    for row in rows.iter().skip(1) {
        let view = CsvRecord {
            ctx,
            columns: &columns,
            row,
            prefix: String::new(),
        };
        match table {
            Table::Users => {
                if !columns
                    .user_columns
                    .iter()
                    .any(|&i| !row.record.get(i).unwrap_or("").trim().is_empty())
                {
                    continue; // a row of empty cells
                }
                let mut user = user_record(&view, UserSource::Csv);
                for n in &columns.ps_subqueries {
                    let sub = CsvRecord {
                        prefix: format!("permissionsetassignments.records.{n}."),
                        ..view.clone()
                    };
                    user.permission_sets.extend(permission_set_target(&sub));
                }
                for n in &columns.psl_subqueries {
                    let sub = CsvRecord {
                        prefix: format!("permissionsetlicenseassignments.records.{n}."),
                        ..view.clone()
                    };
                    user.permission_set_licenses.extend(license_target(&sub));
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

/// The header: normalised column name → index.
struct Columns {
    index: HashMap<String, usize>,
    /// Columns whose values make a row a user (to skip all-empty rows).
    user_columns: Vec<usize>,
    /// Subquery record numbers: `PermissionSetAssignments.records.<n>.…`.
    ps_subqueries: BTreeSet<u32>,
    psl_subqueries: BTreeSet<u32>,
}

const USER_FIELDS: &[&str] = &[
    "username",
    "profile.name",
    "profile.userlicense.name",
    "isactive",
    "profile.permissionsapiuseronly",
];

impl Columns {
    fn new(header: &::csv::StringRecord) -> Columns {
        let mut cols = Columns {
            index: HashMap::new(),
            user_columns: Vec::new(),
            ps_subqueries: BTreeSet::new(),
            psl_subqueries: BTreeSet::new(),
        };
        for (i, name) in header.iter().enumerate() {
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
                    set.insert(num);
                    cols.user_columns.push(i);
                }
            }
            cols.index.entry(n).or_insert(i);
        }
        cols
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

#[derive(Clone)]
struct CsvRecord<'r, 'a> {
    ctx: &'r FileCtx<'a>,
    columns: &'r Columns,
    row: &'r Row,
    /// Column name prefix (lowercase) for subquery columns.
    prefix: String,
}

impl RecordView for CsvRecord<'_, '_> {
    fn get(&self, path: &[&str]) -> Option<Val> {
        let name = format!("{}{}", self.prefix, path.join(".").to_ascii_lowercase());
        let &i = self.columns.index.get(&name)?;
        let value = self.row.record.get(i)?.trim();
        if value.is_empty() {
            return None;
        }
        let (at, element) = match self.row.cells.get(i) {
            Some(cell) if self.row.cells.len() == self.row.record.len() => {
                let raw = self.ctx.text.get(cell.inner.range()).unwrap_or("");
                (super::trimmed(raw, cell.inner.start as usize), cell.span)
            }
            _ => (self.row.span, self.row.span),
        };
        Some(Val {
            value: value.to_string(),
            at: self.ctx.loc(at),
            element: self.ctx.loc(element),
        })
    }
    fn type_name(&self) -> Option<String> {
        None
    }
    fn at(&self) -> Location {
        self.ctx.loc(self.row.span)
    }
}

/// Find the cells of the record whose raw text is `b[start..end]` (blank lines before it skipped).
/// Returns the cells and the record's span (without its line ending), or the offset of an opening
/// quote that is never closed.
fn scan_row(b: &[u8], start: usize, end: usize) -> Result<(Vec<Cell>, Span), usize> {
    let mut i = start;
    while i < end && (b[i] == b'\n' || b[i] == b'\r') {
        i += 1;
    }
    let row_start = i;
    let mut cells = Vec::new();
    loop {
        let cell_start = i;
        let (inner_start, mut inner_end, mut k);
        if i < end && b[i] == b'"' {
            let mut j = i + 1;
            loop {
                if j >= end {
                    return Err(i);
                }
                if b[j] == b'"' {
                    if j + 1 < end && b[j + 1] == b'"' {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j += 1;
            }
            inner_start = i + 1;
            inner_end = j;
            k = j + 1;
        } else {
            inner_start = i;
            inner_end = i;
            k = i;
        }
        let quoted = inner_start != cell_start;
        while k < end && !matches!(b[k], b',' | b'\n' | b'\r') {
            k += 1;
        }
        if !quoted {
            inner_end = k;
        }
        cells.push(Cell {
            span: Span::new(cell_start, k),
            inner: Span::new(inner_start, inner_end),
        });
        if k < end && b[k] == b',' {
            i = k + 1;
        } else {
            return Ok((cells, Span::new(row_start, k)));
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
