//! A session: where a command's requests go (its own namespace, one
//! named with `-n`, every named one with `--all-netns`, or a capture with
//! `--replay`), over which transport (a socket, read ahead on a second
//! thread when there is a second CPU, recorded with `--capture`), and the
//! [`Env`] the command runs in. lib.rs decides what to run; this module
//! decides where.

use std::io::Write;

use crate::cli::Cli;
use crate::cmd::{self, Env};
use crate::dump::ahead::ReadAhead;
use crate::dump::{DumpOptions, Dumper, Transport};
use crate::names::Names;
use crate::netns::{self, Netns, Place};
use crate::render::{Format, NetnsJoin};
use crate::sock::Socket;
use crate::transport::{Recorder, Replay};
use crate::{Error, Report};

/// One run's command line and the command's settings built from it.
pub(crate) struct Job<'c> {
    /// The global flags (`--capture`, `--brief`, ...).
    pub cli: &'c Cli,
    /// The validated command.
    pub command: cmd::Command,
}

/// Run `job` where its command line says: a replay, every named
/// namespace, one named namespace, or nlq's own.
pub(crate) fn run(
    job: &Job<'_>,
    protocol: i32,
    names: Names,
    format: Format,
    out: &mut dyn Write,
) -> Result<Report, Error> {
    let cli = job.cli;
    if let Some(path) = &cli.global.replay {
        let mut replay = Replay::open(path, protocol)?;
        let dumper = Dumper::new(DumpOptions::default());
        return run_with(job, &mut replay, dumper, Place::Replay, names, format, out);
    }
    if cli.global.all_netns {
        return run_all_netns(job, names, format, out);
    }
    match &cli.global.netns {
        Some(spec) => {
            let ns = Netns::open(spec)?;
            let sock = ns.socket(protocol)?;
            run_socket(job, sock, Place::Netns(&ns), names, format, out)
        }
        None => {
            let sock = Socket::open(protocol).map_err(Error::Socket)?;
            run_socket(job, sock, Place::Own, names, format, out)
        }
    }
}

/// `--all-netns`: the command in every named namespace, in name order.
/// Tables come one section per namespace; JSON is one array whose
/// objects carry `"netns"`. A namespace deleted while nlq runs, or a file
/// there that is not (yet) one, is skipped. A namespace where the command
/// fails does not stop the others, as with `ip -all netns exec`; the run
/// then ends with every failure, after the output (a JSON array closed).
/// Only an output error stops it at once.
fn run_all_netns(
    job: &Job<'_>,
    names: Names,
    format: Format,
    out: &mut dyn Write,
) -> Result<Report, Error> {
    let mut report = Report::default();
    let mut failed = Vec::new();
    let mut join = NetnsJoin::new(out);
    let mut sections = 0;
    for name in netns::names()? {
        let opened =
            Netns::open(&name).and_then(|ns| Ok((ns.socket(job.cli.command.protocol())?, ns)));
        let ran = match opened {
            // Deleted since the listing, or still being made by `ip netns
            // add` (an empty file until it is mounted): not there.
            Err(Error::NoSuchNetns(_)) => continue,
            Err(e @ Error::NotNetns(_)) => {
                report.warnings.push(format!("skipped {e}"));
                continue;
            }
            Err(e) => Err(e),
            Ok((sock, ns)) => {
                sections += 1;
                let place = Place::Netns(&ns);
                in_netns(job, sock, place, &names, format, sections, &mut join)
            }
        };
        match ran {
            Ok(r) => {
                report.inconsistent |= r.inconsistent;
                report
                    .warnings
                    .extend(r.warnings.into_iter().map(|w| format!("netns {name}: {w}")));
            }
            Err(e @ Error::Output(_)) => return Err(e),
            Err(e) => failed.push((name, e)),
        }
    }
    if matches!(format, Format::Json(_)) {
        join.finish()?;
    }
    match failed.is_empty() {
        true => Ok(report),
        false => Err(Error::InNetns(failed)),
    }
}

/// One namespace's run of `--all-netns`: its JSON into the joined array,
/// or its table under a `netns NAME:` heading (`section` counts from 1).
fn in_netns(
    job: &Job<'_>,
    sock: Socket,
    place: Place<'_>,
    names: &Names,
    format: Format,
    section: usize,
    join: &mut NetnsJoin<'_>,
) -> Result<Report, Error> {
    match format {
        Format::Json(_) => {
            if let Place::Netns(ns) = place {
                join.set_netns(&ns.name)?;
            }
            run_socket(job, sock, place, names.clone(), format, join)
        }
        Format::Table(_) => {
            let gap = if section > 1 { "\n" } else { "" };
            if let Place::Netns(ns) = place {
                writeln!(join.inner(), "{gap}netns {}:", ns.name)?;
            }
            run_socket(job, sock, place, names.clone(), format, join.inner())
        }
    }
}

/// Run over a socket already open (in whichever namespace).
fn run_socket(
    job: &Job<'_>,
    sock: Socket,
    place: Place<'_>,
    names: Names,
    format: Format,
    out: &mut dyn Write,
) -> Result<Report, Error> {
    let dumper = Dumper::new(DumpOptions::default());
    // A dump's reader thread starts only when the dump is big enough.
    run_live(job, ReadAhead::new(sock), dumper, place, names, format, out)
}

/// Run over a live transport, recorded when `--capture` asks for it.
fn run_live<T: Transport>(
    job: &Job<'_>,
    mut live: T,
    dumper: Dumper,
    place: Place<'_>,
    names: Names,
    format: Format,
    out: &mut dyn Write,
) -> Result<Report, Error> {
    match &job.cli.global.capture {
        None => run_with(job, &mut live, dumper, place, names, format, out),
        Some(path) => {
            let capture_err = |e: std::io::Error| Error::Replay {
                path: path.display().to_string(),
                what: crate::error::os_text(&e),
            };
            let mut capture =
                Recorder::tap(live, path, job.cli.command.protocol()).map_err(capture_err)?;
            let result = run_with(job, &mut capture, dumper, place, names, format, out);
            let finished = capture.observer.finish().map_err(capture_err);
            // The command's own error, if any, says more than the file's.
            result.and_then(|report| finished.map(|()| report))
        }
    }
}

/// Run `job` in an [`Env`] over `transport`.
pub(crate) fn run_with(
    job: &Job<'_>,
    transport: &mut dyn Transport,
    dumper: Dumper,
    place: Place<'_>,
    names: Names,
    format: Format,
    out: &mut dyn Write,
) -> Result<Report, Error> {
    let mut env = Env {
        transport,
        dumper,
        place,
        names,
        format,
        brief: job.cli.global.brief,
    };
    let ran = cmd::run(&job.command, &mut env, out);
    // `nlq diff`'s differences are an outcome, not a failure.
    let differences = matches!(ran, Err(Error::Differences));
    if !differences {
        ran?;
    }
    out.flush()?;
    Ok(Report {
        warnings: env.dumper.take_warnings(),
        signal: None,
        inconsistent: env.dumper.take_inconsistent(),
        differences,
    })
}
