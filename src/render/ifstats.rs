//! Interface statistics, three ways from one [`IfStats`] per link: a table
//! (one row per link and leaf, a group, subgroup or suite, that has
//! something to show), nlq's own JSON (docs/json.md `## stats`, one object
//! per link and leaf asked for) and the `ip -j stats show` dialect
//! (iproute2 6.1's ipstats.c, iplink_bridge.c and iplink_bond.c, key for
//! key and in their order).

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};

use super::link::ip::IpStats;
use super::stream::{Column, Paint, TableWriter};
use super::{Dialect, Format, JsonArray};
use crate::model::LinkNames;
use crate::model::ifstats::{
    BOND_3AD_NAMES, BR_MCAST_NAMES, BR_STP_NAMES, Counters, HwInfo, IfStats, MplsStats, Sub, XStats,
};
use crate::model::link::{Counter, Stats};

/// What rendering needs besides the statistics.
#[derive(Clone, Copy)]
pub struct StatsCtx<'a> {
    /// Interface names.
    pub links: &'a LinkNames,
    /// The groups and subgroups asked for, in [`Sub::ALL`] order.
    pub subs: &'a [Sub],
}

impl StatsCtx<'_> {
    /// The device's name, `if<N>` for an index not in the link dump (as
    /// `ll_index_to_name`).
    fn dev(&self, index: u32) -> String {
        self.links
            .name(index)
            .map_or_else(|| format!("if{index}"), str::to_string)
    }
}

/// The order `ip stats show` prints a link's objects in: iproute2 6.1 sorts
/// its selection by the address of each leaf's descriptor, which puts
/// them in this order in the build `ip -j stats show` was checked against.
pub const IP_ORDER: [Sub; 11] = [
    Sub::Mpls,
    Sub::Link,
    Sub::L3Stats,
    Sub::HwStatsInfo,
    Sub::CpuHit,
    Sub::PortLacp,
    Sub::BondLacp,
    Sub::PortMcast,
    Sub::PortStp,
    Sub::BridgeMcast,
    Sub::BridgeStp,
];

/// The xstats nest a leaf reads, if it is an xstats leaf.
fn xstats(s: &IfStats, sub: Sub) -> Option<&XStats> {
    match sub {
        Sub::BridgeStp | Sub::BridgeMcast | Sub::BondLacp => s.xstats.as_ref(),
        Sub::PortStp | Sub::PortMcast | Sub::PortLacp => s.xstats_slave.as_ref(),
        _ => None,
    }
}

/// A bridge's IGMP and MLD counters for an `mcast` leaf.
fn mcast(s: &IfStats, sub: Sub) -> Option<Counters<30>> {
    match sub {
        Sub::BridgeMcast | Sub::PortMcast => xstats(s, sub)?.bridge?.mcast,
        _ => None,
    }
}

/// A bridge's STP counters for an `stp` leaf.
fn stp(s: &IfStats, sub: Sub) -> Option<Counters<6>> {
    match sub {
        Sub::BridgeStp | Sub::PortStp => xstats(s, sub)?.bridge?.stp,
        _ => None,
    }
}

/// A bond's LACP counters for an `802.3ad` leaf.
fn lacp(s: &IfStats, sub: Sub) -> Option<Counters<9>> {
    match sub {
        Sub::BondLacp | Sub::PortLacp => xstats(s, sub)?.bond_lacp,
        _ => None,
    }
}

/// Write `stats` in `format`, links in the order given.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    ctx: &StatsCtx<'_>,
    stats: &[IfStats],
) -> io::Result<()> {
    match format {
        Format::Table(view) => {
            let mut t = TableWriter::new(out, &COLUMNS, view);
            for s in stats {
                for &sub in ctx.subs {
                    if let Some(r) = row(s, sub, ctx) {
                        t.push(&r)?;
                    }
                }
            }
            t.finish()
        }
        Format::Json(dialect) => {
            let mut array = JsonArray::new(out);
            for s in stats {
                match dialect {
                    Dialect::Nlq => {
                        for &sub in ctx.subs {
                            array.push(&NlqEntry { s, sub, ctx })?;
                        }
                    }
                    Dialect::Ip => {
                        for sub in IP_ORDER.into_iter().filter(|x| ctx.subs.contains(x)) {
                            array.push(&IpEntry { s, sub, ctx })?;
                        }
                    }
                }
            }
            array.finish()
        }
    }
}

