//! A route (RTM_NEWROUTE), decoded from a checked [`RtMsg`] into an owned
//! value every renderer reads.
//!
//! Decoding follows the house policy (STYLE.md habits 6–8): the attributes
//! are indexed once with [`AttrIndex`] (the first occurrence of a type wins),
//! unknown types are skipped, and each known attribute is checked strictly.
//! A known attribute of the wrong size (an RTA_DST of 2 bytes for AF_INET,
//! an RTA_OIF of 3 bytes) drops that one field and sets its flag in
//! [`Route::malformed`]; the rest of the route survives. Nothing here can
//! panic, whatever the bytes say.
//!
//! [`Route::decode_into`] reuses one value across a dump, nexthop vector
//! included, so a dump of a million routes does not allocate per route
//! (seg6 segment lists are the one exception).

mod encap;
mod flags;
mod kind;
mod malformed;
mod metrics;
mod mpls;

use std::net::IpAddr;

pub use encap::*;
pub use flags::*;
pub use kind::*;
pub use malformed::Malformed;
pub use metrics::*;
pub use mpls::*;

use super::object::{ObjectKind, group};
use crate::wire::Error as WireError;
use crate::wire::attr::{AF_INET, AF_INET6, Attr, AttrIndex};
use crate::wire::rtmsg::{
    NextHops, RT_TABLE_MAIN, RTA_CACHEINFO, RTA_DST, RTA_ENCAP_TYPE, RTA_FLOW, RTA_GATEWAY,
    RTA_IIF, RTA_MARK, RTA_MAX, RTA_METRICS, RTA_MULTIPATH, RTA_NEWDST, RTA_NH_ID, RTA_OIF,
    RTA_PREF, RTA_PREFSRC, RTA_PRIORITY, RTA_SRC, RTA_TABLE, RTA_TTL_PROPAGATE, RTA_UID, RTA_VIA,
    RTM_DELROUTE, RTM_F_CLONED, RTM_GETROUTE, RTM_NEWROUTE, RtMsg, RtMsgRepr,
};

/// The main routing table's id (RT_TABLE_MAIN, linux/rtnetlink.h): the
/// table `ip route` shows by default and leaves out of its output.
pub const TABLE_MAIN: u32 = RT_TABLE_MAIN;

/// Bytes of `struct rta_cacheinfo`.
const CACHEINFO_LEN: usize = 32;

/// `struct rta_cacheinfo` (RTA_CACHEINFO); times in USER_HZ ticks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CacheInfo {
    /// References held (rta_clntref).
    pub clntref: u32,
    /// Ticks since last use (rta_lastuse).
    pub lastuse: u32,
    /// Ticks until expiry, 0 for none, negative once expired (rta_expires).
    pub expires: i32,
    /// Cached error (rta_error).
    pub error: u32,
    /// Times used (rta_used).
    pub used: u32,
    /// IP id (rta_id).
    pub id: u32,
    /// TCP timestamp (rta_ts).
    pub ts: u32,
    /// Seconds since the timestamp (rta_tsage).
    pub tsage: u32,
}

/// Clock ticks per second of RTA_CACHEINFO times: the kernel's USER_HZ,
/// 100 on every architecture Linux routes on but alpha (what `ip` reads
/// from sysconf(_SC_CLK_TCK)).
pub const USER_HZ: i32 = 100;

impl CacheInfo {
    fn parse(a: Attr<'_>) -> Result<Self, WireError> {
        let b: [u8; CACHEINFO_LEN] = a.fixed()?;
        let w = |i: usize| u32::from_ne_bytes([b[i * 4], b[i * 4 + 1], b[i * 4 + 2], b[i * 4 + 3]]);
        Ok(CacheInfo {
            clntref: w(0),
            lastuse: w(1),
            expires: w(2) as i32,
            error: w(3),
            used: w(4),
            id: w(5),
            ts: w(6),
            tsage: w(7),
        })
    }

    /// Seconds until expiry (truncated toward zero, as `ip`), `None` for
    /// a route that does not expire.
    pub fn expires_secs(&self) -> Option<i32> {
        (self.expires != 0).then_some(self.expires / USER_HZ)
    }
}

/// One nexthop of a multipath route (`struct rtnexthop` + its attributes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Hop {
    /// RTNH_F_* flags (rtnh_flags).
    pub flags: u8,
    /// Weight minus one (rtnh_hops); the TTL threshold for multicast entries.
    pub hops: u8,
    /// Output interface (rtnh_ifindex); 0 for none.
    pub ifindex: u32,
    /// Gateway in the route's family (RTA_GATEWAY).
    pub gateway: Option<IpAddr>,
    /// Gateway of another family (RTA_VIA).
    pub via: Option<IpAddr>,
    /// Labels an MPLS route's nexthop swaps the top label for
    /// (RTA_NEWDST, `as to`).
    pub newdst: Option<Labels>,
    /// Realms (RTA_FLOW).
    pub flow: Option<Realms>,
    /// Encapsulation (RTA_ENCAP_TYPE + RTA_ENCAP).
    pub encap: Option<Encap>,
}

