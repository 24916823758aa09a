//! `struct if_stats_msg`: the interface statistics header (RTM_NEWSTATS /
//! RTM_GETSTATS), the IFLA_STATS_* attribute types with their nested
//! IFLA_OFFLOAD_XSTATS_* and MPLS_STATS_* types, all of linux/if_link.h
//! and linux/mpls.h.
//!
//! ```text
//!  0        1       2       4          8              12
//!  +--------+-------+-------+----------+--------------+
//!  | family | pad1  | pad2  | ifindex  | filter_mask  |  then IFLA_STATS_*
//!  +--------+-------+-------+----------+--------------+
//! ```
//!
//! A request names the groups it wants in `filter_mask`, one bit per
//! top-level attribute (IFLA_STATS_FILTER_BIT); a group's nested attributes
//! can be cut down further with IFLA_STATS_GET_FILTERS, a nest holding one
//! u32 mask per group, keyed by the group's attribute type. The reply
//! carries the same mask and only the groups asked for.

use super::{Error, ne_u32, need};

/// Interface statistics / dump reply (RTM_NEWSTATS).
pub const RTM_NEWSTATS: u16 = 92;
/// Interface statistics request (RTM_GETSTATS).
pub const RTM_GETSTATS: u16 = 94;

/// `struct rtnl_link_stats64` (IFLA_STATS_LINK_64).
pub const IFLA_STATS_LINK_64: u16 = 1;
/// Nest of LINK_XSTATS_TYPE_*, the link kind's own counters
/// (IFLA_STATS_LINK_XSTATS).
pub const IFLA_STATS_LINK_XSTATS: u16 = 2;
/// The same for the port kind's (IFLA_STATS_LINK_XSTATS_SLAVE).
pub const IFLA_STATS_LINK_XSTATS_SLAVE: u16 = 3;
/// Nest of IFLA_OFFLOAD_XSTATS_* (IFLA_STATS_LINK_OFFLOAD_XSTATS).
pub const IFLA_STATS_LINK_OFFLOAD_XSTATS: u16 = 4;
/// Nest of per-address-family nests, keyed by AF_* (IFLA_STATS_AF_SPEC).
pub const IFLA_STATS_AF_SPEC: u16 = 5;
/// One past the highest IFLA_STATS_* type nlq indexes.
pub const IFLA_STATS_MAX: usize = 6;

/// Request nest of per-group u32 masks (IFLA_STATS_GET_FILTERS).
pub const IFLA_STATS_GET_FILTERS: u16 = 1;

/// Offloaded traffic seen by the CPU, `struct rtnl_link_stats64`
/// (IFLA_OFFLOAD_XSTATS_CPU_HIT).
pub const IFLA_OFFLOAD_XSTATS_CPU_HIT: u16 = 1;
/// Nest of one nest per hardware counter set: whether it is requested and
/// used (IFLA_OFFLOAD_XSTATS_HW_S_INFO).
pub const IFLA_OFFLOAD_XSTATS_HW_S_INFO: u16 = 2;
/// L3 counters kept by the hardware, `struct rtnl_hw_stats64`
/// (IFLA_OFFLOAD_XSTATS_L3_STATS); also the key of their nest in HW_S_INFO.
pub const IFLA_OFFLOAD_XSTATS_L3_STATS: u16 = 3;
/// One past the highest IFLA_OFFLOAD_XSTATS_* type nlq indexes.
pub const IFLA_OFFLOAD_XSTATS_MAX: usize = 4;
/// The highest IFLA_OFFLOAD_XSTATS_* type, as iproute2 6.1 knows it
/// (IFLA_OFFLOAD_XSTATS_MAX in the uapi header).
pub const IFLA_OFFLOAD_XSTATS_LAST: u16 = 3;

