//! Neighbour tables (`ip ntable`): [`Ntable`], decoded from one
//! RTM_NEWNEIGHTBL message: a table's limits, shape and counters, or one
//! device's parameters in that table.
//!
//! Attributes are indexed first, the nested NDTA_PARMS too (first
//! occurrence wins); unknown types are skipped and one of the wrong size
//! is dropped on its own.

use super::link::text;
use crate::wire::Error as WireError;
use crate::wire::attr::{Attr, AttrIndex};
use crate::wire::ndtmsg::*;
use crate::wire::nlmsg::NlMsg;

/// The table's shape (NDTA_CONFIG), re-exported for the renderers.
pub use crate::wire::ndtmsg::NdtConfig;
/// The table's counters (NDTA_STATS), re-exported for the renderers.
pub use crate::wire::ndtmsg::NdtStats;

/// One neighbour table, or one device's parameters in it, as one
/// RTM_NEWNEIGHTBL message describes it. Times are in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Ntable {
    /// Address family, AF_INET / AF_INET6 (ndtm_family).
    pub family: u8,
    /// Table name, `arp_cache` or `ndisc_cache` (NDTA_NAME).
    pub name: Option<String>,
    /// Entries below which collection never runs (NDTA_THRESH1).
    pub thresh1: Option<u32>,
    /// Soft limit on entries (NDTA_THRESH2).
    pub thresh2: Option<u32>,
    /// Hard limit on entries (NDTA_THRESH3).
    pub thresh3: Option<u32>,
    /// Garbage collection interval, ms (NDTA_GC_INTERVAL).
    pub gc_interval: Option<u64>,
    /// The table's shape; table messages only (NDTA_CONFIG).
    pub config: Option<NdtConfig>,
    /// The parameters: the table's defaults, or one device's (NDTA_PARMS).
    pub parms: Option<NtableParms>,
    /// The table's counters; table messages only (NDTA_STATS).
    pub stats: Option<NdtStats>,
}

/// Neighbour parameters (the nested NDTPA_* of NDTA_PARMS); times in ms.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct NtableParms {
    /// The device; absent for the table's defaults (NDTPA_IFINDEX).
    pub ifindex: Option<u32>,
    /// References held (NDTPA_REFCNT).
    pub refcnt: Option<u32>,
    /// Current randomized reachable time (NDTPA_REACHABLE_TIME).
    pub reachable: Option<u64>,
    /// Base reachable time (NDTPA_BASE_REACHABLE_TIME).
    pub base_reachable: Option<u64>,
    /// Time between retransmitted probes (NDTPA_RETRANS_TIME).
    pub retrans: Option<u64>,
    /// Stale entry collection age (NDTPA_GC_STALETIME).
    pub gc_stale: Option<u64>,
    /// Wait before the first probe (NDTPA_DELAY_PROBE_TIME).
    pub delay_probe: Option<u64>,
    /// Packets queued per unresolved entry (NDTPA_QUEUE_LEN).
    pub queue: Option<u32>,
    /// Probes through the user space daemon (NDTPA_APP_PROBES).
    pub app_probes: Option<u32>,
    /// Unicast probes (NDTPA_UCAST_PROBES).
    pub ucast_probes: Option<u32>,
    /// Multicast probes (NDTPA_MCAST_PROBES).
    pub mcast_probes: Option<u32>,
    /// Anycast answer delay (NDTPA_ANYCAST_DELAY).
    pub anycast_delay: Option<u64>,
    /// Proxy answer delay (NDTPA_PROXY_DELAY).
    pub proxy_delay: Option<u64>,
    /// Proxy queue length (NDTPA_PROXY_QLEN).
    pub proxy_queue: Option<u32>,
    /// Minimum time between updates of an entry (NDTPA_LOCKTIME).
    pub locktime: Option<u64>,
    /// Bytes queued per unresolved entry (NDTPA_QUEUE_LENBYTES).
    pub queue_bytes: Option<u32>,
    /// Multicast reprobes (NDTPA_MCAST_REPROBES).
    pub mcast_reprobes: Option<u32>,
    /// Probe interval of managed entries (NDTPA_INTERVAL_PROBE_TIME_MS).
    pub interval_probe_time: Option<u64>,
}

impl Ntable {
    /// Decode an RTM_NEWNEIGHTBL message: `Ok(None)` for any other message
    /// type, an error for a payload too short for `struct ndtmsg`.
    pub fn try_from_msg(msg: &NlMsg<&[u8]>) -> Result<Option<Ntable>, WireError> {
        if msg.kind() != RTM_NEWNEIGHTBL {
            return Ok(None);
        }
        Ok(Some(Ntable::decode(&NdtMsg::new_checked(msg.payload())?)))
    }

    /// [`Ntable::try_from_msg`] for callers that skip what they cannot
    /// read: `None` for another message type and for a malformed one alike.
    pub fn from_msg(msg: &NlMsg<&[u8]>) -> Option<Ntable> {
        Self::try_from_msg(msg).ok().flatten()
    }

