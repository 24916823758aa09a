//! `struct rtmsg`: the route message header (RTM_NEWROUTE / RTM_GETROUTE),
//! with the RTA_* attribute types, multipath `struct rtnexthop`, and the
//! route constants of linux/rtnetlink.h.
//!
//! ```text
//!  0        1         2         3     4       5          6       7      8              12
//!  +--------+---------+---------+-----+-------+----------+-------+------+--------------+
//!  | family | dst_len | src_len | tos | table | protocol | scope | type |    flags     |
//!  +--------+---------+---------+-----+-------+----------+-------+------+--------------+
//! ```

use super::attr::Attrs;
use super::{Error, ne_u16, ne_u32, need};

/// New route / route dump reply (RTM_NEWROUTE).
pub const RTM_NEWROUTE: u16 = 24;
/// Route deleted (RTM_DELROUTE).
pub const RTM_DELROUTE: u16 = 25;
/// Route dump or lookup request (RTM_GETROUTE).
pub const RTM_GETROUTE: u16 = 26;

/// Destination prefix (RTA_DST).
pub const RTA_DST: u16 = 1;
/// Source prefix (RTA_SRC).
pub const RTA_SRC: u16 = 2;
/// Input interface index (RTA_IIF).
pub const RTA_IIF: u16 = 3;
/// Output interface index (RTA_OIF).
pub const RTA_OIF: u16 = 4;
/// Gateway of the route's family (RTA_GATEWAY).
pub const RTA_GATEWAY: u16 = 5;
/// Route metric / priority (RTA_PRIORITY).
pub const RTA_PRIORITY: u16 = 6;
/// Preferred source address (RTA_PREFSRC).
pub const RTA_PREFSRC: u16 = 7;
/// Nested RTAX_* metrics (RTA_METRICS).
pub const RTA_METRICS: u16 = 8;
/// Array of `struct rtnexthop` (RTA_MULTIPATH).
pub const RTA_MULTIPATH: u16 = 9;
/// Realms: u32, to << 16 | from (RTA_FLOW).
pub const RTA_FLOW: u16 = 11;
/// `struct rta_cacheinfo` (RTA_CACHEINFO).
pub const RTA_CACHEINFO: u16 = 12;
/// 32-bit table id, wins over rtm_table (RTA_TABLE).
pub const RTA_TABLE: u16 = 15;
/// Firewall mark (RTA_MARK).
pub const RTA_MARK: u16 = 16;
/// Gateway of another family: `struct rtvia` (RTA_VIA).
pub const RTA_VIA: u16 = 18;
/// MPLS new destination (RTA_NEWDST).
pub const RTA_NEWDST: u16 = 19;
/// IPv6 router preference, u8 (RTA_PREF).
pub const RTA_PREF: u16 = 20;
/// Lightweight tunnel encapsulation type, u16 (RTA_ENCAP_TYPE).
pub const RTA_ENCAP_TYPE: u16 = 21;
/// Lightweight tunnel encapsulation (RTA_ENCAP).
pub const RTA_ENCAP: u16 = 22;
/// Expiry, in clock ticks in requests / seconds in IPv6 dumps (RTA_EXPIRES).
pub const RTA_EXPIRES: u16 = 23;
/// UID for route lookups (RTA_UID).
pub const RTA_UID: u16 = 25;
/// TTL propagation for MPLS (RTA_TTL_PROPAGATE).
pub const RTA_TTL_PROPAGATE: u16 = 26;
/// IP protocol for lookups (RTA_IP_PROTO).
pub const RTA_IP_PROTO: u16 = 27;
/// Source port for lookups (RTA_SPORT).
pub const RTA_SPORT: u16 = 28;
/// Destination port for lookups (RTA_DPORT).
pub const RTA_DPORT: u16 = 29;
/// Nexthop object id (RTA_NH_ID).
pub const RTA_NH_ID: u16 = 30;
/// One past the highest RTA_* type nlq indexes.
pub const RTA_MAX: usize = 31;

