//! `silt diff BASE [HEAD]` and the base side of `silt lint --new-since REV`: each side is a folder or
//! a git revision ([`crate::git::GitTree`]), read and checked like `silt lint` reads a folder; the
//! comparison and its formats are `silt_core::diff` and `silt_core::report::diff`.

use crate::cli::Fatal;
use crate::discover::Entry;
use crate::git::GitTree;
use crate::host::{self, Host, Kind};
use crate::session::{Options, Session};
use clap::{ArgAction, Args, ValueEnum};
use silt_core::diff::{DiffReport, Side, Texts};
use silt_core::report::diff::{render, DiffFormat};
use silt_core::report::escape_text;
use silt_core::{Linter, Report, Severity};
use std::collections::HashMap;

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The base: a git revision of the repository that holds the project (main, HEAD~1, a commit),
    /// or a folder.
    #[arg(value_name = "BASE")]
    base: String,
    /// The head: a revision or a folder (default: the project's working tree).
    #[arg(value_name = "HEAD")]
    head: Option<String>,
    /// The project (or metadata folder) to compare, in the working tree and at each revision
    /// (default: the current folder). Folders given as BASE or HEAD are compared as they are.
    #[arg(long, value_name = "PATH")]
    project: Option<String>,
    /// Output format: human, json, markdown (a pull-request comment) or github (annotations on
    /// introduced findings on lines the change touched). Repeatable; each `-o` after a `--format`
    /// writes that format to a file.
    #[arg(long, value_name = "FMT", action = ArgAction::Append, value_parser = parse_format)]
    format: Vec<DiffFormat>,
    /// Write the format given just before this option to FILE instead of stdout. Repeatable.
    #[arg(short = 'o', long, value_name = "FILE", action = ArgAction::Append)]
    output: Vec<String>,
    /// Exit with 1 when an introduced finding is at or above this level (default: silt.toml
    /// `fail_on`, else error).
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<FailOn>,
    /// Configuration file for both sides (default: each side's first silt.toml from its root upwards).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<String>,
    /// Ignore any silt.toml.
    #[arg(long)]
    no_config: bool,
    /// Number of worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,
    /// Files larger than this many bytes are reported as a parse-error and not read.
    #[arg(long, value_name = "BYTES")]
    max_file_size: Option<u64>,
}

impl DiffArgs {
    pub(crate) fn format_list(&self) -> Vec<DiffFormat> {
        self.format.clone()
    }
    pub(crate) fn output_list(&self) -> Vec<String> {
        self.output.clone()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

fn parse_format(s: &str) -> Result<DiffFormat, String> {
    DiffFormat::parse(s).ok_or_else(|| {
        let names: Vec<&str> = DiffFormat::ALL.iter().map(|f| f.as_str()).collect();
        format!("unknown format `{s}`; expected one of {}", names.join(", "))
    })
}

/// One side, read and checked: its linter, files and digests, and where to read a file again.
pub struct Read<'h> {
    pub linter: Linter,
    pub side: Side,
    files: Files<'h>,
}

/// Where a side's files are: the discovered entries on the working tree's host or a git revision's.
struct Files<'h> {
    entries: Vec<Entry>,
    source: Source<'h>,
    max: u64,
}

enum Source<'h> {
    Host(&'h dyn Host),
    Git(Box<GitTree<'h>>),
}

impl Source<'_> {
    fn host(&self) -> &dyn Host {
        match self {
            Source::Host(h) => *h,
            Source::Git(t) => t.as_ref(),
        }
    }
}

impl Files<'_> {
    /// The bytes of the files at relative paths `rels`, in order (`None`: not on this side or
    /// unreadable). Only for the few files whose touched lines are wanted.
    fn bytes(&self, rels: &[String]) -> Vec<Option<Vec<u8>>> {
        let wanted: HashMap<&str, usize> = rels
            .iter()
            .enumerate()
            .map(|(i, r)| (r.as_str(), i))
            .collect();
        let mut abs: Vec<Option<&str>> = vec![None; rels.len()];
        for e in &self.entries {
            if let Entry::File { rel, abs: a } = e {
                if let Some(&i) = wanted.get(rel.as_str()) {
                    abs[i] = Some(a);
                }
            }
        }
        match &self.source {
            // A revision: its blobs in one `git cat-file --batch` call (per 64 MiB).
            Source::Git(tree) => {
                let found: Vec<&str> = abs.iter().flatten().copied().collect();
                let mut bytes = tree.read_many(&found, self.max).into_iter();
                abs.iter()
                    .map(|a| a.and_then(|_| bytes.next().flatten()))
                    .collect()
            }
            Source::Host(host) => abs
                .iter()
                .map(|a| a.and_then(|a| host.read(a, self.max).ok()))
                .collect(),
        }
    }
}

/// The canonical form of `p` (relative to the current folder) when it exists in the working tree,
/// else its absolute form: a revision is read at the same place as the working tree.
fn canonical(host: &dyn Host, p: &str) -> Result<String, Fatal> {
    let cwd = host
        .cwd()
        .map_err(|e| Fatal(format!("cannot read the current folder: {e}")))?;
    let abs = host::absolute(&cwd, p);
    Ok(host.realpath(&abs).unwrap_or(abs))
}

