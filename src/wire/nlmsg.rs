//! `struct nlmsghdr`: the netlink message header, the iterator over a
//! datagram's messages, control messages (ERROR, DONE, extended ACK) and the
//! request builder.
//!
//! ```text
//!  0               4       6       8               12              16
//!  +---------------+-------+-------+---------------+---------------+
//!  |   nlmsg_len   | type  | flags |   nlmsg_seq   |   nlmsg_pid   |
//!  +---------------+-------+-------+---------------+---------------+
//!  | payload (family header + attributes) ...      | pad to 4      |
//!  +-----------------------------------------------+---------------+
//! ```
//!
//! `nlmsg_len` counts the header and the payload but not the trailing pad;
//! the next message starts at `NLMSG_ALIGN(nlmsg_len)` (linux/netlink.h).

use super::attr::Attrs;
use super::{Error, align4, ne_u16, ne_u32, need};

/// Control message: nothing (NLMSG_NOOP).
pub const NLMSG_NOOP: u16 = 1;
/// Control message: error or acknowledgement (NLMSG_ERROR).
pub const NLMSG_ERROR: u16 = 2;
/// Control message: end of a multipart dump (NLMSG_DONE).
pub const NLMSG_DONE: u16 = 3;
/// Control message: data lost (NLMSG_OVERRUN).
pub const NLMSG_OVERRUN: u16 = 4;
/// Types below this are reserved for control messages (NLMSG_MIN_TYPE).
pub const NLMSG_MIN_TYPE: u16 = 0x10;

/// It is a request (NLM_F_REQUEST).
pub const NLM_F_REQUEST: u16 = 0x01;
/// Part of a multipart reply (NLM_F_MULTI).
pub const NLM_F_MULTI: u16 = 0x02;
/// Ask for an acknowledgement (NLM_F_ACK).
pub const NLM_F_ACK: u16 = 0x04;
/// The dump was inconsistent: the table changed under it (NLM_F_DUMP_INTR).
pub const NLM_F_DUMP_INTR: u16 = 0x10;
/// The kernel applied the request's filter (NLM_F_DUMP_FILTERED).
pub const NLM_F_DUMP_FILTERED: u16 = 0x20;
/// Dump the whole table (NLM_F_ROOT | NLM_F_MATCH).
pub const NLM_F_DUMP: u16 = 0x300;
/// On an RTM_NEW* request or event: it replaced an existing object
/// (NLM_F_REPLACE; the same bit as NLM_F_ROOT and NLM_F_CAPPED).
pub const NLM_F_REPLACE: u16 = 0x100;
/// On an ACK: the echoed request was cut to its header (NLM_F_CAPPED).
pub const NLM_F_CAPPED: u16 = 0x100;
/// On an ACK or DONE: extended-ACK attributes follow (NLM_F_ACK_TLVS).
pub const NLM_F_ACK_TLVS: u16 = 0x200;

/// Extended ACK attribute: human-readable message, NUL-terminated.
pub const NLMSGERR_ATTR_MSG: u16 = 1;
/// Extended ACK attribute: offset of the offending attribute in the request.
pub const NLMSGERR_ATTR_OFFS: u16 = 2;

mod field {
    use core::ops::Range;
    pub const LEN: Range<usize> = 0..4;
    pub const TYPE: Range<usize> = 4..6;
    pub const FLAGS: Range<usize> = 6..8;
    pub const SEQ: Range<usize> = 8..12;
    pub const PID: Range<usize> = 12..16;
}

/// Size of `struct nlmsghdr` (NLMSG_HDRLEN).
pub const HDRLEN: usize = field::PID.end;

/// A netlink message: header plus payload, over exactly `nlmsg_len` bytes.
#[derive(Debug, Clone, Copy)]
pub struct NlMsg<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> NlMsg<T> {
    /// Wrap bytes nlq built itself, without checking them.
    pub fn new_unchecked(buffer: T) -> Self {
        NlMsg { buffer }
    }

