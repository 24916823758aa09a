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
//!
//! # Dump links in ten lines of Rust
//!
//! Open a socket, build an RTM_GETLINK dump request, and let [`Dumper`]
//! run the contract above; each link arrives as one checked message.
//! Reading links needs no privilege and changes nothing.
//!
//! ```
//! use nlq::dump::{DumpOptions, Dumper, Live};
//! use nlq::model::link::Link;
//! use nlq::sock::{NETLINK_ROUTE, Socket};
//! use nlq::wire::ifinfomsg::{IfInfoMsgRepr, RTM_GETLINK};
//! use nlq::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, RequestBuilder};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut live = Live::new(Socket::open(NETLINK_ROUTE)?);
//! let mut buf = [0u8; 32]; // nlmsghdr (16) + ifinfomsg (16)
//! let request = RequestBuilder::new(&mut buf, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0)
//!     .fixed(&IfInfoMsgRepr::default().emit()) // family 0: every link
//!     .finish()?;
//! let mut names = Vec::new();
//! Dumper::new(DumpOptions::default()).dump(&mut live, request, |msg| {
//!     if let Some(link) = Link::from_msg(msg) {
//!         println!("{} {}", link.index, link.name);
//!         names.push(link.name);
//!     }
//!     Ok(())
//! })?;
//! assert!(names.iter().any(|n| n == "lo"), "every namespace has lo");
//! # Ok(())
//! # }
//! ```

pub mod ahead;
pub mod reconcile;
pub mod request;
pub mod script;
pub mod tap;

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
    /// Subscribe to multicast `groups` (RTNLGRP_*), so that their events
    /// arrive among the replies, in the order the kernel queued both
    /// ([`reconcile`]); `join` false leaves them. A transport that cannot
    /// (a scripted one by default) says `Unsupported`; a replay succeeds:
    /// the events it recorded are in its stream.
    fn subscribe(&mut self, _groups: &[u32], _join: bool) -> io::Result<()> {
        Err(io::ErrorKind::Unsupported.into())
    }
}

/// A boxed transport is a transport: the choice between them can be made
/// at run time.
impl<T: Transport + ?Sized> Transport for Box<T> {
    fn port_id(&self) -> u32 {
        (**self).port_id()
    }
    fn next_seq(&mut self) -> u32 {
        (**self).next_seq()
    }
    fn strict(&self) -> bool {
        (**self).strict()
    }
    fn send(&mut self, request: &[u8]) -> io::Result<()> {
        (**self).send(request)
    }
    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Recv> {
        (**self).recv(buf)
    }
    fn subscribe(&mut self, groups: &[u32], join: bool) -> io::Result<()> {
        (**self).subscribe(groups, join)
    }
}

/// The first sequence number of a live socket: from the clock, as
/// iproute2 does, so replies to an earlier process are not mistaken.
fn first_seq() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as u32)
        .unwrap_or(1)
}

/// A live socket with a sequence counter.
#[derive(Debug)]
pub struct Live {
    sock: Socket,
    seq: u32,
}

