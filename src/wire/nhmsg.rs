//! `struct nhmsg`: the nexthop object message header (RTM_NEWNEXTHOP /
//! RTM_GETNEXTHOP), the NHA_* and NHA_RES_GROUP_* attribute types, and
//! the `struct nexthop_grp` entries of NHA_GROUP (linux/nexthop.h).
//!
//! ```text
//!  0        1       2          3       4                8
//!  +--------+-------+----------+-------+----------------+
//!  | family | scope | protocol | resvd |     flags      |
//!  +--------+-------+----------+-------+----------------+
//! ```
//!
//! A group's NHA_GROUP payload is an array of 8-byte entries:
//!
//! ```text
//!  0                4        5             6          8
//!  +----------------+--------+-------------+----------+
//!  |       id       | weight | weight_high |  resvd2  |
//!  +----------------+--------+-------------+----------+
//! ```
//!
//! The weight is stored minus one. `weight_high` was `resvd1` (always 0)
//! until Linux 6.12 widened weights to 16 bits; reading it is right on
//! every kernel.

use super::{Error, ne_u32, need};

/// New nexthop / nexthop dump reply (RTM_NEWNEXTHOP, linux/rtnetlink.h).
pub const RTM_NEWNEXTHOP: u16 = 104;
/// Nexthop deleted (RTM_DELNEXTHOP).
pub const RTM_DELNEXTHOP: u16 = 105;
/// Nexthop dump or lookup request (RTM_GETNEXTHOP).
pub const RTM_GETNEXTHOP: u16 = 106;

/// Resilient group bucket / bucket dump reply (RTM_NEWNEXTHOPBUCKET).
pub const RTM_NEWNEXTHOPBUCKET: u16 = 116;
/// Resilient group bucket deleted (RTM_DELNEXTHOPBUCKET).
pub const RTM_DELNEXTHOPBUCKET: u16 = 117;
/// Bucket dump or lookup request (RTM_GETNEXTHOPBUCKET).
pub const RTM_GETNEXTHOPBUCKET: u16 = 118;

/// Nexthop id, u32; 0 asks the kernel to pick one (NHA_ID).
pub const NHA_ID: u16 = 1;
/// Array of `struct nexthop_grp` (NHA_GROUP).
pub const NHA_GROUP: u16 = 2;
/// Group type, u16, NEXTHOP_GRP_TYPE_* (NHA_GROUP_TYPE).
pub const NHA_GROUP_TYPE: u16 = 3;
/// Flag: the nexthop drops packets (NHA_BLACKHOLE).
pub const NHA_BLACKHOLE: u16 = 4;
/// Output interface index, u32; in a dump request, a filter (NHA_OIF).
pub const NHA_OIF: u16 = 5;
/// Gateway: 4 bytes for AF_INET, 16 for AF_INET6 (NHA_GATEWAY).
pub const NHA_GATEWAY: u16 = 6;
/// Lightweight tunnel encapsulation type, u16 (NHA_ENCAP_TYPE).
pub const NHA_ENCAP_TYPE: u16 = 7;
/// Lightweight tunnel encapsulation, nested (NHA_ENCAP).
pub const NHA_ENCAP: u16 = 8;
/// Flag, dump requests only: return only groups (NHA_GROUPS).
pub const NHA_GROUPS: u16 = 9;
/// u32, dump requests only: return only nexthops whose device is
/// enslaved to this master (NHA_MASTER).
pub const NHA_MASTER: u16 = 10;
/// Flag: the nexthop belongs to a bridge/VXLAN FDB (NHA_FDB). In a dump
/// request the kernel parses it but applies no filter.
pub const NHA_FDB: u16 = 11;
/// Nested NHA_RES_GROUP_*: resilient group parameters (NHA_RES_GROUP).
pub const NHA_RES_GROUP: u16 = 12;
/// Nested NHA_RES_BUCKET_*: one bucket, bucket dumps only (NHA_RES_BUCKET).
pub const NHA_RES_BUCKET: u16 = 13;
/// One past the highest NHA_* type nlq indexes.
pub const NHA_MAX: usize = 14;

/// Hash-threshold multipath group, the default (NEXTHOP_GRP_TYPE_MPATH).
pub const NEXTHOP_GRP_TYPE_MPATH: u16 = 0;
/// Resilient group (NEXTHOP_GRP_TYPE_RES).
pub const NEXTHOP_GRP_TYPE_RES: u16 = 1;

