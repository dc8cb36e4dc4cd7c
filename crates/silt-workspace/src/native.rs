//! The native host: `std::fs`, standard streams, and a rayon pool that reads and checks files in
//! parallel (results in the entries' order, so output does not depend on the thread count).

use crate::discover::Entry;
use crate::host::{DirEntry, ErrorKind, Host, HostError, HostResult, Kind};
use rayon::prelude::*;
use silt_core::{FileResult, Linter};
use std::fs;
use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;

#[derive(Debug, Default, Clone, Copy)]
pub struct NativeHost;

fn err(e: io::Error) -> HostError {
    HostError {
        kind: match e.kind() {
            io::ErrorKind::NotFound => ErrorKind::NotFound,
            io::ErrorKind::AlreadyExists => ErrorKind::AlreadyExists,
            _ => ErrorKind::Other,
        },
        // The OS's words only (some std errors repeat the path).
        message: match e.raw_os_error() {
            Some(code) => io::Error::from_raw_os_error(code).to_string(),
            None => e.to_string(),
        },
    }
}

fn kind_of(t: fs::FileType) -> Kind {
    if t.is_symlink() {
        Kind::Link
    } else if t.is_dir() {
        Kind::Dir
    } else if t.is_file() {
        Kind::File
    } else {
        Kind::Other
    }
}

fn string(p: &Path) -> HostResult<String> {
    p.to_str().map(str::to_string).ok_or_else(|| HostError {
        kind: ErrorKind::Other,
        message: "path is not valid UTF-8".into(),
    })
}

impl Host for NativeHost {
    fn cwd(&self) -> HostResult<String> {
        string(&std::env::current_dir().map_err(err)?)
    }
    fn env(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
    fn stdout_is_terminal(&self) -> bool {
        io::stdout().is_terminal()
    }
    fn list(&self, dir: &str) -> HostResult<Vec<DirEntry>> {
        let mut out = Vec::new();
        for e in fs::read_dir(dir).map_err(err)? {
            let e = e.map_err(err)?;
            let name = e.file_name();
            let kind = e.file_type().map(kind_of).unwrap_or(Kind::Other);
            out.push(DirEntry {
                utf8: name.to_str().is_some(),
                name: name.to_string_lossy().into_owned(),
                kind,
            });
        }
        Ok(out)
    }
    fn kind(&self, path: &str, follow: bool) -> HostResult<Kind> {
        let m = if follow {
            fs::metadata(path)
        } else {
            fs::symlink_metadata(path)
        };
        Ok(kind_of(m.map_err(err)?.file_type()))
    }
    fn size(&self, path: &str) -> HostResult<u64> {
        Ok(fs::metadata(path).map_err(err)?.len())
    }
    fn realpath(&self, path: &str) -> HostResult<String> {
        string(&fs::canonicalize(path).map_err(err)?)
    }
    fn read(&self, path: &str, max: u64) -> HostResult<Vec<u8>> {
        let file = fs::File::open(path).map_err(err)?;
        let size = file.metadata().map_err(err)?.len();
        let mut bytes = Vec::with_capacity(usize::try_from(size.min(max)).unwrap_or(0));
        // Never more than the limit (plus one byte, so growth past it shows) should it grow meanwhile.
        file.take(max.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(err)?;
        Ok(bytes)
    }
    fn write(&self, path: &str, bytes: &[u8]) -> HostResult<()> {
        fs::write(path, bytes).map_err(err)
    }
    fn create_new(&self, path: &str, bytes: &[u8]) -> HostResult<()> {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(err)?;
        f.write_all(bytes).map_err(err)
    }
    /// A temporary file beside the original with its permissions, flushed to disk, renamed over it:
    /// a crash leaves the old or the new file, never half of one.
    fn replace(&self, path: &str, bytes: &[u8]) -> HostResult<()> {
        let p = Path::new(path);
        let dir = p.parent().unwrap_or(Path::new("."));
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let permissions = fs::metadata(p).map_err(err)?.permissions();
        let tmp = dir.join(format!(".{name}.silt-{}.tmp", std::process::id()));
        let result = (|| {
            let mut f = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)?;
            f.write_all(bytes)?;
            f.set_permissions(permissions)?;
            f.sync_all()?;
            fs::rename(&tmp, p)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result.map_err(err)
    }
    /// Ignores a closed pipe (`silt lint | head`).
    fn stdout(&self, bytes: &[u8]) {
        let mut lock = io::stdout().lock();
        let _ = lock.write_all(bytes);
        let _ = lock.flush();
    }
    fn stderr(&self, bytes: &[u8]) {
        let _ = io::stderr().lock().write_all(bytes);
    }
    fn git(&self, dir: &str, args: &[&str], stdin: &[u8]) -> HostResult<Vec<u8>> {
        use std::process::{Command, Stdio};
        let mut child = Command::new("git")
            .current_dir(dir)
            .args(args)
            .env("GIT_OPTIONAL_LOCKS", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| HostError {
                kind: ErrorKind::Other,
                message: format!("cannot run git: {}", err(e).message),
            })?;
        // Feed stdin from another thread so that a large output cannot block the input.
        let input = child.stdin.take();
        let output = std::thread::scope(|s| {
            if let Some(mut pipe) = input {
                s.spawn(move || {
                    let _ = pipe.write_all(stdin);
                });
            }
            child.wait_with_output()
        })
        .map_err(err)?;
        if output.status.success() {
            Ok(output.stdout)
        } else {
            let message = String::from_utf8_lossy(&output.stderr).trim().to_string();
            Err(HostError {
                kind: ErrorKind::Other,
                message: if message.is_empty() {
                    format!(
                        "git {} failed ({})",
                        args.first().unwrap_or(&""),
                        output.status
                    )
                } else {
                    message
                },
            })
        }
    }
    fn check_all(
        &self,
        linter: &Linter,
        entries: &[Entry],
        threads: Option<usize>,
        digests: bool,
    ) -> Vec<(FileResult, Option<u64>)> {
        let mut builder = rayon::ThreadPoolBuilder::new();
        if let Some(n) = threads.filter(|n| *n > 0) {
            builder = builder.num_threads(n);
        }
        let check = |e: &Entry| crate::run::check_one(self, linter, e, digests);
        match builder.build() {
            Ok(pool) => pool.install(|| entries.par_iter().map(check).collect()),
            // No threads to be had: one at a time.
            Err(_) => entries.iter().map(check).collect(),
        }
    }
}
