//! Which files a `silt lint` run reads: the project root (`sfdx-project.json`), the lint root that
//! paths in findings are relative to, and the files below the given paths, honouring `.forceignore`,
//! `.gitignore` and the configuration's include/exclude globs.

use silt_core::{classify, Config, FileKind};
use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Where a run looks: decided before the configuration is read (the configuration is found from the
/// lint root).
#[derive(Debug, Clone)]
pub struct Plan {
    /// The lint root (canonical): finding paths are relative to it.
    pub root: PathBuf,
    /// The SFDX project root (canonical), when one was found above the first path.
    pub project: Option<PathBuf>,
    /// The given paths (canonical); empty when the whole project is linted.
    pub paths: Vec<PathBuf>,
}

/// One file to lint, or one that could not be read while discovering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    File { rel: String, abs: PathBuf },
    Unreadable { rel: String, message: String },
}

/// The discovered files, sorted by relative path, and warnings for stderr.
#[derive(Debug, Default)]
pub struct Discovered {
    pub entries: Vec<Entry>,
    pub warnings: Vec<String>,
}

pub const PROJECT_FILE: &str = "sfdx-project.json";

/// Folders never walked, hidden or not.
const SKIPPED_DIRS: &[&str] = &["node_modules", ".sfdx", ".sf", ".git"];

/// Resolve the given paths (the current folder when none) into a plan. A path that does not exist is
/// an error.
pub fn plan(given: &[PathBuf]) -> Result<Plan, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    let inputs: Vec<PathBuf> = if given.is_empty() {
        vec![cwd.clone()]
    } else {
        given.to_vec()
    };
    let mut canonical = Vec::with_capacity(inputs.len());
    for p in &inputs {
        match fs::metadata(p) {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(format!("path `{}` does not exist", p.display()));
            }
            Err(e) => return Err(format!("cannot access `{}`: {e}", p.display())),
        }
        let c = fs::canonicalize(p).map_err(|e| format!("cannot access `{}`: {e}", p.display()))?;
        if c.is_dir() {
            fs::read_dir(&c).map_err(|e| format!("cannot read folder `{}`: {e}", p.display()))?;
        }
        canonical.push(c);
    }
    let dir_of = |p: &Path| -> PathBuf {
        if p.is_dir() {
            p.to_path_buf()
        } else {
            p.parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| p.to_path_buf())
        }
    };
    let start = canonical
        .first()
        .map(|p| dir_of(p))
        .unwrap_or_else(|| cwd.clone());
    let project = start
        .ancestors()
        .find(|d| d.join(PROJECT_FILE).is_file())
        .map(Path::to_path_buf);
    let mut bases: Vec<PathBuf> = project.iter().cloned().collect();
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

/// The deepest folder containing all `paths`.
fn common_ancestor(paths: &[PathBuf]) -> Option<PathBuf> {
    let mut iter = paths.iter();
    let mut common = iter.next()?.clone();
    for p in iter {
        while !p.starts_with(&common) {
            if !common.pop() {
                return None;
            }
        }
    }
    Some(common)
}

/// `path` relative to `root`, with forward slashes; `None` when outside or not UTF-8.
fn rel_path(root: &Path, path: &Path) -> Result<String, String> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut parts = Vec::new();
    let mut lossy = Vec::new();
    let mut utf8 = true;
    for c in rel.components() {
        if let Component::Normal(s) = c {
            match s.to_str() {
                Some(s) => parts.push(s.to_string()),
                None => utf8 = false,
            }
            lossy.push(s.to_string_lossy().into_owned());
        }
    }
    if utf8 {
        Ok(parts.join("/"))
    } else {
        Err(lossy.join("/"))
    }
}

