//! `struct ndtmsg`: the neighbour table message header (RTM_NEWNEIGHTBL /
//! RTM_GETNEIGHTBL), the NDTA_* and nested NDTPA_* attribute types, and
//! `struct ndt_config` and `struct ndt_stats`, all of linux/neighbour.h.
//!
//! ```text
//!  0        1       2       4
//!  +--------+-------+-------+
//!  | family | pad1  | pad2  |  then NDTA_* attributes
//!  +--------+-------+-------+
//! ```
//!
//! A dump sends, per table (arp_cache, ndisc_cache), one message with the
//! table's thresholds, NDTA_CONFIG, its default NDTA_PARMS and NDTA_STATS,
//! then one message per device with only NDTA_NAME and that device's
//! NDTA_PARMS (carrying NDTPA_IFINDEX). Times are in milliseconds.

use super::{Error, ne_u16, ne_u32, need};

/// Neighbour table / dump reply (RTM_NEWNEIGHTBL).
pub const RTM_NEWNEIGHTBL: u16 = 64;
/// Neighbour table dump request (RTM_GETNEIGHTBL).
pub const RTM_GETNEIGHTBL: u16 = 66;

/// Table name, a NUL-terminated string (NDTA_NAME).
pub const NDTA_NAME: u16 = 1;
/// Entries below which garbage collection never runs, u32 (NDTA_THRESH1).
pub const NDTA_THRESH1: u16 = 2;
/// Soft limit on entries, u32 (NDTA_THRESH2).
pub const NDTA_THRESH2: u16 = 3;
/// Hard limit on entries, u32 (NDTA_THRESH3).
pub const NDTA_THRESH3: u16 = 4;
/// `struct ndt_config` (NDTA_CONFIG).
pub const NDTA_CONFIG: u16 = 5;
/// Nested NDTPA_* parameters (NDTA_PARMS).
pub const NDTA_PARMS: u16 = 6;
/// `struct ndt_stats` (NDTA_STATS).
pub const NDTA_STATS: u16 = 7;
/// Garbage collection interval, u64 ms (NDTA_GC_INTERVAL).
pub const NDTA_GC_INTERVAL: u16 = 8;
/// One past the highest NDTA_* type nlq indexes.
pub const NDTA_MAX: usize = 9;

/// Device the parameters belong to, u32 (NDTPA_IFINDEX).
pub const NDTPA_IFINDEX: u16 = 1;
/// References held, u32 (NDTPA_REFCNT).
pub const NDTPA_REFCNT: u16 = 2;
/// Current randomized reachable time, u64 ms (NDTPA_REACHABLE_TIME).
pub const NDTPA_REACHABLE_TIME: u16 = 3;
/// Base reachable time, u64 ms (NDTPA_BASE_REACHABLE_TIME).
pub const NDTPA_BASE_REACHABLE_TIME: u16 = 4;
/// Time between retransmitted probes, u64 ms (NDTPA_RETRANS_TIME).
pub const NDTPA_RETRANS_TIME: u16 = 5;
/// Age after which a stale entry may be collected, u64 ms
/// (NDTPA_GC_STALETIME).
pub const NDTPA_GC_STALETIME: u16 = 6;
/// Wait before the first probe, u64 ms (NDTPA_DELAY_PROBE_TIME).
pub const NDTPA_DELAY_PROBE_TIME: u16 = 7;
/// Packets queued per unresolved entry, u32 (NDTPA_QUEUE_LEN).
pub const NDTPA_QUEUE_LEN: u16 = 8;
/// Probes through the user space daemon, u32 (NDTPA_APP_PROBES).
pub const NDTPA_APP_PROBES: u16 = 9;
/// Unicast probes before failing, u32 (NDTPA_UCAST_PROBES).
pub const NDTPA_UCAST_PROBES: u16 = 10;
/// Multicast probes before failing, u32 (NDTPA_MCAST_PROBES).
pub const NDTPA_MCAST_PROBES: u16 = 11;
/// Maximum delay of an answer to an anycast solicitation, u64 ms
/// (NDTPA_ANYCAST_DELAY).
pub const NDTPA_ANYCAST_DELAY: u16 = 12;
/// Maximum delay of a proxied answer, u64 ms (NDTPA_PROXY_DELAY).
pub const NDTPA_PROXY_DELAY: u16 = 13;
/// Proxy queue length, u32 (NDTPA_PROXY_QLEN).
pub const NDTPA_PROXY_QLEN: u16 = 14;
/// Minimum time between two updates of an entry, u64 ms (NDTPA_LOCKTIME).
pub const NDTPA_LOCKTIME: u16 = 15;
/// Bytes queued per unresolved entry, u32 (NDTPA_QUEUE_LENBYTES).
pub const NDTPA_QUEUE_LENBYTES: u16 = 16;
/// Multicast reprobes, u32 (NDTPA_MCAST_REPROBES).
pub const NDTPA_MCAST_REPROBES: u16 = 17;
/// Probe interval of managed entries, u64 ms
/// (NDTPA_INTERVAL_PROBE_TIME_MS).
pub const NDTPA_INTERVAL_PROBE_TIME_MS: u16 = 19;
/// One past the highest NDTPA_* type nlq indexes.
pub const NDTPA_MAX: usize = 20;

