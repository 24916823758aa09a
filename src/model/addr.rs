//! Interface addresses: [`Addr`], decoded from one RTM_NEWADDR message,
//! and the grouping of addresses under their links that `ip addr` shows.
//!
//! The attributes are indexed first (first occurrence wins); unknown types
//! are skipped and a known attribute of the wrong size (an IPv4 address of
//! 3 bytes, a short IFA_CACHEINFO) is dropped on its own.
//!
//! IFA_LOCAL and IFA_ADDRESS follow `ip`'s normalisation: each stands in
//! for the other when it is missing (IPv6 sends only IFA_ADDRESS). When
//! both are present and differ, IFA_ADDRESS is the point-to-point peer.

use std::borrow::Cow;
use std::collections::HashMap;
use std::net::IpAddr;

use super::link::{Link, Links, text};
use super::object::{ObjectKind, group};
use crate::wire::Error as WireError;
use crate::wire::attr::{AF_INET, AF_INET6, AttrIndex};
use crate::wire::ifaddrmsg::*;
use crate::wire::nlmsg::NlMsg;

/// Secondary IPv4 address, or temporary IPv6 address (IFA_F_SECONDARY,
/// IFA_F_TEMPORARY: the same bit).
pub const IFA_F_SECONDARY: u32 = 0x01;
/// No duplicate address detection (IFA_F_NODAD).
pub const IFA_F_NODAD: u32 = 0x02;
/// Optimistic DAD (IFA_F_OPTIMISTIC).
pub const IFA_F_OPTIMISTIC: u32 = 0x04;
/// Duplicate address detection failed (IFA_F_DADFAILED).
pub const IFA_F_DADFAILED: u32 = 0x08;
/// Mobile IPv6 home address (IFA_F_HOMEADDRESS).
pub const IFA_F_HOMEADDRESS: u32 = 0x10;
/// Preferred lifetime over (IFA_F_DEPRECATED).
pub const IFA_F_DEPRECATED: u32 = 0x20;
/// Duplicate address detection still running (IFA_F_TENTATIVE).
pub const IFA_F_TENTATIVE: u32 = 0x40;
/// Configured, not learned (IFA_F_PERMANENT).
pub const IFA_F_PERMANENT: u32 = 0x80;
/// Manage temporary addresses from this prefix (IFA_F_MANAGETEMPADDR).
pub const IFA_F_MANAGETEMPADDR: u32 = 0x100;
/// No prefix route for this address (IFA_F_NOPREFIXROUTE).
pub const IFA_F_NOPREFIXROUTE: u32 = 0x200;
/// Join the multicast group automatically (IFA_F_MCAUTOJOIN).
pub const IFA_F_MCAUTOJOIN: u32 = 0x400;
/// Stable-privacy generated address, RFC 7217 (IFA_F_STABLE_PRIVACY).
pub const IFA_F_STABLE_PRIVACY: u32 = 0x800;

/// Address flags with the lowercase names nlq prints, lowest bit first.
/// Bit 0x01 is "secondary" for IPv4 and "temporary" for IPv6.
pub const IFA_F_NAMES: [(u32, &str); 12] = [
    (IFA_F_SECONDARY, "secondary"),
    (IFA_F_NODAD, "nodad"),
    (IFA_F_OPTIMISTIC, "optimistic"),
    (IFA_F_DADFAILED, "dadfailed"),
    (IFA_F_HOMEADDRESS, "homeaddress"),
    (IFA_F_DEPRECATED, "deprecated"),
    (IFA_F_TENTATIVE, "tentative"),
    (IFA_F_PERMANENT, "permanent"),
    (IFA_F_MANAGETEMPADDR, "managetempaddr"),
    (IFA_F_NOPREFIXROUTE, "noprefixroute"),
    (IFA_F_MCAUTOJOIN, "mcautojoin"),
    (IFA_F_STABLE_PRIVACY, "stable-privacy"),
];

/// A lifetime of 0xFFFFFFFF seconds means forever (INFINITY_LIFE_TIME).
pub const INFINITY_LIFE_TIME: u32 = u32::MAX;

/// `struct ifa_cacheinfo` (IFA_CACHEINFO, linux/if_addr.h).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CacheInfo {
    /// Remaining preferred lifetime, in seconds (ifa_prefered).
    pub preferred: u32,
    /// Remaining valid lifetime, in seconds (ifa_valid).
    pub valid: u32,
    /// Creation time, in hundredths of a second since boot (cstamp).
    pub created: u32,
    /// Last update, in hundredths of a second since boot (tstamp).
    pub updated: u32,
}

