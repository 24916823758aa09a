//! A bridge's multicast database (`bridge mdb show`): [`Mdb`], decoded
//! from one RTM_GETMDB dump reply (or RTM_NEWMDB notification): the
//! bridge's multicast groups, each on one port ([`MdbEntry`]), and its
//! multicast router ports ([`RouterPort`]).
//!
//! MDBA_MDB nests MDBA_MDB_ENTRY nests, each holding MDBA_MDB_ENTRY_INFO:
//! a `struct br_mdb_entry` followed by entry attributes. An entry too short
//! for its struct is skipped; an attribute of the wrong size is left out; a
//! malformed attribute ends its walk, keeping what came before.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::neigh::AF_BRIDGE;
use super::object::{Action, ObjectKind, group};
use crate::wire::Error as WireError;
use crate::wire::attr::{Attr, AttrIndex, Attrs};
use crate::wire::bridge::*;
use crate::wire::nlmsg::NlMsg;

/// One bridge's groups and router ports, from one message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Mdb {
    /// The bridge's index (br_port_msg.ifindex).
    pub bridge: u32,
    /// Its groups (MDBA_MDB).
    pub entries: Vec<MdbEntry>,
    /// Its multicast router ports (MDBA_ROUTER).
    pub routers: Vec<RouterPort>,
}

/// A multicast group address: IPv4, IPv6, or a layer-2 MAC group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// An IP group (br_mdb_entry.addr.proto ETH_P_IP or ETH_P_IPV6).
    Ip(IpAddr),
    /// A MAC group (br_mdb_entry.addr.proto 0).
    Mac([u8; 6]),
}

/// One group on one port.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MdbEntry {
    /// The port's index (br_mdb_entry.ifindex).
    pub port: u32,
    /// MDB_PERMANENT or MDB_TEMPORARY (br_mdb_entry.state).
    pub state: u8,
    /// MDB_FLAGS_* (br_mdb_entry.flags).
    pub flags: u8,
    /// The VLAN, 0 for none (br_mdb_entry.vid).
    pub vid: u16,
    /// The group (br_mdb_entry.addr).
    pub group: Group,
    /// The source of an (S, G) entry (MDBA_MDB_EATTR_SOURCE).
    pub source: Option<IpAddr>,
    /// Time left, hundredths of a second (MDBA_MDB_EATTR_TIMER).
    pub timer: Option<u32>,
    /// MCAST_INCLUDE (1) or MCAST_EXCLUDE (0) (MDBA_MDB_EATTR_GROUP_MODE).
    pub filter_mode: Option<u8>,
    /// IGMPv3/MLDv2 sources with their timers (MDBA_MDB_EATTR_SRC_LIST).
    pub sources: Vec<(IpAddr, u32)>,
    /// Who installed it, a route protocol (MDBA_MDB_EATTR_RTPROT).
    pub protocol: Option<u8>,
}

impl MdbEntry {
    /// Added by hand: never times out (MDB_PERMANENT).
    pub fn permanent(&self) -> bool {
        self.state & MDB_PERMANENT != 0
    }
}

/// A multicast router port.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RouterPort {
    /// The port's index (MDBA_ROUTER_PORT).
    pub port: u32,
    /// Time left, hundredths of a second (MDBA_ROUTER_PATTR_TIMER).
    pub timer: Option<u32>,
    /// MDB_RTR_TYPE_* (MDBA_ROUTER_PATTR_TYPE).
    pub kind: Option<u8>,
}

impl Mdb {
    /// Decode an RTM_GETMDB or RTM_NEWMDB message: `Ok(None)` for another
    /// message type, an error for a payload too short for `struct
    /// br_port_msg`.
    pub fn try_from_msg(msg: &NlMsg<&[u8]>) -> Result<Option<Mdb>, WireError> {
        if msg.kind() != RTM_GETMDB && msg.kind() != RTM_NEWMDB {
            return Ok(None);
        }
        let hdr = BrPortMsg::new_checked(msg.payload())?;
        Ok(Some(Mdb::decode(&hdr)))
    }

