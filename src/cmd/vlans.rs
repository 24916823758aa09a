//! `nlq vlans`: each bridge port's VLANs and VLAN-to-tunnel mappings, as
//! `bridge vlan show` (and `bridge vlan tunnelshow`) shows them: a link
//! dump for names, then one RTM_GETLINK dump for AF_BRIDGE with
//! IFLA_EXT_MASK = RTEXT_FILTER_BRVLAN, which iproute2 6.1 sends too.
//!
//! Filtering: the kernel offers none for this dump. Under strict checking
//! it rejects an AF_BRIDGE link dump request with any header field but the
//! family set, or any attribute but IFLA_EXT_MASK
//! (`valid_bridge_getlink_req`), so `--dev` is nlq's filter, as it is
//! `bridge`'s. A port without VLANs is left out, as `bridge` leaves it out.
//!
//! A plain dump, not list and watch: the link notifications a watch would
//! see are mostly AF_UNSPEC ones, which carry no VLANs, and the kernel's
//! bridge dump (`rtnl_bridge_getlink`) keeps no sequence to flag an
//! interrupted read with anyway.
//!
//! `--details` (with or without `-s`) and `global` read the VLAN database
//! instead, as `bridge -d vlan show`, `bridge -d -s vlan show` and `bridge
//! vlan global show` do: one RTM_GETVLAN dump with
//! BRIDGE_VLANDB_DUMP_FLAGS (0, BRIDGE_VLANDB_DUMPF_STATS,
//! BRIDGE_VLANDB_DUMPF_GLOBAL). `-s` alone reads the counters as `bridge
//! -s vlan show` does: two RTM_GETSTATS dumps, of the devices' own bridge
//! extended statistics (a bridge's VLANs) and then of those as ports.
//! `--details` and `-s` also make the link dump above, for what those
//! dumps do not say: each port's bridge, its VLAN-to-tunnel mappings and
//! (for `-s` alone) which VLAN is its PVID. `--vid` keeps the VLANs and
//! ranges that hold the VLAN, as `bridge ... vid VID`.

use std::io::Write;

use super::{Env, device_index};
use crate::Error;
use crate::dump::DumpError;
use crate::model::bridge_vlan::PortVlans;
use crate::model::vlan_db::VlanDb;
use crate::render::vlan_db::{Ctx, View};
use crate::wire::bridge::{AF_BRIDGE, RTEXT_FILTER_BRVLAN, br_port_msg_dump_header};
use crate::wire::brvlan::{
    BRIDGE_VLANDB_DUMP_FLAGS, BRIDGE_VLANDB_DUMPF_GLOBAL, BRIDGE_VLANDB_DUMPF_STATS,
    IFLA_STATS_LINK_XSTATS, IFLA_STATS_LINK_XSTATS_SLAVE, RTM_GETSTATS, RTM_GETVLAN,
    if_stats_msg_dump_header,
};
use crate::wire::ifinfomsg::{IFLA_EXT_MASK, IfInfoMsgRepr, RTM_GETLINK};
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, RequestBuilder};

/// What `nlq vlans` shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Only this port (`--dev`), by name.
    pub dev: Option<String>,
    /// Only the VLANs and ranges that hold this VLAN (`--vid`).
    pub vid: Option<u16>,
    /// Per-VLAN options from the VLAN database (`--details`).
    pub details: bool,
    /// Per-VLAN counters (`-s`): alone from the statistics dump, with
    /// `details` from the VLAN database.
    pub stats: bool,
    /// The bridges' global VLAN options (`nlq vlans global`).
    pub global: bool,
}

/// The AF_BRIDGE RTM_GETLINK dump request asking for VLANs one per entry.
pub fn dump_request() -> Result<Vec<u8>, Error> {
    let mut buf = [0u8; 48];
    let hdr = IfInfoMsgRepr {
        family: AF_BRIDGE,
        ..IfInfoMsgRepr::default()
    };
    let req = RequestBuilder::new(&mut buf, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&hdr.emit())
        .attr_u32(IFLA_EXT_MASK, RTEXT_FILTER_BRVLAN)
        .finish()
        .map_err(DumpError::from)?;
    Ok(req.to_vec())
}

