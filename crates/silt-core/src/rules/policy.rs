//! The policy engine for declarative rules written in TOML (users' custom rules).
//!
//! ```toml
//! [[rule]]
//! name = "modify-all-outside-admin"
//! severity = "error"
//! summary = "ModifyAllData outside System Administrator"
//! kinds = ["Profile", "PermissionSet"]
//! select = 'userPermissions[name in ("ModifyAllData", "ViewAllData")][enabled = "true"]'
//! when = { field = "name", not_equals = "Admin" }
//! message = "{kind} `{name}` grants {element.name}"
//! ```
//!
//! `select` is an element path from the root: segments separated by `/`, each a child name (or `*`)
//! with predicates: `[child = "v"]`, `[child != "v"]`, `[child ~ "regex"]`, `[child in ("a", "b")]`,
//! `[child]` (exists), `[!child]` (absent); `.` as the child means the element's own text.
//! Without `select` the rule fires once per file (at the root) when `when` holds.
//!
//! `kinds = ["User"]` rules look at users instead of XML: every user the project's user data defines
//! (records with the same username merged), after all files are read. Their `when` uses the user
//! fields of [`USER_FIELDS`]; they have no `select` and no `path`. One finding per matching user, at
//! the user's first record.

use crate::config::ConfigError;
use crate::diagnostic::{Diagnostic, Severity};
use crate::files::{api_name, FileKind};
use crate::limits::RegexBudget;
use crate::model::Val;
use crate::org::{Org, User};
use crate::registry::RuleMeta;
use crate::xml::Document;
use crate::FileCtx;
use regex::Regex;
use serde::Deserialize;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: String,
    #[serde(default = "default_severity")]
    severity: Severity,
    summary: String,
    #[serde(default)]
    rationale: String,
    kinds: Vec<String>,
    select: Option<String>,
    when: Option<Cond>,
    message: String,
    #[serde(default)]
    tags: Vec<String>,
    docs: Option<String>,
}

fn default_severity() -> Severity {
    Severity::Warning
}

/// A condition on the document (or, with `select`, still the document: use predicates for elements).
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Cond {
    /// `name`, `label`, `license`, `file`, `kind`, or a child element of the root (e.g. `description`).
    pub field: Option<String>,
    /// An element path from the root; the condition looks at the elements it selects.
    pub path: Option<String>,
    pub equals: Option<String>,
    pub not_equals: Option<String>,
    #[serde(rename = "in")]
    pub one_of: Option<Vec<String>>,
    pub matches: Option<String>,
    pub exists: Option<bool>,
    pub absent: Option<bool>,
    pub count_gt: Option<usize>,
    pub count_ge: Option<usize>,
    pub count_lt: Option<usize>,
    pub count_le: Option<usize>,
    pub count_eq: Option<usize>,
    #[serde(default)]
    pub ignore_case: bool,
    pub all: Option<Vec<Cond>>,
    pub any: Option<Vec<Cond>>,
    pub not: Option<Box<Cond>>,
}

/// A compiled condition.
#[derive(Debug, Clone)]
enum Test {
    All(Vec<Test>),
    Any(Vec<Test>),
    Not(Box<Test>),
    Field { field: String, check: Check },
    Path { path: Path, check: Check },
}

#[derive(Debug, Clone, Default)]
struct Check {
    equals: Option<String>,
    not_equals: Option<String>,
    one_of: Option<Vec<String>>,
    matches: Option<Regex>,
    exists: Option<bool>,
    count: Vec<(std::cmp::Ordering, bool, usize)>,
    ignore_case: bool,
}

#[derive(Debug, Clone)]
struct Path(Vec<Segment>);

#[derive(Debug, Clone)]
struct Segment {
    name: String,
    preds: Vec<Pred>,
}

#[derive(Debug, Clone)]
enum Pred {
    Exists(String),
    Absent(String),
    Eq(String, String),
    Ne(String, String),
    Re(String, Regex),
    In(String, Vec<String>),
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub meta: RuleMeta,
    kinds: Vec<String>,
    select: Option<Path>,
    when: Option<Test>,
    message: String,
}

