//! Limits on what silt is given, so that no input costs gigabytes of memory: the regexes of
//! `silt.toml` and the custom rule files, and the size of one linted file. Every host uses these; the
//! README's "Limits" section lists them.

use regex::Regex;

/// Regexes `silt.toml` and all its custom rule files may hold together.
pub const MAX_REGEXES: usize = 1_000;
/// One regex's compiled program (`regex::RegexBuilder::size_limit`).
pub const MAX_REGEX_SIZE: usize = 4 << 20;
/// The compiled size of all regexes of a configuration together.
pub const MAX_REGEX_TOTAL: usize = 32 << 20;
/// Each regex's lazy DFA cache (`regex::RegexBuilder::dfa_size_limit`): matching stays linear with a
/// smaller cache, only slower.
pub const REGEX_DFA_SIZE: usize = 256 << 10;

/// Files larger than this are not read: a `parse-error` says so. `[files] max_size` in `silt.toml` or
/// `--max-file-size` change it. Real profiles are a few megabytes.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 << 20;

/// The regexes compiled so far for one configuration (silt.toml, then its custom rule files).
#[derive(Debug, Clone, Default)]
pub struct RegexBudget {
    count: usize,
    bytes: usize,
}

impl RegexBudget {
    /// Compile a regex within the budget: an error message (for a [`crate::ConfigError`]) when the
    /// regex is invalid, too large, or one too many.
    pub fn compile(&mut self, pattern: &str, case_insensitive: bool) -> Result<Regex, String> {
        if self.count >= MAX_REGEXES {
            return Err(format!(
                "too many regexes: silt.toml and its custom rule files may hold at most {MAX_REGEXES}"
            ));
        }
        let left = MAX_REGEX_TOTAL.saturating_sub(self.bytes);
        let limit = MAX_REGEX_SIZE.min(left);
        let too_large = || {
            if limit < MAX_REGEX_SIZE {
                format!(
                    "regex too large: the regexes of silt.toml and its custom rule files compile to more than {} in all",
                    mib(MAX_REGEX_TOTAL)
                )
            } else {
                format!(
                    "regex too large: it compiles to more than {} (the limit for one regex)",
                    mib(MAX_REGEX_SIZE)
                )
            }
        };
        let re = regex::RegexBuilder::new(pattern)
            .case_insensitive(case_insensitive)
            .size_limit(limit)
            .dfa_size_limit(REGEX_DFA_SIZE)
            .build()
            .map_err(|e| match e {
                regex::Error::CompiledTooBig(_) => too_large(),
                e => format!("invalid regex: {e}"),
            })?;
        // The same regex as the engine underneath `regex` builds it, to learn its heap size.
        let used = regex_automata::meta::Builder::new()
            .configure(
                regex_automata::meta::Config::new()
                    .nfa_size_limit(Some(limit))
                    .hybrid_cache_capacity(REGEX_DFA_SIZE),
            )
            .syntax(regex_automata::util::syntax::Config::new().case_insensitive(case_insensitive))
            .build(pattern)
            .map(|m| m.memory_usage())
            .map_err(|_| too_large())?;
        if self.bytes + used > MAX_REGEX_TOTAL {
            return Err(too_large());
        }
        self.count += 1;
        self.bytes += used;
        Ok(re)
    }
}

/// `16 MiB`, or bytes when not a whole number of MiB.
pub fn mib(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes % (1 << 10) == 0 {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// The `parse-error` message for a file of `size` bytes over the `max` limit.
pub fn too_large_message(size: u64, max: u64) -> String {
    let max_shown = usize::try_from(max)
        .map(mib)
        .unwrap_or_else(|_| format!("{max} bytes"));
    format!(
        "file too large: {size} bytes, over the {max_shown} limit ({max} bytes); not read. Raise it with `max_size` in the [files] table of silt.toml or `--max-file-size`"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_count_and_total_size_of_regexes() {
        let mut b = RegexBudget::default();
        for i in 0..MAX_REGEXES {
            assert!(b.compile(&format!("^p{i}$"), false).is_ok());
        }
        let e = b.compile("^one_more$", false).unwrap_err();
        assert!(e.starts_with("too many regexes"), "{e}");

        // One regex over the per-regex limit.
        let e = RegexBudget::default()
            .compile(r"\w{100}\w{100}\w{100}", false)
            .unwrap_err();
        assert!(e.contains("the limit for one regex"), "{e}");

        // Each below the per-regex limit, too many of them together.
        let mut b = RegexBudget::default();
        let mut n = 0;
        let e = loop {
            match b.compile(&format!(r"\w{{20}}{n}"), false) {
                Ok(_) => n += 1,
                Err(e) => break e,
            }
            assert!(n < MAX_REGEXES, "never reached the total limit");
        };
        assert!(e.contains("in all"), "{e}");
        assert!(n > 1, "{n}");

        assert!(RegexBudget::default()
            .compile("(", false)
            .unwrap_err()
            .starts_with("invalid regex"));
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(mib(32 << 20), "32 MiB");
        assert_eq!(mib(256 << 10), "256 KiB");
        assert_eq!(mib(1000), "1000 bytes");
        assert!(
            too_large_message(40 << 20, 32 << 20).contains("41943040 bytes, over the 32 MiB limit")
        );
    }
}
