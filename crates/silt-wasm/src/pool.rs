//! Checking files on several threads in Node: `npx silt` (and the `sf` plugin) give their host a
//! `pool` of worker threads (packages/silt/lib/pool.js), each with a Wasm instance of its own. The
//! instance that runs the command hands the pool the linter's spec and the file list; every instance
//! then claims the next unchecked file from a shared counter, reads and checks it, and the workers
//! send their results back as bytes (`silt_core::wire`). The running instance joins them as the
//! native CLI joins its threads' results. A file a worker did not deliver (it failed) is checked
//! again here, so a broken worker costs time, never a result. JavaScript only starts threads, counts
//! and carries bytes.

use crate::host::JsHost;
use js_sys::{Array, Reflect, Uint8Array};
use silt_core::{FileResult, Linter};
use silt_workspace::discover::Entry;
use silt_workspace::run::check_one;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `{start, claim, finish}`: see packages/silt/lib/pool.js.
    pub type JsPool;
    /// Start workers on `files` (`[rel, abs]`, or `null` for a file discovery could not read) with
    /// the linter `spec`, so that at most `threads` threads (this one included) check; how many
    /// workers were started (0: check everything here).
    #[wasm_bindgen(method, catch)]
    fn start(
        this: &JsPool,
        spec: &str,
        files: &Array,
        digests: bool,
        threads: f64,
    ) -> Result<f64, JsValue>;
    /// The index of the next file nobody has claimed, or -1.
    #[wasm_bindgen(method)]
    fn claim(this: &JsPool) -> f64;
    /// Wait for the workers and stop them: `[[index, bytes], …]` of every file they checked.
    #[wasm_bindgen(method, catch)]
    fn finish(this: &JsPool) -> Result<Array, JsValue>;
}

const FILES_PER_THREAD: usize = 32;

/// The host's pool, if it has one.
fn pool(host: &JsHost) -> Option<JsPool> {
    let p = Reflect::get(host, &JsValue::from_str("pool")).ok()?;
    p.is_object().then(|| p.unchecked_into())
}

/// `Host::check_all` of a JS host: on the host's pool when it has one and there is more than one
/// thread to use, else file by file here. The results keep the entries' order; with them, how many
/// files the workers checked.
pub(crate) fn check_all(
    host: &JsHost,
    linter: &Linter,
    entries: &[Entry],
    threads: Option<usize>,
    digests: bool,
) -> (Vec<(FileResult, Option<u64>)>, usize) {
    let here = |e: &Entry| check_one(host, linter, e, digests);
    // A thread costs tens of milliseconds to start: one per FILES_PER_THREAD files at most.
    let threads = threads
        .unwrap_or(usize::MAX)
        .min(entries.len() / FILES_PER_THREAD);
    let parallel = (threads > 1)
        .then(|| pool(host).zip(linter.spec()))
        .flatten();
    let Some((pool, spec)) = parallel else {
        return (entries.iter().map(here).collect(), 0);
    };
    let files = Array::new();
    for e in entries {
        match e {
            Entry::File { rel, abs } => files.push(&Array::of2(&rel.into(), &abs.into())),
            Entry::Unreadable { .. } => files.push(&JsValue::NULL),
        };
    }
    let started = pool
        .start(&spec, &files, digests, threads as f64)
        .unwrap_or(0.0);
    if started < 1.0 {
        return (entries.iter().map(here).collect(), 0);
    }
    let mut out: Vec<Option<(FileResult, Option<u64>)>> = entries.iter().map(|_| None).collect();
    loop {
        let i = pool.claim();
        if !(i >= 0.0 && (i as usize) < entries.len()) {
            break;
        }
        out[i as usize] = Some(here(&entries[i as usize]));
    }
    let mut delivered = 0;
    for item in pool.finish().unwrap_or_default().iter() {
        let item = Array::from(&item);
        let i = item.get(0).as_f64().unwrap_or(-1.0);
        if !(i >= 0.0 && (i as usize) < out.len()) || out[i as usize].is_some() {
            continue;
        }
        let bytes = item.get(1).dyn_into::<Uint8Array>().map(|a| a.to_vec());
        if let Ok(Ok(r)) = bytes.map(|b| silt_core::wire::decode(&b)) {
            out[i as usize] = Some(r);
            delivered += 1;
        }
    }
    let results = out
        .into_iter()
        .zip(entries)
        .map(|(r, e)| r.unwrap_or_else(|| here(e)))
        .collect();
    (results, delivered)
}

/// A worker thread's linter: built from the spec the pool was started with, it reads and checks
/// the files its thread claims and returns each result as bytes.
#[wasm_bindgen(js_name = WorkerLinter)]
pub struct JsWorkerLinter {
    linter: Linter,
}

#[wasm_bindgen(js_class = WorkerLinter)]
impl JsWorkerLinter {
    #[wasm_bindgen(constructor)]
    pub fn new(spec: &str) -> Result<JsWorkerLinter, JsError> {
        crate::hook();
        let linter = Linter::from_spec(spec).map_err(|e| JsError::new(&e))?;
        Ok(JsWorkerLinter { linter })
    }

    /// Check `bytes` as the file `path` and encode the result (the browser page's second worker,
    /// which reads the files itself).
    #[wasm_bindgen(js_name = checkBytes)]
    pub fn check_bytes(&self, path: &str, bytes: &[u8]) -> Result<Vec<u8>, JsError> {
        let path = path.replace('\\', "/");
        let (result, _) =
            silt_workspace::run::check_bytes(&self.linter, &[(&path, bytes)], None, false)
                .pop()
                .ok_or_else(|| JsError::new("checkBytes: no result"))?;
        silt_core::wire::encode(&result, None).map_err(|e| JsError::new(&e))
    }

    /// Read the file `abs` through `host`, check it as `rel` and encode the result (with the digest
    /// of its bytes when `digest`).
    pub fn check(
        &self,
        host: &JsHost,
        rel: &str,
        abs: &str,
        digest: bool,
    ) -> Result<Vec<u8>, JsError> {
        let entry = Entry::File {
            rel: rel.to_string(),
            abs: abs.to_string(),
        };
        let (result, sum) = check_one(host, &self.linter, &entry, digest);
        silt_core::wire::encode(&result, sum).map_err(|e| JsError::new(&e))
    }
}
