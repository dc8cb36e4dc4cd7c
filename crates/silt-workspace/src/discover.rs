//! Which files a run reads: the project root (`sfdx-project.json`, JSON with comments as the `sf`
//! CLI accepts), the lint root that finding paths are relative to, and the files below the given
//! paths, honouring `.forceignore`, `.ignore`, `.gitignore` at every level, `.git/info/exclude`,
//! hidden names and the configuration's include/exclude globs, with the symbolic link policy.
//!
//! One implementation for every front end: it asks a [`Host`] to list folders; it never touches the
//! OS itself. Ignore files follow ripgrep's `ignore` crate (the reference the tests compare with):
//! for each kind the deepest matching file wins, and the kinds rank `.forceignore` > `.ignore` >
//! `.gitignore` > `.git/info/exclude`. Git's files apply outside git repositories too, and a nested
//! repository does not stop its parents' `.gitignore` (as ripgrep without `require_git`).

use crate::host::{self, DirEntry, ErrorKind, Host, Kind};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use silt_core::{classify, Config, FileKind};
use std::collections::BTreeMap;
use std::path::Path;

pub const PROJECT_FILE: &str = "sfdx-project.json";

/// The ignore files of a folder, in the order they apply (`.git/info/exclude` only where `.git` is).
const IGNORE_FILES: [&str; 4] = [".forceignore", ".ignore", ".gitignore", ".git/info/exclude"];

/// Whether a lint with no `silt.toml` (so no custom rule files or user-data globs) can read `path`
/// (relative, `/`-separated): a file silt checks ([`classify`]) or an ignore file. A host that lists a
/// folder before handing it over (the browser page) need not hand over the rest: a class, a Lightning
/// component, an object's fields.
pub fn may_read(path: &str) -> bool {
    classify(path).is_some() || is_ignore_file(path)
}

/// Folders never walked, hidden or not (of `.git`, only `info/exclude` is read, as an ignore file).
/// Hosts that list a folder before handing it over (the browser page) leave these out too.
pub const SKIPPED_DIRS: &[&str] = &["node_modules", ".sfdx", ".sf", ".git"];

/// Whether a walk from the top of `path` (relative, `/`-separated) never reaches it: a folder on the
/// way is one of [`SKIPPED_DIRS`], and it is not a `.git/info/exclude`.
pub fn in_skipped_dir(path: &str) -> bool {
    let mut rest = path;
    while let Some((dir, below)) = rest.split_once('/') {
        if SKIPPED_DIRS.contains(&dir) {
            return !(dir == ".git" && below == "info/exclude");
        }
        rest = below;
    }
    false
}

/// Which of a listed folder's files a host hands over: see [`hand_over`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandOver {
    /// Indices into the listed paths, in their order.
    pub files: Vec<usize>,
    /// Whether only the files a lint without configuration can read are handed over ([`may_read`]):
    /// a configuration given afterwards (custom rule files, user-data globs) needs the whole folder.
    pub narrowed: bool,
}

/// Which of a folder's files (`paths`: relative, `/`-separated) a host that lists the folder itself
/// (the browser page) hands over for a lint of it. Files in [`SKIPPED_DIRS`] are left out. When the
/// folder has no `silt.toml` at its top and the host gives no configuration of its own
/// (`configured`), so is what [`may_read`] rejects.
pub fn hand_over<S: AsRef<str>>(paths: &[S], configured: bool) -> HandOver {
    let has_config = paths.iter().any(|p| p.as_ref() == crate::session::CONFIG_FILE);
    let narrowed = !configured && !has_config;
    let files = paths
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            let p = p.as_ref();
            !in_skipped_dir(p) && (!narrowed || may_read(p))
        })
        .map(|(i, _)| i)
        .collect();
    HandOver { files, narrowed }
}

/// Whether `path` is an ignore file ([`IGNORE_FILES`]) of any folder.
fn is_ignore_file(path: &str) -> bool {
    IGNORE_FILES.iter().any(|f| {
        path.strip_suffix(f)
            .is_some_and(|dir| dir.is_empty() || dir.ends_with('/'))
    })
}

