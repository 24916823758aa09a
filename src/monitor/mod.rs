//! `nlq monitor`: print rtnetlink events as they happen, never losing one
//! silently.
//!
//! The monitor joins the RTNLGRP_* multicast groups of the chosen objects
//! and families (links always, for device names), dumps the links (and,
//! with `--snapshot`, every chosen object, printed first), then prints one
//! line per event. Datagrams not sent by the kernel (sender port id != 0)
//! are dropped; event messages are accepted with any sequence number and
//! port id (they carry those of whoever made the change).
//!
//! When the kernel says it dropped events (ENOBUFS: the receive buffer
//! overflowed), or a datagram was cut (MSG_TRUNC), the monitor reports an
//! overrun, dumps the chosen objects again and emits the difference from
//! its last known state ([`state::State`]) as ordinary new/del events, so
//! a consumer applying events in order ends with the kernel's state.
//! Events that arrive while a dump is read are held and applied after it,
//! duplicates of the dumped state dropped.
//!
//! The loop is written against [`Source`], a [`Transport`] that can also
//! wait (poll the socket, the signal self-pipe and stdout), so the tests
//! drive it with the scripted transport of `dump::script`.

pub mod event;
mod live;
pub mod state;
#[cfg(test)]
mod tests;
mod watch;

use std::cell::Cell;
use std::collections::VecDeque;
use std::io::{self, Write};
use std::rc::Rc;
use std::time::SystemTime;

pub use live::{RCVBUF, Settings, run};
pub use watch::{Filter, KINDS, Seen, Watch, Watched};

use crate::Error;
use crate::dump::{DumpError, Transport};
use crate::model::LinkNames;
use crate::model::link::{Link, Links};
use crate::model::object::{ObjectKind, group};
use crate::model::rule::IpProtos;
use crate::names::Names;
use crate::netns::NsidNames;
use crate::render::event::{Shown, View};
use crate::render::json::key;
use crate::wire::align4;
use crate::wire::nlmsg::{
    ErrorMsg, Messages, NLM_F_DUMP_INTR, NLMSG_DONE, NLMSG_ERROR, NLMSG_MIN_TYPE, NlMsg,
};
use state::Change;

/// errno of a receive that lost multicast messages.
const ENOBUFS: i32 = libc::ENOBUFS;
/// The receive buffer; dump datagrams stay under 32 KiB.
const BUF: usize = 64 << 10;
/// How often an interrupted dump (NLM_F_DUMP_INTR) is tried.
const DUMP_TRIES: u32 = 5;

/// Which events to show.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// The chosen kinds by name ([`ObjectKind::NAME`]); every kind when empty.
    pub kinds: Vec<&'static str>,
    /// AF_INET, AF_INET6 or AF_MPLS; `None` for all.
    pub family: Option<u8>,
    /// Only objects on this device (name as given).
    pub dev: Option<String>,
}

impl Selection {
    /// The chosen kinds (every kind when `kinds` is empty), family, device.
    pub fn new(kinds: &[&'static str], family: Option<u8>, dev: Option<String>) -> Self {
        Selection {
            kinds: kinds.to_vec(),
            family,
            dev,
        }
    }

    /// Whether events of kind `name` are to be shown.
    fn shows(&self, name: &str) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&name)
    }

    /// The kinds watched besides links, in [`KINDS`] order: those chosen
    /// that have objects in the chosen family (MPLS has routes only, as in
    /// `ip monitor`).
    fn watches(&self) -> Vec<Box<dyn Watch>> {
        KINDS
            .iter()
            .map(|make| make())
            .filter(|w| self.shows(w.name()) && w.has_family(self.family))
            .collect()
    }

    /// The multicast groups to join: those of the chosen kinds and
    /// family, and links always (device names).
    pub fn groups(&self) -> Vec<u32> {
        let mut groups = vec![group::LINK];
        for w in self.watches() {
            groups.extend(w.groups(self.family));
        }
        groups.sort_unstable();
        groups.dedup();
        groups
    }
}

/// How the monitor shows what it sees.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// NDJSON instead of text lines.
    pub json: bool,
    /// Stop after this many events.
    pub count: Option<u64>,
    /// Print the current state first.
    pub snapshot: bool,
    /// The namespace's name, for the `netns` key and the text prefix.
    pub netns: Option<String>,
}

