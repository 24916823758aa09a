//! The `ip -j route show` dialect: iproute2 6.1's `print_route`, key for
//! key and in its order, over the model. The route and its nexthops are
//! written with render::json's [`Obj`]; the small nested objects are
//! `Serialize` impls.

use std::io;
use std::net::IpAddr;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::{Addrs, Ctx, Flags, Hex, IfName, IpPrefix, MplsPrefix, NameOr, Str};
use super::{encap_name, family_name, has_cache_flags, seg6_action, seg6_mode, type_text};
use crate::model::route::{
    AF_MPLS, CACHE_FLAG_NAMES, CacheInfo, Encap, EncapDetail, Hop, IP_FLAG_NAMES, IpTunnel,
    Metrics, MplsTunnel, RTAX_CC_ALGO, RTAX_FEATURE_ECN, RTAX_FEATURES, RTAX_HOPLIMIT, RTAX_NAMES,
    RTAX_RTT, RTAX_RTTVAR, Realms, Route, RouteType, TABLE_MAIN, TUNNEL_CSUM, TUNNEL_KEY,
    TUNNEL_SEQ,
};
use crate::model::{AF_INET, AF_INET6};
use crate::names::Names;
use crate::render::json::{JsonObject, Key, Obj, key};
use crate::render::text::FastIp;

/// A route in the `ip -j route show` dialect (a superset of iproute2 6.1).
pub struct IpRoute<'a> {
    /// The route.
    pub route: &'a Route,
    /// Names and pinned filters.
    pub ctx: &'a Ctx<'a>,
}

impl JsonObject for IpRoute<'_> {
    fn fields(&self, m: &mut Obj<'_>) -> io::Result<()> {
        ip_head(m, self.route, self.ctx)?;
        ip_middle(m, self.route, self.ctx)?;
        ip_tail(m, self.route, self.ctx)
    }
}

/// `type` through `via`.
fn ip_head(m: &mut Obj<'_>, r: &Route, c: &Ctx<'_>) -> io::Result<()> {
    if r.kind != RouteType::Unicast {
        m.entry(key!("type"), &Str(type_text(r.kind, c.names)))?;
    }
    let host = r.family.host_len();
    if r.malformed.dst {
        m.entry(key!("dst"), &())?;
    } else if let Some(labels) = r.dst_labels {
        m.entry(key!("dst"), &Str(MplsPrefix(labels, r.dst_len)))?;
    } else {
        m.entry(key!("dst"), &Str(IpPrefix::new(r.dst, r.dst_len, host)))?;
    }
    if let Some(src) = r.src {
        m.entry(
            key!("from"),
            &Str(IpPrefix::new(Some(src), r.src_len, host)),
        )?;
    } else if r.src_len != 0 && !r.malformed.src {
        m.entry(key!("src"), &Str(format_args!("0/{}", r.src_len)))?;
    }
    if let Some(id) = r.nhid {
        m.entry(key!("nhid"), &id)?;
    }
    if let Some(to) = r.newdst {
        m.entry(key!("to"), &Str(to))?;
    }
    if let Some(e) = &r.encap {
        ip_encap(m, e)?;
    }
    if r.tos != 0 {
        let name = c.names.dsfields.name(r.tos as u32);
        match name {
            Some(n) => m.entry(key!("tos"), n)?,
            None => m.entry(key!("tos"), &Str(format_args!("0x{:02x}", r.tos)))?,
        }
    }
    if let Some(gw) = r.gateway {
        m.entry(key!("gateway"), &Str(FastIp(gw)))?;
    }
    if let Some(via) = r.via {
        m.entry(key!("via"), &IpVia(via))?;
    }
    Ok(())
}

/// `dev` through `flags`.
fn ip_middle(m: &mut Obj<'_>, r: &Route, c: &Ctx<'_>) -> io::Result<()> {
    if let (Some(oif), false) = (r.oif, c.pinned.dev) {
        m.entry(key!("dev"), &Str(IfName(c.links, oif)))?;
    }
    if r.table != 0 && r.table != TABLE_MAIN && !c.pinned.table {
        m.entry(
            key!("table"),
            &Str(NameOr(c.names.tables.name(r.table), r.table)),
        )?;
    }
    if !r.is_cloned() {
        let proto = r.protocol.0 as u32;
        if proto != 3 && !c.pinned.protocol {
            m.entry(
                key!("protocol"),
                &Str(NameOr(c.names.protos.name(proto), proto)),
            )?;
        }
        let scope = r.scope.0 as u32;
        if scope != 0 {
            m.entry(
                key!("scope"),
                &Str(NameOr(c.names.scopes.name(scope), scope)),
            )?;
        }
    }
    if let Some(p) = r.prefsrc {
        m.entry(key!("prefsrc"), &Str(FastIp(p)))?;
    }
    if let Some(metric) = r.priority {
        m.entry(key!("metric"), &metric)?;
    }
    let flags = Flags {
        bits: r.flags,
        table: &IP_FLAG_NAMES,
        skip: 0,
    };
    m.entry(key!("flags"), &flags)
}

