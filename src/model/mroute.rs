//! Multicast routing cache entries (`ip mroute`): [`Mroute`], decoded
//! from one RTM_NEWROUTE of family RTNL_FAMILY_IPMR or RTNL_FAMILY_IP6MR,
//! as the kernel fills it (net/ipv4/ipmr.c `ipmr_fill_mroute`,
//! net/ipv6/ip6mr.c `ip6mr_fill_mroute`, via `mr_fill_mroute`): a (source,
//! group) pair, the input interface (RTA_IIF), the output interfaces with
//! their TTL thresholds (RTA_MULTIPATH, one `rtnexthop` each, `rtnh_hops`
//! the TTL), counters (RTA_MFC_STATS) and the time since last use
//! (RTA_EXPIRES, clock ticks).
//!
//! The attributes are indexed first (first occurrence wins, as in ip);
//! unknown types are skipped and one of the wrong size is dropped on its
//! own; a broken RTA_MULTIPATH keeps the interfaces before the break.

use std::net::IpAddr;

use crate::wire::Error as WireError;
use crate::wire::attr::{AF_INET, AF_INET6, AttrIndex};
use crate::wire::nlmsg::NlMsg;
use crate::wire::rtmsg::*;

/// The IPv4 multicast routing family (linux/rtnetlink.h).
pub const RTNL_FAMILY_IPMR: u8 = 128;
/// The IPv6 multicast routing family (linux/rtnetlink.h).
pub const RTNL_FAMILY_IP6MR: u8 = 129;
/// Route type of every cache entry (RTN_MULTICAST).
pub const RTN_MULTICAST: u8 = 5;
/// rtm_flags: the entry waits for a daemon to resolve it (RTNH_F_UNRESOLVED).
pub const RTNH_F_UNRESOLVED: u32 = 32;
/// rtm_flags: the entry is offloaded to hardware (RTNH_F_OFFLOAD).
pub const RTNH_F_OFFLOAD: u32 = 8;
/// Per-entry counters, `struct rta_mfc_stats` (linux/rtnetlink.h).
pub const RTA_MFC_STATS: u16 = 17;
/// The main table (RT_TABLE_MAIN), which ip leaves unnamed.
pub const RT_TABLE_MAIN: u32 = crate::wire::rtmsg::RT_TABLE_MAIN;
/// The default multicast table of IPv4 (RT_TABLE_DEFAULT), where
/// `ip mroute show` looks unless told otherwise.
pub const RT_TABLE_DEFAULT: u32 = 253;

/// One output interface of an entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Oif {
    /// Interface index (rtnh_ifindex).
    pub ifindex: u32,
    /// TTL threshold: packets with a TTL above it go out here (rtnh_hops).
    pub ttl: u8,
}

/// An entry's counters (`struct rta_mfc_stats`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MfcStats {
    /// Packets forwarded (mfcs_packets).
    pub packets: u64,
    /// Bytes forwarded (mfcs_bytes).
    pub bytes: u64,
    /// Packets that arrived on another interface than the input one
    /// (mfcs_wrong_if).
    pub wrong_if: u64,
}

/// One entry of the multicast forwarding cache.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Mroute {
    /// RTNL_FAMILY_IPMR or RTNL_FAMILY_IP6MR (rtm_family).
    pub family: u8,
    /// Table id: RTA_TABLE, else rtm_table (`rtm_get_table`).
    pub table: u32,
    /// The source (RTA_SRC); `None` when the kernel sent none.
    pub src: Option<IpAddr>,
    /// The group (RTA_DST).
    pub dst: Option<IpAddr>,
    /// Input interface index (RTA_IIF); `None` for none or 0.
    pub iif: Option<u32>,
    /// Output interfaces, in the kernel's order (RTA_MULTIPATH).
    pub oifs: Vec<Oif>,
    /// Whether RTA_MULTIPATH was sent at all (ip prints an empty list then).
    pub has_oifs: bool,
    /// Flags, RTNH_F_UNRESOLVED and RTNH_F_OFFLOAD (rtm_flags).
    pub flags: u32,
    /// Counters (RTA_MFC_STATS).
    pub stats: Option<MfcStats>,
    /// Time since the entry was last used, in clock ticks (USER_HZ,
    /// 1/100 s) (RTA_EXPIRES).
    pub lastuse: Option<u64>,
}

/// What a reply to a multicast route dump turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A multicast cache entry.
    Entry(Mroute),
    /// A route of another type: the kernel has no multicast routing for
    /// the family and answered with its other routes (PF_UNSPEC).
    NotMulticast,
}

impl Mroute {
    /// Decode one reply: `Ok(None)` for another message type, an error
    /// for a payload too short for `struct rtmsg`.
    pub fn try_from_msg(msg: &NlMsg<&[u8]>) -> Result<Option<Reply>, WireError> {
        if msg.kind() != RTM_NEWROUTE {
            return Ok(None);
        }
        let hdr = RtMsg::new_checked(msg.payload())?;
        if hdr.kind() != RTN_MULTICAST {
            return Ok(Some(Reply::NotMulticast));
        }
        Ok(Some(Reply::Entry(Mroute::decode(&hdr))))
    }

    /// The address family of the entry's addresses (`get_real_family`).
    pub fn ip_family(&self) -> u8 {
        match self.family {
            RTNL_FAMILY_IP6MR => AF_INET6,
            _ => AF_INET,
        }
    }

    /// Whether the entry is still waiting to be resolved.
    pub fn unresolved(&self) -> bool {
        self.flags & RTNH_F_UNRESOLVED != 0
    }

