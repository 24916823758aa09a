//! Addresses, three ways: a table (one row per address), nlq's own JSON
//! (one flat object per address, docs/json.md `## addrs`) and the
//! `ip -j addr show` dialect (one object per link, addresses in
//! `addr_info`).
//!
//! The objects and the table rows are written with render::json's [`Obj`]
//! and render::stream's [`Cells`], as routes are: keys rendered at compile
//! time, addresses and names appended without `core::fmt`. An `ip -j addr`
//! object is render::link's `IpLink` with its `addr_info` from
//! [`ip_addr_info`].

use std::borrow::Cow;
use std::io::{self, Write};

// The serde form of an `addr_info` entry, kept as the unit tests'
// reference for ip_addr_info.
#[cfg(test)]
use serde::{Serialize, Serializer, ser::SerializeMap};

use super::json::{JsonObject, Key, Obj, key};
use super::link::{IpLink, LinkCtx};
use super::stream::{Cells, Column, Paint, TableView, TableWriter};
use super::text::{Cidr, FastIp, NameOr, family_text, push_decimal};
use super::{Dialect, Format, JsonArray};
use crate::model::addr::{
    Addr, Grouped, IFA_F_DEPRECATED, IFA_F_PERMANENT, IFA_F_SECONDARY, INFINITY_LIFE_TIME, finite,
    proto_name,
};
use crate::model::link::Link;
use crate::model::{AF_INET, AF_INET6};
use crate::names::Names;

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
                array.push_object(&NlqAddr {
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
                array.push_object(&IpLink {
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

/// One row per address, in `grouped`'s order, each written into one
/// reused buffer of cells.
fn addr_table(
    out: &mut dyn Write,
    view: TableView,
    names: &Names,
    grouped: &Grouped<'_>,
) -> io::Result<()> {
    let mut t = TableWriter::new(out, &COLUMNS, view);
    let mut cells = Cells::new();
    for (link, a) in grouped.flat() {
        fill_row(link, a, names, &mut cells);
        t.push(&cells.strs())?;
    }
    t.finish()
}

/// One row's cells, in [`COLUMNS`]' order.
fn fill_row(link: Option<&Link>, a: &Addr, names: &Names, c: &mut Cells<9>) {
    c.clear();
    match link {
        Some(l) => c.push_str(&l.name),
        None => {
            c.push_str("if");
            push_decimal(c.bytes(), a.index);
        }
    }
    c.end();
    c.push(family_text(a.family));
    c.end();
    if let Some(l) = a.local {
        c.push(FastIp(l));
        if let Some(p) = a.peer {
            c.push_str(" peer ");
            c.push(FastIp(p));
        }
        c.push_str("/");
        push_decimal(c.bytes(), a.prefix_len);
    }
    c.end();
    if let Some(b) = a.broadcast {
        c.push(FastIp(b));
    }
    c.end();
    c.push(NameOr(names.scopes.name(a.scope.into()), a.scope.into()));
    c.end();
    for (i, flag) in a.flag_names().enumerate() {
        if i > 0 {
            c.push_str(",");
        }
        c.push(flag);
    }
    c.end();
    c.push_str(a.label.as_deref().unwrap_or_default());
    c.end();
    for lifetime in [
        a.cacheinfo.map(|c| c.valid),
        a.cacheinfo.map(|c| c.preferred),
    ] {
        match lifetime.map(finite) {
            Some(Some(secs)) => {
                push_decimal(c.bytes(), secs);
                c.push_str("s");
            }
            Some(None) => c.push_str("forever"),
            None => {}
        }
        c.end();
    }
}

/// `rtnl_rtscope_n2a`: the configured name, else the number as a string.
fn scope_text(names: &Names, scope: u8) -> Cow<'_, str> {
    names
        .scopes
        .name(scope.into())
        .map_or_else(|| scope.to_string().into(), Cow::Borrowed)
}

/// `"key": n`, or `"key": null` for `None`.
fn number(m: &mut Obj<'_>, key: Key, n: Option<u32>) {
    m.raw(key, |out| match n {
        Some(n) => push_decimal(out, n),
        None => out.extend_from_slice(b"null"),
    });
}

/// An address in nlq's own schema (docs/json.md, `## addrs`).
struct NlqAddr<'a> {
    link: Option<&'a Link>,
    addr: &'a Addr,
    names: &'a Names,
}

impl JsonObject for NlqAddr<'_> {
    fn fields(&self, m: &mut Obj<'_>) -> io::Result<()> {
        let a = self.addr;
        number(m, key!("index"), Some(a.index));
        m.fast(key!("dev"), self.link.map(|l| l.name.as_str()))?;
        m.fast(key!("family"), Some(family_text(a.family)))?;
        m.fast(key!("cidr"), a.local.map(|l| Cidr(l, a.prefix_len)))?;
        m.fast(key!("local"), a.local.map(FastIp))?;
        m.fast(key!("peer"), a.peer.map(FastIp))?;
        number(m, key!("prefix_len"), Some(a.prefix_len.into()));
        m.fast(key!("broadcast"), a.broadcast.map(FastIp))?;
        m.fast(key!("anycast"), a.anycast.map(FastIp))?;
        m.fast(key!("scope"), self.names.scopes.name(a.scope.into()))?;
        number(m, key!("scope_id"), Some(a.scope.into()));
        m.fast_list(key!("flags"), a.flag_names())?;
        m.fast(key!("label"), a.label.as_deref())?;
        let ci = a.cacheinfo;
        number(m, key!("valid_lft"), ci.and_then(|c| finite(c.valid)));
        number(
            m,
            key!("preferred_lft"),
            ci.and_then(|c| finite(c.preferred)),
        );
        number(m, key!("metric"), a.metric);
        m.fast(key!("proto"), a.proto.and_then(proto_name))?;
        number(m, key!("proto_id"), a.proto.map(u32::from));
        Ok(())
    }
}

#[cfg(test)]
/// One entry of `addr_info`, as `ip -j addr` prints it.
pub(super) struct IpAddrInfo<'a> {
    pub(super) addr: &'a Addr,
    pub(super) names: &'a Names,
}

