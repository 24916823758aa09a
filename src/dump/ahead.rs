//! Read-ahead: while nlq decodes and prints one datagram of a dump, a
//! second thread is already in `recvmsg` for the next.
//!
//! A netlink dump is filled lazily: the kernel builds the next datagram
//! inside the reader's own `recvmsg` call, in the reader's thread. With one
//! thread, the kernel's work (about half of `nlq routes --json=ip`'s time
//! on a million routes) and nlq's own work add up; with a reader thread on
//! a second core they overlap, and a dump costs the larger of the two
//! instead of their sum.
//!
//! The reader only receives. Every rule of the dump contract (sender, seq,
//! port id, errors, DONE, DUMP_INTR, truncation) is still applied by the
//! [`Dumper`](super::Dumper) on the calling thread, datagram by datagram, in
//! the order they arrived: to it, [`ReadAhead`] is a socket like any other.
//!
//! ```text
//!   reader thread:  recv ─▶ recv ─▶ recv ─▶ recv(DONE) ─▶ exit
//!                      │       │       │        │
//!   full buffers ──────▼───────▼───────▼────────▼───── (at most DEPTH queued)
//!   caller:          decode+print ─▶ decode+print ─▶ ...
//!   empty buffers ◀── swapped back for the reader to reuse
//! ```
//!
//! Buffers are swapped, never copied: the caller's buffer goes back to the
//! reader in exchange for the full one. Memory is bounded by `DEPTH + 2`
//! buffers (each touched only as far as the kernel fills it). A reader
//! runs only for dump requests (NLM_F_DUMP) and stops
//! after the datagram that holds its dump's DONE or ERROR, a receive error,
//! a cut datagram or end of file; anything received after that is read on
//! the calling thread.
//!
//! A thread is paid for only when a dump is big enough to gain from it:
//! the caller receives a dump's first three datagrams itself, and the
//! reader starts only if the dump goes on past them (and the machine has a
//! second CPU to run it on). A namespace's handful of links or routes comes
//! in one datagram and DONE, with no thread, no thread stack, no malloc
//! arena of its own, and no look at the CPU count (which reads cgroup files).

use std::io;
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};
use std::sync::{Arc, OnceLock};
use std::thread::{self, JoinHandle};

use super::Transport;
use crate::sock::{Recv, Socket};
use crate::wire::align4;
use crate::wire::nlmsg::{Messages, NLM_F_DUMP, NLMSG_DONE, NLMSG_ERROR};

/// Full buffers the reader may queue ahead of the caller. Deep enough to
/// keep the kernel busy while the caller is away for a while: the dump
/// loop's hold-back releases up to 16 MiB of routes at once, during which
/// nothing is received; 128 datagrams (about 4 MiB, the kernel fills each
/// to about 32 KiB) let the reader go on meanwhile. Measured at 950k
/// routes: `--json=ip` 0.70 s with 8, 0.66 s with 128 (RSS 20 → 24 MiB),
/// 0.59 s with 512 (RSS 30-38 MiB, past the 32 MiB the JSON output may
/// use).
const DEPTH: usize = 128;

/// The reader's buffer size at first: the kernel fills dump datagrams to
/// about 32 KiB, so 64 KiB leaves room. A cut datagram doubles it.
const FIRST_SIZE: usize = 64 << 10;

/// Datagrams of a dump the caller receives itself before a reader starts.
/// Three: the kernel builds a dump's first datagram inside the request's
/// `sendmsg`, before it knows the reader's buffer size, so it holds only
/// about 4 KiB (NLMSG_GOODSIZE); the next ones are filled to about 32 KiB;
/// and DONE comes in a datagram of its own. So a dump of up to about
/// 36 KiB (a few dozen links, hundreds of routes) ends within three.
const INLINE: usize = 3;

/// A datagram as the reader received it: the buffer and what `recvmsg`
/// reported (an error included, to be returned in order).
type Filled = (Vec<u8>, io::Result<Recv>);

