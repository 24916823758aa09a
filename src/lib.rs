//! nlq: read a Linux machine's network state over rtnetlink.
//!
//! Data flows one way: CLI → request → socket or replay source → wire views
//! → model → render. [`wire`] is the codec (pure, zero-copy, checked),
//! [`sock`] and [`sys`] hold the only `unsafe`, [`dump`] implements the kernel's dump
//! contract, [`model`] holds the owned objects every renderer sees.
//!
//! # As a library
//!
//! Dump the IPv4 main routing table, synchronously, in the kernel's order:
//!
//! ```
//! use nlq::dump::{DumpOptions, Dumper, Live};
//! use nlq::model::route::Route;
//! use nlq::sock::{NETLINK_ROUTE, Socket};
//! use nlq::wire::attr::AF_INET;
//! use nlq::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, RequestBuilder};
//! use nlq::wire::rtmsg::{RTM_GETROUTE, RTM_NEWROUTE, RtMsg, RtMsgRepr};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut live = Live::new(Socket::open(NETLINK_ROUTE)?);
//! let header = RtMsgRepr { family: AF_INET, ..RtMsgRepr::default() };
//! let mut buf = [0u8; 28]; // nlmsghdr (16) + rtmsg (12)
//! let request = RequestBuilder::new(&mut buf, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 0)
//!     .fixed(&header.emit())
//!     .finish()?;
//! Dumper::new(DumpOptions::default()).dump(&mut live, request, |msg| {
//!     // A reply too short for its rtmsg is skipped, never trusted.
//!     if let (RTM_NEWROUTE, Ok(rtm)) = (msg.kind(), RtMsg::new_checked(msg.payload())) {
//!         let route = Route::decode(&rtm);
//!         if route.table == 254 {
//!             println!("{:?}/{} via {:?}", route.dst, route.dst_len, route.gateway);
//!         }
//!     }
//!     Ok(())
//! })?;
//! # Ok(())
//! # }
//! ```
//!
//! Watch routes change: join the multicast group, then read events as
//! they come (a loop without end, so this example is only compiled):
//!
//! ```no_run
//! use nlq::model::route::Route;
//! use nlq::sock::{NETLINK_ROUTE, Socket};
//! use nlq::wire::nlmsg::Messages;
//! use nlq::wire::rtmsg::{RTM_DELROUTE, RTM_NEWROUTE, RtMsg};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! const RTNLGRP_IPV4_ROUTE: u32 = 7; // linux/rtnetlink.h
//! let sock = Socket::open(NETLINK_ROUTE)?;
//! sock.join_group(RTNLGRP_IPV4_ROUTE)?;
//! let mut buf = vec![0u8; 64 << 10];
//! loop {
//!     let got = sock.recv(&mut buf)?; // ENOBUFS here: events were lost
//!     if got.sender != 0 || got.truncated(buf.len()) {
//!         continue; // only the kernel speaks; a cut datagram is not read
//!     }
//!     for msg in Messages::new(&buf[..got.len]) {
//!         let msg = msg?; // a bad length ends the datagram, with the reason
//!         let Ok(rtm) = RtMsg::new_checked(msg.payload()) else { continue };
//!         let what = match msg.kind() {
//!             RTM_NEWROUTE => "new",
//!             RTM_DELROUTE => "del",
//!             _ => continue,
//!         };
//!         let route = Route::decode(&rtm);
//!         println!("{what} {:?}/{} table {}", route.dst, route.dst_len, route.table);
//!     }
//! }
//! # }
//! ```

#![deny(unsafe_code)]

pub mod cli;
pub mod cmd;
pub mod dump;
pub mod error;
#[doc(hidden)]
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod model;
pub mod monitor;
pub mod names;
pub mod netns;
pub mod pcap;
pub mod render;
#[allow(unsafe_code)]
pub mod sock;
#[allow(unsafe_code)]
pub mod sys;
#[cfg(test)]
mod test_support;
pub mod transport;
pub mod wire;

use std::io::Write;

pub use error::Error;

use crate::cli::{Cli, ColorChoice};
use crate::cmd::Env;
use crate::dump::ahead::ReadAhead;
use crate::dump::{DumpOptions, Dumper, Live, Transport};
use crate::names::Names;
use crate::netns::{Netns, Place};
use crate::render::stream::{Pick, TableView, column_index};
use crate::render::{Format, NetnsJoin};
use crate::sock::Socket;
use crate::transport::{Recorder, Replay};

