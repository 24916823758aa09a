//! Bridge multicast databases, three ways from [`Mdb`]: a table (one row
//! per group on a port and per router port), nlq's own JSON (docs/json.md
//! `## mdb`) and the `bridge -j mdb show` dialect (iproute2 6.1's
//! `mdb_show`: one object with `mdb` and `router`, with what `-d` adds).

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};

use super::stream::{Column, Paint, TableWriter};
use super::text::FastIp;
use super::{Dialect, Format, JsonArray, hwaddr};
use crate::model::LinkNames;
use crate::model::mdb::{Group, Item as ModelItem, Mdb, MdbEntry, RouterPort};
use crate::names::Names;
use crate::render::json::{Entries, entries_serialize};

/// What rendering needs besides the databases.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    /// Interface names.
    pub links: &'a LinkNames,
    /// Route protocol names, for who installed an entry.
    pub names: &'a Names,
    /// Timers too (`-s`): the TIMER column and, in `--json=ip`, the
    /// `timer` (and router ports' `type`) keys `bridge -s` adds.
    pub stats: bool,
}

/// Write `mdbs` in `format`, in the order given.
pub fn write(out: &mut dyn Write, format: Format, ctx: Ctx<'_>, mdbs: &[Mdb]) -> io::Result<()> {
    match format {
        Format::Table(view) => {
            let mut t = TableWriter::new(out, &COLUMNS, view);
            for m in mdbs {
                for e in &m.entries {
                    t.push(&group_row(m.bridge, e, ctx))?;
                }
            }
            for m in mdbs {
                for r in &m.routers {
                    t.push(&router_row(m.bridge, r, ctx))?;
                }
            }
            t.finish()
        }
        Format::Json(Dialect::Nlq) => {
            let mut array = JsonArray::new(out);
            for m in mdbs {
                for e in &m.entries {
                    array.push(&NlqMdb {
                        bridge: m.bridge,
                        item: Item::Group(e),
                        ctx,
                    })?;
                }
            }
            for m in mdbs {
                for r in &m.routers {
                    array.push(&NlqMdb {
                        bridge: m.bridge,
                        item: Item::Router(r),
                        ctx,
                    })?;
                }
            }
            array.finish()
        }
        Format::Json(Dialect::Ip) => {
            let mut array = JsonArray::new(out);
            array.push(&IpMdb { mdbs, ctx })?;
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

/// The group as `bridge` writes it: an address, or a MAC group.
fn group_text(g: &Group) -> String {
    match g {
        Group::Ip(a) => a.to_string(),
        Group::Mac(m) => hwaddr(m),
    }
}

/// `permanent` or `temp`, for an entry's state.
fn state(e: &MdbEntry) -> &'static str {
    if e.permanent() { "permanent" } else { "temp" }
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

/// The flags' names, in `bridge`'s order (MDB_FLAGS_*).
fn flags(f: u8) -> Vec<&'static str> {
    let names = [
        (1, "offload"),
        (2, "fast_leave"),
        (4, "added_by_star_ex"),
        (8, "blocked"),
    ];
    names
        .iter()
        .filter(|(b, _)| f & b != 0)
        .map(|&(_, n)| n)
        .collect()
}

/// The protocol's name, or its number (`rtnl_rtprot_n2a`).
fn protocol(p: u8, names: &Names) -> String {
    names
        .protos
        .name(p.into())
        .filter(|_| !names.numeric)
        .map_or_else(|| p.to_string(), str::to_string)
}

/// Hundredths of a second as `bridge` writes a source's timer: `12.34`.
fn timer_text(ticks: u32) -> String {
    format!("{}.{:02}", ticks / 100, ticks % 100)
}

/// An entry's or router port's timer as `bridge -s` writes it
/// (`format_timer(ticks, 1)`): seconds right-aligned in four columns,
/// `"   0.00"` for a permanent entry.
fn aligned_timer_text(ticks: u32) -> String {
    format!("{:4}.{:02}", ticks / 100, ticks % 100)
}

/// The TIMER cell: the aligned timer with `-s`, else empty (hidden).
fn timer_cell(timer: Option<u32>, stats: bool) -> String {
    timer.filter(|_| stats).map_or_else(String::new, |t| {
        aligned_timer_text(t).trim_start().to_string()
    })
}

/// The table's columns, in order; the row functions fill them in order.
pub const COLUMNS: [Column; 9] = [
    Column::new("DEV", "dev").paint(Paint::Name),
    Column::new("PORT", "port").paint(Paint::Name),
    Column::new("KIND", "kind"),
    Column::new("GROUP", "group").paint(Paint::Addr),
    Column::new("SOURCE", "source")
        .hide_if("")
        .paint(Paint::Addr),
    Column::new("STATE", "state"),
    Column::new("VID", "vid").hide_if(""),
    Column::new("PROTO", "protocol").hide_if(""),
    Column::new("TIMER", "timer").hide_if(""),
];

/// One table row for group entry `e` of bridge `bridge`.
pub fn group_row(bridge: u32, e: &MdbEntry, ctx: Ctx<'_>) -> [String; COLUMNS.len()] {
    [
        name(bridge, ctx.links),
        name(e.port, ctx.links),
        "group".to_string(),
        group_text(&e.group),
        e.source.map_or_else(String::new, |s| s.to_string()),
        state(e).to_string(),
        if e.vid == 0 {
            String::new()
        } else {
            e.vid.to_string()
        },
        e.protocol
            .map_or_else(String::new, |p| protocol(p, ctx.names)),
        timer_cell(e.timer, ctx.stats),
    ]
}

/// One table row for router port `r` of bridge `bridge`.
pub fn router_row(bridge: u32, r: &RouterPort, ctx: Ctx<'_>) -> [String; COLUMNS.len()] {
    [
        name(bridge, ctx.links),
        name(r.port, ctx.links),
        "router".to_string(),
        String::new(),
        String::new(),
        r.kind.map_or("", router_type).to_string(),
        String::new(),
        String::new(),
        timer_cell(r.timer, ctx.stats),
    ]
}

/// A group entry or a router port.
#[derive(Clone, Copy)]
enum Item<'a> {
    Group(&'a MdbEntry),
    Router(&'a RouterPort),
}

/// One row in nlq's own schema (docs/json.md, `## mdb`): every key always
/// present, `null` where it does not apply.
struct NlqMdb<'a> {
    bridge: u32,
    item: Item<'a>,
    ctx: Ctx<'a>,
}

impl Entries for NlqMdb<'_> {
    fn entries<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        let (links, names) = (self.ctx.links, self.ctx.names);
        m.serialize_entry("dev", &name(self.bridge, links))?;
        m.serialize_entry("ifindex", &self.bridge)?;
        let (port, kind) = match self.item {
            Item::Group(e) => (e.port, "group"),
            Item::Router(r) => (r.port, "router"),
        };
        m.serialize_entry("kind", kind)?;
        m.serialize_entry("port", &name(port, links))?;
        m.serialize_entry("port_ifindex", &port)?;
        let e = match self.item {
            Item::Group(e) => Some(e),
            Item::Router(_) => None,
        };
        m.serialize_entry("group", &e.map(|e| group_text(&e.group)))?;
        m.serialize_entry("source", &e.and_then(|e| e.source.map(FastIp)))?;
        m.serialize_entry("state", &e.map(state))?;
        m.serialize_entry("vid", &e.and_then(|e| (e.vid != 0).then_some(e.vid)))?;
        m.serialize_entry("flags", &e.map(|e| flags(e.flags)).unwrap_or_default())?;
        let mode = e
            .and_then(|e| e.filter_mode)
            .map(|f| if f == 1 { "include" } else { "exclude" });
        m.serialize_entry("filter_mode", &mode)?;
        let sources: Vec<NlqSource> = e
            .map(|e| e.sources.iter().map(NlqSource).collect())
            .unwrap_or_default();
        m.serialize_entry("sources", &sources)?;
        m.serialize_entry(
            "protocol",
            &e.and_then(|e| e.protocol).map(|p| protocol(p, names)),
        )?;
        let timer = match self.item {
            Item::Group(e) => e.timer,
            Item::Router(r) => r.timer,
        };
        m.serialize_entry("timer", &timer.map(|t| f64::from(t) / 100.0))?;
        let rtype = match self.item {
            Item::Router(r) => r.kind.map(router_type),
            Item::Group(_) => None,
        };
        m.serialize_entry("router_type", &rtype)
    }
}

