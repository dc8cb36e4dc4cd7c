//! Cost grows linearly with the input (issue 11 §3), on the cases of `silt_bench::linear`: a custom
//! rule selecting every element of a big profile, a user-data CSV with a very wide header, a file
//! full of `silt-ignore` comments.
//!
//! Each test checks the findings, then lints the case at size n and 4n in the same run and compares
//! the CPU times: linear code gives a ratio near 4; the quadratic code these tests were written
//! against gave 15 (policy, ignore) and 58 (CSV, which grew as n³). The bound, 10, is generous so a
//! busy machine does not make the tests flaky; absolute speed belongs to `scripts/bench-linear.sh`,
//! which prints figures.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use silt_bench::linear;
use silt_core::{Config, Linter, Report};
use std::time::Duration;

/// Lint the files of a case as `silt lint` does: `silt.toml`, its custom rules, then every file.
fn lint(files: &[(&str, String)]) -> Report {
    let config_text = files
        .iter()
        .find(|(p, _)| *p == "silt.toml")
        .map_or("", |(_, t)| t.as_str());
    let config = Config::parse("silt.toml", config_text).unwrap_or_else(|e| panic!("{e:?}"));
    let mut linter = Linter::new(config);
    for rules in linter.config.custom_rules.clone() {
        let text = files
            .iter()
            .find(|(p, _)| *p == rules)
            .map_or("", |(_, t)| t.as_str());
        linter
            .add_custom_rules(&rules, text)
            .unwrap_or_else(|e| panic!("{e:?}"));
    }
    let results = files
        .iter()
        .filter(|(p, _)| *p != "silt.toml" && !linter.config.custom_rules.iter().any(|r| r == p))
        .map(|(p, t)| linter.check_file(p, t.as_bytes()))
        .collect();
    linter.finish(results)
}

fn case(name: &str, n: usize) -> Vec<(&'static str, String)> {
    linear::files(name, n).unwrap_or_else(|e| panic!("{e}"))
}

/// Findings per rule.
fn counts(r: &Report) -> std::collections::BTreeMap<String, usize> {
    let mut m = std::collections::BTreeMap::new();
    for d in &r.diagnostics {
        *m.entry(d.rule.clone()).or_default() += 1;
    }
    m
}

/// CPU time of this thread: what the lint itself costs, whatever else the machine is running.
#[cfg(unix)]
fn cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec it is given, which lives on this stack.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Elsewhere, the wall clock since the first call.
#[cfg(not(unix))]
fn cpu_time() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

/// t(4n) / t(n) for linting case `name` (CPU time of the test's thread; `lint` runs on it). Runs are
/// repeated, the same number of times for both sizes, until n takes at least 50 ms; the sizes are
/// measured in turn three times and the best of each kept.
fn ratio(name: &str, n: usize) -> f64 {
    let (small, large) = (case(name, n), case(name, 4 * n));
    let time = |files: &[(&str, String)], reps: usize| {
        let t = cpu_time();
        for _ in 0..reps {
            std::hint::black_box(lint(files));
        }
        cpu_time().saturating_sub(t)
    };
    let mut reps = 1;
    while time(&small, reps) < Duration::from_millis(50) {
        reps *= 2;
    }
    let (mut t_small, mut t_large) = (Duration::MAX, Duration::MAX);
    for _ in 0..3 {
        t_small = t_small.min(time(&small, reps));
        t_large = t_large.min(time(&large, reps));
    }
    let r = t_large.as_secs_f64() / t_small.as_secs_f64();
    eprintln!(
        "{name}: n = {n}: {:.1} ms, 4n: {:.1} ms ({reps} runs each, CPU time), ratio {r:.1}",
        t_small.as_secs_f64() * 1e3,
        t_large.as_secs_f64() * 1e3
    );
    r
}

const BOUND: f64 = 10.0;

#[test]
fn custom_rule_selecting_every_element_of_a_big_profile() {
    let r = lint(&case("policy", 300));
    assert_eq!(counts(&r).get("editable-custom-fields"), Some(&300));
    assert_eq!(r.diagnostics.len(), 300);
    let d = &r.diagnostics[299];
    assert_eq!(
        d.message,
        "Profile `Big` (Salesforce) lets users edit Object_0001__c.Field_00299__c"
    );
    assert_eq!(
        d.element,
        "Profile/fieldPermissions[Object_0001__c.Field_00299__c]"
    );
    let ratio = ratio("policy", 2_000);
    assert!(ratio < BOUND, "t(4n) / t(n) = {ratio:.1}");
}

#[test]
fn user_csv_with_a_very_wide_header() {
    let r = lint(&case("csv", 400));
    assert_eq!(r.summary.files, 1);
    // The two full rows hold every permission set; the 50 short rows none.
    assert_eq!(counts(&r).get("user-with-permission-sets"), Some(&2));
    assert_eq!(r.diagnostics.len(), 2, "{:?}", r.diagnostics);
    let ratio = ratio("csv", 500);
    assert!(ratio < BOUND, "t(4n) / t(n) = {ratio:.1}");
}

#[test]
fn many_silt_ignore_comments() {
    let n = 400;
    let r = lint(&case("ignore", n));
    // Every 4th comment names a rule that does not fire there: an unused suppression, and its
    // element's finding stays; every 16th has no reason.
    let c = counts(&r);
    assert_eq!(c.get("unused-suppression"), Some(&(n / 4)));
    assert_eq!(c.get("permission-name-typo"), Some(&(n / 4)));
    assert_eq!(c.get("suppression-missing-reason"), Some(&(n / 16)));
    assert_eq!(r.summary.suppressed, 3 * n / 4);
    let ratio = ratio("ignore", 2_000);
    assert!(ratio < BOUND, "t(4n) / t(n) = {ratio:.1}");
}
