//! Property tests: link and address messages built from arbitrary
//! attributes (any type up to past the known range, any payload, nested
//! and byte-order flags, nested lists inside) decode and render in every
//! format without panicking, and the JSON always parses.

use proptest::prelude::*;

use super::Format;
use super::link::LinkCtx;
use crate::model::addr::{Addr, Grouped};
use crate::model::link::{Link, Links};
use crate::names::Names;
use crate::test_support::encode_attr as encode;
use crate::wire::ifaddrmsg::IfAddrMsg;
use crate::wire::ifinfomsg::IfInfoMsg;

fn config() -> ProptestConfig {
    crate::test_support::proptest_config(10_000, 0x6c696e6b)
}

/// One attribute, as bytes: a type (flags included) and a payload that is
/// either random or itself a list of random attributes.
fn attr(max_kind: u16) -> impl Strategy<Value = Vec<u8>> {
    let flags = prop_oneof![Just(0u16), Just(0x8000), Just(0x4000)];
    let leaf = prop::collection::vec(any::<u8>(), 0..48);
    let nested = prop::collection::vec((0u16..40, prop::collection::vec(any::<u8>(), 0..24)), 0..6)
        .prop_map(|kids| {
            kids.iter()
                .flat_map(|(k, p)| encode(*k, p))
                .collect::<Vec<u8>>()
        });
    (0..max_kind, flags, prop_oneof![leaf, nested]).prop_map(|(k, f, p)| encode(k | f, &p))
}

/// A fixed header of `len` random bytes followed by random attributes.
fn message(len: usize, max_kind: u16) -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec(any::<u8>(), len),
        prop::collection::vec(attr(max_kind), 0..16),
    )
        .prop_map(|(mut hdr, attrs)| {
            attrs.iter().for_each(|a| hdr.extend_from_slice(a));
            hdr
        })
}

const FORMATS: [Format; 4] = Format::ALL;

/// Render in `format` and check that JSON output parses.
fn check(format: Format, render: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) {
    let mut out = Vec::new();
    render(&mut out).unwrap();
    if let Format::Json(_) = format {
        serde_json::from_slice::<serde_json::Value>(&out).unwrap();
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn links_decode_and_render(a in message(16, 72), b in message(16, 72)) {
        let mut links = Links::new();
        for bytes in [&a, &b] {
            links.push(Link::decode(&IfInfoMsg::new_checked(&bytes[..]).unwrap()));
        }
        let names = Names::builtin();
        let ctx = LinkCtx { links: &links, names: &names, nsids: &crate::netns::NsidNames::default() };
        let all: Vec<&Link> = links.iter().collect();
        for format in FORMATS {
            check(format, |out| super::link::write(out, format, &ctx, &all));
        }
    }

    #[test]
    fn addrs_decode_and_render(link in message(16, 72), a in message(8, 16), b in message(8, 16)) {
        let mut links = Links::new();
        links.push(Link::decode(&IfInfoMsg::new_checked(&link[..]).unwrap()));
        let addrs: Vec<Addr> =
            [&a, &b].iter().map(|m| Addr::decode(&IfAddrMsg::new_checked(&m[..]).unwrap())).collect();
        let names = Names::builtin();
        let ctx = LinkCtx { links: &links, names: &names, nsids: &crate::netns::NsidNames::default() };
        for only in [None, links.iter().next().map(|l| l.index)] {
            let grouped = Grouped::new(&links, &addrs, only, false);
            for format in FORMATS {
                check(format, |out| super::addr::write(out, format, &ctx, &grouped));
            }
        }
    }
}
