//! The option objects of the JavaScript API as Rust types, for the generated TypeScript declarations
//! (`packages/silt/types.d.ts`, feature `ts`, see `tests/types.rs`). The glue reads the objects key by
//! key (its messages name the key at fault); `tests/types.rs` checks that the keys it accepts are the
//! fields declared here.

#![allow(dead_code)]

use ts_rs::TS;

/// A file handed to silt. `contents` is text or raw bytes (UTF-8, UTF-8 with BOM, UTF-16 with BOM).
#[derive(TS)]
#[ts(optional_fields)]
pub struct InputFile {
    /// Path relative to the lint root, `/`-separated: findings are reported against it.
    path: String,
    #[ts(type = "string | Uint8Array | ArrayBuffer", optional)]
    contents: Option<()>,
    /// Instead of `contents`: why the host could not read the file (reported as a `parse-error` at 1:1).
    error: Option<String>,
    /// Instead of `contents`, for a file over the size limit (`Linter.maxFileSize`): its size in
    /// bytes, reported as a `parse-error` without the host reading the file.
    size: Option<u64>,
}

/// How the linter is configured (what the native CLI reads from `silt.toml` and its custom rule files).
#[derive(TS)]
#[ts(optional_fields, rename_all = "camelCase")]
pub struct SetupOptions {
    /// `silt.toml` text.
    config: Option<String>,
    /// Name of the configuration in error messages (default `silt.toml`).
    config_path: Option<String>,
    /// Custom rule files the configuration names (see `customRuleFiles`), already read by the host.
    custom_rules: Option<Vec<InputFile>>,
    /// Files larger than this many bytes are a `parse-error` (overrides `[files] max_size`; default 64 MiB).
    max_file_size: Option<u64>,
}

/// How the result is rendered.
#[derive(TS)]
#[ts(optional_fields, rename_all = "camelCase")]
pub struct OutputOptions {
    /// Default `json`.
    #[ts(type = "OutputFormat", optional)]
    format: Option<String>,
    /// `fails` is true when a finding at or above this level remains (default: `fail_on`, else `error`).
    fail_on: Option<silt_core::Severity>,
    /// ANSI colours in the human format.
    color: Option<bool>,
    /// Human format: only the summary.
    quiet: Option<bool>,
    /// A baseline file's text (`silt lint --baseline`): the findings it records are hidden.
    baseline: Option<String>,
    /// The baseline's path, for error messages.
    baseline_path: Option<String>,
    /// Record the findings in a baseline (`silt lint --write-baseline`): returned as `baselineText`,
    /// then hidden.
    write_baseline: Option<bool>,
}

/// `Linter.fix` options.
#[derive(TS)]
#[ts(optional_fields)]
pub struct FixOptions {
    /// Add each file's unified diff (`silt lint --fix --diff`).
    diff: Option<bool>,
}

/// `new Workspace(host, options)`: what `silt lint`'s arguments say.
#[derive(TS)]
#[ts(optional_fields, rename_all = "camelCase")]
pub struct WorkspaceOptions {
    /// The paths given to `silt lint` (default: the current folder).
    paths: Option<Vec<String>>,
    /// `--config`: the configuration file to use.
    config: Option<String>,
    /// `--no-config`: no `silt.toml` even when one is found.
    no_config: Option<bool>,
    /// `--max-file-size`.
    max_file_size: Option<u64>,
}

/// What an `Error` about a configuration, custom rule or baseline file carries besides its `message`
/// (`silt.toml:3:7: unknown key …`): the file as the message names it, the 1-based position (absent
/// when the error is about the file as a whole, e.g. it cannot be read) and the message alone.
#[derive(TS)]
pub struct ConfigErrorFields {
    file: String,
    #[ts(optional)]
    line: Option<u32>,
    #[ts(optional)]
    column: Option<u32>,
    reason: String,
}

/// `diff(baseFiles, headFiles, options)` and `diffText` options besides the setup options.
#[derive(TS)]
#[ts(optional_fields, rename_all = "camelCase")]
pub struct DiffOptions {
    /// `diffText`: human, json (default), markdown or github.
    #[ts(type = "DiffFormat", optional)]
    format: Option<String>,
    /// `diffText`'s `fails`: an introduced finding at or above this level (default: `fail_on`, else `error`).
    fail_on: Option<silt_core::Severity>,
    /// How the base version is named in the report (default `base`).
    base: Option<String>,
    /// How the head version is named in the report (default `head`).
    head: Option<String>,
}
