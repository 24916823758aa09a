//! Property tests: arbitrary kernel answers through the one-request
//! exchange ([`crate::dump::request`]), the answer's decoding and all three
//! renderings of `routes get`; arbitrary routes and links through the
//! route and link selectors. Nothing may panic, an answer that is returned
//! must be ours, and the prefix modes must agree with each other.

use crate::render::json::JsonObject;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::RngAlgorithm;

use super::decode;
use crate::cmd::links::{KindFilter, LinkSelection};
use crate::cmd::route_select::{Mode, Prefix, PrefixFilter};
use crate::cmd::routes::Selection;
use crate::dump::Dumper;
use crate::dump::script::{PORT, Scripted, Step, message};
use crate::model::LinkNames;
use crate::model::link::Link;
use crate::model::route::Route;
use crate::names::Names;
use crate::render::route::{Ctx, IpRoute, NlqRoute, Pinned, row};
use crate::wire::align4;
use crate::wire::ifinfomsg::IfInfoMsg;
use crate::wire::nlmsg::{NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NlMsg};
use crate::wire::rtmsg::{RTM_GETROUTE, RTM_NEWROUTE, RtMsg};

/// Fixed seed and case count: failures reproduce, CI time is bounded.
fn config() -> ProptestConfig {
    ProptestConfig {
        rng_algorithm: RngAlgorithm::XorShift,
        ..crate::test_support::proptest_config(4_000, 0x7267_6574)
    }
}

/// Attributes of any type up to 34 over short arbitrary payloads, padded.
fn attrs() -> impl Strategy<Value = Vec<u8>> {
    let attr = (0u16..34, vec(any::<u8>(), 0..20));
    vec(attr, 0..10).prop_map(|attrs| {
        let mut b = Vec::new();
        for (kind, payload) in attrs {
            b.extend_from_slice(&((4 + payload.len()) as u16).to_ne_bytes());
            b.extend_from_slice(&kind.to_ne_bytes());
            b.extend_from_slice(&payload);
            b.resize(align4(b.len()), 0);
        }
        b
    })
}

/// A route message body: an rtmsg of a likely family and any fields,
/// then arbitrary attributes.
fn route_body() -> impl Strategy<Value = Vec<u8>> {
    let family = prop_oneof![Just(2u8), Just(10), Just(128), any::<u8>()];
    (family, any::<[u8; 11]>(), attrs())
        .prop_map(|(f, rest, attrs)| [&[f][..], &rest, &attrs].concat())
}

/// One answer message: a route, an ERROR, a DONE, a NOOP or any type,
/// for our seq and port or not, sometimes cut short or with any bytes.
fn answer() -> impl Strategy<Value = Vec<u8>> {
    let body = prop_oneof![
        6 => route_body().prop_map(|b| (RTM_NEWROUTE, b)),
        2 => (-140i32..=5, vec(any::<u8>(), 0..40))
            .prop_map(|(e, rest)| (NLMSG_ERROR, [&e.to_ne_bytes()[..], &rest].concat())),
        1 => vec(any::<u8>(), 0..8).prop_map(|b| (NLMSG_DONE, b)),
        1 => Just((NLMSG_NOOP, Vec::new())),
        1 => (any::<u16>(), vec(any::<u8>(), 0..16)),
    ];
    let seq = prop_oneof![6 => Just(1u32), 1 => Just(2), 1 => any::<u32>()];
    let port = prop_oneof![8 => Just(PORT), 1 => any::<u32>()];
    let cut = prop_oneof![8 => Just(None), 1 => (0usize..40).prop_map(Some)];
    (body, any::<u16>(), seq, port, cut).prop_map(|((kind, payload), flags, seq, port, cut)| {
        let mut m = message(kind, flags, seq, &payload);
        m[12..16].copy_from_slice(&port.to_ne_bytes());
        if let Some(n) = cut {
            m.truncate(n);
        }
        m
    })
}

