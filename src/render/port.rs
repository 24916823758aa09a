//! Bridge ports, three ways: a table (one row per port), nlq's own JSON
//! (docs/json.md `## ports`) and the `bridge -j link show` dialect
//! (iproute2 6.1's `print_linkinfo`, key for key and in its order, with
//! the details `bridge -d` adds always there where the kernel sent them,
//! so one output is a superset of `bridge -j link` and `bridge -j -d
//! link`).

use std::io;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::Listing;
use super::link::ip::ip_flags;
use super::stream::{Column, Paint};
use crate::model::link::Links;
use crate::model::port::{OptValue, PORT_OPTIONS, Port};
use crate::render::json::{Entries, entries_serialize};

/// IFF_UP (linux/if.h).
const IFF_UP: u32 = 0x1;

/// What rendering a port needs besides itself: the link dump (names of
/// masters, peers and backup ports, whether a peer is up).
#[derive(Clone, Copy)]
pub struct PortCtx<'a> {
    /// Every link, from the dump made before the port dump.
    pub links: &'a Links,
}

impl PortCtx<'_> {
    /// `ll_index_to_name`: the name of interface `index`, `if<N>` for one
    /// the link dump did not hold.
    fn name(&self, index: u32) -> String {
        self.links
            .name(index)
            .map_or_else(|| format!("if{index}"), str::to_string)
    }
}

/// Write one port to `out` (a [`Listing`] of [`COLUMNS`]).
pub fn push(out: &mut Listing<'_>, p: &Port, ctx: &PortCtx<'_>) -> io::Result<()> {
    out.push(
        || row(p, ctx),
        &NlqPort { port: p, ctx },
        &IpPort { port: p, ctx },
    )
}

/// The table's columns.
pub const COLUMNS: [Column; 7] = [
    Column::new("INDEX", "ifindex"),
    Column::new("PORT", "ifname").paint(Paint::Name),
    Column::new("MASTER", "master")
        .hide_if("")
        .paint(Paint::Name),
    Column::new("STATE", "state"),
    Column::new("PRIORITY", "priority").hide_if(""),
    Column::new("COST", "cost").hide_if(""),
    Column::new("OPTIONS", "options").hide_if(""),
];

/// The STP state as `bridge` prints it: its name, else the number.
fn state_text(p: &Port) -> String {
    match (p.state_name(), p.state) {
        (Some(n), _) => n.to_string(),
        (None, Some(s)) => s.to_string(),
        (None, None) => String::new(),
    }
}

/// One table row: cells in [`COLUMNS`] order; OPTIONS lists the options
/// that are on (and the multicast router mode, the backup port).
pub fn row(p: &Port, ctx: &PortCtx<'_>) -> [String; 7] {
    let num = |v: Option<u32>| v.map_or_else(String::new, |v| v.to_string());
    let on: Vec<String> = p
        .options
        .iter()
        .filter_map(|&(name, v)| match v {
            OptValue::OnOff(true) => Some(name.to_string()),
            OptValue::OnOff(false) => None,
            OptValue::Number(n) => Some(format!("{name}={n}")),
            OptValue::Device(i) => Some(format!("{name}={}", ctx.name(i))),
        })
        .collect();
    [
        p.link.index.to_string(),
        p.link.name.clone(),
        p.link.master.map_or_else(String::new, |m| ctx.name(m)),
        state_text(p),
        num(p.priority.map(u32::from)),
        num(p.cost),
        on.join(","),
    ]
}

/// The options as a JSON object, every one of [`PORT_OPTIONS`] always
/// there (`null` when the kernel did not send it): on/off as booleans,
/// the multicast router mode as a number, the backup port by name.
struct Options<'a>(&'a Port, &'a PortCtx<'a>);

impl Serialize for Options<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (p, c) = (self.0, self.1);
        let mut m = s.serialize_map(Some(PORT_OPTIONS.len()))?;
        for &(_, name, _) in &PORT_OPTIONS {
            match p.options.iter().find(|o| o.0 == name).map(|o| o.1) {
                None => m.serialize_entry(name, &())?,
                Some(OptValue::OnOff(b)) => m.serialize_entry(name, &b)?,
                Some(OptValue::Number(n)) => m.serialize_entry(name, &n)?,
                Some(OptValue::Device(i)) => m.serialize_entry(name, &c.name(i))?,
            }
        }
        m.end()
    }
}

/// Each option as `bridge -d` prints it, in its order.
fn option_entries<M: SerializeMap>(m: &mut M, p: &Port, c: &PortCtx<'_>) -> Result<(), M::Error> {
    for &(name, v) in &p.options {
        match v {
            OptValue::OnOff(b) => m.serialize_entry(name, &b)?,
            OptValue::Number(n) => m.serialize_entry(name, &n)?,
            OptValue::Device(i) => m.serialize_entry(name, &c.name(i))?,
        }
    }
    Ok(())
}

/// A port in nlq's own schema (docs/json.md, `## ports`).
struct NlqPort<'a> {
    port: &'a Port,
    ctx: &'a PortCtx<'a>,
}

