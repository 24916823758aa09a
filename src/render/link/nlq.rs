//! A link in nlq's own schema (docs/json.md, `## links`), written with
//! [`Obj`]: every key always present, `null` when the kernel did not say;
//! keys rendered at compile time, names and addresses appended without
//! serde's map machinery or `core::fmt`. A monitor event writes the same
//! fields after its envelope (`Shown::json`).

use std::borrow::Cow;
use std::io;

use super::kind::NlqKindData;
use super::{Hex, LinkCtx, ll};
use crate::model::link::{COUNTERS, Counter, HwAddr, KindData, Link, Stats, link_type_name};
use crate::render::json::{JsonObject, Key, Obj, key};
use crate::render::text::push_decimal;

/// A link in nlq's schema.
pub(super) struct NlqLink<'a> {
    pub(super) link: &'a Link,
    pub(super) ctx: &'a LinkCtx<'a>,
}

/// `"key": v`, or `null`.
fn num(o: &mut Obj<'_>, key: Key, v: Option<u32>) {
    o.raw(key, |out| match v {
        Some(v) => push_decimal(out, v),
        None => out.extend_from_slice(b"null"),
    });
}

/// A name for an enumeration value: its name, or its number as a string.
fn name_or_number(name: Option<&'static str>, v: u8) -> Cow<'static, str> {
    name.map_or_else(|| v.to_string().into(), Cow::Borrowed)
}

impl JsonObject for NlqLink<'_> {
    fn fields(&self, o: &mut Obj<'_>) -> io::Result<()> {
        let (l, ctx) = (self.link, self.ctx);
        num(o, key!("index"), Some(l.index));
        o.fast(key!("name"), Some(l.name.as_str()))?;
        o.fast_list(key!("flags"), l.flag_names())?;
        num(o, key!("mtu"), l.mtu);
        num(o, key!("min_mtu"), l.min_mtu);
        num(o, key!("max_mtu"), l.max_mtu);
        let operstate = l.operstate.map(|s| name_or_number(s.name(), s.value()));
        o.fast(key!("operstate"), operstate)?;
        o.entry(key!("carrier"), &l.carrier)?;
        let linkmode = l.linkmode.map(|m| name_or_number(m.name(), m.value()));
        o.fast(key!("linkmode"), linkmode)?;
        o.fast(key!("qdisc"), l.qdisc.as_deref())?;
        o.fast(key!("master"), l.master.and_then(|i| ctx.links.name(i)))?;
        num(o, key!("master_index"), l.master);
        let peer = l.link.filter(|&i| i != 0 && l.link_netnsid.is_none());
        o.fast(key!("link"), peer.and_then(|i| ctx.links.name(i)))?;
        num(o, key!("link_index"), l.link.filter(|&i| i != 0));
        o.entry(key!("link_netnsid"), &l.link_netnsid)?;
        o.fast(key!("link_netns"), ctx.peer_netns(l))?;
        let link_type = link_type_name(l.link_type)
            .map_or_else(|| l.link_type.to_string().into(), Cow::Borrowed);
        o.fast(key!("link_type"), Some(link_type))?;
        o.fast(key!("address"), ll(l.link_type, &l.address))?;
        o.fast(key!("broadcast"), ll(l.link_type, &l.broadcast))?;
        o.fast(key!("permaddr"), ll(l.link_type, &l.permaddr))?;
        num(o, key!("txqlen"), l.txqlen);
        let group = l.group.and_then(|g| ctx.names.groups.name(g));
        o.fast(key!("group"), group)?;
        num(o, key!("group_id"), l.group);
        o.fast(key!("alias"), l.alias.as_deref())?;
        o.fast_list(key!("altnames"), l.altnames.iter().map(String::as_str))?;
        o.fast(key!("kind"), l.kind.as_deref())?;
        o.fast(key!("slave_kind"), l.slave_kind.as_deref())?;
        kind_data(o, key!("kind_data"), l.kind_data.as_ref(), ctx)?;
        kind_data(o, key!("slave_data"), l.slave_data.as_ref(), ctx)?;
        details(l, o)
    }
}

/// Kind data through serde (few links have any), or `null`.
fn kind_data(
    o: &mut Obj<'_>,
    key: Key,
    data: Option<&KindData>,
    ctx: &LinkCtx<'_>,
) -> io::Result<()> {
    match data {
        Some(data) => o.entry(key, &NlqKindData { data, ctx }),
        None => {
            o.raw(key, |out| out.extend_from_slice(b"null"));
            Ok(())
        }
    }
}