/// Where a run looks: decided before the configuration is read (it is found from the lint root).
#[derive(Debug, Clone)]
pub struct Plan {
    /// The lint root (canonical): finding paths are relative to it.
    pub root: String,
    /// The SFDX project root (canonical), when one was found above the first path.
    pub project: Option<String>,
    /// The given paths (canonical); empty when the whole project is linted.
    pub paths: Vec<String>,
}

/// One file to lint, or one that could not be read while discovering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    File { rel: String, abs: String },
    Unreadable { rel: String, message: String },
}

impl Entry {
    pub fn rel(&self) -> &str {
        match self {
            Entry::File { rel, .. } | Entry::Unreadable { rel, .. } => rel,
        }
    }
}

/// The discovered files, sorted by relative path, and warnings for stderr.
#[derive(Debug, Default)]
pub struct Discovered {
    pub entries: Vec<Entry>,
    pub warnings: Vec<String>,
}

/// Resolve the given paths (the current folder when none) into a plan. A path that does not exist is
/// an error.
pub fn plan(host: &dyn Host, given: &[String]) -> Result<Plan, String> {
    let cwd = host
        .cwd()
        .map_err(|e| format!("cannot read the current folder: {e}"))?;
    let inputs: Vec<String> = if given.is_empty() {
        vec![cwd.clone()]
    } else {
        given.to_vec()
    };
    let mut canonical = Vec::with_capacity(inputs.len());
    for p in &inputs {
        let abs = host::absolute(&cwd, p);
        match host.kind(&abs, true) {
            Ok(_) => {}
            Err(e) if e.kind == ErrorKind::NotFound => {
                return Err(format!("path `{p}` does not exist"));
            }
            Err(e) => return Err(format!("cannot access `{p}`: {e}")),
        }
        let c = host
            .realpath(&abs)
            .map_err(|e| format!("cannot access `{p}`: {e}"))?;
        if is_dir(host, &c) {
            host.list(&c)
                .map_err(|e| format!("cannot read folder `{p}`: {e}"))?;
        }
        canonical.push(c);
    }
    let dir_of = |p: &str| -> String {
        if is_dir(host, p) {
            p.to_string()
        } else {
            host::parent(p).unwrap_or(p).to_string()
        }
    };
    let start = canonical
        .first()
        .map(|p| dir_of(p))
        .unwrap_or_else(|| cwd.clone());
    let project = ancestors(&start)
        .find(|d| is_file(host, &host::join(d, PROJECT_FILE)))
        .map(str::to_string);
    let mut bases: Vec<String> = project.iter().cloned().collect();
    bases.extend(canonical.iter().map(|p| dir_of(p)));
    let root = common_ancestor(&bases).unwrap_or(start);
    // `silt lint` and `silt lint <project root>` mean the same: the whole project.
    let whole_project = given.is_empty()
        || project
            .as_ref()
            .is_some_and(|proj| canonical.iter().all(|p| p == proj));
    let paths = if whole_project && project.is_some() {
        Vec::new()
    } else {
        canonical
    };
    Ok(Plan {
        root,
        project,
        paths,
    })
}

fn is_dir(host: &dyn Host, p: &str) -> bool {
    host.kind(p, true).is_ok_and(|k| k == Kind::Dir)
}

fn is_file(host: &dyn Host, p: &str) -> bool {
    host.kind(p, true).is_ok_and(|k| k == Kind::File)
}

/// `p` and every folder above it, deepest first.
fn ancestors(p: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(p), |d| host::parent(d))
}

/// The deepest folder containing all `paths`.
fn common_ancestor(paths: &[String]) -> Option<String> {
    let mut iter = paths.iter();
    let mut common: &str = iter.next()?;
    for p in iter {
        while !host::is_under(p, common) {
            common = host::parent(common)?;
        }
    }
    Some(common.to_string())
}

