//! The monitor on a live socket: join the groups, size the receive
//! buffer, and wait with `poll` on the socket, the SIGINT/SIGTERM
//! self-pipe and stdout (whose reader may leave, as `| head` does).

use std::io::{self, Write};
use std::os::fd::AsFd;

use super::state::Kind;
use super::{End, Monitor, Options, Selection, Source, Wake};
use crate::Error;
use crate::cli::{Cli, MonitorArgs, MonitorObject};
use crate::dump::{Live, Transport};
use crate::model::rule::IpProtos;
use crate::names::Names;
use crate::netns::Netns;
use crate::sock::{NETLINK_ROUTE, Recv, SignalPipe, Socket, poll};

/// The receive buffer asked for: about 40 000 route events (each costs
/// about 830 bytes of it). Without CAP_NET_ADMIN the kernel caps it at
/// net.core.rmem_max.
pub const RCVBUF: usize = 32 << 20;

/// A live socket subscribed to the monitor's groups, with the signal
/// pipe.
#[derive(Debug)]
pub struct LiveSource {
    live: Live,
    dump: Live,
    signals: Option<SignalPipe>,
}

impl LiveSource {
    /// Subscribe `sock` to `groups` with a receive buffer of `rcvbuf`
    /// bytes, dumps going over `dump` (a socket in the same namespace);
    /// `signals` wakes the wait on SIGINT/SIGTERM.
    pub fn new(
        sock: Socket,
        dump: Socket,
        groups: &[u32],
        rcvbuf: usize,
        signals: Option<SignalPipe>,
    ) -> Result<Self, Error> {
        sock.force_recv_buffer(rcvbuf).map_err(Error::Socket)?;
        for &g in groups {
            sock.join_group(g).map_err(Error::Socket)?;
        }
        Ok(LiveSource {
            live: Live::new(sock),
            dump: Live::new(dump),
            signals,
        })
    }
}

impl Transport for LiveSource {
    fn port_id(&self) -> u32 {
        self.live.port_id()
    }
    fn next_seq(&mut self) -> u32 {
        self.live.next_seq()
    }
    fn strict(&self) -> bool {
        self.live.strict()
    }
    fn send(&mut self, request: &[u8]) -> io::Result<()> {
        self.live.send(request)
    }
    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Recv> {
        self.live.recv(buf)
    }
}

impl Source for LiveSource {
    fn dumper(&mut self) -> Option<&mut dyn Transport> {
        Some(&mut self.dump)
    }

    fn wait(&mut self) -> io::Result<Wake> {
        let stdout = io::stdout();
        let sock = self.live.socket().as_fd();
        let mut read = vec![sock];
        read.extend(self.signals.as_ref().map(|s| s.as_fd()));
        let ready = poll(&read, &[stdout.as_fd()])?;
        if let Some(s) = self.signals.as_ref().and_then(SignalPipe::take) {
            return Ok(Wake::Signal(s));
        }
        if ready.last().is_some_and(|r| r.hangup) {
            return Ok(Wake::Closed);
        }
        Ok(Wake::Ready)
    }
}

/// The selection `args` describe.
pub fn selection(args: &MonitorArgs) -> Selection {
    let kinds: Vec<Kind> = args
        .objects
        .iter()
        .map(|o| match o {
            MonitorObject::Link => Kind::Link,
            MonitorObject::Addr => Kind::Addr,
            MonitorObject::Route => Kind::Route,
            MonitorObject::Neigh => Kind::Neigh,
            MonitorObject::Rule => Kind::Rule,
        })
        .collect();
    Selection::new(&kinds, args.family.family(), args.dev.clone())
}

/// Run `nlq monitor` as `cli` asks, events to `out`, overrun notices to
/// `diag`.
pub fn run(
    cli: &Cli,
    args: &MonitorArgs,
    out: &mut dyn Write,
    diag: &mut dyn Write,
) -> Result<End, Error> {
    let sel = selection(args);
    let names = Names::system();
    let protos = IpProtos::system();
    let (sock, dump, netns) = match &cli.netns {
        Some(spec) => {
            let ns = Netns::open(spec)?;
            let (sock, dump) = (ns.socket(NETLINK_ROUTE)?, ns.socket(NETLINK_ROUTE)?);
            (sock, dump, Some(spec.clone()))
        }
        None => {
            let open = || Socket::open(NETLINK_ROUTE).map_err(Error::Socket);
            (open()?, open()?, None)
        }
    };
    let opts = Options {
        json: cli.json.is_some(),
        count: args.count,
        snapshot: args.snapshot,
        netns,
    };
    let signals = SignalPipe::install().map_err(Error::Socket)?;
    let rcvbuf = args.rcvbuf.unwrap_or(RCVBUF);
    let mut src = LiveSource::new(sock, dump, &sel.groups(), rcvbuf, Some(signals))?;
    let mut monitor = Monitor::new(sel, opts, &names, &protos);
    monitor.run(&mut src, out, diag)
}
