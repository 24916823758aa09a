//! Multicast routing cache entries, three ways from one [`Mroute`]: a
//! table (a row per entry), nlq's own JSON (docs/json.md `## mroutes`) and
//! the `ip -j mroute show` dialect (iproute2 6.1's `print_mroute`, key
//! for key and in its order).

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};

use super::nexthop::IpTime;
use super::stream::{Column, Paint, TableWriter};
use super::text::FastIp;
use super::{Dialect, Format, JsonArray};
use crate::model::LinkNames;
use crate::model::mroute::{MfcStats, Mroute, RT_TABLE_MAIN, RTNH_F_OFFLOAD, RTNL_FAMILY_IP6MR};
use crate::names::Names;

/// What the renderer needs besides the entries.
pub struct Context<'a> {
    /// Interface names.
    pub links: &'a LinkNames,
    /// Table names (`-N`: none).
    pub names: &'a Names,
    /// `-s`: counters and age in the table and the ip dialect.
    pub stats: bool,
    /// Every table was asked for: ip then names a table other than main.
    pub all_tables: bool,
}

/// Write `list` in `format`, in the kernel's order.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    cx: &Context<'_>,
    list: &[Mroute],
) -> io::Result<()> {
    match format {
        Format::Table(view) => {
            let mut t = TableWriter::new(out, &COLUMNS, view);
            for m in list {
                t.push(&row(m, cx))?;
            }
            t.finish()
        }
        Format::Json(dialect) => {
            let mut array = JsonArray::new(out);
            for m in list {
                match dialect {
                    Dialect::Nlq => array.push(&NlqMroute { m, cx })?,
                    Dialect::Ip => array.push(&IpMroute { m, cx })?,
                }
            }
            array.finish()
        }
    }
}

/// An interface's name as ip gives it (`ll_index_to_name`): `*` for 0,
/// `if<N>` for an index not in the link dump.
fn dev(index: u32, links: &LinkNames) -> String {
    match (index, links.name(index)) {
        (0, _) => "*".to_string(),
        (_, Some(n)) => n.to_string(),
        (i, None) => format!("if{i}"),
    }
}

/// The table's name or number (`rtnl_rttable_n2a`).
fn table_name(id: u32, names: &Names) -> String {
    names
        .tables
        .name(id)
        .map_or_else(|| id.to_string(), str::to_string)
}

/// An address, or `unknown` as ip prints a missing one.
fn addr(a: Option<std::net::IpAddr>) -> String {
    a.map_or_else(|| "unknown".to_string(), |a| FastIp(a).to_string())
}

/// The table's columns, in order; [`row`] fills them in this order.
pub const COLUMNS: [Column; 10] = [
    Column::new("SOURCE", "src").paint(Paint::Addr),
    Column::new("GROUP", "dst").paint(Paint::Addr),
    Column::new("IIF", "iif").paint(Paint::Name),
    Column::new("OIFS", "oifs"),
    Column::new("STATE", "state"),
    Column::new("TABLE", "table").hide_if(""),
    Column::new("PACKETS", "packets").hide_if(""),
    Column::new("BYTES", "bytes").hide_if(""),
    Column::new("WRONG_IF", "wrong_if").hide_if(""),
    Column::new("AGE", "last_use").hide_if(""),
];

/// One table row: cells in [`COLUMNS`] order; counters only with `-s`.
pub fn row(m: &Mroute, cx: &Context<'_>) -> [String; COLUMNS.len()] {
    let oifs: Vec<String> = m
        .oifs
        .iter()
        .map(|o| match o.ttl {
            0 | 1 => dev(o.ifindex, cx.links),
            ttl => format!("{}(ttl {ttl})", dev(o.ifindex, cx.links)),
        })
        .collect();
    let stats = m.stats.filter(|_| cx.stats);
    let age = m.lastuse.filter(|_| cx.stats);
    [
        addr(m.src),
        addr(m.dst),
        m.iif
            .map_or_else(|| "unresolved".into(), |i| dev(i, cx.links)),
        oifs.join(" "),
        state(m).to_string(),
        show_table(m, cx)
            .map(|t| table_name(t, cx.names))
            .unwrap_or_default(),
        stats.map(|s| s.packets.to_string()).unwrap_or_default(),
        stats.map(|s| s.bytes.to_string()).unwrap_or_default(),
        stats.map(|s| s.wrong_if.to_string()).unwrap_or_default(),
        age.map(|t| format!("{:.2}", t as f64 / 100.0))
            .unwrap_or_default(),
    ]
}

