//! Placeholder: replaced by the real formatter.
use super::Report;

pub fn render(report: &Report) -> String {
    super::json::render(report)
}
