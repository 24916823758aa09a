//! `struct ifinfomsg`: the link message header (RTM_NEWLINK / RTM_GETLINK)
//! and the IFLA_* attribute types of linux/if_link.h.
//!
//! ```text
//!  0        1       2        4         8         12        16
//!  +--------+-------+--------+---------+---------+---------+
//!  | family |  pad  |  type  |  index  |  flags  | change  |
//!  +--------+-------+--------+---------+---------+---------+
//! ```

use super::{Error, ne_u16, ne_u32, need};

/// New link / link dump reply (RTM_NEWLINK).
pub const RTM_NEWLINK: u16 = 16;
/// Link deleted (RTM_DELLINK).
pub const RTM_DELLINK: u16 = 17;
/// Link dump request (RTM_GETLINK).
pub const RTM_GETLINK: u16 = 18;

/// Hardware address (IFLA_ADDRESS).
pub const IFLA_ADDRESS: u16 = 1;
/// Hardware broadcast address (IFLA_BROADCAST).
pub const IFLA_BROADCAST: u16 = 2;
/// Interface name, NUL-terminated (IFLA_IFNAME).
pub const IFLA_IFNAME: u16 = 3;
/// MTU, u32 (IFLA_MTU).
pub const IFLA_MTU: u16 = 4;
/// Underlying / peer link index, u32 (IFLA_LINK).
pub const IFLA_LINK: u16 = 5;
/// Queueing discipline name (IFLA_QDISC).
pub const IFLA_QDISC: u16 = 6;
/// `struct rtnl_link_stats`, 32-bit counters (IFLA_STATS).
pub const IFLA_STATS: u16 = 7;
/// Master device index, u32 (IFLA_MASTER).
pub const IFLA_MASTER: u16 = 10;
/// Transmit queue length, u32 (IFLA_TXQLEN).
pub const IFLA_TXQLEN: u16 = 13;
/// RFC 2863 operational state, u8 (IFLA_OPERSTATE).
pub const IFLA_OPERSTATE: u16 = 16;
/// Link mode, u8 (IFLA_LINKMODE).
pub const IFLA_LINKMODE: u16 = 17;
/// Nested IFLA_INFO_* (IFLA_LINKINFO).
pub const IFLA_LINKINFO: u16 = 18;
/// Interface alias (IFLA_IFALIAS).
pub const IFLA_IFALIAS: u16 = 20;
/// Number of SR-IOV virtual functions (IFLA_NUM_VF).
pub const IFLA_NUM_VF: u16 = 21;
/// `struct rtnl_link_stats64` (IFLA_STATS64).
pub const IFLA_STATS64: u16 = 23;
/// Per-address-family nested data (IFLA_AF_SPEC).
pub const IFLA_AF_SPEC: u16 = 26;
/// Device group, u32 (IFLA_GROUP).
pub const IFLA_GROUP: u16 = 27;
/// Extended info mask in requests, u32 (IFLA_EXT_MASK).
pub const IFLA_EXT_MASK: u16 = 29;
/// Promiscuity count, u32 (IFLA_PROMISCUITY).
pub const IFLA_PROMISCUITY: u16 = 30;
/// Transmit queue count, u32 (IFLA_NUM_TX_QUEUES).
pub const IFLA_NUM_TX_QUEUES: u16 = 31;
/// Receive queue count, u32 (IFLA_NUM_RX_QUEUES).
pub const IFLA_NUM_RX_QUEUES: u16 = 32;
/// Carrier state, u8 (IFLA_CARRIER).
pub const IFLA_CARRIER: u16 = 33;
/// Physical port id (IFLA_PHYS_PORT_ID).
pub const IFLA_PHYS_PORT_ID: u16 = 34;
/// Carrier change count, u32 (IFLA_CARRIER_CHANGES).
pub const IFLA_CARRIER_CHANGES: u16 = 35;
/// Physical switch id (IFLA_PHYS_SWITCH_ID).
pub const IFLA_PHYS_SWITCH_ID: u16 = 36;
/// Namespace id of the peer link, i32 (IFLA_LINK_NETNSID).
pub const IFLA_LINK_NETNSID: u16 = 37;
/// Physical port name (IFLA_PHYS_PORT_NAME).
pub const IFLA_PHYS_PORT_NAME: u16 = 38;
/// Protocol down, u8 (IFLA_PROTO_DOWN).
pub const IFLA_PROTO_DOWN: u16 = 39;
/// GSO segment limit, u32 (IFLA_GSO_MAX_SEGS).
pub const IFLA_GSO_MAX_SEGS: u16 = 40;
/// GSO size limit, u32 (IFLA_GSO_MAX_SIZE).
pub const IFLA_GSO_MAX_SIZE: u16 = 41;
/// Nested XDP state (IFLA_XDP).
pub const IFLA_XDP: u16 = 43;
/// Carrier up count, u32 (IFLA_CARRIER_UP_COUNT).
pub const IFLA_CARRIER_UP_COUNT: u16 = 47;
/// Carrier down count, u32 (IFLA_CARRIER_DOWN_COUNT).
pub const IFLA_CARRIER_DOWN_COUNT: u16 = 48;
/// Minimum MTU, u32 (IFLA_MIN_MTU).
pub const IFLA_MIN_MTU: u16 = 50;
/// Maximum MTU, u32 (IFLA_MAX_MTU).
pub const IFLA_MAX_MTU: u16 = 51;
/// Nested list of IFLA_ALT_IFNAME (IFLA_PROP_LIST).
pub const IFLA_PROP_LIST: u16 = 52;
/// Alternative interface name (IFLA_ALT_IFNAME).
pub const IFLA_ALT_IFNAME: u16 = 53;
/// Permanent hardware address (IFLA_PERM_ADDRESS).
pub const IFLA_PERM_ADDRESS: u16 = 54;
/// Parent device name (IFLA_PARENT_DEV_NAME).
pub const IFLA_PARENT_DEV_NAME: u16 = 56;
/// Parent device bus name (IFLA_PARENT_DEV_BUS_NAME).
pub const IFLA_PARENT_DEV_BUS_NAME: u16 = 57;
/// GRO size limit, u32 (IFLA_GRO_MAX_SIZE).
pub const IFLA_GRO_MAX_SIZE: u16 = 58;
/// TSO size limit, u32 (IFLA_TSO_MAX_SIZE).
pub const IFLA_TSO_MAX_SIZE: u16 = 59;
/// TSO segment limit, u32 (IFLA_TSO_MAX_SEGS).
pub const IFLA_TSO_MAX_SEGS: u16 = 60;
/// Allmulti count, u32 (IFLA_ALLMULTI).
pub const IFLA_ALLMULTI: u16 = 61;
/// One past the highest IFLA_* type nlq indexes.
pub const IFLA_MAX: usize = 62;