/// Whether the counters were asked for, u8 0 or 1
/// (IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST).
pub const IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST: u16 = 1;
/// Whether the hardware keeps them, u8 0 or 1
/// (IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED).
pub const IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED: u16 = 2;
/// One past the highest IFLA_OFFLOAD_XSTATS_HW_S_INFO_* type nlq indexes.
pub const IFLA_OFFLOAD_XSTATS_HW_S_INFO_MAX: usize = 3;

/// The bridge's own counters in an xstats nest (LINK_XSTATS_TYPE_BRIDGE).
pub const LINK_XSTATS_TYPE_BRIDGE: u16 = 1;
/// The bond's own counters in an xstats nest (LINK_XSTATS_TYPE_BOND).
pub const LINK_XSTATS_TYPE_BOND: u16 = 2;
/// One past the highest LINK_XSTATS_TYPE_* nlq indexes.
pub const LINK_XSTATS_TYPE_MAX: usize = 3;

/// `struct br_mcast_stats`, IGMP and MLD counters (BRIDGE_XSTATS_MCAST,
/// linux/if_bridge.h).
pub const BRIDGE_XSTATS_MCAST: u16 = 2;
/// `struct bridge_stp_xstats`, STP counters (BRIDGE_XSTATS_STP).
pub const BRIDGE_XSTATS_STP: u16 = 4;
/// One past the highest BRIDGE_XSTATS_* type nlq indexes.
pub const BRIDGE_XSTATS_MAX: usize = 5;

/// Nest of BOND_3AD_STAT_* u64 counters (BOND_XSTATS_3AD,
/// linux/if_bonding.h).
pub const BOND_XSTATS_3AD: u16 = 1;
/// One past the highest BOND_XSTATS_* type nlq indexes.
pub const BOND_XSTATS_MAX: usize = 2;
/// BOND_3AD_STAT_LACPDU_RX to BOND_3AD_STAT_MARKER_UNKNOWN_RX: the u64
/// counters of a BOND_XSTATS_3AD nest, keyed by type from 0.
pub const BOND_3AD_STATS: usize = 9;

/// `struct mpls_link_stats` inside the AF_MPLS nest (MPLS_STATS_LINK).
pub const MPLS_STATS_LINK: u16 = 1;
/// One past the highest MPLS_STATS_* type nlq indexes.
pub const MPLS_STATS_MAX: usize = 2;

/// The bit of `filter_mask` that asks for top-level attribute `attr`
/// (IFLA_STATS_FILTER_BIT); also a nested type's bit in a GET_FILTERS
/// mask. Types past 32 have no bit.
pub const fn filter_bit(attr: u16) -> u32 {
    match attr {
        1..=32 => 1 << (attr - 1),
        _ => 0,
    }
}

mod field {
    pub const FAMILY: usize = 0;
    pub const PAD1: usize = 1;
    pub const PAD2: core::ops::Range<usize> = 2..4;
    pub const IFINDEX: core::ops::Range<usize> = 4..8;
    pub const FILTER_MASK: core::ops::Range<usize> = 8..12;
}

/// Size of `struct if_stats_msg`.
pub const IF_STATS_MSG_LEN: usize = field::FILTER_MASK.end;

/// A statistics message payload: `struct if_stats_msg` then IFLA_STATS_*
/// attributes.
#[derive(Debug, Clone, Copy)]
pub struct IfStatsMsg<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> IfStatsMsg<T> {
    /// Wrap a payload nlq built itself.
    pub fn new_unchecked(buffer: T) -> Self {
        IfStatsMsg { buffer }
    }

    /// Wrap an untrusted payload; rejects one shorter than
    /// `struct if_stats_msg`.
    pub fn new_checked(buffer: T) -> Result<Self, Error> {
        need("if_stats_msg", buffer.as_ref(), IF_STATS_MSG_LEN)?;
        Ok(IfStatsMsg { buffer })
    }

    /// Address family, AF_UNSPEC in every reply (family).
    pub fn family(&self) -> u8 {
        self.buffer.as_ref()[field::FAMILY]
    }

