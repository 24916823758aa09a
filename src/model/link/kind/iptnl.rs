//! IP-in-IP tunnels: ipip and sit (IPv4 outer header, ip/link_iptnl.c)
//! and ip6tnl (IPv6 outer header, ip/link_ip6tnl.c): IFLA_IPTUN_* in the
//! order of iproute2 6.1's `iptunnel_print_opt` and `ip6tunnel_print_opt`.

use std::borrow::Cow;

use super::tunnel::{self, Encap, Family, ip6_flag};
use super::{Kind, KindField, KindValue, put};
use crate::wire::attr::{AF_INET, AF_INET6, AttrIndex};

/// ipip, sit and ip6tnl.
pub(super) const KINDS: &[Kind] = &[
    Kind {
        name: "ipip",
        decode: iptnl4,
        essentials: ESSENTIALS,
    },
    Kind {
        name: "sit",
        decode: iptnl4,
        essentials: ESSENTIALS,
    },
    Kind {
        name: "ip6tnl",
        decode: iptnl6,
        essentials: ESSENTIALS,
    },
];

const ESSENTIALS: &[&str] = &["proto", "remote", "local"];

// IFLA_IPTUN_* (linux/if_tunnel.h).
const IPTUN_MAX: usize = 21;
const LINK: u16 = 1;
const LOCAL: u16 = 2;
const REMOTE: u16 = 3;
const TTL: u16 = 4;
const TOS: u16 = 5;
const ENCAP_LIMIT: u16 = 6;
const FLOWINFO: u16 = 7;
const FLAGS: u16 = 8;
const PROTO: u16 = 9;
const PMTUDISC: u16 = 10;
const PREFIX_6RD: u16 = 11;
const RELAY_PREFIX_6RD: u16 = 12;
const PREFIXLEN_6RD: u16 = 13;
const RELAY_PREFIXLEN_6RD: u16 = 14;
/// The first of TYPE, FLAGS, SPORT, DPORT (see `Encap::at`).
const ENCAP_TYPE: u16 = 15;
const COLLECT_METADATA: u16 = 19;
const FWMARK: u16 = 20;

/// SIT_ISATAP (linux/if_tunnel.h), a bit of sit's u16 IFLA_IPTUN_FLAGS.
const SIT_ISATAP: u16 = 0x1;

type Tb<'a> = AttrIndex<'a, IPTUN_MAX>;

/// ipip and sit (ip/link_iptnl.c).
fn iptnl4(data: &[u8]) -> Vec<KindField> {
    let tb = Tb::parse(data);
    let mut out = Vec::new();
    external(&tb, &mut out);
    // IPPROTO_IPIP, IPPROTO_IPV6, IPPROTO_MPLS, or 0 for any.
    proto(
        &tb,
        &mut out,
        &[(4, "ipip"), (41, "ip6ip"), (137, "mplsip"), (0, "any")],
    );
    tunnel::endpoint(&mut out, "remote", tb.get(REMOTE), Family::V4);
    tunnel::endpoint(&mut out, "local", tb.get(LOCAL), Family::V4);
    tunnel::link(&mut out, tb.get(LINK));
    tunnel::ttl(&mut out, tb.get(TTL));
    tunnel::tos(&mut out, tb.get(TOS));
    // Always there: a missing attribute is shown as off.
    let pmtudisc = tb.get(PMTUDISC).and_then(|a| a.u8().ok()).unwrap_or(0);
    put(&mut out, "pmtudisc", KindValue::Bool(pmtudisc != 0));
    let flags = tb.get(FLAGS).and_then(|a| a.u16().ok()).unwrap_or(0);
    if flags & SIT_ISATAP != 0 {
        put(&mut out, "isatap", KindValue::Bool(true));
    }
    six_rd(&tb, &mut out);
    tunnel::fwmark(&mut out, tb.get(FWMARK));
    tunnel::encap(&mut out, Encap::at(&tb, ENCAP_TYPE));
    out
}

/// ip6tnl (ip/link_ip6tnl.c): ip6ip6, ipip6 or any.
fn iptnl6(data: &[u8]) -> Vec<KindField> {
    let tb = Tb::parse(data);
    let mut out = Vec::new();
    external(&tb, &mut out);
    // ip6tnl's IFLA_IPTUN_FLAGS is a u32 of IP6_TNL_F_* bits.
    let flags = tunnel::u32_of(tb.get(FLAGS)).unwrap_or(0);
    proto(&tb, &mut out, &[(4, "ipip6"), (41, "ip6ip6"), (0, "any")]);
    tunnel::endpoint(&mut out, "remote", tb.get(REMOTE), Family::V6);
    tunnel::endpoint(&mut out, "local", tb.get(LOCAL), Family::V6);
    tunnel::link(&mut out, tb.get(LINK));
    tunnel::ttl(&mut out, tb.get(TTL));
    tunnel::ip6_head(&mut out, flags, tb.get(ENCAP_LIMIT), tb.get(FLOWINFO));
    if flags & ip6_flag::MIP6_DEV != 0 {
        put(&mut out, "ip6_tnl_f_mip6_dev", KindValue::Bool(true));
    }
    tunnel::ip6_tail(&mut out, flags, tb.get(FWMARK));
    tunnel::encap(&mut out, Encap::at(&tb, ENCAP_TYPE));
    out
}

