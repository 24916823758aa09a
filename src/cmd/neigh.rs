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

use super::{Env, output};
use crate::Error;
use crate::cli::{FamilyArg, NeighArgs, StateArg};
use crate::dump::{DumpError, DumpStats, Dumper, Transport};
use crate::model::link::Links;
use crate::model::neigh::{Neigh, StateFilter};
use crate::render::neigh::{NeighCtx, Writer};
use crate::wire::attr::{AF_INET, AF_INET6};
use crate::wire::ifinfomsg::{IFLA_EXT_MASK, IfInfoMsgRepr, RTM_GETLINK};
use crate::wire::ndmsg::*;
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, RequestBuilder};

/// Skip statistics in a link dump reply (RTEXT_FILTER_SKIP_STATS,
/// linux/rtnetlink.h): neighbours need names, types and masters only.
const RTEXT_FILTER_SKIP_STATS: u32 = 1 << 3;

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

/// Check what needs no kernel: neighbour tables exist for IPv4 and IPv6
/// only.
pub fn validate(args: &NeighArgs) -> Result<(), Error> {
    if args.family.family == Some(FamilyArg::Mpls) {
        return Err(Error::Usage(
            "--family mpls: neighbour tables are inet or inet6 only".into(),
        ));
    }
    Ok(())
}

/// `ip neigh show nud ...`: the first state replaces the default, each
/// adds its bit; `none` is 0x100, `all` everything.
pub fn state_filter(states: &[StateArg]) -> StateFilter {
    if states.is_empty() {
        return StateFilter::DEFAULT;
    }
    StateFilter(states.iter().fold(0, |acc, s| acc | state_bits(*s)))
}

fn state_bits(s: StateArg) -> u32 {
    let nud = match s {
        StateArg::Permanent => NUD_PERMANENT,
        StateArg::Noarp => NUD_NOARP,
        StateArg::Reachable => NUD_REACHABLE,
        StateArg::Stale => NUD_STALE,
        StateArg::Incomplete => NUD_INCOMPLETE,
        StateArg::Delay => NUD_DELAY,
        StateArg::Probe => NUD_PROBE,
        StateArg::Failed => NUD_FAILED,
        StateArg::None => return StateFilter::NONE,
        StateArg::All => return StateFilter::ALL.0,
    };
    nud.into()
}

impl Selection {
    /// The selection `args` ask for, device names resolved in `links`.
    pub fn new(args: &NeighArgs, links: &Links) -> Result<Selection, Error> {
        let index = |name: &Option<String>| -> Result<Option<u32>, Error> {
            name.as_ref()
                .map(|n| {
                    links
                        .find(n)
                        .map(|l| l.index)
                        .ok_or_else(|| Error::NoSuchDevice(n.clone()))
                })
                .transpose()
        };
        Ok(Selection {
            family: args
                .family
                .family()
                .filter(|f| [AF_INET, AF_INET6].contains(f)),
            dev: index(&args.dev)?,
            master: index(&args.master)?,
            states: state_filter(&args.state),
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
            && (!self.proxy || n.has_flag(NTF_PROXY))
            && self.states.shows(n)
    }
}

/// Run the command.
pub fn run(env: &mut Env<'_>, args: &NeighArgs, out: &mut dyn Write) -> Result<(), Error> {
    let links = dump_links(env)?;
    let sel = Selection::new(args, &links)?;
    let Env {
        transport,
        dumper,
        names,
        format,
    } = env;
    let ctx = NeighCtx {
        links: &links,
        names,
    };
    let mut writer = Writer::new(out, *format);
    let result = for_each(dumper, &mut **transport, &sel, &ctx, |n| {
        writer.push(n, &ctx).map_err(output)
    });
    match result {
        Ok(_) => Ok(writer.finish()?),
        Err(e) => {
            let _ = writer.close(); // the dump's error is the one to report
            Err(e)
        }
    }
}

/// Dump the neighbours and call `each` with every one `sel` keeps, in
/// kernel order. The stats say whether the kernel filtered
/// (NLM_F_DUMP_FILTERED); the entries are checked here either way.
pub fn for_each<F>(
    dumper: &mut Dumper,
    transport: &mut dyn Transport,
    sel: &Selection,
    ctx: &NeighCtx<'_>,
    mut each: F,
) -> Result<DumpStats, Error>
where
    F: FnMut(&Neigh) -> Result<(), DumpError>,
{
    let req = sel.request(transport.strict())?;
    let stats = dumper.dump(transport, &req, |msg| match Neigh::from_msg(msg) {
        Some(n) if sel.keeps(&n, ctx) => each(&n),
        _ => Ok(()),
    })?;
    Ok(stats)
}

/// Every link without statistics: names (and alternative names) for
/// `--dev`, `--master` and the output, hardware types for link-layer
/// addresses, masters for `--master`.
pub fn dump_links(env: &mut Env<'_>) -> Result<Links, Error> {
    let mut buf = [0u8; 64];
    let req = RequestBuilder::new(&mut buf, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&IfInfoMsgRepr::default().emit())
        .attr_u32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS)
        .finish()
        .map_err(DumpError::from)?
        .to_vec();
    let mut links = Links::new();
    env.dump(&req, |msg| {
        links.add(msg);
        Ok(())
    })?;
    Ok(links)
}
