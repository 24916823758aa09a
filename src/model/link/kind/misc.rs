//! Kinds with a handful of attributes each, in the order of iproute2 6.1's
//! ip/iplink_hsr.c, iplink_gtp.c, iplink_bareudp.c and iplink_amt.c.
//!
//! vxcan is not here: ip prints no data for it (iplink_vxcan.c has no
//! `print_opt`).

use super::{Fmt, Kind, KindField, KindValue, Row, apply, ethertype, put};
use crate::model::link::HwAddr;
use crate::wire::attr::AttrIndex;

/// HSR/PRP, GTP, bareudp and AMT.
pub(super) const KINDS: &[Kind] = &[
    Kind {
        name: "hsr",
        decode: hsr,
        essentials: &["slave1", "slave2", "proto"],
    },
    Kind {
        name: "gtp",
        decode: gtp,
        essentials: &["role"],
    },
    Kind {
        name: "bareudp",
        decode: bareudp,
        essentials: &["dstport", "ethertype"],
    },
    Kind {
        name: "amt",
        decode: amt,
        essentials: &["mode", "local", "remote", "discovery"],
    },
];

// IFLA_HSR_* (linux/if_link.h).
const HSR_MAX: usize = 8;
const HSR_SLAVE1: u16 = 1;
const HSR_SLAVE2: u16 = 2;
const HSR_SUPERVISION_ADDR: u16 = 4;
const HSR_SEQ_NR: u16 = 5;
const HSR_PROTOCOL: u16 = 7;

fn hsr(data: &[u8]) -> Vec<KindField> {
    let tb = AttrIndex::<HSR_MAX>::parse(data);
    let mut out = Vec::new();
    // ip prints nothing at all when one of these is too short; nlq also
    // when one is too long, rather than read part of it.
    let sizes = [(HSR_SLAVE1, 4), (HSR_SLAVE2, 4), (HSR_SEQ_NR, 2)];
    let bad = |&(kind, len): &(u16, usize)| tb.get(kind).is_some_and(|a| a.payload().len() != len);
    let short_addr = tb
        .get(HSR_SUPERVISION_ADDR)
        .is_some_and(|a| a.payload().len() < 6);
    if sizes.iter().any(bad) || short_addr {
        return out;
    }
    // A missing port is `null` (`print_null`).
    for (kind, key) in [(HSR_SLAVE1, "slave1"), (HSR_SLAVE2, "slave2")] {
        let port = tb.get(kind).and_then(|a| a.u32().ok());
        put(&mut out, key, port.map_or(KindValue::Null, KindValue::Link));
    }
    if let Some(seq) = tb.get(HSR_SEQ_NR).and_then(|a| a.u16().ok()) {
        put(&mut out, "seq_nr", KindValue::Int(seq.into()));
    }
    // Every byte of the address, as ip prints them.
    if let Some(addr) = tb
        .get(HSR_SUPERVISION_ADDR)
        .and_then(|a| HwAddr::new(a.payload()))
    {
        put(&mut out, "supervision_addr", KindValue::Hw(addr));
    }
    apply(&tb, &[(HSR_PROTOCOL, "proto", Fmt::U8)], &mut out);
    out
}

// IFLA_GTP_* (linux/if_link.h).
const GTP_MAX: usize = 7;
const GTP_ROLE: u16 = 4;

fn gtp(data: &[u8]) -> Vec<KindField> {
    let tb = AttrIndex::<GTP_MAX>::parse(data);
    let mut out = Vec::new();
    if let Some(role) = tb.get(GTP_ROLE).and_then(|a| a.u32().ok()) {
        // GTP_ROLE_GGSN = 0, GTP_ROLE_SGSN = 1.
        let name = match role {
            0 => "ggsn",
            1 => "sgsn",
            _ => "unknown",
        };
        put(&mut out, "role", KindValue::Text(name.into()));
    }
    let rows: &[Row] = &[(3, "hsize", Fmt::U32), (6, "restart_count", Fmt::U8)];
    apply(&tb, rows, &mut out);
    out
}

// IFLA_BAREUDP_* (linux/if_link.h).
const BAREUDP_MAX: usize = 5;
const BAREUDP_ETHERTYPE: u16 = 2;
const BAREUDP_MULTIPROTO_MODE: u16 = 4;

