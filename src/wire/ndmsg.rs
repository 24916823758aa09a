//! `struct ndmsg`: the neighbour message header (RTM_NEWNEIGH /
//! RTM_GETNEIGH), the NDA_* attribute types, the NUD_* states, the NTF_*
//! flags and `struct nda_cacheinfo`, all of linux/neighbour.h.
//!
//! ```text
//!  0        1       2       4           8        10      11      12
//!  +--------+-------+-------+-----------+--------+-------+-------+
//!  | family | pad1  | pad2  |  ifindex  | state  | flags | type  |
//!  +--------+-------+-------+-----------+--------+-------+-------+
//! ```
//!
//! `state` is a bit set of NUD_* (16 bits, only the low 8 defined),
//! `flags` of NTF_*, `type` a route type (RTN_UNICAST, RTN_MULTICAST, ...)
//! of the destination address.

use super::{Error, ne_u16, ne_u32, need};

/// New neighbour / neighbour dump reply (RTM_NEWNEIGH).
pub const RTM_NEWNEIGH: u16 = 28;
/// Neighbour deleted (RTM_DELNEIGH).
pub const RTM_DELNEIGH: u16 = 29;
/// Neighbour dump request (RTM_GETNEIGH).
pub const RTM_GETNEIGH: u16 = 30;

/// Network-layer address of the neighbour (NDA_DST).
pub const NDA_DST: u16 = 1;
/// Link-layer address (NDA_LLADDR).
pub const NDA_LLADDR: u16 = 2;
/// `struct nda_cacheinfo`: ages and reference count (NDA_CACHEINFO).
pub const NDA_CACHEINFO: u16 = 3;
/// Probes sent since the last confirmation, u32 (NDA_PROBES).
pub const NDA_PROBES: u16 = 4;
/// VLAN id of a bridge FDB entry, u16 (NDA_VLAN).
pub const NDA_VLAN: u16 = 5;
/// UDP destination port of a VXLAN FDB entry, u16 network order (NDA_PORT).
pub const NDA_PORT: u16 = 6;
/// VXLAN network identifier of an FDB entry, u32 (NDA_VNI).
pub const NDA_VNI: u16 = 7;
/// Interface index: a dump filter in requests, the outgoing device of a
/// VXLAN FDB entry in replies, u32 (NDA_IFINDEX).
pub const NDA_IFINDEX: u16 = 8;
/// Master device index: a dump filter in requests, u32 (NDA_MASTER).
pub const NDA_MASTER: u16 = 9;
/// Network namespace id of the device, s32 (NDA_LINK_NETNSID).
pub const NDA_LINK_NETNSID: u16 = 10;
/// Source VNI of a VXLAN FDB entry, u32 (NDA_SRC_VNI).
pub const NDA_SRC_VNI: u16 = 11;
/// Who added the entry, an RTPROT_* value, u8 (NDA_PROTOCOL).
pub const NDA_PROTOCOL: u16 = 12;
/// Nexthop id of an FDB entry, u32 (NDA_NH_ID).
pub const NDA_NH_ID: u16 = 13;
/// Nested bridge FDB extra attributes (NDA_FDB_EXT_ATTRS).
pub const NDA_FDB_EXT_ATTRS: u16 = 14;
/// Extended flags, NTF_EXT_*, u32 (NDA_FLAGS_EXT).
pub const NDA_FLAGS_EXT: u16 = 15;
/// One past the highest NDA_* type nlq indexes.
pub const NDA_MAX: usize = 16;

/// Resolution in progress (NUD_INCOMPLETE).
pub const NUD_INCOMPLETE: u16 = 0x01;
/// Confirmed reachable recently (NUD_REACHABLE).
pub const NUD_REACHABLE: u16 = 0x02;
/// Valid but unconfirmed (NUD_STALE).
pub const NUD_STALE: u16 = 0x04;
/// Waiting before the first probe (NUD_DELAY).
pub const NUD_DELAY: u16 = 0x08;
/// Probing (NUD_PROBE).
pub const NUD_PROBE: u16 = 0x10;
/// Resolution failed (NUD_FAILED).
pub const NUD_FAILED: u16 = 0x20;
/// No resolution needed, pseudo-state (NUD_NOARP).
pub const NUD_NOARP: u16 = 0x40;
/// Static entry, pseudo-state (NUD_PERMANENT).
pub const NUD_PERMANENT: u16 = 0x80;
/// No state (NUD_NONE).
pub const NUD_NONE: u16 = 0x00;

