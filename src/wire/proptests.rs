//! Property tests: any bytes through the message and attribute iterators,
//! the multipath walker, the fixed-header views and the control-message
//! decoders terminate, stay in bounds and never panic; building then
//! parsing a request round-trips.

use proptest::prelude::*;

use super::attr::{AttrIndex, Attrs};
use super::ifaddrmsg::IfAddrMsg;
use super::ifinfomsg::IfInfoMsg;
use super::nlmsg::{ErrorMsg, HDRLEN, Messages, NlMsg, RequestBuilder};
use super::rtmsg::{NextHops, RtMsg};

/// Fixed seed and case count: failures reproduce, CI time is bounded.
fn config() -> ProptestConfig {
    crate::test_support::proptest_config(10_000, 0x6e6c71)
}

/// Whether `inner` lies within `outer` (pointer range containment).
fn within(outer: &[u8], inner: &[u8]) -> bool {
    let (o, i) = (outer.as_ptr() as usize, inner.as_ptr() as usize);
    i >= o && i + inner.len() <= o + outer.len()
}

/// Walk attributes recursively up to `depth`, checking every slice.
fn walk(outer: &[u8], buf: &[u8], depth: u32) -> usize {
    let mut n = 0;
    for attr in Attrs::new(buf) {
        let Ok(a) = attr else { break };
        assert!(within(outer, a.payload()));
        assert_eq!(a.kind() & 0xC000, 0, "type flags are masked");
        let _ = (
            a.u8(),
            a.u16(),
            a.u32(),
            a.u64(),
            a.be16(),
            a.str(),
            a.ip(2),
            a.ip(10),
        );
        n += 1;
        if depth > 0 {
            n += walk(outer, a.payload(), depth - 1);
        }
    }
    n
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn message_iterator_terminates_in_bounds(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut steps = 0;
        let mut errors = 0;
        for m in Messages::new(&bytes) {
            match m {
                Ok(m) => {
                    prop_assert!(m.len() as usize >= HDRLEN);
                    prop_assert!(within(&bytes, m.as_bytes()));
                    prop_assert!(within(&bytes, m.payload()));
                    let _ = ErrorMsg::parse(m.payload(), m.flags());
                    let _ = ErrorMsg::parse_done(m.payload(), m.flags());
                    if let Ok(r) = RtMsg::new_checked(m.payload()) {
                        walk(&bytes, r.attr_bytes(), 4);
                    }
                    if let Ok(l) = IfInfoMsg::new_checked(m.payload()) {
                        walk(&bytes, l.attr_bytes(), 4);
                    }
                    if let Ok(a) = IfAddrMsg::new_checked(m.payload()) {
                        walk(&bytes, a.attr_bytes(), 4);
                    }
                }
                Err(_) => errors += 1,
            }
            steps += 1;
            prop_assert!(errors <= 1, "the iterator stops after an error");
        }
        // Each successful step consumes at least a header.
        prop_assert!(steps <= bytes.len() / HDRLEN + 1);
    }

    #[test]
    fn attribute_walk_terminates_in_bounds(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        // Every attribute takes at least 4 bytes of its level; 9 levels.
        let n = walk(&bytes, &bytes, 8);
        prop_assert!(n <= bytes.len() / 4 * 9);
        let idx = AttrIndex::<32>::parse(&bytes);
        for k in 0..40 {
            if let Some(a) = idx.get(k) {
                prop_assert!(within(&bytes, a.payload()));
            }
        }
    }

    #[test]
    fn nexthop_walk_terminates(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let mut steps = 0;
        for nh in NextHops::new(&bytes) {
            steps += 1;
            match nh {
                Ok(nh) => { prop_assert!(within(&bytes, nh.attrs)); walk(&bytes, nh.attrs, 2); }
                Err(_) => break,
            }
        }
        prop_assert!(steps <= bytes.len() / 8 + 1);
    }

    #[test]
    fn request_round_trips(
        kind in 16u16..100,
        flags in any::<u16>(),
        seq in any::<u32>(),
        fixed in proptest::collection::vec(any::<u8>(), 0..24),
        attrs in proptest::collection::vec((0u16..0x3fff, proptest::collection::vec(any::<u8>(), 0..40)), 0..6),
    ) {
        let mut buf = [0u8; 1024];
        let mut b = RequestBuilder::new(&mut buf, kind, flags, seq).fixed(&fixed);
        for (k, v) in &attrs {
            b = b.attr(*k, v);
        }
        let req = b.finish().unwrap();
        let msgs: Vec<_> = Messages::new(req).collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(msgs.len(), 1);
        let m = NlMsg::new_checked(req).unwrap();
        prop_assert_eq!((m.kind(), m.flags(), m.seq()), (kind, flags, seq));
        let fixed_padded = super::align4(fixed.len());
        prop_assert_eq!(&m.payload()[..fixed.len()], &fixed[..]);
        let got: Vec<_> = Attrs::new(&m.payload()[fixed_padded..]).collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(got.len(), attrs.len());
        for (a, (k, v)) in got.iter().zip(&attrs) {
            prop_assert_eq!(a.kind(), *k);
            prop_assert_eq!(a.payload(), &v[..]);
        }
    }
}
