//! `struct ifaddrlblmsg`: the IPv6 address label message header
//! (RTM_NEWADDRLABEL / RTM_GETADDRLABEL) and the IFAL_* attribute types of
//! linux/if_addrlabel.h. Labels are RFC 6724's policy table: source and
//! destination address selection prefer pairs with equal labels.
//!
//! ```text
//!  0        1          2           3       4           8           12
//!  +--------+----------+-----------+-------+-----------+-----------+
//!  | family | reserved | prefixlen | flags |   index   |    seq    |
//!  +--------+----------+-----------+-------+-----------+-----------+
//! ```
//!
//! `index` is the interface the label is bound to (0: any), `seq` the
//! policy table's generation, which the kernel uses to detect a table
//! changed between a dump's messages.

use super::{Error, ne_u32, need};

/// New address label / dump reply (RTM_NEWADDRLABEL).
pub const RTM_NEWADDRLABEL: u16 = 72;
/// Address label deleted (RTM_DELADDRLABEL).
pub const RTM_DELADDRLABEL: u16 = 73;
/// Address label request or dump (RTM_GETADDRLABEL).
pub const RTM_GETADDRLABEL: u16 = 74;

/// The prefix, an IPv6 address (IFAL_ADDRESS).
pub const IFAL_ADDRESS: u16 = 1;
/// The label, u32 (IFAL_LABEL).
pub const IFAL_LABEL: u16 = 2;
/// One past the highest IFAL_* type nlq indexes.
pub const IFAL_MAX: usize = 3;

mod field {
    pub const FAMILY: usize = 0;
    pub const RESERVED: usize = 1;
    pub const PREFIXLEN: usize = 2;
    pub const FLAGS: usize = 3;
    pub const INDEX: core::ops::Range<usize> = 4..8;
    pub const SEQ: core::ops::Range<usize> = 8..12;
}

/// Size of `struct ifaddrlblmsg`.
pub const IFADDRLBLMSG_LEN: usize = field::SEQ.end;

/// An address label message payload: `struct ifaddrlblmsg` then IFAL_*
/// attributes.
#[derive(Debug, Clone, Copy)]
pub struct IfAddrLblMsg<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> IfAddrLblMsg<T> {
    /// Wrap a payload nlq built itself.
    pub fn new_unchecked(buffer: T) -> Self {
        IfAddrLblMsg { buffer }
    }

    /// Wrap an untrusted payload; rejects one shorter than the struct.
    pub fn new_checked(buffer: T) -> Result<Self, Error> {
        need("ifaddrlblmsg", buffer.as_ref(), IFADDRLBLMSG_LEN)?;
        Ok(IfAddrLblMsg { buffer })
    }

    /// Address family, AF_INET6 (ifal_family).
    pub fn family(&self) -> u8 {
        self.buffer.as_ref()[field::FAMILY]
    }

    /// Prefix length, in bits (ifal_prefixlen).
    pub fn prefixlen(&self) -> u8 {
        self.buffer.as_ref()[field::PREFIXLEN]
    }

    /// Flags, none defined (ifal_flags).
    pub fn flags(&self) -> u8 {
        self.buffer.as_ref()[field::FLAGS]
    }

    /// Interface the label is bound to, 0 for any (ifal_index).
    pub fn index(&self) -> u32 {
        ne_u32(self.buffer.as_ref(), field::INDEX.start)
    }

    /// Generation of the policy table (ifal_seq).
    pub fn seq(&self) -> u32 {
        ne_u32(self.buffer.as_ref(), field::SEQ.start)
    }

    /// The attribute bytes after the fixed header.
    pub fn attr_bytes(&self) -> &[u8] {
        &self.buffer.as_ref()[IFADDRLBLMSG_LEN..]
    }
}

/// The header of a dump request: the family alone, as the kernel rejects
/// a dump request with any other field set under strict checking
/// (`ip6addrlbl_valid_dump_req`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IfAddrLblMsgRepr {
    /// ifal_family.
    pub family: u8,
}

impl IfAddrLblMsgRepr {
    /// The header as bytes; everything but the family is zero.
    pub fn emit(&self) -> [u8; IFADDRLBLMSG_LEN] {
        let mut b = [0u8; IFADDRLBLMSG_LEN];
        b[field::FAMILY] = self.family;
        b[field::RESERVED] = 0;
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rustfmt::skip]
    const LABEL: [u8; 12] = [
        10,          // ifal_family = AF_INET6
        0,           // __ifal_reserved
        48,          // ifal_prefixlen = 48
        0,           // ifal_flags
        3, 0, 0, 0,  // ifal_index = 3
        7, 0, 0, 0,  // ifal_seq = 7
    ];

    #[test]
    fn reads_fields() {
        let m = IfAddrLblMsg::new_checked(&LABEL[..]).unwrap();
        assert_eq!(
            (m.family(), m.prefixlen(), m.flags(), m.index(), m.seq()),
            (10, 48, 0, 3, 7)
        );
        assert!(m.attr_bytes().is_empty());
    }

    #[test]
    fn rejects_short_payload() {
        assert_eq!(
            IfAddrLblMsg::new_checked(&LABEL[..11]).unwrap_err(),
            Error::Truncated {
                what: "ifaddrlblmsg",
                need: 12,
                have: 11
            }
        );
    }

    #[test]
    fn emit_sets_only_the_family() {
        let mut want = [0u8; 12];
        want[0] = 10;
        assert_eq!(IfAddrLblMsgRepr { family: 10 }.emit(), want);
    }
}
