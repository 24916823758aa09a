//! The `ip -j` dialect of a link: one object merging what `ip -j -s link`
//! and `ip -j -d link` print (iproute2 6.1 `print_linkinfo`), and the
//! same object with `addr_info` for `ip -j addr`.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::{Colons, LinkCtx};
use crate::model::addr::Addr;
use crate::model::link::{Counter, IFF_RUNNING, IFF_UP, KindData, KindValue, Link, Stats};
// The serde form of `ip -j link`, kept as the unit tests' reference for
// the Obj writer (ipobj.rs) that nlq runs.
#[cfg(test)]
use super::{Hex, LlAddr, link_type_text};
#[cfg(test)]
use crate::model::link::IFF_POINTOPOINT;
#[cfg(test)]
use crate::render::addr::IpAddrInfo;
use crate::render::text::FastIp;

/// `ip`'s operstate names.
pub(super) fn ip_operstate(v: u8) -> Cow<'static, str> {
    const NAMES: [&str; 7] = [
        "UNKNOWN",
        "NOTPRESENT",
        "DOWN",
        "LOWERLAYERDOWN",
        "TESTING",
        "DORMANT",
        "UP",
    ];
    NAMES
        .get(v as usize)
        .map_or_else(|| format!("{v:#x}").into(), |&n| n.into())
}

/// The flags as `ip` lists them: NO-CARRIER first when up without
/// RUNNING, RUNNING never, then its own order, leftover bits in hex, and
/// M-DOWN last.
pub(crate) fn ip_flags(flags: u32, mdown: bool) -> impl Iterator<Item = Cow<'static, str>> {
    const ORDER: [(u32, &str); 18] = [
        (0x8, "LOOPBACK"),
        (0x2, "BROADCAST"),
        (0x10, "POINTOPOINT"),
        (0x1000, "MULTICAST"),
        (0x80, "NOARP"),
        (0x200, "ALLMULTI"),
        (0x100, "PROMISC"),
        (0x400, "MASTER"),
        (0x800, "SLAVE"),
        (0x4, "DEBUG"),
        (0x8000, "DYNAMIC"),
        (0x4000, "AUTOMEDIA"),
        (0x2000, "PORTSEL"),
        (0x20, "NOTRAILERS"),
        (0x1, "UP"),
        (0x10000, "LOWER_UP"),
        (0x20000, "DORMANT"),
        (0x40000, "ECHO"),
    ];
    let no_carrier = flags & IFF_UP != 0 && flags & IFF_RUNNING == 0;
    let known = ORDER.iter().fold(IFF_RUNNING, |acc, &(bit, _)| acc | bit);
    let rest = flags & !known;
    no_carrier
        .then_some(Cow::Borrowed("NO-CARRIER"))
        .into_iter()
        .chain(
            ORDER
                .into_iter()
                .filter(move |&(bit, _)| flags & bit != 0)
                .map(|(_, n)| n.into()),
        )
        .chain((rest != 0).then(|| format!("{rest:x}").into()))
        .chain(mdown.then_some(Cow::Borrowed("M-DOWN")))
}

/// What IFLA_LINK says about a link's peer or lower device.
pub(super) enum Peer<'a> {
    /// No IFLA_LINK.
    None,
    /// IFLA_LINK is 0 (`ip` prints `"link": null`).
    Zero,
    /// In another namespace: only its index is meaningful.
    Index(u32),
    /// In this namespace: its name.
    Name(Cow<'a, str>),
}

/// The peer of `l`, and whether `ip` marks it M-DOWN (the peer is in this
/// namespace, known, and administratively down).
pub(super) fn peer<'a>(ctx: &LinkCtx<'a>, l: &Link) -> (Peer<'a>, bool) {
    match l.link {
        None => (Peer::None, false),
        Some(0) => (Peer::Zero, false),
        Some(i) if l.link_netnsid.is_some() => (Peer::Index(i), false),
        Some(i) => {
            let down = ctx.links.get(i).is_some_and(|p| p.flags & IFF_UP == 0);
            let name = match ctx.links.name(i) {
                Some(n) => Cow::Borrowed(n),
                None => Cow::Owned(format!("if{i}")),
            };
            (Peer::Name(name), down)
        }
    }
}

