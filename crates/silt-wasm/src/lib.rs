//! silt as WebAssembly: the wasm-bindgen glue the npm package `silt-lint` is built from.
//!
//! Only argument conversion lives here: every rule, every format and every position comes from
//! `silt-core`, so the browser, Node and the native CLI give the same answers for the same files.
//! JavaScript hands in `{path, contents}` objects (the host did the I/O); nothing here touches a file
//! system. Bad input is reported as a thrown JS `Error`, never as a trap (anchors §4.3: a panic in Wasm
//! kills the host); `console_error_panic_hook` is only the last resort that names a bug if one slips by.

mod diff;
mod host;
#[cfg(feature = "ts")]
pub mod options;
mod pool;
mod stream;

use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
use serde::Serialize;
use silt_core::report::{self, Format, RenderOptions};
use silt_core::{baseline, Config, ConfigError, FileResult, Linter, Report, Severity};
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Runs when the module is instantiated (Node `require`/`import`, or the web build's `init()`).
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

fn hook() {
    // Idempotent: also covers hosts that instantiate the module without running the start function.
    console_error_panic_hook::set_once();
}

/// One input file as the host gave it: its bytes, or why the host could not read it; `size` when the
/// host gave only the file's size (it is over the size limit, so the host did not read it).
struct InFile {
    path: String,
    contents: Result<Vec<u8>, String>,
    size: Option<u64>,
}

/// Configuration options: `config`, `configPath`, `customRules`, `maxFileSize`.
struct Setup {
    config: Option<String>,
    config_path: Option<String>,
    custom_rules: Vec<InFile>,
    /// Overrides `[files] max_size` (`silt lint --max-file-size`).
    max_file_size: Option<u64>,
}

/// Output options: `format`, `failOn`, `color`, `quiet`.
struct Output {
    format: Format,
    fail_on: Option<Severity>,
    color: bool,
    quiet: bool,
    /// `baseline` (its text) and `baselinePath` (for messages): hide the findings it records.
    baseline: Option<(String, String)>,
    /// Record the findings in a baseline (returned as `baselineText`), then hide them, like
    /// `silt lint --write-baseline`.
    write_baseline: bool,
}

// The keys of the option objects; `tests/types.rs` checks them against the declared option types
// (`options.rs`).
#[doc(hidden)]
pub const SETUP_KEYS: &[&str] = &["config", "configPath", "customRules", "maxFileSize"];
#[doc(hidden)]
pub const OUTPUT_KEYS: &[&str] = &[
    "format",
    "failOn",
    "color",
    "quiet",
    "baseline",
    "baselinePath",
    "writeBaseline",
];

fn type_error(message: impl AsRef<str>) -> JsError {
    JsError::new(message.as_ref())
}

#[doc(hidden)]
pub const FIX_KEYS: &[&str] = &["diff"];
pub use diff::DIFF_KEYS;
pub use host::WORKSPACE_KEYS;

/// A configuration error as a thrown `Error`: the message (`silt.toml:3:7: …`) and the same facts
/// as properties (`file`, `line`, `column`, `reason`), so hosts never parse the message.
fn config_error(e: &ConfigError) -> JsValue {
    let err = file_error(&e.file, &e.to_string(), &e.message);
    let _ = Reflect::set(&err, &"line".into(), &e.position.line.into());
    let _ = Reflect::set(&err, &"column".into(), &e.position.column.into());
    err
}

/// An `Error` about a configuration or custom rule file as a whole: `file` and `reason` besides the
/// message.
fn file_error(file: &str, message: &str, reason: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    let _ = Reflect::set(&err, &"file".into(), &file.into());
    let _ = Reflect::set(&err, &"reason".into(), &reason.into());
    err.into()
}

fn get(obj: &JsValue, key: &str) -> Result<JsValue, JsError> {
    Reflect::get(obj, &JsValue::from_str(key))
        .map_err(|_| type_error(format!("cannot read property `{key}`")))
}

fn is_missing(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

fn opt_string(obj: &JsValue, key: &str) -> Result<Option<String>, JsError> {
    let v = get(obj, key)?;
    if is_missing(&v) {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| type_error(format!("options.{key} must be a string")))
}

fn opt_bool(obj: &JsValue, key: &str) -> Result<bool, JsError> {
    let v = get(obj, key)?;
    if is_missing(&v) {
        return Ok(false);
    }
    v.as_bool()
        .ok_or_else(|| type_error(format!("options.{key} must be a boolean")))
}

impl InFile {
    /// The file's result: parsed, or a `parse-error` saying why the host could not read it.
    fn check(&self, linter: &Linter) -> FileResult {
        if let Some(size) = self.size {
            if let Some(too_large) = linter.check_size(&self.path, size) {
                return too_large;
            }
            if !linter.reads(&self.path) {
                return FileResult {
                    path: self.path.clone(),
                    ..Default::default()
                };
            }
        }
        match &self.contents {
            Ok(bytes) => linter.check_file(&self.path, bytes),
            Err(message) => FileResult::unreadable(&self.path, message),
        }
    }
}

/// File contents: a string (text) or bytes (`Uint8Array`, Node `Buffer`, `ArrayBuffer`).
fn contents_bytes(v: &JsValue, what: &str) -> Result<Vec<u8>, JsError> {
    if let Some(s) = v.as_string() {
        return Ok(s.into_bytes());
    }
    if let Some(a) = v.dyn_ref::<Uint8Array>() {
        return Ok(a.to_vec());
    }
    if let Some(b) = v.dyn_ref::<ArrayBuffer>() {
        return Ok(Uint8Array::new(b).to_vec());
    }
    Err(type_error(format!(
        "{what}.contents must be a string or a Uint8Array"
    )))
}

/// An array of `{path, contents}` (or `{path, error}` for a file the host could not read).
fn read_files(v: &JsValue, what: &str) -> Result<Vec<InFile>, JsError> {
    let mut out = Vec::new();
    each_file(v, what, |f| {
        out.push(f);
        Ok(())
    })?;
    Ok(out)
}

/// Hand each `{path, contents}` of an array to `f` as it is copied into Wasm memory, so a big
/// project never has all its bytes in Wasm memory at once.
fn each_file(
    v: &JsValue,
    what: &str,
    mut f: impl FnMut(InFile) -> Result<(), JsError>,
) -> Result<(), JsError> {
    let arr = v.dyn_ref::<Array>().ok_or_else(|| {
        type_error(format!(
            "{what} must be an array of {{path, contents}} objects"
        ))
    })?;
    for (i, item) in arr.iter().enumerate() {
        let at = format!("{what}[{i}]");
        if !item.is_object() {
            return Err(type_error(format!(
                "{at} must be an object {{path, contents}}"
            )));
        }
        let path = get(&item, "path")?
            .as_string()
            .ok_or_else(|| type_error(format!("{at}.path must be a string")))?;
        let contents = get(&item, "contents")?;
        let error = get(&item, "error")?;
        let size = opt_size(&item, "size", &at)?;
        let contents = if is_missing(&contents) && !is_missing(&error) {
            Err(error
                .as_string()
                .ok_or_else(|| type_error(format!("{at}.error must be a string")))?)
        } else if is_missing(&contents) && size.is_some() {
            Err(NOT_READ.to_string())
        } else {
            Ok(contents_bytes(&contents, &at)?)
        };
        f(InFile {
            path: path.replace('\\', "/"),
            contents,
            size,
        })?;
    }
    Ok(())
}

/// A file given by its size alone that turns out to be within the size limit.
const NOT_READ: &str = "not read: the host gave only the file's size";

/// A size in bytes (`size` of a `{path, size}` file, `maxFileSize`): a whole number, or absent.
fn opt_size(obj: &JsValue, key: &str, at: &str) -> Result<Option<u64>, JsError> {
    let v = get(obj, key)?;
    if is_missing(&v) {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n < 2f64.powi(64) => Ok(Some(n as u64)),
        _ => Err(type_error(format!(
            "{at}.{key} must be a whole number of bytes"
        ))),
    }
}

/// Check that `v` is a plain options object with only known keys.
fn check_keys(v: &JsValue, allowed: &[&[&str]]) -> Result<bool, JsError> {
    if is_missing(v) {
        return Ok(false);
    }
    if !v.is_object() || v.is_function() || Array::is_array(v) {
        return Err(type_error("options must be an object"));
    }
    for key in Object::keys(v.unchecked_ref::<Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if !allowed.iter().any(|keys| keys.contains(&key.as_str())) {
            let all: Vec<&str> = allowed.iter().flat_map(|k| k.iter().copied()).collect();
            return Err(type_error(format!(
                "unknown option `{key}`; expected one of {}",
                all.join(", ")
            )));
        }
    }
    Ok(true)
}

fn read_setup(v: &JsValue) -> Result<Setup, JsError> {
    let mut s = Setup {
        config: None,
        config_path: None,
        custom_rules: Vec::new(),
        max_file_size: None,
    };
    if is_missing(v) {
        return Ok(s);
    }
    s.max_file_size = opt_size(v, "maxFileSize", "options")?;
    s.config = opt_string(v, "config")?;
    s.config_path = opt_string(v, "configPath")?;
    let rules = get(v, "customRules")?;
    if !is_missing(&rules) {
        s.custom_rules = read_files(&rules, "options.customRules")?;
    }
    Ok(s)
}

fn read_output(v: &JsValue) -> Result<Output, JsError> {
    let mut o = Output {
        format: Format::Json,
        fail_on: None,
        color: false,
        quiet: false,
        baseline: None,
        write_baseline: false,
    };
    if is_missing(v) {
        return Ok(o);
    }
    if let Some(f) = opt_string(v, "format")? {
        o.format = Format::parse(&f).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
            type_error(format!(
                "unknown format `{f}`; expected one of {}",
                names.join(", ")
            ))
        })?;
    }
    if let Some(s) = opt_string(v, "failOn")? {
        o.fail_on = Some(Severity::parse(&s).ok_or_else(|| {
            type_error(format!(
                "unknown failOn level `{s}`; expected error, warning or note"
            ))
        })?);
    }
    o.color = opt_bool(v, "color")?;
    o.quiet = opt_bool(v, "quiet")?;
    if let Some(text) = opt_string(v, "baseline")? {
        let path =
            opt_string(v, "baselinePath")?.unwrap_or_else(|| "silt-baseline.json".to_string());
        o.baseline = Some((path, text));
    }
    o.write_baseline = opt_bool(v, "writeBaseline")?;
    Ok(o)
}

