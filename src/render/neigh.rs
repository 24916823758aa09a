//! Neighbours, three ways: a table (one row per entry), nlq's own JSON
//! (docs/json.md `## neigh`) and the `ip -j neigh show` dialect
//! ([`ip`]). [`Writer`] takes the entries one at a time, so a large table
//! streams.

pub mod ip;

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::stream::{Column, Paint, TableWriter};
use super::{Dialect, Format, JsonArray};
use crate::model::link::Links;
use crate::model::neigh::{CacheInfo, Neigh, seconds};
use crate::model::route::RouteType;
use crate::names::Names;
use crate::render::json::{Entries, entries_serialize};
use crate::render::link::LlAddr;
use crate::render::text::{FastIp, family_text};

/// What rendering a neighbour needs besides the entry: the link dump (names,
/// hardware types, masters) and the name files.
#[derive(Clone, Copy)]
pub struct NeighCtx<'a> {
    /// Every link, from the dump made before the neighbour dump.
    pub links: &'a Links,
    /// Protocol names (rt_protos).
    pub names: &'a Names,
}

impl<'a> NeighCtx<'a> {
    /// The name of interface `index`; `None` for 0 and unknown indexes.
    fn dev(&self, index: u32) -> Option<&'a str> {
        self.links.name(index)
    }

    /// The master of the entry's device: NDA_MASTER when the kernel sent
    /// it, else the device's IFLA_MASTER from the link dump.
    pub fn master(&self, n: &Neigh) -> Option<u32> {
        n.master
            .or_else(|| self.links.get(n.ifindex).and_then(|l| l.master))
    }

    /// The hardware type of the entry's device (ARPHRD_*), 0 if unknown.
    fn link_type(&self, index: u32) -> u16 {
        self.links.get(index).map_or(0, |l| l.link_type)
    }
}

/// Writes neighbours one at a time in one format.
pub enum Writer<'w> {
    /// A table, laid out whole or streamed (render::stream).
    Table(TableWriter<'w>),
    /// A JSON array in one dialect.
    Json(JsonArray<'w>, Dialect),
    /// `--brief`: `ip -br neigh`'s lines (destination, device, link-layer
    /// address), streamed.
    BriefText(&'w mut dyn Write),
    /// `--brief --json=ip`: `ip -br -j neigh`'s objects.
    BriefJson(JsonArray<'w>),
}

impl<'w> Writer<'w> {
    /// A writer of `format` to `out`; `brief` for `--brief` (which leaves
    /// nlq's own JSON whole).
    pub fn new(out: &'w mut dyn Write, format: Format, brief: bool) -> Self {
        match (format, brief) {
            (Format::Table(_), true) => Writer::BriefText(out),
            (Format::Json(Dialect::Ip), true) => Writer::BriefJson(JsonArray::new(out)),
            (Format::Table(view), false) => Writer::Table(TableWriter::new(out, &COLUMNS, view)),
            (Format::Json(d), _) => Writer::Json(JsonArray::new(out), d),
        }
    }

    /// Write one entry.
    pub fn push(&mut self, n: &Neigh, ctx: &NeighCtx<'_>) -> io::Result<()> {
        match self {
            Writer::Table(t) => t.push(&row(n, ctx)),
            Writer::Json(a, Dialect::Nlq) => a.push(&NlqNeigh { neigh: n, ctx }),
            Writer::Json(a, Dialect::Ip) => a.push(&ip::IpNeigh { neigh: n, ctx }),
            Writer::BriefText(out) => brief_line(out, n, ctx),
            Writer::BriefJson(a) => a.push(&BriefNeigh { neigh: n, ctx }),
        }
    }

    /// End the output after success.
    pub fn finish(self) -> io::Result<()> {
        match self {
            Writer::Table(t) => t.finish(),
            Writer::Json(a, _) | Writer::BriefJson(a) => a.finish(),
            Writer::BriefText(_) => Ok(()),
        }
    }

    /// End the output after an error: a started JSON array is closed, a
    /// table prints what it holds.
    pub fn close(self) -> io::Result<()> {
        match self {
            Writer::Table(t) => t.finish(),
            Writer::Json(a, _) | Writer::BriefJson(a) => a.close(),
            Writer::BriefText(_) => Ok(()),
        }
    }
}

/// One `ip -br neigh` line: `%-39s %-16s %s` (destination, device,
/// link-layer address when there is one).
fn brief_line(out: &mut dyn Write, n: &Neigh, ctx: &NeighCtx<'_>) -> io::Result<()> {
    let dst = n.dst.map(|a| FastIp(a).to_string()).unwrap_or_default();
    let dev = ctx.dev(n.ifindex).unwrap_or_default();
    let line = match &n.lladdr {
        Some(a) => format!(
            "{dst:<39} {dev:<16} {}",
            LlAddr(ctx.link_type(n.ifindex), a)
        ),
        None => format!("{dst:<39} {dev:<16}"),
    };
    writeln!(out, "{}", line.trim_end())
}

/// An entry as `ip -br -j neigh` shows it: `dst`, `dev`, `lladdr`.
struct BriefNeigh<'a> {
    neigh: &'a Neigh,
    ctx: &'a NeighCtx<'a>,
}

impl Serialize for BriefNeigh<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (n, c) = (self.neigh, self.ctx);
        let mut m = s.serialize_map(None)?;
        if let Some(dst) = n.dst {
            m.serialize_entry("dst", &FastIp(dst).to_string())?;
        }
        if let Some(dev) = c.dev(n.ifindex) {
            m.serialize_entry("dev", dev)?;
        }
        if let Some(a) = &n.lladdr {
            m.serialize_entry("lladdr", &LlAddr(c.link_type(n.ifindex), a))?;
        }
        m.end()
    }
}