#[cfg(test)]
/// `ip`'s `flags` array.
struct IpFlags {
    flags: u32,
    mdown: bool,
}

#[cfg(test)]
impl Serialize for IpFlags {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(ip_flags(self.flags, self.mdown))
    }
}

/// A link in the `ip -j` dialect; with `addrs`, as `ip -j addr` shows it
/// (no counters; `addr_info` last).
pub(crate) struct IpLink<'a> {
    pub(crate) link: &'a Link,
    pub(crate) ctx: &'a LinkCtx<'a>,
    pub(crate) addrs: Option<&'a [&'a Addr]>,
}

/// Write `key: value` when `value` is present.
fn opt<M: SerializeMap, V: Serialize>(
    m: &mut M,
    key: &str,
    value: Option<V>,
) -> Result<(), M::Error> {
    match value {
        Some(v) => m.serialize_entry(key, &v),
        None => Ok(()),
    }
}

#[cfg(test)]
impl Serialize for IpLink<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        self.head(&mut m)?;
        self.hardware(&mut m)?;
        self.details(&mut m)?;
        let l = self.link;
        opt(&mut m, "ifalias", l.alias.as_ref())?;
        if self.addrs.is_none() {
            if let Some(stats) = &l.stats {
                let key = if stats.wide { "stats64" } else { "stats" };
                m.serialize_entry(
                    key,
                    &IpStats {
                        stats,
                        carrier_changes: l.carrier_changes,
                    },
                )?;
            }
        }
        if !l.altnames.is_empty() {
            m.serialize_entry("altnames", &l.altnames)?;
        }
        if let Some(addrs) = self.addrs {
            let infos = AddrInfos {
                addrs,
                ctx: self.ctx,
            };
            m.serialize_entry("addr_info", &infos)?;
        }
        m.end()
    }
}

#[cfg(test)]
/// `addr_info`: a link's addresses, streamed.
pub(super) struct AddrInfos<'a> {
    pub(super) addrs: &'a [&'a Addr],
    pub(super) ctx: &'a LinkCtx<'a>,
}

#[cfg(test)]
impl Serialize for AddrInfos<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let names = self.ctx.names;
        s.collect_seq(self.addrs.iter().map(|&addr| IpAddrInfo { addr, names }))
    }
}

