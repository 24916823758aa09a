//! One request, one answer: the exchange behind `RTM_GET*` requests
//! without NLM_F_DUMP (`ip nexthop get id N`), where the kernel answers
//! with a single data message or an NLMSG_ERROR.
//!
//! The same rules as the dump loop, minus what only dumps have: datagrams
//! not from the kernel are dropped, messages whose sequence number or port
//! id are not ours are skipped, NLMSG_ERROR with a negative errno is
//! [`DumpError::Kernel`] (with its extended-ACK text), a cut datagram is
//! asked for again with a bigger buffer, and the first data message is the
//! answer. Nothing is awaited after it: the request carries no NLM_F_ACK.

use std::io;

use super::{DumpError, Dumper, MIN_BUF, Transport, check_errno, recv_from_kernel};
use crate::wire::align4;
use crate::wire::nlmsg::{ErrorMsg, Messages, NLMSG_DONE, NLMSG_ERROR, NLMSG_MIN_TYPE};

/// How many times a request whose answer was cut is sent again.
const TRIES: u32 = 3;

impl Dumper {
    /// Send `request` over `t` with the transport's next sequence number
    /// and return the kernel's answer: the first data message, whole
    /// (header included), or the kernel's error. The receive buffer is the
    /// dumps' own; it grows when an answer does not fit.
    pub fn request<T>(&mut self, t: &mut T, request: &[u8]) -> Result<Vec<u8>, DumpError>
    where
        T: Transport + ?Sized,
    {
        let mut req = request.to_vec();
        if self.buf.len() < MIN_BUF {
            self.buf = vec![0; MIN_BUF];
        }
        for _ in 0..TRIES {
            let seq = t.next_seq();
            if let Some(s) = req.get_mut(8..12) {
                s.copy_from_slice(&seq.to_ne_bytes());
            }
            t.send(&req)?;
            // `None`: the answer was cut and is lost; ask again.
            if let Some(msg) = answer(t, &mut self.buf, seq)? {
                return Ok(msg);
            }
        }
        Err(DumpError::Io(io::Error::new(
            io::ErrorKind::InvalidData,
            "the kernel's answer did not fit the receive buffer",
        )))
    }
}

/// Read until the answer to `seq` arrives; `None` if its datagram was cut
/// (the buffer has grown to fit it).
fn answer<T>(t: &mut T, buf: &mut Vec<u8>, seq: u32) -> Result<Option<Vec<u8>>, DumpError>
where
    T: Transport + ?Sized,
{
    loop {
        let got = recv_from_kernel(t, buf)?;
        if got.truncated(buf.len()) {
            *buf = vec![0; align4(got.len).max(buf.len() * 2)];
            return Ok(None);
        }
        let port = t.port_id();
        for msg in Messages::new(&buf[..got.len]) {
            let msg = msg?;
            if msg.seq() != seq || msg.port_id() != port {
                continue; // a stray reply to some other request
            }
            match msg.kind() {
                NLMSG_ERROR => {
                    check_errno(&ErrorMsg::parse(msg.payload(), msg.flags())?)?;
                    return Err(no_answer());
                }
                NLMSG_DONE => return Err(no_answer()),
                k if k < NLMSG_MIN_TYPE => {} // NOOP, OVERRUN, reserved
                _ => return Ok(Some(msg.as_bytes().to_vec())),
            }
        }
    }
}

/// An ACK or DONE where an object was expected.
fn no_answer() -> DumpError {
    DumpError::Io(io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "the kernel acknowledged the request without an answer",
    ))
}

#[cfg(test)]
mod tests {
    use super::super::script::{PORT, Scripted, Step, message as msg};
    use super::*;
    use crate::wire::nlmsg::NlMsg;

    const DATA: u16 = 104; // RTM_NEWNEXTHOP

    fn kernel(parts: &[Vec<u8>]) -> Step {
        Step::Datagram {
            sender: 0,
            bytes: parts.concat(),
        }
    }