/// A transport the monitor can also wait on.
pub trait Source: Transport {
    /// Block until a datagram can be read, a signal arrives or stdout's
    /// reader has gone.
    fn wait(&mut self) -> io::Result<Wake>;

    /// A second transport to the same kernel for dumps, if there is one.
    /// A live monitor dumps on a socket of its own: after an overrun the
    /// event socket's queue is still full, and the kernel would drop the
    /// dump's first answer (and its error) on it.
    fn dumper(&mut self) -> Option<&mut dyn Transport> {
        None
    }
}

/// Why [`Source::wait`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// A datagram (or an error) is waiting.
    Ready,
    /// SIGINT or SIGTERM arrived (the signal number).
    Signal(i32),
    /// The reader of stdout closed it.
    Closed,
}

/// Why the monitor stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// `--count` events were shown.
    Count,
    /// The transport ended (a replay, a script).
    Eof,
    /// A signal asked it to (the signal number).
    Signal(i32),
    /// stdout's reader went away.
    Closed,
}

/// The outcome of one receive.
enum Got {
    /// This many bytes of datagram from the kernel.
    Data(usize),
    /// Nothing to use (EINTR, another sender).
    Skip,
    /// Events were lost (ENOBUFS, a cut datagram).
    Lost,
    /// The transport closed.
    Eof,
}

/// A dump's end.
enum Dumped {
    Done,
    Interrupted,
    Lost,
}

/// The receive side: the buffer, and the events held back while a dump
/// is read.
#[derive(Default)]
struct Receiver {
    buf: Vec<u8>,
    pending: VecDeque<Vec<u8>>,
}

/// One namespace's monitor: its selection, state and buffers.
pub struct Monitor<'a> {
    sel: Selection,
    filter: Filter,
    opts: Options,
    names: &'a Names,
    protos: &'a IpProtos,
    /// Links, always watched: every renderer needs their names.
    links: Watched<Link>,
    /// The other chosen kinds.
    watches: Vec<Box<dyn Watch>>,
    link_table: Links,
    link_names: LinkNames,
    nsids: NsidNames,
    rx: Receiver,
    line: Vec<u8>,
    /// Events shown so far, shared by the monitors of one merged stream.
    emitted: Rc<Cell<u64>>,
    /// How many overruns were seen.
    pub overruns: u64,
}

impl<'a> Monitor<'a> {
    /// A monitor of `sel`, shown as `opts` says.
    pub fn new(sel: Selection, opts: Options, names: &'a Names, protos: &'a IpProtos) -> Self {
        Monitor {
            filter: Filter {
                family: sel.family,
                dev: None,
            },
            watches: sel.watches(),
            sel,
            opts,
            names,
            protos,
            links: Watched::default(),
            link_table: Links::new(),
            link_names: LinkNames::new(),
            nsids: NsidNames::default(),
            rx: Receiver::default(),
            line: Vec::new(),
            emitted: Rc::new(Cell::new(0)),
            overruns: 0,
        }
    }

    /// Count events with `counter` (shared with other monitors writing to
    /// the same stream, so `--count` counts them all).
    pub fn share_count(&mut self, counter: Rc<Cell<u64>>) {
        self.emitted = counter;
    }

    /// Run until `--count`, a signal, a closed stdout or the transport's end.
    pub fn run<S: Source + ?Sized>(
        &mut self,
        src: &mut S,
        out: &mut dyn Write,
        diag: &mut dyn Write,
    ) -> Result<End, Error> {
        if let Some(end) = self.start(src, out)? {
            return Ok(end);
        }
        loop {
            match src.wait().map_err(DumpError::Io)? {
                Wake::Ready => {}
                Wake::Signal(s) => return Ok(End::Signal(s)),
                Wake::Closed => return Ok(End::Closed),
            }
            if let Some(end) = self.step(src, out, diag)? {
                return Ok(end);
            }
        }
    }

    /// Dump the links (and with `--snapshot` everything chosen, shown),
    /// resolve `--dev`, and show the events that arrived meanwhile.
    pub fn start<S: Source + ?Sized>(
        &mut self,
        src: &mut S,
        out: &mut dyn Write,
    ) -> Result<Option<End>, Error> {
        let all = self.opts.snapshot;
        while !self.dump_all(src, all)? {}
        let links = self.replace_links();
        if let Some(name) = &self.sel.dev {
            let link = self.link_table.find(name);
            let index = link.ok_or_else(|| Error::NoSuchDevice(name.clone()))?.index;
            self.filter.dev = Some((index, name.clone()));
        }
        let shown = self.shown_changes(links, all);
        if self.opts.snapshot {
            for (change, obj) in shown {
                if let Some(end) = self.emit(change, &*obj, out)? {
                    return Ok(Some(end));
                }
            }
        }
        self.drain(out)
    }