impl Policy {
    /// A `kinds = ["User"]` rule: evaluated on the org's users, never on XML (loading keeps `User`
    /// alone in its kinds).
    fn on_users(&self) -> bool {
        self.kinds.iter().any(|k| k == "User")
    }
}

/// The loaded custom rules.
#[derive(Debug, Default, Clone)]
pub struct PolicySet {
    policies: Vec<Policy>,
    /// Shared with silt.toml's regexes: a cap on their number and compiled size.
    regexes: RegexBudget,
}

const KINDS: &[&str] = &[
    "Profile",
    "PermissionSet",
    "MutingPermissionSet",
    "PermissionSetGroup",
    "ConnectedApp",
    "ExtlClntAppOauthConfigurablePolicies",
    "ExtlClntAppGlobalOauthSettings",
    "ExtlClntAppOauthSettings",
    "OauthOidcSettings",
    "SecuritySettings",
    "ExternalCredential",
    "NamedCredential",
    "User",
];

/// The fields a `User` rule can test (and use as message placeholders). `permissionSets` and
/// `permissionSetLicenses` hold several values; `license` is the user's license, else their project
/// profile's `userLicense`; `integration` is whether silt counts the user as an integration user.
pub const USER_FIELDS: &[&str] = &[
    "name",
    "username",
    "profile",
    "license",
    "active",
    "apiOnly",
    "integration",
    "permissionSets",
    "permissionSetLicenses",
    "source",
    "file",
    "kind",
];

impl PolicySet {
    /// No rules yet; `regexes` is what silt.toml already compiled.
    pub fn new(regexes: RegexBudget) -> PolicySet {
        PolicySet {
            policies: Vec::new(),
            regexes,
        }
    }

    /// Load a rule file. Errors carry the file, line and column, and a suggestion for misspelt keys.
    pub fn load(&mut self, path: &str, text: &str) -> Result<(), ConfigError> {
        let file: RuleFile =
            toml::from_str(text).map_err(|e| ConfigError::from_toml(path, text, &e))?;
        if file.rule.is_empty() {
            return Err(ConfigError::at(
                path,
                text,
                0,
                "no [[rule]] tables in this rule file",
            ));
        }
        let builtin = crate::registry::registry();
        for raw in file.rule {
            let at = |needle: &str| find_after(text, &format!("\"{}\"", raw.name), needle);
            let err = |needle: &str, msg: String| ConfigError::at(path, text, at(needle), msg);
            if raw.name.is_empty()
                || !raw
                    .name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(err(
                    "name",
                    format!(
                        "rule name `{}` must be letters, digits, `-` or `_`",
                        raw.name
                    ),
                ));
            }
            if builtin.get(&raw.name).is_some() || self.get(&raw.name).is_some() {
                return Err(err(
                    "name",
                    format!("rule `{}` is already defined", raw.name),
                ));
            }
            for k in &raw.kinds {
                if !KINDS.contains(&k.as_str()) {
                    let mut m = format!("unknown kind `{k}`; kinds are {}", KINDS.join(", "));
                    if let Some(h) = crate::config::closest(k, KINDS.iter().copied()) {
                        m.push_str(&format!("; did you mean `{h}`?"));
                    }
                    return Err(err(k, m));
                }
            }
            let users = raw.kinds.iter().any(|k| k == "User");
            if users && raw.kinds.len() > 1 {
                return Err(err("User", "a `User` rule looks at user records, not XML files: give it `kinds = [\"User\"]` alone".into()));
            }
            if users {
                if let Some(s) = &raw.select {
                    return Err(err(s, "`select` is an element path into XML files; a `User` rule tests user fields with `when`".into()));
                }
                if let Some(c) = &raw.when {
                    check_user_cond(c).map_err(|(needle, m)| err(&needle, m))?;
                }
            }
            let select = match &raw.select {
                Some(s) => Some(parse_path(s, &mut self.regexes).map_err(|(off, m)| {
                    ConfigError::at(path, text, at(s) + 1 + off, format!("in select: {m}"))
                })?),
                None => None,
            };
            let when = match &raw.when {
                Some(c) => {
                    Some(compile(c, &mut self.regexes).map_err(|(needle, m)| err(&needle, m))?)
                }
                None => None,
            };
            check_placeholders(&raw.message, if users { USER_FIELDS } else { PLACEHOLDERS })
                .map_err(|m| err("message", m))?;
            self.policies.push(Policy {
                meta: RuleMeta {
                    name: raw.name.clone(),
                    severity: raw.severity,
                    summary: raw.summary.clone(),
                    rationale: if raw.rationale.is_empty() {
                        raw.summary.clone()
                    } else {
                        raw.rationale.clone()
                    },
                    sources: raw.docs.iter().cloned().collect(),
                    tags: raw.tags.clone(),
                    fixable: false,
                    examples: Vec::new(),
                    origin: Some(path.to_string()),
                    help_uri: raw.docs.clone(),
                    sbs: Vec::new(),
                    health_check: Vec::new(),
                    security_severity: None,
                },
                kinds: raw.kinds,
                select,
                when,
                message: raw.message,
            });
        }
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<&RuleMeta> {
        self.policies
            .iter()
            .find(|p| p.meta.name == name)
            .map(|p| &p.meta)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.policies.iter().map(|p| p.meta.name.as_str())
    }