impl Hop {
    /// The weight `ip route` shows: rtnh_hops + 1.
    pub fn weight(&self) -> u16 {
        self.hops as u16 + 1
    }
}

/// One route, as every renderer sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Route {
    /// Address family (rtm_family).
    pub family: Family,
    /// Destination prefix length, in bits (rtm_dst_len).
    pub dst_len: u8,
    /// Source prefix length, in bits (rtm_src_len).
    pub src_len: u8,
    /// TOS / DS field (rtm_tos).
    pub tos: u8,
    /// Table id: RTA_TABLE when present and valid, else rtm_table.
    pub table: u32,
    /// Routing protocol (rtm_protocol).
    pub protocol: Protocol,
    /// Scope (rtm_scope).
    pub scope: Scope,
    /// Type (rtm_type).
    pub kind: RouteType,
    /// RTM_F_* / RTNH_F_* / RTCF_* flags (rtm_flags).
    pub flags: u32,
    /// Destination address (RTA_DST) of an IP route; `None` for a default
    /// route and for MPLS.
    pub dst: Option<IpAddr>,
    /// Destination label stack (RTA_DST) of an MPLS route (AF_MPLS).
    pub dst_labels: Option<Labels>,
    /// Source prefix address (RTA_SRC), for source-specific routes.
    pub src: Option<IpAddr>,
    /// Gateway in the route's family (RTA_GATEWAY).
    pub gateway: Option<IpAddr>,
    /// Gateway of another family (RTA_VIA); families other than
    /// inet/inet6 are not decoded.
    pub via: Option<IpAddr>,
    /// Labels an MPLS route swaps the top label for (RTA_NEWDST, `as to`).
    pub newdst: Option<Labels>,
    /// Output interface index (RTA_OIF).
    pub oif: Option<u32>,
    /// Input interface index (RTA_IIF: multicast entries, lookups).
    pub iif: Option<u32>,
    /// Preferred source address (RTA_PREFSRC).
    pub prefsrc: Option<IpAddr>,
    /// Metric / priority (RTA_PRIORITY); IPv4 omits it when 0.
    pub priority: Option<u32>,
    /// Firewall mark (RTA_MARK).
    pub mark: Option<u32>,
    /// UID (RTA_UID).
    pub uid: Option<u32>,
    /// Realms (RTA_FLOW).
    pub flow: Option<Realms>,
    /// Nexthop object id (RTA_NH_ID).
    pub nhid: Option<u32>,
    /// IPv6 router preference (RTA_PREF).
    pub pref: Option<Pref>,
    /// Whether an MPLS route copies the TTL between label and IP header
    /// (RTA_TTL_PROPAGATE); `None`: the `net.mpls.ip_ttl_propagate`
    /// default.
    pub ttl_propagate: Option<bool>,
    /// Cache information (RTA_CACHEINFO): expiry, error, usage.
    pub cacheinfo: Option<CacheInfo>,
    /// Metrics (RTA_METRICS).
    pub metrics: Option<Metrics>,
    /// Encapsulation (RTA_ENCAP_TYPE + RTA_ENCAP).
    pub encap: Option<Encap>,
    /// Whether the route carries RTA_MULTIPATH.
    pub multipath: bool,
    /// The nexthops of RTA_MULTIPATH, in kernel order (empty otherwise).
    pub nexthops: Vec<Hop>,
    /// The attributes that were present but malformed (wrong size, or a
    /// bad nested structure); their fields were dropped.
    pub malformed: Malformed,
    /// Whether the attribute walk stopped early at a malformed header
    /// (the attributes after it are lost).
    pub truncated: bool,
}

impl Route {
    /// Decode a route message into a new value.
    pub fn decode<T: AsRef<[u8]>>(msg: &RtMsg<T>) -> Self {
        let mut r = Route::default();
        r.decode_into(msg);
        r
    }

    /// Decode a route message into `self`, reusing its allocations.
    pub fn decode_into<T: AsRef<[u8]>>(&mut self, msg: &RtMsg<T>) {
        let mut hops = std::mem::take(&mut self.nexthops);
        hops.clear();
        *self = Route {
            family: Family(msg.family()),
            dst_len: msg.dst_len(),
            src_len: msg.src_len(),
            tos: msg.tos(),
            table: msg.table() as u32,
            protocol: Protocol(msg.protocol()),
            scope: Scope(msg.scope()),
            kind: RouteType::from_u8(msg.kind()),
            flags: msg.flags(),
            nexthops: hops,
            ..Route::default()
        };
        let idx = AttrIndex::<RTA_MAX>::parse(msg.attr_bytes());
        self.truncated = idx.error.is_some();
        self.read_addrs(&idx);
        self.read_scalars(&idx);
        self.read_nested(&idx);
    }