    /// Read one datagram and show its events (or resynchronise after an
    /// overrun), then whatever was held back meanwhile.
    pub fn step<S: Source + ?Sized>(
        &mut self,
        src: &mut S,
        out: &mut dyn Write,
        diag: &mut dyn Write,
    ) -> Result<Option<End>, Error> {
        match self.rx.receive(src)? {
            Got::Data(len) => {
                let buf = std::mem::take(&mut self.rx.buf);
                let shown = self.events(&buf[..len], out);
                self.rx.buf = buf;
                if let Some(end) = shown? {
                    return Ok(Some(end));
                }
            }
            Got::Skip => {}
            Got::Eof => return Ok(Some(End::Eof)),
            Got::Lost => {
                if let Some(end) = self.resync(src, out, diag)? {
                    return Ok(Some(end));
                }
            }
        }
        self.drain(out)
    }

    /// Show the events of one datagram.
    fn events(&mut self, datagram: &[u8], out: &mut dyn Write) -> Result<Option<End>, Error> {
        for msg in Messages::new(datagram) {
            let msg = msg.map_err(DumpError::from)?;
            if let Some(end) = self.apply(&msg, out)? {
                return Ok(Some(end));
            }
        }
        Ok(None)
    }

    /// Show the events held back while a dump was read.
    fn drain(&mut self, out: &mut dyn Write) -> Result<Option<End>, Error> {
        while let Some(bytes) = self.rx.pending.pop_front() {
            let Ok(msg) = NlMsg::new_checked(&bytes[..]) else {
                continue;
            };
            if let Some(end) = self.apply(&msg, out)? {
                return Ok(Some(end));
            }
        }
        Ok(None)
    }

    /// Apply one event to the state of its kind; show it if it is chosen
    /// and new.
    fn apply(&mut self, msg: &NlMsg<&[u8]>, out: &mut dyn Write) -> Result<Option<End>, Error> {
        let shown: Vec<(Change, Box<dyn Shown>)> = match self.links.apply(msg) {
            Seen::Quiet => return Ok(None),
            Seen::Show(changes) => {
                self.refresh_links();
                let shows = self.sel.shows(Link::NAME);
                changes
                    .into_iter()
                    .filter(|(_, l)| shows && self.filter.wants(l))
                    .map(|(c, l)| (c, Box::new(l) as Box<dyn Shown>))
                    .collect()
            }
            Seen::Other => {
                let mut shown = Vec::new();
                for w in &mut self.watches {
                    match w.event(msg, &self.filter) {
                        Seen::Other => continue,
                        Seen::Quiet => break,
                        Seen::Show(changes) => {
                            shown = changes;
                            break;
                        }
                    }
                }
                shown
            }
        };
        for (change, obj) in shown {
            if let Some(end) = self.emit(change, &*obj, out)? {
                return Ok(Some(end));
            }
        }
        Ok(None)
    }

    /// Replace the known links by the dump just read; rebuild the link
    /// tables the renderers use. The changes, every one.
    fn replace_links(&mut self) -> Vec<(Change, Link)> {
        let changes = self.links.replace_typed();
        self.refresh_links();
        changes
    }

    /// The changes to show after a dump: those of the links (when chosen)
    /// and, with `all`, of every other kind, filtered.
    fn shown_changes(
        &mut self,
        links: Vec<(Change, Link)>,
        all: bool,
    ) -> Vec<(Change, Box<dyn Shown>)> {
        let mut shown: Vec<(Change, Box<dyn Shown>)> = Vec::new();
        if self.sel.shows(Link::NAME) {
            shown.extend(
                links
                    .into_iter()
                    .filter(|(_, l)| self.filter.wants(l))
                    .map(|(c, l)| (c, Box::new(l) as Box<dyn Shown>)),
            );
        }
        for w in &mut self.watches {
            if all {
                shown.extend(w.replace(&self.filter));
            } else if w.needs_baseline() {
                w.replace(&self.filter); // known, not shown
            }
        }
        shown
    }

