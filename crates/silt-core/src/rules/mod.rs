//! Built-in rules needing joins, one file per family. Their metadata (severity, docs, examples) lives
//! in `rules/builtin/*.toml`; simple per-element checks of users' own live in the policy engine.

mod api_access;
mod apps;
mod credentials;
mod deadlines;
mod deploy;
mod licenses;
mod muting;
mod permissions;
pub mod policy;
mod profiles;
mod reach;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Edit, Fix, Location, Severity};
use crate::model::Val;
use crate::org::Org;
use crate::registry::VendorEntry;
use std::collections::HashMap;

/// What every rule gets: the org, the configuration and where findings go.
pub struct Ctx<'o, 'a> {
    pub org: &'o Org<'a>,
    pub config: &'o Config,
    pub out: &'o mut Vec<Diagnostic>,
}

impl Ctx<'_, '_> {
    /// Emit a finding with the rule's default severity (from `rules/builtin`).
    pub fn emit(
        &mut self,
        rule: &str,
        message: String,
        at: &Location,
        element: String,
    ) -> &mut Diagnostic {
        let sev = self.org.registry.default_severity(rule);
        self.emit_with(rule, sev, message, at, element)
    }

    pub fn emit_with(
        &mut self,
        rule: &str,
        severity: Severity,
        message: String,
        at: &Location,
        element: String,
    ) -> &mut Diagnostic {
        self.out
            .push(Diagnostic::new(rule, severity, message, at, element));
        let last = self.out.len() - 1;
        &mut self.out[last]
    }
}

/// A fix that replaces a value's text.
pub fn replace_fix(description: String, v: &Val, new_text: &str) -> Option<Fix> {
    Some(Fix {
        description,
        edits: vec![Edit {
            file: v.at.file.clone(),
            range: v.at.range,
            new_text: new_text.to_string(),
        }],
    })
}

pub fn run_all(org: &Org, config: &Config, out: &mut Vec<Diagnostic>) {
    let start = out.len();
    let mut cx = Ctx { org, config, out };
    profiles::check(&mut cx);
    licenses::check(&mut cx);
    permissions::check(&mut cx);
    apps::check(&mut cx);
    deadlines::check(&mut cx);
    api_access::check(&mut cx);
    credentials::check(&mut cx);
    muting::check(&mut cx);
    deploy::check(&mut cx);
    vendor_notes(org, config, &mut out[start..]);
}

/// Findings on apps and profiles that Salesforce or a managed package provisions
/// (`rules/data/vendor-provisioned.toml`) name the owner and what the team can do instead, and are notes
/// unless `[integration] vendor_full_severity` is set.
fn vendor_notes(org: &Org, config: &Config, found: &mut [Diagnostic]) {
    let vendor = &org.registry.vendor;
    // File -> (API name, entry) of the vendor-provisioned apps and profiles in the project.
    let mut owned: HashMap<&str, (&str, &VendorEntry)> = HashMap::new();
    for app in org.apps.iter().copied() {
        if let Some(e) = vendor.app(app.api_name()) {
            owned.insert(&app.root.file, (app.api_name(), e));
        }
    }
    for p in org.profiles.iter().copied() {
        if let Some(e) = vendor.profile(&p.name) {
            for f in &p.files {
                owned.insert(f, (&p.name, e));
            }
        }
    }
    if owned.is_empty() {
        return;
    }
    for d in found.iter_mut().filter(|d| vendor.rules.contains(&d.rule)) {
        if let Some((name, e)) = owned.get(d.file.as_str()) {
            d.message.push_str(&format!(
                ". `{name}` is provisioned by {}, which owns this setting and may reset it: instead, {}",
                e.owner, e.advice
            ));
            if !config.vendor_full_severity {
                d.severity = Severity::Note;
            }
        }
    }
}
