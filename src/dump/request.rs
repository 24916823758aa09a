//! One request, one answer: the exchange behind `nlq routes get`
//! (RTM_GETROUTE without NLM_F_DUMP), where the kernel answers a single
//! message or an error.
//!
//! The contract is the dump loop's, cut down to one message:
//! datagrams not from the kernel (sender port id != 0) are dropped;
//! messages whose sequence number or port id are not this request's are
//! skipped (stray replies to an earlier request); NLMSG_NOOP is skipped;
//! NLMSG_ERROR with a negative errno is [`DumpError::Kernel`] with its
//! extended-ACK text. Anything else that answers the request (the data
//! message, or an ACK or DONE where data was expected) is returned as it
//! is, and the caller checks its type. A datagram longer than the buffer
//! is never half-read: the buffer grows and the request is sent again (a
//! get changes nothing, so asking twice is safe).
//!
//! The request is sent without NLM_F_ACK, as iproute2's `rtnl_talk` does
//! when it wants an answer: the kernel then sends exactly one message.

use std::io;

use super::{DumpError, Transport};
use crate::wire::align4;
use crate::wire::nlmsg::{ErrorMsg, Messages, NLMSG_ERROR, NLMSG_NOOP};

/// The first receive buffer: a route or nexthop answer is a few hundred
/// bytes; the kernel's own default for unicast replies is under 32 KiB.
const FIRST_BUF: usize = 32 << 10;

/// How many times a request is sent in all when its answer keeps arriving
/// cut (each time into a larger buffer).
const TRIES: usize = 3;

/// Send `request` over `t` (its sequence number replaced by
/// `t.next_seq()`) and return the kernel's one answer, header included.
pub fn request<T>(t: &mut T, request: &[u8]) -> Result<Vec<u8>, DumpError>
where
    T: Transport + ?Sized,
{
    let mut req = request.to_vec();
    let mut buf = vec![0u8; FIRST_BUF];
    for _ in 0..TRIES {
        let seq = t.next_seq();
        if let Some(s) = req.get_mut(8..12) {
            s.copy_from_slice(&seq.to_ne_bytes());
        }
        t.send(&req)?;
        // None: the answer was cut and `buf` has grown; ask again.
        if let Some(msg) = answer(t, &mut buf, seq)? {
            return Ok(msg);
        }
    }
    Err(DumpError::Io(io::Error::other(
        "the kernel's answer did not fit the receive buffer",
    )))
}

