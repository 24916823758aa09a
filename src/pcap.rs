//! Record and replay netlink traffic as classic pcap files, in the format
//! `tcpdump -i nlmon0 -w FILE` writes, so tshark and Wireshark decode nlq's recordings as
//! netlink/rtnetlink and nlq replays tcpdump's captures.
//!
//! nlq writes LINKTYPE_LINUX_SLL (113) files with sll_hatype ARPHRD_NETLINK (824) and
//! sll_protocol = the netlink family, and marks direction the SLL way: PACKET_OUTGOING (4) for
//! what nlq sent, PACKET_HOST (0) for what it received. libpcap (`pcap-linux.c`) records an
//! nlmon device as LINKTYPE_NETLINK (253) with the same 16-byte cooked header (and 4 in every
//! pkttype), so the reader takes both link types and skips records that are not netlink
//! (hatype != 824).
//!
//! ```text
//! file header, 24 bytes, in the writer's byte order (the magic tells a reader which):
//!    0  magic      u32  0xa1b2c3d4 (microsecond timestamps) or 0xa1b23c4d (nanosecond)
//!    4  version    u16 major = 2, u16 minor = 4
//!    8  thiszone   i32  0
//!   12  sigfigs    u32  0
//!   16  snaplen    u32  262144 (libpcap's MAXIMUM_SNAPLEN, what tcpdump writes)
//!   20  linktype   u32  113 LINKTYPE_LINUX_SLL (or 253 LINKTYPE_NETLINK from nlmon)
//! each record, a 16-byte header in the file's byte order:
//!    0  ts_sec     u32  seconds since the Unix epoch
//!    4  ts_frac    u32  microseconds (or nanoseconds) within the second
//!    8  incl_len   u32  bytes stored in the file after this header
//!   12  orig_len   u32  bytes the packet had; more than incl_len = cut by the snaplen
//! then the cooked header, 16 bytes, always big-endian:
//!    0  pkttype    u16  sll_pkttype (direction, see `Direction`)
//!    2  hatype     u16  824 ARPHRD_NETLINK
//!    4  halen      u16  0
//!    6  addr       8 bytes, unused for netlink
//!   14  protocol   u16  netlink family: 0 NETLINK_ROUTE, 16 NETLINK_GENERIC, ...
//! then the netlink datagram, as on the wire (the capturing host's byte order).
//! ```
//!
//! Untrusted input: the reader never panics and never allocates more than the bytes the file
//! really holds; a truncated or snaplen-cut record is an error, never partial data.

use std::io::{self, Read, Write};
use std::ops::Range;
use std::time::{Duration, SystemTime};

/// Link type of an nlmon capture: cooked header + netlink datagram (DLT_NETLINK).
pub const LINKTYPE_NETLINK: u32 = 253;
/// Link type "Linux cooked capture v1" (DLT_LINUX_SLL), as written by `tcpdump -i any`.
pub const LINKTYPE_LINUX_SLL: u32 = 113;
/// Hardware type of an nlmon device (ARPHRD_NETLINK, `include/uapi/linux/if_arp.h`).
pub const ARPHRD_NETLINK: u16 = 824;
/// Snapshot length written in the file header, in bytes (libpcap's MAXIMUM_SNAPLEN).
pub const SNAPLEN: u32 = 262_144;
/// Largest record the reader accepts, in bytes; a larger incl_len is corrupt, not allocated.
pub const MAX_RECORD_LEN: u32 = 256 << 20;

/// sll_pkttype values (`include/uapi/linux/if_packet.h`).
mod pkttype {
    /// Addressed to this host: in nlq's files, a datagram nlq received from the kernel.
    pub const HOST: u16 = 0;
    /// Another host's packet: nlq writes it for a datagram of unknown direction.
    pub const OTHERHOST: u16 = 3;
    /// Sent by this host; also set by the packet tap on everything tcpdump sees on nlmon.
    pub const OUTGOING: u16 = 4;
    /// The kernel's mark for a netlink message delivered to a user socket.
    pub const USER: u16 = 6;
    /// The kernel's mark for a netlink message delivered to the kernel.
    pub const KERNEL: u16 = 7;
}

/// Field offsets, in bytes, of the three fixed headers.
mod field {
    use std::ops::Range;

    pub const MAGIC: Range<usize> = 0..4;
    pub const VERSION_MAJOR: Range<usize> = 4..6;
    pub const VERSION_MINOR: Range<usize> = 6..8;
    pub const THISZONE: Range<usize> = 8..12;
    pub const SIGFIGS: Range<usize> = 12..16;
    pub const SNAPLEN: Range<usize> = 16..20;
    pub const LINKTYPE: Range<usize> = 20..24;
    pub const FILE_HEADER_LEN: usize = LINKTYPE.end;

