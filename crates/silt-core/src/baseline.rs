//! Baselines: record today's findings by a stable fingerprint (rule + file + element path, not line
//! numbers) and hide them in later runs, so a big org can adopt silt and fail only on new findings.

use crate::config::ConfigError;
use crate::report::Report;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A baseline entry: a finding recorded by its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "BaselineEntry"))]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    pub file: String,
    #[serde(default)]
    pub element: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub entries: Vec<Entry>,
}

/// The baseline file for a report (pretty JSON, sorted, one entry per finding).
pub fn write(report: &Report) -> String {
    let mut entries: Vec<Entry> = report
        .diagnostics
        .iter()
        .map(|d| Entry {
            fingerprint: d.fingerprint.clone(),
            rule: d.rule.clone(),
            file: d.file.clone(),
            element: d.element.clone(),
            message: d.message.clone(),
        })
        .collect();
    entries.sort_by(|a, b| {
        (&a.file, &a.rule, &a.fingerprint).cmp(&(&b.file, &b.rule, &b.fingerprint))
    });
    let mut s = serde_json::to_string_pretty(&Baseline {
        version: 1,
        entries,
    })
    .unwrap_or_default();
    s.push('\n');
    s
}

pub fn parse(path: &str, text: &str) -> Result<Baseline, ConfigError> {
    let b: Baseline = serde_json::from_str(text).map_err(|e| {
        let off = crate::source::LineIndex::new(text)
            .line_span(text, e.line() as u32)
            .map(|s| s.start as usize + e.column().saturating_sub(1))
            .unwrap_or(0);
        ConfigError::at(path, text, off, format!("invalid baseline: {e}"))
    })?;
    if b.version != 1 {
        return Err(ConfigError::at(
            path,
            text,
            0,
            format!("unsupported baseline version {}", b.version),
        ));
    }
    Ok(b)
}

/// What applying a baseline did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "BaselineOutcome"))]
pub struct Outcome {
    /// Findings hidden because the baseline has them.
    pub hidden: usize,
    /// Baseline entries with no finding any more: fixed, can be pruned.
    pub fixed: Vec<Entry>,
}

/// Hide the report's findings that the baseline records (as many as recorded per fingerprint).
pub fn apply(report: &mut Report, baseline: &Baseline) -> Outcome {
    let mut budget: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &baseline.entries {
        *budget.entry(e.fingerprint.as_str()).or_default() += 1;
    }
    let before = report.diagnostics.len();
    report
        .diagnostics
        .retain(|d| match budget.get_mut(d.fingerprint.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        });
    let hidden = before - report.diagnostics.len();
    let fixed = baseline
        .entries
        .iter()
        .filter(|e| budget.get(e.fingerprint.as_str()).is_some_and(|n| *n > 0))
        .cloned()
        .collect::<Vec<_>>();
    // Only as many stale entries per fingerprint as remain in the budget.
    let mut left = budget.clone();
    let fixed = fixed
        .into_iter()
        .filter(|e| match left.get_mut(e.fingerprint.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        })
        .collect();
    report.summary.baselined = hidden;
    report.recount();
    Outcome { hidden, fixed }
}