impl Live {
    /// Wrap an open socket.
    pub fn new(sock: Socket) -> Self {
        Live {
            sock,
            seq: first_seq(),
        }
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
    fn subscribe(&mut self, groups: &[u32], join: bool) -> io::Result<()> {
        self.sock.subscribe(groups, join, reconcile::RCVBUF)
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
    Wire(wire::Error),
    /// The transport closed (a 0-byte read, or the end of a capture).
    #[error("netlink transport closed before the dump was done")]
    Eof,
    /// Sending or receiving failed (the text names the source).
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The sink refused a message (writing output failed, decode error).
    #[error(transparent)]
    Sink(Box<dyn std::error::Error + Send + Sync>),
}

// Written out rather than `#[from]`, which would also make the wire error
// the `source` and print its text twice.
impl From<wire::Error> for DumpError {
    fn from(e: wire::Error) -> Self {
        DumpError::Wire(e)
    }
}

impl DumpError {
    /// Wrap an error raised by a sink (the consumer of dump messages).
    pub fn sink(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        DumpError::Sink(e.into())
    }
}

fn kernel_text(errno: i32, ext_ack: Option<&str>) -> String {
    let base = crate::error::os_text(&io::Error::from_raw_os_error(errno));
    match ext_ack {
        Some(text) => format!("{base}: {text}"),
        None => base,
    }
}

/// Where a dump's data messages go, each once, in order.
///
/// A plain sink ([`Plain`]: any closure) writes what it takes at once, so
/// the dumper holds a try's messages back until its DONE says it was
/// consistent, and only then passes them on: for a dump under the hold
/// limit, nlq's decoding and printing wait for the kernel's last datagram.
/// A *speculative* sink renders each message as it arrives and holds its
/// own output back instead ([`Sink::holding`] is `Some`): nlq's work then
/// overlaps the kernel's, and the dumper tells the sink when its output
/// is final ([`Sink::commit`]) or must be forgotten ([`Sink::rollback`]).
pub trait Sink<E> {
    /// Take one message.
    fn take(&mut self, msg: &NlMsg<&[u8]>) -> Result<(), E>;
    /// For a speculative sink, the bytes of output it holds back; `None`
    /// for a plain one.
    fn holding(&self) -> Option<usize>;
    /// What the sink holds is final: write it out, and write what it takes
    /// from now on at once.
    fn commit(&mut self) -> Result<(), E>;
    /// Forget everything taken since the last commit, as if it had never
    /// come: the try is being retried, has failed, or is being answered
    /// another way. Called only before any commit.
    fn rollback(&mut self);
}

/// A closure as a plain [`Sink`].
pub struct Plain<F>(pub F);

impl<E, F: FnMut(&NlMsg<&[u8]>) -> Result<(), E>> Sink<E> for Plain<F> {
    fn take(&mut self, msg: &NlMsg<&[u8]>) -> Result<(), E> {
        (self.0)(msg)
    }
    fn holding(&self) -> Option<usize> {
        None
    }
    fn commit(&mut self) -> Result<(), E> {
        Ok(())
    }
    fn rollback(&mut self) {}
}

/// Tuning for [`Dumper::dump`].
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

/// A check a dump's messages must pass for the dump to count as
/// consistent, beyond the kernel's own NLM_F_DUMP_INTR: a failed check
/// makes the try count as interrupted. It sees every data message of a try
/// as it arrives, before anything is passed on.
///
/// nlq's route dumps use one to catch IPv6 routes the kernel repeats
/// within one dump without flagging it.
pub trait Consistency {
    /// A new try begins: forget what the last one saw.
    fn restart(&mut self);
    /// Whether `msg` is still consistent with the messages before it.
    fn admit(&mut self, msg: &NlMsg<&[u8]>) -> bool;
    /// Whether the try is still consistent after `msg`, a message from
    /// the kernel that is not this dump's (an event, when the socket is
    /// subscribed to the dumped kind's groups).
    fn event(&mut self, _msg: &NlMsg<&[u8]>) -> bool {
        true
    }
}

/// No check beyond the kernel's own flag.
#[derive(Debug, Clone, Copy, Default)]
pub struct KernelFlagOnly;

impl Consistency for KernelFlagOnly {
    fn restart(&mut self) {}
    fn admit(&mut self, _: &NlMsg<&[u8]>) -> bool {
        true
    }
}

/// Reusable state for dumps: the receive buffer and the hold-back buffer.
#[derive(Debug, Default)]
pub struct Dumper {
    buf: Vec<u8>,
    held: Vec<u8>,
    warnings: Vec<String>,
    /// A reconciled dump gave its best answer, not a confirmed one.
    inconsistent: bool,
    /// Tuning.
    pub options: DumpOptions,
}

/// How one try of a dump ended.
enum TryEnd {
    Done { intr: bool, filtered: bool },
    Truncated(usize),
}

/// The state of one try while its messages arrive.
struct Try<'c, C: ?Sized> {
    seq: u32,
    intr: bool,
    filtered: bool,
    streaming: bool,
    check: &'c mut C,
}

impl Dumper {
    /// A dumper with the given options.
    pub fn new(options: DumpOptions) -> Self {
        Dumper {
            options,
            ..Dumper::default()
        }
    }

    /// Warnings the kernel attached to successful replies (extended-ACK
    /// text on an ACK or a DONE of 0), taken once.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Whether a dump since the last call answered with its best state
    /// rather than a confirmed one ([`reconcile`]): the run's output may
    /// be inconsistent (exit code 3), and a warning says why.
    pub fn take_inconsistent(&mut self) -> bool {
        std::mem::take(&mut self.inconsistent)
    }

    /// Run the dump `request` over `t`, passing each data message (types
    /// from NLMSG_MIN_TYPE up) to `sink`, in order, once.
    ///
    /// The request's sequence number is replaced by `t.next_seq()`.
    pub fn dump<T, F>(&mut self, t: &mut T, request: &[u8], sink: F) -> Result<DumpStats, DumpError>
    where
        T: Transport + ?Sized,
        F: FnMut(&NlMsg<&[u8]>) -> Result<(), DumpError>,
    {
        self.dump_checked(t, request, &mut KernelFlagOnly, sink)
    }

