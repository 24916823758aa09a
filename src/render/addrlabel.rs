//! IPv6 address labels, three ways from one [`AddrLabel`]: a table (one
//! row per policy entry), nlq's own JSON (docs/json.md `## addrlabels`) and
//! the `ip -j addrlabel` dialect (iproute2 6.1's `print_addrlabel`, key for
//! key and in its order).

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};

use super::netconf::ip_family_name;
use super::stream::{Column, Paint, TableWriter};
use super::text::{Cidr, FastIp, Str};
use super::{Dialect, Format, JsonArray};
use crate::model::LinkNames;
use crate::model::addrlabel::AddrLabel;

/// Write `labels` in `format`, in the order given.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    links: &LinkNames,
    labels: &[AddrLabel],
) -> io::Result<()> {
    match format {
        Format::Table(view) => {
            let mut t = TableWriter::new(out, &COLUMNS, view);
            for l in labels {
                t.push(&row(l, links))?;
            }
            t.finish()
        }
        Format::Json(dialect) => {
            let mut array = JsonArray::new(out);
            for l in labels {
                match dialect {
                    Dialect::Nlq => array.push(&NlqAddrLabel { l, links })?,
                    Dialect::Ip => array.push(&IpAddrLabel { l, links })?,
                }
            }
            array.finish()
        }
    }
}

/// The interface's name, `if<N>` for an index not in the link dump
/// (`ll_index_to_name`); `None` for 0, every interface.
fn dev(index: u32, links: &LinkNames) -> Option<String> {
    match (index, links.name(index)) {
        (0, _) => None,
        (_, Some(n)) => Some(n.to_string()),
        (i, None) => Some(format!("if{i}")),
    }
}

/// The table's columns, in order; [`row`] fills them in this order.
pub const COLUMNS: [Column; 3] = [
    Column::new("PREFIX", "prefix").paint(Paint::Addr),
    Column::new("DEV", "dev").hide_if("").paint(Paint::Name),
    Column::new("LABEL", "label"),
];

/// One table row: cells in [`COLUMNS`] order, empty where there is nothing.
pub fn row(l: &AddrLabel, links: &LinkNames) -> [String; COLUMNS.len()] {
    [
        l.address
            .map_or_else(String::new, |a| Cidr(a, l.prefixlen).to_string()),
        dev(l.ifindex, links).unwrap_or_default(),
        l.label.map_or_else(String::new, |v| v.to_string()),
    ]
}

/// A label in nlq's own schema (docs/json.md, `## addrlabels`).
pub struct NlqAddrLabel<'a> {
    /// The entry.
    pub l: &'a AddrLabel,
    /// Interface names.
    pub links: &'a LinkNames,
}

impl Serialize for NlqAddrLabel<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let l = self.l;
        let mut m = s.serialize_struct("AddrLabel", 7)?;
        m.serialize_field("family", ip_family_name(l.family))?;
        let prefix = l.address.map(|a| Str(Cidr(a, l.prefixlen)));
        m.serialize_field("prefix", &prefix)?;
        m.serialize_field("address", &l.address.map(FastIp))?;
        m.serialize_field("prefixlen", &l.prefixlen)?;
        m.serialize_field("dev", &dev(l.ifindex, self.links))?;
        m.serialize_field("ifindex", &(l.ifindex != 0).then_some(l.ifindex))?;
        m.serialize_field("label", &l.label)?;
        m.end()
    }
}

/// A label as `ip -j addrlabel` prints it: the address and its length
/// only when the kernel sent the address, `ifname` only for a bound entry.
pub struct IpAddrLabel<'a> {
    /// The entry.
    pub l: &'a AddrLabel,
    /// Interface names.
    pub links: &'a LinkNames,
}

impl Serialize for IpAddrLabel<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let l = self.l;
        let mut m = s.serialize_map(None)?;
        if let Some(a) = l.address {
            m.serialize_entry("address", &FastIp(a))?;
            m.serialize_entry("prefixlen", &l.prefixlen)?;
        }
        if let Some(name) = dev(l.ifindex, self.links) {
            m.serialize_entry("ifname", &name)?;
        }
        if let Some(v) = l.label {
            m.serialize_entry("label", &v)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AF_INET6;

    fn entry() -> AddrLabel {
        AddrLabel {
            family: AF_INET6,
            prefixlen: 48,
            ifindex: 3,
            address: Some("2001:db8::".parse().unwrap()),
            label: Some(100),
            ..AddrLabel::default()
        }
    }

    fn links() -> LinkNames {
        let mut l = LinkNames::new();
        l.insert(3, "v0");
        l
    }

    #[test]
    fn ip_dialect_in_ips_order() {
        let links = links();
        let v = serde_json::to_string(&IpAddrLabel {
            l: &entry(),
            links: &links,
        })
        .unwrap();
        assert_eq!(
            v,
            r#"{"address":"2001:db8::","prefixlen":48,"ifname":"v0","label":100}"#
        );
        let unbound = AddrLabel {
            ifindex: 0,
            address: None,
            ..entry()
        };
        let v = serde_json::to_string(&IpAddrLabel {
            l: &unbound,
            links: &links,
        })
        .unwrap();
        assert_eq!(v, r#"{"label":100}"#);
    }

    #[test]
    fn nlq_json_and_row() {
        let links = links();
        let v = serde_json::to_value(NlqAddrLabel {
            l: &entry(),
            links: &links,
        })
        .unwrap();
        assert_eq!(v["prefix"], "2001:db8::/48");
        assert_eq!((&v["dev"], &v["ifindex"]), (&"v0".into(), &3.into()));
        let unbound = AddrLabel {
            ifindex: 0,
            ..entry()
        };
        assert_eq!(row(&unbound, &links), ["2001:db8::/48", "", "100"]);
        let far = AddrLabel {
            ifindex: 9,
            ..entry()
        };
        assert_eq!(row(&far, &links)[1], "if9");
    }
}