impl CacheInfo {
    fn parse(b: [u8; 16]) -> CacheInfo {
        let word = |i: usize| u32::from_ne_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        CacheInfo {
            preferred: word(0),
            valid: word(4),
            created: word(8),
            updated: word(12),
        }
    }
}

/// `Some(seconds)` for a finite lifetime, `None` for forever.
pub fn finite(lifetime: u32) -> Option<u32> {
    (lifetime != INFINITY_LIFE_TIME).then_some(lifetime)
}

/// One interface address, as one RTM_NEWADDR message describes it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Addr {
    /// Address family, AF_INET / AF_INET6 (ifa_family).
    pub family: u8,
    /// Prefix length, in bits (ifa_prefixlen).
    pub prefix_len: u8,
    /// Scope, RT_SCOPE_* (ifa_scope).
    pub scope: u8,
    /// Interface index (ifa_index).
    pub index: u32,
    /// Flags, IFA_F_*: IFA_FLAGS when present (32 bits), else ifa_flags.
    pub flags: u32,
    /// Local address (IFA_LOCAL, else IFA_ADDRESS).
    pub local: Option<IpAddr>,
    /// Point-to-point peer: IFA_ADDRESS when it differs from IFA_LOCAL.
    pub peer: Option<IpAddr>,
    /// Broadcast address (IFA_BROADCAST).
    pub broadcast: Option<IpAddr>,
    /// Anycast address (IFA_ANYCAST).
    pub anycast: Option<IpAddr>,
    /// Label, IPv4 only (IFA_LABEL).
    pub label: Option<String>,
    /// Lifetimes and timestamps (IFA_CACHEINFO).
    pub cacheinfo: Option<CacheInfo>,
    /// Metric of the prefix route (IFA_RT_PRIORITY).
    pub metric: Option<u32>,
    /// Who added the address, IFAPROT_* (IFA_PROTO).
    pub proto: Option<u8>,
}

impl Addr {
    /// Decode an RTM_NEWADDR message: `Ok(None)` for any other message type, an
    /// error for one whose payload is too short for `struct ifaddrmsg`
    /// (malformed: nothing of it can be trusted).
    pub fn try_from_msg(msg: &NlMsg<&[u8]>) -> Result<Option<Addr>, WireError> {
        if msg.kind() != RTM_NEWADDR {
            return Ok(None);
        }
        Ok(Some(Addr::decode(&IfAddrMsg::new_checked(msg.payload())?)))
    }

    /// [`Addr::try_from_msg`] for callers that skip what they cannot read:
    /// `None` for another message type and for a malformed one alike.
    pub fn from_msg(msg: &NlMsg<&[u8]>) -> Option<Addr> {
        Self::try_from_msg(msg).ok().flatten()
    }

    /// Decode a checked `ifaddrmsg` and its attributes. Never panics.
    pub fn decode<T: AsRef<[u8]>>(hdr: &IfAddrMsg<T>) -> Addr {
        let tb = AttrIndex::<IFA_MAX>::parse(hdr.attr_bytes());
        let family = hdr.family();
        let ip = |kind| tb.get(kind).and_then(|a| a.ip(family).ok());
        let (local, address) = (ip(IFA_LOCAL), ip(IFA_ADDRESS));
        Addr {
            family,
            prefix_len: hdr.prefix_len(),
            scope: hdr.scope(),
            index: hdr.index(),
            flags: tb
                .get(IFA_FLAGS)
                .and_then(|a| a.u32().ok())
                .unwrap_or(hdr.flags().into()),
            local: local.or(address),
            peer: address.filter(|a| local.is_some_and(|l| l != *a)),
            broadcast: ip(IFA_BROADCAST),
            anycast: ip(IFA_ANYCAST),
            label: tb.get(IFA_LABEL).map(text),
            cacheinfo: tb
                .get(IFA_CACHEINFO)
                .and_then(|a| a.fixed::<16>().ok())
                .map(CacheInfo::parse),
            metric: tb.get(IFA_RT_PRIORITY).and_then(|a| a.u32().ok()),
            proto: tb.get(IFA_PROTO).and_then(|a| a.u8().ok()),
        }
    }

