//! The bridge VLAN database (`bridge -d vlan show`, `bridge vlan global
//! show`): [`VlanDb`], decoded from one RTM_NEWVLAN message of an
//! RTM_GETVLAN dump. Each message is one device's: its per-VLAN entries
//! (BRIDGE_VLANDB_ENTRY: flags, STP state, multicast router mode, tunnel
//! id, counters with BRIDGE_VLANDB_DUMPF_STATS) or, for a bridge dumped
//! with BRIDGE_VLANDB_DUMPF_GLOBAL, its per-VLAN global options
//! (BRIDGE_VLANDB_GLOBAL_OPTIONS: multicast snooping and its timers).
//! The kernel folds consecutive VLANs with equal options into one range.
//!
//! `bridge -s vlan show` (without `-d`) reads counters from elsewhere: the
//! bridge extended statistics of an RTM_GETSTATS dump, one
//! `struct bridge_vlan_xstats` per VLAN ([`VlanDb::try_from_stats_msg`]),
//! which become entries with counters and no options here.
//!
//! An entry without its VLAN id (which `bridge` would dereference anyway)
//! is skipped; an option of the wrong size is left out; a malformed
//! attribute ends the walk, keeping what came before.

use crate::model::mdb::{RouterPort, router_port};
use crate::wire::Error as WireError;
use crate::wire::attr::{Attr, AttrIndex, Attrs};
use crate::wire::bridge::{AF_BRIDGE, BrPortMsg};
use crate::wire::brvlan::*;
use crate::wire::nlmsg::NlMsg;

/// One device's VLAN database entries, as one message carries them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct VlanDb {
    /// The device's interface index (br_vlan_msg.ifindex).
    pub ifindex: u32,
    /// Its VLANs and their options (BRIDGE_VLANDB_ENTRY), in order.
    pub entries: Vec<VlanEntry>,
    /// A bridge's global VLAN options (BRIDGE_VLANDB_GLOBAL_OPTIONS).
    pub globals: Vec<VlanGlobal>,
}

/// A VLAN (or range of VLANs with equal options) of a port or bridge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct VlanEntry {
    /// The first VLAN id (bridge_vlan_info.vid of BRIDGE_VLANDB_ENTRY_INFO).
    pub vid: u16,
    /// The last VLAN id, `vid` for one (BRIDGE_VLANDB_ENTRY_RANGE).
    pub vid_end: u16,
    /// BRIDGE_VLAN_INFO_* (bridge_vlan_info.flags): PVID, untagged.
    pub flags: u16,
    /// The VLAN's STP state, BR_STATE_* (BRIDGE_VLANDB_ENTRY_STATE).
    pub state: Option<u8>,
    /// The multicast router mode in the VLAN
    /// (BRIDGE_VLANDB_ENTRY_MCAST_ROUTER).
    pub mcast_router: Option<u8>,
    /// The tunnel id the VLAN maps to (BRIDGE_VLANDB_TINFO_ID).
    pub tunnel_id: Option<u32>,
    /// The counters, when asked for (BRIDGE_VLANDB_ENTRY_STATS).
    pub stats: Option<VlanStats>,
}

/// A VLAN's counters on a port (BRIDGE_VLANDB_STATS_*); an absent one is
/// 0, as `bridge` prints it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct VlanStats {
    /// BRIDGE_VLANDB_STATS_RX_BYTES.
    pub rx_bytes: u64,
    /// BRIDGE_VLANDB_STATS_RX_PACKETS.
    pub rx_packets: u64,
    /// BRIDGE_VLANDB_STATS_TX_BYTES.
    pub tx_bytes: u64,
    /// BRIDGE_VLANDB_STATS_TX_PACKETS.
    pub tx_packets: u64,
}

/// A bridge's global options for a VLAN or range (the
/// BRIDGE_VLANDB_GOPTS_* attributes); intervals are in hundredths of a
/// second, as the kernel sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct VlanGlobal {
    /// The first VLAN id (BRIDGE_VLANDB_GOPTS_ID).
    pub vid: u16,
    /// The last VLAN id, `vid` for one (BRIDGE_VLANDB_GOPTS_RANGE).
    pub vid_end: u16,
    /// BRIDGE_VLANDB_GOPTS_MCAST_SNOOPING.
    pub mcast_snooping: Option<u8>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_QUERIER.
    pub mcast_querier: Option<u8>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_IGMP_VERSION.
    pub mcast_igmp_version: Option<u8>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_MLD_VERSION.
    pub mcast_mld_version: Option<u8>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_CNT.
    pub mcast_last_member_count: Option<u32>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_INTVL.
    pub mcast_last_member_interval: Option<u64>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_CNT.
    pub mcast_startup_query_count: Option<u32>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_INTVL.
    pub mcast_startup_query_interval: Option<u64>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_MEMBERSHIP_INTVL.
    pub mcast_membership_interval: Option<u64>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_INTVL.
    pub mcast_querier_interval: Option<u64>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_QUERY_INTVL.
    pub mcast_query_interval: Option<u64>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_QUERY_RESPONSE_INTVL.
    pub mcast_query_response_interval: Option<u64>,
    /// The VLAN's multicast router ports, `None` when the kernel sent
    /// none (BRIDGE_VLANDB_GOPTS_MCAST_ROUTER_PORTS).
    pub router_ports: Option<Vec<RouterPort>>,
}

