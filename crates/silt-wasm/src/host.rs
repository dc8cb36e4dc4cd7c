//! The JavaScript host of the workspace layer: `run(argv, host)` is the whole `silt` command line
//! (the same library as the native binary) over a file system that JavaScript supplies: Node's `fs`
//! for `npx silt` and the `sf` plugin. JavaScript only does the I/O; what a flag means, which files
//! are read and every message come from `silt-workspace`.
//!
//! A host method that fails throws; the error's `code` (`ENOENT`, `EACCES`, …, as Node names them)
//! becomes the message the native CLI prints for the same error, so outputs match byte for byte.

use crate::{check_keys, opt_bool, opt_string, read_output, JsLinter, Run, OUTPUT_KEYS};
use js_sys::{Array, Reflect, Uint8Array};
use silt_workspace::host::{self as wshost, DirEntry, ErrorKind, HostError, HostResult, Kind};
use silt_workspace::session::{self, Options, Session};
use silt_workspace::Host;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `{cwd, env, stdoutIsTerminal, list, kind, size, realpath, read, write, createNew, replace,
    /// stdout, stderr}`: see `packages/silt/lib/node-host.js`; optional `readInto` (stream.rs),
    /// `git` and `pool` (pool.rs).
    pub type JsHost;
    #[wasm_bindgen(method, catch)]
    fn cwd(this: &JsHost) -> Result<String, JsValue>;
    #[wasm_bindgen(method)]
    fn env(this: &JsHost, name: &str) -> Option<String>;
    #[wasm_bindgen(method, js_name = stdoutIsTerminal)]
    fn stdout_is_terminal(this: &JsHost) -> bool;
    /// `[[name, kind, utf8], …]` with kind `file`, `dir`, `link` or `other`.
    #[wasm_bindgen(method, catch)]
    fn list(this: &JsHost, dir: &str) -> Result<Array, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn kind(this: &JsHost, path: &str, follow: bool) -> Result<String, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn size(this: &JsHost, path: &str) -> Result<f64, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn realpath(this: &JsHost, path: &str) -> Result<String, JsValue>;
    #[wasm_bindgen(method, catch, js_name = read)]
    pub(crate) fn read_js(this: &JsHost, path: &str, max: f64) -> Result<Uint8Array, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn write(this: &JsHost, path: &str, bytes: &[u8]) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch, js_name = createNew)]
    fn create_new(this: &JsHost, path: &str, bytes: &[u8]) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch)]
    fn replace(this: &JsHost, path: &str, bytes: &[u8]) -> Result<(), JsValue>;
    #[wasm_bindgen(method)]
    fn stdout(this: &JsHost, bytes: &[u8]);
    #[wasm_bindgen(method)]
    fn stderr(this: &JsHost, bytes: &[u8]);
    /// Optional: `git(dir, args, stdin)` runs git and returns its standard output (throws with
    /// git's standard error as the message on a non-zero exit).
    #[wasm_bindgen(method, getter, js_name = git)]
    fn git_fn(this: &JsHost) -> JsValue;
}

/// Linux's words for the errors Node reports by code, as Rust's `std::io::Error` prints them.
const OS_ERRORS: &[(&str, i32, &str)] = &[
    ("EPERM", 1, "Operation not permitted"),
    ("ENOENT", 2, "No such file or directory"),
    ("EIO", 5, "Input/output error"),
    ("ENXIO", 6, "No such device or address"),
    ("EBADF", 9, "Bad file descriptor"),
    ("EAGAIN", 11, "Resource temporarily unavailable"),
    ("ENOMEM", 12, "Cannot allocate memory"),
    ("EACCES", 13, "Permission denied"),
    ("EBUSY", 16, "Device or resource busy"),
    ("EEXIST", 17, "File exists"),
    ("ENOTDIR", 20, "Not a directory"),
    ("EISDIR", 21, "Is a directory"),
    ("EINVAL", 22, "Invalid argument"),
    ("ENFILE", 23, "Too many open files in system"),
    ("EMFILE", 24, "Too many open files"),
    ("EFBIG", 27, "File too large"),
    ("ENOSPC", 28, "No space left on device"),
    ("EROFS", 30, "Read-only file system"),
    ("ENAMETOOLONG", 36, "File name too long"),
    ("ELOOP", 40, "Too many levels of symbolic links"),
];

/// The error for a Node error `code` (`ENOENT`, …): the native CLI's kind and message for it, else
/// `message()`.
fn coded(code: &str, message: impl FnOnce() -> String) -> HostError {
    let kind = match code {
        "ENOENT" => ErrorKind::NotFound,
        "EEXIST" => ErrorKind::AlreadyExists,
        _ => ErrorKind::Other,
    };
    let message = match OS_ERRORS.iter().find(|(c, _, _)| *c == code) {
        Some((_, n, text)) => format!("{text} (os error {n})"),
        None => message(),
    };
    HostError { kind, message }
}

