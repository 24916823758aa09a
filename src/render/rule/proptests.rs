//! Property tests: rule messages built from an arbitrary header and
//! arbitrary attributes (every FRA_* type and some past the known range,
//! payloads of any length, the right length often enough to reach the
//! renderers' branches) decode and render in every format without
//! panicking, and the JSON always parses. Fixed seed: failures reproduce.

use proptest::prelude::*;

use super::{RuleCtx, write};
use crate::model::rule::{IpProtos, Rule};
use crate::names::Names;
use crate::render::Format;
use crate::wire::fib_rule::{FIB_RULE_HDR_LEN, FibRuleHdr};

fn config() -> ProptestConfig {
    crate::test_support::proptest_config(10_000, 0x72756c65)
}

/// One attribute as bytes: a type below 32 (flags sometimes set) and a
/// payload of 0..24 random bytes or of a size some FRA_* type expects.
fn attr() -> impl Strategy<Value = Vec<u8>> {
    let flags = prop_oneof![Just(0u16), Just(0x8000), Just(0x4000)];
    let len = prop_oneof![0usize..24, prop::sample::select(vec![1usize, 4, 8, 16])];
    let payload = len.prop_flat_map(|n| prop::collection::vec(any::<u8>(), n));
    (0u16..32, flags, payload).prop_map(|(kind, f, p)| {
        let mut b = ((4 + p.len()) as u16).to_ne_bytes().to_vec();
        b.extend_from_slice(&(kind | f).to_ne_bytes());
        b.extend_from_slice(&p);
        b.resize(b.len().next_multiple_of(4), 0);
        b
    })
}

/// A header of random bytes (the family often a real one), random
/// attributes, and sometimes a random tail that breaks the last length.
fn message() -> impl Strategy<Value = Vec<u8>> {
    let family = prop::sample::select(vec![0u8, 2, 10, 128, 129, 7]);
    (
        family,
        prop::collection::vec(any::<u8>(), FIB_RULE_HDR_LEN - 1),
        prop::collection::vec(attr(), 0..20),
        prop::collection::vec(any::<u8>(), 0..6),
    )
        .prop_map(|(f, hdr, attrs, tail)| {
            let mut b = vec![f];
            b.extend_from_slice(&hdr);
            attrs.iter().for_each(|a| b.extend_from_slice(a));
            b.extend_from_slice(&tail);
            b
        })
}

const FORMATS: [Format; 4] = Format::ALL;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn rules_decode_and_render(a in message(), b in message()) {
        let rules: Vec<Rule> = [&a, &b]
            .iter()
            .map(|m| Rule::decode(&FibRuleHdr::new_checked(&m[..]).unwrap()))
            .collect();
        let names = Names::builtin();
        let protos = IpProtos::parse("tcp 6 TCP\n");
        let ctx = RuleCtx { names: &names, protos: &protos };
        for format in FORMATS {
            let mut out = Vec::new();
            write(&mut out, format, &ctx, &rules).unwrap();
            if let Format::Json(_) = format {
                let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
                prop_assert_eq!(v.as_array().map(Vec::len), Some(2));
            }
        }
    }

    #[test]
    fn any_payload_is_a_rule_or_nothing(bytes in prop::collection::vec(any::<u8>(), 0..96)) {
        let msg = crate::dump::script::message(crate::wire::fib_rule::RTM_NEWRULE, 2, 1, &bytes);
        let nl = crate::wire::nlmsg::NlMsg::new_checked(&msg[..]).unwrap();
        let rule = Rule::from_msg(&nl);
        prop_assert_eq!(rule.is_some(), bytes.len() >= FIB_RULE_HDR_LEN);
    }
}
