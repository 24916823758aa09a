//! The `ip -j route show` dialect: iproute2 6.1's `print_route`, key for
//! key and in its order, over the model.

use std::net::IpAddr;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::{Addrs, Ctx, Flags, Hex, IfName, IpPrefix, NameOr, Str};
use super::{encap_name, family_name, has_cache_flags, seg6_action, seg6_mode, type_name};
use crate::model::route::{
    AF_MPLS, CACHE_FLAG_NAMES, CacheInfo, Encap, EncapDetail, Hop, IP_FLAG_NAMES, IpTunnel,
    Metrics, RTAX_CC_ALGO, RTAX_FEATURE_ECN, RTAX_FEATURES, RTAX_HOPLIMIT, RTAX_NAMES, RTAX_RTT,
    RTAX_RTTVAR, Realms, Route, RouteType, TUNNEL_CSUM, TUNNEL_KEY, TUNNEL_SEQ,
};
use crate::names::Names;
use crate::render::text::FastIp;
use crate::wire::attr::{AF_INET, AF_INET6};
use crate::wire::rtmsg::{RT_TABLE_MAIN, RTA_DST, RTA_SRC};

/// A route in the `ip -j route show` dialect (a superset of iproute2 6.1).
pub struct IpRoute<'a> {
    /// The route.
    pub route: &'a Route,
    /// Names and pinned filters.
    pub ctx: &'a Ctx<'a>,
}

impl Serialize for IpRoute<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        ip_head(&mut m, self.route, self.ctx)?;
        ip_middle(&mut m, self.route, self.ctx)?;
        ip_tail(&mut m, self.route, self.ctx)?;
        m.end()
    }
}

/// `type` through `via`.
fn ip_head<M: SerializeMap>(m: &mut M, r: &Route, c: &Ctx<'_>) -> Result<(), M::Error> {
    if r.kind != RouteType::Unicast {
        m.serialize_entry("type", &Str(type_name(r.kind)))?;
    }
    let host = r.family.host_len();
    if r.is_malformed(RTA_DST) {
        m.serialize_entry("dst", &())?;
    } else {
        m.serialize_entry("dst", &Str(IpPrefix::new(r.dst, r.dst_len, host)))?;
    }
    if let Some(src) = r.src {
        m.serialize_entry("from", &Str(IpPrefix::new(Some(src), r.src_len, host)))?;
    } else if r.src_len != 0 && !r.is_malformed(RTA_SRC) {
        m.serialize_entry("src", &Str(format_args!("0/{}", r.src_len)))?;
    }
    if let Some(id) = r.nhid {
        m.serialize_entry("nhid", &id)?;
    }
    if let Some(e) = &r.encap {
        ip_encap(m, e)?;
    }
    if r.tos != 0 {
        let name = c.names.dsfields.name(r.tos as u32);
        match name {
            Some(n) => m.serialize_entry("tos", n)?,
            None => m.serialize_entry("tos", &Str(format_args!("0x{:02x}", r.tos)))?,
        }
    }
    if let Some(gw) = r.gateway {
        m.serialize_entry("gateway", &Str(FastIp(gw)))?;
    }
    if let Some(via) = r.via {
        m.serialize_entry("via", &IpVia(via))?;
    }
    Ok(())
}

/// `dev` through `flags`.
fn ip_middle<M: SerializeMap>(m: &mut M, r: &Route, c: &Ctx<'_>) -> Result<(), M::Error> {
    if let (Some(oif), false) = (r.oif, c.pinned.dev) {
        m.serialize_entry("dev", &Str(IfName(c.links, oif)))?;
    }
    if r.table != 0 && r.table != RT_TABLE_MAIN && !c.pinned.table {
        m.serialize_entry("table", &Str(NameOr(c.names.tables.name(r.table), r.table)))?;
    }
    if !r.is_cloned() {
        let proto = r.protocol.0 as u32;
        if proto != 3 && !c.pinned.protocol {
            m.serialize_entry("protocol", &Str(NameOr(c.names.protos.name(proto), proto)))?;
        }
        let scope = r.scope.0 as u32;
        if scope != 0 {
            m.serialize_entry("scope", &Str(NameOr(c.names.scopes.name(scope), scope)))?;
        }
    }
    if let Some(p) = r.prefsrc {
        m.serialize_entry("prefsrc", &Str(FastIp(p)))?;
    }
    if let Some(metric) = r.priority {
        m.serialize_entry("metric", &metric)?;
    }
    let flags = Flags {
        bits: r.flags,
        table: &IP_FLAG_NAMES,
        skip: 0,
    };
    m.serialize_entry("flags", &flags)
}

