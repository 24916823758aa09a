//! Bridges and bridge ports: IFLA_BR_* and IFLA_BRPORT_* in the order of
//! iproute2 6.1's ip/iplink_bridge.c and iplink_bridge_slave.c.

use super::{Fmt, Kind, Row, table};

/// The bridge kinds: `bridge` itself.
pub(super) const KINDS: &[Kind] = &[Kind {
    name: "bridge",
    decode: |d| table::<BR_MAX>(d, BRIDGE),
    essentials: &["stp_state", "vlan_filtering", "vlan_protocol"],
}];

/// Ports of a bridge (IFLA_INFO_SLAVE_KIND "bridge").
pub(super) const SLAVE_KINDS: &[Kind] = &[Kind {
    name: "bridge",
    decode: |d| table::<BRPORT_MAX>(d, BRIDGE_PORT),
    essentials: &["state", "priority", "cost"],
}];

// IFLA_BR_* (linux/if_link.h).
const BR_MAX: usize = 48;
const BRIDGE: &[Row] = &[
    (1, "forward_delay", Fmt::U32),
    (2, "hello_time", Fmt::U32),
    (3, "max_age", Fmt::U32),
    (4, "ageing_time", Fmt::U32),
    (5, "stp_state", Fmt::U32),
    (6, "priority", Fmt::U16),
    (7, "vlan_filtering", Fmt::U8),
    (8, "vlan_protocol", Fmt::VlanProto),
    (11, "bridge_id", Fmt::BridgeId),
    (10, "root_id", Fmt::BridgeId),
    (12, "root_port", Fmt::U16),
    (13, "root_path_cost", Fmt::U32),
    (14, "topology_change", Fmt::U8),
    (15, "topology_change_detected", Fmt::U8),
    (16, "hello_timer", Fmt::Timer),
    (17, "tcn_timer", Fmt::Timer),
    (18, "topology_change_timer", Fmt::Timer),
    (19, "gc_timer", Fmt::Timer),
    (39, "vlan_default_pvid", Fmt::U16),
    (41, "vlan_stats_enabled", Fmt::U8),
    (45, "vlan_stats_per_port", Fmt::U8),
    (9, "group_fwd_mask", Fmt::Hex16),
    (20, "group_addr", Fmt::Mac),
    (23, "mcast_snooping", Fmt::U8),
    (46, "multi_boolopt", Fmt::BoolOpt),
    (22, "mcast_router", Fmt::U8),
    (24, "mcast_query_use_ifaddr", Fmt::U8),
    (25, "mcast_querier", Fmt::U8),
    (26, "mcast_hash_elasticity", Fmt::U32),
    (27, "mcast_hash_max", Fmt::U32),
    (28, "mcast_last_member_cnt", Fmt::U32),
    (29, "mcast_startup_query_cnt", Fmt::U32),
    (30, "mcast_last_member_intvl", Fmt::U64),
    (31, "mcast_membership_intvl", Fmt::U64),
    (32, "mcast_querier_intvl", Fmt::U64),
    (33, "mcast_query_intvl", Fmt::U64),
    (34, "mcast_query_response_intvl", Fmt::U64),
    (35, "mcast_startup_query_intvl", Fmt::U64),
    (42, "mcast_stats_enabled", Fmt::U8),
    (43, "mcast_igmp_version", Fmt::U8),
    (44, "mcast_mld_version", Fmt::U8),
    (36, "nf_call_iptables", Fmt::U8),
    (37, "nf_call_ip6tables", Fmt::U8),
    (38, "nf_call_arptables", Fmt::U8),
];

// IFLA_BRPORT_* (linux/if_link.h).
const BRPORT_MAX: usize = 40;
const BRIDGE_PORT: &[Row] = &[
    (1, "state", Fmt::PortState),
    (2, "priority", Fmt::U16),
    (3, "cost", Fmt::I32),
    (4, "hairpin", Fmt::OnOff),
    (5, "guard", Fmt::OnOff),
    (6, "root_block", Fmt::OnOff),
    (7, "fastleave", Fmt::OnOff),
    (8, "learning", Fmt::OnOff),
    (9, "flood", Fmt::OnOff),
    (17, "id", Fmt::Hex16),
    (18, "no", Fmt::Hex16),
    (15, "designated_port", Fmt::U16),
    (16, "designated_cost", Fmt::U16),
    (14, "bridge_id", Fmt::BridgeId),
    (13, "root_id", Fmt::BridgeId),
    (23, "hold_timer", Fmt::Timer),
    (21, "message_age_timer", Fmt::Timer),
    (22, "forward_delay_timer", Fmt::Timer),
    (19, "topology_change_ack", Fmt::U8),
    (20, "config_pending", Fmt::U8),
    (10, "proxy_arp", Fmt::OnOff),
    (12, "proxy_arp_wifi", Fmt::OnOff),
    (25, "multicast_router", Fmt::U8),
    (27, "mcast_flood", Fmt::OnOff),
    (30, "bcast_flood", Fmt::OnOff),
    (28, "mcast_to_unicast", Fmt::OnOff),
    (32, "neigh_suppress", Fmt::OnOff),
    (31, "group_fwd_mask", Fmt::FwdMask),
    (29, "vlan_tunnel", Fmt::OnOff),
    (33, "isolated", Fmt::OnOff),
    (39, "locked", Fmt::OnOff),
    (34, "backup_port", Fmt::IfIndex),
];
