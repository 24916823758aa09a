//! Netlink wire format: checked, zero-copy views over byte slices.
//!
//! # The contract
//!
//! Everything in this module is pure: no I/O, no allocation, no printing, no
//! `unsafe`. Bytes that come from the kernel or from a capture file are
//! *untrusted*; they enter only through a checked constructor (`new_checked`)
//! or one of the iterators ([`nlmsg::Messages`], [`attr::Attrs`]), which yield
//! `Result`s. Once a view has been checked, none of its accessors can panic or
//! read outside the slice it was built over, whatever the bytes say.
//!
//! Every length read from the wire is widened to `usize` before it is aligned
//! (a `u16` attribute length near `0xFFFF` would overflow if aligned in
//! place), and cursors advance with `slice.get(align4(len)..)`, never with
//! arithmetic that can underflow. Iterators stop after the first error: a
//! length that cannot be trusted leaves no way to find the next record.
//!
//! `new_unchecked` exists for buffers nlq builds itself (requests).

pub mod addrlabel;
pub mod attr;
pub mod bridge;
pub mod brvlan;
pub mod fib_rule;
pub mod genlmsg;
pub mod ifaddrmsg;
pub mod ifinfomsg;
pub mod ifstatsmsg;
pub mod ndmsg;
pub mod ndtmsg;
pub mod netconf;
pub mod nhmsg;
pub mod nlmsg;
pub mod rtmsg;

/// Netlink's alignment unit: NLMSG_ALIGNTO and RTA_ALIGNTO are both 4.
pub const ALIGNTO: usize = 4;

/// Round `len` up to the next multiple of 4 (NLMSG_ALIGN / RTA_ALIGN).
///
/// Saturates instead of overflowing, so a hostile length can never wrap
/// around to a small number.
pub const fn align4(len: usize) -> usize {
    match len.checked_add(ALIGNTO - 1) {
        Some(n) => n & !(ALIGNTO - 1),
        None => usize::MAX & !(ALIGNTO - 1),
    }
}

/// Why a run of bytes is not a well-formed netlink structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Fewer bytes than the structure's fixed part needs.
    #[error("truncated {what}: need {need} bytes, have {have}")]
    Truncated {
        /// The structure being read ("nlmsghdr", "rtmsg", "rtattr", ...).
        what: &'static str,
        /// Bytes the fixed part needs.
        need: usize,
        /// Bytes available.
        have: usize,
    },
    /// A length field smaller than the header it counts.
    #[error("{what} length {len} is shorter than its {min}-byte header")]
    TooShort {
        /// The structure whose length field is bad.
        what: &'static str,
        /// The length the field claims.
        len: usize,
        /// The smallest valid length.
        min: usize,
    },
    /// A length field that runs past the end of the enclosing buffer.
    #[error("{what} length {len} overruns the {have} bytes left")]
    Overrun {
        /// The structure whose length field is bad.
        what: &'static str,
        /// The length the field claims.
        len: usize,
        /// Bytes left in the enclosing buffer.
        have: usize,
    },
    /// A fixed-size attribute whose payload has the wrong size.
    #[error("attribute {kind} has {len} payload bytes, expected {expected}")]
    AttrSize {
        /// Attribute type, flags masked off.
        kind: u16,
        /// Payload length found.
        len: usize,
        /// Payload length the type requires.
        expected: usize,
    },
    /// An address attribute whose length does not fit its family.
    #[error("address of {len} bytes does not fit address family {family}")]
    AddrFamily {
        /// The address family (AF_INET, AF_INET6, ...).
        family: u8,
        /// Payload length found.
        len: usize,
    },
    /// An NLMSG_ERROR or NLMSG_DONE whose error field is positive: the
    /// kernel sends 0 (success) or a negative errno, never more.
    #[error("error field {0} is positive; the kernel sends 0 or a negative errno")]
    PositiveErrno(i32),
    /// A request that does not fit the buffer it is being built in.
    #[error("request needs {need} bytes, the buffer has {have}")]
    NoRoom {
        /// Bytes the request needs.
        need: usize,
        /// Bytes the buffer holds.
        have: usize,
    },
}

/// Read a native-endian `u16` at `at`; the caller has checked the bounds.
pub(crate) fn ne_u16(buf: &[u8], at: usize) -> u16 {
    u16::from_ne_bytes([buf[at], buf[at + 1]])
}

/// Read a native-endian `u32` at `at`; the caller has checked the bounds.
pub(crate) fn ne_u32(buf: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes([buf[at], buf[at + 1], buf[at + 2], buf[at + 3]])
}

/// Check that `buf` holds at least `need` bytes of the structure `what`.
pub(crate) fn need(what: &'static str, buf: &[u8], need: usize) -> Result<(), Error> {
    if buf.len() < need {
        return Err(Error::Truncated {
            what,
            need,
            have: buf.len(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn align4_rounds_up() {
        assert_eq!(align4(0), 0);
        assert_eq!(align4(1), 4);
        assert_eq!(align4(4), 4);
        assert_eq!(align4(5), 8);
        assert_eq!(align4(0xFFFF), 0x10000);
    }

    #[test]
    fn align4_saturates_instead_of_wrapping() {
        assert_eq!(align4(usize::MAX), usize::MAX & !3);
        assert_eq!(align4(usize::MAX - 1), usize::MAX & !3);
    }
}

#[cfg(test)]
mod proptests;
