//! Links, three ways: a table for people, nlq's own JSON (docs/json.md,
//! `## links`) and the `ip -j -s -d link show` dialect.
//!
//! The `ip` dialect is one object per link merging what `ip -j -s link`
//! and `ip -j -d link` print, in an order that keeps the relative order of
//! both: every key of either is present with ip's type and value (quirks
//! included: `"group": "default"` as a string, `NO-CARRIER` first and
//! `M-DOWN` last in `flags`, `txqlen` left out when 0). The stats object
//! carries the `-s -s` counters, a superset of `-s`. Left out: `xdp`,
//! `event`, `proto_down_reason`, `vfinfo_list`, `info_xstats`, and
//! `info_data` of kinds nlq does not decode (see model::link::kind).

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::io::{self, Write};
use std::net::{Ipv4Addr, Ipv6Addr};

use serde::Serialize;
use serde::ser::Serializer;

use super::stream::{Cells, Column, Paint, TableWriter};
use super::text::{FastIp, PushText, push_decimal, push_hex};
use super::{Dialect, Format, Held, JsonArray};
use crate::model::link::{Counter, HwAddr, Link, Links, link_type_name};
use crate::names::Names;
use crate::netns::NsidNames;
use crate::render::json::JsonObject as _;

pub mod brief;
pub(crate) mod ip;
mod ipobj;
mod kind;
mod nlq;

pub(crate) use kind::info;

pub(crate) use ip::IpLink;
use ip::{Peer, ip_flags, ip_operstate, peer};
use nlq::NlqLink;

/// What a link renderer needs besides the link: the other links (for
/// master, peer and lower-device names) and the configured names.
#[derive(Clone, Copy)]
pub struct LinkCtx<'a> {
    /// The whole link dump.
    pub links: &'a Links,
    /// Group and scope names.
    pub names: &'a Names,
    /// Names of the namespaces peers live in (IFLA_LINK_NETNSID).
    pub nsids: &'a NsidNames,
}

impl LinkCtx<'_> {
    /// The name of the namespace holding `l`'s peer, when it has one.
    pub fn peer_netns(&self, l: &Link) -> Option<&str> {
        l.link_netnsid.and_then(|id| self.nsids.name(id))
    }

    /// `ll_index_to_name`: the name of `index`, `"*"` for 0, `if<N>` when
    /// the dump has no such link.
    fn ip_name(&self, index: u32) -> Cow<'_, str> {
        match self.links.name(index) {
            _ if index == 0 => "*".into(),
            Some(n) => n.into(),
            None => format!("if{index}").into(),
        }
    }
}

/// Write `selected` links in `format`.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    ctx: &LinkCtx<'_>,
    selected: &[&Link],
) -> io::Result<()> {
    let mut w = Writer::new(out, format);
    for link in selected {
        w.push(link, ctx)?;
    }
    w.finish()
}

/// Writes links one at a time in one format.
pub enum Writer<'w> {
    /// A table and the reused cells of its rows.
    Table(Box<TableWriter<'w>>, Cells<{ COLUMNS.len() }>),
    /// A JSON array in one dialect.
    Json(JsonArray<'w>, Dialect),
}

impl<'w> Writer<'w> {
    /// A writer of `format` to `out`.
    pub fn new(out: &'w mut dyn Write, format: Format) -> Self {
        match format {
            Format::Table(view) => Writer::Table(
                Box::new(TableWriter::new(out, &COLUMNS, view)),
                Cells::new(),
            ),
            Format::Json(dialect) => Writer::Json(JsonArray::new(out), dialect),
        }
    }

    /// Hold the output back until [`Held::commit`].
    pub fn hold_back(self) -> Self {
        match self {
            Writer::Table(t, cells) => Writer::Table(Box::new(t.hold_back()), cells),
            Writer::Json(a, d) => Writer::Json(a.hold_back(), d),
        }
    }

    /// Write one link.
    pub fn push(&mut self, link: &Link, ctx: &LinkCtx<'_>) -> io::Result<()> {
        match self {
            Writer::Table(t, cells) => {
                fill_row(link, ctx, cells);
                t.push(&cells.strs())
            }
            Writer::Json(a, Dialect::Nlq) => a.push_object(&NlqLink { link, ctx }),
            Writer::Json(a, Dialect::Ip) => a.push_object(&IpLink {
                link,
                ctx,
                addrs: None,
            }),
        }
    }

    /// End the output after success.
    pub fn finish(self) -> io::Result<()> {
        match self {
            Writer::Table(t, _) => t.finish(),
            Writer::Json(a, _) => a.finish(),
        }
    }

    /// End the output after an error: a started JSON array is closed.
    pub fn close(self) -> io::Result<()> {
        match self {
            Writer::Table(t, _) => t.finish(),
            Writer::Json(a, _) => a.close(),
        }
    }
}

impl Held for Writer<'_> {
    fn held(&self) -> Option<usize> {
        match self {
            Writer::Table(t, _) => t.held(),
            Writer::Json(a, _) => a.held(),
        }
    }
    fn commit(&mut self) -> io::Result<()> {
        match self {
            Writer::Table(t, _) => t.commit(),
            Writer::Json(a, _) => a.commit(),
        }
    }
    fn rollback(&mut self) {
        match self {
            Writer::Table(t, _) => t.rollback(),
            Writer::Json(a, _) => a.rollback(),
        }
    }
}

