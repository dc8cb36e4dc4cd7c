//! silt-core: parses Salesforce metadata and user data and checks Salesforce Integration license
//! policies. It does no I/O: hosts (CLI, Wasm, language server) hand it `(path, bytes)` pairs.
//!
//! Data flows one way:
//! bytes → [`source`] (decode, line index) → [`xml`] / user data parsers → typed [`model`] →
//! [`org::Org`] (cross-file index) → [`rules`] → [`Diagnostic`]s → suppressions/baseline → [`Report`]
//! → [`report`] formatters.
//!
//! ```
//! let files = vec![("profiles/Int.profile-meta.xml".to_string(), b"<Profile/>".to_vec())];
//! let report = silt_core::lint(&files, &silt_core::Config::default());
//! assert_eq!(report.summary.files, 1);
//! ```

pub mod access;
pub mod baseline;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod files;
pub mod fix;
pub mod limits;
pub mod metadata;
pub mod model;
pub mod org;
pub mod registry;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod users;
pub mod wire;
pub mod xml;

pub use config::{Config, ConfigError, Level};
pub use diagnostic::{Diagnostic, Edit, Fix, Location, Related, Severity};
pub use files::{classify, FileKind};
pub use report::{LicenseSummary, Report, Summary};
use serde::{Deserialize, Serialize};

use source::{LineIndex, Span};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// One file being parsed: its path, decoded text and line index. Turns spans into locations.
pub struct FileCtx<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub index: LineIndex,
    /// `path`, shared by every location made here.
    file: std::sync::Arc<str>,
}

impl<'a> FileCtx<'a> {
    pub fn new(path: &'a str, text: &'a str) -> FileCtx<'a> {
        FileCtx {
            path,
            text,
            index: LineIndex::new(text),
            file: path.into(),
        }
    }
    pub fn loc(&self, span: Span) -> Location {
        Location {
            file: self.file.clone(),
            range: self.index.range(self.text, span),
        }
    }
}

/// What one file contributes: its own diagnostics (parse errors, custom rules), its metadata for the
/// cross-file rules, and its suppression comments. Small: the file's bytes are not kept.
#[derive(Debug, Clone, Default)]
pub struct FileResult {
    pub path: String,
    pub kind: Option<FileKind>,
    pub diagnostics: Vec<Diagnostic>,
    pub metadata: Vec<model::Metadata>,
    pub suppressions: Vec<suppress::Suppression>,
}

impl FileResult {
    /// A file the host could not read (permissions, a non-UTF-8 name, …): a `parse-error` at 1:1.
    pub fn unreadable(path: &str, message: &str) -> FileResult {
        let start = source::Position {
            line: 1,
            column: 1,
            column_utf16: 1,
            offset: 0,
        };
        let at = Location {
            file: path.into(),
            range: source::Range { start, end: start },
        };
        FileResult {
            path: path.to_string(),
            kind: classify(path),
            diagnostics: vec![parse_error(&at, message)],
            ..Default::default()
        }
    }
}

/// A configured linter. `check_file` is pure and may run on many threads; `finish` joins the files.
#[derive(Clone)]
pub struct Linter {
    pub config: Config,
    pub policies: rules::policy::PolicySet,
    /// Keep every granted field, Apex class, page, app and tab of profiles and permission sets (what
    /// `silt access --user` shows); linting does not need them, so they are dropped by default.
    pub access_detail: bool,
    /// What the linter was loaded from, when a host loaded it from texts: another instance (a
    /// worker thread's) builds the same linter from [`Linter::spec`].
    pub recipe: Option<Recipe>,
}

/// The texts a linter was loaded from: the configuration and each custom rule file, with the paths
/// they are shown under.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipe {
    pub config: Option<(String, String)>,
    pub custom_rules: Vec<(String, String)>,
}