/// Write every entry of `neighs` in `format` (the command streams them
/// through [`Writer`] instead).
#[cfg(test)]
pub fn write(
    out: &mut dyn Write,
    format: Format,
    ctx: &NeighCtx<'_>,
    neighs: &[Neigh],
) -> io::Result<()> {
    let mut w = Writer::new(out, format, false);
    for n in neighs {
        w.push(n, ctx)?;
    }
    w.finish()
}

/// The table's columns; all but destination, device and state are left
/// out when no row has anything in them (proxy entries have no ages).
pub const COLUMNS: [Column; 10] = [
    Column::new("DST", "dst").paint(Paint::Addr),
    Column::new("DEV", "dev").paint(Paint::Name),
    Column::new("LLADDR", "lladdr")
        .hide_if("")
        .paint(Paint::Mac),
    Column::new("STATE", "state"),
    Column::new("FLAGS", "flags").hide_if(""),
    Column::new("PROBES", "probes").hide_if(""),
    Column::new("USED", "used").hide_if(""),
    Column::new("CONFIRMED", "confirmed").hide_if(""),
    Column::new("UPDATED", "updated").hide_if(""),
    Column::new("PROTO", "protocol").hide_if(""),
];

/// One table row: cells in [`COLUMNS`] order, empty where there is nothing.
pub fn row(n: &Neigh, ctx: &NeighCtx<'_>) -> [String; 10] {
    let age = |f: fn(&CacheInfo) -> u32| {
        n.cacheinfo
            .map_or_else(String::new, |c| format!("{:.2}s", seconds(f(&c))))
    };
    let state: Vec<_> = n.state_names().collect();
    let flags: Vec<_> = n.flag_names().chain(n.ext_flag_names()).collect();
    [
        n.dst.map_or_else(String::new, |d| FastIp(d).to_string()),
        dev_text(n.ifindex, ctx),
        n.lladdr.map_or_else(String::new, |a| {
            LlAddr(ctx.link_type(n.ifindex), &a).to_string()
        }),
        if state.is_empty() {
            "none".to_string()
        } else {
            state.join(",")
        },
        flags.join(","),
        n.probes.map_or_else(String::new, |p| p.to_string()),
        age(|c| c.used),
        age(|c| c.confirmed),
        age(|c| c.updated),
        n.protocol
            .filter(|&p| p != 0)
            .map_or_else(String::new, |p| protocol_text(ctx.names, p).into_owned()),
    ]
}

