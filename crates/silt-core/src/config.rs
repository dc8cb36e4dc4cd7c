//! `silt.toml`: parsed from text (the host finds and reads the file).

use crate::diagnostic::Severity;
use crate::limits::RegexBudget;
use crate::source::{LineIndex, Position};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A problem in a configuration or custom rule file, with its position.
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize)]
#[error("{file}:{}:{}: {message}", .position.line, .position.column)]
pub struct ConfigError {
    pub file: String,
    pub position: Position,
    pub message: String,
}

impl ConfigError {
    pub fn at(file: &str, text: &str, offset: usize, message: impl Into<String>) -> ConfigError {
        ConfigError {
            file: file.to_string(),
            position: LineIndex::new(text).position(text, offset),
            message: message.into(),
        }
    }
    /// From a TOML (de)serialisation error, with a "did you mean" for unknown keys.
    pub fn from_toml(file: &str, text: &str, e: &toml::de::Error) -> ConfigError {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        let mut message = e.message().trim().to_string();
        if let Some(hint) = did_you_mean(&message) {
            message.push_str(&format!("; did you mean `{hint}`?"));
        }
        ConfigError::at(file, text, offset, message)
    }
}

/// From serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown variant"), the closest name.
pub fn did_you_mean(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (wrong, expected) = rest.split_once('`')?;
    closest(wrong, expected.split('`').skip(1).step_by(2))
}