/// [`Linter::spec`]: the recipe and what was changed after loading.
#[derive(Serialize, Deserialize)]
struct Spec {
    recipe: Recipe,
    max_file_size: Option<u64>,
    access_detail: bool,
}

impl Linter {
    pub fn new(config: Config) -> Linter {
        Linter {
            policies: rules::policy::PolicySet::new(config.regexes.clone()),
            config,
            access_detail: false,
            recipe: None,
        }
    }

    /// Everything another instance needs to build this same linter ([`Linter::from_spec`]), as
    /// JSON; `None` for a linter that was not loaded from a [`Recipe`].
    pub fn spec(&self) -> Option<String> {
        let spec = Spec {
            recipe: self.recipe.clone()?,
            max_file_size: self.config.files.max_size,
            access_detail: self.access_detail,
        };
        serde_json::to_string(&spec).ok()
    }

    /// The linter [`Linter::spec`] describes.
    pub fn from_spec(spec: &str) -> Result<Linter, String> {
        let spec: Spec = serde_json::from_str(spec).map_err(|e| e.to_string())?;
        let config = match &spec.recipe.config {
            Some((path, text)) => Config::parse(path, text).map_err(|e| e.to_string())?,
            None => Config::default(),
        };
        let mut linter = Linter::new(config);
        for (path, text) in &spec.recipe.custom_rules {
            linter
                .add_custom_rules(path, text)
                .map_err(|e| e.to_string())?;
        }
        linter.config.files.max_size = spec.max_file_size;
        linter.access_detail = spec.access_detail;
        linter.recipe = Some(spec.recipe);
        Ok(linter)
    }

    /// Load a custom rule file (TOML) named by the configuration; the host read it.
    pub fn add_custom_rules(&mut self, path: &str, text: &str) -> Result<(), ConfigError> {
        self.policies.load(path, text)
    }

    /// Built-in and custom rules, sorted by name.
    pub fn rules(&self) -> Vec<&registry::RuleMeta> {
        let reg = registry::registry();
        let mut rules: Vec<&registry::RuleMeta> = reg.rules.values().collect();
        rules.extend(self.policies.rules().filter(|m| reg.get(&m.name).is_none()));
        rules.sort_by(|a, b| a.name.cmp(&b.name));
        rules
    }

    /// A rule's documentation (Markdown), or an error with a "did you mean".
    pub fn explain(&self, name: &str) -> Result<String, String> {
        let rules = self.rules();
        if let Some(meta) = rules.iter().find(|r| r.name == name) {
            return Ok(meta.markdown());
        }
        let mut message = format!("unknown rule `{name}`");
        if let Some(h) = config::closest(name, rules.iter().map(|r| r.name.as_str())) {
            message.push_str(&format!("; did you mean `{h}`?"));
        }
        Err(message)
    }

    /// After all custom rule files are loaded: check that `[rules]` names only known rules.
    pub fn validate(&self, config_path: &str, config_text: &str) -> Result<(), ConfigError> {
        let reg = registry::registry();
        for name in self.config.rules.keys() {
            if reg.get(name).is_none() && self.policies.get(name).is_none() {
                let names = reg
                    .rules
                    .keys()
                    .map(|s| s.as_str())
                    .chain(self.policies.names());
                let mut message = format!("unknown rule `{name}` in [rules]");
                if let Some(h) = config::closest(name, names) {
                    message.push_str(&format!("; did you mean `{h}`?"));
                }
                return Err(ConfigError::at(
                    config_path,
                    config_text,
                    config_text.find(name.as_str()).unwrap_or(0),
                    message,
                ));
            }
        }
        Ok(())
    }

