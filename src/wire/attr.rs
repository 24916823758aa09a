//! `struct rtattr` / `struct nlattr`: type-length-value attributes, their
//! iterator, typed getters, and the first-wins attribute index.
//!
//! ```text
//!  0       2       4
//!  +-------+-------+-------------------------+-----------+
//!  |  len  | type  | payload (len - 4 bytes) | pad to 4  |
//!  +-------+-------+-------------------------+-----------+
//! ```
//!
//! `len` counts the 4-byte header and the payload, not the pad. The top two
//! bits of `type` are flags (NLA_F_NESTED, NLA_F_NET_BYTEORDER,
//! linux/netlink.h); [`Attr::kind`] masks them off.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{Error, align4, ne_u16};

/// Size of the attribute header (RTA_LENGTH(0) / NLA_HDRLEN).
pub const HDRLEN: usize = 4;
/// Type flag: the payload is itself a list of attributes (NLA_F_NESTED).
pub const NLA_F_NESTED: u16 = 1 << 15;
/// Type flag: the payload is in network byte order (NLA_F_NET_BYTEORDER).
pub const NLA_F_NET_BYTEORDER: u16 = 1 << 14;
/// Mask that leaves the attribute type without its flags (NLA_TYPE_MASK).
pub const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

/// Address family numbers used to interpret address attributes.
pub const AF_INET: u8 = 2;
/// IPv6 address family (AF_INET6).
pub const AF_INET6: u8 = 10;

/// One attribute: its raw type and a payload slice inside the parent buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attr<'a> {
    raw_kind: u16,
    payload: &'a [u8],
}

impl<'a> Attr<'a> {
    /// An attribute with type `raw_kind` (flags included) over `payload`.
    pub fn new(raw_kind: u16, payload: &'a [u8]) -> Self {
        Attr { raw_kind, payload }
    }

    /// Attribute type with NLA_F_NESTED and NLA_F_NET_BYTEORDER masked off.
    pub fn kind(&self) -> u16 {
        self.raw_kind & NLA_TYPE_MASK
    }

    /// Whether the sender marked the payload as nested (NLA_F_NESTED).
    pub fn is_nested(&self) -> bool {
        self.raw_kind & NLA_F_NESTED != 0
    }

    /// The payload, without header or pad.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// The payload as an iterator over nested attributes.
    pub fn nested(&self) -> Attrs<'a> {
        Attrs::new(self.payload)
    }

    /// A `u8` payload.
    pub fn u8(&self) -> Result<u8, Error> {
        Ok(self.fixed::<1>()?[0])
    }

    /// A `u16` payload in host byte order.
    pub fn u16(&self) -> Result<u16, Error> {
        self.fixed().map(u16::from_ne_bytes)
    }

    /// A `u32` payload in host byte order.
    pub fn u32(&self) -> Result<u32, Error> {
        self.fixed().map(u32::from_ne_bytes)
    }

    /// An `i32` payload in host byte order.
    pub fn i32(&self) -> Result<i32, Error> {
        self.fixed().map(i32::from_ne_bytes)
    }

    /// A `u64` payload in host byte order.
    pub fn u64(&self) -> Result<u64, Error> {
        self.fixed().map(u64::from_ne_bytes)
    }

    /// A `u16` payload in network byte order (ports, VXLAN port).
    pub fn be16(&self) -> Result<u16, Error> {
        self.fixed().map(u16::from_be_bytes)
    }

    /// A `u32` payload in network byte order.
    pub fn be32(&self) -> Result<u32, Error> {
        self.fixed().map(u32::from_be_bytes)
    }

    /// The payload up to its first NUL (or all of it when there is none).
    pub fn bytes_to_nul(&self) -> &'a [u8] {
        let end = self
            .payload
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.payload.len());
        &self.payload[..end]
    }

    /// A NUL-terminated string payload; invalid UTF-8 is an error.
    pub fn str(&self) -> Result<&'a str, Error> {
        std::str::from_utf8(self.bytes_to_nul()).map_err(|_| Error::AttrSize {
            kind: self.kind(),
            len: self.payload.len(),
            expected: 0,
        })
    }

    /// An IPv4 address (4 bytes, network order).
    pub fn ipv4(&self) -> Result<Ipv4Addr, Error> {
        self.fixed::<4>().map(Ipv4Addr::from)
    }

    /// An IPv6 address (16 bytes, network order).
    pub fn ipv6(&self) -> Result<Ipv6Addr, Error> {
        self.fixed::<16>().map(Ipv6Addr::from)
    }

    /// An IP address whose size must match `family` (AF_INET / AF_INET6).
    pub fn ip(&self, family: u8) -> Result<IpAddr, Error> {
        let bad = Error::AddrFamily {
            family,
            len: self.payload.len(),
        };
        match family {
            AF_INET => self.ipv4().map(IpAddr::V4).map_err(|_| bad),
            AF_INET6 => self.ipv6().map(IpAddr::V6).map_err(|_| bad),
            _ => Err(bad),
        }
    }

    /// A hardware address of any length (IFLA_ADDRESS, NDA_LLADDR).
    pub fn hwaddr(&self) -> &'a [u8] {
        self.payload
    }

    /// A payload of exactly `N` bytes.
    pub fn fixed<const N: usize>(&self) -> Result<[u8; N], Error> {
        self.payload.try_into().map_err(|_| Error::AttrSize {
            kind: self.kind(),
            len: self.payload.len(),
            expected: N,
        })
    }
}

