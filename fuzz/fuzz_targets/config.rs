//! Arbitrary text as `silt.toml`. Errors must be positioned inside the text; a configuration that
//! parses is used to lint the example project (with extra files its `user_data` globs may claim).
#![no_main]

use libfuzzer_sys::fuzz_target;
use silt_core::source::LineIndex;
use silt_core::{Config, ConfigError, Linter, Severity};
use silt_fuzz::{check, Run};

fn check_error(e: &ConfigError, text: &str) {
    let p = e.position;
    assert!(p.line >= 1 && p.column >= 1, "config error without a position: {e:?}");
    assert!((p.offset as usize) <= text.len(), "config error offset past the text: {e:?}");
    assert_eq!(p, LineIndex::new(text).position(text, p.offset as usize), "config error position is off: {e:?}");
    assert!(!e.message.trim().is_empty(), "config error without a message");
    let _ = e.to_string();
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let config = match Config::parse("silt.toml", &text) {
        Ok(c) => c,
        Err(e) => return check_error(&e, &text),
    };
    for path in ["force-app/main/default/profiles/A.profile-meta.xml", "data/users.csv", "", "a/../b", "\\x\\y.json"] {
        let _ = config.is_included(path);
        let _ = config.is_user_data(path);
        let _ = config.is_integration_permission_set(path, path);
    }
    let _ = config.level("integration-profile-no-ip-restriction", Severity::Warning);
    let linter = Linter::new(config);
    if let Err(e) = linter.validate("silt.toml", &text) {
        check_error(&e, &text);
    }
    let mut run = Run::new();
    run.add_example();
    // Files only `[files] user_data` globs make user data.
    run.add("exports/users.txt", b"Username,Profile.Name,Profile.UserLicense.Name,IsActive\na@b.c,Fuzz Anchor,Salesforce Integration,true\n");
    run.add("exports/users.xml", b"<queryResult><records><type>User</type><Username>q@b.c</Username></records></queryResult>");
    run.add("exports/users", b"{\"records\":[{\"attributes\":{\"type\":\"User\"},\"Username\":\"j@b.c\"}]}");
    // The configuration may turn rules off: the anchor finding is not required.
    check(&run, &linter, false);
});