/// Number of buckets, u16 (NHA_RES_GROUP_BUCKETS).
pub const NHA_RES_GROUP_BUCKETS: u16 = 1;
/// Bucket idle timer, clock_t as u32 (NHA_RES_GROUP_IDLE_TIMER).
pub const NHA_RES_GROUP_IDLE_TIMER: u16 = 2;
/// Unbalanced timer, clock_t as u32 (NHA_RES_GROUP_UNBALANCED_TIMER).
pub const NHA_RES_GROUP_UNBALANCED_TIMER: u16 = 3;
/// Time the group has been unbalanced, clock_t as u64
/// (NHA_RES_GROUP_UNBALANCED_TIME).
pub const NHA_RES_GROUP_UNBALANCED_TIME: u16 = 4;
/// One past the highest NHA_RES_GROUP_* type nlq indexes.
pub const NHA_RES_GROUP_MAX: usize = 5;

/// Bucket index, u16 (NHA_RES_BUCKET_INDEX).
pub const NHA_RES_BUCKET_INDEX: u16 = 1;
/// Time the bucket has been idle, clock_t as u64 (NHA_RES_BUCKET_IDLE_TIME).
pub const NHA_RES_BUCKET_IDLE_TIME: u16 = 2;
/// Id of the nexthop the bucket holds, u32; in a dump request, a filter
/// (NHA_RES_BUCKET_NH_ID).
pub const NHA_RES_BUCKET_NH_ID: u16 = 3;
/// One past the highest NHA_RES_BUCKET_* type nlq indexes.
pub const NHA_RES_BUCKET_MAX: usize = 4;

mod field {
    use core::ops::Range;
    pub const FAMILY: usize = 0;
    pub const SCOPE: usize = 1;
    pub const PROTOCOL: usize = 2;
    pub const RESVD: usize = 3;
    pub const FLAGS: Range<usize> = 4..8;
}

/// Size of `struct nhmsg`.
pub const NHMSG_LEN: usize = field::FLAGS.end;

/// A nexthop message payload: `struct nhmsg` then NHA_* attributes.
#[derive(Debug, Clone, Copy)]
pub struct NhMsg<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> NhMsg<T> {
    /// Wrap a payload nlq built itself.
    pub fn new_unchecked(buffer: T) -> Self {
        NhMsg { buffer }
    }

    /// Wrap an untrusted payload; rejects one shorter than `struct nhmsg`.
    pub fn new_checked(buffer: T) -> Result<Self, Error> {
        need("nhmsg", buffer.as_ref(), NHMSG_LEN)?;
        Ok(NhMsg { buffer })
    }

    /// Address family: AF_INET, AF_INET6, or AF_UNSPEC for groups (nh_family).
    pub fn family(&self) -> u8 {
        self.buffer.as_ref()[field::FAMILY]
    }

    /// Scope, RT_SCOPE_*; set by the kernel in replies (nh_scope).
    pub fn scope(&self) -> u8 {
        self.buffer.as_ref()[field::SCOPE]
    }

    /// Routing protocol that installed the nexthop, RTPROT_* (nh_protocol).
    pub fn protocol(&self) -> u8 {
        self.buffer.as_ref()[field::PROTOCOL]
    }

    /// Reserved byte, 0 (resvd).
    pub fn resvd(&self) -> u8 {
        self.buffer.as_ref()[field::RESVD]
    }

    /// RTNH_F_* flags (nh_flags).
    pub fn flags(&self) -> u32 {
        ne_u32(self.buffer.as_ref(), field::FLAGS.start)
    }

    /// The attribute bytes after the fixed header.
    pub fn attr_bytes(&self) -> &[u8] {
        &self.buffer.as_ref()[NHMSG_LEN..]
    }
}

/// The fields of a `struct nhmsg` to put in a request. A dump request
/// must leave scope, protocol and flags 0 ("Invalid values in header for
/// nexthop dump request"); the family filters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NhMsgRepr {
    /// nh_family.
    pub family: u8,
    /// nh_scope.
    pub scope: u8,
    /// nh_protocol.
    pub protocol: u8,
    /// nh_flags.
    pub flags: u32,
}

impl NhMsgRepr {
    /// The header as bytes, in host byte order (resvd 0).
    pub fn emit(&self) -> [u8; NHMSG_LEN] {
        let mut b = [0u8; NHMSG_LEN];
        b[field::FAMILY] = self.family;
        b[field::SCOPE] = self.scope;
        b[field::PROTOCOL] = self.protocol;
        b[field::FLAGS].copy_from_slice(&self.flags.to_ne_bytes());
        b
    }
}

mod grp {
    use core::ops::Range;
    pub const ID: Range<usize> = 0..4;
    pub const WEIGHT: usize = 4;
    pub const WEIGHT_HIGH: usize = 5;
    pub const LEN: usize = 8;
}