/// A live socket whose dumps are received one datagram ahead on a second
/// thread.
///
/// Dropped in the middle of a dump, it does not wait: the reader finishes
/// the dump (the kernel keeps sending until DONE), finds nobody listening
/// and returns, closing its handle on the socket.
#[derive(Debug)]
pub struct ReadAhead {
    sock: Arc<Socket>,
    seq: u32,
    /// The size of the reader's buffers; grows after a cut datagram.
    size: usize,
    /// Full buffers the reader may queue ([`DEPTH`] unless set).
    depth: usize,
    reader: Option<Reader>,
    /// A dump whose request went out and whose reader has not started:
    /// its seq and the datagrams the caller has received of it.
    pending: Option<(u32, usize)>,
}

/// A running reader: full buffers come in, empty ones go back.
#[derive(Debug)]
struct Reader {
    full: Receiver<Filled>,
    empty: SyncSender<Vec<u8>>,
    thread: JoinHandle<()>,
}

impl ReadAhead {
    /// Wrap an open socket; sequence numbers start as [`super::Live`]'s do.
    pub fn new(sock: Socket) -> Self {
        ReadAhead::with_depth(sock, DEPTH)
    }

    /// Wrap an open socket, letting the reader queue at most `depth` full
    /// buffers (at least 1): a test that changes a table mid-dump keeps the
    /// reader from having read the whole dump before the change.
    pub fn with_depth(sock: Socket, depth: usize) -> Self {
        ReadAhead {
            sock: Arc::new(sock),
            seq: super::first_seq(),
            size: FIRST_SIZE,
            depth: depth.max(1),
            reader: None,
            pending: None,
        }
    }

    /// Whether reading ahead can help: it needs a second CPU. Asked once,
    /// and only when a dump is big enough to want a reader.
    fn worthwhile() -> bool {
        static CPUS: OnceLock<bool> = OnceLock::new();
        *CPUS.get_or_init(|| thread::available_parallelism().is_ok_and(|n| n.get() > 1))
    }

    /// Wait for the previous dump's reader to finish, dropping what it
    /// read: the kernel serves one dump per socket at a time, so a new
    /// request must wait for the old dump's end anyway.
    fn settle(&mut self) {
        if let Some((seq, _)) = self.pending.take() {
            // A dump still read on this thread: drain it here.
            let mut buf = vec![0; self.size];
            while !ends_dump(&self.sock.recv(&mut buf), &buf, seq, self.sock.port_id()) {}
        }
        if let Some(reader) = self.reader.take() {
            drop(reader.empty);
            while reader.full.recv().is_ok() {}
            // The reader has returned: its channel closed. A panic in it
            // (there is no code that can panic) would only lose read-ahead.
            let _ = reader.thread.join();
        }
    }

    /// Start a reader for the dump whose request carried `seq`.
    fn start(&mut self, seq: u32) -> io::Result<()> {
        let (full_tx, full) = sync_channel(self.depth);
        let (empty, empty_rx) = sync_channel(self.depth + 2);
        let job = Job {
            sock: Arc::clone(&self.sock),
            seq,
            size: self.size,
            full: full_tx,
            empty: empty_rx,
        };
        let thread = thread::Builder::new()
            .name("nlq-read-ahead".into())
            .spawn(move || job.run())?;
        self.reader = Some(Reader {
            full,
            empty,
            thread,
        });
        Ok(())
    }
}

impl Transport for ReadAhead {
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
        self.settle();
        self.sock.send(request)?;
        self.pending = dump_seq(request).map(|seq| (seq, 0));
        Ok(())
    }
    fn subscribe(&mut self, groups: &[u32], join: bool) -> io::Result<()> {
        self.sock.subscribe(groups, join, super::reconcile::RCVBUF)
    }
    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Recv> {
        let Some(reader) = &self.reader else {
            return self.recv_inline(buf);
        };
        let Ok((mut data, got)) = reader.full.recv() else {
            // The reader returned after its last datagram.
            self.settle();
            return self.sock.recv(buf);
        };
        std::mem::swap(buf, &mut data);
        // The reader may have exited; then the buffer is dropped.
        let _ = reader.empty.try_send(data);
        if let Ok(r) = &got {
            if r.truncated(buf.len()) {
                self.size = align4(r.len).max(self.size * 2);
            }
        }
        got
    }
}

