//! The `ip -j` dialect of a link written with [`Obj`]: the same object as
//! `IpLink`'s `Serialize` impl (render/link/ip.rs), keys rendered at
//! compile time and strings and numbers appended without serde's map
//! machinery or `core::fmt`. `nlq links --json=ip` prints ten thousand of
//! these; the serde impl stays for `nlq addrs --json=ip` (`addr_info`),
//! and a test below checks that both write the same bytes.

use std::io;

use super::ip::{IpKindData, IpLink, Peer, ip_flags, ip_operstate, peer};
use super::{Hex, LlAddr, link_type_text};
use crate::model::link::{Counter, IFF_POINTOPOINT, Stats};
use crate::render::json::{JsonObject, Key, Obj, key};
use crate::render::text::push_decimal;

/// `"key": v` for a `u32`, when present.
fn num(o: &mut Obj<'_>, key: Key, v: Option<u32>) {
    if let Some(v) = v {
        o.raw(key, |out| push_decimal(out, v));
    }
}

/// `"key": v` for an `i32`.
fn int(o: &mut Obj<'_>, key: Key, v: i32) {
    o.raw(key, |out| {
        if v < 0 {
            out.push(b'-');
        }
        push_decimal(out, v.unsigned_abs());
    });
}

impl JsonObject for IpLink<'_> {
    fn fields(&self, o: &mut Obj<'_>) -> io::Result<()> {
        self.head_obj(o)?;
        self.hardware_obj(o)?;
        self.details_obj(o)?;
        let l = self.link;
        if let Some(a) = &l.alias {
            o.fast(key!("ifalias"), Some(a.as_str()))?;
        }
        if self.addrs.is_none() {
            if let Some(stats) = &l.stats {
                let key = match stats.wide {
                    true => key!("stats64"),
                    false => key!("stats"),
                };
                stats_obj(o.object(key), stats, l.carrier_changes);
            }
        }
        if !l.altnames.is_empty() {
            o.fast_list(key!("altnames"), l.altnames.iter().map(String::as_str))?;
        }
        if let Some(addrs) = self.addrs {
            let names = self.ctx.names;
            o.objects(key!("addr_info"), addrs, |o, a| {
                crate::render::addr::ip_addr_info(o, a, names)
            })?;
        }
        Ok(())
    }
}

