//! Interface counters: `struct rtnl_link_stats64` (IFLA_STATS64) and its
//! 32-bit ancestor `struct rtnl_link_stats` (IFLA_STATS), linux/if_link.h.
//!
//! Both structs list the same counters in the same order; the kernel has
//! appended fields over time (rx_nohandler in 4.6, rx_otherhost_dropped in
//! 5.19). nlq reads every whole field the attribute holds: a shorter
//! struct (older kernel) leaves the missing counters `None`, a longer one
//! (newer kernel) has its unknown tail ignored. Nothing here can panic.

/// Declares [`Counter`], [`COUNTERS`], [`Counter::ALL`] and
/// [`Counter::name`] from one list, so the three cannot drift apart.
macro_rules! counters {
    ($($variant:ident => $name:literal,)+) => {
        /// One counter of `struct rtnl_link_stats64`, in struct order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)] // each variant is the struct field of the same name
        pub enum Counter {
            $($variant,)+
        }

        /// How many counters nlq knows.
        pub const COUNTERS: usize = [$($name),+].len();

        impl Counter {
            /// Every counter, in struct order.
            pub const ALL: [Counter; COUNTERS] = [$(Counter::$variant),+];

            /// The struct field's name ("rx_bytes"), which is also nlq's JSON key.
            pub fn name(self) -> &'static str {
                match self {
                    $(Counter::$variant => $name,)+
                }
            }
        }
    };
}

counters! {
    RxPackets => "rx_packets",
    TxPackets => "tx_packets",
    RxBytes => "rx_bytes",
    TxBytes => "tx_bytes",
    RxErrors => "rx_errors",
    TxErrors => "tx_errors",
    RxDropped => "rx_dropped",
    TxDropped => "tx_dropped",
    Multicast => "multicast",
    Collisions => "collisions",
    RxLengthErrors => "rx_length_errors",
    RxOverErrors => "rx_over_errors",
    RxCrcErrors => "rx_crc_errors",
    RxFrameErrors => "rx_frame_errors",
    RxFifoErrors => "rx_fifo_errors",
    RxMissedErrors => "rx_missed_errors",
    TxAbortedErrors => "tx_aborted_errors",
    TxCarrierErrors => "tx_carrier_errors",
    TxFifoErrors => "tx_fifo_errors",
    TxHeartbeatErrors => "tx_heartbeat_errors",
    TxWindowErrors => "tx_window_errors",
    RxCompressed => "rx_compressed",
    TxCompressed => "tx_compressed",
    RxNohandler => "rx_nohandler",
    RxOtherhostDropped => "rx_otherhost_dropped",
}

/// A link's counters, each `None` when the kernel's struct is too short to
/// hold it. The kernel's structs only ever grew at the end, so the
/// counters held are a prefix: kept as plain numbers and a count (208
/// bytes rather than 408 as `Option<u64>`s), since a link dump holds one
/// per link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// The counters in struct order; zero past `held`.
    counters: [u64; COUNTERS],
    /// How many leading counters the kernel's struct held.
    held: u8,
    /// Whether they came from IFLA_STATS64 (else the 32-bit IFLA_STATS).
    pub wide: bool,
}

impl Stats {
    /// Counters from an IFLA_STATS64 payload (u64 fields, host order).
    pub fn from_stats64(payload: &[u8]) -> Stats {
        Stats::read(payload, 8, true)
    }

    /// Counters from an IFLA_STATS payload (u32 fields, host order).
    pub fn from_stats32(payload: &[u8]) -> Stats {
        Stats::read(payload, 4, false)
    }

    fn read(payload: &[u8], width: usize, wide: bool) -> Stats {
        let mut counters = [0; COUNTERS];
        let mut held = 0;
        // chunks_exact drops a partial trailing field; zip stops at the
        // shorter of the two, so a longer struct's tail is ignored.
        for (slot, field) in counters.iter_mut().zip(payload.chunks_exact(width)) {
            *slot = match *field {
                [a, b, c, d] => u32::from_ne_bytes([a, b, c, d]) as u64,
                [a, b, c, d, e, f, g, h] => u64::from_ne_bytes([a, b, c, d, e, f, g, h]),
                _ => 0, // unreachable: width is 4 or 8
            };
            held += 1;
        }
        Stats {
            counters,
            held,
            wide,
        }
    }

    /// The value of `counter`, if the kernel's struct holds it.
    pub fn get(&self, counter: Counter) -> Option<u64> {
        let i = counter as usize;
        (i < usize::from(self.held)).then(|| self.counters[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_long_and_odd_structs() {
        #[rustfmt::skip]
        let short = [
            1, 0, 0, 0,   // rx_packets = 1
            2, 0, 0, 0,   // tx_packets = 2
            3, 0,         // half a field: dropped
        ];
        let st = Stats::from_stats32(&short);
        assert_eq!(st.get(Counter::RxPackets), Some(1));
        assert_eq!(st.get(Counter::TxPackets), Some(2));
        assert_eq!(st.get(Counter::RxBytes), None);
        assert!(!st.wide);
        // 26 u64 fields: one more than nlq knows, ignored.
        let long: Vec<u8> = (1u64..=26).flat_map(|i| (i << 33).to_ne_bytes()).collect();
        let st = Stats::from_stats64(&long);
        assert_eq!(st.get(Counter::RxPackets), Some(1 << 33));
        assert_eq!(st.get(Counter::RxOtherhostDropped), Some(25 << 33));
        assert!(st.wide);
        assert!(
            Counter::ALL
                .iter()
                .all(|&c| Stats::from_stats64(&[]).get(c).is_none())
        );
    }
}