    /// Rebuild the link tables the renderers use from the state.
    fn refresh_links(&mut self) {
        self.link_table = Links::new();
        self.link_names = LinkNames::new();
        for l in self.links.state.objects() {
            self.link_names.insert(l.index, &l.name);
            self.link_table.push(l.clone());
        }
    }

    /// Write one event line and flush it.
    fn emit(
        &mut self,
        change: Change,
        obj: &dyn Shown,
        out: &mut dyn Write,
    ) -> Result<Option<End>, Error> {
        let ts = event::stamp(SystemTime::now());
        let view = View {
            names: self.names,
            protos: self.protos,
            links: &self.link_table,
            link_names: &self.link_names,
            nsids: &self.nsids,
        };
        let netns = self.opts.netns.as_deref();
        self.line.clear();
        if self.opts.json {
            event::json(&mut self.line, &ts, change, obj, &view, netns)?;
        } else {
            event::text(&mut self.line, &ts, change, obj, &view, netns);
        }
        out.write_all(&self.line)?;
        out.flush()?;
        let emitted = self.emitted.get() + 1;
        self.emitted.set(emitted);
        Ok(self
            .opts
            .count
            .is_some_and(|n| emitted >= n)
            .then_some(End::Count))
    }

    /// Report an overrun, dump again, and show the difference.
    fn resync<S: Source + ?Sized>(
        &mut self,
        src: &mut S,
        out: &mut dyn Write,
        diag: &mut dyn Write,
    ) -> Result<Option<End>, Error> {
        self.overruns += 1;
        let netns = self.opts.netns.as_deref();
        let at = netns.map(|n| format!(" in netns {n}")).unwrap_or_default();
        // stderr is best effort: a closed stderr must not stop the monitor.
        let _ = writeln!(
            diag,
            "nlq: overrun{at}: the kernel dropped events (receive buffer full); resynchronising"
        );
        self.marker(out, "overrun", &[])?;
        while !self.dump_all(src, true)? {}
        let links = self.replace_links();
        let (mut new, mut del) = (0u64, 0u64);
        for (change, obj) in self.shown_changes(links, true) {
            match change {
                Change::Del => del += 1,
                _ => new += 1,
            }
            if let Some(end) = self.emit(change, &*obj, out)? {
                return Ok(Some(end));
            }
        }
        let _ = writeln!(diag, "nlq: resynchronised{at}: {new} new, {del} deleted");
        self.marker(out, "resync", &[(key!("new"), new), (key!("del"), del)])?;
        Ok(None)
    }

    /// An `overrun` or `resync` line, in JSON only (text says it on stderr).
    fn marker(
        &mut self,
        out: &mut dyn Write,
        what: &str,
        counts: &[(crate::render::json::Key, u64)],
    ) -> Result<(), Error> {
        if !self.opts.json {
            return Ok(());
        }
        let ts = event::stamp(SystemTime::now());
        self.line.clear();
        let netns = self.opts.netns.as_deref();
        event::json_marker(&mut self.line, &ts, what, netns, counts)?;
        out.write_all(&self.line)?;
        out.flush()?;
        Ok(())
    }

    /// Dump the links and, with `all`, every other chosen kind, keeping
    /// the replies in each kind's state for [`Watch::replace`]; `false`
    /// when events were lost meanwhile (the caller dumps again).
    fn dump_all<S: Source + ?Sized>(&mut self, src: &mut S, all: bool) -> Result<bool, Error> {
        let family = self.sel.family;
        let mut kinds: Vec<&mut dyn Watch> = vec![&mut self.links];
        let dumped = self
            .watches
            .iter_mut()
            .filter(|w| all || w.needs_baseline());
        kinds.extend(dumped.map(|w| &mut **w as &mut dyn Watch));
        let complete = match src.dumper() {
            Some(dumper) => self.rx.dump_kinds(dumper, &mut kinds, family)?,
            None => self.rx.dump_kinds(src, &mut kinds, family)?,
        };
        if !complete {
            kinds.iter_mut().for_each(|w| w.forget());
        }
        Ok(complete)
    }
}

