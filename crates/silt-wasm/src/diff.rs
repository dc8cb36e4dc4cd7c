//! `diff(baseFiles, headFiles, options)` and `diffText`: `silt diff` over two sets of files the host
//! hands in (a browser's two folders, two revisions a CI script read). The comparison and its formats
//! are `silt_core::diff` and `silt_core::report::diff`, as in the native CLI.

use crate::{
    check_keys, configure, contents_bytes, each_file, get, hook, is_missing, opt_string,
    read_setup, set, to_js, type_error, SETUP_KEYS,
};
use js_sys::Array;
use silt_core::diff::{digest, DiffReport, Digests, Side, Texts};
use silt_core::report::diff::{render, DiffFormat};
use silt_core::{Linter, Severity};
use std::collections::HashMap;
use wasm_bindgen::prelude::*;

/// The keys of `diff`'s and `diffText`'s options besides the setup keys.
#[doc(hidden)]
pub const DIFF_KEYS: &[&str] = &["format", "failOn", "base", "head"];

fn side(linter: &Linter, files: &JsValue, what: &str, label: String) -> Result<Side, JsError> {
    let mut results = Vec::new();
    let mut digests = Digests::new();
    each_file(files, what, |f| {
        results.push(f.check(linter));
        if let Ok(bytes) = &f.contents {
            digests.insert(f.path.clone(), digest(bytes));
        }
        Ok(())
    })?;
    Ok(Side {
        label,
        files: results,
        digests: Some(digests),
    })
}

/// The contents of the files of `files` at `paths`, in order (`None`: not there or not given):
/// one pass that converts only those files' contents (for the lines a change touched).
fn bytes_of(files: &JsValue, paths: &[String]) -> Vec<Option<Vec<u8>>> {
    let mut out = vec![None; paths.len()];
    let Some(arr) = files.dyn_ref::<Array>() else {
        return out;
    };
    let wanted: HashMap<&str, usize> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), i))
        .collect();
    for item in arr.iter() {
        let Some(path) = get(&item, "path").ok().and_then(|p| p.as_string()) else {
            continue;
        };
        let Some(&i) = wanted.get(path.replace('\\', "/").as_str()) else {
            continue;
        };
        if let Ok(c) = get(&item, "contents") {
            if !is_missing(&c) {
                out[i] = contents_bytes(&c, "contents").ok();
            }
        }
    }
    out
}

/// Compare, with the options' format and failOn level.
fn compare(
    base_files: &JsValue,
    head_files: &JsValue,
    options: &JsValue,
) -> Result<(DiffReport, DiffFormat, Severity), JsValue> {
    hook();
    check_keys(options, &[SETUP_KEYS, DIFF_KEYS])?;
    let linter = configure(&read_setup(options)?)?;
    let mut format = DiffFormat::Json;
    let mut fail_on = linter.config.fail_on.unwrap_or(Severity::Error);
    let mut labels = ("base".to_string(), "head".to_string());
    if !options.is_undefined() && !options.is_null() {
        if let Some(f) = opt_string(options, "format")? {
            format = DiffFormat::parse(&f).ok_or_else(|| {
                let names: Vec<&str> = DiffFormat::ALL.iter().map(|f| f.as_str()).collect();
                type_error(format!(
                    "unknown format `{f}`; expected one of {}",
                    names.join(", ")
                ))
            })?;
        }
        if let Some(s) = opt_string(options, "failOn")? {
            fail_on = Severity::parse(&s).ok_or_else(|| {
                type_error(format!(
                    "unknown failOn level `{s}`; expected error, warning or note"
                ))
            })?;
        }
        if let Some(b) = opt_string(options, "base")? {
            labels.0 = b;
        }
        if let Some(h) = opt_string(options, "head")? {
            labels.1 = h;
        }
    }
    let base = side(&linter, base_files, "baseFiles", labels.0)?;
    let head = side(&linter, head_files, "headFiles", labels.1)?;
    let read = |paths: &[String]| -> Vec<Texts> {
        bytes_of(base_files, paths)
            .into_iter()
            .zip(bytes_of(head_files, paths))
            .collect()
    };
    let (diff, _) = silt_core::diff::diff_with_lines(&linter, base, &linter, head, Some(read));
    Ok((diff, format, fail_on))
}

/// `silt diff` between two sets of `{path, contents}` files: the JSON version 1 object of `silt diff
/// --format json`. `options`: `{config?, configPath?, customRules?, maxFileSize?, base?, head?}`
/// (`base`/`head`: how the two versions are named, default `base` and `head`).
#[wasm_bindgen]
pub fn diff(
    base_files: JsValue,
    head_files: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let (diff, _, _) = compare(&base_files, &head_files, &options)?;
    Ok(to_js(&diff)?)
}

/// `silt diff` as text: `{text, fails}`, `text` exactly what `silt diff --format <format>` prints
/// (`format`: human, json, markdown or github; default json), `fails` whether an introduced finding
/// is at or above `failOn` (default: the configuration's `fail_on`, else error).
#[wasm_bindgen(js_name = diffText)]
pub fn diff_text(
    base_files: JsValue,
    head_files: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let (diff, format, fail_on) = compare(&base_files, &head_files, &options)?;
    let obj: JsValue = js_sys::Object::new().into();
    set(&obj, "text", &JsValue::from_str(&render(&diff, format)))?;
    set(&obj, "fails", &JsValue::from_bool(diff.fails(fail_on)))?;
    Ok(obj)
}