    /// Lowercase names of the set IFA_F_* flags, lowest bit first ("temporary"
    /// for bit 0x01 on IPv6); unknown bits follow as one hex string.
    pub fn flag_names(&self) -> impl Iterator<Item = Cow<'static, str>> + '_ {
        let known = IFA_F_NAMES.iter().fold(0, |acc, &(bit, _)| acc | bit);
        let rest = self.flags & !known;
        let v6 = self.family == AF_INET6;
        IFA_F_NAMES
            .iter()
            .filter(|&&(bit, _)| self.flags & bit != 0)
            .map(move |&(bit, name)| match bit {
                IFA_F_SECONDARY if v6 => Cow::Borrowed("temporary"),
                _ => Cow::Borrowed(name),
            })
            .chain((rest != 0).then(|| Cow::Owned(format!("{rest:#x}"))))
    }
}

/// The name of an IFA_PROTO value (IFAPROT_*, linux/if_addr.h), as
/// iproute2's rt_addrprotos names them.
pub fn proto_name(proto: u8) -> Option<&'static str> {
    match proto {
        0 => Some("unspec"),
        1 => Some("kernel_lo"),
        2 => Some("kernel_ra"),
        3 => Some("kernel_ll"),
        _ => None,
    }
}

/// One link and its addresses, in kernel order.
#[derive(Debug, Clone)]
pub struct LinkAddrs<'a> {
    /// The link.
    pub link: &'a Link,
    /// Its addresses.
    pub addrs: Vec<&'a Addr>,
}

/// Addresses grouped under links, as `ip addr` shows them.
#[derive(Debug, Clone)]
pub struct Grouped<'a> {
    /// The chosen links in dump order, each with its addresses.
    pub links: Vec<LinkAddrs<'a>>,
    /// Addresses whose interface was not in the link dump (a link added
    /// between the two dumps); `ip` drops them.
    pub orphans: Vec<&'a Addr>,
}

impl<'a> Grouped<'a> {
    /// Group `addrs` under `links`. With `only` set, only that interface
    /// is kept; with `needs_addr`, links without any address are left out
    /// (`ip -4 addr` omits links without an IPv4 address).
    pub fn new(links: &'a Links, addrs: &'a [Addr], only: Option<u32>, needs_addr: bool) -> Self {
        let mut by_index: HashMap<u32, Vec<&'a Addr>> = HashMap::new();
        let mut orphans = Vec::new();
        for a in addrs {
            match links.get(a.index) {
                Some(_) => by_index.entry(a.index).or_default().push(a),
                None => orphans.push(a),
            }
        }
        let links = links
            .iter()
            .filter(|l| only.is_none_or(|i| i == l.index))
            .map(|link| LinkAddrs {
                link,
                addrs: by_index.remove(&link.index).unwrap_or_default(),
            })
            .filter(|g| !(needs_addr && g.addrs.is_empty()))
            .collect();
        Grouped { links, orphans }
    }

    /// Every address with its link (`None` for orphans), links first.
    pub fn flat(&self) -> impl Iterator<Item = (Option<&'a Link>, &'a Addr)> + '_ {
        let linked = self
            .links
            .iter()
            .flat_map(|g| g.addrs.iter().map(move |a| (Some(g.link), *a)));
        linked.chain(self.orphans.iter().map(|a| (None, *a)))
    }
}