fn bareudp(data: &[u8]) -> Vec<KindField> {
    let tb = AttrIndex::<BAREUDP_MAX>::parse(data);
    let mut out = Vec::new();
    apply(&tb, &[(1, "dstport", Fmt::Be16)], &mut out);
    if let Some(proto) = tb.get(BAREUDP_ETHERTYPE).and_then(|a| a.be16().ok()) {
        put(
            &mut out,
            "ethertype",
            KindValue::Text(ethertype::name(proto)),
        );
    }
    apply(&tb, &[(3, "srcportmin", Fmt::U16)], &mut out);
    // A flag: present or not, ip always says which.
    let multi = tb.get(BAREUDP_MULTIPROTO_MODE).is_some();
    put(&mut out, "multiproto", KindValue::Bool(multi));
    out
}

// IFLA_AMT_* (linux/amt.h).
const AMT_MAX: usize = 9;
const AMT_MODE: u16 = 1;
const AMT_PORTS: &[Row] = &[(3, "gateway_port", Fmt::Be16), (2, "relay_port", Fmt::Be16)];
const AMT_ADDRS: [(u16, &str); 3] = [(5, "local"), (6, "remote"), (7, "discovery")];
const AMT_TAIL: &[Row] = &[(4, "link", Fmt::IfIndex), (8, "max_tunnels", Fmt::U32)];

