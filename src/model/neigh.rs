//! Neighbours (the ARP and NDP tables): [`Neigh`], decoded from one
//! RTM_NEWNEIGH message, the names of its NUD states and NTF flags, and
//! [`StateFilter`], the state selection of `ip neigh show [nud STATE]`.
//!
//! The attributes are indexed first (first occurrence wins); unknown types
//! are skipped and a known attribute of the wrong size (an IPv4 NDA_DST of
//! 3 bytes, a short NDA_CACHEINFO) is dropped on its own.

use std::borrow::Cow;
use std::net::IpAddr;

use super::link::HwAddr;
use super::object::{ObjectKind, group};
use crate::wire::Error as WireError;
use crate::wire::attr::{AF_INET, AF_INET6, Attr, AttrIndex};
use crate::wire::ndmsg::*;
use crate::wire::nlmsg::NlMsg;

/// Bridge family: FDB entries, whose NDA_DST may be either IP version
/// (AF_BRIDGE, linux/socket.h).
pub const AF_BRIDGE: u8 = 7;
/// DECnet family, which `ip` never filters by state (AF_DECnet).
pub const AF_DECNET: u8 = 12;

/// NUD states with the lowercase names nlq prints, lowest bit first (the
/// order `ip` prints them in, too).
pub const NUD_NAMES: [(u16, &str); 8] = [
    (NUD_INCOMPLETE, "incomplete"),
    (NUD_REACHABLE, "reachable"),
    (NUD_STALE, "stale"),
    (NUD_DELAY, "delay"),
    (NUD_PROBE, "probe"),
    (NUD_FAILED, "failed"),
    (NUD_NOARP, "noarp"),
    (NUD_PERMANENT, "permanent"),
];

/// NTF flags with the lowercase names nlq prints (the kernel's names
/// without `NTF_`), lowest bit first.
pub const NTF_NAMES: [(u8, &str); 8] = [
    (NTF_USE, "use"),
    (NTF_SELF, "self"),
    (NTF_MASTER, "master"),
    (NTF_PROXY, "proxy"),
    (NTF_EXT_LEARNED, "extern_learn"),
    (NTF_OFFLOADED, "offloaded"),
    (NTF_STICKY, "sticky"),
    (NTF_ROUTER, "router"),
];

/// Extended flags (NDA_FLAGS_EXT) with the names nlq prints.
pub const NTF_EXT_NAMES: [(u32, &str); 1] = [(NTF_EXT_MANAGED, "managed")];

/// Ages and references of an entry (NDA_CACHEINFO, `struct
/// nda_cacheinfo`); ages in USER_HZ ticks, 1/100 s (see [`seconds`] and
/// [`whole_seconds`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CacheInfo {
    /// Ticks since the entry was last confirmed reachable (ndm_confirmed).
    pub confirmed: u32,
    /// Ticks since the entry was last used (ndm_used).
    pub used: u32,
    /// Ticks since the entry last changed (ndm_updated).
    pub updated: u32,
    /// References held, minus the table's own (ndm_refcnt).
    pub refcnt: u32,
}

impl CacheInfo {
    /// Read an NDA_CACHEINFO payload; `None` unless it is exactly
    /// `struct nda_cacheinfo` long.
    fn parse(payload: &[u8]) -> Option<CacheInfo> {
        let ci = NdaCacheInfo::parse(payload).ok()?;
        Some(CacheInfo {
            confirmed: ci.confirmed,
            used: ci.used,
            updated: ci.updated,
            refcnt: ci.refcnt,
        })
    }
}

