//! `struct ifaddrmsg`: the address message header (RTM_NEWADDR /
//! RTM_GETADDR) and the IFA_* attribute types of linux/if_addr.h.
//!
//! ```text
//!  0        1           2       3       4                8
//!  +--------+-----------+-------+-------+----------------+
//!  | family | prefixlen | flags | scope |     index      |
//!  +--------+-----------+-------+-------+----------------+
//! ```

use super::{Error, ne_u32, need};

/// New address / address dump reply (RTM_NEWADDR).
pub const RTM_NEWADDR: u16 = 20;
/// Address deleted (RTM_DELADDR).
pub const RTM_DELADDR: u16 = 21;
/// Address dump request (RTM_GETADDR).
pub const RTM_GETADDR: u16 = 22;

/// Peer address on point-to-point links, else the local address (IFA_ADDRESS).
pub const IFA_ADDRESS: u16 = 1;
/// Local address (IFA_LOCAL).
pub const IFA_LOCAL: u16 = 2;
/// Label, IPv4 only (IFA_LABEL).
pub const IFA_LABEL: u16 = 3;
/// Broadcast address (IFA_BROADCAST).
pub const IFA_BROADCAST: u16 = 4;
/// Anycast address (IFA_ANYCAST).
pub const IFA_ANYCAST: u16 = 5;
/// `struct ifa_cacheinfo`: lifetimes and timestamps (IFA_CACHEINFO).
pub const IFA_CACHEINFO: u16 = 6;
/// Multicast address (IFA_MULTICAST).
pub const IFA_MULTICAST: u16 = 7;
/// 32-bit flags, supersedes ifa_flags (IFA_FLAGS).
pub const IFA_FLAGS: u16 = 8;
/// Route priority for the prefix route (IFA_RT_PRIORITY).
pub const IFA_RT_PRIORITY: u16 = 9;
/// Target network namespace id (IFA_TARGET_NETNSID).
pub const IFA_TARGET_NETNSID: u16 = 10;
/// IPv6 address protocol (IFA_PROTO).
pub const IFA_PROTO: u16 = 11;
/// One past the highest IFA_* type nlq indexes.
pub const IFA_MAX: usize = 12;

mod field {
    pub const FAMILY: usize = 0;
    pub const PREFIXLEN: usize = 1;
    pub const FLAGS: usize = 2;
    pub const SCOPE: usize = 3;
    pub const INDEX: core::ops::Range<usize> = 4..8;
}

/// Size of `struct ifaddrmsg`.
pub const IFADDRMSG_LEN: usize = field::INDEX.end;

/// An address message payload: `struct ifaddrmsg` then IFA_* attributes.
#[derive(Debug, Clone, Copy)]
pub struct IfAddrMsg<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> IfAddrMsg<T> {
    /// Wrap a payload nlq built itself.
    pub fn new_unchecked(buffer: T) -> Self {
        IfAddrMsg { buffer }
    }

    /// Wrap an untrusted payload; rejects one shorter than `struct ifaddrmsg`.
    pub fn new_checked(buffer: T) -> Result<Self, Error> {
        need("ifaddrmsg", buffer.as_ref(), IFADDRMSG_LEN)?;
        Ok(IfAddrMsg { buffer })
    }

    /// Address family (ifa_family).
    pub fn family(&self) -> u8 {
        self.buffer.as_ref()[field::FAMILY]
    }

    /// Prefix length, in bits (ifa_prefixlen).
    pub fn prefix_len(&self) -> u8 {
        self.buffer.as_ref()[field::PREFIXLEN]
    }

    /// The low 8 flag bits, IFA_F_* (ifa_flags); IFA_FLAGS has all 32.
    pub fn flags(&self) -> u8 {
        self.buffer.as_ref()[field::FLAGS]
    }

    /// Scope, RT_SCOPE_* (ifa_scope).
    pub fn scope(&self) -> u8 {
        self.buffer.as_ref()[field::SCOPE]
    }

    /// Interface index (ifa_index).
    pub fn index(&self) -> u32 {
        ne_u32(self.buffer.as_ref(), field::INDEX.start)
    }

    /// The attribute bytes after the fixed header.
    pub fn attr_bytes(&self) -> &[u8] {
        &self.buffer.as_ref()[IFADDRMSG_LEN..]
    }
}

/// The fields of a `struct ifaddrmsg` to put in a request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IfAddrMsgRepr {
    /// ifa_family.
    pub family: u8,
    /// ifa_prefixlen.
    pub prefix_len: u8,
    /// ifa_flags.
    pub flags: u8,
    /// ifa_scope.
    pub scope: u8,
    /// ifa_index.
    pub index: u32,
}

impl IfAddrMsgRepr {
    /// The header as bytes, in host byte order.
    pub fn emit(&self) -> [u8; IFADDRMSG_LEN] {
        let mut b = [0u8; IFADDRMSG_LEN];
        b[field::FAMILY] = self.family;
        b[field::PREFIXLEN] = self.prefix_len;
        b[field::FLAGS] = self.flags;
        b[field::SCOPE] = self.scope;
        b[field::INDEX].copy_from_slice(&self.index.to_ne_bytes());
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rustfmt::skip]
    const ADDR: [u8; 8] = [
        10,  // ifa_family = AF_INET6
        64,  // ifa_prefixlen
        0x80, // ifa_flags = IFA_F_PERMANENT
        253, // ifa_scope = link
        3, 0, 0, 0, // ifa_index = 3
    ];

    #[test]
    fn reads_fields() {
        let m = IfAddrMsg::new_checked(&ADDR[..]).unwrap();
        assert_eq!(
            (m.family(), m.prefix_len(), m.flags(), m.scope(), m.index()),
            (10, 64, 0x80, 253, 3)
        );
        assert!(m.attr_bytes().is_empty());
    }

    #[test]
    fn rejects_short_payload() {
        assert_eq!(
            IfAddrMsg::new_checked(&ADDR[..7]).unwrap_err(),
            Error::Truncated {
                what: "ifaddrmsg",
                need: 8,
                have: 7
            }
        );
    }

    #[test]
    fn emit_round_trips() {
        let b = IfAddrMsgRepr {
            family: 2,
            index: 7,
            ..Default::default()
        }
        .emit();
        let v = IfAddrMsg::new_checked(&b[..]).unwrap();
        assert_eq!((v.family(), v.index()), (2, 7));
    }
}