impl VlanDb {
    /// Decode an RTM_NEWVLAN message: `Ok(None)` for another message type
    /// or family, an error for a payload too short for `struct
    /// br_vlan_msg`.
    pub fn try_from_msg(msg: &NlMsg<&[u8]>) -> Result<Option<VlanDb>, WireError> {
        if msg.kind() != RTM_NEWVLAN {
            return Ok(None);
        }
        let hdr = BrPortMsg::new_checked(msg.payload())?;
        if hdr.family() != AF_BRIDGE {
            return Ok(None);
        }
        Ok(Some(VlanDb::decode(&hdr)))
    }

    /// Decode an RTM_NEWSTATS message's VLAN counters under `attr`
    /// (IFLA_STATS_LINK_XSTATS or IFLA_STATS_LINK_XSTATS_SLAVE), as
    /// `print_vlan_stats_attr` reads them: each BRIDGE_XSTATS_VLAN of
    /// LINK_XSTATS_TYPE_BRIDGE, leaving out a bridge's entries for VLANs
    /// only its ports are in (MASTER without BRENTRY). `Ok(None)` for
    /// another message type, an error for a payload too short for `struct
    /// if_stats_msg`; a record of the wrong size is skipped.
    pub fn try_from_stats_msg(msg: &NlMsg<&[u8]>, attr: u16) -> Result<Option<VlanDb>, WireError> {
        if msg.kind() != RTM_NEWSTATS {
            return Ok(None);
        }
        let p = msg.payload();
        let Some(hdr) = p.get(..IF_STATS_MSG_LEN) else {
            return Err(WireError::Truncated {
                what: "if_stats_msg",
                need: IF_STATS_MSG_LEN,
                have: p.len(),
            });
        };
        let mut db = VlanDb {
            ifindex: u32::from_ne_bytes([hdr[4], hdr[5], hdr[6], hdr[7]]),
            ..VlanDb::default()
        };
        let xstats = Attrs::new(&p[IF_STATS_MSG_LEN..])
            .map_while(Result::ok)
            .find(|a| a.kind() == attr);
        let bridge = xstats.and_then(|x| {
            Attrs::new(x.payload())
                .map_while(Result::ok)
                .find(|a| a.kind() == LINK_XSTATS_TYPE_BRIDGE)
        });
        let records = bridge
            .into_iter()
            .flat_map(|b| Attrs::new(b.payload()).map_while(Result::ok));
        for r in records.filter(|r| r.kind() == BRIDGE_XSTATS_VLAN) {
            db.entries.extend(xstats_entry(r));
        }
        Ok(Some(db))
    }

    /// Decode a checked `br_vlan_msg` and its attributes. Never panics.
    pub fn decode<T: AsRef<[u8]>>(hdr: &BrPortMsg<T>) -> VlanDb {
        let mut db = VlanDb {
            ifindex: hdr.ifindex(),
            ..VlanDb::default()
        };
        for a in Attrs::new(hdr.attr_bytes()).map_while(Result::ok) {
            match a.kind() {
                BRIDGE_VLANDB_ENTRY => db.entries.extend(entry(a)),
                BRIDGE_VLANDB_GLOBAL_OPTIONS => db.globals.extend(global(a)),
                _ => {}
            }
        }
        db
    }
}

impl VlanDb {
    /// Keep only the entries and options whose range holds `vid` (all
    /// without one), as `bridge ... vid VID` prints them.
    pub fn retain_vid(&mut self, vid: Option<u16>) {
        let Some(vid) = vid else { return };
        self.entries.retain(|e| (e.vid..=e.vid_end).contains(&vid));
        self.globals.retain(|g| (g.vid..=g.vid_end).contains(&vid));
    }

    /// Whether there is nothing to show: `bridge` prints no device then.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.globals.is_empty()
    }
}

