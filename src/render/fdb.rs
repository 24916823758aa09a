//! Bridge FDB entries, three ways: a table (one row per entry), nlq's own
//! JSON (docs/json.md `## fdb`) and the `bridge -j fdb show` dialect
//! (iproute2 6.1's `print_fdb`, key for key and in its order, with the
//! `-s` keys `used` and `updated` wherever the kernel sent them, so one
//! output is a superset of `bridge -j fdb` and `bridge -j -s fdb`).

use std::io;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::Listing;
use super::stream::{Column, Paint};
use crate::model::fdb::{flag_words, state_word};
use crate::model::link::Links;
use crate::model::neigh::{Neigh, seconds, whole_seconds};
use crate::render::json::{Entries, entries_serialize};
use crate::render::link::LlAddr;
use crate::render::text::FastIp;

/// What rendering an entry needs besides itself: the link dump (names,
/// hardware types, masters).
#[derive(Clone, Copy)]
pub struct FdbCtx<'a> {
    /// Every link, from the dump made before the FDB dump.
    pub links: &'a Links,
}

impl<'a> FdbCtx<'a> {
    /// `ll_index_to_name`: the name of interface `index`, `if<N>` for one
    /// the link dump did not hold.
    fn name(&self, index: u32) -> String {
        self.links
            .name(index)
            .map_or_else(|| format!("if{index}"), str::to_string)
    }

    /// The bridge the entry belongs to: NDA_MASTER when the kernel sent
    /// it, else the master of the entry's device, else the device itself
    /// when it is the bridge (its own `self` entries).
    pub fn master(&self, n: &Neigh) -> Option<u32> {
        n.master
            .or_else(|| self.links.get(n.ifindex).and_then(|l| l.master))
    }

    /// The entry's MAC address, formatted for its device's hardware type.
    fn mac(&self, n: &Neigh) -> Option<String> {
        let link_type = self.links.get(n.ifindex).map_or(0, |l| l.link_type);
        n.lladdr.as_ref().map(|a| LlAddr(link_type, a).to_string())
    }
}

/// Write one entry to `out` (a [`Listing`] of [`COLUMNS`]).
pub fn push(out: &mut Listing<'_>, n: &Neigh, ctx: &FdbCtx<'_>) -> io::Result<()> {
    out.push(
        || row(n, ctx),
        &NlqFdb { fdb: n, ctx },
        &IpFdb { fdb: n, ctx },
    )
}

/// The table's columns; the VXLAN ones and VLAN are left out when no row
/// has anything in them.
pub const COLUMNS: [Column; 10] = [
    Column::new("MAC", "mac").paint(Paint::Mac),
    Column::new("DEV", "dev").paint(Paint::Name),
    Column::new("VLAN", "vlan").hide_if(""),
    Column::new("DST", "dst").hide_if("").paint(Paint::Addr),
    Column::new("PORT", "port").hide_if(""),
    Column::new("VNI", "vni").hide_if(""),
    Column::new("VIA", "via").hide_if(""),
    Column::new("MASTER", "master").hide_if(""),
    Column::new("FLAGS", "flags").hide_if(""),
    Column::new("STATE", "state"),
];

/// One table row: cells in [`COLUMNS`] order, empty where there is nothing.
pub fn row(n: &Neigh, ctx: &FdbCtx<'_>) -> [String; 10] {
    let num = |v: Option<u32>| v.map_or_else(String::new, |v| v.to_string());
    [
        ctx.mac(n).unwrap_or_default(),
        if n.ifindex == 0 {
            String::new()
        } else {
            ctx.name(n.ifindex)
        },
        num(n.vlan.filter(|&v| v != 0).map(u32::from)),
        n.dst.map_or_else(String::new, |d| FastIp(d).to_string()),
        num(n.port.map(u32::from)),
        num(n.vni),
        n.via_ifindex.map_or_else(String::new, |i| ctx.name(i)),
        n.master.map_or_else(String::new, |i| ctx.name(i)),
        flag_words(n).collect::<Vec<_>>().join(","),
        state_word(n.state).into_owned(),
    ]
}