/// The same steps as the native CLI: parse the configuration, load the custom rules, validate.
fn configure(setup: &Setup) -> Result<Linter, JsValue> {
    let config_path = setup
        .config_path
        .clone()
        .unwrap_or_else(|| "silt.toml".to_string());
    let config_text = setup.config.clone().unwrap_or_default();
    let mut config = match &setup.config {
        Some(text) => Config::parse(&config_path, text).map_err(|e| config_error(&e))?,
        None => Config::default(),
    };
    if setup.max_file_size.is_some() {
        config.files.max_size = setup.max_file_size;
    }
    let mut linter = Linter::new(config);
    for rule_file in &setup.custom_rules {
        let unreadable = |reason: &str| {
            file_error(
                &rule_file.path,
                &format!("{}: {reason}", rule_file.path),
                reason,
            )
        };
        let bytes = rule_file.contents.as_ref().map_err(|e| unreadable(e))?;
        let text = match silt_core::source::decode(bytes) {
            Ok(t) => t,
            Err((e, _)) => return Err(unreadable(&e.message)),
        };
        linter
            .add_custom_rules(&rule_file.path, &text)
            .map_err(|e| config_error(&e))?;
    }
    linter
        .validate(&config_path, &config_text)
        .map_err(|e| config_error(&e))?;
    Ok(linter)
}

