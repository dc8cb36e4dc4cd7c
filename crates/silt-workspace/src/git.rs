//! A git revision as a file system: `silt diff REV` and `silt lint --new-since REV` read the project
//! as it was at REV from git's objects, never from the working tree, through the host's `git`
//! program ([`Host::git`]). [`GitTree`] is a [`Host`] whose folders and files below the repository's
//! top level are those of the revision's tree, so discovery, configuration and checking run exactly as
//! for a folder (one implementation of the discovery rules). Outside the repository it is the host
//! itself (a `silt.toml` above the repository applies to both sides).
//!
//! Cost: one `git ls-tree` for the whole tree, then the discovered files' blobs in `git cat-file
//! --batch` calls of at most [`CHUNK`] bytes each, checked as they arrive.

use crate::discover::Entry;
use crate::host::{self, DirEntry, ErrorKind, Host, HostError, HostResult, Kind};
use silt_core::{FileResult, Linter};
use std::collections::HashMap;

/// At most this many blob bytes per `git cat-file --batch` call (and in memory at once).
pub const CHUNK: u64 = 64 << 20;

struct Blob {
    oid: String,
    size: u64,
    link: bool,
}

/// A git revision's tree, served as a file system below the repository's top level.
pub struct GitTree<'h> {
    inner: &'h dyn Host,
    /// The repository's top level (absolute, as git gives it).
    top: String,
    /// The full commit id.
    pub commit: String,
    files: HashMap<String, Blob>,
    dirs: HashMap<String, Vec<DirEntry>>,
}

fn not_found(path: &str) -> HostError {
    HostError {
        kind: ErrorKind::NotFound,
        message: format!("`{path}` is not in the revision"),
    }
}