impl IpLink<'_> {
    /// `ifindex` to `txqlen`: `ip link`'s first line.
    fn head_obj(&self, o: &mut Obj<'_>) -> io::Result<()> {
        let (l, ctx) = (self.link, self.ctx);
        int(o, key!("ifindex"), l.index as i32);
        let (peer, mdown) = peer(ctx, l);
        match peer {
            Peer::None => {}
            Peer::Zero => o.raw(key!("link"), |out| out.extend_from_slice(b"null")),
            Peer::Index(i) => int(o, key!("link_index"), i as i32),
            Peer::Name(n) => o.fast(key!("link"), Some(n))?,
        }
        o.fast(key!("ifname"), Some(l.name.as_str()))?;
        o.fast_list(key!("flags"), ip_flags(l.flags, mdown))?;
        if let Some(mtu) = l.mtu {
            int(o, key!("mtu"), mtu as i32);
        }
        if let Some(q) = &l.qdisc {
            o.fast(key!("qdisc"), Some(q.as_str()))?;
        }
        if let Some(m) = l.master {
            o.fast(key!("master"), Some(ctx.ip_name(m)))?;
        }
        match l.operstate.map(|s| s.value()) {
            Some(v) if v < 7 => o.fast(key!("operstate"), Some(ip_operstate(v)))?,
            Some(v) => num(o, key!("operstate_index"), Some(u32::from(v))),
            None => {}
        }
        match l.linkmode.map(|m| m.value()) {
            Some(0) => o.fast(key!("linkmode"), Some("DEFAULT"))?,
            Some(1) => o.fast(key!("linkmode"), Some("DORMANT"))?,
            Some(v) => num(o, key!("linkmode_index"), Some(u32::from(v))),
            None => {}
        }
        if let Some(g) = l.group {
            match ctx.names.groups.name(g) {
                Some(name) => o.fast(key!("group"), Some(name))?,
                None => o.text(key!("group"), Some(g as i32))?,
            }
        }
        if let Some(q) = l.txqlen.filter(|&q| q != 0) {
            int(o, key!("txqlen"), q as i32);
        }
        Ok(())
    }

    /// `link_type` to `proto_down`: `ip link`'s second line.
    fn hardware_obj(&self, o: &mut Obj<'_>) -> io::Result<()> {
        let l = self.link;
        let link_type = link_type_text(l.link_type, self.ctx.names);
        o.fast(key!("link_type"), Some(link_type))?;
        if let Some(a) = &l.address {
            o.fast(key!("address"), Some(LlAddr(l.link_type, a)))?;
        }
        if let Some(b) = &l.broadcast {
            if l.flags & IFF_POINTOPOINT != 0 {
                o.raw(key!("link_pointtopoint"), |out| {
                    out.extend_from_slice(b"true")
                });
            }
            o.fast(key!("broadcast"), Some(LlAddr(l.link_type, b)))?;
        }
        if let Some(p) = l.permaddr.as_ref().filter(|&p| Some(*p) != l.address) {
            o.fast(key!("permaddr"), Some(LlAddr(l.link_type, p)))?;
        }
        if let Some(id) = l.link_netnsid {
            int(o, key!("link_netnsid"), id);
        }
        // nlq's addition: the name `ip link` prints in text (`link-netns`).
        if let Some(ns) = self.ctx.peer_netns(l) {
            o.fast(key!("link_netns"), Some(ns))?;
        }
        if l.proto_down == Some(true) {
            o.raw(key!("proto_down"), |out| out.extend_from_slice(b"true"));
        }
        Ok(())
    }

    /// What `ip -d` adds.
    fn details_obj(&self, o: &mut Obj<'_>) -> io::Result<()> {
        let l = self.link;
        num(o, key!("promiscuity"), l.promiscuity);
        num(o, key!("allmulti"), l.allmulti);
        num(o, key!("min_mtu"), l.min_mtu);
        num(o, key!("max_mtu"), l.max_mtu);
        if l.kind.is_some() || l.slave_kind.is_some() {
            self.linkinfo_obj(o.object(key!("linkinfo")))?;
        }
        if let Some(g) = l.addr_gen_mode {
            match g.name() {
                Some(name) => o.fast(key!("inet6_addr_gen_mode"), Some(name))?,
                None => {
                    let text = format_args!("{:#04x}", g.value());
                    o.text(key!("inet6_addr_gen_mode"), Some(text))?
                }
            }
        }
        num(o, key!("num_tx_queues"), l.num_tx_queues);
        num(o, key!("num_rx_queues"), l.num_rx_queues);
        num(o, key!("gso_max_size"), l.gso_max_size);
        num(o, key!("gso_max_segs"), l.gso_max_segs);
        num(o, key!("tso_max_size"), l.tso_max_size);
        num(o, key!("tso_max_segs"), l.tso_max_segs);
        num(o, key!("gro_max_size"), l.gro_max_size);
        self.ids_obj(o)
    }

    /// Port and switch identities and the parent device.
    fn ids_obj(&self, o: &mut Obj<'_>) -> io::Result<()> {
        let l = self.link;
        if let Some(n) = &l.phys_port_name {
            o.fast(key!("phys_port_name"), Some(n.as_str()))?;
        }
        if let Some(id) = &l.phys_port_id {
            o.text(key!("phys_port_id"), Some(Hex(id.as_bytes())))?;
        }
        if let Some(id) = &l.phys_switch_id {
            o.text(key!("phys_switch_id"), Some(Hex(id.as_bytes())))?;
        }
        if let Some(b) = &l.parent_bus {
            o.fast(key!("parentbus"), Some(b.as_str()))?;
        }
        if let Some(d) = &l.parent_dev {
            o.fast(key!("parentdev"), Some(d.as_str()))?;
        }
        Ok(())
    }

    /// `linkinfo`: kind, its data (through serde: few links have any),
    /// slave kind, its data.
    fn linkinfo_obj(&self, mut o: Obj<'_>) -> io::Result<()> {
        let (l, ctx) = (self.link, self.ctx);
        if let Some(k) = &l.kind {
            o.fast(key!("info_kind"), Some(k.as_str()))?;
        }
        if let Some(data) = &l.kind_data {
            o.entry(key!("info_data"), &IpKindData { data, ctx })?;
        }
        if let Some(k) = &l.slave_kind {
            o.fast(key!("info_slave_kind"), Some(k.as_str()))?;
        }
        if let Some(data) = &l.slave_data {
            o.entry(key!("info_slave_data"), &IpKindData { data, ctx })?;
        }
        o.end();
        Ok(())
    }
}

/// One counter of `ip -s -s -j`: its key, the counter, and whether it is
/// shown when zero.
type Row = (Key, Counter, bool);

/// `rx`, in ip's order (see `IpStats`).
const RX: [Row; 14] = [
    (key!("bytes"), Counter::RxBytes, true),
    (key!("packets"), Counter::RxPackets, true),
    (key!("errors"), Counter::RxErrors, true),
    (key!("dropped"), Counter::RxDropped, true),
    (key!("over_errors"), Counter::RxOverErrors, true),
    (key!("multicast"), Counter::Multicast, true),
    (key!("compressed"), Counter::RxCompressed, false),
    (key!("length_errors"), Counter::RxLengthErrors, true),
    (key!("crc_errors"), Counter::RxCrcErrors, true),
    (key!("frame_errors"), Counter::RxFrameErrors, true),
    (key!("fifo_errors"), Counter::RxFifoErrors, true),
    (key!("missed_errors"), Counter::RxMissedErrors, true),
    (key!("nohandler"), Counter::RxNohandler, false),
    (key!("otherhost"), Counter::RxOtherhostDropped, false),
];