/// `mark` through `nexthops`.
fn ip_tail<M: SerializeMap>(m: &mut M, r: &Route, c: &Ctx<'_>) -> Result<(), M::Error> {
    if let Some(mark) = r.mark.filter(|&v| v != 0) {
        m.serialize_entry("mark", &mark)?;
    }
    if let Some(flow) = r.flow {
        m.serialize_entry("flow", &IpFlow(flow, c.names))?;
    }
    if let Some(uid) = r.uid {
        m.serialize_entry("uid", &uid)?;
    }
    if has_cache_flags(r) {
        let cache = Flags {
            bits: r.flags & !0xFFFF,
            table: &CACHE_FLAG_NAMES,
            skip: 0,
        };
        m.serialize_entry("cache", &cache)?;
    }
    if let (Some(ci), AF_INET | AF_INET6) = (&r.cacheinfo, r.family.0) {
        ip_cacheinfo(m, ci)?;
    }
    if let Some(mx) = &r.metrics {
        m.serialize_entry("metrics", &[IpMetrics(mx)])?;
    }
    if let Some(iif) = r.iif {
        m.serialize_entry("iif", &Str(IfName(c.links, iif)))?;
    }
    if let Some(p) = r.pref {
        match p.name() {
            Some(name) => m.serialize_entry("pref", name)?,
            None => m.serialize_entry("pref", &p.0)?,
        }
    }
    if r.multipath {
        m.serialize_entry("nexthops", &IpHops { route: r, ctx: c })?;
    }
    Ok(())
}

/// print_rta_cacheinfo without `-s`.
fn ip_cacheinfo<M: SerializeMap>(m: &mut M, ci: &CacheInfo) -> Result<(), M::Error> {
    if let Some(secs) = ci.expires_secs() {
        m.serialize_entry("expires", &secs)?;
    }
    if ci.error != 0 {
        m.serialize_entry("error", &ci.error)?;
    }
    if ci.id != 0 {
        m.serialize_entry("ipid", &Str(Hex(ci.id as u64)))?;
    }
    if ci.ts != 0 || ci.tsage != 0 {
        m.serialize_entry("ts", &Str(Hex(ci.ts as u64)))?;
        m.serialize_entry("tsage", &ci.tsage)?;
    }
    Ok(())
}

/// lwt_print_encap: the encap keys, flat in the enclosing object (also
/// for nexthop objects).
pub(crate) fn ip_encap<M: SerializeMap>(m: &mut M, e: &Encap) -> Result<(), M::Error> {
    m.serialize_entry("encap", encap_name(e))?;
    match &e.detail {
        EncapDetail::Ip(t) => ip_tunnel(m, t, "ttl", "tos"),
        EncapDetail::Ip6(t) => ip_tunnel(m, t, "hoplimit", "tc"),
        EncapDetail::Seg6 { mode, segs } => {
            m.serialize_entry("mode", seg6_mode(*mode))?;
            m.serialize_entry("segs", &Addrs(segs))
        }
        EncapDetail::Seg6Local { action } => match action {
            Some(a) => m.serialize_entry("action", seg6_action(*a)),
            None => Ok(()),
        },
        EncapDetail::None => Ok(()),
    }
}

fn ip_tunnel<M: SerializeMap>(
    m: &mut M,
    t: &IpTunnel,
    ttl: &'static str,
    tos: &'static str,
) -> Result<(), M::Error> {
    if let Some(id) = t.id {
        m.serialize_entry("id", &id)?;
    }
    if let Some(src) = t.src {
        m.serialize_entry("src", &Str(src))?;
    }
    if let Some(dst) = t.dst {
        m.serialize_entry("dst", &Str(dst))?;
    }
    if let Some(v) = t.ttl {
        m.serialize_entry(ttl, &v)?;
    }
    if let Some(v) = t.tos {
        m.serialize_entry(tos, &v)?;
    }
    let flags = t.flags.unwrap_or(0);
    for (bit, name) in [
        (TUNNEL_KEY, "key"),
        (TUNNEL_CSUM, "csum"),
        (TUNNEL_SEQ, "seq"),
    ] {
        if flags & bit != 0 {
            m.serialize_entry(name, &true)?;
        }
    }
    Ok(())
}