/// Package directories of an SFDX project, relative to the project root (`None`: unknown, lint all).
/// The project file is JSON with comments and trailing commas, as the `sf` CLI reads it.
fn package_dirs(host: &dyn Host, project: &str, warnings: &mut Vec<String>) -> Option<Vec<String>> {
    let bytes = host
        .read(&host::join(project, PROJECT_FILE), 16 << 20)
        .ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let value =
        jsonc_parser::parse_to_value(text.trim_start_matches('\u{feff}'), &Default::default())
            .ok()??;
    let dirs = match value {
        jsonc_parser::JsonValue::Object(o) => match o.get("packageDirectories") {
            Some(jsonc_parser::JsonValue::Array(a)) => a.clone(),
            _ => return None,
        },
        _ => return None,
    };
    let mut out = Vec::new();
    for d in dirs.iter() {
        let jsonc_parser::JsonValue::Object(o) = d else {
            continue;
        };
        let Some(jsonc_parser::JsonValue::String(p)) = o.get("path") else {
            continue;
        };
        let abs = host::absolute(project, p);
        match host.realpath(&abs) {
            Ok(c) if host::is_under(&c, project) => {
                out.push(host::relative(project, &c).to_string());
            }
            Ok(_) => warnings.push(format!(
                "package directory `{p}` in {PROJECT_FILE} is outside the project; not linted"
            )),
            Err(_) => warnings.push(format!(
                "package directory `{p}` in {PROJECT_FILE} does not exist"
            )),
        }
    }
    Some(out)
}

fn under(rel: &str, dir: &str) -> bool {
    dir.is_empty()
        || rel == dir
        || (rel.starts_with(dir) && rel.as_bytes().get(dir.len()) == Some(&b'/'))
}

/// User data kinds: read wherever they are in a project.
fn is_user_data_kind(kind: &FileKind) -> bool {
    matches!(
        kind,
        FileKind::Csv
            | FileKind::JsonData
            | FileKind::BulkXml
            | FileKind::UserDef
            | FileKind::ScratchDef
            | FileKind::SfdxProject
    )
}

/// Whether silt reads a file at `rel` at all.
fn readable_kind(rel: &str, config: &Config) -> bool {
    match classify(rel) {
        Some(FileKind::Config) => config.is_user_data(rel),
        Some(_) => true,
        None => config.is_user_data(rel),
    }
}