    pub fn rules(&self) -> impl Iterator<Item = &RuleMeta> {
        self.policies.iter().map(|p| &p.meta)
    }

    /// Evaluate every policy on one parsed file.
    pub fn check(&self, ctx: &FileCtx, doc: &Document, kind: &FileKind, out: &mut Vec<Diagnostic>) {
        if self.policies.is_empty() {
            return;
        }
        let kind_name = doc.name(doc.root);
        let env = Env {
            ctx,
            doc,
            kind: kind_name,
            name: doc_name(ctx, doc, kind),
            root_children: OnceCell::new(),
        };
        let mut paths = ElementPaths {
            doc,
            memo: HashMap::new(),
        };
        for p in self
            .policies
            .iter()
            .filter(|p| !p.on_users() && p.kinds.iter().any(|k| k == kind_name))
        {
            if !p.when.as_ref().is_none_or(|t| eval(t, &env)) {
                continue;
            }
            let targets: Vec<u32> = match &p.select {
                Some(path) => select(doc, doc.root, path),
                None => vec![doc.root],
            };
            for t in targets {
                let n = &doc.nodes[t as usize];
                let span = if t == doc.root { n.start_tag() } else { n.span };
                let message = render(&p.message, &env, t);
                let element = paths.of(t).to_string();
                out.push(Diagnostic::new(
                    &p.meta.name,
                    p.meta.severity,
                    message,
                    &ctx.loc(span),
                    element,
                ));
            }
        }
    }

    /// Evaluate the `User` policies on every user of the org (after all files are read).
    pub fn check_users(&self, org: &Org, out: &mut Vec<Diagnostic>) {
        let policies: Vec<&Policy> = self.policies.iter().filter(|p| p.on_users()).collect();
        if policies.is_empty() {
            return;
        }
        for user in &org.users {
            let Some(at) = user.at() else { continue };
            let env = UserEnv { org, user };
            for p in &policies {
                if p.when.as_ref().is_none_or(|t| eval(t, &env)) {
                    let message = render_with(&p.message, |key| env.field(key).join(", "));
                    out.push(Diagnostic::new(
                        &p.meta.name,
                        p.meta.severity,
                        message,
                        at,
                        format!("User[{}]", user.name),
                    ));
                }
            }
        }
    }
}

/// What a condition is evaluated on: an XML document, or a user.
trait Subject {
    /// A field's values: none (absent), one, or several (a user's permission sets).
    fn field(&self, field: &str) -> Vec<String>;
    /// The texts of the elements a path selects (XML only).
    fn path(&self, path: &Path) -> Vec<String>;
}

