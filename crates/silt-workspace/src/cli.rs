//! The `silt` command line as a library: argument parsing, every command and format, messages and
//! exit codes, once. The native binary and the Wasm build (`npx silt`, the `sf` plugin) both call
//! [`run`] with their own [`Host`], so whatever one accepts the other accepts, byte for byte.
//!
//! Exit codes: 0 no finding at or above `--fail-on`; 1 findings at or above it; 2 usage,
//! configuration, unreadable root path or internal error.

use crate::host::{self, ErrorKind, Host};
use crate::session::{find_config, load_linter, read_text, shown, Options, Session, CONFIG_FILE};
use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use silt_core::report::{escape_text, render, Format, RenderOptions};
use silt_core::{Config, Linter, Severity};

#[derive(Parser, Debug)]
#[command(
    name = "silt",
    version = env!("SILT_VERSION"),
    about = "Salesforce Integration license linter for SFDX projects",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Lint an SFDX project, metadata folders or files (default: the current folder).
    Lint(LintArgs),
    /// List the rules.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        format: RulesFormat,
    },
    /// Show a rule's documentation.
    Explain {
        /// The rule name, e.g. `parse-error`.
        rule: String,
    },
    /// Write a commented silt.toml in the current folder.
    Init,
    /// Effective access: what each user and integration really holds, and through what.
    Access(crate::access::AccessArgs),
    /// What a change does: effective access, apps, licenses and findings between BASE (a git
    /// revision or a folder) and HEAD (default: the working tree).
    Diff(crate::diff::DiffArgs),
}

#[derive(Args, Debug)]
struct LintArgs {
    /// Files or folders to lint.
    #[arg(value_name = "PATHS")]
    paths: Vec<String>,
    /// Output format: human, json, sarif, junit or github. Repeatable; each `-o` after a `--format`
    /// writes that format to a file.
    #[arg(long, value_name = "FMT", action = ArgAction::Append, value_parser = parse_format)]
    format: Vec<Format>,
    /// Write the format given just before this option to FILE instead of stdout. Repeatable.
    #[arg(short = 'o', long, value_name = "FILE", action = ArgAction::Append)]
    output: Vec<String>,
    /// Exit with 1 when a finding at or above this level remains (default: silt.toml `fail_on`, else error).
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<FailOn>,
    /// Configuration file (default: the first silt.toml found from the lint root upwards).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<String>,
    /// Ignore any silt.toml.
    #[arg(long)]
    no_config: bool,
    /// Number of worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,
    /// Human format: print only the summary.
    #[arg(short, long)]
    quiet: bool,
    /// Colours in human output: auto (stdout is a terminal and NO_COLOR unset), always or never.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    color: ColorWhen,
    /// Apply mechanical fixes to the files, then report what remains.
    #[arg(long)]
    fix: bool,
    /// With --fix: print a unified diff of the fixes instead of writing them.
    #[arg(long, requires = "fix")]
    diff: bool,
    /// Hide findings recorded in this baseline file; report how many were hidden and which entries are fixed.
    #[arg(long, value_name = "FILE")]
    baseline: Option<String>,
    /// Record the current findings in this baseline file (they are then hidden from this run's output).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<String>,
    /// Files larger than this many bytes are reported as a parse-error and not read (default:
    /// silt.toml `[files] max_size`, else 67108864, i.e. 64 MiB).
    #[arg(long, value_name = "BYTES")]
    max_file_size: Option<u64>,
    /// Report only findings that git revision REV did not have (matched by fingerprint); --fail-on
    /// applies to those.
    #[arg(long, value_name = "REV", conflicts_with = "write_baseline")]
    new_since: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum RulesFormat {
    Human,
    Json,
    /// The README rule table.
    Markdown,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
        format!("unknown format `{s}`; expected one of {}", names.join(", "))
    })
}

/// An error that ends the run with exit code 2.
#[derive(Debug)]
pub(crate) struct Fatal(pub(crate) String);

impl From<String> for Fatal {
    fn from(s: String) -> Fatal {
        Fatal(s)
    }
}

/// The CLI's own description (for tests and front ends that list its formats and options).
pub fn command() -> clap::Command {
    Cli::command()
}

