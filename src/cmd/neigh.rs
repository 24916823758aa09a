//! `nlq neigh [--dev NAME] [--master NAME] [-4|-6|--family F]
//! [--state STATE|all] [--proxy]`: a link dump (names, hardware types and
//! masters), then one RTM_GETNEIGH dump, streamed to the renderer.
//!
//! Filtering happens twice on purpose. The request carries the family and
//! NTF_PROXY, and under strict checking NDA_IFINDEX / NDA_MASTER, so the
//! kernel can filter (it then marks its replies NLM_F_DUMP_FILTERED);
//! every reply is checked again here, because a kernel without strict
//! checking, or an old one, may have sent everything. The state selection
//! exists only in user space, as in `ip` (`print_neigh`).

use std::io::Write;

use super::links::dump_links_without_stats;
use super::{Ahead, Env, output};
use crate::Error;
use crate::dump::{DumpError, DumpStats, Dumper, KernelFlagOnly, Transport};
use crate::model::link::Links;
use crate::model::neigh::{Neigh, StateFilter};
use crate::render::Held;
use crate::render::neigh::{NeighCtx, Writer};
use crate::wire::attr::{AF_INET, AF_INET6};
use crate::wire::ndmsg::*;
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, NlMsg, RequestBuilder};

/// Which entries to show, resolved from the arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// AF_INET or AF_INET6; `None` for both.
    pub family: Option<u8>,
    /// Only entries on this interface index.
    pub dev: Option<u32>,
    /// Only entries whose device has this master index.
    pub master: Option<u32>,
    /// The states shown (`ip`'s `filter.state`).
    pub states: StateFilter,
    /// The proxy table instead of the cache.
    pub proxy: bool,
}

impl Default for Selection {
    fn default() -> Self {
        Selection {
            family: None,
            dev: None,
            master: None,
            states: StateFilter::DEFAULT,
            proxy: false,
        }
    }
}

/// What `nlq neigh` shows: the validated command line, devices still by
/// name (resolved from the link dump).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// AF_INET or AF_INET6 (ndm_family); `None` for both.
    pub family: Option<u8>,
    /// Only entries on this device (ndm_ifindex).
    pub dev: Option<String>,
    /// Only entries on the ports of this master (NDA_MASTER).
    pub master: Option<String>,
    /// The states shown (`ip`'s `filter.state`).
    pub states: StateFilter,
    /// The proxy table (NTF_PROXY) instead of the cache.
    pub proxy: bool,
}

impl Settings {
    /// Check what needs no kernel: neighbour tables exist for IPv4 and
    /// IPv6 only, so `family` (AF_*, `None` for both) must be one of them.
    pub fn new(family: Option<u8>) -> Result<Self, Error> {
        if family.is_some_and(|f| ![AF_INET, AF_INET6].contains(&f)) {
            return Err(Error::Usage(
                "--family mpls: neighbour tables are inet or inet6 only".into(),
            ));
        }
        Ok(Settings {
            family,
            dev: None,
            master: None,
            states: StateFilter::DEFAULT,
            proxy: false,
        })
    }
}

impl Selection {
    /// The selection `args` ask for, device names resolved in `links`.
    pub fn new(args: &Settings, links: &Links) -> Result<Selection, Error> {
        let index = |name: &Option<String>| super::link_index(links, name.as_deref());
        Ok(Selection {
            family: args.family,
            dev: index(&args.dev)?,
            master: index(&args.master)?,
            states: args.states,
            proxy: args.proxy,
        })
    }

    /// The RTM_GETNEIGH dump request: family and NTF_PROXY in the header,
    /// and under strict checking the device and master as attributes
    /// (`ipneigh_dump_filter`).
    pub fn request(&self, strict: bool) -> Result<Vec<u8>, Error> {
        let hdr = NdMsgRepr {
            family: self.family.unwrap_or(0),
            flags: if self.proxy { NTF_PROXY } else { 0 },
        };
        let mut buf = [0u8; 64];
        let mut req = RequestBuilder::new(&mut buf, RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, 0)
            .fixed(&hdr.emit());
        if strict {
            if let Some(i) = self.dev {
                req = req.attr_u32(NDA_IFINDEX, i);
            }
            if let Some(i) = self.master {
                req = req.attr_u32(NDA_MASTER, i);
            }
        }
        Ok(req.finish().map_err(DumpError::from)?.to_vec())
    }