entries_serialize!(NlqMdb<'_>);

impl super::event::Shown for crate::model::mdb::MdbItem {
    fn kind(&self) -> &'static str {
        "mdb"
    }
    fn json(&self, o: &mut super::json::Obj<'_>, view: &super::event::View<'_>) -> io::Result<()> {
        let ctx = Ctx {
            links: view.link_names,
            names: view.names,
            stats: false, // an event's timers would be stale at once
        };
        let row = NlqMdb {
            bridge: self.bridge,
            item: borrowed(&self.item),
            ctx,
        };
        Ok(row.entries(o)?)
    }
    fn text(&self, view: &super::event::View<'_>) -> String {
        let ctx = Ctx {
            links: view.link_names,
            names: view.names,
            stats: false, // an event's timers would be stale at once
        };
        let row = match &self.item {
            ModelItem::Group(e) => group_row(self.bridge, e, ctx),
            ModelItem::Router(r) => router_row(self.bridge, r, ctx),
        };
        super::event::labelled(&COLUMNS, &row)
    }
}

/// The renderer's view of a model item.
fn borrowed(item: &ModelItem) -> Item<'_> {
    match item {
        ModelItem::Group(e) => Item::Group(e),
        ModelItem::Router(r) => Item::Router(r),
    }
}

/// One IGMPv3/MLDv2 source in nlq's schema: its address and seconds left.
struct NlqSource<'a>(&'a (std::net::IpAddr, u32));

