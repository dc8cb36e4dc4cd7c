//! Streaming reads for the JavaScript hosts (`npx silt`, the language server): a file's bytes go
//! from the file straight into Wasm memory, are checked and dropped; only the small per-file result
//! is kept, as in the native CLI.
//!
//! A host with `readInto(path, buffer)` (packages/silt/lib/node-host.js) is handed a view of a
//! buffer Rust allocated in Wasm memory and fills it with `fs.readSync`: no JS `Uint8Array` is created
//! per file and no copy is made. Such JS buffers live outside the JS heap, are freed only when the
//! garbage collector gets to them, and so added up to hundreds of MB on a big project. A host
//! without `readInto` (the browser page's) is read through `read` as before.
//!
//! The browser page's worker streams a folder through a `Linter` once: it hands each file to `update`
//! as it reads it and drops the bytes; `takeReport` joins the kept results into the report and
//! forgets them.

use crate::host::JsHost;
use crate::{check_keys, read_output, JsLinter, Run, OUTPUT_KEYS};
use js_sys::{Reflect, Uint8Array};
use silt_core::FileResult;
use silt_workspace::discover::Entry;
use silt_workspace::host::HostResult;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// Fill `buffer` from the start of the file at `path`; the number of bytes read (less than the
    /// buffer's length only at the end of the file).
    #[wasm_bindgen(method, catch, js_name = readInto)]
    fn read_into(this: &JsHost, path: &str, buffer: &Uint8Array) -> Result<f64, JsValue>;
}

/// Whether the host reads into a buffer it is given.
fn reads_into(host: &JsHost) -> bool {
    Reflect::get(host, &JsValue::from_str("readInto")).is_ok_and(|f| f.is_function())
}

/// `Host::read` of a JS host: at most `max + 1` bytes of the file (the size check then sees a file
/// over the limit), straight into Wasm memory when the host can.
pub(crate) fn read(host: &JsHost, path: &str, max: u64) -> HostResult<Vec<u8>> {
    if !reads_into(host) {
        return host
            .read_js(path, max as f64)
            .map(|a| a.to_vec())
            .map_err(crate::host::host_error);
    }
    let size = silt_workspace::Host::size(host, path)?;
    let want = usize::try_from(size.min(max.saturating_add(1))).unwrap_or(usize::MAX);
    let mut buf: Vec<u8> = Vec::new();
    if buf.try_reserve_exact(want).is_err() {
        return Err(silt_workspace::host::HostError {
            kind: silt_workspace::host::ErrorKind::Other,
            message: "Cannot allocate memory (os error 12)".into(),
        });
    }
    buf.resize(want, 0);
    // SAFETY: the view covers `buf`'s initialised bytes and is used only during `readInto`, which
    // runs no Wasm code: Wasm memory cannot grow (and detach the view) meanwhile, and `buf` is
    // neither moved nor dropped before the call returns.
    let view = unsafe { Uint8Array::view_mut_raw(buf.as_mut_ptr(), buf.len()) };
    let n = host
        .read_into(path, &view)
        .map_err(crate::host::host_error)?;
    let n = if n.is_finite() && n >= 0.0 {
        (n as usize).min(buf.len())
    } else {
        0
    };
    buf.truncate(n);
    Ok(buf)
}

#[wasm_bindgen(js_class = Linter)]
impl JsLinter {
    /// Incremental use: read the file at `abs` through `host` (straight into Wasm memory, see
    /// `readInto`), check it and keep its result under `path` (relative to the lint root) until the
    /// next `update`, `read` or `remove` of that path; the bytes are dropped. Files over the size limit
    /// are not read; a file that cannot be read gets a `parse-error`, as in `silt lint`.
    #[wasm_bindgen(js_name = read)]
    pub fn read_file(&mut self, host: &JsHost, path: &str, abs: &str) {
        crate::hook();
        let rel = path.replace('\\', "/");
        let entry = Entry::File {
            rel: rel.clone(),
            abs: abs.to_string(),
        };
        let (result, _) = silt_workspace::run::check_one(host, &self.linter, &entry, false);
        self.files.insert(rel, result);
    }

