//! `nlq links [NAME] [--master DEV] [--kind KIND]`: one RTM_GETLINK dump,
//! every link decoded and kept (master and peer names need the whole
//! index map), then rendered.
//!
//! With a NAME the whole dump is still read and the link is picked out of
//! it by name or alternative name, so its master and peer are named from
//! the same snapshot; an unknown name is [`Error::NoSuchDevice`].
//!
//! `--master` and `--kind` (iproute2's `ip link show master DEV` and
//! `type KIND`) filter twice. Under strict checking the dump request
//! carries IFLA_MASTER and IFLA_LINKINFO { IFLA_INFO_KIND }, as iproute2's
//! `iplink_filter_req` sends them, so the kernel can skip the other links
//! (`rtnl_dump_ifinfo`; it ignores a kind whose driver is not loaded);
//! every link is checked again here, because non-strict kernels ignore the
//! filter. The filtered dump cannot name the masters and peers of what it
//! returns, so a second, statistics-free dump of every link gives the
//! names. `--kind bridge_slave` means links whose master is a bridge
//! (IFLA_INFO_SLAVE_KIND), filtered here only, as ip does.

use std::io::{self, Write};
use std::os::fd::AsFd;

use super::{Ahead, Env, RTEXT_FILTER_SKIP_STATS, output};
use crate::Error;
use crate::dump::{DumpError, KernelFlagOnly};
use crate::model::link::{Link, Links};
use crate::model::rate::{Rate, Rates};
use crate::names::Names;
use crate::netns::NsidNames;
use crate::render::Held;
use crate::render::link::{LinkCtx, Writer, write};
use crate::render::rate::RateWriter;
use crate::wire::ifinfomsg::{
    IFLA_EXT_MASK, IFLA_INFO_KIND, IFLA_LINKINFO, IFLA_MASTER, IfInfoMsgRepr, RTEXT_FILTER_VF,
    RTM_GETLINK,
};
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, NlMsg, RequestBuilder};

/// What `--kind` selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KindFilter {
    /// Links of this kind (IFLA_INFO_KIND): `bridge`, `veth`, ...
    Kind(String),
    /// Links enslaved to a master of this kind (IFLA_INFO_SLAVE_KIND):
    /// `--kind bridge_slave` is `Slave("bridge")`.
    Slave(String),
}

impl KindFilter {
    /// Read `--kind` as ip reads `type`: a trailing `_slave` asks for the
    /// kind of the master.
    pub fn parse(kind: &str) -> KindFilter {
        match kind.strip_suffix("_slave") {
            Some(master) => KindFilter::Slave(master.to_string()),
            None => KindFilter::Kind(kind.to_string()),
        }
    }
}

/// Which links to show, resolved against the kernel's link table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkSelection {
    /// Only ports of this master (IFLA_MASTER), by index.
    pub master: Option<u32>,
    /// Only links of this kind, or ports of a master of this kind.
    pub kind: Option<KindFilter>,
}

impl LinkSelection {
    /// Whether anything is selected out.
    pub fn filters(&self) -> bool {
        self.master.is_some() || self.kind.is_some()
    }

    /// Whether `l` is wanted (iproute2 `print_linkinfo`'s master and kind
    /// checks: a link without a master never matches `--master`).
    pub fn keeps(&self, l: &Link) -> bool {
        let kind = match &self.kind {
            None => true,
            Some(KindFilter::Kind(k)) => l.kind.as_deref() == Some(k.as_str()),
            Some(KindFilter::Slave(k)) => l.slave_kind.as_deref() == Some(k.as_str()),
        };
        kind && self.master.is_none_or(|m| l.master == Some(m))
    }

    /// The RTM_GETLINK dump request with IFLA_EXT_MASK = `ext_mask`; under
    /// `strict` checking it carries the master and kind filters.
    pub fn request(&self, strict: bool, ext_mask: u32) -> Result<Vec<u8>, Error> {
        let mut buf = [0u8; 256];
        let mut req = RequestBuilder::new(&mut buf, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0)
            .fixed(&IfInfoMsgRepr::default().emit())
            .attr_u32(IFLA_EXT_MASK, ext_mask);
        if strict {
            if let Some(m) = self.master {
                req = req.attr_u32(IFLA_MASTER, m);
            }
            if let Some(KindFilter::Kind(k)) = &self.kind {
                req = req.attr(IFLA_LINKINFO, &kind_attr(k));
            }
        }
        Ok(req.finish().map_err(DumpError::from)?.to_vec())
    }
}