/// Link kind, e.g. "veth" (IFLA_INFO_KIND).
pub const IFLA_INFO_KIND: u16 = 1;
/// Kind-specific nested data (IFLA_INFO_DATA).
pub const IFLA_INFO_DATA: u16 = 2;
/// Kind of the master this link is enslaved to (IFLA_INFO_SLAVE_KIND).
pub const IFLA_INFO_SLAVE_KIND: u16 = 4;
/// Master-kind-specific nested data (IFLA_INFO_SLAVE_DATA).
pub const IFLA_INFO_SLAVE_DATA: u16 = 5;

/// Request flag in IFLA_EXT_MASK: skip per-VF stats (RTEXT_FILTER_VF and
/// RTEXT_FILTER_SKIP_STATS are the other bits).
pub const RTEXT_FILTER_VF: u32 = 1 << 0;

mod field {
    use core::ops::Range;
    pub const FAMILY: usize = 0;
    pub const TYPE: Range<usize> = 2..4;
    pub const INDEX: Range<usize> = 4..8;
    pub const FLAGS: Range<usize> = 8..12;
    pub const CHANGE: Range<usize> = 12..16;
}

/// Size of `struct ifinfomsg`.
pub const IFINFOMSG_LEN: usize = field::CHANGE.end;

/// A link message payload: `struct ifinfomsg` then IFLA_* attributes.
#[derive(Debug, Clone, Copy)]
pub struct IfInfoMsg<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> IfInfoMsg<T> {
    /// Wrap a payload nlq built itself.
    pub fn new_unchecked(buffer: T) -> Self {
        IfInfoMsg { buffer }
    }