/// `external`: the tunnel takes its endpoints from each packet's metadata.
fn external(tb: &Tb, out: &mut Vec<KindField>) {
    if tb.get(COLLECT_METADATA).is_some() {
        put(out, "external", KindValue::Bool(true));
    }
}

/// `proto`: the inner protocol's name; an IP protocol ip does not name
/// for this kind prints nothing.
fn proto(tb: &Tb, out: &mut Vec<KindField>, names: &[(u8, &'static str)]) {
    let Some(p) = tb.get(PROTO).and_then(|a| a.u8().ok()) else {
        return;
    };
    if let Some(&(_, name)) = names.iter().find(|&&(n, _)| n == p) {
        put(out, "proto", KindValue::Text(Cow::Borrowed(name)));
    }
}

/// sit's 6rd prefix, when its length is not 0; the relay prefix only when
/// it is not 0.0.0.0. ip prints both lengths with `print_int`.
fn six_rd(tb: &Tb, out: &mut Vec<KindField>) {
    let len = tb.get(PREFIXLEN_6RD).and_then(|a| a.u16().ok());
    let Some(len) = len.filter(|&l| l != 0) else {
        return;
    };
    let Some(prefix) = tb.get(PREFIX_6RD).and_then(|a| a.ip(AF_INET6).ok()) else {
        return;
    };
    put(out, "prefix", KindValue::Ip(prefix));
    put(out, "prefixlen", KindValue::Int(len.into()));
    let relay = tb.get(RELAY_PREFIX_6RD).and_then(|a| a.ip(AF_INET).ok());
    if let Some(relay) = relay.filter(|r| !r.is_unspecified()) {
        let rlen = tb.get(RELAY_PREFIXLEN_6RD).and_then(|a| a.u16().ok());
        put(out, "relay_prefix", KindValue::Ip(relay));
        put(
            out,
            "relay_prefixlen",
            KindValue::Int(rlen.unwrap_or(0).into()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::decode;
    use super::super::test_util::{keys, value};
    use super::*;

    #[test]
    fn ipip_typical() {
        #[rustfmt::skip]
        let data = [
            8, 0, 1, 0, 2, 0, 0, 0, // IFLA_IPTUN_LINK = 2
            8, 0, 2, 0, 192, 0, 2, 1, // LOCAL = 192.0.2.1
            8, 0, 3, 0, 192, 0, 2, 2, // REMOTE = 192.0.2.2
            5, 0, 4, 0, 32, 0, 0, 0, // TTL = 32
            5, 0, 5, 0, 1, 0, 0, 0, // TOS = 1 (inherit): 0x1
            5, 0, 9, 0, 4, 0, 0, 0, // PROTO = IPPROTO_IPIP
            5, 0, 10, 0, 1, 0, 0, 0, // PMTUDISC = 1
            8, 0, 20, 0, 0x10, 0, 0, 0, // FWMARK = 0x10
        ];
        let d = decode("ipip", &data).unwrap().fields;
        assert_eq!(
            keys(&d),
            [
                "proto", "remote", "local", "link", "ttl", "tos", "pmtudisc", "fwmark"
            ]
        );
        assert_eq!(value(&d, "proto"), &KindValue::Text("ipip".into()));
        assert_eq!(value(&d, "local"), &KindValue::Ip([192, 0, 2, 1].into()));
        assert_eq!(value(&d, "tos"), &KindValue::Hex(1));
        assert_eq!(value(&d, "pmtudisc"), &KindValue::Bool(true));
    }

    #[test]
    fn empty_data_still_has_endpoints_ttl_and_pmtudisc() {
        let d = decode("sit", &[]).unwrap().fields;
        assert_eq!(keys(&d), ["remote", "local", "ttl", "pmtudisc"]);
        assert_eq!(value(&d, "pmtudisc"), &KindValue::Bool(false));
        let d = decode("ip6tnl", &[]).unwrap().fields;
        assert_eq!(keys(&d), ["remote", "local", "ttl"]);
    }

    #[test]
    fn sit_isatap_6rd_and_gue() {
        #[rustfmt::skip]
        let data = [
            4, 0, 19, 0, // COLLECT_METADATA (flag)
            5, 0, 9, 0, 0, 0, 0, 0, // PROTO = 0: "any"
            6, 0, 8, 0, 1, 0, 0, 0, // FLAGS = SIT_ISATAP (u16)
            20, 0, 11, 0, 0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, // 6RD_PREFIX = 2001:db8::
            8, 0, 12, 0, 10, 0, 0, 0, // 6RD_RELAY_PREFIX = 10.0.0.0
            6, 0, 13, 0, 32, 0, 0, 0, // 6RD_PREFIXLEN = 32
            6, 0, 14, 0, 8, 0, 0, 0, // 6RD_RELAY_PREFIXLEN = 8
            6, 0, 15, 0, 2, 0, 0, 0, // ENCAP_TYPE = GUE
            6, 0, 16, 0, 2, 0, 0, 0, // ENCAP_FLAGS = CSUM6
            6, 0, 17, 0, 0x04, 0xd2, 0, 0, // ENCAP_SPORT = 1234
            6, 0, 18, 0, 0x16, 0x2e, 0, 0, // ENCAP_DPORT = 5678
        ];
        let d = decode("sit", &data).unwrap().fields;
        assert_eq!(
            keys(&d),
            [
                "external",
                "proto",
                "remote",
                "local",
                "ttl",
                "pmtudisc",
                "isatap",
                "prefix",
                "prefixlen",
                "relay_prefix",
                "relay_prefixlen",
                "encap"
            ]
        );
        assert_eq!(value(&d, "proto"), &KindValue::Text("any".into()));
        assert_eq!(
            value(&d, "prefix"),
            &KindValue::Ip("2001:db8::".parse().unwrap())
        );
        assert_eq!(value(&d, "prefixlen"), &KindValue::Int(32));
        assert_eq!(
            value(&d, "relay_prefix"),
            &KindValue::Ip([10, 0, 0, 0].into())
        );
        assert_eq!(value(&d, "relay_prefixlen"), &KindValue::Int(8));
        let KindValue::Object(encap) = value(&d, "encap") else {
            panic!("encap is an object");
        };
        assert_eq!(value(encap, "type"), &KindValue::Text("gue".into()));
        assert_eq!(value(encap, "sport"), &KindValue::Uint(1234));
        assert_eq!(value(encap, "csum6"), &KindValue::Bool(true));
    }

    #[test]
    fn sit_6rd_without_relay_and_unknown_proto() {
        #[rustfmt::skip]
        let data = [
            5, 0, 9, 0, 17, 0, 0, 0, // PROTO = 17 (UDP): ip names nothing
            20, 0, 11, 0, 0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, // 6RD_PREFIX = 2001:db8::
            8, 0, 12, 0, 0, 0, 0, 0, // 6RD_RELAY_PREFIX = 0.0.0.0: no relay keys
            6, 0, 13, 0, 48, 0, 0, 0, // 6RD_PREFIXLEN = 48
            5, 0, 10, 0, 0, 0, 0, 0, // PMTUDISC = 0
        ];
        let d = decode("sit", &data).unwrap().fields;
        assert_eq!(
            keys(&d),
            ["remote", "local", "ttl", "pmtudisc", "prefix", "prefixlen"]
        );
        // A zero prefix length hides the 6rd keys.
        let mut zero = data;
        zero[40] = 0;
        let d = decode("sit", &zero).unwrap().fields;
        assert_eq!(keys(&d), ["remote", "local", "ttl", "pmtudisc"]);
    }

    #[rustfmt::skip]
    const IP6TNL: [u8; 80] = [
        20, 0, 2, 0, 0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, // LOCAL = 2001:db8::1
        20, 0, 3, 0, 0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, // REMOTE = 2001:db8::2
        5, 0, 4, 0, 64, 0, 0, 0, // TTL = 64
        5, 0, 6, 0, 4, 0, 0, 0, // ENCAP_LIMIT = 4
        8, 0, 7, 0, 0, 0, 0, 0, // FLOWINFO = 0
        8, 0, 8, 0, 0x58, 0, 0, 0, // FLAGS = MIP6_DEV|RCV_DSCP_COPY|ALLOW_LOCAL_REMOTE
        5, 0, 9, 0, 41, 0, 0, 0, // PROTO = IPPROTO_IPV6
    ];

    #[test]
    fn ip6tnl_ip6ip6() {
        let d = decode("ip6tnl", &IP6TNL).unwrap().fields;
        assert_eq!(
            keys(&d),
            [
                "proto",
                "remote",
                "local",
                "ttl",
                "encap_limit",
                "tclass",
                "flowlabel",
                "ip6_tnl_f_rcv_dscp_copy",
                "ip6_tnl_f_mip6_dev",
                "ip6_tnl_f_allow_local_remote"
            ]
        );
        assert_eq!(value(&d, "proto"), &KindValue::Text("ip6ip6".into()));
        let KindValue::Spelled { ip, .. } = value(&d, "flowlabel") else {
            panic!("flowlabel is spelled");
        };
        assert_eq!(ip, "0x00000");
    }

    #[test]
    fn ip6tnl_ipip6_and_wrong_size_flags() {
        let mut data = IP6TNL;
        data[76] = 4; // PROTO = IPPROTO_IPIP
        data[64] = 6; // FLAGS with 2 bytes: no flags at all
        let d = decode("ip6tnl", &data).unwrap().fields;
        assert_eq!(
            keys(&d),
            [
                "proto",
                "remote",
                "local",
                "ttl",
                "encap_limit",
                "tclass",
                "flowlabel"
            ]
        );
        assert_eq!(value(&d, "proto"), &KindValue::Text("ipip6".into()));
        data[76] = 0; // PROTO = any
        let d = decode("ip6tnl", &data).unwrap().fields;
        assert_eq!(value(&d, "proto"), &KindValue::Text("any".into()));
    }
}