    /// Wrap untrusted bytes, rejecting a short buffer, `nlmsg_len < 16`
    /// and `nlmsg_len` past the end of the buffer.
    pub fn new_checked(buffer: T) -> Result<Self, Error> {
        let msg = NlMsg { buffer };
        msg.check_len()?;
        Ok(msg)
    }

    /// Validate the length field against the buffer (see `new_checked`).
    pub fn check_len(&self) -> Result<(), Error> {
        let buf = self.buffer.as_ref();
        need("nlmsghdr", buf, HDRLEN)?;
        let len = self.len() as usize;
        if len < HDRLEN {
            return Err(Error::TooShort {
                what: "nlmsghdr",
                len,
                min: HDRLEN,
            });
        }
        if len > buf.len() {
            return Err(Error::Overrun {
                what: "nlmsghdr",
                len,
                have: buf.len(),
            });
        }
        Ok(())
    }

    /// Message length, header included (nlmsg_len).
    pub fn len(&self) -> u32 {
        ne_u32(self.buffer.as_ref(), field::LEN.start)
    }

    /// Whether the message has no payload (nlmsg_len == 16).
    pub fn is_empty(&self) -> bool {
        self.len() as usize <= HDRLEN
    }

    /// Message type (nlmsg_type): a control type or RTM_*.
    pub fn kind(&self) -> u16 {
        ne_u16(self.buffer.as_ref(), field::TYPE.start)
    }

    /// Flags (nlmsg_flags, NLM_F_*).
    pub fn flags(&self) -> u16 {
        ne_u16(self.buffer.as_ref(), field::FLAGS.start)
    }

    /// Sequence number (nlmsg_seq).
    pub fn seq(&self) -> u32 {
        ne_u32(self.buffer.as_ref(), field::SEQ.start)
    }

    /// Sending or receiving port id (nlmsg_pid).
    pub fn port_id(&self) -> u32 {
        ne_u32(self.buffer.as_ref(), field::PID.start)
    }

    /// The bytes after the header, up to `nlmsg_len`.
    pub fn payload(&self) -> &[u8] {
        let buf = self.buffer.as_ref();
        let end = (self.len() as usize).min(buf.len());
        buf.get(HDRLEN..end).unwrap_or(&[])
    }

    /// The whole message, header included, up to `nlmsg_len`.
    pub fn as_bytes(&self) -> &[u8] {
        let buf = self.buffer.as_ref();
        &buf[..(self.len() as usize).min(buf.len())]
    }
}

/// Iterator over the messages of one datagram (NLMSG_OK / NLMSG_NEXT).
///
/// Yields an error for `nlmsg_len < 16`, a length past the end of the
/// datagram, or a tail too short for a header, and then stops: a bad length
/// leaves no way to find the next message. Each successful step advances by
/// at least 16 bytes, so the iterator always terminates.
///
/// ```
/// use nlq::wire::Error;
/// use nlq::wire::nlmsg::{Messages, NLMSG_DONE};
///
/// # #[cfg(target_endian = "little")] {
/// #[rustfmt::skip]
/// let datagram = [
///     0x14, 0, 0, 0, // nlmsg_len = 20
///     3, 0,          // nlmsg_type = NLMSG_DONE
///     2, 0,          // nlmsg_flags = NLM_F_MULTI
///     1, 0, 0, 0,    // nlmsg_seq = 1
///     0, 0, 0, 0,    // nlmsg_pid = 0: the kernel
///     0, 0, 0, 0,    // DONE's error field = 0
///     0xff, 0, 0, 0, // nlmsg_len = 255: past the datagram's end
///     3, 0, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0,
/// ];
/// let mut messages = Messages::new(&datagram);
/// let done = messages.next().unwrap().unwrap();
/// assert_eq!((done.kind(), done.seq(), done.payload()), (NLMSG_DONE, 1, &[0u8; 4][..]));
/// assert!(matches!(messages.next(), Some(Err(Error::Overrun { len: 255, .. }))));
/// assert!(messages.next().is_none(), "no way to find a next message");
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Messages<'a> {
    rest: &'a [u8],
}

