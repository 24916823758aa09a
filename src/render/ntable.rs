//! Neighbour tables, three ways from one [`Ntable`]: a table (one row per
//! neighbour table and per device in it), nlq's own JSON (docs/json.md
//! `## ntables`) and the `ip -j ntable` dialect (iproute2 6.1's
//! `print_ntable`, key for key and in its order; with `-s`, its config and
//! statistics too).

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};

use super::netconf::ip_family_name;
use super::stream::{Column, Paint, TableWriter};
use super::text::Hex;
use super::{Dialect, Format, JsonArray};
use crate::model::LinkNames;
use crate::model::ntable::{NdtConfig, NdtStats, Ntable, NtableParms};

/// What rendering a table needs besides it.
#[derive(Clone, Copy)]
pub struct NtableCtx<'a> {
    /// Interface names.
    pub links: &'a LinkNames,
    /// `ip -s`: the ip dialect prints the config and the statistics too.
    pub stats: bool,
    /// Now, in seconds since the epoch: `ip -s` prints the last flush and
    /// randomization as local times.
    pub now: i64,
}

impl NtableCtx<'_> {
    /// The device's name, `if<N>` for an index not in the link dump.
    fn dev(&self, index: u32) -> String {
        self.links
            .name(index)
            .map_or_else(|| format!("if{index}"), str::to_string)
    }
}

/// Write `tables` in `format`, in the order given.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    ctx: &NtableCtx<'_>,
    tables: &[Ntable],
) -> io::Result<()> {
    match format {
        Format::Table(view) => {
            let mut t = TableWriter::new(out, &COLUMNS, view);
            for n in tables {
                t.push(&row(n, ctx))?;
            }
            t.finish()
        }
        Format::Json(dialect) => {
            let mut array = JsonArray::new(out);
            for t in tables {
                match dialect {
                    Dialect::Nlq => array.push(&NlqNtable { t, ctx })?,
                    Dialect::Ip => array.push(&IpNtable { t, ctx })?,
                }
            }
            array.finish()
        }
    }
}

/// The table's columns, in order; [`row`] fills them in this order. Times
/// are milliseconds, as the kernel and `ip` count them.
pub const COLUMNS: [Column; 16] = [
    Column::new("FAMILY", "family"),
    Column::new("NAME", "name"),
    Column::new("DEV", "dev").hide_if("").paint(Paint::Name),
    Column::new("THRESH1", "thresh1").hide_if(""),
    Column::new("THRESH2", "thresh2").hide_if(""),
    Column::new("THRESH3", "thresh3").hide_if(""),
    Column::new("GC_INTERVAL", "gc_interval").hide_if(""),
    Column::new("REACHABLE", "reachable").hide_if(""),
    Column::new("BASE_REACHABLE", "base_reachable").hide_if(""),
    Column::new("RETRANS", "retrans").hide_if(""),
    Column::new("GC_STALE", "gc_stale").hide_if(""),
    Column::new("DELAY_PROBE", "delay_probe").hide_if(""),
    Column::new("QUEUE", "queue").hide_if(""),
    Column::new("UCAST_PROBES", "ucast_probes").hide_if(""),
    Column::new("MCAST_PROBES", "mcast_probes").hide_if(""),
    Column::new("LOCKTIME", "locktime").hide_if(""),
];

/// One table row: cells in [`COLUMNS`] order, empty where there is nothing.
pub fn row(t: &Ntable, ctx: &NtableCtx<'_>) -> [String; COLUMNS.len()] {
    fn num<N: ToString>(v: Option<N>) -> String {
        v.map_or_else(String::new, |n| n.to_string())
    }
    let p = t.parms.unwrap_or_default();
    [
        ip_family_name(t.family).to_string(),
        t.name.clone().unwrap_or_default(),
        t.ifindex().map_or_else(String::new, |i| ctx.dev(i)),
        num(t.thresh1),
        num(t.thresh2),
        num(t.thresh3),
        num(t.gc_interval),
        num(p.reachable),
        num(p.base_reachable),
        num(p.retrans),
        num(p.gc_stale),
        num(p.delay_probe),
        num(p.queue),
        num(p.ucast_probes),
        num(p.mcast_probes),
        num(p.locktime),
    ]
}

/// A table in nlq's own schema (docs/json.md, `## ntables`).
pub struct NlqNtable<'a> {
    /// The table or device.
    pub t: &'a Ntable,
    /// Names and options.
    pub ctx: &'a NtableCtx<'a>,
}

