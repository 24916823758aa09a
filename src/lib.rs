//! nlq: read a Linux machine's network state over rtnetlink.
//!
//! Data flows one way: CLI → request → socket or replay source → wire views
//! → model → render. [`wire`] is the codec (pure, zero-copy, checked),
//! [`sock`] holds the only `unsafe`, [`dump`] implements the kernel's dump
//! contract, [`model`] holds the owned objects every renderer sees.

pub mod cli;
pub mod cmd;
pub mod dump;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod model;
pub mod names;
pub mod pcap;
pub mod render;
pub mod sock;
pub mod transport;
pub mod wire;

use std::io::Write;

pub use error::Error;

use crate::cli::Cli;
use crate::cmd::Env;
use crate::dump::ahead::ReadAhead;
use crate::dump::{DumpOptions, Dumper, Live, Transport};
use crate::names::Names;
use crate::render::Format;
use crate::sock::{NETLINK_ROUTE, Socket};
use crate::transport::{Recorder, Replay};

/// What a successful run has to say besides its output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Warnings the kernel attached to successful replies, for stderr.
    pub warnings: Vec<String>,
}

/// Run the command `cli` describes, writing its output to `out`.
///
/// `tty` says whether `out` is a terminal (tables then wrap to its width).
/// Nothing is written to `out` unless the command succeeds or has begun a
/// JSON array it then closes; errors are returned, never printed.
pub fn run(cli: &Cli, tty: bool, out: &mut dyn Write) -> Result<Report, Error> {
    let format = match cli.json {
        Some(dialect) => Format::Json(dialect),
        None => Format::Table { tty },
    };
    let names = Names::system();
    // Everything that needs no kernel is checked before a socket opens.
    cmd::validate(&cli.command, &names)?;
    let dumper = Dumper::new(DumpOptions::default());
    if let Some(path) = &cli.replay {
        let mut replay = Replay::open(path)?;
        return run_with(cli, &mut replay, dumper, names, format, out);
    }
    let sock = Socket::open(NETLINK_ROUTE).map_err(Error::Socket)?;
    if ReadAhead::worthwhile() {
        run_live(cli, ReadAhead::new(sock), dumper, names, format, out)
    } else {
        run_live(cli, Live::new(sock), dumper, names, format, out)
    }
}

/// Run over a live transport, recorded when `--capture` asks for it.
fn run_live<T: Transport>(
    cli: &Cli,
    mut live: T,
    dumper: Dumper,
    names: Names,
    format: Format,
    out: &mut dyn Write,
) -> Result<Report, Error> {
    match &cli.capture {
        None => run_with(cli, &mut live, dumper, names, format, out),
        Some(path) => {
            let capture_err = |e: std::io::Error| Error::Replay {
                path: path.display().to_string(),
                what: crate::error::os_text(&e),
            };
            let mut capture = Recorder::tap(live, path).map_err(capture_err)?;
            let result = run_with(cli, &mut capture, dumper, names, format, out);
            let finished = capture.observer.finish().map_err(capture_err);
            // The command's own error, if any, says more than the file's.
            result.and_then(|report| finished.map(|()| report))
        }
    }
}

fn run_with(
    cli: &Cli,
    transport: &mut dyn Transport,
    dumper: Dumper,
    names: Names,
    format: Format,
    out: &mut dyn Write,
) -> Result<Report, Error> {
    let mut env = Env {
        transport,
        dumper,
        names,
        format,
    };
    cmd::run(&cli.command, &mut env, out)?;
    out.flush()?;
    Ok(Report {
        warnings: env.dumper.take_warnings(),
    })
}
