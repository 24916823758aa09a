//! Rules as a table for people: one row per rule, in `ip rule`'s words
//! (`from all`, `lookup main`, `goto 120 [unresolved]`).

use super::{Cidr, Hex, NameOr, RuleCtx, dsfield, fwmark, group, ipproto, prefix};
use crate::model::route::RouteType;
use crate::model::rule::{Action, PortRange, Rule};
use crate::render::stream::{Column, Paint};
use crate::render::text::FastIp;

/// The table's columns, in order; [`row`] fills them in this order.
pub const COLUMNS: [Column; 9] = [
    Column::new("PRIO", "priority"),
    Column::new("FAMILY", "family"),
    Column::new("NOT", "not").hide_if(""),
    Column::new("FROM", "from").paint(Paint::Addr),
    Column::new("TO", "to").hide_if("").paint(Paint::Addr),
    Column::new("MATCH", "match").hide_if(""),
    Column::new("ACTION", "action"),
    Column::new("OPTIONS", "options").hide_if(""),
    Column::new("PROTO", "protocol").hide_if(""),
];

/// Render `r` as a table row.
pub fn row(r: &Rule, c: &RuleCtx<'_>) -> [String; COLUMNS.len()] {
    let text = |p: Option<Cidr>| p.map(|Cidr(a, len)| format!("{}/{len}", FastIp(a)));
    [
        r.priority.to_string(),
        NameOr(r.family.name(), r.family.0.into()).to_string(),
        if r.invert() { "not" } else { "" }.to_string(),
        text(prefix(r, r.src, r.src_len)).unwrap_or_else(|| "all".to_string()),
        text(prefix(r, r.dst, r.dst_len)).unwrap_or_default(),
        selectors(r, c).join(" "),
        action(r, c).join(" "),
        options(r, c).join(" "),
        r.protocol
            .map(|p| NameOr(c.names.protos.name(p.into()), p.into()).to_string())
            .unwrap_or_default(),
    ]
}

/// `tos`, `fwmark`, `iif`, `oif`, `uidrange`, `ipproto`, ports, `tun_id`.
fn selectors(r: &Rule, c: &RuleCtx<'_>) -> Vec<String> {
    let mut out = Vec::new();
    if r.tos != 0 {
        out.push(format!("tos {}", dsfield(c.names, r.tos)));
    }
    match fwmark(r) {
        Some((mark, u32::MAX)) => out.push(format!("fwmark {}", Hex(mark.into()))),
        Some((mark, mask)) => out.push(format!("fwmark {}/{}", Hex(mark.into()), Hex(mask.into()))),
        None => {}
    }
    let ifaces = [
        ("iif", &r.iif, r.iif_detached()),
        ("oif", &r.oif, r.oif_detached()),
    ];
    for (key, name, is_detached) in ifaces {
        if let Some(name) = name {
            let detached = if is_detached { " [detached]" } else { "" };
            out.push(format!("{key} {name}{detached}"));
        }
    }
    if let Some(u) = r.uid_range {
        out.push(format!("uidrange {}-{}", u.start, u.end));
    }
    if let Some(p) = r.ip_proto {
        out.push(format!("ipproto {}", ipproto(c.protos, p)));
    }
    for (key, range) in [("sport", r.sport), ("dport", r.dport)] {
        if let Some(p) = range {
            out.push(format!("{key} {}", ports(p)));
        }
    }
    if let Some(id) = r.tun_id {
        out.push(format!("tun_id {id}"));
    }
    out
}

fn ports(p: PortRange) -> String {
    if p.start == p.end {
        p.start.to_string()
    } else {
        format!("{}-{}", p.start, p.end)
    }
}

/// `lookup [l3mdev-table]`, `lookup TABLE`, then what the action adds.
fn action(r: &Rule, c: &RuleCtx<'_>) -> Vec<String> {
    let mut out = Vec::new();
    if r.is_l3mdev() {
        out.push("lookup [l3mdev-table]".to_string());
    }
    if r.table != 0 {
        let name = NameOr(c.names.tables.name(r.table), r.table);
        out.push(format!("lookup {name}"));
    }
    match r.action {
        Action::ToTable => {}
        Action::Goto => {
            let target = r.goto.map_or_else(|| "none".to_string(), |t| t.to_string());
            out.push(format!("goto {target}"));
            if r.unresolved() {
                out.push("[unresolved]".to_string());
            }
        }
        Action::Nop => out.push("nop".to_string()),
        a => {
            let name = RouteType::from_u8(a.to_u8()).name();
            let name = name.filter(|_| !c.names.numeric);
            out.push(NameOr(name, a.to_u8().into()).to_string());
        }
    }
    out
}

/// `suppress_prefixlength`, `suppress_ifgroup`, `realms`.
fn options(r: &Rule, c: &RuleCtx<'_>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(pl) = r.suppress_prefixlen() {
        out.push(format!("suppress_prefixlength {pl}"));
    }
    if let Some(g) = r.suppress_ifgroup() {
        out.push(format!("suppress_ifgroup {}", group(c.names, g)));
    }
    if let Some(f) = r.flow {
        let realm = |v: u16| NameOr(c.names.realms.name(v.into()), v.into()).to_string();
        match f.from {
            0 => out.push(format!("realms {}", realm(f.to))),
            from => out.push(format!("realms {}/{}", realm(from), realm(f.to))),
        }
    }
    out
}