/// The table's columns, keyed by the `--json` keys they show.
pub const COLUMNS: [Column; 13] = [
    Column::new("INDEX", "index"),
    Column::new("NAME", "name").paint(Paint::Name),
    Column::new("KIND", "kind"),
    Column::new("STATE", "operstate").paint(Paint::State),
    Column::new("FLAGS", "flags"),
    Column::new("MTU", "mtu"),
    Column::new("MASTER", "master").paint(Paint::Name),
    Column::new("LINK", "link").paint(Paint::Name),
    Column::new("TYPE", "link_type"),
    Column::new("ADDRESS", "address").paint(Paint::Mac),
    Column::new("INFO", "kind_data"),
    Column::new("RX BYTES", "rx_bytes"),
    Column::new("TX BYTES", "tx_bytes"),
];

/// One table row, a cell per column of [`COLUMNS`], into `cells`.
fn fill_row(l: &Link, ctx: &LinkCtx<'_>, cells: &mut Cells<{ COLUMNS.len() }>) {
    cells.clear();
    push_decimal(cells.bytes(), l.index);
    cells.end();
    cells.push_str(&l.name);
    cells.end();
    cells.push_str(l.kind.as_deref().unwrap_or_default());
    cells.end();
    if let Some(s) = l.operstate {
        cells.push(ip_operstate(s.value()));
    }
    cells.end();
    let (peer, mdown) = peer(ctx, l);
    for (i, flag) in ip_flags(l.flags, mdown).enumerate() {
        if i > 0 {
            cells.push_str(",");
        }
        cells.push(flag);
    }
    cells.end();
    if let Some(mtu) = l.mtu {
        push_decimal(cells.bytes(), mtu);
    }
    cells.end();
    if let Some(m) = l.master {
        cells.push(ctx.ip_name(m));
    }
    cells.end();
    match peer {
        Peer::Name(n) => cells.push(n),
        Peer::Index(i) => {
            let _ = match ctx.peer_netns(l) {
                Some(ns) => write!(cells, "if{i} (netns {ns})"),
                None => write!(cells, "if{i} (netns {})", l.link_netnsid.unwrap_or(-1)),
            };
        }
        Peer::Zero | Peer::None => {}
    }
    cells.end();
    cells.push(link_type_text(l.link_type, ctx.names));
    cells.end();
    if let Some(a) = &l.address {
        cells.push(LlAddr(l.link_type, a));
    }
    cells.end();
    cells.push_str(&kind::info(l, ctx));
    cells.end();
    for c in [Counter::RxBytes, Counter::TxBytes] {
        if let Some(v) = l.stats.and_then(|s| s.get(c)) {
            push_decimal(cells.bytes(), v);
        }
        cells.end();
    }
}

/// The hardware type as `ip` names it, `[N]` when it has no name or
/// under `-N` (`ll_type_n2a`).
fn link_type_text(t: u16, names: &Names) -> Cow<'static, str> {
    let name = link_type_name(t).filter(|_| !names.numeric);
    name.map_or_else(|| format!("[{t}]").into(), Cow::Borrowed)
}

/// `ll_addr_n2a`: tunnel endpoints as IP addresses (as inet_ntop writes
/// them), anything else as colon-separated lowercase hex; an empty address
/// is an empty string. Written straight into the output, no `String`.
#[derive(Clone, Copy)]
pub(crate) struct LlAddr<'a>(pub(crate) u16, pub(crate) &'a HwAddr);

impl fmt::Display for LlAddr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.1.as_bytes();
        match (b.len(), self.0) {
            // ARPHRD_TUNNEL, ARPHRD_SIT, ARPHRD_IPGRE
            (4, 768 | 776 | 778) => FastIp(Ipv4Addr::new(b[0], b[1], b[2], b[3]).into()).fmt(f),
            // ARPHRD_TUNNEL6, ARPHRD_IP6GRE
            (16, 769 | 823) => {
                let mut a = [0u8; 16];
                a.copy_from_slice(b);
                FastIp(Ipv6Addr::from(a).into()).fmt(f)
            }
            _ => Colons(b).fmt(f),
        }
    }
}