/// The outcome of one lint call, before it is turned into JS values.
struct Run {
    report: Report,
    fails: bool,
    sources: HashMap<String, Vec<u8>>,
    out: Output,
    /// With `writeBaseline`: the baseline file's text.
    baseline_text: Option<String>,
    /// With `baseline`: what it hid and which of its entries are fixed.
    baseline: Option<baseline::Outcome>,
}

impl Run {
    /// Severity overrides are done; apply or write the baseline (as `silt lint` does), then decide
    /// whether the run fails.
    fn new(
        linter: &Linter,
        mut report: Report,
        sources: HashMap<String, Vec<u8>>,
        out: Output,
    ) -> Result<Run, JsValue> {
        let mut baseline_text = None;
        let mut outcome = None;
        if out.write_baseline {
            let text = baseline::write(&report);
            if let Ok(b) = baseline::parse("baseline", &text) {
                baseline::apply(&mut report, &b);
            }
            baseline_text = Some(text);
        } else if let Some((path, text)) = &out.baseline {
            let b = baseline::parse(path, text).map_err(|e| config_error(&e))?;
            outcome = Some(baseline::apply(&mut report, &b));
        }
        let level = out
            .fail_on
            .or(linter.config.fail_on)
            .unwrap_or(Severity::Error);
        let fails = report.fails(level);
        Ok(Run {
            report,
            fails,
            sources,
            out,
            baseline_text,
            baseline: outcome,
        })
    }

