//! Bridge constants (linux/if_bridge.h, linux/rtnetlink.h) for the VLAN
//! table a bridge reports in an AF_BRIDGE RTM_NEWLINK message: the
//! attributes nested in IFLA_AF_SPEC and `struct bridge_vlan_info`'s flags.
//! There is no fixed header of its own: the message is an `ifinfomsg`.

/// Address family of bridge messages (AF_BRIDGE, linux/socket.h).
pub const AF_BRIDGE: u8 = 7;

/// Dump each port's VLANs one per entry (RTEXT_FILTER_BRVLAN).
pub const RTEXT_FILTER_BRVLAN: u32 = 1 << 1;
/// Dump each port's VLANs as ranges (RTEXT_FILTER_BRVLAN_COMPRESSED).
pub const RTEXT_FILTER_BRVLAN_COMPRESSED: u32 = 1 << 2;

/// In IFLA_AF_SPEC: `struct bridge_vlan_info`, 4 bytes
/// (IFLA_BRIDGE_VLAN_INFO).
pub const IFLA_BRIDGE_VLAN_INFO: u16 = 2;
/// In IFLA_AF_SPEC: a nest of one VLAN-to-tunnel mapping
/// (IFLA_BRIDGE_VLAN_TUNNEL_INFO).
pub const IFLA_BRIDGE_VLAN_TUNNEL_INFO: u16 = 3;

/// In a tunnel nest: the tunnel id (VNI), u32 (IFLA_BRIDGE_VLAN_TUNNEL_ID).
pub const IFLA_BRIDGE_VLAN_TUNNEL_ID: u16 = 1;
/// In a tunnel nest: the VLAN id, u16 (IFLA_BRIDGE_VLAN_TUNNEL_VID).
pub const IFLA_BRIDGE_VLAN_TUNNEL_VID: u16 = 2;
/// In a tunnel nest: range flags, u16 (IFLA_BRIDGE_VLAN_TUNNEL_FLAGS).
pub const IFLA_BRIDGE_VLAN_TUNNEL_FLAGS: u16 = 3;
/// One past the highest tunnel nest attribute type.
pub const IFLA_BRIDGE_VLAN_TUNNEL_MAX: usize = 4;

/// The VLAN is the port's PVID: untagged frames in get it
/// (BRIDGE_VLAN_INFO_PVID).
pub const BRIDGE_VLAN_INFO_PVID: u16 = 1 << 1;
/// Frames of the VLAN leave untagged (BRIDGE_VLAN_INFO_UNTAGGED).
pub const BRIDGE_VLAN_INFO_UNTAGGED: u16 = 1 << 2;
/// The entry begins a range; the next one ends it
/// (BRIDGE_VLAN_INFO_RANGE_BEGIN).
pub const BRIDGE_VLAN_INFO_RANGE_BEGIN: u16 = 1 << 3;
/// The entry ends the range begun before it (BRIDGE_VLAN_INFO_RANGE_END).
pub const BRIDGE_VLAN_INFO_RANGE_END: u16 = 1 << 4;
