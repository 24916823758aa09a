//! A scripted transport: replies come from a list of steps instead of the
//! kernel. The dump loop's tests, its property tests and the fuzz targets
//! drive it, and so can any program that wants to see how nlq reacts to a
//! hostile or broken kernel.

use std::collections::VecDeque;
use std::io;

use super::Transport;
use crate::sock::Recv;
use crate::wire::align4;

/// One scripted event on the receive side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A datagram from `sender` (0 = the kernel).
    Datagram {
        /// Sender's port id.
        sender: u32,
        /// The datagram.
        bytes: Vec<u8>,
    },
    /// A receive error of this kind (EINTR is `Interrupted`).
    Fail(io::ErrorKind),
    /// A receive error with this errno (ENOBUFS: the kernel dropped
    /// multicast messages because the receive buffer was full).
    Errno(i32),
    /// A datagram longer than the buffer: reports at least `len` bytes,
    /// more than the buffer holds, as MSG_TRUNC does.
    Cut(usize),
}

/// A transport that answers from a script and records what was sent.
///
/// When the script runs out, a receive returns 0 bytes (end of file).
#[derive(Debug, Default, Clone)]
pub struct Scripted {
    /// What the next receives return, in order.
    pub steps: VecDeque<Step>,
    /// Every request sent, in order.
    pub sent: Vec<Vec<u8>>,
    /// The last sequence number handed out.
    pub seq: u32,
    /// Whether it accepts [`Transport::subscribe`] (the script then holds
    /// the events); `None` says `Unsupported`, as by default.
    pub groups: Option<Vec<u32>>,
}

/// The port id a [`Scripted`] transport reports as its own.
pub const PORT: u32 = 4242;

impl Scripted {
    /// A transport that will play `steps`.
    pub fn new(steps: impl IntoIterator<Item = Step>) -> Self {
        Scripted {
            steps: steps.into_iter().collect(),
            ..Scripted::default()
        }
    }
}

impl Transport for Scripted {
    fn port_id(&self) -> u32 {
        PORT
    }
    fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1);
        self.seq
    }
    fn strict(&self) -> bool {
        true
    }
    fn send(&mut self, request: &[u8]) -> io::Result<()> {
        self.sent.push(request.to_vec());
        Ok(())
    }
    fn subscribe(&mut self, groups: &[u32], join: bool) -> io::Result<()> {
        let joined = self.groups.as_mut().ok_or(io::ErrorKind::Unsupported)?;
        match join {
            true => joined.extend_from_slice(groups),
            false => joined.retain(|g| !groups.contains(g)),
        }
        Ok(())
    }
    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Recv> {
        match self.steps.pop_front() {
            None => Ok(Recv { len: 0, sender: 0 }),
            Some(Step::Fail(kind)) => Err(io::Error::from(kind)),
            Some(Step::Errno(errno)) => Err(io::Error::from_raw_os_error(errno)),
            Some(Step::Cut(len)) => Ok(Recv {
                len: len.max(buf.len() + 1),
                sender: 0,
            }),
            Some(Step::Datagram { sender, bytes }) => {
                // Like a socket: copy what fits and report the real length.
                let n = bytes.len().min(buf.len());
                buf[..n].copy_from_slice(&bytes[..n]);
                Ok(Recv {
                    len: bytes.len(),
                    sender,
                })
            }
        }
    }
}

/// A netlink message of `kind` with `flags`, `seq`, port id [`PORT`] and
/// `payload`, padded to 4 bytes.
pub fn message(kind: u16, flags: u16, seq: u32, payload: &[u8]) -> Vec<u8> {
    let len = 16 + payload.len();
    let mut m = Vec::with_capacity(align4(len));
    m.extend_from_slice(&(len as u32).to_ne_bytes());
    m.extend_from_slice(&kind.to_ne_bytes());
    m.extend_from_slice(&flags.to_ne_bytes());
    m.extend_from_slice(&seq.to_ne_bytes());
    m.extend_from_slice(&PORT.to_ne_bytes());
    m.extend_from_slice(payload);
    m.resize(align4(len), 0);
    m
}