    pub const TS_SEC: Range<usize> = 0..4;
    pub const TS_FRAC: Range<usize> = 4..8;
    pub const INCL_LEN: Range<usize> = 8..12;
    pub const ORIG_LEN: Range<usize> = 12..16;
    pub const RECORD_HEADER_LEN: usize = ORIG_LEN.end;

    pub const PKTTYPE: Range<usize> = 0..2;
    pub const HATYPE: Range<usize> = 2..4;
    pub const HALEN: Range<usize> = 4..6;
    pub const ADDR: Range<usize> = 6..14;
    pub const PROTOCOL: Range<usize> = 14..16;
    pub const COOKED_HEADER_LEN: usize = PROTOCOL.end;
}

/// File magic for microsecond timestamps, as a u32 in the file's byte order.
const MAGIC_MICROS: u32 = 0xa1b2_c3d4;
/// File magic for nanosecond timestamps, as a u32 in the file's byte order.
const MAGIC_NANOS: u32 = 0xa1b2_3c4d;
/// The first four bytes of a pcapng file (its Section Header Block type).
const PCAPNG_MAGIC: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];
/// nlmsghdr: flags field and NLM_F_REQUEST (`include/uapi/linux/netlink.h`).
const NLMSG_FLAGS: Range<usize> = 6..8;
const NLM_F_REQUEST: u16 = 0x1;

/// Errors reading a pcap file; each names the byte offset where the problem starts.
#[derive(thiserror::Error, Debug)]
pub enum Error {
    /// The file does not start with a classic pcap magic number.
    #[error("not a pcap file (magic 0x{magic:08x})")]
    BadMagic {
        /// The first four bytes of the file, read big-endian.
        magic: u32,
    },
    /// The file is pcapng, which nlq does not read.
    #[error("pcapng files are not supported; convert with `editcap -F pcap IN OUT`")]
    Pcapng,
    /// The file header's major version is not 2.
    #[error("unsupported pcap version {major}.{minor}")]
    Version {
        /// Major version from the file header.
        major: u16,
        /// Minor version from the file header.
        minor: u16,
    },
    /// The file's link type is neither LINUX_SLL nor NETLINK.
    #[error("unsupported pcap link type {0} (nlq reads LINUX_SLL 113 and NETLINK 253)")]
    LinkType(u32),
    /// The file ends inside a header or a record.
    #[error("truncated pcap {what} at byte {offset}")]
    Truncated {
        /// Which part was cut short: "file header", "record header" or "record".
        what: &'static str,
        /// Byte offset in the file where that part starts.
        offset: u64,
    },
    /// The capture kept only part of a packet (snaplen); replaying it would lose data.
    #[error(
        "pcap record at byte {offset} was cut by the capture's snaplen \
         (kept {incl_len} of {orig_len} bytes); capture again with a larger -s"
    )]
    Snapped {
        /// Byte offset in the file of the record header.
        offset: u64,
        /// Bytes stored in the file (incl_len).
        incl_len: u32,
        /// Bytes the packet had (orig_len).
        orig_len: u32,
    },
    /// A record claims more bytes than any netlink capture could hold.
    #[error("pcap record at byte {offset} claims {incl_len} bytes (limit {MAX_RECORD_LEN})")]
    TooLarge {
        /// Byte offset in the file of the record header.
        offset: u64,
        /// The claimed length, incl_len.
        incl_len: u32,
    },
    /// A record is too short to hold the 16-byte cooked header.
    #[error("pcap record at byte {offset} has {len} bytes, less than the 16-byte cooked header")]
    NoCookedHeader {
        /// Byte offset in the file of the record header.
        offset: u64,
        /// The record's length, incl_len.
        len: u32,
    },
    /// Reading the underlying file failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Which way a netlink datagram travelled, stored in the cooked header's sll_pkttype.
///
/// nlq's LINUX_SLL files say it from nlq's side: 4 (PACKET_OUTGOING) sent, 0 (PACKET_HOST)
/// received. The kernel marks each message tapped to nlmon PACKET_KERNEL (7) or PACKET_USER
/// (6) (`__netlink_deliver_tap_skb`), but the packet tap overwrites the mark with
/// PACKET_OUTGOING (`dev_queue_xmit_nit`), so tcpdump's LINKTYPE_NETLINK captures say 4 for
/// every record and carry no direction: there, 4 reads as `Unknown`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Sent by nlq to the kernel (written as PACKET_OUTGOING, 4).
    ToKernel,
    /// Received by nlq from the kernel (written as PACKET_HOST, 0).
    FromKernel,
    /// Not recorded, as in every tcpdump nlmon capture (written as PACKET_OTHERHOST, 3).
    Unknown,
}