fn state(m: &Mroute) -> &'static str {
    if m.unresolved() {
        "unresolved"
    } else {
        "resolved"
    }
}

/// The table ip names: only when every table was asked for, and not main.
fn show_table(m: &Mroute, cx: &Context<'_>) -> Option<u32> {
    (cx.all_tables && m.table != 0 && m.table != RT_TABLE_MAIN).then_some(m.table)
}

/// An entry in nlq's own schema (docs/json.md, `## mroutes`).
pub struct NlqMroute<'a> {
    /// The entry.
    pub m: &'a Mroute,
    /// Names and options.
    pub cx: &'a Context<'a>,
}

/// One output interface in nlq's schema.
struct NlqOif<'a>(u32, u8, &'a LinkNames);

impl Serialize for NlqOif<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut o = s.serialize_struct("Oif", 3)?;
        o.serialize_field("dev", &dev(self.0, self.2))?;
        o.serialize_field("ifindex", &self.0)?;
        o.serialize_field("ttl", &self.1)?;
        o.end()
    }
}

impl Serialize for NlqMroute<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (m, cx) = (self.m, self.cx);
        let mut o = s.serialize_struct("Mroute", 14)?;
        let family = if m.family == RTNL_FAMILY_IP6MR {
            "inet6"
        } else {
            "inet"
        };
        o.serialize_field("family", family)?;
        o.serialize_field("table", &m.table)?;
        o.serialize_field("table_name", &cx.names.tables.name(m.table))?;
        o.serialize_field("src", &m.src.map(FastIp))?;
        o.serialize_field("dst", &m.dst.map(FastIp))?;
        o.serialize_field("iif", &m.iif.map(|i| dev(i, cx.links)))?;
        o.serialize_field("iif_index", &m.iif)?;
        let oifs: Vec<NlqOif<'_>> = m
            .oifs
            .iter()
            .map(|h| NlqOif(h.ifindex, h.ttl, cx.links))
            .collect();
        o.serialize_field("oifs", &oifs)?;
        o.serialize_field("state", state(m))?;
        o.serialize_field("offload", &(m.flags & RTNH_F_OFFLOAD != 0))?;
        o.serialize_field("packets", &m.stats.map(|s| s.packets))?;
        o.serialize_field("bytes", &m.stats.map(|s| s.bytes))?;
        o.serialize_field("wrong_if", &m.stats.map(|s| s.wrong_if))?;
        o.serialize_field("last_use", &m.lastuse.map(|t| t as f64 / 100.0))?;
        o.end()
    }
}

/// An entry as `ip -j mroute show` prints it.
pub struct IpMroute<'a> {
    /// The entry.
    pub m: &'a Mroute,
    /// Names and options.
    pub cx: &'a Context<'a>,
}

/// One output interface as ip prints it: `ttl` only above 1.
struct IpOif(String, u8);

impl Serialize for IpOif {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut o = s.serialize_map(None)?;
        o.serialize_entry("oif", &self.0)?;
        if self.1 > 1 {
            o.serialize_entry("ttl", &self.1)?;
        }
        o.end()
    }
}

