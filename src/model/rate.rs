//! Per-interface rates from two link dumps: `nlq links --rate`.
//!
//! A rate is a counter's increase between two samples divided by the time
//! between them. Counters are the kernel's stats64 (or 32-bit stats when
//! that is all there is). A counter that went down (the interface was
//! recreated with the same index, or a 32-bit counter wrapped) gives no
//! rate for that sample rather than a huge or negative one.

use std::collections::BTreeMap;

use crate::model::link::{Counter, Link, Links};

/// The counters a rate is shown for, in output order, with the nlq key
/// of each rate (`rx_bytes` → `rx_bytes_per_sec`).
pub const RATED: [Counter; 8] = [
    Counter::RxBytes,
    Counter::TxBytes,
    Counter::RxPackets,
    Counter::TxPackets,
    Counter::RxErrors,
    Counter::TxErrors,
    Counter::RxDropped,
    Counter::TxDropped,
];

/// One sample of one interface's counters.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Sample {
    name: String,
    values: [Option<u64>; RATED.len()],
}

impl Sample {
    fn of(link: &Link) -> Sample {
        let mut values = [None; RATED.len()];
        if let Some(stats) = link.stats {
            for (v, &c) in values.iter_mut().zip(&RATED) {
                *v = stats.get(c);
            }
        }
        Sample {
            name: link.name.clone(),
            values,
        }
    }
}

/// One interface's rates over one interval.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Rate {
    /// Interface index (ifi_index).
    pub index: u32,
    /// Interface name (IFLA_IFNAME) at the later sample.
    pub name: String,
    /// Per second, in [`RATED`] order; `None` where a counter is missing
    /// or went down.
    pub per_sec: [Option<f64>; RATED.len()],
}

/// The last sample of every interface, to take the next one against.
#[derive(Debug, Clone, Default)]
pub struct Rates {
    last: BTreeMap<u32, Sample>,
}

impl Rates {
    /// No sample yet.
    pub fn new() -> Self {
        Rates::default()
    }

    /// Take a sample of `links`, `secs` seconds after the previous one, and
    /// return the rates of every interface present in both, in index
    /// order. The first sample (or `secs` of 0) gives none.
    pub fn sample(&mut self, links: &Links, secs: f64) -> Vec<Rate> {
        let now: BTreeMap<u32, Sample> = links.iter().map(|l| (l.index, Sample::of(l))).collect();
        let mut rates = Vec::new();
        if secs > 0.0 {
            for (&index, s) in &now {
                let Some(before) = self.last.get(&index) else {
                    continue;
                };
                let mut per_sec = [None; RATED.len()];
                for (r, (a, b)) in per_sec.iter_mut().zip(before.values.iter().zip(&s.values)) {
                    if let (Some(a), Some(b)) = (a, b) {
                        *r = b.checked_sub(*a).map(|d| d as f64 / secs);
                    }
                }
                rates.push(Rate {
                    index,
                    name: s.name.clone(),
                    per_sec,
                });
            }
        }
        self.last = now;
        rates
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::link::Stats;

    fn links(bytes: &[(u32, &str, u64)]) -> Links {
        let mut links = Links::new();
        for &(index, name, rx) in bytes {
            // struct rtnl_link_stats64: rx_packets, tx_packets, rx_bytes, ...
            let mut raw = vec![0u8; 8 * 24];
            raw[16..24].copy_from_slice(&rx.to_ne_bytes());
            raw[0..8].copy_from_slice(&(rx / 100).to_ne_bytes());
            links.push(Link {
                index,
                name: name.into(),
                stats: Some(Stats::from_stats64(&raw)),
                ..Link::default()
            });
        }
        links
    }

    #[test]
    fn rates_are_deltas_over_time_and_need_two_samples() {
        let mut r = Rates::new();
        assert!(
            r.sample(&links(&[(1, "lo", 1000), (2, "v0", 0)]), 1.0)
                .is_empty()
        );
        let got = r.sample(
            &links(&[(1, "lo", 3000), (2, "v0", 500), (3, "new", 9)]),
            2.0,
        );
        assert_eq!(got.len(), 2, "the new interface has no rate yet");
        assert_eq!(got[0].name, "lo");
        assert_eq!(got[0].per_sec[0], Some(1000.0)); // rx_bytes: 2000 in 2 s
        assert_eq!(got[0].per_sec[2], Some(10.0)); // rx_packets: 20 in 2 s
        assert_eq!(got[1].per_sec[0], Some(250.0));
    }

    #[test]
    fn a_counter_that_went_down_has_no_rate() {
        let mut r = Rates::new();
        r.sample(&links(&[(2, "v0", 5000)]), 1.0);
        let got = r.sample(&links(&[(2, "v0", 10)]), 1.0);
        assert_eq!(got[0].per_sec[0], None);
        assert!(r.sample(&links(&[(2, "v0", 20)]), 0.0).is_empty());
    }
}