impl Direction {
    /// The sll_pkttype nlq writes for this direction.
    fn pkttype(self) -> u16 {
        match self {
            Direction::ToKernel => pkttype::OUTGOING,
            Direction::FromKernel => pkttype::HOST,
            Direction::Unknown => pkttype::OTHERHOST,
        }
    }

    /// The direction an sll_pkttype records in a file of `linktype`: 4 means "sent by us"
    /// in LINUX_SLL files but is all tcpdump writes in NETLINK ones.
    fn from_pkttype(pkttype: u16, linktype: u32) -> Direction {
        match pkttype {
            pkttype::KERNEL => Direction::ToKernel,
            pkttype::OUTGOING if linktype == LINKTYPE_LINUX_SLL => Direction::ToKernel,
            pkttype::USER | pkttype::HOST => Direction::FromKernel,
            _ => Direction::Unknown,
        }
    }

    /// Best guess for a datagram whose direction is `Unknown`: requests carry NLM_F_REQUEST,
    /// which the kernel does not set on what it sends. `Unknown` if the first nlmsghdr is cut.
    pub fn guess(datagram: &[u8]) -> Direction {
        let Some(flags) = datagram.get(NLMSG_FLAGS).and_then(|b| b.try_into().ok()) else {
            return Direction::Unknown;
        };
        if u16::from_ne_bytes(flags) & NLM_F_REQUEST != 0 {
            Direction::ToKernel
        } else {
            Direction::FromKernel
        }
    }
}

/// Writes netlink datagrams as a LINKTYPE_LINUX_SLL pcap file that tshark decodes as netlink.
#[derive(Debug)]
pub struct PcapWriter<W: Write> {
    out: W,
}

impl<W: Write> PcapWriter<W> {
    /// Writes the file header (native byte order, microseconds, version 2.4) to `out`.
    pub fn new(mut out: W) -> io::Result<Self> {
        out.write_all(&file_header())?;
        Ok(PcapWriter { out })
    }

    /// Appends one datagram of netlink `family` (0 = NETLINK_ROUTE), timestamped now.
    pub fn write(&mut self, dir: Direction, family: u16, datagram: &[u8]) -> io::Result<()> {
        self.write_at(SystemTime::now(), dir, family, datagram)
    }

    /// Appends one datagram with the given timestamp (for reproducible files).
    ///
    /// A datagram that does not fit in [`SNAPLEN`] with its cooked header is refused
    /// (`InvalidInput`): libpcap-based readers would cut or reject it.
    pub fn write_at(
        &mut self,
        time: SystemTime,
        dir: Direction,
        family: u16,
        datagram: &[u8],
    ) -> io::Result<()> {
        let len = record_len(datagram.len())?;
        self.out.write_all(&record_header(time, len))?;
        self.out.write_all(&cooked_header(dir, family))?;
        self.out.write_all(datagram)
    }

    /// Flushes the underlying writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Flushes and returns the underlying writer.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The 24-byte file header nlq writes.
fn file_header() -> [u8; field::FILE_HEADER_LEN] {
    let mut h = [0u8; field::FILE_HEADER_LEN];
    h[field::MAGIC].copy_from_slice(&MAGIC_MICROS.to_ne_bytes());
    h[field::VERSION_MAJOR].copy_from_slice(&2u16.to_ne_bytes());
    h[field::VERSION_MINOR].copy_from_slice(&4u16.to_ne_bytes());
    h[field::THISZONE].copy_from_slice(&0i32.to_ne_bytes());
    h[field::SIGFIGS].copy_from_slice(&0u32.to_ne_bytes());
    h[field::SNAPLEN].copy_from_slice(&SNAPLEN.to_ne_bytes());
    h[field::LINKTYPE].copy_from_slice(&LINKTYPE_LINUX_SLL.to_ne_bytes());
    h
}

/// incl_len for a datagram of `datagram_len` bytes, or `InvalidInput` past the snaplen.
fn record_len(datagram_len: usize) -> io::Result<u32> {
    datagram_len
        .checked_add(field::COOKED_HEADER_LEN)
        .and_then(|len| u32::try_from(len).ok())
        .filter(|&len| len <= SNAPLEN)
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("netlink datagram of {datagram_len} bytes does not fit the pcap snaplen"),
            )
        })
}

/// A 16-byte record header; times before 1970 are written as 0, after 2106 as u32::MAX.
fn record_header(time: SystemTime, len: u32) -> [u8; field::RECORD_HEADER_LEN] {
    let since = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = u32::try_from(since.as_secs()).unwrap_or(u32::MAX);
    let mut h = [0u8; field::RECORD_HEADER_LEN];
    h[field::TS_SEC].copy_from_slice(&secs.to_ne_bytes());
    h[field::TS_FRAC].copy_from_slice(&since.subsec_micros().to_ne_bytes());
    h[field::INCL_LEN].copy_from_slice(&len.to_ne_bytes());
    h[field::ORIG_LEN].copy_from_slice(&len.to_ne_bytes());
    h
}