    /// Whether `n` is shown: the kernel's filters again (family, device,
    /// the device's master, the proxy table), then `ip`'s state rule.
    pub fn keeps(&self, n: &Neigh, ctx: &NeighCtx<'_>) -> bool {
        self.family.is_none_or(|f| n.family == f)
            && self.dev.is_none_or(|d| n.ifindex == d)
            && self.master.is_none_or(|m| ctx.master(n) == Some(m))
            && (!self.proxy || n.is_proxy())
            && self.states.shows(n)
    }
}

/// Run the command.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    // Names and alternative names for --dev, --master and the output,
    // hardware types for link-layer addresses, masters for --master.
    let links = dump_links_without_stats(env)?;
    let sel = Selection::new(args, &links)?;
    let brief = env.brief();
    let Env {
        transport,
        dumper,
        names,
        format,
        ..
    } = env;
    let ctx = NeighCtx {
        links: &links,
        names,
    };
    // Rendered as the entries arrive, held back until the dump is known
    // consistent (see cmd::Ahead).
    let writer = Writer::new(out, *format, brief).hold_back();
    let (writer, result) = for_each(dumper, &mut **transport, &sel, &ctx, writer, |w, n| {
        w.push(n, &ctx).map_err(output)
    });
    match result {
        Ok(_) => Ok(writer.finish()?),
        Err(e) => {
            let _ = writer.close(); // the dump's error is the one to report
            Err(e)
        }
    }
}

