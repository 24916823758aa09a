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
use super::object::{ObjectKind, group};
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

/// The monitor's kind `bucket`: the kernel announces a bucket that the
/// upkeep of a resilient group moved to another nexthop as an
/// RTM_NEWNEXTHOPBUCKET on RTNLGRP_NEXTHOP (`ip monitor nexthop` prints
/// them as `[NEXTHOPBUCKET]`). A deleted group's buckets get no message of
/// their own.
impl ObjectKind for Bucket {
    const NAME: &'static str = "bucket";
    const NEW: u16 = RTM_NEWNEXTHOPBUCKET;
    const DEL: u16 = RTM_DELNEXTHOPBUCKET;
    const GET: u16 = RTM_GETNEXTHOPBUCKET;
    const GROUPS: &'static [(u8, u32)] = &[(0, group::NEXTHOP)];
    /// A bucket has its group's family, AF_UNSPEC: `-4` / `-6` leave
    /// buckets out, as they leave groups out.
    const FAMILIES: &'static [u8] = &[0];
    /// (NHA_ID, NHA_RES_BUCKET_INDEX): the group and the bucket's place
    /// in it (`None` only when malformed).
    type Key = (Option<u32>, Option<u16>);

    fn decode_payload(payload: &[u8]) -> Result<Self, WireError> {
        Ok(Bucket::decode(&NhMsg::new_checked(payload)?))
    }
    fn dump_header(_family: u8) -> Vec<u8> {
        NhMsgRepr::default().emit().to_vec()
    }
    fn key(&self) -> Self::Key {
        (self.id, self.index)
    }
    /// The idle time grows on its own.
    fn settle(&mut self) {
        self.idle_time = None;
    }
    fn family(&self) -> u8 {
        self.family
    }
    /// A bucket names its nexthop, not a device: `--dev` leaves it out.
    fn on_dev(&self, _: u32, _: &str) -> bool {
        false
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
    fn a_bucket_is_the_group_and_the_index_its_idle_time_settles() {
        use crate::wire::nlmsg::NlMsg;
        let mut msg = vec![
            64, 0, 0, 0, // nlmsg_len: 16 + 48
            116, 0, 0, 1, // RTM_NEWNEXTHOPBUCKET, NLM_F_REPLACE (0x100)
            0, 0, 0, 0, 0, 0, 0, 0, // seq, pid
        ];
        msg.extend_from_slice(&BUCKET);
        let m = NlMsg::new_checked(&msg[..]).unwrap();
        let (action, b) = Bucket::read(&m).unwrap().unwrap();
        assert_eq!(action, crate::model::object::Action::Replace);
        assert_eq!(b.key(), (Some(10), Some(3)));
        let mut later = b.clone();
        later.idle_time = Some(99_999);
        assert!(b.same(&later), "only the idle time moved");
        assert_eq!(Bucket::groups(None), [32]);
        assert!(!Bucket::has_family(Some(crate::wire::attr::AF_INET)));
        let req = Bucket::dump_request(None, 1).unwrap();
        assert_eq!(
            NlMsg::new_checked(&req[..]).unwrap().kind(),
            RTM_GETNEXTHOPBUCKET
        );
    }

    #[test]
    fn truncated_attributes_never_panic() {
        for end in NHMSG_LEN..BUCKET.len() {
            let b = Bucket::decode(&NhMsg::new_checked(&BUCKET[..end]).unwrap());
            assert!(b.nhid.is_none() || end == BUCKET.len());
        }
    }
}