/// The 16-byte big-endian cooked header, as libpcap builds it from an nlmon sockaddr_ll.
fn cooked_header(dir: Direction, family: u16) -> [u8; field::COOKED_HEADER_LEN] {
    let mut h = [0u8; field::COOKED_HEADER_LEN];
    h[field::PKTTYPE].copy_from_slice(&dir.pkttype().to_be_bytes());
    h[field::HATYPE].copy_from_slice(&ARPHRD_NETLINK.to_be_bytes());
    h[field::HALEN].copy_from_slice(&0u16.to_be_bytes());
    h[field::ADDR].fill(0);
    h[field::PROTOCOL].copy_from_slice(&family.to_be_bytes());
    h
}

/// One netlink record read from a pcap file, borrowing the reader's buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordRef<'a> {
    /// Which way the datagram travelled; `Unknown` in tcpdump captures.
    pub dir: Direction,
    /// Netlink family from sll_protocol: 0 = NETLINK_ROUTE, 16 = NETLINK_GENERIC.
    pub family: u16,
    /// Capture time, since the Unix epoch.
    pub time: Duration,
    /// The netlink datagram, as on the wire: one or more nlmsghdr-framed messages.
    pub data: &'a [u8],
}

/// Byte order of a pcap file's own headers, told by its magic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Order {
    Little,
    Big,
}

impl Order {
    /// Reads the u32 at `range` of `bytes` (0 if out of range: ranges here are constants).
    fn u32(self, bytes: &[u8], range: Range<usize>) -> u32 {
        let b: [u8; 4] = bytes
            .get(range)
            .and_then(|b| b.try_into().ok())
            .unwrap_or([0; 4]);
        match self {
            Order::Little => u32::from_le_bytes(b),
            Order::Big => u32::from_be_bytes(b),
        }
    }

    /// Reads the u16 at `range` of `bytes` (0 if out of range: ranges here are constants).
    fn u16(self, bytes: &[u8], range: Range<usize>) -> u16 {
        let b: [u8; 2] = bytes
            .get(range)
            .and_then(|b| b.try_into().ok())
            .unwrap_or([0; 2]);
        match self {
            Order::Little => u16::from_le_bytes(b),
            Order::Big => u16::from_be_bytes(b),
        }
    }
}

/// Reads netlink records from a classic pcap file (LINUX_SLL or NETLINK link type).
#[derive(Debug)]
pub struct PcapReader<R: Read> {
    input: R,
    order: Order,
    nanos: bool,
    linktype: u32,
    /// Byte offset in the file of the next unread byte.
    offset: u64,
    /// The current record (cooked header + datagram), reused across records.
    buf: Vec<u8>,
}

impl<R: Read> PcapReader<R> {
    /// Reads and checks the file header: either byte order, µs or ns magic, version 2.x,
    /// link type 113 or 253.
    pub fn new(mut input: R) -> Result<Self, Error> {
        let mut h = [0u8; field::FILE_HEADER_LEN];
        if read_full(&mut input, &mut h)? < h.len() {
            return Err(Error::Truncated {
                what: "file header",
                offset: 0,
            });
        }
        let (order, nanos) = parse_magic(&h)?;
        let (major, minor) = (
            order.u16(&h, field::VERSION_MAJOR),
            order.u16(&h, field::VERSION_MINOR),
        );
        if major != 2 {
            return Err(Error::Version { major, minor });
        }
        let linktype = order.u32(&h, field::LINKTYPE);
        if linktype != LINKTYPE_NETLINK && linktype != LINKTYPE_LINUX_SLL {
            return Err(Error::LinkType(linktype));
        }
        let offset = field::FILE_HEADER_LEN as u64;
        Ok(PcapReader {
            input,
            order,
            nanos,
            linktype,
            offset,
            buf: Vec::new(),
        })
    }