/// One neighbour entry, as one RTM_NEWNEIGH message describes it.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Neigh {
    /// Address family, AF_INET / AF_INET6 (ndm_family).
    pub family: u8,
    /// Interface index; 0 for a proxy entry on no device (ndm_ifindex).
    pub ifindex: u32,
    /// State, NUD_* bits; NUD_NONE (0) for none (ndm_state).
    pub state: u16,
    /// Flags, NTF_* bits (ndm_flags).
    pub flags: u8,
    /// Route type of the destination, RTN_* (ndm_type).
    pub kind: u8,
    /// Network-layer address (NDA_DST).
    pub dst: Option<IpAddr>,
    /// Link-layer address, present only in a valid state (NDA_LLADDR).
    pub lladdr: Option<HwAddr>,
    /// Ages in USER_HZ ticks and the reference count (NDA_CACHEINFO).
    pub cacheinfo: Option<CacheInfo>,
    /// Unanswered probes (NDA_PROBES).
    pub probes: Option<u32>,
    /// Bridge FDB VLAN id (NDA_VLAN).
    pub vlan: Option<u16>,
    /// VXLAN FDB UDP port, host order (NDA_PORT).
    pub port: Option<u16>,
    /// VXLAN FDB network identifier (NDA_VNI).
    pub vni: Option<u32>,
    /// VXLAN FDB outgoing interface index (NDA_IFINDEX).
    pub via_ifindex: Option<u32>,
    /// Master device index, as FDB entries carry it (NDA_MASTER).
    pub master: Option<u32>,
    /// Network namespace id of the device (NDA_LINK_NETNSID).
    pub link_netnsid: Option<i32>,
    /// VXLAN FDB source VNI (NDA_SRC_VNI).
    pub src_vni: Option<u32>,
    /// Who added the entry, RTPROT_* (NDA_PROTOCOL).
    pub protocol: Option<u8>,
    /// FDB nexthop group id (NDA_NH_ID).
    pub nh_id: Option<u32>,
    /// Extended flags, NTF_EXT_* bits (NDA_FLAGS_EXT).
    pub flags_ext: Option<u32>,
}

impl Neigh {
    /// Decode an RTM_NEWNEIGH message: `Ok(None)` for any other message type, an
    /// error for one whose payload is too short for `struct ndmsg`
    /// (malformed: nothing of it can be trusted).
    pub fn try_from_msg(msg: &NlMsg<&[u8]>) -> Result<Option<Neigh>, WireError> {
        if msg.kind() != RTM_NEWNEIGH {
            return Ok(None);
        }
        Ok(Some(Neigh::decode(&NdMsg::new_checked(msg.payload())?)))
    }

    /// [`Neigh::try_from_msg`] for callers that skip what they cannot read:
    /// `None` for another message type and for a malformed one alike.
    pub fn from_msg(msg: &NlMsg<&[u8]>) -> Option<Neigh> {
        Self::try_from_msg(msg).ok().flatten()
    }

    /// Decode a checked `ndmsg` and its attributes. Never panics.
    pub fn decode<T: AsRef<[u8]>>(hdr: &NdMsg<T>) -> Neigh {
        let tb = AttrIndex::<NDA_MAX>::parse(hdr.attr_bytes());
        let family = hdr.family();
        let u32_of = |kind| tb.get(kind).and_then(|a| a.u32().ok());
        Neigh {
            family,
            ifindex: hdr.ifindex(),
            state: hdr.state(),
            flags: hdr.flags(),
            kind: hdr.kind(),
            dst: tb.get(NDA_DST).and_then(|a| dst(family, a)),
            lladdr: tb.get(NDA_LLADDR).and_then(|a| HwAddr::new(a.hwaddr())),
            cacheinfo: tb
                .get(NDA_CACHEINFO)
                .and_then(|a| CacheInfo::parse(a.payload())),
            probes: u32_of(NDA_PROBES),
            vlan: tb.get(NDA_VLAN).and_then(|a| a.u16().ok()),
            port: tb.get(NDA_PORT).and_then(|a| a.be16().ok()),
            vni: u32_of(NDA_VNI),
            via_ifindex: u32_of(NDA_IFINDEX),
            master: u32_of(NDA_MASTER),
            link_netnsid: tb.get(NDA_LINK_NETNSID).and_then(|a| a.i32().ok()),
            src_vni: u32_of(NDA_SRC_VNI),
            protocol: tb.get(NDA_PROTOCOL).and_then(|a| a.u8().ok()),
            nh_id: u32_of(NDA_NH_ID),
            flags_ext: u32_of(NDA_FLAGS_EXT),
        }
    }

    /// Whether NTF flag `bit` is set.
    fn has_flag(&self, bit: u8) -> bool {
        self.flags & bit != 0
    }

    /// Whether extended flag `bit` (NDA_FLAGS_EXT) is set.
    pub fn has_ext_flag(&self, bit: u32) -> bool {
        self.flags_ext.unwrap_or(0) & bit != 0
    }

    /// Whether the neighbour is a router, from IPv6 neighbour discovery
    /// (NTF_ROUTER).
    pub fn is_router(&self) -> bool {
        self.has_flag(NTF_ROUTER)
    }