impl<'h> GitTree<'h> {
    /// Read the tree of `rev` of the repository that holds `dir`. Errors: not a repository, not a
    /// revision (with git's words).
    pub fn open(inner: &'h dyn Host, dir: &str, rev: &str) -> Result<GitTree<'h>, String> {
        if rev.starts_with('-') || rev.is_empty() || rev.contains('\0') {
            return Err(format!("`{rev}` is not a git revision"));
        }
        let text = |b: Vec<u8>| String::from_utf8_lossy(&b).trim().to_string();
        let top = inner
            .git(dir, &["rev-parse", "--show-toplevel"], &[])
            .map(text)
            .map_err(|e| {
                format!("`{rev}` is not a folder, and {dir} is not in a git repository to read it from ({e})")
            })?;
        let commit = inner
            .git(
                dir,
                &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")],
                &[],
            )
            .map(text)
            .map_err(|e| {
                let why = if e.message.is_empty() || e.message.starts_with("git rev-parse failed") {
                    String::new()
                } else {
                    format!(": {e}")
                };
                format!("`{rev}` is neither a folder nor a revision of the git repository at {top}{why}")
            })?;
        if commit.is_empty() {
            return Err(format!(
                "`{rev}` is neither a folder nor a revision of the git repository at {top}"
            ));
        }
        let listing = inner
            .git(
                &top,
                &["ls-tree", "-r", "-z", "-l", "--full-tree", &commit],
                &[],
            )
            .map_err(|e| format!("cannot list the files of `{rev}`: {e}"))?;
        let mut tree = GitTree {
            inner,
            top: top.trim_end_matches('/').to_string(),
            commit,
            files: HashMap::new(),
            dirs: HashMap::new(),
        };
        tree.dirs.insert(tree.top.clone(), Vec::new());
        for record in listing.split(|&b| b == 0).filter(|r| !r.is_empty()) {
            let Some(tab) = record.iter().position(|&b| b == b'\t') else {
                continue;
            };
            let head = String::from_utf8_lossy(&record[..tab]);
            let mut parts = head.split_whitespace();
            let (Some(mode), Some(kind), Some(oid), Some(size)) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if kind != "blob" {
                continue; // submodules
            }
            let (path, utf8) = match std::str::from_utf8(&record[tab + 1..]) {
                Ok(p) => (p.to_string(), true),
                Err(_) => (
                    String::from_utf8_lossy(&record[tab + 1..]).into_owned(),
                    false,
                ),
            };
            let abs = host::join(&tree.top, &path);
            let link = mode == "120000";
            tree.add_parents(&abs, utf8, if link { Kind::Link } else { Kind::File });
            tree.files.insert(
                abs,
                Blob {
                    oid: oid.to_string(),
                    size: size.parse().unwrap_or(0),
                    link,
                },
            );
        }
        Ok(tree)
    }

    /// Register `abs` in its folder, and its folders in theirs.
    fn add_parents(&mut self, abs: &str, utf8: bool, kind: Kind) {
        let mut child = abs.to_string();
        let mut kind = kind;
        let mut utf8 = utf8;
        while let Some(parent) = host::parent(&child).map(str::to_string) {
            if !host::is_under(&parent, &self.top) {
                break;
            }
            let name = child[parent.trim_end_matches('/').len() + 1..].to_string();
            let known = self.dirs.contains_key(&parent);
            let entries = self.dirs.entry(parent.clone()).or_default();
            if !entries.iter().any(|e| e.name == name) {
                entries.push(DirEntry { name, utf8, kind });
            }
            if known || parent == self.top {
                break;
            }
            child = parent;
            kind = Kind::Dir;
            utf8 = true;
        }
    }

    fn inside(&self, path: &str) -> bool {
        host::is_under(path, &self.top)
    }

    /// The bytes of the files at absolute paths `paths`, in order (`None`: not there, larger than
    /// `max`, unreadable): the revision's blobs in `cat-file --batch` calls of at most [`CHUNK`]
    /// bytes, not one `git` run per file.
    pub fn read_many(&self, paths: &[&str], max: u64) -> Vec<Option<Vec<u8>>> {
        let mut out: Vec<Option<Vec<u8>>> = vec![None; paths.len()];
        // (index, oid, size) of the blobs to read.
        let mut todo: Vec<(usize, &str, u64)> = Vec::new();
        for (i, p) in paths.iter().enumerate() {
            match self.files.get(*p) {
                Some(b) if !b.link => {
                    if b.size <= max {
                        todo.push((i, &b.oid, b.size));
                    }
                }
                _ => out[i] = self.read(p, max).ok(),
            }
        }
        let mut start = 0;
        while start < todo.len() {
            let mut end = start;
            let mut bytes = 0u64;
            while end < todo.len() && (end == start || bytes + todo[end].2 <= CHUNK) {
                bytes += todo[end].2;
                end += 1;
            }
            let chunk = &todo[start..end];
            let oids: Vec<&str> = chunk.iter().map(|t| t.1).collect();
            if let Ok(blobs) = self.blobs(&oids) {
                for (t, b) in chunk.iter().zip(blobs) {
                    out[t.0] = Some(b);
                }
            }
            start = end;
        }
        out
    }

    /// Blobs by object id, in one `git cat-file --batch` call.
    fn blobs(&self, oids: &[&str]) -> HostResult<Vec<Vec<u8>>> {
        let mut input = String::new();
        for o in oids {
            input.push_str(o);
            input.push('\n');
        }
        let out = self
            .inner
            .git(&self.top, &["cat-file", "--batch"], input.as_bytes())?;
        let mut blobs = Vec::with_capacity(oids.len());
        let mut at = 0usize;
        for oid in oids {
            let bad = || HostError {
                kind: ErrorKind::Other,
                message: format!("git cat-file gave no contents for object {oid}"),
            };
            let nl = out[at..].iter().position(|&b| b == b'\n').ok_or_else(bad)? + at;
            let header = String::from_utf8_lossy(&out[at..nl]);
            let size: usize = header
                .rsplit(' ')
                .next()
                .and_then(|s| s.parse().ok())
                .filter(|_| !header.ends_with("missing"))
                .ok_or_else(bad)?;
            let start = nl + 1;
            let end = start
                .checked_add(size)
                .filter(|&e| e <= out.len())
                .ok_or_else(bad)?;
            blobs.push(out[start..end].to_vec());
            at = end + 1; // the newline after the contents
        }
        Ok(blobs)
    }
}

impl Host for GitTree<'_> {
    fn cwd(&self) -> HostResult<String> {
        self.inner.cwd()
    }
    fn env(&self, name: &str) -> Option<String> {
        self.inner.env(name)
    }
    fn stdout_is_terminal(&self) -> bool {
        self.inner.stdout_is_terminal()
    }
    fn list(&self, dir: &str) -> HostResult<Vec<DirEntry>> {
        if !self.inside(dir) {
            return self.inner.list(dir);
        }
        self.dirs
            .get(dir.trim_end_matches('/'))
            .cloned()
            .ok_or_else(|| not_found(dir))
    }
    fn kind(&self, path: &str, follow: bool) -> HostResult<Kind> {
        if !self.inside(path) {
            return self.inner.kind(path, follow);
        }
        let path = path.trim_end_matches('/');
        if self.dirs.contains_key(path) {
            return Ok(Kind::Dir);
        }
        match self.files.get(path) {
            // Links are never followed by discovery; a followed one is not a regular file here.
            Some(b) if b.link => Ok(if follow { Kind::Other } else { Kind::Link }),
            Some(_) => Ok(Kind::File),
            None => Err(not_found(path)),
        }
    }
    fn size(&self, path: &str) -> HostResult<u64> {
        if !self.inside(path) {
            return self.inner.size(path);
        }
        self.files
            .get(path)
            .map(|b| b.size)
            .ok_or_else(|| not_found(path))
    }
    fn realpath(&self, path: &str) -> HostResult<String> {
        if !self.inside(path) {
            return self.inner.realpath(path);
        }
        let p = path.trim_end_matches('/');
        if self.dirs.contains_key(p) || self.files.get(p).is_some_and(|b| !b.link) {
            Ok(p.to_string())
        } else {
            Err(not_found(path))
        }
    }
    fn read(&self, path: &str, max: u64) -> HostResult<Vec<u8>> {
        if !self.inside(path) {
            return self.inner.read(path, max);
        }
        let blob = self.files.get(path).ok_or_else(|| not_found(path))?;
        let mut bytes = self
            .inner
            .git(&self.top, &["cat-file", "blob", &blob.oid], &[])?;
        bytes.truncate(usize::try_from(max.saturating_add(1)).unwrap_or(usize::MAX));
        Ok(bytes)
    }
    fn write(&self, path: &str, bytes: &[u8]) -> HostResult<()> {
        self.inner.write(path, bytes)
    }
    fn create_new(&self, path: &str, bytes: &[u8]) -> HostResult<()> {
        self.inner.create_new(path, bytes)
    }
    fn replace(&self, path: &str, bytes: &[u8]) -> HostResult<()> {
        self.inner.replace(path, bytes)
    }
    fn stdout(&self, bytes: &[u8]) {
        self.inner.stdout(bytes)
    }
    fn stderr(&self, bytes: &[u8]) {
        self.inner.stderr(bytes)
    }
    fn git(&self, dir: &str, args: &[&str], stdin: &[u8]) -> HostResult<Vec<u8>> {
        self.inner.git(dir, args, stdin)
    }