/// Receive until the answer to `seq` arrives; `None` when a datagram was
/// cut (and `buf` was grown to fit it).
fn answer<T>(t: &mut T, buf: &mut Vec<u8>, seq: u32) -> Result<Option<Vec<u8>>, DumpError>
where
    T: Transport + ?Sized,
{
    loop {
        let got = match t.recv(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            got => got?,
        };
        if got.len == 0 {
            return Err(DumpError::Eof);
        }
        if got.sender != 0 {
            continue; // not from the kernel: never trust it
        }
        if got.truncated(buf.len()) {
            *buf = vec![0; align4(got.len).max(buf.len() * 2)];
            return Ok(None);
        }
        let port = t.port_id();
        for msg in Messages::new(&buf[..got.len]) {
            let msg = msg?;
            if msg.seq() != seq || msg.port_id() != port || msg.kind() == NLMSG_NOOP {
                continue;
            }
            if msg.kind() == NLMSG_ERROR {
                let err = ErrorMsg::parse(msg.payload(), msg.flags())?;
                if err.error < 0 {
                    return Err(DumpError::Kernel {
                        errno: err.error.saturating_neg(),
                        ext_ack: err.ext_text().map(str::to_owned),
                    });
                }
            }
            return Ok(Some(msg.as_bytes().to_vec()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::script::{PORT, Scripted, Step, message as msg};
    use super::*;
    use crate::wire::nlmsg::{NLM_F_ACK_TLVS, NLM_F_REQUEST, NLMSG_DONE, NlMsg};

    const DATA: u16 = 24; // RTM_NEWROUTE

    fn kernel(parts: &[Vec<u8>]) -> Step {
        Step::Datagram {
            sender: 0,
            bytes: parts.concat(),
        }
    }

    /// An RTM_GETROUTE request with a 12-byte zero rtmsg, seq 0.
    fn get() -> Vec<u8> {
        msg(DATA + 2, NLM_F_REQUEST, 0, &[0; 12])
    }

    /// An NLMSG_ERROR payload: `error`, the echoed request header of seq
    /// `seq` (the request is 28 bytes), then `tlvs`.
    fn nlmsgerr(error: i32, seq: u32, tlvs: &[u8]) -> Vec<u8> {
        let mut p = error.to_ne_bytes().to_vec();
        p.extend_from_slice(&msg(DATA + 2, NLM_F_REQUEST, seq, &[0; 12])[..16]);
        p.extend_from_slice(&[0; 12]); // the echoed rtmsg
        p.extend_from_slice(tlvs);
        p
    }

    #[test]
    fn returns_the_answer_with_our_seq_and_port() {
        let mut stray_port = msg(DATA, 0, 1, b"port");
        stray_port[12..16].copy_from_slice(&7u32.to_ne_bytes());
        let mut f = Scripted::new([
            Step::Datagram {
                sender: 99,
                bytes: msg(DATA, 0, 1, b"forged!!"),
            },
            kernel(&[msg(DATA, 0, 77, b"old!"), stray_port]),
            kernel(&[msg(NLMSG_NOOP, 0, 1, &[]), msg(DATA, 0, 1, b"mine")]),
        ]);
        let answer = request(&mut f, &get()).unwrap();
        let m = NlMsg::new_checked(&answer[..]).unwrap();
        assert_eq!((m.kind(), m.seq(), m.port_id()), (DATA, 1, PORT));
        assert_eq!(m.payload(), b"mine");
        assert_eq!(f.sent.len(), 1);
        assert_eq!(NlMsg::new_checked(&f.sent[0][..]).unwrap().seq(), 1);
        assert!(f.steps.is_empty());
    }

    #[test]
    fn kernel_error_carries_its_ext_ack_text() {
        #[rustfmt::skip]
        let tlv = [
            20, 0, 1, 0, // NLMSGERR_ATTR_MSG, 16 bytes of text
            b'N', b'o', b' ', b'r', b'o', b'u', b't', b'e', b' ', b'h', b'e', b'r', b'e', 0, 0, 0,
        ];
        let err = msg(NLMSG_ERROR, NLM_F_ACK_TLVS, 1, &nlmsgerr(-113, 1, &tlv));
        let mut f = Scripted::new([kernel(&[err])]);
        match request(&mut f, &get()) {
            Err(e @ DumpError::Kernel { errno: 113, .. }) => {
                assert_eq!(e.to_string(), "No route to host: No route here")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ack_or_done_is_returned_for_the_caller_to_judge() {
        let ack = msg(NLMSG_ERROR, 0, 1, &nlmsgerr(0, 1, &[]));
        let mut f = Scripted::new([kernel(std::slice::from_ref(&ack))]);
        assert_eq!(request(&mut f, &get()).unwrap(), ack);
        let done = msg(NLMSG_DONE, 0, 1, &0i32.to_ne_bytes());
        let mut f = Scripted::new([kernel(std::slice::from_ref(&done))]);
        assert_eq!(request(&mut f, &get()).unwrap(), done);
    }

    #[test]
    fn a_cut_answer_is_asked_for_again_with_a_bigger_buffer() {
        let mut f = Scripted::new([
            Step::Cut(100_000),
            Step::Fail(io::ErrorKind::Interrupted),
            kernel(&[msg(DATA, 0, 2, b"ok!!")]),
        ]);
        let answer = request(&mut f, &get()).unwrap();
        assert_eq!(NlMsg::new_checked(&answer[..]).unwrap().seq(), 2);
        assert_eq!(f.sent.len(), 2, "sent again after the cut");
        let mut always_cut =
            Scripted::new([Step::Cut(1 << 20), Step::Cut(1 << 21), Step::Cut(1 << 22)]);
        assert!(matches!(
            request(&mut always_cut, &get()),
            Err(DumpError::Io(_))
        ));
    }

    #[test]
    fn eof_malformed_and_positive_errors() {
        let mut f = Scripted::new([]);
        assert!(matches!(request(&mut f, &get()), Err(DumpError::Eof)));
        let mut bad = msg(DATA, 0, 1, b"abcd");
        bad[0..4].copy_from_slice(&3u32.to_ne_bytes()); // nlmsg_len = 3
        let mut f = Scripted::new([kernel(&[bad])]);
        assert!(matches!(request(&mut f, &get()), Err(DumpError::Wire(_))));
        let positive = msg(NLMSG_ERROR, 0, 1, &nlmsgerr(5, 1, &[]));
        let mut f = Scripted::new([kernel(&[positive])]);
        assert!(matches!(request(&mut f, &get()), Err(DumpError::Wire(_))));
    }
}
