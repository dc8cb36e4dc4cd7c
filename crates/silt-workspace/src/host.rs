//! The host file system: the only way the workspace layer touches the outside world.
//!
//! Paths are absolute, with `/` separators. The native host maps them to `std::fs`; the Wasm build
//! fills them from JavaScript (Node's `fs`, a browser's dropped files, an editor's buffers).

use silt_core::{FileResult, Linter};

/// What a path is, without following a final symbolic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    Link,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntry {
    /// The name; lossy when `utf8` is false (such a file is reported, never read).
    pub name: String,
    pub utf8: bool,
    pub kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    AlreadyExists,
    Other,
}

/// A host I/O error: its kind and the message users see (native: the OS's, e.g. `Permission denied
/// (os error 13)`; other hosts give the same text for the same error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostError {
    pub kind: ErrorKind,
    pub message: String,
}

impl std::fmt::Display for HostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

pub type HostResult<T> = Result<T, HostError>;

pub trait Host {
    /// The current folder (absolute).
    fn cwd(&self) -> HostResult<String>;
    /// An environment variable (only `NO_COLOR` is asked).
    fn env(&self, name: &str) -> Option<String>;
    /// Whether standard output is a terminal (colours in `--color auto`).
    fn stdout_is_terminal(&self) -> bool;
    /// The entries of a folder (any order).
    fn list(&self, dir: &str) -> HostResult<Vec<DirEntry>>;
    /// What `path` is; with `follow`, after following symbolic links.
    fn kind(&self, path: &str, follow: bool) -> HostResult<Kind>;
    /// A file's size in bytes (following links).
    fn size(&self, path: &str) -> HostResult<u64>;
    /// The canonical path: absolute, every link resolved.
    fn realpath(&self, path: &str) -> HostResult<String>;
    /// A file's bytes, at most `max` (a host may stop reading past it).
    fn read(&self, path: &str, max: u64) -> HostResult<Vec<u8>>;
    /// Create or truncate a file (outputs, baselines).
    fn write(&self, path: &str, bytes: &[u8]) -> HostResult<()>;
    /// Create a file that must not exist yet (`silt init`).
    fn create_new(&self, path: &str, bytes: &[u8]) -> HostResult<()>;
    /// Replace an existing file atomically, keeping its permissions (`--fix`).
    fn replace(&self, path: &str, bytes: &[u8]) -> HostResult<()>;
    fn stdout(&self, bytes: &[u8]);
    fn stderr(&self, bytes: &[u8]);

    /// Run the `git` program in folder `dir` with `args`, feeding it `stdin`; its standard output.
    /// A non-zero exit is an error whose message is git's standard error (`silt diff REV`,
    /// `silt lint --new-since REV` read a revision's files from git's objects this way).
    fn git(&self, _dir: &str, _args: &[&str], _stdin: &[u8]) -> HostResult<Vec<u8>> {
        Err(HostError {
            kind: ErrorKind::Other,
            message: "git is not available in this host".into(),
        })
    }

    /// Read and check every entry. Hosts with threads override this (the native host uses a pool
    /// of `threads`); the results keep the entries' order either way.
    fn check_all(
        &self,
        linter: &Linter,
        entries: &[crate::discover::Entry],
        _threads: Option<usize>,
        digests: bool,
    ) -> Vec<(FileResult, Option<u64>)> {
        entries
            .iter()
            .map(|e| crate::run::check_one(self, linter, e, digests))
            .collect()
    }
}

/// `a/b` joined to `c`: `a/b/c` (no doubled slash).
pub fn join(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// The parent folder of an absolute path (`/` for `/x`), `None` for `/`.
pub fn parent(path: &str) -> Option<&str> {
    let trimmed = path.trim_end_matches('/');
    let i = trimmed.rfind('/')?;
    Some(if i == 0 { "/" } else { &trimmed[..i] })
}

/// Whether `path` is `dir` or below it.
pub fn is_under(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    path == dir
        || dir.is_empty()
        || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

/// `path` relative to `root` (both absolute), `""` for the root itself.
pub fn relative<'p>(root: &str, path: &'p str) -> &'p str {
    let root = root.trim_end_matches('/');
    if path == root {
        return "";
    }
    path.strip_prefix(root)
        .and_then(|r| r.strip_prefix('/'))
        .unwrap_or(path)
}

/// Make `p` absolute against `cwd` and drop `.` and `..` segments lexically.
pub fn absolute(cwd: &str, p: &str) -> String {
    let joined = if p.starts_with('/') {
        p.to_string()
    } else {
        join(cwd, p)
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_helpers() {
        assert_eq!(join("/a", "b"), "/a/b");
        assert_eq!(join("/", "b"), "/b");
        assert_eq!(parent("/a/b"), Some("/a"));
        assert_eq!(parent("/a"), Some("/"));
        assert_eq!(parent("/"), None);
        assert!(is_under("/a/b/c", "/a/b"));
        assert!(!is_under("/a/bc", "/a/b"));
        assert!(is_under("/a", "/"));
        assert_eq!(relative("/a", "/a/b/c"), "b/c");
        assert_eq!(relative("/a", "/a"), "");
        assert_eq!(relative("/", "/x"), "x");
        assert_eq!(absolute("/w/p", "../q/./r"), "/w/q/r");
        assert_eq!(absolute("/w", "/abs/x/.."), "/abs");
    }
}
