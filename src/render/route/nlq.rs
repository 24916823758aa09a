//! nlq's own route schema (docs/json.md, `## routes`): total and typed.

use std::fmt::Display;
use std::io;
use std::net::IpAddr;

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

use crate::render::json::{JsonObject, Obj, key};

use super::{Addrs, Ctx, Flags, Hex, MplsPrefix, NameOr, Str, cidr};
use super::{family_name, has_cache_flags, seg6_action, seg6_mode, type_name};
use crate::model::route::{
    CACHE_FLAG_NAMES, Encap, EncapDetail, Hop, IP_FLAG_NAMES, IpTunnel, Labels, MORE_FLAG_NAMES,
    Metrics, RTAX_CC_ALGO, RTAX_FEATURE_ECN, RTAX_FEATURES, RTAX_MAX, RTAX_NAMES, RTAX_RTT,
    RTAX_RTTVAR, RTM_F_OFFLOAD_FAILED, Realms, Route, TUNNEL_CSUM, TUNNEL_KEY, TUNNEL_SEQ,
};
use crate::names::Names;
use crate::render::text::FastIp;

/// A route in nlq's JSON schema: every key always present.
///
/// Written with [`Obj`] rather than as a serde map: keys in one piece each
/// (see render::json); the values are serde_json's.
pub struct NlqRoute<'a> {
    /// The route.
    pub route: &'a Route,
    /// Names.
    pub ctx: &'a Ctx<'a>,
}

/// The name of a number from an editable table, `null` when unnamed.
fn opt_str<S: Display>(v: Option<S>) -> Option<Str<S>> {
    v.map(Str)
}

impl JsonObject for NlqRoute<'_> {
    fn fields(&self, m: &mut Obj<'_>) -> io::Result<()> {
        nlq_where(m, self.route, self.ctx)?;
        nlq_what(m, self.route, self.ctx)?;
        nlq_extra(m, self.route, self.ctx)
    }
}

/// family, type, dst, dst_labels, from, gateway, via, as_labels, dev,
/// ifindex, iif.
fn nlq_where(m: &mut Obj<'_>, r: &Route, c: &Ctx<'_>) -> io::Result<()> {
    let family = NameOr(r.family.name(), r.family.0 as u32);
    m.fast(key!("family"), Some(family))?;
    m.fast(key!("type"), Some(type_name(r.kind)))?;
    match r.dst_labels {
        Some(l) => m.text(key!("dst"), Some(MplsPrefix(l, r.dst_len)))?,
        None => m.fast(
            key!("dst"),
            cidr(r, r.dst, r.dst_len, r.malformed.dst).map(|c| c.0),
        )?,
    }
    m.entry(key!("dst_labels"), &r.dst_labels.map(LabelList))?;
    let from = if r.src.is_some() || r.src_len != 0 {
        cidr(r, r.src, r.src_len, r.malformed.src)
    } else {
        None
    };
    m.fast(key!("from"), from.map(|c| c.0))?;
    m.fast(key!("gateway"), r.gateway.map(FastIp))?;
    m.entry(key!("via"), &r.via.map(NlqVia))?;
    m.entry(key!("as_labels"), &r.newdst.map(LabelList))?;
    m.fast(key!("dev"), r.oif.and_then(|i| c.links.name(i)))?;
    m.entry(key!("ifindex"), &r.oif)?;
    m.fast(key!("iif"), r.iif.and_then(|i| c.links.name(i)))
}

/// table, protocol, scope (names with their numbers), prefsrc, metric,
/// tos, flags, cache.
fn nlq_what(m: &mut Obj<'_>, r: &Route, c: &Ctx<'_>) -> io::Result<()> {
    let n = c.names;
    m.fast(key!("table"), n.tables.name(r.table))?;
    m.entry(key!("table_id"), &r.table)?;
    m.fast(key!("protocol"), n.protos.name(r.protocol.0 as u32))?;
    m.entry(key!("protocol_id"), &r.protocol.0)?;
    m.fast(key!("scope"), n.scopes.name(r.scope.0 as u32))?;
    m.entry(key!("scope_id"), &r.scope.0)?;
    m.fast(key!("prefsrc"), r.prefsrc.map(FastIp))?;
    m.entry(key!("metric"), &r.metric())?;
    m.entry(key!("tos"), &r.tos)?;
    m.entry(key!("flags"), &NlqFlags(r))?;
    let cache = Flags {
        bits: if has_cache_flags(r) {
            r.flags & !0xFFFF
        } else {
            0
        },
        table: &CACHE_FLAG_NAMES,
        skip: 0,
    };
    m.entry(key!("cache"), &cache)
}