/// Refresh the entry: requests only (NTF_USE).
pub const NTF_USE: u8 = 1 << 0;
/// Bridge FDB: the device's own table (NTF_SELF).
pub const NTF_SELF: u8 = 1 << 1;
/// Bridge FDB: the master's table (NTF_MASTER).
pub const NTF_MASTER: u8 = 1 << 2;
/// A proxy entry; in a dump request, dump the proxy table (NTF_PROXY).
pub const NTF_PROXY: u8 = 1 << 3;
/// Learned by an external control plane (NTF_EXT_LEARNED).
pub const NTF_EXT_LEARNED: u8 = 1 << 4;
/// Offloaded to hardware (NTF_OFFLOADED).
pub const NTF_OFFLOADED: u8 = 1 << 5;
/// Bridge FDB: cannot move to another port (NTF_STICKY).
pub const NTF_STICKY: u8 = 1 << 6;
/// The neighbour is an IPv6 router (NTF_ROUTER).
pub const NTF_ROUTER: u8 = 1 << 7;
/// Extended flag in NDA_FLAGS_EXT: kept reachable by the kernel on behalf
/// of a control plane (NTF_EXT_MANAGED).
pub const NTF_EXT_MANAGED: u32 = 1 << 0;

/// Size of `struct nda_cacheinfo` (four u32).
pub const NDA_CACHEINFO_LEN: usize = 16;

/// The unit of `struct nda_cacheinfo`'s ages: the kernel converts jiffies
/// with `jiffies_to_clock_t`, so they count USER_HZ ticks, 100 a second on
/// every architecture nlq builds for (what `sysconf(_SC_CLK_TCK)`, and so
/// `ip`'s `get_user_hz`, returns).
pub const USER_HZ: u32 = 100;

mod field {
    pub const FAMILY: usize = 0;
    pub const PAD1: usize = 1;
    pub const PAD2: core::ops::Range<usize> = 2..4;
    pub const IFINDEX: core::ops::Range<usize> = 4..8;
    pub const STATE: core::ops::Range<usize> = 8..10;
    pub const FLAGS: usize = 10;
    pub const TYPE: usize = 11;

    /// `struct nda_cacheinfo`, offsets inside the attribute payload.
    pub mod ci {
        pub const CONFIRMED: usize = 0;
        pub const USED: usize = 4;
        pub const UPDATED: usize = 8;
        pub const REFCNT: usize = 12;
    }
}

/// Size of `struct ndmsg`.
pub const NDMSG_LEN: usize = field::TYPE + 1;

/// A neighbour message payload: `struct ndmsg` then NDA_* attributes.
#[derive(Debug, Clone, Copy)]
pub struct NdMsg<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> NdMsg<T> {
    /// Wrap a payload nlq built itself.
    pub fn new_unchecked(buffer: T) -> Self {
        NdMsg { buffer }
    }

    /// Wrap an untrusted payload; rejects one shorter than `struct ndmsg`.
    pub fn new_checked(buffer: T) -> Result<Self, Error> {
        need("ndmsg", buffer.as_ref(), NDMSG_LEN)?;
        Ok(NdMsg { buffer })
    }

    /// Address family, AF_INET / AF_INET6 / AF_BRIDGE (ndm_family).
    pub fn family(&self) -> u8 {
        self.buffer.as_ref()[field::FAMILY]
    }

    /// Interface index (ndm_ifindex, an `__s32` the kernel keeps positive).
    pub fn ifindex(&self) -> u32 {
        ne_u32(self.buffer.as_ref(), field::IFINDEX.start)
    }

    /// State, a bit set of NUD_* (ndm_state).
    pub fn state(&self) -> u16 {
        ne_u16(self.buffer.as_ref(), field::STATE.start)
    }

    /// Flags, a bit set of NTF_* (ndm_flags).
    pub fn flags(&self) -> u8 {
        self.buffer.as_ref()[field::FLAGS]
    }

    /// Route type of the destination, RTN_* (ndm_type).
    pub fn kind(&self) -> u8 {
        self.buffer.as_ref()[field::TYPE]
    }

    /// The attribute bytes after the fixed header.
    pub fn attr_bytes(&self) -> &[u8] {
        &self.buffer.as_ref()[NDMSG_LEN..]
    }
}

/// The fields of a `struct ndmsg` to put in a request. Under strict
/// checking the kernel rejects a dump request with anything but the family
/// and NTF_PROXY set (`neigh_valid_dump_req`), so there is no ifindex here:
/// dump filters travel as NDA_IFINDEX / NDA_MASTER.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NdMsgRepr {
    /// ndm_family.
    pub family: u8,
    /// ndm_flags: NTF_PROXY dumps the proxy table.
    pub flags: u8,
}

impl NdMsgRepr {
    /// The header as bytes, in host byte order; the pads, ifindex, state
    /// and type are zero.
    pub fn emit(&self) -> [u8; NDMSG_LEN] {
        let mut b = [0u8; NDMSG_LEN];
        b[field::FAMILY] = self.family;
        b[field::PAD1] = 0;
        b[field::PAD2].fill(0);
        b[field::FLAGS] = self.flags;
        b
    }

