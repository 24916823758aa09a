//! IPsec virtual tunnel interfaces: vti and vti6 (IFLA_VTI_*, in the order
//! of iproute2 6.1's ip/link_vti.c and link_vti6.c) and xfrm interfaces
//! (IFLA_XFRM_*, ip/link_xfrm.c).

use super::tunnel::{self, Family};
use super::{Kind, KindField, KindValue, put};
use crate::wire::attr::AttrIndex;

/// vti, vti6 and xfrm.
pub(super) const KINDS: &[Kind] = &[
    Kind {
        name: "vti",
        decode: |d| vti(d, Family::V4),
        essentials: VTI_ESSENTIALS,
    },
    Kind {
        name: "vti6",
        decode: |d| vti(d, Family::V6),
        essentials: VTI_ESSENTIALS,
    },
    Kind {
        name: "xfrm",
        decode: xfrm,
        essentials: &["if_id"],
    },
];

const VTI_ESSENTIALS: &[&str] = &["remote", "local", "ikey", "okey"];

// IFLA_VTI_* (linux/if_tunnel.h).
const VTI_MAX: usize = 7;
const VTI_LINK: u16 = 1;
const VTI_IKEY: u16 = 2;
const VTI_OKEY: u16 = 3;
const VTI_LOCAL: u16 = 4;
const VTI_REMOTE: u16 = 5;
const VTI_FWMARK: u16 = 6;

// IFLA_XFRM_* (linux/if_link.h).
const XFRM_MAX: usize = 4;
const XFRM_IF_ID: u16 = 2;
const XFRM_COLLECT_METADATA: u16 = 3;

/// vti and vti6 differ only in their endpoints' family.
fn vti(data: &[u8], family: Family) -> Vec<KindField> {
    let tb = AttrIndex::<VTI_MAX>::parse(data);
    let mut out = Vec::new();
    tunnel::endpoint(&mut out, "remote", tb.get(VTI_REMOTE), family);
    tunnel::endpoint(&mut out, "local", tb.get(VTI_LOCAL), family);
    tunnel::link(&mut out, tb.get(VTI_LINK));
    // Keys (big-endian, they mark the IPsec traffic), only when not 0.
    for (t, key) in [(VTI_IKEY, "ikey"), (VTI_OKEY, "okey")] {
        if let Some(a) = tb.get(t).filter(|a| a.u32().is_ok_and(|k| k != 0)) {
            tunnel::key(&mut out, key, a);
        }
    }
    tunnel::fwmark(&mut out, tb.get(VTI_FWMARK));
    out
}

/// xfrm: `external` alone (newer kernels), or the interface id. ip does
/// not print the lower device (IFLA_XFRM_LINK).
fn xfrm(data: &[u8]) -> Vec<KindField> {
    let tb = AttrIndex::<XFRM_MAX>::parse(data);
    let mut out = Vec::new();
    if tb.get(XFRM_COLLECT_METADATA).is_some() {
        put(&mut out, "external", KindValue::Bool(true));
        return out;
    }
    if let Some(id) = tunnel::u32_of(tb.get(XFRM_IF_ID)) {
        put(&mut out, "if_id", KindValue::Hex(id.into()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::decode;
    use super::super::test_util::keys;
    use super::*;

    #[test]
    fn vti_keys_and_fwmark() {
        #[rustfmt::skip]
        let data = [
            8, 0, 1, 0, 0, 0, 0, 0, // IFLA_VTI_LINK = 0: not shown
            8, 0, 2, 0, 0, 0, 0, 5, // IKEY = 5 (be32)
            8, 0, 3, 0, 0, 0, 0, 0, // OKEY = 0: not shown
            8, 0, 4, 0, 192, 0, 2, 1, // LOCAL = 192.0.2.1
            8, 0, 5, 0, 192, 0, 2, 2, // REMOTE = 192.0.2.2
            8, 0, 6, 0, 0xff, 0, 0, 0, // FWMARK = 0xff
        ];
        let d = decode("vti", &data).unwrap().fields;
        assert_eq!(keys(&d), ["remote", "local", "ikey", "fwmark"]);
        let ikey = KindValue::Spelled {
            ip: "0.0.0.5".into(),
            nlq: Box::new(KindValue::Uint(5)),
        };
        assert_eq!(d[2].value, ikey);
        assert_eq!(d[3].value, KindValue::Hex(0xff));
    }

    #[test]
    fn vti6_empty_and_wrong_size() {
        let d = decode("vti6", &[]).unwrap().fields;
        assert_eq!(keys(&d), ["remote", "local"]);
        #[rustfmt::skip]
        let data = [
            6, 0, 2, 0, 0, 5, 0, 0, // IKEY with 2 bytes: left out
            8, 0, 1, 0, 4, 0, 0, 0, // LINK = 4
        ];
        let d = decode("vti6", &data).unwrap().fields;
        assert_eq!(keys(&d), ["remote", "local", "link"]);
        assert_eq!(d[2].value, KindValue::Link(4));
    }

    #[test]
    fn xfrm_if_id_or_external() {
        #[rustfmt::skip]
        let data = [
            8, 0, 1, 0, 2, 0, 0, 0, // IFLA_XFRM_LINK = 2: ip does not print it
            8, 0, 2, 0, 0x2a, 0, 0, 0, // IF_ID = 42
        ];
        let d = decode("xfrm", &data).unwrap().fields;
        assert_eq!(keys(&d), ["if_id"]);
        assert_eq!(d[0].value, KindValue::Hex(42));
        let external = [4, 0, 3, 0, 8, 0, 2, 0, 1, 0, 0, 0]; // COLLECT_METADATA, IF_ID = 1
        let d = decode("xfrm", &external).unwrap().fields;
        assert_eq!(keys(&d), ["external"]);
        assert!(decode("xfrm", &[]).unwrap().fields.is_empty());
        assert!(
            decode("xfrm", &[6, 0, 2, 0, 1, 0, 0, 0])
                .unwrap()
                .fields
                .is_empty()
        );
    }
}
