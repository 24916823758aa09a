//! The monitor on a live socket: join the groups, size the receive
//! buffer, and wait with `poll` on the socket, the SIGINT/SIGTERM
//! self-pipe and stdout (whose reader may leave, as `| head` does).

use std::cell::RefCell;
use std::io::{self, Write};
use std::os::fd::AsFd;
use std::path::PathBuf;
use std::rc::Rc;

use super::{End, Monitor, Options, Selection, Source, Wake};
use crate::Error;
use crate::dump::tap::{Observer, Tap};
use crate::dump::{Live, Transport};
use crate::model::rule::IpProtos;
use crate::names::Names;
use crate::netns::Netns;
use crate::sock::{NETLINK_ROUTE, Recv, Socket};
use crate::sys::{SignalPipe, poll};
use crate::transport::{Recorder, Replay};

/// The receive buffer asked for: about 40 000 route events (each costs
/// about 830 bytes of it). Without CAP_NET_ADMIN the kernel caps it at
/// net.core.rmem_max.
pub const RCVBUF: usize = 32 << 20;

/// A live socket subscribed to the monitor's groups, with the signal
/// pipe.
pub struct LiveSource {
    live: Live,
    dump: Box<dyn Transport>,
    signals: Option<SignalPipe>,
}

impl std::fmt::Debug for LiveSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveSource")
            .field("live", &self.live)
            .finish()
    }
}

impl LiveSource {
    /// Subscribe `sock` to `groups` with a receive buffer of `rcvbuf`
    /// bytes, dumps going over `dump` (a socket in the same namespace);
    /// `signals` wakes the wait on SIGINT/SIGTERM.
    pub fn new(
        sock: Socket,
        dump: Box<dyn Transport>,
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
            dump,
            signals,
        })
    }
}

impl AsFd for LiveSource {
    /// The event socket's descriptor, for a poll over several sources.
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.live.socket().as_fd()
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
        Some(&mut *self.dump)
    }

    fn wait(&mut self) -> io::Result<Wake> {
        let stdout = io::stdout();
        let sock = self.live.socket().as_fd();
        let mut read = vec![sock];
        read.extend(self.signals.as_ref().map(|s| s.as_fd()));
        let ready = poll(&read, &[stdout.as_fd()], None)?;
        if let Some(s) = self.signals.as_ref().and_then(SignalPipe::take) {
            return Ok(Wake::Signal(s));
        }
        if ready.last().is_some_and(|r| r.hangup) {
            return Ok(Wake::Closed);
        }
        Ok(Wake::Ready)
    }
}

/// A validated `nlq monitor` (built once from the command line by
/// cli/settings.rs): what to watch, where, and how to show it.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The kinds, family and device to show.
    pub selection: Selection,
    /// NDJSON instead of text lines (nlq's dialect: `ip monitor` has no JSON).
    pub json: bool,
    /// Stop after this many events.
    pub count: Option<u64>,
    /// Print the current state first.
    pub snapshot: bool,
    /// The receive buffer to ask for, in bytes.
    pub rcvbuf: usize,
    /// A namespace by name (`-n`).
    pub netns: Option<String>,
    /// Every named namespace (`--all-netns`).
    pub all_netns: bool,
    /// Play a capture back instead (`--replay`).
    pub replay: Option<PathBuf>,
    /// Record the session (`--capture`).
    pub capture: Option<PathBuf>,
    /// `-N`: numbers instead of names in the text lines.
    pub numeric: bool,
}

impl Settings {
    /// How to show events, from a monitor in namespace `netns`.
    fn options(&self, netns: Option<String>) -> Options {
        Options {
            json: self.json,
            count: self.count,
            snapshot: self.snapshot,
            netns,
        }
    }
}

/// The names events are shown with: none under `-N` in the text lines,
/// as `ip -N monitor` (nlq's JSON keeps the name and the number anyway).
fn names_for(s: &Settings) -> Names {
    if s.numeric && !s.json {
        Names::numeric()
    } else {
        Names::system()
    }
}

