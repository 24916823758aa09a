//! GRE tunnels over IPv4 (gre, gretap, erspan) and IPv6 (ip6gre,
//! ip6gretap, ip6erspan): IFLA_GRE_* in the order of iproute2 6.1's
//! `gre_print_opt` in ip/link_gre.c and ip/link_gre6.c.

use super::tunnel::{self, Encap, Family};
use super::{Kind, KindField, KindValue, put};
use crate::wire::attr::AttrIndex;

/// The six GRE kinds; ERSPAN is GRE with a mirroring header.
pub(super) const KINDS: &[Kind] = &[
    gre("gre", gre4, GRE_ESSENTIALS),
    gre("gretap", gre4, GRE_ESSENTIALS),
    gre("erspan", gre4, ERSPAN_ESSENTIALS),
    gre("ip6gre", gre6, GRE_ESSENTIALS),
    gre("ip6gretap", gre6, GRE_ESSENTIALS),
    gre("ip6erspan", gre6, ERSPAN_ESSENTIALS),
];

const GRE_ESSENTIALS: &[&str] = &["remote", "local", "ikey", "okey"];
const ERSPAN_ESSENTIALS: &[&str] = &["remote", "local", "erspan_ver", "erspan_index"];

/// One GRE kind: its name, decoder (IPv4 or IPv6) and essentials.
const fn gre(
    name: &'static str,
    decode: fn(&[u8]) -> Vec<KindField>,
    essentials: &'static [&'static str],
) -> Kind {
    Kind {
        name,
        decode,
        essentials,
    }
}

// IFLA_GRE_* (linux/if_tunnel.h).
const GRE_MAX: usize = 25;
const LINK: u16 = 1;
const IFLAGS: u16 = 2;
const OFLAGS: u16 = 3;
const IKEY: u16 = 4;
const OKEY: u16 = 5;
const LOCAL: u16 = 6;
const REMOTE: u16 = 7;
const TTL: u16 = 8;
const TOS: u16 = 9;
const PMTUDISC: u16 = 10;
const ENCAP_LIMIT: u16 = 11;
const FLOWINFO: u16 = 12;
const FLAGS: u16 = 13;
/// The first of TYPE, FLAGS, SPORT, DPORT (see `Encap::at`).
const ENCAP_TYPE: u16 = 14;
const COLLECT_METADATA: u16 = 18;
const IGNORE_DF: u16 = 19;
const FWMARK: u16 = 20;
const ERSPAN_INDEX: u16 = 21;
const ERSPAN_VER: u16 = 22;
const ERSPAN_DIR: u16 = 23;
const ERSPAN_HWID: u16 = 24;

// GRE header flag bits of IFLA_GRE_IFLAGS / OFLAGS, big-endian on the
// wire (GRE_CSUM, GRE_KEY, GRE_SEQ in linux/if_tunnel.h).
const GRE_CSUM: u16 = 0x8000;
const GRE_KEY: u16 = 0x2000;
const GRE_SEQ: u16 = 0x1000;

type Tb<'a> = AttrIndex<'a, GRE_MAX>;

/// gre, gretap, erspan (ip/link_gre.c).
fn gre4(data: &[u8]) -> Vec<KindField> {
    let tb = Tb::parse(data);
    let mut out = Vec::new();
    external(&tb, &mut out);
    tunnel::endpoint(&mut out, "remote", tb.get(REMOTE), Family::V4);
    tunnel::endpoint(&mut out, "local", tb.get(LOCAL), Family::V4);
    tunnel::link(&mut out, tb.get(LINK));
    tunnel::ttl(&mut out, tb.get(TTL));
    tunnel::tos(&mut out, tb.get(TOS));
    if let Some(on) = tb.get(PMTUDISC).and_then(|a| a.u8().ok()) {
        put(&mut out, "pmtudisc", KindValue::Bool(on != 0));
    }
    if tb
        .get(IGNORE_DF)
        .and_then(|a| a.u8().ok())
        .is_some_and(|v| v != 0)
    {
        put(&mut out, "ignore_df", KindValue::Bool(true));
    }
    keys(&tb, &mut out);
    tunnel::fwmark(&mut out, tb.get(FWMARK));
    erspan(&tb, &mut out);
    tunnel::encap(&mut out, Encap::at(&tb, ENCAP_TYPE));
    out
}

