//! The kernel's floor for a dump: what receiving it costs when nothing else
//! is done, the baseline `bench/run.sh` divides every other figure by.
//!
//! ```text
//! cargo run --release --example floor -- [--walk] [--dumper] [-4|-6] [--table main|all|ID] routes|links|addrs|neigh
//! ```
//!
//! It opens nlq's own [`Socket`], sends the dump request nlq and `ip` send
//! for the same command (built with [`RequestBuilder`]), and receives until
//! NLMSG_DONE, looking at nothing but message headers (to find DONE, and
//! an error). `--walk` also visits every attribute of every message, nested
//! ones included (the "floor + walk" row: the cost of parsing without
//! decoding anything). It prints one summary line on stderr and nothing on
//! stdout.
//!
//! The receive loop is a tight one rather than [`Dumper`]: the dumper
//! copies up to 16 MiB of messages aside for a consistent retry, which
//! costs a memcpy and its RSS, so it is not the floor. `--dumper` runs the
//! same dump through [`Dumper`] with a sink that only counts, to measure
//! exactly that difference.
//!
//! What each object needs from the kernel, and so what its floor dumps:
//! - `routes`: one RTM_GETROUTE dump of the family (`-4`, `-6`, or both)
//!   and, under strict checking, RTA_TABLE (main unless `--table`), as
//!   `ip route show` and `nlq routes` ask for it.
//! - `links`: one RTM_GETLINK dump with IFLA_EXT_MASK = RTEXT_FILTER_VF,
//!   as `ip -s link show` and `nlq links` ask for it.
//! - `addrs`: that link dump, then one RTM_GETADDR dump of the family: both
//!   `ip addr show` and `nlq addrs` need the links to name and describe
//!   the interfaces the addresses belong to.
//! - `neigh`: one RTM_GETNEIGH dump of the family, as `ip neigh show` asks
//!   for it (ip names the few devices with one RTM_GETLINK each; nlq
//!   dumps the links first: that dump is not in the floor).

use std::error::Error;
use std::io;
use std::process::ExitCode;

use nlq::dump::tap::{Observer, Tap};
use nlq::dump::{DumpOptions, Dumper, Live, Transport};
use nlq::sock::{NETLINK_ROUTE, Recv, Socket};
use nlq::wire::attr::{AF_INET, AF_INET6, Attrs};
use nlq::wire::ifaddrmsg::{IfAddrMsg, IfAddrMsgRepr, RTM_GETADDR, RTM_NEWADDR};
use nlq::wire::ifinfomsg::{
    IFLA_AF_SPEC, IFLA_EXT_MASK, IFLA_INFO_DATA, IFLA_INFO_SLAVE_DATA, IFLA_LINKINFO,
    IFLA_PROP_LIST, IFLA_XDP, IfInfoMsg, IfInfoMsgRepr, RTEXT_FILTER_VF, RTM_GETLINK, RTM_NEWLINK,
};
use nlq::wire::ndmsg::{NdMsg, NdMsgRepr, RTM_GETNEIGH, RTM_NEWNEIGH};
use nlq::wire::nlmsg::{
    ErrorMsg, Messages, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR,
    NLMSG_MIN_TYPE, NlMsg, RequestBuilder,
};
use nlq::wire::rtmsg::{
    NextHops, RT_TABLE_MAIN, RTA_ENCAP, RTA_METRICS, RTA_MULTIPATH, RTA_TABLE, RTM_GETROUTE,
    RTM_NEWROUTE, RtMsg, RtMsgRepr,
};

type Res<T> = Result<T, Box<dyn Error>>;

const USAGE: &str =
    "usage: floor [--walk] [--dumper] [-4|-6] [--table main|all|ID] routes|links|addrs|neigh";

/// The receive buffer: the kernel sizes dump datagrams near 32 KiB, so a
/// larger one buys nothing (nlq's dumper starts at the same size).
const BUF_LEN: usize = 64 << 10;

/// The object whose dump is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Object {
    Routes,
    Links,
    Addrs,
    Neigh,
}

/// The command line.
#[derive(Debug, Clone, Copy)]
struct Opts {
    object: Object,
    /// Walk every attribute (the "floor + walk" row).
    walk: bool,
    /// Receive through nlq's [`Dumper`] instead of the tight loop.
    dumper: bool,
    /// AF_INET, AF_INET6, or 0 for every family.
    family: u8,
    /// Routing table to ask for; `None` for every table.
    table: Option<u32>,
}

