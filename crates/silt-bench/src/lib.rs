//! Benchmark support for silt: a deterministic SFDX project generator ([`gen`], binary `silt-gen`)
//! and the parse-floor benchmark (binary `silt-bench`). Nothing here is used by silt itself.

pub mod gen;
pub mod linear;

use std::path::{Path, PathBuf};

/// xorshift64*: small, fast, deterministic. Not for anything but generating test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // Never zero (xorshift's fixed point); mix the seed so small seeds differ quickly.
        let mut r = Rng((seed ^ 0x9E37_79B9_7F4A_7C15) | 1);
        for _ in 0..4 {
            r.next_u64();
        }
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`0` when `n == 0`).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        ((self.next_u64() >> 11) % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// A derived generator (independent stream), so adding draws in one part of the generator does not
    /// shift everything after it.
    pub fn fork(&mut self, salt: u64) -> Rng {
        Rng::new(self.next_u64() ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }
}

/// One file of a benchmark set: absolute path, path relative to the root (`/`-separated), size.
#[derive(Debug, Clone)]
pub struct BenchFile {
    pub abs: PathBuf,
    pub rel: String,
    pub len: u64,
}

/// Every file under `root` that silt reads (`silt_core::classify` knows it), sorted by relative path.
/// Hidden files and directories (`.git`, `.sfdx`) are skipped, like the CLI's walker does.
pub fn list_files(root: &Path) -> std::io::Result<Vec<BenchFile>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let ft = entry.file_type()?;
            if ft.is_dir() {
                stack.push(path);
            } else if ft.is_file() {
                let rel = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                match silt_core::classify(&rel) {
                    None | Some(silt_core::FileKind::Config) => continue,
                    Some(_) => {}
                }
                let len = entry.metadata()?.len();
                out.push(BenchFile {
                    abs: path,
                    rel,
                    len,
                });
            }
        }
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

/// Whether a file is XML (the floor scans it with quick-xml).
pub fn is_xml(rel: &str) -> bool {
    !matches!(
        silt_core::classify(rel),
        Some(
            silt_core::FileKind::Csv
                | silt_core::FileKind::JsonData
                | silt_core::FileKind::UserDef
                | silt_core::FileKind::ScratchDef
                | silt_core::FileKind::SfdxProject
                | silt_core::FileKind::Config
        ) | None
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_and_in_range() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..1000 {
            let x = a.below(10);
            assert_eq!(x, b.below(10));
            assert!(x < 10);
            let r = a.range(3, 5);
            b.range(3, 5);
            assert!((3..=5).contains(&r));
        }
        assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
    }
}
