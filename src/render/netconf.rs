//! Per-device IP configuration, three ways from one [`Netconf`]: a table
//! (one row per device and family), nlq's own JSON (docs/json.md
//! `## netconf`) and the `ip -j netconf` dialect (iproute2 6.1's
//! `print_netconf`, key for key and in its order).

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::json::{Entries, entries_serialize};
use super::stream::{Column, Paint, TableWriter};
use super::{Dialect, Format, JsonArray};
use crate::model::neigh::AF_BRIDGE;
use crate::model::netconf::{Netconf, NetconfDev, on};
use crate::model::route::AF_MPLS;
use crate::model::{AF_INET, AF_INET6, LinkNames};

/// The family names `ip` prints (lib/utils.c `family_name`): `???` for a
/// family it does not know.
pub fn ip_family_name(family: u8) -> &'static str {
    match family {
        AF_INET => "inet",
        AF_INET6 => "inet6",
        AF_PACKET => "link",
        AF_MPLS => "mpls",
        AF_BRIDGE => "bridge",
        _ => "???",
    }
}

/// Packet sockets' family, which `ip` calls `link` (AF_PACKET).
const AF_PACKET: u8 = 17;

/// The device's name: `all` and `default` for the pseudo-devices, the
/// link's name, else `if<N>` (`ll_index_to_name`).
fn dev_name<'a>(dev: NetconfDev, links: &'a LinkNames) -> Cow<'a, str> {
    if let Some(p) = dev.pseudo_name() {
        return p.into();
    }
    let i = dev.to_i32();
    match u32::try_from(i).ok().and_then(|i| links.name(i)) {
        Some(n) => n.into(),
        None => format!("if{}", i as u32).into(),
    }
}

/// rp_filter by name, else its number (as `ip`'s text form prints it).
fn rp_filter_text(n: &Netconf) -> Option<Cow<'static, str>> {
    let v = n.rp_filter?;
    Some(match n.rp_filter_name() {
        Some(name) => name.into(),
        None => (v as u32).to_string().into(),
    })
}

/// Write `rows` in `format`, in the order given.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    links: &LinkNames,
    rows: &[Netconf],
) -> io::Result<()> {
    match format {
        Format::Table(view) => {
            let mut t = TableWriter::new(out, &COLUMNS, view);
            for n in rows {
                t.push(&row(n, links))?;
            }
            t.finish()
        }
        Format::Json(dialect) => {
            let mut array = JsonArray::new(out);
            for n in rows {
                match dialect {
                    Dialect::Nlq => array.push(&NlqNetconf { n, links })?,
                    Dialect::Ip => array.push(&IpNetconf { n, links })?,
                }
            }
            array.finish()
        }
    }
}

/// The table's columns, in order; [`row`] fills them in this order. The
/// settings a family lacks are empty cells.
pub const COLUMNS: [Column; 9] = [
    Column::new("FAMILY", "family"),
    Column::new("DEV", "dev").paint(Paint::Name),
    Column::new("FORWARDING", "forwarding"),
    Column::new("RP_FILTER", "rp_filter").hide_if(""),
    Column::new("MC_FORWARDING", "mc_forwarding").hide_if(""),
    Column::new("PROXY_NEIGH", "proxy_neigh").hide_if(""),
    Column::new("IGNORE_LINKDOWN", "ignore_routes_with_linkdown").hide_if(""),
    Column::new("BC_FORWARDING", "bc_forwarding").hide_if(""),
    Column::new("INPUT", "input").hide_if(""),
];

/// One table row: cells in [`COLUMNS`] order, `on`/`off` for settings.
pub fn row(n: &Netconf, links: &LinkNames) -> [String; COLUMNS.len()] {
    let onoff = |v: Option<i32>| {
        v.map_or("", |v| if on(v) { "on" } else { "off" })
            .to_string()
    };
    [
        ip_family_name(n.family).to_string(),
        n.dev()
            .map_or_else(String::new, |d| dev_name(d, links).into_owned()),
        onoff(n.forwarding),
        rp_filter_text(n).unwrap_or_default().into_owned(),
        onoff(n.mc_forwarding),
        onoff(n.proxy_neigh),
        onoff(n.ignore_routes_with_linkdown),
        onoff(n.bc_forwarding),
        onoff(n.input),
    ]
}

/// A configuration in nlq's own schema (docs/json.md, `## netconf`).
pub struct NlqNetconf<'a> {
    /// The configuration.
    pub n: &'a Netconf,
    /// Interface names.
    pub links: &'a LinkNames,
}