/// ip6gre, ip6gretap, ip6erspan (ip/link_gre6.c).
fn gre6(data: &[u8]) -> Vec<KindField> {
    let tb = Tb::parse(data);
    let mut out = Vec::new();
    external(&tb, &mut out);
    let flags = tunnel::u32_of(tb.get(FLAGS)).unwrap_or(0);
    tunnel::endpoint(&mut out, "remote", tb.get(REMOTE), Family::V6);
    tunnel::endpoint(&mut out, "local", tb.get(LOCAL), Family::V6);
    tunnel::link(&mut out, tb.get(LINK));
    tunnel::ttl(&mut out, tb.get(TTL));
    tunnel::ip6_head(&mut out, flags, tb.get(ENCAP_LIMIT), tb.get(FLOWINFO));
    keys(&tb, &mut out);
    tunnel::ip6_tail(&mut out, flags, tb.get(FWMARK));
    erspan(&tb, &mut out);
    tunnel::encap(&mut out, Encap::at(&tb, ENCAP_TYPE));
    out
}

/// `external`: the tunnel takes its endpoints from each packet's metadata.
fn external(tb: &Tb, out: &mut Vec<KindField>) {
    if tb.get(COLLECT_METADATA).is_some() {
        put(out, "external", KindValue::Bool(true));
    }
}

/// Keys, sequence numbers and checksums, from the GRE header flags.
fn keys(tb: &Tb, out: &mut Vec<KindField>) {
    let flags = |t| tb.get(t).and_then(|a| a.be16().ok()).unwrap_or(0);
    let (iflags, oflags) = (flags(IFLAGS), flags(OFLAGS));
    for (fl, t, key) in [(iflags, IKEY, "ikey"), (oflags, OKEY, "okey")] {
        if let Some(a) = tb.get(t).filter(|_| fl & GRE_KEY != 0) {
            tunnel::key(out, key, a);
        }
    }
    let bits = [
        (iflags, GRE_SEQ, "iseq"),
        (oflags, GRE_SEQ, "oseq"),
        (iflags, GRE_CSUM, "icsum"),
        (oflags, GRE_CSUM, "ocsum"),
    ];
    for (fl, bit, key) in bits {
        if fl & bit != 0 {
            put(out, key, KindValue::Bool(true));
        }
    }
}

/// ERSPAN: session index (v1), version, direction and hardware id (v2).
fn erspan(tb: &Tb, out: &mut Vec<KindField>) {
    if let Some(i) = tb.get(ERSPAN_INDEX).and_then(|a| a.u32().ok()) {
        put(out, "erspan_index", KindValue::Uint(i.into()));
    }
    if let Some(v) = tb.get(ERSPAN_VER).and_then(|a| a.u8().ok()) {
        put(out, "erspan_ver", KindValue::Uint(v.into()));
    }
    if let Some(d) = tb.get(ERSPAN_DIR).and_then(|a| a.u8().ok()) {
        let dir = if d == 0 { "ingress" } else { "egress" };
        put(out, "erspan_dir", KindValue::Text(dir.into()));
    }
    if let Some(id) = tb.get(ERSPAN_HWID).and_then(|a| a.u16().ok()) {
        put(out, "erspan_hwid", KindValue::Hex(id.into()));
    }
}

#[cfg(test)]
mod tests {
    use super::super::decode;
    use super::super::test_util::{keys, value};
    use super::*;