impl<'a> Messages<'a> {
    /// Iterate over the messages in `datagram`.
    pub fn new(datagram: &'a [u8]) -> Self {
        Messages { rest: datagram }
    }
}

impl<'a> Iterator for Messages<'a> {
    type Item = Result<NlMsg<&'a [u8]>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let rest = std::mem::take(&mut self.rest);
        let msg = match NlMsg::new_checked(rest) {
            Ok(msg) => msg,
            Err(e) => return Some(Err(e)),
        };
        let len = msg.len() as usize;
        // The last message of a datagram may omit its pad.
        self.rest = rest.get(align4(len)..).unwrap_or(&[]);
        Some(Ok(NlMsg::new_unchecked(&rest[..len])))
    }
}

/// A decoded NLMSG_ERROR: an errno (0 for an ACK) and extended-ACK details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorMsg<'a> {
    /// The kernel's error: 0 for an ACK, otherwise a negative errno.
    pub error: i32,
    /// Header of the request this answers (seq, type).
    pub request_seq: Option<u32>,
    /// Extended ACK text (NLMSGERR_ATTR_MSG), without its NUL.
    pub ext_msg: Option<&'a [u8]>,
    /// Extended ACK offset of the offending attribute (NLMSGERR_ATTR_OFFS).
    pub ext_offset: Option<u32>,
}

/// Size of the `error` field that starts NLMSG_ERROR and NLMSG_DONE payloads.
const ERRNO_LEN: usize = 4;

impl<'a> ErrorMsg<'a> {
    /// Decode the payload of an NLMSG_ERROR message with header `flags`.
    ///
    /// Rejects a payload shorter than `struct nlmsgerr` (20 bytes). The
    /// echoed request is the whole request unless NLM_F_CAPPED says it was
    /// cut to its header; extended-ACK attributes follow it when
    /// NLM_F_ACK_TLVS is set. Malformed extended-ACK attributes are ignored:
    /// the errno is what matters, the text is a courtesy.
    pub fn parse(payload: &'a [u8], flags: u16) -> Result<Self, Error> {
        need("nlmsgerr", payload, ERRNO_LEN + HDRLEN)?;
        let error = errno_field(payload)?;
        let echoed = NlMsg::new_unchecked(&payload[ERRNO_LEN..]);
        let request_len = echoed.len() as usize;
        let echoed_len = if flags & NLM_F_CAPPED != 0 {
            HDRLEN
        } else {
            align4(request_len).max(HDRLEN)
        };
        let mut msg = ErrorMsg {
            error,
            request_seq: Some(echoed.seq()),
            ext_msg: None,
            ext_offset: None,
        };
        if flags & NLM_F_ACK_TLVS != 0 {
            // Two steps: ERRNO_LEN + a saturated echoed_len could wrap.
            let tlvs = payload[ERRNO_LEN..].get(echoed_len..).unwrap_or(&[]);
            msg.read_ext_ack(tlvs);
            // An offset outside the request it points into means nothing.
            msg.ext_offset = msg.ext_offset.filter(|&o| (o as usize) < request_len);
        }
        Ok(msg)
    }

    /// Decode the payload of an NLMSG_DONE message with header `flags`.
    ///
    /// A DONE of 16 bytes (no payload, as very old kernels send) means
    /// success. Otherwise its first four bytes are the dump's error, and
    /// extended-ACK attributes may follow directly (netlink_dump_done()).
    /// A payload of 1 to 3 bytes and a positive error field are rejected.
    pub fn parse_done(payload: &'a [u8], flags: u16) -> Result<Self, Error> {
        let mut msg = ErrorMsg {
            error: 0,
            request_seq: None,
            ext_msg: None,
            ext_offset: None,
        };
        if !payload.is_empty() {
            // Some of an error field is no error field (iproute2: "DONE truncated").
            need("nlmsgerr in NLMSG_DONE", payload, ERRNO_LEN)?;
            msg.error = errno_field(payload)?;
            if flags & NLM_F_ACK_TLVS != 0 {
                msg.read_ext_ack(&payload[ERRNO_LEN..]);
            }
        }
        Ok(msg)
    }

