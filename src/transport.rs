//! Transports besides the live socket: `--capture` records every datagram
//! of a live session to a pcap file; `--replay` plays one back, so a
//! command renders from a file exactly as it rendered from the kernel.

use std::fs::File;
use std::io::{self, BufReader, BufWriter};
use std::path::Path;

use crate::dump::tap::{Observer, Tap};
use crate::dump::{Live, Transport};
use crate::pcap::{Direction, PcapReader, PcapWriter};
use crate::sock::Recv;
use crate::wire::nlmsg::NlMsg;

/// Records a live session to a pcap file: with [`Tap`], `--capture`.
#[derive(Debug)]
pub struct Recorder {
    pcap: PcapWriter<BufWriter<File>>,
    /// The socket's netlink protocol, written as each record's sll_protocol.
    protocol: u16,
}

/// A live transport that also writes every datagram to a pcap file.
pub type Capture<T = Live> = Tap<T, Recorder>;

impl Recorder {
    /// Watch `live`, a socket of netlink `protocol` (NETLINK_ROUTE,
    /// NETLINK_GENERIC), recording to a new file at `path`.
    pub fn tap<T: Transport>(live: T, path: &Path, protocol: i32) -> io::Result<Capture<T>> {
        let pcap = PcapWriter::new(BufWriter::new(File::create(path)?))?;
        Ok(Tap {
            inner: live,
            observer: Recorder {
                pcap,
                // Netlink protocols are below MAX_LINKS (32).
                protocol: protocol as u16,
            },
        })
    }

    /// Flush the capture file.
    pub fn finish(self) -> io::Result<()> {
        self.pcap
            .into_inner()?
            .into_inner()
            .map_err(|e| e.into_error())?;
        Ok(())
    }
}

/// How a capture records that the kernel dropped events (ENOBUFS on a
/// subscribed socket, which is no datagram): an NLMSG_ERROR of -ENOBUFS
/// from the kernel with sequence number and port id 0, which Wireshark
/// shows as what it is and a replay turns back into the error.
fn overrun_marker() -> Vec<u8> {
    let mut m = Vec::with_capacity(36);
    m.extend_from_slice(&36u32.to_ne_bytes()); // nlmsg_len: header + nlmsgerr
    m.extend_from_slice(&crate::wire::nlmsg::NLMSG_ERROR.to_ne_bytes());
    m.extend_from_slice(&[0; 10]); // flags, seq 0, port id 0
    m.extend_from_slice(&(-libc::ENOBUFS).to_ne_bytes());
    m.extend_from_slice(&[0; 16]); // the request's header: there was none
    m
}

impl Observer for Recorder {
    fn lost(&mut self) -> io::Result<()> {
        let marker = overrun_marker();
        self.pcap
            .write(Direction::FromKernel, self.protocol, &marker)
    }

    fn sent(&mut self, request: &[u8]) -> io::Result<()> {
        self.pcap.write(Direction::ToKernel, self.protocol, request)
    }

    fn received(&mut self, datagram: &[u8], got: Recv) -> io::Result<()> {
        // Only datagrams from the kernel are worth replaying; a cut one is
        // recorded as far as it was read (the dump loop restarts after it).
        if got.sender != 0 {
            return Ok(());
        }
        self.pcap
            .write(Direction::FromKernel, self.protocol, datagram)
    }
}

/// One datagram read ahead from the capture.
#[derive(Debug)]
struct Pending {
    to_kernel: bool,
    data: Vec<u8>,
}

/// A transport that answers requests from a capture file.
///
/// Each request nlq sends is matched to the next request in the capture
/// (same message type), and the datagrams recorded after it are delivered
/// as the kernel's replies, with the sequence number and port id they were
/// recorded with. A capture that runs out, or whose next request differs,
/// is an error naming the file: replay never invents data.
#[derive(Debug)]
pub struct Replay {
    reader: PcapReader<BufReader<File>>,
    path: String,
    ahead: Option<Pending>,
    port: u32,
    /// The sequence number of the last request replayed: the replies
    /// carry it, events (recorded among them) do not.
    seq: u32,
    /// Whether a reply to that request has told our port id yet.
    port_known: bool,
    /// Whether that request asked for a dump (NLM_F_DUMP).
    dump: bool,
    /// The netlink protocol replayed; records of others are skipped.
    protocol: u16,
    /// The protocol of the last record skipped, to name in an error.
    skipped: Option<u16>,
}