/// Dump the neighbours and call `each` with `writer` and every entry `sel`
/// keeps, in kernel order, as they arrive when the writer holds its output
/// back (see cmd::Ahead); give the writer back with the result. The stats
/// say whether the kernel filtered (NLM_F_DUMP_FILTERED); the entries are
/// checked here either way.
pub fn for_each<W, F>(
    dumper: &mut Dumper,
    transport: &mut dyn Transport,
    sel: &Selection,
    ctx: &NeighCtx<'_>,
    writer: W,
    mut each: F,
) -> (W, Result<DumpStats, Error>)
where
    W: Held,
    F: FnMut(&mut W, &Neigh) -> Result<(), DumpError>,
{
    let req = match sel.request(transport.strict()) {
        Ok(req) => req,
        Err(e) => return (writer, Err(e)),
    };
    let mut sink = Ahead {
        writer,
        take: |w: &mut W, msg: &NlMsg<&[u8]>| match Neigh::from_msg(msg) {
            Some(n) if sel.keeps(&n, ctx) => each(w, &n),
            _ => Ok(()),
        },
    };
    let check = &mut KernelFlagOnly;
    let result =
        super::dump_kind_into::<Neigh, _, _>(dumper, transport, &req, false, check, &mut sink);
    (sink.writer, result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::DumpOptions;
    use crate::dump::script::{Scripted, Step, message};
    use crate::model::link::Link;
    use crate::names::Names;
    use crate::wire::attr::AttrIndex;
    use crate::wire::nlmsg::{NLM_F_DUMP_FILTERED, NLM_F_MULTI, NLMSG_DONE, NlMsg};

    /// v0 (index 2, port of br0), br0 (index 3), v9 (index 9, no master).
    fn links() -> Links {
        let mut links = Links::new();
        for (index, name, master) in [(2, "v0", Some(3)), (3, "br0", None), (9, "v9", None)] {
            let mut l = Link::bare(index, 0, 1);
            l.name = name.into();
            l.master = master;
            links.push(l);
        }
        links
    }

    /// An RTM_NEWNEIGH payload: `struct ndmsg` and NDA_DST = 10.0.0.`host`.
    fn neigh(ifindex: u32, state: u16, flags: u8, host: u8) -> Vec<u8> {
        let mut b = vec![AF_INET, 0, 0, 0];
        b.extend_from_slice(&ifindex.to_ne_bytes());
        b.extend_from_slice(&state.to_ne_bytes());
        b.extend_from_slice(&[flags, 1]);
        b.extend_from_slice(&[8, 0, 1, 0, 10, 0, 0, host]);
        b
    }

    fn decoded(payload: &[u8]) -> Neigh {
        Neigh::decode(&NdMsg::new_checked(payload).unwrap())
    }

    #[test]
    fn request_carries_filters_only_when_strict() {
        let sel = Selection {
            family: Some(AF_INET6),
            dev: Some(2),
            master: Some(3),
            proxy: true,
            ..Selection::default()
        };
        let strict = sel.request(true).unwrap();
        let msg = NlMsg::new_checked(&strict[..]).unwrap();
        assert_eq!(msg.kind(), RTM_GETNEIGH);
        let nd = NdMsg::new_checked(msg.payload()).unwrap();
        assert_eq!(
            (nd.family(), nd.flags(), nd.ifindex(), nd.state()),
            (10, NTF_PROXY, 0, 0)
        );
        #[rustfmt::skip]
        let attrs = [
            8, 0, 8, 0, 2, 0, 0, 0, // NDA_IFINDEX = 2
            8, 0, 9, 0, 3, 0, 0, 0, // NDA_MASTER = 3
        ];
        assert_eq!(nd.attr_bytes(), &attrs);
        let loose = sel.request(false).unwrap();
        assert_eq!(
            loose.len(),
            16 + NDMSG_LEN,
            "no attributes without strict checking"
        );
    }

    #[test]
    fn keeps_filters_in_user_space() {
        let (links, names) = (links(), Names::builtin());
        let ctx = NeighCtx {
            links: &links,
            names: &names,
        };
        let on_v0 = decoded(&neigh(2, NUD_REACHABLE, 0, 1));
        let on_v9 = decoded(&neigh(9, NUD_REACHABLE, 0, 2));
        let noarp = decoded(&neigh(2, NUD_NOARP, 0, 3));
        let proxy = decoded(&neigh(2, NUD_NONE, NTF_PROXY, 4));
        let all = Selection::default();
        assert!(all.keeps(&on_v0, &ctx) && all.keeps(&on_v9, &ctx));
        assert!(!all.keeps(&noarp, &ctx), "noarp is hidden by default");
        let dev = Selection {
            dev: Some(9),
            ..all
        };
        assert!(!dev.keeps(&on_v0, &ctx) && dev.keeps(&on_v9, &ctx));
        let master = Selection {
            master: Some(3),
            ..all
        };
        assert!(master.keeps(&on_v0, &ctx) && !master.keeps(&on_v9, &ctx));
        let v6 = Selection {
            family: Some(AF_INET6),
            ..all
        };
        assert!(!v6.keeps(&on_v0, &ctx));
        let proxies = Selection { proxy: true, ..all };
        assert!(proxies.keeps(&proxy, &ctx) && !proxies.keeps(&on_v0, &ctx));
    }

    /// A kernel that says it filtered, and one that sent everything: the
    /// same entries come out, and the stats tell the two apart.
    #[test]
    fn dump_filtered_by_the_kernel_or_here() {
        let (links, names) = (links(), Names::builtin());
        let ctx = NeighCtx {
            links: &links,
            names: &names,
        };
        let sel = Selection {
            dev: Some(2),
            ..Selection::default()
        };
        for kernel_filtered in [true, false] {
            let flags = NLM_F_MULTI
                | if kernel_filtered {
                    NLM_F_DUMP_FILTERED
                } else {
                    0
                };
            let mut bytes = message(RTM_NEWNEIGH, flags, 1, &neigh(2, NUD_STALE, 0, 1));
            if !kernel_filtered {
                bytes.extend(message(RTM_NEWNEIGH, flags, 1, &neigh(9, NUD_STALE, 0, 2)));
            }
            bytes.extend(message(
                NLMSG_DONE,
                NLM_F_MULTI | flags,
                1,
                &0i32.to_ne_bytes(),
            ));
            let mut t = Scripted::new([Step::Datagram { sender: 0, bytes }]);
            let mut dumper = Dumper::new(DumpOptions::default());
            let mut seen = Vec::new();
            let mut out = std::io::sink();
            let direct = crate::render::Direct(&mut out);
            let (_, stats) = for_each(&mut dumper, &mut t, &sel, &ctx, direct, |_, n| {
                seen.push(n.dst);
                Ok(())
            });
            let stats = stats.unwrap();
            assert_eq!(stats.filtered, kernel_filtered);
            assert_eq!(seen, [Some("10.0.0.1".parse().unwrap())]);
            let sent = NlMsg::new_checked(&t.sent[0][..]).unwrap();
            let nd = NdMsg::new_checked(sent.payload()).unwrap();
            let tb = AttrIndex::<NDA_MAX>::parse(nd.attr_bytes());
            assert_eq!(tb.get(NDA_IFINDEX).map(|a| a.u32()), Some(Ok(2)));
        }
    }
}
