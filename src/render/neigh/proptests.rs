//! Property tests: neighbour messages built from arbitrary headers and
//! attributes (every NDA_* type and some past the known range, payloads of
//! any size, the attribute flags, truncated tails) decode, pass the
//! selection and render in every format without panicking; the JSON
//! parses and nlq's dialect is total (every object has the same keys).

use proptest::prelude::*;

use super::{NeighCtx, write};
use crate::cli::StateArg;
use crate::cli::settings::state_filter;
use crate::cmd::neigh::Selection;
use crate::model::link::{Link, Links};
use crate::model::neigh::{Neigh, StateFilter};
use crate::names::Names;
use crate::render::{Dialect, Format};
use crate::wire::ndmsg::NdMsg;

fn config() -> ProptestConfig {
    crate::test_support::proptest_config(4_000, 0x6e656967)
}

/// One attribute: NDA_* type 0..20 with or without the nested and
/// byte-order flags, and a payload of 0 to 40 bytes (so the sizes the
/// known types want, 1, 2, 4 and 16, come up often).
fn attr() -> impl Strategy<Value = Vec<u8>> {
    let flags = prop_oneof![Just(0u16), Just(0x8000), Just(0x4000)];
    let payload = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..6),
        prop::collection::vec(any::<u8>(), 16..17),
        prop::collection::vec(any::<u8>(), 0..40),
    ];
    (0u16..20, flags, payload).prop_map(|(k, f, p)| {
        let mut b = ((4 + p.len()) as u16).to_ne_bytes().to_vec();
        b.extend_from_slice(&(k | f).to_ne_bytes());
        b.extend_from_slice(&p);
        b.resize(b.len().next_multiple_of(4), 0);
        b
    })
}

/// `struct ndmsg` (family 2, 10, 7 or anything; ifindex 0..4) then
/// attributes, then maybe a few stray bytes.
fn message() -> impl Strategy<Value = Vec<u8>> {
    let family = prop_oneof![Just(2u8), Just(10), Just(7), any::<u8>()];
    (
        family,
        0u32..4,
        any::<u16>(),
        any::<[u8; 2]>(),
        prop::collection::vec(attr(), 0..12),
        prop::collection::vec(any::<u8>(), 0..4),
    )
        .prop_map(|(family, ifindex, state, [flags, kind], attrs, tail)| {
            let mut b = vec![family, 0, 0, 0];
            b.extend_from_slice(&ifindex.to_ne_bytes());
            b.extend_from_slice(&state.to_ne_bytes());
            b.extend_from_slice(&[flags, kind]);
            attrs.iter().for_each(|a| b.extend_from_slice(a));
            b.extend_from_slice(&tail);
            b
        })
}

/// Links 1..3: a tunnel (ARPHRD_IPGRE) with a master, an Ethernet port.
fn links() -> Links {
    let mut links = Links::new();
    for (index, kind, master) in [(1, 778, Some(2)), (2, 1, None)] {
        let mut l = Link::bare(index, 0, kind);
        l.name = format!("l{index}");
        l.master = master;
        links.push(l);
    }
    links
}

const FORMATS: [Format; 4] = Format::ALL;

fn render(format: Format, ctx: &NeighCtx<'_>, neighs: &[Neigh]) -> Vec<u8> {
    let mut out = Vec::new();
    write(&mut out, format, ctx, neighs).unwrap();
    out
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn neighbours_decode_select_and_render(msgs in prop::collection::vec(message(), 1..4)) {
        let neighs: Vec<Neigh> = msgs
            .iter()
            .map(|m| Neigh::decode(&NdMsg::new_checked(&m[..]).unwrap()))
            .collect();
        let (links, names) = (links(), Names::builtin());
        let ctx = NeighCtx { links: &links, names: &names };
        for format in FORMATS {
            let out = render(format, &ctx, &neighs);
            if let Format::Json(dialect) = format {
                let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
                let objects = v.as_array().unwrap();
                prop_assert_eq!(objects.len(), neighs.len());
                if dialect == Dialect::Nlq {
                    let keys = |o: &serde_json::Value| {
                        o.as_object().unwrap().keys().cloned().collect::<Vec<_>>()
                    };
                    for o in objects {
                        prop_assert_eq!(keys(o), keys(&objects[0]));
                    }
                }
            } else {
                prop_assert!(std::str::from_utf8(&out).is_ok());
            }
        }
        let states = [StateArg::None, StateArg::Noarp];
        for sel in [
            Selection::default(),
            Selection { dev: Some(1), master: Some(2), proxy: true, ..Selection::default() },
            Selection { family: Some(10), states: state_filter(&states), ..Selection::default() },
            Selection { states: StateFilter::ALL, ..Selection::default() },
        ] {
            for n in &neighs {
                let _ = sel.keeps(n, &ctx);
            }
        }
    }
}
