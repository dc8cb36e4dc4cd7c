//! `silt-gen [--size small|large] [--mb N] [--seed N] OUT`: write a deterministic, realistic SFDX project
//! for benchmarks into OUT (see `silt_bench::gen`).

use silt_bench::gen;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: silt-gen [--size small|large] [--mb N] [--seed N] [--stamp] OUT\n\
  --size small  about 15 MB (default)\n\
  --size large  about 450 MB\n\
  --mb N        about N MB\n\
  --seed N      generator seed (default 0x51172025); the same size and seed give the same bytes\n\
  --stamp       print the first line OUT/SILT-GEN.txt would get, write nothing";

fn parse_u64(s: &str) -> Option<u64> {
    match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

fn main() -> ExitCode {
    let mut target = gen::SMALL_BYTES;
    let mut seed = gen::DEFAULT_SEED;
    let mut out: Option<PathBuf> = None;
    let mut stamp_only = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let r: Result<(), String> = match a.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "--stamp" => {
                stamp_only = true;
                Ok(())
            }
            "--size" => value("--size").and_then(|v| {
                target = match v.as_str() {
                    "small" => gen::SMALL_BYTES,
                    "large" => gen::LARGE_BYTES,
                    other => {
                        return Err(format!("unknown size `{other}`: expected small or large"))
                    }
                };
                Ok(())
            }),
            "--mb" => value("--mb").and_then(|v| {
                v.parse::<f64>()
                    .map(|mb| target = (mb * 1e6) as u64)
                    .map_err(|e| format!("--mb: {e}"))
            }),
            "--seed" => value("--seed").and_then(|v| {
                parse_u64(&v)
                    .map(|s| seed = s)
                    .ok_or_else(|| format!("--seed: not a number: {v}"))
            }),
            s if s.starts_with('-') => Err(format!("unknown option `{s}`")),
            s => {
                if out.replace(PathBuf::from(s)).is_some() {
                    Err("only one output folder".to_string())
                } else {
                    Ok(())
                }
            }
        };
        if let Err(e) = r {
            eprintln!("silt-gen: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    if stamp_only {
        println!("{}", gen::stamp(target, seed));
        return ExitCode::SUCCESS;
    }
    let Some(out) = out else {
        eprintln!("silt-gen: missing OUT\n{USAGE}");
        return ExitCode::from(2);
    };
    let t = std::time::Instant::now();
    match gen::generate(&out, target, seed) {
        Ok(summary) => {
            // A closed pipe (`silt-gen ... | head`) is not an error worth a panic.
            let mut o = std::io::stdout().lock();
            let _ = write!(o, "silt-gen: {}: {summary}", out.display());
            let _ = writeln!(o, "silt-gen: done in {:.1} s", t.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("silt-gen: cannot write {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}