mod field {
    pub const FAMILY: usize = 0;
    pub const PAD1: usize = 1;
    pub const PAD2: core::ops::Range<usize> = 2..4;
}

/// Size of `struct ndtmsg`.
pub const NDTMSG_LEN: usize = field::PAD2.end;
/// Size of `struct ndt_config`.
pub const NDT_CONFIG_LEN: usize = 32;
/// Size of `struct ndt_stats`: eleven u64 counters.
pub const NDT_STATS_LEN: usize = 88;

/// A neighbour table message payload: `struct ndtmsg` then NDTA_*
/// attributes.
#[derive(Debug, Clone, Copy)]
pub struct NdtMsg<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> NdtMsg<T> {
    /// Wrap a payload nlq built itself.
    pub fn new_unchecked(buffer: T) -> Self {
        NdtMsg { buffer }
    }

    /// Wrap an untrusted payload; rejects one shorter than `struct ndtmsg`.
    pub fn new_checked(buffer: T) -> Result<Self, Error> {
        need("ndtmsg", buffer.as_ref(), NDTMSG_LEN)?;
        Ok(NdtMsg { buffer })
    }

    /// Address family, AF_INET / AF_INET6 (ndtm_family).
    pub fn family(&self) -> u8 {
        self.buffer.as_ref()[field::FAMILY]
    }

    /// The attribute bytes after the fixed header.
    pub fn attr_bytes(&self) -> &[u8] {
        &self.buffer.as_ref()[NDTMSG_LEN..]
    }
}

/// The header of a dump request: the family (0 for every table); the
/// kernel rejects anything else under strict checking
/// (`neightbl_valid_dump_info`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NdtMsgRepr {
    /// ndtm_family.
    pub family: u8,
}

impl NdtMsgRepr {
    /// The header as bytes, pads zeroed.
    pub fn emit(&self) -> [u8; NDTMSG_LEN] {
        let mut b = [0u8; NDTMSG_LEN];
        b[field::FAMILY] = self.family;
        b[field::PAD1] = 0;
        b
    }
}

/// `struct ndt_config` (NDTA_CONFIG): the table's shape, read-only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NdtConfig {
    /// Bytes of a key, the network address (ndtc_key_len).
    pub key_len: u16,
    /// Bytes of an entry (ndtc_entry_size).
    pub entry_size: u16,
    /// Entries in the table (ndtc_entries).
    pub entries: u32,
    /// Milliseconds since the last flush (ndtc_last_flush).
    pub last_flush: u32,
    /// Milliseconds since reachable times were last randomized
    /// (ndtc_last_rand).
    pub last_rand: u32,
    /// Hash seed (ndtc_hash_rnd).
    pub hash_rnd: u32,
    /// Hash mask: buckets minus one (ndtc_hash_mask).
    pub hash_mask: u32,
    /// Hash chain length that triggers collection, unused (ndtc_hash_chain_gc).
    pub hash_chain_gc: u32,
    /// Packets in the proxy queue (ndtc_proxy_qlen).
    pub proxy_qlen: u32,
}

impl NdtConfig {
    /// Read an NDTA_CONFIG payload; rejects one of another size.
    pub fn parse(p: &[u8]) -> Result<NdtConfig, Error> {
        exact(NDTA_CONFIG, p, NDT_CONFIG_LEN)?;
        Ok(NdtConfig {
            key_len: ne_u16(p, 0),
            entry_size: ne_u16(p, 2),
            entries: ne_u32(p, 4),
            last_flush: ne_u32(p, 8),
            last_rand: ne_u32(p, 12),
            hash_rnd: ne_u32(p, 16),
            hash_mask: ne_u32(p, 20),
            hash_chain_gc: ne_u32(p, 24),
            proxy_qlen: ne_u32(p, 28),
        })
    }
}

