//! Nexthop objects (RTM_NEWNEXTHOP): [`Nexthop`], decoded from a checked
//! [`NhMsg`], and the selection `nlq nexthops` applies to them.
//!
//! A nexthop is either single (a gateway and/or a device, a blackhole, or
//! an FDB nexthop) or a group of other nexthops, each with a weight. The
//! attributes are indexed once (first occurrence wins); unknown types are
//! skipped, and a known attribute of the wrong size (an NHA_OIF of 3
//! bytes, an NHA_GROUP whose length is not a multiple of 8) drops that one
//! field and sets its flag in [`Nexthop::malformed`]. Nothing here panics.

use std::net::IpAddr;

use super::object::{ObjectKind, group};
use super::route::Encap;
use crate::wire::Error as WireError;
use crate::wire::attr::{AF_INET, AF_INET6, Attr, AttrIndex};
use crate::wire::nhmsg::{
    GroupEntries, NEXTHOP_GRP_TYPE_MPATH, NEXTHOP_GRP_TYPE_RES, NHA_BLACKHOLE, NHA_ENCAP,
    NHA_ENCAP_TYPE, NHA_FDB, NHA_GATEWAY, NHA_GROUP, NHA_GROUP_TYPE, NHA_ID, NHA_MAX, NHA_OIF,
    NHA_RES_GROUP, NHA_RES_GROUP_BUCKETS, NHA_RES_GROUP_IDLE_TIMER, NHA_RES_GROUP_MAX,
    NHA_RES_GROUP_UNBALANCED_TIME, NHA_RES_GROUP_UNBALANCED_TIMER, NhMsg, NhMsgRepr,
    RTM_DELNEXTHOP, RTM_GETNEXTHOP, RTM_NEWNEXTHOP,
};
use crate::wire::nlmsg::NlMsg;

/// The type of a nexthop group (NHA_GROUP_TYPE, NEXTHOP_GRP_TYPE_*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupType {
    /// Hash-threshold multipath, the default (NEXTHOP_GRP_TYPE_MPATH).
    Mpath,
    /// Resilient hashing over buckets (NEXTHOP_GRP_TYPE_RES).
    Resilient,
    /// A type nlq does not know.
    Unknown(u16),
}

impl GroupType {
    /// The type of NHA_GROUP_TYPE value `v`.
    pub fn from_u16(v: u16) -> Self {
        match v {
            NEXTHOP_GRP_TYPE_MPATH => GroupType::Mpath,
            NEXTHOP_GRP_TYPE_RES => GroupType::Resilient,
            v => GroupType::Unknown(v),
        }
    }

    /// The name `ip` uses ("mpath", "resilient"), `None` for unknown types.
    pub fn name(self) -> Option<&'static str> {
        match self {
            GroupType::Mpath => Some("mpath"),
            GroupType::Resilient => Some("resilient"),
            GroupType::Unknown(_) => None,
        }
    }

    /// The NHA_GROUP_TYPE value.
    pub fn to_u16(self) -> u16 {
        match self {
            GroupType::Mpath => NEXTHOP_GRP_TYPE_MPATH,
            GroupType::Resilient => NEXTHOP_GRP_TYPE_RES,
            GroupType::Unknown(v) => v,
        }
    }
}

/// One member of a group (`struct nexthop_grp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Member {
    /// The member's nexthop id (id).
    pub id: u32,
    /// The weight minus one, all 16 bits (weight_high << 8 | weight).
    pub weight_raw: u16,
}

impl Member {
    /// The weight, 1 to 65536.
    pub fn weight(&self) -> u32 {
        u32::from(self.weight_raw) + 1
    }

    /// The weight iproute2 6.1 prints: its low byte + 1, and nothing when
    /// the low byte is 0 (weight 1; it predates `weight_high`).
    pub fn ip_weight(&self) -> Option<u32> {
        let low = self.weight_raw & 0xff;
        (low != 0).then_some(u32::from(low) + 1)
    }
}

/// Clock ticks per second of the resilient-group times (clock_t, USER_HZ).
pub const CLOCK_HZ: u64 = 100;