/// What a successful run has to say besides its output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Warnings the kernel attached to successful replies, for stderr.
    pub warnings: Vec<String>,
    /// The signal that ended the run (`nlq monitor`: SIGINT, SIGTERM);
    /// the exit code is then 128 + the signal number.
    pub signal: Option<i32>,
    /// The output is the best answer a changing table allowed, not a
    /// confirmed one (a warning says why): exit code 3.
    pub inconsistent: bool,
}

/// Where the output goes, as the binary finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Terminal {
    /// stdout is a terminal: tables wrap to its width, `--color=auto`
    /// colours them.
    pub tty: bool,
    /// NO_COLOR is set (to anything but the empty string).
    pub no_color: bool,
}

/// Run the command `cli` describes, writing its output to `out`.
///
/// Nothing is written to `out` unless the command succeeds or has begun a
/// JSON array it then closes; errors are returned, never printed. `err`
/// takes what a long-running command must say while it runs (`nlq
/// monitor`'s overrun notices).
pub fn run(
    cli: &Cli,
    term: Terminal,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Report, Error> {
    let format = match cli.json {
        Some(dialect) => {
            if !cli.columns.is_empty() || cli.sort.is_some() {
                return Err(Error::Usage(
                    "--columns and --sort shape tables; filter JSON with jq".into(),
                ));
            }
            Format::Json(dialect)
        }
        None => Format::Table(table_view(cli, term)?),
    };
    // Completions and the manual page come from the parser: no socket.
    if cli::meta::is_offline(&cli.command) {
        return cli::meta::run(&cli.command, out).map(|()| Report::default());
    }
    let names = Names::system();
    // Everything that needs no kernel is checked before a socket opens.
    let command = cli.command.settings(&names, format)?;
    // `-N` renders numbers; the names above still read the command line.
    let names = if cli.numeric && format != Format::Json(render::Dialect::Nlq) {
        Names::numeric()
    } else {
        names
    };
    let protocol = cli.command.protocol();
    if let cli::Command::Monitor(args) = &cli.command {
        let end = monitor::run(cli, args, out, err)?;
        let signal = match end {
            monitor::End::Signal(s) => Some(s),
            _ => None,
        };
        return Ok(Report {
            signal,
            ..Report::default()
        });
    }
    let Some(command) = command else {
        return Err(Error::Usage("this command cannot run here".to_string()));
    };
    let job = &Job { cli, command };
    if let Some(path) = &cli.replay {
        let mut replay = Replay::open(path, protocol)?;
        let dumper = Dumper::new(DumpOptions::default());
        return run_with(job, &mut replay, dumper, Place::Replay, names, format, out);
    }
    if cli.all_netns {
        return run_all_netns(job, names, format, out);
    }
    match &cli.netns {
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

/// One run's command line and the command's settings built from it.
struct Job<'c> {
    /// The global flags (`--capture`, `--brief`, ...).
    cli: &'c Cli,
    /// The validated command.
    command: cmd::Command,
}

/// The table settings `cli` asks for: colour, and the columns and order
/// resolved against the command's table (a usage error, before any socket
/// opens, when a key is not one of its columns).
fn table_view(cli: &Cli, term: Terminal) -> Result<TableView, Error> {
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => term.tty && !term.no_color,
    };
    let mut view = TableView {
        tty: term.tty,
        color,
        ..TableView::PLAIN
    };
    if cli.columns.is_empty() && cli.sort.is_none() {
        return Ok(view);
    }
    let Some(columns) = cli.command.table_columns().filter(|_| !cli.brief) else {
        return Err(Error::Usage(
            "--columns and --sort apply to this command's table, and it has none here".into(),
        ));
    };
    if !cli.columns.is_empty() {
        let keys = cli.columns.iter().map(String::as_str);
        view.pick = Some(Pick::resolve(columns, keys).map_err(Error::Usage)?);
    }
    if let Some(key) = &cli.sort {
        view.sort = Some(column_index(columns, key).map_err(Error::Usage)?);
    }
    Ok(view)
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
    if ReadAhead::worthwhile() {
        run_live(job, ReadAhead::new(sock), dumper, place, names, format, out)
    } else {
        run_live(job, Live::new(sock), dumper, place, names, format, out)
    }
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
    match &job.cli.capture {
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

fn run_with(
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
        brief: job.cli.brief,
    };
    cmd::run(&job.command, &mut env, out)?;
    out.flush()?;
    Ok(Report {
        warnings: env.dumper.take_warnings(),
        signal: None,
        inconsistent: env.dumper.take_inconsistent(),
    })
}
