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

use std::cell::Cell;
use std::collections::VecDeque;
use std::io::{self, Write};
use std::rc::Rc;
use std::time::SystemTime;

pub use live::{LiveSource, run};

use crate::Error;
use crate::dump::{DumpError, Transport};
use crate::model::LinkNames;
use crate::model::addr::Addr;
use crate::model::link::{Link, Links};
use crate::model::neigh::Neigh;
use crate::model::route::{AF_MPLS, Route};
use crate::model::rule::{IpProtos, Rule};
use crate::names::Names;
use crate::netns::NsidNames;
use crate::render::json::key;
use crate::wire::align4;
use crate::wire::attr::{AF_INET, AF_INET6};
use crate::wire::fib_rule::{FibRuleHdr, FibRuleHdrRepr, RTM_DELRULE, RTM_GETRULE, RTM_NEWRULE};
use crate::wire::ifaddrmsg::{IfAddrMsg, IfAddrMsgRepr, RTM_DELADDR, RTM_GETADDR, RTM_NEWADDR};
use crate::wire::ifinfomsg::{
    IFLA_EXT_MASK, IfInfoMsg, IfInfoMsgRepr, RTM_DELLINK, RTM_GETLINK, RTM_NEWLINK,
};
use crate::wire::ndmsg::{NdMsg, NdMsgRepr, RTM_DELNEIGH, RTM_GETNEIGH, RTM_NEWNEIGH};
use crate::wire::nlmsg::{
    ErrorMsg, Messages, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR,
    NLMSG_MIN_TYPE, NlMsg, RequestBuilder,
};
use crate::wire::rtmsg::{RTM_DELROUTE, RTM_GETROUTE, RTM_NEWROUTE, RtMsg, RtMsgRepr};
use state::{Change, Kind, Object, State};

/// rtnetlink multicast groups (enum rtnetlink_groups, linux/rtnetlink.h).
pub mod group {
    /// Link changes (RTNLGRP_LINK).
    pub const LINK: u32 = 1;
    /// Neighbour changes, every family (RTNLGRP_NEIGH).
    pub const NEIGH: u32 = 3;
    /// IPv4 addresses (RTNLGRP_IPV4_IFADDR).
    pub const IPV4_IFADDR: u32 = 5;
    /// IPv4 routes (RTNLGRP_IPV4_ROUTE).
    pub const IPV4_ROUTE: u32 = 7;
    /// IPv4 rules (RTNLGRP_IPV4_RULE).
    pub const IPV4_RULE: u32 = 8;
    /// IPv6 addresses (RTNLGRP_IPV6_IFADDR).
    pub const IPV6_IFADDR: u32 = 9;
    /// IPv6 routes (RTNLGRP_IPV6_ROUTE).
    pub const IPV6_ROUTE: u32 = 11;
    /// IPv6 rules (RTNLGRP_IPV6_RULE).
    pub const IPV6_RULE: u32 = 19;
    /// MPLS routes (RTNLGRP_MPLS_ROUTE).
    pub const MPLS_ROUTE: u32 = 27;
}

/// errno of a receive that lost multicast messages.
const ENOBUFS: i32 = libc::ENOBUFS;
/// Skip statistics in link dumps (RTEXT_FILTER_SKIP_STATS).
const SKIP_STATS: u32 = 1 << 3;
/// The receive buffer; dump datagrams stay under 32 KiB.
const BUF: usize = 64 << 10;
/// How often an interrupted dump (NLM_F_DUMP_INTR) is tried.
const DUMP_TRIES: u32 = 5;

/// Which events to show.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// The chosen kinds, in [`Kind::ALL`] order.
    pub kinds: Vec<Kind>,
    /// AF_INET, AF_INET6 or AF_MPLS (routes only); `None` for all.
    pub family: Option<u8>,
    /// Only objects on this device (name as given).
    pub dev: Option<String>,
    /// The device's index, once the link dump has resolved it.
    pub dev_index: Option<u32>,
}

impl Selection {
    /// The chosen kinds (every kind when `kinds` is empty), family, device.
    pub fn new(kinds: &[Kind], family: Option<u8>, dev: Option<String>) -> Self {
        let kinds = Kind::ALL
            .into_iter()
            .filter(|k| kinds.is_empty() || kinds.contains(k))
            .collect();
        Selection {
            kinds,
            family,
            dev,
            dev_index: None,
        }
    }