/// nhid, realms, mark, uid, pref, ttl_propagate, expires, metrics, encap,
/// multipath, nexthops.
fn nlq_extra(m: &mut Obj<'_>, r: &Route, c: &Ctx<'_>) -> io::Result<()> {
    m.entry(key!("nhid"), &r.nhid)?;
    m.entry(key!("realms"), &r.flow.map(|f| NlqRealms(f, c.names)))?;
    m.entry(key!("mark"), &r.mark)?;
    m.entry(key!("uid"), &r.uid)?;
    m.entry(
        key!("pref"),
        &r.pref.map(|p| Str(NameOr(p.name(), p.0 as u32))),
    )?;
    m.entry(key!("ttl_propagate"), &r.ttl_propagate)?;
    let expires = r.cacheinfo.and_then(|ci| ci.expires_secs());
    m.entry(key!("expires"), &expires)?;
    m.entry(key!("metrics"), &r.metrics.as_ref().map(NlqMetrics))?;
    m.entry(key!("encap"), &r.encap.as_ref().map(NlqEncap))?;
    m.entry(key!("multipath"), &r.multipath)?;
    if r.multipath {
        m.objects(key!("nexthops"), &r.nexthops, |o, h| {
            nlq_hop(o, &HopView::of_hop(h), c)
        })
    } else {
        m.objects(key!("nexthops"), HopView::of_route(r), |o, h| {
            nlq_hop(o, &h, c)
        })
    }
}

/// A route's flags: `ip`'s names, then the other RTM_F_* names; bit
/// 0x20000000 is an RTCF_* cache flag, not "rt_offload_failed", on IPv4
/// cloned routes.
struct NlqFlags<'a>(&'a Route);

impl Serialize for NlqFlags<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let skip = if has_cache_flags(r) {
            RTM_F_OFFLOAD_FAILED
        } else {
            0
        };
        let first = Flags {
            bits: r.flags,
            table: &IP_FLAG_NAMES,
            skip,
        };
        let names = IP_FLAG_NAMES.iter().chain(&MORE_FLAG_NAMES);
        let mut seq = s.serialize_seq(None)?;
        for &(bit, name) in names {
            if first.bits & bit != 0 && first.skip & bit == 0 {
                seq.serialize_element(name)?;
            }
        }
        seq.end()
    }
}

/// `{"family": "inet6", "address": "fe80::1"}`.
struct NlqVia(IpAddr);

impl Serialize for NlqVia {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("family", family_name(self.0))?;
        m.serialize_entry("address", &Str(self.0))?;
        m.end()
    }
}

/// A label stack as an array of numbers, outermost first.
struct LabelList(Labels);

impl Serialize for LabelList {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.as_slice())
    }
}

/// `{"from": name, "from_id": n, "to": name, "to_id": n}`: a route's or
/// a rule's realms in nlq's schema.
pub(crate) struct NlqRealms<'a>(pub(crate) Realms, pub(crate) &'a Names);

impl Serialize for NlqRealms<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let realms = &self.1.realms;
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("from", &realms.name(self.0.from as u32))?;
        m.serialize_entry("from_id", &self.0.from)?;
        m.serialize_entry("to", &realms.name(self.0.to as u32))?;
        m.serialize_entry("to_id", &self.0.to)?;
        m.end()
    }
}

/// Every metric, `null` when absent; rtt and rttvar in milliseconds.
struct NlqMetrics<'a>(&'a Metrics);

impl Serialize for NlqMetrics<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mx = self.0;
        let mut m = s.serialize_map(Some(RTAX_MAX))?;
        for (i, &name) in RTAX_NAMES.iter().enumerate().skip(2) {
            let val = mx.get(i);
            match i {
                RTAX_RTT => m.serialize_entry("rtt", &val.map(|v| v / 8))?,
                RTAX_RTTVAR => m.serialize_entry("rttvar", &val.map(|v| v / 4))?,
                RTAX_FEATURES => m.serialize_entry("features", &val.map(Features))?,
                RTAX_CC_ALGO => m.serialize_entry("congestion", &mx.congestion())?,
                _ => m.serialize_entry(name, &val)?,
            }
        }
        let locked = (2..=RTAX_MAX).filter(|&i| mx.locked(i)).map(|i| match i {
            RTAX_CC_ALGO => "congestion",
            _ => RTAX_NAMES[i],
        });
        m.serialize_entry("locked", &Names2(locked))?;
        m.end()
    }
}

/// A list of names from an iterator (serialized without collecting).
struct Names2<I>(I);

impl<I: Iterator<Item = &'static str> + Clone> Serialize for Names2<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.clone())
    }
}

/// RTAX_FEATURES as names: "ecn", and any other bit as hex.
struct Features(u32);

