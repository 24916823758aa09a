//! `nlq fdb [--dev NAME] [--br NAME] [--vlan ID] [--state STATE]`: the
//! bridge forwarding database (`bridge fdb show`): a link dump (names,
//! hardware types, masters), then one RTM_GETNEIGH dump of family
//! AF_BRIDGE, streamed to the renderer.
//!
//! As `bridge fdb show` does under strict checking, the request carries
//! the port in ndm_ifindex and the bridge as NDA_MASTER, so the kernel
//! filters; every reply is checked again here, because a kernel without
//! strict checking sent every entry. The VLAN and state selections exist
//! only in user space, as in `bridge` (`print_fdb`).

use std::io::Write;

use super::links::dump_links_without_stats;
use super::{Env, output};
use crate::Error;
use crate::dump::{DumpError, DumpStats, Dumper, Transport};
use crate::model::fdb::Fdb;
use crate::model::link::Links;
use crate::model::neigh::{AF_BRIDGE, Neigh};
use crate::render::Listing;
use crate::render::fdb::{self, FdbCtx};
use crate::wire::ndmsg::*;
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, RequestBuilder};

/// What `nlq fdb` shows: the validated command line, devices still by
/// name (resolved from the link dump).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Only entries on this device, a bridge port or the bridge itself
    /// (ndm_ifindex).
    pub dev: Option<String>,
    /// Only entries of this bridge: its own and its ports' (NDA_MASTER).
    pub br: Option<String>,
    /// Only entries of this VLAN (NDA_VLAN; 0 for entries without one).
    pub vlan: Option<u16>,
    /// The NUD_* bits of the states shown; 0 for every state.
    pub states: u16,
}

/// Which entries to show, devices resolved to indexes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selection {
    /// Only entries on this interface index.
    pub dev: Option<u32>,
    /// Only entries of the bridge of this index.
    pub br: Option<u32>,
    /// Only entries of this VLAN.
    pub vlan: Option<u16>,
    /// NUD_* bits, 0 for every state (`bridge`'s `filter_state`).
    pub states: u16,
}

impl Selection {
    /// The selection `args` ask for, device names resolved in `links`.
    pub fn new(args: &Settings, links: &Links) -> Result<Selection, Error> {
        let index = |name: &Option<String>| super::link_index(links, name.as_deref());
        Ok(Selection {
            dev: index(&args.dev)?,
            br: index(&args.br)?,
            vlan: args.vlan,
            states: args.states,
        })
    }

    /// The RTM_GETNEIGH dump request of family AF_BRIDGE; under strict
    /// checking the port in ndm_ifindex and the bridge as NDA_MASTER
    /// (`fdb_dump_filter`). Without strict checking the kernel reads a
    /// longer request as an ifinfomsg, so nothing more is sent.
    pub fn request(&self, strict: bool) -> Result<Vec<u8>, Error> {
        let hdr = NdMsgRepr {
            family: AF_BRIDGE,
            flags: 0,
        };
        let ifindex = if strict { self.dev.unwrap_or(0) } else { 0 };
        let mut buf = [0u8; 64];
        let mut req = RequestBuilder::new(&mut buf, RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, 0)
            .fixed(&hdr.emit_with_ifindex(ifindex));
        if let Some(i) = self.br.filter(|_| strict) {
            req = req.attr_u32(NDA_MASTER, i);
        }
        Ok(req.finish().map_err(DumpError::from)?.to_vec())
    }

    /// Whether `n` is shown: the kernel's filters again (family, port,
    /// bridge), then `bridge`'s VLAN and state rules.
    pub fn keeps(&self, n: &Neigh, ctx: &FdbCtx<'_>) -> bool {
        n.family == AF_BRIDGE
            && self.dev.is_none_or(|d| n.ifindex == d)
            && self
                .br
                .is_none_or(|b| n.ifindex == b || ctx.master(n) == Some(b))
            && self.vlan.is_none_or(|v| n.vlan.unwrap_or(0) == v)
            && (self.states == 0 || n.state & self.states != 0)
    }
}

/// Run the command.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    // Names for --dev, --br and the output, hardware types for the MAC
    // addresses, masters for --br.
    let links = dump_links_without_stats(env)?;
    let sel = Selection::new(args, &links)?;
    let Env {
        transport,
        dumper,
        format,
        ..
    } = env;
    let ctx = FdbCtx { links: &links };
    let mut writer = Listing::new(out, *format, &fdb::COLUMNS);
    let result = for_each(dumper, &mut **transport, &sel, &ctx, |n| {
        fdb::push(&mut writer, n, &ctx).map_err(output)
    });
    match result {
        Ok(_) => Ok(writer.finish()?),
        Err(e) => {
            let _ = writer.close(); // the dump's error is the one to report
            Err(e)
        }
    }
}

