//! The bridge VLAN database, from [`VlanDb`], three views three ways each:
//! per-VLAN options (`nlq vlans --details`, with `-s` counters too),
//! per-VLAN counters alone (`nlq vlans -s`) and the bridges' global VLAN
//! options (`nlq vlans global`), each as a table, in nlq's own JSON
//! (docs/json.md `## vlans` and `## vlans global`) and in the `bridge -j`
//! dialect (iproute2 6.1's `print_vlan_opts`, `print_one_vlan_stats` and
//! `print_vlan_global_opts`, key for key and in their order).

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};

use super::bridge_vlan::NlqTunnel;
use super::stream::{Column, Paint, TableWriter};
use super::{Dialect, Format, JsonArray};
use crate::model::LinkNames;
use crate::model::bridge_vlan::PortVlans;
use crate::model::mdb::RouterPort;
use crate::model::port::STP_STATES;
use crate::model::vlan_db::{VlanDb, VlanEntry, VlanGlobal};

/// Which of the VLAN database's views to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Ports' per-VLAN options (`bridge -d vlan show`).
    Details,
    /// Ports' per-VLAN counters alone (`bridge -s vlan show`).
    Stats,
    /// Bridges' global VLAN options (`bridge vlan global show`).
    Global,
}

/// What rendering needs besides the database.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    /// Interface names.
    pub links: &'a LinkNames,
    /// The ports from the link dump, for their bridge and tunnels.
    pub ports: &'a [PortVlans],
    /// Counters (and router port timers) too, as `bridge -s`.
    pub stats: bool,
    /// The view to write.
    pub view: View,
}

impl Ctx<'_> {
    /// The link dump's entry for `ifindex`.
    fn port(&self, ifindex: u32) -> Option<&PortVlans> {
        self.ports.iter().find(|p| p.ifindex == ifindex)
    }

    /// PVID and untagged of VLAN `e`: from the entry, except for counters
    /// alone, whose flags are the kernel's internal ones (the PVID is not
    /// among them): there from the link dump's VLAN.
    fn pvid_untagged(&self, ifindex: u32, e: &VlanEntry) -> (bool, bool) {
        let flags = match self.view {
            View::Stats => self
                .port(ifindex)
                .and_then(|p| {
                    p.vlans
                        .iter()
                        .find(|v| (v.vid..=v.vid_end).contains(&e.vid))
                })
                .map_or(e.flags, |v| v.flags),
            View::Details | View::Global => e.flags,
        };
        (flags & 2 != 0, flags & 4 != 0)
    }

    /// The STP state cell: none for counters alone, else the state (0,
    /// `disabled`, when the kernel sent none, as `bridge`).
    fn state(&self, e: &VlanEntry) -> Option<String> {
        (self.view != View::Stats).then(|| state_text(e.state.unwrap_or(0)))
    }
}

/// Write `dbs` in `format` as `ctx.view`, in the order given.
pub fn write(out: &mut dyn Write, format: Format, ctx: Ctx<'_>, dbs: &[VlanDb]) -> io::Result<()> {
    match format {
        Format::Table(tv) => {
            let cols: &[Column] = match ctx.view {
                View::Details | View::Stats => &DETAIL_COLUMNS,
                View::Global => &GLOBAL_COLUMNS,
            };
            let mut t = TableWriter::new(out, cols, tv);
            for db in dbs {
                for e in &db.entries {
                    t.push(&detail_row(db.ifindex, e, ctx))?;
                }
                for g in &db.globals {
                    t.push(&global_row(db.ifindex, g, ctx.links))?;
                }
            }
            t.finish()
        }
        Format::Json(dialect) => {
            let mut array = JsonArray::new(out);
            for db in dbs {
                match dialect {
                    Dialect::Nlq => array.push(&Nlq { db, ctx })?,
                    Dialect::Ip => array.push(&Ip { db, ctx })?,
                }
            }
            array.finish()
        }
    }
}

/// An interface's name, `if<N>` for an index not in the link dump.
fn name(index: u32, links: &LinkNames) -> String {
    links
        .name(index)
        .map_or_else(|| format!("if{index}"), str::to_string)
}

/// A VLAN or range as `bridge` writes it: `10` or `10-12`.
fn range_text(start: u16, end: u16) -> String {
    if start == end {
        start.to_string()
    } else {
        format!("{start}-{end}")
    }
}

/// The STP state's name (`print_stp_state`), or its number in parentheses.
fn state_text(state: u8) -> String {
    STP_STATES
        .get(usize::from(state))
        .map_or_else(|| format!("({state})"), |s| s.to_string())
}