impl Replay {
    /// Open the capture at `path` and check its header; only its records
    /// of netlink `protocol` (the command's) are replayed.
    pub fn open(path: &Path, protocol: i32) -> Result<Self, crate::Error> {
        let name = path.display().to_string();
        let file = File::open(path).map_err(|e| crate::Error::Replay {
            path: name.clone(),
            what: crate::error::os_text(&e),
        })?;
        let reader =
            PcapReader::new(BufReader::new(file)).map_err(|error| crate::Error::Capture {
                path: name.clone(),
                error,
            })?;
        Ok(Replay {
            reader,
            path: name,
            ahead: None,
            port: 0,
            seq: 0,
            port_known: false,
            dump: false,
            protocol: protocol as u16,
            skipped: None,
        })
    }

    fn err(&self, what: impl std::fmt::Display) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, format!("{}: {what}", self.path))
    }

    /// The next netlink datagram of the file, read ahead once. Records of
    /// other netlink families are skipped in a loop: a capture from
    /// `tcpdump -i nlmon0` may hold millions of them (issue 17: skipping
    /// by recursion overflowed the stack).
    fn peek(&mut self) -> io::Result<Option<&Pending>> {
        while self.ahead.is_none() {
            match self.reader.next_record() {
                Ok(Some(rec)) if rec.family == self.protocol => {
                    let to_kernel = match rec.dir {
                        Direction::ToKernel => true,
                        Direction::FromKernel => false,
                        Direction::Unknown => Direction::guess(rec.data) == Direction::ToKernel,
                    };
                    self.ahead = Some(Pending {
                        to_kernel,
                        data: rec.data.to_vec(),
                    });
                }
                Ok(Some(rec)) => self.skipped = Some(rec.family),
                Ok(None) => return Ok(None),
                Err(e) => return Err(self.err(e)),
            }
        }
        Ok(self.ahead.as_ref())
    }

    /// What comes next in the capture: `None` at its end, `Some(true)`
    /// for a recorded request, `Some(false)` for a datagram from the
    /// kernel (`nlq monitor` replays events until a request, which marks
    /// where the live monitor resynchronised).
    pub fn at_request(&mut self) -> io::Result<Option<bool>> {
        Ok(self.peek()?.map(|p| p.to_kernel))
    }

    /// Learn our port id from the replies to the last request: those carry
    /// its sequence number. Events recorded among them (a subscribed dump)
    /// carry whoever made the change, and `ip`'s sequence numbers, which
    /// come from the clock as nlq's do, can be the same: a dump reply is
    /// told by NLM_F_MULTI (or DONE, ERROR); a lone answer (`route get`)
    /// by being the first with the number (no event comes unless a dump
    /// subscribed).
    fn learn_port(&mut self, datagram: &[u8]) {
        use crate::wire::nlmsg::{Messages, NLM_F_MULTI, NLMSG_DONE, NLMSG_ERROR};
        let ours = |m: &NlMsg<&[u8]>| m.seq() == self.seq;
        let reply = |m: &NlMsg<&[u8]>| {
            ours(m)
                && (m.flags() & NLM_F_MULTI != 0 || matches!(m.kind(), NLMSG_DONE | NLMSG_ERROR))
        };
        let msgs = || Messages::new(datagram).map_while(Result::ok);
        if let Some(m) = msgs().find(|m| reply(m)) {
            self.port = m.port_id();
            self.port_known = true;
        } else if !self.port_known && !self.dump {
            if let Some(m) = msgs().find(|m| ours(m)) {
                self.port = m.port_id();
                self.port_known = true;
            }
        }
    }

    /// Skip recorded replies until the next recorded request.
    fn next_request(&mut self) -> io::Result<Option<&Pending>> {
        while let Some(p) = self.peek()? {
            if p.to_kernel {
                break;
            }
            self.ahead = None;
        }
        self.peek()
    }
}

impl Transport for Replay {
    fn port_id(&self) -> u32 {
        self.port
    }

    fn next_seq(&mut self) -> u32 {
        match self.next_request() {
            Ok(Some(p)) => NlMsg::new_checked(&p.data[..])
                .map(|m| m.seq())
                .unwrap_or(0),
            _ => 0,
        }
    }