#[cfg(test)]
impl IpLink<'_> {
    /// `ifindex` to `txqlen`: `ip link`'s first line.
    fn head<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        let (l, ctx) = (self.link, self.ctx);
        m.serialize_entry("ifindex", &(l.index as i32))?;
        let (peer, mdown) = peer(ctx, l);
        match &peer {
            Peer::None => {}
            Peer::Zero => m.serialize_entry("link", &())?,
            Peer::Index(i) => m.serialize_entry("link_index", &(*i as i32))?,
            Peer::Name(n) => m.serialize_entry("link", n)?,
        }
        m.serialize_entry("ifname", &l.name)?;
        m.serialize_entry(
            "flags",
            &IpFlags {
                flags: l.flags,
                mdown,
            },
        )?;
        opt(m, "mtu", l.mtu.map(|v| v as i32))?;
        opt(m, "qdisc", l.qdisc.as_ref())?;
        opt(m, "master", l.master.map(|i| ctx.ip_name(i)))?;
        match l.operstate.map(|o| o.value()) {
            Some(v) if v < 7 => m.serialize_entry("operstate", &ip_operstate(v))?,
            Some(v) => m.serialize_entry("operstate_index", &v)?,
            None => {}
        }
        match l.linkmode {
            Some(lm) if lm.value() < 2 => {
                let name = if lm.value() == 0 {
                    "DEFAULT"
                } else {
                    "DORMANT"
                };
                m.serialize_entry("linkmode", name)?
            }
            Some(lm) => m.serialize_entry("linkmode_index", &lm.value())?,
            None => {}
        }
        if let Some(g) = l.group {
            let name = ctx
                .names
                .groups
                .name(g)
                .map_or_else(|| (g as i32).to_string().into(), Cow::Borrowed);
            m.serialize_entry("group", &name)?;
        }
        opt(m, "txqlen", l.txqlen.filter(|&q| q != 0).map(|q| q as i32))
    }

    /// `link_type` to `proto_down`: `ip link`'s second line.
    fn hardware<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        let l = self.link;
        m.serialize_entry("link_type", &link_type_text(l.link_type, self.ctx.names))?;
        opt(
            m,
            "address",
            l.address.as_ref().map(|a| LlAddr(l.link_type, a)),
        )?;
        if let Some(b) = l.broadcast {
            if l.flags & IFF_POINTOPOINT != 0 {
                m.serialize_entry("link_pointtopoint", &true)?;
            }
            m.serialize_entry("broadcast", &LlAddr(l.link_type, &b))?;
        }
        if let Some(p) = l.permaddr.filter(|p| Some(*p) != l.address) {
            m.serialize_entry("permaddr", &LlAddr(l.link_type, &p))?;
        }
        opt(m, "link_netnsid", l.link_netnsid)?;
        // nlq's addition: the name `ip link` prints in text (`link-netns`).
        opt(m, "link_netns", self.ctx.peer_netns(l))?;
        if l.proto_down == Some(true) {
            m.serialize_entry("proto_down", &true)?;
        }
        Ok(())
    }

    /// What `ip -d` adds.
    fn details<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        let l = self.link;
        opt(m, "promiscuity", l.promiscuity)?;
        opt(m, "allmulti", l.allmulti)?;
        opt(m, "min_mtu", l.min_mtu)?;
        opt(m, "max_mtu", l.max_mtu)?;
        if l.kind.is_some() || l.slave_kind.is_some() {
            m.serialize_entry(
                "linkinfo",
                &IpLinkInfo {
                    link: l,
                    ctx: self.ctx,
                },
            )?;
        }
        if let Some(g) = l.addr_gen_mode {
            let text = g
                .name()
                .map_or_else(|| format!("{:#04x}", g.value()).into(), Cow::Borrowed);
            m.serialize_entry("inet6_addr_gen_mode", &text)?;
        }
        opt(m, "num_tx_queues", l.num_tx_queues)?;
        opt(m, "num_rx_queues", l.num_rx_queues)?;
        opt(m, "gso_max_size", l.gso_max_size)?;
        opt(m, "gso_max_segs", l.gso_max_segs)?;
        opt(m, "tso_max_size", l.tso_max_size)?;
        opt(m, "tso_max_segs", l.tso_max_segs)?;
        opt(m, "gro_max_size", l.gro_max_size)?;
        opt(m, "phys_port_name", l.phys_port_name.as_ref())?;
        opt(
            m,
            "phys_port_id",
            l.phys_port_id.as_ref().map(|a| Hex(a.as_bytes())),
        )?;
        opt(
            m,
            "phys_switch_id",
            l.phys_switch_id.as_ref().map(|a| Hex(a.as_bytes())),
        )?;
        opt(m, "parentbus", l.parent_bus.as_ref())?;
        opt(m, "parentdev", l.parent_dev.as_ref())
    }
}

#[cfg(test)]
/// `linkinfo`: kind, its data, slave kind, its data.
struct IpLinkInfo<'a> {
    link: &'a Link,
    ctx: &'a LinkCtx<'a>,
}

#[cfg(test)]
impl Serialize for IpLinkInfo<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (l, ctx) = (self.link, self.ctx);
        let mut m = s.serialize_map(None)?;
        opt(&mut m, "info_kind", l.kind.as_ref())?;
        opt(
            &mut m,
            "info_data",
            l.kind_data.as_ref().map(|d| IpKindData { data: d, ctx }),
        )?;
        opt(&mut m, "info_slave_kind", l.slave_kind.as_ref())?;
        let slave = l.slave_data.as_ref().map(|d| IpKindData { data: d, ctx });
        opt(&mut m, "info_slave_data", slave)?;
        m.end()
    }
}

/// Kind-specific data as `ip -d -j` prints it.
pub(super) struct IpKindData<'a> {
    pub(super) data: &'a KindData,
    pub(super) ctx: &'a LinkCtx<'a>,
}

impl Serialize for IpKindData<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields(&self.data.fields, self.ctx, s)
    }
}

