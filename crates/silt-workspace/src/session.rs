//! A workspace session: the plan, the configuration with its custom rules, and the discovered files
//! of one run. The CLI, the Wasm build's `Workspace` (the browser page, the language server) and
//! tests all open one the same way, so every front end reads the same files with the same settings.

use crate::discover::{self, Discovered, Entry, Plan};
use crate::host::{self, Host, HostError, Kind};
use crate::run::Digests;
use silt_core::{Config, ConfigError, FileResult, Linter, Recipe, Report};

pub const CONFIG_FILE: &str = "silt.toml";

/// What opening a workspace can fail on.
#[derive(Debug, Clone)]
pub enum Error {
    /// `silt.toml` or a custom rule file is wrong: file, line, column, message.
    Config(ConfigError),
    /// A path that does not exist, an unreadable configuration, …
    Other(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Config(e) => write!(f, "{e}"),
            Error::Other(m) => f.write_str(m),
        }
    }
}

impl From<String> for Error {
    fn from(s: String) -> Error {
        Error::Other(s)
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Error {
        Error::Config(e)
    }
}

/// How to open a workspace (the CLI's `--config`, `--no-config`, `--max-file-size`).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub paths: Vec<String>,
    pub config: Option<String>,
    pub no_config: bool,
    pub max_file_size: Option<u64>,
}

pub struct Session {
    pub plan: Plan,
    pub linter: Linter,
    /// The configuration file used (absolute), if any.
    pub config_path: Option<String>,
    pub discovered: Discovered,
}

impl Session {
    /// Plan, find and load the configuration, discover the files.
    pub fn open(host: &dyn Host, options: &Options) -> Result<Session, Error> {
        let plan = discover::plan(host, &options.paths)?;
        let config_file = if options.no_config {
            None
        } else {
            find_config(host, options.config.as_deref(), &plan.root)?
        };
        let config_path = config_file.as_ref().map(|(p, _)| p.clone());
        let mut linter = load_linter(host, config_file, options.config.as_deref())?;
        if let Some(max) = options.max_file_size {
            linter.config.files.max_size = Some(max);
        }
        let discovered = discover::files(host, &plan, &linter.config);
        Ok(Session {
            plan,
            linter,
            config_path,
            discovered,
        })
    }

    pub fn entries(&self) -> &[Entry] {
        &self.discovered.entries
    }

    /// Read and check every discovered file; with `digests`, also the digest of each file's bytes.
    pub fn check(
        &self,
        host: &dyn Host,
        threads: Option<usize>,
        digests: bool,
    ) -> (Vec<FileResult>, Digests) {
        let mut sums = Digests::new();
        let results = host
            .check_all(&self.linter, self.entries(), threads, digests)
            .into_iter()
            .map(|(r, d)| {
                if let Some(d) = d {
                    sums.insert(r.path.clone(), d);
                }
                r
            })
            .collect();
        (results, sums)
    }

    /// Read, check and join every discovered file.
    pub fn lint(&self, host: &dyn Host, threads: Option<usize>) -> Report {
        self.linter.finish(self.check(host, threads, false).0)
    }
}

/// How a path is shown in messages: relative to the current folder when below it.
pub fn shown(host: &dyn Host, path: &str) -> String {
    let cwd = host.cwd().ok().and_then(|c| host.realpath(&c).ok());
    let canon = host.realpath(path).unwrap_or_else(|_| path.to_string());
    match cwd {
        Some(c) if host::is_under(&canon, &c) && canon != c => {
            host::relative(&c, &canon).to_string()
        }
        _ => path.to_string(),
    }
}

pub fn read_text(host: &dyn Host, path: &str) -> Result<String, HostError> {
    let bytes = host.read(path, 64 << 20)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The configuration file: `explicit`, else the first silt.toml from `start` upwards.
pub fn find_config(
    host: &dyn Host,
    explicit: Option<&str>,
    start: &str,
) -> Result<Option<(String, String)>, Error> {
    let cwd = host
        .cwd()
        .map_err(|e| format!("cannot read the current folder: {e}"))?;
    let (path, display) = match explicit {
        Some(p) => (host::absolute(&cwd, p), p.to_string()),
        None => {
            let found = std::iter::successors(Some(start), |d| host::parent(d))
                .map(|d| host::join(d, CONFIG_FILE))
                .find(|p| host.kind(p, true) == Ok(Kind::File));
            match found {
                Some(p) => {
                    let display = shown(host, &p);
                    (p, display)
                }
                None => return Ok(None),
            }
        }
    };
    let text = read_text(host, &path)
        .map_err(|e| format!("cannot read configuration `{display}`: {e}"))?;
    Ok(Some((path, text)))
}

/// A linter with the configuration and its custom rules loaded and validated.
pub fn load_linter(
    host: &dyn Host,
    config_file: Option<(String, String)>,
    explicit: Option<&str>,
) -> Result<Linter, Error> {
    let Some((path, text)) = config_file else {
        let mut linter = Linter::new(Config::default());
        linter.recipe = Some(Recipe::default());
        return Ok(linter);
    };
    let display = match explicit {
        Some(p) => p.to_string(),
        None => shown(host, &path),
    };
    let config = Config::parse(&display, &text)?;
    let base = host::parent(&path).unwrap_or("/").to_string();
    let custom = config.custom_rules.clone();
    let mut linter = Linter::new(config);
    let mut recipe = Recipe::default();
    for rule_file in &custom {
        let rule_path = host::absolute(&base, rule_file);
        let rule_display = shown(host, &rule_path);
        let rule_text = read_text(host, &rule_path)
            .map_err(|e| format!("{display}: cannot read custom rule file `{rule_file}`: {e}"))?;
        linter.add_custom_rules(&rule_display, &rule_text)?;
        recipe.custom_rules.push((rule_display, rule_text));
    }
    linter.validate(&display, &text)?;
    recipe.config = Some((display, text));
    linter.recipe = Some(recipe);
    Ok(linter)
}
