//! Property tests: nexthop messages built from arbitrary attributes (any
//! NHA_* type and some past the known range, any payload, NHA_GROUP
//! arrays of any length, NHA_RES_GROUP and NHA_ENCAP nests of arbitrary
//! attributes) decode and render in every format without panicking; JSON
//! output parses and nlq's own dialect always has the same keys.

use crate::render::json::JsonObject;
use proptest::prelude::*;

use super::{IpNexthop, NhCtx, NlqNexthop, write};
use crate::model::LinkNames;
use crate::model::nexthop::Nexthop;
use crate::names::Names;
use crate::render::Format;
use crate::test_support::encode_attr as encode;
use crate::wire::nhmsg::{
    GroupEntries, NHA_ENCAP, NHA_GROUP, NHA_MAX, NHA_RES_GROUP, NHMSG_LEN, NhMsg,
};

/// Fixed seed and case count, as in the other property tests: failures
/// reproduce, CI time is bounded.
fn config() -> ProptestConfig {
    crate::test_support::proptest_config(10_000, 0x6e657874686f70)
}

/// A list of random attributes of types below `max`, as bytes.
fn nest(max: u16) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec((0..max, prop::collection::vec(any::<u8>(), 0..20)), 0..6)
        .prop_map(|kids| kids.iter().flat_map(|(k, p)| encode(*k, p)).collect())
}

/// One attribute: any type up to past NHA_MAX with random bytes, or one of
/// the structured ones with a plausible but random body.
fn attr() -> impl Strategy<Value = Vec<u8>> {
    let flags = prop_oneof![Just(0u16), Just(0x8000), Just(0x4000)];
    let raw = (
        0..NHA_MAX as u16 + 4,
        prop::collection::vec(any::<u8>(), 0..24),
    );
    let group = prop::collection::vec(any::<u8>(), 0..48);
    prop_oneof![
        (raw, flags).prop_map(|((k, p), f)| encode(k | f, &p)),
        group.prop_map(|p| encode(NHA_GROUP, &p)),
        nest(6).prop_map(|p| encode(NHA_RES_GROUP | 0x8000, &p)),
        nest(8).prop_map(|p| encode(NHA_ENCAP | 0x8000, &p)),
    ]
}

/// A `struct nhmsg` of random bytes (family biased to the real ones),
/// then random attributes.
fn message() -> impl Strategy<Value = Vec<u8>> {
    let family = prop_oneof![Just(0u8), Just(2), Just(10), any::<u8>()];
    let hdr = (family, prop::array::uniform7(any::<u8>()));
    (hdr, prop::collection::vec(attr(), 0..12)).prop_map(|((f, rest), attrs)| {
        let mut b = vec![f];
        b.extend_from_slice(&rest);
        attrs.iter().for_each(|a| b.extend_from_slice(a));
        b
    })
}

const FORMATS: [Format; 4] = Format::ALL;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn nexthops_decode_and_render(a in message(), b in message()) {
        let mut links = LinkNames::new();
        links.insert(1, "lo");
        let names = Names::builtin();
        let ctx = NhCtx { names: &names, links: &links };
        let nhs: Vec<Nexthop> = [&a, &b]
            .iter()
            .map(|m| Nexthop::decode(&NhMsg::new_checked(&m[..]).unwrap()))
            .collect();
        for format in FORMATS {
            let mut out = Vec::new();
            write(&mut out, format, &ctx, &nhs).unwrap();
            if let Format::Json(_) = format {
                let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
                prop_assert_eq!(v.as_array().unwrap().len(), 2);
            } else {
                prop_assert!(std::str::from_utf8(&out).is_ok());
            }
        }
        for nh in &nhs {
            let v = serde_json::to_value(NlqNexthop { nh, ctx: &ctx }).unwrap();
            prop_assert_eq!(v.as_object().unwrap().len(), 16);
            IpNexthop { nh, ctx: &ctx }.to_json();
        }
    }

    #[test]
    fn any_bytes_through_the_views(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(m) = NhMsg::new_checked(&bytes[..]) {
            prop_assert!(bytes.len() >= NHMSG_LEN);
            let _ = (m.family(), m.scope(), m.protocol(), m.resvd(), m.flags());
            prop_assert_eq!(m.attr_bytes().len(), bytes.len() - NHMSG_LEN);
        }
        match GroupEntries::new_checked(&bytes) {
            Ok(e) => prop_assert_eq!(e.count(), bytes.len() / 8),
            Err(_) => prop_assert!(bytes.len() % 8 != 0),
        }
    }
}