    /// Wrap an untrusted payload; rejects one shorter than `struct ifinfomsg`.
    pub fn new_checked(buffer: T) -> Result<Self, Error> {
        need("ifinfomsg", buffer.as_ref(), IFINFOMSG_LEN)?;
        Ok(IfInfoMsg { buffer })
    }

    /// Address family, usually AF_UNSPEC (ifi_family).
    pub fn family(&self) -> u8 {
        self.buffer.as_ref()[field::FAMILY]
    }

    /// Hardware type, ARPHRD_* (ifi_type).
    pub fn link_type(&self) -> u16 {
        ne_u16(self.buffer.as_ref(), field::TYPE.start)
    }

    /// Interface index (ifi_index).
    pub fn index(&self) -> u32 {
        ne_u32(self.buffer.as_ref(), field::INDEX.start)
    }

    /// Device flags, IFF_* (ifi_flags).
    pub fn flags(&self) -> u32 {
        ne_u32(self.buffer.as_ref(), field::FLAGS.start)
    }

    /// Change mask (ifi_change).
    pub fn change(&self) -> u32 {
        ne_u32(self.buffer.as_ref(), field::CHANGE.start)
    }

    /// The attribute bytes after the fixed header.
    pub fn attr_bytes(&self) -> &[u8] {
        &self.buffer.as_ref()[IFINFOMSG_LEN..]
    }
}

/// The fields of a `struct ifinfomsg` to put in a request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IfInfoMsgRepr {
    /// ifi_family.
    pub family: u8,
    /// ifi_type.
    pub link_type: u16,
    /// ifi_index.
    pub index: u32,
    /// ifi_flags.
    pub flags: u32,
    /// ifi_change.
    pub change: u32,
}

impl IfInfoMsgRepr {
    /// The header as bytes, in host byte order.
    pub fn emit(&self) -> [u8; IFINFOMSG_LEN] {
        let mut b = [0u8; IFINFOMSG_LEN];
        b[field::FAMILY] = self.family;
        b[field::TYPE].copy_from_slice(&self.link_type.to_ne_bytes());
        b[field::INDEX].copy_from_slice(&self.index.to_ne_bytes());
        b[field::FLAGS].copy_from_slice(&self.flags.to_ne_bytes());
        b[field::CHANGE].copy_from_slice(&self.change.to_ne_bytes());
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rustfmt::skip]
    const LINK: [u8; 16] = [
        0,    // ifi_family = AF_UNSPEC
        0,    // pad
        1, 0, // ifi_type = ARPHRD_ETHER
        2, 0, 0, 0, // ifi_index = 2
        0x43, 0x10, 0x01, 0, // ifi_flags = UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP
        0, 0, 0, 0, // ifi_change
    ];

    #[test]
    fn reads_fields() {
        let m = IfInfoMsg::new_checked(&LINK[..]).unwrap();
        assert_eq!(
            (m.family(), m.link_type(), m.index(), m.flags()),
            (0, 1, 2, 0x11043)
        );
        assert!(m.attr_bytes().is_empty());
    }

    #[test]
    fn rejects_short_payload() {
        assert_eq!(
            IfInfoMsg::new_checked(&LINK[..15]).unwrap_err(),
            Error::Truncated {
                what: "ifinfomsg",
                need: 16,
                have: 15
            }
        );
    }

    #[test]
    fn emit_round_trips() {
        let b = IfInfoMsgRepr {
            index: 9,
            flags: 1,
            ..Default::default()
        }
        .emit();
        let v = IfInfoMsg::new_checked(&b[..]).unwrap();
        assert_eq!((v.index(), v.flags()), (9, 1));
    }
}
