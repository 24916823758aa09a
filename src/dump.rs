//! The dump loop: send an `NLM_F_DUMP` request, receive until NLMSG_DONE,
//! and implement the kernel's side of the contract in order.
//!
//! 1. A datagram longer than the buffer (MSG_TRUNC) is never silently
//!    lost: the buffer grows and the dump starts again.
//! 2. Datagrams not sent by the kernel (sender port id != 0) are dropped.
//! 3. Messages whose sequence number or port id are not this dump's are
//!    skipped (stray replies to an earlier request).
//! 4. NLMSG_ERROR with 0 is an ACK, with a negative errno an error carrying
//!    the extended-ACK text; NLMSG_DONE's own error field is read the same
//!    way. Nothing is awaited after DONE: dumps are not ACKed.
//! 5. NLM_F_DUMP_INTR on any message (DONE included) marks the dump as
//!    inconsistent. Up to [`DumpOptions::hold_limit`] bytes of messages are
//!    held back so an interrupted dump can be retried before anything is
//!    shown; past that the dump streams, and an interruption after output
//!    began is reported as [`DumpError::Interrupted`] (exit code 3).
//!
//! (libmnl `__mnl_cb_run`, iproute2 `rtnl_dump_filter_l`.)

use std::io;

use crate::sock::{Recv, Socket};
use crate::wire::nlmsg::{
    ErrorMsg, Messages, NLM_F_DUMP_FILTERED, NLM_F_DUMP_INTR, NLMSG_DONE, NLMSG_ERROR,
    NLMSG_MIN_TYPE, NlMsg,
};
use crate::wire::{self, align4};

/// Where requests go and replies come from: a live socket, a capture being
/// replayed, or a scripted fake in tests.
pub trait Transport {
    /// Our port id, as the kernel writes it into replies.
    fn port_id(&self) -> u32;
    /// The sequence number to put in the next request.
    fn next_seq(&mut self) -> u32;
    /// Whether the kernel does strict checking (and so dump filtering).
    fn strict(&self) -> bool;
    /// Send one request datagram.
    fn send(&mut self, request: &[u8]) -> io::Result<()>;
    /// Receive one datagram into `buf`, reporting its real length. A
    /// transport may grow `buf` to fit; a live socket cannot know the size
    /// in advance and reports `len > buf.len()` for a cut datagram.
    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Recv>;
}

/// A live socket with a sequence counter.
#[derive(Debug)]
pub struct Live {
    sock: Socket,
    seq: u32,
}

impl Live {
    /// Wrap an open socket; sequence numbers start from the clock, as
    /// iproute2 does, so replies to an earlier process are not mistaken.
    pub fn new(sock: Socket) -> Self {
        let seq = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as u32)
            .unwrap_or(1);
        Live { sock, seq }
    }

    /// The socket underneath.
    pub fn socket(&self) -> &Socket {
        &self.sock
    }
}

impl Transport for Live {
    fn port_id(&self) -> u32 {
        self.sock.port_id()
    }
    fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1);
        self.seq
    }
    fn strict(&self) -> bool {
        self.sock.strict()
    }
    fn send(&mut self, request: &[u8]) -> io::Result<()> {
        self.sock.send(request)
    }
    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Recv> {
        self.sock.recv(buf)
    }
}

/// Why a dump failed.
#[derive(Debug, thiserror::Error)]
pub enum DumpError {
    /// The kernel answered with an error (NLMSG_ERROR or DONE < 0).
    #[error("{}", kernel_text(*errno, ext_ack.as_deref()))]
    Kernel {
        /// Positive errno value.
        errno: i32,
        /// The kernel's extended-ACK message, when it sent one.
        ext_ack: Option<String>,
    },
    /// The dump was interrupted by a change to the table (NLM_F_DUMP_INTR)
    /// on every try, or after output had begun.
    #[error("dump interrupted: the kernel's table changed while it was read")]
    Interrupted {
        /// Whether some of the dump had already been passed on.
        output_started: bool,
    },
    /// A reply that is not well-formed netlink.
    #[error("malformed reply from the kernel: {0}")]
    Wire(#[from] wire::Error),
    /// The transport closed (a 0-byte read, or the end of a capture).
    #[error("netlink transport closed before the dump was done")]
    Eof,
    /// Sending or receiving failed (the text names the source).
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The sink refused a message (writing output failed, decode error).
    #[error(transparent)]
    Sink(Box<dyn std::error::Error + Send + Sync>),
}

impl DumpError {
    /// Wrap an error raised by a sink (the consumer of dump messages).
    pub fn sink(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        DumpError::Sink(e.into())
    }
}

fn kernel_text(errno: i32, ext_ack: Option<&str>) -> String {
    let base = io::Error::from_raw_os_error(errno).to_string();
    // Strip Rust's " (os error N)" suffix: the user wants the C text.
    let base = base.split(" (os error").next().unwrap_or(&base).to_string();
    match ext_ack {
        Some(text) => format!("{base}: {text}"),
        None => base,
    }
}

/// Tuning for [`dump`].
#[derive(Debug, Clone, Copy)]
pub struct DumpOptions {
    /// Bytes of messages held back for a consistent retry (default 16 MiB).
    pub hold_limit: usize,
    /// How many times an interrupted dump is tried in all (default 3).
    pub tries: u32,
}

impl Default for DumpOptions {
    fn default() -> Self {
        DumpOptions {
            hold_limit: 16 << 20,
            tries: 3,
        }
    }
}

/// What a finished dump reports besides its messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DumpStats {
    /// Whether the kernel said it applied the request's filter.
    pub filtered: bool,
    /// How many tries it took (1 when the first was consistent).
    pub tries: u32,
    /// Whether the held-back budget ran out and messages were streamed.
    pub streamed: bool,
}