impl Subject for Env<'_, '_> {
    fn field(&self, field: &str) -> Vec<String> {
        field_value(self, field).into_iter().collect()
    }
    fn path(&self, path: &Path) -> Vec<String> {
        select(self.doc, self.doc.root, path)
            .iter()
            .map(|&n| self.doc.value(n).into_owned())
            .collect()
    }
}

struct UserEnv<'e, 'a> {
    org: &'e Org<'a>,
    user: &'e User<'a>,
}

impl Subject for UserEnv<'_, '_> {
    fn field(&self, field: &str) -> Vec<String> {
        let (org, u) = (self.org, self.user);
        let one = |v: Option<&Val>| v.map(|v| v.value.clone()).into_iter().collect();
        let flag = |b: bool| vec![b.to_string()];
        match field {
            "name" | "username" => vec![u.name.clone()],
            "profile" => one(u.profile),
            "license" => one(u.license.or_else(|| {
                u.profile
                    .and_then(|p| org.profile(&p.value))
                    .and_then(|p| p.license.as_ref())
            })),
            "active" => flag(u.active),
            "apiOnly" => org
                .is_api_only(u)
                .map(|b| b.to_string())
                .into_iter()
                .collect(),
            "integration" => flag(org.is_integration_user(u)),
            "permissionSets" => u.permission_sets.iter().map(|v| v.value.clone()).collect(),
            "permissionSetLicenses" => u
                .permission_set_licenses
                .iter()
                .map(|v| v.value.clone())
                .collect(),
            "source" => u
                .records
                .first()
                .map(|r| r.source.label().to_string())
                .into_iter()
                .collect(),
            "file" => u.at().map(|l| l.file.to_string()).into_iter().collect(),
            "kind" => vec!["User".to_string()],
            _ => Vec::new(),
        }
    }
    fn path(&self, _path: &Path) -> Vec<String> {
        Vec::new() // rejected when the rule is loaded
    }
}

/// A `User` rule's condition names only user fields and has no `path`.
fn check_user_cond(c: &Cond) -> Result<(), (String, String)> {
    if let Some(p) = &c.path {
        return Err((
            p.clone(),
            "`path` is an element path into XML files; a `User` rule tests `field`s".into(),
        ));
    }
    if let Some(f) = &c.field {
        if !USER_FIELDS.contains(&f.as_str()) {
            let mut m = format!(
                "unknown user field `{f}`; fields are {}",
                USER_FIELDS.join(", ")
            );
            if let Some(h) = crate::config::closest(f, USER_FIELDS.iter().copied()) {
                m.push_str(&format!("; did you mean `{h}`?"));
            }
            return Err((f.clone(), m));
        }
    }
    for c in c
        .all
        .iter()
        .flatten()
        .chain(c.any.iter().flatten())
        .chain(c.not.as_deref())
    {
        check_user_cond(c)?;
    }
    Ok(())
}

struct Env<'e, 'a> {
    ctx: &'e FileCtx<'a>,
    doc: &'e Document<'a>,
    kind: &'e str,
    name: String,
    /// The root's first child of each name, indexed on first use: a message asks for the same
    /// document field once per selected element, and a profile's root has 20,000 children.
    root_children: OnceCell<HashMap<&'a str, u32>>,
}

impl<'a> Env<'_, 'a> {
    /// The value of the root's first child called `name`.
    fn root_value(&self, name: &str) -> Option<Cow<'a, str>> {
        let doc = self.doc;
        let index = self.root_children.get_or_init(|| {
            let mut index = HashMap::new();
            for c in doc.children(doc.root) {
                index.entry(doc.name(c)).or_insert(c);
            }
            index
        });
        index.get(name).map(|&c| doc.value(c))
    }
}

fn doc_name(ctx: &FileCtx, doc: &Document, kind: &FileKind) -> String {
    if let FileKind::PermissionSetPart { set } = kind {
        return set.clone();
    }
    doc.child_value(doc.root, "fullName")
        .map(|s| s.into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| api_name(ctx.path))
}