    /// Whether this is a proxy entry (NTF_PROXY).
    pub fn is_proxy(&self) -> bool {
        self.has_flag(NTF_PROXY)
    }

    /// Whether something outside the kernel learned the entry
    /// (NTF_EXT_LEARNED).
    pub fn is_extern_learn(&self) -> bool {
        self.has_flag(NTF_EXT_LEARNED)
    }

    /// Whether the entry is offloaded to hardware (NTF_OFFLOADED).
    pub fn is_offloaded(&self) -> bool {
        self.has_flag(NTF_OFFLOADED)
    }

    /// Whether the kernel keeps the entry resolved on its own
    /// (NTF_EXT_MANAGED in NDA_FLAGS_EXT).
    pub fn is_managed(&self) -> bool {
        self.has_ext_flag(NTF_EXT_MANAGED)
    }

    /// Lowercase names of the set NUD_* states, lowest bit first; unknown
    /// bits follow as one hex string. Empty for NUD_NONE.
    pub fn state_names(&self) -> impl Iterator<Item = Cow<'static, str>> + '_ {
        names(u32::from(self.state), &NUD_NAMES)
    }

    /// Lowercase names of the set NTF_* flags, lowest bit first; unknown
    /// bits cannot occur (all eight have names).
    pub fn flag_names(&self) -> impl Iterator<Item = Cow<'static, str>> + '_ {
        names(u32::from(self.flags), &NTF_NAMES)
    }

    /// Names of the set extended flags (NDA_FLAGS_EXT); unknown bits follow
    /// as one hex string.
    pub fn ext_flag_names(&self) -> impl Iterator<Item = Cow<'static, str>> + '_ {
        names(self.flags_ext.unwrap_or(0), &NTF_EXT_NAMES)
    }
}

/// The names of the bits of `value` that `table` names, in table order,
/// then the rest as one hex string.
fn names<B: Copy + Into<u32>>(
    value: u32,
    table: &'static [(B, &'static str)],
) -> impl Iterator<Item = Cow<'static, str>> {
    let known = table.iter().fold(0u32, |acc, &(bit, _)| acc | bit.into());
    let rest = value & !known;
    table
        .iter()
        .filter(move |&&(bit, _)| value & bit.into() != 0)
        .map(|&(_, name)| Cow::Borrowed(name))
        .chain((rest != 0).then(|| Cow::Owned(format!("{rest:#x}"))))
}

/// NDA_DST in `family`; a bridge FDB entry's is either IP version, told
/// apart by its size as `ip` does.
fn dst(family: u8, a: Attr<'_>) -> Option<IpAddr> {
    let family = match (family, a.payload().len()) {
        (AF_BRIDGE, 16) => AF_INET6,
        (AF_BRIDGE, _) => AF_INET,
        (f, _) => f,
    };
    a.ip(family).ok()
}

/// Seconds, to 1/100 s, from USER_HZ ticks.
pub fn seconds(ticks: u32) -> f64 {
    f64::from(ticks) / f64::from(USER_HZ)
}

/// Whole seconds, rounded down, from USER_HZ ticks (what `ip -s` prints:
/// `ticks / get_user_hz()`).
pub fn whole_seconds(ticks: u32) -> u32 {
    ticks / USER_HZ
}

/// The states a listing shows, as iproute2's `filter.state`: NUD_* bits,
/// plus [`StateFilter::NONE`] for entries in no state at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateFilter(pub u32);

impl StateFilter {
    /// The bit that selects entries with NUD_NONE (`nud none`; `ip` uses
    /// 0x100, one past the 8 state bits, since NUD_NONE is 0).
    pub const NONE: u32 = 0x100;
    /// `ip neigh show` without `nud`: every state but NOARP, and not NONE
    /// (`0xFF & ~NUD_NOARP`).
    pub const DEFAULT: StateFilter = StateFilter(0xFF & !(NUD_NOARP as u32));
    /// `nud all`: everything.
    pub const ALL: StateFilter = StateFilter(u32::MAX);

    /// Whether a listing with this filter shows `n`. As `print_neigh`
    /// does: proxy and externally learned entries, and DECnet ones, are
    /// shown whatever their state.
    pub fn shows(self, n: &Neigh) -> bool {
        self.0 & u32::from(n.state) != 0
            || n.has_flag(NTF_PROXY)
            || n.has_flag(NTF_EXT_LEARNED)
            || (n.state == NUD_NONE && self.0 & Self::NONE != 0)
            || n.family == AF_DECNET
    }
}