/// Dump the FDB and call `each` with every entry `sel` keeps, in kernel
/// order.
pub fn for_each<F>(
    dumper: &mut Dumper,
    transport: &mut dyn Transport,
    sel: &Selection,
    ctx: &FdbCtx<'_>,
    mut each: F,
) -> Result<DumpStats, Error>
where
    F: FnMut(&Neigh) -> Result<(), DumpError>,
{
    let req = sel.request(transport.strict())?;
    let mut keep = |msg: &crate::wire::nlmsg::NlMsg<&[u8]>| match Neigh::from_msg(msg) {
        Some(n) if sel.keeps(&n, ctx) => each(&n),
        _ => Ok(()),
    };
    super::dump_kind::<Fdb, _, _>(
        dumper,
        transport,
        &req,
        false,
        &mut crate::dump::KernelFlagOnly,
        &mut keep,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::link::Link;
    use crate::wire::attr::AttrIndex;
    use crate::wire::nlmsg::NlMsg;

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

    /// An AF_BRIDGE RTM_NEWNEIGH payload: `struct ndmsg`, then NDA_VLAN
    /// when `vlan` is not 0.
    fn entry(ifindex: u32, state: u16, vlan: u16) -> Neigh {
        let mut b = vec![AF_BRIDGE, 0, 0, 0]; // family, pads
        b.extend_from_slice(&ifindex.to_ne_bytes()); // ndm_ifindex
        b.extend_from_slice(&state.to_ne_bytes()); // ndm_state
        b.extend_from_slice(&[NTF_SELF, 0]); // ndm_flags, ndm_type
        if vlan != 0 {
            b.extend_from_slice(&[6, 0, 5, 0]); // NDA_VLAN, 6 bytes
            b.extend_from_slice(&vlan.to_ne_bytes());
            b.extend_from_slice(&[0, 0]); // padding
        }
        Neigh::decode(&NdMsg::new_checked(&b[..]).unwrap())
    }

    #[test]
    fn request_carries_port_and_bridge_only_when_strict() {
        let sel = Selection {
            dev: Some(2),
            br: Some(3),
            ..Selection::default()
        };
        let strict = sel.request(true).unwrap();
        let msg = NlMsg::new_checked(&strict[..]).unwrap();
        assert_eq!(msg.kind(), RTM_GETNEIGH);
        let nd = NdMsg::new_checked(msg.payload()).unwrap();
        assert_eq!(
            (nd.family(), nd.ifindex(), nd.state(), nd.flags()),
            (AF_BRIDGE, 2, 0, 0)
        );
        let tb = AttrIndex::<NDA_MAX>::parse(nd.attr_bytes());
        assert_eq!(tb.get(NDA_MASTER).map(|a| a.u32()), Some(Ok(3)));
        let loose = sel.request(false).unwrap();
        let msg = NlMsg::new_checked(&loose[..]).unwrap();
        let nd = NdMsg::new_checked(msg.payload()).unwrap();
        assert_eq!((nd.ifindex(), nd.attr_bytes().len()), (0, 0));
    }

    #[test]
    fn keeps_filters_in_user_space() {
        let links = links();
        let ctx = FdbCtx { links: &links };
        let port = entry(2, NUD_NOARP, 10);
        let bridge = entry(3, NUD_PERMANENT, 0);
        let other = entry(9, NUD_REACHABLE, 0);
        let all = Selection::default();
        assert!(all.keeps(&port, &ctx) && all.keeps(&other, &ctx));
        let br = Selection { br: Some(3), ..all };
        assert!(br.keeps(&port, &ctx) && br.keeps(&bridge, &ctx));
        assert!(!br.keeps(&other, &ctx), "v9 is no port of br0");
        let vlan = Selection {
            vlan: Some(10),
            ..all
        };
        assert!(vlan.keeps(&port, &ctx) && !vlan.keeps(&bridge, &ctx));
        let untagged = Selection {
            vlan: Some(0),
            ..all
        };
        assert!(!untagged.keeps(&port, &ctx) && untagged.keeps(&bridge, &ctx));
        let learned = Selection {
            states: NUD_REACHABLE | NUD_STALE,
            ..all
        };
        assert!(learned.keeps(&other, &ctx) && !learned.keeps(&port, &ctx));
        let mut arp = entry(2, NUD_NOARP, 0);
        arp.family = 2;
        assert!(!all.keeps(&arp, &ctx), "only AF_BRIDGE entries");
    }
}