    #[test]
    fn gre_with_keys_seq_and_csum() {
        #[rustfmt::skip]
        let data = [
            8, 0, 1, 0, 3, 0, 0, 0, // IFLA_GRE_LINK = 3
            6, 0, 2, 0, 0x30, 0, 0, 0, // IFLAGS = GRE_KEY|GRE_SEQ (be16), pad
            6, 0, 3, 0, 0xa0, 0, 0, 0, // OFLAGS = GRE_CSUM|GRE_KEY (be16), pad
            8, 0, 4, 0, 0, 0, 0, 42, // IKEY = 42 (be32)
            8, 0, 5, 0, 0, 0, 1, 0, // OKEY = 256 (be32)
            8, 0, 6, 0, 10, 0, 0, 1, // LOCAL = 10.0.0.1
            8, 0, 7, 0, 10, 0, 0, 2, // REMOTE = 10.0.0.2
            5, 0, 8, 0, 64, 0, 0, 0, // TTL = 64
            5, 0, 9, 0, 0x10, 0, 0, 0, // TOS = 0x10
            5, 0, 10, 0, 1, 0, 0, 0, // PMTUDISC = 1
            5, 0, 19, 0, 1, 0, 0, 0, // IGNORE_DF = 1
            8, 0, 20, 0, 7, 0, 0, 0, // FWMARK = 7
            6, 0, 14, 0, 0, 0, 0, 0, // ENCAP_TYPE = NONE: no encap object
        ];
        let d = decode("gre", &data).unwrap().fields;
        assert_eq!(
            keys(&d),
            [
                "remote",
                "local",
                "link",
                "ttl",
                "tos",
                "pmtudisc",
                "ignore_df",
                "ikey",
                "okey",
                "iseq",
                "ocsum",
                "fwmark"
            ]
        );
        assert_eq!(value(&d, "remote"), &KindValue::Ip([10, 0, 0, 2].into()));
        assert_eq!(value(&d, "link"), &KindValue::Link(3));
        assert_eq!(value(&d, "tos"), &KindValue::Hex(0x10));
        let ikey = KindValue::Spelled {
            ip: "0.0.0.42".into(),
            nlq: Box::new(KindValue::Uint(42)),
        };
        assert_eq!(value(&d, "ikey"), &ikey);
        assert_eq!(value(&d, "fwmark"), &KindValue::Hex(7));
    }

    #[test]
    fn gre_defaults_any_endpoints_and_ttl_zero() {
        #[rustfmt::skip]
        let data = [
            8, 0, 1, 0, 0, 0, 0, 0, // LINK = 0: not shown
            6, 0, 2, 0, 0, 0, 0, 0, // IFLAGS = 0
            8, 0, 4, 0, 0, 0, 0, 9, // IKEY = 9, but no GRE_KEY flag: not shown
            8, 0, 6, 0, 0, 0, 0, 0, // LOCAL = 0.0.0.0: "any"
            5, 0, 8, 0, 0, 0, 0, 0, // TTL = 0 (inherit)
            5, 0, 9, 0, 0, 0, 0, 0, // TOS = 0: not shown
            5, 0, 10, 0, 0, 0, 0, 0, // PMTUDISC = 0: false
            5, 0, 19, 0, 0, 0, 0, 0, // IGNORE_DF = 0: not shown
            8, 0, 20, 0, 0, 0, 0, 0, // FWMARK = 0: not shown
        ];
        let d = decode("gretap", &data).unwrap().fields;
        assert_eq!(keys(&d), ["remote", "local", "ttl", "pmtudisc"]);
        assert_eq!(value(&d, "remote"), &KindValue::Text("any".into()));
        assert_eq!(value(&d, "local"), &KindValue::Text("any".into()));
        assert_eq!(value(&d, "ttl"), &KindValue::Uint(0));
        assert_eq!(value(&d, "pmtudisc"), &KindValue::Bool(false));
    }

    #[test]
    fn gre_external_and_empty() {
        let data = [4, 0, 18, 0]; // IFLA_GRE_COLLECT_METADATA (flag)
        let d = decode("gre", &data).unwrap().fields;
        assert_eq!(keys(&d), ["external", "remote", "local", "ttl"]);
        let d = decode("gre", &[]).unwrap().fields;
        assert_eq!(keys(&d), ["remote", "local", "ttl"]);
    }