/// What a run received.
#[derive(Debug, Default)]
struct Tally {
    /// Data messages (types from NLMSG_MIN_TYPE up).
    messages: u64,
    /// Bytes of every datagram received from the kernel.
    bytes: u64,
    /// Datagrams received from the kernel.
    datagrams: u64,
    /// Attributes visited by `--walk`, nested ones included.
    attrs: u64,
    /// Sum of the visited attributes' payload lengths (keeps the walk live).
    attr_bytes: u64,
    /// Messages or attribute lists that ended in a malformed length.
    malformed: u64,
    /// Dumps the kernel flagged NLM_F_DUMP_INTR (not retried here).
    interrupted: u64,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opts = match parse(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("floor: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&opts) {
        Ok(tally) => {
            eprintln!("{}", summary(&opts, &tally));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("floor: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: &[String]) -> Res<Opts> {
    let mut opts = Opts {
        object: Object::Routes,
        walk: false,
        dumper: false,
        family: 0,
        table: Some(RT_TABLE_MAIN),
    };
    let mut object = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--walk" => opts.walk = true,
            "--dumper" => opts.dumper = true,
            "-4" => opts.family = AF_INET,
            "-6" => opts.family = AF_INET6,
            "--table" | "-t" => opts.table = table(it.next().ok_or("--table needs a value")?)?,
            "routes" => object = Some(Object::Routes),
            "links" => object = Some(Object::Links),
            "addrs" => object = Some(Object::Addrs),
            "neigh" => object = Some(Object::Neigh),
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    opts.object = object.ok_or("which dump: routes, links, addrs or neigh?")?;
    Ok(opts)
}

fn table(s: &str) -> Res<Option<u32>> {
    match s {
        "all" => Ok(None),
        "main" => Ok(Some(RT_TABLE_MAIN)),
        n => Ok(Some(n.parse().map_err(|_| format!("bad table {n:?}"))?)),
    }
}

/// Run the dumps the object needs and tally what came back.
fn run(opts: &Opts) -> Res<Tally> {
    let sock = Socket::open(NETLINK_ROUTE)?;
    let mut tally = Tally::default();
    let mut receiver = Receiver::new(sock, opts);
    match opts.object {
        Object::Routes => receiver.dump(&route_request(opts, receiver.strict())?, &mut tally)?,
        Object::Links => receiver.dump(&link_request()?, &mut tally)?,
        Object::Addrs => {
            receiver.dump(&link_request()?, &mut tally)?;
            receiver.dump(&addr_request(opts.family)?, &mut tally)?;
        }
        Object::Neigh => receiver.dump(&neigh_request(opts.family)?, &mut tally)?,
    }
    Ok(tally)
}

/// RTM_GETROUTE for the family, with RTA_TABLE under strict checking (as
/// iproute2's `iproute_dump_filter` and nlq's `Selection::request`).
fn route_request(opts: &Opts, strict: bool) -> Res<Vec<u8>> {
    let hdr = RtMsgRepr {
        family: opts.family,
        ..RtMsgRepr::default()
    };
    let mut buf = [0u8; 64];
    let mut req = RequestBuilder::new(&mut buf, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&hdr.emit());
    if let (true, Some(t)) = (strict, opts.table) {
        req = req.attr_u32(RTA_TABLE, t);
    }
    Ok(req.finish()?.to_vec())
}

/// RTM_GETLINK with IFLA_EXT_MASK = RTEXT_FILTER_VF (`ip -s link show`).
fn link_request() -> Res<Vec<u8>> {
    let mut buf = [0u8; 64];
    let req = RequestBuilder::new(&mut buf, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&IfInfoMsgRepr::default().emit())
        .attr_u32(IFLA_EXT_MASK, RTEXT_FILTER_VF)
        .finish()?;
    Ok(req.to_vec())
}

/// RTM_GETADDR for the family (`ip addr show`).
fn addr_request(family: u8) -> Res<Vec<u8>> {
    let hdr = IfAddrMsgRepr {
        family,
        ..IfAddrMsgRepr::default()
    };
    let mut buf = [0u8; 64];
    let req = RequestBuilder::new(&mut buf, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&hdr.emit())
        .finish()?;
    Ok(req.to_vec())
}

/// RTM_GETNEIGH for the family (`ip neigh show`).
fn neigh_request(family: u8) -> Res<Vec<u8>> {
    let hdr = NdMsgRepr {
        family,
        ..NdMsgRepr::default()
    };
    let mut buf = [0u8; 64];
    let req = RequestBuilder::new(&mut buf, RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&hdr.emit())
        .finish()?;
    Ok(req.to_vec())
}

/// One of the two ways to receive a dump, with the state it reuses.
enum Receiver {
    /// The floor proper: one recv per datagram into one buffer.
    Tight {
        live: Live,
        buf: Vec<u8>,
        walk: bool,
    },
    /// nlq's dump loop with a sink that only counts (and walks).
    Dumper {
        live: Tap<Live, Counting>,
        dumper: Box<Dumper>,
        walk: bool,
    },
}

impl Receiver {
    fn new(sock: Socket, opts: &Opts) -> Self {
        let live = Live::new(sock);
        if opts.dumper {
            return Receiver::Dumper {
                live: Tap {
                    inner: live,
                    observer: Counting::default(),
                },
                dumper: Box::new(Dumper::new(DumpOptions::default())),
                walk: opts.walk,
            };
        }
        Receiver::Tight {
            live,
            buf: vec![0; BUF_LEN],
            walk: opts.walk,
        }
    }

    fn strict(&self) -> bool {
        match self {
            Receiver::Tight { live, .. } => live.strict(),
            Receiver::Dumper { live, .. } => live.strict(),
        }
    }

    fn dump(&mut self, request: &[u8], tally: &mut Tally) -> Res<()> {
        match self {
            Receiver::Tight { live, buf, walk } => tight(live, buf, request, *walk, tally),
            Receiver::Dumper { live, dumper, walk } => {
                let walk = *walk;
                dumper.dump(live, request, |msg| {
                    count(msg, walk, tally);
                    Ok(())
                })?;
                tally.datagrams += std::mem::take(&mut live.observer.datagrams);
                tally.bytes += std::mem::take(&mut live.observer.bytes);
                Ok(())
            }
        }
    }
}

/// Send `request` and receive until DONE, one recv per datagram.
fn tight(live: &mut Live, buf: &mut [u8], request: &[u8], walk: bool, t: &mut Tally) -> Res<()> {
    let mut req = request.to_vec();
    let seq = live.next_seq();
    req[8..12].copy_from_slice(&seq.to_ne_bytes()); // nlmsg_seq
    live.socket().send(&req)?;
    let port = live.port_id();
    loop {
        let got = live.socket().recv(buf)?;
        if got.len == 0 {
            return Err("the socket closed before DONE".into());
        }
        if got.truncated(buf.len()) {
            return Err(format!("a {}-byte datagram did not fit the buffer", got.len).into());
        }
        if got.sender != 0 {
            continue; // not from the kernel
        }
        t.datagrams += 1;
        t.bytes += got.len as u64;
        if datagram(&buf[..got.len], seq, port, walk, t)? {
            return Ok(());
        }
    }
}

/// Go through one datagram's messages; true once DONE was seen.
fn datagram(bytes: &[u8], seq: u32, port: u32, walk: bool, t: &mut Tally) -> Res<bool> {
    for msg in Messages::new(bytes) {
        let msg = msg?;
        if msg.seq() != seq || msg.port_id() != port {
            continue; // a stray reply to some other request
        }
        t.interrupted += u64::from(msg.flags() & NLM_F_DUMP_INTR != 0);
        match msg.kind() {
            NLMSG_DONE => {
                kernel_error(&ErrorMsg::parse_done(msg.payload(), msg.flags())?)?;
                return Ok(true);
            }
            NLMSG_ERROR => kernel_error(&ErrorMsg::parse(msg.payload(), msg.flags())?)?,
            k if k < NLMSG_MIN_TYPE => {}
            _ => count(&msg, walk, t),
        }
    }
    Ok(false)
}

fn kernel_error(e: &ErrorMsg<'_>) -> Res<()> {
    if e.error == 0 {
        return Ok(());
    }
    let os = io::Error::from_raw_os_error(e.error.saturating_neg());
    match e.ext_text() {
        Some(text) => Err(format!("kernel: {os}: {text}").into()),
        None => Err(format!("kernel: {os}").into()),
    }
}

/// Count a data message, and walk it when asked.
fn count(msg: &NlMsg<&[u8]>, walk: bool, t: &mut Tally) {
    t.messages += 1;
    if walk {
        walk_message(msg, t);
    }
}

/// Where an attribute list sits, which says which of its attributes hold
/// nested attributes (most nests lack NLA_F_NESTED: the kernel sets it
/// only on newer ones).
#[derive(Debug, Clone, Copy)]
enum Nest {
    Route,
    Link,
    LinkInfo,
    AfSpec,
    Addr,
    /// Inside any other nest: only NLA_F_NESTED says more nesting follows.
    Other,
}

/// How to read an attribute's payload.
enum Inner {
    Attrs(Nest),
    NextHops,
    Leaf,
}

fn inner(nest: Nest, kind: u16, flagged: bool) -> Inner {
    match (nest, kind) {
        (Nest::Route, RTA_MULTIPATH) => Inner::NextHops,
        (Nest::Route, RTA_METRICS | RTA_ENCAP) => Inner::Attrs(Nest::Other),
        (Nest::Link, IFLA_LINKINFO) => Inner::Attrs(Nest::LinkInfo),
        (Nest::Link, IFLA_AF_SPEC) => Inner::Attrs(Nest::AfSpec),
        (Nest::Link, IFLA_XDP | IFLA_PROP_LIST) => Inner::Attrs(Nest::Other),
        (Nest::LinkInfo, IFLA_INFO_DATA | IFLA_INFO_SLAVE_DATA) => Inner::Attrs(Nest::Other),
        (Nest::AfSpec, _) => Inner::Attrs(Nest::Other), // one nest per address family
        _ if flagged => Inner::Attrs(Nest::Other),
        _ => Inner::Leaf,
    }
}

/// Visit every attribute of a route, link or address message.
fn walk_message(msg: &NlMsg<&[u8]>, t: &mut Tally) {
    let p = msg.payload();
    let walked = match msg.kind() {
        RTM_NEWROUTE => RtMsg::new_checked(p).map(|m| walk_attrs(Nest::Route, m.attr_bytes(), t)),
        RTM_NEWLINK => IfInfoMsg::new_checked(p).map(|m| walk_attrs(Nest::Link, m.attr_bytes(), t)),
        RTM_NEWADDR => IfAddrMsg::new_checked(p).map(|m| walk_attrs(Nest::Addr, m.attr_bytes(), t)),
        RTM_NEWNEIGH => NdMsg::new_checked(p).map(|m| walk_attrs(Nest::Other, m.attr_bytes(), t)),
        _ => Ok(()),
    };
    t.malformed += u64::from(walked.is_err());
}

/// Visit every attribute in `bytes` and, recursively, in its nests. A
/// malformed length ends that list (there is no way to find the next).
fn walk_attrs(nest: Nest, bytes: &[u8], t: &mut Tally) {
    for attr in Attrs::new(bytes) {
        let Ok(attr) = attr else {
            t.malformed += 1;
            return;
        };
        t.attrs += 1;
        t.attr_bytes += attr.payload().len() as u64;
        match inner(nest, attr.kind(), attr.is_nested()) {
            Inner::Attrs(n) => walk_attrs(n, attr.payload(), t),
            Inner::NextHops => walk_hops(attr.payload(), t),
            Inner::Leaf => {}
        }
    }
}

fn walk_hops(bytes: &[u8], t: &mut Tally) {
    for hop in NextHops::new(bytes) {
        let Ok(hop) = hop else {
            t.malformed += 1;
            return;
        };
        walk_attrs(Nest::Other, hop.attrs, t);
    }
}

/// Counts the kernel's datagrams and bytes for `--dumper`.
#[derive(Default)]
struct Counting {
    datagrams: u64,
    bytes: u64,
}

impl Observer for Counting {
    fn received(&mut self, _: &[u8], got: Recv) -> io::Result<()> {
        if got.sender == 0 {
            self.datagrams += 1;
            self.bytes += got.len as u64;
        }
        Ok(())
    }
}

fn summary(opts: &Opts, t: &Tally) -> String {
    let object = match opts.object {
        Object::Routes => "routes",
        Object::Links => "links",
        Object::Addrs => "links+addrs",
        Object::Neigh => "neigh",
    };
    let family = match opts.family {
        AF_INET => " -4",
        AF_INET6 => " -6",
        _ => "",
    };
    let table = match (opts.object, opts.table) {
        (Object::Routes, Some(RT_TABLE_MAIN)) => " table main".to_string(),
        (Object::Routes, Some(t)) => format!(" table {t}"),
        (Object::Routes, None) => " table all".to_string(),
        _ => String::new(),
    };
    let how = if opts.dumper { " (via Dumper)" } else { "" };
    let mut line = format!(
        "floor {object}{family}{table}{how}: {} messages, {} bytes, {} datagrams",
        t.messages, t.bytes, t.datagrams
    );
    if opts.walk {
        line += &format!(", {} attributes ({} payload bytes)", t.attrs, t.attr_bytes);
    }
    if t.malformed > 0 {
        line += &format!(", {} malformed", t.malformed);
    }
    if t.interrupted > 0 {
        line += &format!(", {} interrupted", t.interrupted);
    }
    line
}