/// The second half of a link in nlq's schema: `ip -d` details, counters.
fn details(l: &Link, o: &mut Obj<'_>) -> io::Result<()> {
    num(o, key!("promiscuity"), l.promiscuity);
    num(o, key!("allmulti"), l.allmulti);
    num(o, key!("num_tx_queues"), l.num_tx_queues);
    num(o, key!("num_rx_queues"), l.num_rx_queues);
    num(o, key!("gso_max_size"), l.gso_max_size);
    num(o, key!("gso_max_segs"), l.gso_max_segs);
    num(o, key!("gro_max_size"), l.gro_max_size);
    num(o, key!("tso_max_size"), l.tso_max_size);
    num(o, key!("tso_max_segs"), l.tso_max_segs);
    o.fast(key!("phys_port_name"), l.phys_port_name.as_deref())?;
    o.text(key!("phys_port_id"), hex(&l.phys_port_id))?;
    o.text(key!("phys_switch_id"), hex(&l.phys_switch_id))?;
    o.fast(key!("parentbus"), l.parent_bus.as_deref())?;
    o.fast(key!("parentdev"), l.parent_dev.as_deref())?;
    o.entry(key!("proto_down"), &l.proto_down)?;
    let gen_mode = l.addr_gen_mode.map(|g| name_or_number(g.name(), g.value()));
    o.fast(key!("inet6_addr_gen_mode"), gen_mode)?;
    num(o, key!("carrier_changes"), l.carrier_changes);
    num(o, key!("carrier_up_count"), l.carrier_up_count);
    num(o, key!("carrier_down_count"), l.carrier_down_count);
    match &l.stats {
        Some(st) => stats(o.object(key!("stats64")), st),
        None => o.raw(key!("stats64"), |out| out.extend_from_slice(b"null")),
    }
    Ok(())
}

/// An identity as lowercase hex without separators, if present.
fn hex(a: &Option<HwAddr>) -> Option<Hex<'_>> {
    a.as_ref().map(|a| Hex(a.as_bytes()))
}

/// The keys of `stats64`: every counter under its struct field name, in
/// [`Counter::ALL`]'s order (a test checks them against
/// [`Counter::name`]).
const STATS_KEYS: [Key; COUNTERS] = [
    key!("rx_packets"),
    key!("tx_packets"),
    key!("rx_bytes"),
    key!("tx_bytes"),
    key!("rx_errors"),
    key!("tx_errors"),
    key!("rx_dropped"),
    key!("tx_dropped"),
    key!("multicast"),
    key!("collisions"),
    key!("rx_length_errors"),
    key!("rx_over_errors"),
    key!("rx_crc_errors"),
    key!("rx_frame_errors"),
    key!("rx_fifo_errors"),
    key!("rx_missed_errors"),
    key!("tx_aborted_errors"),
    key!("tx_carrier_errors"),
    key!("tx_fifo_errors"),
    key!("tx_heartbeat_errors"),
    key!("tx_window_errors"),
    key!("rx_compressed"),
    key!("tx_compressed"),
    key!("rx_nohandler"),
    key!("rx_otherhost_dropped"),
];

/// Every counter, `null` where the kernel's struct is too short to hold
/// it.
fn stats(mut o: Obj<'_>, st: &Stats) {
    for (key, c) in STATS_KEYS.into_iter().zip(Counter::ALL) {
        o.raw(key, |out| match st.get(c) {
            Some(v) => push_decimal(out, v),
            None => out.extend_from_slice(b"null"),
        });
    }
    o.end();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_keys_are_the_counter_names_in_order() {
        // 20 of 25 counters: the last five are null.
        let short: Vec<u8> = (1u32..=20).flat_map(|i| (i * 1000).to_ne_bytes()).collect();
        let st = Stats::from_stats32(&short);
        let mut out = Vec::new();
        stats(Obj::begin(&mut out), &st);
        let mut want = serde_json::Map::new();
        for c in Counter::ALL {
            want.insert(c.name().to_string(), serde_json::json!(st.get(c)));
        }
        let want = serde_json::Value::Object(want).to_string();
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }

    #[test]
    fn nulls_and_typed_values() {
        use crate::model::link::{Links, OperState};
        let mut l = Link::bare(7, 0x1 | 0x80000, 65534);
        l.operstate = Some(OperState::from_u8(9));
        l.link = Some(0);
        l.link_netnsid = Some(-1);
        l.proto_down = Some(false);
        l.phys_port_id = HwAddr::new(&[0xab, 1]);
        l.group = Some(5);
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
        let json = NlqLink {
            link: &l,
            ctx: &ctx,
        }
        .to_json();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["flags"], serde_json::json!(["up", "0x80000"]));
        assert_eq!(v["operstate"], "9");
        assert_eq!(v["mtu"], serde_json::Value::Null);
        assert_eq!(
            (v["link"].clone(), v["link_index"].clone()),
            (serde_json::Value::Null, serde_json::Value::Null)
        );
        assert_eq!(v["link_netnsid"], -1);
        assert_eq!(v["link_type"], "none");
        assert_eq!(v["phys_port_id"], "ab01");
        assert_eq!(
            (v["group"].clone(), v["group_id"].clone()),
            (serde_json::Value::Null, serde_json::json!(5))
        );
        assert_eq!(v["proto_down"], false);
        assert_eq!(v["altnames"], serde_json::json!([]));
        assert_eq!(v["stats64"], serde_json::Value::Null);
        assert!(
            json.starts_with(r#"{"index":7,"name":"","flags":"#),
            "{json}"
        );
    }
}