/// nlq's key for MPLS's own counter (rx_noroute of `struct
/// mpls_link_stats`), after those of `struct rtnl_link_stats64`.
const NOROUTE: &str = "rx_noroute";

/// Counters of `struct rtnl_hw_stats64`: the first nine of
/// `rtnl_link_stats64`, in the same order.
const HW_COUNTERS: usize = 9;

/// One entry's counters, each by its nlq key, in [`Counter::ALL`] order
/// then [`NOROUTE`]; `None` where the entry's struct has no such field.
fn counters(s: &IfStats, sub: Sub) -> Option<[Option<u64>; Counter::ALL.len() + 1]> {
    let mut out = [None; Counter::ALL.len() + 1];
    let from = |st: &Stats, n: usize, out: &mut [Option<u64>]| {
        for (slot, c) in out.iter_mut().zip(Counter::ALL).take(n) {
            *slot = st.get(c);
        }
    };
    let offload = s.offload.as_ref();
    match sub {
        Sub::Link => from(s.link.as_ref()?, Counter::ALL.len(), &mut out),
        Sub::CpuHit => from(offload?.cpu_hit.as_ref()?, Counter::ALL.len(), &mut out),
        Sub::L3Stats => from(offload?.l3_stats.as_ref()?, HW_COUNTERS, &mut out),
        Sub::HwStatsInfo
        | Sub::BridgeStp
        | Sub::BridgeMcast
        | Sub::BondLacp
        | Sub::PortStp
        | Sub::PortMcast
        | Sub::PortLacp => return None,
        Sub::Mpls => {
            let m = s.afstats.as_ref()?.mpls.as_ref()?;
            for (slot, name) in out.iter_mut().zip(&MplsStats::NAMES[..8]) {
                *slot = m.get(name);
            }
            out[Counter::ALL.len()] = m.get(NOROUTE);
        }
    }
    Some(out)
}

/// The state of the L3 hardware counters, for the two subgroups that
/// show it.
fn hw_info(s: &IfStats, sub: Sub) -> Option<HwInfo> {
    match sub {
        Sub::HwStatsInfo | Sub::L3Stats => s.offload?.hw_s_info?.l3_stats,
        _ => None,
    }
}

/// The table's columns, in order; [`row`] fills them in this order.
pub const COLUMNS: [Column; 14] = [
    Column::new("DEV", "dev").paint(Paint::Name),
    Column::new("GROUP", "group"),
    Column::new("SUBGROUP", "subgroup").hide_if(""),
    Column::new("SUITE", "suite").hide_if(""),
    Column::new("RX BYTES", "rx_bytes"),
    Column::new("RX PACKETS", "rx_packets"),
    Column::new("RX ERRORS", "rx_errors"),
    Column::new("RX DROPPED", "rx_dropped"),
    Column::new("MULTICAST", "multicast").hide_if(""),
    Column::new("TX BYTES", "tx_bytes"),
    Column::new("TX PACKETS", "tx_packets"),
    Column::new("TX ERRORS", "tx_errors"),
    Column::new("TX DROPPED", "tx_dropped"),
    Column::new("INFO", "info").hide_if(""),
];

