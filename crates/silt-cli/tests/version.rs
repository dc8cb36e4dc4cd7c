//! `silt --version` names the git commit when built from a checkout (build.rs). Without one (the
//! packaged crate) it is the version alone: tests/release/release.test.mjs checks that build.
use assert_cmd::Command;

#[test]
fn version_names_the_git_commit_of_the_checkout() {
    let out = Command::new(env!("CARGO_BIN_EXE_silt"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let git = std::process::Command::new("git")
        .args(["rev-parse", "--short=9", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    let version = env!("CARGO_PKG_VERSION");
    match git {
        Ok(g) if g.status.success() => {
            let commit = String::from_utf8(g.stdout).unwrap();
            assert_eq!(stdout, format!("silt {version} ({})\n", commit.trim()));
        }
        _ => assert_eq!(stdout, format!("silt {version}\n")), // no git: the version alone
    }
}
