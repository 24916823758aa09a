//! Interface statistics (`ip stats show`): [`IfStats`], decoded from one
//! RTM_NEWSTATS message: a link's counters in the groups asked for (link,
//! xstats, xstats_slave, offload, afstats), and [`Sub`], the groups,
//! subgroups and suites nlq knows.
//!
//! Attributes are indexed first at each level (first occurrence wins, as
//! `parse_rtattr` keeps it); unknown types are skipped, and so are the
//! link kinds nlq has no xstats for and a bridge's per-VLAN counters.
//! Counter structs go through the decoder of `nlq links -s` ([`Stats`])
//! or [`Counters`]: a shorter struct leaves its missing counters `None`,
//! a longer one has its tail ignored.

use super::link::Stats;
use crate::wire::Error as WireError;
use crate::wire::attr::{Attr, AttrIndex};
use crate::wire::ifstatsmsg::*;
use crate::wire::nlmsg::NlMsg;

/// AF_MPLS, the key of the MPLS nest in IFLA_STATS_AF_SPEC.
const AF_MPLS: u16 = 28;

/// One leaf of `ip stats show`'s groups: what one output object (or table
/// row) of a link shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Sub {
    /// Group `link`: the link's counters (IFLA_STATS_LINK_64).
    Link,
    /// Group `offload`, subgroup `cpu_hit`: offloaded traffic the CPU saw
    /// (IFLA_OFFLOAD_XSTATS_CPU_HIT).
    CpuHit,
    /// Group `offload`, subgroup `hw_stats_info`: which hardware counter
    /// sets are requested and used (IFLA_OFFLOAD_XSTATS_HW_S_INFO).
    HwStatsInfo,
    /// Group `offload`, subgroup `l3_stats`: the hardware's L3 counters
    /// (IFLA_OFFLOAD_XSTATS_L3_STATS) and their info.
    L3Stats,
    /// Group `afstats`, subgroup `mpls`: MPLS counters (AF_MPLS in
    /// IFLA_STATS_AF_SPEC).
    Mpls,
    /// Group `xstats`, subgroup `bridge`, suite `stp`: a bridge's STP
    /// counters (IFLA_STATS_LINK_XSTATS, BRIDGE_XSTATS_STP).
    BridgeStp,
    /// Group `xstats`, subgroup `bridge`, suite `mcast`: a bridge's IGMP
    /// and MLD counters (BRIDGE_XSTATS_MCAST).
    BridgeMcast,
    /// Group `xstats`, subgroup `bond`, suite `802.3ad`: a bond's LACP
    /// counters (BOND_XSTATS_3AD).
    BondLacp,
    /// Group `xstats_slave`, subgroup `bridge`, suite `stp`: a bridge
    /// port's STP counters (IFLA_STATS_LINK_XSTATS_SLAVE).
    PortStp,
    /// Group `xstats_slave`, subgroup `bridge`, suite `mcast`: a bridge
    /// port's IGMP and MLD counters.
    PortMcast,
    /// Group `xstats_slave`, subgroup `bond`, suite `802.3ad`: a bond
    /// port's LACP counters.
    PortLacp,
}

impl Sub {
    /// Every leaf, in nlq's order (ip's list order).
    pub const ALL: [Sub; 11] = [
        Sub::Link,
        Sub::BridgeStp,
        Sub::BridgeMcast,
        Sub::BondLacp,
        Sub::PortStp,
        Sub::PortMcast,
        Sub::PortLacp,
        Sub::CpuHit,
        Sub::HwStatsInfo,
        Sub::L3Stats,
        Sub::Mpls,
    ];