/// Route type: unicast (RTN_UNICAST); the others follow in rtnetlink.h order.
pub const RTN_UNICAST: u8 = 1;
/// Main routing table id (RT_TABLE_MAIN).
pub const RT_TABLE_MAIN: u32 = 254;
/// Local routing table id (RT_TABLE_LOCAL).
pub const RT_TABLE_LOCAL: u32 = 255;
/// Route was cloned from another route (RTM_F_CLONED).
pub const RTM_F_CLONED: u32 = 0x200;
/// Route lookup: set rtm_table to the table the lookup matched in
/// (RTM_F_LOOKUP_TABLE; linux/rtnetlink.h, read by IPv4 only).
pub const RTM_F_LOOKUP_TABLE: u32 = 0x1000;
/// Route lookup: answer with the FIB entry that matched, not the resolved
/// route (RTM_F_FIB_MATCH; linux/rtnetlink.h).
pub const RTM_F_FIB_MATCH: u32 = 0x2000;

mod field {
    pub const FAMILY: usize = 0;
    pub const DST_LEN: usize = 1;
    pub const SRC_LEN: usize = 2;
    pub const TOS: usize = 3;
    pub const TABLE: usize = 4;
    pub const PROTOCOL: usize = 5;
    pub const SCOPE: usize = 6;
    pub const TYPE: usize = 7;
    pub const FLAGS: core::ops::Range<usize> = 8..12;
}

/// Size of `struct rtmsg`, already a multiple of 4.
pub const RTMSG_LEN: usize = field::FLAGS.end;

/// A route message payload: `struct rtmsg` followed by RTA_* attributes.
#[derive(Debug, Clone, Copy)]
pub struct RtMsg<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> RtMsg<T> {
    /// Wrap a payload nlq built itself.
    pub fn new_unchecked(buffer: T) -> Self {
        RtMsg { buffer }
    }

    /// Wrap an untrusted payload; rejects one shorter than `struct rtmsg`.
    pub fn new_checked(buffer: T) -> Result<Self, Error> {
        need("rtmsg", buffer.as_ref(), RTMSG_LEN)?;
        Ok(RtMsg { buffer })
    }

    fn byte(&self, at: usize) -> u8 {
        self.buffer.as_ref()[at]
    }

    /// Address family, AF_INET or AF_INET6 (rtm_family).
    pub fn family(&self) -> u8 {
        self.byte(field::FAMILY)
    }

    /// Destination prefix length, in bits (rtm_dst_len).
    pub fn dst_len(&self) -> u8 {
        self.byte(field::DST_LEN)
    }

    /// Source prefix length, in bits (rtm_src_len).
    pub fn src_len(&self) -> u8 {
        self.byte(field::SRC_LEN)
    }

    /// Type of service / DS field (rtm_tos).
    pub fn tos(&self) -> u8 {
        self.byte(field::TOS)
    }

    /// Table id, 8 bits; RTA_TABLE carries the full value (rtm_table).
    pub fn table(&self) -> u8 {
        self.byte(field::TABLE)
    }

    /// Routing protocol, RTPROT_* (rtm_protocol).
    pub fn protocol(&self) -> u8 {
        self.byte(field::PROTOCOL)
    }

    /// Scope, RT_SCOPE_* (rtm_scope).
    pub fn scope(&self) -> u8 {
        self.byte(field::SCOPE)
    }

    /// Route type, RTN_* (rtm_type).
    pub fn kind(&self) -> u8 {
        self.byte(field::TYPE)
    }

    /// Flags, RTM_F_* and RTNH_F_* (rtm_flags).
    pub fn flags(&self) -> u32 {
        ne_u32(self.buffer.as_ref(), field::FLAGS.start)
    }

    /// The attribute bytes after the fixed header.
    pub fn attr_bytes(&self) -> &[u8] {
        &self.buffer.as_ref()[RTMSG_LEN..]
    }
}

/// The fields of a `struct rtmsg` to put in a request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RtMsgRepr {
    /// rtm_family.
    pub family: u8,
    /// rtm_dst_len.
    pub dst_len: u8,
    /// rtm_src_len.
    pub src_len: u8,
    /// rtm_tos.
    pub tos: u8,
    /// rtm_table.
    pub table: u8,
    /// rtm_protocol.
    pub protocol: u8,
    /// rtm_scope.
    pub scope: u8,
    /// rtm_type.
    pub kind: u8,
    /// rtm_flags.
    pub flags: u32,
}

