//! RTA_METRICS: the nested RTAX_* attributes, decoded without allocation.

use crate::wire::Error as WireError;
use crate::wire::attr::{Attr, Attrs};

/// Lock bits (RTAX_LOCK).
pub const RTAX_LOCK: usize = 1;
/// Path MTU (RTAX_MTU).
pub const RTAX_MTU: usize = 2;
/// RTT, in ms << 3 (RTAX_RTT).
pub const RTAX_RTT: usize = 4;
/// RTT variance, in ms << 2 (RTAX_RTTVAR).
pub const RTAX_RTTVAR: usize = 5;
/// Hop limit (RTAX_HOPLIMIT).
pub const RTAX_HOPLIMIT: usize = 10;
/// Feature bits, RTAX_FEATURE_* (RTAX_FEATURES).
pub const RTAX_FEATURES: usize = 12;
/// Congestion control algorithm name (RTAX_CC_ALGO), a string.
pub const RTAX_CC_ALGO: usize = 16;
/// The highest RTAX_* nlq knows (RTAX_FASTOPEN_NO_COOKIE).
pub const RTAX_MAX: usize = 17;
/// ECN feature bit (RTAX_FEATURE_ECN).
pub const RTAX_FEATURE_ECN: u32 = 1;

/// Metric names by RTAX_* index, as `ip` prints them (index 0 and 1 unused).
pub const RTAX_NAMES: [&str; RTAX_MAX + 1] = [
    "",
    "lock",
    "mtu",
    "window",
    "rtt",
    "rttvar",
    "ssthresh",
    "cwnd",
    "advmss",
    "reordering",
    "hoplimit",
    "initcwnd",
    "features",
    "rto_min",
    "initrwnd",
    "quickack",
    "congctl",
    "fastopen_no_cookie",
];

/// Longest congestion-control name (TCP_CA_NAME_MAX, NUL included).
const CC_NAME_MAX: usize = 16;

/// The nested RTAX_* attributes of RTA_METRICS, without allocation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Metrics {
    /// Bit `i` set: RTAX `i` was present and well-formed.
    present: u32,
    values: [u32; RTAX_MAX + 1],
    cc: [u8; CC_NAME_MAX],
    cc_len: u8,
    /// Whether a nested attribute was malformed (it was dropped).
    pub malformed: bool,
}

impl Metrics {
    pub(super) fn parse(payload: &[u8]) -> Self {
        let mut m = Metrics::default();
        // A malformed nested header ends the walk; what was read stays.
        for attr in Attrs::new(payload) {
            let Ok(a) = attr else {
                m.malformed = true;
                break;
            };
            let i = a.kind() as usize;
            if i == 0 || i > RTAX_MAX || m.present & (1 << i) != 0 {
                continue; // unknown, or a duplicate: the first wins
            }
            if m.set(i, a).is_err() {
                m.malformed = true;
            }
        }
        m
    }

    fn set(&mut self, i: usize, a: Attr<'_>) -> Result<(), WireError> {
        if i == RTAX_CC_ALGO {
            let name = a.str()?;
            let bad = WireError::AttrSize {
                kind: i as u16,
                len: name.len(),
                expected: CC_NAME_MAX - 1,
            };
            self.cc
                .get_mut(..name.len())
                .ok_or(bad)?
                .copy_from_slice(name.as_bytes());
            self.cc_len = name.len() as u8;
        } else {
            self.values[i] = a.u32()?;
        }
        self.present |= 1 << i;
        Ok(())
    }

    /// The raw value of RTAX `i` (RTAX_RTT in ms << 3, as the kernel keeps
    /// it), if present. Always `None` for RTAX_CC_ALGO (a string).
    pub fn get(&self, i: usize) -> Option<u32> {
        let there = i <= RTAX_MAX && i != RTAX_CC_ALGO && self.present & (1 << i) != 0;
        there.then(|| self.values[i])
    }

    /// Whether RTAX `i` is present (for RTAX_CC_ALGO too).
    pub fn has(&self, i: usize) -> bool {
        i <= RTAX_MAX && self.present & (1 << i) != 0
    }

    /// Whether RTAX `i` is locked (its bit in RTAX_LOCK).
    pub fn locked(&self, i: usize) -> bool {
        i < 32 && self.get(RTAX_LOCK).unwrap_or(0) & (1 << i) != 0
    }

    /// The congestion control algorithm (RTAX_CC_ALGO), if present.
    pub fn congestion(&self) -> Option<&str> {
        if !self.has(RTAX_CC_ALGO) {
            return None;
        }
        std::str::from_utf8(self.cc.get(..self.cc_len as usize)?).ok()
    }
}