/// One receive: a datagram from the kernel or a forger, a cut, EINTR.
fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        10 => (prop_oneof![9 => Just(0u32), 1 => any::<u32>()], vec(answer(), 1..3))
            .prop_map(|(sender, msgs)| Step::Datagram { sender, bytes: msgs.concat() }),
        1 => Just(Step::Cut(70_000)),
        1 => Just(Step::Fail(std::io::ErrorKind::Interrupted)),
    ]
}

/// A prefix of any family, address bytes and length (even past the host
/// length), given or not.
fn prefix() -> impl Strategy<Value = Prefix> {
    let family = prop_oneof![
        Just(None),
        Just(Some(2u8)),
        Just(Some(10u8)),
        any::<u8>().prop_map(Some)
    ];
    (family, any::<[u8; 16]>(), any::<u8>(), any::<bool>()).prop_map(
        |(family, addr, len, len_given)| Prefix {
            family,
            addr,
            len,
            len_given,
        },
    )
}

fn filter(mode: Mode) -> impl Strategy<Value = PrefixFilter> {
    prefix().prop_map(move |prefix| PrefixFilter { mode, prefix })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_answer_is_ours_or_an_error_and_renders(steps in vec(step(), 0..5)) {
        let mut t = Scripted::new(steps);
        let req = message(RTM_GETROUTE, NLM_F_REQUEST, 0, &[2, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let Ok(answer) = Dumper::default().request(&mut t, &req) else { return Ok(()) };
        let msg = NlMsg::new_checked(&answer[..]).unwrap();
        prop_assert_eq!((msg.seq(), msg.port_id()), (t.seq, PORT), "the last request's");
        let Ok(route) = decode(&answer) else { return Ok(()) };
        let (names, mut links) = (Names::builtin(), LinkNames::new());
        links.insert(1, "lo");
        let ctx = Ctx { names: &names, links: &links, pinned: Pinned::default() };
        let nlq = NlqRoute { route: &route, ctx: &ctx }.to_json();
        let v: serde_json::Value = serde_json::from_str(&nlq).unwrap();
        prop_assert_eq!(v.as_object().map(|o| o.len()), Some(33));
        let ip = IpRoute { route: &route, ctx: &ctx }.to_json();
        prop_assert!(serde_json::from_str::<serde_json::Value>(&ip).is_ok());
        let _ = row(&route, &ctx);
    }

    #[test]
    fn route_selectors_never_panic_and_exact_is_root_and_match(
        body in route_body(),
        root in filter(Mode::Root),
        via in prop::option::of(prefix()),
        prefsrc in prop::option::of(prefix()),
        scope in prop::option::of(any::<u8>()),
        metric in prop::option::of(any::<u32>()),
    ) {
        let r = Route::decode(&RtMsg::new_checked(&body[..]).unwrap());
        let as_mode = |mode| PrefixFilter { mode, ..root };
        let fam = r.family.0;
        let (exact, m) = (as_mode(Mode::Exact), as_mode(Mode::Match));
        for (addr, len) in [(r.dst, r.dst_len), (r.src, r.src_len)] {
            let both = root.keeps(fam, addr, len) && m.keeps(fam, addr, len);
            prop_assert_eq!(exact.keeps(fam, addr, len), both);
        }
        let sel = Selection {
            dst: Some(exact),
            src: Some(m),
            via,
            prefsrc,
            scope,
            metric,
            ..Selection::default()
        };
        let _ = sel.keeps(&r);
    }

    #[test]
    fn link_selectors_never_panic(
        body in (any::<[u8; 16]>(), attrs()).prop_map(|(h, a)| [&h[..], &a].concat()),
        master in prop::option::of(any::<u32>()),
        kind in prop::option::of(prop_oneof![Just("veth_slave".to_string()), "[a-z_]{0,12}"]),
    ) {
        let link = Link::decode(&IfInfoMsg::new_checked(&body[..]).unwrap());
        let sel = LinkSelection { master, kind: kind.as_deref().map(KindFilter::parse) };
        let keeps = sel.keeps(&link);
        prop_assert!(keeps || sel.filters(), "no filter keeps everything");
        let req = sel.request(true, 1).unwrap();
        prop_assert!(NlMsg::new_checked(&req[..]).is_ok());
    }
}