    /// The interface (ifindex).
    pub fn ifindex(&self) -> u32 {
        ne_u32(self.buffer.as_ref(), field::IFINDEX.start)
    }

    /// The groups the message carries, IFLA_STATS_FILTER_BIT bits
    /// (filter_mask).
    pub fn filter_mask(&self) -> u32 {
        ne_u32(self.buffer.as_ref(), field::FILTER_MASK.start)
    }

    /// The attribute bytes after the fixed header.
    pub fn attr_bytes(&self) -> &[u8] {
        &self.buffer.as_ref()[IF_STATS_MSG_LEN..]
    }
}

/// The header of a request: one interface (a get) or 0 (a dump), and the
/// groups wanted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IfStatsMsgRepr {
    /// The interface, 0 for every one (ifindex).
    pub ifindex: u32,
    /// IFLA_STATS_FILTER_BIT bits of the groups wanted (filter_mask).
    pub filter_mask: u32,
}

impl IfStatsMsgRepr {
    /// The header as bytes: family AF_UNSPEC, pads zeroed.
    pub fn emit(&self) -> [u8; IF_STATS_MSG_LEN] {
        let mut b = [0u8; IF_STATS_MSG_LEN];
        b[field::FAMILY] = 0;
        b[field::PAD1] = 0;
        b[field::PAD2].fill(0);
        b[field::IFINDEX].copy_from_slice(&self.ifindex.to_ne_bytes());
        b[field::FILTER_MASK].copy_from_slice(&self.filter_mask.to_ne_bytes());
        b
    }
}

/// The payload of an IFLA_STATS_GET_FILTERS nest holding one group's mask:
/// a u32 attribute of type `group` (IFLA_STATS_LINK_OFFLOAD_XSTATS, ...)
/// with the IFLA_STATS_FILTER_BIT bits of its nested types.
pub fn get_filter(group: u16, mask: u32) -> [u8; 8] {
    let mut b = [0u8; 8];
    b[..2].copy_from_slice(&8u16.to_ne_bytes());
    b[2..4].copy_from_slice(&group.to_ne_bytes());
    b[4..].copy_from_slice(&mask.to_ne_bytes());
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rustfmt::skip]
    const MSG: [u8; 12 + 4] = [
        0, 0, 0, 0,        // family AF_UNSPEC, pad1, pad2
        3, 0, 0, 0,        // ifindex = 3
        0x19, 0, 0, 0,     // filter_mask = LINK_64 | OFFLOAD_XSTATS | AF_SPEC
        4, 0, 5, 0,        // an empty IFLA_STATS_AF_SPEC
    ];

    #[test]
    fn reads_the_header() {
        let m = IfStatsMsg::new_checked(&MSG[..]).unwrap();
        assert_eq!((m.family(), m.ifindex(), m.filter_mask()), (0, 3, 0x19));
        assert_eq!(m.attr_bytes(), [4, 0, 5, 0]);
        assert!(IfStatsMsg::new_checked(&MSG[..11]).is_err());
    }

    #[test]
    fn filter_bits_as_the_uapi_macro() {
        assert_eq!(filter_bit(IFLA_STATS_LINK_64), 0x1);
        assert_eq!(filter_bit(IFLA_STATS_AF_SPEC), 0x10);
        assert_eq!(filter_bit(0), 0);
        assert_eq!(filter_bit(40), 0);
    }

    #[test]
    fn emits_the_request_header_and_a_filter() {
        let h = IfStatsMsgRepr {
            ifindex: 7,
            filter_mask: 0x8,
        };
        assert_eq!(h.emit(), [0, 0, 0, 0, 7, 0, 0, 0, 8, 0, 0, 0]);
        // len 8, type 4 (IFLA_STATS_LINK_OFFLOAD_XSTATS), mask 1 (CPU_HIT)
        assert_eq!(get_filter(4, 1), [8, 0, 4, 0, 1, 0, 0, 0]);
    }
}
