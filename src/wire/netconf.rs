//! `struct netconfmsg`: the per-device configuration message header
//! (RTM_NEWNETCONF / RTM_GETNETCONF) and the NETCONFA_* attribute types of
//! linux/netconf.h.
//!
//! ```text
//!  0        1                  4
//!  +--------+------------------+
//!  | family | (pad to 4 bytes) |  then NETCONFA_* attributes
//!  +--------+------------------+
//! ```
//!
//! The struct is one byte long; attributes start at NLMSG_ALIGN(1) = 4
//! (`nlmsg_attrdata`), so a reply without attributes may be a single byte.

use super::{Error, align4, need};

/// Device configuration / dump reply (RTM_NEWNETCONF).
pub const RTM_NEWNETCONF: u16 = 80;
/// Device configuration gone (RTM_DELNETCONF).
pub const RTM_DELNETCONF: u16 = 81;
/// Device configuration request or dump (RTM_GETNETCONF).
pub const RTM_GETNETCONF: u16 = 82;

/// Interface index, s32: a device, or the `all` / `default` pseudo-devices
/// (NETCONFA_IFINDEX).
pub const NETCONFA_IFINDEX: u16 = 1;
/// IP forwarding, s32 (NETCONFA_FORWARDING).
pub const NETCONFA_FORWARDING: u16 = 2;
/// Reverse path filter: 0 off, 1 strict, 2 loose, s32 (NETCONFA_RP_FILTER).
pub const NETCONFA_RP_FILTER: u16 = 3;
/// Multicast forwarding, s32 (NETCONFA_MC_FORWARDING).
pub const NETCONFA_MC_FORWARDING: u16 = 4;
/// Proxy ARP / NDP, s32 (NETCONFA_PROXY_NEIGH).
pub const NETCONFA_PROXY_NEIGH: u16 = 5;
/// Ignore routes whose device has no carrier, s32
/// (NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN).
pub const NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN: u16 = 6;
/// MPLS input enabled, s32 (NETCONFA_INPUT).
pub const NETCONFA_INPUT: u16 = 7;
/// Directed broadcast forwarding, s32 (NETCONFA_BC_FORWARDING).
pub const NETCONFA_BC_FORWARDING: u16 = 8;
/// One past the highest NETCONFA_* type nlq indexes.
pub const NETCONFA_MAX: usize = 9;

/// NETCONFA_IFINDEX of the `all` pseudo-device (NETCONFA_IFINDEX_ALL).
pub const NETCONFA_IFINDEX_ALL: i32 = -1;
/// NETCONFA_IFINDEX of the `default` pseudo-device
/// (NETCONFA_IFINDEX_DEFAULT).
pub const NETCONFA_IFINDEX_DEFAULT: i32 = -2;

mod field {
    pub const FAMILY: usize = 0;
}

/// Size of `struct netconfmsg`.
pub const NETCONFMSG_LEN: usize = field::FAMILY + 1;

/// Where the attributes begin: the struct padded to NLMSG_ALIGNTO.
pub const NETCONFMSG_SPACE: usize = align4(NETCONFMSG_LEN);

/// A netconf message payload: `struct netconfmsg` then NETCONFA_*
/// attributes.
#[derive(Debug, Clone, Copy)]
pub struct NetconfMsg<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> NetconfMsg<T> {
    /// Wrap a payload nlq built itself.
    pub fn new_unchecked(buffer: T) -> Self {
        NetconfMsg { buffer }
    }

    /// Wrap an untrusted payload; rejects an empty one.
    pub fn new_checked(buffer: T) -> Result<Self, Error> {
        need("netconfmsg", buffer.as_ref(), NETCONFMSG_LEN)?;
        Ok(NetconfMsg { buffer })
    }

    /// Address family, AF_INET / AF_INET6 / AF_MPLS (ncm_family).
    pub fn family(&self) -> u8 {
        self.buffer.as_ref()[field::FAMILY]
    }

    /// The attribute bytes after the padded header; empty when the
    /// payload ends inside the padding.
    pub fn attr_bytes(&self) -> &[u8] {
        self.buffer.as_ref().get(NETCONFMSG_SPACE..).unwrap_or(&[])
    }
}

/// The header of a request: the family, padded to 4 bytes as iproute2
/// sends it (`rtnl_netconfdump_req`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NetconfMsgRepr {
    /// ncm_family; AF_UNSPEC dumps every family that has netconf.
    pub family: u8,
}

impl NetconfMsgRepr {
    /// The header as bytes, padding zeroed.
    pub fn emit(&self) -> [u8; NETCONFMSG_SPACE] {
        let mut b = [0u8; NETCONFMSG_SPACE];
        b[field::FAMILY] = self.family;
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rustfmt::skip]
    const MSG: [u8; 12] = [
        2,             // ncm_family = AF_INET
        0, 0, 0,       // pad to NLMSG_ALIGNTO
        8, 0, 1, 0,    // rta_len = 8, rta_type = NETCONFA_IFINDEX
        0xff, 0xff, 0xff, 0xff, // -1 = NETCONFA_IFINDEX_ALL
    ];

    #[test]
    fn reads_family_and_attributes() {
        let m = NetconfMsg::new_checked(&MSG[..]).unwrap();
        assert_eq!(m.family(), 2);
        assert_eq!(m.attr_bytes(), &MSG[4..]);
    }

    #[test]
    fn a_lone_family_byte_has_no_attributes() {
        let m = NetconfMsg::new_checked(&MSG[..1]).unwrap();
        assert_eq!(m.family(), 2);
        assert!(m.attr_bytes().is_empty());
        let m = NetconfMsg::new_checked(&MSG[..3]).unwrap();
        assert!(m.attr_bytes().is_empty(), "ends inside the padding");
    }

    #[test]
    fn rejects_empty_payload() {
        assert_eq!(
            NetconfMsg::new_checked(&MSG[..0]).unwrap_err(),
            Error::Truncated {
                what: "netconfmsg",
                need: 1,
                have: 0
            }
        );
    }

    #[test]
    fn emit_pads_the_family() {
        assert_eq!(NetconfMsgRepr { family: 10 }.emit(), [10, 0, 0, 0]);
    }
}