/// Resilient group parameters (NHA_RES_GROUP); times in clock ticks of
/// 1/[`CLOCK_HZ`] s. Each is `None` when absent or malformed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Resilient {
    /// Number of buckets (NHA_RES_GROUP_BUCKETS).
    pub buckets: Option<u16>,
    /// Idle time after which a bucket may move, in ticks
    /// (NHA_RES_GROUP_IDLE_TIMER).
    pub idle_timer: Option<u32>,
    /// Time after which an unbalanced group is rebalanced forcibly, in
    /// ticks (NHA_RES_GROUP_UNBALANCED_TIMER).
    pub unbalanced_timer: Option<u32>,
    /// How long the group has been unbalanced, in ticks
    /// (NHA_RES_GROUP_UNBALANCED_TIME).
    pub unbalanced_time: Option<u64>,
    /// Whether one of the nested attributes was malformed.
    pub malformed: bool,
}

impl Resilient {
    fn parse(payload: &[u8]) -> Self {
        let idx = AttrIndex::<NHA_RES_GROUP_MAX>::parse(payload);
        let mut bad = idx.error.is_some();
        let mut get = |kind, f: fn(Attr<'_>) -> Option<u64>| {
            let a = idx.get(kind)?;
            let v = f(a);
            bad |= v.is_none();
            v
        };
        let buckets = get(NHA_RES_GROUP_BUCKETS, |a| a.u16().ok().map(u64::from));
        let idle = get(NHA_RES_GROUP_IDLE_TIMER, |a| a.u32().ok().map(u64::from));
        let unbal = get(NHA_RES_GROUP_UNBALANCED_TIMER, |a| {
            a.u32().ok().map(u64::from)
        });
        let time = get(NHA_RES_GROUP_UNBALANCED_TIME, |a| a.u64().ok());
        Resilient {
            buckets: buckets.map(|v| v as u16),
            idle_timer: idle.map(|v| v as u32),
            unbalanced_timer: unbal.map(|v| v as u32),
            unbalanced_time: time,
            malformed: bad,
        }
    }
}

/// The attributes of a nexthop that were present but malformed (wrong
/// size, or a bad nested structure). All `false` for a well-formed one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Malformed {
    /// NHA_ID.
    pub id: bool,
    /// NHA_OIF.
    pub oif: bool,
    /// NHA_GATEWAY.
    pub gateway: bool,
    /// NHA_GROUP (no member is kept).
    pub group: bool,
    /// NHA_GROUP_TYPE.
    pub group_type: bool,
    /// NHA_ENCAP_TYPE.
    pub encap_type: bool,
    /// NHA_RES_GROUP: one of its nested attributes (the others are kept).
    pub res_group: bool,
}

impl Malformed {
    /// Record attribute `kind` as malformed; kinds without a flag are
    /// ignored (the decoder only passes the ones above).
    fn set(&mut self, kind: u16) {
        let flag = match kind {
            NHA_ID => &mut self.id,
            NHA_OIF => &mut self.oif,
            NHA_GATEWAY => &mut self.gateway,
            NHA_GROUP => &mut self.group,
            NHA_GROUP_TYPE => &mut self.group_type,
            NHA_ENCAP_TYPE => &mut self.encap_type,
            NHA_RES_GROUP => &mut self.res_group,
            _ => return,
        };
        *flag = true;
    }
}

/// One nexthop object, as every renderer sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Nexthop {
    /// The nexthop id (NHA_ID); `None` when absent or malformed.
    pub id: Option<u32>,
    /// Address family: AF_INET, AF_INET6, 0 for groups (nh_family).
    pub family: u8,
    /// Scope, RT_SCOPE_* (nh_scope).
    pub scope: u8,
    /// Routing protocol that installed it, RTPROT_* (nh_protocol).
    pub protocol: u8,
    /// RTNH_F_* flags (nh_flags).
    pub flags: u32,
    /// Whether this is a group (NHA_GROUP present, even if malformed).
    pub is_group: bool,
    /// The group's members, in kernel order (NHA_GROUP; empty otherwise).
    pub members: Vec<Member>,
    /// The group type (NHA_GROUP_TYPE).
    pub group_type: Option<GroupType>,
    /// Resilient group parameters (NHA_RES_GROUP).
    pub resilient: Option<Resilient>,
    /// Whether the nexthop drops packets (NHA_BLACKHOLE).
    pub blackhole: bool,
    /// Output interface index (NHA_OIF).
    pub oif: Option<u32>,
    /// Gateway, of the nexthop's family (NHA_GATEWAY).
    pub gateway: Option<IpAddr>,
    /// Encapsulation (NHA_ENCAP_TYPE + NHA_ENCAP).
    pub encap: Option<Encap>,
    /// Whether the nexthop belongs to a bridge/VXLAN FDB (NHA_FDB).
    pub fdb: bool,
    /// The attributes that were present but malformed; their fields were
    /// dropped.
    pub malformed: Malformed,
    /// Whether the attribute walk stopped early at a malformed header.
    pub truncated: bool,
}

