//! The JavaScript host of the workspace layer: `run(argv, host)` is the whole `silt` command line
//! (the same library as the native binary) over a file system that JavaScript supplies: Node's `fs`
//! for `npx silt` and the `sf` plugin. JavaScript only does the I/O; what a flag means, which files
//! are read and every message come from `silt-workspace`.
//!
//! A host method that fails throws; the error's `code` (`ENOENT`, `EACCES`, …, as Node names them)
//! becomes the message the native CLI prints for the same error, so outputs match byte for byte.

use js_sys::{Array, Reflect, Uint8Array};
use silt_workspace::host::{DirEntry, ErrorKind, HostError, HostResult, Kind};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `{cwd, env, stdoutIsTerminal, list, kind, size, realpath, read, write, createNew, replace,
    /// stdout, stderr}`: see `packages/silt/lib/node-host.js`.
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
    #[wasm_bindgen(method, catch)]
    fn read(this: &JsHost, path: &str, max: f64) -> Result<Uint8Array, JsValue>;
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

fn host_error(e: JsValue) -> HostError {
    let code = Reflect::get(&e, &"code".into())
        .ok()
        .and_then(|c| c.as_string())
        .unwrap_or_default();
    let kind = match code.as_str() {
        "ENOENT" => ErrorKind::NotFound,
        "EEXIST" => ErrorKind::AlreadyExists,
        _ => ErrorKind::Other,
    };
    let message = match OS_ERRORS.iter().find(|(c, _, _)| *c == code) {
        Some((_, n, text)) => format!("{text} (os error {n})"),
        None => Reflect::get(&e, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "I/O error".into()),
    };
    HostError { kind, message }
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
        JsHost::kind(self, path, follow)
            .map(|k| kind(&k))
            .map_err(host_error)
    }
    fn size(&self, path: &str) -> HostResult<u64> {
        JsHost::size(self, path)
            .map(|s| s as u64)
            .map_err(host_error)
    }
    fn realpath(&self, path: &str) -> HostResult<String> {
        JsHost::realpath(self, path).map_err(host_error)
    }
    fn read(&self, path: &str, max: u64) -> HostResult<Vec<u8>> {
        JsHost::read(self, path, max as f64)
            .map(|a| a.to_vec())
            .map_err(host_error)
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
