//! The policy engine for declarative (TOML) rules. Placeholder until the engine lands.

use crate::config::ConfigError;
use crate::diagnostic::Diagnostic;
use crate::files::FileKind;
use crate::xml::Document;
use crate::FileCtx;

#[derive(Debug, Default, Clone)]
pub struct PolicySet {}

impl PolicySet {
    pub fn load(&mut self, _path: &str, _text: &str) -> Result<(), ConfigError> {
        Ok(())
    }
    pub fn get(&self, _name: &str) -> Option<&crate::registry::RuleMeta> {
        None
    }
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::empty()
    }
    pub fn check(&self, _ctx: &FileCtx, _doc: &Document, _kind: &FileKind, _out: &mut Vec<Diagnostic>) {}
}
