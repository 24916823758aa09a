//! Bridge VLANs, three ways from [`PortVlans`]: a table (one row per VLAN
//! or range of a port), nlq's own JSON (docs/json.md `## vlans`) and the
//! `bridge -j vlan show` dialect (iproute2 6.1's `print_vlan_info`, key for
//! key and in its order, with `print_vlan_tunnel_info`'s `tunnels` added).

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};

use super::stream::{Column, Paint, TableWriter};
use super::{Dialect, Format, JsonArray};
use crate::model::LinkNames;
use crate::model::bridge_vlan::{PortVlans, TunnelRange, VlanRange};

/// Write `ports` in `format`, in the order given.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    links: &LinkNames,
    ports: &[PortVlans],
) -> io::Result<()> {
    match format {
        Format::Table(view) => {
            let mut t = TableWriter::new(out, &COLUMNS, view);
            for p in ports {
                for v in &p.vlans {
                    t.push(&row(p, v, links))?;
                }
            }
            t.finish()
        }
        Format::Json(dialect) => {
            let mut array = JsonArray::new(out);
            for p in ports {
                match dialect {
                    Dialect::Nlq => array.push(&NlqPortVlans { p, links })?,
                    Dialect::Ip => array.push(&IpPortVlans { p, links })?,
                }
            }
            array.finish()
        }
    }
}

/// The port's name: from its own message, else the link dump, else
/// `if<N>` (as `ll_index_to_name`).
fn port_name(p: &PortVlans, links: &LinkNames) -> String {
    p.name
        .clone()
        .or_else(|| links.name(p.ifindex).map(str::to_string))
        .unwrap_or_else(|| format!("if{}", p.ifindex))
}

/// A VLAN or range as `bridge` writes it: `10` or `10-12`.
fn range_text(start: u32, end: u32) -> String {
    if start == end {
        start.to_string()
    } else {
        format!("{start}-{end}")
    }
}

/// The table's columns, in order; [`row`] fills them in this order.
pub const COLUMNS: [Column; 5] = [
    Column::new("DEV", "dev").paint(Paint::Name),
    Column::new("VLAN", "vid"),
    Column::new("PVID", "pvid").hide_if(""),
    Column::new("UNTAGGED", "untagged").hide_if(""),
    Column::new("TUNNEL", "tunnel_id").hide_if(""),
];

/// One table row for VLAN (range) `v` of port `p`; TUNNEL is the tunnel
/// id a single VLAN maps to.
pub fn row(p: &PortVlans, v: &VlanRange, links: &LinkNames) -> [String; COLUMNS.len()] {
    let tunnel = (v.vid == v.vid_end)
        .then(|| p.tunnels.iter().find_map(|t| t.id_of(v.vid)))
        .flatten();
    [
        port_name(p, links),
        range_text(v.vid.into(), v.vid_end.into()),
        if v.pvid() { "pvid" } else { "" }.to_string(),
        if v.untagged() { "untagged" } else { "" }.to_string(),
        tunnel.map_or_else(String::new, |id| id.to_string()),
    ]
}

/// A port in nlq's own schema (docs/json.md, `## vlans`).
pub struct NlqPortVlans<'a> {
    /// The port.
    pub p: &'a PortVlans,
    /// Interface names, for the master.
    pub links: &'a LinkNames,
}

impl Serialize for NlqPortVlans<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let p = self.p;
        let mut m = s.serialize_struct("PortVlans", 6)?;
        m.serialize_field("dev", &port_name(p, self.links))?;
        m.serialize_field("ifindex", &p.ifindex)?;
        let master = p.master.map(|i| {
            self.links
                .name(i)
                .map_or_else(|| format!("if{i}"), str::to_string)
        });
        m.serialize_field("master", &master)?;
        let vlans: Vec<_> = p.vlans.iter().map(NlqVlan).collect();
        m.serialize_field("vlans", &vlans)?;
        let tunnels: Vec<_> = p.tunnels.iter().map(NlqTunnel).collect();
        m.serialize_field("tunnels", &tunnels)?;
        m.end()
    }
}

/// The keys of a VLAN in nlq's schema that only `--details` fills in.
const DETAIL_KEYS: [&str; 7] = [
    "state",
    "mcast_router",
    "tunnel_id",
    "rx_bytes",
    "rx_packets",
    "tx_bytes",
    "tx_packets",
];

/// One VLAN range in nlq's schema.
struct NlqVlan<'a>(&'a VlanRange);

impl Serialize for NlqVlan<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        let mut m = s.serialize_struct("Vlan", 11)?;
        m.serialize_field("vid", &v.vid)?;
        m.serialize_field("vid_end", &v.vid_end)?;
        m.serialize_field("pvid", &v.pvid())?;
        m.serialize_field("untagged", &v.untagged())?;
        // What only the VLAN database says (`--details`, render/vlan_db.rs).
        for key in DETAIL_KEYS {
            m.serialize_field(key, &None::<u8>)?;
        }
        m.end()
    }
}