impl RtMsgRepr {
    /// The header as bytes, in host byte order.
    pub fn emit(&self) -> [u8; RTMSG_LEN] {
        let mut b = [0u8; RTMSG_LEN];
        b[field::FAMILY] = self.family;
        b[field::DST_LEN] = self.dst_len;
        b[field::SRC_LEN] = self.src_len;
        b[field::TOS] = self.tos;
        b[field::TABLE] = self.table;
        b[field::PROTOCOL] = self.protocol;
        b[field::SCOPE] = self.scope;
        b[field::TYPE] = self.kind;
        b[field::FLAGS].copy_from_slice(&self.flags.to_ne_bytes());
        b
    }
}

/// One `struct rtnexthop` of RTA_MULTIPATH, with its attributes.
///
/// ```text
///  0         2       3        4          8
///  +---------+-------+--------+----------+------------------+
///  | len     | flags | hops   | ifindex  | attributes ...   |
///  +---------+-------+--------+----------+------------------+
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextHop<'a> {
    /// Flags, RTNH_F_* (rtnh_flags).
    pub flags: u8,
    /// Weight minus one (rtnh_hops); `ip` prints `weight hops + 1`.
    pub hops: u8,
    /// Output interface index (rtnh_ifindex).
    pub ifindex: u32,
    /// The nexthop's own attributes (RTA_GATEWAY, RTA_VIA, RTA_FLOW, ...).
    pub attrs: &'a [u8],
}

impl<'a> NextHop<'a> {
    /// Iterate over this nexthop's attributes.
    pub fn attrs(&self) -> Attrs<'a> {
        Attrs::new(self.attrs)
    }
}

/// Size of `struct rtnexthop`.
pub const RTNH_LEN: usize = 8;

/// Iterator over the `struct rtnexthop` entries of RTA_MULTIPATH.
///
/// Same guarantees as the attribute iterator: `rtnh_len < 8` or past the
/// end is an error, after which it stops; every step advances at least 8
/// bytes, so a zero length cannot loop.
#[derive(Debug, Clone)]
pub struct NextHops<'a> {
    rest: &'a [u8],
}

impl<'a> NextHops<'a> {
    /// Iterate over the payload of an RTA_MULTIPATH attribute.
    pub fn new(payload: &'a [u8]) -> Self {
        NextHops { rest: payload }
    }
}