/// What the CLI accepts, from its own description: the formats and each command's long options,
/// so tests that compare front ends cover a format or option added later.
pub fn spec() -> serde_json::Value {
    let cmd = Cli::command();
    let commands: serde_json::Map<String, serde_json::Value> = cmd
        .get_subcommands()
        .map(|c| {
            let options: Vec<String> = c
                .get_arguments()
                .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
                .collect();
            (c.get_name().to_string(), serde_json::json!(options))
        })
        .collect();
    let formats: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
    serde_json::json!({ "formats": formats, "commands": commands })
}

/// Run `silt` with `argv` (without the program name) on `host`; returns the exit code.
pub fn run(argv: &[String], host: &dyn Host) -> u8 {
    let args = std::iter::once("silt".to_string()).chain(argv.iter().cloned());
    let matches = match Cli::command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => return clap_exit(host, &e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return clap_exit(host, &e),
    };
    let outcome = match cli.command {
        Command::Lint(args) => {
            let lint_matches = matches.subcommand_matches("lint");
            let index = |id: &str| -> Vec<usize> {
                lint_matches
                    .and_then(|m| m.indices_of(id))
                    .map(|i| i.collect())
                    .unwrap_or_default()
            };
            let formats: Vec<(usize, Format)> = index("format")
                .into_iter()
                .zip(args.format.iter().copied())
                .collect();
            let outputs: Vec<(usize, String)> = index("output")
                .into_iter()
                .zip(args.output.iter().cloned())
                .collect();
            lint(host, &args, &formats, &outputs)
        }
        Command::Rules { format } => rules(host, format).map(|()| 0),
        Command::Explain { rule } => explain(host, &rule).map(|()| 0),
        Command::Init => init(host).map(|()| 0),
        Command::Access(args) => crate::access::run(host, &args),
        Command::Diff(args) => {
            let m = matches.subcommand_matches("diff");
            let index = |id: &str| -> Vec<usize> {
                m.and_then(|m| m.indices_of(id))
                    .map(|i| i.collect())
                    .unwrap_or_default()
            };
            let formats: Vec<(usize, silt_core::report::diff::DiffFormat)> = index("format")
                .into_iter()
                .zip(args.format_list())
                .collect();
            let outputs: Vec<(usize, String)> = index("output")
                .into_iter()
                .zip(args.output_list())
                .collect();
            crate::diff::run(host, &args, &formats, &outputs)
        }
    };
    match outcome {
        Ok(code) => code,
        Err(Fatal(message)) => {
            host.stderr(format!("error: {}\n", escape_text(&message)).as_bytes());
            2
        }
    }
}

/// Print a clap error or help; usage errors exit 2, help and version 0.
fn clap_exit(host: &dyn Host, e: &clap::Error) -> u8 {
    let text = e.render().to_string();
    if e.use_stderr() {
        host.stderr(text.as_bytes());
        2
    } else {
        host.stdout(text.as_bytes());
        0
    }
}

/// Where each format goes: `None` is stdout.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    format: Format,
    file: Option<String>,
}

/// Pair each `-o FILE` with the `--format` given just before it (by argument index). A format with no
/// file goes to stdout; without any `--format`, the default human format takes the files.
fn pair_outputs(
    formats: &[(usize, Format)],
    outputs: &[(usize, String)],
) -> Result<Vec<Target>, String> {
    Ok(pair_outputs_of(formats, outputs, Format::Human)?
        .into_iter()
        .map(|(format, file)| Target { format, file })
        .collect())
}