impl Serialize for NlqSource<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_struct("Source", 2)?;
        m.serialize_field("address", &FastIp(self.0.0))?;
        m.serialize_field("timer", &(f64::from(self.0.1) / 100.0))?;
        m.end()
    }
}

/// The whole answer as `bridge -d -j mdb show` prints it: one object, its
/// `mdb` array of entries, its `router` object of each bridge's router
/// ports by bridge name.
struct IpMdb<'a> {
    mdbs: &'a [Mdb],
    ctx: Ctx<'a>,
}

impl Serialize for IpMdb<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        let entries: Vec<IpEntry> = self
            .mdbs
            .iter()
            .flat_map(|mdb| {
                mdb.entries.iter().map(|e| IpEntry {
                    bridge: mdb.bridge,
                    e,
                    ctx: self.ctx,
                })
            })
            .collect();
        m.serialize_entry("mdb", &entries)?;
        m.serialize_entry(
            "router",
            &IpRouters {
                mdbs: self.mdbs,
                links: self.ctx.links,
                stats: self.ctx.stats,
            },
        )?;
        m.end()
    }
}

/// One entry in `print_mdb_entry`'s order, with `-d`'s keys.
struct IpEntry<'a> {
    bridge: u32,
    e: &'a MdbEntry,
    ctx: Ctx<'a>,
}

impl Serialize for IpEntry<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (e, links) = (self.e, self.ctx.links);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("index", &self.bridge)?;
        m.serialize_entry("dev", &name(self.bridge, links))?;
        m.serialize_entry("port", &name(e.port, links))?;
        m.serialize_entry("grp", &group_text(&e.group))?;
        if let Some(src) = e.source {
            m.serialize_entry("src", &FastIp(src))?;
        }
        m.serialize_entry("state", state(e))?;
        if let Some(f) = e.filter_mode {
            m.serialize_entry("filter_mode", if f == 1 { "include" } else { "exclude" })?;
        }
        if !e.sources.is_empty() {
            let list: Vec<_> = e.sources.iter().map(IpSource).collect();
            m.serialize_entry("source_list", &list)?;
        }
        if let Some(p) = e.protocol {
            m.serialize_entry("protocol", &protocol(p, self.ctx.names))?;
        }
        m.serialize_entry("flags", &flags(e.flags))?;
        if e.vid != 0 {
            m.serialize_entry("vid", &e.vid)?;
        }
        if let Some(t) = e.timer.filter(|_| self.ctx.stats) {
            m.serialize_entry("timer", &aligned_timer_text(t))?;
        }
        m.end()
    }
}

/// A source as `print_src_entry` prints it: address and timer text.
struct IpSource<'a>(&'a (std::net::IpAddr, u32));

impl Serialize for IpSource<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("address", &FastIp(self.0.0))?;
        m.serialize_entry("timer", &timer_text(self.0.1))?;
        m.end()
    }
}

/// `router`: for each bridge with router ports, its name and the ports
/// (`br_print_router_ports`).
struct IpRouters<'a> {
    mdbs: &'a [Mdb],
    links: &'a LinkNames,
    stats: bool,
}

impl Serialize for IpRouters<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for mdb in self.mdbs.iter().filter(|mdb| !mdb.routers.is_empty()) {
            let ports: Vec<_> = mdb
                .routers
                .iter()
                .map(|r| IpRouter {
                    r,
                    links: self.links,
                    stats: self.stats,
                })
                .collect();
            m.serialize_entry(&name(mdb.bridge, self.links), &ports)?;
        }
        m.end()
    }
}

