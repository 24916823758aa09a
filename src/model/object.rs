//! What every kind of rtnetlink object has in common: how to ask the
//! kernel for all of it, which multicast groups carry its changes, how to
//! read one from a message, and what makes it "the same object" from one
//! message to the next.
//!
//! [`ObjectKind`] is implemented once per kind, beside the kind's model
//! (route.rs, link.rs, ...). The monitor keeps its state and the listing
//! commands reconcile an interrupted dump through it, so neither names a
//! kind: adding one means a model file with its impl, a renderer, and a
//! line in each layer's list of kinds.
//!
//! The identity keys are the kernel's own (what it compares to find an
//! existing object before it replaces or deletes one): a link by index, an
//! address by (index, family, local, peer, prefix length), a route by
//! (table, family, dst/len or an MPLS route's label, src/len, tos,
//! priority, and for a single-path route its type and nexthop: device,
//! gateway, via, nexthop object), a neighbour by (ifindex, family, dst), a
//! rule by its whole content, a nexthop by id.

use std::fmt::Debug;

use crate::wire::Error as WireError;
use crate::wire::nlmsg::{NLM_F_DUMP, NLM_F_REPLACE, NLM_F_REQUEST, NlMsg, RequestBuilder};

/// rtnetlink multicast groups (enum rtnetlink_groups, linux/rtnetlink.h).
pub mod group {
    /// Link changes (RTNLGRP_LINK).
    pub const LINK: u32 = 1;
    /// Neighbour changes, every family (RTNLGRP_NEIGH).
    pub const NEIGH: u32 = 3;
    /// IPv4 addresses (RTNLGRP_IPV4_IFADDR).
    pub const IPV4_IFADDR: u32 = 5;
    /// IPv4 routes (RTNLGRP_IPV4_ROUTE).
    pub const IPV4_ROUTE: u32 = 7;
    /// IPv4 rules (RTNLGRP_IPV4_RULE).
    pub const IPV4_RULE: u32 = 8;
    /// IPv6 addresses (RTNLGRP_IPV6_IFADDR).
    pub const IPV6_IFADDR: u32 = 9;
    /// IPv6 routes (RTNLGRP_IPV6_ROUTE).
    pub const IPV6_ROUTE: u32 = 11;
    /// IPv6 rules (RTNLGRP_IPV6_RULE).
    pub const IPV6_RULE: u32 = 19;
    /// MPLS routes (RTNLGRP_MPLS_ROUTE).
    pub const MPLS_ROUTE: u32 = 27;
    /// IPv4 device configuration (RTNLGRP_IPV4_NETCONF).
    pub const IPV4_NETCONF: u32 = 24;
    /// IPv6 device configuration (RTNLGRP_IPV6_NETCONF).
    pub const IPV6_NETCONF: u32 = 25;
    /// MPLS device configuration (RTNLGRP_MPLS_NETCONF).
    pub const MPLS_NETCONF: u32 = 29;
    /// Nexthop objects, every family (RTNLGRP_NEXTHOP).
    pub const NEXTHOP: u32 = 32;
    /// Bridge multicast database entries and router ports (RTNLGRP_MDB).
    pub const MDB: u32 = 26;
}

/// What a message says happened to its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Added or changed (RTM_NEW*; also every dump reply).
    New,
    /// Added in place of the objects of its group (RTM_NEW* with
    /// NLM_F_REPLACE: `ip route replace`), which the kernel removed
    /// without a deletion of their own ([`ObjectKind::same_group`]).
    Replace,
    /// Removed (RTM_DEL*).
    Del,
}

/// One kind of rtnetlink object (route, link, address, neighbour, rule,
/// nexthop).
pub trait ObjectKind: Clone + PartialEq + Debug + Sized {
    /// The kind's name on the command line and in JSON (`"route"`).
    const NAME: &'static str;
    /// The message type of an addition, a change and a dump reply (RTM_NEW*).
    const NEW: u16;
    /// The message type of a deletion (RTM_DEL*).
    const DEL: u16;
    /// The message type of a dump request (RTM_GET*).
    const GET: u16;
    /// The multicast groups that carry this kind's changes, as
    /// (family, group); family 0 for a group that carries every family.
    const GROUPS: &'static [(u8, u32)];
    /// The families the kind has objects in; empty when it is not per
    /// family (links).
    const FAMILIES: &'static [u8];
    /// Whether its events carry only what changed ([`ObjectKind::update`]
    /// merges them), so that a watcher must know the state first.
    const PARTIAL_EVENTS: bool = false;

    /// The identity within the kind: two messages with the same key are
    /// about the same object.
    type Key: Ord + Clone + Debug;

    /// Decode one message's payload of type [`ObjectKind::NEW`] or
    /// [`ObjectKind::DEL`]: an error when it is too short for the kind's
    /// fixed header (nothing of it can be trusted).
    fn decode_payload(payload: &[u8]) -> Result<Self, WireError>;

    /// The fixed header of a dump request for `family` (0: every family).
    fn dump_header(family: u8) -> Vec<u8>;