    /// `fails`, and the baseline's results when one was used or written.
    fn set_common(&self, obj: &JsValue) -> Result<(), JsError> {
        set(obj, "fails", &JsValue::from_bool(self.fails))?;
        if let Some(t) = &self.baseline_text {
            set(obj, "baselineText", &JsValue::from_str(t))?;
        }
        if let Some(o) = &self.baseline {
            set(obj, "baseline", &to_js(o)?)?;
        }
        Ok(())
    }
}

impl Run {
    fn text(&self) -> String {
        let source = |path: &str| {
            self.sources
                .get(path)
                .map(|b| match silt_core::source::decode(b) {
                    Ok(t) => t.into_owned(),
                    Err((_, lossy)) => lossy,
                })
        };
        let opts = RenderOptions {
            color: self.out.color,
            quiet: self.out.quiet,
        };
        report::render(&self.report, self.out.format, &source, opts)
    }

    fn text_result(&self) -> Result<JsValue, JsError> {
        let obj: JsValue = Object::new().into();
        set(&obj, "text", &JsValue::from_str(&self.text()))?;
        self.set_common(&obj)?;
        Ok(obj)
    }

    fn object_result(&self) -> Result<JsValue, JsError> {
        if self.out.format != Format::Json {
            return self.text_result();
        }
        let obj = to_js(&self.report)?;
        self.set_common(&obj)?;
        Ok(obj)
    }
}

fn check(linter: &Linter, files: &JsValue, out: Output) -> Result<Run, JsValue> {
    // Each file is parsed as soon as it is read; only the human format keeps the texts (for its
    // code frames).
    let mut results = Vec::new();
    let mut sources = HashMap::new();
    each_file(files, "files", |f| {
        results.push(f.check(linter));
        if out.format == Format::Human {
            if let Ok(bytes) = f.contents {
                sources.insert(f.path, bytes);
            }
        }
        Ok(())
    })?;
    Run::new(linter, linter.finish(results), sources, out)
}

/// One-shot: configure from `options`, then check `files`.
fn run(files: &JsValue, options: &JsValue) -> Result<Run, JsValue> {
    hook();
    check_keys(options, &[SETUP_KEYS, OUTPUT_KEYS])?;
    let linter = configure(&read_setup(options)?)?;
    check(&linter, files, read_output(options)?)
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| type_error(format!("cannot convert the result to JavaScript: {e}")))
}

fn set(obj: &JsValue, key: &str, value: &JsValue) -> Result<(), JsError> {
    Reflect::set(obj, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|_| type_error(format!("cannot set `{key}`")))
}

/// Lint files. `format` json (default): the report object of `silt lint --format json` plus `fails`;
/// any other format: `{text, fails}`.
#[wasm_bindgen]
pub fn lint(files: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    Ok(run(&files, &options)?.object_result()?)
}

/// Lint files and return `{text, fails}` in any format, json included: `text` is exactly what
/// `silt lint --format <format>` prints.
#[wasm_bindgen(js_name = lintText)]
pub fn lint_text(files: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    Ok(run(&files, &options)?.text_result()?)
}

/// Lint files and return the JSON report text, byte for byte what `silt lint --format json` prints.
#[wasm_bindgen(js_name = lintJson)]
pub fn lint_json(files: JsValue, options: JsValue) -> Result<String, JsValue> {
    let r = run(&files, &options)?;
    Ok(report::json::render(&r.report))
}

/// An access query `{user?, permission?, object?, access?}` (absent: the integration-user summary).
fn read_query(query: &JsValue) -> Result<silt_core::access::AccessQuery, JsError> {
    let q: silt_core::access::AccessQuery =
        if !check_keys(query, &[&["user", "permission", "object", "access"]])? {
            Default::default()
        } else {
            serde_wasm_bindgen::from_value(query.clone())
                .map_err(|e| type_error(format!("access query: {e}")))?
        };
    q.validate().map_err(type_error)?;
    Ok(q)
}

