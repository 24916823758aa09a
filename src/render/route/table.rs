//! Routes as a table for people: one row per route, one line per
//! nexthop inside the cells of a multipath route.

use std::fmt::{self, Display, Write as _};
use std::net::IpAddr;

use super::type_text;
use super::{
    Ctx, IfName, MplsPrefix, NameOr, cidr, encap_name, has_cache_flags, seg6_action, seg6_mode,
};
use crate::model::route::{
    Encap, EncapDetail, Hop, IP_FLAG_NAMES, Labels, MORE_FLAG_NAMES, Metrics, RTAX_CC_ALGO,
    RTAX_FEATURE_ECN, RTAX_FEATURES, RTAX_MAX, RTAX_NAMES, RTAX_RTT, RTAX_RTTVAR,
    RTM_F_OFFLOAD_FAILED, Route, RouteType,
};
use crate::render::stream::{Cells, Column, Paint};
use crate::render::text::FastIp;

/// The table's columns, in order; [`row`] fills them in this order.
///
/// LABELS holds the MPLS labels each path puts on the packet: an MPLS
/// route's `as to` labels (RTA_NEWDST) or an `encap mpls` stack, one line
/// per nexthop like GATEWAY.
pub const COLUMNS: [Column; 14] = [
    Column::new("TYPE", "type").hide_if(""),
    Column::new("DST", "dst").paint(Paint::Addr),
    Column::new("FROM", "from").hide_if("").paint(Paint::Addr),
    Column::new("LABELS", "as_labels").hide_if(""),
    Column::new("GATEWAY", "gateway").paint(Paint::Addr),
    Column::new("DEV", "dev").paint(Paint::Name),
    Column::new("WEIGHT", "weight").hide_if(""),
    Column::new("TABLE", "table").hide_if("main"),
    Column::new("PROTO", "protocol"),
    Column::new("SCOPE", "scope"),
    Column::new("SRC", "prefsrc").paint(Paint::Addr),
    Column::new("METRIC", "metric"),
    Column::new("FLAGS", "flags").hide_if(""),
    Column::new("INFO", "info").hide_if(""),
];

/// One table row: a cell per column (TYPE ... INFO); multipath routes get one
/// line per nexthop in LABELS, GATEWAY, DEV, WEIGHT and FLAGS.
pub type Row = [String; COLUMNS.len()];

/// `--brief`: one line per route, the words a person scans for, in
/// `ip route`'s order: `[TYPE] DST [as LABELS] [encap mpls LABELS]
/// [via GW] [dev DEV]`, a multipath route's nexthops one after another
/// (`ip -br route` has no brief form).
pub fn brief_line(r: &Route, c: &Ctx<'_>) -> String {
    use std::fmt::Write as _;
    let mut line = String::new();
    if r.kind != RouteType::Unicast {
        let _ = write!(line, "{} ", type_text(r.kind, c.names));
    }
    line.push_str(dst_text(r).as_deref().unwrap_or("?"));
    let mut path =
        |as_to: Option<Labels>, encap: Option<&Encap>, gw: Option<IpAddr>, dev: Option<u32>| {
            if let Some(l) = as_to {
                let _ = write!(line, " as {l}");
            }
            if let Some(l) = encap.and_then(pushed) {
                let _ = write!(line, " encap mpls {l}");
            }
            if let Some(gw) = gw {
                let _ = write!(line, " via {}", crate::render::text::FastIp(gw));
            }
            if let Some(dev) = dev.filter(|&d| d != 0) {
                let _ = write!(line, " dev {}", IfName(c.links, dev));
            }
        };
    if r.multipath {
        for h in &r.nexthops {
            path(
                h.newdst,
                h.encap.as_ref(),
                h.gateway.or(h.via),
                Some(h.ifindex),
            );
        }
    } else {
        path(r.newdst, r.encap.as_ref(), r.gateway.or(r.via), r.oif);
    }
    line
}

/// The destination as the table and brief lines show it: a CIDR, or an
/// MPLS route's label; `None` when it was malformed.
fn dst_text(r: &Route) -> Option<String> {
    match r.dst_labels {
        Some(l) => Some(MplsPrefix(l, r.dst_len).to_string()),
        None => cidr(r, r.dst, r.dst_len, r.malformed.dst).map(|s| s.0.to_string()),
    }
}

/// The label stack an `encap mpls` pushes.
fn pushed(e: &Encap) -> Option<Labels> {
    match &e.detail {
        EncapDetail::Mpls(t) => t.dst,
        _ => None,
    }
}

/// The labels one path puts on the packet: its `as to` labels, else the
/// stack its `encap mpls` pushes.
fn path_labels(as_to: Option<Labels>, encap: Option<&Encap>) -> Option<Labels> {
    as_to.or_else(|| encap.and_then(pushed))
}

