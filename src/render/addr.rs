//! Addresses, three ways: a table (one row per address), nlq's own JSON
//! (one flat object per address, docs/json.md `## addrs`) and the
//! `ip -j addr show` dialect (one object per link, addresses in
//! `addr_info`).

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::link::{IpLink, LinkCtx};
use super::stream::{Column, Paint, TableView, TableWriter};
use super::text::{Cidr, FastIp, Str, family_text};
use super::{Dialect, Format, JsonArray};
use crate::model::addr::{
    Addr, Grouped, IFA_F_DEPRECATED, IFA_F_PERMANENT, IFA_F_SECONDARY, INFINITY_LIFE_TIME, finite,
    proto_name,
};
use crate::model::link::Link;
use crate::model::{AF_INET, AF_INET6};
use crate::names::Names;
use crate::render::json::{Entries, entries_serialize};

/// Write the addresses of `grouped` in `format`.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    ctx: &LinkCtx<'_>,
    grouped: &Grouped<'_>,
) -> io::Result<()> {
    match format {
        Format::Table(view) => addr_table(out, view, ctx.names, grouped),
        Format::Json(Dialect::Nlq) => {
            let mut array = JsonArray::new(out);
            for (link, addr) in grouped.flat() {
                array.push(&NlqAddr {
                    link,
                    addr,
                    names: ctx.names,
                })?;
            }
            array.finish()
        }
        Format::Json(Dialect::Ip) => {
            let mut array = JsonArray::new(out);
            for g in &grouped.links {
                array.push(&IpLink {
                    link: g.link,
                    ctx,
                    addrs: Some(&g.addrs),
                })?;
            }
            array.finish()
        }
    }
}

/// The table's columns, keyed by the `--json` keys they show.
pub const COLUMNS: [Column; 9] = [
    Column::new("DEV", "dev").paint(Paint::Name),
    Column::new("FAMILY", "family"),
    Column::new("ADDRESS", "cidr").paint(Paint::Addr),
    Column::new("BROADCAST", "broadcast").paint(Paint::Addr),
    Column::new("SCOPE", "scope"),
    Column::new("FLAGS", "flags"),
    Column::new("LABEL", "label"),
    Column::new("VALID", "valid_lft"),
    Column::new("PREFERRED", "preferred_lft"),
];

/// One row per address, in `grouped`'s order.
fn addr_table(
    out: &mut dyn Write,
    view: TableView,
    names: &Names,
    grouped: &Grouped<'_>,
) -> io::Result<()> {
    let mut t = TableWriter::new(out, &COLUMNS, view);
    let blank = String::new;
    let lifetime = |v: u32| finite(v).map_or_else(|| "forever".to_string(), |s| format!("{s}s"));
    for (link, a) in grouped.flat() {
        let address = match (a.local, a.peer) {
            (Some(l), Some(p)) => format!("{} peer {}/{}", FastIp(l), FastIp(p), a.prefix_len),
            (Some(l), None) => format!("{}/{}", FastIp(l), a.prefix_len),
            (None, _) => blank(),
        };
        let flags: Vec<_> = a.flag_names().collect();
        t.push(&[
            link.map_or_else(|| format!("if{}", a.index), |l| l.name.clone()),
            family_text(a.family).into_owned(),
            address,
            a.broadcast.map_or_else(blank, |b| FastIp(b).to_string()),
            scope_text(names, a.scope).into_owned(),
            flags.join(","),
            a.label.clone().unwrap_or_else(blank),
            a.cacheinfo.map_or_else(blank, |c| lifetime(c.valid)),
            a.cacheinfo.map_or_else(blank, |c| lifetime(c.preferred)),
        ])?;
    }
    t.finish()
}

/// `rtnl_rtscope_n2a`: the configured name, else the number as a string.
fn scope_text(names: &Names, scope: u8) -> Cow<'_, str> {
    names
        .scopes
        .name(scope.into())
        .map_or_else(|| scope.to_string().into(), Cow::Borrowed)
}

