//! Routes as a table for people: one row per route, one line per
//! nexthop inside the cells of a multipath route.

use std::fmt::{self, Display};
use std::net::IpAddr;

use super::type_text;
use super::{
    Cidr, Ctx, IfName, MplsPrefix, NameOr, Str, cidr, encap_name, has_cache_flags, seg6_action,
    seg6_mode,
};
use crate::model::route::{
    Encap, EncapDetail, Hop, IP_FLAG_NAMES, Labels, MORE_FLAG_NAMES, Metrics, RTAX_CC_ALGO,
    RTAX_FEATURE_ECN, RTAX_FEATURES, RTAX_MAX, RTAX_NAMES, RTAX_RTT, RTAX_RTTVAR,
    RTM_F_OFFLOAD_FAILED, Route, RouteType,
};
use crate::render::stream::{Column, Paint};

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
/// stack its `encap mpls` pushes; empty for none.
fn path_labels(as_to: Option<Labels>, encap: Option<&Encap>) -> String {
    as_to
        .or_else(|| encap.and_then(pushed))
        .map(|l| l.to_string())
        .unwrap_or_default()
}

/// The LABELS cell: one line per multipath nexthop, like GATEWAY, or
/// empty when no path has labels (so the column can be left out).
fn labels_cell(r: &Route) -> String {
    if !r.multipath {
        return path_labels(r.newdst, r.encap.as_ref());
    }
    let each = r.nexthops.iter();
    let lines: Vec<String> = each
        .map(|h| path_labels(h.newdst, h.encap.as_ref()))
        .collect();
    if lines.iter().all(String::is_empty) {
        return String::new();
    }
    lines.join("\n")
}

/// Render `r` as a table row.
pub fn row(r: &Route, c: &Ctx<'_>) -> Row {
    let n = c.names;
    let name_or = |name: Option<&str>, v: u32| NameOr(name, v).to_string();
    let text = |v: Option<Str<Cidr>>| v.map(|s| s.0.to_string()).unwrap_or_default();
    let from = if r.src.is_some() || r.src_len != 0 {
        text(cidr(r, r.src, r.src_len, r.malformed.src))
    } else {
        String::new()
    };
    let (gateway, dev, weight, flags) = path_cells(r, c);
    [
        cell(r.kind != RouteType::Unicast, || {
            type_text(r.kind, c.names).to_string()
        }),
        dst_text(r).unwrap_or_default(),
        from,
        labels_cell(r),
        gateway,
        dev,
        weight,
        name_or(n.tables.name(r.table), r.table),
        name_or(n.protos.name(r.protocol.0 as u32), r.protocol.0 as u32),
        name_or(n.scopes.name(r.scope.0 as u32), r.scope.0 as u32),
        r.prefsrc.map(|a| a.to_string()).unwrap_or_default(),
        r.metric().map(|v| v.to_string()).unwrap_or_default(),
        flags,
        info(r, c),
    ]
}

/// `f()` when `show`, else an empty cell.
fn cell(show: bool, f: impl FnOnce() -> String) -> String {
    if show { f() } else { String::new() }
}

/// GATEWAY, DEV, WEIGHT and FLAGS cells.
fn path_cells(r: &Route, c: &Ctx<'_>) -> (String, String, String, String) {
    let dev = |i: u32| {
        c.links
            .name(i)
            .map(str::to_string)
            .unwrap_or_else(|| format!("if{i}"))
    };
    let addr = |gw: Option<IpAddr>, via: Option<IpAddr>| {
        gw.or(via).map(|a| a.to_string()).unwrap_or_default()
    };
    let flags = |bits: u32, skip: u32| {
        let names = IP_FLAG_NAMES.iter().chain(&MORE_FLAG_NAMES);
        let set: Vec<&str> = names
            .filter(|&&(b, _)| bits & b != 0 && skip & b == 0)
            .map(|&(_, n)| n)
            .collect();
        set.join(",")
    };
    let skip = if has_cache_flags(r) {
        RTM_F_OFFLOAD_FAILED
    } else {
        0
    };
    if !r.multipath {
        let d = r.oif.map(dev).unwrap_or_default();
        return (
            addr(r.gateway, r.via),
            d,
            String::new(),
            flags(r.flags, skip),
        );
    }
    let lines =
        |f: &dyn Fn(&Hop) -> String| r.nexthops.iter().map(f).collect::<Vec<_>>().join("\n");
    let route_flags = flags(r.flags, skip);
    let hop_flags = lines(&|h| flags(h.flags as u32, 0));
    let all_flags = match (route_flags.is_empty(), hop_flags.trim().is_empty()) {
        (true, _) => hop_flags,
        (false, true) => route_flags,
        (false, false) => format!("{route_flags}\n{hop_flags}"),
    };
    (
        lines(&|h| addr(h.gateway, h.via)),
        lines(&|h| {
            if h.ifindex == 0 {
                String::new()
            } else {
                dev(h.ifindex)
            }
        }),
        lines(&|h| h.weight().to_string()),
        all_flags,
    )
}

/// The INFO cell: everything else `ip route` shows, as `key value` words.
fn info(r: &Route, c: &Ctx<'_>) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let n = c.names;
    let mut put = |args: fmt::Arguments<'_>| {
        if !s.is_empty() {
            s.push(' ');
        }
        let _ = s.write_fmt(args); // writing to a String cannot fail
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
    s
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