/// An optional number as a cell: empty when absent.
fn cell<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

/// A bridge VLAN's five long multicast intervals (hundredths of a
/// second), under the keys both dialects give them, in bridge's order.
fn long_intervals(g: &VlanGlobal) -> [(&'static str, Option<u64>); 5] {
    [
        (
            "mcast_startup_query_interval",
            g.mcast_startup_query_interval,
        ),
        ("mcast_membership_interval", g.mcast_membership_interval),
        ("mcast_querier_interval", g.mcast_querier_interval),
        ("mcast_query_interval", g.mcast_query_interval),
        (
            "mcast_query_response_interval",
            g.mcast_query_response_interval,
        ),
    ]
}

/// Hundredths of a second as seconds, for nlq's JSON.
fn seconds(v: Option<u64>) -> Option<f64> {
    v.map(|v| v as f64 / 100.0)
}

/// The per-VLAN options table's columns; [`detail_row`] fills them.
pub const DETAIL_COLUMNS: [Column; 11] = [
    Column::new("DEV", "dev").paint(Paint::Name),
    Column::new("VLAN", "vid"),
    Column::new("PVID", "pvid").hide_if(""),
    Column::new("UNTAGGED", "untagged").hide_if(""),
    Column::new("STATE", "state").hide_if(""),
    Column::new("MCAST_ROUTER", "mcast_router").hide_if(""),
    Column::new("TUNNEL", "tunnel_id").hide_if(""),
    Column::new("RX_BYTES", "rx_bytes").hide_if(""),
    Column::new("RX_PACKETS", "rx_packets").hide_if(""),
    Column::new("TX_BYTES", "tx_bytes").hide_if(""),
    Column::new("TX_PACKETS", "tx_packets").hide_if(""),
];

/// One row of the per-VLAN options table; counters only with `-s`.
pub fn detail_row(ifindex: u32, e: &VlanEntry, ctx: Ctx<'_>) -> [String; DETAIL_COLUMNS.len()] {
    let s = e.stats.filter(|_| ctx.stats);
    let (pvid, untagged) = ctx.pvid_untagged(ifindex, e);
    [
        name(ifindex, ctx.links),
        range_text(e.vid, e.vid_end),
        if pvid { "pvid" } else { "" }.to_string(),
        if untagged { "untagged" } else { "" }.to_string(),
        ctx.state(e).unwrap_or_default(),
        cell(e.mcast_router),
        cell(e.tunnel_id),
        cell(s.map(|s| s.rx_bytes)),
        cell(s.map(|s| s.rx_packets)),
        cell(s.map(|s| s.tx_bytes)),
        cell(s.map(|s| s.tx_packets)),
    ]
}

/// The global options table's columns; [`global_row`] fills them.
pub const GLOBAL_COLUMNS: [Column; 9] = [
    Column::new("DEV", "dev").paint(Paint::Name),
    Column::new("VLAN", "vid"),
    Column::new("SNOOPING", "mcast_snooping"),
    Column::new("QUERIER", "mcast_querier"),
    Column::new("IGMP", "mcast_igmp_version"),
    Column::new("MLD", "mcast_mld_version").hide_if(""),
    Column::new("QUERY_INTVL", "mcast_query_interval"),
    Column::new("MEMBERSHIP_INTVL", "mcast_membership_interval"),
    Column::new("ROUTER_PORTS", "router_ports").hide_if(""),
];

/// One row of the global options table; intervals in seconds.
pub fn global_row(
    ifindex: u32,
    g: &VlanGlobal,
    links: &LinkNames,
) -> [String; GLOBAL_COLUMNS.len()] {
    let ports = g.router_ports.as_deref().unwrap_or_default();
    [
        name(ifindex, links),
        range_text(g.vid, g.vid_end),
        cell(g.mcast_snooping),
        cell(g.mcast_querier),
        cell(g.mcast_igmp_version),
        cell(g.mcast_mld_version),
        cell(seconds(g.mcast_query_interval)),
        cell(seconds(g.mcast_membership_interval)),
        ports
            .iter()
            .map(|r| name(r.port, links))
            .collect::<Vec<_>>()
            .join(","),
    ]
}

/// A device in nlq's own schema: `## vlans` (with the per-VLAN options'
/// keys) or `## vlans global`.
struct Nlq<'a> {
    db: &'a VlanDb,
    ctx: Ctx<'a>,
}

