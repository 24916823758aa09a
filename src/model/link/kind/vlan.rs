//! 802.1Q / 802.1ad VLANs: IFLA_VLAN_* in the order of iproute2 6.1's
//! ip/iplink_vlan.c.

use super::{Kind, KindField, KindValue, ethertype, put};
use crate::model::link::attrs_ok;
use crate::wire::attr::{Attr, AttrIndex};

/// The VLAN kind.
pub(super) const KINDS: &[Kind] = &[Kind {
    name: "vlan",
    decode: vlan,
    essentials: &["protocol", "id"],
}];

// IFLA_VLAN_* (linux/if_link.h).
const VLAN_MAX: usize = 6;
const VLAN_ID: u16 = 1;
const VLAN_FLAGS: u16 = 2;
const VLAN_EGRESS_QOS: u16 = 3;
const VLAN_INGRESS_QOS: u16 = 4;
const VLAN_PROTOCOL: u16 = 5;

/// VLAN_FLAG_* (linux/if_vlan.h) in the order ip lists them.
const FLAGS: [(u32, &str); 5] = [
    (0x1, "REORDER_HDR"),
    (0x2, "GVRP"),
    (0x8, "MVRP"),
    (0x4, "LOOSE_BINDING"),
    (0x10, "BRIDGE_BINDING"),
];

fn vlan(data: &[u8]) -> Vec<KindField> {
    let tb = AttrIndex::<VLAN_MAX>::parse(data);
    let mut out = Vec::new();
    // Without a well-formed id `ip` prints nothing at all.
    let Some(id) = tb.get(VLAN_ID).and_then(|a| a.u16().ok()) else {
        return out;
    };
    let proto = match tb.get(VLAN_PROTOCOL) {
        // ip's spelling when the kernel (before 3.10) sends no protocol.
        None => Some("802.1q".into()),
        Some(a) => a.be16().ok().map(ethertype::name),
    };
    if let Some(p) = proto {
        put(&mut out, "protocol", KindValue::Text(p));
    }
    put(&mut out, "id", KindValue::Uint(id.into()));
    // struct ifla_vlan_flags { u32 flags; u32 mask; }: only `flags` counts.
    if let Some(b) = tb.get(VLAN_FLAGS).and_then(|a| a.fixed::<8>().ok()) {
        let flags = u32::from_ne_bytes([b[0], b[1], b[2], b[3]]);
        put(&mut out, "flags", KindValue::Array(flag_names(flags)));
    }
    if let Some(a) = tb.get(VLAN_INGRESS_QOS) {
        put(&mut out, "ingress_qos", qos_map(a));
    }
    if let Some(a) = tb.get(VLAN_EGRESS_QOS) {
        put(&mut out, "egress_qos", qos_map(a));
    }
    out
}

/// The names of the set flags, then the bits ip has no name for in
/// hexadecimal without `0x` (`print_hex`).
fn flag_names(flags: u32) -> Vec<KindValue> {
    let mut names: Vec<KindValue> = FLAGS
        .iter()
        .filter(|&&(bit, _)| flags & bit != 0)
        .map(|&(_, name)| KindValue::Text(name.into()))
        .collect();
    let rest = FLAGS.iter().fold(flags, |acc, &(bit, _)| acc & !bit);
    if rest != 0 {
        names.push(KindValue::Text(format!("{rest:x}").into()));
    }
    names
}

/// A nest of IFLA_VLAN_QOS_MAPPING: `struct ifla_vlan_qos_mapping { u32
/// from; u32 to; }` each, as `{from, to}` objects. Like ip, the entries'
/// type is not checked; an entry of the wrong size is left out.
fn qos_map(nest: Attr<'_>) -> KindValue {
    let maps = attrs_ok(nest.payload())
        .filter_map(|a| a.fixed::<8>().ok())
        .map(|b| {
            let from = u32::from_ne_bytes([b[0], b[1], b[2], b[3]]);
            let to = u32::from_ne_bytes([b[4], b[5], b[6], b[7]]);
            KindValue::Object(vec![
                KindField {
                    key: "from",
                    value: KindValue::Uint(from.into()),
                },
                KindField {
                    key: "to",
                    value: KindValue::Uint(to.into()),
                },
            ])
        })
        .collect();
    KindValue::Array(maps)
}