/// An address in nlq's own schema (docs/json.md, `## addrs`).
struct NlqAddr<'a> {
    link: Option<&'a Link>,
    addr: &'a Addr,
    names: &'a Names,
}

/// nlq's `flags` array.
struct NlqFlags<'a>(&'a Addr);

impl Serialize for NlqFlags<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.flag_names())
    }
}

impl Entries for NlqAddr<'_> {
    fn entries<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        let a = self.addr;
        m.serialize_entry("index", &a.index)?;
        m.serialize_entry("dev", &self.link.map(|l| &l.name))?;
        m.serialize_entry("family", &family_text(a.family))?;
        let cidr = a.local.map(|l| Str(Cidr(l, a.prefix_len)));
        m.serialize_entry("cidr", &cidr)?;
        m.serialize_entry("local", &a.local.map(FastIp))?;
        m.serialize_entry("peer", &a.peer.map(FastIp))?;
        m.serialize_entry("prefix_len", &a.prefix_len)?;
        m.serialize_entry("broadcast", &a.broadcast.map(FastIp))?;
        m.serialize_entry("anycast", &a.anycast.map(FastIp))?;
        m.serialize_entry("scope", &self.names.scopes.name(a.scope.into()))?;
        m.serialize_entry("scope_id", &a.scope)?;
        m.serialize_entry("flags", &NlqFlags(a))?;
        m.serialize_entry("label", &a.label)?;
        m.serialize_entry("valid_lft", &a.cacheinfo.map(|c| finite(c.valid)))?;
        m.serialize_entry("preferred_lft", &a.cacheinfo.map(|c| finite(c.preferred)))?;
        m.serialize_entry("metric", &a.metric)?;
        m.serialize_entry("proto", &a.proto.and_then(proto_name))?;
        m.serialize_entry("proto_id", &a.proto)?;
        Ok(())
    }
}

entries_serialize!(NlqAddr<'_>);

/// One entry of `addr_info`, as `ip -j addr` prints it.
pub(super) struct IpAddrInfo<'a> {
    pub(super) addr: &'a Addr,
    pub(super) names: &'a Names,
}

/// `print_ifa_flags`'s table: `(mask, key)`, walked in order, each mask
/// cleared after its row. Bit 0x01 is "temporary" on IPv6; a clear
/// IFA_F_PERMANENT prints "dynamic".
const IP_FLAGS: [(u32, &str); 13] = [
    (0x01, "secondary"),
    (0x01, "temporary"),
    (0x02, "nodad"),
    (0x04, "optimistic"),
    (0x08, "dadfailed"),
    (0x10, "home"),
    (0x20, "deprecated"),
    (0x40, "tentative"),
    (0x80, "permanent"),
    (0x100, "mngtmpaddr"),
    (0x200, "noprefixroute"),
    (0x400, "autojoin"),
    (0x800, "stable-privacy"),
];

impl Serialize for IpAddrInfo<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.addr;
        let mut m = s.serialize_map(None)?;
        match ip_family(a.family) {
            Some(name) => m.serialize_entry("family", name)?,
            None => m.serialize_entry("family_index", &i32::from(a.family))?,
        }
        if let Some(local) = a.local {
            m.serialize_entry("local", &FastIp(local))?;
            if let Some(peer) = a.peer {
                m.serialize_entry("address", &FastIp(peer))?;
            }
            m.serialize_entry("prefixlen", &i32::from(a.prefix_len))?;
            if let Some(metric) = a.metric {
                m.serialize_entry("metric", &metric)?;
            }
        }
        if let Some(b) = a.broadcast {
            m.serialize_entry("broadcast", &FastIp(b))?;
        }
        if let Some(b) = a.anycast {
            m.serialize_entry("anycast", &FastIp(b))?;
        }
        m.serialize_entry("scope", &scope_text(self.names, a.scope))?;
        ip_flags(a, &mut m)?;
        if let Some(label) = &a.label {
            m.serialize_entry("label", label)?;
        }
        if let Some(ci) = a.cacheinfo {
            m.serialize_entry("valid_life_time", &ci.valid)?;
            if ci.preferred != INFINITY_LIFE_TIME && a.flags & IFA_F_DEPRECATED != 0 {
                m.serialize_entry("preferred_life_time", &(ci.preferred as i32))?;
            } else {
                m.serialize_entry("preferred_life_time", &ci.preferred)?;
            }
        }
        m.end()
    }
}