impl Serialize for NlqNtable<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.t;
        let p = t.parms.unwrap_or_default();
        let mut m = s.serialize_struct("Ntable", 27)?;
        m.serialize_field("family", ip_family_name(t.family))?;
        m.serialize_field("name", &t.name)?;
        m.serialize_field("dev", &t.ifindex().map(|i| self.ctx.dev(i)))?;
        m.serialize_field("ifindex", &t.ifindex())?;
        m.serialize_field("thresh1", &t.thresh1)?;
        m.serialize_field("thresh2", &t.thresh2)?;
        m.serialize_field("thresh3", &t.thresh3)?;
        m.serialize_field("gc_interval", &t.gc_interval)?;
        m.serialize_field("refcnt", &p.refcnt)?;
        m.serialize_field("reachable", &p.reachable)?;
        m.serialize_field("base_reachable", &p.base_reachable)?;
        m.serialize_field("retrans", &p.retrans)?;
        m.serialize_field("gc_stale", &p.gc_stale)?;
        m.serialize_field("delay_probe", &p.delay_probe)?;
        m.serialize_field("queue", &p.queue)?;
        m.serialize_field("queue_bytes", &p.queue_bytes)?;
        m.serialize_field("app_probes", &p.app_probes)?;
        m.serialize_field("ucast_probes", &p.ucast_probes)?;
        m.serialize_field("mcast_probes", &p.mcast_probes)?;
        m.serialize_field("mcast_reprobes", &p.mcast_reprobes)?;
        m.serialize_field("anycast_delay", &p.anycast_delay)?;
        m.serialize_field("proxy_delay", &p.proxy_delay)?;
        m.serialize_field("proxy_queue", &p.proxy_queue)?;
        m.serialize_field("locktime", &p.locktime)?;
        m.serialize_field("interval_probe_time", &p.interval_probe_time)?;
        m.serialize_field("config", &t.config.as_ref().map(NlqConfig))?;
        m.serialize_field("stats", &t.stats.as_ref().map(NlqStats))?;
        m.end()
    }
}

/// NDTA_CONFIG in nlq's schema: numbers, ages in milliseconds.
struct NlqConfig<'a>(&'a NdtConfig);

impl Serialize for NlqConfig<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        let mut m = s.serialize_struct("NdtConfig", 9)?;
        m.serialize_field("key_len", &c.key_len)?;
        m.serialize_field("entry_size", &c.entry_size)?;
        m.serialize_field("entries", &c.entries)?;
        m.serialize_field("last_flush", &c.last_flush)?;
        m.serialize_field("last_rand", &c.last_rand)?;
        m.serialize_field("hash_rnd", &c.hash_rnd)?;
        m.serialize_field("hash_mask", &c.hash_mask)?;
        m.serialize_field("hash_chain_gc", &c.hash_chain_gc)?;
        m.serialize_field("proxy_qlen", &c.proxy_qlen)?;
        m.end()
    }
}

/// NDTA_STATS's counters by their `ip -s` names, in kernel order.
fn stats_entries(st: &NdtStats) -> [(&'static str, u64); 11] {
    [
        ("allocs", st.allocs),
        ("destroys", st.destroys),
        ("hash_grows", st.hash_grows),
        ("res_failed", st.res_failed),
        ("lookups", st.lookups),
        ("hits", st.hits),
        ("rcv_probes_mcast", st.rcv_probes_mcast),
        ("rcv_probes_ucast", st.rcv_probes_ucast),
        ("periodic_gc_runs", st.periodic_gc_runs),
        ("forced_gc_runs", st.forced_gc_runs),
        ("table_fulls", st.table_fulls),
    ]
}

/// NDTA_STATS in nlq's schema.
struct NlqStats<'a>(&'a NdtStats);

impl Serialize for NlqStats<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(stats_entries(self.0))
    }
}

/// A table as `ip -j ntable` prints it (with `-s`, `ip -s -j ntable`):
/// only what the kernel sent, flat, in `print_ntable`'s order.
pub struct IpNtable<'a> {
    /// The table or device.
    pub t: &'a Ntable,
    /// Names and options.
    pub ctx: &'a NtableCtx<'a>,
}

impl Serialize for IpNtable<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (t, ctx) = (self.t, self.ctx);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("family", ip_family_name(t.family))?;
        if let Some(name) = &t.name {
            m.serialize_entry("name", name)?;
        }
        let limits = [
            ("thresh1", t.thresh1.map(u64::from)),
            ("thresh2", t.thresh2.map(u64::from)),
            ("thresh3", t.thresh3.map(u64::from)),
            ("gc_interval", t.gc_interval),
        ];
        for (key, v) in limits {
            if let Some(v) = v {
                m.serialize_entry(key, &v)?;
            }
        }
        if let (Some(c), true) = (&t.config, ctx.stats) {
            ip_config(&mut m, c, ctx.now)?;
        }
        if let Some(p) = &t.parms {
            ip_parms(&mut m, p, ctx)?;
        }
        if let (Some(st), true) = (&t.stats, ctx.stats) {
            for (key, v) in stats_entries(st) {
                m.serialize_entry(key, &v)?;
            }
        }
        m.end()
    }
}