    fn strict(&self) -> bool {
        true
    }

    /// The events the live run received are in the capture, where they
    /// came: nothing to join.
    fn subscribe(&mut self, _groups: &[u32], _join: bool) -> io::Result<()> {
        Ok(())
    }

    fn send(&mut self, request: &[u8]) -> io::Result<()> {
        let Some(p) = self.next_request()? else {
            return Err(match self.skipped {
                Some(other) => self.err(format!(
                    "the capture was made by another command: it holds {} datagrams, \
                     this command speaks {}",
                    protocol_name(other),
                    protocol_name(self.protocol)
                )),
                None => self.err("the capture has no more requests for this command"),
            });
        };
        if !same_request(&p.data, request) {
            let kind = |b: &[u8]| NlMsg::new_checked(b).map(|m| m.kind()).unwrap_or(0);
            let (recorded, ours) = (kind(&p.data), kind(request));
            let why = match recorded == ours {
                true => format!("has other flags or attributes (both type {ours})"),
                false => format!("(type {recorded}) differs from this command's (type {ours})"),
            };
            return Err(self.err(format!(
                "the capture was made by another command: its next request {why}"
            )));
        }
        use crate::wire::nlmsg::NLM_F_DUMP;
        let head = NlMsg::new_checked(&p.data[..])
            .map(|m| (m.seq(), m.flags() & NLM_F_DUMP == NLM_F_DUMP))
            .ok();
        if let Some((seq, dump)) = head {
            (self.seq, self.dump, self.port_known) = (seq, dump, false);
        }
        self.ahead = None;
        Ok(())
    }

    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Recv> {
        if self.peek()?.is_some_and(|p| p.to_kernel) {
            return Err(self.err("the capture's reply ends before its DONE"));
        }
        let Some(p) = self.ahead.take() else {
            return Err(self.err("the capture ends before the reply does"));
        };
        if p.data == overrun_marker() {
            return Err(io::Error::from_raw_os_error(libc::ENOBUFS));
        }
        self.learn_port(&p.data);
        // A recorded datagram is whole: grow the buffer rather than cut it.
        if buf.len() < p.data.len() {
            buf.resize(p.data.len(), 0);
        }
        buf[..p.data.len()].copy_from_slice(&p.data);
        Ok(Recv {
            len: p.data.len(),
            sender: 0,
        })
    }
}

/// A netlink protocol as linux/netlink.h names it, else its number.
fn protocol_name(protocol: u16) -> String {
    match i32::from(protocol) {
        crate::sock::NETLINK_ROUTE => "NETLINK_ROUTE".to_string(),
        crate::sock::NETLINK_GENERIC => "NETLINK_GENERIC".to_string(),
        n => format!("netlink protocol {n}"),
    }
}

