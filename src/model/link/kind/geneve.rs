//! GENEVE: IFLA_GENEVE_* in the order of iproute2 6.1's
//! ip/iplink_geneve.c.

use super::{Fmt, Kind, KindField, KindValue, Row, apply, put};
use crate::wire::attr::AttrIndex;

/// The GENEVE kind.
pub(super) const KINDS: &[Kind] = &[Kind {
    name: "geneve",
    decode: geneve,
    essentials: &["id", "remote", "remote6", "port"],
}];

// IFLA_GENEVE_* (linux/if_link.h).
const GENEVE_MAX: usize = 15;
const GENEVE_REMOTE: u16 = 2;
const GENEVE_TTL: u16 = 3;
const GENEVE_TOS: u16 = 4;
const GENEVE_REMOTE6: u16 = 7;
const GENEVE_TTL_INHERIT: u16 = 12;
const GENEVE_HEAD: &[Row] = &[(6, "external", Fmt::TrueIfPresent), (1, "id", Fmt::U32)];
const GENEVE_TAIL: &[Row] = &[
    (13, "df", Fmt::Df),
    (11, "label", Fmt::HexBe32NonZero),
    (5, "port", Fmt::Be16),
    (8, "udp_csum", Fmt::OnOff),
    (9, "udp_zero_csum6_tx", Fmt::OnOff),
    (10, "udp_zero_csum6_rx", Fmt::OnOff),
    (14, "inner_proto_inherit", Fmt::TrueIfPresent),
];

fn geneve(data: &[u8]) -> Vec<KindField> {
    let tb = AttrIndex::<GENEVE_MAX>::parse(data);
    let mut out = Vec::new();
    apply(&tb, GENEVE_HEAD, &mut out);
    remote(&tb, &mut out);
    // With TTL_INHERIT set ip prints "ttl inherit" as text only; else the
    // ttl, 0 ("auto") included.
    let inherit = tb
        .get(GENEVE_TTL_INHERIT)
        .is_some_and(|a| a.u8().is_ok_and(|v| v != 0));
    if !inherit {
        apply(&tb, &[(GENEVE_TTL, "ttl", Fmt::U8)], &mut out);
    }
    // tos 1 means "inherit"; JSON shows it as 0x1 all the same.
    apply(&tb, &[(GENEVE_TOS, "tos", Fmt::Hex8NonZero)], &mut out);
    apply(&tb, GENEVE_TAIL, &mut out);
    out
}

/// The remote end: the IPv4 attribute wins when present, even when it is
/// 0.0.0.0 (then nothing shows); an IPv6 remote shows unless it is `::`
/// or multicast.
fn remote(tb: &AttrIndex<'_, GENEVE_MAX>, out: &mut Vec<KindField>) {
    if let Some(a) = tb.get(GENEVE_REMOTE) {
        if let Ok(ip) = a.ipv4() {
            if !ip.is_unspecified() {
                put(out, "remote", KindValue::Ip(ip.into()));
            }
        }
    } else if let Some(ip) = tb.get(GENEVE_REMOTE6).and_then(|a| a.ipv6().ok()) {
        if !ip.is_unspecified() && !ip.is_multicast() {
            put(out, "remote6", KindValue::Ip(ip.into()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::decode;
    use super::super::test_util::keys;
    use super::*;

    #[test]
    fn ipv4_remote_typical() {
        #[rustfmt::skip]
        let data = [
            8, 0, 1, 0, 0x39, 0x30, 0, 0, // IFLA_GENEVE_ID = 12345
            8, 0, 2, 0, 192, 0, 2, 7, // REMOTE = 192.0.2.7
            5, 0, 3, 0, 0, 0, 0, 0, // TTL = 0 (auto: still printed in JSON)
            5, 0, 4, 0, 1, 0, 0, 0, // TOS = 1 (inherit: 0x1 in JSON)
            6, 0, 5, 0, 0x17, 0xc1, 0, 0, // PORT = 6081 (big-endian)
            5, 0, 8, 0, 1, 0, 0, 0, // UDP_CSUM = 1
            5, 0, 9, 0, 0, 0, 0, 0, // UDP_ZERO_CSUM6_TX = 0
            5, 0, 10, 0, 0, 0, 0, 0, // UDP_ZERO_CSUM6_RX = 0
            8, 0, 11, 0, 0, 0, 0, 0, // LABEL = 0: not shown
            5, 0, 12, 0, 0, 0, 0, 0, // TTL_INHERIT = 0
            5, 0, 13, 0, 0, 0, 0, 0, // DF = unset
        ];
        let d = decode("geneve", &data).unwrap().fields;
        assert_eq!(
            keys(&d),
            [
                "id",
                "remote",
                "ttl",
                "tos",
                "df",
                "port",
                "udp_csum",
                "udp_zero_csum6_tx",
                "udp_zero_csum6_rx"
            ]
        );
        assert_eq!(d[1].value, KindValue::Ip([192, 0, 2, 7].into()));
        assert_eq!(d[2].value, KindValue::Uint(0));
        assert_eq!(d[3].value, KindValue::Hex(1));
        assert_eq!(d[4].value, KindValue::Text("unset".into()));
        assert_eq!(d[5].value, KindValue::Uint(6081));
        assert_eq!(d[6].value, KindValue::Bool(true));
    }

    #[test]
    fn ipv6_remote_external_inherit_label() {
        let mut data = vec![
            4, 0, 6, 0, // COLLECT_METADATA (flag)
            20, 0, 7, 0, // REMOTE6 = 2001:db8::1
            0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 5, 0, 3, 0, 64, 0, 0,
            0, // TTL = 64, hidden by:
            5, 0, 12, 0, 1, 0, 0, 0, // TTL_INHERIT = 1
            8, 0, 11, 0, 0, 0x0a, 0xbc, 0xde, // LABEL = 0xabcde (big-endian)
            5, 0, 13, 0, 2, 0, 0, 0, // DF = inherit
            4, 0, 14, 0, // INNER_PROTO_INHERIT (flag)
        ];
        let d = decode("geneve", &data).unwrap().fields;
        assert_eq!(
            keys(&d),
            ["external", "remote6", "df", "label", "inner_proto_inherit"]
        );
        assert_eq!(d[1].value, KindValue::Ip("2001:db8::1".parse().unwrap()));
        assert_eq!(d[3].value, KindValue::Hex(0xabcde));
        // A multicast IPv6 remote is not shown.
        data[8] = 0xff;
        let d = decode("geneve", &data).unwrap().fields;
        assert!(!keys(&d).contains(&"remote6"));
    }

    #[test]
    fn zero_ipv4_remote_hides_ipv6() {
        #[rustfmt::skip]
        let data = [
            8, 0, 2, 0, 0, 0, 0, 0, // REMOTE = 0.0.0.0
            20, 0, 7, 0, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        ];
        assert!(decode("geneve", &data).unwrap().fields.is_empty());
    }

    #[test]
    fn wrong_sizes_are_left_out() {
        #[rustfmt::skip]
        let data = [
            6, 0, 1, 0, 1, 0, 0, 0, // ID of 2 bytes: left out
            6, 0, 2, 0, 10, 0, 0, 0, // REMOTE of 2 bytes: left out
            8, 0, 5, 0, 0x17, 0xc1, 0, 0, // PORT of 4 bytes: left out
        ];
        assert!(decode("geneve", &data).unwrap().fields.is_empty());
        assert!(decode("geneve", &[]).unwrap().fields.is_empty());
    }
}
