//! Rule metadata and data lists, embedded from `rules/` at build time. The one place rule metadata lives.

use crate::diagnostic::Severity;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", ts(rename = "RuleExampleFile"))]
pub struct ExampleFile {
    pub path: String,
    pub contents: String,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", ts(rename = "RuleExample"))]
pub struct Example {
    /// `bad` (the rule fires) or `good` (it stays silent).
    #[cfg_attr(feature = "ts", ts(type = r#""bad" | "good""#))]
    pub kind: String,
    #[serde(default)]
    pub description: String,
    /// Optional `silt.toml` text for the example.
    #[serde(default)]
    pub config: Option<String>,
    /// Bad examples: the severity the finding is reported with, when it is not the rule's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub severity: Option<Severity>,
    /// Bad examples: text the finding's message contains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub message: Option<String>,
    pub files: Vec<ExampleFile>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    pub name: String,
    pub severity: Severity,
    pub summary: String,
    pub rationale: String,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub fixable: bool,
    #[serde(default)]
    pub examples: Vec<Example>,
    /// Set for rules loaded from user files (custom rules): where the rule came from.
    #[serde(default, skip_deserializing)]
    pub origin: Option<String>,
    #[serde(default)]
    pub help_uri: Option<String>,
    /// Security Benchmark for Salesforce control IDs (`SBS-ACS-003`, …) the rule helps with.
    #[serde(default)]
    pub sbs: Vec<String>,
    /// Salesforce Security Health Review control names (`API Only Access`, …).
    #[serde(default)]
    pub health_check: Vec<String>,
    /// GitHub code scanning `security-severity` (0.0–10.0); derived from the severity when unset.
    #[serde(default)]
    pub security_severity: Option<f64>,
}

impl RuleMeta {
    /// The `security-severity` score: the rule's own, else 7.0 / 4.0 / 1.0 for error / warning / note.
    pub fn security_severity(&self) -> f64 {
        self.security_severity.unwrap_or(match self.severity {
            Severity::Error => 7.0,
            Severity::Warning => 4.0,
            Severity::Note => 1.0,
        })
    }

    /// Compliance references: SBS control IDs, then `Health Check: <control>` names.
    pub fn compliance(&self) -> Vec<String> {
        self.sbs
            .iter()
            .cloned()
            .chain(
                self.health_check
                    .iter()
                    .map(|h| format!("Health Check: {h}")),
            )
            .collect()
    }