/// One tunnel mapping in nlq's schema.
pub(super) struct NlqTunnel<'a>(pub(super) &'a TunnelRange);

impl Serialize for NlqTunnel<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        let mut m = s.serialize_struct("Tunnel", 4)?;
        m.serialize_field("vid", &t.vid)?;
        m.serialize_field("vid_end", &t.vid_end)?;
        m.serialize_field("tunnel_id", &t.id)?;
        m.serialize_field("tunnel_id_end", &t.id_end)?;
        m.end()
    }
}

/// A port as `bridge -j vlan show` prints it: `ifname`, then `vlans`, each
/// `vlan` (`vlanEnd` for a range) and `flags` when the entry has any flag
/// bit (an empty array for a range's end without PVID or untagged, as
/// `print_vlan_flags`); nlq adds `tunnels` in `bridge -j vlan tunnelshow`'s
/// shape when the port has any.
pub struct IpPortVlans<'a> {
    /// The port.
    pub p: &'a PortVlans,
    /// Interface names.
    pub links: &'a LinkNames,
}

impl Serialize for IpPortVlans<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let p = self.p;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("ifname", &port_name(p, self.links))?;
        let vlans: Vec<_> = p.vlans.iter().map(IpVlan).collect();
        m.serialize_entry("vlans", &vlans)?;
        if !p.tunnels.is_empty() {
            let tunnels: Vec<_> = p.tunnels.iter().map(IpTunnel).collect();
            m.serialize_entry("tunnels", &tunnels)?;
        }
        m.end()
    }
}

/// One VLAN entry in `bridge -j`'s shape.
struct IpVlan<'a>(&'a VlanRange);

impl Serialize for IpVlan<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.0;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("vlan", &v.vid)?;
        if v.vid != v.vid_end {
            m.serialize_entry("vlanEnd", &v.vid_end)?;
        }
        if v.flags != 0 {
            let mut flags = Vec::new();
            if v.pvid() {
                flags.push("PVID");
            }
            if v.untagged() {
                flags.push("Egress Untagged");
            }
            m.serialize_entry("flags", &flags)?;
        }
        m.end()
    }
}

/// One tunnel entry in `bridge -j vlan tunnelshow`'s shape.
struct IpTunnel<'a>(&'a TunnelRange);

impl Serialize for IpTunnel<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("vlan", &t.vid)?;
        if t.vid != t.vid_end {
            m.serialize_entry("vlanEnd", &t.vid_end)?;
        }
        m.serialize_entry("tunid", &t.id)?;
        if t.id != t.id_end {
            m.serialize_entry("tunidEnd", &t.id_end)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port() -> PortVlans {
        let mut t = TunnelRange::default();
        (t.vid, t.vid_end, t.id, t.id_end) = (100, 102, 1000, 1002);
        PortVlans {
            ifindex: 3,
            name: Some("vx0".into()),
            master: Some(4),
            vlans: vec![vlan(1, 1, 6), vlan(100, 102, 16)],
            tunnels: vec![t],
        }
    }

    fn vlan(vid: u16, vid_end: u16, flags: u16) -> VlanRange {
        let mut v = VlanRange::default();
        (v.vid, v.vid_end, v.flags) = (vid, vid_end, flags);
        v
    }

    fn links() -> LinkNames {
        let mut l = LinkNames::new();
        l.insert(4, "br0");
        l
    }

    #[test]
    fn bridge_dialect_in_bridges_order() {
        let (p, links) = (port(), links());
        let v = serde_json::to_string(&IpPortVlans {
            p: &p,
            links: &links,
        })
        .unwrap();
        assert_eq!(
            v,
            concat!(
                r#"{"ifname":"vx0","vlans":[{"vlan":1,"flags":["PVID","Egress Untagged"]},"#,
                r#"{"vlan":100,"vlanEnd":102,"flags":[]}],"#,
                r#""tunnels":[{"vlan":100,"vlanEnd":102,"tunid":1000,"tunidEnd":1002}]}"#
            )
        );
    }

    #[test]
    fn nlq_json_and_rows() {
        let (p, links) = (port(), links());
        let v = serde_json::to_value(NlqPortVlans {
            p: &p,
            links: &links,
        })
        .unwrap();
        assert_eq!((&v["dev"], &v["master"]), (&"vx0".into(), &"br0".into()));
        assert_eq!(v["vlans"][0]["pvid"], true);
        assert_eq!(v["tunnels"][0]["tunnel_id_end"], 1002);
        assert_eq!(
            row(&p, &p.vlans[0], &links),
            ["vx0", "1", "pvid", "untagged", ""]
        );
        let single = vlan(101, 101, 0);
        assert_eq!(row(&p, &single, &links), ["vx0", "101", "", "", "1001"]);
        assert_eq!(row(&p, &p.vlans[1], &links)[1], "100-102");
    }
}