    /// `read` of many files at once (`files`: `[{path, abs}, …]`), on the host's worker threads when
    /// it has a `pool` (packages/silt/lib/pool.js): the language server's first lint of a workspace.
    /// How many of the files the worker threads checked.
    #[wasm_bindgen(js_name = readAll)]
    pub fn read_all(&mut self, host: &JsHost, files: JsValue) -> Result<u32, JsError> {
        crate::hook();
        let bad = || JsError::new("readAll: `files` must be an array of {path, abs} (strings)");
        let list = files.dyn_ref::<js_sys::Array>().ok_or_else(bad)?;
        let mut entries = Vec::with_capacity(list.length() as usize);
        for f in list.iter() {
            let get = |k: &str| Reflect::get(&f, &k.into()).ok().and_then(|v| v.as_string());
            let (Some(rel), Some(abs)) = (get("path"), get("abs")) else {
                return Err(bad());
            };
            let rel = rel.replace('\\', "/");
            entries.push(Entry::File { rel, abs });
        }
        let (results, on_workers) =
            crate::pool::check_all(host, &self.linter, &entries, None, false);
        for ((result, _), entry) in results.into_iter().zip(entries) {
            self.files.insert(entry.rel().to_string(), result);
        }
        Ok(u32::try_from(on_workers).unwrap_or(u32::MAX))
    }

    /// The spec a `WorkerLinter` in another worker builds this same linter from (`undefined` for a
    /// linter not made by a `Workspace`).
    pub fn spec(&self) -> Option<String> {
        self.linter.spec()
    }

    /// Keep a result a `WorkerLinter` encoded (`checkBytes`) under `path`; false (nothing kept) for
    /// bytes that are not such a result.
    #[wasm_bindgen(js_name = keepEncoded)]
    pub fn keep_encoded(&mut self, path: &str, bytes: &[u8]) -> bool {
        match silt_core::wire::decode(bytes) {
            Ok((result, _)) => {
                self.files.insert(path.replace('\\', "/"), result);
                true
            }
            Err(_) => false,
        }
    }

    /// Like `report`, but the kept results go into the report and are forgotten (the next `report`
    /// is empty until files are given again): one join, no copy of any file's diagnostics.
    /// `options`: `{format?, failOn?, color?, quiet?}`.
    #[wasm_bindgen(js_name = takeReport)]
    pub fn take_report(&mut self, options: JsValue) -> Result<JsValue, JsValue> {
        check_keys(&options, &[OUTPUT_KEYS])?;
        let out = read_output(&options)?;
        let files = std::mem::take(&mut self.files).into_vec();
        let report = self.linter.finish(files);
        Ok(Run::new(&self.linter, report, HashMap::new(), out)?.object_result()?)
    }

    /// How many files the linter keeps results of (incremental use).
    #[wasm_bindgen(getter, js_name = fileCount)]
    pub fn file_count(&self) -> usize {
        self.files.len()
    }
}

/// The per-file results an incremental `Linter` keeps, sorted by path: `report` and `access` borrow
/// them as one slice (`Linter::finish_kept`), so joining them never copies a project's results (a
/// copy of every file's results doubled the language server's memory on a big project).
#[derive(Default)]
pub(crate) struct Kept(Vec<FileResult>);

impl Kept {
    fn find(&self, path: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|f| f.path.as_str().cmp(path))
    }

    /// Keep `result` under `path` (its `path` is set to it), replacing an earlier one.
    pub(crate) fn insert(&mut self, path: String, mut result: FileResult) {
        match self.find(&path) {
            Ok(i) => {
                result.path = path;
                self.0[i] = result;
            }
            Err(i) => {
                result.path = path;
                self.0.insert(i, result);
            }
        }
    }

    pub(crate) fn remove(&mut self, path: &str) {
        if let Ok(i) = self.find(path) {
            self.0.remove(i);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn as_slice(&self) -> &[FileResult] {
        &self.0
    }

    pub(crate) fn into_vec(self) -> Vec<FileResult> {
        self.0
    }
}