    #[test]
    fn gre_wrong_sizes() {
        #[rustfmt::skip]
        let data = [
            6, 0, 7, 0, 10, 0, 0, 0, // REMOTE with 2 bytes: "unknown", as ip
            6, 0, 8, 0, 64, 0, 0, 0, // TTL with 2 bytes: as if absent (0)
            6, 0, 20, 0, 7, 0, 0, 0, // FWMARK with 2 bytes: left out
            5, 0, 2, 0, 0x20, 0, 0, 0, // IFLAGS with 1 byte: no flags
            8, 0, 4, 0, 0, 0, 0, 9, // IKEY = 9
        ];
        let d = decode("gre", &data).unwrap().fields;
        assert_eq!(keys(&d), ["remote", "local", "ttl"]);
        assert_eq!(value(&d, "remote"), &KindValue::Text("unknown".into()));
        assert_eq!(value(&d, "ttl"), &KindValue::Uint(0));
    }

    #[test]
    fn erspan_v2_with_fou_encap() {
        #[rustfmt::skip]
        let data = [
            8, 0, 7, 0, 10, 0, 0, 2, // REMOTE = 10.0.0.2
            5, 0, 22, 0, 2, 0, 0, 0, // ERSPAN_VER = 2
            5, 0, 23, 0, 1, 0, 0, 0, // ERSPAN_DIR = egress
            6, 0, 24, 0, 0x1f, 0, 0, 0, // ERSPAN_HWID = 0x1f
            6, 0, 14, 0, 1, 0, 0, 0, // ENCAP_TYPE = FOU
            6, 0, 15, 0, 5, 0, 0, 0, // ENCAP_FLAGS = CSUM|REMCSUM
            6, 0, 16, 0, 0, 0, 0, 0, // ENCAP_SPORT = 0 (auto)
            6, 0, 17, 0, 0x15, 0xb3, 0, 0, // ENCAP_DPORT = 5555 (be16)
        ];
        let d = decode("erspan", &data).unwrap().fields;
        assert_eq!(
            keys(&d),
            [
                "remote",
                "local",
                "ttl",
                "erspan_ver",
                "erspan_dir",
                "erspan_hwid",
                "encap"
            ]
        );
        assert_eq!(value(&d, "erspan_dir"), &KindValue::Text("egress".into()));
        let KindValue::Object(encap) = value(&d, "encap") else {
            panic!("encap is an object");
        };
        assert_eq!(
            keys(encap),
            ["type", "sport", "dport", "csum", "csum6", "remcsum"]
        );
        assert_eq!(value(encap, "type"), &KindValue::Text("fou".into()));
        assert_eq!(value(encap, "dport"), &KindValue::Uint(5555));
        assert_eq!(value(encap, "csum"), &KindValue::Bool(true));
        assert_eq!(value(encap, "csum6"), &KindValue::Bool(false));
        assert_eq!(value(encap, "remcsum"), &KindValue::Bool(true));
    }

    #[test]
    fn erspan_v1_index_and_unknown_encap() {
        #[rustfmt::skip]
        let data = [
            8, 0, 21, 0, 123, 0, 0, 0, // ERSPAN_INDEX = 123
            5, 0, 22, 0, 1, 0, 0, 0, // ERSPAN_VER = 1
            5, 0, 23, 0, 0, 0, 0, 0, // ERSPAN_DIR = ingress
            6, 0, 14, 0, 3, 0, 0, 0, // ENCAP_TYPE = MPLS: ip says null
        ];
        let d = decode("erspan", &data).unwrap().fields;
        assert_eq!(
            keys(&d),
            [
                "remote",
                "local",
                "ttl",
                "erspan_index",
                "erspan_ver",
                "erspan_dir",
                "encap"
            ]
        );
        assert_eq!(value(&d, "erspan_dir"), &KindValue::Text("ingress".into()));
        let KindValue::Object(encap) = value(&d, "encap") else {
            panic!("encap is an object");
        };
        assert_eq!(value(encap, "type"), &KindValue::Null);
        assert_eq!(value(encap, "sport"), &KindValue::Uint(0));
    }