impl Receiver {
    /// Receive one datagram into the buffer.
    fn receive<S: Transport + ?Sized>(&mut self, src: &mut S) -> Result<Got, Error> {
        if self.buf.len() < BUF {
            self.buf = vec![0; BUF];
        }
        let got = match src.recv(&mut self.buf) {
            Err(e) if e.raw_os_error() == Some(ENOBUFS) => return Ok(Got::Lost),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Ok(Got::Skip),
            Err(e) => return Err(DumpError::Io(e).into()),
            Ok(got) => got,
        };
        Ok(if got.len == 0 {
            Got::Eof
        } else if got.sender != 0 {
            Got::Skip // not from the kernel: never trust it
        } else if got.truncated(self.buf.len()) {
            // The datagram is gone: a bigger buffer, and a resync.
            self.buf = vec![0; align4(got.len).max(self.buf.len() * 2)];
            Got::Lost
        } else {
            Got::Data(got.len)
        })
    }

    /// Dump each of `kinds` in turn; `false` when events were lost.
    fn dump_kinds<S: Transport + ?Sized>(
        &mut self,
        src: &mut S,
        kinds: &mut [&mut dyn Watch],
        family: Option<u8>,
    ) -> Result<bool, Error> {
        for w in kinds.iter_mut() {
            if !self.dump_kind(src, &mut **w, family)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Dump one kind, retrying an interrupted dump; `false` when events
    /// were lost meanwhile.
    fn dump_kind<S: Transport + ?Sized>(
        &mut self,
        src: &mut S,
        w: &mut dyn Watch,
        family: Option<u8>,
    ) -> Result<bool, Error> {
        for _ in 0..DUMP_TRIES {
            w.forget();
            let seq = src.next_seq();
            let req = w.request(family, seq).map_err(DumpError::from)?;
            src.send(&req).map_err(DumpError::Io)?;
            match self.collect(src, seq, w)? {
                Dumped::Done => return Ok(true),
                Dumped::Lost => return Ok(false),
                Dumped::Interrupted => {}
            }
        }
        Err(DumpError::Interrupted {
            output_started: false,
        }
        .into())
    }

    /// Receive one dump's replies until DONE; other messages are events,
    /// held back in `pending`.
    fn collect<S: Transport + ?Sized>(
        &mut self,
        src: &mut S,
        seq: u32,
        w: &mut dyn Watch,
    ) -> Result<Dumped, Error> {
        let mut intr = false;
        loop {
            let len = match self.receive(src)? {
                Got::Data(len) => len,
                Got::Skip => continue,
                Got::Lost => return Ok(Dumped::Lost),
                Got::Eof => return Err(DumpError::Eof.into()),
            };
            let port = src.port_id();
            let buf = std::mem::take(&mut self.buf);
            let done = sort(&buf[..len], port, seq, w, &mut self.pending);
            self.buf = buf;
            let (done, flagged) = done?;
            intr |= flagged;
            if done {
                return Ok(if intr {
                    Dumped::Interrupted
                } else {
                    Dumped::Done
                });
            }
        }
    }
}

/// Sort one datagram's messages: replies to dump `seq` (from port `port`)
/// go to `w`, anything else to `pending`. Returns whether DONE came,
/// and whether any reply of the datagram carried NLM_F_DUMP_INTR.
fn sort(
    datagram: &[u8],
    port: u32,
    seq: u32,
    w: &mut dyn Watch,
    pending: &mut VecDeque<Vec<u8>>,
) -> Result<(bool, bool), Error> {
    let mut intr = false;
    for msg in Messages::new(datagram) {
        let msg = msg.map_err(DumpError::from)?;
        if msg.port_id() != port || msg.seq() != seq {
            pending.push_back(msg.as_bytes().to_vec());
            continue;
        }
        intr |= msg.flags() & NLM_F_DUMP_INTR != 0;
        match msg.kind() {
            NLMSG_DONE => {
                let done =
                    ErrorMsg::parse_done(msg.payload(), msg.flags()).map_err(DumpError::from)?;
                errno(&done)?;
                return Ok((true, intr));
            }
            NLMSG_ERROR => {
                errno(&ErrorMsg::parse(msg.payload(), msg.flags()).map_err(DumpError::from)?)?;
            }
            k if k < NLMSG_MIN_TYPE => {}
            _ => w.dumped(&msg),
        }
    }
    Ok((false, intr))
}

/// A negative error field as [`DumpError::Kernel`].
fn errno(msg: &ErrorMsg<'_>) -> Result<(), Error> {
    if msg.error >= 0 {
        return Ok(());
    }
    Err(DumpError::Kernel {
        errno: msg.error.saturating_neg(),
        ext_ack: msg.ext_text().map(str::to_string),
    }
    .into())
}