    /// The group's name, as `ip stats show group` takes it.
    pub fn group(self) -> &'static str {
        match self {
            Sub::Link => "link",
            Sub::CpuHit | Sub::HwStatsInfo | Sub::L3Stats => "offload",
            Sub::Mpls => "afstats",
            Sub::BridgeStp | Sub::BridgeMcast | Sub::BondLacp => "xstats",
            Sub::PortStp | Sub::PortMcast | Sub::PortLacp => "xstats_slave",
        }
    }

    /// The subgroup's name; `None` for `link`, a group without subgroups.
    pub fn subgroup(self) -> Option<&'static str> {
        match self {
            Sub::Link => None,
            Sub::CpuHit => Some("cpu_hit"),
            Sub::HwStatsInfo => Some("hw_stats_info"),
            Sub::L3Stats => Some("l3_stats"),
            Sub::Mpls => Some("mpls"),
            Sub::BridgeStp | Sub::BridgeMcast | Sub::PortStp | Sub::PortMcast => Some("bridge"),
            Sub::BondLacp | Sub::PortLacp => Some("bond"),
        }
    }

    /// The suite's name, for the xstats groups' leaves.
    pub fn suite(self) -> Option<&'static str> {
        match self {
            Sub::BridgeStp | Sub::PortStp => Some("stp"),
            Sub::BridgeMcast | Sub::PortMcast => Some("mcast"),
            Sub::BondLacp | Sub::PortLacp => Some("802.3ad"),
            _ => None,
        }
    }

    /// The top-level attribute that carries it (a filter_mask bit).
    pub fn attr(self) -> u16 {
        match self {
            Sub::Link => IFLA_STATS_LINK_64,
            Sub::CpuHit | Sub::HwStatsInfo | Sub::L3Stats => IFLA_STATS_LINK_OFFLOAD_XSTATS,
            Sub::Mpls => IFLA_STATS_AF_SPEC,
            Sub::BridgeStp | Sub::BridgeMcast | Sub::BondLacp => IFLA_STATS_LINK_XSTATS,
            Sub::PortStp | Sub::PortMcast | Sub::PortLacp => IFLA_STATS_LINK_XSTATS_SLAVE,
        }
    }

    /// The nested IFLA_OFFLOAD_XSTATS_* types it needs; `ip` asks for the
    /// info with the L3 counters, as it prints both.
    pub fn offload_types(self) -> &'static [u16] {
        match self {
            Sub::CpuHit => &[IFLA_OFFLOAD_XSTATS_CPU_HIT],
            Sub::HwStatsInfo => &[IFLA_OFFLOAD_XSTATS_HW_S_INFO],
            Sub::L3Stats => &[IFLA_OFFLOAD_XSTATS_L3_STATS, IFLA_OFFLOAD_XSTATS_HW_S_INFO],
            _ => &[],
        }
    }
}

/// The groups a request asks for: the message's `filter_mask` and, when
/// the offload group is cut down, the mask of its nested types for
/// IFLA_STATS_GET_FILTERS (as `ipstats_req_add_filters` builds them).
pub fn request_masks(subs: &[Sub]) -> (u32, Option<u32>) {
    let mask = subs.iter().fold(0, |m, s| m | filter_bit(s.attr()));
    let offload = subs
        .iter()
        .flat_map(|s| s.offload_types())
        .fold(0, |m, &t| m | filter_bit(t));
    // `ip` leaves the filter out when it would ask for every type it knows.
    let all = (1u32 << IFLA_OFFLOAD_XSTATS_LAST) - 1;
    let filter = (offload != 0 && offload != all).then_some(offload);
    (mask, filter)
}

/// One link's statistics, as one RTM_NEWSTATS message carries them; each
/// group `None` when the kernel did not send it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct IfStats {
    /// The interface (ifindex).
    pub ifindex: u32,
    /// The groups the kernel filled in (filter_mask).
    pub filter_mask: u32,
    /// The link's counters (IFLA_STATS_LINK_64).
    pub link: Option<Stats>,
    /// Offload counters and info (IFLA_STATS_LINK_OFFLOAD_XSTATS).
    pub offload: Option<Offload>,
    /// Per-family counters (IFLA_STATS_AF_SPEC).
    pub afstats: Option<AfStats>,
    /// The link kind's own counters (IFLA_STATS_LINK_XSTATS).
    pub xstats: Option<XStats>,
    /// The port kind's counters, of the link as a port of its master
    /// (IFLA_STATS_LINK_XSTATS_SLAVE).
    pub xstats_slave: Option<XStats>,
}

/// An xstats nest: the counters of a link kind (LINK_XSTATS_TYPE_*).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct XStats {
    /// The bridge's (LINK_XSTATS_TYPE_BRIDGE).
    pub bridge: Option<BridgeXStats>,
    /// The bond's: its LACP counters, BOND_XSTATS_3AD's u64 attributes by
    /// type, in [`BOND_3AD_NAMES`] order (LINK_XSTATS_TYPE_BOND).
    pub bond_lacp: Option<Counters<BOND_3AD_STATS>>,
}