    /// [`Dumper::dump`] for a sink with an error type of its own: the
    /// dump's own failures come back as `E` too (through `From`), so the
    /// caller sees one error type.
    ///
    /// ```
    /// use nlq::dump::{DumpError, Dumper};
    /// use nlq::dump::script::{Scripted, Step, message};
    /// # const DONE: u16 = 3;
    ///
    /// #[derive(Debug)]
    /// enum Mine { Dump(DumpError), TooMany }
    /// impl From<DumpError> for Mine {
    ///     fn from(e: DumpError) -> Self { Mine::Dump(e) }
    /// }
    ///
    /// // A kernel that answers with one route and DONE.
    /// let reply = [message(24, 2, 1, &[0; 12]), message(DONE, 2, 1, &[0; 4])].concat();
    /// let mut t = Scripted::new([Step::Datagram { sender: 0, bytes: reply }]);
    /// let r = Dumper::default().dump_with(&mut t, &[0; 16], |_| Err(Mine::TooMany));
    /// assert!(matches!(r, Err(Mine::TooMany)));
    /// ```
    pub fn dump_with<T, E, F>(&mut self, t: &mut T, request: &[u8], sink: F) -> Result<DumpStats, E>
    where
        T: Transport + ?Sized,
        E: From<DumpError>,
        F: FnMut(&NlMsg<&[u8]>) -> Result<(), E>,
    {
        self.checked_with(t, request, &mut KernelFlagOnly, &mut Plain(sink))
    }

    /// [`Dumper::dump`], with `check` as a further test of consistency.
    pub fn dump_checked<T, C, F>(
        &mut self,
        t: &mut T,
        request: &[u8],
        check: &mut C,
        sink: F,
    ) -> Result<DumpStats, DumpError>
    where
        T: Transport + ?Sized,
        C: Consistency + ?Sized,
        F: FnMut(&NlMsg<&[u8]>) -> Result<(), DumpError>,
    {
        self.checked_with(t, request, check, &mut Plain(sink))
    }

    /// [`Dumper::dump_checked`] for any [`Sink`], with an error type of
    /// its own.
    pub(crate) fn checked_with<T, C, E, K>(
        &mut self,
        t: &mut T,
        request: &[u8],
        check: &mut C,
        sink: &mut K,
    ) -> Result<DumpStats, E>
    where
        T: Transport + ?Sized,
        C: Consistency + ?Sized,
        E: From<DumpError>,
        K: Sink<E> + ?Sized,
    {
        let mut req = request.to_vec();
        for tries in 1.. {
            let seq = t.next_seq();
            if let Some(s) = req.get_mut(8..12) {
                s.copy_from_slice(&seq.to_ne_bytes());
            }
            t.send(&req).map_err(DumpError::from)?;
            check.restart();
            let mut state = Try {
                seq,
                intr: false,
                filtered: false,
                streaming: false,
                check: &mut *check,
            };
            let end = self.one_try(t, &mut state, sink);
            let streamed = state.streaming;
            // A try that ends here without a clean DONE leaves nothing
            // behind in a speculative sink (see Sink::rollback).
            if !streamed && !matches!(end, Ok(TryEnd::Done { intr: false, .. })) {
                sink.rollback();
            }
            let end = end?;
            let out_of_tries = tries >= self.options.tries;
            match end {
                TryEnd::Truncated(len) => {
                    // The datagram is gone; a bigger buffer and a fresh dump
                    // recover it, unless some of this try was already shown.
                    // A fresh zeroed allocation: cheap pages from the
                    // system, where resize would write every byte.
                    self.buf = vec![0; align4(len).max(self.buf.len() * 2)];
                    if streamed || tries >= self.options.tries + 2 {
                        return Err(DumpError::Interrupted {
                            output_started: streamed,
                        }
                        .into());
                    }
                }
                TryEnd::Done { intr: true, .. } if streamed || out_of_tries => {
                    return Err(DumpError::Interrupted {
                        output_started: streamed,
                    }
                    .into());
                }
                TryEnd::Done { intr: true, .. } => {}
                TryEnd::Done {
                    intr: false,
                    filtered,
                } => {
                    release(&mut self.held, sink)?;
                    sink.commit()?;
                    // A big hold-back goes back to the system rather than
                    // stay resident while the caller decodes and prints.
                    if self.held.capacity() > MIN_BUF {
                        self.held = Vec::new();
                    }
                    return Ok(DumpStats {
                        filtered,
                        tries,
                        streamed,
                    });
                }
            }
        }
        unreachable!("the loop above returns")
    }