impl Nexthop {
    /// Decode an RTM_NEWNEXTHOP message: `Ok(None)` for any other message type, an
    /// error for one whose payload is too short for `struct nhmsg`
    /// (malformed: nothing of it can be trusted).
    pub fn try_from_msg(msg: &NlMsg<&[u8]>) -> Result<Option<Nexthop>, WireError> {
        if msg.kind() != RTM_NEWNEXTHOP {
            return Ok(None);
        }
        Ok(Some(Nexthop::decode(&NhMsg::new_checked(msg.payload())?)))
    }

    /// [`Nexthop::try_from_msg`] for callers that skip what they cannot read:
    /// `None` for another message type and for a malformed one alike.
    pub fn from_msg(msg: &NlMsg<&[u8]>) -> Option<Nexthop> {
        Self::try_from_msg(msg).ok().flatten()
    }

    /// Decode a checked `nhmsg` and its attributes. Never panics.
    pub fn decode<T: AsRef<[u8]>>(hdr: &NhMsg<T>) -> Nexthop {
        let idx = AttrIndex::<NHA_MAX>::parse(hdr.attr_bytes());
        let mut nh = Nexthop {
            family: hdr.family(),
            scope: hdr.scope(),
            protocol: hdr.protocol(),
            flags: hdr.flags(),
            truncated: idx.error.is_some(),
            blackhole: idx.get(NHA_BLACKHOLE).is_some(),
            fdb: idx.get(NHA_FDB).is_some(),
            ..Nexthop::default()
        };
        let family = nh.family;
        nh.id = nh.field(&idx, NHA_ID, |a| a.u32());
        nh.oif = nh.field(&idx, NHA_OIF, |a| a.u32());
        nh.gateway = nh.field(&idx, NHA_GATEWAY, |a| a.ip(family));
        nh.group_type = nh.field(&idx, NHA_GROUP_TYPE, |a| a.u16().map(GroupType::from_u16));
        nh.read_group(&idx);
        nh.read_encap(&idx);
        if let Some(a) = idx.get(NHA_RES_GROUP) {
            let res = Resilient::parse(a.payload());
            nh.mark(NHA_RES_GROUP, !res.malformed);
            nh.resilient = Some(res);
        }
        nh
    }

    /// Read attribute `kind` with `get`; a malformed one is recorded and
    /// yields `None`.
    fn field<V>(
        &mut self,
        idx: &AttrIndex<'_, NHA_MAX>,
        kind: u16,
        get: impl FnOnce(Attr<'_>) -> Result<V, WireError>,
    ) -> Option<V> {
        let value = get(idx.get(kind)?);
        self.mark(kind, value.is_ok());
        value.ok()
    }

    /// Record attribute `kind` as malformed unless `ok`.
    fn mark(&mut self, kind: u16, ok: bool) {
        if !ok {
            self.malformed.set(kind);
        }
    }

    fn read_group(&mut self, idx: &AttrIndex<'_, NHA_MAX>) {
        let Some(a) = idx.get(NHA_GROUP) else { return };
        self.is_group = true;
        match GroupEntries::new_checked(a.payload()) {
            Ok(entries) => self.members.extend(entries.map(|e| Member {
                id: e.id,
                weight_raw: u16::from(e.weight_high) << 8 | u16::from(e.weight),
            })),
            Err(_) => self.mark(NHA_GROUP, false),
        }
    }

    fn read_encap(&mut self, idx: &AttrIndex<'_, NHA_MAX>) {
        let kind = self.field(idx, NHA_ENCAP_TYPE, |a| a.u16());
        if let (Some(kind), Some(a)) = (kind, idx.get(NHA_ENCAP)) {
            self.encap = Some(Encap::decode(kind, a.payload()));
        }
    }

    /// The group type as the kernel means it: NHA_GROUP_TYPE, or mpath
    /// for a group without one; `None` for a single nexthop.
    pub fn kind(&self) -> Option<GroupType> {
        self.group_type
            .or(self.is_group.then_some(GroupType::Mpath))
    }
}

/// Which nexthops to show: the validated selectors of a dump. The kernel
/// applies the same rules (`nh_dump_filtered`): a device, master or
/// family selector leaves groups out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Selection {
    /// AF_INET or AF_INET6; `None` for every family.
    pub family: Option<u8>,
    /// Only nexthops through this interface index.
    pub oif: Option<u32>,
    /// Only nexthops whose device is enslaved to this interface index.
    pub master: Option<u32>,
    /// Only groups.
    pub groups: bool,
    /// Only FDB nexthops (the kernel ignores this one; nlq does not).
    pub fdb: bool,
}