/// IFLA_INFO_KIND with the kind's bytes (no NUL, as ip sends it), padded:
/// the payload of IFLA_LINKINFO.
fn kind_attr(kind: &str) -> Vec<u8> {
    let len = 4 + kind.len();
    let mut nested = Vec::with_capacity(len + 3);
    nested.extend_from_slice(&(len.min(u16::MAX as usize) as u16).to_ne_bytes());
    nested.extend_from_slice(&IFLA_INFO_KIND.to_ne_bytes());
    nested.extend_from_slice(kind.as_bytes());
    nested.resize(crate::wire::align4(len), 0);
    nested
}

/// What `nlq links` shows: the validated command line, devices still by
/// name (resolved from the link dump).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// Only this interface (IFLA_IFNAME or an alternative name).
    pub name: Option<String>,
    /// Only links enslaved to this device (IFLA_MASTER).
    pub master: Option<String>,
    /// Only links of this kind (IFLA_INFO_KIND; `KIND_slave`:
    /// IFLA_INFO_SLAVE_KIND).
    pub kind: Option<String>,
    /// `--rate`: sample the counters instead of showing the links once.
    pub rate: bool,
    /// Seconds between samples of `--rate`.
    pub interval: f64,
    /// Stop `--rate` after this many samples.
    pub count: Option<u64>,
}

/// Run the command.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    if args.rate {
        return rate(env, args, out);
    }
    let filtered = args.master.is_some() || args.kind.is_some();
    if !filtered && args.name.is_none() && !env.brief() {
        return stream(env, out);
    }
    // Without a filter the one dump is both what is shown and the names.
    let mask = if filtered {
        RTEXT_FILTER_SKIP_STATS
    } else {
        RTEXT_FILTER_VF
    };
    let context = dump(env, &LinkSelection::default(), mask)?;
    let sel = selection(&context, args)?;
    let shown = match sel.filters() {
        true => Some(dump(env, &sel, RTEXT_FILTER_VF)?),
        false => None,
    };
    let named = match &args.name {
        Some(name) => Some(find(&context, name)?.index),
        None => None,
    };
    let selected: Vec<&Link> = shown
        .as_ref()
        .unwrap_or(&context)
        .iter()
        .filter(|l| named.is_none_or(|i| l.index == i) && sel.keeps(l))
        .collect();
    let nsids = peer_namespaces(env, selected.iter().copied());
    let ctx = LinkCtx {
        links: &context,
        names: &env.names,
        nsids: &nsids,
    };
    if env.brief() {
        crate::render::link::brief::links(out, env.format, &ctx, &selected)?;
    } else {
        write(out, env.format, &ctx, &selected)?;
    }
    Ok(())
}

/// Every link, written as the dump brings it (while the kernel builds the
/// next datagram) once every link it names has arrived, held back until
/// the dump is known consistent (see cmd::Ahead).
fn stream(env: &mut Env<'_>, out: &mut dyn Write) -> Result<(), Error> {
    let req = LinkSelection::default().request(env.transport.strict(), RTEXT_FILTER_VF)?;
    let mut shown = Shown {
        links: Links::new(),
        written: 0,
        out: Writer::new(out, env.format).hold_back(),
    };
    let result = {
        let Env {
            dumper,
            transport,
            names,
            ..
        } = env;
        let none = NsidNames::default();
        let mut sink = Ahead {
            writer: &mut shown,
            take: |w: &mut &mut Shown<'_>, msg: &NlMsg<&[u8]>| {
                w.links.add(msg);
                w.catch_up(names, &none, false).map_err(output)
            },
        };
        let check = &mut KernelFlagOnly;
        super::dump_kind_into::<Link, _, _>(dumper, &mut **transport, &req, false, check, &mut sink)
    };
    let done = result.and_then(|_| {
        // Links with a peer in another namespace waited for the names of
        // the namespaces, looked up once the dump is over.
        let nsids = peer_namespaces(env, shown.links.iter().skip(shown.written));
        Ok(shown.catch_up(&env.names, &nsids, true)?)
    });
    match done {
        Ok(()) => Ok(shown.out.finish()?),
        Err(e) => {
            let _ = shown.out.close(); // the dump's error is the one to report
            Err(e)
        }
    }
}

/// The links a dump has brought so far, and the writer that shows them.
struct Shown<'w> {
    links: Links,
    /// How many of `links`, from the first, are written.
    written: usize,
    out: Writer<'w>,
}