fn fields<S: Serializer>(
    fields: &[crate::model::link::KindField],
    ctx: &LinkCtx<'_>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(fields.len()))?;
    for f in fields {
        m.serialize_entry(
            f.key,
            &IpKindValue {
                value: &f.value,
                ctx,
            },
        )?;
    }
    m.end()
}

pub(super) struct IpKindValue<'a> {
    pub(super) value: &'a KindValue,
    pub(super) ctx: &'a LinkCtx<'a>,
}

impl Serialize for IpKindValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.value {
            KindValue::Uint(v) => s.serialize_u64(*v),
            KindValue::Int(v) => s.serialize_i64(*v),
            KindValue::Bool(v) => s.serialize_bool(*v),
            KindValue::Text(v) => s.serialize_str(v),
            KindValue::Ip(v) => s.collect_str(&FastIp(*v)),
            // `%i.%.2i` seconds: the same number, printed by serde.
            KindValue::Centis(v) => s.serialize_f64(*v as f64 / 100.0),
            KindValue::Hex(0) => s.serialize_str("0"),
            KindValue::Hex(v) => s.collect_str(&format_args!("{v:#x}")),
            KindValue::Link(i) => s.serialize_str(&self.ctx.ip_name(*i)),
            KindValue::Hw(a) => s.collect_str(&Colons(a.as_bytes())),
            KindValue::BridgeId { prio, addr } => s.collect_str(&BridgeId(prio, addr)),
            KindValue::Object(f) => fields(f, self.ctx, s),
            KindValue::List(l) => s.collect_seq(l.iter().map(|a| Colons(a.as_bytes()).to_string())),
            KindValue::Spelled { ip, .. } => s.serialize_str(ip),
            KindValue::Array(items) => s.collect_seq(items.iter().map(|value| IpKindValue {
                value,
                ctx: self.ctx,
            })),
            KindValue::Null => s.serialize_unit(),
            KindValue::Ips(l) => s.collect_seq(l.iter().map(|ip| FastIp(*ip))),
            KindValue::Names(l) => s.collect_seq(l),
            KindValue::IpNull(_) => s.serialize_unit(),
        }
    }
}

/// `br_dump_bridge_id`: priority in hex, then glibc `ether_ntoa` (no zero
/// padding): "8000.26:0:55:df:c7:60".
pub(super) struct BridgeId<'a>(pub(super) &'a [u8; 2], pub(super) &'a [u8; 6]);

impl fmt::Display for BridgeId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (p, a) = (self.0, self.1);
        write!(
            f,
            "{:02x}{:02x}.{:x}:{:x}:{:x}",
            p[0], p[1], a[0], a[1], a[2]
        )?;
        write!(f, ":{:x}:{:x}:{:x}", a[3], a[4], a[5])
    }
}

/// The counters as `ip -s -s -j` prints them (also `ip -j stats show`'s
/// stats64, a superset of what it prints without `-s`).
pub(crate) struct IpStats<'a> {
    /// The counters.
    pub(crate) stats: &'a Stats,
    /// IFLA_CARRIER_CHANGES, printed in `tx`.
    pub(crate) carrier_changes: Option<u32>,
}

impl Serialize for IpStats<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use Counter::*;
        let st = self.stats;
        let rx = [
            ("bytes", RxBytes, true),
            ("packets", RxPackets, true),
            ("errors", RxErrors, true),
            ("dropped", RxDropped, true),
            ("over_errors", RxOverErrors, true),
            ("multicast", Multicast, true),
            ("compressed", RxCompressed, false),
            ("length_errors", RxLengthErrors, true),
            ("crc_errors", RxCrcErrors, true),
            ("frame_errors", RxFrameErrors, true),
            ("fifo_errors", RxFifoErrors, true),
            ("missed_errors", RxMissedErrors, true),
            ("nohandler", RxNohandler, false),
            ("otherhost", RxOtherhostDropped, false),
        ];
        let tx = [
            ("bytes", TxBytes, true),
            ("packets", TxPackets, true),
            ("errors", TxErrors, true),
            ("dropped", TxDropped, true),
            ("carrier_errors", TxCarrierErrors, true),
            ("collisions", Collisions, true),
            ("compressed", TxCompressed, false),
            ("aborted_errors", TxAbortedErrors, true),
            ("fifo_errors", TxFifoErrors, true),
            ("window_errors", TxWindowErrors, true),
            ("heartbeat_errors", TxHeartbeatErrors, true),
        ];
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry(
            "rx",
            &IpCounters {
                st,
                rows: &rx,
                carrier_changes: None,
            },
        )?;
        let tx = IpCounters {
            st,
            rows: &tx,
            carrier_changes: self.carrier_changes,
        };
        m.serialize_entry("tx", &tx)?;
        m.end()
    }
}

