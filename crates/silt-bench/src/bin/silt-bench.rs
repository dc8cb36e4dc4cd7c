//! `silt-bench [--runs N] [--env FILE] DIR`: silt-core against the parse floor, on the same bytes, in one run.
//!
//! (a) floor: read every file and scan it with the cheapest parser that still reads every byte: a
//!     quick-xml event loop (`Reader::from_str`, `read_event`, count events) for XML, a `csv` record
//!     loop for CSV, `serde_json` for JSON. UTF-8 validation is included (quick-xml `from_str` needs it;
//!     silt-core does it too). 1 thread.
//! (b) silt-core: read every file, `Linter::check_file` on each, then `Linter::finish`. 1 thread.
//!
//! Both use the same sorted list of the files silt reads (`silt_core::classify`), read the same way
//! (`std::fs::read`, one file at a time) after a warm-up pass that puts them in the page cache. Each
//! pass runs `--runs` times (alternating a and b); the best time of each is reported. MB = 10^6 bytes.

use quick_xml::events::Event;
use quick_xml::Reader;
use silt_bench::{is_xml, list_files, BenchFile};
use silt_core::{Config, FileKind, Linter};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: silt-bench [--runs N] [--env FILE] [--list FILE] [--only a|b] DIR\n\
  --runs N     passes of (a) and (b) each; the best is reported (default 3)\n\
  --env FILE   also write the figures as shell variables to FILE\n\
  --list FILE  also write the benchmarked files (relative paths, sorted, one a line) to FILE\n\
  --only a|b   run only the floor (a) or only silt-core (b), e.g. under a profiler";

/// What one floor pass saw.
#[derive(Default, Clone, Copy)]
struct Floor {
    bytes: u64,
    events: u64,
    errors: u64,
}

fn scan(rel: &str, bytes: &[u8], out: &mut Floor) {
    out.bytes += bytes.len() as u64;
    if is_xml(rel) {
        let Ok(text) = std::str::from_utf8(bytes) else {
            out.errors += 1;
            return;
        };
        let mut reader = Reader::from_str(text);
        loop {
            match reader.read_event() {
                Ok(Event::Eof) => break,
                Ok(_) => out.events += 1,
                Err(_) => {
                    out.errors += 1;
                    break;
                }
            }
        }
    } else if rel.to_ascii_lowercase().ends_with(".csv") {
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(bytes);
        let mut rec = csv::ByteRecord::new();
        loop {
            match r.read_byte_record(&mut rec) {
                Ok(true) => out.events += 1,
                Ok(false) => break,
                Err(_) => {
                    out.errors += 1;
                    break;
                }
            }
        }
    } else {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(_) => out.events += 1,
            Err(_) => out.errors += 1,
        }
    }
}

/// CPU time of this thread in nanoseconds (Linux `/proc/thread-self/schedstat`), when available. On a
/// busy machine wall time includes time other processes had the core; CPU time does not.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// Wall time and (if known) CPU time of a pass.
#[derive(Clone, Copy)]
struct Timing {
    wall: Duration,
    cpu: Option<Duration>,
}

fn timed<T>(f: impl FnOnce() -> T) -> (Timing, T) {
    let c0 = cpu_ns();
    let t = Instant::now();
    let r = f();
    let wall = t.elapsed();
    let cpu = match (c0, cpu_ns()) {
        (Some(a), Some(b)) if b >= a => Some(Duration::from_nanos(b - a)),
        _ => None,
    };
    (Timing { wall, cpu }, r)
}

fn floor_pass(files: &[BenchFile]) -> std::io::Result<(Timing, Floor)> {
    let (t, r) = timed(|| -> std::io::Result<Floor> {
        let mut f = Floor::default();
        for file in files {
            let bytes = std::fs::read(&file.abs)?;
            scan(&file.rel, &bytes, &mut f);
        }
        Ok(f)
    });
    Ok((t, r?))
}

/// What one lint pass saw.
struct Lint {
    total: Duration,
    cpu: Option<Duration>,
    check: Duration,
    finish: Duration,
    bytes: u64,
    findings: usize,
    files: usize,
    /// check_file time and bytes per file kind.
    by_kind: BTreeMap<&'static str, (Duration, u64, usize)>,
    report: silt_core::Report,
}

fn kind_name(k: Option<&FileKind>) -> &'static str {
    match k {
        Some(FileKind::Profile) => "profiles",
        Some(
            FileKind::PermissionSet
            | FileKind::PermissionSetPart { .. }
            | FileKind::MutingPermissionSet,
        ) => "permission sets",
        Some(FileKind::PermissionSetGroup) => "groups",
        Some(
            FileKind::ConnectedApp
            | FileKind::EcaPolicy
            | FileKind::EcaGlobalOauth
            | FileKind::EcaOauth,
        ) => "apps",
        Some(FileKind::Csv | FileKind::JsonData | FileKind::BulkXml | FileKind::UserDef) => {
            "user data"
        }
        _ => "other",
    }
}

