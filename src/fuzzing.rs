//! Fuzzing entry points: the six places where nlq reads bytes it does not
//! control, each wrapped in a function that takes any `&[u8]`, runs the
//! code on it, and asserts what that code promises (bounds, termination,
//! "success only after the kernel's DONE", ...). A broken promise is a
//! panic with the reason, which cargo-fuzz (fuzz/), the corpus replay
//! (tests/fuzz_corpus.rs) and the property tests all report as a failure.
//!
//! Test support, not nlq's API: hidden from the docs and free to change.
//! Nothing here may panic on its own; only the asserts do.
//!
//! [`messages`], [`attributes`] and [`ext_ack`] are here, the decoders in
//! `decoders.rs`, [`dump_session`] and its script format in `session.rs`,
//! [`replay()`](fn@replay) (capture files) in `replay.rs`.

mod bridge;
mod decoders;
mod ifstats;
mod ipconf;
mod mcast;
mod replay;
mod session;

use crate::dump::script::{Scripted, Step, message};
use crate::dump::{DumpError, DumpOptions};
use crate::wire::align4;
use crate::wire::attr::{self, AttrIndex, Attrs, NLA_TYPE_MASK};
use crate::wire::nlmsg::{
    ErrorMsg, HDRLEN, Messages, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_DUMP_INTR, NLM_F_MULTI,
    NLMSG_DONE, NLMSG_ERROR, NlMsg,
};
use crate::wire::rtmsg::{NextHops, RTNH_LEN};

pub use decoders::decoders;
pub use replay::replay;
pub use session::{FORGER, dump_session, script, session, with_port};
use session::{request, with_dumper};

/// How deep [`attributes`] follows nested attributes (rtnetlink nests four
/// levels at most: IFLA_LINKINFO / IFLA_INFO_DATA / ...).
pub const MAX_DEPTH: u32 = 8;

/// The message iterator over any datagram: every message it yields starts
/// where the previous one's padded length ended, is a header long at least
/// and lies inside the input; after an error it stops. (Contiguity bounds
/// the loop: each step moves at least 16 bytes and must stay inside.)
pub fn messages(data: &[u8]) {
    let mut at = 0; // where the next message must start
    let mut it = Messages::new(data);
    while let Some(item) = it.next() {
        let Ok(msg) = item else {
            assert!(it.next().is_none(), "the iterator stops after an error");
            return;
        };
        let bytes = msg.as_bytes();
        assert_eq!(offset(data, bytes), Some(at), "messages are contiguous");
        assert!(bytes.len() >= HDRLEN && bytes.len() == msg.len() as usize);
        assert!(offset(data, msg.payload()).is_some());
        let _ = (
            msg.kind(),
            msg.flags(),
            msg.seq(),
            msg.port_id(),
            msg.is_empty(),
        );
        at += align4(bytes.len());
    }
}

/// The attribute walker over any bytes, nested up to [`MAX_DEPTH`]: every
/// attribute lies inside the input right after the previous one, its type
/// has the flag bits masked off, no getter panics, and the walk stops after
/// an error. Also the first-wins [`AttrIndex`] and the RTA_MULTIPATH walker.
pub fn attributes(data: &[u8]) {
    walk(data, data, MAX_DEPTH);
    index::<8>(data);
    index::<64>(data);
    let mut at = 0;
    for hop in NextHops::new(data).map_while(Result::ok) {
        assert_eq!(
            offset(data, hop.attrs),
            Some(at + RTNH_LEN),
            "nexthops are contiguous"
        );
        at += align4(RTNH_LEN + hop.attrs.len());
        walk(data, hop.attrs, 2);
    }
}

/// Walk one level of attributes inside `input`, then each payload as the
/// next level down.
fn walk(input: &[u8], level: &[u8], depth: u32) {
    let mut at = offset(input, level).expect("every level lies inside the input");
    let mut it = Attrs::new(level);
    while let Some(item) = it.next() {
        let Ok(a) = item else {
            assert!(it.next().is_none(), "the walk stops after an error");
            return;
        };
        let p = a.payload();
        assert_eq!(
            offset(input, p),
            Some(at + attr::HDRLEN),
            "attributes are contiguous"
        );
        assert_eq!(a.kind() & !NLA_TYPE_MASK, 0, "type flags are masked off");
        let _ = (
            a.u8(),
            a.u16(),
            a.u32(),
            a.i32(),
            a.u64(),
            a.be16(),
            a.be32(),
        );
        let _ = (a.str(), a.ip(attr::AF_INET), a.ip(attr::AF_INET6), a.ip(0));
        at += align4(attr::HDRLEN + p.len());
        if depth > 0 {
            walk(input, p, depth - 1);
        }
    }
}

/// The index keeps the first attribute of each type below `N`, and the
/// walk's first error.
fn index<const N: usize>(data: &[u8]) {
    let idx = AttrIndex::<N>::parse(data);
    assert_eq!(idx.error, Attrs::new(data).find_map(Result::err));
    let walked: Vec<_> = Attrs::new(data).map_while(Result::ok).collect();
    for kind in 0..N as u16 + 4 {
        let first = walked.iter().find(|a| a.kind() == kind);
        let want = first.filter(|_| usize::from(kind) < N).copied();
        assert_eq!(
            idx.get(kind),
            want,
            "the first attribute of type {kind} wins"
        );
    }
}

/// Where `inner` starts in `outer`, if it lies wholly inside it.
fn offset(outer: &[u8], inner: &[u8]) -> Option<usize> {
    let start = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
    (start + inner.len() <= outer.len()).then_some(start)
}