impl Serialize for Nlq<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (db, ctx) = (self.db, self.ctx);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("dev", &name(db.ifindex, ctx.links))?;
        m.serialize_entry("ifindex", &db.ifindex)?;
        if ctx.view == View::Global {
            let vlans: Vec<_> = db.globals.iter().map(|g| NlqGlobal { g, ctx }).collect();
            m.serialize_entry("vlans", &vlans)?;
            return m.end();
        }
        let port = ctx.port(db.ifindex);
        let master = port.and_then(|p| p.master).map(|i| name(i, ctx.links));
        m.serialize_entry("master", &master)?;
        let vlans: Vec<_> = db
            .entries
            .iter()
            .map(|e| NlqEntry {
                ifindex: db.ifindex,
                e,
                ctx,
            })
            .collect();
        m.serialize_entry("vlans", &vlans)?;
        let tunnels: Vec<_> = port
            .map(|p| p.tunnels.as_slice())
            .unwrap_or_default()
            .iter()
            .map(NlqTunnel)
            .collect();
        m.serialize_entry("tunnels", &tunnels)?;
        m.end()
    }
}

/// One VLAN (range) with its options, in nlq's schema.
struct NlqEntry<'a> {
    ifindex: u32,
    e: &'a VlanEntry,
    ctx: Ctx<'a>,
}

impl Serialize for NlqEntry<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.e;
        let mut m = s.serialize_struct("VlanEntry", 11)?;
        m.serialize_field("vid", &e.vid)?;
        m.serialize_field("vid_end", &e.vid_end)?;
        let (pvid, untagged) = self.ctx.pvid_untagged(self.ifindex, e);
        m.serialize_field("pvid", &pvid)?;
        m.serialize_field("untagged", &untagged)?;
        m.serialize_field("state", &self.ctx.state(e))?;
        m.serialize_field("mcast_router", &e.mcast_router)?;
        m.serialize_field("tunnel_id", &e.tunnel_id)?;
        let s = e.stats.filter(|_| self.ctx.stats);
        m.serialize_field("rx_bytes", &s.map(|s| s.rx_bytes))?;
        m.serialize_field("rx_packets", &s.map(|s| s.rx_packets))?;
        m.serialize_field("tx_bytes", &s.map(|s| s.tx_bytes))?;
        m.serialize_field("tx_packets", &s.map(|s| s.tx_packets))?;
        m.end()
    }
}

/// One VLAN (range) of a bridge's global options, in nlq's schema.
struct NlqGlobal<'a> {
    g: &'a VlanGlobal,
    ctx: Ctx<'a>,
}

impl Serialize for NlqGlobal<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let g = self.g;
        let mut m = s.serialize_struct("VlanGlobal", 15)?;
        m.serialize_field("vid", &g.vid)?;
        m.serialize_field("vid_end", &g.vid_end)?;
        m.serialize_field("mcast_snooping", &g.mcast_snooping.map(|v| v != 0))?;
        m.serialize_field("mcast_querier", &g.mcast_querier.map(|v| v != 0))?;
        m.serialize_field("mcast_igmp_version", &g.mcast_igmp_version)?;
        m.serialize_field("mcast_mld_version", &g.mcast_mld_version)?;
        m.serialize_field("mcast_last_member_count", &g.mcast_last_member_count)?;
        let last = seconds(g.mcast_last_member_interval);
        m.serialize_field("mcast_last_member_interval", &last)?;
        m.serialize_field("mcast_startup_query_count", &g.mcast_startup_query_count)?;
        for (key, v) in long_intervals(g) {
            m.serialize_field(key, &seconds(v))?;
        }
        let ports: Vec<_> = g
            .router_ports
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(|r| NlqRouter {
                r,
                links: self.ctx.links,
            })
            .collect();
        m.serialize_field("router_ports", &ports)?;
        m.end()
    }
}

/// A VLAN's multicast router port in nlq's schema.
struct NlqRouter<'a> {
    r: &'a RouterPort,
    links: &'a LinkNames,
}

impl Serialize for NlqRouter<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.r;
        let mut m = s.serialize_struct("RouterPort", 3)?;
        m.serialize_field("port", &name(r.port, self.links))?;
        m.serialize_field("timer", &r.timer.map(|t| f64::from(t) / 100.0))?;
        m.serialize_field("type", &r.kind.map(router_type))?;
        m.end()
    }
}

/// A router port's type as `bridge -s` writes it (MDB_RTR_TYPE_TEMP_QUERY
/// and MDB_RTR_TYPE_TEMP are `temp`).
fn router_type(kind: u8) -> &'static str {
    if matches!(kind, 1 | 3) {
        "temp"
    } else {
        "permanent"
    }
}

/// A device as `bridge -j -d vlan show` or `bridge -j vlan global show`
/// prints it: `ifname`, then `vlans`.
struct Ip<'a> {
    db: &'a VlanDb,
    ctx: Ctx<'a>,
}

