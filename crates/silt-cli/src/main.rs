//! `silt`: the command line. Discovery, reading, parallelism, output and exit codes; no rule logic.
//!
//! Exit codes: 0 no finding at or above `--fail-on`; 1 findings at or above it; 2 usage, configuration,
//! unreadable root path or internal error.

mod access;
mod discover;
mod fix;
mod run;

use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use silt_core::report::{escape_text, render, Format, RenderOptions};
use silt_core::{Config, Linter, Severity};
use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const CONFIG_FILE: &str = "silt.toml";

#[derive(Parser, Debug)]
#[command(
    name = "silt",
    version,
    about = "Salesforce Integration license linter for SFDX projects",
    propagate_version = true
)]
struct Cli {
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
    Access(access::AccessArgs),
}

#[derive(Args, Debug)]
struct LintArgs {
    /// Files or folders to lint.
    #[arg(value_name = "PATHS")]
    paths: Vec<PathBuf>,
    /// Output format: human, json, sarif, junit or github. Repeatable; each `-o` after a `--format`
    /// writes that format to a file.
    #[arg(long, value_name = "FMT", action = ArgAction::Append, value_parser = parse_format)]
    format: Vec<Format>,
    /// Write the format given just before this option to FILE instead of stdout. Repeatable.
    #[arg(short = 'o', long, value_name = "FILE", action = ArgAction::Append)]
    output: Vec<PathBuf>,
    /// Exit with 1 when a finding at or above this level remains (default: silt.toml `fail_on`, else error).
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<FailOn>,
    /// Configuration file (default: the first silt.toml found from the lint root upwards).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
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
    baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (they are then hidden from this run's output).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Files larger than this many bytes are reported as a parse-error and not read (default:
    /// silt.toml `[files] max_size`, else 67108864, i.e. 64 MiB).
    #[arg(long, value_name = "BYTES")]
    max_file_size: Option<u64>,
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
struct Fatal(String);

impl From<String> for Fatal {
    fn from(s: String) -> Fatal {
        Fatal(s)
    }
}

fn main() -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => return clap_exit(e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return clap_exit(e),
    };
    let outcome =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || match cli.command {
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
                let outputs: Vec<(usize, PathBuf)> = index("output")
                    .into_iter()
                    .zip(args.output.iter().cloned())
                    .collect();
                lint(&args, &formats, &outputs)
            }
            Command::Rules { format } => rules(format).map(|()| 0),
            Command::Explain { rule } => explain(&rule).map(|()| 0),
            Command::Init => init().map(|()| 0),
            Command::Access(args) => access::run(&args),
        }));
    match outcome {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(Fatal(message))) => {
            eprintln!("error: {}", escape_text(&message));
            ExitCode::from(2)
        }
        Err(_) => {
            eprintln!("error: internal error (a bug in silt); please report it");
            ExitCode::from(2)
        }
    }
}

/// Print a clap error or help; usage errors exit 2, help and version 0.
fn clap_exit(e: clap::Error) -> ExitCode {
    let _ = e.print();
    if e.use_stderr() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// Write to stdout, ignoring a closed pipe (`silt lint | head`).
fn out(text: &str) {
    let stdout = io::stdout();
    let mut lock = stdout.lock();
    let _ = lock.write_all(text.as_bytes());
    let _ = lock.flush();
}

/// Where each format goes: `None` is stdout.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    format: Format,
    file: Option<PathBuf>,
}