impl Serialize for Features {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for bit in (0..32).map(|b| 1u32 << b).filter(|b| self.0 & b != 0) {
            match bit {
                RTAX_FEATURE_ECN => seq.serialize_element("ecn")?,
                other => seq.serialize_element(&Str(Hex(other as u64)))?,
            }
        }
        seq.end()
    }
}

/// `{"type", "id", "src", "dst", "labels", "ttl", "tos", "flags", "mode",
/// "segs", "action"}`, `null` / `[]` where the type has no such field.
pub(crate) struct NlqEncap<'a>(pub(crate) &'a Encap);

impl Serialize for NlqEncap<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let none = IpTunnel::default();
        let t = match &e.detail {
            EncapDetail::Ip(t) | EncapDetail::Ip6(t) => t,
            _ => &none,
        };
        let (labels, ttl) = match &e.detail {
            EncapDetail::Mpls(m) => (m.dst, m.ttl),
            _ => (None, t.ttl),
        };
        let (mode, segs, action) = match &e.detail {
            EncapDetail::Seg6 { mode, segs } => (Some(seg6_mode(*mode)), &segs[..], None),
            EncapDetail::Seg6Local { action } => (None, &[][..], action.map(seg6_action)),
            _ => (None, &[][..], None),
        };
        let flags = [
            (TUNNEL_KEY, "key"),
            (TUNNEL_CSUM, "csum"),
            (TUNNEL_SEQ, "seq"),
        ];
        let bits = t.flags.unwrap_or(0);
        let flags = flags
            .into_iter()
            .filter(move |&(b, _)| bits & b != 0)
            .map(|(_, n)| n);
        let mut m = s.serialize_map(Some(11))?;
        m.serialize_entry("type", &Str(NameOr(e.kind.name(), e.kind.0 as u32)))?;
        m.serialize_entry("id", &t.id)?;
        m.serialize_entry("src", &opt_str(t.src))?;
        match labels {
            Some(l) => m.serialize_entry("dst", &Str(l))?,
            None => m.serialize_entry("dst", &opt_str(t.dst))?,
        }
        m.serialize_entry("labels", &labels.map(LabelList))?;
        m.serialize_entry("ttl", &ttl)?;
        m.serialize_entry("tos", &t.tos)?;
        m.serialize_entry("flags", &Names2(flags))?;
        m.serialize_entry("mode", &mode)?;
        m.serialize_entry("segs", &Addrs(segs))?;
        m.serialize_entry("action", &action)?;
        m.end()
    }
}

/// One nexthop as nlq shows it, from RTA_MULTIPATH or from the route
/// itself for a single-path route.
struct HopView<'a> {
    gateway: Option<IpAddr>,
    via: Option<IpAddr>,
    newdst: Option<Labels>,
    ifindex: Option<u32>,
    weight: u16,
    flags: u32,
    flow: Option<Realms>,
    encap: Option<&'a Encap>,
}

impl<'a> HopView<'a> {
    fn of_hop(h: &'a Hop) -> Self {
        HopView {
            gateway: h.gateway,
            via: h.via,
            newdst: h.newdst,
            ifindex: (h.ifindex != 0).then_some(h.ifindex),
            weight: h.weight(),
            flags: h.flags as u32,
            flow: h.flow,
            encap: h.encap.as_ref(),
        }
    }

    /// The single path of a route without RTA_MULTIPATH, if it has one.
    fn of_route(r: &'a Route) -> Option<Self> {
        if r.gateway.is_none() && r.via.is_none() && r.newdst.is_none() && r.oif.is_none() {
            return None;
        }
        Some(HopView {
            gateway: r.gateway,
            via: r.via,
            newdst: r.newdst,
            ifindex: r.oif,
            weight: 1,
            flags: r.flags & 0xFF,
            flow: r.flow,
            encap: r.encap.as_ref(),
        })
    }
}

/// One nexthop: of RTA_MULTIPATH, or a single-path route's own.
fn nlq_hop(m: &mut Obj<'_>, h: &HopView<'_>, c: &Ctx<'_>) -> io::Result<()> {
    let flags = Flags {
        bits: h.flags,
        table: &IP_FLAG_NAMES,
        skip: 0,
    };
    m.fast(key!("gateway"), h.gateway.map(FastIp))?;
    m.entry(key!("via"), &h.via.map(NlqVia))?;
    m.entry(key!("as_labels"), &h.newdst.map(LabelList))?;
    m.fast(key!("dev"), h.ifindex.and_then(|i| c.links.name(i)))?;
    m.entry(key!("ifindex"), &h.ifindex)?;
    m.entry(key!("weight"), &h.weight)?;
    m.entry(key!("flags"), &flags)?;
    m.entry(key!("realms"), &h.flow.map(|f| NlqRealms(f, c.names)))?;
    m.entry(key!("encap"), &h.encap.map(NlqEncap))
}