impl ReadAhead {
    /// Receive on the calling thread; once a dump has gone on for
    /// [`INLINE`] datagrams, start its reader for the rest. Without a
    /// thread (one CPU, or a spawn that failed) the caller simply reads the
    /// socket itself.
    fn recv_inline(&mut self, buf: &mut [u8]) -> io::Result<Recv> {
        let got = self.sock.recv(buf);
        if let Some((seq, n)) = self.pending {
            let port = self.sock.port_id();
            self.pending = match ends_dump(&got, buf, seq, port) {
                true => None,
                false if n + 1 < INLINE => Some((seq, n + 1)),
                false => {
                    if ReadAhead::worthwhile() {
                        let _ = self.start(seq);
                    }
                    None
                }
            };
        }
        got
    }
}

/// Whether the datagram `got` put in `buf` is the last of the dump whose
/// request carried `seq` from `port`: a receive error, end of file, a cut
/// datagram, or one that holds the dump's DONE or ERROR (or is malformed:
/// the caller will stop on it).
fn ends_dump(got: &io::Result<Recv>, buf: &[u8], seq: u32, port: u32) -> bool {
    let Ok(r) = got else {
        return true;
    };
    if r.len == 0 || r.truncated(buf.len()) {
        return true;
    }
    if r.sender != 0 {
        return false; // not the kernel: not the dump
    }
    let datagram = buf.get(..r.len).unwrap_or(buf);
    Messages::new(datagram).any(|m| match m {
        Err(_) => true,
        Ok(m) => {
            m.seq() == seq && m.port_id() == port && matches!(m.kind(), NLMSG_DONE | NLMSG_ERROR)
        }
    })
}

/// The sequence number of `request` if it asks for a dump.
fn dump_seq(request: &[u8]) -> Option<u32> {
    let flags = u16::from_ne_bytes(request.get(6..8)?.try_into().ok()?);
    let seq = u32::from_ne_bytes(request.get(8..12)?.try_into().ok()?);
    (flags & NLM_F_DUMP == NLM_F_DUMP).then_some(seq)
}

/// What the reader thread owns.
struct Job {
    sock: Arc<Socket>,
    seq: u32,
    size: usize,
    full: SyncSender<Filled>,
    empty: Receiver<Vec<u8>>,
}