fn field_value(env: &Env, field: &str) -> Option<String> {
    match field {
        "name" => Some(env.name.clone()),
        "file" => Some(env.ctx.path.to_string()),
        "kind" => Some(env.kind.to_string()),
        "license" => env
            .root_value("license")
            .or_else(|| env.root_value("userLicense"))
            .map(|s| s.into_owned()),
        other => env.root_value(other).map(|s| s.into_owned()),
    }
}

fn eval(t: &Test, subject: &dyn Subject) -> bool {
    match t {
        Test::All(v) => v.iter().all(|t| eval(t, subject)),
        Test::Any(v) => v.iter().any(|t| eval(t, subject)),
        Test::Not(t) => !eval(t, subject),
        Test::Field { field, check } => check.test(subject.field(field)),
        Test::Path { path, check } => check.test(subject.path(path)),
    }
}

impl Check {
    /// `values`: the field's value (0 or 1) or the selected elements' texts.
    fn test(&self, values: Vec<String>) -> bool {
        let cmp = |a: &str, b: &str| {
            if self.ignore_case {
                a.eq_ignore_ascii_case(b)
            } else {
                a == b
            }
        };
        if let Some(e) = self.exists {
            if e == values.is_empty() {
                return false;
            }
        }
        for (ord, or_equal, n) in &self.count {
            let c = values.len();
            let ok = c.cmp(n) == *ord || (*or_equal && c == *n);
            if !ok {
                return false;
            }
        }
        let value_tests = self.equals.is_some()
            || self.not_equals.is_some()
            || self.one_of.is_some()
            || self.matches.is_some();
        if !value_tests {
            return true;
        }
        // Value tests hold when any selected value satisfies all of them; not_equals holds when no value equals.
        if let Some(ne) = &self.not_equals {
            if values.iter().any(|v| cmp(v, ne)) {
                return false;
            }
            if self.equals.is_none() && self.one_of.is_none() && self.matches.is_none() {
                return true;
            }
        }
        values.iter().any(|v| {
            self.equals.as_ref().is_none_or(|e| cmp(v, e))
                && self
                    .one_of
                    .as_ref()
                    .is_none_or(|l| l.iter().any(|e| cmp(v, e)))
                && self.matches.as_ref().is_none_or(|r| r.is_match(v))
        })
    }
}

fn compile(c: &Cond, regexes: &mut RegexBudget) -> Result<Test, (String, String)> {
    let mut parts = Vec::new();
    if let Some(all) = &c.all {
        parts.push(Test::All(
            all.iter()
                .map(|c| compile(c, regexes))
                .collect::<Result<_, _>>()?,
        ));
    }
    if let Some(any) = &c.any {
        parts.push(Test::Any(
            any.iter()
                .map(|c| compile(c, regexes))
                .collect::<Result<_, _>>()?,
        ));
    }
    if let Some(n) = &c.not {
        parts.push(Test::Not(Box::new(compile(n, regexes)?)));
    }
    let matches = match &c.matches {
        Some(r) => Some(
            regexes
                .compile(r, c.ignore_case)
                .map_err(|m| (r.clone(), m))?,
        ),
        None => None,
    };
    let mut count = Vec::new();
    use std::cmp::Ordering::*;
    for (v, ord, eq) in [
        (c.count_gt, Greater, false),
        (c.count_ge, Greater, true),
        (c.count_lt, Less, false),
        (c.count_le, Less, true),
        (c.count_eq, Equal, true),
    ] {
        if let Some(n) = v {
            count.push((ord, eq, n));
        }
    }
    let exists = match (c.exists, c.absent) {
        (Some(e), _) => Some(e),
        (None, Some(a)) => Some(!a),
        _ => None,
    };
    let check = Check {
        equals: c.equals.clone(),
        not_equals: c.not_equals.clone(),
        one_of: c.one_of.clone(),
        matches,
        exists,
        count,
        ignore_case: c.ignore_case,
    };
    let has_check = check.equals.is_some()
        || check.not_equals.is_some()
        || check.one_of.is_some()
        || check.matches.is_some()
        || check.exists.is_some()
        || !check.count.is_empty();
    match (&c.field, &c.path) {
        (Some(_), Some(p)) => {
            return Err((
                p.clone(),
                "a condition takes `field` or `path`, not both".into(),
            ))
        }
        (Some(f), None) => parts.push(Test::Field {
            field: f.clone(),
            check,
        }),
        (None, Some(p)) => {
            let path =
                parse_path(p, regexes).map_err(|(_, m)| (p.clone(), format!("in path: {m}")))?;
            parts.push(Test::Path { path, check });
        }
        (None, None) if has_check => {
            return Err((
                "when".into(),
                "a condition with a test needs `field` or `path`".into(),
            ));
        }
        (None, None) => {}
    }
    if parts.is_empty() {
        return Err((
            "when".into(),
            "empty condition: use field/path with a test, or all/any/not".into(),
        ));
    }
    Ok(if parts.len() == 1 {
        parts.remove(0)
    } else {
        Test::All(parts)
    })
}