    /// Whether this is a cloned (cache / exception) route (RTM_F_CLONED).
    pub fn is_cloned(&self) -> bool {
        self.flags & RTM_F_CLONED != 0
    }

    /// Read attribute `kind` with `get`; a malformed one is recorded and
    /// yields `None`.
    fn field<V>(
        &mut self,
        idx: &AttrIndex<'_, RTA_MAX>,
        kind: u16,
        get: impl FnOnce(Attr<'_>) -> Result<V, WireError>,
    ) -> Option<V> {
        let value = get(idx.get(kind)?);
        if value.is_err() {
            self.malformed.set(kind);
        }
        value.ok()
    }

    fn read_addrs(&mut self, idx: &AttrIndex<'_, RTA_MAX>) {
        let fam = self.family.addr_family();
        if fam == AF_INET || fam == AF_INET6 {
            self.dst = self.field(idx, RTA_DST, |a| a.ip(fam));
            self.src = self.field(idx, RTA_SRC, |a| a.ip(fam));
            self.gateway = self.field(idx, RTA_GATEWAY, |a| a.ip(fam));
            self.prefsrc = self.field(idx, RTA_PREFSRC, |a| a.ip(fam));
        } else if fam == AF_MPLS {
            // ip formats RTA_NEWDST in the route's family: only MPLS
            // routes carry label stacks there.
            self.dst_labels = self.field(idx, RTA_DST, Labels::parse);
            self.newdst = self.field(idx, RTA_NEWDST, Labels::parse);
        }
        self.via = self.field(idx, RTA_VIA, via).flatten();
    }

    fn read_scalars(&mut self, idx: &AttrIndex<'_, RTA_MAX>) {
        let u32_of = |a: Attr<'_>| a.u32();
        if let Some(t) = self.field(idx, RTA_TABLE, u32_of) {
            self.table = t;
        }
        self.oif = self.field(idx, RTA_OIF, u32_of);
        self.iif = self.field(idx, RTA_IIF, u32_of);
        self.priority = self.field(idx, RTA_PRIORITY, u32_of);
        self.mark = self.field(idx, RTA_MARK, u32_of);
        self.uid = self.field(idx, RTA_UID, u32_of);
        self.nhid = self.field(idx, RTA_NH_ID, u32_of);
        self.flow = self.field(idx, RTA_FLOW, u32_of).map(Realms::from_u32);
        self.pref = self.field(idx, RTA_PREF, |a| a.u8()).map(Pref);
        self.ttl_propagate = self
            .field(idx, RTA_TTL_PROPAGATE, |a| a.u8())
            .map(|v| v != 0);
        self.cacheinfo = self.field(idx, RTA_CACHEINFO, CacheInfo::parse);
    }

    fn read_nested(&mut self, idx: &AttrIndex<'_, RTA_MAX>) {
        if let Some(a) = idx.get(RTA_METRICS) {
            let m = Metrics::parse(a.payload());
            self.malformed.metrics = m.malformed;
            self.metrics = Some(m);
        }
        self.encap = Encap::parse(idx);
        self.malformed.encap_type = idx.get(RTA_ENCAP_TYPE).is_some_and(|a| a.u16().is_err());
        if let Some(a) = idx.get(RTA_MULTIPATH) {
            self.multipath = true;
            self.malformed.multipath =
                !read_hops(a.payload(), self.family.addr_family(), &mut self.nexthops);
        }
    }

    /// Whether the route goes out through interface `ifindex`, directly or
    /// through one of its multipath nexthops.
    pub fn uses_dev(&self, ifindex: u32) -> bool {
        self.oif == Some(ifindex) || self.nexthops.iter().any(|h| h.ifindex == ifindex)
    }

    /// The metric: RTA_PRIORITY, or 0 for IPv4/IPv6 routes without it (the
    /// kernel leaves it out when it is 0); `None` for other families.
    pub fn metric(&self) -> Option<u32> {
        let ip = matches!(self.family.0, AF_INET | AF_INET6);
        self.priority.or(ip.then_some(0))
    }
}

/// RTA_VIA: `struct rtvia { u16 family; u8 addr[]; }`. Families other
/// than inet/inet6 are not decoded (`Ok(None)`); an inet/inet6 address of
/// the wrong size is an error.
fn via(a: Attr<'_>) -> Result<Option<IpAddr>, WireError> {
    let p = a.payload();
    let [f0, f1, addr @ ..] = p else {
        return Err(WireError::AttrSize {
            kind: a.kind(),
            len: p.len(),
            expected: 2,
        });
    };
    let family = u16::from_ne_bytes([*f0, *f1]);
    match u8::try_from(family) {
        Ok(f @ (AF_INET | AF_INET6)) => Attr::new(a.kind(), addr).ip(f).map(Some),
        _ => Ok(None),
    }
}

/// Read the nexthops of RTA_MULTIPATH into `out`; `false` when a
/// malformed entry or attribute was met (what came before it is kept).
fn read_hops(payload: &[u8], fam: u8, out: &mut Vec<Hop>) -> bool {
    let mut ok = true;
    // The iterator stops after its first error, so this loop ends even for
    // an rtnh_len of 0.
    for nh in NextHops::new(payload) {
        let Ok(nh) = nh else { return false };
        let idx = AttrIndex::<RTA_MAX>::parse(nh.attrs);
        let mut hop = Hop {
            flags: nh.flags,
            hops: nh.hops,
            ifindex: nh.ifindex,
            encap: Encap::parse(&idx),
            ..Hop::default()
        };
        ok &= idx.error.is_none() && read_hop_attrs(&idx, fam, &mut hop);
        out.push(hop);
    }
    ok
}

/// Read a nexthop's own gateway, via, MPLS labels and realms; `false` if
/// one of them was malformed (and dropped).
fn read_hop_attrs(idx: &AttrIndex<'_, RTA_MAX>, fam: u8, hop: &mut Hop) -> bool {
    let mut ok = true;
    if let (Some(a), AF_INET | AF_INET6) = (idx.get(RTA_GATEWAY), fam) {
        hop.gateway = a.ip(fam).ok();
        ok &= hop.gateway.is_some();
    }
    if let Some(a) = idx.get(RTA_VIA) {
        let v = via(a);
        ok &= v.is_ok();
        hop.via = v.ok().flatten();
    }
    if let (Some(a), AF_MPLS) = (idx.get(RTA_NEWDST), fam) {
        hop.newdst = Labels::parse(a).ok();
        ok &= hop.newdst.is_some();
    }
    if let Some(a) = idx.get(RTA_FLOW) {
        hop.flow = a.u32().ok().map(Realms::from_u32);
        ok &= hop.flow.is_some();
    }
    ok
}

/// A route's identity: what the kernel compares to find "the same route"
/// (fib_find_alias / fib6_add_rt2node): table, family, destination (an
/// MPLS route's label), source prefix, tos and priority (IPv6's metric).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RouteKey {
    table: u32,
    family: u8,
    dst: Option<IpAddr>,
    dst_labels: Option<Labels>,
    dst_len: u8,
    src: Option<IpAddr>,
    src_len: u8,
    tos: u8,
    priority: u32,
}

