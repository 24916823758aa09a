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

/// A multicast database entry or router port added, in notifications
/// (RTM_NEWMDB).
pub const RTM_NEWMDB: u16 = 84;
/// Multicast database dump request, and the type of its replies
/// (RTM_GETMDB).
pub const RTM_GETMDB: u16 = 86;

/// In an MDB message: the bridge's groups, a nest of MDBA_MDB_ENTRY
/// (MDBA_MDB).
pub const MDBA_MDB: u16 = 1;
/// In an MDB message: the bridge's multicast router ports (MDBA_ROUTER).
pub const MDBA_ROUTER: u16 = 2;
/// One past the highest MDB message attribute type.
pub const MDBA_MAX: usize = 3;
/// In MDBA_MDB: a nest of MDBA_MDB_ENTRY_INFO (MDBA_MDB_ENTRY).
pub const MDBA_MDB_ENTRY: u16 = 1;
/// In MDBA_MDB_ENTRY: `struct br_mdb_entry`, then MDBA_MDB_EATTR_*
/// attributes (MDBA_MDB_ENTRY_INFO).
pub const MDBA_MDB_ENTRY_INFO: u16 = 1;
/// Entry attribute: time left, in hundredths of a second, u32
/// (MDBA_MDB_EATTR_TIMER).
pub const MDBA_MDB_EATTR_TIMER: u16 = 1;
/// Entry attribute: the IGMPv3/MLDv2 source list, a nest of
/// MDBA_MDB_SRCLIST_ENTRY (MDBA_MDB_EATTR_SRC_LIST).
pub const MDBA_MDB_EATTR_SRC_LIST: u16 = 2;
/// Entry attribute: MCAST_INCLUDE (1) or MCAST_EXCLUDE (0), u8
/// (MDBA_MDB_EATTR_GROUP_MODE).
pub const MDBA_MDB_EATTR_GROUP_MODE: u16 = 3;
/// Entry attribute: the source of an (S, G) entry, an IPv4 or IPv6
/// address (MDBA_MDB_EATTR_SOURCE).
pub const MDBA_MDB_EATTR_SOURCE: u16 = 4;
/// Entry attribute: who installed the entry, a route protocol, u8
/// (MDBA_MDB_EATTR_RTPROT).
pub const MDBA_MDB_EATTR_RTPROT: u16 = 5;
/// One past the highest entry attribute type.
pub const MDBA_MDB_EATTR_MAX: usize = 6;
/// In a source list entry: the source address (MDBA_MDB_SRCATTR_ADDRESS).
pub const MDBA_MDB_SRCATTR_ADDRESS: u16 = 1;
/// In a source list entry: time left, hundredths of a second, u32
/// (MDBA_MDB_SRCATTR_TIMER).
pub const MDBA_MDB_SRCATTR_TIMER: u16 = 2;
/// One past the highest source list entry attribute type.
pub const MDBA_MDB_SRCATTR_MAX: usize = 3;
/// In MDBA_ROUTER: the port's index, u32, then MDBA_ROUTER_PATTR_*
/// attributes (MDBA_ROUTER_PORT).
pub const MDBA_ROUTER_PORT: u16 = 1;
/// Router port attribute: time left, hundredths of a second, u32
/// (MDBA_ROUTER_PATTR_TIMER).
pub const MDBA_ROUTER_PATTR_TIMER: u16 = 1;
/// Router port attribute: MDB_RTR_TYPE_*, u8 (MDBA_ROUTER_PATTR_TYPE).
pub const MDBA_ROUTER_PATTR_TYPE: u16 = 2;
/// One past the highest router port attribute type used here.
pub const MDBA_ROUTER_PATTR_MAX: usize = 3;

/// `br_mdb_entry.state`: added by hand, never times out (MDB_PERMANENT).
pub const MDB_PERMANENT: u8 = 1;
/// Size of `struct br_mdb_entry`: ifindex, state, flags, vid, then the
/// group (a 16-byte union, its protocol, 2 bytes of padding).
pub const BR_MDB_ENTRY_LEN: usize = 28;
/// ETH_P_IP, the group protocol of an IPv4 group (in network order on
/// the wire).
pub const ETH_P_IP: u16 = 0x0800;

/// `struct br_port_msg`: the MDB message's fixed header, the family and
/// the bridge's index.
#[derive(Debug, Clone, Copy)]
pub struct BrPortMsg<T: AsRef<[u8]>> {
    buffer: T,
}

/// Length of `struct br_port_msg`: family, 3 bytes of padding, ifindex.
pub const BR_PORT_MSG_LEN: usize = 8;

impl<T: AsRef<[u8]>> BrPortMsg<T> {
    /// A view of `buffer`, checked to hold the whole header.
    pub fn new_checked(buffer: T) -> Result<Self, super::Error> {
        let have = buffer.as_ref().len();
        if have < BR_PORT_MSG_LEN {
            return Err(super::Error::Truncated {
                what: "br_port_msg",
                need: BR_PORT_MSG_LEN,
                have,
            });
        }
        Ok(BrPortMsg { buffer })
    }

    /// The family, AF_BRIDGE (family).
    pub fn family(&self) -> u8 {
        self.buffer.as_ref()[0]
    }

    /// The bridge's interface index (ifindex).
    pub fn ifindex(&self) -> u32 {
        let b = self.buffer.as_ref();
        u32::from_ne_bytes([b[4], b[5], b[6], b[7]])
    }

    /// The attributes after the header.
    pub fn attr_bytes(&self) -> &[u8] {
        &self.buffer.as_ref()[BR_PORT_MSG_LEN..]
    }
}

/// The RTM_GETMDB dump request's header: AF_BRIDGE, every bridge.
pub fn br_port_msg_dump_header() -> [u8; BR_PORT_MSG_LEN] {
    [AF_BRIDGE, 0, 0, 0, 0, 0, 0, 0]
}