/// Parse an element path. Errors carry the byte offset in the path.
fn parse_path(s: &str, regexes: &mut RegexBudget) -> Result<Path, (usize, String)> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut segs = Vec::new();
    let ident = |i: &mut usize| -> String {
        let st = *i;
        while *i < b.len()
            && (b[*i].is_ascii_alphanumeric()
                || b[*i] == b'_'
                || b[*i] == b'*'
                || b[*i] == b'.'
                || b[*i] == b'-')
        {
            *i += 1;
        }
        s[st..*i].to_string()
    };
    let ws = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    loop {
        ws(&mut i);
        let name = ident(&mut i);
        if name.is_empty() {
            return Err((i, "expected an element name".into()));
        }
        let mut preds = Vec::new();
        ws(&mut i);
        while i < b.len() && b[i] == b'[' {
            i += 1;
            ws(&mut i);
            let neg = i < b.len() && b[i] == b'!' && b.get(i + 1) != Some(&b'=');
            if neg {
                i += 1;
                ws(&mut i);
            }
            let child = ident(&mut i);
            if child.is_empty() {
                return Err((i, "expected a child element name in the predicate".into()));
            }
            ws(&mut i);
            let pred = if neg {
                Pred::Absent(child)
            } else if i < b.len() && b[i] == b']' {
                Pred::Exists(child)
            } else if s[i..].starts_with("!=") {
                i += 2;
                Pred::Ne(child, string(s, &mut i)?)
            } else if s[i..].starts_with('=') {
                i += 1;
                Pred::Eq(child, string(s, &mut i)?)
            } else if s[i..].starts_with('~') {
                i += 1;
                let at = i;
                let r = string(s, &mut i)?;
                Pred::Re(child, regexes.compile(&r, false).map_err(|m| (at, m))?)
            } else if s[i..].starts_with("in") {
                i += 2;
                ws(&mut i);
                if i >= b.len() || b[i] != b'(' {
                    return Err((i, "expected `(` after `in`".into()));
                }
                i += 1;
                let mut list = Vec::new();
                loop {
                    list.push(string(s, &mut i)?);
                    ws(&mut i);
                    match b.get(i) {
                        Some(b',') => i += 1,
                        Some(b')') => {
                            i += 1;
                            break;
                        }
                        _ => return Err((i, "expected `,` or `)` in the list".into())),
                    }
                }
                Pred::In(child, list)
            } else {
                return Err((i, "expected `]`, `=`, `!=`, `~` or `in`".into()));
            };
            ws(&mut i);
            if i >= b.len() || b[i] != b']' {
                return Err((i, "expected `]`".into()));
            }
            i += 1;
            ws(&mut i);
            preds.push(pred);
        }
        segs.push(Segment { name, preds });
        if i >= b.len() {
            break;
        }
        if b[i] != b'/' {
            return Err((
                i,
                format!("unexpected `{}`", &s[i..].chars().next().unwrap_or(' ')),
            ));
        }
        i += 1;
    }
    Ok(Path(segs))
}