/// `struct ndt_stats` (NDTA_STATS): the table's counters, in kernel order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NdtStats {
    /// Entries allocated (ndts_allocs).
    pub allocs: u64,
    /// Entries freed (ndts_destroys).
    pub destroys: u64,
    /// Times the hash grew (ndts_hash_grows).
    pub hash_grows: u64,
    /// Resolutions failed (ndts_res_failed).
    pub res_failed: u64,
    /// Lookups (ndts_lookups).
    pub lookups: u64,
    /// Lookups that found an entry (ndts_hits).
    pub hits: u64,
    /// Multicast probes received (ndts_rcv_probes_mcast).
    pub rcv_probes_mcast: u64,
    /// Unicast probes received (ndts_rcv_probes_ucast).
    pub rcv_probes_ucast: u64,
    /// Periodic garbage collection runs (ndts_periodic_gc_runs).
    pub periodic_gc_runs: u64,
    /// Forced garbage collection runs (ndts_forced_gc_runs).
    pub forced_gc_runs: u64,
    /// Times the table was full (ndts_table_fulls).
    pub table_fulls: u64,
}

impl NdtStats {
    /// Read an NDTA_STATS payload; rejects one of another size.
    pub fn parse(p: &[u8]) -> Result<NdtStats, Error> {
        exact(NDTA_STATS, p, NDT_STATS_LEN)?;
        let c = |i: usize| {
            let at = i * 8;
            u64::from_ne_bytes([
                p[at],
                p[at + 1],
                p[at + 2],
                p[at + 3],
                p[at + 4],
                p[at + 5],
                p[at + 6],
                p[at + 7],
            ])
        };
        Ok(NdtStats {
            allocs: c(0),
            destroys: c(1),
            hash_grows: c(2),
            res_failed: c(3),
            lookups: c(4),
            hits: c(5),
            rcv_probes_mcast: c(6),
            rcv_probes_ucast: c(7),
            periodic_gc_runs: c(8),
            forced_gc_runs: c(9),
            table_fulls: c(10),
        })
    }
}

/// Check that attribute `kind`'s payload `p` is exactly `len` bytes.
fn exact(kind: u16, p: &[u8], len: usize) -> Result<(), Error> {
    if p.len() != len {
        return Err(Error::AttrSize {
            kind,
            len: p.len(),
            expected: len,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_request() {
        #[rustfmt::skip]
        let b = [
            10,    // ndtm_family = AF_INET6
            0,     // ndtm_pad1
            0, 0,  // ndtm_pad2
            5, 0, 1, 0, b'a', 0, 0, 0, // NDTA_NAME = "a"
        ];
        let m = NdtMsg::new_checked(&b[..]).unwrap();
        assert_eq!(m.family(), 10);
        assert_eq!(m.attr_bytes(), &b[4..]);
        assert!(NdtMsg::new_checked(&b[..3]).is_err());
        assert_eq!(NdtMsgRepr { family: 2 }.emit(), [2, 0, 0, 0]);
    }

    #[test]
    fn config_fields_in_kernel_order() {
        #[rustfmt::skip]
        let p = [
            4, 0,            // ndtc_key_len = 4
            48, 0,           // ndtc_entry_size = 48
            3, 0, 0, 0,      // ndtc_entries = 3
            0x10, 0x27, 0, 0, // ndtc_last_flush = 10000 ms
            100, 0, 0, 0,    // ndtc_last_rand = 100 ms
            0xef, 0xbe, 0xad, 0xde, // ndtc_hash_rnd
            7, 0, 0, 0,      // ndtc_hash_mask = 7
            0, 0, 0, 0,      // ndtc_hash_chain_gc
            1, 0, 0, 0,      // ndtc_proxy_qlen = 1
        ];
        let c = NdtConfig::parse(&p).unwrap();
        assert_eq!((c.key_len, c.entry_size, c.entries), (4, 48, 3));
        assert_eq!((c.last_flush, c.last_rand), (10_000, 100));
        assert_eq!((c.hash_rnd, c.hash_mask, c.proxy_qlen), (0xdead_beef, 7, 1));
        assert_eq!(
            NdtConfig::parse(&p[..28]),
            Err(Error::AttrSize {
                kind: NDTA_CONFIG,
                len: 28,
                expected: 32
            })
        );
    }

    #[test]
    fn stats_counters_in_kernel_order() {
        let mut p = [0u8; 88];
        for i in 0..11 {
            p[i * 8] = i as u8 + 1; // counter i = i + 1
        }
        let s = NdtStats::parse(&p).unwrap();
        assert_eq!((s.allocs, s.hits, s.table_fulls), (1, 6, 11));
        assert!(NdtStats::parse(&p[..80]).is_err());
        assert!(NdtStats::parse(&[0; 96]).is_err());
    }
}