/// The RTM_GETVLAN dump request with BRIDGE_VLANDB_DUMP_FLAGS = `flags`,
/// as `rtnl_brvlandump_req` sends it.
pub fn vlandb_request(flags: u32) -> Result<Vec<u8>, Error> {
    let mut buf = [0u8; 40];
    let req = RequestBuilder::new(&mut buf, RTM_GETVLAN, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&br_port_msg_dump_header())
        .attr_u32(BRIDGE_VLANDB_DUMP_FLAGS, flags)
        .finish()
        .map_err(DumpError::from)?;
    Ok(req.to_vec())
}

/// The RTM_GETSTATS dump request for the extended statistics under
/// `attr`, as `rtnl_statsdump_req_filter` sends it.
pub fn stats_request(attr: u16) -> Result<Vec<u8>, Error> {
    let mut buf = [0u8; 32];
    let req = RequestBuilder::new(&mut buf, RTM_GETSTATS, NLM_F_REQUEST | NLM_F_DUMP, 0)
        .fixed(&if_stats_msg_dump_header(attr))
        .finish()
        .map_err(DumpError::from)?;
    Ok(req.to_vec())
}

/// `bridge -s vlan show`'s two statistics dumps: each device's VLAN
/// counters, one object per message as `bridge` prints them.
fn stats_dumps(env: &mut Env<'_>, only: Option<u32>) -> Result<Vec<VlanDb>, Error> {
    let mut dbs = Vec::new();
    for attr in [IFLA_STATS_LINK_XSTATS, IFLA_STATS_LINK_XSTATS_SLAVE] {
        env.dump(&stats_request(attr)?, |msg| {
            let db = VlanDb::try_from_stats_msg(msg, attr).ok().flatten();
            dbs.extend(db.filter(|d| only.is_none_or(|i| i == d.ifindex)));
            Ok(())
        })?;
    }
    Ok(dbs)
}

/// Run `nlq vlans`.
pub fn run(env: &mut Env<'_>, args: &Settings, out: &mut dyn Write) -> Result<(), Error> {
    let links = env.link_names()?;
    let only = args
        .dev
        .as_deref()
        .map(|n| device_index(&links, n))
        .transpose()?;
    let mut ports = Vec::new();
    if !args.global {
        env.dump(&dump_request()?, |msg| {
            let port = PortVlans::try_from_msg(msg).ok().flatten();
            ports.extend(port.filter(|p| only.is_none_or(|i| i == p.ifindex)));
            Ok(())
        })?;
    }
    if !(args.details || args.stats || args.global) {
        if let Some(vid) = args.vid {
            ports.iter_mut().for_each(|p| p.retain_vid(vid));
        }
        ports.retain(|p| !p.is_empty());
        crate::render::bridge_vlan::write(out, env.format, &links, &ports)?;
        return Ok(());
    }
    let view = match (args.global, args.details) {
        (true, _) => View::Global,
        (false, true) => View::Details,
        (false, false) => View::Stats,
    };
    let mut dbs = match view {
        View::Stats => stats_dumps(env, only)?,
        View::Details | View::Global => vlandb_dump(env, only, args)?,
    };
    for db in &mut dbs {
        db.retain_vid(args.vid);
    }
    dbs.retain(|db| !db.is_empty());
    let ctx = Ctx {
        links: &links,
        ports: &ports,
        stats: args.stats,
        view,
    };
    crate::render::vlan_db::write(out, env.format, ctx, &dbs)?;
    Ok(())
}