impl Selection {
    /// Whether `nh` is wanted; `master_of` maps an interface index to its
    /// master's index.
    pub fn keeps(&self, nh: &Nexthop, master_of: impl Fn(u32) -> Option<u32>) -> bool {
        let master = |m: u32| nh.oif.and_then(&master_of) == Some(m);
        self.family.is_none_or(|f| !nh.is_group && nh.family == f)
            && self.oif.is_none_or(|i| !nh.is_group && nh.oif == Some(i))
            && self.master.is_none_or(|m| !nh.is_group && master(m))
            && (!self.groups || nh.is_group)
            && (!self.fdb || nh.fdb)
    }
}

impl ObjectKind for Nexthop {
    const NAME: &'static str = "nexthop";
    const NEW: u16 = RTM_NEWNEXTHOP;
    const DEL: u16 = RTM_DELNEXTHOP;
    const GET: u16 = RTM_GETNEXTHOP;
    const GROUPS: &'static [(u8, u32)] = &[(0, group::NEXTHOP)];
    /// Groups are family 0 (AF_UNSPEC).
    const FAMILIES: &'static [u8] = &[0, AF_INET, AF_INET6];
    /// NHA_ID (`None` only when malformed).
    type Key = Option<u32>;

    fn decode_payload(payload: &[u8]) -> Result<Self, WireError> {
        Ok(Nexthop::decode(&NhMsg::new_checked(payload)?))
    }
    fn dump_header(family: u8) -> Vec<u8> {
        NhMsgRepr {
            family,
            ..NhMsgRepr::default()
        }
        .emit()
        .to_vec()
    }
    fn key(&self) -> Option<u32> {
        self.id
    }
    fn settle(&mut self) {}
    fn family(&self) -> u8 {
        self.family
    }
    fn on_dev(&self, index: u32, _: &str) -> bool {
        self.oif == Some(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::route::{EncapDetail, LWTUNNEL_ENCAP_IP};
    use crate::wire::attr::{AF_INET, AF_INET6};
    use crate::wire::nhmsg::NHMSG_LEN;

    /// `struct nhmsg`: AF_INET, scope link, protocol static, RTNH_F_ONLINK.
    #[rustfmt::skip]
    const HDR4: [u8; NHMSG_LEN] = [
        2,          // nh_family = AF_INET
        253,        // nh_scope = link
        4,          // nh_protocol = static
        0,          // resvd
        4, 0, 0, 0, // nh_flags = RTNH_F_ONLINK
    ];

    fn nh(hdr: &[u8], attrs: &[u8]) -> Nexthop {
        let mut buf = hdr.to_vec();
        buf.extend_from_slice(attrs);
        Nexthop::decode(&NhMsg::new_checked(&buf[..]).unwrap())
    }

    #[test]
    fn single_ipv4_nexthop() {
        #[rustfmt::skip]
        let attrs = [
            8, 0, 1, 0, 7, 0, 0, 0,     // NHA_ID = 7
            8, 0, 6, 0, 10, 0, 0, 2,    // NHA_GATEWAY = 10.0.0.2
            8, 0, 5, 0, 3, 0, 0, 0,     // NHA_OIF = 3
            8, 0, 0xe8, 3, 1, 2, 3, 4,  // type 1000: unknown, skipped
        ];
        let n = nh(&HDR4, &attrs);
        assert_eq!(n.id, Some(7));
        assert_eq!(n.gateway, Some(IpAddr::from([10, 0, 0, 2])));
        assert_eq!(n.oif, Some(3));
        assert_eq!(
            (n.family, n.scope, n.protocol, n.flags),
            (AF_INET, 253, 4, 4)
        );
        assert!(!n.is_group && !n.blackhole && !n.fdb);
        assert_eq!(
            (n.malformed, n.truncated, n.kind()),
            (Malformed::default(), false, None)
        );
    }

    #[test]
    fn ipv6_gateway_and_flags() {
        let hdr = [10, 0, 0, 0, 0, 0, 0, 0]; // AF_INET6, everything else 0
        let mut attrs = vec![8, 0, 1, 0, 2, 0, 0, 0, 20, 0, 6, 0]; // NHA_ID = 2, NHA_GATEWAY:
        attrs.extend_from_slice(
            &"2001:db8::2"
                .parse::<std::net::Ipv6Addr>()
                .unwrap()
                .octets(),
        );
        attrs.extend_from_slice(&[4, 0, 11, 0]); // NHA_FDB (a flag)
        let n = nh(&hdr, &attrs);
        assert_eq!(n.family, AF_INET6);
        assert_eq!(n.gateway, Some("2001:db8::2".parse().unwrap()));
        assert!(n.fdb);
    }

    #[test]
    fn blackhole() {
        let n = nh(&HDR4, &[8, 0, 1, 0, 4, 0, 0, 0, 4, 0, 4, 0]); // NHA_ID = 4, NHA_BLACKHOLE
        assert!(n.blackhole);
        assert_eq!(n.id, Some(4));
    }

    #[test]
    fn resilient_group() {
        #[rustfmt::skip]
        let attrs = [
            8, 0, 1, 0, 11, 0, 0, 0,        // NHA_ID = 11
            6, 0, 3, 0, 1, 0, 0, 0,         // NHA_GROUP_TYPE = resilient (+ pad)
            20, 0, 2, 0,                    // NHA_GROUP, two entries:
                1, 0, 0, 0, 0, 0, 0, 0,     //   id 1, weight 1
                3, 0, 0, 0, 4, 0, 0, 0,     //   id 3, weight 5
            44, 0, 12, 0x80,                // NHA_RES_GROUP | NLA_F_NESTED:
                6, 0, 1, 0, 8, 0, 0, 0,     //   BUCKETS = 8
                8, 0, 2, 0, 0x10, 0x27, 0, 0, // IDLE_TIMER = 10000 ticks
                8, 0, 3, 0, 0x20, 0x4e, 0, 0, // UNBALANCED_TIMER = 20000
                4, 0, 0, 0,                 //   PAD
                12, 0, 4, 0, 5, 0, 0, 0, 0, 0, 0, 0, // UNBALANCED_TIME = 5
        ];
        let n = nh(&[0, 0, 0, 0, 0, 0, 0, 0], &attrs);
        assert!(n.is_group);
        assert_eq!(
            n.members,
            [
                Member {
                    id: 1,
                    weight_raw: 0
                },
                Member {
                    id: 3,
                    weight_raw: 4
                }
            ]
        );
        assert_eq!(
            (n.members[0].ip_weight(), n.members[1].ip_weight()),
            (None, Some(5))
        );
        assert_eq!(n.kind(), Some(GroupType::Resilient));
        assert_eq!(
            n.resilient,
            Some(Resilient {
                buckets: Some(8),
                idle_timer: Some(10000),
                unbalanced_timer: Some(20000),
                unbalanced_time: Some(5),
                malformed: false,
            })
        );
        assert_eq!(n.malformed, Malformed::default());
    }

    #[test]
    fn group_without_type_is_mpath_and_weight_high_counts() {
        #[rustfmt::skip]
        let attrs = [
            12, 0, 2, 0, 9, 0, 0, 0, 0xff, 1, 0, 0, // NHA_GROUP: id 9, weight (1 << 8 | 255) + 1
        ];
        let n = nh(&[0; 8], &attrs);
        assert_eq!(n.kind(), Some(GroupType::Mpath));
        assert_eq!(n.members[0].weight(), 512);
        assert_eq!(
            n.members[0].ip_weight(),
            Some(256),
            "ip 6.1 reads the low byte"
        );
    }

    #[test]
    fn wrong_sizes_drop_one_field() {
        #[rustfmt::skip]
        let attrs = [
            7, 0, 5, 0, 3, 0, 0, 0,         // NHA_OIF of 3 bytes: dropped
            8, 0, 1, 0, 5, 0, 0, 0,         // NHA_ID = 5
            12, 0, 6, 0, 1, 2, 3, 4, 5, 6, 7, 8, // NHA_GATEWAY of 8 bytes for AF_INET
            8, 0, 2, 0, 1, 0, 0, 0,         // NHA_GROUP of 4 bytes: not a multiple of 8
            5, 0, 3, 0, 1, 0, 0, 0,         // NHA_GROUP_TYPE of 1 byte
            12, 0, 12, 0, 5, 0, 1, 0, 8, 0, 0, 0, // NHA_RES_GROUP: BUCKETS of 1 byte
        ];
        let n = nh(&HDR4, &attrs);
        assert_eq!(n.id, Some(5));
        assert_eq!((n.oif, n.gateway, n.group_type), (None, None, None));
        assert!(n.is_group && n.members.is_empty());
        let want = Malformed {
            oif: true,
            gateway: true,
            group: true,
            group_type: true,
            res_group: true,
            ..Malformed::default()
        };
        assert_eq!(n.malformed, want, "all but NHA_ID");
        assert_eq!(n.resilient.unwrap().buckets, None);
    }

    #[test]
    fn encap_and_truncation() {
        #[rustfmt::skip]
        let attrs = [
            6, 0, 7, 0, 2, 0, 0, 0,         // NHA_ENCAP_TYPE = LWTUNNEL_ENCAP_IP
            12, 0, 8, 0x80,                 // NHA_ENCAP, nested:
                8, 0, 2, 0, 10, 0, 0, 9,    //   LWTUNNEL_IP_DST = 10.0.0.9
            0xff, 0, 1, 0,                  // a header that overruns: the walk stops
        ];
        let n = nh(&HDR4, &attrs);
        let e = n.encap.unwrap();
        assert_eq!(e.kind.0, LWTUNNEL_ENCAP_IP);
        assert!(
            matches!(e.detail, EncapDetail::Ip(t) if t.dst == Some(IpAddr::from([10, 0, 0, 9])))
        );
        assert!(n.truncated);
    }

    #[test]
    fn from_msg_skips_other_types_and_short_payloads() {
        let msg = |kind, payload: &[u8]| crate::dump::script::message(kind, 2, 1, payload);
        let m = msg(RTM_NEWNEXTHOP, &HDR4[..7]);
        assert_eq!(
            Nexthop::from_msg(&NlMsg::new_checked(&m[..]).unwrap()),
            None
        );
        let m = msg(24, &HDR4); // RTM_NEWROUTE
        assert_eq!(
            Nexthop::from_msg(&NlMsg::new_checked(&m[..]).unwrap()),
            None
        );
        let m = msg(RTM_NEWNEXTHOP, &HDR4);
        let n = Nexthop::from_msg(&NlMsg::new_checked(&m[..]).unwrap()).unwrap();
        assert_eq!((n.id, n.family), (None, AF_INET));
    }

    #[test]
    fn selection_follows_the_kernel() {
        let single = Nexthop {
            id: Some(1),
            family: AF_INET,
            oif: Some(3),
            ..Nexthop::default()
        };
        let group = Nexthop {
            id: Some(2),
            is_group: true,
            fdb: true,
            ..Nexthop::default()
        };
        let master_of = |i: u32| (i == 3).then_some(9);
        let keeps = |s: Selection, n: &Nexthop| s.keeps(n, master_of);
        let all = Selection::default();
        assert!(keeps(all, &single) && keeps(all, &group));
        let v4 = Selection {
            family: Some(AF_INET),
            ..all
        };
        assert!(
            keeps(v4, &single) && !keeps(v4, &group),
            "a family leaves groups out"
        );
        let v6 = Selection {
            family: Some(AF_INET6),
            ..all
        };
        assert!(!keeps(v6, &single));
        let dev = Selection {
            oif: Some(3),
            ..all
        };
        assert!(keeps(dev, &single) && !keeps(dev, &group));
        let master = Selection {
            master: Some(9),
            ..all
        };
        assert!(keeps(master, &single) && !keeps(master, &group));
        let groups = Selection {
            groups: true,
            ..all
        };
        assert!(!keeps(groups, &single) && keeps(groups, &group));
        let fdb = Selection { fdb: true, ..all };
        assert!(!keeps(fdb, &single) && keeps(fdb, &group));
    }
}