    /// The multicast groups to join: those of the chosen kinds and
    /// families, and links always (device names). MPLS has routes only,
    /// as in `ip monitor`.
    pub fn groups(&self) -> Vec<u32> {
        let v4 = matches!(self.family, None | Some(AF_INET));
        let v6 = matches!(self.family, None | Some(AF_INET6));
        let mpls = matches!(self.family, None | Some(AF_MPLS));
        let mut groups = vec![group::LINK];
        for kind in &self.kinds {
            let (g4, g6) = match kind {
                Kind::Link => continue,
                Kind::Neigh => (group::NEIGH, group::NEIGH),
                Kind::Addr => (group::IPV4_IFADDR, group::IPV6_IFADDR),
                Kind::Route => (group::IPV4_ROUTE, group::IPV6_ROUTE),
                Kind::Rule => (group::IPV4_RULE, group::IPV6_RULE),
            };
            groups.extend(v4.then_some(g4));
            groups.extend(v6.then_some(g6));
            if *kind == Kind::Route && mpls {
                groups.push(group::MPLS_ROUTE);
            }
        }
        groups.dedup();
        groups
    }

    /// The kinds to dump, links first (always: their names).
    fn dump_kinds(&self, all: bool) -> Vec<Kind> {
        let mut kinds = vec![Kind::Link];
        if all {
            kinds.extend(self.kinds.iter().copied().filter(|&k| k != Kind::Link));
        }
        kinds
    }

    /// Whether `family` is an IP family the selection admits.
    fn family_ok(&self, family: u8) -> bool {
        matches!(family, AF_INET | AF_INET6) && self.family.is_none_or(|f| f == family)
    }

