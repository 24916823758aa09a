//! The commands: each validates its arguments, asks the kernel (or a
//! replay) for a dump, and hands the decoded objects to a renderer.

pub mod addrs;
pub mod genl;
pub mod links;
pub mod meta;
pub mod neigh;
pub mod nexthops;
pub mod route_get;
pub mod route_keys;
pub mod route_select;
pub mod routes;
pub mod rules;
pub mod vrf;

use std::io::Write;

use crate::Error;
use crate::cli::Command;
use crate::dump::{DumpError, DumpStats, Dumper, Transport};
use crate::model::LinkNames;
use crate::names::Names;
use crate::netns::Place;
use crate::render::Format;
use crate::render::stream::Column;
use crate::wire::nlmsg::NlMsg;

/// Skip statistics in a link dump reply (RTEXT_FILTER_SKIP_STATS).
pub(crate) const RTEXT_FILTER_SKIP_STATS: u32 = 1 << 3;

/// What every command needs: where to send requests, how to show results.
pub struct Env<'t> {
    /// The live socket, a capture, or a replay.
    pub transport: &'t mut dyn Transport,
    /// Receive and hold-back buffers, reused across dumps.
    pub dumper: Dumper,
    /// The namespace the transport talks to, for lookups beside it.
    pub place: Place<'t>,
    /// Table, protocol, scope, realm and group names.
    pub names: Names,
    /// Table or JSON.
    pub format: Format,
    /// `--brief`: one line per object (tables and the `ip` dialect).
    pub brief: bool,
}

impl Env<'_> {
    /// Whether to write the brief form: asked for, and not nlq's own JSON.
    pub fn brief(&self) -> bool {
        self.brief && self.format != Format::Json(crate::render::Dialect::Nlq)
    }
}

impl Env<'_> {
    /// Run one dump, passing each data message to `sink`.
    pub fn dump<F>(&mut self, request: &[u8], sink: F) -> Result<DumpStats, Error>
    where
        F: FnMut(&NlMsg<&[u8]>) -> Result<(), DumpError>,
    {
        Ok(self.dumper.dump(&mut *self.transport, request, sink)?)
    }

    /// Every interface's index and name, from one link dump without
    /// statistics.
    pub fn link_names(&mut self) -> Result<LinkNames, Error> {
        let req = links::LinkSelection::default().request(false, RTEXT_FILTER_SKIP_STATS)?;
        let mut names = LinkNames::new();
        self.dump(&req, |msg| {
            names.add(msg);
            Ok(())
        })?;
        Ok(names)
    }
}

/// Resolve a device name to its index, or fail with "no such device".
pub fn device_index(links: &LinkNames, name: &str) -> Result<u32, Error> {
    links
        .index(name)
        .ok_or_else(|| Error::NoSuchDevice(name.to_string()))
}

/// Map an output error inside a dump sink to a dump error.
pub fn output(e: std::io::Error) -> DumpError {
    DumpError::sink(e)
}

/// Check everything about `command` that needs no kernel (table,
/// protocol and type names), so a usage error exits 2 before any socket
/// is opened. Interface names were already checked by the parser.
pub fn validate(command: &Command, names: &Names) -> Result<(), Error> {
    match command {
        Command::Rules(args) => rules::Selection::parse(args).map(drop),
        Command::Links(_) | Command::Addrs(_) | Command::Nexthops(_) => Ok(()),
        Command::Completions(_) | Command::Man => Ok(()),
        Command::Neigh(args) => neigh::validate(args),
        Command::Genl(args) => genl::validate(args),
        Command::Routes(args) => routes::validate(args, names),
        Command::Monitor(args) => validate_monitor(args),
    }
}

/// `nlq monitor`: MPLS has routes only (as `ip monitor -f mpls`), so
/// `--family mpls` needs routes among the objects watched.
fn validate_monitor(args: &crate::cli::MonitorArgs) -> Result<(), Error> {
    use crate::cli::MonitorObject;
    let routes = args.objects.is_empty() || args.objects.contains(&MonitorObject::Route);
    match args.family.family() {
        Some(crate::model::route::AF_MPLS) if !routes => Err(Error::Usage(
            "monitor: --family mpls watches routes only".to_string(),
        )),
        _ => Ok(()),
    }
}

/// Check that `command` can print `format` (a usage error otherwise),
/// before any socket is opened.
pub fn validate_format(command: &Command, format: Format) -> Result<(), Error> {
    match command {
        Command::Genl(_) => genl::validate_format(format),
        _ => Ok(()),
    }
}

/// The columns of `command`'s table, for `--columns` and `--sort`; `None`
/// for a command whose output is not one table.
pub fn table_columns(command: &Command) -> Option<&'static [Column]> {
    use crate::render;
    match command {
        Command::Routes(_) => Some(&render::route::COLUMNS),
        Command::Links(_) => Some(&render::link::COLUMNS),
        Command::Addrs(_) => Some(&render::addr::COLUMNS),
        Command::Neigh(_) => Some(&render::neigh::COLUMNS),
        Command::Rules(_) => Some(&render::rule::COLUMNS),
        Command::Nexthops(_) => Some(&render::nexthop::COLUMNS),
        Command::Genl(_) | Command::Completions(_) | Command::Man | Command::Monitor(_) => None,
    }
}

/// Run `command` in `env`, writing to `out`.
pub fn run(command: &Command, env: &mut Env<'_>, out: &mut dyn Write) -> Result<(), Error> {
    match command {
        Command::Routes(args) => routes::run(env, args, out),
        Command::Links(args) => links::run(env, args, out),
        Command::Addrs(args) => addrs::run(env, args, out),
        Command::Nexthops(args) => nexthops::run(env, args, out),
        Command::Rules(args) => rules::run(env, args, out),
        Command::Neigh(args) => neigh::run(env, args, out),
        Command::Genl(args) => genl::run(env, args, out),
        Command::Completions(_) | Command::Man => meta::run(command, out),
        // Runs on its own socket, before any Env is made (lib::run).
        Command::Monitor(_) => Err(Error::Usage(
            "monitor cannot run inside another command".to_string(),
        )),
    }
}