/// Flag bits the first byte of an [`ext_ack`] input turns on, bit by bit.
const ACK_FLAGS: [u16; 4] = [NLM_F_CAPPED, NLM_F_ACK_TLVS, NLM_F_MULTI, NLM_F_DUMP_INTR];

/// The NLMSG_ERROR and NLMSG_DONE decoders: the first byte picks header
/// flags (bit 0 CAPPED, 1 ACK_TLVS, 2 MULTI, 3 DUMP_INTR), the rest is the
/// payload. See [`control`].
pub fn ext_ack(data: &[u8]) {
    if let Some((&pick, payload)) = data.split_first() {
        control(payload, flags_from(pick, &ACK_FLAGS));
    }
}

/// Size of `struct nlmsgerr`: the error field and the echoed header.
const NLMSGERR_LEN: usize = 4 + HDRLEN;

/// Decode `payload` as an ERROR and as a DONE with header `flags`, check
/// what each decoder promises, then send each through a dump and check the
/// dump loop reports what the decoder read.
pub fn control(payload: &[u8], flags: u16) {
    let errno = payload
        .get(0..4)
        .map(|b| i32::from_ne_bytes([b[0], b[1], b[2], b[3]]));
    let error = ErrorMsg::parse(payload, flags);
    match &error {
        Err(_) => assert!(
            payload.len() < NLMSGERR_LEN || errno > Some(0),
            "rejected a good nlmsgerr"
        ),
        Ok(m) => {
            assert_eq!(Some(m.error), errno.filter(|&e| e <= 0));
            let echoed = NlMsg::new_unchecked(&payload[4..]);
            assert_eq!(m.request_seq, Some(echoed.seq()));
            if let Some(offs) = m.ext_offset {
                assert!(
                    offs < echoed.len(),
                    "an ext-ack offset lies inside the request"
                );
            }
            check_ext_ack(payload, m, flags);
        }
    }
    let done = ErrorMsg::parse_done(payload, flags);
    match &done {
        Err(_) => {
            let cut = (1..4).contains(&payload.len()); // some of an error field
            assert!(cut || errno > Some(0), "rejected a good DONE");
        }
        Ok(m) => {
            assert_eq!(m.error, errno.unwrap_or(0));
            assert_eq!(m.request_seq, None);
            check_ext_ack(payload, m, flags);
        }
    }
    in_dump(NLMSG_ERROR, flags, payload, error);
    in_dump(NLMSG_DONE, flags, payload, done);
}

/// Extended-ACK fields only with NLM_F_ACK_TLVS; the text inside the
/// payload, without NUL; what `ext_text` shows is trimmed and not empty.
fn check_ext_ack(payload: &[u8], m: &ErrorMsg<'_>, flags: u16) {
    if flags & NLM_F_ACK_TLVS == 0 {
        assert_eq!(
            (m.ext_msg, m.ext_offset),
            (None, None),
            "ext-ack without NLM_F_ACK_TLVS"
        );
    }
    if let Some(text) = m.ext_msg {
        assert!(offset(payload, text).is_some() && !text.contains(&0));
    }
    if let Some(text) = m.ext_text() {
        assert!(!text.is_empty() && text.trim() == text);
    }
}

/// One message of `kind` as the whole reply to a dump: the dump loop must
/// fail or succeed as the decoder's reading `parsed` says.
fn in_dump(
    kind: u16,
    flags: u16,
    payload: &[u8],
    parsed: Result<ErrorMsg<'_>, crate::wire::Error>,
) {
    let mut t = Scripted::new([Step::Datagram {
        sender: 0,
        bytes: message(kind, flags, 1, payload),
    }]);
    let (result, warnings) = with_dumper(DumpOptions::default(), false, |d| {
        let result = d.dump(&mut t, &request(), |_| {
            panic!("a control message reached the sink")
        });
        (result, d.take_warnings())
    });
    let _ = result.as_ref().map_err(ToString::to_string); // Display never panics
    let m = match (parsed, &result) {
        (Err(want), Err(DumpError::Wire(got))) => return assert_eq!(*got, want),
        (Err(want), got) => panic!("the decoder said {want:?}, the dump {got:?}"),
        (Ok(m), _) => m,
    };
    if m.error == -libc::ENOBUFS && kind == NLMSG_ERROR {
        // Events crowded the dump's start out; the kernel goes on with
        // the dump, so the loop reads on (and here the script ends).
        return assert!(matches!(result, Err(DumpError::Eof)), "{result:?}");
    }
    if m.error < 0 {
        let Err(DumpError::Kernel { errno, ext_ack }) = &result else {
            panic!("error field {} became {result:?}", m.error);
        };
        assert_eq!(*errno, m.error.saturating_neg());
        assert_eq!(ext_ack.as_deref(), m.ext_text());
        return;
    }
    // An error field of 0: only a DONE without DUMP_INTR ends the dump
    // well; after an ACK, or the retry DUMP_INTR asks for, the script ends.
    let ends = kind == NLMSG_DONE && flags & NLM_F_DUMP_INTR == 0;
    match &result {
        Ok(_) => assert!(ends, "success without DONE"),
        Err(DumpError::Eof) => assert!(!ends, "a DONE of 0 did not end the dump"),
        Err(e) => panic!("an error field of 0 became {e:?}"),
    }
    let text: Vec<String> = m.ext_text().map(str::to_owned).into_iter().collect();
    assert_eq!(warnings, text, "ext-ack text on success is a warning");
}

/// The flags of `bits` whose bit is set in `pick`, lowest first.
fn flags_from(pick: u8, bits: &[u16]) -> u16 {
    let on = bits
        .iter()
        .enumerate()
        .filter(|(i, _)| pick & (1 << i) != 0);
    on.fold(0, |acc, (_, &f)| acc | f)
}