    #[rustfmt::skip]
    const IP6GRE: [u8; 88] = [
        20, 0, 6, 0, 0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, // LOCAL = 2001:db8::1
        20, 0, 7, 0, 0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, // REMOTE = 2001:db8::2
        5, 0, 8, 0, 10, 0, 0, 0, // TTL (hop limit) = 10
        5, 0, 11, 0, 3, 0, 0, 0, // ENCAP_LIMIT = 3
        8, 0, 12, 0, 0x0a, 0xb1, 0x23, 0x45, // FLOWINFO: tclass 0xab, label 0x12345
        8, 0, 13, 0, 0x50, 0, 0, 0, // FLAGS = RCV_DSCP_COPY|ALLOW_LOCAL_REMOTE
        6, 0, 2, 0, 0x10, 0, 0, 0, // IFLAGS = GRE_SEQ
        8, 0, 20, 0, 9, 0, 0, 0, // FWMARK = 9
    ];

    #[test]
    fn ip6gre_values() {
        let d = decode("ip6gre", &IP6GRE).unwrap().fields;
        assert_eq!(
            keys(&d),
            [
                "remote",
                "local",
                "ttl",
                "encap_limit",
                "tclass",
                "flowlabel",
                "ip6_tnl_f_rcv_dscp_copy",
                "iseq",
                "ip6_tnl_f_allow_local_remote",
                "fwmark"
            ]
        );
        let tclass = KindValue::Spelled {
            ip: "0xab".into(),
            nlq: Box::new(KindValue::Uint(0xab)),
        };
        assert_eq!(value(&d, "tclass"), &tclass);
        let label = KindValue::Spelled {
            ip: "0x12345".into(),
            nlq: Box::new(KindValue::Uint(0x12345)),
        };
        assert_eq!(value(&d, "flowlabel"), &label);
        assert_eq!(
            value(&d, "remote"),
            &KindValue::Ip("2001:db8::2".parse().unwrap())
        );
    }

    #[test]
    fn ip6gre_inherit_flags() {
        let mut data = IP6GRE;
        // FLAGS = IGN_ENCAP_LIMIT|USE_ORIG_TCLASS|USE_ORIG_FLOWLABEL|USE_ORIG_FWMARK.
        data[68] = 0x27;
        let d = decode("ip6erspan", &data).unwrap().fields;
        assert_eq!(
            keys(&d),
            [
                "remote",
                "local",
                "ttl",
                "ip6_tnl_f_ign_encap_limit",
                "ip6_tnl_f_use_orig_tclass",
                "ip6_tnl_f_use_orig_flowlabel",
                "iseq",
                "ip6_tnl_f_use_orig_fwmark"
            ]
        );
        // Small values keep ip's fixed widths.
        data[68] = 0;
        data[60..64].copy_from_slice(&[0, 0, 0, 1]); // tclass 0, label 1
        let d = decode("ip6gretap", &data).unwrap().fields;
        let KindValue::Spelled { ip, .. } = value(&d, "tclass") else {
            panic!("tclass is spelled");
        };
        assert_eq!(ip, "0x00");
        let KindValue::Spelled { ip, .. } = value(&d, "flowlabel") else {
            panic!("flowlabel is spelled");
        };
        assert_eq!(ip, "0x00001");
    }

    #[test]
    fn ip6gre_v4_sized_endpoint_is_unknown() {
        let data = [8, 0, 7, 0, 10, 0, 0, 2]; // REMOTE = an IPv4 address
        let d = decode("ip6gre", &data).unwrap().fields;
        assert_eq!(value(&d, "remote"), &KindValue::Text("unknown".into()));
        assert_eq!(value(&d, "local"), &KindValue::Text("any".into()));
    }
}