    /// What a file is under this configuration (`[files] user_data` makes data of any file).
    fn kind(&self, path: &str) -> Option<FileKind> {
        if self.config.is_user_data(path) {
            match classify(path) {
                Some(
                    k
                    @ (FileKind::Csv | FileKind::JsonData | FileKind::BulkXml | FileKind::UserDef),
                ) => Some(k),
                _ if path.to_ascii_lowercase().ends_with(".csv") => Some(FileKind::Csv),
                _ if path.to_ascii_lowercase().ends_with(".xml") => Some(FileKind::BulkXml),
                _ => Some(FileKind::JsonData),
            }
        } else {
            classify(path)
        }
    }

    /// A file of `size` bytes over [`Config::max_file_size`]: its `parse-error`, so that a host that
    /// knows the size (from the file system, a zip directory) need not read the file. `None` when the
    /// file is within the limit or not one silt reads.
    pub fn check_size(&self, path: &str, size: u64) -> Option<FileResult> {
        let max = self.config.max_file_size();
        if size <= max {
            return None;
        }
        let path = path.replace('\\', "/");
        let kind = self.kind(&path).filter(|k| *k != FileKind::Config)?;
        let mut result = FileResult::unreadable(&path, &limits::too_large_message(size, max));
        result.kind = Some(kind);
        Some(result)
    }

    /// Whether silt reads this file (metadata or user data) under this configuration.
    pub fn reads(&self, path: &str) -> bool {
        self.kind(&path.replace('\\', "/"))
            .is_some_and(|k| k != FileKind::Config)
    }

    /// Parse one file. Never panics on any input.
    pub fn check_file(&self, path: &str, bytes: &[u8]) -> FileResult {
        if let Some(r) = self.check_size(path, bytes.len() as u64) {
            return r;
        }
        let path = path.replace('\\', "/");
        let kind = self.kind(&path);
        let mut result = FileResult {
            path: path.clone(),
            kind: kind.clone(),
            ..Default::default()
        };
        let Some(kind) = kind else { return result };
        if kind == FileKind::Config {
            return result;
        }
        let text = match source::decode(bytes) {
            Ok(t) => t,
            Err((e, lossy)) => {
                let ctx = FileCtx::new(&path, &lossy);
                let at = ctx.loc(Span::new(e.offset, e.offset + 1));
                result.diagnostics.push(parse_error(&at, &e.message));
                return result;
            }
        };
        let ctx = FileCtx::new(&path, &text);
        metadata::parse_file(&ctx, &kind, self, &mut result);
        result
    }

    /// Join the files: cross-file rules, severities, suppressions, sorting, summary.
    pub fn finish(&self, files: Vec<FileResult>) -> Report {
        self.finish_with(files, |_| ()).0
    }