/// One table row, `None` when the kernel sent nothing for `sub`.
pub fn row(s: &IfStats, sub: Sub, ctx: &StatsCtx<'_>) -> Option<[String; COLUMNS.len()]> {
    let mut c = counters(s, sub);
    if let Some(m) = mcast(s, sub) {
        // The multicast bytes and packets fill the traffic columns.
        let mut mc = [None; Counter::ALL.len() + 1];
        let at = |name| BR_MCAST_NAMES.iter().position(|n| *n == name);
        for (counter, name) in [
            (Counter::RxBytes, "mcast_bytes_rx"),
            (Counter::TxBytes, "mcast_bytes_tx"),
            (Counter::RxPackets, "mcast_packets_rx"),
            (Counter::TxPackets, "mcast_packets_tx"),
        ] {
            mc[counter as usize] = at(name).and_then(|i| m.get(i));
        }
        c = Some(mc);
    }
    let text = info_text(s, sub, c.and_then(|c| c[Counter::ALL.len()]));
    if c.is_none() && text.is_empty() {
        return None;
    }
    let c = c.unwrap_or_default();
    let num = |counter: Counter| c[counter as usize].map_or_else(String::new, |n| n.to_string());
    Some([
        ctx.dev(s.ifindex),
        sub.group().to_string(),
        sub.subgroup().unwrap_or_default().to_string(),
        sub.suite().unwrap_or_default().to_string(),
        num(Counter::RxBytes),
        num(Counter::RxPackets),
        num(Counter::RxErrors),
        num(Counter::RxDropped),
        num(Counter::Multicast),
        num(Counter::TxBytes),
        num(Counter::TxPackets),
        num(Counter::TxErrors),
        num(Counter::TxDropped),
        text,
    ])
}

/// The INFO cell: the L3 counters' state, MPLS's noroute, a summary of
/// the STP, IGMP/MLD or LACP counters.
fn info_text(s: &IfStats, sub: Sub, noroute: Option<u64>) -> String {
    let on = |b: Option<bool>| b.map_or("?", |b| if b { "on" } else { "off" });
    let n = |v: Option<u64>| v.map_or_else(|| "?".to_string(), |v| v.to_string());
    // hw_stats_info lists counter sets by name; l3_stats is the set.
    let set = if sub == Sub::HwStatsInfo {
        "l3_stats "
    } else {
        ""
    };
    if let Some(i) = hw_info(s, sub) {
        return format!("{set}request {} used {}", on(i.request), on(i.used));
    }
    if let Some(r) = noroute {
        return format!("noroute {r}");
    }
    if let Some(t) = stp(s, sub) {
        let [blk, fwd, rx, tx, rx_tcn, tx_tcn] = t.0.map(n);
        return format!(
            "bpdu rx {rx} tx {tx} tcn rx {rx_tcn} tx {tx_tcn} blocked {blk} forwarding {fwd}"
        );
    }
    if let Some(m) = mcast(s, sub) {
        // Queries and reports of every version, summed.
        let sum = |idx: &[usize]| idx.iter().filter_map(|&i| m.get(i)).sum::<u64>();
        return format!(
            "igmp queries {}/{} reports {}/{} mld queries {}/{} reports {}/{} (rx/tx)",
            sum(&[0, 2, 4]),
            sum(&[1, 3, 5]),
            sum(&[8, 10, 12]),
            sum(&[9, 11, 13]),
            sum(&[15, 17]),
            sum(&[16, 18]),
            sum(&[21, 23]),
            sum(&[22, 24]),
        );
    }
    if let Some(l) = lacp(s, sub) {
        let g = |i| n(l.get(i));
        return format!(
            "lacpdu rx {} tx {} marker rx {} tx {}",
            g(0),
            g(1),
            g(4),
            g(5)
        );
    }
    String::new()
}

/// One link's group/subgroup in nlq's own schema (docs/json.md,
/// `## stats`).
pub struct NlqEntry<'a> {
    /// The link's statistics.
    pub s: &'a IfStats,
    /// Which group/subgroup.
    pub sub: Sub,
    /// Names.
    pub ctx: &'a StatsCtx<'a>,
}

impl Serialize for NlqEntry<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let (s, sub) = (self.s, self.sub);
        let info = hw_info(s, sub);
        let mut m = ser.serialize_struct("Stats", 11)?;
        m.serialize_field("ifindex", &s.ifindex)?;
        m.serialize_field("dev", &self.ctx.dev(s.ifindex))?;
        m.serialize_field("group", sub.group())?;
        m.serialize_field("subgroup", &sub.subgroup())?;
        m.serialize_field("suite", &sub.suite())?;
        m.serialize_field("stats", &counters(s, sub).map(NlqCounters))?;
        m.serialize_field("request", &info.and_then(|i| i.request))?;
        m.serialize_field("used", &info.and_then(|i| i.used))?;
        let named = |c: &[Option<u64>], names: &'static [&'static str]| Named(names, c.to_vec());
        m.serialize_field("stp", &stp(s, sub).map(|c| named(&c.0, &BR_STP_NAMES)))?;
        let mc = mcast(s, sub).map(|c| named(&c.0, &BR_MCAST_NAMES));
        m.serialize_field("multicast", &mc)?;
        m.serialize_field("lacp", &lacp(s, sub).map(|c| named(&c.0, &BOND_3AD_NAMES)))?;
        m.end()
    }
}

