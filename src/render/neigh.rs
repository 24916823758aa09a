//! Neighbours, three ways: a table (one row per entry), nlq's own JSON
//! (docs/json.md `## neigh`) and the `ip -j neigh show` dialect
//! ([`ip`]). [`Writer`] takes the entries one at a time, so a large table
//! streams.

pub mod ip;

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::stream::{Cells, Column, Paint, TableWriter};
use super::{Dialect, Format, Held, JsonArray};
use crate::model::link::Links;
use crate::model::neigh::{CacheInfo, Neigh};
use crate::model::route::RouteType;
use crate::model::{AF_INET, AF_INET6};
use crate::names::Names;
use crate::render::json::{JsonObject, Obj, key};
use crate::render::link::LlAddr;
use crate::render::text::{
    FastIp, NameOr, PushText, push_decimal, push_hundredths, push_hundredths_json,
};

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
    /// A table, laid out whole or streamed (render::stream), and the
    /// reused cells of its rows.
    Table(Box<TableWriter<'w>>, RowCells),
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
            (Format::Table(view), false) => Writer::Table(
                Box::new(TableWriter::new(out, &COLUMNS, view)),
                RowCells::new(),
            ),
            (Format::Json(d), _) => Writer::Json(JsonArray::new(out), d),
        }
    }

    /// Hold the output back until [`Held::commit`] (`--brief`'s lines
    /// are written at once).
    pub fn hold_back(self) -> Self {
        match self {
            Writer::Table(t, cells) => Writer::Table(Box::new(t.hold_back()), cells),
            Writer::Json(a, d) => Writer::Json(a.hold_back(), d),
            Writer::BriefJson(a) => Writer::BriefJson(a.hold_back()),
            w @ Writer::BriefText(_) => w,
        }
    }

    /// Write one entry.
    pub fn push(&mut self, n: &Neigh, ctx: &NeighCtx<'_>) -> io::Result<()> {
        match self {
            Writer::Table(t, cells) => {
                fill_row(n, ctx, cells);
                t.push(&cells.strs())
            }
            Writer::Json(a, Dialect::Nlq) => a.push_object(&NlqNeigh { neigh: n, ctx }),
            Writer::Json(a, Dialect::Ip) => a.push_object(&ip::IpNeigh { neigh: n, ctx }),
            Writer::BriefText(out) => brief_line(out, n, ctx),
            Writer::BriefJson(a) => a.push(&BriefNeigh { neigh: n, ctx }),
        }
    }

    /// End the output after success.
    pub fn finish(self) -> io::Result<()> {
        match self {
            Writer::Table(t, _) => t.finish(),
            Writer::Json(a, _) | Writer::BriefJson(a) => a.finish(),
            Writer::BriefText(_) => Ok(()),
        }
    }

    /// End the output after an error: a started JSON array is closed, a
    /// table prints what it holds.
    pub fn close(self) -> io::Result<()> {
        match self {
            Writer::Table(t, _) => t.finish(),
            Writer::Json(a, _) | Writer::BriefJson(a) => a.close(),
            Writer::BriefText(_) => Ok(()),
        }
    }
}

impl Held for Writer<'_> {
    fn held(&self) -> Option<usize> {
        match self {
            Writer::Table(t, _) => t.held(),
            Writer::Json(a, _) | Writer::BriefJson(a) => a.held(),
            Writer::BriefText(_) => None,
        }
    }
    fn commit(&mut self) -> io::Result<()> {
        match self {
            Writer::Table(t, _) => t.commit(),
            Writer::Json(a, _) | Writer::BriefJson(a) => a.commit(),
            Writer::BriefText(_) => Ok(()),
        }
    }
    fn rollback(&mut self) {
        match self {
            Writer::Table(t, _) => t.rollback(),
            Writer::Json(a, _) | Writer::BriefJson(a) => a.rollback(),
            Writer::BriefText(_) => {}
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

/// One row's cells, in [`COLUMNS`] order, in one reused buffer.
pub type RowCells = Cells<{ COLUMNS.len() }>;

/// One table row as strings (a monitor event's words).
pub fn row(n: &Neigh, ctx: &NeighCtx<'_>) -> [String; COLUMNS.len()] {
    let mut cells = RowCells::new();
    fill_row(n, ctx, &mut cells);
    cells.strs().map(str::to_owned)
}

/// Write one entry's cells into `out` (emptied first), in [`COLUMNS`]
/// order, empty where there is nothing.
pub fn fill_row(n: &Neigh, ctx: &NeighCtx<'_>, out: &mut RowCells) {
    out.clear();
    if let Some(d) = n.dst {
        out.push(FastIp(d));
    }
    out.end();
    out.push(DevName(n.ifindex, ctx));
    out.end();
    if let Some(a) = &n.lladdr {
        out.push(LlAddr(ctx.link_type(n.ifindex), a));
    }
    out.end();
    if !join(out, n.state_names()) {
        out.push_str("none");
    }
    out.end();
    join(out, n.flag_names().chain(n.ext_flag_names()));
    out.end();
    if let Some(p) = n.probes {
        push_decimal(out.bytes(), p);
    }
    out.end();
    let ages: [fn(&CacheInfo) -> u32; 3] = [|c| c.used, |c| c.confirmed, |c| c.updated];
    for age in ages {
        if let Some(c) = &n.cacheinfo {
            push_hundredths(out.bytes(), age(c));
            out.push_str("s");
        }
        out.end();
    }
    if let Some(p) = n.protocol.filter(|&p| p != 0) {
        out.push(protocol(ctx.names, p));
    }
    out.end();
}

/// `names` joined by commas into the open cell; false if there were none.
fn join(out: &mut RowCells, names: impl Iterator<Item = Cow<'static, str>>) -> bool {
    let mut any = false;
    for name in names {
        if any {
            out.push_str(",");
        }
        out.push_str(&name);
        any = true;
    }
    any
}

/// A device's name, `if<N>` for an index the link dump did not hold,
/// nothing for no device (a proxy entry for every interface).
#[derive(Clone, Copy)]
struct DevName<'a>(u32, &'a NeighCtx<'a>);

impl PushText for DevName<'_> {
    fn push_text(&self, out: &mut Vec<u8>) {
        match (self.0, self.1.dev(self.0)) {
            (0, _) => {}
            (_, Some(name)) => out.extend_from_slice(name.as_bytes()),
            (i, None) => {
                out.extend_from_slice(b"if");
                push_decimal(out, i);
            }
        }
    }
}

/// `rtnl_rtprot_n2a`: the rt_protos name, else the number.
fn protocol(names: &Names, p: u8) -> NameOr<'_> {
    NameOr(names.protos.name(p.into()), p.into())
}