/// A device's name, `if<N>` for an index the link dump did not hold, empty
/// for no device (a proxy entry for every interface).
fn dev_text(index: u32, ctx: &NeighCtx<'_>) -> String {
    match (index, ctx.dev(index)) {
        (0, _) => String::new(),
        (_, Some(name)) => name.to_string(),
        (i, None) => format!("if{i}"),
    }
}

/// `rtnl_rtprot_n2a`: the rt_protos name, else the number as a string.
fn protocol_text(names: &Names, p: u8) -> Cow<'_, str> {
    names
        .protos
        .name(p.into())
        .map_or_else(|| p.to_string().into(), Cow::Borrowed)
}

/// A neighbour in nlq's own schema (docs/json.md, `## neigh`).
struct NlqNeigh<'a> {
    neigh: &'a Neigh,
    ctx: &'a NeighCtx<'a>,
}

/// A sequence made on demand by a closure, serialized as a JSON array.
struct Seq<F>(F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: IntoIterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

impl Entries for NlqNeigh<'_> {
    fn entries<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        let (n, c) = (self.neigh, self.ctx);
        let ci = n.cacheinfo;
        m.serialize_entry("family", &family_text(n.family))?;
        m.serialize_entry("dst", &n.dst.map(FastIp))?;
        m.serialize_entry("dev", &c.dev(n.ifindex))?;
        m.serialize_entry("ifindex", &(n.ifindex != 0).then_some(n.ifindex))?;
        let master = c.master(n);
        m.serialize_entry("master", &master.and_then(|i| c.dev(i)))?;
        m.serialize_entry("master_index", &master)?;
        let ll = n.lladdr.as_ref().map(|a| LlAddr(c.link_type(n.ifindex), a));
        m.serialize_entry("lladdr", &ll)?;
        m.serialize_entry("state", &Seq(|| n.state_names()))?;
        m.serialize_entry("flags", &Seq(|| n.flag_names()))?;
        m.serialize_entry("flags_ext", &Seq(|| n.ext_flag_names()))?;
        m.serialize_entry("router", &n.is_router())?;
        m.serialize_entry("probes", &n.probes)?;
        m.serialize_entry("used", &ci.map(|c| seconds(c.used)))?;
        m.serialize_entry("confirmed", &ci.map(|c| seconds(c.confirmed)))?;
        m.serialize_entry("updated", &ci.map(|c| seconds(c.updated)))?;
        m.serialize_entry("refcnt", &ci.map(|c| c.refcnt))?;
        m.serialize_entry(
            "protocol",
            &n.protocol.and_then(|p| c.names.protos.name(p.into())),
        )?;
        m.serialize_entry("protocol_id", &n.protocol)?;
        m.serialize_entry("type", &type_text(n.kind))?;
        fdb_fields(m, n)?;
        Ok(())
    }
}

entries_serialize!(NlqNeigh<'_>);

/// The bridge / VXLAN FDB attributes (always `null` in the ARP and NDP
/// tables).
fn fdb_fields<M: SerializeMap>(m: &mut M, n: &Neigh) -> Result<(), M::Error> {
    m.serialize_entry("vlan", &n.vlan)?;
    m.serialize_entry("vni", &n.vni)?;
    m.serialize_entry("src_vni", &n.src_vni)?;
    m.serialize_entry("port", &n.port)?;
    m.serialize_entry("via_ifindex", &n.via_ifindex)?;
    m.serialize_entry("nh_id", &n.nh_id)?;
    m.serialize_entry("link_netnsid", &n.link_netnsid)
}

/// The route type of the destination by name, else its number as a string.
fn type_text(kind: u8) -> Cow<'static, str> {
    RouteType::from_u8(kind)
        .name()
        .map_or_else(|| kind.to_string().into(), Cow::Borrowed)
}