/// The smallest receive buffer: the kernel sizes dump datagrams near 32 KiB.
const MIN_BUF: usize = 64 << 10;

/// Reusable state for dumps: the receive buffer and the hold-back buffer.
#[derive(Debug, Default)]
pub struct Dumper {
    buf: Vec<u8>,
    held: Vec<u8>,
    /// Tuning.
    pub options: DumpOptions,
}

/// How one try of a dump ended.
enum TryEnd {
    Done { intr: bool, filtered: bool },
    Truncated(usize),
}

impl Dumper {
    /// A dumper with the given options.
    pub fn new(options: DumpOptions) -> Self {
        Dumper {
            buf: Vec::new(),
            held: Vec::new(),
            options,
        }
    }

    /// Run the dump `request` over `t`, passing each data message (types
    /// from NLMSG_MIN_TYPE up) to `sink`, in order, once.
    ///
    /// The request's sequence number is replaced by `t.next_seq()`.
    pub fn dump<T, F>(
        &mut self,
        t: &mut T,
        request: &[u8],
        mut sink: F,
    ) -> Result<DumpStats, DumpError>
    where
        T: Transport + ?Sized,
        F: FnMut(&NlMsg<&[u8]>) -> Result<(), DumpError>,
    {
        let mut req = request.to_vec();
        let mut tries = 0;
        loop {
            tries += 1;
            let seq = t.next_seq();
            if let Some(s) = req.get_mut(8..12) {
                s.copy_from_slice(&seq.to_ne_bytes());
            }
            t.send(&req)?;
            let mut streaming = false;
            match self.one_try(t, seq, &mut streaming, &mut sink)? {
                TryEnd::Truncated(len) => {
                    // The datagram is gone; a bigger buffer and a fresh dump
                    // recover it. Only possible before output, as held
                    // messages were not yet passed on, unless streaming.
                    self.buf.resize(align4(len).max(self.buf.len() * 2), 0);
                    if streaming || tries >= self.options.tries + 2 {
                        return Err(DumpError::Interrupted {
                            output_started: streaming,
                        });
                    }
                }
                TryEnd::Done { intr: true, .. } if streaming => {
                    return Err(DumpError::Interrupted {
                        output_started: true,
                    });
                }
                TryEnd::Done { intr: true, .. } if tries >= self.options.tries => {
                    return Err(DumpError::Interrupted {
                        output_started: false,
                    });
                }
                TryEnd::Done { intr: true, .. } => {}
                TryEnd::Done {
                    intr: false,
                    filtered,
                } => {
                    release(&mut self.held, &mut sink)?;
                    return Ok(DumpStats {
                        filtered,
                        tries,
                        streamed: streaming,
                    });
                }
            }
        }
    }

    /// One request's worth of replies, until DONE or an error.
    fn one_try<T, F>(
        &mut self,
        t: &mut T,
        seq: u32,
        streaming: &mut bool,
        sink: &mut F,
    ) -> Result<TryEnd, DumpError>
    where
        T: Transport + ?Sized,
        F: FnMut(&NlMsg<&[u8]>) -> Result<(), DumpError>,
    {
        self.held.clear();
        if self.buf.len() < MIN_BUF {
            self.buf.resize(MIN_BUF, 0);
        }
        let (mut intr, mut filtered) = (false, false);
        loop {
            let got = t.recv(&mut self.buf)?;
            if got.len == 0 {
                return Err(DumpError::Eof);
            }
            if got.sender != 0 {
                continue; // not from the kernel: never trust it
            }
            if got.truncated(self.buf.len()) {
                return Ok(TryEnd::Truncated(got.len));
            }
            let port = t.port_id();
            let held = &mut self.held;
            for msg in Messages::new(&self.buf[..got.len]) {
                let msg = msg?;
                if msg.seq() != seq || msg.port_id() != port {
                    continue; // a stray reply to some other request
                }
                intr |= msg.flags() & NLM_F_DUMP_INTR != 0;
                filtered |= msg.flags() & NLM_F_DUMP_FILTERED != 0;
                match msg.kind() {
                    NLMSG_DONE => {
                        let done = ErrorMsg::parse_done(msg.payload(), msg.flags());
                        check_errno(&done)?;
                        return Ok(TryEnd::Done { intr, filtered });
                    }
                    NLMSG_ERROR => {
                        let err = ErrorMsg::parse(msg.payload(), msg.flags())?;
                        check_errno(&err)?;
                        // An ACK inside a dump carries nothing for us.
                    }
                    k if k < NLMSG_MIN_TYPE => {} // NOOP, OVERRUN, reserved
                    _ if *streaming => sink(&msg)?,
                    _ => {
                        held.extend_from_slice(msg.as_bytes());
                        held.resize(align4(held.len()), 0);
                        if held.len() > self.options.hold_limit {
                            *streaming = true;
                            release(held, sink)?;
                        }
                    }
                }
            }
        }
    }
}

/// Pass every held message to `sink` and forget them.
fn release<F>(held: &mut Vec<u8>, sink: &mut F) -> Result<(), DumpError>
where
    F: FnMut(&NlMsg<&[u8]>) -> Result<(), DumpError>,
{
    for msg in Messages::new(held) {
        sink(&msg?)?;
    }
    held.clear();
    Ok(())
}

/// Turn a negative error field into [`DumpError::Kernel`].
fn check_errno(msg: &ErrorMsg<'_>) -> Result<(), DumpError> {
    if msg.error >= 0 {
        return Ok(());
    }
    Err(DumpError::Kernel {
        errno: msg.error.saturating_neg(),
        ext_ack: msg.ext_text().map(str::to_owned),
    })
}