/// Iterator over a run of attributes (RTA_OK / RTA_NEXT).
///
/// Yields an error for a header that does not fit, `len < 4`, or `len` past
/// the end of the parent, and then stops: after a bad length there is no way
/// to find the next attribute. Every successful step advances by at least 4
/// bytes, so the iterator always terminates. Attributes of any type are
/// yielded; callers skip the types they do not know.
#[derive(Debug, Clone)]
pub struct Attrs<'a> {
    rest: &'a [u8],
}

impl<'a> Attrs<'a> {
    /// Iterate over the attributes in `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Attrs { rest: buf }
    }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Result<Attr<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let rest = std::mem::take(&mut self.rest);
        if rest.len() < HDRLEN {
            return Some(Err(Error::Truncated {
                what: "rtattr",
                need: HDRLEN,
                have: rest.len(),
            }));
        }
        let len = ne_u16(rest, 0) as usize;
        if len < HDRLEN {
            return Some(Err(Error::TooShort {
                what: "rtattr",
                len,
                min: HDRLEN,
            }));
        }
        if len > rest.len() {
            return Some(Err(Error::Overrun {
                what: "rtattr",
                len,
                have: rest.len(),
            }));
        }
        // The last attribute of a message may omit its pad.
        self.rest = rest.get(align4(len)..).unwrap_or(&[]);
        Some(Ok(Attr::new(ne_u16(rest, 2), &rest[HDRLEN..len])))
    }
}

/// The attributes of one message, indexed by type: `N` slots for the types
/// `0..N`. Types at or above `N` are skipped (forward compatibility).
///
/// The first occurrence of a type wins, as in iproute2's `parse_rtattr`
/// (which keeps the last in its table but is only ever fed kernel output
/// with unique types; first-wins makes a forged duplicate unable to
/// override a field already seen). A malformed attribute ends the walk; the
/// attributes before it are kept and the error is remembered in `error`, so
/// a model can show what survived and flag the rest.
///
/// ```
/// use nlq::wire::attr::AttrIndex;
/// use nlq::wire::ifinfomsg::{IFLA_IFNAME, IFLA_MAX, IFLA_MTU};
///
/// # #[cfg(target_endian = "little")] {
/// #[rustfmt::skip]
/// let attrs = [
///     8, 0, 4, 0,  0xdc, 0x05, 0, 0, // len 8, IFLA_MTU = 1500
///     7, 0, 3, 0,  b'l', b'o', 0, 0, // len 7, IFLA_IFNAME = "lo\0", 1 pad byte
///     8, 0, 0xff, 0x7f, 1, 2, 3, 4,  // a type from the future: skipped
///     8, 0, 4, 0,  0, 0, 0, 0,       // IFLA_MTU again: the first one wins
/// ];
/// let tb = AttrIndex::<IFLA_MAX>::parse(&attrs);
/// assert_eq!(tb.get(IFLA_MTU).map(|a| a.u32()), Some(Ok(1500)));
/// assert_eq!(tb.get(IFLA_IFNAME).map(|a| a.str()), Some(Ok("lo")));
/// assert!(tb.error.is_none());
///
/// // A length past the end stops the walk; what came before is kept.
/// let cut = [8, 0, 4, 0, 0xdc, 0x05, 0, 0, 0x40, 0, 3, 0, b'x', 0];
/// let tb = AttrIndex::<IFLA_MAX>::parse(&cut);
/// assert_eq!(tb.get(IFLA_MTU).map(|a| a.u32()), Some(Ok(1500)));
/// assert!(tb.get(IFLA_IFNAME).is_none() && tb.error.is_some());
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct AttrIndex<'a, const N: usize> {
    slots: [Option<Attr<'a>>; N],
    /// The first structural error met while walking, if any.
    pub error: Option<Error>,
}