    /// The object's identity.
    fn key(&self) -> Self::Key;

    /// Forget what changes on its own (statistics, lifetimes, ages, probe
    /// counts), so that comparing two settled objects tells whether
    /// anything was changed by someone.
    fn settle(&mut self);

    /// The object's address family, for kinds that have [`ObjectKind::FAMILIES`].
    fn family(&self) -> u8;

    /// Whether the object is on (or goes through) interface `index`;
    /// `name` is the interface's name, for kinds that refer to
    /// interfaces by name (rules).
    fn on_dev(&self, index: u32, name: &str) -> bool;

    /// The object an event makes of the one known under the same key
    /// (`old`): `self` by default, as an RTM_NEW* carries the whole
    /// object. Netconf events carry only what changed, and are merged.
    fn update(&self, _old: &Self) -> Self {
        self.clone()
    }

    /// Whether `self`, a new version of `old`, changed the object's flags
    /// (the monitor then says CHANGE; links only).
    fn flags_changed(&self, _old: &Self) -> bool {
        false
    }

    /// Whether an object under `a` that replaces (NLM_F_REPLACE) takes
    /// the place of the one under `b`: the same key, except for routes,
    /// whose replacement may change the nexthop their key holds.
    fn same_group(a: &Self::Key, b: &Self::Key) -> bool {
        a == b
    }

    /// Whether listings show the object at all (`ip route` leaves the
    /// route cache out).
    fn listed(&self) -> bool {
        true
    }