/// Walk the plan's paths and return the files to lint, sorted.
pub fn files(host: &dyn Host, plan: &Plan, config: &Config) -> Discovered {
    let mut w = Walker {
        host,
        root: &plan.root,
        found: BTreeMap::new(),
        warnings: Vec::new(),
    };
    if let (Some(project), true) = (&plan.project, plan.paths.is_empty()) {
        // The whole project: package directories and config/ fully, user data anywhere.
        let pkgs = package_dirs(host, project, &mut w.warnings);
        let project_prefix = host::relative(&plan.root, project).to_string();
        let accept = |rel: &str| -> bool {
            if !config.is_included(rel) {
                return false;
            }
            let in_project = rel
                .strip_prefix(project_prefix.as_str())
                .map(|r| r.trim_start_matches('/'))
                .unwrap_or(rel);
            let in_sources = under(in_project, "config")
                || match &pkgs {
                    None => true,
                    Some(dirs) => dirs.iter().any(|d| under(in_project, d)),
                };
            match classify(rel) {
                Some(FileKind::Config) => config.is_user_data(rel),
                Some(kind) => in_sources || is_user_data_kind(&kind),
                None => config.is_user_data(rel),
            }
        };
        w.walk(project, &accept);
        w.always_include(project, |_| true);
    } else {
        for path in &plan.paths {
            if is_file(host, path) {
                // A file named on the command line is linted whatever the ignore files say.
                w.add(path, true);
                continue;
            }
            let accept = |rel: &str| config.is_included(rel) && readable_kind(rel, config);
            w.walk(path, &accept);
        }
        if let Some(project) = &plan.project {
            // The edition and the project file come from the project root even for a sub-path.
            w.always_include(project, |name| {
                name.contains("scratch-def") || name.contains("scratchdef")
            });
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut warnings = w.warnings;
    warnings.retain(|x| seen.insert(x.clone()));
    Discovered {
        entries: w.found.into_values().collect(),
        warnings,
    }
}

/// The ignore files of one folder.
struct Level {
    custom: Option<Gitignore>,
    ignore: Option<Gitignore>,
    git: Option<Gitignore>,
    exclude: Option<Gitignore>,
}

impl Level {
    /// The folder's ignore files; `None` when it has none (most folders), so matching a path
    /// costs the ignore files above it, not its depth.
    fn load(host: &dyn Host, dir: &str, warnings: &mut Vec<String>) -> Option<Level> {
        let has_git = host.kind(&host::join(dir, ".git"), false).is_ok();
        let file = |rel: &str, warnings: &mut Vec<String>| -> Option<Gitignore> {
            let path = host::join(dir, rel);
            let bytes = host.read(&path, 16 << 20).ok()?;
            let text = String::from_utf8_lossy(&bytes);
            let mut b = GitignoreBuilder::new(dir);
            for line in text.lines() {
                if let Err(e) = b.add_line(Some(Path::new(&path).to_path_buf()), line) {
                    warnings.push(format!("{path}: {e}"));
                }
            }
            match b.build() {
                Ok(g) if !g.is_empty() => Some(g),
                Ok(_) => None,
                Err(e) => {
                    warnings.push(format!("{path}: {e}"));
                    None
                }
            }
        };
        let level = Level {
            custom: file(IGNORE_FILES[0], warnings),
            ignore: file(IGNORE_FILES[1], warnings),
            git: file(IGNORE_FILES[2], warnings),
            exclude: if has_git {
                file(IGNORE_FILES[3], warnings)
            } else {
                None
            },
        };
        let any = level.custom.is_some()
            || level.ignore.is_some()
            || level.git.is_some()
            || level.exclude.is_some();
        any.then_some(level)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    None,
    Ignore,
    Whitelist,
}

fn verdict<T>(m: Match<T>) -> Verdict {
    match m {
        Match::None => Verdict::None,
        Match::Ignore(_) => Verdict::Ignore,
        Match::Whitelist(_) => Verdict::Whitelist,
    }
}

/// The ignore files' verdict on `path`, `levels` (the folders above it that have ignore files)
/// ordered from the root down.
fn matched(levels: &[Level], path: &str, is_dir: bool) -> Verdict {
    let p = Path::new(path);
    let (mut custom, mut ign, mut git, mut exclude) =
        (Verdict::None, Verdict::None, Verdict::None, Verdict::None);
    for level in levels.iter().rev() {
        let m = |g: &Option<Gitignore>| {
            g.as_ref()
                .map_or(Verdict::None, |g| verdict(g.matched(p, is_dir)))
        };
        if custom == Verdict::None {
            custom = m(&level.custom);
        }
        if ign == Verdict::None {
            ign = m(&level.ignore);
        }
        if git == Verdict::None {
            git = m(&level.git);
        }
        if exclude == Verdict::None {
            exclude = m(&level.exclude);
        }
    }
    [custom, ign, git, exclude]
        .into_iter()
        .find(|v| *v != Verdict::None)
        .unwrap_or(Verdict::None)
}

struct Walker<'a> {
    host: &'a dyn Host,
    root: &'a str,
    found: BTreeMap<String, Entry>,
    warnings: Vec<String>,
}

impl Walker<'_> {
    fn rel(&self, path: &str) -> String {
        host::relative(self.root, path).to_string()
    }

    /// Record a file (`utf8`: its name can be read back).
    fn add(&mut self, path: &str, utf8: bool) {
        let rel = self.rel(path);
        let entry = if utf8 {
            Entry::File {
                rel: rel.clone(),
                abs: path.to_string(),
            }
        } else {
            Entry::Unreadable {
                rel: rel.clone(),
                message: "file name is not valid UTF-8; rename the file".into(),
            }
        };
        self.found.entry(rel).or_insert(entry);
    }

    /// The symbolic link policy. Discovery never follows a link: a link whose target is inside the
    /// lint root is skipped silently, as the real file or folder is linted at its own path when
    /// discovery includes it there (so every real file is linted once, under one path, and link
    /// cycles or chains cost nothing); a link out of the root, or a broken one, is skipped with a
    /// warning naming the link (its target is never read or shown).
    fn link(&mut self, path: &str) {
        let shown = self.rel(path);
        match self.host.realpath(path) {
            Ok(real) if host::is_under(&real, self.root) => {}
            Ok(_) => self.warnings.push(format!(
                "`{shown}`: symbolic link pointing outside the lint root; skipped"
            )),
            Err(_) => self
                .warnings
                .push(format!("`{shown}`: broken symbolic link; skipped")),
        }
    }

    /// `sfdx-project.json` and `config/*.json` (filtered by `pick` on the lowercase file name).
    fn always_include(&mut self, project: &str, pick: impl Fn(&str) -> bool) {
        let project_file = host::join(project, PROJECT_FILE);
        if self.host.kind(&project_file, false) == Ok(Kind::File) {
            self.add(&project_file, true);
        }
        let config = host::join(project, "config");
        let Ok(mut list) = self.host.list(&config) else {
            return;
        };
        list.sort_by(|a, b| a.name.cmp(&b.name));
        for e in list {
            let name = e.name.to_ascii_lowercase();
            if !name.ends_with(".json") || name.starts_with('.') || !pick(&name) {
                continue;
            }
            let path = host::join(&config, &e.name);
            match e.kind {
                Kind::Link => self.link(&path),
                Kind::File => self.add(&path, e.utf8),
                _ => {}
            }
        }
    }

    /// Depth first, without recursion (a zip may nest folders thousands deep); `levels` holds the
    /// ignore files from the root down to the folder being listed.
    fn walk(&mut self, start: &str, accept: &dyn Fn(&str) -> bool) {
        // Ignore files of the start folder's parents apply too.
        let mut levels: Vec<Level> = Vec::new();
        let mut above: Vec<&str> = ancestors(start).skip(1).collect();
        above.reverse();
        for d in above {
            levels.extend(Level::load(self.host, d, &mut self.warnings));
        }
        // Open folders: path, sorted entries, next entry, whether it pushed ignore files.
        let mut frames: Vec<(String, Vec<DirEntry>, usize, bool)> = Vec::new();
        if let Some((list, pushed)) = self.open(start, &mut levels) {
            frames.push((start.to_string(), list, 0, pushed));
        }
        while let Some((dir, list, next, pushed)) = frames.last_mut() {
            let Some(DirEntry { name, utf8, kind }) = list.get(*next).cloned() else {
                if *pushed {
                    levels.pop();
                }
                frames.pop();
                continue;
            };
            *next += 1;
            if SKIPPED_DIRS.contains(&name.as_str()) {
                continue;
            }
            let path = host::join(dir, &name);
            let is_dir = kind == Kind::Dir;
            match matched(&levels, &path, is_dir) {
                Verdict::Ignore => continue,
                Verdict::None if name.starts_with('.') => continue,
                _ => {}
            }
            match kind {
                Kind::Link => self.link(&path),
                Kind::Dir if !utf8 => {
                    let rel = self.rel(&path);
                    self.found.entry(rel.clone()).or_insert(Entry::Unreadable {
                        rel,
                        message: "folder name is not valid UTF-8; rename the folder".into(),
                    });
                }
                Kind::Dir => {
                    if let Some((list, pushed)) = self.open(&path, &mut levels) {
                        frames.push((path, list, 0, pushed));
                    }
                }
                Kind::File => {
                    if accept(&self.rel(&path)) {
                        self.add(&path, utf8);
                    }
                }
                Kind::Other => {}
            }
        }
    }

    /// List a folder (sorted) and push its ignore files, if any (and say so); an unreadable folder
    /// is recorded.
    fn open(&mut self, dir: &str, levels: &mut Vec<Level>) -> Option<(Vec<DirEntry>, bool)> {
        match self.host.list(dir) {
            Ok(mut list) => {
                list.sort_by(|a, b| a.name.cmp(&b.name));
                let level = Level::load(self.host, dir, &mut self.warnings);
                let pushed = level.is_some();
                levels.extend(level);
                Some((list, pushed))
            }
            Err(e) => {
                let rel = self.rel(dir);
                self.found.entry(rel.clone()).or_insert(Entry::Unreadable {
                    rel,
                    message: format!("cannot read folder: {e}"),
                });
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn may_read_is_what_silt_checks_and_the_ignore_files() {
        for p in [
            "force-app/main/default/profiles/Admin.profile-meta.xml",
            "sfdx-project.json",
            "config/project-scratch-def.json",
            "data/users.csv",
            ".forceignore",
            "force-app/.gitignore",
            ".git/info/exclude",
            "pkg/.ignore",
        ] {
            assert!(may_read(p), "{p}");
        }
        for p in [
            "force-app/main/default/classes/Foo.cls",
            "force-app/main/default/classes/Foo.cls-meta.xml",
            "force-app/main/default/lwc/cmp/cmp.js",
            "force-app/main/default/objects/Account/fields/X__c.field-meta.xml",
            "README.md",
            ".git/HEAD",
            "not.forceignore",
        ] {
            assert!(!may_read(p), "{p}");
        }
    }

    #[test]
    fn skipped_dirs_but_git_exclude() {
        for p in [
            "node_modules/x/package.json",
            "a/node_modules/b.profile-meta.xml",
            ".sfdx/x.json",
            "pkg/.sf/orgs.json",
            ".git/HEAD",
            ".git/info/refs",
            "sub/.git/config",
        ] {
            assert!(in_skipped_dir(p), "{p}");
        }
        for p in [
            ".git/info/exclude",
            "sub/.git/info/exclude",
            "node_modules",
            "force-app/main/default/profiles/A.profile-meta.xml",
            "my_node_modules/x.csv",
            ".gitignore",
        ] {
            assert!(!in_skipped_dir(p), "{p}");
        }
    }

    #[test]
    fn hand_over_leaves_out_what_a_lint_never_reads() {
        let paths = [
            "force-app/main/default/profiles/A.profile-meta.xml",
            "force-app/main/default/classes/Foo.cls",
            "node_modules/x/a.permissionset-meta.xml",
            ".forceignore",
            "sfdx-project.json",
            ".git/info/exclude",
            ".git/HEAD",
            "force-app/main/default/permissionsets/B.permissionset-meta.xml",
            "rules/pack.toml",
        ];
        // No silt.toml, no configuration: what a lint without one reads.
        let h = hand_over(&paths, false);
        assert!(h.narrowed);
        assert_eq!(h.files, vec![0, 3, 4, 5, 7]);
        // A configuration from the host: everything outside skipped folders.
        let h = hand_over(&paths, true);
        assert!(!h.narrowed);
        assert_eq!(h.files, vec![0, 1, 3, 4, 5, 7, 8]);
        // The folder's own silt.toml counts as a configuration; one deeper down does not.
        let mut with = paths.to_vec();
        with.push("silt.toml");
        let h = hand_over(&with, false);
        assert!(!h.narrowed);
        assert_eq!(h.files, vec![0, 1, 3, 4, 5, 7, 8, 9]);
        with.pop();
        with.push("sub/silt.toml");
        assert!(hand_over(&with, false).narrowed);
        assert_eq!(hand_over(&[] as &[&str], false).files, Vec::<usize>::new());
    }

    #[test]
    fn common_ancestor_and_under() {
        let paths = ["/a/b/c".to_string(), "/a/b/d/e".to_string()];
        assert_eq!(common_ancestor(&paths), Some("/a/b".to_string()));
        assert_eq!(common_ancestor(&paths[..1]), Some("/a/b/c".to_string()));
        assert!(under("force-app/main/x.xml", "force-app"));
        assert!(!under("force-apps/x.xml", "force-app"));
        assert!(under("x.xml", ""));
    }
}