/// Pair each `-o FILE` with the `--format` given just before it (by argument index). A format with no
/// file goes to stdout; without any `--format`, the default human format takes the files.
fn pair_outputs(
    formats: &[(usize, Format)],
    outputs: &[(usize, PathBuf)],
) -> Result<Vec<Target>, String> {
    if formats.is_empty() {
        if outputs.is_empty() {
            return Ok(vec![Target {
                format: Format::Human,
                file: None,
            }]);
        }
        return Ok(outputs
            .iter()
            .map(|(_, f)| Target {
                format: Format::Human,
                file: Some(f.clone()),
            })
            .collect());
    }
    let mut formats = formats.to_vec();
    formats.sort_by_key(|(i, _)| *i);
    if let Some((_, file)) = outputs.iter().find(|(i, _)| *i < formats[0].0) {
        return Err(format!(
            "`-o {}` comes before any `--format`; put it after the format it writes, e.g. `--format sarif -o {}`",
            file.display(),
            file.display()
        ));
    }
    let mut targets = Vec::new();
    for (n, (at, format)) in formats.iter().enumerate() {
        let next = formats.get(n + 1).map(|(i, _)| *i).unwrap_or(usize::MAX);
        let files: Vec<&PathBuf> = outputs
            .iter()
            .filter(|(i, _)| *i > *at && *i < next)
            .map(|(_, f)| f)
            .collect();
        if files.is_empty() {
            targets.push(Target {
                format: *format,
                file: None,
            });
        } else {
            targets.extend(files.into_iter().map(|f| Target {
                format: *format,
                file: Some(f.clone()),
            }));
        }
    }
    Ok(targets)
}

