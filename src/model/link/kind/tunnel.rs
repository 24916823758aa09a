//! Pieces every IP tunnel kind prints alike: endpoints, lower device, ttl,
//! tos, fwmark, keys, the IPv6 tunnel flags and the fou/gue encapsulation,
//! as iproute2 6.1's ip/tunnel.c helpers and the `print_opt` functions of
//! link_gre.c, link_gre6.c, link_iptnl.c, link_ip6tnl.c and link_vti*.c
//! print them.
//!
//! Each helper takes the attribute (or attributes) it reads as an
//! `Option<Attr>`, so the GRE (IFLA_GRE_*), IP tunnel (IFLA_IPTUN_*) and
//! VTI (IFLA_VTI_*) numberings can share them.

use std::net::Ipv4Addr;

use super::{KindField, KindValue, put};
use crate::wire::attr::{AF_INET, AF_INET6, Attr, AttrIndex};

/// IP6_TNL_F_* (linux/ip6_tunnel.h): bits of IFLA_GRE_FLAGS and of
/// ip6tnl's IFLA_IPTUN_FLAGS.
pub(super) mod ip6_flag {
    /// `encaplimit none`.
    pub const IGN_ENCAP_LIMIT: u32 = 0x1;
    /// `tclass inherit`.
    pub const USE_ORIG_TCLASS: u32 = 0x2;
    /// `flowlabel inherit`.
    pub const USE_ORIG_FLOWLABEL: u32 = 0x4;
    /// `mip6`.
    pub const MIP6_DEV: u32 = 0x8;
    /// `dscp inherit`.
    pub const RCV_DSCP_COPY: u32 = 0x10;
    /// `fwmark inherit`.
    pub const USE_ORIG_FWMARK: u32 = 0x20;
    /// `allow-localremote`.
    pub const ALLOW_LOCAL_REMOTE: u32 = 0x40;
}

/// The address family of a tunnel's endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Family {
    /// IPv4 endpoints (gre, ipip, sit, vti).
    V4,
    /// IPv6 endpoints (ip6gre, ip6tnl, vti6).
    V6,
}

/// `tnl_print_endpoint`: the key is always there; "any" when the
/// attribute is missing or the unspecified address, "unknown" when its
/// size does not match the family.
pub(super) fn endpoint(out: &mut Vec<KindField>, key: &'static str, a: Option<Attr>, f: Family) {
    let family = match f {
        Family::V4 => AF_INET,
        Family::V6 => AF_INET6,
    };
    let value = match a.map(|a| a.ip(family)) {
        None => KindValue::Text("any".into()),
        Some(Err(_)) => KindValue::Text("unknown".into()),
        Some(Ok(ip)) if ip.is_unspecified() => KindValue::Text("any".into()),
        Some(Ok(ip)) => KindValue::Ip(ip),
    };
    put(out, key, value);
}

/// The lower device (`dev NAME`), only when its index is not 0.
pub(super) fn link(out: &mut Vec<KindField>, a: Option<Attr>) {
    if let Some(i) = u32_of(a).filter(|&i| i != 0) {
        put(out, "link", KindValue::Link(i));
    }
}

/// `ttl` (hop limit for IPv6): always printed in JSON, 0 meaning inherit.
pub(super) fn ttl(out: &mut Vec<KindField>, a: Option<Attr>) {
    let ttl = a.and_then(|a| a.u8().ok()).unwrap_or(0);
    put(out, "ttl", KindValue::Uint(ttl.into()));
}

/// `tos`, only when not 0 (1 means inherit; JSON shows it as 0x1).
pub(super) fn tos(out: &mut Vec<KindField>, a: Option<Attr>) {
    if let Some(tos) = a.and_then(|a| a.u8().ok()).filter(|&t| t != 0) {
        put(out, "tos", KindValue::Hex(tos.into()));
    }
}

/// `fwmark`, only when not 0.
pub(super) fn fwmark(out: &mut Vec<KindField>, a: Option<Attr>) {
    if let Some(mark) = u32_of(a).filter(|&m| m != 0) {
        put(out, "fwmark", KindValue::Hex(mark.into()));
    }
}

/// A GRE or VTI key: ip prints its four bytes as a dotted quad, nlq the
/// number (the key is big-endian on the wire).
pub(super) fn key(out: &mut Vec<KindField>, key: &'static str, a: Attr) {
    if let Ok(b) = a.fixed::<4>() {
        put(
            out,
            key,
            KindValue::Spelled {
                ip: Ipv4Addr::from(b).to_string().into(),
                nlq: Box::new(KindValue::Uint(u32::from_be_bytes(b).into())),
            },
        );
    }
}

/// A u32 attribute in host order, if present and of the right size.
pub(super) fn u32_of(a: Option<Attr>) -> Option<u32> {
    a.and_then(|a| a.u32().ok())
}