/// `print_ndtconfig`: ages as the local time they point at, the hash mask
/// in hex.
fn ip_config<M: SerializeMap>(m: &mut M, c: &NdtConfig, now: i64) -> Result<(), M::Error> {
    m.serialize_entry("key_length", &c.key_len)?;
    m.serialize_entry("entry_size", &c.entry_size)?;
    m.serialize_entry("entries", &c.entries)?;
    m.serialize_entry("last_flush", &strtime_delta(c.last_flush, now))?;
    m.serialize_entry("last_rand", &strtime_delta(c.last_rand, now))?;
    m.serialize_entry("hash_rnd", &c.hash_rnd)?;
    m.serialize_entry("hash_mask", &Hex(c.hash_mask.into()).to_string())?;
    m.serialize_entry("hash_chain_gc", &c.hash_chain_gc)?;
    m.serialize_entry("proxy_qlen", &c.proxy_qlen)
}

/// `print_ndtparams`: the device, then each parameter the kernel sent.
fn ip_parms<M: SerializeMap>(
    m: &mut M,
    p: &NtableParms,
    ctx: &NtableCtx<'_>,
) -> Result<(), M::Error> {
    if let Some(i) = p.ifindex {
        m.serialize_entry("dev", &ctx.dev(i))?;
    }
    let w = |v: Option<u32>| v.map(u64::from);
    let keys = [
        ("refcnt", w(p.refcnt)),
        ("reachable", p.reachable),
        ("base_reachable", p.base_reachable),
        ("retrans", p.retrans),
        ("gc_stale", p.gc_stale),
        ("delay_probe", p.delay_probe),
        ("queue", w(p.queue)),
        ("app_probes", w(p.app_probes)),
        ("ucast_probes", w(p.ucast_probes)),
        ("mcast_probes", w(p.mcast_probes)),
        ("anycast_delay", p.anycast_delay),
        ("proxy_delay", p.proxy_delay),
        ("proxy_queue", w(p.proxy_queue)),
        ("locktime", p.locktime),
    ];
    for (key, v) in keys {
        if let Some(v) = v {
            m.serialize_entry(key, &v)?;
        }
    }
    Ok(())
}

/// `ntable_strtime_delta`: the local time `msec` milliseconds before
/// `now`, `%Y-%m-%d %T`; `(error)` for 0, as `ip` prints it.
fn strtime_delta(msec: u32, now: i64) -> String {
    let at = now - i64::from(msec / 1000);
    match (msec, crate::sys::local_time(at)) {
        (0, _) | (_, None) => "(error)".to_string(),
        (_, Some(t)) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            t.year, t.month, t.day, t.hour, t.minute, t.second
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AF_INET;

    fn table() -> Ntable {
        Ntable {
            family: AF_INET,
            name: Some("arp_cache".into()),
            thresh1: Some(128),
            gc_interval: Some(30_000),
            config: Some(NdtConfig {
                entries: 2,
                hash_mask: 7,
                ..NdtConfig::default()
            }),
            parms: Some(NtableParms {
                refcnt: Some(1),
                retrans: Some(1000),
                ..NtableParms::default()
            }),
            stats: Some(NdtStats {
                lookups: 9,
                ..NdtStats::default()
            }),
            ..Ntable::default()
        }
    }

    #[test]
    fn ip_dialect_with_and_without_stats() {
        let links = LinkNames::new();
        let mut ctx = NtableCtx {
            links: &links,
            stats: false,
            now: 0,
        };
        let v = serde_json::to_string(&IpNtable {
            t: &table(),
            ctx: &ctx,
        })
        .unwrap();
        assert_eq!(
            v,
            r#"{"family":"inet","name":"arp_cache","thresh1":128,"gc_interval":30000,"refcnt":1,"retrans":1000}"#
        );
        ctx.stats = true;
        let v = serde_json::to_value(IpNtable {
            t: &table(),
            ctx: &ctx,
        })
        .unwrap();
        assert_eq!(v["hash_mask"], "0x7");
        assert_eq!(v["last_flush"], "(error)");
        assert_eq!(v["lookups"], 9);
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let at = |k: &str| keys.iter().position(|x| *x == k).unwrap();
        assert!(at("gc_interval") < at("key_length") && at("proxy_qlen") < at("refcnt"));
        assert!(at("retrans") < at("allocs"));
    }

    #[test]
    fn nlq_json_and_row() {
        let mut links = LinkNames::new();
        links.insert(3, "v0");
        let ctx = NtableCtx {
            links: &links,
            stats: false,
            now: 0,
        };
        let v = serde_json::to_value(NlqNtable {
            t: &table(),
            ctx: &ctx,
        })
        .unwrap();
        assert_eq!(v["config"]["entries"], 2);
        assert_eq!(v["stats"]["lookups"], 9);
        assert_eq!((&v["dev"], &v["thresh2"]), (&Value::Null, &Value::Null));
        let mut dev = table();
        dev.parms = Some(NtableParms {
            ifindex: Some(3),
            ..NtableParms::default()
        });
        let r = row(&dev, &ctx);
        assert_eq!(r[..4], ["inet", "arp_cache", "v0", "128"]);
    }

    use serde_json::Value;
}