/// Whether two requests are the same but for their sequence number and
/// port id (nlmsghdr bytes 8..16), which differ from run to run.
fn same_request(recorded: &[u8], request: &[u8]) -> bool {
    const SEQ_AND_PID: std::ops::Range<usize> = 8..16;
    recorded.len() == request.len()
        && recorded.len() >= SEQ_AND_PID.end
        && recorded[..SEQ_AND_PID.start] == request[..SEQ_AND_PID.start]
        && recorded[SEQ_AND_PID.end..] == request[SEQ_AND_PID.end..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::script::{Scripted, Step, message};
    use crate::sock::{NETLINK_GENERIC, NETLINK_ROUTE};

    /// Record one exchange of `protocol` to a temporary file.
    fn record(protocol: i32, tag: &str) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!("nlq-unit-{}-{tag}", std::process::id()));
        let answer = message(0x10, 0, 1, &[1, 2, 0, 0]);
        let script = Scripted::new([Step::Datagram {
            sender: 0,
            bytes: answer,
        }]);
        let mut tap = Recorder::tap(script, &path, protocol).unwrap();
        tap.send(&message(0x10, 1, 1, &[3, 1, 0, 0])).unwrap();
        tap.recv(&mut vec![0; 64]).unwrap();
        tap.observer.finish().unwrap();
        path
    }

    #[test]
    fn records_and_replays_the_sockets_protocol() {
        let path = record(NETLINK_GENERIC, "genl.pcap");
        let mut reader = PcapReader::new(BufReader::new(File::open(&path).unwrap())).unwrap();
        let rec = reader.next_record().unwrap().unwrap();
        assert_eq!((rec.dir, rec.family), (Direction::ToKernel, 16));

        let mut genl = Replay::open(&path, NETLINK_GENERIC).unwrap();
        genl.send(&message(0x10, 1, 7, &[3, 1, 0, 0])).unwrap();
        let got = genl.recv(&mut vec![0; 8]).unwrap();
        assert_eq!(got.len, 20);

        let mut route = Replay::open(&path, NETLINK_ROUTE).unwrap();
        let err = route.send(&message(18, 1, 7, &[0; 16])).unwrap_err();
        std::fs::remove_file(&path).unwrap();
        assert!(
            err.to_string()
                .contains("it holds NETLINK_GENERIC datagrams, this command speaks NETLINK_ROUTE"),
            "{err}"
        );
    }

    #[test]
    fn an_overrun_is_recorded_where_it_happened_and_replayed_as_one() {
        let path = std::env::temp_dir().join(format!("nlq-unit-{}-enobufs", std::process::id()));
        let answer = || Step::Datagram {
            sender: 0,
            bytes: message(0x10, 0, 1, &[1, 2, 0, 0]),
        };
        let script = Scripted::new([answer(), Step::Errno(libc::ENOBUFS), answer()]);
        let mut tap = Recorder::tap(script, &path, NETLINK_ROUTE).unwrap();
        tap.send(&message(0x10, 1, 1, &[3, 1, 0, 0])).unwrap();
        let mut buf = vec![0; 64];
        assert!(tap.recv(&mut buf).is_ok());
        let lost = tap.recv(&mut buf).unwrap_err();
        assert_eq!(lost.raw_os_error(), Some(libc::ENOBUFS));
        assert!(tap.recv(&mut buf).is_ok());
        tap.observer.finish().unwrap();

        let mut replay = Replay::open(&path, NETLINK_ROUTE).unwrap();
        replay.send(&message(0x10, 1, 7, &[3, 1, 0, 0])).unwrap();
        assert_eq!(replay.recv(&mut buf).unwrap().len, 20);
        let lost = replay.recv(&mut buf).unwrap_err();
        assert_eq!(
            lost.raw_os_error(),
            Some(libc::ENOBUFS),
            "the same error, in place"
        );
        assert_eq!(replay.recv(&mut buf).unwrap().len, 20);
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn an_event_with_our_sequence_number_does_not_teach_the_port() {
        use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_MULTI, NLMSG_DONE};
        let path = std::env::temp_dir().join(format!("nlq-unit-{}-port", std::process::id()));
        let with_port = |mut m: Vec<u8>, port: u32| {
            m[12..16].copy_from_slice(&port.to_ne_bytes());
            m
        };
        // `ip` numbers its requests from the clock too: its event can
        // carry the very sequence number of our dump.
        let event = with_port(message(21, 0, 5, &[2, 32, 0, 0, 0, 0, 0, 0]), 999);
        let reply = with_port(message(20, NLM_F_MULTI, 5, &[2, 32, 0, 0, 0, 0, 0, 0]), 42);
        let done = with_port(message(NLMSG_DONE, NLM_F_MULTI, 5, &[0; 4]), 42);
        let kernel = |bytes| Step::Datagram { sender: 0, bytes };
        let script = Scripted::new([kernel(event), kernel([reply, done].concat())]);
        let mut tap = Recorder::tap(script, &path, NETLINK_ROUTE).unwrap();
        let request = message(22, 1 | NLM_F_DUMP, 5, &[2, 0, 0, 0, 0, 0, 0, 0]);
        tap.send(&request).unwrap();
        let mut buf = vec![0; 128];
        tap.recv(&mut buf).unwrap();
        tap.recv(&mut buf).unwrap();
        tap.observer.finish().unwrap();

        let mut replay = Replay::open(&path, NETLINK_ROUTE).unwrap();
        replay.send(&request).unwrap();
        replay.recv(&mut buf).unwrap();
        assert_ne!(replay.port_id(), 999, "an event's port is not ours");
        replay.recv(&mut buf).unwrap();
        assert_eq!(replay.port_id(), 42, "the dump's replies tell it");
        std::fs::remove_file(&path).unwrap();
    }
}