impl Serialize for Ip<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (db, ctx) = (self.db, self.ctx);
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("ifname", &name(db.ifindex, ctx.links))?;
        match ctx.view {
            View::Details | View::Stats => {
                let v: Vec<_> = db.entries.iter().map(|e| IpEntry { e, ctx }).collect();
                m.serialize_entry("vlans", &v)?;
            }
            View::Global => {
                let v: Vec<_> = db.globals.iter().map(|g| IpGlobal { g, ctx }).collect();
                m.serialize_entry("vlans", &v)?;
            }
        }
        m.end()
    }
}

/// `vlan` and `vlanEnd` for a range (`print_range`).
fn ip_range<M: SerializeMap>(m: &mut M, vid: u16, vid_end: u16) -> Result<(), M::Error> {
    m.serialize_entry("vlan", &vid)?;
    if vid != vid_end {
        m.serialize_entry("vlanEnd", &vid_end)?;
    }
    Ok(())
}

/// One VLAN in `print_vlan_opts`' order: range, `flags` (when any bit is
/// set), `state` (a name, or a number past `blocking`), `mcast_router`,
/// and with `-s` the four counters (0 when absent); for counters alone in
/// `print_one_vlan_stats`' order: `vid`, `flags`, the counters.
struct IpEntry<'a> {
    e: &'a VlanEntry,
    ctx: Ctx<'a>,
}

impl Serialize for IpEntry<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.e;
        let mut m = s.serialize_map(None)?;
        let alone = self.ctx.view == View::Stats;
        if alone {
            m.serialize_entry("vid", &e.vid)?;
        } else {
            ip_range(&mut m, e.vid, e.vid_end)?;
        }
        if e.flags != 0 {
            let mut flags = Vec::new();
            if e.flags & 2 != 0 {
                flags.push("PVID");
            }
            if e.flags & 4 != 0 {
                flags.push("Egress Untagged");
            }
            m.serialize_entry("flags", &flags)?;
        }
        let state = e.state.unwrap_or(0);
        match STP_STATES.get(usize::from(state)) {
            _ if alone => {}
            Some(name) => m.serialize_entry("state", name)?,
            None => m.serialize_entry("state", &state)?,
        }
        if let Some(r) = e.mcast_router.filter(|_| !alone) {
            m.serialize_entry("mcast_router", &r)?;
        }
        if self.ctx.stats {
            let s = e.stats.unwrap_or_default();
            m.serialize_entry("rx_bytes", &s.rx_bytes)?;
            m.serialize_entry("rx_packets", &s.rx_packets)?;
            m.serialize_entry("tx_bytes", &s.tx_bytes)?;
            m.serialize_entry("tx_packets", &s.tx_packets)?;
        }
        m.end()
    }
}

/// One VLAN's global options in `print_vlan_global_opts`' order, each
/// when the kernel sent it, then `router_ports` (with `-s`, each port's
/// `timer` and `type` as `br_print_router_port_stats`).
struct IpGlobal<'a> {
    g: &'a VlanGlobal,
    ctx: Ctx<'a>,
}

impl Serialize for IpGlobal<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let g = self.g;
        let mut m = s.serialize_map(None)?;
        ip_range(&mut m, g.vid, g.vid_end)?;
        let small = [
            ("mcast_snooping", g.mcast_snooping),
            ("mcast_querier", g.mcast_querier),
            ("mcast_igmp_version", g.mcast_igmp_version),
            ("mcast_mld_version", g.mcast_mld_version),
        ];
        for (key, v) in small {
            if let Some(v) = v {
                m.serialize_entry(key, &v)?;
            }
        }
        if let Some(v) = g.mcast_last_member_count {
            m.serialize_entry("mcast_last_member_count", &v)?;
        }
        if let Some(v) = g.mcast_last_member_interval {
            m.serialize_entry("mcast_last_member_interval", &v)?;
        }
        if let Some(v) = g.mcast_startup_query_count {
            m.serialize_entry("mcast_startup_query_count", &v)?;
        }
        for (key, v) in long_intervals(g) {
            if let Some(v) = v {
                m.serialize_entry(key, &v)?;
            }
        }
        if let Some(ports) = &g.router_ports {
            let ports: Vec<_> = ports
                .iter()
                .map(|r| IpRouter { r, ctx: self.ctx })
                .collect();
            m.serialize_entry("router_ports", &ports)?;
        }
        m.end()
    }
}

/// A router port as `print_vlan_router_ports` prints it.
struct IpRouter<'a> {
    r: &'a RouterPort,
    ctx: Ctx<'a>,
}