/// What a host's `kind` (`missing`) or `size` (-1) answers for a path with nothing at it.
fn not_found() -> HostError {
    coded("ENOENT", String::new)
}

pub(crate) fn host_error(e: JsValue) -> HostError {
    let code = Reflect::get(&e, &"code".into())
        .ok()
        .and_then(|c| c.as_string())
        .unwrap_or_default();
    coded(&code, || {
        Reflect::get(&e, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "I/O error".into())
    })
}

fn kind(s: &str) -> Kind {
    match s {
        "file" => Kind::File,
        "dir" => Kind::Dir,
        "link" => Kind::Link,
        _ => Kind::Other,
    }
}

impl silt_workspace::Host for JsHost {
    fn git(&self, dir: &str, args: &[&str], stdin: &[u8]) -> HostResult<Vec<u8>> {
        let f = self.git_fn();
        let Some(f) = f.dyn_ref::<js_sys::Function>() else {
            return Err(HostError {
                kind: ErrorKind::Other,
                message: "git is not available in this host".into(),
            });
        };
        let list = Array::new();
        for a in args {
            list.push(&JsValue::from_str(a));
        }
        let out = f
            .call3(
                self,
                &JsValue::from_str(dir),
                &list,
                &Uint8Array::from(stdin),
            )
            .map_err(|e| HostError {
                kind: ErrorKind::Other,
                message: Reflect::get(&e, &"message".into())
                    .ok()
                    .and_then(|m| m.as_string())
                    .unwrap_or_else(|| "git failed".into()),
            })?;
        Ok(Uint8Array::new(&out).to_vec())
    }
    fn cwd(&self) -> HostResult<String> {
        JsHost::cwd(self).map_err(host_error)
    }
    fn env(&self, name: &str) -> Option<String> {
        JsHost::env(self, name)
    }
    fn stdout_is_terminal(&self) -> bool {
        JsHost::stdout_is_terminal(self)
    }
    fn list(&self, dir: &str) -> HostResult<Vec<DirEntry>> {
        let list = JsHost::list(self, dir).map_err(host_error)?;
        Ok(list
            .iter()
            .map(|e| {
                let e = Array::from(&e);
                DirEntry {
                    name: e.get(0).as_string().unwrap_or_default(),
                    kind: kind(&e.get(1).as_string().unwrap_or_default()),
                    utf8: e.get(2).as_bool().unwrap_or(true),
                }
            })
            .collect())
    }
    fn kind(&self, path: &str, follow: bool) -> HostResult<Kind> {
        match JsHost::kind(self, path, follow)
            .map_err(host_error)?
            .as_str()
        {
            "missing" => Err(not_found()),
            k => Ok(kind(k)),
        }
    }
    fn size(&self, path: &str) -> HostResult<u64> {
        match JsHost::size(self, path).map_err(host_error)? {
            s if s < 0.0 => Err(not_found()),
            s => Ok(s as u64),
        }
    }
    fn realpath(&self, path: &str) -> HostResult<String> {
        JsHost::realpath(self, path).map_err(host_error)
    }
    fn read(&self, path: &str, max: u64) -> HostResult<Vec<u8>> {
        crate::stream::read(self, path, max)
    }
    fn write(&self, path: &str, bytes: &[u8]) -> HostResult<()> {
        JsHost::write(self, path, bytes).map_err(host_error)
    }
    fn create_new(&self, path: &str, bytes: &[u8]) -> HostResult<()> {
        JsHost::create_new(self, path, bytes).map_err(host_error)
    }
    fn replace(&self, path: &str, bytes: &[u8]) -> HostResult<()> {
        JsHost::replace(self, path, bytes).map_err(host_error)
    }
    fn stdout(&self, bytes: &[u8]) {
        JsHost::stdout(self, bytes)
    }
    fn stderr(&self, bytes: &[u8]) {
        JsHost::stderr(self, bytes)
    }
    fn check_all(
        &self,
        linter: &silt_core::Linter,
        entries: &[silt_workspace::discover::Entry],
        threads: Option<usize>,
        digests: bool,
    ) -> Vec<(silt_core::FileResult, Option<u64>)> {
        crate::pool::check_all(self, linter, entries, threads, digests).0
    }
}

/// `silt` with `argv` (without the program name) on `host`: the exit code. Everything the native
/// CLI does, byte for byte: see `silt_workspace::cli`.
#[wasm_bindgen]
pub fn run(argv: Vec<String>, host: &JsHost) -> u8 {
    silt_workspace::cli::run(&argv, host)
}