fn lint_pass(linter: &Linter, files: &[BenchFile]) -> std::io::Result<Lint> {
    let mut by_kind: BTreeMap<&'static str, (Duration, u64, usize)> = BTreeMap::new();
    let mut bytes_total = 0u64;
    let c0 = cpu_ns();
    let t = Instant::now();
    let mut results = Vec::with_capacity(files.len());
    for file in files {
        let t_file = Instant::now();
        let bytes = std::fs::read(&file.abs)?;
        let r = linter.check_file(&file.rel, &bytes);
        let e = by_kind
            .entry(kind_name(silt_core::classify(&file.rel).as_ref()))
            .or_default();
        e.0 += t_file.elapsed();
        e.1 += bytes.len() as u64;
        e.2 += 1;
        bytes_total += bytes.len() as u64;
        results.push(r);
    }
    let check = t.elapsed();
    let report = linter.finish(results);
    let total = t.elapsed();
    let cpu = match (c0, cpu_ns()) {
        (Some(a), Some(b)) if b >= a => Some(Duration::from_nanos(b - a)),
        _ => None,
    };
    Ok(Lint {
        total,
        cpu,
        check,
        finish: total - check,
        bytes: bytes_total,
        findings: report.diagnostics.len(),
        files: report.summary.files,
        by_kind,
        report,
    })
}

fn mbps(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// The configuration the CLI would use for DIR: DIR/silt.toml and its custom rule files, if present.
fn linter_for(dir: &Path) -> Result<Linter, String> {
    let path = dir.join("silt.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(Linter::new(Config::default()));
    };
    let config = Config::parse("silt.toml", &text).map_err(|e| e.to_string())?;
    let mut linter = Linter::new(config);
    for rule in linter.config.custom_rules.clone() {
        let rt = std::fs::read_to_string(dir.join(&rule)).map_err(|e| format!("{rule}: {e}"))?;
        linter
            .add_custom_rules(&rule, &rt)
            .map_err(|e| e.to_string())?;
    }
    linter
        .validate("silt.toml", &text)
        .map_err(|e| e.to_string())?;
    Ok(linter)
}

/// `--only a|b`: run one side only (for profilers: callgrind, perf).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Only {
    A,
    B,
}