/// `tx`, in ip's order.
const TX: [Row; 11] = [
    (key!("bytes"), Counter::TxBytes, true),
    (key!("packets"), Counter::TxPackets, true),
    (key!("errors"), Counter::TxErrors, true),
    (key!("dropped"), Counter::TxDropped, true),
    (key!("carrier_errors"), Counter::TxCarrierErrors, true),
    (key!("collisions"), Counter::Collisions, true),
    (key!("compressed"), Counter::TxCompressed, false),
    (key!("aborted_errors"), Counter::TxAbortedErrors, true),
    (key!("fifo_errors"), Counter::TxFifoErrors, true),
    (key!("window_errors"), Counter::TxWindowErrors, true),
    (key!("heartbeat_errors"), Counter::TxHeartbeatErrors, true),
];

/// The counters as `IpStats` serializes them, into the open object `o`.
fn stats_obj(mut o: Obj<'_>, st: &Stats, carrier_changes: Option<u32>) {
    counters_obj(o.object(key!("rx")), st, &RX, None);
    counters_obj(o.object(key!("tx")), st, &TX, carrier_changes);
    o.end();
}

/// One direction's counters; `ip` zero-fills what a short struct lacks.
fn counters_obj(mut o: Obj<'_>, st: &Stats, rows: &[Row], carrier_changes: Option<u32>) {
    for &(key, c, always) in rows {
        let v = st.get(c).unwrap_or(0);
        if always || v != 0 {
            o.raw(key, |out| push_decimal(out, v));
        }
    }
    num(&mut o, key!("carrier_changes"), carrier_changes);
    o.end();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::link::{HwAddr, Link, Links, OperState};
    use crate::render::link::LinkCtx;

    #[test]
    fn u64_in_decimal() {
        for n in [0, 7, 10, 4_294_967_296, u64::MAX] {
            let mut out = Vec::new();
            push_decimal(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }

    /// Links that take every branch: a peer here (down: M-DOWN), a peer
    /// elsewhere, IFLA_LINK 0, odd states and modes, no name for the
    /// group, a point-to-point broadcast, a permanent address, kinds,
    /// identities, altnames, a short stats struct with zeros left out.
    fn links() -> Links {
        let mut links = Links::new();
        let mut a = Link::bare(2, 0x1003, 1);
        a.name = "a\"q".into();
        a.link = Some(3);
        a.mtu = Some(1500);
        a.qdisc = Some("noqueue".into());
        a.master = Some(9);
        a.operstate = Some(OperState::Up);
        a.group = Some(0);
        a.txqlen = Some(1000);
        a.address = HwAddr::new(&[2, 0, 0, 0, 0, 1]);
        a.broadcast = HwAddr::new(&[0xff; 6]);
        a.permaddr = HwAddr::new(&[2, 0, 0, 0, 0, 2]);
        a.promiscuity = Some(0);
        a.min_mtu = Some(68);
        a.kind = Some("veth".into());
        a.slave_kind = Some("bridge".into());
        a.phys_port_id = HwAddr::new(&[0xab, 1]);
        a.phys_port_name = Some("p0".into());
        a.parent_bus = Some("pci".into());
        a.alias = Some("an alias".into());
        a.altnames = vec!["alt0".into(), "alt1".into()];
        a.carrier_changes = Some(3);
        // 24 of 25 u32 counters: every third zero, the last missing.
        let short: Vec<u8> = (0u32..24)
            .flat_map(|i| if i % 3 == 0 { 0 } else { i << 20 }.to_ne_bytes())
            .collect();
        a.stats = Some(Stats::from_stats32(&short));
        links.push(a);
        let mut b = Link::bare(3, 0x10 | 0x80000, 778);
        b.link = Some(0);
        b.operstate = Some(OperState::from_u8(9));
        b.group = Some(4_000_000_000);
        b.broadcast = HwAddr::new(&[10, 0, 0, 1]);
        b.proto_down = Some(true);
        let wide: Vec<u8> = (0u64..25).flat_map(|i| (i << 40).to_ne_bytes()).collect();
        b.stats = Some(Stats::from_stats64(&wide));
        links.push(b);
        let mut c = Link::bare(4, 0x41, 1);
        c.link = Some(77);
        c.link_netnsid = Some(-1);
        links.push(c);
        links
    }

    #[test]
    fn obj_writes_what_serde_writes() {
        let links = links();
        let names = crate::names::Names::builtin();
        let nsids = crate::netns::NsidNames::default();
        let ctx = LinkCtx {
            links: &links,
            names: &names,
            nsids: &nsids,
        };
        for link in links.iter() {
            let ip = IpLink {
                link,
                ctx: &ctx,
                addrs: None,
            };
            assert_eq!(ip.to_json(), serde_json::to_string(&ip).unwrap());
        }
    }
}
