//! Real `silt` runs on inputs past silt's limits and on file content that tries to forge output lines.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::Path;
use std::time::Duration;
use tempfile::TempDir;

const PROFILES: &str = "force-app/main/default/profiles";
const GOOD_PROFILE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <custom>false</custom>\n</Profile>\n";
/// Text that would be a GitHub workflow command (and a Markdown table row) if it started a line.
const FORGED: &str = "\n::error file=x::forged\n| forged | row |";

fn silt(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_silt"));
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .timeout(Duration::from_secs(120));
    cmd
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn project() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "sfdx-project.json",
        r#"{"packageDirectories":[{"path":"force-app","default":true}],"name":"t","sourceApiVersion":"62.0"}"#,
    );
    write(
        dir.path(),
        &format!("{PROFILES}/Good.profile-meta.xml"),
        GOOD_PROFILE,
    );
    dir
}

/// `silt lint ARGS`: exit code, stdout, stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = silt(dir).arg("lint").args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `(file, message)` of each parse-error in a JSON report.
fn parse_errors(stdout: &str) -> Vec<(String, String)> {
    let report: Value = serde_json::from_str(stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "parse-error")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn limits_too_many_regexes_in_silt_toml_is_exit_2_at_the_regex() {
    let dir = project();
    let patterns: Vec<String> = (0..1001).map(|i| format!("  \"^set_{i:04}$\",")).collect();
    write(
        dir.path(),
        "silt.toml",
        &format!(
            "[integration]\npermission_sets = [\n{}\n]\n",
            patterns.join("\n")
        ),
    );
    let (code, _, stderr) = run(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    // The 1001st pattern is on line 1003 (after `[integration]` and `permission_sets = [`).
    assert!(
        stderr.starts_with("error: silt.toml:1003:4: too many regexes: silt.toml and its custom rule files may hold at most 1000"),
        "{stderr}"
    );
}

#[test]
fn limits_regex_too_large_in_a_custom_rule_is_exit_2_with_position() {
    let dir = project();
    write(
        dir.path(),
        "silt.toml",
        "custom_rules = [\"rules/big.toml\"]\n",
    );
    write(
        dir.path(),
        "rules/big.toml",
        r#"[[rule]]
name = "huge"
summary = "s"
kinds = ["Profile"]
message = "m"
when = { field = "name", matches = '\w{100}\w{100}\w{100}' }
"#,
    );
    let (code, _, stderr) = run(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with("error: rules/big.toml:6:37: regex too large: it compiles to more than 4 MiB (the limit for one regex)"),
        "{stderr}"
    );

    // The regexes of silt.toml and the rule files share one budget: each fits, together they do not.
    let many: Vec<String> = (0..40)
        .map(|i| format!("[[rule]]\nname = \"r{i}\"\nsummary = \"s\"\nkinds = [\"Profile\"]\nmessage = \"m\"\nselect = 'userPermissions[name ~ \"\\w{{20}}{i}\"]'\n"))
        .collect();
    write(dir.path(), "rules/big.toml", &many.join("\n"));
    let (code, _, stderr) = run(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(": regex too large: the regexes of silt.toml and its custom rule files compile to more than 32 MiB in all"), "{stderr}");
    assert!(stderr.starts_with("error: rules/big.toml:"), "{stderr}");
}

#[test]
fn limits_file_over_the_size_limit_is_a_parse_error_and_not_read() {
    let dir = project();
    // A sparse file of 40 GiB: reading it would take minutes and all the memory; its size says enough.
    let huge = dir.path().join(PROFILES).join("Huge.profile-meta.xml");
    fs::File::create(&huge).unwrap().set_len(40 << 30).unwrap();
    let big = format!(
        "<Profile>{}</Profile>",
        "<custom>false</custom>".repeat(100)
    );
    write(
        dir.path(),
        &format!("{PROFILES}/Big.profile-meta.xml"),
        &big,
    );
    let (code, stdout, stderr) = run(dir.path(), &["--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let errors = parse_errors(&stdout);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, format!("{PROFILES}/Huge.profile-meta.xml"));
    assert_eq!(
        errors[0].1,
        "file too large: 42949672960 bytes, over the 64 MiB limit (67108864 bytes); not read. Raise it with `max_size` in the [files] table of silt.toml or `--max-file-size`"
    );
    // The human format shows the finding without reading the file for a code frame.
    let (code, stdout, _) = run(dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("error[parse-error]: file too large"),
        "{stdout}"
    );

    // `--max-file-size` and `[files] max_size` lower the limit.
    let limit = (big.len() - 1).to_string();
    let (_, stdout, _) = run(dir.path(), &["--format", "json", "--max-file-size", &limit]);
    let files: Vec<String> = parse_errors(&stdout).into_iter().map(|e| e.0).collect();
    assert_eq!(
        files,
        [
            format!("{PROFILES}/Big.profile-meta.xml"),
            format!("{PROFILES}/Huge.profile-meta.xml")
        ]
    );
    write(
        dir.path(),
        "silt.toml",
        &format!("[files]\nmax_size = {limit}\n"),
    );
    let (_, stdout, _) = run(dir.path(), &["--format", "json"]);
    assert_eq!(parse_errors(&stdout).len(), 2, "{stdout}");
    // The flag wins over the file.
    let (_, stdout, _) = run(
        dir.path(),
        &[
            "--format",
            "json",
            "--max-file-size",
            &big.len().to_string(),
        ],
    );
    assert_eq!(parse_errors(&stdout).len(), 1, "{stdout}");
}

/// Lines of `text` that file content forged, and raw control characters.
fn forged_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| {
            l.starts_with("::error file=x")
                || l.starts_with("| forged")
                || l.chars().any(|c| c.is_control() && c != '\t')
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn output_no_file_name_label_or_baseline_forges_a_line() {
    let dir = project();
    // A file named with a newline (a parse-error names it) and a label with newlines (a custom rule
    // puts it in its message).
    write(
        dir.path(),
        &format!("{PROFILES}/Evil{FORGED}.profile-meta.xml"),
        "<Profile><broken>",
    );
    write(
        dir.path(),
        "force-app/main/default/permissionsets/Ps.permissionset-meta.xml",
        "<PermissionSet><label>Team&#10;::error file=x::forged&#10;| forged | row |&#x85;&#x2028;</label></PermissionSet>",
    );
    write(
        dir.path(),
        "silt.toml",
        "custom_rules = [\"rules/label.toml\"]\n",
    );
    write(
        dir.path(),
        "rules/label.toml",
        "[[rule]]\nname = \"say-label\"\nsummary = \"s\"\nkinds = [\"PermissionSet\"]\nmessage = \"label {label}\"\n",
    );
    for format in ["human", "github", "markdown"] {
        let (code, stdout, stderr) = run(dir.path(), &["--format", format]);
        assert_eq!(code, 1, "{format}: {stderr}");
        assert_eq!(
            forged_lines(&stdout),
            Vec::<String>::new(),
            "{format}:\n{stdout}"
        );
        // (The markdown summary shows no messages or file names, only counts by rule.)
        assert!(
            format == "markdown" || stdout.contains("forged"),
            "{format}: the text is shown, escaped:\n{stdout}"
        );
    }
    let (_, stdout, _) = run(dir.path(), &["--format", "human"]);
    assert!(
        stdout.contains("label Team\\n::error file=x::forged\\n| forged | row |\\u{85}\\u{2028}"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Evil\\n::error file=x::forged\\n| forged | row |.profile-meta.xml"),
        "{stdout}"
    );

    // A baseline's entries come back on stderr when they are fixed.
    let rule = format!("gone{FORGED}");
    let baseline = serde_json::json!({"version": 1, "entries": [
        {"fingerprint": "0000", "rule": rule, "file": format!("f{FORGED}"), "element": format!("e{FORGED}"), "message": "m"}
    ]});
    write(dir.path(), "baseline.json", &baseline.to_string());
    let (_, _, stderr) = run(dir.path(), &["--baseline", "baseline.json"]);
    assert!(stderr.contains("1 baseline entries are fixed"), "{stderr}");
    assert_eq!(forged_lines(&stderr), Vec::<String>::new(), "{stderr}");

    // A configuration error quotes the configuration.
    write(
        dir.path(),
        "silt.toml",
        "[rules]\n\"bad\\n::error file=x::forged\" = \"off\"\n",
    );
    let (code, _, stderr) = run(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unknown rule `bad\\n::error file=x::forged`"),
        "{stderr}"
    );
    assert_eq!(forged_lines(&stderr), Vec::<String>::new(), "{stderr}");
}