/// [`pair_outputs`] for any format type (`silt diff` has its own formats).
pub(crate) fn pair_outputs_of<F: Copy>(
    formats: &[(usize, F)],
    outputs: &[(usize, String)],
    default: F,
) -> Result<Vec<(F, Option<String>)>, String> {
    if formats.is_empty() {
        if outputs.is_empty() {
            return Ok(vec![(default, None)]);
        }
        return Ok(outputs
            .iter()
            .map(|(_, f)| (default, Some(f.clone())))
            .collect());
    }
    let mut formats = formats.to_vec();
    formats.sort_by_key(|(i, _)| *i);
    if let Some((_, file)) = outputs.iter().find(|(i, _)| *i < formats[0].0) {
        return Err(format!(
            "`-o {file}` comes before any `--format`; put it after the format it writes, e.g. `--format sarif -o {file}`"
        ));
    }
    let mut targets = Vec::new();
    for (n, (at, format)) in formats.iter().enumerate() {
        let next = formats.get(n + 1).map(|(i, _)| *i).unwrap_or(usize::MAX);
        let files: Vec<&String> = outputs
            .iter()
            .filter(|(i, _)| *i > *at && *i < next)
            .map(|(_, f)| f)
            .collect();
        if files.is_empty() {
            targets.push((*format, None));
        } else {
            targets.extend(files.into_iter().map(|f| (*format, Some(f.clone()))));
        }
    }
    Ok(targets)
}