impl ObjectKind for Neigh {
    const NAME: &'static str = "neigh";
    const NEW: u16 = RTM_NEWNEIGH;
    const DEL: u16 = RTM_DELNEIGH;
    const GET: u16 = RTM_GETNEIGH;
    const GROUPS: &'static [(u8, u32)] = &[(0, group::NEIGH)];
    // Bridge FDB entries (AF_BRIDGE) share the group; they are not
    // neighbours of an IP family.
    const FAMILIES: &'static [u8] = &[AF_INET, AF_INET6];
    /// (ndm_ifindex, family, NDA_DST), and for a bridge FDB entry
    /// (AF_BRIDGE, which has no NDA_DST) its MAC address and VLAN: what
    /// the bridge looks an entry up by (br_fdb_find).
    type Key = (u32, u8, Option<IpAddr>, Vec<u8>, Option<u16>);

    fn decode_payload(payload: &[u8]) -> Result<Self, WireError> {
        Ok(Neigh::decode(&NdMsg::new_checked(payload)?))
    }
    fn dump_header(family: u8) -> Vec<u8> {
        NdMsgRepr {
            family,
            ..NdMsgRepr::default()
        }
        .emit()
        .to_vec()
    }
    fn key(&self) -> Self::Key {
        // An IP neighbour's link-layer address changes under its key.
        let bridge = self.family == AF_BRIDGE;
        let mac = match (&self.lladdr, bridge) {
            (Some(a), true) => a.as_bytes().to_vec(),
            _ => Vec::new(),
        };
        let vlan = self.vlan.filter(|_| bridge);
        (self.ifindex, self.family, self.dst, mac, vlan)
    }
    fn settle(&mut self) {
        self.cacheinfo = None;
        self.probes = None;
    }
    fn family(&self) -> u8 {
        self.family
    }
    fn on_dev(&self, index: u32, _: &str) -> bool {
        self.ifindex == index
    }
    /// Bridge FDB entries are kind `fdb`'s (model/fdb.rs).
    fn owns(&self) -> bool {
        self.family != AF_BRIDGE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `struct ndmsg`: AF_INET, ifindex 3, NUD_REACHABLE, no flags,
    /// RTN_UNICAST.
    #[rustfmt::skip]
    const HDR4: [u8; 12] = [
        2, 0, 0, 0,     // ndm_family = AF_INET, pads
        3, 0, 0, 0,     // ndm_ifindex = 3
        0x02, 0,        // ndm_state = NUD_REACHABLE
        0,              // ndm_flags
        1,              // ndm_type = RTN_UNICAST
    ];

    fn neigh(hdr: &[u8], attrs: &[u8]) -> Neigh {
        let mut buf = hdr.to_vec();
        buf.extend_from_slice(attrs);
        Neigh::decode(&NdMsg::new_checked(&buf[..]).unwrap())
    }

    /// What the kernel's `neigh_fill_info` sends for a reachable IPv4
    /// neighbour, in its order.
    #[rustfmt::skip]
    const KERNEL4: [u8; 8 + 12 + 8 + 20 + 8] = [
        8, 0, 1, 0, 10, 0, 0, 2,            // NDA_DST = 10.0.0.2
        10, 0, 2, 0, 2, 0, 0, 0, 0, 2, 0, 0, // NDA_LLADDR = 02:00:00:00:00:02 + pad
        8, 0, 4, 0, 1, 0, 0, 0,             // NDA_PROBES = 1
        20, 0, 3, 0,                        // NDA_CACHEINFO
            0x70, 0x17, 0, 0,               //   ndm_confirmed = 6000 ticks
            0xe8, 0x03, 0, 0,               //   ndm_used = 1000 ticks
            0x2c, 0x01, 0, 0,               //   ndm_updated = 300 ticks
            1, 0, 0, 0,                     //   ndm_refcnt = 1
        5, 0, 12, 0, 4, 0, 0, 0,            // NDA_PROTOCOL = 4 (static) + pad
    ];

    #[test]
    fn decodes_what_the_kernel_sends() {
        let n = neigh(&HDR4, &KERNEL4);
        assert_eq!(n.family, AF_INET);
        assert_eq!(n.ifindex, 3);
        assert_eq!(n.dst, Some("10.0.0.2".parse().unwrap()));
        assert_eq!(n.lladdr.unwrap().as_bytes(), &[2, 0, 0, 0, 0, 2]);
        assert_eq!(n.probes, Some(1));
        let ci = n.cacheinfo.unwrap();
        assert_eq!(
            (ci.confirmed, ci.used, ci.updated, ci.refcnt),
            (6000, 1000, 300, 1)
        );
        assert_eq!(seconds(ci.confirmed), 60.0);
        assert_eq!(seconds(ci.updated), 3.0);
        assert_eq!(whole_seconds(ci.confirmed + 99), 60, "rounded down");
        assert_eq!(n.protocol, Some(4));
        assert_eq!(n.state_names().collect::<Vec<_>>(), ["reachable"]);
        assert_eq!(n.flag_names().count(), 0);
        assert_eq!(n.flags_ext, None);
    }

    #[test]
    fn ipv6_router_with_flags_ext() {
        #[rustfmt::skip]
        let hdr = [
            10, 0, 0, 0,    // AF_INET6
            2, 0, 0, 0,     // ndm_ifindex = 2
            0x84, 0,        // NUD_STALE | NUD_PERMANENT
            0x90,           // NTF_ROUTER | NTF_EXT_LEARNED
            1,              // RTN_UNICAST
        ];
        let mut attrs = vec![20, 0, 1, 0]; // NDA_DST, 16 bytes
        attrs.extend_from_slice(&"fe80::1".parse::<std::net::Ipv6Addr>().unwrap().octets());
        attrs.extend_from_slice(&[8, 0, 15, 0, 0x05, 0, 0, 0]); // NDA_FLAGS_EXT = MANAGED | 0x4
        let n = neigh(&hdr, &attrs);
        assert_eq!(n.dst, Some("fe80::1".parse().unwrap()));
        assert_eq!(n.state_names().collect::<Vec<_>>(), ["stale", "permanent"]);
        assert_eq!(
            n.flag_names().collect::<Vec<_>>(),
            ["extern_learn", "router"]
        );
        assert!(n.has_flag(NTF_ROUTER) && n.has_ext_flag(NTF_EXT_MANAGED));
        assert!(n.is_router() && n.is_extern_learn() && n.is_managed());
        assert!(!n.is_proxy() && !n.is_offloaded());
        assert_eq!(n.ext_flag_names().collect::<Vec<_>>(), ["managed", "0x4"]);
    }

    #[test]
    fn wrong_sizes_drop_one_field() {
        #[rustfmt::skip]
        let attrs = [
            7, 0, 1, 0, 10, 0, 0, 0,            // NDA_DST of 3 bytes: dropped
            8, 0, 4, 0, 9, 0, 0, 0,             // NDA_PROBES = 9
            12, 0, 3, 0, 1, 0, 0, 0, 2, 0, 0, 0, // NDA_CACHEINFO of 8 bytes: dropped
            6, 0, 12, 0, 4, 0, 0, 0,            // NDA_PROTOCOL of 2 bytes: dropped
            6, 0, 6, 0, 0x12, 0xb5, 0, 0,       // NDA_PORT = 4789 (network order)
            8, 0, 0xe8, 0x03, 0, 0, 0, 0,       // type 1000: skipped
        ];
        let n = neigh(&HDR4, &attrs);
        assert_eq!(n.dst, None);
        assert_eq!(n.probes, Some(9));
        assert_eq!(n.cacheinfo, None);
        assert_eq!(n.protocol, None);
        assert_eq!(n.port, Some(4789));
    }

    #[test]
    fn fdb_attributes_and_bridge_dst() {
        #[rustfmt::skip]
        let hdr = [
            7, 0, 0, 0,     // AF_BRIDGE
            4, 0, 0, 0,     // ndm_ifindex = 4
            0x80, 0,        // NUD_PERMANENT
            0x02,           // NTF_SELF
            0,
        ];
        #[rustfmt::skip]
        let attrs = [
            8, 0, 1, 0, 192, 0, 2, 1,           // NDA_DST = 192.0.2.1 (by size)
            6, 0, 5, 0, 100, 0, 0, 0,           // NDA_VLAN = 100
            8, 0, 7, 0, 42, 0, 0, 0,            // NDA_VNI = 42
            8, 0, 8, 0, 5, 0, 0, 0,             // NDA_IFINDEX = 5
            8, 0, 9, 0, 6, 0, 0, 0,             // NDA_MASTER = 6
            8, 0, 10, 0, 0xff, 0xff, 0xff, 0xff, // NDA_LINK_NETNSID = -1
            8, 0, 11, 0, 43, 0, 0, 0,           // NDA_SRC_VNI = 43
            8, 0, 13, 0, 7, 0, 0, 0,            // NDA_NH_ID = 7
        ];
        let n = neigh(&hdr, &attrs);
        assert_eq!(n.dst, Some("192.0.2.1".parse().unwrap()));
        assert_eq!(
            (
                n.vlan,
                n.vni,
                n.via_ifindex,
                n.master,
                n.link_netnsid,
                n.src_vni,
                n.nh_id
            ),
            (
                Some(100),
                Some(42),
                Some(5),
                Some(6),
                Some(-1),
                Some(43),
                Some(7)
            )
        );
        assert_eq!(n.flag_names().collect::<Vec<_>>(), ["self"]);
    }

    #[test]
    fn unknown_state_bits_and_none() {
        let mut hdr = HDR4;
        hdr[8..10].copy_from_slice(&0x0304u16.to_ne_bytes());
        let n = neigh(&hdr, &[]);
        assert_eq!(n.state_names().collect::<Vec<_>>(), ["stale", "0x300"]);
        hdr[8..10].copy_from_slice(&0u16.to_ne_bytes());
        assert_eq!(neigh(&hdr, &[]).state_names().count(), 0);
    }

    #[test]
    fn state_filter_follows_ip() {
        let mut n = neigh(&HDR4, &[]);
        let shows = |f: StateFilter, n: &Neigh| f.shows(n);
        assert!(shows(StateFilter::DEFAULT, &n), "reachable is shown");
        n.state = NUD_NOARP;
        assert!(!shows(StateFilter::DEFAULT, &n), "noarp is hidden");
        assert!(shows(StateFilter::ALL, &n));
        n.state = NUD_NONE;
        assert!(!shows(StateFilter::DEFAULT, &n), "none is hidden");
        assert!(shows(StateFilter(StateFilter::NONE), &n));
        assert!(shows(StateFilter::ALL, &n));
        n.state = NUD_NOARP;
        n.flags = NTF_EXT_LEARNED;
        assert!(
            shows(StateFilter(NUD_STALE.into()), &n),
            "extern_learn always"
        );
        n.flags = NTF_PROXY;
        assert!(shows(StateFilter(NUD_STALE.into()), &n), "proxy always");
    }

    #[test]
    fn from_msg_skips_other_types_and_short_payloads() {
        let msg = |kind, payload: &[u8]| crate::dump::script::message(kind, 0x02, 1, payload);
        for have in [0, 11] {
            let m = msg(RTM_NEWNEIGH, &HDR4[..have]);
            assert_eq!(Neigh::from_msg(&NlMsg::new_checked(&m[..]).unwrap()), None);
        }
        let m = msg(RTM_DELNEIGH, &HDR4);
        assert_eq!(Neigh::from_msg(&NlMsg::new_checked(&m[..]).unwrap()), None);
        let m = msg(RTM_NEWNEIGH, &HDR4);
        let n = Neigh::from_msg(&NlMsg::new_checked(&m[..]).unwrap()).unwrap();
        assert_eq!((n.ifindex, n.dst, n.lladdr), (3, None, None));
    }

    #[test]
    fn duplicate_dst_first_wins() {
        #[rustfmt::skip]
        let attrs = [
            8, 0, 1, 0, 10, 0, 0, 1,    // NDA_DST = 10.0.0.1
            8, 0, 1, 0, 10, 0, 0, 2,    // NDA_DST = 10.0.0.2: ignored
        ];
        assert_eq!(neigh(&HDR4, &attrs).dst, Some("10.0.0.1".parse().unwrap()));
    }

    #[test]
    fn empty_and_oversized_lladdr() {
        let n = neigh(&HDR4, &[4, 0, 2, 0]); // NDA_LLADDR of 0 bytes (a tun device)
        assert_eq!(n.lladdr.map(|a| a.as_bytes().len()), Some(0));
        let mut big = vec![40, 0, 2, 0];
        big.extend_from_slice(&[0xaa; 36]); // 36 bytes: over MAX_ADDR_LEN, dropped
        assert_eq!(neigh(&HDR4, &big).lladdr, None);
    }
}
