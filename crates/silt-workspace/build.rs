// Sets `SILT_VERSION` for `silt --version`: the package version, plus the git commit when built from a
// checkout of silt's repository, e.g. `0.1.0 (c11d48d)`. Without git, outside a checkout or inside
// someone else's repository (a vendored copy), it is the package version alone.
// The native CLI and the Wasm build both get the CLI from this crate, so `--version` says the same.
use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (out.status.success() && !text.is_empty()).then(|| text.to_string())
}

/// The short commit of the checkout this crate sits in at `crates/<name>`, if any.
fn commit(manifest_dir: &Path) -> Option<String> {
    let top = PathBuf::from(git(manifest_dir, &["rev-parse", "--show-toplevel"])?);
    let here = manifest_dir.canonicalize().ok()?;
    if here.parent()?.parent()? != top.canonicalize().ok()? {
        return None; // a copy vendored into another repository: its commit is not ours
    }
    // Rebuild when HEAD moves: HEAD itself (a checkout) and its reflog (a commit on the branch).
    for file in ["HEAD", "logs/HEAD"] {
        if let Some(p) = git(manifest_dir, &["rev-parse", "--git-path", file]) {
            let p = manifest_dir.join(p);
            if p.exists() {
                println!("cargo:rerun-if-changed={}", p.display());
            }
        }
    }
    git(manifest_dir, &["rev-parse", "--short=9", "HEAD"])
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let version = match commit(&dir) {
        Some(c) => format!("{version} ({c})"),
        None => version,
    };
    println!("cargo:rustc-env=SILT_VERSION={version}");
}