/// `print_ifa_flags`'s table: `(mask, key)`, walked in order, each mask
/// cleared after its row. Bit 0x01 is "temporary" on IPv6; a clear
/// IFA_F_PERMANENT prints "dynamic".
const IP_FLAGS: [(u32, &str, Key); 13] = [
    (0x01, "secondary", key!("secondary")),
    (0x01, "temporary", key!("temporary")),
    (0x02, "nodad", key!("nodad")),
    (0x04, "optimistic", key!("optimistic")),
    (0x08, "dadfailed", key!("dadfailed")),
    (0x10, "home", key!("home")),
    (0x20, "deprecated", key!("deprecated")),
    (0x40, "tentative", key!("tentative")),
    (0x80, "permanent", key!("permanent")),
    (0x100, "mngtmpaddr", key!("mngtmpaddr")),
    (0x200, "noprefixroute", key!("noprefixroute")),
    (0x400, "autojoin", key!("autojoin")),
    (0x800, "stable-privacy", key!("stable-privacy")),
];

/// One entry of `addr_info` into the open object `m`: the keys of
/// [`IpAddrInfo`]'s `Serialize`, in its order, written with [`Obj`].
pub(crate) fn ip_addr_info(m: &mut Obj<'_>, a: &Addr, names: &Names) -> io::Result<()> {
    match ip_family(a.family) {
        Some(name) => m.fast(key!("family"), Some(name))?,
        None => number(m, key!("family_index"), Some(a.family.into())),
    }
    if let Some(local) = a.local {
        m.fast(key!("local"), Some(FastIp(local)))?;
        if let Some(peer) = a.peer {
            m.fast(key!("address"), Some(FastIp(peer)))?;
        }
        number(m, key!("prefixlen"), Some(a.prefix_len.into()));
        if let Some(metric) = a.metric {
            number(m, key!("metric"), Some(metric));
        }
    }
    if let Some(b) = a.broadcast {
        m.fast(key!("broadcast"), Some(FastIp(b)))?;
    }
    if let Some(b) = a.anycast {
        m.fast(key!("anycast"), Some(FastIp(b)))?;
    }
    let scope = u32::from(a.scope);
    m.fast(key!("scope"), Some(NameOr(names.scopes.name(scope), scope)))?;
    let mut flags = a.flags;
    for (mask, _, key) in IP_FLAGS {
        let set = flags & mask != 0;
        if mask == IFA_F_PERMANENT && !set {
            m.raw(key!("dynamic"), |out| out.extend_from_slice(b"true"));
        } else if mask != IFA_F_PERMANENT && set {
            let v6_temp = mask == IFA_F_SECONDARY && a.family == AF_INET6;
            let key = if v6_temp { key!("temporary") } else { key };
            m.raw(key, |out| out.extend_from_slice(b"true"));
        }
        flags &= !mask;
    }
    if flags != 0 {
        m.text(key!("ifa_flags"), Some(format_args!("{flags:02x}")))?;
    }
    if let Some(label) = &a.label {
        m.fast(key!("label"), Some(label.as_str()))?;
    }
    if let Some(ci) = a.cacheinfo {
        number(m, key!("valid_life_time"), Some(ci.valid));
        if ci.preferred != INFINITY_LIFE_TIME && a.flags & IFA_F_DEPRECATED != 0 {
            m.entry(key!("preferred_life_time"), &(ci.preferred as i32))?;
        } else {
            number(m, key!("preferred_life_time"), Some(ci.preferred));
        }
    }
    Ok(())
}