impl Serialize for IpMroute<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (m, cx) = (self.m, self.cx);
        let mut o = s.serialize_map(None)?;
        o.serialize_entry("src", &addr(m.src))?;
        o.serialize_entry("dst", &addr(m.dst))?;
        let iif = m
            .iif
            .map_or_else(|| "unresolved".into(), |i| dev(i, cx.links));
        o.serialize_entry("iif", &iif)?;
        if m.has_oifs {
            let oifs: Vec<IpOif> = m
                .oifs
                .iter()
                .map(|h| IpOif(dev(h.ifindex, cx.links), h.ttl))
                .collect();
            o.serialize_entry("multipath", &oifs)?;
        }
        o.serialize_entry("state", state(m))?;
        if m.flags & RTNH_F_OFFLOAD != 0 {
            o.serialize_entry("offload", &())?;
        }
        if let Some(s) = m.stats.filter(|_| cx.stats) {
            ip_stats(&mut o, &s)?;
        }
        if let Some(t) = m.lastuse.filter(|_| cx.stats) {
            // ip's __jiffies_to_tv and %g, as for nexthop group timers.
            o.serialize_entry("expires", &IpTime(t))?;
        }
        if let Some(t) = show_table(m, cx) {
            o.serialize_entry("table", &table_name(t, cx.names))?;
        }
        o.end()
    }
}

/// `-s` counters as ip prints them: `wrong_if` only when not 0.
fn ip_stats<M: SerializeMap>(o: &mut M, s: &MfcStats) -> Result<(), M::Error> {
    o.serialize_entry("packets", &s.packets)?;
    o.serialize_entry("bytes", &s.bytes)?;
    if s.wrong_if != 0 {
        o.serialize_entry("wrong_if", &s.wrong_if)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::mroute::{MfcStats, Oif};

    fn entry() -> Mroute {
        Mroute {
            family: 128,
            table: 253,
            src: Some("10.0.0.1".parse().unwrap()),
            dst: Some("239.1.2.3".parse().unwrap()),
            iif: Some(2),
            has_oifs: true,
            oifs: vec![Oif { ifindex: 3, ttl: 1 }, Oif { ifindex: 9, ttl: 4 }],
            stats: Some(MfcStats {
                packets: 5,
                bytes: 336,
                wrong_if: 0,
            }),
            lastuse: Some(1234),
            ..Mroute::default()
        }
    }

    fn links() -> LinkNames {
        let mut l = LinkNames::new();
        l.insert(2, "v0");
        l.insert(3, "v1");
        l
    }

    #[test]
    fn ip_dialect_in_ips_order() {
        let (links, names) = (links(), Names::builtin());
        let cx = Context {
            links: &links,
            names: &names,
            stats: true,
            all_tables: true,
        };
        let v = serde_json::to_string(&IpMroute {
            m: &entry(),
            cx: &cx,
        })
        .unwrap();
        assert_eq!(
            v,
            r#"{"src":"10.0.0.1","dst":"239.1.2.3","iif":"v0","multipath":[{"oif":"v1"},{"oif":"if9","ttl":4}],"state":"resolved","packets":5,"bytes":336,"expires":12.34,"table":"default"}"#
        );
        let cx = Context {
            stats: false,
            all_tables: false,
            ..cx
        };
        let mut unresolved = entry();
        unresolved.iif = None;
        unresolved.flags = 32;
        let v = serde_json::to_string(&IpMroute {
            m: &unresolved,
            cx: &cx,
        })
        .unwrap();
        assert!(
            v.contains(r#""iif":"unresolved""#) && v.ends_with(r#""state":"unresolved"}"#),
            "{v}"
        );
    }

    #[test]
    fn ages_print_as_ips_percent_g_does() {
        let json = |t| serde_json::to_string(&IpTime(t)).unwrap();
        assert_eq!(json(1234), "12.34");
        assert_eq!(json(500), "5");
        // ip prints 1.23457e+06: the same JSON number.
        assert_eq!(json(123_456_789), "1234570.0");
    }

    #[test]
    fn nlq_json_and_row() {
        let (links, names) = (links(), Names::builtin());
        let cx = Context {
            links: &links,
            names: &names,
            stats: false,
            all_tables: false,
        };
        let v = serde_json::to_value(NlqMroute {
            m: &entry(),
            cx: &cx,
        })
        .unwrap();
        assert_eq!(v["table_name"], "default");
        assert_eq!(v["oifs"][1]["dev"], "if9");
        assert_eq!(v["last_use"], 12.34);
        let r = row(&entry(), &cx);
        assert_eq!(
            r[..6],
            [
                "10.0.0.1",
                "239.1.2.3",
                "v0",
                "v1 if9(ttl 4)",
                "resolved",
                ""
            ]
        );
        assert_eq!(r[6], "");
    }
}