/// Size of `struct nexthop_grp`.
pub const NEXTHOP_GRP_LEN: usize = grp::LEN;

/// One member of a group (`struct nexthop_grp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupEntry {
    /// Member nexthop id (id).
    pub id: u32,
    /// Low 8 bits of the weight minus one (weight).
    pub weight: u8,
    /// High 8 bits of the weight minus one (weight_high; resvd1, 0,
    /// before Linux 6.12).
    pub weight_high: u8,
}

impl GroupEntry {
    /// The weight, 1 to 65536: (weight_high << 8 | weight) + 1.
    pub fn full_weight(&self) -> u32 {
        (u32::from(self.weight_high) << 8 | u32::from(self.weight)) + 1
    }
}

/// The entries of an NHA_GROUP payload, in kernel order.
#[derive(Debug, Clone)]
pub struct GroupEntries<'a> {
    rest: &'a [u8],
}

impl<'a> GroupEntries<'a> {
    /// Check an NHA_GROUP payload: its length must be a multiple of 8
    /// (an empty one has no entries).
    pub fn new_checked(payload: &'a [u8]) -> Result<Self, Error> {
        if payload.len() % grp::LEN != 0 {
            return Err(Error::AttrSize {
                kind: NHA_GROUP,
                len: payload.len(),
                expected: payload.len().next_multiple_of(grp::LEN),
            });
        }
        Ok(GroupEntries { rest: payload })
    }
}

impl Iterator for GroupEntries<'_> {
    type Item = GroupEntry;

    fn next(&mut self) -> Option<GroupEntry> {
        let (entry, rest) = self.rest.split_first_chunk::<{ grp::LEN }>()?;
        self.rest = rest;
        Some(GroupEntry {
            id: ne_u32(entry, grp::ID.start),
            weight: entry[grp::WEIGHT],
            weight_high: entry[grp::WEIGHT_HIGH],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rustfmt::skip]
    const NH: [u8; 8 + 8] = [
        10,         // nh_family = AF_INET6
        253,        // nh_scope = link
        4,          // nh_protocol = static
        0,          // resvd
        4, 0, 0, 0, // nh_flags = RTNH_F_ONLINK
        8, 0, 1, 0, 7, 0, 0, 0, // NHA_ID = 7
    ];

    #[test]
    fn reads_fields() {
        let m = NhMsg::new_checked(&NH[..]).unwrap();
        assert_eq!(
            (m.family(), m.scope(), m.protocol(), m.resvd(), m.flags()),
            (10, 253, 4, 0, 4)
        );
        assert_eq!(m.attr_bytes(), &NH[8..]);
    }

    #[test]
    fn rejects_short_payload() {
        assert_eq!(
            NhMsg::new_checked(&NH[..7]).unwrap_err(),
            Error::Truncated {
                what: "nhmsg",
                need: 8,
                have: 7
            }
        );
        assert!(
            NhMsg::new_checked(&NH[..8])
                .unwrap()
                .attr_bytes()
                .is_empty()
        );
    }

    #[test]
    fn emit_round_trips() {
        let b = NhMsgRepr {
            family: 2,
            flags: 0x14,
            ..Default::default()
        }
        .emit();
        assert_eq!(b, [2, 0, 0, 0, 0x14, 0, 0, 0]);
        let v = NhMsg::new_checked(&b[..]).unwrap();
        assert_eq!(
            (v.family(), v.scope(), v.protocol(), v.flags()),
            (2, 0, 0, 0x14)
        );
    }

    #[test]
    fn group_entries() {
        #[rustfmt::skip]
        let g = [
            1, 0, 0, 0, // id = 1
            2,          // weight = 2 (weight 3)
            0,          // weight_high
            0, 0,       // resvd2
            3, 0, 0, 0, // id = 3
            0xff,       // weight = 255
            1,          // weight_high = 1: weight (1 << 8 | 255) + 1 = 512
            0, 0,       // resvd2
        ];
        let e: Vec<_> = GroupEntries::new_checked(&g).unwrap().collect();
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].id, e[0].weight, e[0].full_weight()), (1, 2, 3));
        assert_eq!((e[1].id, e[1].weight_high, e[1].full_weight()), (3, 1, 512));
        assert_eq!(GroupEntries::new_checked(&[]).unwrap().count(), 0);
    }

    #[test]
    fn group_of_a_wrong_length_is_an_error() {
        for len in [1, 7, 9, 15] {
            let g = vec![0u8; len];
            assert_eq!(
                GroupEntries::new_checked(&g).unwrap_err(),
                Error::AttrSize {
                    kind: NHA_GROUP,
                    len,
                    expected: len.next_multiple_of(8)
                }
            );
        }
    }
}
