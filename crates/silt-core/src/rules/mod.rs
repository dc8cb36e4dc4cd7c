//! Built-in rules needing joins, one file per family. Metadata lives in `rules/builtin/*.toml`.

pub mod policy;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::org::Org;

pub fn run_all(_org: &Org, _config: &Config, _out: &mut Vec<Diagnostic>) {}
