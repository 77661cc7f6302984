//! `eventarium check FILE…`: checks scenario files from a terminal or CI, natively.
//!
//! Each file is parsed and validated and its specs are run; the report goes to standard output
//! and the exit code is 1 when any file has a problem or a failing spec, 2 on a usage error.

use std::process::ExitCode;

use eventarium::session::check_scenario;

const USAGE: &str = "usage: eventarium check FILE...
  Validates each scenario file (*.eventarium.json) and runs its specs.
  Exits with 1 when anything fails.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let files = match args.split_first() {
        Some((command, files)) if command == "check" && !files.is_empty() => files,
        Some((flag, _)) if flag == "--help" || flag == "-h" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut failed = 0;
    for file in files {
        let report = match std::fs::read_to_string(file) {
            Ok(text) => check_scenario(file, &text),
            Err(error) => {
                println!("{file}: FAILED, cannot read it: {error}");
                failed += 1;
                continue;
            }
        };
        print!("{}", report.text);
        failed += usize::from(report.failed);
    }
    println!(
        "checked {} file(s): {} passed, {failed} failed",
        files.len(),
        files.len() - failed
    );
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