/// `mark` through `nexthops`.
fn ip_tail(m: &mut Obj<'_>, r: &Route, c: &Ctx<'_>) -> io::Result<()> {
    if let Some(mark) = r.mark.filter(|&v| v != 0) {
        m.entry(key!("mark"), &mark)?;
    }
    if let Some(flow) = r.flow {
        m.entry(key!("flow"), &IpFlow(flow, c.names))?;
    }
    if let Some(uid) = r.uid {
        m.entry(key!("uid"), &uid)?;
    }
    if has_cache_flags(r) {
        let cache = Flags {
            bits: r.flags & !0xFFFF,
            table: &CACHE_FLAG_NAMES,
            skip: 0,
        };
        m.entry(key!("cache"), &cache)?;
    }
    if let (Some(ci), AF_INET | AF_INET6) = (&r.cacheinfo, r.family.0) {
        ip_cacheinfo(m, ci)?;
    }
    if let Some(mx) = &r.metrics {
        m.entry(key!("metrics"), &[IpMetrics(mx)])?;
    }
    if let Some(iif) = r.iif {
        m.entry(key!("iif"), &Str(IfName(c.links, iif)))?;
    }
    if let Some(p) = r.pref {
        match p.name() {
            Some(name) => m.entry(key!("pref"), name)?,
            None => m.entry(key!("pref"), &p.0)?,
        }
    }
    if let Some(on) = r.ttl_propagate {
        // sic: iproute2 6.1 spells the key this way.
        m.entry(key!("ttl-propogate"), &on)?;
    }
    if r.multipath {
        m.objects(key!("nexthops"), &r.nexthops, |o, hop| ip_hop(o, hop, r, c))?;
    }
    Ok(())
}

/// print_rta_cacheinfo without `-s`.
fn ip_cacheinfo(m: &mut Obj<'_>, ci: &CacheInfo) -> io::Result<()> {
    if let Some(secs) = ci.expires_secs() {
        m.entry(key!("expires"), &secs)?;
    }
    if ci.error != 0 {
        m.entry(key!("error"), &ci.error)?;
    }
    if ci.id != 0 {
        m.entry(key!("ipid"), &Str(Hex(ci.id as u64)))?;
    }
    if ci.ts != 0 || ci.tsage != 0 {
        m.entry(key!("ts"), &Str(Hex(ci.ts as u64)))?;
        m.entry(key!("tsage"), &ci.tsage)?;
    }
    Ok(())
}

/// lwt_print_encap: the encap keys, flat in the enclosing object (also
/// for nexthop objects).
pub(crate) fn ip_encap(m: &mut Obj<'_>, e: &Encap) -> io::Result<()> {
    m.entry(key!("encap"), encap_name(e))?;
    match &e.detail {
        EncapDetail::Mpls(t) => ip_mpls(m, t),
        EncapDetail::Ip(t) => ip_tunnel(m, t, key!("ttl"), key!("tos")),
        EncapDetail::Ip6(t) => ip_tunnel(m, t, key!("hoplimit"), key!("tc")),
        EncapDetail::Seg6 { mode, segs } => {
            m.entry(key!("mode"), seg6_mode(*mode))?;
            m.entry(key!("segs"), &Addrs(segs))
        }
        EncapDetail::Seg6Local { action } => match action {
            Some(a) => m.entry(key!("action"), seg6_action(*a)),
            None => Ok(()),
        },
        EncapDetail::None => Ok(()),
    }
}

/// print_encap_mpls: the label stack pushed and its TTL.
fn ip_mpls(m: &mut Obj<'_>, t: &MplsTunnel) -> io::Result<()> {
    if let Some(dst) = t.dst {
        m.entry(key!("dst"), &Str(dst))?;
    }
    if let Some(ttl) = t.ttl {
        m.entry(key!("ttl"), &ttl)?;
    }
    Ok(())
}

fn ip_tunnel(m: &mut Obj<'_>, t: &IpTunnel, ttl: Key, tos: Key) -> io::Result<()> {
    if let Some(id) = t.id {
        m.entry(key!("id"), &id)?;
    }
    if let Some(src) = t.src {
        m.entry(key!("src"), &Str(src))?;
    }
    if let Some(dst) = t.dst {
        m.entry(key!("dst"), &Str(dst))?;
    }
    if let Some(v) = t.ttl {
        m.entry(ttl, &v)?;
    }
    if let Some(v) = t.tos {
        m.entry(tos, &v)?;
    }
    let flags = t.flags.unwrap_or(0);
    for (bit, name) in [
        (TUNNEL_KEY, key!("key")),
        (TUNNEL_CSUM, key!("csum")),
        (TUNNEL_SEQ, key!("seq")),
    ] {
        if flags & bit != 0 {
            m.entry(name, &true)?;
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

/// One of `"nexthops": [...]` (print_rta_multipath).
fn ip_hop(m: &mut Obj<'_>, h: &Hop, r: &Route, c: &Ctx<'_>) -> io::Result<()> {
    if let Some(e) = &h.encap {
        ip_encap(m, e)?;
    }
    if let Some(to) = h.newdst {
        m.entry(key!("to"), &Str(to))?;
    }
    if let Some(gw) = h.gateway {
        m.entry(key!("gateway"), &Str(FastIp(gw)))?;
    }
    if let Some(via) = h.via {
        m.entry(key!("via"), &IpVia(via))?;
    }
    if let Some(flow) = h.flow {
        m.entry(key!("flow"), &IpFlow(flow, c.names))?;
    }
    m.entry(key!("dev"), &Str(IfName(c.links, h.ifindex)))?;
    if r.is_cloned() && r.kind == RouteType::Multicast {
        if h.hops != 1 {
            m.entry(key!("ttl"), &h.hops)?;
        }
    } else if r.family.0 != AF_MPLS {
        m.entry(key!("weight"), &h.weight())?;
    }
    let flags = Flags {
        bits: h.flags as u32,
        table: &IP_FLAG_NAMES,
        skip: 0,
    };
    m.entry(key!("flags"), &flags)
}