    /// The next netlink record, skipping records of other hardware types; `None` at a clean
    /// end of file. After an error the reader's position is unspecified: stop reading.
    pub fn next_record(&mut self) -> Result<Option<RecordRef<'_>>, Error> {
        loop {
            let Some(time) = self.read_record()? else {
                return Ok(None);
            };
            let cooked = Order::Big; // the cooked header is big-endian in every file
            if cooked.u16(&self.buf, field::HATYPE) != ARPHRD_NETLINK {
                continue; // e.g. an Ethernet packet in a `tcpdump -i any` capture
            }
            return Ok(Some(RecordRef {
                dir: Direction::from_pkttype(cooked.u16(&self.buf, field::PKTTYPE), self.linktype),
                family: cooked.u16(&self.buf, field::PROTOCOL),
                time,
                data: self.buf.get(field::COOKED_HEADER_LEN..).unwrap_or_default(),
            }));
        }
    }

    /// Reads one whole record into `buf`, returning its timestamp; `None` at a clean EOF.
    fn read_record(&mut self) -> Result<Option<Duration>, Error> {
        let start = self.offset;
        let mut h = [0u8; field::RECORD_HEADER_LEN];
        let got = read_full(&mut self.input, &mut h)?;
        self.offset += got as u64;
        match got {
            0 => return Ok(None),
            n if n < h.len() => {
                return Err(Error::Truncated {
                    what: "record header",
                    offset: start,
                });
            }
            _ => {}
        }
        let incl_len = self.check_lengths(start, &h)?;
        let got = read_growing(&mut self.input, &mut self.buf, incl_len as usize)?;
        self.offset += got as u64;
        if got < incl_len as usize {
            return Err(Error::Truncated {
                what: "record",
                offset: start,
            });
        }
        Ok(Some(self.timestamp(&h)))
    }

    /// Checks a record header's lengths (in this order: size limit, snaplen cut, room for
    /// the cooked header) and returns incl_len.
    fn check_lengths(&self, offset: u64, h: &[u8]) -> Result<u32, Error> {
        let incl_len = self.order.u32(h, field::INCL_LEN);
        let orig_len = self.order.u32(h, field::ORIG_LEN);
        if incl_len > MAX_RECORD_LEN {
            return Err(Error::TooLarge { offset, incl_len });
        }
        if incl_len < orig_len {
            return Err(Error::Snapped {
                offset,
                incl_len,
                orig_len,
            });
        }
        if (incl_len as usize) < field::COOKED_HEADER_LEN {
            return Err(Error::NoCookedHeader {
                offset,
                len: incl_len,
            });
        }
        Ok(incl_len)
    }

    /// A record header's timestamp, since the Unix epoch.
    fn timestamp(&self, h: &[u8]) -> Duration {
        let secs = Duration::from_secs(self.order.u32(h, field::TS_SEC).into());
        let frac = u64::from(self.order.u32(h, field::TS_FRAC));
        secs + Duration::from_nanos(if self.nanos { frac } else { frac * 1000 })
    }
}

/// The file's byte order and whether its timestamps are in nanoseconds, from its magic.
fn parse_magic(h: &[u8]) -> Result<(Order, bool), Error> {
    for order in [Order::Little, Order::Big] {
        match order.u32(h, field::MAGIC) {
            MAGIC_MICROS => return Ok((order, false)),
            MAGIC_NANOS => return Ok((order, true)),
            _ => {}
        }
    }
    if h.get(field::MAGIC) == Some(&PCAPNG_MAGIC[..]) {
        return Err(Error::Pcapng);
    }
    Err(Error::BadMagic {
        magic: Order::Big.u32(h, field::MAGIC),
    })
}

/// Replaces `buf` with up to `len` bytes of `input`, growing it a chunk at a time so that a
/// lying length cannot allocate much more than the file holds; returns the bytes read.
fn read_growing(input: &mut impl Read, buf: &mut Vec<u8>, len: usize) -> io::Result<usize> {
    const CHUNK: usize = 64 << 10;
    buf.clear();
    while buf.len() < len {
        let start = buf.len();
        let want = CHUNK.min(len - start);
        buf.resize(start + want, 0);
        let got = read_full(input, buf.get_mut(start..).unwrap_or_default())?;
        buf.truncate(start + got);
        if got < want {
            break; // end of input
        }
    }
    Ok(buf.len())
}

