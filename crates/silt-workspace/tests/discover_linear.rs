//! Linear cost of ignore-file matching in discovery, the matcher every front end now shares (the
//! browser page's zip entries have no file-system limit on name length): a name of n characters
//! against patterns with many `*`, at n and 4n in one run: the test prints its figures and fails
//! when t(4n)/t(n) is above 10 (linear is 4; a backtracking matcher is far above). A path n folders
//! deep is printed too, not asserted: each folder's path is matched whole, as git and ripgrep do, so
//! a chain of n folders costs the sum of its path lengths (about 55 ms at 4,000 folders).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use silt_core::Config;
use silt_workspace::discover::{self, Plan};
use silt_workspace::host::{DirEntry, ErrorKind, Host, HostError, HostResult, Kind};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// An in-memory file system: files by absolute path; folders are implied by them.
struct MemHost {
    files: BTreeMap<String, Vec<u8>>,
}

fn missing() -> HostError {
    HostError {
        kind: ErrorKind::NotFound,
        message: "No such file or directory (os error 2)".into(),
    }
}

impl MemHost {
    fn is_dir(&self, p: &str) -> bool {
        let prefix = format!("{}/", p.trim_end_matches('/'));
        self.files
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
    }
}

impl Host for MemHost {
    fn cwd(&self) -> HostResult<String> {
        Ok("/".into())
    }
    fn env(&self, _: &str) -> Option<String> {
        None
    }
    fn stdout_is_terminal(&self) -> bool {
        false
    }
    fn list(&self, dir: &str) -> HostResult<Vec<DirEntry>> {
        let prefix = format!("{}/", dir.trim_end_matches('/'));
        let mut seen = BTreeMap::new();
        for k in self
            .files
            .range(prefix.clone()..)
            .map(|(k, _)| k)
            .take_while(|k| k.starts_with(&prefix))
        {
            let rest = &k[prefix.len()..];
            match rest.split_once('/') {
                Some((d, _)) => seen.insert(d.to_string(), Kind::Dir),
                None => seen.insert(rest.to_string(), Kind::File),
            };
        }
        Ok(seen
            .into_iter()
            .map(|(name, kind)| DirEntry {
                name,
                utf8: true,
                kind,
            })
            .collect())
    }
    fn kind(&self, path: &str, _: bool) -> HostResult<Kind> {
        if self.files.contains_key(path) {
            Ok(Kind::File)
        } else if self.is_dir(path) {
            Ok(Kind::Dir)
        } else {
            Err(missing())
        }
    }
    fn size(&self, path: &str) -> HostResult<u64> {
        self.files
            .get(path)
            .map(|b| b.len() as u64)
            .ok_or_else(missing)
    }
    fn realpath(&self, path: &str) -> HostResult<String> {
        Ok(path.to_string())
    }
    fn read(&self, path: &str, _: u64) -> HostResult<Vec<u8>> {
        self.files.get(path).cloned().ok_or_else(missing)
    }
    fn write(&self, _: &str, _: &[u8]) -> HostResult<()> {
        Err(missing())
    }
    fn create_new(&self, _: &str, _: &[u8]) -> HostResult<()> {
        Err(missing())
    }
    fn replace(&self, _: &str, _: &[u8]) -> HostResult<()> {
        Err(missing())
    }
    fn stdout(&self, _: &[u8]) {}
    fn stderr(&self, _: &[u8]) {}
}

const PATTERNS: &str = "*a*a*a*a*a*a*a*b\n**/x*y*z*w/**\n!*a*a*a*a*c\n";

/// Discovery over `files` (plus the ignore file), `reps` times: the mean time and the selection.
fn discover(files: &[String], reps: u32) -> (Duration, usize) {
    let mut host = MemHost {
        files: BTreeMap::new(),
    };
    host.files
        .insert("/p/.gitignore".into(), PATTERNS.as_bytes().to_vec());
    for f in files {
        host.files.insert(format!("/p/{f}"), b"<Profile/>".to_vec());
    }
    let plan = Plan {
        root: "/p".into(),
        project: None,
        paths: vec!["/p".into()],
    };
    let config = Config::default();
    let started = Instant::now();
    let mut n = 0;
    for _ in 0..reps {
        n = discover::files(&host, &plan, &config).entries.len();
    }
    (started.elapsed() / reps, n)
}

fn ratio(case: &str, small: &[String], large: &[String], reps: u32) -> f64 {
    discover(small, 1); // warm-up
    let (t1, n1) = discover(small, reps);
    let (t4, n4) = discover(large, reps);
    let r = t4.as_secs_f64() / t1.as_secs_f64().max(1e-9);
    eprintln!(
        "{case}: t(n) {t1:?}, t(4n) {t4:?}, ratio {r:.1} (linear = 4); {n1} and {n4} files selected"
    );
    r
}

/// One file whose name is `n` characters of `a` ending in `.profile-meta.xml`: every `*` of the
/// patterns can match almost anywhere in it, the worst case for a backtracking matcher.
fn long_name(n: usize) -> Vec<String> {
    vec![format!("{}.profile-meta.xml", "a".repeat(n))]
}

/// One file `n` folders deep.
fn deep_path(n: usize) -> Vec<String> {
    vec![format!("{}P.profile-meta.xml", "xa/".repeat(n))]
}

#[test]
fn many_stars_against_a_long_name_are_linear() {
    let r = ratio("long name", &long_name(20_000), &long_name(80_000), 5);
    assert!(r < 10.0, "long name: t(4n)/t(n) = {r:.1}");
}

#[test]
fn a_deep_path_figures() {
    ratio("deep path", &deep_path(1_000), &deep_path(4_000), 3);
}
