//! Multicast addresses, three ways from one list of [`Maddr`]: a table (a
//! row per address), nlq's own JSON (docs/json.md `## maddrs`: one flat
//! object per address) and the `ip -j maddr` dialect (iproute2 6.1's
//! `print_mlist`: one object per interface holding a `maddr` array, key
//! for key and in its order).

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};

use super::link::Colons;
use super::stream::{Column, Paint, TableWriter};
use super::text::{FastIp, Str};
use super::{Dialect, Format, JsonArray};
use crate::model::maddr::{Group, Maddr};

/// Write `list` (in ip's order, [`crate::model::maddr::merge`]) in `format`.
pub fn write(out: &mut dyn Write, format: Format, list: &[Maddr]) -> io::Result<()> {
    match format {
        Format::Table(view) => {
            let mut t = TableWriter::new(out, &COLUMNS, view);
            for m in list {
                t.push(&row(m))?;
            }
            t.finish()
        }
        Format::Json(Dialect::Nlq) => {
            let mut array = JsonArray::new(out);
            for m in list {
                array.push(&NlqMaddr(m))?;
            }
            array.finish()
        }
        Format::Json(Dialect::Ip) => {
            let mut array = JsonArray::new(out);
            for group in list.chunk_by(|a, b| a.ifindex == b.ifindex) {
                array.push(&IpLink(group))?;
            }
            array.finish()
        }
    }
}

/// The family's name as ip and nlq spell it (`family_name`).
fn family(g: &Group) -> &'static str {
    match g {
        Group::Link(_) => "link",
        Group::Inet(_) => "inet",
        Group::Inet6(_) => "inet6",
    }
}

/// The address as text: colon-separated hex for link-layer ones
/// (`ll_addr_n2a` with no hardware type).
struct Address<'a>(&'a Group);

impl std::fmt::Display for Address<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Group::Link(b) => Colons(b).fmt(f),
            Group::Inet(a) => FastIp((*a).into()).fmt(f),
            Group::Inet6(a) => FastIp((*a).into()).fmt(f),
        }
    }
}

/// The table's columns, in order; [`row`] fills them in this order.
pub const COLUMNS: [Column; 5] = [
    Column::new("DEV", "dev").paint(Paint::Name),
    Column::new("FAMILY", "family"),
    Column::new("ADDRESS", "address").paint(Paint::Addr),
    Column::new("USERS", "users"),
    Column::new("STATIC", "static").hide_if(""),
];

/// One table row: cells in [`COLUMNS`] order.
pub fn row(m: &Maddr) -> [String; COLUMNS.len()] {
    [
        m.ifname.clone(),
        family(&m.group).to_string(),
        Address(&m.group).to_string(),
        m.users.to_string(),
        if m.is_static { "static" } else { "" }.to_string(),
    ]
}

/// An address in nlq's own schema (docs/json.md, `## maddrs`).
pub struct NlqMaddr<'a>(pub &'a Maddr);

impl Serialize for NlqMaddr<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.0;
        let mut o = s.serialize_struct("Maddr", 6)?;
        o.serialize_field("ifindex", &m.ifindex)?;
        o.serialize_field("dev", &m.ifname)?;
        o.serialize_field("family", family(&m.group))?;
        o.serialize_field("address", &Str(Address(&m.group)))?;
        o.serialize_field("users", &m.users)?;
        o.serialize_field("static", &m.is_static)?;
        o.end()
    }
}

/// One interface's addresses as `ip -j maddr` prints them.
struct IpLink<'a>(&'a [Maddr]);

impl Serialize for IpLink<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut o = s.serialize_map(None)?;
        if let Some(first) = self.0.first() {
            o.serialize_entry("ifindex", &first.ifindex)?;
            o.serialize_entry("ifname", &first.ifname)?;
        }
        let entries: Vec<IpMaddr<'_>> = self.0.iter().map(IpMaddr).collect();
        o.serialize_entry("maddr", &entries)?;
        o.end()
    }
}

/// One address inside ip's `maddr` array (`print_maddr`): `link` for a
/// link-layer one, `family` and `address` for the others; `users` only
/// when not 1, `features` only for a static entry.
struct IpMaddr<'a>(&'a Maddr);

impl Serialize for IpMaddr<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.0;
        let mut o = s.serialize_map(None)?;
        match &m.group {
            g @ Group::Link(_) => o.serialize_entry("link", &Str(Address(g)))?,
            g => {
                o.serialize_entry("family", family(g))?;
                o.serialize_entry("address", &Str(Address(g)))?;
            }
        }
        if m.users != 1 {
            o.serialize_entry("users", &m.users)?;
        }
        if m.is_static {
            o.serialize_entry("features", "static")?;
        }
        o.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::maddr::{merge, parse_dev_mcast, parse_igmp6};

    fn list() -> Vec<Maddr> {
        let links = "3 v0 1 1 333300000042\n2 v1 1 0 01005e000001\n";
        let v6 = "3 v0 ff020000000000000000000000000001 2 0000000C 0\n";
        merge(vec![
            parse_dev_mcast(links).unwrap(),
            parse_igmp6(v6).unwrap(),
        ])
    }

    #[test]
    fn ip_dialect_groups_by_interface_in_ips_order() {
        let mut out = Vec::new();
        write(&mut out, Format::Json(Dialect::Ip), &list()).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            v.to_string(),
            r#"[{"ifindex":2,"ifname":"v1","maddr":[{"link":"01:00:5e:00:00:01"}]},{"ifindex":3,"ifname":"v0","maddr":[{"link":"33:33:00:00:00:42","features":"static"},{"family":"inet6","address":"ff02::1","users":2}]}]"#
        );
    }

    #[test]
    fn nlq_json_and_row() {
        let l = list();
        let v = serde_json::to_value(NlqMaddr(&l[2])).unwrap();
        assert_eq!(
            v.to_string(),
            r#"{"ifindex":3,"dev":"v0","family":"inet6","address":"ff02::1","users":2,"static":false}"#
        );
        assert_eq!(
            row(&l[1]),
            ["v0", "link", "33:33:00:00:00:42", "1", "static"]
        );
    }
}