/// One BRIDGE_VLANDB_ENTRY nest; `None` without BRIDGE_VLANDB_ENTRY_INFO.
fn entry(a: Attr<'_>) -> Option<VlanEntry> {
    let tb = AttrIndex::<BRIDGE_VLANDB_ENTRY_MAX>::parse(a.payload());
    let info = tb.get(BRIDGE_VLANDB_ENTRY_INFO)?.fixed::<4>().ok()?;
    let vid = u16::from_ne_bytes([info[2], info[3]]);
    let u8_of = |k| tb.get(k).and_then(|a| a.u8().ok());
    Some(VlanEntry {
        vid,
        vid_end: range_end(tb.get(BRIDGE_VLANDB_ENTRY_RANGE), vid),
        flags: u16::from_ne_bytes([info[0], info[1]]),
        state: u8_of(BRIDGE_VLANDB_ENTRY_STATE),
        mcast_router: u8_of(BRIDGE_VLANDB_ENTRY_MCAST_ROUTER),
        tunnel_id: tb.get(BRIDGE_VLANDB_ENTRY_TUNNEL_INFO).and_then(|t| {
            let tt = AttrIndex::<BRIDGE_VLANDB_TINFO_MAX>::parse(t.payload());
            tt.get(BRIDGE_VLANDB_TINFO_ID)?.u32().ok()
        }),
        stats: tb.get(BRIDGE_VLANDB_ENTRY_STATS).map(stats),
    })
}

/// One `struct bridge_vlan_xstats`; `None` for a record of the wrong
/// size or a bridge's entry for a VLAN only its ports are in.
fn xstats_entry(r: Attr<'_>) -> Option<VlanEntry> {
    let b = r.fixed::<BRIDGE_VLAN_XSTATS_LEN>().ok()?;
    let u64_at = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        u64::from_ne_bytes(w)
    };
    let vid = u16::from_ne_bytes([b[32], b[33]]);
    let flags = u16::from_ne_bytes([b[34], b[35]]);
    if flags & BRIDGE_VLAN_INFO_MASTER != 0 && flags & BRIDGE_VLAN_INFO_BRENTRY == 0 {
        return None;
    }
    Some(VlanEntry {
        vid,
        vid_end: vid,
        flags,
        stats: Some(VlanStats {
            rx_bytes: u64_at(0),
            rx_packets: u64_at(8),
            tx_bytes: u64_at(16),
            tx_packets: u64_at(24),
        }),
        ..VlanEntry::default()
    })
}

/// A range's last VLAN: the attribute, else `vid` (as `bridge`).
fn range_end(a: Option<Attr<'_>>, vid: u16) -> u16 {
    a.and_then(|a| a.u16().ok()).unwrap_or(vid)
}

/// The counters of a BRIDGE_VLANDB_ENTRY_STATS nest.
fn stats(a: Attr<'_>) -> VlanStats {
    let tb = AttrIndex::<BRIDGE_VLANDB_STATS_MAX>::parse(a.payload());
    let get = |k| tb.get(k).and_then(|a| a.u64().ok()).unwrap_or(0);
    VlanStats {
        rx_bytes: get(BRIDGE_VLANDB_STATS_RX_BYTES),
        rx_packets: get(BRIDGE_VLANDB_STATS_RX_PACKETS),
        tx_bytes: get(BRIDGE_VLANDB_STATS_TX_BYTES),
        tx_packets: get(BRIDGE_VLANDB_STATS_TX_PACKETS),
    }
}

/// One BRIDGE_VLANDB_GLOBAL_OPTIONS nest; `None` without its VLAN id.
fn global(a: Attr<'_>) -> Option<VlanGlobal> {
    let tb = AttrIndex::<BRIDGE_VLANDB_GOPTS_MAX>::parse(a.payload());
    let vid = tb.get(BRIDGE_VLANDB_GOPTS_ID)?.u16().ok()?;
    let u8_of = |k| tb.get(k).and_then(|a| a.u8().ok());
    let u32_of = |k| tb.get(k).and_then(|a| a.u32().ok());
    let u64_of = |k| tb.get(k).and_then(|a| a.u64().ok());
    Some(VlanGlobal {
        vid,
        vid_end: range_end(tb.get(BRIDGE_VLANDB_GOPTS_RANGE), vid),
        mcast_snooping: u8_of(BRIDGE_VLANDB_GOPTS_MCAST_SNOOPING),
        mcast_querier: u8_of(BRIDGE_VLANDB_GOPTS_MCAST_QUERIER),
        mcast_igmp_version: u8_of(BRIDGE_VLANDB_GOPTS_MCAST_IGMP_VERSION),
        mcast_mld_version: u8_of(BRIDGE_VLANDB_GOPTS_MCAST_MLD_VERSION),
        mcast_last_member_count: u32_of(BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_CNT),
        mcast_last_member_interval: u64_of(BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_INTVL),
        mcast_startup_query_count: u32_of(BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_CNT),
        mcast_startup_query_interval: u64_of(BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_INTVL),
        mcast_membership_interval: u64_of(BRIDGE_VLANDB_GOPTS_MCAST_MEMBERSHIP_INTVL),
        mcast_querier_interval: u64_of(BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_INTVL),
        mcast_query_interval: u64_of(BRIDGE_VLANDB_GOPTS_MCAST_QUERY_INTVL),
        mcast_query_response_interval: u64_of(BRIDGE_VLANDB_GOPTS_MCAST_QUERY_RESPONSE_INTVL),
        router_ports: tb
            .get(BRIDGE_VLANDB_GOPTS_MCAST_ROUTER_PORTS)
            .map(router_ports),
    })
}