fn run(
    dir: &Path,
    runs: usize,
    env: Option<&Path>,
    list: Option<&Path>,
    only: Option<Only>,
) -> Result<(), String> {
    let files = list_files(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    if files.is_empty() {
        return Err(format!("no files silt reads under {}", dir.display()));
    }
    if let Some(list) = list {
        let text: String = files.iter().map(|f| format!("{}\n", f.rel)).collect();
        std::fs::write(list, text).map_err(|e| format!("{}: {e}", list.display()))?;
    }
    let linter = linter_for(dir)?;
    let total: u64 = files.iter().map(|f| f.len).sum();
    let xml: Vec<&BenchFile> = files.iter().filter(|f| is_xml(&f.rel)).collect();
    let xml_bytes: u64 = xml.iter().map(|f| f.len).sum();
    println!(
        "silt-bench: {}: {} files, {:.1} MB ({} XML files {:.1} MB, {} other {:.1} MB); {} run(s), best reported, 1 thread",
        dir.display(),
        files.len(),
        total as f64 / 1e6,
        xml.len(),
        xml_bytes as f64 / 1e6,
        files.len() - xml.len(),
        (total - xml_bytes) as f64 / 1e6,
        runs
    );

    // Warm the page cache (twice: the first read may also fault in the directory entries).
    let t = Instant::now();
    for _ in 0..2 {
        for f in &files {
            std::hint::black_box(std::fs::read(&f.abs).map_err(|e| format!("{}: {e}", f.rel))?);
        }
    }
    println!(
        "warm-up: read {:.1} MB twice in {}",
        total as f64 / 1e6,
        ms(t.elapsed())
    );

    let mut best_floor: Option<(Timing, Floor)> = None;
    let mut best_lint: Option<Lint> = None;
    let mut floor_times = Vec::new();
    let mut lint_times = Vec::new();
    for _ in 0..runs.max(1) {
        if only != Some(Only::B) {
            let (d, f) = floor_pass(&files).map_err(|e| format!("floor: {e}"))?;
            floor_times.push(d.wall);
            if best_floor.as_ref().is_none_or(|(b, _)| d.wall < b.wall) {
                best_floor = Some((d, f));
            }
        }
        if only != Some(Only::A) {
            let l = lint_pass(&linter, &files).map_err(|e| format!("lint: {e}"))?;
            lint_times.push(l.total);
            if best_lint.as_ref().is_none_or(|b| l.total < b.total) {
                best_lint = Some(l);
            }
        }
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v.get(v.len() / 2).copied().unwrap_or_default()
    };
    let cpu_note = |wall: Duration, cpu: Option<Duration>| match cpu {
        Some(c) => format!(
            "; CPU {}{}",
            ms(c),
            if wall.as_secs_f64() > c.as_secs_f64() * 1.1 {
                " (busy machine: wall > CPU + 10%)"
            } else {
                ""
            }
        ),
        None => String::new(),
    };
    let mut vars = format!("BENCH_FILES={}\nBENCH_BYTES={total}\n", files.len());
    let mut floor_fig = None;
    if let Some((ft, floor)) = &best_floor {
        let floor_mbps = mbps(floor.bytes, ft.wall);
        let floor_cpu_mbps = ft.cpu.map(|c| mbps(floor.bytes, c));
        println!(
            "floor 1-thread: {floor_mbps:.1} MB/s  ({}{}; median {}; {} XML events/CSV records{})",
            ms(ft.wall),
            cpu_note(ft.wall, ft.cpu),
            ms(median(&mut floor_times)),
            floor.events,
            if floor.errors > 0 {
                format!(", {} files failed to scan", floor.errors)
            } else {
                String::new()
            }
        );
        vars.push_str(&format!("FLOOR_MBPS={floor_mbps:.1}\n"));
        if let Some(c) = floor_cpu_mbps {
            vars.push_str(&format!("FLOOR_CPU_MBPS={c:.1}\n"));
        }
        floor_fig = Some((floor_mbps, floor_cpu_mbps));
    }
    if let Some(lint) = &best_lint {
        let lint_mbps = mbps(lint.bytes, lint.total);
        let lint_cpu_mbps = lint.cpu.map(|c| mbps(lint.bytes, c));
        println!(
            "lint 1-thread: {lint_mbps:.1} MB/s  ({}{}; median {}; check_file {} + finish {}; {} files, {} findings)",
            ms(lint.total),
            cpu_note(lint.total, lint.cpu),
            ms(median(&mut lint_times)),
            ms(lint.check),
            ms(lint.finish),
            lint.files,
            lint.findings
        );
        for (kind, (d, b, n)) in &lint.by_kind {
            println!(
                "  check_file {kind:<16} {n:>5} files {:>8.1} MB {:>10}  {:>7.1} MB/s",
                *b as f64 / 1e6,
                ms(*d),
                mbps(*b, *d)
            );
        }
        println!("  finish (cross-file rules, sort) {:>31}", ms(lint.finish));
        let t = Instant::now();
        let json = silt_core::report::json::render(&lint.report);
        println!(
            "  (not in b) JSON report render: {} ({} KB)",
            ms(t.elapsed()),
            json.len() / 1000
        );
        vars.push_str(&format!(
            "LINT_MBPS={lint_mbps:.1}\nLINT_CHECK_MS={:.1}\nLINT_FINISH_MS={:.1}\nFINDINGS={}\nSILT_FILES={}\n",
            lint.check.as_secs_f64() * 1e3,
            lint.finish.as_secs_f64() * 1e3,
            lint.findings,
            lint.files
        ));
        if let Some(c) = lint_cpu_mbps {
            vars.push_str(&format!("LINT_CPU_MBPS={c:.1}\n"));
        }
        if let Some((floor_mbps, floor_cpu_mbps)) = floor_fig {
            let ratio = lint_mbps / floor_mbps;
            println!("ratio b/a: {ratio:.2} (target >= 0.5)");
            vars.push_str(&format!("RATIO_BA={ratio:.2}\n"));
            if let (Some(f), Some(l)) = (floor_cpu_mbps, lint_cpu_mbps) {
                println!(
                    "  on CPU time: floor {f:.1} MB/s, lint {l:.1} MB/s, b/a {:.2}",
                    l / f
                );
                vars.push_str(&format!("RATIO_BA_CPU={:.2}\n", l / f));
            }
        }
    }
    if let Some(env) = env {
        std::fs::write(env, vars).map_err(|e| format!("{}: {e}", env.display()))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let mut runs = 3usize;
    let mut env: Option<PathBuf> = None;
    let mut list: Option<PathBuf> = None;
    let mut only: Option<Only> = None;
    let mut dir: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "--runs" => match args.next().and_then(|v| v.parse().ok()) {
                Some(n) => runs = n,
                None => {
                    eprintln!("silt-bench: --runs needs a number\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--env" => env = args.next().map(PathBuf::from),
            "--list" => list = args.next().map(PathBuf::from),
            "--only" => match args.next().as_deref() {
                Some("a") => only = Some(Only::A),
                Some("b") => only = Some(Only::B),
                _ => {
                    eprintln!("silt-bench: --only needs a or b\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            s if s.starts_with('-') => {
                eprintln!("silt-bench: unknown option `{s}`\n{USAGE}");
                return ExitCode::from(2);
            }
            s => dir = Some(PathBuf::from(s)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("silt-bench: missing DIR\n{USAGE}");
        return ExitCode::from(2);
    };
    match run(&dir, runs, env.as_deref(), list.as_deref(), only) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("silt-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