/// The LABELS cell: one line per multipath nexthop, like GATEWAY, or
/// empty when no path has labels (so the column can be left out).
fn labels_cell(r: &Route, out: &mut RowCells) {
    if !r.multipath {
        if let Some(l) = path_labels(r.newdst, r.encap.as_ref()) {
            let _ = write!(out, "{l}");
        }
        return;
    }
    let labels = |h: &Hop| path_labels(h.newdst, h.encap.as_ref());
    if r.nexthops.iter().all(|h| labels(h).is_none()) {
        return;
    }
    for (k, h) in r.nexthops.iter().enumerate() {
        if k > 0 {
            out.push_str("\n");
        }
        if let Some(l) = labels(h) {
            let _ = write!(out, "{l}");
        }
    }
}

/// One row's cells, TYPE ... INFO, in a buffer reused from row to row.
pub type RowCells = Cells<{ COLUMNS.len() }>;

/// Render `r` as a table row (for one-off rows: a listing reuses one
/// [`RowCells`] through [`fill_row`]).
pub fn row(r: &Route, c: &Ctx<'_>) -> Row {
    let mut cells = RowCells::new();
    fill_row(r, c, &mut cells);
    cells.strs().map(str::to_string)
}

/// Write `r`'s cells into `out` (cleared first).
pub fn fill_row(r: &Route, c: &Ctx<'_>, out: &mut RowCells) {
    let n = c.names;
    out.clear();
    if r.kind != RouteType::Unicast {
        let _ = write!(out, "{}", type_text(r.kind, n));
    }
    out.end();
    match r.dst_labels {
        Some(l) => write_cell(out, Some(MplsPrefix(l, r.dst_len))),
        None => write_cell(out, cidr(r, r.dst, r.dst_len, r.malformed.dst).map(|s| s.0)),
    }
    if r.src.is_some() || r.src_len != 0 {
        write_cell(out, cidr(r, r.src, r.src_len, r.malformed.src).map(|s| s.0));
    } else {
        out.end();
    }
    labels_cell(r, out);
    out.end();
    path_cells(r, c, out);
    write_cell(out, Some(NameOr(n.tables.name(r.table), r.table)));
    let proto = r.protocol.0 as u32;
    write_cell(out, Some(NameOr(n.protos.name(proto), proto)));
    let scope = r.scope.0 as u32;
    write_cell(out, Some(NameOr(n.scopes.name(scope), scope)));
    write_cell(out, r.prefsrc.map(FastIp));
    write_cell(out, r.metric());
    flags_cell(r, out);
    out.end();
    info(r, c, out);
    out.end();
}

/// Write `value` (nothing for `None`) as a whole cell.
fn write_cell(out: &mut RowCells, value: Option<impl Display>) {
    put(out, value);
    out.end();
}

/// Append `value` (nothing for `None`) to the open cell.
fn put(out: &mut RowCells, value: Option<impl Display>) {
    if let Some(v) = value {
        let _ = write!(out, "{v}"); // writing to a String cannot fail
    }
}

/// Write the names of the RTNH_F_* / RTM_F_* flags set in `bits` and not
/// in `skip`, comma-separated; whether any was.
fn put_flags(out: &mut RowCells, bits: u32, skip: u32) -> bool {
    let names = IP_FLAG_NAMES.iter().chain(&MORE_FLAG_NAMES);
    let mut any = false;
    for &(_, name) in names.filter(|&&(b, _)| bits & b != 0 && skip & b == 0) {
        if any {
            out.push_str(",");
        }
        out.push_str(name);
        any = true;
    }
    any
}

/// GATEWAY, DEV and WEIGHT cells: one line per nexthop of a multipath
/// route.
fn path_cells(r: &Route, c: &Ctx<'_>, out: &mut RowCells) {
    let dev = |out: &mut RowCells, i: u32| match c.links.name(i) {
        Some(name) => out.push_str(name),
        None => {
            let _ = write!(out, "if{i}");
        }
    };
    if !r.multipath {
        write_cell(out, r.gateway.or(r.via).map(FastIp));
        if let Some(i) = r.oif {
            dev(out, i);
        }
        out.end();
        out.end(); // WEIGHT
        return;
    }
    let lines = |out: &mut RowCells, f: &dyn Fn(&mut RowCells, &Hop)| {
        for (k, h) in r.nexthops.iter().enumerate() {
            if k > 0 {
                out.push_str("\n");
            }
            f(out, h);
        }
        out.end();
    };
    lines(out, &|out, h| put(out, h.gateway.or(h.via).map(FastIp)));
    lines(out, &|out, h| {
        if h.ifindex != 0 {
            dev(out, h.ifindex)
        }
    });
    lines(out, &|out, h| put(out, Some(h.weight())));
}