impl Serialize for IpRouter<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("port", &name(self.r.port, self.ctx.links))?;
        if self.ctx.stats {
            if let Some(t) = self.r.timer {
                let text = format!("{:4}.{:02}", t / 100, t % 100);
                m.serialize_entry("timer", &text)?;
            }
            if let Some(k) = self.r.kind {
                m.serialize_entry("type", router_type(k))?;
            }
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::vlan_db::VlanStats;

    fn links() -> LinkNames {
        let mut l = LinkNames::new();
        l.insert(4, "br0");
        l.insert(5, "v0");
        l
    }

    fn entry() -> VlanEntry {
        VlanEntry {
            vid: 10,
            vid_end: 12,
            flags: 6,
            state: Some(3),
            mcast_router: Some(1),
            tunnel_id: None,
            stats: Some(VlanStats {
                rx_bytes: 100,
                rx_packets: 2,
                tx_bytes: 0,
                tx_packets: 1,
            }),
        }
    }

    #[test]
    fn details_in_bridges_order_with_and_without_counters() {
        let links = links();
        let mut ctx = Ctx {
            links: &links,
            ports: &[],
            stats: false,
            view: View::Details,
        };
        let e = entry();
        let v = serde_json::to_string(&IpEntry { e: &e, ctx }).unwrap();
        assert_eq!(
            v,
            r#"{"vlan":10,"vlanEnd":12,"flags":["PVID","Egress Untagged"],"state":"forwarding","mcast_router":1}"#
        );
        ctx.stats = true;
        let v = serde_json::to_string(&IpEntry { e: &e, ctx }).unwrap();
        assert!(
            v.ends_with(r#""rx_bytes":100,"rx_packets":2,"tx_bytes":0,"tx_packets":1}"#),
            "{v}"
        );
        assert_eq!(
            detail_row(5, &e, ctx)[..5],
            ["v0", "10-12", "pvid", "untagged", "forwarding"]
        );
        let n = serde_json::to_value(NlqEntry {
            ifindex: 5,
            e: &e,
            ctx,
        })
        .unwrap();
        assert_eq!(
            (&n["state"], &n["tx_packets"]),
            (&"forwarding".into(), &1.into())
        );
    }

    #[test]
    fn counters_alone_as_print_one_vlan_stats() {
        let links = links();
        let port = PortVlans {
            ifindex: 5,
            ..PortVlans::default()
        };
        let e = entry();
        let ctx = Ctx {
            links: &links,
            ports: std::slice::from_ref(&port),
            stats: true,
            view: View::Stats,
        };
        let v = serde_json::to_string(&IpEntry { e: &e, ctx }).unwrap();
        assert_eq!(
            v,
            concat!(
                r#"{"vid":10,"flags":["PVID","Egress Untagged"],"#,
                r#""rx_bytes":100,"rx_packets":2,"tx_bytes":0,"tx_packets":1}"#
            )
        );
        // The link dump has no such VLAN: PVID and untagged from the entry.
        assert_eq!(detail_row(5, &e, ctx)[2..5], ["pvid", "untagged", ""]);
        let n = serde_json::to_value(NlqEntry {
            ifindex: 5,
            e: &e,
            ctx,
        })
        .unwrap();
        assert_eq!((&n["state"], &n["rx_bytes"]), (&Value::Null, &100.into()));
    }

    use serde_json::Value;

    #[test]
    fn global_options_in_bridges_order() {
        let links = links();
        let ctx = Ctx {
            links: &links,
            ports: &[],
            stats: true,
            view: View::Global,
        };
        let g = VlanGlobal {
            vid: 1,
            vid_end: 1,
            mcast_snooping: Some(1),
            mcast_querier: Some(0),
            mcast_query_interval: Some(12500),
            router_ports: Some(vec![RouterPort {
                port: 5,
                timer: Some(0),
                kind: Some(2),
            }]),
            ..VlanGlobal::default()
        };
        let v = serde_json::to_string(&IpGlobal { g: &g, ctx }).unwrap();
        assert_eq!(
            v,
            concat!(
                r#"{"vlan":1,"mcast_snooping":1,"mcast_querier":0,"mcast_query_interval":12500,"#,
                r#""router_ports":[{"port":"v0","timer":"   0.00","type":"permanent"}]}"#
            )
        );
        let n = serde_json::to_value(NlqGlobal { g: &g, ctx }).unwrap();
        assert_eq!(
            (&n["mcast_snooping"], &n["mcast_query_interval"]),
            (&true.into(), &125.0.into())
        );
        assert_eq!(global_row(4, &g, &links)[8], "v0");
    }
}