/// A quoted string (`"..."` or `'...'`) after optional spaces.
fn string(s: &str, i: &mut usize) -> Result<String, (usize, String)> {
    let b = s.as_bytes();
    while *i < b.len() && b[*i].is_ascii_whitespace() {
        *i += 1;
    }
    let q = match b.get(*i) {
        Some(&q @ (b'"' | b'\'')) => q,
        _ => return Err((*i, "expected a quoted value".into())),
    };
    let start = *i + 1;
    let end = s[start..]
        .find(q as char)
        .map(|e| start + e)
        .ok_or((*i, "unterminated string".to_string()))?;
    *i = end + 1;
    Ok(s[start..end].to_string())
}

fn child_text(doc: &Document, node: u32, child: &str) -> Vec<String> {
    if child == "." {
        return vec![doc.value(node).into_owned()];
    }
    doc.children(node)
        .filter(|&c| doc.name(c) == child)
        .map(|c| doc.value(c).into_owned())
        .collect()
}

fn pred_holds(doc: &Document, node: u32, p: &Pred) -> bool {
    match p {
        Pred::Exists(c) => !child_text(doc, node, c).is_empty(),
        Pred::Absent(c) => child_text(doc, node, c).is_empty(),
        Pred::Eq(c, v) => child_text(doc, node, c).iter().any(|t| t == v),
        Pred::Ne(c, v) => child_text(doc, node, c).iter().all(|t| t != v),
        Pred::Re(c, r) => child_text(doc, node, c).iter().any(|t| r.is_match(t)),
        Pred::In(c, l) => child_text(doc, node, c).iter().any(|t| l.contains(t)),
    }
}

/// The elements a path selects below `from` (iterative, no recursion).
fn select(doc: &Document, from: u32, path: &Path) -> Vec<u32> {
    let mut cur = vec![from];
    for seg in &path.0 {
        let mut next = Vec::new();
        for &n in &cur {
            for c in doc.children(n) {
                if (seg.name == "*" || doc.name(c) == seg.name)
                    && seg.preds.iter().all(|p| pred_holds(doc, c, p))
                {
                    next.push(c);
                }
            }
        }
        cur = next;
        if cur.is_empty() {
            break;
        }
    }
    cur
}

const PLACEHOLDERS: &[&str] = &[
    "kind", "name", "label", "license", "file", "value", "element",
];

/// Check a message's `{placeholders}` against the allowed names (`element.CHILD` when `element` is).
fn check_placeholders(m: &str, allowed: &[&str]) -> Result<(), String> {
    let mut rest = m;
    while let Some(o) = rest.find('{') {
        let Some(c) = rest[o..].find('}') else {
            return Err("unclosed `{` in message".into());
        };
        let key = &rest[o + 1..o + c];
        let base = if allowed.contains(&"element") {
            key.split('.').next().unwrap_or("")
        } else {
            key
        };
        if !allowed.contains(&base) || (base == "element" && !key.contains('.')) {
            let list: Vec<String> = allowed
                .iter()
                .map(|p| {
                    if *p == "element" {
                        "{element.CHILD}".to_string()
                    } else {
                        format!("{{{p}}}")
                    }
                })
                .collect();
            let mut msg = format!("unknown placeholder `{{{key}}}`; use {}", list.join(", "));
            if let Some(h) = crate::config::closest(base, allowed.iter().copied()) {
                msg.push_str(&format!("; did you mean `{{{h}}}`?"));
            }
            return Err(msg);
        }
        rest = &rest[o + c + 1..];
    }
    Ok(())
}