/// An entry in nlq's own schema (docs/json.md, `## fdb`).
struct NlqFdb<'a> {
    fdb: &'a Neigh,
    ctx: &'a FdbCtx<'a>,
}

impl Entries for NlqFdb<'_> {
    fn entries<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        let (n, c) = (self.fdb, self.ctx);
        let dev = |i: u32| c.links.name(i);
        m.serialize_entry("mac", &c.mac(n))?;
        m.serialize_entry("dev", &dev(n.ifindex))?;
        m.serialize_entry("ifindex", &(n.ifindex != 0).then_some(n.ifindex))?;
        m.serialize_entry("master", &n.master.and_then(dev))?;
        m.serialize_entry("master_index", &n.master)?;
        m.serialize_entry("vlan", &n.vlan)?;
        m.serialize_entry("dst", &n.dst.map(FastIp))?;
        m.serialize_entry("port", &n.port)?;
        m.serialize_entry("vni", &n.vni)?;
        m.serialize_entry("src_vni", &n.src_vni)?;
        m.serialize_entry("via", &n.via_ifindex.and_then(dev))?;
        m.serialize_entry("via_ifindex", &n.via_ifindex)?;
        m.serialize_entry("nh_id", &n.nh_id)?;
        m.serialize_entry("link_netnsid", &n.link_netnsid)?;
        m.serialize_entry("flags", &flag_words(n).collect::<Vec<_>>())?;
        m.serialize_entry("state", &state_word(n.state))?;
        let ci = n.cacheinfo;
        m.serialize_entry("used", &ci.map(|c| seconds(c.used)))?;
        m.serialize_entry("updated", &ci.map(|c| seconds(c.updated)))
    }
}

entries_serialize!(NlqFdb<'_>);

/// An entry in the `bridge -j fdb show` dialect.
struct IpFdb<'a> {
    fdb: &'a Neigh,
    ctx: &'a FdbCtx<'a>,
}

impl Serialize for IpFdb<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (n, c) = (self.fdb, self.ctx);
        let mut m = s.serialize_map(None)?;
        if let Some(mac) = c.mac(n) {
            m.serialize_entry("mac", &mac)?;
        }
        // `bridge` leaves it out under `dev X`: nlq may add keys.
        if n.ifindex != 0 {
            m.serialize_entry("ifname", &c.name(n.ifindex))?;
        }
        if let Some(dst) = n.dst {
            m.serialize_entry("dst", &FastIp(dst))?;
        }
        if let Some(v) = n.vlan.filter(|&v| v != 0) {
            m.serialize_entry("vlan", &v)?;
        }
        vxlan(&mut m, n, c)?;
        if let Some(ci) = n.cacheinfo {
            m.serialize_entry("used", &whole_seconds(ci.used))?;
            m.serialize_entry("updated", &whole_seconds(ci.updated))?;
        }
        m.serialize_entry("flags", &flag_words(n).collect::<Vec<_>>())?;
        if let Some(i) = n.master {
            m.serialize_entry("master", &c.name(i))?;
        }
        // `state_n2a` prints nothing for a reachable (learned) entry.
        let state = state_word(n.state);
        m.serialize_entry("state", if state == "reachable" { "" } else { &state })?;
        m.end()
    }
}

/// `print_fdb`'s VXLAN keys, in its order: port, vni, src_vni, the
/// device to reach the remote through, nexthop id, link netns id.
fn vxlan<M: SerializeMap>(m: &mut M, n: &Neigh, c: &FdbCtx<'_>) -> Result<(), M::Error> {
    if let Some(p) = n.port {
        m.serialize_entry("port", &p)?;
    }
    if let Some(v) = n.vni {
        m.serialize_entry("vni", &v)?;
    }
    if let Some(v) = n.src_vni {
        m.serialize_entry("src_vni", &v)?;
    }
    if let Some(i) = n.via_ifindex {
        // In another namespace the index means nothing here: the number.
        if n.link_netnsid.is_some() {
            m.serialize_entry("viaIfIndex", &i)?;
        } else {
            m.serialize_entry("viaIf", &c.name(i))?;
        }
    }
    if let Some(id) = n.nh_id {
        m.serialize_entry("nhid", &id)?;
    }
    if let Some(id) = n.link_netnsid {
        // `bridge` reads it as a u32 (`rta_getattr_u32`).
        m.serialize_entry("linkNetNsId", &(id as u32))?;
    }
    Ok(())
}

