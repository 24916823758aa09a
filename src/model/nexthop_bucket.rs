//! One bucket of a resilient nexthop group (RTM_NEWNEXTHOPBUCKET), as
//! `ip nexthop bucket` shows it: the group's id, the bucket's index, the
//! nexthop it holds and how long it has been idle.
//!
//! The message is a `struct nhmsg` (the family of the group, the flags of
//! the bucket's nexthop) followed by NHA_ID and a nested NHA_RES_BUCKET
//! (include/uapi/linux/nexthop.h). As everywhere in nlq, the first
//! attribute of a type wins, unknown ones are skipped, and one of the
//! wrong size leaves its field out (and is counted as malformed).

use super::nexthop::CLOCK_HZ;
use crate::wire::Error as WireError;
use crate::wire::attr::{Attr, AttrIndex};
use crate::wire::nhmsg::*;
use crate::wire::nlmsg::NlMsg;

/// One bucket of a resilient group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Bucket {
    /// The group's nexthop id (NHA_ID).
    pub id: Option<u32>,
    /// Address family of the group (nh_family; AF_UNSPEC for groups).
    pub family: u8,
    /// RTNH_F_* flags of the bucket's nexthop (nh_flags).
    pub flags: u32,
    /// The bucket's index in the group (NHA_RES_BUCKET_INDEX).
    pub index: Option<u16>,
    /// How long the bucket has been idle, in clock ticks of 1/[`CLOCK_HZ`]
    /// s (NHA_RES_BUCKET_IDLE_TIME).
    pub idle_time: Option<u64>,
    /// The nexthop the bucket holds (NHA_RES_BUCKET_NH_ID).
    pub nhid: Option<u32>,
    /// Whether an attribute was present but malformed, or the walk stopped
    /// early at a malformed header.
    pub malformed: bool,
}

impl Bucket {
    /// Decode an RTM_NEWNEXTHOPBUCKET message: `Ok(None)` for any other
    /// message type, an error for one too short for `struct nhmsg`.
    pub fn try_from_msg(msg: &NlMsg<&[u8]>) -> Result<Option<Bucket>, WireError> {
        if msg.kind() != RTM_NEWNEXTHOPBUCKET {
            return Ok(None);
        }
        Ok(Some(Bucket::decode(&NhMsg::new_checked(msg.payload())?)))
    }

    /// [`Bucket::try_from_msg`] for callers that skip what they cannot
    /// read: `None` for another message type and for a malformed one.
    pub fn from_msg(msg: &NlMsg<&[u8]>) -> Option<Bucket> {
        Self::try_from_msg(msg).ok().flatten()
    }

    /// Decode a checked `nhmsg` and its attributes. Never panics.
    pub fn decode<T: AsRef<[u8]>>(hdr: &NhMsg<T>) -> Bucket {
        let idx = AttrIndex::<NHA_MAX>::parse(hdr.attr_bytes());
        let mut bad = idx.error.is_some();
        let mut b = Bucket {
            family: hdr.family(),
            flags: hdr.flags(),
            ..Bucket::default()
        };
        if let Some(a) = idx.get(NHA_ID) {
            b.id = a.u32().ok();
            bad |= b.id.is_none();
        }
        if let Some(a) = idx.get(NHA_RES_BUCKET) {
            bad |= b.read_bucket(a);
        }
        b.malformed = bad;
        b
    }

    /// Read the nested NHA_RES_BUCKET_* attributes; whether one was bad.
    fn read_bucket(&mut self, nest: Attr<'_>) -> bool {
        let idx = AttrIndex::<NHA_RES_BUCKET_MAX>::parse(nest.payload());
        let mut bad = idx.error.is_some();
        let mut get = |kind, f: fn(Attr<'_>) -> Option<u64>| {
            let v = f(idx.get(kind)?);
            bad |= v.is_none();
            v
        };
        let index = get(NHA_RES_BUCKET_INDEX, |a| a.u16().ok().map(u64::from));
        let idle = get(NHA_RES_BUCKET_IDLE_TIME, |a| a.u64().ok());
        let nhid = get(NHA_RES_BUCKET_NH_ID, |a| a.u32().ok().map(u64::from));
        self.index = index.and_then(|v| u16::try_from(v).ok());
        self.idle_time = idle;
        self.nhid = nhid.and_then(|v| u32::try_from(v).ok());
        bad
    }

    /// The idle time in seconds, exact to the clock tick.
    pub fn idle_seconds(&self) -> Option<f64> {
        self.idle_time.map(|t| t as f64 / CLOCK_HZ as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rustfmt::skip]
    const BUCKET: [u8; 48] = [
        0, 0, 0, 0,             // nh_family AF_UNSPEC, scope, protocol, resvd
        0x10, 0, 0, 0,          // nh_flags RTNH_F_LINKDOWN
        8, 0, 1, 0,             // NHA_ID, len 8
        10, 0, 0, 0,            //   id 10
        32, 0, 13, 0x80,        // NHA_RES_BUCKET | NLA_F_NESTED, len 32
        6, 0, 1, 0, 3, 0, 0, 0, //   NHA_RES_BUCKET_INDEX 3 (u16 + pad)
        12, 0, 2, 0,            //   NHA_RES_BUCKET_IDLE_TIME, len 12
        150, 0, 0, 0, 0, 0, 0, 0, //   150 ticks
        8, 0, 3, 0, 2, 0, 0, 0, //   NHA_RES_BUCKET_NH_ID 2
    ];

    #[test]
    fn decodes_every_field() {
        let b = Bucket::decode(&NhMsg::new_checked(&BUCKET[..]).unwrap());
        assert_eq!(b.id, Some(10));
        assert_eq!(
            (b.index, b.idle_time, b.nhid),
            (Some(3), Some(150), Some(2))
        );
        assert_eq!(b.flags, 0x10);
        assert_eq!(b.idle_seconds(), Some(1.5));
        assert!(!b.malformed);
    }

    #[test]
    fn a_wrong_size_spoils_one_field() {
        let mut bytes = BUCKET;
        bytes[20] = 5; // NHA_RES_BUCKET_INDEX of 1 byte: too short for a u16
        let b = Bucket::decode(&NhMsg::new_checked(&bytes[..]).unwrap());
        assert_eq!((b.index, b.nhid), (None, Some(2)));
        assert!(b.malformed);
    }

    #[test]
    fn truncated_attributes_never_panic() {
        for end in NHMSG_LEN..BUCKET.len() {
            let b = Bucket::decode(&NhMsg::new_checked(&BUCKET[..end]).unwrap());
            assert!(b.nhid.is_none() || end == BUCKET.len());
        }
    }
}