    /// Decode a checked `br_port_msg` and its attributes. Never panics.
    pub fn decode<T: AsRef<[u8]>>(hdr: &BrPortMsg<T>) -> Mdb {
        let tb = AttrIndex::<MDBA_MAX>::parse(hdr.attr_bytes());
        let mut mdb = Mdb {
            bridge: hdr.ifindex(),
            ..Mdb::default()
        };
        if let Some(groups) = tb.get(MDBA_MDB) {
            for entry in nested(groups).filter(|a| a.kind() == MDBA_MDB_ENTRY) {
                let infos = nested(entry).filter(|a| a.kind() == MDBA_MDB_ENTRY_INFO);
                mdb.entries
                    .extend(infos.filter_map(|a| entry_info(a.payload())));
            }
        }
        if let Some(routers) = tb.get(MDBA_ROUTER) {
            let ports = nested(routers).filter(|a| a.kind() == MDBA_ROUTER_PORT);
            mdb.routers
                .extend(ports.filter_map(|a| router_port(a.payload())));
        }
        mdb
    }
}

/// A multicast database entry or router port removed, in notifications
/// (RTM_DELMDB, linux/rtnetlink.h).
pub const RTM_DELMDB: u16 = 85;

/// One item of a bridge's multicast database: the monitor's kind `mdb`.
/// The kernel announces each group on a port and each router port in a
/// message of its own (RTM_NEWMDB / RTM_DELMDB on RTNLGRP_MDB, as `bridge
/// monitor mdb` shows them), while a dump reply holds a bridge's whole
/// database: [`ObjectKind::read_all`] reads them all.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MdbItem {
    /// The bridge's index (br_port_msg.ifindex).
    pub bridge: u32,
    /// The group or the router port.
    pub item: Item,
}

/// A group on a port or a multicast router port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A group on a port (MDBA_MDB).
    Group(MdbEntry),
    /// A multicast router port (MDBA_ROUTER).
    Router(RouterPort),
}

impl MdbItem {
    /// Every item of `mdb`, groups first, as `nlq mdb` lists them.
    pub fn all(mdb: Mdb) -> Vec<MdbItem> {
        let bridge = mdb.bridge;
        let groups = mdb.entries.into_iter().map(Item::Group);
        let routers = mdb.routers.into_iter().map(Item::Router);
        groups
            .chain(routers)
            .map(|item| MdbItem { bridge, item })
            .collect()
    }
}

impl ObjectKind for MdbItem {
    const NAME: &'static str = "mdb";
    const NEW: u16 = RTM_NEWMDB;
    const DEL: u16 = RTM_DELMDB;
    const GET: u16 = RTM_GETMDB;
    const GROUPS: &'static [(u8, u32)] = &[(0, group::MDB)];
    const FAMILIES: &'static [u8] = &[AF_BRIDGE];
    /// (bridge, port, group, source, VLAN), the group `None` for a router
    /// port: what br_mdb_add and br_mdb_del look an entry up by.
    type Key = (u32, u32, Option<Group>, Option<IpAddr>, u16);