/// A bridge's (or bridge port's) xstats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BridgeXStats {
    /// `struct br_mcast_stats`, in [`BR_MCAST_NAMES`] order
    /// (BRIDGE_XSTATS_MCAST).
    pub mcast: Option<Counters<30>>,
    /// `struct bridge_stp_xstats`, in [`BR_STP_NAMES`] order
    /// (BRIDGE_XSTATS_STP).
    pub stp: Option<Counters<6>>,
}

/// `N` u64 counters, each `None` when the kernel did not send it (a struct
/// too short, an attribute absent or of the wrong size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counters<const N: usize>(pub [Option<u64>; N]);

impl<const N: usize> Default for Counters<N> {
    fn default() -> Self {
        Counters([None; N])
    }
}

impl<const N: usize> Counters<N> {
    /// A struct of u64 fields; a partial trailing field is dropped.
    pub fn from_struct(payload: &[u8]) -> Self {
        let mut c = Counters::default();
        for (slot, f) in c.0.iter_mut().zip(payload.chunks_exact(8)) {
            *slot = f.try_into().ok().map(u64::from_ne_bytes);
        }
        c
    }

    /// A nest of u64 attributes keyed by type 0 to N - 1.
    pub fn from_attrs(payload: &[u8]) -> Self {
        let mut c = Counters::default();
        for a in crate::wire::attr::Attrs::new(payload).map_while(Result::ok) {
            if let Some(slot) = c.0.get_mut(usize::from(a.kind())) {
                if slot.is_none() {
                    *slot = a.u64().ok();
                }
            }
        }
        c
    }

    /// Counter `i`, if the kernel sent it.
    pub fn get(&self, i: usize) -> Option<u64> {
        self.0.get(i).copied().flatten()
    }
}

/// `struct br_mcast_stats`'s counters, each array split into its `_rx`
/// and `_tx` halves (BR_MCAST_DIR_RX, BR_MCAST_DIR_TX): nlq's JSON keys.
pub const BR_MCAST_NAMES: [&str; 30] = [
    "igmp_v1queries_rx",
    "igmp_v1queries_tx",
    "igmp_v2queries_rx",
    "igmp_v2queries_tx",
    "igmp_v3queries_rx",
    "igmp_v3queries_tx",
    "igmp_leaves_rx",
    "igmp_leaves_tx",
    "igmp_v1reports_rx",
    "igmp_v1reports_tx",
    "igmp_v2reports_rx",
    "igmp_v2reports_tx",
    "igmp_v3reports_rx",
    "igmp_v3reports_tx",
    "igmp_parse_errors",
    "mld_v1queries_rx",
    "mld_v1queries_tx",
    "mld_v2queries_rx",
    "mld_v2queries_tx",
    "mld_leaves_rx",
    "mld_leaves_tx",
    "mld_v1reports_rx",
    "mld_v1reports_tx",
    "mld_v2reports_rx",
    "mld_v2reports_tx",
    "mld_parse_errors",
    "mcast_bytes_rx",
    "mcast_bytes_tx",
    "mcast_packets_rx",
    "mcast_packets_tx",
];

/// `struct bridge_stp_xstats`'s fields: nlq's JSON keys.
pub const BR_STP_NAMES: [&str; 6] = [
    "transition_blk",
    "transition_fwd",
    "rx_bpdu",
    "tx_bpdu",
    "rx_tcn",
    "tx_tcn",
];

/// BOND_3AD_STAT_* from 0, as nlq's JSON keys (and ip's).
pub const BOND_3AD_NAMES: [&str; BOND_3AD_STATS] = [
    "lacpdu_rx",
    "lacpdu_tx",
    "lacpdu_unknown_rx",
    "lacpdu_illegal_rx",
    "marker_rx",
    "marker_tx",
    "marker_response_rx",
    "marker_response_tx",
    "marker_unknown_rx",
];

impl XStats {
    /// Decode an IFLA_STATS_LINK_XSTATS(_SLAVE) nest; other link kinds'
    /// (and the bridge's per-VLAN counters) are skipped.
    fn decode(nest: Attr<'_>) -> XStats {
        let tb = AttrIndex::<LINK_XSTATS_TYPE_MAX>::parse(nest.payload());
        let bridge = tb.get(LINK_XSTATS_TYPE_BRIDGE).map(|a| {
            // A bridge sends one BRIDGE_XSTATS_VLAN per VLAN: only the
            // first of each other type is kept.
            let br = AttrIndex::<BRIDGE_XSTATS_MAX>::parse(a.payload());
            BridgeXStats {
                mcast: br
                    .get(BRIDGE_XSTATS_MCAST)
                    .map(|m| Counters::from_struct(m.payload())),
                stp: br
                    .get(BRIDGE_XSTATS_STP)
                    .map(|m| Counters::from_struct(m.payload())),
            }
        });
        let bond_lacp = tb.get(LINK_XSTATS_TYPE_BOND).and_then(|a| {
            let bond = AttrIndex::<BOND_XSTATS_MAX>::parse(a.payload());
            bond.get(BOND_XSTATS_3AD)
                .map(|l| Counters::from_attrs(l.payload()))
        });
        XStats { bridge, bond_lacp }
    }
}

