//! Every output format of `silt lint` on the bundled example project (examples/integration-gone-wrong),
//! byte for byte as the binary prints it, as a snapshot (`snapshots/formats__<format>.snap`): the
//! human format without colour, json, sarif, junit, github, markdown, and any format added later (the
//! list is the CLI's own). Standard error and the exit code are part of it. The version (it names the
//! git commit) is replaced by `[VERSION]`. Review changes with `cargo insta review`; with `CI=true` a
//! missing or changed snapshot fails.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use silt_core::report::Format;
use std::path::Path;
use std::process::Command;

fn silt(args: &[&str]) -> (String, String, i32) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new(env!("CARGO_BIN_EXE_silt"))
        .args(args)
        .current_dir(root)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn every_format_on_the_example_project() {
    let (version, _, _) = silt(&["--version"]);
    let version = version.trim().trim_start_matches("silt ").to_string();
    assert!(!version.is_empty());
    for format in Format::ALL.map(Format::as_str) {
        let (stdout, stderr, code) = silt(&[
            "lint",
            "examples/integration-gone-wrong",
            "--format",
            format,
            "--color",
            "never",
        ]);
        assert!(!stdout.is_empty(), "{format}: no output; stderr: {stderr}");
        let text = format!("exit code {code}\n--- stderr\n{stderr}--- stdout\n{stdout}");
        insta::with_settings!({ description => format!("silt lint examples/integration-gone-wrong --format {format} --color never"), omit_expression => true }, {
            insta::assert_snapshot!(format, text.replace(&version, "[VERSION]"));
        });
    }
}