    /// The one item of a notification (the first of a dump reply, whose
    /// items [`MdbItem::read_all`] reads); an error for a message holding
    /// none.
    fn decode_payload(payload: &[u8]) -> Result<Self, WireError> {
        let all = MdbItem::all(Mdb::decode(&BrPortMsg::new_checked(payload)?));
        all.into_iter().next().ok_or(WireError::Truncated {
            what: "MDB message without MDBA_MDB_ENTRY_INFO or MDBA_ROUTER_PORT",
            need: 1,
            have: 0,
        })
    }
    fn dump_header(_family: u8) -> Vec<u8> {
        br_port_msg_dump_header().to_vec()
    }
    fn key(&self) -> Self::Key {
        match &self.item {
            Item::Group(e) => (self.bridge, e.port, Some(e.group), e.source, e.vid),
            Item::Router(r) => (self.bridge, r.port, None, None, 0),
        }
    }
    /// Timers run down on their own.
    fn settle(&mut self) {
        match &mut self.item {
            Item::Group(e) => {
                e.timer = None;
                e.sources.iter_mut().for_each(|s| s.1 = 0);
            }
            Item::Router(r) => r.timer = None,
        }
    }
    fn family(&self) -> u8 {
        AF_BRIDGE
    }
    fn on_dev(&self, index: u32, _: &str) -> bool {
        let port = match &self.item {
            Item::Group(e) => e.port,
            Item::Router(r) => r.port,
        };
        self.bridge == index || port == index
    }
    /// Dump replies are of type RTM_GETMDB and hold a bridge's whole
    /// database; notifications hold one item.
    fn read_all(msg: &NlMsg<&[u8]>) -> Result<Option<(Action, Vec<Self>)>, WireError> {
        let action = match msg.kind() {
            RTM_NEWMDB | RTM_GETMDB => Action::New,
            RTM_DELMDB => Action::Del,
            _ => return Ok(None),
        };
        let mdb = Mdb::decode(&BrPortMsg::new_checked(msg.payload())?);
        Ok(Some((action, MdbItem::all(mdb))))
    }
}