impl ObjectKind for Route {
    const NAME: &'static str = "route";
    const NEW: u16 = RTM_NEWROUTE;
    const DEL: u16 = RTM_DELROUTE;
    const GET: u16 = RTM_GETROUTE;
    const GROUPS: &'static [(u8, u32)] = &[
        (AF_INET, group::IPV4_ROUTE),
        (AF_INET6, group::IPV6_ROUTE),
        (AF_MPLS, group::MPLS_ROUTE),
    ];
    const FAMILIES: &'static [u8] = &[AF_INET, AF_INET6, AF_MPLS];
    type Key = RouteKey;

    fn decode_payload(payload: &[u8]) -> Result<Self, WireError> {
        Ok(Route::decode(&RtMsg::new_checked(payload)?))
    }
    fn dump_header(family: u8) -> Vec<u8> {
        RtMsgRepr {
            family,
            ..RtMsgRepr::default()
        }
        .emit()
        .to_vec()
    }
    fn key(&self) -> RouteKey {
        RouteKey {
            table: self.table,
            family: self.family.0,
            dst: self.dst,
            dst_labels: self.dst_labels,
            dst_len: self.dst_len,
            src: self.src,
            src_len: self.src_len,
            tos: self.tos,
            priority: self.priority.unwrap_or(0),
        }
    }
    fn settle(&mut self) {
        self.cacheinfo = None;
    }
    fn family(&self) -> u8 {
        self.family.0
    }
    fn on_dev(&self, index: u32, _: &str) -> bool {
        self.uses_dev(index)
    }
    fn listed(&self) -> bool {
        !self.is_cloned()
    }
}