#[cfg(test)]
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
#[cfg(test)]
fn ip_flags<M: SerializeMap>(a: &Addr, m: &mut M) -> Result<(), M::Error> {
    let mut flags = a.flags;
    for (mask, key, _) in IP_FLAGS {
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
        addr.fields(o)
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

    /// Addresses that take every branch of the writers: peers, labels
    /// (one that needs escaping), lifetimes finite, infinite and
    /// deprecated, unknown flag bits, an unknown family and scope,
    /// metric, protocol, anycast.
    fn variety() -> Vec<Addr> {
        let v4 = |s: &str| Some(s.parse().unwrap());
        let life = |preferred, valid| {
            Some(CacheInfo {
                preferred,
                valid,
                created: 1,
                updated: 2,
            })
        };
        let mut list = vec![addr(AF_INET6, 0x01 | 0x02 | 0x20 | 0x1000)];
        let mut a = addr(AF_INET, IFA_F_PERMANENT | IFA_F_SECONDARY);
        (a.local, a.peer, a.prefix_len) = (v4("10.9.9.1"), v4("10.9.9.2"), 32);
        (a.broadcast, a.label, a.metric) = (v4("10.9.9.255"), Some("v0:\"q".into()), Some(50));
        (a.cacheinfo, a.proto, a.scope) = (life(u32::MAX, u32::MAX), Some(2), 200);
        list.push(a.clone());
        (a.local, a.peer, a.anycast, a.cacheinfo) = (None, None, v4("10.0.0.9"), None);
        (a.family, a.proto, a.label, a.flags) = (7, Some(9), None, 0x20 | 0x4000);
        list.push(a);
        let mut b = addr(AF_INET6, IFA_F_DEPRECATED | 0x800 | 0x40 | 0x200);
        (b.cacheinfo, b.scope, b.index) = (life(5, 3600), 253, 7);
        list.push(b);
        list.push(addr(AF_INET, u32::MAX));
        list
    }

    /// The serde `Entries` of nlq's schema that [`NlqAddr`] replaced,
    /// kept as the reference it must match byte for byte.
    fn nlq_by_serde(link: Option<&Link>, a: &Addr, names: &Names) -> String {
        let flags: Vec<_> = a.flag_names().collect();
        let cidr = a.local.map(|l| Cidr(l, a.prefix_len).to_string());
        let v = serde_json::json!({
            "index": a.index,
            "dev": link.map(|l| &l.name),
            "family": family_text(a.family),
            "cidr": cidr,
            "local": a.local.map(|l| FastIp(l).to_string()),
            "peer": a.peer.map(|l| FastIp(l).to_string()),
            "prefix_len": a.prefix_len,
            "broadcast": a.broadcast.map(|l| FastIp(l).to_string()),
            "anycast": a.anycast.map(|l| FastIp(l).to_string()),
            "scope": names.scopes.name(a.scope.into()),
            "scope_id": a.scope,
            "flags": flags,
            "label": a.label,
            "valid_lft": a.cacheinfo.map(|c| finite(c.valid)),
            "preferred_lft": a.cacheinfo.map(|c| finite(c.preferred)),
            "metric": a.metric,
            "proto": a.proto.and_then(proto_name),
            "proto_id": a.proto,
        });
        v.to_string()
    }

    #[test]
    fn nlq_objects_are_what_serde_wrote() {
        let names = Names::builtin();
        let link = Link {
            name: "v\\0".into(),
            ..Link::default()
        };
        for a in &variety() {
            for link in [Some(&link), None] {
                let ours = NlqAddr {
                    link,
                    addr: a,
                    names: &names,
                };
                assert_eq!(ours.to_json(), nlq_by_serde(link, a, &names), "{a:?}");
            }
        }
    }

    #[test]
    fn ip_addr_info_is_what_serde_writes() {
        for names in [Names::builtin(), Names::numeric()] {
            for a in &variety() {
                let mut out = Vec::new();
                let mut o = Obj::begin(&mut out);
                ip_addr_info(&mut o, a, &names).unwrap();
                o.end();
                let serde = serde_json::to_string(&IpAddrInfo {
                    addr: a,
                    names: &names,
                })
                .unwrap();
                assert_eq!(String::from_utf8(out).unwrap(), serde, "{a:?}");
            }
        }
    }

    #[test]
    fn ip_links_with_addresses_are_what_ip_link_writes() {
        let list = variety();
        let addrs: Vec<&Addr> = list.iter().collect();
        let mut links = crate::model::link::Links::new();
        for (index, name) in [(1, "lo"), (7, "v\"0")] {
            links.push(Link {
                index,
                name: name.into(),
                mtu: Some(1500),
                altnames: vec!["alt".into()],
                ..Link::default()
            });
        }
        let (names, nsids) = (Names::builtin(), crate::netns::NsidNames::default());
        let ctx = LinkCtx {
            links: &links,
            names: &names,
            nsids: &nsids,
        };
        for link in links.iter() {
            for addrs in [&addrs[..], &addrs[..1], &[]] {
                let whole = IpLink {
                    link,
                    ctx: &ctx,
                    addrs: Some(addrs),
                };
                let serde = serde_json::to_string(&whole).unwrap();
                assert_eq!(whole.to_json(), serde);
            }
        }
    }

    /// The row `format!` and `join` wrote before the cells.
    fn row_by_format(link: Option<&Link>, a: &Addr, names: &Names) -> Vec<String> {
        let lifetime =
            |v: u32| finite(v).map_or_else(|| "forever".to_string(), |s| format!("{s}s"));
        let address = match (a.local, a.peer) {
            (Some(l), Some(p)) => format!("{} peer {}/{}", FastIp(l), FastIp(p), a.prefix_len),
            (Some(l), None) => format!("{}/{}", FastIp(l), a.prefix_len),
            (None, _) => String::new(),
        };
        let flags: Vec<_> = a.flag_names().collect();
        vec![
            link.map_or_else(|| format!("if{}", a.index), |l| l.name.clone()),
            family_text(a.family).into_owned(),
            address,
            a.broadcast
                .map(|b| FastIp(b).to_string())
                .unwrap_or_default(),
            scope_text(names, a.scope).into_owned(),
            flags.join(","),
            a.label.clone().unwrap_or_default(),
            a.cacheinfo.map(|c| lifetime(c.valid)).unwrap_or_default(),
            a.cacheinfo
                .map(|c| lifetime(c.preferred))
                .unwrap_or_default(),
        ]
    }

    #[test]
    fn table_cells_are_what_format_wrote() {
        let link = Link {
            name: "br0".into(),
            ..Link::default()
        };
        let mut cells = Cells::new();
        for names in [Names::builtin(), Names::numeric()] {
            for a in &variety() {
                for link in [Some(&link), None] {
                    fill_row(link, a, &names, &mut cells);
                    assert_eq!(cells.strs().to_vec(), row_by_format(link, a, &names));
                }
            }
        }
    }
}