impl Entries for NlqPort<'_> {
    fn entries<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        let (p, c) = (self.port, self.ctx);
        let l = &p.link;
        m.serialize_entry("ifindex", &l.index)?;
        m.serialize_entry("ifname", &l.name)?;
        m.serialize_entry("master", &l.master.map(|i| c.name(i)))?;
        m.serialize_entry("master_index", &l.master)?;
        m.serialize_entry("mtu", &l.mtu)?;
        m.serialize_entry("state", &p.state.map(|_| state_text(p)))?;
        m.serialize_entry("state_id", &p.state)?;
        m.serialize_entry("priority", &p.priority)?;
        m.serialize_entry("cost", &p.cost)?;
        m.serialize_entry("options", &Options(p, c))?;
        let mode = p.hwmode.map(|v| match v {
            0 => "veb".to_string(),
            1 => "vepa".to_string(),
            v => format!("{v:#x}"),
        });
        m.serialize_entry("hwmode", &mode)
    }
}

entries_serialize!(NlqPort<'_>);

/// A port in the `bridge -j link show` dialect.
struct IpPort<'a> {
    port: &'a Port,
    ctx: &'a PortCtx<'a>,
}

impl Serialize for IpPort<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (p, c) = (self.port, self.ctx);
        let l = &p.link;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("ifindex", &(l.index as i32))?;
        // `print_name_and_link`: the peer by name in this namespace (and
        // M-DOWN when it is down), by index in another one.
        let mut mdown = false;
        match (l.link, l.link_netnsid) {
            (None, _) => {}
            (Some(0), _) => m.serialize_entry("link", &())?,
            (Some(i), Some(_)) => m.serialize_entry("link_index", &(i as i32))?,
            (Some(i), None) => {
                mdown = c.links.get(i).is_some_and(|peer| peer.flags & IFF_UP == 0);
                m.serialize_entry("link", &c.name(i))?;
            }
        }
        m.serialize_entry("ifname", &l.name)?;
        m.serialize_entry("flags", &ip_flags(l.flags, mdown).collect::<Vec<_>>())?;
        if let Some(mtu) = l.mtu {
            m.serialize_entry("mtu", &mtu)?;
        }
        if let Some(i) = l.master {
            m.serialize_entry("master", &c.name(i))?;
        }
        match (p.state_name(), p.state) {
            (Some(n), _) => m.serialize_entry("state", n)?,
            (None, Some(s)) => m.serialize_entry("state", &s)?,
            (None, None) => {}
        }
        if let Some(v) = p.priority {
            m.serialize_entry("priority", &v)?;
        }
        if let Some(v) = p.cost {
            m.serialize_entry("cost", &v)?;
        }
        option_entries(&mut m, p, c)?;
        match p.hwmode {
            Some(0) => m.serialize_entry("hwmode", "VEB")?,
            Some(1) => m.serialize_entry("hwmode", "VEPA")?,
            Some(v) => m.serialize_entry("hwmode", &format!("{v:#x}"))?,
            None => {}
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::link::Link;
    use crate::wire::ifinfomsg::IfInfoMsg;

    /// v1 (index 3, down), br0 (index 2), v0 (index 4).
    fn links() -> Links {
        let mut links = Links::new();
        for (index, name) in [(2, "br0"), (3, "v1"), (4, "v0")] {
            let mut l = Link::bare(index, 0, 1);
            l.name = name.into();
            links.push(l);
        }
        links
    }

    /// v0, port of br0, peer v1, forwarding, with two options.
    fn v0() -> Port {
        #[rustfmt::skip]
        let b = [
            7, 0, 1, 0,                    // AF_BRIDGE, pad, ARPHRD_ETHER
            4, 0, 0, 0,                    // ifi_index 4
            0x43, 0x10, 0x01, 0,           // UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP
            0, 0, 0, 0,                    // ifi_change
            8, 0, 3, 0, b'v', b'0', 0, 0,  // IFLA_IFNAME "v0"
            8, 0, 4, 0, 0xdc, 5, 0, 0,     // IFLA_MTU 1500
            8, 0, 5, 0, 3, 0, 0, 0,        // IFLA_LINK 3
            8, 0, 10, 0, 2, 0, 0, 0,       // IFLA_MASTER 2
            28, 0, 12, 0x80,               // IFLA_PROTINFO, nested
              5, 0, 1, 0, 3, 0, 0, 0,      //   STATE forwarding
              5, 0, 25, 0, 1, 0, 0, 0,     //   MULTICAST_ROUTER 1
              5, 0, 4, 0, 1, 0, 0, 0,      //   MODE (hairpin) on
        ];
        Port::decode(&IfInfoMsg::new_checked(&b[..]).unwrap())
    }

    #[test]
    fn bridge_dialect_keys_in_order() {
        let links = links();
        let ctx = PortCtx { links: &links };
        let text = serde_json::to_string(&IpPort {
            port: &v0(),
            ctx: &ctx,
        })
        .unwrap();
        assert_eq!(
            text,
            r#"{"ifindex":4,"link":"v1","ifname":"v0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP","M-DOWN"],"mtu":1500,"master":"br0","state":"forwarding","hairpin":true,"mcast_router":1}"#
        );
    }

    #[test]
    fn nlq_json_and_row() {
        let links = links();
        let ctx = PortCtx { links: &links };
        let p = v0();
        let v = serde_json::to_value(NlqPort {
            port: &p,
            ctx: &ctx,
        })
        .unwrap();
        assert_eq!(v["state"], "forwarding");
        assert_eq!(v["options"]["hairpin"], true);
        assert_eq!(v["options"]["locked"], serde_json::Value::Null);
        assert_eq!(v["options"].as_object().unwrap().len(), PORT_OPTIONS.len());
        assert_eq!(
            row(&p, &ctx),
            [
                "4",
                "v0",
                "br0",
                "forwarding",
                "",
                "",
                "hairpin,mcast_router=1"
            ]
        );
    }
}
