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

mod cli;
mod cmd;
pub mod dump;
pub mod error;
#[doc(hidden)]
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
pub mod model;
mod monitor;
pub mod names;
pub mod netns;
pub mod pcap;
mod render;
mod session;
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
use crate::dump::{DumpOptions, Dumper, Transport};
use crate::names::Names;
use crate::netns::Place;
use crate::render::Format;
use crate::render::stream::{Pick, TableView, column_index};
use crate::session::Job;

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
    /// `nlq diff` found differences (exit code 1).
    pub differences: bool,
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

/// A parsed nlq command line: what the `nlq` binary runs. Its parts are
/// the CLI's own; a program that embeds nlq parses arguments into one and
/// hands it to [`run`] or [`run_over`].
#[derive(Debug)]
pub struct Invocation(Cli);

impl Invocation {
    /// The process's own arguments. A usage error, or `--help` and
    /// `--version` (whose text the error carries), is clap's.
    pub fn parse() -> Result<Self, clap::Error> {
        Invocation::parse_from(std::env::args_os())
    }

    /// `args`, the program's name first (`["nlq", "routes", "-4"]`).
    pub fn parse_from<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        use clap::Parser;
        let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
        match cli::lean(&args) {
            Some(cli) => Ok(Invocation(cli)),
            None => Cli::try_parse_from(args).map(Invocation),
        }
    }

    /// The exit code of `e`, this command's failure: [`Error::exit_code`],
    /// except that `nlq diff` keeps diff(1)'s codes (1 says
    /// "differences"), so its runtime failures are 2 ("could not tell").
    pub fn exit_code(&self, e: &Error) -> i32 {
        let code = e.exit_code();
        match &self.0.command {
            cli::Command::Diff(_) if code == error::EXIT_RUNTIME => error::EXIT_USAGE,
            _ => code,
        }
    }
}

/// Run the command `inv` describes, writing its output to `out`.
///
/// Nothing is written to `out` unless the command succeeds or has begun a
/// JSON array it then closes; errors are returned, never printed. `err`
/// takes what a long-running command must say while it runs (`nlq
/// monitor`'s overrun notices).
pub fn run(
    inv: &Invocation,
    term: Terminal,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Report, Error> {
    let cli = &inv.0;
    let format = output_format(cli, term)?;
    // Completions and the manual page come from the parser: no socket.
    if cli::meta::is_offline(&cli.command) {
        return cli::meta::run(&cli.command, out).map(|()| Report::default());
    }
    // A snapshot is a JSON document whatever the flags (`--all-netns`
    // then joins the documents into one array).
    let format = match (&cli.command, format) {
        (cli::Command::Snapshot, Format::Table(_)) => Format::Json(render::Dialect::Nlq),
        (_, format) => format,
    };
    let names = Names::system();
    // Everything that needs no kernel is checked before a socket opens.
    let command = cli.command.settings(&names, format)?;
    cli::settings::check_sources(cli)?;
    // `-N` renders numbers; the names above still read the command line.
    let names = if cli.global.numeric && format != Format::Json(render::Dialect::Nlq) {
        Names::numeric()
    } else {
        names
    };
    let protocol = cli.command.protocol();
    if let cli::Command::Monitor(args) = &cli.command {
        let settings = cli::settings::monitor(cli, args)?;
        let end = monitor::run(&settings, out, err)?;
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
    if cli.global.all_netns && matches!(cli.command, cli::Command::Diff(_)) {
        return Err(Error::Usage(
            "diff compares one state with another: name the namespace with -n".into(),
        ));
    }
    session::run(&Job { cli, command }, protocol, names, format, out)
}

/// Run the command `inv` describes over `transport` (a capture, a
/// scripted kernel, a socket the caller opened and watches), as a replay
/// runs: there is no namespace to look beside it in. Commands only:
/// `monitor`, `completions` and `man` are usage errors here.
pub fn run_over(
    inv: &Invocation,
    transport: &mut dyn Transport,
    out: &mut dyn Write,
) -> Result<Report, Error> {
    let cli = &inv.0;
    let format = output_format(cli, Terminal::default())?;
    let names = Names::system();
    let Some(command) = cli.command.settings(&names, format)? else {
        return Err(Error::Usage(
            "run_over runs listing commands, not this one".to_string(),
        ));
    };
    let job = &Job { cli, command };
    let dumper = Dumper::new(DumpOptions::default());
    session::run_with(job, transport, dumper, Place::Replay, names, format, out)
}

/// How `cli` asks to see the output: JSON in a dialect, or a table
/// (`--columns` and `--sort` shape tables only).
fn output_format(cli: &Cli, term: Terminal) -> Result<Format, Error> {
    match cli.global.json {
        Some(dialect) => {
            if !cli.global.columns.is_empty() || cli.global.sort.is_some() {
                return Err(Error::Usage(
                    "--columns and --sort shape tables; filter JSON with jq".into(),
                ));
            }
            Ok(Format::Json(dialect))
        }
        None => Ok(Format::Table(table_view(cli, term)?)),
    }
}

/// The table settings `cli` asks for: colour, and the columns and order
/// resolved against the command's table (a usage error, before any socket
/// opens, when a key is not one of its columns).
fn table_view(cli: &Cli, term: Terminal) -> Result<TableView, Error> {
    let color = match cli.global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => term.tty && !term.no_color,
    };
    let mut view = TableView {
        tty: term.tty,
        color,
        ..TableView::PLAIN
    };
    if cli.global.columns.is_empty() && cli.global.sort.is_none() {
        return Ok(view);
    }
    let Some(columns) = cli.command.table_columns().filter(|_| !cli.global.brief) else {
        return Err(Error::Usage(
            "--columns and --sort apply to this command's table, and it has none here".into(),
        ));
    };
    if !cli.global.columns.is_empty() {
        let keys = cli.global.columns.iter().map(String::as_str);
        view.pick = Some(Pick::resolve(columns, keys).map_err(Error::Usage)?);
    }
    if let Some(key) = &cli.global.sort {
        view.sort = Some(column_index(columns, key).map_err(Error::Usage)?);
    }
    Ok(view)
}