/// The nested IFLA_OFFLOAD_XSTATS_* of one link.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Offload {
    /// Offloaded traffic the CPU saw (IFLA_OFFLOAD_XSTATS_CPU_HIT).
    pub cpu_hit: Option<Stats>,
    /// Hardware counter sets' state (IFLA_OFFLOAD_XSTATS_HW_S_INFO).
    pub hw_s_info: Option<HwStatsInfo>,
    /// The hardware's L3 counters, `struct rtnl_hw_stats64`: the first
    /// nine counters of [`Stats`] (IFLA_OFFLOAD_XSTATS_L3_STATS).
    pub l3_stats: Option<Stats>,
}

/// IFLA_OFFLOAD_XSTATS_HW_S_INFO: one entry per hardware counter set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct HwStatsInfo {
    /// The L3 counters' state (IFLA_OFFLOAD_XSTATS_L3_STATS nest).
    pub l3_stats: Option<HwInfo>,
}

/// One hardware counter set's state; `None` for an absent attribute or a
/// value other than 0 or 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct HwInfo {
    /// Asked for, `ip stats set ... l3_stats on`
    /// (IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST).
    pub request: Option<bool>,
    /// Kept by the hardware (IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED).
    pub used: Option<bool>,
}

/// IFLA_STATS_AF_SPEC: the families with counters of their own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AfStats {
    /// MPLS counters (AF_MPLS nest, MPLS_STATS_LINK).
    pub mpls: Option<MplsStats>,
}

/// `struct mpls_link_stats` (linux/mpls.h), each counter `None` when the
/// kernel's struct is too short to hold it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MplsStats {
    /// The counters, in [`MplsStats::NAMES`] order.
    pub counters: [Option<u64>; 9],
}

impl MplsStats {
    /// The struct's fields, in struct order: also nlq's JSON keys.
    pub const NAMES: [&'static str; 9] = [
        "rx_packets",
        "tx_packets",
        "rx_bytes",
        "tx_bytes",
        "rx_errors",
        "tx_errors",
        "rx_dropped",
        "tx_dropped",
        "rx_noroute",
    ];

    /// Decode the struct; a partial trailing field is dropped.
    pub fn parse(payload: &[u8]) -> MplsStats {
        let mut counters = [None; 9];
        for (slot, f) in counters.iter_mut().zip(payload.chunks_exact(8)) {
            *slot = f.try_into().ok().map(u64::from_ne_bytes);
        }
        MplsStats { counters }
    }

    /// The counter called `name` (one of [`MplsStats::NAMES`]).
    pub fn get(&self, name: &str) -> Option<u64> {
        let at = Self::NAMES.iter().position(|n| *n == name)?;
        self.counters[at]
    }
}

impl IfStats {
    /// Decode an RTM_NEWSTATS message: `Ok(None)` for any other message
    /// type, an error for a payload too short for `struct if_stats_msg`.
    pub fn try_from_msg(msg: &NlMsg<&[u8]>) -> Result<Option<IfStats>, WireError> {
        if msg.kind() != RTM_NEWSTATS {
            return Ok(None);
        }
        Ok(Some(IfStats::decode(&IfStatsMsg::new_checked(
            msg.payload(),
        )?)))
    }

    /// [`IfStats::try_from_msg`] for callers that skip what they cannot
    /// read: `None` for another message type and for a malformed one alike.
    pub fn from_msg(msg: &NlMsg<&[u8]>) -> Option<IfStats> {
        Self::try_from_msg(msg).ok().flatten()
    }