impl Shown<'_> {
    /// Write the links not yet written, in dump order, stopping before the
    /// first that names a link that has not arrived or has its peer in
    /// another namespace, unless `all`.
    fn catch_up(&mut self, names: &Names, nsids: &NsidNames, all: bool) -> io::Result<()> {
        let Shown {
            links,
            written,
            out,
        } = self;
        let ctx = LinkCtx {
            links,
            names,
            nsids,
        };
        for l in links.iter().skip(*written) {
            let waits = l.link_netnsid.is_some()
                || l.references().any(|i| i != 0 && links.get(i).is_none());
            if waits && !all {
                break;
            }
            out.push(l, &ctx)?;
            *written += 1;
        }
        Ok(())
    }
}

impl Held for Shown<'_> {
    fn held(&self) -> Option<usize> {
        self.out.held()
    }
    fn commit(&mut self) -> io::Result<()> {
        self.out.commit()
    }
    fn rollback(&mut self) {
        self.links = Links::new();
        self.written = 0;
        self.out.rollback();
    }
}

/// The names of the namespaces the peers of `links` live in, looked up
/// only when one of them has a peer elsewhere (IFLA_LINK_NETNSID).
pub fn peer_namespaces<'l>(env: &Env<'_>, mut links: impl Iterator<Item = &'l Link>) -> NsidNames {
    if links.any(|l| l.link_netnsid.is_some()) {
        NsidNames::lookup(&env.place)
    } else {
        NsidNames::default()
    }
}

/// `--rate`: a link dump with statistics every `--interval` seconds, and
/// the rates between each two, for the links the other options choose.
/// Runs until `--count` samples were shown, or until interrupted.
fn rate(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let interval = std::time::Duration::from_secs_f64(args.interval);
    // Ctrl-C and SIGTERM wake the wait between samples at once, so the
    // view ends between two samples, never in the middle of one.
    let signals = crate::sys::SignalPipe::install().map_err(Error::Socket)?;
    let mut rates = Rates::new();
    let mut writer = RateWriter::new(env.format);
    let mut last = std::time::Instant::now();
    let mut shown = 0u64;
    let mut baseline = true;
    loop {
        let links = dump_links(env)?;
        let sel = selection(&links, args)?;
        let named = match &args.name {
            Some(name) => Some(find(&links, name)?.index),
            None => None,
        };
        let now = std::time::Instant::now();
        let secs = now.duration_since(last).as_secs_f64();
        last = now;
        let sample: Vec<Rate> = rates
            .sample(&links, secs)
            .into_iter()
            .filter(|r| named.is_none_or(|i| r.index == i))
            .filter(|r| links.get(r.index).is_some_and(|l| sel.keeps(l)))
            .collect();
        // The first dump is only the baseline the next is measured from.
        if !std::mem::take(&mut baseline) {
            writer.write(out, &sample, std::time::SystemTime::now())?;
            out.flush()?;
            shown += 1;
        }
        if args.count.is_some_and(|n| shown >= n) {
            return Ok(());
        }
        let wait = interval.saturating_sub(now.elapsed());
        crate::sys::poll(&[signals.as_fd()], &[], Some(wait)).map_err(Error::Socket)?;
        if let Some(signo) = signals.take() {
            return Err(Error::Signal(signo));
        }
    }
}

/// The link called `name` (or with that altname), or "no such device".
fn find<'l>(links: &'l Links, name: &str) -> Result<&'l Link, Error> {
    links
        .find(name)
        .ok_or_else(|| Error::NoSuchDevice(name.to_string()))
}

/// Resolve `--master` against `links` and read `--kind`.
fn selection(links: &Links, args: &Settings) -> Result<LinkSelection, Error> {
    Ok(LinkSelection {
        master: match &args.master {
            Some(m) => Some(find(links, m)?.index),
            None => None,
        },
        kind: args.kind.as_deref().map(KindFilter::parse),
    })
}

/// Dump the links `sel` asks for (filtered by the kernel only under
/// strict checking: the caller filters again).
fn dump(env: &mut Env<'_>, sel: &LinkSelection, ext_mask: u32) -> Result<Links, Error> {
    let req = sel.request(env.transport.strict(), ext_mask)?;
    env.collect::<Link, Links>(&req, Links::add)
}

/// Dump every link with statistics, as `ip -s link` asks for them
/// (ifinfomsg all zero, IFLA_EXT_MASK = RTEXT_FILTER_VF).
pub fn dump_links(env: &mut Env<'_>) -> Result<Links, Error> {
    dump(env, &LinkSelection::default(), RTEXT_FILTER_VF)
}

