//! `silt`: the native command line. All of it lives in `silt-workspace` (shared with the Wasm build);
//! this binary gives it the native host: `std::fs`, standard streams and a thread pool.

use std::process::ExitCode;

fn main() -> ExitCode {
    let argv: Vec<String> = match std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect::<Result<_, _>>()
    {
        Ok(a) => a,
        Err(a) => {
            eprintln!("error: argument `{}` is not valid UTF-8", a.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    let host = silt_workspace::native::NativeHost;
    // A bug that panics outside one file's check still ends in a message and exit code 2.
    match std::panic::catch_unwind(|| silt_workspace::cli::run(&argv, &host)) {
        Ok(code) => ExitCode::from(code),
        Err(_) => {
            eprintln!("error: internal error (a bug in silt); please report it");
            ExitCode::from(2)
        }
    }
}
