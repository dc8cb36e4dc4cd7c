//! Differential test of silt's discovery (the workspace layer's own ignore-file walk over a host)
//! against ripgrep's `ignore` crate walking the same trees with the same settings: random folders
//! with nested `.gitignore`, `.ignore`, `.forceignore` and `.git/info/exclude` files (negations,
//! folder-only and anchored patterns, `**`), hidden names and git repositories at several depths.
//! Both must select the same files.
//!
//! `SILT_DISCOVER_CASES` sets the number of trees (default 300).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use silt_core::Config;
use silt_workspace::discover;
use silt_workspace::native::NativeHost;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.below(xs.len())]
    }
}

const DIRS: &[&str] = &["a", "b", "src", "build", ".hidden", "deep", "x y"];
const FILES: &[&str] = &[
    "A.profile-meta.xml",
    "B.permissionset-meta.xml",
    "build.profile-meta.xml",
    ".Hidden.profile-meta.xml",
    "C.connectedApp-meta.xml",
    "keep.profile-meta.xml",
];
const PATTERNS: &[&str] = &[
    "*.profile-meta.xml",
    "!keep.profile-meta.xml",
    "build/",
    "/a",
    "b",
    "**/deep/**",
    "src/*.xml",
    "!.hidden",
    "!.Hidden.profile-meta.xml",
    "*.permissionset-meta.xml",
    "!B.permissionset-meta.xml",
    "# a comment",
    "",
    "deep",
    "x y/",
    "!build/",
    "C.*",
    "\\!odd",
    "a/**/keep*",
];

fn tree(r: &mut Rng, dir: &Path, depth: usize) {
    fs::create_dir_all(dir).unwrap();
    for _ in 0..1 + r.below(3) {
        fs::write(dir.join(r.pick(FILES)), "<Profile/>").unwrap();
    }
    for name in [".gitignore", ".ignore", ".forceignore"] {
        if r.below(3) == 0 {
            let lines: Vec<&str> = (0..1 + r.below(4)).map(|_| r.pick(PATTERNS)).collect();
            fs::write(dir.join(name), lines.join("\n")).unwrap();
        }
    }
    if depth > 0 && r.below(6) == 0 {
        fs::create_dir_all(dir.join(".git/info")).unwrap();
        if r.below(2) == 0 {
            let lines: Vec<&str> = (0..1 + r.below(3)).map(|_| r.pick(PATTERNS)).collect();
            fs::write(dir.join(".git/info/exclude"), lines.join("\n")).unwrap();
        }
    }
    if depth < 3 {
        for _ in 0..r.below(3) {
            let sub = dir.join(r.pick(DIRS));
            tree(r, &sub, depth + 1);
        }
    }
}

/// The reference: the settings the native CLI used with the `ignore` crate.
fn reference(root: &Path) -> BTreeSet<String> {
    let mut b = ignore::WalkBuilder::new(root);
    b.hidden(true)
        .parents(true)
        .ignore(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .add_custom_ignore_filename(".forceignore")
        .filter_entry(|e| {
            e.depth() == 0 || !["node_modules", ".sfdx", ".sf", ".git"].iter().any(|d| e.file_name() == *d)
        });
    b.build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.path().strip_prefix(root).unwrap().to_string_lossy().into_owned())
        // What silt reads at all (hidden names are not metadata, even where an ignore file
        // whitelists them).
        .filter(|rel| silt_core::classify(rel).is_some_and(|k| k != silt_core::FileKind::Config))
        .collect()
}

fn ours(root: &Path) -> BTreeSet<String> {
    let r = root.to_str().unwrap().to_string();
    let plan = discover::Plan {
        root: r.clone(),
        project: None,
        paths: vec![r],
    };
    let d = discover::files(&NativeHost, &plan, &Config::default());
    d.entries.iter().map(|e| e.rel().to_string()).collect()
}

#[test]
fn discovery_selects_what_the_ignore_crate_selects() {
    let cases: usize = std::env::var("SILT_DISCOVER_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let mut r = Rng(0xD15C_0FE2_0000_0001);
    let (mut files, mut ignored) = (0, 0);
    for case in 0..cases {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap().join("p");
        tree(&mut r, &root, 0);
        let expected = reference(&root);
        let got = ours(&root);
        if expected != got {
            let mut listing = String::new();
            for e in walk_all(&root) {
                listing.push_str(&format!("{e}\n"));
            }
            panic!(
                "case {case}: silt: {got:?}\nonly silt: {:?}; only the ignore crate: {:?}\n{listing}",
                got.difference(&expected).collect::<Vec<_>>(),
                expected.difference(&got).collect::<Vec<_>>()
            );
        }
        files += got.len();
        ignored += walk_all(&root).iter().filter(|p| p.ends_with(".xml")).count() - got.len();
    }
    eprintln!("{cases} trees: {files} files selected, {ignored} ignored or hidden, all agreeing");
    assert!(ignored > cases, "the generated ignore files must ignore something");
}

/// Every path below `root` with the ignore files' contents, for a failure message.
fn walk_all(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            if p.is_dir() {
                stack.push(p);
            } else if rel.ends_with("ignore") || rel.ends_with("exclude") {
                out.push(format!("{rel}: {:?}", fs::read_to_string(&p).unwrap_or_default()));
            } else {
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}
