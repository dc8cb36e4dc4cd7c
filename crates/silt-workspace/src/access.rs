//! `silt access`: effective access of users, run-as users and profiles. Reads the files like `silt
//! lint` and prints one of the renderers of `silt_core::report::access`; no access logic here.

use crate::cli::Fatal;
use crate::discover;
use crate::host::Host;
use crate::session::{Options, Session};
use clap::{Args, ValueEnum};
use silt_core::access::AccessQuery;
use silt_core::report::{access as render, escape_text};

#[derive(Args, Debug)]
pub struct AccessArgs {
    /// Files or folders to read (default: the current folder).
    #[arg(value_name = "PATHS")]
    paths: Vec<String>,
    /// One user's effective access (a username, or a profile name), dangerous permissions first.
    #[arg(long, value_name = "USERNAME")]
    user: Option<String>,
    /// Who holds this user or custom permission, and through what (muted grants marked).
    #[arg(long, value_name = "NAME", conflicts_with = "user")]
    permission: Option<String>,
    /// Who has access to this object, and through what.
    #[arg(long, value_name = "OBJECT", conflicts_with_all = ["user", "permission"])]
    object: Option<String>,
    /// With --object: only this access (read, create, edit, delete, viewall, modifyall, viewallfields).
    #[arg(long, value_name = "ACCESS", requires = "object")]
    access: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AccessFormat::Human)]
    format: AccessFormat,
    /// Configuration file (default: the first silt.toml found from the root upwards).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<String>,
    /// Ignore any silt.toml.
    #[arg(long)]
    no_config: bool,
    /// Number of worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AccessFormat {
    Human,
    Json,
    Markdown,
}

/// Run `silt access`: exit 0 (2 on usage or read errors, through `Fatal`).
pub(crate) fn run(host: &dyn Host, args: &AccessArgs) -> Result<u8, Fatal> {
    let query = AccessQuery {
        user: args.user.clone(),
        permission: args.permission.clone(),
        object: args.object.clone(),
        access: args.access.clone(),
    };
    query.validate()?;
    let Session {
        mut linter,
        discovered,
        ..
    } = Session::open(
        host,
        &Options {
            paths: args.paths.clone(),
            config: args.config.clone(),
            no_config: args.no_config,
            max_file_size: None,
        },
    )
    .map_err(|e| Fatal(e.to_string()))?;
    for w in &discovered.warnings {
        host.stderr(format!("warning: {}\n", escape_text(w)).as_bytes());
    }
    let check = |linter: &silt_core::Linter, entries: &[discover::Entry]| {
        host.check_all(linter, entries, args.threads, false)
            .into_iter()
            .map(|(r, _)| r)
            .collect::<Vec<_>>()
    };
    let mut results = check(&linter, &discovered.entries);
    // `--user`: that user's profile and permission sets again, with their fields, classes, … kept.
    let again = linter.access_detail_files(&results, &query);
    if !again.is_empty() {
        linter.access_detail = true;
        let entries: Vec<discover::Entry> = discovered
            .entries
            .iter()
            .filter(|e| again.contains(e.rel()))
            .cloned()
            .collect();
        let mut detailed = check(&linter, &entries);
        for r in results.iter_mut() {
            if let Some(i) = detailed.iter().position(|d| d.path == r.path) {
                *r = detailed.swap_remove(i);
            }
        }
    }
    drop(discovered);
    let report = linter.access(results, &query);
    let text = match args.format {
        AccessFormat::Human => render::human(&report),
        AccessFormat::Json => render::json(&report),
        AccessFormat::Markdown => render::markdown(&report),
    };
    host.stdout(text.as_bytes());
    Ok(0)
}