impl super::event::Shown for crate::model::fdb::Fdb {
    fn kind(&self) -> &'static str {
        "fdb"
    }
    fn json(&self, o: &mut super::json::Obj<'_>, view: &super::event::View<'_>) -> io::Result<()> {
        let ctx = FdbCtx { links: view.links };
        Ok(NlqFdb {
            fdb: &self.0,
            ctx: &ctx,
        }
        .entries(o)?)
    }
    fn text(&self, view: &super::event::View<'_>) -> String {
        let ctx = FdbCtx { links: view.links };
        super::event::labelled(&COLUMNS, &row(&self.0, &ctx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::link::{HwAddr, Link};
    use crate::model::neigh::CacheInfo;

    /// v0 (index 2, port of br0), br0 (index 3), v9 (index 9).
    fn links() -> Links {
        let mut links = Links::new();
        for (index, name) in [(2, "v0"), (3, "br0"), (9, "v9")] {
            let mut l = Link::bare(index, 0, 1);
            l.name = name.into();
            links.push(l);
        }
        links
    }

    /// A VXLAN remote on v0 reached through v9, with ages.
    fn remote() -> Neigh {
        Neigh {
            family: 7,
            ifindex: 2,
            state: 0x80,
            flags: 0x02, // NTF_SELF
            kind: 0,
            dst: Some("10.0.0.3".parse().unwrap()),
            lladdr: HwAddr::new(&[0; 6]),
            cacheinfo: Some(CacheInfo {
                confirmed: 0,
                used: 250,
                updated: 1099,
                refcnt: 0,
            }),
            probes: None,
            vlan: None,
            port: Some(4790),
            vni: Some(100),
            via_ifindex: Some(9),
            master: None,
            link_netnsid: None,
            src_vni: None,
            protocol: None,
            nh_id: None,
            flags_ext: None,
        }
    }

    #[test]
    fn bridge_dialect_keys_in_order() {
        let links = links();
        let ctx = FdbCtx { links: &links };
        let text = serde_json::to_string(&IpFdb {
            fdb: &remote(),
            ctx: &ctx,
        })
        .unwrap();
        assert_eq!(
            text,
            r#"{"mac":"00:00:00:00:00:00","ifname":"v0","dst":"10.0.0.3","port":4790,"vni":100,"viaIf":"v9","used":2,"updated":10,"flags":["self"],"state":"permanent"}"#
        );
        let mut learned = remote();
        learned.state = 0x02; // NUD_REACHABLE
        learned.master = Some(3);
        learned.link_netnsid = Some(1);
        learned.via_ifindex = Some(44);
        let v = serde_json::to_value(IpFdb {
            fdb: &learned,
            ctx: &ctx,
        })
        .unwrap();
        assert_eq!(v["state"], "");
        assert_eq!(v["master"], "br0");
        assert_eq!(
            (v["viaIfIndex"].as_u64(), v["linkNetNsId"].as_u64()),
            (Some(44), Some(1))
        );
    }

    #[test]
    fn nlq_json_and_row() {
        let links = links();
        let ctx = FdbCtx { links: &links };
        let n = remote();
        let v = serde_json::to_value(NlqFdb { fdb: &n, ctx: &ctx }).unwrap();
        assert_eq!(v["via"], "v9");
        assert_eq!(v["state"], "permanent");
        assert_eq!(v["used"], 2.5);
        assert_eq!(v["master"], serde_json::Value::Null);
        let r = row(&n, &ctx);
        assert_eq!(
            r,
            [
                "00:00:00:00:00:00",
                "v0",
                "",
                "10.0.0.3",
                "4790",
                "100",
                "v9",
                "",
                "self",
                "permanent"
            ]
        );
    }
}
