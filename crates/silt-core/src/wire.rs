//! One file's result as bytes, to hand it from one Wasm instance to another: the Node host checks
//! files in worker threads, each with an instance of its own, and the instance that joins the
//! results decodes them. postcard (compact, fast); a location's file, which is the result's own
//! path in nearly every case, is written as `""` and decoded as one path shared by all of them.
//! Diagnostics, whose JSON form skips empty fields, travel as JSON.

use crate::diagnostic::Diagnostic;
use crate::files::FileKind;
use crate::model::Metadata;
use crate::suppress::Suppression;
use crate::FileResult;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::sync::Arc;

thread_local! {
    /// The path of the result being encoded or decoded.
    static FILE: RefCell<Option<Arc<str>>> = const { RefCell::new(None) };
}

/// Whether a location's `file` is written as `""` (it is the path of the result being encoded).
pub(crate) fn elided(file: &Arc<str>) -> bool {
    FILE.with(|f| f.borrow().as_deref().is_some_and(|p| p == &**file))
}

/// A decoded location's file: `""` is the path of the result being decoded (shared).
pub(crate) fn file(s: String) -> Arc<str> {
    if s.is_empty() {
        if let Some(p) = FILE.with(|f| f.borrow().clone()) {
            return p;
        }
    }
    s.into()
}

/// Sets the path for the duration of one encode or decode.
struct Scope;

impl Scope {
    fn new(path: &str) -> Scope {
        FILE.with(|f| *f.borrow_mut() = Some(path.into()));
        Scope
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        FILE.with(|f| *f.borrow_mut() = None);
    }
}

#[derive(Serialize)]
struct Out<'a> {
    path: &'a str,
    kind: &'a Option<FileKind>,
    diagnostics: String,
    metadata: &'a [Metadata],
    suppressions: &'a [Suppression],
    digest: Option<u64>,
}

#[derive(Deserialize)]
struct In {
    path: String,
    kind: Option<FileKind>,
    diagnostics: String,
    metadata: Vec<Metadata>,
    suppressions: Vec<Suppression>,
    digest: Option<u64>,
}

/// `result` (and the digest of the file's bytes, when kept) as bytes for [`decode`].
pub fn encode(result: &FileResult, digest: Option<u64>) -> Result<Vec<u8>, String> {
    let diagnostics = serde_json::to_string(&result.diagnostics).map_err(|e| e.to_string())?;
    let _scope = Scope::new(&result.path);
    postcard::to_allocvec(&Out {
        path: &result.path,
        kind: &result.kind,
        diagnostics,
        metadata: &result.metadata,
        suppressions: &result.suppressions,
        digest,
    })
    .map_err(|e| e.to_string())
}

/// The result and digest [`encode`] wrote.
pub fn decode(bytes: &[u8]) -> Result<(FileResult, Option<u64>), String> {
    // The path comes first: read it alone, then the rest with it in scope.
    let (path, _) = postcard::take_from_bytes::<String>(bytes).map_err(|e| e.to_string())?;
    let _scope = Scope::new(&path);
    let w: In = postcard::from_bytes(bytes).map_err(|e| e.to_string())?;
    let diagnostics: Vec<Diagnostic> =
        serde_json::from_str(&w.diagnostics).map_err(|e| e.to_string())?;
    Ok((
        FileResult {
            path: w.path,
            kind: w.kind,
            diagnostics,
            metadata: w.metadata,
            suppressions: w.suppressions,
        },
        w.digest,
    ))
}