/// Every counter by its nlq key, `null` where the entry has none.
struct NlqCounters([Option<u64>; Counter::ALL.len() + 1]);

impl Serialize for NlqCounters {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let names = Counter::ALL.iter().map(|c| c.name()).chain([NOROUTE]);
        s.collect_map(names.zip(self.0))
    }
}

/// Counters by name, `null` where the kernel sent none.
struct Named(&'static [&'static str], Vec<Option<u64>>);

impl Serialize for Named {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().zip(&self.1))
    }
}

/// One link's group/subgroup as `ip -j stats show` prints it
/// (`ipstats_process_ifsm` and each leaf's `show`).
pub struct IpEntry<'a> {
    /// The link's statistics.
    pub s: &'a IfStats,
    /// Which group/subgroup.
    pub sub: Sub,
    /// Names.
    pub ctx: &'a StatsCtx<'a>,
}

impl Serialize for IpEntry<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let (s, sub) = (self.s, self.sub);
        let mut m = ser.serialize_map(None)?;
        m.serialize_entry("ifindex", &(s.ifindex as i32))?;
        m.serialize_entry("ifname", &self.ctx.dev(s.ifindex))?;
        m.serialize_entry("group", sub.group())?;
        if let Some(sg) = sub.subgroup() {
            m.serialize_entry("subgroup", sg)?;
        }
        if let Some(suite) = sub.suite() {
            m.serialize_entry("suite", suite)?;
        }
        let offload = s.offload.as_ref();
        match sub {
            Sub::Link => ip_stats64(&mut m, s.link.as_ref())?,
            Sub::CpuHit => ip_stats64(&mut m, offload.and_then(|o| o.cpu_hit.as_ref()))?,
            Sub::HwStatsInfo => {
                if let Some(hwsi) = offload.and_then(|o| o.hw_s_info) {
                    m.serialize_entry("info", &IpHwStatsInfo(hwsi.l3_stats))?;
                }
            }
            // `ipstats_show_hw_stats`: nothing without the info.
            Sub::L3Stats => {
                if let Some(hwsi) = offload.and_then(|o| o.hw_s_info) {
                    m.serialize_entry("info", &IpHwInfo(hwsi.l3_stats))?;
                    if let Some(st) = offload.and_then(|o| o.l3_stats.as_ref()) {
                        m.serialize_entry("stats64", &IpHwStats(st))?;
                    }
                }
            }
            Sub::Mpls => {
                if let Some(mpls) = s.afstats.and_then(|a| a.mpls) {
                    m.serialize_entry("mpls_stats", &IpMpls(mpls))?;
                }
            }
            Sub::BridgeStp | Sub::PortStp => {
                if let Some(c) = stp(s, sub) {
                    m.serialize_entry("stp", &Pairs(&ip_stp(&c)))?;
                }
            }
            Sub::BridgeMcast | Sub::PortMcast => {
                if let Some(c) = mcast(s, sub) {
                    m.serialize_entry("multicast", &IpMcast(c))?;
                }
            }
            Sub::BondLacp | Sub::PortLacp => {
                if let Some(c) = lacp(s, sub) {
                    m.serialize_entry("802.3ad", &IpLacp(c))?;
                }
            }
        }
        m.end()
    }
}

/// `ipstats_show_64`: `stats64` as `print_stats64` prints it.
fn ip_stats64<M: SerializeMap>(m: &mut M, stats: Option<&Stats>) -> Result<(), M::Error> {
    match stats {
        Some(stats) => m.serialize_entry(
            "stats64",
            &IpStats {
                stats,
                carrier_changes: None,
            },
        ),
        None => Ok(()),
    }
}

/// `__ipstats_show_hw_s_info_one`: each state the kernel sent, as a bool.
struct IpHwInfo(Option<HwInfo>);

