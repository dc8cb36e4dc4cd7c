//! Built-in rules needing joins, one file per family. Their metadata (severity, docs, examples) lives
//! in `rules/builtin/*.toml`; simple per-element checks of users' own live in the policy engine.

mod api_access;
mod apps;
mod credentials;
mod deadlines;
mod deploy;
mod licenses;
mod permissions;
pub mod policy;
mod profiles;
mod reach;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Edit, Fix, Location, Severity};
use crate::model::Val;
use crate::org::Org;

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
    let mut cx = Ctx { org, config, out };
    profiles::check(&mut cx);
    licenses::check(&mut cx);
    permissions::check(&mut cx);
    apps::check(&mut cx);
    let reach = reach::Reach::new(org);
    deadlines::check(&mut cx, &reach);
    api_access::check(&mut cx, &reach);
    credentials::check(&mut cx, &reach);
    deploy::check(&mut cx);
}