    /// The rule's documentation in Markdown (what `silt explain` prints).
    pub fn markdown(&self) -> String {
        let mut s = format!("# {}\n\nDefault severity: **{}**", self.name, self.severity);
        if self.fixable {
            s.push_str(" · fixable with `silt lint --fix`");
        }
        if !self.tags.is_empty() {
            s.push_str(&format!(" · tags: {}", self.tags.join(", ")));
        }
        if !self.sbs.is_empty() || !self.health_check.is_empty() {
            s.push_str("\n\nCompliance:");
            if !self.sbs.is_empty() {
                s.push_str(&format!(
                    " Security Benchmark for Salesforce {}",
                    self.sbs.join(", ")
                ));
            }
            if !self.health_check.is_empty() {
                s.push_str(&format!(
                    "{} Security Health Review \"{}\"",
                    if self.sbs.is_empty() { "" } else { ";" },
                    self.health_check.join("\", \"")
                ));
            }
        }
        s.push_str(&format!(
            "\n\n{}\n\n## Why\n\n{}\n",
            self.summary,
            self.rationale.trim()
        ));
        if !self.sources.is_empty() {
            s.push_str("\n## Sources\n\n");
            for src in &self.sources {
                s.push_str(&format!("- {src}\n"));
            }
        }
        for ex in &self.examples {
            let title = if ex.kind == "bad" {
                "Triggers the rule"
            } else {
                "Passes"
            };
            let severity = match ex.severity {
                Some(sev) if sev != self.severity => format!(" (as {})", sev.as_str()),
                _ => String::new(),
            };
            s.push_str(&format!(
                "\n## {title}{severity}{}\n",
                if ex.description.is_empty() {
                    String::new()
                } else {
                    format!(": {}", ex.description)
                }
            ));
            if let Some(config) = &ex.config {
                s.push_str(&format!(
                    "\n`silt.toml`\n\n```toml\n{}\n```\n",
                    config.trim_end()
                ));
            }
            for f in &ex.files {
                let lang = if f.path.ends_with(".json") {
                    "json"
                } else if f.path.ends_with(".csv") {
                    "csv"
                } else {
                    "xml"
                };
                s.push_str(&format!(
                    "\n`{}`\n\n```{lang}\n{}\n```\n",
                    f.path,
                    f.contents.trim_end()
                ));
            }
        }
        s
    }
}

#[derive(Debug, Clone, Deserialize, Default)]
pub struct Tier {
    pub tier: u8,
    pub severity: Severity,
    pub permissions: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct DangerousPermissions {
    pub tiers: Vec<Tier>,
    /// Object-level flags that count as admin-level (modifyAllRecords, viewAllRecords).
    pub object_flags: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Typo {
    pub wrong: String,
    pub right: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Licenses {
    /// The user license of integration users (`Salesforce Integration`).
    pub integration_user_license: String,
    /// Permission set license DeveloperName and label.
    pub integration_psl: String,
    pub integration_psl_label: String,
    /// `<license>` values a permission set given to an integration user may carry.
    pub integration_compatible: Vec<String>,
    /// Canonical names near-misses are compared with.
    pub canonical: Vec<String>,
    /// The full license (rule integration-license-candidate).
    pub full_license: String,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Edition {
    pub names: Vec<String>,
    pub free_integration_seats: u32,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Editions {
    pub price_per_seat_month: f64,
    pub currency: String,
    pub editions: Vec<Edition>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Profiles {
    pub current: String,
    pub deprecated: String,
    /// Prefix that matches the deprecated profile however it is suffixed.
    pub deprecated_prefix: String,
    /// The user permissions the untouched stock deprecated profile enables.
    pub stock_permissions: Vec<String>,
}

/// An app or profile that Salesforce or a managed package provisions (`rules/data/vendor-provisioned.toml`).
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct VendorEntry {
    pub name: String,
    /// Who provisions it and owns its settings.
    pub owner: String,
    /// What the team can do instead of changing the vendor's settings.
    pub advice: String,
    /// Where it was seen and who documents its owner (at least one; a test checks).
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Vendor {
    /// Rules whose findings on vendor-provisioned apps and profiles are notes.
    pub rules: Vec<String>,
    pub apps: Vec<VendorEntry>,
    pub profiles: Vec<VendorEntry>,
}

impl Vendor {
    /// The vendor entry of a connected app or External Client App, by API name.
    pub fn app(&self, name: &str) -> Option<&VendorEntry> {
        self.apps
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(name.trim()))
    }
    /// The vendor entry of a profile, by name.
    pub fn profile(&self, name: &str) -> Option<&VendorEntry> {
        self.profiles
            .iter()
            .find(|e| crate::org::norm_eq(&e.name, name))
    }
}

/// One user permission and the permissions it requires (rule user-permission-dependency).
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PermissionDependency {
    pub permission: String,
    pub requires: Vec<String>,
    pub source: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct DependencyFile {
    dependencies: Vec<PermissionDependency>,
}

#[derive(Debug, Default)]
pub struct Registry {
    pub rules: BTreeMap<String, RuleMeta>,
    pub dangerous: DangerousPermissions,
    pub typos: Vec<Typo>,
    pub licenses: Licenses,
    pub editions: Editions,
    pub profiles: Profiles,
    pub permission_dependencies: Vec<PermissionDependency>,
    pub vendor: Vendor,
    /// Errors in the embedded files (a build problem; tests assert it is empty).
    pub errors: Vec<String>,
}

#[derive(Deserialize, Default)]
struct TypoFile {
    typos: Vec<Typo>,
}

/// One embedded file (JSON, converted from TOML by build.rs), or why it cannot be read.
fn parse<T: for<'de> Deserialize<'de>>(
    file: &str,
    embedded: &Result<&str, &str>,
) -> Result<T, String> {
    match embedded {
        Ok(json) => serde_json::from_str(json).map_err(|e| format!("{file}: {e}")),
        Err(e) => Err(format!("{file}: {e}")),
    }
}

fn load<T: for<'de> Deserialize<'de> + Default>(name: &str, errors: &mut Vec<String>) -> T {
    let file = format!("rules/data/{name}.toml");
    match embedded::DATA.iter().find(|(n, _)| *n == name) {
        Some((_, embedded)) => parse(&file, embedded).unwrap_or_else(|e| {
            errors.push(e);
            T::default()
        }),
        None => {
            errors.push(format!("{file} is missing"));
            T::default()
        }
    }
}

impl Registry {
    fn build() -> Registry {
        let mut errors = Vec::new();
        let mut rules = BTreeMap::new();
        for (name, embedded) in embedded::BUILTIN {
            match parse::<RuleMeta>(&format!("rules/builtin/{name}.toml"), embedded) {
                Ok(meta) => {
                    if meta.name != *name {
                        errors.push(format!(
                            "rules/builtin/{name}.toml names rule {}",
                            meta.name
                        ));
                    }
                    rules.insert(meta.name.clone(), meta);
                }
                Err(e) => errors.push(e),
            }
        }
        let typos: TypoFile = load("permission-typos", &mut errors);
        let deps: DependencyFile = load("permission-dependencies", &mut errors);
        Registry {
            rules,
            dangerous: load("dangerous-permissions", &mut errors),
            typos: typos.typos,
            licenses: load("licenses", &mut errors),
            editions: load("editions", &mut errors),
            profiles: load("integration-profiles", &mut errors),
            permission_dependencies: deps.dependencies,
            vendor: load("vendor-provisioned", &mut errors),
            errors,
        }
    }

    pub fn get(&self, rule: &str) -> Option<&RuleMeta> {
        self.rules.get(rule)
    }

    pub fn default_severity(&self, rule: &str) -> Severity {
        self.get(rule)
            .map(|r| r.severity)
            .unwrap_or(Severity::Warning)
    }

    /// Free integration seats for an edition name (case-insensitive), if the edition is known.
    pub fn free_seats(&self, edition: &str) -> Option<u32> {
        let e = edition.trim().to_ascii_lowercase();
        self.editions
            .editions
            .iter()
            .find(|ed| ed.names.iter().any(|n| n.to_ascii_lowercase() == e))
            .map(|ed| ed.free_integration_seats)
    }

    /// Tier and severity of a dangerous user permission.
    pub fn dangerous_tier(&self, permission: &str) -> Option<&Tier> {
        self.dangerous.tiers.iter().find(|t| {
            t.permissions
                .iter()
                .any(|p| p.eq_ignore_ascii_case(permission))
        })
    }
}

/// The built-in registry (parsed once).
pub fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(Registry::build)
}

/// The README rule table (Markdown), generated from the registry; a test keeps the README in sync.
pub fn markdown_table() -> String {
    let mut s = String::from(
        "| rule | default | fix | what it finds | compliance |\n|---|---|---|---|---|\n",
    );
    for r in registry().rules.values() {
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            r.name,
            r.severity,
            if r.fixable { "yes" } else { "" },
            r.summary.replace('|', "\\|"),
            r.compliance().join("; ").replace('|', "\\|")
        ));
    }
    s
}