fn amt(data: &[u8]) -> Vec<KindField> {
    let tb = AttrIndex::<AMT_MAX>::parse(data);
    let mut out = Vec::new();
    // AMT_MODE_GATEWAY = 0, AMT_MODE_RELAY = 1; ip indexes its array
    // unchecked, nlq leaves other values out.
    let mode = tb.get(AMT_MODE).and_then(|a| a.u32().ok());
    if let Some(name) = mode.and_then(|m| ["gateway", "relay"].get(m as usize).copied()) {
        put(&mut out, "mode", KindValue::Text(name.into()));
    }
    apply(&tb, AMT_PORTS, &mut out);
    for (kind, key) in AMT_ADDRS {
        if let Some(ip) = tb.get(kind).and_then(|a| a.ipv4().ok()) {
            put(&mut out, key, KindValue::Ip(ip.into()));
        }
    }
    apply(&tb, AMT_TAIL, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::super::decode;
    use super::super::test_util::{keys, text};
    use super::*;

    #[test]
    fn hsr_typical() {
        #[rustfmt::skip]
        let data = [
            8, 0, 1, 0, 3, 0, 0, 0, // IFLA_HSR_SLAVE1 = ifindex 3
            8, 0, 2, 0, 4, 0, 0, 0, // SLAVE2 = ifindex 4
            10, 0, 4, 0, 0x01, 0x15, 0x4e, 0, 0x01, 0x2d, 0, 0, // SUPERVISION_ADDR
            6, 0, 5, 0, 0xff, 0xff, 0, 0, // SEQ_NR = 65535
            5, 0, 7, 0, 1, 0, 0, 0, // PROTOCOL = 1 (PRP)
        ];
        let d = decode("hsr", &data).unwrap().fields;
        assert_eq!(
            keys(&d),
            ["slave1", "slave2", "seq_nr", "supervision_addr", "proto"]
        );
        assert_eq!(d[0].value, KindValue::Link(3));
        assert_eq!(d[2].value, KindValue::Int(65535));
        let addr = HwAddr::new(&[0x01, 0x15, 0x4e, 0, 0x01, 0x2d]).unwrap();
        assert_eq!(d[3].value, KindValue::Hw(addr));
        assert_eq!(d[4].value, KindValue::Uint(1));
    }

    #[test]
    fn hsr_missing_ports_are_null() {
        let d = decode("hsr", &[]).unwrap().fields;
        assert_eq!(keys(&d), ["slave1", "slave2"]);
        assert_eq!(d[1].value, KindValue::Null);
    }

    #[test]
    fn hsr_wrong_size_means_nothing() {
        #[rustfmt::skip]
        let data = [
            8, 0, 1, 0, 3, 0, 0, 0, // IFLA_HSR_SLAVE1 = 3
            5, 0, 5, 0, 1, 0, 0, 0, // SEQ_NR of 1 byte: ip prints nothing
        ];
        assert!(decode("hsr", &data).unwrap().fields.is_empty());
        let short_addr = [8, 0, 4, 0, 1, 2, 3, 4]; // SUPERVISION_ADDR of 4 bytes
        assert!(decode("hsr", &short_addr).unwrap().fields.is_empty());
    }

    #[test]
    fn gtp_roles() {
        #[rustfmt::skip]
        let data = [
            8, 0, 3, 0, 0, 4, 0, 0, // IFLA_GTP_PDP_HASHSIZE = 1024
            8, 0, 4, 0, 1, 0, 0, 0, // ROLE = sgsn
            5, 0, 6, 0, 7, 0, 0, 0, // RESTART_COUNT = 7
        ];
        let d = decode("gtp", &data).unwrap().fields;
        assert_eq!(keys(&d), ["role", "hsize", "restart_count"]);
        assert_eq!(d[0].value, text("sgsn"));
        assert_eq!(d[1].value, KindValue::Uint(1024));
        let ggsn = [8, 0, 4, 0, 0, 0, 0, 0]; // ROLE = ggsn
        assert_eq!(decode("gtp", &ggsn).unwrap().fields[0].value, text("ggsn"));
        let bad = [6, 0, 4, 0, 0, 0, 0, 0]; // ROLE of 2 bytes: left out
        assert!(decode("gtp", &bad).unwrap().fields.is_empty());
        assert!(decode("gtp", &[]).unwrap().fields.is_empty());
    }

    #[test]
    fn bareudp_multiproto_and_not() {
        #[rustfmt::skip]
        let data = [
            6, 0, 1, 0, 0x19, 0xeb, 0, 0, // IFLA_BAREUDP_PORT = 6635 (big-endian)
            6, 0, 2, 0, 0x88, 0x47, 0, 0, // ETHERTYPE = mpls_uc (big-endian)
            6, 0, 3, 0, 0xe8, 0x03, 0, 0, // SRCPORT_MIN = 1000
            4, 0, 4, 0, // MULTIPROTO_MODE (flag)
        ];
        let d = decode("bareudp", &data).unwrap().fields;
        assert_eq!(
            keys(&d),
            ["dstport", "ethertype", "srcportmin", "multiproto"]
        );
        assert_eq!(d[0].value, KindValue::Uint(6635));
        assert_eq!(d[1].value, text("mpls_uc"));
        assert_eq!(d[2].value, KindValue::Uint(1000));
        assert_eq!(d[3].value, KindValue::Bool(true));
        let d = decode("bareudp", &data[..16]).unwrap().fields;
        assert_eq!(keys(&d), ["dstport", "ethertype", "multiproto"]);
        assert_eq!(d[2].value, KindValue::Bool(false));
        let bad = [8, 0, 1, 0, 0x19, 0xeb, 0, 0]; // PORT of 4 bytes: left out
        assert_eq!(
            keys(&decode("bareudp", &bad).unwrap().fields),
            ["multiproto"]
        );
    }

    #[test]
    fn amt_gateway() {
        #[rustfmt::skip]
        let data = [
            8, 0, 1, 0, 0, 0, 0, 0, // IFLA_AMT_MODE = gateway
            6, 0, 2, 0, 0x10, 0xd8, 0, 0, // RELAY_PORT = 4312 (big-endian)
            6, 0, 3, 0, 0x10, 0xd9, 0, 0, // GATEWAY_PORT = 4313 (big-endian)
            8, 0, 4, 0, 2, 0, 0, 0, // LINK = ifindex 2
            8, 0, 5, 0, 10, 0, 0, 1, // LOCAL_IP = 10.0.0.1
            8, 0, 6, 0, 10, 0, 0, 2, // REMOTE_IP = 10.0.0.2
            8, 0, 7, 0, 10, 0, 0, 3, // DISCOVERY_IP = 10.0.0.3
            8, 0, 8, 0, 0x80, 0, 0, 0, // MAX_TUNNELS = 128
        ];
        let d = decode("amt", &data).unwrap().fields;
        let want = [
            "mode",
            "gateway_port",
            "relay_port",
            "local",
            "remote",
            "discovery",
            "link",
            "max_tunnels",
        ];
        assert_eq!(keys(&d), want);
        assert_eq!(d[1].value, KindValue::Uint(4313));
        assert_eq!(d[5].value, KindValue::Ip([10, 0, 0, 3].into()));
        assert_eq!(d[6].value, KindValue::Link(2));
        let bad_mode = [8, 0, 1, 0, 2, 0, 0, 0]; // MODE = 2: past ip's names
        assert!(decode("amt", &bad_mode).unwrap().fields.is_empty());
        assert!(decode("amt", &[]).unwrap().fields.is_empty());
    }
}
