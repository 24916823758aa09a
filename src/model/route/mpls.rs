//! MPLS label stacks (linux/mpls.h), as RTA_DST and RTA_NEWDST of AF_MPLS
//! routes and MPLS_IPTUNNEL_DST of `encap mpls` carry them: one or more
//! 32-bit big-endian label stack entries,
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                Label                  | TC  |S|       TTL     |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! the last one with the bottom-of-stack bit S. Only the labels are kept:
//! the kernel refuses a TC or TTL other than 0 in these attributes
//! (`nla_get_labels`) and `ip` prints neither.

use std::fmt::{self, Display};

use crate::wire::Error as WireError;
use crate::wire::attr::{Attr, AttrIndex};

/// The most labels a stack holds: the kernel's MAX_NEW_LABELS
/// (net/mpls/internal.h); a longer stack is malformed.
pub const MAX_LABELS: usize = 30;

/// Bits of the label in an entry (MPLS_LS_LABEL_MASK).
const LABEL_MASK: u32 = 0xFFFF_F000;
/// Shift of the label in an entry (MPLS_LS_LABEL_SHIFT).
const LABEL_SHIFT: u32 = 12;
/// The bottom-of-stack bit (MPLS_LS_S_MASK).
const BOS: u32 = 0x100;

/// An MPLS label stack, outermost label first, without allocation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Labels {
    len: u8,
    labels: [u32; MAX_LABELS],
}

impl Labels {
    /// Decode a stack attribute. The stack ends at the first entry with
    /// the bottom-of-stack bit, as `ip`'s mpls_ntop reads it (anything
    /// after it is ignored); a payload that is empty, not a whole number
    /// of entries, without a bottom of stack, or deeper than
    /// [`MAX_LABELS`] is an error.
    pub fn parse(a: Attr<'_>) -> Result<Self, WireError> {
        let p = a.payload();
        let bad = || WireError::AttrSize {
            kind: a.kind(),
            len: p.len(),
            expected: 4,
        };
        if p.is_empty() || p.len() % 4 != 0 {
            return Err(bad());
        }
        let mut stack = Labels::default();
        for chunk in p.chunks_exact(4) {
            let entry = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
            let slot = stack.labels.get_mut(stack.len as usize).ok_or_else(bad)?;
            *slot = (entry & LABEL_MASK) >> LABEL_SHIFT;
            stack.len += 1;
            if entry & BOS != 0 {
                return Ok(stack);
            }
        }
        Err(bad())
    }

    /// A stack of `labels` (at most [`MAX_LABELS`]; the rest is dropped).
    pub fn from_slice(labels: &[u32]) -> Self {
        let mut stack = Labels::default();
        for (slot, &l) in stack.labels.iter_mut().zip(labels) {
            *slot = l;
            stack.len += 1;
        }
        stack
    }

    /// The labels, outermost first.
    pub fn as_slice(&self) -> &[u32] {
        &self.labels[..(self.len as usize).min(MAX_LABELS)]
    }
}

/// `100/200`: the labels joined with `/`, as `ip` writes a stack.
impl Display for Labels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        for l in self.as_slice() {
            write!(f, "{sep}{l}")?;
            sep = "/";
        }
        Ok(())
    }
}

/// An MPLS encapsulation (LWTUNNEL_ENCAP_MPLS): the labels pushed onto
/// the packet and the TTL they get.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MplsTunnel {
    /// The label stack pushed (MPLS_IPTUNNEL_DST).
    pub dst: Option<Labels>,
    /// TTL of the pushed labels (MPLS_IPTUNNEL_TTL); absent: taken from
    /// the packet (the `net.mpls.ip_ttl_propagate` sysctl decides).
    pub ttl: Option<u8>,
}

impl MplsTunnel {
    /// Decode the nested MPLS_IPTUNNEL_{DST=1, TTL=2} attributes; a
    /// malformed one is left out.
    pub(super) fn parse(payload: &[u8]) -> Self {
        let idx = AttrIndex::<3>::parse(payload);
        MplsTunnel {
            dst: idx.get(1).and_then(|a| Labels::parse(a).ok()),
            ttl: idx.get(2).and_then(|a| a.u8().ok()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(payload: &[u8]) -> Result<Labels, WireError> {
        Labels::parse(Attr::new(1, payload))
    }

    #[test]
    fn single_label() {
        #[rustfmt::skip]
        let p = [
            0x00, 0x06, 0x41, 0x00, // label 100, tc 0, S, ttl 0
        ];
        let l = labels(&p).unwrap();
        assert_eq!(l.as_slice(), &[100]);
        assert_eq!(l.to_string(), "100");
    }

    #[test]
    fn stack_keeps_order_and_ignores_tc_and_ttl() {
        #[rustfmt::skip]
        let p = [
            0x00, 0x0c, 0x8e, 0x40, // label 200, tc 7, no S, ttl 64
            0x00, 0x12, 0xc1, 0xff, // label 300, S, ttl 255
            0x00, 0x19, 0x01, 0x00, // label 400: after the bottom, ignored
        ];
        let l = labels(&p).unwrap();
        assert_eq!(l.as_slice(), &[200, 300]);
        assert_eq!(l.to_string(), "200/300");
    }

    #[test]
    fn largest_label() {
        let p = [0xff, 0xff, 0xf1, 0x00]; // label 1048575, S
        assert_eq!(labels(&p).unwrap().as_slice(), &[0xF_FFFF]);
    }

    #[test]
    fn malformed_stacks() {
        let cases: [&[u8]; 4] = [
            &[],                                   // no entry
            &[0x00, 0x06, 0x41],                   // 3 bytes: not an entry
            &[0x00, 0x06, 0x41, 0x00, 0x00, 0x0c], // 6 bytes: 1.5 entries
            &[0x00, 0x06, 0x40, 0x00],             // no bottom of stack
        ];
        for p in cases {
            assert!(labels(p).is_err(), "{p:?}");
        }
        let deep: Vec<u8> = (0..=MAX_LABELS)
            .flat_map(|i| [0, 0x10, if i == MAX_LABELS { 1 } else { 0 }, 0])
            .collect();
        assert!(labels(&deep).is_err(), "31 labels");
        assert_eq!(labels(&deep[4..]).unwrap().as_slice().len(), MAX_LABELS);
    }

    #[test]
    fn tunnel_with_ttl() {
        #[rustfmt::skip]
        let p = [
            12, 0, 1, 0,                // MPLS_IPTUNNEL_DST, 8 bytes:
                0x00, 0x0c, 0x80, 0x00, //   label 200
                0x00, 0x12, 0xc1, 0x00, //   label 300, S
            5, 0, 2, 0, 10, 0, 0, 0,    // MPLS_IPTUNNEL_TTL = 10
        ];
        let t = MplsTunnel::parse(&p);
        assert_eq!(t.dst.unwrap().as_slice(), &[200, 300]);
        assert_eq!(t.ttl, Some(10));
        #[rustfmt::skip]
        let bad = [
            7, 0, 1, 0, 0x00, 0x0c, 0x81, 0, // MPLS_IPTUNNEL_DST of 3 bytes: dropped
            6, 0, 2, 0, 10, 0, 0, 0,         // MPLS_IPTUNNEL_TTL of 2 bytes: dropped
        ];
        assert_eq!(MplsTunnel::parse(&bad), MplsTunnel::default());
    }

    #[test]
    fn from_slice_caps() {
        let many = [7u32; 40];
        assert_eq!(Labels::from_slice(&many).as_slice().len(), MAX_LABELS);
        assert_eq!(Labels::from_slice(&[1, 2]).to_string(), "1/2");
    }
}