impl<'a> Iterator for NextHops<'a> {
    type Item = Result<NextHop<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let rest = std::mem::take(&mut self.rest);
        if rest.len() < RTNH_LEN {
            let have = rest.len();
            return Some(Err(Error::Truncated {
                what: "rtnexthop",
                need: RTNH_LEN,
                have,
            }));
        }
        let len = ne_u16(rest, 0) as usize;
        if len < RTNH_LEN {
            return Some(Err(Error::TooShort {
                what: "rtnexthop",
                len,
                min: RTNH_LEN,
            }));
        }
        if len > rest.len() {
            return Some(Err(Error::Overrun {
                what: "rtnexthop",
                len,
                have: rest.len(),
            }));
        }
        self.rest = rest.get(super::align4(len)..).unwrap_or(&[]);
        Some(Ok(NextHop {
            flags: rest[2],
            hops: rest[3],
            ifindex: ne_u32(rest, 4),
            attrs: &rest[RTNH_LEN..len],
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rustfmt::skip]
    const ROUTE: [u8; 12 + 8] = [
        2,    // rtm_family = AF_INET
        24,   // rtm_dst_len = 24
        0,    // rtm_src_len
        0,    // rtm_tos
        254,  // rtm_table = main
        4,    // rtm_protocol = static
        0,    // rtm_scope = universe
        1,    // rtm_type = unicast
        4, 0, 0, 0, // rtm_flags = RTNH_F_ONLINK
        8, 0, 1, 0, 10, 1, 2, 0, // RTA_DST 10.1.2.0
    ];

    #[test]
    fn reads_fields() {
        let m = RtMsg::new_checked(&ROUTE[..]).unwrap();
        assert_eq!(
            (
                m.family(),
                m.dst_len(),
                m.table(),
                m.protocol(),
                m.kind(),
                m.flags()
            ),
            (2, 24, 254, 4, 1, 4)
        );
        assert_eq!(m.attr_bytes(), &ROUTE[12..]);
    }

    #[test]
    fn rejects_short_payload() {
        assert_eq!(
            RtMsg::new_checked(&ROUTE[..11]).unwrap_err(),
            Error::Truncated {
                what: "rtmsg",
                need: 12,
                have: 11
            }
        );
    }

    #[test]
    fn emit_round_trips() {
        let r = RtMsgRepr {
            family: 10,
            table: 254,
            kind: 1,
            flags: 0x200,
            ..Default::default()
        };
        let b = r.emit();
        let v = RtMsg::new_checked(&b[..]).unwrap();
        assert_eq!(
            (v.family(), v.table(), v.kind(), v.flags()),
            (10, 254, 1, 0x200)
        );
    }

    #[rustfmt::skip]
    const MP: [u8; 16 + 8] = [
        16, 0, 0, 1, 3, 0, 0, 0, // len 16, flags 0, hops 1 (weight 2), ifindex 3
        8, 0, 5, 0, 10, 0, 0, 1, // RTA_GATEWAY 10.0.0.1
        8, 0, 4, 0, 4, 0, 0, 0, // len 8, flags RTNH_F_ONLINK, ifindex 4, no attrs
    ];

    #[test]
    fn nexthops_walk() {
        let nh: Vec<_> = NextHops::new(&MP).collect::<Result<_, _>>().unwrap();
        assert_eq!(nh.len(), 2);
        assert_eq!((nh[0].hops, nh[0].ifindex), (1, 3));
        assert_eq!(
            nh[0]
                .attrs()
                .next()
                .unwrap()
                .unwrap()
                .ipv4()
                .unwrap()
                .octets(),
            [10, 0, 0, 1]
        );
        assert_eq!((nh[1].flags, nh[1].ifindex), (4, 4));
    }

    #[test]
    fn nexthop_bad_lengths_stop() {
        for (len, err) in [
            (
                0u16,
                Error::TooShort {
                    what: "rtnexthop",
                    len: 0,
                    min: 8,
                },
            ),
            (
                7,
                Error::TooShort {
                    what: "rtnexthop",
                    len: 7,
                    min: 8,
                },
            ),
            (
                0xFFFF,
                Error::Overrun {
                    what: "rtnexthop",
                    len: 0xFFFF,
                    have: 24,
                },
            ),
        ] {
            let mut b = MP;
            b[0..2].copy_from_slice(&len.to_ne_bytes());
            let mut it = NextHops::new(&b);
            assert_eq!(it.next(), Some(Err(err)));
            assert_eq!(it.next(), None);
        }
    }

    #[test]
    fn nexthop_attribute_longer_than_its_nexthop_stops_at_the_nexthop() {
        #[rustfmt::skip]
        let b = [
            16, 0, 0, 0, 3, 0, 0, 0,  // rtnh_len 16, flags 0, hops 0, ifindex 3
                12, 0, 5, 0, 10, 0, 0, 1, //   RTA_GATEWAY claiming 12 bytes: 4 past the nexthop
            8, 0, 0, 0, 4, 0, 0, 0,   // rtnh_len 8, ifindex 4, no attrs
        ];
        let nh: Vec<_> = NextHops::new(&b).collect::<Result<_, _>>().unwrap();
        assert_eq!(nh.len(), 2, "the nexthop walk is not affected");
        assert_eq!((nh[0].ifindex, nh[1].ifindex), (3, 4));
        let mut attrs = nh[0].attrs();
        assert_eq!(
            attrs.next(),
            Some(Err(Error::Overrun {
                what: "rtattr",
                len: 12,
                have: 8
            }))
        );
        assert_eq!(attrs.next(), None);
    }
}
