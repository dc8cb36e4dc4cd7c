//! Streaming a folder through a `Linter` once (the browser page's worker): the host hands each file
//! to `update` as it reads it and drops the bytes; only the per-file results stay in Wasm memory, and
//! `takeReport` joins them into the report without copying them first.

use super::{check_keys, read_output, JsLinter, Run, OUTPUT_KEYS};
use std::collections::HashMap;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_class = Linter)]
impl JsLinter {
    /// Like `report`, but the kept results go into the report and are forgotten (the next `report`
    /// is empty until files are given again): one join, no copy of every file's result.
    /// `options`: `{format?, failOn?, color?, quiet?}`.
    #[wasm_bindgen(js_name = takeReport)]
    pub fn take_report(&mut self, options: JsValue) -> Result<JsValue, JsValue> {
        check_keys(&options, &[OUTPUT_KEYS])?;
        let out = read_output(&options)?;
        let files = std::mem::take(&mut self.files);
        let report = self.linter.finish(files.into_values().collect());
        Ok(Run::new(&self.linter, report, HashMap::new(), out)?.object_result()?)
    }
}