fn render(template: &str, env: &Env, node: u32) -> String {
    render_with(template, |key| match key {
        "kind" => env.kind.to_string(),
        "value" => env.doc.value(node).into_owned(),
        k if k.starts_with("element.") => {
            child_text(env.doc, node, &k["element.".len()..]).join(", ")
        }
        k => field_value(env, k).unwrap_or_default(),
    })
}

/// Replace each `{key}` of a (checked) message template with `value(key)`.
fn render_with(template: &str, value: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(o) = rest.find('{') {
        out.push_str(&rest[..o]);
        let Some(c) = rest[o..].find('}') else { break };
        out.push_str(&value(&rest[o + 1..o + c]));
        rest = &rest[o + c + 1..];
    }
    out.push_str(rest);
    out
}

/// `Profile/userPermissions[ModifyAllData]`-style paths for fingerprints, each element's built once
/// per file: the selected elements of a profile share one parent, whose key is looked up once.
struct ElementPaths<'d, 'a> {
    doc: &'d Document<'a>,
    memo: HashMap<u32, String>,
}

impl ElementPaths<'_, '_> {
    fn of(&mut self, node: u32) -> &str {
        let doc = self.doc;
        let parent = |n: u32| doc.node(n).map_or(crate::xml::NONE, |x| x.parent);
        // Climb to the nearest element whose path is known (no recursion: nesting can be deep),
        // then build the paths down from there.
        let mut chain = Vec::new();
        let mut n = node;
        while n != crate::xml::NONE && !self.memo.contains_key(&n) {
            chain.push(n);
            n = parent(n);
        }
        for &m in chain.iter().rev() {
            let mut path = match self.memo.get(&parent(m)) {
                Some(p) => format!("{p}/"),
                None => String::new(),
            };
            path.push_str(doc.name(m));
            let key = [
                "name",
                "object",
                "field",
                "apexClass",
                "tab",
                "application",
                "layout",
            ]
            .iter()
            .find_map(|k| doc.child_value(m, k).filter(|v| !v.is_empty()));
            if let Some(k) = key {
                path.push_str(&format!("[{k}]"));
            }
            self.memo.insert(m, path);
        }
        self.memo.get(&node).map_or("", String::as_str)
    }
}

/// Offset of `needle` after the first occurrence of `anchor` (for error positions).
fn find_after(text: &str, anchor: &str, needle: &str) -> usize {
    let start = text.find(anchor).unwrap_or(0);
    text[start..]
        .find(needle)
        .map(|i| start + i)
        .or_else(|| text.find(needle))
        .unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every element's path: the parent's path, `/`, the name and the first non-empty key child
    /// (`name`, `object`, `field`, …) in brackets; the same whether ancestors were memoised first.
    #[test]
    fn element_paths() {
        let text = "<Profile><name>P</name><a><name></name><object>O</object><b><field>F</field><c/></b><b/></a><a><tab>T</tab></a></Profile>";
        let doc = crate::xml::parse(text).unwrap_or_else(|e| panic!("{e:?}"));
        let all: Vec<u32> = (0..doc.nodes.len() as u32).collect();
        let expected = |i: u32| {
            let mut paths = ElementPaths {
                doc: &doc,
                memo: HashMap::new(),
            };
            paths.of(i).to_string()
        };
        let mut paths = ElementPaths {
            doc: &doc,
            memo: HashMap::new(),
        };
        // Deepest first, then the rest: later lookups reuse the memoised ancestors.
        for &i in all.iter().rev() {
            assert_eq!(paths.of(i), expected(i));
        }
        let named: Vec<String> = all
            .iter()
            .filter(|&&i| doc.name(i) != "name")
            .map(|&i| paths.of(i).to_string())
            .filter(|p| !p.ends_with("field") && !p.ends_with("object") && !p.ends_with("tab"))
            .collect();
        assert_eq!(
            named,
            [
                "Profile[P]",
                "Profile[P]/a[O]",
                "Profile[P]/a[O]/b[F]",
                "Profile[P]/a[O]/b[F]/c",
                "Profile[P]/a[O]/b",
                "Profile[P]/a[T]",
            ]
        );
    }
}