    /// [`NdMsgRepr::emit`] with `ndm_ifindex` set: the header of a lookup
    /// (RTM_GETNEIGH without NLM_F_DUMP) names the entry's device there.
    pub fn emit_with_ifindex(&self, ifindex: u32) -> [u8; NDMSG_LEN] {
        let mut b = self.emit();
        b[field::IFINDEX].copy_from_slice(&ifindex.to_ne_bytes());
        b
    }
}

/// `struct nda_cacheinfo` (NDA_CACHEINFO): ages in USER_HZ ticks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NdaCacheInfo {
    /// Ticks since the entry was last confirmed reachable (ndm_confirmed).
    pub confirmed: u32,
    /// Ticks since the entry was last used (ndm_used).
    pub used: u32,
    /// Ticks since the entry last changed (ndm_updated).
    pub updated: u32,
    /// References held, minus the table's own (ndm_refcnt).
    pub refcnt: u32,
}

impl NdaCacheInfo {
    /// Read an attribute payload; rejects one that is not exactly
    /// `struct nda_cacheinfo` long.
    pub fn parse(payload: &[u8]) -> Result<NdaCacheInfo, Error> {
        if payload.len() != NDA_CACHEINFO_LEN {
            return Err(Error::AttrSize {
                kind: NDA_CACHEINFO,
                len: payload.len(),
                expected: NDA_CACHEINFO_LEN,
            });
        }
        Ok(NdaCacheInfo {
            confirmed: ne_u32(payload, field::ci::CONFIRMED),
            used: ne_u32(payload, field::ci::USED),
            updated: ne_u32(payload, field::ci::UPDATED),
            refcnt: ne_u32(payload, field::ci::REFCNT),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rustfmt::skip]
    const NEIGH: [u8; 12] = [
        10,          // ndm_family = AF_INET6
        0,           // ndm_pad1
        0, 0,        // ndm_pad2
        3, 0, 0, 0,  // ndm_ifindex = 3
        0x80, 0,     // ndm_state = NUD_PERMANENT
        0x80,        // ndm_flags = NTF_ROUTER
        1,           // ndm_type = RTN_UNICAST
    ];

    #[test]
    fn reads_fields() {
        let m = NdMsg::new_checked(&NEIGH[..]).unwrap();
        assert_eq!(
            (m.family(), m.ifindex(), m.state(), m.flags(), m.kind()),
            (10, 3, NUD_PERMANENT, NTF_ROUTER, 1)
        );
        assert!(m.attr_bytes().is_empty());
    }

    #[test]
    fn state_is_sixteen_bits() {
        let mut b = NEIGH;
        b[8..10].copy_from_slice(&0x0104u16.to_ne_bytes()); // STALE + bit 8
        assert_eq!(NdMsg::new_checked(&b[..]).unwrap().state(), 0x0104);
    }

    #[test]
    fn rejects_short_payload() {
        assert_eq!(
            NdMsg::new_checked(&NEIGH[..11]).unwrap_err(),
            Error::Truncated {
                what: "ndmsg",
                need: 12,
                have: 11
            }
        );
    }

    #[test]
    fn attributes_follow_the_header() {
        let mut b = NEIGH.to_vec();
        b.extend_from_slice(&[8, 0, 1, 0, 10, 0, 0, 1]); // NDA_DST = 10.0.0.1
        let m = NdMsg::new_checked(&b[..]).unwrap();
        assert_eq!(m.attr_bytes(), &[8, 0, 1, 0, 10, 0, 0, 1]);
    }

    #[test]
    fn emit_sets_only_family_and_flags() {
        let b = NdMsgRepr {
            family: 2,
            flags: NTF_PROXY,
        }
        .emit();
        #[rustfmt::skip]
        assert_eq!(b, [
            2,          // ndm_family = AF_INET
            0, 0, 0,    // pads
            0, 0, 0, 0, // ndm_ifindex: must be 0 under strict checking
            0, 0,       // ndm_state
            0x08,       // ndm_flags = NTF_PROXY
            0,          // ndm_type
        ]);
        let v = NdMsg::new_checked(&b[..]).unwrap();
        assert_eq!((v.family(), v.flags()), (2, NTF_PROXY));
    }

    #[test]
    fn cacheinfo_fields_in_kernel_order() {
        #[rustfmt::skip]
        let ci = [
            100, 0, 0, 0,   // ndm_confirmed = 100 ticks
            50, 0, 0, 0,    // ndm_used = 50 ticks
            0x10, 0x27, 0, 0, // ndm_updated = 10000 ticks
            2, 0, 0, 0,     // ndm_refcnt = 2
        ];
        assert_eq!(
            NdaCacheInfo::parse(&ci),
            Ok(NdaCacheInfo {
                confirmed: 100,
                used: 50,
                updated: 10_000,
                refcnt: 2
            })
        );
        assert_eq!(
            NdaCacheInfo::parse(&ci[..12]),
            Err(Error::AttrSize {
                kind: NDA_CACHEINFO,
                len: 12,
                expected: 16
            })
        );
        assert!(NdaCacheInfo::parse(&[0; 20]).is_err());
    }
}
