//! The bridge VLAN database messages (RTM_NEWVLAN, RTM_GETVLAN;
//! linux/if_bridge.h, since Linux 5.10): constants. Their fixed
//! header, `struct br_vlan_msg` (family, two reserved fields, ifindex), is
//! laid out as `struct br_port_msg`, so [`super::bridge::BrPortMsg`] reads
//! it and [`super::bridge::br_port_msg_dump_header`] builds a dump's.
//! Also what `bridge -s vlan show` reads per-VLAN counters from: the
//! bridge extended statistics of an RTM_GETSTATS dump.

/// A port's VLANs or a bridge's global VLAN options (RTM_NEWVLAN).
pub const RTM_NEWVLAN: u16 = 112;
/// Dump the VLAN database (RTM_GETVLAN).
pub const RTM_GETVLAN: u16 = 114;

/// Request attribute: BRIDGE_VLANDB_DUMPF_* (BRIDGE_VLANDB_DUMP_FLAGS).
pub const BRIDGE_VLANDB_DUMP_FLAGS: u16 = 1;
/// Include each VLAN's counters (BRIDGE_VLANDB_DUMPF_STATS).
pub const BRIDGE_VLANDB_DUMPF_STATS: u32 = 1 << 0;
/// Dump the bridges' global VLAN options only (BRIDGE_VLANDB_DUMPF_GLOBAL).
pub const BRIDGE_VLANDB_DUMPF_GLOBAL: u32 = 1 << 1;

/// A port's VLAN or range, nested (BRIDGE_VLANDB_ENTRY).
pub const BRIDGE_VLANDB_ENTRY: u16 = 1;
/// A bridge's VLAN or range with its global options, nested
/// (BRIDGE_VLANDB_GLOBAL_OPTIONS).
pub const BRIDGE_VLANDB_GLOBAL_OPTIONS: u16 = 2;

/// `struct bridge_vlan_info`: flags, vid (BRIDGE_VLANDB_ENTRY_INFO).
pub const BRIDGE_VLANDB_ENTRY_INFO: u16 = 1;
/// u16, the range's last VLAN (BRIDGE_VLANDB_ENTRY_RANGE).
pub const BRIDGE_VLANDB_ENTRY_RANGE: u16 = 2;
/// u8, the VLAN's STP state, BR_STATE_* (BRIDGE_VLANDB_ENTRY_STATE).
pub const BRIDGE_VLANDB_ENTRY_STATE: u16 = 3;
/// Nested, BRIDGE_VLANDB_TINFO_* (BRIDGE_VLANDB_ENTRY_TUNNEL_INFO).
pub const BRIDGE_VLANDB_ENTRY_TUNNEL_INFO: u16 = 4;
/// Nested, BRIDGE_VLANDB_STATS_* (BRIDGE_VLANDB_ENTRY_STATS).
pub const BRIDGE_VLANDB_ENTRY_STATS: u16 = 5;
/// u8, the port's multicast router mode in the VLAN
/// (BRIDGE_VLANDB_ENTRY_MCAST_ROUTER).
pub const BRIDGE_VLANDB_ENTRY_MCAST_ROUTER: u16 = 6;
/// Size of an entry's attribute table (BRIDGE_VLANDB_ENTRY_MAX + 1).
pub const BRIDGE_VLANDB_ENTRY_MAX: usize = 7;

/// u32, the tunnel id (BRIDGE_VLANDB_TINFO_ID).
pub const BRIDGE_VLANDB_TINFO_ID: u16 = 1;
/// Size of the tunnel table (BRIDGE_VLANDB_TINFO_MAX + 1).
pub const BRIDGE_VLANDB_TINFO_MAX: usize = 3;

/// u64 counters (BRIDGE_VLANDB_STATS_RX_BYTES and on).
pub const BRIDGE_VLANDB_STATS_RX_BYTES: u16 = 1;
/// BRIDGE_VLANDB_STATS_RX_PACKETS.
pub const BRIDGE_VLANDB_STATS_RX_PACKETS: u16 = 2;
/// BRIDGE_VLANDB_STATS_TX_BYTES.
pub const BRIDGE_VLANDB_STATS_TX_BYTES: u16 = 3;
/// BRIDGE_VLANDB_STATS_TX_PACKETS.
pub const BRIDGE_VLANDB_STATS_TX_PACKETS: u16 = 4;
/// Size of the counters' table (BRIDGE_VLANDB_STATS_MAX + 1).
pub const BRIDGE_VLANDB_STATS_MAX: usize = 6;

