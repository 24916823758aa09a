//! Property tests: the NLMSG_ERROR / NLMSG_DONE decoders on any bytes and
//! on well-formed payloads with any field values, and arbitrary scripted
//! dump sessions (kernel and forged datagrams, right and wrong seq and port
//! id, DUMP_INTR, DONE with errors, ERROR, MSG_TRUNC, EINTR, EOF) through
//! the dump loop. The invariants are [`crate::fuzzing`]'s, the same the
//! cargo-fuzz targets assert.

use std::io;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{RngAlgorithm, RngSeed, TestRunner};

use super::script::{PORT, Step, message};
use super::{DumpError, DumpOptions};
use crate::fuzzing::{self, FORGER, with_port};
use crate::test_support::encode_attr as attr;
use crate::wire::nlmsg::{
    NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_DUMP_FILTERED, NLM_F_DUMP_INTR, NLM_F_MULTI, NLMSG_DONE,
    NLMSG_ERROR, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS,
};
use crate::wire::rtmsg::{RTM_GETROUTE, RTM_NEWROUTE};

/// Fixed seed and case count: failures reproduce, CI time is bounded.
fn config() -> ProptestConfig {
    ProptestConfig {
        // ChaCha, the default, costs more than the test in a debug build.
        rng_algorithm: RngAlgorithm::XorShift,
        ..crate::test_support::proptest_config(10_000, 0x64756d70)
    }
}

/// An error field: mostly 0 or a negative errno, sometimes positive
/// (which the kernel never sends).
fn errno() -> impl Strategy<Value = i32> {
    prop_oneof![
        4 => Just(0),
        4 => -140i32..0,
        1 => Just(i32::MIN),
        1 => 1i32..200,
    ]
}

/// Texts an extended ACK may carry (empty and blank ones show nothing).
const TEXTS: [&str; 5] = ["", "  ", "bad x", " FIB table does not exist\n", "ünïcode"];

/// Bytes built from one generated number: `len` bytes cycling through the
/// four of `seed`. Test cases are built from few generated values, because
/// each one costs more than the dump it feeds in a debug build.
fn filler((len, seed): (usize, u32)) -> Vec<u8> {
    seed.to_ne_bytes().into_iter().cycle().take(len).collect()
}

/// Extended-ACK attributes: a text with or without its NUL, an offset
/// (small or any), or junk.
fn ext_tlvs() -> impl Strategy<Value = Vec<u8>> {
    let text = (prop::sample::select(&TEXTS[..]), any::<bool>());
    let tlv = prop_oneof![
        text.prop_map(|(t, nul)| attr(
            NLMSGERR_ATTR_MSG,
            &[t.as_bytes(), &[0][..nul as usize]].concat()
        )),
        prop_oneof![0u32..48, any::<u32>()]
            .prop_map(|o| attr(NLMSGERR_ATTR_OFFS, &o.to_ne_bytes())),
        (0usize..12, any::<u32>()).prop_map(filler),
    ];
    vec(tlv, 0..4).prop_map(|tlvs| tlvs.concat())
}

/// An NLMSG_ERROR payload: error, the echoed request (its length any or
/// plausible, its body there or cut), extended-ACK attributes.
fn error_payload() -> impl Strategy<Value = Vec<u8>> {
    let len = prop_oneof![16u32..64, any::<u32>()];
    let body = (0usize..24, any::<u32>()).prop_map(filler);
    (errno(), len, body, ext_tlvs()).prop_map(|(e, len, body, tlvs)| {
        let mut echoed = message(RTM_GETROUTE, 0x301, 1, &body);
        echoed[..4].copy_from_slice(&len.to_ne_bytes());
        [&e.to_ne_bytes()[..], &echoed, &tlvs].concat()
    })
}

/// An NLMSG_DONE payload: none (old kernels), an error field, or an error
/// field and extended-ACK attributes.
fn done_payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => Just(Vec::new()),
        6 => Just(0i32.to_ne_bytes().to_vec()),
        2 => (errno(), ext_tlvs()).prop_map(|(e, t)| [&e.to_ne_bytes()[..], &t].concat()),
    ]
}

/// Header flags, from one byte: NLM_F_MULTI always, NLM_F_DUMP_INTR one
/// time in four, NLM_F_DUMP_FILTERED, NLM_F_ACK_TLVS and NLM_F_CAPPED one
/// time in two each.
fn flags() -> impl Strategy<Value = u16> {
    any::<u8>().prop_map(|b| {
        let on = |bit: u8, flag: u16| if b & bit != 0 { flag } else { 0 };
        let intr = if b & 0x03 == 0 { NLM_F_DUMP_INTR } else { 0 };
        NLM_F_MULTI
            | intr
            | on(0x08, NLM_F_DUMP_FILTERED)
            | on(0x10, NLM_F_ACK_TLVS)
            | on(0x20, NLM_F_CAPPED)
    })
}