/// The FLAGS cell: the route's flags, then for a multipath route each
/// nexthop's on a line of its own (none at all when no nexthop has any,
/// unless the route has none either).
fn flags_cell(r: &Route, out: &mut RowCells) {
    let skip = if has_cache_flags(r) {
        RTM_F_OFFLOAD_FAILED
    } else {
        0
    };
    let route = put_flags(out, r.flags, skip);
    if !r.multipath {
        return;
    }
    let any_hop = r.nexthops.iter().any(|h| {
        IP_FLAG_NAMES
            .iter()
            .chain(&MORE_FLAG_NAMES)
            .any(|&(b, _)| h.flags as u32 & b != 0)
    });
    if route && !any_hop {
        return;
    }
    for (k, h) in r.nexthops.iter().enumerate() {
        if route || k > 0 {
            out.push_str("\n");
        }
        put_flags(out, h.flags as u32, 0);
    }
}

/// The INFO cell: everything else `ip route` shows, as `key value` words.
fn info(r: &Route, c: &Ctx<'_>, out: &mut RowCells) {
    let n = c.names;
    let mut sep = "";
    let mut put = |args: fmt::Arguments<'_>| {
        out.push_str(sep);
        let _ = out.write_fmt(args); // writing to a String cannot fail
        sep = " ";
    };
    if let Some(id) = r.nhid {
        put(format_args!("nhid {id}"));
    }
    if r.tos != 0 {
        match n.dsfields.name(r.tos as u32) {
            Some(name) => put(format_args!("tos {name}")),
            None => put(format_args!("tos 0x{:02x}", r.tos)),
        }
    }
    if let Some(f) = r.flow {
        let name = |v: u16| NameOr(n.realms.name(v as u32), v as u32);
        match f.from {
            0 => put(format_args!("realm {}", name(f.to))),
            from => put(format_args!("realms {}/{}", name(from), name(f.to))),
        }
    }
    if let Some(iif) = r.iif {
        put(format_args!("iif {}", IfName(c.links, iif)));
    }
    if let Some(mark) = r.mark.filter(|&m| m != 0) {
        put(format_args!("mark {mark:#x}"));
    }
    if let Some(p) = r.pref {
        put(format_args!("pref {}", NameOr(p.name(), p.0 as u32)));
    }
    if let Some(secs) = r.cacheinfo.and_then(|ci| ci.expires_secs()) {
        put(format_args!("expires {secs}s"));
    }
    if let Some(e) = &r.encap {
        put(format_args!("encap {}", EncapText(e)));
    }
    if let Some(on) = r.ttl_propagate {
        let word = if on { "enabled" } else { "disabled" };
        put(format_args!("ttl-propagate {word}"));
    }
    if let Some(mx) = &r.metrics {
        put(format_args!("{}", MetricsText(mx)));
    }
}

/// An encapsulation as words (`ip dst 10.7.7.7 ttl 10`).
pub(crate) struct EncapText<'a>(pub(crate) &'a Encap);

impl Display for EncapText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(encap_name(self.0))?;
        match &self.0.detail {
            EncapDetail::Ip(t) | EncapDetail::Ip6(t) => {
                if let Some(id) = t.id {
                    write!(f, " id {id}")?;
                }
                if let Some(a) = t.src {
                    write!(f, " src {a}")?;
                }
                if let Some(a) = t.dst {
                    write!(f, " dst {a}")?;
                }
                if let Some(v) = t.ttl {
                    write!(f, " ttl {v}")?;
                }
                Ok(())
            }
            EncapDetail::Mpls(t) => {
                if let Some(l) = t.dst {
                    write!(f, " {l}")?;
                }
                if let Some(v) = t.ttl {
                    write!(f, " ttl {v}")?;
                }
                Ok(())
            }
            EncapDetail::Seg6 { mode, segs } => {
                write!(f, " mode {} segs", seg6_mode(*mode))?;
                segs.iter().try_for_each(|a| write!(f, " {a}"))
            }
            EncapDetail::Seg6Local { action: Some(a) } => write!(f, " action {}", seg6_action(*a)),
            _ => Ok(()),
        }
    }
}

/// Metrics as words (`mtu lock 1400 rtt 100ms congctl cubic`).
struct MetricsText<'a>(&'a Metrics);

impl Display for MetricsText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mx = self.0;
        let mut sep = "";
        for i in (2..=RTAX_MAX).filter(|&i| mx.has(i) || mx.locked(i)) {
            let lock = if mx.locked(i) { "lock " } else { "" };
            write!(f, "{sep}{} {lock}", RTAX_NAMES[i])?;
            sep = " ";
            let val = mx.get(i).unwrap_or(0);
            match i {
                RTAX_CC_ALGO => f.write_str(mx.congestion().unwrap_or(""))?,
                RTAX_RTT => write!(f, "{}ms", val / 8)?,
                RTAX_RTTVAR => write!(f, "{}ms", val / 4)?,
                13 => write!(f, "{val}ms")?, // RTAX_RTO_MIN
                RTAX_FEATURES if val == RTAX_FEATURE_ECN => f.write_str("ecn")?,
                RTAX_FEATURES => write!(f, "{val:#x}")?,
                _ => write!(f, "{val}")?,
            }
        }
        Ok(())
    }
}