/// Effective access: the JSON version 1 object of `silt access --format json` for `files` and
/// `query` (`{user?, permission?, object?, access?}`). `options`: `{config?, configPath?,
/// customRules?, maxFileSize?}`.
#[wasm_bindgen]
pub fn access(files: JsValue, query: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    hook();
    check_keys(&options, &[SETUP_KEYS])?;
    let query = read_query(&query)?;
    let mut linter = configure(&read_setup(&options)?)?;
    let mut results = Vec::new();
    each_file(&files, "files", |f| {
        results.push(f.check(&linter));
        Ok(())
    })?;
    // `user`: that user's profile and permission sets again, with their fields, classes, … kept.
    let again = linter.access_detail_files(&results, &query);
    if !again.is_empty() {
        linter.access_detail = true;
        let mut i = 0;
        each_file(&files, "files", |f| {
            if again.contains(&f.path) {
                if let Some(r) = results.get_mut(i) {
                    *r = f.check(&linter);
                }
            }
            i += 1;
            Ok(())
        })?;
    }
    Ok(to_js(&linter.access(results, &query))?)
}

/// The custom rule files a `silt.toml` names (relative to it): what a host reads and passes back as
/// `customRules`. Throws for an invalid configuration.
#[wasm_bindgen(js_name = customRuleFiles)]
pub fn custom_rule_files(config: JsValue, config_path: JsValue) -> Result<Vec<String>, JsValue> {
    hook();
    let text = config
        .as_string()
        .ok_or_else(|| type_error("customRuleFiles(config): config must be a string"))?;
    let path = if is_missing(&config_path) {
        "silt.toml".to_string()
    } else {
        config_path.as_string().ok_or_else(|| {
            type_error("customRuleFiles(config, configPath): configPath must be a string")
        })?
    };
    let config = Config::parse(&path, &text).map_err(|e| config_error(&e))?;
    Ok(config.custom_rules)
}

/// A configured linter, for hosts that lint more than once with one configuration (the Node CLI, a
/// language server): configuration parsed once, file selection by the configuration's globs.
#[wasm_bindgen(js_name = Linter)]
pub struct JsLinter {
    linter: Linter,
    /// Per-file results kept by `update` and `read` (incremental use: only changed files are parsed
    /// again), sorted by path.
    files: stream::Kept,
}