    fn read_ext_ack(&mut self, tlvs: &'a [u8]) {
        // A malformed TLV ends the walk; what was read before it stays.
        for attr in Attrs::new(tlvs).map_while(Result::ok) {
            match attr.kind() {
                NLMSGERR_ATTR_MSG => self.ext_msg = Some(attr.bytes_to_nul()),
                NLMSGERR_ATTR_OFFS => self.ext_offset = attr.u32().ok(),
                _ => {}
            }
        }
    }

    /// The extended-ACK text as UTF-8, if present and non-empty.
    pub fn ext_text(&self) -> Option<&'a str> {
        let text = std::str::from_utf8(self.ext_msg?).ok()?.trim();
        (!text.is_empty()).then_some(text)
    }
}

/// The leading `int error` of an ERROR or DONE payload (at least 4 bytes).
fn errno_field(payload: &[u8]) -> Result<i32, Error> {
    match ne_u32(payload, 0) as i32 {
        e if e > 0 => Err(Error::PositiveErrno(e)),
        e => Ok(e),
    }
}

/// Builds a request in a caller-provided buffer: header, a fixed family
/// header, then attributes, each padded to 4 bytes, with `nlmsg_len` kept
/// current. Never allocates; a request that does not fit is an error.
///
/// A link dump without statistics, read back through the checked views:
///
/// ```
/// use nlq::wire::attr::Attrs;
/// use nlq::wire::ifinfomsg::{IFINFOMSG_LEN, IFLA_EXT_MASK, IfInfoMsgRepr, RTM_GETLINK};
/// use nlq::wire::nlmsg::{NLM_F_DUMP, NLM_F_REQUEST, NlMsg, RequestBuilder};
///
/// # fn main() -> Result<(), nlq::wire::Error> {
/// let mut buf = [0u8; 64];
/// let request = RequestBuilder::new(&mut buf, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 7)
///     .fixed(&IfInfoMsgRepr::default().emit())
///     .attr_u32(IFLA_EXT_MASK, 1 << 3) // RTEXT_FILTER_SKIP_STATS
///     .finish()?;
/// assert_eq!(request.len(), 16 + IFINFOMSG_LEN + 8);
///
/// let msg = NlMsg::new_checked(request)?;
/// assert_eq!((msg.kind(), msg.seq(), msg.len()), (RTM_GETLINK, 7, 40));
/// let attr = Attrs::new(&msg.payload()[IFINFOMSG_LEN..]).next().unwrap()?;
/// assert_eq!((attr.kind(), attr.u32()?), (IFLA_EXT_MASK, 8));
///
/// // A buffer too small is an error, not a panic or a cut request.
/// let mut small = [0u8; 24];
/// let built = RequestBuilder::new(&mut small, RTM_GETLINK, NLM_F_REQUEST, 0)
///     .fixed(&IfInfoMsgRepr::default().emit())
///     .finish();
/// assert!(built.is_err());
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct RequestBuilder<'b> {
    buf: &'b mut [u8],
    len: usize,
    error: Option<Error>,
}

impl<'b> RequestBuilder<'b> {
    /// Start a request of type `kind` with `flags` and sequence number `seq`
    /// (port id 0: the kernel fills in the sender).
    pub fn new(buf: &'b mut [u8], kind: u16, flags: u16, seq: u32) -> Self {
        let mut b = RequestBuilder {
            buf,
            len: 0,
            error: None,
        };
        let mut hdr = [0u8; HDRLEN];
        hdr[field::TYPE].copy_from_slice(&kind.to_ne_bytes());
        hdr[field::FLAGS].copy_from_slice(&flags.to_ne_bytes());
        hdr[field::SEQ].copy_from_slice(&seq.to_ne_bytes());
        b.put(&hdr);
        b
    }