/// `print_ifa_flags`: one `true` per flag, `dynamic` for a clear
/// IFA_F_PERMANENT, leftover bits as a hex string.
fn ip_flags<M: SerializeMap>(a: &Addr, m: &mut M) -> Result<(), M::Error> {
    let mut flags = a.flags;
    for (mask, key) in IP_FLAGS {
        if mask == IFA_F_PERMANENT {
            if flags & mask == 0 {
                m.serialize_entry("dynamic", &true)?;
            }
        } else if flags & mask != 0 {
            let v6_temp = mask == IFA_F_SECONDARY && a.family == AF_INET6;
            m.serialize_entry(if v6_temp { "temporary" } else { key }, &true)?;
        }
        flags &= !mask;
    }
    if flags != 0 {
        m.serialize_entry("ifa_flags", &format!("{flags:02x}"))?;
    }
    Ok(())
}

/// iproute2's `family_name`, `None` where it prints "???".
fn ip_family(f: u8) -> Option<&'static str> {
    match f {
        AF_INET => Some("inet"),
        AF_INET6 => Some("inet6"),
        17 => Some("link"),  // AF_PACKET
        28 => Some("mpls"),  // AF_MPLS
        7 => Some("bridge"), // AF_BRIDGE
        _ => None,
    }
}

impl super::event::Shown for Addr {
    fn kind(&self) -> &'static str {
        "addr"
    }
    fn json(&self, o: &mut super::json::Obj<'_>, view: &super::event::View<'_>) -> io::Result<()> {
        let addr = NlqAddr {
            link: view.links.get(self.index),
            addr: self,
            names: view.names,
        };
        Ok(addr.entries(o)?)
    }

    /// As `nlq addrs` words it: device, family, address/len, peer,
    /// broadcast, scope, flags, label.
    fn text(&self, view: &super::event::View<'_>) -> String {
        let a = self;
        let dev = view
            .links
            .name(a.index)
            .map_or_else(|| format!("if{}", a.index), str::to_string);
        let mut s = format!("{dev} {}", family_text(a.family));
        if let Some(l) = a.local {
            s.push_str(&format!(" {l}/{}", a.prefix_len));
        }
        if let Some(p) = a.peer {
            s.push_str(&format!(" peer {p}"));
        }
        if let Some(b) = a.broadcast {
            s.push_str(&format!(" brd {b}"));
        }
        s.push_str(&format!(" scope {}", scope_text(view.names, a.scope)));
        let flags: Vec<_> = a.flag_names().collect();
        if !flags.is_empty() {
            s.push_str(&format!(" flags {}", flags.join(",")));
        }
        if let Some(label) = &a.label {
            s.push_str(&format!(" label {label}"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::addr::CacheInfo;

    fn addr(family: u8, flags: u32) -> Addr {
        Addr {
            family,
            prefix_len: 64,
            scope: 0,
            index: 1,
            flags,
            local: Some("2001:db8::1".parse().unwrap()),
            peer: None,
            broadcast: None,
            anycast: None,
            label: None,
            cacheinfo: Some(CacheInfo {
                preferred: 0,
                valid: 200,
                created: 0,
                updated: 0,
            }),
            metric: None,
            proto: None,
        }
    }

    #[test]
    fn ip_flags_quirks() {
        let names = Names::builtin();
        let a = addr(AF_INET6, 0x01 | 0x02 | 0x20 | 0x1000);
        let v = serde_json::to_value(IpAddrInfo {
            addr: &a,
            names: &names,
        })
        .unwrap();
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "family",
                "local",
                "prefixlen",
                "scope",
                "temporary",
                "nodad",
                "deprecated",
                "dynamic",
                "ifa_flags",
                "valid_life_time",
                "preferred_life_time"
            ]
        );
        assert_eq!(v["ifa_flags"], "1000");
    }
}