/// u16, the first VLAN (BRIDGE_VLANDB_GOPTS_ID).
pub const BRIDGE_VLANDB_GOPTS_ID: u16 = 1;
/// u16, the range's last VLAN (BRIDGE_VLANDB_GOPTS_RANGE).
pub const BRIDGE_VLANDB_GOPTS_RANGE: u16 = 2;
/// u8 (BRIDGE_VLANDB_GOPTS_MCAST_SNOOPING).
pub const BRIDGE_VLANDB_GOPTS_MCAST_SNOOPING: u16 = 3;
/// u8 (BRIDGE_VLANDB_GOPTS_MCAST_IGMP_VERSION).
pub const BRIDGE_VLANDB_GOPTS_MCAST_IGMP_VERSION: u16 = 4;
/// u8 (BRIDGE_VLANDB_GOPTS_MCAST_MLD_VERSION).
pub const BRIDGE_VLANDB_GOPTS_MCAST_MLD_VERSION: u16 = 5;
/// u32 (BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_CNT).
pub const BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_CNT: u16 = 6;
/// u32 (BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_CNT).
pub const BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_CNT: u16 = 7;
/// u64, hundredths of a second (BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_INTVL).
pub const BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_INTVL: u16 = 8;
/// u64 (BRIDGE_VLANDB_GOPTS_MCAST_MEMBERSHIP_INTVL); 9 is padding.
pub const BRIDGE_VLANDB_GOPTS_MCAST_MEMBERSHIP_INTVL: u16 = 10;
/// u64 (BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_INTVL).
pub const BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_INTVL: u16 = 11;
/// u64 (BRIDGE_VLANDB_GOPTS_MCAST_QUERY_INTVL).
pub const BRIDGE_VLANDB_GOPTS_MCAST_QUERY_INTVL: u16 = 12;
/// u64 (BRIDGE_VLANDB_GOPTS_MCAST_QUERY_RESPONSE_INTVL).
pub const BRIDGE_VLANDB_GOPTS_MCAST_QUERY_RESPONSE_INTVL: u16 = 13;
/// u64 (BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_INTVL).
pub const BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_INTVL: u16 = 14;
/// u8 (BRIDGE_VLANDB_GOPTS_MCAST_QUERIER).
pub const BRIDGE_VLANDB_GOPTS_MCAST_QUERIER: u16 = 15;
/// Nested: an MDBA_ROUTER nest of MDBA_ROUTER_PORT entries
/// (BRIDGE_VLANDB_GOPTS_MCAST_ROUTER_PORTS).
pub const BRIDGE_VLANDB_GOPTS_MCAST_ROUTER_PORTS: u16 = 16;
/// Size of the global options' table (BRIDGE_VLANDB_GOPTS_MAX + 1, up to
/// BRIDGE_VLANDB_GOPTS_MSTI).
pub const BRIDGE_VLANDB_GOPTS_MAX: usize = 19;

/// A device's statistics (RTM_NEWSTATS, linux/rtnetlink.h).
pub const RTM_NEWSTATS: u16 = 92;
/// Dump statistics (RTM_GETSTATS).
pub const RTM_GETSTATS: u16 = 94;
/// Length of `struct if_stats_msg`: family, two pads, ifindex, filter_mask.
pub const IF_STATS_MSG_LEN: usize = 12;
/// Nested: the device's own extended statistics (IFLA_STATS_LINK_XSTATS).
pub const IFLA_STATS_LINK_XSTATS: u16 = 2;
/// Nested: the extended statistics of the device as a port
/// (IFLA_STATS_LINK_XSTATS_SLAVE).
pub const IFLA_STATS_LINK_XSTATS_SLAVE: u16 = 3;
/// Nested inside those: the bridge's (LINK_XSTATS_TYPE_BRIDGE).
pub const LINK_XSTATS_TYPE_BRIDGE: u16 = 1;
/// One VLAN's counters, `struct bridge_vlan_xstats` (BRIDGE_XSTATS_VLAN).
pub const BRIDGE_XSTATS_VLAN: u16 = 1;
/// Length of `struct bridge_vlan_xstats`: rx_bytes, rx_packets, tx_bytes,
/// tx_packets (u64 each), vid, flags (u16 each), 4 bytes of padding.
pub const BRIDGE_VLAN_XSTATS_LEN: usize = 40;
/// The entry is the bridge's, not a port's (BRIDGE_VLAN_INFO_MASTER).
pub const BRIDGE_VLAN_INFO_MASTER: u16 = 1 << 0;
/// The bridge itself is in the VLAN (BRIDGE_VLAN_INFO_BRENTRY).
pub const BRIDGE_VLAN_INFO_BRENTRY: u16 = 1 << 5;

/// The RTM_GETSTATS dump request's `if_stats_msg`: AF_UNSPEC, every device,
/// and a filter_mask selecting the one attribute `attr`
/// (IFLA_STATS_FILTER_BIT).
pub fn if_stats_msg_dump_header(attr: u16) -> [u8; IF_STATS_MSG_LEN] {
    let mask = 1u32
        .checked_shl(u32::from(attr).saturating_sub(1))
        .unwrap_or(0);
    let m = mask.to_ne_bytes();
    [0, 0, 0, 0, 0, 0, 0, 0, m[0], m[1], m[2], m[3]]
}