/// One message of a reply: mostly data, for the first tries' sequence
/// numbers and our port id; sometimes a DONE, an ERROR, a control message,
/// a stray sequence number or a foreign port id.
fn reply() -> impl Strategy<Value = Vec<u8>> {
    let data = (0usize..24, any::<u32>()).prop_map(filler);
    let body = prop_oneof![
        12 => (prop_oneof![Just(RTM_NEWROUTE), 16u16..100], data),
        4 => done_payload().prop_map(|p| (NLMSG_DONE, p)),
        1 => error_payload().prop_map(|p| (NLMSG_ERROR, p)),
        1 => (0u16..16, Just(Vec::new())),
    ];
    let seq = prop_oneof![5 => Just(1u32), 3 => Just(2), 1 => 3u32..=5, 1 => any::<u32>()];
    let port = prop_oneof![9 => Just(PORT), 1 => any::<u32>()];
    (body, flags(), seq, port).prop_map(|((kind, payload), flags, seq, port)| {
        with_port(message(kind, flags, seq, &payload), port)
    })
}

/// One receive: mostly a datagram from the kernel, sometimes from a
/// forger, raw bytes (often malformed; empty is end of file), EINTR, or
/// another receive error.
fn step() -> impl Strategy<Value = Step> {
    let datagram = || vec(reply(), 1..4).prop_map(|msgs| msgs.concat());
    prop_oneof![
        14 => datagram().prop_map(|bytes| Step::Datagram { sender: 0, bytes }),
        2 => datagram().prop_map(|bytes| Step::Datagram { sender: FORGER, bytes }),
        1 => vec(any::<u8>(), 0..40).prop_map(|bytes| Step::Datagram { sender: 0, bytes }),
        2 => Just(Step::Fail(io::ErrorKind::Interrupted)),
        1 => Just(Step::Fail(io::ErrorKind::PermissionDenied)),
    ]
}

/// A whole session: its script, the hold-back limit and the tries. One
/// session in 32 also has datagrams cut by MSG_TRUNC: each doubles the
/// receive buffer, which a debug build zeroes slowly.
fn session() -> impl Strategy<Value = (Vec<Step>, DumpOptions)> {
    let hold = prop_oneof![Just(0usize), 0usize..256, Just(16 << 20)];
    let cuts = prop::option::weighted(1.0 / 32.0, vec(0usize..14, 1..4));
    (vec(step(), 0..14), cuts, hold, 1u32..=4).prop_map(|(mut steps, cuts, hold_limit, tries)| {
        for at in cuts.unwrap_or_default() {
            steps.insert(at.min(steps.len()), Step::Cut(0));
        }
        (steps, DumpOptions { hold_limit, tries })
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn ext_ack_on_any_bytes(payload in vec(any::<u8>(), 0..64), flags in any::<u16>()) {
        fuzzing::control(&payload, flags);
    }

    #[test]
    fn ext_ack_on_well_formed_payloads(
        payload in prop_oneof![error_payload(), done_payload()],
        flags in prop_oneof![flags(), any::<u16>()],
    ) {
        fuzzing::control(&payload, flags);
    }

    #[test]
    fn scripted_dump_sessions((steps, options) in session()) {
        let _ = fuzzing::session(steps, options);
    }
}

/// The session generator is not vacuous: over a fixed sample, both dump
/// runs reach success, every kind of failure, and success after a retry.
#[test]
fn sessions_reach_every_ending() {
    let mut runner = TestRunner::new(ProptestConfig {
        rng_seed: RngSeed::Fixed(7),
        ..config()
    });
    let mut seen = [0usize; 7];
    for _ in 0..2_000 {
        let (steps, options) = session().new_tree(&mut runner).unwrap().current();
        for result in fuzzing::session(steps, options) {
            let ending = match result {
                Ok(stats) if stats.tries > 1 => 0,
                Ok(_) => 1,
                Err(DumpError::Interrupted { .. }) => 2,
                Err(DumpError::Kernel { .. }) => 3,
                Err(DumpError::Wire(_)) => 4,
                Err(DumpError::Eof) => 5,
                Err(_) => 6,
            };
            seen[ending] += 1;
        }
    }
    assert!(seen.iter().all(|&n| n >= 20), "endings seen: {seen:?}");
}