/// Dump every link without statistics (RTEXT_FILTER_SKIP_STATS): for
/// names, alternative names, masters and hardware types.
pub fn dump_links_without_stats(env: &mut Env<'_>) -> Result<Links, Error> {
    dump(env, &LinkSelection::default(), RTEXT_FILTER_SKIP_STATS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::ifinfomsg::IfInfoMsg;
    use crate::wire::nlmsg::NlMsg;

    /// A link is written once the links it names have arrived, in dump
    /// order; one with a peer in another namespace waits for the end.
    #[test]
    fn streamed_links_wait_for_the_links_they_name() {
        let mut out = Vec::new();
        let format = crate::render::Format::Json(crate::render::Dialect::Nlq);
        let mut shown = Shown {
            links: Links::new(),
            written: 0,
            out: Writer::new(&mut out, format),
        };
        let (names, nsids) = (Names::builtin(), NsidNames::default());
        let arrive = |shown: &mut Shown<'_>, l: Link| {
            shown.links.push(l);
            shown.catch_up(&names, &nsids, false).unwrap();
            shown.written
        };
        let mut port = Link::bare(2, 0, 1);
        port.master = Some(4);
        assert_eq!(arrive(&mut shown, Link::bare(1, 0, 772)), 1);
        assert_eq!(arrive(&mut shown, port), 1, "its master has not come");
        let mut peer = Link::bare(3, 0, 1);
        peer.link = Some(9);
        peer.link_netnsid = Some(0);
        assert_eq!(arrive(&mut shown, peer), 1);
        assert_eq!(
            arrive(&mut shown, Link::bare(4, 0, 1)),
            2,
            "the port, not the peer"
        );
        let mut lower = Link::bare(5, 0, 1);
        lower.link = Some(0);
        assert_eq!(arrive(&mut shown, lower), 2);
        shown.catch_up(&names, &nsids, true).unwrap();
        assert_eq!(shown.written, 5);
        shown.out.finish().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let order: Vec<_> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["index"].clone())
            .collect();
        assert_eq!(order, [1, 2, 3, 4, 5]);
    }

    #[test]
    fn request_carries_master_and_kind_only_when_strict() {
        let sel = LinkSelection {
            master: Some(7),
            kind: Some(KindFilter::parse("vxlan")),
        };
        let req = sel.request(true, RTEXT_FILTER_VF).unwrap();
        let msg = NlMsg::new_checked(&req[..]).unwrap();
        assert_eq!(
            (msg.kind(), msg.flags()),
            (RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP)
        );
        let ifi = IfInfoMsg::new_checked(msg.payload()).unwrap();
        assert_eq!((ifi.family(), ifi.index(), ifi.flags()), (0, 0, 0));
        #[rustfmt::skip]
        let attrs = [
            8, 0, 29, 0, 1, 0, 0, 0,        // IFLA_EXT_MASK = RTEXT_FILTER_VF
            8, 0, 10, 0, 7, 0, 0, 0,        // IFLA_MASTER = 7
            16, 0, 18, 0,                   // IFLA_LINKINFO, 12 bytes nested:
                9, 0, 1, 0,                 //   IFLA_INFO_KIND, 5 bytes:
                b'v', b'x', b'l', b'a', b'n', 0, 0, 0, // "vxlan", no NUL (+ pad)
        ];
        assert_eq!(ifi.attr_bytes(), &attrs);
        let loose = sel.request(false, RTEXT_FILTER_VF).unwrap();
        assert_eq!(loose.len(), 16 + 16 + 8, "only IFLA_EXT_MASK");
    }

    #[test]
    fn slave_kinds_are_filtered_here_only() {
        let sel = LinkSelection {
            master: None,
            kind: Some(KindFilter::parse("bridge_slave")),
        };
        assert_eq!(sel.kind, Some(KindFilter::Slave("bridge".into())));
        assert_eq!(sel.request(true, 0).unwrap().len(), 16 + 16 + 8);
    }

    #[test]
    fn keeps_filters_in_user_space() {
        let mut port = Link::bare(3, 0, 1);
        port.kind = Some("veth".into());
        port.slave_kind = Some("bridge".into());
        port.master = Some(5);
        let lone = Link::bare(4, 0, 1);
        let by = |master, kind: &str| LinkSelection {
            master,
            kind: (!kind.is_empty()).then(|| KindFilter::parse(kind)),
        };
        assert!(by(Some(5), "").keeps(&port));
        assert!(!by(Some(6), "").keeps(&port));
        assert!(!by(Some(5), "").keeps(&lone), "no master, no match");
        assert!(by(None, "veth").keeps(&port) && !by(None, "veth").keeps(&lone));
        assert!(!by(None, "bridge").keeps(&port));
        assert!(by(None, "bridge_slave").keeps(&port));
        assert!(by(Some(5), "veth").keeps(&port) && !by(Some(5), "vxlan").keeps(&port));
        assert!(LinkSelection::default().keeps(&lone));
        assert!(!LinkSelection::default().filters() && by(Some(1), "").filters());
    }
}