    /// The discovered files' blobs in `cat-file --batch` calls of at most [`CHUNK`] bytes, each chunk
    /// checked (in parallel where the build has threads) before the next is read.
    fn check_all(
        &self,
        linter: &Linter,
        entries: &[Entry],
        threads: Option<usize>,
        digests: bool,
    ) -> Vec<(FileResult, Option<u64>)> {
        let mut out: Vec<Option<(FileResult, Option<u64>)>> = vec![None; entries.len()];
        // (entry index, rel, oid, size) of the files to read.
        let mut todo: Vec<(usize, &str, &str, u64)> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            match e {
                Entry::Unreadable { rel, message } => {
                    out[i] = Some((FileResult::unreadable(rel, message), None))
                }
                Entry::File { rel, abs } => match self.files.get(abs.as_str()) {
                    Some(b) if !b.link => match linter.check_size(rel, b.size) {
                        Some(too_large) => out[i] = Some((too_large, None)),
                        None => todo.push((i, rel, &b.oid, b.size)),
                    },
                    _ => {
                        // Outside the repository: the host reads it.
                        out[i] = Some(crate::run::check_one(self, linter, e, digests));
                    }
                },
            }
        }
        let mut start = 0;
        while start < todo.len() {
            let mut end = start;
            let mut bytes = 0u64;
            while end < todo.len() && (end == start || bytes + todo[end].3 <= CHUNK) {
                bytes += todo[end].3;
                end += 1;
            }
            let chunk = &todo[start..end];
            let oids: Vec<&str> = chunk.iter().map(|t| t.2).collect();
            match self.blobs(&oids) {
                Ok(blobs) => {
                    let items: Vec<(&str, &[u8])> = chunk
                        .iter()
                        .zip(&blobs)
                        .map(|(t, b)| (t.1, b.as_slice()))
                        .collect();
                    let results = crate::run::check_bytes(linter, &items, threads, digests);
                    for (t, r) in chunk.iter().zip(results) {
                        out[t.0] = Some(r);
                    }
                }
                Err(e) => {
                    for t in chunk {
                        out[t.0] = Some((
                            FileResult::unreadable(t.1, &format!("cannot read file from git: {e}")),
                            None,
                        ));
                    }
                }
            }
            start = end;
        }
        out.into_iter()
            .zip(entries)
            .map(|(r, e)| r.unwrap_or_else(|| (FileResult::unreadable(e.rel(), "not read"), None)))
            .collect()
    }
}