impl PushText for LlAddr<'_> {
    fn push_text(&self, out: &mut Vec<u8>) {
        let b = self.1.as_bytes();
        match (b, self.0) {
            (&[x, y, z, t], 768 | 776 | 778) => {
                FastIp(Ipv4Addr::new(x, y, z, t).into()).push_text(out)
            }
            (b, 769 | 823) if b.len() == 16 => {
                let mut a = [0u8; 16];
                a.copy_from_slice(b);
                FastIp(Ipv6Addr::from(a).into()).push_text(out)
            }
            _ => push_hex(out, b, Some(b':')),
        }
    }
}

impl Serialize for LlAddr<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An optional hardware address of a link of type `link_type`.
pub(super) fn ll(link_type: u16, addr: &Option<HwAddr>) -> Option<LlAddr<'_>> {
    addr.as_ref().map(|a| LlAddr(link_type, a))
}

/// Bytes as colon-separated lowercase hex ("aa:bb:0c").
pub(crate) struct Colons<'a>(pub(crate) &'a [u8]);

impl fmt::Display for Colons<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            let sep = if i == 0 { "" } else { ":" };
            write!(f, "{sep}{b:02x}")?;
        }
        Ok(())
    }
}

/// Bytes as lowercase hex without separators (`hexstring_n2a`).
struct Hex<'a>(&'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl Serialize for Hex<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl super::event::Shown for Link {
    fn kind(&self) -> &'static str {
        "link"
    }
    fn json(&self, o: &mut super::json::Obj<'_>, view: &super::event::View<'_>) -> io::Result<()> {
        let ctx = LinkCtx {
            links: view.links,
            names: view.names,
            nsids: view.nsids,
        };
        NlqLink {
            link: self,
            ctx: &ctx,
        }
        .fields(o)
    }

    /// As a link watcher shows it: name, index, operstate, and RUNNING /
    /// UP (no carrier) / DOWN, then MTU, kind, the kind's essentials as the
    /// links table's INFO shows them (`id 100 protocol 802.1Q`), and master.
    fn text(&self, view: &super::event::View<'_>) -> String {
        let l = self;
        let state = match (
            l.flags & crate::model::link::IFF_UP != 0,
            l.flags & crate::model::link::IFF_RUNNING != 0,
        ) {
            (true, true) => "RUNNING",
            (true, false) => "UP (no carrier)",
            (false, _) => "DOWN",
        };
        let oper = l.operstate.map_or_else(
            || "-".to_string(),
            |o| o.name().unwrap_or("?").to_uppercase(),
        );
        let mut s = format!("{} index {} {oper} {state}", l.name, l.index);
        if let Some(mtu) = l.mtu {
            s.push_str(&format!(" mtu {mtu}"));
        }
        if let Some(kind) = &l.kind {
            s.push_str(&format!(" kind {kind}"));
        }
        let ctx = LinkCtx {
            links: view.links,
            names: view.names,
            nsids: view.nsids,
        };
        let info = info(l, &ctx);
        if !info.is_empty() {
            s.push(' ');
            s.push_str(&info);
        }
        if let Some(m) = l.master {
            s.push_str(&format!(" master {m}"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_link_types_are_bracketed_numbers() {
        assert_eq!(link_type_text(1, &Names::builtin()), "ether");
        assert_eq!(link_type_text(1, &Names::numeric()), "[1]");
        assert_eq!(link_type_text(65000, &Names::builtin()), "[65000]");
    }

    #[test]
    fn tunnel_addresses_print_as_ip() {
        let a = HwAddr::new(&[10, 1, 1, 1]).unwrap();
        assert_eq!(LlAddr(768, &a).to_string(), "10.1.1.1");
        assert_eq!(LlAddr(1, &a).to_string(), "0a:01:01:01");
        assert_eq!(Hex(&[0xab, 1]).to_string(), "ab01");
    }

    #[test]
    fn lladdr_pushed_as_displayed() {
        let v4 = HwAddr::new(&[192, 0, 2, 1]).unwrap();
        let v6 = HwAddr::new(&[0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]).unwrap();
        let mac = HwAddr::new(&[2, 0, 0xab, 0, 0, 0x12]).unwrap();
        let empty = HwAddr::new(&[]).unwrap();
        for (kind, a) in [
            (778, &v4),
            (768, &v4),
            (1, &v4),
            (823, &v6),
            (769, &v6),
            (1, &v6),
        ]
        .into_iter()
        .chain([(1, &mac), (778, &mac), (65534, &empty)])
        {
            let mut out = Vec::new();
            LlAddr(kind, a).push_text(&mut out);
            assert_eq!(String::from_utf8(out).unwrap(), LlAddr(kind, a).to_string());
        }
    }
}