/// A neighbour in nlq's own schema (docs/json.md, `## neigh`).
struct NlqNeigh<'a> {
    neigh: &'a Neigh,
    ctx: &'a NeighCtx<'a>,
}

impl JsonObject for NlqNeigh<'_> {
    fn fields(&self, m: &mut Obj<'_>) -> io::Result<()> {
        let (n, c) = (self.neigh, self.ctx);
        m.fast(key!("family"), Some(family(n.family)))?;
        m.fast(key!("dst"), n.dst.map(FastIp))?;
        m.fast(key!("dev"), c.dev(n.ifindex))?;
        m.entry(key!("ifindex"), &(n.ifindex != 0).then_some(n.ifindex))?;
        let master = c.master(n);
        m.fast(key!("master"), master.and_then(|i| c.dev(i)))?;
        m.entry(key!("master_index"), &master)?;
        let ll = n.lladdr.as_ref().map(|a| LlAddr(c.link_type(n.ifindex), a));
        m.fast(key!("lladdr"), ll)?;
        m.fast_list(key!("state"), n.state_names())?;
        m.fast_list(key!("flags"), n.flag_names())?;
        m.fast_list(key!("flags_ext"), n.ext_flag_names())?;
        m.entry(key!("router"), &n.is_router())?;
        m.entry(key!("probes"), &n.probes)?;
        let ci = n.cacheinfo;
        m.raw(key!("used"), |o| seconds(o, ci.map(|c| c.used)));
        m.raw(key!("confirmed"), |o| seconds(o, ci.map(|c| c.confirmed)));
        m.raw(key!("updated"), |o| seconds(o, ci.map(|c| c.updated)));
        m.entry(key!("refcnt"), &ci.map(|c| c.refcnt))?;
        let proto = n.protocol.and_then(|p| c.names.protos.name(p.into()));
        m.fast(key!("protocol"), proto)?;
        m.entry(key!("protocol_id"), &n.protocol)?;
        let kind = NameOr(RouteType::from_u8(n.kind).name(), n.kind.into());
        m.fast(key!("type"), Some(kind))?;
        fdb_fields(m, n)
    }
}

/// The address family's name (`inet`, `inet6`), else its number.
fn family(f: u8) -> NameOr<'static> {
    let name = match f {
        AF_INET => Some("inet"),
        AF_INET6 => Some("inet6"),
        _ => None,
    };
    NameOr(name, f.into())
}

/// An age in USER_HZ ticks as a JSON number of seconds (`null` if none):
/// the f64 `ticks / 100`, written as serde_json would.
fn seconds(out: &mut Vec<u8>, ticks: Option<u32>) {
    match ticks {
        Some(t) => push_hundredths_json(out, t),
        None => out.extend_from_slice(b"null"),
    }
}

/// The bridge / VXLAN FDB attributes (always `null` in the ARP and NDP
/// tables).
fn fdb_fields(m: &mut Obj<'_>, n: &Neigh) -> io::Result<()> {
    m.entry(key!("vlan"), &n.vlan)?;
    m.entry(key!("vni"), &n.vni)?;
    m.entry(key!("src_vni"), &n.src_vni)?;
    m.entry(key!("port"), &n.port)?;
    m.entry(key!("via_ifindex"), &n.via_ifindex)?;
    m.entry(key!("nh_id"), &n.nh_id)?;
    m.entry(key!("link_netnsid"), &n.link_netnsid)
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
        NlqNeigh {
            neigh: self,
            ctx: &ctx,
        }
        .fields(o)
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
        let json = NlqNeigh {
            neigh: &entry(),
            ctx: &ctx,
        }
        .to_json();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
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