#[wasm_bindgen(js_class = Linter)]
impl JsLinter {
    /// `options`: `{config?, configPath?, customRules?}`. Throws for an invalid configuration.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<JsLinter, JsValue> {
        hook();
        check_keys(&options, &[SETUP_KEYS])?;
        Ok(JsLinter {
            linter: configure(&read_setup(&options)?)?,
            files: Default::default(),
        })
    }

    /// Whether `[files] include`/`exclude` select a path (relative to the lint root).
    #[wasm_bindgen(js_name = isIncluded)]
    pub fn is_included(&self, path: &str) -> bool {
        self.linter.config.is_included(&path.replace('\\', "/"))
    }

    /// Whether `[files] user_data` declares a path user data.
    #[wasm_bindgen(js_name = isUserData)]
    pub fn is_user_data(&self, path: &str) -> bool {
        self.linter.config.is_user_data(&path.replace('\\', "/"))
    }

    /// Files larger than this many bytes are a `parse-error` (`[files] max_size`, else the default):
    /// a host that knows a file's size passes `{path, size}` instead of reading such a file.
    #[wasm_bindgen(getter, js_name = maxFileSize)]
    pub fn max_file_size(&self) -> f64 {
        self.linter.config.max_file_size() as f64
    }

    /// The configuration's `fail_on`, or `undefined`.
    #[wasm_bindgen(getter, js_name = failOn)]
    pub fn fail_on(&self) -> Option<String> {
        self.linter.config.fail_on.map(|s| s.as_str().to_string())
    }

    /// Like the `lint` function, with this configuration. `options`: `{format?, failOn?, color?, quiet?}`.
    pub fn lint(&self, files: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        check_keys(&options, &[OUTPUT_KEYS])?;
        Ok(check(&self.linter, &files, read_output(&options)?)?.object_result()?)
    }

    /// Like the `lintText` function, with this configuration.
    #[wasm_bindgen(js_name = lintText)]
    pub fn lint_text(&self, files: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        check_keys(&options, &[OUTPUT_KEYS])?;
        Ok(check(&self.linter, &files, read_output(&options)?)?.text_result()?)
    }

    /// Incremental use: parse one file (`contents` a string or bytes, or `{error}` for a file the host
    /// could not read) and keep its result until the next `update` or `remove` of that path.
    pub fn update(&mut self, path: JsValue, contents: JsValue) -> Result<(), JsError> {
        hook();
        let path = path
            .as_string()
            .ok_or_else(|| type_error("update(path, contents): path must be a string"))?
            .replace('\\', "/");
        let result = if !is_missing(&contents)
            && contents.is_object()
            && contents.dyn_ref::<Uint8Array>().is_none()
            && contents.dyn_ref::<ArrayBuffer>().is_none()
        {
            match opt_size(&contents, "size", "update(path, contents)")? {
                Some(n) => self
                    .linter
                    .check_size(&path, n)
                    .unwrap_or_else(|| FileResult::unreadable(&path, NOT_READ)),
                None => {
                    let error = get(&contents, "error")?.as_string().ok_or_else(|| {
                        type_error("update(path, {error}): error must be a string")
                    })?;
                    FileResult::unreadable(&path, &error)
                }
            }
        } else {
            self.linter
                .check_file(&path, &contents_bytes(&contents, "update(path, contents)")?)
        };
        self.files.insert(path, result);
        Ok(())
    }

    fn kept_run(&self, options: &JsValue) -> Result<Run, JsValue> {
        check_keys(options, &[OUTPUT_KEYS])?;
        let out = read_output(options)?;
        let report = self.linter.finish_kept(self.files.as_slice());
        Run::new(&self.linter, report, HashMap::new(), out)
    }

    /// Incremental use: forget a file.
    pub fn remove(&mut self, path: &str) {
        self.files.remove(&path.replace('\\', "/"));
    }

    /// Incremental use: effective access over the kept files, like the `access` function returns
    /// (fields, classes, pages, apps and tabs are not kept by `update`: `--user` answers without them).
    pub fn access(&self, query: JsValue) -> Result<JsValue, JsError> {
        let query = read_query(&query)?;
        to_js(&self.linter.access_kept(self.files.as_slice(), &query))
    }

    /// Incremental use: join the kept files (cross-file rules) into a report, like `lint` returns.
    /// `options`: `{format?, failOn?, color?, quiet?}`.
    pub fn report(&self, options: JsValue) -> Result<JsValue, JsValue> {
        Ok(self.kept_run(&options)?.object_result()?)
    }

    /// Incremental use: like `report`, with the result `lintText` gives (`{text, fails, …}`; the human
    /// format without code frames, as the files' texts are not kept): an export of what was checked,
    /// without reading a file again.
    #[wasm_bindgen(js_name = reportText)]
    pub fn report_text(&self, options: JsValue) -> Result<JsValue, JsValue> {
        Ok(self.kept_run(&options)?.text_result()?)
    }

    /// The mechanical fixes of `files` (`[{path, contents}]`, as for `lint`), applied to the given
    /// contents: `[{path, text, edits, diff?}]` for every file they change (`diff`: the unified diff
    /// `silt lint --fix --diff` prints, with `{diff: true}`), and `{path, warning}` for a file whose
    /// bytes are not UTF-8 (left alone, like the native CLI does). The host writes the files.
    pub fn fix(&self, files: JsValue, options: JsValue) -> Result<JsValue, JsError> {
        hook();
        check_keys(&options, &[FIX_KEYS])?;
        let want_diff = !is_missing(&options) && opt_bool(&options, "diff")?;
        let files = read_files(&files, "files")?;
        let results = files.iter().map(|f| f.check(&self.linter)).collect();
        let report = self.linter.finish(results);
        let contents: HashMap<&str, &Vec<u8>> = files
            .iter()
            .filter_map(|f| Some((f.path.as_str(), f.contents.as_ref().ok()?)))
            .collect();
        let out = Array::new();
        for (rel, edits) in silt_core::fix::edits_by_file(&report.diagnostics) {
            let Some(bytes) = contents.get(rel) else {
                continue;
            };
            let obj: JsValue = Object::new().into();
            set(&obj, "path", &JsValue::from_str(rel))?;
            let Ok(text) = std::str::from_utf8(bytes) else {
                set(
                    &obj,
                    "warning",
                    &JsValue::from_str(&format!("{rel} is not UTF-8; its fixes were not applied")),
                )?;
                out.push(&obj);
                continue;
            };
            let (new_text, n) = silt_core::fix::apply(text, &edits);
            if n == 0 || new_text == text {
                continue;
            }
            if want_diff {
                set(
                    &obj,
                    "diff",
                    &JsValue::from_str(&silt_core::fix::diff(rel, text, &new_text)),
                )?;
            }
            set(&obj, "text", &JsValue::from_str(&new_text))?;
            set(&obj, "edits", &JsValue::from_f64(n as f64))?;
            out.push(&obj);
        }
        Ok(out.into())
    }

    /// Built-in and custom rules, sorted by name.
    pub fn rules(&self) -> Result<JsValue, JsError> {
        to_js(&self.linter.rules())
    }

    /// Documentation of a built-in or custom rule. Throws for unknown rules.
    pub fn explain(&self, name: JsValue) -> Result<String, JsError> {
        explain_in(&self.linter, &name)
    }
}