#[cfg(test)]
mod tests {
    use super::super::decode;
    use super::super::test_util::{keys, text};
    use super::*;

    fn map(from: u64, to: u64) -> KindValue {
        KindValue::Object(vec![
            KindField {
                key: "from",
                value: KindValue::Uint(from),
            },
            KindField {
                key: "to",
                value: KindValue::Uint(to),
            },
        ])
    }

    #[test]
    fn qinq_with_flags_and_maps() {
        #[rustfmt::skip]
        let data = [
            6, 0, 1, 0, 100, 0, 0, 0, // IFLA_VLAN_ID = 100, pad
            12, 0, 2, 0, // IFLA_VLAN_FLAGS, struct ifla_vlan_flags:
            0x1d, 0, 0, 0, // flags = REORDER_HDR|LOOSE_BINDING|MVRP|BRIDGE_BINDING
            0xff, 0xff, 0xff, 0xff, // mask = all
            24, 0, 3, 0, // IFLA_VLAN_EGRESS_QOS, a nest of two:
            12, 0, 1, 0, 2, 0, 0, 0, 3, 0, 0, 0, // MAPPING from 2 to 3
            8, 0, 1, 0, 7, 0, 0, 0, // MAPPING of 4 bytes: left out
            20, 0, 4, 0, // IFLA_VLAN_INGRESS_QOS, a nest of one:
            12, 0, 1, 0, 1, 0, 0, 0, 5, 0, 0, 0, // MAPPING from 1 to 5
            4, 0, 0, 0, // an empty attribute ip would read; nlq skips it
            6, 0, 5, 0, 0x88, 0xa8, 0, 0, // IFLA_VLAN_PROTOCOL = 802.1ad (big-endian)
        ];
        let d = decode("vlan", &data).unwrap().fields;
        assert_eq!(
            keys(&d),
            ["protocol", "id", "flags", "ingress_qos", "egress_qos"]
        );
        assert_eq!(d[0].value, text("802.1ad"));
        assert_eq!(d[1].value, KindValue::Uint(100));
        let flags = ["REORDER_HDR", "MVRP", "LOOSE_BINDING", "BRIDGE_BINDING"];
        assert_eq!(
            d[2].value,
            KindValue::Array(flags.into_iter().map(text).collect())
        );
        assert_eq!(d[3].value, KindValue::Array(vec![map(1, 5)]));
        assert_eq!(d[4].value, KindValue::Array(vec![map(2, 3)]));
    }

    #[test]
    fn unknown_flag_bits_in_hex_and_empty_flags() {
        assert_eq!(
            flag_names(0x102),
            [text("GVRP"), text("100")],
            "bits past BRIDGE_BINDING as %x"
        );
        assert_eq!(flag_names(0), []);
    }

    #[test]
    fn no_protocol_is_802_1q_lowercase() {
        let data = [6, 0, 1, 0, 5, 0, 0, 0]; // IFLA_VLAN_ID = 5
        let d = decode("vlan", &data).unwrap().fields;
        assert_eq!(keys(&d), ["protocol", "id"]);
        assert_eq!(d[0].value, text("802.1q"));
    }

    #[test]
    fn wrong_sizes_are_left_out() {
        #[rustfmt::skip]
        let data = [
            6, 0, 1, 0, 7, 0, 0, 0, // IFLA_VLAN_ID = 7
            8, 0, 2, 0, 1, 0, 0, 0, // IFLA_VLAN_FLAGS of 4 bytes: left out
            5, 0, 5, 0, 0x81, 0, 0, 0, // IFLA_VLAN_PROTOCOL of 1 byte: left out
        ];
        let d = decode("vlan", &data).unwrap().fields;
        assert_eq!(keys(&d), ["id"]);
    }

    #[test]
    fn without_id_nothing() {
        let bad_id = [8, 0, 1, 0, 7, 0, 0, 0]; // IFLA_VLAN_ID of 4 bytes
        assert!(decode("vlan", &bad_id).unwrap().fields.is_empty());
        assert!(decode("vlan", &[]).unwrap().fields.is_empty());
    }
}