    /// [`Linter::finish`], and `f` over the org it builds (before the org is dropped): what `silt
    /// diff` reads of effective access and apps, without building the org twice.
    pub fn finish_with<T>(
        &self,
        files: Vec<FileResult>,
        f: impl FnOnce(&org::Org<'_>) -> T,
    ) -> (Report, T) {
        let mut files = files;
        // Order-independent results whatever order the host delivered the files in.
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut diagnostics: Vec<Diagnostic> = Vec::new();
        let mut suppressions = Vec::new();
        for r in &mut files {
            diagnostics.append(&mut r.diagnostics);
            suppressions.append(&mut r.suppressions);
        }
        self.join(&files, diagnostics, suppressions, f)
    }

    /// [`Linter::finish`] for a host that keeps the per-file results to join them again later
    /// (incremental linting: the language server): `files`, sorted by path, are borrowed, not
    /// copied; only their diagnostics and suppressions are.
    pub fn finish_kept(&self, files: &[FileResult]) -> Report {
        debug_assert!(files.windows(2).all(|w| w[0].path <= w[1].path));
        let diagnostics = files
            .iter()
            .flat_map(|f| f.diagnostics.iter().cloned())
            .collect();
        let suppressions = files
            .iter()
            .flat_map(|f| f.suppressions.iter().cloned())
            .collect();
        self.join(files, diagnostics, suppressions, |_| ()).0
    }

    /// The shared part of [`Linter::finish_with`] and [`Linter::finish_kept`].
    fn join<T>(
        &self,
        files: &[FileResult],
        mut diagnostics: Vec<Diagnostic>,
        suppressions: Vec<suppress::Suppression>,
        f: impl FnOnce(&org::Org<'_>) -> T,
    ) -> (Report, T) {
        let n_files = files
            .iter()
            .filter(|f| f.kind.is_some() && f.kind != Some(FileKind::Config))
            .count();
        let org = org::Org::build(files, &self.config);
        rules::run_all(&org, &self.config, &mut diagnostics);
        self.policies.check_users(&org, &mut diagnostics);
        let license = org.license_summary(&self.config);
        let extra = f(&org);
        drop(org);
        // Rules emit their default (or computed) severity; the configuration overrides it or turns it off.
        diagnostics.retain_mut(|d| match self.config.rules.get(&d.rule) {
            Some(Level::Off) => false,
            Some(Level::On(s)) => {
                d.severity = *s;
                true
            }
            None => true,
        });
        let suppressed = suppress::apply(&mut diagnostics, suppressions, &self.config);
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key());
        (
            Report::new(diagnostics, n_files, suppressed, license),
            extra,
        )
    }
}

impl Linter {
    /// A `--user` query shows fields, classes, pages, apps and tabs, which files parsed without
    /// [`Linter::access_detail`] do not keep (every profile's would cost several times a lint's
    /// memory): the files of that user's profile and permission sets, which the host checks again
    /// with `access_detail` set and hands back in place of the first results. Empty for other queries.
    pub fn access_detail_files(
        &self,
        files: &[FileResult],
        query: &access::AccessQuery,
    ) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        let Some(user) = &query.user else { return out };
        // Which files hold the user's containers does not depend on the files' order.
        let org = org::Org::build(files, &self.config);
        if let Some(p) = org.access.find(user) {
            for s in &p.sources {
                out.extend(org.holder(s.holder).files.iter().cloned());
            }
        }
        out
    }

    /// Effective access: answer a `silt access` query over parsed files (for `--user`, see
    /// [`Linter::access_detail_files`]).
    pub fn access(
        &self,
        files: Vec<FileResult>,
        query: &access::AccessQuery,
    ) -> access::AccessReport {
        let mut files = files;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        self.access_kept(&files, query)
    }

    /// [`Linter::access`] over results the host keeps, sorted by path (borrowed, not copied).
    pub fn access_kept(
        &self,
        files: &[FileResult],
        query: &access::AccessQuery,
    ) -> access::AccessReport {
        let org = org::Org::build(files, &self.config);
        org.access.report(&org, query)
    }
}

/// Answer an access query in one call (what the Wasm build and tests use).
pub fn access(
    files: &[(String, Vec<u8>)],
    config: &Config,
    query: &access::AccessQuery,
) -> access::AccessReport {
    let mut linter = Linter::new(config.clone());
    let mut results: Vec<FileResult> = files.iter().map(|(p, b)| linter.check_file(p, b)).collect();
    let again = linter.access_detail_files(&results, query);
    if !again.is_empty() {
        linter.access_detail = true;
        for (r, (p, b)) in results.iter_mut().zip(files) {
            if again.contains(&r.path) {
                *r = linter.check_file(p, b);
            }
        }
    }
    linter.access(results, query)
}

/// The `parse-error` diagnostic.
pub fn parse_error(at: &Location, message: &str) -> Diagnostic {
    Diagnostic::new(
        crate::rules::names::PARSE_ERROR,
        Severity::Error,
        message.to_string(),
        at,
        "",
    )
}

/// Lint a set of files in one call (what the Wasm build and tests use).
pub fn lint(files: &[(String, Vec<u8>)], config: &Config) -> Report {
    let linter = Linter::new(config.clone());
    let results = files.iter().map(|(p, b)| linter.check_file(p, b)).collect();
    linter.finish(results)
}