/// Run `nlq monitor` as `s` says, events to `out`, overrun notices to
/// `diag`.
pub fn run(s: &Settings, out: &mut dyn Write, diag: &mut dyn Write) -> Result<End, Error> {
    if let Some(path) = &s.replay {
        return run_replay(s, path, out, diag);
    }
    if s.all_netns {
        return run_all(s, out, diag);
    }
    let sel = s.selection.clone();
    let names = names_for(s);
    let protos = IpProtos::for_names(&names);
    let (sock, dump, netns) = match &s.netns {
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
    let opts = s.options(netns);
    let signals = SignalPipe::install().map_err(Error::Socket)?;
    let rcvbuf = s.rcvbuf;
    let groups = sel.groups();
    let mut monitor = Monitor::new(sel, opts, &names, &protos);
    let Some(path) = &s.capture else {
        let dump = Box::new(Live::new(dump));
        let mut src = LiveSource::new(sock, dump, &groups, rcvbuf, Some(signals))?;
        return monitor.run(&mut src, out, diag);
    };
    let live = Sockets {
        sock,
        dump,
        groups,
        rcvbuf,
        signals,
    };
    run_captured(&mut monitor, live, path, out, diag)
}

/// What a live monitor opens before it runs.
struct Sockets {
    sock: Socket,
    dump: Socket,
    groups: Vec<u32>,
    rcvbuf: usize,
    signals: SignalPipe,
}

/// `--capture`: both sockets recorded into one file, in the order read.
fn run_captured(
    monitor: &mut Monitor<'_>,
    live: Sockets,
    path: &std::path::Path,
    out: &mut dyn Write,
    diag: &mut dyn Write,
) -> Result<End, Error> {
    let capture_err = |e: io::Error| Error::Replay {
        path: path.display().to_string(),
        what: crate::error::os_text(&e),
    };
    let Tap {
        inner: dump,
        observer,
    } = Recorder::tap(Live::new(live.dump), path, NETLINK_ROUTE).map_err(capture_err)?;
    let rec = Rc::new(RefCell::new(observer));
    let dump = Box::new(Tap {
        inner: dump,
        observer: Shared(rec.clone()),
    });
    let events = LiveSource::new(
        live.sock,
        dump,
        &live.groups,
        live.rcvbuf,
        Some(live.signals),
    )?;
    let mut src = Tap {
        inner: events,
        observer: Shared(rec.clone()),
    };
    let result = monitor.run(&mut src, out, diag);
    drop(src);
    let finished = match Rc::try_unwrap(rec) {
        Ok(cell) => cell.into_inner().finish().map_err(capture_err),
        Err(_) => Ok(()),
    };
    // The monitor's own error, if any, says more than the file's.
    result.and_then(|end| finished.map(|()| end))
}

/// One recorder shared by the event and dump sockets.
struct Shared(Rc<RefCell<Recorder>>);

impl Observer for Shared {
    fn sent(&mut self, request: &[u8]) -> io::Result<()> {
        self.0.borrow_mut().sent(request)
    }
    fn received(&mut self, datagram: &[u8], got: Recv) -> io::Result<()> {
        self.0.borrow_mut().received(datagram, got)
    }
}

impl<S: Source, O: Observer> Source for Tap<S, O> {
    fn wait(&mut self) -> io::Result<Wake> {
        self.inner.wait()
    }
    fn dumper(&mut self) -> Option<&mut dyn Transport> {
        self.inner.dumper()
    }
}

/// A capture played back as a monitor's stream: its datagrams from the
/// kernel are the events; a recorded request marks where the live
/// monitor resynchronised, so it is read as an overrun (and the monitor's
/// own dump requests then match the recorded ones).
struct ReplaySource(Replay);

impl Transport for ReplaySource {
    fn port_id(&self) -> u32 {
        self.0.port_id()
    }
    fn next_seq(&mut self) -> u32 {
        self.0.next_seq()
    }
    fn strict(&self) -> bool {
        self.0.strict()
    }
    fn send(&mut self, request: &[u8]) -> io::Result<()> {
        self.0.send(request)
    }
    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Recv> {
        match self.0.at_request()? {
            None => Ok(Recv { len: 0, sender: 0 }),
            Some(true) => Err(io::Error::from_raw_os_error(libc::ENOBUFS)),
            Some(false) => self.0.recv(buf),
        }
    }
}

impl Source for ReplaySource {
    fn wait(&mut self) -> io::Result<Wake> {
        Ok(Wake::Ready)
    }
}

/// `nlq --replay FILE monitor`: the recorded events, shown as they were.
fn run_replay(
    s: &Settings,
    path: &std::path::Path,
    out: &mut dyn Write,
    diag: &mut dyn Write,
) -> Result<End, Error> {
    let names = names_for(s);
    let protos = IpProtos::for_names(&names);
    let mut src = ReplaySource(Replay::open(path, NETLINK_ROUTE)?);
    let sel = s.selection.clone();
    let mut monitor = Monitor::new(sel, s.options(None), &names, &protos);
    monitor.run(&mut src, out, diag)
}

/// `--all-netns`: a monitor in every named namespace (one socket each,
/// opened at start; namespaces added later are not watched), one merged
/// stream, each event tagged with its namespace; `--count` counts them
/// all.
fn run_all(s: &Settings, out: &mut dyn Write, diag: &mut dyn Write) -> Result<End, Error> {
    let names = names_for(s);
    let protos = IpProtos::for_names(&names);
    let signals = SignalPipe::install().map_err(Error::Socket)?;
    let counter = std::rc::Rc::new(std::cell::Cell::new(0));
    let rcvbuf = s.rcvbuf;
    let mut watched = Vec::new();
    for name in crate::netns::names()? {
        let opened = Netns::open(&name)
            .and_then(|ns| Ok((ns.socket(NETLINK_ROUTE)?, ns.socket(NETLINK_ROUTE)?)));
        let (sock, dump) = match opened {
            // Deleted since the listing, or not (yet) a namespace: skipped.
            Err(Error::NoSuchNetns(_) | Error::NotNetns(_)) => continue,
            other => other?,
        };
        let sel = s.selection.clone();
        let dump = Box::new(Live::new(dump));
        let src = LiveSource::new(sock, dump, &sel.groups(), rcvbuf, None)?;
        let mut monitor = Monitor::new(sel, s.options(Some(name)), &names, &protos);
        monitor.share_count(counter.clone());
        watched.push((monitor, src));
    }
    for (monitor, src) in &mut watched {
        if let Some(end) = monitor.start(src, out)? {
            return Ok(end);
        }
    }
    loop {
        let ready = {
            let mut fds: Vec<_> = watched.iter().map(|(_, s)| s.as_fd()).collect();
            fds.push(signals.as_fd());
            poll(&fds, &[io::stdout().as_fd()], None).map_err(Error::Socket)?
        };
        if let Some(s) = signals.take() {
            return Ok(End::Signal(s));
        }
        if ready.last().is_some_and(|r| r.hangup) {
            return Ok(End::Closed);
        }
        for (i, (monitor, src)) in watched.iter_mut().enumerate() {
            if !ready[i].readable {
                continue;
            }
            match monitor.step(src, out, diag)? {
                None | Some(End::Eof) => {}
                Some(end) => return Ok(end),
            }
        }
    }
}