    /// Whether `obj` is to be shown.
    pub fn wants(&self, obj: &Object) -> bool {
        if !self.kinds.contains(&obj.kind()) {
            return false;
        }
        let dev = |index: u32| self.dev_index.is_none_or(|d| d == index);
        match obj {
            Object::Link(l) => dev(l.index),
            Object::Addr(a) => self.family_ok(a.family) && dev(a.index),
            Object::Route(r) => {
                let fam = r.family.0;
                let mpls = fam == AF_MPLS && self.family.is_none_or(|f| f == fam);
                (mpls || self.family_ok(fam))
                    && !r.is_cloned()
                    && self.dev_index.is_none_or(|d| r.uses_dev(d))
            }
            Object::Neigh(n) => self.family_ok(n.family) && dev(n.ifindex),
            Object::Rule(r) => {
                let named = |n: &Option<String>| n.as_deref() == self.dev.as_deref();
                self.family_ok(r.family.0) && (self.dev.is_none() || named(&r.iif) || named(&r.oif))
            }
        }
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

/// Each kind dumped, with its objects in dump order.
type Dumps = Vec<(Kind, Vec<Object>)>;

/// A dump's end.
enum Dumped {
    Done(Vec<Object>),
    Interrupted,
    Lost,
}

/// One namespace's monitor: its selection, state and buffers.
pub struct Monitor<'a> {
    sel: Selection,
    opts: Options,
    names: &'a Names,
    protos: &'a IpProtos,
    state: State,
    links: Links,
    link_names: LinkNames,
    nsids: NsidNames,
    buf: Vec<u8>,
    pending: VecDeque<Vec<u8>>,
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
            sel,
            opts,
            names,
            protos,
            state: State::new(),
            links: Links::new(),
            link_names: LinkNames::new(),
            nsids: NsidNames::default(),
            buf: Vec::new(),
            pending: VecDeque::new(),
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
        let kinds = self.sel.dump_kinds(self.opts.snapshot);
        let dumps = loop {
            if let Some(d) = self.dump_all(src, &kinds)? {
                break d;
            }
        };
        let mut shown = Vec::new();
        for (kind, objs) in dumps {
            shown.extend(self.state.replace(kind, objs));
            if kind == Kind::Link {
                self.refresh_links();
            }
        }
        if let Some(name) = &self.sel.dev {
            let link = self.links.find(name);
            let index = link.ok_or_else(|| Error::NoSuchDevice(name.clone()))?.index;
            self.sel.dev_index = Some(index);
        }
        if self.opts.snapshot {
            for (change, obj) in shown {
                if self.sel.wants(&obj) {
                    if let Some(end) = self.emit(change, &obj, out)? {
                        return Ok(Some(end));
                    }
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
        match self.receive(src)? {
            Got::Data(len) => {
                let buf = std::mem::take(&mut self.buf);
                let shown = self.events(&buf[..len], out);
                self.buf = buf;
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
            if let Some((change, obj)) = decode(&msg) {
                if let Some(end) = self.apply(change, obj, out)? {
                    return Ok(Some(end));
                }
            }
        }
        Ok(None)
    }

    /// Show the events held back while a dump was read.
    fn drain(&mut self, out: &mut dyn Write) -> Result<Option<End>, Error> {
        while let Some(bytes) = self.pending.pop_front() {
            let Ok(msg) = NlMsg::new_checked(&bytes[..]) else {
                continue;
            };
            if let Some((change, obj)) = decode(&msg) {
                if let Some(end) = self.apply(change, obj, out)? {
                    return Ok(Some(end));
                }
            }
        }
        Ok(None)
    }

    /// Apply one event to the state; show it if it is chosen and new.
    fn apply(
        &mut self,
        change: Change,
        obj: Object,
        out: &mut dyn Write,
    ) -> Result<Option<End>, Error> {
        let wanted = self.sel.wants(&obj);
        if !wanted && obj.kind() != Kind::Link {
            return Ok(None);
        }
        let Some(change) = self.state.apply(change, &obj) else {
            return Ok(None);
        };
        if obj.kind() == Kind::Link {
            self.refresh_links();
        }
        if !wanted {
            return Ok(None);
        }
        self.emit(change, &obj, out)
    }

    /// Rebuild the link tables the renderers use from the state.
    fn refresh_links(&mut self) {
        self.links = Links::new();
        self.link_names = LinkNames::new();
        for obj in self.state.objects(Kind::Link) {
            if let Object::Link(l) = obj {
                self.link_names.insert(l.index, &l.name);
                self.links.push((**l).clone());
            }
        }
    }

    /// Write one event line and flush it.
    fn emit(
        &mut self,
        change: Change,
        obj: &Object,
        out: &mut dyn Write,
    ) -> Result<Option<End>, Error> {
        let ts = event::stamp(SystemTime::now());
        let view = event::View {
            names: self.names,
            protos: self.protos,
            links: &self.links,
            link_names: &self.link_names,
            nsids: &self.nsids,
            netns: self.opts.netns.as_deref(),
        };
        self.line.clear();
        if self.opts.json {
            event::json(&mut self.line, &ts, change, obj, &view)?;
        } else {
            event::text(&mut self.line, &ts, change, obj, &view);
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
        let kinds = self.sel.dump_kinds(true);
        let dumps = loop {
            if let Some(d) = self.dump_all(src, &kinds)? {
                break d;
            }
        };
        let (mut new, mut del) = (0u64, 0u64);
        for (kind, objs) in dumps {
            let changes = self.state.replace(kind, objs);
            if kind == Kind::Link {
                self.refresh_links();
            }
            for (change, obj) in changes {
                if !self.sel.wants(&obj) {
                    continue;
                }
                match change {
                    Change::Del => del += 1,
                    _ => new += 1,
                }
                if let Some(end) = self.emit(change, &obj, out)? {
                    return Ok(Some(end));
                }
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

    /// Dump every kind of `kinds`; `None` when events were lost meanwhile
    /// (the caller dumps again).
    fn dump_all<S: Source + ?Sized>(
        &mut self,
        src: &mut S,
        kinds: &[Kind],
    ) -> Result<Option<Dumps>, Error> {
        match src.dumper() {
            Some(dumper) => self.dump_kinds(dumper, kinds),
            None => self.dump_kinds(src, kinds),
        }
    }

    /// [`Monitor::dump_all`] over `src`.
    fn dump_kinds<S: Transport + ?Sized>(
        &mut self,
        src: &mut S,
        kinds: &[Kind],
    ) -> Result<Option<Dumps>, Error> {
        let mut dumps = Vec::with_capacity(kinds.len());
        for &kind in kinds {
            match self.dump_kind(src, kind)? {
                Some(objs) => dumps.push((kind, objs)),
                None => return Ok(None),
            }
        }
        Ok(Some(dumps))
    }

    /// Dump one kind, retrying an interrupted dump; `None` when events
    /// were lost meanwhile.
    fn dump_kind<S: Transport + ?Sized>(
        &mut self,
        src: &mut S,
        kind: Kind,
    ) -> Result<Option<Vec<Object>>, Error> {
        for _ in 0..DUMP_TRIES {
            let seq = src.next_seq();
            let req = request(kind, self.sel.family, seq)?;
            src.send(&req).map_err(DumpError::Io)?;
            match self.collect(src, seq, kind)? {
                Dumped::Done(objs) => return Ok(Some(objs)),
                Dumped::Lost => return Ok(None),
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
        kind: Kind,
    ) -> Result<Dumped, Error> {
        let mut objs = Vec::new();
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
            let done = sort(&buf[..len], port, seq, kind, &mut objs, &mut self.pending);
            self.buf = buf;
            let (done, flagged) = done?;
            intr |= flagged;
            if done {
                return Ok(if intr {
                    Dumped::Interrupted
                } else {
                    Dumped::Done(objs)
                });
            }
        }
    }
}

/// Sort one datagram's messages: replies to dump `seq` (from port `port`)
/// go to `objs`, anything else to `pending`. Returns whether DONE came,
/// and whether any reply of the datagram carried NLM_F_DUMP_INTR.
fn sort(
    datagram: &[u8],
    port: u32,
    seq: u32,
    kind: Kind,
    objs: &mut Vec<Object>,
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
            _ => {
                if let Some((Change::New, obj)) = decode(&msg) {
                    if obj.kind() == kind {
                        objs.push(obj);
                    }
                }
            }
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

/// The dump request for `kind` in `family` (0: all), with `seq`.
fn request(kind: Kind, family: Option<u8>, seq: u32) -> Result<Vec<u8>, Error> {
    let family = family.unwrap_or(0);
    let mut buf = [0u8; 64];
    let flags = NLM_F_REQUEST | NLM_F_DUMP;
    let built = match kind {
        Kind::Link => RequestBuilder::new(&mut buf, RTM_GETLINK, flags, seq)
            .fixed(&IfInfoMsgRepr::default().emit())
            .attr_u32(IFLA_EXT_MASK, SKIP_STATS)
            .finish(),
        Kind::Addr => RequestBuilder::new(&mut buf, RTM_GETADDR, flags, seq)
            .fixed(
                &IfAddrMsgRepr {
                    family,
                    ..IfAddrMsgRepr::default()
                }
                .emit(),
            )
            .finish(),
        Kind::Route => RequestBuilder::new(&mut buf, RTM_GETROUTE, flags, seq)
            .fixed(
                &RtMsgRepr {
                    family,
                    ..RtMsgRepr::default()
                }
                .emit(),
            )
            .finish(),
        Kind::Neigh => RequestBuilder::new(&mut buf, RTM_GETNEIGH, flags, seq)
            .fixed(
                &NdMsgRepr {
                    family,
                    ..NdMsgRepr::default()
                }
                .emit(),
            )
            .finish(),
        Kind::Rule => RequestBuilder::new(&mut buf, RTM_GETRULE, flags, seq)
            .fixed(
                &FibRuleHdrRepr {
                    family,
                    ..FibRuleHdrRepr::default()
                }
                .emit(),
            )
            .finish(),
    };
    Ok(built.map_err(DumpError::from)?.to_vec())
}

/// Decode an event or dump message: what happened, and to what. Other
/// messages, and ones too short for their fixed header, give `None`.
pub fn decode(msg: &NlMsg<&[u8]>) -> Option<(Change, Object)> {
    let p = msg.payload();
    let (change, obj) = match msg.kind() {
        RTM_NEWLINK | RTM_DELLINK => {
            let link = Link::decode(&IfInfoMsg::new_checked(p).ok()?);
            (msg.kind() == RTM_NEWLINK, Object::Link(Box::new(link)))
        }
        RTM_NEWADDR | RTM_DELADDR => {
            let addr = Addr::decode(&IfAddrMsg::new_checked(p).ok()?);
            (msg.kind() == RTM_NEWADDR, Object::Addr(addr))
        }
        RTM_NEWROUTE | RTM_DELROUTE => {
            let route = Route::decode(&RtMsg::new_checked(p).ok()?);
            (msg.kind() == RTM_NEWROUTE, Object::Route(Box::new(route)))
        }
        RTM_NEWNEIGH | RTM_DELNEIGH => {
            let neigh = Neigh::decode(&NdMsg::new_checked(p).ok()?);
            (msg.kind() == RTM_NEWNEIGH, Object::Neigh(neigh))
        }
        RTM_NEWRULE | RTM_DELRULE => {
            let rule = Rule::decode(&FibRuleHdr::new_checked(p).ok()?);
            (msg.kind() == RTM_NEWRULE, Object::Rule(rule))
        }
        _ => return None,
    };
    Some((if change { Change::New } else { Change::Del }, obj))
}