    /// Decode a checked `rtmsg` of an entry and its attributes. Never panics.
    pub fn decode<T: AsRef<[u8]>>(hdr: &RtMsg<T>) -> Mroute {
        let tb = AttrIndex::<RTA_MAX>::parse(hdr.attr_bytes());
        let mut m = Mroute {
            family: hdr.family(),
            flags: hdr.flags(),
            ..Mroute::default()
        };
        let af = m.ip_family();
        m.table = tb
            .get(RTA_TABLE)
            .and_then(|a| a.u32().ok())
            .unwrap_or(u32::from(hdr.table()));
        m.src = tb.get(RTA_SRC).and_then(|a| a.ip(af).ok());
        m.dst = tb.get(RTA_DST).and_then(|a| a.ip(af).ok());
        m.iif = tb
            .get(RTA_IIF)
            .and_then(|a| a.u32().ok())
            .filter(|&i| i != 0);
        if let Some(mp) = tb.get(RTA_MULTIPATH) {
            m.has_oifs = true;
            // Iteration stops at the first broken rtnexthop, as ip's loop does.
            let hops = NextHops::new(mp.payload()).map_while(Result::ok);
            m.oifs = hops
                .map(|h| Oif {
                    ifindex: h.ifindex,
                    ttl: h.hops,
                })
                .collect();
        }
        m.stats = tb.get(RTA_MFC_STATS).and_then(|a| {
            let b = a.fixed::<24>().ok()?;
            let u = |i: usize| {
                b.get(i..i + 8)
                    .and_then(|s| s.try_into().ok())
                    .map(u64::from_ne_bytes)
            };
            Some(MfcStats {
                packets: u(0)?,
                bytes: u(8)?,
                wrong_if: u(16)?,
            })
        });
        m.lastuse = tb.get(RTA_EXPIRES).and_then(|a| a.u64().ok());
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rustfmt::skip]
    const ENTRY: [u8; 12 + 8 + 8 + 8 + 8 + 4 + 16 + 28 + 12] = [
        128, 32, 32, 0,       // RTNL_FAMILY_IPMR, dst_len 32, src_len 32, tos
        253, 0, 0, 5,         // table default, protocol, scope, RTN_MULTICAST
        0, 0, 0, 0,           // rtm_flags: resolved
        8, 0, 15, 0, 253, 0, 0, 0,      // RTA_TABLE = 253
        8, 0, 2, 0, 10, 0, 0, 1,        // RTA_SRC = 10.0.0.1
        8, 0, 1, 0, 239, 1, 2, 3,       // RTA_DST = 239.1.2.3
        8, 0, 3, 0, 2, 0, 0, 0,         // RTA_IIF = 2
        20, 0, 9, 0,                    // RTA_MULTIPATH, two rtnexthops:
        8, 0, 0, 1, 3, 0, 0, 0,         //   len 8, flags 0, ttl 1, ifindex 3
        8, 0, 0, 4, 4, 0, 0, 0,         //   len 8, flags 0, ttl 4, ifindex 4
        28, 0, 17, 0,                   // RTA_MFC_STATS
        5, 0, 0, 0, 0, 0, 0, 0,         //   packets 5
        80, 1, 0, 0, 0, 0, 0, 0,        //   bytes 336
        1, 0, 0, 0, 0, 0, 0, 0,         //   wrong_if 1
        12, 0, 23, 0, 0x2c, 1, 0, 0, 0, 0, 0, 0, // RTA_EXPIRES = 300 ticks
    ];

    fn decode(b: &[u8]) -> Mroute {
        Mroute::decode(&RtMsg::new_checked(b).unwrap())
    }

    #[test]
    fn decodes_an_ipv4_entry() {
        let m = decode(&ENTRY);
        assert_eq!((m.family, m.table, m.iif), (128, 253, Some(2)));
        assert_eq!(m.src, Some("10.0.0.1".parse().unwrap()));
        assert_eq!(m.dst, Some("239.1.2.3".parse().unwrap()));
        let oifs: Vec<(u32, u8)> = m.oifs.iter().map(|o| (o.ifindex, o.ttl)).collect();
        assert_eq!(oifs, [(3, 1), (4, 4)]);
        let s = m.stats.unwrap();
        assert_eq!((s.packets, s.bytes, s.wrong_if), (5, 336, 1));
        assert_eq!((m.lastuse, m.unresolved()), (Some(300), false));
    }

    #[test]
    fn bad_sizes_spoil_their_own_field() {
        let mut b = ENTRY;
        b[20] = 6; // RTA_SRC of 2 bytes: the rest still parses
        let m = decode(&b);
        assert!(m.src.is_none() && m.dst.is_some());
        let mut b = ENTRY;
        b[64] = 20; // RTA_MFC_STATS of 16 bytes
        let m = decode(&b[..]);
        assert!(m.stats.is_none());
    }

    #[test]
    fn a_broken_multipath_keeps_what_came_before() {
        let mut b = ENTRY;
        b[56] = 3; // second rtnexthop claims 3 bytes
        let m = decode(&b);
        assert!(m.has_oifs);
        assert_eq!(m.oifs.len(), 1);
    }

    #[test]
    fn a_unicast_route_is_not_an_entry() {
        let mut b = ENTRY.to_vec();
        b[7] = 1; // RTN_UNICAST
        let mut msg = vec![0u8; 16];
        msg[0..4].copy_from_slice(&(16 + b.len() as u32).to_ne_bytes());
        msg[4] = 24; // RTM_NEWROUTE
        msg.extend_from_slice(&b);
        let nl = NlMsg::new_checked(&msg[..]).unwrap();
        assert_eq!(
            Mroute::try_from_msg(&nl).unwrap(),
            Some(Reply::NotMulticast)
        );
    }
}
