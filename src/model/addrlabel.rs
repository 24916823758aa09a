//! IPv6 address labels (`ip addrlabel`): [`AddrLabel`], decoded from one
//! RTM_NEWADDRLABEL message: a prefix, optionally bound to one interface,
//! and the label RFC 6724 address selection gives addresses inside it.
//!
//! The attributes are indexed first (first occurrence wins); unknown types
//! are skipped and one of the wrong size is dropped on its own.

use std::net::IpAddr;

use crate::wire::Error as WireError;
use crate::wire::addrlabel::*;
use crate::wire::attr::AttrIndex;
use crate::wire::nlmsg::NlMsg;

/// One entry of the address label policy table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AddrLabel {
    /// Address family, AF_INET6 (ifal_family).
    pub family: u8,
    /// Prefix length, in bits (ifal_prefixlen).
    pub prefixlen: u8,
    /// Flags, none defined yet (ifal_flags).
    pub flags: u8,
    /// Interface the entry is bound to; 0 for every interface (ifal_index).
    pub ifindex: u32,
    /// Generation of the table when this entry was sent (ifal_seq).
    pub seq: u32,
    /// The prefix's address (IFAL_ADDRESS).
    pub address: Option<IpAddr>,
    /// The label (IFAL_LABEL).
    pub label: Option<u32>,
}

impl AddrLabel {
    /// Decode an RTM_NEWADDRLABEL message: `Ok(None)` for any other message
    /// type, an error for a payload too short for `struct ifaddrlblmsg`.
    pub fn try_from_msg(msg: &NlMsg<&[u8]>) -> Result<Option<AddrLabel>, WireError> {
        if msg.kind() != RTM_NEWADDRLABEL {
            return Ok(None);
        }
        let hdr = IfAddrLblMsg::new_checked(msg.payload())?;
        Ok(Some(AddrLabel::decode(&hdr)))
    }

    /// [`AddrLabel::try_from_msg`] for callers that skip what they cannot
    /// read: `None` for another message type and for a malformed one alike.
    pub fn from_msg(msg: &NlMsg<&[u8]>) -> Option<AddrLabel> {
        Self::try_from_msg(msg).ok().flatten()
    }

    /// Decode a checked `ifaddrlblmsg` and its attributes. Never panics.
    pub fn decode<T: AsRef<[u8]>>(hdr: &IfAddrLblMsg<T>) -> AddrLabel {
        let tb = AttrIndex::<IFAL_MAX>::parse(hdr.attr_bytes());
        let family = hdr.family();
        AddrLabel {
            family,
            prefixlen: hdr.prefixlen(),
            flags: hdr.flags(),
            ifindex: hdr.index(),
            seq: hdr.seq(),
            address: tb.get(IFAL_ADDRESS).and_then(|a| a.ip(family).ok()),
            label: tb.get(IFAL_LABEL).and_then(|a| a.u32().ok()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rustfmt::skip]
    const MSG: [u8; 12 + 20 + 8] = [
        10, 0, 96, 0,             // AF_INET6, reserved, prefixlen 96, flags
        0, 0, 0, 0,               // ifal_index = 0: any interface
        1, 0, 0, 0,               // ifal_seq = 1
        20, 0, 1, 0,              // rta_len = 20, IFAL_ADDRESS
        0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0xff, 0xff, 0, 0, 0, 0, // ::ffff:0.0.0.0
        8, 0, 2, 0, 4, 0, 0, 0,   // IFAL_LABEL = 4
    ];

    #[test]
    fn decodes_prefix_and_label() {
        let l = AddrLabel::decode(&IfAddrLblMsg::new_checked(&MSG[..]).unwrap());
        assert_eq!(l.address, Some("::ffff:0.0.0.0".parse().unwrap()));
        assert_eq!(
            (l.prefixlen, l.ifindex, l.label, l.seq),
            (96, 0, Some(4), 1)
        );
    }

    #[test]
    fn a_bad_label_size_spoils_the_label_only() {
        let mut b = MSG;
        b[32] = 6; // IFAL_LABEL of 2 bytes
        let l = AddrLabel::decode(&IfAddrLblMsg::new_checked(&b[..]).unwrap());
        assert_eq!(l.label, None);
        assert!(l.address.is_some());
    }

    #[test]
    fn an_ipv4_sized_address_in_ipv6_is_dropped() {
        let mut b = MSG[..12].to_vec();
        b.extend_from_slice(&[8, 0, 1, 0, 10, 0, 0, 1]); // 4-byte IFAL_ADDRESS
        let l = AddrLabel::decode(&IfAddrLblMsg::new_checked(&b[..]).unwrap());
        assert_eq!(l.address, None);
    }
}