impl super::event::Shown for Neigh {
    fn kind(&self) -> &'static str {
        "neigh"
    }
    fn json(&self, o: &mut super::json::Obj<'_>, view: &super::event::View<'_>) -> io::Result<()> {
        let ctx = NeighCtx {
            links: view.links,
            names: view.names,
        };
        Ok(NlqNeigh {
            neigh: self,
            ctx: &ctx,
        }
        .entries(o)?)
    }
    fn text(&self, view: &super::event::View<'_>) -> String {
        let ctx = NeighCtx {
            links: view.links,
            names: view.names,
        };
        super::event::labelled(&COLUMNS, &row(self, &ctx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AF_INET;
    use crate::model::link::HwAddr;
    use crate::model::link::Link;
    use crate::wire::ndmsg::NTF_ROUTER;

    fn entry() -> Neigh {
        Neigh {
            family: AF_INET,
            ifindex: 2,
            state: 0x80,
            flags: NTF_ROUTER,
            kind: 1,
            dst: Some("10.0.0.2".parse().unwrap()),
            lladdr: HwAddr::new(&[2, 0, 0, 0, 0, 2]),
            cacheinfo: Some(CacheInfo {
                confirmed: 6012,
                used: 150,
                updated: 99,
                refcnt: 0,
            }),
            probes: Some(0),
            vlan: None,
            port: None,
            vni: None,
            via_ifindex: None,
            master: None,
            link_netnsid: None,
            src_vni: None,
            protocol: Some(4),
            nh_id: None,
            flags_ext: None,
        }
    }

    fn links() -> Links {
        let mut links = Links::new();
        let mut l = Link::bare(2, 0, 1);
        l.name = "v0".into();
        l.master = Some(3);
        links.push(l);
        let mut l = Link::bare(3, 0, 1);
        l.name = "br0".into();
        links.push(l);
        links
    }

    #[test]
    fn nlq_json_values() {
        let (links, names) = (links(), Names::builtin());
        let ctx = NeighCtx {
            links: &links,
            names: &names,
        };
        let v = serde_json::to_value(NlqNeigh {
            neigh: &entry(),
            ctx: &ctx,
        })
        .unwrap();
        assert_eq!(v["dev"], "v0");
        assert_eq!(v["master"], "br0");
        assert_eq!(v["master_index"], 3);
        assert_eq!(v["lladdr"], "02:00:00:00:00:02");
        assert_eq!(v["state"], serde_json::json!(["permanent"]));
        assert_eq!(v["flags"], serde_json::json!(["router"]));
        assert_eq!(v["flags_ext"], serde_json::json!([]));
        assert_eq!(v["router"], true);
        assert_eq!(v["confirmed"], 60.12);
        assert_eq!(v["used"], 1.5);
        assert_eq!(v["protocol"], "static");
        assert_eq!(v["protocol_id"], 4);
        assert_eq!(v["type"], "unicast");
        assert_eq!(v["vlan"], serde_json::Value::Null);
    }

    #[test]
    fn table_row() {
        let (links, names) = (links(), Names::builtin());
        let ctx = NeighCtx {
            links: &links,
            names: &names,
        };
        let mut n = entry();
        let r = row(&n, &ctx);
        assert_eq!(
            r[..5],
            ["10.0.0.2", "v0", "02:00:00:00:00:02", "permanent", "router"]
        );
        assert_eq!(r[6..], ["1.50s", "60.12s", "0.99s", "static"]);
        n.state = 0;
        n.ifindex = 9;
        n.cacheinfo = None;
        let r = row(&n, &ctx);
        assert_eq!(
            (r[1].as_str(), r[3].as_str(), r[6].as_str()),
            ("if9", "none", "")
        );
    }

    #[test]
    fn lladdr_formats() {
        let a = HwAddr::new(&[192, 0, 2, 1]).unwrap();
        assert_eq!(LlAddr(778, &a).to_string(), "192.0.2.1"); // ARPHRD_IPGRE
        assert_eq!(LlAddr(1, &a).to_string(), "c0:00:02:01");
        assert_eq!(LlAddr(65534, &HwAddr::new(&[]).unwrap()).to_string(), "");
    }
}

#[cfg(test)]
mod proptests;