impl Serialize for IpHwInfo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(i) = self.0 {
            if let Some(r) = i.request {
                m.serialize_entry("request", &r)?;
            }
            if let Some(u) = i.used {
                m.serialize_entry("used", &u)?;
            }
        }
        m.end()
    }
}

/// `__ipstats_show_hw_s_info`: each counter set's state by its name.
struct IpHwStatsInfo(Option<HwInfo>);

impl Serialize for IpHwStatsInfo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if self.0.is_some() {
            m.serialize_entry("l3_stats", &IpHwInfo(self.0))?;
        }
        m.end()
    }
}

/// `print_hw_stats64`: `struct rtnl_hw_stats64`, zero-filled as `ip` does.
struct IpHwStats<'a>(&'a Stats);

impl Serialize for IpHwStats<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use Counter::*;
        let get = |c| self.0.get(c).unwrap_or(0);
        let dir = |keys: &[(&'static str, Counter)]| {
            keys.iter().map(|&(k, c)| (k, get(c))).collect::<Vec<_>>()
        };
        let rx = dir(&[
            ("bytes", RxBytes),
            ("packets", RxPackets),
            ("errors", RxErrors),
            ("dropped", RxDropped),
            ("multicast", Multicast),
        ]);
        let tx = dir(&[
            ("bytes", TxBytes),
            ("packets", TxPackets),
            ("errors", TxErrors),
            ("dropped", TxDropped),
        ]);
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("rx", &Pairs(&rx))?;
        m.serialize_entry("tx", &Pairs(&tx))?;
        m.end()
    }
}

/// `print_mpls_link_stats`: `struct mpls_link_stats`, zero-filled.
struct IpMpls(MplsStats);

impl Serialize for IpMpls {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let get = |name: &str| self.0.get(name).unwrap_or(0);
        let dir = |keys: &[(&'static str, &'static str)]| {
            keys.iter().map(|&(k, n)| (k, get(n))).collect::<Vec<_>>()
        };
        let rx = dir(&[
            ("bytes", "rx_bytes"),
            ("packets", "rx_packets"),
            ("errors", "rx_errors"),
            ("dropped", "rx_dropped"),
            ("noroute", "rx_noroute"),
        ]);
        let tx = dir(&[
            ("bytes", "tx_bytes"),
            ("packets", "tx_packets"),
            ("errors", "tx_errors"),
            ("dropped", "tx_dropped"),
        ]);
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("rx", &Pairs(&rx))?;
        m.serialize_entry("tx", &Pairs(&tx))?;
        m.end()
    }
}

/// `bridge_print_stats_stp`: BPDUs, TCNs, then transitions; zero-filled.
fn ip_stp(c: &Counters<6>) -> [(&'static str, u64); 6] {
    let g = |i| c.get(i).unwrap_or(0);
    [
        ("rx_bpdu", g(2)),
        ("tx_bpdu", g(3)),
        ("rx_tcn", g(4)),
        ("tx_tcn", g(5)),
        ("transition_blk", g(0)),
        ("transition_fwd", g(1)),
    ]
}

/// `bridge_print_stats_mcast`: IGMP then MLD, queries, reports and leaves
/// by direction and version; zero-filled (ip reads the struct unchecked).
struct IpMcast(Counters<30>);

impl Serialize for IpMcast {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let g = |i: usize| self.0.get(i).unwrap_or(0);
        let versions = |rx: &[usize], tx: &[usize]| {
            let names = ["v1", "v2", "v3"];
            let mut v: Vec<(String, u64)> = Vec::new();
            v.extend(
                rx.iter()
                    .zip(names)
                    .map(|(&i, n)| (format!("rx_{n}"), g(i))),
            );
            v.extend(
                tx.iter()
                    .zip(names)
                    .map(|(&i, n)| (format!("tx_{n}"), g(i))),
            );
            v
        };
        let dirs = |rx: usize| vec![("rx".to_string(), g(rx)), ("tx".to_string(), g(rx + 1))];
        let mut m = s.serialize_map(Some(8))?;
        m.serialize_entry("igmp_queries", &Owned(versions(&[0, 2, 4], &[1, 3, 5])))?;
        m.serialize_entry("igmp_reports", &Owned(versions(&[8, 10, 12], &[9, 11, 13])))?;
        m.serialize_entry("igmp_leaves", &Owned(dirs(6)))?;
        m.serialize_entry("igmp_parse_errors", &g(14))?;
        m.serialize_entry("mld_queries", &Owned(versions(&[15, 17], &[16, 18])))?;
        m.serialize_entry("mld_reports", &Owned(versions(&[21, 23], &[22, 24])))?;
        m.serialize_entry("mld_leaves", &Owned(dirs(19)))?;
        m.serialize_entry("mld_parse_errors", &g(25))?;
        m.end()
    }
}