impl ObjectKind for Addr {
    const NAME: &'static str = "addr";
    const NEW: u16 = RTM_NEWADDR;
    const DEL: u16 = RTM_DELADDR;
    const GET: u16 = RTM_GETADDR;
    const GROUPS: &'static [(u8, u32)] = &[
        (AF_INET, group::IPV4_IFADDR),
        (AF_INET6, group::IPV6_IFADDR),
    ];
    const FAMILIES: &'static [u8] = &[AF_INET, AF_INET6];
    /// (ifa_index, family, IFA_LOCAL, IFA_ADDRESS as a peer, prefix length).
    type Key = (u32, u8, Option<IpAddr>, Option<IpAddr>, u8);

    fn decode_payload(payload: &[u8]) -> Result<Self, WireError> {
        Ok(Addr::decode(&IfAddrMsg::new_checked(payload)?))
    }
    fn dump_header(family: u8) -> Vec<u8> {
        IfAddrMsgRepr {
            family,
            ..IfAddrMsgRepr::default()
        }
        .emit()
        .to_vec()
    }
    fn key(&self) -> Self::Key {
        (
            self.index,
            self.family,
            self.local,
            self.peer,
            self.prefix_len,
        )
    }
    fn settle(&mut self) {
        self.cacheinfo = None;
    }
    fn family(&self) -> u8 {
        self.family
    }
    fn on_dev(&self, index: u32, _: &str) -> bool {
        self.index == index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `struct ifaddrmsg`: AF_INET, /24, ifa_flags = IFA_F_PERMANENT,
    /// scope global, index 3.
    #[rustfmt::skip]
    const HDR4: [u8; 8] = [
        2,          // ifa_family = AF_INET
        24,         // ifa_prefixlen
        0x80,       // ifa_flags = IFA_F_PERMANENT
        0,          // ifa_scope = global
        3, 0, 0, 0, // ifa_index = 3
    ];

    fn addr(hdr: &[u8], attrs: &[u8]) -> Addr {
        let mut buf = hdr.to_vec();
        buf.extend_from_slice(attrs);
        Addr::decode(&IfAddrMsg::new_checked(&buf[..]).unwrap())
    }

    #[test]
    fn local_without_address() {
        let attrs = [8, 0, 2, 0, 10, 0, 0, 1]; // IFA_LOCAL = 10.0.0.1
        let a = addr(&HDR4, &attrs);
        assert_eq!(a.local, Some("10.0.0.1".parse().unwrap()));
        assert_eq!(a.peer, None);
        assert_eq!(a.flags, 0x80, "no IFA_FLAGS: ifa_flags");
    }

    #[test]
    fn address_without_local() {
        let attrs = [8, 0, 1, 0, 10, 0, 0, 1]; // IFA_ADDRESS = 10.0.0.1
        let a = addr(&HDR4, &attrs);
        assert_eq!(a.local, Some("10.0.0.1".parse().unwrap()));
        assert_eq!(a.peer, None);
    }

    #[test]
    fn peer_when_address_differs() {
        #[rustfmt::skip]
        let attrs = [
            8, 0, 1, 0, 10, 5, 0, 2,    // IFA_ADDRESS = 10.5.0.2 (the peer)
            8, 0, 2, 0, 10, 5, 0, 1,    // IFA_LOCAL = 10.5.0.1
        ];
        let a = addr(&HDR4, &attrs);
        assert_eq!(a.local, Some("10.5.0.1".parse().unwrap()));
        assert_eq!(a.peer, Some("10.5.0.2".parse().unwrap()));
        #[rustfmt::skip]
        let same = [
            8, 0, 1, 0, 10, 5, 0, 1,    // IFA_ADDRESS = 10.5.0.1
            8, 0, 2, 0, 10, 5, 0, 1,    // IFA_LOCAL = 10.5.0.1: no peer
        ];
        assert_eq!(addr(&HDR4, &same).peer, None);
    }

    #[test]
    fn ifa_flags_attribute_wins_over_header() {
        #[rustfmt::skip]
        let attrs = [
            8, 0, 2, 0, 10, 0, 0, 1,        // IFA_LOCAL = 10.0.0.1
            8, 0, 8, 0, 0x80, 0x02, 0, 0,   // IFA_FLAGS = PERMANENT|NOPREFIXROUTE
        ];
        let a = addr(&HDR4, &attrs);
        assert_eq!(a.flags, IFA_F_PERMANENT | IFA_F_NOPREFIXROUTE);
        let names: Vec<_> = a.flag_names().collect();
        assert_eq!(names, ["permanent", "noprefixroute"]);
        let short = [6, 0, 8, 0, 0, 2, 0, 0]; // IFA_FLAGS of 2 bytes: dropped
        assert_eq!(addr(&HDR4, &short).flags, 0x80, "falls back to ifa_flags");
    }

    #[test]
    fn wrong_sizes_drop_one_field() {
        #[rustfmt::skip]
        let attrs = [
            7, 0, 2, 0, 10, 0, 0, 0,        // IFA_LOCAL of 3 bytes: dropped
            8, 0, 1, 0, 10, 0, 0, 9,        // IFA_ADDRESS = 10.0.0.9 stands in
            12, 0, 6, 0, 1, 0, 0, 0, 2, 0, 0, 0, // IFA_CACHEINFO of 8 bytes: dropped
            8, 0, 9, 0, 55, 0, 0, 0,        // IFA_RT_PRIORITY = 55
            8, 0, 3, 0, b'e', b'0', 0, 0,   // IFA_LABEL = "e0"
            8, 0, 0xe8, 0x03, 0, 0, 0, 0,   // type 1000: skipped
        ];
        let a = addr(&HDR4, &attrs);
        assert_eq!(a.local, Some("10.0.0.9".parse().unwrap()));
        assert_eq!(a.cacheinfo, None);
        assert_eq!(a.metric, Some(55));
        assert_eq!(a.label.as_deref(), Some("e0"));
    }

    #[test]
    fn ipv6_cacheinfo_and_temporary() {
        #[rustfmt::skip]
        let hdr = [
            10, 64, 0x01, 0,    // AF_INET6, /64, ifa_flags = SECONDARY (temporary)
            2, 0, 0, 0,         // ifa_index = 2
        ];
        let mut attrs = vec![20, 0, 1, 0]; // IFA_ADDRESS, 16 bytes
        attrs.extend_from_slice(
            &"2001:db8::1"
                .parse::<std::net::Ipv6Addr>()
                .unwrap()
                .octets(),
        );
        #[rustfmt::skip]
        attrs.extend_from_slice(&[
            20, 0, 6, 0,            // IFA_CACHEINFO
            50, 0, 0, 0,            // ifa_prefered = 50
            0xff, 0xff, 0xff, 0xff, // ifa_valid = forever
            1, 0, 0, 0, 2, 0, 0, 0, // cstamp, tstamp
        ]);
        let a = addr(&hdr, &attrs);
        assert_eq!(a.local, Some("2001:db8::1".parse().unwrap()));
        let ci = a.cacheinfo.unwrap();
        assert_eq!((finite(ci.preferred), finite(ci.valid)), (Some(50), None));
        assert_eq!(a.flag_names().collect::<Vec<_>>(), ["temporary"]);
    }

    #[test]
    fn grouping_keeps_link_order_and_orphans() {
        let mut links = Links::new();
        for i in [1, 2, 3] {
            let mut l = Link::bare(i, 0, 1);
            l.name = format!("l{i}");
            links.push(l);
        }
        let one = |index| {
            let a = [8, 0, 2, 0, 10, 0, 0, index as u8];
            let hdr = [2, 24, 0, 0, index as u8, 0, 0, 0];
            addr(&hdr, &a)
        };
        let addrs = vec![one(3), one(1), one(9), one(3)];
        let g = Grouped::new(&links, &addrs, None, false);
        let shape: Vec<_> = g
            .links
            .iter()
            .map(|g| (g.link.index, g.addrs.len()))
            .collect();
        assert_eq!(shape, [(1, 1), (2, 0), (3, 2)]);
        assert_eq!(g.orphans.len(), 1);
        assert_eq!(g.flat().count(), 4);
        let g = Grouped::new(&links, &addrs, None, true);
        assert_eq!(g.links.len(), 2, "links without addresses left out");
        let g = Grouped::new(&links, &addrs, Some(2), false);
        assert_eq!(g.links.len(), 1);
    }

    #[test]
    fn from_msg_skips_a_payload_shorter_than_ifaddrmsg() {
        let newaddr = |payload: &[u8]| crate::dump::script::message(RTM_NEWADDR, 0x02, 1, payload);
        for have in [0, 7] {
            let m = newaddr(&HDR4[..have]);
            let msg = NlMsg::new_checked(&m[..]).unwrap();
            assert_eq!(Addr::from_msg(&msg), None);
            assert!(
                Addr::try_from_msg(&msg).is_err(),
                "malformed, not another type"
            );
        }
        let other = crate::dump::script::message(RTM_NEWADDR + 1, 0, 1, &HDR4);
        let other = NlMsg::new_checked(&other[..]).unwrap();
        assert_eq!(Addr::try_from_msg(&other), Ok(None), "another type");
        let m = newaddr(&HDR4); // 8 bytes: an address without attributes
        assert_eq!(
            Addr::from_msg(&NlMsg::new_checked(&m[..]).unwrap()),
            Some(Addr {
                family: 2,
                prefix_len: 24,
                scope: 0,
                index: 3,
                flags: IFA_F_PERMANENT,
                local: None,
                peer: None,
                broadcast: None,
                anycast: None,
                label: None,
                cacheinfo: None,
                metric: None,
                proto: None,
            })
        );
    }

    #[test]
    fn duplicate_local_first_wins() {
        #[rustfmt::skip]
        let attrs = [
            8, 0, 2, 0, 10, 0, 0, 1,    // IFA_LOCAL = 10.0.0.1
            8, 0, 2, 0, 10, 0, 0, 2,    // IFA_LOCAL = 10.0.0.2: a duplicate, ignored
            8, 0, 1, 0, 10, 0, 0, 1,    // IFA_ADDRESS = 10.0.0.1: no peer
        ];
        let a = addr(&HDR4, &attrs);
        assert_eq!(a.local, Some("10.0.0.1".parse().unwrap()));
        assert_eq!(a.peer, None);
    }
}