    /// Append a fixed header (rtmsg, ifinfomsg, ...), padded to 4 bytes.
    pub fn fixed(mut self, bytes: &[u8]) -> Self {
        self.put(bytes);
        self
    }

    /// Append an attribute of type `kind` with `payload`, padded to 4 bytes.
    pub fn attr(mut self, kind: u16, payload: &[u8]) -> Self {
        let len = super::attr::HDRLEN + payload.len();
        let Ok(len16) = u16::try_from(len) else {
            self.error.get_or_insert(Error::NoRoom {
                need: len,
                have: u16::MAX as usize,
            });
            return self;
        };
        let mut hdr = [0u8; super::attr::HDRLEN];
        hdr[..2].copy_from_slice(&len16.to_ne_bytes());
        hdr[2..].copy_from_slice(&kind.to_ne_bytes());
        self.put_raw(&hdr);
        self.put(payload);
        self
    }

    /// Append a `u32` attribute in host byte order.
    pub fn attr_u32(self, kind: u16, value: u32) -> Self {
        self.attr(kind, &value.to_ne_bytes())
    }

    /// Finish: set `nlmsg_len` and return the request bytes.
    pub fn finish(self) -> Result<&'b [u8], Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let len = self.len as u32;
        self.buf[field::LEN].copy_from_slice(&len.to_ne_bytes());
        Ok(&self.buf[..self.len])
    }

    fn put(&mut self, bytes: &[u8]) {
        self.put_raw(bytes);
        let padded = align4(self.len);
        let pad = padded - self.len;
        self.put_raw(&[0u8; 3][..pad]);
    }

    fn put_raw(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        match self.buf.get_mut(self.len..end) {
            Some(dst) if self.error.is_none() => {
                dst.copy_from_slice(bytes);
                self.len = end;
            }
            _ => {
                let have = self.buf.len();
                self.error.get_or_insert(Error::NoRoom { need: end, have });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One RTM_NEWLINK-typed message of 20 bytes (4 payload) + one DONE.
    const TWO: [u8; 36] = [
        0x14, 0, 0, 0, // nlmsg_len = 20
        0x10, 0, // nlmsg_type = RTM_NEWLINK (16)
        0x02, 0, // nlmsg_flags = NLM_F_MULTI
        7, 0, 0, 0, // nlmsg_seq = 7
        0x39, 0x30, 0, 0, // nlmsg_pid = 12345
        0xaa, 0xbb, 0xcc, 0xdd, // payload
        0x10, 0, 0, 0, // nlmsg_len = 16
        0x03, 0, // NLMSG_DONE
        0x02, 0, // NLM_F_MULTI
        7, 0, 0, 0, // seq
        0x39, 0x30, 0, 0, // pid
    ];

    #[test]
    fn iterates_two_messages() {
        let msgs: Vec<_> = Messages::new(&TWO).collect::<Result<_, _>>().unwrap();
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0].kind(), 16);
        assert_eq!(msgs[0].flags(), NLM_F_MULTI);
        assert_eq!(msgs[0].seq(), 7);
        assert_eq!(msgs[0].port_id(), 12345);
        assert_eq!(msgs[0].payload(), &[0xaa, 0xbb, 0xcc, 0xdd]);
        assert_eq!(msgs[1].kind(), NLMSG_DONE);
        assert!(msgs[1].payload().is_empty());
    }

    fn first_error(bytes: &[u8]) -> Error {
        let mut it = Messages::new(bytes);
        let err = it.find_map(Result::err).expect("an error");
        assert!(it.next().is_none(), "iterator stops after an error");
        err
    }

    #[test]
    fn rejects_len_below_header() {
        let mut b = TWO;
        b[0] = 15; // nlmsg_len = 15
        assert_eq!(
            first_error(&b),
            Error::TooShort {
                what: "nlmsghdr",
                len: 15,
                min: 16
            }
        );
        b[0] = 0; // nlmsg_len = 0
        assert_eq!(
            first_error(&b),
            Error::TooShort {
                what: "nlmsghdr",
                len: 0,
                min: 16
            }
        );
    }

    #[test]
    fn rejects_len_past_datagram() {
        let mut b = TWO;
        b[0..4].copy_from_slice(&0xFFFF_FFFFu32.to_ne_bytes());
        assert_eq!(
            first_error(&b),
            Error::Overrun {
                what: "nlmsghdr",
                len: 0xFFFF_FFFF,
                have: 36
            }
        );
    }

    #[test]
    fn rejects_truncated_tail() {
        let b = &TWO[..20 + 10]; // second header cut to 10 bytes
        let mut it = Messages::new(b);
        assert!(it.next().unwrap().is_ok());
        assert_eq!(
            it.next().unwrap().unwrap_err(),
            Error::Truncated {
                what: "nlmsghdr",
                need: 16,
                have: 10
            }
        );
        assert!(it.next().is_none());
    }

    #[test]
    fn unpadded_last_message_is_accepted() {
        let b = &TWO[..18]; // 18-byte message, no pad, ends the datagram
        let mut copy = b.to_vec();
        copy[0] = 18;
        let msgs: Vec<_> = Messages::new(&copy).collect::<Result<_, _>>().unwrap();
        assert_eq!(msgs.len(), 1);
        assert_eq!(msgs[0].payload(), &[0xaa, 0xbb]);
    }

    #[test]
    fn builder_sets_len_and_pads() {
        let mut buf = [0u8; 64];
        let req = RequestBuilder::new(&mut buf, 18, NLM_F_REQUEST | NLM_F_DUMP, 9)
            .fixed(&[2, 0, 0, 0, 0]) // 5 bytes → padded to 8
            .attr_u32(15, 100)
            .finish()
            .unwrap();
        assert_eq!(req.len(), 16 + 8 + 8);
        let msg = NlMsg::new_checked(req).unwrap();
        assert_eq!(msg.len(), 32);
        assert_eq!(msg.kind(), 18);
        assert_eq!(msg.flags(), 0x301);
        assert_eq!(msg.seq(), 9);
        assert_eq!(&msg.payload()[..8], &[2, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&msg.payload()[8..], &[8, 0, 15, 0, 100, 0, 0, 0]);
    }

    #[test]
    fn builder_reports_no_room() {
        let mut buf = [0u8; 20];
        let err = RequestBuilder::new(&mut buf, 18, 0, 1)
            .fixed(&[0; 12])
            .finish()
            .unwrap_err();
        assert_eq!(err, Error::NoRoom { need: 28, have: 20 });
    }

    #[rustfmt::skip]
    const ERR_EXT: [u8; 4 + 16 + 12 + 8] = [
        0xea, 0xff, 0xff, 0xff, // error = -22 (EINVAL)
        0x20, 0, 0, 0, 0x1a, 0, 0x01, 0x03, 5, 0, 0, 0, 0, 0, 0, 0, // echoed header, nlmsg_len 32
        0x0c, 0, 0x01, 0, b'b', b'a', b'd', b' ', b'x', 0, 0, 0, // MSG "bad x\0", pad
        0x08, 0, 0x02, 0, 0x14, 0, 0, 0, // OFFS = 20
    ];

    #[test]
    fn error_with_ext_ack() {
        let e = ErrorMsg::parse(&ERR_EXT, NLM_F_CAPPED | NLM_F_ACK_TLVS).unwrap();
        assert_eq!(e.error, -22);
        assert_eq!(e.request_seq, Some(5));
        assert_eq!(e.ext_text(), Some("bad x"));
        assert_eq!(e.ext_offset, Some(20));
    }

    #[test]
    fn ext_ack_offset_outside_the_request_is_dropped() {
        let mut b = ERR_EXT;
        b[4] = 0x14; // the echoed request was 20 bytes long: offset 20 is past it
        let e = ErrorMsg::parse(&b, NLM_F_CAPPED | NLM_F_ACK_TLVS).unwrap();
        assert_eq!(e.ext_offset, None);
        assert_eq!(e.ext_text(), Some("bad x"), "the text survives");
    }

    #[test]
    fn positive_error_is_rejected() {
        let mut b = ERR_EXT;
        b[..4].copy_from_slice(&5i32.to_ne_bytes());
        assert_eq!(ErrorMsg::parse(&b, 0).unwrap_err(), Error::PositiveErrno(5));
        assert_eq!(
            ErrorMsg::parse_done(&b[..4], 0).unwrap_err(),
            Error::PositiveErrno(5)
        );
    }

    #[test]
    fn ack_with_capped_request() {
        let mut b = ERR_EXT;
        b[..4].copy_from_slice(&0i32.to_ne_bytes()); // error 0: an ACK
        let e = ErrorMsg::parse(&b[..20], NLM_F_CAPPED).unwrap();
        assert_eq!((e.error, e.request_seq, e.ext_msg), (0, Some(5), None));
    }

    #[test]
    fn error_shorter_than_nlmsgerr() {
        assert_eq!(
            ErrorMsg::parse(&ERR_EXT[..19], 0).unwrap_err(),
            Error::Truncated {
                what: "nlmsgerr",
                need: 20,
                have: 19
            }
        );
    }

    #[test]
    fn ext_ack_unterminated_message() {
        let mut b = ERR_EXT;
        b[29] = b'!'; // overwrite the NUL: text runs to the attribute's end
        let e = ErrorMsg::parse(&b, NLM_F_CAPPED | NLM_F_ACK_TLVS).unwrap();
        assert_eq!(e.ext_text(), Some("bad x!"));
    }

    #[test]
    fn done_with_a_cut_error_field_is_truncated() {
        for len in 1..4 {
            assert_eq!(
                ErrorMsg::parse_done(&[0; 3][..len], 0).unwrap_err(),
                Error::Truncated {
                    what: "nlmsgerr in NLMSG_DONE",
                    need: 4,
                    have: len
                }
            );
        }
    }

    #[test]
    fn done_variants() {
        assert_eq!(ErrorMsg::parse_done(&[], 0).unwrap().error, 0);
        let mut p = vec![0xea, 0xff, 0xff, 0xff]; // -EINVAL
        p.extend_from_slice(&[0x08, 0, 0x01, 0, b'n', b'o', 0, 0]);
        let d = ErrorMsg::parse_done(&p, NLM_F_MULTI | NLM_F_ACK_TLVS).unwrap();
        assert_eq!(d.error, -22);
        assert_eq!(d.ext_text(), Some("no"));
    }

    #[test]
    fn len_one_past_the_datagram_is_an_overrun() {
        let mut b = TWO;
        b[0] = 37; // nlmsg_len = 37: one byte more than the 36-byte datagram
        assert_eq!(
            first_error(&b),
            Error::Overrun {
                what: "nlmsghdr",
                len: 37,
                have: 36
            }
        );
        b[0] = 36; // nlmsg_len = 36: the whole datagram is one message
        let msgs: Vec<_> = Messages::new(&b).collect::<Result<_, _>>().unwrap();
        assert_eq!(msgs.len(), 1);
        assert_eq!(msgs[0].payload().len(), 20);
    }

    #[test]
    fn second_message_past_the_datagram_keeps_the_first() {
        let mut b = TWO;
        b[20] = 0x24; // second nlmsg_len = 36, only 16 bytes left
        let mut it = Messages::new(&b);
        let first = it.next().unwrap().unwrap();
        assert_eq!(
            (first.kind(), first.payload()),
            (16, &[0xaa, 0xbb, 0xcc, 0xdd][..])
        );
        assert_eq!(
            it.next().unwrap().unwrap_err(),
            Error::Overrun {
                what: "nlmsghdr",
                len: 36,
                have: 16
            }
        );
        assert!(it.next().is_none(), "iterator stops after an error");
    }

    #[test]
    fn ext_ack_message_without_any_nul_runs_to_the_attribute_end() {
        #[rustfmt::skip]
        let b = [
            0xea, 0xff, 0xff, 0xff, // error = -22 (EINVAL)
            0x20, 0, 0, 0, // echoed nlmsg_len = 32
            0x1a, 0,       // echoed nlmsg_type = RTM_GETROUTE (26)
            0x01, 0x03,    // echoed nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP
            5, 0, 0, 0,    // echoed nlmsg_seq = 5
            0, 0, 0, 0,    // echoed nlmsg_pid = 0
            0x09, 0, 0x01, 0, b'b', b'a', b'd', b' ', b'x', 0xee, 0xee, 0xee, // MSG "bad x", no NUL; pad
            0x08, 0, 0x02, 0, 0x14, 0, 0, 0, // OFFS = 20
        ];
        let e = ErrorMsg::parse(&b, NLM_F_CAPPED | NLM_F_ACK_TLVS).unwrap();
        assert_eq!(
            e.ext_msg,
            Some(&b"bad x"[..]),
            "the pad is not part of the text"
        );
        assert_eq!(e.ext_text(), Some("bad x"));
        assert_eq!((e.error, e.ext_offset), (-22, Some(20)));
    }

    #[test]
    fn ext_ack_message_overrunning_the_payload_is_dropped_errno_kept() {
        #[rustfmt::skip]
        let b = [
            0xea, 0xff, 0xff, 0xff, // error = -22 (EINVAL)
            0x20, 0, 0, 0, // echoed nlmsg_len = 32
            0x1a, 0,       // echoed nlmsg_type = RTM_GETROUTE (26)
            0x01, 0x03,    // echoed nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP
            5, 0, 0, 0,    // echoed nlmsg_seq = 5
            0, 0, 0, 0,    // echoed nlmsg_pid = 0
            0x08, 0, 0x02, 0, 0x10, 0, 0, 0, // OFFS = 16
            0x40, 0, 0x01, 0, b'b', b'a', b'd', // MSG claiming 64 bytes, 7 left
        ];
        let e = ErrorMsg::parse(&b, NLM_F_CAPPED | NLM_F_ACK_TLVS).unwrap();
        assert_eq!(
            e,
            ErrorMsg {
                error: -22,
                request_seq: Some(5),
                ext_msg: None,
                ext_offset: Some(16),
            },
            "what came before the bad TLV stays"
        );
    }

    #[test]
    fn ext_ack_after_an_echoed_length_past_the_payload_is_ignored() {
        let mut b = ERR_EXT;
        b[4..8].copy_from_slice(&0xFFFF_FFFFu32.to_ne_bytes()); // echoed nlmsg_len
        // Not capped: the TLVs would start after a 4 GiB echoed request. On a
        // 32-bit target 4 + align4(0xFFFFFFFF) overflows usize, so this test
        // is also the regression test for that addition.
        let e = ErrorMsg::parse(&b, NLM_F_ACK_TLVS).unwrap();
        assert_eq!(
            e,
            ErrorMsg {
                error: -22,
                request_seq: Some(5),
                ext_msg: None,
                ext_offset: None,
            }
        );
    }

    #[test]
    fn ext_ack_tlvs_without_the_ack_tlvs_flag_are_ignored() {
        let e = ErrorMsg::parse(&ERR_EXT, NLM_F_CAPPED).unwrap();
        assert_eq!((e.error, e.ext_msg, e.ext_offset), (-22, None, None));
    }

    #[test]
    fn ack_with_capped_and_ext_ack_warning() {
        let mut b = ERR_EXT;
        b[..4].copy_from_slice(&0i32.to_ne_bytes()); // error 0: an ACK
        let e = ErrorMsg::parse(&b, NLM_F_CAPPED | NLM_F_ACK_TLVS).unwrap();
        assert_eq!(e.error, 0);
        assert_eq!(e.ext_text(), Some("bad x"), "text on an ACK is a warning");
    }
}