/// The CLI's formats and `lint` options, from its own description (tests cover every one).
#[wasm_bindgen(js_name = cliSpec)]
pub fn cli_spec() -> Result<JsValue, JsError> {
    use serde::Serialize;
    silt_workspace::cli::spec()
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// A workspace opened on a host: the files discovery selects and the configuration that applies,
/// exactly as `silt lint` decides them. The browser page and the language server use it instead of
/// deciding anything themselves.
#[wasm_bindgen(js_name = Workspace)]
pub struct JsWorkspace {
    session: Session,
}

/// A thrown `Error`; a configuration error also carries `file`, `line`, `column` and `reason`.
fn workspace_error(e: &session::Error) -> JsValue {
    match e {
        session::Error::Config(c) => crate::config_error(c),
        session::Error::Other(m) => js_sys::Error::new(m).into(),
    }
}

#[doc(hidden)]
pub const WORKSPACE_KEYS: &[&str] = &["paths", "config", "noConfig", "maxFileSize"];

#[wasm_bindgen(js_class = Workspace)]
impl JsWorkspace {
    /// `options`: `{paths?: string[], config?: string, noConfig?: boolean, maxFileSize?: number}`,
    /// as `silt lint`'s arguments. Throws an `Error` for a path that does not exist or a bad
    /// configuration (with `file`, `line`, `column` and `reason` for the latter).
    #[wasm_bindgen(constructor)]
    pub fn new(host: &JsHost, options: JsValue) -> Result<JsWorkspace, JsValue> {
        crate::hook();
        check_keys(&options, &[WORKSPACE_KEYS]).map_err(JsValue::from)?;
        let mut o = Options::default();
        if !crate::is_missing(&options) {
            let paths = Reflect::get(&options, &"paths".into()).unwrap_or(JsValue::UNDEFINED);
            if let Some(a) = paths.dyn_ref::<Array>() {
                o.paths = a.iter().filter_map(|p| p.as_string()).collect();
            }
            o.config = opt_string(&options, "config").map_err(JsValue::from)?;
            o.no_config = opt_bool(&options, "noConfig").map_err(JsValue::from)?;
            o.max_file_size =
                crate::opt_size(&options, "maxFileSize", "Workspace").map_err(JsValue::from)?;
        }
        let session = Session::open(host, &o).map_err(|e| workspace_error(&e))?;
        Ok(JsWorkspace { session })
    }

    /// The lint root (absolute): finding paths are relative to it.
    #[wasm_bindgen(getter)]
    pub fn root(&self) -> String {
        self.session.plan.root.clone()
    }

    /// The SFDX project root, if any.
    #[wasm_bindgen(getter)]
    pub fn project(&self) -> Option<String> {
        self.session.plan.project.clone()
    }

    /// The configuration file that applies (absolute), if any.
    #[wasm_bindgen(getter, js_name = configPath)]
    pub fn config_path(&self) -> Option<String> {
        self.session.config_path.clone()
    }

    /// The files to lint, sorted: `{path, abs}` (path relative to the root), or `{path, error}`
    /// for one discovery could not read.
    pub fn files(&self) -> Result<JsValue, JsError> {
        let list = Array::new();
        for e in self.session.entries() {
            let o = js_sys::Object::new();
            let set = |k: &str, v: &str| Reflect::set(&o, &k.into(), &v.into());
            let ok = match e {
                silt_workspace::discover::Entry::File { rel, abs } => {
                    set("path", rel).and(set("abs", abs))
                }
                silt_workspace::discover::Entry::Unreadable { rel, message } => {
                    set("path", rel).and(set("error", message))
                }
            };
            ok.map_err(|_| JsError::new("cannot build the file list"))?;
            list.push(&o);
        }
        Ok(list.into())
    }

    /// Discovery's warnings (links skipped, package directories missing, …).
    pub fn warnings(&self) -> Vec<String> {
        self.session.discovered.warnings.clone()
    }

    /// Whether discovery selected `path` (relative to the root, or absolute).
    pub fn includes(&self, path: &str) -> bool {
        let rel = if path.starts_with('/') {
            wshost::relative(&self.session.plan.root, path)
        } else {
            path
        };
        self.session.entries().iter().any(|e| e.rel() == rel)
    }

    /// A `Linter` with this workspace's configuration and custom rules (for incremental use).
    pub fn linter(&self) -> JsLinter {
        JsLinter {
            linter: self.session.linter.clone(),
            files: Default::default(),
        }
    }

    /// Read through `host`, check and report every selected file, as `lint()` does for files
    /// handed in (`options`: `{format?, failOn?, color?, quiet?, …}`).
    pub fn lint(&self, host: &JsHost, options: JsValue) -> Result<JsValue, JsValue> {
        check_keys(&options, &[OUTPUT_KEYS])?;
        let out = read_output(&options)?;
        let report = self.session.lint(host, None);
        // The human format's code frames: the texts of the files with findings.
        let mut sources = HashMap::new();
        if out.format == silt_core::report::Format::Human {
            let max = self.session.linter.config.max_file_size();
            for d in &report.diagnostics {
                if !sources.contains_key(&d.file) {
                    let abs = wshost::join(&self.session.plan.root, &d.file);
                    if let Ok(b) = Host::read(host, &abs, max) {
                        sources.insert(d.file.clone(), b);
                    }
                }
            }
        }
        Ok(Run::new(&self.session.linter, report, sources, out)?.object_result()?)
    }
}