    /// Decode a checked `ndtmsg` and its attributes. Never panics.
    pub fn decode<T: AsRef<[u8]>>(hdr: &NdtMsg<T>) -> Ntable {
        let tb = AttrIndex::<NDTA_MAX>::parse(hdr.attr_bytes());
        let u32_of = |kind| tb.get(kind).and_then(|a| a.u32().ok());
        Ntable {
            family: hdr.family(),
            name: tb.get(NDTA_NAME).map(text),
            thresh1: u32_of(NDTA_THRESH1),
            thresh2: u32_of(NDTA_THRESH2),
            thresh3: u32_of(NDTA_THRESH3),
            gc_interval: tb.get(NDTA_GC_INTERVAL).and_then(|a| a.u64().ok()),
            config: tb
                .get(NDTA_CONFIG)
                .and_then(|a| NdtConfig::parse(a.payload()).ok()),
            parms: tb.get(NDTA_PARMS).map(NtableParms::decode),
            stats: tb
                .get(NDTA_STATS)
                .and_then(|a| NdtStats::parse(a.payload()).ok()),
        }
    }

    /// The device whose parameters these are; `None` for the table's own.
    pub fn ifindex(&self) -> Option<u32> {
        self.parms.and_then(|p| p.ifindex)
    }
}

impl NtableParms {
    /// Decode the nested NDTPA_* attributes of NDTA_PARMS.
    fn decode(parms: Attr<'_>) -> NtableParms {
        let tb = AttrIndex::<NDTPA_MAX>::parse(parms.payload());
        let u32_of = |kind| tb.get(kind).and_then(|a| a.u32().ok());
        let u64_of = |kind| tb.get(kind).and_then(|a| a.u64().ok());
        NtableParms {
            ifindex: u32_of(NDTPA_IFINDEX),
            refcnt: u32_of(NDTPA_REFCNT),
            reachable: u64_of(NDTPA_REACHABLE_TIME),
            base_reachable: u64_of(NDTPA_BASE_REACHABLE_TIME),
            retrans: u64_of(NDTPA_RETRANS_TIME),
            gc_stale: u64_of(NDTPA_GC_STALETIME),
            delay_probe: u64_of(NDTPA_DELAY_PROBE_TIME),
            queue: u32_of(NDTPA_QUEUE_LEN),
            app_probes: u32_of(NDTPA_APP_PROBES),
            ucast_probes: u32_of(NDTPA_UCAST_PROBES),
            mcast_probes: u32_of(NDTPA_MCAST_PROBES),
            anycast_delay: u64_of(NDTPA_ANYCAST_DELAY),
            proxy_delay: u64_of(NDTPA_PROXY_DELAY),
            proxy_queue: u32_of(NDTPA_PROXY_QLEN),
            locktime: u64_of(NDTPA_LOCKTIME),
            queue_bytes: u32_of(NDTPA_QUEUE_LENBYTES),
            mcast_reprobes: u32_of(NDTPA_MCAST_REPROBES),
            interval_probe_time: u64_of(NDTPA_INTERVAL_PROBE_TIME_MS),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rustfmt::skip]
    const DEV: [u8; 4 + 16 + 4 + 8 + 12 + 8] = [
        2, 0, 0, 0,                          // ndtm_family = AF_INET, pads
        14, 0, 1, 0, b'a', b'r', b'p', b'_', // NDTA_NAME = "arp_cache"
        b'c', b'a', b'c', b'h', b'e', 0, 0, 0,
        32, 0, 6, 0,                         // NDTA_PARMS, 28 bytes nested
        8, 0, 1, 0, 3, 0, 0, 0,              //   NDTPA_IFINDEX = 3
        12, 0, 5, 0, 0xe8, 3, 0, 0, 0, 0, 0, 0, // NDTPA_RETRANS_TIME = 1000 ms
        6, 0, 10, 0, 3, 0, 0, 0,             //   NDTPA_UCAST_PROBES, 2 bytes: dropped
    ];

    #[test]
    fn decodes_a_devices_parameters() {
        let t = Ntable::decode(&NdtMsg::new_checked(&DEV[..]).unwrap());
        assert_eq!(t.name.as_deref(), Some("arp_cache"));
        assert_eq!(t.ifindex(), Some(3));
        let p = t.parms.unwrap();
        assert_eq!(p.retrans, Some(1000));
        assert_eq!(p.ucast_probes, None, "wrong size");
        assert_eq!((t.thresh1, t.config, t.stats), (None, None, None));
    }

    #[test]
    fn a_short_config_is_dropped_alone() {
        let mut b = DEV[..4].to_vec();
        b.extend_from_slice(&[8, 0, 2, 0, 128, 0, 0, 0]); // NDTA_THRESH1 = 128
        b.extend_from_slice(&[8, 0, 5, 0, 4, 0, 48, 0]); // NDTA_CONFIG, 4 bytes
        let t = Ntable::decode(&NdtMsg::new_checked(&b[..]).unwrap());
        assert_eq!((t.thresh1, t.config), (Some(128), None));
        assert_eq!(t.ifindex(), None);
    }
}