/// Whether human output to stdout gets colours.
fn use_color(host: &dyn Host, when: ColorWhen, to_file: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            !to_file
                && host.stdout_is_terminal()
                && host.env("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn lint(
    host: &dyn Host,
    args: &LintArgs,
    formats: &[(usize, Format)],
    outputs: &[(usize, String)],
) -> Result<u8, Fatal> {
    let targets = pair_outputs(formats, outputs)?;
    let session = Session::open(
        host,
        &Options {
            paths: args.paths.clone(),
            config: args.config.clone(),
            no_config: args.no_config,
            max_file_size: args.max_file_size,
        },
    )
    .map_err(|e| Fatal(e.to_string()))?;
    for w in &session.discovered.warnings {
        host.stderr(format!("warning: {}\n", escape_text(w)).as_bytes());
    }
    let (results, digests) = session.check(host, args.threads, args.fix);
    let mut report = session.linter.finish(results);
    if args.fix {
        let changed = crate::fix::apply(host, &session.plan.root, &report, args.diff, &digests)?;
        if changed > 0 && !args.diff {
            // Report what remains after the fixes.
            report = session
                .linter
                .finish(session.check(host, args.threads, false).0);
        }
    }
    let Session { plan, linter, .. } = session;
    let cwd = host.cwd().unwrap_or_default();
    if let Some(rev) = &args.new_since {
        new_since(host, args, rev, &mut report)?;
    }
    if let Some(path) = &args.write_baseline {
        let text = silt_core::baseline::write(&report);
        host.write(&host::absolute(&cwd, path), text.as_bytes())
            .map_err(|e| Fatal(format!("cannot write `{path}`: {e}")))?;
        host.stderr(
            format!(
                "silt: wrote {} findings to baseline {}\n",
                report.diagnostics.len(),
                escape_text(path)
            )
            .as_bytes(),
        );
        if let Ok(b) = silt_core::baseline::parse(&shown(host, &host::absolute(&cwd, path)), &text)
        {
            silt_core::baseline::apply(&mut report, &b);
        }
    } else if let Some(path) = &args.baseline {
        let abs = host::absolute(&cwd, path);
        let text = read_text(host, &abs)
            .map_err(|e| Fatal(format!("cannot read baseline `{path}`: {e}")))?;
        let b = silt_core::baseline::parse(&shown(host, &abs), &text)
            .map_err(|e| Fatal(e.to_string()))?;
        let outcome = silt_core::baseline::apply(&mut report, &b);
        let mut err = format!(
            "silt: {} findings hidden by baseline {}\n",
            outcome.hidden,
            escape_text(path)
        );
        if !outcome.fixed.is_empty() {
            err.push_str(&format!(
                "silt: {} baseline entries are fixed and can be pruned (re-run with --write-baseline {}):\n",
                outcome.fixed.len(),
                escape_text(path)
            ));
            for e in &outcome.fixed {
                err.push_str(&format!(
                    "  {} {} {}\n",
                    escape_text(&e.rule),
                    escape_text(&e.file),
                    escape_text(&e.element)
                ));
            }
        }
        host.stderr(err.as_bytes());
    }

    let root = plan.root.clone();
    let max = linter.config.max_file_size();
    let source = move |rel: &str| -> Option<String> {
        // Code frames: a file over the size limit is not read here either.
        let path = host::join(&root, rel);
        if host.size(&path).ok()? > max {
            return None;
        }
        let bytes = host.read(&path, max).ok()?;
        Some(match silt_core::source::decode(&bytes) {
            Ok(text) => text.into_owned(),
            Err((_, lossy)) => lossy,
        })
    };
    let mut stdout_text = String::new();
    for target in targets.iter().filter(|_| !args.diff) {
        let color = use_color(host, args.color, target.file.is_some());
        let text = render(
            &report,
            target.format,
            &source,
            RenderOptions {
                color,
                quiet: args.quiet,
            },
        );
        match &target.file {
            Some(file) => host
                .write(&host::absolute(&cwd, file), text.as_bytes())
                .map_err(|e| Fatal(format!("cannot write `{file}`: {e}")))?,
            None => stdout_text.push_str(&text),
        }
    }
    host.stdout(stdout_text.as_bytes());

    let fail_on = match args.fail_on {
        Some(FailOn::Never) => None,
        Some(FailOn::Error) => Some(Severity::Error),
        Some(FailOn::Warning) => Some(Severity::Warning),
        Some(FailOn::Note) => Some(Severity::Note),
        None => Some(linter.config.fail_on.unwrap_or(Severity::Error)),
    };
    Ok(match fail_on {
        Some(level) if report.fails(level) => 1,
        _ => 0,
    })
}

/// `--new-since REV`: drop the findings the revision already had (by fingerprint).
fn new_since(
    host: &dyn Host,
    args: &LintArgs,
    rev: &str,
    report: &mut silt_core::Report,
) -> Result<(), Fatal> {
    let cwd = host
        .cwd()
        .map_err(|e| Fatal(format!("cannot read the current folder: {e}")))?;
    let given = if args.paths.is_empty() {
        vec![cwd.clone()]
    } else {
        args.paths.clone()
    };
    let paths: Vec<String> = given
        .iter()
        .map(|p| {
            let abs = host::absolute(&cwd, p);
            host.realpath(&abs).unwrap_or(abs)
        })
        .collect();
    let options = Options {
        paths: Vec::new(),
        config: args.config.clone(),
        no_config: args.no_config,
        max_file_size: args.max_file_size,
    };
    let base = crate::diff::read_side(host, Some(rev), &paths, &options, args.threads)?;
    let base_report = base.linter.finish(base.side.files);
    let before = report.diagnostics.len();
    report.diagnostics =
        silt_core::diff::new_findings(&report.diagnostics, &base_report.diagnostics);
    report.recount();
    host.stderr(
        format!(
            "silt: {} findings that {} already had are not shown (--new-since)\n",
            before - report.diagnostics.len(),
            escape_text(rev)
        )
        .as_bytes(),
    );
    Ok(())
}

/// The silt.toml above the current folder with its custom rules, for `rules` and `explain`. A broken
/// configuration is a warning there: the built-in rules are still listed.
fn listing_linter(host: &dyn Host) -> Linter {
    let cwd = host.cwd().unwrap_or_else(|_| "/".into());
    match find_config(host, None, &cwd).and_then(|c| load_linter(host, c, None)) {
        Ok(l) => l,
        Err(e) => {
            host.stderr(
                format!(
                    "warning: {}; listing built-in rules only\n",
                    escape_text(&e.to_string())
                )
                .as_bytes(),
            );
            Linter::new(Config::default())
        }
    }
}

fn rules(host: &dyn Host, format: RulesFormat) -> Result<(), Fatal> {
    let linter = listing_linter(host);
    let rules = linter.rules();
    let text = match format {
        RulesFormat::Json => {
            let list: Vec<serde_json::Value> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "name": r.name,
                        "severity": r.severity,
                        "fixable": r.fixable,
                        "summary": r.summary,
                        "tags": r.tags,
                        "origin": r.origin,
                    })
                })
                .collect();
            let text = serde_json::to_string_pretty(&list)
                .map_err(|e| Fatal(format!("cannot write JSON: {e}")))?;
            format!("{text}\n")
        }
        RulesFormat::Markdown => silt_core::registry::markdown_table(),
        RulesFormat::Human => {
            let name_w = rules.iter().map(|r| r.name.len()).max().unwrap_or(0).max(4);
            let mut s = format!(
                "{:<name_w$}  {:<8}  {:<7}  SUMMARY\n",
                "NAME", "SEVERITY", "FIXABLE"
            );
            for r in &rules {
                let fixable = if r.fixable { "yes" } else { "no" };
                s.push_str(&format!(
                    "{:<name_w$}  {:<8}  {:<7}  {}\n",
                    r.name,
                    r.severity.as_str(),
                    fixable,
                    escape_text(&r.summary)
                ));
            }
            s
        }
    };
    host.stdout(text.as_bytes());
    Ok(())
}