/// `bond_print_3ad_stats`: each counter the kernel sent.
struct IpLacp(Counters<9>);

impl Serialize for IpLacp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let sent = BOND_3AD_NAMES.iter().enumerate();
        s.collect_map(sent.filter_map(|(i, n)| Some((*n, self.0.get(i)?))))
    }
}

/// An object of `(key, number)` pairs with built keys, in order.
struct Owned(Vec<(String, u64)>);

impl Serialize for Owned {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// An object of `(key, number)` pairs, in order.
struct Pairs<'a>(&'a [(&'static str, u64)]);

impl Serialize for Pairs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ifstats::{AfStats, BridgeXStats, HwStatsInfo, Offload};
    use serde_json::{Value, json};

    /// A link with every group: link counters, L3 info on and counters,
    /// MPLS counters, no CPU hit counters; a bridge port (STP counters,
    /// transition_fwd 1, the struct cut short) and a bond port.
    fn link() -> IfStats {
        // struct rtnl_link_stats64: rx_packets 5, tx_packets 6, rx_bytes 500
        let mut raw = [0u8; 8 * 3];
        raw[..8].copy_from_slice(&5u64.to_ne_bytes());
        raw[8..16].copy_from_slice(&6u64.to_ne_bytes());
        raw[16..].copy_from_slice(&500u64.to_ne_bytes());
        let mut mpls = [0u8; 8 * 9];
        mpls[64..].copy_from_slice(&2u64.to_ne_bytes()); // rx_noroute
        let mut lacp = Counters::default();
        lacp.0[0] = Some(4); // BOND_3AD_STAT_LACPDU_RX alone
        IfStats {
            ifindex: 3,
            link: Some(Stats::from_stats64(&raw)),
            offload: Some(Offload {
                cpu_hit: None,
                hw_s_info: Some(HwStatsInfo {
                    l3_stats: Some(HwInfo {
                        request: Some(true),
                        used: Some(false),
                    }),
                }),
                l3_stats: Some(Stats::from_stats64(&raw)),
            }),
            afstats: Some(AfStats {
                mpls: Some(MplsStats::parse(&mpls)),
            }),
            xstats_slave: Some(XStats {
                bridge: Some(BridgeXStats {
                    mcast: None,
                    stp: Some(Counters([Some(0), Some(1), None, None, None, None])),
                }),
                bond_lacp: Some(lacp),
            }),
            ..IfStats::default()
        }
    }

    fn render(dialect: Dialect) -> Value {
        let mut links = LinkNames::new();
        links.insert(3, "v0");
        let ctx = StatsCtx {
            links: &links,
            subs: &Sub::ALL,
        };
        let mut out = Vec::new();
        write(&mut out, Format::Json(dialect), &ctx, &[link()]).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn ip_dialect_in_ips_order_and_shapes() {
        let v = render(Dialect::Ip);
        let a = v.as_array().unwrap();
        let subs: Vec<&str> = a
            .iter()
            .map(|o| o.get("subgroup").unwrap_or(&o["group"]).as_str().unwrap())
            .collect();
        let first = ["mpls", "link", "l3_stats", "hw_stats_info", "cpu_hit"];
        assert_eq!(subs[..5], first);
        assert_eq!(
            subs[5..],
            ["bond", "bond", "bridge", "bridge", "bridge", "bridge"]
        );
        let suites: Vec<&Value> = a[5..].iter().map(|o| &o["suite"]).collect();
        assert_eq!(
            suites,
            ["802.3ad", "802.3ad", "mcast", "stp", "mcast", "stp"]
        );
        assert_eq!(
            (&a[5]["group"], &a[6]["group"]),
            (&json!("xstats_slave"), &json!("xstats"))
        );
        assert_eq!(
            a[5]["802.3ad"],
            json!({"lacpdu_rx": 4}),
            "only what was sent"
        );
        assert_eq!(a[8]["stp"]["transition_fwd"], 1);
        assert_eq!(a[8]["stp"]["rx_bpdu"], 0, "zero-filled");
        assert_eq!(a[10].get("stp"), None, "no bridge xstats of its own");
        assert_eq!(a[0]["mpls_stats"]["rx"]["noroute"], 2);
        assert_eq!(a[1]["stats64"]["rx"]["bytes"], 500);
        assert_eq!(a[2]["info"], json!({"request": true, "used": false}));
        assert_eq!(
            a[2]["stats64"]["rx"],
            json!({"bytes": 500, "packets": 5, "errors": 0, "dropped": 0, "multicast": 0})
        );
        assert_eq!(a[3]["info"]["l3_stats"]["request"], true);
        assert_eq!(
            a[4],
            json!({"ifindex": 3, "ifname": "v0", "group": "offload", "subgroup": "cpu_hit"})
        );
    }

    #[test]
    fn nlq_json_is_total() {
        let v = render(Dialect::Nlq);
        let a = v.as_array().unwrap();
        assert_eq!(a.len(), 11);
        let link = (&a[0]["group"], &a[0]["subgroup"], &a[0]["suite"]);
        assert_eq!(link, (&json!("link"), &Value::Null, &Value::Null));
        assert_eq!(a[0]["stats"]["rx_bytes"], 500);
        assert_eq!(a[0]["stats"]["rx_noroute"], Value::Null);
        assert_eq!(a[1]["stp"], Value::Null, "the link's own xstats: none");
        assert_eq!(a[4]["suite"], "stp");
        assert_eq!(a[4]["stp"]["transition_fwd"], 1);
        assert_eq!(a[4]["stp"]["rx_bpdu"], Value::Null, "short struct");
        assert_eq!(a[6]["lacp"]["lacpdu_rx"], 4);
        assert_eq!(a[7]["stats"], Value::Null, "no cpu_hit counters");
        assert_eq!(
            (&a[8]["request"], &a[8]["stats"]),
            (&json!(true), &Value::Null)
        );
        // rtnl_hw_stats64 has nine counters: the tenth is null.
        assert_eq!(a[9]["stats"]["rx_packets"], 5);
        assert_eq!(a[9]["stats"]["collisions"], Value::Null);
        assert_eq!(a[10]["stats"]["rx_noroute"], 2);
        for o in a {
            assert_eq!(o.as_object().unwrap().len(), 11);
        }
    }

    #[test]
    fn rows_only_where_there_is_something() {
        let links = LinkNames::new();
        let ctx = StatsCtx {
            links: &links,
            subs: &Sub::ALL,
        };
        let s = link();
        assert!(row(&s, Sub::CpuHit, &ctx).is_none());
        assert!(row(&s, Sub::BridgeStp, &ctx).is_none());
        let r = row(&s, Sub::Link, &ctx).unwrap();
        assert_eq!(r[..6], ["if3", "link", "", "", "500", "5"]);
        let r = row(&s, Sub::HwStatsInfo, &ctx).unwrap();
        assert_eq!(r[13], "l3_stats request on used off");
        let r = row(&s, Sub::L3Stats, &ctx).unwrap();
        assert_eq!(
            (r[4].as_str(), r[13].as_str()),
            ("500", "request on used off")
        );
        assert_eq!(row(&s, Sub::Mpls, &ctx).unwrap()[13], "noroute 2");
        let r = row(&s, Sub::PortStp, &ctx).unwrap();
        assert_eq!(r[1..4], ["xstats_slave", "bridge", "stp"]);
        assert_eq!(r[13], "bpdu rx ? tx ? tcn rx ? tx ? blocked 0 forwarding 1");
        let r = row(&s, Sub::PortLacp, &ctx).unwrap();
        assert_eq!(r[13], "lacpdu rx 4 tx ? marker rx ? tx ?");
    }
}