    /// Attributes a dump request carries after the fixed header, as
    /// (type, u32 value) (links: IFLA_EXT_MASK).
    fn dump_attrs() -> &'static [(u16, u32)] {
        &[]
    }

    /// Read `msg`: what happened and to which object; `Ok(None)` for
    /// another message type, an error for a malformed message of this kind.
    fn read(msg: &NlMsg<&[u8]>) -> Result<Option<(Action, Self)>, WireError> {
        let action = match msg.kind() {
            k if k == Self::NEW && msg.flags() & NLM_F_REPLACE != 0 => Action::Replace,
            k if k == Self::NEW => Action::New,
            k if k == Self::DEL => Action::Del,
            _ => return Ok(None),
        };
        let obj = Self::decode_payload(msg.payload())?;
        Ok(obj.owns().then_some((action, obj)))
    }

    /// Every object `msg` holds: one for most kinds ([`ObjectKind::read`]);
    /// a bridge's whole multicast database in one MDB dump reply.
    fn read_all(msg: &NlMsg<&[u8]>) -> Result<Option<(Action, Vec<Self>)>, WireError> {
        Ok(Self::read(msg)?.map(|(action, obj)| (action, vec![obj])))
    }

    /// Whether a message of this kind's types is about an object of this
    /// kind: RTNLGRP_NEIGH carries IP neighbours and bridge FDB entries
    /// in the same message types, told apart by ndm_family.
    fn owns(&self) -> bool {
        true
    }

    /// The object with [`ObjectKind::settle`] applied.
    fn settled(&self) -> Self {
        let mut o = self.clone();
        o.settle();
        o
    }

    /// Whether `self` and `other` say the same, counters and ages aside.
    fn same(&self, other: &Self) -> bool {
        self.settled() == other.settled()
    }

    /// The multicast groups carrying the kind's changes in `family`
    /// (`None`: every family), in ascending order.
    fn groups(family: Option<u8>) -> Vec<u32> {
        let mut groups: Vec<u32> = Self::GROUPS
            .iter()
            .filter(|&&(f, _)| f == 0 || family.is_none_or(|want| want == f))
            .map(|&(_, g)| g)
            .collect();
        groups.sort_unstable();
        groups.dedup();
        groups
    }

    /// Whether the kind has objects in `family` (`None`: any family).
    fn has_family(family: Option<u8>) -> bool {
        family.is_none_or(|f| Self::FAMILIES.is_empty() || Self::FAMILIES.contains(&f))
    }

    /// Whether the object passes a family filter (`None`: every family
    /// the kind has): objects of families the kind does not list (bridge
    /// FDB entries among neighbours) never pass.
    fn in_family(&self, family: Option<u8>) -> bool {
        if Self::FAMILIES.is_empty() {
            return true;
        }
        let f = self.family();
        Self::FAMILIES.contains(&f) && family.is_none_or(|want| want == f)
    }

    /// A dump request for every object of `family` (`None`: all), with
    /// sequence number `seq`. Kinds that are not per family ask for
    /// family 0 whatever `family` says (a link dump for AF_INET6 would
    /// be IPv6's own, which refuses IFLA_EXT_MASK).
    fn dump_request(family: Option<u8>, seq: u32) -> Result<Vec<u8>, WireError> {
        let mut buf = [0u8; 64];
        let family = family.filter(|_| !Self::FAMILIES.is_empty());
        let header = Self::dump_header(family.unwrap_or(0));
        let mut req = RequestBuilder::new(&mut buf, Self::GET, NLM_F_REQUEST | NLM_F_DUMP, seq)
            .fixed(&header);
        for &(kind, value) in Self::dump_attrs() {
            req = req.attr_u32(kind, value);
        }
        Ok(req.finish()?.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::addr::Addr;
    use crate::model::link::Link;
    use crate::model::neigh::Neigh;
    use crate::model::nexthop::Nexthop;
    use crate::model::route::{AF_MPLS, Route};
    use crate::model::rule::Rule;
    use crate::wire::attr::{AF_INET, AF_INET6};
    use crate::wire::nlmsg::NlMsg;

    /// Every kind's dump request is a well-formed request of its GET type,
    /// with the family in the header's first byte.
    fn request_is_well_formed<T: ObjectKind>() {
        for family in [None, Some(AF_INET)] {
            let req = T::dump_request(family, 7).unwrap();
            let msg = NlMsg::new_checked(&req[..]).unwrap();
            assert_eq!(msg.kind(), T::GET, "{}", T::NAME);
            assert_eq!(msg.seq(), 7);
            assert_eq!(msg.flags(), NLM_F_REQUEST | NLM_F_DUMP);
            let asked = family.filter(|_| !T::FAMILIES.is_empty());
            assert_eq!(msg.payload()[0], asked.unwrap_or(0), "{}", T::NAME);
        }
    }

    #[test]
    fn dump_requests_are_well_formed() {
        request_is_well_formed::<Link>();
        request_is_well_formed::<Addr>();
        request_is_well_formed::<Route>();
        request_is_well_formed::<Neigh>();
        request_is_well_formed::<Rule>();
        request_is_well_formed::<Nexthop>();
    }

    #[test]
    fn groups_follow_the_family() {
        assert_eq!(Route::groups(None), [7, 11, 27]);
        assert_eq!(Route::groups(Some(AF_INET6)), [11]);
        assert_eq!(Route::groups(Some(AF_MPLS)), [27]);
        assert_eq!(Addr::groups(Some(AF_MPLS)), Vec::<u32>::new());
        assert_eq!(Neigh::groups(Some(AF_INET)), [3]);
        assert_eq!(Link::groups(Some(AF_INET6)), [1]);
        assert_eq!(Nexthop::groups(None), [32]);
        assert_eq!(Rule::groups(None), [8, 19]);
    }

    #[test]
    fn messages_read_as_new_or_del_of_their_kind_only() {
        // nlmsghdr (16) + ifaddrmsg (8): an IPv6 address on ifindex 2.
        let mut bytes = vec![
            24, 0, 0, 0, // nlmsg_len
            20, 0, 0, 0, // RTM_NEWADDR, flags 0
            0, 0, 0, 0, 0, 0, 0, 0, // seq, pid
            AF_INET6, 64, 0, 0, // family, prefixlen, flags, scope
            2, 0, 0, 0, // ifa_index
        ];
        let msg = NlMsg::new_checked(&bytes[..]).unwrap();
        let (action, addr) = Addr::read(&msg).unwrap().unwrap();
        assert_eq!(
            (action, addr.index, addr.family),
            (Action::New, 2, AF_INET6)
        );
        assert_eq!(Route::read(&msg).unwrap(), None, "not a route message");
        bytes[4] = 21; // RTM_DELADDR
        let msg = NlMsg::new_checked(&bytes[..]).unwrap();
        assert_eq!(Addr::read(&msg).unwrap().unwrap().0, Action::Del);
        // Too short for ifaddrmsg: malformed, not "another type".
        let short = [
            20, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, AF_INET, 0, 0, 0,
        ];
        let msg = NlMsg::new_checked(&short[..]).unwrap();
        assert!(Addr::read(&msg).is_err());
    }

    #[test]
    fn bridge_entries_are_not_in_any_ip_family() {
        let fdb = Neigh {
            family: crate::model::neigh::AF_BRIDGE,
            ..Neigh::default()
        };
        assert!(!fdb.in_family(None));
        let arp = Neigh {
            family: AF_INET,
            ..Neigh::default()
        };
        assert!(arp.in_family(None) && arp.in_family(Some(AF_INET)));
        assert!(!arp.in_family(Some(AF_INET6)));
        assert!(
            Link::default().in_family(Some(AF_INET6)),
            "links have no family"
        );
    }

    #[test]
    fn fdb_entries_are_told_apart_by_mac_and_vlan_arp_entries_are_not() {
        use crate::model::link::HwAddr;
        let entry = |family, mac: u8, vlan| Neigh {
            family,
            ifindex: 4,
            lladdr: HwAddr::new(&[2, 0, 0, 0, 0, mac]),
            vlan,
            ..Neigh::default()
        };
        let bridge = crate::model::neigh::AF_BRIDGE;
        assert_ne!(entry(bridge, 1, None).key(), entry(bridge, 2, None).key());
        assert_ne!(
            entry(bridge, 1, Some(10)).key(),
            entry(bridge, 1, Some(20)).key()
        );
        // A neighbour whose link-layer address changed is the same one.
        assert_eq!(entry(AF_INET, 1, None).key(), entry(AF_INET, 2, None).key());
    }
}