    /// Decode a checked `if_stats_msg` and its attributes. Never panics.
    pub fn decode<T: AsRef<[u8]>>(hdr: &IfStatsMsg<T>) -> IfStats {
        let tb = AttrIndex::<IFLA_STATS_MAX>::parse(hdr.attr_bytes());
        IfStats {
            ifindex: hdr.ifindex(),
            filter_mask: hdr.filter_mask(),
            link: tb
                .get(IFLA_STATS_LINK_64)
                .map(|a| Stats::from_stats64(a.payload())),
            offload: tb.get(IFLA_STATS_LINK_OFFLOAD_XSTATS).map(Offload::decode),
            afstats: tb.get(IFLA_STATS_AF_SPEC).map(AfStats::decode),
            xstats: tb.get(IFLA_STATS_LINK_XSTATS).map(XStats::decode),
            xstats_slave: tb.get(IFLA_STATS_LINK_XSTATS_SLAVE).map(XStats::decode),
        }
    }
}

impl Offload {
    /// Decode the IFLA_STATS_LINK_OFFLOAD_XSTATS nest.
    fn decode(nest: Attr<'_>) -> Offload {
        let tb = AttrIndex::<IFLA_OFFLOAD_XSTATS_MAX>::parse(nest.payload());
        let stats = |t| tb.get(t).map(|a| Stats::from_stats64(a.payload()));
        Offload {
            cpu_hit: stats(IFLA_OFFLOAD_XSTATS_CPU_HIT),
            hw_s_info: tb.get(IFLA_OFFLOAD_XSTATS_HW_S_INFO).map(|a| {
                let inner = AttrIndex::<IFLA_OFFLOAD_XSTATS_MAX>::parse(a.payload());
                HwStatsInfo {
                    l3_stats: inner.get(IFLA_OFFLOAD_XSTATS_L3_STATS).map(HwInfo::decode),
                }
            }),
            l3_stats: stats(IFLA_OFFLOAD_XSTATS_L3_STATS),
        }
    }
}

impl HwInfo {
    /// Decode one counter set's nest of IFLA_OFFLOAD_XSTATS_HW_S_INFO_*.
    fn decode(nest: Attr<'_>) -> HwInfo {
        let tb = AttrIndex::<IFLA_OFFLOAD_XSTATS_HW_S_INFO_MAX>::parse(nest.payload());
        let flag = |t| match tb.get(t).and_then(|a| a.u8().ok()) {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        };
        HwInfo {
            request: flag(IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST),
            used: flag(IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED),
        }
    }
}