/// The candidate closest to `wrong`, if reasonably close.
pub fn closest<'a>(wrong: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    candidates
        .map(|c| {
            (
                strsim::damerau_levenshtein(&wrong.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(d, c)| *d <= 3.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

/// A rule's configured level: a severity or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Level, D::Error> {
        let s = String::deserialize(d)?;
        if s.eq_ignore_ascii_case("off") {
            return Ok(Level::Off);
        }
        Severity::parse(&s).map(Level::On).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown level `{s}`, expected one of `error`, `warning`, `note`, `off`"
            ))
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgConfig {
    /// Org edition (overrides `edition` of the scratch definition).
    pub edition: Option<String>,
    /// Salesforce Integration seats bought on top of the free ones.
    #[serde(default)]
    pub purchased_integration_seats: u32,
    /// Price of one add-on seat per month (default from rules/data/editions.toml).
    pub price_per_seat_month: Option<f64>,
    pub currency: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilesConfig {
    /// Globs (relative to the lint root) of files to lint; empty means all.
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Globs of extra user data files (CSV, JSON, XML) anywhere in the project.
    #[serde(default)]
    pub user_data: Vec<String>,
    /// Files larger than this many bytes are a `parse-error`, not read (default
    /// [`crate::limits::DEFAULT_MAX_FILE_SIZE`]).
    pub max_size: Option<u64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegrationConfig {
    /// Regexes: permission sets whose API name or label matches are meant for integration users.
    #[serde(default)]
    pub permission_sets: Vec<String>,
    /// Report findings on vendor-provisioned apps and profiles (rules/data/vendor-provisioned.toml) with the
    /// rule's full severity instead of as notes.
    #[serde(default)]
    pub vendor_full_severity: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    rules: BTreeMap<String, Level>,
    #[serde(default)]
    org: OrgConfig,
    #[serde(default)]
    files: FilesConfig,
    #[serde(default)]
    integration: IntegrationConfig,
    #[serde(default)]
    custom_rules: Vec<String>,
    fail_on: Option<String>,
}

/// The parsed configuration. `Config::default()` is silt with no `silt.toml`.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub rules: BTreeMap<String, Level>,
    pub org: OrgConfig,
    pub files: FilesConfig,
    pub integration_permission_sets: Vec<regex::Regex>,
    /// `[integration] vendor_full_severity`: findings on vendor-provisioned apps and profiles keep their severity.
    pub vendor_full_severity: bool,
    /// Custom rule files named by the config (paths relative to the config file); the host reads them.
    pub custom_rules: Vec<String>,
    pub fail_on: Option<Severity>,
    /// The regexes compiled so far: custom rule files add theirs to the same budget.
    pub(crate) regexes: RegexBudget,
    include: Option<globset::GlobSet>,
    exclude: Option<globset::GlobSet>,
    user_data: Option<globset::GlobSet>,
}

impl Config {
    /// Parse `silt.toml` text. `file` is used in error messages.
    pub fn parse(file: &str, text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| ConfigError::from_toml(file, text, &e))?;
        let find = |needle: &str| text.find(needle).unwrap_or(0);
        let registry = crate::registry::registry();
        for name in raw.rules.keys() {
            if registry.get(name).is_none() {
                let mut message = format!("unknown rule `{name}` in [rules]");
                if let Some(h) = closest(name, registry.rules.keys().map(|s| s.as_str())) {
                    message.push_str(&format!("; did you mean `{h}`?"));
                }
                // Custom rules are checked again once they are loaded; here only built-ins are known.
                if !raw.custom_rules.is_empty() {
                    continue;
                }
                return Err(ConfigError::at(file, text, find(name), message));
            }
        }
        let mut regexes = RegexBudget::default();
        let mut patterns = Vec::new();
        for p in &raw.integration.permission_sets {
            let re = regexes
                .compile(p, false)
                .map_err(|m| ConfigError::at(file, text, find(p), m))?;
            patterns.push(re);
        }
        let fail_on = match &raw.fail_on {
            None => None,
            Some(s) => Some(Severity::parse(s).ok_or_else(|| {
                ConfigError::at(
                    file,
                    text,
                    find(s),
                    format!("unknown level `{s}` for fail_on, expected error, warning or note"),
                )
            })?),
        };
        let globs = |list: &[String]| -> Result<Option<globset::GlobSet>, ConfigError> {
            if list.is_empty() {
                return Ok(None);
            }
            let mut b = globset::GlobSetBuilder::new();
            for g in list {
                let glob = globset::GlobBuilder::new(g)
                    .literal_separator(false)
                    .build()
                    .map_err(|e| {
                        ConfigError::at(file, text, find(g), format!("invalid glob: {e}"))
                    })?;
                b.add(glob);
            }
            b.build()
                .map(Some)
                .map_err(|e| ConfigError::at(file, text, 0, format!("invalid globs: {e}")))
        };
        Ok(Config {
            include: globs(&raw.files.include)?,
            exclude: globs(&raw.files.exclude)?,
            user_data: globs(&raw.files.user_data)?,
            rules: raw.rules,
            org: raw.org,
            files: raw.files,
            integration_permission_sets: patterns,
            vendor_full_severity: raw.integration.vendor_full_severity,
            custom_rules: raw.custom_rules,
            fail_on,
            regexes,
        })
    }

    /// The level of a rule: configured, else the registry default.
    pub fn level(&self, rule: &str, default: Severity) -> Level {
        self.rules.get(rule).copied().unwrap_or(Level::On(default))
    }

    /// The size in bytes above which a file is not read.
    pub fn max_file_size(&self) -> u64 {
        self.files
            .max_size
            .unwrap_or(crate::limits::DEFAULT_MAX_FILE_SIZE)
    }

    /// Whether a path (relative to the lint root) is linted under include/exclude.
    pub fn is_included(&self, path: &str) -> bool {
        if self.exclude.as_ref().is_some_and(|g| g.is_match(path)) {
            return false;
        }
        self.include.as_ref().is_none_or(|g| g.is_match(path))
    }

    /// Whether a path is declared user data by `[files] user_data`.
    pub fn is_user_data(&self, path: &str) -> bool {
        self.user_data.as_ref().is_some_and(|g| g.is_match(path))
    }

    /// Whether a permission set name or label matches an integration naming pattern.
    pub fn is_integration_permission_set(&self, name: &str, label: &str) -> bool {
        self.integration_permission_sets
            .iter()
            .any(|r| r.is_match(name) || r.is_match(label))
    }
}

/// Commented starter configuration (`silt init`).
pub const STARTER: &str = r#"# silt.toml: configuration for silt, the Salesforce Integration license linter.
# Every key is optional. Unknown keys are errors.

# Exit with code 1 when a finding at or above this level remains: error | warning | note.
# fail_on = "error"

[org]
# Org edition: Enterprise, Unlimited, Performance (5 free integration seats) or Developer (1).
# Default: the `edition` of config/project-scratch-def.json.
# edition = "Enterprise"
# Salesforce Integration seats bought on top of the free ones.
# purchased_integration_seats = 0
# Price of one add-on seat per month.
# price_per_seat_month = 10.0

[rules]
# Change a rule's severity (error | warning | note) or turn it off.
# integration-profile-no-ip-restriction = "off"
# integration-excessive-permission = "error"

[integration]
# Regexes: permission sets whose API name or label matches are meant for integration users.
# permission_sets = ["^Integration_", "_API$"]
# Findings on apps and profiles that Salesforce or a managed package provisions (e.g. CPQIntegrationUserApp)
# are notes. Set to true to report them with the rule's full severity.
# vendor_full_severity = false

[files]
# Globs relative to the project root.
# include = ["force-app/**"]
# exclude = ["force-app/main/default/profiles/Admin.profile-meta.xml"]
# user_data = ["data/**/*.csv"]
# Files larger than this many bytes are reported as a parse-error and not read (default 64 MiB).
# max_size = 67108864

# Custom rule files (TOML), relative to this file.
# custom_rules = ["rules/least-privilege.toml"]
"#;