impl<'a, const N: usize> AttrIndex<'a, N> {
    /// Index the attributes in `buf`.
    pub fn parse(buf: &'a [u8]) -> Self {
        let mut index = AttrIndex {
            slots: [None; N],
            error: None,
        };
        for attr in Attrs::new(buf) {
            match attr {
                Ok(a) => {
                    if let Some(slot @ None) = index.slots.get_mut(a.kind() as usize) {
                        *slot = Some(a);
                    }
                }
                Err(e) => index.error = Some(e),
            }
        }
        index
    }

    /// The attribute of type `kind`, if present.
    pub fn get(&self, kind: u16) -> Option<Attr<'a>> {
        self.slots.get(kind as usize).copied().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rustfmt::skip]
    const ATTRS: [u8; 8 + 8 + 12] = [
        0x08, 0, 0x0f, 0, 100, 0, 0, 0, // len 8, type 15 (RTA_TABLE) = 100
        0x05, 0, 0x01, 0x80, 7, 0, 0, 0, // len 5, type 1 | NLA_F_NESTED, 1 byte + pad
        0x0a, 0, 0x03, 0, b'e', b't', b'h', b'0', 0, 0, 0, 0, // "eth0\0" + junk, pad
    ];

    #[test]
    fn walks_and_masks() {
        let attrs: Vec<_> = Attrs::new(&ATTRS).collect::<Result<_, _>>().unwrap();
        assert_eq!(attrs.len(), 3);
        assert_eq!(attrs[0].kind(), 15);
        assert_eq!(attrs[0].u32(), Ok(100));
        assert_eq!(attrs[1].kind(), 1);
        assert!(attrs[1].is_nested());
        assert_eq!(attrs[1].u8(), Ok(7));
        assert_eq!(attrs[2].str(), Ok("eth0"));
    }

    fn first_error(bytes: &[u8]) -> Error {
        let mut it = Attrs::new(bytes);
        let err = it.find_map(Result::err).expect("an error");
        assert!(it.next().is_none(), "iterator stops after an error");
        err
    }

    #[test]
    fn rejects_bad_lengths() {
        for len in [0u8, 1, 3] {
            let b = [len, 0, 1, 0, 0, 0, 0, 0];
            assert_eq!(
                first_error(&b),
                Error::TooShort {
                    what: "rtattr",
                    len: len as usize,
                    min: 4
                }
            );
        }
        let b = [0xff, 0xff, 1, 0, 0, 0, 0, 0]; // rta_len = 0xFFFF
        assert_eq!(
            first_error(&b),
            Error::Overrun {
                what: "rtattr",
                len: 0xFFFF,
                have: 8
            }
        );
        assert_eq!(
            first_error(&[4, 0]),
            Error::Truncated {
                what: "rtattr",
                need: 4,
                have: 2
            }
        );
    }

    #[test]
    fn zero_length_payload_is_fine() {
        let b = [4, 0, 9, 0]; // len 4: a flag attribute with no payload
        let a = Attrs::new(&b).next().unwrap().unwrap();
        assert_eq!(a.kind(), 9);
        assert!(a.payload().is_empty());
        assert_eq!(
            a.u32(),
            Err(Error::AttrSize {
                kind: 9,
                len: 0,
                expected: 4
            })
        );
    }

    #[test]
    fn wrong_size_is_an_error_not_a_panic() {
        let a = Attr::new(1, &[1, 2, 3]); // RTA_OIF of 3 bytes
        assert_eq!(
            a.u32(),
            Err(Error::AttrSize {
                kind: 1,
                len: 3,
                expected: 4
            })
        );
        assert_eq!(
            a.ip(AF_INET),
            Err(Error::AddrFamily {
                family: AF_INET,
                len: 3
            })
        );
        let a = Attr::new(1, &[10, 0, 0, 1]);
        assert_eq!(a.ip(AF_INET), Ok("10.0.0.1".parse().unwrap()));
        assert!(a.ip(AF_INET6).is_err());
    }

    #[test]
    fn string_without_nul_and_invalid_utf8() {
        assert_eq!(
            Attr::new(3, b"toolongname_over16").str(),
            Ok("toolongname_over16")
        );
        assert!(Attr::new(3, &[0xff, 0xfe, 0]).str().is_err());
    }

    #[test]
    fn byte_order_getters() {
        let a = Attr::new(1 | NLA_F_NET_BYTEORDER, &[0x12, 0xb5]);
        assert_eq!(a.kind(), 1);
        assert_eq!(a.be16(), Ok(4789));
        assert_eq!(Attr::new(1, &[0, 0, 1, 0]).be32(), Ok(256));
    }

    #[test]
    fn index_first_wins_and_keeps_error() {
        #[rustfmt::skip]
        let b = [
            8, 0, 2, 0, 1, 0, 0, 0, // type 2 = 1
            8, 0, 2, 0, 2, 0, 0, 0, // type 2 = 2 (duplicate, ignored)
            8, 0, 0xe8, 0x03, 0, 0, 0, 0, // type 1000: unknown, skipped
            0xff, 0, 3, 0, // type 3 overruns
        ];
        let idx = AttrIndex::<4>::parse(&b);
        assert_eq!(idx.get(2).unwrap().u32(), Ok(1));
        assert!(idx.get(3).is_none());
        assert!(idx.get(1000).is_none());
        assert_eq!(
            idx.error,
            Some(Error::Overrun {
                what: "rtattr",
                len: 255,
                have: 4
            })
        );
    }

    #[test]
    fn len_one_past_the_parent_is_an_overrun_after_a_good_attribute() {
        #[rustfmt::skip]
        let b = [
            8, 0, 1, 0, 1, 2, 3, 4, // rta_len 8, type 1: fine
            9, 0, 2, 0, 5, 6, 7, 8, // rta_len 9, type 2: one byte past the 8 left
        ];
        let mut it = Attrs::new(&b);
        assert_eq!(it.next(), Some(Ok(Attr::new(1, &[1, 2, 3, 4]))));
        assert_eq!(
            it.next(),
            Some(Err(Error::Overrun {
                what: "rtattr",
                len: 9,
                have: 8
            }))
        );
        assert_eq!(it.next(), None, "iterator stops after an error");
    }

    #[test]
    fn unpadded_last_attribute_is_accepted() {
        #[rustfmt::skip]
        let b = [
            8, 0, 1, 0, 1, 2, 3, 4, // rta_len 8, type 1
            5, 0, 2, 0, 7,          // rta_len 5, type 2, 1 byte, no pad: ends the buffer
        ];
        let attrs: Vec<_> = Attrs::new(&b).collect::<Result<_, _>>().unwrap();
        assert_eq!(attrs, [Attr::new(1, &[1, 2, 3, 4]), Attr::new(2, &[7])]);
        let idx = AttrIndex::<3>::parse(&b);
        assert_eq!(idx.get(2).map(|a| a.u8()), Some(Ok(7)));
        assert_eq!(idx.error, None);
    }

    #[test]
    fn nested_attribute_longer_than_its_parent_stops_at_the_parent() {
        #[rustfmt::skip]
        let b = [
            12, 0, 1, 0x80,         // rta_len 12, type 1 | NLA_F_NESTED, 8 bytes:
                12, 0, 2, 0,        //   inner rta_len 12: 4 bytes past its parent
                0xaa, 0xaa, 0xaa, 0xaa, //   inner payload (what the parent holds of it)
            8, 0, 3, 0, 9, 9, 9, 9, // rta_len 8, type 3: the parent's sibling
        ];
        let outer: Vec<_> = Attrs::new(&b).collect::<Result<_, _>>().unwrap();
        assert_eq!(outer.len(), 2, "the outer walk is not affected");
        assert_eq!(outer[1], Attr::new(3, &[9, 9, 9, 9]));
        let mut inner = outer[0].nested();
        assert_eq!(
            inner.next(),
            Some(Err(Error::Overrun {
                what: "rtattr",
                len: 12,
                have: 8
            })),
            "the inner walk never reads the sibling's bytes"
        );
        assert_eq!(inner.next(), None);
        let idx = AttrIndex::<4>::parse(outer[0].payload());
        assert_eq!(idx.get(2), None);
        assert_eq!(
            idx.error,
            Some(Error::Overrun {
                what: "rtattr",
                len: 12,
                have: 8
            })
        );
    }

    #[test]
    fn index_first_wins_even_when_the_first_is_malformed() {
        #[rustfmt::skip]
        let b = [
            7, 0, 4, 0, 3, 0, 0, 0, // type 4 of 3 bytes (+ pad): wrong size, but first
            8, 0, 4, 0, 9, 0, 0, 0, // type 4 = 9: a duplicate, ignored
        ];
        let idx = AttrIndex::<5>::parse(&b);
        assert_eq!(idx.get(4), Some(Attr::new(4, &[3, 0, 0])));
        assert_eq!(idx.error, None);
    }

    #[test]
    fn index_masks_flags_before_looking_up_the_slot() {
        #[rustfmt::skip]
        let b = [
            8, 0, 2, 0x40, 1, 0, 0, 0, // type 2 | NLA_F_NET_BYTEORDER
            8, 0, 2, 0x80, 2, 0, 0, 0, // type 2 | NLA_F_NESTED: a duplicate of type 2
            8, 0, 0xff, 0xff, 3, 0, 0, 0, // type 0x3fff | both flags: past the table
        ];
        let idx = AttrIndex::<4>::parse(&b);
        assert_eq!(idx.get(2).map(|a| a.u32()), Some(Ok(1)));
        assert_eq!(idx.get(0x3fff), None);
        assert_eq!(idx.error, None);
    }
}