/// The router ports: the nest holds an MDBA_ROUTER nest whose entries are
/// MDBA_ROUTER_PORT (what `br_rports_fill_info` writes; `bridge` reads
/// the first inner attribute's entries the same way).
fn router_ports(a: Attr<'_>) -> Vec<RouterPort> {
    let Some(Ok(inner)) = Attrs::new(a.payload()).next() else {
        return Vec::new();
    };
    Attrs::new(inner.payload())
        .map_while(Result::ok)
        .filter_map(|p| router_port(p.payload()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An AF_BRIDGE br_vlan_msg for index 5, then `attrs`.
    fn decode(attrs: &[u8]) -> VlanDb {
        let mut b = vec![7, 0, 0, 0, 5, 0, 0, 0]; // AF_BRIDGE, reserved, ifindex 5
        b.extend_from_slice(attrs);
        VlanDb::decode(&BrPortMsg::new_checked(&b[..]).unwrap())
    }

    #[test]
    fn an_entry_with_range_state_router_tunnel_and_counters() {
        #[rustfmt::skip]
        let db = decode(&[
            88, 0, 1, 0x80,                 // BRIDGE_VLANDB_ENTRY, nested
              8, 0, 1, 0, 6, 0, 10, 0,      //   ENTRY_INFO: PVID|UNTAGGED, vid 10
              6, 0, 2, 0, 12, 0, 0, 0,      //   ENTRY_RANGE = 12
              5, 0, 3, 0, 3, 0, 0, 0,       //   ENTRY_STATE = forwarding
              5, 0, 6, 0, 2, 0, 0, 0,       //   ENTRY_MCAST_ROUTER = 2
              12, 0, 4, 0x80,               //   ENTRY_TUNNEL_INFO, nested
                8, 0, 1, 0, 0xe8, 3, 0, 0,  //     TINFO_ID = 1000
              40, 0, 5, 0x80,               //   ENTRY_STATS, nested
                12, 0, 1, 0, 100, 0, 0, 0, 0, 0, 0, 0, // RX_BYTES = 100
                12, 0, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0,   // RX_PACKETS = 2
                12, 0, 4, 0, 1, 0, 0, 0, 0, 0, 0, 0,   // TX_PACKETS = 1
        ]);
        assert_eq!(db.ifindex, 5);
        let e = db.entries[0];
        assert_eq!((e.vid, e.vid_end, e.flags), (10, 12, 6));
        assert_eq!(
            (e.state, e.mcast_router, e.tunnel_id),
            (Some(3), Some(2), Some(1000))
        );
        let s = e.stats.unwrap();
        assert_eq!(
            (s.rx_bytes, s.rx_packets, s.tx_bytes, s.tx_packets),
            (100, 2, 0, 1)
        );
    }

    #[test]
    fn an_entry_without_info_is_skipped_and_a_bad_size_left_out() {
        #[rustfmt::skip]
        let db = decode(&[
            12, 0, 1, 0x80,                 // BRIDGE_VLANDB_ENTRY without INFO
              6, 0, 2, 0, 12, 0, 0, 0,      //   ENTRY_RANGE = 12
            20, 0, 1, 0x80,                 // BRIDGE_VLANDB_ENTRY
              8, 0, 1, 0, 0, 0, 20, 0,      //   ENTRY_INFO: vid 20
              8, 0, 3, 0, 3, 0, 0, 0,       //   ENTRY_STATE of 4 bytes: left out
            64, 0, 1, 0x80, 0, 0, 0, 0,     // a length past the end: the walk ends
        ]);
        assert_eq!(db.entries.len(), 1);
        let e = db.entries[0];
        assert_eq!((e.vid, e.vid_end, e.state, e.stats), (20, 20, None, None));
    }

    #[test]
    fn global_options_and_router_ports() {
        #[rustfmt::skip]
        let db = decode(&[
            72, 0, 2, 0x80,                 // BRIDGE_VLANDB_GLOBAL_OPTIONS, nested
              6, 0, 1, 0, 10, 0, 0, 0,      //   GOPTS_ID = 10
              5, 0, 3, 0, 1, 0, 0, 0,       //   MCAST_SNOOPING = 1
              8, 0, 6, 0, 2, 0, 0, 0,       //   LAST_MEMBER_CNT = 2
              12, 0, 12, 0, 0xc4, 9, 0, 0, 0, 0, 0, 0, // QUERY_INTVL = 2500
              32, 0, 16, 0x80,              //   MCAST_ROUTER_PORTS, nested
                28, 0, 2, 0x80,             //     MDBA_ROUTER, nested
                  24, 0, 1, 0,              //       MDBA_ROUTER_PORT
                    3, 0, 0, 0,             //         ifindex 3
                    8, 0, 1, 0, 0, 0, 0, 0, //         PATTR_TIMER = 0
                    5, 0, 2, 0, 2, 0, 0, 0, //         PATTR_TYPE = permanent
        ]);
        let g = &db.globals[0];
        assert_eq!((g.vid, g.vid_end, g.mcast_snooping), (10, 10, Some(1)));
        assert_eq!(
            (g.mcast_last_member_count, g.mcast_query_interval),
            (Some(2), Some(2500))
        );
        assert_eq!(g.mcast_querier, None);
        let r = &g.router_ports.as_ref().unwrap()[0];
        assert_eq!((r.port, r.timer, r.kind), (3, Some(0), Some(2)));
    }

    #[test]
    fn vlan_counters_from_a_stats_message() {
        #[rustfmt::skip]
        let mut b = vec![
            0, 0, 0, 0, 92, 0, 0, 0,        // nlmsghdr: len (set below), RTM_NEWSTATS
            0, 0, 0, 0, 0, 0, 0, 0,         //   seq, pid
            0, 0, 0, 0, 5, 0, 0, 0,         // if_stats_msg: AF_UNSPEC, ifindex 5
            4, 0, 0, 0,                     //   filter_mask
            104, 0, 3, 0,                   // IFLA_STATS_LINK_XSTATS_SLAVE
              100, 0, 1, 0,                 //   LINK_XSTATS_TYPE_BRIDGE
                44, 0, 1, 0,                //     BRIDGE_XSTATS_VLAN
                  100, 0, 0, 0, 0, 0, 0, 0, //       rx_bytes 100
                  2, 0, 0, 0, 0, 0, 0, 0,   //       rx_packets 2
                  0, 0, 0, 0, 0, 0, 0, 0,   //       tx_bytes 0
                  1, 0, 0, 0, 0, 0, 0, 0,   //       tx_packets 1
                  10, 0, 4, 0, 0, 0, 0, 0,  //       vid 10, UNTAGGED, pad
                44, 0, 1, 0,                //     BRIDGE_XSTATS_VLAN
                  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                  20, 0, 1, 0, 0, 0, 0, 0,  //       vid 20, MASTER: left out
                8, 0, 1, 0, 0, 0, 0, 0,     //     a record of 4 bytes: skipped
        ];
        b[0] = b.len() as u8;
        let msg = NlMsg::new_checked(&b[..]).unwrap();
        let db = VlanDb::try_from_stats_msg(&msg, IFLA_STATS_LINK_XSTATS_SLAVE)
            .unwrap()
            .unwrap();
        assert_eq!((db.ifindex, db.entries.len()), (5, 1));
        let e = db.entries[0];
        assert_eq!((e.vid, e.vid_end, e.flags, e.state), (10, 10, 4, None));
        let s = e.stats.unwrap();
        assert_eq!((s.rx_bytes, s.rx_packets, s.tx_packets), (100, 2, 1));
        let other = VlanDb::try_from_stats_msg(&msg, IFLA_STATS_LINK_XSTATS).unwrap();
        assert_eq!(other.map(|d| d.entries.len()), Some(0));
    }

    #[test]
    fn other_messages_are_not_vlan_db() {
        let b = [
            24u8, 0, 0, 0, 16, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 5, 0, 0, 0,
        ];
        let msg = NlMsg::new_checked(&b[..]).unwrap(); // RTM_NEWLINK
        assert_eq!(VlanDb::try_from_msg(&msg), Ok(None));
    }
}
