//! `silt-gen-linear CASE N OUT`: write one linear-cost benchmark project (see `silt_bench::linear`).

use silt_bench::linear;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = format!(
        "usage: silt-gen-linear CASE N OUT\n  CASE: {}",
        linear::CASES.join(", ")
    );
    let [case, n, out] = args.as_slice() else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("silt-gen-linear: N is not a number: {n}\n{usage}");
        return ExitCode::from(2);
    };
    match linear::generate(case, n, &PathBuf::from(out)) {
        Ok(bytes) => {
            println!("silt-gen-linear: {case} n={n}: {bytes} bytes in {out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("silt-gen-linear: {e}");
            ExitCode::FAILURE
        }
    }
}