/// The attributes nested in `a`, up to the first malformed one.
fn nested(a: Attr<'_>) -> impl Iterator<Item = Attr<'_>> {
    Attrs::new(a.payload()).map_while(Result::ok)
}

/// `struct br_mdb_entry` and the attributes after it; `None` when too
/// short for the struct.
fn entry_info(b: &[u8]) -> Option<MdbEntry> {
    let e = b.get(..BR_MDB_ENTRY_LEN)?;
    let u16_at = |i: usize| u16::from_ne_bytes([e[i], e[i + 1]]);
    let proto = u16::from_be_bytes([e[24], e[25]]);
    let group = match proto {
        0 => Group::Mac([e[8], e[9], e[10], e[11], e[12], e[13]]),
        ETH_P_IP => Group::Ip(Ipv4Addr::new(e[8], e[9], e[10], e[11]).into()),
        _ => {
            let mut a = [0u8; 16];
            a.copy_from_slice(&e[8..24]);
            Group::Ip(Ipv6Addr::from(a).into())
        }
    };
    let family = if proto == ETH_P_IP { AF_INET } else { AF_INET6 };
    let tb = AttrIndex::<MDBA_MDB_EATTR_MAX>::parse(&b[BR_MDB_ENTRY_LEN..]);
    Some(MdbEntry {
        port: u32::from_ne_bytes([e[0], e[1], e[2], e[3]]),
        state: e[4],
        flags: e[5],
        vid: u16_at(6),
        group,
        source: tb
            .get(MDBA_MDB_EATTR_SOURCE)
            .and_then(|a| a.ip(family).ok()),
        timer: tb.get(MDBA_MDB_EATTR_TIMER).and_then(|a| a.u32().ok()),
        filter_mode: tb.get(MDBA_MDB_EATTR_GROUP_MODE).and_then(|a| a.u8().ok()),
        sources: tb
            .get(MDBA_MDB_EATTR_SRC_LIST)
            .map(|list| nested(list).filter_map(|s| source(s, family)).collect())
            .unwrap_or_default(),
        protocol: tb.get(MDBA_MDB_EATTR_RTPROT).and_then(|a| a.u8().ok()),
    })
}

/// AF_INET and AF_INET6, for reading addresses of the group's family.
const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;

/// One source list entry: its address and timer, both required (as
/// `bridge` requires them).
fn source(s: Attr<'_>, family: u8) -> Option<(IpAddr, u32)> {
    let t = AttrIndex::<MDBA_MDB_SRCATTR_MAX>::parse(s.payload());
    let addr = t.get(MDBA_MDB_SRCATTR_ADDRESS)?.ip(family).ok()?;
    Some((addr, t.get(MDBA_MDB_SRCATTR_TIMER)?.u32().ok()?))
}

/// A router port: its index, then its attributes; `None` without the index.
pub(crate) fn router_port(b: &[u8]) -> Option<RouterPort> {
    let i = b.get(..4)?;
    let tb = AttrIndex::<MDBA_ROUTER_PATTR_MAX>::parse(b.get(4..).unwrap_or(&[]));
    Some(RouterPort {
        port: u32::from_ne_bytes([i[0], i[1], i[2], i[3]]),
        timer: tb.get(MDBA_ROUTER_PATTR_TIMER).and_then(|a| a.u32().ok()),
        kind: tb.get(MDBA_ROUTER_PATTR_TYPE).and_then(|a| a.u8().ok()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// br_port_msg for bridge 2, then MDBA_MDB with one entry for
    /// 239.1.1.1 on port 3, permanent, proto static; then MDBA_ROUTER with
    /// port 3, permanent (MDB_RTR_TYPE_PERM = 2).
    #[rustfmt::skip]
    const MSG: [u8; 8 + 48 + 20] = [
        7, 0, 0, 0, 2, 0, 0, 0,     // AF_BRIDGE, pad, ifindex 2
        48, 0, 1, 0x80,             // MDBA_MDB
          44, 0, 1, 0x80,           //   MDBA_MDB_ENTRY
            40, 0, 1, 0,            //     MDBA_MDB_ENTRY_INFO: br_mdb_entry
              3, 0, 0, 0,           //       ifindex 3
              1, 0, 0, 0,           //       state PERMANENT, flags 0, vid 0
              239, 1, 1, 1,         //       addr.u.ip4
              0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // rest of the union
              0x08, 0x00, 0, 0,     //       proto ETH_P_IP (be), pad
              5, 0, 5, 0, 4, 0, 0, 0, //     MDBA_MDB_EATTR_RTPROT = static
        20, 0, 2, 0x80,             // MDBA_ROUTER
          16, 0, 1, 0,              //   MDBA_ROUTER_PORT
            3, 0, 0, 0,             //     port 3
            5, 0, 2, 0, 2, 0, 0, 0, //     MDBA_ROUTER_PATTR_TYPE = 2
    ];

    #[test]
    fn decodes_an_ipv4_group_and_a_router_port() {
        let m = Mdb::decode(&BrPortMsg::new_checked(&MSG[..]).unwrap());
        assert_eq!(m.bridge, 2);
        let e = &m.entries[0];
        assert_eq!(e.group, Group::Ip("239.1.1.1".parse().unwrap()));
        assert_eq!(
            (e.port, e.permanent(), e.vid, e.protocol),
            (3, true, 0, Some(4))
        );
        assert_eq!(m.routers[0].port, 3);
        assert_eq!(m.routers[0].kind, Some(2));
    }

    #[test]
    fn mac_and_ipv6_groups_by_protocol() {
        let mut b = MSG;
        b[28..34].copy_from_slice(&[1, 0, 0x5e, 1, 2, 3]);
        (b[44], b[45]) = (0, 0); // proto 0: a MAC group
        let m = Mdb::decode(&BrPortMsg::new_checked(&b[..]).unwrap());
        assert_eq!(m.entries[0].group, Group::Mac([1, 0, 0x5e, 1, 2, 3]));
        (b[44], b[45]) = (0x86, 0xdd); // ETH_P_IPV6
        b[28..44].copy_from_slice(&"ff0e::1".parse::<Ipv6Addr>().unwrap().octets());
        let m = Mdb::decode(&BrPortMsg::new_checked(&b[..]).unwrap());
        assert_eq!(m.entries[0].group, Group::Ip("ff0e::1".parse().unwrap()));
    }

    #[test]
    fn a_short_entry_is_skipped_and_a_short_header_is_an_error() {
        let mut b = MSG;
        b[16] = 20; // MDBA_MDB_ENTRY_INFO of 16 bytes: too short
        let m = Mdb::decode(&BrPortMsg::new_checked(&b[..]).unwrap());
        assert!(m.entries.is_empty());
        assert_eq!(m.routers.len(), 1);
        assert!(BrPortMsg::new_checked(&MSG[..7]).is_err());
    }
}