/// Package directories of an SFDX project, relative to the project root (`None`: unknown, lint all).
fn package_dirs(project: &Path, warnings: &mut Vec<String>) -> Option<Vec<String>> {
    let text = fs::read_to_string(project.join(PROJECT_FILE)).ok()?;
    let value: serde_json::Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    let dirs = value.get("packageDirectories")?.as_array()?;
    let mut out = Vec::new();
    for d in dirs {
        let Some(p) = d.get("path").and_then(|p| p.as_str()) else {
            continue;
        };
        let abs = project.join(p);
        match fs::canonicalize(&abs) {
            Ok(c) if c.starts_with(project) => {
                if let Ok(rel) = rel_path(project, &c) {
                    out.push(rel);
                }
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
pub fn files(plan: &Plan, config: &Config) -> Discovered {
    let mut found: BTreeMap<String, Entry> = BTreeMap::new();
    let mut warnings = Vec::new();
    let root = &plan.root;

    if let (Some(project), true) = (&plan.project, plan.paths.is_empty()) {
        // The whole project: package directories and config/ fully, user data anywhere.
        let pkgs = package_dirs(project, &mut warnings);
        let project_prefix = rel_path(root, project).unwrap_or_default();
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
        walk(root, project, &accept, &mut found, &mut warnings);
        always_include(root, project, |_| true, &mut found, &mut warnings);
    } else {
        for path in &plan.paths {
            if path.is_file() {
                // A file named on the command line is linted whatever the ignore files say.
                add_file(root, path, &mut found);
                continue;
            }
            let accept = |rel: &str| config.is_included(rel) && readable_kind(rel, config);
            walk(root, path, &accept, &mut found, &mut warnings);
        }
        if let Some(project) = &plan.project {
            // The edition and the project file come from the project root even for a sub-path.
            always_include(
                root,
                project,
                |name| name.contains("scratch-def") || name.contains("scratchdef"),
                &mut found,
                &mut warnings,
            );
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    warnings.retain(|w| seen.insert(w.clone()));
    Discovered {
        entries: found.into_values().collect(),
        warnings,
    }
}

/// `sfdx-project.json` and `config/*.json` (filtered by `pick` on the lowercase file name).
fn always_include(
    root: &Path,
    project: &Path,
    pick: impl Fn(&str) -> bool,
    found: &mut BTreeMap<String, Entry>,
    warnings: &mut Vec<String>,
) {
    let project_file = project.join(PROJECT_FILE);
    if project_file.is_file() {
        add_file(root, &project_file, found);
    }
    let Ok(dir) = fs::read_dir(project.join("config")) else {
        return;
    };
    for entry in dir.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_ascii_lowercase();
        if !name.ends_with(".json") || name.starts_with('.') || !pick(&name) {
            continue;
        }
        if entry.file_type().is_ok_and(|t| t.is_symlink()) {
            warnings.extend(link(root, &path));
        } else if path.is_file() {
            add_file(root, &path, found);
        }
    }
}

fn add_file(root: &Path, path: &Path, found: &mut BTreeMap<String, Entry>) {
    match rel_path(root, path) {
        Ok(rel) => {
            found.entry(rel.clone()).or_insert(Entry::File {
                rel,
                abs: path.to_path_buf(),
            });
        }
        Err(lossy) => {
            found.entry(lossy.clone()).or_insert(Entry::Unreadable {
                rel: lossy,
                message: "file name is not valid UTF-8; rename the file".into(),
            });
        }
    }
}

fn walk(
    root: &Path,
    start: &Path,
    accept: &dyn Fn(&str) -> bool,
    found: &mut BTreeMap<String, Entry>,
    warnings: &mut Vec<String>,
) {
    let mut builder = ignore::WalkBuilder::new(start);
    builder
        .hidden(true)
        .parents(true)
        .ignore(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        // Links are never followed (see `link`): every real file is reached once, at its own path.
        .follow_links(false)
        .add_custom_ignore_filename(".forceignore")
        .filter_entry(|e| e.depth() == 0 || !SKIPPED_DIRS.iter().any(|d| e.file_name() == *d));
    for result in builder.build() {
        match result {
            Ok(entry) => {
                if entry.path_is_symlink() {
                    if let Some(w) = link(root, entry.path()) {
                        warnings.push(w);
                    }
                    continue;
                }
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let path = entry.path();
                match rel_path(root, path) {
                    Ok(rel) => {
                        if accept(&rel) {
                            found.entry(rel.clone()).or_insert(Entry::File {
                                rel,
                                abs: path.to_path_buf(),
                            });
                        }
                    }
                    Err(lossy) => {
                        if accept(&lossy) {
                            found.entry(lossy.clone()).or_insert(Entry::Unreadable {
                                rel: lossy,
                                message: "file name is not valid UTF-8; rename the file".into(),
                            });
                        }
                    }
                }
            }
            Err(err) => walk_error(root, &err, accept, found, warnings),
        }
    }
}

/// The symbolic link policy. Discovery never follows a link: a link whose target is inside the lint
/// root is skipped silently, as the real file or folder is linted at its own path when discovery
/// includes it there (so every real file is linted once, under one path, and link cycles or DAGs
/// cost nothing); a link out of the root, or a broken one, is skipped with a warning naming the link
/// (its target is never read or shown).
fn link(root: &Path, path: &Path) -> Option<String> {
    let shown = rel_path(root, path).unwrap_or_else(|l| l);
    match fs::canonicalize(path) {
        Ok(real) if real.starts_with(root) => None,
        Ok(_) => Some(format!(
            "`{shown}`: symbolic link pointing outside the lint root; skipped"
        )),
        Err(_) => Some(format!("`{shown}`: broken symbolic link; skipped")),
    }
}

/// A walk error: symlink loops and broken links are warnings, unreadable folders are findings.
fn walk_error(
    root: &Path,
    err: &ignore::Error,
    accept: &dyn Fn(&str) -> bool,
    found: &mut BTreeMap<String, Entry>,
    warnings: &mut Vec<String>,
) {
    let mut path: Option<&Path> = None;
    let mut e = err;
    loop {
        match e {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(p);
                e = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                e = err
            }
            ignore::Error::Partial(errs) => {
                for inner in errs {
                    walk_error(root, inner, accept, found, warnings);
                }
                return;
            }
            _ => break,
        }
    }
    let shown = |p: &Path| rel_path(root, p).unwrap_or_else(|l| l);
    match e {
        ignore::Error::Loop { ancestor, child } => {
            warnings.push(format!(
                "symbolic link loop: `{}` points to `{}`; skipped",
                shown(child),
                shown(ancestor)
            ));
        }
        ignore::Error::Io(io) if io.kind() == io::ErrorKind::NotFound => {
            let at = path
                .map(|p| format!("`{}`: ", shown(p)))
                .unwrap_or_default();
            warnings.push(format!(
                "{at}broken symbolic link or vanished file; skipped"
            ));
        }
        ignore::Error::Io(io) => {
            // walkdir's message repeats the absolute path; keep only the OS reason.
            let io = match io.raw_os_error() {
                Some(code) => io::Error::from_raw_os_error(code),
                None => io::Error::from(io.kind()),
            };
            io_finding(root, path, &io, accept, found, warnings);
        }
        other => {
            let at = path
                .map(|p| format!("`{}`: ", shown(p)))
                .unwrap_or_default();
            warnings.push(format!("{at}{other}"));
        }
    }
}

/// An I/O error on `path` while walking: unreadable folders and files become `parse-error` findings.
fn io_finding(
    root: &Path,
    path: Option<&Path>,
    io: &io::Error,
    accept: &dyn Fn(&str) -> bool,
    found: &mut BTreeMap<String, Entry>,
    warnings: &mut Vec<String>,
) {
    let shown = |p: &Path| rel_path(root, p).unwrap_or_else(|l| l);
    match path {
        Some(p) if p.is_dir() || accept(&shown(p)) => {
            let rel = shown(p);
            let what = if p.is_dir() { "folder" } else { "file" };
            found.entry(rel.clone()).or_insert(Entry::Unreadable {
                rel,
                message: format!("cannot read {what}: {io}"),
            });
        }
        Some(p) => warnings.push(format!("`{}`: {io}", shown(p))),
        None => warnings.push(io.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_ancestor_and_under() {
        let a = PathBuf::from("/a/b/c");
        let b = PathBuf::from("/a/b/d/e");
        assert_eq!(
            common_ancestor(&[a.clone(), b]),
            Some(PathBuf::from("/a/b"))
        );
        assert_eq!(common_ancestor(std::slice::from_ref(&a)), Some(a));
        assert!(under("force-app/main/x.xml", "force-app"));
        assert!(!under("force-apps/x.xml", "force-app"));
        assert!(under("x.xml", ""));
    }

    #[test]
    fn relative_paths_use_forward_slashes() {
        let root = PathBuf::from("/p");
        assert_eq!(
            rel_path(&root, &root.join("a").join("b.xml")),
            Ok("a/b.xml".to_string())
        );
    }
}