/// Reads until `buf` is full or the input ends; returns the bytes read.
fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match input.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A little-endian µs file header with the given link type.
    fn le_header(linktype: u8) -> Vec<u8> {
        vec![
            0xd4, 0xc3, 0xb2, 0xa1, // magic = 0xa1b2c3d4 (µs), little-endian
            0x02, 0x00, // version_major = 2
            0x04, 0x00, // version_minor = 4
            0x00, 0x00, 0x00, 0x00, // thiszone = 0
            0x00, 0x00, 0x00, 0x00, // sigfigs = 0
            0x00, 0x00, 0x04, 0x00, // snaplen = 262144
            linktype, 0x00, 0x00, 0x00, // linktype
        ]
    }

    /// An RTM_GETLINK dump request, little-endian, as `ip link` sends it.
    const GETLINK: [u8; 32] = [
        0x20, 0x00, 0x00, 0x00, // nlmsg_len = 32
        0x12, 0x00, // nlmsg_type = 18 RTM_GETLINK
        0x01, 0x03, // nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP
        0x01, 0x00, 0x00, 0x00, // nlmsg_seq = 1
        0x00, 0x00, 0x00, 0x00, // nlmsg_pid = 0
        0x11, 0x00, 0x00, 0x00, // ifinfomsg: family = AF_PACKET, pad, type = 0
        0x00, 0x00, 0x00, 0x00, // ifi_index = 0
        0x00, 0x00, 0x00, 0x00, // ifi_flags = 0
        0x00, 0x00, 0x00, 0x00, // ifi_change = 0
    ];

    /// A record of the 32-byte GETLINK request: record header + cooked header + datagram.
    fn le_getlink_record(pkttype: u8) -> Vec<u8> {
        let mut r = vec![
            0x00, 0xe1, 0xf5, 0x05, // ts_sec = 100000000
            0x40, 0xe2, 0x01, 0x00, // ts_usec = 123456
            0x30, 0x00, 0x00, 0x00, // incl_len = 48 (16 cooked + 32)
            0x30, 0x00, 0x00, 0x00, // orig_len = 48
            0x00, pkttype, // sll_pkttype
            0x03, 0x38, // sll_hatype = 824 ARPHRD_NETLINK
            0x00, 0x00, // sll_halen = 0
            0, 0, 0, 0, 0, 0, 0, 0, // sll_addr
            0x00, 0x00, // sll_protocol = 0 NETLINK_ROUTE
        ];
        r.extend_from_slice(&GETLINK);
        r
    }

    fn reader(bytes: &[u8]) -> Result<PcapReader<&[u8]>, Error> {
        PcapReader::new(bytes)
    }

    #[test]
    #[cfg(target_endian = "little")]
    fn writer_matches_annotated_bytes() {
        let mut w = PcapWriter::new(Vec::new()).unwrap();
        let time = SystemTime::UNIX_EPOCH + Duration::new(100_000_000, 123_456_789);
        w.write_at(time, Direction::ToKernel, 0, &GETLINK).unwrap();
        let mut want = le_header(113); // linktype = 113 LINKTYPE_LINUX_SLL
        want.extend(le_getlink_record(4)); // sll_pkttype = 4 PACKET_OUTGOING
        assert_eq!(w.into_inner().unwrap(), want);
    }

    #[test]
    fn round_trip() {
        let mut w = PcapWriter::new(Vec::new()).unwrap();
        let time = SystemTime::UNIX_EPOCH + Duration::new(1_700_000_000, 5_000);
        w.write_at(time, Direction::ToKernel, 0, &GETLINK).unwrap();
        w.write(Direction::FromKernel, 16, &[1, 2, 3, 4]).unwrap();
        w.write(Direction::Unknown, 0, &[]).unwrap();
        let bytes = w.into_inner().unwrap();
        let mut r = reader(&bytes).unwrap();
        let rec = r.next_record().unwrap().unwrap();
        assert_eq!(
            (rec.dir, rec.family, rec.data),
            (Direction::ToKernel, 0, &GETLINK[..])
        );
        assert_eq!(rec.time, Duration::new(1_700_000_000, 5_000));
        let rec = r.next_record().unwrap().unwrap();
        assert_eq!(
            (rec.dir, rec.family, rec.data),
            (Direction::FromKernel, 16, &[1u8, 2, 3, 4][..])
        );
        let rec = r.next_record().unwrap().unwrap();
        assert_eq!((rec.dir, rec.data), (Direction::Unknown, &[][..]));
        assert!(r.next_record().unwrap().is_none());
        assert!(r.next_record().unwrap().is_none(), "EOF stays EOF");
    }

    #[test]
    fn reads_tcpdump_style_record() {
        let mut bytes = le_header(253);
        bytes.extend(le_getlink_record(4)); // sll_pkttype = 4 PACKET_OUTGOING, as tcpdump writes
        let mut r = reader(&bytes).unwrap();
        let rec = r.next_record().unwrap().unwrap();
        assert_eq!(rec.dir, Direction::Unknown);
        assert_eq!(rec.family, 0);
        assert_eq!(rec.time, Duration::new(100_000_000, 123_456_000));
        assert_eq!(rec.data, &GETLINK[..]);
        assert_eq!(Direction::guess(rec.data), Direction::ToKernel);
        assert!(r.next_record().unwrap().is_none());
    }

    #[test]
    fn reads_big_endian_nanosecond_linux_sll() {
        let bytes = [
            0xa1, 0xb2, 0x3c, 0x4d, // magic = 0xa1b23c4d (ns), big-endian
            0x00, 0x02, 0x00, 0x04, // version 2.4
            0, 0, 0, 0, 0, 0, 0, 0, // thiszone, sigfigs
            0x00, 0x00, 0xff, 0xff, // snaplen = 65535
            0x00, 0x00, 0x00, 0x71, // linktype = 113 LINUX_SLL
            0x00, 0x00, 0x00, 0x01, // ts_sec = 1
            0x3b, 0x9a, 0xc9, 0xff, // ts_nsec = 999999999
            0x00, 0x00, 0x00, 0x14, // incl_len = 20
            0x00, 0x00, 0x00, 0x14, // orig_len = 20
            0x00, 0x06, // sll_pkttype = 6 PACKET_USER
            0x03, 0x38, // sll_hatype = 824
            0x00, 0x00, // sll_halen = 0
            0, 0, 0, 0, 0, 0, 0, 0, // sll_addr
            0x00, 0x10, // sll_protocol = 16 NETLINK_GENERIC
            0xde, 0xad, 0xbe, 0xef, // datagram (4 bytes)
        ];
        let mut r = reader(&bytes).unwrap();
        let rec = r.next_record().unwrap().unwrap();
        assert_eq!((rec.dir, rec.family), (Direction::FromKernel, 16));
        assert_eq!(rec.time, Duration::new(1, 999_999_999));
        assert_eq!(rec.data, &[0xde, 0xad, 0xbe, 0xef]);
        assert!(r.next_record().unwrap().is_none());
    }

    #[test]
    fn reads_little_endian_nanosecond_magic() {
        let mut bytes = le_header(253);
        bytes[field::MAGIC].copy_from_slice(&[0x4d, 0x3c, 0xb2, 0xa1]); // 0xa1b23c4d, LE
        bytes.extend(le_getlink_record(7));
        let mut r = reader(&bytes).unwrap();
        let rec = r.next_record().unwrap().unwrap();
        assert_eq!(rec.time, Duration::new(100_000_000, 123_456)); // ts field read as ns
        assert_eq!(rec.dir, Direction::ToKernel);
    }

    #[test]
    fn skips_records_that_are_not_netlink() {
        let mut bytes = le_header(113);
        bytes.extend([
            0, 0, 0, 0, 0, 0, 0, 0, // ts_sec, ts_usec
            0x12, 0x00, 0x00, 0x00, // incl_len = 18
            0x12, 0x00, 0x00, 0x00, // orig_len = 18
            0x00, 0x00, // sll_pkttype = 0 PACKET_HOST
            0x00, 0x01, // sll_hatype = 1 ARPHRD_ETHER
            0x00, 0x06, // sll_halen = 6
            2, 0, 0, 0, 0, 1, 0, 0, // sll_addr
            0x08, 0x00, // sll_protocol = ETH_P_IP
            0x45, 0x00, // two bytes of an IPv4 header
        ]);
        bytes.extend(le_getlink_record(7));
        let mut r = reader(&bytes).unwrap();
        assert_eq!(r.next_record().unwrap().unwrap().data, &GETLINK[..]);
        assert!(r.next_record().unwrap().is_none());
    }

    #[test]
    fn bad_magic() {
        let mut bytes = le_header(253);
        bytes[field::MAGIC].copy_from_slice(b"GIF8");
        let err = reader(&bytes).unwrap_err();
        assert!(
            matches!(err, Error::BadMagic { magic: 0x4749_4638 }),
            "{err:?}"
        );
        assert_eq!(err.to_string(), "not a pcap file (magic 0x47494638)");
    }

    #[test]
    fn pcapng_is_named() {
        let mut bytes = le_header(253);
        bytes[field::MAGIC].copy_from_slice(&[0x0a, 0x0d, 0x0d, 0x0a]); // SHB block type
        assert!(matches!(reader(&bytes), Err(Error::Pcapng)));
    }

    #[test]
    fn wrong_version() {
        let mut bytes = le_header(253);
        bytes[field::VERSION_MAJOR].copy_from_slice(&[0x01, 0x00]); // version_major = 1
        assert!(matches!(
            reader(&bytes),
            Err(Error::Version { major: 1, minor: 4 })
        ));
    }

    #[test]
    fn wrong_linktype() {
        let err = reader(&le_header(1)).unwrap_err(); // linktype = 1 ETHERNET
        assert!(matches!(err, Error::LinkType(1)), "{err:?}");
        assert_eq!(
            err.to_string(),
            "unsupported pcap link type 1 (nlq reads LINUX_SLL 113 and NETLINK 253)"
        );
    }

    #[test]
    fn truncated_file_header() {
        for len in [0, 4, 23] {
            let err = reader(&le_header(253)[..len]).unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::Truncated {
                        what: "file header",
                        offset: 0
                    }
                ),
                "{err:?}"
            );
        }
    }

    #[test]
    fn truncated_record_header() {
        let mut bytes = le_header(253);
        bytes.extend(le_getlink_record(7));
        bytes.extend(&le_getlink_record(7)[..10]); // second record header cut at 10 of 16
        let mut r = reader(&bytes).unwrap();
        assert!(r.next_record().unwrap().is_some());
        let err = r.next_record().unwrap_err();
        assert!(
            matches!(
                err,
                Error::Truncated {
                    what: "record header",
                    offset: 88
                }
            ),
            "{err:?}"
        );
        assert_eq!(err.to_string(), "truncated pcap record header at byte 88");
    }

    #[test]
    fn truncated_record_data() {
        let mut bytes = le_header(253);
        bytes.extend(le_getlink_record(7));
        bytes.truncate(bytes.len() - 1); // last datagram byte missing
        let err = reader(&bytes).unwrap().next_record().unwrap_err();
        assert!(
            matches!(
                err,
                Error::Truncated {
                    what: "record",
                    offset: 24
                }
            ),
            "{err:?}"
        );
        assert_eq!(err.to_string(), "truncated pcap record at byte 24");
    }

    #[test]
    fn snapped_record() {
        let mut bytes = le_header(253);
        bytes.extend(le_getlink_record(7));
        bytes[24 + field::ORIG_LEN.start] = 0x40; // orig_len = 64 > incl_len = 48
        let err = reader(&bytes).unwrap().next_record().unwrap_err();
        let want = Error::Snapped {
            offset: 24,
            incl_len: 48,
            orig_len: 64,
        };
        assert_eq!(err.to_string(), want.to_string());
    }

    #[test]
    fn absurd_length_is_an_error_not_an_allocation() {
        let mut bytes = le_header(253);
        bytes.extend([
            0, 0, 0, 0, 0, 0, 0, 0, // ts_sec, ts_usec
            0xff, 0xff, 0xff, 0x7f, // incl_len = 2147483647
            0xff, 0xff, 0xff, 0x7f, // orig_len = 2147483647
        ]);
        let err = reader(&bytes).unwrap().next_record().unwrap_err();
        assert!(
            matches!(
                err,
                Error::TooLarge {
                    offset: 24,
                    incl_len: 0x7fff_ffff
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn large_claim_on_short_file_is_truncated() {
        let mut bytes = le_header(253);
        bytes.extend([
            0, 0, 0, 0, 0, 0, 0, 0, // ts_sec, ts_usec
            0x00, 0x00, 0x00, 0x10, // incl_len = 256 MiB, the limit
            0x00, 0x00, 0x00, 0x10, // orig_len = 256 MiB
            0x00, 0x07, 0x03, 0x38, // start of a cooked header, then EOF
        ]);
        let err = reader(&bytes).unwrap().next_record().unwrap_err();
        assert!(
            matches!(
                err,
                Error::Truncated {
                    what: "record",
                    offset: 24
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn record_shorter_than_cooked_header() {
        let mut bytes = le_header(253);
        bytes.extend([
            0, 0, 0, 0, 0, 0, 0, 0, // ts_sec, ts_usec
            0x04, 0x00, 0x00, 0x00, // incl_len = 4
            0x04, 0x00, 0x00, 0x00, // orig_len = 4
            0x00, 0x07, 0x03, 0x38, // half a cooked header
        ]);
        let err = reader(&bytes).unwrap().next_record().unwrap_err();
        assert!(
            matches!(err, Error::NoCookedHeader { offset: 24, len: 4 }),
            "{err:?}"
        );
    }

    #[test]
    fn writer_refuses_datagram_past_snaplen() {
        let mut w = PcapWriter::new(Vec::new()).unwrap();
        let big = vec![0u8; SNAPLEN as usize - field::COOKED_HEADER_LEN + 1];
        let err = w.write(Direction::FromKernel, 0, &big).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        let fits = &big[1..];
        w.write(Direction::FromKernel, 0, fits).unwrap();
    }

    #[test]
    fn guess_direction() {
        let mut reply = GETLINK;
        reply[NLMSG_FLAGS].copy_from_slice(&0x0002u16.to_ne_bytes()); // NLM_F_MULTI
        assert_eq!(Direction::guess(&GETLINK), Direction::ToKernel);
        assert_eq!(Direction::guess(&reply), Direction::FromKernel);
        assert_eq!(Direction::guess(&GETLINK[..7]), Direction::Unknown);
    }

    #[test]
    fn reads_from_a_trickling_reader() {
        /// Hands out one byte per read, with an Interrupted before each.
        struct Trickle<'a>(&'a [u8], bool);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.1 = !self.1;
                if self.1 {
                    return Err(io::ErrorKind::Interrupted.into());
                }
                let n = self.0.len().min(buf.len()).min(1);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut bytes = le_header(253);
        bytes.extend(le_getlink_record(6));
        let mut r = PcapReader::new(Trickle(&bytes, false)).unwrap();
        assert_eq!(r.next_record().unwrap().unwrap().data, &GETLINK[..]);
        assert!(r.next_record().unwrap().is_none());
    }
}
