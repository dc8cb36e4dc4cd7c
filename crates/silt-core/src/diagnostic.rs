//! The one diagnostic type every rule produces and every formatter reads.

use crate::source::Range;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s.trim().to_ascii_lowercase().as_str() {
            "note" | "info" | "hint" => Some(Severity::Note),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a file: path relative to the lint root (forward slashes) and a range. The path is
/// shared by every location of a file (a big profile has hundreds of thousands of them).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    pub file: std::sync::Arc<str>,
    pub range: Range,
}

/// `{"file": …, "range": …}`; inside [`crate::wire`], the file of the result being encoded is
/// written as `""` and shared again when decoded.
impl Serialize for Location {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename = "Location")]
        struct L<'a> {
            file: &'a str,
            range: &'a Range,
        }
        let file = if crate::wire::elided(&self.file) {
            ""
        } else {
            &self.file
        };
        L {
            file,
            range: &self.range,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Location {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Location, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename = "Location")]
        struct L {
            file: String,
            range: Range,
        }
        let l = L::deserialize(d)?;
        Ok(Location {
            file: crate::wire::file(l.file),
            range: l.range,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Related {
    pub file: String,
    pub range: Range,
    pub message: String,
}

/// One text replacement. `range.start.offset..range.end.offset` are the bytes replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Edit {
    pub file: String,
    pub range: Range,
    pub new_text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Fix {
    pub description: String,
    pub edits: Vec<Edit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Diagnostic {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub file: String,
    pub range: Range,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<Related>>", optional))]
    pub related: Vec<Related>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub fix: Option<Fix>,
    /// Stable identity: rule + file + element path, not line numbers (baselines, SARIF).
    pub fingerprint: String,
    /// The element path the fingerprint is made from, e.g. `Profile/userPermissions[ModifyAllData]`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<String>", optional))]
    pub element: String,
}

impl Diagnostic {
    pub fn new(
        rule: &str,
        severity: Severity,
        message: impl Into<String>,
        at: &Location,
        element: impl Into<String>,
    ) -> Diagnostic {
        let element = element.into();
        Diagnostic {
            rule: rule.to_string(),
            severity,
            message: message.into(),
            file: at.file.to_string(),
            range: at.range,
            related: Vec::new(),
            fix: None,
            fingerprint: fingerprint(rule, &at.file, &element),
            element,
        }
    }
    pub fn with_related(mut self, at: &Location, message: impl Into<String>) -> Diagnostic {
        self.related.push(Related {
            file: at.file.to_string(),
            range: at.range,
            message: message.into(),
        });
        self
    }
    pub fn with_fix(mut self, fix: Option<Fix>) -> Diagnostic {
        self.fix = fix;
        self
    }
    /// Deterministic output order: file, position, rule, message.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (
            &self.file,
            self.range.start.offset,
            self.range.end.offset,
            &self.rule,
            &self.message,
        )
    }
}

/// 16 hex digits of SHA-256 over rule, file and element path.
pub fn fingerprint(rule: &str, file: &str, element: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [rule, file, element] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    h.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}