/// One direction's counters: `(key, counter, always)`; a counter that is
/// not `always` is shown only when non-zero, as `ip` does.
struct IpCounters<'a> {
    st: &'a Stats,
    rows: &'a [(&'static str, Counter, bool)],
    carrier_changes: Option<u32>,
}

impl Serialize for IpCounters<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for &(key, c, always) in self.rows {
            // `ip` zero-fills what a short struct lacks.
            let v = self.st.get(c).unwrap_or(0);
            if always || v != 0 {
                m.serialize_entry(key, &v)?;
            }
        }
        opt(
            &mut m,
            "carrier_changes",
            self.carrier_changes.map(u64::from),
        )?;
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_in_ip_order() {
        // UP|BROADCAST|MULTICAST without RUNNING, plus an unknown bit.
        let f: Vec<_> = ip_flags(0x1 | 0x2 | 0x1000 | 0x80000, true).collect();
        assert_eq!(
            f,
            [
                "NO-CARRIER",
                "BROADCAST",
                "MULTICAST",
                "UP",
                "80000",
                "M-DOWN"
            ]
        );
        let f: Vec<_> = ip_flags(0x1 | 0x40 | 0x8 | 0x10000, false).collect();
        assert_eq!(f, ["LOOPBACK", "UP", "LOWER_UP"]);
    }

    #[test]
    fn lists_and_nulls_as_ip_prints_them() {
        use crate::model::link::KindField;
        let data = KindData {
            fields: vec![
                KindField {
                    key: "arp_ip_target",
                    value: KindValue::Ips(vec!["192.0.2.1".parse().unwrap()]),
                },
                KindField {
                    key: "arp_validate",
                    value: KindValue::IpNull(Box::new(KindValue::Text("none".into()))),
                },
                KindField {
                    key: "ad_actor_oper_port_state_str",
                    value: KindValue::Names(vec!["active", "in_sync"]),
                },
            ],
        };
        let links = crate::model::link::Links::new();
        let names = crate::names::Names::builtin();
        let nsids = crate::netns::NsidNames::default();
        let ctx = LinkCtx {
            links: &links,
            names: &names,
            nsids: &nsids,
        };
        let json = serde_json::to_string(&IpKindData {
            data: &data,
            ctx: &ctx,
        })
        .unwrap();
        assert_eq!(
            json,
            r#"{"arp_ip_target":["192.0.2.1"],"arp_validate":null,"ad_actor_oper_port_state_str":["active","in_sync"]}"#
        );
    }

    #[test]
    fn kind_arrays_and_null_as_ip_prints_them() {
        use crate::model::link::{KindField, Links};
        let (links, names, nsids) = (
            Links::new(),
            crate::names::Names::builtin(),
            Default::default(),
        );
        let ctx = LinkCtx {
            links: &links,
            names: &names,
            nsids: &nsids,
        };
        let map = KindValue::Object(vec![KindField {
            key: "from",
            value: KindValue::Uint(1),
        }]);
        let flags = KindValue::Array(vec![KindValue::Text("GVRP".into()), map]);
        let json =
            |value: &KindValue| serde_json::to_string(&IpKindValue { value, ctx: &ctx }).unwrap();
        assert_eq!(json(&flags), r#"["GVRP",{"from":1}]"#);
        assert_eq!(json(&KindValue::Array(vec![])), "[]");
        assert_eq!(json(&KindValue::Null), "null");
    }

    #[test]
    fn bridge_id_is_not_zero_padded() {
        let id = BridgeId(&[0x80, 0], &[0x26, 0, 0x55, 0xdf, 0xc7, 0x60]);
        assert_eq!(id.to_string(), "8000.26:0:55:df:c7:60");
    }
}