/// The folder git runs in for paths `paths`: the first that exists in the working tree, else the
/// current folder.
fn git_dir(host: &dyn Host, paths: &[String]) -> String {
    paths
        .iter()
        .map(|p| {
            if host.kind(p, true) == Ok(Kind::Dir) {
                p.clone()
            } else {
                host::parent(p).unwrap_or("/").to_string()
            }
        })
        .find(|d| host.kind(d, true) == Ok(Kind::Dir))
        .or_else(|| host.cwd().ok())
        .unwrap_or_else(|| "/".into())
}

/// Open, discover and check `paths` (canonical) on `source`.
fn check<'h>(
    source: Source<'h>,
    label: &str,
    paths: Vec<String>,
    options: &Options,
    threads: Option<usize>,
) -> Result<Read<'h>, Fatal> {
    let host = source.host();
    let session = Session::open(
        host,
        &Options {
            paths,
            ..options.clone()
        },
    )
    .map_err(|e| Fatal(format!("{label}: {e}")))?;
    for w in &session.discovered.warnings {
        host.stderr(format!("warning: {label}: {}\n", escape_text(w)).as_bytes());
    }
    let (files, digests) = session.check(host, threads, true);
    let max = session.linter.config.max_file_size();
    Ok(Read {
        linter: session.linter,
        side: Side {
            label: label.to_string(),
            files,
            digests: Some(digests),
        },
        files: Files {
            max,
            entries: session.discovered.entries,
            source,
        },
    })
}

/// Read one side: `spec` is a folder, or else a git revision of the repository holding `paths`.
/// `None`: the working tree at `paths`.
pub(crate) fn read_side<'h>(
    host: &'h dyn Host,
    spec: Option<&str>,
    paths: &[String],
    options: &Options,
    threads: Option<usize>,
) -> Result<Read<'h>, Fatal> {
    let Some(spec) = spec else {
        return check(
            Source::Host(host),
            "working tree",
            paths.to_vec(),
            options,
            threads,
        );
    };
    let abs = canonical(host, spec)?;
    if host.kind(&abs, true) == Ok(Kind::Dir) {
        return check(Source::Host(host), spec, vec![abs], options, threads);
    }
    let tree = GitTree::open(host, &git_dir(host, paths), spec).map_err(Fatal)?;
    check(
        Source::Git(Box::new(tree)),
        spec,
        paths.to_vec(),
        options,
        threads,
    )
}

fn fail_level(arg: Option<FailOn>, linter: &Linter) -> Option<Severity> {
    match arg {
        Some(FailOn::Never) => None,
        Some(FailOn::Error) => Some(Severity::Error),
        Some(FailOn::Warning) => Some(Severity::Warning),
        Some(FailOn::Note) => Some(Severity::Note),
        None => Some(linter.config.fail_on.unwrap_or(Severity::Error)),
    }
}

/// Compare two sides (what the CLI and tests use), with the lines the change touched in the files
/// holding an introduced finding: only those files are read again, from each side's host.
pub fn compare(base: Read, head: Read) -> (DiffReport, Report, Linter) {
    let (base_files, head_files) = (base.files, head.files);
    let read = |paths: &[String]| -> Vec<Texts> {
        base_files
            .bytes(paths)
            .into_iter()
            .zip(head_files.bytes(paths))
            .collect()
    };
    let (diff, report) = silt_core::diff::diff_with_lines(
        &base.linter,
        base.side,
        &head.linter,
        head.side,
        Some(read),
    );
    (diff, report, head.linter)
}

/// Run `silt diff`.
pub(crate) fn run(
    host: &dyn Host,
    args: &DiffArgs,
    formats: &[(usize, DiffFormat)],
    outputs: &[(usize, String)],
) -> Result<u8, Fatal> {
    let targets = crate::cli::pair_outputs_of(formats, outputs, DiffFormat::Human)?;
    let project = canonical(host, args.project.as_deref().unwrap_or("."))?;
    let paths = vec![project];
    let options = Options {
        paths: Vec::new(),
        config: args.config.clone(),
        no_config: args.no_config,
        max_file_size: args.max_file_size,
    };
    let base = read_side(host, Some(&args.base), &paths, &options, args.threads)?;
    let head = read_side(host, args.head.as_deref(), &paths, &options, args.threads)?;
    let (diff, _, linter) = compare(base, head);
    let cwd = host.cwd().unwrap_or_default();
    let mut stdout_text = String::new();
    for (format, file) in targets {
        let text = render(&diff, format);
        match file {
            Some(file) => host
                .write(&host::absolute(&cwd, &file), text.as_bytes())
                .map_err(|e| Fatal(format!("cannot write `{file}`: {e}")))?,
            None => stdout_text.push_str(&text),
        }
    }
    host.stdout(stdout_text.as_bytes());
    Ok(match fail_level(args.fail_on, &linter) {
        Some(level) if diff.fails(level) => 1,
        _ => 0,
    })
}