fn explain(host: &dyn Host, rule: &str) -> Result<(), Fatal> {
    let mut text = listing_linter(host)
        .explain(rule)
        .map_err(|m| Fatal(format!("{m} (`silt rules` lists them)")))?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    host.stdout(text.as_bytes());
    Ok(())
}

fn init(host: &dyn Host) -> Result<(), Fatal> {
    let cwd = host
        .cwd()
        .map_err(|e| Fatal(format!("cannot read the current folder: {e}")))?;
    match host.create_new(
        &host::join(&cwd, CONFIG_FILE),
        silt_core::config::STARTER.as_bytes(),
    ) {
        Ok(()) => {}
        Err(e) if e.kind == ErrorKind::AlreadyExists => {
            return Err(Fatal(format!(
                "{CONFIG_FILE} already exists; not overwriting it"
            )));
        }
        Err(e) => return Err(Fatal(format!("cannot create {CONFIG_FILE}: {e}"))),
    }
    host.stderr(format!("created {CONFIG_FILE}\n").as_bytes());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        s.to_string()
    }

    #[test]
    fn outputs_pair_with_the_format_before_them() {
        // silt lint --format sarif -o results.sarif --format human
        let t = pair_outputs(
            &[(2, Format::Sarif), (6, Format::Human)],
            &[(4, p("results.sarif"))],
        );
        assert_eq!(
            t,
            Ok(vec![
                Target {
                    format: Format::Sarif,
                    file: Some(p("results.sarif"))
                },
                Target {
                    format: Format::Human,
                    file: None
                },
            ])
        );
        // Two files for one format, then a second format to a file.
        let t = pair_outputs(
            &[(1, Format::Json), (7, Format::Junit)],
            &[(3, p("a.json")), (5, p("b.json")), (9, p("j.xml"))],
        );
        assert_eq!(
            t,
            Ok(vec![
                Target {
                    format: Format::Json,
                    file: Some(p("a.json"))
                },
                Target {
                    format: Format::Json,
                    file: Some(p("b.json"))
                },
                Target {
                    format: Format::Junit,
                    file: Some(p("j.xml"))
                },
            ])
        );
    }

    #[test]
    fn defaults_and_misplaced_outputs() {
        assert_eq!(
            pair_outputs(&[], &[]),
            Ok(vec![Target {
                format: Format::Human,
                file: None
            }])
        );
        assert_eq!(
            pair_outputs(&[], &[(2, p("out.txt"))]),
            Ok(vec![Target {
                format: Format::Human,
                file: Some(p("out.txt"))
            }])
        );
        assert!(pair_outputs(&[(4, Format::Json)], &[(2, p("out.json"))]).is_err());
    }

    #[test]
    fn argument_indices_follow_the_command_line() -> Result<(), String> {
        let args = [
            "silt",
            "lint",
            "--format",
            "sarif",
            "-o",
            "results.sarif",
            "--format",
            "human",
        ];
        let m = Cli::command()
            .try_get_matches_from(args)
            .map_err(|e| e.to_string())?;
        let m = m.subcommand_matches("lint").ok_or("no lint subcommand")?;
        let fi: Vec<usize> = m
            .indices_of("format")
            .map(|i| i.collect())
            .unwrap_or_default();
        let oi: Vec<usize> = m
            .indices_of("output")
            .map(|i| i.collect())
            .unwrap_or_default();
        assert_eq!(fi.len(), 2);
        assert_eq!(oi.len(), 1);
        assert!(fi[0] < oi[0] && oi[0] < fi[1]);
        Ok(())
    }

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