/// `"via": {"family": ..., "host": ...}` (print_rta_via).
struct IpVia(IpAddr);

impl Serialize for IpVia {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("family", family_name(self.0))?;
        m.serialize_entry("host", &Str(self.0))?;
        m.end()
    }
}

/// `"flow": {["from": realm,] "to": realm}` (print_rta_flow).
struct IpFlow<'a>(Realms, &'a Names);

impl Serialize for IpFlow<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let realm = |v: u16| Str(NameOr(self.1.realms.name(v as u32), v as u32));
        let mut m = s.serialize_map(None)?;
        if self.0.from != 0 {
            m.serialize_entry("from", &realm(self.0.from))?;
        }
        m.serialize_entry("to", &realm(self.0.to))?;
        m.end()
    }
}

/// The one object of `"metrics": [{...}]` (print_rta_metrics).
struct IpMetrics<'a>(&'a Metrics);

impl Serialize for IpMetrics<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mx = self.0;
        let mut m = s.serialize_map(None)?;
        for (i, &name) in RTAX_NAMES.iter().enumerate().skip(2) {
            // A locked metric without a value is shown as 0.
            if !mx.has(i) && !mx.locked(i) {
                continue;
            }
            let val = mx.get(i).unwrap_or(0);
            match i {
                RTAX_HOPLIMIT if val == u32::MAX => {}
                RTAX_FEATURES => {
                    if val & RTAX_FEATURE_ECN != 0 {
                        m.serialize_entry("ecn", &())?;
                    }
                    if val & !RTAX_FEATURE_ECN != 0 {
                        m.serialize_entry("features", &Str(Hex(val as u64)))?;
                    }
                }
                RTAX_RTT => m.serialize_entry("rtt", &(val / 8))?,
                RTAX_RTTVAR => m.serialize_entry("rttvar", &(val / 4))?,
                RTAX_CC_ALGO => {
                    if let Some(cc) = mx.congestion() {
                        m.serialize_entry("congestion", cc)?;
                    }
                }
                _ => m.serialize_entry(name, &val)?,
            }
        }
        m.end()
    }
}

/// `"nexthops": [...]` (print_rta_multipath).
struct IpHops<'a> {
    route: &'a Route,
    ctx: &'a Ctx<'a>,
}

impl Serialize for IpHops<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (route, ctx) = (self.route, self.ctx);
        s.collect_seq(route.nexthops.iter().map(|hop| IpHop { hop, route, ctx }))
    }
}

struct IpHop<'a> {
    hop: &'a Hop,
    route: &'a Route,
    ctx: &'a Ctx<'a>,
}

impl Serialize for IpHop<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (h, r) = (self.hop, self.route);
        let mut m = s.serialize_map(None)?;
        if let Some(e) = &h.encap {
            ip_encap(&mut m, e)?;
        }
        if let Some(gw) = h.gateway {
            m.serialize_entry("gateway", &Str(FastIp(gw)))?;
        }
        if let Some(via) = h.via {
            m.serialize_entry("via", &IpVia(via))?;
        }
        if let Some(flow) = h.flow {
            m.serialize_entry("flow", &IpFlow(flow, self.ctx.names))?;
        }
        m.serialize_entry("dev", &Str(IfName(self.ctx.links, h.ifindex)))?;
        if r.is_cloned() && r.kind == RouteType::Multicast {
            if h.hops != 1 {
                m.serialize_entry("ttl", &h.hops)?;
            }
        } else if r.family.0 != AF_MPLS {
            m.serialize_entry("weight", &h.weight())?;
        }
        let flags = Flags {
            bits: h.flags as u32,
            table: &IP_FLAG_NAMES,
            skip: 0,
        };
        m.serialize_entry("flags", &flags)?;
        m.end()
    }
}
