//! `nlq stats [--dev NAME] [--group GROUP[/SUBGROUP]]...`: interface
//! statistics by group, as `ip stats show` shows them: a link dump for
//! names, then one RTM_GETSTATS request, a dump of every link or, with
//! `--dev`, a get of that one.
//!
//! Filtering is the kernel's, as ip asks for it (`ipstats_req_add_filters`):
//! `filter_mask` holds one bit per group wanted, and an
//! IFLA_STATS_GET_FILTERS nest cuts the offload group down to the
//! subgroups wanted; the device is the request's ifindex.

use std::io::Write;

use super::Env;
use crate::Error;
use crate::dump::DumpError;
use crate::model::ifstats::{IfStats, Sub, request_masks};
use crate::render::ifstats::StatsCtx;
use crate::wire::attr::NLA_F_NESTED;
use crate::wire::ifstatsmsg::*;
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, NlMsg, RequestBuilder};

/// What `nlq stats` shows: the validated command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Only this device (the request's ifindex).
    pub dev: Option<String>,
    /// The groups and subgroups to show, in [`Sub::ALL`] order, no repeats.
    pub subs: Vec<Sub>,
}

impl Settings {
    /// The settings for `dev` and the selections given; none selects every
    /// group, as `ip stats show` without `group` does.
    pub fn new(dev: Option<String>, selected: &[Sub]) -> Settings {
        let subs = Sub::ALL
            .into_iter()
            .filter(|s| selected.is_empty() || selected.contains(s))
            .collect();
        Settings { dev, subs }
    }

    /// The RTM_GETSTATS request: a dump (`ifindex` 0) or a get of one link.
    pub fn request(&self, ifindex: u32) -> Result<Vec<u8>, Error> {
        let (filter_mask, offload) = request_masks(&self.subs);
        let hdr = IfStatsMsgRepr {
            ifindex,
            filter_mask,
        };
        let flags = if ifindex == 0 {
            NLM_F_REQUEST | NLM_F_DUMP
        } else {
            NLM_F_REQUEST
        };
        let mut buf = [0u8; 64];
        let mut req = RequestBuilder::new(&mut buf, RTM_GETSTATS, flags, 0).fixed(&hdr.emit());
        if let Some(mask) = offload {
            let nest = get_filter(IFLA_STATS_LINK_OFFLOAD_XSTATS, mask);
            req = req.attr(IFLA_STATS_GET_FILTERS | NLA_F_NESTED, &nest);
        }
        Ok(req.finish().map_err(DumpError::from)?.to_vec())
    }
}

/// Run `nlq stats`.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let links = env.link_names()?;
    let ifindex = match args.dev.as_deref() {
        Some(n) => super::device_index(&links, n)?,
        None => 0,
    };
    let req = args.request(ifindex)?;
    let mut stats = Vec::new();
    if ifindex == 0 {
        env.dump(&req, |msg| {
            stats.extend(IfStats::from_msg(msg));
            Ok(())
        })?;
    } else {
        let failed = |error| Error::Request {
            what: format!("stats of {}", args.dev.as_deref().unwrap_or_default()),
            error,
        };
        let answer = env
            .dumper
            .request(&mut *env.transport, &req)
            .map_err(failed)?;
        stats.extend(decode(&answer).map_err(failed)?);
    }
    let ctx = StatsCtx {
        links: &links,
        subs: &args.subs,
    };
    crate::render::ifstats::write(out, env.format, &ctx, &stats)?;
    Ok(())
}

/// The link's statistics in the kernel's answer to a get.
fn decode(answer: &[u8]) -> Result<Option<IfStats>, DumpError> {
    let msg = NlMsg::new_checked(answer)?;
    Ok(IfStats::try_from_msg(&msg)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_group_is_every_group_and_order_is_fixed() {
        assert_eq!(Settings::new(None, &[]).subs, Sub::ALL);
        let s = Settings::new(None, &[Sub::Mpls, Sub::Link, Sub::Mpls]);
        assert_eq!(s.subs, [Sub::Link, Sub::Mpls]);
    }

    #[test]
    fn a_dump_asks_for_the_groups() {
        let r = Settings::new(None, &[]).request(0).unwrap();
        let msg = NlMsg::new_checked(&r[..]).unwrap();
        assert_eq!((msg.kind(), msg.flags()), (RTM_GETSTATS, 0x301));
        #[rustfmt::skip]
        let want = [
            0, 0, 0, 0,        // family AF_UNSPEC, pads
            0, 0, 0, 0,        // ifindex 0: every link
            0x1f, 0, 0, 0,     // filter_mask: LINK_64, both XSTATS, OFFLOAD, AF_SPEC
        ];
        assert_eq!(msg.payload(), want);
    }

    #[test]
    fn a_subgroup_is_filtered_in_the_kernel() {
        let r = Settings::new(None, &[Sub::CpuHit]).request(4).unwrap();
        let msg = NlMsg::new_checked(&r[..]).unwrap();
        assert_eq!(msg.flags(), 0x1, "a get, not a dump");
        #[rustfmt::skip]
        let want = [
            0, 0, 0, 0,        // family, pads
            4, 0, 0, 0,        // ifindex 4
            0x08, 0, 0, 0,     // filter_mask: OFFLOAD_XSTATS
            12, 0, 1, 0x80,    // IFLA_STATS_GET_FILTERS, nested
            8, 0, 4, 0,        //   IFLA_STATS_LINK_OFFLOAD_XSTATS:
            1, 0, 0, 0,        //   CPU_HIT only
        ];
        assert_eq!(msg.payload(), want);
    }
}
