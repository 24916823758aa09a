//! Interface statistics, three ways from one [`IfStats`] per link: a table
//! (one row per link and group/subgroup that has something to show), nlq's
//! own JSON (docs/json.md `## stats`, one object per link and
//! group/subgroup asked for) and the `ip -j stats show` dialect (iproute2
//! 6.1's ipstats.c, key for key and in its order).

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};

use super::link::ip::IpStats;
use super::stream::{Column, Paint, TableWriter};
use super::{Dialect, Format, JsonArray};
use crate::model::LinkNames;
use crate::model::ifstats::{HwInfo, IfStats, MplsStats, Sub};
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
pub const IP_ORDER: [Sub; 5] = [
    Sub::Mpls,
    Sub::Link,
    Sub::L3Stats,
    Sub::HwStatsInfo,
    Sub::CpuHit,
];

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

/// The counters nlq's JSON shows for every entry: `struct
/// rtnl_link_stats64`'s, then MPLS's own.
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
        Sub::HwStatsInfo => return None,
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
pub const COLUMNS: [Column; 13] = [
    Column::new("DEV", "dev").paint(Paint::Name),
    Column::new("GROUP", "group"),
    Column::new("SUBGROUP", "subgroup").hide_if(""),
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
    let c = counters(s, sub);
    let info = hw_info(s, sub);
    if c.is_none() && info.is_none() {
        return None;
    }
    let c = c.unwrap_or_default();
    let num = |counter: Counter| c[counter as usize].map_or_else(String::new, |n| n.to_string());
    let on = |b: Option<bool>| b.map_or("?", |b| if b { "on" } else { "off" });
    // hw_stats_info lists counter sets by name; l3_stats is the set.
    let set = if sub == Sub::HwStatsInfo {
        "l3_stats "
    } else {
        ""
    };
    let text = match (info, c[Counter::ALL.len()]) {
        (Some(i), _) => format!("{set}request {} used {}", on(i.request), on(i.used)),
        (None, Some(n)) => format!("noroute {n}"),
        (None, None) => String::new(),
    };
    Some([
        ctx.dev(s.ifindex),
        sub.group().to_string(),
        sub.subgroup().unwrap_or_default().to_string(),
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
        let mut m = ser.serialize_struct("Stats", 7)?;
        m.serialize_field("ifindex", &s.ifindex)?;
        m.serialize_field("dev", &self.ctx.dev(s.ifindex))?;
        m.serialize_field("group", sub.group())?;
        m.serialize_field("subgroup", &sub.subgroup())?;
        m.serialize_field("stats", &counters(s, sub).map(NlqCounters))?;
        m.serialize_field("request", &info.and_then(|i| i.request))?;
        m.serialize_field("used", &info.and_then(|i| i.used))?;
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
    use crate::model::ifstats::{AfStats, HwStatsInfo, Offload};
    use serde_json::{Value, json};

    /// A link with every group: link counters, L3 info on and counters,
    /// MPLS counters; no CPU hit counters.
    fn link() -> IfStats {
        // struct rtnl_link_stats64: rx_packets 5, tx_packets 6, rx_bytes 500
        let mut raw = [0u8; 8 * 3];
        raw[..8].copy_from_slice(&5u64.to_ne_bytes());
        raw[8..16].copy_from_slice(&6u64.to_ne_bytes());
        raw[16..].copy_from_slice(&500u64.to_ne_bytes());
        let mut mpls = [0u8; 8 * 9];
        mpls[64..].copy_from_slice(&2u64.to_ne_bytes()); // rx_noroute
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
        let subs: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.get("subgroup").unwrap_or(&o["group"]).as_str().unwrap())
            .collect();
        assert_eq!(
            subs,
            ["mpls", "link", "l3_stats", "hw_stats_info", "cpu_hit"]
        );
        assert_eq!(v[0]["mpls_stats"]["rx"]["noroute"], 2);
        assert_eq!(v[1]["stats64"]["rx"]["bytes"], 500);
        assert_eq!(v[2]["info"], json!({"request": true, "used": false}));
        assert_eq!(
            v[2]["stats64"]["rx"],
            json!({"bytes": 500, "packets": 5, "errors": 0, "dropped": 0, "multicast": 0})
        );
        assert_eq!(v[3]["info"]["l3_stats"]["request"], true);
        assert_eq!(
            v[4],
            json!({"ifindex": 3, "ifname": "v0", "group": "offload", "subgroup": "cpu_hit"})
        );
    }

    #[test]
    fn nlq_json_is_total() {
        let v = render(Dialect::Nlq);
        let a = v.as_array().unwrap();
        assert_eq!(a.len(), 5);
        assert_eq!(
            (&a[0]["group"], &a[0]["subgroup"]),
            (&json!("link"), &Value::Null)
        );
        assert_eq!(a[0]["stats"]["rx_bytes"], 500);
        assert_eq!(a[0]["stats"]["rx_noroute"], Value::Null);
        assert_eq!(a[1]["stats"], Value::Null, "no cpu_hit counters");
        assert_eq!(
            (&a[2]["request"], &a[2]["stats"]),
            (&json!(true), &Value::Null)
        );
        // rtnl_hw_stats64 has nine counters: the tenth is null.
        assert_eq!(a[3]["stats"]["rx_packets"], 5);
        assert_eq!(a[3]["stats"]["collisions"], Value::Null);
        assert_eq!(a[4]["stats"]["rx_noroute"], 2);
        for o in a {
            assert_eq!(o.as_object().unwrap().len(), 7);
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
        let r = row(&s, Sub::Link, &ctx).unwrap();
        assert_eq!(r[..5], ["if3", "link", "", "500", "5"]);
        let r = row(&s, Sub::HwStatsInfo, &ctx).unwrap();
        assert_eq!(r[12], "l3_stats request on used off");
        let r = row(&s, Sub::L3Stats, &ctx).unwrap();
        assert_eq!(
            (r[3].as_str(), r[12].as_str()),
            ("500", "request on used off")
        );
        assert_eq!(row(&s, Sub::Mpls, &ctx).unwrap()[12], "noroute 2");
    }
}