fn explain_in(linter: &Linter, name: &JsValue) -> Result<String, JsError> {
    hook();
    let name = name
        .as_string()
        .ok_or_else(|| type_error("explain(name): name must be a string"))?;
    linter.explain(&name).map_err(type_error)
}

/// The built-in rules' metadata (name, severity, summary, rationale, sources, tags, fixable, examples…).
#[wasm_bindgen]
pub fn rules() -> Result<JsValue, JsError> {
    hook();
    to_js(&Linter::new(Config::default()).rules())
}

/// A built-in rule's documentation in Markdown (what `silt explain <rule>` prints). Throws for unknown
/// rules.
#[wasm_bindgen]
pub fn explain(name: JsValue) -> Result<String, JsError> {
    explain_in(&Linter::new(Config::default()), &name)
}

/// The rule table in Markdown (what `silt rules --format markdown` prints).
#[wasm_bindgen(js_name = rulesMarkdown)]
pub fn rules_markdown() -> String {
    hook();
    silt_core::registry::markdown_table()
}

/// silt's version, as `silt --version` prints it (with the git commit when built from a checkout).
#[wasm_bindgen]
pub fn version() -> String {
    silt_workspace::VERSION.to_string()
}

/// The folders silt never walks (`node_modules`, `.git`, …; of `.git` it reads only `info/exclude`):
/// a host that lists a folder itself (the browser page) need not hand over what is in them.
#[wasm_bindgen(js_name = skippedDirs)]
pub fn skipped_dirs() -> Vec<String> {
    silt_workspace::discover::SKIPPED_DIRS
        .iter()
        .map(|d| d.to_string())
        .collect()
}

/// Which of a listed folder's files (`paths`: relative, `/`-separated) a host hands over for a lint
/// of the folder: `{files, narrowed}` (silt-workspace's `hand_over`), `files` the indices into
/// `paths`. Left out are files in folders silt never walks and, when the folder has no `silt.toml`
/// and the host no configuration (`configured`), files a lint without one cannot read (`narrowed`).
#[wasm_bindgen(js_name = handOver)]
pub fn hand_over(paths: Vec<String>, configured: bool) -> Result<JsValue, JsError> {
    let h = silt_workspace::discover::hand_over(&paths, configured);
    let out = Object::new();
    let files: Vec<u32> = h.files.iter().map(|&i| i as u32).collect();
    set(&out, "files", &js_sys::Uint32Array::from(files.as_slice()))?;
    set(&out, "narrowed", &JsValue::from_bool(h.narrowed))?;
    Ok(out.into())
}

/// What kind of file `path` is (`"Profile"`, `"PermissionSet"`, `"UserDef"`, `"Csv"`, `"Config"`…), or
/// `null` when silt does not read it: hosts read only the files this accepts.
#[wasm_bindgen]
pub fn classify(path: JsValue) -> Result<JsValue, JsError> {
    hook();
    let path = path
        .as_string()
        .ok_or_else(|| type_error("classify(path): path must be a string"))?;
    Ok(match silt_core::classify(&path) {
        Some(k) => JsValue::from_str(k.name()),
        None => JsValue::NULL,
    })
}

/// The commented starter `silt.toml` (what `silt init` writes).
/// Text from a file, a file name, a baseline or a configuration made safe for a terminal or a log:
/// newlines and other control characters become visible escapes (`\n`, `\u{1b}`), as in every
/// text format. For hosts that print such text themselves (stderr).
#[wasm_bindgen(js_name = escapeText)]
pub fn escape_text(text: &str) -> String {
    report::escape_text(text).into_owned()
}

#[wasm_bindgen(js_name = starterConfig)]
pub fn starter_config() -> String {
    silt_core::config::STARTER.to_string()
}