/// Whether human output to stdout gets colours.
fn use_color(when: ColorWhen, to_file: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            !to_file
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// How a path is shown in messages: relative to the current folder when below it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|c| fs::canonicalize(c).ok());
    let canon = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    match cwd.as_ref().and_then(|c| canon.strip_prefix(c).ok()) {
        Some(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy().replace('\\', "/"),
        _ => path.display().to_string(),
    }
}

/// The configuration file: `--config`, else the first silt.toml from `start` upwards.
fn find_config(explicit: Option<&Path>, start: &Path) -> Result<Option<(PathBuf, String)>, Fatal> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => match start
            .ancestors()
            .map(|d| d.join(CONFIG_FILE))
            .find(|p| p.is_file())
        {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    let display = if explicit.is_some() {
        path.display().to_string()
    } else {
        shown(&path)
    };
    let text = fs::read_to_string(&path)
        .map_err(|e| Fatal(format!("cannot read configuration `{display}`: {e}")))?;
    Ok(Some((path, text)))
}

/// A linter with the configuration and its custom rules loaded and validated.
fn load_linter(config_file: Option<(PathBuf, String)>, explicit: bool) -> Result<Linter, Fatal> {
    let Some((path, text)) = config_file else {
        return Ok(Linter::new(Config::default()));
    };
    let display = if explicit {
        path.display().to_string()
    } else {
        shown(&path)
    };
    let config = Config::parse(&display, &text).map_err(|e| Fatal(e.to_string()))?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let custom = config.custom_rules.clone();
    let mut linter = Linter::new(config);
    for rule_file in &custom {
        let rule_path = base.join(rule_file);
        let rule_display = shown(&rule_path);
        let rule_text = fs::read_to_string(&rule_path).map_err(|e| {
            Fatal(format!(
                "{display}: cannot read custom rule file `{rule_file}`: {e}"
            ))
        })?;
        linter
            .add_custom_rules(&rule_display, &rule_text)
            .map_err(|e| Fatal(e.to_string()))?;
    }
    linter
        .validate(&display, &text)
        .map_err(|e| Fatal(e.to_string()))?;
    Ok(linter)
}

fn lint(
    args: &LintArgs,
    formats: &[(usize, Format)],
    outputs: &[(usize, PathBuf)],
) -> Result<u8, Fatal> {
    let targets = pair_outputs(formats, outputs)?;
    let plan = discover::plan(&args.paths)?;
    let config_file = if args.no_config {
        None
    } else {
        find_config(args.config.as_deref(), &plan.root)?
    };
    let mut linter = load_linter(config_file, args.config.is_some())?;
    if let Some(max) = args.max_file_size {
        linter.config.files.max_size = Some(max);
    }
    let discovered = discover::files(&plan, &linter.config);
    for w in &discovered.warnings {
        eprintln!("warning: {}", escape_text(w));
    }
    let (results, digests) = run::check_all(&linter, &discovered.entries, args.threads, args.fix)?;
    let mut report = linter.finish(results);
    if args.fix {
        let changed = fix::apply(&plan.root, &report, args.diff, &digests)?;
        if changed > 0 && !args.diff {
            // Report what remains after the fixes.
            let (results, _) = run::check_all(&linter, &discovered.entries, args.threads, false)?;
            report = linter.finish(results);
        }
    }
    drop(discovered);
    if let Some(path) = &args.write_baseline {
        let text = silt_core::baseline::write(&report);
        fs::write(path, &text)
            .map_err(|e| Fatal(format!("cannot write `{}`: {e}", path.display())))?;
        eprintln!(
            "silt: wrote {} findings to baseline {}",
            report.diagnostics.len(),
            escape_text(&path.display().to_string())
        );
        if let Ok(b) = silt_core::baseline::parse(&shown(path), &text) {
            silt_core::baseline::apply(&mut report, &b);
        }
    } else if let Some(path) = &args.baseline {
        let text = fs::read_to_string(path)
            .map_err(|e| Fatal(format!("cannot read baseline `{}`: {e}", path.display())))?;
        let b =
            silt_core::baseline::parse(&shown(path), &text).map_err(|e| Fatal(e.to_string()))?;
        let outcome = silt_core::baseline::apply(&mut report, &b);
        eprintln!(
            "silt: {} findings hidden by baseline {}",
            outcome.hidden,
            escape_text(&path.display().to_string())
        );
        if !outcome.fixed.is_empty() {
            eprintln!(
                "silt: {} baseline entries are fixed and can be pruned (re-run with --write-baseline {}):",
                outcome.fixed.len(),
                escape_text(&path.display().to_string())
            );
            for e in &outcome.fixed {
                // Baseline entries are file content: escaped like every name in the reports.
                eprintln!(
                    "  {} {} {}",
                    escape_text(&e.rule),
                    escape_text(&e.file),
                    escape_text(&e.element)
                );
            }
        }
    }

    let root = plan.root.clone();
    let max_size = linter.config.max_file_size();
    let source = move |rel: &str| -> Option<String> {
        // Code frames: a file over the size limit is not read here either.
        let path = root.join(rel);
        if fs::metadata(&path).ok()?.len() > max_size {
            return None;
        }
        let bytes = fs::read(path).ok()?;
        Some(match silt_core::source::decode(&bytes) {
            Ok(text) => text.into_owned(),
            Err((_, lossy)) => lossy,
        })
    };
    let mut stdout_text = String::new();
    for target in targets.iter().filter(|_| !args.diff) {
        let color = use_color(args.color, target.file.is_some());
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
            Some(file) => fs::write(file, text)
                .map_err(|e| Fatal(format!("cannot write `{}`: {e}", file.display())))?,
            None => stdout_text.push_str(&text),
        }
    }
    out(&stdout_text);

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

/// The silt.toml above the current folder with its custom rules, for `rules` and `explain`. A broken
/// configuration is a warning there: the built-in rules are still listed.
fn listing_linter() -> Linter {
    let cwd = std::env::current_dir().unwrap_or_default();
    match find_config(None, &cwd).and_then(|c| load_linter(c, false)) {
        Ok(l) => l,
        Err(Fatal(e)) => {
            eprintln!("warning: {}; listing built-in rules only", escape_text(&e));
            Linter::new(Config::default())
        }
    }
}

fn rules(format: RulesFormat) -> Result<(), Fatal> {
    let linter = listing_linter();
    let rules = linter.rules();
    match format {
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
            out(&format!("{text}\n"));
        }
        RulesFormat::Markdown => out(&silt_core::registry::markdown_table()),
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
                    r.summary
                ));
            }
            out(&s);
        }
    }
    Ok(())
}

fn explain(rule: &str) -> Result<(), Fatal> {
    let mut text = listing_linter()
        .explain(rule)
        .map_err(|m| Fatal(format!("{m} (`silt rules` lists them)")))?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    out(&text);
    Ok(())
}

fn init() -> Result<(), Fatal> {
    let path = PathBuf::from(CONFIG_FILE);
    let file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path);
    let mut file = match file {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(Fatal(format!(
                "{CONFIG_FILE} already exists; not overwriting it"
            )));
        }
        Err(e) => return Err(Fatal(format!("cannot create {CONFIG_FILE}: {e}"))),
    };
    file.write_all(silt_core::config::STARTER.as_bytes())
        .map_err(|e| Fatal(format!("cannot write {CONFIG_FILE}: {e}")))?;
    eprintln!("created {CONFIG_FILE}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PathBuf {
        PathBuf::from(s)
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