impl AfStats {
    /// Decode the IFLA_STATS_AF_SPEC nest; families other than MPLS are
    /// skipped.
    fn decode(nest: Attr<'_>) -> AfStats {
        let tb = AttrIndex::<{ AF_MPLS as usize + 1 }>::parse(nest.payload());
        let mpls = tb.get(AF_MPLS).and_then(|a| {
            let inner = AttrIndex::<MPLS_STATS_MAX>::parse(a.payload());
            inner
                .get(MPLS_STATS_LINK)
                .map(|l| MplsStats::parse(l.payload()))
        });
        AfStats { mpls }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::link::Counter;
    use crate::wire::nlmsg::NlMsg;

    #[rustfmt::skip]
    fn message() -> Vec<u8> {
        let mut m = vec![
            0, 0, 0, 0,  0, 0, 0, 0,   // nlmsg_len (below), type, flags
            0, 0, 0, 0,  0, 0, 0, 0,   // seq, port
            0, 0, 0, 0,                // family, pads
            2, 0, 0, 0,                // ifindex = 2
            0x19, 0, 0, 0,             // filter_mask = LINK_64|OFFLOAD|AF_SPEC
            20, 0, 1, 0,               // IFLA_STATS_LINK_64, 16 bytes:
            5, 0, 0, 0, 0, 0, 0, 0,    //   rx_packets = 5
            7, 0, 0, 0, 0, 0, 0, 0,    //   tx_packets = 7 (struct cut short)
            40, 0, 4, 0x80,            // IFLA_STATS_LINK_OFFLOAD_XSTATS, nested
            24, 0, 2, 0x80,            //   HW_S_INFO, nested
            20, 0, 3, 0x80,            //     L3_STATS, nested
            5, 0, 1, 0, 1, 0, 0, 0,    //       REQUEST = 1
            5, 0, 2, 0, 9, 0, 0, 0,    //       USED = 9: neither 0 nor 1
            12, 0, 3, 0,               //   L3_STATS, 8 bytes:
            3, 0, 0, 0, 0, 0, 0, 0,    //     rx_packets = 3
            20, 0, 5, 0x80,            // IFLA_STATS_AF_SPEC, nested
            16, 0, 28, 0x80,           //   AF_MPLS, nested
            12, 0, 1, 0,               //     MPLS_STATS_LINK, 8 bytes:
            4, 0, 0, 0, 0, 0, 0, 0,    //       rx_packets = 4
            8, 0, 9, 0, 0, 0, 0, 0,    // type 9: unknown, skipped
        ];
        m[4] = RTM_NEWSTATS as u8; // nlmsg_type = 92
        let len = m.len() as u32;
        m[..4].copy_from_slice(&len.to_ne_bytes());
        m
    }

    #[test]
    fn decodes_every_group() {
        let bytes = message();
        let msg = NlMsg::new_checked(&bytes[..]).unwrap();
        let s = IfStats::try_from_msg(&msg).unwrap().unwrap();
        assert_eq!((s.ifindex, s.filter_mask), (2, 0x19));
        let link = s.link.unwrap();
        assert_eq!(link.get(Counter::TxPackets), Some(7));
        assert_eq!(link.get(Counter::RxBytes), None, "short struct");
        let off = s.offload.unwrap();
        assert_eq!(off.cpu_hit, None);
        let info = off.hw_s_info.unwrap().l3_stats.unwrap();
        assert_eq!((info.request, info.used), (Some(true), None));
        assert_eq!(off.l3_stats.unwrap().get(Counter::RxPackets), Some(3));
        let mpls = s.afstats.unwrap().mpls.unwrap();
        assert_eq!(
            (mpls.get("rx_packets"), mpls.get("tx_packets")),
            (Some(4), None)
        );
    }

    #[test]
    fn other_messages_and_short_headers() {
        let mut bytes = message();
        bytes[4] = 16; // RTM_NEWLINK
        let msg = NlMsg::new_checked(&bytes[..]).unwrap();
        assert_eq!(IfStats::try_from_msg(&msg), Ok(None));
        let mut short = message()[..24].to_vec();
        short[..4].copy_from_slice(&24u32.to_ne_bytes());
        let msg = NlMsg::new_checked(&short[..]).unwrap();
        assert!(IfStats::try_from_msg(&msg).is_err());
        assert_eq!(IfStats::from_msg(&msg), None);
    }

    #[test]
    fn decodes_bridge_and_bond_xstats() {
        #[rustfmt::skip]
        let nest = [
            36, 0, 1, 0x80,            // LINK_XSTATS_TYPE_BRIDGE, nested
            8, 0, 1, 0, 0, 0, 0, 0,    //   BRIDGE_XSTATS_VLAN: skipped
            20, 0, 4, 0,               //   BRIDGE_XSTATS_STP, 16 bytes:
            1, 0, 0, 0, 0, 0, 0, 0,    //     transition_blk = 1
            2, 0, 0, 0, 0, 0, 0, 0,    //     transition_fwd = 2 (cut short)
            4, 0, 2, 0,                //   BRIDGE_XSTATS_MCAST, empty
            32, 0, 2, 0x80,            // LINK_XSTATS_TYPE_BOND, nested
            28, 0, 1, 0x80,            //   BOND_XSTATS_3AD, nested
            12, 0, 0, 0,               //     LACPDU_RX (type 0) = 7
            7, 0, 0, 0, 0, 0, 0, 0,
            8, 0, 1, 0, 9, 0, 0, 0,    //     LACPDU_TX of 4 bytes: dropped
            4, 0, 99, 0,               //     type 99: unknown, skipped
        ];
        let x = XStats::decode(Attr::new(IFLA_STATS_LINK_XSTATS, &nest));
        let br = x.bridge.unwrap();
        let stp = br.stp.unwrap();
        assert_eq!(
            (stp.get(0), stp.get(1), stp.get(2)),
            (Some(1), Some(2), None)
        );
        assert_eq!(br.mcast, Some(Counters::default()), "present, but empty");
        let lacp = x.bond_lacp.unwrap();
        assert_eq!(
            (lacp.get(0), lacp.get(1), lacp.get(9)),
            (Some(7), None, None)
        );
    }

    #[test]
    fn masks_as_ip_builds_them() {
        // Every group: no GET_FILTERS (the offload mask would be all bits).
        assert_eq!(request_masks(&Sub::ALL), (0x1f, None));
        assert_eq!(request_masks(&[Sub::CpuHit]), (0x8, Some(0x1)));
        assert_eq!(request_masks(&[Sub::L3Stats]), (0x8, Some(0x6)));
        assert_eq!(request_masks(&[Sub::Link, Sub::Mpls]), (0x11, None));
    }
}
