//! VXLAN: IFLA_VXLAN_* in the order of iproute2 6.1's ip/iplink_vxlan.c.

use super::{Fmt, Kind, KindField, KindValue, Row, apply, put};
use crate::wire::attr::{AF_INET, AF_INET6, AttrIndex};

/// The VXLAN kind.
pub(super) const KINDS: &[Kind] = &[Kind {
    name: "vxlan",
    decode: vxlan,
    essentials: &[
        "id", "remote", "group", "remote6", "group6", "local", "local6", "port",
    ],
}];

// IFLA_VXLAN_* (linux/if_link.h).
const VXLAN_MAX: usize = 31;
const VXLAN_GROUP: u16 = 2;
const VXLAN_LOCAL: u16 = 4;
const VXLAN_TTL: u16 = 5;
const VXLAN_GROUP6: u16 = 16;
const VXLAN_LOCAL6: u16 = 17;
const VXLAN_TTL_INHERIT: u16 = 28;
const VXLAN_HEAD: &[Row] = &[
    (25, "external", Fmt::TrueIfSet),
    (30, "vnifilter", Fmt::TrueIfSet),
    (1, "id", Fmt::U32),
];
const VXLAN_MIDDLE: &[Row] = &[
    (3, "link", Fmt::IfIndexNonZero),
    (10, "port_range", Fmt::PortRange),
    (15, "port", Fmt::Be16),
    (7, "learning", Fmt::OnOff),
    (11, "proxy", Fmt::TrueIfSet),
    (12, "rsc", Fmt::TrueIfSet),
    (13, "l2miss", Fmt::TrueIfSet),
    (14, "l3miss", Fmt::TrueIfSet),
    (6, "tos", Fmt::Hex8NonZero),
];
const VXLAN_TAIL: &[Row] = &[
    (29, "df", Fmt::Df),
    (26, "label", Fmt::HexBe32NonZero),
    (8, "ageing", Fmt::U32),
    (9, "limit", Fmt::U32NonZero),
    (18, "udp_csum", Fmt::OnOff),
    (19, "udp_zero_csum6_tx", Fmt::OnOff),
    (20, "udp_zero_csum6_rx", Fmt::OnOff),
    (21, "remcsum_tx", Fmt::TrueIfSet),
    (22, "remcsum_rx", Fmt::TrueIfSet),
    (23, "gbp", Fmt::TrueIfPresent),
    (27, "gpe", Fmt::TrueIfPresent),
];

fn vxlan(data: &[u8]) -> Vec<KindField> {
    let tb = AttrIndex::<VXLAN_MAX>::parse(data);
    let mut out = Vec::new();
    apply(&tb, VXLAN_HEAD, &mut out);
    // The IPv4 attribute wins when present, even when it is 0.0.0.0.
    let group = tb.get(VXLAN_GROUP).and_then(|a| a.ip(AF_INET).ok());
    let group = group.or_else(|| tb.get(VXLAN_GROUP6).and_then(|a| a.ip(AF_INET6).ok()));
    if let Some(ip) = group.filter(|ip| !ip.is_unspecified()) {
        let key = match (ip.is_multicast(), ip.is_ipv4()) {
            (true, true) => "group",
            (false, true) => "remote",
            (true, false) => "group6",
            (false, false) => "remote6",
        };
        put(&mut out, key, KindValue::Ip(ip));
    }
    let local = tb.get(VXLAN_LOCAL).and_then(|a| a.ip(AF_INET).ok());
    let local = local.or_else(|| tb.get(VXLAN_LOCAL6).and_then(|a| a.ip(AF_INET6).ok()));
    if let Some(ip) = local.filter(|ip| !ip.is_unspecified()) {
        put(
            &mut out,
            if ip.is_ipv4() { "local" } else { "local6" },
            KindValue::Ip(ip),
        );
    }
    apply(&tb, VXLAN_MIDDLE, &mut out);
    // TTL_INHERIT is a flag on newer kernels and a u8 on older ones.
    let inherit = tb.get(VXLAN_TTL_INHERIT).is_some_and(|a| a.u8() != Ok(0));
    if !inherit {
        apply(&tb, &[(VXLAN_TTL, "ttl", Fmt::U8)], &mut out);
    }
    apply(&tb, VXLAN_TAIL, &mut out);
    out
}