impl Entries for NlqNetconf<'_> {
    fn entries<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        let n = self.n;
        let flag = |v: Option<i32>| v.map(on);
        m.serialize_entry("family", ip_family_name(n.family))?;
        m.serialize_entry("dev", &n.dev().map(|d| dev_name(d, self.links)))?;
        m.serialize_entry("ifindex", &n.ifindex)?;
        m.serialize_entry("forwarding", &flag(n.forwarding))?;
        m.serialize_entry("rp_filter", &rp_filter_text(n))?;
        m.serialize_entry("mc_forwarding", &flag(n.mc_forwarding))?;
        m.serialize_entry("proxy_neigh", &flag(n.proxy_neigh))?;
        let linkdown = flag(n.ignore_routes_with_linkdown);
        m.serialize_entry("ignore_routes_with_linkdown", &linkdown)?;
        m.serialize_entry("bc_forwarding", &flag(n.bc_forwarding))?;
        m.serialize_entry("input", &flag(n.input))?;
        Ok(())
    }
}

entries_serialize!(NlqNetconf<'_>);

/// A configuration as `ip -j netconf` prints it: only what the kernel
/// sent, rp_filter by name (a number past `loose`), settings as booleans.
pub struct IpNetconf<'a> {
    /// The configuration.
    pub n: &'a Netconf,
    /// Interface names.
    pub links: &'a LinkNames,
}

impl Serialize for IpNetconf<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = self.n;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("family", ip_family_name(n.family))?;
        if let Some(d) = n.dev() {
            m.serialize_entry("interface", &dev_name(d, self.links))?;
        }
        if let Some(v) = n.forwarding {
            m.serialize_entry("forwarding", &on(v))?;
        }
        if let Some(v) = n.rp_filter {
            match n.rp_filter_name() {
                Some(name) => m.serialize_entry("rp_filter", name)?,
                None => m.serialize_entry("rp_filter", &(v as u32))?,
            }
        }
        let flags = [
            ("mc_forwarding", n.mc_forwarding),
            ("proxy_neigh", n.proxy_neigh),
            ("ignore_routes_with_linkdown", n.ignore_routes_with_linkdown),
            ("input", n.input),
        ];
        for (key, v) in flags {
            if let Some(v) = v {
                m.serialize_entry(key, &on(v))?;
            }
        }
        m.end()
    }
}

impl super::event::Shown for Netconf {
    fn kind(&self) -> &'static str {
        "netconf"
    }
    fn json(&self, o: &mut super::json::Obj<'_>, view: &super::event::View<'_>) -> io::Result<()> {
        let n = NlqNetconf {
            n: self,
            links: view.link_names,
        };
        Ok(n.entries(o)?)
    }
    fn text(&self, view: &super::event::View<'_>) -> String {
        super::event::labelled(&COLUMNS, &row(self, view.link_names))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v6() -> Netconf {
        Netconf {
            family: AF_INET6,
            ifindex: Some(3),
            forwarding: Some(1),
            proxy_neigh: Some(0),
            ..Netconf::default()
        }
    }

    fn links() -> LinkNames {
        let mut l = LinkNames::new();
        l.insert(3, "v0");
        l
    }

    #[test]
    fn ip_dialect_prints_only_what_was_sent() {
        let links = links();
        let v = serde_json::to_string(&IpNetconf {
            n: &v6(),
            links: &links,
        })
        .unwrap();
        assert_eq!(
            v,
            r#"{"family":"inet6","interface":"v0","forwarding":true,"proxy_neigh":false}"#
        );
        let mut n = v6();
        n.ifindex = Some(-2);
        n.rp_filter = Some(7);
        let v = serde_json::to_value(IpNetconf {
            n: &n,
            links: &links,
        })
        .unwrap();
        assert_eq!(
            (&v["interface"], &v["rp_filter"]),
            (&"default".into(), &7.into())
        );
    }

    #[test]
    fn nlq_json_is_total() {
        let links = links();
        let v = serde_json::to_value(NlqNetconf {
            n: &v6(),
            links: &links,
        })
        .unwrap();
        assert_eq!(v["dev"], "v0");
        assert_eq!(v["ifindex"], 3);
        assert_eq!(v["forwarding"], true);
        assert_eq!(v["rp_filter"], serde_json::Value::Null);
        assert_eq!(v.as_object().unwrap().len(), 10);
    }

    #[test]
    fn table_row() {
        let mut n = v6();
        n.ifindex = Some(9);
        n.rp_filter = Some(1);
        let r = row(&n, &links());
        assert_eq!(r[..5], ["inet6", "if9", "on", "strict", ""]);
        assert_eq!(r[5], "off");
    }
}
