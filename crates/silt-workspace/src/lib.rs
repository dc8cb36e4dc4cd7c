//! silt's workspace layer: everything between a host's file system and the core, once, for every
//! front end. Discovery (`sfdx-project.json`, package directories, ignore files, the symbolic link
//! policy), configuration and custom rules, baselines, fixes turned into new file contents, and the
//! command line itself ([`cli::run`]). It does no OS I/O of its own: a [`host::Host`] lists, reads
//! and writes. The native host (feature `native`) is `std::fs` with a thread pool; the Wasm build's
//! host is JavaScript (Node's `fs`, a browser's files, an editor's buffers).

pub mod access;
pub mod cli;
pub mod diff;
pub mod discover;
pub mod fix;
pub mod git;
pub mod host;
#[cfg(feature = "native")]
pub mod native;
pub mod run;
pub mod session;

pub use host::Host;

/// The package version, plus the git commit when built from a checkout of silt (see build.rs).
pub const VERSION: &str = env!("SILT_VERSION");