    /// One request's worth of replies, until DONE or an error.
    fn one_try<T, C, E, K>(
        &mut self,
        t: &mut T,
        st: &mut Try<'_, C>,
        sink: &mut K,
    ) -> Result<TryEnd, E>
    where
        T: Transport + ?Sized,
        C: Consistency + ?Sized,
        E: From<DumpError>,
        K: Sink<E> + ?Sized,
    {
        self.held.clear();
        if self.buf.len() < MIN_BUF {
            self.buf = vec![0; MIN_BUF]; // zeroed pages, no byte-by-byte fill
        }
        loop {
            let got = recv_from_kernel(t, &mut self.buf)?;
            if got.truncated(self.buf.len()) {
                return Ok(TryEnd::Truncated(got.len));
            }
            let port = t.port_id();
            for msg in Messages::new(&self.buf[..got.len]) {
                let msg = msg.map_err(DumpError::from)?;
                if msg.seq() != st.seq || msg.port_id() != port {
                    // A stray reply to some other request, or an event.
                    st.intr |= !st.check.event(&msg);
                    continue;
                }
                st.intr |= msg.flags() & NLM_F_DUMP_INTR != 0;
                st.filtered |= msg.flags() & NLM_F_DUMP_FILTERED != 0;
                let done = match msg.kind() {
                    NLMSG_DONE => Some(
                        ErrorMsg::parse_done(msg.payload(), msg.flags())
                            .map_err(DumpError::from)?,
                    ),
                    NLMSG_ERROR => {
                        // An ACK inside a dump carries nothing but maybe a warning.
                        let e =
                            ErrorMsg::parse(msg.payload(), msg.flags()).map_err(DumpError::from)?;
                        if events_crowded_out(&e) {
                            st.intr = true;
                        } else {
                            note(&mut self.warnings, &e)?;
                        }
                        None
                    }
                    k if k < NLMSG_MIN_TYPE => None, // NOOP, OVERRUN, reserved
                    _ => {
                        st.intr |= !st.check.admit(&msg);
                        let limit = self.options.hold_limit;
                        pass(&mut self.held, limit, st, &msg, sink)?;
                        None
                    }
                };
                if let Some(done) = done {
                    note(&mut self.warnings, &done)?;
                    return Ok(TryEnd::Done {
                        intr: st.intr,
                        filtered: st.filtered,
                    });
                }
            }
        }
    }
}

/// Pass one data message on: to the sink at once when the try streams or
/// the sink holds its own output back, else into `held`; past `limit`
/// bytes held either way, the try streams from here on.
fn pass<C, E, K>(
    held: &mut Vec<u8>,
    limit: usize,
    st: &mut Try<'_, C>,
    msg: &NlMsg<&[u8]>,
    sink: &mut K,
) -> Result<(), E>
where
    C: ?Sized,
    E: From<DumpError>,
    K: Sink<E> + ?Sized,
{
    if st.streaming {
        return sink.take(msg);
    }
    let bytes = match sink.holding() {
        Some(_) => {
            sink.take(msg)?;
            sink.holding().unwrap_or(0)
        }
        None => {
            hold(held, msg);
            held.len()
        }
    };
    if bytes > limit {
        st.streaming = true;
        release(held, sink)?;
        sink.commit()?;
    }
    Ok(())
}

/// The next datagram from the kernel into `buf`: EINTR is retried,
/// datagrams from any other sender are dropped unread (another process can
/// write to our port: never trust it), and a 0-byte read is the end.
/// ENOBUFS says multicast events were dropped, never a dump's replies
/// (the kernel waits for room for those): a dump reads on.
fn recv_from_kernel<T: Transport + ?Sized>(
    t: &mut T,
    buf: &mut Vec<u8>,
) -> Result<Recv, DumpError> {
    loop {
        if let Some(got) = recv_from_kernel_or_loss(t, buf)? {
            return Ok(got);
        }
    }
}

/// [`recv_from_kernel`], but `None` when events were lost (ENOBUFS).
fn recv_from_kernel_or_loss<T: Transport + ?Sized>(
    t: &mut T,
    buf: &mut Vec<u8>,
) -> Result<Option<Recv>, DumpError> {
    if buf.len() < MIN_BUF {
        *buf = vec![0; MIN_BUF];
    }
    loop {
        match t.recv(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => return Ok(None),
            Err(e) => return Err(e.into()),
            Ok(got) if got.len == 0 => return Err(DumpError::Eof),
            Ok(got) if got.sender != 0 => continue,
            Ok(got) => return Ok(Some(got)),
        }
    }
}

/// Keep a copy of `msg`, padded, for release after a consistent DONE.
fn hold(held: &mut Vec<u8>, msg: &NlMsg<&[u8]>) {
    held.extend_from_slice(msg.as_bytes());
    held.resize(align4(held.len()), 0);
}

/// An error field: negative is [`DumpError::Kernel`]; zero with
/// extended-ACK text is a warning worth passing on.
fn note(warnings: &mut Vec<String>, msg: &ErrorMsg<'_>) -> Result<(), DumpError> {
    check_errno(msg)?;
    if let Some(text) = msg.ext_text() {
        warnings.push(text.to_string());
    }
    Ok(())
}

/// Whether an error answer is ENOBUFS: on a socket subscribed to events,
/// the dump could not start because events filled the receive queue. The
/// kernel keeps the dump and goes on with it as the queue is read
/// (netlink_dump from netlink_recvmsg), so its replies and DONE still
/// come; what was lost were events.
fn events_crowded_out(msg: &ErrorMsg<'_>) -> bool {
    msg.error == -libc::ENOBUFS
}

/// Pass every held message to `sink` and forget them.
fn release<E, K>(held: &mut Vec<u8>, sink: &mut K) -> Result<(), E>
where
    E: From<DumpError>,
    K: Sink<E> + ?Sized,
{
    for msg in Messages::new(held) {
        sink.take(&msg.map_err(DumpError::from)?)?;
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

#[cfg(test)]
mod tests {
    //! The dump loop driven by a scripted fake transport.

    use super::script::{Scripted, Step, message as msg};
    use super::*;

    const MULTI: u16 = crate::wire::nlmsg::NLM_F_MULTI;
    const DATA: u16 = 24; // RTM_NEWROUTE

    fn kernel(parts: &[Vec<u8>]) -> Step {
        Step::Datagram {
            sender: 0,
            bytes: parts.concat(),
        }
    }

    fn done(seq: u32, flags: u16) -> Vec<u8> {
        msg(NLMSG_DONE, MULTI | flags, seq, &0i32.to_ne_bytes())
    }

    fn run(
        fake: &mut Scripted,
        options: DumpOptions,
    ) -> (Result<DumpStats, DumpError>, Vec<Vec<u8>>) {
        let mut got = Vec::new();
        let req = msg(DATA + 2, 0x301, 0, &[0; 12]);
        let r = Dumper::new(options).dump(fake, &req, |m| {
            got.push(m.payload().to_vec());
            Ok(())
        });
        (r, got)
    }

    fn script(steps: Vec<Step>) -> Scripted {
        Scripted {
            steps: steps.into(),
            ..Default::default()
        }
    }

    #[test]
    fn collects_until_done_and_sets_seq() {
        let mut f = script(vec![
            kernel(&[msg(DATA, MULTI, 1, b"a"), msg(DATA, MULTI, 1, b"b")]),
            kernel(&[msg(DATA, MULTI, 1, b"c"), done(1, 0)]),
        ]);
        let (r, got) = run(&mut f, DumpOptions::default());
        assert_eq!(
            r.unwrap(),
            DumpStats {
                filtered: false,
                tries: 1,
                streamed: false
            }
        );
        assert_eq!(got, vec![b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);
        assert_eq!(NlMsg::new_checked(&f.sent[0][..]).unwrap().seq(), 1);
        assert!(f.steps.is_empty(), "nothing awaited after DONE");
    }

    #[test]
    fn drops_foreign_senders_and_stray_seq_or_port() {
        let mut stray_port = msg(DATA, MULTI, 1, b"p");
        stray_port[12..16].copy_from_slice(&7u32.to_ne_bytes());
        let mut f = script(vec![
            Step::Datagram {
                sender: 999,
                bytes: [msg(DATA, MULTI, 1, b"x"), done(1, 0)].concat(),
            },
            kernel(&[msg(DATA, MULTI, 77, b"s"), stray_port, done(77, 0)]),
            kernel(&[msg(DATA, MULTI, 1, b"a"), done(1, 0)]),
        ]);
        let (r, got) = run(&mut f, DumpOptions::default());
        assert!(r.is_ok());
        assert_eq!(
            got,
            vec![b"a".to_vec()],
            "forged and stray messages never reach the sink"
        );
    }

    #[test]
    fn zero_byte_read_is_eof_and_success_needs_done() {
        let mut f = script(vec![kernel(&[msg(DATA, MULTI, 1, b"a")])]);
        let (r, got) = run(&mut f, DumpOptions::default());
        assert!(matches!(r, Err(DumpError::Eof)), "{r:?}");
        assert!(
            got.is_empty(),
            "held messages are not released without DONE"
        );
    }

    #[test]
    fn error_with_ext_ack_is_typed() {
        let mut payload = (-2i32).to_ne_bytes().to_vec(); // -ENOENT
        payload.extend_from_slice(&msg(26, 0x301, 1, &[])[..16]);
        payload.extend_from_slice(&[0x1c, 0, 1, 0]);
        payload.extend_from_slice(b"FIB table does not exist\0");
        payload.resize(align4(payload.len()), 0);
        let flags = crate::wire::nlmsg::NLM_F_CAPPED | crate::wire::nlmsg::NLM_F_ACK_TLVS;
        let mut f = script(vec![kernel(&[msg(NLMSG_ERROR, flags, 1, &payload)])]);
        match run(&mut f, DumpOptions::default()).0 {
            Err(DumpError::Kernel {
                errno: 2,
                ext_ack: Some(t),
            }) => {
                assert_eq!(t, "FIB table does not exist")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn done_with_error_is_reported() {
        let mut payload = (-22i32).to_ne_bytes().to_vec();
        payload.extend_from_slice(&[8, 0, 1, 0, b'n', b'o', 0, 0]);
        let flags = MULTI | crate::wire::nlmsg::NLM_F_ACK_TLVS;
        let mut f = script(vec![kernel(&[msg(NLMSG_DONE, flags, 1, &payload)])]);
        let e = run(&mut f, DumpOptions::default()).0.unwrap_err();
        assert_eq!(e.to_string(), "Invalid argument: no");
    }

    #[test]
    fn short_done_and_control_messages() {
        let mut f = script(vec![kernel(&[
            msg(crate::wire::nlmsg::NLMSG_NOOP, 0, 1, &[]),
            msg(DATA, MULTI, 1, b"a"),
            msg(crate::wire::nlmsg::NLMSG_OVERRUN, 0, 1, &[]),
            msg(9, 0, 1, &[]),              // a reserved control type
            msg(NLMSG_DONE, MULTI, 1, &[]), // DONE of 16 bytes
        ])]);
        let (r, got) = run(&mut f, DumpOptions::default());
        assert!(r.is_ok());
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn interrupted_dump_is_retried_before_output() {
        let intr = NLM_F_DUMP_INTR;
        let mut f = script(vec![
            kernel(&[msg(DATA, MULTI, 1, b"old"), done(1, intr)]),
            kernel(&[msg(DATA, MULTI | intr, 2, b"old"), done(2, 0)]),
            kernel(&[msg(DATA, MULTI, 3, b"new"), done(3, 0)]),
        ]);
        let (r, got) = run(&mut f, DumpOptions::default());
        assert_eq!(r.unwrap().tries, 3);
        assert_eq!(
            got,
            vec![b"new".to_vec()],
            "only the consistent try is shown"
        );
        assert_eq!(f.sent.len(), 3);
    }

    #[test]
    fn interrupted_every_time_gives_up_without_output() {
        let intr = NLM_F_DUMP_INTR;
        let mut f = script(
            (1..=3)
                .map(|s| kernel(&[msg(DATA, MULTI, s, b"x"), done(s, intr)]))
                .collect(),
        );
        let (r, got) = run(&mut f, DumpOptions::default());
        assert!(
            matches!(
                r,
                Err(DumpError::Interrupted {
                    output_started: false
                })
            ),
            "{r:?}"
        );
        assert!(got.is_empty());
    }

    #[test]
    fn interrupted_after_streaming_is_exit_3() {
        let intr = NLM_F_DUMP_INTR;
        let mut f = script(vec![
            kernel(&[msg(DATA, MULTI, 1, b"a"), msg(DATA, MULTI, 1, b"b")]),
            kernel(&[msg(DATA, MULTI | intr, 1, b"c"), done(1, 0)]),
        ]);
        let (r, got) = run(
            &mut f,
            DumpOptions {
                hold_limit: 8,
                tries: 3,
            },
        );
        let e = r.unwrap_err();
        assert!(matches!(
            e,
            DumpError::Interrupted {
                output_started: true
            }
        ));
        assert_eq!(
            crate::Error::from(e).exit_code(),
            crate::error::EXIT_INCONSISTENT
        );
        assert_eq!(got.len(), 3, "streamed messages were passed on in order");
    }

    #[test]
    fn truncated_datagram_grows_buffer_and_restarts() {
        let mut f = script(vec![
            Step::Cut(100_000),
            kernel(&[msg(DATA, MULTI, 2, b"a"), done(2, 0)]),
        ]);
        let mut dumper = Dumper::new(DumpOptions::default());
        let req = msg(26, 0x301, 0, &[0; 12]);
        let mut n = 0;
        let r = dumper.dump(&mut f, &req, |_| {
            n += 1;
            Ok(())
        });
        assert_eq!(r.unwrap().tries, 2);
        assert_eq!(n, 1);
        assert!(dumper.buf.len() >= 100_000);
    }

    #[test]
    fn malformed_reply_is_an_error_not_a_panic() {
        let mut bad = msg(DATA, MULTI, 1, b"a");
        bad[0..4].copy_from_slice(&3u32.to_ne_bytes()); // nlmsg_len = 3
        let mut f = script(vec![kernel(&[bad])]);
        let r = run(&mut f, DumpOptions::default()).0;
        assert!(matches!(r, Err(DumpError::Wire(_))), "{r:?}");
    }

    #[test]
    fn receive_errors_surface() {
        let mut f = script(vec![Step::Fail(io::ErrorKind::PermissionDenied)]);
        assert!(matches!(
            run(&mut f, DumpOptions::default()).0,
            Err(DumpError::Io(_))
        ));
    }

    #[test]
    fn sink_error_stops_the_dump() {
        let mut f = script(vec![kernel(&[msg(DATA, MULTI, 1, b"a"), done(1, 0)])]);
        let req = msg(26, 0x301, 0, &[0; 12]);
        let r = Dumper::default().dump(&mut f, &req, |_| {
            Err(DumpError::sink(io::Error::from(io::ErrorKind::BrokenPipe)))
        });
        let e = crate::Error::from(r.unwrap_err());
        assert!(e.is_broken_pipe());
    }

    #[test]
    fn eintr_is_retried() {
        let mut f = script(vec![
            Step::Fail(io::ErrorKind::Interrupted),
            kernel(&[msg(DATA, MULTI, 1, b"a")]),
            Step::Fail(io::ErrorKind::Interrupted),
            kernel(&[done(1, 0)]),
        ]);
        let (r, got) = run(&mut f, DumpOptions::default());
        assert_eq!(r.unwrap().tries, 1);
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn ext_ack_on_success_is_a_warning() {
        let mut payload = 0i32.to_ne_bytes().to_vec();
        payload.extend_from_slice(&[12, 0, 1, 0, b'h', b'm', b'm', b' ', b'o', b'k', 0, 0]);
        let flags = MULTI | crate::wire::nlmsg::NLM_F_ACK_TLVS;
        let mut f = script(vec![kernel(&[
            msg(DATA, MULTI, 1, b"a"),
            msg(NLMSG_DONE, flags, 1, &payload),
        ])]);
        let mut dumper = Dumper::default();
        let req = msg(26, 0x301, 0, &[0; 12]);
        dumper.dump(&mut f, &req, |_| Ok(())).unwrap();
        assert_eq!(dumper.take_warnings(), vec!["hmm ok".to_string()]);
        assert!(dumper.take_warnings().is_empty(), "taken once");
    }

    #[test]
    fn positive_error_in_done_is_malformed() {
        let mut f = script(vec![kernel(&[msg(
            NLMSG_DONE,
            MULTI,
            1,
            &7i32.to_ne_bytes(),
        )])]);
        let r = run(&mut f, DumpOptions::default()).0;
        assert!(
            matches!(r, Err(DumpError::Wire(wire::Error::PositiveErrno(7)))),
            "{r:?}"
        );
    }

    /// Rejects a message whose payload it has seen before in this try.
    #[derive(Default)]
    struct NoRepeats(Vec<Vec<u8>>);

    impl Consistency for NoRepeats {
        fn restart(&mut self) {
            self.0.clear();
        }
        fn admit(&mut self, msg: &NlMsg<&[u8]>) -> bool {
            let p = msg.payload().to_vec();
            let fresh = !self.0.contains(&p);
            self.0.push(p);
            fresh
        }
    }

    #[test]
    fn failed_consistency_check_retries_like_dump_intr() {
        let mut f = script(vec![
            kernel(&[
                msg(DATA, MULTI, 1, b"a"),
                msg(DATA, MULTI, 1, b"a"),
                done(1, 0),
            ]),
            kernel(&[
                msg(DATA, MULTI, 2, b"a"),
                msg(DATA, MULTI, 2, b"b"),
                done(2, 0),
            ]),
        ]);
        let req = msg(26, 0x301, 0, &[0; 12]);
        let mut got = Vec::new();
        let stats = Dumper::default()
            .dump_checked(&mut f, &req, &mut NoRepeats::default(), |m| {
                got.push(m.payload().to_vec());
                Ok(())
            })
            .unwrap();
        assert_eq!(stats.tries, 2);
        assert_eq!(
            got,
            vec![b"a".to_vec(), b"b".to_vec()],
            "the repeat was never shown"
        );
    }

    /// An NLMSG_ERROR payload: `error`, the echoed request's 16-byte header
    /// (seq 1, the request [`run`] sends is 28 bytes long), then `tlvs`.
    fn nlmsgerr(error: i32, tlvs: &[u8]) -> Vec<u8> {
        let mut p = error.to_ne_bytes().to_vec();
        p.extend_from_slice(&msg(DATA + 2, 0x301, 1, &[0; 12])[..16]);
        p.extend_from_slice(tlvs);
        p
    }

    const CAPPED: u16 = crate::wire::nlmsg::NLM_F_CAPPED;
    const ACK_TLVS: u16 = crate::wire::nlmsg::NLM_F_ACK_TLVS;

    #[test]
    fn error_shorter_than_nlmsgerr_is_malformed() {
        let short = &nlmsgerr(-1, &[])[..19]; // 19 of struct nlmsgerr's 20 bytes
        let mut f = script(vec![kernel(&[
            msg(DATA, MULTI, 1, b"a"),
            msg(NLMSG_ERROR, 0, 1, short),
        ])]);
        let (r, got) = run(&mut f, DumpOptions::default());
        assert!(
            matches!(
                r,
                Err(DumpError::Wire(wire::Error::Truncated {
                    what: "nlmsgerr",
                    need: 20,
                    have: 19
                }))
            ),
            "{r:?}"
        );
        assert!(got.is_empty(), "nothing is shown from a failed dump");
    }

    #[test]
    fn positive_error_in_an_error_message_is_malformed() {
        let mut f = script(vec![kernel(&[msg(NLMSG_ERROR, 0, 1, &nlmsgerr(5, &[]))])]);
        let r = run(&mut f, DumpOptions::default()).0;
        assert!(
            matches!(r, Err(DumpError::Wire(wire::Error::PositiveErrno(5)))),
            "{r:?}"
        );
    }

    #[test]
    fn capped_ack_inside_a_dump_is_skipped() {
        let mut f = script(vec![kernel(&[
            msg(DATA, MULTI, 1, b"a"),
            msg(NLMSG_ERROR, CAPPED, 1, &nlmsgerr(0, &[])), // ACK, request cut to its header
            msg(DATA, MULTI, 1, b"b"),
            done(1, 0),
        ])]);
        let mut dumper = Dumper::default();
        let req = msg(DATA + 2, 0x301, 0, &[0; 12]);
        let mut got = Vec::new();
        let stats = dumper
            .dump(&mut f, &req, |m| {
                got.push(m.payload().to_vec());
                Ok(())
            })
            .unwrap();
        assert_eq!(stats.tries, 1);
        assert_eq!(got, vec![b"a".to_vec(), b"b".to_vec()], "the ACK is no end");
        assert!(dumper.take_warnings().is_empty());
    }

    #[test]
    fn ext_ack_on_an_ack_is_a_warning() {
        #[rustfmt::skip]
        let tlvs = [
            8, 0, 1, 0, b'h', b'm', b'm', 0, // NLMSGERR_ATTR_MSG "hmm"
        ];
        let mut f = script(vec![kernel(&[
            msg(NLMSG_ERROR, CAPPED | ACK_TLVS, 1, &nlmsgerr(0, &tlvs)),
            msg(DATA, MULTI, 1, b"a"),
            done(1, 0),
        ])]);
        let mut dumper = Dumper::default();
        let req = msg(DATA + 2, 0x301, 0, &[0; 12]);
        let mut n = 0;
        dumper
            .dump(&mut f, &req, |_| {
                n += 1;
                Ok(())
            })
            .unwrap();
        assert_eq!(n, 1);
        assert_eq!(dumper.take_warnings(), vec!["hmm".to_string()]);
    }

    #[test]
    fn error_with_unterminated_ext_ack_and_offset_outside_the_request() {
        #[rustfmt::skip]
        let tlvs = [
            9, 0, 1, 0, b'b', b'a', b'd', b' ', b'x', 0, 0, 0, // MSG "bad x", no NUL; pad
            8, 0, 2, 0, 64, 0, 0, 0,    // OFFS = 64: past the 28-byte request
        ];
        let payload = nlmsgerr(-22, &tlvs);
        let mut f = script(vec![kernel(&[msg(
            NLMSG_ERROR,
            CAPPED | ACK_TLVS,
            1,
            &payload,
        )])]);
        let (r, got) = run(&mut f, DumpOptions::default());
        let e = r.unwrap_err();
        assert!(
            matches!(&e, DumpError::Kernel { errno: 22, ext_ack: Some(t) } if t == "bad x"),
            "{e:?}"
        );
        assert_eq!(e.to_string(), "Invalid argument: bad x");
        assert!(got.is_empty());
    }

    #[test]
    fn noop_overrun_and_every_reserved_type_are_skipped() {
        let mut parts = vec![msg(DATA, MULTI, 1, b"a")];
        // 0 is unassigned, 1 NOOP, 4 OVERRUN, 5..=15 reserved (below
        // NLMSG_MIN_TYPE); 2 and 3 are ERROR and DONE.
        for kind in [0, 1, 4].into_iter().chain(5..NLMSG_MIN_TYPE) {
            parts.push(msg(kind, MULTI, 1, &[0xff; 7])); // junk payload
        }
        parts.push(msg(DATA, MULTI, 1, b"b"));
        parts.push(done(1, 0));
        let mut f = script(vec![kernel(&parts)]);
        let (r, got) = run(&mut f, DumpOptions::default());
        assert_eq!(
            r.unwrap(),
            DumpStats {
                filtered: false,
                tries: 1,
                streamed: false
            }
        );
        assert_eq!(got, vec![b"a".to_vec(), b"b".to_vec()]);
    }
}

#[cfg(test)]
mod proptests;