    fn run(steps: Vec<Step>) -> (Result<Vec<u8>, DumpError>, Scripted) {
        let mut t = Scripted::new(steps);
        let req = msg(106, 1, 0, &[0; 8]);
        let r = Dumper::default().request(&mut t, &req);
        (r, t)
    }

    /// An NLMSG_ERROR payload: `error`, then the echoed 24-byte request's
    /// header (seq 1).
    fn nlmsgerr(error: i32) -> Vec<u8> {
        let mut p = error.to_ne_bytes().to_vec();
        p.extend_from_slice(&msg(106, 1, 1, &[0; 8])[..16]);
        p
    }

    #[test]
    fn returns_the_first_data_message_and_sets_seq() {
        let (r, t) = run(vec![kernel(&[
            msg(DATA, 0, 1, b"nh"),
            msg(DATA, 0, 1, b"x"),
        ])]);
        let m = r.unwrap();
        let m = NlMsg::new_checked(&m[..]).unwrap();
        assert_eq!(
            (m.kind(), m.payload(), m.port_id()),
            (DATA, &b"nh"[..], PORT)
        );
        assert_eq!(NlMsg::new_checked(&t.sent[0][..]).unwrap().seq(), 1);
        assert!(t.steps.is_empty());
    }

    #[test]
    fn drops_foreign_senders_and_stray_seq_or_port() {
        let mut stray_port = msg(DATA, 0, 1, b"p");
        stray_port[12..16].copy_from_slice(&7u32.to_ne_bytes());
        let (r, _) = run(vec![
            Step::Datagram {
                sender: 99,
                bytes: msg(DATA, 0, 1, b"forged"),
            },
            kernel(&[msg(DATA, 0, 5, b"old"), stray_port]),
            Step::Fail(io::ErrorKind::Interrupted),
            kernel(&[msg(1, 0, 1, &[]), msg(DATA, 0, 1, b"ok")]), // NOOP first
        ]);
        let m = r.unwrap();
        assert_eq!(NlMsg::new_checked(&m[..]).unwrap().payload(), b"ok");
    }

    #[test]
    fn kernel_error_is_typed() {
        let (r, _) = run(vec![kernel(&[msg(NLMSG_ERROR, 0, 1, &nlmsgerr(-2))])]);
        assert!(
            matches!(
                r,
                Err(DumpError::Kernel {
                    errno: 2,
                    ext_ack: None
                })
            ),
            "{r:?}"
        );
    }

    #[test]
    fn ack_done_and_eof_are_errors() {
        let (r, _) = run(vec![kernel(&[msg(NLMSG_ERROR, 0, 1, &nlmsgerr(0))])]);
        assert!(matches!(&r, Err(DumpError::Io(e)) if e.kind() == io::ErrorKind::UnexpectedEof));
        let (r, _) = run(vec![kernel(&[msg(NLMSG_DONE, 2, 1, &0i32.to_ne_bytes())])]);
        assert!(matches!(r, Err(DumpError::Io(_))), "{r:?}");
        let (r, _) = run(vec![]);
        assert!(matches!(r, Err(DumpError::Eof)), "{r:?}");
    }

    #[test]
    fn cut_answer_is_asked_for_again() {
        let (r, t) = run(vec![
            Step::Cut(100_000),
            kernel(&[msg(DATA, 0, 2, b"whole")]),
        ]);
        let m = r.unwrap();
        assert_eq!(NlMsg::new_checked(&m[..]).unwrap().payload(), b"whole");
        assert_eq!(t.sent.len(), 2, "sent again after the cut");
        let cuts = (0..TRIES).map(|_| Step::Cut(100_000)).collect();
        assert!(matches!(run(cuts).0, Err(DumpError::Io(_))));
    }

    #[test]
    fn malformed_answer_is_an_error() {
        let mut bad = msg(DATA, 0, 1, b"a");
        bad[0..4].copy_from_slice(&3u32.to_ne_bytes());
        let (r, _) = run(vec![kernel(&[bad])]);
        assert!(matches!(r, Err(DumpError::Wire(_))), "{r:?}");
    }
}