/// The VLAN database dump `--details` or `global` asks for.
fn vlandb_dump(
    env: &mut Env<'_>,
    only: Option<u32>,
    args: &Settings,
) -> Result<Vec<VlanDb>, Error> {
    let flags = match (args.global, args.stats) {
        (true, _) => BRIDGE_VLANDB_DUMPF_GLOBAL,
        (false, true) => BRIDGE_VLANDB_DUMPF_STATS,
        (false, false) => 0,
    };
    let mut dbs = Vec::new();
    env.dump(&vlandb_request(flags)?, |msg| {
        if let Some(db) = VlanDb::try_from_msg(msg).ok().flatten() {
            if only.is_none_or(|i| i == db.ifindex) {
                merge(&mut dbs, db, args.global);
            }
        }
        Ok(())
    })?;
    Ok(dbs)
}

/// Add one message's entries: to the previous device's when it is the
/// same device (a long list spans messages), as `bridge` keeps one port
/// open while the index repeats. A global dump keeps only global options
/// and the other only entries, as `bridge` prints them.
fn merge(dbs: &mut Vec<VlanDb>, mut db: VlanDb, global: bool) {
    if global {
        db.entries.clear();
    } else {
        db.globals.clear();
    }
    match dbs.last_mut() {
        Some(last) if last.ifindex == db.ifindex => {
            last.entries.append(&mut db.entries);
            last.globals.append(&mut db.globals);
        }
        _ => dbs.push(db),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::nlmsg::NlMsg;

    #[test]
    fn vlandb_request_carries_the_dump_flags() {
        let r = vlandb_request(BRIDGE_VLANDB_DUMPF_GLOBAL).unwrap();
        let msg = NlMsg::new_checked(&r[..]).unwrap();
        assert_eq!((msg.kind(), msg.flags()), (RTM_GETVLAN, 0x301));
        #[rustfmt::skip]
        assert_eq!(msg.payload(), [
            7, 0, 0, 0,             // AF_BRIDGE, reserved
            0, 0, 0, 0,             // ifindex: every device
            8, 0, 1, 0, 2, 0, 0, 0, // BRIDGE_VLANDB_DUMP_FLAGS = DUMPF_GLOBAL
        ]);
    }

    #[test]
    fn stats_request_selects_one_extended_statistics_attribute() {
        let r = stats_request(IFLA_STATS_LINK_XSTATS_SLAVE).unwrap();
        let msg = NlMsg::new_checked(&r[..]).unwrap();
        assert_eq!((msg.kind(), msg.flags()), (RTM_GETSTATS, 0x301));
        #[rustfmt::skip]
        assert_eq!(msg.payload(), [
            0, 0, 0, 0, // AF_UNSPEC, pads
            0, 0, 0, 0, // ifindex: every device
            4, 0, 0, 0, // filter_mask: IFLA_STATS_LINK_XSTATS_SLAVE's bit
        ]);
    }

    #[test]
    fn merge_joins_one_devices_messages() {
        let mut dbs = Vec::new();
        for i in [3, 3, 4] {
            let db = VlanDb {
                ifindex: i,
                entries: vec![Default::default()],
                globals: vec![Default::default()],
            };
            merge(&mut dbs, db, false);
        }
        assert_eq!(dbs.len(), 2);
        assert_eq!((dbs[0].entries.len(), dbs[0].globals.len()), (2, 0));
    }

    #[test]
    fn request_is_a_bridge_link_dump_asking_for_vlans() {
        let r = dump_request().unwrap();
        let msg = NlMsg::new_checked(&r[..]).unwrap();
        assert_eq!((msg.kind(), msg.flags()), (RTM_GETLINK, 0x301));
        #[rustfmt::skip]
        assert_eq!(msg.payload(), [
            7, 0, 0, 0,              // AF_BRIDGE, pad, ifi_type
            0, 0, 0, 0,              // ifi_index
            0, 0, 0, 0,              // ifi_flags
            0, 0, 0, 0,              // ifi_change
            8, 0, 29, 0, 2, 0, 0, 0, // IFLA_EXT_MASK = RTEXT_FILTER_BRVLAN
        ]);
    }
}
