//! The `nlq` binary: parse the command line, run it, and turn the outcome
//! into one line on stderr and an exit code (0 ok, 1 runtime error, 2 usage
//! error, 3 inconsistent dump). A closed stdout pipe is a normal exit.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use nlq::cli::Cli;
use nlq::error::{EXIT_INCONSISTENT, EXIT_OK};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let tty = stdout.is_terminal();
    let mut out = BufWriter::with_capacity(64 << 10, stdout.lock());
    let result = nlq::run(&cli, tty, &mut out);
    let flushed = out.flush();
    let code = match result {
        Ok(()) => match flushed {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => report(&anyhow::Error::from(e), 1),
            _ => EXIT_OK,
        },
        Err(e) if e.is_broken_pipe() => EXIT_OK,
        Err(e) => {
            let code = e.exit_code();
            let err = anyhow::Error::from(e);
            if code == EXIT_INCONSISTENT {
                report(&err.context("output may be inconsistent"), code)
            } else {
                report(&err, code)
            }
        }
    };
    ExitCode::from(code as u8)
}

/// Print `nlq: <error>` once on stderr and return `code`.
fn report(err: &anyhow::Error, code: i32) -> i32 {
    let _ = writeln!(io::stderr().lock(), "nlq: {err:#}");
    code
}