impl Job {
    /// Receive until the dump's last datagram, or until nobody listens.
    fn run(self) {
        loop {
            let mut buf = match self.empty.try_recv() {
                Ok(b) if b.len() >= self.size => b,
                Ok(_) | Err(TryRecvError::Empty) | Err(TryRecvError::Disconnected) => {
                    vec![0; self.size]
                }
            };
            let got = self.sock.recv(&mut buf);
            let last = ends_dump(&got, &buf, self.seq, self.sock.port_id());
            if self.full.send((buf, got)).is_err() || last {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::{Dumper, Live};
    use crate::sock::NETLINK_ROUTE;
    use crate::wire::ifinfomsg::{IfInfoMsg, IfInfoMsgRepr, RTM_GETLINK};
    use crate::wire::nlmsg::{NLM_F_REQUEST, RequestBuilder};

    /// A link dump request (reading links needs no privilege).
    fn links_request() -> Vec<u8> {
        let mut buf = [0u8; 64];
        RequestBuilder::new(&mut buf, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0)
            .fixed(&IfInfoMsgRepr::default().emit())
            .finish()
            .unwrap()
            .to_vec()
    }

    /// The interface indexes of one link dump over `t`.
    fn link_indexes(t: &mut dyn Transport, dumper: &mut Dumper) -> Vec<u32> {
        let mut got = Vec::new();
        dumper
            .dump(t, &links_request(), |msg| {
                got.push(IfInfoMsg::new_checked(msg.payload()).unwrap().index());
                Ok(())
            })
            .unwrap();
        got
    }

    #[test]
    fn read_ahead_dumps_what_a_plain_socket_dumps() {
        let mut live = Live::new(Socket::open(NETLINK_ROUTE).unwrap());
        let mut ahead = ReadAhead::new(Socket::open(NETLINK_ROUTE).unwrap());
        let mut dumper = Dumper::default();
        let want = link_indexes(&mut live, &mut dumper);
        assert!(!want.is_empty(), "every namespace has lo");
        // Twice in a row on one socket: the first reader is settled
        // before the second request goes out.
        assert_eq!(link_indexes(&mut ahead, &mut dumper), want);
        assert_eq!(link_indexes(&mut ahead, &mut dumper), want);
    }

    #[test]
    fn a_dump_abandoned_midway_does_not_block_the_next() {
        // Abandoned while read on the caller's thread, and while a reader
        // runs.
        for reader in [false, true] {
            let mut ahead = ReadAhead::new(Socket::open(NETLINK_ROUTE).unwrap());
            let mut req = links_request();
            let seq = ahead.next_seq();
            req[8..12].copy_from_slice(&seq.to_ne_bytes());
            ahead.send(&req).unwrap();
            if reader {
                ahead.pending = None;
                ahead.start(seq).unwrap();
            }
            let mut buf = vec![0; 1 << 16];
            let first = ahead.recv(&mut buf).unwrap();
            assert!(first.len > 0 && first.sender == 0);
            // The rest of that dump is never read by the caller.
            let mut dumper = Dumper::default();
            let again = link_indexes(&mut ahead, &mut dumper);
            assert!(!again.is_empty());
        }
    }

    #[test]
    fn a_cut_datagram_is_reported_and_grows_the_next_reader() {
        let mut ahead = ReadAhead::new(Socket::open(NETLINK_ROUTE).unwrap());
        ahead.size = 64; // smaller than any link message
        let mut req = links_request();
        let seq = ahead.next_seq();
        req[8..12].copy_from_slice(&seq.to_ne_bytes());
        ahead.send(&req).unwrap();
        // The reader from the first datagram on, as if past INLINE.
        ahead.pending = None;
        ahead.start(seq).unwrap();
        let mut buf = vec![0; 1 << 16];
        let got = ahead.recv(&mut buf).unwrap();
        assert!(got.truncated(buf.len()), "the caller sees the cut");
        assert_eq!(buf.len(), 64, "its buffer is the reader's");
        assert!(ahead.size >= got.len.max(128));
    }

    #[test]
    fn a_small_dump_starts_no_reader() {
        // Strict checking filters addresses by ifa_index in the kernel: no
        // link has this index, so the dump is DONE alone.
        let mut ahead = ReadAhead::new(Socket::open(NETLINK_ROUTE).unwrap());
        let mut buf = [0u8; 64];
        let seq = ahead.next_seq();
        let req = RequestBuilder::new(&mut buf, 22, NLM_F_REQUEST | NLM_F_DUMP, seq)
            .fixed(&[2, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f]) // AF_INET, ifa_index
            .finish()
            .unwrap()
            .to_vec();
        ahead.send(&req).unwrap();
        let mut rx = vec![0; 1 << 16];
        let got = ahead.recv(&mut rx).unwrap();
        let done = Messages::new(&rx[..got.len]).any(|m| m.unwrap().kind() == NLMSG_DONE);
        assert!(done, "the dump ends in its first datagram");
        assert!(ahead.reader.is_none() && ahead.pending.is_none());
    }

    #[test]
    fn only_dump_requests_are_read_ahead() {
        let mut buf = [0u8; 64];
        let dump = RequestBuilder::new(&mut buf, 18, NLM_F_REQUEST | NLM_F_DUMP, 7)
            .fixed(&[0; 16])
            .finish()
            .unwrap()
            .to_vec();
        assert_eq!(dump_seq(&dump), Some(7));
        let get = RequestBuilder::new(&mut buf, 26, NLM_F_REQUEST, 9)
            .fixed(&[0; 12])
            .finish()
            .unwrap()
            .to_vec();
        assert_eq!(dump_seq(&get), None);
        assert_eq!(dump_seq(&[1, 2, 3]), None);
    }
}
