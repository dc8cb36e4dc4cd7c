//! Arbitrary text as a custom rule file (`Linter::add_custom_rules`). Errors must be positioned
//! inside the text; rules that load are run over the example project and the anchor.
#![no_main]

use libfuzzer_sys::fuzz_target;
use silt_core::source::LineIndex;
use silt_fuzz::{check, linter, Run, ANCHOR_RULE};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut linter = linter();
    if let Err(e) = linter.add_custom_rules("rules/custom.toml", &text) {
        let p = e.position;
        assert!(p.line >= 1 && p.column >= 1, "custom rule error without a position: {e:?}");
        assert!((p.offset as usize) <= text.len(), "custom rule error offset past the text: {e:?}");
        assert_eq!(p, LineIndex::new(&text).position(&text, p.offset as usize), "custom rule error position is off: {e:?}");
        let _ = e.to_string();
        return;
    }
    let _ = linter.validate("silt.toml", "");
    let mut run = Run::new();
    run.add_example();
    // Custom rules add findings; they cannot take a built-in one away (unless they name that rule).
    check(&run, &linter, !text.contains(ANCHOR_RULE));
});