/// The first IPv6 tunnel settings: encapsulation limit, traffic class,
/// flow label and dscp copying, each either "inherit" (a flag) or its
/// value. `flowinfo` is the big-endian IPv6 flow word.
pub(super) fn ip6_head(
    out: &mut Vec<KindField>,
    flags: u32,
    encap_limit: Option<Attr>,
    flowinfo: Option<Attr>,
) {
    use ip6_flag::*;
    if flags & IGN_ENCAP_LIMIT != 0 {
        put(out, "ip6_tnl_f_ign_encap_limit", KindValue::Bool(true));
    } else if let Some(limit) = encap_limit.and_then(|a| a.u8().ok()) {
        put(out, "encap_limit", KindValue::Uint(limit.into()));
    }
    let flowinfo = flowinfo.and_then(|a| a.be32().ok());
    if flags & USE_ORIG_TCLASS != 0 {
        put(out, "ip6_tnl_f_use_orig_tclass", KindValue::Bool(true));
    } else if let Some(fi) = flowinfo {
        let tclass = (fi & 0x0ff0_0000) >> 20;
        put(out, "tclass", spelled(format!("{tclass:#04x}"), tclass));
    }
    if flags & USE_ORIG_FLOWLABEL != 0 {
        put(out, "ip6_tnl_f_use_orig_flowlabel", KindValue::Bool(true));
    } else if let Some(fi) = flowinfo {
        let label = fi & 0x000f_ffff;
        put(out, "flowlabel", spelled(format!("{label:#07x}"), label));
    }
    if flags & RCV_DSCP_COPY != 0 {
        put(out, "ip6_tnl_f_rcv_dscp_copy", KindValue::Bool(true));
    }
}

/// The last IPv6 tunnel settings: `allow-localremote` and the fwmark
/// ("inherit" or its value).
pub(super) fn ip6_tail(out: &mut Vec<KindField>, flags: u32, mark: Option<Attr>) {
    use ip6_flag::*;
    if flags & ALLOW_LOCAL_REMOTE != 0 {
        put(out, "ip6_tnl_f_allow_local_remote", KindValue::Bool(true));
    }
    if flags & USE_ORIG_FWMARK != 0 {
        put(out, "ip6_tnl_f_use_orig_fwmark", KindValue::Bool(true));
    } else {
        fwmark(out, mark);
    }
}

/// A number ip prints as fixed-width hexadecimal text.
fn spelled(ip: String, n: u32) -> KindValue {
    KindValue::Spelled {
        ip: ip.into(),
        nlq: Box::new(KindValue::Uint(n.into())),
    }
}

/// The four attributes of a tunnel's UDP encapsulation (fou or gue):
/// ENCAP_TYPE, ENCAP_FLAGS, ENCAP_SPORT and ENCAP_DPORT.
pub(super) struct Encap<'a> {
    /// TUNNEL_ENCAP_* (u16).
    pub kind: Option<Attr<'a>>,
    /// TUNNEL_ENCAP_FLAG_* (u16).
    pub flags: Option<Attr<'a>>,
    /// UDP source port (big-endian u16; 0 = chosen per flow).
    pub sport: Option<Attr<'a>>,
    /// UDP destination port (big-endian u16).
    pub dport: Option<Attr<'a>>,
}

impl<'a> Encap<'a> {
    /// The four attributes from `tb`, numbered from `first` on: both GRE
    /// (IFLA_GRE_ENCAP_TYPE = 14) and IP-in-IP (IFLA_IPTUN_ENCAP_TYPE =
    /// 15) number TYPE, FLAGS, SPORT, DPORT consecutively.
    pub(super) fn at<const N: usize>(tb: &AttrIndex<'a, N>, first: u16) -> Self {
        Encap {
            kind: tb.get(first),
            flags: tb.get(first + 1),
            sport: tb.get(first + 2),
            dport: tb.get(first + 3),
        }
    }
}

/// `tnl_print_encap`: the `encap` object, unless the type is missing or
/// TUNNEL_ENCAP_NONE. A missing flags or port attribute counts as 0 (the
/// kernel always sends all four; ip would read past a missing one).
pub(super) fn encap(out: &mut Vec<KindField>, e: Encap) {
    let Some(kind) = e.kind.and_then(|a| a.u16().ok()).filter(|&t| t != 0) else {
        return;
    };
    let flags = e.flags.and_then(|a| a.u16().ok()).unwrap_or(0);
    let port = |a: Option<Attr>| a.and_then(|a| a.be16().ok()).unwrap_or(0);
    let kind = match kind {
        1 => KindValue::Text("fou".into()),
        2 => KindValue::Text("gue".into()),
        // ip prints null for any other type (TUNNEL_ENCAP_MPLS too).
        _ => KindValue::Null,
    };
    let bit = |b: u16| KindValue::Bool(flags & b != 0);
    let fields = vec![
        KindField {
            key: "type",
            value: kind,
        },
        KindField {
            key: "sport",
            value: KindValue::Uint(port(e.sport).into()),
        },
        KindField {
            key: "dport",
            value: KindValue::Uint(port(e.dport).into()),
        },
        // TUNNEL_ENCAP_FLAG_CSUM, _CSUM6, _REMCSUM.
        KindField {
            key: "csum",
            value: bit(1),
        },
        KindField {
            key: "csum6",
            value: bit(2),
        },
        KindField {
            key: "remcsum",
            value: bit(4),
        },
    ];
    put(out, "encap", KindValue::Object(fields));
}