#[cfg(test)]
mod mpls_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    /// An IPv4 route as the kernel dumps it:
    /// `10.1.2.0/24 via 10.0.0.1 dev 3 proto static metric 50 onlink
    ///  table 100 mtu lock 1400 realms 3/4`.
    #[rustfmt::skip]
    const FULL: [u8; 12 + 8 + 8 + 8 + 8 + 8 + 8 + 20 + 8] = [
        2,    // rtm_family = AF_INET
        24,   // rtm_dst_len = 24
        0,    // rtm_src_len
        0,    // rtm_tos
        100,  // rtm_table = 100
        4,    // rtm_protocol = static
        0,    // rtm_scope = universe
        1,    // rtm_type = unicast
        4, 0, 0, 0,              // rtm_flags = RTNH_F_ONLINK
        8, 0, 15, 0, 100, 0, 0, 0,  // RTA_TABLE = 100
        8, 0, 1, 0, 10, 1, 2, 0,    // RTA_DST = 10.1.2.0
        8, 0, 6, 0, 50, 0, 0, 0,    // RTA_PRIORITY = 50
        8, 0, 5, 0, 10, 0, 0, 1,    // RTA_GATEWAY = 10.0.0.1
        8, 0, 4, 0, 3, 0, 0, 0,     // RTA_OIF = 3
        8, 0, 11, 0, 4, 0, 3, 0,    // RTA_FLOW = 3 << 16 | 4
        20, 0, 8, 0,                // RTA_METRICS, 16 bytes nested:
            8, 0, 1, 0, 4, 0, 0, 0,     // RTAX_LOCK = 1 << RTAX_MTU
            8, 0, 2, 0, 0x78, 5, 0, 0,  // RTAX_MTU = 1400
        8, 0, 0xe8, 0x03, 1, 2, 3, 4, // type 1000: unknown, skipped
    ];

    fn msg(bytes: &[u8]) -> RtMsg<&[u8]> {
        RtMsg::new_checked(bytes).unwrap()
    }

    #[test]
    fn full_route() {
        let r = Route::decode(&msg(&FULL));
        assert_eq!(r.family, Family(AF_INET));
        assert_eq!(r.dst, Some(IpAddr::from([10, 1, 2, 0])));
        assert_eq!(r.dst_len, 24);
        assert_eq!(r.gateway, Some(IpAddr::from([10, 0, 0, 1])));
        assert_eq!(r.oif, Some(3));
        assert_eq!(r.table, 100);
        assert_eq!(r.protocol, Protocol(4));
        assert_eq!(r.kind, RouteType::Unicast);
        assert_eq!(r.priority, Some(50));
        assert_eq!(r.flags, RTNH_F_ONLINK);
        assert_eq!(r.flow, Some(Realms { from: 3, to: 4 }));
        let m = r.metrics.unwrap();
        assert_eq!(m.get(RTAX_MTU), Some(1400));
        assert!(m.locked(RTAX_MTU));
        assert!(!m.locked(RTAX_RTT));
        assert_eq!((r.malformed, r.truncated), (Malformed::default(), false));
        assert!(!r.multipath && r.nexthops.is_empty());
    }

    #[test]
    fn rta_table_wins_over_rtm_table() {
        let mut b = FULL;
        b[4] = 252; // rtm_table = RT_TABLE_COMPAT
        b[16..20].copy_from_slice(&4_000_000u32.to_ne_bytes()); // RTA_TABLE
        assert_eq!(Route::decode(&msg(&b)).table, 4_000_000);
    }

    #[test]
    fn wrong_size_attributes_drop_only_their_field() {
        #[rustfmt::skip]
        let b = [
            2, 24, 0, 0, 254, 4, 0, 1, 0, 0, 0, 0, // rtmsg: inet, /24, main
            6, 0, 1, 0, 10, 1, 0, 0,    // RTA_DST of 2 bytes (+ pad): bad
            7, 0, 4, 0, 3, 0, 0, 0,     // RTA_OIF of 3 bytes (+ pad): bad
            8, 0, 5, 0, 10, 0, 0, 1,    // RTA_GATEWAY = 10.0.0.1: fine
            8, 0, 6, 0, 9, 0, 0, 0,     // RTA_PRIORITY = 9: fine
        ];
        let r = Route::decode(&msg(&b));
        assert_eq!(r.dst, None);
        assert_eq!(r.oif, None);
        assert!(r.malformed.dst && r.malformed.oif);
        assert!(!r.malformed.gateway);
        assert_eq!(r.gateway, Some(IpAddr::from([10, 0, 0, 1])));
        assert_eq!(r.priority, Some(9));
        assert_eq!(r.table, 254);
        assert!(!r.truncated);
    }

    #[test]
    fn multipath_zero_length_entry_stops() {
        #[rustfmt::skip]
        let b = [
            2, 24, 0, 0, 254, 4, 0, 1, 0, 0, 0, 0, // rtmsg
            28, 0, 9, 0,                // RTA_MULTIPATH, 24 bytes:
                16, 0, 0, 1, 3, 0, 0, 0,    // rtnh_len 16, hops 1, ifindex 3
                8, 0, 5, 0, 10, 0, 0, 1,    //   RTA_GATEWAY 10.0.0.1
                0, 0, 0, 0, 4, 0, 0, 0,     // rtnh_len 0: must not loop
        ];
        let r = Route::decode(&msg(&b));
        assert!(r.multipath);
        assert_eq!(r.nexthops.len(), 1);
        assert_eq!(r.nexthops[0].weight(), 2);
        assert_eq!(r.nexthops[0].gateway, Some(IpAddr::from([10, 0, 0, 1])));
        assert!(r.malformed.multipath);
        assert!(r.uses_dev(3) && !r.uses_dev(4));
    }

    #[test]
    fn duplicates_first_wins_unknown_skipped() {
        #[rustfmt::skip]
        let b = [
            10, 64, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0, // rtmsg: inet6 /64
            8, 0, 4, 0, 7, 0, 0, 0,     // RTA_OIF = 7
            8, 0, 4, 0, 9, 0, 0, 0,     // RTA_OIF = 9: duplicate, ignored
            8, 0, 30, 0, 5, 0, 0, 0,    // RTA_NH_ID = 5
            8, 0, 31, 0, 1, 1, 1, 1,    // type 31: beyond RTA_MAX, skipped
            5, 0, 20, 0, 1, 0, 0, 0,    // RTA_PREF = high
        ];
        let r = Route::decode(&msg(&b));
        assert_eq!(r.oif, Some(7));
        assert_eq!(r.nhid, Some(5));
        assert_eq!(r.pref.and_then(Pref::name), Some("high"));
        assert_eq!(r.dst, None);
        assert_eq!((r.malformed, r.truncated), (Malformed::default(), false));
        assert_eq!(r.metric(), Some(0), "a missing metric of an IP route is 0");
    }

    #[test]
    fn bad_header_keeps_what_came_before() {
        let mut b = FULL.to_vec();
        b.extend_from_slice(&[0xff, 0, 1, 0]); // rta_len 255 overruns
        let r = Route::decode(&msg(&b));
        assert!(r.truncated);
        assert_eq!(r.oif, Some(3));
    }

    #[test]
    fn decode_into_reuses_and_resets() {
        let mut r = Route::decode(&msg(&FULL));
        r.nexthops.push(Hop::default());
        let cap = r.nexthops.capacity();
        #[rustfmt::skip]
        let bare = [10, 0, 0, 0, 255, 2, 0, 2, 0, 0, 0, 0]; // inet6 local, no attrs
        r.decode_into(&msg(&bare));
        assert_eq!(r.kind, RouteType::Local);
        assert_eq!((r.oif, r.metrics.is_some()), (None, false));
        assert!(r.nexthops.is_empty() && r.nexthops.capacity() == cap);
    }

    #[test]
    fn via_and_encap() {
        #[rustfmt::skip]
        let b = [
            2, 28, 0, 0, 254, 3, 253, 1, 0, 0, 0, 0, // rtmsg: inet /28 scope link
            22, 0, 18, 0, 10, 0,        // RTA_VIA (22 bytes): family AF_INET6,
                0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, // fe80::1
                0, 0,                       //   pad
            6, 0, 21, 0, 2, 0, 0, 0,    // RTA_ENCAP_TYPE = ip
            48, 0, 22, 0,               // RTA_ENCAP, 44 bytes nested:
                12, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 42, // ID = 42 (be64)
                8, 0, 2, 0, 10, 7, 7, 7,  // DST = 10.7.7.7
                5, 0, 4, 0, 10, 0, 0, 0,  // TTL = 10
                6, 0, 6, 0, 0, 5, 0, 0,   // FLAGS = KEY | CSUM (be16)
                5, 0, 5, 0, 1, 2, 3, 4,   // TOS of... 1 byte = 1 (+pad)
        ];
        let r = Route::decode(&msg(&b));
        assert_eq!(r.via, Some("fe80::1".parse().unwrap()));
        let e = r.encap.unwrap();
        assert_eq!(e.kind.name(), Some("ip"));
        let EncapDetail::Ip(t) = e.detail else {
            panic!("ip tunnel")
        };
        assert_eq!(t.id, Some(42));
        assert_eq!(t.dst, Some(IpAddr::V4(Ipv4Addr::new(10, 7, 7, 7))));
        assert_eq!((t.ttl, t.tos, t.src), (Some(10), Some(1), None));
        assert_eq!(t.flags, Some(TUNNEL_KEY | TUNNEL_CSUM));
    }

    #[test]
    fn metrics_congestion_and_bad_sizes() {
        #[rustfmt::skip]
        let p = [
            10, 0, 16, 0, b'c', b'u', b'b', b'i', b'c', 0, 0, 0, // CC_ALGO "cubic"
            6, 0, 8, 0, 1, 2, 0, 0,     // ADVMSS of 2 bytes: dropped
            8, 0, 4, 0, 0x20, 3, 0, 0,  // RTT = 800 (100 ms << 3)
        ];
        let m = Metrics::parse(&p);
        assert_eq!(m.congestion(), Some("cubic"));
        assert_eq!(m.get(RTAX_CC_ALGO), None);
        assert_eq!(m.get(8), None);
        assert_eq!(m.get(RTAX_RTT), Some(800));
        assert!(m.malformed);
    }

    #[test]
    fn route_type_names() {
        assert_eq!(RouteType::from_u8(6), RouteType::Blackhole);
        assert_eq!(RouteType::parse("throw"), Some(RouteType::Throw));
        assert_eq!(RouteType::parse("42"), Some(RouteType::Unknown(42)));
        assert_eq!(RouteType::Unknown(42).name(), None);
        assert_eq!(RouteType::Unknown(42).to_u8(), 42);
        assert_eq!(RouteType::Xresolve.to_u8(), 11);
        assert_eq!(RouteType::parse("bogus"), None);
    }

    #[test]
    fn short_header_is_rejected_before_the_model() {
        assert!(RtMsg::new_checked(&FULL[..11]).is_err());
    }

    /// Every prefix of a real message, and every single-byte corruption of
    /// it, decodes without panicking.
    #[test]
    fn no_panic_on_mangled_input() {
        for end in RTMSG_LEN_FOR_TESTS..=FULL.len() {
            let _ = Route::decode(&msg(&FULL[..end]));
        }
        for i in 0..FULL.len() {
            for v in [0u8, 1, 3, 4, 0x7f, 0xff] {
                let mut b = FULL;
                b[i] = v;
                let _ = Route::decode(&msg(&b));
            }
        }
    }

    const RTMSG_LEN_FOR_TESTS: usize = crate::wire::rtmsg::RTMSG_LEN;

    /// `10.1.2.0/24 proto static` in the main table: the `struct rtmsg`
    /// most tests below start from.
    #[rustfmt::skip]
    const HDR4: [u8; 12] = [
        2,    // rtm_family = AF_INET
        24,   // rtm_dst_len = 24
        0,    // rtm_src_len
        0,    // rtm_tos
        254,  // rtm_table = main
        4,    // rtm_protocol = static
        0,    // rtm_scope = universe
        1,    // rtm_type = unicast
        0, 0, 0, 0, // rtm_flags
    ];

    fn route(hdr: &[u8], attrs: &[u8]) -> Route {
        let mut b = hdr.to_vec();
        b.extend_from_slice(attrs);
        Route::decode(&msg(&b))
    }

    /// What [`HDR4`] alone decodes to.
    fn bare4() -> Route {
        Route {
            family: Family(AF_INET),
            dst_len: 24,
            table: 254,
            protocol: Protocol(4),
            kind: RouteType::Unicast,
            ..Route::default()
        }
    }

    #[test]
    fn rta_dst_of_16_bytes_for_inet_drops_only_dst() {
        #[rustfmt::skip]
        let attrs = [
            20, 0, 1, 0,                // RTA_DST of 16 bytes for AF_INET: bad
                10, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            8, 0, 5, 0, 10, 0, 0, 1,    // RTA_GATEWAY = 10.0.0.1
            8, 0, 4, 0, 3, 0, 0, 0,     // RTA_OIF = 3
            8, 0, 6, 0, 9, 0, 0, 0,     // RTA_PRIORITY = 9
        ];
        assert_eq!(
            route(&HDR4, &attrs),
            Route {
                gateway: Some(IpAddr::from([10, 0, 0, 1])),
                oif: Some(3),
                priority: Some(9),
                malformed: Malformed {
                    dst: true,
                    ..Malformed::default()
                },
                ..bare4()
            }
        );
    }

    #[test]
    fn bad_rta_len_ends_the_walk_keeping_what_came_before() {
        for len in [0u16, 1, 3, 0xFFFF] {
            #[rustfmt::skip]
            let mut attrs = vec![
                8, 0, 4, 0, 3, 0, 0, 0,     // RTA_OIF = 3
                0, 0, 6, 0, 9, 0, 0, 0,     // RTA_PRIORITY, rta_len under test
                8, 0, 16, 0, 7, 0, 0, 0,    // RTA_MARK = 7: lost behind the bad header
            ];
            attrs[8..10].copy_from_slice(&len.to_ne_bytes());
            assert_eq!(
                route(&HDR4, &attrs),
                Route {
                    oif: Some(3),
                    truncated: true,
                    ..bare4()
                },
                "rta_len {len}"
            );
        }
    }

    #[test]
    fn unpadded_last_attribute_is_read() {
        #[rustfmt::skip]
        let attrs = [
            8, 0, 4, 0, 3, 0, 0, 0,     // RTA_OIF = 3
            5, 0, 20, 0, 1,             // RTA_PREF = 1, no pad: ends the message
        ];
        assert_eq!(
            route(&HDR4, &attrs),
            Route {
                oif: Some(3),
                pref: Some(Pref(1)),
                ..bare4()
            }
        );
    }

    #[test]
    fn metrics_nested_attribute_longer_than_its_parent() {
        #[rustfmt::skip]
        let attrs = [
            20, 0, 8, 0,                // RTA_METRICS, 16 bytes nested:
                8, 0, 2, 0, 0x78, 5, 0, 0,  //   RTAX_MTU = 1400
                12, 0, 4, 0, 0x20, 3, 0, 0, //   RTAX_RTT claiming 12 bytes: 4 past its parent
            8, 0, 4, 0, 3, 0, 0, 0,     // RTA_OIF = 3: the parent's sibling
        ];
        let r = route(&HDR4, &attrs);
        let m = r.metrics.unwrap();
        assert_eq!((m.get(RTAX_MTU), m.get(RTAX_RTT)), (Some(1400), None));
        assert!(m.malformed);
        assert_eq!(
            r,
            Route {
                oif: Some(3),
                metrics: Some(m),
                malformed: Malformed {
                    metrics: true,
                    ..Malformed::default()
                },
                ..bare4()
            }
        );
    }

    /// RTA_MULTIPATH with a good nexthop, then one whose rtnh_len is `len`,
    /// then RTA_PRIORITY = 9.
    fn multipath_with_second_len(len: u16) -> Vec<u8> {
        #[rustfmt::skip]
        let mut attrs = vec![
            8, 0, 1, 0, 10, 1, 2, 0,    // RTA_DST = 10.1.2.0
            28, 0, 9, 0,                // RTA_MULTIPATH, 24 bytes:
                16, 0, 0, 1, 3, 0, 0, 0,    //   rtnh_len 16, flags 0, hops 1, ifindex 3
                8, 0, 5, 0, 10, 0, 0, 1,    //     RTA_GATEWAY = 10.0.0.1
                0, 0, 0, 0, 4, 0, 0, 0,     //   rtnh_len under test, ifindex 4
            8, 0, 6, 0, 9, 0, 0, 0,     // RTA_PRIORITY = 9
        ];
        attrs[28..30].copy_from_slice(&len.to_ne_bytes());
        attrs
    }

    #[test]
    fn multipath_rtnh_len_7_or_0xffff_keeps_hops_so_far() {
        for len in [7u16, 0xFFFF] {
            let r = route(&HDR4, &multipath_with_second_len(len));
            assert_eq!(
                r,
                Route {
                    dst: Some(IpAddr::from([10, 1, 2, 0])),
                    priority: Some(9),
                    multipath: true,
                    nexthops: vec![Hop {
                        hops: 1,
                        ifindex: 3,
                        gateway: Some(IpAddr::from([10, 0, 0, 1])),
                        ..Hop::default()
                    }],
                    malformed: Malformed {
                        multipath: true,
                        ..Malformed::default()
                    },
                    ..bare4()
                },
                "rtnh_len {len}"
            );
        }
    }

    #[test]
    fn multipath_bad_first_nexthop_leaves_no_hops() {
        for len in [0u16, 7, 0xFFFF] {
            #[rustfmt::skip]
            let mut attrs = vec![
                12, 0, 9, 0,                // RTA_MULTIPATH, 8 bytes:
                    0, 0, 0, 0, 3, 0, 0, 0,     //   rtnh_len under test, ifindex 3
                8, 0, 4, 0, 5, 0, 0, 0,     // RTA_OIF = 5
            ];
            attrs[4..6].copy_from_slice(&len.to_ne_bytes());
            assert_eq!(
                route(&HDR4, &attrs),
                Route {
                    oif: Some(5),
                    multipath: true,
                    malformed: Malformed {
                        multipath: true,
                        ..Malformed::default()
                    },
                    ..bare4()
                },
                "rtnh_len {len}"
            );
        }
    }

    #[test]
    fn nexthop_attribute_longer_than_its_nexthop_drops_that_gateway() {
        #[rustfmt::skip]
        let attrs = [
            28, 0, 9, 0,                // RTA_MULTIPATH, 24 bytes:
                16, 0, 0, 0, 3, 0, 0, 0,    //   rtnh_len 16, ifindex 3
                12, 0, 5, 0, 10, 0, 0, 1,   //     RTA_GATEWAY claiming 12 bytes: past the nexthop
                8, 0, 0, 0, 4, 0, 0, 0,     //   rtnh_len 8, ifindex 4
        ];
        let hop = |ifindex| Hop {
            ifindex,
            ..Hop::default()
        };
        assert_eq!(
            route(&HDR4, &attrs),
            Route {
                multipath: true,
                nexthops: vec![hop(3), hop(4)],
                malformed: Malformed {
                    multipath: true,
                    ..Malformed::default()
                },
                ..bare4()
            }
        );
    }

    #[test]
    fn duplicate_after_a_malformed_first_does_not_replace_it() {
        #[rustfmt::skip]
        let attrs = [
            7, 0, 4, 0, 3, 0, 0, 0,     // RTA_OIF of 3 bytes (+ pad): first, bad
            8, 0, 4, 0, 9, 0, 0, 0,     // RTA_OIF = 9: a duplicate, ignored
            8, 0, 6, 0, 50, 0, 0, 0,    // RTA_PRIORITY = 50: first, kept
            6, 0, 6, 0, 1, 0, 0, 0,     // RTA_PRIORITY of 2 bytes: a duplicate, ignored
        ];
        assert_eq!(
            route(&HDR4, &attrs),
            Route {
                priority: Some(50),
                malformed: Malformed {
                    oif: true,
                    ..Malformed::default()
                },
                ..bare4()
            }
        );
    }
}
