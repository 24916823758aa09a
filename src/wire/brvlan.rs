//! The bridge VLAN database messages (RTM_NEWVLAN, RTM_GETVLAN;
//! linux/if_bridge.h, since Linux 5.10): constants only. Their fixed
//! header, `struct br_vlan_msg` (family, two reserved fields, ifindex), is
//! laid out as `struct br_port_msg`, so [`super::bridge::BrPortMsg`] reads
//! it and [`super::bridge::br_port_msg_dump_header`] builds a dump's.

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
