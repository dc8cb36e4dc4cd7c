//! User data: scratch-org user definitions, `sf data query --json`, CSV exports, Bulk API XML;
//! also `sfdx-project.json` and scratch definitions (edition). Placeholder until the parsers land.

use crate::files::FileKind;
use crate::xml::Document;
use crate::{FileCtx, FileResult};

pub fn parse(_ctx: &FileCtx, _kind: &FileKind, _result: &mut FileResult) {}

pub fn parse_bulk_xml(_ctx: &FileCtx, _doc: &Document, _result: &mut FileResult) {}
