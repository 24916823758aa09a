//! The `nlq` binary: parse the command line, run it, and turn the outcome
//! into one line on stderr and an exit code (0 ok, 1 runtime error, 2 usage
//! error, 3 inconsistent dump; `nlq diff`: 0 the same, 1 differences, 2
//! trouble, 3 inconsistent dump). A closed stdout pipe is a normal exit.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use nlq::Invocation;
use nlq::error::{EXIT_DIFFERENCES, EXIT_INCONSISTENT, EXIT_OK, EXIT_USAGE};

fn main() -> ExitCode {
    let inv = match Invocation::parse() {
        Ok(inv) => inv,
        Err(e) => return usage(e),
    };
    let stdout = io::stdout();
    let term = nlq::Terminal {
        tty: stdout.is_terminal(),
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
    };
    let mut out = BufWriter::with_capacity(64 << 10, stdout.lock());
    let result = nlq::run(&inv, term, &mut out, &mut io::stderr()).and_then(|report| {
        out.flush().map_err(nlq::Error::Output)?;
        Ok(report)
    });
    let code = match result {
        Ok(report) => {
            for w in &report.warnings {
                let _ = writeln!(io::stderr().lock(), "nlq: warning: {w}");
            }
            // Ended by SIGINT/SIGTERM (`nlq monitor`): the shell's 128 + N.
            match report.signal {
                Some(s) => 128 + s,
                None if report.inconsistent => EXIT_INCONSISTENT,
                None if report.differences => EXIT_DIFFERENCES,
                None => EXIT_OK,
            }
        }
        Err(e) if e.is_broken_pipe() => EXIT_OK,
        // Ctrl-C or SIGTERM ended a command that runs until stopped.
        Err(nlq::Error::Signal(s)) => 128 + s,
        Err(e) => {
            let code = inv.exit_code(&e);
            let printed = e.output_began();
            let err = anyhow::Error::from(e);
            if code == EXIT_INCONSISTENT && printed {
                report(&err.context("output may be inconsistent"), code)
            } else {
                report(&err, code)
            }
        }
    };
    ExitCode::from(code as u8)
}

/// Help and version go to stdout as clap writes them; a usage error is one
/// line on stderr (clap's tip folded in) and exit 2.
fn usage(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind::{
        DisplayHelp, DisplayHelpOnMissingArgumentOrSubcommand, DisplayVersion,
    };
    match e.kind() {
        DisplayHelp | DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print(); // the help, on stderr
            return ExitCode::from(EXIT_USAGE as u8);
        }
        _ => {}
    }
    let text = e.render().to_string();
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("invalid command line");
    let mut line = first.strip_prefix("error: ").unwrap_or(first).to_string();
    for l in lines {
        if let Some(tip) = l.strip_prefix("tip: ") {
            line.push_str(&format!(" ({tip})"));
        } else if l.starts_with("[possible values") {
            line.push(' ');
            line.push_str(l);
        }
    }
    let _ = writeln!(io::stderr().lock(), "nlq: {line}");
    ExitCode::from(EXIT_USAGE as u8)
}

/// Print `nlq: <error>` once on stderr and return `code`.
fn report(err: &anyhow::Error, code: i32) -> i32 {
    let _ = writeln!(io::stderr().lock(), "nlq: {err:#}");
    code
}