/// One router port: `port`, and with `-s` its `timer` and `type`
/// (`br_print_router_port_stats`).
struct IpRouter<'a> {
    r: &'a RouterPort,
    links: &'a LinkNames,
    stats: bool,
}

impl Serialize for IpRouter<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("port", &name(self.r.port, self.links))?;
        if self.stats {
            if let Some(t) = self.r.timer {
                m.serialize_entry("timer", &aligned_timer_text(t))?;
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

    fn entry() -> MdbEntry {
        MdbEntry {
            port: 3,
            state: 0,
            flags: 2,
            vid: 10,
            group: Group::Ip("232.1.1.1".parse().unwrap()),
            source: Some("192.0.2.1".parse().unwrap()),
            timer: Some(25_000),
            filter_mode: Some(1),
            sources: vec![("192.0.2.1".parse().unwrap(), 1234)],
            protocol: Some(2),
        }
    }

    fn links() -> LinkNames {
        let mut l = LinkNames::new();
        l.insert(2, "br0");
        l.insert(3, "v0");
        l
    }

    #[test]
    fn bridge_dialect_in_bridges_order() {
        let (links, names) = (links(), Names::builtin());
        let ctx = Ctx {
            links: &links,
            names: &names,
            stats: false,
        };
        let v = serde_json::to_string(&IpEntry {
            bridge: 2,
            e: &entry(),
            ctx,
        })
        .unwrap();
        assert_eq!(
            v,
            concat!(
                r#"{"index":2,"dev":"br0","port":"v0","grp":"232.1.1.1","src":"192.0.2.1","#,
                r#""state":"temp","filter_mode":"include","#,
                r#""source_list":[{"address":"192.0.2.1","timer":"12.34"}],"#,
                r#""protocol":"kernel","flags":["fast_leave"],"vid":10}"#
            )
        );
        let mdb = Mdb {
            bridge: 2,
            entries: vec![],
            routers: vec![RouterPort {
                port: 3,
                ..RouterPort::default()
            }],
        };
        let v = serde_json::to_string(&IpMdb { mdbs: &[mdb], ctx }).unwrap();
        assert_eq!(v, r#"{"mdb":[],"router":{"br0":[{"port":"v0"}]}}"#);
    }

    #[test]
    fn nlq_json_and_rows() {
        let (links, names) = (links(), Names::builtin());
        let ctx = Ctx {
            links: &links,
            names: &names,
            stats: false,
        };
        let e = entry();
        let v = serde_json::to_value(NlqMdb {
            bridge: 2,
            item: Item::Group(&e),
            ctx,
        })
        .unwrap();
        assert_eq!(
            (&v["kind"], &v["group"], &v["timer"]),
            (&"group".into(), &"232.1.1.1".into(), &250.0.into())
        );
        assert_eq!(v["sources"][0]["timer"], 12.34);
        let r = RouterPort {
            port: 3,
            kind: Some(3),
            ..RouterPort::default()
        };
        let v = serde_json::to_value(NlqMdb {
            bridge: 2,
            item: Item::Router(&r),
            ctx,
        })
        .unwrap();
        assert_eq!(
            (&v["group"], &v["router_type"]),
            (&Value::Null, &"temp".into())
        );
        assert_eq!(group_row(2, &e, ctx)[6], "10");
        assert_eq!(router_row(2, &r, ctx)[2], "router");
    }

    #[test]
    fn stats_add_aligned_timers_as_bridge_s() {
        let (links, names) = (links(), Names::builtin());
        let ctx = Ctx {
            links: &links,
            names: &names,
            stats: true,
        };
        let e = entry();
        let v = serde_json::to_value(IpEntry {
            bridge: 2,
            e: &e,
            ctx,
        })
        .unwrap();
        assert_eq!(v["timer"], " 250.00");
        let r = RouterPort {
            port: 3,
            timer: Some(5),
            kind: Some(2),
        };
        let mdb = Mdb {
            bridge: 2,
            entries: vec![],
            routers: vec![r],
        };
        let v = serde_json::to_string(&IpMdb { mdbs: &[mdb], ctx }).unwrap();
        assert_eq!(
            v,
            r#"{"mdb":[],"router":{"br0":[{"port":"v0","timer":"   0.05","type":"permanent"}]}}"#
        );
        assert_eq!(group_row(2, &e, ctx)[8], "250.00");
        assert_eq!(aligned_timer_text(1_234_567), "12345.67");
    }

    use serde_json::Value;
}
